/*
 * test_rulecases.c - data-driven rule tests: every testdata/logs/rules/<set>.log
 * holds sample records, each after a "# match: <rule-id>" or "# nomatch:" line.
 * Each sample is split like a log of its own; a "match" sample must be
 * matched by exactly the stated rule (no event of it by another), a "nomatch"
 * sample by none. "# match: <rule-id> class=<name> port=8080 title="..."" also
 * asserts facts: class= the (?<class>...) group, title= the title filled from the
 * facts (rules_expand), any other name= the value of that named group (a value with
 * spaces in double quotes; name=- asserts the group took no part). Every shipped rule
 * must have at least one match case.
 * The case directory is $WRENCH_RULE_CASES, else testdata/logs/rules (the
 * Makefile runs unit tests from the repository root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glob.h>

#include "logscan.h"
#include "rules.h"
#include "util.h"

#define CASES_DEFAULT "testdata/logs/rules"
#define CASE_FILE_MAX (1024 * 1024)
#define MATCH_PREFIX "# match: "
#define NOMATCH_PREFIX "# nomatch:"

#define ASSERT_MAX 8

struct case_ctx {
    const struct rule_set *rules;
    struct rule_scratch *md;
    enum log_kind kind;
    const char *expect;                           /* NULL for nomatch */
    const char *expect_class;                     /* NULL when not asserted */
    char *names[ASSERT_MAX], *values[ASSERT_MAX]; /* fact assertions */
    size_t n_asserts;
    size_t events;
    size_t hits_expected;
    char failure[WR_ERR_MAX];
};

static void check_facts(struct case_ctx *c, const struct rule_hit *hit, const char *text);

static void on_case_event(const struct log_event *ev, void *arg)
{
    struct case_ctx *c = arg;
    struct rule_hit hit;
    c->events++;
    rules_match(c->rules, ev->text, ev->len, c->kind, c->md, &hit);
    if (hit.limit_rule && !c->failure[0])
        snprintf(c->failure, sizeof(c->failure), "rule %s hit the match limit", hit.limit_rule->id);
    if (!hit.rule)
        return;
    if (c->expect && strcmp(hit.rule->id, c->expect) == 0) {
        c->hits_expected++;
        size_t n = hit.class_end - hit.class_start;
        if (c->expect_class && !c->failure[0] &&
            (n != strlen(c->expect_class) ||
             memcmp(ev->text + hit.class_start, c->expect_class, n) != 0))
            snprintf(c->failure, sizeof(c->failure), "class group is \"%.*s\", not \"%s\"", (int)n,
                     ev->text + hit.class_start, c->expect_class);
        check_facts(c, &hit, ev->text);
        return;
    }
    if (!c->failure[0])
        snprintf(c->failure, sizeof(c->failure), "event at case line %llu matched %s: %.200s",
                 (unsigned long long)ev->line, hit.rule->id, ev->text);
}

/* The facts the hit gives, compared with the case's assertions. */
static void check_facts(struct case_ctx *c, const struct rule_hit *hit, const char *text)
{
    struct log_finding f;
    memset(&f, 0, sizeof(f));
    rules_hit_facts(hit, text, &f);
    for (size_t i = 0; i < c->n_asserts && !c->failure[0]; i++) {
        char *title = NULL;
        const char *got = strcmp(c->names[i], "title") == 0
                              ? (title = rules_expand(hit->rule->title, &f))
                              : log_finding_fact(&f, c->names[i]);
        bool want_none = strcmp(c->values[i], "-") == 0;
        if (want_none ? got != NULL : (!got || strcmp(got, c->values[i]) != 0))
            snprintf(c->failure, sizeof(c->failure), "%s is \"%s\", not \"%s\"", c->names[i],
                     got ? got : "(none)", c->values[i]);
        free(title);
    }
    log_finding_clear(&f);
}

/* Parse the assertions after a rule id: name=value or name="value with spaces". */
static void parse_asserts(struct case_ctx *c, char *p)
{
    while (*p && c->n_asserts < ASSERT_MAX) {
        while (*p == ' ')
            p++;
        char *eq = strchr(p, '=');
        if (!eq)
            return;
        *eq = '\0';
        char *v = eq + 1, *end;
        if (*v == '"') {
            v++;
            end = strchr(v, '"');
            if (!end)
                end = v + strlen(v);
        } else {
            end = v + strcspn(v, " ");
        }
        char stop = *end;
        *end = '\0';
        if (strcmp(p, "class") == 0) {
            c->expect_class = v;
        } else {
            c->names[c->n_asserts] = p;
            c->values[c->n_asserts++] = v;
        }
        p = stop ? end + 1 : end;
    }
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = xmalloc(CASE_FILE_MAX + 1);
    size_t n = fread(buf, 1, CASE_FILE_MAX, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Run one case; returns 0 when it passes, else prints why and returns 1. */
static int run_case(const struct rule_set *rules, struct rule_scratch *md, enum log_kind kind,
                    const char *file, size_t line, const char *marker, const char *text, size_t len)
{
    /* marker is "<rule-id>" or "<rule-id> class=<name>", NULL for nomatch */
    char *id = marker ? xstrdup(marker) : NULL;
    const char *expect = id;
    struct case_ctx c = {.rules = rules, .md = md, .kind = kind, .expect = id};
    char *sp_at = id ? strchr(id, ' ') : NULL;
    if (sp_at) {
        *sp_at = '\0';
        parse_asserts(&c, sp_at + 1);
    }
    struct logscan_splitter *sp = logscan_splitter_new(on_case_event, &c);
    logscan_splitter_feed(sp, text, len);
    logscan_splitter_finish(sp);
    logscan_splitter_free(sp);
    if (!c.failure[0] && c.events == 0)
        snprintf(c.failure, sizeof(c.failure), "no event in the sample");
    if (!c.failure[0] && expect && c.hits_expected == 0)
        snprintf(c.failure, sizeof(c.failure), "%s did not match", expect);
    if (!c.failure[0] && expect && !rules_find(rules, expect))
        snprintf(c.failure, sizeof(c.failure), "no rule %s", expect);
    free(id);
    if (!c.failure[0])
        return 0;
    fprintf(stderr, "%s:%zu: %s\n", file, line, c.failure);
    return 1;
}

static void test_rule_cases(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    if (rules_load(&rules, NULL, err) != 0)
        fail_msg("%s", err);
    assert_true(rules->n_rules >= 50);
    struct rule_scratch *md = rules_scratch_new(rules);
    size_t *cases_per_rule = xcalloc(rules->n_rules + 1, sizeof(size_t));
    const char *dir = getenv("WRENCH_RULE_CASES");
    char *pattern = path_join(dir && dir[0] ? dir : CASES_DEFAULT, "*.log");
    glob_t g;
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    size_t failures = 0, cases = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *path = g.gl_pathv[i];
        enum log_kind kind =
            strcmp(path_basename(path), "tomcat.log") == 0 ? LOG_KIND_TOMCAT : LOG_KIND_APP;
        char *data = read_all(path);
        /* Walk the lines: a marker opens a case that runs to the next marker. */
        char *expect = NULL, *start = NULL;
        bool open = false;
        size_t line = 0, case_line = 0;
        char *p = data;
        for (;;) {
            char *nl = strchr(p, '\n');
            bool end = *p == '\0';
            bool marker =
                !end && (str_has_prefix(p, MATCH_PREFIX) || str_has_prefix(p, NOMATCH_PREFIX));
            if ((end || marker) && open) {
                failures +=
                    run_case(rules, md, kind, path, case_line, expect, start, (size_t)(p - start));
                cases++;
                if (expect) {
                    expect[strcspn(expect, " ")] = '\0';
                    const struct log_rule *r = rules_find(rules, expect);
                    if (r)
                        cases_per_rule[r - rules->rules]++;
                }
                free(expect);
                expect = NULL;
                open = false;
            }
            if (end)
                break;
            line++;
            if (marker) {
                open = true;
                case_line = line;
                if (str_has_prefix(p, MATCH_PREFIX)) {
                    const char *id = p + strlen(MATCH_PREFIX);
                    expect = xstrndup(id, nl ? (size_t)(nl - id) : strlen(id));
                }
                start = nl ? nl + 1 : p + strlen(p);
            }
            if (!nl)
                p += strlen(p);
            else
                p = nl + 1;
        }
        free(data);
    }
    globfree(&g);
    free(pattern);
    for (size_t i = 0; i < rules->n_rules; i++) {
        if (cases_per_rule[i] == 0) {
            fprintf(stderr, "rule %s has no '# match:' case\n", rules->rules[i].id);
            failures++;
        }
    }
    fprintf(stderr, "%zu cases, %zu rules, %zu failures\n", cases, rules->n_rules, failures);
    assert_true(cases >= rules->n_rules);
    free(cases_per_rule);
    rules_scratch_free(md);
    rules_free(rules);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
