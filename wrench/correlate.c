/*
 * correlate.c - see correlate.h. A class named in a log is looked up in every
 * view; when no view holds it, the view that holds its package is named, since
 * "the package is there but not this class" means a version without it won.
 * A class no view holds also gets facts on its finding: "did_you_mean", a class one
 * edit away (a misspelt listener in web.xml), and "likely_jar", the entry that holds
 * its package.
 */
#include "correlate.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "classindex.h"
#include "logmodel.h"
#include "messages.h"
#include "util.h"

/* "com.acme.Util" or "com/acme/Util" (or with ".class") -> "com/acme/Util"; new string. */
static char *internal_name(const char *name)
{
    char *s = xstrdup(name);
    if (str_has_suffix(s, ".class"))
        s[strlen(s) - 6] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '.')
            *p = '/';
    return s;
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static struct correlation *add_correlation(struct scan *scan, size_t finding, const char *dotted,
                                           size_t view)
{
    scan->correlations = xgrow(scan->correlations, &scan->correlations_cap,
                               scan->n_correlations + 1, sizeof(*scan->correlations));
    struct correlation *c = &scan->correlations[scan->n_correlations++];
    memset(c, 0, sizeof(*c));
    c->finding = finding;
    c->class_name = xstrdup(dotted);
    c->view = view;
    c->winner = -1;
    return c;
}

/* A list of entry names, "a.jar, b.jar, c.jar" ("a.jar、b.jar、c.jar"). */
static void entry_list(struct bibuf *sb, const struct cp_view *view, const size_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            bibuf_msg(sb, MSG_LIST_SEP, MSG_END);
        char *name = cp_entry_short_name(&view->entries[ids[i]]);
        bibuf_puts(sb, name, NULL);
        free(name);
    }
}

static void describe_holders(const struct cp_view *view, struct correlation *c)
{
    struct bibuf sb = {0};
    if (c->n_entries == 1) {
        char *first = cp_entry_short_name(&view->entries[c->entries[0]]);
        bibuf_msg(&sb, MSG_CLASS_ONLY_IN, MSG_S("class", c->class_name), MSG_S("entry", first));
        free(first);
    } else {
        struct bibuf list = {0};
        entry_list(&list, view, c->entries, c->n_entries);
        char *en, *zh;
        bibuf_take(&list, &en, &zh);
        bibuf_msg(&sb, c->copies_differ ? MSG_CLASS_IN_DIFFERING : MSG_CLASS_IN_IDENTICAL,
                  MSG_S("class", c->class_name), MSG_N("n", c->n_entries),
                  MSG_B("entries", en, zh));
        free(en);
        free(zh);
        if (c->winner_undefined)
            bibuf_msg(&sb, MSG_WHICH_COPY_UNDEFINED, MSG_END);
        else if (c->winner >= 0) {
            char *winner = cp_entry_short_name(&view->entries[c->winner]);
            bibuf_msg(&sb, MSG_CLASS_LOADS_FIRST, MSG_S("winner", winner));
            if (c->has_twin) {
                char *twin = cp_entry_short_name(&view->entries[c->twin]);
                bibuf_msg(&sb, MSG_CLASS_STALE_COPY, MSG_S("twin", twin));
                free(twin);
            }
            free(winner);
        }
    }
    bibuf_take(&sb, &c->text, &c->text_zh);
}

static void holders_of(const struct cp_view *view, const struct class_record *rec,
                       struct correlation *c)
{
    c->entries = xcalloc(rec->n_copies, sizeof(size_t));
    for (uint32_t i = 0; i < rec->n_copies; i++)
        c->entries[c->n_entries++] = class_record_copy(rec, i)->entry;
    qsort(c->entries, c->n_entries, sizeof(size_t), compare_size);
    const struct class_copy *a = class_record_copy(rec, 0);
    for (uint32_t i = 1; i < rec->n_copies; i++) {
        const struct class_copy *b = class_record_copy(rec, i);
        if (!a->crc_known || !b->crc_known || a->crc != b->crc || a->size != b->size)
            c->copies_differ = true;
    }
    c->winner = analysis_winner(view, c->entries, c->n_entries, &c->winner_undefined);
    int twin = c->copies_differ && c->winner >= 0 ? analysis_copy_twin(rec, (size_t)c->winner) : -1;
    c->has_twin = twin >= 0;
    c->twin = twin >= 0 ? (size_t)twin : 0;
    describe_holders(view, c);
}

struct package_search {
    const char *package; /* "com/acme/" */
    size_t len;
    size_t *entries;
    size_t n, cap;
};

static void find_package(const struct class_record *rec, void *ud)
{
    struct package_search *ps = ud;
    if (strncmp(rec->name, ps->package, ps->len) != 0 || strchr(rec->name + ps->len, '/'))
        return;
    for (uint32_t i = 0; i < rec->n_copies; i++) {
        size_t entry = class_record_copy(rec, i)->entry;
        bool seen = false;
        for (size_t k = 0; k < ps->n; k++)
            seen |= ps->entries[k] == entry;
        if (!seen) {
            ps->entries = xgrow(ps->entries, &ps->cap, ps->n + 1, sizeof(size_t));
            ps->entries[ps->n++] = entry;
        }
    }
}

/* True when a and b differ by one inserted, deleted or replaced byte, or by two adjacent
 * bytes swapped (the usual typing slips). */
static bool one_edit_apart(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb + 1 || lb > la + 1)
        return false;
    size_t i = 0;
    while (i < la && i < lb && a[i] == b[i])
        i++;
    if (i == la && i == lb)
        return false;        /* equal */
    size_t ra = la, rb = lb; /* common suffix */
    while (ra > i && rb > i && a[ra - 1] == b[rb - 1]) {
        ra--;
        rb--;
    }
    size_t da = ra - i, db = rb - i; /* the differing middles */
    if (da <= 1 && db <= 1)
        return true;
    return da == 2 && db == 2 && a[i] == b[i + 1] && a[i + 1] == b[i];
}

struct near_search {
    const char *want; /* internal name */
    size_t len;
    const char *best; /* borrowed from the index; the smallest name one edit away */
};

static void find_near(const struct class_record *rec, void *ud)
{
    struct near_search *ns = ud;
    if (one_edit_apart(ns->want, ns->len, rec->name, strlen(rec->name)) &&
        (!ns->best || strcmp(rec->name, ns->best) < 0))
        ns->best = rec->name;
}

/* Facts for a class no view holds: a class one edit away in any view, and the entry of the
 * first view whose package matches (the jar that should have held it). */
static void absent_facts(struct scan *scan, size_t finding, const char *internal,
                         const struct package_search *ps, size_t ps_view)
{
    struct log_finding *f = &scan->logs->findings[finding];
    struct near_search ns = {internal, strlen(internal), NULL};
    for (size_t v = 0; v < scan->n_views && !ns.best; v++)
        if (scan->views[v].index)
            class_index_foreach(scan->views[v].index, find_near, &ns);
    if (ns.best && !log_finding_fact(f, "did_you_mean")) {
        char *dotted = analysis_dotted(ns.best);
        log_finding_add_fact(f, "did_you_mean", dotted);
        char *title =
            msg_text(MSG_DID_YOU_MEAN, LANG_EN, MSG_S("title", f->title), MSG_S("class", dotted));
        free(f->title);
        f->title = title;
        if (f->title_zh) {
            title = msg_text(MSG_DID_YOU_MEAN, LANG_ZH, MSG_S("title", f->title_zh),
                             MSG_S("class", dotted));
            free(f->title_zh);
            f->title_zh = title;
        }
        free(dotted);
    }
    if (ps->n && !log_finding_fact(f, "likely_jar")) {
        char *name = cp_entry_short_name(&scan->views[ps_view].entries[ps->entries[0]]);
        log_finding_add_fact(f, "likely_jar", name);
        free(name);
    }
}

/* No view holds the class: say so, and which entries of the first view holding its
 * package do. */
static void describe_absent(struct scan *scan, size_t finding, const char *dotted,
                            const char *internal)
{
    const char *slash = strrchr(internal, '/');
    struct package_search ps = {0};
    size_t ps_view = 0;
    for (size_t v = 0; slash && v < scan->n_views && !ps.n; v++) {
        if (!scan->views[v].index)
            continue;
        char *package = xstrndup(internal, (size_t)(slash - internal) + 1);
        ps.package = package;
        ps.len = strlen(package);
        class_index_foreach(scan->views[v].index, find_package, &ps);
        free(package);
        ps_view = v;
    }
    absent_facts(scan, finding, internal, &ps, ps_view);
    struct correlation *c = add_correlation(scan, finding, dotted, ps_view);
    if (ps.n)
        qsort(ps.entries, ps.n, sizeof(size_t), compare_size);
    c->package_entries = ps.entries;
    c->n_package_entries = ps.n;
    struct bibuf sb = {0};
    bibuf_msg(&sb, MSG_CLASS_ABSENT, MSG_S("class", dotted));
    if (ps.n) {
        char *package = xstrndup(dotted, (size_t)(strrchr(dotted, '.') - dotted));
        struct bibuf list = {0};
        entry_list(&list, &scan->views[ps_view], ps.entries, ps.n);
        char *en, *zh;
        bibuf_take(&list, &en, &zh);
        bibuf_msg(&sb, MSG_CLASS_PACKAGE_IN, MSG_S("package", package), MSG_B("entries", en, zh));
        free(en);
        free(zh);
        free(package);
    }
    bibuf_take(&sb, &c->text, &c->text_zh);
}

void correlate_logs(struct scan *scan)
{
    if (!scan->logs || scan->n_views == 0)
        return;
    for (size_t f = 0; f < scan->logs->n_findings; f++) {
        const char *name = scan->logs->findings[f].class_name;
        if (!name || !*name)
            continue;
        char *internal = internal_name(name);
        char *dotted = analysis_dotted(internal);
        bool found = false;
        for (size_t v = 0; v < scan->n_views && scan->n_correlations < CORRELATE_MAX; v++) {
            const struct cp_view *view = &scan->views[v];
            const struct class_record *rec =
                view->index ? class_index_find(view->index, internal) : NULL;
            if (!rec)
                continue;
            found = true;
            holders_of(view, rec, add_correlation(scan, f, dotted, v));
        }
        if (!found && scan->n_correlations < CORRELATE_MAX)
            describe_absent(scan, f, dotted, internal);
        free(dotted);
        free(internal);
    }
}

const struct correlation *correlate_best(const struct scan *scan)
{
    const struct correlation *best = NULL;
    for (size_t i = 0; i < scan->n_correlations; i++) {
        const struct correlation *c = &scan->correlations[i];
        if (c->n_entries > 1 && c->copies_differ)
            return c;
        if (!best && (c->n_entries == 0 || c->n_entries > 1))
            best = c;
    }
    return best;
}
