/*
 * report_text.h - the report for a person in a shell: the verdict first, then
 * findings grouped and ordered most severe first, then a one-line summary.
 */
#ifndef WRENCH_REPORT_TEXT_H
#define WRENCH_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

#define REPORT_TEXT_MAX_CLASSES 10 /* differing class names shown per conflict */
#define REPORT_TEXT_SAMPLE_LINES 6 /* lines of a log finding's sample shown */
#define REPORT_TEXT_LINE_MAX 160   /* characters of a sample line or target shown */

/* Write the report to `out`; `color` adds ANSI colour to severity labels. */
void report_text_write(const struct scan *scan, FILE *out, bool color);

#endif
