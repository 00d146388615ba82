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

#endif
