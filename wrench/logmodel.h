/*
 * logmodel.h - the plain structs a log diagnosis produces: grouped findings
 * (one per rule and signature, with a count and a sample), the files read and
 * what went wrong reading them. Like model.h, nothing here knows of JSON or
 * the terminal; the log scanner (logscan.h) fills it, the report writers only read it.
 *
 * Ownership: a struct log_report owns everything reachable from it;
 * log_report_free() releases it all.
 */
#ifndef WRENCH_LOGMODEL_H
#define WRENCH_LOGMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* What wrote a log file; rules may be limited to some kinds ("applies_to"). */
enum log_kind {
    LOG_KIND_TOMCAT, /* catalina.out, catalina.*.log, localhost.*.log, manager.*, host-manager.* */
    LOG_KIND_ACCESS, /* localhost_access_log.*: requests, not diagnostics */
    LOG_KIND_APP,    /* anything else: the application's own logs */
};
#define LOG_KIND_COUNT 3

const char *log_kind_name(enum log_kind kind);
/* Parse "tomcat", "access" or "app"; -1 when unknown. */
int log_kind_parse(const char *name, enum log_kind *out);

/* How a log file's lines are wrapped (envelope.h decodes them). */
enum log_format {
    LOG_FORMAT_PLAIN,  /* lines as the logger wrote them */
    LOG_FORMAT_SVLOGD, /* runit's svlogd or multilog: "@4000...  " TAI64N or -tt stamps */
    LOG_FORMAT_CRI,    /* kubelet's CRI files: "<time> stdout|stderr F|P <line>" */
    LOG_FORMAT_DOCKER, /* Docker's json-file: {"log":"...","stream":"...","time":"..."} */
    LOG_FORMAT_JSON,   /* JSON lines: one structured record (ECS, Logstash, GELF...) a line */
};
#define LOG_FORMAT_COUNT 5

/* "plain", "svlogd", "cri", "docker", "json"; "unknown" for other values (envelope.c). */
const char *log_format_name(enum log_format format);
/* Parse a format name; -1 when unknown. */
int log_format_parse(const char *name, enum log_format *out);

/* What a failure stopped, for ranking incidents (rules' "impact" field): a finding that took
 * the whole service or a port down outranks one that took a webapp down, which outranks an
 * error at run time, whatever the severity of the wrapper that reported it. */
enum impact {
    IMPACT_NONE,      /* no declared impact (info, warnings) */
    IMPACT_RUNTIME,   /* an error while serving; the service is up */
    IMPACT_WEBAPP,    /* one webapp / application context did not start */
    IMPACT_CONNECTOR, /* a connector or port is down; the rest may be up */
    IMPACT_SERVICE,   /* the JVM or the server as a whole did not start or died */
};
#define IMPACT_COUNT 5
/* "none", "runtime", "webapp", "connector", "service". */
const char *impact_name(enum impact impact);
/* Parse an impact name; -1 when unknown. */
int impact_parse(const char *name, enum impact *out);

/* Where one occurrence of a finding was seen: a record can be written to two files
 * (catalina.out and catalina.<date>.log) and is still one occurrence. */
struct log_location {
    char *file;
    uint64_t line;   /* 1-based line of the record's first line */
    char *timestamp; /* as written in the log; NULL when none */
};

/* log_file.dump_lines: unknown (the default: the bytes did not all go through the fast
 * path's candidate search), none of logdumps' start lines in them, or one at least. */
enum { LOG_DUMPS_UNKNOWN = 0, LOG_DUMPS_NONE, LOG_DUMPS_SEEN };

/* One group of log events: the same rule and the same signature. */
struct log_finding {
    char *rule_id; /* "uncategorized" for ERROR records with an exception no rule matched */
    enum severity severity;
    char *category;
    char *title;
    char *hint;
    char *title_zh; /* the rule's Simplified Chinese title and hint, expanded; NULL when none */
    char *hint_zh;
    char *signature;    /* exception chain | masked message | top application frame */
    uint64_t count;     /* events in the group */
    char *first_seen;   /* the first event's timestamp as written in the log; NULL when none */
    char *last_seen;    /* the last event's timestamp; NULL when none */
    char *file;         /* the file of the first event */
    uint64_t line;      /* 1-based line of the first event's first line */
    char *root_cause;   /* the last "Caused by:" line, else the first exception line; may be NULL */
    char *sample;       /* the first event's text, capped at LOGSCAN_SAMPLE_MAX bytes */
    char *class_name;   /* the rule's (?<class>...) group in the first event; NULL when none */
    bool truncated;     /* the sample (or the event it was cut from) was cut short */
    enum impact impact; /* the rule's impact; IMPACT_RUNTIME for uncategorized errors */
    /* Where the finding was seen: its first record in each file (the first location is
     * file:line above), and every other file holding that same record (catalina.out and
     * catalina.<date>.log); at most 64. */
    struct log_location *locations;
    size_t n_locations, locations_cap;
    /* Named facts of the first event: each named group of the rule's pattern (port, context,
     * config_file, line, column, class, method, ...), name -> value as matched. */
    struct fact *facts;
    size_t n_facts, facts_cap;
};

/* The value of the fact `name` of a finding; NULL when it has none. */
const char *log_finding_fact(const struct log_finding *f, const char *name);
/* Record a fact on a finding (replacing one of the same name); copies both strings. */
void log_finding_add_fact(struct log_finding *f, const char *name, const char *value);

/* Record one more place the finding was seen; copies the strings. */
void log_finding_add_location(struct log_finding *f, const char *file, uint64_t line,
                              const char *timestamp);

/* Does a file name (not a path) look like a log's: app.log, app.log.1, catalina.out,
 * catalina.2026-12-01.log.gz, gc.err, output.txt? Hidden files never do. The one test for
 * both a logs directory's listing (logread.c) and the files a JVM holds open (jvm.c). */
bool log_file_name(const char *name);

/* One log file read. */
struct log_file {
    char *path;
    enum log_kind kind;
    bool compressed; /* read through gzip */
    enum log_format format;
    uint64_t bytes; /* uncompressed bytes read */
    uint64_t lines;
    uint64_t events;
    uint64_t truncated_events; /* events longer than LOGSCAN_EVENT_MAX */
    uint64_t long_lines;       /* lines longer than LOGSCAN_LINE_MAX (cut) */
    bool complete;             /* read to the end without an error */
    uint64_t skipped_events;   /* events before --since or the last start, not matched */
    uint64_t start_offset;     /* --last-start read backwards: the byte where reading began
                                * (the last start; the events before it not counted); 0 */
    /* What the scan's candidate search saw of logdumps.c's start lines in the bytes it read
     * (LOG_DUMPS_*): NONE lets logdumps skip its own search of the file. Not stored. */
    unsigned char dump_lines;
    uint64_t last_start_line; /* line of the last service start marker; 0 when none */
    char *last_start;         /* that line's text (capped); NULL when none */
    char **tail;              /* the file's last lines (plain files only), oldest first */
    size_t n_tail;
};

struct log_report {
    struct log_finding *findings; /* sorted by logscan_finish(): severity, then count */
    size_t n_findings;
    size_t findings_cap;
    uint64_t dropped_findings; /* distinct groups over LOGSCAN_MAX_FINDINGS, not kept */
    struct log_file *files;
    size_t n_files;
    size_t files_cap;
    struct problem *problems; /* unreadable files, corrupt gzip, rules that hit a match limit */
    size_t n_problems;
    size_t problems_cap;
};

/* A zeroed struct log_report is empty and valid; this frees its contents and zeroes it. */
void log_report_clear(struct log_report *report);
void log_finding_clear(struct log_finding *f);
/* Record a problem; copies both strings. */
void log_report_add_problem(struct log_report *report, enum severity sev, const char *path,
                            const char *message);
/* The same with the message in Chinese too (messages.h); message_zh NULL: none. */
void log_report_add_problem_zh(struct log_report *report, enum severity sev, const char *path,
                               const char *message, const char *message_zh);
/* Counts of findings by severity (problems not included). */
void log_report_count_severities(const struct log_report *report, size_t counts[SEV_COUNT]);
/* The highest severity of any finding or problem; -1 when there is none. */
int log_report_max_severity(const struct log_report *report);

#endif
