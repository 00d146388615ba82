/*
 * startmark.h - has the service's current start finished, as its log says?
 * Tomcat: "Server startup in [N] milliseconds" (Catalina.start); Spring Boot:
 * "Started App in N seconds (process running for M)" (JVM running for, before
 * 3.0). Only a marker after the last start marker counts (logscan's
 * last_start_line): a finished start of an earlier run says nothing of this one.
 * The durations the markers give ("in [412] milliseconds", "in 5.152 seconds") tell
 * how long the service usually takes to start.
 */
#ifndef WRENCH_STARTMARK_H
#define WRENCH_STARTMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STARTMARK_TEXT_MAX 200 /* bytes of the marker line kept */

/* True when `line` is a start-finished marker. */
bool startmark_is_finished(const char *line, size_t len);

/* The start's duration a marker line gives, in milliseconds; false when it gives none. */
bool startmark_duration_ms(const char *line, size_t len, uint64_t *ms);

struct startmark {
    bool finished; /* a marker after line `after` */
    uint64_t line; /* its line */
    char text[STARTMARK_TEXT_MAX];
    size_t n_durations; /* markers with a duration, of any run */
    uint64_t max_ms;    /* the longest start they give */
};

/* Read the log at `path` (plain or gzip) for start-finished markers; `after` is the last
 * start marker's line (0: none), counted from byte `from` as the scan counted it (its
 * start_offset: line 1 starts there; 0 for the file's start). Lines before `from` are read
 * for the durations of earlier starts only. Returns 0, or -1 when the file cannot be read. */
int startmark_scan(const char *path, uint64_t from, uint64_t after, struct startmark *out);

#endif
