/*
 * scanjob.h - the background scan of `wrench serve`: at most one at a time,
 * run in its own thread (pipeline_run, then store_save_scan), with a status
 * under a mutex that request handlers read while it runs.
 *
 * A scan's id is known when it is queued: the store numbers scans in order
 * (AUTOINCREMENT), so the id reserved is the newest stored id + 1. Should
 * another process store a scan in between, the scan is saved under the id the
 * store gives and the status of the reserved id says so in `scan_id`.
 */
#ifndef WRENCH_SCANJOB_H
#define WRENCH_SCANJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"
#include "util.h"

#define SCANJOB_STEP_MAX 64

enum scanjob_state {
    SCANJOB_QUEUED,
    SCANJOB_RUNNING,
    SCANJOB_DONE,
    SCANJOB_FAILED,
};
/* "queued", "running", "done", "failed". */
const char *scanjob_state_name(enum scanjob_state state);

/* A copy of a job's status. */
struct scanjob_status {
    int64_t id;      /* the id reserved when queued */
    int64_t scan_id; /* the stored scan's id once done (normally == id), else 0 */
    enum scanjob_state state;
    double progress; /* 0..1 */
    char step[SCANJOB_STEP_MAX];
    char error[WR_ERR_MAX]; /* "" unless failed */
    uint64_t duration_ms;   /* once done or failed */
};

/* What every scan of the server does; copied by scanjob_new. */
struct scanjob_config {
    const struct scan_target *targets;
    size_t n_targets;
    const char *rules_dir;            /* NULL: the embedded rules */
    const char *since;                /* --since for logs, NULL for all; read anew by every scan */
    bool last_start;                  /* --last-start */
    bool sha256;                      /* --sha256: each jar's SHA-256 (digest.h) */
    struct discover_options discover; /* without targets; its strings outlive the runner */
    const char *db_path;
    size_t keep;
};

struct scanjob;

/* A runner with no job yet. */
struct scanjob *scanjob_new(const struct scanjob_config *cfg);

/* Wait for a running scan to end (it is then not stored: see scanjob_stop) and free;
 * NULL is a no-op. */
void scanjob_free(struct scanjob *jobs);

enum scanjob_start {
    SCANJOB_STARTED,
    SCANJOB_BUSY,    /* a scan is queued or running */
    SCANJOB_STOPPED, /* the server is shutting down */
    SCANJOB_ERROR,   /* err says why (the store cannot be opened) */
};

/*
 * Queue a scan of the configured targets for which `selected[i]` is true
 * (NULL: all) and start its thread; `state` (NULL: none) carries this scan's
 * service state wishes (thread_dump, dump_hung_only; its roots are the
 * discovery's). *id receives its reserved id on SCANJOB_STARTED.
 */
enum scanjob_start scanjob_start(struct scanjob *jobs, const bool *selected,
                                 const struct state_options *state, int64_t *id, char *err);

/* The status of the server's job with reserved id `id`; false when it is none of its
 * jobs (then ask the store). */
bool scanjob_lookup(struct scanjob *jobs, int64_t id, struct scanjob_status *out);

/* The newest job's status; false when the server has run none. */
bool scanjob_current(struct scanjob *jobs, struct scanjob_status *out);

/* Jobs of this server ended as done / failed, and whether one is queued or running. */
void scanjob_counts(struct scanjob *jobs, uint64_t *done, uint64_t *failed, bool *active);

/* Refuse new jobs; a running scan ends but is not stored unless it is already being
 * saved (a store transaction is never cut short). */
void scanjob_stop(struct scanjob *jobs);

#endif
