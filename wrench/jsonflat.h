/*
 * jsonflat.h - one flat JSON object read in place, without building it: the fast check of
 * a Docker json-file line and of a JSON-lines record (envelope.c), which would otherwise
 * go through jansson on every line.
 *
 * A flat object is one whose values are strings, numbers, true, false or null. The reader
 * accepts only what jansson accepts (json_loadb with no flags), and says "unsure" for the
 * rest it does not check itself: nesting, a number jansson may refuse as too large, a \u
 * escape of U+0000 or of a surrogate, anything that is not JSON. The caller then asks
 * jansson. Strings are reported as written (raw, between their quotes);
 * jsonflat_unescape decodes one.
 */
#ifndef WRENCH_JSONFLAT_H
#define WRENCH_JSONFLAT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum jsonflat_kind {
    JSONFLAT_STRING,
    JSONFLAT_INTEGER, /* a number without fraction or exponent */
    JSONFLAT_NUMBER,  /* any other number */
    JSONFLAT_LITERAL, /* true, false, null */
};

struct jsonflat_member {
    const char *key; /* raw, as written: no \u escape, its other escapes not decoded */
    size_t key_len;
    enum jsonflat_kind kind;
    const char *value; /* a string's raw content, a number's or literal's text */
    size_t value_len;
    bool escaped;   /* the string value holds a backslash escape */
    bool u_escaped; /* ... a \u escape (of U+0001 to U+FFFF, not a surrogate) */
};

struct jsonflat {
    const char *p, *end;
    bool simple; /* no escape, control byte or non-ASCII byte in the text: strings end at '"' */
    bool first;
};

/* Start reading the object in s[0, len) (spaces and tabs before its '{'): false when s does
 * not open with an object. */
bool jsonflat_begin(struct jsonflat *j, const char *s, size_t len);
/* The next member: 1 and *m; 0 at the end of the object, which ends the text (whitespace
 * after it allowed); -1 when unsure (see above) or not JSON. */
int jsonflat_next(struct jsonflat *j, struct jsonflat_member *m);
/* Append the decoded content of a raw string (a member's key or value, as jsonflat_next
 * accepted it) to out. */
void jsonflat_unescape(const char *raw, size_t n, struct strbuf *out);

#endif
