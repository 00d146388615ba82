/*
 * fuzz_procnet.c - libFuzzer harness for the /proc/net/tcp and tcp6 row parser: the input
 * is the file's text, read as both families.
 */
#include <stdint.h>
#include <stdlib.h>

#include "procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int v6 = 0; v6 <= 1; v6++) {
        struct net_socket *s = NULL;
        size_t n = 0, cap = 0, bad = 0;
        procnet_parse((const char *)data, size, v6, &s, &n, &cap, &bad);
        char addr[64];
        for (size_t i = 0; i < n; i++)
            procnet_format_addr(&s[i], addr, sizeof(addr));
        free(s);
    }
    return 0;
}
