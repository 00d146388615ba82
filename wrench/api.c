/*
 * api.c - the handlers of `wrench serve` (docs/api.md). Each request opens
 * its own store connection (SQLite connections are not shared between
 * threads; WAL lets them read while the scan thread writes). Everything from
 * jars and logs reaches the client as JSON strings, never as markup.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accept.h"
#include "api.h"
#include "diff.h"
#include "embedded.h"
#include "model.h"
#include "report_json.h"
#include "rules.h"
#include "scanjob.h"
#include "store.h"
#include "store_json.h"
#include "util.h"

#define UI_PREFIX "web/"
#define UI_NAME_MAX 64
#define LOCATION_FMT "/api/v1/scans/%" PRId64

/* ------------------------------------------------------------------------ */
/* Parsers */

void api_name_targets(struct api_target *targets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t same = 1;
        for (size_t j = 0; j < i; j++)
            same += targets[j].target.kind == targets[i].target.kind;
        snprintf(targets[i].name, sizeof(targets[i].name), "%s-%zu",
                 target_kind_name(targets[i].target.kind), same);
    }
}

int api_parse_id(const char *text, int64_t *id)
{
    uint64_t n;
    if (!text || parse_u64(text, &n) != 0 || n < 1 || n > INT64_MAX)
        return -1;
    *id = (int64_t)n;
    return 0;
}

int api_parse_limit(const char *text, size_t *limit)
{
    uint64_t n = API_DEFAULT_LIMIT;
    if (text && (parse_u64(text, &n) != 0 || n < 1 || n > API_MAX_LIMIT))
        return -1;
    *limit = (size_t)n;
    return 0;
}

/* "thread_dump": "all" or "hung", as `wrench scan --thread-dump[=hung]`. */
static int parse_thread_dump(json_t *value, struct state_options *state, char *err)
{
    const char *when = json_string_value(value);
    if (!when || (strcmp(when, "all") != 0 && strcmp(when, "hung") != 0)) {
        err_set(err, "\"thread_dump\" must be \"all\" or \"hung\"");
        return -1;
    }
    state->thread_dump = true;
    state->dump_hung_only = strcmp(when, "hung") == 0;
    return 0;
}

int api_parse_scan_body(const char *body, size_t len, const struct api_target *targets,
                        size_t n_targets, bool *selected, struct state_options *state, char *err)
{
    memset(state, 0, sizeof(*state));
    size_t skip = 0;
    while (skip < len && strchr(" \t\r\n", body[skip]))
        skip++;
    for (size_t i = 0; i < n_targets; i++)
        selected[i] = true;
    if (skip == len)
        return 0;
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    int rc = -1;
    if (!root) {
        err_set(err, "the body is not JSON: %s at line %d", jerr.text, jerr.line);
        goto out;
    }
    if (!json_is_object(root)) {
        err_set(err, "the body must be a JSON object such as {\"targets\": [\"classpath-1\"]}");
        goto out;
    }
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        if (strcmp(key, "thread_dump") == 0) {
            if (parse_thread_dump(value, state, err) != 0)
                goto out;
        } else if (strcmp(key, "targets") != 0) {
            err_set(err, "unknown key in the body (only \"targets\" and \"thread_dump\" are "
                         "known)");
            goto out;
        }
    }
    json_t *names = json_object_get(root, "targets");
    if (!names) {
        rc = 0;
        goto out;
    }
    if (!json_is_array(names) || json_array_size(names) == 0) {
        err_set(err, "\"targets\" must be a non-empty array of target names "
                     "(see GET /api/v1/targets)");
        goto out;
    }
    for (size_t i = 0; i < n_targets; i++)
        selected[i] = false;
    size_t i;
    json_array_foreach(names, i, value)
    {
        const char *name = json_string_value(value);
        size_t t = 0;
        while (name && t < n_targets && strcmp(targets[t].name, name) != 0)
            t++;
        if (!name || t == n_targets) {
            /* The name is not echoed: it is client text and may be anything. */
            err_set(err, "\"targets\"[%zu] is no configured target (see GET /api/v1/targets)", i);
            goto out;
        }
        selected[t] = true;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

const char *api_ui_content_type(const char *name)
{
    if (str_has_suffix(name, ".html"))
        return "text/html; charset=utf-8";
    if (str_has_suffix(name, ".css"))
        return "text/css; charset=utf-8";
    if (str_has_suffix(name, ".js"))
        return "text/javascript; charset=utf-8";
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Store access */

/* Open the store for reading: STORE_NOT_FOUND (no database yet) reads as empty. On
 * STORE_FAILED the answer is already a 500. */
static enum store_status open_store(const struct api_context *api, struct store **st,
                                    struct http_response *res)
{
    char err[WR_ERR_MAX];
    enum store_status status = store_open(st, api->db_path, false, err);
    if (status == STORE_FAILED)
        http_respond_error(res, 500, "%s", err);
    return status;
}

static void store_failed(struct http_response *res, const char *err)
{
    fprintf(stderr, "wrench serve: %s\n", err);
    http_respond_error(res, 500, "%s", err);
}

/* The id a request names in its first capture, or "latest". 0 when the answer is made. */
static int capture_id(const struct http_request *req, int64_t *id, struct http_response *res)
{
    if (api_parse_id(req->captures[0], id) != 0) {
        http_respond_error(res, 400, "a scan id is a positive number");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Handlers */

static void handle_healthz(void *ctx, const struct http_request *req, struct http_response *res)
{
    (void)ctx;
    (void)req;
    http_respond_json(res, 200, json_pack("{s:s, s:s}", "status", "ok", "version", WR_VERSION));
}

static void handle_targets(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    (void)req;
    json_t *list = json_array();
    for (size_t i = 0; i < api->n_targets; i++)
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:o}", "name", api->targets[i].name, "kind",
                                        target_kind_name(api->targets[i].target.kind), "spec",
                                        report_json_text(api->targets[i].target.value)));
    http_respond_json(res, 200, json_pack("{s:o}", "targets", list));
}

static void handle_rules(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    (void)req;
    http_respond_json(res, 200, rules_json(api->rules));
}

static void handle_start_scan(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    char err[WR_ERR_MAX];
    bool *selected = xcalloc(api->n_targets + 1, sizeof(*selected));
    int64_t id;
    struct state_options state;
    if (api_parse_scan_body(req->body, req->body_len, api->targets, api->n_targets, selected,
                            &state, err) != 0) {
        http_respond_error(res, 400, "%s", err);
        goto out;
    }
    switch (scanjob_start(api->jobs, selected, &state, &id, err)) {
    case SCANJOB_STARTED:
        snprintf(res->location, sizeof(res->location), LOCATION_FMT, id);
        http_respond_json(res, 202,
                          json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "status", "queued",
                                    "location", res->location));
        break;
    case SCANJOB_BUSY:
        http_respond_error(res, 409, "a scan is already queued or running");
        break;
    case SCANJOB_STOPPED:
        http_respond_error(res, 503, "the server is shutting down");
        break;
    case SCANJOB_ERROR:
        store_failed(res, err);
        break;
    }
out:
    free(selected);
}

/* The running job as a history row, so that a client sees it before it is stored. */
static json_t *job_row(const struct scanjob_status *s)
{
    return json_pack("{s:I, s:n, s:n, s:n, s:n, s:n, s:s, s:f, s:s}", "id", (json_int_t)s->id,
                     "started", "finished", "duration_ms", "host", "targets", "status",
                     scanjob_state_name(s->state), "progress", s->progress, "step", s->step);
}

/* One page of the stored history, newest first: at most `limit` scans below `before`,
 * read with LIMIT in SQL. -1 when an error answer was sent. No database yet is an empty
 * history. Free with store_scan_infos_free. */
static int read_history_page(const struct api_context *api, struct http_response *res,
                             int64_t before, size_t limit, struct store_scan_info **infos,
                             size_t *n, bool *more)
{
    struct store *st = NULL;
    char err[WR_ERR_MAX];
    *infos = NULL;
    *n = 0;
    *more = false;
    enum store_status status = open_store(api, &st, res);
    if (status == STORE_FAILED)
        return -1;
    int rc = 0;
    if (status == STORE_OK && store_list_page(st, before, limit, infos, n, more, err) != STORE_OK) {
        store_failed(res, err);
        rc = -1;
    }
    store_close(st);
    return rc;
}

static void handle_list(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    const char *before_text = http_query(req, "before");
    size_t limit;
    int64_t before = INT64_MAX;
    if (api_parse_limit(http_query(req, "limit"), &limit) != 0) {
        http_respond_error(res, 400, "limit takes a number from 1 to %d", API_MAX_LIMIT);
        return;
    }
    if (before_text && api_parse_id(before_text, &before) != 0) {
        http_respond_error(res, 400, "before takes a scan id");
        return;
    }
    struct store_scan_info *infos;
    size_t n;
    bool more;
    if (read_history_page(api, res, before, limit, &infos, &n, &more) != 0)
        return;
    json_t *list = json_array();
    struct scanjob_status job;
    if (!before_text && scanjob_current(api->jobs, &job) &&
        (job.state == SCANJOB_QUEUED || job.state == SCANJOB_RUNNING))
        json_array_append_new(list, job_row(&job));
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, store_json_info(&infos[i]));
    json_t *next = more && n ? json_integer((json_int_t)infos[n - 1].id) : json_null();
    http_respond_json(res, 200, json_pack("{s:o, s:o}", "scans", list, "next_before", next));
    store_scan_infos_free(infos, n);
}

void api_report_cache_init(struct api_report_cache *cache)
{
    memset(cache, 0, sizeof(*cache));
    pthread_mutex_init(&cache->lock, NULL);
}

void api_report_cache_clear(struct api_report_cache *cache)
{
    free(cache->text);
    cache->text = NULL;
    pthread_mutex_destroy(&cache->lock);
}

/* Answer the cached report when it is scan `id`; false when it is not cached. */
static bool respond_cached(struct api_report_cache *cache, int64_t id, struct http_response *res)
{
    pthread_mutex_lock(&cache->lock);
    bool hit = cache->id == id && cache->text;
    if (hit)
        http_respond_bytes(res, 200, "application/json", cache->text, cache->len);
    pthread_mutex_unlock(&cache->lock);
    return hit;
}

static void cache_store(struct api_report_cache *cache, int64_t id, const char *text, size_t len)
{
    pthread_mutex_lock(&cache->lock);
    if (id > cache->id) {
        free(cache->text);
        cache->text = xstrndup(text, len);
        cache->len = len;
        cache->id = id;
    }
    pthread_mutex_unlock(&cache->lock);
}

/* Answer the JSON report of scan `id` (0: the latest), as `wrench show ID --json` prints it,
 * marked with the accept file (read-locked for the whole answer, cache included, so that an
 * edit never interleaves with a render). */
static void respond_report_marked(const struct api_context *api, int64_t id,
                                  struct http_response *res);

static void respond_report(const struct api_context *api, int64_t id, struct http_response *res)
{
    if (api->accept)
        pthread_rwlock_rdlock(&api->accept->lock);
    respond_report_marked(api, id, res);
    if (api->accept)
        pthread_rwlock_unlock(&api->accept->lock);
}

static void respond_report_marked(const struct api_context *api, int64_t id,
                                  struct http_response *res)
{
    struct store *st = NULL;
    struct scan *scan = NULL;
    char err[WR_ERR_MAX];
    int64_t latest = 0;
    enum store_status status = open_store(api, &st, res);
    if (status == STORE_FAILED)
        return;
    if (status == STORE_NOT_FOUND) {
        if (id)
            http_respond_error(res, 404, "no scan %" PRId64, id);
        else
            http_respond_error(res, 404, "no scan is stored yet");
        return;
    }
    /* Only the latest scan is cached: the store says which it is, so a cached scan that
     * retention has deleted is never served. */
    status = store_latest(st, &latest, err);
    if (status == STORE_NOT_FOUND && id == 0)
        http_respond_error(res, 404, "no scan is stored yet");
    if (status == STORE_NOT_FOUND && id != 0)
        status = STORE_OK;
    if (status == STORE_OK && id == 0)
        id = latest;
    if (status == STORE_OK && id == latest && respond_cached(api->cache, id, res))
        goto out;
    if (status == STORE_OK) {
        status = store_load_scan(st, id, &scan, NULL, err);
        if (status == STORE_NOT_FOUND)
            http_respond_error(res, 404, "no scan %" PRId64, id);
    }
    if (status == STORE_OK && api->accept)
        scan->accept = &api->accept->set;
    if (status == STORE_FAILED)
        store_failed(res, err);
    if (status == STORE_OK) {
        char *text = report_json_dump(scan);
        size_t len = strlen(text);
        http_respond_bytes(res, 200, "application/json", text, len);
        if (id == latest)
            cache_store(api->cache, id, text, len);
        free(text);
    }
out:
    scan_free(scan);
    store_close(st);
}

static void handle_scan(void *ctx, const struct http_request *req, struct http_response *res)
{
    int64_t id;
    if (capture_id(req, &id, res) == 0)
        respond_report(ctx, id, res);
}

static void handle_latest(void *ctx, const struct http_request *req, struct http_response *res)
{
    (void)req;
    respond_report(ctx, 0, res);
}

static void handle_status(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    int64_t id;
    struct scanjob_status job;
    if (capture_id(req, &id, res) != 0)
        return;
    if (scanjob_lookup(api->jobs, id, &job)) {
        json_t *root =
            json_pack("{s:I, s:s, s:f, s:s, s:o}", "id", (json_int_t)job.id, "status",
                      scanjob_state_name(job.state), "progress", job.progress, "step", job.step,
                      "error", job.error[0] ? report_json_text(job.error) : json_null());
        if (job.state == SCANJOB_DONE)
            json_object_set_new(root, "scan_id", json_integer((json_int_t)job.scan_id));
        http_respond_json(res, 200, root);
        return;
    }
    /* A stored scan: its history row alone. */
    struct store *st = NULL;
    struct store_scan_info info = {0};
    char err[WR_ERR_MAX];
    enum store_status status = open_store(api, &st, res);
    if (status == STORE_FAILED)
        return;
    if (status == STORE_OK)
        status = store_info(st, id, &info, err);
    store_close(st);
    if (status == STORE_FAILED) {
        store_failed(res, err);
        return;
    }
    if (status == STORE_NOT_FOUND) {
        http_respond_error(res, 404, "no scan %" PRId64, id);
        return;
    }
    bool failed = info.status && strcmp(info.status, STORE_SCAN_FAILED) == 0;
    http_respond_json(res, 200,
                      json_pack("{s:I, s:s, s:f, s:s, s:o, s:I}", "id", (json_int_t)id, "status",
                                failed ? "failed" : "done", "progress", 1.0, "step",
                                failed ? "failed" : "done", "error",
                                failed ? json_string("the scan was stored as failed") : json_null(),
                                "scan_id", (json_int_t)id));
    store_scan_info_clear(&info);
}

static void handle_diff(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    const char *from_text = http_query(req, "from"), *to_text = http_query(req, "to");
    int64_t a = 0, b = 0;
    if ((from_text && api_parse_id(from_text, &a) != 0) ||
        (to_text && api_parse_id(to_text, &b) != 0)) {
        http_respond_error(res, 400, "from and to take scan ids");
        return;
    }
    struct store *st = NULL;
    struct scan *older = NULL, *newer = NULL;
    struct store_scan_info info_a = {0}, info_b = {0};
    char err[WR_ERR_MAX];
    enum store_status status = open_store(api, &st, res);
    if (status == STORE_FAILED)
        return;
    if (status == STORE_NOT_FOUND) {
        http_respond_error(res, 404, "no scan is stored yet");
        return;
    }
    if (!b && (status = store_latest(st, &b, err)) == STORE_NOT_FOUND) {
        http_respond_error(res, 404, "no scan is stored yet");
        goto out;
    }
    if (status == STORE_OK && !a && (status = store_previous(st, b, &a, err)) == STORE_NOT_FOUND) {
        http_respond_error(res, 404, "no earlier scan of the same targets as scan %" PRId64, b);
        goto out;
    }
    if (status == STORE_OK &&
        (status = store_load_scan(st, a, &older, &info_a, err)) == STORE_NOT_FOUND) {
        http_respond_error(res, 404, "no scan %" PRId64, a);
        goto out;
    }
    if (status == STORE_OK &&
        (status = store_load_scan(st, b, &newer, &info_b, err)) == STORE_NOT_FOUND) {
        http_respond_error(res, 404, "no scan %" PRId64, b);
        goto out;
    }
    if (status != STORE_OK) {
        store_failed(res, err);
        goto out;
    }
    struct scan_diff *d = diff_scans(older, newer);
    http_respond_json(res, 200, store_json_diff(d, &info_a, &info_b));
    diff_free(d);
out:
    store_scan_info_clear(&info_a);
    store_scan_info_clear(&info_b);
    scan_free(older);
    scan_free(newer);
    store_close(st);
}

/* "2026-11-27T04:15:10.123Z" as seconds since the epoch; 0 when it is not that. */
static double iso_seconds(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *rest = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return 0;
    return (double)timegm(&tm);
}

static void handle_metrics(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    (void)req;
    uint64_t done, failed;
    bool active;
    scanjob_counts(api->jobs, &done, &failed, &active);
    struct store *st = NULL;
    struct store_scan_info info = {0};
    int64_t id;
    char err[WR_ERR_MAX];
    bool have_latest = false;
    enum store_status status = open_store(api, &st, res);
    if (status == STORE_FAILED)
        return;
    /* The latest scan's summary row is all the metrics need, not its child tables. */
    if (status == STORE_OK && (status = store_latest(st, &id, err)) == STORE_OK)
        status = store_info(st, id, &info, err);
    if (status == STORE_FAILED) {
        store_failed(res, err);
        goto out;
    }
    have_latest = status == STORE_OK;
    struct strbuf sb = {0};
    strbuf_puts(&sb, "# HELP wrench_scans_total Scans run by this server, by outcome.\n"
                     "# TYPE wrench_scans_total counter\n");
    strbuf_printf(&sb, "wrench_scans_total{status=\"done\"} %" PRIu64 "\n", done);
    strbuf_printf(&sb, "wrench_scans_total{status=\"failed\"} %" PRIu64 "\n", failed);
    strbuf_printf(&sb,
                  "# HELP wrench_scan_running 1 while a scan is queued or running.\n"
                  "# TYPE wrench_scan_running gauge\nwrench_scan_running %d\n",
                  active ? 1 : 0);
    if (have_latest) {
        strbuf_printf(&sb,
                      "# HELP wrench_last_scan_duration_seconds How long the latest stored scan "
                      "took.\n# TYPE wrench_last_scan_duration_seconds gauge\n"
                      "wrench_last_scan_duration_seconds %.3f\n",
                      (double)info.duration_ms / 1000.0);
        strbuf_printf(&sb,
                      "# HELP wrench_last_scan_timestamp_seconds When the latest stored scan "
                      "finished.\n# TYPE wrench_last_scan_timestamp_seconds gauge\n"
                      "wrench_last_scan_timestamp_seconds %.0f\n",
                      iso_seconds(info.finished));
        strbuf_puts(&sb, "# HELP wrench_latest_findings Findings of the latest stored scan.\n"
                         "# TYPE wrench_latest_findings gauge\n");
        for (int s = SEV_COUNT - 1; s >= 0; s--)
            strbuf_printf(&sb, "wrench_latest_findings{severity=\"%s\"} %zu\n",
                          severity_name((enum severity)s), info.counts[s]);
    }
    http_respond_bytes(res, 200, "text/plain; version=0.0.4; charset=utf-8", sb.data, sb.len);
    strbuf_free(&sb);
out:
    store_scan_info_clear(&info);
    store_close(st);
}

/* ------------------------------------------------------------------------ */
/* The accept file (docs/accept.md) */

/* The accept file's entries and whether this server edits it. Call with the lock held. */
static json_t *accept_json(const struct api_accept *a)
{
    json_t *entries = json_array();
    for (size_t i = 0; a && i < a->set.n; i++) {
        const struct accept_entry *e = &a->set.entries[i];
        json_array_append_new(entries, json_pack("{s:s, s:o, s:o}", "by", accept_by_name(e->by),
                                                 "value", report_json_text(e->value), "reason",
                                                 report_json_text(e->reason)));
    }
    return json_pack("{s:o, s:b, s:o}", "file", report_json_text(a ? a->set.path : NULL),
                     "writable", a && a->writable, "entries", entries);
}

static void handle_accept_list(void *ctx, const struct http_request *req, struct http_response *res)
{
    const struct api_context *api = ctx;
    (void)req;
    if (api->accept)
        pthread_rwlock_rdlock(&api->accept->lock);
    http_respond_json(res, 200, accept_json(api->accept));
    if (api->accept)
        pthread_rwlock_unlock(&api->accept->lock);
}

/* The served reports were marked with the old file: none may be answered from the cache. */
static void cache_forget(struct api_report_cache *cache)
{
    pthread_mutex_lock(&cache->lock);
    free(cache->text);
    cache->text = NULL;
    cache->len = 0;
    cache->id = 0;
    pthread_mutex_unlock(&cache->lock);
}

/* Apply the edit to the file, then read it again: the set is always what the file says. */
static void edit_accept_file(const struct api_context *api, const struct accept_entry *e,
                             bool remove, struct http_response *res)
{
    struct api_accept *a = api->accept;
    char err[WR_ERR_MAX];
    struct accept_set fresh = {0};
    static const int status_of[] = {[ACCEPT_EDIT_OK] = 200,
                                    [ACCEPT_EDIT_EXISTS] = 409,
                                    [ACCEPT_EDIT_ABSENT] = 404,
                                    [ACCEPT_EDIT_FAILED] = 500};
    pthread_rwlock_wrlock(&a->lock);
    enum accept_edit result = accept_file_edit(a->set.path, e, remove, err);
    if (result == ACCEPT_EDIT_OK && accept_load(a->set.path, &fresh, err) != 0)
        result = ACCEPT_EDIT_FAILED;
    if (result == ACCEPT_EDIT_OK) {
        /* The baseline is the server's, not the file's: it carries over. */
        fresh.baseline_scan = a->set.baseline_scan;
        fresh.baseline_ids = a->set.baseline_ids;
        fresh.n_baseline = a->set.n_baseline;
        a->set.baseline_ids = NULL;
        a->set.n_baseline = 0;
        accept_set_clear(&a->set);
        a->set = fresh;
        cache_forget(api->cache);
        http_respond_json(res, remove ? 200 : 201, accept_json(a));
    } else {
        http_respond_error(res, status_of[result], "%s", err);
    }
    pthread_rwlock_unlock(&a->lock);
}

static void accept_request(void *ctx, const struct http_request *req, struct http_response *res,
                           bool remove)
{
    const struct api_context *api = ctx;
    char err[WR_ERR_MAX];
    if (!api->accept || !api->accept->writable) {
        http_respond_error(res, 403,
                           "this server does not edit an accept file: start wrench serve with "
                           "--accept FILE and a token (--token-file) to accept from here");
        return;
    }
    struct accept_set body = {0};
    if (accept_parse_request(req->body, req->body_len, !remove, &body, err) != 0)
        http_respond_error(res, 400, "%s", err);
    else
        edit_accept_file(api, &body.entries[0], remove, res);
    accept_set_clear(&body);
}

static void handle_accept_add(void *ctx, const struct http_request *req, struct http_response *res)
{
    accept_request(ctx, req, res, false);
}

static void handle_accept_remove(void *ctx, const struct http_request *req,
                                 struct http_response *res)
{
    accept_request(ctx, req, res, true);
}

/* An embedded UI file by exact name: no path is ever built from the request. */
static void respond_ui(const char *name, struct http_response *res)
{
    char path[sizeof(UI_PREFIX) + UI_NAME_MAX];
    const char *type = api_ui_content_type(name);
    const struct embedded_file *f = NULL;
    if (type && strlen(name) < UI_NAME_MAX) {
        snprintf(path, sizeof(path), UI_PREFIX "%s", name);
        f = embedded_find(path);
    }
    if (!f) {
        http_respond_error(res, 404, "no such file");
        return;
    }
    http_respond_bytes(res, 200, type, f->data, f->size);
    res->is_static = true;
}

static void handle_index(void *ctx, const struct http_request *req, struct http_response *res)
{
    (void)ctx;
    (void)req;
    respond_ui("index.html", res);
}

static void handle_ui(void *ctx, const struct http_request *req, struct http_response *res)
{
    (void)ctx;
    respond_ui(req->captures[0], res);
}

/* Order matters where patterns overlap: "latest" before "{}". */
const struct http_route api_routes[] = {
    {"GET", "/healthz", handle_healthz, true},
    {"GET", "/metrics", handle_metrics, false},
    {"GET", "/", handle_index, true},
    {"GET", "/ui/{}", handle_ui, true},
    {"GET", "/api/v1/targets", handle_targets, false},
    {"GET", "/api/v1/rules", handle_rules, false},
    {"GET", "/api/v1/scans", handle_list, false},
    {"POST", "/api/v1/scans", handle_start_scan, false},
    {"GET", "/api/v1/scans/latest", handle_latest, false},
    {"GET", "/api/v1/scans/{}", handle_scan, false},
    {"GET", "/api/v1/scans/{}/status", handle_status, false},
    {"GET", "/api/v1/diff", handle_diff, false},
    {"GET", "/api/v1/accept", handle_accept_list, false},
    {"POST", "/api/v1/accept", handle_accept_add, false},
    {"DELETE", "/api/v1/accept", handle_accept_remove, false},
};
const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);
