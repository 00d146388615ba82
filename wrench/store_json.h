/*
 * store_json.h - stored scans as JSON, shared by `wrench history/diff --json`
 * and `wrench serve`: a history row, and the diff of two stored scans.
 */
#ifndef WRENCH_STORE_JSON_H
#define WRENCH_STORE_JSON_H

#include <jansson.h>

#include "diff.h"
#include "store.h"

/* {id, started, finished, duration_ms, host, targets, status, summary: {critical, error,
 * warning, info, views, entries, classes, verdict}, wrench_version, report_schema,
 * rules_version}. New reference. */
json_t *store_json_info(const struct store_scan_info *info);

/* {from, to, new_findings, resolved_findings, jars_added, jars_removed, jars_changed}:
 * `d` compares scan `a` with the newer scan `b`. New reference. */
json_t *store_json_diff(const struct scan_diff *d, const struct store_scan_info *a,
                        const struct store_scan_info *b);

#endif
