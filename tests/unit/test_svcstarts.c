/*
 * test_svcstarts.c - the starts a service's log records (svcstarts.h): start markers with
 * their time (the line's, the envelope's, the line before's), the finished marker after
 * each, the newest SVCSTATE_STARTS_MAX kept, plain, gzip and svlogd files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "incident.h"
#include "svcstarts.h"
#include "util.h"

static char *write_tmp(const char *text, bool gzip)
{
    char *path = xstrdup("/tmp/wrench-test-starts-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    if (gzip) {
        gzFile gz = gzdopen(fd, "wb");
        assert_non_null(gz);
        assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
        gzclose(gz);
    } else {
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
    }
    return path;
}

static const char BOOT[] =
    "2026-12-07T10:00:00.000Z  INFO 1 --- [main] com.acme.App : Starting App v1.0 using Java "
    "17.0.2 with PID 1 (/app started by root)\n"
    "2026-12-07T10:00:05.152Z  INFO 1 --- [main] com.acme.App : Started App in 5.152 seconds "
    "(process running for 5.9)\n"
    "2026-12-07T11:00:00.000Z  INFO 2 --- [main] com.acme.App : Starting App v1.0 using Java "
    "17.0.2 with PID 2 (/app started by root)\n"
    "2026-12-07T11:00:01.000Z ERROR 2 --- [main] o.s.boot.SpringApplication : Application run "
    "failed\n"
    "2026-12-07T12:00:00.000Z  INFO 3 --- [main] com.acme.App : Starting App v1.0 using Java "
    "17.0.2 with PID 3 (/app started by root)\n";

static void check_boot(const struct start_list *l, const struct startmark *m)
{
    assert_int_equal(l->n, 3);
    assert_int_equal(l->total, 3);
    assert_int_equal(l->items[0].at_ms, incident_timestamp_ms("2026-12-07T10:00:00.000Z"));
    assert_int_equal(l->items[0].line, 1);
    assert_true(l->items[0].finished);
    assert_int_equal(l->items[0].finished_ms, incident_timestamp_ms("2026-12-07T10:00:05.152Z"));
    assert_int_equal(l->items[0].took_ms, 5152);
    /* a failed start never finished: the next start is not its end */
    assert_false(l->items[1].finished);
    assert_int_equal(l->items[1].line, 3);
    assert_false(l->items[2].finished);
    assert_int_equal(l->items[2].finished_ms, -1);
    assert_int_equal(l->items[2].at_ms, incident_timestamp_ms("2026-12-07T12:00:00.000Z"));
    /* startmark_scan's answers: no finished marker after the last start (line 5) */
    assert_false(m->finished);
    assert_int_equal(m->n_durations, 1);
    assert_int_equal(m->max_ms, 5152);
}

static void test_spring_boot_plain_and_gzip(void **state)
{
    (void)state;
    for (int gzip = 0; gzip < 2; gzip++) {
        char *path = write_tmp(BOOT, gzip);
        struct start_list l;
        struct startmark m;
        assert_int_equal(svcstarts_scan(path, 5, &l, &m), 0);
        check_boot(&l, &m);
        for (size_t i = 0; i < l.n; i++)
            assert_string_equal(l.items[i].file, path);
        start_list_clear(&l);
        /* finished after line 1: the first start's marker counts for `after` = 1 */
        assert_int_equal(svcstarts_scan(path, 1, &l, &m), 0);
        assert_true(m.finished);
        assert_int_equal(m.line, 2);
        assert_non_null(strstr(m.text, "Started App in 5.152 seconds"));
        start_list_clear(&l);
        unlink(path);
        free(path);
    }
}

/* Tomcat 7's java.util.logging records: the marker on the second line, the time on the
 * first. */
static void test_tomcat7_two_line_records(void **state)
{
    (void)state;
    char *path = write_tmp("Nov 27, 2026 2:19:18 AM org.apache.catalina.startup."
                           "VersionLoggerListener log\n"
                           "INFO: Server version: Apache Tomcat/7.0.109\n"
                           "Nov 27, 2026 2:19:20 AM org.apache.catalina.startup.Catalina start\n"
                           "INFO: Server startup in 1234 ms\n",
                           false);
    struct start_list l;
    struct startmark m;
    assert_int_equal(svcstarts_scan(path, 2, &l, &m), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].line, 2);
    assert_int_equal(l.items[0].at_ms, incident_timestamp_ms("Nov 27, 2026 2:19:18 AM"));
    assert_true(l.items[0].at_ms > 0);
    assert_true(l.items[0].finished);
    assert_int_equal(l.items[0].took_ms, 1234);
    assert_int_equal(l.items[0].finished_ms, incident_timestamp_ms("Nov 27, 2026 2:19:20 AM"));
    assert_true(m.finished);
    start_list_clear(&l);
    unlink(path);
    free(path);
}

/* svlogd -tt: the records have no time of their own; the envelope's is theirs. */
static void test_svlogd_envelope_times(void **state)
{
    (void)state;
    char *path = write_tmp("2026-12-07_10:00:00.12345 Starting App v1.0 using Java 17.0.2 with "
                           "PID 7 (/app started by root)\n"
                           "2026-12-07_10:00:09.50000 Started App in 9.1 seconds (process "
                           "running for 9.8)\n",
                           false);
    struct start_list l;
    struct startmark m;
    assert_int_equal(svcstarts_scan(path, 1, &l, &m), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].at_ms, incident_timestamp_ms("2026-12-07T10:00:00.12345Z"));
    assert_int_equal(l.items[0].finished_ms, incident_timestamp_ms("2026-12-07T10:00:09.50000Z"));
    assert_int_equal(l.items[0].took_ms, 9100);
    assert_true(m.finished);
    start_list_clear(&l);
    unlink(path);
    free(path);
}

static void test_newest_starts_kept(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    size_t n = SVCSTATE_STARTS_MAX + 7;
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&sb,
                      "2026-12-07T10:%02zu:%02zu.000Z  INFO 1 --- [main] com.acme.App : Starting "
                      "App v1.0 using Java 17.0.2 with PID %zu (/app started by root)\n",
                      i / 60, i % 60, i + 1);
    char *path = write_tmp(sb.data, true);
    strbuf_free(&sb);
    struct start_list l;
    struct startmark m;
    assert_int_equal(svcstarts_scan(path, 0, &l, &m), 0);
    assert_int_equal(l.total, n);
    assert_int_equal(l.n, SVCSTATE_STARTS_MAX);
    assert_int_equal(l.items[0].line, 8); /* the first seven dropped */
    assert_int_equal(l.items[l.n - 1].line, n);
    start_list_clear(&l);
    unlink(path);
    free(path);
    assert_int_equal(svcstarts_scan("/nonexistent/wrench.log", 0, &l, &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spring_boot_plain_and_gzip),
        cmocka_unit_test(test_tomcat7_two_line_records),
        cmocka_unit_test(test_svlogd_envelope_times),
        cmocka_unit_test(test_newest_starts_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
