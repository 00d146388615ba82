/*
 * reader.h - read every entry of every classpath view: the jar's identity,
 * its classes into the view's class index, the watched resources that hints
 * look for, and the manifest Class-Path entries the loader would add.
 */
#ifndef WRENCH_READER_H
#define WRENCH_READER_H

#include <stddef.h>

#include "model.h"

/* Entries of one view: discovery's beyond it are dropped, Class-Path items beyond it are
 * not followed, and either is a problem naming the view's target. Real classpaths hold a
 * few thousand at most. */
#define READER_MAX_VIEW_ENTRIES 20000u

/* Threads that read a view's jar files (the calling one included), at most. */
#define READER_MAX_THREADS 2u

/*
 * Read all views of `scan`. `watched` lists resource names (e.g.
 * "logback.xml") whose presence in an entry is recorded in the view's
 * resources. Never fails as a whole: an entry that cannot be read gets a status
 * and a problem, and every non-OK entry is also listed in scan->problems.
 */
void reader_read_scan(struct scan *scan, const char *const *watched, size_t n_watched);

/*
 * How many threads read the jar files of a view: 0 (the default) as many as the CPUs this
 * process may use allow (its affinity mask and its cgroup's cpu.max quota), at most
 * READER_MAX_THREADS; 1 reads on the calling thread alone. The environment variable
 * WRENCH_CP_THREADS, when set to a number, overrides it. Either way the scan is the same.
 */
void reader_set_threads(unsigned n);
/* The number of threads the next view will be read with (when it has enough jar files). */
unsigned reader_threads(void);

#endif
