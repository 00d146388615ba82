/*
 * verdict.h - what a person reads first. The findings of a scan (finding.h) grouped into
 * incidents (incident.h), and the verdict: the incidents of the last start that stopped
 * something (server, connector, webapp, application; seen at or after the latest start marker
 * of the logs, when one is known), ranked, in one sentence, or the most
 * important incident when nothing stopped, or "No problem found" when nothing is at warning
 * or above. The verdict refers to incidents by id: a consumer never re-matches its text.
 */
#ifndef WRENCH_VERDICT_H
#define WRENCH_VERDICT_H

#include "finding.h"
#include "incident.h"
#include "model.h"

struct verdict {
    char *text;          /* one sentence, ends with a full stop; never NULL once built */
    char *text_zh;       /* the same in Simplified Chinese (messages.h); never NULL once built */
    char **incident_ids; /* the incidents it names, in the order named */
    size_t n_incidents;
    size_t *incidents; /* the same, as indexes into the incident list */
};

/* Everything a report says about a scan: its findings, incidents and verdict. */
struct diagnosis {
    struct finding_list findings;
    struct incident_list incidents;
    struct verdict verdict;
};

/* Build the diagnosis of `scan` into `d` (zeroed or cleared); the scan is only read. */
void diagnosis_build(const struct scan *scan, struct diagnosis *d);
void diagnosis_clear(struct diagnosis *d);

/* The verdict of `incidents` (built from `scan`) into `v` (zeroed or cleared). */
void verdict_build(const struct scan *scan, const struct finding_list *findings,
                   const struct incident_list *incidents, struct verdict *v);
void verdict_clear(struct verdict *v);

/* The verdict's text alone, in English; a new string, never NULL. */
char *verdict_sentence(const struct scan *scan);
/* The verdict's text in English and in Simplified Chinese; new strings, never NULL. */
void verdict_sentences(const struct scan *scan, char **text, char **text_zh);

#endif
