/*
 * jsonflat.c - one flat JSON object read in place, member by member, with jansson's rules
 * for what it accepts. See jsonflat.h.
 */
#include "jsonflat.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGHS 0x8080808080808080ull

/* Whether the eight bytes of w may hold a byte below 0x20, from 0x80, '"' (when quote) or
 * '\\' (never false when one does). */
static bool swar_special(uint64_t w, bool quote)
{
    uint64_t q = w ^ (SWAR_ONES * '"'), b = w ^ (SWAR_ONES * '\\');
    uint64_t hit = (w - SWAR_ONES * 0x20) | w | ((b - SWAR_ONES) & ~b);
    if (quote)
        hit |= (q - SWAR_ONES) & ~q;
    return (hit & SWAR_HIGHS) != 0;
}

/* No byte below 0x20, from 0x80 or '\\' in s[0, n): sixteen bytes at a time with SSE2 (every
 * amd64), eight with SWAR elsewhere. */
static bool plain_ascii(const char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(0x20), backslash = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* signed: bytes from 0x80 are negative, so below 0x20 too */
        __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, backslash));
        if (_mm_movemask_epi8(bad))
            return false;
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (swar_special(w, false))
            break;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x80 || s[i] == '\\')
            return false;
    return true;
}

static inline void skip_ws(struct jsonflat *j)
{
    while (j->p < j->end && (unsigned char)*j->p <= ' ' &&
           (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

/* The code unit of the \u escape at p ("\\u" and four hex digits); -1 when not one. */
static long u_escape(const char *p, const char *end)
{
    if (end - p < 6)
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hex_digit_value(p[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

/* A string's content at j->p (after its opening quote) in a text that is not simple. */
static bool read_string_checked(struct jsonflat *j, const char **s, size_t *n, bool *escaped,
                                bool *u)
{
    const char *start = j->p;
    while (j->p < j->end) {
        /* eight plain bytes at a time: none below 0x20, from 0x80, '"' or '\\' */
        while (j->end - j->p >= 8) {
            uint64_t w;
            memcpy(&w, j->p, 8);
            if (swar_special(w, true))
                break;
            j->p += 8;
        }
        if (j->p >= j->end)
            break;
        unsigned char c = (unsigned char)*j->p;
        if (c == '"') {
            *s = start;
            *n = (size_t)(j->p - start);
            j->p++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            if (j->p + 1 >= j->end)
                return false;
            *escaped = true;
            if (j->p[1] == 'u') {
                /* U+0000 and surrogates (paired or not) are left to jansson */
                long v = u_escape(j->p, j->end);
                if (v <= 0 || (v >= 0xD800 && v <= 0xDFFF))
                    return false;
                *u = true;
                j->p += 6;
            } else if (strchr("\"\\/bfnrt", j->p[1]) && j->p[1]) {
                j->p += 2;
            } else {
                return false;
            }
        } else if (c >= 0x80) {
            size_t k = utf8_sequence((const unsigned char *)j->p, (size_t)(j->end - j->p), NULL);
            if (!k)
                return false;
            j->p += k;
        } else {
            j->p++;
        }
    }
    return false;
}

/* A string at j->p (its opening quote): its raw content in *s, *n; false when unsure. */
static inline bool read_string(struct jsonflat *j, const char **s, size_t *n, bool *escaped,
                               bool *u)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    j->p++;
    if (!j->simple)
        return read_string_checked(j, s, n, escaped, u);
    /* nothing to check in the text: the string ends at the next quote */
    const char *q = memchr(j->p, '"', (size_t)(j->end - j->p));
    if (!q)
        return false;
    *s = j->p;
    *n = (size_t)(q - j->p);
    j->p = q + 1;
    return true;
}

/* A number (JSON's grammar, small enough for jansson: at most 15 digits, a two-digit
 * exponent); *integer when it has no fraction or exponent. */
static bool read_number(struct jsonflat *j, bool *integer)
{
    const char *p = j->p;
    size_t digits = 0;
    if (p < j->end && *p == '-')
        p++;
    if (p < j->end && *p == '0') {
        p++;
        digits++;
    } else {
        while (p < j->end && *p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (digits == 0)
        return false;
    *integer = true;
    if (p < j->end && *p == '.') {
        *integer = false;
        size_t frac = 0;
        for (p++; p < j->end && *p >= '0' && *p <= '9'; p++)
            frac++;
        if (frac == 0)
            return false;
        digits += frac;
    }
    if (p < j->end && (*p == 'e' || *p == 'E')) {
        *integer = false;
        p++;
        if (p < j->end && (*p == '+' || *p == '-'))
            p++;
        size_t exp = 0;
        for (; p < j->end && *p >= '0' && *p <= '9'; p++)
            exp++;
        if (exp == 0 || exp > 2)
            return false;
    }
    if (digits > 15)
        return false;
    j->p = p;
    return true;
}

static bool read_literal(struct jsonflat *j, const char *word, size_t n)
{
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
        return false;
    j->p += n;
    return true;
}

bool jsonflat_begin(struct jsonflat *j, const char *s, size_t len)
{
    j->p = s;
    j->end = s + len;
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t'))
        j->p++;
    if (j->p >= j->end || *j->p != '{')
        return false;
    j->p++;
    j->simple = plain_ascii(j->p, (size_t)(j->end - j->p));
    j->first = true;
    return true;
}

/* After the object's '}': nothing but whitespace (jansson refuses what follows it). */
static int object_end(struct jsonflat *j)
{
    j->p++;
    skip_ws(j);
    return j->p == j->end ? 0 : -1;
}

int jsonflat_next(struct jsonflat *j, struct jsonflat_member *m)
{
    skip_ws(j);
    if (j->p >= j->end)
        return -1;
    if (j->first) {
        j->first = false;
        if (*j->p == '}')
            return object_end(j);
    } else if (*j->p == '}') {
        return object_end(j);
    } else if (*j->p == ',') {
        j->p++;
        skip_ws(j);
    } else {
        return -1;
    }
    bool key_escaped = false, key_u = false;
    if (!read_string(j, &m->key, &m->key_len, &key_escaped, &key_u) || key_u)
        return -1; /* a key spelt with \u may be any key: jansson reads it */
    m->escaped = m->u_escaped = false;
    skip_ws(j);
    if (j->p >= j->end || *j->p != ':')
        return -1;
    j->p++;
    skip_ws(j);
    if (j->p >= j->end)
        return -1;
    const char *v = j->p;
    bool integer;
    switch (*j->p) {
    case '"':
        m->kind = JSONFLAT_STRING;
        return read_string(j, &m->value, &m->value_len, &m->escaped, &m->u_escaped) ? 1 : -1;
    case 't':
        m->kind = JSONFLAT_LITERAL;
        if (!read_literal(j, "true", 4))
            return -1;
        break;
    case 'f':
        m->kind = JSONFLAT_LITERAL;
        if (!read_literal(j, "false", 5))
            return -1;
        break;
    case 'n':
        m->kind = JSONFLAT_LITERAL;
        if (!read_literal(j, "null", 4))
            return -1;
        break;
    default:
        if (!read_number(j, &integer))
            return -1; /* an object, an array, or not JSON */
        m->kind = integer ? JSONFLAT_INTEGER : JSONFLAT_NUMBER;
        break;
    }
    m->value = v;
    m->value_len = (size_t)(j->p - v);
    return 1;
}

void jsonflat_unescape(const char *raw, size_t n, struct strbuf *out)
{
    const char *p = raw, *end = raw + n, *run = raw;
    while (p < end) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        if (!bs || bs + 1 >= end)
            break;
        strbuf_append(out, run, (size_t)(bs - run));
        char e = bs[1];
        if (e == 'u') {
            /* jsonflat_next took only 1..0xFFFF, no surrogate */
            strbuf_append_utf8(out, (unsigned)u_escape(bs, end));
            p = bs + 6;
        } else {
            const char *esc = strchr("\"\\/bfnrt", e);
            char one = esc ? "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"] : e;
            strbuf_append(out, &one, 1);
            p = bs + 2;
        }
        run = p;
    }
    strbuf_append(out, run, (size_t)(end - run));
}
