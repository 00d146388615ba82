/*
 * fuzz_hints.c - libFuzzer harness for the classpath-hints rule file loader.
 */
#include <stdint.h>
#include <stdlib.h>

#include "hints.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *)data, size);
    struct hint_set *set;
    char err[WR_ERR_MAX];
    if (hints_load_text(&set, text, "fuzz.json", err) == 0)
        hints_free(set);
    free(text);
    return 0;
}
