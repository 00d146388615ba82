/*
 * model.h - the plain in-memory structs a scan produces. Discovery fills the
 * classpath views, the reader fills each entry's identity and counts, the
 * analysis adds duplicates, conflicts and hints, and the report writers, the
 * store and the web server only read them. Nothing here knows of JSON, SQLite,
 * HTTP or the terminal.
 *
 * Ownership: a struct scan owns everything reachable from it; scan_free()
 * releases it all. Arrays are (pointer, count) pairs grown with xgrow().
 */
#ifndef WRENCH_MODEL_H
#define WRENCH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WR_SCHEMA_VERSION 4
#define WR_VERSION "0.1.0"

enum severity {
    SEV_INFO,
    SEV_WARNING,
    SEV_ERROR,
    SEV_CRITICAL,
};
#define SEV_COUNT 4

const char *severity_name(enum severity sev);
/* Parse "info", "warning", "error" or "critical"; -1 when unknown. */
int severity_parse(const char *name, enum severity *out);

/* Where a classpath entry's bytes live. */
enum entry_kind {
    ENTRY_JAR,         /* a jar file on disk */
    ENTRY_DIR,         /* a directory of classes on disk */
    ENTRY_NESTED_JAR,  /* a jar inside an archive (BOOT-INF/lib, WEB-INF/lib of a war) */
    ENTRY_ARCHIVE_DIR, /* a folder inside an archive (BOOT-INF/classes, WEB-INF/classes) */
};
const char *entry_kind_name(enum entry_kind kind);

enum entry_status {
    STATUS_OK,
    STATUS_MISSING,      /* listed but not there */
    STATUS_UNREADABLE,   /* there but wrench may not read it */
    STATUS_CORRUPT,      /* not a zip, truncated, or a central directory that lies */
    STATUS_TOO_LARGE,    /* over a cap (nested jar size, entry count); partially read */
    STATUS_LISTED_TWICE, /* the same file as an earlier entry; not read again */
};
const char *entry_status_name(enum entry_status status);

/* How an artifact identity was found. */
enum evidence {
    EVIDENCE_NONE,
    EVIDENCE_POM,      /* META-INF/maven/<g>/<a>/pom.properties */
    EVIDENCE_MANIFEST, /* MANIFEST.MF attributes */
    EVIDENCE_FILENAME, /* parsed from the file name */
};
const char *evidence_name(enum evidence ev);

struct artifact {
    char *group;   /* NULL when unknown */
    char *name;    /* artifactId, symbolic name or file-name stem; NULL when none */
    char *version; /* NULL when unknown */
    enum evidence evidence;
    char *source; /* the entry or attribute the identity came from */
};

/* One element of a classpath, in loader order. */
struct cp_entry {
    char *path;      /* display path: a file, or "outer.jar!/BOOT-INF/lib/x.jar" */
    char *real_path; /* resolved identity used to detect the same file twice */
    char *listed_as; /* the text the classpath named it by (before expansion/resolution) */
    char *origin;    /* how it got on the classpath, e.g. "Class-Path of app.jar" */
    char *archive;   /* NESTED_JAR, ARCHIVE_DIR: the outer archive's file path */
    char *inner;     /* NESTED_JAR: entry name; ARCHIVE_DIR: folder prefix ending in '/' */
    enum entry_kind kind;
    enum entry_status status;
    char *problem;      /* why status is not OK; NULL when OK */
    int duplicate_of;   /* with STATUS_LISTED_TWICE: index of the first entry, else -1 */
    int via;            /* the entry whose manifest Class-Path named this one, else -1 */
    bool parent_loader; /* served by a parent loader (Tomcat's common loader) of a webapp */

    /* Loader order: entries sharing an unordered group (a dir wildcard,
     * WEB-INF/lib) have no defined order among themselves. */
    int order_group;
    bool order_defined;

    struct artifact artifact;  /* the jar's own identity */
    struct artifact *embedded; /* shaded/embedded artifacts found inside */
    size_t n_embedded;
    size_t embedded_cap;

    size_t class_count; /* distinct classes this entry provides */
    size_t entry_count; /* zip entries (or files, for a directory) */
    bool multi_release;
    char *main_class;             /* manifest Main-Class, when any */
    size_t duplicate_zip_entries; /* names the archive holds more than once */
    size_t bad_entry_names;       /* names skipped as hostile (.., NUL, absolute) */
    char sha256[65];              /* hex SHA-256 of the jar's bytes; "" unless digest_scan() */
};

/* A watched resource (rules/classpath-hints.json) that an entry holds. */
struct resource_hit {
    char *name;
    size_t entry;
};

/* One classpath as one class loader sees it. */
struct cp_view {
    char *name;        /* e.g. "classpath", "app.jar", "webapp ROOT" */
    char *target_kind; /* "classpath", "jar", "boot-jar", "war", "dir" */
    char *target;      /* what the user named */
    char *note;        /* e.g. why the order is undefined; NULL when none */
    char *note_zh;     /* the same in Chinese (messages.h); NULL when none */
    struct cp_entry *entries;
    size_t n_entries;
    size_t entries_cap;
    bool follow_class_path;    /* the loader honours manifest Class-Path (app class loader) */
    bool is_webapp;            /* a war or exploded webapp: webapp-scoped hints apply */
    int next_group;            /* next unused order_group number */
    struct class_index *index; /* built by the reader; owned */
    struct resource_hit *resources;
    size_t n_resources;
    size_t resources_cap;
};

/* One library present more than once in a view. */
struct dup_artifact {
    size_t view;
    char *key;      /* "group:name" or "name" */
    char *title;    /* one sentence for people */
    char *title_zh; /* the same in Simplified Chinese (messages.h) */
    enum severity severity;
    bool versions_differ;
    size_t *entries; /* indexes into the view's entries */
    char **versions; /* parallel to entries: the version each holds (may be NULL) */
    bool *shaded;    /* parallel: true when the copy is embedded in another jar */
    size_t n;
    size_t cap;
};

/* Classes that one set of jars all provide. */
/* One copy of a class in a conflict: its CRC-32 and size in one of the conflict's entries. */
struct conflict_copy {
    uint32_t crc;
    uint64_t size;
    bool crc_known; /* false when the copy could not be read */
};

/* A shared class whose copies are not all identical, with one copy per conflict entry (in the
 * order of `entries`: every shared class is in all of them). */
struct conflict_class {
    char *name; /* dotted */
    struct conflict_copy *copies;
};

/* The most class names listed (identical + copied) over all conflicts of one scan: beyond it a
 * conflict keeps its counts and sets classes_truncated. */
#define CONFLICT_MAX_LISTED_CLASSES 100000

struct class_conflict {
    size_t view;
    char *title;     /* one sentence for people */
    char *title_zh;  /* the same in Simplified Chinese (messages.h) */
    size_t *entries; /* the set of entries, in loader order */
    size_t n_entries;
    size_t shared;    /* classes present in all of them */
    size_t identical; /* copies with equal CRC-32 and size */
    size_t differing;
    size_t unknown; /* a copy whose CRC could not be read */
    int winner;     /* entry index whose copy loads, -1 when the order is undefined */
    bool winner_undefined;
    enum severity severity;
    char **differing_classes; /* sorted, all of them */
    size_t n_differing_classes;
    char **sample_classes; /* up to a few shared class names, sorted */
    size_t n_sample_classes;
    char **identical_classes; /* every shared class with identical copies, sorted */
    size_t n_identical_classes;
    struct conflict_class *copied_classes; /* every differing or unreadable one, sorted */
    size_t n_copied_classes;
    bool classes_truncated; /* the scan's CONFLICT_MAX_LISTED_CLASSES was reached */
    /* A stale copy: the winner's copies of `twin_classes` differing classes are byte-identical
     * to those of entry `twin` (WEB-INF/classes holding an old library's classes, a shaded
     * copy), so the winner carries that entry's version. */
    bool has_twin;
    size_t twin;
    size_t twin_classes;
    /* When set (analysis.c), every class name above points into `name_block` and every
     * copies array into `copy_block`: one allocation each instead of one per class. Else each
     * name and copies array is its own allocation. */
    char *name_block;
    struct conflict_copy *copy_block;
};

/* A known troublesome combination, from rules/classpath-hints.json. */
struct hint_finding {
    size_t view;
    char *id;
    enum severity severity;
    char *title;
    char *hint;
    char *title_zh; /* Simplified Chinese title and hint when the hint has them; else NULL */
    char *hint_zh;
    size_t *entries; /* the entries that triggered it */
    size_t n_entries;
};

/* Something that went wrong reading input; the scan went on. */
struct problem {
    enum severity severity;
    char *path;    /* the file concerned */
    char *message; /* what is wrong with it */
    /* The same in Chinese (messages.h): wrench's words translated, names and the error texts
     * it quotes (libzip's, the system's) as they are; NULL where it has none. */
    char *message_zh;
};

/* What the classpath holds for a class that a log finding names (NoSuchMethodError...). */
struct correlation {
    size_t finding;   /* index into scan->logs->findings */
    char *class_name; /* dotted */
    size_t view;
    size_t *entries; /* the entries holding the class, in loader order; none when absent */
    size_t n_entries;
    int winner; /* entry whose copy loads; -1 when absent or the order is undefined */
    bool winner_undefined;
    bool copies_differ;
    bool has_twin; /* the winner's copy is byte-identical to entry `twin`'s (a stale copy) */
    size_t twin;
    size_t *package_entries; /* when no entry holds the class: entries holding its package */
    size_t n_package_entries;
    char *text;    /* one sentence for people */
    char *text_zh; /* the same in Simplified Chinese (messages.h) */
};

struct log_report; /* logmodel.h */

/* A Java service wrench found by itself (no target given): a running JVM, or one that the
 * services file, the environment or a conventional place names. */
struct service {
    char *name;
    char *kind;      /* "tomcat", "spring-boot", "jar", "classpath", "war" */
    char *origin;    /* how it was found: "running process", "config FILE", "conventional place" */
    char *origin_zh; /* the same in Chinese (messages.h); NULL when wrench has none */
    int pid;         /* 0 when no process runs it */
    char *command;   /* the JVM's arguments, secrets masked; NULL when not running */
    char *identity;  /* what names it across scans, for the store's JVM sightings (svcstate.h):
                      * "runit DIR", "tomcat BASE", "jar PATH", "main CLASS"; NULL when none */
    char **evidence;
    size_t n_evidence, evidence_cap;
    char **evidence_zh; /* the same in Chinese, one for each (the English one where wrench has
                         * none: a JVM command line's notes); none in scans stored before it */
    size_t n_evidence_zh, evidence_zh_cap;
    size_t *views; /* the views of its class loaders */
    size_t n_views, views_cap;
    char **logs; /* the log files found for it */
    size_t n_logs, logs_cap;
};

/* A fact about the container or a service's JVM, for people and the platform. */
struct fact {
    char *name;  /* e.g. "memory limit", "JVM max heap (pid 42)" */
    char *value; /* e.g. "512 MiB" */
};

/* Free an array of facts and every string in it. */
void facts_free(struct fact *facts, size_t n);
/* The value of the first fact named `name` in `facts`; NULL when there is none. */
const char *facts_get(const struct fact *facts, size_t n, const char *name);
/* Append fact `name` = `value` (both copied), even when one of that name is there. */
void facts_append(struct fact **facts, size_t *n, size_t *cap, const char *name, const char *value);
/* Set fact `name` to a copy of `value`: the first of that name replaced, else appended. */
void facts_set(struct fact **facts, size_t *n, size_t *cap, const char *name, const char *value);

/* A finding about the environment (memory limit against the heap, OOM kills, file limits). */
struct env_finding {
    enum severity severity;
    char *id; /* "memory-heap-exceeds-limit"; "service-down", "service-crashed" and
               * "service-hung" (svcstate.c) say a service is not up */
    char *title;
    char *detail;
    char *title_zh; /* title and detail in Simplified Chinese; NULL when wrench has none */
    char *detail_zh;
    char *subject; /* what it is about when not the container: the service's name; NULL */
};

/* What discovery found and how; NULL in a scan given explicit targets. */
struct discovery {
    char *source; /* "processes", "config", "environment", "conventional places" */
    struct service *services;
    size_t n_services, services_cap;
    char **not_found; /* places looked at in vain */
    size_t n_not_found, not_found_cap;
    char **notes;
    size_t n_notes, notes_cap;
    /* The same in Chinese (messages.h), one for each (the English one where wrench has no
     * Chinese for it: a process list's error); none in scans stored before them. */
    char **not_found_zh;
    size_t n_not_found_zh, not_found_zh_cap;
    char **notes_zh;
    size_t n_notes_zh, notes_zh_cap;
};

struct accept_set; /* accept.h */

struct scan {
    char started[32];
    char finished[32];
    uint64_t duration_ms;
    char *host;
    char *rules_version; /* rules_version() of the rule set the scan loaded; NULL when none
                            (pipeline_rules_version gives the embedded rules' then) */
    struct cp_view *views;
    size_t n_views;
    size_t views_cap;
    struct dup_artifact *dups;
    size_t n_dups;
    size_t dups_cap;
    struct class_conflict *conflicts;
    size_t n_conflicts;
    size_t conflicts_cap;
    struct hint_finding *hints;
    size_t n_hints;
    size_t hints_cap;
    struct problem *problems;
    size_t n_problems;
    size_t problems_cap;
    struct log_report *logs;     /* NULL when no log was asked for */
    struct discovery *discovery; /* NULL when targets were given */
    struct fact *facts;          /* container and JVM facts (discovery only) */
    size_t n_facts, facts_cap;
    struct env_finding *env_findings;
    size_t n_env_findings, env_findings_cap;
    struct correlation *correlations;
    size_t n_correlations;
    size_t correlations_cap;
    /* Service state (svcstate.h): one per discovered service; NULL without discovery. */
    struct service_state *states;
    size_t n_states, states_cap;
    /* Accepted findings and the baseline (accept.h): borrowed, never freed by scan_free;
     * NULL when none. Set by the command before the scan is rendered. */
    const struct accept_set *accept;
};

struct scan *scan_new(void);
void scan_free(struct scan *scan);

/* Append a new zeroed view / entry; the returned pointer is valid until the next add. */
struct cp_view *scan_add_view(struct scan *scan, const char *name, const char *target_kind,
                              const char *target);
/* Append an entry in its own order group; `path` is copied. */
struct cp_entry *view_add_entry(struct cp_view *view, const char *path, enum entry_kind kind);
/* Insert an entry at position `at` (later entries shift), for Class-Path expansion. */
struct cp_entry *view_insert_entry(struct cp_view *view, size_t at, const char *path,
                                   enum entry_kind kind);
/* Remove and free the entry at `at` (later entries shift); only before reading. */
void view_remove_entry(struct cp_view *view, size_t at);
/* Move the entry at `from` to position `to` (to < from), shifting those between. */
void view_move_entry(struct cp_view *view, size_t from, size_t to);
/* A fresh order group number for a set of entries whose relative order is undefined. */
int view_new_group(struct cp_view *view);
/* Record a fact / an environment finding; copies the strings. */
void scan_add_fact(struct scan *scan, const char *name, const char *value);
struct env_finding *scan_add_env_finding(struct scan *scan, enum severity sev, const char *id,
                                         const char *title, const char *detail);
/* Set the finding's Simplified Chinese title and detail (copies; NULL: none). */
void env_finding_set_zh(struct env_finding *f, const char *title_zh, const char *detail_zh);
void discovery_free(struct discovery *d);

/* Record a problem; copies both strings. */
void scan_add_problem(struct scan *scan, enum severity sev, const char *path, const char *message);
/* The same with the message in Chinese too (NULL: none). */
void scan_add_problem_zh(struct scan *scan, enum severity sev, const char *path,
                         const char *message, const char *message_zh);

/* A short name for titles: the jar's file name, or "app.jar!/BOOT-INF/classes" for a
 * folder inside an archive. New string. */
char *cp_entry_short_name(const struct cp_entry *e);

void artifact_clear(struct artifact *a);
void artifact_copy(struct artifact *dst, const struct artifact *src);

/* Counts of findings by severity, over duplicates, conflicts, hints, problems, logs and the
 * environment. */
void scan_count_severities(const struct scan *scan, size_t counts[SEV_COUNT]);
/* Classpath entries and indexed classes over all views. */
void scan_totals(const struct scan *scan, size_t *entries, size_t *classes);

/* The highest severity of any finding; -1 when there is none. */
int scan_max_severity(const struct scan *scan);

#endif
