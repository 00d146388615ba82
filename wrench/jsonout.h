/*
 * jsonout.h - a faster json_dumps for wrench's reports: the same bytes jansson 2.14 writes
 * for JSON_INDENT(n) | JSON_PRESERVE_ORDER, written straight into one growing buffer.
 * jansson's own dump calls a callback per token and checks every array and object for
 * cycles (a formatted pointer in a hash table each), which made dumping a 3 MB report cost
 * more than reading the 600 jars it describes. And jsonw, which writes those bytes
 * without any tree: the report is one walk (report_json.c) that either streams its text
 * (`scan --json`, ~150,000 values never allocated) or builds the jansson tree.
 */
#ifndef WRENCH_JSONOUT_H
#define WRENCH_JSONOUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* json_dumps(json, JSON_INDENT(indent) | JSON_PRESERVE_ORDER) followed by `suffix` (may be
 * ""), as one new string; NULL where json_dumps gives NULL (json neither an array nor an
 * object, or a string that is not UTF-8: those fall back to jansson, which decides).
 * `indent` is 1 to 31 (0, no new lines, is left to jansson). The tree must hold no cycle (jansson's
 * builders cannot make one). */
char *jsonout_dumps(const json_t *json, int indent, const char *suffix);

/* s[0, len) with each byte that is not part of a UTF-8 sequence replaced by U+FFFD; new
 * string, its length in *out_len. */
char *jsonout_repair_utf8(const char *s, size_t len, size_t *out_len);

/* A JSON writer with two back-ends, so that one walk of a document (the report) can be
 * written straight out as text or built as a jansson tree, and the two cannot disagree:
 * jsonw_begin_text gives jsonout_dumps' bytes of the tree jsonw_begin_tree would build,
 * without making the tree. Each value call takes the key it has in the enclosing object,
 * NULL in an array (and for the outermost container). The keys of one object must be
 * distinct (a jansson object keeps one member per key; report_json.c's facts_out folds
 * repeated fact names as jansson would). A member whose key is NULL or not UTF-8 is left
 * out by both back-ends, as jansson leaves it out. Fields are private to jsonout.c. */
#define JSONW_MAX_DEPTH 32
struct jsonw {
    bool tree;                     /* which back-end */
    bool failed;                   /* a value the text back-end could not write as jansson would */
    int depth;                     /* containers open */
    json_t *root;                  /* tree: the outermost container */
    json_t *open[JSONW_MAX_DEPTH]; /* tree: the containers being filled */
    bool has_items[JSONW_MAX_DEPTH]; /* text: whether the container at a depth has items */
    char closer[JSONW_MAX_DEPTH];    /* text: ']' or '}' */
    void *out;                       /* text: the buffer */
};

void jsonw_begin_text(struct jsonw *w, int indent); /* indent 1 to 31 */
/* The same text written to `out` as it is made (a 64 KiB buffer, never the whole text):
 * jsonw_end_stream adds `suffix` and returns 0, or -1 when a write failed or the text could
 * not be written as jansson would (see jsonw_end_text; what was written by then stays). */
void jsonw_begin_stream(struct jsonw *w, int indent, FILE *out);
int jsonw_end_stream(struct jsonw *w, const char *suffix);
void jsonw_begin_tree(struct jsonw *w);
/* The text and `suffix`, as one new string; NULL when it could not be written as jansson
 * would (a container of more than JSONW_MAX_DEPTH levels, a key that is not UTF-8, a
 * jansson value that is not UTF-8: build the tree instead). Ends the writer. */
char *jsonw_end_text(struct jsonw *w, const char *suffix);
/* The tree (one reference, the caller's; NULL if nothing was written). Ends the writer. */
json_t *jsonw_end_tree(struct jsonw *w);

void jsonw_object(struct jsonw *w, const char *key); /* opens an object, closed by jsonw_end */
void jsonw_array(struct jsonw *w, const char *key);  /* opens an array, closed by jsonw_end */
void jsonw_end(struct jsonw *w);
/* A string; null for NULL; bytes that are not UTF-8 are each written as U+FFFD (names and
 * paths from jars and logs are not guaranteed to be UTF-8; see report_json_text). */
void jsonw_text(struct jsonw *w, const char *key, const char *s);
void jsonw_int(struct jsonw *w, const char *key, json_int_t v);
void jsonw_bool(struct jsonw *w, const char *key, bool v);
void jsonw_null(struct jsonw *w, const char *key);
/* A jansson value, whose reference this takes (for parts still built as trees). */
void jsonw_json(struct jsonw *w, const char *key, json_t *value);

#endif
