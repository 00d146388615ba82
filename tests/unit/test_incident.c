/*
 * test_incident.c - unit tests for finding.c, incident.c and verdict.c on in-memory scans:
 * the canonical order and stable ids of findings, incidents joined by subject and by time
 * (two webapps failing, each cause in localhost.log before its "Context [...] startup failed"
 * in catalina.out), the wrapper never the root cause, a correlation making the cause, ports
 * and a Spring application, ranking by impact, and the verdict naming every failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"
#include "incident.h"
#include "logmodel.h"
#include "model.h"
#include "util.h"
#include "verdict.h"

/* A log finding as logscan would leave it; `context`, `port` may be NULL. */
static struct log_finding *add_log(struct scan *scan, const char *rule, enum severity sev,
                                   enum impact impact, const char *file, uint64_t line,
                                   const char *ts, const char *cause)
{
    if (!scan->logs)
        scan->logs = xcalloc(1, sizeof(*scan->logs));
    struct log_report *r = scan->logs;
    r->findings = xgrow(r->findings, &r->findings_cap, r->n_findings + 1, sizeof(*r->findings));
    struct log_finding *f = &r->findings[r->n_findings++];
    memset(f, 0, sizeof(*f));
    f->rule_id = xstrdup(rule);
    f->severity = sev;
    f->impact = impact;
    f->title = xasprintf("title of %s.", rule);
    f->hint = xasprintf("hint of %s", rule);
    f->signature = xasprintf("sig %s %s", rule, ts);
    f->count = 1;
    f->file = xstrdup(file);
    f->line = line;
    f->first_seen = xstrdup(ts);
    f->last_seen = xstrdup(ts);
    f->root_cause = cause ? xstrdup(cause) : NULL;
    log_finding_add_location(f, file, line, ts);
    return f;
}

#define CATALINA "logs/catalina.out"
#define LOCALHOST "logs/localhost.2026-12-07.log"

/* Two webapps fail as a real Tomcat 10 logs it: each listener's exception in localhost.log,
 * "One or more listeners failed to start" (one finding, twice) and "Context [...] startup
 * failed" in catalina.out; /typo's cause and failure within the same second as /bad's. */
static struct scan *two_webapps(void)
{
    struct scan *scan = scan_new();
    add_log(scan, "tomcat.listeners-failed", SEV_CRITICAL, IMPACT_WEBAPP, CATALINA, 22,
            "07-Dec-2026 12:29:58.824", NULL);
    free(scan->logs->findings[0].last_seen);
    scan->logs->findings[0].last_seen = xstrdup("07-Dec-2026 12:29:58.853");
    scan->logs->findings[0].count = 2;
    struct log_finding *bad =
        add_log(scan, "tomcat.context-startup-failed", SEV_CRITICAL, IMPACT_WEBAPP, CATALINA, 23,
                "07-Dec-2026 12:29:58.833", NULL);
    log_finding_add_fact(bad, "context", "/bad");
    struct log_finding *typo =
        add_log(scan, "tomcat.context-startup-failed", SEV_CRITICAL, IMPACT_WEBAPP, CATALINA, 30,
                "07-Dec-2026 12:29:58.854", NULL);
    log_finding_add_fact(typo, "context", "/typo");
    add_log(scan, "tomcat.listener-exception", SEV_ERROR, IMPACT_WEBAPP, LOCALHOST, 1,
            "07-Dec-2026 12:29:58.818",
            "Caused by: java.lang.IllegalArgumentException: shop.db.url is not set");
    struct log_finding *cnf =
        add_log(scan, "classloading.class-not-found", SEV_ERROR, IMPACT_RUNTIME, LOCALHOST, 47,
                "07-Dec-2026 12:29:58.852",
                "java.lang.ClassNotFoundException: com.example.web.FailingListenr");
    log_finding_add_fact(cnf, "class", "com.example.web.FailingListenr");
    /* A warning an hour earlier: too long before to be either's cause. */
    add_log(scan, "classloading.no-class-def", SEV_ERROR, IMPACT_RUNTIME, CATALINA, 3,
            "07-Dec-2026 11:29:58.000", "java.lang.NoClassDefFoundError: a/B");
    return scan;
}

static const struct incident *incident_named(const struct incident_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].name && strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

static bool holds_rule(const struct diagnosis *d, const struct incident *inc, const char *rule)
{
    for (size_t i = 0; i < inc->n_findings; i++)
        if (strcmp(d->findings.items[inc->findings[i]].rule, rule) == 0)
            return true;
    return false;
}

static void test_two_webapps_two_incidents_with_their_causes(void **state)
{
    (void)state;
    struct scan *scan = two_webapps();
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);

    const struct incident *bad = incident_named(&d.incidents, "/bad");
    const struct incident *typo = incident_named(&d.incidents, "/typo");
    assert_non_null(bad);
    assert_non_null(typo);
    assert_int_equal(bad->subject, SUBJECT_WEBAPP);
    assert_string_equal(bad->what, "webapp /bad");
    assert_int_equal(bad->impact, IMPACT_WEBAPP);
    /* The cause is the exception, not the critical wrapper or the context line. */
    assert_string_equal(d.findings.items[bad->cause].rule, "tomcat.listener-exception");
    assert_int_equal(bad->severity, SEV_ERROR);
    assert_non_null(strstr(bad->cause_text, "shop.db.url is not set"));
    assert_null(strstr(bad->cause_text, "Caused by"));
    assert_string_equal(d.findings.items[typo->cause].rule, "classloading.class-not-found");
    assert_non_null(strstr(typo->cause_text, "FailingListenr"));
    /* The wrapper, logged once for each, is evidence of both. */
    assert_true(holds_rule(&d, bad, "tomcat.listeners-failed"));
    assert_true(holds_rule(&d, typo, "tomcat.listeners-failed"));
    assert_false(holds_rule(&d, bad, "classloading.class-not-found"));
    assert_false(holds_rule(&d, typo, "tomcat.listener-exception"));
    /* The old error joined neither and stands alone, ranked after both failures. */
    assert_false(holds_rule(&d, bad, "classloading.no-class-def"));
    assert_false(holds_rule(&d, typo, "classloading.no-class-def"));
    assert_int_equal(d.incidents.n, 3);
    assert_int_equal(d.incidents.items[2].subject, SUBJECT_RUNTIME);
    /* Ranked by time within the same impact: /bad failed first. */
    assert_ptr_equal(&d.incidents.items[0], bad);
    assert_ptr_equal(&d.incidents.items[1], typo);

    /* The verdict names both, with their causes, and refers to them by id. */
    assert_non_null(strstr(d.verdict.text, "2 webapps failed to start: /bad: "));
    assert_non_null(strstr(d.verdict.text, "; /typo: "));
    assert_non_null(strstr(d.verdict.text, "shop.db.url is not set"));
    assert_non_null(strstr(d.verdict.text, "FailingListenr"));
    assert_int_equal(d.verdict.n_incidents, 2);
    assert_string_equal(d.verdict.incident_ids[0], bad->id);
    assert_string_equal(d.verdict.incident_ids[1], typo->id);
    diagnosis_clear(&d);
    scan_free(scan);
}

static void add_corr(struct scan *scan, size_t finding, size_t view, const char *cls,
                     size_t holders, bool differ, const char *text)
{
    scan->correlations = xgrow(scan->correlations, &scan->correlations_cap,
                               scan->n_correlations + 1, sizeof(*scan->correlations));
    struct correlation *c = &scan->correlations[scan->n_correlations++];
    memset(c, 0, sizeof(*c));
    c->finding = finding;
    c->view = view;
    c->class_name = xstrdup(cls);
    c->winner = -1;
    c->copies_differ = differ;
    c->n_entries = holders;
    c->entries = holders ? xcalloc(holders, sizeof(size_t)) : NULL;
    c->text = xstrdup(text);
}

/* Correlations explain a cause only when the classpath says something (class absent, or in
 * several entries) and only from the failed webapp's own view. */
static void test_correlations_of_the_webapp_itself(void **state)
{
    (void)state;
    struct scan *scan = two_webapps();
    struct cp_view *bad = scan_add_view(scan, "webapp bad", "war", "/srv/webapps/bad");
    bad->is_webapp = true;
    view_add_entry(bad, "/srv/webapps/bad/WEB-INF/classes", ENTRY_DIR);
    struct cp_view *typo = scan_add_view(scan, "webapp typo", "war", "/srv/webapps/typo");
    typo->is_webapp = true;
    /* logs->findings[4] is the ClassNotFoundException of /typo; [3] /bad's listener. */
    add_corr(scan, 4, 0, "com.example.web.FailingListenr", 0, false, "IN BAD'S VIEW");
    add_corr(scan, 4, 1, "com.example.web.FailingListenr", 0, false, "NOT IN TYPO");
    add_corr(scan, 3, 0, "com.example.web.FailingListener", 1, false, "ONE PLAIN COPY");
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    const struct incident *t = incident_named(&d.incidents, "/typo");
    const struct incident *b = incident_named(&d.incidents, "/bad");
    assert_non_null(t);
    assert_non_null(b);
    assert_non_null(strstr(t->cause_text, "NOT IN TYPO"));
    assert_null(strstr(t->cause_text, "IN BAD'S VIEW"));
    for (size_t i = 0; i < t->n_findings; i++)
        if (d.findings.items[t->findings[i]].kind == FINDING_CORRELATION)
            assert_string_equal(d.findings.items[t->findings[i]].view, "webapp typo");
    /* One plain copy of the listener explains nothing: the exception speaks. */
    assert_null(strstr(b->cause_text, "ONE PLAIN COPY"));
    assert_non_null(strstr(b->cause_text, "shop.db.url is not set"));
    /* Two webapp views: the verdict counts them. */
    assert_true(str_has_prefix(d.verdict.text, "2 of 2 webapps failed to start: /bad: "));
    diagnosis_clear(&d);
    scan_free(scan);
}

static void test_ids_are_stable_and_positions_do_not_matter(void **state)
{
    (void)state;
    struct scan *a = two_webapps();
    struct scan *b = two_webapps();
    /* The same problems seen at other lines and times, in another order of files. */
    for (size_t i = 0; i < b->logs->n_findings; i++) {
        b->logs->findings[i].line += 100;
        b->logs->findings[i].count = 7;
    }
    struct diagnosis da = {0}, db = {0};
    diagnosis_build(a, &da);
    diagnosis_build(b, &db);
    assert_int_equal(da.findings.n, db.findings.n);
    for (size_t i = 0; i < da.findings.n; i++) {
        assert_string_equal(da.findings.items[i].id, db.findings.items[i].id);
        assert_true(str_has_prefix(da.findings.items[i].id, "log-"));
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(da.findings.items[i].id, da.findings.items[k].id);
    }
    for (size_t i = 0; i < da.incidents.n; i++)
        assert_string_equal(da.incidents.items[i].id, db.incidents.items[i].id);
    diagnosis_clear(&da);
    diagnosis_clear(&db);
    scan_free(a);
    scan_free(b);
}

static void test_canonical_order_severity_then_kind(void **state)
{
    (void)state;
    struct scan *scan = scan_new();
    scan_add_problem(scan, SEV_WARNING, "x.jar", "not a zip");
    scan_add_env_finding(scan, SEV_ERROR, "memory", "heap over the limit", "");
    add_log(scan, "r.warn", SEV_WARNING, IMPACT_NONE, "a.log", 1, "2026-12-07 10:00:00.000", NULL);
    add_log(scan, "r.crit", SEV_CRITICAL, IMPACT_RUNTIME, "a.log", 2, "2026-12-07 10:00:01.000",
            "java.lang.Error: x");
    struct finding_list l = {0};
    findings_collect(scan, &l);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[0].rule, "r.crit");
    assert_int_equal(l.items[1].kind, FINDING_ENVIRONMENT);
    assert_string_equal(l.items[2].rule, "r.warn");
    assert_int_equal(l.items[3].kind, FINDING_PROBLEM);
    size_t counts[SEV_COUNT];
    scan_count_severities(scan, counts);
    assert_int_equal(counts[SEV_CRITICAL], 1);
    assert_int_equal(counts[SEV_ERROR], 1);
    assert_int_equal(counts[SEV_WARNING], 2);
    finding_list_clear(&l);
    scan_free(scan);
}

static void test_ports_join_by_port_and_rank_above_webapps(void **state)
{
    (void)state;
    struct scan *scan = two_webapps();
    free(scan->logs->findings[5].first_seen); /* the old error, now just before the port */
    scan->logs->findings[5].first_seen = xstrdup("07-Dec-2026 12:29:49.000");
    struct log_finding *bind =
        add_log(scan, "tomcat.port-in-use", SEV_CRITICAL, IMPACT_CONNECTOR, CATALINA, 5,
                "07-Dec-2026 12:29:50.000", "java.net.BindException: Address already in use");
    log_finding_add_fact(bind, "port", "8080");
    struct log_finding *init =
        add_log(scan, "tomcat.connector-init-failed", SEV_CRITICAL, IMPACT_CONNECTOR, CATALINA, 9,
                "07-Dec-2026 12:29:50.100", NULL);
    log_finding_add_fact(init, "port", "8080");
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    const struct incident *port = incident_named(&d.incidents, "8080");
    assert_non_null(port);
    assert_ptr_equal(&d.incidents.items[0], port);
    assert_string_equal(port->what, "connector port 8080");
    assert_true(holds_rule(&d, port, "tomcat.connector-init-failed"));
    assert_string_equal(d.findings.items[port->cause].rule, "tomcat.port-in-use");
    assert_non_null(strstr(d.verdict.text, "3 failures at startup: connector port 8080: "));
    /* An error logged just before the port failure is not its cause: a port names itself. */
    assert_false(holds_rule(&d, port, "classloading.no-class-def"));
    assert_non_null(strstr(d.verdict.text, "webapp /bad: "));
    diagnosis_clear(&d);
    scan_free(scan);
}

static void test_spring_application_joins_its_cause(void **state)
{
    (void)state;
    struct scan *scan = scan_new();
    add_log(scan, "spring.bean-creation", SEV_ERROR, IMPACT_RUNTIME, "app.log", 10,
            "2026-12-07 10:00:00.100",
            "Caused by: java.lang.IllegalStateException: shop.url must be set");
    struct log_finding *failed =
        add_log(scan, "spring.application-failed", SEV_CRITICAL, IMPACT_SERVICE, "app.log", 40,
                "2026-12-07 10:00:00.300", NULL);
    log_finding_add_fact(failed, "description", "Failed to bind properties under 'shop'");
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    assert_int_equal(d.incidents.n, 1);
    const struct incident *app = &d.incidents.items[0];
    assert_int_equal(app->subject, SUBJECT_APPLICATION);
    assert_int_equal(app->impact, IMPACT_SERVICE);
    assert_string_equal(d.findings.items[app->cause].rule, "spring.bean-creation");
    assert_string_equal(d.verdict.text, "The application failed to start: title of "
                                        "spring.bean-creation: java.lang.IllegalStateException: "
                                        "shop.url must be set.");
    diagnosis_clear(&d);
    scan_free(scan);
}

static void test_without_a_cause_the_description_speaks(void **state)
{
    (void)state;
    struct scan *scan = scan_new();
    struct log_finding *failed =
        add_log(scan, "spring.application-failed", SEV_CRITICAL, IMPACT_SERVICE, "app.log", 40,
                "2026-12-07 10:00:00.300", NULL);
    log_finding_add_fact(failed, "description",
                         "Web server failed to start. Port 8080 was "
                         "already in use.");
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    assert_int_equal(d.incidents.n, 1);
    assert_non_null(strstr(d.verdict.text, "Port 8080 was already in use"));
    diagnosis_clear(&d);
    scan_free(scan);
}

static void set_last_start(struct scan *scan, const char *line)
{
    struct log_report *r = scan->logs;
    r->files = xgrow(r->files, &r->files_cap, r->n_files + 1, sizeof(*r->files));
    struct log_file *f = &r->files[r->n_files++];
    memset(f, 0, sizeof(*f));
    f->path = xstrdup(CATALINA);
    f->last_start_line = 100;
    f->last_start = xstrdup(line);
}

/* The verdict is about the last start: webapps that failed before it and not since are
 * incidents still, but the verdict does not name them. */
static void test_the_verdict_is_about_the_last_start(void **state)
{
    (void)state;
    struct scan *scan = two_webapps();
    set_last_start(scan, "07-Dec-2026 12:29:58.840 INFO [main] org.apache.catalina.startup."
                         "VersionLoggerListener.log Server version name:   Apache Tomcat/10.1");
    assert_int_equal(incident_last_start_ms(scan),
                     incident_timestamp_ms("07-Dec-2026 12:29:58.840"));
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    /* /bad failed at .833, before the start at .840; /typo at .854, after it. */
    assert_int_equal(d.verdict.n_incidents, 1);
    assert_string_equal(d.verdict.incident_ids[0], incident_named(&d.incidents, "/typo")->id);
    assert_true(str_has_prefix(d.verdict.text, "Webapp /typo failed to start: "));
    diagnosis_clear(&d);

    /* A start after every failure: nothing failed since. */
    free(scan->logs->files[0].last_start);
    scan->logs->files[0].last_start = xstrdup("07-Dec-2026 13:00:00.000 INFO [main] x");
    diagnosis_build(scan, &d);
    assert_int_equal(d.verdict.n_incidents, 1);
    assert_true(str_has_prefix(d.verdict.text, "Nothing failed since the last start; before it: "));
    diagnosis_clear(&d);
    scan_free(scan);
}

/* A warning logged before a failure is not its cause; the sentence keeps a question's mark. */
static void test_warnings_do_not_join_by_time(void **state)
{
    (void)state;
    struct scan *scan = scan_new();
    add_log(scan, "uncategorized", SEV_WARNING, IMPACT_RUNTIME, "app.log", 10,
            "2026-12-07 10:00:00.100", "com.acme.ReconcileException: batch 8812 has orphans");
    struct log_finding *failed =
        add_log(scan, "spring.application-failed", SEV_CRITICAL, IMPACT_SERVICE, "app.log", 40,
                "2026-12-07 10:00:00.300", NULL);
    log_finding_add_fact(failed, "description", "Field repo required a bean: did you mean x?");
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    assert_int_equal(d.incidents.n, 2);
    const struct incident *app = &d.incidents.items[0];
    assert_int_equal(app->n_findings, 1);
    assert_string_equal(d.findings.items[app->cause].rule, "spring.application-failed");
    assert_null(strstr(d.verdict.text, "Reconcile"));
    assert_true(str_has_suffix(d.verdict.text, "did you mean x?"));
    diagnosis_clear(&d);
    scan_free(scan);
}

static void test_nothing_at_warning_is_no_problem(void **state)
{
    (void)state;
    struct scan *scan = scan_new();
    add_log(scan, "r.info", SEV_INFO, IMPACT_NONE, "a.log", 1, "2026-12-07 10:00:00.000", NULL);
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    assert_int_equal(d.findings.n, 1);
    assert_int_equal(d.incidents.n, 0);
    assert_int_equal(d.verdict.n_incidents, 0);
    assert_true(str_has_prefix(d.verdict.text, "No problem found"));
    diagnosis_clear(&d);
    scan_free(scan);
}

static void test_timestamps_to_the_millisecond(void **state)
{
    (void)state;
    int64_t a = incident_timestamp_ms("07-Dec-2026 12:29:58.833");
    int64_t b = incident_timestamp_ms("07-Dec-2026 12:29:58.854");
    assert_true(a > 0);
    assert_int_equal(b - a, 21);
    assert_int_equal(incident_timestamp_ms("2026-12-07 12:29:58,5") -
                         incident_timestamp_ms("2026-12-07 12:29:58"),
                     500);
    assert_int_equal(incident_timestamp_ms(NULL), -1);
    assert_int_equal(incident_timestamp_ms("no time"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_webapps_two_incidents_with_their_causes),
        cmocka_unit_test(test_correlations_of_the_webapp_itself),
        cmocka_unit_test(test_ids_are_stable_and_positions_do_not_matter),
        cmocka_unit_test(test_canonical_order_severity_then_kind),
        cmocka_unit_test(test_ports_join_by_port_and_rank_above_webapps),
        cmocka_unit_test(test_spring_application_joins_its_cause),
        cmocka_unit_test(test_without_a_cause_the_description_speaks),
        cmocka_unit_test(test_the_verdict_is_about_the_last_start),
        cmocka_unit_test(test_warnings_do_not_join_by_time),
        cmocka_unit_test(test_nothing_at_warning_is_no_problem),
        cmocka_unit_test(test_timestamps_to_the_millisecond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
