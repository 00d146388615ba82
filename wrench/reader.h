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

/*
 * Read all views of `scan`. `watched` lists resource names (e.g.
 * "logback.xml") whose presence in an entry is recorded in the view's
 * resources. Never fails as a whole: an entry that cannot be read gets a status
 * and a problem, and every non-OK entry is also listed in scan->problems.
 */
void reader_read_scan(struct scan *scan, const char *const *watched, size_t n_watched);

#endif
