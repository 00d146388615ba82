/*
 * rules.c - load, validate, compile and run log diagnosis rules (see rules.h).
 * Validation collects every problem of a file so that `wrench rules check`
 * can list them all; loading refuses a file with any problem.
 */
#include "rules.h"

#include <pthread.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "hints.h"
#include "multimatch.h"
#include "util.h"

#define RULES_DIR_PREFIX "rules/"
#define HINTS_BASENAME "classpath-hints.json"
#define RULES_ID_MAX 100
#define RULES_DEFAULT_KINDS ((1u << LOG_KIND_TOMCAT) | (1u << LOG_KIND_APP))

static const char *const categories[] = {"startup",  "classpath", "memory",  "resources", "network",
                                         "database", "config",    "logging", "other"};
static const char *const known_fields[] = {"id",    "severity", "category",   "pattern", "title",
                                           "hint",  "literal",  "applies_to", "generic", "impact",
                                           "facts", "_doc",     "title_zh",   "hint_zh"};
/* Facts wrench adds to every finding (logmatch.c): titles may name them too. */
static const char *const added_facts[] = {"exception", "message", "java_release",
                                          "runtime_release"};

static void set_required(struct log_rule *r);

void rule_problems_free(struct rule_problems *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->items[i]);
    free(p->items);
    memset(p, 0, sizeof(*p));
}

static void problem_add(struct rule_problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem_add(struct rule_problems *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    p->items = xgrow(p->items, &p->cap, p->n + 1, sizeof(char *));
    p->items[p->n++] = msg;
}

static void rule_clear(struct log_rule *r)
{
    free(r->id);
    free(r->category);
    free(r->title);
    free(r->hint);
    free(r->title_zh);
    free(r->hint_zh);
    free(r->pattern);
    free(r->literal);
    strv_free(r->required, r->n_required);
    free(r->origin);
    for (size_t i = 0; i < r->n_groups; i++)
        free(r->group_names[i]);
    for (size_t i = 0; i < r->n_fixed; i++) {
        free(r->fixed_names[i]);
        free(r->fixed_values[i]);
    }
    pcre2_code_free(r->code);
    memset(r, 0, sizeof(*r));
}

struct rule_set *rules_new(void)
{
    struct rule_set *set = xcalloc(1, sizeof(*set));
    set->mctx = pcre2_match_context_create(NULL);
    if (!set->mctx) {
        fprintf(stderr, "wrench: out of memory (PCRE2 match context)\n");
        abort();
    }
    pcre2_set_match_limit(set->mctx, RULES_MATCH_LIMIT);
    pcre2_set_depth_limit(set->mctx, RULES_DEPTH_LIMIT);
    pcre2_set_heap_limit(set->mctx, RULES_HEAP_LIMIT_KIB);
    sha256_init(&set->digest);
    pthread_mutex_init(&set->jit_lock, NULL);
    return set;
}

void rules_free(struct rule_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n_rules; i++)
        rule_clear(&set->rules[i]);
    free(set->rules);
    free(set->order);
    multimatch_free(set->prefilter);
    free(set->prefilter_rule);
    pcre2_match_context_free(set->mctx);
    pthread_mutex_destroy(&set->jit_lock);
    free(set);
}

/* Lower-case dotted words: "tomcat.port-in-use"; at least two parts, no empty part. */
static bool valid_id(const char *id)
{
    size_t len = strlen(id), dots = 0;
    if (len == 0 || len > RULES_ID_MAX || id[0] == '.' || id[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (c == '.') {
            if (id[i + 1] == '.')
                return false;
            dots++;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return false;
        }
    }
    return dots > 0;
}

static bool known_category(const char *c)
{
    for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
        if (strcmp(c, categories[i]) == 0)
            return true;
    return false;
}

static bool known_field(const char *key)
{
    for (size_t i = 0; i < sizeof(known_fields) / sizeof(known_fields[0]); i++)
        if (strcmp(key, known_fields[i]) == 0)
            return true;
    return false;
}

/* A required non-empty string field, or NULL with a problem recorded. */
static const char *string_field(json_t *obj, const char *key, bool required, const char *origin,
                                const char *id, struct rule_problems *probs)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            problem_add(probs, "%s: rule %s: \"%s\" is required", origin, id, key);
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        problem_add(probs, "%s: rule %s: \"%s\" must be a non-empty string without NUL", origin, id,
                    key);
        return NULL;
    }
    return json_string_value(v);
}

/* The pattern's named groups, from PCRE2's name table (sorted by name; kept by number so that
 * facts come in the order the pattern names them). */
static int read_group_names(struct log_rule *r, const char *origin, struct rule_problems *probs)
{
    uint32_t count = 0, entry_size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
    if (count > RULES_MAX_GROUPS) {
        problem_add(probs, "%s: rule %s: %u named groups, at most %d", origin, r->id, count,
                    RULES_MAX_GROUPS);
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR e = table + (size_t)i * entry_size;
        int number = (e[0] << 8) | e[1];
        size_t k = r->n_groups++;
        while (k > 0 && r->group_numbers[k - 1] > number) {
            r->group_numbers[k] = r->group_numbers[k - 1];
            r->group_names[k] = r->group_names[k - 1];
            k--;
        }
        r->group_numbers[k] = number;
        r->group_names[k] = xstrdup((const char *)e + 2);
    }
    return 0;
}

struct placeholder_check {
    const struct log_rule *rule;
    const char *origin, *field;
    struct rule_problems *probs;
};

static void check_placeholder(const char *name, size_t len, void *ud)
{
    struct placeholder_check *pc = ud;
    for (size_t i = 0; i < sizeof(added_facts) / sizeof(added_facts[0]); i++)
        if (strlen(added_facts[i]) == len && memcmp(added_facts[i], name, len) == 0)
            return;
    for (size_t i = 0; i < pc->rule->n_fixed; i++)
        if (strlen(pc->rule->fixed_names[i]) == len &&
            memcmp(pc->rule->fixed_names[i], name, len) == 0)
            return;
    for (size_t i = 0; i < pc->rule->n_groups; i++)
        if (strlen(pc->rule->group_names[i]) == len &&
            memcmp(pc->rule->group_names[i], name, len) == 0)
            return;
    problem_add(pc->probs,
                "%s: rule %s: \"%s\" names {%.*s}, which is no named group of the pattern",
                pc->origin, pc->rule->id, pc->field, (int)len, name);
}

struct placeholder_match {
    const char *other; /* the template whose placeholders must match */
    bool ok;
};

static void placeholder_in_other(const char *name, size_t len, void *ud)
{
    struct placeholder_match *m = ud;
    char *needle = xasprintf("{%.*s}", (int)len, name);
    if (!strstr(m->other, needle))
        m->ok = false;
    free(needle);
}

/* A translation names the same facts as the English text: every placeholder of one is in
 * the other, so both texts say the same thing whatever the facts found. */
static void same_placeholders(const struct log_rule *r, const char *origin, const char *field,
                              const char *translated, const char *english,
                              struct rule_problems *probs)
{
    if (!translated)
        return;
    struct placeholder_match there = {english, true}, back = {translated, true};
    rules_template_names(translated, placeholder_in_other, &there);
    rules_template_names(english, placeholder_in_other, &back);
    if (!there.ok || !back.ok)
        problem_add(probs, "%s: rule %s: \"%s\" must name the same {placeholders} as \"%s\"",
                    origin, r->id, field, field[0] == 't' ? "title" : "hint");
}

/* Every placeholder of the title and the hint must be a named group of the pattern. */
static void check_placeholders(const struct log_rule *r, const char *origin,
                               struct rule_problems *probs)
{
    struct placeholder_check pc = {r, origin, "title", probs};
    rules_template_names(r->title, check_placeholder, &pc);
    pc.field = "hint";
    rules_template_names(r->hint, check_placeholder, &pc);
    same_placeholders(r, origin, "title_zh", r->title_zh, r->title, probs);
    same_placeholders(r, origin, "hint_zh", r->hint_zh, r->hint, probs);
}

static int compile_pattern(struct log_rule *r, const char *origin, struct rule_problems *probs)
{
    int code;
    PCRE2_SIZE offset;
    r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code,
                            &offset, NULL);
    if (!r->code) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
            snprintf((char *)msg, sizeof(msg), "error %d", code);
        problem_add(probs, "%s: rule %s: pattern error at offset %zu: %s", origin, r->id,
                    (size_t)offset, (const char *)msg);
        return -1;
    }
    r->class_group = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "class");
    if (r->class_group <= 0)
        r->class_group = -1;
    return read_group_names(r, origin, probs);
}

static void parse_applies_to(json_t *v, struct log_rule *r, const char *origin,
                             struct rule_problems *probs)
{
    r->applies_to = RULES_DEFAULT_KINDS;
    if (!v)
        return;
    if (!json_is_array(v) || json_array_size(v) == 0) {
        problem_add(probs, "%s: rule %s: \"applies_to\" must be a non-empty array of log kinds",
                    origin, r->id);
        return;
    }
    r->applies_to = 0;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        enum log_kind kind;
        if (!json_is_string(item) || log_kind_parse(json_string_value(item), &kind) != 0) {
            problem_add(probs, "%s: rule %s: \"applies_to\" item #%zu is not tomcat, access or app",
                        origin, r->id, i + 1);
            continue;
        }
        r->applies_to |= 1u << kind;
    }
}

/* The optional "impact"; without one, an error or worse stops nothing but a request. */
static void parse_impact(json_t *obj, struct log_rule *r, const char *origin,
                         struct rule_problems *probs)
{
    const char *name = string_field(obj, "impact", false, origin, r->id, probs);
    r->impact = r->severity >= SEV_ERROR ? IMPACT_RUNTIME : IMPACT_NONE;
    if (name && impact_parse(name, &r->impact) != 0)
        problem_add(probs,
                    "%s: rule %s: unknown impact \"%s\" (service, connector, webapp, runtime, "
                    "none)",
                    origin, r->id, name);
}

/* The optional "facts": an object of fact names and string values. */
static void parse_fixed_facts(json_t *obj, struct log_rule *r, const char *origin,
                              struct rule_problems *probs)
{
    json_t *facts = json_object_get(obj, "facts");
    if (!facts)
        return;
    if (!json_is_object(facts)) {
        problem_add(probs, "%s: rule %s: \"facts\" must be an object of strings", origin, r->id);
        return;
    }
    const char *key;
    json_t *value;
    json_object_foreach(facts, key, value)
    {
        if (!json_is_string(value) || !key[0] || r->n_fixed >= RULES_MAX_GROUPS) {
            problem_add(probs,
                        "%s: rule %s: \"facts\" holds at most %d non-empty names with string "
                        "values",
                        origin, r->id, RULES_MAX_GROUPS);
            return;
        }
        r->fixed_names[r->n_fixed] = xstrdup(key);
        r->fixed_values[r->n_fixed++] = xstrdup(json_string_value(value));
    }
}

/* Fill *r from one JSON rule; every problem goes to probs. Returns the number of problems. */
static size_t parse_rule(json_t *obj, struct log_rule *r, const char *origin, size_t pos,
                         struct rule_problems *probs)
{
    size_t before = probs->n;
    char label[32];
    snprintf(label, sizeof(label), "#%zu", pos + 1);
    const char *id = string_field(obj, "id", true, origin, label, probs);
    if (id && !valid_id(id)) {
        problem_add(probs,
                    "%s: rule %s: id \"%s\" must be dotted lower-case words, e.g. "
                    "tomcat.port-in-use",
                    origin, label, id);
        id = NULL;
    }
    r->id = xstrdup(id ? id : label);
    const char *sev = string_field(obj, "severity", true, origin, r->id, probs);
    const char *cat = string_field(obj, "category", true, origin, r->id, probs);
    const char *pat = string_field(obj, "pattern", true, origin, r->id, probs);
    const char *title = string_field(obj, "title", true, origin, r->id, probs);
    const char *hint = string_field(obj, "hint", true, origin, r->id, probs);
    const char *lit = string_field(obj, "literal", false, origin, r->id, probs);
    const char *title_zh = string_field(obj, "title_zh", false, origin, r->id, probs);
    const char *hint_zh = string_field(obj, "hint_zh", false, origin, r->id, probs);
    if (sev && severity_parse(sev, &r->severity) != 0)
        problem_add(probs, "%s: rule %s: unknown severity \"%s\" (critical, error, warning, info)",
                    origin, r->id, sev);
    if (cat && !known_category(cat))
        problem_add(probs, "%s: rule %s: unknown category \"%s\"", origin, r->id, cat);
    r->category = xstrdup(cat ? cat : "other");
    r->title = xstrdup(title ? title : "");
    r->hint = xstrdup(hint ? hint : "");
    r->literal = lit ? xstrdup(lit) : NULL;
    r->title_zh = title_zh ? xstrdup(title_zh) : NULL;
    r->hint_zh = hint_zh ? xstrdup(hint_zh) : NULL;
    r->origin = xstrdup(origin);
    parse_applies_to(json_object_get(obj, "applies_to"), r, origin, probs);
    json_t *generic = json_object_get(obj, "generic");
    if (generic && !json_is_boolean(generic))
        problem_add(probs, "%s: rule %s: \"generic\" must be true or false", origin, r->id);
    r->generic = json_is_true(generic);
    parse_impact(obj, r, origin, probs);
    parse_fixed_facts(obj, r, origin, probs);
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        if (!known_field(key))
            problem_add(probs, "%s: rule %s: unknown field \"%s\"", origin, r->id, key);
    }
    if (pat) {
        r->pattern = xstrdup(pat);
        set_required(r);
        if (compile_pattern(r, origin, probs) == 0)
            check_placeholders(r, origin, probs);
    }
    return probs->n - before;
}

/* Parse a whole rule file into a fresh array; problems are appended to probs. */
static void parse_file(const char *text, size_t len, const char *origin, struct log_rule **out,
                       size_t *n_out, struct rule_problems *probs)
{
    *out = NULL;
    *n_out = 0;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        problem_add(probs, "%s:%d:%d: %s", origin, jerr.line, jerr.column, jerr.text);
        return;
    }
    json_t *list = json_object_get(root, "rules");
    if (!json_is_array(list)) {
        problem_add(probs, "%s: expected an object with a \"rules\" array", origin);
        json_decref(root);
        return;
    }
    struct log_rule *rules = xcalloc(json_array_size(list) + 1, sizeof(*rules));
    size_t n = 0, i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (!json_is_object(item)) {
            problem_add(probs, "%s: rule #%zu is not an object", origin, i + 1);
            continue;
        }
        struct log_rule *r = &rules[n++];
        parse_rule(item, r, origin, i, probs);
        for (size_t k = 0; k + 1 < n; k++)
            if (strcmp(rules[k].id, r->id) == 0)
                problem_add(probs, "%s: rule %s: id used twice in the file", origin, r->id);
    }
    json_decref(root);
    *out = rules;
    *n_out = n;
}

size_t rules_check_text(const char *text, size_t len, const char *origin, struct rule_problems *out)
{
    size_t before = out->n;
    struct log_rule *rules;
    size_t n;
    parse_file(text, len, origin, &rules, &n, out);
    for (size_t i = 0; i < n; i++)
        rule_clear(&rules[i]);
    free(rules);
    return out->n - before;
}

/* Read a whole file of at most RULES_FILE_MAX bytes. */
static int read_small_file(const char *path, char **data, size_t *len, char *err)
{
    bool larger;
    if (read_file_capped(path, RULES_FILE_MAX, data, len, &larger) != 0) {
        err_set(err, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    if (larger) {
        free(*data);
        err_set(err, "%s: larger than %u bytes", path, RULES_FILE_MAX);
        return -1;
    }
    return 0;
}

size_t rules_check_file(const char *path, struct rule_problems *out)
{
    char err[WR_ERR_MAX], *data;
    size_t len;
    if (read_small_file(path, &data, &len, err) != 0) {
        problem_add(out, "%s", err);
        return 1;
    }
    size_t n;
    if (strcmp(path_basename(path), HINTS_BASENAME) == 0) {
        /* The classpath hints have their own format (hints.c): check it with their loader. */
        struct hint_set *hints = NULL;
        n = hints_load_text(&hints, data, path, err) != 0;
        if (n)
            problem_add(out, "%s", err);
        hints_free(hints);
    } else {
        n = rules_check_text(data, len, path, out);
    }
    free(data);
    return n;
}

const struct log_rule *rules_find(const struct rule_set *set, const char *id)
{
    for (size_t i = 0; i < set->n_rules; i++)
        if (strcmp(set->rules[i].id, id) == 0)
            return &set->rules[i];
    return NULL;
}

/* True when rule a is tried before rule b: specific before generic, then by severity from
 * critical down, then load order (a and b are indexes, so ties keep load order). */
static bool tried_before(const struct rule_set *set, size_t a, size_t b)
{
    const struct log_rule *ra = &set->rules[a], *rb = &set->rules[b];
    if (ra->generic != rb->generic)
        return !ra->generic;
    if (ra->severity != rb->severity)
        return ra->severity > rb->severity;
    return a < b;
}

/* The prefilter: one search for all the rules' literals (multimatch.h), the rule of each. */
static void rebuild_prefilter(struct rule_set *set)
{
    multimatch_free(set->prefilter);
    free(set->prefilter_rule);
    size_t n = 0, cap = 0;
    const char **lits = NULL;
    size_t *lens = NULL, lens_cap = 0;
    set->prefilter_rule = NULL;
    size_t rule_cap = 0;
    for (size_t i = 0; i < set->n_rules; i++) {
        const struct log_rule *r = &set->rules[i];
        size_t k_max = r->literal ? 1 : r->n_required;
        for (size_t k = 0; k < k_max; k++) {
            const char *lit = r->literal ? r->literal : r->required[k];
            if (!lit[0])
                continue;
            lits = xgrow(lits, &cap, n + 1, sizeof(char *));
            lens = xgrow(lens, &lens_cap, n + 1, sizeof(size_t));
            set->prefilter_rule = xgrow(set->prefilter_rule, &rule_cap, n + 1, sizeof(size_t));
            lits[n] = lit;
            lens[n] = strlen(lit);
            set->prefilter_rule[n++] = i;
        }
    }
    char err[128];
    set->prefilter = multimatch_new(lits, lens, n, MULTIMATCH_PORTABLE, err, sizeof(err));
    free(lits);
    free(lens);
}

/* A stable insertion sort: rule sets are small and qsort has no context argument. */
static void rebuild_order(struct rule_set *set)
{
    rebuild_prefilter(set);
    free(set->order);
    set->order = xcalloc(set->n_rules + 1, sizeof(size_t));
    for (size_t i = 0; i < set->n_rules; i++) {
        size_t k = i;
        while (k > 0 && tried_before(set, i, set->order[k - 1])) {
            set->order[k] = set->order[k - 1];
            k--;
        }
        set->order[k] = i;
    }
}

/* A file's name (not its directory: the same rules elsewhere are the same version) and
 * bytes, each length-prefixed so that no two file lists hash alike. */
static void count_in_version(struct rule_set *set, const char *origin, const char *text, size_t len)
{
    const char *name = path_basename(origin);
    uint64_t lengths[2] = {strlen(name), len};
    sha256_update(&set->digest, lengths, sizeof(lengths));
    sha256_update(&set->digest, name, lengths[0]);
    sha256_update(&set->digest, text, len);
    set->n_files++;
}

void rules_version(const struct rule_set *set, char *buf, size_t size)
{
    struct sha256 copy = set->digest;
    char hex[SHA256_HEX_SIZE];
    sha256_final_hex(&copy, hex);
    snprintf(buf, size, "sha256:%.16s, %zu file%s", hex, set->n_files,
             set->n_files == 1 ? "" : "s");
}

int rules_add_text(struct rule_set *set, const char *text, size_t len, const char *origin,
                   char *err)
{
    struct rule_problems probs = {0};
    struct log_rule *rules;
    size_t n;
    parse_file(text, len, origin, &rules, &n, &probs);
    int rc = -1;
    if (probs.n > 0) {
        if (probs.n == 1)
            err_set(err, "%s", probs.items[0]);
        else
            err_set(err, "%s (and %zu more problems)", probs.items[0], probs.n - 1);
        for (size_t i = 0; i < n; i++)
            rule_clear(&rules[i]);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct log_rule *old = (struct log_rule *)rules_find(set, rules[i].id);
        if (old) {
            rule_clear(old);
            *old = rules[i];
            continue;
        }
        set->rules = xgrow(set->rules, &set->rules_cap, set->n_rules + 1, sizeof(*set->rules));
        set->rules[set->n_rules++] = rules[i];
    }
    rebuild_order(set);
    count_in_version(set, origin, text, len);
    rc = 0;
out:
    free(rules);
    rule_problems_free(&probs);
    return rc;
}

static bool is_rule_file_name(const char *name, void *ud)
{
    (void)ud;
    return str_has_suffix(name, ".json") && strcmp(name, HINTS_BASENAME) != 0 && name[0] != '.';
}

/* The embedded rule files in order, each counted in the set's version; parsed into the set
 * unless `version_only`. */
static int add_embedded(struct rule_set *set, bool version_only, char *err)
{
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        if (!str_has_prefix(f->path, RULES_DIR_PREFIX))
            continue;
        const char *name = f->path + strlen(RULES_DIR_PREFIX);
        if (strcmp(name, HINTS_BASENAME) == 0)
            count_in_version(set, f->path, (const char *)f->data, f->size);
        if (strchr(name, '/') || !is_rule_file_name(name, NULL))
            continue;
        if (version_only)
            count_in_version(set, f->path, (const char *)f->data, f->size);
        else if (rules_add_text(set, (const char *)f->data, f->size, f->path, err) != 0)
            return -1;
    }
    return 0;
}

int rules_add_embedded(struct rule_set *set, char *err)
{
    return add_embedded(set, false, err);
}

void rules_embedded_version(char *buf, size_t size)
{
    struct rule_set *set = rules_new();
    char err[WR_ERR_MAX];
    (void)add_embedded(set, true, err); /* counting cannot fail */
    rules_version(set, buf, size);
    rules_free(set);
}

int rules_add_dir(struct rule_set *set, const char *dir, char *err)
{
    char **names;
    size_t n;
    if (dir_list_sorted(dir, SIZE_MAX, is_rule_file_name, NULL, &names, &n, NULL) != 0) {
        err_set(err, "%s: cannot open the rules directory: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *path = path_join(dir, names[i]), *data;
        size_t len;
        rc = read_small_file(path, &data, &len, err);
        if (rc == 0) {
            rc = rules_add_text(set, data, len, path, err);
            free(data);
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int rules_load(struct rule_set **out, const char *dir, char *err)
{
    struct rule_set *set = rules_new();
    if (rules_add_embedded(set, err) != 0 || (dir && rules_add_dir(set, dir, err) != 0)) {
        rules_free(set);
        return -1;
    }
    *out = set;
    return 0;
}

struct rule_scratch {
    pcre2_match_data *md;
    uint64_t *candidates; /* a bit per rule whose literal (or a required one) the text holds */
    size_t n_words;
};

/* The patterns are compiled by PCRE2's JIT only when a log is about to be matched: a
 * classpath-only scan never pays for it (~4 ms for the shipped rules). Every match goes
 * through a scratch, so this runs before the first one; scratches of two threads wait for
 * one compilation. JIT is an optimisation: without it (an unsupported platform) the
 * interpreter runs. */
static void compile_jit(const struct rule_set *set)
{
    struct rule_set *s = (struct rule_set *)set; /* the compiled code is a cache of the set */
    pthread_mutex_lock(&s->jit_lock);
    for (size_t i = 0; i < s->n_rules; i++) {
        struct log_rule *r = &s->rules[i];
        if (r->code && !r->jit_tried) {
            (void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
            r->jit_tried = true;
        }
    }
    pthread_mutex_unlock(&s->jit_lock);
}

struct rule_scratch *rules_scratch_new(const struct rule_set *set)
{
    compile_jit(set);
    uint32_t most = 1;
    for (size_t i = 0; i < set->n_rules; i++) {
        uint32_t n = 0;
        if (set->rules[i].code &&
            pcre2_pattern_info(set->rules[i].code, PCRE2_INFO_CAPTURECOUNT, &n) == 0 &&
            n + 1 > most)
            most = n + 1;
    }
    struct rule_scratch *sc = xcalloc(1, sizeof(*sc));
    sc->md = pcre2_match_data_create(most, NULL);
    if (!sc->md) {
        fprintf(stderr, "wrench: out of memory (PCRE2 match data)\n");
        abort();
    }
    sc->n_words = (set->n_rules + 63) / 64;
    sc->candidates = xcalloc(sc->n_words + 1, sizeof(uint64_t));
    return sc;
}

void rules_scratch_free(struct rule_scratch *sc)
{
    if (!sc)
        return;
    pcre2_match_data_free(sc->md);
    free(sc->candidates);
    free(sc);
}

struct prefilter_hits {
    const struct rule_set *set;
    uint64_t *bits;
};

static void on_prefilter_hit(void *ctx, size_t id, size_t end)
{
    (void)end;
    struct prefilter_hits *h = ctx;
    size_t rule = h->set->prefilter_rule[id];
    h->bits[rule >> 6] |= 1ull << (rule & 63);
}

/* One pass over the text (the prefilter's search): a rule becomes a candidate when the text
 * holds its literal, or one its pattern requires. */
static void mark_candidates(const struct rule_set *set, struct rule_scratch *sc, const char *text,
                            size_t len)
{
    memset(sc->candidates, 0, sc->n_words * sizeof(uint64_t));
    struct prefilter_hits h = {set, sc->candidates};
    /* the portable engine needs no scratch, and never fails */
    multimatch_scan(set->prefilter, NULL, text, len, on_prefilter_hit, &h);
}

static bool literal_present(const struct rule_set *set, const struct log_rule *r,
                            const struct rule_scratch *sc)
{
    if ((!r->literal && r->n_required == 0) || (r->literal && !r->literal[0]))
        return true; /* its literals cannot be told, or it is empty */
    size_t i = (size_t)(r - set->rules);
    return sc->candidates[i >> 6] >> (i & 63) & 1;
}

bool rules_pattern_matches(const struct rule_set *set, const struct log_rule *r, const char *text,
                           size_t len, struct rule_scratch *sc)
{
    if (!r->code)
        return false;
    int rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, 0, sc->md, set->mctx);
    return rc != PCRE2_ERROR_NOMATCH;
}

void rules_match(const struct rule_set *set, const char *text, size_t len, enum log_kind kind,
                 struct rule_scratch *sc, struct rule_hit *hit)
{
    memset(hit, 0, sizeof(*hit));
    mark_candidates(set, sc, text, len);
    for (size_t k = 0; k < set->n_rules; k++) {
        const struct log_rule *r = &set->rules[set->order[k]];
        if (!(r->applies_to & (1u << kind)) || !r->code)
            continue;
        if (!literal_present(set, r, sc))
            continue;
        int rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, 0, sc->md, set->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            continue;
        if (rc < 0) {
            /* Match or depth limit, JIT stack: a rule problem, not a reason to stop. */
            if (!hit->limit_rule)
                hit->limit_rule = r;
            continue;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
        hit->rule = r;
        hit->match_start = ov[0];
        hit->match_end = ov[1] >= ov[0] ? ov[1] : ov[0];
        for (size_t g = 0; g < r->n_groups; g++) {
            int n = r->group_numbers[g];
            if (n >= rc || ov[2 * n] == PCRE2_UNSET || ov[2 * n + 1] < ov[2 * n])
                continue;
            hit->groups[hit->n_groups++] = (struct rule_group_hit){g, ov[2 * n], ov[2 * n + 1]};
            /* the first (class) group that took part: with (?J) several may bear the name */
            if (hit->class_end == hit->class_start && strcmp(r->group_names[g], "class") == 0) {
                hit->class_start = ov[2 * n];
                hit->class_end = ov[2 * n + 1];
            }
        }
        return;
    }
}

/* ---- facts and templates ---- */

char *rules_fact_value(const char *text, size_t len)
{
    char *out = xmalloc((len < RULES_FACT_MAX ? len : RULES_FACT_MAX) + 1);
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < len && o < RULES_FACT_MAX; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= ' ' || c == 0x7f) {
            space = o > 0;
            continue;
        }
        if (space) {
            if (o + 1 >= RULES_FACT_MAX)
                break;
            out[o++] = ' ';
            space = false;
        }
        out[o++] = (char)c;
    }
    /* a value cut short must not end inside a UTF-8 sequence */
    if (o == RULES_FACT_MAX) {
        size_t k = o;
        while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0 && ((unsigned char)out[k - 1] & 0x80))
            o = k - 1;
    }
    out[o] = '\0';
    return out;
}

char *rules_context_path(const char *text, size_t len)
{
    char *value = rules_fact_value(text, len);
    if (value[0] == '/')
        return value;
    /* Tomcat prints the root webapp as [] or [ROOT], leak warnings name [acme] */
    char *path = xasprintf("/%s", strcmp(value, "ROOT") == 0 ? "" : value);
    free(value);
    return path;
}

void rules_hit_facts(const struct rule_hit *hit, const char *text, struct log_finding *f)
{
    if (!hit->rule)
        return;
    for (size_t i = 0; i < hit->n_groups; i++) {
        const struct rule_group_hit *g = &hit->groups[i];
        const char *name = hit->rule->group_names[g->name];
        size_t len = g->end - g->start;
        char *value = strcmp(name, "context") == 0 ? rules_context_path(text + g->start, len)
                                                   : rules_fact_value(text + g->start, len);
        if (value[0])
            log_finding_add_fact(f, name, value);
        free(value);
    }
    for (size_t i = 0; i < hit->rule->n_fixed; i++)
        if (!log_finding_fact(f, hit->rule->fixed_names[i]))
            log_finding_add_fact(f, hit->rule->fixed_names[i], hit->rule->fixed_values[i]);
}

static bool name_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* The length of a placeholder "{name}" at s (0 when s holds none); the name in *name. */
static size_t placeholder_at(const char *s, const char **name, size_t *name_len)
{
    if (s[0] != '{' || !name_char(s[1], true))
        return 0;
    size_t n = 1;
    while (name_char(s[1 + n], false))
        n++;
    if (s[1 + n] != '}')
        return 0;
    *name = s + 1;
    *name_len = n;
    return n + 2;
}

/* The end of an optional part opened by the '[' at s: the offset of its ']' when the part
 * holds a placeholder, else 0. */
static size_t optional_end(const char *s)
{
    bool any = false;
    for (size_t i = 1; s[i] && s[i] != '['; i++) {
        const char *name;
        size_t len;
        if (s[i] == ']')
            return any ? i : 0;
        any |= placeholder_at(s + i, &name, &len) > 0;
    }
    return 0;
}

void rules_template_names(const char *tmpl, void (*fn)(const char *name, size_t len, void *ud),
                          void *ud)
{
    for (const char *p = tmpl; *p; p++) {
        const char *name;
        size_t len, n = placeholder_at(p, &name, &len);
        if (n) {
            fn(name, len, ud);
            p += n - 1;
        }
    }
}

static const char *fact_n(const struct log_finding *f, const char *name, size_t len)
{
    for (size_t i = 0; i < f->n_facts; i++)
        if (strlen(f->facts[i].name) == len && memcmp(f->facts[i].name, name, len) == 0)
            return f->facts[i].value;
    return NULL;
}

/* Append tmpl[0..len) with its placeholders filled; false when one had no value. */
static bool expand_part(struct strbuf *sb, const char *tmpl, size_t len,
                        const struct log_finding *f)
{
    bool complete = true;
    for (size_t i = 0; i < len;) {
        const char *name;
        size_t nlen, n = placeholder_at(tmpl + i, &name, &nlen);
        if (n && i + n <= len) {
            const char *v = fact_n(f, name, nlen);
            complete &= v != NULL;
            strbuf_puts(sb, v ? v : "?");
            i += n;
        } else {
            strbuf_append(sb, tmpl + i, 1);
            i++;
        }
    }
    return complete;
}

char *rules_expand(const char *tmpl, const struct log_finding *f)
{
    struct strbuf sb = {0};
    strbuf_append(&sb, "", 0);
    const char *p = tmpl;
    while (*p) {
        size_t end = *p == '[' ? optional_end(p) : 0;
        if (end) {
            size_t mark = sb.len;
            if (!expand_part(&sb, p + 1, end - 1, f)) {
                sb.len = mark;
                sb.data[mark] = '\0';
            }
            p += end + 1;
            continue;
        }
        const char *next = p + 1;
        while (*next && *next != '[')
            next++;
        expand_part(&sb, p, (size_t)(next - p), f);
        p = next;
    }
    return strbuf_take(&sb);
}

/* ---- the literals a rule requires (the log scan's candidate search, logsplit.c) ----
 *
 * A conservative reading of the pattern: a set of literals is returned only when every
 * match must hold one of them. Anything not understood (case-insensitive or extended
 * mode, \Q...\E, a branch without a long enough literal) gives up. */

#define REQ_MIN 3  /* a shorter literal would make most lines candidates */
#define REQ_MAX 64 /* literals of one set */

struct req_set {
    const char *s[REQ_MAX];
    size_t n[REQ_MAX];
    char *owned[REQ_MAX]; /* copies (escapes removed) */
    size_t count;
    bool ok;
};

static void req_clear(struct req_set *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->owned[i]);
    r->count = 0;
}

static size_t req_score(const struct req_set *r)
{
    if (!r->ok || r->count == 0)
        return 0;
    size_t min = SIZE_MAX;
    for (size_t i = 0; i < r->count; i++)
        min = r->n[i] < min ? r->n[i] : min;
    return min;
}

static bool req_add(struct req_set *r, const char *s, size_t n)
{
    if (r->count >= REQ_MAX)
        return false;
    r->owned[r->count] = xstrndup(s, n);
    r->s[r->count] = r->owned[r->count];
    r->n[r->count++] = n;
    return true;
}

/* The end of the group opened at p[i] == '(' (the offset of its ')'), or n. */
static size_t group_end(const char *p, size_t n, size_t i);

/* The end of the character class opened at p[i] == '[' (just past its ']'), or n. */
static size_t class_end(const char *p, size_t n, size_t i)
{
    size_t j = i + 1;
    if (j < n && p[j] == '^')
        j++;
    if (j < n && p[j] == ']')
        j++;
    while (j < n && p[j] != ']') {
        if (p[j] == '\\')
            j++;
        else if (p[j] == '[' && j + 1 < n && p[j + 1] == ':') {
            const char *close = strstr(p + j + 2, ":]");
            if (close && (size_t)(close - p) < n)
                j = (size_t)(close - p) + 1;
        }
        j++;
    }
    return j < n ? j + 1 : n;
}

static size_t group_end(const char *p, size_t n, size_t i)
{
    int depth = 0;
    for (size_t j = i; j < n; j++) {
        if (p[j] == '\\')
            j++;
        else if (p[j] == '[')
            j = class_end(p, n, j) - 1;
        else if (p[j] == '(')
            depth++;
        else if (p[j] == ')' && --depth == 0)
            return j;
    }
    return n;
}

/* A quantifier at p[i]: its length (lazy or possessive mark included), 0 when none; *optional
 * when it allows zero repetitions. */
static size_t quantifier_at(const char *p, size_t n, size_t i, bool *optional)
{
    size_t len = 0;
    *optional = false;
    if (i >= n)
        return 0;
    if (p[i] == '?' || p[i] == '*' || p[i] == '+') {
        *optional = p[i] != '+';
        len = 1;
    } else if (p[i] == '{') {
        size_t j = i + 1, min_digits = 0;
        unsigned long min = 0;
        while (j < n && p[j] >= '0' && p[j] <= '9') {
            min = min * 10 + (unsigned long)(p[j++] - '0');
            min_digits++;
        }
        if (j < n && p[j] == ',') {
            j++;
            while (j < n && p[j] >= '0' && p[j] <= '9')
                j++;
        }
        if (min_digits == 0 || j >= n || p[j] != '}')
            return 0; /* a literal '{' */
        *optional = min == 0;
        len = j + 1 - i;
    } else {
        return 0;
    }
    if (i + len < n && (p[i + len] == '?' || p[i + len] == '+'))
        len++;
    return len;
}

static void req_alternation(const char *p, size_t n, struct req_set *out, int depth);

/* The best set one branch (a sequence) requires: a literal run or a required group's set. */
static void req_branch(const char *p, size_t n, struct req_set *best, int depth)
{
    best->ok = false;
    best->count = 0;
    char run[256];
    size_t rl = 0;
    bool failed = false;
#define FLUSH_RUN()                                                                                \
    do {                                                                                           \
        if (rl >= REQ_MIN && rl > req_score(best)) {                                               \
            req_clear(best);                                                                       \
            best->ok = req_add(best, run, rl);                                                     \
        }                                                                                          \
        rl = 0;                                                                                    \
    } while (0)
    for (size_t i = 0; i < n && !failed;) {
        char c = p[i];
        bool literal = false, opt;
        char lit = 0;
        size_t next = i + 1;
        if (c == '\\') {
            if (i + 1 >= n) {
                failed = true;
                break;
            }
            char e = p[i + 1];
            if (e == 'Q' || e == 'E') {
                failed = true;
                break;
            }
            next = i + 2;
            if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))) {
                literal = true;
                lit = e;
            } else if (e == 'x' || e == 'o' || e == 'c' || e == 'p' || e == 'P' || e == 'g' ||
                       e == 'k' || e == 'N') {
                /* \x{..}, \p{..}, \g{..}, \k<..>: skip the braces or brackets too */
                if (next < n && (p[next] == '{' || p[next] == '<' || p[next] == '\'')) {
                    char close = p[next] == '{' ? '}' : p[next] == '<' ? '>' : '\'';
                    const char *end = memchr(p + next + 1, close, n - next - 1);
                    next = end ? (size_t)(end - p) + 1 : n;
                } else if (e == 'x') {
                    while (next < n && next < i + 4 && isxdigit((unsigned char)p[next]))
                        next++;
                } else if (e == 'c' && next < n) {
                    next++;
                }
            }
        } else if (c == '[') {
            next = class_end(p, n, i);
        } else if (c == '(') {
            size_t close = group_end(p, n, i);
            if (close >= n) {
                failed = true;
                break;
            }
            size_t body = i + 1;
            bool skip = false; /* lookaround, comment, verb, conditional: requires nothing */
            if (body < n && p[body] == '*') {
                skip = true;
            } else if (body < n && p[body] == '?') {
                const char *k = p + body + 1;
                if (*k == ':' || *k == '>' || *k == '|') {
                    body += 2;
                } else if ((*k == '<' && k[1] != '=' && k[1] != '!') || *k == 'P' || *k == '\'') {
                    char close_name = *k == '\'' ? '\'' : '>';
                    const char *e = memchr(k + 1, close_name, (size_t)(p + close - (k + 1)));
                    if (!e || (*k == 'P' && k[1] != '<')) {
                        skip = true;
                    } else {
                        body = (size_t)(e - p) + 1;
                    }
                } else if (strchr("=!<#(R0123456789&+-C", *k) && *k != '-') {
                    skip = true;
                } else {
                    /* option letters: (?J) (?m) (?s) alone, or (?ms:...) */
                    size_t j = body + 1;
                    while (j < close && p[j] != ':' && p[j] != ')') {
                        if (p[j] == 'i' || p[j] == 'x') {
                            failed = true; /* caseless or extended: give up */
                            break;
                        }
                        j++;
                    }
                    if (failed)
                        break;
                    if (j >= close || p[j] == ')') {
                        i = close + 1; /* an option setting: no atom */
                        continue;
                    }
                    body = j + 1;
                }
            }
            next = close + 1;
            size_t q = quantifier_at(p, n, next, &opt);
            FLUSH_RUN();
            if (!skip && !(q && opt) && depth < 8) {
                struct req_set inner = {0};
                req_alternation(p + body, close - body, &inner, depth + 1);
                if (inner.ok && req_score(&inner) > req_score(best)) {
                    req_clear(best);
                    *best = inner;
                } else {
                    req_clear(&inner);
                }
            }
            i = next + q;
            continue;
        } else if (c == '.' || c == '^' || c == '$' || c == '\n' || c == '\r') {
            /* no literal */
        } else {
            literal = true;
            lit = c;
        }
        size_t q = quantifier_at(p, n, next, &opt);
        if (literal && lit != '\n' && lit != '\r' && rl < sizeof(run) && !(q && opt)) {
            run[rl++] = lit;
            if (q)
                FLUSH_RUN(); /* repeated: required once, but what follows is not adjacent */
        } else {
            FLUSH_RUN();
        }
        i = next + q;
    }
    if (!failed)
        FLUSH_RUN();
#undef FLUSH_RUN
    if (failed) {
        req_clear(best);
        best->ok = false;
    }
}

/* The union of the sets of the top-level branches of p[0, n); not ok when one has none. */
static void req_alternation(const char *p, size_t n, struct req_set *out, int depth)
{
    out->ok = true;
    out->count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n && out->ok; i++) {
        if (i < n && p[i] == '\\') {
            i++;
            continue;
        }
        if (i < n && p[i] == '[') {
            i = class_end(p, n, i) - 1;
            continue;
        }
        if (i < n && p[i] == '(') {
            size_t close = group_end(p, n, i);
            i = close < n ? close : n - 1;
            continue;
        }
        if (i < n && p[i] != '|')
            continue;
        struct req_set branch = {0};
        req_branch(p + start, i - start, &branch, depth);
        if (!branch.ok)
            out->ok = false;
        for (size_t k = 0; out->ok && k < branch.count; k++)
            out->ok = req_add(out, branch.s[k], branch.n[k]);
        req_clear(&branch);
        start = i + 1;
    }
    if (!out->ok)
        req_clear(out);
}

/* The longest piece of a rule's "literal" between line ends (every match holds it). */
static const char *literal_piece(const char *s, size_t *len)
{
    const char *best = NULL;
    *len = 0;
    while (*s) {
        size_t n = strcspn(s, "\r\n");
        if (n > *len) {
            best = s;
            *len = n;
        }
        s += n;
        s += strspn(s, "\r\n");
    }
    return best;
}

bool rules_required_literals(const struct log_rule *r,
                             void (*fn)(void *ud, const char *s, size_t n), void *ud)
{
    size_t lit_len = 0;
    const char *lit = r->literal ? literal_piece(r->literal, &lit_len) : NULL;
    struct req_set set = {0};
    if (r->pattern)
        req_alternation(r->pattern, strlen(r->pattern), &set, 0);
    size_t score = req_score(&set);
    /* the pattern's own set when its shortest literal is longer than the rule's literal
     * (a short literal such as "ilter" makes every "TokenFilter" line a candidate) */
    if (score >= REQ_MIN && score > lit_len) {
        for (size_t i = 0; i < set.count; i++)
            fn(ud, set.s[i], set.n[i]);
        req_clear(&set);
        return true;
    }
    req_clear(&set);
    if (lit_len == 0)
        return false;
    fn(ud, lit, lit_len);
    return true;
}

static void add_required(void *ud, const char *s, size_t n)
{
    struct log_rule *r = ud;
    size_t cap = r->n_required;
    strv_push(&r->required, &r->n_required, &cap, xstrndup(s, n));
}

/* A rule without a "literal" gets the literals its pattern requires as its prefilter: a
 * pattern such as "[\w$]+ cannot be cast to" is otherwise tried at every offset of every
 * event (quadratic on a 64 KiB line). */
static void set_required(struct log_rule *r)
{
    strv_free(r->required, r->n_required);
    r->required = NULL;
    r->n_required = 0;
    if (!r->literal && r->pattern)
        rules_required_literals(r, add_required, r);
}
