/*
 * logscan.h - diagnose Tomcat and application logs: read files (plain or
 * gzip) in bounded chunks, split them into events (a record header line and
 * its continuation lines: stack frames, "Caused by:", indented lines, the
 * second line of a java.util.logging record), run the rule set over each event
 * and group the hits into findings (see logmodel.h).
 *
 * A new event starts at a line that begins with a timestamp (optionally after
 * '['): 2026-11-27 02:19:18,123 / 2026-11-27T02:19:18.123Z / 27-Nov-2026
 * 02:19:18.123 / Nov 27, 2026 2:19:18 AM / 02:19:18,123; or at a line printed
 * outside any logger: "SLF4J...", "log4j:...", "Exception in thread ...",
 * "ERROR StatusLogger ...", the java launcher's "Error: ..." lines and option errors
 * ("Unrecognized VM option", "Invalid maximum heap size"...), the JVM's
 * "# A fatal error has been detected..." (consecutive SLF4J or log4j: lines
 * form one event).
 * Any other line continues the current event.
 *
 * Memory is bounded whatever the input: a line keeps LOGSCAN_LINE_MAX bytes, an
 * event LOGSCAN_EVENT_MAX (the rest is counted and the event marked truncated),
 * NUL bytes are read as spaces, CR before LF is dropped, and bytes are matched
 * as bytes (invalid UTF-8 is harmless).
 *
 * Each event gets at most one finding: the first rule in match order that
 * matches (see rules_match). ERROR/SEVERE/FATAL records carrying an exception
 * that no rule matched are grouped as "uncategorized" at warning severity.
 * Findings group by rule id + signature: the exception type chain, the matched
 * text (or the first exception message) with numbers, hex and ids masked, and
 * the top application frame without its line number.
 */
#ifndef WRENCH_LOGSCAN_H
#define WRENCH_LOGSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logmodel.h"
#include "rules.h"

#define LOGSCAN_CHUNK (64u * 1024)       /* bytes read from a file at a time */
#define LOGSCAN_LINE_MAX (64u * 1024)    /* bytes kept of one line */
#define LOGSCAN_EVENT_MAX (64u * 1024)   /* bytes kept of one event */
#define LOGSCAN_SAMPLE_MAX (8u * 1024)   /* bytes of an event kept as a finding's sample */
#define LOGSCAN_TEXT_MAX 1024            /* root cause, first exception line */
#define LOGSCAN_MESSAGE_MAX 512          /* masked message in a signature */
#define LOGSCAN_CHAIN_MAX 8              /* exception types kept in a chain */
#define LOGSCAN_TS_MAX 40                /* bytes of a timestamp */
#define LOGSCAN_MAX_FINDINGS 2000        /* distinct groups kept (~12 KiB each); more are counted */
#define LOGSCAN_MAX_FILES 10000          /* files taken from one directory or glob */
#define LOGSCAN_PARALLEL_MIN (64u << 20) /* a plain log this large is read by two threads */

/* One event as the splitter hands it over; every pointer is borrowed for the callback only. */
struct log_event {
    const char *text; /* kept lines joined by '\n', NUL-terminated, at most LOGSCAN_EVENT_MAX */
    size_t len;
    uint64_t line;               /* 1-based number of its first line */
    const char *timestamp;       /* "" when the event has no recognised header */
    bool truncated;              /* lines or bytes were dropped */
    uint64_t dropped;            /* bytes not kept */
    bool error_level;            /* ERROR, SEVERE or FATAL header, or an uncaught exception */
    const char *first_exception; /* first line naming an exception type, from the type on; "" */
    const char *root_cause;      /* the last "Caused by:" line, trimmed; "" when none */
    const char *chain;           /* exception types, outermost first, joined by " < "; "" */
    const char *top_frame;       /* first application frame "pkg.Class.method"; "" when none */
};

typedef void (*logscan_event_fn)(const struct log_event *ev, void *ctx);

struct logscan_splitter;

/* A splitter calling fn(ev, ctx) for every complete event. */
struct logscan_splitter *logscan_splitter_new(logscan_event_fn fn, void *ctx);
/* Number the next line `line` + 1 (a splitter starting in the middle of a file). */
void logscan_splitter_set_line(struct logscan_splitter *sp, uint64_t line);
/* Feed the next bytes of the log; events are emitted as soon as the next one starts. */
void logscan_splitter_feed(struct logscan_splitter *sp, const char *data, size_t len);
/* Feed one record decoded from an envelope or a JSON line (envelope.h), without its final
 * '\n': its lines are split as a plain log's, except that an event whose first line has no
 * timestamp of its own takes `envelope_ts` ("" or NULL for none), the record's first line is
 * numbered `line` (0: the next number), and a `whole` record (a JSON record) is exactly one
 * event. */
void logscan_splitter_feed_record(struct logscan_splitter *sp, const char *text, size_t len,
                                  const char *envelope_ts, uint64_t line, bool whole);
/* End of input: emit the last event. The splitter may then be fed a new log. */
void logscan_splitter_finish(struct logscan_splitter *sp);
/* Counters since creation: lines, events, events truncated, lines cut at LOGSCAN_LINE_MAX. */
void logscan_splitter_counts(const struct logscan_splitter *sp, uint64_t *lines, uint64_t *events,
                             uint64_t *truncated, uint64_t *long_lines);
void logscan_splitter_free(struct logscan_splitter *sp);

/* When s[0..len) starts with a timestamp (optionally after '['), its length and its offset in
 * *start; 0 otherwise. */
size_t logscan_timestamp(const char *s, size_t len, size_t *start);

/* Copy s[0..len) into buf (size bytes) with numbers, hex numbers and hex ids masked as '#'
 * (a word of hex digits with a digit in it, 0x..., a number heading a word: "30000ms" ->
 * "#ms"; words starting with a letter such as log4j stay), control characters as spaces;
 * always NUL-terminates. */
void logscan_mask(const char *s, size_t len, char *buf, size_t size);

/* The kind a file name suggests (catalina.out -> tomcat, localhost_access_log -> access...). */
enum log_kind logscan_guess_kind(const char *path);

#define LOGSCAN_TAIL_LINES 10           /* last lines of a file kept for the report */
#define LOGSCAN_TAIL_BYTES (16u * 1024) /* read from the end of a file for its tail */
#define LOGSCAN_MARKER_MAX 240          /* bytes of a start marker line kept */

/* Does this event mark a service start (Tomcat's "Server version name:", Spring Boot's
 * "Starting ... using Java" or "Starting ... on HOST with PID")? */
bool logscan_is_start_marker(const char *text, size_t len);

/* Seconds since the epoch of a timestamp as logscan_timestamp() finds them (zone-less ones
 * in local time, like the logger wrote them); -1 when it has no date (time-only). */
int64_t logscan_epoch(const char *ts);

/* Parse --since: an ISO date-time ("2026-11-27", "2026-11-27 02:00", "...T02:00:00Z") or a
 * duration back from `now` ("90s", "30m", "2h", "7d"). -1 when it is neither. */
int logscan_parse_since(const char *text, int64_t now, int64_t *out);

struct logscan;

/* A scanner filling `report` (borrowed, must outlive it) with the rules of `rules` (borrowed). */
struct logscan *logscan_new(const struct rule_set *rules, struct log_report *report);
void logscan_free(struct logscan *ls);

/* Only events at or after `epoch` are matched (events without a date follow the last dated
 * one before them); the others are counted as skipped. */
void logscan_set_since(struct logscan *ls, int64_t epoch);
/* Only the records from each file's last start marker on are matched: "why did it fail to
 * start" is about this run, not last week's. Costs a first pass over each file. */
void logscan_set_last_start(struct logscan *ls, bool on);
/* Read every file as `format` instead of recognising each one's format from its first lines
 * (envelope.h). */
void logscan_set_format(struct logscan *ls, enum log_format format);
/* Called after every chunk read: the file and its bytes read so far. */
void logscan_set_progress(struct logscan *ls,
                          void (*fn)(void *ud, const char *path, uint64_t bytes), void *ud);

/* Scan one file (plain or gzip, detected from content). A file that cannot be read is
 * recorded in report->problems and -1 returned with err set; a read error half-way keeps the
 * events read so far. */
int logscan_file(struct logscan *ls, const char *path, enum log_kind kind, char *err);
/* Scan an in-memory log named `name` (tests, stdin). */
void logscan_buffer(struct logscan *ls, const char *name, const char *data, size_t len,
                    enum log_kind kind);
/* Scan what `spec` names: a file, a directory (its *.log*, *.out*, *.txt files except access
 * logs, not recursive, sorted) or a glob pattern; kinds are guessed from file names. Every
 * problem is recorded in the report; returns -1 with err set when the spec names nothing
 * readable. */
int logscan_add_path(struct logscan *ls, const char *spec, char *err);
/* Sort the findings: severity (critical first), then count, then file and line. */
void logscan_finish(struct logscan *ls);

#endif
