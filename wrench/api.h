/*
 * api.h - the HTTP API of `wrench serve` (docs/api.md) as a route table and
 * its handlers, plus the parsers of what a request carries (ids, limits, the
 * scan body), which work on plain strings so that tests and the fuzzer can
 * call them without a server.
 */
#ifndef WRENCH_API_H
#define WRENCH_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accept.h"
#include "http.h"
#include "pipeline.h"

#define API_DEFAULT_LIMIT 50 /* scans per history page */
#define API_MAX_LIMIT 200
#define API_TARGET_NAME_MAX 32

struct rule_set;
struct scanjob;

/* One configured target, named for POST /api/v1/scans bodies: "classpath-1", "jar-2"... */
struct api_target {
    struct scan_target target; /* value borrowed */
    char name[API_TARGET_NAME_MAX];
};

/* The rendered JSON report of the latest scan: stored scans never change, and the latest is
 * the one a platform polls, so it is rendered once. Guarded by `lock`. */
struct api_report_cache {
    pthread_mutex_t lock;
    int64_t id; /* 0: empty */
    char *text;
    size_t len;
};
void api_report_cache_init(struct api_report_cache *cache);
/* Free the text and destroy the lock. */
void api_report_cache_clear(struct api_report_cache *cache);

/* The accept file as serve reads it (accept.h). Every served report is marked with `set`
 * under the read lock; POST and DELETE /api/v1/accept rewrite the file and read it again
 * under the write lock, and empty the report cache. */
struct api_accept {
    pthread_rwlock_t lock;
    struct accept_set set; /* set.path: the file edits go to; NULL when there is none */
    bool writable;         /* edits allowed: a file, and a token that guards every write */
};

/* What the handlers share; everything borrowed, read-only once the server runs
 * (the job runner, the cache and the accept file have their own locks). */
struct api_context {
    const char *db_path;
    const struct api_target *targets;
    size_t n_targets;
    const struct rule_set *rules;
    struct scanjob *jobs;
    struct api_report_cache *cache;
    struct api_accept *accept; /* --accept: marks every report; may be NULL */
};

/* The routes of the API and the UI; handlers take a struct api_context. */
extern const struct http_route api_routes[];
extern const size_t api_route_count;

/* Name the targets "KIND-N", N counting from 1 per kind. */
void api_name_targets(struct api_target *targets, size_t n);

/* A scan id: a decimal number from 1 to INT64_MAX. -1 when it is not one. */
int api_parse_id(const char *text, int64_t *id);

/* A history page size: API_DEFAULT_LIMIT when text is NULL, else 1..API_MAX_LIMIT. */
int api_parse_limit(const char *text, size_t *limit);

/*
 * The body of POST /api/v1/scans: empty, or a JSON object with an optional
 * "targets" array of configured target names and an optional "thread_dump":
 * "all" | "hung" (no other key). selected[i] is set for the targets it picks (all
 * when it names none); *state gets the thread dump wish (zeroed otherwise). -1
 * with err set when it is malformed or names an unknown target.
 */
int api_parse_scan_body(const char *body, size_t len, const struct api_target *targets,
                        size_t n_targets, bool *selected, struct state_options *state, char *err);

/* The Content-Type of an embedded UI file by its name, or NULL when it is not served. */
const char *api_ui_content_type(const char *name);

#endif
