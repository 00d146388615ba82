/*
 * test_multimatch.c - unit tests for multimatch.c (both engines when Hyperscan is built in:
 * every occurrence, and only those, against a naive search) and for rules.c's
 * rules_required_literals (the literals the log scan's fast path looks for).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "multimatch.h"
#include "rules.h"
#include "util.h"

struct hits {
    size_t (*pairs)[2]; /* id, end */
    size_t n, cap;
};

static void on_hit(void *ctx, size_t id, size_t end)
{
    struct hits *h = ctx;
    h->pairs = xgrow(h->pairs, &h->cap, h->n + 1, sizeof(*h->pairs));
    h->pairs[h->n][0] = id;
    h->pairs[h->n][1] = end;
    h->n++;
}

static int compare_pairs(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    if (x[1] != y[1])
        return x[1] < y[1] ? -1 : 1;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void naive(const char *const *lits, const size_t *lens, size_t n, const char *data,
                  size_t len, struct hits *out)
{
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < n; k++)
            if (lens[k] <= len - i && memcmp(data + i, lits[k], lens[k]) == 0)
                on_hit(out, k, i + lens[k]);
}

/* The engines built into this binary. */
static const enum multimatch_engine engines[] = {
    MULTIMATCH_PORTABLE,
#ifdef WRENCH_HAVE_HYPERSCAN
    MULTIMATCH_HYPERSCAN,
#endif
};
#define N_ENGINES (sizeof(engines) / sizeof(engines[0]))

/* Every engine finds exactly the occurrences the naive search finds. */
static void check_all(const char *const *lits, const size_t *lens, size_t n, const char *data,
                      size_t len)
{
    struct hits want = {0};
    naive(lits, lens, n, data, len, &want);
    if (want.n > 1)
        qsort(want.pairs, want.n, sizeof(*want.pairs), compare_pairs);
    for (size_t e = 0; e < N_ENGINES; e++) {
        char err[256];
        struct multimatch *mm = multimatch_new(lits, lens, n, engines[e], err, sizeof(err));
        if (!mm)
            fail_msg("engine %d: %s", (int)engines[e], err);
        struct multimatch_scratch *sc = multimatch_scratch_new(mm);
        struct hits got = {0};
        assert_int_equal(multimatch_scan(mm, sc, data, len, on_hit, &got), 0);
        if (got.n > 1)
            qsort(got.pairs, got.n, sizeof(*got.pairs), compare_pairs);
        if (got.n != want.n)
            fail_msg("%s: %zu occurrences, %zu expected", multimatch_engine_name(mm), got.n,
                     want.n);
        for (size_t i = 0; i < got.n; i++) {
            assert_int_equal(got.pairs[i][0], want.pairs[i][0]);
            assert_int_equal(got.pairs[i][1], want.pairs[i][1]);
        }
        free(got.pairs);
        multimatch_scratch_free(sc);
        multimatch_free(mm);
    }
    free(want.pairs);
}

static void test_log_lines(void **state)
{
    (void)state;
    const char *lits[] = {"Exception",      "Error",      "Throwable",
                          "Server version", " with PID ", "Address already in use"};
    size_t lens[6];
    for (size_t i = 0; i < 6; i++)
        lens[i] = strlen(lits[i]);
    const char *log = "2026-11-27 02:19:18.123 INFO [main] Starting App using Java 17 with PID 1\n"
                      "2026-11-27 02:19:19.000 ERROR [main] failed\n"
                      "java.net.BindException: Address already in use\n"
                      "\tat sun.nio.ch.Net.bind(Net.java:555)\n"
                      "Caused by: java.lang.OutOfMemoryErrorError\n" /* overlapping, adjacent */
                      "Server version name:   Apache Tomcat/10.1.16\n"
                      "Throwable"; /* at the very end */
    check_all(lits, lens, 6, log, strlen(log));
    check_all(lits, lens, 6, log, 0);
    check_all(lits, lens, 6, "Err", 3); /* shorter than any literal, and than a window */
}

static void test_short_and_binary_literals(void **state)
{
    (void)state;
    /* literals shorter than the portable engine's 4-byte window, and bytes NUL and 0xff */
    const char *lits[] = {"a", "ab", "abc", "abcd", "b\0c", "\xff\xfe", "zzzzzzzzzzzzzzzzzzz"};
    size_t lens[] = {1, 2, 3, 4, 3, 2, 19};
    const char data[] = "xabcdab\0c\xff\xfe\xff\xfe"
                        "aaaabcabcdzzzzzzzzzzzzzzzzzzzzzz b\0cab";
    check_all(lits, lens, 7, data, sizeof(data) - 1);
    for (size_t cut = 0; cut < sizeof(data) - 1; cut++)
        check_all(lits, lens, 7, data + cut, sizeof(data) - 1 - cut);
}

/* Random literals drawn from a small alphabet (many near misses) over random text. */
static void test_random(void **state)
{
    (void)state;
    srand(11);
    for (int round = 0; round < 40; round++) {
        size_t n = 1 + (size_t)(rand() % 60);
        char **lits = xcalloc(n, sizeof(char *));
        size_t *lens = xcalloc(n, sizeof(size_t));
        for (size_t i = 0; i < n; i++) {
            lens[i] = 1 + (size_t)(rand() % 12);
            lits[i] = xmalloc(lens[i]);
            for (size_t k = 0; k < lens[i]; k++)
                lits[i][k] = "abcE\n r"[rand() % 7];
        }
        size_t len = (size_t)(rand() % 5000);
        char *data = xmalloc(len + 1);
        for (size_t k = 0; k < len; k++)
            data[k] = "abcE\n r"[rand() % 7];
        check_all((const char *const *)lits, lens, n, data, len);
        for (size_t i = 0; i < n; i++)
            free(lits[i]);
        free(lits);
        free(lens);
        free(data);
    }
}

static void test_refused(void **state)
{
    (void)state;
    char err[256];
    const char *lits[] = {"ok", ""};
    size_t lens[] = {2, 0};
    assert_null(multimatch_new(lits, lens, 2, MULTIMATCH_PORTABLE, err, sizeof(err)));
    assert_non_null(strstr(err, "empty"));
#ifndef WRENCH_HAVE_HYPERSCAN
    assert_null(multimatch_new(lits, lens, 1, MULTIMATCH_HYPERSCAN, err, sizeof(err)));
#endif
    /* no literal at all: a matcher that never matches */
    struct multimatch *mm = multimatch_new(lits, lens, 0, MULTIMATCH_BEST, err, sizeof(err));
    assert_non_null(mm);
    struct multimatch_scratch *sc = multimatch_scratch_new(mm);
    struct hits got = {0};
    assert_int_equal(multimatch_scan(mm, sc, "anything", 8, on_hit, &got), 0);
    assert_int_equal(got.n, 0);
    multimatch_scratch_free(sc);
    multimatch_free(mm);
}

/* ---- rules_required_literals ---- */

struct lits {
    char items[16][128];
    size_t n;
};

static void collect(void *ud, const char *s, size_t n)
{
    struct lits *l = ud;
    if (l->n < 16 && n < 128) {
        memcpy(l->items[l->n], s, n);
        l->items[l->n][n] = '\0';
        l->n++;
    }
}

/* The literals required by a rule with this pattern (and literal, may be NULL). */
static bool required(const char *pattern, const char *literal, struct lits *out)
{
    struct log_rule r = {0};
    r.pattern = (char *)pattern;
    r.literal = (char *)literal;
    memset(out, 0, sizeof(*out));
    return rules_required_literals(&r, collect, out);
}

static void test_required_literals(void **state)
{
    (void)state;
    struct lits l;
    /* a rule's literal wins; its longest piece between line ends */
    assert_true(required("x", "Too many\nopen files", &l));
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0], "open files");
    /* alternations: one literal per branch, the longest run or a required group's set */
    assert_true(required("Too many connections|too many clients already", NULL, &l));
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0], "Too many connections");
    assert_string_equal(l.items[1], "too many clients already");
    assert_true(required("(?J)StandardServer\\.await: create\\[(?:(?<address>[^\\]\\n]*):)?"
                         "(?<port>\\d+)\\]|Failed to create server shutdown socket",
                         NULL, &l));
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0], "StandardServer.await: create[");
    assert_true(
        required("(?:NoClassDefFoundError|ClassNotFoundException): (?<c>javax[./]x)", NULL, &l));
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0], "NoClassDefFoundError");
    assert_string_equal(l.items[1], "ClassNotFoundException");
    /* an optional character or group is not required */
    assert_true(required("abcd?efgh", NULL, &l));
    assert_string_equal(l.items[0], "efgh");
    assert_true(required("(?:Caused by: )?java\\.lang\\.Foo", NULL, &l));
    assert_string_equal(l.items[0], "java.lang.Foo");
    assert_true(required("Fooo+Bar", NULL, &l));
    assert_string_equal(l.items[0], "Fooo");
    /* what cannot be told: no literal, a branch without one, caseless, \Q */
    assert_false(required("\\d+ms", NULL, &l));
    assert_true(required("\\d+ ms", NULL, &l)); /* " ms": 3 bytes */
    assert_false(required("Long enough|ab", NULL, &l));
    assert_false(required("(?i)timeout expired", NULL, &l));
    assert_false(required("x(?i:timeout expired)", NULL, &l));
    assert_false(required("\\Qa.b\\E and more", NULL, &l));
    assert_false(required("(?:timeout expired)?", NULL, &l));
    assert_int_equal(l.n, 0);
}

/* Every shipped rule yields a set: else the fast path would be off with the default rules
 * (that the sets are right, tests/e2e/test_log_fastpath.py checks on every rule sample). */
static void test_shipped_rules_have_literals(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *set;
    assert_int_equal(rules_load(&set, NULL, err), 0);
    for (size_t i = 0; i < set->n_rules; i++) {
        struct lits l = {0};
        if (!rules_required_literals(&set->rules[i], collect, &l))
            fail_msg("rule %s: no required literal can be told", set->rules[i].id);
        assert_true(l.n > 0);
    }
    rules_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_lines),
        cmocka_unit_test(test_short_and_binary_literals),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_required_literals),
        cmocka_unit_test(test_shipped_rules_have_literals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
