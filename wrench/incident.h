/*
 * incident.h - the findings of a scan grouped into incidents: one failure with its chain of
 * evidence. A Tomcat "Context [/acme] startup failed" in catalina.out, the listener exception
 * logged just before it in localhost.<date>.log, the "listeners failed" wrapper between them,
 * and what the classpath holds for the class named are one incident: webapp /acme did not
 * start, because of that exception.
 *
 * How findings join (incident.c has the details):
 *   - a log finding with impact webapp or more and a subject fact (context, port, app), or
 *     impact service, anchors the incident of that subject: "webapp /acme", "connector port
 *     8080", "server", "application";
 *   - another log finding joins the incident of the same subject when it names one, else the
 *     anchor logged next after it, within INCIDENT_JOIN_WINDOW_MS (a cause is logged before the
 *     failure it causes: the listener exception, then "Context [/acme] startup failed");
 *   - correlations join their log finding's incident; a class conflict joins the incident whose
 *     findings name one of its differing classes;
 *   - every other finding at warning or above is an incident of its own.
 * The root cause is the member that explains most: one the classpath explains (a
 * correlation), else one with an exception, else one with a description, never a wrapper
 * ("One or more listeners failed to start") when a specific cause exists.
 *
 * Incidents are ranked by what they stopped (service > connector > webapp), then by the
 * severity of their root cause (not of a wrapper), then by impact (an error at run time before
 * a classpath fact of the same severity), then by time.
 */
#ifndef WRENCH_INCIDENT_H
#define WRENCH_INCIDENT_H

#include <stddef.h>

#include "finding.h"

#define INCIDENT_JOIN_WINDOW_MS 120000 /* a cause logged this long before its failure joins */

/* What failed. */
enum incident_subject {
    SUBJECT_SERVER,      /* the JVM or the server as a whole */
    SUBJECT_CONNECTOR,   /* a connector or port */
    SUBJECT_WEBAPP,      /* a webapp context */
    SUBJECT_APPLICATION, /* a (Spring) application */
    SUBJECT_RUNTIME,     /* errors while serving */
    SUBJECT_CLASSPATH,   /* what the classpath holds */
    SUBJECT_ENVIRONMENT, /* the container or the JVM's limits */
    SUBJECT_INPUT,       /* input wrench could not read */
};
#define SUBJECT_COUNT 8

/* "server", "connector", "webapp", "application", "runtime", "classpath", "environment",
 * "input". */
const char *incident_subject_name(enum incident_subject subject);

struct incident {
    char *id; /* "incident-<16 hex>": stable, from the subject and the root cause's id */
    enum incident_subject subject;
    char *name;             /* the context path, port or application name; NULL when unknown */
    char *what;             /* for people: "webapp /acme", "connector port 8080", "server" */
    enum impact impact;     /* the highest impact of its findings */
    enum severity severity; /* its root cause's severity */
    size_t cause;           /* index in the finding list of its root cause */
    char *cause_text;       /* the root cause in one line */
    char *hint;             /* what to do (the root cause's hint); may be NULL */
    /* what, cause_text and hint in Simplified Chinese (messages.h); what_zh and cause_text_zh
     * are never NULL (the English text where wrench has no Chinese for a part), hint_zh is
     * NULL when the hint has no Chinese. */
    char *what_zh, *cause_text_zh, *hint_zh;
    size_t *findings; /* indexes in the finding list, root cause first, then list order */
    size_t n_findings, findings_cap;
    int64_t first_ms; /* the earliest time of its log findings in ms; -1 when none */
    int64_t last_ms;  /* the latest time any of its log findings was seen; -1 when none */
};

struct incident_list {
    struct incident *items; /* ranked */
    size_t n, cap;
};

/* Group `findings` (collected from `scan`) into `out` (zeroed or cleared), ranked. Only
 * findings at warning or above start an incident. */
void incidents_build(const struct scan *scan, const struct finding_list *findings,
                     struct incident_list *out);
void incident_list_clear(struct incident_list *list);

/* Milliseconds since the epoch of a log timestamp as written; -1 when it has no date. */
int64_t incident_timestamp_ms(const char *ts);

/* The time of the latest service start any log of `scan` records (its last start marker:
 * Tomcat's "Server version name", Spring Boot's "Starting ..."), in ms; -1 when none is known. */
int64_t incident_last_start_ms(const struct scan *scan);

#endif
