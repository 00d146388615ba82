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

/* Parse --since: an ISO date-time ("2026-11-27", "2026-11-27 02:00", "...T02:00:00Z") or a
 * duration back from `now` ("90s", "30m", "2h", "7d"). -1 when it is neither. */
int logscan_parse_since(const char *text, int64_t now, int64_t *out);

#endif
