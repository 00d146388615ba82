/*
 * fuzz_manifest.c - libFuzzer harness for MANIFEST.MF parsing and the
 * Class-Path item decoder.
 */
#include <stdint.h>
#include <stdlib.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest mf = {0};
    manifest_parse(&mf, (const char *)data, size);
    if (mf.class_path) {
        char **items;
        size_t n = manifest_class_path_items(mf.class_path, &items);
        for (size_t i = 0; i < n; i++)
            free(items[i]);
        free(items);
    }
    manifest_clear(&mf);
    return 0;
}
