/*
 * envelope.h - read logs the way containers write them: strip the envelope a
 * log collector puts around each line (runit's svlogd TAI64N or -tt stamps,
 * kubelet's CRI files, Docker's json-file) and turn JSON-lines records (ECS,
 * Logstash, GELF, Log4j2 JsonLayout) into the text a Java logger would have
 * written:
 *
 *   <timestamp> <LEVEL> [thread] logger - message
 *   <stack trace lines>
 *
 * The decoded records go to logscan's splitter, so that headers, stack-trace
 * continuation, start markers, rules and grouping are the plain log's. The
 * envelope's time travels with each record for the events whose own first line
 * has none. CRI "P" parts and Docker partials (a "log" without its trailing
 * newline) are joined into one line, per stream: stdout and stderr stay apart.
 *
 * Memory is bounded: a physical line keeps ENVELOPE_LINE_MAX bytes, a joined
 * partial line as much (the rest is dropped). A line without the envelope (or
 * a non-JSON line in a JSON-lines file) is passed on as it is.
 */
#ifndef WRENCH_ENVELOPE_H
#define WRENCH_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logmodel.h"
#include "util.h"

#define ENVELOPE_LINE_MAX (1u << 20) /* bytes kept of one physical line or joined record */
#define ENVELOPE_DETECT_LINES 16     /* first lines looked at to recognise a format */
#define ENVELOPE_DETECT_BYTES 65536u /* bytes looked at to recognise a format */
#define ENVELOPE_TS_MAX 40           /* bytes of a decoded timestamp, NUL included */

/* The format of a log from its first bytes (at most ENVELOPE_DETECT_LINES lines of them):
 * the envelope of its first non-empty line, else JSON lines when one of those lines is a
 * JSON log record, else plain. */
enum log_format envelope_detect(const char *data, size_t len);

/* One decoded record; every pointer is borrowed for the callback only. */
struct envelope_record {
    const char *text; /* one line, or a JSON record's lines joined by '\n'; no final '\n' */
    size_t len;
    const char *timestamp; /* the envelope's (or the JSON record's) time; "" when none */
    uint64_t line;         /* 1-based line of the file where the record starts */
    bool from_stderr;      /* CRI and Docker: written to stderr */
    bool whole;            /* a JSON record: exactly one event */
    bool raw;              /* a JSON record passed on undecoded (envelope_decoder_set_skip):
                            * text is the line as written, for envelope_json_record */
};

typedef void (*envelope_record_fn)(const struct envelope_record *rec, void *ctx);

struct envelope_decoder;

/* A decoder of `format` (not LOG_FORMAT_PLAIN, whose lines need no decoding) calling
 * fn(rec, ctx) for each record. */
struct envelope_decoder *envelope_decoder_new(enum log_format format, envelope_record_fn fn,
                                              void *ctx);
/* The fast path's shortcut for JSON lines: which lines need decoding at all. Made from the
 * fast path's candidate literals; NULL when one of them has no token (see envelope.c), and
 * then every line must be decoded. */
struct envelope_json_skip;
struct envelope_json_skip *envelope_json_skip_new(const char *const *lits, const size_t *lens,
                                                  size_t n);
void envelope_json_skip_free(struct envelope_json_skip *sk);
/* From now on, a line of a JSON-lines decoder (other formats: no effect) that cannot hold
 * any of skip's literals once decoded and is certainly a JSON log record is passed on
 * undecoded (rec.raw, rec.whole). skip is borrowed. */
void envelope_decoder_set_skip(struct envelope_decoder *d, const struct envelope_json_skip *skip);
/* A decoder starting in the middle of a file: `lines` physical lines come before the first
 * byte it is fed (its records' line numbers and envelope_decoder_lines count them). */
void envelope_decoder_set_lines(struct envelope_decoder *d, uint64_t lines);
/* Feed the next bytes of the file. */
void envelope_decoder_feed(struct envelope_decoder *d, const char *data, size_t len);
/* End of input: the last line and any partial line left open are passed on. */
void envelope_decoder_finish(struct envelope_decoder *d);
/* Physical lines read so far. */
uint64_t envelope_decoder_lines(const struct envelope_decoder *d);
/* Whether a CRI "P" part or a Docker partial is waiting for the rest of its line. */
bool envelope_decoder_partial_open(const struct envelope_decoder *d);
/* Records passed on undecoded so far (envelope_decoder_set_skip). */
uint64_t envelope_decoder_undecoded(const struct envelope_decoder *d);
void envelope_decoder_free(struct envelope_decoder *d);

/* Decode one JSON log record (a line holding a JSON object with the fields of a known
 * layout) into the text a Java logger writes, appended to *out, and its time in ts
 * (ENVELOPE_TS_MAX bytes; "" when the record has none). 0 on success; -1 when the line is
 * not a JSON log record (*out and ts are then unchanged). */
int envelope_json_record(const char *line, size_t len, struct strbuf *out, char *ts);

#endif
