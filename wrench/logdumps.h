/*
 * logdumps.h - thread dumps and fatal error banners that are already in a
 * service's output: a `kill -3` or a jstack / `jcmd Thread.print` pasted into
 * a log ("Full thread dump ...", "Found one Java-level deadlock:"), and the
 * JVM's fatal error and native out-of-memory banners ("# A fatal error has been
 * detected by the Java Runtime Environment", "There is insufficient memory for
 * the Java Runtime Environment to continue"). They are parsed as a live dump or
 * an hs_err file would be (threaddump.h, hserr.h), become findings, and join
 * the state of the service whose log holds them.
 *
 * Each log is searched for the start lines first (memmem over the raw bytes):
 * only a file that holds one is read line by line again, through its envelope. A log the
 * scan read from its last start only (--last-start from the end: start_offset) is searched
 * from there too: earlier runs' dumps are not this run's, and line numbers count from it.
 */
#ifndef WRENCH_LOGDUMPS_H
#define WRENCH_LOGDUMPS_H

#include "model.h"

#define LOGDUMPS_LINES_MAX 50000             /* lines kept of one dump */
#define LOGDUMPS_BYTES_MAX (8 * 1024 * 1024) /* bytes kept of one dump */
#define LOGDUMPS_PER_FILE 20                 /* dumps parsed per file (the last is kept) */
#define LOGDUMPS_FILE_MAX (2ULL << 30)       /* bytes of a log searched */

/* The start lines searched for (n of them): the log scan's candidate search looks for them
 * too (logscan.c), so that a file whose bytes hold none is not searched again. */
const char *const *logdumps_start_lines(size_t *n);

/* Search the scan's log files; add findings and attach to the services' states (a file
 * whose dump_lines is LOG_DUMPS_NONE is skipped). */
void logdumps_scan(struct scan *scan);

#endif
