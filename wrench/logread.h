/*
 * logread.h - reading logs (part of the log scanner, logscan.h): files plain or gzip
 * (detected from content), envelopes and JSON lines (envelope.h), a large plain log on two
 * threads, directories (svlogd's included) and glob patterns, each file's tail and
 * content notes.
 */
#ifndef WRENCH_LOGREAD_H
#define WRENCH_LOGREAD_H

#include <stddef.h>
#include <stdint.h>

#include "logmodel.h"

struct logscan;

/* The kind a file name suggests (catalina.out -> tomcat, localhost_access_log -> access...). */
enum log_kind logscan_guess_kind(const char *path);

/* Scan one file (plain or gzip, detected from content). A file that cannot be read is
 * recorded in report->problems and -1 returned with err set; a read error half-way keeps the
 * events read so far. */
int logscan_file(struct logscan *ls, const char *path, enum log_kind kind, char *err);
/* Scan an in-memory log named `name` (tests, stdin). */
void logscan_buffer(struct logscan *ls, const char *name, const char *data, size_t len,
                    enum log_kind kind);
/* Scan what `spec` names: a file, a directory (its *.log*, *.out*, *.txt files except access
 * logs, not recursive, sorted) or a glob pattern; kinds are guessed from file names. Every
 * problem is recorded in the report; returns -1 with err set when the spec names nothing
 * readable. */
int logscan_add_path(struct logscan *ls, const char *spec, char *err);

#endif
