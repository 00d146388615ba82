/*
 * fuzz_svcstarts.c - libFuzzer harness for the reader of a service's starts (svcstarts.h):
 * any log bytes, plain or in an envelope, give a bounded list of starts and never a crash.
 */
#include <stdint.h>
#include <stdlib.h>

#include "svcstarts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct start_list l;
    struct startmark m;
    svcstarts_scan_buffer("fuzz.log", (const char *)data, size, 3, &l, &m);
    if (l.n > SVCSTATE_STARTS_MAX || l.n > l.total)
        abort();
    start_list_clear(&l);
    return 0;
}
