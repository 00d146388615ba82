/*
 * logscan_internal.h - what the parts of the log scanner (logscan.c, logsplit.c,
 * logmatch.c, logread.c) share and no caller sees: the scanner's state and the functions
 * one part calls in another. Callers use logscan.h.
 */
#ifndef WRENCH_LOGSCAN_INTERNAL_H
#define WRENCH_LOGSCAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logscan.h"
#include "logtime.h"

/* A group's place in the scanner's open-addressing table (logmatch.c). */
struct slot {
    char *key; /* group_key(): rule id, title, signature; NULL when free */
    size_t finding;
};

struct occurrence; /* one record in two files: logmatch.c */

/* The scanner: created and freed in logscan.c, fed by logread.c, filled by logmatch.c. */
struct logscan {
    const struct rule_set *rules;
    struct log_report *report;
    struct rule_scratch *scratch;
    struct logscan_splitter *sp;
    struct logscan_splitter *sp_err; /* CRI and Docker stderr, kept apart from stdout */
    bool format_forced;              /* --log-format: every file is read as `format` */
    enum log_format format;
    struct slot *slots;
    size_t n_slots; /* a power of two */
    size_t used;
    /* the file being read */
    const char *path;
    size_t file_index;
    enum log_kind kind;
    bool *limit_reported; /* per rule, reset per file */
    /* what to skip: events before since_epoch, or before line skip_before */
    bool has_since;
    int64_t since_epoch;
    bool last_start_only;
    uint64_t skip_before;
    bool before_since;                 /* the last dated event was before since_epoch */
    struct logscan_epoch_cache epochs; /* the epochs skipped_at dated (logmatch.c) */
    void (*progress)(void *ud, const char *path, uint64_t bytes);
    void *progress_ud;
    /* files already read (their real paths): a log reached twice, through its directory and
     * as a file the JVM holds open, is read once */
    char **seen;
    size_t n_seen, seen_cap;
    /* counts of a second thread's half of the current file, added by end_file */
    uint64_t extra_lines, extra_events, extra_truncated, extra_long_lines;
    /* occurrences of timestamped matched events, to count a record written to two files
     * once (see occ_seen) */
    struct occurrence *occ;
    size_t n_occ_slots, n_occ;
    size_t occ_file; /* the file index occurrences are recorded under (the file read) */
    /* the fast path's candidate literals (logscan.c); NULL when it is off */
    struct multimatch *mm;
    /* the literals it was made from, and which candidates are logdumps' start lines */
    char **cand_s;
    size_t *cand_n, n_cand, notice_from;
    /* JSON lines: which lines need no decoding (envelope.h); NULL when any may. Made when a
     * JSON-lines file is first read (logscan_json_skip) */
    struct envelope_json_skip *json_skip;
    bool json_skip_made;
    bool borrowed;            /* mm and json_skip are another scanner's (logscan_new_like) */
    uint64_t undecoded;       /* the file's JSON records not decoded (WRENCH_LOG_FASTPATH=stats) */
    bool halves_merged;       /* the file was read by two threads, halves merged (stats) */
    uint64_t halves_physical; /* JSON lines read in two halves: the file's physical lines */
    /* rules whose required literals cannot be told: the fast path's probe runs them */
    size_t *slow_rules;
    size_t n_slow_rules;
    /* WRENCH_LOG_FASTPATH=stats: each file's events split and not split go to stderr */
    bool fast_stats;
    uint64_t unsplit_mark, extra_unsplit;
    int extra_notice; /* logscan_splitter_notice of a second thread's half (0 when none) */
};

/* logscan.c: a scanner for a second thread on the file `like` reads: it shares like's
 * compiled candidate search and JSON skip (read-only; like outlives it). */
struct logscan *logscan_new_like(struct logscan *like, struct log_report *report);
/* logscan.c: the JSON-lines skip, made on first use; NULL when any line may matter. */
const struct envelope_json_skip *logscan_json_skip(struct logscan *ls);

/* logsplit.c: offset of the first dotted Java class name ending in Exception, Error or
 * Throwable that is followed by ':', whitespace or the end of the line; its length in *n.
 * -1 when none. */
long find_exception(const char *s, size_t len, size_t *n);

/* logmatch.c: the slot of `key` in a table of n_slots (a power of two), free or not. */
struct slot *slot_find(struct slot *slots, size_t n_slots, const char *key);
/* logmatch.c: the key a finding is grouped by (allocated). */
char *group_key(const struct logscan *ls, const struct log_finding *f);
/* logmatch.c: the splitters' callback, ctx a struct logscan: match, group, count. */
void on_event(const struct log_event *ev, void *ctx);
/* logmatch.c: the fast path's callback for an event it did not split (no candidate in it),
 * its first line and time: counted as skipped when on_event would have. */
void on_unsplit(uint64_t line, const char *timestamp, void *ctx);
/* logmatch.c: fold a second thread's half of the current file into ls (logread.c). */
void merge_findings(struct logscan *ls, struct logscan *second);
void merge_problems(struct logscan *ls, struct logscan *second);

#endif
