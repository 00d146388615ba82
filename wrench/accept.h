/*
 * accept.h - accepted findings and a baseline (docs/accept.md). A team lists what it has
 * looked at and lives with in an accept file (JSON): findings by stable id, by library
 * ("group:artifact"), by class pattern ("com.acme.legacy.*") or by rule id, each with a reason.
 * A baseline is the set of finding ids of a stored scan. Findings matched by either are still
 * reported, marked, but never count: not for --fail-on, not in the summary counts, not in the
 * incidents or the verdict.
 *
 * A scan borrows the set (scan->accept) and findings_collect() marks its findings with
 * accept_mark(), so every consumer of the finding list sees the same marks.
 *
 * Ownership: an accept_set owns its entries and baseline ids; free with accept_set_clear().
 */
#ifndef WRENCH_ACCEPT_H
#define WRENCH_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"

#define ACCEPT_DEFAULT_FILE ".wrench-accept.json" /* read from the current directory */

/* What an entry matches a finding by. */
enum accept_by {
    ACCEPT_ID,       /* the finding's stable id, equal */
    ACCEPT_ARTIFACT, /* a library key, "group:artifact" (or "artifact" without a group) */
    ACCEPT_CLASS,    /* a class name, or a prefix ending in '*' */
    ACCEPT_RULE,     /* a log rule, hint or environment rule id, equal */
};
#define ACCEPT_BY_COUNT 4

/* "id", "artifact", "class", "rule": the entry's key in the file. */
const char *accept_by_name(enum accept_by by);

struct accept_entry {
    enum accept_by by;
    char *value;
    char *reason;
};

struct accept_set {
    char *path; /* the accept file; NULL when none was read */
    struct accept_entry *entries;
    size_t n, cap;
    int64_t baseline_scan; /* the stored scan the baseline ids come from; 0 when none */
    char **baseline_ids;
    size_t n_baseline;
};

/*
 * Read accept file `path` into `out` (zeroed or cleared). Returns 0, or -1 with a message in
 * `err` (WR_ERR_MAX bytes) naming the file, the entry (1-based) and what is wrong; `out` is
 * then left empty.
 */
int accept_load(const char *path, struct accept_set *out, char *err);

/* Parse accept-file text (for tests and accept_load); `path` names it in messages. */
int accept_parse(const char *path, const char *text, size_t len, struct accept_set *out, char *err);

/*
 * Editing the file, for wrench serve's POST and DELETE /api/v1/accept. A request body is one
 * entry as the file holds it ({"id": "...", "reason": "..."}); accept_parse_request reads it
 * into `out` (one entry; a removal, `need_reason` false, may leave the reason out).
 */
int accept_parse_request(const char *text, size_t len, bool need_reason, struct accept_set *out,
                         char *err);

enum accept_edit {
    ACCEPT_EDIT_OK,
    ACCEPT_EDIT_EXISTS, /* adding: an entry with the same key and value is there */
    ACCEPT_EDIT_ABSENT, /* removing: no entry has that key and value */
    ACCEPT_EDIT_FAILED, /* the file cannot be read, parsed or written */
};

/* Add entry `e` to accept file `path` (created when missing) or, with `remove`, delete the
 * entry with e's key and value. The file must parse as accept_load would; it is rewritten whole
 * (keys wrench does not read are kept) through a temporary file renamed over it. Anything but
 * ACCEPT_EDIT_OK leaves the file as it was and sets `err`. */
enum accept_edit accept_file_edit(const char *path, const struct accept_entry *e, bool remove,
                                  char *err);

/* Record the ids of `baseline` (the findings of stored scan `scan_id`) as the baseline. */
void accept_set_baseline(struct accept_set *set, int64_t scan_id,
                         const struct finding_list *baseline);

/* The first entry accepting finding `f`; NULL when none does. */
const struct accept_entry *accept_match(const struct accept_set *set, const struct finding *f);

/* Mark the findings of `list`: accepted (with the reason) when an entry matches, baseline when
 * their id is in the baseline. A correlation shares its log finding's marks. */
void accept_mark(const struct accept_set *set, struct finding_list *list);

/* Does this finding count: not accepted and not in the baseline? */
bool accept_counts(const struct finding *f);

void accept_set_clear(struct accept_set *set);

#endif
