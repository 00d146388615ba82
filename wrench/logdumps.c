/*
 * logdumps.c - thread dumps and fatal error banners found in logs (see logdumps.h).
 */
#include "logdumps.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "envelope.h"
#include "hserr.h"
#include "logmodel.h"
#include "messages.h"
#include "svcstate.h"
#include "threaddump.h"
#include "util.h"

static const char *const needles[] = {
    "Full thread dump ",
    "Found one Java-level deadlock:",
    "A fatal error has been detected by the Java Runtime Environment",
    "There is insufficient memory for the Java Runtime Environment to continue",
    /* os_linux.cpp: "Failed to start thread \"%s\" - pthread_create failed (%s) for ..." */
    " - pthread_create failed (",
};
#define N_NEEDLES (sizeof(needles) / sizeof(needles[0]))

const char *const *logdumps_start_lines(size_t *n)
{
    *n = N_NEEDLES;
    return needles;
}
#define NEEDLE_MAX 80
#define CHUNK (1 << 20)

/* True when the file holds one of the start lines anywhere (raw bytes, any envelope). */
/* The log opened where its scan began reading: its start_offset (--last-start found the
 * last start from the end; line numbers count from there, as the scan's do), else its
 * start. NULL when it cannot be opened or positioned. */
static gzFile open_from(const struct log_file *f)
{
    gzFile gz = gzopen(f->path, "rb");
    /* gzdirect first: zlib seeks a plain file only once it knows it is plain (else it
     * would read and drop every byte up to the offset) */
    if (gz && f->start_offset &&
        (!gzdirect(gz) ||
         gzseek(gz, (z_off_t)f->start_offset, SEEK_SET) != (z_off_t)f->start_offset)) {
        gzclose(gz);
        return NULL;
    }
    return gz;
}

static bool file_has_needle(const struct log_file *f)
{
    gzFile gz = open_from(f);
    if (!gz)
        return false;
    char *buf = xmalloc(CHUNK + NEEDLE_MAX);
    size_t keep = 0;
    uint64_t total = 0;
    bool found = false;
    int n;
    while (!found && total < LOGDUMPS_FILE_MAX && (n = gzread(gz, buf + keep, CHUNK)) > 0) {
        size_t len = keep + (size_t)n;
        total += (uint64_t)n;
        for (size_t i = 0; i < N_NEEDLES && !found; i++)
            found = memmem(buf, len, needles[i], strlen(needles[i])) != NULL;
        keep = len < NEEDLE_MAX ? len : NEEDLE_MAX;
        memmove(buf, buf + len - keep, keep);
    }
    free(buf);
    gzclose(gz);
    return found;
}

enum dump_kind { DUMP_NONE, DUMP_THREADS, DUMP_FATAL };

struct found {
    enum dump_kind kind;
    uint64_t line;
    char *text;
};

struct collector {
    enum dump_kind kind;
    struct strbuf text;
    uint64_t start_line;
    size_t lines;
    size_t after_refs; /* lines since "JNI global refs" */
    struct found *found;
    size_t n_found, found_cap;
    size_t total; /* dumps seen, kept or not */
};

static void finish_dump(struct collector *c)
{
    if (c->kind == DUMP_NONE)
        return;
    c->total++;
    if (c->n_found == LOGDUMPS_PER_FILE) { /* keep the first ones and the last */
        free(c->found[c->n_found - 1].text);
        c->n_found--;
    }
    c->found = xgrow(c->found, &c->found_cap, c->n_found + 1, sizeof(*c->found));
    c->found[c->n_found++] =
        (struct found){c->kind, c->start_line, c->text.data ? strbuf_take(&c->text) : xstrdup("")};
    strbuf_free(&c->text);
    c->kind = DUMP_NONE;
}

/* The start of a dump or banner in a line, "# " and log prefixes allowed before it. */
static enum dump_kind start_of(const char *line, size_t len)
{
    for (size_t i = 0; i < N_NEEDLES; i++) {
        const char *at = memmem(line, len, needles[i], strlen(needles[i]));
        if (at)
            return i < 2 ? DUMP_THREADS : DUMP_FATAL;
    }
    return DUMP_NONE;
}

static bool ends_dump(struct collector *c, const char *line, size_t len)
{
    if (c->lines >= LOGDUMPS_LINES_MAX || c->text.len >= LOGDUMPS_BYTES_MAX)
        return true;
    if (c->kind == DUMP_FATAL) /* the banner is some 20 lines; its end has no marker */
        return c->lines > 60;
    if (len >= 4 && memcmp(line, "Heap", 4) == 0)
        return true; /* kill -3 prints the heap after the threads and deadlocks */
    if (len >= 6 && memcmp(line, "Found ", 6) == 0 && memmem(line, len, " deadlock", 9) &&
        line[len - 1] == '.')
        return true;
    return c->after_refs > 500;
}

static void on_line(struct collector *c, const char *line, size_t len, uint64_t number)
{
    enum dump_kind start = start_of(line, len);
    /* "Found one Java-level deadlock" inside a dump belongs to it */
    if (start != DUMP_NONE && !(c->kind == DUMP_THREADS && start == DUMP_THREADS &&
                                memmem(line, len, "Found one Java-level deadlock:", 30))) {
        finish_dump(c);
        c->kind = start;
        c->start_line = number;
        c->lines = 0;
        c->after_refs = 0;
    }
    if (c->kind == DUMP_NONE)
        return;
    /* from the start marker on: a log prefix before it ("[main] ") is not the dump's */
    const char *at = line;
    if (c->lines == 0)
        for (size_t i = 0; i < N_NEEDLES; i++) {
            const char *m = memmem(line, len, needles[i], strlen(needles[i]));
            if (m) {
                at = m;
                break;
            }
        }
    strbuf_append(&c->text, at, len - (size_t)(at - line));
    strbuf_append(&c->text, "\n", 1);
    c->lines++;
    if (len >= 14 && memcmp(line, "JNI global ref", 14) == 0)
        c->after_refs = 1;
    else if (c->after_refs)
        c->after_refs++;
    if (ends_dump(c, line, len))
        finish_dump(c);
}

static void on_record(const struct envelope_record *rec, void *ctx)
{
    struct collector *c = ctx;
    const char *p = rec->text, *end = rec->text + rec->len;
    uint64_t n = rec->line;
    while (p <= end) { /* a JSON record may hold several lines */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        on_line(c, p, (size_t)(le - p), n);
        if (!nl)
            break;
        p = nl + 1;
    }
}

static void read_file(const struct log_file *f, struct collector *c)
{
    gzFile gz = open_from(f);
    if (!gz)
        return;
    struct envelope_decoder *dec =
        f->format != LOG_FORMAT_PLAIN ? envelope_decoder_new(f->format, on_record, c) : NULL;
    char *buf = xmalloc(CHUNK);
    struct strbuf pending = {0};
    uint64_t line = 0, total = 0;
    int n;
    while (total < LOGDUMPS_FILE_MAX && (n = gzread(gz, buf, CHUNK)) > 0) {
        total += (uint64_t)n;
        if (dec) {
            envelope_decoder_feed(dec, buf, (size_t)n);
            continue;
        }
        const char *p = buf, *end = buf + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) {
                if (pending.len < ENVELOPE_LINE_MAX)
                    strbuf_append(&pending, p, (size_t)(end - p));
                break;
            }
            strbuf_append(&pending, p, (size_t)(nl - p));
            size_t len = pending.len;
            if (len && pending.data[len - 1] == '\r')
                len--;
            on_line(c, pending.data ? pending.data : "", len, ++line);
            pending.len = 0;
            p = nl + 1;
        }
    }
    if (dec) {
        envelope_decoder_finish(dec);
        envelope_decoder_free(dec);
    } else if (pending.len) {
        on_line(c, pending.data, pending.len, ++line);
    }
    finish_dump(c);
    strbuf_free(&pending);
    free(buf);
    gzclose(gz);
}

/* --- findings and states --- */

static struct service_state *state_of_log(struct scan *scan, const char *path)
{
    const struct discovery *d = scan->discovery;
    for (size_t i = 0; d && i < d->n_services && i < scan->n_states; i++)
        for (size_t k = 0; k < d->services[i].n_logs; k++)
            if (strcmp(d->services[i].logs[k], path) == 0)
                return &scan->states[i];
    return scan->n_states == 1 ? &scan->states[0] : NULL;
}

/* The line of the service's last start when it is in `path` after `line`: what the log
 * holds there is an earlier run's (last week's crash, a dump of a JVM since restarted),
 * history rather than the state now. 0 otherwise. */
static uint64_t later_start_line(const struct service_state *st, const char *path, uint64_t line)
{
    if (!st || st->n_starts == 0)
        return 0;
    const struct svc_start *last = &st->starts[st->n_starts - 1];
    return strcmp(last->file, path) == 0 && last->line > line ? last->line : 0;
}

/* An environment finding whose title and detail are messages, in English and Chinese. */
static void add_env_finding(struct scan *scan, enum severity sev, const char *id, enum msg_id title,
                            enum msg_id detail, const struct msg_arg *args)
{
    char *t = msg_render(title, LANG_EN, args), *t_zh = msg_render(title, LANG_ZH, args);
    char *d = msg_render(detail, LANG_EN, args), *d_zh = msg_render(detail, LANG_ZH, args);
    env_finding_set_zh(scan_add_env_finding(scan, sev, id, t, d), t_zh, d_zh);
    free(t);
    free(t_zh);
    free(d);
    free(d_zh);
}

static void threads_found(struct scan *scan, const char *path, struct found *fd, size_t count)
{
    struct thread_dump *dump;
    if (threaddump_parse(fd->text, strlen(fd->text), &dump) != 0)
        return;
    char *summary = threaddump_summary(dump);
    char *summary_zh = threaddump_summary_lang(dump, LANG_ZH);
    struct service_state *st = state_of_log(scan, path);
    uint64_t start_line = later_start_line(st, path, fd->line);
    if (start_line) { /* a JVM since restarted: its threads say nothing of this one */
        service_state_evidence(st, MSG_EV_EARLIER_DUMP, MSG_S("path", path),
                               MSG_N("line", fd->line), MSG_B("summary", summary, summary_zh),
                               MSG_N("start", start_line));
        threaddump_free(dump);
        free(summary);
        free(summary_zh);
        return;
    }
    const struct msg_arg *args = MSG_ARGS(MSG_B("summary", summary, summary_zh),
                                          MSG_S("path", path), MSG_N("line", fd->line));
    add_env_finding(scan, dump->n_deadlocks ? SEV_ERROR : SEV_INFO,
                    dump->n_deadlocks ? "log.deadlock" : "log.thread-dump",
                    dump->n_deadlocks ? MSG_DUMP_DEADLOCK : MSG_DUMP_THREADS,
                    count > 1 ? MSG_DUMP_WHERE_LAST : MSG_DUMP_WHERE, args);
    if (st && !st->dump) {
        service_state_set_dump_status(
            st, MSG_DUMP_STATUS_IN_LOG,
            MSG_ARGS(MSG_S("path", path), MSG_N("line", fd->line), MSG_N("n", dump->n_threads)));
        free(st->dump_text);
        st->dump_text = fd->text;
        fd->text = NULL;
        st->dump = dump;
        st->dump_summary = xstrdup(summary);
        st->dump_summary_zh = xstrdup(summary_zh);
        dump = NULL;
    }
    threaddump_free(dump);
    free(summary);
    free(summary_zh);
}

static void fatal_found(struct scan *scan, const char *path, struct found *fd)
{
    struct hs_err *e;
    if (hserr_parse(fd->text, strlen(fd->text), &e) != 0)
        return;
    char *summary = hserr_summary(e);
    char *summary_zh = hserr_summary_lang(e, LANG_ZH);
    struct service_state *st = state_of_log(scan, path);
    uint64_t start_line = later_start_line(st, path, fd->line);
    if (start_line) {
        service_state_evidence(st, MSG_EV_EARLIER_BANNER, MSG_S("path", path),
                               MSG_N("line", fd->line), MSG_B("summary", summary, summary_zh),
                               MSG_N("start", start_line));
    } else if (st && st->hs_err) { /* its hs_err file was read: the banner is evidence only */
        service_state_evidence(st, MSG_EV_LOG_BANNER, MSG_S("path", path), MSG_N("line", fd->line));
    } else {
        const struct msg_arg *args = MSG_ARGS(
            MSG_B("summary", summary, summary_zh), MSG_S("path", path), MSG_N("line", fd->line),
            MSG_S("report", e->report_path ? e->report_path : ""));
        add_env_finding(scan, SEV_CRITICAL, e->native_oom ? "log.native-oom" : "log.fatal-error",
                        e->native_oom ? MSG_BANNER_NATIVE_OOM : MSG_BANNER_FATAL,
                        e->report_path ? MSG_BANNER_WHERE_REPORT : MSG_BANNER_WHERE, args);
    }
    if (st && !st->hs_err && !start_line) {
        st->hs_err = e;
        e = NULL;
        if (!st->hs_err_path && st->hs_err->report_path)
            st->hs_err_path = xstrdup(st->hs_err->report_path);
        service_state_evidence(st, MSG_EV_LOG_BANNER, MSG_S("path", path), MSG_N("line", fd->line));
        if (st->state == RUN_DOWN) {
            st->state = RUN_CRASHED;
            const struct msg_arg *why =
                MSG_ARGS(MSG_B("summary", summary, summary_zh), MSG_S("path", path));
            free(st->reason);
            free(st->reason_zh);
            st->reason = msg_render(MSG_REASON_FATAL_BANNER, LANG_EN, why);
            st->reason_zh = msg_render(MSG_REASON_FATAL_BANNER, LANG_ZH, why);
        }
    }
    hserr_free(e);
    free(summary);
    free(summary_zh);
}

void logdumps_scan(struct scan *scan)
{
    for (size_t i = 0; scan->logs && i < scan->logs->n_files; i++) {
        const struct log_file *f = &scan->logs->files[i];
        if (f->kind == LOG_KIND_ACCESS || f->dump_lines == LOG_DUMPS_NONE || !file_has_needle(f))
            continue;
        struct collector c = {0};
        read_file(f, &c);
        /* the last dump of each kind says most about the current state */
        struct found *last_threads = NULL, *last_fatal = NULL;
        size_t n_threads = 0;
        for (size_t k = 0; k < c.n_found; k++) {
            if (c.found[k].kind == DUMP_THREADS) {
                last_threads = &c.found[k];
                n_threads++;
            } else {
                last_fatal = &c.found[k];
            }
        }
        if (last_threads)
            threads_found(scan, f->path, last_threads, n_threads);
        if (last_fatal)
            fatal_found(scan, f->path, last_fatal);
        for (size_t k = 0; k < c.n_found; k++)
            free(c.found[k].text);
        free(c.found);
        strbuf_free(&c.text);
    }
}
