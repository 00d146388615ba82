/*
 * pipeline.c - discover -> read -> analyse, for one scan request (see
 * pipeline.h).
 */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "classpath.h"
#include "correlate.h"
#include "hints.h"
#include "logmodel.h"
#include "logscan.h"
#include "reader.h"
#include "rules.h"
#include "svcconfig.h"
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

/* A Tomcat base: one view per webapp (its own classes first, then the common loader), as
 * Tomcat's WebappClassLoader delegates. */
static void add_tomcat(struct scan *scan, const char *base)
{
    char *abs = classpath_absolute(base);
    struct svc_service s = {0};
    struct svc_discovery d = {0};
    s.catalina_base = xstrdup(abs);
    s.catalina_home = xstrdup(abs);
    svcconfig_tomcat_layout(NULL, &s, &d);
    char *common = svcconfig_common_loader_classpath(NULL, &s);
    for (size_t i = 0; i < s.n_webapps; i++) {
        char *name = xasprintf("webapp %s", path_basename(s.webapps[i]));
        classpath_add_webapp(scan, name, s.webapps[i], common);
        free(name);
    }
    if (s.n_webapps == 0) {
        char *msg = xasprintf("no webapp found under %s", s.app_base ? s.app_base : abs);
        scan_add_problem(scan, SEV_WARNING, abs, msg);
        free(msg);
    }
    for (size_t i = 0; i < d.n_notes; i++)
        scan_add_problem(scan, SEV_INFO, abs, d.notes[i]);
    free(common);
    svc_service_clear(&s);
    svc_discovery_free(&d);
    free(abs);
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
        case TARGET_TOMCAT:
            add_tomcat(scan, t->value);
            break;
        case TARGET_LOGS:
            continue;
        }
        n++;
    }
    return n;
}

static bool wants_logs(const struct scan_request *req)
{
    for (size_t i = 0; i < req->n_targets; i++)
        if (req->targets[i].kind == TARGET_LOGS || req->targets[i].kind == TARGET_TOMCAT)
            return true;
    return false;
}

static int read_logs(struct scan *scan, const struct scan_request *req, char *err)
{
    struct rule_set *rules;
    if (rules_load(&rules, req->rules_dir, err) != 0)
        return -1;
    scan->logs = xcalloc(1, sizeof(*scan->logs));
    struct logscan *ls = logscan_new(rules, scan->logs);
    for (size_t i = 0; i < req->n_targets; i++) {
        const struct scan_target *t = &req->targets[i];
        char *spec = t->kind == TARGET_TOMCAT  ? path_join(t->value, "logs")
                     : t->kind == TARGET_LOGS ? xstrdup(t->value)
                                              : NULL;
        char msg[WR_ERR_MAX];
        if (spec && logscan_add_path(ls, spec, msg) != 0)
            log_report_add_problem(scan->logs, SEV_WARNING, spec, msg);
        free(spec);
    }
    logscan_finish(ls);
    logscan_free(ls);
    rules_free(rules);
    return 0;
}

int pipeline_run(const struct scan_request *req, pipeline_progress_fn progress, void *ud,
                 struct scan **out, char *err)
{
    if (req->n_targets == 0) {
        err_set(err, "nothing to scan: give --classpath, --jar, --war, --dir, --tomcat or --logs");
        return -1;
    }
    struct hint_set *hints;
    if (hints_load_default(&hints, err) != 0)
        return -1;
    struct scan *scan = scan_new();
    time_now_iso(scan->started, sizeof(scan->started));
    uint64_t t0 = time_monotonic_ms();
    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    scan->host = xstrdup(host);

    report_progress(progress, ud, 0.05, "finding classpath entries");
    add_classpath_targets(scan, req);
    report_progress(progress, ud, 0.1, "reading jars");
    size_t n_watched;
    const char *const *watched = hints_watched(hints, &n_watched);
    reader_read_scan(scan, watched, n_watched);
    report_progress(progress, ud, 0.5, "analysing classes");
    analysis_find_duplicates(scan);
    analysis_find_conflicts(scan);
    hints_evaluate(hints, scan);
    hints_free(hints);
    if (wants_logs(req)) {
        report_progress(progress, ud, 0.6, "reading logs");
        if (read_logs(scan, req, err) != 0) {
            scan_free(scan);
            return -1;
        }
        correlate_logs(scan);
    }
    scan->duration_ms = time_monotonic_ms() - t0;
    time_now_iso(scan->finished, sizeof(scan->finished));
    report_progress(progress, ud, 1.0, "done");
    *out = scan;
    return 0;
}
