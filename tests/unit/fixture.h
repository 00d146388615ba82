/*
 * fixture.h - files and archives for the unit tests, under a temporary root.
 *
 * Each unit test is one translation unit linked against the library objects,
 * so these are static inline helpers rather than another object to link. They
 * fail the running cmocka test (assert_*) when the machine refuses a write:
 * a fixture that could not be made must never look like a passing case.
 */
#ifndef WRENCH_TEST_FIXTURE_H
#define WRENCH_TEST_FIXTURE_H

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "util.h"

/* A template such as "/tmp/wrench-jar-XXXXXX" becomes a fresh directory. */
static inline int fixture_root_make(char *template_path)
{
    return mkdtemp(template_path) ? 0 : -1;
}

static inline int fixture_remove_one(const char *path, const struct stat *st, int flag,
                                     struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline int fixture_root_remove(const char *root)
{
    return nftw(root, fixture_remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Empty the root again, so that each test starts from nothing. */
static inline int fixture_root_empty(const char *root)
{
    if (fixture_root_remove(root) != 0 && errno != ENOENT)
        return -1;
    return mkdir(root, 0700);
}

/* The directories above `path` (an absolute path), made as needed. */
static inline void fixture_mkdirs_above(const char *path)
{
    char *dir = xstrdup(path);
    for (char *p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        assert_true(mkdir(dir, 0755) == 0 || errno == EEXIST);
        *p = '/';
    }
    free(dir);
}

/* A directory and those above it (an absolute path), made as needed. */
static inline void fixture_mkdirs(const char *path)
{
    fixture_mkdirs_above(path);
    assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* Write `len` bytes at `path`, making the directories above it. */
static inline void fixture_write(const char *path, const void *data, size_t len)
{
    fixture_mkdirs_above(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

struct lz_entry {
    const char *name;
    const void *data; /* NULL: a directory entry */
    size_t len;
    bool stored; /* stored rather than deflated */
};

/* Write an archive with libzip (the way real tools lay one out); comment may be NULL. */
static inline void fixture_zip(const char *path, const struct lz_entry *e, size_t n,
                               const char *comment)
{
    fixture_mkdirs_above(path);
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        if (!e[i].data) {
            assert_true(zip_dir_add(za, e[i].name, 0) >= 0);
            continue;
        }
        zip_source_t *src = zip_source_buffer(za, e[i].data, e[i].len, 0);
        assert_non_null(src);
        zip_int64_t idx = zip_file_add(za, e[i].name, src, ZIP_FL_OVERWRITE);
        assert_true(idx >= 0);
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx,
                                                  e[i].stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0),
                         0);
    }
    if (comment)
        assert_int_equal(zip_set_archive_comment(za, comment, (zip_uint16_t)strlen(comment)), 0);
    assert_int_equal(zip_close(za), 0);
}

#endif
