/*
 * analysis.c - duplicate artifacts and class conflicts (see analysis.h).
 *
 * Conflicts are grouped by the set of entries that hold a class, because what
 * a person acts on is "these two jars overlap", not 1,700 single classes.
 */
#include "analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classindex.h"
#include "messages.h"
#include "strmap.h"
#include "util.h"

#define SAMPLE_CLASSES 5
#define TITLE_MAX_NAMES 10 /* entries named in a title; the rest are counted */

const char *analysis_thousands(size_t n, char *buf, size_t size)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%zu", n);
    size_t out = 0;
    for (int i = 0; i < len && out + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[out++] = ',';
        buf[out++] = digits[i];
    }
    buf[out] = '\0';
    return buf;
}

char *analysis_dotted(const char *internal_name)
{
    char *s = xstrdup(internal_name);
    for (char *p = s; *p; p++)
        if (*p == '/')
            *p = '.';
    return s;
}

/* ---- duplicate artifacts ---- */

struct artifact_use {
    const struct artifact *artifact;
    size_t entry;
    bool shaded;
};

/* Only a pom's groupId tells artifacts apart: Implementation-Vendor-Id is too loose
 * ("org.apache" for every old commons jar) to split one library into two. */
static const char *pom_group(const struct artifact *a)
{
    return a->evidence == EVIDENCE_POM ? a->group : NULL;
}

static int compare_uses(const void *pa, const void *pb)
{
    const struct artifact_use *a = pa, *b = pb;
    int c = strcasecmp(a->artifact->name, b->artifact->name);
    if (c)
        return c;
    const char *ga = pom_group(a->artifact), *gb = pom_group(b->artifact);
    c = strcmp(ga ? ga : "", gb ? gb : "");
    if (c)
        return c;
    return a->entry < b->entry ? -1 : a->entry > b->entry;
}

static bool same_group(const struct artifact *a, const struct artifact *b)
{
    return pom_group(a) && pom_group(b) && strcmp(pom_group(a), pom_group(b)) == 0;
}

/* The title (in English and Chinese, messages.h) lists each distinct version once, in order
 * of first appearance, the first TITLE_MAX_NAMES of them; a hash set keeps 20,000 copies of
 * one library linear. */
static void versions_title(struct dup_artifact *d, const char *name)
{
    size_t distinct = 0;
    struct bibuf list = {0};
    struct strmap *seen = strmap_new();
    for (size_t i = 0; i < d->n; i++) {
        const char *v = d->versions[i] ? d->versions[i] : "unknown version";
        if (!strmap_add(seen, v, i))
            continue;
        if (distinct < TITLE_MAX_NAMES) {
            if (distinct)
                bibuf_msg(&list, MSG_LIST_SEP, MSG_END);
            if (d->versions[i])
                bibuf_puts(&list, v, NULL);
            else
                bibuf_msg(&list, MSG_UNKNOWN_VERSION, MSG_END);
        }
        distinct++;
    }
    strmap_free(seen);
    if (distinct > TITLE_MAX_NAMES)
        bibuf_msg(&list, MSG_MORE_VERSIONS, MSG_C("n", distinct - TITLE_MAX_NAMES));
    char *en, *zh;
    bibuf_take(&list, &en, &zh);
    struct bibuf sb = {0};
    if (d->versions_differ)
        bibuf_msg(&sb, MSG_DUPLICATE_VERSIONS, MSG_S("name", name), MSG_N("n", distinct),
                  MSG_B("list", en, zh));
    else
        bibuf_msg(&sb, MSG_DUPLICATE_TIMES, MSG_S("name", name), MSG_N("n", d->n),
                  MSG_B("list", en, zh));
    free(en);
    free(zh);
    bibuf_take(&sb, &d->title, &d->title_zh);
}

static void add_duplicate(struct scan *scan, size_t view, const struct artifact_use *uses, size_t n)
{
    size_t distinct_entries = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || uses[i].entry != uses[i - 1].entry)
            distinct_entries++;
    if (distinct_entries < 2)
        return;
    scan->dups = xgrow(scan->dups, &scan->dups_cap, scan->n_dups + 1, sizeof(*scan->dups));
    struct dup_artifact *d = &scan->dups[scan->n_dups++];
    memset(d, 0, sizeof(*d));
    d->view = view;
    const struct artifact *first = uses[0].artifact;
    for (size_t i = 0; i < n && !pom_group(first); i++)
        if (pom_group(uses[i].artifact))
            first = uses[i].artifact;
    d->key =
        pom_group(first) ? xasprintf("%s:%s", pom_group(first), first->name) : xstrdup(first->name);
    d->entries = xcalloc(n, sizeof(size_t));
    d->versions = xcalloc(n, sizeof(char *));
    d->shaded = xcalloc(n, sizeof(bool));
    d->n = d->cap = n;
    const char *known = NULL; /* the first known version: any other one differs */
    for (size_t i = 0; i < n; i++) {
        d->entries[i] = uses[i].entry;
        d->shaded[i] = uses[i].shaded;
        const char *v = uses[i].artifact->version;
        d->versions[i] = v ? xstrdup(v) : NULL;
        if (v && !known)
            known = v;
        else if (v && strcmp(v, known) != 0)
            d->versions_differ = true;
    }
    d->severity = d->versions_differ ? SEV_ERROR : SEV_WARNING;
    versions_title(d, first->name);
}

/* Uses of one artifact name: one bucket, unless two known groups differ, in which case each
 * group is its own artifact and uses without a group stand apart. */
static void split_by_group(struct scan *scan, size_t view, const struct artifact_use *uses,
                           size_t n)
{
    bool several_groups = false;
    for (size_t i = 1; i < n; i++)
        if (pom_group(uses[i].artifact) && pom_group(uses[0].artifact) &&
            !same_group(uses[i].artifact, uses[0].artifact))
            several_groups = true;
    if (!several_groups) {
        add_duplicate(scan, view, uses, n);
        return;
    }
    /* uses are sorted by group within the name, ungrouped ones first */
    size_t start = 0;
    for (size_t i = 1; i <= n; i++) {
        const struct artifact *a = uses[start].artifact, *b = i < n ? uses[i].artifact : NULL;
        bool same = b && ((!pom_group(a) && !pom_group(b)) || same_group(a, b));
        if (!same) {
            add_duplicate(scan, view, uses + start, i - start);
            start = i;
        }
    }
}

static void find_view_duplicates(struct scan *scan, size_t v)
{
    const struct cp_view *view = &scan->views[v];
    struct artifact_use *uses = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < view->n_entries; i++) {
        const struct cp_entry *e = &view->entries[i];
        if (e->status != STATUS_OK)
            continue;
        if (e->artifact.name) {
            uses = xgrow(uses, &cap, n + 1, sizeof(*uses));
            uses[n++] = (struct artifact_use){&e->artifact, i, false};
        }
        for (size_t k = 0; k < e->n_embedded; k++) {
            if (!e->embedded[k].name)
                continue;
            uses = xgrow(uses, &cap, n + 1, sizeof(*uses));
            uses[n++] = (struct artifact_use){&e->embedded[k], i, true};
        }
    }
    if (n)
        qsort(uses, n, sizeof(*uses), compare_uses);
    size_t start = 0;
    for (size_t i = 1; i <= n; i++) {
        if (i == n || strcasecmp(uses[i].artifact->name, uses[start].artifact->name) != 0) {
            if (i - start > 1)
                split_by_group(scan, v, uses + start, i - start);
            start = i;
        }
    }
    free(uses);
}

void analysis_find_duplicates(struct scan *scan)
{
    for (size_t v = 0; v < scan->n_views; v++)
        find_view_duplicates(scan, v);
}

/* ---- class conflicts ---- */

enum copy_verdict { COPIES_IDENTICAL, COPIES_DIFFER, COPIES_UNKNOWN };

struct overlap {
    uint64_t set_hash;              /* of the entries holding the class, in loader order */
    uint32_t set_id;                /* the same for every class of one entry set */
    const struct class_record *rec; /* borrowed from the index */
    const char *name;               /* rec->name, at hand for the sort */
    enum copy_verdict verdict;
    int twin; /* the entry whose copy equals the loader-first entry's; -1 when none */
};

struct overlap_list {
    struct overlap *items;
    size_t n, cap;
};

static enum copy_verdict compare_copies(const struct class_record *rec)
{
    const struct class_copy *first = class_record_copy(rec, 0);
    bool unknown = !first->crc_known;
    for (uint32_t i = 1; i < rec->n_copies; i++) {
        const struct class_copy *c = class_record_copy(rec, i);
        if (!c->crc_known) {
            unknown = true;
            continue;
        }
        if (first->crc_known && (c->crc != first->crc || c->size != first->size))
            return COPIES_DIFFER;
    }
    return unknown ? COPIES_UNKNOWN : COPIES_IDENTICAL;
}

int analysis_copy_twin(const struct class_record *rec, size_t winner)
{
    const struct class_copy *w = NULL;
    for (uint32_t i = 0; i < rec->n_copies && !w; i++)
        if (class_record_copy(rec, i)->entry == winner)
            w = class_record_copy(rec, i);
    if (!w || !w->crc_known)
        return -1;
    int twin = -1;
    for (uint32_t i = 0; i < rec->n_copies; i++) {
        const struct class_copy *c = class_record_copy(rec, i);
        if (c->entry != winner && c->crc_known && c->crc == w->crc && c->size == w->size &&
            (twin < 0 || c->entry < (uint32_t)twin))
            twin = (int)c->entry;
    }
    return twin;
}

/* The reader adds a class's copies in loader order, so its copies are its entry set,
 * sorted: nothing to copy or sort. A hash of the set sorts and groups; sets with equal
 * hashes are compared entry by entry. */
static uint64_t set_hash(const struct class_record *rec)
{
    uint64_t h = 1469598103934665603ull;
    for (uint32_t i = 0; i < rec->n_copies; i++) {
        h ^= class_record_copy(rec, i)->entry;
        h *= 1099511628211ull;
    }
    return h;
}

static void collect_overlap(const struct class_record *rec, void *ud)
{
    if (rec->n_copies < 2)
        return;
    struct overlap_list *list = ud;
    list->items = xgrow(list->items, &list->cap, list->n + 1, sizeof(struct overlap));
    enum copy_verdict verdict = compare_copies(rec);
    /* Copies are in loader order: the first is the one the loader picks. */
    uint32_t first = class_record_copy(rec, 0)->entry;
    int twin = verdict == COPIES_DIFFER ? analysis_copy_twin(rec, first) : -1;
    list->items[list->n++] = (struct overlap){set_hash(rec), 0, rec, rec->name, verdict, twin};
}

static int compare_sets(const struct class_record *a, const struct class_record *b)
{
    uint32_t n = a->n_copies < b->n_copies ? a->n_copies : b->n_copies;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = class_record_copy(a, i)->entry, y = class_record_copy(b, i)->entry;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a->n_copies < b->n_copies ? -1 : a->n_copies > b->n_copies;
}

/* Number the distinct entry sets (a table keyed by their hash; sets whose hashes collide are
 * told apart entry by entry), so that sorting compares two integers, not two sets of copies
 * in records all over memory. */
static uint32_t number_sets(struct overlap *items, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n)
        cap *= 2;
    struct set_slot {
        const struct overlap *first; /* NULL: empty */
    } *slots = xcalloc(cap, sizeof(*slots));
    uint32_t next = 0;
    for (size_t i = 0; i < n; i++) {
        struct overlap *o = &items[i];
        size_t at = (size_t)(o->set_hash ^ (o->set_hash >> 29)) & (cap - 1);
        for (;; at = (at + 1) & (cap - 1)) {
            const struct overlap *f = slots[at].first;
            if (!f) {
                slots[at].first = o;
                o->set_id = next++;
                break;
            }
            if (f->set_hash == o->set_hash && compare_sets(f->rec, o->rec) == 0) {
                o->set_id = f->set_id;
                break;
            }
        }
    }
    free(slots);
    return next;
}

/* One entry set's classes: where they go in the sorted list. */
struct set_run {
    uint64_t hash;
    uint32_t id;
    size_t start, n;
};

static int compare_runs(const void *pa, const void *pb)
{
    const struct set_run *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int compare_overlap_names(const void *pa, const void *pb)
{
    return strcmp(((const struct overlap *)pa)->name, ((const struct overlap *)pb)->name);
}

/* Sort the classes by set hash, then set, then name: conflicts are processed in that order,
 * and the budget of listed class names (CONFLICT_MAX_LISTED_CLASSES) goes to the first
 * ones. The sets, a few hundred at most where classes are tens of thousands, are sorted
 * alone and their classes dealt out to them; each set's classes are then sorted by name,
 * which takes half the name comparisons of one sort of them all. Returns the sorted list
 * (a new array; `items` is freed). */
static struct overlap *sort_overlaps(struct overlap *items, size_t n, uint32_t n_sets)
{
    struct set_run *runs = xcalloc(n_sets ? n_sets : 1, sizeof(*runs));
    for (size_t i = 0; i < n; i++) {
        struct set_run *r = &runs[items[i].set_id];
        r->hash = items[i].set_hash;
        r->id = items[i].set_id;
        r->n++;
    }
    qsort(runs, n_sets, sizeof(*runs), compare_runs);
    size_t *next = xcalloc(n_sets ? n_sets : 1, sizeof(size_t)); /* by set id */
    for (size_t k = 0, at = 0; k < n_sets; at += runs[k].n, k++)
        next[runs[k].id] = runs[k].start = at;
    struct overlap *sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
    for (size_t i = 0; i < n; i++)
        sorted[next[items[i].set_id]++] = items[i];
    for (size_t k = 0; k < n_sets; k++)
        qsort(sorted + runs[k].start, runs[k].n, sizeof(*sorted), compare_overlap_names);
    free(next);
    free(runs);
    free(items);
    return sorted;
}

/* The entries of a set, as indexes into the view. */
static size_t set_entries(const struct class_record *rec, size_t **out)
{
    size_t *ids = xcalloc(rec->n_copies, sizeof(size_t));
    for (uint32_t i = 0; i < rec->n_copies; i++)
        ids[i] = class_record_copy(rec, i)->entry;
    *out = ids;
    return rec->n_copies;
}

/* Conflicts are listed by their first entries, as they were when the sets were text. */
static int compare_conflicts(const void *pa, const void *pb)
{
    const struct class_conflict *a = pa, *b = pb;
    if (a->view != b->view)
        return a->view < b->view ? -1 : 1;
    size_t n = a->n_entries < b->n_entries ? a->n_entries : b->n_entries;
    for (size_t i = 0; i < n; i++) {
        if (a->entries[i] != b->entries[i]) {
            /* "12" < "3" as text: the order of the former string keys */
            char x[24], y[24];
            snprintf(x, sizeof x, "%zu", a->entries[i]);
            snprintf(y, sizeof y, "%zu", b->entries[i]);
            return strcmp(x, y);
        }
    }
    return a->n_entries < b->n_entries ? -1 : a->n_entries > b->n_entries;
}

/* Different artifacts or versions make differing copies an error; two copies of one
 * artifact-version whose bytes differ are a rebuild, a warning. */
static bool same_artifact_version(const struct cp_view *view, const size_t *ids, size_t n)
{
    const struct artifact *a = &view->entries[ids[0]].artifact;
    if (!a->name)
        return false;
    for (size_t i = 1; i < n; i++) {
        const struct artifact *b = &view->entries[ids[i]].artifact;
        if (!b->name || strcasecmp(a->name, b->name) != 0 || !a->version || !b->version ||
            strcmp(a->version, b->version) != 0)
            return false;
    }
    return true;
}

/* "a.jar, b.jar and c.jar"; past TITLE_MAX_NAMES entries, "a.jar, ... and 19,990 other
 * entries", so that a class shared by 20,000 jars does not make a megabyte title. */
static void entries_phrase(struct bibuf *sb, const struct cp_view *view, const size_t *ids,
                           size_t n)
{
    size_t shown = n > TITLE_MAX_NAMES ? TITLE_MAX_NAMES - 1 : n;
    for (size_t i = 0; i < shown; i++) {
        bibuf_list_sep(sb, i, n);
        char *name = cp_entry_short_name(&view->entries[ids[i]]);
        bibuf_puts(sb, name, NULL);
        free(name);
    }
    if (shown < n)
        bibuf_msg(sb, MSG_MORE_ENTRIES, MSG_C("n", n - shown));
}

/* The conflict's title in English and Chinese (messages.h). */
static void conflict_title(const struct cp_view *view, struct class_conflict *c)
{
    struct bibuf who = {0}, sb = {0};
    entries_phrase(&who, view, c->entries, c->n_entries);
    char *who_en, *who_zh;
    bibuf_take(&who, &who_en, &who_zh);
    struct msg_arg w = MSG_B("who", who_en, who_zh);
    if (c->differing)
        bibuf_msg(&sb, MSG_CONFLICT_DIFFER, w, MSG_C("shared", c->shared),
                  MSG_C("differing", c->differing));
    else if (c->unknown)
        bibuf_msg(&sb, MSG_CONFLICT_UNCOMPARED, w, MSG_C("shared", c->shared),
                  MSG_C("unknown", c->unknown));
    else
        bibuf_msg(&sb, MSG_CONFLICT_IDENTICAL, w, MSG_C("shared", c->shared));
    free(who_en);
    free(who_zh);
    if (c->differing && c->winner_undefined)
        bibuf_msg(&sb, MSG_WHICH_COPY_UNDEFINED, MSG_END);
    else if (c->differing && c->winner >= 0) {
        char *name = cp_entry_short_name(&view->entries[c->winner]);
        bibuf_msg(&sb, MSG_CONFLICT_WINS, MSG_S("winner", name));
        if (c->has_twin) {
            char *twin = cp_entry_short_name(&view->entries[c->twin]);
            bibuf_msg(&sb,
                      c->twin_classes == c->differing ? MSG_CONFLICT_STALE_ALL
                                                      : MSG_CONFLICT_STALE_SOME,
                      MSG_S("twin", twin));
            free(twin);
        }
        free(name);
    }
    bibuf_take(&sb, &c->title, &c->title_zh);
}

/* Packages a Tomcat webapp loader always asks its parent for first (WebappClassLoaderBase's
 * filter): the Servlet, JSP, EL and WebSocket APIs the container implements. */
static const char *const parent_first_packages[] = {
    "javax/servlet/",
    "jakarta/servlet/",
    "javax/el/",
    "jakarta/el/",
    "javax/websocket/",
    "jakarta/websocket/",
    "javax/security/auth/message/",
    "jakarta/security/auth/message/",
};

static bool parent_first(const char *class_name)
{
    for (size_t i = 0; i < sizeof(parent_first_packages) / sizeof(parent_first_packages[0]); i++)
        if (str_has_prefix(class_name, parent_first_packages[i]))
            return true;
    return false;
}

/* In a webapp, the container's API classes load from the common loader whatever the
 * webapp holds: the first parent-loader entry of the set, or -1 when it has none. */
static int webapp_parent_winner(const struct cp_view *view, const size_t *ids, size_t n,
                                const char *class_name)
{
    if (!view->is_webapp || !parent_first(class_name))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (view->entries[ids[i]].parent_loader)
            return (int)ids[i];
    return -1;
}

int analysis_winner(const struct cp_view *view, const size_t *ids, size_t n, bool *undefined)
{
    const struct cp_entry *first = &view->entries[ids[0]];
    *undefined = false;
    for (size_t i = 1; i < n && !first->order_defined; i++)
        if (view->entries[ids[i]].order_group == first->order_group)
            *undefined = true;
    return *undefined ? -1 : (int)ids[0];
}

/* A stale copy: when the loader-first entry wins, the entry its differing copies most
 * often equal (the version it carries). */
static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The entry whose copies equal the winner's for the most differing classes (a stale copy of
 * the winner): sorted, so that a group of 100,000 classes costs n log n, not n^2. */
static void note_twin(struct class_conflict *c, const struct overlap *run, size_t n)
{
    if (c->winner < 0 || c->winner != (int)c->entries[0])
        return;
    int *twins = xcalloc(n + 1, sizeof(int));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (run[i].verdict == COPIES_DIFFER && run[i].twin >= 0)
            twins[m++] = run[i].twin;
    if (m)
        qsort(twins, m, sizeof(int), compare_ints);
    for (size_t i = 0; i < m;) {
        size_t end = i;
        while (end < m && twins[end] == twins[i])
            end++;
        if (end - i > c->twin_classes) {
            c->has_twin = true;
            c->twin = (size_t)twins[i];
            c->twin_classes = end - i;
        }
        i = end;
    }
    free(twins);
}

/* Every shared class of the conflict dotted, in one block (c->name_block) that all its name
 * lists point into; names[i] is run[i]'s. */
static void dot_names(struct class_conflict *c, const struct overlap *run, size_t n, char **names)
{
    size_t bytes = 1;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(run[i].rec->name) + 1;
    char *p = c->name_block = xmalloc(bytes);
    for (size_t i = 0; i < n; i++) {
        names[i] = p;
        for (const char *s = run[i].rec->name; *s; s++)
            *p++ = *s == '/' ? '.' : *s;
        *p++ = '\0';
    }
}

/* Every shared class of a conflict by name: the identical ones, and the others with each
 * copy's CRC-32 and size (aligned with c->entries), while the scan's `budget` of listed names
 * lasts. */
static void list_shared_classes(struct class_conflict *c, const struct overlap *run, size_t n,
                                char *const *names, size_t *budget)
{
    size_t n_copied = c->differing + c->unknown, n_copies = 0;
    for (size_t i = 0; i < n; i++)
        if (run[i].verdict != COPIES_IDENTICAL)
            n_copies += run[i].rec->n_copies;
    c->identical_classes = xcalloc(c->identical ? c->identical : 1, sizeof(char *));
    c->copied_classes = xcalloc(n_copied ? n_copied : 1, sizeof(struct conflict_class));
    c->copy_block = xcalloc(n_copies ? n_copies : 1, sizeof(struct conflict_copy));
    struct conflict_copy *next_copy = c->copy_block;
    for (size_t i = 0; i < n; i++) {
        if (*budget == 0) {
            c->classes_truncated = true;
            return;
        }
        (*budget)--;
        if (run[i].verdict == COPIES_IDENTICAL) {
            c->identical_classes[c->n_identical_classes++] = names[i];
            continue;
        }
        struct conflict_class *cc = &c->copied_classes[c->n_copied_classes++];
        cc->name = names[i];
        cc->copies = next_copy;
        next_copy += run[i].rec->n_copies;
        for (uint32_t k = 0; k < run[i].rec->n_copies; k++) {
            const struct class_copy *copy = class_record_copy(run[i].rec, k);
            cc->copies[k] = (struct conflict_copy){copy->crc, copy->size, copy->crc_known};
        }
    }
}

static void add_conflict(struct scan *scan, size_t v, const struct overlap *run, size_t n,
                         size_t *budget)
{
    const struct cp_view *view = &scan->views[v];
    scan->conflicts = xgrow(scan->conflicts, &scan->conflicts_cap, scan->n_conflicts + 1,
                            sizeof(*scan->conflicts));
    struct class_conflict *c = &scan->conflicts[scan->n_conflicts++];
    memset(c, 0, sizeof(*c));
    c->view = v;
    c->n_entries = set_entries(run[0].rec, &c->entries);
    c->shared = n;
    char **names = xcalloc(n + 1, sizeof(char *));
    dot_names(c, run, n, names);
    size_t n_diff = 0;
    for (size_t i = 0; i < n; i++)
        n_diff += run[i].verdict == COPIES_DIFFER;
    c->differing_classes = xcalloc(n_diff ? n_diff : 1, sizeof(char *));
    c->sample_classes = xcalloc(SAMPLE_CLASSES, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        switch (run[i].verdict) {
        case COPIES_IDENTICAL:
            c->identical++;
            break;
        case COPIES_DIFFER:
            c->differing++;
            c->differing_classes[c->n_differing_classes++] = names[i];
            break;
        case COPIES_UNKNOWN:
            c->unknown++;
            break;
        }
        if (c->n_sample_classes < SAMPLE_CLASSES)
            c->sample_classes[c->n_sample_classes++] = names[i];
    }
    int parent = webapp_parent_winner(view, c->entries, c->n_entries, run[0].rec->name);
    c->winner = parent >= 0 ? parent
                            : analysis_winner(view, c->entries, c->n_entries, &c->winner_undefined);
    note_twin(c, run, n);
    list_shared_classes(c, run, n, names, budget);
    free(names);
    if (c->differing)
        c->severity =
            same_artifact_version(view, c->entries, c->n_entries) ? SEV_WARNING : SEV_ERROR;
    else
        c->severity = c->unknown ? SEV_WARNING : SEV_INFO;
    conflict_title(view, c);
}

void analysis_find_conflicts(struct scan *scan)
{
    size_t first = scan->n_conflicts;
    size_t budget = CONFLICT_MAX_LISTED_CLASSES;
    for (size_t v = 0; v < scan->n_views; v++) {
        struct overlap_list list = {0};
        if (scan->views[v].index)
            class_index_foreach(scan->views[v].index, collect_overlap, &list);
        if (list.n)
            list.items = sort_overlaps(list.items, list.n, number_sets(list.items, list.n));
        size_t start = 0;
        for (size_t i = 1; i <= list.n; i++) {
            if (i == list.n || list.items[i].set_id != list.items[start].set_id) {
                add_conflict(scan, v, list.items + start, i - start, &budget);
                start = i;
            }
        }
        free(list.items);
    }
    if (scan->n_conflicts > first)
        qsort(scan->conflicts + first, scan->n_conflicts - first, sizeof(*scan->conflicts),
              compare_conflicts);
}
