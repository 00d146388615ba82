/*
 * fuzz_artifact.c - libFuzzer harness for the file-name version parser and
 * the pom.properties parser, both fed the same input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *)data, size); /* stops at a NUL, as a file name does */
    char *name, *version;
    artifact_parse_filename(text, &name, &version);
    free(name);
    free(version);
    struct artifact a = {0};
    if (artifact_parse_pom_properties((const char *)data, size, &a) == 0)
        artifact_clear(&a);
    free(text);
    return 0;
}
