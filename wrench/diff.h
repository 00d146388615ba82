/*
 * diff.h - what changed between two scans of a service: findings that are new
 * or resolved, and jars added, removed or changed in version. Pure model code
 * (no SQLite, no JSON): `wrench diff` loads two stored scans and renders this.
 *
 * Findings are those of the one finding list (finding.h), matched by their key, the
 * readable text their stable id hashes, built from names, never from entry indexes (which
 * shift whenever a jar is added):
 *   duplicate  view name + artifact key ("com.google.guava:guava")
 *   conflict   view name + the sorted artifact keys of its entries
 *   hint       view name + hint id
 *   problem    path + message (problems reading jars and reading logs alike)
 *   log        rule id + signature ("classloading.no-such-method: java.lang...")
 *   environment the finding's id ("memory-heap-exceeds-limit")
 * A view's name is suffixed "#2", "#3"... when a scan has several views of
 * that name, and an identity that occurs several times in one scan is matched
 * occurrence by occurrence.
 */
#ifndef WRENCH_DIFF_H
#define WRENCH_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

enum diff_kind {
    DIFF_CONFLICT,
    DIFF_DUPLICATE,
    DIFF_HINT,
    DIFF_PROBLEM,
    DIFF_LOG,         /* a log finding: a group of log events of one rule and signature */
    DIFF_ENVIRONMENT, /* a finding about the container or the JVM's limits */
};
/* "conflict", "duplicate", "hint", "problem", "log", "environment". */
const char *diff_kind_name(enum diff_kind kind);

/* A finding present in only one of the two scans. */
struct diff_finding {
    enum diff_kind kind;
    enum severity severity;
    char *view;     /* the view's name (see above); NULL for problems, log and environment
                     * findings */
    char *identity; /* what it was matched by, e.g. "classpath: guava + guava" */
    char *id;       /* the finding's stable id (finding.h) */
    char *title;    /* the finding's title; for a problem, its message */
    char *title_zh; /* the same in Chinese (finding.h's *_zh); NULL: the English one stands */
    char *path;     /* problems: the file concerned; log findings: the log file of its
                     * first event (may be NULL); else NULL */
};

/* How a jar that is in both scans changed. */
enum diff_jar_change {
    JAR_NEW_VERSION, /* the same library in another version: in place or under a new name */
    JAR_MOVED,       /* the same library and version under another path */
    JAR_REPLACED,    /* another library at the same path */
};
/* "version", "moved", "replaced". */
const char *diff_jar_change_name(enum diff_jar_change change);

/* One classpath entry added, removed or changed. Entries are matched by their path in the
 * view (a nested jar by its name in the archive, so that a renamed fat jar changes nothing),
 * then what is left over by library: acme-util-1.0.jar replaced by acme-util-2.0.jar is one
 * library in a new version, not a removal and an addition. */
struct diff_jar {
    char *view;
    char *key;                   /* the newer library's key (diff_entry_key), else the older's */
    enum diff_jar_change change; /* jars_changed only */
    char *from_path;             /* NULL when added */
    char *from_version;          /* NULL when added or unknown */
    char *to_path;               /* NULL when removed */
    char *to_version;            /* NULL when removed or unknown */
};

struct scan_diff {
    struct diff_finding *new_findings; /* in the newer scan only, most severe first */
    size_t n_new;
    struct diff_finding *resolved; /* in the older scan only, most severe first */
    size_t n_resolved;
    struct diff_jar *jars_added; /* each list sorted by view, key, path */
    size_t n_jars_added;
    struct diff_jar *jars_removed;
    size_t n_jars_removed;
    struct diff_jar *jars_changed;
    size_t n_jars_changed;
};

/* Compare `older` with `newer`; a new struct (free with diff_free). Never fails. */
struct scan_diff *diff_scans(const struct scan *older, const struct scan *newer);
void diff_free(struct scan_diff *d);

/* True when the two scans show no difference at all. */
bool diff_is_empty(const struct scan_diff *d);

/* The identity key of an entry's library: "group:name", "name", or the last
 * component of its path when it is unidentified. New string. */
char *diff_entry_key(const struct cp_entry *e);

#endif
