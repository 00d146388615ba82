/*
 * test_accept.c - unit tests for accept.c on in-memory scans: every malformed accept file is
 * refused with a message naming the entry; entries match by id, rule and class pattern; an
 * accepted log finding takes its correlations along, leaves the totals and is no incident;
 * a baseline of a scan's own ids sets aside everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accept.h"
#include "finding.h"
#include "logmodel.h"
#include "model.h"
#include "util.h"
#include "verdict.h"

/* One error log finding of `rule` naming `class_name`, with one correlation. */
static struct scan *one_log(const char *rule, const char *class_name)
{
    struct scan *scan = scan_new();
    scan->logs = xcalloc(1, sizeof(*scan->logs));
    struct log_report *r = scan->logs;
    r->findings = xgrow(r->findings, &r->findings_cap, 1, sizeof(*r->findings));
    struct log_finding *f = &r->findings[r->n_findings++];
    memset(f, 0, sizeof(*f));
    f->rule_id = xstrdup(rule);
    f->severity = SEV_ERROR;
    f->impact = IMPACT_RUNTIME;
    f->title = xstrdup("Class not found.");
    f->signature = xstrdup("sig");
    f->count = 1;
    f->file = xstrdup("app.log");
    f->line = 3;
    f->first_seen = xstrdup("2026-12-07 10:00:00,000");
    f->last_seen = xstrdup("2026-12-07 10:00:00,000");
    f->class_name = xstrdup(class_name);
    log_finding_add_location(f, "app.log", 3, f->first_seen);
    struct cp_view *v = scan_add_view(scan, "classpath", "classpath", "a.jar");
    view_add_entry(v, "/lib/a.jar", ENTRY_JAR);
    scan->correlations =
        xgrow(scan->correlations, &scan->correlations_cap, 1, sizeof(*scan->correlations));
    struct correlation *c = &scan->correlations[scan->n_correlations++];
    memset(c, 0, sizeof(*c));
    c->finding = 0;
    c->view = 0;
    c->class_name = xstrdup(class_name);
    c->text = xstrdup("missing from classpath");
    c->winner = -1;
    return scan;
}

static void test_bad_files_name_the_entry(void **state)
{
    (void)state;
    static const struct {
        const char *text, *says;
    } cases[] = {
        {"[]", "f.json: expected an object"},
        {"{\"accept\": {}}", "f.json: expected an object"},
        {"{\"accept\": [1]}", "f.json: entry 1: is not an object"},
        {"{\"accept\": [{\"id\": \"x\", \"reason\": \"r\"}, {\"id\": \"y\"}]}",
         "f.json: entry 2 (id y): needs a \"reason\""},
        {"{\"accept\": [{\"id\": \"\", \"reason\": \"r\"}]}", "entry 1: \"id\" must be"},
        {"{\"accept\": [{\"id\": 7, \"reason\": \"r\"}]}", "entry 1: \"id\" must be"},
        {"{\"accept\": [{\"id\": \"x\", \"class\": \"y\", \"reason\": \"r\"}]}", "has both"},
        {"{\"accept\": [{\"why\": \"x\"}]}", "unknown key \"why\""},
        {"{\"accept\": [{\"class\": \"*.Foo\", \"reason\": \"r\"}]}", "only at its end"},
        {"{\"accept\": [{\"id\": \"x\", \"reason\": \"r\", \"reason\": \"s\"}]}", "not valid JSON"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct accept_set set = {0};
        char err[WR_ERR_MAX] = "";
        assert_int_equal(accept_parse("f.json", cases[i].text, strlen(cases[i].text), &set, err),
                         -1);
        if (!strstr(err, cases[i].says))
            fail_msg("%s: got '%s', expected '%s'", cases[i].text, err, cases[i].says);
        assert_int_equal(set.n, 0);
        accept_set_clear(&set);
    }
    struct accept_set set = {0};
    char err[WR_ERR_MAX];
    const char *empty = "{\"accept\": []}";
    assert_int_equal(accept_parse("f.json", empty, strlen(empty), &set, err), 0);
    assert_string_equal(set.path, "f.json");
    accept_set_clear(&set);
}

/* Accept `text` for `scan`, then count what counts. */
static void diagnose(struct scan *scan, const char *text, struct accept_set *set,
                     struct diagnosis *d)
{
    char err[WR_ERR_MAX];
    if (accept_parse("f.json", text, strlen(text), set, err) != 0)
        fail_msg("%s", err);
    scan->accept = set;
    diagnosis_build(scan, d);
}

static void test_rule_and_class_pattern_set_aside_the_log_finding(void **state)
{
    (void)state;
    static const char *const accepting[] = {
        "{\"accept\": [{\"rule\": \"classloading.cnfe\", \"reason\": \"known\"}]}",
        "{\"accept\": [{\"class\": \"com.acme.legacy.*\", \"reason\": \"known\"}]}",
        "{\"accept\": [{\"class\": \"com.acme.legacy.Gone\", \"reason\": \"known\"}]}",
    };
    static const char *const not_accepting[] = {
        "{\"accept\": [{\"rule\": \"classloading\", \"reason\": \"no\"}]}",
        "{\"accept\": [{\"class\": \"com.acme.legacy\", \"reason\": \"no\"}]}",
        "{\"accept\": [{\"class\": \"com.acme.core.*\", \"reason\": \"no\"}]}",
        "{\"accept\": [{\"artifact\": \"com.acme:legacy\", \"reason\": \"no\"}]}",
    };
    for (size_t i = 0; i < 3; i++) {
        struct scan *scan = one_log("classloading.cnfe", "com.acme.legacy.Gone");
        struct accept_set set = {0};
        struct diagnosis d = {0};
        diagnose(scan, accepting[i], &set, &d);
        assert_int_equal(d.findings.n, 2);
        assert_int_equal(d.findings.items[1].kind, FINDING_CORRELATION);
        for (size_t k = 0; k < d.findings.n; k++) {
            assert_true(d.findings.items[k].accepted);
            assert_string_equal(d.findings.items[k].accepted_reason, "known");
            assert_false(finding_counted(&d.findings.items[k]));
        }
        assert_int_equal(d.incidents.n, 0);
        assert_int_equal(d.verdict.n_incidents, 0);
        assert_non_null(strstr(d.verdict.text, "No problem found"));
        assert_int_equal(scan_max_severity(scan), -1);
        diagnosis_clear(&d);
        scan_free(scan);
        accept_set_clear(&set);
    }
    for (size_t i = 0; i < 4; i++) {
        struct scan *scan = one_log("classloading.cnfe", "com.acme.legacy.Gone");
        struct accept_set set = {0};
        struct diagnosis d = {0};
        diagnose(scan, not_accepting[i], &set, &d);
        assert_false(d.findings.items[0].accepted);
        assert_int_equal(d.incidents.n, 1);
        assert_int_equal(scan_max_severity(scan), SEV_ERROR);
        diagnosis_clear(&d);
        scan_free(scan);
        accept_set_clear(&set);
    }
}

static void test_id_and_baseline(void **state)
{
    (void)state;
    struct scan *scan = one_log("classloading.cnfe", "com.acme.Gone");
    struct finding_list first = {0};
    findings_collect(scan, &first);
    char *text =
        xasprintf("{\"accept\": [{\"id\": \"%s\", \"reason\": \"by id\"}]}", first.items[0].id);
    struct accept_set set = {0};
    struct diagnosis d = {0};
    diagnose(scan, text, &set, &d);
    assert_true(d.findings.items[0].accepted);
    assert_int_equal(d.incidents.n, 0);
    diagnosis_clear(&d);
    accept_set_clear(&set);

    /* The same scan as its own baseline: nothing is new. */
    accept_set_baseline(&set, 4, &first);
    scan->accept = &set;
    diagnosis_build(scan, &d);
    for (size_t k = 0; k < d.findings.n; k++) {
        assert_true(d.findings.items[k].baseline);
        assert_false(d.findings.items[k].accepted);
    }
    assert_int_equal(d.incidents.n, 0);
    assert_int_equal(scan_max_severity(scan), -1);
    assert_int_equal(set.baseline_scan, 4);
    diagnosis_clear(&d);
    free(text);
    finding_list_clear(&first);
    accept_set_clear(&set);
    scan_free(scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_files_name_the_entry),
        cmocka_unit_test(test_rule_and_class_pattern_set_aside_the_log_finding),
        cmocka_unit_test(test_id_and_baseline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
