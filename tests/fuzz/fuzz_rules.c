/*
 * fuzz_rules.c - libFuzzer harness for the log rule file loader and checker:
 * the input is a rule file (JSON with PCRE2 patterns).
 */
#include <stdint.h>
#include <stdlib.h>

#include "rules.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rule_problems problems = {0};
    rules_check_text((const char *)data, size, "fuzz.json", &problems);
    rule_problems_free(&problems);
    struct rule_set *set = rules_new();
    char err[WR_ERR_MAX];
    if (rules_add_text(set, (const char *)data, size, "fuzz.json", err) == 0) {
        /* run what loaded over the input itself, as a log */
        struct rule_scratch *scratch = rules_scratch_new(set);
        struct rule_hit hit;
        rules_match(set, (const char *)data, size, LOG_KIND_APP, scratch, &hit);
        rules_scratch_free(scratch);
    }
    rules_free(set);
    return 0;
}
