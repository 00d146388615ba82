/*
 * report_json.c - render a scan as the JSON report (see report_json.h).
 * Field names and shapes are the contract with the platform: change them
 * only together with docs/report.schema.json and its schema_version.
 */
#include "report_json.h"
#include "report_state.h"

#include <stdlib.h>
#include <string.h>

#include "accept.h"
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
    struct strbuf sb = {0};
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        while (n <= 4 && i + n <= len && !utf8_valid(s + i, n))
            n++;
        if (n <= 4 && i + n <= len) {
            strbuf_append(&sb, s + i, n);
            i += n;
        } else {
            strbuf_puts(&sb, "\xEF\xBF\xBD");
            i++;
        }
    }
    json_t *j = json_stringn(sb.data ? sb.data : "", sb.len);
    strbuf_free(&sb);
    return j;
}

static json_t *artifact_json(const struct artifact *a)
{
    return json_pack("{s:o, s:o, s:o, s:s, s:o}", "group", report_json_text(a->group), "name",
                     report_json_text(a->name), "version", report_json_text(a->version), "evidence",
                     evidence_name(a->evidence), "source", report_json_text(a->source));
}

static json_t *entry_json(const struct cp_entry *e, size_t index)
{
    json_t *embedded = json_array();
    for (size_t i = 0; i < e->n_embedded; i++)
        json_array_append_new(embedded, artifact_json(&e->embedded[i]));
    json_t *j = json_object();
    json_object_set_new(j, "index", json_integer((json_int_t)index));
    json_object_set_new(j, "path", report_json_text(e->path));
    json_object_set_new(j, "real_path", report_json_text(e->real_path));
    json_object_set_new(j, "listed_as", report_json_text(e->listed_as));
    json_object_set_new(j, "origin", report_json_text(e->origin));
    json_object_set_new(j, "kind", json_string(entry_kind_name(e->kind)));
    json_object_set_new(j, "status", json_string(entry_status_name(e->status)));
    json_object_set_new(j, "problem", report_json_text(e->problem));
    json_object_set_new(j, "duplicate_of",
                        e->duplicate_of >= 0 ? json_integer(e->duplicate_of) : json_null());
    json_object_set_new(j, "order_group", json_integer(e->order_group));
    json_object_set_new(j, "order_defined", json_boolean(e->order_defined));
    json_object_set_new(j, "classes", json_integer((json_int_t)e->class_count));
    json_object_set_new(j, "zip_entries", json_integer((json_int_t)e->entry_count));
    json_object_set_new(j, "multi_release", json_boolean(e->multi_release));
    json_object_set_new(j, "main_class", report_json_text(e->main_class));
    json_object_set_new(j, "artifact", artifact_json(&e->artifact));
    json_object_set_new(j, "embedded", embedded);
    json_object_set_new(j, "sha256", e->sha256[0] ? json_string(e->sha256) : json_null());
    return j;
}

static json_t *view_json(const struct cp_view *v, size_t id)
{
    json_t *entries = json_array();
    for (size_t i = 0; i < v->n_entries; i++)
        json_array_append_new(entries, entry_json(&v->entries[i], i));
    return json_pack("{s:I, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)id, "name",
                     report_json_text(v->name), "target_kind", v->target_kind, "target",
                     report_json_text(v->target), "note", report_json_text(v->note), "entries",
                     entries);
}

static json_t *entry_list(const size_t *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)ids[i]));
    return a;
}

static json_t *path_list(const struct cp_view *v, const size_t *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, report_json_text(v->entries[ids[i]].path));
    return a;
}

static json_t *string_list(char *const *items, size_t n, size_t max)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n && i < max; i++)
        json_array_append_new(a, report_json_text(items[i]));
    return a;
}

/* "title_zh" and "hint_zh" next to "title" and "hint" when the rule or hint has them, so the
 * web UI can show a Chinese page; absent otherwise. */
static void set_chinese(json_t *j, const char *title_zh, const char *hint_zh)
{
    if (title_zh)
        json_object_set_new(j, "title_zh", report_json_text(title_zh));
    if (hint_zh)
        json_object_set_new(j, "hint_zh", report_json_text(hint_zh));
}

/* `field`_zh next to `field` when the text has a Chinese form (messages.h). */
static void set_zh(json_t *j, const char *field, const char *zh)
{
    if (zh) {
        char *name = xasprintf("%s_zh", field);
        json_object_set_new(j, name, report_json_text(zh));
        free(name);
    }
}

static json_t *duplicate_json(const struct scan *scan, const struct dup_artifact *d)
{
    const struct cp_view *v = &scan->views[d->view];
    json_t *copies = json_array();
    for (size_t i = 0; i < d->n; i++)
        json_array_append_new(
            copies, json_pack("{s:I, s:o, s:o, s:b}", "entry", (json_int_t)d->entries[i], "path",
                              report_json_text(v->entries[d->entries[i]].path), "version",
                              report_json_text(d->versions[i]), "shaded", d->shaded[i]));
    json_t *j = json_pack("{s:I, s:o, s:s, s:b, s:o, s:o}", "view", (json_int_t)d->view, "key",
                          report_json_text(d->key), "severity", severity_name(d->severity),
                          "versions_differ", d->versions_differ, "title",
                          report_json_text(d->title), "copies", copies);
    set_zh(j, "title", d->title_zh);
    return j;
}

/* [{class, crc: [...], size: [...]}], the arrays aligned with the conflict's entries; a crc
 * is null when that copy could not be read. */
static json_t *class_copies_json(const struct class_conflict *c)
{
    json_t *list = json_array();
    for (size_t i = 0; i < c->n_copied_classes; i++) {
        const struct conflict_class *cc = &c->copied_classes[i];
        json_t *crcs = json_array(), *sizes = json_array();
        for (size_t k = 0; k < c->n_entries; k++) {
            const struct conflict_copy *copy = &cc->copies[k];
            json_array_append_new(crcs, copy->crc_known ? json_integer(copy->crc) : json_null());
            json_array_append_new(sizes, json_integer((json_int_t)copy->size));
        }
        json_array_append_new(list,
                              json_pack("{s:o, s:o, s:o}", "class", report_json_text(cc->name),
                                        "crc", crcs, "size", sizes));
    }
    return list;
}

static json_t *conflict_json(const struct scan *scan, const struct class_conflict *c)
{
    const struct cp_view *v = &scan->views[c->view];
    json_t *j = json_object();
    json_object_set_new(j, "view", json_integer((json_int_t)c->view));
    json_object_set_new(j, "severity", json_string(severity_name(c->severity)));
    json_object_set_new(j, "title", report_json_text(c->title));
    set_zh(j, "title", c->title_zh);
    json_object_set_new(j, "entries", entry_list(c->entries, c->n_entries));
    json_object_set_new(j, "paths", path_list(v, c->entries, c->n_entries));
    json_object_set_new(j, "shared", json_integer((json_int_t)c->shared));
    json_object_set_new(j, "identical", json_integer((json_int_t)c->identical));
    json_object_set_new(j, "differing", json_integer((json_int_t)c->differing));
    json_object_set_new(j, "unknown", json_integer((json_int_t)c->unknown));
    json_object_set_new(j, "winner", c->winner >= 0 ? json_integer(c->winner) : json_null());
    json_object_set_new(j, "winner_path",
                        c->winner >= 0 ? report_json_text(v->entries[c->winner].path)
                                       : json_null());
    json_object_set_new(j, "winner_undefined", json_boolean(c->winner_undefined));
    json_object_set_new(
        j, "differing_classes",
        string_list(c->differing_classes, c->n_differing_classes, REPORT_MAX_DIFFERING_CLASSES));
    json_object_set_new(j, "differing_classes_total",
                        json_integer((json_int_t)c->n_differing_classes));
    json_object_set_new(j, "sample_classes",
                        string_list(c->sample_classes, c->n_sample_classes, c->n_sample_classes));
    json_object_set_new(
        j, "identical_classes",
        string_list(c->identical_classes, c->n_identical_classes, c->n_identical_classes));
    json_object_set_new(j, "class_copies", class_copies_json(c));
    json_object_set_new(j, "classes_truncated", json_boolean(c->classes_truncated));
    return j;
}

static json_t *hint_json(const struct scan *scan, const struct hint_finding *h)
{
    const struct cp_view *v = &scan->views[h->view];
    json_t *j = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "view", (json_int_t)h->view, "id",
                          h->id, "severity", severity_name(h->severity), "title",
                          report_json_text(h->title), "hint", report_json_text(h->hint), "entries",
                          entry_list(h->entries, h->n_entries), "paths",
                          path_list(v, h->entries, h->n_entries));
    set_chinese(j, h->title_zh, h->hint_zh);
    return j;
}

static json_t *summary_json(const struct scan *scan, const struct diagnosis *d)
{
    size_t counts[SEV_COUNT] = {0};
    for (size_t i = 0; i < d->findings.n; i++)
        if (finding_counted(&d->findings.items[i]))
            counts[d->findings.items[i].severity]++;
    size_t entries, classes;
    scan_totals(scan, &entries, &classes);
    const char *verdict = d->verdict.text;
    json_t *j = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "critical", (json_int_t)counts[SEV_CRITICAL],
        "error", (json_int_t)counts[SEV_ERROR], "warning", (json_int_t)counts[SEV_WARNING], "info",
        (json_int_t)counts[SEV_INFO], "views", (json_int_t)scan->n_views, "entries",
        (json_int_t)entries, "classes", (json_int_t)classes, "verdict", report_json_text(verdict));
    return j;
}

/* What the accept file and the baseline set aside (accept.h): findings listed but not in the
 * summary's totals. */
static json_t *set_aside_json(const struct scan *scan, const struct diagnosis *d)
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
    json_t *j = json_object();
    json_object_set_new(j, "accept_file", report_json_text(a ? a->path : NULL));
    json_object_set_new(j, "accepted", json_integer((json_int_t)accepted));
    json_object_set_new(j, "baseline_scan",
                        a && a->baseline_scan ? json_integer((json_int_t)a->baseline_scan)
                                              : json_null());
    json_object_set_new(j, "baseline", json_integer((json_int_t)baseline));
    return j;
}

static json_t *strings_json(char *const *items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, report_json_text(items[i]));
    return a;
}

static json_t *problem_json(const struct problem *p)
{
    json_t *j = json_pack("{s:s, s:o, s:o}", "severity", severity_name(p->severity), "path",
                          report_json_text(p->path), "message", report_json_text(p->message));
    if (p->message_zh)
        json_object_set_new(j, "message_zh", report_json_text(p->message_zh));
    return j;
}

static json_t *correlation_json(const struct scan *scan, const struct correlation *c)
{
    const struct cp_view *v = &scan->views[c->view];
    json_t *j = json_object();
    json_object_set_new(j, "class", report_json_text(c->class_name));
    json_object_set_new(j, "view", json_integer((json_int_t)c->view));
    json_object_set_new(j, "entries", entry_list(c->entries, c->n_entries));
    json_object_set_new(j, "paths", path_list(v, c->entries, c->n_entries));
    json_object_set_new(j, "winner", c->winner >= 0 ? json_integer(c->winner) : json_null());
    json_object_set_new(j, "winner_undefined", json_boolean(c->winner_undefined));
    json_object_set_new(j, "copies_differ", json_boolean(c->copies_differ));
    json_object_set_new(j, "package_entries", entry_list(c->package_entries, c->n_package_entries));
    json_object_set_new(j, "text", report_json_text(c->text));
    set_zh(j, "text", c->text_zh);
    return j;
}

static json_t *log_finding_json(const struct scan *scan, size_t index)
{
    const struct log_finding *f = &scan->logs->findings[index];
    json_t *correlations = json_array();
    for (size_t i = 0; i < scan->n_correlations; i++)
        if (scan->correlations[i].finding == index)
            json_array_append_new(correlations, correlation_json(scan, &scan->correlations[i]));
    json_t *j = json_object();
    json_object_set_new(j, "rule", report_json_text(f->rule_id));
    json_object_set_new(j, "severity", json_string(severity_name(f->severity)));
    json_object_set_new(j, "category", report_json_text(f->category));
    json_object_set_new(j, "title", report_json_text(f->title));
    json_object_set_new(j, "hint", report_json_text(f->hint));
    set_chinese(j, f->title_zh, f->hint_zh);
    json_object_set_new(j, "signature", report_json_text(f->signature));
    json_object_set_new(j, "count", json_integer((json_int_t)f->count));
    json_object_set_new(j, "first_seen", report_json_text(f->first_seen));
    json_object_set_new(j, "last_seen", report_json_text(f->last_seen));
    json_object_set_new(j, "file", report_json_text(f->file));
    json_object_set_new(j, "line", json_integer((json_int_t)f->line));
    json_object_set_new(j, "root_cause", report_json_text(f->root_cause));
    json_object_set_new(j, "class", report_json_text(f->class_name));
    json_object_set_new(j, "sample", report_json_text(f->sample));
    json_object_set_new(j, "sample_truncated", json_boolean(f->truncated));
    json_object_set_new(j, "impact", json_string(impact_name(f->impact)));
    json_t *facts = json_object();
    for (size_t i = 0; i < f->n_facts; i++)
        json_object_set_new(facts, f->facts[i].name, report_json_text(f->facts[i].value));
    json_object_set_new(j, "facts", facts);
    json_t *locations = json_array();
    for (size_t i = 0; i < f->n_locations; i++)
        json_array_append_new(locations, json_pack("{s:o, s:I, s:o}", "file",
                                                   report_json_text(f->locations[i].file), "line",
                                                   (json_int_t)f->locations[i].line, "timestamp",
                                                   report_json_text(f->locations[i].timestamp)));
    json_object_set_new(j, "locations", locations);
    json_object_set_new(j, "correlations", correlations);
    return j;
}

static json_t *logs_json(const struct scan *scan)
{
    const struct log_report *logs = scan->logs;
    if (!logs)
        return json_null();
    json_t *files = json_array(), *findings = json_array(), *problems = json_array();
    for (size_t i = 0; i < logs->n_files; i++) {
        const struct log_file *f = &logs->files[i];
        json_t *j = json_object();
        json_object_set_new(j, "path", report_json_text(f->path));
        json_object_set_new(j, "kind", json_string(log_kind_name(f->kind)));
        json_object_set_new(j, "compressed", json_boolean(f->compressed));
        json_object_set_new(j, "format", json_string(log_format_name(f->format)));
        json_object_set_new(j, "bytes", json_integer((json_int_t)f->bytes));
        json_object_set_new(j, "lines", json_integer((json_int_t)f->lines));
        json_object_set_new(j, "events", json_integer((json_int_t)f->events));
        json_object_set_new(j, "truncated_events", json_integer((json_int_t)f->truncated_events));
        json_object_set_new(j, "long_lines", json_integer((json_int_t)f->long_lines));
        json_object_set_new(j, "complete", json_boolean(f->complete));
        json_object_set_new(j, "skipped_events", json_integer((json_int_t)f->skipped_events));
        json_object_set_new(j, "start_offset", json_integer((json_int_t)f->start_offset));
        json_object_set_new(j, "last_start",
                            f->last_start
                                ? json_pack("{s:I, s:o}", "line", (json_int_t)f->last_start_line,
                                            "text", report_json_text(f->last_start))
                                : json_null());
        json_object_set_new(j, "tail", strings_json(f->tail, f->n_tail));
        json_array_append_new(files, j);
    }
    for (size_t i = 0; i < logs->n_findings; i++)
        json_array_append_new(findings, log_finding_json(scan, i));
    for (size_t i = 0; i < logs->n_problems; i++)
        json_array_append_new(problems, problem_json(&logs->problems[i]));
    return json_pack("{s:o, s:o, s:I, s:o}", "files", files, "findings", findings,
                     "dropped_findings", (json_int_t)logs->dropped_findings, "problems", problems);
}

static json_t *discovery_json(const struct scan *scan)
{
    const struct discovery *d = scan->discovery;
    if (!d)
        return json_null();
    json_t *services = json_array();
    for (size_t i = 0; i < d->n_services; i++) {
        const struct service *s = &d->services[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", report_json_text(s->name));
        json_object_set_new(j, "kind", report_json_text(s->kind));
        json_object_set_new(j, "origin", report_json_text(s->origin));
        if (s->origin_zh)
            json_object_set_new(j, "origin_zh", report_json_text(s->origin_zh));
        json_object_set_new(j, "pid", s->pid ? json_integer(s->pid) : json_null());
        json_object_set_new(j, "running", json_boolean(s->pid != 0));
        json_object_set_new(j, "command", report_json_text(s->command));
        json_object_set_new(j, "evidence", strings_json(s->evidence, s->n_evidence));
        if (s->n_evidence_zh == s->n_evidence) /* scans stored before it have none */
            json_object_set_new(j, "evidence_zh", strings_json(s->evidence_zh, s->n_evidence_zh));
        json_object_set_new(j, "views", entry_list(s->views, s->n_views));
        json_object_set_new(j, "logs", strings_json(s->logs, s->n_logs));
        json_array_append_new(services, j);
    }
    json_t *j = json_pack("{s:o, s:o, s:o, s:o}", "source", report_json_text(d->source), "services",
                          services, "not_found", strings_json(d->not_found, d->n_not_found),
                          "notes", strings_json(d->notes, d->n_notes));
    /* in Chinese too (one for each); scans stored before them have none */
    if (d->n_not_found_zh == d->n_not_found && d->n_notes_zh == d->n_notes) {
        json_object_set_new(j, "not_found_zh", strings_json(d->not_found_zh, d->n_not_found_zh));
        json_object_set_new(j, "notes_zh", strings_json(d->notes_zh, d->n_notes_zh));
    }
    return j;
}

static json_t *environment_json(const struct scan *scan)
{
    json_t *facts = json_array(), *findings = json_array();
    for (size_t i = 0; i < scan->n_facts; i++)
        json_array_append_new(facts,
                              json_pack("{s:o, s:o}", "name", report_json_text(scan->facts[i].name),
                                        "value", report_json_text(scan->facts[i].value)));
    for (size_t i = 0; i < scan->n_env_findings; i++) {
        const struct env_finding *f = &scan->env_findings[i];
        json_t *j =
            json_pack("{s:o, s:s, s:o, s:o, s:o}", "id", report_json_text(f->id), "severity",
                      severity_name(f->severity), "title", report_json_text(f->title), "detail",
                      report_json_text(f->detail), "subject", report_json_text(f->subject));
        set_zh(j, "title", f->title_zh);
        set_zh(j, "detail", f->detail_zh);
        json_array_append_new(findings, j);
    }
    return json_pack("{s:o, s:o}", "facts", facts, "findings", findings);
}

static json_t *finding_json(const struct finding_list *list, const struct finding *f)
{
    json_t *facts = json_object();
    for (size_t i = 0; i < f->n_facts; i++)
        json_object_set_new(facts, f->facts[i].name, report_json_text(f->facts[i].value));
    json_t *evidence = json_array();
    for (size_t i = 0; i < f->n_evidence; i++) {
        const struct finding_evidence *e = &f->evidence[i];
        json_t *ej = json_pack("{s:s, s:o, s:o, s:o}", "kind", evidence_kind_name(e->kind), "path",
                               report_json_text(e->path), "line",
                               e->line ? json_integer((json_int_t)e->line) : json_null(), "detail",
                               report_json_text(e->detail));
        set_zh(ej, "detail", e->detail_zh);
        json_array_append_new(evidence, ej);
    }
    json_t *j = json_object();
    json_object_set_new(j, "id", report_json_text(f->id));
    json_object_set_new(j, "kind", json_string(finding_kind_name(f->kind)));
    json_object_set_new(j, "severity", json_string(severity_name(f->severity)));
    json_object_set_new(j, "impact", json_string(impact_name(f->impact)));
    json_object_set_new(j, "rule", report_json_text(f->rule));
    json_object_set_new(j, "key", report_json_text(f->key));
    json_object_set_new(j, "title", report_json_text(f->title));
    json_object_set_new(j, "detail", report_json_text(f->detail));
    json_object_set_new(j, "hint", report_json_text(f->hint));
    set_zh(j, "title", f->title_zh);
    set_zh(j, "detail", f->detail_zh);
    set_zh(j, "hint", f->hint_zh);
    json_object_set_new(j, "view", report_json_text(f->view));
    json_object_set_new(j, "source", json_integer((json_int_t)f->source));
    json_object_set_new(j, "of",
                        f->kind == FINDING_CORRELATION ? report_json_text(list->items[f->of].id)
                                                       : json_null());
    json_object_set_new(j, "counted", json_boolean(finding_counted(f)));
    json_object_set_new(j, "accepted", json_boolean(f->accepted));
    json_object_set_new(j, "accepted_reason", report_json_text(f->accepted_reason));
    json_object_set_new(j, "baseline", json_boolean(f->baseline));
    json_object_set_new(j, "facts", facts);
    json_object_set_new(j, "evidence", evidence);
    return j;
}

static json_t *incident_json(const struct finding_list *list, const struct incident *inc)
{
    json_t *members = json_array();
    for (size_t i = 0; i < inc->n_findings; i++)
        json_array_append_new(members, report_json_text(list->items[inc->findings[i]].id));
    json_t *j = json_object();
    json_object_set_new(j, "id", report_json_text(inc->id));
    json_object_set_new(j, "subject", json_string(incident_subject_name(inc->subject)));
    json_object_set_new(j, "name", report_json_text(inc->name));
    json_object_set_new(j, "what", report_json_text(inc->what));
    set_zh(j, "what", inc->what_zh);
    json_object_set_new(j, "impact", json_string(impact_name(inc->impact)));
    json_object_set_new(j, "severity", json_string(severity_name(inc->severity)));
    json_object_set_new(j, "cause", report_json_text(list->items[inc->cause].id));
    json_object_set_new(j, "cause_text", report_json_text(inc->cause_text));
    json_object_set_new(j, "hint", report_json_text(inc->hint));
    set_zh(j, "cause_text", inc->cause_text_zh);
    set_zh(j, "hint", inc->hint_zh);
    json_object_set_new(j, "findings", members);
    /* when it happened, for the services' start timeline (docs/state.md) */
    json_object_set_new(j, "first_seen_ms",
                        inc->first_ms >= 0 ? json_integer((json_int_t)inc->first_ms) : json_null());
    json_object_set_new(j, "last_seen_ms",
                        inc->last_ms >= 0 ? json_integer((json_int_t)inc->last_ms) : json_null());
    return j;
}

/* The classpath's two large arrays, made item by item as report_json_dump writes them. */
static json_t *view_item(size_t i, const void *scan)
{
    return view_json(&((const struct scan *)scan)->views[i], i);
}

static json_t *conflict_item(size_t i, const void *scan)
{
    return conflict_json(scan, &((const struct scan *)scan)->conflicts[i]);
}

/* lazy non-NULL (2 slots): views and conflicts are left empty, for jsonout to fill. */
static json_t *build_report(const struct scan *scan, struct jsonout_lazy *lazy)
{
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    json_t *findings = json_array(), *incidents = json_array(), *named = json_array();
    for (size_t i = 0; i < d.findings.n; i++)
        json_array_append_new(findings, finding_json(&d.findings, &d.findings.items[i]));
    for (size_t i = 0; i < d.incidents.n; i++)
        json_array_append_new(incidents, incident_json(&d.findings, &d.incidents.items[i]));
    for (size_t i = 0; i < d.verdict.n_incidents; i++)
        json_array_append_new(named, report_json_text(d.verdict.incident_ids[i]));
    json_t *verdict =
        json_pack("{s:o, s:o}", "text", report_json_text(d.verdict.text), "incidents", named);
    set_zh(verdict, "text", d.verdict.text_zh);
    json_t *views = json_array(), *dups = json_array(), *conflicts = json_array(),
           *hints = json_array(), *problems = json_array();
    for (size_t i = 0; !lazy && i < scan->n_views; i++)
        json_array_append_new(views, view_json(&scan->views[i], i));
    for (size_t i = 0; i < scan->n_dups; i++)
        json_array_append_new(dups, duplicate_json(scan, &scan->dups[i]));
    for (size_t i = 0; !lazy && i < scan->n_conflicts; i++)
        json_array_append_new(conflicts, conflict_json(scan, &scan->conflicts[i]));
    if (lazy) {
        lazy[0] = (struct jsonout_lazy){views, scan->n_views, view_item, scan};
        lazy[1] = (struct jsonout_lazy){conflicts, scan->n_conflicts, conflict_item, scan};
    }
    for (size_t i = 0; i < scan->n_hints; i++)
        json_array_append_new(hints, hint_json(scan, &scan->hints[i]));
    for (size_t i = 0; i < scan->n_problems; i++)
        json_array_append_new(problems, problem_json(&scan->problems[i]));
    json_t *meta = json_pack("{s:s, s:s, s:I, s:o}", "started", scan->started, "finished",
                             scan->finished, "duration_ms", (json_int_t)scan->duration_ms, "host",
                             report_json_text(scan->host));
    json_t *root =
        json_pack("{s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                  "schema_version", WR_SCHEMA_VERSION, "wrench_version", WR_VERSION, "scan", meta,
                  "summary", summary_json(scan, &d), "verdict", verdict, "incidents", incidents,
                  "findings", findings, "views", views, "duplicates", dups, "conflicts", conflicts,
                  "hints", hints, "problems", problems, "logs", logs_json(scan), "discovery",
                  discovery_json(scan), "environment", environment_json(scan));
    json_object_set_new(root, "set_aside", set_aside_json(scan, &d));
    diagnosis_clear(&d);
    return root;
}

/* The services' state is rendered by report_state.c. */
json_t *report_json_build(const struct scan *scan)
{
    json_t *root = build_report(scan, NULL);
    json_object_set_new(root, "services", report_state_json(scan));
    return root;
}

char *report_json_dump(const struct scan *scan)
{
    /* json_dumps' bytes, faster (jsonout.h); views and conflicts written as they are made */
    struct jsonout_lazy lazy[2];
    json_t *root = build_report(scan, lazy);
    json_object_set_new(root, "services", report_state_json(scan));
    char *out = jsonout_dumps_lazy(root, 2, "\n", lazy, 2);
    json_decref(root);
    return out ? out : xstrdup("{}\n");
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
