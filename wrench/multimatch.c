/*
 * multimatch.c - one pass over a buffer for a set of literals: Hyperscan when built in, and
 * a portable engine (hashed 4-byte windows, a bit table, memcmp) for builds without it. See
 * multimatch.h.
 */
#include "multimatch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lazylib.h"
#include "util.h"

#define WINDOW 4 /* bytes hashed at each position: pairs of bytes are too common to filter */

/* A literal of the portable engine whose first window hashes to `bucket`. */
struct bucket_entry {
    uint16_t bucket;
    uint32_t id;
};

struct multimatch {
    enum multimatch_engine engine; /* PORTABLE or HYPERSCAN */
    char **lits;
    size_t *lens;
    size_t n;
    /* portable: literals of WINDOW bytes or more by the hash of their first window */
    uint64_t bits[1024]; /* 65536 bits, one per bucket */
    struct bucket_entry *by_bucket;
    size_t n_by_bucket;
    /* portable: literals shorter than WINDOW, by first byte */
    bool short_first[256];
    size_t *shorts;
    size_t n_shorts;
#ifdef WRENCH_HAVE_HYPERSCAN
    const struct lazy_hs *hs; /* the library, loaded by the first Hyperscan set */
    hs_database_t *db;
#endif
};

struct multimatch_scratch {
#ifdef WRENCH_HAVE_HYPERSCAN
    hs_scratch_t *hs;
#else
    int unused;
#endif
};

static uint16_t window_hash(const char *s)
{
    uint32_t w;
    memcpy(&w, s, WINDOW);
    return (uint16_t)((w * 2654435761u) >> 16); /* Knuth's multiplicative hash */
}

static int compare_entries(const void *a, const void *b)
{
    const struct bucket_entry *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void portable_build(struct multimatch *mm)
{
    mm->by_bucket = xcalloc(mm->n + 1, sizeof(struct bucket_entry));
    mm->shorts = xcalloc(mm->n + 1, sizeof(size_t));
    for (size_t i = 0; i < mm->n; i++) {
        if (mm->lens[i] < WINDOW) {
            mm->short_first[(unsigned char)mm->lits[i][0]] = true;
            mm->shorts[mm->n_shorts++] = i;
            continue;
        }
        uint16_t b = window_hash(mm->lits[i]);
        mm->bits[b >> 6] |= 1ull << (b & 63);
        mm->by_bucket[mm->n_by_bucket++] = (struct bucket_entry){b, (uint32_t)i};
    }
    qsort(mm->by_bucket, mm->n_by_bucket, sizeof(struct bucket_entry), compare_entries);
}

/* The literals of bucket b that start at data[i]. */
static void portable_verify(const struct multimatch *mm, uint16_t b, const char *data, size_t len,
                            size_t i, multimatch_fn fn, void *ctx)
{
    size_t lo = 0, hi = mm->n_by_bucket;
    while (lo < hi) { /* the first entry of bucket b */
        size_t mid = (lo + hi) / 2;
        if (mm->by_bucket[mid].bucket < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < mm->n_by_bucket && mm->by_bucket[lo].bucket == b; lo++) {
        size_t id = mm->by_bucket[lo].id, n = mm->lens[id];
        if (n <= len - i && memcmp(data + i, mm->lits[id], n) == 0)
            fn(ctx, id, i + n);
    }
}

static void portable_scan(const struct multimatch *mm, const char *data, size_t len,
                          multimatch_fn fn, void *ctx)
{
    size_t i = 0;
    if (mm->n_by_bucket && len >= WINDOW) {
        for (; i + WINDOW <= len; i++) {
            uint16_t b = window_hash(data + i);
            if (mm->bits[b >> 6] >> (b & 63) & 1)
                portable_verify(mm, b, data, len, i, fn, ctx);
            if (mm->n_shorts && mm->short_first[(unsigned char)data[i]])
                for (size_t k = 0; k < mm->n_shorts; k++) {
                    size_t id = mm->shorts[k], n = mm->lens[id];
                    if (n <= len - i && memcmp(data + i, mm->lits[id], n) == 0)
                        fn(ctx, id, i + n);
                }
        }
    }
    /* the last positions, where no window fits: only short literals can start there */
    for (; mm->n_shorts && i < len; i++) {
        if (!mm->short_first[(unsigned char)data[i]])
            continue;
        for (size_t k = 0; k < mm->n_shorts; k++) {
            size_t id = mm->shorts[k], n = mm->lens[id];
            if (n <= len - i && memcmp(data + i, mm->lits[id], n) == 0)
                fn(ctx, id, i + n);
        }
    }
}

#ifdef WRENCH_HAVE_HYPERSCAN
static int hyperscan_build(struct multimatch *mm, char *err, size_t err_size)
{
    const char *why = NULL;
    if (!(mm->hs = lazy_hs(&why))) {
        snprintf(err, err_size, "Hyperscan: %s", why);
        return -1;
    }
    unsigned *flags = xcalloc(mm->n + 1, sizeof(unsigned));
    unsigned *ids = xcalloc(mm->n + 1, sizeof(unsigned));
    for (size_t i = 0; i < mm->n; i++)
        ids[i] = (unsigned)i;
    hs_compile_error_t *cerr = NULL;
    hs_error_t rc = mm->hs->compile_lit_multi((const char *const *)mm->lits, flags, ids, mm->lens,
                                              (unsigned)mm->n, HS_MODE_BLOCK, NULL, &mm->db, &cerr);
    free(flags);
    free(ids);
    if (rc != HS_SUCCESS) {
        snprintf(err, err_size, "Hyperscan: %s", cerr && cerr->message ? cerr->message : "error");
        mm->hs->free_compile_error(cerr);
        return -1;
    }
    return 0;
}

struct hs_ctx {
    multimatch_fn fn;
    void *ctx;
    size_t base;    /* offset of the piece scanned */
    size_t min_end; /* occurrences ending before this were reported by the previous piece */
};

static int on_hs_match(unsigned int id, unsigned long long from, unsigned long long to,
                       unsigned int flags, void *context)
{
    (void)from;
    (void)flags;
    struct hs_ctx *c = context;
    size_t end = c->base + (size_t)to;
    if (end >= c->min_end)
        c->fn(c->ctx, id, end);
    return 0;
}

#define HS_PIECE (1u << 30) /* hs_scan takes an unsigned int length */

static int hyperscan_scan(const struct multimatch *mm, struct multimatch_scratch *sc,
                          const char *data, size_t len, multimatch_fn fn, void *ctx)
{
    size_t longest = 1;
    for (size_t i = 0; i < mm->n; i++)
        if (mm->lens[i] > longest)
            longest = mm->lens[i];
    struct hs_ctx c = {fn, ctx, 0, 0};
    for (size_t at = 0;;) {
        size_t n = len - at < HS_PIECE ? len - at : HS_PIECE;
        c.base = at;
        if (mm->hs->scan(mm->db, data + at, (unsigned)n, 0, sc->hs, on_hs_match, &c) != HS_SUCCESS)
            return -1;
        if (at + n >= len)
            return 0;
        /* the next piece overlaps this one by a literal's length, less one byte */
        c.min_end = at + n + 1;
        at = at + n - (longest - 1);
    }
}
#endif

struct multimatch *multimatch_new(const char *const *lits, const size_t *lens, size_t n,
                                  enum multimatch_engine engine, char *err, size_t err_size)
{
    bool best = engine == MULTIMATCH_BEST;
    if (best) {
        const char *force = getenv("WRENCH_MULTIMATCH");
#ifdef WRENCH_HAVE_HYPERSCAN
        engine =
            force && strcmp(force, "portable") == 0 ? MULTIMATCH_PORTABLE : MULTIMATCH_HYPERSCAN;
#else
        (void)force;
        engine = MULTIMATCH_PORTABLE;
#endif
    }
#ifndef WRENCH_HAVE_HYPERSCAN
    if (engine == MULTIMATCH_HYPERSCAN) {
        snprintf(err, err_size, "built without Hyperscan");
        return NULL;
    }
#endif
    for (size_t i = 0; i < n; i++)
        if (lens[i] == 0) {
            snprintf(err, err_size, "literal %zu is empty", i);
            return NULL;
        }
    struct multimatch *mm = xcalloc(1, sizeof(*mm));
    mm->engine = engine;
    mm->n = n;
    mm->lits = xcalloc(n + 1, sizeof(char *));
    mm->lens = xcalloc(n + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        mm->lits[i] = xmalloc(lens[i] + 1);
        memcpy(mm->lits[i], lits[i], lens[i]);
        mm->lits[i][lens[i]] = '\0';
        mm->lens[i] = lens[i];
    }
    if (engine == MULTIMATCH_PORTABLE || n == 0) {
        mm->engine = MULTIMATCH_PORTABLE; /* Hyperscan refuses an empty set */
        portable_build(mm);
        return mm;
    }
#ifdef WRENCH_HAVE_HYPERSCAN
    if (hyperscan_build(mm, err, err_size) != 0) {
        if (!best) {
            multimatch_free(mm);
            return NULL;
        }
        /* a CPU Hyperscan cannot use (it needs SSSE3) or a set it refuses: the portable
         * engine finds the same occurrences */
        mm->engine = MULTIMATCH_PORTABLE;
        portable_build(mm);
    }
#endif
    return mm;
}

void multimatch_free(struct multimatch *mm)
{
    if (!mm)
        return;
    for (size_t i = 0; i < mm->n; i++)
        free(mm->lits[i]);
    free(mm->lits);
    free(mm->lens);
    free(mm->by_bucket);
    free(mm->shorts);
#ifdef WRENCH_HAVE_HYPERSCAN
    if (mm->db)
        mm->hs->free_database(mm->db);
#endif
    free(mm);
}

const char *multimatch_engine_name(const struct multimatch *mm)
{
    return mm->engine == MULTIMATCH_HYPERSCAN ? "hyperscan" : "portable";
}

struct multimatch_scratch *multimatch_scratch_new(const struct multimatch *mm)
{
    struct multimatch_scratch *sc = xcalloc(1, sizeof(*sc));
#ifdef WRENCH_HAVE_HYPERSCAN
    if (mm->engine == MULTIMATCH_HYPERSCAN &&
        mm->hs->alloc_scratch(mm->db, &sc->hs) != HS_SUCCESS) {
        fprintf(stderr, "wrench: out of memory (Hyperscan scratch)\n");
        abort();
    }
#else
    (void)mm;
#endif
    return sc;
}

void multimatch_scratch_free(struct multimatch_scratch *sc)
{
    if (!sc)
        return;
#ifdef WRENCH_HAVE_HYPERSCAN
    if (sc->hs) /* then the library is loaded */
        lazy_hs(NULL)->free_scratch(sc->hs);
#endif
    free(sc);
}

int multimatch_scan(const struct multimatch *mm, struct multimatch_scratch *sc, const char *data,
                    size_t len, multimatch_fn fn, void *ctx)
{
    if (len == 0 || mm->n == 0)
        return 0;
#ifdef WRENCH_HAVE_HYPERSCAN
    if (mm->engine == MULTIMATCH_HYPERSCAN)
        return hyperscan_scan(mm, sc, data, len, fn, ctx);
#else
    (void)sc;
#endif
    portable_scan(mm, data, len, fn, ctx);
    return 0;
}
