/*
 * report_json.h - the machine report: a scan rendered as JSON (jansson), in
 * the shape docs/report.schema.json describes. The platform backend, the store
 * and `wrench serve` consume it.
 */
#ifndef WRENCH_REPORT_JSON_H
#define WRENCH_REPORT_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "model.h"

struct diagnosis;

#define REPORT_MAX_DIFFERING_CLASSES 100 /* listed per conflict; the total is always given */

/* A new JSON object (one reference, owned by the caller). */
json_t *report_json_build(const struct scan *scan);

/* The report as text, indented, ending in a newline; new string: json_dumps' bytes for
 * report_json_build's tree (JSON_INDENT(2) | JSON_PRESERVE_ORDER), written without the tree.
 * With WRENCH_REPORT_CHECK set (the e2e tests set it), the tree is built and dumped by
 * jansson too, and a difference is said on stderr ("report writers differ at byte N"; the
 * tree's text is returned); WRENCH_REPORT_CHECK=2 also says when they agree. */
char *report_json_dump(const struct scan *scan);

/* A JSON string of `s`, with invalid UTF-8 bytes replaced by U+FFFD; json null for NULL.
 * Paths and names from jars are not guaranteed to be UTF-8. New reference. */
json_t *report_json_text(const char *s);

/* The same text written to `out` as it is made, never whole in memory (`scan --json`): 0, or
 * -1 when a write failed (errno set) or, in theory, the walk met what only jansson could
 * write (see jsonw_end_stream; the report's own keys and depth never do). Under
 * WRENCH_REPORT_CHECK the streamed bytes are gathered and checked as report_json_dump's.
 * `d` is the scan's diagnosis when the caller built one (NULL: it is built here). */
int report_json_write(const struct scan *scan, const struct diagnosis *d, FILE *out);

struct rule_set;
/* {"rules": [{id, severity, category, title, hint, origin}]}: for `rules list --json` and
 * the web API. New reference. */
json_t *rules_json(const struct rule_set *set);

#endif
