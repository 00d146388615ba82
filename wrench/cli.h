/*
 * cli.h - the command line as data: one table of commands and one table of
 * options feed the parser, every `--help` text and the man page
 * (`wrench help --man` prints docs/wrench.1), so the three cannot disagree.
 */
#ifndef WRENCH_CLI_H
#define WRENCH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes, documented in the man page. */
enum exit_code {
    EXIT_CLEAN = 0,    /* nothing at or above the --fail-on threshold */
    EXIT_FINDINGS = 1, /* findings at or above it */
    EXIT_USAGE = 2,    /* the command line was wrong */
    EXIT_FAILED = 3,   /* the scan itself could not run */
};

enum opt_id {
    OPT_HELP,
    OPT_CLASSPATH,
    OPT_JAR,
    OPT_WAR,
    OPT_DIR,
    OPT_JSON,
    OPT_FORMAT,
    OPT_FAIL_ON,
    OPT_COLOR,
    OPT_LANG, /* language of rule titles and hints in the text report */
    OPT_MAN,
    OPT_DB,           /* the report store's database file */
    OPT_NO_DB,        /* do not store the scan */
    OPT_KEEP,         /* scans kept in the store */
    OPT_JSON_FLAG,    /* --json without a file: history, show, diff */
    OPT_ARGUMENT,     /* a word that is no option (a scan id), for CMD_WITH_ARGUMENTS commands */
    OPT_LOGS,         /* a log file, directory or glob to diagnose */
    OPT_TOMCAT,       /* a CATALINA_BASE */
    OPT_RULES,        /* a directory of extra log rules */
    OPT_PID,          /* discovery: only this Java process */
    OPT_CONFIG,       /* discovery: the services file */
    OPT_NO_PROCESSES, /* discovery: do not look at running processes */
    OPT_PROC_ROOT,    /* discovery: /proc (tests use fixture trees) */
    OPT_CGROUP_ROOT,  /* discovery: /sys/fs/cgroup */
    OPT_ROOT,         /* discovery: the root the conventional places are looked for under */
    OPT_LISTEN,       /* serve: ADDR:PORT */
    OPT_TOKEN_FILE,   /* serve: the file holding the bearer token */
    OPT_AUTH,         /* serve: write or all */
    OPT_ALLOW_ORIGIN, /* serve: the one origin allowed to call or frame the server */
    OPT_SINCE,        /* logs: only records since TIME or DURATION */
    OPT_LAST_START,   /* logs: only records since the service's last start */
    OPT_LOG_FORMAT,   /* logs: read every log as this format instead of recognising it */
    OPT_INSECURE_NO_TOKEN, /* serve: listen beyond loopback without a token */
    OPT_MAX_MEMORY,        /* scan, serve: the memory budget of a scan */
    OPT_FULL_PRIORITY,     /* scan, serve: keep the normal CPU and I/O priority */
    OPT_THREAD_DUMP,       /* state: a thread dump of each running JVM (attach protocol) */
    OPT_START_SECS,        /* state: --start-timeout, after which a silent JVM counts as hung */
    OPT_PROBE,             /* state: GET this health URL */
    OPT_ACCEPT,            /* scan, serve: the accept file (accept.h) */
    OPT_BASELINE,          /* scan: a stored scan whose findings are not new */
    OPT_SHA256,            /* scan: the SHA-256 of every jar in the JSON report */
};

#define CMD_SCAN (1u << 0)
#define CMD_VERSION (1u << 1)
#define CMD_HELP (1u << 2)
#define CMD_HISTORY (1u << 3)
#define CMD_SHOW (1u << 4)
#define CMD_DIFF (1u << 5)
#define CMD_RULES (1u << 6)
#define CMD_SERVE (1u << 7)
#define CMD_STORE (CMD_HISTORY | CMD_SHOW | CMD_DIFF) /* the commands reading the store */
#define CMD_WITH_ARGUMENTS                                                                         \
    (CMD_SHOW | CMD_DIFF | CMD_RULES) /* commands taking OPT_ARGUMENT words */
#define CMD_ALL (~0u)

struct cli_option {
    enum opt_id id;
    const char *name;  /* long name, used as --name */
    const char *alias; /* another spelling, e.g. "-cp"; NULL when none */
    const char *arg;   /* placeholder of its argument; NULL for a flag */
    bool arg_optional; /* the argument may be left out (taken only when it is no option) */
    unsigned commands; /* CMD_* bits of the commands that take it */
    const char *help;
};

struct cli_value {
    enum opt_id id;
    const char *value; /* borrowed from argv; NULL for flags and absent optional arguments */
};

struct cli_args {
    const struct cli_command *command;
    struct cli_value *values; /* in command-line order */
    size_t n_values;
};

struct cli_command {
    const char *name;
    unsigned bit;
    const char *synopsis; /* the command and its arguments; options are added from the table */
    const char *summary;
    const char *description;
    int (*run)(const struct cli_args *args);
};

extern const struct cli_option cli_options[];
extern const size_t cli_option_count;
extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;

/* Parse argv (after the program name). On success fills *args (free with cli_args_free) and
 * returns 0; on a usage error returns -1 with a message in err (WR_ERR_MAX bytes). */
int cli_parse(int argc, char **argv, struct cli_args *args, char *err);
void cli_args_free(struct cli_args *args);

/* True when the option was given; cli_last returns its last value (or NULL). */
bool cli_has(const struct cli_args *args, enum opt_id id);
const char *cli_last(const struct cli_args *args, enum opt_id id);

void cli_print_usage(FILE *out);
void cli_print_command_help(FILE *out, const struct cli_command *cmd);
void cli_print_man(FILE *out);

#endif
