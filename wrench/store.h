/*
 * store.h - the report store: every scan kept in an SQLite database, one row
 * per scan plus tables for its views, entries and findings (docs/store.md),
 * with schema versioning, retention and the queries behind `wrench history`,
 * `show` and `diff`. This is the only module that speaks SQL: callers hand in
 * and get back a struct scan, so one renderer serves scans and stored scans.
 *
 * Every function that can fail returns a status and writes a message naming
 * the database file into `err` (WR_ERR_MAX bytes); out-params are written only
 * on success. The database is never modified when it is refused (not a wrench
 * database, corrupt, or written by a newer wrench).
 */
#ifndef WRENCH_STORE_H
#define WRENCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define STORE_SCHEMA_VERSION 8          /* PRAGMA user_version this wrench writes */
#define STORE_SIGHTINGS_MAX_TEXT "1000" /* JVM sightings kept, the newest */
#define STORE_DEFAULT_KEEP 100          /* scans kept when --keep is not given */
#define STORE_MAX_KEEP 1000000          /* largest --keep accepted */
#define STORE_BUSY_TIMEOUT_MS 5000      /* how long to wait for another writer */
#define STORE_SYSTEM_PATH "/var/lib/wrench/wrench.db"
#define STORE_ENV_PATH "WRENCH_DB"

enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND = 1, /* no such database file, scan, or earlier scan */
    STORE_FAILED = -1,   /* message in err */
};

/* How a stored scan ended; see docs/store.md. */
#define STORE_SCAN_COMPLETE "complete" /* the report was rendered and written */
#define STORE_SCAN_FAILED "failed"     /* the report was rendered but the command failed */

/* An open database; opaque. */
struct store;

/* One migration step: `sql` brings a database from version - 1 to `version` and
 * sets PRAGMA user_version itself; it runs in one transaction. */
struct store_migration {
    int version;
    const char *sql;
};

/* One row of the history: a scan without its views and findings. */
struct store_scan_info {
    int64_t id;
    char started[32];
    char finished[32];
    uint64_t duration_ms;
    char *host;    /* may be NULL */
    char *targets; /* the views' kinds and targets, e.g. "classpath lib/a.jar:lib/b.jar" */
    char *status;  /* STORE_SCAN_COMPLETE or STORE_SCAN_FAILED */
    size_t counts[SEV_COUNT];
    size_t views;
    size_t entries;
    size_t classes;
    char *verdict;
    char *verdict_zh; /* the verdict in Simplified Chinese; NULL for scans stored without it */
    char *wrench_version;
    int report_schema;
    char *rules_version;
};

/* What store_save_scan() records besides the scan itself. */
struct store_save_options {
    const char *status;        /* STORE_SCAN_COMPLETE or STORE_SCAN_FAILED */
    const char *rules_version; /* the rule set the scan used (scan->rules_version) */
    size_t keep;               /* scans kept after this one is added, >= 1 */
};

/*
 * The database path to use: `option` (--db) when non-NULL, else $WRENCH_DB
 * when set and non-empty, else store_default_path(). New string.
 */
char *store_resolve_path(const char *option);

/*
 * The default database: STORE_SYSTEM_PATH when it is (or can be made)
 * readable and writable, else $XDG_STATE_HOME/wrench/wrench.db, else
 * $HOME/.local/state/wrench/wrench.db. New string.
 */
char *store_default_path(void);

/* store_default_path() with its inputs given, for tests; xdg_state_home and home may be NULL. */
char *store_pick_default_path(const char *system_path, const char *xdg_state_home,
                              const char *home);

/*
 * Open the database at `path`. With `create`, a missing file (and its missing
 * directories) is created; without it, a missing file is STORE_NOT_FOUND. The
 * schema is created or migrated forward to STORE_SCHEMA_VERSION. Refused
 * (STORE_FAILED, file untouched): not an SQLite file, an SQLite file that is
 * not a wrench database, a database from a newer wrench. A store is used by one
 * thread at a time (each caller opens its own; SQLite's per-connection mutex is off).
 */
enum store_status store_open(struct store **out, const char *path, bool create, char *err);

/* store_open() with another list of migrations (ascending versions), for tests. */
enum store_status store_open_with(struct store **out, const char *path, bool create,
                                  const struct store_migration *steps, size_t n_steps, char *err);

/* The migration steps store_open() applies (versions 1 to STORE_SCHEMA_VERSION), for
 * tests that build an older database with a prefix of them. Static; *n gets the count. */
const struct store_migration *store_schema_steps(size_t *n);

/* Close and free; NULL is a no-op. */
void store_close(struct store *st);

/* The file the store was opened from (borrowed). */
const char *store_path(const struct store *st);

/*
 * Save `scan` as a new scan in one transaction, then delete all but the newest
 * opt->keep scans in the same transaction. On any failure nothing is stored.
 * *id receives the new scan's id. Its log report, correlations, discovery, facts
 * and environment findings go to the version-2 tables, which a scan without any
 * of them does not touch.
 */
enum store_status store_save_scan(struct store *st, const struct scan *scan,
                                  const struct store_save_options *opt, int64_t *id, char *err);

/*
 * The history, newest first: *out is a new array of *n infos (free with
 * store_scan_infos_free). An empty database gives n = 0.
 */
enum store_status store_list(struct store *st, struct store_scan_info **out, size_t *n, char *err);
void store_scan_infos_free(struct store_scan_info *infos, size_t n);

/*
 * One page of the history, newest first, read with LIMIT in SQL: at most `limit` scans
 * whose id is below `before` (INT64_MAX: from the newest). *more (may be NULL) says
 * whether older scans remain. Free *out with store_scan_infos_free.
 */
enum store_status store_list_page(struct store *st, int64_t before, size_t limit,
                                  struct store_scan_info **out, size_t *n, bool *more, char *err);

/* The history row of scan `id` alone (not its views or findings); STORE_NOT_FOUND when
 * there is no such scan. Release with store_scan_info_clear. */
enum store_status store_info(struct store *st, int64_t id, struct store_scan_info *info, char *err);
/* Release what an info owns (not the struct itself). */
void store_scan_info_clear(struct store_scan_info *info);

/* The newest scan's id; STORE_NOT_FOUND when the database holds none. */
enum store_status store_latest(struct store *st, int64_t *id, char *err);

/* The newest scan older than `id` with the same targets; STORE_NOT_FOUND when none
 * (or when `id` itself does not exist). */
enum store_status store_previous(struct store *st, int64_t id, int64_t *prev, char *err);

/*
 * Rebuild scan `id` from the tables: *out is a new struct scan (free with
 * scan_free) whose reports equal the ones rendered when it was saved. `info`
 * (may be NULL) receives its history row. STORE_NOT_FOUND when there is no such
 * scan; STORE_FAILED when the rows are inconsistent (a damaged database).
 * The class index and watched resources are not stored: views have none. A scan
 * saved without logs loads with logs == NULL; one whose logs held nothing loads
 * with an empty log report. Likewise discovery is NULL exactly when it was.
 */
enum store_status store_load_scan(struct store *st, int64_t id, struct scan **out,
                                  struct store_scan_info *info, char *err);

struct jvm_sighting; /* svcstate.h */

/*
 * What earlier scans saw of each running JVM, one per service identity (the newest
 * STORE_SIGHTINGS_MAX_TEXT), newest first: *out is a new array (jvm_sightings_free). A
 * database of an older schema gives none. store_save_scan() records the sightings of the
 * scan's running JVMs (scan->states[].sighting).
 */
enum store_status store_load_sightings(struct store *st, struct jvm_sighting **out, size_t *n,
                                       char *err);

/* For tests: the tables the store writes, and for table `i` (< store_table_count()) its
 * name, the values its writer binds per row, the columns its reader reads, and the INSERT
 * and SELECT built from its description (new strings). */
size_t store_table_count(void);
void store_table_sql(size_t i, const char **name, int *n_values, int *n_read, char **insert,
                     char **select);

#endif
