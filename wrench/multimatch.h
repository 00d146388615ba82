/*
 * multimatch.h - find every occurrence of a set of literal byte strings in a buffer, in one
 * pass: the log scanner's candidate search (logsplit.c), which looks for every rule's
 * required literal, the exception names and the start markers at once, so that lines which
 * hold none of them are never split into events.
 *
 * Two engines behind one interface: Hyperscan (when built with it: WRENCH_HAVE_HYPERSCAN,
 * libhs, amd64) and a portable one written here (a hashed 4-byte window per position,
 * checked in a 64 Ki-bit table that stays in L1, candidates verified with memcmp). Both
 * report exactly the same occurrences, in an order of their own.
 */
#ifndef WRENCH_MULTIMATCH_H
#define WRENCH_MULTIMATCH_H

#include <stdbool.h>
#include <stddef.h>

enum multimatch_engine {
    MULTIMATCH_BEST,      /* Hyperscan when built in and it accepts the set on this CPU, else
                           * portable; WRENCH_MULTIMATCH=portable forces the portable engine */
    MULTIMATCH_PORTABLE,  /* the engine of this file */
    MULTIMATCH_HYPERSCAN, /* Hyperscan; multimatch_new fails when it is not built in */
};

struct multimatch;

/* A matcher of the n literals lits[i] (lens[i] bytes, at least 1; copied). NULL with err
 * set when the engine is not available or refuses the set. */
struct multimatch *multimatch_new(const char *const *lits, const size_t *lens, size_t n,
                                  enum multimatch_engine engine, char *err, size_t err_size);
void multimatch_free(struct multimatch *mm);

/* "hyperscan" or "portable". */
const char *multimatch_engine_name(const struct multimatch *mm);

/* Per-thread matching state (Hyperscan's scratch); one per concurrent caller. */
struct multimatch_scratch;
struct multimatch_scratch *multimatch_scratch_new(const struct multimatch *mm);
void multimatch_scratch_free(struct multimatch_scratch *sc);

/* Call fn(ctx, id, end) for every occurrence of a literal in data[0, len): id its index,
 * end the offset just past it. Overlapping occurrences are all reported, in no set order.
 * 0, or -1 on an engine error (the caller must then assume a match anywhere). */
typedef void (*multimatch_fn)(void *ctx, size_t id, size_t end);
int multimatch_scan(const struct multimatch *mm, struct multimatch_scratch *sc, const char *data,
                    size_t len, multimatch_fn fn, void *ctx);

#endif
