/*
 * logsplit.c - the event splitter: a log's bytes -> lines -> events (a record header line
 * and its continuation lines: stack frames, "Caused by:", the second line of a
 * java.util.logging record), lines printed outside any logger that start an event of
 * their own, the exception chain and top application frame of each event, and the start
 * markers of a service. See logsplit.h, which says where an event starts.
 */
#include "logsplit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "logscan.h"
#include "logscan_internal.h"
#include "multimatch.h"
#include "util.h"

#define LEVEL_SCAN_MAX 160 /* bytes of a header searched for its level word */
/* How much longer a JSON record's decoded text may be than its line: the time of a number
 * (27 bytes), " - " and the separators the decoder adds; the keys it drops are longer. */
#define RAW_MARGIN 128

/* Lines printed outside any logger, which start an event of their own. */
enum family {
    FAM_NONE,   /* a timestamped record or a headless start */
    FAM_SLF4J,  /* consecutive SLF4J lines are one event */
    FAM_LOG4J1, /* consecutive log4j: lines are one event */
    FAM_JVM,    /* the java launcher's option errors and its closing "Error: ..." lines */
    FAM_UNIQUE, /* a one-off start: never continued by another starter */
};

struct starter {
    const char *prefix;
    enum family family;
};

static const struct starter starters[] = {
    {"SLF4J: ", FAM_SLF4J},
    {"SLF4J(", FAM_SLF4J},
    {"log4j:", FAM_LOG4J1},
    {"Exception in thread \"", FAM_UNIQUE},
    {"ERROR StatusLogger ", FAM_UNIQUE},
    {"WARN StatusLogger ", FAM_UNIQUE},
    {"Unrecognized VM option '", FAM_JVM}, /* HotSpot arguments.cpp */
    {"Unrecognized option: ", FAM_JVM},    /* the java launcher */
    {"Improperly specified VM option '", FAM_JVM},
    {"Invalid maximum heap size: ", FAM_JVM},
    {"Invalid initial heap size: ", FAM_JVM},
    {"Error: Could not create the Java Virtual Machine.", FAM_JVM},
    {"Error: A fatal exception has occurred. Program will exit.", FAM_JVM},
    {"Error: Could not find or load main class", FAM_UNIQUE},
    {"Error: Unable to access jarfile", FAM_UNIQUE},
    {"Error: Invalid or corrupt jarfile", FAM_UNIQUE},
    {"Error: A JNI error has occurred", FAM_UNIQUE},
    {"Error occurred during initialization of VM", FAM_UNIQUE},
    {"# A fatal error has been detected by the Java Runtime Environment", FAM_UNIQUE},
    /* -XX:+ExitOnOutOfMemoryError / CrashOnOutOfMemoryError: the JVM's last words */
    {"Terminating due to java.lang.OutOfMemoryError", FAM_UNIQUE},
    {"Aborting due to java.lang.OutOfMemoryError", FAM_UNIQUE},
};

/* Packages of the JDK, servers and common frameworks: their frames are not "the application". */
static const char *const framework_prefixes[] = {
    "java.",
    "javax.",
    "jakarta.",
    "jdk.",
    "sun.",
    "com.sun.",
    "org.apache.",
    "org.springframework.",
    "org.hibernate.",
    "com.zaxxer.",
    "com.mysql.",
    "org.mariadb.",
    "org.postgresql.",
    "oracle.",
    "io.netty.",
    "org.eclipse.",
    "ch.qos.logback.",
    "org.slf4j.",
    "kotlin.",
    "scala.",
    "reactor.",
    "io.undertow.",
    "com.alibaba.",
    "org.mybatis.",
    "org.junit.",
    "net.bytebuddy.",
    "com.fasterxml.",
    "com.google.",
    "org.glassfish.",
    "org.jboss.",
    "io.micrometer.",
    "feign.",
    "okhttp3.",
    "org.aspectj.",
};

/* Where the next line stands against event boundaries (records fed from envelope.c). */
enum boundary {
    BOUND_AUTO,     /* the usual rules: a timestamp or a starter opens an event */
    BOUND_START,    /* the first line of a JSON record: it opens an event */
    BOUND_CONTINUE, /* a JSON record's later lines: they stay in its event */
};

/* A line of a record on the fast path: what feed_record tells process_line about it. */
struct rec_line {
    uint64_t line;           /* its number */
    enum boundary bound;     /* BOUND_START, BOUND_CONTINUE (a JSON record's) or BOUND_AUTO */
    char ts[LOGSCAN_TS_MAX]; /* the envelope's time, "" when none */
    bool raw;                /* a JSON record not decoded yet (feed_raw_record) */
};

struct logscan_splitter {
    logscan_event_fn fn;
    void *ctx;
    char envelope_ts[LOGSCAN_TS_MAX]; /* the envelope's time of the line being read; "" */
    enum boundary bound;
    struct strbuf line;
    bool line_long;
    uint64_t line_cut; /* bytes of the current line beyond LOGSCAN_LINE_MAX */
    uint64_t line_no;
    /* the open event */
    bool open;
    enum family family;
    size_t n_lines;
    struct strbuf text;
    uint64_t first_line;
    char ts[LOGSCAN_TS_MAX];
    bool truncated;
    uint64_t dropped;
    bool error_level;
    struct strbuf first_exception;
    struct strbuf root_cause;
    struct strbuf chain;
    size_t chain_len;
    struct strbuf top_frame;
    struct strbuf any_frame;
    /* counters */
    uint64_t lines;
    uint64_t events;
    uint64_t truncated_events;
    uint64_t long_lines;
    uint64_t unsplit; /* events the fast path counted without splitting them */
    /* the fast path (logscan_splitter_set_fast): see "the fast path" below */
    const struct multimatch *mm;
    struct multimatch_scratch *mm_sc;
    logscan_skip_fn skip_fn;
    struct strbuf pend; /* the open fast event's lines, then lines not yet classified */
    size_t pend_done;   /* pend[0, pend_done): the open fast event's lines */
    bool f_open;        /* an event is open... */
    bool f_full;        /* ...and it goes through the full path (process_line) */
    enum family f_family;
    uint64_t ev_lines; /* the open fast event's lines */
    size_t ev_bytes;   /* and the bytes the full path would keep of them */
    size_t *ends;      /* ends of the candidate literals found in the region classified */
    size_t scan_base;  /* where the search (on_candidate's ends) began in that region */
    size_t n_ends, ends_cap;
    size_t notice_from;         /* literals from this id on are notices (logscan_splitter_notice) */
    bool noticed;               /* a notice literal was seen */
    bool unscanned;             /* bytes reached the full path without the candidate search */
    char ev_ts[LOGSCAN_TS_MAX]; /* the open fast event's time, for skip_fn */
    logscan_probe_fn probe;     /* may want an event without a candidate split */
    /* records on the fast path (feed_record): pend holds their lines, rl one per line */
    bool rec;
    struct rec_line *rl;
    size_t n_rl, rl_cap;
    uint64_t rec_last;     /* the number of the last record line appended */
    struct strbuf decoded; /* a raw record decoded (feed_raw_to_full) */
};

/* ---- the splitter ---- */

struct logscan_splitter *logscan_splitter_new(logscan_event_fn fn, void *ctx)
{
    struct logscan_splitter *sp = xcalloc(1, sizeof(*sp));
    sp->fn = fn;
    sp->ctx = ctx;
    return sp;
}

void logscan_splitter_free(struct logscan_splitter *sp)
{
    if (!sp)
        return;
    strbuf_free(&sp->line);
    strbuf_free(&sp->text);
    strbuf_free(&sp->first_exception);
    strbuf_free(&sp->root_cause);
    strbuf_free(&sp->chain);
    strbuf_free(&sp->top_frame);
    strbuf_free(&sp->any_frame);
    strbuf_free(&sp->pend);
    multimatch_scratch_free(sp->mm_sc);
    free(sp->ends);
    free(sp->rl);
    strbuf_free(&sp->decoded);
    free(sp);
}

void logscan_splitter_counts(const struct logscan_splitter *sp, uint64_t *lines, uint64_t *events,
                             uint64_t *truncated, uint64_t *long_lines)
{
    *lines = sp->lines;
    *events = sp->events;
    *truncated = sp->truncated_events;
    *long_lines = sp->long_lines;
}

uint64_t logscan_splitter_unsplit(const struct logscan_splitter *sp)
{
    return sp->unsplit;
}

static void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

static const char *sb_str(const struct strbuf *sb)
{
    return sb->data ? sb->data : "";
}

static void sb_set(struct strbuf *sb, const char *s, size_t len, size_t max)
{
    sb_reset(sb);
    strbuf_append(sb, s, len < max ? len : max);
}

static void emit(struct logscan_splitter *sp)
{
    if (!sp->open)
        return;
    if (sp->text.data == NULL)
        strbuf_append(&sp->text, "", 0);
    struct log_event ev = {
        .text = sp->text.data,
        .len = sp->text.len,
        .line = sp->first_line,
        .timestamp = sp->ts,
        .truncated = sp->truncated,
        .dropped = sp->dropped,
        .error_level = sp->error_level,
        .first_exception = sb_str(&sp->first_exception),
        .root_cause = sb_str(&sp->root_cause),
        .chain = sb_str(&sp->chain),
        .top_frame = sp->top_frame.len ? sb_str(&sp->top_frame) : sb_str(&sp->any_frame),
    };
    sp->events++;
    if (sp->truncated)
        sp->truncated_events++;
    sp->fn(&ev, sp->ctx);
    sp->open = false;
}

static void start_event(struct logscan_splitter *sp, enum family family, const char *ts,
                        size_t ts_len)
{
    emit(sp);
    if (ts_len == 0 && sp->envelope_ts[0]) { /* a headless record keeps its envelope's time */
        ts = sp->envelope_ts;
        ts_len = strlen(ts);
    }
    sp->open = true;
    sp->family = family;
    sp->n_lines = 0;
    sb_reset(&sp->text);
    sp->first_line = sp->line_no;
    if (ts_len >= sizeof(sp->ts))
        ts_len = sizeof(sp->ts) - 1;
    memcpy(sp->ts, ts, ts_len);
    sp->ts[ts_len] = '\0';
    sp->truncated = false;
    sp->dropped = 0;
    sp->error_level = false;
    sb_reset(&sp->first_exception);
    sb_reset(&sp->root_cause);
    sb_reset(&sp->chain);
    sp->chain_len = 0;
    sb_reset(&sp->top_frame);
    sb_reset(&sp->any_frame);
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* Offset of the first dotted Java class name ending in Exception, Error or Throwable that is
 * followed by ':' , whitespace or the end of the line; its length in *n. -1 when none. */
long find_exception(const char *s, size_t len, size_t *n)
{
    static const char *const suffixes[] = {"Exception", "Error", "Throwable"};
    /* Most lines name no exception: a cheap search for the suffixes comes first, as two
     * memchr scans for their capitals rather than three memmem calls per line. */
    bool any = false;
    const char *end = s + len;
    for (const char *p = s; !any && (p = memchr(p, 'E', (size_t)(end - p))); p++)
        any = ((size_t)(end - p) >= 9 && memcmp(p, "Exception", 9) == 0) ||
              ((size_t)(end - p) >= 5 && memcmp(p, "Error", 5) == 0);
    for (const char *p = s; !any && (p = memchr(p, 'T', (size_t)(end - p))); p++)
        any = (size_t)(end - p) >= 9 && memcmp(p, "Throwable", 9) == 0;
    if (!any)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (!(isalpha((unsigned char)s[i]) || s[i] == '_') || (i > 0 && ident_char(s[i - 1])) ||
            (i > 0 && s[i - 1] == '.'))
            continue;
        size_t j = i, dots = 0;
        while (j < len &&
               (ident_char(s[j]) || (s[j] == '.' && j + 1 < len && ident_char(s[j + 1])))) {
            dots += s[j] == '.';
            j++;
        }
        /* ';': org.xml.sax.SAXParseException; lineNumber: 44; ... */
        bool ends_ok = j == len || s[j] == ':' || s[j] == ' ' || s[j] == '\t' || s[j] == ';';
        /* A class name's last part starts with a capital: "Digester.fatalError" on a
         * java.util.logging header is a logger's method, not an exception type. */
        const char *last = dots > 0 ? s + j : NULL;
        while (last && last > s + i && last[-1] != '.')
            last--;
        ends_ok &= last && isupper((unsigned char)*last);
        if (dots > 0 && ends_ok) {
            for (size_t k = 0; k < sizeof(suffixes) / sizeof(suffixes[0]); k++) {
                size_t sl = strlen(suffixes[k]);
                if (j - i > sl && memcmp(s + j - sl, suffixes[k], sl) == 0) {
                    *n = j - i;
                    return (long)i;
                }
            }
        }
        i = j;
    }
    return -1;
}

static void chain_add(struct logscan_splitter *sp, const char *type, size_t n)
{
    if (sp->chain_len >= LOGSCAN_CHAIN_MAX)
        return;
    if (sp->chain_len > 0)
        strbuf_puts(&sp->chain, " < ");
    strbuf_append(&sp->chain, type, n);
    sp->chain_len++;
}

static bool is_framework(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof(framework_prefixes) / sizeof(framework_prefixes[0]); i++) {
        size_t pl = strlen(framework_prefixes[i]);
        if (len >= pl && memcmp(s, framework_prefixes[i], pl) == 0)
            return true;
    }
    return false;
}

static void note_frame(struct logscan_splitter *sp, const char *s, size_t len)
{
    if (sp->top_frame.len)
        return;
    const char *paren = memchr(s, '(', len);
    size_t n = paren ? (size_t)(paren - s) : len;
    /* JDK 9+ frames may carry "app//" or "java.base@17/" module prefixes. */
    const char *slash = memchr(s, '/', n);
    while (slash) {
        size_t skip = (size_t)(slash - s) + 1;
        s += skip;
        n -= skip;
        len -= skip;
        slash = memchr(s, '/', n);
    }
    if (n == 0)
        return;
    if (!sp->any_frame.len)
        sb_set(&sp->any_frame, s, n, LOGSCAN_TEXT_MAX);
    if (!is_framework(s, n))
        sb_set(&sp->top_frame, s, n, LOGSCAN_TEXT_MAX);
}

/* A whole-word ERROR, SEVERE or FATAL near the start of a header. */
/* Error levels as loggers write them, java.util.logging's SEVERE also in the languages the
 * JDK translates it to (Tomcat's formatters print Level.getLocalizedName()): German,
 * Spanish/French/Italian/Portuguese, Swedish, Japanese, Korean, simplified and traditional
 * Chinese. */
static const char *const error_levels[] = {
    "ERROR",
    "SEVERE",
    "FATAL",
    "SCHWERWIEGEND",
    "GRAVE",
    "ALLVARLIG",
    "\xe9\x87\x8d\xe5\xa4\xa7", /* 重大 */
    "\xec\x8b\xac\xea\xb0\x81", /* 심각 */
    "\xe4\xb8\xa5\xe9\x87\x8d", /* 严重 */
    "\xe5\x9a\xb4\xe9\x87\x8d", /* 嚴重 */
};

/* The first bytes of error_levels: every header line is scanned, most bytes are none. */
static bool level_start(unsigned char c)
{
    return c == 'E' || c == 'S' || c == 'F' || c == 'G' || c == 'A' || c == 0xe4 || c == 0xe5 ||
           c == 0xe9 || c == 0xec;
}

/* The length of the error level word at s[i] (whole word), 0 when none. */
static size_t error_level_at(const char *s, size_t n, size_t i)
{
    if (!level_start((unsigned char)s[i]) || (i > 0 && isalnum((unsigned char)s[i - 1])))
        return 0;
    for (size_t w = 0; w < sizeof(error_levels) / sizeof(error_levels[0]); w++) {
        size_t wl = strlen(error_levels[w]);
        if (i + wl <= n && memcmp(s + i, error_levels[w], wl) == 0 &&
            (i + wl == n || !isalnum((unsigned char)s[i + wl])))
            return wl;
    }
    return 0;
}

/* A whole-word error level (ERROR, SEVERE, FATAL, a translated SEVERE) near the start of a
 * header. */
static bool has_error_level(const char *s, size_t len)
{
    size_t n = len < LEVEL_SCAN_MAX ? len : LEVEL_SCAN_MAX;
    for (size_t i = 0; i < n; i++)
        if (error_level_at(s, n, i))
            return true;
    return false;
}

static void add_line(struct logscan_splitter *sp, const char *s, size_t len)
{
    size_t sep = sp->n_lines > 0 ? 1 : 0;
    if (!sp->truncated && sp->text.len + sep + len <= LOGSCAN_EVENT_MAX) {
        if (sep)
            strbuf_append(&sp->text, "\n", 1);
        strbuf_append(&sp->text, s, len);
    } else {
        sp->truncated = true;
        sp->dropped += len + sep;
    }
    size_t idx = sp->n_lines++;
    if (idx == 0 && has_error_level(s, len))
        sp->error_level = true;
    if (idx == 0 && str_has_prefix(s, "Exception in thread \""))
        sp->error_level = true;
    /* java.util.logging puts the level at the start of the second line. */
    if (idx == 1 && len > 0) {
        size_t wl = error_level_at(s, len, 0);
        if (wl && wl < len && s[wl] == ':')
            sp->error_level = true;
    }

    size_t t = 0;
    while (t < len && (s[t] == ' ' || s[t] == '\t'))
        t++;
    const char *tr = s + t;
    size_t tl = len - t;
    if (tl > 3 && memcmp(tr, "at ", 3) == 0) {
        note_frame(sp, tr + 3, tl - 3);
        return;
    }
    if (tl >= 4 && memcmp(tr, "... ", 4) == 0)
        return;
    size_t n;
    if (tl > 11 && memcmp(tr, "Caused by: ", 11) == 0) {
        sb_set(&sp->root_cause, tr, tl, LOGSCAN_TEXT_MAX);
        long at = find_exception(tr + 11, tl - 11, &n);
        if (at == 0)
            chain_add(sp, tr + 11, n);
        return;
    }
    if (tl > 12 && memcmp(tr, "Suppressed: ", 12) == 0)
        return;
    if (sp->chain_len == 0) {
        long at = find_exception(tr, tl, &n);
        if (at >= 0) {
            chain_add(sp, tr + at, n);
            sb_set(&sp->first_exception, tr + at, tl - (size_t)at, LOGSCAN_TEXT_MAX);
        }
    }
}

static enum family starter_family(const char *s, size_t len)
{
    if (len == 0 || !strchr("SlEW#TAUI", s[0])) /* the first letters of the starters */
        return FAM_NONE;
    for (size_t i = 0; i < sizeof(starters) / sizeof(starters[0]); i++) {
        size_t pl = strlen(starters[i].prefix);
        if (len >= pl && memcmp(s, starters[i].prefix, pl) == 0)
            return starters[i].family;
    }
    return FAM_NONE;
}

static void process_line(struct logscan_splitter *sp)
{
    char *s = sp->line.data ? sp->line.data : "";
    size_t len = sp->line.len;
    if (len > 0 && s[len - 1] == '\r')
        len--;
    /* Keep every string a C string: a NUL byte reads as a space. */
    for (char *nul = memchr(s, '\0', len); nul; nul = memchr(nul, '\0', len - (size_t)(nul - s)))
        *nul = ' ';
    sp->line_no++;
    sp->lines++;
    if (sp->line_long)
        sp->long_lines++;
    size_t ts_start, ts_len = logscan_timestamp(s, len, &ts_start);
    if (sp->bound == BOUND_CONTINUE && sp->open) {
        /* a JSON record's message and stack trace lines are its own, whatever they hold */
    } else if (ts_len > 0 || sp->bound == BOUND_START) {
        start_event(sp, FAM_NONE, s + (ts_len ? ts_start : 0), ts_len);
        if (sp->bound == BOUND_START)
            sp->bound = BOUND_CONTINUE;
    } else {
        enum family fam = starter_family(s, len);
        if (fam != FAM_NONE && !(sp->open && fam != FAM_UNIQUE && sp->family == fam))
            start_event(sp, fam, "", 0);
        else if (!sp->open)
            start_event(sp, FAM_NONE, "", 0);
    }
    add_line(sp, s, len);
    if (sp->line_long) {
        sp->truncated = true;
        sp->dropped += sp->line_cut;
    }
    sb_reset(&sp->line);
    sp->line_long = false;
    sp->line_cut = 0;
}

void logscan_splitter_set_line(struct logscan_splitter *sp, uint64_t line)
{
    sp->line_no = line;
}

/* The full path: every line split, analysed and kept in its event. */
static void feed_lines(struct logscan_splitter *sp, const char *data, size_t len)
{
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t seg = nl ? (size_t)(nl - data) : len;
        size_t room = LOGSCAN_LINE_MAX - sp->line.len;
        if (seg > room) {
            sp->line_long = true;
            sp->line_cut += seg - room;
            strbuf_append(&sp->line, data, room);
        } else {
            strbuf_append(&sp->line, data, seg);
        }
        if (!nl)
            return;
        process_line(sp);
        data += seg + 1;
        len -= seg + 1;
    }
}

/* ---- the fast path ----
 *
 * With a candidate matcher (logscan_splitter_set_fast), lines are first only classified:
 * does the line open an event (the same test as process_line's), and does it hold one of
 * the candidate literals (multimatch, one pass over all the lines of a chunk). An event
 * none of whose lines holds a candidate is counted (lines, one event, skip_fn told its first
 * line and timestamp) and never split, unless the probe (logscan_splitter_set_probe) wants
 * it. An event that holds a candidate, or that would be truncated, or holds a line too
 * long, goes through the full path from its first line (process_line and emit, exactly as
 * without the fast path): its lines so far are kept in pend until it ends or turns full.
 * The caller chooses the literals so that an event without any is one its callback would
 * ignore.
 *
 * Records (feed_record: decoded CRI, Docker, svlogd and JSON lines) take the same path: their
 * lines are appended to pend with what process_line needs of each (rec_line: its number,
 * the record's boundary and envelope time) and classified a chunk at a time; the lines of
 * an event that goes through the full path are fed to it with those, as feed_record would. */

/* A raw record's line (a JSON record not decoded yet) through the full path: decoded now,
 * then fed as feed_record feeds a decoded one (bound and line number are set). */
static void feed_raw_to_full(struct logscan_splitter *sp, const char *line, size_t len)
{
    char ts[ENVELOPE_TS_MAX];
    sb_reset(&sp->decoded);
    if (envelope_json_record(line, len, &sp->decoded, ts) == 0) {
        feed_lines(sp, sp->decoded.data ? sp->decoded.data : "", sp->decoded.len);
    } else { /* not a record after all: its line as it is, as the decoder would pass it */
        sp->bound = BOUND_AUTO;
        feed_lines(sp, line, len);
    }
    feed_lines(sp, "\n", 1);
}

/* The full path takes pend[from, to) (whole lines, rec_line li on in record mode). */
static void to_full(struct logscan_splitter *sp, size_t from, size_t to, size_t li)
{
    char *buf = sp->pend.data;
    if (!sp->rec) {
        feed_lines(sp, buf + from, to - from);
        return;
    }
    for (size_t ls = from; ls < to; li++) {
        const char *nl = memchr(buf + ls, '\n', to - ls);
        size_t next = nl ? (size_t)(nl - buf) + 1 : to;
        const struct rec_line *m = &sp->rl[li];
        memcpy(sp->envelope_ts, m->ts, sizeof(sp->envelope_ts));
        sp->bound = m->bound;
        sp->line_no = m->line - 1;
        if (m->raw)
            feed_raw_to_full(sp, buf + ls, next - ls - (nl ? 1 : 0));
        else
            feed_lines(sp, buf + ls, next - ls);
        ls = next;
    }
    sp->bound = BOUND_AUTO;
    sp->envelope_ts[0] = '\0';
}

/* The full path holds everything: the open fast event's lines and the bytes not yet
 * classified are fed to it (records, a line too long to keep in pend). */
static void flush_to_full(struct logscan_splitter *sp)
{
    if (!sp->mm || sp->pend.len == 0)
        return;
    if (sp->pend.len > sp->pend_done)
        sp->unscanned = true;
    to_full(sp, 0, sp->pend.len, 0);
    sb_reset(&sp->pend);
    sp->pend_done = 0;
    sp->n_rl = 0;
    sp->f_open = sp->f_full = false; /* the full path's state is the truth again */
}

/* The open fast event held no candidate: count it as the full path would have, its
 * callback told only its first line and time; its lines are first_line..last_line. */
static void skip_event(struct logscan_splitter *sp, uint64_t first_line, uint64_t last_line)
{
    sp->line_no = last_line;
    sp->lines += sp->ev_lines;
    sp->events++;
    sp->unsplit++;
    if (sp->skip_fn)
        sp->skip_fn(first_line, sp->ev_ts, sp->ctx);
}

/* The open fast event, pend[ev_start, end) (rec_line ev_li on), ends without a candidate:
 * skipped, or split when the probe wants it (its text is its bytes, unless a '\r' would be
 * dropped). */
static void end_fast_event(struct logscan_splitter *sp, size_t ev_start, size_t end, size_t ev_li)
{
    const char *t = sp->pend.data + ev_start;
    size_t n = end - ev_start;
    if (n > 0 && t[n - 1] == '\n')
        n--;
    if (sp->probe && (memchr(t, '\r', n) || sp->probe(t, n, sp->ctx))) {
        to_full(sp, ev_start, end, ev_li);
        if (sp->line.len > 0 || sp->line_long)
            process_line(sp); /* the file's last line, without its '\n' */
        emit(sp);
        return;
    }
    uint64_t first, last;
    if (sp->rec) {
        first = sp->rl[ev_li].line;
        last = sp->rl[ev_li + sp->ev_lines - 1].line;
    } else {
        first = sp->line_no + 1;
        last = sp->line_no + sp->ev_lines;
    }
    skip_event(sp, first, last);
}

static void on_candidate(void *ctx, size_t id, size_t end)
{
    struct logscan_splitter *sp = ctx;
    if (id >= sp->notice_from)
        sp->noticed = true;
    sp->ends = xgrow(sp->ends, &sp->ends_cap, sp->n_ends + 1, sizeof(size_t));
    sp->ends[sp->n_ends++] = sp->scan_base + end;
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Search buf[at, to) for the candidate literals, their ends (from `base`) appended to
 * sp->ends in order; false on an engine error. */
static bool scan_candidates(struct logscan_splitter *sp, const char *buf, size_t at, size_t to,
                            size_t base)
{
    size_t first = sp->n_ends;
    sp->scan_base = at - base;
    bool ok = multimatch_scan(sp->mm, sp->mm_sc, buf + at, to - at, on_candidate, sp) == 0;
    for (size_t k = first + 1; k < sp->n_ends; k++)
        if (sp->ends[k] < sp->ends[k - 1]) {
            qsort(sp->ends + first, sp->n_ends - first, sizeof(size_t), compare_size);
            break;
        }
    return ok;
}

/* Records: the end of the run of lines that are not raw from line `ls` (rec_line li) on,
 * before `complete`. A raw record holds no candidate literal, decoded or as it is written
 * (envelope.c: it lacks a token of each), so raw lines are not searched. */
static size_t cooked_run_end(const struct logscan_splitter *sp, const char *buf, size_t ls,
                             size_t li, size_t complete)
{
    while (ls < complete && !sp->rl[li].raw) {
        const char *nl = memchr(buf + ls, '\n', complete - ls);
        ls = nl ? (size_t)(nl - buf) + 1 : complete;
        li++;
    }
    return ls;
}

/* Whether the line s[0, len) opens an event after the fast path's state, and its family. */
static bool fast_starts(struct logscan_splitter *sp, const char *s, size_t len, enum boundary bound,
                        bool raw, enum family *fam, size_t *ts_start, size_t *ts_len)
{
    *fam = FAM_NONE;
    *ts_len = 0;
    if (bound == BOUND_CONTINUE && sp->f_open)
        return false;
    if (raw) /* a JSON record opens its event; its time only matters under --since, where
              * records are never passed on raw (logread.c, file_feed_skip) */
        return true;
    *ts_len = logscan_timestamp(s, len, ts_start);
    if (*ts_len > 0 || bound == BOUND_START)
        return true;
    enum family f = starter_family(s, len);
    if (f != FAM_NONE && !(sp->f_open && f != FAM_UNIQUE && sp->f_family == f)) {
        *fam = f;
        return true;
    }
    return !sp->f_open;
}

/* The time the event opening with line s would carry (start_event's choice), for skip_fn. */
static void note_event_ts(struct logscan_splitter *sp, const char *s, size_t ts_start,
                          size_t ts_len, const char *envelope_ts)
{
    if (ts_len == 0) {
        size_t n = strnlen(envelope_ts, sizeof(sp->ev_ts) - 1);
        memcpy(sp->ev_ts, envelope_ts, n);
        sp->ev_ts[n] = '\0';
        return;
    }
    if (ts_len >= sizeof(sp->ev_ts))
        ts_len = sizeof(sp->ev_ts) - 1;
    memcpy(sp->ev_ts, s + ts_start, ts_len);
    sp->ev_ts[ts_len] = '\0';
}

/* Classify the complete lines of pend not classified yet (at_end: the last one too, even
 * without its '\n'), handing events over as they end; keep what the next call needs. */
static void fast_classify(struct logscan_splitter *sp, bool at_end)
{
    if (!(sp->f_open && !sp->f_full)) { /* no fast event: mirror the full path's state */
        sp->f_open = sp->f_full = sp->open;
        sp->f_family = sp->family;
    }
    char *buf = sp->pend.data;
    size_t total = sp->pend.len, from = sp->pend_done, complete = from;
    if (at_end) {
        complete = total;
    } else if (total > from) {
        const char *nl = memrchr(buf + from, '\n', total - from);
        complete = nl ? (size_t)(nl - buf) + 1 : from;
    }
    size_t ev_start = 0; /* the open fast event's first line in pend */
    size_t ev_li = 0;    /* and its rec_line */
    size_t li = sp->f_open && !sp->f_full ? sp->ev_lines : 0; /* rec_line of the next line */
    if (complete > from) {
        /* NUL bytes read as spaces, as process_line reads them */
        for (char *z = memchr(buf + from, '\0', complete - from); z;
             z = memchr(z, '\0', complete - (size_t)(z - buf)))
            *z = ' ';
        sp->n_ends = 0;
        /* plain lines are searched at once; records run by run, raw ones left out */
        bool all = !sp->rec && !scan_candidates(sp, buf, from, complete, from);
        size_t searched = sp->rec ? from : complete; /* records: searched up to here */
        size_t k = 0;
        for (size_t ls = from; ls < complete; li++) {
            if (ls >= searched && !sp->rl[li].raw) {
                searched = cooked_run_end(sp, buf, ls, li, complete);
                all = !scan_candidates(sp, buf, ls, searched, from) || all;
            }
            const char *nl = memchr(buf + ls, '\n', complete - ls);
            size_t le = nl ? (size_t)(nl - buf) : complete, next = nl ? le + 1 : complete;
            size_t cl = le - ls;
            if (cl > 0 && buf[le - 1] == '\r')
                cl--;
            /* a candidate ends in (ls, le]: literals never hold a '\n' */
            while (k < sp->n_ends && from + sp->ends[k] <= ls)
                k++;
            const struct rec_line *m = sp->rec ? &sp->rl[li] : NULL;
            /* a raw record's decoded lines are at most RAW_MARGIN bytes longer than it */
            size_t margin = m && m->raw ? RAW_MARGIN : 0;
            bool cand = all || le - ls + margin >= LOGSCAN_LINE_MAX ||
                        (k < sp->n_ends && from + sp->ends[k] <= le);
            size_t ts_start = 0, ts_len;
            enum family fam;
            if (fast_starts(sp, buf + ls, cl, m ? m->bound : BOUND_AUTO, m && m->raw, &fam,
                            &ts_start, &ts_len)) {
                if (sp->f_open && !sp->f_full)
                    end_fast_event(sp, ev_start, ls, ev_li);
                else
                    emit(sp); /* the full path's event ends here */
                sp->f_open = true;
                sp->f_full = false;
                sp->f_family = fam;
                sp->ev_lines = 0;
                sp->ev_bytes = 0;
                ev_start = ls;
                ev_li = li;
                note_event_ts(sp, buf + ls, ts_start, ts_len, m ? m->ts : "");
            }
            if (sp->f_full) {
                to_full(sp, ls, next, li);
            } else {
                sp->ev_bytes += cl + margin + (sp->ev_lines ? 1 : 0);
                sp->ev_lines++;
                if (cand || sp->ev_bytes >= LOGSCAN_EVENT_MAX) {
                    /* the event from its first line on, through the full path */
                    to_full(sp, ev_start, next, ev_li);
                    sp->f_full = true;
                }
            }
            ls = next;
        }
    }
    bool fast_open = sp->f_open && !sp->f_full;
    size_t keep = fast_open ? ev_start : complete;
    if (keep > 0) {
        memmove(buf, buf + keep, total - keep);
        sp->pend.len = total - keep;
    }
    sp->pend_done = complete - keep;
    if (sp->rec) { /* records: every line is complete, the open event's are kept */
        size_t kept = fast_open ? li - ev_li : 0;
        memmove(sp->rl, sp->rl + (fast_open ? ev_li : li), kept * sizeof(struct rec_line));
        sp->n_rl = kept;
    }
    /* a line longer than any line kept: the full path cuts it */
    if (sp->pend.len - sp->pend_done > LOGSCAN_LINE_MAX)
        flush_to_full(sp);
}

/* End of the fast path's input: the open fast event ends (skipped, or split when the probe
 * wants it). */
static void fast_finish(struct logscan_splitter *sp)
{
    if (!(sp->line.len > 0 || sp->line_long))
        fast_classify(sp, true); /* the last line, even without its '\n' */
    if (sp->f_open && !sp->f_full)
        end_fast_event(sp, 0, sp->pend.len, 0);
    sp->f_open = sp->f_full = false;
    sb_reset(&sp->pend);
    sp->pend_done = 0;
    sp->n_rl = 0;
}

/* Plain bytes after records: the records' open event ends as at the end of input. */
static void end_records(struct logscan_splitter *sp)
{
    if (!sp->rec)
        return;
    fast_finish(sp);
    sp->rec = false;
}

void logscan_splitter_set_fast(struct logscan_splitter *sp, const struct multimatch *mm,
                               logscan_skip_fn skip_fn)
{
    if (sp->rec)
        fast_classify(sp, true);
    flush_to_full(sp);
    sp->rec = false;
    multimatch_scratch_free(sp->mm_sc);
    sp->mm = mm;
    sp->mm_sc = mm ? multimatch_scratch_new(mm) : NULL;
    sp->notice_from = SIZE_MAX;
    sp->skip_fn = skip_fn;
}

void logscan_splitter_set_probe(struct logscan_splitter *sp, logscan_probe_fn probe)
{
    sp->probe = probe;
}

void logscan_splitter_set_notice(struct logscan_splitter *sp, size_t first_id)
{
    sp->notice_from = first_id;
}

int logscan_splitter_notice(const struct logscan_splitter *sp)
{
    if (!sp->mm || sp->unscanned)
        return -1;
    return sp->noticed;
}

void logscan_splitter_notice_reset(struct logscan_splitter *sp)
{
    sp->noticed = sp->unscanned = false;
}

void logscan_splitter_sync(struct logscan_splitter *sp)
{
    if (sp->mm && sp->rec && sp->pend.len > sp->pend_done)
        fast_classify(sp, false);
}

void logscan_splitter_feed(struct logscan_splitter *sp, const char *data, size_t len)
{
    if (!sp->mm) {
        feed_lines(sp, data, len);
        return;
    }
    end_records(sp);
    if (sp->line.len > 0 || sp->line_long) {
        /* the full path holds an unfinished line: it takes the bytes up to its end */
        sp->unscanned = true;
        const char *nl = memchr(data, '\n', len);
        size_t seg = nl ? (size_t)(nl - data) + 1 : len;
        feed_lines(sp, data, seg);
        data += seg;
        len -= seg;
        if (!nl)
            return;
    }
    strbuf_append(&sp->pend, data, len);
    fast_classify(sp, false);
}

/* A record on the fast path: its lines join pend, each with its rec_line. */
static void fast_record(struct logscan_splitter *sp, const char *text, size_t len,
                        const char *envelope_ts, uint64_t line, bool whole, bool raw)
{
    if (!sp->rec) {
        flush_to_full(sp);                     /* a plain feed's lines first */
        if (sp->line.len > 0 || sp->line_long) /* and its unfinished line */
            feed_lines(sp, "\n", 1);
        sp->rec = true;
        sp->rec_last = sp->line_no;
    }
    size_t ts_len = envelope_ts ? strnlen(envelope_ts, LOGSCAN_TS_MAX - 1) : 0;
    uint64_t number = line > 0 ? line : sp->rec_last + 1;
    for (size_t p = 0, i = 0;; i++) {
        const char *nl = memchr(text + p, '\n', len - p);
        sp->rl = xgrow(sp->rl, &sp->rl_cap, sp->n_rl + 1, sizeof(struct rec_line));
        struct rec_line *m = &sp->rl[sp->n_rl++];
        m->line = number + i;
        m->bound = !whole ? BOUND_AUTO : i == 0 ? BOUND_START : BOUND_CONTINUE;
        m->raw = raw;
        memcpy(m->ts, envelope_ts ? envelope_ts : "", ts_len);
        m->ts[ts_len] = '\0';
        sp->rec_last = m->line;
        if (!nl)
            break;
        p = (size_t)(nl - text) + 1;
    }
    strbuf_append(&sp->pend, text, len);
    strbuf_append(&sp->pend, "\n", 1);
    if (sp->pend.len - sp->pend_done >= LOGSCAN_CHUNK)
        fast_classify(sp, false);
}

void logscan_splitter_feed_record(struct logscan_splitter *sp, const char *text, size_t len,
                                  const char *envelope_ts, uint64_t line, bool whole)
{
    if (sp->mm) {
        fast_record(sp, text, len, envelope_ts, line, whole, false);
        return;
    }
    if (sp->line.len > 0 || sp->line_long) /* a plain feed's unfinished line comes first */
        feed_lines(sp, "\n", 1);
    snprintf(sp->envelope_ts, sizeof(sp->envelope_ts), "%s", envelope_ts ? envelope_ts : "");
    if (line > 0)
        sp->line_no = line - 1;
    sp->bound = whole ? BOUND_START : BOUND_AUTO;
    feed_lines(sp, text, len);
    feed_lines(sp, "\n", 1);
    sp->bound = BOUND_AUTO;
    sp->envelope_ts[0] = '\0';
}

void logscan_splitter_feed_raw_record(struct logscan_splitter *sp, const char *line, size_t len,
                                      uint64_t line_no)
{
    if (sp->mm && !memchr(line, '\n', len)) {
        fast_record(sp, line, len, "", line_no, true, true);
        return;
    }
    char ts[ENVELOPE_TS_MAX];
    sb_reset(&sp->decoded);
    if (envelope_json_record(line, len, &sp->decoded, ts) == 0)
        logscan_splitter_feed_record(sp, sp->decoded.data ? sp->decoded.data : "", sp->decoded.len,
                                     "", line_no, true);
    else
        logscan_splitter_feed_record(sp, line, len, "", line_no, false);
}

void logscan_splitter_finish(struct logscan_splitter *sp)
{
    if (sp->mm) {
        fast_finish(sp);
        sp->rec = false;
    }
    if (sp->line.len > 0 || sp->line_long)
        process_line(sp);
    emit(sp);
    sp->line_no = 0;
}

/* Start markers: the line a service writes first when it starts, once per start. */
static const char *const start_markers[] = {
    "Server version name:", /* Tomcat 8.5+ VersionLoggerListener, first line of a start */
    "Server version:",      /* the same in Tomcat 7 and 8.0 */
};

bool logscan_is_start_marker(const char *text, size_t len)
{
    /* Markers stand on the record's first line, or on its second in Tomcat 7's two-line
     * java.util.logging records ("Nov 27, 2026 ... log" / "INFO: Server version: ..."). */
    const char *nl = memchr(text, '\n', len);
    const char *nl2 = nl ? memchr(nl + 1, '\n', len - (size_t)(nl + 1 - text)) : NULL;
    size_t head = nl2 ? (size_t)(nl2 - text) : len;
    for (size_t i = 0; i < sizeof(start_markers) / sizeof(start_markers[0]); i++)
        if (memmem(text, head, start_markers[i], strlen(start_markers[i])))
            return true;
    /* Spring Boot: "Starting MyApp v1.0 using Java 17.0.2 with PID 1 (...)", and 1.x/2.0-2.2:
     * "Starting MyApp v1.0 on host with PID 1 (...)". */
    const char *starting = memmem(text, head, "Starting ", 9);
    if (!starting)
        return false;
    size_t rest = head - (size_t)(starting - text);
    return memmem(starting, rest, " using Java ", 12) ||
           (memmem(starting, rest, " on ", 4) && memmem(starting, rest, " with PID ", 10));
}
