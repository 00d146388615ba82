/*
 * pipeline.c - discover -> read -> analyse, for one scan request (see
 * pipeline.h).
 */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "classpath.h"
#include "discover.h"
#include "correlate.h"
#include "hints.h"
#include "logmodel.h"
#include "logconf.h"
#include "logdumps.h"
#include "logscan.h"
#include "reader.h"
#include "rules.h"
#include "util.h"

const char *target_kind_name(enum target_kind kind)
{
    static const char *const names[] = {"classpath", "jar", "war", "dir", "logs", "tomcat"};
    return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

static void report_progress(pipeline_progress_fn fn, void *ud, double fraction, const char *step)
{
    if (fn)
        fn(ud, fraction, step);
}

static size_t add_classpath_targets(struct scan *scan, const struct scan_request *req)
{
    size_t n = 0;
    for (size_t i = 0; i < req->n_targets; i++) {
        const struct scan_target *t = &req->targets[i];
        switch (t->kind) {
        case TARGET_CLASSPATH:
            classpath_add_string(scan, t->value);
            break;
        case TARGET_JAR:
            classpath_add_jar(scan, t->value);
            break;
        case TARGET_WAR:
            classpath_add_war(scan, t->value);
            break;
        case TARGET_DIR:
            classpath_add_dir(scan, t->value);
            break;
        case TARGET_TOMCAT: {
            char *abs = classpath_absolute(t->value);
            discover_add_tomcat(scan, abs, NULL);
            free(abs);
        } break;
        case TARGET_LOGS:
            continue;
        }
        n++;
    }
    return n;
}

/* The log paths to read: --logs values, the logs/ of every --tomcat base, and what
 * discovery found. New strings appended to *logs. */
static void explicit_logs(const struct scan_request *req, char ***logs, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < req->n_targets; i++) {
        const struct scan_target *t = &req->targets[i];
        if (t->kind == TARGET_TOMCAT)
            strv_push(logs, n, cap, path_join(t->value, "logs"));
        else if (t->kind == TARGET_LOGS)
            strv_push(logs, n, cap, xstrdup(t->value));
    }
}

struct log_progress {
    pipeline_progress_fn fn;
    void *ud;
};

/* Logs are the last step: their progress is a file name and the bytes read. */
static void report_log_progress(void *ud, const char *path, uint64_t bytes)
{
    struct log_progress *lp = ud;
    char step[256];
    snprintf(step, sizeof(step), "reading %s (%.1f MB)", path_basename(path), (double)bytes / 1e6);
    lp->fn(lp->ud, 0.7, step);
}

static int read_logs(struct scan *scan, const struct scan_request *req,
                     const struct rule_set *rules, char **logs, size_t n,
                     pipeline_progress_fn progress, void *ud, char *err)
{
    int64_t since = 0;
    if (req->since && logscan_parse_since(req->since, (int64_t)time(NULL), &since) != 0) {
        err_set(err,
                "--since takes a date-time (2026-11-27 02:00) or a duration (30m, 2h, 7d), "
                "not '%s'",
                req->since);
        return -1;
    }
    enum log_format log_format = LOG_FORMAT_PLAIN;
    if (req->log_format && log_format_parse(req->log_format, &log_format) != 0) {
        err_set(err, "--log-format takes plain, svlogd, cri, docker or json, not '%s'",
                req->log_format);
        return -1;
    }
    scan->logs = xcalloc(1, sizeof(*scan->logs));
    struct logscan *ls = logscan_new(rules, scan->logs);
    if (req->since)
        logscan_set_since(ls, since);
    logscan_set_last_start(ls, req->last_start);
    if (req->log_format)
        logscan_set_format(ls, log_format);
    struct log_progress lp = {progress, ud};
    if (progress)
        logscan_set_progress(ls, report_log_progress, &lp);
    for (size_t i = 0; i < n; i++) {
        char msg[WR_ERR_MAX]; /* the problem is in the report already */
        logscan_add_path(ls, logs[i], msg);
    }
    logscan_finish(ls);
    logscan_free(ls);
    return 0;
}

/* The resource names the reader records: those hints look for and logging configurations. */
static void watch_resources(const struct hint_set *hints, const char ***out, size_t *n)
{
    size_t n_hints, n_conf = 0;
    const char *const *from_hints = hints_watched(hints, &n_hints);
    while (logconf_names[n_conf])
        n_conf++;
    const char **all = xcalloc(n_hints + n_conf + 1, sizeof(char *));
    memcpy(all, from_hints, n_hints * sizeof(char *));
    memcpy(all + n_hints, logconf_names, n_conf * sizeof(char *));
    *out = all;
    *n = n_hints + n_conf;
}

/* Discovered services also log where their logging configuration says. */
static void add_configured_logs(struct scan *scan, const struct scan_request *req, char ***logs,
                                size_t *n, size_t *cap)
{
    char **vars = NULL, **found = NULL;
    size_t n_vars = 0, vars_cap = 0, n_found = 0, found_cap = 0;
    discover_variables(&req->discover, &vars, &n_vars, &vars_cap);
    struct logconf_vars lv = {vars, n_vars};
    logconf_find_logs(scan, &lv, &found, &n_found, &found_cap);
    for (size_t i = 0; i < n_found; i++) {
        bool known = false;
        for (size_t k = 0; k < *n; k++)
            known |= strcmp((*logs)[k], found[i]) == 0;
        if (!known)
            strv_push(logs, n, cap, xstrdup(found[i]));
    }
    strv_free(found, n_found);
    strv_free(vars, n_vars);
}

const char *pipeline_rules_version(const struct scan *scan, char *buf, size_t size)
{
    if (scan->rules_version)
        return scan->rules_version;
    rules_embedded_version(buf, size);
    return buf;
}

int pipeline_run(const struct scan_request *req, pipeline_progress_fn progress, void *ud,
                 struct scan **out, char *err)
{
    struct hint_set *hints;
    struct rule_set *rules = NULL;
    if (hints_load_default(&hints, err) != 0)
        return -1;
    /* A --rules directory is read (and refused when wrong) before anything; the embedded
     * rules only when a log is read: parsing and compiling them costs a classpath scan ~2 ms. */
    if (req->rules_dir && rules_load(&rules, req->rules_dir, err) != 0) {
        hints_free(hints);
        return -1;
    }
    struct scan *scan = scan_new();
    time_now_iso(scan->started, sizeof(scan->started));
    uint64_t t0 = time_monotonic_ms();
    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    scan->host = xstrdup(host);
    char **logs = NULL;
    size_t n_logs = 0, logs_cap = 0;
    const char **watched = NULL;
    size_t n_watched = 0;
    int rc = -1;

    report_progress(progress, ud, 0.05, "finding classpath entries");
    if (req->n_targets == 0) {
        if (discover_services(scan, &req->discover, &logs, &n_logs, &logs_cap, err) != 0)
            goto out;
    } else {
        add_classpath_targets(scan, req);
        explicit_logs(req, &logs, &n_logs, &logs_cap);
        discover_check_environment(scan, &req->discover, logs, n_logs);
    }
    report_progress(progress, ud, 0.1, "reading jars");
    watch_resources(hints, &watched, &n_watched);
    reader_read_scan(scan, watched, n_watched);
    if (req->n_targets == 0)
        add_configured_logs(scan, req, &logs, &n_logs, &logs_cap);
    report_progress(progress, ud, 0.5, "analysing classes");
    analysis_find_duplicates(scan);
    analysis_find_conflicts(scan);
    hints_evaluate(hints, scan);
    if (n_logs) {
        report_progress(progress, ud, 0.6, "reading logs");
        if (!rules && rules_load(&rules, NULL, err) != 0)
            goto out;
        if (read_logs(scan, req, rules, logs, n_logs, progress, ud, err) != 0)
            goto out;
        correlate_logs(scan);
    }
    if (scan->discovery) { /* service state: after the logs, whose findings it joins */
        report_progress(progress, ud, 0.9, "reading service state");
        struct state_options state = req->state;
        state.proc_root = req->discover.proc_root;
        state.cgroup_root = req->discover.cgroup_root;
        state.root = req->discover.root;
        svcstate_evaluate(scan, &state);
    }
    if (scan->logs) /* dumps and fatal banners in the logs (logdumps.c) */
        logdumps_scan(scan);
    svcstate_add_findings(scan);
    if (rules) { /* else the embedded rules, whose version is only hashed when asked */
        char version[RULES_VERSION_MAX];
        rules_version(rules, version, sizeof(version));
        scan->rules_version = xstrdup(version);
    }
    scan->duration_ms = time_monotonic_ms() - t0;
    time_now_iso(scan->finished, sizeof(scan->finished));
    report_progress(progress, ud, 1.0, "done");
    rc = 0;
out:
    free(watched);
    hints_free(hints);
    rules_free(rules);
    strv_free(logs, n_logs);
    if (rc == 0)
        *out = scan;
    else
        scan_free(scan);
    return rc;
}
