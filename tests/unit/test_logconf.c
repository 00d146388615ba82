/*
 * test_logconf.c - the log files declared by logback and log4j configurations,
 * and the resolution of their ${...} variables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logconf.h"
#include "util.h"

static void declared(const char *name, const char *text, char ***out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    logconf_declared(name, text, strlen(text), out, n, &cap);
}

static void test_logback(void **state)
{
    (void)state;
    const char *xml =
        "<configuration>\n"
        "  <property name=\"LOG_HOME\" value=\"/var/log/shop\"/>\n"
        "  <appender name=\"F\" class=\"ch.qos.logback.core.rolling.RollingFileAppender\">\n"
        "    <file> ${LOG_HOME}/app.log </file>\n"
        "    <rollingPolicy><fileNamePattern>${LOG_HOME}/app.%d.log.gz"
        "</fileNamePattern></rollingPolicy>\n"
        "  </appender>\n"
        "  <appender name=\"E\"><file>${LOG_PATH:-/tmp/logs}/error.log</file></appender>\n"
        "</configuration>\n";
    char **out;
    size_t n;
    declared("logback.xml", xml, &out, &n);
    assert_int_equal(n, 2); /* fileNamePattern is not a <file> */
    assert_string_equal(out[0], "${LOG_HOME}/app.log");
    assert_string_equal(out[1], "${LOG_PATH:-/tmp/logs}/error.log");
    char *props[] = {"LOG_HOME=/var/log/shop"};
    char *path = logconf_resolve(out[0], props, 1, NULL);
    assert_string_equal(path, "/var/log/shop/app.log");
    free(path);
    unsetenv("LOG_PATH");
    path = logconf_resolve(out[1], props, 1, NULL);
    assert_string_equal(path, "/tmp/logs/error.log");
    free(path);
    strv_free(out, n);
}

static void test_log4j2_and_properties(void **state)
{
    (void)state;
    const char *xml = "<Configuration><Properties><Property name=\"dir\">${sys:catalina.base}"
                      "/logs</Property></Properties><Appenders>"
                      "<RollingFile name=\"R\" fileName=\"${dir}/shop.log\" "
                      "filePattern=\"${dir}/shop-%d.log\"/>"
                      "<File name='f' fileName='/var/log/x.log'/></Appenders></Configuration>";
    char **out;
    size_t n;
    declared("log4j2.xml", xml, &out, &n);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "/var/log/x.log"); /* <File> tags are collected first */
    assert_string_equal(out[1], "${dir}/shop.log");
    char *vars_items[] = {"catalina.base=/srv/tomcat"};
    struct logconf_vars vars = {vars_items, 1};
    char *props[] = {"dir=${sys:catalina.base}/logs"};
    char *path = logconf_resolve(out[1], props, 1, &vars);
    assert_string_equal(path, "/srv/tomcat/logs/shop.log");
    free(path);
    /* without the property the path is not guessed */
    assert_null(logconf_resolve(out[1], props, 1, NULL));
    strv_free(out, n);

    declared("log4j.properties",
             "log4j.rootLogger=INFO, F\nlog4j.appender.F.File = /var/log/old.log\n"
             "log4j.appender.F.layout=x\n",
             &out, &n);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "/var/log/old.log");
    strv_free(out, n);
    declared("log4j2.properties",
             "property.base = /opt/app\nappender.r.type = RollingFile\n"
             "appender.r.fileName = ${base}/app.log\n",
             &out, &n);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "${base}/app.log");
    strv_free(out, n);
}

static void test_hostile(void **state)
{
    (void)state;
    char **out;
    size_t n;
    declared("logback.xml", "<file", &out, &n);
    assert_int_equal(n, 0);
    declared("log4j2.xml", "<File fileName=\"unterminated", &out, &n);
    assert_int_equal(n, 0);
    /* a variable naming itself ends at the depth limit */
    char *props[] = {"a=${a}"};
    assert_null(logconf_resolve("${a}", props, 1, NULL));
    assert_null(logconf_resolve("${unclosed", NULL, 0, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logback),
        cmocka_unit_test(test_log4j2_and_properties),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
