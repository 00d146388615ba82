/*
 * fuzz_svcconfig.c - libFuzzer harness for the services file parser and the
 * catalina.properties reader: the input is a config file.
 */
#include <stdint.h>
#include <stdlib.h>

#include "svcconfig.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct svc_discovery d = {0};
    char err[WR_ERR_MAX];
    if (svcconfig_parse((const char *)data, size, "fuzz.conf", &d, err) == 0)
        svc_discovery_free(&d);
    char *value = svcconfig_property((const char *)data, size, "common.loader");
    if (value) {
        char **items = NULL;
        size_t n = 0, cap = 0;
        svcconfig_split_loader(value, &items, &n, &cap);
        strv_free(items, n);
        free(value);
    }
    return 0;
}
