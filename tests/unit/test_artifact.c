/*
 * test_artifact.c - unit tests for artifact.c: file-name splitting on real
 * Maven, Debian and odd names, pom.properties parsing, and the identity
 * decision between poms, manifest and file name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "artifact.h"
#include "manifest.h"
#include "model.h"
#include "util.h"

struct name_case {
    const char *file;
    const char *name;
    const char *version; /* NULL: no version */
};

static const struct name_case name_cases[] = {
    {"spring-core-5.3.20.RELEASE.jar", "spring-core", "5.3.20.RELEASE"},
    {"guava-31.1-jre.jar", "guava", "31.1-jre"},
    {"log4j-1.2-api-2.17.1.jar", "log4j-1.2-api", "2.17.1"},
    {"myapp-1.0-20230101.123456-1.jar", "myapp", "1.0-20230101.123456-1"},
    {"akka-slf4j_2.12-2.5.32.jar", "akka-slf4j_2.12", "2.5.32"},
    {"guava-r06.jar", "guava", "r06"},
    {"commons-lang3.jar", "commons-lang3", NULL},
    {"netty-transport-native-epoll-4.1.86.Final-linux-x86_64.jar", "netty-transport-native-epoll",
     "4.1.86.Final-linux-x86_64"},
    {"slf4j-api-2.0.0-alpha1.jar", "slf4j-api", "2.0.0-alpha1"},
    {"foo-1.0-SNAPSHOT.jar", "foo", "1.0-SNAPSHOT"},
    {"jackson-core-2.13.4.jar", "jackson-core", "2.13.4"},
    {"log4j-slf4j-impl-2.17.1.jar", "log4j-slf4j-impl", "2.17.1"},
    {"maven-core-3.x.jar", "maven-core", "3.x"},
    {"guava.jar", "guava", NULL},
    {"GUAVA-18.0.JAR", "GUAVA", "18.0"},
    {"hadoop-common-3.3.4-tests.jar", "hadoop-common", "3.3.4-tests"},
    {"bcprov-jdk15on-1.70.jar", "bcprov-jdk15on", "1.70"},
    {"jakarta.servlet-api-5.0.0.jar", "jakarta.servlet-api", "5.0.0"},
    {"scala-library-2.13.8.jar", "scala-library", "2.13.8"},
    {"kotlin-stdlib-jdk8-1.7.10.jar", "kotlin-stdlib-jdk8", "1.7.10"},
    {"x-1.jar", "x", "1"},
    {"/opt/app/lib/jackson-databind-2.13.4.2.jar", "jackson-databind", "2.13.4.2"},
    {"app.jar!/BOOT-INF/lib/snakeyaml-1.30.jar", "snakeyaml", "1.30"},
    {"-1.0.jar", "-1.0", NULL},
    {"", "", NULL},
    {".jar", "", NULL},
    {"ROOT.war", "ROOT", NULL},
    {"demo-0.0.1-SNAPSHOT.WAR", "demo", "0.0.1-SNAPSHOT"},
    {"listenablefuture-9999.0-empty-to-avoid-conflict-with-guava.jar", "listenablefuture",
     "9999.0-empty-to-avoid-conflict-with-guava"},
    {"log4j-1.2-api.jar", "log4j", "1.2-api"},
    {"jetty-util-9.4.49.v20220914.jar", "jetty-util", "9.4.49.v20220914"},
    {"r2dbc-spi-1.0.0.RELEASE.jar", "r2dbc-spi", "1.0.0.RELEASE"},
    {"io-r2dbc-pool-1.0.jar", "io-r2dbc-pool", "1.0"},
    {"javax.inject-1.jar", "javax.inject", "1"},
    {"hibernate-core-5.3.20.Final-redhat-00001.jar", "hibernate-core", "5.3.20.Final-redhat-00001"},
    {"foo--1.0.jar", "foo", "1.0"},
    {"lib/", "", NULL},
    {"plain", "plain", NULL},
};

static void test_parse_filename_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
        const struct name_case *c = &name_cases[i];
        char *name = NULL, *version = NULL;
        artifact_parse_filename(c->file, &name, &version);
        bool name_ok = name && strcmp(name, c->name) == 0;
        bool version_ok = c->version ? version && strcmp(version, c->version) == 0 : !version;
        if (!name_ok || !version_ok)
            fail_msg("\"%s\": got name \"%s\" version \"%s\", want \"%s\" \"%s\"", c->file,
                     name ? name : "(null)", version ? version : "(null)", c->name,
                     c->version ? c->version : "(null)");
        free(name);
        free(version);
    }
}

static void test_parse_filename_null(void **state)
{
    (void)state;
    char *name, *version;
    artifact_parse_filename(NULL, &name, &version);
    assert_string_equal(name, "");
    assert_null(version);
    free(name);
}

/* Names built from pieces of real ones: the name is never NULL, and name and
 * version are a prefix and a suffix of the stem. */
static void test_parse_filename_fragments(void **state)
{
    (void)state;
    static const char *const pieces[] = {"-",     "a",   "1",     "1.0",      "r06",
                                         "v2",    "jre", "Final", "api",      "x86_64",
                                         "_2.12", ".",   "/",     "SNAPSHOT", "--"};
    enum { ROUNDS = 5000, MAX_PIECES = 12 };
    uint32_t seed = 7;
    for (int round = 0; round < ROUNDS; round++) {
        struct strbuf sb = {0};
        seed = seed * 1103515245u + 12345u;
        uint32_t count = (seed >> 16) % MAX_PIECES;
        for (uint32_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            strbuf_puts(&sb, pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))]);
        }
        strbuf_puts(&sb, ".jar");
        const char *base = strrchr(sb.data, '/') ? strrchr(sb.data, '/') + 1 : sb.data;
        size_t stem_len = strlen(base) - strlen(".jar");
        char *name, *version;
        artifact_parse_filename(sb.data, &name, &version);
        assert_non_null(name);
        assert_true(strlen(name) <= stem_len);
        assert_memory_equal(name, base, strlen(name));
        if (version) {
            assert_true(*name);
            assert_true(strlen(name) + 1 + strlen(version) <= stem_len);
            assert_memory_equal(version, base + stem_len - strlen(version), strlen(version));
            assert_int_equal(base[stem_len - strlen(version) - 1], '-');
        }
        free(name);
        free(version);
        strbuf_free(&sb);
    }
}

static int parse_pom(const char *text, struct artifact *a)
{
    memset(a, 0, sizeof(*a));
    return artifact_parse_pom_properties(text, strlen(text), a);
}

static void test_pom_maven(void **state)
{
    (void)state;
    struct artifact a;
    assert_int_equal(parse_pom("#Generated by Maven\n"
                               "#Tue Jan 11 10:00:00 UTC 2022\n"
                               "groupId=com.google.guava\n"
                               "artifactId=guava\n"
                               "version=31.1-jre\n",
                               &a),
                     0);
    assert_string_equal(a.group, "com.google.guava");
    assert_string_equal(a.name, "guava");
    assert_string_equal(a.version, "31.1-jre");
    assert_int_equal(a.evidence, EVIDENCE_POM);
    assert_null(a.source);
    artifact_clear(&a);
}

static void test_pom_separators_and_comments(void **state)
{
    (void)state;
    struct artifact a;
    assert_int_equal(parse_pom("! bang comment artifactId=wrong\r\n"
                               "   # indented comment\r\n"
                               "\r\n"
                               "groupId : org.acme   \r\n"
                               "artifactId\t\tmy-lib\r\n"
                               "version:1.0\r\n",
                               &a),
                     0);
    assert_string_equal(a.group, "org.acme");
    assert_string_equal(a.name, "my-lib");
    assert_string_equal(a.version, "1.0");
    artifact_clear(&a);

    /* CR-only line ends, no final newline, last occurrence wins. */
    assert_int_equal(parse_pom("artifactId=first\rartifactId = second\rversion=2", &a), 0);
    assert_string_equal(a.name, "second");
    assert_string_equal(a.version, "2");
    assert_null(a.group);
    artifact_clear(&a);
}

static void test_pom_continuations_and_escapes(void **state)
{
    (void)state;
    struct artifact a;
    assert_int_equal(parse_pom("groupId=org.\\\n"
                               "    example\n"
                               "artifactId=caf\\u00e9-lib\n"
                               "version=1.0\\\\\n"
                               "# a comment ending in a backslash does not continue \\\n"
                               "art\\=x=y\n",
                               &a),
                     0);
    assert_string_equal(a.group, "org.example");
    assert_string_equal(a.name, "caf\xC3\xA9-lib");
    assert_string_equal(a.version, "1.0\\");
    artifact_clear(&a);

    /* Malformed and truncated escapes do not crash. */
    assert_int_equal(parse_pom("artifactId=a\\uZZ\\u12\\", &a), 0);
    assert_string_equal(a.name, "auZZu12");
    artifact_clear(&a);
    /* A continuation backslash at the very end is dropped, as in Java. */
    assert_int_equal(parse_pom("artifactId=x\\", &a), 0);
    assert_string_equal(a.name, "x");
    artifact_clear(&a);
}

static void test_pom_missing_artifact_id(void **state)
{
    (void)state;
    struct artifact a;
    assert_int_equal(parse_pom("groupId=g\nversion=1\n", &a), -1);
    assert_null(a.group);
    assert_null(a.version);
    assert_int_equal(parse_pom("artifactId=\n", &a), -1);
    assert_int_equal(parse_pom("ArtifactId=case-matters\n", &a), -1);
    assert_int_equal(parse_pom("", &a), -1);
    assert_int_equal(artifact_parse_pom_properties(NULL, 0, &a), -1);

    static const char nul[] = "groupId=g\n\0artifactId=hidden\n";
    assert_int_equal(artifact_parse_pom_properties(nul, sizeof(nul) - 1, &a), -1);
}

static void make_pom(struct pom_found *p, const char *group, const char *name, const char *version)
{
    memset(p, 0, sizeof(*p));
    p->artifact.group = xstrdup(group);
    p->artifact.name = xstrdup(name);
    p->artifact.version = xstrdup(version);
    p->artifact.evidence = EVIDENCE_POM;
    p->artifact.source = xasprintf("META-INF/maven/%s/%s/pom.properties", group, name);
}

struct identity {
    struct artifact self;
    struct artifact *embedded;
    size_t n_embedded;
    size_t cap;
};

static void identify(struct identity *id, const struct pom_found *poms, size_t n,
                     const struct manifest *mf, const char *filename)
{
    memset(id, 0, sizeof(*id));
    artifact_identify(poms, n, mf, filename, &id->self, &id->embedded, &id->n_embedded, &id->cap);
}

static void identity_clear(struct identity *id)
{
    artifact_clear(&id->self);
    for (size_t i = 0; i < id->n_embedded; i++)
        artifact_clear(&id->embedded[i]);
    free(id->embedded);
}

static void assert_artifact(const struct artifact *a, const char *group, const char *name,
                            const char *version, enum evidence ev, const char *source)
{
    if (group)
        assert_string_equal(a->group, group);
    else
        assert_null(a->group);
    if (name)
        assert_string_equal(a->name, name);
    else
        assert_null(a->name);
    if (version)
        assert_string_equal(a->version, version);
    else
        assert_null(a->version);
    assert_int_equal(a->evidence, ev);
    if (source)
        assert_string_equal(a->source, source);
    else
        assert_null(a->source);
}

static void test_identify_single_pom_is_self(void **state)
{
    (void)state;
    struct pom_found pom;
    make_pom(&pom, "com.google.guava", "guava", "31.1-jre");
    struct identity id;
    /* Even renamed, a lone pom is the jar itself. */
    identify(&id, &pom, 1, NULL, "lib/renamed.jar");
    assert_artifact(&id.self, "com.google.guava", "guava", "31.1-jre", EVIDENCE_POM,
                    "META-INF/maven/com.google.guava/guava/pom.properties");
    assert_int_equal(id.n_embedded, 0);
    identity_clear(&id);
    artifact_clear(&pom.artifact);
}

static void test_identify_shaded_jar(void **state)
{
    (void)state;
    struct pom_found poms[3];
    make_pom(&poms[0], "com.google.guava", "guava", "30.0-jre");
    make_pom(&poms[1], "org.acme", "acme-client", "2.4.0");
    make_pom(&poms[2], "com.fasterxml.jackson.core", "jackson-core", "2.13.4");
    struct identity id;
    identify(&id, poms, 3, NULL, "/app/lib/acme-client-2.4.0.jar");
    assert_artifact(&id.self, "org.acme", "acme-client", "2.4.0", EVIDENCE_POM,
                    "META-INF/maven/org.acme/acme-client/pom.properties");
    assert_int_equal(id.n_embedded, 2);
    assert_string_equal(id.embedded[0].name, "guava");
    assert_string_equal(id.embedded[1].name, "jackson-core");
    assert_int_equal(id.embedded[1].evidence, EVIDENCE_POM);
    identity_clear(&id);

    /* Only the stem prefix matches: the file-name rule finds no version here. */
    identify(&id, poms, 3, NULL, "acme-client-shaded.jar");
    assert_string_equal(id.self.name, "acme-client");
    assert_int_equal(id.n_embedded, 2);
    identity_clear(&id);
    for (size_t i = 0; i < 3; i++)
        artifact_clear(&poms[i].artifact);
}

static void test_identify_prefers_longest_match(void **state)
{
    (void)state;
    struct pom_found poms[2];
    make_pom(&poms[0], "org.foo", "foo", "1.0");
    make_pom(&poms[1], "org.foo", "foo-core", "1.0");
    struct identity id;
    identify(&id, poms, 2, NULL, "FOO-CORE-shaded.jar");
    assert_string_equal(id.self.name, "foo-core");
    assert_int_equal(id.n_embedded, 1);
    assert_string_equal(id.embedded[0].name, "foo");
    identity_clear(&id);
    for (size_t i = 0; i < 2; i++)
        artifact_clear(&poms[i].artifact);
}

static void test_identify_no_pom_matches(void **state)
{
    (void)state;
    struct pom_found poms[2];
    make_pom(&poms[0], "com.google.guava", "guava", "30.0-jre");
    make_pom(&poms[1], "com.google.code.gson", "gson", "2.9.0");
    struct manifest mf;
    manifest_parse(&mf, "Implementation-Version: 7.1\n", strlen("Implementation-Version: 7.1\n"));
    struct identity id;
    identify(&id, poms, 2, &mf, "uber-7.1.jar");
    assert_artifact(&id.self, NULL, "uber", "7.1", EVIDENCE_MANIFEST,
                    "MANIFEST.MF Implementation-Version");
    assert_int_equal(id.n_embedded, 2);
    assert_string_equal(id.embedded[0].name, "guava");
    assert_string_equal(id.embedded[1].name, "gson");
    identity_clear(&id);

    /* Without a manifest version: the file name. */
    identify(&id, poms, 2, NULL, "/x/uber-7.1.jar");
    assert_artifact(&id.self, NULL, "uber", "7.1", EVIDENCE_FILENAME, "uber-7.1.jar");
    assert_int_equal(id.n_embedded, 2);
    identity_clear(&id);
    manifest_clear(&mf);
    for (size_t i = 0; i < 2; i++)
        artifact_clear(&poms[i].artifact);
}

static void test_identify_single_foreign_pom_is_embedded(void **state)
{
    (void)state;
    /* Debian's guice jar: one shaded cglib pom, and a manifest naming guice. */
    static const char text[] = "Bundle-SymbolicName: com.google.inject\n"
                               "Bundle-Version: 4.2.3\n";
    struct manifest mf;
    manifest_parse(&mf, text, sizeof(text) - 1);
    struct pom_found pom;
    make_pom(&pom, "cglib", "cglib", "3.2.12");
    struct identity id;
    identify(&id, &pom, 1, &mf, "/usr/share/java/guice-4.2.3.jar");
    assert_artifact(&id.self, NULL, "guice", "4.2.3", EVIDENCE_MANIFEST,
                    "MANIFEST.MF Bundle-Version");
    assert_int_equal(id.n_embedded, 1);
    assert_string_equal(id.embedded[0].name, "cglib");
    identity_clear(&id);
    /* A manifest that agrees with the pom keeps it as the identity of a renamed jar. */
    static const char app[] = "Implementation-Title: myapp\nImplementation-Version: 1.0\n";
    manifest_clear(&mf);
    manifest_parse(&mf, app, sizeof(app) - 1);
    identify(&id, &pom, 0, &mf, "app.jar");
    identity_clear(&id);
    struct pom_found mine;
    make_pom(&mine, "com.acme", "myapp", "1.0");
    identify(&id, &mine, 1, &mf, "app.jar");
    assert_artifact(&id.self, "com.acme", "myapp", "1.0", EVIDENCE_POM,
                    "META-INF/maven/com.acme/myapp/pom.properties");
    identity_clear(&id);
    artifact_clear(&mine.artifact);
    artifact_clear(&pom.artifact);
    manifest_clear(&mf);
}

static void test_identify_manifest(void **state)
{
    (void)state;
    static const char text[] = "Manifest-Version: 1.0\n"
                               "Bundle-SymbolicName: org.apache.commons.lang3\n"
                               "Bundle-Version: 3.12.0\n"
                               "Implementation-Version: 3.12.0-impl\n"
                               "Implementation-Vendor-Id: org.apache.commons\n";
    struct manifest mf;
    manifest_parse(&mf, text, sizeof(text) - 1);
    struct identity id;
    /* A Debian-style unversioned name: the version comes from the manifest, and
     * Implementation-Version wins over the OSGi-normalised Bundle-Version. */
    identify(&id, NULL, 0, &mf, "/usr/share/java/commons-lang3.jar");
    assert_artifact(&id.self, "org.apache.commons", "commons-lang3", "3.12.0-impl",
                    EVIDENCE_MANIFEST, "MANIFEST.MF Implementation-Version");
    assert_int_equal(id.n_embedded, 0);
    assert_null(id.embedded);
    identity_clear(&id);

    /* With no name in the file, the symbolic name stands in. */
    identify(&id, NULL, 0, &mf, ".jar");
    assert_artifact(&id.self, "org.apache.commons", "org.apache.commons.lang3", "3.12.0-impl",
                    EVIDENCE_MANIFEST, "MANIFEST.MF Implementation-Version");
    identity_clear(&id);
    manifest_clear(&mf);

    static const char spring[] = "Implementation-Title: spring-core\n"
                                 "Implementation-Version: 5.3.20\n"
                                 "Automatic-Module-Name: spring.core\n";
    manifest_parse(&mf, spring, sizeof(spring) - 1);
    identify(&id, NULL, 0, &mf, "spring-core-5.3.20.RELEASE.jar");
    assert_artifact(&id.self, NULL, "spring-core", "5.3.20", EVIDENCE_MANIFEST,
                    "MANIFEST.MF Implementation-Version");
    identity_clear(&id);
    identify(&id, NULL, 0, &mf, "");
    assert_string_equal(id.self.name, "spring.core");
    identity_clear(&id);
    manifest_clear(&mf);
}

static void test_identify_file_name_only(void **state)
{
    (void)state;
    struct manifest mf;
    manifest_parse(&mf, "Main-Class: a.B\n", strlen("Main-Class: a.B\n"));
    struct identity id;
    identify(&id, NULL, 0, &mf, "/lib/guava-31.1-jre.jar");
    assert_artifact(&id.self, NULL, "guava", "31.1-jre", EVIDENCE_FILENAME, "guava-31.1-jre.jar");
    identity_clear(&id);
    identify(&id, NULL, 0, NULL, "commons-lang3.jar");
    assert_artifact(&id.self, NULL, "commons-lang3", NULL, EVIDENCE_FILENAME, "commons-lang3.jar");
    identity_clear(&id);
    identify(&id, NULL, 0, NULL, "");
    assert_artifact(&id.self, NULL, NULL, NULL, EVIDENCE_NONE, NULL);
    identity_clear(&id);
    identify(&id, NULL, 0, NULL, NULL);
    assert_artifact(&id.self, NULL, NULL, NULL, EVIDENCE_NONE, NULL);
    identity_clear(&id);
    manifest_clear(&mf);
}

static void test_identify_appends_to_existing(void **state)
{
    (void)state;
    struct pom_found poms[2];
    make_pom(&poms[0], "g", "a", "1");
    make_pom(&poms[1], "g", "b", "2");
    struct identity id;
    identify(&id, poms, 2, NULL, "c.jar");
    artifact_clear(&id.self);
    /* A second call appends after what is already there. */
    artifact_identify(poms, 2, NULL, "c.jar", &id.self, &id.embedded, &id.n_embedded, &id.cap);
    assert_int_equal(id.n_embedded, 4);
    assert_string_equal(id.embedded[2].name, "a");
    assert_string_equal(id.embedded[3].name, "b");
    identity_clear(&id);
    for (size_t i = 0; i < 2; i++)
        artifact_clear(&poms[i].artifact);
}

static void test_key(void **state)
{
    (void)state;
    struct artifact a = {0};
    assert_null(artifact_key(&a));
    a.name = "guava";
    char *k = artifact_key(&a);
    assert_string_equal(k, "guava");
    free(k);
    a.group = "com.google.guava";
    k = artifact_key(&a);
    assert_string_equal(k, "com.google.guava:guava");
    free(k);
    a.group = "";
    k = artifact_key(&a);
    assert_string_equal(k, "guava");
    free(k);
    a.name = "";
    assert_null(artifact_key(&a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_filename_table),
        cmocka_unit_test(test_parse_filename_null),
        cmocka_unit_test(test_parse_filename_fragments),
        cmocka_unit_test(test_pom_maven),
        cmocka_unit_test(test_pom_separators_and_comments),
        cmocka_unit_test(test_pom_continuations_and_escapes),
        cmocka_unit_test(test_pom_missing_artifact_id),
        cmocka_unit_test(test_identify_single_pom_is_self),
        cmocka_unit_test(test_identify_shaded_jar),
        cmocka_unit_test(test_identify_prefers_longest_match),
        cmocka_unit_test(test_identify_no_pom_matches),
        cmocka_unit_test(test_identify_single_foreign_pom_is_embedded),
        cmocka_unit_test(test_identify_manifest),
        cmocka_unit_test(test_identify_file_name_only),
        cmocka_unit_test(test_identify_appends_to_existing),
        cmocka_unit_test(test_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
