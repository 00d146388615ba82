/*
 * verdict.c - pick the headline finding (see verdict.h). Among findings of the
 * highest severity, a differing class conflict explains most startup failures,
 * then a version clash, then hints, then unreadable input.
 */
#include "verdict.h"

#include <stdlib.h>

#include "util.h"

char *verdict_sentence(const struct scan *scan)
{
    int top = scan_max_severity(scan);
    if (top < 0 || top == SEV_INFO) {
        size_t entries = 0;
        for (size_t v = 0; v < scan->n_views; v++)
            entries += scan->views[v].n_entries;
        return xasprintf("No problem found in %zu classpath entr%s.", entries,
                         entries == 1 ? "y" : "ies");
    }
    for (size_t i = 0; i < scan->n_conflicts; i++)
        if ((int)scan->conflicts[i].severity == top)
            return xasprintf("Class conflict: %s.", scan->conflicts[i].title);
    for (size_t i = 0; i < scan->n_dups; i++)
        if ((int)scan->dups[i].severity == top)
            return xasprintf("Duplicate library: %s.", scan->dups[i].title);
    for (size_t i = 0; i < scan->n_hints; i++)
        if ((int)scan->hints[i].severity == top)
            return xasprintf("%s.", scan->hints[i].title);
    for (size_t i = 0; i < scan->n_problems; i++)
        if ((int)scan->problems[i].severity == top)
            return xasprintf("Unreadable input: %s: %s.", scan->problems[i].path,
                             scan->problems[i].message);
    return xstrdup("No problem found.");
}
