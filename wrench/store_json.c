/*
 * store_json.c - stored scans as JSON: history rows and diffs, for the
 * command line (cmd_store.c) and the HTTP API (api.c) alike.
 */
#include <jansson.h>

#include "diff.h"
#include "model.h"
#include "report_json.h"
#include "store.h"
#include "store_json.h"

json_t *store_json_info(const struct store_scan_info *info)
{
    json_t *summary =
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "critical",
                  (json_int_t)info->counts[SEV_CRITICAL], "error",
                  (json_int_t)info->counts[SEV_ERROR], "warning",
                  (json_int_t)info->counts[SEV_WARNING], "info", (json_int_t)info->counts[SEV_INFO],
                  "views", (json_int_t)info->views, "entries", (json_int_t)info->entries, "classes",
                  (json_int_t)info->classes, "verdict", report_json_text(info->verdict));
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer((json_int_t)info->id));
    json_object_set_new(j, "started", report_json_text(info->started));
    json_object_set_new(j, "finished", report_json_text(info->finished));
    json_object_set_new(j, "duration_ms", json_integer((json_int_t)info->duration_ms));
    json_object_set_new(j, "host", report_json_text(info->host));
    json_object_set_new(j, "targets", report_json_text(info->targets));
    json_object_set_new(j, "status", report_json_text(info->status));
    json_object_set_new(j, "summary", summary);
    if (info->verdict_zh) /* the summary's verdict in Simplified Chinese */
        json_object_set_new(j, "verdict_zh", report_json_text(info->verdict_zh));
    json_object_set_new(j, "wrench_version", report_json_text(info->wrench_version));
    json_object_set_new(j, "report_schema", json_integer(info->report_schema));
    json_object_set_new(j, "rules_version", report_json_text(info->rules_version));
    return j;
}

static json_t *findings_json(const struct diff_finding *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct diff_finding *f = &list[i];
        json_t *item =
            json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "kind", diff_kind_name(f->kind), "id",
                      report_json_text(f->id), "severity", severity_name(f->severity), "view",
                      report_json_text(f->view), "identity", report_json_text(f->identity), "title",
                      report_json_text(f->title), "path", report_json_text(f->path));
        if (f->title_zh) /* the title in Simplified Chinese, as the text diff's --lang zh */
            json_object_set_new(item, "title_zh", report_json_text(f->title_zh));
        json_array_append_new(a, item);
    }
    return a;
}

/* {"path", "version"} of one side of a changed jar; null for the side it lacks. */
static json_t *jar_side_json(const char *path, const char *version)
{
    if (!path)
        return json_null();
    return json_pack("{s:o, s:o}", "path", report_json_text(path), "version",
                     report_json_text(version));
}

static json_t *jars_json(const struct diff_jar *list, size_t n, bool changed)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct diff_jar *j = &list[i];
        json_t *item = json_pack("{s:o, s:o}", "view", report_json_text(j->view), "key",
                                 report_json_text(j->key));
        if (changed) {
            json_object_set_new(item, "change", json_string(diff_jar_change_name(j->change)));
            json_object_set_new(item, "from", jar_side_json(j->from_path, j->from_version));
            json_object_set_new(item, "to", jar_side_json(j->to_path, j->to_version));
        } else {
            const char *path = j->to_path ? j->to_path : j->from_path;
            const char *version = j->to_path ? j->to_version : j->from_version;
            json_object_set_new(item, "path", report_json_text(path));
            json_object_set_new(item, "version", report_json_text(version));
        }
        json_array_append_new(a, item);
    }
    return a;
}

json_t *store_json_diff(const struct scan_diff *d, const struct store_scan_info *a,
                        const struct store_scan_info *b)
{
    json_t *root = json_object();
    json_object_set_new(root, "from", store_json_info(a));
    json_object_set_new(root, "to", store_json_info(b));
    json_object_set_new(root, "new_findings", findings_json(d->new_findings, d->n_new));
    json_object_set_new(root, "resolved_findings", findings_json(d->resolved, d->n_resolved));
    json_object_set_new(root, "jars_added", jars_json(d->jars_added, d->n_jars_added, false));
    json_object_set_new(root, "jars_removed", jars_json(d->jars_removed, d->n_jars_removed, false));
    json_object_set_new(root, "jars_changed", jars_json(d->jars_changed, d->n_jars_changed, true));
    return root;
}
