/*
 * hints.c - load and evaluate classpath hints (see hints.h). A hint fires in a
 * view when all its conditions hold:
 *   "resources" + "min_entries": at least N entries hold one of the resources;
 *   "artifacts": every listed artifactId is on the classpath;
 *   "scope": "webapp" limits it to wars and exploded webapps, and to the webapp's own
 *   entries (the war, WEB-INF/classes, WEB-INF/lib): the container's lib/ (Tomcat's
 *   common loader) holds the Servlet API by design and is never "inside the webapp".
 */
#include "hints.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embedded.h"
#include "util.h"

#define HINTS_FILE "rules/classpath-hints.json"

struct hint_rule {
    char *id;
    enum severity severity;
    char *title;
    char *hint;
    char *title_zh; /* optional Simplified Chinese texts; NULL when none */
    char *hint_zh;
    char **resources;
    size_t n_resources;
    size_t min_entries;
    char **artifacts;
    size_t n_artifacts;
    bool webapp_only;
};

struct hint_set {
    struct hint_rule *rules;
    size_t n_rules;
    const char **watched; /* borrowed from the rules' resource lists */
    size_t n_watched;
};

void hints_free(struct hint_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n_rules; i++) {
        struct hint_rule *r = &set->rules[i];
        free(r->id);
        free(r->title);
        free(r->hint);
        free(r->title_zh);
        free(r->hint_zh);
        strv_free(r->resources, r->n_resources);
        strv_free(r->artifacts, r->n_artifacts);
    }
    free(set->rules);
    free(set->watched);
    free(set);
}

static int string_list(json_t *array, char ***out, size_t *n, const char *origin, const char *id,
                       const char *field, char *err)
{
    *out = NULL;
    *n = 0;
    if (!array)
        return 0;
    if (!json_is_array(array)) {
        err_set(err, "%s: hint %s: \"%s\" must be an array of strings", origin, id, field);
        return -1;
    }
    *out = xcalloc(json_array_size(array) + 1, sizeof(char *));
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        if (!json_is_string(item)) {
            err_set(err, "%s: hint %s: \"%s\" must be an array of strings", origin, id, field);
            return -1;
        }
        (*out)[(*n)++] = xstrdup(json_string_value(item));
    }
    return 0;
}

static const char *required_string(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int parse_rule(json_t *obj, struct hint_rule *r, const char *origin, size_t pos, char *err)
{
    const char *id = required_string(obj, "id");
    const char *sev = required_string(obj, "severity");
    const char *title = required_string(obj, "title");
    const char *hint = required_string(obj, "hint");
    if (!id || !sev || !title || !hint) {
        err_set(err,
                "%s: hint #%zu: \"id\", \"severity\", \"title\" and \"hint\" are required "
                "strings",
                origin, pos + 1);
        return -1;
    }
    r->id = xstrdup(id);
    r->title = xstrdup(title);
    r->hint = xstrdup(hint);
    const char *title_zh = required_string(obj, "title_zh");
    const char *hint_zh = required_string(obj, "hint_zh");
    if ((json_object_get(obj, "title_zh") && !title_zh) ||
        (json_object_get(obj, "hint_zh") && !hint_zh)) {
        err_set(err, "%s: hint %s: \"title_zh\" and \"hint_zh\" must be strings", origin, id);
        return -1;
    }
    r->title_zh = title_zh ? xstrdup(title_zh) : NULL;
    r->hint_zh = hint_zh ? xstrdup(hint_zh) : NULL;
    if (severity_parse(sev, &r->severity) != 0) {
        err_set(err, "%s: hint %s: unknown severity \"%s\"", origin, id, sev);
        return -1;
    }
    if (string_list(json_object_get(obj, "resources"), &r->resources, &r->n_resources, origin, id,
                    "resources", err) ||
        string_list(json_object_get(obj, "artifacts"), &r->artifacts, &r->n_artifacts, origin, id,
                    "artifacts", err))
        return -1;
    json_t *min = json_object_get(obj, "min_entries");
    r->min_entries =
        json_is_integer(min) && json_integer_value(min) > 0 ? (size_t)json_integer_value(min) : 1;
    const char *scope = required_string(obj, "scope");
    r->webapp_only = scope && strcmp(scope, "webapp") == 0;
    if (!r->n_resources && !r->n_artifacts) {
        err_set(err, "%s: hint %s: needs \"resources\" or \"artifacts\"", origin, id);
        return -1;
    }
    return 0;
}

int hints_load_text(struct hint_set **out, const char *text, const char *origin, char *err)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root) {
        err_set(err, "%s:%d:%d: %s", origin, jerr.line, jerr.column, jerr.text);
        return -1;
    }
    int rc = -1;
    struct hint_set *set = xcalloc(1, sizeof(*set));
    json_t *list = json_object_get(root, "hints");
    if (!json_is_array(list)) {
        err_set(err, "%s: expected an object with a \"hints\" array", origin);
        goto out;
    }
    set->rules = xcalloc(json_array_size(list) + 1, sizeof(struct hint_rule));
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        struct hint_rule *r = &set->rules[set->n_rules++];
        if (!json_is_object(item)) {
            err_set(err, "%s: hint #%zu is not an object", origin, i + 1);
            goto out;
        }
        if (parse_rule(item, r, origin, i, err) != 0)
            goto out;
        for (size_t k = 0; k < r->n_resources; k++) {
            set->watched = xrealloc(set->watched, (set->n_watched + 1) * sizeof(char *));
            set->watched[set->n_watched++] = r->resources[k];
        }
    }
    rc = 0;
out:
    json_decref(root);
    if (rc == 0)
        *out = set;
    else
        hints_free(set);
    return rc;
}

int hints_load_default(struct hint_set **out, char *err)
{
    const struct embedded_file *f = embedded_find(HINTS_FILE);
    if (!f) {
        err_set(err, "%s is not embedded in this build", HINTS_FILE);
        return -1;
    }
    return hints_load_text(out, (const char *)f->data, HINTS_FILE, err);
}

const char *const *hints_watched(const struct hint_set *set, size_t *n)
{
    *n = set->n_watched;
    return (const char *const *)set->watched;
}

static void add_entry_once(size_t **list, size_t *n, size_t entry)
{
    for (size_t i = 0; i < *n; i++)
        if ((*list)[i] == entry)
            return;
    *list = xrealloc(*list, (*n + 1) * sizeof(size_t));
    (*list)[(*n)++] = entry;
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether an entry may count for the rule: a webapp-scoped rule counts only what the
 * webapp itself holds, never the parent (common) loader's entries. */
static bool entry_in_scope(const struct hint_rule *r, const struct cp_view *view, size_t entry)
{
    return !r->webapp_only || (entry < view->n_entries && !view->entries[entry].parent_loader);
}

/* Entries holding any of the rule's resources. */
static void match_resources(const struct hint_rule *r, const struct cp_view *view, size_t **hits,
                            size_t *n_hits)
{
    for (size_t i = 0; i < view->n_resources; i++)
        for (size_t k = 0; k < r->n_resources; k++)
            if (strcmp(view->resources[i].name, r->resources[k]) == 0 &&
                entry_in_scope(r, view, view->resources[i].entry))
                add_entry_once(hits, n_hits, view->resources[i].entry);
}

/* Entries providing each listed artifact; false when one is absent. */
static bool match_artifacts(const struct hint_rule *r, const struct cp_view *view, size_t **hits,
                            size_t *n_hits)
{
    for (size_t k = 0; k < r->n_artifacts; k++) {
        bool found = false;
        for (size_t i = 0; i < view->n_entries; i++) {
            const struct cp_entry *e = &view->entries[i];
            if (e->status == STATUS_OK && e->artifact.name && entry_in_scope(r, view, i) &&
                strcasecmp(e->artifact.name, r->artifacts[k]) == 0) {
                add_entry_once(hits, n_hits, i);
                found = true;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

static void evaluate_rule(const struct hint_rule *r, struct scan *scan, size_t v)
{
    const struct cp_view *view = &scan->views[v];
    if (r->webapp_only && !view->is_webapp)
        return;
    size_t *hits = NULL, n_hits = 0;
    bool fires = true;
    if (r->n_resources) {
        match_resources(r, view, &hits, &n_hits);
        fires = n_hits >= r->min_entries;
    }
    if (fires && r->n_artifacts)
        fires = match_artifacts(r, view, &hits, &n_hits);
    if (!fires) {
        free(hits);
        return;
    }
    qsort(hits, n_hits, sizeof(size_t), compare_size);
    scan->hints = xgrow(scan->hints, &scan->hints_cap, scan->n_hints + 1, sizeof(*scan->hints));
    struct hint_finding *h = &scan->hints[scan->n_hints++];
    h->view = v;
    h->id = xstrdup(r->id);
    h->severity = r->severity;
    h->title = xstrdup(r->title);
    h->hint = xstrdup(r->hint);
    h->title_zh = r->title_zh ? xstrdup(r->title_zh) : NULL;
    h->hint_zh = r->hint_zh ? xstrdup(r->hint_zh) : NULL;
    h->entries = hits;
    h->n_entries = n_hits;
}

void hints_evaluate(const struct hint_set *set, struct scan *scan)
{
    for (size_t v = 0; v < scan->n_views; v++)
        for (size_t i = 0; i < set->n_rules; i++)
            evaluate_rule(&set->rules[i], scan, v);
}
