/*
 * fuzz_threaddump.c - libFuzzer harness for the thread dump parser and its renderings:
 * the input is a dump (or anything a log may hold).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "threaddump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct thread_dump *d;
    if (threaddump_parse((const char *)data, size, &d) != 0)
        return 0;
    char *summary = threaddump_summary(d);
    free(summary);
    summary = threaddump_summary_lang(d, LANG_ZH);
    free(summary);
    json_decref(threaddump_json(d));
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        threaddump_write_text(d, null, "  ", LANG_EN);
        threaddump_write_text(d, null, "  ", LANG_ZH);
        fclose(null);
    }
    threaddump_free(d);
    return 0;
}
