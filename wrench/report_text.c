/*
 * report_text.c - render a scan for the terminal (see report_text.h): the verdict, the
 * incidents, then every finding of the one canonical list (finding.h), each a headline with
 * its severity, then indented evidence lines.
 */
#include "report_text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "analysis.h"
#include "finding.h"
#include "incident.h"
#include "logmodel.h"
#include "report_state.h"
#include "safetext.h"
#include "util.h"
#include "messages.h"
#include "verdict.h"

static const char *const severity_colors[SEV_COUNT] = {"\033[2m", "\033[33m", "\033[31m",
                                                       "\033[1;31m"};

struct text_out {
    FILE *out;
    bool color;
    enum report_lang lang;
};

int report_lang_parse(const char *text, enum report_lang *lang)
{
    if (strcmp(text, "en") == 0)
        *lang = REPORT_LANG_EN;
    else if (strcmp(text, "zh") == 0)
        *lang = REPORT_LANG_ZH;
    else
        return -1;
    return 0;
}

enum report_lang report_lang_from_env(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "zh", 2) == 0 ? REPORT_LANG_ZH : REPORT_LANG_EN;
    }
    return REPORT_LANG_EN;
}

/* The Chinese text when the report is in Chinese and the rule has one, else the English. */
static const char *in_lang(const struct text_out *t, const char *english, const char *chinese)
{
    return t->lang == REPORT_LANG_ZH && chinese ? chinese : english;
}

static enum lang msg_lang(const struct text_out *t)
{
    return t->lang == REPORT_LANG_ZH ? LANG_ZH : LANG_EN;
}

/* Write message `id` (messages.h) in the report's language, then a newline. */
static void write_msg_args(struct text_out *t, const char *indent, enum msg_id id,
                           const struct msg_arg *args)
{
    char *s = msg_render(id, msg_lang(t), args);
    safe_fprintf(t->out, "%s%s\n", indent, s);
    free(s);
}
#define write_msg(t, indent, id, ...) write_msg_args((t), (indent), (id), MSG_ARGS(__VA_ARGS__))

static void headline(struct text_out *t, enum severity sev, const char *kind, const char *title)
{
    char label[16];
    snprintf(label, sizeof(label), "%s", severity_name(sev));
    for (char *p = label; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    /* The colour is ours; the title may come from a log and goes through safe_fprintf. */
    if (t->color)
        fputs(severity_colors[sev], t->out);
    safe_fprintf(t->out, t->color ? "%-8s\033[0m %s: %s\n" : "%-8s %s: %s\n", label, kind, title);
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
    safe_fprintf(t->out, "           %s%s%s\n", e->path, sb.data ? sb.data : "", tag ? tag : "");
    strbuf_free(&sb);
}

static void write_conflict(struct text_out *t, const struct scan *scan,
                           const struct class_conflict *c)
{
    const struct cp_view *v = &scan->views[c->view];
    headline(t, c->severity, "class conflict", in_lang(t, c->title, c->title_zh));
    for (size_t i = 0; i < c->n_entries; i++) {
        bool wins = c->differing && (int)c->entries[i] == c->winner;
        entry_line(t, v, c->entries[i], wins ? "  <- loaded first" : NULL);
    }
    if (c->differing && c->winner_undefined)
        safe_fprintf(t->out, "           which copy loads is undefined: %s\n",
                     v->note ? v->note : "these entries have no defined order");
    if (c->n_differing_classes) {
        safe_fprintf(t->out, "           differing:");
        for (size_t i = 0; i < c->n_differing_classes && i < REPORT_TEXT_MAX_CLASSES; i++)
            safe_fprintf(t->out, "%s %s", i ? "," : "", c->differing_classes[i]);
        if (c->n_differing_classes > REPORT_TEXT_MAX_CLASSES)
            safe_fprintf(t->out, " and %zu more", c->n_differing_classes - REPORT_TEXT_MAX_CLASSES);
        fputc('\n', t->out);
    }
}

static void write_duplicate(struct text_out *t, const struct scan *scan,
                            const struct dup_artifact *d)
{
    const struct cp_view *v = &scan->views[d->view];
    headline(t, d->severity, "duplicate library", in_lang(t, d->title, d->title_zh));
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
    headline(t, h->severity, "hint", in_lang(t, h->title, h->title_zh));
    for (size_t i = 0; i < h->n_entries; i++)
        entry_line(t, v, h->entries[i], NULL);
    safe_fprintf(t->out, "           %s\n", in_lang(t, h->hint, h->hint_zh));
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
        safe_fprintf(t->out, "           | %.*s\n", len, line);
        line = end ? end + 1 : NULL;
    }
}

static void write_log_finding(struct text_out *t, const struct scan *scan,
                              const struct finding_list *list, size_t at)
{
    const struct log_finding *f = &scan->logs->findings[list->items[at].source];
    char *title = xasprintf("%s (%" PRIu64 " time%s)", in_lang(t, f->title, f->title_zh), f->count,
                            f->count == 1 ? "" : "s");
    headline(t, f->severity, "log", title);
    free(title);
    safe_fprintf(t->out, "           %s:%" PRIu64, f->file, f->line);
    if (f->first_seen)
        safe_fprintf(t->out, ", first %s, last %s", f->first_seen,
                     f->last_seen ? f->last_seen : f->first_seen);
    safe_fprintf(t->out, " [%s]\n", f->rule_id);
    for (size_t i = 1; i < f->n_locations; i++)
        safe_fprintf(t->out, "           also %s:%" PRIu64 "\n", f->locations[i].file,
                     f->locations[i].line);
    if (f->root_cause && *f->root_cause)
        safe_fprintf(t->out, "           cause: %s\n", f->root_cause);
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].kind == FINDING_CORRELATION && list->items[i].of == at)
            safe_fprintf(t->out, "           classpath: %s\n",
                         in_lang(t, list->items[i].title, list->items[i].title_zh));
    if (f->hint)
        safe_fprintf(t->out, "           %s\n", in_lang(t, f->hint, f->hint_zh));
    if (f->sample)
        write_sample(t, f->sample);
}

/* One finding of the list, with the evidence its kind has. */
static void write_finding(struct text_out *t, const struct scan *scan,
                          const struct finding_list *list, size_t at)
{
    const struct finding *f = &list->items[at];
    switch (f->kind) {
    case FINDING_ENVIRONMENT:
        headline(t, f->severity, "container", in_lang(t, f->title, f->title_zh));
        if (f->detail)
            safe_fprintf(t->out, "           %s\n", in_lang(t, f->detail, f->detail_zh));
        break;
    case FINDING_LOG:
        write_log_finding(t, scan, list, at);
        break;
    case FINDING_CORRELATION:
        break; /* written with its log finding */
    case FINDING_CONFLICT:
        write_conflict(t, scan, &scan->conflicts[f->source]);
        break;
    case FINDING_DUPLICATE:
        write_duplicate(t, scan, &scan->dups[f->source]);
        break;
    case FINDING_HINT:
        write_hint(t, scan, &scan->hints[f->source]);
        break;
    case FINDING_PROBLEM: {
        const char *reading = finding_fact(f, "reading");
        headline(t, f->severity,
                 reading && strcmp(reading, "logs") == 0 ? "log problem" : "problem", f->title);
        safe_fprintf(t->out, "           %s\n", f->detail ? f->detail : "");
        break;
    }
    }
}

/* An accepted finding in one line: it is known and lives on, so it needs no evidence. */
static void write_accepted(struct text_out *t, const struct finding *f)
{
    if (f->kind == FINDING_CORRELATION)
        return; /* accepted with its log finding */
    safe_fprintf(t->out, "ACCEPTED %s %s: %s [%s] (%s)\n", severity_name(f->severity),
                 finding_kind_name(f->kind), f->title, f->id,
                 f->accepted_reason ? f->accepted_reason : "");
}

/* Is `item` already in the ", "-separated list `sb`? */
static bool listed(const struct strbuf *sb, const char *item)
{
    size_t n = strlen(item);
    if (!n)
        return true; /* nothing to show */
    for (const char *p = sb->data; p && (p = strstr(p, item)) != NULL; p += n)
        if ((p == sb->data || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

/* The incidents, ranked: what failed, its root cause, where it was seen, what to do. */
static void write_incidents(struct text_out *t, const struct diagnosis *d)
{
    if (!d->incidents.n)
        return;
    write_msg(t, "", MSG_TEXT_INCIDENTS, MSG_END);
    for (size_t i = 0; i < d->incidents.n; i++) {
        const struct incident *inc = &d->incidents.items[i];
        const char *sev = msg_template(MSG_SEVERITY_INFO + inc->severity, msg_lang(t));
        write_msg(t, "  ", MSG_TEXT_INCIDENT, MSG_N("n", i + 1),
                  MSG_B("what", inc->what, inc->what_zh),
                  MSG_S("severity", sev ? sev : severity_name(inc->severity)),
                  MSG_B("cause", inc->cause_text, inc->cause_text_zh));
        struct strbuf sb = {0};
        size_t shown = 0;
        for (size_t k = 0; k < inc->n_findings; k++) {
            const struct finding *m = &d->findings.items[inc->findings[k]];
            for (size_t e = 0; e < m->n_evidence; e++) {
                const struct finding_evidence *ev = &m->evidence[e];
                if (ev->kind != EV_LOG && ev->kind != EV_CONFIG && ev->kind != EV_ENTRY)
                    continue;
                const char *base = ev->kind == EV_ENTRY ? path_basename(ev->path) : ev->path;
                if (!*base) /* a directory entry, "WEB-INF/classes/" */
                    base = ev->path;
                char *item = ev->line ? xasprintf("%s:%" PRIu64, base, ev->line) : xstrdup(base);
                if (!listed(&sb, item)) {
                    if (shown++ == REPORT_TEXT_MAX_CLASSES)
                        strbuf_puts(&sb, ", ...");
                    else if (shown <= REPORT_TEXT_MAX_CLASSES)
                        strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", item);
                }
                free(item);
            }
        }
        if (sb.data)
            write_msg(t, "     ", MSG_TEXT_SEEN_IN, MSG_S("list", sb.data));
        strbuf_free(&sb);
        if (inc->hint) /* the root cause's hint: in Chinese when it has one */
            write_msg(t, "     ", MSG_TEXT_FIX, MSG_B("hint", inc->hint, inc->hint_zh));
    }
    fputc('\n', t->out);
}

static void write_discovery(struct text_out *t, const struct scan *scan)
{
    const struct discovery *d = scan->discovery;
    if (!d)
        return;
    for (size_t i = 0; i < d->n_services; i++) {
        const struct service *s = &d->services[i];
        if (s->pid)
            safe_fprintf(t->out, "Found %s service %s: running, pid %d\n", s->kind, s->name,
                         s->pid);
        else
            safe_fprintf(t->out, "Found %s service %s (%s): not running\n", s->kind, s->name,
                         s->origin);
        for (size_t k = 0; k < s->n_evidence; k++)
            safe_fprintf(t->out, "  %s\n", s->evidence[k]);
    }
    for (size_t i = 0; i < d->n_not_found; i++)
        safe_fprintf(t->out, "  not found: %s\n", d->not_found[i]);
    if (scan->n_facts) {
        safe_fprintf(t->out, "Container:");
        for (size_t i = 0; i < scan->n_facts; i++)
            safe_fprintf(t->out, "%s %s %s", i ? "," : "", scan->facts[i].name,
                         scan->facts[i].value);
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
            safe_fprintf(t->out, "  %s: read as %s (envelope or JSON decoded)\n", f->path,
                         log_format_name(f->format));
        if (f->last_start)
            safe_fprintf(t->out, "  %s: last start at line %" PRIu64 ": %s\n", f->path,
                         f->last_start_line, f->last_start);
        if (f->skipped_events)
            safe_fprintf(t->out,
                         "  %s: %" PRIu64 " earlier events skipped (--since, --last-start)\n",
                         f->path, f->skipped_events);
        if (f->start_offset)
            safe_fprintf(t->out,
                         "  %s: read from byte %" PRIu64 " (the last start, found from the end; "
                         "earlier events not counted, line numbers count from there)\n",
                         f->path, f->start_offset);
        if (dead && f->n_tail) {
            safe_fprintf(t->out, "  %s: the service is not running; its last lines:\n", f->path);
            for (size_t k = 0; k < f->n_tail; k++)
                safe_fprintf(t->out, "    | %s\n", f->tail[k]);
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
        /* A view named for its target's file ("app.war") would say the name twice. */
        bool named_by_target = strcmp(view->name, view->target) == 0 ||
                               strcmp(view->name, path_basename(view->target)) == 0;
        safe_fprintf(t->out, "Scanned %s%s%.*s%s: %zu entr%s, %s classes\n",
                     named_by_target ? "" : view->name, named_by_target ? "" : " ", shown,
                     view->target, shown < (int)strlen(view->target) ? "..." : "", view->n_entries,
                     view->n_entries == 1 ? "y" : "ies",
                     analysis_thousands(classes, buf, sizeof(buf)));
        if (view->note)
            safe_fprintf(t->out, "  note: %s\n", view->note);
    }
    if (scan->logs) {
        uint64_t bytes = 0, events = 0;
        for (size_t i = 0; i < scan->logs->n_files; i++) {
            bytes += scan->logs->files[i].bytes;
            events += scan->logs->files[i].events;
        }
        char buf[32];
        safe_fprintf(t->out, "Read %zu log file%s: %s events, %.1f MB\n", scan->logs->n_files,
                     scan->logs->n_files == 1 ? "" : "s",
                     analysis_thousands(events, buf, sizeof(buf)), (double)bytes / 1e6);
        write_log_files(t, scan);
    }
}

void report_text_write(const struct scan *scan, FILE *out, bool color)
{
    report_text_write_lang(scan, out, color, REPORT_LANG_EN);
}

void report_text_write_lang(const struct scan *scan, FILE *out, bool color, enum report_lang lang)
{
    struct text_out t = {out, color, lang};
    write_views(&t, scan);
    report_state_text(scan, out, lang == REPORT_LANG_ZH);
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    write_msg(&t, "\n", MSG_TEXT_VERDICT, MSG_B("verdict", d.verdict.text, d.verdict.text_zh));
    fputc('\n', out);
    write_incidents(&t, &d);
    size_t counts[SEV_COUNT] = {0}, accepted = 0, baseline = 0;
    for (size_t i = 0; i < d.findings.n; i++) {
        const struct finding *f = &d.findings.items[i];
        bool listed = f->kind != FINDING_CORRELATION;
        if (f->accepted) {
            write_accepted(&t, f);
            accepted += listed;
        } else if (f->baseline) {
            baseline += listed; /* not new: only counted below */
        } else {
            write_finding(&t, scan, &d.findings, i);
        }
        if (finding_counted(f))
            counts[f->severity]++;
    }
    if (accepted)
        safe_fprintf(out, "\n%zu finding%s accepted (%s), not counted\n", accepted,
                     accepted == 1 ? "" : "s",
                     scan->accept && scan->accept->path ? scan->accept->path : "accept file");
    if (baseline && scan->accept)
        safe_fprintf(out, "\n%zu finding%s also in scan %" PRId64 " (baseline), not counted\n",
                     baseline, baseline == 1 ? "" : "s", scan->accept->baseline_scan);
    safe_fprintf(out,
                 "\nSummary: %zu critical, %zu error%s, %zu warning%s, %zu info (%" PRIu64 " ms)\n",
                 counts[SEV_CRITICAL], counts[SEV_ERROR], counts[SEV_ERROR] == 1 ? "" : "s",
                 counts[SEV_WARNING], counts[SEV_WARNING] == 1 ? "" : "s", counts[SEV_INFO],
                 scan->duration_ms);
    diagnosis_clear(&d);
}
