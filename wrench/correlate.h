/*
 * correlate.h - link log findings that name a class (NoSuchMethodError,
 * NoClassDefFoundError, ClassCastException...) to what the scanned classpaths
 * hold for that class: which entries, whether the copies differ, which loads.
 */
#ifndef WRENCH_CORRELATE_H
#define WRENCH_CORRELATE_H

#include "model.h"

#define CORRELATE_MAX 200 /* correlations kept: one per finding and view */

/* Fill scan->correlations from scan->logs and the views' class indexes. */
void correlate_logs(struct scan *scan);

/* The strongest correlation (a class in several entries whose copies differ), or NULL. */
const struct correlation *correlate_best(const struct scan *scan);

#endif
