/*
 * test_store.c - unit tests for store.c and diff.c: a scan survives the round
 * trip through real SQLite files (both reports byte for byte, logs and
 * correlations included), retention, migrations (a real version-1 database
 * brought to the current schema), refusal of foreign, damaged and newer
 * databases without touching them, the default path choice, and diff
 * identities.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "diff.h"
#include "logmodel.h"
#include "model.h"
#include "report_json.h"
#include "report_text.h"
#include "store.h"
#include "svcstate.h"
#include "util.h"

/* ------------------------------------------------------------------------ */
/* Fixtures */

struct tmp {
    char dir[64];
};

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup_tmp(void **state)
{
    struct tmp *t = xcalloc(1, sizeof(*t));
    snprintf(t->dir, sizeof(t->dir), "/tmp/wrench-test-store-XXXXXX");
    if (!mkdtemp(t->dir))
        return -1;
    *state = t;
    return 0;
}

static int teardown_tmp(void **state)
{
    struct tmp *t = *state;
    nftw(t->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

static char *tmp_path(void **state, const char *name)
{
    return path_join(((struct tmp *)*state)->dir, name);
}

static struct cp_entry *add_entry(struct cp_view *v, const char *path, enum entry_kind kind,
                                  const char *group, const char *name, const char *version,
                                  size_t classes)
{
    struct cp_entry *e = view_add_entry(v, path, kind);
    e->real_path = xstrdup(path);
    e->listed_as = xstrdup("/app/lib/*");
    e->origin = xstrdup("classpath wildcard");
    e->artifact.group = group ? xstrdup(group) : NULL;
    e->artifact.name = name ? xstrdup(name) : NULL;
    e->artifact.version = version ? xstrdup(version) : NULL;
    e->artifact.evidence = group ? EVIDENCE_POM : name ? EVIDENCE_FILENAME : EVIDENCE_NONE;
    e->artifact.source = name ? xasprintf("META-INF/maven/%s/pom.properties", name) : NULL;
    e->class_count = classes;
    e->entry_count = classes + 3;
    return e;
}

static size_t *indexes(size_t n, ...)
{
    size_t *list = xcalloc(n, sizeof(size_t));
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        list[i] = va_arg(ap, size_t);
    va_end(ap);
    return list;
}

static char **names(size_t n, ...)
{
    char **list = xcalloc(n, sizeof(char *));
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        list[i] = xstrdup(va_arg(ap, const char *));
    va_end(ap);
    return list;
}

static void add_conflict(struct scan *scan, size_t a, size_t b, int winner, enum severity sev)
{
    scan->conflicts = xgrow(scan->conflicts, &scan->conflicts_cap, scan->n_conflicts + 1,
                            sizeof(*scan->conflicts));
    struct class_conflict *c = &scan->conflicts[scan->n_conflicts++];
    memset(c, 0, sizeof(*c));
    c->view = 0;
    c->title = xasprintf("entries %zu and %zu share 3 classes, 2 differ", a, b);
    c->entries = indexes(2, a, b);
    c->n_entries = 2;
    c->shared = 3;
    c->identical = 1;
    c->differing = 2;
    c->winner = winner;
    c->winner_undefined = winner < 0;
    c->severity = sev;
    c->differing_classes = names(2, "com.acme.A", "com.acme.B$Inner");
    c->n_differing_classes = 2;
    c->sample_classes = names(3, "com.acme.A", "com.acme.B$Inner", "com.acme.C");
    c->n_sample_classes = 3;
}

static void add_hint(struct scan *scan, size_t a, size_t b)
{
    scan->hints = xgrow(scan->hints, &scan->hints_cap, scan->n_hints + 1, sizeof(*scan->hints));
    struct hint_finding *h = &scan->hints[scan->n_hints++];
    memset(h, 0, sizeof(*h));
    h->id = xstrdup("slf4j.multiple-bindings");
    h->severity = SEV_WARNING;
    h->title = xstrdup("Class path contains multiple SLF4J bindings");
    h->hint = xstrdup("Keep exactly one binding.");
    h->entries = indexes(2, a, b);
    h->n_entries = 2;
}

#define SAMPLE_MAX (8 * 1024) /* LOGSCAN_SAMPLE_MAX: the largest sample a scan keeps */

static struct log_finding *add_log_finding(struct log_report *logs, const char *rule,
                                           enum severity sev, const char *signature, uint64_t count)
{
    logs->findings =
        xgrow(logs->findings, &logs->findings_cap, logs->n_findings + 1, sizeof(*logs->findings));
    struct log_finding *f = &logs->findings[logs->n_findings++];
    memset(f, 0, sizeof(*f));
    f->rule_id = xstrdup(rule);
    f->severity = sev;
    f->category = xstrdup("classpath");
    f->title = xasprintf("Title of %s", rule);
    f->hint = xstrdup("A hint.");
    f->signature = xstrdup(signature);
    f->count = count;
    f->file = xstrdup("/var/log/app/app.log");
    f->line = 40 + count;
    return f;
}

static void add_log_file(struct log_report *logs, const char *path, enum log_kind kind,
                         bool compressed)
{
    logs->files = xgrow(logs->files, &logs->files_cap, logs->n_files + 1, sizeof(*logs->files));
    struct log_file *f = &logs->files[logs->n_files++];
    memset(f, 0, sizeof(*f));
    f->path = xstrdup(path);
    f->kind = kind;
    f->compressed = compressed;
    f->format = (enum log_format)(logs->n_files % LOG_FORMAT_COUNT); /* svlogd, cri, docker */
    f->bytes = 123456789012ULL;                                      /* over 32 bits */
    f->lines = 5000;
    f->events = 70;
    f->truncated_events = 2;
    f->long_lines = 1;
    f->complete = !compressed;
    if (!compressed) {
        f->skipped_events = 12;
        f->last_start_line = 4000;
        f->last_start = xstrdup("2026-11-27 03:00:00 INFO Starting Main using Java 17 \xfe");
        f->n_tail = 3;
        f->tail = names(3, "\tat com.acme.X.y(X.java:1)", "", "last line \xc3");
    }
}

static struct correlation *add_correlation(struct scan *scan, size_t finding, const char *name,
                                           int winner)
{
    scan->correlations = xgrow(scan->correlations, &scan->correlations_cap,
                               scan->n_correlations + 1, sizeof(*scan->correlations));
    struct correlation *c = &scan->correlations[scan->n_correlations++];
    memset(c, 0, sizeof(*c));
    c->finding = finding;
    c->class_name = xstrdup(name);
    c->view = 0;
    c->winner = winner;
    c->text = xasprintf("%s is in 2 entries whose copies differ", name);
    return c;
}

/* The log side of make_scan(): findings deliberately not in the scanner's order
 * (the store must keep positions, not re-sort), a sample of the largest size cut
 * inside a UTF-8 sequence, invalid bytes in several texts, NULL optional fields,
 * correlations of both kinds. Older: NoSuchMethodError on guava's Strings and
 * a slow-request warning; newer: the warning again (other count and file) and
 * a new OutOfMemoryError. */
static void add_logs(struct scan *scan, bool newer, size_t app, size_t guava)
{
    struct log_report *logs = xcalloc(1, sizeof(*logs));
    scan->logs = logs;
    add_log_file(logs, "/var/log/app/app.log", LOG_KIND_APP, false);
    add_log_file(logs, "/var/log/tomcat/catalina.2026-11-26.log.gz", LOG_KIND_TOMCAT, true);
    add_log_file(logs, "/var/log/tomcat/bad-\xff.log", LOG_KIND_ACCESS, false);
    struct log_finding *f = add_log_finding(logs, "perf.slow-request", SEV_WARNING,
                                            "slow request | GET /orders/<n> | -", newer ? 9 : 4);
    if (newer) {
        free(f->file);
        f->file = xstrdup("/var/log/app/app.log.1");
    }
    f->first_seen = xstrdup("2026-11-27 03:12:45.123");
    f->last_seen = xstrdup("2026-11-27 03:14:00.001");
    if (!newer) {
        f = add_log_finding(logs, "classloading.no-such-method", SEV_ERROR,
                            "java.lang.NoSuchMethodError | 'java.lang.String com.google.common."
                            "base.Strings.lenientFormat( | com.acme.shop.OrderService.describe",
                            2);
        f->class_name = xstrdup("com.google.common.base.Strings");
        /* Schema 4: the impact, named facts (one not UTF-8) and every place it was seen. */
        f->impact = IMPACT_WEBAPP;
        log_finding_add_fact(f, "context", "/shop");
        log_finding_add_fact(f, "message", "bad \xff byte");
        log_finding_add_location(f, "/var/log/app/app.log", 42, "2026-11-27 03:12:45.123");
        log_finding_add_location(f, "/var/log/app/app.2026-11-27.log", 7, NULL);
        f->root_cause = xstrdup("java.lang.NoSuchMethodError: 'java.lang.String "
                                "com.google.common.base.Strings.lenientFormat(...)'");
        /* SAMPLE_MAX bytes ending in the first byte of a two-byte sequence, as a cut makes. */
        static const char head[] = "caf\xc3\xa9 \xc3( \xff\xfe\n\tat com.acme.X.y(X.java:1)\n";
        char *sample = xmalloc(SAMPLE_MAX + 1);
        memset(sample, 'x', SAMPLE_MAX);
        memcpy(sample, head, sizeof(head) - 1);
        sample[SAMPLE_MAX - 1] = '\xc3';
        sample[SAMPLE_MAX] = '\0';
        f->sample = sample;
        f->truncated = true;
        struct correlation *c =
            add_correlation(scan, 1, "com.google.common.base.Strings", (int)guava);
        c->entries = indexes(2, guava, app);
        c->n_entries = 2;
        c->copies_differ = true;
        c = add_correlation(scan, 1, "com.google.common.base.Joiner\xe9", -1);
        c->package_entries = indexes(1, guava);
        c->n_package_entries = 1;
        c->winner_undefined = true;
    } else {
        f = add_log_finding(logs, "jvm.out-of-memory", SEV_CRITICAL,
                            "java.lang.OutOfMemoryError | Java heap space | -", 1);
        free(f->title);
        f->title = xstrdup("Out of heap \x1b[31m\xfe"); /* log text: escapes, bad bytes */
        f->sample = xstrdup("java.lang.OutOfMemoryError: Java heap space");
    }
    logs->dropped_findings = newer ? 0 : 17;
    log_report_add_problem(logs, SEV_WARNING, "/var/log/tomcat/catalina.2026-11-26.log.gz",
                           "corrupt gzip stream \xff after 4096 bytes");
}

/* What `wrench scan` without targets adds: the service found (running in the
 * older scan, with a command line that is not UTF-8), the places looked at,
 * container facts and findings. Older: heap over the limit and OOM kills;
 * newer: OOM kills (reworded) and a low open-files limit. */
static void add_discovery(struct scan *scan, bool newer)
{
    struct discovery *d = xcalloc(1, sizeof(*d));
    scan->discovery = d;
    d->source = xstrdup(newer ? "config" : "processes");
    strv_push(&d->not_found, &d->n_not_found, &d->not_found_cap,
              xstrdup("/usr/local/tomcat: nothing there"));
    strv_push(&d->not_found, &d->n_not_found, &d->not_found_cap,
              xstrdup("/opt/app: no such directory"));
    strv_push(&d->notes, &d->n_notes, &d->notes_cap, xstrdup("WRENCH_APP names \xff the app"));
    d->services = xcalloc(2, sizeof(*d->services));
    d->services_cap = 2;
    d->n_services = 2;
    struct service *sv = &d->services[0];
    sv->name = xstrdup("shop");
    sv->kind = xstrdup("classpath");
    sv->origin = xstrdup(newer ? "config /etc/wrench/wrench.conf" : "running process");
    sv->pid = newer ? 0 : 4242;
    sv->command = newer ? NULL : xstrdup("java -Dpassword=*** -cp /app/lib/* caf\xe9.Main");
    strv_push(&sv->evidence, &sv->n_evidence, &sv->evidence_cap, xstrdup("/proc/4242/cmdline"));
    strv_push(&sv->logs, &sv->n_logs, &sv->logs_cap, xstrdup("/var/log/app/app.log"));
    strv_push(&sv->logs, &sv->n_logs, &sv->logs_cap, xstrdup("/var/log/app/gc.log"));
    sv->views = indexes(2, (size_t)0, (size_t)1);
    sv->n_views = sv->views_cap = 2;
    d->services[1].name = xstrdup("idle");
    d->services[1].kind = xstrdup("jar");

    scan_add_fact(scan, "cgroup", "v2");
    scan_add_fact(scan, "memory limit", newer ? "1 GiB" : "512 MiB");
    if (!newer)
        scan_add_env_finding(scan, SEV_CRITICAL, "memory-heap-exceeds-limit",
                             "The JVM may grow its heap past the container's memory limit",
                             "-Xmx1g against 512 MiB");
    scan_add_env_finding(
        scan, SEV_ERROR, "container-oom-kills",
        newer ? "The container was OOM-killed 3 times" : "The container was OOM-killed twice", "");
    if (newer)
        scan_add_env_finding(scan, SEV_WARNING, "open-files-limit-low",
                             "The open files limit is low", "1024");
}

/* Two views with every kind of entry, odd bytes in a path, all finding kinds.
 * `newer` is the same service later: guava 18 gone, guava 31 -> 32, commons-lang3
 * added, app.jar moved to the front (every index shifts). */
static struct scan *make_scan(bool newer)
{
    struct scan *scan = scan_new();
    snprintf(scan->started, sizeof(scan->started), "2026-11-27T03:50:00.%03dZ", newer ? 200 : 100);
    snprintf(scan->finished, sizeof(scan->finished), "2026-11-27T03:50:01.000Z");
    scan->duration_ms = newer ? 900 : 1234;
    scan->host = xstrdup("build-host");
    struct cp_view *v = scan_add_view(scan, "classpath", "classpath", "/app/lib/*");
    v->note = xstrdup("/app/lib/* expands to jars in no defined order");
    v->follow_class_path = true;
    int group = view_new_group(v);
    size_t app, guava, other;
    if (!newer) {
        add_entry(v, "/app/lib/guava-18.0.jar", ENTRY_JAR, "com.google.guava", "guava", "18.0",
                  1700);
        guava = 1;
        add_entry(v, "/app/lib/guava-31.1-jre.jar", ENTRY_JAR, "com.google.guava", "guava",
                  "31.1-jre", 1900);
        app = 2;
        other = 0;
    } else {
        app = 0;
        guava = 1;
        other = 2;
    }
    struct cp_entry *e = view_insert_entry(v, app, "/app/lib/app.jar", ENTRY_JAR);
    e->real_path = xstrdup("/app/lib/app.jar");
    e->origin = xstrdup("classpath wildcard");
    e->artifact.name = xstrdup("app");
    e->artifact.evidence = EVIDENCE_MANIFEST;
    e->artifact.source = xstrdup("Implementation-Title");
    e->main_class = xstrdup("com.acme.Main");
    e->multi_release = true;
    e->class_count = 12;
    e->embedded = xcalloc(1, sizeof(struct artifact));
    e->embedded_cap = 1;
    e->n_embedded = 1;
    e->embedded[0] = (struct artifact){
        xstrdup("org.slf4j"), xstrdup("slf4j-api"), xstrdup("1.7.32"), EVIDENCE_POM,
        xstrdup("META-INF/maven/org.slf4j/slf4j-api/pom.properties")};
    if (newer) {
        add_entry(v, "/app/lib/guava-32.0.jar", ENTRY_JAR, "com.google.guava", "guava", "32.0",
                  2000);
        add_entry(v, "/app/lib/commons-lang3-3.12.jar", ENTRY_JAR, "org.apache.commons",
                  "commons-lang3", "3.12.0", 300);
    }
    e = add_entry(v, "/app/lib/app-link.jar", ENTRY_JAR, NULL, "app", NULL, 0);
    e->status = STATUS_LISTED_TWICE;
    e->duplicate_of = (int)app;
    e->problem = xstrdup("the same file as /app/lib/app.jar");
    e = add_entry(v, "/app/classes/", ENTRY_DIR, NULL, NULL, NULL, 5);
    size_t classes_dir = v->n_entries - 1;
    e->duplicate_zip_entries = 2;
    e->bad_entry_names = 1;
    e = add_entry(v, "/app/lib/bad-\xff\xfe.jar", ENTRY_JAR, NULL, "bad", NULL, 0);
    e->status = STATUS_CORRUPT;
    e->problem = xstrdup("not a zip file");
    for (size_t i = 0; i < v->n_entries; i++) {
        v->entries[i].order_group = group;
        v->entries[i].order_defined = false;
    }

    struct cp_view *w = scan_add_view(scan, "app.jar", "boot-jar", "/srv/app.jar");
    w->is_webapp = true;
    e = add_entry(w, "/srv/app.jar!/BOOT-INF/lib/x-1.0.jar", ENTRY_NESTED_JAR, "com.acme", "x",
                  "1.0", 4);
    e->archive = xstrdup("/srv/app.jar");
    e->inner = xstrdup("BOOT-INF/lib/x-1.0.jar");
    e->via = 0;

    if (!newer) {
        scan->dups = xcalloc(1, sizeof(*scan->dups));
        scan->dups_cap = 1;
        scan->n_dups = 1;
        struct dup_artifact *d = &scan->dups[0];
        d->key = xstrdup("com.google.guava:guava");
        d->title = xstrdup("guava is on the classpath in 2 versions: 18.0, 31.1-jre");
        d->severity = SEV_ERROR;
        d->versions_differ = true;
        d->entries = indexes(2, (size_t)0, (size_t)1);
        d->versions = names(2, "18.0", "31.1-jre");
        d->shaded = xcalloc(2, sizeof(bool));
        d->shaded[1] = true;
        d->n = d->cap = 2;
        add_conflict(scan, 0, 1, -1, SEV_ERROR);
        add_conflict(scan, guava, app, (int)guava, SEV_WARNING);
    } else {
        add_conflict(scan, app, guava, (int)app, SEV_WARNING);
        add_conflict(scan, app, other, (int)app, SEV_ERROR);
    }
    add_hint(scan, app, classes_dir);
    scan_add_problem(scan, SEV_ERROR, "/app/lib/bad-\xff\xfe.jar", "not a zip file");
    scan_add_problem(scan, SEV_INFO, "/app/lib/app-link.jar", "the same file as /app/lib/app.jar");
    add_logs(scan, newer, app, guava);
    add_discovery(scan, newer);
    return scan;
}

/* make_scan() as a scan without --logs. */
static struct scan *make_scan_without_logs(bool newer)
{
    struct scan *scan = make_scan(newer);
    log_report_clear(scan->logs);
    free(scan->logs);
    scan->logs = NULL;
    for (size_t i = 0; i < scan->n_correlations; i++) {
        free(scan->correlations[i].class_name);
        free(scan->correlations[i].entries);
        free(scan->correlations[i].package_entries);
        free(scan->correlations[i].text);
    }
    scan->n_correlations = 0;
    return scan;
}

/* make_scan() with only what a version-1 database can hold: no logs, no
 * discovery, no environment (a scan given its targets, before logs were read). */
static struct scan *make_v1_scan(bool newer)
{
    struct scan *scan = make_scan_without_logs(newer);
    discovery_free(scan->discovery);
    scan->discovery = NULL;
    for (size_t i = 0; i < scan->n_facts; i++) {
        free(scan->facts[i].name);
        free(scan->facts[i].value);
    }
    scan->n_facts = 0;
    for (size_t i = 0; i < scan->n_env_findings; i++) {
        free(scan->env_findings[i].id);
        free(scan->env_findings[i].title);
        free(scan->env_findings[i].detail);
    }
    scan->n_env_findings = 0;
    return scan;
}

static char *text_report(const struct scan *scan)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    report_text_write(scan, f, false);
    fclose(f);
    return buf;
}

static const struct store_save_options save_opts = {STORE_SCAN_COMPLETE, "1 (crc32 0)", 100};

static int64_t save(struct store *st, const struct scan *scan, size_t keep)
{
    char err[WR_ERR_MAX] = "";
    struct store_save_options opt = save_opts;
    opt.keep = keep;
    int64_t id = -1;
    enum store_status rc = store_save_scan(st, scan, &opt, &id, err);
    if (rc != STORE_OK)
        fail_msg("save failed: %s", err);
    return id;
}

static struct store *open_ok(const char *path)
{
    char err[WR_ERR_MAX] = "";
    struct store *st = NULL;
    if (store_open(&st, path, true, err) != STORE_OK)
        fail_msg("open %s failed: %s", path, err);
    return st;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct strbuf sb = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        strbuf_append(&sb, chunk, n);
    fclose(f);
    *size = sb.len;
    return sb.data ? strbuf_take(&sb) : xstrdup("");
}

static void sql(const char *path, const char *statements)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, statements, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", statements, msg);
    sqlite3_close(db);
}

static int64_t sql_int(const char *path, const char *query)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* The rows with scan_id <= `id` in every table of the file that has a scan_id column. */
static int64_t rows_of_scans_upto(const char *path, int64_t id)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master m WHERE type = 'table' "
                                        "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) "
                                        "WHERE name = 'scan_id')",
                                        -1, &s, NULL),
                     SQLITE_OK);
    int64_t total = 0;
    int tables = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char *q = xasprintf("SELECT count(*) FROM \"%s\" WHERE scan_id <= %lld",
                            (const char *)sqlite3_column_text(s, 0), (long long)id);
        sqlite3_stmt *c;
        assert_int_equal(sqlite3_prepare_v2(db, q, -1, &c, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(c), SQLITE_ROW);
        total += sqlite3_column_int64(c, 0);
        sqlite3_finalize(c);
        free(q);
        tables++;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_true(tables > 30); /* the schema's tables were found */
    return total;
}

/* ------------------------------------------------------------------------ */
/* Round trip */

/* Give conflict `i` lists longer than the store's batches of rows (16): n_identical identical
 * classes, n_copied copied ones (a copy per entry) and n_differing differing ones. */
static void add_long_lists(struct scan *scan, size_t i, size_t n_identical, size_t n_copied,
                           size_t n_differing)
{
    struct class_conflict *c = &scan->conflicts[i];
    c->identical_classes = xcalloc(n_identical, sizeof(char *));
    for (size_t k = 0; k < n_identical; k++)
        c->identical_classes[k] = xasprintf("com.acme.same.S%03zu", k);
    c->n_identical_classes = n_identical;
    c->copied_classes = xcalloc(n_copied, sizeof(*c->copied_classes));
    for (size_t k = 0; k < n_copied; k++) {
        c->copied_classes[k].name = xasprintf("com.acme.diff.D%03zu", k);
        c->copied_classes[k].copies = xcalloc(c->n_entries, sizeof(struct conflict_copy));
        for (size_t e = 0; e < c->n_entries; e++)
            c->copied_classes[k].copies[e] =
                (struct conflict_copy){(uint32_t)(k * 31 + e), 100 + k + e, (k + e) % 5 != 0};
    }
    c->n_copied_classes = n_copied;
    strv_free(c->differing_classes, c->n_differing_classes);
    c->differing_classes = xcalloc(n_differing, sizeof(char *));
    for (size_t k = 0; k < n_differing; k++)
        c->differing_classes[k] = xasprintf("com.acme.diff.D%03zu", k);
    c->n_differing_classes = n_differing;
}

/* The lists of a conflict are written 16 rows per INSERT and the rest one by one: lists of
 * exactly one batch, of several and a remainder, and shorter ones all come back whole. */
static void test_conflict_lists_round_trip_in_batches(void **state)
{
    char *path = tmp_path(state, "batches.db");
    struct store *st = open_ok(path);
    char err[WR_ERR_MAX];
    struct scan *scan = make_scan(true);
    assert_true(scan->n_conflicts >= 2);
    add_long_lists(scan, 0, 37, 16, 33);
    add_long_lists(scan, 1, 5, 3, 1);
    int64_t id = save(st, scan, 100);
    struct scan *back = NULL;
    assert_int_equal(store_load_scan(st, id, &back, NULL, err), STORE_OK);
    char *json = report_json_dump(scan), *json_back = report_json_dump(back);
    assert_string_equal(json, json_back);
    assert_non_null(strstr(json, "com.acme.same.S036"));
    assert_int_equal(back->conflicts[0].n_identical_classes, 37);
    assert_int_equal(back->conflicts[0].n_copied_classes, 16);
    assert_int_equal(back->conflicts[0].n_differing_classes, 33);
    assert_int_equal(back->conflicts[1].n_identical_classes, 5);
    const struct conflict_copy *copy = &back->conflicts[0].copied_classes[15].copies[1];
    assert_int_equal(copy->crc, 15 * 31 + 1);
    assert_int_equal(copy->size, 116);
    store_close(st);
    char *q = xasprintf("SELECT (SELECT count(*) FROM conflict_shared_classes WHERE scan_id = "
                        "%lld) * 1000 + (SELECT count(*) FROM conflict_class_copies WHERE "
                        "scan_id = %lld)",
                        (long long)id, (long long)id);
    size_t entries0 = scan->conflicts[0].n_entries, entries1 = scan->conflicts[1].n_entries;
    assert_int_equal(sql_int(path, q), (37 + 16 + 5 + 3) * 1000 + 16 * entries0 + 3 * entries1);
    free(q);
    free(json);
    free(json_back);
    scan_free(back);
    scan_free(scan);
    free(path);
}

static void test_round_trip_is_byte_for_byte(void **state)
{
    char *path = tmp_path(state, "sub/dir/w.db"); /* missing directories are created */
    struct store *st = open_ok(path);
    char err[WR_ERR_MAX];
    for (int newer = 0; newer <= 1; newer++) {
        struct scan *scan = make_scan(newer);
        int64_t id = save(st, scan, 100);
        struct scan *back = NULL;
        struct store_scan_info info;
        assert_int_equal(store_load_scan(st, id, &back, &info, err), STORE_OK);

        char *json = report_json_dump(scan), *json_back = report_json_dump(back);
        assert_string_equal(json, json_back);
        char *text = text_report(scan), *text_back = text_report(back);
        assert_string_equal(text, text_back);
        /* The odd bytes really went through (the JSON shows them as U+FFFD). */
        assert_non_null(strstr(json, "bad-\xef\xbf\xbd\xef\xbf\xbd.jar"));

        /* Fields no report shows survive too. */
        const struct cp_entry *nested = &back->views[1].entries[0];
        assert_string_equal(nested->archive, "/srv/app.jar");
        assert_string_equal(nested->inner, "BOOT-INF/lib/x-1.0.jar");
        assert_int_equal(nested->via, 0);
        assert_true(back->views[0].follow_class_path);
        assert_true(back->views[1].is_webapp);
        size_t dir = back->views[0].n_entries - 2;
        assert_int_equal(back->views[0].entries[dir].duplicate_zip_entries, 2);
        assert_int_equal(back->views[0].entries[dir].bad_entry_names, 1);
        assert_string_equal(back->views[0].entries[dir + 1].path, "/app/lib/bad-\xff\xfe.jar");

        /* The log report came back whole, in the stored order. */
        assert_non_null(back->logs);
        assert_int_equal(back->logs->n_findings, scan->logs->n_findings);
        for (size_t i = 0; i < scan->logs->n_findings; i++) {
            assert_string_equal(back->logs->findings[i].rule_id, scan->logs->findings[i].rule_id);
            assert_string_equal(back->logs->findings[i].title, scan->logs->findings[i].title);
        }
        assert_int_equal(back->n_correlations, scan->n_correlations);
        assert_non_null(strstr(json, "\"correlations\": ["));

        assert_int_equal(info.id, id);
        assert_string_equal(info.status, STORE_SCAN_COMPLETE);
        assert_string_equal(info.targets, "classpath /app/lib/*, boot-jar /srv/app.jar");
        assert_string_equal(info.rules_version, "1 (crc32 0)");
        assert_string_equal(info.wrench_version, WR_VERSION);
        size_t counts[SEV_COUNT];
        scan_count_severities(scan, counts);
        assert_memory_equal(info.counts, counts, sizeof(counts));
        assert_int_equal(info.entries, scan->views[0].n_entries + 1);

        free(json);
        free(json_back);
        free(text);
        free(text_back);
        store_scan_info_clear(&info);
        scan_free(back);
        scan_free(scan);
    }
    store_close(st);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(sql_int(path, "PRAGMA application_id"), 0x5752454e);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_journal_mode WHERE "
                                   "journal_mode = 'wal'"),
                     1);
    free(path);
}

static void test_empty_scan_round_trip(void **state)
{
    char *path = tmp_path(state, "w.db");
    struct store *st = open_ok(path);
    struct scan *scan = scan_new(); /* no host, no views */
    int64_t id = save(st, scan, 100);
    struct scan *back = NULL;
    char err[WR_ERR_MAX];
    assert_int_equal(store_load_scan(st, id, &back, NULL, err), STORE_OK);
    char *a = report_json_dump(scan), *b = report_json_dump(back);
    assert_string_equal(a, b);
    free(a);
    free(b);
    scan_free(back);
    scan_free(scan);
    store_close(st);
    free(path);
}

/* A service state (schema version 5) round-trips through its JSON body, its name and state
 * columns kept for SQL. */
static void test_service_state_round_trip(void **state)
{
    char *path = tmp_path(state, "w.db");
    struct store *st = open_ok(path);
    struct scan *scan = make_scan(false);
    scan->states = xgrow(scan->states, &scan->states_cap, 1, sizeof(*scan->states));
    struct service_state *ss = &scan->states[scan->n_states++];
    memset(ss, 0, sizeof(*ss));
    ss->service = xstrdup("shop \xff");
    ss->kind = xstrdup("tomcat");
    ss->state = RUN_CRASHED;
    ss->reason = xstrdup("the JVM died");
    ss->uptime_s = -1;
    ss->threads = -1;
    ss->open_fds = -1;
    ss->since_s = -1;
    ss->last_exit = xstrdup("signal 9 (SIGKILL)");
    service_state_evidence(ss, MSG_EV_WANT_DOWN, MSG_END);
    int64_t id = save(st, scan, 100);
    struct scan *back = NULL;
    char err[WR_ERR_MAX];
    assert_int_equal(store_load_scan(st, id, &back, NULL, err), STORE_OK);
    assert_int_equal(back->n_states, 1);
    char *a = report_json_dump(scan), *b = report_json_dump(back);
    assert_string_equal(a, b);
    free(a);
    free(b);
    scan_free(back);
    scan_free(scan);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM service_states WHERE state = 'crashed' "
                                   "AND typeof(name) = 'blob'"),
                     1);
    free(path);
}

/* Explain how SQLite runs `query`: the concatenated plan details. */
static char *query_plan(const char *path, const char *query)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *explain = xasprintf("EXPLAIN QUERY PLAN %s", query);
    assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &s, NULL), SQLITE_OK);
    struct strbuf sb = {0};
    while (sqlite3_step(s) == SQLITE_ROW)
        strbuf_printf(&sb, "%s\n", (const char *)sqlite3_column_text(s, 3));
    sqlite3_finalize(s);
    sqlite3_close(db);
    free(explain);
    return strbuf_take(&sb);
}

static char *sql_text(const char *path, const char *query)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *v = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void test_logs_are_stored_faithfully(void **state)
{
    char *path = tmp_path(state, "w.db");
    struct store *st = open_ok(path);
    struct scan *scan = make_scan(false);
    int64_t id = save(st, scan, 100);
    struct scan *back = NULL;
    char err[WR_ERR_MAX];
    assert_int_equal(store_load_scan(st, id, &back, NULL, err), STORE_OK);
    store_close(st);

    const struct log_report *logs = back->logs;
    assert_non_null(logs);
    assert_int_equal(logs->dropped_findings, 17);
    /* Kept at their positions: the warning first, although the error is more severe. */
    assert_int_equal(logs->n_findings, 2);
    assert_string_equal(logs->findings[0].rule_id, "perf.slow-request");
    assert_string_equal(logs->findings[1].rule_id, "classloading.no-such-method");
    const struct log_finding *f = &logs->findings[1], *orig = &scan->logs->findings[1];
    assert_int_equal(f->severity, SEV_ERROR);
    assert_int_equal(f->count, 2);
    assert_int_equal(f->line, 42);
    assert_true(f->truncated);
    assert_null(f->first_seen);
    assert_string_equal(f->class_name, "com.google.common.base.Strings");
    assert_int_equal(f->impact, IMPACT_WEBAPP);
    assert_int_equal(f->n_facts, 2);
    assert_string_equal(log_finding_fact(f, "context"), "/shop");
    assert_string_equal(log_finding_fact(f, "message"), "bad \xff byte");
    assert_int_equal(f->n_locations, 2);
    assert_string_equal(f->locations[1].file, "/var/log/app/app.2026-11-27.log");
    assert_int_equal(f->locations[1].line, 7);
    assert_null(f->locations[1].timestamp);
    assert_string_equal(f->locations[0].timestamp, "2026-11-27 03:12:45.123");
    assert_int_equal(logs->findings[0].impact, IMPACT_NONE);
    /* The derived findings and incidents are there for SQL. */
    assert_true(sql_int(path, "SELECT count(*) FROM findings") > 0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM findings WHERE rule = "
                                   "'classloading.no-such-method' AND kind = 'log' AND "
                                   "impact = 'webapp' AND incident LIKE 'incident-%'"),
                     1);
    assert_true(sql_int(path, "SELECT count(*) FROM incidents WHERE in_verdict = 1") >= 1);
    /* The largest sample, cut inside a UTF-8 sequence, comes back byte for byte. */
    assert_int_equal(strlen(f->sample), SAMPLE_MAX);
    assert_memory_equal(f->sample, orig->sample, SAMPLE_MAX);
    assert_null(logs->findings[0].sample);
    assert_string_equal(logs->findings[0].first_seen, "2026-11-27 03:12:45.123");

    assert_int_equal(logs->n_files, 3);
    assert_string_equal(logs->files[1].path, "/var/log/tomcat/catalina.2026-11-26.log.gz");
    assert_int_equal(logs->files[1].kind, LOG_KIND_TOMCAT);
    assert_true(logs->files[1].compressed);
    assert_false(logs->files[1].complete);
    assert_int_equal(logs->files[1].bytes, 123456789012ULL);
    assert_int_equal(logs->files[1].truncated_events, 2);
    assert_int_equal(logs->files[1].n_tail, 0);
    assert_null(logs->files[1].last_start);
    assert_int_equal(logs->files[0].skipped_events, 12);
    assert_int_equal(logs->files[0].last_start_line, 4000);
    assert_string_equal(logs->files[0].last_start,
                        "2026-11-27 03:00:00 INFO Starting Main using Java 17 \xfe");
    assert_int_equal(logs->files[0].n_tail, 3);
    assert_string_equal(logs->files[0].tail[0], "\tat com.acme.X.y(X.java:1)");
    assert_string_equal(logs->files[0].tail[1], "");
    assert_string_equal(logs->files[0].tail[2], "last line \xc3");
    assert_int_equal(logs->files[0].format, LOG_FORMAT_SVLOGD);
    assert_int_equal(logs->files[1].format, LOG_FORMAT_CRI);
    assert_int_equal(logs->files[2].format, LOG_FORMAT_DOCKER);
    assert_int_equal(logs->files[2].kind, LOG_KIND_ACCESS);
    assert_string_equal(logs->files[2].path, "/var/log/tomcat/bad-\xff.log");
    assert_int_equal(logs->n_problems, 1);
    assert_string_equal(logs->problems[0].message, "corrupt gzip stream \xff after 4096 bytes");

    assert_int_equal(back->n_correlations, 2);
    const struct correlation *c = &back->correlations[0];
    assert_int_equal(c->finding, 1);
    assert_int_equal(c->n_entries, 2);
    assert_int_equal(c->entries[0], 1);
    assert_int_equal(c->entries[1], 2);
    assert_int_equal(c->winner, 1);
    assert_true(c->copies_differ);
    assert_false(c->winner_undefined);
    assert_int_equal(c->n_package_entries, 0);
    c = &back->correlations[1];
    assert_string_equal(c->class_name, "com.google.common.base.Joiner\xe9");
    assert_int_equal(c->n_entries, 0);
    assert_int_equal(c->n_package_entries, 1);
    assert_int_equal(c->package_entries[0], 1);
    assert_int_equal(c->winner, -1);
    assert_true(c->winner_undefined);

    /* Valid UTF-8 is TEXT (SQL can search it); anything else keeps its bytes as a BLOB. */
    char *type = sql_text(path, "SELECT typeof(sample) || ' ' || typeof(title) || ' ' || "
                                "typeof(rule) FROM log_findings WHERE position = 1");
    assert_string_equal(type, "blob text text");
    free(type);
    type = sql_text(path, "SELECT typeof(class) FROM correlations WHERE position = 1");
    assert_string_equal(type, "blob");
    free(type);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM log_findings WHERE rule = "
                                   "'classloading.no-such-method' AND severity = 'error'"),
                     1);
    /* The web UI's questions use the indexes, not a scan of every finding. */
    char *plan = query_plan(path, "SELECT scan_id FROM log_findings WHERE rule = 'x' AND "
                                  "severity = 'error' ORDER BY scan_id DESC");
    assert_non_null(strstr(plan, "log_findings_by_rule"));
    free(plan);
    plan = query_plan(path, "SELECT scan_id, rule FROM log_findings WHERE severity = 'critical' "
                            "ORDER BY scan_id DESC LIMIT 10");
    assert_non_null(strstr(plan, "log_findings_by_severity"));
    free(plan);
    plan = query_plan(path, "SELECT scan_id FROM correlations WHERE class = 'a.B'");
    assert_non_null(strstr(plan, "correlations_by_class"));
    free(plan);

    scan_free(back);
    scan_free(scan);
    free(path);
}

static void test_discovery_and_environment_are_stored(void **state)
{
    char *path = tmp_path(state, "w.db");
    struct store *st = open_ok(path);
    char err[WR_ERR_MAX];
    struct scan *scan = make_scan(false), *given = make_v1_scan(true);
    int64_t id = save(st, scan, 100), id_given = save(st, given, 100);
    struct scan *back = NULL;
    assert_int_equal(store_load_scan(st, id, &back, NULL, err), STORE_OK);
    const struct discovery *d = back->discovery;
    assert_non_null(d);
    assert_string_equal(d->source, "processes");
    assert_int_equal(d->n_not_found, 2);
    assert_string_equal(d->not_found[1], "/opt/app: no such directory");
    assert_int_equal(d->n_notes, 1);
    assert_string_equal(d->notes[0], "WRENCH_APP names \xff the app");
    assert_int_equal(d->n_services, 2);
    const struct service *sv = &d->services[0];
    assert_int_equal(sv->pid, 4242);
    assert_string_equal(sv->command, "java -Dpassword=*** -cp /app/lib/* caf\xe9.Main");
    assert_int_equal(sv->n_views, 2);
    assert_int_equal(sv->views[1], 1);
    assert_int_equal(sv->n_logs, 2);
    assert_string_equal(sv->logs[1], "/var/log/app/gc.log");
    assert_int_equal(sv->n_evidence, 1);
    sv = &d->services[1];
    assert_int_equal(sv->pid, 0);
    assert_null(sv->command);
    assert_null(sv->origin);
    assert_int_equal(sv->n_views + sv->n_logs + sv->n_evidence, 0);
    assert_int_equal(back->n_facts, 2);
    assert_string_equal(back->facts[1].value, "512 MiB");
    assert_int_equal(back->n_env_findings, 2);
    assert_string_equal(back->env_findings[0].id, "memory-heap-exceeds-limit");
    assert_int_equal(back->env_findings[0].severity, SEV_CRITICAL);
    assert_string_equal(back->env_findings[1].detail, "");
    char *type = sql_text(path, "SELECT typeof(command) FROM services WHERE position = 0");
    assert_string_equal(type, "blob");
    free(type);
    scan_free(back);

    /* Targets given: no discovery, and "discovery": null again. */
    assert_int_equal(store_load_scan(st, id_given, &back, NULL, err), STORE_OK);
    assert_null(back->discovery);
    assert_int_equal(back->n_facts + back->n_env_findings, 0);
    char *a = report_json_dump(given), *b = report_json_dump(back);
    assert_string_equal(a, b);
    assert_non_null(strstr(b, "\"discovery\": null"));
    free(a);
    free(b);
    scan_free(back);
    store_close(st);
    scan_free(scan);
    scan_free(given);
    free(path);
}

/* No --logs is "logs": null; logs read with nothing found is an empty report. */
static void test_no_logs_and_empty_logs_stay_apart(void **state)
{
    char *path = tmp_path(state, "w.db");
    struct store *st = open_ok(path);
    char err[WR_ERR_MAX];
    struct scan *none = make_scan_without_logs(false);
    struct scan *empty = make_scan_without_logs(true);
    empty->logs = xcalloc(1, sizeof(*empty->logs));
    int64_t id_none = save(st, none, 100), id_empty = save(st, empty, 100);

    struct scan *back = NULL;
    assert_int_equal(store_load_scan(st, id_none, &back, NULL, err), STORE_OK);
    assert_null(back->logs);
    assert_int_equal(back->n_correlations, 0);
    char *a = report_json_dump(none), *b = report_json_dump(back);
    assert_string_equal(a, b);
    assert_non_null(strstr(b, "\"logs\": null"));
    free(a);
    free(b);
    scan_free(back);

    assert_int_equal(store_load_scan(st, id_empty, &back, NULL, err), STORE_OK);
    assert_non_null(back->logs);
    assert_int_equal(back->logs->n_files + back->logs->n_findings + back->logs->n_problems, 0);
    a = report_json_dump(empty);
    b = report_json_dump(back);
    assert_string_equal(a, b);
    assert_non_null(strstr(b, "\"logs\": {"));
    free(a);
    free(b);
    scan_free(back);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM log_reports"), 1);
    scan_free(none);
    scan_free(empty);
    free(path);
}

static void test_history_latest_previous_and_retention(void **state)
{
    char *path = tmp_path(state, "w.db");
    struct store *st = open_ok(path);
    char err[WR_ERR_MAX];
    struct scan *a = make_scan(false), *b = make_scan(true), *other = scan_new();
    scan_add_view(other, "classpath", "classpath", "/elsewhere/*");
    int64_t ids[5];
    ids[0] = save(st, a, 3);
    ids[1] = save(st, other, 3);
    ids[2] = save(st, b, 3);
    int64_t latest, prev;
    assert_int_equal(store_latest(st, &latest, err), STORE_OK);
    assert_int_equal(latest, ids[2]);
    /* The previous scan of the same targets skips the other target. */
    assert_int_equal(store_previous(st, ids[2], &prev, err), STORE_OK);
    assert_int_equal(prev, ids[0]);
    assert_int_equal(store_previous(st, ids[1], &prev, err), STORE_NOT_FOUND);
    assert_int_equal(store_previous(st, 9999, &prev, err), STORE_NOT_FOUND);

    ids[3] = save(st, a, 3);
    ids[4] = save(st, b, 3); /* keep 3: ids[0] and ids[1] go */
    struct store_scan_info *infos;
    size_t n;
    assert_int_equal(store_list(st, &infos, &n, err), STORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(infos[0].id, ids[4]);
    assert_int_equal(infos[1].id, ids[3]);
    assert_int_equal(infos[2].id, ids[2]);
    store_scan_infos_free(infos, n);
    struct scan *gone = NULL;
    assert_int_equal(store_load_scan(st, ids[0], &gone, NULL, err), STORE_NOT_FOUND);
    assert_null(gone);
    assert_non_null(strstr(err, "no scan"));
    store_close(st);

    /* The pruned scans' rows went with them (foreign keys cascade). */
    char *q = xasprintf("SELECT (SELECT count(*) FROM entries WHERE scan_id <= %lld) + "
                        "(SELECT count(*) FROM conflict_classes WHERE scan_id <= %lld) + "
                        "(SELECT count(*) FROM duplicate_copies WHERE scan_id <= %lld) + "
                        "(SELECT count(*) FROM embedded_artifacts WHERE scan_id <= %lld)",
                        (long long)ids[1], (long long)ids[1], (long long)ids[1], (long long)ids[1]);
    assert_int_equal(sql_int(path, q), 0);
    free(q);
    assert_true(sql_int(path, "SELECT count(*) FROM entries") > 0);
    /* prune() deletes from each table itself (keys are off while saving): no table of the
     * schema that holds a scan_id keeps a pruned scan's row, and none is an orphan. */
    assert_int_equal(rows_of_scans_upto(path, ids[1]), 0);
    assert_true(rows_of_scans_upto(path, ids[4]) > 0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* Ids are never reused after pruning. */
    st = open_ok(path);
    assert_true(save(st, a, 1) > ids[4]);
    assert_int_equal(store_list(st, &infos, &n, err), STORE_OK);
    assert_int_equal(n, 1);
    store_scan_infos_free(infos, n);
    struct store_save_options zero = save_opts;
    zero.keep = 0;
    int64_t id;
    assert_int_equal(store_save_scan(st, a, &zero, &id, err), STORE_FAILED);
    store_close(st);
    scan_free(a);
    scan_free(b);
    scan_free(other);
    free(path);
}

/* ------------------------------------------------------------------------ */
/* Opening: paths, refusals, migrations */

static void test_missing_database_is_not_created_for_reading(void **state)
{
    char *path = tmp_path(state, "none/w.db");
    struct store *st = NULL;
    char err[WR_ERR_MAX];
    assert_int_equal(store_open(&st, path, false, err), STORE_NOT_FOUND);
    assert_null(st);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    char *dir = tmp_path(state, "none");
    assert_int_not_equal(stat(dir, &sb), 0);
    free(dir);
    free(path);
}

static void test_directory_that_is_a_file(void **state)
{
    char *blocker = tmp_path(state, "blocker");
    FILE *f = fopen(blocker, "w");
    assert_non_null(f);
    fclose(f);
    char *path = tmp_path(state, "blocker/sub/w.db");
    struct store *st = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(store_open(&st, path, true, err), STORE_FAILED);
    assert_null(st);
    assert_non_null(strstr(err, "blocker"));
    assert_non_null(strstr(err, "not a directory"));
    free(path);
    free(blocker);
}

/* A refused file keeps every byte. */
static void assert_refused_untouched(const char *path, const char *why)
{
    size_t before_n, after_n;
    char *before = read_file(path, &before_n);
    struct store *st = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(store_open(&st, path, true, err), STORE_FAILED);
    assert_null(st);
    if (!strstr(err, why))
        fail_msg("expected '%s' in: %s", why, err);
    assert_non_null(strstr(err, "untouched"));
    char *after = read_file(path, &after_n);
    assert_int_equal(before_n, after_n);
    assert_memory_equal(before, after, before_n);
    free(before);
    free(after);
}

static void test_refuses_garbage_foreign_and_newer(void **state)
{
    char *garbage = tmp_path(state, "garbage.db");
    FILE *f = fopen(garbage, "wb");
    assert_non_null(f);
    for (int i = 0; i < 8192; i++)
        fputc((i * 7919) & 0xff, f);
    fclose(f);
    assert_refused_untouched(garbage, "not an SQLite database");

    char *foreign = tmp_path(state, "foreign.db");
    sql(foreign, "CREATE TABLE notes (x); INSERT INTO notes VALUES (1);");
    assert_refused_untouched(foreign, "not a wrench database");

    char *newer = tmp_path(state, "newer.db");
    struct store *st = open_ok(newer);
    struct scan *scan = make_scan(false);
    save(st, scan, 100);
    scan_free(scan);
    store_close(st);
    sql(newer, "PRAGMA user_version = 99;");
    assert_refused_untouched(newer, "newer wrench");

    /* An empty file is a new database, not a refusal. */
    char *empty = tmp_path(state, "empty.db");
    f = fopen(empty, "w");
    assert_non_null(f);
    fclose(f);
    st = open_ok(empty);
    store_close(st);
    assert_int_equal(sql_int(empty, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    free(garbage);
    free(foreign);
    free(newer);
    free(empty);
}

static void test_migrations_run_forward_once(void **state)
{
    char *path = tmp_path(state, "m.db");
    static const struct store_migration v1[] = {
        {1, "PRAGMA application_id = 1465009486; CREATE TABLE t (a); INSERT INTO t VALUES (1); "
            "PRAGMA user_version = 1;"},
    };
    static const struct store_migration v2[] = {
        {1, "PRAGMA application_id = 1465009486; CREATE TABLE t (a); INSERT INTO t VALUES (1); "
            "PRAGMA user_version = 1;"},
        {2, "ALTER TABLE t ADD COLUMN b DEFAULT 'two'; INSERT INTO t VALUES (2, 'x'); "
            "PRAGMA user_version = 2;"},
    };
    static const struct store_migration broken[] = {
        {1, "PRAGMA application_id = 1465009486; CREATE TABLE t (a); INSERT INTO t VALUES (1); "
            "PRAGMA user_version = 1;"},
        {2, "ALTER TABLE t ADD COLUMN b DEFAULT 'two'; INSERT INTO t VALUES (2, 'x'); "
            "PRAGMA user_version = 2;"},
        {3, "CREATE TABLE u (x); INSERT INTO nowhere VALUES (1); PRAGMA user_version = 3;"},
    };
    struct store *st = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(store_open_with(&st, path, true, v1, 1, err), STORE_OK);
    store_close(st);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 1);
    /* Opening again with the same steps changes nothing. */
    assert_int_equal(store_open_with(&st, path, true, v1, 1, err), STORE_OK);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM t"), 1);

    assert_int_equal(store_open_with(&st, path, true, v2, 2, err), STORE_OK);
    store_close(st);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 2);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM t WHERE b = 'two'"), 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM t"), 2);

    /* A failing step is rolled back as a whole and the version stays. */
    assert_int_equal(store_open_with(&st, path, true, broken, 3, err), STORE_FAILED);
    assert_non_null(strstr(err, "upgrade"));
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 2);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'u'"), 0);

    /* The older wrench (steps up to 1) refuses the database. */
    assert_int_equal(store_open_with(&st, path, true, v1, 1, err), STORE_FAILED);
    assert_non_null(strstr(err, "newer wrench"));
    free(path);
}

static const char *const V2_TABLES[] = {"log_reports",
                                        "log_files",
                                        "log_file_tails",
                                        "log_findings",
                                        "log_problems",
                                        "correlations",
                                        "correlation_entries",
                                        "discoveries",
                                        "discovery_texts",
                                        "services",
                                        "service_texts",
                                        "service_views",
                                        "facts",
                                        "environment_findings",
                                        "log_finding_facts",
                                        "log_finding_locations",
                                        "findings",
                                        "incidents"};
#define N_V2_TABLES (sizeof(V2_TABLES) / sizeof(V2_TABLES[0]))

static int64_t count_named(const char *path, const char *type, const char *name)
{
    char *q = xasprintf("SELECT count(*) FROM sqlite_schema WHERE type = '%s' AND name = '%s'",
                        type, name);
    int64_t n = sql_int(path, q);
    free(q);
    return n;
}

/* A database the version-1 wrench made, with a scan in it, is brought to the
 * current schema on open: its scan still loads as it was shown, and new scans
 * keep their logs. */
static void test_migration_from_version_1(void **state)
{
    char *path = tmp_path(state, "v1.db");
    size_t n_steps;
    const struct store_migration *steps = store_schema_steps(&n_steps);
    assert_int_equal(n_steps, STORE_SCHEMA_VERSION);
    assert_int_equal(steps[0].version, 1);
    assert_int_equal(steps[n_steps - 1].version, STORE_SCHEMA_VERSION);

    struct store *st = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(store_open_with(&st, path, true, steps, 1, err), STORE_OK);
    struct scan *old = make_v1_scan(false);
    int64_t old_id = save(st, old, 100);
    store_close(st);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 1);
    for (size_t i = 0; i < N_V2_TABLES; i++)
        assert_int_equal(count_named(path, "table", V2_TABLES[i]), 0);
    char *old_json = report_json_dump(old);

    st = open_ok(path); /* all steps: migrates */
    assert_int_equal(sql_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    for (size_t i = 0; i < N_V2_TABLES; i++)
        assert_int_equal(count_named(path, "table", V2_TABLES[i]), 1);
    assert_int_equal(count_named(path, "index", "log_findings_by_rule"), 1);
    assert_int_equal(count_named(path, "index", "log_findings_by_severity"), 1);
    assert_int_equal(count_named(path, "index", "correlations_by_class"), 1);
    assert_int_equal(count_named(path, "index", "environment_findings_by_rule"), 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM scans"), 1);

    struct scan *back = NULL;
    assert_int_equal(store_load_scan(st, old_id, &back, NULL, err), STORE_OK);
    assert_null(back->logs);
    char *json = report_json_dump(back);
    assert_string_equal(json, old_json);
    free(json);
    scan_free(back);

    /* The migrated database takes scans with logs, and prunes their rows with them. */
    struct scan *scan = make_scan(true);
    int64_t id = save(st, scan, 100);
    assert_true(id > old_id);
    assert_int_equal(store_load_scan(st, id, &back, NULL, err), STORE_OK);
    char *a = report_json_dump(scan);
    json = report_json_dump(back);
    assert_string_equal(a, json);
    free(a);
    free(json);
    scan_free(back);
    struct scan *with_correlations = make_scan(false);
    save(st, with_correlations, 1);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM scans"), 1);
    for (size_t i = 0; i < N_V2_TABLES; i++) {
        char *q =
            xasprintf("SELECT count(*) FROM %s WHERE scan_id <= %lld", V2_TABLES[i], (long long)id);
        assert_int_equal(sql_int(path, q), 0);
        free(q);
    }
    assert_int_equal(sql_int(path, "SELECT count(*) FROM correlation_entries"), 3);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);

    /* Reopening migrates nothing again; the version-1 wrench refuses the file now. */
    st = open_ok(path);
    store_close(st);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(store_open_with(&st, path, true, steps, 1, err), STORE_FAILED);
    assert_non_null(strstr(err, "newer wrench"));

    free(old_json);
    scan_free(old);
    scan_free(scan);
    scan_free(with_correlations);
    free(path);
}

static void test_default_path_choice(void **state)
{
    char *blocker = tmp_path(state, "file");
    FILE *f = fopen(blocker, "w");
    assert_non_null(f);
    fclose(f);
    /* The system directory cannot be made (its parent is a file): fall back. */
    char *unusable = tmp_path(state, "file/wrench/wrench.db");
    char *p = store_pick_default_path(unusable, "/state", "/home/u");
    assert_string_equal(p, "/state/wrench/wrench.db");
    free(p);
    /* A relative XDG_STATE_HOME is ignored, as the XDG spec says. */
    p = store_pick_default_path(unusable, "state", "/home/u");
    assert_string_equal(p, "/home/u/.local/state/wrench/wrench.db");
    free(p);
    p = store_pick_default_path(unusable, NULL, NULL);
    assert_string_equal(p, unusable);
    free(p);
    /* A system path whose directories can be created is used. */
    char *usable = tmp_path(state, "var/lib/wrench/wrench.db");
    p = store_pick_default_path(usable, "/state", "/home/u");
    assert_string_equal(p, usable);
    free(p);

    setenv(STORE_ENV_PATH, "/from/env.db", 1);
    p = store_resolve_path(NULL);
    assert_string_equal(p, "/from/env.db");
    free(p);
    p = store_resolve_path("/from/option.db");
    assert_string_equal(p, "/from/option.db");
    free(p);
    unsetenv(STORE_ENV_PATH);
    free(usable);
    free(unusable);
    free(blocker);
}

static void test_damaged_rows_are_refused_on_load(void **state)
{
    static const char *const damage[] = {
        "UPDATE entries SET kind = 'bogus' WHERE entry = 0",
        "UPDATE conflicts SET winner = 999 WHERE position = 1",
        "DELETE FROM conflict_entries WHERE conflict = 0 AND position = 0",
        "UPDATE duplicate_copies SET entry = 77",
        "UPDATE entries SET classes = -5 WHERE entry = 1",
        "UPDATE scans SET started = 'a timestamp far longer than thirty-one bytes'",
        "UPDATE hints SET view = 5",
        "UPDATE entries SET duplicate_of = entry WHERE duplicate_of IS NOT NULL",
        "UPDATE log_findings SET position = 7 WHERE position = 1",
        "UPDATE log_files SET kind = 'syslog' WHERE position = 0",
        "UPDATE log_findings SET count = 'many'",
        "UPDATE log_findings SET sample = x'41004200' WHERE position = 1",
        "UPDATE correlations SET finding = 9",
        "UPDATE correlations SET winner = 999 WHERE position = 0",
        "UPDATE correlations SET view = 4",
        "UPDATE correlation_entries SET entry = 999",
        "UPDATE correlation_entries SET list = 'other'",
        "DELETE FROM log_reports",
        "DELETE FROM log_file_tails WHERE position = 1",
        "UPDATE services SET pid = 0 WHERE pid IS NOT NULL",
        "UPDATE service_views SET view = 2",
        "UPDATE service_texts SET list = 'other' WHERE list = 'evidence'",
        "DELETE FROM discoveries",
        "UPDATE discovery_texts SET position = 5 WHERE position = 0",
        "UPDATE facts SET position = 3 WHERE position = 1",
        "UPDATE environment_findings SET severity = 'fatal'",
        "UPDATE log_file_tails SET file = 7 WHERE file = 0",
    };
    for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
        char *name = xasprintf("d%zu.db", i);
        char *path = tmp_path(state, name);
        struct store *st = open_ok(path);
        struct scan *scan = make_scan(false);
        int64_t id = save(st, scan, 100);
        store_close(st);
        char *edit = xasprintf("PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF; "
                               "%s;",
                               damage[i]);
        sql(path, edit);
        free(edit);
        st = open_ok(path);
        struct scan *back = NULL;
        char err[WR_ERR_MAX] = "";
        if (store_load_scan(st, id, &back, NULL, err) != STORE_FAILED)
            fail_msg("damage '%s' was not noticed", damage[i]);
        assert_null(back);
        assert_non_null(strstr(err, "damaged"));
        store_close(st);
        scan_free(scan);
        free(path);
        free(name);
    }
}

/* ------------------------------------------------------------------------ */
/* Diff */

static const struct diff_finding *find_finding(const struct diff_finding *list, size_t n,
                                               enum diff_kind kind, const char *identity)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].kind == kind && strcmp(list[i].identity, identity) == 0)
            return &list[i];
    return NULL;
}

static void test_diff_by_stable_identities(void **state)
{
    (void)state;
    struct scan *a = make_scan(false), *b = make_scan(true);
    struct scan_diff *d = diff_scans(a, b);

    /* app.jar moved from index 2 to 0, yet its conflict with guava and the hint
     * are the same findings. The slow-request log finding is the same too, although
     * its count and file changed; so is the log problem. */
    assert_int_equal(d->n_new, 3);
    /* Most severe first: the critical log finding; the warning about files last. */
    assert_int_equal(d->new_findings[2].kind, DIFF_ENVIRONMENT);
    assert_string_equal(d->new_findings[2].identity, "open-files-limit-low");
    assert_string_equal(d->new_findings[2].title, "The open files limit is low");
    assert_null(d->new_findings[2].view);
    assert_int_equal(d->new_findings[0].kind, DIFF_LOG);
    assert_string_equal(d->new_findings[0].identity,
                        "jvm.out-of-memory: java.lang.OutOfMemoryError | Java heap space | -");
    assert_string_equal(d->new_findings[0].title, "Out of heap \x1b[31m\xfe");
    assert_string_equal(d->new_findings[0].path, "/var/log/app/app.log");
    assert_null(d->new_findings[0].view);
    assert_int_equal(d->new_findings[0].severity, SEV_CRITICAL);
    assert_non_null(find_finding(d->new_findings, d->n_new, DIFF_CONFLICT,
                                 "classpath: app + org.apache.commons:commons-lang3"));
    /* The OOM kills are the same finding, although reworded. */
    assert_int_equal(d->n_resolved, 4);
    assert_int_equal(d->resolved[0].kind, DIFF_ENVIRONMENT);
    assert_string_equal(d->resolved[0].identity, "memory-heap-exceeds-limit");
    assert_int_equal(d->resolved[0].severity, SEV_CRITICAL);
    /* Then the errors in the canonical order of the finding list (finding.h): logs,
     * conflicts, duplicates. */
    assert_int_equal(d->resolved[2].kind, DIFF_CONFLICT);
    assert_string_equal(d->resolved[2].identity,
                        "classpath: com.google.guava:guava + com.google.guava:guava");
    assert_int_equal(d->resolved[3].kind, DIFF_DUPLICATE);
    assert_string_equal(d->resolved[3].identity, "classpath: com.google.guava:guava");
    assert_string_equal(d->resolved[3].view, "classpath");
    assert_int_equal(d->resolved[1].kind, DIFF_LOG);
    assert_string_equal(d->resolved[1].identity,
                        "classloading.no-such-method: java.lang.NoSuchMethodError | "
                        "'java.lang.String com.google.common.base.Strings.lenientFormat( | "
                        "com.acme.shop.OrderService.describe");
    assert_string_equal(d->resolved[1].title, "Title of classloading.no-such-method");
    /* Matched by key, each carries the finding's stable id. */
    assert_true(strncmp(d->resolved[1].id, "log-", 4) == 0);
    assert_string_equal(diff_kind_name(DIFF_LOG), "log");
    assert_string_equal(diff_kind_name(DIFF_ENVIRONMENT), "environment");

    assert_int_equal(d->n_jars_added, 1);
    assert_string_equal(d->jars_added[0].key, "org.apache.commons:commons-lang3");
    assert_null(d->jars_added[0].from_path);
    assert_string_equal(d->jars_added[0].to_version, "3.12.0");
    /* guava 18.0 and 31.1-jre replaced by 32.0: the highest old version is the one that was
     * upgraded, the other removed. */
    assert_int_equal(d->n_jars_removed, 1);
    assert_string_equal(d->jars_removed[0].from_path, "/app/lib/guava-18.0.jar");
    assert_int_equal(d->n_jars_changed, 1);
    const struct diff_jar *g = &d->jars_changed[0];
    assert_string_equal(g->key, "com.google.guava:guava");
    assert_int_equal(g->change, JAR_NEW_VERSION);
    assert_string_equal(g->from_version, "31.1-jre");
    assert_string_equal(g->from_path, "/app/lib/guava-31.1-jre.jar");
    assert_string_equal(g->to_version, "32.0");
    assert_string_equal(g->to_path, "/app/lib/guava-32.0.jar");
    assert_false(diff_is_empty(d));
    diff_free(d);

    /* The other way round, new and resolved swap; jars added become removed. */
    d = diff_scans(b, a);
    assert_int_equal(d->n_new, 4);
    assert_int_equal(d->n_resolved, 3);
    assert_int_equal(d->n_jars_removed, 1);
    assert_int_equal(d->n_jars_added, 1); /* guava 18.0 comes back */
    diff_free(d);

    d = diff_scans(a, a);
    assert_true(diff_is_empty(d));
    diff_free(d);

    /* A scan without logs against one with: every log finding and log problem is new. */
    struct scan *plain = make_scan_without_logs(false);
    d = diff_scans(plain, a);
    assert_int_equal(d->n_resolved, 0);
    assert_int_equal(d->n_new, 3);
    assert_non_null(find_finding(d->new_findings, d->n_new, DIFF_LOG,
                                 "perf.slow-request: slow request | GET /orders/<n> | -"));
    assert_non_null(find_finding(d->new_findings, d->n_new, DIFF_PROBLEM,
                                 "/var/log/tomcat/catalina.2026-11-26.log.gz: corrupt gzip "
                                 "stream \xff after 4096 bytes"));
    diff_free(d);
    scan_free(plain);
    scan_free(a);
    scan_free(b);
}

static void test_diff_repeated_identities_match_one_by_one(void **state)
{
    (void)state;
    struct scan *a = scan_new(), *b = scan_new();
    scan_add_view(a, "classpath", "classpath", "x");
    scan_add_view(a, "classpath", "classpath", "y"); /* a second view of the same name */
    scan_add_view(b, "classpath", "classpath", "x");
    for (int i = 0; i < 3; i++)
        scan_add_problem(a, SEV_WARNING, "/lib/a.jar", "unreadable");
    scan_add_problem(b, SEV_WARNING, "/lib/a.jar", "unreadable");
    struct cp_entry *e = view_add_entry(&a->views[1], "/y/lib/z.jar", ENTRY_JAR);
    e->artifact.name = xstrdup("z");
    struct scan_diff *d = diff_scans(a, b);
    assert_int_equal(d->n_new, 0);
    assert_int_equal(d->n_resolved, 2);
    assert_string_equal(d->resolved[0].path, "/lib/a.jar");
    assert_null(d->resolved[0].view);
    assert_int_equal(d->n_jars_removed, 1);
    assert_string_equal(d->jars_removed[0].view, "classpath#2");
    assert_string_equal(d->jars_removed[0].key, "z");
    assert_null(d->jars_removed[0].from_version);
    assert_string_equal(d->jars_removed[0].from_path, "/y/lib/z.jar");
    diff_free(d);
    scan_free(a);
    scan_free(b);
}

/* One view of jars "path=group:name:version" (version "-" when unknown). */
static struct scan *jar_scan(const char *const *jars)
{
    struct scan *s = scan_new();
    struct cp_view *v = scan_add_view(s, "classpath", "classpath", "x");
    for (; *jars; jars++) {
        char *spec = xstrdup(*jars);
        char *eq = strchr(spec, '=');
        *eq = '\0';
        char *group = eq + 1, *name = strchr(group, ':');
        *name++ = '\0';
        char *version = strchr(name, ':');
        *version++ = '\0';
        struct cp_entry *e = view_add_entry(v, spec, ENTRY_JAR);
        e->artifact.group = group[0] ? xstrdup(group) : NULL;
        e->artifact.name = xstrdup(name);
        e->artifact.version = strcmp(version, "-") ? xstrdup(version) : NULL;
        free(spec);
    }
    return s;
}

/* A diff_jar as one line: "added /l/b.jar", "version /l/a-1.jar 1 -> /l/a-2.jar 2"... */
static char *jar_line(const char *what, const struct diff_jar *j)
{
    if (strcmp(what, "changed") == 0)
        return xasprintf("changed %s %s %s %s -> %s %s", diff_jar_change_name(j->change), j->key,
                         j->from_path, j->from_version ? j->from_version : "?", j->to_path,
                         j->to_version ? j->to_version : "?");
    const char *path = j->to_path ? j->to_path : j->from_path;
    return xasprintf("%s %s %s", what, j->key, path);
}

static void assert_jar_diff(const char *const *older, const char *const *newer,
                            const char *const *want)
{
    struct scan *a = jar_scan(older), *b = jar_scan(newer);
    struct scan_diff *d = diff_scans(a, b);
    char *got[16];
    size_t n = 0;
    const char *names[3] = {"added", "removed", "changed"};
    const struct diff_jar *lists[3] = {d->jars_added, d->jars_removed, d->jars_changed};
    size_t counts[3] = {d->n_jars_added, d->n_jars_removed, d->n_jars_changed};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < counts[k]; i++)
            got[n++] = jar_line(names[k], &lists[k][i]);
    size_t n_want = 0;
    while (want[n_want])
        n_want++;
    for (size_t i = 0; i < n && i < n_want; i++)
        assert_string_equal(got[i], want[i]);
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++)
        free(got[i]);
    diff_free(d);
    scan_free(a);
    scan_free(b);
}

static void test_diff_jars_by_path(void **state)
{
    (void)state;
    /* The case: one more version of a library and an application jar are two jars
     * added, not a version change of the library. */
    assert_jar_diff((const char *[]){"/l/acme-util-1.0.jar=com.acme:acme-util:1.0", NULL},
                    (const char *[]){"/l/acme-util-1.0.jar=com.acme:acme-util:1.0",
                                     "/l/acme-util-2.0.jar=com.acme:acme-util:2.0",
                                     "/l/app.jar=:app:-", NULL},
                    (const char *[]){"added app /l/app.jar",
                                     "added com.acme:acme-util /l/acme-util-2.0.jar", NULL});
    /* Removed. */
    assert_jar_diff((const char *[]){"/l/a.jar=g:a:1", "/l/b.jar=g:b:1", NULL},
                    (const char *[]){"/l/a.jar=g:a:1", NULL},
                    (const char *[]){"removed g:b /l/b.jar", NULL});
    /* Upgraded in place: same file name, new contents. */
    assert_jar_diff((const char *[]){"/l/a.jar=g:a:1", NULL},
                    (const char *[]){"/l/a.jar=g:a:2", NULL},
                    (const char *[]){"changed version g:a /l/a.jar 1 -> /l/a.jar 2", NULL});
    /* Replaced by another file name of the same library. */
    assert_jar_diff((const char *[]){"/l/a-1.jar=g:a:1", NULL},
                    (const char *[]){"/l/a-2.jar=g:a:2", NULL},
                    (const char *[]){"changed version g:a /l/a-1.jar 1 -> /l/a-2.jar 2", NULL});
    /* Moved: same library and version elsewhere. */
    assert_jar_diff((const char *[]){"/old/a.jar=g:a:1", NULL},
                    (const char *[]){"/new/a.jar=g:a:1", NULL},
                    (const char *[]){"changed moved g:a /old/a.jar 1 -> /new/a.jar 1", NULL});
    /* Another library at the same path. */
    assert_jar_diff((const char *[]){"/l/util.jar=g:a:1", NULL},
                    (const char *[]){"/l/util.jar=g:b:1", NULL},
                    (const char *[]){"changed replaced g:b /l/util.jar 1 -> /l/util.jar 1", NULL});
    /* Nothing changed, in another order. */
    assert_jar_diff((const char *[]){"/l/a.jar=g:a:1", "/l/b.jar=g:b:1", NULL},
                    (const char *[]){"/l/b.jar=g:b:1", "/l/a.jar=g:a:1", NULL},
                    (const char *[]){NULL});
}

static void test_diff_entry_key(void **state)
{
    (void)state;
    struct cp_entry e;
    memset(&e, 0, sizeof(e));
    e.path = "/srv/app.jar!/BOOT-INF/classes/";
    char *k = diff_entry_key(&e);
    assert_string_equal(k, "classes");
    free(k);
    e.artifact.name = "guava";
    k = diff_entry_key(&e);
    assert_string_equal(k, "guava");
    free(k);
    e.artifact.group = "com.google.guava";
    k = diff_entry_key(&e);
    assert_string_equal(k, "com.google.guava:guava");
    free(k);
}

/* ------------------------------------------------------------------------ */
/* Table descriptions and paging */

/* The number of columns of `table` in the schema the migrations built. */
static int schema_columns(sqlite3 *db, const char *table)
{
    char *q = xasprintf("SELECT count(*) FROM pragma_table_info('%s')", table);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    free(q);
    return n;
}

/* Every table the store writes is described once: its INSERT (built from the description)
 * has one parameter per value the writer binds and covers every column of the migrated
 * schema, its SELECT yields as many columns as the reader reads, and no table of the
 * schema goes undescribed. */
static void test_table_descriptions_match_the_schema(void **state)
{
    char *path = tmp_path(state, "t.db");
    store_close(open_ok(path));
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    size_t n = store_table_count();
    assert_true(n > 20);
    for (size_t i = 0; i < n; i++) {
        const char *name;
        int n_values, n_read;
        char *insert, *select;
        store_table_sql(i, &name, &n_values, &n_read, &insert, &select);
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(db, insert, -1, &s, NULL) != SQLITE_OK)
            fail_msg("%s: %s: %s", name, insert, sqlite3_errmsg(db));
        assert_int_equal(sqlite3_bind_parameter_count(s), n_values);
        sqlite3_finalize(s);
        /* scans.id and jvm_sightings.id are the columns no writer binds (SQLite assigns
         * them): the two tables that are not children of a scan. */
        int unbound = strcmp(name, "scans") == 0 || strcmp(name, "jvm_sightings") == 0 ? 1 : 0;
        if (schema_columns(db, name) != n_values + unbound)
            fail_msg("%s: %d columns described, %d in the schema", name, n_values,
                     schema_columns(db, name));
        if (sqlite3_prepare_v2(db, select, -1, &s, NULL) != SQLITE_OK)
            fail_msg("%s: %s: %s", name, select, sqlite3_errmsg(db));
        assert_int_equal(sqlite3_column_count(s), n_read);
        /* A child table's SELECT reads one scan's rows: its one parameter is the scan id. */
        assert_int_equal(sqlite3_bind_parameter_count(s), unbound ? 0 : 1);
        sqlite3_finalize(s);
        free(insert);
        free(select);
    }
    sqlite3_close(db);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                   "name NOT LIKE 'sqlite_%'"),
                     (int64_t)n);
    free(path);
}

static void assert_page(struct store *st, int64_t before, size_t limit, const int64_t *want,
                        size_t n_want, bool want_more)
{
    char err[WR_ERR_MAX];
    struct store_scan_info *infos = NULL;
    size_t n = 99;
    bool more = !want_more;
    assert_int_equal(store_list_page(st, before, limit, &infos, &n, &more, err), STORE_OK);
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(infos[i].id, want[i]);
    assert_int_equal(more, want_more);
    store_scan_infos_free(infos, n);
}

/* A page of the history is the rows below `before`, newest first, no more than asked. */
static void test_history_pages_and_single_rows(void **state)
{
    char *path = tmp_path(state, "p.db");
    struct store *st = open_ok(path);
    char err[WR_ERR_MAX];
    struct scan *a = make_v1_scan(false);
    int64_t ids[7];
    for (size_t i = 0; i < 7; i++)
        ids[i] = save(st, a, 100);
    int64_t newest3[] = {ids[6], ids[5], ids[4]}, next3[] = {ids[3], ids[2], ids[1]},
            last[] = {ids[0]};
    assert_page(st, INT64_MAX, 3, newest3, 3, true);
    assert_page(st, ids[4], 3, next3, 3, true);
    assert_page(st, ids[1], 3, last, 1, false);
    assert_page(st, ids[0], 3, NULL, 0, false);
    /* Exactly the rest: no more after it. */
    assert_page(st, ids[3], 3, (int64_t[]){ids[2], ids[1], ids[0]}, 3, false);
    assert_page(st, ids[4], 4, (int64_t[]){ids[3], ids[2], ids[1], ids[0]}, 4, false);

    struct store_scan_info info;
    assert_int_equal(store_info(st, ids[2], &info, err), STORE_OK);
    assert_int_equal(info.id, ids[2]);
    assert_string_equal(info.status, STORE_SCAN_COMPLETE);
    assert_string_equal(info.rules_version, save_opts.rules_version);
    store_scan_info_clear(&info);
    assert_int_equal(store_info(st, ids[6] + 1, &info, err), STORE_NOT_FOUND);
    store_close(st);
    scan_free(a);
    free(path);
}

/* ---- JVM sightings (schema 8) ---- */

/* A scan with one service state: running (pid) or not, with a sighting and two starts. */
static struct scan *state_scan(int pid, const char *identity, const char *cwd, int64_t seen)
{
    struct scan *scan = scan_new();
    scan->states = xcalloc(1, sizeof(*scan->states));
    scan->n_states = scan->states_cap = 1;
    struct service_state *st = &scan->states[0];
    st->service = xstrdup("crash");
    st->kind = xstrdup("jar");
    st->pid = pid;
    st->state = pid ? RUN_STARTING : RUN_CRASHED;
    st->uptime_s = st->threads = st->open_fds = st->since_s = -1;
    st->identity = xstrdup(identity);
    st->sighting = xcalloc(1, sizeof(*st->sighting));
    *st->sighting = (struct jvm_sighting){xstrdup(identity),
                                          pid ? pid : 77,
                                          seen - 60,
                                          xstrdup(cwd),
                                          xstrdup("../custom/hs_err_%p.log"),
                                          NULL,
                                          xstrdup("-jar /app/crash.jar"),
                                          seen};
    st->starts = xcalloc(2, sizeof(*st->starts));
    st->n_starts = st->starts_cap = 2;
    st->starts_total = 9;
    st->starts[0] =
        (struct svc_start){1796657235532, xstrdup("/l/catalina.out"), 10, true, 1796657236178, 646};
    st->starts[1] = (struct svc_start){1796657241389, xstrdup("/l/catalina.out"), 99, false, -1, 0};
    return scan;
}

static void load_seen(struct store *st, struct jvm_sighting **out, size_t *n)
{
    char err[WR_ERR_MAX] = "";
    if (store_load_sightings(st, out, n, err) != STORE_OK)
        fail_msg("load sightings: %s", err);
}

static void test_sightings_kept_per_identity(void **state)
{
    char *path = tmp_path(state, "seen.db");
    struct store *st = open_ok(path);
    struct jvm_sighting *seen;
    size_t n;
    load_seen(st, &seen, &n);
    assert_int_equal(n, 0);
    struct scan *a = state_scan(4242, "jar /app/crash.jar", "/work", 1796650000);
    int64_t id_a = save(st, a, 1);
    load_seen(st, &seen, &n);
    assert_int_equal(n, 1);
    assert_string_equal(seen[0].identity, "jar /app/crash.jar");
    assert_int_equal(seen[0].pid, 4242);
    assert_int_equal(seen[0].started, 1796650000 - 60);
    assert_int_equal(seen[0].last_seen, 1796650000);
    assert_string_equal(seen[0].cwd, "/work");
    assert_string_equal(seen[0].error_file, "../custom/hs_err_%p.log");
    assert_null(seen[0].heap_dump_path);
    assert_string_equal(seen[0].command, "-jar /app/crash.jar");
    jvm_sightings_free(seen, n);
    /* the state, its sighting and its starts come back from the scan's JSON */
    struct scan *back = NULL;
    char err[WR_ERR_MAX] = "";
    assert_int_equal(store_load_scan(st, id_a, &back, NULL, err), STORE_OK);
    assert_int_equal(back->n_states, 1);
    struct service_state *b = &back->states[0];
    assert_string_equal(b->identity, "jar /app/crash.jar");
    assert_int_equal(b->sighting->pid, 4242);
    assert_string_equal(b->sighting->error_file, "../custom/hs_err_%p.log");
    assert_int_equal(b->n_starts, 2);
    assert_int_equal(b->starts_total, 9);
    assert_int_equal(b->starts[0].at_ms, 1796657235532);
    assert_int_equal(b->starts[0].took_ms, 646);
    assert_true(b->starts[0].finished);
    assert_false(b->starts[1].finished);
    assert_int_equal(b->starts[1].finished_ms, -1);
    assert_int_equal(b->starts[1].line, 99);
    char *ja = report_json_dump(a), *jb = report_json_dump(back);
    assert_string_equal(ja, jb);
    free(ja);
    free(jb);
    scan_free(back);
    /* a later JVM of the same service replaces it, and survives the pruning of its scan;
     * a dead service's sighting (what the store said) is not written back */
    struct scan *b2 = state_scan(5151, "jar /app/crash.jar", "/work2", 1796660000);
    struct scan *dead = state_scan(0, "runit /etc/sv/pay", "/x", 1796670000);
    struct scan *other = state_scan(6161, "main Hang", "/y", 1796640000);
    save(st, b2, 1);
    save(st, dead, 1);
    save(st, other, 1);
    load_seen(st, &seen, &n);
    assert_int_equal(n, 2);
    assert_string_equal(seen[0].identity, "jar /app/crash.jar"); /* newest first */
    assert_int_equal(seen[0].pid, 5151);
    assert_string_equal(seen[0].cwd, "/work2");
    assert_string_equal(seen[1].identity, "main Hang");
    jvm_sightings_free(seen, n);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM scans"), 1);
    scan_free(a);
    scan_free(b2);
    scan_free(dead);
    scan_free(other);
    store_close(st);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_is_byte_for_byte, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_sightings_kept_per_identity, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_empty_scan_round_trip, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_logs_are_stored_faithfully, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_no_logs_and_empty_logs_stay_apart, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_discovery_and_environment_are_stored, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_history_latest_previous_and_retention, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_missing_database_is_not_created_for_reading, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_directory_that_is_a_file, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_conflict_lists_round_trip_in_batches, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_refuses_garbage_foreign_and_newer, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_migrations_run_forward_once, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_migration_from_version_1, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_default_path_choice, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_damaged_rows_are_refused_on_load, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_service_state_round_trip, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_table_descriptions_match_the_schema, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_history_pages_and_single_rows, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test(test_diff_by_stable_identities),
        cmocka_unit_test(test_diff_repeated_identities_match_one_by_one),
        cmocka_unit_test(test_diff_entry_key),
        cmocka_unit_test(test_diff_jars_by_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
