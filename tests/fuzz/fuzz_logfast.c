/*
 * fuzz_logfast.c - libFuzzer harness, differential: the input is a log, scanned once with the
 * fast path (candidates first, logsplit.c) and once without (WRENCH_LOG_FASTPATH=0), as it
 * comes (its format detected) and read as each container format (CRI, Docker json-file,
 * JSON lines, svlogd: the records' fast path, the JSON shortcut, Docker without jansson).
 * The two reports must be the same: per-file counts, start marker, and every finding's rule,
 * count, place, dates, sample and title. A difference aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logmodel.h"
#include "logscan.h"
#include "rules.h"
#include "util.h"

static struct rule_set *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void compare(const uint8_t *data, size_t size, int format);

static void scan(const uint8_t *data, size_t size, const char *fast, int format,
                 struct log_report *rep)
{
    setenv("WRENCH_LOG_FASTPATH", fast, 1);
    struct logscan *ls = logscan_new(rules, rep);
    if (format >= 0)
        logscan_set_format(ls, (enum log_format)format);
    logscan_buffer(ls, "fuzz.log", (const char *)data, size, LOG_KIND_TOMCAT);
    logscan_finish(ls);
    logscan_free(ls);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void must(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_logfast: the fast path differs: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[WR_ERR_MAX];
    if (!rules && rules_load(&rules, NULL, err) != 0)
        abort(); /* the embedded rules must load: a broken build, not an input */
    static const int formats[] = {-1, LOG_FORMAT_CRI, LOG_FORMAT_DOCKER, LOG_FORMAT_JSON,
                                  LOG_FORMAT_SVLOGD};
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        compare(data, size, formats[f]);
    return 0;
}

static void compare(const uint8_t *data, size_t size, int format)
{
    struct log_report full = {0}, fast = {0};
    scan(data, size, "0", format, &full);
    scan(data, size, "1", format, &fast);
    must(full.n_files == 1 && fast.n_files == 1, "files");
    const struct log_file *a = &full.files[0], *b = &fast.files[0];
    must(a->lines == b->lines && a->events == b->events, "lines or events");
    must(a->truncated_events == b->truncated_events && a->long_lines == b->long_lines,
         "truncated events or long lines");
    must(same_str(a->last_start, b->last_start) && a->last_start_line == b->last_start_line,
         "last start");
    must(full.n_findings == fast.n_findings && full.dropped_findings == fast.dropped_findings,
         "number of findings");
    for (size_t i = 0; i < full.n_findings; i++) {
        const struct log_finding *x = &full.findings[i], *y = &fast.findings[i];
        must(strcmp(x->rule_id, y->rule_id) == 0 && x->count == y->count && x->line == y->line,
             "a finding's rule, count or line");
        must(same_str(x->first_seen, y->first_seen) && same_str(x->last_seen, y->last_seen),
             "a finding's dates");
        must(same_str(x->sample, y->sample) && same_str(x->title, y->title) &&
                 same_str(x->signature, y->signature) && same_str(x->root_cause, y->root_cause),
             "a finding's sample, title, signature or root cause");
    }
    must(full.n_problems == fast.n_problems, "problems");
    log_report_clear(&full);
    log_report_clear(&fast);
}
