/*
 * finding.c - build the one list of findings of a scan (see finding.h): each analysis's
 * structs read once, in canonical order, with stable ids.
 */
#include "finding.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "messages.h"
#include "util.h"

#define FINDING_MAX_CLASSES 20 /* differing classes given as evidence of a conflict */

static const char *const kind_names[FINDING_KIND_COUNT] = {
    "environment", "log", "correlation", "conflict", "duplicate", "hint", "problem"};

const char *finding_kind_name(enum finding_kind kind)
{
    return (unsigned)kind < FINDING_KIND_COUNT ? kind_names[kind] : "unknown";
}

static const char *const evidence_names[EVIDENCE_KIND_COUNT] = {"log", "entry", "class", "config",
                                                                "file"};

const char *evidence_kind_name(enum evidence_kind kind)
{
    return (unsigned)kind < EVIDENCE_KIND_COUNT ? evidence_names[kind] : "unknown";
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

const char *finding_fact(const struct finding *f, const char *name)
{
    return facts_get(f->facts, f->n_facts, name);
}

void finding_add_fact(struct finding *f, const char *name, const char *value)
{
    if (value)
        facts_set(&f->facts, &f->n_facts, &f->facts_cap, name, value);
}

static void add_fact_u64(struct finding *f, const char *name, uint64_t value)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%" PRIu64, value);
    finding_add_fact(f, name, buf);
}

void finding_add_evidence(struct finding *f, enum evidence_kind kind, const char *path,
                          uint64_t line, const char *detail)
{
    f->evidence = xgrow(f->evidence, &f->evidence_cap, f->n_evidence + 1, sizeof(*f->evidence));
    struct finding_evidence *e = &f->evidence[f->n_evidence++];
    e->kind = kind;
    e->path = dup_or_null(path);
    e->line = line;
    e->detail = dup_or_null(detail);
    e->detail_zh = NULL;
}

bool finding_explains(const struct finding *f)
{
    if (f->kind != FINDING_CORRELATION)
        return false;
    const char *differ = finding_fact(f, "copies_differ");
    const char *holders = finding_fact(f, "holders");
    return (differ && strcmp(differ, "true") == 0) || !holders || strcmp(holders, "1") != 0;
}

bool finding_counted(const struct finding *f)
{
    return f->kind != FINDING_CORRELATION && accept_counts(f);
}

int findings_max_severity(const struct finding_list *list)
{
    int top = -1;
    for (size_t i = 0; i < list->n; i++)
        if (finding_counted(&list->items[i]) && (int)list->items[i].severity > top)
            top = (int)list->items[i].severity;
    return top;
}

long findings_find(const struct finding_list *list, const char *id)
{
    for (size_t i = 0; id && i < list->n; i++)
        if (strcmp(list->items[i].id, id) == 0)
            return (long)i;
    return -1;
}

static void finding_clear(struct finding *f)
{
    free(f->id);
    free(f->key);
    free(f->rule);
    free(f->title);
    free(f->detail);
    free(f->title_zh);
    free(f->detail_zh);
    free(f->hint_zh);
    free(f->hint);
    free(f->view);
    free(f->accepted_reason);
    facts_free(f->facts, f->n_facts);
    for (size_t i = 0; i < f->n_evidence; i++) {
        free(f->evidence[i].path);
        free(f->evidence[i].detail);
        free(f->evidence[i].detail_zh);
    }
    free(f->evidence);
}

void finding_list_clear(struct finding_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        finding_clear(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof(*list));
}

char *finding_entry_key(const struct cp_entry *e)
{
    const struct artifact *a = &e->artifact;
    if (a->name && a->group)
        return xasprintf("%s:%s", a->group, a->name);
    if (a->name)
        return xstrdup(a->name);
    /* "outer.jar!/BOOT-INF/classes/" is named by its last non-empty component. */
    size_t len = strlen(e->path);
    while (len > 1 && e->path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && e->path[start - 1] != '/')
        start--;
    return xstrndup(e->path + start, len - start);
}

char *finding_view_name(const struct scan *scan, size_t view)
{
    if (view >= scan->n_views)
        return xstrdup("?");
    size_t seen = 0;
    for (size_t k = 0; k < view; k++)
        if (strcmp(scan->views[k].name, scan->views[view].name) == 0)
            seen++;
    return seen ? xasprintf("%s#%zu", scan->views[view].name, seen + 1)
                : xstrdup(scan->views[view].name);
}

/* ------------------------------------------------------------------------ */
/* Building */

static struct finding *add(struct finding_list *list, enum finding_kind kind, enum severity sev,
                           size_t source)
{
    list->items = xgrow(list->items, &list->cap, list->n + 1, sizeof(*list->items));
    struct finding *f = &list->items[list->n++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->severity = sev;
    f->impact = IMPACT_NONE;
    f->source = source;
    return f;
}

/* An entry as evidence: with its role (a message, both languages), or MSG_COUNT for its
 * library and version. */
static void describe_entry(struct finding *f, const struct cp_view *v, size_t idx, enum msg_id role)
{
    if (idx >= v->n_entries)
        return;
    const struct cp_entry *e = &v->entries[idx];
    const struct artifact *a = &e->artifact;
    char *what = NULL;
    if (role != MSG_COUNT) {
        what = msg_text(role, LANG_EN, MSG_END);
        finding_add_evidence(f, EV_ENTRY, e->path, 0, what);
        f->evidence[f->n_evidence - 1].detail_zh = msg_text(role, LANG_ZH, MSG_END);
        free(what);
        return;
    }
    if (a->name)
        what = xasprintf("%s%s%s%s%s", a->group ? a->group : "", a->group ? ":" : "", a->name,
                         a->version ? " " : "", a->version ? a->version : "");
    finding_add_evidence(f, EV_ENTRY, e->path, 0, what);
    free(what);
}

static void add_log_finding(struct finding_list *list, const struct scan *scan, size_t i)
{
    const struct log_finding *lf = &scan->logs->findings[i];
    struct finding *f = add(list, FINDING_LOG, lf->severity, i);
    f->impact = lf->impact;
    f->rule = xstrdup(lf->rule_id ? lf->rule_id : "");
    f->key = xasprintf("%s: %s", f->rule, lf->signature ? lf->signature : "");
    f->title = xstrdup(lf->title ? lf->title : f->rule);
    f->detail = dup_or_null(lf->root_cause);
    f->hint = dup_or_null(lf->hint);
    f->title_zh = dup_or_null(lf->title_zh);
    f->hint_zh = dup_or_null(lf->hint_zh);
    for (size_t k = 0; k < lf->n_facts; k++)
        finding_add_fact(f, lf->facts[k].name, lf->facts[k].value);
    if (lf->class_name && !finding_fact(f, "class"))
        finding_add_fact(f, "class", lf->class_name);
    add_fact_u64(f, "count", lf->count);
    finding_add_fact(f, "first_seen", lf->first_seen);
    finding_add_fact(f, "last_seen", lf->last_seen);
    /* Every place the first occurrence was written; the first is file:line. */
    if (!lf->n_locations || !lf->file || strcmp(lf->locations[0].file, lf->file) != 0 ||
        lf->locations[0].line != lf->line)
        if (lf->file)
            finding_add_evidence(f, EV_LOG, lf->file, lf->line, lf->first_seen);
    for (size_t k = 0; k < lf->n_locations; k++)
        finding_add_evidence(f, EV_LOG, lf->locations[k].file, lf->locations[k].line,
                             lf->locations[k].timestamp);
    const char *config = finding_fact(f, "config_file");
    if (config) {
        uint64_t line = 0;
        const char *l = finding_fact(f, "line");
        if (l)
            parse_u64(l, &line);
        finding_add_evidence(f, EV_CONFIG, config, line, finding_fact(f, "column"));
    }
    if (finding_fact(f, "class"))
        finding_add_evidence(f, EV_CLASS, NULL, 0, finding_fact(f, "class"));
}

static void add_correlation(struct finding_list *list, const struct scan *scan, size_t i,
                            size_t log_index)
{
    const struct correlation *c = &scan->correlations[i];
    const struct finding *of = &list->items[log_index];
    struct finding *f = add(list, FINDING_CORRELATION, of->severity, i);
    of = &list->items[log_index]; /* add() may move the list */
    f->of = log_index;
    f->view = finding_view_name(scan, c->view);
    f->rule = xstrdup(c->class_name ? c->class_name : "");
    f->key = xasprintf("%s: %s: %s", of->key, f->view, f->rule);
    f->title = xstrdup(c->text ? c->text : f->rule);
    f->title_zh = dup_or_null(c->text_zh);
    finding_add_fact(f, "class", c->class_name);
    finding_add_fact(f, "copies_differ", c->copies_differ ? "true" : "false");
    add_fact_u64(f, "holders", c->n_entries);
    finding_add_evidence(f, EV_CLASS, NULL, 0, c->class_name);
    if (c->view >= scan->n_views)
        return;
    const struct cp_view *v = &scan->views[c->view];
    if (c->winner >= 0 && (size_t)c->winner < v->n_entries)
        finding_add_fact(f, "winner", v->entries[c->winner].path);
    for (size_t k = 0; k < c->n_entries; k++)
        describe_entry(f, v, c->entries[k],
                       (int)c->entries[k] == c->winner ? MSG_ROLE_HOLDS_CLASS_FIRST
                                                       : MSG_ROLE_HOLDS_CLASS);
    for (size_t k = 0; k < c->n_package_entries; k++)
        describe_entry(f, v, c->package_entries[k], MSG_ROLE_HOLDS_PACKAGE);
}

static void add_conflict(struct finding_list *list, const struct scan *scan, size_t i)
{
    const struct class_conflict *c = &scan->conflicts[i];
    struct finding *f = add(list, FINDING_CONFLICT, c->severity, i);
    f->view = finding_view_name(scan, c->view);
    f->title = xstrdup(c->title ? c->title : "");
    f->title_zh = dup_or_null(c->title_zh);
    if (c->view >= scan->n_views) {
        f->rule = xstrdup("");
        f->key = xasprintf("%s: ", f->view);
        return;
    }
    const struct cp_view *v = &scan->views[c->view];
    char **keys = xcalloc(c->n_entries ? c->n_entries : 1, sizeof(char *));
    size_t n = 0;
    for (size_t k = 0; k < c->n_entries; k++)
        if (c->entries[k] < v->n_entries)
            keys[n++] = finding_entry_key(&v->entries[c->entries[k]]);
    qsort(keys, n, sizeof(char *), strv_compare);
    struct strbuf sb = {0};
    for (size_t k = 0; k < n; k++)
        strbuf_printf(&sb, "%s%s", k ? " + " : "", keys[k]);
    strv_free(keys, n);
    f->rule = strbuf_take(&sb);
    if (!f->rule)
        f->rule = xstrdup("");
    f->key = xasprintf("%s: %s", f->view, f->rule);
    add_fact_u64(f, "shared", c->shared);
    add_fact_u64(f, "identical", c->identical);
    add_fact_u64(f, "differing", c->differing);
    if (c->winner >= 0 && (size_t)c->winner < v->n_entries)
        finding_add_fact(f, "winner", v->entries[c->winner].path);
    if (c->differing && c->winner_undefined)
        finding_add_fact(f, "winner_undefined", "true");
    for (size_t k = 0; k < c->n_entries; k++)
        describe_entry(f, v, c->entries[k],
                       c->differing && (int)c->entries[k] == c->winner ? MSG_ROLE_LOADS_FIRST
                                                                       : MSG_COUNT);
    for (size_t k = 0; k < c->n_differing_classes && k < FINDING_MAX_CLASSES; k++)
        finding_add_evidence(f, EV_CLASS, NULL, 0, c->differing_classes[k]);
}

static void add_duplicate(struct finding_list *list, const struct scan *scan, size_t i)
{
    const struct dup_artifact *d = &scan->dups[i];
    struct finding *f = add(list, FINDING_DUPLICATE, d->severity, i);
    f->view = finding_view_name(scan, d->view);
    f->rule = xstrdup(d->key ? d->key : "");
    f->key = xasprintf("%s: %s", f->view, f->rule);
    f->title = xstrdup(d->title ? d->title : "");
    f->title_zh = dup_or_null(d->title_zh);
    finding_add_fact(f, "library", d->key);
    finding_add_fact(f, "versions_differ", d->versions_differ ? "true" : "false");
    if (d->view >= scan->n_views)
        return;
    for (size_t k = 0; k < d->n; k++) {
        const char *version = d->versions[k] ? d->versions[k] : "?";
        const struct cp_view *v = &scan->views[d->view];
        if (d->entries[k] >= v->n_entries)
            continue;
        if (!d->shaded[k]) {
            finding_add_evidence(f, EV_ENTRY, v->entries[d->entries[k]].path, 0, version);
            continue;
        }
        char *what = msg_text(MSG_ROLE_SHADED, LANG_EN, MSG_S("version", version));
        finding_add_evidence(f, EV_ENTRY, v->entries[d->entries[k]].path, 0, what);
        f->evidence[f->n_evidence - 1].detail_zh =
            msg_text(MSG_ROLE_SHADED, LANG_ZH, MSG_S("version", version));
        free(what);
    }
}

static void add_hint(struct finding_list *list, const struct scan *scan, size_t i)
{
    const struct hint_finding *h = &scan->hints[i];
    struct finding *f = add(list, FINDING_HINT, h->severity, i);
    f->view = finding_view_name(scan, h->view);
    f->rule = xstrdup(h->id ? h->id : "");
    f->key = xasprintf("%s: %s", f->view, f->rule);
    f->title = xstrdup(h->title ? h->title : "");
    f->hint = dup_or_null(h->hint);
    f->title_zh = dup_or_null(h->title_zh);
    f->hint_zh = dup_or_null(h->hint_zh);
    if (h->view >= scan->n_views)
        return;
    for (size_t k = 0; k < h->n_entries; k++)
        describe_entry(f, &scan->views[h->view], h->entries[k], MSG_COUNT);
}

static void add_problem(struct finding_list *list, const struct problem *p, size_t source,
                        const char *reading)
{
    struct finding *f = add(list, FINDING_PROBLEM, p->severity, source);
    f->rule = xstrdup(p->path ? p->path : "");
    f->key = xasprintf("%s: %s", f->rule, p->message ? p->message : "");
    f->title = xstrdup(p->path ? p->path : "");
    f->detail = dup_or_null(p->message);
    f->detail_zh = p->message ? dup_or_null(p->message_zh) : NULL;
    finding_add_fact(f, "reading", reading);
    finding_add_evidence(f, EV_FILE, p->path, 0, NULL);
}

static void add_environment(struct finding_list *list, const struct scan *scan, size_t i)
{
    const struct env_finding *e = &scan->env_findings[i];
    struct finding *f = add(list, FINDING_ENVIRONMENT, e->severity, i);
    f->rule = xstrdup(e->id ? e->id : "");
    f->key = xstrdup(f->rule);
    f->title = xstrdup(e->title ? e->title : "");
    f->detail = e->detail && *e->detail ? xstrdup(e->detail) : NULL;
    f->title_zh = dup_or_null(e->title_zh);
    f->detail_zh = f->detail ? dup_or_null(e->detail_zh) : NULL;
    /* A service that is not up stopped everything it serves, whatever its logs say; one
     * down as configured (an info line) stopped nothing that should run. */
    if (e->subject) {
        finding_add_fact(f, "service", e->subject);
        if (str_has_prefix(f->rule, "service-") && f->severity >= SEV_WARNING)
            f->impact = IMPACT_SERVICE;
    }
}

/* FNV-1a, 64 bits: small, stable across platforms and releases. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void assign_ids(struct finding_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        struct finding *f = &list->items[i];
        uint64_t h = fnv1a(14695981039346656037ULL, finding_kind_name(f->kind));
        h = fnv1a(fnv1a(h, "\x1f"), f->key);
        size_t seen = 0;
        char *base = xasprintf("%s-%016" PRIx64, finding_kind_name(f->kind), h);
        for (size_t k = 0; k < i; k++)
            if (strncmp(list->items[k].id, base, strlen(base)) == 0 &&
                (list->items[k].id[strlen(base)] == '\0' || list->items[k].id[strlen(base)] == '~'))
                seen++;
        f->id = seen ? xasprintf("%s~%zu", base, seen + 1) : xstrdup(base);
        free(base);
    }
}

/* One severity's findings, in kind order. */
static void collect_severity(const struct scan *scan, enum severity sev, struct finding_list *out)
{
    for (size_t i = 0; i < scan->n_env_findings; i++)
        if (scan->env_findings[i].severity == sev)
            add_environment(out, scan, i);
    for (size_t i = 0; scan->logs && i < scan->logs->n_findings; i++) {
        if (scan->logs->findings[i].severity != sev)
            continue;
        add_log_finding(out, scan, i);
        size_t log_index = out->n - 1;
        for (size_t c = 0; c < scan->n_correlations; c++)
            if (scan->correlations[c].finding == i)
                add_correlation(out, scan, c, log_index);
    }
    for (size_t i = 0; i < scan->n_conflicts; i++)
        if (scan->conflicts[i].severity == sev)
            add_conflict(out, scan, i);
    for (size_t i = 0; i < scan->n_dups; i++)
        if (scan->dups[i].severity == sev)
            add_duplicate(out, scan, i);
    for (size_t i = 0; i < scan->n_hints; i++)
        if (scan->hints[i].severity == sev)
            add_hint(out, scan, i);
    for (size_t i = 0; i < scan->n_problems; i++)
        if (scan->problems[i].severity == sev)
            add_problem(out, &scan->problems[i], i, "classpath");
    for (size_t i = 0; scan->logs && i < scan->logs->n_problems; i++)
        if (scan->logs->problems[i].severity == sev)
            add_problem(out, &scan->logs->problems[i], scan->n_problems + i, "logs");
}

void findings_collect(const struct scan *scan, struct finding_list *out)
{
    finding_list_clear(out);
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        collect_severity(scan, (enum severity)sev, out);
    assign_ids(out);
    accept_mark(scan->accept, out);
}
