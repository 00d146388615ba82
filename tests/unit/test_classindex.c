/*
 * test_classindex.c - unit tests for classindex.c: names copied and names kept (in blocks
 * the index adopts) land in the same records; records come back in the order first added,
 * copies in the order added; a second copy from the same entry is refused; the index grows
 * from a tiny size past its heap/mapped boundary (records and table move) without losing
 * anything; class_index_find_n looks up a slice of a longer string; hashes of equal names
 * are equal whatever the bytes around them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classindex.h"

#define MANY 300000u /* records past 1 MiB (mapped arrays) and several table doublings */

static struct class_copy copy_of(uint32_t entry, uint32_t crc)
{
    struct class_copy c = {entry, crc, 100 + crc, true};
    return c;
}

static void test_copied_and_kept_names_meet(void **state)
{
    (void)state;
    struct class_index *idx = class_index_new(0);
    struct class_copy c0 = copy_of(0, 1), c1 = copy_of(1, 2), c2 = copy_of(2, 1);
    assert_int_equal(class_index_add(idx, "com/acme/Util", 13, &c0), 1);
    char *kept = strdup("com/acme/Util");
    class_index_adopt(idx, kept);
    assert_int_equal(class_index_add_kept(idx, kept, strlen(kept), class_index_hash(kept, 13), &c1),
                     1);
    /* the same entry again: refused, the first copy stays */
    struct class_copy again = copy_of(1, 99);
    assert_int_equal(class_index_add(idx, "com/acme/Util", 13, &again), 0);
    /* 13 bytes of a longer string: the same name, a third copy */
    assert_int_equal(class_index_add(idx, "com/acme/UtilX", 13, &c2), 1);
    assert_int_equal(class_index_count(idx), 1);
    const struct class_record *r = class_index_find(idx, "com/acme/Util");
    assert_non_null(r);
    assert_int_equal(r->n_copies, 3);
    assert_int_equal(class_record_copy(r, 0)->entry, 0);
    assert_int_equal(class_record_copy(r, 1)->entry, 1);
    assert_int_equal(class_record_copy(r, 1)->crc, 2);
    assert_int_equal(class_record_copy(r, 2)->entry, 2);
    assert_string_equal(r->name, "com/acme/Util");
    assert_null(class_index_find(idx, "com/acme/Utik"));
    class_index_free(idx);
}

static void test_find_n_on_a_slice(void **state)
{
    (void)state;
    struct class_index *idx = class_index_new(16);
    struct class_copy c = copy_of(3, 7);
    class_index_add(idx, "org/x/Y", 7, &c);
    const char *text = "META-INF/versions/11/org/x/Y.class";
    const char *slice = text + strlen("META-INF/versions/11/");
    assert_int_equal(class_index_hash(slice, 7), class_index_hash("org/x/Y", 7));
    const struct class_record *r = class_index_find_n(idx, slice, 7, class_index_hash(slice, 7));
    assert_non_null(r);
    assert_int_equal(class_record_copy(r, 0)->entry, 3);
    assert_null(class_index_find_n(idx, slice, 6, class_index_hash(slice, 6)));
    class_index_free(idx);
}

struct order_check {
    size_t seen;
    char buf[32];
};

static void check_order(const struct class_record *rec, void *ud)
{
    struct order_check *oc = ud;
    snprintf(oc->buf, sizeof oc->buf, "p%zu/C%zu", oc->seen % 97, oc->seen);
    assert_string_equal(rec->name, oc->buf);
    assert_int_equal(rec->n_copies, oc->seen % 3 == 0 ? 2 : 1);
    oc->seen++;
}

/* Grows from the smallest size: records cross from the heap to mapped memory and move,
 * the table doubles many times; kept names live in blocks the index frees. */
static void test_growth_keeps_everything_in_order(void **state)
{
    (void)state;
    struct class_index *idx = class_index_new(0);
    char *block = NULL;
    size_t used = 0, size = 0;
    for (size_t i = 0; i < MANY; i++) {
        char name[32];
        int len = snprintf(name, sizeof name, "p%zu/C%zu", i % 97, i);
        if (!block || size - used < (size_t)len + 1) {
            size = 1 << 16;
            used = 0;
            block = malloc(size);
            assert_non_null(block);
            class_index_adopt(idx, block);
        }
        char *kept = block + used;
        memcpy(kept, name, (size_t)len + 1);
        used += (size_t)len + 1;
        if (i % 1000 == 0)
            class_index_reserve(idx, 1000);
        if (i % 1000 == 0)
            class_index_prefetch(idx, class_index_hash(kept, (size_t)len));
        struct class_copy c = copy_of(1, (uint32_t)i);
        assert_int_equal(
            class_index_add_kept(idx, kept, (size_t)len, class_index_hash(kept, (size_t)len), &c),
            1);
    }
    /* every third name gets a second copy from a later entry, copied this time */
    for (size_t i = 0; i < MANY; i += 3) {
        char name[32];
        int len = snprintf(name, sizeof name, "p%zu/C%zu", i % 97, i);
        struct class_copy c = copy_of(2, (uint32_t)i);
        assert_int_equal(class_index_add(idx, name, (size_t)len, &c), 1);
    }
    assert_int_equal(class_index_count(idx), MANY);
    struct order_check oc = {0};
    class_index_foreach(idx, check_order, &oc);
    assert_int_equal(oc.seen, MANY);
    char probe[32];
    snprintf(probe, sizeof probe, "p%u/C%u", 12131u % 97u, 12131u);
    const struct class_record *r = class_index_find(idx, probe);
    assert_non_null(r);
    assert_int_equal(class_record_copy(r, 0)->crc, 12131);
    assert_int_equal(r->n_copies, 1);
    class_index_free(idx);
}

/* A copy from an entry before the last one added (never in a scan) is checked against
 * every copy. */
static void test_out_of_order_entries(void **state)
{
    (void)state;
    struct class_index *idx = class_index_new(4);
    for (uint32_t e = 0; e < 5; e += 2) {
        struct class_copy c = copy_of(e, e);
        assert_int_equal(class_index_add(idx, "a/B", 3, &c), 1);
    }
    struct class_copy dup = copy_of(2, 0), late = copy_of(3, 0);
    assert_int_equal(class_index_add(idx, "a/B", 3, &dup), 0);
    assert_int_equal(class_index_add(idx, "a/B", 3, &late), 1);
    late.entry = 1;
    assert_int_equal(class_index_add(idx, "a/B", 3, &late), 1);
    const struct class_record *r = class_index_find(idx, "a/B");
    assert_int_equal(r->n_copies, 5);
    class_index_free(idx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copied_and_kept_names_meet),
        cmocka_unit_test(test_find_n_on_a_slice),
        cmocka_unit_test(test_growth_keeps_everything_in_order),
        cmocka_unit_test(test_out_of_order_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
