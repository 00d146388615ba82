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

const char *diff_jar_change_name(enum diff_jar_change change)
{
    switch (change) {
    case JAR_NEW_VERSION:
        return "version";
    case JAR_MOVED:
        return "moved";
    case JAR_REPLACED:
        return "replaced";
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
            f->title_zh = lf->detail && lf->detail_zh ? xstrdup(lf->detail_zh) : NULL;
            f->path = xstrdup(lf->rule);
        } else {
            f->title = xstrdup(lf->title);
            f->title_zh = lf->title_zh ? xstrdup(lf->title_zh) : NULL;
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
    free(f->title_zh);
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
    char *key;           /* diff_entry_key() */
    const char *where;   /* the path it is matched by (borrowed): see struct diff_jar */
    const char *path;    /* the display path (borrowed) */
    const char *version; /* borrowed; NULL when unknown */
    bool paired;
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
            /* The same file again adds nothing to the class path; a file that is not there
             * (still listed, but deleted) is a jar that went. */
            if (e->status == STATUS_LISTED_TWICE || e->status == STATUS_MISSING)
                continue;
            rows->items = xgrow(rows->items, &rows->cap, rows->n + 1, sizeof(*rows->items));
            struct jar_row *r = &rows->items[rows->n++];
            r->view = xstrdup(views[v]);
            r->key = diff_entry_key(e);
            bool nested = e->kind == ENTRY_NESTED_JAR || e->kind == ENTRY_ARCHIVE_DIR;
            r->where = nested && e->inner ? e->inner : e->path;
            r->path = e->path;
            r->version = e->artifact.version;
            r->paired = false;
        }
    }
    strv_free(views, scan->n_views);
}

static int compare_maybe(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

/* By view and path: how rows of one place in both scans are found. */
static int compare_by_place(const void *pa, const void *pb)
{
    const struct jar_row *a = pa, *b = pb;
    int c = strcmp(a->view, b->view);
    return c ? c : strcmp(a->where, b->where);
}

/* By view, library, version and path: how the rows left over are paired. */
static int compare_by_library(const void *pa, const void *pb)
{
    const struct jar_row *a = *(const struct jar_row *const *)pa;
    const struct jar_row *b = *(const struct jar_row *const *)pb;
    int c = strcmp(a->view, b->view);
    if (!c)
        c = strcmp(a->key, b->key);
    if (!c)
        c = compare_maybe(a->version, b->version);
    return c ? c : strcmp(a->where, b->where);
}

static void jar_rows_free(struct jar_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        free(rows->items[i].view);
        free(rows->items[i].key);
    }
    free(rows->items);
}

static char *dup_maybe(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* A list of diff_jar with its capacity. */
struct jar_list {
    struct diff_jar **items;
    size_t *n;
    size_t cap;
};

static void add_jar(struct jar_list *list, const struct jar_row *from, const struct jar_row *to,
                    enum diff_jar_change change)
{
    *list->items = xgrow(*list->items, &list->cap, *list->n + 1, sizeof(**list->items));
    struct diff_jar *j = &(*list->items)[(*list->n)++];
    const struct jar_row *id = to ? to : from;
    j->view = xstrdup(id->view);
    j->key = xstrdup(id->key);
    j->change = change;
    j->from_path = from ? xstrdup(from->path) : NULL;
    j->from_version = from ? dup_maybe(from->version) : NULL;
    j->to_path = to ? xstrdup(to->path) : NULL;
    j->to_version = to ? dup_maybe(to->version) : NULL;
}

/* Rows at the same place in both scans: unchanged, a new version, or another library. */
static void match_places(struct jar_rows *a, struct jar_rows *b, struct jar_list *changed)
{
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        struct jar_row *x = &a->items[i], *y = &b->items[j];
        int c = compare_by_place(x, y);
        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            x->paired = y->paired = true;
            if (strcmp(x->key, y->key) != 0)
                add_jar(changed, x, y, JAR_REPLACED);
            else if (compare_maybe(x->version, y->version) != 0)
                add_jar(changed, x, y, JAR_NEW_VERSION);
            i++, j++;
        }
    }
}

/* The unpaired rows of a list, sorted by library. */
static struct jar_row **unpaired(struct jar_rows *rows, size_t *n)
{
    struct jar_row **list = xcalloc(rows->n + 1, sizeof(*list));
    *n = 0;
    for (size_t i = 0; i < rows->n; i++)
        if (!rows->items[i].paired)
            list[(*n)++] = &rows->items[i];
    if (*n)
        qsort(list, *n, sizeof(*list), compare_by_library);
    return list;
}

static bool same_library(const struct jar_row *a, const struct jar_row *b)
{
    return strcmp(a->view, b->view) == 0 && strcmp(a->key, b->key) == 0;
}

/* Moves: rows left over of one library and version under another path, paired in order. */
static void match_moves(struct jar_row **ra, size_t na, struct jar_row **rb, size_t nb,
                        struct jar_list *changed)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        int c = compare_by_library(&ra[i], &rb[j]);
        bool same_version =
            same_library(ra[i], rb[j]) && compare_maybe(ra[i]->version, rb[j]->version) == 0;
        if (same_version) {
            ra[i]->paired = rb[j]->paired = true;
            add_jar(changed, ra[i++], rb[j++], JAR_MOVED);
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
}

/* New versions under new names: what is left of each library, paired from the highest
 * version down, so that 18.0 and 31.1 replaced by 32.0 reads "31.1 -> 32.0, 18.0 removed". */
static void match_new_versions(struct jar_row **ra, size_t na, struct jar_row **rb, size_t nb,
                               struct jar_list *changed)
{
    size_t i = na, j = nb;
    while (i > 0 && j > 0) {
        struct jar_row *x = ra[i - 1], *y = rb[j - 1];
        if (x->paired) {
            i--;
        } else if (y->paired) {
            j--;
        } else if (same_library(x, y)) {
            x->paired = y->paired = true;
            add_jar(changed, x, y, JAR_NEW_VERSION);
            i--, j--;
        } else if (compare_by_library(&ra[i - 1], &rb[j - 1]) > 0) {
            i--;
        } else {
            j--;
        }
    }
}

/* Rows left over after the places matched, paired within each library. */
static void match_libraries(struct jar_rows *a, struct jar_rows *b, struct jar_list *changed)
{
    size_t na, nb;
    struct jar_row **ra = unpaired(a, &na), **rb = unpaired(b, &nb);
    match_moves(ra, na, rb, nb, changed);
    match_new_versions(ra, na, rb, nb, changed);
    free(ra);
    free(rb);
}

static void add_unpaired(struct jar_rows *rows, struct jar_list *list, bool older)
{
    for (size_t i = 0; i < rows->n; i++)
        if (!rows->items[i].paired)
            add_jar(list, older ? &rows->items[i] : NULL, older ? NULL : &rows->items[i],
                    JAR_NEW_VERSION);
}

static int compare_diff_jars(const void *pa, const void *pb)
{
    const struct diff_jar *a = pa, *b = pb;
    int c = strcmp(a->view, b->view);
    if (!c)
        c = strcmp(a->key, b->key);
    return c ? c
             : strcmp(a->to_path ? a->to_path : a->from_path,
                      b->to_path ? b->to_path : b->from_path);
}

static void sort_jars(struct diff_jar *list, size_t n)
{
    if (n)
        qsort(list, n, sizeof(*list), compare_diff_jars);
}

static void diff_jars(const struct scan *older, const struct scan *newer, struct scan_diff *d)
{
    struct jar_rows a = {0}, b = {0};
    collect_jars(older, &a);
    collect_jars(newer, &b);
    /* qsort may not be given NULL, which an empty list is. */
    if (a.n)
        qsort(a.items, a.n, sizeof(*a.items), compare_by_place);
    if (b.n)
        qsort(b.items, b.n, sizeof(*b.items), compare_by_place);
    struct jar_list added = {&d->jars_added, &d->n_jars_added, 0};
    struct jar_list removed = {&d->jars_removed, &d->n_jars_removed, 0};
    struct jar_list changed = {&d->jars_changed, &d->n_jars_changed, 0};
    match_places(&a, &b, &changed);
    match_libraries(&a, &b, &changed);
    add_unpaired(&a, &removed, true);
    add_unpaired(&b, &added, false);
    sort_jars(d->jars_added, d->n_jars_added);
    sort_jars(d->jars_removed, d->n_jars_removed);
    sort_jars(d->jars_changed, d->n_jars_changed);
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
        free(list[i].from_path);
        free(list[i].from_version);
        free(list[i].to_path);
        free(list[i].to_version);
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
