/*
 * test_jsonout.c - unit tests for jsonout.c: every tree is dumped by jansson's json_dumps
 * and by jsonout_dumps, and the bytes must be the same: escapes and control bytes, UTF-8,
 * NUL inside a string, empty and nested containers, integer extremes, reals, indents,
 * random trees; and a string jansson refuses (not UTF-8) gives what json_dumps gives. The
 * jsonw writer: random walks written as text and as a tree (dumped by jansson) give the same
 * bytes; keys and strings that are not UTF-8, too deep a nesting.
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
#include "util.h"

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

/* jsonw: a random walk written by both back-ends, from the same seed. Strings mix ASCII,
 * control bytes, UTF-8 and bytes that are not UTF-8 (both repair them); a jansson value
 * passed in whole; keys are distinct within an object, as jsonw asks. */
static void random_walk(struct jsonw *w, const char *key, int depth)
{
    unsigned kind = depth > 4 ? rnd() % 6 : rnd() % 8;
    switch (kind) {
    case 0: {
        char s[24];
        size_t n = rnd() % (sizeof(s) - 1);
        for (size_t i = 0; i < n; i++) {
            unsigned r = rnd() % 10;
            s[i] = r == 0 ? (char)0xff : r == 1 ? (char)0xc3 : (char)(1 + rnd() % 0x7f);
        }
        s[n] = '\0';
        jsonw_text(w, key, s);
        break;
    }
    case 1:
        jsonw_int(w, key, (json_int_t)rnd() - 16000);
        break;
    case 2:
        jsonw_bool(w, key, rnd() % 2);
        break;
    case 3:
        if (rnd() % 2)
            jsonw_null(w, key);
        else
            jsonw_text(w, key, rnd() % 2 ? NULL : "caf\xc3\xa9 \"q\"\n");
        break;
    case 4:
        jsonw_json(w, key, json_pack("{s:[i, s], s:{}}", "a", 1, "x\ty", "b"));
        break;
    case 5:
        jsonw_array(w, key);
        jsonw_end(w);
        break;
    case 6:
        jsonw_array(w, key);
        for (unsigned i = rnd() % 5; i > 0; i--)
            random_walk(w, NULL, depth + 1);
        jsonw_end(w);
        break;
    default: {
        jsonw_object(w, key);
        unsigned n = rnd() % 5;
        for (unsigned i = 0; i < n; i++) {
            char k[16];
            snprintf(k, sizeof(k), i == 2 ? "k\"%u\"" : "k%u", i);
            random_walk(w, k, depth + 1);
        }
        jsonw_end(w);
        break;
    }
    }
}

/* The walk from `seed` as text, and as a tree dumped by jansson. */
static void assert_walk_same(unsigned seed, int indent)
{
    struct jsonw w;
    rnd_state = seed;
    jsonw_begin_text(&w, indent);
    jsonw_array(&w, NULL);
    random_walk(&w, NULL, 0);
    jsonw_end(&w);
    char *got = jsonw_end_text(&w, "\n");
    /* streamed (these stay under the 64 KiB buffer: test_writer_stream_flushes passes it) */
    char *streamed = NULL;
    size_t streamed_len = 0;
    FILE *mem = open_memstream(&streamed, &streamed_len);
    assert_non_null(mem);
    rnd_state = seed;
    jsonw_begin_stream(&w, indent, mem);
    jsonw_array(&w, NULL);
    random_walk(&w, NULL, 0);
    jsonw_end(&w);
    assert_int_equal(jsonw_end_stream(&w, "\n"), 0);
    fclose(mem);
    rnd_state = seed;
    jsonw_begin_tree(&w);
    jsonw_array(&w, NULL);
    random_walk(&w, NULL, 0);
    jsonw_end(&w);
    json_t *tree = jsonw_end_tree(&w);
    char *text = json_dumps(tree, JSON_INDENT(indent) | JSON_PRESERVE_ORDER);
    assert_non_null(got);
    assert_non_null(text);
    char *want = xasprintf("%s\n", text);
    assert_string_equal(got, want);
    assert_string_equal(streamed, want);
    free(streamed);
    free(want);
    free(text);
    free(got);
    json_decref(tree);
}

static void test_writer_random_walks(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 500; seed++)
        assert_walk_same(seed, 1 + (int)(seed % 4));
}

/* A stream many times the 64 KiB buffer, with a string larger than the buffer, and an
 * escape on each side of every flush: the same bytes as the tree's. */
static void test_writer_stream_flushes(void **state)
{
    (void)state;
    char *big = xcalloc(200001, 1);
    memset(big, 'x', 200000);
    big[99999] = '"';
    char *streamed = NULL;
    size_t len = 0;
    for (int tree_mode = 0; tree_mode < 2; tree_mode++) {
        struct jsonw w;
        FILE *mem = NULL;
        if (tree_mode) {
            jsonw_begin_tree(&w);
        } else {
            mem = open_memstream(&streamed, &len);
            assert_non_null(mem);
            jsonw_begin_stream(&w, 2, mem);
        }
        jsonw_object(&w, NULL);
        jsonw_array(&w, "items");
        for (int i = 0; i < 30000; i++) {
            char s[32];
            snprintf(s, sizeof(s), i % 7 ? "com/acme/C%d" : "tab\t%d\n", i);
            jsonw_text(&w, NULL, s);
            jsonw_int(&w, NULL, -i);
        }
        jsonw_end(&w);
        jsonw_text(&w, "big", big);
        jsonw_end(&w);
        if (tree_mode) {
            json_t *tree = jsonw_end_tree(&w);
            char *want = json_dumps(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            assert_true(len > 4 * 65536);
            assert_int_equal(len, strlen(want) + 1);
            assert_memory_equal(streamed, want, strlen(want));
            assert_int_equal(streamed[len - 1], '\n');
            free(want);
            json_decref(tree);
        } else {
            assert_int_equal(jsonw_end_stream(&w, "\n"), 0);
            fclose(mem);
        }
    }
    free(streamed);
    free(big);
}

static void test_writer_edges(void **state)
{
    (void)state;
    struct jsonw w;
    /* a member whose key is not UTF-8: jansson drops it, and so does the text */
    jsonw_begin_text(&w, 2);
    jsonw_object(&w, NULL);
    jsonw_int(&w, "a", 1);
    jsonw_int(&w, "b\xff", 2);
    jsonw_int(&w, NULL, 3);
    jsonw_text(&w, "c", "x\xff");
    jsonw_end(&w);
    char *got = jsonw_end_text(&w, "");
    assert_string_equal(got, "{\n  \"a\": 1,\n  \"c\": \"x\xef\xbf\xbd\"\n}");
    free(got);
    jsonw_begin_tree(&w);
    jsonw_object(&w, NULL);
    jsonw_int(&w, "a", 1);
    jsonw_int(&w, "b\xff", 2);
    jsonw_int(&w, NULL, 3); /* no key in an object: left out by both */
    jsonw_end(&w);
    json_t *tree = jsonw_end_tree(&w);
    assert_int_equal(json_object_size(tree), 1);
    json_decref(tree);
    /* a container under such a key, or nested too deep: the text gives up (NULL) */
    jsonw_begin_text(&w, 2);
    jsonw_object(&w, NULL);
    jsonw_array(&w, "b\xff");
    jsonw_int(&w, NULL, 1);
    jsonw_end(&w);
    jsonw_end(&w);
    assert_null(jsonw_end_text(&w, ""));
    for (int tree_mode = 0; tree_mode < 2; tree_mode++) {
        if (tree_mode)
            jsonw_begin_tree(&w);
        else
            jsonw_begin_text(&w, 2);
        for (int i = 0; i < JSONW_MAX_DEPTH + 3; i++)
            jsonw_array(&w, NULL);
        jsonw_int(&w, NULL, 7);
        for (int i = 0; i < JSONW_MAX_DEPTH + 3; i++)
            jsonw_end(&w);
        if (tree_mode) {
            json_t *t = jsonw_end_tree(&w); /* kept down to the limit */
            assert_non_null(t);
            json_decref(t);
        } else {
            assert_null(jsonw_end_text(&w, ""));
        }
    }
    /* a jansson value that is not UTF-8 (made without the check): the text gives up */
    jsonw_begin_text(&w, 2);
    jsonw_array(&w, NULL);
    jsonw_json(&w, NULL, json_stringn_nocheck("bad\xff", 4));
    jsonw_end(&w);
    assert_null(jsonw_end_text(&w, ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_and_escapes), cmocka_unit_test(test_containers),
        cmocka_unit_test(test_key_order),           cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_random_trees),        cmocka_unit_test(test_writer_random_walks),
        cmocka_unit_test(test_writer_edges),        cmocka_unit_test(test_writer_stream_flushes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
