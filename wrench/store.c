/*
 * store.c - the SQLite report store (see store.h and docs/store.md). All SQL
 * of wrench lives here. Data only ever reaches SQL through bound parameters:
 * the INSERT and SELECT of each table are built from its description (its
 * columns, listed once in `tables`) and other constants, never from data.
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
#include <time.h>
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
/* The page cache of a save, in KiB: memory is taken only as pages are used (~10 MB for
 * the big bench classpath's scan into a db of 20 scans; RSS stays under 48 MB). */
#define STORE_SAVE_CACHE_KIB_TEXT "16384"
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

/* ---- Version 6: a conflict's every shared class (identical ones by name, the others with
 * each copy's CRC-32 and size), the conflicts whose list was cut, and the entries' SHA-256.
 * New tables only, with rows only when there is something to say, so that a scan without
 * these details is stored as before. ---- */
static const char SCHEMA_V6[] =
    "CREATE TABLE conflict_shared_classes (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    conflict INTEGER NOT NULL,\n"
    "    list TEXT NOT NULL CHECK (list IN ('identical', 'copied')),\n"
    "    position INTEGER NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, conflict, list, position),\n"
    "    FOREIGN KEY (scan_id, conflict) REFERENCES conflicts (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE conflict_class_copies (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    conflict INTEGER NOT NULL,\n"
    "    class INTEGER NOT NULL,\n"
    "    position INTEGER NOT NULL,\n"
    "    crc_known INTEGER NOT NULL,\n"
    "    crc INTEGER NOT NULL,\n"
    "    size INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, conflict, class, position),\n"
    "    FOREIGN KEY (scan_id, conflict) REFERENCES conflicts (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE conflict_classes_truncated (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    conflict INTEGER NOT NULL,\n"
    "    PRIMARY KEY (scan_id, conflict),\n"
    "    FOREIGN KEY (scan_id, conflict) REFERENCES conflicts (scan_id, position)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE entry_digests (\n"
    "    scan_id INTEGER NOT NULL,\n"
    "    view INTEGER NOT NULL,\n"
    "    entry INTEGER NOT NULL,\n"
    "    sha256 TEXT NOT NULL,\n"
    "    PRIMARY KEY (scan_id, view, entry),\n"
    "    FOREIGN KEY (scan_id, view, entry) REFERENCES entries (scan_id, view, entry)\n"
    "        ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "PRAGMA user_version = 6;\n";

/* ---- Version 7: the Simplified Chinese title and hint of a log finding or classpath hint,
 * as reported (filled from the finding's facts), so `show --json` gives the scan's JSON back.
 * A table of its own, written for items that have them. kind is "hint" or "log"; also
 * "conflict", "duplicate", "correlation" (title: the Chinese title or text wrench wrote,
 * messages.h), "environment" (title, and the detail in the hint column), "problem" (title: the
 * Chinese message of scan problem `item`), "view-note" (title: the Chinese note of view
 * `item`), "log-problem" (title: the Chinese message of log problem `item`), "not-found" and
 * "discovery-note" (title: the Chinese of discovery's item), "service-origin" (item: the discovered
 * service's position) and "service-evidence" (item: the service's position *
 * STORE_SERVICE_EVIDENCE_ITEMS + the line's) and "verdict" (item 0, for the history list), with no
 * schema change. Every scan has a Chinese verdict, so this table is written for every scan, like
 * the diagnosis of version 4 (not in a test's store opened at an older version). ---- */
/* Lines of a discovered service's evidence a translation row can name (item = the service's
 * position * this + the line's); a service with more keeps its evidence in English only. */
#define STORE_SERVICE_EVIDENCE_ITEMS 4096

static const char SCHEMA_V7[] =
    "CREATE TABLE translations (\n"
    "    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,\n"
    "    kind TEXT NOT NULL,\n"
    "    item INTEGER NOT NULL,\n"
    "    lang TEXT NOT NULL,\n"
    "    title BLOB,\n"
    "    hint BLOB,\n"
    "    PRIMARY KEY (scan_id, kind, item, lang)\n"
    ");\n"
    "PRAGMA user_version = 7;\n";

/* ---- Version 8: what scans saw of each running JVM, kept beyond the scans themselves
 * (not a child of scans: pruning old scans keeps it), one row per service identity (the
 * newest sighting), because a JVM's working directory, -XX:ErrorFile and -XX:HeapDumpPath
 * vanish from /proc with it (svcstate.h jvm_sighting). Times are ISO 8601 UTC. ---- */
static const char SCHEMA_V8[] = "CREATE TABLE jvm_sightings (\n"
                                "    id INTEGER PRIMARY KEY,\n"
                                "    identity TEXT NOT NULL UNIQUE,\n"
                                "    pid INTEGER NOT NULL,\n"
                                "    started TEXT,\n"
                                "    last_seen TEXT NOT NULL,\n"
                                "    cwd TEXT,\n"
                                "    error_file TEXT,\n"
                                "    heap_dump_path TEXT,\n"
                                "    command TEXT\n"
                                ");\n"
                                "PRAGMA user_version = 8;\n";

static const struct store_migration store_migrations[] = {
    {1, SCHEMA_V1}, {2, SCHEMA_V2}, {3, SCHEMA_V3}, {4, SCHEMA_V4},
    {5, SCHEMA_V5}, {6, SCHEMA_V6}, {7, SCHEMA_V7}, {8, SCHEMA_V8},
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
/* Table descriptions */

/* How a column is bound (and so what its reader expects). */
enum col_kind {
    COL_ID,    /* the scan's id (int64) */
    COL_COUNT, /* a non-negative count or position (bind_count) */
    COL_INT,   /* a small integer or a flag (sqlite3_bind_int) */
    COL_INDEX, /* an index, -1 for none -> NULL (bind_opt_index) */
    COL_TEXT,  /* a text kept as TEXT (bind_text) */
    COL_BYTES, /* a text from outside: TEXT when UTF-8, else BLOB (bind_bytes) */
};

struct column {
    const char *name;
    enum col_kind kind;
};

/* A table the store writes: its columns once, in the order they are bound and read.
 * The CREATE statements stay in the migrations (they are history); the INSERT and
 * SELECT are built from this, from constant names only, so no data reaches SQL text. */
struct table {
    const char *name;
    const struct column *cols;
    int n_cols;
    /* A child of a scan: its first column is scan_id, which its SELECT filters on
     * rather than reads, in this order. NULL for the scans table itself. */
    const char *order;
};

#define TABLE(name, order, ...)                                                                    \
    {                                                                                              \
        name, (const struct column[]){__VA_ARGS__},                                                \
            (int)(sizeof((const struct column[]){__VA_ARGS__}) / sizeof(struct column)), order     \
    }
#define SCAN_ID                                                                                    \
    {                                                                                              \
        "scan_id", COL_ID                                                                          \
    }
#define ARTIFACT_COLUMNS                                                                           \
    {"artifact_group", COL_TEXT}, {"artifact_name", COL_TEXT}, {"artifact_version", COL_TEXT},     \
        {"evidence", COL_TEXT},                                                                    \
    {                                                                                              \
        "evidence_source", COL_TEXT                                                                \
    }

enum table_id {
    T_SCANS,
    T_VIEWS,
    T_ENTRIES,
    T_EMBEDDED,
    T_DUPLICATES,
    T_DUPLICATE_COPIES,
    T_CONFLICTS,
    T_CONFLICT_ENTRIES,
    T_CONFLICT_CLASSES,
    T_CONFLICT_SHARED,
    T_CONFLICT_COPIES,
    T_CONFLICT_TRUNCATED,
    T_ENTRY_DIGESTS,
    T_HINTS,
    T_HINT_ENTRIES,
    T_PROBLEMS,
    T_LOG_REPORTS,
    T_LOG_FILES,
    T_LOG_FILE_TAILS,
    T_LOG_FINDINGS,
    T_LOG_FINDING_FACTS,
    T_LOG_FINDING_LOCATIONS,
    T_LOG_PROBLEMS,
    T_CORRELATIONS,
    T_CORRELATION_ENTRIES,
    T_DISCOVERIES,
    T_DISCOVERY_TEXTS,
    T_SERVICES,
    T_SERVICE_TEXTS,
    T_SERVICE_VIEWS,
    T_FACTS,
    T_ENV_FINDINGS,
    T_SERVICE_STATES,
    T_FINDINGS,
    T_INCIDENTS,
    T_TRANSLATIONS,
    T_SIGHTINGS,
    T_COUNT
};

static const struct table tables[T_COUNT] = {
    [T_SCANS] = TABLE(
        "scans", NULL, {"started", COL_TEXT}, {"finished", COL_TEXT}, {"duration_ms", COL_COUNT},
        {"host", COL_TEXT}, {"targets", COL_TEXT}, {"status", COL_TEXT}, {"critical", COL_COUNT},
        {"error", COL_COUNT}, {"warning", COL_COUNT}, {"info", COL_COUNT}, {"views", COL_COUNT},
        {"entries", COL_COUNT}, {"classes", COL_COUNT}, {"verdict", COL_TEXT},
        {"wrench_version", COL_TEXT}, {"report_schema", COL_INT}, {"rules_version", COL_TEXT}),
    [T_VIEWS] = TABLE("views", "view", SCAN_ID, {"view", COL_COUNT}, {"name", COL_TEXT},
                      {"target_kind", COL_TEXT}, {"target", COL_TEXT}, {"note", COL_TEXT},
                      {"follow_class_path", COL_INT}, {"is_webapp", COL_INT}),
    [T_ENTRIES] = TABLE(
        "entries", "view, entry", SCAN_ID, {"view", COL_COUNT}, {"entry", COL_COUNT},
        {"path", COL_TEXT}, {"real_path", COL_TEXT}, {"listed_as", COL_TEXT}, {"origin", COL_TEXT},
        {"archive_path", COL_TEXT}, {"inner_path", COL_TEXT}, {"kind", COL_TEXT},
        {"status", COL_TEXT}, {"problem", COL_TEXT}, {"duplicate_of", COL_INDEX},
        {"via", COL_INDEX}, {"order_group", COL_INT}, {"order_defined", COL_INT},
        {"classes", COL_COUNT}, {"zip_entries", COL_COUNT}, {"multi_release", COL_INT},
        {"main_class", COL_TEXT}, {"duplicate_zip_entries", COL_COUNT},
        {"bad_entry_names", COL_COUNT}, ARTIFACT_COLUMNS),
    [T_EMBEDDED] =
        TABLE("embedded_artifacts", "view, entry, position", SCAN_ID, {"view", COL_COUNT},
              {"entry", COL_COUNT}, {"position", COL_COUNT}, ARTIFACT_COLUMNS),
    [T_DUPLICATES] = TABLE("duplicates", "position", SCAN_ID, {"position", COL_COUNT},
                           {"view", COL_COUNT}, {"key", COL_TEXT}, {"title", COL_TEXT},
                           {"severity", COL_TEXT}, {"versions_differ", COL_INT}),
    [T_DUPLICATE_COPIES] = TABLE("duplicate_copies", "duplicate, position", SCAN_ID,
                                 {"duplicate", COL_COUNT}, {"position", COL_COUNT},
                                 {"entry", COL_COUNT}, {"version", COL_TEXT}, {"shaded", COL_INT}),
    [T_CONFLICTS] =
        TABLE("conflicts", "position", SCAN_ID, {"position", COL_COUNT}, {"view", COL_COUNT},
              {"title", COL_TEXT}, {"severity", COL_TEXT}, {"shared", COL_COUNT},
              {"identical", COL_COUNT}, {"differing", COL_COUNT}, {"unknown", COL_COUNT},
              {"winner", COL_INDEX}, {"winner_undefined", COL_INT}),
    [T_CONFLICT_ENTRIES] =
        TABLE("conflict_entries", "conflict, position", SCAN_ID, {"conflict", COL_COUNT},
              {"position", COL_COUNT}, {"entry", COL_COUNT}),
    [T_CONFLICT_CLASSES] =
        TABLE("conflict_classes", "conflict, list, position", SCAN_ID, {"conflict", COL_COUNT},
              {"list", COL_TEXT}, {"position", COL_COUNT}, {"name", COL_TEXT}),
    [T_CONFLICT_SHARED] = TABLE("conflict_shared_classes", "conflict, list, position", SCAN_ID,
                                {"conflict", COL_COUNT}, {"list", COL_TEXT},
                                {"position", COL_COUNT}, {"name", COL_TEXT}),
    [T_CONFLICT_COPIES] =
        TABLE("conflict_class_copies", "conflict, class, position", SCAN_ID,
              {"conflict", COL_COUNT}, {"class", COL_COUNT}, {"position", COL_COUNT},
              {"crc_known", COL_INT}, {"crc", COL_COUNT}, {"size", COL_COUNT}),
    [T_CONFLICT_TRUNCATED] =
        TABLE("conflict_classes_truncated", "conflict", SCAN_ID, {"conflict", COL_COUNT}),
    [T_ENTRY_DIGESTS] = TABLE("entry_digests", "view, entry", SCAN_ID, {"view", COL_COUNT},
                              {"entry", COL_COUNT}, {"sha256", COL_TEXT}),
    [T_HINTS] =
        TABLE("hints", "position", SCAN_ID, {"position", COL_COUNT}, {"view", COL_COUNT},
              {"rule", COL_TEXT}, {"severity", COL_TEXT}, {"title", COL_TEXT}, {"hint", COL_TEXT}),
    [T_HINT_ENTRIES] = TABLE("hint_entries", "hint, position", SCAN_ID, {"hint", COL_COUNT},
                             {"position", COL_COUNT}, {"entry", COL_COUNT}),
    [T_PROBLEMS] = TABLE("problems", "position", SCAN_ID, {"position", COL_COUNT},
                         {"severity", COL_TEXT}, {"path", COL_TEXT}, {"message", COL_TEXT}),
    [T_LOG_REPORTS] = TABLE("log_reports", "scan_id", SCAN_ID, {"dropped_findings", COL_COUNT}),
    [T_LOG_FILES] =
        TABLE("log_files", "position", SCAN_ID, {"position", COL_COUNT}, {"path", COL_BYTES},
              {"kind", COL_TEXT}, {"compressed", COL_INT}, {"bytes", COL_COUNT},
              {"lines", COL_COUNT}, {"events", COL_COUNT}, {"truncated_events", COL_COUNT},
              {"long_lines", COL_COUNT}, {"complete", COL_INT}, {"skipped_events", COL_COUNT},
              {"last_start_line", COL_COUNT}, {"last_start", COL_BYTES}, {"format", COL_TEXT}),
    [T_LOG_FILE_TAILS] = TABLE("log_file_tails", "file, position", SCAN_ID, {"file", COL_COUNT},
                               {"position", COL_COUNT}, {"line", COL_BYTES}),
    [T_LOG_FINDINGS] =
        TABLE("log_findings", "position", SCAN_ID, {"position", COL_COUNT}, {"rule", COL_BYTES},
              {"severity", COL_TEXT}, {"category", COL_BYTES}, {"title", COL_BYTES},
              {"hint", COL_BYTES}, {"signature", COL_BYTES}, {"count", COL_COUNT},
              {"first_seen", COL_BYTES}, {"last_seen", COL_BYTES}, {"file", COL_BYTES},
              {"line", COL_COUNT}, {"root_cause", COL_BYTES}, {"class", COL_BYTES},
              {"sample", COL_BYTES}, {"sample_truncated", COL_INT}, {"impact", COL_TEXT}),
    [T_LOG_FINDING_FACTS] =
        TABLE("log_finding_facts", "finding, position", SCAN_ID, {"finding", COL_COUNT},
              {"position", COL_COUNT}, {"name", COL_BYTES}, {"value", COL_BYTES}),
    [T_LOG_FINDING_LOCATIONS] =
        TABLE("log_finding_locations", "finding, position", SCAN_ID, {"finding", COL_COUNT},
              {"position", COL_COUNT}, {"file", COL_BYTES}, {"line", COL_COUNT},
              {"timestamp", COL_BYTES}),
    [T_LOG_PROBLEMS] = TABLE("log_problems", "position", SCAN_ID, {"position", COL_COUNT},
                             {"severity", COL_TEXT}, {"path", COL_BYTES}, {"message", COL_BYTES}),
    [T_CORRELATIONS] =
        TABLE("correlations", "position", SCAN_ID, {"position", COL_COUNT}, {"finding", COL_COUNT},
              {"class", COL_BYTES}, {"view", COL_COUNT}, {"winner", COL_INDEX},
              {"winner_undefined", COL_INT}, {"copies_differ", COL_INT}, {"text", COL_BYTES}),
    [T_CORRELATION_ENTRIES] = TABLE("correlation_entries", "correlation, list, position", SCAN_ID,
                                    {"correlation", COL_COUNT}, {"list", COL_TEXT},
                                    {"position", COL_COUNT}, {"entry", COL_COUNT}),
    [T_DISCOVERIES] = TABLE("discoveries", "scan_id", SCAN_ID, {"source", COL_BYTES}),
    [T_DISCOVERY_TEXTS] = TABLE("discovery_texts", "list, position", SCAN_ID, {"list", COL_TEXT},
                                {"position", COL_COUNT}, {"text", COL_BYTES}),
    [T_SERVICES] = TABLE("services", "position", SCAN_ID, {"position", COL_COUNT},
                         {"name", COL_BYTES}, {"kind", COL_BYTES}, {"origin", COL_BYTES},
                         {"pid", COL_INDEX}, {"command", COL_BYTES}),
    [T_SERVICE_TEXTS] =
        TABLE("service_texts", "service, list, position", SCAN_ID, {"service", COL_COUNT},
              {"list", COL_TEXT}, {"position", COL_COUNT}, {"text", COL_BYTES}),
    [T_SERVICE_VIEWS] = TABLE("service_views", "service, position", SCAN_ID, {"service", COL_COUNT},
                              {"position", COL_COUNT}, {"view", COL_COUNT}),
    [T_FACTS] = TABLE("facts", "position", SCAN_ID, {"position", COL_COUNT}, {"name", COL_BYTES},
                      {"value", COL_BYTES}),
    [T_ENV_FINDINGS] = TABLE("environment_findings", "position", SCAN_ID, {"position", COL_COUNT},
                             {"rule", COL_BYTES}, {"severity", COL_TEXT}, {"title", COL_BYTES},
                             {"detail", COL_BYTES}, {"subject", COL_BYTES}),
    [T_SERVICE_STATES] = TABLE("service_states", "position", SCAN_ID, {"position", COL_COUNT},
                               {"name", COL_BYTES}, {"state", COL_TEXT}, {"body", COL_BYTES}),
    [T_FINDINGS] = TABLE("findings", "position", SCAN_ID, {"position", COL_COUNT}, {"id", COL_TEXT},
                         {"kind", COL_TEXT}, {"severity", COL_TEXT}, {"impact", COL_TEXT},
                         {"rule", COL_BYTES}, {"title", COL_BYTES}, {"incident", COL_TEXT}),
    [T_INCIDENTS] = TABLE("incidents", "position", SCAN_ID, {"position", COL_COUNT},
                          {"id", COL_TEXT}, {"subject", COL_TEXT}, {"name", COL_BYTES},
                          {"impact", COL_TEXT}, {"severity", COL_TEXT}, {"cause", COL_TEXT},
                          {"cause_text", COL_BYTES}, {"in_verdict", COL_INT}),
    [T_TRANSLATIONS] =
        TABLE("translations", "kind, item, lang", SCAN_ID, {"kind", COL_TEXT}, {"item", COL_COUNT},
              {"lang", COL_TEXT}, {"title", COL_BYTES}, {"hint", COL_BYTES}),
    /* not a child of scans: its own id, like scans */
    [T_SIGHTINGS] =
        TABLE("jvm_sightings", NULL, {"identity", COL_BYTES}, {"pid", COL_COUNT},
              {"started", COL_TEXT}, {"last_seen", COL_TEXT}, {"cwd", COL_BYTES},
              {"error_file", COL_BYTES}, {"heap_dump_path", COL_BYTES}, {"command", COL_BYTES}),
};

/* The columns a SELECT reads: a child's scan_id is its filter, not read back. */
static int first_read_column(const struct table *t)
{
    return t->order ? 1 : 0;
}

/* "INSERT INTO t (a, b) VALUES (?, ?)[, (?, ?)...]" with one parameter per described column,
 * for `rows` rows. New string. */
static char *insert_sql(const struct table *t, int rows)
{
    struct strbuf sb = {0};
    strbuf_printf(&sb, "INSERT INTO %s (", t->name);
    for (int i = 0; i < t->n_cols; i++)
        strbuf_printf(&sb, "%s%s", i ? ", " : "", t->cols[i].name);
    strbuf_puts(&sb, ") VALUES ");
    for (int r = 0; r < rows; r++) {
        strbuf_puts(&sb, r ? ", (" : "(");
        for (int i = 0; i < t->n_cols; i++)
            strbuf_puts(&sb, i ? ", ?" : "?");
        strbuf_puts(&sb, ")");
    }
    return strbuf_take(&sb);
}

/* "SELECT <lead, >b, c FROM t <tail>"; a child's tail filters on scan_id and orders its rows.
 * `lead` (a column the description leaves out, e.g. scans.id) and `tail` are constants. */
static char *select_sql(const struct table *t, const char *lead, const char *tail)
{
    struct strbuf sb = {0};
    strbuf_printf(&sb, "SELECT %s", lead ? lead : "");
    for (int i = first_read_column(t); i < t->n_cols; i++)
        strbuf_printf(&sb, "%s%s", lead || i > first_read_column(t) ? ", " : "", t->cols[i].name);
    strbuf_printf(&sb, " FROM %s", t->name);
    if (t->order)
        strbuf_printf(&sb, " WHERE scan_id = ? ORDER BY %s", t->order);
    if (tail)
        strbuf_printf(&sb, " %s", tail);
    return strbuf_take(&sb);
}

/* Rows per INSERT of a batched writer: one statement per row cost SQLite ~2/3 more CPU per
 * row (a 21,000-row table: 35 ms one by one, 12-14 ms by 16; by 64, no better). */
#define WRITER_BATCH 16

/* A value of a row not inserted yet: bound when its statement runs. Texts are borrowed
 * (the scan outlives the save). */
struct slot {
    int type; /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT or SQLITE_BLOB */
    int64_t i;
    const char *p;
    size_t len;
};

/* The INSERT of one table, prepared, and the values given so far for its next rows: every
 * put_* checks that its value is the next described column and of that column's kind, and
 * writer_step() refuses a row without exactly one value per column. A batched writer
 * (writer_open_batched) inserts its rows WRITER_BATCH at a time and the rest at
 * writer_finish(), which must be called before writer_close() once its last row is given. */
struct writer {
    struct store *st;
    const struct table *t;
    sqlite3_stmt *s;    /* INSERT of `batch` rows */
    int batch;          /* rows per execution of s */
    int rows;           /* complete rows in `slots`, not inserted yet */
    int col;            /* values given to the current row */
    bool bad;           /* a value that does not fit the description */
    struct slot *slots; /* batch * n_cols */
};

static int writer_open_rows(struct store *st, struct writer *w, enum table_id id, int batch,
                            char *err)
{
    memset(w, 0, sizeof(*w));
    w->st = st;
    w->t = &tables[id];
    w->batch = batch;
    w->slots = xcalloc((size_t)batch * (size_t)w->t->n_cols, sizeof(*w->slots));
    char *sql = insert_sql(w->t, batch);
    int rc = prepare(st, &w->s, sql, err);
    free(sql);
    return rc;
}

static int writer_open(struct store *st, struct writer *w, enum table_id id, char *err)
{
    return writer_open_rows(st, w, id, 1, err);
}

static int writer_open_batched(struct store *st, struct writer *w, enum table_id id, char *err)
{
    return writer_open_rows(st, w, id, WRITER_BATCH, err);
}

static void writer_close(struct writer *w)
{
    sqlite3_finalize(w->s);
    free(w->slots);
    w->s = NULL;
    w->slots = NULL;
}

static void bind_slot(sqlite3_stmt *s, int i, const struct slot *v)
{
    switch (v->type) {
    case SQLITE_INTEGER:
        sqlite3_bind_int64(s, i, v->i);
        break;
    case SQLITE_TEXT:
        sqlite3_bind_text64(s, i, v->p, v->len, SQLITE_STATIC, SQLITE_UTF8);
        break;
    case SQLITE_BLOB:
        sqlite3_bind_blob64(s, i, v->p, v->len, SQLITE_STATIC);
        break;
    default:
        sqlite3_bind_null(s, i);
        break;
    }
}

/* Bind `rows` kept rows from the first, run `s` and reset it. */
static int insert_rows(struct writer *w, sqlite3_stmt *s, const struct slot *first, int rows,
                       const char *what, char *err)
{
    int n = rows * w->t->n_cols;
    for (int i = 0; i < n; i++)
        bind_slot(s, i + 1, &first[i]);
    return step_done(w->st, s, what, err);
}

/* Insert the rows a batched writer still keeps, one by one. */
static int writer_finish(struct writer *w, const char *what, char *err)
{
    if (w->rows == 0)
        return 0;
    sqlite3_stmt *one = NULL;
    char *sql = insert_sql(w->t, 1);
    int rc = prepare(w->st, &one, sql, err);
    free(sql);
    for (int r = 0; r < w->rows && rc == 0; r++)
        rc = insert_rows(w, one, &w->slots[(size_t)r * (size_t)w->t->n_cols], 1, what, err);
    sqlite3_finalize(one);
    w->rows = 0;
    return rc;
}

/* The slot of the current row's `i`th value (1-based, as next_param returns it). */
static struct slot *slot_of(struct writer *w, int i)
{
    return &w->slots[(size_t)w->rows * (size_t)w->t->n_cols + (size_t)(i - 1)];
}

static void set_int(struct writer *w, int i, int64_t n)
{
    *slot_of(w, i) = (struct slot){SQLITE_INTEGER, n, NULL, 0};
}

static void set_null(struct writer *w, int i)
{
    *slot_of(w, i) = (struct slot){SQLITE_NULL, 0, NULL, 0};
}

/* TEXT, or with `bytes` a text from outside: TEXT when valid UTF-8, else its bytes as a
 * BLOB (as bind_bytes). NULL for a NULL text. */
static void set_text(struct writer *w, int i, const char *text, bool bytes)
{
    if (!text) {
        set_null(w, i);
        return;
    }
    size_t len = strlen(text);
    int type = bytes && !utf8_valid(text, len) ? SQLITE_BLOB : SQLITE_TEXT;
    *slot_of(w, i) = (struct slot){type, 0, text, len};
}

/* The index of the next value's parameter when it is of `kind`, else 0 (and the row bad). */
static int next_param(struct writer *w, enum col_kind kind)
{
    if (w->col >= w->t->n_cols || w->t->cols[w->col].kind != kind) {
        w->bad = true;
        w->col++;
        return 0;
    }
    return ++w->col;
}

static void put_id(struct writer *w, int64_t id)
{
    int i = next_param(w, COL_ID);
    if (i)
        set_int(w, i, id);
}

/* A count: clamped to INT64_MAX, as bind_count. */
static void put_count(struct writer *w, uint64_t n)
{
    int i = next_param(w, COL_COUNT);
    if (i)
        set_int(w, i, n > INT64_MAX ? INT64_MAX : (int64_t)n);
}

static void put_int(struct writer *w, int n)
{
    int i = next_param(w, COL_INT);
    if (i)
        set_int(w, i, n);
}

/* An index, -1 for none -> NULL, as bind_opt_index. */
static void put_index(struct writer *w, int index)
{
    int i = next_param(w, COL_INDEX);
    if (i && index >= 0)
        set_int(w, i, index);
    else if (i)
        set_null(w, i);
}

/* A text, bound as its column is described: TEXT, or as bind_bytes() for outside text. */
static void put_str(struct writer *w, const char *text)
{
    bool bytes = w->col < w->t->n_cols && w->t->cols[w->col].kind == COL_BYTES;
    int i = next_param(w, bytes ? COL_BYTES : COL_TEXT);
    if (i)
        set_text(w, i, text, bytes);
}

/* End the row given so far: insert it, or with a batched writer keep it until WRITER_BATCH
 * rows are kept (writer_finish() inserts the rest). */
static int writer_step(struct writer *w, const char *what, char *err)
{
    bool fits = !w->bad && w->col == w->t->n_cols;
    int n = w->col;
    w->col = 0;
    w->bad = false;
    if (!fits) {
        err_set(err, "%s: %s: internal error: %d values do not fit the %d columns of %s",
                w->st->path, what, n, w->t->n_cols, w->t->name);
        return -1;
    }
    if (++w->rows < w->batch)
        return 0;
    w->rows = 0;
    return insert_rows(w, w->s, w->slots, w->batch, what, err);
}

/*
 * The one writer of child rows: (scan_id, [parent,] [list,] position, value) for each
 * item of a list, the value an entry index (`entries`) or a text (`texts`; exactly one
 * is non-NULL). `parent` < 0 and `list` NULL leave those columns out; the table's
 * description decides how a text is bound.
 */
static int save_children(struct writer *w, int64_t id, int64_t parent, const char *list,
                         const size_t *entries, char *const *texts, size_t n, const char *what,
                         char *err)
{
    for (size_t k = 0; k < n; k++) {
        put_id(w, id);
        if (parent >= 0)
            put_count(w, (uint64_t)parent);
        if (list)
            put_str(w, list);
        put_count(w, k);
        if (entries)
            put_count(w, entries[k]);
        else
            put_str(w, texts[k]);
        if (writer_step(w, what, err) != 0)
            return -1;
    }
    return 0;
}

size_t store_table_count(void)
{
    return T_COUNT;
}

void store_table_sql(size_t i, const char **name, int *n_values, int *n_read, char **insert,
                     char **select)
{
    const struct table *t = &tables[i];
    *name = t->name;
    *n_values = t->n_cols;
    *n_read = t->n_cols - first_read_column(t) + (t->order ? 0 : 1);
    *insert = insert_sql(t, 1);
    *select = select_sql(t, t->order ? NULL : "id", NULL);
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
    /* NOMUTEX: a store is never shared between threads (store.h), so SQLite's lock around
     * every call on the connection is pure cost (~4 % of the instructions of a save). */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
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

static int save_scan_row(struct store *st, const struct scan *scan, const struct diagnosis *d,
                         const struct store_save_options *opt, int64_t *id, char *err)
{
    struct writer w;
    if (writer_open(st, &w, T_SCANS, err) != 0)
        return -1;
    size_t counts[SEV_COUNT];
    scan_count_severities(scan, counts);
    size_t entries, classes;
    scan_totals(scan, &entries, &classes);
    char *targets = targets_text(scan);
    put_str(&w, scan->started);
    put_str(&w, scan->finished);
    put_count(&w, scan->duration_ms);
    put_str(&w, scan->host);
    put_str(&w, targets);
    put_str(&w, opt->status);
    put_count(&w, counts[SEV_CRITICAL]);
    put_count(&w, counts[SEV_ERROR]);
    put_count(&w, counts[SEV_WARNING]);
    put_count(&w, counts[SEV_INFO]);
    put_count(&w, scan->n_views);
    put_count(&w, entries);
    put_count(&w, classes);
    put_str(&w, d->verdict.text);
    put_str(&w, WR_VERSION);
    put_int(&w, WR_SCHEMA_VERSION);
    put_str(&w, opt->rules_version);
    int rc = writer_step(&w, "cannot store the scan", err);
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(st->db);
    writer_close(&w);
    free(targets);
    return rc;
}

static void put_artifact(struct writer *w, const struct artifact *a)
{
    put_str(w, a->group);
    put_str(w, a->name);
    put_str(w, a->version);
    put_str(w, evidence_name(a->evidence));
    put_str(w, a->source);
}

static int save_entries(int64_t id, const struct cp_view *v, size_t view, struct writer *ins,
                        struct writer *emb, char *err)
{
    static const char what[] = "cannot store the scan's entries";
    for (size_t i = 0; i < v->n_entries; i++) {
        const struct cp_entry *e = &v->entries[i];
        put_id(ins, id);
        put_count(ins, view);
        put_count(ins, i);
        put_str(ins, e->path);
        put_str(ins, e->real_path);
        put_str(ins, e->listed_as);
        put_str(ins, e->origin);
        put_str(ins, e->archive);
        put_str(ins, e->inner);
        put_str(ins, entry_kind_name(e->kind));
        put_str(ins, entry_status_name(e->status));
        put_str(ins, e->problem);
        put_index(ins, e->duplicate_of);
        put_index(ins, e->via);
        put_int(ins, e->order_group);
        put_int(ins, e->order_defined);
        put_count(ins, e->class_count);
        put_count(ins, e->entry_count);
        put_int(ins, e->multi_release);
        put_str(ins, e->main_class);
        put_count(ins, e->duplicate_zip_entries);
        put_count(ins, e->bad_entry_names);
        put_artifact(ins, &e->artifact);
        if (writer_step(ins, what, err) != 0)
            return -1;
        for (size_t k = 0; k < e->n_embedded; k++) {
            put_id(emb, id);
            put_count(emb, view);
            put_count(emb, i);
            put_count(emb, k);
            put_artifact(emb, &e->embedded[k]);
            if (writer_step(emb, what, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int save_views(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    struct writer vs = {0}, ins = {0}, emb = {0};
    int rc = -1;
    if (writer_open(st, &vs, T_VIEWS, err) != 0 || writer_open(st, &ins, T_ENTRIES, err) != 0 ||
        writer_open(st, &emb, T_EMBEDDED, err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_views; i++) {
        const struct cp_view *v = &scan->views[i];
        put_id(&vs, id);
        put_count(&vs, i);
        put_str(&vs, v->name);
        put_str(&vs, v->target_kind);
        put_str(&vs, v->target);
        put_str(&vs, v->note);
        put_int(&vs, v->follow_class_path);
        put_int(&vs, v->is_webapp);
        if (writer_step(&vs, "cannot store the scan's views", err) != 0 ||
            save_entries(id, v, i, &ins, &emb, err) != 0)
            goto out;
    }
    rc = 0;
out:
    writer_close(&vs);
    writer_close(&ins);
    writer_close(&emb);
    return rc;
}

#define FINDINGS_WHAT "cannot store the scan's findings"

/* The entries' SHA-256, when the scan computed them (a table of version 6). */
static int save_digests(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    bool any = false;
    for (size_t v = 0; v < scan->n_views && !any; v++)
        for (size_t i = 0; i < scan->views[v].n_entries && !any; i++)
            any = scan->views[v].entries[i].sha256[0] != '\0';
    if (!any)
        return 0;
    struct writer w = {0};
    int rc = writer_open(st, &w, T_ENTRY_DIGESTS, err);
    for (size_t v = 0; v < scan->n_views && rc == 0; v++) {
        for (size_t i = 0; i < scan->views[v].n_entries && rc == 0; i++) {
            const char *sha256 = scan->views[v].entries[i].sha256;
            if (!sha256[0])
                continue;
            put_id(&w, id);
            put_count(&w, v);
            put_count(&w, i);
            put_str(&w, sha256);
            rc = writer_step(&w, "cannot store the scan's entries", err);
        }
    }
    writer_close(&w);
    return rc;
}

static int save_duplicates(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    struct writer ds = {0}, cs = {0};
    int rc = -1;
    if (writer_open(st, &ds, T_DUPLICATES, err) != 0 ||
        writer_open(st, &cs, T_DUPLICATE_COPIES, err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_dups; i++) {
        const struct dup_artifact *d = &scan->dups[i];
        put_id(&ds, id);
        put_count(&ds, i);
        put_count(&ds, d->view);
        put_str(&ds, d->key);
        put_str(&ds, d->title);
        put_str(&ds, severity_name(d->severity));
        put_int(&ds, d->versions_differ);
        if (writer_step(&ds, FINDINGS_WHAT, err) != 0)
            goto out;
        for (size_t k = 0; k < d->n; k++) {
            put_id(&cs, id);
            put_count(&cs, i);
            put_count(&cs, k);
            put_count(&cs, d->entries[k]);
            put_str(&cs, d->versions[k]);
            put_int(&cs, d->shaded[k]);
            if (writer_step(&cs, FINDINGS_WHAT, err) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    writer_close(&ds);
    writer_close(&cs);
    return rc;
}

/* A conflict's identical classes by name, then the others with a row per copy. */
static int save_shared_classes(struct writer *ss, struct writer *ks, struct writer *ts, int64_t id,
                               size_t i, const struct class_conflict *c, char *err)
{
    if (c->classes_truncated) {
        put_id(ts, id);
        put_count(ts, i);
        if (writer_step(ts, FINDINGS_WHAT, err) != 0)
            return -1;
    }
    if (save_children(ss, id, (int64_t)i, "identical", NULL, c->identical_classes,
                      c->n_identical_classes, FINDINGS_WHAT, err) != 0)
        return -1;
    for (size_t k = 0; k < c->n_copied_classes; k++) {
        const struct conflict_class *cc = &c->copied_classes[k];
        put_id(ss, id);
        put_count(ss, i);
        put_str(ss, "copied");
        put_count(ss, k);
        put_str(ss, cc->name);
        if (writer_step(ss, FINDINGS_WHAT, err) != 0)
            return -1;
        for (size_t e = 0; e < c->n_entries; e++) {
            put_id(ks, id);
            put_count(ks, i);
            put_count(ks, k);
            put_count(ks, e);
            put_int(ks, cc->copies[e].crc_known);
            put_count(ks, cc->copies[e].crc);
            put_count(ks, cc->copies[e].size);
            if (writer_step(ks, FINDINGS_WHAT, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int save_conflicts(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    struct writer cs = {0}, es = {0}, ns = {0}, ss = {0}, ks = {0}, ts = {0};
    int rc = -1;
    bool detail = false; /* the tables of version 6 are only touched when needed */
    for (size_t i = 0; i < scan->n_conflicts && !detail; i++)
        detail = scan->conflicts[i].n_identical_classes || scan->conflicts[i].n_copied_classes ||
                 scan->conflicts[i].classes_truncated;
    /* The lists of a conflict (the big classpath: ~36,000 of the scan's ~38,000 rows) are
     * inserted WRITER_BATCH rows at a time. */
    if (writer_open(st, &cs, T_CONFLICTS, err) != 0 ||
        writer_open_batched(st, &es, T_CONFLICT_ENTRIES, err) != 0 ||
        writer_open_batched(st, &ns, T_CONFLICT_CLASSES, err) != 0 ||
        (detail && (writer_open_batched(st, &ss, T_CONFLICT_SHARED, err) != 0 ||
                    writer_open_batched(st, &ks, T_CONFLICT_COPIES, err) != 0 ||
                    writer_open(st, &ts, T_CONFLICT_TRUNCATED, err) != 0)))
        goto out;
    for (size_t i = 0; i < scan->n_conflicts; i++) {
        const struct class_conflict *c = &scan->conflicts[i];
        put_id(&cs, id);
        put_count(&cs, i);
        put_count(&cs, c->view);
        put_str(&cs, c->title);
        put_str(&cs, severity_name(c->severity));
        put_count(&cs, c->shared);
        put_count(&cs, c->identical);
        put_count(&cs, c->differing);
        put_count(&cs, c->unknown);
        put_index(&cs, c->winner);
        put_int(&cs, c->winner_undefined);
        if (writer_step(&cs, FINDINGS_WHAT, err) != 0 ||
            (detail && save_shared_classes(&ss, &ks, &ts, id, i, c, err) != 0) ||
            save_children(&es, id, (int64_t)i, NULL, c->entries, NULL, c->n_entries, FINDINGS_WHAT,
                          err) != 0 ||
            save_children(&ns, id, (int64_t)i, "differing", NULL, c->differing_classes,
                          c->n_differing_classes, FINDINGS_WHAT, err) != 0 ||
            save_children(&ns, id, (int64_t)i, "sample", NULL, c->sample_classes,
                          c->n_sample_classes, FINDINGS_WHAT, err) != 0)
            goto out;
    }
    if (writer_finish(&es, FINDINGS_WHAT, err) != 0 ||
        writer_finish(&ns, FINDINGS_WHAT, err) != 0 ||
        (detail && (writer_finish(&ss, FINDINGS_WHAT, err) != 0 ||
                    writer_finish(&ks, FINDINGS_WHAT, err) != 0)))
        goto out;
    rc = 0;
out:
    writer_close(&cs);
    writer_close(&es);
    writer_close(&ns);
    writer_close(&ss);
    writer_close(&ks);
    writer_close(&ts);
    return rc;
}

static int save_hints(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    struct writer hs = {0}, es = {0};
    int rc = -1;
    if (writer_open(st, &hs, T_HINTS, err) != 0 || writer_open(st, &es, T_HINT_ENTRIES, err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_hints; i++) {
        const struct hint_finding *h = &scan->hints[i];
        put_id(&hs, id);
        put_count(&hs, i);
        put_count(&hs, h->view);
        put_str(&hs, h->id);
        put_str(&hs, severity_name(h->severity));
        put_str(&hs, h->title);
        put_str(&hs, h->hint);
        if (writer_step(&hs, FINDINGS_WHAT, err) != 0 ||
            save_children(&es, id, (int64_t)i, NULL, h->entries, NULL, h->n_entries, FINDINGS_WHAT,
                          err) != 0)
            goto out;
    }
    rc = 0;
out:
    writer_close(&hs);
    writer_close(&es);
    return rc;
}

/* Rows of (scan_id, position, severity, path, message); the table's description says
 * whether path and message are kept as TEXT (schema version 1) or as outside bytes. */
static int save_problem_rows(struct store *st, int64_t id, enum table_id table,
                             const struct problem *items, size_t n, const char *what, char *err)
{
    struct writer w;
    if (writer_open(st, &w, table, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct problem *p = &items[i];
        put_id(&w, id);
        put_count(&w, i);
        put_str(&w, severity_name(p->severity));
        put_str(&w, p->path);
        put_str(&w, p->message);
        rc = writer_step(&w, what, err);
    }
    writer_close(&w);
    return rc;
}

static int save_problems(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    return save_problem_rows(st, id, T_PROBLEMS, scan->problems, scan->n_problems, FINDINGS_WHAT,
                             err);
}

#define LOGS_WHAT "cannot store the scan's logs"
#define LOG_FINDINGS_WHAT "cannot store the scan's log findings"

static int save_log_files(struct store *st, int64_t id, const struct log_report *logs, char *err)
{
    struct writer s = {0}, ts = {0};
    int rc = -1;
    if (writer_open(st, &s, T_LOG_FILES, err) != 0 ||
        writer_open(st, &ts, T_LOG_FILE_TAILS, err) != 0)
        goto out;
    rc = 0;
    for (size_t i = 0; i < logs->n_files && rc == 0; i++) {
        const struct log_file *f = &logs->files[i];
        put_id(&s, id);
        put_count(&s, i);
        put_str(&s, f->path);
        put_str(&s, log_kind_name(f->kind));
        put_int(&s, f->compressed);
        put_count(&s, f->bytes);
        put_count(&s, f->lines);
        put_count(&s, f->events);
        put_count(&s, f->truncated_events);
        put_count(&s, f->long_lines);
        put_int(&s, f->complete);
        put_count(&s, f->skipped_events);
        put_count(&s, f->last_start_line);
        put_str(&s, f->last_start);
        put_str(&s, log_format_name(f->format));
        rc = writer_step(&s, LOGS_WHAT, err);
        if (rc == 0)
            rc = save_children(&ts, id, (int64_t)i, NULL, NULL, f->tail, f->n_tail, LOGS_WHAT, err);
    }
out:
    writer_close(&s);
    writer_close(&ts);
    return rc;
}

/* A log finding's named facts and the places it was seen (schema version 4). */
static int save_log_finding_details(struct store *st, int64_t id, size_t finding,
                                    const struct log_finding *f, char *err)
{
    if (!f->n_facts && !f->n_locations)
        return 0;
    struct writer s = {0}, ls = {0};
    int rc = -1;
    if (writer_open(st, &s, T_LOG_FINDING_FACTS, err) != 0 ||
        writer_open(st, &ls, T_LOG_FINDING_LOCATIONS, err) != 0)
        goto out;
    rc = 0;
    for (size_t k = 0; k < f->n_facts && rc == 0; k++) {
        put_id(&s, id);
        put_count(&s, finding);
        put_count(&s, k);
        put_str(&s, f->facts[k].name);
        put_str(&s, f->facts[k].value);
        rc = writer_step(&s, LOG_FINDINGS_WHAT, err);
    }
    for (size_t k = 0; k < f->n_locations && rc == 0; k++) {
        put_id(&ls, id);
        put_count(&ls, finding);
        put_count(&ls, k);
        put_str(&ls, f->locations[k].file);
        put_count(&ls, f->locations[k].line);
        put_str(&ls, f->locations[k].timestamp);
        rc = writer_step(&ls, LOG_FINDINGS_WHAT, err);
    }
out:
    writer_close(&s);
    writer_close(&ls);
    return rc;
}

static int save_log_findings(struct store *st, int64_t id, const struct log_report *logs, char *err)
{
    struct writer w;
    if (writer_open(st, &w, T_LOG_FINDINGS, err) != 0)
        return -1;
    int rc = 0;
    /* The scanner sorted them; the position keeps that order. */
    for (size_t i = 0; i < logs->n_findings && rc == 0; i++) {
        const struct log_finding *f = &logs->findings[i];
        put_id(&w, id);
        put_count(&w, i);
        put_str(&w, f->rule_id);
        put_str(&w, severity_name(f->severity));
        put_str(&w, f->category);
        put_str(&w, f->title);
        put_str(&w, f->hint);
        put_str(&w, f->signature);
        put_count(&w, f->count);
        put_str(&w, f->first_seen);
        put_str(&w, f->last_seen);
        put_str(&w, f->file);
        put_count(&w, f->line);
        put_str(&w, f->root_cause);
        put_str(&w, f->class_name);
        put_str(&w, f->sample);
        put_int(&w, f->truncated);
        put_str(&w, impact_name(f->impact));
        rc = writer_step(&w, LOG_FINDINGS_WHAT, err);
        if (rc == 0)
            rc = save_log_finding_details(st, id, i, f, err);
    }
    writer_close(&w);
    return rc;
}

static int save_log_problems(struct store *st, int64_t id, const struct log_report *logs, char *err)
{
    return save_problem_rows(st, id, T_LOG_PROBLEMS, logs->problems, logs->n_problems, LOGS_WHAT,
                             err);
}

#define CORRELATIONS_WHAT "cannot store the scan's correlations"

static int save_correlations(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    struct writer cs = {0}, es = {0};
    int rc = -1;
    if (writer_open(st, &cs, T_CORRELATIONS, err) != 0 ||
        writer_open(st, &es, T_CORRELATION_ENTRIES, err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_correlations; i++) {
        const struct correlation *c = &scan->correlations[i];
        put_id(&cs, id);
        put_count(&cs, i);
        put_count(&cs, c->finding);
        put_str(&cs, c->class_name);
        put_count(&cs, c->view);
        put_index(&cs, c->winner);
        put_int(&cs, c->winner_undefined);
        put_int(&cs, c->copies_differ);
        put_str(&cs, c->text);
        if (writer_step(&cs, CORRELATIONS_WHAT, err) != 0 ||
            save_children(&es, id, (int64_t)i, "holders", c->entries, NULL, c->n_entries,
                          CORRELATIONS_WHAT, err) != 0 ||
            save_children(&es, id, (int64_t)i, "package", c->package_entries, NULL,
                          c->n_package_entries, CORRELATIONS_WHAT, err) != 0)
            goto out;
    }
    rc = 0;
out:
    writer_close(&cs);
    writer_close(&es);
    return rc;
}

/* The log report and its correlations. A scan without logs writes no row at
 * all, which is also how it loads back as logs == NULL. */
static int save_logs(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    const struct log_report *logs = scan->logs;
    if (!logs)
        return 0;
    struct writer w;
    if (writer_open(st, &w, T_LOG_REPORTS, err) != 0)
        return -1;
    put_id(&w, id);
    put_count(&w, logs->dropped_findings);
    int rc = writer_step(&w, LOGS_WHAT, err);
    writer_close(&w);
    if (rc != 0 || save_log_files(st, id, logs, err) != 0 ||
        save_log_findings(st, id, logs, err) != 0 || save_log_problems(st, id, logs, err) != 0 ||
        save_correlations(st, id, scan, err) != 0)
        return -1;
    return 0;
}

#define DISCOVERY_WHAT "cannot store the scan's discovery"

static int save_services(struct store *st, int64_t id, const struct discovery *d, char *err)
{
    struct writer ss = {0}, ts = {0}, vs = {0};
    int rc = -1;
    if (writer_open(st, &ss, T_SERVICES, err) != 0 ||
        writer_open(st, &ts, T_SERVICE_TEXTS, err) != 0 ||
        writer_open(st, &vs, T_SERVICE_VIEWS, err) != 0)
        goto out;
    for (size_t i = 0; i < d->n_services; i++) {
        const struct service *sv = &d->services[i];
        put_id(&ss, id);
        put_count(&ss, i);
        put_str(&ss, sv->name);
        put_str(&ss, sv->kind);
        put_str(&ss, sv->origin);
        put_index(&ss, sv->pid > 0 ? sv->pid : -1);
        put_str(&ss, sv->command);
        if (writer_step(&ss, DISCOVERY_WHAT, err) != 0 ||
            save_children(&ts, id, (int64_t)i, "evidence", NULL, sv->evidence, sv->n_evidence,
                          DISCOVERY_WHAT, err) != 0 ||
            save_children(&ts, id, (int64_t)i, "logs", NULL, sv->logs, sv->n_logs, DISCOVERY_WHAT,
                          err) != 0 ||
            save_children(&vs, id, (int64_t)i, NULL, sv->views, NULL, sv->n_views, DISCOVERY_WHAT,
                          err) != 0)
            goto out;
    }
    rc = 0;
out:
    writer_close(&ss);
    writer_close(&ts);
    writer_close(&vs);
    return rc;
}

/* How the targets were found. A scan given its targets has no discoveries row,
 * which is how it loads back with discovery == NULL. */
static int save_discovery(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    const struct discovery *d = scan->discovery;
    if (!d)
        return 0;
    struct writer s = {0}, ts = {0};
    int rc = -1;
    if (writer_open(st, &s, T_DISCOVERIES, err) != 0 ||
        writer_open(st, &ts, T_DISCOVERY_TEXTS, err) != 0)
        goto out;
    put_id(&s, id);
    put_str(&s, d->source);
    if (writer_step(&s, DISCOVERY_WHAT, err) != 0 ||
        save_children(&ts, id, -1, "not_found", NULL, d->not_found, d->n_not_found, DISCOVERY_WHAT,
                      err) != 0 ||
        save_children(&ts, id, -1, "notes", NULL, d->notes, d->n_notes, DISCOVERY_WHAT, err) != 0 ||
        save_services(st, id, d, err) != 0)
        goto out;
    rc = 0;
out:
    writer_close(&s);
    writer_close(&ts);
    return rc;
}

#define ENVIRONMENT_WHAT "cannot store the scan's environment"

static int save_environment(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    if (!scan->n_facts && !scan->n_env_findings)
        return 0; /* a scan of version-1 content touches no version-2 table */
    struct writer fs = {0}, es = {0};
    int rc = -1;
    if (writer_open(st, &fs, T_FACTS, err) != 0 || writer_open(st, &es, T_ENV_FINDINGS, err) != 0)
        goto out;
    for (size_t i = 0; i < scan->n_facts; i++) {
        put_id(&fs, id);
        put_count(&fs, i);
        put_str(&fs, scan->facts[i].name);
        put_str(&fs, scan->facts[i].value);
        if (writer_step(&fs, ENVIRONMENT_WHAT, err) != 0)
            goto out;
    }
    for (size_t i = 0; i < scan->n_env_findings; i++) {
        const struct env_finding *f = &scan->env_findings[i];
        put_id(&es, id);
        put_count(&es, i);
        put_str(&es, f->id);
        put_str(&es, severity_name(f->severity));
        put_str(&es, f->title);
        put_str(&es, f->detail);
        put_str(&es, f->subject);
        if (writer_step(&es, ENVIRONMENT_WHAT, err) != 0)
            goto out;
    }
    rc = 0;
out:
    writer_close(&fs);
    writer_close(&es);
    return rc;
}

/* Version 5: each service state as its report JSON (report_state.c renders and reads it). */
static int save_states(struct store *st, int64_t id, const struct scan *scan, char *err)
{
    if (!scan->n_states)
        return 0;
    struct writer w;
    if (writer_open(st, &w, T_SERVICE_STATES, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < scan->n_states && rc == 0; i++) {
        json_t *j = report_state_one_json(&scan->states[i]);
        char *body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        put_id(&w, id);
        put_count(&w, i);
        put_str(&w, scan->states[i].service);
        put_str(&w, run_state_name(scan->states[i].state));
        put_str(&w, body ? body : "{}");
        rc = writer_step(&w, "cannot store the services' state", err);
        free(body);
    }
    writer_close(&w);
    return rc;
}

static int put_translation(struct writer *w, int64_t id, const char *kind, size_t item,
                           const char *title, const char *hint, char *err)
{
    if (!title && !hint)
        return 0;
    put_id(w, id);
    put_str(w, kind);
    put_count(w, item);
    put_str(w, "zh");
    put_str(w, title);
    put_str(w, hint);
    return writer_step(w, "cannot store the Chinese texts", err);
}

/* The Chinese titles and hints of classpath hints and log findings (schema version 7), the
 * titles wrench writes, and the verdict (kind "verdict", for the history list). */
static int save_translations(struct store *st, int64_t id, const struct scan *scan,
                             const struct diagnosis *d, char *err)
{
    if (st->version < 7)
        return 0; /* a test's older schema: no table for them (derived texts, like the diagnosis) */
    struct writer w;
    if (writer_open(st, &w, T_TRANSLATIONS, err) != 0)
        return -1;
    int rc = put_translation(&w, id, "verdict", 0, d->verdict.text_zh, NULL, err);
    for (size_t i = 0; i < scan->n_hints && rc == 0; i++)
        rc = put_translation(&w, id, "hint", i, scan->hints[i].title_zh, scan->hints[i].hint_zh,
                             err);
    for (size_t i = 0; scan->logs && i < scan->logs->n_findings && rc == 0; i++)
        rc = put_translation(&w, id, "log", i, scan->logs->findings[i].title_zh,
                             scan->logs->findings[i].hint_zh, err);
    /* The titles wrench writes in both languages (messages.h); an environment finding's
     * detail goes in the hint column. */
    for (size_t i = 0; i < scan->n_conflicts && rc == 0; i++)
        rc = put_translation(&w, id, "conflict", i, scan->conflicts[i].title_zh, NULL, err);
    for (size_t i = 0; i < scan->n_dups && rc == 0; i++)
        rc = put_translation(&w, id, "duplicate", i, scan->dups[i].title_zh, NULL, err);
    for (size_t i = 0; i < scan->n_correlations && rc == 0; i++)
        rc = put_translation(&w, id, "correlation", i, scan->correlations[i].text_zh, NULL, err);
    for (size_t i = 0; i < scan->n_env_findings && rc == 0; i++)
        rc = put_translation(&w, id, "environment", i, scan->env_findings[i].title_zh,
                             scan->env_findings[i].detail_zh, err);
    for (size_t i = 0; i < scan->n_problems && rc == 0; i++)
        rc = put_translation(&w, id, "problem", i, scan->problems[i].message_zh, NULL, err);
    for (size_t i = 0; i < scan->n_views && rc == 0; i++)
        rc = put_translation(&w, id, "view-note", i, scan->views[i].note_zh, NULL, err);
    for (size_t i = 0; scan->logs && i < scan->logs->n_problems && rc == 0; i++)
        rc = put_translation(&w, id, "log-problem", i, scan->logs->problems[i].message_zh, NULL,
                             err);
    const struct discovery *disc = scan->discovery;
    for (size_t i = 0;
         disc && disc->n_not_found_zh == disc->n_not_found && i < disc->n_not_found && rc == 0; i++)
        rc = put_translation(&w, id, "not-found", i, disc->not_found_zh[i], NULL, err);
    for (size_t i = 0; disc && disc->n_notes_zh == disc->n_notes && i < disc->n_notes && rc == 0;
         i++)
        rc = put_translation(&w, id, "discovery-note", i, disc->notes_zh[i], NULL, err);
    for (size_t i = 0; disc && i < disc->n_services && rc == 0; i++) {
        const struct service *s = &disc->services[i];
        rc = put_translation(&w, id, "service-origin", i, s->origin_zh, NULL, err);
        bool all =
            s->n_evidence_zh == s->n_evidence && s->n_evidence <= STORE_SERVICE_EVIDENCE_ITEMS;
        for (size_t k = 0; all && k < s->n_evidence && rc == 0; k++)
            rc = put_translation(&w, id, "service-evidence", i * STORE_SERVICE_EVIDENCE_ITEMS + k,
                                 s->evidence_zh[k], NULL, err);
    }
    writer_close(&w);
    return rc;
}

/* Version 8: the sighting of each running JVM of the scan replaces the earlier one of its
 * service; the newest STORE_SIGHTINGS_MAX are kept. */
static void iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t < 0 || !gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        buf[0] = '\0';
}

static int save_sightings(struct store *st, const struct scan *scan, char *err)
{
    struct writer w;
    sqlite3_stmt *del = NULL;
    bool any = false;
    for (size_t i = 0; i < scan->n_states; i++)
        any |= scan->states[i].pid && scan->states[i].sighting;
    if (!any)
        return 0;
    if (prepare(st, &del, "DELETE FROM jvm_sightings WHERE identity = ?", err) != 0)
        return -1;
    if (writer_open(st, &w, T_SIGHTINGS, err) != 0) {
        sqlite3_finalize(del);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < scan->n_states && rc == 0; i++) {
        const struct jvm_sighting *g = scan->states[i].sighting;
        if (!scan->states[i].pid || !g || !g->identity)
            continue;
        bind_bytes(del, 1, g->identity);
        rc = step_done(st, del, "cannot store what the scan saw of a JVM", err);
        if (rc != 0)
            break;
        char started[32], seen[32];
        iso_time(g->started, started, sizeof(started));
        iso_time(g->last_seen, seen, sizeof(seen));
        put_str(&w, g->identity);
        put_count(&w, g->pid > 0 ? (uint64_t)g->pid : 0);
        put_str(&w, started[0] ? started : NULL);
        put_str(&w, seen[0] ? seen : "1970-01-01T00:00:00Z");
        put_str(&w, g->cwd);
        put_str(&w, g->error_file);
        put_str(&w, g->heap_dump_path);
        put_str(&w, g->command);
        rc = writer_step(&w, "cannot store what the scan saw of a JVM", err);
    }
    writer_close(&w);
    sqlite3_finalize(del);
    if (rc == 0)
        rc = exec(st,
                  "DELETE FROM jvm_sightings WHERE id NOT IN (SELECT id FROM jvm_sightings "
                  "ORDER BY last_seen DESC, id DESC LIMIT " STORE_SIGHTINGS_MAX_TEXT ")",
                  "cannot forget old JVM sightings", err);
    return rc;
}

/* The id of the newest scan that is not among the newest `keep`: 1 and *cut set, 0 when
 * there is none (nothing to prune), -1 on error. */
static int prune_cut(struct store *st, size_t keep, int64_t *cut, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, "SELECT id FROM scans ORDER BY id DESC LIMIT 1 OFFSET ?", err) != 0)
        return -1;
    bind_count(s, 1, keep);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *cut = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        db_error(st, err, "cannot delete old scans");
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Whether the database has table `name` (a test's older schema lacks the later ones). */
static int has_table(struct store *st, const char *name, bool *has, char *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", err) != 0)
        return -1;
    bind_text(s, 1, name);
    int rc = sqlite3_step(s);
    *has = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        db_error(st, err, "cannot delete old scans");
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* DELETE FROM <child table> WHERE scan_id <= cut: the name is a constant of `tables`. */
static int prune_table(struct store *st, const struct table *t, int64_t cut, char *err)
{
    bool has;
    if (has_table(st, t->name, &has, err) != 0)
        return -1;
    if (!has)
        return 0;
    struct strbuf sb = {0};
    strbuf_printf(&sb, "DELETE FROM %s WHERE scan_id <= ?", t->name);
    char *sql = strbuf_take(&sb);
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, sql, err);
    free(sql);
    if (rc != 0)
        return -1;
    sqlite3_bind_int64(s, 1, cut);
    rc = step_done(st, s, "cannot delete old scans", err);
    sqlite3_finalize(s);
    return rc;
}

/*
 * Delete every scan but the newest `keep` (0: every scan): a range delete on each child table's
 * primary key (scan_id leads it), then the scans rows. With foreign keys on, the scans row alone
 * would do (they cascade), but a cascade or a delete of child rows checked against their
 * parent costs ~10x the plain delete (the big bench classpath: ~500 M instructions, as
 * much as writing the scan). store_save_scan() writes with foreign keys off, so every
 * table that holds a scan's rows must be described in `tables`, as every one the store
 * writes is; children are deleted before their parents all the same.
 */
static int prune(struct store *st, size_t keep, char *err)
{
    int64_t cut;
    int found = prune_cut(st, keep, &cut, err);
    if (found <= 0)
        return found;
    for (size_t i = T_COUNT; i-- > 0;)
        if (tables[i].order && prune_table(st, &tables[i], cut, err) != 0)
            return -1;
    sqlite3_stmt *s = NULL;
    if (prepare(st, &s, "DELETE FROM scans WHERE id <= ?", err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, cut);
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
static int save_diagnosis(struct store *st, int64_t id, const struct diagnosis *d, char *err)
{
    if (st->version < 4)
        return 0; /* a test's older schema: no table for them */
    struct writer s = {0}, is = {0};
    int rc = -1;
    if (writer_open(st, &s, T_FINDINGS, err) != 0 || writer_open(st, &is, T_INCIDENTS, err) != 0)
        goto out;
    rc = 0;
    for (size_t i = 0; i < d->findings.n && rc == 0; i++) {
        const struct finding *f = &d->findings.items[i];
        put_id(&s, id);
        put_count(&s, i);
        put_str(&s, f->id);
        put_str(&s, finding_kind_name(f->kind));
        put_str(&s, severity_name(f->severity));
        put_str(&s, impact_name(f->impact));
        put_str(&s, f->rule);
        put_str(&s, f->title);
        put_str(&s, incident_of_finding(d, i));
        rc = writer_step(&s, FINDINGS_WHAT, err);
    }
    for (size_t i = 0; i < d->incidents.n && rc == 0; i++) {
        const struct incident *inc = &d->incidents.items[i];
        put_id(&is, id);
        put_count(&is, i);
        put_str(&is, inc->id);
        put_str(&is, incident_subject_name(inc->subject));
        put_str(&is, inc->name);
        put_str(&is, impact_name(inc->impact));
        put_str(&is, severity_name(inc->severity));
        put_str(&is, d->findings.items[inc->cause].id);
        put_str(&is, inc->cause_text);
        put_int(&is, in_verdict(d, i));
        rc = writer_step(&is, "cannot store the scan's incidents", err);
    }
out:
    writer_close(&s);
    writer_close(&is);
    return rc;
}

/*
 * The scan's rows and the pruning, in one write transaction. Foreign keys are off for
 * it: every row is written here, each child after its parent, from the descriptions in
 * `tables`, and prune() deletes the old scans' rows from every described table itself.
 * Checking each child row's parent and running a delete per row with keys on cost as
 * much CPU again as writing the rows (issue 11, docs/bench.md); the unit tests check
 * that a saved and pruned database has no orphan (PRAGMA foreign_key_check).
 */
static enum store_status save_scan_in_transaction(struct store *st, const struct scan *scan,
                                                  const struct store_save_options *opt, int64_t *id,
                                                  char *err)
{
    if (exec(st, "BEGIN IMMEDIATE", "cannot store the scan", err) != 0)
        return STORE_FAILED;
    /* The findings, incidents and verdict, built once for the scans row, the translations
     * and the diagnosis tables. */
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    int64_t new_id = 0;
    enum store_status status = STORE_OK;
    /* The old scans go first, keeping keep - 1 besides the new one: the pages they free
     * take its rows, so the file does not grow by a scan's worth of free pages and fewer
     * pages go through the WAL (big bench classpath, --keep 1: 1133 WAL frames and 615
     * pages checkpointed instead of 1861 and 1176). Same outcome, same transaction. */
    if (prune(st, opt->keep - 1, err) != 0 || save_scan_row(st, scan, &d, opt, &new_id, err) != 0 ||
        save_views(st, new_id, scan, err) != 0 || save_digests(st, new_id, scan, err) != 0 ||
        save_duplicates(st, new_id, scan, err) != 0 || save_conflicts(st, new_id, scan, err) != 0 ||
        save_hints(st, new_id, scan, err) != 0 || save_problems(st, new_id, scan, err) != 0 ||
        save_logs(st, new_id, scan, err) != 0 || save_discovery(st, new_id, scan, err) != 0 ||
        save_environment(st, new_id, scan, err) != 0 || save_states(st, new_id, scan, err) != 0 ||
        save_translations(st, new_id, scan, &d, err) != 0 || save_sightings(st, scan, err) != 0 ||
        save_diagnosis(st, new_id, &d, err) != 0 ||
        exec(st, "COMMIT", "cannot store the scan", err) != 0) {
        /* Some errors (a full disk, I/O) already rolled the transaction back. */
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        status = STORE_FAILED;
    } else {
        *id = new_id;
    }
    diagnosis_clear(&d);
    return status;
}

enum store_status store_save_scan(struct store *st, const struct scan *scan,
                                  const struct store_save_options *opt, int64_t *id, char *err)
{
    if (opt->keep < 1) {
        err_set(err, "%s: cannot store the scan: keeping fewer than 1 scan", st->path);
        return STORE_FAILED;
    }
    /* Foreign keys are not enforced while the scan is written (the pragma only takes
     * effect outside a transaction): see save_scan_in_transaction(). The page cache may
     * grow to STORE_SAVE_CACHE_KIB_TEXT KiB for it: with SQLite's 2 MB, a big scan's
     * ~2,000-2,700 dirty pages spilled to the WAL mid-transaction and were read back (big
     * bench classpath into a db of 20 scans: 19,758 reads and writes -> 11,359). */
    if (exec(st, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -" STORE_SAVE_CACHE_KIB_TEXT,
             "cannot store the scan", err) != 0)
        return STORE_FAILED;
    enum store_status status = save_scan_in_transaction(st, scan, opt, id, err);
    /* Back on for what the connection does next. Outside a transaction, as here, setting
     * it cannot fail, and the scan is stored (or not) whatever it returns. */
    sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return status;
}

/* ------------------------------------------------------------------------ */
/* Reading */

/* Reads the columns of one result row in order, noting anything a wrench
 * database cannot hold (a damaged or hand-edited file) instead of trusting it.
 * Each read is also checked against the table's description: a reader that takes
 * a column as another kind than the writer binds it is a bug (`misread`). */
struct row {
    sqlite3_stmt *s;
    int col;
    bool bad;
    const struct table *t;
    int shift;    /* described index = col + shift (< 0: a lead column such as scans.id) */
    bool misread; /* a reader out of step with the description */
};

/* A row of a SELECT built by select_sql(t, lead, ...). */
static struct row row_of(sqlite3_stmt *s, const struct table *t, bool lead)
{
    return (struct row){s, 0, false, t, first_read_column(t) - (lead ? 1 : 0), false};
}

/* Note a read of column `i` as one of `kinds` that its description does not give it. */
static void row_check_kind(struct row *r, int i, unsigned kinds)
{
    int d = i + r->shift;
    enum col_kind k = d < 0 ? COL_ID : d < r->t->n_cols ? r->t->cols[d].kind : COL_ID;
    if (d >= r->t->n_cols || !(kinds & (1u << k))) {
        r->misread = true;
        r->bad = true;
    }
}

#define KIND(k) (1u << (k))
#define INTEGER_KINDS (KIND(COL_ID) | KIND(COL_COUNT) | KIND(COL_INT) | KIND(COL_INDEX))

/* A text column or NULL; new string. */
static char *row_text(struct row *r)
{
    int i = r->col++;
    row_check_kind(r, i, KIND(COL_TEXT));
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
    row_check_kind(r, i, KIND(COL_BYTES));
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
    row_check_kind(r, i, INTEGER_KINDS);
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

/* A row refused: a damaged database, or (misread) a reader out of step with its table's
 * description, which is wrench's bug and said so. */
static void row_failed(const struct store *st, const struct row *r, int64_t id, char *err)
{
    if (r->misread)
        err_set(err, "%s: scan %lld: internal error: the table %s is read as it is not written",
                st->path, (long long)id, r->t->name);
    else
        damaged(st, id, r->t->name, err);
}

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
    free(info->verdict_zh);
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

/* The Chinese verdict of a history row, stored as a translation; left NULL when the scan has
 * none (stored before it was written, or a database not yet at version 7 opened read-only). */
static void read_verdict_zh(struct store *st, struct store_scan_info *info)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT title FROM translations WHERE scan_id = ? AND kind = 'verdict' "
                           "AND item = 0 AND lang = 'zh'",
                           -1, &s, NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return;
    }
    sqlite3_bind_int64(s, 1, info->id);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        const void *text = sqlite3_column_blob(s, 0);
        int len = sqlite3_column_bytes(s, 0);
        info->verdict_zh = xstrndup(text ? text : "", (size_t)len);
    }
    sqlite3_finalize(s);
}

/* The SELECT of history rows: the described columns of scans after its id. New string. */
static char *info_sql(const char *tail)
{
    return select_sql(&tables[T_SCANS], "id", tail);
}

enum store_status store_list_page(struct store *st, int64_t before, size_t limit,
                                  struct store_scan_info **out, size_t *n, bool *more, char *err)
{
    sqlite3_stmt *s = NULL;
    char *sql = info_sql("WHERE id < ? ORDER BY id DESC LIMIT ?");
    int prepared = prepare(st, &s, sql, err);
    free(sql);
    if (prepared != 0)
        return STORE_FAILED;
    sqlite3_bind_int64(s, 1, before);
    /* One row more than asked tells whether older ones remain; LIMIT -1 is no limit. */
    if (limit < (size_t)INT64_MAX)
        sqlite3_bind_int64(s, 2, (int64_t)limit + 1);
    else
        sqlite3_bind_int64(s, 2, -1);
    struct store_scan_info *list = NULL;
    size_t count = 0, cap = 0;
    bool older = false;
    enum store_status status = STORE_FAILED;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == limit) {
            older = true;
            rc = SQLITE_DONE;
            break;
        }
        list = xgrow(list, &cap, count + 1, sizeof(*list));
        struct row r = row_of(s, &tables[T_SCANS], true);
        row_info(&r, &list[count]);
        read_verdict_zh(st, &list[count]);
        count++;
        if (r.bad) {
            row_failed(st, &r, list[count - 1].id, err);
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
    if (more)
        *more = older;
    return STORE_OK;
}

enum store_status store_list(struct store *st, struct store_scan_info **out, size_t *n, char *err)
{
    return store_list_page(st, INT64_MAX, SIZE_MAX, out, n, NULL, err);
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

static int load_rows(struct store *st, int64_t id, enum table_id table, struct scan *scan,
                     row_fn fn, char *err)
{
    const struct table *t = &tables[table];
    sqlite3_stmt *s = NULL;
    char *sql = select_sql(t, NULL, NULL);
    int prepared = prepare(st, &s, sql, err);
    free(sql);
    if (prepared != 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc, status = -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct row r = row_of(s, t, false);
        if (fn(&r, scan) != 0 || r.bad) {
            row_failed(st, &r, id, err);
            goto out;
        }
        if (r.col != sqlite3_column_count(s)) { /* a reader out of step with the description */
            r.misread = true;
            row_failed(st, &r, id, err);
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

/* A child row's list column ("differing" or "sample"...): 0 for `first`, 1 for `second`, -1
 * for any other name (a damaged row). */
static int row_which_list(struct row *r, const char *first, const char *second)
{
    char *list = row_text_nn(r);
    int which = strcmp(list, first) == 0 ? 0 : strcmp(list, second) == 0 ? 1 : -1;
    free(list);
    return which;
}

/* Class names come ordered by list ("differing" before "sample") and position. */
static int load_conflict_class(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_conflicts)
        return -1;
    struct class_conflict *c = &scan->conflicts[i];
    int list = row_which_list(r, "differing", "sample");
    bool differing = list == 0, known = list >= 0;
    char ***names = differing ? &c->differing_classes : &c->sample_classes;
    size_t *n = differing ? &c->n_differing_classes : &c->n_sample_classes;
    if (!known || !row_position_is(r, *n))
        return -1;
    *names = xrealloc(*names, (*n + 1) * sizeof(**names));
    (*names)[(*n)++] = row_text_nn(r);
    return 0;
}

/* Shared class names come ordered by list ("copied" before "identical") and position. */
static int load_conflict_shared(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_conflicts)
        return -1;
    struct class_conflict *c = &scan->conflicts[i];
    int list = row_which_list(r, "identical", "copied");
    bool identical = list == 0;
    if (list < 0)
        return -1;
    if (identical) {
        if (!row_position_is(r, c->n_identical_classes))
            return -1;
        c->identical_classes = xrealloc(c->identical_classes, (c->n_identical_classes + 1) *
                                                                  sizeof(*c->identical_classes));
        c->identical_classes[c->n_identical_classes++] = row_text_nn(r);
        return 0;
    }
    if (!row_position_is(r, c->n_copied_classes))
        return -1;
    c->copied_classes =
        xrealloc(c->copied_classes, (c->n_copied_classes + 1) * sizeof(*c->copied_classes));
    struct conflict_class *cc = &c->copied_classes[c->n_copied_classes++];
    cc->name = row_text_nn(r);
    cc->copies = xcalloc(c->n_entries ? c->n_entries : 1, sizeof(*cc->copies));
    return 0;
}

/* One copy of a copied class, in entry order: every class has one per conflict entry. */
static int load_conflict_copy(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    int64_t k = row_int(r, INT32_MAX, 0);
    int64_t e = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_conflicts)
        return -1;
    struct class_conflict *c = &scan->conflicts[i];
    if ((uint64_t)k >= c->n_copied_classes || (uint64_t)e >= c->n_entries)
        return -1;
    struct conflict_copy *copy = &c->copied_classes[k].copies[e];
    copy->crc_known = row_bool(r);
    copy->crc = (uint32_t)row_int(r, UINT32_MAX, 0);
    copy->size = row_count(r);
    return r->bad ? -1 : 0;
}

static int load_conflict_truncated(struct row *r, struct scan *scan)
{
    int64_t i = row_int(r, INT32_MAX, 0);
    if (r->bad || (uint64_t)i >= scan->n_conflicts)
        return -1;
    scan->conflicts[i].classes_truncated = true;
    return 0;
}

static int load_entry_digest(struct row *r, struct scan *scan)
{
    struct cp_entry *e = row_entry_ref(r, scan);
    char *sha256 = e ? row_text_nn(r) : NULL;
    int rc = sha256 && strlen(sha256) == sizeof(e->sha256) - 1 ? 0 : -1;
    if (rc == 0)
        memcpy(e->sha256, sha256, sizeof(e->sha256));
    free(sha256);
    return rc;
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

/* Slot i of a list's Chinese twin, allocated for all `n` of the list at its first use. */
static char **parallel_slot(char ***list, size_t *count, size_t n, size_t i)
{
    if (!*list) {
        *list = xcalloc(n, sizeof(**list));
        *count = n;
    }
    return &(*list)[i];
}

/* A Chinese title and hint, set on the hint or log finding it names. */
static int load_translation(struct row *r, struct scan *scan)
{
    char *kind = row_text_nn(r);
    int64_t i = row_int(r, INT32_MAX, 0);
    char *lang = row_text_nn(r);
    char **title = NULL, **hint = NULL, *none = NULL;
    if (strcmp(kind, "verdict") == 0 && strcmp(lang, "zh") == 0) {
        free(kind); /* derived again from the scan; read by the history list (verdict_zh) */
        free(lang);
        free(row_bytes(r));
        free(row_bytes(r));
        return r->bad ? -1 : 0;
    }
    if (strcmp(kind, "conflict") == 0 && (uint64_t)i < scan->n_conflicts) {
        title = &scan->conflicts[i].title_zh;
        hint = &none;
    } else if (strcmp(kind, "duplicate") == 0 && (uint64_t)i < scan->n_dups) {
        title = &scan->dups[i].title_zh;
        hint = &none;
    } else if (strcmp(kind, "correlation") == 0 && (uint64_t)i < scan->n_correlations) {
        title = &scan->correlations[i].text_zh;
        hint = &none;
    } else if (strcmp(kind, "environment") == 0 && (uint64_t)i < scan->n_env_findings) {
        title = &scan->env_findings[i].title_zh;
        hint = &scan->env_findings[i].detail_zh;
    } else if (strcmp(kind, "not-found") == 0 && scan->discovery &&
               (uint64_t)i < scan->discovery->n_not_found) {
        title = parallel_slot(&scan->discovery->not_found_zh, &scan->discovery->n_not_found_zh,
                              scan->discovery->n_not_found, (size_t)i);
        hint = &none;
    } else if (strcmp(kind, "discovery-note") == 0 && scan->discovery &&
               (uint64_t)i < scan->discovery->n_notes) {
        title = parallel_slot(&scan->discovery->notes_zh, &scan->discovery->n_notes_zh,
                              scan->discovery->n_notes, (size_t)i);
        hint = &none;
    } else if (strcmp(kind, "service-origin") == 0 && scan->discovery &&
               (uint64_t)i < scan->discovery->n_services) {
        title = &scan->discovery->services[i].origin_zh;
        hint = &none;
    } else if (strcmp(kind, "service-evidence") == 0 && scan->discovery &&
               (uint64_t)i / STORE_SERVICE_EVIDENCE_ITEMS < scan->discovery->n_services &&
               (uint64_t)i % STORE_SERVICE_EVIDENCE_ITEMS <
                   scan->discovery->services[i / STORE_SERVICE_EVIDENCE_ITEMS].n_evidence) {
        struct service *s = &scan->discovery->services[i / STORE_SERVICE_EVIDENCE_ITEMS];
        title = parallel_slot(&s->evidence_zh, &s->n_evidence_zh, s->n_evidence,
                              (size_t)(i % STORE_SERVICE_EVIDENCE_ITEMS));
        hint = &none;
    } else if (strcmp(kind, "problem") == 0 && (uint64_t)i < scan->n_problems) {
        title = &scan->problems[i].message_zh;
        hint = &none;
    } else if (strcmp(kind, "view-note") == 0 && (uint64_t)i < scan->n_views) {
        title = &scan->views[i].note_zh;
        hint = &none;
    } else if (strcmp(kind, "log-problem") == 0 && scan->logs &&
               (uint64_t)i < scan->logs->n_problems) {
        title = &scan->logs->problems[i].message_zh;
        hint = &none;
    } else if (strcmp(kind, "hint") == 0 && (uint64_t)i < scan->n_hints) {
        title = &scan->hints[i].title_zh;
        hint = &scan->hints[i].hint_zh;
    } else if (strcmp(kind, "log") == 0 && scan->logs && (uint64_t)i < scan->logs->n_findings) {
        title = &scan->logs->findings[i].title_zh;
        hint = &scan->logs->findings[i].hint_zh;
    }
    bool ok = title && strcmp(lang, "zh") == 0 && !*title && !*hint;
    free(kind);
    free(lang);
    if (!ok || r->bad)
        return -1;
    *title = row_bytes(r);
    *hint = row_bytes(r);
    free(none); /* a kind with one text has nothing in the second column */
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
    int list = row_which_list(r, "holders", "package");
    if (list < 0)
        return -1;
    if (list == 0)
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
    /* The name and state columns are for SQL queries; the body holds both. */
    free(row_bytes(r));
    free(row_text(r));
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

/* The child tables of a scan in the order they are loaded (parents before children). */
static const struct {
    enum table_id table;
    row_fn fn;
} load_steps[] = {
    {T_VIEWS, load_view},
    {T_ENTRIES, load_entry},
    {T_EMBEDDED, load_embedded},
    {T_DUPLICATES, load_duplicate},
    {T_DUPLICATE_COPIES, load_copy},
    {T_CONFLICTS, load_conflict},
    {T_CONFLICT_ENTRIES, load_conflict_entry},
    {T_CONFLICT_CLASSES, load_conflict_class},
    {T_CONFLICT_SHARED, load_conflict_shared},
    {T_CONFLICT_COPIES, load_conflict_copy},
    {T_CONFLICT_TRUNCATED, load_conflict_truncated},
    {T_ENTRY_DIGESTS, load_entry_digest},
    {T_HINTS, load_hint},
    {T_HINT_ENTRIES, load_hint_entry},
    {T_PROBLEMS, load_problem},
    {T_LOG_REPORTS, load_log_report},
    {T_LOG_FILES, load_log_file},
    {T_LOG_FILE_TAILS, load_log_tail},
    {T_LOG_FINDINGS, load_log_finding},
    {T_LOG_FINDING_FACTS, load_log_finding_fact},
    {T_LOG_FINDING_LOCATIONS, load_log_finding_location},
    {T_LOG_PROBLEMS, load_log_problem},
    {T_CORRELATIONS, load_correlation},
    {T_CORRELATION_ENTRIES, load_correlation_entry},
    {T_DISCOVERIES, load_discovery},
    {T_DISCOVERY_TEXTS, load_discovery_text},
    {T_SERVICES, load_service},
    {T_SERVICE_TEXTS, load_service_text},
    {T_SERVICE_VIEWS, load_service_view},
    {T_FACTS, load_fact},
    {T_ENV_FINDINGS, load_env_finding},
    {T_SERVICE_STATES, load_state},
    {T_TRANSLATIONS, load_translation},
};

enum store_status store_info(struct store *st, int64_t id, struct store_scan_info *info, char *err)
{
    sqlite3_stmt *s = NULL;
    char *sql = info_sql("WHERE id = ?");
    int prepared = prepare(st, &s, sql, err);
    free(sql);
    if (prepared != 0)
        return STORE_FAILED;
    sqlite3_bind_int64(s, 1, id);
    enum store_status status = STORE_FAILED;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        struct row r = row_of(s, &tables[T_SCANS], true);
        row_info(&r, info);
        read_verdict_zh(st, info);
        if (r.bad) {
            store_scan_info_clear(info);
            row_failed(st, &r, id, err);
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
    enum store_status status = store_info(st, id, &row, err);
    if (status != STORE_OK)
        goto out;
    scan = scan_new();
    memcpy(scan->started, row.started, sizeof(scan->started));
    memcpy(scan->finished, row.finished, sizeof(scan->finished));
    scan->duration_ms = row.duration_ms;
    scan->host = row.host ? xstrdup(row.host) : NULL;
    for (size_t i = 0; i < sizeof(load_steps) / sizeof(load_steps[0]); i++) {
        if (load_rows(st, id, load_steps[i].table, scan, load_steps[i].fn, err) != 0) {
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

/* ------------------------------------------------------------------------ */
/* JVM sightings (version 8) */

static int64_t iso_seconds(const char *iso)
{
    struct tm tm = {0};
    const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    return end ? (int64_t)timegm(&tm) : -1;
}

enum store_status store_load_sightings(struct store *st, struct jvm_sighting **out, size_t *n,
                                       char *err)
{
    const struct table *t = &tables[T_SIGHTINGS];
    if (st->version < 8) { /* opened by an older schema's steps (tests): none kept */
        *out = NULL;
        *n = 0;
        return STORE_OK;
    }
    sqlite3_stmt *s = NULL;
    char *sql =
        select_sql(t, NULL, "ORDER BY last_seen DESC, id DESC LIMIT " STORE_SIGHTINGS_MAX_TEXT);
    int prepared = prepare(st, &s, sql, err);
    free(sql);
    if (prepared != 0)
        return STORE_FAILED;
    struct jvm_sighting *list = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct row r = row_of(s, t, false);
        struct jvm_sighting g = {0};
        g.identity = row_bytes_nn(&r);
        g.pid = (int)row_int(&r, INT32_MAX, 0);
        char *started = row_text(&r), *seen = row_text_nn(&r);
        g.started = iso_seconds(started);
        g.last_seen = iso_seconds(seen);
        free(started);
        free(seen);
        g.cwd = row_bytes(&r);
        g.error_file = row_bytes(&r);
        g.heap_dump_path = row_bytes(&r);
        g.command = row_bytes(&r);
        if (r.bad) { /* a damaged row is skipped: a sighting is a hint, not the scan */
            jvm_sighting_clear(&g);
            continue;
        }
        list = xgrow(list, &cap, count + 1, sizeof(*list));
        list[count++] = g;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        jvm_sightings_free(list, count);
        db_error(st, err, "cannot read the JVM sightings");
        return STORE_FAILED;
    }
    *out = list;
    *n = count;
    return STORE_OK;
}
