/*
 * report_json.c - render a scan as the JSON report (see report_json.h).
 * Field names and shapes are the contract with the platform: change them
 * only together with docs/report.schema.json and its schema_version.
 *
 * The report is described once, as a walk over the scan that calls a jsonw writer
 * (jsonout.h): `scan --json` streams it straight to text (no tree: a big classpath's report
 * is ~150,000 values), report_json_build gets the same walk as a jansson tree. Each *_out
 * function writes one value under `key` (NULL inside an array).
 */
#include "report_json.h"
#include "report_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "facttext.h"
#include "jsonout.h"
#include "logmodel.h"
#include "rules.h"
#include "util.h"
#include "finding.h"
#include "incident.h"
#include "verdict.h"

json_t *report_json_text(const char *s)
{
    if (!s)
        return json_null();
    size_t len = strlen(s);
    if (utf8_valid(s, len))
        return json_stringn(s, len);
    char *repaired = jsonout_repair_utf8(s, len, &len);
    json_t *j = json_stringn(repaired, len);
    free(repaired);
    return j;
}

/* An index, or null when negative (none). */
static void index_out(struct jsonw *w, const char *key, long long index)
{
    if (index >= 0)
        jsonw_int(w, key, (json_int_t)index);
    else
        jsonw_null(w, key);
}

static void strings_out(struct jsonw *w, const char *key, char *const *items, size_t n)
{
    jsonw_array(w, key);
    for (size_t i = 0; i < n; i++)
        jsonw_text(w, NULL, items[i]);
    jsonw_end(w);
}

static void entry_list_out(struct jsonw *w, const char *key, const size_t *ids, size_t n)
{
    jsonw_array(w, key);
    for (size_t i = 0; i < n; i++)
        jsonw_int(w, NULL, (json_int_t)ids[i]);
    jsonw_end(w);
}

static void path_list_out(struct jsonw *w, const char *key, const struct cp_view *v,
                          const size_t *ids, size_t n)
{
    jsonw_array(w, key);
    for (size_t i = 0; i < n; i++)
        jsonw_text(w, NULL, v->entries[ids[i]].path);
    jsonw_end(w);
}

/* A `zh_key` member ("title_zh", ...) when the text has a Chinese form (messages.h), so the
 * web UI can show a Chinese page; absent otherwise. */
static void zh_out(struct jsonw *w, const char *zh_key, const char *zh)
{
    if (zh)
        jsonw_text(w, zh_key, zh);
}

/* {name: value} in order. A name given twice keeps its first place and takes its last
 * value, as a jansson object does when a member is set again. */
static void facts_out(struct jsonw *w, const char *key, const struct fact *facts, size_t n)
{
    jsonw_object(w, key);
    for (size_t i = 0; i < n; i++) {
        const char *name = facts[i].name;
        bool seen = false;
        for (size_t k = 0; k < i && !seen && name; k++)
            seen = facts[k].name && strcmp(facts[k].name, name) == 0;
        if (seen)
            continue;
        size_t last = i;
        for (size_t k = i + 1; k < n && name; k++)
            if (facts[k].name && strcmp(facts[k].name, name) == 0)
                last = k;
        jsonw_text(w, name, facts[last].value);
    }
    jsonw_end(w);
}

static void artifact_out(struct jsonw *w, const char *key, const struct artifact *a)
{
    jsonw_object(w, key);
    jsonw_text(w, "group", a->group);
    jsonw_text(w, "name", a->name);
    jsonw_text(w, "version", a->version);
    jsonw_text(w, "evidence", evidence_name(a->evidence));
    jsonw_text(w, "source", a->source);
    jsonw_end(w);
}

static void entry_out(struct jsonw *w, const struct cp_entry *e, size_t index)
{
    jsonw_object(w, NULL);
    jsonw_int(w, "index", (json_int_t)index);
    jsonw_text(w, "path", e->path);
    jsonw_text(w, "real_path", e->real_path);
    jsonw_text(w, "listed_as", e->listed_as);
    jsonw_text(w, "origin", e->origin);
    jsonw_text(w, "kind", entry_kind_name(e->kind));
    jsonw_text(w, "status", entry_status_name(e->status));
    jsonw_text(w, "problem", e->problem);
    index_out(w, "duplicate_of", e->duplicate_of);
    jsonw_int(w, "order_group", e->order_group);
    jsonw_bool(w, "order_defined", e->order_defined);
    jsonw_int(w, "classes", (json_int_t)e->class_count);
    jsonw_int(w, "zip_entries", (json_int_t)e->entry_count);
    jsonw_bool(w, "multi_release", e->multi_release);
    jsonw_text(w, "main_class", e->main_class);
    artifact_out(w, "artifact", &e->artifact);
    jsonw_array(w, "embedded");
    for (size_t i = 0; i < e->n_embedded; i++)
        artifact_out(w, NULL, &e->embedded[i]);
    jsonw_end(w);
    jsonw_text(w, "sha256", e->sha256[0] ? e->sha256 : NULL);
    jsonw_end(w);
}

static void view_out(struct jsonw *w, const struct cp_view *v, size_t id)
{
    jsonw_object(w, NULL);
    jsonw_int(w, "id", (json_int_t)id);
    jsonw_text(w, "name", v->name);
    jsonw_text(w, "target_kind", v->target_kind);
    jsonw_text(w, "target", v->target);
    jsonw_text(w, "note", v->note);
    zh_out(w, "note_zh", v->note_zh);
    jsonw_array(w, "entries");
    for (size_t i = 0; i < v->n_entries; i++)
        entry_out(w, &v->entries[i], i);
    jsonw_end(w);
    jsonw_end(w);
}

static void duplicate_out(struct jsonw *w, const struct scan *scan, const struct dup_artifact *d)
{
    const struct cp_view *v = &scan->views[d->view];
    jsonw_object(w, NULL);
    jsonw_int(w, "view", (json_int_t)d->view);
    jsonw_text(w, "key", d->key);
    jsonw_text(w, "severity", severity_name(d->severity));
    jsonw_bool(w, "versions_differ", d->versions_differ);
    jsonw_text(w, "title", d->title);
    jsonw_array(w, "copies");
    for (size_t i = 0; i < d->n; i++) {
        jsonw_object(w, NULL);
        jsonw_int(w, "entry", (json_int_t)d->entries[i]);
        jsonw_text(w, "path", v->entries[d->entries[i]].path);
        jsonw_text(w, "version", d->versions[i]);
        jsonw_bool(w, "shaded", d->shaded[i]);
        jsonw_end(w);
    }
    jsonw_end(w);
    zh_out(w, "title_zh", d->title_zh);
    jsonw_end(w);
}

/* [{class, crc: [...], size: [...]}], the arrays aligned with the conflict's entries; a crc
 * is null when that copy could not be read. */
static void class_copies_out(struct jsonw *w, const char *key, const struct class_conflict *c)
{
    jsonw_array(w, key);
    for (size_t i = 0; i < c->n_copied_classes; i++) {
        const struct conflict_class *cc = &c->copied_classes[i];
        jsonw_object(w, NULL);
        jsonw_text(w, "class", cc->name);
        jsonw_array(w, "crc");
        for (size_t k = 0; k < c->n_entries; k++) {
            if (cc->copies[k].crc_known)
                jsonw_int(w, NULL, cc->copies[k].crc);
            else
                jsonw_null(w, NULL);
        }
        jsonw_end(w);
        jsonw_array(w, "size");
        for (size_t k = 0; k < c->n_entries; k++)
            jsonw_int(w, NULL, (json_int_t)cc->copies[k].size);
        jsonw_end(w);
        jsonw_end(w);
    }
    jsonw_end(w);
}

static void conflict_out(struct jsonw *w, const struct scan *scan, const struct class_conflict *c)
{
    const struct cp_view *v = &scan->views[c->view];
    size_t n_differing = c->n_differing_classes < REPORT_MAX_DIFFERING_CLASSES
                             ? c->n_differing_classes
                             : REPORT_MAX_DIFFERING_CLASSES;
    jsonw_object(w, NULL);
    jsonw_int(w, "view", (json_int_t)c->view);
    jsonw_text(w, "severity", severity_name(c->severity));
    jsonw_text(w, "title", c->title);
    zh_out(w, "title_zh", c->title_zh);
    entry_list_out(w, "entries", c->entries, c->n_entries);
    path_list_out(w, "paths", v, c->entries, c->n_entries);
    jsonw_int(w, "shared", (json_int_t)c->shared);
    jsonw_int(w, "identical", (json_int_t)c->identical);
    jsonw_int(w, "differing", (json_int_t)c->differing);
    jsonw_int(w, "unknown", (json_int_t)c->unknown);
    index_out(w, "winner", c->winner);
    jsonw_text(w, "winner_path", c->winner >= 0 ? v->entries[c->winner].path : NULL);
    jsonw_bool(w, "winner_undefined", c->winner_undefined);
    strings_out(w, "differing_classes", c->differing_classes, n_differing);
    jsonw_int(w, "differing_classes_total", (json_int_t)c->n_differing_classes);
    strings_out(w, "sample_classes", c->sample_classes, c->n_sample_classes);
    strings_out(w, "identical_classes", c->identical_classes, c->n_identical_classes);
    class_copies_out(w, "class_copies", c);
    jsonw_bool(w, "classes_truncated", c->classes_truncated);
    jsonw_end(w);
}

static void hint_out(struct jsonw *w, const struct scan *scan, const struct hint_finding *h)
{
    const struct cp_view *v = &scan->views[h->view];
    jsonw_object(w, NULL);
    jsonw_int(w, "view", (json_int_t)h->view);
    jsonw_text(w, "id", h->id);
    jsonw_text(w, "severity", severity_name(h->severity));
    jsonw_text(w, "title", h->title);
    jsonw_text(w, "hint", h->hint);
    entry_list_out(w, "entries", h->entries, h->n_entries);
    path_list_out(w, "paths", v, h->entries, h->n_entries);
    zh_out(w, "title_zh", h->title_zh);
    zh_out(w, "hint_zh", h->hint_zh);
    jsonw_end(w);
}

static void summary_out(struct jsonw *w, const char *key, const struct scan *scan,
                        const struct diagnosis *d)
{
    size_t counts[SEV_COUNT] = {0};
    for (size_t i = 0; i < d->findings.n; i++)
        if (finding_counted(&d->findings.items[i]))
            counts[d->findings.items[i].severity]++;
    size_t entries, classes;
    scan_totals(scan, &entries, &classes);
    jsonw_object(w, key);
    jsonw_int(w, "critical", (json_int_t)counts[SEV_CRITICAL]);
    jsonw_int(w, "error", (json_int_t)counts[SEV_ERROR]);
    jsonw_int(w, "warning", (json_int_t)counts[SEV_WARNING]);
    jsonw_int(w, "info", (json_int_t)counts[SEV_INFO]);
    jsonw_int(w, "views", (json_int_t)scan->n_views);
    jsonw_int(w, "entries", (json_int_t)entries);
    jsonw_int(w, "classes", (json_int_t)classes);
    jsonw_text(w, "verdict", d->verdict.text);
    jsonw_end(w);
}

/* What the accept file and the baseline set aside (accept.h): findings listed but not in the
 * summary's totals. */
static void set_aside_out(struct jsonw *w, const char *key, const struct scan *scan,
                          const struct diagnosis *d)
{
    size_t accepted = 0, baseline = 0;
    for (size_t i = 0; i < d->findings.n; i++) {
        const struct finding *f = &d->findings.items[i];
        if (f->kind == FINDING_CORRELATION)
            continue;
        accepted += f->accepted;
        baseline += !f->accepted && f->baseline;
    }
    const struct accept_set *a = scan->accept;
    jsonw_object(w, key);
    jsonw_text(w, "accept_file", a ? a->path : NULL);
    jsonw_int(w, "accepted", (json_int_t)accepted);
    if (a && a->baseline_scan)
        jsonw_int(w, "baseline_scan", (json_int_t)a->baseline_scan);
    else
        jsonw_null(w, "baseline_scan");
    jsonw_int(w, "baseline", (json_int_t)baseline);
    jsonw_end(w);
}

static void problem_out(struct jsonw *w, const struct problem *p)
{
    jsonw_object(w, NULL);
    jsonw_text(w, "severity", severity_name(p->severity));
    jsonw_text(w, "path", p->path);
    jsonw_text(w, "message", p->message);
    zh_out(w, "message_zh", p->message_zh);
    jsonw_end(w);
}

static void correlation_out(struct jsonw *w, const struct scan *scan, const struct correlation *c)
{
    const struct cp_view *v = &scan->views[c->view];
    jsonw_object(w, NULL);
    jsonw_text(w, "class", c->class_name);
    jsonw_int(w, "view", (json_int_t)c->view);
    entry_list_out(w, "entries", c->entries, c->n_entries);
    path_list_out(w, "paths", v, c->entries, c->n_entries);
    index_out(w, "winner", c->winner);
    jsonw_bool(w, "winner_undefined", c->winner_undefined);
    jsonw_bool(w, "copies_differ", c->copies_differ);
    entry_list_out(w, "package_entries", c->package_entries, c->n_package_entries);
    jsonw_text(w, "text", c->text);
    zh_out(w, "text_zh", c->text_zh);
    jsonw_end(w);
}

static void log_finding_out(struct jsonw *w, const struct scan *scan, size_t index)
{
    const struct log_finding *f = &scan->logs->findings[index];
    jsonw_object(w, NULL);
    jsonw_text(w, "rule", f->rule_id);
    jsonw_text(w, "severity", severity_name(f->severity));
    jsonw_text(w, "category", f->category);
    jsonw_text(w, "title", f->title);
    jsonw_text(w, "hint", f->hint);
    zh_out(w, "title_zh", f->title_zh);
    zh_out(w, "hint_zh", f->hint_zh);
    jsonw_text(w, "signature", f->signature);
    jsonw_int(w, "count", (json_int_t)f->count);
    jsonw_text(w, "first_seen", f->first_seen);
    jsonw_text(w, "last_seen", f->last_seen);
    jsonw_text(w, "file", f->file);
    jsonw_int(w, "line", (json_int_t)f->line);
    jsonw_text(w, "root_cause", f->root_cause);
    jsonw_text(w, "class", f->class_name);
    jsonw_text(w, "sample", f->sample);
    jsonw_bool(w, "sample_truncated", f->truncated);
    jsonw_text(w, "impact", impact_name(f->impact));
    facts_out(w, "facts", f->facts, f->n_facts);
    jsonw_array(w, "locations");
    for (size_t i = 0; i < f->n_locations; i++) {
        jsonw_object(w, NULL);
        jsonw_text(w, "file", f->locations[i].file);
        jsonw_int(w, "line", (json_int_t)f->locations[i].line);
        jsonw_text(w, "timestamp", f->locations[i].timestamp);
        jsonw_end(w);
    }
    jsonw_end(w);
    jsonw_array(w, "correlations");
    for (size_t i = 0; i < scan->n_correlations; i++)
        if (scan->correlations[i].finding == index)
            correlation_out(w, scan, &scan->correlations[i]);
    jsonw_end(w);
    jsonw_end(w);
}

static void log_file_out(struct jsonw *w, const struct log_file *f)
{
    jsonw_object(w, NULL);
    jsonw_text(w, "path", f->path);
    jsonw_text(w, "kind", log_kind_name(f->kind));
    jsonw_bool(w, "compressed", f->compressed);
    jsonw_text(w, "format", log_format_name(f->format));
    jsonw_int(w, "bytes", (json_int_t)f->bytes);
    jsonw_int(w, "lines", (json_int_t)f->lines);
    jsonw_int(w, "events", (json_int_t)f->events);
    jsonw_int(w, "truncated_events", (json_int_t)f->truncated_events);
    jsonw_int(w, "long_lines", (json_int_t)f->long_lines);
    jsonw_bool(w, "complete", f->complete);
    jsonw_int(w, "skipped_events", (json_int_t)f->skipped_events);
    jsonw_int(w, "start_offset", (json_int_t)f->start_offset);
    if (f->last_start) {
        jsonw_object(w, "last_start");
        jsonw_int(w, "line", (json_int_t)f->last_start_line);
        jsonw_text(w, "text", f->last_start);
        jsonw_end(w);
    } else {
        jsonw_null(w, "last_start");
    }
    strings_out(w, "tail", f->tail, f->n_tail);
    jsonw_end(w);
}

static void logs_out(struct jsonw *w, const char *key, const struct scan *scan)
{
    const struct log_report *logs = scan->logs;
    if (!logs) {
        jsonw_null(w, key);
        return;
    }
    jsonw_object(w, key);
    jsonw_array(w, "files");
    for (size_t i = 0; i < logs->n_files; i++)
        log_file_out(w, &logs->files[i]);
    jsonw_end(w);
    jsonw_array(w, "findings");
    for (size_t i = 0; i < logs->n_findings; i++)
        log_finding_out(w, scan, i);
    jsonw_end(w);
    jsonw_int(w, "dropped_findings", (json_int_t)logs->dropped_findings);
    jsonw_array(w, "problems");
    for (size_t i = 0; i < logs->n_problems; i++)
        problem_out(w, &logs->problems[i]);
    jsonw_end(w);
    jsonw_end(w);
}

static void service_out(struct jsonw *w, const struct service *s)
{
    jsonw_object(w, NULL);
    jsonw_text(w, "name", s->name);
    jsonw_text(w, "kind", s->kind);
    jsonw_text(w, "origin", s->origin);
    zh_out(w, "origin_zh", s->origin_zh);
    if (s->pid)
        jsonw_int(w, "pid", s->pid);
    else
        jsonw_null(w, "pid");
    jsonw_bool(w, "running", s->pid != 0);
    jsonw_text(w, "command", s->command);
    strings_out(w, "evidence", s->evidence, s->n_evidence);
    if (s->n_evidence_zh == s->n_evidence) /* scans stored before it have none */
        strings_out(w, "evidence_zh", s->evidence_zh, s->n_evidence_zh);
    entry_list_out(w, "views", s->views, s->n_views);
    strings_out(w, "logs", s->logs, s->n_logs);
    jsonw_end(w);
}

static void discovery_out(struct jsonw *w, const char *key, const struct scan *scan)
{
    const struct discovery *d = scan->discovery;
    if (!d) {
        jsonw_null(w, key);
        return;
    }
    jsonw_object(w, key);
    jsonw_text(w, "source", d->source);
    jsonw_array(w, "services");
    for (size_t i = 0; i < d->n_services; i++)
        service_out(w, &d->services[i]);
    jsonw_end(w);
    strings_out(w, "not_found", d->not_found, d->n_not_found);
    strings_out(w, "notes", d->notes, d->n_notes);
    /* in Chinese too (one for each); scans stored before them have none */
    if (d->n_not_found_zh == d->n_not_found && d->n_notes_zh == d->n_notes) {
        strings_out(w, "not_found_zh", d->not_found_zh, d->n_not_found_zh);
        strings_out(w, "notes_zh", d->notes_zh, d->n_notes_zh);
    }
    jsonw_end(w);
}

static void environment_out(struct jsonw *w, const char *key, const struct scan *scan)
{
    jsonw_object(w, key);
    jsonw_array(w, "facts");
    for (size_t i = 0; i < scan->n_facts; i++) {
        jsonw_object(w, NULL);
        jsonw_text(w, "name", scan->facts[i].name);
        jsonw_text(w, "value", scan->facts[i].value);
        char *name_zh = fact_name_text(scan->facts[i].name, LANG_ZH);
        char *value_zh = fact_value_text(scan->facts[i].value, LANG_ZH);
        jsonw_text(w, "name_zh", name_zh);
        jsonw_text(w, "value_zh", value_zh);
        free(name_zh);
        free(value_zh);
        jsonw_end(w);
    }
    jsonw_end(w);
    jsonw_array(w, "findings");
    for (size_t i = 0; i < scan->n_env_findings; i++) {
        const struct env_finding *f = &scan->env_findings[i];
        jsonw_object(w, NULL);
        jsonw_text(w, "id", f->id);
        jsonw_text(w, "severity", severity_name(f->severity));
        jsonw_text(w, "title", f->title);
        jsonw_text(w, "detail", f->detail);
        jsonw_text(w, "subject", f->subject);
        zh_out(w, "title_zh", f->title_zh);
        zh_out(w, "detail_zh", f->detail_zh);
        jsonw_end(w);
    }
    jsonw_end(w);
    jsonw_end(w);
}

static void finding_out(struct jsonw *w, const struct finding_list *list, const struct finding *f)
{
    jsonw_object(w, NULL);
    jsonw_text(w, "id", f->id);
    jsonw_text(w, "kind", finding_kind_name(f->kind));
    jsonw_text(w, "severity", severity_name(f->severity));
    jsonw_text(w, "impact", impact_name(f->impact));
    jsonw_text(w, "rule", f->rule);
    jsonw_text(w, "key", f->key);
    jsonw_text(w, "title", f->title);
    jsonw_text(w, "detail", f->detail);
    jsonw_text(w, "hint", f->hint);
    zh_out(w, "title_zh", f->title_zh);
    zh_out(w, "detail_zh", f->detail_zh);
    zh_out(w, "hint_zh", f->hint_zh);
    jsonw_text(w, "view", f->view);
    jsonw_int(w, "source", (json_int_t)f->source);
    jsonw_text(w, "of", f->kind == FINDING_CORRELATION ? list->items[f->of].id : NULL);
    jsonw_bool(w, "counted", finding_counted(f));
    jsonw_bool(w, "accepted", f->accepted);
    jsonw_text(w, "accepted_reason", f->accepted_reason);
    jsonw_bool(w, "baseline", f->baseline);
    facts_out(w, "facts", f->facts, f->n_facts);
    jsonw_array(w, "evidence");
    for (size_t i = 0; i < f->n_evidence; i++) {
        const struct finding_evidence *e = &f->evidence[i];
        jsonw_object(w, NULL);
        jsonw_text(w, "kind", evidence_kind_name(e->kind));
        jsonw_text(w, "path", e->path);
        if (e->line)
            jsonw_int(w, "line", (json_int_t)e->line);
        else
            jsonw_null(w, "line");
        jsonw_text(w, "detail", e->detail);
        zh_out(w, "detail_zh", e->detail_zh);
        jsonw_end(w);
    }
    jsonw_end(w);
    jsonw_end(w);
}

static void incident_out(struct jsonw *w, const struct finding_list *list,
                         const struct incident *inc)
{
    jsonw_object(w, NULL);
    jsonw_text(w, "id", inc->id);
    jsonw_text(w, "subject", incident_subject_name(inc->subject));
    jsonw_text(w, "name", inc->name);
    jsonw_text(w, "what", inc->what);
    zh_out(w, "what_zh", inc->what_zh);
    jsonw_text(w, "impact", impact_name(inc->impact));
    jsonw_text(w, "severity", severity_name(inc->severity));
    jsonw_text(w, "cause", list->items[inc->cause].id);
    jsonw_text(w, "cause_text", inc->cause_text);
    jsonw_text(w, "hint", inc->hint);
    zh_out(w, "cause_text_zh", inc->cause_text_zh);
    zh_out(w, "hint_zh", inc->hint_zh);
    jsonw_array(w, "findings");
    for (size_t i = 0; i < inc->n_findings; i++)
        jsonw_text(w, NULL, list->items[inc->findings[i]].id);
    jsonw_end(w);
    /* when it happened, for the services' start timeline (docs/state.md) */
    index_out(w, "first_seen_ms", inc->first_ms);
    index_out(w, "last_seen_ms", inc->last_ms);
    jsonw_end(w);
}

static void verdict_out(struct jsonw *w, const char *key, const struct diagnosis *d)
{
    jsonw_object(w, key);
    jsonw_text(w, "text", d->verdict.text);
    jsonw_array(w, "incidents");
    for (size_t i = 0; i < d->verdict.n_incidents; i++)
        jsonw_text(w, NULL, d->verdict.incident_ids[i]);
    jsonw_end(w);
    zh_out(w, "text_zh", d->verdict.text_zh);
    jsonw_end(w);
}

static void scan_meta_out(struct jsonw *w, const char *key, const struct scan *scan)
{
    jsonw_object(w, key);
    jsonw_text(w, "started", scan->started);
    jsonw_text(w, "finished", scan->finished);
    jsonw_int(w, "duration_ms", (json_int_t)scan->duration_ms);
    jsonw_text(w, "host", scan->host);
    jsonw_end(w);
}

/* The whole report, in the order of docs/report.schema.json. */
static void report_out(struct jsonw *w, const struct scan *scan, const struct diagnosis *given)
{
    struct diagnosis own = {0};
    if (!given)
        diagnosis_build(scan, &own);
    const struct diagnosis *d = given ? given : &own;
    jsonw_object(w, NULL);
    jsonw_int(w, "schema_version", WR_SCHEMA_VERSION);
    jsonw_text(w, "wrench_version", WR_VERSION);
    scan_meta_out(w, "scan", scan);
    summary_out(w, "summary", scan, d);
    verdict_out(w, "verdict", d);
    jsonw_array(w, "incidents");
    for (size_t i = 0; i < d->incidents.n; i++)
        incident_out(w, &d->findings, &d->incidents.items[i]);
    jsonw_end(w);
    jsonw_array(w, "findings");
    for (size_t i = 0; i < d->findings.n; i++)
        finding_out(w, &d->findings, &d->findings.items[i]);
    jsonw_end(w);
    jsonw_array(w, "views");
    for (size_t i = 0; i < scan->n_views; i++)
        view_out(w, &scan->views[i], i);
    jsonw_end(w);
    jsonw_array(w, "duplicates");
    for (size_t i = 0; i < scan->n_dups; i++)
        duplicate_out(w, scan, &scan->dups[i]);
    jsonw_end(w);
    jsonw_array(w, "conflicts");
    for (size_t i = 0; i < scan->n_conflicts; i++)
        conflict_out(w, scan, &scan->conflicts[i]);
    jsonw_end(w);
    jsonw_array(w, "hints");
    for (size_t i = 0; i < scan->n_hints; i++)
        hint_out(w, scan, &scan->hints[i]);
    jsonw_end(w);
    jsonw_array(w, "problems");
    for (size_t i = 0; i < scan->n_problems; i++)
        problem_out(w, &scan->problems[i]);
    jsonw_end(w);
    logs_out(w, "logs", scan);
    discovery_out(w, "discovery", scan);
    environment_out(w, "environment", scan);
    set_aside_out(w, "set_aside", scan, d);
    /* the services' state is rendered by report_state.c */
    jsonw_json(w, "services", report_state_json(scan));
    jsonw_end(w);
    diagnosis_clear(&own);
}

json_t *report_json_build(const struct scan *scan)
{
    struct jsonw w;
    jsonw_begin_tree(&w);
    report_out(&w, scan, NULL);
    return jsonw_end_tree(&w);
}

/* WRENCH_REPORT_CHECK (tests): the streamed text against jansson's own json_dumps of the
 * tree; a difference is said on stderr and the tree's text is used. */
static char *checked_against_tree(const struct scan *scan, char *text, const char *mode)
{
    json_t *root = report_json_build(scan);
    char *dumped = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    char *want = dumped ? xasprintf("%s\n", dumped) : xstrdup("{}\n");
    free(dumped);
    if (strcmp(text, want) != 0) {
        size_t at = 0;
        while (text[at] && text[at] == want[at])
            at++;
        fprintf(stderr, "wrench: WRENCH_REPORT_CHECK: report writers differ at byte %zu\n", at);
        free(text);
        return want;
    }
    if (strcmp(mode, "2") == 0)
        fprintf(stderr, "wrench: WRENCH_REPORT_CHECK: report writers agree on %zu bytes\n",
                strlen(text));
    free(want);
    return text;
}

char *report_json_dump(const struct scan *scan)
{
    /* jansson's bytes for the tree, written as the walk goes (jsonout.h) */
    struct jsonw w;
    jsonw_begin_text(&w, 2);
    report_out(&w, scan, NULL);
    char *out = jsonw_end_text(&w, "\n");
    if (!out) { /* something only jansson can decide: let it */
        json_t *root = report_json_build(scan);
        out = jsonout_dumps(root, 2, "\n");
        json_decref(root);
    }
    if (!out)
        out = xstrdup("{}\n");
    const char *check = getenv("WRENCH_REPORT_CHECK");
    return check && *check ? checked_against_tree(scan, out, check) : out;
}

int report_json_write(const struct scan *scan, const struct diagnosis *d, FILE *out)
{
    const char *check = getenv("WRENCH_REPORT_CHECK");
    if (check && *check) { /* the streamed text, gathered in memory to be checked */
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (!mem)
            return -1;
        struct jsonw w;
        jsonw_begin_stream(&w, 2, mem);
        report_out(&w, scan, d);
        int streamed = jsonw_end_stream(&w, "\n");
        fclose(mem);
        if (streamed != 0) {
            free(text);
            text = report_json_dump(scan);
        } else {
            text = checked_against_tree(scan, text, check);
        }
        int rc = fputs(text, out) < 0 || fflush(out) != 0 ? -1 : 0;
        free(text);
        return rc;
    }
    struct jsonw w;
    jsonw_begin_stream(&w, 2, out);
    report_out(&w, scan, d);
    return jsonw_end_stream(&w, "\n");
}

json_t *rules_json(const struct rule_set *set)
{
    json_t *list = json_array();
    for (size_t i = 0; i < set->n_rules; i++) {
        const struct log_rule *r = &set->rules[i];
        json_array_append_new(
            list,
            json_pack("{s:o, s:s, s:o, s:o, s:o, s:o}", "id", report_json_text(r->id), "severity",
                      severity_name(r->severity), "category", report_json_text(r->category),
                      "title", report_json_text(r->title), "hint", report_json_text(r->hint),
                      "origin", report_json_text(r->origin)));
    }
    return json_pack("{s:o}", "rules", list);
}
