/*
 * logtime.h - the timestamps of Java log records (part of the log scanner, logscan.h):
 * where one starts a line, its seconds since the epoch, and --since.
 *
 * Recognised (optionally after '['): 2026-11-27 02:19:18,123 / 2026-11-27T02:19:18.123Z /
 * 27-Nov-2026 02:19:18.123 / Nov 27, 2026 2:19:18 AM / 02:19:18,123.
 */
#ifndef WRENCH_LOGTIME_H
#define WRENCH_LOGTIME_H

#include <stddef.h>
#include <stdint.h>

/* When s[0..len) starts with a timestamp (optionally after '['), its length and its offset in
 * *start; 0 otherwise. */
size_t logscan_timestamp(const char *s, size_t len, size_t *start);

/* Seconds since the epoch of a timestamp as logscan_timestamp() finds them (zone-less ones
 * in local time, like the logger wrote them); -1 when it has no date (time-only). */
int64_t logscan_epoch(const char *ts);

/* logscan_epoch with the epochs of the last few minutes remembered: a log's records mostly
 * follow one of the same minute, while logscan_epoch costs a sscanf and, for local times,
 * mktime's look at /etc/localtime (about 1 us). The same answers as logscan_epoch. Zero a
 * cache before its first use; one per thread. */
#define LOGSCAN_EPOCH_SLOTS 4
#define LOGSCAN_EPOCH_KEY 40 /* bytes of a timestamp the cache keeps (LOGSCAN_TS_MAX) */
struct logscan_epoch_cache {
    char key[LOGSCAN_EPOCH_SLOTS][LOGSCAN_EPOCH_KEY];
    int64_t value[LOGSCAN_EPOCH_SLOTS];
    unsigned next;
};
int64_t logscan_epoch_cached(struct logscan_epoch_cache *cache, const char *ts);

/* The milliseconds of a timestamp's fraction after its seconds ("12:29:58.833",
 * "12:29:58,833": 833; "12:29:58.8": 800); 0 when it has none. */
int64_t logscan_fraction_ms(const char *ts);

/* Parse --since: an ISO date-time ("2026-11-27", "2026-11-27 02:00", "...T02:00:00Z") or a
 * duration back from `now` ("90s", "30m", "2h", "7d"). -1 when it is neither. */
int logscan_parse_since(const char *text, int64_t now, int64_t *out);

#endif
