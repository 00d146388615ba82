/*
 * crashfiles.h - the files a dead JVM leaves where its flags send them: the
 * hs_err_pid<pid>.log fatal error report (-XX:ErrorFile, else the working
 * directory, else /tmp: openjdk vmError.cpp prepare_log_file) and heap dumps
 * (-XX:HeapDumpPath, a file or a directory, else java_pid<pid>.hprof in the
 * working directory: heapDumper.cpp).
 */
#ifndef WRENCH_CRASHFILES_H
#define WRENCH_CRASHFILES_H

#include <stddef.h>
#include <stdint.h>

#include "svcstate.h"

#define CRASHFILES_MAX 1000 /* files a glob may give */

/* Where a JVM would have put its crash files: its working directory (target path, NULL
 * unknown) and its arguments (for -XX:ErrorFile and -XX:HeapDumpPath). */
struct crash_places {
    const char *root; /* NULL: "/" */
    const char *cwd;
    char *const *args;
    size_t n_args;
    /* What the store saw of its last JVM (svcstate.h jvm_sighting), looked at too: its
     * working directory, -XX:ErrorFile and -XX:HeapDumpPath; NULL when unknown. */
    const char *seen_cwd;
    const char *seen_error_file;
    const char *seen_heap_dump_path;
    /* How to tell the last JVM's files from an earlier one's: the pid the store last saw
     * it run as and when that JVM started (0 unknown), and when runit saw it end (0
     * unknown). A file written before the JVM seen last started is an earlier JVM's. */
    int seen_pid;
    int64_t seen_started;
    int64_t ended_at;
};

/* Fill st->hs_err_path/hs_err with the newest hs_err file found (parsed) that is not
 * known to be an earlier JVM's, st->heap_dumps with the heap dumps ("path (N bytes,
 * written TIME)") and st->last_jvm_dump with the newest of them the last JVM wrote. */
void crashfiles_find(const struct crash_places *places, struct service_state *st);

#endif
