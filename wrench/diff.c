/*
 * diff.c - compare two scans (see diff.h). Both scans are flattened into
 * lists keyed by stable identities, the lists sorted, and walked side by side.
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "logmodel.h"
#include "util.h"

#define UNKNOWN_VERSION "?"

const char *diff_kind_name(enum diff_kind kind)
{
    switch (kind) {
    case DIFF_CONFLICT:
        return "conflict";
    case DIFF_DUPLICATE:
        return "duplicate";
    case DIFF_HINT:
        return "hint";
    case DIFF_PROBLEM:
        return "problem";
    case DIFF_LOG:
        return "log";
    case DIFF_ENVIRONMENT:
        return "environment";
    }
    return "unknown";
}

char *diff_entry_key(const struct cp_entry *e)
{
    return finding_entry_key(e);
}

/* Names of the views of a scan, "#n"-suffixed where a name repeats (as finding ids name
 * them). */
static char **view_names(const struct scan *scan)
{
    char **names = xcalloc(scan->n_views ? scan->n_views : 1, sizeof(char *));
    for (size_t i = 0; i < scan->n_views; i++)
        names[i] = finding_view_name(scan, i);
    return names;
}

static void free_strings(char **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        free(list[i]);
    free(list);
}

/* ------------------------------------------------------------------------ */
/* Findings */

struct finding_set {
    struct diff_finding *items;
    size_t n;
    size_t cap;
    size_t *order; /* indexes sorted by identity, then position */
    bool *matched;
};

static struct diff_finding *add_finding(struct finding_set *set, enum diff_kind kind,
                                        enum severity sev, const char *view)
{
    set->items = xgrow(set->items, &set->cap, set->n + 1, sizeof(*set->items));
    struct diff_finding *f = &set->items[set->n++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->severity = sev;
    f->view = view ? xstrdup(view) : NULL;
    return f;
}

static enum diff_kind diff_kind_of(enum finding_kind kind)
{
    switch (kind) {
    case FINDING_CONFLICT:
        return DIFF_CONFLICT;
    case FINDING_DUPLICATE:
        return DIFF_DUPLICATE;
    case FINDING_HINT:
        return DIFF_HINT;
    case FINDING_PROBLEM:
        return DIFF_PROBLEM;
    case FINDING_ENVIRONMENT:
        return DIFF_ENVIRONMENT;
    default:
        return DIFF_LOG;
    }
}

/* The scan's one finding list (finding.h), matched by each finding's key: a log finding is the
 * same when the same rule matched events of the same signature, whatever its count, times and
 * sample. Correlations go with their log finding. */
static void collect_findings(const struct scan *scan, struct finding_set *set)
{
    struct finding_list list = {0};
    findings_collect(scan, &list);
    for (size_t i = 0; i < list.n; i++) {
        const struct finding *lf = &list.items[i];
        if (lf->kind == FINDING_CORRELATION)
            continue;
        struct diff_finding *f = add_finding(set, diff_kind_of(lf->kind), lf->severity, lf->view);
        f->identity = xstrdup(lf->key);
        f->id = xstrdup(lf->id);
        if (lf->kind == FINDING_PROBLEM) {
            f->title = xstrdup(lf->detail ? lf->detail : "");
            f->path = xstrdup(lf->rule);
        } else {
            f->title = xstrdup(lf->title);
            if (lf->kind == FINDING_LOG && scan->logs->findings[lf->source].file)
                f->path = xstrdup(scan->logs->findings[lf->source].file);
        }
    }
    finding_list_clear(&list);
}

/* By kind and identity, then position: equal identities are matched in order. */
static int compare_by_identity(const void *a, const void *b, void *ctx)
{
    const struct finding_set *set = ctx;
    const struct diff_finding *fa = &set->items[*(const size_t *)a];
    const struct diff_finding *fb = &set->items[*(const size_t *)b];
    if (fa->kind != fb->kind)
        return fa->kind < fb->kind ? -1 : 1;
    int c = strcmp(fa->identity, fb->identity);
    if (c)
        return c;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void sort_set(struct finding_set *set)
{
    set->order = xcalloc(set->n, sizeof(size_t));
    set->matched = xcalloc(set->n, sizeof(bool));
    for (size_t i = 0; i < set->n; i++)
        set->order[i] = i;
    qsort_r(set->order, set->n, sizeof(size_t), compare_by_identity, set);
}

static int compare_findings(const struct diff_finding *a, const struct diff_finding *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return strcmp(a->identity, b->identity);
}

/* Walk both sorted sets; within a run of equal identities the k-th of one
 * side matches the k-th of the other. */
static void match_sets(struct finding_set *a, struct finding_set *b)
{
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        const struct diff_finding *fa = &a->items[a->order[i]];
        const struct diff_finding *fb = &b->items[b->order[j]];
        int c = compare_findings(fa, fb);
        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            a->matched[a->order[i++]] = true;
            b->matched[b->order[j++]] = true;
        }
    }
}

/* Move the unmatched findings out of `set`, most severe first, report order within. */
static void take_unmatched(struct finding_set *set, struct diff_finding **out, size_t *n)
{
    *out = xcalloc(set->n, sizeof(**out));
    *n = 0;
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        for (size_t i = 0; i < set->n; i++)
            if (!set->matched[i] && (int)set->items[i].severity == sev) {
                (*out)[(*n)++] = set->items[i];
                memset(&set->items[i], 0, sizeof(set->items[i]));
                set->matched[i] = true; /* taken: never again at a lower severity */
            }
}

static void finding_clear(struct diff_finding *f)
{
    free(f->id);
    free(f->view);
    free(f->identity);
    free(f->title);
    free(f->path);
}

static void finding_set_free(struct finding_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        finding_clear(&set->items[i]);
    free(set->items);
    free(set->order);
    free(set->matched);
}

/* ------------------------------------------------------------------------ */
/* Jars */

struct jar_row {
    char *view;
    char *key;
    const char *version; /* borrowed from the scan, or UNKNOWN_VERSION */
    const char *path;    /* borrowed */
};

struct jar_rows {
    struct jar_row *items;
    size_t n;
    size_t cap;
};

static void collect_jars(const struct scan *scan, struct jar_rows *rows)
{
    char **views = view_names(scan);
    for (size_t v = 0; v < scan->n_views; v++) {
        const struct cp_view *view = &scan->views[v];
        for (size_t i = 0; i < view->n_entries; i++) {
            const struct cp_entry *e = &view->entries[i];
            /* The same file again adds nothing to the class path. */
            if (e->status == STATUS_LISTED_TWICE)
                continue;
            rows->items = xgrow(rows->items, &rows->cap, rows->n + 1, sizeof(*rows->items));
            struct jar_row *r = &rows->items[rows->n++];
            r->view = xstrdup(views[v]);
            r->key = diff_entry_key(e);
            r->version = e->artifact.version ? e->artifact.version : UNKNOWN_VERSION;
            r->path = e->path;
        }
    }
    free_strings(views, scan->n_views);
}

static int compare_jar_ids(const struct jar_row *a, const struct jar_row *b)
{
    int c = strcmp(a->view, b->view);
    return c ? c : strcmp(a->key, b->key);
}

static int compare_jar_rows(const void *pa, const void *pb)
{
    const struct jar_row *a = pa, *b = pb;
    int c = compare_jar_ids(a, b);
    return c ? c : strcmp(a->version, b->version);
}

static void jar_rows_free(struct jar_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        free(rows->items[i].view);
        free(rows->items[i].key);
    }
    free(rows->items);
}

/* The run of rows from `start` sharing view and key; returns its end. */
static size_t run_end(const struct jar_rows *rows, size_t start)
{
    size_t end = start + 1;
    while (end < rows->n && compare_jar_ids(&rows->items[start], &rows->items[end]) == 0)
        end++;
    return end;
}

static char **run_versions(const struct jar_rows *rows, size_t start, size_t end)
{
    char **list = xcalloc(end - start, sizeof(char *));
    for (size_t i = start; i < end; i++)
        list[i - start] = xstrdup(rows->items[i].version);
    return list;
}

static bool same_versions(const struct jar_rows *a, size_t ai, size_t ae, const struct jar_rows *b,
                          size_t bi, size_t be)
{
    if (ae - ai != be - bi)
        return false;
    for (size_t k = 0; k < ae - ai; k++)
        if (strcmp(a->items[ai + k].version, b->items[bi + k].version) != 0)
            return false;
    return true;
}

static struct diff_jar *add_jar(struct diff_jar **list, size_t *n, size_t *cap,
                                const struct jar_row *id, const char *path)
{
    *list = xgrow(*list, cap, *n + 1, sizeof(**list));
    struct diff_jar *j = &(*list)[(*n)++];
    memset(j, 0, sizeof(*j));
    j->view = xstrdup(id->view);
    j->key = xstrdup(id->key);
    j->path = xstrdup(path);
    return j;
}

static void diff_jars(const struct scan *older, const struct scan *newer, struct scan_diff *d)
{
    struct jar_rows a = {0}, b = {0};
    collect_jars(older, &a);
    collect_jars(newer, &b);
    /* qsort may not be given NULL, which an empty list is. */
    if (a.n)
        qsort(a.items, a.n, sizeof(*a.items), compare_jar_rows);
    if (b.n)
        qsort(b.items, b.n, sizeof(*b.items), compare_jar_rows);
    size_t cap_added = 0, cap_removed = 0, cap_changed = 0;
    size_t i = 0, j = 0;
    while (i < a.n || j < b.n) {
        size_t ie = i < a.n ? run_end(&a, i) : i;
        size_t je = j < b.n ? run_end(&b, j) : j;
        int c = i >= a.n ? 1 : j >= b.n ? -1 : compare_jar_ids(&a.items[i], &b.items[j]);
        if (c < 0) {
            struct diff_jar *r = add_jar(&d->jars_removed, &d->n_jars_removed, &cap_removed,
                                         &a.items[i], a.items[i].path);
            r->from = run_versions(&a, i, ie);
            r->n_from = ie - i;
            i = ie;
        } else if (c > 0) {
            struct diff_jar *r =
                add_jar(&d->jars_added, &d->n_jars_added, &cap_added, &b.items[j], b.items[j].path);
            r->to = run_versions(&b, j, je);
            r->n_to = je - j;
            j = je;
        } else {
            if (!same_versions(&a, i, ie, &b, j, je)) {
                struct diff_jar *r = add_jar(&d->jars_changed, &d->n_jars_changed, &cap_changed,
                                             &b.items[j], b.items[j].path);
                r->from = run_versions(&a, i, ie);
                r->n_from = ie - i;
                r->to = run_versions(&b, j, je);
                r->n_to = je - j;
            }
            i = ie;
            j = je;
        }
    }
    jar_rows_free(&a);
    jar_rows_free(&b);
}

/* ------------------------------------------------------------------------ */

struct scan_diff *diff_scans(const struct scan *older, const struct scan *newer)
{
    struct scan_diff *d = xcalloc(1, sizeof(*d));
    struct finding_set a = {0}, b = {0};
    collect_findings(older, &a);
    collect_findings(newer, &b);
    sort_set(&a);
    sort_set(&b);
    match_sets(&a, &b);
    take_unmatched(&b, &d->new_findings, &d->n_new);
    take_unmatched(&a, &d->resolved, &d->n_resolved);
    finding_set_free(&a);
    finding_set_free(&b);
    diff_jars(older, newer, d);
    return d;
}

bool diff_is_empty(const struct scan_diff *d)
{
    return !d->n_new && !d->n_resolved && !d->n_jars_added && !d->n_jars_removed &&
           !d->n_jars_changed;
}

static void jars_free(struct diff_jar *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].view);
        free(list[i].key);
        free(list[i].path);
        free_strings(list[i].from, list[i].n_from);
        free_strings(list[i].to, list[i].n_to);
    }
    free(list);
}

void diff_free(struct scan_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_new; i++)
        finding_clear(&d->new_findings[i]);
    free(d->new_findings);
    for (size_t i = 0; i < d->n_resolved; i++)
        finding_clear(&d->resolved[i]);
    free(d->resolved);
    jars_free(d->jars_added, d->n_jars_added);
    jars_free(d->jars_removed, d->n_jars_removed);
    jars_free(d->jars_changed, d->n_jars_changed);
    free(d);
}
