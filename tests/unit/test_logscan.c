/*
 * test_logscan.c - unit tests for the log scanner (logscan.h and its parts logtime.c,
 * logsplit.c, logmatch.c, logread.c): timestamp recognition, masking,
 * splitting real-looking Tomcat, Spring Boot, logback and JUL logs into events,
 * hostile input (CRLF, NUL, invalid UTF-8, huge lines and events), grouping of
 * findings and reading gzip files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "logscan.h"
#include "util.h"

#define MAX_EVENTS 32

struct collected {
    size_t n;
    char *text[MAX_EVENTS];
    uint64_t line[MAX_EVENTS];
    char *ts[MAX_EVENTS];
    char *chain[MAX_EVENTS];
    char *root[MAX_EVENTS];
    char *frame[MAX_EVENTS];
    bool error[MAX_EVENTS];
    bool truncated[MAX_EVENTS];
    size_t len[MAX_EVENTS];
};

static void collect(const struct log_event *ev, void *arg)
{
    struct collected *c = arg;
    assert_true(c->n < MAX_EVENTS);
    assert_true(ev->len <= LOGSCAN_EVENT_MAX);
    assert_int_equal(strlen(ev->text), ev->len);
    c->text[c->n] = xstrdup(ev->text);
    c->line[c->n] = ev->line;
    c->ts[c->n] = xstrdup(ev->timestamp);
    c->chain[c->n] = xstrdup(ev->chain);
    c->root[c->n] = xstrdup(ev->root_cause);
    c->frame[c->n] = xstrdup(ev->top_frame);
    c->error[c->n] = ev->error_level;
    c->truncated[c->n] = ev->truncated;
    c->len[c->n] = ev->len;
    c->n++;
}

static void collected_free(struct collected *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->text[i]);
        free(c->ts[i]);
        free(c->chain[i]);
        free(c->root[i]);
        free(c->frame[i]);
    }
    memset(c, 0, sizeof(*c));
}

/* Split `text` fed in pieces of `piece` bytes, to exercise chunk boundaries. */
static void split(struct collected *c, const char *text, size_t len, size_t piece)
{
    memset(c, 0, sizeof(*c));
    struct logscan_splitter *sp = logscan_splitter_new(collect, c);
    for (size_t off = 0; off < len; off += piece)
        logscan_splitter_feed(sp, text + off, len - off < piece ? len - off : piece);
    logscan_splitter_finish(sp);
    logscan_splitter_free(sp);
}

static void test_timestamps(void **state)
{
    (void)state;
    struct {
        const char *line;
        const char *ts; /* NULL when not a header */
    } cases[] = {
        {"2026-11-27 02:19:18,123 ERROR x", "2026-11-27 02:19:18,123"},
        {"2026-11-27T02:19:18.123Z  INFO 1 --- [main]", "2026-11-27T02:19:18.123Z"},
        {"2026-11-27T02:19:18.123+01:00 WARN", "2026-11-27T02:19:18.123+01:00"},
        {"[2026-11-27 02:19:18] x", "2026-11-27 02:19:18"},
        {"27-Nov-2026 02:19:18.123 SEVERE [main]", "27-Nov-2026 02:19:18.123"},
        {"Nov 27, 2026 2:19:18 AM org.apache.Foo start", "Nov 27, 2026 2:19:18 AM"},
        {"Nov 7, 2026 12:19:18 PM org.apache.Foo start", "Nov 7, 2026 12:19:18 PM"},
        {"02:19:18,123 |-ERROR in ch.qos.logback", "02:19:18,123"},
        {"\tat com.acme.Foo.bar(Foo.java:1)", NULL},
        {"2026-11-27", NULL},
        {"02:19:18 started", NULL},
        {"27-Xyz-2026 02:19:18.123 x", NULL},
        {"Nov 27, 2026 2:19:18 XM", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t start = 0, n = logscan_timestamp(cases[i].line, strlen(cases[i].line), &start);
        if (!cases[i].ts) {
            assert_int_equal(n, 0);
            continue;
        }
        assert_int_equal(n, strlen(cases[i].ts));
        assert_memory_equal(cases[i].line + start, cases[i].ts, n);
    }
}

static void test_mask(void **state)
{
    (void)state;
    char buf[128];
    const char *s =
        "HikariPool-12 timed out after 30000ms at 0x7f3a1c @6d4b1c02 slf4j log4j id=a1b2c3d4";
    logscan_mask(s, strlen(s), buf, sizeof(buf));
    assert_string_equal(buf, "HikariPool-# timed out after #ms at # @# slf4j log4j id=#");
    logscan_mask("a\tb\nc", 5, buf, sizeof(buf));
    assert_string_equal(buf, "a b c");
    logscan_mask(s, strlen(s), buf, 8);
    assert_int_equal(strlen(buf), 7);
}

/* Random mixtures of log fragments and hostile bytes: the invariants hold whatever comes. */
static void test_random_input(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "2026-11-27 02:19:18,123 ERROR x ",
        "27-Nov-2026 02:19:18.123 SEVERE [main] ",
        "Nov 27, 2026 2:19:18 AM a b\n",
        "\tat com.acme.A.b(A.java:1)\n",
        "Caused by: ",
        "java.lang.IllegalStateException: ",
        "java.lang.OutOfMemoryError: Metaspace",
        "SLF4J: ",
        "\n",
        "\r\n",
        "\r",
        "... 5 more\n",
        "Exception in thread \"main\" ",
        "[",
        "2026-13-99 99:99:99",
        "\xff\xfe\xc3",
        "\0",
        "    at ",
        "Error listenerStart",
    };
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    uint32_t seed = 12345;
    for (int round = 0; round < 20; round++) {
        struct strbuf sb = {0};
        size_t newlines = 0;
        while (sb.len < 200000) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8;
            if (r % 5 == 0) {
                char bytes[64];
                for (size_t i = 0; i < sizeof(bytes); i++) {
                    seed = seed * 1103515245u + 12345u;
                    bytes[i] = (char)(seed >> 16);
                }
                strbuf_append(&sb, bytes, sizeof(bytes));
            } else {
                const char *p = pieces[r % (sizeof(pieces) / sizeof(pieces[0]))];
                strbuf_append(&sb, p, p[0] ? strlen(p) : 1);
            }
        }
        for (size_t i = 0; i < sb.len; i++)
            newlines += sb.data[i] == '\n';
        struct log_report rep = {0};
        struct logscan *ls = logscan_new(rules, &rep);
        logscan_buffer(ls, "random.log", sb.data, sb.len,
                       round % 2 ? LOG_KIND_APP : LOG_KIND_TOMCAT);
        logscan_finish(ls);
        size_t last_line = sb.len && sb.data[sb.len - 1] != '\n' ? 1 : 0;
        assert_int_equal(rep.files[0].lines, newlines + last_line);
        assert_true(rep.files[0].events <= rep.files[0].lines);
        uint64_t grouped = 0;
        for (size_t i = 0; i < rep.n_findings; i++) {
            const struct log_finding *f = &rep.findings[i];
            assert_true(strlen(f->sample) <= LOGSCAN_SAMPLE_MAX);
            assert_true(f->line >= 1 && f->line <= rep.files[0].lines);
            assert_true(i == 0 || f->severity <= rep.findings[i - 1].severity);
            grouped += f->count;
        }
        assert_true(grouped <= rep.files[0].events);
        logscan_free(ls);
        log_report_clear(&rep);
        strbuf_free(&sb);
    }
    rules_free(rules);
}

static const char catalina_out[] =
    "27-Nov-2026 02:19:16.001 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log "
    "Server version name:   Apache Tomcat/9.0.83\n"
    "27-Nov-2026 02:19:18.123 SEVERE [main] org.apache.catalina.core.StandardContext.listenerStart "
    "Exception sending context initialized event to listener instance of class "
    "[org.springframework.web.context.ContextLoaderListener]\n"
    "\torg.springframework.beans.factory.BeanCreationException: Error creating bean with name "
    "'dataSource': Invocation of init method failed\n"
    "\t\tat org.springframework.beans.factory.support.AbstractBeanFactory.getBean("
    "AbstractBeanFactory.java:333)\n"
    "\t\tat com.acme.orders.DbConfig.dataSource(DbConfig.java:40)\n"
    "\tCaused by: java.net.UnknownHostException: db.internal\n"
    "\t\tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1300)\n"
    "\t\t... 42 more\n"
    "SLF4J: Class path contains multiple SLF4J bindings.\n"
    "SLF4J: Found binding in [jar:file:/a.jar!/org/slf4j/impl/StaticLoggerBinder.class]\n"
    "SLF4J: Found binding in [jar:file:/b.jar!/org/slf4j/impl/StaticLoggerBinder.class]\n"
    "27-Nov-2026 02:19:18.200 SEVERE [main] org.apache.catalina.core.StandardContext.startInternal "
    "One or more listeners failed to start. Full details will be found in the appropriate "
    "container log file\n";

static void test_split_catalina(void **state)
{
    (void)state;
    struct collected c;
    for (size_t piece = 1; piece <= sizeof(catalina_out); piece = piece * 7 + 1) {
        split(&c, catalina_out, sizeof(catalina_out) - 1, piece);
        assert_int_equal(c.n, 4);
        assert_int_equal(c.line[0], 1);
        assert_int_equal(c.line[1], 2);
        assert_int_equal(c.line[2], 9);
        assert_int_equal(c.line[3], 12);
        assert_string_equal(c.ts[1], "27-Nov-2026 02:19:18.123");
        assert_true(c.error[1]);
        assert_false(c.error[0]);
        assert_string_equal(c.chain[1], "org.springframework.beans.factory.BeanCreationException"
                                        " < java.net.UnknownHostException");
        assert_string_equal(c.root[1], "Caused by: java.net.UnknownHostException: db.internal");
        assert_string_equal(c.frame[1], "com.acme.orders.DbConfig.dataSource");
        assert_non_null(strstr(c.text[1], "... 42 more"));
        assert_true(str_has_prefix(c.text[2], "SLF4J: Class path"));
        assert_non_null(strstr(c.text[2], "b.jar"));
        assert_string_equal(c.ts[2], "");
        collected_free(&c);
    }
}

static void test_split_jul_spring_logback(void **state)
{
    (void)state;
    const char log[] =
        "Nov 27, 2026 2:19:18 AM org.apache.catalina.core.StandardContext startInternal\r\n"
        "SEVERE: Error listenerStart\r\n"
        "Nov 27, 2026 2:19:19 AM org.apache.catalina.core.StandardContext startInternal\r\n"
        "INFO: Context [/orders] startup failed due to previous errors\r\n"
        "2026-11-27 02:19:18.123 ERROR 1 --- [main] o.s.boot.SpringApplication : Application "
        "run failed\n"
        "java.lang.IllegalStateException: Failed to execute CommandLineRunner\n"
        "    at org.springframework.boot.SpringApplication.callRunner(SpringApplication.java:771)\n"
        "Caused by: java.lang.NumberFormatException: For input string: \"x\"\n"
        "    at app//com.acme.Cli.run(Cli.java:9)\n"
        "    ... 5 common frames omitted\n"
        "\n"
        "02:19:18,123 |-ERROR in ch.qos.logback.core.joran.action.AppenderAction - Could not "
        "create an Appender\n"
        "02:19:18,124 |-INFO in ch.qos.logback.classic.LoggerContext[default] - Found resource\n";
    struct collected c;
    split(&c, log, sizeof(log) - 1, 5);
    assert_int_equal(c.n, 5);
    assert_string_equal(c.text[0], "Nov 27, 2026 2:19:18 AM org.apache.catalina.core."
                                   "StandardContext startInternal\nSEVERE: Error listenerStart");
    assert_true(c.error[0]);
    assert_false(c.error[1]);
    assert_string_equal(c.ts[0], "Nov 27, 2026 2:19:18 AM");
    assert_true(c.error[2]);
    assert_string_equal(c.chain[2],
                        "java.lang.IllegalStateException < java.lang.NumberFormatException");
    assert_string_equal(c.frame[2], "com.acme.Cli.run");
    assert_int_equal(c.line[3], 12);
    assert_true(c.error[3]);
    assert_string_equal(c.ts[4], "02:19:18,124");
    collected_free(&c);
}

static void test_split_hostile(void **state)
{
    (void)state;
    /* NUL bytes read as spaces, invalid UTF-8 kept as bytes, no trailing newline. */
    const char log[] = "2026-11-27 02:19:18,123 ERROR x\xff\xfe\0y\n"
                       "java.lang.IllegalStateException: caf\xc3\n"
                       "\0\0\0\n"
                       "2026-11-27 02:19:19,000 INFO tail";
    struct collected c;
    split(&c, log, sizeof(log) - 1, 3);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.len[0], strlen("2026-11-27 02:19:18,123 ERROR x\xff\xfe y\n"
                                      "java.lang.IllegalStateException: caf\xc3\n   "));
    assert_string_equal(c.chain[0], "java.lang.IllegalStateException");
    assert_string_equal(c.text[1], "2026-11-27 02:19:19,000 INFO tail");
    collected_free(&c);

    /* A 50 MB line without a newline: cut at LOGSCAN_LINE_MAX, counted, memory bounded. */
    size_t big = 50u * 1024 * 1024, piece = 1u << 20;
    char *chunk = xmalloc(piece);
    memset(chunk, 'x', piece);
    memcpy(chunk, "2026-11-27 02:19:18,123 ERROR ", 30);
    memset(&c, 0, sizeof(c));
    struct logscan_splitter *sp = logscan_splitter_new(collect, &c);
    for (size_t off = 0; off < big; off += piece) {
        logscan_splitter_feed(sp, chunk, piece);
        memset(chunk, 'x', 30);
    }
    logscan_splitter_feed(sp, "\nnext line\n", 11);
    logscan_splitter_finish(sp);
    uint64_t lines, events, truncated, long_lines;
    logscan_splitter_counts(sp, &lines, &events, &truncated, &long_lines);
    logscan_splitter_free(sp);
    free(chunk);
    assert_int_equal(c.n, 1);
    assert_true(c.truncated[0]);
    assert_int_equal(c.len[0], LOGSCAN_LINE_MAX);
    assert_int_equal(lines, 2);
    assert_int_equal(long_lines, 1);
    assert_int_equal(truncated, 1);
    collected_free(&c);

    /* A stack trace larger than LOGSCAN_EVENT_MAX: kept up to the cap, the rest counted, and
     * the root cause beyond the cap still found. */
    struct strbuf sb = {0};
    strbuf_puts(&sb, "2026-11-27 02:19:18,123 ERROR boom\njava.lang.RuntimeException: outer\n");
    for (int i = 0; i < 3000; i++)
        strbuf_printf(&sb, "\tat org.example.Deep.call%d(Deep.java:%d)\n", i, i);
    strbuf_puts(&sb, "Caused by: java.io.IOException: root\n");
    split(&c, sb.data, sb.len, LOGSCAN_CHUNK);
    assert_int_equal(c.n, 1);
    assert_true(c.truncated[0]);
    assert_true(c.len[0] <= LOGSCAN_EVENT_MAX);
    assert_string_equal(c.root[0], "Caused by: java.io.IOException: root");
    assert_string_equal(c.chain[0], "java.lang.RuntimeException < java.io.IOException");
    strbuf_free(&sb);
    collected_free(&c);
}

static const struct log_finding *find(const struct log_report *rep, const char *id)
{
    for (size_t i = 0; i < rep->n_findings; i++)
        if (strcmp(rep->findings[i].rule_id, id) == 0)
            return &rep->findings[i];
    return NULL;
}

static void test_grouping(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    struct strbuf sb = {0};
    for (int i = 0; i < 3; i++)
        strbuf_printf(&sb,
                      "2026-11-27 02:19:%02d,123 ERROR [exec-%d] c.a.Web - failed\n"
                      "java.lang.NoSuchMethodError: 'void com.acme.Foo.bar(int)'\n"
                      "\tat com.acme.web.Ctl.get(Ctl.java:%d)\n",
                      10 + i, i, 40 + i);
    strbuf_puts(&sb, "2026-11-27 02:20:00,000 ERROR [main] c.a.Job - failed\n"
                     "com.acme.JobException: job 4711 failed\n"
                     "\tat com.acme.Job.run(Job.java:3)\n"
                     "2026-11-27 02:20:01,000 ERROR [main] c.a.Job - failed\n"
                     "com.acme.JobException: job 4712 failed\n"
                     "\tat com.acme.Job.run(Job.java:3)\n"
                     "2026-11-27 02:20:02,000 INFO [main] c.a.Job - retry java.lang.Exception: x\n"
                     "2026-11-27 02:20:03,000 WARN [main] c.a.Job - nothing\n");
    logscan_buffer(ls, "app.log", sb.data, sb.len, LOG_KIND_APP);
    logscan_finish(ls);
    assert_int_equal(rep.n_files, 1);
    assert_int_equal(rep.files[0].events, 7);
    assert_int_equal(rep.n_findings, 2);
    const struct log_finding *f = find(&rep, "classloading.no-such-method");
    assert_non_null(f);
    assert_int_equal(f->count, 3);
    assert_string_equal(f->first_seen, "2026-11-27 02:19:10,123");
    assert_string_equal(f->last_seen, "2026-11-27 02:19:12,123");
    assert_int_equal(f->line, 1);
    assert_string_equal(f->file, "app.log");
    assert_string_equal(f->class_name, "com.acme.Foo");
    assert_int_equal(f->severity, SEV_ERROR);
    assert_non_null(strstr(f->signature, "com.acme.web.Ctl.get"));
    assert_null(strstr(f->signature, "Ctl.java"));
    assert_string_equal(f->root_cause, "java.lang.NoSuchMethodError: 'void com.acme.Foo.bar(int)'");
    f = find(&rep, "uncategorized");
    assert_non_null(f);
    assert_int_equal(f->count, 2);
    assert_int_equal(f->severity, SEV_WARNING);
    /* named by what was thrown, with the first occurrence's message */
    assert_string_equal(f->title, "JobException: job 4711 failed");
    assert_string_equal(log_finding_fact(f, "exception"), "com.acme.JobException");
    assert_string_equal(log_finding_fact(f, "message"), "job 4711 failed");
    assert_int_equal(f->n_locations, 1);
    assert_string_equal(f->locations[0].file, "app.log");
    assert_non_null(strstr(f->signature, "job # failed"));
    /* findings sorted: error before warning */
    assert_string_equal(rep.findings[0].rule_id, "classloading.no-such-method");
    strbuf_free(&sb);
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

/* A java.util.logging header names the logging method ("Digester.fatalError"): the title
 * names what was thrown instead, even an exception written "Type; message" (SAX). */
static void test_uncategorized_title(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    const char *text =
        "07-Dec-2026 12:33:49.365 SEVERE [main] org.acme.xml.Loader.fatalError Bad input\n"
        "\torg.xml.sax.SAXNotRecognizedException; lineNumber: 5; feature x\n"
        "\t\tat org.acme.xml.Loader.load(Loader.java:10)\n";
    logscan_buffer(ls, "catalina.out", text, strlen(text), LOG_KIND_TOMCAT);
    logscan_finish(ls);
    assert_int_equal(rep.n_findings, 1);
    const struct log_finding *f = &rep.findings[0];
    assert_string_equal(f->rule_id, "uncategorized");
    assert_string_equal(f->title, "SAXNotRecognizedException: lineNumber: 5; feature x");
    assert_string_equal(log_finding_fact(f, "exception"), "org.xml.sax.SAXNotRecognizedException");
    assert_null(strstr(f->title, "fatalError"));
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

/* Tomcat's console and catalina.<date>.log hold the same records: each counts once, with
 * both files as its locations; a record only in one file, or repeated in one file, counts
 * as usual; two ports are two findings. */
static void test_same_record_in_two_files(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    const char *bind =
        "07-Dec-2026 12:33:06.014 SEVERE [main] o.a.c.u.LifecycleBase.handleSubClassException "
        "Failed to initialize component [Connector[\"http-nio-%d\"]]\n"
        "\torg.apache.catalina.LifecycleException: Protocol handler initialization failed\n"
        "\tCaused by: java.net.BindException: Address already in use\n";
    struct strbuf dated = {0}, out = {0};
    strbuf_printf(&dated, bind, 8080);
    strbuf_printf(&dated, bind, 8443);
    strbuf_printf(&out, bind, 8080);
    strbuf_printf(&out, bind, 8443);
    /* the same text at another time is another occurrence, in the same file or not */
    const char *cnf = "07-Dec-2026 12:40:0%d.000 SEVERE [main] c.a.Job.run failed\n"
                      "\tjava.lang.ClassNotFoundException: com.acme.Gone\n";
    strbuf_printf(&dated, cnf, 1);
    strbuf_printf(&out, cnf, 1);
    strbuf_printf(&out, cnf, 2);
    strbuf_printf(&out, cnf, 2);
    logscan_buffer(ls, "catalina.2026-12-07.log", dated.data, dated.len, LOG_KIND_TOMCAT);
    logscan_buffer(ls, "catalina.out", out.data, out.len, LOG_KIND_TOMCAT);
    logscan_finish(ls);
    size_t ports = 0;
    for (size_t i = 0; i < rep.n_findings; i++) {
        const struct log_finding *f = &rep.findings[i];
        if (strcmp(f->rule_id, "tomcat.port-in-use") == 0) {
            ports++;
            assert_int_equal(f->count, 1);
            assert_int_equal(f->n_locations, 2);
            assert_string_equal(f->locations[0].file, "catalina.2026-12-07.log");
            assert_string_equal(f->locations[1].file, "catalina.out");
            assert_int_equal(f->locations[1].line, f->locations[0].line);
            assert_string_equal(f->locations[1].timestamp, "07-Dec-2026 12:33:06.014");
            assert_non_null(strstr(f->title, log_finding_fact(f, "port")));
        }
    }
    assert_int_equal(ports, 2);
    const struct log_finding *f = find(&rep, "classloading.class-not-found");
    assert_non_null(f);
    assert_int_equal(f->count, 3); /* 12:40:01 once, 12:40:02 twice in catalina.out */
    assert_int_equal(f->n_locations, 2);
    strbuf_free(&dated);
    strbuf_free(&out);
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

/* A cause matched inside a record about a webapp keeps the webapp's context path. */
static void test_ambient_context(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    const char *text =
        "Nov 27, 2016 2:19:18 AM org.apache.catalina.core.ContainerBase addChildInternal\n"
        "SEVERE: ContainerBase.addChild: start: \n"
        "org.apache.catalina.LifecycleException: Failed to start component [StandardEngine"
        "[Catalina].StandardHost[localhost].StandardContext[/acme]]\n"
        "Caused by: java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory\n"
        "Nov 27, 2016 2:19:19 AM org.apache.catalina.core.StandardWrapperValve invoke\n"
        "SEVERE: Servlet.service() for servlet [dispatcher] in context with path [] threw "
        "exception\n"
        "java.lang.IllegalStateException: cart is empty\n"
        "\tat com.acme.shop.Cart.total(Cart.java:9)\n";
    logscan_buffer(ls, "catalina.out", text, strlen(text), LOG_KIND_TOMCAT);
    logscan_finish(ls);
    const struct log_finding *f = find(&rep, "classloading.no-class-def");
    assert_non_null(f);
    assert_string_equal(log_finding_fact(f, "context"), "/acme");
    assert_string_equal(log_finding_fact(f, "class"), "org/slf4j/LoggerFactory");
    f = find(&rep, "uncategorized");
    assert_non_null(f);
    assert_string_equal(log_finding_fact(f, "context"), "/");
    assert_string_equal(f->title, "IllegalStateException: cart is empty");
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

/* Class file versions are named by the Java release that reads them. */
static void test_java_release(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    const char *text =
        "Error: LinkageError occurred while loading main class com.acme.App\n"
        "\tjava.lang.UnsupportedClassVersionError: com/acme/App has been compiled by a more "
        "recent version of the Java Runtime (class file version 65.0), this version of the Java "
        "Runtime only recognizes class file versions up to 61.0\n"
        "2026-12-07 13:00:00,000 ERROR [main] c.a.Boot - old\n"
        "java.lang.UnsupportedClassVersionError: com/acme/Old : Unsupported major.minor version "
        "48.0\n";
    logscan_buffer(ls, "app.log", text, strlen(text), LOG_KIND_APP);
    logscan_finish(ls);
    size_t seen = 0;
    for (size_t i = 0; i < rep.n_findings; i++) {
        const struct log_finding *f = &rep.findings[i];
        assert_string_equal(f->rule_id, "classloading.unsupported-class-version");
        if (strcmp(log_finding_fact(f, "class"), "com/acme/App") == 0) {
            assert_string_equal(log_finding_fact(f, "java_release"), "Java 21");
            assert_string_equal(log_finding_fact(f, "runtime_release"), "Java 17");
            assert_non_null(strstr(f->title, "com/acme/App needs Java 21, the JVM is Java 17"));
        } else {
            assert_string_equal(log_finding_fact(f, "java_release"), "Java 1.4");
            assert_null(log_finding_fact(f, "runtime_release"));
        }
        seen++;
    }
    assert_int_equal(seen, 2);
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

/* Spring Boot's failure analysis gives its Description and Action to whatever rule
 * matched the record (here the port rule, not the generic "failed to start" one). */
static void test_failure_analysis_facts(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    const char *text =
        "2026-11-27 02:19:18.123 ERROR 1 --- [           main] "
        "o.s.b.d.LoggingFailureAnalysisReporter   : \n\n"
        "***************************\nAPPLICATION FAILED TO START\n"
        "***************************\n\nDescription:\n\n"
        "Web server failed to start. Port 8080 was already in use.\n\nAction:\n\n"
        "Identify and stop the process that's listening on port 8080 or configure this "
        "application to listen on another port.\n";
    logscan_buffer(ls, "app.log", text, strlen(text), LOG_KIND_APP);
    logscan_finish(ls);
    assert_int_equal(rep.n_findings, 1);
    const struct log_finding *f = &rep.findings[0];
    assert_string_equal(f->rule_id, "spring.port-in-use");
    assert_string_equal(log_finding_fact(f, "port"), "8080");
    assert_string_equal(log_finding_fact(f, "description"),
                        "Web server failed to start. Port 8080 was already in use.");
    assert_string_equal(log_finding_fact(f, "action"),
                        "Identify and stop the process that's listening on port 8080 or "
                        "configure this application to listen on another port.");
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

/* "nested exception is" chains (Spring 5 and older) are reduced to their innermost cause. */
static void test_nested_exception_cause(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    const char *text =
        "2026-12-07 13:20:00.000 ERROR 4711 --- [main] o.s.boot.SpringApplication : "
        "Application run failed\n"
        "org.springframework.beans.factory.UnsatisfiedDependencyException: Error creating bean "
        "with name 'orderController': Unsatisfied dependency; nested exception is "
        "org.springframework.beans.factory.BeanCreationException: Error creating bean with "
        "name 'orderRepository'\n"
        "Caused by: org.springframework.beans.factory.BeanCreationException: Error creating "
        "bean with name 'dataSource': Failed to instantiate; nested exception is "
        "java.lang.IllegalStateException: Cannot load driver class: org.h2.Driver\n";
    logscan_buffer(ls, "app.log", text, strlen(text), LOG_KIND_APP);
    logscan_finish(ls);
    assert_int_equal(rep.n_findings, 1);
    const struct log_finding *f = &rep.findings[0];
    assert_string_equal(f->rule_id, "spring.unsatisfied-dependency");
    assert_string_equal(log_finding_fact(f, "inner"), "dataSource");
    assert_string_equal(log_finding_fact(f, "exception"), "java.lang.IllegalStateException");
    assert_string_equal(log_finding_fact(f, "message"), "Cannot load driver class: org.h2.Driver");
    assert_string_equal(f->title, "Spring bean 'dataSource' could not be injected "
                                  "(UnsatisfiedDependencyException): Cannot load driver class: "
                                  "org.h2.Driver");
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

/* Tomcat prints java.util.logging's level translated (Level.getLocalizedName()): a
 * SEVERE record in Chinese, Japanese or French is an error record all the same. */
static void test_translated_levels(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    const char *text =
        "07-Dec-2026 22:19:40.674 \xe4\xb8\xa5\xe9\x87\x8d [http-nio-8080-exec-1] "
        "org.apache.catalina.core.StandardWrapperValve.invoke Servlet.service()\n"
        "\tcom.acme.CartException: cart 1 is empty\n"
        "07-Dec-2026 22:19:41.000 \xe9\x87\x8d\xe5\xa4\xa7 [main] c.a.Job.run x\n"
        "\tcom.acme.JobException: job 2 failed\n"
        "Dec 7, 2026 10:19:42 PM com.acme.Sync run\n"
        "GRAVE: sync failed\n"
        "com.acme.SyncException: remote 3 said no\n"
        "07-Dec-2026 22:19:43.000 \xe8\xad\xa6\xe5\x91\x8a [main] c.a.Warn.run only a "
        "warning\n"
        "\tcom.acme.WarnException: not an error\n";
    logscan_buffer(ls, "catalina.out", text, strlen(text), LOG_KIND_TOMCAT);
    logscan_finish(ls);
    assert_int_equal(rep.n_findings, 3);
    for (size_t i = 0; i < rep.n_findings; i++) {
        assert_string_equal(rep.findings[i].rule_id, "uncategorized");
        assert_null(strstr(rep.findings[i].title, "WarnException"));
    }
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(rules);
}

static void test_gzip_file_and_limits(void **state)
{
    (void)state;
    char dir[] = "/tmp/wrench-logs-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *gzpath = path_join(dir, "catalina.2026-11-27.log.gz");
    gzFile gz = gzopen(gzpath, "wb");
    assert_non_null(gz);
    assert_true(gzwrite(gz, catalina_out, sizeof(catalina_out) - 1) > 0);
    gzclose(gz);
    char *plain = path_join(dir, "app.log");
    FILE *f = fopen(plain, "w");
    fputs("2026-11-27 02:19:18,123 ERROR x\njava.lang.OutOfMemoryError: Java heap space\n", f);
    fclose(f);
    char *other = path_join(dir, "notes.md"); /* not a log name: skipped in a directory */
    f = fopen(other, "w");
    fputs("java.lang.OutOfMemoryError: Metaspace\n", f);
    fclose(f);

    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    struct logscan *ls = logscan_new(rules, &rep);
    assert_int_equal(logscan_add_path(ls, dir, err), 0);
    assert_int_equal(logscan_file(ls, "/nonexistent/x.log", LOG_KIND_APP, err), -1);
    assert_non_null(strstr(err, "/nonexistent/x.log"));
    logscan_finish(ls);
    assert_int_equal(rep.n_files, 2);
    assert_string_equal(rep.files[0].path, plain);
    assert_int_equal(rep.files[0].kind, LOG_KIND_APP);
    assert_false(rep.files[0].compressed);
    assert_true(rep.files[1].compressed);
    assert_int_equal(rep.files[1].kind, LOG_KIND_TOMCAT);
    assert_int_equal(rep.files[1].bytes, sizeof(catalina_out) - 1);
    assert_int_equal(rep.files[1].events, 4);
    assert_int_equal(rep.n_problems, 1);
    assert_string_equal(rep.findings[0].rule_id, "memory.heap-space");
    assert_non_null(find(&rep, "network.unknown-host"));
    assert_non_null(find(&rep, "logging.slf4j-multiple-bindings"));
    assert_non_null(find(&rep, "tomcat.listeners-failed"));
    assert_null(find(&rep, "memory.metaspace"));
    assert_int_equal(log_report_max_severity(&rep), SEV_CRITICAL);
    logscan_free(ls);
    log_report_clear(&rep);

    /* A corrupt gzip stream: the problem is recorded, the file marked incomplete. */
    char *broken = path_join(dir, "broken.log.gz");
    gz = gzopen(broken, "wb");
    gzwrite(gz, catalina_out, sizeof(catalina_out) - 1);
    gzclose(gz);
    f = fopen(broken, "r+b");
    assert_int_equal(fseek(f, 30, SEEK_SET), 0);
    fputs("garbage garbage garbage garbage garbage", f);
    fclose(f);
    ls = logscan_new(rules, &rep);
    assert_int_equal(logscan_file(ls, broken, LOG_KIND_APP, err), -1);
    assert_non_null(strstr(err, "broken.log.gz: read error"));
    assert_int_equal(rep.n_files, 1);
    assert_false(rep.files[0].complete);
    assert_int_equal(rep.n_problems, 1);
    logscan_free(ls);
    log_report_clear(&rep);
    unlink(broken);
    free(broken);

    /* A glob that names nothing fails; a catastrophic rule is reported once per file. */
    struct rule_set *slow = rules_new();
    const char *json =
        "{\"rules\": [{\"id\": \"t.slow\", \"severity\": \"error\", \"category\":"
        " \"other\", \"pattern\": \"(a|aa)+$\", \"title\": \"t\", \"hint\": \"h\"}]}";
    assert_int_equal(rules_add_text(slow, json, strlen(json), "slow.json", err), 0);
    ls = logscan_new(slow, &rep);
    char *pattern = path_join(dir, "*.nothing");
    assert_int_equal(logscan_add_path(ls, pattern, err), -1);
    struct strbuf sb = {0};
    for (int i = 0; i < 2; i++) {
        strbuf_printf(&sb, "2026-11-27 02:19:1%d,123 ERROR ", i);
        for (int k = 0; k < 300; k++)
            strbuf_puts(&sb, "a");
        strbuf_puts(&sb, "b\n");
    }
    logscan_buffer(ls, "x.log", sb.data, sb.len, LOG_KIND_APP);
    strbuf_free(&sb);
    int problems = 0;
    for (size_t i = 0; i < rep.n_problems; i++)
        problems += strstr(rep.problems[i].message, "t.slow") != NULL;
    assert_int_equal(problems, 1);
    logscan_free(ls);
    log_report_clear(&rep);
    rules_free(slow);

    unlink(gzpath);
    unlink(plain);
    unlink(other);
    rmdir(dir);
    free(pattern);
    free(gzpath);
    free(plain);
    free(other);
    rules_free(rules);
}

/* Scan one of the sample trees under testdata/logs (unit tests run from the repository root). */
static void scan_samples(const char *spec, struct rule_set *rules, struct log_report *rep)
{
    char err[WR_ERR_MAX];
    struct logscan *ls = logscan_new(rules, rep);
    if (logscan_add_path(ls, spec, err) != 0)
        fail_msg("%s", err);
    logscan_finish(ls);
    logscan_free(ls);
}

static void test_sample_tomcat9(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    scan_samples("testdata/logs/tomcat9", rules, &rep);
    /* The access log is skipped in a directory scan. */
    assert_int_equal(rep.n_files, 2);
    assert_int_equal(rep.n_problems, 0);
    assert_null(find(&rep, "memory.heap-space"));
    assert_int_equal(rep.files[0].kind, LOG_KIND_TOMCAT);
    assert_int_equal(rep.files[0].events, 10);
    assert_int_equal(rep.files[1].events, 2);
    const char *want[] = {
        "tomcat.port-in-use",      "tomcat.listeners-failed",   "tomcat.context-startup-failed",
        "tomcat.jdbc-driver-leak", "tomcat.memory-leak-thread", "classloading.no-class-def"};
    assert_int_equal(rep.n_findings, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_non_null(find(&rep, want[i]));
    const struct log_finding *f = find(&rep, "tomcat.port-in-use");
    assert_int_equal(f->line, 4);
    assert_string_equal(f->first_seen, "27-Nov-2026 02:19:16.530");
    assert_string_equal(f->root_cause, "Caused by: java.net.BindException: Address already in use");
    f = find(&rep, "classloading.no-class-def");
    assert_string_equal(f->class_name, "org/hibernate/cfg/Configuration");
    assert_string_equal(
        f->root_cause,
        "Caused by: java.lang.ClassNotFoundException: org.hibernate.cfg.Configuration");
    assert_non_null(strstr(f->signature, "com.acme.orders.PersistenceConfig.orderRepository"));
    assert_true(str_has_suffix(f->file, "localhost.2026-11-27.log"));
    assert_int_equal(f->line, 2);
    assert_string_equal(rep.findings[0].rule_id, "tomcat.port-in-use"); /* critical, first */
    log_report_clear(&rep);

    /* Named explicitly, the access log is read, but no rule applies to access logs. */
    scan_samples("testdata/logs/tomcat9/localhost_access_log.*", rules, &rep);
    assert_int_equal(rep.n_files, 1);
    assert_int_equal(rep.files[0].kind, LOG_KIND_ACCESS);
    assert_int_equal(rep.n_findings, 0);
    log_report_clear(&rep);
    rules_free(rules);
}

static void test_sample_tomcat7_and_boot(void **state)
{
    (void)state;
    char err[WR_ERR_MAX];
    struct rule_set *rules;
    assert_int_equal(rules_load(&rules, NULL, err), 0);
    struct log_report rep = {0};
    scan_samples("testdata/logs/tomcat7/catalina.out", rules, &rep);
    assert_int_equal(rep.files[0].lines, 23);
    assert_int_equal(rep.files[0].events, 8);
    const char *want[] = {"logging.slf4j-multiple-bindings", "tomcat.jar-not-loaded",
                          "classloading.no-such-method",     "tomcat.listeners-failed",
                          "tomcat.context-startup-failed",   "uncategorized"};
    assert_int_equal(rep.n_findings, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_non_null(find(&rep, want[i]));
    const struct log_finding *f = find(&rep, "classloading.no-such-method");
    assert_string_equal(f->class_name, "org.apache.commons.lang3.StringUtils");
    assert_string_equal(f->first_seen, "Nov 27, 2026 2:19:18 AM");
    assert_int_equal(f->line, 9);
    assert_null(strchr(f->sample, '\r'));
    f = find(&rep, "uncategorized");
    assert_null(f->first_seen);
    assert_string_equal(f->title, "SyncException: remote said 503");
    assert_non_null(strstr(find(&rep, "logging.slf4j-multiple-bindings")->sample,
                           "logback-classic-1.2.11.jar"));
    log_report_clear(&rep);

    scan_samples("testdata/logs/springboot/*.log", rules, &rep);
    assert_int_equal(rep.n_findings, 3);
    f = find(&rep, "network.read-timeout");
    assert_int_equal(f->count, 3);
    assert_string_equal(f->first_seen, "2026-11-27T02:19:12.345Z");
    assert_string_equal(f->last_seen, "2026-11-27T02:19:14.345Z");
    assert_non_null(strstr(f->signature, "com.acme.orders.StockClient.fetch"));
    f = find(&rep, "uncategorized");
    assert_int_equal(f->count, 2);
    assert_non_null(strstr(f->signature, "batch # has # orphan lines"));
    f = find(&rep, "spring.port-in-use");
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_non_null(strstr(f->sample, "Identify and stop the process"));
    assert_string_equal(rep.findings[0].rule_id, "spring.port-in-use");
    log_report_clear(&rep);
    rules_free(rules);
}

static void test_guess_kind(void **state)
{
    (void)state;
    assert_int_equal(logscan_guess_kind("/opt/tomcat/logs/catalina.out"), LOG_KIND_TOMCAT);
    assert_int_equal(logscan_guess_kind("localhost.2026-11-27.log"), LOG_KIND_TOMCAT);
    assert_int_equal(logscan_guess_kind("logs/localhost_access_log.2026-11-27.txt"),
                     LOG_KIND_ACCESS);
    assert_int_equal(logscan_guess_kind("/var/log/app/orders.log.gz"), LOG_KIND_APP);
}

static void test_epoch_and_since(void **state)
{
    (void)state;
    /* zoned ISO times are absolute */
    assert_int_equal(logscan_epoch("2026-11-27T02:19:18.123Z"), 1795745958);
    assert_int_equal(logscan_epoch("2026-11-27T03:19:18+01:00"), 1795745958);
    /* zone-less formats are local time: equal to each other whatever TZ is */
    int64_t iso = logscan_epoch("2026-11-27 02:19:18,123");
    assert_true(iso > 0);
    assert_int_equal(logscan_epoch("27-Nov-2026 02:19:18.123"), iso);
    assert_int_equal(logscan_epoch("Nov 27, 2026 2:19:18 AM"), iso);
    assert_int_equal(logscan_epoch("Nov 27, 2026 2:19:18 PM"), iso + 12 * 3600);
    assert_int_equal(logscan_epoch("02:19:18,123"), -1); /* no date */
    int64_t t;
    assert_int_equal(logscan_parse_since("2h", 100000, &t), 0);
    assert_int_equal(t, 100000 - 7200);
    assert_int_equal(logscan_parse_since("7d", 1000000, &t), 0);
    assert_int_equal(t, 1000000 - 7 * 86400);
    assert_int_equal(logscan_parse_since("2026-11-27", 0, &t), 0);
    assert_int_equal(t, logscan_epoch("2026-11-27 00:00:00"));
    assert_int_equal(logscan_parse_since("2026-11-27 02:19", 0, &t), 0);
    assert_int_equal(t, logscan_epoch("2026-11-27 02:19:00"));
    assert_int_equal(logscan_parse_since("2x", 0, &t), -1);
    assert_int_equal(logscan_parse_since("yesterday", 0, &t), -1);
    assert_int_equal(logscan_parse_since("99999999999999999999h", 0, &t), -1);
}

static void test_start_markers(void **state)
{
    (void)state;
    static const char tomcat[] = "27-Nov-2026 02:00:00.000 INFO [main] org.apache.catalina."
                                 "startup.VersionLoggerListener.log Server version name:   "
                                 "Apache Tomcat/10.1.16";
    static const char tomcat7[] = "Nov 27, 2026 2:00:00 AM org.apache.catalina.startup."
                                  "VersionLoggerListener log\nINFO: Server version: Apache "
                                  "Tomcat/7.0.109";
    static const char boot[] = "2026-11-27 02:00:00.000  INFO 1 --- [main] c.a.Shop : Starting "
                               "Shop v1 using Java 17.0.9 with PID 1 (/app/shop.jar)";
    static const char other[] = "2026-11-27 02:00:00.000 INFO [main] Starting service "
                                "[Catalina]\n\tat x.y(Z.java:1)";
    assert_true(logscan_is_start_marker(tomcat, sizeof(tomcat) - 1));
    assert_true(logscan_is_start_marker(tomcat7, sizeof(tomcat7) - 1));
    assert_true(logscan_is_start_marker(boot, sizeof(boot) - 1));
    assert_false(logscan_is_start_marker(other, sizeof(other) - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_and_since),
        cmocka_unit_test(test_start_markers),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_split_catalina),
        cmocka_unit_test(test_split_jul_spring_logback),
        cmocka_unit_test(test_split_hostile),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_grouping),
        cmocka_unit_test(test_gzip_file_and_limits),
        cmocka_unit_test(test_sample_tomcat9),
        cmocka_unit_test(test_sample_tomcat7_and_boot),
        cmocka_unit_test(test_guess_kind),
        cmocka_unit_test(test_uncategorized_title),
        cmocka_unit_test(test_same_record_in_two_files),
        cmocka_unit_test(test_ambient_context),
        cmocka_unit_test(test_java_release),
        cmocka_unit_test(test_failure_analysis_facts),
        cmocka_unit_test(test_nested_exception_cause),
        cmocka_unit_test(test_translated_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
