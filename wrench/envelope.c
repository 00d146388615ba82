/*
 * envelope.c - strip svlogd, CRI and Docker envelopes and turn JSON log
 * records into plain Java log text (see envelope.h).
 */
#include "envelope.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonflat.h"
#include "multimatch.h"

#define TAI64N_HEX 24 /* "@" then 16 hex digits of seconds and 8 of nanoseconds */
#define TAI64_UNIX_OFFSET 4611686018427387914ull /* 2^62 + 10: libtai's label of 1970 */
#define JSON_DEPTH_MAX 8                         /* nesting followed for ECS's dotted names */
#define LEVEL_CAPS 16       /* bytes of a JSON record's level written, in capitals */
#define LEVEL_CACHE 8       /* levels whose tokens a decoder remembers (level_spells) */
#define THROWN_DEPTH_MAX 16 /* causes followed in a Log4j2 JsonLayout "thrown" */

/* The names of enum log_format (logmodel.h), kept with the code that reads the formats. */
static const char *const format_names[LOG_FORMAT_COUNT] = {"plain", "svlogd", "cri", "docker",
                                                           "json"};

const char *log_format_name(enum log_format format)
{
    return (unsigned)format < LOG_FORMAT_COUNT ? format_names[format] : "unknown";
}

int log_format_parse(const char *name, enum log_format *out)
{
    for (int i = 0; i < LOG_FORMAT_COUNT; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (enum log_format)i;
            return 0;
        }
    }
    return -1;
}

/* ---- timestamps ---- */

static void format_epoch(int64_t secs, long nanos, char *ts)
{
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
        ts[0] = '\0';
        return;
    }
    char text[96]; /* as wide as the compiler thinks the fields may be */
    snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nanos / 1000 % 1000000);
    size_t n = strnlen(text, ENVELOPE_TS_MAX - 1);
    memcpy(ts, text, n);
    ts[n] = '\0';
}

/* "@4000000063a1b2c3xxxxxxxx " at s: the length of the stamp and its space, 0 when none. */
static size_t tai64n_at(const char *s, size_t len, char *ts)
{
    if (len < 1 + TAI64N_HEX + 1 || s[0] != '@' || s[1 + TAI64N_HEX] != ' ')
        return 0;
    uint64_t secs = 0, nanos = 0;
    for (size_t i = 0; i < TAI64N_HEX; i++) {
        int v = hex_digit_value(s[1 + i]);
        if (v < 0)
            return 0;
        if (i < 16)
            secs = secs << 4 | (uint64_t)v;
        else
            nanos = nanos << 4 | (uint64_t)v;
    }
    if (secs < TAI64_UNIX_OFFSET || nanos >= 1000000000u)
        return 0;
    if (ts)
        format_epoch((int64_t)(secs - TAI64_UNIX_OFFSET), (long)nanos, ts);
    return 1 + TAI64N_HEX + 1;
}

/* svlogd -tt: "2026-12-07_10:00:00.12345 " (UTC); the stamp and its space, 0 when none. */
static size_t svlogd_iso_at(const char *s, size_t len, char *ts)
{
    if (!digits_at(s, len, 0, 4) || len < 21 || s[4] != '-' || !digits_at(s, len, 5, 2) ||
        s[7] != '-' || !digits_at(s, len, 8, 2) || s[10] != '_' || !digits_at(s, len, 11, 2) ||
        s[13] != ':' || !digits_at(s, len, 14, 2) || s[16] != ':' || !digits_at(s, len, 17, 2))
        return 0;
    size_t end = 19;
    if (end < len && s[end] == '.') {
        end++;
        while (end < len && isdigit((unsigned char)s[end]))
            end++;
    }
    if (end >= len || s[end] != ' ' || end + 1 >= ENVELOPE_TS_MAX)
        return 0;
    if (ts) {
        memcpy(ts, s, end);
        ts[10] = 'T';
        ts[end] = 'Z';
        ts[end + 1] = '\0';
    }
    return end + 1;
}

/* An RFC 3339 time as CRI and Docker write it ("2026-12-07T10:00:00.123456789Z" or with
 * an offset): its length, 0 when s does not start with one. */
/* Whether the 8 bytes at s hold digits where `digits` has 0x80 and exactly `want` where
 * `fixed` has 0xFF (little-endian words). A digit byte is 0..9 once xored with '0': adding
 * 0x76 leaves its high bit clear (a carry out of a byte that is no digit only makes its
 * neighbour look wrong too). */
static inline bool shape8(const char *s, uint64_t digits, uint64_t fixed, uint64_t want)
{
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t x = w ^ 0x3030303030303030ull;
    return (((x + 0x7676767676767676ull) | x) & digits) == 0 && (w & fixed) == want;
}

/* The date and time "dddd-dd-ddTdd:dd:dd" at s (20 bytes or more): every CRI line and
 * Docker record starts with one, so it is checked eight bytes at a time. */
static bool rfc3339_date_time(const char *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (!shape8(s, 0x0080800080808080ull, 0xff0000ff00000000ull, 0x2d00002d00000000ull) ||
        !shape8(s + 8, 0x8080008080008080ull, 0x0000ff0000ff0000ull, 0x00003a0000540000ull))
        return false;
    return s[16] == ':' && (unsigned)(s[17] - '0') <= 9 && (unsigned)(s[18] - '0') <= 9;
#else
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    for (size_t i = 0; i < sizeof(shape) - 1; i++)
        if (shape[i] == 'd' ? (unsigned)(s[i] - '0') > 9 : s[i] != shape[i])
            return false;
    return true;
#endif
}

static size_t rfc3339_at(const char *s, size_t len)
{
    /* the date and time: "dddd-dd-ddTdd:dd:dd" */
    if (len < 20 || !rfc3339_date_time(s))
        return 0;
    size_t end = 19;
    if (end < len && s[end] == '.') {
        end++;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        while (end + 8 <= len && shape8(s + end, 0x8080808080808080ull, 0, 0))
            end += 8; /* CRI's nanoseconds: eight digits at once */
#endif
        while (end < len && (unsigned)(s[end] - '0') <= 9)
            end++;
    }
    if (end < len && s[end] == 'Z')
        return end + 1;
    if (end + 6 <= len && (s[end] == '+' || s[end] == '-') && digits_at(s, len, end + 1, 2) &&
        s[end + 3] == ':' && digits_at(s, len, end + 4, 2))
        return end + 6;
    return 0;
}

static void copy_ts(char *ts, const char *s, size_t len)
{
    if (len >= ENVELOPE_TS_MAX)
        len = 0; /* longer than any time: not one */
    memcpy(ts, s, len);
    ts[len] = '\0';
}

/* ---- CRI ---- */

struct cri_line {
    size_t ts_len;
    bool from_stderr;
    bool partial;
    size_t content; /* offset of the content */
};

/* "<time> stdout|stderr F|P[:tags] <content>"; false when the line is not one. */
static bool cri_parse(const char *s, size_t len, struct cri_line *out)
{
    size_t t = rfc3339_at(s, len);
    if (t == 0 || t + 9 > len || s[t] != ' ')
        return false;
    size_t p = t + 1;
    if (memcmp(s + p, "stdout ", 7) == 0)
        out->from_stderr = false;
    else if (memcmp(s + p, "stderr ", 7) == 0)
        out->from_stderr = true;
    else
        return false;
    p += 7;
    if (p >= len || (s[p] != 'F' && s[p] != 'P'))
        return false;
    out->partial = s[p] == 'P';
    p++;
    while (p < len && s[p] != ' ') /* further tags, ':'-separated, may follow one day */
        p++;
    out->ts_len = t;
    out->content = p < len ? p + 1 : len;
    return true;
}

/* ---- JSON records ---- */

/* The member `key` of obj, also when its dotted name is spread over nested objects
 * ("log.level" as {"log":{"level":...}}) or mixed ({"log.origin":{"file":...}}). */
static json_t *json_path(json_t *obj, const char *key, int depth)
{
    if (!json_is_object(obj) || depth > JSON_DEPTH_MAX)
        return NULL;
    json_t *v = json_object_get(obj, key);
    if (v)
        return v;
    for (const char *dot = strchr(key, '.'); dot; dot = strchr(dot + 1, '.')) {
        json_t *inner = json_object_getn(obj, key, (size_t)(dot - key));
        if ((v = json_path(inner, dot + 1, depth + 1)))
            return v;
    }
    return NULL;
}

/* The first of `keys` holding a non-empty string. */
static const char *json_first_string(json_t *obj, const char *const *keys, size_t *len)
{
    for (; *keys; keys++) {
        json_t *v = json_path(obj, *keys, 0);
        if (json_is_string(v) && json_string_length(v) > 0) {
            *len = json_string_length(v);
            return json_string_value(v);
        }
    }
    return NULL;
}

static const char *const time_keys[] = {"@timestamp", "timestamp", "instant",
                                        "timeMillis", "time",      NULL};
/* The keys a record's level and message are read from, in order of preference: listed once
 * here for both the list jansson's path walks (level_keys, message_keys) and the lookup of
 * the flat path (level_key, message_key), which must agree on them. */
#define LEVEL_KEYS(X) X("log.level") X("_level_name") X("level") X("severity")
#define MESSAGE_KEYS(X) X("message") X("short_message") X("msg")
#define KEY_STRING(s) s,
#define KEY_COUNT(s) +1
/* In a key lookup: return the key's index when k[0, n) is key s, else count it. */
#define KEY_MATCH(s)                                                                               \
    if (n == sizeof(s) - 1 && memcmp(k, s, sizeof(s) - 1) == 0)                                    \
        return i;                                                                                  \
    i++;

static const char *const level_keys[] = {LEVEL_KEYS(KEY_STRING) NULL};
static const char *const thread_keys[] = {
    "process.thread.name", "thread_name", "_process_thread_name", "_thread", "thread", NULL};
static const char *const logger_keys[] = {"log.logger", "logger_name", "_log_logger", "_logger",
                                          "loggerName", "logger",      NULL};
static const char *const message_keys[] = {MESSAGE_KEYS(KEY_STRING) NULL};
static const char *const stack_keys[] = {"error.stack_trace", "stack_trace", "_error_stack_trace",
                                         "exception.stacktrace", NULL};
static const char *const error_type_keys[] = {"error.type", "_error_type", NULL};
static const char *const error_message_keys[] = {"error.message", "_error_message", NULL};

/* The record's time: an ISO string as written, or epoch seconds (GELF), milliseconds
 * (Log4j2 timeMillis) or {epochSecond, nanoOfSecond} (Log4j2 instant) as ISO UTC. */
static void json_time(json_t *obj, char *ts)
{
    ts[0] = '\0';
    for (const char *const *k = time_keys; *k && !ts[0]; k++) {
        json_t *v = json_object_get(obj, *k);
        if (json_is_string(v)) {
            copy_ts(ts, json_string_value(v), json_string_length(v));
        } else if (json_is_number(v)) {
            double x = json_number_value(v);
            if (strcmp(*k, "timeMillis") == 0)
                x /= 1000.0;
            if (x > 0 && x < 253402300800.0) /* before the year 10000 */
                format_epoch((int64_t)x, (long)((x - floor(x)) * 1e9 + 0.5) / 1000 * 1000, ts);
        } else if (json_is_object(v)) {
            json_t *s = json_object_get(v, "epochSecond"), *n = json_object_get(v, "nanoOfSecond");
            if (json_is_integer(s) && json_integer_value(s) > 0 &&
                json_integer_value(s) < 253402300800)
                format_epoch(json_integer_value(s),
                             json_is_integer(n) && json_integer_value(n) >= 0 &&
                                     json_integer_value(n) < 1000000000
                                 ? (long)json_integer_value(n)
                                 : 0,
                             ts);
        }
    }
}

/* GELF's level is a syslog severity; a name for it as Java loggers write them. */
static const char *syslog_level_name(json_int_t level)
{
    static const char *const names[] = {"FATAL", "FATAL", "FATAL", "ERROR",
                                        "WARN",  "INFO",  "INFO",  "DEBUG"};
    return level >= 0 && level <= 7 ? names[level] : "INFO";
}

static void append_trimmed(struct strbuf *out, const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    strbuf_append(out, s, len);
}

/* Log4j2 JsonLayout's "thrown": {name, message, extendedStackTrace: [frames] or a string,
 * cause: {...}}, written as printStackTrace would. */
static void append_thrown(struct strbuf *out, json_t *thrown, int depth)
{
    if (!json_is_object(thrown) || depth > THROWN_DEPTH_MAX)
        return;
    json_t *trace = json_object_get(thrown, "extendedStackTrace");
    if (!trace)
        trace = json_object_get(thrown, "stackTrace");
    if (json_is_string(trace) && depth == 0) { /* stacktraceAsString: the whole text */
        strbuf_puts(out, "\n");
        append_trimmed(out, json_string_value(trace), json_string_length(trace));
        return;
    }
    const char *name = json_string_value(json_object_get(thrown, "name"));
    const char *msg = json_string_value(json_object_get(thrown, "message"));
    if (!name)
        return;
    strbuf_printf(out, "\n%s%s%s%s", depth ? "Caused by: " : "", name, msg ? ": " : "",
                  msg ? msg : "");
    size_t i;
    json_t *frame;
    json_array_foreach(trace, i, frame)
    {
        const char *cls = json_string_value(json_object_get(frame, "class"));
        const char *method = json_string_value(json_object_get(frame, "method"));
        const char *file = json_string_value(json_object_get(frame, "file"));
        json_t *line = json_object_get(frame, "line");
        if (!cls || !method)
            continue;
        if (file && json_is_integer(line) && json_integer_value(line) >= 0)
            strbuf_printf(out, "\n\tat %s.%s(%s:%" JSON_INTEGER_FORMAT ")", cls, method, file,
                          json_integer_value(line));
        else if (json_is_integer(line) && json_integer_value(line) == -2)
            strbuf_printf(out, "\n\tat %s.%s(Native Method)", cls, method);
        else
            strbuf_printf(out, "\n\tat %s.%s(%s)", cls, method, file ? file : "Unknown Source");
    }
    append_thrown(out, json_object_get(thrown, "cause"), depth + 1);
}

/* GELF's full_message: Spring Boot writes "message\n\nstack trace", Log4j2's GelfLayout
 * the stack trace alone. The part that is not the short message. */
static void append_full_message(struct strbuf *out, json_t *obj, const char *msg, size_t msg_len)
{
    json_t *full = json_object_get(obj, "full_message");
    if (!json_is_string(full))
        return;
    const char *s = json_string_value(full);
    size_t len = json_string_length(full);
    if (msg && len >= msg_len && memcmp(s, msg, msg_len) == 0) {
        s += msg_len;
        len -= msg_len;
    }
    while (len > 0 && (*s == '\n' || *s == '\r')) {
        s++;
        len--;
    }
    if (len > 0) {
        strbuf_puts(out, "\n");
        append_trimmed(out, s, len);
    }
}

static void append_error(struct strbuf *out, json_t *obj, const char *msg, size_t msg_len)
{
    size_t n, tn, mn;
    const char *stack = json_first_string(obj, stack_keys, &n);
    if (stack) {
        strbuf_puts(out, "\n");
        append_trimmed(out, stack, n);
        return;
    }
    json_t *thrown = json_object_get(obj, "thrown");
    if (json_is_object(thrown)) {
        append_thrown(out, thrown, 0);
        return;
    }
    if (json_is_string(json_object_get(obj, "full_message"))) {
        append_full_message(out, obj, msg, msg_len);
        return;
    }
    const char *type = json_first_string(obj, error_type_keys, &tn);
    const char *emsg = json_first_string(obj, error_message_keys, &mn);
    if (type) {
        strbuf_puts(out, "\n");
        strbuf_append(out, type, tn);
        if (emsg) {
            strbuf_puts(out, ": ");
            strbuf_append(out, emsg, mn);
        }
    }
}

int envelope_json_record(const char *line, size_t len, struct strbuf *out, char *ts)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len || line[i] != '{')
        return -1;
    json_error_t jerr;
    json_t *obj = json_loadb(line + i, len - i, 0, &jerr);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return -1;
    }
    size_t msg_len = 0, n;
    const char *msg = json_first_string(obj, message_keys, &msg_len);
    const char *level = json_first_string(obj, level_keys, &n);
    size_t level_len = level ? n : 0;
    json_t *numeric = json_object_get(obj, "level");
    if (!level && json_is_integer(numeric)) {
        level = syslog_level_name(json_integer_value(numeric));
        level_len = strlen(level);
    }
    if (!msg && !level) { /* some JSON, but not a log record */
        json_decref(obj);
        return -1;
    }
    char when[ENVELOPE_TS_MAX];
    json_time(obj, when);
    size_t thread_len = 0, logger_len = 0;
    const char *thread = json_first_string(obj, thread_keys, &thread_len);
    const char *logger = json_first_string(obj, logger_keys, &logger_len);

    if (when[0]) {
        strbuf_puts(out, when);
        strbuf_puts(out, " ");
    }
    for (size_t k = 0; k < level_len && k < LEVEL_CAPS; k++) /* "error" is ERROR to the splitter */
        strbuf_append(out, &(char){(char)toupper((unsigned char)level[k])}, 1);
    if (thread) {
        strbuf_puts(out, level_len ? " [" : "[");
        strbuf_append(out, thread, thread_len);
        strbuf_puts(out, "]");
    }
    if (logger) {
        strbuf_puts(out, " ");
        strbuf_append(out, logger, logger_len);
    }
    strbuf_puts(out, " - ");
    if (msg)
        append_trimmed(out, msg, msg_len);
    append_error(out, obj, msg, msg_len);
    memcpy(ts, when, sizeof(when));
    json_decref(obj);
    return 0;
}

/* ---- the fast path's shortcut for JSON lines ----
 *
 * Decoding a JSON record (jansson) costs far more than finding the few that matter. A line
 * that holds none of the candidate literals' tokens and is certainly a JSON log record is
 * passed on undecoded (rec.raw): the splitter decodes it only if its event is split.
 *
 * Why a token is enough: a literal found in a decoded record lies within one field's text
 * (a JSON string value, unescaped) or within one word the decoder writes itself, because
 * every seam of the decoded text (" - ", " [", "]", ": ", "\n\tat ", "(", ":", ")", ".")
 * is made of bytes that are not token bytes. A token is a run of [A-Za-z0-9_$] or UTF-8
 * bytes of the literal that is not part of a word the decoder writes ("Caused by", "at",
 * "Native Method", "Unknown Source", a time it formats: digits, T and Z); a field's text
 * holds it as the line does unless a \u escape spells it otherwise, and a line with one is
 * decoded. The level is the one field the decoder changes (in capitals): a token without
 * a lowercase letter may come from it, so a line whose level, in capitals, holds such a
 * token is decoded too. So a literal can be in the decoded record only if every token of
 * it is in the line. */
struct json_skip_literal {
    size_t first, n; /* its tokens: ids tok[first, first + n) of the skip's token list */
};

struct envelope_json_skip {
    struct multimatch *mm; /* the tokens */
    size_t *tok;           /* token ids, literal by literal */
    struct json_skip_literal *lit;
    size_t n_lit, n_tok;
    char **upper; /* the tokens without a lowercase letter, which a level may spell */
    size_t n_upper, upper_cap;
    /* per distinct token id: the literals holding it, lits_of[of_first[id], of_first[id + 1]) */
    size_t *of_first, *lits_of;
};

static bool token_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Part of a word the decoder writes: the frames' and causes' words, a formatted time. */
static bool decoder_word(const char *s, size_t n)
{
    static const char *const words[] = {"Caused", "by",      "at",    "Native",
                                        "Method", "Unknown", "Source"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (n <= strlen(words[i]) && memmem(words[i], strlen(words[i]), s, n))
            return true;
    size_t timeish = 0;
    while (timeish < n &&
           (isdigit((unsigned char)s[timeish]) || s[timeish] == 'T' || s[timeish] == 'Z'))
        timeish++;
    return timeish == n;
}

/* Part of a key that JSON log layouts write on every line: the keys the decoder reads and
 * the usual others (Logstash's "@version", "level_value"). */
static bool key_word(const char *s, size_t n)
{
    static const char *const *const tables[] = {time_keys,       level_keys,        thread_keys,
                                                logger_keys,     message_keys,      stack_keys,
                                                error_type_keys, error_message_keys};
    static const char *const others[] = {"@version",    "level_value", "service.name",
                                         "host.name",   "ecs.version", "event.dataset",
                                         "process.pid", "HOSTNAME",    NULL};
    for (size_t t = 0; t <= sizeof(tables) / sizeof(tables[0]); t++) {
        const char *const *keys = t < sizeof(tables) / sizeof(tables[0]) ? tables[t] : others;
        for (size_t k = 0; keys[k]; k++)
            if (memmem(keys[k], strlen(keys[k]), s, n))
                return true;
    }
    return false;
}

static bool has_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (islower((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

struct token_list {
    const char **s;
    size_t *len;
    size_t n, cap, cap_len;
};

static size_t token_id(struct token_list *t, const char *s, size_t n)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->len[i] == n && memcmp(t->s[i], s, n) == 0)
            return i;
    t->s = xgrow(t->s, &t->cap, t->n + 1, sizeof(char *));
    t->len = xgrow(t->len, &t->cap_len, t->n + 1, sizeof(size_t));
    t->s[t->n] = s;
    t->len[t->n] = n;
    return t->n++;
}

struct envelope_json_skip *envelope_json_skip_new(const char *const *lits, const size_t *lens,
                                                  size_t n)
{
    struct envelope_json_skip *sk = xcalloc(1, sizeof(*sk));
    struct token_list t = {0};
    size_t tok_cap = 0;
    sk->lit = xcalloc(n + 1, sizeof(struct json_skip_literal));
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        struct json_skip_literal *l = &sk->lit[sk->n_lit++];
        l->first = sk->n_tok;
        /* its two longest tokens: any of its tokens is necessary, the longest are the
         * rarest and the cheapest to search for; but not one that a common key holds
         * ("version" of "@version"), found on every line, unless it has no other */
        size_t best[2][2] = {{0, 0}, {0, 0}}; /* offset and length */
        size_t keyish[2] = {0, 0};            /* the longest token a key holds */
        for (size_t at = 0; at < lens[i];) {
            size_t end = at;
            while (end < lens[i] && token_byte((unsigned char)lits[i][end]))
                end++;
            size_t tl = end - at;
            if (tl > 0 && !decoder_word(lits[i] + at, tl)) {
                if (key_word(lits[i] + at, tl)) {
                    if (tl > keyish[1])
                        keyish[0] = at, keyish[1] = tl;
                } else if (tl > best[0][1]) {
                    best[1][0] = best[0][0], best[1][1] = best[0][1];
                    best[0][0] = at, best[0][1] = tl;
                } else if (tl > best[1][1]) {
                    best[1][0] = at, best[1][1] = tl;
                }
            }
            at = end > at ? end : at + 1;
        }
        if (best[0][1] == 0)
            best[0][0] = keyish[0], best[0][1] = keyish[1];
        for (size_t b = 0; b < 2 && best[b][1] > 0; b++) {
            const char *tok = lits[i] + best[b][0];
            size_t tl = best[b][1], before = t.n;
            sk->tok = xgrow(sk->tok, &tok_cap, sk->n_tok + 1, sizeof(size_t));
            sk->tok[sk->n_tok++] = token_id(&t, tok, tl);
            l->n++;
            if (t.n > before && !has_lower(tok, tl)) {
                sk->upper = xgrow(sk->upper, &sk->upper_cap, sk->n_upper + 1, sizeof(char *));
                sk->upper[sk->n_upper++] = xstrndup(tok, tl);
            }
        }
        ok = l->n > 0; /* no token: any line may hold it */
    }
    /* the literals of each token, so that a line is checked only against the literals of
     * the tokens it holds */
    sk->of_first = xcalloc(t.n + 2, sizeof(size_t));
    sk->lits_of = xcalloc(sk->n_tok + 1, sizeof(size_t));
    for (size_t i = 0; i < sk->n_tok; i++)
        sk->of_first[sk->tok[i] + 1]++;
    for (size_t id = 0; id < t.n; id++)
        sk->of_first[id + 1] += sk->of_first[id];
    size_t *fill = xcalloc(t.n + 1, sizeof(size_t));
    for (size_t i = 0; i < sk->n_lit; i++)
        for (size_t k = 0; k < sk->lit[i].n; k++) {
            size_t id = sk->tok[sk->lit[i].first + k];
            sk->lits_of[sk->of_first[id] + fill[id]++] = i;
        }
    free(fill);
    char err[128];
    if (ok)
        sk->mm = multimatch_new(t.s, t.len, t.n, MULTIMATCH_BEST, err, sizeof(err));
    free(t.s);
    free(t.len);
    if (!sk->mm) {
        envelope_json_skip_free(sk);
        return NULL;
    }
    return sk;
}

void envelope_json_skip_free(struct envelope_json_skip *sk)
{
    if (!sk)
        return;
    multimatch_free(sk->mm);
    free(sk->tok);
    free(sk->lit);
    strv_free(sk->upper, sk->n_upper);
    free(sk->of_first);
    free(sk->lits_of);
    free(sk);
}

/* ---- a JSON line checked without building it ----
 *
 * json_flat_record says whether envelope_json_record would take the line as a log record,
 * for the lines it can tell that of without jansson: one flat object (jsonflat.c) without
 * \u escapes. Anything else is "unsure": the caller decodes it. */

/* The level envelope_json_record writes: a string's raw bytes (no escapes in them), or a
 * syslog number's name. */
struct flat_level {
    const char *s;
    size_t n;
};

/* The index of the key k[0, n) in message_keys, -1 when it is none of them: comparisons of
 * constant lengths, as cheap as a switch on the length (a loop over the list cost a fifth of
 * the JSON-lines scan). */
static int message_key(const char *k, size_t n)
{
    int i = 0;
    MESSAGE_KEYS(KEY_MATCH)
    return -1;
}

/* The index of the key k[0, n) in level_keys, -1 when it is none of them. */
static int level_key(const char *k, size_t n)
{
    int i = 0;
    LEVEL_KEYS(KEY_MATCH)
    return -1;
}

/* 1: a JSON log record as envelope_json_record reads it (its level in *level); 0: JSON that
 * is not one, or not JSON; -1: unsure (the caller decodes). */
static int json_flat_record(const char *line, size_t len, struct flat_level *level)
{
    struct jsonflat j;
    if (!jsonflat_begin(&j, line, len))
        return 0;
    /* the last value of each key envelope_json_record looks at decides (jansson keeps the
     * last of duplicate keys) */
    enum {
        ABSENT,
        OTHER,
        TEXT,
        INTEGER
    } msg[0 MESSAGE_KEYS(KEY_COUNT)] = {ABSENT},
            lvl[0 LEVEL_KEYS(KEY_COUNT)] = {ABSENT};
    const char *lvl_s[0 LEVEL_KEYS(KEY_COUNT)] = {NULL};
    size_t lvl_n[0 LEVEL_KEYS(KEY_COUNT)] = {0};
    long long lvl_int = 0;
    struct jsonflat_member m;
    int rc;
    while ((rc = jsonflat_next(&j, &m)) == 1) {
        if (m.u_escaped)
            return -1; /* a token may be spelt with \u: decoded */
        int kind = m.kind == JSONFLAT_STRING    ? (m.value_len > 0 ? TEXT : OTHER)
                   : m.kind == JSONFLAT_INTEGER ? INTEGER
                                                : OTHER;
        int i = message_key(m.key, m.key_len);
        if (i >= 0)
            msg[i] = kind;
        i = level_key(m.key, m.key_len);
        if (i >= 0) {
            lvl[i] = kind;
            lvl_s[i] = m.value;
            lvl_n[i] = m.value_len;
            if (kind == INTEGER)
                lvl_int = strtoll(m.value, NULL, 10);
        }
    }
    if (rc < 0)
        return -1;
    bool has_msg = false;
    for (size_t i = 0; i < sizeof(msg) / sizeof(msg[0]); i++)
        has_msg |= msg[i] == TEXT;
    level->s = NULL;
    level->n = 0;
    for (size_t i = 0; i < sizeof(lvl) / sizeof(lvl[0]) && !level->s; i++)
        if (lvl[i] == TEXT) {
            if (memchr(lvl_s[i], '\\', lvl_n[i]))
                return -1; /* an escaped level: its capitals are not told here */
            level->s = lvl_s[i];
            level->n = lvl_n[i];
        }
    /* a number under "level" is a syslog severity */
    int syslog_at = level_key("level", 5);
    if (!level->s && syslog_at >= 0 && lvl[syslog_at] == INTEGER) {
        level->s = syslog_level_name(lvl_int);
        level->n = strlen(level->s);
    }
    return has_msg || level->s ? 1 : 0;
}

/* ---- detection ---- */

static bool is_docker_object(json_t *obj)
{
    return json_is_string(json_object_get(obj, "log")) &&
           json_is_string(json_object_get(obj, "stream")) &&
           json_is_string(json_object_get(obj, "time"));
}

/* The envelope of one line: LOG_FORMAT_PLAIN when it has none (JSON records count as
 * LOG_FORMAT_JSON). */
static enum log_format line_format(const char *s, size_t len)
{
    struct cri_line cri;
    if (tai64n_at(s, len, NULL) || svlogd_iso_at(s, len, NULL))
        return LOG_FORMAT_SVLOGD;
    if (cri_parse(s, len, &cri))
        return LOG_FORMAT_CRI;
    if (len == 0 || s[0] != '{')
        return LOG_FORMAT_PLAIN;
    json_error_t jerr;
    json_t *obj = json_loadb(s, len, 0, &jerr);
    enum log_format f = LOG_FORMAT_PLAIN;
    if (is_docker_object(obj)) {
        f = LOG_FORMAT_DOCKER;
    } else if (json_is_object(obj)) {
        struct strbuf sb = {0};
        char ts[ENVELOPE_TS_MAX];
        if (envelope_json_record(s, len, &sb, ts) == 0)
            f = LOG_FORMAT_JSON;
        strbuf_free(&sb);
    }
    json_decref(obj);
    return f;
}

enum log_format envelope_detect(const char *data, size_t len)
{
    if (len > ENVELOPE_DETECT_BYTES)
        len = ENVELOPE_DETECT_BYTES;
    bool first = true;
    for (size_t lines = 0; len > 0 && lines < ENVELOPE_DETECT_LINES; lines++) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) : len;
        size_t cut = n > 0 && data[n - 1] == '\r' ? n - 1 : n;
        if (cut > 0) {
            enum log_format f = line_format(data, cut);
            /* An envelope is on every line from the first on; JSON records may follow a
             * banner or other plain lines printed before logging was set up. */
            if (f == LOG_FORMAT_JSON || (first && f != LOG_FORMAT_PLAIN))
                return f;
            first = false;
        }
        if (!nl)
            break;
        data += n + 1;
        len -= n + 1;
    }
    return LOG_FORMAT_PLAIN;
}

/* ---- the decoder ---- */

/* A line being joined from CRI "P" parts or Docker partials, one per stream. */
struct partial {
    struct strbuf text;
    bool open;
    uint64_t line;
    char ts[ENVELOPE_TS_MAX];
};

struct envelope_decoder {
    enum log_format format;
    envelope_record_fn fn;
    void *ctx;
    struct strbuf line; /* the physical line being read */
    bool line_cut;
    uint64_t lines;
    struct partial partial[2]; /* stdout, stderr */
    struct strbuf json;        /* a decoded JSON record */
    struct strbuf docker_log;  /* a Docker line's log, decoded without jansson */
    /* JSON lines on the fast path (envelope_decoder_set_skip) */
    const struct envelope_json_skip *skip;
    struct multimatch_scratch *skip_sc;
    size_t *hits; /* the chunk's token hits: token id and end, in pairs */
    size_t n_hits, hits_cap;
    unsigned *seen; /* per token: the line (seen_mark) it was last found in */
    unsigned seen_mark;
    bool line_clean; /* the line being decoded holds no literal's tokens */
    struct level_answer {
        char caps[LEVEL_CAPS];
        size_t n; /* the level's length + 1; 0: unused */
        bool spells;
    } levels[LEVEL_CACHE]; /* level_spells' last answers */
    unsigned next_level;
    uint64_t raw; /* records passed on undecoded */
};

struct envelope_decoder *envelope_decoder_new(enum log_format format, envelope_record_fn fn,
                                              void *ctx)
{
    struct envelope_decoder *d = xcalloc(1, sizeof(*d));
    d->format = format;
    d->fn = fn;
    d->ctx = ctx;
    return d;
}

void envelope_decoder_free(struct envelope_decoder *d)
{
    if (!d)
        return;
    strbuf_free(&d->line);
    strbuf_free(&d->partial[0].text);
    strbuf_free(&d->partial[1].text);
    strbuf_free(&d->json);
    strbuf_free(&d->docker_log);
    multimatch_scratch_free(d->skip_sc);
    free(d->hits);
    free(d->seen);
    free(d);
}

uint64_t envelope_decoder_lines(const struct envelope_decoder *d)
{
    return d->lines;
}

void envelope_decoder_set_lines(struct envelope_decoder *d, uint64_t lines)
{
    d->lines = lines;
}

bool envelope_decoder_partial_open(const struct envelope_decoder *d)
{
    return d->partial[0].open || d->partial[1].open;
}

uint64_t envelope_decoder_undecoded(const struct envelope_decoder *d)
{
    return d->raw;
}

/* Whether the level, as envelope_json_record writes it (its first 16 bytes in capitals),
 * holds one of the skip's tokens without a lowercase letter. */
static bool level_spells(struct envelope_decoder *d, const struct flat_level *level)
{
    const struct envelope_json_skip *sk = d->skip;
    if (sk->n_upper == 0)
        return false;
    char caps[LEVEL_CAPS];
    size_t n = level->n < sizeof(caps) ? level->n : sizeof(caps);
    for (size_t i = 0; i < n; i++)
        caps[i] = (char)toupper((unsigned char)level->s[i]);
    /* a log has a few levels: their answers are kept */
    for (size_t c = 0; c < LEVEL_CACHE; c++)
        if (d->levels[c].n == n + 1 && memcmp(d->levels[c].caps, caps, n) == 0)
            return d->levels[c].spells;
    bool spells = false;
    for (size_t i = 0; i < sk->n_upper && !spells; i++)
        spells = memmem(caps, n, sk->upper[i], strlen(sk->upper[i])) != NULL;
    struct level_answer *a = &d->levels[d->next_level++ % LEVEL_CACHE];
    memcpy(a->caps, caps, n);
    a->n = n + 1;
    a->spells = spells;
    return spells;
}

/* Pass on one logical line: a JSON record inside becomes its text (with its own time, else
 * the envelope's), anything else goes as it is. */
static void deliver(struct envelope_decoder *d, const char *s, size_t len, const char *ts,
                    uint64_t line, bool from_stderr)
{
    struct envelope_record rec = {s, len, ts, line, from_stderr, false, false};
    char json_ts[ENVELOPE_TS_MAX];
    d->json.len = 0;
    struct flat_level level;
    if (d->line_clean && len > 0 && (s[0] == '{' || s[0] == ' ' || s[0] == '\t') &&
        json_flat_record(s, len, &level) == 1 && !level_spells(d, &level)) {
        rec.whole = rec.raw = true; /* a record no literal can be in: decoded if needed */
        d->raw++;
        d->fn(&rec, d->ctx);
        return;
    }
    if (len > 0 && (s[0] == '{' || s[0] == ' ' || s[0] == '\t') &&
        envelope_json_record(s, len, &d->json, json_ts) == 0) {
        rec.text = d->json.data;
        rec.len = d->json.len;
        rec.whole = true; /* its own time heads its text; the envelope's is the fallback */
    }
    d->fn(&rec, d->ctx);
}

static void partial_add(struct partial *p, const char *s, size_t len, const char *ts, uint64_t line)
{
    if (!p->open) {
        p->open = true;
        p->text.len = 0;
        p->line = line;
        snprintf(p->ts, sizeof(p->ts), "%s", ts);
    }
    size_t room =
        ENVELOPE_LINE_MAX - (p->text.len < ENVELOPE_LINE_MAX ? p->text.len : ENVELOPE_LINE_MAX);
    strbuf_append(&p->text, s, len < room ? len : room);
}

/* The end of a (possibly joined) line of one stream. */
static void partial_end(struct envelope_decoder *d, int stream, const char *s, size_t len,
                        const char *ts, uint64_t line)
{
    struct partial *p = &d->partial[stream];
    if (!p->open) {
        deliver(d, s, len, ts, line, stream == 1);
        return;
    }
    partial_add(p, s, len, ts, line);
    p->open = false;
    deliver(d, p->text.data ? p->text.data : "", p->text.len, p->ts, p->line, stream == 1);
}

static void decode_svlogd(struct envelope_decoder *d, const char *s, size_t len)
{
    char ts[ENVELOPE_TS_MAX];
    size_t n = tai64n_at(s, len, ts);
    if (!n)
        n = svlogd_iso_at(s, len, ts);
    if (!n)
        ts[0] = '\0';
    deliver(d, s + n, len - n, ts, d->lines, false);
}

static void decode_cri(struct envelope_decoder *d, const char *s, size_t len)
{
    struct cri_line c;
    if (!cri_parse(s, len, &c)) {
        deliver(d, s, len, "", d->lines, false);
        return;
    }
    char ts[ENVELOPE_TS_MAX];
    copy_ts(ts, s, c.ts_len);
    int stream = c.from_stderr ? 1 : 0;
    if (c.partial)
        partial_add(&d->partial[stream], s + c.content, len - c.content, ts, d->lines);
    else
        partial_end(d, stream, s + c.content, len - c.content, ts, d->lines);
}

/* A Docker json-file line read without jansson: one flat object (jsonflat.c) whose "log",
 * "stream" and "time" (their last values, as jansson keeps them) are strings, "stream" and
 * "time" without escapes. The log's text in d->docker_log. false when unsure: jansson
 * decides. */
static bool docker_flat(struct envelope_decoder *d, const char *s, size_t len, const char **stream,
                        size_t *stream_n, const char **time, size_t *time_n)
{
    struct jsonflat j;
    if (len == 0 || s[0] != '{' || !jsonflat_begin(&j, s, len))
        return false;
    const char *log = NULL;
    size_t log_n = 0;
    *stream = *time = NULL;
    struct jsonflat_member m;
    int rc;
    while ((rc = jsonflat_next(&j, &m)) == 1) {
        bool is_log = m.key_len == 3 && memcmp(m.key, "log", 3) == 0;
        bool is_stream = m.key_len == 6 && memcmp(m.key, "stream", 6) == 0;
        bool is_time = m.key_len == 4 && memcmp(m.key, "time", 4) == 0;
        if (!(is_log || is_stream || is_time))
            continue;
        if (m.kind != JSONFLAT_STRING)
            return false; /* not a string: jansson says it is no Docker line */
        if (is_log) {
            log = m.value;
            log_n = m.value_len;
        } else if (m.escaped) {
            return false; /* an escaped stream or time: left to jansson */
        } else if (is_stream) {
            *stream = m.value, *stream_n = m.value_len;
        } else {
            *time = m.value, *time_n = m.value_len;
        }
    }
    if (rc < 0 || !log || !*stream || !*time)
        return false;
    d->docker_log.len = 0;
    jsonflat_unescape(log, log_n, &d->docker_log);
    return true;
}

/* One Docker line's log text, time and stream, as Docker wrote them. */
static void docker_record(struct envelope_decoder *d, const char *text, size_t n, const char *time,
                          size_t time_n, bool from_stderr)
{
    char ts[ENVELOPE_TS_MAX];
    copy_ts(ts, time, time_n);
    if (rfc3339_at(ts, strlen(ts)) == 0)
        ts[0] = '\0';
    int stream = from_stderr ? 1 : 0;
    /* Docker cuts lines longer than 16 KiB into parts; only the last ends with '\n'. */
    if (n > 0 && text[n - 1] == '\n') {
        n--;
        if (n > 0 && text[n - 1] == '\r')
            n--;
        partial_end(d, stream, text, n, ts, d->lines);
    } else {
        partial_add(&d->partial[stream], text, n, ts, d->lines);
    }
}

static void decode_docker(struct envelope_decoder *d, const char *s, size_t len)
{
    const char *stream, *time;
    size_t stream_n = 0, time_n = 0;
    if (len > 0 && s[0] == '{' && docker_flat(d, s, len, &stream, &stream_n, &time, &time_n)) {
        docker_record(d, d->docker_log.data ? d->docker_log.data : "", d->docker_log.len, time,
                      time_n, stream_n == 6 && memcmp(stream, "stderr", 6) == 0);
        return;
    }
    json_error_t jerr;
    json_t *obj = len > 0 && s[0] == '{' ? json_loadb(s, len, 0, &jerr) : NULL;
    if (!is_docker_object(obj)) {
        json_decref(obj);
        deliver(d, s, len, "", d->lines, false);
        return;
    }
    json_t *log = json_object_get(obj, "log"), *time_v = json_object_get(obj, "time");
    docker_record(d, json_string_value(log), json_string_length(log), json_string_value(time_v),
                  json_string_length(time_v),
                  strcmp(json_string_value(json_object_get(obj, "stream")), "stderr") == 0);
    json_decref(obj);
}

/* Decode one physical line: s[0, len), d->line's bytes or a whole line of the chunk fed. */
static void decode_line(struct envelope_decoder *d, const char *s, size_t len)
{
    if (len > 0 && s[len - 1] == '\r')
        len--;
    d->lines++;
    switch (d->format) {
    case LOG_FORMAT_SVLOGD:
        decode_svlogd(d, s, len);
        break;
    case LOG_FORMAT_CRI:
        decode_cri(d, s, len);
        break;
    case LOG_FORMAT_DOCKER:
        decode_docker(d, s, len);
        break;
    default:
        deliver(d, s, len, "", d->lines, false);
        break;
    }
    d->line.len = 0;
    d->line_cut = false;
}

void envelope_decoder_set_skip(struct envelope_decoder *d, const struct envelope_json_skip *skip)
{
    if (d->format != LOG_FORMAT_JSON || !skip)
        return;
    d->skip = skip;
    d->skip_sc = multimatch_scratch_new(skip->mm);
    d->seen = xcalloc(skip->n_tok + 1, sizeof(unsigned));
}

static void on_token(void *ctx, size_t id, size_t end)
{
    struct envelope_decoder *d = ctx;
    d->hits = xgrow(d->hits, &d->hits_cap, d->n_hits + 2, sizeof(size_t));
    d->hits[d->n_hits++] = end;
    d->hits[d->n_hits++] = id;
}

static int compare_hits(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether the chunk's line [from, to) holds every token of some literal, given the hits
 * from *k on (sorted by end; *k moves past the line's). */
static bool line_may_hold(struct envelope_decoder *d, size_t from, size_t to, size_t *k)
{
    while (*k < d->n_hits && d->hits[*k] <= from)
        *k += 2;
    if (*k >= d->n_hits || d->hits[*k] > to)
        return false;
    if (++d->seen_mark == 0) { /* wrapped: no stale mark may equal it */
        memset(d->seen, 0, d->skip->n_tok * sizeof(unsigned));
        d->seen_mark = 1;
    }
    size_t first = *k;
    for (; *k < d->n_hits && d->hits[*k] <= to; *k += 2)
        d->seen[d->hits[*k + 1]] = d->seen_mark;
    const struct envelope_json_skip *sk = d->skip;
    for (size_t h = first; h < *k; h += 2) { /* the literals of the tokens found */
        size_t id = d->hits[h + 1];
        for (size_t j = sk->of_first[id]; j < sk->of_first[id + 1]; j++) {
            const struct json_skip_literal *l = &sk->lit[sk->lits_of[j]];
            size_t t = 0;
            while (t < l->n && d->seen[sk->tok[l->first + t]] == d->seen_mark)
                t++;
            if (t == l->n)
                return true;
        }
    }
    return false;
}

void envelope_decoder_feed(struct envelope_decoder *d, const char *data, size_t len)
{
    size_t k = 0;
    bool searched = d->skip != NULL;
    d->n_hits = 0;
    if (searched && len > 0) {
        if (multimatch_scan(d->skip->mm, d->skip_sc, data, len, on_token, d) != 0)
            searched = false; /* an engine error: decode every line */
        else
            for (size_t h = 2; h < d->n_hits; h += 2) /* Hyperscan reports them in order */
                if (d->hits[h] < d->hits[h - 2]) {
                    qsort(d->hits, d->n_hits / 2, 2 * sizeof(size_t), compare_hits);
                    break;
                }
    }
    const char *chunk = data;
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t seg = nl ? (size_t)(nl - data) : len;
        size_t room = ENVELOPE_LINE_MAX - d->line.len;
        /* a line begun in an earlier chunk was not searched whole */
        bool begun = d->line.len > 0 || d->line_cut;
        bool whole_here = !begun && searched;
        if (seg > room)
            d->line_cut = true;
        /* a whole line of this chunk is decoded where it is; the rest is gathered */
        bool direct = nl && !begun && !d->line_cut;
        if (!direct)
            strbuf_append(&d->line, data, seg < room ? seg : room);
        if (!nl)
            return;
        size_t from = (size_t)(data - chunk);
        d->line_clean = whole_here && !d->line_cut && !line_may_hold(d, from, from + seg, &k);
        if (direct)
            decode_line(d, data, seg);
        else
            decode_line(d, d->line.data ? d->line.data : "", d->line.len);
        d->line_clean = false;
        data += seg + 1;
        len -= seg + 1;
    }
}

void envelope_decoder_finish(struct envelope_decoder *d)
{
    if (d->line.len > 0 || d->line_cut)
        decode_line(d, d->line.data ? d->line.data : "", d->line.len);
    for (int stream = 0; stream < 2; stream++) {
        struct partial *p = &d->partial[stream];
        if (p->open) {
            p->open = false;
            deliver(d, p->text.data ? p->text.data : "", p->text.len, p->ts, p->line, stream == 1);
        }
    }
}
