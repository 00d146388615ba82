/*
 * test_report_dump.c - report_json_dump (the report's walk streamed as text by jsonw, no
 * tree) gives byte for byte what jansson's json_dumps gives for report_json_build's tree (the
 * same walk built as jansson values), on real scans: jars written with libzip (two versions of a library with
 * identical and differing classes, a manifest, a pom, a name with a quote and a control
 * byte), read with one thread and with two; and Debian's jars when /usr/share/java holds
 * some. Also how many threads the reader picks: one when the CPU affinity allows one CPU,
 * whatever the machine has, unless WRENCH_CP_THREADS asks.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <zip.h>

#include "pipeline.h"
#include "reader.h"
#include "report_json.h"
#include "util.h"

#define N_CLASSES 40

static char dir[] = "/tmp/wrench-report-dump-XXXXXX";

static void write_jar(const char *name, const char *variant, int first, int count, const char *pom)
{
    char *path = path_join(dir, name);
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(za);
    char *texts[N_CLASSES + 3];
    size_t n_texts = 0;
    const char *mf = "Manifest-Version: 1.0\r\nImplementation-Title: acme \"q\" \x01lib\r\n\r\n";
    zip_source_t *src = zip_source_buffer(za, mf, strlen(mf), 0);
    assert_true(zip_file_add(za, "META-INF/MANIFEST.MF", src, 0) >= 0);
    if (pom) {
        src = zip_source_buffer(za, pom, strlen(pom), 0);
        assert_true(zip_file_add(za, "META-INF/maven/com.acme/acme/pom.properties", src, 0) >= 0);
    }
    for (int i = first; i < first + count; i++) {
        char name_buf[64];
        snprintf(name_buf, sizeof name_buf, "com/acme/C%02d.class", i);
        /* classes below 20 are the same in every jar, the others differ per variant */
        texts[n_texts] = xasprintf("\xca\xfe\xba\xbe class %d %s", i, i < 20 ? "same" : variant);
        src = zip_source_buffer(za, texts[n_texts], strlen(texts[n_texts]), 0);
        n_texts++;
        assert_true(zip_file_add(za, name_buf, src, 0) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    for (size_t i = 0; i < n_texts; i++)
        free(texts[i]);
    free(path);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    write_jar("acme-1.0.jar", "v1", 0, N_CLASSES,
              "groupId=com.acme\nartifactId=acme\nversion=1.0\n");
    write_jar("acme-2.0.jar", "v2", 0, N_CLASSES,
              "groupId=com.acme\nartifactId=acme\nversion=2.0\n");
    write_jar("shaded \"x\".jar", "v1", 10, 20, NULL);
    for (int k = 0; k < 10; k++) { /* enough jars for the second thread to read ahead */
        char name[32], variant[16];
        snprintf(name, sizeof name, "extra-%d.jar", k);
        snprintf(variant, sizeof variant, "e%d", k);
        write_jar(name, variant, 15, 10, NULL);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

/* Scan `classpath` and compare the two ways of writing the report. */
static void assert_dump_is_jansson(const char *classpath)
{
    struct scan_target target = {TARGET_CLASSPATH, classpath};
    struct scan_request req = {.targets = &target, .n_targets = 1};
    struct scan *scan = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(pipeline_run(&req, NULL, NULL, &scan, err), 0);
    assert_true(scan->n_conflicts > 0);
    char *got = report_json_dump(scan);
    json_t *tree = report_json_build(scan);
    char *text = json_dumps(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_non_null(text);
    char *want = xasprintf("%s\n", text);
    assert_string_equal(got, want);
    free(text);
    free(want);
    free(got);
    json_decref(tree);
    scan_free(scan);
}

static void test_generated_jars(void **state)
{
    (void)state;
    char *cp = xasprintf("%s/*", dir);
    for (unsigned threads = 1; threads <= 2; threads++) {
        reader_set_threads(threads);
        assert_dump_is_jansson(cp);
    }
    reader_set_threads(0);
    free(cp);
}

static void test_debian_jars(void **state)
{
    (void)state;
    if (access("/usr/share/java", R_OK) != 0) {
        skip();
        return;
    }
    char *cp = xasprintf("/usr/share/java/*:%s/*", dir);
    assert_dump_is_jansson(cp);
    free(cp);
}

static void test_threads_follow_the_cpus(void **state)
{
    (void)state;
    cpu_set_t all, one;
    assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
    unsigned first = 0;
    while (!CPU_ISSET(first, &all))
        first++;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    unsetenv("WRENCH_CP_THREADS");
    reader_set_threads(0);
    assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
    assert_int_equal(reader_threads(), 1); /* a container limited to one CPU */
    setenv("WRENCH_CP_THREADS", "2", 1);
    assert_int_equal(reader_threads(), 2); /* asked for */
    setenv("WRENCH_CP_THREADS", "9", 1);
    assert_int_equal(reader_threads(), READER_MAX_THREADS);
    setenv("WRENCH_CP_THREADS", "x", 1); /* not a number: as if not set */
    assert_int_equal(reader_threads(), 1);
    unsetenv("WRENCH_CP_THREADS");
    reader_set_threads(1);
    assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
    assert_int_equal(reader_threads(), 1);
    reader_set_threads(0);
    unsigned n = reader_threads();
    assert_true(n >= 1 && n <= READER_MAX_THREADS);
    if (CPU_COUNT(&all) == 1)
        assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_follow_the_cpus),
        cmocka_unit_test(test_generated_jars),
        cmocka_unit_test(test_debian_jars),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
