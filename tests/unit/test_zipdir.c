/*
 * test_zipdir.c - unit tests for zipdir.c: archives written by libzip and by
 * Info-ZIP, hand-built ones (zip64, launcher-script prefixes, 200,000 entries)
 * and hostile bytes (truncations, lying counts and offsets, every byte of an
 * archive mutated). Hostile inputs live in exact-size heap buffers so that the
 * sanitizer build catches any read past them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>
#include <zlib.h>

#include "util.h"
#include "zipdir.h"

#include "fixture.h"

#define MAX_SEEN 16
#define LAUNCHER "#!/bin/bash\n# launcher script\nexec java -jar \"$0\" \"$@\"\nexit 0\n"
#define MANY_ENTRIES 200000u
#define INFO_ZIP "/usr/bin/zip"

static char tmpdir[64];

/* --- a byte buffer and a hand-made zip writer ---------------------------- */

struct bytes {
    unsigned char *data;
    size_t len;
    size_t cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
    b->data = xgrow(b->data, &b->cap, b->len + n, 1);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put16(struct bytes *b, uint32_t v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    put(b, x, sizeof x);
}

static void put32(struct bytes *b, uint32_t v)
{
    put16(b, v & 0xffff);
    put16(b, v >> 16);
}

static void put64(struct bytes *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

static void set16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void set32(unsigned char *p, uint32_t v)
{
    set16(p, v & 0xffff);
    set16(p + 2, v >> 16);
}

static void set64(unsigned char *p, uint64_t v)
{
    set32(p, (uint32_t)v);
    set32(p + 4, (uint32_t)(v >> 32));
}

/* Trim to the exact length so that ASan sees every over-read. */
static unsigned char *exact_copy(const unsigned char *p, size_t n)
{
    unsigned char *c = xmalloc(n);
    if (n)
        memcpy(c, p, n);
    return c;
}

struct spec {
    const char *name;
    const char *data;
};

struct build_opts {
    const char *prefix;
    bool zip64;            /* 0xffffffff markers + zip64 extra + EOCD64 and locator */
    bool absolute_offsets; /* offsets count the prefix, as `zip -A` leaves them */
    uint64_t zip64_count;  /* if non-zero, the EOCD64 declares this many entries */
};

/* A stored-only archive, exactly as the options say. */
static struct bytes build_zip(const struct spec *entries, size_t n, const struct build_opts *o)
{
    struct bytes b = {0};
    size_t base = 0;
    uint64_t offsets[64];
    assert_true(n <= 64);
    if (o->prefix) {
        put(&b, o->prefix, strlen(o->prefix));
        base = o->absolute_offsets ? 0 : b.len;
    }
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(entries[i].name), dl = strlen(entries[i].data);
        uint32_t crc = (uint32_t)crc32(0, (const Bytef *)entries[i].data, (uInt)dl);
        offsets[i] = b.len - base;
        put32(&b, 0x04034b50);
        put16(&b, 20);
        put16(&b, 0);
        put16(&b, 0); /* stored */
        put16(&b, 0);
        put16(&b, 0x21);
        put32(&b, crc);
        put32(&b, (uint32_t)dl);
        put32(&b, (uint32_t)dl);
        put16(&b, (uint32_t)nl);
        put16(&b, 0);
        put(&b, entries[i].name, nl);
        put(&b, entries[i].data, dl);
    }
    size_t cd_start = b.len;
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(entries[i].name), dl = strlen(entries[i].data);
        uint32_t crc = (uint32_t)crc32(0, (const Bytef *)entries[i].data, (uInt)dl);
        put32(&b, 0x02014b50);
        put16(&b, 45);
        put16(&b, 45);
        put16(&b, 0);
        put16(&b, 0);
        put16(&b, 0);
        put16(&b, 0x21);
        put32(&b, crc);
        put32(&b, o->zip64 ? 0xffffffffu : (uint32_t)dl);
        put32(&b, o->zip64 ? 0xffffffffu : (uint32_t)dl);
        put16(&b, (uint32_t)nl);
        put16(&b, o->zip64 ? 4 + 24 : 0);
        put16(&b, 0);
        put16(&b, 0);
        put16(&b, 0);
        put32(&b, 0);
        put32(&b, o->zip64 ? 0xffffffffu : (uint32_t)offsets[i]);
        put(&b, entries[i].name, nl);
        if (o->zip64) {
            put16(&b, 0x0001);
            put16(&b, 24);
            put64(&b, dl);
            put64(&b, dl);
            put64(&b, offsets[i]);
        }
    }
    size_t cd_size = b.len - cd_start;
    if (o->zip64) {
        size_t eocd64 = b.len;
        put32(&b, 0x06064b50);
        put64(&b, 44);
        put16(&b, 45);
        put16(&b, 45);
        put32(&b, 0);
        put32(&b, 0);
        put64(&b, o->zip64_count ? o->zip64_count : n);
        put64(&b, o->zip64_count ? o->zip64_count : n);
        put64(&b, cd_size);
        put64(&b, cd_start - base);
        put32(&b, 0x07064b50);
        put32(&b, 0);
        put64(&b, eocd64 - base);
        put32(&b, 1);
    }
    put32(&b, 0x06054b50);
    put16(&b, 0);
    put16(&b, 0);
    put16(&b, o->zip64 ? 0xffff : (uint32_t)n);
    put16(&b, o->zip64 ? 0xffff : (uint32_t)n);
    put32(&b, o->zip64 ? 0xffffffffu : (uint32_t)cd_size);
    put32(&b, o->zip64 ? 0xffffffffu : (uint32_t)(cd_start - base));
    put16(&b, 0);
    unsigned char *c = exact_copy(b.data, b.len);
    free(b.data);
    b.data = c;
    b.cap = b.len;
    return b;
}

static const struct spec three[] = {
    {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n"},
    {"com/acme/A.class", "\xca\xfe\xba\xbe-A"},
    {"com/acme/B.class", "\xca\xfe\xba\xbe-BB"},
};
#define N_THREE (sizeof three / sizeof three[0])

/* --- files --------------------------------------------------------------- */

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct bytes b = {0};
    unsigned char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        put(&b, chunk, n);
    fclose(f);
    *len = b.len;
    unsigned char *c = exact_copy(b.data, b.len);
    free(b.data);
    return c;
}

static char *tmp_path(const char *name)
{
    return path_join(tmpdir, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wrench-zipdir-XXXXXX");
    return fixture_root_make(tmpdir);
}

static int teardown(void **state)
{
    (void)state;
    return fixture_root_remove(tmpdir);
}

/* --- visitors ------------------------------------------------------------ */

struct seen {
    struct zipdir_entry e[MAX_SEEN];
    char names[MAX_SEEN][64];
    size_t n;
    size_t stop_after; /* 0: never stop */
};

static int collect(const struct zipdir_entry *e, void *ud)
{
    struct seen *s = ud;
    if (s->n < MAX_SEEN) {
        s->e[s->n] = *e;
        size_t nl = e->name_len < 63 ? e->name_len : 63;
        memcpy(s->names[s->n], e->name, nl);
        s->names[s->n][nl] = '\0';
    }
    s->n++;
    return s->stop_after && s->n >= s->stop_after;
}

static int count_only(const struct zipdir_entry *e, void *ud)
{
    (void)e;
    (*(size_t *)ud)++;
    return 0;
}

/* The entries of a good archive: the names in order, each local header where
 * the record says and its data equal to the spec. */
static void check_three(const unsigned char *buf, size_t len)
{
    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(buf, len, collect, &s, err), 0);
    assert_int_equal(s.n, N_THREE);
    for (size_t i = 0; i < N_THREE; i++) {
        assert_string_equal(s.names[i], three[i].name);
        assert_int_equal(s.e[i].index, i);
        assert_int_equal(s.e[i].method, 0);
        assert_int_equal(s.e[i].size, strlen(three[i].data));
        uint64_t off = 0;
        assert_int_equal(zipdir_data_offset(buf, len, &s.e[i], &off, err), 0);
        assert_memory_equal(buf + off, three[i].data, strlen(three[i].data));
        assert_memory_equal(buf + s.e[i].local_offset, "PK\3\4", 4);
    }
    assert_int_equal(zipdir_count(buf, len, err), N_THREE);
}

/* --- tests --------------------------------------------------------------- */

static void test_libzip_archive(void **state)
{
    (void)state;
    static const char text[] = "hello hello hello hello hello hello hello hello\n";
    static unsigned char zeros[10000];
    struct lz_entry in[] = {
        {"META-INF/", NULL, 0, false},
        {"META-INF/MANIFEST.MF", text, sizeof text - 1, true},
        {"com/acme/Zeros.class", zeros, sizeof zeros, false},
    };
    char *path = tmp_path("libzip.jar");
    fixture_zip(path, in, 3, NULL);
    size_t len;
    unsigned char *buf = read_file(path, &len);

    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(buf, len, collect, &s, err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.names[0], "META-INF/");
    assert_string_equal(s.names[1], "META-INF/MANIFEST.MF");
    assert_string_equal(s.names[2], "com/acme/Zeros.class");
    assert_int_equal(s.e[1].method, 0);
    assert_int_equal(s.e[1].size, sizeof text - 1);
    assert_int_equal(s.e[1].compressed_size, sizeof text - 1);
    assert_int_equal(s.e[1].crc, crc32(0, (const Bytef *)text, sizeof text - 1));
    assert_int_equal(s.e[2].method, 8);
    assert_int_equal(s.e[2].size, sizeof zeros);
    assert_true(s.e[2].compressed_size < sizeof zeros / 10);
    assert_int_equal(s.e[2].crc, crc32(0, zeros, sizeof zeros));
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(s.e[i].index, i);
        assert_memory_equal(buf + s.e[i].local_offset, "PK\3\4", 4);
    }
    uint64_t off = 0;
    assert_int_equal(zipdir_data_offset(buf, len, &s.e[1], &off, err), 0);
    assert_memory_equal(buf + off, text, sizeof text - 1);
    assert_int_equal(zipdir_count(buf, len, err), 3);
    free(buf);
    free(path);
}

static void test_hand_built(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    check_three(b.data, b.len);
    free(b.data);
}

static void test_empty_input(void **state)
{
    (void)state;
    char err[WR_ERR_MAX] = "";
    unsigned char *buf = xmalloc(1);
    assert_int_equal(zipdir_count(buf, 0, err), -1);
    assert_string_equal(err, "not a zip file (empty)");
    err[0] = '\0';
    size_t n = 0;
    assert_int_equal(zipdir_walk(buf, 0, count_only, &n, err), -1);
    assert_string_equal(err, "not a zip file (empty)");
    assert_int_equal(n, 0);
    free(buf);
}

static void test_not_zip(void **state)
{
    (void)state;
    static const char *inputs[] = {
        "Manifest-Version: 1.0\nMain-Class: not.a.Zip\n", "PK", "PK\5\6",
        "PK\5\6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\xff", /* 21 bytes: too short */
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t len = i == 3 ? 21 : strlen(inputs[i]);
        unsigned char *buf = exact_copy((const unsigned char *)inputs[i], len);
        char err[WR_ERR_MAX] = "";
        assert_int_equal(zipdir_count(buf, len, err), -1);
        assert_string_equal(err, "not a zip file (no end of central directory record)");
        size_t n = 0;
        assert_int_equal(zipdir_walk(buf, len, count_only, &n, err), -1);
        assert_int_equal(n, 0);
        free(buf);
    }
}

/* An end record whose comment length runs past the buffer is not the end record. */
static void test_eocd_comment_past_end(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    set16(b.data + b.len - 2, 5);
    char err[WR_ERR_MAX] = "";
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_string_equal(err, "not a zip file (no end of central directory record)");
    free(b.data);
}

static void test_truncated(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    size_t cuts[] = {b.len - 1, b.len - 10, b.len - 22, b.len - 23, b.len / 2, 40, 5, 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        unsigned char *cut = exact_copy(b.data, cuts[i]);
        char err[WR_ERR_MAX] = "";
        size_t n = 0;
        assert_int_equal(zipdir_walk(cut, cuts[i], count_only, &n, err), -1);
        assert_string_equal(err, "not a zip file (no end of central directory record)");
        assert_int_equal(n, 0);
        assert_int_equal(zipdir_count(cut, cuts[i], err), -1);
        free(cut);
    }
    free(b.data);
}

/* The front of the archive lost, the end intact: offsets point before the buffer. */
static void test_front_cut(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    size_t drop = 50;
    unsigned char *cut = exact_copy(b.data + drop, b.len - drop);
    char err[WR_ERR_MAX] = "";
    size_t n = 0;
    assert_int_equal(zipdir_walk(cut, b.len - drop, count_only, &n, err), -1);
    assert_non_null(strstr(err, "runs past its end record"));
    free(cut);
    free(b.data);
}

static void test_absurd_count_zip64(void **state)
{
    (void)state;
    struct build_opts o = {.zip64 = true, .zip64_count = 4000000000u};
    struct spec many[11];
    char names[11][16];
    for (size_t i = 0; i < 11; i++) {
        snprintf(names[i], sizeof names[i], "n/%02zu.class", i);
        many[i] = (struct spec){names[i], ""};
    }
    /* 11 zip64 records of 46 + 10 + 28 bytes: a 924-byte central directory */
    struct bytes b = build_zip(many, 11, &o);
    char err[WR_ERR_MAX] = "";
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_string_equal(err, "central directory declares 4000000000 entries but is only 924 bytes");
    size_t n = 0;
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), -1);
    assert_int_equal(n, 0);
    free(b.data);
}

static void test_count_over_cd_size(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    unsigned char *eocd = b.data + b.len - 22;
    set16(eocd + 8, 60000);
    set16(eocd + 10, 60000);
    char err[WR_ERR_MAX] = "";
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_non_null(strstr(err, "central directory declares 60000 entries but is only"));
    free(b.data);
}

/* A count the directory size would allow, but above the limit: the size is
 * only checked against the buffer afterwards, so this needs no 100 MB input. */
static void test_count_over_limit(void **state)
{
    (void)state;
    struct build_opts o = {.zip64 = true};
    struct bytes b = build_zip(three, N_THREE, &o);
    unsigned char *eocd64 = b.data + b.len - 22 - 20 - 56;
    assert_memory_equal(eocd64, "PK\6\6", 4);
    set64(eocd64 + 32, 3000000);
    set64(eocd64 + 40, 3000000ull * 46);
    char err[WR_ERR_MAX] = "";
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_string_equal(
        err, "central directory declares 3000000 entries, more than the limit of 2000000");
    free(b.data);
}

/* Offset of central record `i` of a hand-built archive without prefix. */
static unsigned char *central_record(struct bytes *b, size_t i)
{
    size_t at = 0;
    size_t found = 0;
    for (;;) {
        assert_true(at + 4 <= b->len);
        if (memcmp(b->data + at, "PK\1\2", 4) == 0) {
            if (found++ == i)
                return b->data + at;
            at += 46 + (b->data[at + 28] | b->data[at + 29] << 8) +
                  (b->data[at + 30] | b->data[at + 31] << 8) +
                  (b->data[at + 32] | b->data[at + 33] << 8);
        } else {
            at++;
        }
    }
}

static void test_local_offset_past_end(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    set32(central_record(&b, 2) + 42, 0x7ffffff0u);
    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(b.data, b.len, collect, &s, err), -1);
    assert_int_equal(s.n, 2); /* the two records before it were valid */
    assert_non_null(strstr(err, "entry com/acme/B.class: local header offset 2147483632 lies "
                                "outside the archive"));
    free(b.data);
}

/* A local header offset inside the central directory is just as wrong. */
static void test_local_offset_into_cd(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    unsigned char *first = central_record(&b, 0);
    set32(central_record(&b, 1) + 42, (uint32_t)(first - b.data));
    char err[WR_ERR_MAX] = "";
    size_t n = 0;
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), -1);
    assert_int_equal(n, 1);
    assert_non_null(strstr(err, "lies outside the archive"));
    free(b.data);
}

static void test_name_runs_past_cd(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    set16(central_record(&b, 2) + 28, 0xffff);
    char err[WR_ERR_MAX] = "";
    size_t n = 0;
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), -1);
    assert_int_equal(n, 2);
    assert_string_equal(err, "central directory record 2: name, extra field or comment runs past "
                             "the end of the central directory");
    free(b.data);

    /* the same with the comment length of the first record */
    b = build_zip(three, N_THREE, &o);
    set16(central_record(&b, 0) + 32, 200);
    n = 0;
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), -1);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err, "record 0: name, extra field or comment runs past"));
    free(b.data);
}

static void test_bad_central_signature(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    central_record(&b, 1)[3] = 9;
    char err[WR_ERR_MAX] = "";
    size_t n = 0;
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), -1);
    assert_int_equal(n, 1);
    assert_string_equal(err, "central directory record 1 of 3: bad signature or truncated");
    free(b.data);

    /* the first record damaged: even the count refuses */
    b = build_zip(three, N_THREE, &o);
    central_record(&b, 0)[0] = 'X';
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_non_null(strstr(err, "no central directory record at offset"));
    free(b.data);
}

static void test_cd_offset_past_eocd(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    set32(b.data + b.len - 22 + 16, 0x10000000u);
    char err[WR_ERR_MAX] = "";
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_non_null(strstr(err, "runs past its end record"));
    free(b.data);

    b = build_zip(three, N_THREE, &o);
    set32(b.data + b.len - 22 + 12, 0xfffffff0u); /* size larger than the file */
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_non_null(strstr(err, "runs past its end record"));
    free(b.data);
}

static void test_multi_disk(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    set16(b.data + b.len - 22 + 4, 2);
    char err[WR_ERR_MAX] = "";
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_string_equal(err, "split (multi-disk) archives are not supported");
    free(b.data);
}

static void test_prefix_script(void **state)
{
    (void)state;
    struct build_opts o = {.prefix = LAUNCHER};
    struct bytes b = build_zip(three, N_THREE, &o);
    check_three(b.data, b.len);
    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(b.data, b.len, collect, &s, err), 0);
    assert_int_equal(s.e[0].local_offset, strlen(LAUNCHER));
    free(b.data);

    /* offsets already counting the prefix (`zip -A`): no double adjustment */
    o.absolute_offsets = true;
    b = build_zip(three, N_THREE, &o);
    check_three(b.data, b.len);
    free(b.data);
}

/* A Spring Boot "fully executable" jar: a script, then a jar written by libzip. */
static void test_prefix_libzip(void **state)
{
    (void)state;
    static const char text[] = "Main-Class: org.springframework.boot.loader.JarLauncher\n";
    struct lz_entry in[] = {
        {"META-INF/MANIFEST.MF", text, sizeof text - 1, false},
        {"BOOT-INF/lib/a.jar", "PK\5\6", 4, true},
    };
    char *path = tmp_path("boot.jar");
    fixture_zip(path, in, 2, NULL);
    size_t zlen;
    unsigned char *zip = read_file(path, &zlen);
    size_t plen = strlen(LAUNCHER);
    unsigned char *buf = xmalloc(plen + zlen);
    memcpy(buf, LAUNCHER, plen);
    memcpy(buf + plen, zip, zlen);

    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(buf, plen + zlen, collect, &s, err), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.e[0].local_offset, plen);
    assert_string_equal(s.names[1], "BOOT-INF/lib/a.jar");
    uint64_t off = 0;
    assert_int_equal(zipdir_data_offset(buf, plen + zlen, &s.e[1], &off, err), 0);
    assert_memory_equal(buf + off, "PK\5\6", 4);
    free(buf);
    free(zip);
    free(path);
}

static void test_zip64_hand_built(void **state)
{
    (void)state;
    struct build_opts o = {.zip64 = true};
    struct bytes b = build_zip(three, N_THREE, &o);
    check_three(b.data, b.len);
    free(b.data);

    o.prefix = LAUNCHER;
    b = build_zip(three, N_THREE, &o);
    check_three(b.data, b.len);
    free(b.data);

    o.absolute_offsets = true;
    b = build_zip(three, N_THREE, &o);
    check_three(b.data, b.len);
    free(b.data);
}

static void test_zip64_missing_extra(void **state)
{
    (void)state;
    struct build_opts o = {.zip64 = true};
    struct bytes b = build_zip(three, N_THREE, &o);
    unsigned char *rec = central_record(&b, 1);
    size_t nl = (size_t)(rec[28] | rec[29] << 8);
    set16(rec + 46 + nl, 0x5455); /* the zip64 field becomes an unrelated one */
    char err[WR_ERR_MAX] = "";
    size_t n = 0;
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), -1);
    assert_int_equal(n, 1);
    assert_string_equal(err, "entry com/acme/A.class: zip64 extra field missing or too short");
    free(b.data);

    /* a zip64 field too short for the three values it must hold */
    b = build_zip(three, N_THREE, &o);
    rec = central_record(&b, 0);
    nl = (size_t)(rec[28] | rec[29] << 8);
    set16(rec + 46 + nl + 2, 16);
    set16(rec + 46 + nl + 2 + 2 + 16, 0x9999); /* the rest: an unknown field of 4 bytes */
    set16(rec + 46 + nl + 2 + 2 + 16 + 2, 4);
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), -1);
    assert_non_null(strstr(err, "zip64 extra field missing or too short"));
    free(b.data);
}

static void test_zip64_damaged_record(void **state)
{
    (void)state;
    struct build_opts o = {.zip64 = true};
    struct bytes b = build_zip(three, N_THREE, &o);
    b.data[b.len - 22 - 20 - 56] = 'X';
    char err[WR_ERR_MAX] = "";
    assert_int_equal(zipdir_count(b.data, b.len, err), -1);
    assert_string_equal(err, "zip64 end of central directory record is missing or damaged");
    free(b.data);
}

/* Info-ZIP's zip -fz writes zip64 records for small files: real-world zip64. */
static void test_zip64_info_zip(void **state)
{
    (void)state;
    if (access(INFO_ZIP, X_OK) != 0)
        skip();
    char *a = tmp_path("a.txt");
    char *bpath = tmp_path("b.txt");
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    fputs("hello\n", f);
    fclose(f);
    f = fopen(bpath, "w");
    assert_non_null(f);
    fputs("world world world world world world\n", f);
    fclose(f);
    char *cmd = xasprintf("cd %s && " INFO_ZIP " -q -fz z64.zip a.txt b.txt", tmpdir);
    assert_int_equal(system(cmd), 0);
    char *zpath = tmp_path("z64.zip");
    size_t len;
    unsigned char *buf = read_file(zpath, &len);
    assert_non_null(memmem(buf, len, "PK\6\6", 4)); /* it really is zip64 */

    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(buf, len, collect, &s, err), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.names[0], "a.txt");
    assert_string_equal(s.names[1], "b.txt");
    assert_int_equal(s.e[0].size, 6);
    assert_int_equal(s.e[1].size, 36);
    for (size_t i = 0; i < 2; i++)
        assert_memory_equal(buf + s.e[i].local_offset, "PK\3\4", 4);
    assert_true(s.e[1].local_offset > 0);
    free(buf);
    free(zpath);
    free(cmd);
    free(a);
    free(bpath);
}

/* An archive comment, holding a fake end record whose comment does not fit. */
static void test_archive_comment(void **state)
{
    (void)state;
    struct lz_entry in[] = {{"x.txt", "x", 1, true}};
    char comment[60001];
    memset(comment, 'c', sizeof comment - 1);
    comment[sizeof comment - 1] = '\0';
    /* Fake end records inside the comment, patched in after writing (libzip
     * refuses such comments): near the end one whose comment length ("cc")
     * does not fit, near the start one whose length fits, but not exactly. */
    memcpy(comment + sizeof comment - 41, "PKyy", 4);
    memcpy(comment + 100, "PKxx", 4);
    memcpy(comment + 100 + 20, "  ", 2); /* 0x2020 bytes */
    char *path = tmp_path("comment.zip");
    fixture_zip(path, in, 1, comment);
    size_t len;
    unsigned char *buf = read_file(path, &len);
    unsigned char *fake = memmem(buf, len, "PKyy", 4);
    assert_non_null(fake);
    memcpy(fake, "PK\5\6", 4);
    fake = memmem(buf, len, "PKxx", 4);
    assert_non_null(fake);
    memcpy(fake, "PK\5\6", 4);
    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(buf, len, collect, &s, err), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "x.txt");
    free(buf);
    free(path);
}

/* Bytes appended after the archive (a signature block, padding). */
static void test_trailing_junk(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    unsigned char *buf = xcalloc(1, b.len + 300);
    memcpy(buf, b.data, b.len);
    check_three(buf, b.len + 300);
    free(buf);
    free(b.data);
}

static void test_visitor_stops(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    char err[WR_ERR_MAX] = "";
    struct seen s = {.stop_after = 2};
    assert_int_equal(zipdir_walk(b.data, b.len, collect, &s, err), 0);
    assert_int_equal(s.n, 2);
    free(b.data);
}

static void test_data_offset_errors(void **state)
{
    (void)state;
    struct build_opts o = {0};
    struct bytes b = build_zip(three, N_THREE, &o);
    char err[WR_ERR_MAX] = "";
    struct seen s = {0};
    assert_int_equal(zipdir_walk(b.data, b.len, collect, &s, err), 0);
    uint64_t off = 12345;

    struct zipdir_entry e = s.e[1];
    e.compressed_size = b.len; /* a size running past the end */
    assert_int_equal(zipdir_data_offset(b.data, b.len, &e, &off, err), -1);
    assert_non_null(strstr(err, "runs past the end of the archive"));

    e = s.e[1];
    e.local_offset = b.len - 10;
    assert_int_equal(zipdir_data_offset(b.data, b.len, &e, &off, err), -1);
    assert_non_null(strstr(err, "lies outside the archive"));

    b.data[s.e[2].local_offset + 2] = 'X';
    assert_int_equal(zipdir_data_offset(b.data, b.len, &s.e[2], &off, err), -1);
    assert_non_null(strstr(err, "no local header at offset"));
    assert_int_equal(off, 12345); /* not written on failure */

    /* a local extra length pushing the data past the end */
    set16(b.data + s.e[0].local_offset + 28, 0xffff);
    assert_int_equal(zipdir_data_offset(b.data, b.len, &s.e[0], &off, err), -1);
    assert_non_null(strstr(err, "runs past the end of the archive"));
    free(b.data);
}

static void test_many_entries(void **state)
{
    (void)state;
    struct bytes b = {0};
    char name[32];
    for (uint32_t i = 0; i < MANY_ENTRIES; i++) {
        int nl = snprintf(name, sizeof name, "com/acme/C%06u.class", i);
        put32(&b, 0x04034b50);
        unsigned char zero[26] = {0};
        set16(zero + 22, (uint32_t)nl);
        put(&b, zero, sizeof zero);
        put(&b, name, (size_t)nl);
    }
    size_t cd_start = b.len;
    for (uint32_t i = 0; i < MANY_ENTRIES; i++) {
        int nl = snprintf(name, sizeof name, "com/acme/C%06u.class", i);
        unsigned char rec[46] = {0};
        set32(rec, 0x02014b50);
        set16(rec + 28, (uint32_t)nl);
        set32(rec + 42, (uint32_t)(i * (30u + (uint32_t)nl)));
        put(&b, rec, sizeof rec);
        put(&b, name, (size_t)nl);
    }
    size_t cd_size = b.len - cd_start;
    /* 200,000 entries do not fit the 16-bit count: zip64 end records */
    put32(&b, 0x06064b50);
    put64(&b, 44);
    put32(&b, 0);
    put32(&b, 0);
    put32(&b, 0);
    put64(&b, MANY_ENTRIES);
    put64(&b, MANY_ENTRIES);
    put64(&b, cd_size);
    put64(&b, cd_start);
    put32(&b, 0x07064b50);
    put32(&b, 0);
    put64(&b, cd_start + cd_size);
    put32(&b, 1);
    put32(&b, 0x06054b50);
    put32(&b, 0);
    put16(&b, 0xffff);
    put16(&b, 0xffff);
    put32(&b, 0xffffffffu);
    put32(&b, 0xffffffffu);
    put16(&b, 0);

    char err[WR_ERR_MAX] = "";
    size_t n = 0;
    assert_int_equal(zipdir_count(b.data, b.len, err), MANY_ENTRIES);
    assert_int_equal(zipdir_walk(b.data, b.len, count_only, &n, err), 0);
    assert_int_equal(n, MANY_ENTRIES);
    free(b.data);
}

static int check_entry(const struct zipdir_entry *e, void *ud)
{
    const struct bytes *b = ud;
    /* every visited record names bytes inside the buffer */
    assert_true(e->name >= (const char *)b->data);
    assert_true(e->name + e->name_len <= (const char *)b->data + b->len);
    assert_true(e->local_offset + 30 <= b->len);
    uint64_t off;
    char err[WR_ERR_MAX];
    if (zipdir_data_offset(b->data, b->len, e, &off, err) == 0)
        assert_true(off + e->compressed_size <= b->len);
    return 0;
}

/* Every byte of a zip64 archive with a prefix set to a few values: the walk
 * must fail cleanly or succeed with in-bounds entries, never read outside. */
static void test_every_byte_mutated(void **state)
{
    (void)state;
    static const unsigned char values[] = {0x00, 0xff, 0x7f, 0x01, 0x80};
    struct build_opts o = {.zip64 = true, .prefix = "#!/bin/sh\n"};
    struct bytes orig = build_zip(three, N_THREE, &o);
    size_t failures = 0;
    for (size_t i = 0; i < orig.len; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            struct bytes b = {exact_copy(orig.data, orig.len), orig.len, orig.len};
            b.data[i] = values[v];
            char err[WR_ERR_MAX] = "";
            int rc = zipdir_walk(b.data, b.len, check_entry, &b, err);
            if (rc != 0) {
                assert_int_equal(rc, -1);
                assert_true(err[0] != '\0');
                failures++;
            }
            free(b.data);
        }
    }
    assert_true(failures > 0); /* the mutations did reach the directory */
    free(orig.data);
}

static void test_name_printable(void **state)
{
    (void)state;
    char out[ZIPDIR_NAME_MSG_MAX];
    zipdir_name_printable("a/\x1b[31mB\n.class", 15, out, sizeof out);
    assert_string_equal(out, "a/?[31mB?.class");
    zipdir_name_printable("a\0b", 3, out, sizeof out);
    assert_string_equal(out, "a?b");
    char longname[1000];
    memset(longname, 'n', sizeof longname);
    zipdir_name_printable(longname, sizeof longname, out, sizeof out);
    assert_int_equal(strlen(out), sizeof out - 1);
    assert_string_equal(out + sizeof out - 4, "...");
    char tiny[3];
    zipdir_name_printable("abcdef", 6, tiny, sizeof tiny);
    assert_string_equal(tiny, "..");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libzip_archive),
        cmocka_unit_test(test_hand_built),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_not_zip),
        cmocka_unit_test(test_eocd_comment_past_end),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_front_cut),
        cmocka_unit_test(test_absurd_count_zip64),
        cmocka_unit_test(test_count_over_cd_size),
        cmocka_unit_test(test_count_over_limit),
        cmocka_unit_test(test_local_offset_past_end),
        cmocka_unit_test(test_local_offset_into_cd),
        cmocka_unit_test(test_name_runs_past_cd),
        cmocka_unit_test(test_bad_central_signature),
        cmocka_unit_test(test_cd_offset_past_eocd),
        cmocka_unit_test(test_multi_disk),
        cmocka_unit_test(test_prefix_script),
        cmocka_unit_test(test_prefix_libzip),
        cmocka_unit_test(test_zip64_hand_built),
        cmocka_unit_test(test_zip64_missing_extra),
        cmocka_unit_test(test_zip64_damaged_record),
        cmocka_unit_test(test_zip64_info_zip),
        cmocka_unit_test(test_archive_comment),
        cmocka_unit_test(test_trailing_junk),
        cmocka_unit_test(test_visitor_stops),
        cmocka_unit_test(test_data_offset_errors),
        cmocka_unit_test(test_many_entries),
        cmocka_unit_test(test_every_byte_mutated),
        cmocka_unit_test(test_name_printable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
