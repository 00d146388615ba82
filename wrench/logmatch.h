/*
 * logmatch.h - matching and grouping (part of the log scanner, logscan.h): each event the
 * splitter hands over is matched against the rule set and grouped into findings. The
 * scanner calls it through logscan_internal.h; what others may use is below.
 *
 * Each event gets at most one finding: the first rule in match order that
 * matches (see rules_match). ERROR/SEVERE/FATAL records carrying an exception
 * that no rule matched are grouped as "uncategorized" at warning severity.
 * Findings group by rule id + signature: the exception type chain, the matched
 * text (or the first exception message) with numbers, hex and ids masked, and
 * the top application frame without its line number.
 */
#ifndef WRENCH_LOGMATCH_H
#define WRENCH_LOGMATCH_H

#include <stddef.h>

/* Copy s[0..len) into buf (size bytes) with numbers, hex numbers and hex ids masked as '#'
 * (a word of hex digits with a digit in it, 0x..., a number heading a word: "30000ms" ->
 * "#ms"; words starting with a letter such as log4j stay), control characters as spaces;
 * always NUL-terminates. */
void logscan_mask(const char *s, size_t len, char *buf, size_t size);

#endif
