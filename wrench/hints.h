/*
 * hints.h - known troublesome classpath combinations (several SLF4J bindings,
 * a logging bridge next to the library it replaces, a servlet API jar inside a
 * webapp...), kept as data in rules/classpath-hints.json and evaluated against
 * the read views.
 */
#ifndef WRENCH_HINTS_H
#define WRENCH_HINTS_H

#include <stddef.h>

#include "model.h"

struct hint_set;

/* Load the hints embedded in the binary (rules/classpath-hints.json). */
int hints_load_default(struct hint_set **out, char *err);
/* Load hints from a JSON text; `origin` names it in messages. */
int hints_load_text(struct hint_set **out, const char *text, const char *origin, char *err);
void hints_free(struct hint_set *set);

/* The resource names the reader must watch for; borrowed, valid while the set lives. */
const char *const *hints_watched(const struct hint_set *set, size_t *n);

/* Append a hint finding to scan->hints for every hint whose condition holds in a view. */
void hints_evaluate(const struct hint_set *set, struct scan *scan);

#endif
