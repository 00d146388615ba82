/*
 * test_jvm.c - unit tests for jvm.c: the launcher's @argfile splitting, sizes,
 * command lines read from the fixture /proc trees of testdata/proc (copied to
 * a temporary directory, where the NUL-separated files and symbolic links are
 * made from their text descriptions), hostile inputs, and one real JVM
 * started by the test and read back from the real /proc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "jvm.h"
#include "util.h"

#define FIXTURE_DIR "testdata/proc"
#define MIB (1024ULL * 1024)

static char tree[] = "/tmp/wrench-test-jvm-XXXXXX";
static char proc_root[sizeof(tree) + 16];

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf sb = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        strbuf_append(&sb, buf, n);
    fclose(f);
    return strbuf_take(&sb);
}

static char *replace_tree(const char *text)
{
    struct strbuf sb = {0};
    const char *p = text;
    const char *at;
    while ((at = strstr(p, "@TREE@")) != NULL) {
        strbuf_append(&sb, p, (size_t)(at - p));
        strbuf_puts(&sb, proc_root);
        p = at + strlen("@TREE@");
    }
    strbuf_puts(&sb, p);
    return strbuf_take(&sb);
}

/* cmdline.txt -> cmdline (lines become NUL-terminated), x.link -> symlink x. */
static int convert(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag != FTW_F)
        return 0;
    bool nul = str_has_suffix(path, "/cmdline.txt") || str_has_suffix(path, "/environ.txt");
    bool link = str_has_suffix(path, ".link");
    if (!nul && !link)
        return 0;
    char *text = slurp(path);
    if (!text)
        return -1;
    char *target = xstrndup(path, strlen(path) - (nul ? 4 : 5));
    int rc = 0;
    if (nul) {
        FILE *f = fopen(target, "wb");
        if (!f) {
            rc = -1;
        } else {
            for (char *c = text; *c; c++)
                fputc(*c == '\n' ? '\0' : *c, f);
            fclose(f);
        }
    } else {
        char *t = replace_tree(text);
        size_t n = strlen(t);
        while (n > 0 && t[n - 1] == '\n')
            t[--n] = '\0';
        rc = symlink(t, target);
        free(t);
    }
    unlink(path);
    free(target);
    free(text);
    return rc;
}

static int setup_tree(void **state)
{
    (void)state;
    if (!mkdtemp(tree))
        return -1;
    snprintf(proc_root, sizeof(proc_root), "%s/proc", tree);
    char *cmd = xasprintf("cp -R %s %s", FIXTURE_DIR, proc_root);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0)
        return -1;
    return nftw(proc_root, convert, 16, FTW_PHYS);
}

static int teardown_tree(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf %s", tree);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static bool has_note(const struct jvm_process *p, const char *needle)
{
    for (size_t i = 0; i < p->n_notes; i++)
        if (strstr(p->notes[i], needle))
            return true;
    return false;
}

static void split(const char *text, char ***v, size_t *n)
{
    size_t cap = 0;
    *v = NULL;
    *n = 0;
    jvm_split_argfile(text, strlen(text), v, n, &cap);
}

static void free_vec(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void test_argfile_rules(void **state)
{
    (void)state;
    char **v;
    size_t n;
    /* The JDK's own cases (libjli args.c DEBUG_ARGFILE). */
    split("-version -cp \"c:\\\\java libs\\\\one.jar\" \n", &v, &n);
    assert_int_equal(n, 3);
    assert_string_equal(v[2], "c:\\java libs\\one.jar");
    free_vec(v, n);

    split("com.foo.Panda \"Furious 5\"\fand\t'Shi Fu' \"escape\tprison", &v, &n);
    assert_int_equal(n, 5);
    assert_string_equal(v[1], "Furious 5");
    assert_string_equal(v[2], "and");
    assert_string_equal(v[3], "Shi Fu");
    assert_string_equal(v[4], "escape\tprison");
    free_vec(v, n);

    split("line one #comment\n'line #2' #rest are comment\r\n#comment on line 3\nline 4 "
          "#comment to eof",
          &v, &n);
    assert_int_equal(n, 5);
    assert_string_equal(v[2], "line #2");
    assert_string_equal(v[4], "4");
    free_vec(v, n);

    split("This is an \"open quote \n    across line\n\t, note for WS.", &v, &n);
    assert_int_equal(n, 10);
    assert_string_equal(v[3], "open quote ");
    assert_string_equal(v[4], "across");
    free_vec(v, n);

    split("\"Open quote to \n  new \"line \\\n\r   third\\\n\r\\\tand\ffourth\"", &v, &n);
    assert_int_equal(n, 3);
    assert_string_equal(v[2], "line third\tand\ffourth");
    free_vec(v, n);

    split("c:\\\"partial quote\"\\lib", &v, &n);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "c:\\partial quote\\lib");
    free_vec(v, n);

    /* Nested @ stays an argument; "" is an empty argument mid-file. */
    split("@other.args \"\" x", &v, &n);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "@other.args");
    assert_string_equal(v[1], "");
    free_vec(v, n);

    split("Try \"this \\\\\\\\ escape\\n double quote \\\" in open quote", &v, &n);
    assert_int_equal(n, 2);
    assert_string_equal(v[1], "this \\\\ escape\n double quote \" in open quote");
    free_vec(v, n);

    split("\"mix 'single quote' in double\" 'mix \"double quote\" in single' partial\"quote "
          "me\"this",
          &v, &n);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "mix 'single quote' in double");
    assert_string_equal(v[1], "mix \"double quote\" in single");
    assert_string_equal(v[2], "partialquote methis");
    free_vec(v, n);

    /* A '#' inside an unquoted token drops that token's tail, as the launcher does. */
    split("-Da=1#two\n-Db=2", &v, &n);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "-Db=2");
    free_vec(v, n);

    split("", &v, &n);
    assert_int_equal(n, 0);
    free(v);
}

static void test_redaction(void **state)
{
    (void)state;
    assert_true(jvm_is_secret_key("spring.datasource.password"));
    assert_true(jvm_is_secret_key("DB_PASSWD"));
    assert_true(jvm_is_secret_key("auth.Token"));
    assert_false(jvm_is_secret_key("catalina.base"));
    assert_false(jvm_is_secret_key("PWD"));
    char *r = jvm_redact_arg("-Dspring.datasource.password=hunter2");
    assert_string_equal(r, "-Dspring.datasource.password=***");
    free(r);
    r = jvm_redact_arg("-Dcatalina.base=/srv");
    assert_string_equal(r, "-Dcatalina.base=/srv");
    free(r);
    r = jvm_redact_arg("-Dsecret");
    assert_string_equal(r, "-Dsecret");
    free(r);
}

static void test_open_logs(void **state)
{
    (void)state;
    char **files = NULL;
    size_t n = 0, cap = 0;
    char err[WR_ERR_MAX];
    assert_int_equal(jvm_open_logs(proc_root, 100, &files, &n, &cap, err), 3);
    assert_int_equal(n, 3);
    char *out = xasprintf("%s/fs/srv/shop/logs/shop.out", proc_root);
    assert_string_equal(files[0], "/srv/shop/logs/gc.log.0.current");
    assert_string_equal(files[1], out); /* stdout and stderr: once */
    assert_string_equal(files[2], "/var/log/shop/app.log");
    free(out);
    free_vec(files, n);
    files = NULL;
    n = cap = 0;
    assert_int_equal(jvm_open_logs(proc_root, 101, &files, &n, &cap, err), -1);
    assert_non_null(strstr(err, "101/fd"));
    assert_int_equal(n, 0);
}

static void test_parse_size(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(jvm_parse_size("512m", &v), 0);
    assert_true(v == 512 * MIB);
    assert_int_equal(jvm_parse_size("2G", &v), 0);
    assert_true(v == 2048 * MIB);
    assert_int_equal(jvm_parse_size("1048576", &v), 0);
    assert_true(v == MIB);
    assert_int_equal(jvm_parse_size("64k", &v), 0);
    assert_true(v == 65536);
    assert_int_equal(jvm_parse_size("", &v), -1);
    assert_int_equal(jvm_parse_size("m", &v), -1);
    assert_int_equal(jvm_parse_size("1mb", &v), -1);
    assert_int_equal(jvm_parse_size("-1m", &v), -1);
    assert_int_equal(jvm_parse_size("99999999999999999999", &v), -1);
    assert_int_equal(jvm_parse_size("17179869184T", &v), -1);
}

static void test_fixture_java_argfile_and_env(void **state)
{
    (void)state;
    struct jvm_process p;
    char err[WR_ERR_MAX];
    assert_int_equal(jvm_read_process(proc_root, 100, &p, err), 0);
    assert_int_equal(p.launcher, JVM_LAUNCHER_JAVA);
    assert_string_equal(p.comm, "java");
    assert_null(p.root);
    assert_string_equal(p.classpath, "lib/*:classes");
    assert_string_equal(p.classpath_source, "-cp");
    assert_string_equal(p.main_class, "com.acme.shop.Main");
    /* JDK_JAVA_OPTIONS first, the argfile in place, nothing expanded after the main class. */
    const char *want[] = {"/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                          "-Dfrom.jdk=yes",
                          "-Xss512k",
                          "-Xms256m",
                          "-cp",
                          "lib/*:classes",
                          "-Xmx1g",
                          "-Dapp.name=shop service",
                          "-XX:MaxRAMPercentage=60.0",
                          "com.acme.shop.Main",
                          "@not-expanded.args",
                          "--port",
                          "8080"};
    assert_int_equal(p.n_args, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < p.n_args; i++)
        assert_string_equal(p.args[i], want[i]);
    assert_int_equal(p.first_app_arg, 10);
    assert_int_equal(p.argc, 7);
    /* The command line beats JAVA_TOOL_OPTIONS. */
    assert_true(p.mem.max_heap == 1024 * MIB);
    assert_true(p.mem.initial_heap == 256 * MIB);
    assert_true(p.mem.thread_stack == 512 * 1024);
    assert_true(p.mem.max_metaspace == 256 * MIB);
    assert_true(p.mem.has_max_ram_percentage);
    assert_true(p.mem.max_ram_percentage > 59.9 && p.mem.max_ram_percentage < 60.1);
    assert_int_equal(p.mem.container_support, -1);
    assert_string_equal(jvm_property(&p, "app.name"), "shop service");
    assert_string_equal(jvm_property(&p, "from.jdk"), "yes");
    assert_string_equal(p.java_tool_options, "-XX:MaxMetaspaceSize=256m -Xmx512m -Dapp.name=tool");
    char *cp = jvm_host_classpath(&p);
    char *want_cp = xasprintf("%s/fs/srv/shop/lib/*:%s/fs/srv/shop/classes", proc_root, proc_root);
    assert_string_equal(cp, want_cp);
    free(cp);
    free(want_cp);
    jvm_process_clear(&p);
}

static void test_fixture_jsvc(void **state)
{
    (void)state;
    struct jvm_process p;
    char err[WR_ERR_MAX];
    assert_int_equal(jvm_read_process(proc_root, 101, &p, err), 0);
    assert_int_equal(p.launcher, JVM_LAUNCHER_JSVC);
    assert_string_equal(p.main_class, "org.apache.catalina.startup.Bootstrap");
    assert_string_equal(
        p.classpath, "/usr/share/tomcat9/bin/bootstrap.jar:/usr/share/tomcat9/bin/tomcat-juli.jar");
    assert_string_equal(p.catalina_base, "/var/lib/tomcat9");
    assert_string_equal(p.catalina_home, "/usr/share/tomcat9");
    assert_true(p.mem.max_heap == 2048 * MIB);
    assert_false(p.environ_read);
    assert_true(has_note(&p, "environ"));
    /* "-user tomcat": tomcat is jsvc's value, not a main class. */
    assert_int_equal(p.first_app_arg, p.n_args - 1);
    jvm_process_clear(&p);
}

static void test_fixture_other_namespace_jar(void **state)
{
    (void)state;
    struct jvm_process p;
    char err[WR_ERR_MAX];
    assert_int_equal(jvm_read_process(proc_root, 102, &p, err), 0);
    char *root = xasprintf("%s/102/root", proc_root);
    assert_string_equal(p.root, root);
    assert_string_equal(p.cwd, "/app");
    assert_string_equal(p.jar, "app.jar");
    assert_null(p.classpath);
    assert_null(p.main_class);
    assert_string_equal(p.loader_path, "lib/,/config");
    assert_int_equal(p.mem.container_support, 0);
    /* JDK_JAVA_OPTIONS=@opts.args read through the process's root. */
    assert_true(p.mem.has_max_direct);
    assert_true(p.mem.max_direct == 64 * MIB);
    assert_string_equal(jvm_property(&p, "spring.profiles.active"), "prod");
    char *jar = jvm_host_path(&p, p.jar);
    char *want = xasprintf("%s/app/app.jar", root);
    assert_string_equal(jar, want);
    /* After -jar FILE the rest is the application's: @ignored stays as is. */
    assert_string_equal(p.args[p.n_args - 1], "@ignored");
    assert_false(has_note(&p, "ignored"));
    free(jar);
    free(want);
    free(root);
    jvm_process_clear(&p);
}

static void test_fixture_argfile_names_itself(void **state)
{
    (void)state;
    struct jvm_process p;
    char err[WR_ERR_MAX];
    assert_int_equal(jvm_read_process(proc_root, 106, &p, err), 0);
    /* Argument files do not nest: the inner @loop.args stands where the main class would. */
    assert_int_equal(p.n_args, 3);
    assert_string_equal(p.main_class, "@loop.args");
    assert_null(jvm_property(&p, "x"));
    jvm_process_clear(&p);
}

static void test_fixture_exited_and_listing(void **state)
{
    (void)state;
    struct jvm_process p;
    char err[WR_ERR_MAX];
    assert_int_equal(jvm_read_process(proc_root, 104, &p, err), -1);
    assert_non_null(strstr(err, "exited"));
    assert_int_equal(jvm_read_process(proc_root, 99999, &p, err), -1);

    struct jvm_list list;
    assert_int_equal(jvm_list_processes(proc_root, &list, err), 0);
    assert_int_equal(list.n, 4); /* 100, 101, 102, 106; not 103 (python) nor 104 (gone) */
    assert_int_equal(list.procs[0].pid, 100);
    assert_int_equal(list.procs[1].pid, 101);
    assert_int_equal(list.procs[2].pid, 102);
    assert_int_equal(list.procs[3].pid, 106);
    /* the process that exited while being read is a note, in both languages */
    assert_int_equal(list.n_notes_zh, list.n_notes);
    bool noted = false;
    for (size_t i = 0; i < list.n_notes; i++) {
        if (!strstr(list.notes[i], "Java process 104 could not be read: "))
            continue;
        noted = true;
        assert_non_null(strstr(list.notes_zh[i], "无法读取 Java 进程 104："));
    }
    assert_true(noted);
    jvm_list_free(&list);

    assert_int_equal(jvm_list_processes("/nonexistent/proc", &list, err), -1);
    assert_non_null(strstr(err, "/nonexistent/proc"));
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void test_absurd_cmdline(void **state)
{
    (void)state;
    char *dir = xasprintf("%s/105", proc_root);
    assert_int_equal(mkdir(dir, 0755), 0);
    char *path = path_join(dir, "comm");
    write_file(path, "java\n", 5);
    free(path);
    /* 2 MiB of one property, then a main class the cap cuts off. */
    size_t len = 2 * MIB + 64;
    char *data = xmalloc(len);
    size_t off = 0;
    memcpy(data + off, "java\0-Dpad=", 11);
    off += 11;
    memset(data + off, 'x', 2 * MIB);
    off += 2 * MIB;
    memcpy(data + off, "\0Main\0", 6);
    off += 6;
    path = path_join(dir, "cmdline");
    write_file(path, data, off);
    free(path);
    struct jvm_process p;
    char err[WR_ERR_MAX];
    assert_int_equal(jvm_read_process(proc_root, 105, &p, err), 0);
    assert_true(has_note(&p, "longer than"));
    assert_null(p.main_class);
    assert_true(has_note(&p, "no main class"));
    jvm_process_clear(&p);

    /* Hostile bits: an empty command line, junk sizes, an unterminated quote. */
    path = path_join(dir, "cmdline");
    write_file(path, "", 0);
    assert_int_equal(jvm_read_process(proc_root, 105, &p, err), -1);
    const char junk[] = "java\0-Xmx12q\0-XX:MaxRAMPercentage=250\0-D\0-D=x\0-cp\0";
    write_file(path, junk, sizeof(junk) - 1);
    assert_int_equal(jvm_read_process(proc_root, 105, &p, err), 0);
    assert_true(p.mem.max_heap == 0);
    assert_false(p.mem.has_max_ram_percentage);
    assert_true(has_note(&p, "-Xmx"));
    assert_true(has_note(&p, "MaxRAMPercentage"));
    assert_int_equal(p.n_props, 0);
    jvm_process_clear(&p);
    free(path);
    free(data);
    free(dir);
}

static void test_interpret_env_rules(void **state)
{
    (void)state;
    struct jvm_process p;
    memset(&p, 0, sizeof(p));
    char *argv[] = {"java", "-Xmx256m", "--module=app.core/com.acme.Main", "x"};
    char *env[] = {"JDK_JAVA_OPTIONS=-jar evil.jar \"-Dq=a b\"", "_JAVA_OPTIONS=-Xmx300m",
                   "CLASSPATH=/opt/lib/*"};
    jvm_interpret(&p, argv, 4, env, 3);
    assert_string_equal(p.module, "app.core/com.acme.Main");
    assert_null(p.classpath); /* -m: no classpath fallback */
    /* -jar may not come from JDK_JAVA_OPTIONS; _JAVA_OPTIONS overrides the command line. */
    assert_true(has_note(&p, "'-jar'"));
    assert_null(p.jar);
    assert_string_equal(jvm_property(&p, "q"), "a b");
    assert_true(p.mem.max_heap == 300 * MIB);
    jvm_process_clear(&p);

    memset(&p, 0, sizeof(p));
    char *argv2[] = {"java", "com.acme.Main"};
    char *env2[] = {"CLASSPATH=/opt/lib/*:/opt/classes"};
    jvm_interpret(&p, argv2, 2, env2, 1);
    assert_string_equal(p.classpath, "/opt/lib/*:/opt/classes");
    assert_string_equal(p.classpath_source, "CLASSPATH");
    jvm_process_clear(&p);

    memset(&p, 0, sizeof(p));
    jvm_interpret(&p, argv2, 2, NULL, 0);
    assert_string_equal(p.classpath, ".");
    assert_true(has_note(&p, "environment is unknown"));
    assert_null(jvm_host_path(&p, "relative.jar")); /* no cwd known */
    jvm_process_clear(&p);
}

/* A real JVM: compile a sleeper, start it, find it in /proc, stop it. */
static void test_real_jvm(void **state)
{
    (void)state;
    if (system("command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1") != 0)
        skip();
    char dir[] = "/tmp/wrench-test-sleeper-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *src = path_join(dir, "Sleeper.java");
    const char *code = "public class Sleeper { public static void main(String[] a) throws "
                       "Exception { Thread.sleep(60000); } }\n";
    write_file(src, code, strlen(code));
    char *cmd = xasprintf("javac -d %s %s", dir, src);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execlp("java", "java", "-cp", dir, "-Xmx64m", "-Dwrench.test=yes", "Sleeper", (char *)NULL);
        _exit(127);
    }
    /* Wait until the child has become java. */
    char comm_path[64];
    snprintf(comm_path, sizeof(comm_path), "/proc/%d/comm", (int)pid);
    bool is_java = false;
    for (int i = 0; i < 200 && !is_java; i++) {
        char *comm = slurp(comm_path);
        is_java = comm && strcmp(comm, "java\n") == 0;
        free(comm);
        if (!is_java) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    struct jvm_process p;
    char err[WR_ERR_MAX];
    int rc = is_java ? jvm_read_process(NULL, pid, &p, err) : -1;
    struct jvm_list list;
    int lrc = jvm_list_processes(NULL, &list, err);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    assert_true(is_java);
    assert_int_equal(rc, 0);
    assert_string_equal(p.classpath, dir);
    assert_string_equal(p.main_class, "Sleeper");
    assert_true(p.mem.max_heap == 64 * MIB);
    assert_string_equal(jvm_property(&p, "wrench.test"), "yes");
    assert_null(p.root);
    assert_non_null(p.cwd);
    assert_non_null(p.exe);
    assert_string_equal(path_basename(p.exe), "java");
    jvm_process_clear(&p);
    assert_int_equal(lrc, 0);
    bool found = false;
    for (size_t i = 0; i < list.n; i++)
        found |= list.procs[i].pid == pid;
    assert_true(found);
    jvm_list_free(&list);
    cmd = xasprintf("rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_argfile_rules),
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_redaction),
        cmocka_unit_test(test_open_logs),
        cmocka_unit_test(test_fixture_java_argfile_and_env),
        cmocka_unit_test(test_fixture_jsvc),
        cmocka_unit_test(test_fixture_other_namespace_jar),
        cmocka_unit_test(test_fixture_argfile_names_itself),
        cmocka_unit_test(test_fixture_exited_and_listing),
        cmocka_unit_test(test_absurd_cmdline),
        cmocka_unit_test(test_interpret_env_rules),
        cmocka_unit_test(test_real_jvm),
    };
    return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
