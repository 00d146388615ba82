/*
 * test_safetext.c - the untrusted-text writer: terminal control sequences come
 * out escaped, text (ASCII, UTF-8, GBK bytes) comes out as it went in, and
 * safe_fprintf escapes its %s arguments but not its own format or numbers, and
 * safe_msg_line writes a catalogue message with its untrusted arguments escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "safetext.h"
#include "util.h"

static char *escaped(const char *s, size_t len)
{
    struct strbuf sb = {0};
    safetext_escape(&sb, s, len);
    return strbuf_take(&sb);
}

static void assert_escapes_to(const char *in, size_t len, const char *want)
{
    char *got = escaped(in, len);
    assert_string_equal(got, want);
    free(got);
}

static void test_control_sequences_are_escaped(void **state)
{
    (void)state;
    const char title[] = "a\x1b]0;PWNED\x07z";
    assert_escapes_to(title, strlen(title), "a\\x1b]0;PWNED\\x07z");
    const char clear[] = "\x1b[2J\x7f\r";
    assert_escapes_to(clear, strlen(clear), "\\x1b[2J\\x7f\\x0d");
    /* U+009B (CSI) as UTF-8, and a stray 0x9b byte that is not UTF-8. */
    assert_escapes_to("x\xc2\x9b"
                      "2Jy",
                      6, "x\\u009b2Jy");
    assert_escapes_to("x\x9b"
                      "2J",
                      4, "x\\x9b2J");
    /* A NUL inside the counted text is shown, not a terminator. */
    assert_escapes_to("a\0b", 3, "a\\x00b");
}

static void test_text_passes_unchanged(void **state)
{
    (void)state;
    const char *texts[] = {
        "plain ASCII with\ttab and\nnewline",
        "UTF-8: caf\xc3\xa9, \xe4\xb8\xad\xe6\x96\x87, \xf0\x9f\x90\x9b",
        "GBK bytes: \xd6\xd0\xce\xc4", /* not UTF-8; lead bytes above 0x9f pass */
        "Latin-1: caf\xe9",
        "\xc2\xa0 no-break space (U+00A0, not a control)",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        assert_escapes_to(texts[i], strlen(texts[i]), texts[i]);
}

static char *printed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printed(const char *fmt, ...)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    va_list ap;
    va_start(ap, fmt);
    safe_vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
    return buf;
}

static void test_fprintf_escapes_only_its_string_arguments(void **state)
{
    (void)state;
    char *s = printed("\x1b[1m%-6s|%.*s|%5.1f|%zu|%lld|%c|%%|%x\x1b[0m\n", "e\x1b", 3, "\x07xyz",
                      2.25, (size_t)42, -7LL, 'q', 255u);
    assert_string_equal(s, "\x1b[1me\\x1b    |\\x07xy|  2.2|42|-7|q|%|ff\x1b[0m\n");
    free(s);
    s = printed("%" PRIu64 " %d%s", (uint64_t)1 << 40, -1, "\x1b");
    assert_string_equal(s, "1099511627776 -1\\x1b");
    free(s);
}

static void test_a_message_line_escapes_its_arguments(void **state)
{
    (void)state;
    const char frame[] = "V  [libjvm.so]  Phase\x1b]0;PWNED\x07::run";
    for (int lang = 0; lang < LANG_COUNT; lang++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        safe_msg(f, "\n    ", MSG_HSERR_TEXT_FRAME, (enum lang)lang, MSG_S("frame", frame));
        fclose(f);
        /* the message as the catalogue words it, escaped, after `before`, then a newline */
        char *plain = msg_text(MSG_HSERR_TEXT_FRAME, (enum lang)lang, MSG_S("frame", frame));
        char *body = escaped(plain, strlen(plain));
        char *want = xasprintf("\n    %s\n", body);
        assert_string_equal(buf, want);
        assert_null(strchr(buf, '\x1b'));
        assert_non_null(strstr(buf, "Phase\\x1b]0;PWNED\\x07::run"));
        free(want);
        free(body);
        free(plain);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_sequences_are_escaped),
        cmocka_unit_test(test_text_passes_unchanged),
        cmocka_unit_test(test_fprintf_escapes_only_its_string_arguments),
        cmocka_unit_test(test_a_message_line_escapes_its_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
