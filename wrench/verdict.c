/*
 * verdict.c - the verdict over a scan's incidents (see verdict.h). The incidents come ranked
 * (impact, then the severity of their root cause): the verdict lists those that stopped
 * something at the last start, each with its root cause, so three webapps failing for three
 * reasons read as three causes, not as the wrapper Tomcat logged three times.
 */
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "util.h"

/* Strip the full stops and spaces a text ends with ("." or "。"). */
static void strip_stops(char *s)
{
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == '.' || s[n - 1] == ' '))
            n--;
        else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x82", 3) == 0) /* 。 */
            n -= 3;
        else
            break;
    }
    s[n] = '\0';
}

/* A sentence ends with one full stop in its language, whatever the texts quoted in it end
 * with; "... did you mean com.acme.X?" ends a sentence already. */
static char *sentence(char *s, enum lang lang)
{
    strip_stops(s);
    bool asks = str_has_suffix(s, "?") || str_has_suffix(s, "!") || str_has_suffix(s, "？") ||
                str_has_suffix(s, "！");
    char *end = asks || !*s ? xstrdup("") : msg_text(MSG_SENTENCE_END, lang, MSG_END);
    char *out = xasprintf("%s%s", s, end);
    free(end);
    free(s);
    return out;
}

static void set_text(struct verdict *v, char *en, char *zh)
{
    v->text = sentence(en, LANG_EN);
    v->text_zh = sentence(zh, LANG_ZH);
}

static char *capitalized(const char *s)
{
    char *out = xstrdup(s);
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    return out;
}

static size_t webapp_views(const struct scan *scan)
{
    size_t n = 0;
    for (size_t i = 0; i < scan->n_views; i++)
        if (scan->views[i].is_webapp)
            n++;
    return n;
}

static void name_incident(struct verdict *v, const struct incident_list *incidents, size_t i)
{
    v->incident_ids = xrealloc(v->incident_ids, (v->n_incidents + 1) * sizeof(*v->incident_ids));
    v->incidents = xrealloc(v->incidents, (v->n_incidents + 1) * sizeof(*v->incidents));
    v->incident_ids[v->n_incidents] = xstrdup(incidents->items[i].id);
    v->incidents[v->n_incidents++] = i;
}

/* What a service's state says happened to it (crashed, is hung, is down), as the verdict's
 * message; MSG_COUNT when the incident holds no state of a service (svcstate.c's service-*
 * findings). */
static enum msg_id service_verb(const struct finding_list *findings, const struct incident *inc)
{
    static const struct {
        const char *rule;
        enum msg_id msg;
    } verbs[] = {{"service-crashed", MSG_VERDICT_CRASHED},
                 {"service-hung", MSG_VERDICT_HUNG},
                 {"service-down", MSG_VERDICT_DOWN}};
    for (size_t k = 0; k < inc->n_findings; k++) {
        const struct finding *f = &findings->items[inc->findings[k]];
        for (size_t i = 0; f->kind == FINDING_ENVIRONMENT && i < sizeof(verbs) / sizeof(verbs[0]);
             i++)
            if (strcmp(f->rule, verbs[i].rule) == 0)
                return verbs[i].msg;
    }
    return MSG_COUNT;
}

/* One incident: "Webapp /acme failed to start: cause", "Service shop is down: cause". */
static void one_failure(const struct finding_list *findings, const struct incident *inc,
                        struct bibuf *sb)
{
    /* A service's state says itself what happened ("service shop is hung: ..."). */
    if (str_has_prefix(inc->cause_text, inc->what)) {
        char *en = capitalized(inc->cause_text);
        bibuf_puts(sb, en, inc->cause_text_zh);
        free(en);
        return;
    }
    enum msg_id verb = service_verb(findings, inc);
    char *what = capitalized(inc->what);
    bibuf_msg(sb, verb != MSG_COUNT ? verb : MSG_VERDICT_FAILED_TO_START,
              MSG_B("what", what, inc->what_zh),
              MSG_B("cause", inc->cause_text, inc->cause_text_zh));
    free(what);
}

/* "2 of 3 webapps failed to start: /a: cause; /b: cause" or "2 failures at startup:
 * connector port 8080: cause; ...", in English and Chinese. */
static void list_failures(const struct scan *scan, const struct finding_list *findings,
                          const struct incident_list *incidents, struct verdict *v)
{
    struct bibuf sb = {0};
    if (v->n_incidents == 1) {
        one_failure(findings, &incidents->items[v->incidents[0]], &sb);
    } else {
        bool all_webapps = true;
        for (size_t k = 0; k < v->n_incidents; k++)
            if (incidents->items[v->incidents[k]].subject != SUBJECT_WEBAPP)
                all_webapps = false;
        struct bibuf list = {0};
        for (size_t k = 0; k < v->n_incidents; k++) {
            const struct incident *inc = &incidents->items[v->incidents[k]];
            const char *name = inc->name ? (*inc->name ? inc->name : "/") : "?";
            char *cause = xstrdup(inc->cause_text), *cause_zh = xstrdup(inc->cause_text_zh);
            strip_stops(cause);
            strip_stops(cause_zh);
            if (k)
                bibuf_msg(&list, MSG_CLAUSE_SEP, MSG_END);
            bibuf_msg(&list, MSG_VERDICT_ITEM,
                      all_webapps ? MSG_S("who", name) : MSG_B("who", inc->what, inc->what_zh),
                      MSG_B("cause", cause, cause_zh));
            free(cause);
            free(cause_zh);
        }
        char *en, *zh;
        bibuf_take(&list, &en, &zh);
        size_t total = webapp_views(scan);
        struct msg_arg failed = MSG_N("failed", v->n_incidents), items = MSG_B("list", en, zh);
        if (all_webapps && total >= v->n_incidents)
            bibuf_msg(&sb, MSG_VERDICT_WEBAPPS_OF, failed, MSG_N("total", total), items);
        else if (all_webapps)
            bibuf_msg(&sb, MSG_VERDICT_WEBAPPS, failed, items);
        else
            bibuf_msg(&sb, MSG_VERDICT_FAILURES, failed, items);
        free(en);
        free(zh);
    }
    char *en, *zh;
    bibuf_take(&sb, &en, &zh);
    set_text(v, en, zh);
}

/* Was the incident seen at or after the last start (or is either time unknown)? */
static bool seen_since(const struct incident *inc, int64_t last_start)
{
    return last_start < 0 || inc->last_ms < 0 || inc->last_ms >= last_start;
}

void verdict_build(const struct scan *scan, const struct finding_list *findings,
                   const struct incident_list *incidents, struct verdict *v)
{
    verdict_clear(v);
    /* What stopped at the last start: a webapp that failed in an earlier start and has not
     * failed since is an incident, but not the verdict's. */
    int64_t last_start = incident_last_start_ms(scan);
    for (size_t i = 0; i < incidents->n; i++)
        if (incidents->items[i].impact >= IMPACT_WEBAPP &&
            seen_since(&incidents->items[i], last_start))
            name_incident(v, incidents, i);
    if (v->n_incidents) {
        list_failures(scan, findings, incidents, v);
        return;
    }
    for (size_t i = 0; i < incidents->n; i++)
        if (seen_since(&incidents->items[i], last_start)) {
            name_incident(v, incidents, i);
            set_text(v, xstrdup(incidents->items[i].cause_text),
                     xstrdup(incidents->items[i].cause_text_zh));
            return;
        }
    if (incidents->n) {
        name_incident(v, incidents, 0);
        const struct incident *inc = &incidents->items[0];
        struct msg_arg cause = MSG_B("cause", inc->cause_text, inc->cause_text_zh);
        set_text(v, msg_text(MSG_VERDICT_BEFORE_LAST_START, LANG_EN, cause),
                 msg_text(MSG_VERDICT_BEFORE_LAST_START, LANG_ZH, cause));
        return;
    }
    size_t entries, classes;
    scan_totals(scan, &entries, &classes);
    enum msg_id id = scan->logs ? MSG_VERDICT_NO_PROBLEM_LOGS : MSG_VERDICT_NO_PROBLEM;
    v->text = msg_text(id, LANG_EN, MSG_C("entries", entries));
    v->text_zh = msg_text(id, LANG_ZH, MSG_C("entries", entries));
}

void verdict_clear(struct verdict *v)
{
    free(v->text);
    free(v->text_zh);
    strv_free(v->incident_ids, v->n_incidents);
    free(v->incidents);
    memset(v, 0, sizeof(*v));
}

void diagnosis_build(const struct scan *scan, struct diagnosis *d)
{
    findings_collect(scan, &d->findings);
    incidents_build(scan, &d->findings, &d->incidents);
    verdict_build(scan, &d->findings, &d->incidents, &d->verdict);
}

void diagnosis_clear(struct diagnosis *d)
{
    finding_list_clear(&d->findings);
    incident_list_clear(&d->incidents);
    verdict_clear(&d->verdict);
}

void verdict_sentences(const struct scan *scan, char **text, char **text_zh)
{
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    *text = d.verdict.text;
    *text_zh = d.verdict.text_zh;
    d.verdict.text = d.verdict.text_zh = NULL;
    diagnosis_clear(&d);
}

char *verdict_sentence(const struct scan *scan)
{
    char *text, *text_zh;
    verdict_sentences(scan, &text, &text_zh);
    free(text_zh);
    return text;
}
