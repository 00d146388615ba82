/*
 * fuzz_logfast.c - libFuzzer harness, differential: the input is a log, scanned once with the
 * fast path (candidates first, logsplit.c) and once without (WRENCH_LOG_FASTPATH=0), as it
 * comes (its format detected) and read as each container format (CRI, Docker json-file,
 * JSON lines, svlogd: the records' fast path, the JSON shortcut, Docker without jansson).
 * The input is also written to a file and read by logscan_file on two threads, its halves
 * split at the middle whatever its size (WRENCH_LOG_PARALLEL_MIN=1, logread.c).
 * The reports must be the same: per-file counts, start marker, and every finding's rule,
 * count, place, dates, sample and title. A difference aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logmodel.h"
#include "logscan.h"
#include "rules.h"
#include "util.h"

static struct rule_set *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void compare(const uint8_t *data, size_t size, int format);
static void same_reports(const struct log_report *want, const struct log_report *got,
                         bool problems);

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

/* The same scan of the input as a file, read by two threads when a middle is found. */
static void scan_file(const uint8_t *data, size_t size, int format, struct log_report *rep)
{
    char path[] = "/tmp/fuzz_logfast_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        abort(); /* the machine, not an input */
    close(fd);
    setenv("WRENCH_LOG_FASTPATH", "1", 1);
    setenv("WRENCH_LOG_PARALLEL_MIN", "1", 1);
    unsetenv("WRENCH_LOG_THREADS");
    struct logscan *ls = logscan_new(rules, rep);
    if (format >= 0)
        logscan_set_format(ls, (enum log_format)format);
    char err[WR_ERR_MAX];
    logscan_file(ls, path, LOG_KIND_TOMCAT, err);
    logscan_finish(ls);
    logscan_free(ls);
    unsetenv("WRENCH_LOG_PARALLEL_MIN");
    unlink(path);
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

static void same_reports(const struct log_report *want, const struct log_report *got, bool problems)
{
    must(want->n_files == 1 && got->n_files == 1, "files");
    const struct log_file *a = &want->files[0], *b = &got->files[0];
    must(a->lines == b->lines && a->events == b->events, "lines or events");
    must(a->truncated_events == b->truncated_events && a->long_lines == b->long_lines,
         "truncated events or long lines");
    must(same_str(a->last_start, b->last_start) && a->last_start_line == b->last_start_line,
         "last start");
    must(want->n_findings == got->n_findings && want->dropped_findings == got->dropped_findings,
         "number of findings");
    for (size_t i = 0; i < want->n_findings; i++) {
        const struct log_finding *x = &want->findings[i], *y = &got->findings[i];
        must(strcmp(x->rule_id, y->rule_id) == 0 && x->count == y->count && x->line == y->line,
             "a finding's rule, count or line");
        must(same_str(x->first_seen, y->first_seen) && same_str(x->last_seen, y->last_seen),
             "a finding's dates");
        must(same_str(x->sample, y->sample) && same_str(x->title, y->title) &&
                 same_str(x->signature, y->signature) && same_str(x->root_cause, y->root_cause),
             "a finding's sample, title, signature or root cause");
    }
    must(!problems || want->n_problems == got->n_problems, "problems");
}

static void compare(const uint8_t *data, size_t size, int format)
{
    struct log_report full = {0}, fast = {0}, halves = {0};
    scan(data, size, "0", format, &full);
    scan(data, size, "1", format, &fast);
    same_reports(&full, &fast, true);
    if (size < 2 || data[0] != 0x1f || data[1] != 0x8b) { /* a file of gzip is decompressed */
        scan_file(data, size, format, &halves);
        same_reports(&full, &halves, false); /* a file's problems (its NUL bytes) are its own */
    }
    log_report_clear(&full);
    log_report_clear(&fast);
    log_report_clear(&halves);
}
