/*
 * logscan.c - split logs into events, match rules, group findings (see
 * logscan.h for the event and grouping rules).
 */
#include "logscan.h"

#include <ctype.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <zlib.h>

#include "envelope.h"
#include "util.h"

#define LEVEL_SCAN_MAX 160 /* bytes of a header searched for its level word */
#define MONTH_LEN 3

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

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Where the next line stands against event boundaries (records fed from envelope.c). */
enum boundary {
    BOUND_AUTO,     /* the usual rules: a timestamp or a starter opens an event */
    BOUND_START,    /* the first line of a JSON record: it opens an event */
    BOUND_CONTINUE, /* a JSON record's later lines: they stay in its event */
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
};

static bool digits_at(const char *s, size_t len, size_t pos, size_t n)
{
    if (pos + n > len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[pos + i]))
            return false;
    return true;
}

/* 1 or 2 digits at pos; their count, 0 when none. */
static size_t digits12(const char *s, size_t len, size_t pos)
{
    if (!digits_at(s, len, pos, 1))
        return 0;
    return digits_at(s, len, pos + 1, 1) ? 2 : 1;
}

static bool month_at(const char *s, size_t len, size_t pos)
{
    if (pos + MONTH_LEN > len)
        return false;
    for (size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++)
        if (memcmp(s + pos, months[i], MONTH_LEN) == 0)
            return true;
    return false;
}

/* HH:MM:SS at pos (hour with 1 or 2 digits when `short_hour`); end offset or 0. */
static size_t time_at(const char *s, size_t len, size_t pos, bool short_hour)
{
    size_t h = short_hour ? digits12(s, len, pos) : (digits_at(s, len, pos, 2) ? 2 : 0);
    if (h == 0)
        return 0;
    pos += h;
    if (pos + 6 > len || s[pos] != ':' || !digits_at(s, len, pos + 1, 2) || s[pos + 3] != ':' ||
        !digits_at(s, len, pos + 4, 2))
        return 0;
    return pos + 6;
}

/* Optional fraction [.,]d+ at pos; the new end. */
static size_t fraction_at(const char *s, size_t len, size_t pos)
{
    if (pos + 1 < len && (s[pos] == '.' || s[pos] == ',') && digits_at(s, len, pos + 1, 1)) {
        pos++;
        while (pos < len && isdigit((unsigned char)s[pos]))
            pos++;
    }
    return pos;
}

/* Optional Z or +HH[:]MM / -HHMM zone at pos; the new end. */
static size_t zone_at(const char *s, size_t len, size_t pos)
{
    if (pos < len && s[pos] == 'Z')
        return pos + 1;
    if (pos < len && (s[pos] == '+' || s[pos] == '-') && digits_at(s, len, pos + 1, 2)) {
        size_t p = pos + 3;
        if (p < len && s[p] == ':')
            p++;
        if (digits_at(s, len, p, 2))
            return p + 2;
        return pos + 3;
    }
    return pos;
}

/* 2026-11-27[ T]02:19:18[.,123][Z|+01:00], also with '/' between the date parts. */
static size_t iso_at(const char *s, size_t len, size_t p)
{
    if (!digits_at(s, len, p, 4) || p + 10 > len)
        return 0;
    char sep = s[p + 4];
    if ((sep != '-' && sep != '/') || !digits_at(s, len, p + 5, 2) || s[p + 7] != sep ||
        !digits_at(s, len, p + 8, 2) || p + 11 > len || (s[p + 10] != ' ' && s[p + 10] != 'T'))
        return 0;
    size_t end = time_at(s, len, p + 11, false);
    if (!end)
        return 0;
    return zone_at(s, len, fraction_at(s, len, end));
}

/* 27-Nov-2026 02:19:18[.123] (Tomcat 8.5+ OneLineFormatter). */
static size_t tomcat_at(const char *s, size_t len, size_t p)
{
    if (!digits_at(s, len, p, 2) || p + 12 > len || s[p + 2] != '-' || !month_at(s, len, p + 3) ||
        s[p + 6] != '-' || !digits_at(s, len, p + 7, 4) || s[p + 11] != ' ')
        return 0;
    size_t end = time_at(s, len, p + 12, false);
    return end ? fraction_at(s, len, end) : 0;
}

/* Nov 27, 2026 2:19:18 AM (java.util.logging SimpleFormatter, Tomcat 7). */
static size_t jul_at(const char *s, size_t len, size_t p)
{
    if (!month_at(s, len, p) || p + 4 > len || s[p + 3] != ' ')
        return 0;
    size_t q = p + 4, d = digits12(s, len, q);
    if (!d)
        return 0;
    q += d;
    if (q + 7 > len || s[q] != ',' || s[q + 1] != ' ' || !digits_at(s, len, q + 2, 4) ||
        s[q + 6] != ' ')
        return 0;
    size_t end = time_at(s, len, q + 7, true);
    if (!end || end + 3 > len || s[end] != ' ')
        return 0;
    if ((s[end + 1] == 'A' || s[end + 1] == 'P') && s[end + 2] == 'M')
        return end + 3;
    return 0;
}

size_t logscan_timestamp(const char *s, size_t len, size_t *start)
{
    size_t p = len > 0 && s[0] == '[' ? 1 : 0, end;
    if ((end = iso_at(s, len, p)) || (end = tomcat_at(s, len, p)) || (end = jul_at(s, len, p))) {
        *start = p;
        return end - p;
    }
    /* Time only (logback status lines, %d{HH:mm:ss.SSS}): millis required to avoid
     * taking a message that merely starts with a time for a header. */
    end = time_at(s, len, p, false);
    if (end && end + 1 < len && (s[end] == '.' || s[end] == ',') && digits_at(s, len, end + 1, 3)) {
        *start = p;
        return fraction_at(s, len, end) - p;
    }
    return 0;
}

static int month_number(const char *s)
{
    for (int i = 0; i < 12; i++)
        if (strncmp(s, months[i], 3) == 0)
            return i;
    return -1;
}

static int64_t to_epoch(struct tm *tm, bool utc, int offset_minutes)
{
    /* mktime would turn the 45th of the 13th month into a date: refuse it instead */
    if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 || tm->tm_mday > 31 ||
        tm->tm_hour < 0 || tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59 ||
        tm->tm_sec < 0 || tm->tm_sec > 60)
        return -1;
    tm->tm_isdst = -1;
    int mday = tm->tm_mday, mon = tm->tm_mon;
    time_t t = utc ? timegm(tm) : mktime(tm);
    if (tm->tm_mday != mday || tm->tm_mon != mon) /* February 30th became March 2nd */
        return -1;
    return t == (time_t)-1 ? -1 : (int64_t)t - (int64_t)offset_minutes * 60;
}

/* The zone after an ISO time: 'Z', +hh:mm, +hhmm; *utc false when there is none. */
static void parse_zone(const char *p, bool *utc, int *offset_minutes)
{
    while (*p == '.' || *p == ',' || (*p >= '0' && *p <= '9'))
        p++;
    *utc = false;
    *offset_minutes = 0;
    int h, m;
    if (*p == 'Z') {
        *utc = true;
    } else if ((*p == '+' || *p == '-') &&
               (sscanf(p + 1, "%2d:%2d", &h, &m) == 2 || sscanf(p + 1, "%2d%2d", &h, &m) == 2)) {
        *utc = true;
        *offset_minutes = (*p == '-' ? -1 : 1) * (h * 60 + m);
    }
}

int64_t logscan_epoch(const char *ts)
{
    struct tm tm = {0};
    char mon[4] = "", ampm[3] = "";
    int consumed = 0;
    bool utc;
    int offset;
    if (sscanf(ts, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) == 6) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        parse_zone(ts + consumed, &utc, &offset);
        return to_epoch(&tm, utc, offset);
    }
    if (sscanf(ts, "%2d-%3[A-Za-z]-%4d %2d:%2d:%2d", &tm.tm_mday, mon, &tm.tm_year, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) == 6 &&
        (tm.tm_mon = month_number(mon)) >= 0) {
        tm.tm_year -= 1900;
        return to_epoch(&tm, false, 0);
    }
    if (sscanf(ts, "%3[A-Za-z] %d, %4d %d:%2d:%2d %2[AP]M", mon, &tm.tm_mday, &tm.tm_year,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, ampm) == 7 &&
        (tm.tm_mon = month_number(mon)) >= 0) {
        tm.tm_year -= 1900;
        tm.tm_hour = tm.tm_hour % 12 + (ampm[0] == 'P' ? 12 : 0);
        return to_epoch(&tm, false, 0);
    }
    return -1;
}

int logscan_parse_since(const char *text, int64_t now, int64_t *out)
{
    char unit = 0;
    unsigned long long n;
    int consumed = 0;
    if (sscanf(text, "%llu%c%n", &n, &unit, &consumed) == 2 && text[consumed] == '\0') {
        static const struct {
            char unit;
            int64_t seconds;
        } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
            if (unit == units[i].unit && n < (unsigned long long)(INT64_MAX / units[i].seconds)) {
                *out = now - (int64_t)n * units[i].seconds;
                return 0;
            }
        return -1;
    }
    /* a date alone, or a date and hh:mm without seconds, as people type them */
    char buf[64];
    int y, mo, d, h = 0, mi = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) == 3 && text[consumed] == '\0') {
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d 00:00:00", y, mo, d);
        text = buf;
    } else if (sscanf(text, "%4d-%2d-%2d%*1[ T]%2d:%2d%n", &y, &mo, &d, &h, &mi, &consumed) == 5 &&
               text[consumed] == '\0') {
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:00", y, mo, d, h, mi);
        text = buf;
    }
    int64_t t = logscan_epoch(text);
    if (t < 0)
        return -1;
    *out = t;
    return 0;
}

static bool is_hex(char c)
{
    return isxdigit((unsigned char)c) != 0;
}

void logscan_mask(const char *s, size_t len, char *buf, size_t size)
{
    if (size == 0)
        return;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < size;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            size_t j = i;
            bool digit = false, hex = true;
            while (j < len && isalnum((unsigned char)s[j])) {
                digit |= isdigit((unsigned char)s[j]) != 0;
                hex &= is_hex(s[j]);
                j++;
            }
            bool hex_literal = j - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
            if (hex_literal) {
                hex = true;
                for (size_t k = i + 2; k < j; k++)
                    hex &= is_hex(s[k]);
            }
            if (digit && hex) {
                buf[o++] = '#';
            } else if (isdigit(c)) {
                /* "30000ms", "3rd": the number goes, the unit stays. */
                buf[o++] = '#';
                while (i < j && isdigit((unsigned char)s[i]))
                    i++;
                size_t n = j - i < size - 1 - o ? j - i : size - 1 - o;
                memcpy(buf + o, s + i, n);
                o += n;
            } else {
                size_t n = j - i < size - 1 - o ? j - i : size - 1 - o;
                memcpy(buf + o, s + i, n);
                o += n;
            }
            i = j;
        } else {
            buf[o++] = (c == '\n' || c == '\t' || c == '\r' || c < 0x20) ? ' ' : (char)c;
            i++;
        }
    }
    buf[o] = '\0';
}

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
static long find_exception(const char *s, size_t len, size_t *n)
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

void logscan_splitter_feed(struct logscan_splitter *sp, const char *data, size_t len)
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

void logscan_splitter_feed_record(struct logscan_splitter *sp, const char *text, size_t len,
                                  const char *envelope_ts, uint64_t line, bool whole)
{
    if (sp->line.len > 0 || sp->line_long) /* a plain feed's unfinished line comes first */
        logscan_splitter_feed(sp, "\n", 1);
    snprintf(sp->envelope_ts, sizeof(sp->envelope_ts), "%s", envelope_ts ? envelope_ts : "");
    if (line > 0)
        sp->line_no = line - 1;
    sp->bound = whole ? BOUND_START : BOUND_AUTO;
    logscan_splitter_feed(sp, text, len);
    logscan_splitter_feed(sp, "\n", 1);
    sp->bound = BOUND_AUTO;
    sp->envelope_ts[0] = '\0';
}

void logscan_splitter_finish(struct logscan_splitter *sp)
{
    if (sp->line.len > 0 || sp->line_long)
        process_line(sp);
    emit(sp);
    sp->line_no = 0;
}

/* ---- matching and grouping ---- */

struct slot {
    char *key; /* group_key(): rule id, title, signature; NULL when free */
    size_t finding;
};

struct logscan {
    const struct rule_set *rules;
    struct log_report *report;
    struct rule_scratch *scratch;
    struct logscan_splitter *sp;
    struct logscan_splitter *sp_err; /* CRI and Docker stderr, kept apart from stdout */
    bool format_forced;              /* --log-format: every file is read as `format` */
    enum log_format format;
    struct slot *slots;
    size_t n_slots; /* a power of two */
    size_t used;
    /* the file being read */
    const char *path;
    size_t file_index;
    enum log_kind kind;
    bool *limit_reported; /* per rule, reset per file */
    /* what to skip: events before since_epoch, or before line skip_before */
    bool has_since;
    int64_t since_epoch;
    bool last_start_only;
    uint64_t skip_before;
    bool before_since; /* the last dated event was before since_epoch */
    void (*progress)(void *ud, const char *path, uint64_t bytes);
    void *progress_ud;
    /* files already read (their real paths): a log reached twice, through its directory and
     * as a file the JVM holds open, is read once */
    char **seen;
    size_t n_seen, seen_cap;
    /* counts of a second thread's half of the current file, added by end_file */
    uint64_t extra_lines, extra_events, extra_truncated, extra_long_lines;
    /* occurrences of timestamped matched events, to count a record written to two files
     * once (see occ_seen) */
    struct occurrence *occ;
    size_t n_occ_slots, n_occ;
    size_t occ_file; /* the file index occurrences are recorded under (the file read) */
};

/* One timestamped occurrence of a matched event: a hash of its timestamp and text, the
 * file it was first read in, and the finding it went to (an index into the scanner's own
 * report, used when a second thread's half is merged). */
struct occurrence {
    uint64_t hash; /* 0: a free slot */
    uint32_t file;
    uint32_t finding;
    uint64_t line;
    bool opened; /* this occurrence opened its finding */
};

#define OCC_MAX (1u << 16) /* occurrences remembered; later ones are counted without check */
#define OCC_INITIAL 256
#define SLOTS_INITIAL 256
#define UNCATEGORIZED_ID "uncategorized"

static void on_event(const struct log_event *ev, void *ctx);

struct logscan *logscan_new(const struct rule_set *rules, struct log_report *report)
{
    struct logscan *ls = xcalloc(1, sizeof(*ls));
    ls->rules = rules;
    ls->report = report;
    ls->scratch = rules_scratch_new(rules);
    ls->sp = logscan_splitter_new(on_event, ls);
    ls->sp_err = logscan_splitter_new(on_event, ls);
    ls->n_slots = SLOTS_INITIAL;
    ls->slots = xcalloc(ls->n_slots, sizeof(struct slot));
    ls->limit_reported = xcalloc(rules->n_rules + 1, sizeof(bool));
    return ls;
}

void logscan_set_since(struct logscan *ls, int64_t epoch)
{
    ls->has_since = true;
    ls->since_epoch = epoch;
}

void logscan_set_format(struct logscan *ls, enum log_format format)
{
    ls->format_forced = true;
    ls->format = format;
}

void logscan_set_last_start(struct logscan *ls, bool on)
{
    ls->last_start_only = on;
}

void logscan_set_progress(struct logscan *ls,
                          void (*fn)(void *ud, const char *path, uint64_t bytes), void *ud)
{
    ls->progress = fn;
    ls->progress_ud = ud;
}

void logscan_free(struct logscan *ls)
{
    if (!ls)
        return;
    for (size_t i = 0; i < ls->n_slots; i++)
        free(ls->slots[i].key);
    free(ls->slots);
    free(ls->limit_reported);
    logscan_splitter_free(ls->sp);
    logscan_splitter_free(ls->sp_err);
    rules_scratch_free(ls->scratch);
    strv_free(ls->seen, ls->n_seen);
    free(ls->occ);
    free(ls);
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static struct slot *slot_find(struct slot *slots, size_t n_slots, const char *key)
{
    size_t i = (size_t)hash_str(key) & (n_slots - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (n_slots - 1);
    return &slots[i];
}

static void slots_grow(struct logscan *ls)
{
    size_t n = ls->n_slots * 2;
    struct slot *slots = xcalloc(n, sizeof(struct slot));
    for (size_t i = 0; i < ls->n_slots; i++)
        if (ls->slots[i].key)
            *slot_find(slots, n, ls->slots[i].key) = ls->slots[i];
    free(ls->slots);
    ls->slots = slots;
    ls->n_slots = n;
}

/* The key a finding is grouped by. An uncategorized finding: its signature (its title
 * carries the unmasked message). A rule whose title its facts filled in (a port, a
 * context, a class): the rule and that title, since the facts name the problem whatever
 * the frames that reported it; two ports are two findings. Any other rule: the rule and
 * the signature. */
static char *group_key(const struct logscan *ls, const struct log_finding *f)
{
    const struct log_rule *r =
        strcmp(f->rule_id, UNCATEGORIZED_ID) != 0 ? rules_find(ls->rules, f->rule_id) : NULL;
    if (r && f->title && strcmp(r->title, f->title) != 0)
        return xasprintf("%s\x1f%s", f->rule_id, f->title);
    return xasprintf("%s\x1f\x1f%s", f->rule_id, f->signature);
}

static char *signature_of(const struct log_event *ev, const char *msg, size_t msg_len)
{
    char masked[LOGSCAN_MESSAGE_MAX];
    logscan_mask(msg, msg_len, masked, sizeof(masked));
    return xasprintf("%s | %s | %s", ev->chain, masked, ev->top_frame);
}

static char *dup_or_null(const char *s)
{
    return s && s[0] ? xstrdup(s) : NULL;
}

#define TITLE_MESSAGE_MAX 160 /* bytes of an exception message in an uncategorized title */
#define TITLE_MAX 240         /* bytes of a title filled from facts; longer ones end in "..." */

/* A title cut at TITLE_MAX bytes (at a UTF-8 boundary) with "..." when it was longer. */
static char *capped_title(char *title)
{
    size_t n = strlen(title);
    if (n <= TITLE_MAX)
        return title;
    n = TITLE_MAX;
    while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
        n--;
    char *cut = xasprintf("%.*s...", (int)n, title);
    free(title);
    return cut;
}

/* An exception line "[Caused by: ]pkg.Type: message" (or "pkg.Type; message", SAX): the
 * type and the message (empty when none); false when the line names no exception. */
static bool exception_parts(const char *line, const char **type, size_t *type_len, const char **msg)
{
    if (str_has_prefix(line, "Caused by: "))
        line += 11;
    size_t n;
    long at = find_exception(line, strlen(line), &n);
    if (at < 0)
        return false;
    *type = line + at;
    *type_len = n;
    const char *m = line + at + n;
    while (*m == ':' || *m == ';' || *m == ' ' || *m == '\t')
        m++;
    *msg = m;
    return true;
}

/* Facts an exception gives any finding: its type and message (the root cause's, else the
 * first exception's), unless the rule's pattern named them already. */
static void exception_facts(struct log_finding *f, const struct log_event *ev)
{
    const char *line = ev->root_cause[0] ? ev->root_cause : ev->first_exception;
    const char *type, *msg;
    size_t type_len;
    if (!line[0] || !exception_parts(line, &type, &type_len, &msg))
        return;
    /* Spring 5 and older chain causes in one message: "...; nested exception is
     * pkg.Type: message". The innermost is the useful one. */
    static const char nested[] = "nested exception is ";
    const char *last = NULL;
    for (const char *p = msg; (p = strstr(p, nested)); p += sizeof(nested) - 1)
        last = p + sizeof(nested) - 1;
    const char *inner_type, *inner_msg;
    size_t inner_len;
    if (last && exception_parts(last, &inner_type, &inner_len, &inner_msg) && inner_type == last) {
        type = inner_type;
        type_len = inner_len;
        msg = inner_msg;
    }
    if (!log_finding_fact(f, "exception")) {
        char *v = rules_fact_value(type, type_len);
        log_finding_add_fact(f, "exception", v);
        free(v);
    }
    if (msg[0] && !log_finding_fact(f, "message")) {
        char *v = rules_fact_value(msg, strlen(msg));
        log_finding_add_fact(f, "message", v);
        free(v);
    }
}

/* "Java 21" for class file version 65: releases 5 and later are the version minus 44. */
static char *java_release_of(const char *class_version)
{
    char *end;
    long v = strtol(class_version, &end, 10);
    if (*end || v < 45 || v > 200)
        return NULL;
    if (v < 49)
        return xasprintf("Java 1.%ld", v - 44);
    return xasprintf("Java %ld", v - 44);
}

/* Where Tomcat names a webapp inside records about something else: a lifecycle wrapper
 * ("...StandardHost[localhost].StandardContext[/acme]]"), a request error ("in context
 * with path [/shop]"), a logger named after the context ("[localhost].[/acme]"). */
static const char *const context_markers[] = {
    ".StandardContext[",
    "in context with path [",
    "].[/",
};

/* The context an event names, when its rule did not capture one: so that a cause found
 * inside a wrapper still says which webapp it stopped. */
static void ambient_context(struct log_finding *f, const struct log_event *ev)
{
    if (log_finding_fact(f, "context"))
        return;
    for (size_t i = 0; i < sizeof(context_markers) / sizeof(context_markers[0]); i++) {
        size_t ml = strlen(context_markers[i]);
        const char *at = memmem(ev->text, ev->len, context_markers[i], ml);
        if (!at)
            continue;
        const char *v = at + ml, *end = ev->text + ev->len;
        if (context_markers[i][ml - 1] == '/')
            v--; /* the marker's slash starts the path */
        const char *close = memchr(v, ']', (size_t)(end - v));
        const char *nl = memchr(v, '\n', (size_t)(end - v));
        if (!close || (nl && nl < close) || close - v > 200)
            continue;
        char *path = rules_context_path(v, (size_t)(close - v));
        log_finding_add_fact(f, "context", path);
        free(path);
        return;
    }
}

/* Spring Boot's failure analysis ("APPLICATION FAILED TO START", "Description:",
 * "Action:") as facts of whatever rule matched its record (a port in use, a property that
 * cannot be bound): the description says what failed, the action what to do. */
static void failure_analysis(struct log_finding *f, const struct log_event *ev)
{
    static const char banner[] = "APPLICATION FAILED TO START";
    const char *end = ev->text + ev->len;
    const char *at = memmem(ev->text, ev->len, banner, sizeof(banner) - 1);
    const char *desc = at ? memmem(at, (size_t)(end - at), "\nDescription:", 13) : NULL;
    if (!desc)
        return;
    desc += 13;
    const char *action = memmem(desc, (size_t)(end - desc), "\nAction:", 8);
    const char *desc_end = action ? action : end;
    static const char *const names[] = {"description", "action"};
    const char *from[] = {desc, action ? action + 8 : NULL};
    const char *to[] = {desc_end, end};
    for (size_t i = 0; i < 2; i++) {
        if (!from[i] || log_finding_fact(f, names[i]))
            continue;
        char *v = rules_fact_value(from[i], (size_t)(to[i] - from[i]));
        if (v[0])
            log_finding_add_fact(f, names[i], v);
        free(v);
    }
}

/* Facts computed from others: the Java releases of class file versions. */
static void derived_facts(struct log_finding *f)
{
    static const char *const pairs[][2] = {{"class_version", "java_release"},
                                           {"runtime_version", "runtime_release"}};
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const char *v = log_finding_fact(f, pairs[i][0]);
        char *release = v && !log_finding_fact(f, pairs[i][1]) ? java_release_of(v) : NULL;
        if (release)
            log_finding_add_fact(f, pairs[i][1], release);
        free(release);
    }
}

/* "SAXParseException: The element type ... must be terminated": an uncategorized finding is
 * named by what was thrown, never by the logger or method that logged it. */
static char *exception_title(const struct log_finding *f, const struct log_event *ev)
{
    const char *type = log_finding_fact(f, "exception");
    const char *msg = log_finding_fact(f, "message");
    if (!type) {
        size_t n = strcspn(ev->chain, " ");
        return xasprintf("Error with an exception no rule recognises: %.*s", (int)n, ev->chain);
    }
    const char *dot = strrchr(type, '.');
    const char *simple = dot ? dot + 1 : type;
    if (!msg)
        return xstrdup(simple);
    size_t n = strlen(msg);
    if (n > TITLE_MESSAGE_MAX) {
        n = TITLE_MESSAGE_MAX;
        while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
            n--;
    }
    return xasprintf("%s: %.*s%s", simple, (int)n, msg, n < strlen(msg) ? "..." : "");
}

static void new_finding(struct logscan *ls, struct log_finding *f, const struct log_event *ev,
                        const struct rule_hit *hit, char *signature)
{
    const struct log_rule *r = hit->rule;
    if (r) {
        f->rule_id = xstrdup(r->id);
        f->severity = r->severity;
        f->category = xstrdup(r->category);
        f->impact = r->impact;
        if (hit->class_end > hit->class_start)
            f->class_name =
                xstrndup(ev->text + hit->class_start, hit->class_end - hit->class_start);
        rules_hit_facts(hit, ev->text, f);
        exception_facts(f, ev);
        ambient_context(f, ev);
        failure_analysis(f, ev);
        derived_facts(f);
        f->title = capped_title(rules_expand(r->title, f));
        f->hint = rules_expand(r->hint, f);
        if (r->title_zh)
            f->title_zh = capped_title(rules_expand(r->title_zh, f));
        if (r->hint_zh)
            f->hint_zh = rules_expand(r->hint_zh, f);
    } else {
        f->rule_id = xstrdup(UNCATEGORIZED_ID);
        f->severity = SEV_WARNING;
        f->category = xstrdup("other");
        f->impact = IMPACT_RUNTIME;
        exception_facts(f, ev);
        ambient_context(f, ev);
        f->title = exception_title(f, ev);
        f->hint = xstrdup("No rule knows this error. Read the root cause and the first "
                          "application frame of the sample; if it matters and recurs, add a "
                          "rule for it in a --rules directory.");
    }
    /* The JVM's default handler prints this when main ends with an exception: a plain Java
     * service stops with it, whatever the exception (the same error in a request thread is
     * an error at run time). */
    if (str_has_prefix(ev->text, "Exception in thread \"main\" ") && f->impact < IMPACT_SERVICE)
        f->impact = IMPACT_SERVICE;
    log_finding_add_location(f, ls->path, ev->line, ev->timestamp[0] ? ev->timestamp : NULL);
    f->signature = signature;
    f->count = 1;
    f->first_seen = dup_or_null(ev->timestamp);
    f->last_seen = dup_or_null(ev->timestamp);
    f->file = xstrdup(ls->path);
    f->line = ev->line;
    if (ev->root_cause[0])
        f->root_cause = xstrdup(ev->root_cause);
    else
        f->root_cause = dup_or_null(ev->first_exception);
    size_t n = ev->len < LOGSCAN_SAMPLE_MAX ? ev->len : LOGSCAN_SAMPLE_MAX;
    f->sample = xstrndup(ev->text, n);
    f->truncated = ev->truncated || n < ev->len;
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

/* Whether the event falls before --since or the last start, and so is only counted. */
static bool skipped(struct logscan *ls, const struct log_event *ev)
{
    if (ls->last_start_only && ev->line < ls->skip_before)
        return true;
    if (!ls->has_since)
        return false;
    int64_t t = ev->timestamp[0] ? logscan_epoch(ev->timestamp) : -1;
    if (t >= 0)
        ls->before_since = t < ls->since_epoch;
    return ls->before_since;
}

static void note_start(struct logscan *ls, const struct log_event *ev)
{
    if (!logscan_is_start_marker(ev->text, ev->len))
        return;
    struct log_file *lf = &ls->report->files[ls->file_index];
    const char *nl = memchr(ev->text, '\n', ev->len);
    size_t n = nl ? (size_t)(nl - ev->text) : ev->len;
    free(lf->last_start);
    lf->last_start = xstrndup(ev->text, n < LOGSCAN_MARKER_MAX ? n : LOGSCAN_MARKER_MAX);
    lf->last_start_line = ev->line;
}

/* ---- one record in two files ----
 *
 * Tomcat's console and its catalina.<date>.log receive the same records. A timestamped
 * event is hashed with its text (thread name included); the same hash read from another
 * file is the same occurrence: not counted again, its file added to the finding's
 * locations when it is the finding's first occurrence. Memory is bounded by OCC_MAX. */

static uint64_t occ_hash(const struct log_event *ev)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = ev->timestamp; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (size_t i = 0; i < ev->len; i++)
        h = (h ^ (unsigned char)ev->text[i]) * 1099511628211ull;
    return h ? h : 1;
}

static struct occurrence *occ_slot(struct occurrence *table, size_t n_slots, uint64_t hash)
{
    size_t i = (size_t)(hash ^ (hash >> 29)) & (n_slots - 1);
    while (table[i].hash && table[i].hash != hash)
        i = (i + 1) & (n_slots - 1);
    return &table[i];
}

/* The occurrence recorded under `hash`, or NULL. */
static struct occurrence *occ_find(const struct logscan *ls, uint64_t hash)
{
    if (!ls->occ)
        return NULL;
    struct occurrence *o = occ_slot(ls->occ, ls->n_occ_slots, hash);
    return o->hash ? o : NULL;
}

/* Remember an occurrence (not when OCC_MAX are remembered already). */
static void occ_add(struct logscan *ls, const struct occurrence *o)
{
    if (ls->n_occ >= OCC_MAX)
        return;
    if (!ls->occ || (ls->n_occ + 1) * 2 > ls->n_occ_slots) {
        size_t n = ls->occ ? ls->n_occ_slots * 2 : OCC_INITIAL;
        struct occurrence *table = xcalloc(n, sizeof(*table));
        for (size_t i = 0; i < ls->n_occ_slots; i++)
            if (ls->occ[i].hash)
                *occ_slot(table, n, ls->occ[i].hash) = ls->occ[i];
        free(ls->occ);
        ls->occ = table;
        ls->n_occ_slots = n;
    }
    *occ_slot(ls->occ, ls->n_occ_slots, o->hash) = *o;
    ls->n_occ++;
}

#define LOCATIONS_MAX 64 /* files listed for one finding */

/* Note that finding `into` was also seen at file:line: the first place in each file. */
static void add_location_once(struct log_finding *into, const char *file, uint64_t line,
                              const char *timestamp)
{
    /* most events of a finding come from the file read last: look there first */
    if (into->n_locations && strcmp(into->locations[into->n_locations - 1].file, file) == 0)
        return;
    if (into->n_locations >= LOCATIONS_MAX)
        return;
    for (size_t i = 0; i < into->n_locations; i++)
        if (strcmp(into->locations[i].file, file) == 0)
            return;
    log_finding_add_location(into, file, line, timestamp);
}

/* An occurrence already counted from another file: its second place, not a new count. */
static void count_again_elsewhere(struct log_finding *into, const struct occurrence *first,
                                  const char *file, uint64_t line, const char *timestamp)
{
    if (first->opened)
        add_location_once(into, file, line, timestamp);
}

static void on_event(const struct log_event *ev, void *ctx)
{
    struct logscan *ls = ctx;
    note_start(ls, ev);
    if (skipped(ls, ev)) {
        ls->report->files[ls->file_index].skipped_events++;
        return;
    }
    struct rule_hit hit;
    rules_match(ls->rules, ev->text, ev->len, ls->kind, ls->scratch, &hit);
    if (hit.limit_rule) {
        size_t idx = (size_t)(hit.limit_rule - ls->rules->rules);
        if (!ls->limit_reported[idx]) {
            ls->limit_reported[idx] = true;
            char *msg = xasprintf(
                "rule %s (%s) hit a PCRE2 limit (match, depth or JIT stack) at line %llu; "
                "it was skipped for that event: simplify its pattern",
                hit.limit_rule->id, hit.limit_rule->origin, (unsigned long long)ev->line);
            log_report_add_problem(ls->report, SEV_WARNING, ls->path, msg);
            free(msg);
        }
    }
    char *sig;
    if (hit.rule) {
        sig = signature_of(ev, ev->text + hit.match_start, hit.match_end - hit.match_start);
    } else if (ev->error_level && ev->chain[0]) {
        sig = signature_of(ev, ev->first_exception, strlen(ev->first_exception));
    } else {
        return;
    }
    /* The finding this event would open: its facts decide its title, which is part of
     * the group key. */
    struct log_finding f;
    memset(&f, 0, sizeof(f));
    new_finding(ls, &f, ev, &hit, sig);
    char *key = group_key(ls, &f);
    struct slot *slot = slot_find(ls->slots, ls->n_slots, key);
    struct log_report *rep = ls->report;
    uint64_t hash = ev->timestamp[0] ? occ_hash(ev) : 0;
    struct occurrence *seen = hash ? occ_find(ls, hash) : NULL;
    if (seen && seen->file != ls->occ_file && slot->key) {
        count_again_elsewhere(&rep->findings[slot->finding], seen, ls->path, ev->line,
                              ev->timestamp);
        free(key);
        log_finding_clear(&f);
        return;
    }
    if (hash && !seen)
        occ_add(ls, &(struct occurrence){hash, (uint32_t)ls->occ_file,
                                         (uint32_t)(slot->key ? slot->finding : rep->n_findings),
                                         ev->line, !slot->key});
    if (slot->key) {
        struct log_finding *into = &rep->findings[slot->finding];
        into->count++;
        add_location_once(into, ls->path, ev->line, ev->timestamp[0] ? ev->timestamp : NULL);
        if (ev->timestamp[0]) {
            free(into->last_seen);
            into->last_seen = xstrdup(ev->timestamp);
            if (!into->first_seen)
                into->first_seen = xstrdup(ev->timestamp);
        }
        free(key);
        log_finding_clear(&f);
        return;
    }
    if (rep->n_findings >= LOGSCAN_MAX_FINDINGS) {
        rep->dropped_findings++;
        free(key);
        log_finding_clear(&f);
        return;
    }
    rep->findings =
        xgrow(rep->findings, &rep->findings_cap, rep->n_findings + 1, sizeof(struct log_finding));
    rep->findings[rep->n_findings] = f;
    slot->key = key;
    slot->finding = rep->n_findings++;
    if (++ls->used * 2 > ls->n_slots)
        slots_grow(ls);
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
    ls->extra_lines = ls->extra_events = ls->extra_truncated = ls->extra_long_lines = 0;
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
    struct envelope_decoder *dec; /* NULL for a plain file */
};

static void feed_decoded(const struct envelope_record *rec, void *ctx)
{
    const struct file_feed *ff = ctx;
    logscan_splitter_feed_record(rec->from_stderr ? ff->err : ff->out, rec->text, rec->len,
                                 rec->timestamp, rec->line, rec->whole);
}

/* ff must stay where it is until file_feed_close: the decoder points at it. */
static void file_feed_open(struct file_feed *ff, enum log_format format,
                           struct logscan_splitter *out, struct logscan_splitter *err)
{
    ff->out = out;
    ff->err = err;
    ff->dec = format == LOG_FORMAT_PLAIN ? NULL : envelope_decoder_new(format, feed_decoded, ff);
}

static void file_feed(struct file_feed *ff, const char *data, size_t len)
{
    if (ff->dec)
        envelope_decoder_feed(ff->dec, data, len);
    else
        logscan_splitter_feed(ff->out, data, len);
}

/* Flush what the decoder holds; the physical lines it read (0 for a plain file). */
static uint64_t file_feed_close(struct file_feed *ff)
{
    if (!ff->dec)
        return 0;
    envelope_decoder_finish(ff->dec);
    uint64_t lines = envelope_decoder_lines(ff->dec);
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
    file_feed(&ff, data, len);
    uint64_t physical = file_feed_close(&ff);
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
    char *msg = NULL;
    enum severity sev = SEV_INFO;
    if (c->sampled && c->control_bytes * 100 >= c->sampled * CONTENT_BINARY_PERCENT) {
        msg = xasprintf("%s: looks binary, not a log (%llu control bytes in its first %llu)", path,
                        (unsigned long long)c->control_bytes, (unsigned long long)c->sampled);
        sev = SEV_WARNING;
    } else if (c->nul_bytes) {
        msg =
            xasprintf("%s: %llu NUL bytes, read as spaces", path, (unsigned long long)c->nul_bytes);
    }
    if (msg)
        log_report_add_problem(ls->report, sev, path, msg);
    free(msg);
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
    struct file_feed ff;
    file_feed_open(&ff, format, sp, sp_err);
    char *buf = xmalloc(LOGSCAN_CHUNK);
    int got;
    while ((got = gzread(gz, buf, LOGSCAN_CHUNK)) > 0)
        file_feed(&ff, buf, (size_t)got);
    file_feed_close(&ff);
    logscan_splitter_finish(sp);
    logscan_splitter_finish(sp_err);
    logscan_splitter_free(sp);
    logscan_splitter_free(sp_err);
    free(buf);
    gzrewind(gz);
    return mp.line;
}

/* The next chunk of a file: the `pending` bytes already in buf first, then gzread. */
static int next_chunk(gzFile gz, char *buf, size_t *pending)
{
    if (*pending) {
        int got = (int)*pending;
        *pending = 0;
        return got;
    }
    return gzread(gz, buf, LOGSCAN_CHUNK);
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

/* ---- two threads on one large plain log ----
 *
 * The second half starts at an event boundary (a line opening with a timestamp) near the
 * middle. A second scanner with its own splitter, matching scratch and findings reads it,
 * after counting the first half's lines so that its line numbers are the file's; its
 * findings are then merged into the first scanner's as if one thread had read on. */

#define SPLIT_WINDOW (1u << 20) /* bytes searched after the middle for an event start */

/* An offset near the middle where a timestamped line starts; 0 when there is none. */
static uint64_t find_split(int fd, uint64_t size)
{
    char *buf = xmalloc(SPLIT_WINDOW);
    uint64_t mid = size / 2, split = 0;
    ssize_t got = pread(fd, buf, SPLIT_WINDOW, (off_t)mid);
    for (ssize_t i = 0; got > 0 && i < got && !split; i++) {
        if (buf[i] != '\n' || i + 1 >= got)
            continue;
        size_t start, rest = (size_t)(got - i - 1);
        if (logscan_timestamp(buf + i + 1, rest, &start) > 0 && start == 0)
            split = mid + (uint64_t)i + 1;
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
    uint64_t start, end;
    bool count_first; /* count the lines before start first (the second half) */
    struct content_check check;
    uint64_t bytes;
    bool read_error;
};

static void *read_range(void *arg)
{
    struct range_job *job = arg;
    char *buf = xmalloc(LOGSCAN_CHUNK);
    if (job->count_first)
        logscan_splitter_set_line(job->ls->sp, count_lines(job->fd, job->start, buf));
    uint64_t at = job->start;
    while (at < job->end) {
        size_t want = job->end - at < LOGSCAN_CHUNK ? (size_t)(job->end - at) : LOGSCAN_CHUNK;
        ssize_t got = pread(job->fd, buf, want, (off_t)at);
        if (got <= 0) {
            job->read_error = got < 0;
            break;
        }
        check_content(&job->check, buf, (size_t)got);
        logscan_splitter_feed(job->ls->sp, buf, (size_t)got);
        at += (uint64_t)got;
        job->bytes += (uint64_t)got;
        if (job->ls->progress)
            job->ls->progress(job->ls->progress_ud, job->ls->path, job->bytes);
    }
    logscan_splitter_finish(job->ls->sp);
    free(buf);
    return NULL;
}

/* The second half's occurrences against the first scanner's: one read from an earlier file
 * is the same record again (the half counted it, so its finding counts one less). `map`
 * gives the first scanner's finding of each of the half's, SIZE_MAX when dropped. */
static void merge_occurrences(struct logscan *ls, const struct logscan *second, const size_t *map)
{
    struct log_report *rep = ls->report;
    for (size_t i = 0; i < second->n_occ_slots; i++) {
        const struct occurrence *o = &second->occ[i];
        if (!o->hash)
            continue;
        size_t target = map[o->finding];
        struct occurrence *m = occ_find(ls, o->hash);
        if (m && m->file != o->file && target != SIZE_MAX) {
            struct log_finding *into = &rep->findings[target];
            if (into->count > 1)
                into->count--;
            /* the same record: the first place's timestamp is this one's */
            const char *ts = into->n_locations ? into->locations[0].timestamp : NULL;
            count_again_elsewhere(into, m, ls->path, o->line, ts);
        } else if (!m) {
            struct occurrence copy = *o;
            copy.finding = target == SIZE_MAX ? 0 : (uint32_t)target;
            occ_add(ls, &copy);
        }
    }
}

/* Fold the second half's findings into the first's, as one sequential reading would have
 * grouped them: counts add up, the first occurrence keeps its sample, the last sets
 * last_seen; records already read from another file are not counted again. */
static void merge_findings(struct logscan *ls, struct logscan *second)
{
    struct log_report *rep = ls->report, *half = second->report;
    size_t *map = xcalloc(half->n_findings + 1, sizeof(size_t));
    for (size_t i = 0; i < half->n_findings; i++) {
        struct log_finding *f = &half->findings[i];
        char *key = group_key(ls, f);
        struct slot *slot = slot_find(ls->slots, ls->n_slots, key);
        if (slot->key) {
            struct log_finding *into = &rep->findings[slot->finding];
            map[i] = slot->finding;
            into->count += f->count;
            for (size_t k = 0; k < f->n_locations; k++)
                add_location_once(into, f->locations[k].file, f->locations[k].line,
                                  f->locations[k].timestamp);
            if (f->last_seen) {
                free(into->last_seen);
                into->last_seen = f->last_seen;
                f->last_seen = NULL;
            }
            if (!into->first_seen) {
                into->first_seen = f->first_seen;
                f->first_seen = NULL;
            }
            free(key);
            continue;
        }
        if (rep->n_findings >= LOGSCAN_MAX_FINDINGS) {
            map[i] = SIZE_MAX;
            rep->dropped_findings++;
            free(key);
            continue;
        }
        rep->findings = xgrow(rep->findings, &rep->findings_cap, rep->n_findings + 1,
                              sizeof(struct log_finding));
        rep->findings[rep->n_findings] = *f;
        memset(f, 0, sizeof(*f)); /* moved */
        slot->key = key;
        map[i] = rep->n_findings;
        slot->finding = rep->n_findings++;
        if (++ls->used * 2 > ls->n_slots)
            slots_grow(ls);
    }
    rep->dropped_findings += half->dropped_findings;
    merge_occurrences(ls, second, map);
    free(map);
}

/* Limit problems of the second half for rules the first half did not report already. */
static void merge_problems(struct logscan *ls, struct logscan *second)
{
    for (size_t i = 0; i < second->report->n_problems; i++) {
        const struct problem *p = &second->report->problems[i];
        bool seen = false;
        for (size_t k = 0; k < ls->rules->n_rules && !seen; k++)
            seen = second->limit_reported[k] && ls->limit_reported[k] &&
                   strstr(p->message, ls->rules->rules[k].id);
        if (!seen)
            log_report_add_problem(ls->report, p->severity, p->path, p->message);
    }
}

static bool is_gzip(int fd)
{
    unsigned char magic[2];
    return pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

static bool parallel_wanted(const struct logscan *ls, uint64_t size)
{
    const char *threads = getenv("WRENCH_LOG_THREADS"); /* "1" turns it off (tests) */
    return size >= LOGSCAN_PARALLEL_MIN && !ls->last_start_only &&
           sysconf(_SC_NPROCESSORS_ONLN) > 1 && !(threads && strcmp(threads, "1") == 0);
}

/* Read [0, size) of a plain file on two threads; false when no split point was found. */
static bool read_in_halves(struct logscan *ls, size_t index, int fd, uint64_t size,
                           struct content_check *check, bool *read_error)
{
    uint64_t split = find_split(fd, size);
    if (split == 0)
        return false;
    struct log_report half = {0};
    struct logscan *second = logscan_new(ls->rules, &half);
    second->has_since = ls->has_since;
    second->since_epoch = ls->since_epoch;
    begin_file(second, ls->path, ls->kind);
    second->occ_file = ls->occ_file; /* the same file: its records are not repeats */
    struct range_job first_job = {.ls = ls, .fd = fd, .start = 0, .end = split};
    struct range_job second_job = {
        .ls = second, .fd = fd, .start = split, .end = size, .count_first = true};
    pthread_t thread;
    bool threaded = pthread_create(&thread, NULL, read_range, &second_job) == 0;
    if (!threaded)
        read_range(&second_job);
    read_range(&first_job);
    if (threaded)
        pthread_join(thread, NULL);

    struct log_file *lf = &ls->report->files[index], *other = &half.files[0];
    lf->bytes = first_job.bytes + second_job.bytes;
    lf->skipped_events += other->skipped_events;
    if (other->last_start) {
        free(lf->last_start);
        lf->last_start = other->last_start;
        other->last_start = NULL;
        lf->last_start_line = other->last_start_line;
    }
    uint64_t lines, events, truncated, long_lines;
    logscan_splitter_counts(second->sp, &lines, &events, &truncated, &long_lines);
    ls->extra_lines = lines;
    ls->extra_events = events;
    ls->extra_truncated = truncated;
    ls->extra_long_lines = long_lines;
    merge_findings(ls, second);
    merge_problems(ls, second);
    *check = first_job.check; /* the binary sample is the file's first bytes */
    check->nul_bytes += second_job.check.nul_bytes;
    *read_error = first_job.read_error || second_job.read_error;
    logscan_free(second);
    log_report_clear(&half);
    return true;
}

int logscan_file(struct logscan *ls, const char *path, enum log_kind kind, char *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        err_set(err, "%s: %s", path, strerror(errno));
        log_report_add_problem(ls->report, SEV_WARNING, path, err);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        err_set(err, "%s: not a regular file", path);
        log_report_add_problem(ls->report, SEV_WARNING, path, err);
        return -1;
    }
    if (already_read(ls, path))
        return 0;
    int tail_fd = open(path, O_RDONLY | O_CLOEXEC);
    /* gzopen reads plain files as they are, so one path serves both. */
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        err_set(err, "%s: cannot open: %s", path, strerror(errno ? errno : ENOMEM));
        log_report_add_problem(ls->report, SEV_WARNING, path, err);
        if (tail_fd >= 0)
            close(tail_fd);
        return -1;
    }
    gzbuffer(gz, LOGSCAN_CHUNK);
    char *buf = xmalloc(LOGSCAN_CHUNK);
    int got = gzread(gz, buf, LOGSCAN_CHUNK);
    enum log_format format = format_of(ls, buf, got > 0 ? (size_t)got : 0);
    /* The chunk that told the format is also the first chunk read: each byte is read once,
     * and a file cut just after this first read is a file cut while read. */
    size_t pending = got > 0 ? (size_t)got : 0;
    ls->skip_before = 0;
    if (ls->last_start_only) {
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
    int rc = 0;
    got = 0;
    bool first = true;
    struct content_check check = {0};
    bool halves_error = false;
    /* Envelope files are read on one thread: their halves would need their own decoders. */
    if (tail_fd >= 0 && format == LOG_FORMAT_PLAIN && parallel_wanted(ls, (uint64_t)st.st_size) &&
        !is_gzip(tail_fd) &&
        read_in_halves(ls, index, tail_fd, (uint64_t)st.st_size, &check, &halves_error)) {
        got = halves_error ? -1 : 0;
        first = false;
    }
    bool sequential = first;
    struct file_feed ff;
    file_feed_open(&ff, format, ls->sp, ls->sp_err);
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
    uint64_t physical = file_feed_close(&ff);
    end_stderr(ls, before_err);
    int zerr = Z_OK;
    const char *zmsg = sequential ? gzerror(gz, &zerr) : "read error";
    if (got < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
        /* zlib reports a gzip file cut short (Z_BUF_ERROR) only through gzerror */
        err_set(err, "%s: %s after %llu bytes: %s", path,
                zerr == Z_BUF_ERROR ? "compressed data ends early" : "read error",
                (unsigned long long)ls->report->files[index].bytes,
                zerr == Z_ERRNO ? strerror(errno) : zmsg);
        log_report_add_problem(ls->report, SEV_WARNING, path, err);
        rc = -1;
    }
    struct stat after;
    if (rc == 0 && !ls->report->files[index].compressed &&
        (stat(path, &after) != 0 || after.st_ino != st.st_ino || after.st_size < st.st_size ||
         (uint64_t)after.st_size < ls->report->files[index].bytes)) {
        err_set(err, "%s: rotated or truncated while it was read (%llu bytes read)", path,
                (unsigned long long)ls->report->files[index].bytes);
        log_report_add_problem(ls->report, SEV_WARNING, path, err);
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
        char *msg = xasprintf("%s: cannot list the directory: %s", dir, strerror(errno));
        log_report_add_problem(ls->report, SEV_WARNING, dir, msg);
        free(msg);
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
                char *msg = xasprintf("%s: named like a log but %s; skipped", g.gl_pathv[i],
                                      stat(g.gl_pathv[i], &st) != 0 ? strerror(errno)
                                                                    : "not a regular file");
                log_report_add_problem(ls->report, SEV_INFO, g.gl_pathv[i], msg);
                free(msg);
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
        err_set(err, "%s: cannot expand the pattern", spec);
        log_report_add_problem(ls->report, SEV_WARNING, spec, err);
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
            err_set(err, "%s: %s", paths[i], strerror(errno));
            log_report_add_problem(ls->report, SEV_WARNING, paths[i], err);
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
        err_set(err, "%s: no readable log file", spec);
        if (ls->report->n_problems == problems_before) /* say it once: a reason may be noted */
            log_report_add_problem(ls->report, SEV_WARNING, spec, err);
        rc = -1;
    }
    for (size_t i = 0; i < n_paths; i++)
        free(paths[i]);
    free(paths);
    return rc;
}

static int compare_findings(const void *a, const void *b)
{
    const struct log_finding *x = a, *y = b;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

void logscan_finish(struct logscan *ls)
{
    struct log_report *rep = ls->report;
    if (rep->n_findings > 1)
        qsort(rep->findings, rep->n_findings, sizeof(struct log_finding), compare_findings);
    /* The slots point at positions that just moved: rebuild them so more files may follow. */
    for (size_t i = 0; i < ls->n_slots; i++) {
        free(ls->slots[i].key);
        ls->slots[i].key = NULL;
    }
    for (size_t i = 0; i < rep->n_findings; i++) {
        char *key = group_key(ls, &rep->findings[i]);
        struct slot *slot = slot_find(ls->slots, ls->n_slots, key);
        slot->key = key;
        slot->finding = i;
    }
}
