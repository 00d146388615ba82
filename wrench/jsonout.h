/*
 * jsonout.h - a faster json_dumps for wrench's reports: the same bytes jansson 2.14 writes
 * for JSON_INDENT(n) | JSON_PRESERVE_ORDER, written straight into one growing buffer.
 * jansson's own dump calls a callback per token and checks every array and object for
 * cycles (a formatted pointer in a hash table each), which made dumping a 3 MB report cost
 * more than reading the 600 jars it describes.
 */
#ifndef WRENCH_JSONOUT_H
#define WRENCH_JSONOUT_H

#include <jansson.h>
#include <stddef.h>

/* json_dumps(json, JSON_INDENT(indent) | JSON_PRESERVE_ORDER) followed by `suffix` (may be
 * ""), as one new string; NULL where json_dumps gives NULL (json neither an array nor an
 * object, or a string that is not UTF-8: those fall back to jansson, which decides).
 * `indent` is 1 to 31 (0, no new lines, is left to jansson). The tree must hold no cycle (jansson's
 * builders cannot make one). */
char *jsonout_dumps(const json_t *json, int indent, const char *suffix);

/* An array of the tree whose items are made only as they are written: item i is made by
 * make(i, ud), written and freed at once, so that a large array never stands in memory
 * whole, and each item is written while it is still in the cache. */
struct jsonout_lazy {
    json_t *placeholder; /* an empty array in the tree, where the items go */
    size_t count;
    json_t *(*make)(size_t i, const void *ud);
    const void *ud;
};

/* jsonout_dumps of the tree with each placeholder holding its `count` items, in order: the
 * same bytes. When jansson has to decide (see above), the items are put into the tree first,
 * which then keeps them. */
char *jsonout_dumps_lazy(json_t *json, int indent, const char *suffix,
                         const struct jsonout_lazy *lazy, size_t n_lazy);

#endif
