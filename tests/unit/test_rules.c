/*
 * test_rules.c - unit tests for rules.c: loading the embedded sets, validation
 * that reports every problem, overrides from a --rules directory, match order,
 * the literal prefilter, applies_to, the class group and the match limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "embedded.h"
#include "rules.h"
#include "util.h"

static struct rule_set *load_text(const char *json)
{
    char err[WR_ERR_MAX];
    struct rule_set *set = rules_new();
    if (rules_add_text(set, json, strlen(json), "test.json", err) != 0)
        fail_msg("%s", err);
    return set;
}

static const struct log_rule *match(const struct rule_set *set, const char *text,
                                    enum log_kind kind, struct rule_hit *hit)
{
    struct rule_scratch *md = rules_scratch_new(set);
    rules_match(set, text, strlen(text), kind, md, hit);
    rules_scratch_free(md);
    return hit->rule;
}

static void test_default_set(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *set;
    assert_int_equal(rules_load(&set, NULL, err), 0);
    assert_true(set->n_rules >= 50);
    for (size_t i = 0; i < set->n_rules; i++) {
        assert_non_null(set->rules[i].code);
        for (size_t k = i + 1; k < set->n_rules; k++)
            assert_string_not_equal(set->rules[i].id, set->rules[k].id);
    }
    /* classpath-hints.json has another format and must not be read as log rules. */
    assert_null(rules_find(set, "slf4j.multiple-bindings"));
    assert_non_null(rules_find(set, "tomcat.port-in-use"));
    assert_non_null(rules_find(set, "memory.metaspace"));
    rules_free(set);
}

/* Names of the placeholders of a template, each as "{name}" followed by a space, sorted, so
 * two templates naming the same set compare equal as strings. */
static void collect_name(const char *name, size_t len, void *ud)
{
    char(*names)[64] = ud;
    for (size_t i = 0; i < 16; i++) {
        if (!names[i][0]) {
            snprintf(names[i], sizeof(names[i]), "%.*s", (int)len, name);
            return;
        }
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return;
    }
    fail_msg("more than 16 placeholders");
}

static int compare_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void assert_same_placeholders(const char *id, const char *english, const char *chinese)
{
    char a[16][64] = {{0}}, b[16][64] = {{0}};
    rules_template_names(english, collect_name, a);
    rules_template_names(chinese, collect_name, b);
    qsort(a, 16, sizeof(a[0]), compare_names);
    qsort(b, 16, sizeof(b[0]), compare_names);
    for (size_t i = 0; i < 16; i++)
        if (strcmp(a[i], b[i]) != 0)
            fail_msg("rule %s: placeholders differ: {%s} vs {%s}", id, a[i], b[i]);
}

/* Every shipped rule and classpath hint has a Chinese title and hint naming the same facts. */
static void test_every_text_has_chinese(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *set;
    assert_int_equal(rules_load(&set, NULL, err), 0);
    for (size_t i = 0; i < set->n_rules; i++) {
        const struct log_rule *r = &set->rules[i];
        if (!r->title_zh || !r->hint_zh)
            fail_msg("rule %s has no title_zh or hint_zh", r->id);
        assert_same_placeholders(r->id, r->title, r->title_zh);
        assert_same_placeholders(r->id, r->hint, r->hint_zh);
        assert_string_not_equal(r->title, r->title_zh);
    }
    rules_free(set);
    const struct embedded_file *f = embedded_find("rules/classpath-hints.json");
    assert_non_null(f);
    json_t *root = json_loads((const char *)f->data, 0, NULL);
    json_t *hints = json_object_get(root, "hints");
    assert_true(json_array_size(hints) >= 10);
    size_t i;
    json_t *h;
    json_array_foreach(hints, i, h)
    {
        const char *id = json_string_value(json_object_get(h, "id"));
        const char *title_zh = json_string_value(json_object_get(h, "title_zh"));
        const char *hint_zh = json_string_value(json_object_get(h, "hint_zh"));
        if (!title_zh || !hint_zh)
            fail_msg("classpath hint %s has no title_zh or hint_zh", id);
        assert_same_placeholders(id, json_string_value(json_object_get(h, "title")), title_zh);
        assert_same_placeholders(id, json_string_value(json_object_get(h, "hint")), hint_zh);
    }
    json_decref(root);
}

/* title_zh/hint_zh are optional, but must name the same placeholders as title/hint. */
static void test_chinese_placeholders_checked(void **state)
{
    (void)state;
    const char *bad = "{\"rules\":[{\"id\":\"t.a\",\"severity\":\"error\",\"category\":"
                      "\"other\",\"pattern\":\"port (?<port>\\\\d+)\",\"title\":\"Port {port}\","
                      "\"title_zh\":\"端口\",\"hint\":\"h\"}]}";
    char err[WR_ERR_MAX];
    struct rule_set *set = rules_new();
    assert_int_not_equal(rules_add_text(set, bad, strlen(bad), "bad.json", err), 0);
    assert_non_null(strstr(err, "title_zh"));
    rules_free(set);
    const char *good = "{\"rules\":[{\"id\":\"t.a\",\"severity\":\"error\",\"category\":"
                       "\"other\",\"pattern\":\"port (?<port>\\\\d+)\",\"title\":\"Port {port}\","
                       "\"title_zh\":\"端口 {port}\",\"hint\":\"h\"}]}";
    set = load_text(good);
    assert_string_equal(set->rules[0].title_zh, "端口 {port}");
    assert_null(set->rules[0].hint_zh);
    rules_free(set);
}

static void test_check_reports_every_problem(void **state)
{
    (void)state;
    const char *json = "{\"rules\": ["
                       "{\"id\": \"a.one\", \"severity\": \"fatal\", \"category\": \"memory\","
                       " \"pattern\": \"x\", \"title\": \"t\", \"hint\": \"h\"},"
                       "{\"id\": \"a.two\", \"severity\": \"error\", \"category\": \"memory\","
                       " \"pattern\": \"ab(c\", \"title\": \"t\", \"hint\": \"h\"},"
                       "{\"id\": \"Bad Id\", \"severity\": \"error\", \"category\": \"nowhere\","
                       " \"pattern\": \"x\", \"title\": \"t\", \"hint\": \"h\", \"colour\": 1},"
                       "{\"id\": \"a.one\", \"severity\": \"info\", \"category\": \"other\","
                       " \"pattern\": \"y\", \"title\": \"t\"}"
                       "]}";
    struct rule_problems probs = {0};
    size_t n = rules_check_text(json, strlen(json), "bad.json", &probs);
    assert_int_equal(n, probs.n);
    const char *want[] = {
        "bad.json: rule a.one: unknown severity \"fatal\"",
        "bad.json: rule a.two: pattern error at offset 4: missing closing parenthesis",
        "bad.json: rule #3: id \"Bad Id\"",
        "unknown category \"nowhere\"",
        "unknown field \"colour\"",
        "bad.json: rule a.one: \"hint\" is required",
        "bad.json: rule a.one: id used twice in the file",
    };
    for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
        bool found = false;
        for (size_t i = 0; i < probs.n; i++)
            found |= strstr(probs.items[i], want[w]) != NULL;
        if (!found) {
            for (size_t i = 0; i < probs.n; i++)
                fprintf(stderr, "  %s\n", probs.items[i]);
            fail_msg("missing problem: %s", want[w]);
        }
    }
    rule_problems_free(&probs);

    /* Loading the same text fails as a whole and names the first problem and the count. */
    char err[WR_ERR_MAX];
    struct rule_set *set = rules_new();
    assert_int_equal(rules_add_text(set, json, strlen(json), "bad.json", err), -1);
    assert_non_null(strstr(err, "bad.json: rule a.one"));
    assert_non_null(strstr(err, "more problems"));
    assert_int_equal(set->n_rules, 0);
    assert_int_equal(rules_check_text("{\"rules\": 3}", 12, "x.json", &probs), 1);
    assert_int_equal(rules_check_text("{\"rules\": [", 11, "x.json", &probs), 1);
    assert_non_null(strstr(probs.items[1], "x.json:1:"));
    rule_problems_free(&probs);
    rules_free(set);
}

static void test_dir_override(void **state)
{
    (void)state;
    char dir[] = "/tmp/wrench-rules-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = path_join(dir, "site.json");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"rules\": [{\"id\": \"tomcat.port-in-use\", \"severity\": \"info\", \"category\": "
          "\"network\", \"literal\": \"Address already in use\", \"pattern\": \"Address already "
          "in use\", \"title\": \"site title\", \"hint\": \"site hint\"},"
          "{\"id\": \"site.custom\", \"severity\": \"warning\", \"category\": \"other\","
          " \"pattern\": \"ORDER-\\\\d+ rejected\", \"title\": \"t\", \"hint\": \"h\"}]}",
          f);
    fclose(f);
    char *hints = path_join(dir, "classpath-hints.json");
    f = fopen(hints, "w");
    fputs("{\"hints\": []}", f);
    fclose(f);

    char err[WR_ERR_MAX];
    struct rule_set *base, *set;
    assert_int_equal(rules_load(&base, NULL, err), 0);
    assert_int_equal(rules_load(&set, dir, err), 0);
    assert_int_equal(set->n_rules, base->n_rules + 1);
    const struct log_rule *r = rules_find(set, "tomcat.port-in-use");
    assert_int_equal(r->severity, SEV_INFO);
    assert_string_equal(r->title, "site title");
    assert_string_equal(r->origin, path);
    struct rule_hit hit;
    assert_non_null(match(set, "x ORDER-42 rejected", LOG_KIND_APP, &hit));
    assert_string_equal(hit.rule->id, "site.custom");

    /* The version covers every file in use: the directory's file changes it (its
     * classpath-hints.json is not a rule file and is skipped), the same files do not. */
    char v_base[RULES_VERSION_MAX], v_set[RULES_VERSION_MAX], v_again[RULES_VERSION_MAX];
    rules_version(base, v_base, sizeof(v_base));
    rules_version(set, v_set, sizeof(v_set));
    assert_int_equal(set->n_files, base->n_files + 1);
    assert_true(strncmp(v_base, "sha256:", 7) == 0);
    assert_string_not_equal(v_base, v_set);
    struct rule_set *again;
    assert_int_equal(rules_load(&again, dir, err), 0);
    rules_version(again, v_again, sizeof(v_again));
    assert_string_equal(v_set, v_again);
    rules_free(again);
    /* the embedded rules' version without loading them (a scan without logs) is the same */
    char v_embedded[RULES_VERSION_MAX];
    rules_embedded_version(v_embedded, sizeof(v_embedded));
    assert_string_equal(v_embedded, v_base);

    /* A broken file in the directory fails the load and is named. */
    char *broken = path_join(dir, "zz.json");
    f = fopen(broken, "w");
    fputs("{\"rules\": [{\"id\": \"zz.bad\"}]}", f);
    fclose(f);
    struct rule_set *none = NULL;
    assert_int_equal(rules_load(&none, dir, err), -1);
    assert_null(none);
    assert_non_null(strstr(err, "zz.json: rule zz.bad"));
    assert_int_equal(rules_load(&none, "/nonexistent/rules", err), -1);
    assert_non_null(strstr(err, "/nonexistent/rules"));

    unlink(broken);
    unlink(hints);
    unlink(path);
    rmdir(dir);
    free(broken);
    free(hints);
    free(path);
    rules_free(base);
    rules_free(set);
}

static const char *order_json =
    "{\"rules\": ["
    "{\"id\": \"t.wrapper\", \"severity\": \"critical\", \"category\": \"startup\", \"generic\":"
    " true, \"pattern\": \"failed to start\", \"title\": \"t\", \"hint\": \"h\"},"
    "{\"id\": \"t.warn\", \"severity\": \"warning\", \"category\": \"other\", \"pattern\":"
    " \"Boom\", \"title\": \"t\", \"hint\": \"h\"},"
    "{\"id\": \"t.err\", \"severity\": \"error\", \"category\": \"classpath\", \"pattern\":"
    " \"NoSuchMethodError: (?<class>[\\\\w.]+)\\\\.\\\\w+\\\\(\", \"title\": \"t\", \"hint\": "
    "\"h\"},"
    "{\"id\": \"t.lit\", \"severity\": \"critical\", \"category\": \"other\", \"literal\":"
    " \"ZZZ\", \"pattern\": \"Boom\", \"title\": \"t\", \"hint\": \"h\"},"
    "{\"id\": \"t.tomcat\", \"severity\": \"critical\", \"category\": \"other\", \"applies_to\":"
    " [\"tomcat\"], \"pattern\": \"^Boom\", \"title\": \"t\", \"hint\": \"h\"}"
    "]}";

static void test_match_order(void **state)
{
    (void)state;
    struct rule_set *set = load_text(order_json);
    struct rule_hit hit;
    /* The specific rule wins over the generic wrapper, whatever their severities. */
    const char *text =
        "Listener failed to start\njava.lang.NoSuchMethodError: com.acme.Foo.bar(I)V";
    assert_non_null(match(set, text, LOG_KIND_APP, &hit));
    assert_string_equal(hit.rule->id, "t.err");
    assert_string_equal(hit.rule->category, "classpath");
    assert_true(hit.class_end > hit.class_start);
    assert_memory_equal(text + hit.class_start, "com.acme.Foo", 12);
    assert_int_equal(hit.class_end - hit.class_start, 12);
    /* Higher severity first: t.tomcat (critical) beats t.warn, but only for tomcat logs. */
    assert_string_equal(match(set, "Boom", LOG_KIND_TOMCAT, &hit)->id, "t.tomcat");
    assert_string_equal(match(set, "Boom", LOG_KIND_APP, &hit)->id, "t.warn");
    /* The literal gates the regex: t.lit's pattern matches but ZZZ is absent. */
    assert_string_equal(match(set, "Boom ZZZ", LOG_KIND_APP, &hit)->id, "t.lit");
    assert_string_equal(match(set, "x failed to start", LOG_KIND_APP, &hit)->id, "t.wrapper");
    assert_null(match(set, "all is well", LOG_KIND_APP, &hit));
    /* Default applies_to excludes access logs. */
    assert_null(match(set, "Boom", LOG_KIND_ACCESS, &hit));
    rules_free(set);
}

/* Named groups become facts; templates take them, optional parts go when a fact is missing. */
static void test_facts_and_templates(void **state)
{
    (void)state;
    struct rule_set *set = load_text(
        "{\"rules\": [{\"id\": \"t.port\", \"severity\": \"critical\", \"category\": "
        "\"network\", \"pattern\": \"Failed to start (?:connector "
        "\\\\[Connector\\\\[(?<connector>[^\\\\]]*?"
        "-(?<port>\\\\d+))\\\\]\\\\]|(?<other>x))\", \"title\": \"Port[ {port}] in use[ by "
        "{connector}]\", \"hint\": \"Free {port}; see [docs] and [{other} here]\"}]}");
    const char *text = "SEVERE Failed to start connector [Connector[HTTP/1.1-8080]]";
    struct rule_hit hit;
    assert_non_null(match(set, text, LOG_KIND_APP, &hit));
    assert_int_equal(hit.n_groups, 2);
    struct log_finding f;
    memset(&f, 0, sizeof(f));
    rules_hit_facts(&hit, text, &f);
    assert_string_equal(log_finding_fact(&f, "port"), "8080");
    assert_string_equal(log_finding_fact(&f, "connector"), "HTTP/1.1-8080");
    assert_null(log_finding_fact(&f, "other"));
    char *title = rules_expand(hit.rule->title, &f);
    assert_string_equal(title, "Port 8080 in use by HTTP/1.1-8080");
    free(title);
    /* "[docs]" holds no placeholder: plain text; "[{other} here]" has no value: dropped */
    char *hint = rules_expand(hit.rule->hint, &f);
    assert_string_equal(hint, "Free 8080; see [docs] and ");
    free(hint);
    log_finding_clear(&f);
    char *bare = rules_expand("Port {port}[ ({connector})] {x", &f);
    assert_string_equal(bare, "Port ? {x");
    free(bare);
    /* values keep one line: runs of white space become one space, trimmed */
    char *v = rules_fact_value("  a\n\tb  ", 9);
    assert_string_equal(v, "a b");
    free(v);
    rules_free(set);

    /* a placeholder that names no group of the pattern is a rule problem */
    struct rule_problems probs = {0};
    const char *bad = "{\"rules\": [{\"id\": \"t.bad\", \"severity\": \"error\", \"category\": "
                      "\"other\", \"pattern\": \"(?<port>\\\\d+)\", \"title\": \"Port {prot}\", "
                      "\"hint\": \"h\"}]}";
    assert_int_equal(rules_check_text(bad, strlen(bad), "bad.json", &probs), 1);
    assert_non_null(strstr(probs.items[0], "{prot}"));
    rule_problems_free(&probs);
}

static void test_match_limit(void **state)
{
    (void)state;
    struct rule_set *set = load_text(
        "{\"rules\": [{\"id\": \"t.slow\", \"severity\": \"error\", \"category\": \"other\","
        " \"pattern\": \"^(a|aa)+$\", \"title\": \"t\", \"hint\": \"h\"},"
        "{\"id\": \"t.fine\", \"severity\": \"info\", \"category\": \"other\","
        " \"pattern\": \"aaab\", \"title\": \"t\", \"hint\": \"h\"}]}");
    char text[200];
    memset(text, 'a', sizeof(text) - 2);
    text[sizeof(text) - 2] = 'b';
    text[sizeof(text) - 1] = '\0';
    struct rule_hit hit;
    uint64_t t0 = time_monotonic_ms();
    match(set, text, LOG_KIND_APP, &hit);
    assert_true(time_monotonic_ms() - t0 < 5000);
    assert_non_null(hit.limit_rule);
    assert_string_equal(hit.limit_rule->id, "t.slow");
    /* The runaway rule is skipped, later rules still run. */
    assert_non_null(hit.rule);
    assert_string_equal(hit.rule->id, "t.fine");
    rules_free(set);
}

static void test_invalid_utf8_and_nul(void **state)
{
    (void)state;
    struct rule_set *set = load_text(
        "{\"rules\": [{\"id\": \"t.oom\", \"severity\": \"critical\", \"category\": \"memory\","
        " \"literal\": \"OutOfMemoryError\", \"pattern\": \"OutOfMemoryError: (\\\\w+)\","
        " \"title\": \"t\", \"hint\": \"h\"}]}");
    const char text[] = "\xff\xfe caf\xc3 \0 java.lang.OutOfMemoryError: Metaspace \x80";
    struct rule_scratch *md = rules_scratch_new(set);
    struct rule_hit hit;
    rules_match(set, text, sizeof(text) - 1, LOG_KIND_APP, md, &hit);
    assert_non_null(hit.rule);
    rules_scratch_free(md);
    rules_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_set),
        cmocka_unit_test(test_every_text_has_chinese),
        cmocka_unit_test(test_chinese_placeholders_checked),
        cmocka_unit_test(test_check_reports_every_problem),
        cmocka_unit_test(test_dir_override),
        cmocka_unit_test(test_match_order),
        cmocka_unit_test(test_facts_and_templates),
        cmocka_unit_test(test_match_limit),
        cmocka_unit_test(test_invalid_utf8_and_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
