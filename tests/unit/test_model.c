/*
 * test_model.c - the named facts shared by the scan, its findings and its log findings
 * (model.h): a finding's or a log finding's fact of a name is set once and replaced, the
 * scan's facts are a list where a name may come twice ("note"), and a missing one is NULL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"
#include "logmodel.h"
#include "model.h"
#include "util.h"

static void test_a_finding_fact_is_replaced_not_added(void **state)
{
    (void)state;
    struct finding f = {0};
    finding_add_fact(&f, "port", "8080");
    finding_add_fact(&f, "context", "/shop");
    finding_add_fact(&f, "port", "8443");
    finding_add_fact(&f, "class", NULL); /* no value: no fact */
    assert_int_equal(f.n_facts, 2);
    assert_string_equal(finding_fact(&f, "port"), "8443");
    assert_string_equal(finding_fact(&f, "context"), "/shop");
    assert_null(finding_fact(&f, "class"));
    facts_free(f.facts, f.n_facts);
}

static void test_a_log_finding_fact_is_replaced_not_added(void **state)
{
    (void)state;
    struct log_finding f = {0};
    log_finding_add_fact(&f, "class", "com/acme/App");
    log_finding_add_fact(&f, "class", "com/acme/Other");
    assert_int_equal(f.n_facts, 1);
    assert_string_equal(log_finding_fact(&f, "class"), "com/acme/Other");
    assert_null(log_finding_fact(&f, "context"));
    log_finding_clear(&f);
}

static void test_the_scan_s_facts_keep_every_note(void **state)
{
    (void)state;
    struct scan *scan = xcalloc(1, sizeof(*scan));
    scan_add_fact(scan, "note", "first");
    scan_add_fact(scan, "memory limit", "512 MiB");
    scan_add_fact(scan, "note", "second");
    assert_int_equal(scan->n_facts, 3);
    assert_string_equal(scan->facts[0].value, "first");
    assert_string_equal(scan->facts[2].value, "second");
    assert_string_equal(facts_get(scan->facts, scan->n_facts, "note"), "first");
    assert_null(facts_get(scan->facts, scan->n_facts, "CPU"));
    scan_free(scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_finding_fact_is_replaced_not_added),
        cmocka_unit_test(test_a_log_finding_fact_is_replaced_not_added),
        cmocka_unit_test(test_the_scan_s_facts_keep_every_note),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
