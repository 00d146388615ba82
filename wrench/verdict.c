/*
 * verdict.c - the verdict over a scan's incidents (see verdict.h). The incidents come ranked
 * (impact, then the severity of their root cause): the verdict lists those that stopped
 * something at the last start, each with its root cause, so three webapps failing for three
 * reasons read as three causes, not as the wrapper Tomcat logged three times.
 */
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A sentence ends with one full stop, whatever the texts quoted in it end with. */
static char *sentence(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
        s[--n] = '\0';
    /* "... did you mean com.acme.X?" ends a sentence already. */
    char *out = xasprintf("%s%s", s, n && (s[n - 1] == '?' || s[n - 1] == '!') ? "" : ".");
    free(s);
    return out;
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

/* "2 of 3 webapps failed to start: /a: cause; /b: cause" or "connector port 8080: cause; ...". */
/* What a service's state says happened to it ("crashed", "is hung", "is down"); NULL when the
 * incident holds no state of a service (svcstate.c's service-* findings). */
static const char *service_verb(const struct finding_list *findings, const struct incident *inc)
{
    static const struct {
        const char *rule, *verb;
    } verbs[] = {
        {"service-crashed", "crashed"}, {"service-hung", "is hung"}, {"service-down", "is down"}};
    for (size_t k = 0; k < inc->n_findings; k++) {
        const struct finding *f = &findings->items[inc->findings[k]];
        for (size_t i = 0; f->kind == FINDING_ENVIRONMENT && i < sizeof(verbs) / sizeof(verbs[0]);
             i++)
            if (strcmp(f->rule, verbs[i].rule) == 0)
                return verbs[i].verb;
    }
    return NULL;
}

static char *list_failures(const struct scan *scan, const struct finding_list *findings,
                           const struct incident_list *incidents, const struct verdict *v)
{
    bool all_webapps = true;
    for (size_t k = 0; k < v->n_incidents; k++)
        if (incidents->items[v->incidents[k]].subject != SUBJECT_WEBAPP)
            all_webapps = false;
    struct strbuf sb = {0};
    if (v->n_incidents == 1) {
        const struct incident *inc = &incidents->items[v->incidents[0]];
        /* A service's state says itself what happened ("service shop is hung: ..."). */
        bool says_what = str_has_prefix(inc->cause_text, inc->what);
        const char *verb = service_verb(findings, inc);
        char *what = capitalized(says_what ? inc->cause_text : inc->what);
        if (says_what)
            strbuf_puts(&sb, what);
        else if (verb) /* "Service shop is down: NoClassDefFoundError ..." */
            strbuf_printf(&sb, "%s %s: %s", what, verb, inc->cause_text);
        else
            strbuf_printf(&sb, "%s failed to start: %s", what, inc->cause_text);
        free(what);
        return strbuf_take(&sb);
    }
    size_t total = webapp_views(scan);
    if (all_webapps && total >= v->n_incidents)
        strbuf_printf(&sb, "%zu of %zu webapps failed to start: ", v->n_incidents, total);
    else if (all_webapps)
        strbuf_printf(&sb, "%zu webapps failed to start: ", v->n_incidents);
    else
        strbuf_printf(&sb, "%zu failures at startup: ", v->n_incidents);
    for (size_t k = 0; k < v->n_incidents; k++) {
        const struct incident *inc = &incidents->items[v->incidents[k]];
        const char *who =
            all_webapps ? (inc->name ? (*inc->name ? inc->name : "/") : "?") : inc->what;
        char *cause = xstrdup(inc->cause_text);
        size_t n = strlen(cause);
        while (n && (cause[n - 1] == '.' || cause[n - 1] == ' '))
            cause[--n] = '\0';
        strbuf_printf(&sb, "%s%s: %s", k ? "; " : "", who, cause);
        free(cause);
    }
    return strbuf_take(&sb);
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
        v->text = sentence(list_failures(scan, findings, incidents, v));
        return;
    }
    for (size_t i = 0; i < incidents->n; i++)
        if (seen_since(&incidents->items[i], last_start)) {
            name_incident(v, incidents, i);
            v->text = sentence(xstrdup(incidents->items[i].cause_text));
            return;
        }
    if (incidents->n) {
        name_incident(v, incidents, 0);
        v->text = sentence(xasprintf("Nothing failed since the last start; before it: %s",
                                     incidents->items[0].cause_text));
        return;
    }
    size_t entries, classes;
    scan_totals(scan, &entries, &classes);
    v->text = xasprintf("No problem found in %zu classpath entr%s%s.", entries,
                        entries == 1 ? "y" : "ies", scan->logs ? " and the logs" : "");
}

void verdict_clear(struct verdict *v)
{
    free(v->text);
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

char *verdict_sentence(const struct scan *scan)
{
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    char *text = d.verdict.text;
    d.verdict.text = NULL;
    diagnosis_clear(&d);
    return text;
}
