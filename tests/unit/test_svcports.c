/*
 * test_svcports.c - the ports a Spring Boot or Dubbo service declares, taken from every place
 * Spring Boot reads them, in its precedence: "--key=value" arguments, -D, the environment,
 * profile-specific and plain application files outside the jar (./config/, ./, and
 * spring.config.location / additional-location), then those packaged in the jar
 * (BOOT-INF/classes/ of a real zip written with libzip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <zip.h>

#include "svcports.h"
#include "util.h"

#include "fixture.h"

static char root[] = "/tmp/wrench-svcports-XXXXXX";

static char *at(const char *rel)
{
    return xasprintf("%s/%s", root, rel);
}

static void put(const char *rel, const char *text)
{
    char *full = at(rel);
    fixture_write(full, text, strlen(text));
    free(full);
}

/* A Spring Boot jar: its packaged application files under BOOT-INF/classes/. */
static void put_boot_jar(const char *rel, const char *const *names, const char *const *texts,
                         size_t n)
{
    char *full = at(rel);
    int zerr;
    zip_t *z = zip_open(full, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    assert_true(zip_dir_add(z, "BOOT-INF/classes/", 0) >= 0);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
        assert_non_null(src);
        char *name = xasprintf("BOOT-INF/classes/%s", names[i]);
        assert_true(zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0);
        free(name);
    }
    assert_int_equal(zip_close(z), 0);
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

static int fresh(void **state)
{
    (void)state;
    return fixture_root_empty(root);
}

/* Relative locations are the process's working directory: here, the root. */
static char *in_root(const void *ctx, const char *path)
{
    (void)ctx;
    if (strncmp(path, "./", 2) == 0)
        path += 2;
    return path[0] == '/' ? xstrdup(path) : at(path);
}

struct declared {
    struct port_list list;
    char *dirs[2];
    const char *config_dirs[2];
    char *jar;
};

static void declare(struct declared *d, char *const *args, size_t n_args, char *const *props,
                    size_t n_props, char *const *env, size_t n_env, bool with_jar)
{
    memset(d, 0, sizeof(*d));
    d->dirs[0] = xstrdup("config");
    d->dirs[1] = xstrdup(".");
    d->config_dirs[0] = d->dirs[0];
    d->config_dirs[1] = d->dirs[1];
    d->jar = with_jar ? at("app.jar") : NULL;
    struct port_sources src = {.args = args,
                               .n_args = n_args,
                               .props = props,
                               .n_props = n_props,
                               .env = env,
                               .n_env = n_env,
                               .config_dirs = d->config_dirs,
                               .n_config_dirs = 2,
                               .app_jar = d->jar,
                               .host_path = in_root};
    svcports_declared(&src, &d->list);
}

static void declared_free(struct declared *d)
{
    port_list_free(&d->list);
    free(d->dirs[0]);
    free(d->dirs[1]);
    free(d->jar);
}

/* The port declared for `what_prefix` ("server.port", "management", "dubbo"); -1 none. */
static int port_of(const struct declared *d, const char *what_prefix, const char **source)
{
    for (size_t i = 0; i < d->list.n; i++)
        if (strncmp(d->list.items[i].what, what_prefix, strlen(what_prefix)) == 0) {
            if (source)
                *source = d->list.items[i].source;
            return d->list.items[i].port;
        }
    return -1;
}

static void assert_source_ends(const char *source, const char *tail)
{
    assert_non_null(source);
    assert_true(str_has_suffix(source, tail));
}

static void test_packaged_files_are_read_from_the_jar(void **state)
{
    (void)state;
    const char *names[] = {"application.yml", "application-prod.properties", "dubbo.properties"};
    const char *texts[] = {"server:\n  port: 8080\nmanagement:\n  server:\n    port: 8081\n",
                           "server.port=8443\n", "dubbo.protocol.port=20880\n"};
    put_boot_jar("app.jar", names, texts, 3);
    struct declared d;
    const char *source = NULL;
    declare(&d, NULL, 0, NULL, 0, NULL, 0, true);
    assert_int_equal(port_of(&d, "server.port", &source), 8080);
    assert_source_ends(source, "app.jar!/BOOT-INF/classes/application.yml");
    assert_int_equal(port_of(&d, "management", NULL), 8081);
    assert_int_equal(port_of(&d, "dubbo", &source), 20880);
    assert_source_ends(source, "app.jar!/BOOT-INF/classes/dubbo.properties");
    declared_free(&d);

    /* the profile named in the environment: its packaged file wins over the plain one */
    char *env[] = {"SPRING_PROFILES_ACTIVE=dev,prod"};
    declare(&d, NULL, 0, NULL, 0, env, 1, true);
    assert_int_equal(port_of(&d, "server.port", &source), 8443);
    assert_source_ends(source, "application-prod.properties");
    assert_int_equal(port_of(&d, "management", NULL), 8081);
    declared_free(&d);

    /* without the jar nothing is declared */
    declare(&d, NULL, 0, NULL, 0, NULL, 0, false);
    assert_int_equal(d.list.n, 0);
    declared_free(&d);
}

static void test_outside_files_win_over_packaged_ones(void **state)
{
    (void)state;
    const char *names[] = {"application.properties", "application-prod.properties"};
    const char *texts[] = {"server.port=8080\nspring.profiles.active=prod\n",
                           "server.port=8443\nmanagement.server.port=9443\n"};
    put_boot_jar("app.jar", names, texts, 2);
    put("application.properties", "server.port=7000\n");
    put("config/application.yml", "server:\n  port: 7100\n");
    struct declared d;
    const char *source = NULL;
    /* ./config/ before ./; a plain file outside the jar before a profile file inside it */
    declare(&d, NULL, 0, NULL, 0, NULL, 0, true);
    assert_int_equal(port_of(&d, "server.port", &source), 7100);
    assert_source_ends(source, "/config/application.yml");
    /* the profile named in the packaged file still selects its packaged file */
    assert_int_equal(port_of(&d, "management", &source), 9443);
    assert_source_ends(source, "!/BOOT-INF/classes/application-prod.properties");
    declared_free(&d);

    /* a profile file outside the jar wins over every plain one */
    put("application-prod.properties", "server.port=7200\n");
    declare(&d, NULL, 0, NULL, 0, NULL, 0, true);
    assert_int_equal(port_of(&d, "server.port", &source), 7200);
    assert_source_ends(source, "/application-prod.properties");
    declared_free(&d);
}

static void test_arguments_and_locations(void **state)
{
    (void)state;
    put("application.properties", "server.port=7000\n");
    put("etc/app/application.properties", "server.port=6000\n");
    put("extra/application.yml", "server:\n  port: 6100\n");
    put("one/file.properties", "management.server.port=6200\n");
    struct declared d;
    const char *source = NULL;

    /* "--server.port=N" after the main class wins over -D and the environment */
    char *args[] = {"--spring.main.banner-mode=off", "--server.port=5000", "positional"};
    char *props[] = {"server.port=5100"};
    char *env[] = {"SERVER_PORT=5200"};
    declare(&d, args, 3, props, 1, env, 1, false);
    assert_int_equal(port_of(&d, "server.port", &source), 5000);
    assert_string_equal(source, "--server.port");
    declared_free(&d);
    declare(&d, args + 2, 1, props, 1, env, 1, false);
    assert_int_equal(port_of(&d, "server.port", &source), 5100);
    assert_string_equal(source, "-Dserver.port");
    declared_free(&d);

    /* spring.config.location replaces ./config/ and ./; a file location is read as named */
    char *location[] = {"spring.config.location=optional:file:./etc/app/,file:one/file.properties"};
    declare(&d, NULL, 0, location, 1, NULL, 0, false);
    assert_int_equal(port_of(&d, "server.port", &source), 6000);
    assert_source_ends(source, "/etc/app/application.properties");
    assert_int_equal(port_of(&d, "management", &source), 6200);
    assert_source_ends(source, "/one/file.properties");
    declared_free(&d);

    /* an additional location comes before the defaults, which stay */
    char *extra[] = {"SPRING_CONFIG_ADDITIONALLOCATION=file:./extra/"};
    declare(&d, NULL, 0, NULL, 0, extra, 1, false);
    assert_int_equal(port_of(&d, "server.port", &source), 6100);
    assert_source_ends(source, "/extra/application.yml");
    declared_free(&d);
    declare(&d, NULL, 0, NULL, 0, NULL, 0, false);
    assert_int_equal(port_of(&d, "server.port", &source), 7000);
    declared_free(&d);
}

static void test_a_damaged_jar_declares_nothing_and_does_not_fail(void **state)
{
    (void)state;
    put("app.jar", "PK\x03\x04 not a zip at all");
    put("application.properties", "server.port=7000\n");
    struct declared d;
    declare(&d, NULL, 0, NULL, 0, NULL, 0, true);
    assert_int_equal(port_of(&d, "server.port", NULL), 7000);
    assert_int_equal(d.list.n, 1);
    declared_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_packaged_files_are_read_from_the_jar, fresh),
        cmocka_unit_test_setup(test_outside_files_win_over_packaged_ones, fresh),
        cmocka_unit_test_setup(test_arguments_and_locations, fresh),
        cmocka_unit_test_setup(test_a_damaged_jar_declares_nothing_and_does_not_fail, fresh),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
