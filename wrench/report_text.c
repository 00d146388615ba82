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
#include "facttext.h"
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
#define write_msg(t, indent, id, ...) safe_msg((t)->out, (indent), (id), msg_lang(t), __VA_ARGS__)

/* A message in the report's language; a new string. */
static char *text_of(const struct text_out *t, enum msg_id id, const struct msg_arg *args)
{
    return msg_render(id, msg_lang(t), args);
}
#define TEXT(t, id, ...) text_of((t), (id), MSG_ARGS(__VA_ARGS__))

void report_severity_label(enum lang lang, enum severity sev, char *buf, size_t size)
{
    const char *zh = msg_template(MSG_SEVERITY_INFO + sev, LANG_ZH);
    if (lang == LANG_ZH && zh) {
        size_t columns = 0;
        for (const unsigned char *p = (const unsigned char *)zh; *p; p++)
            columns += (*p & 0xc0) == 0x80 ? 0 : *p >= 0xe0 ? 2 : 1;
        snprintf(buf, size, "%s%*s", zh, columns < 8 ? (int)(8 - columns) : 0, "");
        return;
    }
    snprintf(buf, size, "%-8s", severity_name(sev));
    for (char *p = buf; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - ('a' - 'A') : *p);
}

static void headline(struct text_out *t, enum severity sev, enum msg_id kind, const char *title)
{
    char label[32];
    report_severity_label(msg_lang(t), sev, label, sizeof(label));
    char *kind_text = TEXT(t, kind, MSG_END);
    char *line = TEXT(t, MSG_TEXT_HEADLINE, MSG_S("kind", kind_text), MSG_S("title", title));
    /* The colour is ours; the title may come from a log and goes through safe_fprintf. */
    if (t->color)
        fputs(severity_colors[sev], t->out);
    safe_fprintf(t->out, t->color ? "%s\033[0m %s\n" : "%s %s\n", label, line);
    free(line);
    free(kind_text);
}

static void describe_artifact(const struct text_out *t, struct strbuf *sb, const struct artifact *a)
{
    if (!a->name)
        return;
    char *artifact = xasprintf("%s%s%s%s%s", a->group ? a->group : "", a->group ? ":" : "", a->name,
                               a->version ? " " : "", a->version ? a->version : "");
    char *s = TEXT(t, MSG_TEXT_ARTIFACT, MSG_S("artifact", artifact),
                   MSG_S("evidence", evidence_name(a->evidence)));
    strbuf_puts(sb, s);
    free(s);
    free(artifact);
}

static void entry_line(struct text_out *t, const struct cp_view *v, size_t idx, const char *tag)
{
    const struct cp_entry *e = &v->entries[idx];
    struct strbuf sb = {0};
    describe_artifact(t, &sb, &e->artifact);
    safe_fprintf(t->out, "           %s%s%s\n", e->path, sb.data ? sb.data : "", tag ? tag : "");
    strbuf_free(&sb);
}

static void write_conflict(struct text_out *t, const struct scan *scan,
                           const struct class_conflict *c)
{
    const struct cp_view *v = &scan->views[c->view];
    headline(t, c->severity, MSG_KIND_CONFLICT, in_lang(t, c->title, c->title_zh));
    char *first = TEXT(t, MSG_TEXT_LOADED_FIRST, MSG_END);
    for (size_t i = 0; i < c->n_entries; i++) {
        bool wins = c->differing && (int)c->entries[i] == c->winner;
        entry_line(t, v, c->entries[i], wins ? first : NULL);
    }
    free(first);
    if (c->differing && c->winner_undefined) {
        char *no_order = TEXT(t, MSG_TEXT_NO_DEFINED_ORDER, MSG_END);
        write_msg(t, "           ", MSG_TEXT_UNDEFINED_ORDER,
                  MSG_S("why", v->note ? in_lang(t, v->note, v->note_zh) : no_order));
        free(no_order);
    }
    if (c->n_differing_classes) {
        struct strbuf sb = {0};
        for (size_t i = 0; i < c->n_differing_classes && i < REPORT_TEXT_MAX_CLASSES; i++)
            strbuf_printf(&sb, "%s%s", i ? ", " : "", c->differing_classes[i]);
        if (c->n_differing_classes > REPORT_TEXT_MAX_CLASSES) {
            char *more = TEXT(t, MSG_MORE_VERSIONS,
                              MSG_N("n", c->n_differing_classes - REPORT_TEXT_MAX_CLASSES));
            strbuf_puts(&sb, more);
            free(more);
        }
        write_msg(t, "           ", MSG_TEXT_DIFFERING, MSG_S("list", sb.data));
        strbuf_free(&sb);
    }
}

static void write_duplicate(struct text_out *t, const struct scan *scan,
                            const struct dup_artifact *d)
{
    const struct cp_view *v = &scan->views[d->view];
    headline(t, d->severity, MSG_KIND_DUPLICATE, in_lang(t, d->title, d->title_zh));
    for (size_t i = 0; i < d->n; i++) {
        char *tag = d->shaded[i] ? TEXT(t, MSG_TEXT_SHADED_COPY, MSG_S("key", d->key),
                                        MSG_S("version", d->versions[i] ? d->versions[i] : ""))
                                 : NULL;
        entry_line(t, v, d->entries[i], tag);
        free(tag);
    }
}

static void write_hint(struct text_out *t, const struct scan *scan, const struct hint_finding *h)
{
    const struct cp_view *v = &scan->views[h->view];
    headline(t, h->severity, MSG_KIND_HINT, in_lang(t, h->title, h->title_zh));
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
    char *title = TEXT(t, MSG_TEXT_LOG_TITLE, MSG_S("title", in_lang(t, f->title, f->title_zh)),
                       MSG_N("n", f->count));
    headline(t, f->severity, MSG_KIND_LOG, title);
    free(title);
    safe_fprintf(t->out, "           %s:%" PRIu64, f->file, f->line);
    if (f->first_seen) {
        char *when = TEXT(t, MSG_TEXT_FIRST_LAST, MSG_S("first", f->first_seen),
                          MSG_S("last", f->last_seen ? f->last_seen : f->first_seen));
        safe_fprintf(t->out, "%s", when);
        free(when);
    }
    safe_fprintf(t->out, " [%s]\n", f->rule_id);
    for (size_t i = 1; i < f->n_locations; i++) {
        char *where = xasprintf("%s:%" PRIu64, f->locations[i].file, f->locations[i].line);
        write_msg(t, "           ", MSG_TEXT_ALSO, MSG_S("where", where));
        free(where);
    }
    if (f->root_cause && *f->root_cause)
        write_msg(t, "           ", MSG_TEXT_CAUSE, MSG_S("cause", f->root_cause));
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].kind == FINDING_CORRELATION && list->items[i].of == at)
            write_msg(t, "           ", MSG_TEXT_CLASSPATH,
                      MSG_S("text", in_lang(t, list->items[i].title, list->items[i].title_zh)));
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
        headline(t, f->severity, MSG_KIND_CONTAINER, in_lang(t, f->title, f->title_zh));
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
                 reading && strcmp(reading, "logs") == 0 ? MSG_KIND_LOG_PROBLEM : MSG_KIND_PROBLEM,
                 f->title);
        safe_fprintf(t->out, "           %s\n",
                     in_lang(t, f->detail ? f->detail : "", f->detail ? f->detail_zh : NULL));
        break;
    }
    }
}

/* A finding kind's name in Chinese (finding_kind_name() is the English, and the JSON's). */
static const char *kind_zh(enum finding_kind kind)
{
    static const enum msg_id ids[FINDING_KIND_COUNT] = {[FINDING_CONFLICT] = MSG_KIND_CONFLICT,
                                                        [FINDING_DUPLICATE] = MSG_KIND_DUPLICATE,
                                                        [FINDING_HINT] = MSG_KIND_HINT,
                                                        [FINDING_LOG] = MSG_KIND_LOG,
                                                        [FINDING_ENVIRONMENT] =
                                                            MSG_KIND_ENVIRONMENT,
                                                        [FINDING_PROBLEM] = MSG_KIND_PROBLEM,
                                                        [FINDING_CORRELATION] = MSG_KIND_LOG};
    return (unsigned)kind < FINDING_KIND_COUNT ? msg_template(ids[kind], LANG_ZH) : NULL;
}

/* An accepted finding in one line: it is known and lives on, so it needs no evidence. */
static void write_accepted(struct text_out *t, const struct finding *f)
{
    if (f->kind == FINDING_CORRELATION)
        return; /* accepted with its log finding */
    const char *sev = msg_template(MSG_SEVERITY_INFO + f->severity, msg_lang(t));
    write_msg(t, "", MSG_TEXT_ACCEPTED, MSG_S("severity", sev ? sev : severity_name(f->severity)),
              MSG_B("kind", finding_kind_name(f->kind), kind_zh(f->kind)),
              MSG_S("title", in_lang(t, f->title, f->title_zh)), MSG_S("id", f->id),
              MSG_S("reason", f->accepted_reason ? f->accepted_reason : ""));
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
            write_msg(t, "", MSG_TEXT_FOUND_RUNNING, MSG_S("kind", s->kind), MSG_S("name", s->name),
                      MSG_N("pid", s->pid));
        else
            write_msg(t, "", MSG_TEXT_FOUND_STOPPED, MSG_S("kind", s->kind), MSG_S("name", s->name),
                      MSG_S("origin", in_lang(t, s->origin, s->origin_zh)));
        bool zh_evidence = t->lang == REPORT_LANG_ZH && s->n_evidence_zh == s->n_evidence;
        for (size_t k = 0; k < s->n_evidence; k++)
            safe_fprintf(t->out, "  %s\n",
                         zh_evidence && s->evidence_zh[k] ? s->evidence_zh[k] : s->evidence[k]);
    }
    bool zh = t->lang == REPORT_LANG_ZH && d->n_not_found_zh == d->n_not_found;
    for (size_t i = 0; i < d->n_not_found; i++)
        write_msg(t, "  ", MSG_TEXT_NOT_FOUND,
                  MSG_S("what", zh && d->not_found_zh[i] ? d->not_found_zh[i] : d->not_found[i]));
    if (scan->n_facts) {
        struct strbuf sb = {0};
        enum lang lang = msg_lang(t);
        for (size_t i = 0; i < scan->n_facts; i++) {
            /* " name value, name value" in English, "名称 值，名称 值" in Chinese */
            char *name = fact_name_text(scan->facts[i].name, lang);
            char *value = fact_value_text(scan->facts[i].value, lang);
            strbuf_printf(&sb, "%s%s %s",
                          i                 ? msg_template(MSG_FACT_SEP, lang)
                          : lang == LANG_EN ? " "
                                            : "",
                          name, value);
            free(name);
            free(value);
        }
        write_msg(t, "", MSG_TEXT_CONTAINER, MSG_S("facts", sb.data));
        strbuf_free(&sb);
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
            write_msg(t, "  ", MSG_TEXT_READ_AS, MSG_S("path", f->path),
                      MSG_S("format", log_format_name(f->format)));
        if (f->last_start)
            write_msg(t, "  ", MSG_TEXT_LAST_START, MSG_S("path", f->path),
                      MSG_N("line", f->last_start_line), MSG_S("text", f->last_start));
        if (f->skipped_events)
            write_msg(t, "  ", MSG_TEXT_SKIPPED_EVENTS, MSG_S("path", f->path),
                      MSG_N("n", f->skipped_events));
        if (f->start_offset)
            write_msg(t, "  ", MSG_TEXT_READ_FROM, MSG_S("path", f->path),
                      MSG_N("offset", f->start_offset));
        if (dead && f->n_tail) {
            write_msg(t, "  ", MSG_TEXT_LAST_LINES, MSG_S("path", f->path));
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
        char *what =
            xasprintf("%s%s%.*s%s", named_by_target ? "" : view->name, named_by_target ? "" : " ",
                      shown, view->target, shown < (int)strlen(view->target) ? "..." : "");
        write_msg(t, "", MSG_TEXT_SCANNED, MSG_S("what", what), MSG_N("n", view->n_entries),
                  MSG_S("classes", analysis_thousands(classes, buf, sizeof(buf))));
        free(what);
        if (view->note)
            write_msg(t, "  ", MSG_TEXT_NOTE,
                      MSG_B("text", view->note, view->note_zh ? view->note_zh : view->note));
    }
    if (scan->logs) {
        uint64_t bytes = 0, events = 0;
        for (size_t i = 0; i < scan->logs->n_files; i++) {
            bytes += scan->logs->files[i].bytes;
            events += scan->logs->files[i].events;
        }
        char buf[32], mb[32];
        snprintf(mb, sizeof(mb), "%.1f", (double)bytes / 1e6);
        write_msg(t, "", MSG_TEXT_READ_LOGS, MSG_N("n", scan->logs->n_files),
                  MSG_S("events", analysis_thousands(events, buf, sizeof(buf))),
                  MSG_N("n_events", events), MSG_S("mb", mb));
        write_log_files(t, scan);
    }
}

void report_text_write(const struct scan *scan, FILE *out, bool color)
{
    report_text_write_lang(scan, NULL, out, color, REPORT_LANG_EN);
}

void report_text_write_lang(const struct scan *scan, const struct diagnosis *given, FILE *out,
                            bool color, enum report_lang lang)
{
    struct text_out t = {out, color, lang};
    write_views(&t, scan);
    report_state_text(scan, out, msg_lang(&t));
    struct diagnosis own = {0};
    if (!given)
        diagnosis_build(scan, &own);
    const struct diagnosis *d = given ? given : &own;
    write_msg(&t, "\n", MSG_TEXT_VERDICT, MSG_B("verdict", d->verdict.text, d->verdict.text_zh));
    fputc('\n', out);
    write_incidents(&t, d);
    size_t counts[SEV_COUNT] = {0}, accepted = 0, baseline = 0;
    for (size_t i = 0; i < d->findings.n; i++) {
        const struct finding *f = &d->findings.items[i];
        bool listed = f->kind != FINDING_CORRELATION;
        if (f->accepted) {
            write_accepted(&t, f);
            accepted += listed;
        } else if (f->baseline) {
            baseline += listed; /* not new: only counted below */
        } else {
            write_finding(&t, scan, &d->findings, i);
        }
        if (finding_counted(f))
            counts[f->severity]++;
    }
    if (accepted) {
        char *file = scan->accept && scan->accept->path ? xstrdup(scan->accept->path)
                                                        : TEXT(&t, MSG_TEXT_ACCEPT_FILE, MSG_END);
        write_msg(&t, "\n", MSG_TEXT_ACCEPTED_COUNT, MSG_N("n", accepted), MSG_S("file", file));
        free(file);
    }
    if (baseline && scan->accept)
        write_msg(&t, "\n", MSG_TEXT_BASELINE_COUNT, MSG_N("n", baseline),
                  MSG_N("scan", scan->accept->baseline_scan));
    write_msg(&t, "\n", MSG_TEXT_SUMMARY, MSG_N("critical", counts[SEV_CRITICAL]),
              MSG_N("error", counts[SEV_ERROR]), MSG_N("warning", counts[SEV_WARNING]),
              MSG_N("info", counts[SEV_INFO]), MSG_N("ms", scan->duration_ms));
    diagnosis_clear(&own);
}
