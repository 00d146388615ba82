/*
 * test_jar.c - unit tests for jar.c on real files: jars written by libzip and
 * Info-ZIP, launcher-script prefixes, nested jars stored and deflated, and the
 * failures a classpath meets (missing, a directory, no permission, empty,
 * not a zip, damaged data, a lying size, a nested zip bomb).
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "jar.h"
#include "util.h"

#include "fixture.h"

#define INFO_ZIP "/usr/bin/zip"
#define LAUNCHER "#!/bin/bash\nexec java -jar \"$0\" \"$@\"\n"
#define MANIFEST "Manifest-Version: 1.0\r\nMain-Class: com.acme.Main\r\n\r\n"
#define POM "groupId=com.acme\nartifactId=demo\nversion=1.2.3\n"
#define BOMB_BYTES (8u << 20)
#define BOMB_CAP (1u << 20)

static char tmpdir[64];
static struct jar *const SENTINEL = (struct jar *)(uintptr_t)0x1234;

/* --- files and archives -------------------------------------------------- */

static char *tmp_path(const char *name)
{
    return path_join(tmpdir, name);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct strbuf sb = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_append(&sb, chunk, n);
    fclose(f);
    *len = sb.len;
    return (unsigned char *)strbuf_take(&sb);
}

/* The central record named `name` in an archive's bytes. */
static unsigned char *central_record(unsigned char *buf, size_t len, const char *name)
{
    size_t nl = strlen(name);
    for (size_t at = 0; at + 46 + nl <= len; at++) {
        if (memcmp(buf + at, "PK\1\2", 4) == 0 &&
            (size_t)(buf[at + 28] | buf[at + 29] << 8) == nl &&
            memcmp(buf + at + 46, name, nl) == 0)
            return buf + at;
    }
    fail_msg("no central record for %s", name);
    return NULL;
}

static void set32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A small jar: a deflated manifest, a stored pom.properties, a directory, an
 * empty file and a deflated class. */
static char *write_app_jar(const char *file)
{
    static unsigned char klass[3000];
    for (size_t i = 0; i < sizeof klass; i++)
        klass[i] = (unsigned char)(i % 7);
    struct lz_entry in[] = {
        {"META-INF/", NULL, 0, false},
        {"META-INF/MANIFEST.MF", MANIFEST, strlen(MANIFEST), false},
        {"META-INF/maven/com.acme/demo/pom.properties", POM, strlen(POM), true},
        {"empty.txt", "", 0, false},
        {"com/acme/Main.class", klass, sizeof klass, false},
    };
    char *path = tmp_path(file);
    fixture_zip(path, in, sizeof in / sizeof in[0], NULL);
    return path;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wrench-jar-XXXXXX");
    return fixture_root_make(tmpdir);
}

static int teardown(void **state)
{
    (void)state;
    return fixture_root_remove(tmpdir);
}

static int count_visit(const struct zipdir_entry *e, void *ud)
{
    (void)e;
    (*(size_t *)ud)++;
    return 0;
}

/* Open `path`, expect failure `want`; the message must name the file and
 * contain `text`; *out must stay untouched. */
static void expect_open_fails(const char *path, int want, const char *text)
{
    struct jar *jar = SENTINEL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), want);
    assert_ptr_equal(jar, SENTINEL);
    assert_true(str_has_prefix(err, path));
    if (!strstr(err, text))
        fail_msg("message \"%s\" lacks \"%s\"", err, text);
}

/* Read entry `name` of `jar` under `cap`, expecting success; returns the bytes. */
static unsigned char *read_named(struct jar *jar, const char *name, size_t cap, size_t *len)
{
    char err[WR_ERR_MAX] = "";
    struct zipdir_entry e;
    assert_int_equal(jar_find(jar, name, &e, err), 1);
    unsigned char *buf = NULL;
    int rc = jar_read_entry(jar, &e, cap, &buf, len, err);
    if (rc != JAR_OK)
        fail_msg("reading %s: %d %s", name, rc, err);
    assert_int_equal(buf[*len], '\0');
    return buf;
}

/* Expect reading entry `name` to fail with `want` and a message containing `text`. */
static void expect_read_fails(struct jar *jar, const char *name, size_t cap, int want,
                              const char *text)
{
    char err[WR_ERR_MAX] = "";
    struct zipdir_entry e;
    assert_int_equal(jar_find(jar, name, &e, err), 1);
    unsigned char *buf = (unsigned char *)SENTINEL;
    size_t len = 777;
    int rc = jar_read_entry(jar, &e, cap, &buf, &len, err);
    if (rc != want)
        fail_msg("reading %s: got %d (%s), want %d", name, rc, err, want);
    assert_ptr_equal(buf, SENTINEL);
    assert_int_equal(len, 777);
    char *prefix = xasprintf("%s: ", jar->path);
    assert_true(str_has_prefix(err, prefix));
    free(prefix);
    if (!strstr(err, text))
        fail_msg("message \"%s\" lacks \"%s\"", err, text);
}

/* --- opening files ------------------------------------------------------- */

static void test_open_walk_find(void **state)
{
    (void)state;
    char *path = write_app_jar("app.jar");
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);
    assert_string_equal(jar->path, path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(jar->size, (size_t)st.st_size);

    size_t n = 0;
    assert_int_equal(jar_walk(jar, count_visit, &n, err), 0);
    assert_int_equal(n, 5);

    struct zipdir_entry e = {0};
    assert_int_equal(jar_find(jar, "META-INF/MANIFEST.MF", &e, err), 1);
    assert_int_equal(e.name_len, strlen("META-INF/MANIFEST.MF"));
    /* names point into the directory the jar read into its own memory */
    assert_true(e.name > (const char *)jar->cd && e.name < (const char *)jar->cd + jar->cd_len);
    assert_int_equal(e.index, 1);
    assert_int_equal(e.method, 8);
    assert_int_equal(e.size, strlen(MANIFEST));

    struct zipdir_entry untouched = {.index = 99};
    assert_int_equal(jar_find(jar, "META-INF/MANIFEST", &untouched, err), 0); /* a prefix */
    assert_int_equal(jar_find(jar, "META-INF/MANIFEST.MF/", &untouched, err), 0);
    assert_int_equal(jar_find(jar, "meta-inf/manifest.mf", &untouched, err), 0); /* exact case */
    assert_int_equal(untouched.index, 99);
    jar_free(jar);
    jar_free(NULL);
    free(path);
}

static void test_open_missing(void **state)
{
    (void)state;
    char *path = tmp_path("no-such.jar");
    expect_open_fails(path, JAR_ERR_MISSING, "No such file or directory");
    free(path);

    /* a path through a file: ENOTDIR is just as missing */
    char *file = write_app_jar("plain.jar");
    char *through = path_join(file, "x.jar");
    expect_open_fails(through, JAR_ERR_MISSING, "Not a directory");
    free(through);
    free(file);
}

static void test_open_directory(void **state)
{
    (void)state;
    char *dir = tmp_path("classes.jar");
    assert_int_equal(mkdir(dir, 0755), 0);
    expect_open_fails(dir, JAR_ERR_UNREADABLE, "is a directory");
    free(dir);
}

#define NOBODY 65534

/* Root reads anything, so as root the open runs in a child that became nobody. */
static void test_open_unreadable(void **state)
{
    (void)state;
    char *path = write_app_jar("secret.jar");
    assert_int_equal(chmod(path, 0), 0);
    if (geteuid() != 0) {
        expect_open_fails(path, JAR_ERR_UNREADABLE, "Permission denied");
        free(path);
        return;
    }
    assert_int_equal(chmod(tmpdir, 0711), 0); /* the file's own mode must be what stops it */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        char msg[WR_ERR_MAX + 16] = "setuid";
        if (setgid(NOBODY) == 0 && setuid(NOBODY) == 0) {
            struct jar *jar = SENTINEL;
            char err[WR_ERR_MAX] = "";
            int rc = jar_open_file(&jar, path, err);
            snprintf(msg, sizeof msg, "%d %s", rc, err);
        }
        ssize_t w = write(fds[1], msg, strlen(msg));
        _exit(w < 0);
    }
    close(fds[1]);
    char msg[WR_ERR_MAX + 16] = "";
    ssize_t n = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(chmod(tmpdir, 0700), 0);
    assert_true(n > 0);
    msg[n] = '\0';
    if (strcmp(msg, "setuid") == 0) {
        free(path);
        skip(); /* no way to drop privileges here */
    }
    char *want = xasprintf("%d %s: Permission denied", JAR_ERR_UNREADABLE, path);
    assert_string_equal(msg, want);
    free(want);
    free(path);
}

static void test_open_fifo(void **state)
{
    (void)state;
    char *path = tmp_path("fifo.jar");
    assert_int_equal(mkfifo(path, 0600), 0);
    expect_open_fails(path, JAR_ERR_UNREADABLE, "not a regular file");
    free(path);
}

static void test_open_empty(void **state)
{
    (void)state;
    char *path = tmp_path("empty.jar");
    fixture_write(path, "", 0);
    expect_open_fails(path, JAR_ERR_CORRUPT, "empty file");
    free(path);
}

static void test_open_not_zip(void **state)
{
    (void)state;
    char *path = tmp_path("text.jar");
    const char *text = "this is not a jar\n";
    fixture_write(path, text, strlen(text));
    struct jar *jar = SENTINEL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_ERR_CORRUPT);
    char *want = xasprintf("%s: not a zip file (no end of central directory record)", path);
    assert_string_equal(err, want);
    assert_ptr_equal(jar, SENTINEL);
    free(want);
    free(path);
}

static void test_open_truncated(void **state)
{
    (void)state;
    char *path = write_app_jar("whole.jar");
    size_t len;
    unsigned char *buf = read_file(path, &len);
    size_t cuts[] = {len - 1, len - 30, len / 2, 100};
    char *cut_path = tmp_path("cut.jar");
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        fixture_write(cut_path, buf, cuts[i]);
        expect_open_fails(cut_path, JAR_ERR_CORRUPT, "not a zip file");
    }
    free(cut_path);
    free(buf);
    free(path);
}

/* --- reading entries ----------------------------------------------------- */

static void test_read_entries(void **state)
{
    (void)state;
    char *path = write_app_jar("read.jar");
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);

    size_t len;
    unsigned char *buf = read_named(jar, "META-INF/MANIFEST.MF", JAR_MAX_SMALL_ENTRY, &len);
    assert_int_equal(len, strlen(MANIFEST));
    assert_string_equal((char *)buf, MANIFEST);
    free(buf);

    buf = read_named(jar, "META-INF/maven/com.acme/demo/pom.properties", JAR_MAX_SMALL_ENTRY, &len);
    assert_string_equal((char *)buf, POM);
    free(buf);

    buf = read_named(jar, "com/acme/Main.class", 3000, &len); /* a cap equal to the size */
    assert_int_equal(len, 3000);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(buf[i], i % 7);
    free(buf);

    buf = read_named(jar, "empty.txt", 0, &len);
    assert_int_equal(len, 0);
    free(buf);
    buf = read_named(jar, "META-INF/", 0, &len);
    assert_int_equal(len, 0);
    free(buf);
    jar_free(jar);
    free(path);
}

/* A jar whose manifest and pom.properties lie `gap` bytes apart, with incompressible
 * stored filler after them, so that neither lies in the tail read with the directory. */
static char *write_spread_jar(const char *file, size_t gap)
{
    static unsigned char noise[200000];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof noise; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        noise[i] = (unsigned char)x;
    }
    assert_true(gap <= 100000);
    struct lz_entry in[] = {
        {"META-INF/MANIFEST.MF", MANIFEST, strlen(MANIFEST), false},
        {"gap.bin", noise, gap, true},
        {"META-INF/maven/com.acme/demo/pom.properties", POM, strlen(POM), true},
        {"com/acme/Big.class", noise + 100000, 100000, true},
    };
    char *path = tmp_path(file);
    fixture_zip(path, in, sizeof in / sizeof in[0], NULL);
    return path;
}

/* Read `names` ahead, cut the file short of them, and read them: held in memory, they read
 * whole (read_ok) or fail as a file changed under the scan. */
static void read_after_cut(const char *path, const char *const *names, size_t n, bool read_ok)
{
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);
    struct zipdir_entry wanted[4];
    assert_true(n <= 4);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(jar_find(jar, names[i], &wanted[i], err), 1);
    jar_read_ahead(jar, wanted, n);
    assert_int_equal(truncate(path, 16), 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char *buf = NULL;
        size_t len = 0;
        int rc = jar_read_entry(jar, &wanted[i], JAR_MAX_SMALL_ENTRY, &buf, &len, err);
        if (read_ok) {
            if (rc != JAR_OK)
                fail_msg("%s: %d %s", names[i], rc, err);
            const char *want = strstr(names[i], "MANIFEST") ? MANIFEST : POM;
            assert_int_equal(len, strlen(want));
            assert_memory_equal(buf, want, len);
            free(buf);
        } else {
            assert_int_equal(rc, JAR_ERR_CORRUPT);
            assert_non_null(strstr(err, "changed while read"));
        }
    }
    jar_free(jar);
}

/* Entries close together are read ahead in one read, and are then held: a file cut short
 * after that still gives them whole. Entries far apart are not read ahead (each is read on
 * its own when asked, and then finds the file cut). */
static void test_read_ahead(void **state)
{
    (void)state;
    const char *both[] = {"META-INF/MANIFEST.MF", "META-INF/maven/com.acme/demo/pom.properties"};
    char *near = write_spread_jar("near.jar", 1000);
    read_after_cut(near, both, 2, true);
    free(near);
    char *far = write_spread_jar("far.jar", JAR_READ_AHEAD_MAX + 1000);
    read_after_cut(far, both, 2, false);
    free(far);
    /* one entry alone is one read either way: not read ahead */
    char *one = write_spread_jar("one.jar", 1000);
    read_after_cut(one, both, 1, false);
    free(one);
}

/* The bytes of a small jar all lie in the tail read with its directory: its entries need
 * no further read. */
static void test_read_from_tail(void **state)
{
    (void)state;
    char *path = write_app_jar("tail.jar");
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);
    assert_int_equal(truncate(path, 0), 0);
    size_t len;
    unsigned char *buf = read_named(jar, "META-INF/MANIFEST.MF", JAR_MAX_SMALL_ENTRY, &len);
    assert_string_equal((char *)buf, MANIFEST);
    free(buf);
    jar_free(jar);
    free(path);
}

static void test_read_over_cap(void **state)
{
    (void)state;
    char *path = write_app_jar("cap.jar");
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);
    expect_read_fails(jar, "com/acme/Main.class", 2999, JAR_ERR_TOO_LARGE,
                      "com/acme/Main.class: 3000 bytes, over the limit of 2999");

    /* zip64 sizes are refused before touching the data */
    char err2[WR_ERR_MAX] = "";
    struct zipdir_entry e;
    assert_int_equal(jar_find(jar, "com/acme/Main.class", &e, err), 1);
    e.compressed_size = 5ull << 30;
    unsigned char *buf = NULL;
    size_t len = 0;
    assert_int_equal(jar_read_entry(jar, &e, JAR_MAX_SMALL_ENTRY, &buf, &len, err2),
                     JAR_ERR_TOO_LARGE);
    assert_null(buf);
    assert_non_null(strstr(err2, "com/acme/Main.class: 5368709120 bytes compressed, 3000 "
                                 "uncompressed: zip64 sizes"));
    jar_free(jar);
    free(path);
}

/* Open `path` after applying `patch` to its bytes at the central record of `name`. */
static struct jar *open_patched(const char *path, const char *name,
                                void (*patch)(unsigned char *buf, size_t len, unsigned char *rec))
{
    size_t len;
    unsigned char *buf = read_file(path, &len);
    patch(buf, len, central_record(buf, len, name));
    fixture_write(path, buf, len);
    free(buf);
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);
    return jar;
}

static void patch_size_small(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)buf;
    (void)len;
    set32(rec + 24, 100); /* uncompressed size: 3000 really */
}

/* A deflated entry inflating to more than it declares: the cap counts the
 * bytes produced; under a looser cap the mismatch is corruption. */
static void test_read_lying_size(void **state)
{
    (void)state;
    char *path = write_app_jar("lying.jar");
    struct jar *jar = open_patched(path, "com/acme/Main.class", patch_size_small);
    expect_read_fails(jar, "com/acme/Main.class", 1000, JAR_ERR_TOO_LARGE,
                      "inflates to more than the limit of 1000 bytes");
    expect_read_fails(jar, "com/acme/Main.class", 100, JAR_ERR_TOO_LARGE,
                      "inflates to more than the limit of 100 bytes");
    expect_read_fails(jar, "com/acme/Main.class", 100000, JAR_ERR_CORRUPT,
                      "com/acme/Main.class: inflates to 3000 bytes but declares 100");
    jar_free(jar);
    free(path);
}

static void patch_damage_data(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)len;
    size_t local = (size_t)(rec[42] | rec[43] << 8 | rec[44] << 16 | (size_t)rec[45] << 24);
    size_t data = local + 30 + (size_t)(buf[local + 26] | buf[local + 27] << 8) +
                  (size_t)(buf[local + 28] | buf[local + 29] << 8);
    for (size_t i = 0; i < 8; i++)
        buf[data + i] ^= 0x5a;
}

static void test_read_damaged_data(void **state)
{
    (void)state;
    char *path = write_app_jar("damaged.jar");
    struct jar *jar = open_patched(path, "META-INF/MANIFEST.MF", patch_damage_data);
    char err[WR_ERR_MAX] = "";
    struct zipdir_entry e;
    assert_int_equal(jar_find(jar, "META-INF/MANIFEST.MF", &e, err), 1);
    unsigned char *buf = NULL;
    size_t len = 0;
    assert_int_equal(jar_read_entry(jar, &e, JAR_MAX_SMALL_ENTRY, &buf, &len, err),
                     JAR_ERR_CORRUPT);
    char *want_zlib = xasprintf("%s: META-INF/MANIFEST.MF: Zlib error", path);
    char *want_crc = xasprintf("%s: META-INF/MANIFEST.MF: CRC error", path);
    if (!str_has_prefix(err, want_zlib) && !str_has_prefix(err, want_crc))
        fail_msg("unexpected message: %s", err);
    free(want_zlib);
    free(want_crc);
    jar_free(jar);
    free(path);

    /* a stored entry: only the CRC can tell */
    path = write_app_jar("damaged-stored.jar");
    jar = open_patched(path, "META-INF/maven/com.acme/demo/pom.properties", patch_damage_data);
    expect_read_fails(jar, "META-INF/maven/com.acme/demo/pom.properties", JAR_MAX_SMALL_ENTRY,
                      JAR_ERR_CORRUPT, "CRC error");
    jar_free(jar);
    free(path);
}

static void patch_encrypted(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)buf;
    (void)len;
    rec[8] |= 1;
}

static void test_read_encrypted(void **state)
{
    (void)state;
    char *path = write_app_jar("encrypted.jar");
    struct jar *jar = open_patched(path, "META-INF/MANIFEST.MF", patch_encrypted);
    expect_read_fails(jar, "META-INF/MANIFEST.MF", JAR_MAX_SMALL_ENTRY, JAR_ERR_CORRUPT,
                      "META-INF/MANIFEST.MF: No password provided");
    jar_free(jar);
    free(path);
}

static void patch_method(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)buf;
    (void)len;
    rec[10] = 9; /* deflate64, which libzip does not inflate */
}

static void test_read_unsupported_method(void **state)
{
    (void)state;
    char *path = write_app_jar("deflate64.jar");
    struct jar *jar = open_patched(path, "META-INF/MANIFEST.MF", patch_method);
    expect_read_fails(jar, "META-INF/MANIFEST.MF", JAR_MAX_SMALL_ENTRY, JAR_ERR_CORRUPT,
                      "META-INF/MANIFEST.MF: Compression method not supported");
    jar_free(jar);
    free(path);
}

static void patch_local_signature(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)len;
    size_t local = (size_t)(rec[42] | rec[43] << 8 | rec[44] << 16 | (size_t)rec[45] << 24);
    buf[local] = 'X';
}

static void test_read_bad_local_header(void **state)
{
    (void)state;
    char *path = write_app_jar("badlocal.jar");
    struct jar *jar = open_patched(path, "META-INF/MANIFEST.MF", patch_local_signature);
    expect_read_fails(jar, "META-INF/MANIFEST.MF", JAR_MAX_SMALL_ENTRY, JAR_ERR_CORRUPT,
                      "META-INF/MANIFEST.MF: no local header at offset");
    jar_free(jar);
    free(path);
}

/* A Spring Boot "fully executable" jar: a launcher script in front. */
static void test_read_prefixed(void **state)
{
    (void)state;
    char *path = write_app_jar("inner-exec.jar");
    size_t len;
    unsigned char *zip = read_file(path, &len);
    char *exec_path = tmp_path("exec.jar");
    struct strbuf sb = {0};
    strbuf_puts(&sb, LAUNCHER);
    strbuf_append(&sb, (const char *)zip, len);
    fixture_write(exec_path, sb.data, sb.len);

    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, exec_path, err), JAR_OK);
    unsigned char *buf = read_named(jar, "META-INF/MANIFEST.MF", JAR_MAX_SMALL_ENTRY, &len);
    assert_string_equal((char *)buf, MANIFEST);
    free(buf);
    buf = read_named(jar, "META-INF/maven/com.acme/demo/pom.properties", JAR_MAX_SMALL_ENTRY, &len);
    assert_string_equal((char *)buf, POM);
    free(buf);
    jar_free(jar);
    strbuf_free(&sb);
    free(zip);
    free(exec_path);
    free(path);
}

/* Run `cmd` in the temp dir and return the path of `result`, or NULL to skip. */
static char *info_zip(const char *cmd, const char *result)
{
    if (access(INFO_ZIP, X_OK) != 0)
        return NULL;
    char *full = xasprintf("cd %s && %s", tmpdir, cmd);
    assert_int_equal(system(full), 0);
    free(full);
    return tmp_path(result);
}

/* Info-ZIP writing to a pipe cannot seek back: sizes and CRC follow the data
 * in a data descriptor (flag bit 3) and the local header holds zeros. */
static void test_read_data_descriptor(void **state)
{
    (void)state;
    char *path = info_zip("printf 'streamed streamed streamed streamed\\n' | " INFO_ZIP
                          " -q - - | cat > stream.zip",
                          "stream.zip");
    if (!path)
        skip();
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);
    struct zipdir_entry e;
    assert_int_equal(jar_find(jar, "-", &e, err), 1);
    assert_true(e.flags & 0x0008);
    size_t len;
    unsigned char *buf = read_named(jar, "-", JAR_MAX_SMALL_ENTRY, &len);
    assert_string_equal((char *)buf, "streamed streamed streamed streamed\n");
    free(buf);
    jar_free(jar);
    free(path);
}

static void test_read_zip64_info_zip(void **state)
{
    (void)state;
    char *path =
        info_zip("printf 'sixty-four\\n' > z.txt && " INFO_ZIP " -q -fz z64.jar z.txt", "z64.jar");
    if (!path)
        skip();
    struct jar *jar = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&jar, path, err), JAR_OK);
    size_t len;
    unsigned char *buf = read_named(jar, "z.txt", JAR_MAX_SMALL_ENTRY, &len);
    assert_string_equal((char *)buf, "sixty-four\n");
    free(buf);
    jar_free(jar);
    free(path);
}

/* --- nested jars --------------------------------------------------------- */

/* An outer jar holding the app jar's bytes at BOOT-INF/lib/inner.jar, stored
 * or deflated, plus a text file posing as a jar. */
static char *write_outer(const char *file, bool stored, const char *prefix)
{
    char *inner_path = write_app_jar("inner-src.jar");
    size_t inner_len;
    unsigned char *inner = read_file(inner_path, &inner_len);
    struct lz_entry in[] = {
        {"META-INF/MANIFEST.MF", MANIFEST, strlen(MANIFEST), false},
        {"BOOT-INF/lib/inner.jar", inner, inner_len, stored},
        {"BOOT-INF/lib/text.jar", "not a jar at all", 16, true},
        {"BOOT-INF/lib/text-deflated.jar", "not a jar at all", 16, false},
    };
    char *path = tmp_path(file);
    fixture_zip(path, in, sizeof in / sizeof in[0], NULL);
    if (prefix) {
        size_t len;
        unsigned char *zip = read_file(path, &len);
        struct strbuf sb = {0};
        strbuf_puts(&sb, prefix);
        strbuf_append(&sb, (const char *)zip, len);
        fixture_write(path, sb.data, sb.len);
        strbuf_free(&sb);
        free(zip);
    }
    free(inner);
    free(inner_path);
    return path;
}

/* Check that `nested` is the app jar: five entries, readable. */
static void check_inner(struct jar *nested)
{
    char err[WR_ERR_MAX] = "";
    size_t n = 0;
    assert_int_equal(jar_walk(nested, count_visit, &n, err), 0);
    assert_int_equal(n, 5);
    size_t len;
    unsigned char *buf = read_named(nested, "META-INF/MANIFEST.MF", JAR_MAX_SMALL_ENTRY, &len);
    assert_string_equal((char *)buf, MANIFEST);
    free(buf);
    buf = read_named(nested, "com/acme/Main.class", JAR_MAX_SMALL_ENTRY, &len);
    assert_int_equal(len, 3000);
    free(buf);
}

static void test_nested_stored(void **state)
{
    (void)state;
    const char *prefixes[] = {NULL, LAUNCHER};
    for (size_t i = 0; i < 2; i++) {
        char *path = write_outer("outer-stored.jar", true, prefixes[i]);
        struct jar *outer = NULL;
        char err[WR_ERR_MAX] = "";
        assert_int_equal(jar_open_file(&outer, path, err), JAR_OK);
        struct zipdir_entry e;
        assert_int_equal(jar_find(outer, "BOOT-INF/lib/inner.jar", &e, err), 1);
        assert_int_equal(e.method, 0);
        struct jar *nested = NULL;
        assert_int_equal(
            jar_open_nested(&nested, outer, &e, "outer.jar!/BOOT-INF/lib/inner.jar", err), JAR_OK);
        assert_string_equal(nested->path, "outer.jar!/BOOT-INF/lib/inner.jar");
        /* used in place: the bytes are the outer jar's */
        assert_null(nested->owned);
        assert_null(nested->mem);
        assert_int_equal(nested->fd, outer->fd);
        assert_true(nested->base > outer->base && nested->base + nested->size <= outer->size);
        assert_int_equal(nested->size, e.size);
        check_inner(nested);
        jar_free(nested);
        jar_free(outer);
        free(path);
    }
}

static void test_nested_deflated(void **state)
{
    (void)state;
    char *path = write_outer("outer-deflated.jar", false, NULL);
    struct jar *outer = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&outer, path, err), JAR_OK);
    struct zipdir_entry e;
    assert_int_equal(jar_find(outer, "BOOT-INF/lib/inner.jar", &e, err), 1);
    assert_int_equal(e.method, 8);
    struct jar *nested = NULL;
    assert_int_equal(jar_open_nested(&nested, outer, &e, "outer.jar!/BOOT-INF/lib/inner.jar", err),
                     JAR_OK);
    assert_non_null(nested->owned);
    assert_ptr_equal(nested->mem, nested->owned);
    assert_int_equal(nested->size, e.size);
    jar_free(outer); /* an inflated nested jar owns its bytes */
    check_inner(nested);
    jar_free(nested);
    free(path);
}

static void test_nested_not_zip(void **state)
{
    (void)state;
    char *path = write_outer("outer-text.jar", true, NULL);
    struct jar *outer = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(jar_open_file(&outer, path, err), JAR_OK);
    const char *names[] = {"BOOT-INF/lib/text.jar", "BOOT-INF/lib/text-deflated.jar"};
    for (size_t i = 0; i < 2; i++) {
        struct zipdir_entry e;
        assert_int_equal(jar_find(outer, names[i], &e, err), 1);
        struct jar *nested = SENTINEL;
        assert_int_equal(jar_open_nested(&nested, outer, &e, "o.jar!/x.jar", err), JAR_ERR_CORRUPT);
        assert_ptr_equal(nested, SENTINEL);
        assert_string_equal(err,
                            "o.jar!/x.jar: not a zip file (no end of central directory record)");
    }
    jar_free(outer);
    free(path);
}

static void patch_stored_sizes(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)buf;
    (void)len;
    set32(rec + 20, 10); /* compressed size disagrees with the size */
}

static void test_nested_stored_size_mismatch(void **state)
{
    (void)state;
    char *path = write_outer("outer-mismatch.jar", true, NULL);
    struct jar *outer = open_patched(path, "BOOT-INF/lib/inner.jar", patch_stored_sizes);
    char err[WR_ERR_MAX] = "";
    struct zipdir_entry e;
    assert_int_equal(jar_find(outer, "BOOT-INF/lib/inner.jar", &e, err), 1);
    struct jar *nested = SENTINEL;
    assert_int_equal(jar_open_nested(&nested, outer, &e, "x", err), JAR_ERR_CORRUPT);
    assert_ptr_equal(nested, SENTINEL);
    assert_non_null(strstr(err, "BOOT-INF/lib/inner.jar: stored entry declares 10 bytes"));
    jar_free(outer);
    free(path);
}

static void patch_huge_size(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)buf;
    (void)len;
    set32(rec + 24, JAR_MAX_NESTED_BYTES + 1);
}

/* A declared size over the cap is refused before inflating anything. */
static void test_nested_declared_too_large(void **state)
{
    (void)state;
    char *path = write_outer("outer-huge.jar", false, NULL);
    struct jar *outer = open_patched(path, "BOOT-INF/lib/inner.jar", patch_huge_size);
    char err[WR_ERR_MAX] = "";
    struct zipdir_entry e;
    assert_int_equal(jar_find(outer, "BOOT-INF/lib/inner.jar", &e, err), 1);
    struct jar *nested = SENTINEL;
    assert_int_equal(jar_open_nested(&nested, outer, &e, "x", err), JAR_ERR_TOO_LARGE);
    assert_ptr_equal(nested, SENTINEL);
    char *want = xasprintf("%s: BOOT-INF/lib/inner.jar: %u bytes, over the limit of %u", path,
                           JAR_MAX_NESTED_BYTES + 1, JAR_MAX_NESTED_BYTES);
    assert_string_equal(err, want);
    free(want);
    jar_free(outer);
    free(path);
}

static void patch_bomb_size(unsigned char *buf, size_t len, unsigned char *rec)
{
    (void)buf;
    (void)len;
    set32(rec + 24, 1000); /* 8 MiB really */
}

/* A zip bomb: 8 MiB of zeros (8 KB deflated) declaring 1000 bytes. */
static void test_nested_bomb(void **state)
{
    (void)state;
    unsigned char *zeros = xcalloc(1, BOMB_BYTES);
    struct lz_entry in[] = {{"BOOT-INF/lib/bomb.jar", zeros, BOMB_BYTES, false}};
    char *path = tmp_path("bomb.jar");
    fixture_zip(path, in, 1, NULL);
    free(zeros);
    struct jar *outer = open_patched(path, "BOOT-INF/lib/bomb.jar", patch_bomb_size);
    char err[WR_ERR_MAX] = "";
    struct zipdir_entry e;
    assert_int_equal(jar_find(outer, "BOOT-INF/lib/bomb.jar", &e, err), 1);
    assert_true(e.compressed_size < BOMB_BYTES / 100);
    assert_int_equal(e.size, 1000);

    struct jar *nested = SENTINEL;
    assert_int_equal(jar_open_nested_capped(&nested, outer, &e, "x", BOMB_CAP, err),
                     JAR_ERR_TOO_LARGE);
    assert_ptr_equal(nested, SENTINEL);
    assert_non_null(strstr(err, "BOOT-INF/lib/bomb.jar: inflates to more than the limit of "
                                "1048576 bytes (declared 1000)"));

    /* under the real cap it inflates in full, and the lie is corruption */
    assert_int_equal(jar_open_nested(&nested, outer, &e, "x", err), JAR_ERR_CORRUPT);
    assert_ptr_equal(nested, SENTINEL);
    assert_non_null(strstr(err, "bomb.jar: inflates to 8388608 bytes but declares 1000"));
    jar_free(outer);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_walk_find),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_open_directory),
        cmocka_unit_test(test_open_unreadable),
        cmocka_unit_test(test_open_fifo),
        cmocka_unit_test(test_open_empty),
        cmocka_unit_test(test_open_not_zip),
        cmocka_unit_test(test_open_truncated),
        cmocka_unit_test(test_read_entries),
        cmocka_unit_test(test_read_ahead),
        cmocka_unit_test(test_read_from_tail),
        cmocka_unit_test(test_read_over_cap),
        cmocka_unit_test(test_read_lying_size),
        cmocka_unit_test(test_read_damaged_data),
        cmocka_unit_test(test_read_encrypted),
        cmocka_unit_test(test_read_unsupported_method),
        cmocka_unit_test(test_read_bad_local_header),
        cmocka_unit_test(test_read_prefixed),
        cmocka_unit_test(test_read_data_descriptor),
        cmocka_unit_test(test_read_zip64_info_zip),
        cmocka_unit_test(test_nested_stored),
        cmocka_unit_test(test_nested_deflated),
        cmocka_unit_test(test_nested_not_zip),
        cmocka_unit_test(test_nested_stored_size_mismatch),
        cmocka_unit_test(test_nested_declared_too_large),
        cmocka_unit_test(test_nested_bomb),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
