/*
 * report_text.h - the report for a person in a shell: the verdict first, then
 * findings grouped and ordered most severe first, then a one-line summary.
 */
#ifndef WRENCH_REPORT_TEXT_H
#define WRENCH_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "messages.h"
#include "model.h"

#define REPORT_TEXT_MAX_CLASSES 10 /* differing class names shown per conflict */
#define REPORT_TEXT_SAMPLE_LINES 6 /* lines of a log finding's sample shown */
#define REPORT_TEXT_LINE_MAX 160   /* characters of a sample line or target shown */

/* The language of the text report (--lang): the verdict, the incidents, rule titles and
 * hints, the titles and labels wrench writes (messages.h). What the JVM, Tomcat or a jar
 * says is quoted as it is. */
enum report_lang { REPORT_LANG_EN, REPORT_LANG_ZH };

/* Parse "en" or "zh" (--lang); -1 for anything else. */
int report_lang_parse(const char *text, enum report_lang *lang);
struct diagnosis;

/* The default language from the locale variables, as setlocale looks them up: the first
 * non-empty of LC_ALL, LC_MESSAGES, LANG; "zh..." gives Chinese, anything else English. */
enum report_lang report_lang_from_env(void);

/* Write the report to `out`; `color` adds ANSI colour to severity labels. */
void report_text_write(const struct scan *scan, FILE *out, bool color);
/* The same, with rule titles and hints in `lang` where the rule or hint has them; `d` is the
 * scan's diagnosis when the caller built one (NULL: it is built here). */
void report_text_write_lang(const struct scan *scan, const struct diagnosis *d, FILE *out,
                            bool color, enum report_lang lang);

/* A severity's label padded to 8 columns, as the finding lists print it: "ERROR   ", or
 * "错误    " (a Chinese character takes two columns). */
void report_severity_label(enum lang lang, enum severity sev, char *buf, size_t size);

#endif
