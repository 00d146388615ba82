/*
 * svcstate.c - the state of each discovered service (see svcstate.h).
 */
#include "svcstate.h"

#include <dirent.h>
#include <signal.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "container.h"
#include "crashfiles.h"
#include "runit.h"
#include "startmark.h"
#include "svcstarts.h"
#include "svcconfig.h"
#include "hserr.h"
#include "threaddump.h"
#include "jvm.h"
#include "logmodel.h"
#include "probe.h"
#include "procnet.h"
#include "svcports.h"
#include "messages.h"
#include "util.h"

#define STATE_PROC_FILE_MAX (64 * 1024)
#define STATE_REREAD_MS 300 /* between the two reads of a full accept queue */

const char *run_state_name(enum run_state s)
{
    static const char *const names[] = {"unknown", "up", "starting", "hung", "down", "crashed"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

void service_state_evidence_args(struct service_state *s, enum msg_id id,
                                 const struct msg_arg *args)
{
    strv_push(&s->evidence, &s->n_evidence, &s->evidence_cap, msg_render(id, LANG_EN, args));
    strv_push(&s->evidence_zh, &s->n_evidence_zh, &s->evidence_zh_cap,
              msg_render(id, LANG_ZH, args));
}

/* A note in English and Chinese (zh NULL: the English one). */
static void note_pair(struct service_state *s, const char *en, const char *zh)
{
    strv_push(&s->notes, &s->n_notes, &s->notes_cap, xstrdup(en));
    strv_push(&s->notes_zh, &s->n_notes_zh, &s->notes_zh_cap, xstrdup(zh ? zh : en));
}

static void note_args(struct service_state *s, enum msg_id id, const struct msg_arg *args)
{
    char *en = msg_render(id, LANG_EN, args), *zh = msg_render(id, LANG_ZH, args);
    note_pair(s, en, zh);
    free(en);
    free(zh);
}
#define note(s, id, ...) note_args((s), (id), MSG_ARGS(__VA_ARGS__))

static void runit_of_process(struct service_state *st, const struct state_options *opt);

/* --- facts of a running process --- */

static char *proc_file(const struct state_options *opt, int pid, const char *name)
{
    char *path = xasprintf("%s/%d/%s", opt->proc_root ? opt->proc_root : "/proc", pid, name);
    char *text = read_text_capped(path, STATE_PROC_FILE_MAX);
    free(path);
    return text;
}

/* Field 22 of /proc/PID/stat (starttime, clock ticks since boot); the fields after the
 * command name, which may hold spaces and parentheses, are counted from its last ')'. */
static int stat_start_ticks(const char *stat, uint64_t *ticks)
{
    const char *p = strrchr(stat, ')');
    if (!p)
        return -1;
    p++;
    int field = 2;
    while (*p && field < 22) {
        while (*p == ' ')
            p++;
        field++;
        if (field == 22)
            break;
        while (*p && *p != ' ')
            p++;
    }
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    if (field != 22 || end == p)
        return -1;
    *ticks = v;
    return 0;
}

static int64_t process_uptime(const struct state_options *opt, int pid)
{
    char *stat = proc_file(opt, pid, "stat");
    char *path = xasprintf("%s/uptime", opt->proc_root ? opt->proc_root : "/proc");
    char *up = read_text_capped(path, 4096);
    free(path);
    int64_t result = -1;
    uint64_t ticks;
    long hz = sysconf(_SC_CLK_TCK);
    if (stat && up && hz > 0 && stat_start_ticks(stat, &ticks) == 0) {
        double since_boot = strtod(up, NULL);
        double started = (double)ticks / (double)hz;
        if (since_boot >= started)
            result = (int64_t)(since_boot - started);
    }
    free(stat);
    free(up);
    return result;
}

/* "Name:\tvalue" of /proc/PID/status as a number (the first word), or -1. */
static long long status_number(const char *status, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = status; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, name, n) == 0 && p[n] == ':')
            return strtoll(p + n + 1, NULL, 10);
    return -1;
}

static long count_fds(const struct state_options *opt, int pid)
{
    char *dir = xasprintf("%s/%d/fd", opt->proc_root ? opt->proc_root : "/proc", pid);
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return -1;
    long n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void read_process_facts(struct service_state *st, const struct state_options *opt)
{
    st->uptime_s = process_uptime(opt, st->pid);
    char *status = proc_file(opt, st->pid, "status");
    if (status) {
        st->threads = (long)status_number(status, "Threads");
        long long rss_kb = status_number(status, "VmRSS");
        st->rss = rss_kb > 0 ? (uint64_t)rss_kb * 1024 : 0;
    } else {
        st->threads = -1;
    }
    free(status);
    st->open_fds = count_fds(opt, st->pid);
    char *limits = proc_file(opt, st->pid, "limits");
    uint64_t soft, hard;
    if (limits && container_parse_limits(limits, &soft, &hard) == 0 && soft != CONTAINER_NO_LIMIT)
        st->fd_limit = soft;
    free(limits);
    struct container_facts facts = {0};
    container_read(opt->cgroup_root, opt->proc_root, st->pid, &facts);
    if (facts.memory_limit_known && facts.memory_limit != CONTAINER_NO_LIMIT)
        st->memory_limit = facts.memory_limit;
    container_facts_clear(&facts);
}

/* --- ports --- */

/* jvm_host_path for svcports' spring.config.location entries. */
static char *process_path(const void *ctx, const char *path)
{
    return jvm_host_path(ctx, path);
}

static void declared_ports(struct service_state *st, const struct state_options *opt,
                           const struct jvm_process *p)
{
    char **props = NULL, **env = NULL;
    size_t n_props = 0, props_cap = 0, n_env = 0, env_cap = 0;
    for (size_t i = 0; i < p->n_props; i++)
        strv_push(&props, &n_props, &props_cap,
                  xasprintf("%s=%s", p->props[i].key, p->props[i].value));
    char *path = xasprintf("%s/%d/environ", opt->proc_root ? opt->proc_root : "/proc", p->pid);
    char *data;
    size_t len;
    if (read_file_capped(path, 1024 * 1024, &data, &len, NULL) == 0) {
        strv_split_nul(data, len, &env, &n_env, &env_cap);
        free(data);
    }
    free(path);
    char *server_xml = NULL;
    if (p->catalina_base) {
        char *conf = path_join(p->catalina_base, "conf/server.xml");
        server_xml = jvm_host_path(p, conf);
        free(conf);
    }
    static const char *const config_dirs[] = {"config", "."};
    size_t n_dirs = 2;
    char *app_jar = p->jar ? jvm_host_path(p, p->jar) : NULL;
    struct port_sources src = {.args = p->args ? p->args + p->first_app_arg : NULL,
                               .n_args = p->args ? p->n_args - p->first_app_arg : 0,
                               .props = props,
                               .n_props = n_props,
                               .env = env,
                               .n_env = n_env,
                               .server_xml = server_xml,
                               .config_dirs = config_dirs,
                               .n_config_dirs = n_dirs,
                               .app_jar = app_jar,
                               .host_path = process_path,
                               .host_ctx = p};
    struct port_list ports = {0};
    svcports_declared(&src, &ports);
    for (size_t i = 0; i < ports.n; i++) {
        st->declared =
            xgrow(st->declared, &st->declared_cap, st->n_declared + 1, sizeof(*st->declared));
        st->declared[st->n_declared++] = (struct state_port){ports.items[i].port,
                                                             xstrdup(ports.items[i].what),
                                                             xstrdup(ports.items[i].what_zh),
                                                             xstrdup(ports.items[i].source),
                                                             false,
                                                             NULL};
    }
    for (size_t i = 0; i < ports.n_notes; i++)
        note_pair(st, ports.notes[i], i < ports.n_notes_zh ? ports.notes_zh[i] : NULL);
    port_list_free(&ports);
    free(server_xml);
    free(app_jar);
    strv_free(props, n_props);
    strv_free(env, n_env);
}

static bool queue_waits(const struct net_socket *s)
{
    return s->state == PROCNET_TCP_LISTEN && s->rx_queue > 0;
}

static void listening_ports(struct service_state *st, const struct state_options *opt)
{
    struct net_socket *socks;
    size_t n;
    char err[WR_ERR_MAX];
    if (procnet_listening(opt->proc_root, st->pid, &socks, &n, err) != 0) {
        note(st, MSG_NOTE_SOCKETS_UNKNOWN, MSG_S("error", err));
        return;
    }
    bool any_waiting = false;
    for (size_t i = 0; i < n; i++)
        any_waiting |= queue_waits(&socks[i]);
    struct net_socket *again = NULL;
    size_t n_again = 0;
    /* a queue once is a burst; connections still waiting later are a server not accepting */
    if (any_waiting) {
        struct timespec ts = {0, STATE_REREAD_MS * 1000000L};
        nanosleep(&ts, NULL);
        if (procnet_listening(opt->proc_root, st->pid, &again, &n_again, err) != 0)
            n_again = 0;
    }
    for (size_t i = 0; i < n; i++) {
        struct state_listen l = {.port = socks[i].port, .accept_queue = socks[i].rx_queue};
        procnet_format_addr(&socks[i], l.addr, sizeof(l.addr));
        for (size_t k = 0; queue_waits(&socks[i]) && k < n_again; k++)
            if (again[k].inode == socks[i].inode && again[k].rx_queue >= socks[i].rx_queue)
                l.queue_stuck = true;
        st->listening =
            xgrow(st->listening, &st->listening_cap, st->n_listening + 1, sizeof(*st->listening));
        st->listening[st->n_listening++] = l;
    }
    free(again);
    free(socks);
    for (size_t d = 0; d < st->n_declared; d++)
        for (size_t i = 0; i < st->n_listening; i++)
            if (st->listening[i].port == st->declared[d].port)
                st->declared[d].listening = true;
}

/* True when `text` holds `port` as a number of its own ("-8080\"]", ":8080"). */
static bool names_port(const char *text, int port)
{
    char digits[16];
    snprintf(digits, sizeof(digits), "%d", port);
    size_t n = strlen(digits);
    for (const char *p = text ? strstr(text, digits) : NULL; p; p = strstr(p + 1, digits)) {
        bool before = p == text || p[-1] < '0' || p[-1] > '9';
        bool after = p[n] < '0' || p[n] > '9';
        if (before && after && p > text && (p[-1] == '-' || p[-1] == ':' || p[-1] == ' '))
            return true;
    }
    return false;
}

/* A declared port that does not listen, joined to the log finding naming it: by the rule's
 * port fact, else a bind failure whose text names the port (Tomcat's
 * Connector["http-nio-127.0.0.1-8080"] before the BindException). */
static void join_log_findings(struct service_state *st, const struct scan *scan)
{
    for (size_t d = 0; scan->logs && d < st->n_declared; d++) {
        struct state_port *port = &st->declared[d];
        if (port->listening)
            continue;
        for (size_t i = 0; i < scan->logs->n_findings && !port->log_finding; i++) {
            const struct log_finding *f = &scan->logs->findings[i];
            const char *value = log_finding_fact(f, "port");
            bool bind = f->sample &&
                        (strstr(f->sample, "BindException") || strstr(f->sample, "already in use"));
            if ((value && atoi(value) == port->port) ||
                (!value && bind && names_port(f->sample, port->port)))
                port->log_finding = xstrdup(f->title);
        }
    }
}

/* --- what a scan saw of a JVM, for a scan after its death --- */

void jvm_sighting_clear(struct jvm_sighting *s)
{
    free(s->identity);
    free(s->cwd);
    free(s->error_file);
    free(s->heap_dump_path);
    free(s->command);
    memset(s, 0, sizeof(*s));
}

void jvm_sightings_free(struct jvm_sighting *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        jvm_sighting_clear(&s[i]);
    free(s);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void jvm_sighting_copy(struct jvm_sighting *to, const struct jvm_sighting *from)
{
    *to = *from;
    to->identity = dup_or_null(from->identity);
    to->cwd = dup_or_null(from->cwd);
    to->error_file = dup_or_null(from->error_file);
    to->heap_dump_path = dup_or_null(from->heap_dump_path);
    to->command = dup_or_null(from->command);
}

/* "-XX:Name=value" in a list of options separated by blanks (JAVA_TOOL_OPTIONS): the last. */
static void xx_in_options(const char *options, const char *name, char **value)
{
    if (!options)
        return;
    char *copy = xstrdup(options);
    size_t n = strlen(name);
    for (char *save = NULL, *tok = strtok_r(copy, " \t\n", &save); tok;
         tok = strtok_r(NULL, " \t\n", &save))
        if (strncmp(tok, "-XX:", 4) == 0 && strncmp(tok + 4, name, n) == 0 && tok[4 + n] == '=') {
            free(*value);
            *value = xstrdup(tok + 5 + n);
        }
    free(copy);
}

/* -XX:Name as the JVM takes it: JAVA_TOOL_OPTIONS, then the command line, then
 * _JAVA_OPTIONS, the last one given winning. NULL when not given. */
static char *xx_flag(const struct jvm_process *p, const char *name)
{
    char *value = NULL;
    xx_in_options(p->java_tool_options, name, &value);
    size_t n = strlen(name);
    for (size_t i = 0; i < p->first_app_arg && i < p->n_args; i++) {
        const char *a = p->args[i];
        if (strncmp(a, "-XX:", 4) == 0 && strncmp(a + 4, name, n) == 0 && a[4 + n] == '=') {
            free(value);
            value = xstrdup(a + 5 + n);
        }
    }
    xx_in_options(p->java_options, name, &value);
    return value;
}

static char *runit_identity(const struct state_options *opt, const char *dir)
{
    return xasprintf("runit %s", path_under_root(opt->root, dir));
}

/* A path the JVM gave, as the scan names it (absolute ones without --root's prefix). */
static char *seen_path(const struct state_options *opt, char *path)
{
    if (!path || path[0] != '/')
        return path;
    char *out = xstrdup(path_under_root(opt->root, path));
    free(path);
    return out;
}

static struct jvm_sighting *sighting_of(const struct service_state *st, const struct service *svc,
                                        const struct jvm_process *p,
                                        const struct state_options *opt)
{
    struct jvm_sighting *s = xcalloc(1, sizeof(*s));
    int64_t now = (int64_t)time(NULL);
    s->identity = xstrdup(st->identity);
    s->pid = st->pid;
    s->started = st->uptime_s >= 0 ? now - st->uptime_s : -1;
    s->cwd = seen_path(opt, dup_or_null(p->cwd));
    s->error_file = seen_path(opt, xx_flag(p, "ErrorFile"));
    s->heap_dump_path = seen_path(opt, xx_flag(p, "HeapDumpPath"));
    s->command = dup_or_null(svc->command);
    s->last_seen = now;
    return s;
}

static const struct jvm_sighting *find_sighting(const struct state_options *opt,
                                                const char *identity)
{
    const struct jvm_sighting *found = NULL;
    for (size_t i = 0; identity && i < opt->n_sightings; i++)
        if (opt->sightings[i].identity && strcmp(opt->sightings[i].identity, identity) == 0 &&
            (!found || opt->sightings[i].last_seen > found->last_seen))
            found = &opt->sightings[i];
    return found;
}

static void format_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t < 0 || !gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        buf[0] = '\0'; /* unknown */
}

/* --- the state --- */

/* What the service's logs say of its starts: whether the current one finished, and how
 * long earlier ones took. */
struct start_info {
    bool finished;
    uint64_t usual_ms; /* the longest start the logs give; 0 unknown */
    char finished_text[STARTMARK_TEXT_MAX];
    char finished_at[4200]; /* "file:line" of that marker */
};

static int start_order(const void *a, const void *b)
{
    const struct svc_start *x = a, *y = b;
    return x->at_ms < y->at_ms ? -1 : x->at_ms > y->at_ms ? 1 : 0;
}

/* One file's starts joined to the service's: a start seen in two files (Tomcat's console
 * and its catalina.<date>.log receive the same records) once, at the same time. */
static void merge_starts(struct service_state *st, struct start_list *l)
{
    st->starts_total += l->total;
    for (size_t i = 0; i < l->n; i++) {
        bool twice = false;
        for (size_t k = 0; k < st->n_starts && !twice; k++)
            twice = l->items[i].at_ms >= 0 && st->starts[k].at_ms == l->items[i].at_ms;
        if (twice) {
            st->starts_total--;
            svc_start_clear(&l->items[i]);
            continue;
        }
        st->starts = xgrow(st->starts, &st->starts_cap, st->n_starts + 1, sizeof(*st->starts));
        st->starts[st->n_starts++] = l->items[i];
    }
    l->n = 0;
    start_list_clear(l);
}

/* Every start the service's logs record (the timeline), and of the current start whether
 * it finished; each log read once (svcstarts.h). */
static void read_starts(struct service_state *st, const struct scan *scan,
                        const struct service *svc, struct start_info *info)
{
    memset(info, 0, sizeof(*info));
    bool all_timed = true;
    for (size_t i = 0; scan->logs && i < scan->logs->n_files; i++) {
        const struct log_file *f = &scan->logs->files[i];
        bool ours = false;
        for (size_t k = 0; k < svc->n_logs && !ours; k++)
            ours = strcmp(svc->logs[k], f->path) == 0;
        struct startmark m;
        struct start_list l;
        uint64_t after = f->last_start_line;
        if (ours && f->start_offset) {
            /* the scan read this log from its last start only (start_offset): its line
             * numbers count from there, svcstarts' from the file's start. The last start
             * svcstarts reads is that start: its line is the one the marker must follow. */
            struct startmark probe;
            if (svcstarts_scan(f->path, UINT64_MAX, &l, &probe) == 0) {
                after = l.n ? l.items[l.n - 1].line : 0;
                start_list_clear(&l);
            }
        }
        if (!ours || svcstarts_scan(f->path, after, &l, &m) != 0)
            continue;
        for (size_t k = 0; k < l.n; k++)
            all_timed &= l.items[k].at_ms >= 0;
        merge_starts(st, &l);
        if (m.finished && !info->finished) {
            info->finished = true;
            snprintf(info->finished_text, sizeof(info->finished_text), "%s", m.text);
            snprintf(info->finished_at, sizeof(info->finished_at), "%s:%" PRIu64, f->path, m.line);
        }
        if (m.max_ms > info->usual_ms)
            info->usual_ms = m.max_ms;
    }
    /* in time order across files when every start has a time; else as the files gave them */
    if (all_timed && st->n_starts > 1)
        qsort(st->starts, st->n_starts, sizeof(*st->starts), start_order);
    if (st->n_starts > SVCSTATE_STARTS_MAX) {
        size_t drop = st->n_starts - SVCSTATE_STARTS_MAX;
        for (size_t i = 0; i < drop; i++)
            svc_start_clear(&st->starts[i]);
        memmove(st->starts, st->starts + drop, SVCSTATE_STARTS_MAX * sizeof(*st->starts));
        st->n_starts = SVCSTATE_STARTS_MAX;
    }
}

/* How old a start may be before it counts as hung: --start-timeout when given, else twice
 * the longest start the logs know of (at least SVCSTATE_START_MIN_S), else the default. */
static int start_timeout(struct service_state *st, const struct state_options *opt,
                         const struct start_info *info)
{
    if (opt->start_timeout_s > 0)
        return opt->start_timeout_s;
    if (info->usual_ms) {
        uint64_t s = info->usual_ms * 2 / 1000;
        int timeout = s < SVCSTATE_START_MIN_S ? SVCSTATE_START_MIN_S : s > 86400 ? 86400 : (int)s;
        char took[32];
        snprintf(took, sizeof(took), "%.1f", (double)info->usual_ms / 1000.0);
        service_state_evidence(st, MSG_EV_START_TIMEOUT, MSG_S("took", took),
                               MSG_N("timeout", timeout));
        return timeout;
    }
    return SVCSTATE_START_TIMEOUT_S;
}

/* The state's reason in both languages (messages.h). */
static void set_reason(struct service_state *st, enum msg_id id, const struct msg_arg *args)
{
    free(st->reason);
    free(st->reason_zh);
    st->reason = msg_render(id, LANG_EN, args);
    st->reason_zh = msg_render(id, LANG_ZH, args);
}
#define SET_REASON(st, id, ...) set_reason((st), (id), MSG_ARGS(__VA_ARGS__))

/* A clause a reason may end with, in both languages; `want` false gives "". */
struct clause {
    char *text[LANG_COUNT];
};

static struct clause clause_of(enum msg_id id, bool want)
{
    struct clause c = {{NULL, NULL}};
    for (int l = 0; l < LANG_COUNT; l++)
        c.text[l] = want ? msg_render(id, (enum lang)l, MSG_ARGS(MSG_END)) : xstrdup("");
    return c;
}

static void clause_free(struct clause *c)
{
    for (int l = 0; l < LANG_COUNT; l++)
        free(c->text[l]);
}

#define MSG_CLAUSE(n, c) MSG_B((n), (c).text[LANG_EN], (c).text[LANG_ZH])

/* The reason without its clause `suffix` (a guess a thread dump replaces), then "; dump". */
static void reason_with_dump(struct service_state *st, enum msg_id suffix)
{
    char *base[LANG_COUNT] = {st->reason, st->reason_zh};
    struct clause c = clause_of(suffix, true);
    for (int l = 0; l < LANG_COUNT; l++) {
        char *at = base[l] ? strstr(base[l], c.text[l]) : NULL;
        if (at)
            *at = '\0';
    }
    clause_free(&c);
    st->reason = NULL;
    st->reason_zh = NULL;
    SET_REASON(st, MSG_REASON_WITH_DUMP, MSG_B("reason", base[0] ? base[0] : "", base[1]),
               MSG_B("dump", st->dump_summary, st->dump_summary_zh));
    free(base[0]);
    free(base[1]);
}

static void decide_running(struct service_state *st, const struct state_options *opt,
                           const struct start_info *info)
{
    bool finished = info->finished;
    int timeout = start_timeout(st, opt, info);
    bool young = st->uptime_s >= 0 && st->uptime_s < timeout;
    size_t missing = 0;
    const struct state_port *first_missing = NULL;
    for (size_t i = 0; i < st->n_declared; i++)
        if (!st->declared[i].listening && missing++ == 0)
            first_missing = &st->declared[i];
    const struct state_listen *full = NULL;
    for (size_t i = 0; i < st->n_listening && !full; i++)
        if (st->listening[i].queue_stuck)
            full = &st->listening[i];
    char age[64];
    if (st->uptime_s >= 0)
        snprintf(age, sizeof(age), "%" PRId64 " s", st->uptime_s);
    else
        snprintf(age, sizeof(age), "an unknown time");
    char *age_zh = st->uptime_s >= 0 ? msg_text(MSG_AGE_SECONDS, LANG_ZH, MSG_N("s", st->uptime_s))
                                     : msg_text(MSG_AGE_UNKNOWN, LANG_ZH, MSG_END);
    const struct msg_arg age_arg = MSG_B("age", age, age_zh);
    struct clause suffix = {{NULL, NULL}};
    if (full) {
        st->state = RUN_HUNG;
        SET_REASON(st, MSG_REASON_QUEUE_STUCK, MSG_N("port", full->port),
                   MSG_C("n", full->accept_queue), MSG_N("ms", STATE_REREAD_MS));
    } else if (first_missing) {
        /* a start that finished with a port missing is no longer starting */
        st->state = young && !finished ? RUN_STARTING : RUN_HUNG;
        if (first_missing->log_finding) {
            SET_REASON(st, MSG_REASON_PORT_FAILED, MSG_N("port", first_missing->port),
                       MSG_B("what", first_missing->what, first_missing->what_zh), age_arg,
                       MSG_S("finding", first_missing->log_finding));
        } else {
            suffix = finished ? clause_of(MSG_SUFFIX_START_FINISHED, true)
                              : clause_of(MSG_SUFFIX_TIMEOUT, !young);
            SET_REASON(st, MSG_REASON_PORT_MISSING, MSG_N("port", first_missing->port),
                       MSG_B("what", first_missing->what, first_missing->what_zh), age_arg,
                       MSG_CLAUSE("suffix", suffix));
        }
    } else if (st->n_declared || st->n_listening) {
        st->state = RUN_UP;
        struct strbuf sb = {0};
        for (size_t i = 0; i < st->n_listening; i++)
            strbuf_printf(&sb, "%s%d", i ? ", " : "", st->listening[i].port);
        if (sb.data)
            SET_REASON(st, MSG_REASON_LISTENING, MSG_S("ports", sb.data));
        else
            SET_REASON(st, MSG_REASON_LISTENING,
                       MSG_B("ports", msg_template(MSG_REASON_DECLARED_PORTS, LANG_EN),
                             msg_template(MSG_REASON_DECLARED_PORTS, LANG_ZH)));
        strbuf_free(&sb);
    } else if (finished) {
        st->state = RUN_UP;
        SET_REASON(st, MSG_REASON_UP_BY_LOG, age_arg);
    } else if (st->n_starts == 0) {
        /* A worker, a batch job, or a start that hangs before it logs: without a port or a
         * start in its logs nothing tells them apart, and "hung" on a healthy worker is a
         * false alarm. A thread dump decides (take_dump). */
        st->state = young ? RUN_STARTING : RUN_UNKNOWN;
        suffix = clause_of(MSG_SUFFIX_DUMP_HINT, !young);
        SET_REASON(st, MSG_REASON_NO_EVIDENCE, age_arg, MSG_CLAUSE("suffix", suffix));
    } else {
        st->state = young ? RUN_STARTING : RUN_HUNG;
        suffix = clause_of(MSG_SUFFIX_MAY_WAIT, !young);
        SET_REASON(st, MSG_REASON_NO_FINISHED_START, age_arg, MSG_CLAUSE("suffix", suffix));
    }
    clause_free(&suffix);
    service_state_evidence(st, MSG_EV_PID_RUNNING, MSG_N("pid", st->pid), age_arg);
    for (size_t i = 0; i < st->n_declared; i++) {
        enum msg_id listening = st->declared[i].listening ? MSG_EV_LISTENING : MSG_EV_NOT_LISTENING;
        service_state_evidence(
            st, MSG_EV_PORT, MSG_N("port", st->declared[i].port),
            MSG_B("what", st->declared[i].what, st->declared[i].what_zh),
            MSG_S("source", st->declared[i].source),
            MSG_B("listening", msg_template(listening, LANG_EN), msg_template(listening, LANG_ZH)));
    }
    free(age_zh);
}

/* Is the main thread still there and waiting (threaddump.h's wait lines)? */
static bool main_waits(const struct thread_dump *d)
{
    for (size_t i = 0; i < d->n_waits; i++)
        if (str_has_prefix(d->waits[i], "main waits in "))
            return true;
    return false;
}

void service_state_set_dump_status(struct service_state *st, enum msg_id id,
                                   const struct msg_arg *args)
{
    free(st->dump_status);
    free(st->dump_status_zh);
    st->dump_status = msg_render(id, LANG_EN, args);
    st->dump_status_zh = msg_render(id, LANG_ZH, args);
}
#define set_dump_status service_state_set_dump_status

/* --thread-dump: attach, parse, and let what the threads do sharpen the state. */
static void take_dump(struct service_state *st, const struct state_options *opt)
{
    struct attach_request req = {opt->proc_root, st->pid, "threaddump", NULL, opt->dump_timeout_s};
    char *text;
    size_t len;
    int code;
    char err[WR_ERR_MAX], err_zh[WR_ERR_MAX];
    enum attach_result rc = attach_run(&req, &text, &len, &code, err, err_zh);
    if (rc != ATTACH_OK) {
        set_dump_status(st,
                        rc == ATTACH_REFUSED ? MSG_DUMP_STATUS_REFUSED : MSG_DUMP_STATUS_NOT_TAKEN,
                        MSG_ARGS(MSG_B("error", err, err_zh)));
        if (rc == ATTACH_NO_REPLY && st->state != RUN_UP) {
            st->state = RUN_HUNG;
            SET_REASON(st, MSG_REASON_NO_DUMP_REPLY, MSG_B("error", err, err_zh));
        }
        return;
    }
    st->dump_text = text;
    if (code != 0) {
        char code_text[16], *shown = xstrndup(text, strnlen(text, 200));
        snprintf(code_text, sizeof(code_text), "%d", code);
        set_dump_status(st, MSG_DUMP_STATUS_ANSWERED,
                        MSG_ARGS(MSG_S("code", code_text), MSG_S("text", shown)));
        free(shown);
        return;
    }
    if (threaddump_parse(text, len, &st->dump) != 0) {
        set_dump_status(st, MSG_DUMP_STATUS_UNREADABLE, MSG_ARGS(MSG_END));
        return;
    }
    set_dump_status(st, MSG_DUMP_STATUS_TAKEN, MSG_ARGS(MSG_N("n", st->dump->n_threads)));
    st->dump_summary = threaddump_summary(st->dump);
    st->dump_summary_zh = threaddump_summary_lang(st->dump, LANG_ZH);
    if (st->dump->n_deadlocks) {
        st->state = RUN_HUNG;
        free(st->reason);
        free(st->reason_zh);
        st->reason = xstrdup(st->dump_summary); /* the JVM's own words */
        st->reason_zh = xstrdup(st->dump_summary_zh);
    } else if (st->state == RUN_UNKNOWN && main_waits(st->dump)) {
        /* no port, no start in the logs, and main still blocked: its start never ended */
        reason_with_dump(st, MSG_SUFFIX_DUMP_HINT);
        st->state = RUN_HUNG;
    } else if (st->state == RUN_HUNG || st->state == RUN_STARTING) {
        /* the dump says what "it may wait for something" only guessed */
        reason_with_dump(st, MSG_SUFFIX_MAY_WAIT);
    }
}

static void evaluate_running(struct scan *scan, struct service_state *st, const struct service *svc,
                             const struct state_options *opt)
{
    read_process_facts(st, opt);
    struct jvm_process p = {0};
    char err[WR_ERR_MAX];
    bool read = jvm_read_process(opt->proc_root, st->pid, &p, err) == 0;
    if (read)
        declared_ports(st, opt, &p);
    else
        note(st, MSG_NOTE_CMDLINE_UNREADABLE, MSG_S("error", err));
    listening_ports(st, opt);
    runit_of_process(st, opt);
    if (st->runit_dir) /* under runsv: the service directory names it, as when it is down */
        st->identity = runit_identity(opt, st->runit_dir);
    else if (svc->identity)
        st->identity = xstrdup(svc->identity);
    if (read && st->identity)
        st->sighting = sighting_of(st, svc, &p, opt);
    jvm_process_clear(&p);
    join_log_findings(st, scan);
    /* the logs' starts are the timeline; whether the last finished matters when the ports
     * do not say "up" */
    bool ports_up = st->n_declared || st->n_listening;
    for (size_t i = 0; i < st->n_declared; i++)
        ports_up &= st->declared[i].listening;
    struct start_info info = {0};
    read_starts(st, scan, svc, &info);
    if (ports_up)
        memset(&info, 0, sizeof(info));
    else if (info.finished)
        service_state_evidence(st, MSG_EV_LOG_START_FINISHED, MSG_S("text", info.finished_text),
                               MSG_S("at", info.finished_at));
    decide_running(st, opt, &info);
    if (opt->thread_dump &&
        (!opt->dump_hung_only || st->state == RUN_HUNG || st->state == RUN_UNKNOWN))
        take_dump(st, opt);
}

/* runit_describe_exit() in Chinese: "退出码 1", "被信号 6（SIGABRT）终止". */
static char *exit_zh(int code, int sig)
{
    int signo = sig & 0x7f;
    if (code == 111 && sig == 0)
        return msg_text(MSG_EXIT_RUN_FAILED, LANG_ZH, MSG_END);
    if (code >= 0 && signo == 0)
        return msg_text(MSG_EXIT_CODE, LANG_ZH, MSG_N("code", code));
    const char *abbrev = signo > 0 && signo < NSIG ? sigabbrev_np(signo) : NULL;
    char *name =
        abbrev ? msg_text(MSG_EXIT_SIGNAL_NAME, LANG_ZH, MSG_S("name", abbrev)) : xstrdup("");
    char *core = sig & 0x80 ? msg_text(MSG_EXIT_CORE, LANG_ZH, MSG_END) : xstrdup("");
    char *text = msg_text(MSG_EXIT_SIGNAL, LANG_ZH, MSG_N("signo", signo), MSG_S("name", name),
                          MSG_S("core", core));
    free(name);
    free(core);
    return text;
}

static char *read_target(const struct state_options *opt, const char *dir, const char *name,
                         size_t max, size_t *len)
{
    char *path = path_join(dir, name);
    char *host = svcconfig_host_path(opt->root, path);
    char *text = NULL;
    if (read_file_capped(host, max, &text, len, NULL) != 0)
        text = NULL;
    free(host);
    free(path);
    return text;
}

/* runsv's view of the service and the finish script's exit record; the run script's java
 * command for the crash files' places. */
static void runit_facts(struct service_state *st, const struct state_options *opt, const char *dir,
                        struct runit_command *cmd, int *exit_code, int *exit_sig)
{
    st->runit_dir = xstrdup(dir);
    size_t len;
    char *stat = read_target(opt, dir, "supervise/stat", 256, &len);
    if (stat) {
        stat[strcspn(stat, "\n")] = '\0';
        st->runit_stat = xstrdup(stat);
        service_state_evidence(st, MSG_EV_RUNSV_SAYS, MSG_S("stat", stat), MSG_S("dir", dir));
    } else {
        service_state_evidence(st, MSG_EV_RUNSV_NEVER, MSG_S("dir", dir));
    }
    free(stat);
    char *status = read_target(opt, dir, "supervise/status", 64, &len);
    struct runit_status rs;
    if (status && runit_parse_status((const unsigned char *)status, len, &rs) == 0) {
        int64_t now = (int64_t)time(NULL);
        st->since_s = now >= rs.since ? now - rs.since : 0;
        if (rs.want == 'd')
            service_state_evidence(st, MSG_EV_WANT_DOWN, MSG_END);
    }
    free(status);
    char *down = read_target(opt, dir, "down", 4096, &len);
    if (down) {
        st->runit_down_file = true;
        char *file = path_join(dir, "down");
        service_state_evidence(st, MSG_EV_DOWN_FILE, MSG_S("file", file));
        free(file);
    }
    free(down);
    char *exits = read_target(opt, dir, RUNIT_EXIT_FILE, 64 * 1024, &len);
    int64_t when;
    if (exits && runit_parse_exit(exits, len, &when, exit_code, exit_sig) == 0) {
        st->last_exit = runit_describe_exit(*exit_code, *exit_sig);
        st->last_exit_zh = exit_zh(*exit_code, *exit_sig);
        size_t runs = runit_count_exits(exits, len);
        char *file = path_join(dir, RUNIT_EXIT_FILE);
        service_state_evidence(st, MSG_EV_FINISH_RECORDED, MSG_N("n", runs),
                               MSG_B("exit", st->last_exit, st->last_exit_zh), MSG_S("file", file));
        free(file);
    }
    free(exits);
    char *run = read_target(opt, dir, "run", RUNIT_SCRIPT_MAX, &len);
    if (!run || runit_parse_run(run, len, cmd) != 0)
        memset(cmd, 0, sizeof(*cmd));
    free(run);
}

/* A JVM whose parent is runsv runs a runit service: runsv's working directory is the
 * service directory. Its supervise files and the finish script's record of earlier runs
 * (restarts) join the state. */
static void runit_of_process(struct service_state *st, const struct state_options *opt)
{
    char *stat = proc_file(opt, st->pid, "stat");
    const char *after = stat ? strrchr(stat, ')') : NULL;
    char state_char;
    int ppid = 0;
    if (!after || sscanf(after + 1, " %c %d", &state_char, &ppid) != 2 || ppid <= 1) {
        free(stat);
        return;
    }
    free(stat);
    char *comm = proc_file(opt, ppid, "comm");
    bool runsv = comm && strncmp(comm, "runsv\n", 6) == 0;
    free(comm);
    if (!runsv)
        return;
    char *link = xasprintf("%s/%d/cwd", opt->proc_root ? opt->proc_root : "/proc", ppid);
    char *dir = read_link(link);
    free(link);
    if (!dir || !*dir) {
        free(dir);
        return;
    }
    struct state_options host = *opt;
    host.root = NULL; /* runsv's cwd as this process sees it */
    struct runit_command cmd = {0};
    int code = 0, sig = 0;
    runit_facts(st, &host, dir, &cmd, &code, &sig);
    runit_command_clear(&cmd);
    free(dir);
}

static bool has_arg(const struct runit_command *cmd, const char *arg)
{
    for (size_t i = 0; i < cmd->argc; i++)
        if (strcmp(cmd->argv[i], arg) == 0)
            return true;
    return false;
}

/* No JVM: DOWN, or CRASHED when it left a fatal error report or was killed. */
static void decide_dead(struct service_state *st, const struct runit_command *cmd, int code,
                        int sig, uint64_t oom_kills)
{
    int signo = sig & 0x7f;
    char *summary = st->hs_err ? hserr_summary(st->hs_err) : NULL;
    char *summary_zh = st->hs_err ? hserr_summary_lang(st->hs_err, LANG_ZH) : NULL;
    struct clause suffix = {{NULL, NULL}};
    if (summary) {
        st->state = RUN_CRASHED;
        SET_REASON(st, MSG_REASON_FATAL_ERROR, MSG_B("summary", summary, summary_zh),
                   MSG_S("path", st->hs_err_path));
    } else if (st->last_exit && code < 0 && signo == SIGKILL) {
        st->state = RUN_CRASHED;
        suffix = clause_of(MSG_SUFFIX_OOM_COUNTED, oom_kills > 0);
        SET_REASON(st, MSG_REASON_KILLED_NO_HSERR, MSG_B("exit", st->last_exit, st->last_exit_zh),
                   MSG_CLAUSE("suffix", suffix));
    } else if (st->last_exit && code < 0 && signo != SIGTERM && signo != SIGINT &&
               signo != SIGHUP) {
        st->state = RUN_CRASHED;
        suffix = clause_of(MSG_SUFFIX_NO_HSERR, !st->hs_err_path);
        SET_REASON(st, MSG_REASON_SIGNALLED, MSG_B("exit", st->last_exit, st->last_exit_zh),
                   MSG_CLAUSE("suffix", suffix));
    } else if (st->last_exit && code == 3 && has_arg(cmd, "-XX:+ExitOnOutOfMemoryError")) {
        st->state = RUN_DOWN;
        SET_REASON(st, MSG_REASON_EXIT_ON_OOM, MSG_B("exit", st->last_exit, st->last_exit_zh));
    } else if (st->last_jvm_dump) {
        /* -XX:+HeapDumpOnOutOfMemoryError wrote it: the heap ran out before the end */
        char when[32];
        format_time(st->last_jvm_dump_time, when, sizeof(when));
        st->state = RUN_DOWN;
        SET_REASON(st, MSG_REASON_OOM_DUMP, MSG_S("path", st->last_jvm_dump), MSG_S("time", when));
    } else if (st->last_exit) {
        st->state = RUN_DOWN;
        suffix = clause_of(MSG_SUFFIX_FAILED_START, code > 0);
        SET_REASON(st, MSG_REASON_LAST_RUN, MSG_B("exit", st->last_exit, st->last_exit_zh),
                   MSG_CLAUSE("suffix", suffix));
    } else if (st->runit_down_file && st->n_starts == 0) {
        st->state = RUN_DOWN;
        st->down_as_told = true;
        SET_REASON(st, MSG_REASON_NORMALLY_DOWN, MSG_END);
    } else {
        st->state = RUN_DOWN;
        SET_REASON(st, MSG_REASON_NOT_RUNNING, MSG_END);
    }
    clause_free(&suffix);
    if (st->hs_err_path && !summary)
        service_state_evidence(st, MSG_EV_HSERR_UNREADABLE, MSG_S("path", st->hs_err_path));
    free(summary);
    free(summary_zh);
}

/* The store's last sighting of the service's JVM: where it ran and with which flags, as
 * evidence and as places for its crash files. */
static const struct jvm_sighting *last_sighting(struct service_state *st,
                                                const struct state_options *opt)
{
    const struct jvm_sighting *seen = find_sighting(opt, st->identity);
    if (!seen)
        return NULL;
    st->sighting = xcalloc(1, sizeof(*st->sighting));
    jvm_sighting_copy(st->sighting, seen);
    char at[32], started[32];
    struct bibuf more = {0};
    if (seen->cwd)
        bibuf_msg(&more, MSG_EV_SEEN_CWD, MSG_S("cwd", seen->cwd));
    for (int k = 0; k < 2; k++) {
        const char *flag = k ? "-XX:HeapDumpPath=" : "-XX:ErrorFile=";
        const char *value = k ? seen->heap_dump_path : seen->error_file;
        if (!value)
            continue;
        bibuf_msg(&more, MSG_CLAUSE_SEP, MSG_END);
        bibuf_puts(&more, flag, NULL);
        bibuf_puts(&more, value, NULL);
    }
    char *more_text[LANG_COUNT];
    bibuf_take(&more, &more_text[LANG_EN], &more_text[LANG_ZH]);
    char *time_text[2][LANG_COUNT];
    const int64_t times[2] = {seen->last_seen, seen->started};
    for (int k = 0; k < 2; k++) {
        char *buf = k ? started : at;
        format_time(times[k], buf, sizeof(at));
        for (int l = 0; l < LANG_COUNT; l++)
            time_text[k][l] =
                *buf ? xstrdup(buf) : msg_text(MSG_TIME_UNKNOWN, (enum lang)l, MSG_END);
    }
    service_state_evidence(st, MSG_EV_LAST_SEEN, MSG_N("pid", seen->pid),
                           MSG_B("at", time_text[0][LANG_EN], time_text[0][LANG_ZH]),
                           MSG_B("started", time_text[1][LANG_EN], time_text[1][LANG_ZH]),
                           MSG_B("more", more_text[LANG_EN], more_text[LANG_ZH]));
    for (int k = 0; k < 2; k++)
        for (int l = 0; l < LANG_COUNT; l++)
            free(time_text[k][l]);
    free(more_text[LANG_EN]);
    free(more_text[LANG_ZH]);
    return seen;
}

static void evaluate_declared(struct scan *scan, struct service_state *st,
                              const struct service *svc, const struct state_options *opt)
{
    st->uptime_s = -1;
    st->threads = -1;
    st->open_fds = -1;
    struct runit_command cmd = {0};
    int code = 0, sig = 0;
    if (svc->origin && str_has_prefix(svc->origin, RUNIT_ORIGIN))
        runit_facts(st, opt, svc->origin + strlen(RUNIT_ORIGIN), &cmd, &code, &sig);
    const char *cwd = cmd.cwd ? cmd.cwd : st->runit_dir;
    st->identity = dup_or_null(svc->identity);
    const struct jvm_sighting *seen = last_sighting(st, opt);
    struct crash_places places = {
        .root = opt->root, .cwd = cwd, .args = cmd.argv, .n_args = cmd.argc};
    if (st->runit_stat && str_has_prefix(st->runit_stat, "down") && st->since_s >= 0)
        places.ended_at = (int64_t)time(NULL) - st->since_s;
    if (seen) {
        places.seen_pid = seen->pid;
        places.seen_started = seen->started > 0 ? seen->started : seen->last_seen;
        places.seen_cwd = seen->cwd;
        places.seen_error_file = seen->error_file;
        places.seen_heap_dump_path = seen->heap_dump_path;
    }
    crashfiles_find(&places, st);
    struct start_info info;
    read_starts(st, scan, svc, &info); /* the timeline */
    struct container_facts facts = {0};
    container_read(opt->cgroup_root, opt->proc_root, 0, &facts);
    uint64_t oom_kills = facts.oom_kills_known ? facts.oom_kills : 0;
    if (oom_kills)
        service_state_evidence(st, MSG_EV_OOM_KILLS, MSG_N("n", oom_kills));
    container_facts_clear(&facts);
    decide_dead(st, &cmd, code, sig, oom_kills);
    if (st->since_s >= 0)
        service_state_evidence(st, MSG_EV_RUNIT_SINCE, MSG_N("s", st->since_s));
    runit_command_clear(&cmd);
}

/* A service that is not up is a finding of its own, so that the verdict names it. */
static void add_finding(struct scan *scan, const struct service_state *st)
{
    static const struct {
        enum run_state state;
        enum severity severity;
        const char *id;
        enum msg_id title; /* messages.h: "service {service} is hung: {reason}" */
    } kinds[] = {{RUN_HUNG, SEV_ERROR, "service-hung", MSG_STATE_HUNG},
                 {RUN_DOWN, SEV_ERROR, "service-down", MSG_STATE_DOWN},
                 {RUN_CRASHED, SEV_CRITICAL, "service-crashed", MSG_STATE_CRASHED}};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (kinds[i].state != st->state)
            continue;
        const struct msg_arg *args =
            MSG_ARGS(MSG_S("service", st->service),
                     MSG_B("reason", st->reason ? st->reason : "", st->reason_zh));
        char *title = msg_render(kinds[i].title, LANG_EN, args);
        char *title_zh = msg_render(kinds[i].title, LANG_ZH, args);
        struct bibuf detail = {0};
        for (size_t k = 0; k < st->n_evidence; k++) {
            if (k)
                bibuf_msg(&detail, MSG_CLAUSE_SEP, MSG_END);
            bibuf_puts(&detail, st->evidence[k], k < st->n_evidence_zh ? st->evidence_zh[k] : NULL);
        }
        char *detail_en, *detail_zh;
        bibuf_take(&detail, &detail_en, &detail_zh);
        /* a service kept down as configured is worth a line, not an alarm */
        enum severity severity = st->down_as_told ? SEV_INFO : kinds[i].severity;
        struct env_finding *f = scan_add_env_finding(scan, severity, kinds[i].id, title, detail_en);
        env_finding_set_zh(f, title_zh, detail_zh);
        f->subject = xstrdup(st->service);
        free(detail_en);
        free(detail_zh);
        free(title);
        free(title_zh);
    }
}

/* --probe: the first running service's health endpoint. An answer of a JVM the ports say
 * is not up is worth saying; a failing probe of an UP service makes it suspect. */
static void probe_service(struct scan *scan, const char *url)
{
    struct service_state *st = &scan->states[0];
    for (size_t i = 0; i < scan->n_states; i++)
        if (scan->states[i].pid) {
            st = &scan->states[i];
            break;
        }
    struct probe_result r;
    probe_get(url, PROBE_TIMEOUT_MS, &r);
    st->probe_url = xstrdup(url);
    st->probe_status = r.status;
    st->probe_ms = r.latency_ms;
    st->probe_error = r.error;
    if (r.status)
        service_state_evidence(st, MSG_EV_PROBE_STATUS, MSG_S("url", url),
                               MSG_N("status", r.status), MSG_N("ms", r.latency_ms));
    else
        service_state_evidence(st, MSG_EV_PROBE_ERROR, MSG_S("url", url), MSG_S("error", r.error));
}

void svcstate_evaluate(struct scan *scan, const struct state_options *opt)
{
    const struct discovery *d = scan->discovery;
    for (size_t i = 0; d && i < d->n_services; i++) {
        const struct service *svc = &d->services[i];
        /* (the probe goes to the first running service, after the loop) */
        scan->states =
            xgrow(scan->states, &scan->states_cap, scan->n_states + 1, sizeof(*scan->states));
        struct service_state *st = &scan->states[scan->n_states++];
        memset(st, 0, sizeof(*st));
        st->service = xstrdup(svc->name);
        st->kind = xstrdup(svc->kind);
        st->pid = svc->pid;
        st->since_s = -1;
        if (svc->pid)
            evaluate_running(scan, st, svc, opt);
        else
            evaluate_declared(scan, st, svc, opt);
    }
    if (opt->probe_url && scan->n_states)
        probe_service(scan, opt->probe_url);
}

void svcstate_add_findings(struct scan *scan)
{
    for (size_t i = 0; i < scan->n_states; i++)
        add_finding(scan, &scan->states[i]);
}

void service_state_clear(struct service_state *s)
{
    free(s->service);
    free(s->kind);
    free(s->reason);
    free(s->reason_zh);
    strv_free(s->evidence, s->n_evidence);
    strv_free(s->evidence_zh, s->n_evidence_zh);
    for (size_t i = 0; i < s->n_declared; i++) {
        free(s->declared[i].what);
        free(s->declared[i].what_zh);
        free(s->declared[i].source);
        free(s->declared[i].log_finding);
    }
    free(s->declared);
    free(s->listening);
    strv_free(s->notes, s->n_notes);
    strv_free(s->notes_zh, s->n_notes_zh);
    free(s->dump_status);
    free(s->dump_text);
    free(s->dump_summary);
    free(s->dump_summary_zh);
    free(s->dump_status_zh);
    threaddump_free(s->dump);
    hserr_free(s->hs_err);
    free(s->hs_err_path);
    strv_free(s->heap_dumps, s->n_heap_dumps);
    strv_free(s->heap_dumps_zh, s->n_heap_dumps_zh);
    free(s->last_jvm_dump);
    free(s->last_exit);
    free(s->last_exit_zh);
    free(s->runit_dir);
    free(s->runit_stat);
    free(s->probe_url);
    free(s->probe_error);
    free(s->identity);
    if (s->sighting)
        jvm_sighting_clear(s->sighting);
    free(s->sighting);
    for (size_t i = 0; i < s->n_starts; i++)
        svc_start_clear(&s->starts[i]);
    free(s->starts);
    memset(s, 0, sizeof(*s));
}

void service_states_free(struct service_state *states, size_t n)
{
    for (size_t i = 0; i < n; i++)
        service_state_clear(&states[i]);
    free(states);
}
