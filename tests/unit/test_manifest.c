/*
 * test_manifest.c - unit tests for manifest.c: main-section parsing (line
 * ends, continuations, case, hostile input) and Class-Path splitting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "manifest.h"
#include "util.h"

static void parse_str(struct manifest *m, const char *text)
{
    manifest_parse(m, text, strlen(text));
}

static void test_basic_crlf(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, "Manifest-Version: 1.0\r\n"
                  "Main-Class: com.acme.Main\r\n"
                  "Bundle-SymbolicName: com.google.guava;singleton:=true\r\n"
                  "Bundle-Version: 31.1.0.jre\r\n"
                  "Implementation-Title: Guava\r\n"
                  "Implementation-Version: 31.1-jre\r\n"
                  "Implementation-Vendor-Id: com.google.guava\r\n"
                  "Automatic-Module-Name: com.google.common\r\n"
                  "Multi-Release: true\r\n"
                  "\r\n");
    assert_string_equal(m.main_class, "com.acme.Main");
    assert_string_equal(m.bundle_symbolic_name, "com.google.guava");
    assert_string_equal(m.bundle_version, "31.1.0.jre");
    assert_string_equal(m.implementation_title, "Guava");
    assert_string_equal(m.implementation_version, "31.1-jre");
    assert_string_equal(m.implementation_vendor_id, "com.google.guava");
    assert_string_equal(m.automatic_module_name, "com.google.common");
    assert_true(m.multi_release);
    assert_null(m.class_path);
    assert_null(m.start_class);
    manifest_clear(&m);
    assert_null(m.main_class);
}

static void test_spring_boot(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, "Manifest-Version: 1.0\n"
                  "Main-Class: org.springframework.boot.loader.JarLauncher\n"
                  "Start-Class: com.example.demo.DemoApplication\n"
                  "Spring-Boot-Classes: BOOT-INF/classes/\n"
                  "Spring-Boot-Lib: BOOT-INF/lib/\n"
                  "Spring-Boot-Classpath-Index: BOOT-INF/classpath.idx\n");
    assert_string_equal(m.main_class, "org.springframework.boot.loader.JarLauncher");
    assert_string_equal(m.start_class, "com.example.demo.DemoApplication");
    assert_string_equal(m.spring_boot_classes, "BOOT-INF/classes/");
    assert_string_equal(m.spring_boot_lib, "BOOT-INF/lib/");
    assert_string_equal(m.spring_boot_classpath_index, "BOOT-INF/classpath.idx");
    assert_false(m.multi_release);
    manifest_clear(&m);
}

static void test_line_ends_cr_and_mixed(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, "Manifest-Version: 1.0\rMain-Class: a.B\rClass-Path: x.jar\n"
                  "Start-Class: c.D\r\n");
    assert_string_equal(m.main_class, "a.B");
    assert_string_equal(m.class_path, "x.jar");
    assert_string_equal(m.start_class, "c.D");
    manifest_clear(&m);
}

static void test_continuation_splits_word_and_utf8(void **state)
{
    (void)state;
    struct manifest m;
    /* "é" (C3 A9) is cut between its two bytes, a word mid-way, and the
     * Class-Path spans three lines with one space kept at a line start. */
    parse_str(&m, "Manifest-Version: 1.0\r\n"
                  "Implementation-Title: Caf\xC3\r\n"
                  " \xA9 Libr\r\n"
                  " ary\r\n"
                  "Class-Path: lib/a.jar lib/b\r\n"
                  " .jar\r\n"
                  "  lib/c.jar\r\n"
                  "Main-Class: x.Y\r\n");
    assert_string_equal(m.implementation_title, "Caf\xC3\xA9 Library");
    assert_string_equal(m.class_path, "lib/a.jar lib/b.jar lib/c.jar");
    assert_string_equal(m.main_class, "x.Y");
    manifest_clear(&m);
}

static void test_names_case_insensitive(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, "main-class: lower.Case\nMULTI-RELEASE: TRUE\nbundle-version: 2\n");
    assert_string_equal(m.main_class, "lower.Case");
    assert_true(m.multi_release);
    assert_string_equal(m.bundle_version, "2");
    manifest_clear(&m);

    parse_str(&m, "Multi-Release: false\n");
    assert_false(m.multi_release);
    manifest_clear(&m);
    parse_str(&m, "Multi-Release: yes\n");
    assert_false(m.multi_release);
    manifest_clear(&m);
}

static void test_main_section_ends_at_blank_line(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, "Manifest-Version: 1.0\n"
                  "Main-Class: main.Only\n"
                  "\n"
                  "Name: com/acme/\n"
                  "Implementation-Version: 9.9\n"
                  "Main-Class: not.This\n");
    assert_string_equal(m.main_class, "main.Only");
    assert_null(m.implementation_version);
    manifest_clear(&m);

    /* A blank line with CR LF, CR, and a lone CR line end all count. */
    parse_str(&m, "Main-Class: a.A\r\rMain-Class: b.B\r");
    assert_string_equal(m.main_class, "a.A");
    manifest_clear(&m);
}

static void test_no_final_newline_and_bom(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, "\xEF\xBB\xBFMain-Class: bom.Main\nBundle-Version: 1.2");
    assert_string_equal(m.main_class, "bom.Main");
    assert_string_equal(m.bundle_version, "1.2");
    manifest_clear(&m);

    parse_str(&m, "Main-Class: only.Line");
    assert_string_equal(m.main_class, "only.Line");
    manifest_clear(&m);
}

static void test_nul_ends_text(void **state)
{
    (void)state;
    static const char text[] = "Main-Class: a.B\nBundle-Ver\0sion: 1\nStart-Class: c.D\n";
    struct manifest m;
    manifest_parse(&m, text, sizeof(text) - 1);
    assert_string_equal(m.main_class, "a.B");
    assert_null(m.bundle_version);
    assert_null(m.start_class);
    manifest_clear(&m);
}

static void test_malformed_lines_skipped(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, " orphan continuation\n"
                  "no separator here\n"
                  "Main-Class:no.Space\n"
                  ": no.Name\n"
                  "Start-Class: good.One\n"
                  "Bundle-Version:   \n"
                  "Implementation-Version:  padded  \n");
    assert_null(m.main_class);
    assert_string_equal(m.start_class, "good.One");
    assert_null(m.bundle_version);
    assert_string_equal(m.implementation_version, "padded");
    manifest_clear(&m);
}

static void test_repeated_attribute_last_wins(void **state)
{
    (void)state;
    struct manifest m;
    parse_str(&m, "Main-Class: first.One\nMain-Class: second.One\n");
    assert_string_equal(m.main_class, "second.One");
    manifest_clear(&m);
}

static void test_very_long_lines(void **state)
{
    (void)state;
    enum { ITEMS = 20000 };
    struct strbuf sb = {0};
    strbuf_puts(&sb, "Manifest-Version: 1.0\r\nClass-Path:");
    for (int i = 0; i < ITEMS; i++)
        strbuf_printf(&sb, " lib/dependency-%05d.jar", i);
    strbuf_puts(&sb, "\r\nMain-Class: after.Long\r\n");
    struct manifest m;
    manifest_parse(&m, sb.data, sb.len);
    assert_non_null(m.class_path);
    assert_string_equal(m.main_class, "after.Long");
    char **items;
    size_t n = manifest_class_path_items(m.class_path, &items);
    assert_int_equal(n, ITEMS);
    assert_string_equal(items[0], "lib/dependency-00000.jar");
    assert_string_equal(items[ITEMS - 1], "lib/dependency-19999.jar");
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    manifest_clear(&m);
    strbuf_free(&sb);
}

static void test_empty_and_null_input(void **state)
{
    (void)state;
    struct manifest m;
    manifest_parse(&m, "", 0);
    assert_null(m.main_class);
    manifest_clear(&m);
    manifest_parse(&m, NULL, 0);
    assert_null(m.main_class);
    manifest_clear(&m);
    manifest_clear(&m); /* twice is harmless */
}

/* Split `cp` and compare with the expected items (NULL-terminated). */
static void check_items(const char *cp, const char *const *expected)
{
    char **items = (char **)(uintptr_t)1; /* must be overwritten */
    size_t n = manifest_class_path_items(cp, &items);
    size_t want = 0;
    while (expected[want])
        want++;
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(items[i], expected[i]);
        free(items[i]);
    }
    if (!n)
        assert_null(items);
    free(items);
}

static void test_class_path_split(void **state)
{
    (void)state;
    check_items("a.jar  lib/b.jar\tc/ ", (const char *const[]){"a.jar", "lib/b.jar", "c/", NULL});
    check_items("   ", (const char *const[]){NULL});
    check_items("", (const char *const[]){NULL});
    check_items(NULL, (const char *const[]){NULL});
}

static void test_class_path_decoding(void **state)
{
    (void)state;
    check_items("my%20lib.jar caf%C3%A9.jar bad%zz.jar trunc% x%2 nul%00.jar",
                (const char *const[]){"my lib.jar", "caf\xC3\xA9.jar", "bad%zz.jar", "trunc%",
                                      "x%2", "nul%00.jar", NULL});
}

static void test_class_path_schemes(void **state)
{
    (void)state;
    check_items("file:/opt/app/lib/a.jar file:///opt/b.jar FILE:rel/c.jar "
                "file://localhost/d.jar file://remote/e.jar http://x/f.jar "
                "https://x/g.jar jar:file:/h.jar!/ file: lib/classes/ file:/dir%20x/",
                (const char *const[]){"/opt/app/lib/a.jar", "/opt/b.jar", "rel/c.jar", "/d.jar",
                                      "lib/classes/", "/dir x/", NULL});
}

/* A fixed pseudo-random sequence (LCG), so that a failure can be replayed. */
static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

static void assert_clean_value(const char *v)
{
    if (v) {
        assert_true(*v);
        assert_null(strpbrk(v, "\r\n"));
        assert_true(v[0] != ' ' && v[strlen(v) - 1] != ' ');
    }
}

/* Hostile input built from manifest fragments: values must never hold a line
 * end or surrounding blanks, and Class-Path items never a blank. */
static void test_hostile_fragments(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "Main-Class",
        "Class-Path",
        "Bundle-SymbolicName",
        "Multi-Release",
        ": ",
        ":",
        " ",
        "\r",
        "\n",
        "\r\n",
        "%",
        "%4",
        "%41",
        "file:",
        "file://",
        "http:",
        "/",
        ";",
        "a",
        "\xC3",
        "\xEF\xBB\xBF",
        "\t",
        "true",
    };
    enum { ROUNDS = 3000, MAX_PIECES = 40 };
    uint32_t seed = 42;
    for (int round = 0; round < ROUNDS; round++) {
        struct strbuf sb = {0};
        uint32_t count = next_random(&seed) % MAX_PIECES;
        for (uint32_t i = 0; i < count; i++)
            strbuf_puts(&sb, pieces[next_random(&seed) % (sizeof(pieces) / sizeof(pieces[0]))]);
        struct manifest m;
        manifest_parse(&m, sb.data ? sb.data : "", sb.len);
        assert_clean_value(m.main_class);
        assert_clean_value(m.class_path);
        assert_clean_value(m.bundle_symbolic_name);
        if (m.bundle_symbolic_name)
            assert_null(strchr(m.bundle_symbolic_name, ';'));
        char **items;
        size_t n = manifest_class_path_items(m.class_path, &items);
        for (size_t i = 0; i < n; i++) {
            assert_true(items[i][0]);
            assert_null(strpbrk(items[i], " \t\r\n"));
            free(items[i]);
        }
        free(items);
        manifest_clear(&m);
        strbuf_free(&sb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_crlf),
        cmocka_unit_test(test_spring_boot),
        cmocka_unit_test(test_line_ends_cr_and_mixed),
        cmocka_unit_test(test_continuation_splits_word_and_utf8),
        cmocka_unit_test(test_names_case_insensitive),
        cmocka_unit_test(test_main_section_ends_at_blank_line),
        cmocka_unit_test(test_no_final_newline_and_bom),
        cmocka_unit_test(test_nul_ends_text),
        cmocka_unit_test(test_malformed_lines_skipped),
        cmocka_unit_test(test_repeated_attribute_last_wins),
        cmocka_unit_test(test_very_long_lines),
        cmocka_unit_test(test_empty_and_null_input),
        cmocka_unit_test(test_class_path_split),
        cmocka_unit_test(test_class_path_decoding),
        cmocka_unit_test(test_class_path_schemes),
        cmocka_unit_test(test_hostile_fragments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
