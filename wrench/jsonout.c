/*
 * jsonout.c - json_dumps(JSON_INDENT(n) | JSON_PRESERVE_ORDER), byte for byte (see
 * jsonout.h). The rules are jansson 2.14's (src/dump.c): "[" or "{", then each item on a
 * new line indented n spaces per depth, items separated by ",", a key and its value by
 * ": ", the closing bracket on its own line at the parent's depth; "[]" and "{}" when
 * empty; integers with %lld; strings escape \\ \" \b \f \n \r \t, other control bytes as
 * \u00XX (capitals), and leave every other byte, UTF-8 included, as it is. Objects are
 * walked in insertion order (jansson keeps it since 2.13, which is all PRESERVE_ORDER asks).
 * Reals, rare in a report, are written by jansson itself.
 */
#include "jsonout.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct out {
    char *data;
    size_t len, cap;
    int indent;
    bool failed;    /* a string jansson would refuse: fall back to it */
    FILE *sink;     /* streaming: the buffer goes there whenever it fills */
    bool io_error;  /* a write to the sink failed */
    size_t flushed; /* bytes already given to the sink */
};

/* Streaming: the buffer is written out before it would grow past this, so that a large
 * report reuses the same cache-warm pages instead of faulting in fresh ones. */
#define STREAM_FLUSH_AT 65536

static void flush(struct out *o)
{
    if (o->len && fwrite(o->data, 1, o->len, o->sink) != o->len)
        o->io_error = true;
    o->flushed += o->len;
    o->len = 0;
}

static void reserve(struct out *o, size_t more)
{
    if (o->cap - o->len >= more)
        return;
    if (o->sink && o->len) { /* callers index data + len afresh after reserve */
        flush(o);
        if (o->cap >= more)
            return;
    }
    size_t cap = o->cap ? o->cap : 65536;
    while (cap - o->len < more)
        cap *= 2;
    o->data = xrealloc(o->data, cap);
    o->cap = cap;
}

static void put(struct out *o, const char *s, size_t n)
{
    reserve(o, n);
    memcpy(o->data + o->len, s, n);
    o->len += n;
}

static void newline(struct out *o, int depth)
{
    size_t spaces = (size_t)depth * (size_t)o->indent;
    reserve(o, spaces + 1);
    o->data[o->len++] = '\n';
    memset(o->data + o->len, ' ', spaces);
    o->len += spaces;
}

static void put_integer(struct out *o, json_int_t v)
{
    char buf[24];
    size_t n = 0;
    /* as unsigned, so that the most negative value negates without overflow */
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        buf[sizeof(buf) - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[sizeof(buf) - 1 - n++] = '-';
    put(o, buf + sizeof(buf) - n, n);
}

/* Bytes that end a run of plain ones: '"', '\\' and the control bytes. */
static bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The index of the first byte of s[from, len) that needs an escape, or len: eight bytes at a
 * time, testing each word for a byte below 0x20, a '"' or a '\\' (the usual bit tricks: a
 * byte b below n shows as a high bit in (b - n) & ~b). */
static size_t next_escape(const char *s, size_t from, size_t len)
{
    size_t i = from;
    for (; len - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* a zero byte in these is a '"' or a '\\' in w */
        uint64_t quote = w ^ (ONES * '"'), slash = w ^ (ONES * '\\');
        uint64_t hit =
            ((w - ONES * 0x20) & ~w) | ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash);
        if (hit & HIGHS)
            break; /* maybe a false alarm: the bytes say */
    }
    for (; i < len; i++)
        if (needs_escape((unsigned char)s[i]))
            return i;
    return len;
}

/* Whether s[0, len) is plain: no byte to escape and none of 0x80 or more, so that it is
 * written as it is (nearly every key, name and path). False may be a false alarm. */
static bool plain_bytes(const char *s, size_t len)
{
    size_t i = 0;
    uint64_t maybe = 0;
    for (; len - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t quote = w ^ (ONES * '"'), slash = w ^ (ONES * '\\');
        maybe |=
            w | ((w - ONES * 0x20) & ~w) | ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash);
    }
    if (maybe & HIGHS)
        return false;
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 || needs_escape((unsigned char)s[i]))
            return false;
    return true;
}

/* "s", s being plain. */
static void put_plain_string(struct out *o, const char *s, size_t len)
{
    reserve(o, len + 2);
    o->data[o->len++] = '"';
    memcpy(o->data + o->len, s, len);
    o->len += len;
    o->data[o->len++] = '"';
}

/* Whether s[0, len) holds a byte of 0x80 or more. */
static bool has_high_byte(const char *s, size_t len)
{
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & HIGHS)
            return true;
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

static void put_utf8_string(struct out *o, const char *s, size_t len);

static void put_string(struct out *o, const char *s, size_t len)
{
    /* jansson refuses a string that is not UTF-8 (a NUL byte is fine there: \u0000) */
    if (has_high_byte(s, len)) {
        const char *p = s;
        size_t left = len;
        while (left) { /* utf8_valid refuses NUL: check the runs between them */
            const char *nul = memchr(p, '\0', left);
            size_t run = nul ? (size_t)(nul - p) : left;
            if (!utf8_valid(p, run)) {
                o->failed = true;
                return;
            }
            p += run + (nul ? 1 : 0);
            left -= run + (nul ? 1 : 0);
        }
    }
    put_utf8_string(o, s, len);
}

/* A string known to be UTF-8 (or ASCII), escaped as jansson does. */
static void put_utf8_string(struct out *o, const char *s, size_t len)
{
    reserve(o, len + 2);
    o->data[o->len++] = '"';
    size_t start = 0;
    for (size_t i = 0; (i = next_escape(s, i, len)) < len; i++) {
        unsigned char c = (unsigned char)s[i];
        put(o, s + start, i - start);
        start = i + 1;
        char seq[8];
        size_t n = 2;
        seq[0] = '\\';
        switch (c) {
        case '\\':
            seq[1] = '\\';
            break;
        case '"':
            seq[1] = '"';
            break;
        case '\b':
            seq[1] = 'b';
            break;
        case '\f':
            seq[1] = 'f';
            break;
        case '\n':
            seq[1] = 'n';
            break;
        case '\r':
            seq[1] = 'r';
            break;
        case '\t':
            seq[1] = 't';
            break;
        default: {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(seq + 1, "u00", 3);
            seq[4] = hex[c >> 4];
            seq[5] = hex[c & 15];
            n = 6;
            break;
        }
        }
        put(o, seq, n);
    }
    put(o, s + start, len - start);
    put(o, "\"", 1);
}

static void put_value(struct out *o, const json_t *j, int depth);

static void put_array(struct out *o, const json_t *j, int depth)
{
    size_t n = json_array_size(j);
    if (n == 0) {
        put(o, "[]", 2);
        return;
    }
    put(o, "[", 1);
    newline(o, depth + 1);
    for (size_t i = 0; i < n && !o->failed; i++) {
        put_value(o, json_array_get(j, i), depth + 1);
        if (i + 1 < n) {
            put(o, ",", 1);
            newline(o, depth + 1);
        } else {
            newline(o, depth);
        }
    }
    put(o, "]", 1);
}

static void put_object(struct out *o, const json_t *j, int depth)
{
    void *iter = json_object_iter((json_t *)j);
    if (!iter) {
        put(o, "{}", 2);
        return;
    }
    put(o, "{", 1);
    newline(o, depth + 1);
    while (iter && !o->failed) {
        void *next = json_object_iter_next((json_t *)j, iter);
        put_string(o, json_object_iter_key(iter), json_object_iter_key_len(iter));
        put(o, ": ", 2);
        put_value(o, json_object_iter_value(iter), depth + 1);
        if (next) {
            put(o, ",", 1);
            newline(o, depth + 1);
        } else {
            newline(o, depth);
        }
        iter = next;
    }
    put(o, "}", 1);
}

static void put_real(struct out *o, const json_t *j)
{
    char *text = json_dumps(j, JSON_ENCODE_ANY);
    if (!text) {
        o->failed = true;
        return;
    }
    put(o, text, strlen(text));
    free(text);
}

static void put_value(struct out *o, const json_t *j, int depth)
{
    if (!j) {
        o->failed = true;
        return;
    }
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        put_object(o, j, depth);
        break;
    case JSON_ARRAY:
        put_array(o, j, depth);
        break;
    case JSON_STRING:
        put_string(o, json_string_value(j), json_string_length(j));
        break;
    case JSON_INTEGER:
        put_integer(o, json_integer_value(j));
        break;
    case JSON_REAL:
        put_real(o, j);
        break;
    case JSON_TRUE:
        put(o, "true", 4);
        break;
    case JSON_FALSE:
        put(o, "false", 5);
        break;
    case JSON_NULL:
        put(o, "null", 4);
        break;
    }
}

char *jsonout_dumps(const json_t *json, int indent, const char *suffix)
{
    if (!json || (!json_is_array(json) && !json_is_object(json)))
        return NULL;
    struct out o = {.indent = indent < 0 ? 0 : indent > 31 ? 31 : indent};
    if (o.indent > 0)
        put_value(&o, json, 0);
    if (o.indent == 0 || o.failed) { /* jansson decides: it may refuse the whole tree */
        free(o.data);
        char *text = json_dumps(json, JSON_INDENT(o.indent) | JSON_PRESERVE_ORDER);
        if (!text)
            return NULL;
        char *out = xasprintf("%s%s", text, suffix);
        free(text);
        return out;
    }
    put(&o, suffix, strlen(suffix) + 1); /* with its NUL */
    return o.data;
}

char *jsonout_repair_utf8(const char *s, size_t len, size_t *out_len)
{
    struct strbuf sb = {0};
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        while (n <= 4 && i + n <= len && !utf8_valid(s + i, n))
            n++;
        if (n <= 4 && i + n <= len) {
            strbuf_append(&sb, s + i, n);
            i += n;
        } else {
            strbuf_puts(&sb, "\xEF\xBF\xBD");
            i++;
        }
    }
    *out_len = sb.len;
    return sb.data ? sb.data : xstrdup("");
}

/* ---- jsonw: one walk, two back-ends ---- */

void jsonw_begin_text(struct jsonw *w, int indent)
{
    *w = (struct jsonw){0};
    struct out *o = xcalloc(1, sizeof *o);
    o->indent = indent < 1 ? 1 : indent > 31 ? 31 : indent;
    w->out = o;
}

void jsonw_begin_stream(struct jsonw *w, int indent, FILE *out)
{
    jsonw_begin_text(w, indent);
    ((struct out *)w->out)->sink = out;
}

int jsonw_end_stream(struct jsonw *w, const char *suffix)
{
    struct out *o = w->out;
    int rc = -1;
    if (!w->failed && w->depth == 0 && (o->len || o->flushed)) {
        put(o, suffix, strlen(suffix));
        flush(o);
        rc = o->io_error || fflush(o->sink) != 0 ? -1 : 0;
    }
    free(o->data);
    free(o);
    w->out = NULL;
    return rc;
}

void jsonw_begin_tree(struct jsonw *w)
{
    *w = (struct jsonw){.tree = true};
}

/* Keys up to this long are written by text_prefix's own loop. */
#define KEY_FAST_MAX 64

/* Whether `key` can name a member: jansson refuses a key that is not UTF-8. */
static bool key_ok(const char *key)
{
    if (!key)
        return false;
    size_t i = 0;
    while (key[i] && (unsigned char)key[i] < 0x80)
        i++;
    return !key[i] || utf8_valid(key, i + strlen(key + i));
}

/* Text: what goes before a value at the current depth (a separator, a new line, its key).
 * False when the value is to be left out, as jansson leaves out a member whose key it
 * refuses; nothing is written then. */
static bool text_prefix(struct jsonw *w, const char *key)
{
    struct out *o = w->out;
    if (w->depth == 0)
        return true;
    bool in_object = w->closer[w->depth - 1] == '}';
    /* ",", a new line, the indent and the key with its ": " are written past the output's
     * end first and kept once the key is known to be fine: keys are short and plain
     * (constants but for facts' names), so one loop copies and checks them */
    size_t spaces = (size_t)w->depth * (size_t)o->indent;
    reserve(o, spaces + 2 + KEY_FAST_MAX + 4);
    char *p = o->data + o->len;
    if (w->has_items[w->depth - 1])
        *p++ = ',';
    *p++ = '\n';
    memset(p, ' ', spaces);
    p += spaces;
    if (in_object && key) {
        p[0] = '"';
        size_t i = 0;
        for (; key[i] && i < KEY_FAST_MAX; i++) {
            unsigned char c = (unsigned char)key[i];
            if (c >= 0x80 || needs_escape(c))
                break;
            p[1 + i] = (char)c;
        }
        if (!key[i]) {
            memcpy(p + 1 + i, "\": ", 3);
            w->has_items[w->depth - 1] = true;
            o->len = (size_t)(p + 1 + i + 3 - o->data);
            return true;
        }
    }
    if (in_object && !key_ok(key))
        return false;
    w->has_items[w->depth - 1] = true;
    o->len = (size_t)(p - o->data);
    if (in_object) { /* long or not plain: the general way */
        put_string(o, key, strlen(key));
        put(o, ": ", 2);
    }
    return true;
}

/* Tree: put `v` (a reference this takes) where the walk is. */
static void tree_add(struct jsonw *w, const char *key, json_t *v)
{
    if (w->depth == 0) {
        if (w->root)
            json_decref(v); /* a second outermost value: misuse, ignored */
        else
            w->root = v;
        return;
    }
    json_t *parent = w->open[w->depth - 1];
    if (json_is_object(parent) && key)
        json_object_set_new(parent, key, v); /* a key it refuses drops v */
    else if (json_is_object(parent))
        json_decref(v); /* no key: left out, as the text leaves it out */
    else
        json_array_append_new(parent, v);
}

static void open_container(struct jsonw *w, const char *key, bool object)
{
    if (w->failed || w->depth >= JSONW_MAX_DEPTH) {
        w->failed = true;
        w->depth++;
        return;
    }
    if (w->tree) {
        json_t *c = object ? json_object() : json_array();
        tree_add(w, key, json_incref(c));
        w->open[w->depth] = c;
    } else {
        if (!text_prefix(w, key)) { /* a container jansson would drop: let the tree decide */
            w->failed = true;
            w->depth++;
            return;
        }
        put(w->out, object ? "{" : "[", 1);
        w->has_items[w->depth] = false;
    }
    w->closer[w->depth] = object ? '}' : ']';
    w->depth++;
}

void jsonw_object(struct jsonw *w, const char *key)
{
    open_container(w, key, true);
}

void jsonw_array(struct jsonw *w, const char *key)
{
    open_container(w, key, false);
}

void jsonw_end(struct jsonw *w)
{
    if (w->depth == 0)
        return;
    w->depth--;
    if (w->depth >= JSONW_MAX_DEPTH)
        return; /* it was never opened */
    if (w->tree) {
        json_decref(w->open[w->depth]);
        w->open[w->depth] = NULL;
    } else if (!w->failed) {
        if (w->has_items[w->depth])
            newline(w->out, w->depth);
        put(w->out, &w->closer[w->depth], 1);
    }
}

/* A scalar: the tree gets make()'s value, the text `text` of length n. */
static void scalar(struct jsonw *w, const char *key, json_t *v, const char *text, size_t n)
{
    if (w->tree) {
        if (w->depth <= JSONW_MAX_DEPTH)
            tree_add(w, key, v);
        else
            json_decref(v); /* inside a container too deep to keep */
        return;
    }
    if (!w->failed && text_prefix(w, key))
        put(w->out, text, n);
}

void jsonw_text(struct jsonw *w, const char *key, const char *s)
{
    if (!s) {
        jsonw_null(w, key);
        return;
    }
    size_t len = strlen(s);
    if (!w->tree && plain_bytes(s, len)) {
        if (!w->failed && text_prefix(w, key))
            put_plain_string(w->out, s, len);
        return;
    }
    char *repaired = NULL;
    if (has_high_byte(s, len) && !utf8_valid(s, len))
        s = repaired = jsonout_repair_utf8(s, len, &len);
    if (w->tree) {
        scalar(w, key, json_stringn(s, len), NULL, 0);
    } else if (!w->failed && text_prefix(w, key)) {
        put_utf8_string(w->out, s, len);
    }
    free(repaired);
}

void jsonw_int(struct jsonw *w, const char *key, json_int_t v)
{
    if (w->tree) {
        scalar(w, key, json_integer(v), NULL, 0);
    } else if (!w->failed && text_prefix(w, key)) {
        put_integer(w->out, v);
    }
}

void jsonw_bool(struct jsonw *w, const char *key, bool v)
{
    scalar(w, key, w->tree ? json_boolean(v) : NULL, v ? "true" : "false", v ? 4 : 5);
}

void jsonw_null(struct jsonw *w, const char *key)
{
    scalar(w, key, w->tree ? json_null() : NULL, "null", 4);
}

void jsonw_json(struct jsonw *w, const char *key, json_t *value)
{
    if (w->tree) {
        scalar(w, key, value, NULL, 0);
        return;
    }
    if (!value) {
        w->failed = true; /* jansson would have refused the member */
        return;
    }
    if (!w->failed && text_prefix(w, key)) {
        struct out *o = w->out;
        put_value(o, value, w->depth);
        if (o->failed)
            w->failed = true;
    }
    json_decref(value);
}

char *jsonw_end_text(struct jsonw *w, const char *suffix)
{
    struct out *o = w->out;
    char *text = NULL;
    if (!w->failed && w->depth == 0 && o->len) {
        put(o, suffix, strlen(suffix) + 1);
        text = o->data;
    } else {
        free(o->data);
    }
    free(o);
    w->out = NULL;
    return text;
}

json_t *jsonw_end_tree(struct jsonw *w)
{
    while (w->depth > 0)
        jsonw_end(w);
    json_t *root = w->root;
    w->root = NULL;
    return root;
}
