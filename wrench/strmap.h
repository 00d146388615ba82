/*
 * strmap.h - a map from strings to size_t values (open addressing, FNV-1a),
 * for the few places where input decides how many names are looked up: paths
 * of a classpath view, listed-twice detection, Boot jar index lines. It keeps
 * each of those steps linear in the number of names instead of quadratic.
 */
#ifndef WRENCH_STRMAP_H
#define WRENCH_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap;

struct strmap *strmap_new(void);
void strmap_free(struct strmap *map);

/* The value of `key` into *value; false when absent. */
bool strmap_get(const struct strmap *map, const char *key, size_t *value);

/* Set `key` (copied) to `value`, replacing any value it had. */
void strmap_set(struct strmap *map, const char *key, size_t value);

/* Set `key` to `value` unless it is already there; true when it was added. */
bool strmap_add(struct strmap *map, const char *key, size_t value);

size_t strmap_count(const struct strmap *map);

#endif
