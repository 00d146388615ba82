/*
 * finding.h - one shape for every finding of a scan. The analyses keep their own structs
 * (model.h, logmodel.h); findings_collect() walks them once and gives every finding the same
 * form: a kind, a severity, a stable id, a title, named facts and a list of evidence, in ONE
 * canonical order. The text and JSON reports, the diff, the incidents (incident.h) and the
 * verdict all walk that list, so no consumer lists the kinds again in its own order.
 *
 * Canonical order: severity from critical down; within a severity, environment, log (each
 * followed by its correlations), conflict, duplicate, hint, problem (reading jars, then
 * reading logs); within a kind, the order of the scan's arrays.
 *
 * Stable id: "<kind>-<16 hex digits>", a 64-bit FNV-1a hash of the kind, the rule and the
 * finding's key facts, never of positions (entry indexes, log lines, timestamps), so the same
 * problem found by two scans has the same id:
 *   log          rule id + signature (exception chain | masked message | top frame)
 *   correlation  its log finding's id + view name + class
 *   conflict     view name + the sorted library keys of its entries
 *   duplicate    view name + library key
 *   hint         view name + hint id
 *   problem      path + message (jars and logs alike)
 *   environment  the environment rule's id
 * A view is named by its name, suffixed "#2", "#3"... when a scan has several of that name;
 * an id that occurs several times in one scan gets "~2", "~3"... in canonical order.
 *
 * Ownership: a finding_list owns its findings and every string in them; the scan it was
 * collected from is only read, and the list stays valid after the scan is freed.
 */
#ifndef WRENCH_FINDING_H
#define WRENCH_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logmodel.h"
#include "model.h"

enum finding_kind {
    FINDING_ENVIRONMENT, /* the container or a JVM's limits (struct env_finding) */
    FINDING_LOG,         /* a group of log events (struct log_finding) */
    FINDING_CORRELATION, /* what the classpath holds for a class a log finding names */
    FINDING_CONFLICT,    /* classes that several jars provide (struct class_conflict) */
    FINDING_DUPLICATE,   /* a library present more than once (struct dup_artifact) */
    FINDING_HINT,        /* a known troublesome combination (struct hint_finding) */
    FINDING_PROBLEM,     /* input wrench could not read (struct problem), jars or logs */
};
#define FINDING_KIND_COUNT 7

/* "environment", "log", "correlation", "conflict", "duplicate", "hint", "problem". */
const char *finding_kind_name(enum finding_kind kind);

/* What a piece of evidence points at. */
enum evidence_kind {
    EV_LOG,    /* a log record: path:line, detail = its timestamp as written (may be NULL) */
    EV_ENTRY,  /* a classpath entry: path, detail = library and version, or a role */
    EV_CLASS,  /* a class name: detail = the class */
    EV_CONFIG, /* a configuration file: path:line */
    EV_FILE,   /* a file wrench read (or could not) */
};
#define EVIDENCE_KIND_COUNT 5

/* "log", "entry", "class", "config", "file". */
const char *evidence_kind_name(enum evidence_kind kind);

struct finding_evidence {
    enum evidence_kind kind;
    char *path;      /* NULL for EV_CLASS */
    uint64_t line;   /* 1-based; 0 when none */
    char *detail;    /* may be NULL */
    char *detail_zh; /* a role wrench words ("holds the class") in Chinese; NULL otherwise */
};

struct finding {
    enum finding_kind kind;
    enum severity severity;
    enum impact impact; /* log findings: the rule's impact; IMPACT_NONE for the others */
    char *id;           /* the stable id (see above) */
    char *key;          /* the text the id hashes, readable: "tomcat.port-in-use: java.net..." */
    char *rule;         /* rule, hint or environment id, library key, or path; never NULL */
    char *title;        /* one sentence for people; never NULL */
    char *detail;       /* a second line: root cause, message, explanation; may be NULL */
    char *hint;         /* what to do; may be NULL */
    /* title, detail and hint in Simplified Chinese, where wrench has them (the messages it
     * writes itself, rules and hints with title_zh/hint_zh); NULL: the English one stands. */
    char *title_zh, *detail_zh, *hint_zh;
    char *view;         /* the view's name (suffixed as above); NULL when none */
    size_t source;      /* index into the scan's array of this kind (scan->logs->findings,
                         * scan->correlations, ...; problems: jar problems first, then log
                         * problems, numbered on) */
    size_t of;          /* correlations: the index of their log finding in the finding list */
    struct fact *facts; /* named facts, name -> value */
    size_t n_facts, facts_cap;
    struct finding_evidence *evidence;
    size_t n_evidence, evidence_cap;
    /* Set aside (accept.h): never counted for --fail-on, the totals, incidents or verdict. */
    bool accepted;         /* an entry of the accept file matches it */
    char *accepted_reason; /* that entry's reason; NULL unless accepted */
    bool baseline;         /* its id is in the baseline scan: not new */
};

struct finding_list {
    struct finding *items;
    size_t n, cap;
};

/* Fill `out` (zeroed or cleared) with every finding of `scan`, in canonical order. */
void findings_collect(const struct scan *scan, struct finding_list *out);
/* Free the findings and zero the list. */
void finding_list_clear(struct finding_list *list);

/* The value of fact `name`; NULL when the finding has none. */
const char *finding_fact(const struct finding *f, const char *name);
/* Record a fact (replacing one of the same name) / a piece of evidence; copies the strings. */
void finding_add_fact(struct finding *f, const char *name, const char *value);
void finding_add_evidence(struct finding *f, enum evidence_kind kind, const char *path,
                          uint64_t line, const char *detail);

/* Is this finding counted in the severity totals? Every kind but correlations, which explain
 * a log finding and are counted with it, unless accepted or in the baseline (accept.h). */
bool finding_counted(const struct finding *f);
/* The highest severity of the findings that count, or -1 when none does. */
int findings_max_severity(const struct finding_list *list);

/* Does this correlation explain its log finding: the class is missing from the classpath, or
 * in several entries (whose copies may differ)? One plain copy explains nothing. */
bool finding_explains(const struct finding *f);

/* The index in `list` of the finding with this id; -1 when none. */
long findings_find(const struct finding_list *list, const char *id);

/* The library key of an entry: "group:name", "name", or the last component of its path
 * when it is unidentified. New string. */
char *finding_entry_key(const struct cp_entry *e);

/* The name a view goes by in ids and diffs: its name, "#n"-suffixed where the scan holds
 * several views of that name. New string. */
char *finding_view_name(const struct scan *scan, size_t view);

#endif
