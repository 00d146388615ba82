/*
 * accept.c - read an accept file and mark the findings it accepts, or that a baseline holds
 * (see accept.h and docs/accept.md).
 */
#include "accept.h"

#include <errno.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define ACCEPT_FILE_MAX (4u << 20) /* an accept file is a short list written by people */

static const char *const by_names[ACCEPT_BY_COUNT] = {"id", "artifact", "class", "rule"};

const char *accept_by_name(enum accept_by by)
{
    return (unsigned)by < ACCEPT_BY_COUNT ? by_names[by] : "unknown";
}

/* ------------------------------------------------------------------------ */
/* Reading */

/* A class pattern is a dotted name, optionally ending in '*'; a '*' anywhere else is a typo. */
static bool class_pattern_ok(const char *p)
{
    const char *star = strchr(p, '*');
    return !star || star[1] == '\0';
}

/* Check entry `index` (0-based) and append it; -1 with the message in err. A removal names
 * an entry by its key alone: `need_reason` false lets the reason be absent. */
static int parse_entry(const char *path, size_t index, json_t *item, bool need_reason,
                       struct accept_set *out, char *err)
{
    if (!json_is_object(item)) {
        err_set(err, "%s: entry %zu: is not an object", path, index + 1);
        return -1;
    }
    int by = -1;
    const char *value = NULL, *reason = NULL;
    const char *key;
    json_t *v;
    json_object_foreach(item, key, v)
    {
        int k = -1;
        for (int b = 0; b < ACCEPT_BY_COUNT; b++)
            if (strcmp(key, by_names[b]) == 0)
                k = b;
        if (k < 0 && strcmp(key, "reason") != 0) {
            err_set(err,
                    "%s: entry %zu: unknown key \"%.64s\" (an entry has one of id, artifact, "
                    "class or rule, and a reason)",
                    path, index + 1, key);
            return -1;
        }
        if (!json_is_string(v) || !json_string_value(v)[0]) {
            err_set(err, "%s: entry %zu: \"%.64s\" must be a non-empty string", path, index + 1,
                    key);
            return -1;
        }
        if (k < 0) {
            reason = json_string_value(v);
            continue;
        }
        if (by >= 0) {
            err_set(err, "%s: entry %zu: has both \"%s\" and \"%s\"; give one per entry", path,
                    index + 1, by_names[by], key);
            return -1;
        }
        by = k;
        value = json_string_value(v);
    }
    if (by < 0) {
        err_set(err, "%s: entry %zu: names nothing to accept (give id, artifact, class or rule)",
                path, index + 1);
        return -1;
    }
    if (!reason && need_reason) {
        err_set(err, "%s: entry %zu (%s %.128s): needs a \"reason\"", path, index + 1, by_names[by],
                value);
        return -1;
    }
    if (by == ACCEPT_CLASS && !class_pattern_ok(value)) {
        err_set(err, "%s: entry %zu: class pattern \"%.128s\" may hold '*' only at its end", path,
                index + 1, value);
        return -1;
    }
    out->entries = xgrow(out->entries, &out->cap, out->n + 1, sizeof(*out->entries));
    out->entries[out->n++] =
        (struct accept_entry){(enum accept_by)by, xstrdup(value), reason ? xstrdup(reason) : NULL};
    return 0;
}

int accept_parse(const char *path, const char *text, size_t len, struct accept_set *out, char *err)
{
    accept_set_clear(out);
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        err_set(err, "%s: not valid JSON: line %d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    json_t *list = json_object_get(root, "accept");
    int rc = 0;
    if (!json_is_object(root) || !json_is_array(list)) {
        err_set(err, "%s: expected an object {\"accept\": [...]}", path);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++)
        rc = parse_entry(path, i, json_array_get(list, i), true, out, err);
    json_decref(root);
    if (rc != 0)
        accept_set_clear(out);
    else
        out->path = xstrdup(path);
    return rc;
}

int accept_load(const char *path, struct accept_set *out, char *err)
{
    char *text = NULL;
    size_t len = 0;
    bool truncated = false;
    if (read_file_capped(path, ACCEPT_FILE_MAX, &text, &len, &truncated) != 0) {
        err_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc;
    if (truncated) {
        err_set(err, "%s: larger than %u bytes", path, ACCEPT_FILE_MAX);
        rc = -1;
    } else {
        rc = accept_parse(path, text, len, out, err);
    }
    free(text);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Editing (wrench serve's POST and DELETE /api/v1/accept) */

int accept_parse_request(const char *text, size_t len, bool need_reason, struct accept_set *out,
                         char *err)
{
    accept_set_clear(out);
    json_error_t jerr;
    json_t *item = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    int rc = -1;
    if (!item)
        err_set(err, "the body is not valid JSON: %s", jerr.text);
    else
        rc = parse_entry("the body", 0, item, need_reason, out, err);
    json_decref(item);
    if (rc != 0)
        accept_set_clear(out);
    return rc;
}

/* The file's JSON, or a new {"accept": []} when it does not exist yet; NULL with err. */
static json_t *load_for_edit(const char *path, char *err)
{
    char *text = NULL;
    size_t len = 0;
    bool truncated = false;
    if (read_file_capped(path, ACCEPT_FILE_MAX, &text, &len, &truncated) != 0) {
        if (errno == ENOENT)
            return json_pack("{s:[]}", "accept");
        err_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct accept_set check = {0};
    json_t *root = NULL;
    if (truncated)
        err_set(err, "%s: larger than %u bytes", path, ACCEPT_FILE_MAX);
    else if (accept_parse(path, text, len, &check, err) == 0)
        root = json_loadb(text, len, 0, NULL); /* keeps the keys wrench does not read */
    accept_set_clear(&check);
    free(text);
    return root;
}

/* Write `root` to `path` whole: a temporary file beside it, renamed over it, so that a reader
 * (or a crash) never sees half a file. */
static int save_edited(const char *path, json_t *root, char *err)
{
    char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int rc = -1;
    if (!f) {
        err_set(err, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    bool written = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
                   fputc('\n', f) != EOF && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int saved = errno;
    if (fclose(f) != 0 && written) {
        written = false;
        saved = errno;
    }
    if (written && rename(tmp, path) == 0)
        rc = 0;
    else
        err_set(err, "%s: cannot write it: %s", path, strerror(written ? errno : saved));
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* The index in `list` of the entry with key `by` and `value`; -1 when none has them. */
static long find_entry(json_t *list, enum accept_by by, const char *value)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *v = json_string_value(json_object_get(json_array_get(list, i), by_names[by]));
        if (v && strcmp(v, value) == 0)
            return (long)i;
    }
    return -1;
}

enum accept_edit accept_file_edit(const char *path, const struct accept_entry *e, bool remove,
                                  char *err)
{
    json_t *root = load_for_edit(path, err);
    if (!root)
        return ACCEPT_EDIT_FAILED;
    json_t *list = json_object_get(root, "accept");
    long at = find_entry(list, e->by, e->value);
    enum accept_edit result = ACCEPT_EDIT_OK;
    if (remove && at < 0)
        result = ACCEPT_EDIT_ABSENT;
    else if (!remove && at >= 0)
        result = ACCEPT_EDIT_EXISTS;
    else if (remove)
        json_array_remove(list, (size_t)at);
    else
        json_array_append_new(list, json_pack("{s:s, s:s}", by_names[e->by], e->value, "reason",
                                              e->reason ? e->reason : ""));
    if (result == ACCEPT_EDIT_OK && save_edited(path, root, err) != 0)
        result = ACCEPT_EDIT_FAILED;
    if (result == ACCEPT_EDIT_EXISTS)
        err_set(err, "%s already accepts %s %.200s (entry %ld)", path, by_names[e->by], e->value,
                at + 1);
    if (result == ACCEPT_EDIT_ABSENT)
        err_set(err, "%s has no entry for %s %.200s", path, by_names[e->by], e->value);
    json_decref(root);
    return result;
}

void accept_set_baseline(struct accept_set *set, int64_t scan_id,
                         const struct finding_list *baseline)
{
    strv_free(set->baseline_ids, set->n_baseline);
    set->baseline_ids = NULL;
    set->n_baseline = 0;
    size_t cap = 0;
    for (size_t i = 0; i < baseline->n; i++)
        strv_push(&set->baseline_ids, &set->n_baseline, &cap, xstrdup(baseline->items[i].id));
    if (set->n_baseline)
        qsort(set->baseline_ids, set->n_baseline, sizeof(char *), strv_compare);
    set->baseline_scan = scan_id;
}

void accept_set_clear(struct accept_set *set)
{
    free(set->path);
    for (size_t i = 0; i < set->n; i++) {
        free(set->entries[i].value);
        free(set->entries[i].reason);
    }
    free(set->entries);
    strv_free(set->baseline_ids, set->n_baseline);
    memset(set, 0, sizeof(*set));
}

/* ------------------------------------------------------------------------ */
/* Matching */

static bool class_matches(const char *pattern, const char *name)
{
    if (!name)
        return false;
    size_t n = strlen(pattern);
    if (n && pattern[n - 1] == '*')
        return strncmp(pattern, name, n - 1) == 0;
    return strcmp(pattern, name) == 0;
}

/* Does a "group:name version" description (an entry's evidence) name library `key`? */
static bool describes(const char *detail, const char *key)
{
    size_t n = strlen(key);
    return detail && strncmp(detail, key, n) == 0 && (detail[n] == '\0' || detail[n] == ' ');
}

/* Is `key` one of the " + "-separated library keys of a conflict's rule? */
static bool in_key_list(const char *list, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = list; p && *p;) {
        const char *end = strstr(p, " + ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, key, n) == 0)
            return true;
        p = end ? end + 3 : NULL;
    }
    return false;
}

static bool artifact_matches(const char *key, const struct finding *f)
{
    switch (f->kind) {
    case FINDING_DUPLICATE:
        return strcmp(f->rule, key) == 0;
    case FINDING_CONFLICT:
        return in_key_list(f->rule, key);
    case FINDING_HINT:
        for (size_t i = 0; i < f->n_evidence; i++)
            if (f->evidence[i].kind == EV_ENTRY && describes(f->evidence[i].detail, key))
                return true;
        return false;
    default:
        return false;
    }
}

static bool class_named(const char *pattern, const struct finding *f)
{
    if (f->kind != FINDING_CONFLICT && f->kind != FINDING_LOG)
        return false;
    if (class_matches(pattern, finding_fact(f, "class")))
        return true;
    for (size_t i = 0; i < f->n_evidence; i++)
        if (f->evidence[i].kind == EV_CLASS && class_matches(pattern, f->evidence[i].detail))
            return true;
    return false;
}

static bool entry_matches(const struct accept_entry *e, const struct finding *f)
{
    switch (e->by) {
    case ACCEPT_ID:
        return strcmp(e->value, f->id) == 0;
    case ACCEPT_ARTIFACT:
        return artifact_matches(e->value, f);
    case ACCEPT_CLASS:
        return class_named(e->value, f);
    case ACCEPT_RULE:
        return (f->kind == FINDING_LOG || f->kind == FINDING_HINT ||
                f->kind == FINDING_ENVIRONMENT) &&
               strcmp(e->value, f->rule) == 0;
    }
    return false;
}

const struct accept_entry *accept_match(const struct accept_set *set, const struct finding *f)
{
    for (size_t i = 0; set && i < set->n; i++)
        if (entry_matches(&set->entries[i], f))
            return &set->entries[i];
    return NULL;
}

static bool in_baseline(const struct accept_set *set, const char *id)
{
    return set->n_baseline &&
           bsearch(&id, set->baseline_ids, set->n_baseline, sizeof(char *), strv_compare);
}

void accept_mark(const struct accept_set *set, struct finding_list *list)
{
    if (!set)
        return;
    for (size_t i = 0; i < list->n; i++) {
        struct finding *f = &list->items[i];
        const struct accept_entry *e = accept_match(set, f);
        if (e) {
            f->accepted = true;
            free(f->accepted_reason);
            f->accepted_reason = xstrdup(e->reason);
        }
        f->baseline = in_baseline(set, f->id);
    }
    /* A correlation explains its log finding: it is set aside with it. */
    for (size_t i = 0; i < list->n; i++) {
        struct finding *f = &list->items[i];
        if (f->kind != FINDING_CORRELATION || f->of >= list->n || f->accepted ||
            !list->items[f->of].accepted)
            continue;
        f->accepted = true;
        f->accepted_reason = xstrdup(list->items[f->of].accepted_reason);
    }
}

bool accept_counts(const struct finding *f)
{
    return !f->accepted && !f->baseline;
}
