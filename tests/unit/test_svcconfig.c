/*
 * test_svcconfig.c - unit tests for service discovery (svcconfig.c, svcplaces.c,
 * tomcatlayout.c): the config file's strict
 * validation, environment overrides, the conventional places and Tomcat's
 * layout (appBase, webapps, common.loader), on file trees the tests build in
 * a temporary directory used as the root prefix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cmocka.h>

#include "svcconfig.h"
#include "util.h"

#include "fixture.h"

static char root[] = "/tmp/wrench-test-svc-XXXXXX";

static char *at(const char *path)
{
    return xasprintf("%s%s", root, path);
}

static void mkdirs(const char *path)
{
    char *full = at(path);
    fixture_mkdirs(full);
    free(full);
}

/* Write `text` at root + path, creating the directories. */
static void put(const char *path, const char *text)
{
    char *full = at(path);
    fixture_write(full, text, strlen(text));
    free(full);
}

/* A jar holding only a manifest (NULL: no manifest at all). */
static void put_jar(const char *path, const char *manifest)
{
    char *full = at(path);
    const char *text = manifest ? manifest : "hello";
    struct lz_entry entry = {manifest ? "META-INF/MANIFEST.MF" : "readme.txt", text, strlen(text),
                             false};
    fixture_zip(full, &entry, 1, NULL);
    free(full);
}

static int setup(void **state)
{
    (void)state;
    return fixture_root_make(root);
}

static int teardown(void **state)
{
    (void)state;
    return fixture_root_remove(root);
}

/* Start each test from an empty root. */
static int fresh(void **state)
{
    (void)state;
    return fixture_root_empty(root);
}

static bool has(char **v, size_t n, const char *needle)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(v[i], needle))
            return true;
    return false;
}

static void test_config_valid(void **state)
{
    (void)state;
    const char *text = "{\"services\": ["
                       " {\"name\": \"shop\", \"kind\": \"tomcat\","
                       "  \"paths\": {\"catalina_base\": \"/srv/shop\", \"catalina_home\": "
                       "\"/opt/tomcat\"}},"
                       " {\"name\": \"billing\", \"kind\": \"spring-boot\","
                       "  \"paths\": {\"jar\": \"/app/billing.jar\"},"
                       "  \"logs\": [\"/var/log/billing/*.log\"]},"
                       " {\"name\": \"batch\", \"kind\": \"classpath\","
                       "  \"paths\": {\"classpath\": \"lib/*:classes\"}}]}";
    struct svc_discovery d;
    memset(&d, 0, sizeof(d));
    char err[WR_ERR_MAX];
    assert_int_equal(svcconfig_parse(text, strlen(text), "wrench.conf", &d, err), 0);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.services[0].name, "shop");
    assert_int_equal(d.services[0].kind, SVC_TOMCAT);
    assert_string_equal(d.services[0].catalina_base, "/srv/shop");
    assert_string_equal(d.services[0].catalina_home, "/opt/tomcat");
    assert_int_equal(d.services[1].kind, SVC_SPRING_BOOT);
    assert_string_equal(d.services[1].jar, "/app/billing.jar");
    assert_int_equal(d.services[1].n_logs, 1);
    assert_string_equal(d.services[1].logs[0], "/var/log/billing/*.log");
    assert_string_equal(d.services[2].classpath, "lib/*:classes");
    assert_string_equal(d.services[0].origin, "config wrench.conf");
    assert_true(has(d.services[0].evidence, d.services[0].n_evidence, "services[0]"));
    svc_discovery_free(&d);
}

static void test_config_strict(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *message;
    } cases[] = {
        {"[]", "c.conf: top level: expected an object"},
        {"{\"services\": [], \"x\": 1}", "c.conf: top level: unknown key 'x'"},
        {"{}", "c.conf: services: missing"},
        {"{\"services\": {}}", "c.conf: services: expected an array"},
        {"{\"services\": [3]}", "c.conf: services[0]: expected an object"},
        {"{\"services\": [{\"kind\": \"jar\", \"paths\": {\"jar\": \"/a.jar\"}}]}",
         "c.conf: services[0].name: missing"},
        {"{\"services\": [{\"name\": \"\", \"kind\": \"jar\", \"paths\": {\"jar\": \"/a\"}}]}",
         "c.conf: services[0].name: expected a non-empty string"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"jar\": \"/a\"}},"
         "{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"jar\": \"/b\"}}]}",
         "c.conf: services[1].name: 'a' is already the name of services[0]"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"wildfly\", \"paths\": {}}]}",
         "c.conf: services[0].kind: expected one of"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"war\": \"/a\"}}]}",
         "c.conf: services[0].paths.war: a jar service takes no such path"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"jar\": \"a.jar\"}}]}",
         "c.conf: services[0].paths.jar: must be an absolute path"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"jar\": 3}}]}",
         "c.conf: services[0].paths.jar: expected a non-empty string"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {}}]}",
         "c.conf: services[0].paths: a jar service needs jar"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"tomcat\", \"paths\": {}}]}",
         "c.conf: services[0].paths: a tomcat service needs catalina_base or catalina_home"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"war\"}]}",
         "c.conf: services[0].paths: missing"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"jar\": \"/a\"}, "
         "\"logs\": \"/x\"}]}",
         "c.conf: services[0].logs: expected an array"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"jar\": \"/a\"}, "
         "\"logs\": [\"logs/*\"]}]}",
         "c.conf: services[0].logs[0]: expected an absolute path"},
        {"{\"services\": [{\"name\": \"a\", \"kind\": \"jar\", \"paths\": {\"jar\": \"/a\"}, "
         "\"port\": 8080}]}",
         "c.conf: services[0]: unknown key 'port'"},
        {"{\"services\": [", "c.conf: line 1"},
        {"{\"services\": [], \"services\": []}", "c.conf: line 1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct svc_discovery d;
        memset(&d, 0, sizeof(d));
        char err[WR_ERR_MAX] = "";
        int rc = svcconfig_parse(cases[i].json, strlen(cases[i].json), "c.conf", &d, err);
        if (rc != -1 || !str_has_prefix(err, cases[i].message))
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err, cases[i].message);
        assert_int_equal(d.n, 0);
        svc_discovery_free(&d);
    }
}

static void test_config_file_discovery(void **state)
{
    (void)state;
    fresh(state);
    put("/etc/custom.conf", "{\"services\": [{\"name\": \"a\", \"kind\": \"war\", \"paths\": "
                            "{\"war\": \"/srv/a.war\"}}]}");
    put("/usr/local/tomcat/conf/server.xml", "<Server><Host appBase=\"webapps\"/></Server>");
    struct svc_env env = {.wrench_config = "/etc/custom.conf"};
    struct svc_discovery d;
    char err[WR_ERR_MAX];
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    /* The config file is authoritative: /usr/local/tomcat is not looked at. */
    assert_int_equal(d.n, 1);
    assert_string_equal(d.config_file, "/etc/custom.conf");
    assert_string_equal(d.services[0].war, "/srv/a.war");
    assert_true(has(d.notes, d.n_notes, "/srv/a.war does not exist"));
    svc_discovery_free(&d);

    env.wrench_config = "/etc/missing.conf";
    assert_int_equal(svcconfig_discover(root, &env, &d, err), -1);
    assert_non_null(strstr(err, "WRENCH_CONFIG names /etc/missing.conf"));

    put("/etc/wrench/wrench.conf", "{\"services\": [{\"name\": 1}]}");
    env.wrench_config = NULL;
    assert_int_equal(svcconfig_discover(root, &env, &d, err), -1);
    assert_string_equal(err, "/etc/wrench/wrench.conf: services[0].name: expected a non-empty "
                             "string");
}

static void test_tomcat_conventional(void **state)
{
    (void)state;
    fresh(state);
    put("/usr/local/tomcat/conf/server.xml",
        "<?xml version=\"1.0\"?>\n<Server port=\"8005\">\n"
        "<!-- <Host name=\"old\" appBase=\"old-apps\"/> -->\n"
        "  <Service name=\"Catalina\"><Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
        "    <Host name=\"localhost\"  unpackWARs=\"true\"\n"
        "          appBase = 'apps' autoDeploy=\"true\">\n"
        "    </Host></Engine></Service></Server>\n");
    put("/usr/local/tomcat/conf/catalina.properties",
        "# comment\n"
        "package.access=sun.\n"
        "common.loader=\"${catalina.base}/lib\",\"${catalina.home}/lib/*.jar\", \\\n"
        "    ${custom.dir}/x.jar\n");
    put("/usr/local/tomcat/lib/catalina.jar", "");
    mkdirs("/usr/local/tomcat/apps/ROOT");
    mkdirs("/usr/local/tomcat/apps/shop");
    put("/usr/local/tomcat/apps/shop.war", "");
    put("/usr/local/tomcat/apps/admin.war", "");
    put("/usr/local/tomcat/apps/notes.txt", "");
    put("/usr/local/tomcat/logs/catalina.2026-11-27.log", "started\n");
    put("/usr/local/tomcat/logs/localhost_access_log.txt", "GET /\n");
    /* Debian's split: base in /var/lib, home in /usr/share. */
    put("/var/lib/tomcat9/conf/server.xml", "<Server/>");
    put("/usr/share/tomcat9/lib/catalina.jar", "");

    struct svc_env env = {.cwd = "/"};
    struct svc_discovery d;
    char err[WR_ERR_MAX];
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    assert_int_equal(d.n, 2);
    const struct svc_service *s = &d.services[0];
    assert_string_equal(s->name, "tomcat");
    assert_int_equal(s->kind, SVC_TOMCAT);
    assert_string_equal(s->catalina_base, "/usr/local/tomcat");
    assert_string_equal(s->catalina_home, "/usr/local/tomcat");
    assert_true(has(s->evidence, s->n_evidence, "found /usr/local/tomcat/conf/server.xml"));
    assert_true(has(s->evidence, s->n_evidence, "found /usr/local/tomcat/lib/catalina.jar"));
    assert_string_equal(s->app_base, "/usr/local/tomcat/apps");
    assert_int_equal(s->n_webapps, 3);
    assert_string_equal(s->webapps[0], "/usr/local/tomcat/apps/ROOT");
    assert_string_equal(s->webapps[1], "/usr/local/tomcat/apps/admin.war");
    assert_string_equal(s->webapps[2], "/usr/local/tomcat/apps/shop");
    assert_int_equal(s->n_common_loader, 3);
    assert_string_equal(s->common_loader[0], "/usr/local/tomcat/lib");
    assert_string_equal(s->common_loader[1], "/usr/local/tomcat/lib/*.jar");
    assert_string_equal(s->common_loader[2], "${custom.dir}/x.jar");
    assert_true(has(d.notes, d.n_notes, "unknown property"));
    char *cp = svcconfig_common_loader_classpath(root, s);
    char *want = xasprintf("%s/usr/local/tomcat/lib:%s/usr/local/tomcat/lib/*", root, root);
    assert_string_equal(cp, want);
    free(cp);
    free(want);
    char **logs = NULL;
    size_t n_logs = 0, logs_cap = 0;
    svcconfig_expand_logs(root, s, &logs, &n_logs, &logs_cap);
    assert_int_equal(n_logs, 2);
    assert_true(str_has_suffix(logs[0], "/usr/local/tomcat/logs/catalina.2026-11-27.log"));
    for (size_t i = 0; i < n_logs; i++)
        free(logs[i]);
    free(logs);

    s = &d.services[1];
    assert_string_equal(s->name, "tomcat9");
    assert_string_equal(s->catalina_base, "/var/lib/tomcat9");
    assert_string_equal(s->catalina_home, "/usr/share/tomcat9");
    assert_string_equal(s->app_base, "/var/lib/tomcat9/webapps");
    assert_true(has(d.notes, d.n_notes, "no <Host>"));
    assert_int_equal(s->n_common_loader, 4); /* Tomcat's default */
    assert_string_equal(s->common_loader[3], "/usr/share/tomcat9/lib/*.jar");
    assert_true(has(d.not_found, d.n_not_found, "/usr/share/tomcat9: a Tomcat installation"));
    assert_true(has(d.not_found, d.n_not_found, "/opt/tomcat*: nothing there"));
    assert_true(has(d.not_found, d.n_not_found, "/app: no such directory"));
    assert_true(has(d.not_found, d.n_not_found, "/etc/wrench/wrench.conf: no config file"));
    svc_discovery_free(&d);
}

static void test_jars_in_conventional_places(void **state)
{
    (void)state;
    fresh(state);
    put_jar("/app/app.jar", "Manifest-Version: 1.0\r\nMain-Class: "
                            "org.springframework.boot.loader.JarLauncher\r\nStart-Class: "
                            "com.acme.App\r\n\r\n");
    put_jar("/opt/app/a.jar", "Manifest-Version: 1.0\nMain-Class: a.A\n");
    put_jar("/opt/app/b.jar", "Manifest-Version: 1.0\nMain-Class: b.B\n");
    put_jar("/work/lib.jar", "Manifest-Version: 1.0\n");
    struct svc_env env = {.cwd = "/work"};
    struct svc_discovery d;
    char err[WR_ERR_MAX];
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.services[0].name, "app");
    assert_int_equal(d.services[0].kind, SVC_SPRING_BOOT);
    assert_string_equal(d.services[0].jar, "/app/app.jar");
    assert_string_equal(d.services[0].logs[0], "/app/logs/*");
    assert_true(has(d.services[0].evidence, d.services[0].n_evidence, "a Spring Boot jar"));
    assert_true(has(d.not_found, d.n_not_found, "/work/lib.jar: a jar without Main-Class"));
    assert_true(has(d.not_found, d.n_not_found, "/opt/app: 2 jars (a.jar, b.jar)"));
    svc_discovery_free(&d);

    /* A plain executable jar, a broken one. */
    fresh(state);
    put_jar("/app/tool.jar", "Manifest-Version: 1.0\nMain-Class: t.Tool\n");
    put("/opt/app/broken.jar", "not a zip");
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.services[0].kind, SVC_JAR);
    assert_true(has(d.not_found, d.n_not_found, "/opt/app/broken.jar: not a readable jar"));
    assert_true(has(d.not_found, d.n_not_found, "/work: no such directory"));
    svc_discovery_free(&d);
}

static void test_environment_overrides(void **state)
{
    (void)state;
    fresh(state);
    put("/srv/tc/conf/server.xml", "<Server><Host appBase=\"${catalina.home}/apps\"/></Server>");
    put("/usr/local/tomcat/conf/server.xml", "<Server/>");
    mkdirs("/opt/tc-home/apps/ROOT");
    struct svc_env env = {.catalina_base = "/srv/tc", .catalina_home = "/opt/tc-home"};
    struct svc_discovery d;
    char err[WR_ERR_MAX];
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    assert_int_equal(d.n, 1); /* conventional places skipped */
    assert_string_equal(d.services[0].origin, "environment CATALINA_BASE");
    assert_string_equal(d.services[0].catalina_home, "/opt/tc-home");
    assert_string_equal(d.services[0].app_base, "/opt/tc-home/apps");
    assert_int_equal(d.services[0].n_webapps, 1);
    svc_discovery_free(&d);

    put("/srv/shop.war", "");
    memset(&env, 0, sizeof(env));
    env.wrench_app = "/srv/shop.war";
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.services[0].kind, SVC_WAR);
    assert_string_equal(d.services[0].name, "shop");
    svc_discovery_free(&d);

    mkdirs("/srv/exploded/WEB-INF/lib");
    env.wrench_app = "exploded";
    env.cwd = "/srv";
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.services[0].kind, SVC_WAR);
    assert_string_equal(d.services[0].war, "/srv/exploded");
    svc_discovery_free(&d);

    env.wrench_app = "/srv/none.jar";
    assert_int_equal(svcconfig_discover(root, &env, &d, err), 0);
    assert_true(has(d.not_found, d.n_not_found, "WRENCH_APP=/srv/none.jar: no such file"));
    /* Nothing from the environment: the conventional places were searched. */
    assert_int_equal(d.n, 1);
    assert_string_equal(d.services[0].catalina_base, "/usr/local/tomcat");
    svc_discovery_free(&d);
}

static void test_properties(void **state)
{
    (void)state;
    const char *text = "# comment = no\n"
                       "! another\n"
                       "a=1\n"
                       "  b : two words  \n"
                       "c three\n"
                       "long = first, \\\n"
                       "       second, \\\\\n"
                       "d=\\u0041\\t\\z\n"
                       "a=last\n"
                       "key\\ with\\ space=yes\r\n"
                       "e=";
    char *v;
    assert_string_equal(v = svcconfig_property(text, strlen(text), "a"), "last");
    free(v);
    assert_string_equal(v = svcconfig_property(text, strlen(text), "b"), "two words  ");
    free(v);
    assert_string_equal(v = svcconfig_property(text, strlen(text), "c"), "three");
    free(v);
    assert_string_equal(v = svcconfig_property(text, strlen(text), "long"), "first, second, \\");
    free(v);
    assert_string_equal(v = svcconfig_property(text, strlen(text), "d"), "A\tz");
    free(v);
    assert_string_equal(v = svcconfig_property(text, strlen(text), "key with space"), "yes");
    free(v);
    assert_string_equal(v = svcconfig_property(text, strlen(text), "e"), "");
    free(v);
    assert_null(svcconfig_property(text, strlen(text), "comment"));
    assert_null(svcconfig_property(text, strlen(text), "missing"));
    assert_null(svcconfig_property("x=\\u12", 6, "y"));
}

static void test_loader_split_and_expand(void **state)
{
    (void)state;
    char **items = NULL;
    size_t n = 0, cap = 0;
    svcconfig_split_loader(" \"/a,b\" , /c/*.jar,,\"\",  /d  ", &items, &n, &cap);
    assert_int_equal(n, 3);
    assert_string_equal(items[0], "/a,b");
    assert_string_equal(items[1], "/c/*.jar");
    assert_string_equal(items[2], "/d");
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    const char *vars[] = {"catalina.base", "/b", "catalina.home", "/h"};
    char *e = svcconfig_expand("${catalina.base}/lib:${catalina.home}:${x}:${unclosed", vars, 2);
    assert_string_equal(e, "/b/lib:/h:${x}:${unclosed");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_valid),
        cmocka_unit_test(test_config_strict),
        cmocka_unit_test(test_config_file_discovery),
        cmocka_unit_test(test_tomcat_conventional),
        cmocka_unit_test(test_jars_in_conventional_places),
        cmocka_unit_test(test_environment_overrides),
        cmocka_unit_test(test_properties),
        cmocka_unit_test(test_loader_split_and_expand),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
