/*
 * verdict.c - pick the headline finding (see verdict.h). Among findings of the
 * highest severity: a log error explained by the classpath comes first (it is
 * both the symptom and its cause), then other log findings (what actually
 * happened), then a differing class conflict, the container's limits, a
 * version clash, hints, and unreadable input.
 */
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "logmodel.h"
#include "util.h"

/* Titles and hints may end with a full stop; the verdict adds its own. */
static char *sentence(const char *fmt, const char *a, const char *b)
{
    char *s = b ? xasprintf(fmt, a, b) : xasprintf(fmt, a);
    size_t n = strlen(s);
    while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
        s[--n] = '\0';
    char *out = xasprintf("%s.", s);
    free(s);
    return out;
}

static char *log_verdict(const struct scan *scan, int top)
{
    if (!scan->logs)
        return NULL;
    const struct correlation *best = correlate_best(scan);
    if (best && (int)scan->logs->findings[best->finding].severity == top)
        return sentence("%s: %s", scan->logs->findings[best->finding].title, best->text);
    /* A finding that knows its root cause says more than a wrapper ("listeners failed"). */
    for (size_t i = 0; i < scan->logs->n_findings; i++) {
        const struct log_finding *f = &scan->logs->findings[i];
        if ((int)f->severity == top && f->root_cause && *f->root_cause)
            return sentence("%s: %s", f->title, f->root_cause);
    }
    for (size_t i = 0; i < scan->logs->n_findings; i++)
        if ((int)scan->logs->findings[i].severity == top)
            return sentence("%s", scan->logs->findings[i].title, NULL);
    return NULL;
}

char *verdict_sentence(const struct scan *scan)
{
    int top = scan_max_severity(scan);
    if (top < 0 || top == SEV_INFO) {
        size_t entries, classes;
        scan_totals(scan, &entries, &classes);
        return xasprintf("No problem found in %zu classpath entr%s%s.", entries,
                         entries == 1 ? "y" : "ies", scan->logs ? " and the logs" : "");
    }
    char *from_logs = log_verdict(scan, top);
    if (from_logs)
        return from_logs;
    for (size_t i = 0; i < scan->n_conflicts; i++)
        if ((int)scan->conflicts[i].severity == top)
            return sentence("Class conflict: %s", scan->conflicts[i].title, NULL);
    for (size_t i = 0; i < scan->n_env_findings; i++)
        if ((int)scan->env_findings[i].severity == top)
            return sentence("Container: %s", scan->env_findings[i].title, NULL);
    for (size_t i = 0; i < scan->n_dups; i++)
        if ((int)scan->dups[i].severity == top)
            return sentence("Duplicate library: %s", scan->dups[i].title, NULL);
    for (size_t i = 0; i < scan->n_hints; i++)
        if ((int)scan->hints[i].severity == top)
            return sentence("%s", scan->hints[i].title, NULL);
    for (size_t i = 0; i < scan->n_problems; i++)
        if ((int)scan->problems[i].severity == top)
            return sentence("Unreadable input: %s: %s", scan->problems[i].path,
                            scan->problems[i].message);
    if (scan->logs)
        for (size_t i = 0; i < scan->logs->n_problems; i++)
            if ((int)scan->logs->problems[i].severity == top)
                return sentence("Unreadable log: %s: %s", scan->logs->problems[i].path,
                                scan->logs->problems[i].message);
    return xstrdup("No problem found.");
}
