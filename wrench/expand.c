/*
 * expand.c - ${...} variable expansion (see expand.h).
 */
#include "expand.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define EXPAND_NAME_MAX 256

static char *expand_depth(const char *s, expand_lookup_fn lookup, void *ud,
                          enum expand_missing missing, int depth);

/* The replacement of one ${...} whose inside is `inner` (len bytes); NULL when it has none. */
static char *expand_one(const char *inner, size_t len, expand_lookup_fn lookup, void *ud,
                        enum expand_missing missing, int depth)
{
    const char *name = inner, *dflt = NULL;
    size_t dlen = 0;
    const char *colon = memchr(inner, ':', len);
    if (colon && colon + 1 < inner + len && colon[1] == '-') { /* ${NAME:-default} */
        dflt = colon + 2;
        dlen = (size_t)(inner + len - dflt);
        len = (size_t)(colon - inner);
    } else if (colon) { /* ${sys:NAME}, ${env:NAME} */
        name = colon + 1;
        len = (size_t)(inner + len - name);
    }
    if (len >= EXPAND_NAME_MAX)
        return NULL;
    char key[EXPAND_NAME_MAX];
    memcpy(key, name, len);
    key[len] = '\0';
    const char *value = lookup(key, ud);
    if (value)
        return expand_depth(value, lookup, ud, missing, depth + 1);
    if (!dflt)
        return NULL;
    char *d = xstrndup(dflt, dlen);
    char *out = expand_depth(d, lookup, ud, missing, depth + 1);
    free(d);
    return out;
}

static char *expand_depth(const char *s, expand_lookup_fn lookup, void *ud,
                          enum expand_missing missing, int depth)
{
    if (depth > EXPAND_MAX_DEPTH)
        return missing == EXPAND_KEEP ? xstrdup(s) : NULL;
    struct strbuf sb = {0};
    while (*s) {
        const char *open = strstr(s, "${");
        const char *close = open ? strchr(open + 2, '}') : NULL;
        if (!open || (!close && missing == EXPAND_KEEP)) {
            strbuf_puts(&sb, s);
            break;
        }
        if (!close)
            goto fail;
        strbuf_append(&sb, s, (size_t)(open - s));
        char *value = expand_one(open + 2, (size_t)(close - open - 2), lookup, ud, missing, depth);
        if (value)
            strbuf_puts(&sb, value);
        else if (missing == EXPAND_KEEP)
            strbuf_append(&sb, open, (size_t)(close - open + 1));
        else
            goto fail;
        free(value);
        s = close + 1;
    }
    return strbuf_take(&sb);
fail:
    strbuf_free(&sb);
    return NULL;
}

char *expand_vars(const char *s, expand_lookup_fn lookup, void *ud, enum expand_missing missing)
{
    return expand_depth(s, lookup, ud, missing, 0);
}
