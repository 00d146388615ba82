/*
 * test_util.c - util.h's helpers shared across the engine: NUL-separated /proc data split
 * into strings (an empty argument kept, a last piece without its NUL kept, no piece after
 * the final NUL), a symbolic link's target read (NULL for a file that is not a link) and a
 * small file read as a string (cut at its cap, NULL when it cannot be read).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

#include "fixture.h"

static void assert_split(const char *data, size_t len, const char *const *want, size_t n_want)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    strv_split_nul(data, len, &v, &n, &cap);
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i], want[i]);
    strv_free(v, n);
}

static void test_nul_separated_data_splits_like_the_kernel_wrote_it(void **state)
{
    (void)state;
    const char cmdline[] = "java\0-cp\0\0Main"; /* an empty argument, no final NUL */
    assert_split(cmdline, sizeof(cmdline) - 1, (const char *const[]){"java", "-cp", "", "Main"}, 4);
    const char environ[] = "A=1\0B=2\0"; /* the final NUL ends the last piece */
    assert_split(environ, sizeof(environ) - 1, (const char *const[]){"A=1", "B=2"}, 2);
    assert_split("", 0, NULL, 0);
}

static void test_a_link_s_target_is_read_and_a_file_is_no_link(void **state)
{
    (void)state;
    char root[] = "/tmp/wrench-util-XXXXXX";
    assert_int_equal(fixture_root_make(root), 0);
    char *file = xasprintf("%s/file", root);
    char *link = xasprintf("%s/link", root);
    fixture_write(file, "x", 1);
    assert_int_equal(symlink("../somewhere/else", link), 0);
    char *target = read_link(link);
    assert_string_equal(target, "../somewhere/else");
    free(target);
    assert_null(read_link(file));
    char *missing = xasprintf("%s/missing", root);
    assert_null(read_link(missing));
    free(missing);
    free(link);
    free(file);
    assert_int_equal(fixture_root_remove(root), 0);
}

static void test_a_small_file_is_read_as_text_up_to_its_cap(void **state)
{
    (void)state;
    char root[] = "/tmp/wrench-util-XXXXXX";
    assert_int_equal(fixture_root_make(root), 0);
    char *file = xasprintf("%s/stat", root);
    fixture_write(file, "42 (java) S 1\n", 14);
    char *text = read_text_capped(file, 4096);
    assert_string_equal(text, "42 (java) S 1\n");
    free(text);
    text = read_text_capped(file, 2);
    assert_string_equal(text, "42");
    free(text);
    char *missing = xasprintf("%s/missing", root);
    assert_null(read_text_capped(missing, 4096));
    free(missing);
    free(file);
    assert_int_equal(fixture_root_remove(root), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul_separated_data_splits_like_the_kernel_wrote_it),
        cmocka_unit_test(test_a_link_s_target_is_read_and_a_file_is_no_link),
        cmocka_unit_test(test_a_small_file_is_read_as_text_up_to_its_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
