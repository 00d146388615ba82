/*
 * test_sha256.c - sha256.c against the FIPS 180-4 examples, every split of an
 * input across updates, and sha256sum on a real file (/bin/sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"
#include "util.h"

static void test_standard_vectors(void **state)
{
    (void)state;
    char hex[SHA256_HEX_SIZE];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(two_blocks, strlen(two_blocks), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_a_million_a_in_odd_pieces(void **state)
{
    (void)state;
    char *a = xmalloc(1000000);
    memset(a, 'a', 1000000);
    struct sha256 ctx;
    sha256_init(&ctx);
    /* Pieces of 1..127 bytes cross every block boundary position. */
    size_t done = 0;
    for (size_t piece = 1; done < 1000000; piece = piece % 127 + 1) {
        size_t n = piece < 1000000 - done ? piece : 1000000 - done;
        sha256_update(&ctx, a + done, n);
        done += n;
    }
    char hex[SHA256_HEX_SIZE];
    sha256_final_hex(&ctx, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void test_lengths_around_the_padding_boundary(void **state)
{
    (void)state;
    /* 55, 56 and 64 bytes need one, two and two padding blocks; checked with sha256sum. */
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
    };
    char a[64];
    memset(a, 'a', sizeof(a));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char hex[SHA256_HEX_SIZE];
        sha256_hex(a, cases[i].len, hex);
        assert_string_equal(hex, cases[i].hex);
    }
}

static void test_a_real_file_matches_sha256sum(void **state)
{
    (void)state;
    FILE *p = popen("sha256sum /bin/sh", "r");
    assert_non_null(p);
    char expected[SHA256_HEX_SIZE] = "";
    assert_int_equal(fscanf(p, "%64s", expected), 1);
    pclose(p);
    FILE *f = fopen("/bin/sh", "rb");
    assert_non_null(f);
    struct sha256 ctx;
    sha256_init(&ctx);
    unsigned char buf[4099];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sha256_update(&ctx, buf, n);
    fclose(f);
    char hex[SHA256_HEX_SIZE];
    sha256_final_hex(&ctx, hex);
    assert_string_equal(hex, expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_vectors),
        cmocka_unit_test(test_a_million_a_in_odd_pieces),
        cmocka_unit_test(test_lengths_around_the_padding_boundary),
        cmocka_unit_test(test_a_real_file_matches_sha256sum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
