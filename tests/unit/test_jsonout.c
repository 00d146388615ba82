/*
 * test_jsonout.c - unit tests for jsonout.c: every tree is dumped by jansson's json_dumps
 * and by jsonout_dumps, and the bytes must be the same: escapes and control bytes, UTF-8,
 * NUL inside a string, empty and nested containers, integer extremes, reals, indents,
 * random trees; and a string jansson refuses (not UTF-8) gives what json_dumps gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonout.h"

/* jsonout_dumps(j, indent, "\n") must be json_dumps' bytes and the newline. */
static void assert_same(const json_t *j, int indent)
{
    char *want = json_dumps(j, JSON_INDENT(indent) | JSON_PRESERVE_ORDER);
    char *got = jsonout_dumps(j, indent, "\n");
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    size_t n = strlen(want);
    assert_int_equal(strlen(got), n + 1);
    assert_memory_equal(got, want, n);
    assert_int_equal(got[n], '\n');
    free(want);
    free(got);
}

static void test_scalars_and_escapes(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_object_set_new(o, "plain", json_string("com/acme/Util"));
    json_object_set_new(o, "quotes", json_string("say \"hi\" \\ back\\slash / slash"));
    json_object_set_new(o, "controls", json_string("a\bb\fc\nd\re\tf\x01g\x1fh\x7fi"));
    json_object_set_new(o, "utf8",
                        json_string("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80"));
    json_object_set_new(o, "nul", json_stringn("a\0b", 3));
    json_object_set_new(o, "empty", json_string(""));
    json_object_set_new(o, "key \"quoted\"\n", json_true());
    json_object_set_new(o, "f", json_false());
    json_object_set_new(o, "n", json_null());
    json_object_set_new(o, "zero", json_integer(0));
    json_object_set_new(o, "neg", json_integer(-42));
    json_object_set_new(o, "max", json_integer(INT64_MAX));
    json_object_set_new(o, "min", json_integer(INT64_MIN));
    json_object_set_new(o, "real", json_real(3.25));
    json_object_set_new(o, "real2", json_real(1e300));
    for (int indent = 1; indent <= 8; indent++)
        assert_same(o, indent);
    assert_same(o, 0); /* left to jansson */
    json_decref(o);
}

static void test_containers(void **state)
{
    (void)state;
    json_t *root = json_array();
    json_array_append_new(root, json_array());
    json_array_append_new(root, json_object());
    json_t *deep = json_object();
    json_t *cur = deep;
    for (int i = 0; i < 20; i++) { /* deeper than 32 spaces of indent */
        json_t *next = json_object();
        json_object_set_new(cur, "in", next);
        json_object_set_new(cur, "list", json_pack("[i, s, [], {}]", i, "x"));
        cur = next;
    }
    json_array_append_new(root, deep);
    assert_same(root, 2);
    assert_same(root, 4);
    json_t *none = json_array();
    assert_same(none, 2);
    json_decref(none);
    json_t *empty = json_object();
    assert_same(empty, 2);
    json_decref(empty);
    json_decref(root);
}

/* Keys in insertion order, also after one is replaced or deleted. */
static void test_key_order(void **state)
{
    (void)state;
    json_t *o = json_object();
    const char *keys[] = {"zeta", "alpha", "mid", "beta", "omega"};
    for (int i = 0; i < 5; i++)
        json_object_set_new(o, keys[i], json_integer(i));
    json_object_set_new(o, "alpha", json_string("replaced"));
    json_object_del(o, "mid");
    json_object_set_new(o, "mid", json_integer(9));
    assert_same(o, 2);
    json_decref(o);
}

/* A string that is not UTF-8 (made without jansson's check) is refused as jansson does. */
static void test_not_utf8(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_object_set_new(o, "bad",
                        json_stringn_nocheck("a\xff"
                                             "b",
                                             3));
    assert_same(o, 2);
    assert_null(jsonout_dumps(o, 2, "\n"));
    json_decref(o);
    json_t *scalar = json_integer(1); /* neither array nor object */
    assert_null(jsonout_dumps(scalar, 2, ""));
    json_decref(scalar);
}

static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) & 0x7fff;
}

static json_t *random_tree(int depth)
{
    unsigned kind = depth > 4 ? rnd() % 5 : rnd() % 7;
    switch (kind) {
    case 0: {
        char s[64]; /* long enough for the 8-byte scans */
        size_t n = rnd() % sizeof(s);
        for (size_t i = 0; i < n; i++)
            s[i] = (char)(rnd() % 0x80); /* ASCII, control bytes and NUL included */
        return json_stringn(s, n);
    }
    case 1:
        return json_integer((json_int_t)rnd() - 16000);
    case 2:
        return json_boolean(rnd() % 2);
    case 3:
        return json_null();
    case 4:
        return json_string("\xc3\xa9t\xc3\xa9");
    case 5: {
        json_t *a = json_array();
        for (unsigned i = rnd() % 5; i > 0; i--)
            json_array_append_new(a, random_tree(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (unsigned i = rnd() % 5; i > 0; i--) {
            char key[8];
            snprintf(key, sizeof(key), "k%u", rnd() % 50);
            json_object_set_new(o, key, random_tree(depth + 1));
        }
        return o;
    }
    }
}

static void test_random_trees(void **state)
{
    (void)state;
    for (int i = 0; i < 500; i++) {
        json_t *root = json_array();
        json_array_append_new(root, random_tree(0));
        assert_same(root, 1 + i % 4);
        json_decref(root);
    }
}

/* Lazy arrays: the items made one at a time give the bytes of the tree that holds them. */
struct maker {
    int kind; /* 0: objects, 1: a string jansson refuses at item 3 */
};

static json_t *make_item(size_t i, const void *ud)
{
    const struct maker *m = ud;
    if (m->kind == 1 && i == 3)
        return json_stringn_nocheck("bad\xff", 4);
    return json_pack("{s:i, s:s, s:[i, i], s:{}}", "i", (int)i, "name", "com/acme/C\n\"q\"", "pair",
                     (int)i, (int)-i, "empty");
}

static json_t *tree_with(json_t **a, json_t **b, size_t na, size_t nb, const struct maker *m,
                         bool fill)
{
    *a = json_array();
    *b = json_array();
    for (size_t i = 0; fill && i < na; i++)
        json_array_append_new(*a, make_item(i, m));
    for (size_t i = 0; fill && i < nb; i++)
        json_array_append_new(*b, make_item(i, m));
    return json_pack("{s:i, s:o, s:s, s:o, s:[]}", "first", 1, "a", *a, "mid", "x", "b", *b,
                     "last");
}

static void test_lazy_arrays(void **state)
{
    (void)state;
    struct maker ok = {0}, bad = {1};
    for (size_t na = 0; na < 4; na++) {
        json_t *a, *b;
        json_t *full = tree_with(&a, &b, na, 5, &ok, true);
        char *want = json_dumps(full, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_t *lazy_root = tree_with(&a, &b, 0, 0, &ok, false);
        struct jsonout_lazy lazy[2] = {{a, na, make_item, &ok}, {b, 5, make_item, &ok}};
        char *got = jsonout_dumps_lazy(lazy_root, 2, "", lazy, 2);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(want);
        free(got);
        json_decref(full);
        json_decref(lazy_root);
    }
    /* an item jansson refuses: the whole dump is jansson's, which refuses it too */
    json_t *a, *b;
    json_t *root = tree_with(&a, &b, 0, 0, &bad, false);
    struct jsonout_lazy lazy[2] = {{a, 2, make_item, &bad}, {b, 5, make_item, &bad}};
    assert_null(jsonout_dumps_lazy(root, 2, "\n", lazy, 2));
    assert_int_equal(json_array_size(b), 5); /* the items were put into the tree */
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_and_escapes), cmocka_unit_test(test_containers),
        cmocka_unit_test(test_key_order),           cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_random_trees),        cmocka_unit_test(test_lazy_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
