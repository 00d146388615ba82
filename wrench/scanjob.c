/*
 * scanjob.c - the background scan of `wrench serve`: one thread per scan, at
 * most one at a time. The status is the only state shared with the request
 * threads and is read and written under `lock`; the thread owns everything
 * else of its scan.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "digest.h"
#include "model.h"
#include "pipeline.h"
#include "rules.h"
#include "safetext.h"
#include "scanjob.h"
#include "store.h"

struct scanjob {
    struct scan_target *targets; /* values owned */
    size_t n_targets;
    char *rules_dir;
    char *since;
    bool last_start;
    bool sha256; /* --sha256: every jar's digest, as wrench scan --sha256 */
    struct discover_options discover;
    char *db_path;
    size_t keep;

    pthread_mutex_t lock; /* guards everything below */
    bool has_job;
    bool thread_live; /* started and not yet joined */
    bool stopping;
    pthread_t thread;
    struct scanjob_status status;
    struct scan_target *job_targets; /* the running job's selection; values borrowed */
    size_t n_job_targets;
    struct state_options job_state; /* the running job's thread dump wish */
    uint64_t n_done, n_failed;
};

const char *scanjob_state_name(enum scanjob_state state)
{
    switch (state) {
    case SCANJOB_QUEUED:
        return "queued";
    case SCANJOB_RUNNING:
        return "running";
    case SCANJOB_DONE:
        return "done";
    case SCANJOB_FAILED:
        return "failed";
    }
    return "unknown";
}

struct scanjob *scanjob_new(const struct scanjob_config *cfg)
{
    struct scanjob *jobs = xcalloc(1, sizeof(*jobs));
    jobs->targets = xcalloc(cfg->n_targets + 1, sizeof(*jobs->targets));
    for (size_t i = 0; i < cfg->n_targets; i++)
        jobs->targets[i] =
            (struct scan_target){cfg->targets[i].kind, xstrdup(cfg->targets[i].value)};
    jobs->n_targets = cfg->n_targets;
    jobs->rules_dir = cfg->rules_dir ? xstrdup(cfg->rules_dir) : NULL;
    jobs->since = cfg->since ? xstrdup(cfg->since) : NULL;
    jobs->last_start = cfg->last_start;
    jobs->sha256 = cfg->sha256;
    jobs->discover = cfg->discover;
    jobs->db_path = xstrdup(cfg->db_path);
    jobs->keep = cfg->keep;
    pthread_mutex_init(&jobs->lock, NULL);
    return jobs;
}

static void join_thread(struct scanjob *jobs)
{
    pthread_mutex_lock(&jobs->lock);
    bool live = jobs->thread_live;
    jobs->thread_live = false;
    pthread_mutex_unlock(&jobs->lock);
    if (live)
        pthread_join(jobs->thread, NULL);
}

void scanjob_free(struct scanjob *jobs)
{
    if (!jobs)
        return;
    scanjob_stop(jobs);
    join_thread(jobs);
    pthread_mutex_destroy(&jobs->lock);
    for (size_t i = 0; i < jobs->n_targets; i++)
        free((char *)jobs->targets[i].value);
    free(jobs->targets);
    free(jobs->job_targets);
    free(jobs->rules_dir);
    free(jobs->since);
    free(jobs->db_path);
    free(jobs);
}

void scanjob_stop(struct scanjob *jobs)
{
    pthread_mutex_lock(&jobs->lock);
    jobs->stopping = true;
    pthread_mutex_unlock(&jobs->lock);
}

static void on_progress(void *ud, double fraction, const char *step)
{
    struct scanjob *jobs = ud;
    pthread_mutex_lock(&jobs->lock);
    jobs->status.state = SCANJOB_RUNNING;
    if (fraction >= jobs->status.progress && fraction <= 1.0)
        jobs->status.progress = fraction;
    snprintf(jobs->status.step, sizeof(jobs->status.step), "%s", step ? step : "");
    pthread_mutex_unlock(&jobs->lock);
}

static void finish(struct scanjob *jobs, bool ok, int64_t scan_id, const char *error,
                   uint64_t started_ms)
{
    pthread_mutex_lock(&jobs->lock);
    jobs->status.state = ok ? SCANJOB_DONE : SCANJOB_FAILED;
    jobs->status.scan_id = ok ? scan_id : 0;
    if (ok)
        jobs->status.progress = 1.0;
    snprintf(jobs->status.step, sizeof(jobs->status.step), "%s", ok ? "done" : "failed");
    snprintf(jobs->status.error, sizeof(jobs->status.error), "%s", ok ? "" : error);
    jobs->status.duration_ms = time_monotonic_ms() - started_ms;
    if (ok)
        jobs->n_done++;
    else
        jobs->n_failed++;
    pthread_mutex_unlock(&jobs->lock);
}

static void *run(void *arg)
{
    struct scanjob *jobs = arg;
    uint64_t started_ms = time_monotonic_ms();
    char err[WR_ERR_MAX] = "";
    struct scan *scan = NULL;
    struct store *st = NULL;
    int64_t id = 0;
    bool ok = false;
    char priority[BUDGET_TEXT_MAX];
    budget_begin_scan(priority); /* this scan thread only: the HTTP threads keep theirs */
    on_progress(jobs, 0.0, "starting");
    struct scan_request req = {.targets = jobs->job_targets,
                               .n_targets = jobs->n_job_targets,
                               .rules_dir = jobs->rules_dir,
                               .since = jobs->since,
                               .last_start = jobs->last_start,
                               .discover = jobs->discover,
                               .state = jobs->job_state};
    /* what earlier scans saw of the JVMs, for the services that have none now */
    struct jvm_sighting *seen = NULL;
    size_t n_seen = 0;
    char seen_err[WR_ERR_MAX];
    if (req.n_targets == 0 && store_open(&st, jobs->db_path, true, seen_err) == STORE_OK &&
        store_load_sightings(st, &seen, &n_seen, seen_err) == STORE_OK) {
        req.state.sightings = seen;
        req.state.n_sightings = n_seen;
    }
    store_close(st);
    st = NULL;
    int ran = pipeline_run(&req, on_progress, jobs, &scan, err);
    jvm_sightings_free(seen, n_seen);
    if (ran != 0)
        goto out;
    if (jobs->sha256)
        digest_scan(scan);
    pthread_mutex_lock(&jobs->lock);
    bool stopping = jobs->stopping;
    snprintf(jobs->status.step, sizeof(jobs->status.step), "%s", "storing");
    pthread_mutex_unlock(&jobs->lock);
    if (stopping) {
        err_set(err, "the server stopped before the scan was stored");
        goto out;
    }
    char version[RULES_VERSION_MAX];
    struct store_save_options opt = {
        STORE_SCAN_COMPLETE, pipeline_rules_version(scan, version, sizeof(version)), jobs->keep};
    if (store_open(&st, jobs->db_path, true, err) != STORE_OK ||
        store_save_scan(st, scan, &opt, &id, err) != STORE_OK)
        goto out;
    ok = true;
out:
    store_close(st);
    scan_free(scan);
    if (!ok)
        safe_fprintf(stderr, "wrench serve: scan %lld failed: %s\n", (long long)jobs->status.id,
                     err);
    else if (id != jobs->status.id)
        safe_fprintf(stderr,
                     "wrench serve: scan %lld was stored as %lld (another wrench stored a "
                     "scan meanwhile)\n",
                     (long long)jobs->status.id, (long long)id);
    finish(jobs, ok, id, err, started_ms);
    return NULL;
}

/* The id the store will give the next scan. */
static int reserve_id(const char *db_path, int64_t *id, char *err)
{
    struct store *st = NULL;
    int64_t latest = 0;
    enum store_status status = store_open(&st, db_path, true, err);
    if (status == STORE_OK)
        status = store_latest(st, &latest, err);
    store_close(st);
    if (status == STORE_FAILED)
        return -1;
    *id = latest + 1; /* STORE_NOT_FOUND: an empty database starts at 1 */
    return 0;
}

enum scanjob_start scanjob_start(struct scanjob *jobs, const bool *selected,
                                 const struct state_options *state, int64_t *id, char *err)
{
    pthread_mutex_lock(&jobs->lock);
    enum scanjob_start result = SCANJOB_STARTED;
    if (jobs->stopping)
        result = SCANJOB_STOPPED;
    else if (jobs->has_job &&
             (jobs->status.state == SCANJOB_QUEUED || jobs->status.state == SCANJOB_RUNNING))
        result = SCANJOB_BUSY;
    if (result != SCANJOB_STARTED) {
        pthread_mutex_unlock(&jobs->lock);
        return result;
    }
    /* Claimed under the lock, so that of concurrent requests only one gets here. */
    bool had_job = jobs->has_job;
    jobs->has_job = true;
    bool live = jobs->thread_live;
    jobs->thread_live = false;
    struct scanjob_status previous = jobs->status;
    memset(&jobs->status, 0, sizeof(jobs->status));
    jobs->status.state = SCANJOB_QUEUED;
    pthread_mutex_unlock(&jobs->lock);
    if (live) /* the previous thread has finished its work; collect it */
        pthread_join(jobs->thread, NULL);

    int64_t reserved;
    if (reserve_id(jobs->db_path, &reserved, err) != 0) {
        pthread_mutex_lock(&jobs->lock);
        jobs->status = previous;
        jobs->has_job = had_job;
        pthread_mutex_unlock(&jobs->lock);
        return SCANJOB_ERROR;
    }
    free(jobs->job_targets);
    jobs->job_targets = xcalloc(jobs->n_targets + 1, sizeof(*jobs->job_targets));
    jobs->n_job_targets = 0;
    for (size_t i = 0; i < jobs->n_targets; i++)
        if (!selected || selected[i])
            jobs->job_targets[jobs->n_job_targets++] = jobs->targets[i];
    memset(&jobs->job_state, 0, sizeof(jobs->job_state));
    if (state) {
        jobs->job_state.thread_dump = state->thread_dump;
        jobs->job_state.dump_hung_only = state->dump_hung_only;
    }
    pthread_mutex_lock(&jobs->lock);
    jobs->status.id = reserved;
    int rc = pthread_create(&jobs->thread, NULL, run, jobs);
    jobs->thread_live = rc == 0;
    if (rc != 0) {
        jobs->status.state = SCANJOB_FAILED;
        snprintf(jobs->status.error, sizeof(jobs->status.error), "%s",
                 "cannot start a thread for the scan");
        jobs->n_failed++;
    }
    pthread_mutex_unlock(&jobs->lock);
    if (rc != 0) {
        err_set(err, "cannot start a thread for the scan: %s", strerror(rc));
        return SCANJOB_ERROR;
    }
    *id = reserved;
    return SCANJOB_STARTED;
}

bool scanjob_lookup(struct scanjob *jobs, int64_t id, struct scanjob_status *out)
{
    pthread_mutex_lock(&jobs->lock);
    bool found = jobs->has_job && jobs->status.id == id;
    if (found)
        *out = jobs->status;
    pthread_mutex_unlock(&jobs->lock);
    return found;
}

bool scanjob_current(struct scanjob *jobs, struct scanjob_status *out)
{
    pthread_mutex_lock(&jobs->lock);
    bool found = jobs->has_job;
    if (found)
        *out = jobs->status;
    pthread_mutex_unlock(&jobs->lock);
    return found;
}

void scanjob_counts(struct scanjob *jobs, uint64_t *done, uint64_t *failed, bool *active)
{
    pthread_mutex_lock(&jobs->lock);
    *done = jobs->n_done;
    *failed = jobs->n_failed;
    *active = jobs->has_job &&
              (jobs->status.state == SCANJOB_QUEUED || jobs->status.state == SCANJOB_RUNNING);
    pthread_mutex_unlock(&jobs->lock);
}
