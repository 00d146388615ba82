/*
 * test_envelope.c - unit tests for envelope.c: recognising formats, stripping
 * svlogd, CRI and Docker envelopes (partials joined per stream), turning one
 * real-looking record of each JSON layout into Java log text, and the records
 * reaching logscan's splitter as whole events with the envelope's time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "envelope.h"
#include "logscan.h"
#include "mutate.h"
#include "rules.h"
#include "util.h"

#define MAX_RECORDS 16

struct records {
    size_t n;
    char *text[MAX_RECORDS];
    char *ts[MAX_RECORDS];
    uint64_t line[MAX_RECORDS];
    bool from_stderr[MAX_RECORDS];
    bool whole[MAX_RECORDS];
};

static void collect(const struct envelope_record *rec, void *ctx)
{
    struct records *r = ctx;
    assert_true(r->n < MAX_RECORDS);
    r->text[r->n] = xstrndup(rec->text, rec->len);
    r->ts[r->n] = xstrdup(rec->timestamp);
    r->line[r->n] = rec->line;
    r->from_stderr[r->n] = rec->from_stderr;
    r->whole[r->n] = rec->whole;
    r->n++;
}

static void records_free(struct records *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->text[i]);
        free(r->ts[i]);
    }
    memset(r, 0, sizeof(*r));
}

/* Decode `text` as `format`, fed `piece` bytes at a time (chunk boundaries). */
static void decode(struct records *r, enum log_format format, const char *text, size_t piece)
{
    memset(r, 0, sizeof(*r));
    struct envelope_decoder *d = envelope_decoder_new(format, collect, r);
    size_t len = strlen(text);
    for (size_t off = 0; off < len; off += piece)
        envelope_decoder_feed(d, text + off, len - off < piece ? len - off : piece);
    envelope_decoder_finish(d);
    envelope_decoder_free(d);
}

static void test_detect(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum log_format want;
    } cases[] = {
        {"@400000006b1659ad35da56bc 2026-12-07 07:00:51.903 INFO x\n", LOG_FORMAT_SVLOGD},
        {"2026-12-07_07:00:51.90618 hello\n", LOG_FORMAT_SVLOGD},
        {"\n2026-12-07T10:00:00.123456789Z stderr F Exception in thread \"main\"\n",
         LOG_FORMAT_CRI},
        {"2026-12-07T10:00:00.123456789+01:00 stdout P part\n", LOG_FORMAT_CRI},
        {"{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T10:00:00.1Z\"}\n",
         LOG_FORMAT_DOCKER},
        {"{\"@timestamp\":\"2026-12-07T10:00:00.123Z\",\"log.level\":\"INFO\",\"message\":\"hi\"}",
         LOG_FORMAT_JSON},
        /* Spring Boot's banner goes out before structured logging starts */
        {"  .   ____          _\n :: Spring Boot ::   (v3.4.0)\n\n"
         "{\"@timestamp\":\"2026-12-07T10:00:00.123Z\",\"level\":\"INFO\",\"message\":\"hi\"}\n",
         LOG_FORMAT_JSON},
        {"2026-12-07 10:00:00.123 INFO [main] x - hello\n", LOG_FORMAT_PLAIN},
        {"2026-12-07T10:00:00.123Z INFO [main] x - hello\n", LOG_FORMAT_PLAIN},
        /* an envelope counts only on the first line; JSON that is no log record not at all */
        {"hello\n@400000006b1659ad35da56bc x\n", LOG_FORMAT_PLAIN},
        {"{\"foo\": 1}\n[1, 2]\n{broken\n", LOG_FORMAT_PLAIN},
        {"@4000000063a1b2c3 short\n", LOG_FORMAT_PLAIN},
        {"", LOG_FORMAT_PLAIN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum log_format got = envelope_detect(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].want)
            fail_msg("case %zu: %s, not %s", i, log_format_name(got),
                     log_format_name(cases[i].want));
    }
    enum log_format f;
    assert_int_equal(log_format_parse("cri", &f), 0);
    assert_int_equal(f, LOG_FORMAT_CRI);
    assert_int_equal(log_format_parse("xml", &f), -1);
    assert_string_equal(log_format_name(LOG_FORMAT_COUNT), "unknown");
}

static void test_svlogd(void **state)
{
    (void)state;
    struct records r;
    /* svlogd -t: TAI64N is 2^62 + 10 + unix seconds, then nanoseconds */
    decode(&r, LOG_FORMAT_SVLOGD,
           "@400000006b1659ad35da56bc Exception in thread \"main\" java.lang.Error\r\n"
           "@400000006b1659ad35da56bc \tat com.acme.Main.main(Main.java:3)\n"
           "2026-12-07_07:00:52.12345 -tt stamp\n"
           "no stamp at all\n"
           "@400000006b1659ad35da56bc",
           7);
    assert_int_equal(r.n, 5);
    assert_string_equal(r.text[0], "Exception in thread \"main\" java.lang.Error");
    assert_string_equal(r.ts[0], "2026-12-07T07:00:51.903501Z");
    assert_string_equal(r.text[1], "\tat com.acme.Main.main(Main.java:3)");
    assert_string_equal(r.text[2], "-tt stamp");
    assert_string_equal(r.ts[2], "2026-12-07T07:00:52.12345Z");
    assert_string_equal(r.text[3], "no stamp at all");
    assert_string_equal(r.ts[3], "");
    assert_string_equal(r.text[4], "@400000006b1659ad35da56bc"); /* no space: no envelope */
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(r.line[i], i + 1);
        assert_false(r.whole[i]);
    }
    size_t start;
    assert_int_equal(logscan_timestamp(r.ts[0], strlen(r.ts[0]), &start), strlen(r.ts[0]));
    assert_int_equal(logscan_epoch(r.ts[0]), 1796626851);
    records_free(&r);
}

static void test_cri_partials_per_stream(void **state)
{
    (void)state;
    struct records r;
    for (size_t piece = 1; piece <= 64; piece *= 4) {
        decode(&r, LOG_FORMAT_CRI,
               "2026-12-07T10:00:00.000000001Z stdout P 2026-12-07 10:00:00.000 ERROR [main] "
               "x - a long \n"
               "2026-12-07T10:00:00.000000002Z stderr F java.lang.IllegalStateException: boom\n"
               "2026-12-07T10:00:00.000000003Z stdout P line cut \n"
               "2026-12-07T10:00:00.000000004Z stdout F in three\n"
               "2026-12-07T10:00:00.000000005Z stdout F \n"
               "not CRI\n"
               "2026-12-07T10:00:00.000000006Z stderr P never finished",
               piece);
        assert_int_equal(r.n, 5);
        assert_string_equal(r.text[0], "java.lang.IllegalStateException: boom");
        assert_true(r.from_stderr[0]);
        assert_int_equal(r.line[0], 2);
        assert_string_equal(r.text[1],
                            "2026-12-07 10:00:00.000 ERROR [main] x - a long line cut in three");
        assert_false(r.from_stderr[1]);
        assert_int_equal(r.line[1], 1);
        assert_string_equal(r.ts[1], "2026-12-07T10:00:00.000000001Z");
        assert_string_equal(r.text[2], ""); /* an empty line */
        assert_string_equal(r.text[3], "not CRI");
        assert_string_equal(r.ts[3], "");
        assert_string_equal(r.text[4], "never finished");
        assert_true(r.from_stderr[4]);
        assert_int_equal(r.line[4], 7);
        records_free(&r);
    }
}

static void test_docker_partials_and_escapes(void **state)
{
    (void)state;
    struct records r;
    decode(&r, LOG_FORMAT_DOCKER,
           "{\"log\":\"\\u003cinit\\u003e \\\"quoted\\\" \\u0026 \",\"stream\":\"stderr\","
           "\"time\":\"2026-12-07T10:00:00.1Z\"}\n"
           "{\"log\":\"INFO in "
           "between\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T10:00:00.2Z\"}\n"
           "{\"log\":\"\\tat caf\\u00e9.Main.main(Main.java:3)\\r\\n\",\"stream\":\"stderr\","
           "\"time\":\"2026-12-07T10:00:00.3Z\"}\n"
           "{\"log\":\"broken\n"
           "{\"log\":\"no time\\n\",\"stream\":\"stdout\",\"time\":\"yesterday\"}\n",
           5);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.text[0], "INFO in between");
    assert_string_equal(r.text[1], "<init> \"quoted\" & \tat caf\xc3\xa9.Main.main(Main.java:3)");
    assert_true(r.from_stderr[1]);
    assert_int_equal(r.line[1], 1);
    assert_string_equal(r.ts[1], "2026-12-07T10:00:00.1Z");
    assert_string_equal(r.text[2], "{\"log\":\"broken"); /* not JSON: as it is */
    assert_string_equal(r.text[3], "no time");
    assert_string_equal(r.ts[3], "");
    records_free(&r);
}

/* One real-looking record per layout, as its writer's source lays it out, and the text
 * it must become. */
static const struct {
    const char *layout;
    const char *json;
    const char *text;
} layouts[] = {
    {"Spring Boot ECS (flat, 3.4)",
     "{\"@timestamp\":\"2026-12-07T10:00:01.002Z\",\"log.level\":\"ERROR\",\"process.pid\":7,"
     "\"process.thread.name\":\"main\",\"service.name\":\"shop\",\"log.logger\":"
     "\"org.springframework.boot.SpringApplication\",\"message\":\"Application run failed\","
     "\"error.type\":\"java.lang.NoSuchMethodError\",\"error.message\":\"'java.lang.String "
     "com.acme.util.Strings.whisper(java.lang.String)'\",\"error.stack_trace\":"
     "\"java.lang.NoSuchMethodError: 'java.lang.String com.acme.util.Strings.whisper(java.lang."
     "String)'\\n\\tat com.acme.app.Main.main(Main.java:16)\\n\",\"ecs.version\":\"8.11\"}",
     "2026-12-07T10:00:01.002Z ERROR [main] org.springframework.boot.SpringApplication - "
     "Application run failed\n"
     "java.lang.NoSuchMethodError: 'java.lang.String "
     "com.acme.util.Strings.whisper(java.lang.String)'\n"
     "\tat com.acme.app.Main.main(Main.java:16)"},
    {"ECS nested",
     "{\"@timestamp\":\"2026-12-07T10:00:01.002Z\",\"log\":{\"level\":\"warn\",\"logger\":"
     "\"com.acme.Pool\"},\"process\":{\"thread\":{\"name\":\"pool-1\"}},\"message\":\"slow\","
     "\"error\":{\"type\":\"java.util.concurrent.TimeoutException\",\"message\":\"30 s\"}}",
     "2026-12-07T10:00:01.002Z WARN [pool-1] com.acme.Pool - slow\n"
     "java.util.concurrent.TimeoutException: 30 s"},
    {"Logstash (logstash-logback-encoder, Spring Boot logstash)",
     "{\"@timestamp\":\"2026-12-07T11:00:01.002+01:00\",\"@version\":\"1\",\"message\":"
     "\"batch failed\",\"logger_name\":\"com.acme.Worker\",\"thread_name\":\"worker-2\","
     "\"level\":\"ERROR\",\"level_value\":40000,\"stack_trace\":\"java.lang.OutOfMemoryError: "
     "Java heap space\\n\\tat com.acme.Worker.load(Worker.java:42)\\n\"}",
     "2026-12-07T11:00:01.002+01:00 ERROR [worker-2] com.acme.Worker - batch failed\n"
     "java.lang.OutOfMemoryError: Java heap space\n\tat com.acme.Worker.load(Worker.java:42)"},
    {"Spring Boot GELF",
     "{\"version\":\"1.1\",\"short_message\":\"Application run failed\",\"timestamp\":"
     "1796637601.002,\"level\":3,\"_level_name\":\"ERROR\",\"_process_pid\":7,"
     "\"_process_thread_name\":\"main\",\"_log_logger\":\"o.s.boot.SpringApplication\","
     "\"full_message\":\"Application run failed\\n\\njava.lang.IllegalStateException: x\\n\\tat "
     "com.acme.App.main(App.java:9)\\n\",\"_error_type\":\"java.lang.IllegalStateException\","
     "\"_error_stack_trace\":\"java.lang.IllegalStateException: x\\n\\tat "
     "com.acme.App.main(App.java:9)\\n\",\"_error_message\":\"x\"}",
     "2026-12-07T10:00:01.002000Z ERROR [main] o.s.boot.SpringApplication - Application run "
     "failed\njava.lang.IllegalStateException: x\n\tat com.acme.App.main(App.java:9)"},
    {"Log4j2 JsonTemplateLayout GelfLayout.json",
     "{\"version\":\"1.1\",\"host\":\"web-1\",\"short_message\":\"request failed\","
     "\"full_message\":\"java.net.SocketTimeoutException: Read timed out\\n\\tat "
     "com.acme.Client.get(Client.java:5)\",\"timestamp\":1796637601.5,\"level\":4,"
     "\"_logger\":\"com.acme.Client\",\"_thread\":\"http-1\"}",
     "2026-12-07T10:00:01.500000Z WARN [http-1] com.acme.Client - request failed\n"
     "java.net.SocketTimeoutException: Read timed out\n\tat com.acme.Client.get(Client.java:5)"},
    {"Log4j2 JsonLayout",
     "{\"instant\":{\"epochSecond\":1796637601,\"nanoOfSecond\":2000000},\"thread\":\"main\","
     "\"level\":\"ERROR\",\"loggerName\":\"com.acme.App\",\"message\":\"start failed\","
     "\"thrown\":{\"commonElementCount\":0,\"localizedMessage\":\"boom\",\"message\":\"boom\","
     "\"name\":\"java.lang.IllegalStateException\",\"cause\":{\"commonElementCount\":1,"
     "\"message\":\"com/acme/Missing\",\"name\":\"java.lang.NoClassDefFoundError\","
     "\"extendedStackTrace\":[{\"class\":\"com.acme.App\",\"method\":\"repo\",\"file\":"
     "\"App.java\",\"line\":20,\"exact\":false,\"location\":\"classes/\",\"version\":\"?\"}]},"
     "\"extendedStackTrace\":[{\"class\":\"com.acme.App\",\"method\":\"main\",\"file\":"
     "\"App.java\",\"line\":9,\"exact\":true,\"location\":\"classes/\",\"version\":\"?\"},"
     "{\"class\":\"jdk.internal.reflect.NativeMethodAccessorImpl\",\"method\":\"invoke0\","
     "\"line\":-2,\"exact\":false}]},\"endOfBatch\":false,\"loggerFqcn\":"
     "\"org.apache.logging.log4j.spi.AbstractLogger\",\"threadId\":1,\"threadPriority\":5}",
     "2026-12-07T10:00:01.002000Z ERROR [main] com.acme.App - start failed\n"
     "java.lang.IllegalStateException: boom\n"
     "\tat com.acme.App.main(App.java:9)\n"
     "\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n"
     "Caused by: java.lang.NoClassDefFoundError: com/acme/Missing\n"
     "\tat com.acme.App.repo(App.java:20)"},
    {"Log4j2 JsonLayout timeMillis, stacktraceAsString",
     "{\"timeMillis\":1796637601002,\"thread\":\"main\",\"level\":\"FATAL\",\"loggerName\":"
     "\"com.acme.App\",\"message\":\"dead\",\"thrown\":{\"name\":\"java.lang.Error\","
     "\"extendedStackTrace\":\"java.lang.Error: dead\\n\\tat com.acme.App.main(App.java:1)\"}}",
     "2026-12-07T10:00:01.002000Z FATAL [main] com.acme.App - dead\n"
     "java.lang.Error: dead\n\tat com.acme.App.main(App.java:1)"},
    {"message only", "{\"message\":\"hello\\tworld\"}", " - hello\tworld"},
};

static void test_json_layouts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        struct strbuf out = {0};
        char ts[ENVELOPE_TS_MAX];
        if (envelope_json_record(layouts[i].json, strlen(layouts[i].json), &out, ts) != 0)
            fail_msg("%s: not read as a record", layouts[i].layout);
        if (strcmp(out.data, layouts[i].text) != 0)
            fail_msg("%s:\n%s\nnot\n%s", layouts[i].layout, out.data, layouts[i].text);
        size_t start, n = logscan_timestamp(out.data, out.len, &start);
        if (ts[0] && (n != strlen(ts) || logscan_epoch(ts) < 0))
            fail_msg("%s: time %s is not one logscan reads", layouts[i].layout, ts);
        strbuf_free(&out);
    }
    static const char *const not_records[] = {"",
                                              "{",
                                              "[1,2]",
                                              "{}",
                                              "{\"foo\":1}",
                                              "{\"message\":1}",
                                              "\"message\"",
                                              "{\"a\":}",
                                              "{\"message\":\"x\"} trailing",
                                              "{\"message\":\"\\ud800\"}"};
    for (size_t i = 0; i < sizeof(not_records) / sizeof(not_records[0]); i++) {
        struct strbuf out = {0};
        char ts[ENVELOPE_TS_MAX] = "unchanged";
        if (envelope_json_record(not_records[i], strlen(not_records[i]), &out, ts) == 0)
            fail_msg("'%s' read as a record", not_records[i]);
        assert_int_equal(out.len, 0);
        assert_string_equal(ts, "unchanged");
        strbuf_free(&out);
    }
}

/* ---- through the splitter and the scanner ---- */

struct events {
    size_t n;
    char *text[MAX_RECORDS];
    char *ts[MAX_RECORDS];
    uint64_t line[MAX_RECORDS];
};

static void collect_event(const struct log_event *ev, void *ctx)
{
    struct events *e = ctx;
    assert_true(e->n < MAX_RECORDS);
    e->text[e->n] = xstrdup(ev->text);
    e->ts[e->n] = xstrdup(ev->timestamp);
    e->line[e->n] = ev->line;
    e->n++;
}

static void test_splitter_records(void **state)
{
    (void)state;
    struct events e = {0};
    struct logscan_splitter *sp = logscan_splitter_new(collect_event, &e);
    /* a headless uncaught exception takes its envelope's time; its frames continue it */
    const char *a = "Exception in thread \"main\" java.lang.Error: x";
    logscan_splitter_feed_record(sp, a, strlen(a), "2026-12-07T10:00:00.1Z", 3, false);
    const char *b = "\tat com.acme.Main.main(Main.java:3)";
    logscan_splitter_feed_record(sp, b, strlen(b), "2026-12-07T10:00:00.2Z", 4, false);
    /* a whole record stays one event even when a message line looks like a header */
    const char *c = "2026-12-07T10:00:01.000Z INFO [main] x - report:\n"
                    "2026-12-07 10:00:00,000 is when it began\nSLF4J: not a new event";
    logscan_splitter_feed_record(sp, c, strlen(c), "", 9, true);
    /* a whole record without a time of its own takes the envelope's */
    const char *d = "ERROR [main] x - no time";
    logscan_splitter_feed_record(sp, d, strlen(d), "2026-12-07T10:00:02.5Z", 10, true);
    logscan_splitter_finish(sp);
    logscan_splitter_free(sp);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.text[0], "Exception in thread \"main\" java.lang.Error: x\n"
                                   "\tat com.acme.Main.main(Main.java:3)");
    assert_string_equal(e.ts[0], "2026-12-07T10:00:00.1Z");
    assert_int_equal(e.line[0], 3);
    assert_string_equal(e.ts[1], "2026-12-07T10:00:01.000Z");
    assert_int_equal(e.line[1], 9);
    assert_non_null(strstr(e.text[1], "SLF4J: not a new event"));
    assert_string_equal(e.ts[2], "2026-12-07T10:00:02.5Z");
    assert_int_equal(e.line[2], 10);
    for (size_t i = 0; i < e.n; i++) {
        free(e.text[i]);
        free(e.ts[i]);
    }
}

static void test_scan_cri_and_json_buffers(void **state)
{
    (void)state;
    struct rule_set *rules;
    char err[WR_ERR_MAX];
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report report = {0};
    struct logscan *ls = logscan_new(rules, &report);
    /* an OutOfMemoryError on stderr, cut by stdout lines and into P parts */
    const char *cri =
        "2026-12-07T10:00:00.000000001Z stderr F 2026-12-07 10:00:00,000 ERROR [main] "
        "com.acme.Worker - batch failed\n"
        "2026-12-07T10:00:00.000000002Z stdout F 2026-12-07 10:00:00,001 INFO [t] x - tick\n"
        "2026-12-07T10:00:00.000000003Z stderr P java.lang.OutOfMemory\n"
        "2026-12-07T10:00:00.000000004Z stderr F Error: Java heap space\n"
        "2026-12-07T10:00:00.000000005Z stdout F 2026-12-07 10:00:00,002 INFO [t] x - tick\n"
        "2026-12-07T10:00:00.000000006Z stderr F \tat com.acme.Worker.load(Worker.java:42)\n";
    logscan_buffer(ls, "cri.log", cri, strlen(cri), LOG_KIND_APP);
    const char *json = "{\"@timestamp\":\"2026-12-07T10:00:00.000Z\",\"log.level\":\"ERROR\","
                       "\"message\":\"batch failed\",\"error.stack_trace\":\"java.lang."
                       "OutOfMemoryError: Java heap space\\n\\tat com.acme.Worker.load(Worker."
                       "java:42)\\n\"}\n"
                       "{\"@timestamp\":\"2026-12-07T10:00:01.000Z\",\"log.level\":\"INFO\","
                       "\"message\":\"next\"}\n";
    logscan_buffer(ls, "app.json", json, strlen(json), LOG_KIND_APP);
    logscan_finish(ls);
    assert_int_equal(report.n_files, 2);
    assert_int_equal(report.files[0].format, LOG_FORMAT_CRI);
    assert_int_equal(report.files[0].lines, 6);
    assert_int_equal(report.files[1].format, LOG_FORMAT_JSON);
    assert_int_equal(report.files[1].lines, 2);
    assert_int_equal(report.files[1].events, 2);
    /* the same failure in both files: one group, as from two plain logs */
    assert_int_equal(report.n_findings, 1);
    const struct log_finding *f = &report.findings[0];
    assert_string_equal(f->rule_id, "memory.heap-space");
    assert_int_equal(f->count, 2);
    assert_string_equal(f->file, "cri.log");
    assert_int_equal(f->line, 1);
    assert_string_equal(f->sample, "2026-12-07 10:00:00,000 ERROR [main] com.acme.Worker - batch "
                                   "failed\njava.lang.OutOfMemoryError: Java heap space\n"
                                   "\tat com.acme.Worker.load(Worker.java:42)");
    assert_string_equal(f->root_cause, "java.lang.OutOfMemoryError: Java heap space");
    assert_string_equal(f->first_seen, "2026-12-07 10:00:00,000");
    assert_string_equal(f->last_seen, "2026-12-07T10:00:00.000Z");
    logscan_free(ls);
    log_report_clear(&report);
    rules_free(rules);
}

/* ---- the fast path's JSON shortcut (envelope_decoder_set_skip) ---- */

struct one_record {
    int n;
    bool raw, whole;
    struct strbuf text;
};

static void keep_one(const struct envelope_record *rec, void *ctx)
{
    struct one_record *o = ctx;
    o->n++;
    o->raw = rec->raw;
    o->whole = rec->whole;
    o->text.len = 0;
    strbuf_append(&o->text, rec->text, rec->len);
}

/* The line through a JSON-lines decoder, with the shortcut (skip) or without. */
static void decode_one(const char *line, size_t len, const struct envelope_json_skip *skip,
                       struct one_record *o)
{
    struct envelope_decoder *d = envelope_decoder_new(LOG_FORMAT_JSON, keep_one, o);
    if (skip)
        envelope_decoder_set_skip(d, skip);
    o->n = 0;
    char *whole = xmalloc(len + 1); /* in one piece: a line cut between feeds is decoded */
    memcpy(whole, line, len);
    whole[len] = '\n';
    envelope_decoder_feed(d, whole, len + 1);
    free(whole);
    envelope_decoder_finish(d);
    envelope_decoder_free(d);
}

/* A line passed on undecoded must be exactly a record the decoder would have decoded, and
 * any other line must come out as it does without the shortcut. */
static bool agrees(const char *line, size_t len, const struct envelope_json_skip *skip, bool *raw)
{
    struct one_record with = {0}, without = {0};
    decode_one(line, len, skip, &with);
    decode_one(line, len, NULL, &without);
    bool ok = with.n == 1 && without.n == 1;
    *raw = with.raw;
    if (ok && with.raw) {
        struct strbuf dec = {0};
        char ts[ENVELOPE_TS_MAX];
        ok = without.whole && envelope_json_record(with.text.data, with.text.len, &dec, ts) == 0 &&
             dec.len == without.text.len && memcmp(dec.data, without.text.data, dec.len) == 0;
        strbuf_free(&dec);
    } else if (ok) {
        ok = with.whole == without.whole && with.text.len == without.text.len &&
             memcmp(with.text.data ? with.text.data : "",
                    without.text.data ? without.text.data : "", with.text.len) == 0;
    }
    strbuf_free(&with.text);
    strbuf_free(&without.text);
    return ok;
}

static void test_json_skip_agrees_with_the_decoder(void **state)
{
    (void)state;
    const char *never[] = {"zqxjwv"};
    size_t never_len[] = {6};
    struct envelope_json_skip *skip = envelope_json_skip_new(never, never_len, 1);
    assert_non_null(skip);
    static const char *const lines[] = {
        "{\"@timestamp\":\"2026-12-07T10:00:00.000Z\",\"level\":\"INFO\",\"message\":\"ok\"}",
        "{\"message\":\"a \\\"quoted\\\" \\/ \\\\ \\t tab\\nline two\",\"thread_name\":\"main\"}",
        "  {\"level\":3,\"short_message\":\"gelf\",\"timestamp\":1795741200.5}",
        "{\"level\":\"\",\"message\":\"\"}",
        "{\"level\":\"\",\"message\":\"\",\"msg\":\"late\"}",
        "{\"message\":\"x\",\"message\":\"\"}",
        "{\"level\":7}",
        "{\"level\":7.5}",
        "{\"level\":-0,\"n\":1e5,\"m\":-1.25E-3,\"t\":true,\"f\":false,\"z\":null}",
        "{\"message\":\"\xc3\xa9t\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\"}",
        "{\"message\":\"bad \xc3\x28 utf8\"}",
        "{\"message\":\"overlong \xc0\xaf\"}",
        "{\"message\":\"surrogate \xed\xa0\x80\"}",
        "{\"message\":\"ctl \x01\"}",
        "{\"message\":\"esc \\u0041\"}",
        "{\"log\":{\"level\":\"WARN\"},\"message\":\"nested\"}",
        "{\"message\":\"x\"} trailing",
        "{\"message\":\"x\"}   ",
        "{\"message\":\"x\",}",
        "{\"message\" \"x\"}",
        "{\"n\":01,\"message\":\"x\"}",
        "{\"n\":1234567890123456789012,\"message\":\"x\"}",
        "{\"n\":1e400,\"message\":\"x\"}",
        "{}",
        "{\"other\":\"json\"}",
        "[1,2]",
        "not json at all",
        "{\"message\":\"unterminated",
        "{\"time\":1795741200123,\"message\":\"big time\"}",
        "{\"@timestamp\":\"2026\",\"log.level\":\"error\",\"error.type\":\"java.lang.X\","
        "\"error.message\":\"boom\",\"message\":\"m\"}",
    };
    size_t raw_count = 0;
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        bool raw;
        if (!agrees(lines[i], strlen(lines[i]), skip, &raw))
            fail_msg("line %zu differs: %s", i, lines[i]);
        raw_count += raw;
    }
    assert_true(raw_count >= 8); /* the shortcut is taken where it can be */
    /* mutations of those lines: every byte changed, cut, doubled */
    static const char alphabet[] = "{}[]\":,\\u0e.-+ tfnl\x01\x7f\x80\xc3\xa9\xed\xff";
    uint32_t seed = 12345;
    char buf[512];
    for (size_t round = 0; round < 20000; round++) {
        const char *base = lines[round % (sizeof(lines) / sizeof(lines[0]))];
        size_t n = strlen(base);
        memcpy(buf, base, n);
        for (int m = 0; m < 3; m++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % (n + 1);
            char c = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
            if ((seed >> 4) % 3 == 0 && n < sizeof(buf) - 1) { /* insert */
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = c;
                n++;
            } else if ((seed >> 4) % 3 == 1 && at < n) { /* replace */
                buf[at] = c;
            } else if (at < n) { /* delete */
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
            }
        }
        size_t k = 0;
        while (k < n && buf[k] != '\n')
            k++;
        bool raw;
        if (!agrees(buf, k, skip, &raw))
            fail_msg("mutation %zu differs: %.*s", round, (int)k, buf);
    }
    envelope_json_skip_free(skip);
}

static void test_json_skip_tokens(void **state)
{
    (void)state;
    const char *lits[] = {"APPLICATION FAILED TO START", "NoSuchMethodError"};
    size_t lens[] = {strlen(lits[0]), strlen(lits[1])};
    struct envelope_json_skip *skip = envelope_json_skip_new(lits, lens, 2);
    assert_non_null(skip);
    bool raw;
    const char *plain = "{\"level\":\"INFO\",\"message\":\"served\"}";
    assert_true(agrees(plain, strlen(plain), skip, &raw) && raw);
    /* a token of a literal in the line: decoded */
    const char *token = "{\"level\":\"ERROR\",\"message\":\"java.lang.NoSuchMethodError: x\"}";
    assert_true(agrees(token, strlen(token), skip, &raw) && !raw);
    /* one token of each literal is not enough for it, yet the line is decoded only when
     * every token of some literal is there */
    const char *half = "{\"level\":\"INFO\",\"message\":\"APPLICATION started\"}";
    assert_true(agrees(half, strlen(half), skip, &raw) && raw);
    /* a level the decoder writes in capitals may spell a token */
    const char *level = "{\"level\":\"application\",\"message\":\"failed to start\"}";
    assert_true(agrees(level, strlen(level), skip, &raw) && !raw);
    envelope_json_skip_free(skip);
    /* a literal without a token (the decoder's own words): no shortcut at all */
    const char *words[] = {"Caused by: "};
    size_t words_len[] = {11};
    assert_null(envelope_json_skip_new(words, words_len, 1));
}

/* ---- Docker lines read without jansson (docker_flat) ---- */

struct docker_seen {
    int n;
    struct strbuf text;
    char ts[ENVELOPE_TS_MAX];
    bool from_stderr, whole;
};

static void keep_docker(const struct envelope_record *rec, void *ctx)
{
    struct docker_seen *o = ctx;
    o->n++;
    o->text.len = 0;
    strbuf_append(&o->text, rec->text, rec->len);
    snprintf(o->ts, sizeof(o->ts), "%s", rec->timestamp);
    o->from_stderr = rec->from_stderr;
    o->whole = rec->whole;
}

/* What the decoder must make of one Docker line, told by jansson: the log (its final newline
 * and carriage return dropped), or the line itself when it is not a Docker object. */
static bool docker_expected(const char *line, size_t len, struct strbuf *text, bool *from_stderr,
                            char *time_out)
{
    json_error_t jerr;
    json_t *obj = len && line[0] == '{' ? json_loadb(line, len, 0, &jerr) : NULL;
    json_t *log = json_object_get(obj, "log"), *stream = json_object_get(obj, "stream");
    json_t *t = json_object_get(obj, "time");
    text->len = 0;
    if (!json_is_string(log) || !json_is_string(stream) || !json_is_string(t)) {
        json_decref(obj);
        strbuf_append(text, line, len);
        *from_stderr = false;
        time_out[0] = '\0';
        return false;
    }
    size_t n = json_string_length(log);
    const char *s = json_string_value(log);
    if (n && s[n - 1] == '\n' && --n && s[n - 1] == '\r')
        n--;
    strbuf_append(text, s, n);
    *from_stderr = strcmp(json_string_value(stream), "stderr") == 0;
    snprintf(time_out, ENVELOPE_TS_MAX, "%s", json_string_value(t));
    json_decref(obj);
    return true;
}

static void test_docker_without_jansson_agrees(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "{\"log\":\"2026-12-07 10:00:00,000 INFO [main] c.a.App - up\\n\",\"stream\":\"stdout\","
        "\"time\":\"2026-12-07T10:00:00.123456789Z\"}",
        "{\"log\":\"\\tat "
        "com.acme.Foo.\\u003cinit\\u003e(Foo.java:1)\\r\\n\",\"stream\":\"stderr\","
        "\"time\":\"2026-12-07T10:00:01.5Z\"}",
        "{\"log\":\"caf\xc3\xa9 \\u00e9\\u4e2d \\\"q\\\" \\\\ \\/ "
        "\\b\\f\\t\\n\",\"stream\":\"stdout\","
        "\"time\":\"2026-12-07T10:00:02Z\"}",
        "{\"stream\":\"stdout\",\"log\":\"first\\n\",\"time\":\"2026-12-07T10:00:03Z\","
        "\"log\":\"second\\n\"}",
        "{\"log\":\"no newline: a "
        "partial\",\"stream\":\"stdout\",\"time\":\"2026-12-07T10:00:04Z\"}",
        "{\"log\":\"attrs\\n\",\"stream\":\"stdout\",\"attrs\":{\"tag\":\"x\"},"
        "\"time\":\"2026-12-07T10:00:05Z\"}",
        "{\"log\":\"surrogates \\ud83d\\ude00\\n\",\"stream\":\"stdout\","
        "\"time\":\"2026-12-07T10:00:06Z\"}",
        "{\"log\":\"nul \\u0000\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T10:00:07Z\"}",
        "{\"log\":5,\"stream\":\"stdout\",\"time\":\"2026-12-07T10:00:08Z\"}",
        "{\"log\":\"x\\n\",\"stream\":\"std\\u006fut\",\"time\":\"2026-12-07T10:00:09Z\"}",
        "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"not a time\",\"n\":-1.5e3,\"b\":true}",
        "{\"log\":\"x\\n\",\"stream\":\"stdout\"}",
        "not docker at all",
    };
    static const char alphabet[] = "{}\"\\u0dD8e:,n ltr\x01\xc3\xa9\xff";
    uint32_t seed = 777;
    char buf[512];
    struct strbuf want = {0};
    struct docker_seen got = {0};
    for (size_t round = 0; round < 20000; round++) {
        const char *base = lines[round % (sizeof(lines) / sizeof(lines[0]))];
        size_t n = strlen(base);
        memcpy(buf, base, n);
        for (size_t m = 0; round >= sizeof(lines) / sizeof(lines[0]) && m < 2; m++) {
            mutate_once(buf, &n, sizeof(buf), &seed, alphabet, sizeof(alphabet) - 1);
        }
        size_t k = 0;
        while (k < n && buf[k] != '\n' && buf[k] != '\r')
            k++;
        bool from_stderr;
        char time[ENVELOPE_TS_MAX];
        bool docker = docker_expected(buf, k, &want, &from_stderr, time);
        if (want.len && (want.data[0] == '{' || want.data[0] == ' ' || want.data[0] == '\t'))
            continue; /* a JSON record inside: decoded further, alike on both ways */
        struct envelope_decoder *d = envelope_decoder_new(LOG_FORMAT_DOCKER, keep_docker, &got);
        got.n = 0;
        envelope_decoder_feed(d, buf, k);
        envelope_decoder_feed(d, "\n", 1);
        envelope_decoder_finish(d);
        envelope_decoder_free(d);
        bool same =
            got.n == 1 && got.text.len == want.len &&
            memcmp(got.text.data ? got.text.data : "", want.data ? want.data : "", want.len) == 0 &&
            got.from_stderr == from_stderr;
        if (docker && same) /* the line's time, when it is one; the lines above have one */
            same = (got.ts[0] == '\0' && round >= 10) || strcmp(got.ts, time) == 0;
        if (!same)
            fail_msg("round %zu: %.*s", round, (int)k, buf);
    }
    strbuf_free(&want);
    strbuf_free(&got.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_svlogd),
        cmocka_unit_test(test_cri_partials_per_stream),
        cmocka_unit_test(test_docker_partials_and_escapes),
        cmocka_unit_test(test_json_layouts),
        cmocka_unit_test(test_splitter_records),
        cmocka_unit_test(test_scan_cri_and_json_buffers),
        cmocka_unit_test(test_json_skip_agrees_with_the_decoder),
        cmocka_unit_test(test_json_skip_tokens),
        cmocka_unit_test(test_docker_without_jansson_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
