/*
 * logsplit.h - the event splitter (part of the log scanner, logscan.h): a log's bytes ->
 * lines -> events, each with its timestamp, error level, exception chain, root cause and
 * top application frame; and the start markers of a service.
 *
 * A new event starts at a line that begins with a timestamp (logtime.h); or at a line printed
 * outside any logger: "SLF4J...", "log4j:...", "Exception in thread ...",
 * "ERROR StatusLogger ...", the java launcher's "Error: ..." lines and option errors
 * ("Unrecognized VM option", "Invalid maximum heap size"...), the JVM's
 * "# A fatal error has been detected..." (consecutive SLF4J or log4j: lines
 * form one event).
 * Any other line continues the current event.
 */
#ifndef WRENCH_LOGSPLIT_H
#define WRENCH_LOGSPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* The fast path: lines are classified first, and only an event holding one of the literals
 * of `mm` (borrowed; NULL turns the fast path off) is split and handed to the callback;
 * any other is counted and skip_fn (may be NULL) told its first line and its time (the
 * event's timestamp as the callback would get it, "" when none). The caller's literals must
 * be such that its callback ignores every event holding none of them (or its probe wants it
 * split). Plain feeds and records (feed_record) alike. */
struct multimatch;
typedef void (*logscan_skip_fn)(uint64_t line, const char *timestamp, void *ctx);
void logscan_splitter_set_fast(struct logscan_splitter *sp, const struct multimatch *mm,
                               logscan_skip_fn skip_fn);
/* The fast path's second chance: an event without a candidate is split and handed over
 * when probe(text, len, ctx) says so (text its lines joined by '\n', as the callback would
 * get them; not NUL-terminated). NULL (the default): never. */
typedef bool (*logscan_probe_fn)(const char *text, size_t len, void *ctx);
void logscan_splitter_set_probe(struct logscan_splitter *sp, logscan_probe_fn probe);
/* Literals of the fast path's matcher from id first_id on are notices: their lines are
 * candidates like the others, and logscan_splitter_notice tells whether one was seen since
 * logscan_splitter_notice_reset: 1 yes, 0 no, -1 unknown (the fast path is off, or bytes
 * reached the full path without the candidate search: over-long lines, bytes after one). */
void logscan_splitter_set_notice(struct logscan_splitter *sp, size_t first_id);
int logscan_splitter_notice(const struct logscan_splitter *sp);
void logscan_splitter_notice_reset(struct logscan_splitter *sp);
/* Feed the next bytes of the log; events are emitted as soon as the next one starts. */
void logscan_splitter_feed(struct logscan_splitter *sp, const char *data, size_t len);
/* Feed one record decoded from an envelope or a JSON line (envelope.h), without its final
 * '\n': its lines are split as a plain log's, except that an event whose first line has no
 * timestamp of its own takes `envelope_ts` ("" or NULL for none), the record's first line is
 * numbered `line` (0: the next number), and a `whole` record (a JSON record) is exactly one
 * event. */
void logscan_splitter_feed_record(struct logscan_splitter *sp, const char *text, size_t len,
                                  const char *envelope_ts, uint64_t line, bool whole);
/* Hand over every event the records fed so far have ended (the fast path classifies records
 * a chunk at a time): a caller feeding two splitters (stdout and stderr) syncs one before
 * feeding the other, so that their events reach the callbacks in the order they would
 * without the fast path. */
void logscan_splitter_sync(struct logscan_splitter *sp);
/* A JSON-lines record passed on undecoded (envelope.h, rec.raw): the line as written, its
 * number. It is decoded (envelope_json_record) only when its event is split; without the
 * fast path, at once. */
void logscan_splitter_feed_raw_record(struct logscan_splitter *sp, const char *line, size_t len,
                                      uint64_t line_no);
/* End of input: emit the last event. The splitter may then be fed a new log. */
void logscan_splitter_finish(struct logscan_splitter *sp);
/* Counters since creation: lines, events, events truncated, lines cut at LOGSCAN_LINE_MAX. */
void logscan_splitter_counts(const struct logscan_splitter *sp, uint64_t *lines, uint64_t *events,
                             uint64_t *truncated, uint64_t *long_lines);
/* Events since creation that the fast path counted without splitting them. */
uint64_t logscan_splitter_unsplit(const struct logscan_splitter *sp);
void logscan_splitter_free(struct logscan_splitter *sp);

/* Does this event mark a service start (Tomcat's "Server version name:", Spring Boot's
 * "Starting ... using Java" or "Starting ... on HOST with PID")? */
bool logscan_is_start_marker(const char *text, size_t len);

#endif
