/*
 * logscan.h - diagnose Tomcat and application logs: read files (plain or
 * gzip) in bounded chunks, split them into events (a record header line and
 * its continuation lines: stack frames, "Caused by:", indented lines, the
 * second line of a java.util.logging record), run the rule set over each event
 * and group the hits into findings (see logmodel.h). This is the API callers
 * use; it includes the headers of the scanner's parts:
 *   logtime.h   timestamps of log records, --since
 *   logsplit.h  the event splitter (lines -> events), start markers
 *   logmatch.h  matching and grouping (events -> findings), signatures
 *   logread.h   reading files, envelopes, large logs on two threads, directories
 * logscan.c holds the scanner itself (below): its creation, options and end.
 *
 * Memory is bounded whatever the input: a line keeps LOGSCAN_LINE_MAX bytes, an
 * event LOGSCAN_EVENT_MAX (the rest is counted and the event marked truncated),
 * NUL bytes are read as spaces, CR before LF is dropped, and bytes are matched
 * as bytes (invalid UTF-8 is harmless).
 */
#ifndef WRENCH_LOGSCAN_H
#define WRENCH_LOGSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logmodel.h"
#include "rules.h"

#include "logtime.h"
#include "logsplit.h"
#include "logmatch.h"
#include "logread.h"

#define LOGSCAN_CHUNK (64u * 1024)       /* bytes read from a file at a time */
#define LOGSCAN_LINE_MAX (64u * 1024)    /* bytes kept of one line */
#define LOGSCAN_EVENT_MAX (64u * 1024)   /* bytes kept of one event */
#define LOGSCAN_SAMPLE_MAX (8u * 1024)   /* bytes of an event kept as a finding's sample */
#define LOGSCAN_TEXT_MAX 1024            /* root cause, first exception line */
#define LOGSCAN_MESSAGE_MAX 512          /* masked message in a signature */
#define LOGSCAN_CHAIN_MAX 8              /* exception types kept in a chain */
#define LOGSCAN_TS_MAX 40                /* bytes of a timestamp */
#define LOGSCAN_MAX_FINDINGS 2000        /* distinct groups kept (~12 KiB each); more are counted */
#define LOGSCAN_MAX_FILES 10000          /* files taken from one directory or glob */
#define LOGSCAN_PARALLEL_MIN (64u << 20) /* a log this large: two threads */

#define LOGSCAN_TAIL_LINES 10           /* last lines of a file kept for the report */
#define LOGSCAN_TAIL_BYTES (16u * 1024) /* read from the end of a file for its tail */
#define LOGSCAN_MARKER_MAX 240          /* bytes of a start marker line kept */

struct logscan;

/* A scanner filling `report` (borrowed, must outlive it) with the rules of `rules` (borrowed). */
struct logscan *logscan_new(const struct rule_set *rules, struct log_report *report);
void logscan_free(struct logscan *ls);

/* Only events at or after `epoch` are matched (events without a date follow the last dated
 * one before them); the others are counted as skipped. */
void logscan_set_since(struct logscan *ls, int64_t epoch);
/* Only the records from each file's last start marker on are matched: "why did it fail to
 * start" is about this run, not last week's. Costs a first pass over each file. */
void logscan_set_last_start(struct logscan *ls, bool on);
/* Read every file as `format` instead of recognising each one's format from its first lines
 * (envelope.h). */
void logscan_set_format(struct logscan *ls, enum log_format format);
/* Called after every chunk read: the file and its bytes read so far. */
void logscan_set_progress(struct logscan *ls,
                          void (*fn)(void *ud, const char *path, uint64_t bytes), void *ud);

/* Sort the findings: severity (critical first), then count, then file and line. */
void logscan_finish(struct logscan *ls);

#endif
