/*
 * runit.h - runit service directories (/etc/service/<name>, /etc/sv/<name>),
 * the platform's usual way to run a Java service: the `run` script's java
 * command line (classpath or jar, main class, flags, the directory it cd's
 * to), the svlogd directory of `log/run`, runsv's supervise/stat and
 * supervise/status (runit 2.3.0 runsv.c update_status: 12-byte TAI64N stamp,
 * pid little-endian, paused, want, got-TERM, state), and the exit record the
 * shipped finish script keeps (scripts/runit/finish: "TIME EXIT SIGNAL" lines
 * in <service>/last-exit), since runit itself keeps no exit code.
 */
#ifndef WRENCH_RUNIT_H
#define WRENCH_RUNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcconfig.h"

#define RUNIT_SCRIPT_MAX (256 * 1024) /* bytes of a run script read */
#define RUNIT_SERVICES_MAX 1000       /* service directories looked at */
#define RUNIT_EXIT_FILE "last-exit"   /* written by scripts/runit/finish */
#define RUNIT_ORIGIN "runit service " /* svc_service.origin prefix, then the directory */

/* The java command of a run script. */
struct runit_command {
    char **argv; /* from the token naming java on, up to a redirection or separator */
    size_t argc, argv_cap;
    char *cwd;     /* the last "cd DIR" before it; NULL when none */
    bool has_vars; /* an argument holds a shell variable wrench did not expand */
};

/* Find the java command line in a run script's text. Returns 0, or -1 when the script
 * runs no java. Clear with runit_command_clear(). The script's variables are expanded
 * where it assigns them first ("JAVA_OPTS=...", "export APP=..."; $NAME, ${NAME},
 * ${NAME:-default}; split into words unquoted, as the shell does); sourced files, an
 * envdir (chpst -e) and the environment runsv hands down are not read. */
int runit_parse_run(const char *text, size_t len, struct runit_command *out);
void runit_command_clear(struct runit_command *c);

/* The log directory a log/run script gives svlogd (its last argument), or NULL. New. */
char *runit_parse_log_run(const char *text, size_t len);

struct runit_status {
    bool valid;
    int64_t since; /* unix time of the last change */
    int pid;       /* 0 when down */
    bool paused;
    char want; /* 'u', 'd' or 0 */
    bool got_term;
    int state; /* 0 down, 1 run, 2 finish */
};

/* Decode supervise/status (20 bytes). Returns 0, or -1 when the size is wrong. */
int runit_parse_status(const unsigned char *data, size_t len, struct runit_status *out);

/* The last record of the finish script's file: exit code ($1, -1 after a signal) and
 * signal ($2). Returns 0, or -1 when there is none. */
int runit_parse_exit(const char *text, size_t len, int64_t *when, int *code, int *sig);

/* How many records the finish script's file holds (runs that ended). */
size_t runit_count_exits(const char *text, size_t len);

/* "exit 1", "killed by signal 9 (SIGKILL)", "could not be started (111)". New string. */
char *runit_describe_exit(int code, int sig);

/* Append a declared service for every runit service directory under `root` whose run
 * script starts java (kind from its command line; origin RUNIT_ORIGIN + directory;
 * logs: its svlogd directory). Service directories that run no java are skipped. */
void runit_discover(const char *root, struct svc_discovery *out);

#endif
