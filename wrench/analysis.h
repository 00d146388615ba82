/*
 * analysis.h - what is wrong with the classpaths a reader filled: duplicate
 * artifacts and class conflicts. Works on the model only.
 */
#ifndef WRENCH_ANALYSIS_H
#define WRENCH_ANALYSIS_H

#include "model.h"

/* Fill scan->dups and scan->conflicts from the read views. */
void analysis_find_duplicates(struct scan *scan);
void analysis_find_conflicts(struct scan *scan);

/* Which of `ids` (entry indexes in loader order) a class loader searches first: the first
 * one, or -1 with *undefined set when the next holders share its unordered group. */
int analysis_winner(const struct cp_view *view, const size_t *ids, size_t n, bool *undefined);

struct class_record;
/* The first entry other than `winner` whose copy of the class is byte-identical (CRC and
 * size) to the winner's; -1 when none is, or the winner holds no readable copy. */
int analysis_copy_twin(const struct class_record *rec, size_t winner);

/* A class name in Java's dotted form ("com.acme.Util$Inner"); new string. */
char *analysis_dotted(const char *internal_name);

/* "1,732": a count with thousands separators, in buf (at least 32 bytes). */
const char *analysis_thousands(size_t n, char *buf, size_t size);

#endif
