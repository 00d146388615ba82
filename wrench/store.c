/*
 * store.c - the SQLite report store (see store.h and docs/store.md). All SQL
 * of wrench lives here. Data only ever reaches SQL through bound parameters:
 * no SQL text is built at run time, every statement is a literal.
 *
 * A scan is saved in one write transaction (BEGIN IMMEDIATE ... COMMIT) that
 * also prunes old scans, so a failed or killed save leaves nothing behind. The
 * database runs in WAL mode so readers (`wrench serve`, `history`) never wait
 * for a scan being written, and a busy timeout makes writers queue.
 */
#include "store.h"

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "embedded.h"
#include "logmodel.h"
#include "report_state.h"
#include "svcstate.h"
#include "util.h"
#include "finding.h"
#include "incident.h"
#include "verdict.h"

#define STORE_APPLICATION_ID 0x5752454e /* "WREN": marks the file as a wrench database */
#define STORE_DIR_MODE 0755
#define STORE_DB_NAME "wrench.db"
#define STORE_APP_DIR "wrench"
#define STORE_USER_STATE ".local/state"
#define STORE_TS_MAX sizeof(((struct scan *)0)->started)

/* SCHEMA_V1 spells the id out, as SQL text cannot use the macro. */
_Static_assert(STORE_APPLICATION_ID == 1465009486, "SCHEMA_V1 sets another application_id");

#define ENTRY_KIND_COUNT (ENTRY_ARCHIVE_DIR + 1)
#define ENTRY_STATUS_COUNT (STATUS_LISTED_TWICE + 1)
#define EVIDENCE_COUNT (EVIDENCE_FILENAME + 1)

/* Version 1: the whole schema. Later versions append steps; a step never
 * changes once released. Table and column meanings are in docs/store.md. */
static const char SCHEMA_V1[] =
    "PRAGMA application_id = 1465009486;\n" /* STORE_APPLICATION_ID */
    "CREATE TABLE scans (\n"
    "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    started TEXT NOT NULL,\n"
    "    finished TEXT NOT NULL,\n"
    "    duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),\n"
    "    host TEXT,\n"
    "    targets TEXT NOT NULL,\n"
    "    status TEXT NOT NULL CHECK (status IN ('complete', 'failed')),\n"
    "    critical INTEGER NOT NULL,\n"
    "    error INTEGER NOT NULL,\n"
    "    warning INTEGER NOT NULL,\n"
    "    info INTEGER NOT NULL,\n"
    "    views INTEGER NOT NULL,\n"
    "    entries INTEGER NOT NULL,\n"
    "    classes INTEGER NOT NULL,\n"
    "    verdict TEXT NOT NULL,\n"
    "    wrench_version TEXT NOT NULL,\n"
    "    report_schema INTEGER NOT NULL,\n"
    "    rules_version TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX scans_by_targets ON scans (targets, id);\n"
    "CREATE INDEX scans_by_started ON scans (started);\n"
    "CREATE TABLE views (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    view INTEGER NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    target_kind TEXT NOT NULL,\n"
    "    target TEXT NOT NULL,\n"
    "    note TEXT,\n"
    "    follow_class_path INTEGER NOT NULL,\n"
    "    is_webapp INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, view)\n"
    ");\n"
    "CREATE TABLE entries (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    entry INTEGER NOT NULL,\n"
    "    path TEXT NOT NULL,\n"
    "    real_path TEXT,\n"
    "    listed_as TEXT,\n"
    "    origin TEXT,\n"
    "    archive_path TEXT,\n"
    "    inner_path TEXT,\n"
    "    kind TEXT NOT NULL,\n"
    "    status TEXT NOT NULL,\n"
    "    problem TEXT,\n"
    "    duplicate_of INTEGER,\n"
    "    via INTEGER,\n"
    "    order_group INTEGER NOT NULL,\n"
    "    order_defined INTEGER NOT NULL,\n"
    "    classes INTEGER NOT NULL,\n"
    "    zip_entries INTEGER NOT NULL,\n"
    "    multi_release INTEGER NOT NULL,\n"
    "    main_class TEXT,\n"
    "    duplicate_zip_entries INTEGER NOT NULL,\n"
    "    bad_entry_names INTEGER NOT NULL,\n"
    "    artifact_group TEXT,\n"
    "    artifact_name TEXT,\n"
    "    artifact_version TEXT,\n"
    "    evidence TEXT NOT NULL,\n"
    "    evidence_source TEXT,\n"
    "    PRIMARY KEY (scan_id, view, entry),\n"
    "    FOREIGN KEY (scan_id, view) REFERENCES views (scan_id, view) ON DELETE CASCADE\n"
    ");\n"
    "CREATE INDEX entries_by_artifact ON entries (artifact_name, artifact_group, "
    "artifact_version);\n"
    "CREATE TABLE embedded_artifacts (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    entry INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    artifact_group TEXT,\n"
    "    artifact_name TEXT,\n"
    "    artifact_version TEXT,\n"
    "    evidence TEXT NOT NULL,\n"
    "    evidence_source TEXT,\n"
    "    PRIMARY KEY (scan_id, view, entry, position),\n"
    "    FOREIGN KEY (scan_id, view, entry) REFERENCES entries (scan_id, view, entry)\n"
    "        ON DELETE CASCADE\n"
    ");\n"
    "CREATE TABLE duplicates (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    key TEXT NOT NULL,\n"
    "    title TEXT NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    versions_differ INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE INDEX duplicates_by_key ON duplicates (key);\n"
    "CREATE TABLE duplicate_copies (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    duplicate INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    entry INTEGER NOT NULL,\n"
    "    version TEXT,\n"
    "    shaded INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, duplicate, position),\n"
    "    FOREIGN KEY (scan_id, duplicate) REFERENCES duplicates (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ");\n"
    "CREATE TABLE conflicts (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    title TEXT NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    shared INTEGER NOT NULL,\n"
    "    identical INTEGER NOT NULL,\n"
    "    differing INTEGER NOT NULL,\n"
    "    unknown INTEGER NOT NULL,\n"
    "    winner INTEGER,\n"
    "    winner_undefined INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE TABLE conflict_entries (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    conflict INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    entry INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, conflict, position),\n"
    "    FOREIGN KEY (scan_id, conflict) REFERENCES conflicts (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE conflict_classes (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    conflict INTEGER NOT NULL,\n"
    "    list TEXT NOT NULL CHECK (list IN ('differing', 'sample')),\n"
    "    position INTEGER NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, conflict, list, position),\n"
    "    FOREIGN KEY (scan_id, conflict) REFERENCES conflicts (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX conflict_classes_by_name ON conflict_classes (name);\n"
    "CREATE TABLE hints (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    rule TEXT NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    title TEXT NOT NULL,\n"
    "    hint TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE INDEX hints_by_rule ON hints (rule);\n"
    "CREATE TABLE hint_entries (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    hint INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    entry INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, hint, position),\n"
    "    FOREIGN KEY (scan_id, hint) REFERENCES hints (scan_id, position) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE problems (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    path TEXT NOT NULL,\n"
    "    message TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "PRAGMA user_version = 1;\n";

/* Version 2: what report schemas 2 and 3 added: the log diagnosis and its
 * correlations, the discovery of services, the environment's facts and
 * findings. A scan read logs exactly when it has a log_reports row (and
 * discovered its targets exactly when it has a discoveries row); the tables of
 * each hang off that row. Texts from logs, processes and the container are bound
 * as TEXT when they are valid UTF-8, else as BLOB (docs/store.md), so SQL sees
 * text wherever it can and no byte is lost. */
static const char SCHEMA_V2[] =
    "CREATE TABLE log_reports (\n"
    "    scan_id INTEGER PRIMARY KEY REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    dropped_findings INTEGER NOT NULL CHECK (dropped_findings >= 0)\n"
    ");\n"
    "CREATE TABLE log_files (\n"
    "    scan_id INTEGER NOT NULL REFERENCES log_reports (scan_id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    path TEXT NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('tomcat', 'access', 'app')),\n"
    "    compressed INTEGER NOT NULL,\n"
    "    bytes INTEGER NOT NULL,\n"
    "    lines INTEGER NOT NULL,\n"
    "    events INTEGER NOT NULL,\n"
    "    truncated_events INTEGER NOT NULL,\n"
    "    long_lines INTEGER NOT NULL,\n"
    "    complete INTEGER NOT NULL,\n"
    "    skipped_events INTEGER NOT NULL,\n"
    "    last_start_line INTEGER NOT NULL,\n"
    "    last_start TEXT,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE TABLE log_file_tails (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    file INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    line TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, file, position),\n"
    "    FOREIGN KEY (scan_id, file) REFERENCES log_files (scan_id, position) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE log_findings (\n"
    "    scan_id INTEGER NOT NULL REFERENCES log_reports (scan_id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    rule TEXT NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    category TEXT,\n"
    "    title TEXT,\n"
    "    hint TEXT,\n"
    "    signature TEXT NOT NULL,\n"
    "    count INTEGER NOT NULL,\n"
    "    first_seen TEXT,\n"
    "    last_seen TEXT,\n"
    "    file TEXT,\n"
    "    line INTEGER NOT NULL,\n"
    "    root_cause TEXT,\n"
    "    class TEXT,\n"
    "    sample TEXT,\n"
    "    sample_truncated INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE INDEX log_findings_by_rule ON log_findings (rule, severity, scan_id);\n"
    "CREATE INDEX log_findings_by_severity ON log_findings (severity, scan_id);\n"
    "CREATE TABLE log_problems (\n"
    "    scan_id INTEGER NOT NULL REFERENCES log_reports (scan_id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    path TEXT NOT NULL,\n"
    "    message TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE TABLE correlations (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    finding INTEGER NOT NULL,\n"
    "    class TEXT NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    winner INTEGER,\n"
    "    winner_undefined INTEGER NOT NULL,\n"
    "    copies_differ INTEGER NOT NULL,\n"
    "    text TEXT,\n"
    "    PRIMARY KEY (scan_id, position),\n"
    "    FOREIGN KEY (scan_id, finding) REFERENCES log_findings (scan_id, position)\n"
    "        ON DELETE CASCADE,\n"
    "    FOREIGN KEY (scan_id, view) REFERENCES views (scan_id, view) ON DELETE CASCADE\n"
    ");\n"
    "CREATE INDEX correlations_by_class ON correlations (class);\n"
    "CREATE TABLE correlation_entries (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    correlation INTEGER NOT NULL,\n"
    "    list TEXT NOT NULL CHECK (list IN ('holders', 'package')),\n"
    "    position INTEGER NOT NULL,\n"
    "    entry INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, correlation, list, position),\n"
    "    FOREIGN KEY (scan_id, correlation) REFERENCES correlations (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE discoveries (\n"
    "    scan_id INTEGER PRIMARY KEY REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    source TEXT\n"
    ");\n"
    "CREATE TABLE discovery_texts (\n"
    "    scan_id INTEGER NOT NULL REFERENCES discoveries (scan_id) ON DELETE CASCADE,\n"
    "    list TEXT NOT NULL CHECK (list IN ('not_found', 'notes')),\n"
    "    position INTEGER NOT NULL,\n"
    "    text TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, list, position)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE services (\n"
    "    scan_id INTEGER NOT NULL REFERENCES discoveries (scan_id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    name TEXT,\n"
    "    kind TEXT,\n"
    "    origin TEXT,\n"
    "    pid INTEGER CHECK (pid > 0),\n"
    "    command TEXT,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE TABLE service_texts (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    service INTEGER NOT NULL,\n"
    "    list TEXT NOT NULL CHECK (list IN ('evidence', 'logs')),\n"
    "    position INTEGER NOT NULL,\n"
    "    text TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, service, list, position),\n"
    "    FOREIGN KEY (scan_id, service) REFERENCES services (scan_id, position) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE service_views (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    service INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, service, position),\n"
    "    FOREIGN KEY (scan_id, service) REFERENCES services (scan_id, position) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE facts (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    value TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE TABLE environment_findings (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    rule TEXT NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    title TEXT NOT NULL,\n"
    "    detail TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE INDEX environment_findings_by_rule ON environment_findings (rule, scan_id);\n"
    "PRAGMA user_version = 2;\n";

/* Version 3: the format each log file was read as (envelope.h). */
static const char SCHEMA_V3[] =
    "ALTER TABLE log_files ADD COLUMN format TEXT NOT NULL DEFAULT 'plain'\n"
    "    CHECK (format IN ('plain', 'svlogd', 'cri', 'docker', 'json'));\n"
    "PRAGMA user_version = 3;\n";

/* Version 4: what report schema 4 added. A log finding's impact, named facts and every place
 * it was seen (inputs of the findings and incidents, which the report derives again on load);
 * and, for SQL only, the derived finding list with stable ids and the incidents, written when a
 * scan is saved and never read back. Log findings stored before have the impact a rule without
 * an "impact" field gets (runtime from error up, as uncategorized errors; else none). */
static const char SCHEMA_V4[] =
    "ALTER TABLE log_findings ADD COLUMN impact TEXT NOT NULL DEFAULT 'none'\n"
    "    CHECK (impact IN ('none', 'runtime', 'webapp', 'connector', 'service'));\n"
    "UPDATE log_findings SET impact = 'runtime'\n"
    "    WHERE severity IN ('error', 'critical') OR rule = 'uncategorized';\n"
    "CREATE TABLE log_finding_facts (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    finding INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    value TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, finding, position),\n"
    "    FOREIGN KEY (scan_id, finding) REFERENCES log_findings (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX log_finding_facts_by_name ON log_finding_facts (name, value);\n"
    "CREATE TABLE log_finding_locations (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    finding INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    file TEXT NOT NULL,\n"
    "    line INTEGER NOT NULL,\n"
    "    timestamp TEXT,\n"
    "    PRIMARY KEY (scan_id, finding, position),\n"
    "    FOREIGN KEY (scan_id, finding) REFERENCES log_findings (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE findings (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    id TEXT NOT NULL,\n"
    "    kind TEXT NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    impact TEXT NOT NULL,\n"
    "    rule TEXT NOT NULL,\n"
    "    title TEXT NOT NULL,\n"
    "    incident TEXT,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE INDEX findings_by_id ON findings (id, scan_id);\n"
    "CREATE TABLE incidents (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    id TEXT NOT NULL,\n"
    "    subject TEXT NOT NULL,\n"
    "    name TEXT,\n"
    "    impact TEXT NOT NULL,\n"
    "    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),\n"
    "    cause TEXT NOT NULL,\n"
    "    cause_text TEXT NOT NULL,\n"
    "    in_verdict INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "CREATE INDEX incidents_by_id ON incidents (id, scan_id);\n"
    "PRAGMA user_version = 4;\n";

/* ---- Version 5: service state (svcstate.h), each as its JSON of docs/state.md ---- */
static const char SCHEMA_V5[] =
    "CREATE TABLE service_states (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    state TEXT NOT NULL,\n"
    "    body TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, position)\n"
    ");\n"
    "ALTER TABLE environment_findings ADD COLUMN subject TEXT;\n"
    "PRAGMA user_version = 5;\n";

static const struct store_migration store_migrations[] = {
    {1, SCHEMA_V1}, {2, SCHEMA_V2}, {3, SCHEMA_V3}, {4, SCHEMA_V4}, {5, SCHEMA_V5},
};
#define STORE_N_MIGRATIONS (sizeof(store_migrations) / sizeof(store_migrations[0]))
_Static_assert(STORE_N_MIGRATIONS == STORE_SCHEMA_VERSION,
               "one migration step per schema version, the last one STORE_SCHEMA_VERSION");

struct store {
    sqlite3 *db;
    char *path;
    int version; /* the schema version it was opened at (store_open_with() may stop short) */
};

/* ------------------------------------------------------------------------ */
/* Paths */

/* A directory that exists and is writable, or that could be created. */
static bool dir_usable(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) && access(dir, W_OK | X_OK) == 0;
    if (errno != ENOENT)
        return false;
    char *parent = path_dirname(dir);
    bool ok = strcmp(parent, dir) != 0 && dir_usable(parent);
    free(parent);
    return ok;
}

/* The database file and its directory (WAL mode keeps -wal and -shm files next
 * to it) can be written, or created. */
static bool db_usable(const char *path)
{
    char *dir = path_dirname(path);
    bool ok;
    if (access(path, F_OK) == 0)
        ok = access(path, R_OK | W_OK) == 0 && access(dir, W_OK | X_OK) == 0;
    else
        ok = dir_usable(dir);
    free(dir);
    return ok;
}

char *store_pick_default_path(const char *system_path, const char *xdg_state_home, const char *home)
{
    if (db_usable(system_path))
        return xstrdup(system_path);
    /* The XDG spec says a relative $XDG_STATE_HOME is invalid and must be ignored. */
    if (xdg_state_home && xdg_state_home[0] == '/')
        return xasprintf("%s/%s/%s", xdg_state_home, STORE_APP_DIR, STORE_DB_NAME);
    if (home && home[0] == '/')
        return xasprintf("%s/%s/%s/%s", home, STORE_USER_STATE, STORE_APP_DIR, STORE_DB_NAME);
    return xstrdup(system_path);
}

char *store_default_path(void)
{
    return store_pick_default_path(STORE_SYSTEM_PATH, getenv("XDG_STATE_HOME"), getenv("HOME"));
}

char *store_resolve_path(const char *option)
{
    if (option)
        return xstrdup(option);
    const char *env = getenv(STORE_ENV_PATH);
    if (env && env[0])
        return xstrdup(env);
    return store_default_path();
}

/* mkdir -p: create `dir` and its missing parents. */
static int make_dirs(const char *dir, char *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        err_set(err, "cannot use %s as the database directory: it is not a directory", dir);
        return -1;
    }
    char *parent = path_dirname(dir);
    int rc = -1;
    if (strcmp(parent, dir) != 0 && make_dirs(parent, err) != 0)
        goto out;
    if (mkdir(dir, STORE_DIR_MODE) != 0 && errno != EEXIST) {
        err_set(err, "cannot create the database directory %s: %s", dir, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(parent);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Errors */

/* Describe the last SQLite failure of `st` as "PATH: what: why", with the
 * situations a user can act on spelled out. */
static void db_error(const struct store *st, char *err, const char *what)
{
    int code = sqlite3_extended_errcode(st->db);
    int sys = sqlite3_system_errno(st->db);
    const char *msg = sqlite3_errmsg(st->db);
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        err_set(err,
                "%s: %s: the database is locked by another process (waited %d ms); try again "
                "later",
                st->path, what, STORE_BUSY_TIMEOUT_MS);
        return;
    case SQLITE_FULL:
        err_set(err, "%s: %s: the disk is full (%s)", st->path, what, msg);
        return;
    case SQLITE_NOTADB:
        err_set(err,
                "%s: %s: not an SQLite database (a damaged or foreign file); it was left "
                "untouched",
                st->path, what);
        return;
    case SQLITE_CORRUPT:
        err_set(err, "%s: %s: the database is damaged (%s); it was left untouched", st->path, what,
                msg);
        return;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        if (sys == EFBIG || sys == ENOSPC || sys == EDQUOT) {
            err_set(err, "%s: %s: the disk is full or the file too large (%s)", st->path, what,
                    strerror(sys));
            return;
        }
        if (sys) {
            err_set(err, "%s: %s: %s (%s)", st->path, what, msg, strerror(sys));
            return;
        }
        /* SQLite's errno is often gone by now (a rollback ran since): say what a
         * failed write usually means. */
        if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC ||
            code == SQLITE_IOERR_TRUNCATE || code == SQLITE_IOERR_SHMSIZE) {
            err_set(err, "%s: %s: %s (the disk may be full or a file size limit reached)", st->path,
                    what, msg);
            return;
        }
        break;
    default:
        break;
    }
    err_set(err, "%s: %s: %s", st->path, what, msg);
}

/* ------------------------------------------------------------------------ */
/* Statement helpers */

static int prepare(struct store *st, sqlite3_stmt **stmt, const char *sql, char *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
        db_error(st, err, "cannot prepare a query");
        sqlite3_finalize(*stmt);
        *stmt = NULL;
        return -1;
    }
    return 0;
}

static int exec(struct store *st, const char *sql, const char *what, char *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        db_error(st, err, what);
        return -1;
    }
    return 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void bind_count(sqlite3_stmt *s, int i, uint64_t n)
{
    sqlite3_bind_int64(s, i, n > INT64_MAX ? INT64_MAX : (int64_t)n);
}

/* A text from a log, a process or the container: TEXT when it is valid UTF-8,
 * else its bytes as a BLOB, so that SQL never holds text it may mangle and no
 * byte is lost (read back by row_bytes). */
static void bind_bytes(sqlite3_stmt *s, int i, const char *text)
{
    if (!text) {
        sqlite3_bind_null(s, i);
        return;
    }
    size_t len = strlen(text);
    if (utf8_valid(text, len))
        sqlite3_bind_text64(s, i, text, len, SQLITE_STATIC, SQLITE_UTF8);
    else
        sqlite3_bind_blob64(s, i, text, len, SQLITE_STATIC);
}

/* An index that is -1 for "none" becomes NULL. */
static void bind_opt_index(sqlite3_stmt *s, int i, int index)
{
    if (index >= 0)
        sqlite3_bind_int64(s, i, index);
    else
        sqlite3_bind_null(s, i);
}

/* Run an INSERT/UPDATE/DELETE to completion and reset it for the next row. */
static int step_done(struct store *st, sqlite3_stmt *s, const char *what, char *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        db_error(st, err, what);
        return -1;
    }
    return 0;
}

/* Read one integer result of a single-row query such as a PRAGMA. */
static int query_int(struct store *st, const char *sql, int64_t *out, const char *what, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, sql, err) != 0)
        return -1;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return 0;
    }
    if (rc == SQLITE_DONE)
        err_set(err, "%s: %s: no result", st->path, what);
    else
        db_error(st, err, what);
    sqlite3_finalize(s);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Opening and migrating */

/* Decide whether this file may be used: a wrench database no newer than we
 * know, or an empty one. Reads only. */
static int check_identity(struct store *st, int latest, int64_t *version, char *err)
{
    int64_t app_id, objects;
    if (query_int(st, "PRAGMA application_id", &app_id, "cannot read the database", err) != 0 ||
        query_int(st, "PRAGMA user_version", version, "cannot read the database", err) != 0 ||
        query_int(st, "SELECT count(*) FROM sqlite_schema", &objects, "cannot read the database",
                  err) != 0)
        return -1;
    bool empty = app_id == 0 && *version == 0 && objects == 0;
    if (app_id != STORE_APPLICATION_ID && !empty) {
        err_set(err,
                "%s: not a wrench database (an SQLite file of another application); it was "
                "left untouched",
                st->path);
        return -1;
    }
    if (*version > latest) {
        err_set(err,
                "%s: written by a newer wrench (database schema %lld, this wrench knows up to "
                "%d); it was left untouched: upgrade wrench or use another --db",
                st->path, (long long)*version, latest);
        return -1;
    }
    return 0;
}

/* Apply the steps newer than the database, each in its own transaction. The
 * version is read again under the write lock, so two wrench processes creating
 * the same database do not both run a step. */
static int migrate(struct store *st, const struct store_migration *steps, size_t n_steps,
                   int64_t version, char *err)
{
    for (size_t i = 0; i < n_steps; i++) {
        if (steps[i].version <= version)
            continue;
        if (exec(st, "BEGIN IMMEDIATE", "cannot upgrade the database", err) != 0)
            return -1;
        int64_t now;
        if (query_int(st, "PRAGMA user_version", &now, "cannot upgrade the database", err) != 0)
            goto fail;
        if (now < steps[i].version &&
            exec(st, steps[i].sql, "cannot upgrade the database", err) != 0)
            goto fail;
        if (exec(st, "COMMIT", "cannot upgrade the database", err) != 0)
            goto fail;
        version = steps[i].version;
    }
    return 0;
fail:
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

enum store_status store_open_with(struct store **out, const char *path, bool create,
                                  const struct store_migration *steps, size_t n_steps, char *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        /* ENOTDIR: a directory on the way is a file; make_dirs() names it. */
        if ((errno != ENOENT && errno != ENOTDIR) || !create) {
            err_set(err, "%s: cannot open the database: %s", path, strerror(errno));
            return errno == ENOENT ? STORE_NOT_FOUND : STORE_FAILED;
        }
        char *dir = path_dirname(path);
        int rc = make_dirs(dir, err);
        free(dir);
        if (rc != 0)
            return STORE_FAILED;
    } else if (!S_ISREG(sb.st_mode)) {
        err_set(err, "%s: cannot open the database: not a regular file", path);
        return STORE_FAILED;
    }

    struct store *st = xcalloc(1, sizeof(*st));
    st->path = xstrdup(path);
    enum store_status status = STORE_FAILED;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        if (st->db)
            db_error(st, err, "cannot open the database");
        else
            err_set(err, "%s: cannot open the database: out of memory", path);
        goto out;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);

    int latest = n_steps ? steps[n_steps - 1].version : 0;
    int64_t version;
    if (check_identity(st, latest, &version, err) != 0)
        goto out;
    /* Only now that the file is known to be ours may anything be written to
     * it. WAL is a property of the file and sticks; a file system that cannot
     * do WAL keeps the rollback journal, which is slower for readers but safe. */
    sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    if (exec(st, "PRAGMA foreign_keys = ON", "cannot configure the database", err) != 0)
        goto out;
    if (version < latest && migrate(st, steps, n_steps, version, err) != 0)
        goto out;
    st->version = latest > version ? latest : (int)version;
    status = STORE_OK;
out:
    if (status != STORE_OK) {
        store_close(st);
        return status;
    }
    *out = st;
    return STORE_OK;
}

enum store_status store_open(struct store **out, const char *path, bool create, char *err)
{
    return store_open_with(out, path, create, store_migrations, STORE_N_MIGRATIONS, err);
}

const struct store_migration *store_schema_steps(size_t *n)
{
    *n = STORE_N_MIGRATIONS;
    return store_migrations;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

const char *store_path(const struct store *st)
{
    return st->path;
}

/* ------------------------------------------------------------------------ */
/* Saving */

static char *targets_text(const struct scan *scan)
{
    struct strbuf sb = {0};
    for (size_t i = 0; i < scan->n_views; i++)
        strbuf_printf(&sb, "%s%s %s", i ? ", " : "", scan->views[i].target_kind,
                      scan->views[i].target);
    return strbuf_take(&sb);
}

static int save_scan_row(struct store *st, const struct scan *scan,
                         const struct store_save_options *opt, int64_t *id, char *err)
{
    static const char sql[] =
        "INSERT INTO scans (started, finished, duration_ms, host, targets, status, critical, "
        "error, warning, info, views, entries, classes, verdict, wrench_version, report_schema, "
        "rules_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, sql, err) != 0)
        return -1;
    size_t counts[SEV_COUNT];
    scan_count_severities(scan, counts);
    size_t entries, classes;
    scan_totals(scan, &entries, &classes);
    char *targets = targets_text(scan);
    char *verdict = verdict_sentence(scan);
    bind_text(s, 1, scan->started);
    bind_text(s, 2, scan->finished);
    bind_count(s, 3, scan->duration_ms);
    bind_text(s, 4, scan->host);
    bind_text(s, 5, targets);
    bind_text(s, 6, opt->status);
    bind_count(s, 7, counts[SEV_CRITICAL]);
    bind_count(s, 8, counts[SEV_ERROR]);
    bind_count(s, 9, counts[SEV_WARNING]);
    bind_count(s, 10, counts[SEV_INFO]);
    bind_count(s, 11, scan->n_views);
    bind_count(s, 12, entries);
    bind_count(s, 13, classes);
    bind_text(s, 14, verdict);
    bind_text(s, 15, WR_VERSION);
    sqlite3_bind_int(s, 16, WR_SCHEMA_VERSION);
    bind_text(s, 17, opt->rules_version);
    int rc = step_done(st, s, "cannot store the scan", err);
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(s);
    free(targets);
    free(verdict);
    return rc;
}

static void bind_artifact(sqlite3_stmt *s, int first, const struct artifact *a)
{
    bind_text(s, first, a->group);
    bind_text(s, first + 1, a->name);
    bind_text(s, first + 2, a->version);
    bind_text(s, first + 3, evidence_name(a->evidence));
    bind_text(s, first + 4, a->source);
}

static int save_entries(struct store *st, int64_t id, const struct cp_view *v, size_t view,
                        sqlite3_stmt *ins, sqlite3_stmt *emb, char *err)
{
    for (size_t i = 0; i < v->n_entries; i++) {
        const struct cp_entry *e = &v->entries[i];
        sqlite3_bind_int64(ins, 1, id);
        bind_count(ins, 2, view);
        bind_count(ins, 3, i);
        bind_text(ins, 4, e->path);
        bind_text(ins, 5, e->real_path);
        bind_text(ins, 6, e->listed_as);
        bind_text(ins, 7, e->origin);
        bind_text(ins, 8, e->archive);
        bind_text(ins, 9, e->inner);
        bind_text(ins, 10, entry_kind_name(e->kind));
        bind_text(ins, 11, entry_status_name(e->status));
        bind_text(ins, 12, e->problem);
        bind_opt_index(ins, 13, e->duplicate_of);
        bind_opt_index(ins, 14, e->via);
        sqlite3_bind_int(ins, 15, e->order_group);
        sqlite3_bind_int(ins, 16, e->order_defined);
        bind_count(ins, 17, e->class_count);
        bind_count(ins, 18, e->entry_count);
        sqlite3_bind_int(ins, 19, e->multi_release);
        bind_text(ins, 20, e->main_class);
        bind_count(ins, 21, e->duplicate_zip_entries);
        bind_count(ins, 22, e->bad_entry_names);
        bind_artifact(ins, 23, &e->artifact);
        if (step_done(st, ins, "cannot store the scan's entries", err) != 0)
            return -1;
        for (size_t k = 0; k < e->n_embedded; k++) {
            sqlite3_bind_int64(emb, 1, id);
            bind_count(emb, 2, view);
            bind_count(emb, 3, i);
            bind_count(emb, 4, k);
            bind_artifact(emb, 5, &e->embedded[k]);
            if (step_done(st, emb, "cannot store the scan's entries", err) != 0)
                return -1;
        }
    }
    return 0;
}

static int save_views(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    sqlite3_stmt *vs = NULL, *ins = NULL, *emb = NULL;
    int rc = -1;
    if (prepare(st, &vs,
                "INSERT INTO views (scan_id, view, name, target_kind, target, note, "
                "follow_class_path, is_webapp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &ins,
                "INSERT INTO entries (scan_id, view, entry, path, real_path, listed_as, origin, "
                "archive_path, inner_path, kind, status, problem, duplicate_of, via, order_group, "
                "order_defined, classes, zip_entries, multi_release, main_class, "
                "duplicate_zip_entries, bad_entry_names, artifact_group, artifact_name, "
                "artifact_version, evidence, evidence_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &emb,
                "INSERT INTO embedded_artifacts (scan_id, view, entry, position, artifact_group, "
                "artifact_name, artifact_version, evidence, evidence_source) VALUES (?, ?, ?, ?, "
                "?, ?, ?, ?, ?)",
                err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_views; i++) {
        const struct cp_view *v = &scan->views[i];
        sqlite3_bind_int64(vs, 1, id);
        bind_count(vs, 2, i);
        bind_text(vs, 3, v->name);
        bind_text(vs, 4, v->target_kind);
        bind_text(vs, 5, v->target);
        bind_text(vs, 6, v->note);
        sqlite3_bind_int(vs, 7, v->follow_class_path);
        sqlite3_bind_int(vs, 8, v->is_webapp);
        if (step_done(st, vs, "cannot store the scan's views", err) != 0 ||
            save_entries(st, id, v, i, ins, emb, err) != 0)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(vs);
    sqlite3_finalize(ins);
    sqlite3_finalize(emb);
    return rc;
}

/* Rows of (scan_id, parent, position, entry) for a finding's entry list. */
static int save_entry_list(struct store *st, sqlite3_stmt *s, int64_t id, size_t parent,
                           const size_t *entries, size_t n, char *err)
{
    for (size_t k = 0; k < n; k++) {
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, parent);
        bind_count(s, 3, k);
        bind_count(s, 4, entries[k]);
        if (step_done(st, s, "cannot store the scan's findings", err) != 0)
            return -1;
    }
    return 0;
}

static int save_duplicates(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    sqlite3_stmt *ds = NULL, *cs = NULL;
    int rc = -1;
    if (prepare(st, &ds,
                "INSERT INTO duplicates (scan_id, position, view, key, title, severity, "
                "versions_differ) VALUES (?, ?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &cs,
                "INSERT INTO duplicate_copies (scan_id, duplicate, position, entry, version, "
                "shaded) VALUES (?, ?, ?, ?, ?, ?)",
                err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_dups; i++) {
        const struct dup_artifact *d = &scan->dups[i];
        sqlite3_bind_int64(ds, 1, id);
        bind_count(ds, 2, i);
        bind_count(ds, 3, d->view);
        bind_text(ds, 4, d->key);
        bind_text(ds, 5, d->title);
        bind_text(ds, 6, severity_name(d->severity));
        sqlite3_bind_int(ds, 7, d->versions_differ);
        if (step_done(st, ds, "cannot store the scan's findings", err) != 0)
            goto out;
        for (size_t k = 0; k < d->n; k++) {
            sqlite3_bind_int64(cs, 1, id);
            bind_count(cs, 2, i);
            bind_count(cs, 3, k);
            bind_count(cs, 4, d->entries[k]);
            bind_text(cs, 5, d->versions[k]);
            sqlite3_bind_int(cs, 6, d->shaded[k]);
            if (step_done(st, cs, "cannot store the scan's findings", err) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(ds);
    sqlite3_finalize(cs);
    return rc;
}

static int save_class_list(struct store *st, sqlite3_stmt *s, int64_t id, size_t conflict,
                           const char *list, char *const *names, size_t n, char *err)
{
    for (size_t k = 0; k < n; k++) {
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, conflict);
        bind_text(s, 3, list);
        bind_count(s, 4, k);
        bind_text(s, 5, names[k]);
        if (step_done(st, s, "cannot store the scan's findings", err) != 0)
            return -1;
    }
    return 0;
}

static int save_conflicts(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    sqlite3_stmt *cs = NULL, *es = NULL, *ns = NULL;
    int rc = -1;
    if (prepare(st, &cs,
                "INSERT INTO conflicts (scan_id, position, view, title, severity, shared, "
                "identical, differing, unknown, winner, winner_undefined) VALUES (?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &es,
                "INSERT INTO conflict_entries (scan_id, conflict, position, entry) VALUES (?, ?, "
                "?, ?)",
                err) != 0 ||
        prepare(st, &ns,
                "INSERT INTO conflict_classes (scan_id, conflict, list, position, name) VALUES "
                "(?, ?, ?, ?, ?)",
                err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_conflicts; i++) {
        const struct class_conflict *c = &scan->conflicts[i];
        sqlite3_bind_int64(cs, 1, id);
        bind_count(cs, 2, i);
        bind_count(cs, 3, c->view);
        bind_text(cs, 4, c->title);
        bind_text(cs, 5, severity_name(c->severity));
        bind_count(cs, 6, c->shared);
        bind_count(cs, 7, c->identical);
        bind_count(cs, 8, c->differing);
        bind_count(cs, 9, c->unknown);
        bind_opt_index(cs, 10, c->winner);
        sqlite3_bind_int(cs, 11, c->winner_undefined);
        if (step_done(st, cs, "cannot store the scan's findings", err) != 0 ||
            save_entry_list(st, es, id, i, c->entries, c->n_entries, err) != 0 ||
            save_class_list(st, ns, id, i, "differing", c->differing_classes,
                            c->n_differing_classes, err) != 0 ||
            save_class_list(st, ns, id, i, "sample", c->sample_classes, c->n_sample_classes, err) !=
                0)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(cs);
    sqlite3_finalize(es);
    sqlite3_finalize(ns);
    return rc;
}

static int save_hints(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    sqlite3_stmt *hs = NULL, *es = NULL;
    int rc = -1;
    if (prepare(st, &hs,
                "INSERT INTO hints (scan_id, position, view, rule, severity, title, hint) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &es,
                "INSERT INTO hint_entries (scan_id, hint, position, entry) VALUES (?, ?, ?, ?)",
                err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_hints; i++) {
        const struct hint_finding *h = &scan->hints[i];
        sqlite3_bind_int64(hs, 1, id);
        bind_count(hs, 2, i);
        bind_count(hs, 3, h->view);
        bind_text(hs, 4, h->id);
        bind_text(hs, 5, severity_name(h->severity));
        bind_text(hs, 6, h->title);
        bind_text(hs, 7, h->hint);
        if (step_done(st, hs, "cannot store the scan's findings", err) != 0 ||
            save_entry_list(st, es, id, i, h->entries, h->n_entries, err) != 0)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(hs);
    sqlite3_finalize(es);
    return rc;
}

/* Rows of (scan_id, position, severity, path, message); log texts may not be UTF-8 and go
 * through bind_bytes, the others stay TEXT as in schema version 1. */
static int save_problem_rows(struct store *st, int64_t id, const char *sql,
                             const struct problem *items, size_t n, bool any_bytes,
                             const char *what, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, sql, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct problem *p = &items[i];
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, i);
        bind_text(s, 3, severity_name(p->severity));
        if (any_bytes) {
            bind_bytes(s, 4, p->path);
            bind_bytes(s, 5, p->message);
        } else {
            bind_text(s, 4, p->path);
            bind_text(s, 5, p->message);
        }
        rc = step_done(st, s, what, err);
    }
    sqlite3_finalize(s);
    return rc;
}

static int save_problems(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    return save_problem_rows(st, id,
                             "INSERT INTO problems (scan_id, position, severity, path, message) "
                             "VALUES (?, ?, ?, ?, ?)",
                             scan->problems, scan->n_problems, false,
                             "cannot store the scan's findings", err);
}

static int save_log_tail(struct store *st, sqlite3_stmt *s, int64_t id, size_t file,
                         const struct log_file *f, char *err)
{
    for (size_t k = 0; k < f->n_tail; k++) {
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, file);
        bind_count(s, 3, k);
        bind_bytes(s, 4, f->tail[k]);
        if (step_done(st, s, "cannot store the scan's logs", err) != 0)
            return -1;
    }
    return 0;
}

static int save_log_files(struct store *st, int64_t id, const struct log_report *logs, char *err)
{
    sqlite3_stmt *s = NULL, *ts = NULL;
    int rc = -1;
    if (prepare(st, &s,
                "INSERT INTO log_files (scan_id, position, path, kind, compressed, bytes, lines, "
                "events, truncated_events, long_lines, complete, skipped_events, "
                "last_start_line, last_start, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?)",
                err) != 0 ||
        prepare(st, &ts,
                "INSERT INTO log_file_tails (scan_id, file, position, line) VALUES (?, ?, ?, ?)",
                err) != 0)
        goto out;
    rc = 0;
    for (size_t i = 0; i < logs->n_files && rc == 0; i++) {
        const struct log_file *f = &logs->files[i];
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, i);
        bind_bytes(s, 3, f->path);
        bind_text(s, 4, log_kind_name(f->kind));
        sqlite3_bind_int(s, 5, f->compressed);
        bind_count(s, 6, f->bytes);
        bind_count(s, 7, f->lines);
        bind_count(s, 8, f->events);
        bind_count(s, 9, f->truncated_events);
        bind_count(s, 10, f->long_lines);
        sqlite3_bind_int(s, 11, f->complete);
        bind_count(s, 12, f->skipped_events);
        bind_count(s, 13, f->last_start_line);
        bind_bytes(s, 14, f->last_start);
        bind_text(s, 15, log_format_name(f->format));
        rc = step_done(st, s, "cannot store the scan's logs", err);
        if (rc == 0)
            rc = save_log_tail(st, ts, id, i, f, err);
    }
out:
    sqlite3_finalize(s);
    sqlite3_finalize(ts);
    return rc;
}

/* A log finding's named facts and the places it was seen (schema version 4). */
static int save_log_finding_details(struct store *st, int64_t id, size_t finding,
                                    const struct log_finding *f, char *err)
{
    if (!f->n_facts && !f->n_locations)
        return 0;
    sqlite3_stmt *s = NULL, *ls = NULL;
    if (prepare(st, &s,
                "INSERT INTO log_finding_facts (scan_id, finding, position, name, value) "
                "VALUES (?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &ls,
                "INSERT INTO log_finding_locations (scan_id, finding, position, file, line, "
                "timestamp) VALUES (?, ?, ?, ?, ?, ?)",
                err) != 0) {
        sqlite3_finalize(s);
        return -1;
    }
    int rc = 0;
    for (size_t k = 0; k < f->n_facts && rc == 0; k++) {
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, finding);
        bind_count(s, 3, k);
        bind_bytes(s, 4, f->facts[k].name);
        bind_bytes(s, 5, f->facts[k].value);
        rc = step_done(st, s, "cannot store the scan's log findings", err);
    }
    for (size_t k = 0; k < f->n_locations && rc == 0; k++) {
        sqlite3_bind_int64(ls, 1, id);
        bind_count(ls, 2, finding);
        bind_count(ls, 3, k);
        bind_bytes(ls, 4, f->locations[k].file);
        bind_count(ls, 5, f->locations[k].line);
        bind_bytes(ls, 6, f->locations[k].timestamp);
        rc = step_done(st, ls, "cannot store the scan's log findings", err);
    }
    sqlite3_finalize(s);
    sqlite3_finalize(ls);
    return rc;
}

static int save_log_findings(struct store *st, int64_t id, const struct log_report *logs, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s,
                "INSERT INTO log_findings (scan_id, position, rule, severity, category, title, "
                "hint, signature, count, first_seen, last_seen, file, line, root_cause, class, "
                "sample, sample_truncated, impact) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?)",
                err) != 0)
        return -1;
    int rc = 0;
    /* The scanner sorted them; the position keeps that order. */
    for (size_t i = 0; i < logs->n_findings && rc == 0; i++) {
        const struct log_finding *f = &logs->findings[i];
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, i);
        bind_bytes(s, 3, f->rule_id);
        bind_text(s, 4, severity_name(f->severity));
        bind_bytes(s, 5, f->category);
        bind_bytes(s, 6, f->title);
        bind_bytes(s, 7, f->hint);
        bind_bytes(s, 8, f->signature);
        bind_count(s, 9, f->count);
        bind_bytes(s, 10, f->first_seen);
        bind_bytes(s, 11, f->last_seen);
        bind_bytes(s, 12, f->file);
        bind_count(s, 13, f->line);
        bind_bytes(s, 14, f->root_cause);
        bind_bytes(s, 15, f->class_name);
        bind_bytes(s, 16, f->sample);
        sqlite3_bind_int(s, 17, f->truncated);
        bind_text(s, 18, impact_name(f->impact));
        rc = step_done(st, s, "cannot store the scan's log findings", err);
        if (rc == 0)
            rc = save_log_finding_details(st, id, i, f, err);
    }
    sqlite3_finalize(s);
    return rc;
}

static int save_log_problems(struct store *st, int64_t id, const struct log_report *logs, char *err)
{
    return save_problem_rows(
        st, id,
        "INSERT INTO log_problems (scan_id, position, severity, path, message) "
        "VALUES (?, ?, ?, ?, ?)",
        logs->problems, logs->n_problems, true, "cannot store the scan's logs", err);
}

/* Rows of (scan_id, correlation, list, position, entry). */
static int save_correlation_list(struct store *st, sqlite3_stmt *s, int64_t id, size_t corr,
                                 const char *list, const size_t *entries, size_t n, char *err)
{
    for (size_t k = 0; k < n; k++) {
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, corr);
        bind_text(s, 3, list);
        bind_count(s, 4, k);
        bind_count(s, 5, entries[k]);
        if (step_done(st, s, "cannot store the scan's correlations", err) != 0)
            return -1;
    }
    return 0;
}

static int save_correlations(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    sqlite3_stmt *cs = NULL, *es = NULL;
    int rc = -1;
    if (prepare(st, &cs,
                "INSERT INTO correlations (scan_id, position, finding, class, view, winner, "
                "winner_undefined, copies_differ, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &es,
                "INSERT INTO correlation_entries (scan_id, correlation, list, position, entry) "
                "VALUES (?, ?, ?, ?, ?)",
                err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_correlations; i++) {
        const struct correlation *c = &scan->correlations[i];
        sqlite3_bind_int64(cs, 1, id);
        bind_count(cs, 2, i);
        bind_count(cs, 3, c->finding);
        bind_bytes(cs, 4, c->class_name);
        bind_count(cs, 5, c->view);
        bind_opt_index(cs, 6, c->winner);
        sqlite3_bind_int(cs, 7, c->winner_undefined);
        sqlite3_bind_int(cs, 8, c->copies_differ);
        bind_bytes(cs, 9, c->text);
        if (step_done(st, cs, "cannot store the scan's correlations", err) != 0 ||
            save_correlation_list(st, es, id, i, "holders", c->entries, c->n_entries, err) != 0 ||
            save_correlation_list(st, es, id, i, "package", c->package_entries,
                                  c->n_package_entries, err) != 0)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(cs);
    sqlite3_finalize(es);
    return rc;
}

/* The log report and its correlations. A scan without logs writes no row at
 * all, which is also how it loads back as logs == NULL. */
static int save_logs(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    const struct log_report *logs = scan->logs;
    if (!logs)
        return 0;
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, "INSERT INTO log_reports (scan_id, dropped_findings) VALUES (?, ?)", err) !=
        0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    bind_count(s, 2, logs->dropped_findings);
    int rc = step_done(st, s, "cannot store the scan's logs", err);
    sqlite3_finalize(s);
    if (rc != 0 || save_log_files(st, id, logs, err) != 0 ||
        save_log_findings(st, id, logs, err) != 0 || save_log_problems(st, id, logs, err) != 0 ||
        save_correlations(st, id, scan, err) != 0)
        return -1;
    return 0;
}

/* Rows of (scan_id, [parent,] list, position, text) for a list of strings;
 * `parent` < 0 leaves that column out (the statement has none). */
static int save_texts(struct store *st, sqlite3_stmt *s, int64_t id, int64_t parent,
                      const char *list, char *const *texts, size_t n, char *err)
{
    for (size_t k = 0; k < n; k++) {
        int col = 1;
        sqlite3_bind_int64(s, col++, id);
        if (parent >= 0)
            sqlite3_bind_int64(s, col++, parent);
        bind_text(s, col++, list);
        bind_count(s, col++, k);
        bind_bytes(s, col, texts[k]);
        if (step_done(st, s, "cannot store the scan's discovery", err) != 0)
            return -1;
    }
    return 0;
}

static int save_services(struct store *st, int64_t id, const struct discovery *d, char *err)
{
    sqlite3_stmt *ss = NULL, *ts = NULL, *vs = NULL;
    int rc = -1;
    if (prepare(st, &ss,
                "INSERT INTO services (scan_id, position, name, kind, origin, pid, command) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &ts,
                "INSERT INTO service_texts (scan_id, service, list, position, text) VALUES (?, ?, "
                "?, ?, ?)",
                err) != 0 ||
        prepare(st, &vs,
                "INSERT INTO service_views (scan_id, service, position, view) VALUES (?, ?, ?, ?)",
                err) != 0)
        goto out;
    for (size_t i = 0; i < d->n_services; i++) {
        const struct service *sv = &d->services[i];
        sqlite3_bind_int64(ss, 1, id);
        bind_count(ss, 2, i);
        bind_bytes(ss, 3, sv->name);
        bind_bytes(ss, 4, sv->kind);
        bind_bytes(ss, 5, sv->origin);
        bind_opt_index(ss, 6, sv->pid > 0 ? sv->pid : -1);
        bind_bytes(ss, 7, sv->command);
        if (step_done(st, ss, "cannot store the scan's discovery", err) != 0 ||
            save_texts(st, ts, id, (int64_t)i, "evidence", sv->evidence, sv->n_evidence, err) !=
                0 ||
            save_texts(st, ts, id, (int64_t)i, "logs", sv->logs, sv->n_logs, err) != 0 ||
            save_entry_list(st, vs, id, i, sv->views, sv->n_views, err) != 0)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(ss);
    sqlite3_finalize(ts);
    sqlite3_finalize(vs);
    return rc;
}

/* How the targets were found. A scan given its targets has no discoveries row,
 * which is how it loads back with discovery == NULL. */
static int save_discovery(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    const struct discovery *d = scan->discovery;
    if (!d)
        return 0;
    sqlite3_stmt *s = NULL, *ts = NULL;
    int rc = -1;
    if (prepare(st, &s, "INSERT INTO discoveries (scan_id, source) VALUES (?, ?)", err) != 0 ||
        prepare(st, &ts,
                "INSERT INTO discovery_texts (scan_id, list, position, text) VALUES (?, ?, ?, ?)",
                err) != 0)
        goto out;
    sqlite3_bind_int64(s, 1, id);
    bind_bytes(s, 2, d->source);
    if (step_done(st, s, "cannot store the scan's discovery", err) != 0 ||
        save_texts(st, ts, id, -1, "not_found", d->not_found, d->n_not_found, err) != 0 ||
        save_texts(st, ts, id, -1, "notes", d->notes, d->n_notes, err) != 0 ||
        save_services(st, id, d, err) != 0)
        goto out;
    rc = 0;
out:
    sqlite3_finalize(s);
    sqlite3_finalize(ts);
    return rc;
}

static int save_environment(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    if (!scan->n_facts && !scan->n_env_findings)
        return 0; /* a scan of version-1 content touches no version-2 table */
    sqlite3_stmt *fs = NULL, *es = NULL;
    int rc = -1;
    if (prepare(st, &fs, "INSERT INTO facts (scan_id, position, name, value) VALUES (?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &es,
                "INSERT INTO environment_findings (scan_id, position, rule, severity, title, "
                "detail, subject) VALUES (?, ?, ?, ?, ?, ?, ?)",
                err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_facts; i++) {
        sqlite3_bind_int64(fs, 1, id);
        bind_count(fs, 2, i);
        bind_bytes(fs, 3, scan->facts[i].name);
        bind_bytes(fs, 4, scan->facts[i].value);
        if (step_done(st, fs, "cannot store the scan's environment", err) != 0)
            goto out;
    }
    for (size_t i = 0; i < scan->n_env_findings; i++) {
        const struct env_finding *f = &scan->env_findings[i];
        sqlite3_bind_int64(es, 1, id);
        bind_count(es, 2, i);
        bind_bytes(es, 3, f->id);
        bind_text(es, 4, severity_name(f->severity));
        bind_bytes(es, 5, f->title);
        bind_bytes(es, 6, f->detail);
        bind_bytes(es, 7, f->subject);
        if (step_done(st, es, "cannot store the scan's environment", err) != 0)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(fs);
    sqlite3_finalize(es);
    return rc;
}

/* Version 5: each service state as its report JSON (report_state.c renders and reads it). */
static int save_states(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    sqlite3_stmt *s = NULL;
    if (!scan->n_states)
        return 0;
    if (prepare(st, &s,
                "INSERT INTO service_states (scan_id, position, name, state, body) VALUES (?, ?, "
                "?, ?, ?)",
                err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < scan->n_states && rc == 0; i++) {
        json_t *j = report_state_one_json(&scan->states[i]);
        char *body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, i);
        bind_bytes(s, 3, scan->states[i].service);
        bind_text(s, 4, run_state_name(scan->states[i].state));
        bind_bytes(s, 5, body ? body : "{}");
        rc = step_done(st, s, "cannot store the services' state", err);
        free(body);
    }
    sqlite3_finalize(s);
    return rc;
}

/* Delete every scan but the newest `keep`; foreign keys cascade to their rows. */
static int prune(struct store *st, size_t keep, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s,
                "DELETE FROM scans WHERE id <= (SELECT id FROM scans ORDER BY id DESC LIMIT 1 "
                "OFFSET ?)",
                err) != 0)
        return -1;
    bind_count(s, 1, keep);
    int rc = step_done(st, s, "cannot delete old scans", err);
    sqlite3_finalize(s);
    return rc;
}

/* The incident (its id) a finding belongs to first; NULL when none. */
static const char *incident_of_finding(const struct diagnosis *d, size_t finding)
{
    for (size_t i = 0; i < d->incidents.n; i++)
        for (size_t k = 0; k < d->incidents.items[i].n_findings; k++)
            if (d->incidents.items[i].findings[k] == finding)
                return d->incidents.items[i].id;
    return NULL;
}

static bool in_verdict(const struct diagnosis *d, size_t incident)
{
    for (size_t k = 0; k < d->verdict.n_incidents; k++)
        if (d->verdict.incidents[k] == incident)
            return true;
    return false;
}

/* The derived finding list and incidents, for SQL (schema version 4): never read back, as
 * the report derives them again from the scan. */
static int save_diagnosis(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    if (st->version < 4)
        return 0; /* a test's older schema: no table for them */
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    sqlite3_stmt *s = NULL, *is = NULL;
    int rc = -1;
    if (prepare(st, &s,
                "INSERT INTO findings (scan_id, position, id, kind, severity, impact, rule, "
                "title, incident) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                err) != 0 ||
        prepare(st, &is,
                "INSERT INTO incidents (scan_id, position, id, subject, name, impact, severity, "
                "cause, cause_text, in_verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                err) != 0)
        goto out;
    rc = 0;
    for (size_t i = 0; i < d.findings.n && rc == 0; i++) {
        const struct finding *f = &d.findings.items[i];
        sqlite3_bind_int64(s, 1, id);
        bind_count(s, 2, i);
        bind_text(s, 3, f->id);
        bind_text(s, 4, finding_kind_name(f->kind));
        bind_text(s, 5, severity_name(f->severity));
        bind_text(s, 6, impact_name(f->impact));
        bind_bytes(s, 7, f->rule);
        bind_bytes(s, 8, f->title);
        bind_text(s, 9, incident_of_finding(&d, i));
        rc = step_done(st, s, "cannot store the scan's findings", err);
    }
    for (size_t i = 0; i < d.incidents.n && rc == 0; i++) {
        const struct incident *inc = &d.incidents.items[i];
        sqlite3_bind_int64(is, 1, id);
        bind_count(is, 2, i);
        bind_text(is, 3, inc->id);
        bind_text(is, 4, incident_subject_name(inc->subject));
        bind_bytes(is, 5, inc->name);
        bind_text(is, 6, impact_name(inc->impact));
        bind_text(is, 7, severity_name(inc->severity));
        bind_text(is, 8, d.findings.items[inc->cause].id);
        bind_bytes(is, 9, inc->cause_text);
        sqlite3_bind_int(is, 10, in_verdict(&d, i));
        rc = step_done(st, is, "cannot store the scan's incidents", err);
    }
out:
    sqlite3_finalize(s);
    sqlite3_finalize(is);
    diagnosis_clear(&d);
    return rc;
}

enum store_status store_save_scan(struct store *st, const struct scan *scan,
                                  const struct store_save_options *opt, int64_t *id, char *err)
{
    if (opt->keep < 1) {
        err_set(err, "%s: cannot store the scan: keeping fewer than 1 scan", st->path);
        return STORE_FAILED;
    }
    if (exec(st, "BEGIN IMMEDIATE", "cannot store the scan", err) != 0)
        return STORE_FAILED;
    int64_t new_id = 0;
    if (save_scan_row(st, scan, opt, &new_id, err) != 0 || save_views(st, new_id, scan, err) != 0 ||
        save_duplicates(st, new_id, scan, err) != 0 || save_conflicts(st, new_id, scan, err) != 0 ||
        save_hints(st, new_id, scan, err) != 0 || save_problems(st, new_id, scan, err) != 0 ||
        save_logs(st, new_id, scan, err) != 0 || save_discovery(st, new_id, scan, err) != 0 ||
        save_environment(st, new_id, scan, err) != 0 || save_states(st, new_id, scan, err) != 0 ||
        save_diagnosis(st, new_id, scan, err) != 0 || prune(st, opt->keep, err) != 0 ||
        exec(st, "COMMIT", "cannot store the scan", err) != 0) {
        /* Some errors (a full disk, I/O) already rolled the transaction back. */
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return STORE_FAILED;
    }
    *id = new_id;
    return STORE_OK;
}

/* ------------------------------------------------------------------------ */
/* Reading */

/* Reads the columns of one result row in order, noting anything a wrench
 * database cannot hold (a damaged or hand-edited file) instead of trusting it. */
struct row {
    sqlite3_stmt *s;
    int col;
    bool bad;
};

/* A text column or NULL; new string. */
static char *row_text(struct row *r)
{
    int i = r->col++;
    int type = sqlite3_column_type(r->s, i);
    if (type == SQLITE_NULL)
        return NULL;
    if (type != SQLITE_TEXT) {
        r->bad = true;
        return NULL;
    }
    const char *t = (const char *)sqlite3_column_text(r->s, i);
    int n = sqlite3_column_bytes(r->s, i);
    if (!t || memchr(t, '\0', (size_t)n)) {
        r->bad = true;
        return NULL;
    }
    return xstrndup(t, (size_t)n);
}

/* A column written by bind_bytes(): TEXT, BLOB or NULL; new string. */
static char *row_bytes(struct row *r)
{
    int i = r->col++;
    int type = sqlite3_column_type(r->s, i);
    if (type == SQLITE_NULL)
        return NULL;
    if (type != SQLITE_TEXT && type != SQLITE_BLOB) {
        r->bad = true;
        return NULL;
    }
    /* The accessor matching the type, so SQLite converts nothing. */
    const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(r->s, i)
                                        : sqlite3_column_blob(r->s, i);
    int n = sqlite3_column_bytes(r->s, i);
    if (n == 0)
        return xstrdup(""); /* an empty BLOB has no pointer */
    if (!p || memchr(p, '\0', (size_t)n)) {
        r->bad = true;
        return NULL;
    }
    return xstrndup(p, (size_t)n);
}

static char *row_bytes_nn(struct row *r)
{
    char *t = row_bytes(r);
    if (!t) {
        r->bad = true;
        return xstrdup("");
    }
    return t;
}

/* A text column that may not be NULL; new string, never NULL. */
static char *row_text_nn(struct row *r)
{
    char *t = row_text(r);
    if (!t) {
        r->bad = true;
        return xstrdup("");
    }
    return t;
}

/* A non-negative integer column no larger than `max`; NULL gives `none`
 * (and is bad when `none` is not -1, i.e. NULL is not allowed). */
static int64_t row_int(struct row *r, int64_t max, int64_t none)
{
    int i = r->col++;
    int type = sqlite3_column_type(r->s, i);
    if (type == SQLITE_NULL) {
        if (none != -1)
            r->bad = true;
        return none;
    }
    int64_t v = sqlite3_column_int64(r->s, i);
    if (type != SQLITE_INTEGER || v < 0 || v > max) {
        r->bad = true;
        return 0;
    }
    return v;
}

static uint64_t row_count(struct row *r)
{
    return (uint64_t)row_int(r, INT64_MAX, 0);
}

static bool row_bool(struct row *r)
{
    return row_int(r, 1, 0) != 0;
}

/* A name among `n` values of an enum, matched by its name function. */
static int row_enum(struct row *r, const char *(*name_of)(int), int n)
{
    char *t = row_text_nn(r);
    int found = -1;
    for (int k = 0; k < n && found < 0; k++)
        if (strcmp(t, name_of(k)) == 0)
            found = k;
    free(t);
    if (found < 0) {
        r->bad = true;
        return 0;
    }
    return found;
}

static const char *kind_name_of(int k)
{
    return entry_kind_name((enum entry_kind)k);
}

static const char *status_name_of(int k)
{
    return entry_status_name((enum entry_status)k);
}

static const char *evidence_name_of(int k)
{
    return evidence_name((enum evidence)k);
}

static const char *severity_name_of(int k)
{
    return severity_name((enum severity)k);
}

static const char *log_kind_name_of(int k)
{
    return log_kind_name((enum log_kind)k);
}

static const char *impact_name_of(int k)
{
    return impact_name((enum impact)k);
}

static const char *log_format_name_of(int k)
{
    return log_format_name((enum log_format)k);
}

static enum severity row_severity(struct row *r)
{
    return (enum severity)row_enum(r, severity_name_of, SEV_COUNT);
}

static void row_timestamp(struct row *r, char *buf)
{
    char *t = row_text_nn(r);
    if (strlen(t) >= STORE_TS_MAX)
        r->bad = true;
    else
        memcpy(buf, t, strlen(t) + 1);
    free(t);
}

static void row_artifact(struct row *r, struct artifact *a)
{
    a->group = row_text(r);
    a->name = row_text(r);
    a->version = row_text(r);
    a->evidence = (enum evidence)row_enum(r, evidence_name_of, EVIDENCE_COUNT);
    a->source = row_text(r);
}

/* A damaged database is reported by naming the table, not the row's content. */
static void damaged(const struct store *st, int64_t id, const char *table, char *err)
{
    err_set(err,
            "%s: scan %lld: the table %s holds rows no wrench writes (a damaged or edited "
            "database)",
            st->path, (long long)id, table);
}

#define INFO_COLUMNS                                                                               \
    "id, started, finished, duration_ms, host, targets, status, critical, error, warning, info, "  \
    "views, entries, classes, verdict, wrench_version, report_schema, rules_version"

static void row_info(struct row *r, struct store_scan_info *info)
{
    memset(info, 0, sizeof(*info));
    info->id = row_int(r, INT64_MAX, 0);
    row_timestamp(r, info->started);
    row_timestamp(r, info->finished);
    info->duration_ms = row_count(r);
    info->host = row_text(r);
    info->targets = row_text_nn(r);
    info->status = row_text_nn(r);
    if (strcmp(info->status, STORE_SCAN_COMPLETE) != 0 &&
        strcmp(info->status, STORE_SCAN_FAILED) != 0)
        r->bad = true;
    info->counts[SEV_CRITICAL] = row_count(r);
    info->counts[SEV_ERROR] = row_count(r);
    info->counts[SEV_WARNING] = row_count(r);
    info->counts[SEV_INFO] = row_count(r);
    info->views = row_count(r);
    info->entries = row_count(r);
    info->classes = row_count(r);
    info->verdict = row_text_nn(r);
    info->wrench_version = row_text_nn(r);
    info->report_schema = (int)row_int(r, INT32_MAX, 0);
    info->rules_version = row_text_nn(r);
}

void store_scan_info_clear(struct store_scan_info *info)
{
    free(info->host);
    free(info->targets);
    free(info->status);
    free(info->verdict);
    free(info->wrench_version);
    free(info->rules_version);
    memset(info, 0, sizeof(*info));
}

void store_scan_infos_free(struct store_scan_info *infos, size_t n)
{
    for (size_t i = 0; infos && i < n; i++)
        store_scan_info_clear(&infos[i]);
    free(infos);
}

enum store_status store_list(struct store *st, struct store_scan_info **out, size_t *n, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, "SELECT " INFO_COLUMNS " FROM scans ORDER BY id DESC", err) != 0)
        return STORE_FAILED;
    struct store_scan_info *list = NULL;
    size_t count = 0, cap = 0;
    enum store_status status = STORE_FAILED;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        list = xgrow(list, &cap, count + 1, sizeof(*list));
        struct row r = {s, 0, false};
        row_info(&r, &list[count]);
        count++;
        if (r.bad) {
            damaged(st, list[count - 1].id, "scans", err);
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        db_error(st, err, "cannot read the history");
        goto out;
    }
    status = STORE_OK;
out:
    sqlite3_finalize(s);
    if (status != STORE_OK) {
        store_scan_infos_free(list, count);
        return status;
    }
    *out = list;
    *n = count;
    return STORE_OK;
}

/* Run a query with up to two integer parameters that yields one integer or
 * NULL/no row (STORE_NOT_FOUND). */
static enum store_status query_id(struct store *st, const char *sql, const int64_t *params,
                                  int n_params, int64_t *out, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, sql, err) != 0)
        return STORE_FAILED;
    for (int i = 0; i < n_params; i++)
        sqlite3_bind_int64(s, i + 1, params[i]);
    enum store_status status = STORE_NOT_FOUND;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_INTEGER) {
        *out = sqlite3_column_int64(s, 0);
        status = STORE_OK;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(st, err, "cannot read the history");
        status = STORE_FAILED;
    }
    sqlite3_finalize(s);
    return status;
}

enum store_status store_latest(struct store *st, int64_t *id, char *err)
{
    return query_id(st, "SELECT max(id) FROM scans", NULL, 0, id, err);
}

enum store_status store_previous(struct store *st, int64_t id, int64_t *prev, char *err)
{
    int64_t params[1] = {id};
    return query_id(st,
                    "SELECT id FROM scans WHERE targets = (SELECT targets FROM scans WHERE id = "
                    "?1) AND id < ?1 ORDER BY id DESC LIMIT 1",
                    params, 1, prev, err);
}

/* One SELECT over a child table of scan `id`, rows handed to `fn` in order. */
typedef int (*row_fn)(struct row *r, struct scan *scan);

static int load_rows(struct store *st, int64_t id, const char *sql, const char *table,
                     struct scan *scan, row_fn fn, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, sql, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc, status = -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct row r = {s, 0, false};
        if (fn(&r, scan) != 0 || r.bad) {
            damaged(st, id, table, err);
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        db_error(st, err, "cannot read a stored scan");
        goto out;
    }
    status = 0;
out:
    sqlite3_finalize(s);
    return status;
}

static int load_view(struct row *r, struct scan *scan)
{
    if ((uint64_t)row_int(r, INT32_MAX, 0) != scan->n_views)
        return -1;
    char *name = row_text_nn(r), *kind = row_text_nn(r), *target = row_text_nn(r);
    struct cp_view *v = scan_add_view(scan, name, kind, target);
    free(name);
    free(kind);
    free(target);
    v->note = row_text(r);
    v->follow_class_path = row_bool(r);
    v->is_webapp = row_bool(r);
    return 0;
}

/* The view and entry a child row names, checked against what is loaded. */
static struct cp_entry *row_entry_ref(struct row *r, struct scan *scan)
{
    int64_t view = row_int(r, INT32_MAX, 0);
    int64_t entry = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)view >= scan->n_views || (uint64_t)entry >= scan->views[view].n_entries)
        return NULL;
    return &scan->views[view].entries[entry];
}

static int load_entry(struct row *r, struct scan *scan)
{
    int64_t view = row_int(r, INT32_MAX, 0);
    int64_t index = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)view >= scan->n_views)
        return -1;
    struct cp_view *v = &scan->views[view];
    if ((uint64_t)index != v->n_entries)
        return -1;
    char *path = row_text_nn(r);
    struct cp_entry *e = view_add_entry(v, path, ENTRY_JAR);
    free(path);
    e->real_path = row_text(r);
    e->listed_as = row_text(r);
    e->origin = row_text(r);
    e->archive = row_text(r);
    e->inner = row_text(r);
    e->kind = (enum entry_kind)row_enum(r, kind_name_of, ENTRY_KIND_COUNT);
    e->status = (enum entry_status)row_enum(r, status_name_of, ENTRY_STATUS_COUNT);
    e->problem = row_text(r);
    e->duplicate_of = (int)row_int(r, index - 1, -1); /* an earlier entry */
    e->via = (int)row_int(r, INT32_MAX, -1);
    e->order_group = (int)row_int(r, INT32_MAX, 0);
    e->order_defined = row_bool(r);
    e->class_count = row_count(r);
    e->entry_count = row_count(r);
    e->multi_release = row_bool(r);
    e->main_class = row_text(r);
    e->duplicate_zip_entries = row_count(r);
    e->bad_entry_names = row_count(r);
    row_artifact(r, &e->artifact);
    /* view_add_entry handed out group numbers of its own; keep the next free one above all. */
    if (e->order_group >= v->next_group)
        v->next_group = e->order_group + 1;
    return 0;
}

static int load_embedded(struct row *r, struct scan *scan)
{
    struct cp_entry *e = row_entry_ref(r, scan);
    if (!e || (uint64_t)row_int(r, INT32_MAX, 0) != e->n_embedded)
        return -1;
    e->embedded = xgrow(e->embedded, &e->embedded_cap, e->n_embedded + 1, sizeof(*e->embedded));
    struct artifact *a = &e->embedded[e->n_embedded++];
    memset(a, 0, sizeof(*a));
    row_artifact(r, a);
    return 0;
}

/* The next finding of a list: its position must be the list's length. */
static bool row_position_is(struct row *r, size_t expected)
{
    return (uint64_t)row_int(r, INT32_MAX, 0) == expected && !r->bad;
}

static bool view_ok(const struct scan *scan, size_t view)
{
    return view < scan->n_views;
}

static int load_duplicate(struct row *r, struct scan *scan)
{
    if (!row_position_is(r, scan->n_dups))
        return -1;
    scan->dups = xgrow(scan->dups, &scan->dups_cap, scan->n_dups + 1, sizeof(*scan->dups));
    struct dup_artifact *d = &scan->dups[scan->n_dups++];
    memset(d, 0, sizeof(*d));
    d->view = (size_t)row_int(r, INT32_MAX, 0);
    d->key = row_text_nn(r);
    d->title = row_text_nn(r);
    d->severity = row_severity(r);
    d->versions_differ = row_bool(r);
    return view_ok(scan, d->view) ? 0 : -1;
}

static int load_copy(struct row *r, struct scan *scan)
{
    int64_t dup = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)dup >= scan->n_dups)
        return -1;
    struct dup_artifact *d = &scan->dups[dup];
    if (!row_position_is(r, d->n))
        return -1;
    int64_t entry = row_int(r, INT32_MAX, 0);
    if ((uint64_t)entry >= scan->views[d->view].n_entries)
        return -1;
    size_t cap = d->cap;
    d->entries = xgrow(d->entries, &d->cap, d->n + 1, sizeof(*d->entries));
    if (d->cap != cap) {
        d->versions = xrealloc(d->versions, d->cap * sizeof(*d->versions));
        d->shaded = xrealloc(d->shaded, d->cap * sizeof(*d->shaded));
    }
    d->entries[d->n] = (size_t)entry;
    d->versions[d->n] = row_text(r);
    d->shaded[d->n] = row_bool(r);
    d->n++;
    return 0;
}

static int load_conflict(struct row *r, struct scan *scan)
{
    if (!row_position_is(r, scan->n_conflicts))
        return -1;
    scan->conflicts = xgrow(scan->conflicts, &scan->conflicts_cap, scan->n_conflicts + 1,
                            sizeof(*scan->conflicts));
    struct class_conflict *c = &scan->conflicts[scan->n_conflicts++];
    memset(c, 0, sizeof(*c));
    c->view = (size_t)row_int(r, INT32_MAX, 0);
    c->title = row_text_nn(r);
    c->severity = row_severity(r);
    c->shared = row_count(r);
    c->identical = row_count(r);
    c->differing = row_count(r);
    c->unknown = row_count(r);
    c->winner = (int)row_int(r, INT32_MAX, -1);
    c->winner_undefined = row_bool(r);
    if (!view_ok(scan, c->view))
        return -1;
    /* The renderers print the winner's path. */
    return c->winner < 0 || (size_t)c->winner < scan->views[c->view].n_entries ? 0 : -1;
}

/* Append an entry index to a (list, n) pair, checked against the view. */
static int append_entry(struct row *r, const struct cp_view *v, size_t **list, size_t *n)
{
    if (!row_position_is(r, *n))
        return -1;
    int64_t entry = row_int(r, INT32_MAX, 0);
    if ((uint64_t)entry >= v->n_entries)
        return -1;
    *list = xrealloc(*list, (*n + 1) * sizeof(**list));
    (*list)[(*n)++] = (size_t)entry;
    return 0;
}

static int load_conflict_entry(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_conflicts)
        return -1;
    struct class_conflict *c = &scan->conflicts[i];
    return append_entry(r, &scan->views[c->view], &c->entries, &c->n_entries);
}

/* Class names come ordered by list ("differing" before "sample") and position. */
static int load_conflict_class(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_conflicts)
        return -1;
    struct class_conflict *c = &scan->conflicts[i];
    char *list = row_text_nn(r);
    bool differing = strcmp(list, "differing") == 0;
    bool known = differing || strcmp(list, "sample") == 0;
    free(list);
    char ***names = differing ? &c->differing_classes : &c->sample_classes;
    size_t *n = differing ? &c->n_differing_classes : &c->n_sample_classes;
    if (!known || !row_position_is(r, *n))
        return -1;
    *names = xrealloc(*names, (*n + 1) * sizeof(**names));
    (*names)[(*n)++] = row_text_nn(r);
    return 0;
}

static int load_hint(struct row *r, struct scan *scan)
{
    if (!row_position_is(r, scan->n_hints))
        return -1;
    scan->hints = xgrow(scan->hints, &scan->hints_cap, scan->n_hints + 1, sizeof(*scan->hints));
    struct hint_finding *h = &scan->hints[scan->n_hints++];
    memset(h, 0, sizeof(*h));
    h->view = (size_t)row_int(r, INT32_MAX, 0);
    h->id = row_text_nn(r);
    h->severity = row_severity(r);
    h->title = row_text_nn(r);
    h->hint = row_text_nn(r);
    return view_ok(scan, h->view) ? 0 : -1;
}

static int load_hint_entry(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_hints)
        return -1;
    struct hint_finding *h = &scan->hints[i];
    return append_entry(r, &scan->views[h->view], &h->entries, &h->n_entries);
}

static int load_problem(struct row *r, struct scan *scan)
{
    if (!row_position_is(r, scan->n_problems))
        return -1;
    enum severity sev = row_severity(r);
    char *path = row_text_nn(r), *message = row_text_nn(r);
    scan_add_problem(scan, sev, path, message);
    free(path);
    free(message);
    return 0;
}

static int load_log_report(struct row *r, struct scan *scan)
{
    if (scan->logs)
        return -1;
    scan->logs = xcalloc(1, sizeof(*scan->logs));
    scan->logs->dropped_findings = row_count(r);
    return 0;
}

static int load_log_file(struct row *r, struct scan *scan)
{
    struct log_report *logs = scan->logs;
    if (!logs || !row_position_is(r, logs->n_files))
        return -1;
    logs->files = xgrow(logs->files, &logs->files_cap, logs->n_files + 1, sizeof(*logs->files));
    struct log_file *f = &logs->files[logs->n_files++];
    memset(f, 0, sizeof(*f));
    f->path = row_bytes_nn(r);
    f->kind = (enum log_kind)row_enum(r, log_kind_name_of, LOG_KIND_COUNT);
    f->compressed = row_bool(r);
    f->bytes = row_count(r);
    f->lines = row_count(r);
    f->events = row_count(r);
    f->truncated_events = row_count(r);
    f->long_lines = row_count(r);
    f->complete = row_bool(r);
    f->skipped_events = row_count(r);
    f->last_start_line = row_count(r);
    f->last_start = row_bytes(r);
    f->format = (enum log_format)row_enum(r, log_format_name_of, LOG_FORMAT_COUNT);
    return 0;
}

static int load_log_tail(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || !scan->logs || (uint64_t)i >= scan->logs->n_files)
        return -1;
    struct log_file *f = &scan->logs->files[i];
    if (!row_position_is(r, f->n_tail))
        return -1;
    f->tail = xrealloc(f->tail, (f->n_tail + 1) * sizeof(*f->tail));
    f->tail[f->n_tail++] = row_bytes_nn(r);
    return 0;
}

static int load_log_finding(struct row *r, struct scan *scan)
{
    struct log_report *logs = scan->logs;
    if (!logs || !row_position_is(r, logs->n_findings))
        return -1;
    logs->findings =
        xgrow(logs->findings, &logs->findings_cap, logs->n_findings + 1, sizeof(*logs->findings));
    struct log_finding *f = &logs->findings[logs->n_findings++];
    memset(f, 0, sizeof(*f));
    f->rule_id = row_bytes_nn(r);
    f->severity = row_severity(r);
    f->category = row_bytes(r);
    f->title = row_bytes(r);
    f->hint = row_bytes(r);
    f->signature = row_bytes_nn(r);
    f->count = row_count(r);
    f->first_seen = row_bytes(r);
    f->last_seen = row_bytes(r);
    f->file = row_bytes(r);
    f->line = row_count(r);
    f->root_cause = row_bytes(r);
    f->class_name = row_bytes(r);
    f->sample = row_bytes(r);
    f->truncated = row_bool(r);
    f->impact = (enum impact)row_enum(r, impact_name_of, IMPACT_COUNT);
    return 0;
}

/* The log finding a child row names by its position; NULL when there is none. */
static struct log_finding *row_log_finding(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || !scan->logs || (uint64_t)i >= scan->logs->n_findings)
        return NULL;
    return &scan->logs->findings[i];
}

static int load_log_finding_fact(struct row *r, struct scan *scan)
{
    struct log_finding *f = row_log_finding(r, scan);
    if (!f || !row_position_is(r, f->n_facts))
        return -1;
    char *name = row_bytes_nn(r);
    char *value = row_bytes_nn(r);
    log_finding_add_fact(f, name, value);
    free(name);
    free(value);
    return 0;
}

static int load_log_finding_location(struct row *r, struct scan *scan)
{
    struct log_finding *f = row_log_finding(r, scan);
    if (!f || !row_position_is(r, f->n_locations))
        return -1;
    char *file = row_bytes_nn(r);
    uint64_t line = row_count(r);
    char *ts = row_bytes(r);
    log_finding_add_location(f, file, line, ts);
    free(file);
    free(ts);
    return 0;
}

static int load_log_problem(struct row *r, struct scan *scan)
{
    struct log_report *logs = scan->logs;
    if (!logs || !row_position_is(r, logs->n_problems))
        return -1;
    enum severity sev = row_severity(r);
    char *path = row_bytes_nn(r), *message = row_bytes_nn(r);
    log_report_add_problem(logs, sev, path, message);
    free(path);
    free(message);
    return 0;
}

static int load_correlation(struct row *r, struct scan *scan)
{
    if (!scan->logs || !row_position_is(r, scan->n_correlations))
        return -1;
    scan->correlations = xgrow(scan->correlations, &scan->correlations_cap,
                               scan->n_correlations + 1, sizeof(*scan->correlations));
    struct correlation *c = &scan->correlations[scan->n_correlations++];
    memset(c, 0, sizeof(*c));
    c->finding = (size_t)row_int(r, INT32_MAX, 0);
    c->class_name = row_bytes_nn(r);
    c->view = (size_t)row_int(r, INT32_MAX, 0);
    c->winner = (int)row_int(r, INT32_MAX, -1);
    c->winner_undefined = row_bool(r);
    c->copies_differ = row_bool(r);
    c->text = row_bytes(r);
    if (c->finding >= scan->logs->n_findings || !view_ok(scan, c->view))
        return -1;
    return c->winner < 0 || (size_t)c->winner < scan->views[c->view].n_entries ? 0 : -1;
}

/* Entries come ordered by list ("holders" before "package") and position. */
static int load_correlation_entry(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_correlations)
        return -1;
    struct correlation *c = &scan->correlations[i];
    char *list = row_text_nn(r);
    bool holders = strcmp(list, "holders") == 0;
    bool known = holders || strcmp(list, "package") == 0;
    free(list);
    if (!known)
        return -1;
    if (holders)
        return append_entry(r, &scan->views[c->view], &c->entries, &c->n_entries);
    return append_entry(r, &scan->views[c->view], &c->package_entries, &c->n_package_entries);
}

static int load_discovery(struct row *r, struct scan *scan)
{
    if (scan->discovery)
        return -1;
    scan->discovery = xcalloc(1, sizeof(*scan->discovery));
    scan->discovery->source = row_bytes(r);
    return 0;
}

/* Append the row's next text to a (list, n, cap) of strings, checking its position. */
static int append_text(struct row *r, char ***list, size_t *n, size_t *cap)
{
    if (!row_position_is(r, *n))
        return -1;
    strv_push(list, n, cap, row_bytes_nn(r));
    return 0;
}

static int load_discovery_text(struct row *r, struct scan *scan)
{
    struct discovery *d = scan->discovery;
    char *list = row_text_nn(r);
    int rc = -1;
    if (!d)
        rc = -1;
    else if (strcmp(list, "not_found") == 0)
        rc = append_text(r, &d->not_found, &d->n_not_found, &d->not_found_cap);
    else if (strcmp(list, "notes") == 0)
        rc = append_text(r, &d->notes, &d->n_notes, &d->notes_cap);
    free(list);
    return rc;
}

static int load_service(struct row *r, struct scan *scan)
{
    struct discovery *d = scan->discovery;
    if (!d || !row_position_is(r, d->n_services))
        return -1;
    d->services = xgrow(d->services, &d->services_cap, d->n_services + 1, sizeof(*d->services));
    struct service *sv = &d->services[d->n_services++];
    memset(sv, 0, sizeof(*sv));
    sv->name = row_bytes(r);
    sv->kind = row_bytes(r);
    sv->origin = row_bytes(r);
    int64_t pid = row_int(r, INT32_MAX, -1);
    sv->pid = pid > 0 ? (int)pid : 0; /* NULL: not running */
    sv->command = row_bytes(r);
    return pid == 0 ? -1 : 0;
}

/* The service a child row names, checked against what is loaded. */
static struct service *row_service_ref(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || !scan->discovery || (uint64_t)i >= scan->discovery->n_services)
        return NULL;
    return &scan->discovery->services[i];
}

static int load_service_text(struct row *r, struct scan *scan)
{
    struct service *sv = row_service_ref(r, scan);
    if (!sv)
        return -1;
    char *list = row_text_nn(r);
    int rc = -1;
    if (strcmp(list, "evidence") == 0)
        rc = append_text(r, &sv->evidence, &sv->n_evidence, &sv->evidence_cap);
    else if (strcmp(list, "logs") == 0)
        rc = append_text(r, &sv->logs, &sv->n_logs, &sv->logs_cap);
    free(list);
    return rc;
}

static int load_service_view(struct row *r, struct scan *scan)
{
    struct service *sv = row_service_ref(r, scan);
    if (!sv || !row_position_is(r, sv->n_views))
        return -1;
    int64_t view = row_int(r, INT32_MAX, 0);
    if (r->bad || !view_ok(scan, (size_t)view))
        return -1;
    sv->views = xgrow(sv->views, &sv->views_cap, sv->n_views + 1, sizeof(*sv->views));
    sv->views[sv->n_views++] = (size_t)view;
    return 0;
}

static int load_fact(struct row *r, struct scan *scan)
{
    if (!row_position_is(r, scan->n_facts))
        return -1;
    char *name = row_bytes_nn(r), *value = row_bytes_nn(r);
    scan_add_fact(scan, name, value);
    free(name);
    free(value);
    return 0;
}

static int load_env_finding(struct row *r, struct scan *scan)
{
    if (!row_position_is(r, scan->n_env_findings))
        return -1;
    char *rule = row_bytes_nn(r);
    enum severity sev = row_severity(r);
    char *title = row_bytes_nn(r), *detail = row_bytes_nn(r);
    scan_add_env_finding(scan, sev, rule, title, detail);
    scan->env_findings[scan->n_env_findings - 1].subject = row_bytes(r);
    free(rule);
    free(title);
    free(detail);
    return 0;
}

static int load_state(struct row *r, struct scan *scan)
{
    if (!row_position_is(r, scan->n_states))
        return -1;
    char *body = row_bytes_nn(r);
    json_t *j = json_loads(body, 0, NULL);
    free(body);
    scan->states =
        xgrow(scan->states, &scan->states_cap, scan->n_states + 1, sizeof(*scan->states));
    int rc = j ? report_state_from_json(j, &scan->states[scan->n_states]) : -1;
    json_decref(j);
    if (rc == 0)
        scan->n_states++;
    return rc;
}

static const struct {
    const char *table;
    const char *sql;
    row_fn fn;
} load_steps[] = {
    {"views",
     "SELECT view, name, target_kind, target, note, follow_class_path, is_webapp FROM views "
     "WHERE scan_id = ? ORDER BY view",
     load_view},
    {"entries",
     "SELECT view, entry, path, real_path, listed_as, origin, archive_path, inner_path, kind, "
     "status, problem, duplicate_of, via, order_group, order_defined, classes, zip_entries, "
     "multi_release, main_class, duplicate_zip_entries, bad_entry_names, artifact_group, "
     "artifact_name, artifact_version, evidence, evidence_source FROM entries WHERE scan_id = ? "
     "ORDER BY view, entry",
     load_entry},
    {"embedded_artifacts",
     "SELECT view, entry, position, artifact_group, artifact_name, artifact_version, evidence, "
     "evidence_source FROM embedded_artifacts WHERE scan_id = ? ORDER BY view, entry, position",
     load_embedded},
    {"duplicates",
     "SELECT position, view, key, title, severity, versions_differ FROM duplicates WHERE "
     "scan_id = ? ORDER BY position",
     load_duplicate},
    {"duplicate_copies",
     "SELECT duplicate, position, entry, version, shaded FROM duplicate_copies WHERE scan_id = ? "
     "ORDER BY duplicate, position",
     load_copy},
    {"conflicts",
     "SELECT position, view, title, severity, shared, identical, differing, unknown, winner, "
     "winner_undefined FROM conflicts WHERE scan_id = ? ORDER BY position",
     load_conflict},
    {"conflict_entries",
     "SELECT conflict, position, entry FROM conflict_entries WHERE scan_id = ? ORDER BY "
     "conflict, position",
     load_conflict_entry},
    {"conflict_classes",
     "SELECT conflict, list, position, name FROM conflict_classes WHERE scan_id = ? ORDER BY "
     "conflict, list, position",
     load_conflict_class},
    {"hints",
     "SELECT position, view, rule, severity, title, hint FROM hints WHERE scan_id = ? ORDER BY "
     "position",
     load_hint},
    {"hint_entries",
     "SELECT hint, position, entry FROM hint_entries WHERE scan_id = ? ORDER BY hint, position",
     load_hint_entry},
    {"problems",
     "SELECT position, severity, path, message FROM problems WHERE scan_id = ? ORDER BY "
     "position",
     load_problem},
    {"log_reports", "SELECT dropped_findings FROM log_reports WHERE scan_id = ?", load_log_report},
    {"log_files",
     "SELECT position, path, kind, compressed, bytes, lines, events, truncated_events, "
     "long_lines, complete, skipped_events, last_start_line, last_start, format FROM log_files "
     "WHERE "
     "scan_id = ? ORDER BY position",
     load_log_file},
    {"log_file_tails",
     "SELECT file, position, line FROM log_file_tails WHERE scan_id = ? ORDER BY file, position",
     load_log_tail},
    {"log_findings",
     "SELECT position, rule, severity, category, title, hint, signature, count, first_seen, "
     "last_seen, file, line, root_cause, class, sample, sample_truncated, impact FROM "
     "log_findings WHERE scan_id = ? ORDER BY position",
     load_log_finding},
    {"log_finding_facts",
     "SELECT finding, position, name, value FROM log_finding_facts WHERE scan_id = ? ORDER BY "
     "finding, position",
     load_log_finding_fact},
    {"log_finding_locations",
     "SELECT finding, position, file, line, timestamp FROM log_finding_locations WHERE scan_id = "
     "? ORDER BY finding, position",
     load_log_finding_location},
    {"log_problems",
     "SELECT position, severity, path, message FROM log_problems WHERE scan_id = ? ORDER BY "
     "position",
     load_log_problem},
    {"correlations",
     "SELECT position, finding, class, view, winner, winner_undefined, copies_differ, text FROM "
     "correlations WHERE scan_id = ? ORDER BY position",
     load_correlation},
    {"correlation_entries",
     "SELECT correlation, list, position, entry FROM correlation_entries WHERE scan_id = ? "
     "ORDER BY correlation, list, position",
     load_correlation_entry},
    {"discoveries", "SELECT source FROM discoveries WHERE scan_id = ?", load_discovery},
    {"discovery_texts",
     "SELECT list, position, text FROM discovery_texts WHERE scan_id = ? ORDER BY list, position",
     load_discovery_text},
    {"services",
     "SELECT position, name, kind, origin, pid, command FROM services WHERE scan_id = ? ORDER BY "
     "position",
     load_service},
    {"service_texts",
     "SELECT service, list, position, text FROM service_texts WHERE scan_id = ? ORDER BY "
     "service, list, position",
     load_service_text},
    {"service_views",
     "SELECT service, position, view FROM service_views WHERE scan_id = ? ORDER BY service, "
     "position",
     load_service_view},
    {"facts", "SELECT position, name, value FROM facts WHERE scan_id = ? ORDER BY position",
     load_fact},
    {"environment_findings",
     "SELECT position, rule, severity, title, detail, subject FROM environment_findings WHERE "
     "scan_id = ? "
     "ORDER BY position",
     load_env_finding},
    {"service_states",
     "SELECT position, body FROM service_states WHERE scan_id = ? ORDER BY position", load_state},
};

static enum store_status load_info(struct store *st, int64_t id, struct store_scan_info *info,
                                   char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, "SELECT " INFO_COLUMNS " FROM scans WHERE id = ?", err) != 0)
        return STORE_FAILED;
    sqlite3_bind_int64(s, 1, id);
    enum store_status status = STORE_FAILED;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        struct row r = {s, 0, false};
        row_info(&r, info);
        if (r.bad) {
            store_scan_info_clear(info);
            damaged(st, id, "scans", err);
        } else {
            status = STORE_OK;
        }
    } else if (rc == SQLITE_DONE) {
        err_set(err, "%s: no scan %lld (see 'wrench history')", st->path, (long long)id);
        status = STORE_NOT_FOUND;
    } else {
        db_error(st, err, "cannot read a stored scan");
    }
    sqlite3_finalize(s);
    return status;
}

enum store_status store_load_scan(struct store *st, int64_t id, struct scan **out,
                                  struct store_scan_info *info, char *err)
{
    /* One read transaction: a concurrent prune cannot delete half of what we read. */
    if (exec(st, "BEGIN", "cannot read a stored scan", err) != 0)
        return STORE_FAILED;
    struct store_scan_info row;
    struct scan *scan = NULL;
    enum store_status status = load_info(st, id, &row, err);
    if (status != STORE_OK)
        goto out;
    scan = scan_new();
    memcpy(scan->started, row.started, sizeof(scan->started));
    memcpy(scan->finished, row.finished, sizeof(scan->finished));
    scan->duration_ms = row.duration_ms;
    scan->host = row.host ? xstrdup(row.host) : NULL;
    for (size_t i = 0; i < sizeof(load_steps) / sizeof(load_steps[0]); i++) {
        if (load_rows(st, id, load_steps[i].sql, load_steps[i].table, scan, load_steps[i].fn,
                      err) != 0) {
            status = STORE_FAILED;
            store_scan_info_clear(&row);
            scan_free(scan);
            goto out;
        }
    }
    if (info)
        *info = row;
    else
        store_scan_info_clear(&row);
    *out = scan;
out:
    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return status;
}

/* ------------------------------------------------------------------------ */
