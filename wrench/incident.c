/*
 * incident.c - group a scan's findings into incidents (see incident.h). Three passes over the
 * finding list: log findings that name what failed anchor an incident per subject; the other
 * log findings join by subject or by time; classpath findings join through the classes named.
 * What is left at warning or above stands alone. Then each incident picks its root cause and
 * the list is ranked.
 */
#include "incident.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "logscan.h"
#include "logtime.h"
#include "messages.h"
#include "util.h"

static const char *const subject_names[SUBJECT_COUNT] = {
    "server", "connector", "webapp", "application", "runtime", "classpath", "environment", "input"};

const char *incident_subject_name(enum incident_subject subject)
{
    return (unsigned)subject < SUBJECT_COUNT ? subject_names[subject] : "unknown";
}

int64_t incident_timestamp_ms(const char *ts)
{
    if (!ts || !*ts)
        return -1;
    int64_t secs = logscan_epoch(ts);
    if (secs < 0)
        return -1;
    /* two records of one second must keep their order */
    return secs * 1000 + logscan_fraction_ms(ts);
}

int64_t incident_last_start_ms(const struct scan *scan)
{
    int64_t latest = -1;
    for (size_t i = 0; scan->logs && i < scan->logs->n_files; i++) {
        const char *line = scan->logs->files[i].last_start;
        if (!line)
            continue;
        size_t start = 0;
        size_t len = logscan_timestamp(line, strlen(line), &start);
        if (!len || len >= LOGSCAN_TS_MAX)
            continue;
        char ts[LOGSCAN_TS_MAX];
        memcpy(ts, line + start, len);
        ts[len] = '\0';
        int64_t t = incident_timestamp_ms(ts);
        if (t > latest)
            latest = t;
    }
    return latest;
}

/* ------------------------------------------------------------------------ */
/* Building */

struct builder {
    const struct finding_list *findings;
    struct incident_list *out;
    int *anchor_of;  /* per finding: the incident it anchors, else -1 */
    bool *joined;    /* per finding: a member of some incident */
    size_t services; /* incidents of services that are not up (pass 0) */
};

static void add_member(struct incident *inc, size_t finding)
{
    for (size_t i = 0; i < inc->n_findings; i++)
        if (inc->findings[i] == finding)
            return;
    inc->findings = xgrow(inc->findings, &inc->findings_cap, inc->n_findings + 1, sizeof(size_t));
    inc->findings[inc->n_findings++] = finding;
}

static struct incident *new_incident(struct builder *b, enum incident_subject subject,
                                     const char *name)
{
    struct incident_list *l = b->out;
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof(*l->items));
    struct incident *inc = &l->items[l->n++];
    memset(inc, 0, sizeof(*inc));
    inc->subject = subject;
    inc->name = name ? xstrdup(name) : NULL;
    inc->first_ms = -1;
    inc->last_ms = -1;
    return inc;
}

static void join(struct builder *b, size_t inc, size_t finding)
{
    add_member(&b->out->items[inc], finding);
    b->joined[finding] = true;
}

/* What a log finding says failed, when it says; false when it names nothing. */
static bool log_subject(const struct finding *f, enum incident_subject *subject, const char **name)
{
    const char *v;
    if ((v = finding_fact(f, "context")) != NULL) {
        *subject = SUBJECT_WEBAPP;
        *name = v;
    } else if ((v = finding_fact(f, "port")) != NULL) {
        *subject = SUBJECT_CONNECTOR;
        *name = v;
    } else if ((v = finding_fact(f, "app")) != NULL) {
        *subject = SUBJECT_APPLICATION;
        *name = v;
    } else if (f->impact == IMPACT_SERVICE) {
        *subject = str_has_prefix(f->rule, "spring.") ? SUBJECT_APPLICATION : SUBJECT_SERVER;
        *name = NULL;
    } else if (f->impact == IMPACT_CONNECTOR) {
        *subject = SUBJECT_CONNECTOR;
        *name = NULL;
    } else {
        return false;
    }
    return true;
}

static bool same_name(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static long find_subject(const struct builder *b, enum incident_subject subject, const char *name)
{
    for (size_t i = 0; i < b->out->n; i++)
        if (b->out->items[i].subject == subject && same_name(b->out->items[i].name, name))
            return (long)i;
    return -1;
}

/* The first incident of a subject, whatever its name; -1 when none. */
static long find_subject_kind(const struct builder *b, enum incident_subject subject)
{
    for (size_t i = 0; i < b->out->n; i++)
        if (b->out->items[i].subject == subject)
            return (long)i;
    return -1;
}

static int64_t fact_ms(const struct finding *f, const char *name)
{
    return incident_timestamp_ms(finding_fact(f, name));
}

static bool is_log(const struct finding *f)
{
    return f->kind == FINDING_LOG;
}

/* A service that is not up (svcstate.c's finding, named by its "service" fact). */
static bool is_service_state(const struct finding *f)
{
    return f->kind == FINDING_ENVIRONMENT && f->impact == IMPACT_SERVICE &&
           finding_fact(f, "service");
}

/* Pass 0: each service that is not up anchors its incident. */
static void anchor_services(struct builder *b)
{
    const struct finding_list *fl = b->findings;
    for (size_t i = 0; i < fl->n; i++) {
        if (!is_service_state(&fl->items[i]))
            continue;
        new_incident(b, SUBJECT_SERVER, finding_fact(&fl->items[i], "service"));
        b->anchor_of[i] = (int)b->out->n - 1;
        join(b, b->out->n - 1, i);
        b->services++;
    }
}

/* Pass 1: log findings that name what stopped anchor an incident per subject. A failure of
 * the whole server or JVM that names nothing is why the one service that is down is down. */
static void anchor(struct builder *b)
{
    const struct finding_list *fl = b->findings;
    for (size_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->items[i];
        enum incident_subject subject;
        const char *name;
        if (!is_log(f) || f->severity < SEV_WARNING || f->impact < IMPACT_WEBAPP ||
            !log_subject(f, &subject, &name))
            continue;
        long at = find_subject(b, subject, name);
        if (at < 0 && subject == SUBJECT_SERVER && !name && b->services == 1)
            at = find_subject_kind(b, SUBJECT_SERVER);
        if (at < 0) {
            new_incident(b, subject, name);
            at = (long)b->out->n - 1;
        }
        b->anchor_of[i] = (int)at;
        join(b, (size_t)at, i);
        int64_t t = fact_ms(f, "first_seen");
        struct incident *inc = &b->out->items[at];
        if (t >= 0 && (inc->first_ms < 0 || t < inc->first_ms))
            inc->first_ms = t;
    }
}

/* The incident whose anchor was logged next at or after `t`, within the window. Only webapps
 * and applications: their causes are logged just before them (a listener's exception, then
 * "Context [/x] startup failed"); a port or the server names what failed itself, and an error
 * logged before it is not its cause. */
static long anchor_after(const struct builder *b, int64_t t)
{
    const struct finding_list *fl = b->findings;
    long best = -1;
    int64_t best_t = 0;
    for (size_t i = 0; t >= 0 && i < fl->n; i++) {
        if (b->anchor_of[i] < 0)
            continue;
        enum incident_subject subject = b->out->items[b->anchor_of[i]].subject;
        if (subject != SUBJECT_WEBAPP && subject != SUBJECT_APPLICATION)
            continue;
        /* Each occurrence the anchor knows the time of: its first and its last. */
        const char *names[] = {"first_seen", "last_seen"};
        for (size_t k = 0; k < 2; k++) {
            int64_t at = fact_ms(&fl->items[i], names[k]);
            if (at < t || at - t > INCIDENT_JOIN_WINDOW_MS)
                continue;
            if (best < 0 || at < best_t) {
                best = b->anchor_of[i];
                best_t = at;
            }
        }
    }
    return best;
}

/* Pass 2: the other log findings join by subject, else by time. */
static void join_logs(struct builder *b)
{
    const struct finding_list *fl = b->findings;
    for (size_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->items[i];
        if (!is_log(f) || b->anchor_of[i] >= 0 || f->severity < SEV_WARNING)
            continue;
        enum incident_subject subject;
        const char *name;
        if (log_subject(f, &subject, &name)) {
            long at = find_subject(b, subject, name);
            if (at >= 0)
                join(b, (size_t)at, i);
            continue;
        }
        /* By time, only what could have stopped it: an error, or a record that says a webapp
         * stopped (a wrapper); a warning logged before a failure is not its cause. */
        if (f->severity < SEV_ERROR && f->impact < IMPACT_WEBAPP)
            continue;
        /* A record repeated (a wrapper logged once per failed webapp) joins the failure after
         * its first and the one after its last occurrence. */
        long first = anchor_after(b, fact_ms(f, "first_seen"));
        long last = anchor_after(b, fact_ms(f, "last_seen"));
        if (first >= 0)
            join(b, (size_t)first, i);
        if (last >= 0 && last != first)
            join(b, (size_t)last, i);
    }
}

/* The incident (other than a standalone one) that already holds log finding `log`. */
static long incident_of(const struct builder *b, size_t log)
{
    for (size_t i = 0; i < b->out->n; i++)
        for (size_t k = 0; k < b->out->items[i].n_findings; k++)
            if (b->out->items[i].findings[k] == log)
                return (long)i;
    return -1;
}

/* Does incident `inc` name `class` (a log finding's class fact or a correlation's class)? */
static bool incident_names_class(const struct builder *b, const struct incident *inc,
                                 const char *cls)
{
    for (size_t k = 0; k < inc->n_findings; k++) {
        const struct finding *m = &b->findings->items[inc->findings[k]];
        const char *c = finding_fact(m, "class");
        if (c && strcmp(c, cls) == 0)
            return true;
    }
    return false;
}

/* Is view `view` (a finding's view name) one that webapp incident `inc` may draw on? A webapp's
 * view is "webapp <dir>" (context /a/b in directory a#b, the root context in ROOT, a "#n"
 * suffix when names repeat); another webapp's classes say nothing about this one. Views that
 * are not webapps (a classpath, a jar) may. */
static bool view_fits(const struct incident *inc, const char *view)
{
    if (inc->subject != SUBJECT_WEBAPP || !inc->name || !view || !str_has_prefix(view, "webapp "))
        return true;
    const char *ctx = inc->name;
    while (*ctx == '/')
        ctx++;
    char *dir = *ctx ? xstrdup(ctx) : xstrdup("ROOT");
    for (char *p = dir; *p; p++)
        if (*p == '/')
            *p = '#';
    const char *name = view + strlen("webapp ");
    size_t n = strlen(dir);
    bool fits = strncmp(name, dir, n) == 0 && (name[n] == '\0' || name[n] == '#');
    free(dir);
    return fits;
}

/* Pass 4: classpath facts join the incident of the class they concern. */
static void join_classpath(struct builder *b)
{
    const struct finding_list *fl = b->findings;
    size_t log_incidents = b->out->n;
    for (size_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->items[i];
        if (f->kind == FINDING_CORRELATION) {
            long at = incident_of(b, f->of);
            if (at >= 0 && view_fits(&b->out->items[at], f->view))
                join(b, (size_t)at, i);
            else
                b->joined[i] = true; /* below warning like its log finding, or another webapp's */
            continue;
        }
        if (f->kind != FINDING_CONFLICT)
            continue;
        for (size_t n = 0; n < log_incidents && !b->joined[i]; n++)
            for (size_t e = 0; e < f->n_evidence && view_fits(&b->out->items[n], f->view); e++)
                if (f->evidence[e].kind == EV_CLASS && f->evidence[e].detail &&
                    incident_names_class(b, &b->out->items[n], f->evidence[e].detail)) {
                    join(b, n, i);
                    break;
                }
    }
}

static enum incident_subject standalone_subject(const struct finding *f)
{
    switch (f->kind) {
    case FINDING_ENVIRONMENT:
        return f->impact == IMPACT_SERVICE ? SUBJECT_SERVER : SUBJECT_ENVIRONMENT;
    case FINDING_PROBLEM:
        return SUBJECT_INPUT;
    case FINDING_LOG:
        if (f->impact == IMPACT_SERVICE)
            return SUBJECT_SERVER;
        if (f->impact == IMPACT_CONNECTOR)
            return SUBJECT_CONNECTOR;
        if (f->impact == IMPACT_WEBAPP) /* a Spring application context, or a webapp */
            return str_has_prefix(f->rule, "spring.") ? SUBJECT_APPLICATION : SUBJECT_WEBAPP;
        return SUBJECT_RUNTIME;
    default:
        return SUBJECT_CLASSPATH;
    }
}

/* What joined nothing, at warning or above, stands alone: log findings first (pass 3, so that
 * classpath facts can join them), then the rest (pass 5). */
static void standalone(struct builder *b, bool logs)
{
    const struct finding_list *fl = b->findings;
    for (size_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->items[i];
        if (b->joined[i] || f->severity < SEV_WARNING || f->kind == FINDING_CORRELATION ||
            is_log(f) != logs)
            continue;
        enum incident_subject subject = standalone_subject(f);
        const char *name = finding_fact(f, "service");
        if (is_log(f))
            log_subject(f, &subject, &name);
        struct incident *inc = new_incident(b, subject, name);
        add_member(inc, i);
        b->joined[i] = true;
    }
}

/* ------------------------------------------------------------------------ */
/* Root cause, texts, rank */

static bool has_correlation(const struct finding_list *fl, const struct incident *inc, size_t log)
{
    for (size_t k = 0; k < inc->n_findings; k++) {
        const struct finding *m = &fl->items[inc->findings[k]];
        if (m->kind == FINDING_CORRELATION && m->of == log && finding_explains(m))
            return true;
    }
    return false;
}

/* How much a member explains: a classpath-explained exception > an exception > a
 * description > another record > the record that only says what failed > a wrapper. */
static int explains(const struct finding_list *fl, const struct incident *inc, size_t idx,
                    bool anchor_of_it)
{
    const struct finding *f = &fl->items[idx];
    if (f->kind == FINDING_CORRELATION)
        return -1; /* explains its log finding, which is the cause */
    if (!is_log(f))
        return 1;
    bool exception = f->detail && *f->detail;
    if (exception && has_correlation(fl, inc, idx))
        return 6;
    if (exception)
        return 5;
    if (finding_fact(f, "description") || finding_fact(f, "config_file"))
        return 4;
    if (anchor_of_it)
        return 2;
    return f->impact >= IMPACT_WEBAPP ? 1 : 3;
}

static void pick_cause(struct builder *b, size_t n)
{
    const struct finding_list *fl = b->findings;
    struct incident *inc = &b->out->items[n];
    long best = -1;
    int best_score = -2;
    int64_t best_t = -1;
    for (size_t k = 0; k < inc->n_findings; k++) {
        size_t idx = inc->findings[k];
        int score = explains(fl, inc, idx, b->anchor_of[idx] == (int)n);
        int64_t t = is_log(&fl->items[idx]) ? fact_ms(&fl->items[idx], "first_seen") : -1;
        bool better = score > best_score;
        /* Equal: the one logged first (the first exception is the cause of the next). */
        if (score == best_score && t >= 0 && (best_t < 0 || t < best_t))
            better = true;
        if (better) {
            best = (long)idx;
            best_score = score;
            best_t = t;
        }
    }
    inc->cause = best >= 0 ? (size_t)best : inc->findings[0];
    /* Root cause first, the others in list order. */
    size_t *sorted = xcalloc(inc->n_findings, sizeof(size_t));
    size_t m = 0;
    sorted[m++] = inc->cause;
    for (size_t i = 0; i < fl->n; i++)
        for (size_t k = 0; k < inc->n_findings; k++)
            if (inc->findings[k] == i && i != inc->cause)
                sorted[m++] = i;
    free(inc->findings);
    inc->findings = sorted;
    inc->findings_cap = inc->n_findings;
}

/* "Caused by: java.lang.X: msg" -> "java.lang.X: msg". */
static const char *strip_caused_by(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (str_has_prefix(s, "Caused by: "))
        s += strlen("Caused by: ");
    return s;
}

/* A title that ends with a full stop loses it: the cause text goes on after a colon. */
static char *trimmed(const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
        n--;
    return xstrndup(s, n);
}

/* Does the title already say what the exception line says ("... (BindException: Address
 * already in use)" and "java.net.BindException: Address already in use")? Then the line would
 * only repeat it. */
static bool title_says(const char *title, const char *exception)
{
    const char *msg = strstr(exception, ": ");
    if (msg && msg[2])
        return strstr(title, msg + 2) != NULL;
    const char *dot = strrchr(exception, '.');
    return strstr(title, dot ? dot + 1 : exception) != NULL;
}

/* A text in one line: a cause quoted from a log may hold a newline or a tab. */
static void one_line(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}

/* The root cause in one line, in English and Chinese: the cause's title, with what explains
 * it (the classpath's answer, the exception, the description) after a colon. */
static void cause_text(const struct finding_list *fl, struct incident *inc)
{
    const struct finding *c = &fl->items[inc->cause];
    char *title = trimmed(c->title);
    char *title_zh = trimmed(c->title_zh ? c->title_zh : c->title);
    struct msg_arg t = MSG_B("title", title, title_zh);
    struct bibuf sb = {0};
    switch (c->kind) {
    case FINDING_LOG: {
        const struct finding *explained = NULL;
        for (size_t k = 0; k < inc->n_findings && !explained; k++) {
            const struct finding *m = &fl->items[inc->findings[k]];
            if (m->kind == FINDING_CORRELATION && m->of == inc->cause && finding_explains(m))
                explained = m;
        }
        if (explained)
            bibuf_msg(&sb, MSG_WITH_DETAIL, MSG_B("text", title, title_zh),
                      MSG_B("detail", explained->title, explained->title_zh));
        else if (c->detail && *c->detail && !title_says(title, strip_caused_by(c->detail)))
            bibuf_msg(&sb, MSG_WITH_DETAIL, MSG_B("text", title, title_zh),
                      MSG_S("detail", strip_caused_by(c->detail)));
        else if (finding_fact(c, "description"))
            bibuf_msg(&sb, MSG_WITH_DETAIL, MSG_B("text", title, title_zh),
                      MSG_S("detail", finding_fact(c, "description")));
        else
            bibuf_puts(&sb, title, title_zh);
        break;
    }
    case FINDING_CONFLICT:
        bibuf_msg(&sb, MSG_CAUSE_CONFLICT, t);
        break;
    case FINDING_ENVIRONMENT:
        if (c->impact == IMPACT_SERVICE)
            bibuf_puts(&sb, title, title_zh);
        else
            bibuf_msg(&sb, MSG_CAUSE_CONTAINER, t);
        break;
    case FINDING_DUPLICATE:
        bibuf_msg(&sb, MSG_CAUSE_DUPLICATE, t);
        break;
    case FINDING_PROBLEM:
        bibuf_msg(&sb,
                  strcmp(finding_fact(c, "reading") ? finding_fact(c, "reading") : "", "logs") == 0
                      ? MSG_CAUSE_UNREADABLE_LOG
                      : MSG_CAUSE_UNREADABLE_INPUT,
                  MSG_S("path", c->title),
                  MSG_B("message", c->detail ? c->detail : "", c->detail_zh));
        break;
    default:
        bibuf_puts(&sb, title, title_zh);
        break;
    }
    free(title);
    free(title_zh);
    bibuf_take(&sb, &inc->cause_text, &inc->cause_text_zh);
    one_line(inc->cause_text);
    one_line(inc->cause_text_zh);
}

/* What failed, in English and Chinese. */
static void what_text(struct incident *inc)
{
    struct bibuf sb = {0};
    const char *name = inc->name;
    switch (inc->subject) {
    case SUBJECT_WEBAPP:
        if (!name)
            bibuf_msg(&sb, MSG_WHAT_A_WEBAPP, MSG_END);
        else if (!*name)
            bibuf_msg(&sb, MSG_WHAT_WEBAPP_ROOT, MSG_END);
        else
            bibuf_msg(&sb, MSG_WHAT_WEBAPP, MSG_S("name", name));
        break;
    case SUBJECT_CONNECTOR:
        if (name)
            bibuf_msg(&sb, MSG_WHAT_CONNECTOR, MSG_S("port", name));
        else
            bibuf_msg(&sb, MSG_WHAT_A_CONNECTOR, MSG_END);
        break;
    case SUBJECT_APPLICATION:
        if (name)
            bibuf_msg(&sb, MSG_WHAT_APPLICATION, MSG_S("name", name));
        else
            bibuf_msg(&sb, MSG_WHAT_THE_APPLICATION, MSG_END);
        break;
    case SUBJECT_SERVER:
        if (name)
            bibuf_msg(&sb, MSG_WHAT_SERVICE, MSG_S("name", name));
        else
            bibuf_msg(&sb, MSG_WHAT_THE_SERVICE, MSG_END);
        break;
    case SUBJECT_RUNTIME:
        bibuf_msg(&sb, MSG_WHAT_RUNTIME, MSG_END);
        break;
    case SUBJECT_ENVIRONMENT:
        bibuf_msg(&sb, MSG_WHAT_CONTAINER, MSG_END);
        break;
    case SUBJECT_CLASSPATH:
        bibuf_msg(&sb, MSG_WHAT_CLASSPATH, MSG_END);
        break;
    default:
        bibuf_msg(&sb, MSG_WHAT_INPUT, MSG_END);
        break;
    }
    bibuf_take(&sb, &inc->what, &inc->what_zh);
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void finish(struct builder *b, size_t n)
{
    const struct finding_list *fl = b->findings;
    struct incident *inc = &b->out->items[n];
    pick_cause(b, n);
    const struct finding *c = &fl->items[inc->cause];
    inc->severity = c->severity;
    inc->impact = IMPACT_NONE;
    bool has_anchor = false;
    for (size_t k = 0; k < inc->n_findings; k++)
        if (b->anchor_of[inc->findings[k]] == (int)n)
            has_anchor = true;
    for (size_t k = 0; k < inc->n_findings; k++) {
        const struct finding *m = &fl->items[inc->findings[k]];
        if (m->impact > inc->impact)
            inc->impact = m->impact;
        int64_t t = is_log(m) ? fact_ms(m, "first_seen") : -1;
        if (t >= 0 && (inc->first_ms < 0 || t < inc->first_ms))
            inc->first_ms = t;
        /* When it was last seen: by the records naming what failed, when it has them (a
         * wrapper logged for several webapps was last seen for the last of them). */
        bool anchored = b->anchor_of[inc->findings[k]] == (int)n;
        int64_t last = is_log(m) && (anchored || !has_anchor) ? fact_ms(m, "last_seen") : -1;
        if (last > inc->last_ms)
            inc->last_ms = last;
    }
    what_text(inc);
    cause_text(fl, inc);
    if (c->hint)
        inc->hint = xstrdup(c->hint);
    if (c->hint && c->hint_zh)
        inc->hint_zh = xstrdup(c->hint_zh);
    uint64_t h = fnv1a(14695981039346656037ULL, incident_subject_name(inc->subject));
    h = fnv1a(fnv1a(h, "\x1f"), inc->name);
    h = fnv1a(fnv1a(h, "\x1f"), c->id);
    inc->id = xasprintf("incident-%016" PRIx64, h);
}

/* What an incident stopped: a webapp, a connector, the service; 0 for errors at run time and
 * warnings, which rank by severity first. */
static int stopped(const struct incident *inc)
{
    return inc->impact >= IMPACT_WEBAPP ? (int)inc->impact : 0;
}

static int compare_incidents(const void *pa, const void *pb)
{
    const struct incident *a = pa, *b = pb;
    if (stopped(a) != stopped(b))
        return stopped(a) > stopped(b) ? -1 : 1;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->impact != b->impact)
        return a->impact > b->impact ? -1 : 1;
    if (a->first_ms != b->first_ms) {
        if (a->first_ms < 0 || b->first_ms < 0)
            return a->first_ms < 0 ? 1 : -1;
        return a->first_ms < b->first_ms ? -1 : 1;
    }
    if (a->cause != b->cause)
        return a->cause < b->cause ? -1 : 1;
    return strcmp(a->id, b->id);
}

static void incident_clear(struct incident *inc);

/* Drop the incidents none of whose findings counts (all accepted or in the baseline,
 * accept.h): they are reported as findings, but are no incident of this scan. */
static void drop_set_aside(const struct finding_list *fl, struct incident_list *out)
{
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++) {
        const struct incident *inc = &out->items[i];
        bool counts = false;
        for (size_t k = 0; k < inc->n_findings && !counts; k++)
            counts = accept_counts(&fl->items[inc->findings[k]]);
        if (counts)
            out->items[kept++] = out->items[i];
        else
            incident_clear(&out->items[i]);
    }
    out->n = kept;
}

void incidents_build(const struct scan *scan, const struct finding_list *findings,
                     struct incident_list *out)
{
    (void)scan;
    incident_list_clear(out);
    struct builder b = {findings, out, xcalloc(findings->n + 1, sizeof(int)),
                        xcalloc(findings->n + 1, sizeof(bool)), 0};
    for (size_t i = 0; i < findings->n; i++)
        b.anchor_of[i] = -1;
    anchor_services(&b);
    anchor(&b);
    join_logs(&b);
    standalone(&b, true);
    join_classpath(&b);
    standalone(&b, false);
    for (size_t i = 0; i < out->n; i++)
        finish(&b, i);
    drop_set_aside(findings, out);
    if (out->n)
        qsort(out->items, out->n, sizeof(*out->items), compare_incidents);
    free(b.anchor_of);
    free(b.joined);
}

static void incident_clear(struct incident *inc)
{
    free(inc->id);
    free(inc->name);
    free(inc->what);
    free(inc->cause_text);
    free(inc->what_zh);
    free(inc->cause_text_zh);
    free(inc->hint_zh);
    free(inc->hint);
    free(inc->findings);
}

void incident_list_clear(struct incident_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        incident_clear(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof(*list));
}
