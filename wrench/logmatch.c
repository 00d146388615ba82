/*
 * logmatch.c - matching and grouping: each event against the rule set (one finding at
 * most), the facts and title of a finding, its signature (logscan_mask), the group it
 * joins, one record read from two files counted once, and the merge of a second thread's
 * findings. See logmatch.h and logscan_internal.h.
 */
#include "logmatch.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logscan.h"
#include "logscan_internal.h"
#include "messages.h"
#include "util.h"

/* One timestamped occurrence of a matched event: a hash of its timestamp and text, the
 * file it was first read in, and the finding it went to (an index into the scanner's own
 * report, used when a second thread's half is merged). */
struct occurrence {
    uint64_t hash; /* 0: a free slot */
    uint32_t file;
    uint32_t finding;
    uint64_t line;
    bool opened; /* this occurrence opened its finding */
};

#define OCC_MAX (1u << 16) /* occurrences remembered; later ones are counted without check */
#define OCC_INITIAL 256
#define UNCATEGORIZED_ID "uncategorized"

static bool is_hex(char c)
{
    return isxdigit((unsigned char)c) != 0;
}

void logscan_mask(const char *s, size_t len, char *buf, size_t size)
{
    if (size == 0)
        return;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < size;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            size_t j = i;
            bool digit = false, hex = true;
            while (j < len && isalnum((unsigned char)s[j])) {
                digit |= isdigit((unsigned char)s[j]) != 0;
                hex &= is_hex(s[j]);
                j++;
            }
            bool hex_literal = j - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
            if (hex_literal) {
                hex = true;
                for (size_t k = i + 2; k < j; k++)
                    hex &= is_hex(s[k]);
            }
            if (digit && hex) {
                buf[o++] = '#';
            } else if (isdigit(c)) {
                /* "30000ms", "3rd": the number goes, the unit stays. */
                buf[o++] = '#';
                while (i < j && isdigit((unsigned char)s[i]))
                    i++;
                size_t n = j - i < size - 1 - o ? j - i : size - 1 - o;
                memcpy(buf + o, s + i, n);
                o += n;
            } else {
                size_t n = j - i < size - 1 - o ? j - i : size - 1 - o;
                memcpy(buf + o, s + i, n);
                o += n;
            }
            i = j;
        } else {
            buf[o++] = (c == '\n' || c == '\t' || c == '\r' || c < 0x20) ? ' ' : (char)c;
            i++;
        }
    }
    buf[o] = '\0';
}

/* ---- matching and grouping ---- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

struct slot *slot_find(struct slot *slots, size_t n_slots, const char *key)
{
    size_t i = (size_t)hash_str(key) & (n_slots - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (n_slots - 1);
    return &slots[i];
}

static void slots_grow(struct logscan *ls)
{
    size_t n = ls->n_slots * 2;
    struct slot *slots = xcalloc(n, sizeof(struct slot));
    for (size_t i = 0; i < ls->n_slots; i++)
        if (ls->slots[i].key)
            *slot_find(slots, n, ls->slots[i].key) = ls->slots[i];
    free(ls->slots);
    ls->slots = slots;
    ls->n_slots = n;
}

/* The key a finding is grouped by. An uncategorized finding: its signature (its title
 * carries the unmasked message). A rule whose title its facts filled in (a port, a
 * context, a class): the rule and that title, since the facts name the problem whatever
 * the frames that reported it; two ports are two findings. Any other rule: the rule and
 * the signature. */
char *group_key(const struct logscan *ls, const struct log_finding *f)
{
    const struct log_rule *r =
        strcmp(f->rule_id, UNCATEGORIZED_ID) != 0 ? rules_find(ls->rules, f->rule_id) : NULL;
    if (r && f->title && strcmp(r->title, f->title) != 0)
        return xasprintf("%s\x1f%s", f->rule_id, f->title);
    return xasprintf("%s\x1f\x1f%s", f->rule_id, f->signature);
}

static char *signature_of(const struct log_event *ev, const char *msg, size_t msg_len)
{
    char masked[LOGSCAN_MESSAGE_MAX];
    logscan_mask(msg, msg_len, masked, sizeof(masked));
    return xasprintf("%s | %s | %s", ev->chain, masked, ev->top_frame);
}

static char *dup_or_null(const char *s)
{
    return s && s[0] ? xstrdup(s) : NULL;
}

#define TITLE_MESSAGE_MAX 160 /* bytes of an exception message in an uncategorized title */
#define TITLE_MAX 240         /* bytes of a title filled from facts; longer ones end in "..." */

/* A title cut at TITLE_MAX bytes (at a UTF-8 boundary) with "..." when it was longer. */
static char *capped_title(char *title)
{
    size_t n = strlen(title);
    if (n <= TITLE_MAX)
        return title;
    n = TITLE_MAX;
    while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
        n--;
    char *cut = xasprintf("%.*s...", (int)n, title);
    free(title);
    return cut;
}

/* An exception line "[Caused by: ]pkg.Type: message" (or "pkg.Type; message", SAX): the
 * type and the message (empty when none); false when the line names no exception. */
static bool exception_parts(const char *line, const char **type, size_t *type_len, const char **msg)
{
    if (str_has_prefix(line, "Caused by: "))
        line += 11;
    size_t n;
    long at = find_exception(line, strlen(line), &n);
    if (at < 0)
        return false;
    *type = line + at;
    *type_len = n;
    const char *m = line + at + n;
    while (*m == ':' || *m == ';' || *m == ' ' || *m == '\t')
        m++;
    *msg = m;
    return true;
}

/* Facts an exception gives any finding: its type and message (the root cause's, else the
 * first exception's), unless the rule's pattern named them already. */
static void exception_facts(struct log_finding *f, const struct log_event *ev)
{
    const char *line = ev->root_cause[0] ? ev->root_cause : ev->first_exception;
    const char *type, *msg;
    size_t type_len;
    if (!line[0] || !exception_parts(line, &type, &type_len, &msg))
        return;
    /* Spring 5 and older chain causes in one message: "...; nested exception is
     * pkg.Type: message". The innermost is the useful one. */
    static const char nested[] = "nested exception is ";
    const char *last = NULL;
    for (const char *p = msg; (p = strstr(p, nested)); p += sizeof(nested) - 1)
        last = p + sizeof(nested) - 1;
    const char *inner_type, *inner_msg;
    size_t inner_len;
    if (last && exception_parts(last, &inner_type, &inner_len, &inner_msg) && inner_type == last) {
        type = inner_type;
        type_len = inner_len;
        msg = inner_msg;
    }
    if (!log_finding_fact(f, "exception")) {
        char *v = rules_fact_value(type, type_len);
        log_finding_add_fact(f, "exception", v);
        free(v);
    }
    if (msg[0] && !log_finding_fact(f, "message")) {
        char *v = rules_fact_value(msg, strlen(msg));
        log_finding_add_fact(f, "message", v);
        free(v);
    }
}

/* "Java 21" for class file version 65: releases 5 and later are the version minus 44. */
static char *java_release_of(const char *class_version)
{
    char *end;
    long v = strtol(class_version, &end, 10);
    if (*end || v < 45 || v > 200)
        return NULL;
    if (v < 49)
        return xasprintf("Java 1.%ld", v - 44);
    return xasprintf("Java %ld", v - 44);
}

/* Where Tomcat names a webapp inside records about something else: a lifecycle wrapper
 * ("...StandardHost[localhost].StandardContext[/acme]]"), a request error ("in context
 * with path [/shop]"), a logger named after the context ("[localhost].[/acme]"). */
static const char *const context_markers[] = {
    ".StandardContext[",
    "in context with path [",
    "].[/",
};

/* The context an event names, when its rule did not capture one: so that a cause found
 * inside a wrapper still says which webapp it stopped. */
static void ambient_context(struct log_finding *f, const struct log_event *ev)
{
    if (log_finding_fact(f, "context"))
        return;
    for (size_t i = 0; i < sizeof(context_markers) / sizeof(context_markers[0]); i++) {
        size_t ml = strlen(context_markers[i]);
        const char *at = memmem(ev->text, ev->len, context_markers[i], ml);
        if (!at)
            continue;
        const char *v = at + ml, *end = ev->text + ev->len;
        if (context_markers[i][ml - 1] == '/')
            v--; /* the marker's slash starts the path */
        const char *close = memchr(v, ']', (size_t)(end - v));
        const char *nl = memchr(v, '\n', (size_t)(end - v));
        if (!close || (nl && nl < close) || close - v > 200)
            continue;
        char *path = rules_context_path(v, (size_t)(close - v));
        log_finding_add_fact(f, "context", path);
        free(path);
        return;
    }
}

/* Spring Boot's failure analysis ("APPLICATION FAILED TO START", "Description:",
 * "Action:") as facts of whatever rule matched its record (a port in use, a property that
 * cannot be bound): the description says what failed, the action what to do. */
static void failure_analysis(struct log_finding *f, const struct log_event *ev)
{
    static const char banner[] = "APPLICATION FAILED TO START";
    const char *end = ev->text + ev->len;
    const char *at = memmem(ev->text, ev->len, banner, sizeof(banner) - 1);
    const char *desc = at ? memmem(at, (size_t)(end - at), "\nDescription:", 13) : NULL;
    if (!desc)
        return;
    desc += 13;
    const char *action = memmem(desc, (size_t)(end - desc), "\nAction:", 8);
    const char *desc_end = action ? action : end;
    static const char *const names[] = {"description", "action"};
    const char *from[] = {desc, action ? action + 8 : NULL};
    const char *to[] = {desc_end, end};
    for (size_t i = 0; i < 2; i++) {
        if (!from[i] || log_finding_fact(f, names[i]))
            continue;
        char *v = rules_fact_value(from[i], (size_t)(to[i] - from[i]));
        if (v[0])
            log_finding_add_fact(f, names[i], v);
        free(v);
    }
}

/* Facts computed from others: the Java releases of class file versions. */
static void derived_facts(struct log_finding *f)
{
    static const char *const pairs[][2] = {{"class_version", "java_release"},
                                           {"runtime_version", "runtime_release"}};
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const char *v = log_finding_fact(f, pairs[i][0]);
        char *release = v && !log_finding_fact(f, pairs[i][1]) ? java_release_of(v) : NULL;
        if (release)
            log_finding_add_fact(f, pairs[i][1], release);
        free(release);
    }
}

/* "SAXParseException: The element type ... must be terminated": an uncategorized finding is
 * named by what was thrown, never by the logger or method that logged it. */
static char *exception_title(const struct log_finding *f, const struct log_event *ev)
{
    const char *type = log_finding_fact(f, "exception");
    const char *msg = log_finding_fact(f, "message");
    if (!type) {
        size_t n = strcspn(ev->chain, " ");
        return xasprintf("Error with an exception no rule recognises: %.*s", (int)n, ev->chain);
    }
    const char *dot = strrchr(type, '.');
    const char *simple = dot ? dot + 1 : type;
    if (!msg)
        return xstrdup(simple);
    size_t n = strlen(msg);
    if (n > TITLE_MESSAGE_MAX) {
        n = TITLE_MESSAGE_MAX;
        while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
            n--;
    }
    return xasprintf("%s: %.*s%s", simple, (int)n, msg, n < strlen(msg) ? "..." : "");
}

static void new_finding(struct logscan *ls, struct log_finding *f, const struct log_event *ev,
                        const struct rule_hit *hit, char *signature)
{
    const struct log_rule *r = hit->rule;
    if (r) {
        f->rule_id = xstrdup(r->id);
        f->severity = r->severity;
        f->category = xstrdup(r->category);
        f->impact = r->impact;
        if (hit->class_end > hit->class_start)
            f->class_name =
                xstrndup(ev->text + hit->class_start, hit->class_end - hit->class_start);
        rules_hit_facts(hit, ev->text, f);
        exception_facts(f, ev);
        ambient_context(f, ev);
        failure_analysis(f, ev);
        derived_facts(f);
        f->title = capped_title(rules_expand(r->title, f));
        f->hint = rules_expand(r->hint, f);
        if (r->title_zh)
            f->title_zh = capped_title(rules_expand(r->title_zh, f));
        if (r->hint_zh)
            f->hint_zh = rules_expand(r->hint_zh, f);
    } else {
        f->rule_id = xstrdup(UNCATEGORIZED_ID);
        f->severity = SEV_WARNING;
        f->category = xstrdup("other");
        f->impact = IMPACT_RUNTIME;
        exception_facts(f, ev);
        ambient_context(f, ev);
        f->title = exception_title(f, ev);
        f->hint = msg_text(MSG_LOG_UNCATEGORIZED_HINT, LANG_EN, MSG_END);
        f->hint_zh = msg_text(MSG_LOG_UNCATEGORIZED_HINT, LANG_ZH, MSG_END);
    }
    /* The JVM's default handler prints this when main ends with an exception: a plain Java
     * service stops with it, whatever the exception (the same error in a request thread is
     * an error at run time). */
    if (str_has_prefix(ev->text, "Exception in thread \"main\" ") && f->impact < IMPACT_SERVICE)
        f->impact = IMPACT_SERVICE;
    log_finding_add_location(f, ls->path, ev->line, ev->timestamp[0] ? ev->timestamp : NULL);
    f->signature = signature;
    f->count = 1;
    f->first_seen = dup_or_null(ev->timestamp);
    f->last_seen = dup_or_null(ev->timestamp);
    f->file = xstrdup(ls->path);
    f->line = ev->line;
    if (ev->root_cause[0])
        f->root_cause = xstrdup(ev->root_cause);
    else
        f->root_cause = dup_or_null(ev->first_exception);
    size_t n = ev->len < LOGSCAN_SAMPLE_MAX ? ev->len : LOGSCAN_SAMPLE_MAX;
    f->sample = xstrndup(ev->text, n);
    f->truncated = ev->truncated || n < ev->len;
}

/* Whether an event (its first line, its timestamp, "" when none) falls before --since or
 * the last start, and so is only counted. */
static bool skipped_at(struct logscan *ls, uint64_t line, const char *timestamp)
{
    if (ls->last_start_only && line < ls->skip_before)
        return true;
    if (!ls->has_since)
        return false;
    int64_t t = timestamp[0] ? logscan_epoch_cached(&ls->epochs, timestamp) : -1;
    if (t >= 0)
        ls->before_since = t < ls->since_epoch;
    return ls->before_since;
}

static bool skipped(struct logscan *ls, const struct log_event *ev)
{
    return skipped_at(ls, ev->line, ev->timestamp);
}

void on_unsplit(uint64_t line, const char *timestamp, void *ctx)
{
    struct logscan *ls = ctx;
    if (skipped_at(ls, line, timestamp))
        ls->report->files[ls->file_index].skipped_events++;
}

static void note_start(struct logscan *ls, const struct log_event *ev)
{
    if (!logscan_is_start_marker(ev->text, ev->len))
        return;
    struct log_file *lf = &ls->report->files[ls->file_index];
    const char *nl = memchr(ev->text, '\n', ev->len);
    size_t n = nl ? (size_t)(nl - ev->text) : ev->len;
    free(lf->last_start);
    lf->last_start = xstrndup(ev->text, n < LOGSCAN_MARKER_MAX ? n : LOGSCAN_MARKER_MAX);
    lf->last_start_line = ev->line;
}

/* ---- one record in two files ----
 *
 * Tomcat's console and its catalina.<date>.log receive the same records. A timestamped
 * event is hashed with its text (thread name included); the same hash read from another
 * file is the same occurrence: not counted again, its file added to the finding's
 * locations when it is the finding's first occurrence. Memory is bounded by OCC_MAX. */

static uint64_t occ_hash(const struct log_event *ev)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = ev->timestamp; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (size_t i = 0; i < ev->len; i++)
        h = (h ^ (unsigned char)ev->text[i]) * 1099511628211ull;
    return h ? h : 1;
}

static struct occurrence *occ_slot(struct occurrence *table, size_t n_slots, uint64_t hash)
{
    size_t i = (size_t)(hash ^ (hash >> 29)) & (n_slots - 1);
    while (table[i].hash && table[i].hash != hash)
        i = (i + 1) & (n_slots - 1);
    return &table[i];
}

/* The occurrence recorded under `hash`, or NULL. */
static struct occurrence *occ_find(const struct logscan *ls, uint64_t hash)
{
    if (!ls->occ)
        return NULL;
    struct occurrence *o = occ_slot(ls->occ, ls->n_occ_slots, hash);
    return o->hash ? o : NULL;
}

/* Remember an occurrence (not when OCC_MAX are remembered already). */
static void occ_add(struct logscan *ls, const struct occurrence *o)
{
    if (ls->n_occ >= OCC_MAX)
        return;
    if (!ls->occ || (ls->n_occ + 1) * 2 > ls->n_occ_slots) {
        size_t n = ls->occ ? ls->n_occ_slots * 2 : OCC_INITIAL;
        struct occurrence *table = xcalloc(n, sizeof(*table));
        for (size_t i = 0; i < ls->n_occ_slots; i++)
            if (ls->occ[i].hash)
                *occ_slot(table, n, ls->occ[i].hash) = ls->occ[i];
        free(ls->occ);
        ls->occ = table;
        ls->n_occ_slots = n;
    }
    *occ_slot(ls->occ, ls->n_occ_slots, o->hash) = *o;
    ls->n_occ++;
}

#define LOCATIONS_MAX 64 /* files listed for one finding */

/* Note that finding `into` was also seen at file:line: the first place in each file. */
static void add_location_once(struct log_finding *into, const char *file, uint64_t line,
                              const char *timestamp)
{
    /* most events of a finding come from the file read last: look there first */
    if (into->n_locations && strcmp(into->locations[into->n_locations - 1].file, file) == 0)
        return;
    if (into->n_locations >= LOCATIONS_MAX)
        return;
    for (size_t i = 0; i < into->n_locations; i++)
        if (strcmp(into->locations[i].file, file) == 0)
            return;
    log_finding_add_location(into, file, line, timestamp);
}

/* An occurrence already counted from another file: its second place, not a new count. */
static void count_again_elsewhere(struct log_finding *into, const struct occurrence *first,
                                  const char *file, uint64_t line, const char *timestamp)
{
    if (first->opened)
        add_location_once(into, file, line, timestamp);
}

void on_event(const struct log_event *ev, void *ctx)
{
    struct logscan *ls = ctx;
    note_start(ls, ev);
    if (skipped(ls, ev)) {
        ls->report->files[ls->file_index].skipped_events++;
        return;
    }
    struct rule_hit hit;
    rules_match(ls->rules, ev->text, ev->len, ls->kind, ls->scratch, &hit);
    if (hit.limit_rule) {
        size_t idx = (size_t)(hit.limit_rule - ls->rules->rules);
        if (!ls->limit_reported[idx]) {
            ls->limit_reported[idx] = true;
            const struct msg_arg args[] = {MSG_S("id", hit.limit_rule->id),
                                           MSG_S("origin", hit.limit_rule->origin),
                                           MSG_N("line", ev->line), MSG_END};
            char *msg = msg_render(MSG_LOG_PROBLEM_RULE_LIMIT, LANG_EN, args);
            char *msg_zh = msg_render(MSG_LOG_PROBLEM_RULE_LIMIT, LANG_ZH, args);
            log_report_add_problem_zh(ls->report, SEV_WARNING, ls->path, msg, msg_zh);
            free(msg);
            free(msg_zh);
        }
    }
    char *sig;
    if (hit.rule) {
        sig = signature_of(ev, ev->text + hit.match_start, hit.match_end - hit.match_start);
    } else if (ev->error_level && ev->chain[0]) {
        sig = signature_of(ev, ev->first_exception, strlen(ev->first_exception));
    } else {
        return;
    }
    /* The finding this event would open: its facts decide its title, which is part of
     * the group key. */
    struct log_finding f;
    memset(&f, 0, sizeof(f));
    new_finding(ls, &f, ev, &hit, sig);
    char *key = group_key(ls, &f);
    struct slot *slot = slot_find(ls->slots, ls->n_slots, key);
    struct log_report *rep = ls->report;
    uint64_t hash = ev->timestamp[0] ? occ_hash(ev) : 0;
    struct occurrence *seen = hash ? occ_find(ls, hash) : NULL;
    if (seen && seen->file != ls->occ_file && slot->key) {
        count_again_elsewhere(&rep->findings[slot->finding], seen, ls->path, ev->line,
                              ev->timestamp);
        free(key);
        log_finding_clear(&f);
        return;
    }
    if (hash && !seen)
        occ_add(ls, &(struct occurrence){hash, (uint32_t)ls->occ_file,
                                         (uint32_t)(slot->key ? slot->finding : rep->n_findings),
                                         ev->line, !slot->key});
    if (slot->key) {
        struct log_finding *into = &rep->findings[slot->finding];
        into->count++;
        add_location_once(into, ls->path, ev->line, ev->timestamp[0] ? ev->timestamp : NULL);
        if (ev->timestamp[0]) {
            free(into->last_seen);
            into->last_seen = xstrdup(ev->timestamp);
            if (!into->first_seen)
                into->first_seen = xstrdup(ev->timestamp);
        }
        free(key);
        log_finding_clear(&f);
        return;
    }
    if (rep->n_findings >= LOGSCAN_MAX_FINDINGS) {
        rep->dropped_findings++;
        free(key);
        log_finding_clear(&f);
        return;
    }
    rep->findings =
        xgrow(rep->findings, &rep->findings_cap, rep->n_findings + 1, sizeof(struct log_finding));
    rep->findings[rep->n_findings] = f;
    slot->key = key;
    slot->finding = rep->n_findings++;
    if (++ls->used * 2 > ls->n_slots)
        slots_grow(ls);
}

/* ---- merging a second thread's half (logread.c reads a large log on two threads) ---- */

/* The second half's occurrences against the first scanner's: one read from an earlier file
 * is the same record again (the half counted it, so its finding counts one less). `map`
 * gives the first scanner's finding of each of the half's, SIZE_MAX when dropped. */
static void merge_occurrences(struct logscan *ls, const struct logscan *second, const size_t *map)
{
    struct log_report *rep = ls->report;
    for (size_t i = 0; i < second->n_occ_slots; i++) {
        const struct occurrence *o = &second->occ[i];
        if (!o->hash)
            continue;
        size_t target = map[o->finding];
        struct occurrence *m = occ_find(ls, o->hash);
        if (m && m->file != o->file && target != SIZE_MAX) {
            struct log_finding *into = &rep->findings[target];
            if (into->count > 1)
                into->count--;
            /* the same record: the first place's timestamp is this one's */
            const char *ts = into->n_locations ? into->locations[0].timestamp : NULL;
            count_again_elsewhere(into, m, ls->path, o->line, ts);
        } else if (!m) {
            struct occurrence copy = *o;
            copy.finding = target == SIZE_MAX ? 0 : (uint32_t)target;
            occ_add(ls, &copy);
        }
    }
}

/* Fold the second half's findings into the first's, as one sequential reading would have
 * grouped them: counts add up, the first occurrence keeps its sample, the last sets
 * last_seen; records already read from another file are not counted again. */
void merge_findings(struct logscan *ls, struct logscan *second)
{
    struct log_report *rep = ls->report, *half = second->report;
    size_t *map = xcalloc(half->n_findings + 1, sizeof(size_t));
    for (size_t i = 0; i < half->n_findings; i++) {
        struct log_finding *f = &half->findings[i];
        char *key = group_key(ls, f);
        struct slot *slot = slot_find(ls->slots, ls->n_slots, key);
        if (slot->key) {
            struct log_finding *into = &rep->findings[slot->finding];
            map[i] = slot->finding;
            into->count += f->count;
            for (size_t k = 0; k < f->n_locations; k++)
                add_location_once(into, f->locations[k].file, f->locations[k].line,
                                  f->locations[k].timestamp);
            if (f->last_seen) {
                free(into->last_seen);
                into->last_seen = f->last_seen;
                f->last_seen = NULL;
            }
            if (!into->first_seen) {
                into->first_seen = f->first_seen;
                f->first_seen = NULL;
            }
            free(key);
            continue;
        }
        if (rep->n_findings >= LOGSCAN_MAX_FINDINGS) {
            map[i] = SIZE_MAX;
            rep->dropped_findings++;
            free(key);
            continue;
        }
        rep->findings = xgrow(rep->findings, &rep->findings_cap, rep->n_findings + 1,
                              sizeof(struct log_finding));
        rep->findings[rep->n_findings] = *f;
        memset(f, 0, sizeof(*f)); /* moved */
        slot->key = key;
        map[i] = rep->n_findings;
        slot->finding = rep->n_findings++;
        if (++ls->used * 2 > ls->n_slots)
            slots_grow(ls);
    }
    rep->dropped_findings += half->dropped_findings;
    merge_occurrences(ls, second, map);
    free(map);
}

/* Limit problems of the second half for rules the first half did not report already. */
void merge_problems(struct logscan *ls, struct logscan *second)
{
    for (size_t i = 0; i < second->report->n_problems; i++) {
        const struct problem *p = &second->report->problems[i];
        bool seen = false;
        for (size_t k = 0; k < ls->rules->n_rules && !seen; k++)
            seen = second->limit_reported[k] && ls->limit_reported[k] &&
                   strstr(p->message, ls->rules->rules[k].id);
        if (!seen)
            log_report_add_problem_zh(ls->report, p->severity, p->path, p->message, p->message_zh);
    }
}
