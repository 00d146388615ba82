/*
 * test_jsonflat.c - unit tests for jsonflat.c: the members of a flat object as written, the
 * texts it is unsure of (left to jansson), and, on mutated lines, that whatever it reads
 * whole jansson reads the same: the same keys, the last value of each, strings decoded alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonflat.h"
#include "mutate.h"
#include "util.h"

#define KV "\x1f" /* between a key and its value in read_all's list */
#define RS "\x1e" /* after each member */

/* Read s whole: 1 when read, 0 when not an object, -1 when unsure; its members in out as
 * key KV value RS, strings decoded, a number or literal as written (or "?"). */
static int read_all(const char *s, size_t len, struct strbuf *out, bool kinds_only)
{
    struct jsonflat j;
    if (!jsonflat_begin(&j, s, len))
        return 0;
    struct jsonflat_member m;
    int rc;
    while ((rc = jsonflat_next(&j, &m)) == 1) {
        jsonflat_unescape(m.key, m.key_len, out);
        strbuf_puts(out, KV);
        if (m.kind == JSONFLAT_STRING)
            jsonflat_unescape(m.value, m.value_len, out);
        else if (kinds_only) /* as jansson_reads writes them */
            strbuf_puts(out, "?");
        else
            strbuf_append(out, m.value, m.value_len);
        strbuf_puts(out, RS);
    }
    return rc == 0 ? 1 : -1;
}

static void test_members(void **state)
{
    (void)state;
    struct strbuf out = {0};
    const char *plain = " {\"@timestamp\":\"2026-12-07T10:00:00Z\", \"level\" : \"INFO\",\"n\":-12,"
                        "\"x\":1.5e3,\"ok\":true,\"none\":null,\"e\":\"\"}\r\n";
    assert_int_equal(read_all(plain, strlen(plain), &out, false), 1);
    strbuf_append(&out, "", 0);
    assert_string_equal(out.data,
                        "@timestamp" KV "2026-12-07T10:00:00Z" RS "level" KV "INFO" RS "n" KV
                        "-12" RS "x" KV "1.5e3" RS "ok" KV "true" RS "none" KV "null" RS "e" KV RS);
    out.len = 0;
    const char *escaped = "{\"log\":\"a\\tb \\\"q\\\" \\u00e9\\u4e2d caf\xc3\xa9\\n\"}";
    assert_int_equal(read_all(escaped, strlen(escaped), &out, false), 1);
    assert_string_equal(out.data, "log" KV "a\tb \"q\" \xc3\xa9\xe4\xb8\xad caf\xc3\xa9\n" RS);
    struct jsonflat j;
    struct jsonflat_member m;
    assert_true(jsonflat_begin(&j, "{}", 2));
    assert_int_equal(jsonflat_next(&j, &m), 0);
    assert_true(jsonflat_begin(&j, escaped, strlen(escaped)));
    assert_int_equal(jsonflat_next(&j, &m), 1);
    assert_true(m.kind == JSONFLAT_STRING && m.escaped && m.u_escaped);
    strbuf_free(&out);
}

static void test_unsure_and_not_objects(void **state)
{
    (void)state;
    static const char *const unsure[] = {
        "{\"a\":{\"b\":1}}",          /* nesting */
        "{\"a\":[1]}",                /* an array */
        "{\"a\":\"\\u0000\"}",        /* U+0000: jansson refuses it */
        "{\"a\":\"\\ud83d\\ude00\"}", /* a surrogate pair: left to jansson */
        "{\"a\":1234567890123456}",   /* too many digits to be sure */
        "{\"a\":1e100}",              /* an exponent of three digits */
        "{\"a\":1} x",                /* something after the object */
        "{\"a\":1,}",                 /* a trailing comma */
        "{\"\\u006cog\":\"x\"}",      /* a key spelt with \u */
        "{\"a\":\"\x01\"}",           /* a control byte */
        "{\"a\":\"\xc0\xaf\"}",       /* overlong UTF-8 */
        "{\"a\":\"x\\q\"}",           /* not an escape */
        "{\"a\":tru}",                /* not a literal */
        "{\"a\":01}",                 /* a leading zero */
        "{\"a\" 1}",                  /* no colon */
        "{\"a\":\"open",              /* cut short */
    };
    struct strbuf out = {0};
    for (size_t i = 0; i < sizeof(unsure) / sizeof(unsure[0]); i++) {
        out.len = 0;
        if (read_all(unsure[i], strlen(unsure[i]), &out, false) != -1)
            fail_msg("not unsure of %s", unsure[i]);
    }
    assert_int_equal(read_all("[1]", 3, &out, false), 0);
    assert_int_equal(read_all("", 0, &out, false), 0);
    assert_int_equal(read_all("x{}", 3, &out, false), 0);
    strbuf_free(&out);
}

/* jansson's reading of s in the form read_all gives; false when it refuses s or s is not a
 * flat object. Keys in the order of their first appearance, each with its last value. */
static bool jansson_reads(const char *s, size_t len, struct strbuf *out, const char *order)
{
    json_error_t jerr;
    json_t *obj = json_loadb(s, len, 0, &jerr);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return false;
    }
    /* order: the keys as read_all listed them, one per line, last value wins there too */
    for (const char *p = order; *p;) {
        const char *eq = strchr(p, KV[0]);
        const char *nl = strchr(p, RS[0]);
        char *key = xstrndup(p, (size_t)(eq - p));
        json_t *v = json_object_get(obj, key);
        strbuf_append(out, p, (size_t)(eq - p));
        strbuf_puts(out, KV);
        if (json_is_string(v))
            strbuf_append(out, json_string_value(v), json_string_length(v));
        else if (v)
            strbuf_puts(out, "?"); /* a number or literal: its kind is enough */
        strbuf_puts(out, RS);
        free(key);
        p = nl + 1;
    }
    json_decref(obj);
    return true;
}

static void test_agrees_with_jansson(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "{\"@timestamp\":\"2026-12-07T10:00:00Z\",\"message\":\"served\",\"level\":\"INFO\"}",
        "{\"log\":\"x\\u003cy\\u003e \\\"q\\\" \\\\ \\/ \\b\\f\\t\\n\",\"stream\":\"stderr\"}",
        "{\"a\":\"caf\xc3\xa9 \xe4\xb8\xad\",\"a\":\"second\",\"n\":0,\"f\":-0.5,\"t\":false}",
        " {\"level\":3,\"short_message\":\"m\",\"x\":null}\t",
    };
    static const char alphabet[] = "{}[]\"\\u0dD8e:,n ltr1.-+\x01\xc3\xa9\xff\xed\xa0";
    uint32_t seed = 4242;
    char buf[256];
    struct strbuf flat = {0}, want = {0};
    size_t read_whole = 0;
    for (size_t round = 0; round < 40000; round++) {
        const char *base = lines[round % (sizeof(lines) / sizeof(lines[0]))];
        size_t n = strlen(base);
        memcpy(buf, base, n);
        for (size_t m = 0; round >= 4 && m < 1 + round % 3; m++) {
            mutate_once(buf, &n, sizeof(buf), &seed, alphabet, sizeof(alphabet) - 1);
        }
        flat.len = want.len = 0;
        int rc = read_all(buf, n, &flat, true);
        if (rc != 1)
            continue;
        read_whole++;
        /* the last value of a repeated key, as jansson keeps it: compare key by key */
        char *order = xstrndup(flat.data ? flat.data : "", flat.len);
        if (strlen(order) != flat.len || memchr(buf, 0x1e, n) || memchr(buf, 0x1f, n) ||
            strstr(order, "\\u001")) {
            free(order); /* a key or value holding a separator: not comparable this way */
            continue;
        }
        if (!jansson_reads(buf, n, &want, order))
            fail_msg("round %zu: read whole but jansson refuses: %.*s", round, (int)n, buf);
        /* each key's value in read_all's list is its last; rebuild that list the same way */
        struct strbuf last = {0};
        for (const char *p = order; *p;) {
            const char *eq = strchr(p, KV[0]), *nl = strchr(p, RS[0]);
            const char *value = eq + 1;
            size_t value_n = (size_t)(nl - value);
            for (const char *q = nl + 1; *q;) { /* a later value of the same key wins */
                const char *eq2 = strchr(q, KV[0]), *nl2 = strchr(q, RS[0]);
                if (eq2 - q == eq - p && memcmp(q, p, (size_t)(eq - p)) == 0)
                    value = eq2 + 1, value_n = (size_t)(nl2 - eq2 - 1);
                q = nl2 + 1;
            }
            strbuf_append(&last, p, (size_t)(eq - p) + 1);
            strbuf_append(&last, value, value_n);
            strbuf_puts(&last, RS);
            p = nl + 1;
        }
        if (last.len != want.len || memcmp(last.data, want.data, want.len) != 0)
            fail_msg("round %zu: %.*s\nflat:\n%.*s\njansson:\n%.*s", round, (int)n, buf,
                     (int)last.len, last.data, (int)want.len, want.data);
        strbuf_free(&last);
        free(order);
    }
    assert_true(read_whole > 1000); /* the mutations leave many lines whole */
    strbuf_free(&flat);
    strbuf_free(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_unsure_and_not_objects),
        cmocka_unit_test(test_agrees_with_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
