/*
 * expand.h - ${...} variables, expanded by one set of rules for Tomcat's appBase and
 * common.loader (tomcatlayout.c) and logging configurations (logconf.c): ${NAME}, ${NAME:-default},
 * and Log4j2-style lookups ${prefix:NAME} (sys:, env:...; the prefix is dropped). A
 * value holding variables is expanded in turn, to a bounded depth, so a loop ends.
 */
#ifndef WRENCH_EXPAND_H
#define WRENCH_EXPAND_H

#define EXPAND_MAX_DEPTH 8

/* The value of variable `name`, borrowed; NULL when it has none. */
typedef const char *(*expand_lookup_fn)(const char *name, void *ud);

enum expand_missing {
    EXPAND_KEEP, /* a variable without a value (and no default) stays as written */
    EXPAND_FAIL, /* ... makes the whole expansion fail */
};

/* `s` with its variables replaced; a new string, or NULL under EXPAND_FAIL when a variable
 * has no value, a ${ is not closed or the depth is exceeded. */
char *expand_vars(const char *s, expand_lookup_fn lookup, void *ud, enum expand_missing missing);

#endif
