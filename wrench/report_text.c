/*
 * report_text.c - render a scan for the terminal (see report_text.h). Each
 * finding is a headline with its severity, then indented evidence lines.
 */
#include "report_text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "logmodel.h"
#include "report_state.h"
#include "util.h"
#include "verdict.h"

static const char *const severity_colors[SEV_COUNT] = {"\033[2m", "\033[33m", "\033[31m",
                                                       "\033[1;31m"};

struct text_out {
    FILE *out;
    bool color;
};

static void headline(struct text_out *t, enum severity sev, const char *kind, const char *title)
{
    char label[16];
    snprintf(label, sizeof(label), "%s", severity_name(sev));
    for (char *p = label; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    if (t->color)
        fprintf(t->out, "%s%-8s\033[0m %s: %s\n", severity_colors[sev], label, kind, title);
    else
        fprintf(t->out, "%-8s %s: %s\n", label, kind, title);
}

static void describe_artifact(struct strbuf *sb, const struct artifact *a)
{
    if (!a->name)
        return;
    strbuf_printf(sb, " (%s%s%s%s%s, from %s)", a->group ? a->group : "", a->group ? ":" : "",
                  a->name, a->version ? " " : "", a->version ? a->version : "",
                  evidence_name(a->evidence));
}

static void entry_line(struct text_out *t, const struct cp_view *v, size_t idx, const char *tag)
{
    const struct cp_entry *e = &v->entries[idx];
    struct strbuf sb = {0};
    describe_artifact(&sb, &e->artifact);
    fprintf(t->out, "           %s%s%s\n", e->path, sb.data ? sb.data : "", tag ? tag : "");
    strbuf_free(&sb);
}

static void write_conflict(struct text_out *t, const struct scan *scan,
                           const struct class_conflict *c)
{
    const struct cp_view *v = &scan->views[c->view];
    headline(t, c->severity, "class conflict", c->title);
    for (size_t i = 0; i < c->n_entries; i++) {
        bool wins = c->differing && (int)c->entries[i] == c->winner;
        entry_line(t, v, c->entries[i], wins ? "  <- loaded first" : NULL);
    }
    if (c->differing && c->winner_undefined)
        fprintf(t->out, "           which copy loads is undefined: %s\n",
                v->note ? v->note : "these entries have no defined order");
    if (c->n_differing_classes) {
        fprintf(t->out, "           differing:");
        for (size_t i = 0; i < c->n_differing_classes && i < REPORT_TEXT_MAX_CLASSES; i++)
            fprintf(t->out, "%s %s", i ? "," : "", c->differing_classes[i]);
        if (c->n_differing_classes > REPORT_TEXT_MAX_CLASSES)
            fprintf(t->out, " and %zu more", c->n_differing_classes - REPORT_TEXT_MAX_CLASSES);
        fputc('\n', t->out);
    }
}

static void write_duplicate(struct text_out *t, const struct scan *scan,
                            const struct dup_artifact *d)
{
    const struct cp_view *v = &scan->views[d->view];
    headline(t, d->severity, "duplicate library", d->title);
    for (size_t i = 0; i < d->n; i++) {
        char *tag = d->shaded[i] ? xasprintf("  (shaded copy of %s %s inside)", d->key,
                                             d->versions[i] ? d->versions[i] : "")
                                 : NULL;
        entry_line(t, v, d->entries[i], tag);
        free(tag);
    }
}

static void write_hint(struct text_out *t, const struct scan *scan, const struct hint_finding *h)
{
    const struct cp_view *v = &scan->views[h->view];
    headline(t, h->severity, "hint", h->title);
    for (size_t i = 0; i < h->n_entries; i++)
        entry_line(t, v, h->entries[i], NULL);
    fprintf(t->out, "           %s\n", h->hint);
}

/* The first lines of a sample stack trace, indented, so the shape of the failure shows. */
static void write_sample(struct text_out *t, const char *sample)
{
    const char *line = sample;
    for (int n = 0; line && *line && n < REPORT_TEXT_SAMPLE_LINES; n++) {
        const char *end = strchr(line, '\n');
        int len = end ? (int)(end - line) : (int)strlen(line);
        if (len > REPORT_TEXT_LINE_MAX)
            len = REPORT_TEXT_LINE_MAX;
        fprintf(t->out, "           | %.*s\n", len, line);
        line = end ? end + 1 : NULL;
    }
}

static void write_log_finding(struct text_out *t, const struct scan *scan, size_t index)
{
    const struct log_finding *f = &scan->logs->findings[index];
    char *title =
        xasprintf("%s (%" PRIu64 " time%s)", f->title, f->count, f->count == 1 ? "" : "s");
    headline(t, f->severity, "log", title);
    free(title);
    fprintf(t->out, "           %s:%" PRIu64, f->file, f->line);
    if (f->first_seen)
        fprintf(t->out, ", first %s, last %s", f->first_seen,
                f->last_seen ? f->last_seen : f->first_seen);
    fprintf(t->out, " [%s]\n", f->rule_id);
    if (f->root_cause && *f->root_cause)
        fprintf(t->out, "           cause: %s\n", f->root_cause);
    for (size_t i = 0; i < scan->n_correlations; i++)
        if (scan->correlations[i].finding == index)
            fprintf(t->out, "           classpath: %s\n", scan->correlations[i].text);
    if (f->hint)
        fprintf(t->out, "           %s\n", f->hint);
    if (f->sample)
        write_sample(t, f->sample);
}

static void write_findings_of(struct text_out *t, const struct scan *scan, enum severity sev)
{
    for (size_t i = 0; i < scan->n_env_findings; i++)
        if (scan->env_findings[i].severity == sev) {
            headline(t, sev, "container", scan->env_findings[i].title);
            if (*scan->env_findings[i].detail)
                fprintf(t->out, "           %s\n", scan->env_findings[i].detail);
        }
    for (size_t i = 0; scan->logs && i < scan->logs->n_findings; i++)
        if (scan->logs->findings[i].severity == sev)
            write_log_finding(t, scan, i);
    for (size_t i = 0; i < scan->n_conflicts; i++)
        if (scan->conflicts[i].severity == sev)
            write_conflict(t, scan, &scan->conflicts[i]);
    for (size_t i = 0; i < scan->n_dups; i++)
        if (scan->dups[i].severity == sev)
            write_duplicate(t, scan, &scan->dups[i]);
    for (size_t i = 0; i < scan->n_hints; i++)
        if (scan->hints[i].severity == sev)
            write_hint(t, scan, &scan->hints[i]);
    for (size_t i = 0; i < scan->n_problems; i++)
        if (scan->problems[i].severity == sev) {
            headline(t, sev, "problem", scan->problems[i].path);
            fprintf(t->out, "           %s\n", scan->problems[i].message);
        }
    for (size_t i = 0; scan->logs && i < scan->logs->n_problems; i++)
        if (scan->logs->problems[i].severity == sev) {
            headline(t, sev, "log problem", scan->logs->problems[i].path);
            fprintf(t->out, "           %s\n", scan->logs->problems[i].message);
        }
}

static void write_discovery(struct text_out *t, const struct scan *scan)
{
    const struct discovery *d = scan->discovery;
    if (!d)
        return;
    for (size_t i = 0; i < d->n_services; i++) {
        const struct service *s = &d->services[i];
        if (s->pid)
            fprintf(t->out, "Found %s service %s: running, pid %d\n", s->kind, s->name, s->pid);
        else
            fprintf(t->out, "Found %s service %s (%s): not running\n", s->kind, s->name, s->origin);
        for (size_t k = 0; k < s->n_evidence; k++)
            fprintf(t->out, "  %s\n", s->evidence[k]);
    }
    for (size_t i = 0; i < d->n_not_found; i++)
        fprintf(t->out, "  not found: %s\n", d->not_found[i]);
    if (scan->n_facts) {
        fprintf(t->out, "Container:");
        for (size_t i = 0; i < scan->n_facts; i++)
            fprintf(t->out, "%s %s %s", i ? "," : "", scan->facts[i].name, scan->facts[i].value);
        fputc('\n', t->out);
    }
}

static bool any_service_running(const struct scan *scan)
{
    for (size_t i = 0; scan->discovery && i < scan->discovery->n_services; i++)
        if (scan->discovery->services[i].pid)
            return true;
    return false;
}

/* Each log's last start, and, when the service is not running, its last lines: "it died at
 * startup" should be visible at once. */
static void write_log_files(struct text_out *t, const struct scan *scan)
{
    bool dead = scan->discovery && !any_service_running(scan);
    for (size_t i = 0; i < scan->logs->n_files; i++) {
        const struct log_file *f = &scan->logs->files[i];
        if (f->format != LOG_FORMAT_PLAIN)
            fprintf(t->out, "  %s: read as %s (envelope or JSON decoded)\n", f->path,
                    log_format_name(f->format));
        if (f->last_start)
            fprintf(t->out, "  %s: last start at line %" PRIu64 ": %s\n", f->path,
                    f->last_start_line, f->last_start);
        if (f->skipped_events)
            fprintf(t->out, "  %s: %" PRIu64 " earlier events skipped (--since, --last-start)\n",
                    f->path, f->skipped_events);
        if (dead && f->n_tail) {
            fprintf(t->out, "  %s: the service is not running; its last lines:\n", f->path);
            for (size_t k = 0; k < f->n_tail; k++)
                fprintf(t->out, "    | %s\n", f->tail[k]);
        }
    }
}

static void write_views(struct text_out *t, const struct scan *scan)
{
    write_discovery(t, scan);
    for (size_t v = 0; v < scan->n_views; v++) {
        const struct cp_view *view = &scan->views[v];
        size_t classes = 0;
        for (size_t i = 0; i < view->n_entries; i++)
            classes += view->entries[i].class_count;
        char buf[32];
        int shown = (int)strlen(view->target) > REPORT_TEXT_LINE_MAX ? REPORT_TEXT_LINE_MAX
                                                                     : (int)strlen(view->target);
        fprintf(t->out, "Scanned %s %.*s%s: %zu entr%s, %s classes\n", view->name, shown,
                view->target, shown < (int)strlen(view->target) ? "..." : "", view->n_entries,
                view->n_entries == 1 ? "y" : "ies", analysis_thousands(classes, buf, sizeof(buf)));
        if (view->note)
            fprintf(t->out, "  note: %s\n", view->note);
    }
    if (scan->logs) {
        uint64_t bytes = 0, events = 0;
        for (size_t i = 0; i < scan->logs->n_files; i++) {
            bytes += scan->logs->files[i].bytes;
            events += scan->logs->files[i].events;
        }
        char buf[32];
        fprintf(t->out, "Read %zu log file%s: %s events, %.1f MB\n", scan->logs->n_files,
                scan->logs->n_files == 1 ? "" : "s", analysis_thousands(events, buf, sizeof(buf)),
                (double)bytes / 1e6);
        write_log_files(t, scan);
    }
}

void report_text_write(const struct scan *scan, FILE *out, bool color)
{
    struct text_out t = {out, color};
    write_views(&t, scan);
    report_state_text(scan, out);
    char *verdict = verdict_sentence(scan);
    fprintf(out, "\nVerdict: %s\n\n", verdict);
    free(verdict);
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        write_findings_of(&t, scan, (enum severity)sev);
    size_t counts[SEV_COUNT];
    scan_count_severities(scan, counts);
    fprintf(out, "\nSummary: %zu critical, %zu error%s, %zu warning%s, %zu info (%" PRIu64 " ms)\n",
            counts[SEV_CRITICAL], counts[SEV_ERROR], counts[SEV_ERROR] == 1 ? "" : "s",
            counts[SEV_WARNING], counts[SEV_WARNING] == 1 ? "" : "s", counts[SEV_INFO],
            scan->duration_ms);
}
