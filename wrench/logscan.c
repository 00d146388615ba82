/*
 * logscan.c - the log scanner: its creation, options (--since, --last-start, --log-format,
 * progress), end and the final order of its findings. Its parts live in logtime.c
 * (timestamps), logsplit.c (lines -> events), logmatch.c (rules -> findings, grouping) and
 * logread.c (files, envelopes, directories); logscan.h is the API callers use.
 */
#include "logscan.h"

#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "logdumps.h"
#include "logscan_internal.h"
#include "multimatch.h"
#include "util.h"

#define SLOTS_INITIAL 256

/* ---- the fast path's candidates ----
 *
 * An event reaches on_event only when it holds one of these literals: every rule's
 * required literal (rules_required_literals), the exception type suffixes that an
 * uncategorized error needs (find_exception: Exception, Error, Throwable) and what a start
 * marker needs (logscan_is_start_marker). Any other event would be matched by no rule,
 * name no exception and mark no start: on_event would only count it. */
static const char *const fixed_candidates[] = {
    "Exception", "Error", "Throwable", "Server version", " using Java ", " with PID ",
};

struct literals {
    char **s;
    size_t *n;
    size_t count, cap, cap_n;
};

static void add_literal(void *ud, const char *s, size_t n)
{
    struct literals *l = ud;
    for (size_t i = 0; i < l->count; i++)
        if (l->n[i] == n && memcmp(l->s[i], s, n) == 0)
            return;
    l->s = xgrow(l->s, &l->cap, l->count + 1, sizeof(char *));
    l->n = xgrow(l->n, &l->cap_n, l->count + 1, sizeof(size_t));
    l->s[l->count] = xstrndup(s, n);
    l->n[l->count++] = n;
}

/* The candidate matcher for this rule set; NULL when WRENCH_LOG_FASTPATH=0. A rule whose
 * required literals cannot be told is listed in ls->slow_rules instead: its own pattern is
 * then run on every event the matcher does not pick (probe_slow_rules). */
static struct multimatch *candidate_matcher(struct logscan *ls, size_t *notice_from)
{
    const char *env = getenv("WRENCH_LOG_FASTPATH");
    if (env && strcmp(env, "0") == 0)
        return NULL;
    const struct rule_set *rules = ls->rules;
    struct literals l = {0};
    for (size_t i = 0; i < rules->n_rules; i++)
        if (!rules_required_literals(&rules->rules[i], add_literal, &l))
            ls->slow_rules[ls->n_slow_rules++] = i;
    for (size_t i = 0; i < sizeof(fixed_candidates) / sizeof(fixed_candidates[0]); i++)
        add_literal(&l, fixed_candidates[i], strlen(fixed_candidates[i]));
    /* and, last, logdumps' start lines: whether a file holds one is noted on the way */
    *notice_from = l.count;
    size_t n_dump;
    const char *const *dump = logdumps_start_lines(&n_dump);
    for (size_t i = 0; i < n_dump; i++) {
        l.s = xgrow(l.s, &l.cap, l.count + 1, sizeof(char *));
        l.n = xgrow(l.n, &l.cap_n, l.count + 1, sizeof(size_t));
        l.s[l.count] = xstrdup(dump[i]);
        l.n[l.count++] = strlen(dump[i]);
    }
    char err[256];
    struct multimatch *mm =
        multimatch_new((const char *const *)l.s, l.n, l.count, MULTIMATCH_BEST, err, sizeof(err));
    /* kept for a JSON-lines file's skip (logscan_json_skip), made only when one is read */
    ls->cand_s = l.s;
    ls->cand_n = l.n;
    ls->n_cand = l.count;
    return mm;
}

const struct envelope_json_skip *logscan_json_skip(struct logscan *ls)
{
    /* JSON lines: the lines none of the candidates can be in once decoded are not decoded */
    if (!ls->json_skip_made && ls->mm && ls->n_cand > 0) {
        ls->json_skip =
            envelope_json_skip_new((const char *const *)ls->cand_s, ls->cand_n, ls->n_cand);
        ls->json_skip_made = true;
    }
    return ls->json_skip;
}

/* The fast path's probe: does a rule without literals match this event, which holds no
 * candidate? Then it is split and goes to on_event like any other. */
static bool probe_slow_rules(const char *text, size_t len, void *ctx)
{
    struct logscan *ls = ctx;
    for (size_t i = 0; i < ls->n_slow_rules; i++) {
        const struct log_rule *r = &ls->rules->rules[ls->slow_rules[i]];
        if ((r->applies_to & (1u << ls->kind)) &&
            rules_pattern_matches(ls->rules, r, text, len, ls->scratch))
            return true;
    }
    return false;
}

static void set_fast(struct logscan *ls, struct logscan_splitter *sp)
{
    logscan_splitter_set_fast(sp, ls->mm, on_unsplit);
    logscan_splitter_set_probe(sp, ls->n_slow_rules ? probe_slow_rules : NULL);
}

/* A scanner; `like`: one whose candidates it borrows (a second thread's, logread.c). */
static struct logscan *scanner_new(const struct rule_set *rules, struct log_report *report,
                                   struct logscan *like)
{
    struct logscan *ls = xcalloc(1, sizeof(*ls));
    ls->rules = rules;
    ls->report = report;
    ls->scratch = rules_scratch_new(rules);
    ls->sp = logscan_splitter_new(on_event, ls);
    ls->sp_err = logscan_splitter_new(on_event, ls);
    size_t notice_from = 0;
    ls->slow_rules = xcalloc(rules->n_rules + 1, sizeof(size_t));
    if (like) { /* the compiled search and the JSON skip are read-only: shared */
        ls->borrowed = true;
        ls->mm = like->mm;
        ls->json_skip = (struct envelope_json_skip *)logscan_json_skip(like);
        ls->json_skip_made = true;
        memcpy(ls->slow_rules, like->slow_rules, like->n_slow_rules * sizeof(size_t));
        ls->n_slow_rules = like->n_slow_rules;
        notice_from = like->notice_from;
    } else {
        ls->mm = candidate_matcher(ls, &notice_from);
    }
    ls->notice_from = notice_from;
    const char *fast = getenv("WRENCH_LOG_FASTPATH");
    ls->fast_stats = fast && strcmp(fast, "stats") == 0;
    set_fast(ls, ls->sp);
    set_fast(ls, ls->sp_err);
    logscan_splitter_set_notice(ls->sp, notice_from);
    logscan_splitter_set_notice(ls->sp_err, notice_from);
    ls->n_slots = SLOTS_INITIAL;
    ls->slots = xcalloc(ls->n_slots, sizeof(struct slot));
    ls->limit_reported = xcalloc(rules->n_rules + 1, sizeof(bool));
    return ls;
}

struct logscan *logscan_new(const struct rule_set *rules, struct log_report *report)
{
    return scanner_new(rules, report, NULL);
}

struct logscan *logscan_new_like(struct logscan *like, struct log_report *report)
{
    return scanner_new(like->rules, report, like);
}

void logscan_set_since(struct logscan *ls, int64_t epoch)
{
    /* the fast path dates the events it does not split (on_unsplit) */
    ls->has_since = true;
    ls->since_epoch = epoch;
}

void logscan_set_format(struct logscan *ls, enum log_format format)
{
    ls->format_forced = true;
    ls->format = format;
}

void logscan_set_last_start(struct logscan *ls, bool on)
{
    ls->last_start_only = on;
}

void logscan_set_progress(struct logscan *ls,
                          void (*fn)(void *ud, const char *path, uint64_t bytes), void *ud)
{
    ls->progress = fn;
    ls->progress_ud = ud;
}

void logscan_free(struct logscan *ls)
{
    if (!ls)
        return;
    for (size_t i = 0; i < ls->n_slots; i++)
        free(ls->slots[i].key);
    free(ls->slots);
    free(ls->limit_reported);
    free(ls->slow_rules);
    logscan_splitter_free(ls->sp);
    logscan_splitter_free(ls->sp_err);
    if (!ls->borrowed) {
        multimatch_free(ls->mm);
        envelope_json_skip_free(ls->json_skip);
    }
    for (size_t i = 0; i < ls->n_cand; i++)
        free(ls->cand_s[i]);
    free(ls->cand_s);
    free(ls->cand_n);
    rules_scratch_free(ls->scratch);
    strv_free(ls->seen, ls->n_seen);
    free(ls->occ);
    free(ls);
}

static int compare_findings(const void *a, const void *b)
{
    const struct log_finding *x = a, *y = b;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

void logscan_finish(struct logscan *ls)
{
    struct log_report *rep = ls->report;
    if (rep->n_findings > 1)
        qsort(rep->findings, rep->n_findings, sizeof(struct log_finding), compare_findings);
    /* The slots point at positions that just moved: rebuild them so more files may follow. */
    for (size_t i = 0; i < ls->n_slots; i++) {
        free(ls->slots[i].key);
        ls->slots[i].key = NULL;
    }
    for (size_t i = 0; i < rep->n_findings; i++) {
        char *key = group_key(ls, &rep->findings[i]);
        struct slot *slot = slot_find(ls->slots, ls->n_slots, key);
        slot->key = key;
        slot->finding = i;
    }
}
