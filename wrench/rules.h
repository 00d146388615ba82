/*
 * rules.h - log diagnosis rules: PCRE2 patterns with a severity, a category, a
 * title and a hint, kept as data in rules/<set>.json ({"rules": [...]}) and
 * compiled once. A rule set is the embedded default, optionally overlaid by
 * the files of a --rules directory (a rule whose id already exists replaces it).
 *
 * Rule fields: "id" (unique, dotted, lower case: "tomcat.port-in-use"),
 * "severity" (critical|error|warning|info), "category" (startup, classpath,
 * memory, resources, network, database, config, logging, other), "pattern"
 * (PCRE2, compiled with PCRE2_MULTILINE and without PCRE2_UTF, so it runs over
 * the bytes of a whole multi-line event and invalid UTF-8 cannot break it),
 * "title", "hint"; optional "literal" (a substring every match contains: the
 * regex runs only on events holding it), "applies_to" (log kinds: tomcat,
 * access, app; default tomcat and app), "generic" (true for wrapper messages
 * such as "One or more listeners failed to start": tried only after every
 * specific rule, so the root cause wins), "impact" (service, connector, webapp,
 * runtime, none: what the failure stops; default runtime for error and critical,
 * none below), "facts" (fixed facts the log does not print), "title_zh" and
 * "hint_zh" (Simplified Chinese title and hint, with the same placeholders), "_doc" (ignored).
 * Every named group of the pattern that took part in the match becomes a fact of
 * the finding (name -> matched text): (?<class>...) also names a Java class for
 * correlation with the classpath scan. "title" and "hint" may name facts as {name}
 * placeholders; a part in [brackets] holding placeholders is dropped when one of them
 * has no value (rules_expand; docs/rules.md has the whole format).
 */
#ifndef WRENCH_RULES_H
#define WRENCH_RULES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "logmodel.h"
#include "model.h"
#include "sha256.h"

/* Per-match limits: a catastrophic pattern fails with a reported problem instead of hanging. */
#define RULES_MATCH_LIMIT 1000000
#define RULES_DEPTH_LIMIT 10000
#define RULES_HEAP_LIMIT_KIB 16384        /* backtracking memory of one match (interpreter only) */
#define RULES_FILE_MAX (4u * 1024 * 1024) /* a rule file larger than this is refused */
#define RULES_MAX_GROUPS 16               /* named groups of a pattern that become facts */
#define RULES_FACT_MAX 300                /* bytes of a fact's value kept (longer values are cut) */

struct log_rule {
    char *id;
    enum severity severity;
    char *category;
    char *title;
    char *hint;
    char *title_zh; /* optional Simplified Chinese title and hint, same placeholders; NULL */
    char *hint_zh;
    char *pattern;
    char *literal;   /* NULL when none */
    char **required; /* without a literal: the literals its pattern requires (one of) */
    size_t n_required;
    unsigned applies_to; /* bit (1u << enum log_kind) per kind */
    bool generic;
    enum impact impact; /* optional "impact": what the failure stops (logmodel.h) */
    char *origin;       /* the file it came from */
    pcre2_code *code;
    bool jit_tried;  /* code given to PCRE2's JIT (rules_scratch_new does it, once) */
    int class_group; /* number of the (?<class>...) group, or -1 */
    /* Optional "facts": values known whenever the rule matches (the log does not print
     * them), used unless a named group of the same name took part. */
    char *fixed_names[RULES_MAX_GROUPS];
    char *fixed_values[RULES_MAX_GROUPS];
    size_t n_fixed;
    /* The pattern's named groups (at most RULES_MAX_GROUPS), in group number order. */
    char *group_names[RULES_MAX_GROUPS];
    int group_numbers[RULES_MAX_GROUPS];
    size_t n_groups;
};

struct rule_set {
    struct log_rule *rules; /* in load order */
    size_t n_rules;
    size_t rules_cap;
    size_t *order; /* indexes into rules in match order; rebuilt after every add */
    pcre2_match_context *mctx;
    /* The prefilter, rebuilt with the order: one multimatch.h search (the portable engine)
     * for every rule's literal, or the literals its pattern requires; prefilter_rule[id] is
     * the rule of literal id. */
    struct multimatch *prefilter;
    size_t *prefilter_rule;
    /* The version of the rules in use: every file added (name and bytes, classpath hints
     * included), so that a changed rule file or a --rules directory changes it. */
    struct sha256 digest;
    size_t n_files;
    pthread_mutex_t jit_lock; /* the first scratches compile the patterns' JIT code */
};

#define RULES_VERSION_MAX 64

/* Every problem found in a rule file, as "file: rule id: what is wrong" messages. */
struct rule_problems {
    char **items;
    size_t n;
    size_t cap;
};
void rule_problems_free(struct rule_problems *p);

/* A new empty set; free with rules_free(). */
struct rule_set *rules_new(void);
void rules_free(struct rule_set *set);

/* Add the rules of one JSON text (`origin` names it in messages). A rule whose id is already in
 * the set replaces it. On any problem nothing is added, -1 is returned and err names the first
 * problem (and how many more). */
int rules_add_text(struct rule_set *set, const char *text, size_t len, const char *origin,
                   char *err);
/* The version of the rule set as it stands: "sha256:<16 hex digits>, N files". */
void rules_version(const struct rule_set *set, char *buf, size_t size);
/* Add every embedded .json file under rules/ except rules/classpath-hints.json (which only
 * counts in the version: hints.c reads it). */
int rules_add_embedded(struct rule_set *set, char *err);
/* rules_version of rules_load(NULL)'s set, from the files' bytes alone (nothing parsed or
 * compiled): a scan that reads no log records the version without loading the rules. */
void rules_embedded_version(char *buf, size_t size);
/* Add every *.json file of `dir` (sorted by name, classpath-hints.json skipped). */
int rules_add_dir(struct rule_set *set, const char *dir, char *err);
/* The embedded rules overlaid by `dir` (may be NULL): the usual way to get a set. */
int rules_load(struct rule_set **out, const char *dir, char *err);

/* Check one rule file and append every problem (not only the first) to `out`; returns how many
 * were found. `len` bounds the text. Never fails otherwise. */
size_t rules_check_text(const char *text, size_t len, const char *origin,
                        struct rule_problems *out);
/* rules_check_text on a file read from disk (an unreadable file is one problem). */
size_t rules_check_file(const char *path, struct rule_problems *out);

/* The rule with this id, or NULL. */
const struct log_rule *rules_find(const struct rule_set *set, const char *id);

/* Outcome of running the set over one event. */
struct rule_hit {
    const struct log_rule *rule; /* NULL when no rule matched */
    size_t match_start;          /* byte range of the whole match in the event */
    size_t match_end;
    size_t class_start; /* range of the (?<class>) group; class_end == class_start when unset */
    size_t class_end;
    const struct log_rule *limit_rule; /* a rule that hit a match/depth limit on this event */
    /* The named groups that took part in the match: rule->group_names[name] matched
     * text[start..end). */
    struct rule_group_hit {
        size_t name;
        size_t start, end;
    } groups[RULES_MAX_GROUPS];
    size_t n_groups;
};

/* The literals one of which every match of rule r contains, as bytes without '\n' or '\r':
 * the literals its pattern requires (a top-level alternation of branches that each hold a
 * literal of 3 bytes or more outside any optional part), or its "literal" (its longest piece
 * between line ends) when that is longer than the shortest of them or the pattern tells
 * none. fn(ud, s, n) is called for each. False, and fn not called, when no such set can be
 * told: the rule may then match an event holding none. */
bool rules_required_literals(const struct log_rule *r,
                             void (*fn)(void *ud, const char *s, size_t n), void *ud);

/* Matching state for one thread: PCRE2 match data sized for the set and the prefilter's
 * candidate bits. Valid for the set it was made for; free with rules_scratch_free(). The
 * first scratch of a set also compiles its patterns with PCRE2's JIT (thread-safe; a set
 * that never matches a log never pays for it). */
struct rule_scratch;
struct rule_scratch *rules_scratch_new(const struct rule_set *set);
void rules_scratch_free(struct rule_scratch *scratch);

/* Run the rules applying to `kind` over text[0..len) in match order (specific rules before
 * generic ones; within each, by severity from critical down, then load order): the first
 * rule whose literal occurs and whose pattern matches wins. A rule that hits a limit is
 * skipped and named in hit->limit_rule. */
void rules_match(const struct rule_set *set, const char *text, size_t len, enum log_kind kind,
                 struct rule_scratch *scratch, struct rule_hit *hit);

/* Whether rule r's pattern matches text[0..len), literal or not; true also when PCRE2 hits
 * a limit (the caller must then look closer, with rules_match). */
bool rules_pattern_matches(const struct rule_set *set, const struct log_rule *r, const char *text,
                           size_t len, struct rule_scratch *scratch);

/* A fact value as kept: text[0..len) with runs of white space and control bytes turned
 * into one space, trimmed, cut at RULES_FACT_MAX bytes (at a UTF-8 boundary). New string. */
char *rules_fact_value(const char *text, size_t len);

/* A webapp's context path as a fact: with its leading slash, the root webapp ("" or
 * "ROOT" as Tomcat prints it) as "/", "acme" (leak warnings) as "/acme". New string. */
char *rules_context_path(const char *text, size_t len);

/* Record every named group of `hit` as a fact of f (log_finding_add_fact), from `text`, the
 * event the hit was made on; then the rule's fixed "facts" that no group gave. */
void rules_hit_facts(const struct rule_hit *hit, const char *text, struct log_finding *f);

/* Fill a title or hint template from f's facts: "{name}" becomes the fact's value; a part in
 * "[...]" that holds a placeholder is kept (without its brackets) only when all of its
 * placeholders have values; a "[" before no placeholder is plain text, as is "{" not
 * followed by a name and "}". A placeholder outside brackets without a value becomes "?".
 * New string. */
char *rules_expand(const char *tmpl, const struct log_finding *f);

/* Call fn(name, len, ud) for every placeholder of a template (validation). */
void rules_template_names(const char *tmpl, void (*fn)(const char *name, size_t len, void *ud),
                          void *ud);

#endif
