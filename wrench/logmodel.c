/*
 * logmodel.c - destructors and small queries for the log diagnosis model
 * declared in logmodel.h.
 */
#include "logmodel.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const kind_names[LOG_KIND_COUNT] = {"tomcat", "access", "app"};

const char *log_kind_name(enum log_kind kind)
{
    return (unsigned)kind < LOG_KIND_COUNT ? kind_names[kind] : "unknown";
}

int log_kind_parse(const char *name, enum log_kind *out)
{
    for (int i = 0; i < LOG_KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (enum log_kind)i;
            return 0;
        }
    }
    return -1;
}

static const char *const impact_names[IMPACT_COUNT] = {"none", "runtime", "webapp", "connector",
                                                       "service"};

const char *impact_name(enum impact impact)
{
    return (unsigned)impact < IMPACT_COUNT ? impact_names[impact] : "unknown";
}

int impact_parse(const char *name, enum impact *out)
{
    for (int i = 0; i < IMPACT_COUNT; i++) {
        if (strcmp(name, impact_names[i]) == 0) {
            *out = (enum impact)i;
            return 0;
        }
    }
    return -1;
}

void log_finding_clear(struct log_finding *f)
{
    if (!f)
        return;
    free(f->rule_id);
    free(f->category);
    free(f->title);
    free(f->hint);
    free(f->title_zh);
    free(f->hint_zh);
    free(f->signature);
    free(f->first_seen);
    free(f->last_seen);
    free(f->file);
    free(f->root_cause);
    free(f->sample);
    free(f->class_name);
    facts_free(f->facts, f->n_facts);
    for (size_t i = 0; i < f->n_locations; i++) {
        free(f->locations[i].file);
        free(f->locations[i].timestamp);
    }
    free(f->locations);
    memset(f, 0, sizeof(*f));
}

const char *log_finding_fact(const struct log_finding *f, const char *name)
{
    return facts_get(f->facts, f->n_facts, name);
}

void log_finding_add_fact(struct log_finding *f, const char *name, const char *value)
{
    facts_set(&f->facts, &f->n_facts, &f->facts_cap, name, value);
}

void log_finding_add_location(struct log_finding *f, const char *file, uint64_t line,
                              const char *timestamp)
{
    f->locations =
        xgrow(f->locations, &f->locations_cap, f->n_locations + 1, sizeof(*f->locations));
    struct log_location *loc = &f->locations[f->n_locations++];
    loc->file = xstrdup(file);
    loc->line = line;
    loc->timestamp = timestamp ? xstrdup(timestamp) : NULL;
}

void log_report_clear(struct log_report *report)
{
    if (!report)
        return;
    for (size_t i = 0; i < report->n_findings; i++)
        log_finding_clear(&report->findings[i]);
    free(report->findings);
    for (size_t i = 0; i < report->n_files; i++) {
        free(report->files[i].path);
        free(report->files[i].last_start);
        strv_free(report->files[i].tail, report->files[i].n_tail);
    }
    free(report->files);
    for (size_t i = 0; i < report->n_problems; i++) {
        free(report->problems[i].path);
        free(report->problems[i].message);
        free(report->problems[i].message_zh);
    }
    free(report->problems);
    memset(report, 0, sizeof(*report));
}

void log_report_add_problem(struct log_report *report, enum severity sev, const char *path,
                            const char *message)
{
    log_report_add_problem_zh(report, sev, path, message, NULL);
}

void log_report_add_problem_zh(struct log_report *report, enum severity sev, const char *path,
                               const char *message, const char *message_zh)
{
    report->problems = xgrow(report->problems, &report->problems_cap, report->n_problems + 1,
                             sizeof(struct problem));
    struct problem *p = &report->problems[report->n_problems++];
    p->severity = sev;
    p->path = xstrdup(path ? path : "");
    p->message = xstrdup(message ? message : "");
    p->message_zh = message_zh ? xstrdup(message_zh) : NULL;
}

void log_report_count_severities(const struct log_report *report, size_t counts[SEV_COUNT])
{
    for (int i = 0; i < SEV_COUNT; i++)
        counts[i] = 0;
    for (size_t i = 0; i < report->n_findings; i++)
        if ((unsigned)report->findings[i].severity < SEV_COUNT)
            counts[report->findings[i].severity]++;
}

int log_report_max_severity(const struct log_report *report)
{
    int top = -1;
    for (size_t i = 0; i < report->n_findings; i++)
        if ((int)report->findings[i].severity > top)
            top = (int)report->findings[i].severity;
    for (size_t i = 0; i < report->n_problems; i++)
        if ((int)report->problems[i].severity > top)
            top = (int)report->problems[i].severity;
    return top;
}

bool log_file_name(const char *name)
{
    if (name[0] == '.')
        return false;
    return strstr(name, ".log") || strstr(name, ".out") || str_has_suffix(name, ".err") ||
           str_has_suffix(name, ".txt");
}
