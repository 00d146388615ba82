/*
 * startmark.h - has the service's current start finished, as its log says?
 * Tomcat: "Server startup in [N] milliseconds" (Catalina.start); Spring Boot:
 * "Started App in N seconds (process running for M)" (JVM running for, before
 * 3.0). Only a marker after the last start marker counts (logscan's
 * last_start_line): a finished start of an earlier run says nothing of this one.
 */
#ifndef WRENCH_STARTMARK_H
#define WRENCH_STARTMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STARTMARK_TEXT_MAX 200 /* bytes of the marker line kept */

/* True when `line` is a start-finished marker. */
bool startmark_is_finished(const char *line, size_t len);

/* The last start-finished marker of the log at `path` (plain or gzip) after physical line
 * `after` (0: anywhere): 1 with *line and text (STARTMARK_TEXT_MAX bytes), 0 when none,
 * -1 when the file cannot be read. */
int startmark_find(const char *path, uint64_t after, uint64_t *line, char *text);

#endif
