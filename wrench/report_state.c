/*
 * report_state.c - render the services' state (see report_state.h).
 */
#include "report_state.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hserr.h"
#include "messages.h"
#include "report_json.h"
#include "safetext.h"
#include "svcstate.h"
#include "threaddump.h"
#include "util.h"

/* The service lines are written in one language (messages.h). */
struct state_out {
    FILE *out;
    enum lang lang;
};

/* Write message `id` after `indent`, then a newline. */
#define LINE(o, indent, id, ...) safe_msg((o)->out, (indent), (id), (o)->lang, __VA_ARGS__)

/* Append message `id` to `sb`. */
#define PUT(o, sb, id, ...) strbuf_msg((sb), (id), (o)->lang, __VA_ARGS__)

static const char *pick(const struct state_out *o, const char *en, const char *zh)
{
    return msg_pick(o->lang, en, zh);
}

static void format_mib(uint64_t bytes, char *buf, size_t size)
{
    snprintf(buf, size, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
}

static void process_line(const struct state_out *o, const struct service_state *st)
{
    if (!st->pid)
        return;
    struct strbuf sb = {0};
    PUT(o, &sb, MSG_SVC_PROCESS, MSG_N("pid", st->pid));
    if (st->uptime_s >= 0)
        PUT(o, &sb, MSG_SVC_UPTIME, MSG_N("s", st->uptime_s));
    if (st->threads >= 0)
        PUT(o, &sb, MSG_SVC_THREADS, MSG_N("n", st->threads));
    if (st->rss) {
        char rss[32], lim[32];
        format_mib(st->rss, rss, sizeof(rss));
        PUT(o, &sb, MSG_SVC_RSS, MSG_S("rss", rss));
        if (st->memory_limit) {
            format_mib(st->memory_limit, lim, sizeof(lim));
            PUT(o, &sb, MSG_SVC_RSS_LIMIT, MSG_S("limit", lim));
        }
    }
    if (st->open_fds >= 0) {
        PUT(o, &sb, MSG_SVC_OPEN_FILES, MSG_N("n", st->open_fds));
        if (st->fd_limit)
            PUT(o, &sb, MSG_SVC_OPEN_FILES_LIMIT, MSG_N("limit", st->fd_limit));
    }
    safe_fprintf(o->out, "  %s\n", sb.data);
    strbuf_free(&sb);
}

static void ports_lines(const struct state_out *o, const struct service_state *st)
{
    for (size_t i = 0; i < st->n_declared; i++) {
        const struct state_port *p = &st->declared[i];
        struct strbuf sb = {0};
        PUT(o, &sb, MSG_SVC_PORT, MSG_N("port", p->port), MSG_B("what", p->what, p->what_zh),
            MSG_S("source", p->source),
            MSG_S("listening",
                  msg_template(p->listening ? MSG_SVC_PORT_LISTENING : MSG_SVC_PORT_NOT_LISTENING,
                               o->lang)));
        if (p->log_finding)
            PUT(o, &sb, MSG_SVC_PORT_LOG, MSG_S("finding", p->log_finding));
        safe_fprintf(o->out, "  %s\n", sb.data);
        strbuf_free(&sb);
    }
    if (st->n_listening) {
        struct strbuf sb = {0};
        for (size_t i = 0; i < st->n_listening; i++) {
            const struct state_listen *l = &st->listening[i];
            bool v6 = strchr(l->addr, ':') != NULL;
            strbuf_printf(&sb, "%s %s%s%s:%d", i ? "," : "", v6 ? "[" : "", l->addr, v6 ? "]" : "",
                          l->port);
            if (l->queue_stuck)
                PUT(o, &sb, MSG_SVC_QUEUE_STUCK, MSG_N("n", l->accept_queue));
        }
        LINE(o, "  ", MSG_SVC_LISTENING, MSG_S("list", sb.data));
        strbuf_free(&sb);
    } else if (st->pid) {
        LINE(o, "  ", MSG_SVC_NO_TCP_PORT, MSG_END);
    }
}

static void dump_lines(const struct state_out *o, const struct service_state *st)
{
    if (!st->dump_status)
        return;
    LINE(o, "  ", MSG_SVC_DUMP, MSG_S("status", pick(o, st->dump_status, st->dump_status_zh)));
    if (st->dump)
        threaddump_write_text(st->dump, o->out, "    ", o->lang);
}

static void crash_lines(const struct state_out *o, const struct service_state *st)
{
    if (st->runit_dir) {
        struct strbuf sb = {0};
        PUT(o, &sb, MSG_SVC_RUNIT, MSG_S("dir", st->runit_dir),
            MSG_S("stat",
                  st->runit_stat ? st->runit_stat : msg_template(MSG_SVC_NEVER_RUN, o->lang)));
        if (st->since_s >= 0)
            PUT(o, &sb, MSG_SVC_RUNIT_FOR, MSG_N("s", st->since_s));
        safe_fprintf(o->out, "  %s\n", sb.data);
        strbuf_free(&sb);
    }
    if (st->last_exit)
        LINE(o, "  ", MSG_SVC_LAST_EXIT, MSG_S("exit", pick(o, st->last_exit, st->last_exit_zh)));
    if (st->hs_err_path) {
        LINE(o, "  ", MSG_SVC_CRASH_LOG, MSG_S("path", st->hs_err_path));
        if (st->hs_err)
            hserr_write_text(st->hs_err, o->out, "    ", o->lang);
    }
    bool zh = o->lang == LANG_ZH && st->n_heap_dumps_zh == st->n_heap_dumps;
    for (size_t i = 0; i < st->n_heap_dumps; i++)
        LINE(o, "  ", MSG_SVC_HEAP_DUMP,
             MSG_S("path", zh ? st->heap_dumps_zh[i] : st->heap_dumps[i]));
    if (st->probe_url) {
        if (st->probe_status)
            LINE(o, "  ", MSG_SVC_PROBE_STATUS, MSG_S("url", st->probe_url),
                 MSG_N("status", st->probe_status), MSG_N("ms", st->probe_ms));
        else
            LINE(o, "  ", MSG_SVC_PROBE_ERROR, MSG_S("url", st->probe_url),
                 MSG_S("error", st->probe_error ? st->probe_error
                                                : msg_template(MSG_SVC_NO_ANSWER, o->lang)));
    }
}

/* Seconds since the epoch of an ISO time "2026-12-07T10:00:00[.123]Z" (UTC); -1 when not. */
static int64_t iso_seconds(const char *iso)
{
    struct tm tm = {0};
    const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    return end ? (int64_t)timegm(&tm) : -1;
}

static void iso_of_seconds(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t < 0 || !gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        buf[0] = '\0';
}

/* "20 min", "3 h", "40 s": a span for people; a new string. */
static char *span(const struct state_out *o, int64_t s)
{
    if (s < 120)
        return msg_text(MSG_SPAN_S, o->lang, MSG_N("n", s));
    if (s < 2 * 3600)
        return msg_text(MSG_SPAN_MIN, o->lang, MSG_N("n", s / 60));
    if (s < 2 * 86400)
        return msg_text(MSG_SPAN_H, o->lang, MSG_N("n", s / 3600));
    return msg_text(MSG_SPAN_DAYS, o->lang, MSG_N("n", s / 86400));
}

/* "  starts: 4 in its logs (the last 20 min before the scan, not finished)". */
static void starts_line(const struct state_out *o, const struct scan *scan,
                        const struct service_state *st)
{
    if (!st->n_starts)
        return;
    const struct svc_start *last = &st->starts[st->n_starts - 1];
    int64_t now = iso_seconds(scan->started);
    char *when;
    if (last->at_ms >= 0 && now >= 0 && now >= last->at_ms / 1000) {
        char *ago = span(o, now - last->at_ms / 1000);
        when = msg_text(MSG_SVC_STARTS_AGO, o->lang, MSG_S("span", ago));
        free(ago);
    } else {
        char *where = xasprintf("%s:%" PRIu64, last->file, last->line);
        when = msg_text(MSG_SVC_STARTS_AT, o->lang, MSG_S("where", where));
        free(where);
    }
    char took[32];
    snprintf(took, sizeof(took), "%.1f", (double)last->took_ms / 1000.0);
    char *end =
        last->finished && last->took_ms
            ? msg_text(MSG_SVC_STARTS_TOOK, o->lang, MSG_S("s", took))
            : msg_text(last->finished ? MSG_SVC_STARTS_FINISHED : MSG_SVC_STARTS_NOT_FINISHED,
                       o->lang, MSG_END);
    LINE(o, "  ", MSG_SVC_STARTS, MSG_N("n", st->starts_total), MSG_S("when", when),
         MSG_S("end", end));
    free(when);
    free(end);
}

static void sighting_line(const struct state_out *o, const struct service_state *st)
{
    const struct jvm_sighting *s = st->sighting;
    if (st->pid || !s)
        return;
    char at[32];
    iso_of_seconds(s->last_seen, at, sizeof(at));
    char *flag = s->error_file ? xasprintf(", -XX:ErrorFile=%s", s->error_file) : xstrdup("");
    LINE(o, "  ", MSG_SVC_LAST_SEEN, MSG_N("pid", s->pid), MSG_S("at", at),
         MSG_B("flag", flag, o->lang == LANG_ZH && *flag ? flag : NULL));
    free(flag);
}

void report_state_text(const struct scan *scan, FILE *out, enum lang lang)
{
    const struct state_out o = {out, lang};
    for (size_t i = 0; i < scan->n_states; i++) {
        const struct service_state *st = &scan->states[i];
        if (!i)
            fputc('\n', out);
        const char *state = msg_template(MSG_STATE_NAME_UNKNOWN + st->state, lang);
        LINE(&o, "", MSG_SVC_LINE, MSG_S("name", st->service), MSG_S("kind", st->kind),
             MSG_S("state", state ? state : run_state_name(st->state)),
             MSG_S("reason", pick(&o, st->reason ? st->reason : "", st->reason_zh)));
        process_line(&o, st);
        ports_lines(&o, st);
        crash_lines(&o, st);
        sighting_line(&o, st);
        starts_line(&o, scan, st);
        dump_lines(&o, st);
        bool zh = lang == LANG_ZH && st->n_evidence_zh == st->n_evidence;
        for (size_t k = 0; k < st->n_evidence; k++)
            LINE(&o, "  ", MSG_SVC_EVIDENCE,
                 MSG_S("text", zh ? st->evidence_zh[k] : st->evidence[k]));
        bool zh_notes = lang == LANG_ZH && st->n_notes_zh == st->n_notes;
        for (size_t k = 0; k < st->n_notes; k++)
            LINE(&o, "  ", MSG_SVC_NOTE, MSG_S("text", zh_notes ? st->notes_zh[k] : st->notes[k]));
    }
}

/* --- JSON --- */

static json_t *strings(char *const *items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, report_json_text(items[i]));
    return a;
}

static json_t *process_json(const struct service_state *st)
{
    if (!st->pid)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "pid", json_integer(st->pid));
    json_object_set_new(o, "uptime_s",
                        st->uptime_s >= 0 ? json_integer(st->uptime_s) : json_null());
    json_object_set_new(o, "threads", st->threads >= 0 ? json_integer(st->threads) : json_null());
    json_object_set_new(o, "rss_bytes", st->rss ? json_integer((json_int_t)st->rss) : json_null());
    json_object_set_new(o, "memory_limit_bytes",
                        st->memory_limit ? json_integer((json_int_t)st->memory_limit)
                                         : json_null());
    json_object_set_new(o, "open_files",
                        st->open_fds >= 0 ? json_integer(st->open_fds) : json_null());
    json_object_set_new(o, "open_files_limit",
                        st->fd_limit ? json_integer((json_int_t)st->fd_limit) : json_null());
    return o;
}

static json_t *ports_json(const struct service_state *st)
{
    json_t *a = json_array();
    for (size_t i = 0; i < st->n_declared; i++) {
        const struct state_port *p = &st->declared[i];
        json_array_append_new(a, json_pack("{s:i, s:o, s:o, s:o, s:b, s:o}", "port", p->port,
                                           "what", report_json_text(p->what), "what_zh",
                                           report_json_text(p->what_zh), "source",
                                           report_json_text(p->source), "listening", p->listening,
                                           "log_finding", report_json_text(p->log_finding)));
    }
    return a;
}

static json_t *listening_json(const struct service_state *st)
{
    json_t *a = json_array();
    for (size_t i = 0; i < st->n_listening; i++) {
        const struct state_listen *l = &st->listening[i];
        json_array_append_new(a, json_pack("{s:s, s:i, s:i, s:b}", "address", l->addr, "port",
                                           l->port, "accept_queue", (int)l->accept_queue,
                                           "queue_stuck", l->queue_stuck));
    }
    return a;
}

static json_t *dump_json(const struct service_state *st)
{
    if (!st->dump_status)
        return json_null();
    json_t *o = json_pack("{s:o}", "status", report_json_text(st->dump_status));
    if (st->dump_status_zh)
        json_object_set_new(o, "status_zh", report_json_text(st->dump_status_zh));
    if (st->dump) {
        json_t *parsed = threaddump_json(st->dump);
        json_object_update(o, parsed);
        json_decref(parsed);
    }
    json_object_set_new(o, "text", report_json_text(st->dump_text));
    return o;
}

static json_t *crash_json(const struct service_state *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "hs_err", report_json_text(st->hs_err_path));
    json_object_set_new(o, "hs_err_facts", st->hs_err ? hserr_json(st->hs_err) : json_null());
    json_object_set_new(o, "heap_dumps", strings(st->heap_dumps, st->n_heap_dumps));
    if (st->n_heap_dumps_zh == st->n_heap_dumps && st->n_heap_dumps)
        json_object_set_new(o, "heap_dumps_zh", strings(st->heap_dumps_zh, st->n_heap_dumps_zh));
    json_object_set_new(o, "last_exit", report_json_text(st->last_exit));
    if (st->last_exit_zh)
        json_object_set_new(o, "last_exit_zh", report_json_text(st->last_exit_zh));
    return o;
}

static json_t *runit_json(const struct service_state *st)
{
    if (!st->runit_dir)
        return json_null();
    return json_pack("{s:o, s:o, s:o}", "dir", report_json_text(st->runit_dir), "stat",
                     report_json_text(st->runit_stat), "since_s",
                     st->since_s >= 0 ? json_integer(st->since_s) : json_null());
}

static json_t *probe_json(const struct service_state *st)
{
    if (!st->probe_url)
        return json_null();
    return json_pack("{s:o, s:o, s:I, s:o}", "url", report_json_text(st->probe_url), "status",
                     st->probe_status ? json_integer(st->probe_status) : json_null(), "latency_ms",
                     (json_int_t)st->probe_ms, "error", report_json_text(st->probe_error));
}

static json_t *ms_or_null(int64_t ms)
{
    return ms >= 0 ? json_integer((json_int_t)ms) : json_null();
}

static json_t *starts_json(const struct service_state *st)
{
    json_t *a = json_array();
    for (size_t i = 0; i < st->n_starts; i++) {
        const struct svc_start *s = &st->starts[i];
        json_array_append_new(
            a,
            json_pack("{s:o, s:o, s:I, s:b, s:o, s:o}", "at_ms", ms_or_null(s->at_ms), "file",
                      report_json_text(s->file), "line", (json_int_t)s->line, "finished",
                      s->finished, "finished_ms", ms_or_null(s->finished ? s->finished_ms : -1),
                      "took_ms", s->took_ms ? json_integer((json_int_t)s->took_ms) : json_null()));
    }
    return a;
}

static json_t *iso_or_null(int64_t t)
{
    char buf[32];
    iso_of_seconds(t, buf, sizeof(buf));
    return buf[0] ? json_string(buf) : json_null();
}

static json_t *sighting_json(const struct service_state *st)
{
    const struct jvm_sighting *s = st->sighting;
    if (!s)
        return json_null();
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "pid", s->pid, "started",
                     iso_or_null(s->started), "last_seen", iso_or_null(s->last_seen), "cwd",
                     report_json_text(s->cwd), "error_file", report_json_text(s->error_file),
                     "heap_dump_path", report_json_text(s->heap_dump_path), "command",
                     report_json_text(s->command));
}

static json_t *state_json(const struct service_state *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", report_json_text(st->service));
    json_object_set_new(o, "kind", report_json_text(st->kind));
    json_object_set_new(o, "pid", st->pid ? json_integer(st->pid) : json_null());
    json_object_set_new(o, "state", json_string(run_state_name(st->state)));
    json_object_set_new(o, "reason", report_json_text(st->reason));
    if (st->reason_zh)
        json_object_set_new(o, "reason_zh", report_json_text(st->reason_zh));
    json_object_set_new(o, "evidence", strings(st->evidence, st->n_evidence));
    if (st->n_evidence_zh == st->n_evidence) /* scans stored before it have none */
        json_object_set_new(o, "evidence_zh", strings(st->evidence_zh, st->n_evidence_zh));
    json_object_set_new(o, "process", process_json(st));
    json_object_set_new(o, "declared_ports", ports_json(st));
    json_object_set_new(o, "listening", listening_json(st));
    json_object_set_new(o, "thread_dump", dump_json(st));
    json_object_set_new(o, "crash", crash_json(st));
    json_object_set_new(o, "runit", runit_json(st));
    json_object_set_new(o, "probe", probe_json(st));
    json_object_set_new(o, "notes", strings(st->notes, st->n_notes));
    if (st->n_notes_zh == st->n_notes && st->n_notes)
        json_object_set_new(o, "notes_zh", strings(st->notes_zh, st->n_notes_zh));
    json_object_set_new(o, "identity", report_json_text(st->identity));
    json_object_set_new(o, "sighting", sighting_json(st));
    json_object_set_new(o, "starts", starts_json(st));
    json_object_set_new(o, "starts_total", json_integer((json_int_t)st->starts_total));
    return o;
}

json_t *report_state_json(const struct scan *scan)
{
    json_t *a = json_array();
    for (size_t i = 0; i < scan->n_states; i++)
        json_array_append_new(a, state_json(&scan->states[i]));
    return a;
}

/* --- back from JSON (the store keeps each state as its JSON) --- */

static char *get_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? xstrdup(s) : NULL;
}

static int64_t get_int(const json_t *o, const char *key, int64_t none)
{
    const json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : none;
}

static void get_strings(const json_t *o, const char *key, char ***v, size_t *n, size_t *cap)
{
    const json_t *a = json_object_get(o, key);
    size_t i;
    const json_t *item;
    json_array_foreach(a, i, item)
    {
        if (json_is_string(item))
            strv_push(v, n, cap, xstrdup(json_string_value(item)));
    }
}

static void ports_from_json(const json_t *o, struct service_state *st)
{
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(o, "declared_ports"), i, p)
    {
        st->declared =
            xgrow(st->declared, &st->declared_cap, st->n_declared + 1, sizeof(*st->declared));
        st->declared[st->n_declared++] =
            (struct state_port){(int)get_int(p, "port", 0),
                                get_str(p, "what"),
                                get_str(p, "what_zh"),
                                get_str(p, "source"),
                                json_is_true(json_object_get(p, "listening")),
                                get_str(p, "log_finding")};
        if (!st->declared[st->n_declared - 1].what)
            st->declared[st->n_declared - 1].what = xstrdup("");
        if (!st->declared[st->n_declared - 1].what_zh) /* a scan stored before what_zh */
            st->declared[st->n_declared - 1].what_zh =
                xstrdup(st->declared[st->n_declared - 1].what);
        if (!st->declared[st->n_declared - 1].source)
            st->declared[st->n_declared - 1].source = xstrdup("");
    }
    json_array_foreach(json_object_get(o, "listening"), i, p)
    {
        struct state_listen l = {.port = (int)get_int(p, "port", 0),
                                 .accept_queue = (uint32_t)get_int(p, "accept_queue", 0),
                                 .queue_stuck = json_is_true(json_object_get(p, "queue_stuck"))};
        const char *addr = json_string_value(json_object_get(p, "address"));
        snprintf(l.addr, sizeof(l.addr), "%s", addr ? addr : "");
        st->listening =
            xgrow(st->listening, &st->listening_cap, st->n_listening + 1, sizeof(*st->listening));
        st->listening[st->n_listening++] = l;
    }
}

static void crash_from_json(const json_t *crash, struct service_state *st)
{
    st->hs_err_path = get_str(crash, "hs_err");
    const json_t *f = json_object_get(crash, "hs_err_facts");
    if (json_is_object(f)) {
        struct hs_err *e = xcalloc(1, sizeof(*e));
        e->error = get_str(f, "error");
        e->signal = get_str(f, "signal");
        e->pid = (int)get_int(f, "pid", 0);
        e->frame = get_str(f, "frame");
        e->jre_version = get_str(f, "jre_version");
        e->java_vm = get_str(f, "java_vm");
        e->native_oom = json_is_true(json_object_get(f, "native_oom"));
        e->oom_detail = get_str(f, "oom_detail");
        e->report_path = get_str(f, "report_path");
        st->hs_err = e;
    }
    get_strings(crash, "heap_dumps", &st->heap_dumps, &st->n_heap_dumps, &st->heap_dumps_cap);
    get_strings(crash, "heap_dumps_zh", &st->heap_dumps_zh, &st->n_heap_dumps_zh,
                &st->heap_dumps_zh_cap);
    st->last_exit = get_str(crash, "last_exit");
    st->last_exit_zh = get_str(crash, "last_exit_zh");
}

static void starts_from_json(const json_t *o, struct service_state *st)
{
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(o, "starts"), i, p)
    {
        if (!json_is_object(p) || st->n_starts >= SVCSTATE_STARTS_MAX)
            continue;
        char *file = get_str(p, "file");
        st->starts = xgrow(st->starts, &st->starts_cap, st->n_starts + 1, sizeof(*st->starts));
        st->starts[st->n_starts++] = (struct svc_start){
            get_int(p, "at_ms", -1),         file ? file : xstrdup(""),
            (uint64_t)get_int(p, "line", 0), json_is_true(json_object_get(p, "finished")),
            get_int(p, "finished_ms", -1),   (uint64_t)get_int(p, "took_ms", 0)};
    }
    int64_t total = get_int(o, "starts_total", 0);
    st->starts_total = total > (int64_t)st->n_starts ? (size_t)total : st->n_starts;
}

static void sighting_from_json(const json_t *o, struct service_state *st)
{
    const json_t *s = json_object_get(o, "sighting");
    if (!json_is_object(s))
        return;
    struct jvm_sighting *g = xcalloc(1, sizeof(*g));
    g->identity = st->identity ? xstrdup(st->identity) : NULL;
    g->pid = (int)get_int(s, "pid", 0);
    g->started = iso_seconds(json_string_value(json_object_get(s, "started")));
    g->last_seen = iso_seconds(json_string_value(json_object_get(s, "last_seen")));
    g->cwd = get_str(s, "cwd");
    g->error_file = get_str(s, "error_file");
    g->heap_dump_path = get_str(s, "heap_dump_path");
    g->command = get_str(s, "command");
    st->sighting = g;
}

int report_state_from_json(const json_t *o, struct service_state *st)
{
    memset(st, 0, sizeof(*st));
    const char *state = json_string_value(json_object_get(o, "state"));
    st->service = get_str(o, "name");
    st->kind = get_str(o, "kind");
    if (!state || !st->service || !st->kind) {
        service_state_clear(st);
        return -1;
    }
    for (int s = RUN_UNKNOWN; s <= RUN_CRASHED; s++)
        if (strcmp(state, run_state_name((enum run_state)s)) == 0)
            st->state = (enum run_state)s;
    st->pid = (int)get_int(o, "pid", 0);
    st->reason = get_str(o, "reason");
    st->reason_zh = get_str(o, "reason_zh");
    get_strings(o, "evidence", &st->evidence, &st->n_evidence, &st->evidence_cap);
    get_strings(o, "evidence_zh", &st->evidence_zh, &st->n_evidence_zh, &st->evidence_zh_cap);
    const json_t *proc = json_object_get(o, "process");
    st->uptime_s = get_int(proc, "uptime_s", -1);
    st->threads = (long)get_int(proc, "threads", -1);
    st->rss = (uint64_t)get_int(proc, "rss_bytes", 0);
    st->memory_limit = (uint64_t)get_int(proc, "memory_limit_bytes", 0);
    st->open_fds = (long)get_int(proc, "open_files", -1);
    st->fd_limit = (uint64_t)get_int(proc, "open_files_limit", 0);
    ports_from_json(o, st);
    const json_t *dump = json_object_get(o, "thread_dump");
    if (json_is_object(dump)) {
        st->dump_status = get_str(dump, "status");
        st->dump_status_zh = get_str(dump, "status_zh");
        st->dump_text = get_str(dump, "text");
        /* the parsed view is derived from the text: parsed again, it is the same */
        if (json_object_get(dump, "threads") && st->dump_text &&
            threaddump_parse(st->dump_text, strlen(st->dump_text), &st->dump) == 0) {
            st->dump_summary = threaddump_summary(st->dump);
            st->dump_summary_zh = threaddump_summary_lang(st->dump, LANG_ZH);
        }
    }
    crash_from_json(json_object_get(o, "crash"), st);
    const json_t *runit = json_object_get(o, "runit");
    st->since_s = get_int(runit, "since_s", -1);
    if (json_is_object(runit)) {
        st->runit_dir = get_str(runit, "dir");
        st->runit_stat = get_str(runit, "stat");
    }
    const json_t *probe = json_object_get(o, "probe");
    if (json_is_object(probe)) {
        st->probe_url = get_str(probe, "url");
        st->probe_status = (int)get_int(probe, "status", 0);
        st->probe_ms = (long)get_int(probe, "latency_ms", 0);
        st->probe_error = get_str(probe, "error");
    }
    get_strings(o, "notes", &st->notes, &st->n_notes, &st->notes_cap);
    get_strings(o, "notes_zh", &st->notes_zh, &st->n_notes_zh, &st->notes_zh_cap);
    st->identity = get_str(o, "identity");
    sighting_from_json(o, st);
    starts_from_json(o, st);
    return 0;
}

json_t *report_state_one_json(const struct service_state *st)
{
    return state_json(st);
}
