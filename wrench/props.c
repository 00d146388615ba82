/*
 * props.c - read Java .properties text (pom.properties, catalina.properties)
 * the way java.util.Properties does: logical lines joined at a trailing
 * backslash, '#'/'!' comments, '=', ':' or white space between key and value,
 * backslash escapes including \uXXXX.
 */
#include "props.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define UNICODE_ESCAPE_DIGITS 4 /* "\\uXXXX" */

static bool is_prop_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

static bool is_eol(char c)
{
    return c == '\n' || c == '\r';
}

/* Reads the logical lines of a Java properties text. */
struct prop_reader {
    const char *text;
    size_t pos;
    size_t end;
};

/* Skip one line terminator (CRLF, LF or CR) at r->pos, if any. */
static void prop_skip_eol(struct prop_reader *r)
{
    if (r->pos < r->end && r->text[r->pos] == '\r')
        r->pos++;
    else if (r->pos < r->end && r->text[r->pos] == '\n') {
        r->pos++;
        return;
    } else
        return;
    if (r->pos < r->end && r->text[r->pos] == '\n')
        r->pos++;
}

/*
 * The next logical line, raw (escapes still in it) but with continuations
 * joined: a line ending in an odd number of backslashes goes on, and the
 * leading blanks of the next line are dropped. Comment and blank lines are
 * skipped (a comment never continues). Returns false at the end.
 */
static bool prop_next_line(struct prop_reader *r, struct strbuf *line)
{
    line->len = 0;
    if (line->data)
        line->data[0] = '\0';
    while (r->pos < r->end) {
        while (r->pos < r->end && is_prop_space(r->text[r->pos]))
            r->pos++;
        if (r->pos >= r->end)
            return false;
        char c = r->text[r->pos];
        if (is_eol(c)) {
            prop_skip_eol(r);
            continue;
        }
        if (c == '#' || c == '!') {
            while (r->pos < r->end && !is_eol(r->text[r->pos]))
                r->pos++;
            prop_skip_eol(r);
            continue;
        }
        break;
    }
    if (r->pos >= r->end)
        return false;
    for (;;) {
        size_t start = r->pos;
        while (r->pos < r->end && !is_eol(r->text[r->pos]))
            r->pos++;
        size_t n = r->pos - start;
        size_t backslashes = 0;
        while (backslashes < n && r->text[start + n - 1 - backslashes] == '\\')
            backslashes++;
        bool continued = backslashes % 2 == 1;
        strbuf_append(line, r->text + start, continued ? n - 1 : n);
        prop_skip_eol(r);
        if (!continued || r->pos >= r->end)
            break;
        while (r->pos < r->end && is_prop_space(r->text[r->pos]))
            r->pos++;
    }
    return true;
}

/* Decode the escapes of s[0..n) into a new string. Java rejects a malformed
 * \uXXXX; here it is kept as a plain 'u', and a \u0000 is dropped, since
 * neither can be part of a Maven coordinate. */
static char *prop_unescape(const char *s, size_t n)
{
    struct strbuf sb = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 == n) {
            strbuf_append(&sb, s + i, 1);
            continue;
        }
        char c = s[++i];
        if (c == 'u' && n - i > UNICODE_ESCAPE_DIGITS) {
            unsigned cp = 0;
            bool ok = true;
            for (size_t k = 1; k <= UNICODE_ESCAPE_DIGITS && ok; k++) {
                int h = hex_digit_value(s[i + k]);
                ok = h >= 0;
                cp = cp * 16 + (unsigned)(ok ? h : 0);
            }
            if (ok) {
                if (cp)
                    strbuf_append_utf8(&sb, cp);
                i += UNICODE_ESCAPE_DIGITS;
                continue;
            }
        }
        char out = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'f' ? '\f' : c;
        strbuf_append(&sb, &out, 1);
    }
    return strbuf_take(&sb);
}

/* Split a logical line into key and value (both unescaped, new strings). The
 * key ends at the first unescaped '=', ':' or blank; blanks and one '=' or
 * ':' separate it from the value. */
static void prop_split(const char *line, size_t n, char **key, char **value)
{
    size_t i = 0;
    while (i < n && line[i] != '=' && line[i] != ':' && !is_prop_space(line[i])) {
        if (line[i] == '\\' && i + 1 < n)
            i++;
        i++;
    }
    *key = prop_unescape(line, i);
    while (i < n && is_prop_space(line[i]))
        i++;
    if (i < n && (line[i] == '=' || line[i] == ':'))
        i++;
    while (i < n && is_prop_space(line[i]))
        i++;
    *value = prop_unescape(line + i, n - i);
}

void props_get_many(const char *text, size_t len, const char *const *keys, size_t n_keys,
                    char **values)
{
    for (size_t i = 0; i < n_keys; i++)
        values[i] = NULL;
    if (!text)
        len = 0;
    const char *nul = len ? memchr(text, '\0', len) : NULL;
    struct prop_reader r = {text, 0, nul ? (size_t)(nul - text) : len};
    struct strbuf line = {0};
    while (prop_next_line(&r, &line)) {
        char *k, *value;
        prop_split(line.data, line.len, &k, &value);
        /* Keys are case-sensitive and the last occurrence wins, as in Java. */
        size_t i = 0;
        while (i < n_keys && strcmp(k, keys[i]) != 0)
            i++;
        if (i < n_keys) {
            free(values[i]);
            values[i] = value;
        } else {
            free(value);
        }
        free(k);
    }
    strbuf_free(&line);
}

char *props_get(const char *text, size_t len, const char *key)
{
    char *value;
    props_get_many(text, len, &key, 1, &value);
    return value;
}
