/*
 * model.c - constructors, destructors and small queries for the scan model
 * declared in model.h.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "classindex.h"
#include "finding.h"
#include "logmodel.h"
#include "svcstate.h"
#include "util.h"

static const char *const severity_names[SEV_COUNT] = {"info", "warning", "error", "critical"};

const char *severity_name(enum severity sev)
{
    return (unsigned)sev < SEV_COUNT ? severity_names[sev] : "unknown";
}

int severity_parse(const char *name, enum severity *out)
{
    for (int i = 0; i < SEV_COUNT; i++) {
        if (strcmp(name, severity_names[i]) == 0) {
            *out = (enum severity)i;
            return 0;
        }
    }
    return -1;
}

const char *entry_kind_name(enum entry_kind kind)
{
    switch (kind) {
    case ENTRY_JAR:
        return "jar";
    case ENTRY_DIR:
        return "directory";
    case ENTRY_NESTED_JAR:
        return "nested-jar";
    case ENTRY_ARCHIVE_DIR:
        return "archive-directory";
    }
    return "unknown";
}

const char *entry_status_name(enum entry_status status)
{
    switch (status) {
    case STATUS_OK:
        return "ok";
    case STATUS_MISSING:
        return "missing";
    case STATUS_UNREADABLE:
        return "unreadable";
    case STATUS_CORRUPT:
        return "corrupt";
    case STATUS_TOO_LARGE:
        return "too-large";
    case STATUS_LISTED_TWICE:
        return "listed-twice";
    }
    return "unknown";
}

const char *evidence_name(enum evidence ev)
{
    switch (ev) {
    case EVIDENCE_NONE:
        return "none";
    case EVIDENCE_POM:
        return "pom.properties";
    case EVIDENCE_MANIFEST:
        return "manifest";
    case EVIDENCE_FILENAME:
        return "file-name";
    }
    return "unknown";
}

char *cp_entry_short_name(const struct cp_entry *e)
{
    if (e->kind == ENTRY_ARCHIVE_DIR && e->archive && e->inner) {
        size_t n = strlen(e->inner);
        while (n && e->inner[n - 1] == '/')
            n--;
        const char *slash = strrchr(e->archive, '/');
        return xasprintf("%s!/%.*s", slash ? slash + 1 : e->archive, (int)n, e->inner);
    }
    size_t n = strlen(e->path);
    while (n > 1 && e->path[n - 1] == '/')
        n--;
    const char *start = e->path + n;
    while (start > e->path && start[-1] != '/')
        start--;
    return xstrndup(start, (size_t)(e->path + n - start));
}

struct scan *scan_new(void)
{
    return xcalloc(1, sizeof(struct scan));
}

void artifact_clear(struct artifact *a)
{
    free(a->group);
    free(a->name);
    free(a->version);
    free(a->source);
    memset(a, 0, sizeof(*a));
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void artifact_copy(struct artifact *dst, const struct artifact *src)
{
    dst->group = dup_or_null(src->group);
    dst->name = dup_or_null(src->name);
    dst->version = dup_or_null(src->version);
    dst->source = dup_or_null(src->source);
    dst->evidence = src->evidence;
}

static void entry_free(struct cp_entry *e)
{
    free(e->path);
    free(e->real_path);
    free(e->listed_as);
    free(e->origin);
    free(e->archive);
    free(e->inner);
    free(e->problem);
    free(e->main_class);
    artifact_clear(&e->artifact);
    for (size_t i = 0; i < e->n_embedded; i++)
        artifact_clear(&e->embedded[i]);
    free(e->embedded);
}

static void view_free(struct cp_view *v)
{
    free(v->name);
    free(v->target_kind);
    free(v->target);
    free(v->note);
    free(v->note_zh);
    for (size_t i = 0; i < v->n_entries; i++)
        entry_free(&v->entries[i]);
    free(v->entries);
    class_index_free(v->index);
    for (size_t i = 0; i < v->n_resources; i++)
        free(v->resources[i].name);
    free(v->resources);
}

void facts_free(struct fact *facts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(facts[i].name);
        free(facts[i].value);
    }
    free(facts);
}

const char *facts_get(const struct fact *facts, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(facts[i].name, name) == 0)
            return facts[i].value;
    return NULL;
}

void facts_append(struct fact **facts, size_t *n, size_t *cap, const char *name, const char *value)
{
    *facts = xgrow(*facts, cap, *n + 1, sizeof(**facts));
    (*facts)[*n].name = xstrdup(name);
    (*facts)[*n].value = xstrdup(value);
    (*n)++;
}

void facts_set(struct fact **facts, size_t *n, size_t *cap, const char *name, const char *value)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*facts)[i].name, name) == 0) {
            free((*facts)[i].value);
            (*facts)[i].value = xstrdup(value);
            return;
        }
    facts_append(facts, n, cap, name, value);
}

void scan_free(struct scan *scan)
{
    if (!scan)
        return;
    free(scan->host);
    free(scan->rules_version);
    for (size_t i = 0; i < scan->n_views; i++)
        view_free(&scan->views[i]);
    free(scan->views);
    for (size_t i = 0; i < scan->n_dups; i++) {
        struct dup_artifact *d = &scan->dups[i];
        free(d->key);
        free(d->title);
        free(d->title_zh);
        free(d->entries);
        strv_free(d->versions, d->n);
        free(d->shaded);
    }
    free(scan->dups);
    for (size_t i = 0; i < scan->n_conflicts; i++) {
        struct class_conflict *c = &scan->conflicts[i];
        free(c->title);
        free(c->title_zh);
        free(c->entries);
        if (c->name_block) { /* the names point into it */
            free(c->differing_classes);
            free(c->sample_classes);
            free(c->identical_classes);
            free(c->name_block);
        } else {
            strv_free(c->differing_classes, c->n_differing_classes);
            strv_free(c->sample_classes, c->n_sample_classes);
            strv_free(c->identical_classes, c->n_identical_classes);
            for (size_t k = 0; k < c->n_copied_classes; k++)
                free(c->copied_classes[k].name);
        }
        for (size_t k = 0; k < c->n_copied_classes && !c->copy_block; k++)
            free(c->copied_classes[k].copies);
        free(c->copy_block);
        free(c->copied_classes);
    }
    free(scan->conflicts);
    for (size_t i = 0; i < scan->n_hints; i++) {
        struct hint_finding *h = &scan->hints[i];
        free(h->id);
        free(h->title);
        free(h->hint);
        free(h->title_zh);
        free(h->hint_zh);
        free(h->entries);
    }
    free(scan->hints);
    for (size_t i = 0; i < scan->n_problems; i++) {
        free(scan->problems[i].path);
        free(scan->problems[i].message);
        free(scan->problems[i].message_zh);
    }
    free(scan->problems);
    service_states_free(scan->states, scan->n_states);
    if (scan->logs) {
        log_report_clear(scan->logs);
        free(scan->logs);
    }
    for (size_t i = 0; i < scan->n_correlations; i++) {
        struct correlation *c = &scan->correlations[i];
        free(c->class_name);
        free(c->entries);
        free(c->package_entries);
        free(c->text);
        free(c->text_zh);
    }
    free(scan->correlations);
    discovery_free(scan->discovery);
    facts_free(scan->facts, scan->n_facts);
    for (size_t i = 0; i < scan->n_env_findings; i++) {
        free(scan->env_findings[i].id);
        free(scan->env_findings[i].title);
        free(scan->env_findings[i].detail);
        free(scan->env_findings[i].title_zh);
        free(scan->env_findings[i].detail_zh);
        free(scan->env_findings[i].subject);
    }
    free(scan->env_findings);
    free(scan);
}

void discovery_free(struct discovery *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_services; i++) {
        struct service *s = &d->services[i];
        free(s->name);
        free(s->kind);
        free(s->origin);
        free(s->command);
        free(s->identity);
        strv_free(s->evidence, s->n_evidence);
        strv_free(s->evidence_zh, s->n_evidence_zh);
        free(s->origin_zh);
        free(s->views);
        strv_free(s->logs, s->n_logs);
    }
    free(d->services);
    strv_free(d->not_found, d->n_not_found);
    strv_free(d->notes, d->n_notes);
    strv_free(d->not_found_zh, d->n_not_found_zh);
    strv_free(d->notes_zh, d->n_notes_zh);
    free(d->source);
    free(d);
}

void scan_add_fact(struct scan *scan, const char *name, const char *value)
{
    facts_append(&scan->facts, &scan->n_facts, &scan->facts_cap, name, value);
}

struct env_finding *scan_add_env_finding(struct scan *scan, enum severity sev, const char *id,
                                         const char *title, const char *detail)
{
    scan->env_findings = xgrow(scan->env_findings, &scan->env_findings_cap,
                               scan->n_env_findings + 1, sizeof(*scan->env_findings));
    struct env_finding *f = &scan->env_findings[scan->n_env_findings++];
    f->severity = sev;
    f->id = xstrdup(id);
    f->title = xstrdup(title);
    f->detail = xstrdup(detail ? detail : "");
    f->title_zh = f->detail_zh = NULL;
    f->subject = NULL;
    return f;
}

void env_finding_set_zh(struct env_finding *f, const char *title_zh, const char *detail_zh)
{
    free(f->title_zh);
    free(f->detail_zh);
    f->title_zh = title_zh ? xstrdup(title_zh) : NULL;
    f->detail_zh = detail_zh ? xstrdup(detail_zh) : NULL;
}

struct cp_view *scan_add_view(struct scan *scan, const char *name, const char *target_kind,
                              const char *target)
{
    scan->views = xgrow(scan->views, &scan->views_cap, scan->n_views + 1, sizeof(struct cp_view));
    struct cp_view *v = &scan->views[scan->n_views++];
    memset(v, 0, sizeof(*v));
    v->name = xstrdup(name);
    v->target_kind = xstrdup(target_kind);
    v->target = xstrdup(target);
    return v;
}

struct cp_entry *view_add_entry(struct cp_view *view, const char *path, enum entry_kind kind)
{
    return view_insert_entry(view, view->n_entries, path, kind);
}

struct cp_entry *view_insert_entry(struct cp_view *view, size_t at, const char *path,
                                   enum entry_kind kind)
{
    view->entries =
        xgrow(view->entries, &view->entries_cap, view->n_entries + 1, sizeof(struct cp_entry));
    memmove(&view->entries[at + 1], &view->entries[at],
            (view->n_entries - at) * sizeof(struct cp_entry));
    view->n_entries++;
    struct cp_entry *e = &view->entries[at];
    memset(e, 0, sizeof(*e));
    e->path = xstrdup(path);
    e->kind = kind;
    e->duplicate_of = -1;
    e->via = -1;
    e->order_group = view_new_group(view);
    e->order_defined = true;
    return e;
}

void view_remove_entry(struct cp_view *view, size_t at)
{
    entry_free(&view->entries[at]);
    memmove(&view->entries[at], &view->entries[at + 1],
            (view->n_entries - at - 1) * sizeof(struct cp_entry));
    view->n_entries--;
}

void view_move_entry(struct cp_view *view, size_t from, size_t to)
{
    struct cp_entry moved = view->entries[from];
    memmove(&view->entries[to + 1], &view->entries[to], (from - to) * sizeof(struct cp_entry));
    view->entries[to] = moved;
}

int view_new_group(struct cp_view *view)
{
    return view->next_group++;
}

void scan_add_problem(struct scan *scan, enum severity sev, const char *path, const char *message)
{
    scan_add_problem_zh(scan, sev, path, message, NULL);
}

void scan_add_problem_zh(struct scan *scan, enum severity sev, const char *path,
                         const char *message, const char *message_zh)
{
    scan->problems =
        xgrow(scan->problems, &scan->problems_cap, scan->n_problems + 1, sizeof(struct problem));
    struct problem *p = &scan->problems[scan->n_problems++];
    p->severity = sev;
    p->path = xstrdup(path ? path : "");
    p->message = xstrdup(message);
    p->message_zh = message_zh ? xstrdup(message_zh) : NULL;
}

void scan_count_severities(const struct scan *scan, size_t counts[SEV_COUNT])
{
    memset(counts, 0, sizeof(size_t) * SEV_COUNT);
    struct finding_list findings = {0};
    findings_collect(scan, &findings);
    for (size_t i = 0; i < findings.n; i++)
        if (finding_counted(&findings.items[i]))
            counts[findings.items[i].severity]++;
    finding_list_clear(&findings);
}

void scan_totals(const struct scan *scan, size_t *entries, size_t *classes)
{
    *entries = *classes = 0;
    for (size_t v = 0; v < scan->n_views; v++) {
        *entries += scan->views[v].n_entries;
        for (size_t i = 0; i < scan->views[v].n_entries; i++)
            *classes += scan->views[v].entries[i].class_count;
    }
}

int scan_max_severity(const struct scan *scan)
{
    struct finding_list findings = {0};
    findings_collect(scan, &findings);
    int top = findings_max_severity(&findings);
    finding_list_clear(&findings);
    return top;
}
