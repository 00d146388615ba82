/*
 * test_messages.c - unit tests for messages.c: every message of the catalogue has an English
 * and a Chinese template naming the same arguments, the Chinese one is Chinese, and
 * rendering puts arguments in each language's order, with plurals and thousands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "facttext.h"
#include "messages.h"
#include "model.h"
#include "svcstate.h"

/* Does the text hold a CJK ideograph or CJK punctuation (U+3000..U+9FFF, U+FF00..U+FFEF)? */
static bool has_cjk(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((p[0] >= 0xe3 && p[0] <= 0xe9) || (p[0] == 0xef && (p[1] == 0xbc || p[1] == 0xbd)))
            return true;
    return false;
}

/* Messages whose Chinese is the English (names wrench keeps as they are), or punctuation. */
static bool same_in_both(const char *name)
{
    static const char *const same[] = {"what.webapp",      "what.webapp-root", "what.classpath",
                                       "text.with-detail", "verdict.item",     "dump.where",
                                       "banner.where"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        if (strcmp(name, same[i]) == 0)
            return true;
    return false;
}

static void test_every_message_has_both_languages(void **state)
{
    (void)state;
    for (int id = 0; id < MSG_COUNT; id++) {
        const char *name = msg_name((enum msg_id)id);
        if (!name)
            fail_msg("message #%d has no entry in the catalogue", id);
        const char *en = msg_template((enum msg_id)id, LANG_EN);
        const char *zh = msg_template((enum msg_id)id, LANG_ZH);
        if (!en || !*en)
            fail_msg("message %s has no English text", name);
        if (!zh || !*zh)
            fail_msg("message %s has no Chinese text", name);
        int bad_en, bad_zh;
        char *a = msg_placeholders(en, &bad_en), *b = msg_placeholders(zh, &bad_zh);
        if (bad_en || bad_zh)
            fail_msg("message %s: a brace that is not a placeholder", name);
        if (strcmp(a, b) != 0)
            fail_msg("message %s: English names {%s}, Chinese names {%s}", name, a, b);
        free(a);
        free(b);
        bool letters = strpbrk(en, "abcdefghijklmnopqrstuvwxyz") != NULL;
        if (letters && !same_in_both(name) && !has_cjk(zh))
            fail_msg("message %s: the Chinese text is not Chinese: %s", name, zh);
        for (int other = 0; other < id; other++)
            assert_string_not_equal(name, msg_name((enum msg_id)other));
    }
}

/* The severity messages follow enum severity: their English is severity_name(). */
static void test_severity_names(void **state)
{
    (void)state;
    for (int sev = 0; sev < SEV_COUNT; sev++)
        assert_string_equal(msg_template((enum msg_id)(MSG_SEVERITY_INFO + sev), LANG_EN),
                            severity_name((enum severity)sev));
}

/* The state names follow enum run_state: their English is run_state_name() in capitals. */
static void test_state_names(void **state)
{
    (void)state;
    for (int st = RUN_UNKNOWN; st <= RUN_CRASHED; st++) {
        const char *name = run_state_name((enum run_state)st);
        const char *en = msg_template((enum msg_id)(MSG_STATE_NAME_UNKNOWN + st), LANG_EN);
        assert_int_equal(strlen(en), strlen(name));
        for (size_t i = 0; name[i]; i++)
            assert_int_equal(en[i], name[i] - 'a' + 'A');
    }
}

/* A run's end in Chinese, and the English of the messages that replace printf formats is the
 * text the formats wrote (tests and people read it). */
static void test_rendered_like_before(void **state)
{
    (void)state;
    char *s = msg_text(MSG_EV_OOM_KILLS, LANG_EN, MSG_N("n", 1));
    assert_string_equal(s, "the cgroup's OOM killer ended 1 process");
    free(s);
    s = msg_text(MSG_EV_OOM_KILLS, LANG_EN, MSG_N("n", 2));
    assert_string_equal(s, "the cgroup's OOM killer ended 2 processes");
    free(s);
    s = msg_text(MSG_EV_FINISH_RECORDED, LANG_ZH, MSG_N("n", 3),
                 MSG_B("exit", "exit 1", "退出码 1"), MSG_S("file", "/etc/sv/a/last-exit"));
    assert_string_equal(
        s, "finish 脚本记录了 3 次已结束的运行，最近一次：退出码 1（/etc/sv/a/last-exit）");
    free(s);
    s = msg_text(MSG_TEXT_SUMMARY, LANG_EN, MSG_N("critical", 0), MSG_N("error", 1),
                 MSG_N("warning", 2), MSG_N("info", 3), MSG_N("ms", 12));
    assert_string_equal(s, "Summary: 0 critical, 1 error, 2 warnings, 3 info (12 ms)");
    free(s);
    s = msg_text(MSG_TD_WAITS, LANG_ZH, MSG_S("thread", "main"),
                 MSG_S("frame", "sun.nio.ch.Net.poll"));
    assert_string_equal(s, "main 在 sun.nio.ch.Net.poll 中等待");
    free(s);
    s = msg_text(MSG_PROBLEM_BAD_NAMES, LANG_EN, MSG_N("n", 2));
    assert_string_equal(s, "2 entry name(s) skipped as unsafe (absolute, '..', NUL, invalid UTF-8 "
                           "or too deep)");
    free(s);
}

static void test_placeholders(void **state)
{
    (void)state;
    int bad;
    char *s = msg_placeholders("{b} and {a|one|other} and {b}", &bad);
    assert_int_equal(bad, 0);
    assert_string_equal(s, "a b");
    free(s);
    s = msg_placeholders("{unclosed", &bad);
    assert_int_equal(bad, 1);
    free(s);
    s = msg_placeholders("{n|one}", &bad); /* a plural needs two forms */
    assert_int_equal(bad, 1);
    free(s);
    s = msg_placeholders("no placeholders", &bad);
    assert_int_equal(bad, 0);
    assert_string_equal(s, "");
    free(s);
}

static void test_render_order_plural_thousands(void **state)
{
    (void)state;
    char *en = msg_text(MSG_VERDICT_WEBAPPS_OF, LANG_EN, MSG_N("failed", 2), MSG_N("total", 3),
                        MSG_B("list", "/a: x; /b: y", "/a：x；/b：y"));
    char *zh = msg_text(MSG_VERDICT_WEBAPPS_OF, LANG_ZH, MSG_N("failed", 2), MSG_N("total", 3),
                        MSG_B("list", "/a: x; /b: y", "/a：x；/b：y"));
    assert_string_equal(en, "2 of 3 webapps failed to start: /a: x; /b: y");
    assert_string_equal(zh, "3 个 webapp 中有 2 个启动失败：/a：x；/b：y");
    free(en);
    free(zh);
    en = msg_text(MSG_VERDICT_NO_PROBLEM, LANG_EN, MSG_C("entries", 1));
    assert_string_equal(en, "No problem found in 1 classpath entry.");
    free(en);
    en = msg_text(MSG_VERDICT_NO_PROBLEM, LANG_EN, MSG_C("entries", 12345));
    assert_string_equal(en, "No problem found in 12,345 classpath entries.");
    free(en);
    /* Chinese keeps a template's space next to Latin text and drops it between two Chinese
     * characters. */
    zh = msg_text(MSG_VERDICT_FAILED_TO_START, LANG_ZH, MSG_B("what", "the service", "服务"),
                  MSG_S("cause", "x"));
    assert_string_equal(zh, "服务启动失败：x");
    free(zh);
    zh = msg_text(MSG_VERDICT_FAILED_TO_START, LANG_ZH, MSG_S("what", "webapp /acme"),
                  MSG_S("cause", "x"));
    assert_string_equal(zh, "webapp /acme 启动失败：x");
    free(zh);
    zh = msg_text(MSG_CONFLICT_IDENTICAL, LANG_ZH, MSG_S("who", "a.jar 和 b.jar"),
                  MSG_C("shared", 2));
    assert_string_equal(zh, "a.jar 和 b.jar 共有 2 个完全相同的类");
    free(zh);
    /* A missing argument shows as itself rather than vanishing. */
    en = msg_text(MSG_WHAT_SERVICE, LANG_EN, MSG_S("other", "x"));
    assert_string_equal(en, "service {name}");
    free(en);
}

static void test_bibuf(void **state)
{
    (void)state;
    struct bibuf b = {0};
    const char *items[] = {"a.jar", "b.jar", "c.jar"};
    for (size_t i = 0; i < 3; i++) {
        bibuf_list_sep(&b, i, 3);
        bibuf_puts(&b, items[i], NULL);
    }
    bibuf_msg(&b, MSG_CLASS_LOADS_FIRST, MSG_S("winner", "a.jar"));
    char *en, *zh;
    bibuf_take(&b, &en, &zh);
    assert_string_equal(en, "a.jar, b.jar and c.jar; a.jar loads first");
    assert_string_equal(zh, "a.jar、b.jar 和 c.jar；先加载的是 a.jar");
    free(en);
    free(zh);
    bibuf_take(&b, &en, &zh); /* empty, never NULL */
    assert_string_equal(en, "");
    assert_string_equal(zh, "");
    free(en);
    free(zh);
    bibuf_free(&b);
    assert_string_equal(msg_pick(LANG_ZH, "en", NULL), "en");
    assert_string_equal(msg_pick(LANG_ZH, "en", "中"), "中");
    assert_string_equal(msg_pick(LANG_EN, "en", "中"), "en");
}

/* A fact's English name or value gets its Chinese wording from the message it was made of;
 * what is no message (a size, a number) stays as it is, and English stays English. */
static void check_fact(char *(*f)(const char *, enum lang), const char *en, const char *zh)
{
    char *got = f(en, LANG_ZH);
    assert_string_equal(got, zh);
    free(got);
    got = f(en, LANG_EN);
    assert_string_equal(got, en);
    free(got);
}

static void test_fact_texts(void **state)
{
    (void)state;
    check_fact(fact_name_text, "memory limit", "内存上限");
    check_fact(fact_name_text, "max heap of pid 42", "pid 42 的最大堆");
    check_fact(fact_name_text, "cgroup", "cgroup");
    check_fact(fact_value_text, "no limit", "无上限");
    check_fact(fact_value_text, "0.50 cores", "0.50 核");
    check_fact(fact_value_text, "512 MiB", "512 MiB");
    check_fact(fact_value_text, "1.0 GiB (a share of the container memory limit)",
               "1.0 GiB（按容器内存限制的比例）");
    check_fact(fact_value_text,
               "256.0 MiB (a quarter of the container's memory limit of 1.0 GiB, at most 1 GiB)",
               "256.0 MiB（容器内存上限 1.0 GiB 的四分之一，最多 1 GiB）");
    check_fact(fact_value_text, "256.0 MiB (a quarter of the container's memory limit of 1.0 GiB)",
               "256.0 MiB（容器内存上限 1.0 GiB 的四分之一）");
    check_fact(fact_value_text, "/sys/fs/cgroup/a b/memory.max is not a number",
               "/sys/fs/cgroup/a b/memory.max 的内容不是数字");
    check_fact(fact_value_text, "nice unchanged, I/O idle", "nice 值未变，I/O 空闲级");
    check_fact(fact_value_text, "a share", "a share"); /* no message: as it is */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_message_has_both_languages),
        cmocka_unit_test(test_severity_names),
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_rendered_like_before),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_render_order_plural_thousands),
        cmocka_unit_test(test_bibuf),
        cmocka_unit_test(test_fact_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
