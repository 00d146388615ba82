/*
 * report_state.h - the services' state (svcstate.h) in the text and JSON
 * reports. report_text.c and report_json.c each make one call here, so the
 * state's rendering lives with the state.
 */
#ifndef WRENCH_REPORT_STATE_H
#define WRENCH_REPORT_STATE_H

#include <jansson.h>
#include <stdio.h>

#include "model.h"

/* One block per service: its state and reason, process facts, ports, thread dump and
 * crash evidence. Nothing when the scan has no state (explicit targets). */
void report_state_text(const struct scan *scan, FILE *out);

/* The "services" array of the JSON report (docs/state.md). New reference. */
json_t *report_state_json(const struct scan *scan);

#endif
