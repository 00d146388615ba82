/*
 * pipeline.h - one scan from start to finish, shared by `wrench scan` and
 * `wrench serve`: the targets asked for, reading, analysis, log diagnosis and
 * correlation. It knows nothing of the terminal, HTTP or SQLite; it reports
 * progress through a callback.
 */
#ifndef WRENCH_PIPELINE_H
#define WRENCH_PIPELINE_H

#include <stddef.h>

#include "discover.h"
#include "model.h"
#include "svcstate.h"

enum target_kind {
    TARGET_CLASSPATH,
    TARGET_JAR,
    TARGET_WAR,
    TARGET_DIR,
    TARGET_LOGS,   /* a log file, directory or glob */
    TARGET_TOMCAT, /* a CATALINA_BASE: webapps with the common loader, and logs/ */
};
const char *target_kind_name(enum target_kind kind);

struct scan_target {
    enum target_kind kind;
    const char *value; /* borrowed */
};

struct scan_request {
    const struct scan_target *targets; /* borrowed */
    size_t n_targets;
    const char *rules_dir;            /* --rules: more log rules; NULL for the embedded ones only */
    struct discover_options discover; /* used when there is no target */
    const char *since;                /* --since TIME|DURATION for logs; NULL for all */
    bool last_start;        /* --last-start: logs from each file's last service start on */
    const char *log_format; /* --log-format: every log read as this format; NULL: recognised */

    struct state_options state; /* service state of discovered services (svcstate.h) */
};

/* Called as the scan goes: `fraction` from 0 to 1, `step` a short phrase. */
typedef void (*pipeline_progress_fn)(void *ud, double fraction, const char *step);

/*
 * Run the scan described by `req`. On success *out is a new scan (scan_free).
 * Without targets, the services are discovered (discover.h). Returns -1 with
 * err set when the scan cannot run at all (nothing found, a rule file that
 * does not load, an invalid services file, a --since it cannot read); unreadable inputs are
 * problems in the report, not failures. `progress` may be NULL.
 */
int pipeline_run(const struct scan_request *req, pipeline_progress_fn progress, void *ud,
                 struct scan **out, char *err);

/* The version of the log rules a scan of pipeline_run used, for the store: its
 * rules_version, or for a scan that read no log and had no --rules directory (its rules were
 * never loaded), the embedded rules' version (rules_embedded_version), written into `buf`
 * (RULES_VERSION_MAX bytes): hashing them costs ~1.5 ms that a scan not stored never pays. */
const char *pipeline_rules_version(const struct scan *scan, char *buf, size_t size);

#endif
