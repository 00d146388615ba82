/*
 * commands.h - the functions behind each subcommand; each returns an exit code
 * (enum exit_code) and writes to stdout/stderr. They parse options, call the
 * analysis and render: no analysis lives here.
 */
#ifndef WRENCH_COMMANDS_H
#define WRENCH_COMMANDS_H

#include <stdbool.h>

#include "cli.h"

int cmd_scan(const struct cli_args *args);

struct discover_options;
struct state_options;
/* The discovery options (--pid, --config, --no-processes, --proc-root, --cgroup-root,
 * --root) of scan or serve; -1 after a message on stderr when --pid is no process id. The
 * strings are borrowed from argv. */
int scan_discover_options(const struct cli_args *args, struct discover_options *opt);
/* Read --max-memory and --full-priority of `command` ("scan", "serve") and configure the
 * scan budget (budget.h); prints the budget's basis into `basis` (BUDGET_TEXT_MAX bytes).
 * Returns 0, or -1 after a message on stderr for a bad size. */
int scan_budget_options(const struct cli_args *args, const char *command, char *basis);
/* The service state options of scan (and serve): -1 after printing a usage error. */
int scan_state_options(const struct cli_args *args, struct state_options *opt);
int cmd_version(const struct cli_args *args);
int cmd_help(const struct cli_args *args);
int cmd_rules(const struct cli_args *args);
/* cmd_serve.c: the web UI and HTTP API; runs until SIGTERM or SIGINT. */
int cmd_serve(const struct cli_args *args);

/* cmd_store.c: the report store's commands. */
int cmd_history(const struct cli_args *args);
int cmd_show(const struct cli_args *args);
int cmd_diff(const struct cli_args *args);

struct scan;
/* The scan command's store options (--db, --no-db, --keep): -1 after printing a usage error. */
int cmd_store_check_options(const struct cli_args *args);
/* Store a rendered scan unless --no-db; `failed` when the command itself failed (exit 3).
 * A store failure is reported on stderr and changes nothing else. */
void cmd_store_save_scan(const struct cli_args *args, const struct scan *scan, bool failed);
/* --baseline ID|latest: load that stored scan of the --db database and record its finding ids
 * in `set` (accept.h). Returns 0 (also without --baseline), or -1 after printing why. */
struct accept_set;
int cmd_store_load_baseline(const struct cli_args *args, struct accept_set *set);

struct jvm_sighting;
/* What earlier scans stored of the JVMs they saw (store.h store_load_sightings), from the
 * database `scan` would store into; none with --no-db or no database yet. A database that
 * cannot be read is said on stderr (-1), and the scan goes on without them. */
int cmd_store_load_sightings(const struct cli_args *args, struct jvm_sighting **out, size_t *n);
/* --accept FILE, else ACCEPT_DEFAULT_FILE when present, into `set`. Returns 0 (also when there
 * is none), or -1 after printing what is wrong with the file. */
int cmd_load_accept(const struct cli_args *args, struct accept_set *set);

#endif
