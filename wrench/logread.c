/*
 * logread.c - reading log files: opening a plain or gzip file, envelopes and JSON lines on
 * the way to the splitters, a file's tail, a binary or NUL-laden file noted, the
 * --last-start first pass, the two-thread reading of a large log (any format),
 * directories (svlogd's included) and glob patterns. See logread.h.
 */
#include "logread.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include "envelope.h"
#include "logscan.h"
#include "logscan_internal.h"
#include "messages.h"
#include "multimatch.h"
#include "util.h"

enum log_kind logscan_guess_kind(const char *path)
{
    const char *name = path_basename(path);
    if (str_has_prefix(name, "localhost_access_log") || strstr(name, "access_log") ||
        strstr(name, "access.log"))
        return LOG_KIND_ACCESS;
    if (str_has_prefix(name, "catalina.") || str_has_prefix(name, "localhost.") ||
        str_has_prefix(name, "manager.") || str_has_prefix(name, "host-manager.") ||
        str_has_prefix(name, "tomcat"))
        return LOG_KIND_TOMCAT;
    return LOG_KIND_APP;
}

static struct log_file *begin_file(struct logscan *ls, const char *path, enum log_kind kind)
{
    struct log_report *rep = ls->report;
    rep->files = xgrow(rep->files, &rep->files_cap, rep->n_files + 1, sizeof(struct log_file));
    struct log_file *lf = &rep->files[rep->n_files++];
    memset(lf, 0, sizeof(*lf));
    lf->path = xstrdup(path);
    lf->kind = kind;
    ls->path = lf->path;
    ls->file_index = rep->n_files - 1;
    ls->occ_file = ls->file_index;
    ls->kind = kind;
    ls->before_since = false;
    ls->unsplit_mark = logscan_splitter_unsplit(ls->sp);
    logscan_splitter_notice_reset(ls->sp);
    logscan_splitter_notice_reset(ls->sp_err);
    ls->extra_notice = 0;
    memset(ls->limit_reported, 0, (ls->rules->n_rules + 1) * sizeof(bool));
    return lf;
}

/* Close the file's events and store its counters (the splitter counts across files). */
static void end_file(struct logscan *ls, size_t file_index, const uint64_t before[4])
{
    logscan_splitter_finish(ls->sp);
    uint64_t now[4];
    logscan_splitter_counts(ls->sp, &now[0], &now[1], &now[2], &now[3]);
    struct log_file *lf = &ls->report->files[file_index];
    lf->lines = now[0] - before[0] + ls->extra_lines;
    lf->events = now[1] - before[1] + ls->extra_events;
    lf->truncated_events = now[2] - before[2] + ls->extra_truncated;
    lf->long_lines = now[3] - before[3] + ls->extra_long_lines;
    if (ls->fast_stats) {
        uint64_t unsplit = logscan_splitter_unsplit(ls->sp) - ls->unsplit_mark + ls->extra_unsplit;
        fprintf(stderr,
                "wrench: log fast path %s: %s: %llu events, %llu not split, %llu records not "
                "decoded, %d halves merged\n",
                ls->mm ? multimatch_engine_name(ls->mm) : "off", ls->path,
                (unsigned long long)lf->events, (unsigned long long)unsplit,
                (unsigned long long)ls->undecoded, ls->halves_merged ? 2 : 0);
    }
    /* logdumps' start lines, as the candidate search saw them (both halves of the file) */
    int notice = logscan_splitter_notice(ls->sp), err = logscan_splitter_notice(ls->sp_err);
    if (notice >= 0 && err >= 0 && ls->extra_notice >= 0) /* stderr's records count too */
        lf->dump_lines = notice || err || ls->extra_notice ? LOG_DUMPS_SEEN : LOG_DUMPS_NONE;
    ls->extra_lines = ls->extra_events = ls->extra_truncated = ls->extra_long_lines = 0;
    ls->extra_unsplit = 0;
    ls->undecoded = 0;
    ls->halves_merged = false;
    ls->path = NULL;
}

/* ---- envelopes: how a file's bytes reach the splitters ----
 *
 * A plain file's bytes go to the splitter as they are. An envelope or JSON-lines file goes
 * through an envelope decoder, whose records go to the splitter of their stream (stderr of
 * CRI and Docker files to a second one, so that interleaved stdout lines never cut a stack
 * trace). Line numbers are the file's; a file's `lines` are its physical lines. */

struct file_feed {
    struct logscan_splitter *out, *err;
    struct logscan_splitter *last; /* the splitter fed last */
    struct envelope_decoder *dec;  /* NULL for a plain file */
    enum log_format format;
    uint64_t from_stderr; /* records of stderr passed on */
};

static void feed_decoded(const struct envelope_record *rec, void *ctx)
{
    struct file_feed *ff = ctx;
    struct logscan_splitter *to = rec->from_stderr ? ff->err : ff->out;
    ff->from_stderr += rec->from_stderr;
    if (to != ff->last) { /* the other stream's events come first, as they were written */
        if (ff->last)
            logscan_splitter_sync(ff->last);
        ff->last = to;
    }
    if (rec->raw)
        logscan_splitter_feed_raw_record(to, rec->text, rec->len, rec->line);
    else
        logscan_splitter_feed_record(to, rec->text, rec->len, rec->timestamp, rec->line,
                                     rec->whole);
}

/* ff must stay where it is until file_feed_close: the decoder points at it. */
static void file_feed_open(struct file_feed *ff, enum log_format format,
                           struct logscan_splitter *out, struct logscan_splitter *err)
{
    ff->out = out;
    ff->err = err;
    ff->last = NULL;
    ff->from_stderr = 0;
    ff->format = format;
    ff->dec = format == LOG_FORMAT_PLAIN ? NULL : envelope_decoder_new(format, feed_decoded, ff);
}

/* The main scan's JSON-lines decoder skips decoding the lines no candidate can be in: not
 * under --since (every record's time counts) nor with a rule the probe runs (it reads the
 * decoded text). */
static void file_feed_skip(struct file_feed *ff, struct logscan *ls)
{
    if (!ff->dec || ff->format != LOG_FORMAT_JSON || !ls->mm || ls->has_since ||
        ls->n_slow_rules > 0)
        return;
    const struct envelope_json_skip *skip = logscan_json_skip(ls);
    if (skip)
        envelope_decoder_set_skip(ff->dec, skip);
}

static void file_feed(struct file_feed *ff, const char *data, size_t len)
{
    if (ff->dec)
        envelope_decoder_feed(ff->dec, data, len);
    else
        logscan_splitter_feed(ff->out, data, len);
}

/* Flush what the decoder holds; the physical lines it read (0 for a plain file). */
static uint64_t file_feed_close(struct file_feed *ff, uint64_t *undecoded)
{
    if (!ff->dec)
        return 0;
    envelope_decoder_finish(ff->dec);
    uint64_t lines = envelope_decoder_lines(ff->dec);
    if (undecoded)
        *undecoded += envelope_decoder_undecoded(ff->dec);
    envelope_decoder_free(ff->dec);
    ff->dec = NULL;
    return lines;
}

static enum log_format format_of(const struct logscan *ls, const char *head, size_t len)
{
    return ls->format_forced ? ls->format : envelope_detect(head, len);
}

/* After an envelope file: the stderr splitter's last event and counts join the file's. */
static void end_stderr(struct logscan *ls, const uint64_t before[4])
{
    logscan_splitter_sync(ls->sp); /* stdout's ended events come before stderr's last */
    logscan_splitter_finish(ls->sp_err);
    uint64_t now[4];
    logscan_splitter_counts(ls->sp_err, &now[0], &now[1], &now[2], &now[3]);
    ls->extra_lines += now[0] - before[0];
    ls->extra_events += now[1] - before[1];
    ls->extra_truncated += now[2] - before[2];
    ls->extra_long_lines += now[3] - before[3];
}

void logscan_buffer(struct logscan *ls, const char *name, const char *data, size_t len,
                    enum log_kind kind)
{
    uint64_t before[4], before_err[4];
    logscan_splitter_counts(ls->sp, &before[0], &before[1], &before[2], &before[3]);
    logscan_splitter_counts(ls->sp_err, &before_err[0], &before_err[1], &before_err[2],
                            &before_err[3]);
    struct log_file *lf = begin_file(ls, name, kind);
    size_t index = (size_t)(lf - ls->report->files);
    lf->bytes = len;
    lf->complete = true;
    lf->format = format_of(ls, data, len);
    struct file_feed ff;
    file_feed_open(&ff, lf->format, ls->sp, ls->sp_err);
    file_feed_skip(&ff, ls);
    file_feed(&ff, data, len);
    uint64_t physical = file_feed_close(&ff, &ls->undecoded);
    end_stderr(ls, before_err);
    end_file(ls, index, before);
    if (ls->report->files[index].format != LOG_FORMAT_PLAIN)
        ls->report->files[index].lines = physical;
}

/* What a file holds besides text: NUL bytes (read as spaces) and control bytes, which
 * make a file that is not a log at all. */
struct content_check {
    uint64_t nul_bytes;
    uint64_t sampled;
    uint64_t control_bytes;
};

#define CONTENT_SAMPLE_BYTES (64u * 1024)
#define CONTENT_BINARY_PERCENT 10

/* A problem reading a log, in both languages (messages.h); its English also goes to `err`
 * when there is one. */
static void problem_args(struct logscan *ls, enum severity sev, const char *path, char *err,
                         enum msg_id id, const struct msg_arg *args)
{
    char *en = msg_render(id, LANG_EN, args);
    char *zh = msg_render(id, LANG_ZH, args);
    if (err)
        err_set(err, "%s", en);
    log_report_add_problem_zh(ls->report, sev, path, en, zh);
    free(en);
    free(zh);
}
#define log_problem(ls, sev, path, err, id, ...)                                                   \
    problem_args((ls), (sev), (path), (err), (id), MSG_ARGS(__VA_ARGS__))

/* The system's error text for errno `e` as an argument: the Chinese of the one a missing log
 * gives (the rest are quoted as the system words them). */
static struct msg_arg errno_arg(int e)
{
    return MSG_B("detail", strerror(e),
                 e == ENOENT ? msg_template(MSG_PROBLEM_MISSING, LANG_ZH) : NULL);
}

static void check_content(struct content_check *c, const char *buf, size_t len)
{
    for (const char *p = buf, *end = buf + len; (p = memchr(p, '\0', (size_t)(end - p))); p++)
        c->nul_bytes++;
    for (size_t i = 0; i < len && c->sampled < CONTENT_SAMPLE_BYTES; i++, c->sampled++) {
        unsigned char b = (unsigned char)buf[i];
        if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v' && b != 0x1B)
            c->control_bytes++;
    }
}

static void note_content(struct logscan *ls, const char *path, const struct content_check *c)
{
    if (c->sampled && c->control_bytes * 100 >= c->sampled * CONTENT_BINARY_PERCENT)
        log_problem(ls, SEV_WARNING, path, NULL, MSG_LOG_PROBLEM_BINARY, MSG_S("path", path),
                    MSG_N("n", c->control_bytes), MSG_N("total", c->sampled));
    else if (c->nul_bytes)
        log_problem(ls, SEV_INFO, path, NULL, MSG_LOG_PROBLEM_NUL_BYTES, MSG_S("path", path),
                    MSG_N("n", c->nul_bytes));
}

/* Pass one of --last-start: the line of the last start marker (0 when none), found by the
 * splitter alone so that markers are recognised exactly as in pass two; then rewind. */
struct marker_pass {
    uint64_t line;
};

static void on_marker_event(const struct log_event *ev, void *ctx)
{
    struct marker_pass *mp = ctx;
    /* the stdout and stderr splitters of an envelope file hand events over out of order */
    if (logscan_is_start_marker(ev->text, ev->len) && ev->line > mp->line)
        mp->line = ev->line;
}

static uint64_t find_last_start(gzFile gz, enum log_format format)
{
    struct marker_pass mp = {0};
    struct logscan_splitter *sp = logscan_splitter_new(on_marker_event, &mp);
    struct logscan_splitter *sp_err = logscan_splitter_new(on_marker_event, &mp);
    /* only events holding what a start marker needs are split (logscan_is_start_marker) */
    static const char *const marker_literals[] = {"Server version", " using Java ", " with PID "};
    static const size_t marker_lens[] = {14, 12, 10};
    const char *fast = getenv("WRENCH_LOG_FASTPATH");
    char err[128];
    struct multimatch *mm =
        fast && strcmp(fast, "0") == 0
            ? NULL
            : multimatch_new(marker_literals, marker_lens, 3, MULTIMATCH_BEST, err, sizeof(err));
    logscan_splitter_set_fast(sp, mm, NULL);
    struct file_feed ff;
    file_feed_open(&ff, format, sp, sp_err);
    char *buf = xmalloc(LOGSCAN_CHUNK);
    int got;
    while ((got = gzread(gz, buf, LOGSCAN_CHUNK)) > 0)
        file_feed(&ff, buf, (size_t)got);
    file_feed_close(&ff, NULL);
    logscan_splitter_finish(sp);
    logscan_splitter_finish(sp_err);
    logscan_splitter_free(sp);
    logscan_splitter_free(sp_err);
    multimatch_free(mm);
    free(buf);
    gzrewind(gz);
    return mp.line;
}

/* The next chunk of a file: the `pending` bytes already in buf first, then gzread. The
 * chunks after the first are READ_CHUNK bytes: zlib reads (or inflates) a request of twice
 * its buffer (LOGSCAN_CHUNK, gzbuffer) straight into ours, and copies a smaller one through
 * its own, every byte once more. */
#define READ_CHUNK (2 * LOGSCAN_CHUNK)

static int next_chunk(gzFile gz, char *buf, size_t *pending)
{
    if (*pending) {
        int got = (int)*pending;
        *pending = 0;
        return got;
    }
    return gzread(gz, buf, READ_CHUNK);
}

/* The last lines of a plain file, so that "it died at startup" shows at once. Read from the
 * file that was scanned (the descriptor opened with it), not whatever now has its name. */
static void read_tail(int fd, struct log_file *lf, size_t line_max)
{
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return;
    }
    char *buf = xmalloc(LOGSCAN_TAIL_BYTES + 1);
    long start = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        start = size > (long)LOGSCAN_TAIL_BYTES ? size - (long)LOGSCAN_TAIL_BYTES : 0;
    }
    size_t n = fseek(f, start, SEEK_SET) == 0 ? fread(buf, 1, LOGSCAN_TAIL_BYTES, f) : 0;
    fclose(f);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    size_t begin = n, lines = 0;
    while (begin > 0 && lines < LOGSCAN_TAIL_LINES) {
        begin--;
        if (buf[begin] == '\n' && ++lines == LOGSCAN_TAIL_LINES) {
            begin++;
            break;
        }
    }
    if (start > 0 && begin == 0) { /* the first line was cut by the window: drop it */
        char *nl = memchr(buf, '\n', n);
        begin = nl ? (size_t)(nl - buf) + 1 : n;
    }
    size_t cap = 0;
    for (size_t p = begin; p < n;) {
        char *nl = memchr(buf + p, '\n', n - p);
        size_t len = nl ? (size_t)(nl - (buf + p)) : n - p;
        char *line = xmalloc(line_max + 1);
        size_t keep = len < line_max ? len : line_max;
        for (size_t i = 0; i < keep; i++) {
            char c = buf[p + i];
            line[i] = c == '\0' || c == '\r' ? ' ' : c;
        }
        line[keep] = '\0';
        strv_push(&lf->tail, &lf->n_tail, &cap, line);
        p += len + 1;
    }
    free(buf);
}

/* The tail of an envelope or JSON-lines file as the service wrote it: envelopes stripped,
 * JSON records as text (its last LOGSCAN_TAIL_LINES lines). */
struct tail_decode {
    char **lines;
    size_t n, cap;
};

static void on_tail_record(const struct envelope_record *rec, void *ctx)
{
    struct tail_decode *td = ctx;
    for (size_t p = 0; p <= rec->len;) {
        const char *nl = memchr(rec->text + p, '\n', rec->len - p);
        size_t len = nl ? (size_t)(nl - (rec->text + p)) : rec->len - p;
        strv_push(&td->lines, &td->n, &td->cap,
                  xstrndup(rec->text + p, len < LOGSCAN_MARKER_MAX ? len : LOGSCAN_MARKER_MAX));
        p += len + 1;
    }
}

static void decode_tail(struct log_file *lf)
{
    struct tail_decode td = {0};
    struct envelope_decoder *dec = envelope_decoder_new(lf->format, on_tail_record, &td);
    for (size_t i = 0; i < lf->n_tail; i++) {
        envelope_decoder_feed(dec, lf->tail[i], strlen(lf->tail[i]));
        envelope_decoder_feed(dec, "\n", 1);
    }
    envelope_decoder_finish(dec);
    envelope_decoder_free(dec);
    size_t from = td.n > LOGSCAN_TAIL_LINES ? td.n - LOGSCAN_TAIL_LINES : 0;
    strv_free(lf->tail, lf->n_tail);
    lf->tail = NULL;
    lf->n_tail = 0;
    size_t cap = 0;
    for (size_t i = 0; i < td.n; i++) {
        if (i >= from)
            strv_push(&lf->tail, &lf->n_tail, &cap, td.lines[i]);
        else
            free(td.lines[i]);
    }
    free(td.lines);
}

/* True when this file was read already; records it otherwise. */
static bool already_read(struct logscan *ls, const char *path)
{
    char resolved[PATH_MAX];
    const char *real = realpath(path, resolved) ? resolved : path;
    for (size_t i = 0; i < ls->n_seen; i++)
        if (strcmp(ls->seen[i], real) == 0)
            return true;
    strv_push(&ls->seen, &ls->n_seen, &ls->seen_cap, xstrdup(real));
    return false;
}

/* ---- two threads on one large log ----
 *
 * The second half starts at an event boundary near the middle: a line opening with a
 * timestamp (plain), a JSON record (JSON lines), a complete stdout record opening an event
 * after a complete stdout record (CRI, Docker, svlogd). A second scanner with its own
 * splitters, decoder, matching scratch and findings reads it, after counting the first
 * half's lines so that its line numbers are the file's; its findings are then merged into
 * the first scanner's as if one thread had read on (merge_findings, logmatch.c).
 *
 * An envelope file has two streams: a stderr event left open at the middle would end (and
 * be reported) only when stderr writes again, after events of the second half. So the
 * halves are merged only when the first half wrote nothing to stderr and left no partial
 * line open; otherwise the first thread reads on to the end alone (the second one, told to
 * stop, is discarded), exactly as one thread reads. */

#define SPLIT_WINDOW (1u << 20) /* bytes searched after the middle for an event start */

/* The records an envelope decoder passes on for two lines (envelope_split_line). */
struct split_probe {
    size_t n;
    bool stdout_only;
    bool opens; /* the second record opens an event whatever came before it */
};

static void on_split_record(const struct envelope_record *rec, void *ctx)
{
    struct split_probe *sp = ctx;
    if (rec->from_stderr)
        sp->stdout_only = false;
    if (sp->n++ == 1) {
        size_t start;
        sp->opens =
            rec->whole || (logscan_timestamp(rec->text, rec->len, &start) > 0 && start == 0);
    }
}

/* Whether the line `line` of an envelope or JSON-lines file, after the line `prev`, is a
 * complete stdout record that opens an event (a JSON record, or text opening with a time),
 * `prev` being a complete stdout record too (no partial line open): exactly as the file's
 * decoder tells them. */
static bool envelope_split_line(enum log_format format, const char *prev, size_t prev_len,
                                const char *line, size_t len)
{
    struct split_probe probe = {0, true, false};
    struct envelope_decoder *dec = envelope_decoder_new(format, on_split_record, &probe);
    envelope_decoder_feed(dec, prev, prev_len);
    envelope_decoder_feed(dec, "\n", 1);
    envelope_decoder_feed(dec, line, len);
    envelope_decoder_feed(dec, "\n", 1);
    bool yes = probe.n == 2 && probe.stdout_only && probe.opens;
    envelope_decoder_free(dec); /* not finished: a partial left open is no record */
    return yes;
}

/* An offset near the middle where an event starts whatever came before it (see above); 0
 * when there is none. */
static uint64_t find_split(int fd, uint64_t size, enum log_format format)
{
    char *buf = xmalloc(SPLIT_WINDOW);
    /* a little after the middle: the second thread first counts the first half's lines
     * (about a seventh of what scanning them costs), so the halves end together */
    uint64_t mid = size / 2 + size / 32, split = 0;
    ssize_t got = pread(fd, buf, SPLIT_WINDOW, (off_t)mid);
    ssize_t prev = -1; /* the start of the line before, when whole in the window */
    for (ssize_t i = 0; got > 0 && i < got && !split; i++) {
        if (buf[i] != '\n' || i + 1 >= got)
            continue;
        size_t start, rest = (size_t)(got - i - 1);
        const char *line = buf + i + 1;
        const char *nl = memchr(line, '\n', rest); /* the line, whole in the window */
        size_t len = nl ? (size_t)(nl - line) : 0;
        if (format != LOG_FORMAT_PLAIN) {
            if (nl && prev >= 0 &&
                envelope_split_line(format, buf + prev, (size_t)(i - prev), line, len))
                split = mid + (uint64_t)i + 1;
        } else if (logscan_timestamp(line, rest, &start) > 0 && start == 0) {
            split = mid + (uint64_t)i + 1;
        }
        prev = i + 1;
    }
    free(buf);
    return split;
}

static uint64_t count_lines(int fd, uint64_t end, char *buf)
{
    uint64_t lines = 0, at = 0;
    while (at < end) {
        size_t want = end - at < LOGSCAN_CHUNK ? (size_t)(end - at) : LOGSCAN_CHUNK;
        ssize_t got = pread(fd, buf, want, (off_t)at);
        if (got <= 0)
            break;
        for (const char *p = buf, *e = buf + got; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            lines++;
        at += (uint64_t)got;
    }
    return lines;
}

struct range_job {
    struct logscan *ls;
    int fd;
    enum log_format format; /* its records through a decoder of the half's own */
    uint64_t start, end;
    bool count_first;  /* count the lines before start first (the second half) */
    atomic_bool *stop; /* the second half: set when the halves cannot be merged */
    bool stopped;      /* the second half stopped before its end */
    struct content_check check;
    uint64_t bytes;
    bool read_error;
    uint64_t physical, undecoded; /* envelope formats: the file's lines up to end, records not
                                   * decoded */
    struct file_feed ff;
    char *buf;
};

static void range_open(struct range_job *job)
{
    job->buf = xmalloc(LOGSCAN_CHUNK);
    uint64_t before = job->count_first ? count_lines(job->fd, job->start, job->buf) : 0;
    logscan_splitter_set_line(job->ls->sp, before);
    file_feed_open(&job->ff, job->format, job->ls->sp, job->ls->sp_err);
    file_feed_skip(&job->ff, job->ls);
    if (job->ff.dec)
        envelope_decoder_set_lines(job->ff.dec, before);
}

/* Whether the first half, read so far, leaves a state the second half cannot start from:
 * a stderr record (its event may go on after the middle), a partial line. */
static bool range_unmergeable(const struct range_job *job)
{
    return job->ff.from_stderr > 0 || (job->ff.dec && envelope_decoder_partial_open(job->ff.dec));
}

/* Read [job->start, end); the first half (first_half) sets job->stop and reads on to the
 * file's end as soon as the halves cannot be merged. */
static void range_feed(struct range_job *job, uint64_t end, bool first_half)
{
    uint64_t at = job->start + job->bytes;
    while (at < end) {
        if (job->stop && !first_half && atomic_load(job->stop)) {
            job->stopped = true;
            return;
        }
        size_t want = end - at < LOGSCAN_CHUNK ? (size_t)(end - at) : LOGSCAN_CHUNK;
        ssize_t got = pread(job->fd, job->buf, want, (off_t)at);
        if (got <= 0) {
            job->read_error = got < 0;
            break;
        }
        check_content(&job->check, job->buf, (size_t)got);
        file_feed(&job->ff, job->buf, (size_t)got);
        at += (uint64_t)got;
        job->bytes += (uint64_t)got;
        if (job->ls->progress)
            job->ls->progress(job->ls->progress_ud, job->ls->path, job->bytes);
        /* (a partial line open at a chunk's end is not: only at the middle) */
        if (first_half && job->stop && end != job->end && job->ff.from_stderr > 0) {
            atomic_store(job->stop, true);
            end = job->end; /* the whole file, alone */
        }
    }
}

/* Flush the decoder and the splitters as the end of the file does (logscan_file: the
 * decoder, then stdout's ended events, stderr's, and stdout's last). */
static void range_close(struct range_job *job)
{
    job->physical = file_feed_close(&job->ff, &job->undecoded);
    logscan_splitter_sync(job->ls->sp);
    logscan_splitter_finish(job->ls->sp_err);
    logscan_splitter_finish(job->ls->sp);
    free(job->buf);
    job->buf = NULL;
}

/* The second half, on its thread. */
static void *read_range(void *arg)
{
    struct range_job *job = arg;
    range_open(job);
    range_feed(job, job->end, false);
    range_close(job);
    return NULL;
}

static bool is_gzip(int fd)
{
    unsigned char magic[2];
    return pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

static bool parallel_wanted(const struct logscan *ls, uint64_t size)
{
    const char *threads = getenv("WRENCH_LOG_THREADS"); /* "1" turns it off (tests) */
    /* the tests halve small files: WRENCH_LOG_PARALLEL_MIN, in bytes */
    const char *min_env = getenv("WRENCH_LOG_PARALLEL_MIN");
    uint64_t min = min_env && *min_env ? strtoull(min_env, NULL, 10) : LOGSCAN_PARALLEL_MIN;
    return size >= min && size > 0 && !ls->last_start_only && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
           !(threads && strcmp(threads, "1") == 0);
}

/* ---- --last-start on a large plain log: from the end backwards ----
 *
 * The last start is found by reading the file backwards in BACK_CHUNK pieces and testing
 * each complete line, last first, with logscan_is_start_marker (the one definition of the
 * markers). A candidate is confirmed by a fresh splitter fed the line before it and the line
 * itself, which tells where the marker's event starts (Tomcat 7's two-line records carry the
 * marker on their second line) and rejects a marker line that is not an event's head. The
 * scan then reads forward from that offset only: the bytes before it are never read, line
 * numbers count from it (docs/report.md, start_offset) and its events are not counted. */

#define BACK_CHUNK (1u << 20)            /* bytes read backwards at a time */
#define LOGSCAN_BACKWARD_MIN (64u << 20) /* a plain log this large takes the backward path */

struct probe {
    uint64_t line; /* the last marker event's line in the probe; 0 when none */
};

static void on_probe_event(const struct log_event *ev, void *ctx)
{
    struct probe *p = ctx;
    if (logscan_is_start_marker(ev->text, ev->len) && ev->line > p->line)
        p->line = ev->line;
}

/* Where the line before `at` in prev[0, n) starts (prev ends with its '\n'); n when none. */
static size_t line_before(const char *prev, size_t n, size_t at, bool from_file_start)
{
    const char *nl = at > 1 ? memrchr(prev, '\n', at - 1) : NULL;
    if (nl)
        return (size_t)(nl - prev) + 1;
    return from_file_start && at > 0 ? 0 : n;
}

/* Whether the marker line at `at` (text `line`, `len` bytes) heads a start event; if so
 * *start is that event's offset (the line itself, or the one before it). The probe splitter
 * is fed from the nearest line before that opens with a timestamp (an event's start, so that
 * it splits as the whole file's splitter does), within LOGSCAN_LINE_MAX bytes. -1 when the
 * line before cannot be read whole. */
static int confirm_marker(int fd, uint64_t at, const char *line, size_t len, uint64_t *start)
{
    uint64_t base = at > LOGSCAN_LINE_MAX ? at - LOGSCAN_LINE_MAX : 0;
    size_t n = (size_t)(at - base);
    char *prev = xmalloc(n + 1);
    if (pread(fd, prev, n, (off_t)base) != (ssize_t)n) {
        free(prev);
        return -1;
    }
    size_t before = line_before(prev, n, n, base == 0); /* the line just before, or n */
    if (before == n && n > 0) {
        free(prev);
        return -1;
    }
    size_t anchor = before, lines = before < n ? 1 : 0;
    for (size_t at_line = before; at_line < n && at_line > 0;) {
        size_t s0;
        if (logscan_timestamp(prev + at_line, n - at_line, &s0) > 0 && s0 == 0)
            break;
        size_t earlier = line_before(prev, n, at_line, base == 0);
        if (earlier == n)
            break;
        anchor = at_line = earlier;
        lines++;
    }
    struct probe p = {0};
    struct logscan_splitter *sp = logscan_splitter_new(on_probe_event, &p);
    if (anchor < n)
        logscan_splitter_feed(sp, prev + anchor, n - anchor);
    logscan_splitter_feed(sp, line, len);
    logscan_splitter_finish(sp);
    logscan_splitter_free(sp);
    /* the candidate is line lines + 1 of the probe, the line before it line `lines` */
    int rc = 0;
    if (p.line == lines + 1) {
        *start = at;
        rc = 1;
    } else if (lines > 0 && p.line == lines) {
        *start = base + before;
        rc = 1;
    }
    free(prev);
    return rc;
}

/* The offset of the last start event of a plain file: 1 found, 0 none, -1 when the file
 * cannot be read this way (a line longer than BACK_CHUNK, a read error). */
static int find_last_start_backwards(int fd, uint64_t size, uint64_t *start)
{
    char *buf = xmalloc(BACK_CHUNK);
    uint64_t end = size;
    int rc = 0;
    while (end > 0 && rc == 0) {
        uint64_t base = end > BACK_CHUNK ? end - BACK_CHUNK : 0;
        size_t n = (size_t)(end - base);
        if (pread(fd, buf, n, (off_t)base) != (ssize_t)n) {
            rc = -1;
            break;
        }
        /* the chunk's first line began before it, unless it is the file's start */
        size_t first = 0;
        if (base > 0) {
            const char *nl = memchr(buf, '\n', n);
            first = nl ? (size_t)(nl - buf) + 1 : n;
            if (first >= n) {
                rc = -1;
                break;
            }
        }
        size_t line_end = n;
        while (line_end > first && rc == 0) {
            size_t content_end = buf[line_end - 1] == '\n' ? line_end - 1 : line_end;
            const char *nl =
                content_end > first ? memrchr(buf + first, '\n', content_end - first) : NULL;
            size_t line_at = nl ? (size_t)(nl - buf) + 1 : first;
            size_t len = line_end - line_at;
            size_t head = len < LOGSCAN_LINE_MAX ? len : LOGSCAN_LINE_MAX;
            if (logscan_is_start_marker(buf + line_at, head))
                rc = confirm_marker(fd, base + line_at, buf + line_at, len, start);
            line_end = line_at;
        }
        end = base + first;
    }
    free(buf);
    return rc;
}

/* Whether --last-start reads this file backwards: a large plain one (WRENCH_LAST_START=
 * backward or full forces either way, for the tests and the benchmark). */
static bool backward_wanted(const struct logscan *ls, int fd, enum log_format format, uint64_t size)
{
    const char *how = getenv("WRENCH_LAST_START");
    if (!ls->last_start_only || fd < 0 || format != LOG_FORMAT_PLAIN || is_gzip(fd) ||
        (how && strcmp(how, "full") == 0))
        return false;
    return size >= LOGSCAN_BACKWARD_MIN || (how && strcmp(how, "backward") == 0);
}

/* The second half's counts, findings and problems join the first's (read_in_halves). */
static void merge_half(struct logscan *ls, struct log_file *lf, struct logscan *second,
                       struct log_report *half, const struct range_job *job)
{
    struct log_file *other = &half->files[0];
    lf->bytes += job->bytes;
    lf->skipped_events += other->skipped_events;
    if (other->last_start) {
        free(lf->last_start);
        lf->last_start = other->last_start;
        other->last_start = NULL;
        lf->last_start_line = other->last_start_line;
    }
    struct logscan_splitter *sps[2] = {second->sp, second->sp_err};
    int notice = 0;
    for (int i = 0; i < 2; i++) {
        uint64_t lines, events, truncated, long_lines;
        logscan_splitter_counts(sps[i], &lines, &events, &truncated, &long_lines);
        ls->extra_lines += lines;
        ls->extra_events += events;
        ls->extra_truncated += truncated;
        ls->extra_long_lines += long_lines;
        ls->extra_unsplit += logscan_splitter_unsplit(sps[i]);
        int n = logscan_splitter_notice(sps[i]);
        notice = notice < 0 || n < 0 ? -1 : notice || n;
    }
    ls->extra_notice = notice;
    ls->halves_physical = job->physical; /* envelope formats: the second half's count ends */
    ls->undecoded += job->undecoded;
    merge_findings(ls, second);
    merge_problems(ls, second);
}

/* Read [0, size) of a file on two threads; false when no split point was found. */
static bool read_in_halves(struct logscan *ls, size_t index, int fd, uint64_t size,
                           enum log_format format, struct content_check *check, bool *read_error)
{
    uint64_t split = find_split(fd, size, format);
    if (split == 0)
        return false;
    struct log_report half = {0};
    struct logscan *second = logscan_new_like(ls, &half);
    if (ls->has_since)
        logscan_set_since(second, ls->since_epoch);
    begin_file(second, ls->path, ls->kind);
    second->occ_file = ls->occ_file; /* the same file: its records are not repeats */
    atomic_bool stop = false;
    struct range_job first_job = {
        .ls = ls, .fd = fd, .format = format, .start = 0, .end = size, .stop = &stop};
    struct range_job second_job = {.ls = second,
                                   .fd = fd,
                                   .format = format,
                                   .start = split,
                                   .end = size,
                                   .count_first = true,
                                   .stop = &stop};
    pthread_t thread;
    bool threaded = pthread_create(&thread, NULL, read_range, &second_job) == 0;
    range_open(&first_job);
    range_feed(&first_job, split, true);
    if (!threaded && !atomic_load(&stop))
        read_range(&second_job);
    if (threaded)
        pthread_join(thread, NULL);
    bool merge = !atomic_load(&stop) && !range_unmergeable(&first_job) && !second_job.stopped;
    if (!merge) /* one thread's reading, from where the first half is */
        range_feed(&first_job, size, false);
    range_close(&first_job);

    struct log_file *lf = &ls->report->files[index];
    lf->bytes = first_job.bytes;
    *check = first_job.check; /* the binary sample is the file's first bytes */
    *read_error = first_job.read_error;
    ls->undecoded += first_job.undecoded;
    ls->halves_physical = first_job.physical;
    ls->halves_merged = merge;
    if (merge) {
        merge_half(ls, lf, second, &half, &second_job);
        check->nul_bytes += second_job.check.nul_bytes;
        *read_error = *read_error || second_job.read_error;
    }
    logscan_free(second);
    log_report_clear(&half);
    return true;
}

int logscan_file(struct logscan *ls, const char *path, enum log_kind kind, char *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        log_problem(ls, SEV_WARNING, path, err, MSG_LOG_PROBLEM_SYSTEM, MSG_S("path", path),
                    errno_arg(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        log_problem(ls, SEV_WARNING, path, err, MSG_LOG_PROBLEM_NOT_REGULAR, MSG_S("path", path));
        return -1;
    }
    if (already_read(ls, path))
        return 0;
    int tail_fd = open(path, O_RDONLY | O_CLOEXEC);
    /* gzopen reads plain files as they are, so one path serves both. */
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        log_problem(ls, SEV_WARNING, path, err, MSG_LOG_PROBLEM_CANNOT_OPEN, MSG_S("path", path),
                    errno_arg(errno ? errno : ENOMEM));
        if (tail_fd >= 0)
            close(tail_fd);
        return -1;
    }
    gzbuffer(gz, LOGSCAN_CHUNK);
    char *buf = xmalloc(READ_CHUNK);
    int got = gzread(gz, buf, LOGSCAN_CHUNK);
    enum log_format format = format_of(ls, buf, got > 0 ? (size_t)got : 0);
    /* The chunk that told the format is also the first chunk read: each byte is read once,
     * and a file cut just after this first read is a file cut while read. */
    size_t pending = got > 0 ? (size_t)got : 0;
    ls->skip_before = 0;
    uint64_t from = 0; /* the backward path's start */
    if (backward_wanted(ls, tail_fd, format, (uint64_t)st.st_size)) {
        int found = find_last_start_backwards(tail_fd, (uint64_t)st.st_size, &from);
        if (found < 0 || (found > 0 && gzseek(gz, (z_off_t)from, SEEK_SET) != (z_off_t)from)) {
            from = 0;
            gzrewind(gz);
            ls->skip_before = find_last_start(gz, format);
            pending = 0;
        } else if (found > 0) {
            pending = 0;
        }
    } else if (ls->last_start_only) {
        gzrewind(gz);
        ls->skip_before = find_last_start(gz, format);
        pending = 0;
    }
    uint64_t before[4], before_err[4];
    logscan_splitter_counts(ls->sp, &before[0], &before[1], &before[2], &before[3]);
    logscan_splitter_counts(ls->sp_err, &before_err[0], &before_err[1], &before_err[2],
                            &before_err[3]);
    size_t index = (size_t)(begin_file(ls, path, kind) - ls->report->files);
    ls->report->files[index].format = format;
    if (from) {
        /* The bytes before the last start are not read at all: line numbers count from it
         * (its first line is line 1; docs/report.md, start_offset). Counting the lines before
         * it would read the whole history, which is what --last-start avoids. */
        ls->report->files[index].bytes = from;
        ls->report->files[index].start_offset = from;
    }
    int rc = 0;
    got = 0;
    bool first = true;
    struct content_check check = {0};
    bool halves_error = false;
    /* A file may be read in two halves: a plain one, or any other format (each half with
     * its own decoder) but not under --since, where a record without a time takes the one
     * before it. An envelope file's halves are merged only when its stderr and partial
     * lines allow it (read_in_halves). */
    ls->halves_physical = 0;
    bool halves_format = format == LOG_FORMAT_PLAIN || !ls->has_since;
    if (tail_fd >= 0 && halves_format && parallel_wanted(ls, (uint64_t)st.st_size) &&
        !is_gzip(tail_fd) &&
        read_in_halves(ls, index, tail_fd, (uint64_t)st.st_size, format, &check, &halves_error)) {
        got = halves_error ? -1 : 0;
        first = false;
    }
    bool sequential = first;
    struct file_feed ff;
    file_feed_open(&ff, format, ls->sp, ls->sp_err);
    file_feed_skip(&ff, ls);
    while (sequential && (got = next_chunk(gz, buf, &pending)) > 0) {
        if (first)
            ls->report->files[index].compressed = gzdirect(gz) == 0;
        first = false;
        check_content(&check, buf, (size_t)got);
        ls->report->files[index].bytes += (uint64_t)got;
        file_feed(&ff, buf, (size_t)got);
        if (ls->progress)
            ls->progress(ls->progress_ud, path, ls->report->files[index].bytes);
    }
    uint64_t physical = file_feed_close(&ff, &ls->undecoded);
    if (!sequential)
        physical = ls->halves_physical;
    end_stderr(ls, before_err);
    int zerr = Z_OK;
    const char *zmsg = sequential ? gzerror(gz, &zerr) : "read error";
    if (got < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
        /* zlib reports a gzip file cut short (Z_BUF_ERROR) only through gzerror */
        int e = errno;
        log_problem(ls, SEV_WARNING, path, err,
                    zerr == Z_BUF_ERROR ? MSG_LOG_PROBLEM_GZIP_SHORT : MSG_LOG_PROBLEM_READ_ERROR,
                    MSG_S("path", path), MSG_N("n", ls->report->files[index].bytes),
                    zerr == Z_ERRNO ? errno_arg(e) : MSG_S("detail", zmsg));
        rc = -1;
    }
    struct stat after;
    if (rc == 0 && !ls->report->files[index].compressed &&
        (stat(path, &after) != 0 || after.st_ino != st.st_ino || after.st_size < st.st_size ||
         (uint64_t)after.st_size < ls->report->files[index].bytes)) {
        log_problem(ls, SEV_WARNING, path, err, MSG_LOG_PROBLEM_ROTATED, MSG_S("path", path),
                    MSG_N("n", ls->report->files[index].bytes));
        rc = -1;
    }
    note_content(ls, path, &check);
    ls->report->files[index].complete = rc == 0;
    end_file(ls, index, before);
    if (format != LOG_FORMAT_PLAIN)
        ls->report->files[index].lines = physical;
    free(buf);
    if (!ls->report->files[index].compressed) {
        /* an envelope's lines are cut after decoding, so that a JSON record stays whole */
        read_tail(tail_fd, &ls->report->files[index],
                  format == LOG_FORMAT_PLAIN ? LOGSCAN_MARKER_MAX : LOGSCAN_TAIL_BYTES);
        if (format != LOG_FORMAT_PLAIN)
            decode_tail(&ls->report->files[index]);
    } else if (tail_fd >= 0)
        close(tail_fd);
    gzclose(gz);
    return rc;
}

/* svlogd's rotated files: "@" + a TAI64N stamp + ".s" (processed) or ".u" (cut short by a
 * crash). The stamps have a fixed width, so their names sort in time order. */
static bool is_svlogd_rotated(const char *name)
{
    if (name[0] != '@' || strlen(name) != 1 + 24 + 2 || name[25] != '.' ||
        (name[26] != 's' && name[26] != 'u'))
        return false;
    for (size_t i = 1; i < 25; i++)
        if (hex_digit_value(name[i]) < 0)
            return false;
    return true;
}

/* A runit log directory (svlogd DIR): its rotated files oldest first, then `current`, so
 * that first and last seen follow time. The number of files read. */
static size_t scan_svlogd_dir(struct logscan *ls, const char *dir, const glob_t *g)
{
    char **rotated = xcalloc(g->gl_pathc + 1, sizeof(char *));
    size_t n_rotated = 0, n = 0;
    for (size_t i = 0; i < g->gl_pathc && n_rotated < LOGSCAN_MAX_FILES; i++)
        if (is_svlogd_rotated(path_basename(g->gl_pathv[i])))
            rotated[n_rotated++] = g->gl_pathv[i];
    qsort(rotated, n_rotated, sizeof(char *), strv_compare);
    char err[WR_ERR_MAX];
    for (size_t i = 0; i < n_rotated; i++) {
        struct stat st;
        if (stat(rotated[i], &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        logscan_file(ls, rotated[i], logscan_guess_kind(rotated[i]), err);
        n++;
    }
    char *current = path_join(dir, "current");
    if (logscan_file(ls, current, LOG_KIND_APP, err) == 0)
        n++;
    free(current);
    free(rotated);
    return n;
}

static bool is_svlogd_dir(const char *dir)
{
    char *current = path_join(dir, "current");
    struct stat st;
    bool yes = stat(current, &st) == 0 && S_ISREG(st.st_mode);
    free(current);
    return yes;
}

/* The log files of one directory, sorted; not recursive. */
static size_t scan_dir(struct logscan *ls, const char *dir)
{
    DIR *d = opendir(dir); /* glob would hide why a directory cannot be listed */
    if (!d) {
        log_problem(ls, SEV_WARNING, dir, NULL, MSG_LOG_PROBLEM_CANNOT_LIST, MSG_S("path", dir),
                    errno_arg(errno));
        return 0;
    }
    closedir(d);
    glob_t g;
    char *pattern = path_join(dir, "*");
    size_t n = 0;
    if (glob(pattern, 0, NULL, &g) == 0) {
        if (is_svlogd_dir(dir))
            n += scan_svlogd_dir(ls, dir, &g);
        for (size_t i = 0; i < g.gl_pathc && n < LOGSCAN_MAX_FILES; i++) {
            struct stat st;
            /* Access logs hold requests, not diagnostics, and are often the largest files:
             * a directory scan skips them (name one explicitly to read it). */
            if (!log_file_name(path_basename(g.gl_pathv[i])) ||
                logscan_guess_kind(g.gl_pathv[i]) == LOG_KIND_ACCESS)
                continue;
            if (stat(g.gl_pathv[i], &st) != 0 || !S_ISREG(st.st_mode)) {
                bool gone = stat(g.gl_pathv[i], &st) != 0;
                struct msg_arg why = errno_arg(errno);
                why.name = "why";
                if (!gone) /* "named like a log but not a regular file" */
                    why = MSG_B("why", "not a regular file", "不是普通文件");
                log_problem(ls, SEV_INFO, g.gl_pathv[i], NULL, MSG_LOG_PROBLEM_SKIPPED,
                            MSG_S("path", g.gl_pathv[i]), why);
                continue;
            }
            char err[WR_ERR_MAX];
            logscan_file(ls, g.gl_pathv[i], logscan_guess_kind(g.gl_pathv[i]), err);
            n++;
        }
        globfree(&g);
    }
    free(pattern);
    return n;
}

int logscan_add_path(struct logscan *ls, const char *spec, char *err)
{
    glob_t g;
    int grc = glob(spec, GLOB_NOCHECK, NULL, &g);
    if (grc != 0) {
        log_problem(ls, SEV_WARNING, spec, err, MSG_LOG_PROBLEM_BAD_PATTERN, MSG_S("path", spec));
        return -1;
    }
    size_t problems_before = ls->report->n_problems;
    /* glob sorts its matches, so files are read in a stable order. */
    char **paths = xcalloc(g.gl_pathc + 1, sizeof(char *));
    size_t n_paths = g.gl_pathc < LOGSCAN_MAX_FILES ? g.gl_pathc : LOGSCAN_MAX_FILES;
    for (size_t i = 0; i < n_paths; i++)
        paths[i] = xstrdup(g.gl_pathv[i]);
    globfree(&g);
    qsort(paths, n_paths, sizeof(char *), strv_compare);
    size_t read = 0;
    int rc = 0;
    for (size_t i = 0; i < n_paths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            log_problem(ls, SEV_WARNING, paths[i], err, MSG_LOG_PROBLEM_SYSTEM,
                        MSG_S("path", paths[i]), errno_arg(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            read += scan_dir(ls, paths[i]);
        } else {
            /* A file that fails half-way still counts as read; its problem is recorded. */
            logscan_file(ls, paths[i], logscan_guess_kind(paths[i]), err);
            read += S_ISREG(st.st_mode) ? 1 : 0;
        }
    }
    if (read == 0) {
        if (ls->report->n_problems == problems_before) /* say it once: a reason may be noted */
            log_problem(ls, SEV_WARNING, spec, err, MSG_LOG_PROBLEM_NONE_READABLE,
                        MSG_S("path", spec));
        else
            err_set(err, "%s: no readable log file", spec);
        rc = -1;
    }
    for (size_t i = 0; i < n_paths; i++)
        free(paths[i]);
    free(paths);
    return rc;
}
