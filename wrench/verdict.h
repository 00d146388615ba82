/*
 * verdict.h - the one sentence a person reads first: what is most likely
 * wrong, chosen from the findings by severity and kind.
 */
#ifndef WRENCH_VERDICT_H
#define WRENCH_VERDICT_H

#include "model.h"

/* A new string; never NULL. */
char *verdict_sentence(const struct scan *scan);

#endif
