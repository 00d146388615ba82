/*
 * fuzz_logscan.c - libFuzzer harness for the log event splitter, timestamp
 * parsing and matching against the shipped rules: the input is a log.
 */
#include <stdint.h>
#include <stdlib.h>

#include "logmodel.h"
#include "logscan.h"
#include "rules.h"
#include "util.h"

static struct rule_set *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[WR_ERR_MAX];
    if (!rules && rules_load(&rules, NULL, err) != 0)
        abort(); /* the embedded rules must load: a broken build, not an input */
    struct log_report report = {0};
    struct logscan *ls = logscan_new(rules, &report);
    logscan_set_since(ls, 0);
    logscan_buffer(ls, "fuzz.log", (const char *)data, size, LOG_KIND_TOMCAT);
    logscan_finish(ls);
    logscan_free(ls);
    log_report_clear(&report);
    char *text = xstrndup((const char *)data, size);
    logscan_epoch(text);
    int64_t since;
    logscan_parse_since(text, 0, &since);
    logscan_is_start_marker((const char *)data, size);
    free(text);
    return 0;
}
