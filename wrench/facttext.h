/*
 * facttext.h - the environment's facts (discover.c's container facts, budget.c's budget and
 * priority) named and valued in a report's language.
 *
 * A fact is kept in English (struct fact, the store's facts table); the names and values
 * wrench gives facts are messages of the catalogue, so a report words them in Chinese by
 * recognising the English message and rendering the same arguments in Chinese. A name or
 * value that is no message (a number, a size, a path) is written as it is.
 */
#ifndef WRENCH_FACTTEXT_H
#define WRENCH_FACTTEXT_H

#include "messages.h"

/* The fact's name / value in `lang`; a new string. */
char *fact_name_text(const char *name, enum lang lang);
char *fact_value_text(const char *value, enum lang lang);

#endif
