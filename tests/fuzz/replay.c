/*
 * replay.c - runs a fuzz harness over files without libFuzzer, so every saved
 * corpus and crash case in testdata/fuzz/<harness>/ is a regression test in the
 * ordinary (and sanitizer) build: `replay-NAME FILE...`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            failures++;
            continue;
        }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        rewind(f);
        /* an exact-size buffer, so the sanitizers see any read past the input */
        uint8_t *buf = malloc(size > 0 ? (size_t)size : 1);
        size_t n = buf && size > 0 ? fread(buf, 1, (size_t)size, f) : 0;
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
        free(buf);
    }
    printf("replayed %d input(s)\n", argc - 1 - failures);
    return failures ? 1 : 0;
}
