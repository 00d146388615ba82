/*
 * mutate.h - the one random edit the mutation tests make to a line (test_envelope.c,
 * test_jsonflat.c): insert, overwrite or delete a byte from `alphabet` at a random place.
 * Static inline, as the unit tests are single translation units.
 */
#ifndef WRENCH_TEST_MUTATE_H
#define WRENCH_TEST_MUTATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One edit of buf[0, *n) (room for `cap` bytes), driven by *seed (a linear congruential
 * generator, so every run makes the same edits). */
static inline void mutate_once(char *buf, size_t *n, size_t cap, uint32_t *seed,
                               const char *alphabet, size_t alphabet_len)
{
    *seed = *seed * 1103515245u + 12345u;
    size_t at = (*seed >> 8) % (*n + 1);
    char c = alphabet[(*seed >> 20) % alphabet_len];
    if ((*seed >> 4) % 3 == 0 && *n < cap - 1) {
        memmove(buf + at + 1, buf + at, *n - at);
        buf[at] = c;
        (*n)++;
    } else if ((*seed >> 4) % 3 == 1 && at < *n) {
        buf[at] = c;
    } else if (at < *n) {
        memmove(buf + at, buf + at + 1, *n - at - 1);
        (*n)--;
    }
}

#endif
