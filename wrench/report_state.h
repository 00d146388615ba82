/*
 * report_state.h - the services' state (svcstate.h) in the text and JSON
 * reports. report_text.c and report_json.c each make one call here, so the
 * state's rendering lives with the state.
 */
#ifndef WRENCH_REPORT_STATE_H
#define WRENCH_REPORT_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "messages.h"
#include "model.h"

/* One block per service in `lang` (messages.h; a scan stored before the Chinese texts keeps
 * its English ones): its state and reason, process facts, ports, thread dump, crash evidence
 * and the evidence the state rests on. Nothing when the scan has no state (explicit
 * targets). */
void report_state_text(const struct scan *scan, FILE *out, enum lang lang);

/* The "services" array of the JSON report (docs/state.md). New reference. */
json_t *report_state_json(const struct scan *scan);

struct service_state;
/* One state as JSON (an element of "services"), and back: the store keeps each state as
 * this JSON. report_state_from_json() returns -1 when name, kind or state is missing. */
json_t *report_state_one_json(const struct service_state *st);
int report_state_from_json(const json_t *o, struct service_state *st);

#endif
