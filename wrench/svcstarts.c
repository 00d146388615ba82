/*
 * svcstarts.c - the starts a service's log records (see svcstarts.h).
 */
#include "svcstarts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "envelope.h"
#include "incident.h"
#include "logscan.h"
#include "logsplit.h"
#include "logtime.h"
#include "util.h"

#define CHUNK (1 << 20)
#define FILE_MAX (2ULL << 30) /* bytes read of one log, as startmark.c */
#define LINE_KEEP (64 * 1024) /* bytes of a line looked at */

struct reader {
    const char *path;
    uint64_t after;
    struct start_list *out;
    struct startmark *mark;
    int64_t last_ms; /* the time of the latest line that had one */
    struct logscan_epoch_cache epochs;
};

void svc_start_clear(struct svc_start *s)
{
    free(s->file);
    memset(s, 0, sizeof(*s));
}

void start_list_clear(struct start_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        svc_start_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

/* incident_timestamp_ms(ts) with its seconds from the reader's epoch cache: every line's time
 * is read, and logscan_epoch's mktime looked at /etc/localtime each time (about 1 us a
 * line). */
static int64_t timestamp_ms(struct reader *r, const char *ts)
{
    if (!ts || !*ts)
        return -1;
    int64_t secs = logscan_epoch_cached(&r->epochs, ts);
    if (secs < 0)
        return -1;
    return secs * 1000 + logscan_fraction_ms(ts);
}

/* The time a line starts with, else the envelope's; -1 when neither has a date. */
static int64_t line_time(struct reader *r, const char *text, size_t len, const char *envelope_ts)
{
    size_t start = 0;
    size_t n = logscan_timestamp(text, len, &start);
    if (n && n < LOGSCAN_TS_MAX) {
        char ts[LOGSCAN_TS_MAX];
        memcpy(ts, text + start, n);
        ts[n] = '\0';
        int64_t ms = timestamp_ms(r, ts);
        if (ms >= 0)
            return ms;
    }
    return envelope_ts && envelope_ts[0] ? timestamp_ms(r, envelope_ts) : -1;
}

static void add_start(struct reader *r, int64_t at_ms, uint64_t line)
{
    struct start_list *l = r->out;
    l->total++;
    if (l->n == SVCSTATE_STARTS_MAX) { /* keep the newest */
        svc_start_clear(&l->items[0]);
        memmove(&l->items[0], &l->items[1], (l->n - 1) * sizeof(*l->items));
        l->n--;
    }
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof(*l->items));
    l->items[l->n++] = (struct svc_start){at_ms, xstrdup(r->path), line, false, -1, 0};
}

static void finished(struct reader *r, const char *text, size_t len, int64_t at_ms, uint64_t line)
{
    uint64_t ms = 0;
    bool took = startmark_duration_ms(text, len, &ms);
    if (took) {
        r->mark->n_durations++;
        if (ms > r->mark->max_ms)
            r->mark->max_ms = ms;
    }
    if (line > r->after) {
        r->mark->finished = true;
        r->mark->line = line;
        snprintf(r->mark->text, STARTMARK_TEXT_MAX, "%.*s", (int)len, text);
    }
    struct svc_start *last = r->out->n ? &r->out->items[r->out->n - 1] : NULL;
    if (last && !last->finished && line > last->line) {
        last->finished = true;
        last->finished_ms = at_ms;
        last->took_ms = took ? ms : 0;
    }
}

static void on_line(struct reader *r, const char *text, size_t len, const char *envelope_ts,
                    uint64_t line)
{
    int64_t t = line_time(r, text, len, envelope_ts);
    if (t >= 0)
        r->last_ms = t;
    /* a Tomcat 7 record's second line ("INFO: Server version: ...") has the first's time */
    if (logscan_is_start_marker(text, len))
        add_start(r, r->last_ms, line);
    else if (startmark_is_finished(text, len))
        finished(r, text, len, r->last_ms, line);
}

static void on_record(const struct envelope_record *rec, void *ctx)
{
    struct reader *r = ctx;
    /* a JSON record may hold several lines: the first carries the marker */
    const char *nl = memchr(rec->text, '\n', rec->len);
    size_t len = nl ? (size_t)(nl - rec->text) : rec->len;
    on_line(r, rec->text, len < LINE_KEEP ? len : LINE_KEEP, rec->timestamp, rec->line);
}

/* Plain lines: split here, each capped at LINE_KEEP bytes. */
struct plain {
    struct strbuf cur;
    uint64_t number;
};

static void feed_plain(struct reader *r, struct plain *p, const char *buf, size_t n, bool end)
{
    const char *s = buf, *stop = buf + n;
    while (s < stop) {
        const char *nl = memchr(s, '\n', (size_t)(stop - s));
        const char *le = nl ? nl : stop;
        if (p->cur.len < LINE_KEEP)
            strbuf_append(&p->cur, s,
                          (size_t)(le - s) < LINE_KEEP - p->cur.len ? (size_t)(le - s)
                                                                    : LINE_KEEP - p->cur.len);
        if (!nl)
            break;
        p->number++;
        size_t len =
            p->cur.len && p->cur.data[p->cur.len - 1] == '\r' ? p->cur.len - 1 : p->cur.len;
        if (len)
            on_line(r, p->cur.data, len, NULL, p->number);
        p->cur.len = 0;
        s = nl + 1;
    }
    if (end && p->cur.len) {
        p->number++;
        on_line(r, p->cur.data, p->cur.len, NULL, p->number);
        p->cur.len = 0;
    }
}

/* One log's bytes as they come: the format from the first chunk, then lines or records. */
struct scanner {
    struct reader r;
    struct plain plain;
    struct envelope_decoder *dec;
    bool first;
};

static void scanner_feed(struct scanner *s, const char *data, size_t n)
{
    if (s->first) {
        enum log_format format = envelope_detect(data, n);
        if (format != LOG_FORMAT_PLAIN)
            s->dec = envelope_decoder_new(format, on_record, &s->r);
        s->first = false;
    }
    if (s->dec)
        envelope_decoder_feed(s->dec, data, n);
    else
        feed_plain(&s->r, &s->plain, data, n, false);
}

static void scanner_finish(struct scanner *s)
{
    if (s->dec) {
        envelope_decoder_finish(s->dec);
        envelope_decoder_free(s->dec);
    } else {
        feed_plain(&s->r, &s->plain, "", 0, true);
    }
    strbuf_free(&s->plain.cur);
}

static void scanner_init(struct scanner *s, const char *path, uint64_t after,
                         struct start_list *out, struct startmark *mark)
{
    memset(out, 0, sizeof(*out));
    memset(mark, 0, sizeof(*mark));
    memset(s, 0, sizeof(*s));
    s->r.path = path; /* the rest zero, the epoch cache included */
    s->r.after = after;
    s->r.out = out;
    s->r.mark = mark;
    s->r.last_ms = -1;
    s->first = true;
}

void svcstarts_scan_buffer(const char *path, const char *data, size_t len, uint64_t after,
                           struct start_list *out, struct startmark *mark)
{
    struct scanner s;
    scanner_init(&s, path, after, out, mark);
    if (len)
        scanner_feed(&s, data, len);
    scanner_finish(&s);
}

int svcstarts_scan(const char *path, uint64_t after, struct start_list *out, struct startmark *mark)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return -1;
    struct scanner s;
    scanner_init(&s, path, after, out, mark);
    char *buf = xmalloc(CHUNK);
    uint64_t total = 0;
    int n;
    while (total < FILE_MAX && (n = gzread(gz, buf, CHUNK)) > 0) {
        total += (uint64_t)n;
        scanner_feed(&s, buf, (size_t)n);
    }
    scanner_finish(&s);
    free(buf);
    gzclose(gz);
    return 0;
}
