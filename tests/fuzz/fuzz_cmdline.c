/*
 * fuzz_cmdline.c - libFuzzer harness for the JVM command-line reader: the
 * input is split at NUL bytes into argv (as /proc/PID/cmdline is), at '\n'
 * after a 0x01 byte into the environment, and also read as an @argfile.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jvm.h"
#include "util.h"

#define FUZZ_MAX_ARGS 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char **items = NULL;
    size_t n = 0, cap = 0;
    jvm_split_argfile((const char *)data, size, &items, &n, &cap);
    strv_free(items, n);

    const uint8_t *split = memchr(data, 0x01, size);
    size_t argv_len = split ? (size_t)(split - data) : size;
    char *args[FUZZ_MAX_ARGS], *env[FUZZ_MAX_ARGS];
    size_t argc = 0, envc = 0;
    for (size_t i = 0; i < argv_len && argc < FUZZ_MAX_ARGS;) {
        const uint8_t *end = memchr(data + i, 0, argv_len - i);
        size_t len = end ? (size_t)(end - (data + i)) : argv_len - i;
        args[argc++] = xstrndup((const char *)data + i, len);
        i += len + 1;
    }
    for (size_t i = argv_len + 1; split && i < size && envc < FUZZ_MAX_ARGS;) {
        const uint8_t *end = memchr(data + i, '\n', size - i);
        size_t len = end ? (size_t)(end - (data + i)) : size - i;
        env[envc++] = xstrndup((const char *)data + i, len);
        i += len + 1;
    }
    /* argfiles are read relative to the cwd: a missing one is a note, never a read of ours */
    struct jvm_process p = {0};
    p.cwd = xstrdup("/nonexistent-wrench-fuzz");
    jvm_interpret(&p, args, argc, split ? env : NULL, envc);
    for (size_t i = 0; i < p.argc; i++) {
        char *r = jvm_redact_arg(p.argv[i]);
        free(r);
    }
    jvm_process_clear(&p);
    for (size_t i = 0; i < argc; i++)
        free(args[i]);
    for (size_t i = 0; i < envc; i++)
        free(env[i]);
    return 0;
}
