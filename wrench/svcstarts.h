/*
 * svcstarts.h - the starts a service's log records, for its state (svcstate.h) and the
 * timeline of the report: each start marker (logscan_is_start_marker: Tomcat's "Server
 * version name:", Spring Boot's "Starting App ... using Java"), with its time and the
 * start-finished marker after it (startmark.h: "Server startup in [N] milliseconds",
 * "Started App in N seconds"). The log is read once, through its envelope (svlogd, CRI,
 * Docker, JSON lines), after the log scan: analysis only, no rule runs here.
 */
#ifndef WRENCH_SVCSTARTS_H
#define WRENCH_SVCSTARTS_H

#include <stddef.h>
#include <stdint.h>

#include "startmark.h"
#include "svcstate.h"

/* The starts of one log file. */
struct start_list {
    struct svc_start *items; /* oldest first; the newest SVCSTATE_STARTS_MAX */
    size_t n, cap;
    size_t total; /* every start marker read */
};

/*
 * Read the log at `path` (plain or gzip): its starts into `out` (zeroed; free with
 * start_list_clear), and into `mark` what startmark_scan() gives: whether a finished
 * marker follows physical line `after`, and the longest start the markers give.
 * Returns 0, or -1 when the file cannot be read.
 */
int svcstarts_scan(const char *path, uint64_t after, struct start_list *out,
                   struct startmark *mark);

/* The same for a log already in memory (`path` names it in the starts): for tests and the
 * fuzz harness. */
void svcstarts_scan_buffer(const char *path, const char *data, size_t len, uint64_t after,
                           struct start_list *out, struct startmark *mark);

void start_list_clear(struct start_list *l);
void svc_start_clear(struct svc_start *s);

#endif
