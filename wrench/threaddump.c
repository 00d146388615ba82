/*
 * threaddump.c - parse a HotSpot thread dump (see threaddump.h).
 */
#include "threaddump.h"

#include <stdlib.h>
#include <string.h>

#include "report_json.h"
#include "safetext.h"
#include "util.h"

#define TD_LINE_MAX 4096 /* longer lines are cut before they are looked at */

/* Copy a line, without the trailing CR, cut at TD_LINE_MAX. */
static char *line_dup(const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    return xstrndup(s, n < TD_LINE_MAX ? n : TD_LINE_MAX);
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

bool threaddump_is_start(const char *line, size_t len)
{
    static const char *const starts[] = {"Full thread dump ",
                                         "Found one Java-level deadlock:", "Found a total of "};
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        size_t n = strlen(starts[i]);
        if (len >= n && memcmp(line, starts[i], n) == 0)
            return true;
    }
    return false;
}

/* "<0x00000000c3ed1290> (a java.lang.Object)" -> "0x00000000c3ed1290 (a java.lang.Object)" */
static char *lock_text(const char *s)
{
    s = skip_ws(s);
    const char *open = strchr(s, '<');
    const char *close = open ? strchr(open, '>') : NULL;
    if (!open || !close)
        return xstrdup(s);
    return xasprintf("%.*s%s", (int)(close - open - 1), open + 1, close + 1);
}

/* A thread header: '"name" #1 daemon prio=5 ...' (or '"name" ' then os_prio for VM
 * threads). Returns false when the line is none. */
static bool parse_header(const char *line, struct td_thread *t)
{
    if (line[0] != '"')
        return false;
    /* The name ends at the last '"' followed by " #", " daemon", " prio", " os_prio". */
    const char *end = NULL;
    for (const char *q = strchr(line + 1, '"'); q; q = strchr(q + 1, '"')) {
        if (q[1] == '\0' || strncmp(q + 1, " #", 2) == 0 || strncmp(q + 1, " daemon", 7) == 0 ||
            strncmp(q + 1, " prio=", 6) == 0 || strncmp(q + 1, " os_prio=", 9) == 0)
            end = q;
    }
    if (!end || end[1] == '\0' || end[1] == ':')
        return false;
    memset(t, 0, sizeof(*t));
    t->name = xstrndup(line + 1, (size_t)(end - line - 1));
    t->daemon = strstr(end, " daemon ") != NULL;
    /* The OS state follows "nid=X ", up to the " [0x" of the stack address. */
    const char *nid = strstr(end, " nid=");
    if (nid) {
        const char *s = strchr(nid + 1, ' ');
        if (s) {
            s = skip_ws(s);
            const char *bracket = strstr(s, "[0x");
            size_t n = bracket ? (size_t)(bracket - s) : strlen(s);
            while (n && s[n - 1] == ' ')
                n--;
            if (n)
                t->os_state = xstrndup(s, n);
        }
    }
    return true;
}

static void thread_clear(struct td_thread *t)
{
    free(t->name);
    free(t->state);
    free(t->os_state);
    strv_free(t->frames, t->n_frames);
    free(t->blocked_on);
    free(t->waiting_on);
    strv_free(t->locked, t->n_locked);
}

/* A line inside a thread's block: state, frame or lock. */
static void thread_line(struct thread_dump *d, struct td_thread *t, const char *line)
{
    const char *s = skip_ws(line);
    if (strncmp(s, "java.lang.Thread.State: ", 24) == 0) {
        free(t->state);
        t->state = xstrdup(s + 24);
    } else if (strncmp(s, "at ", 3) == 0) {
        if (t->n_frames < THREADDUMP_FRAMES_MAX)
            strv_push(&t->frames, &t->n_frames, &t->frames_cap, xstrdup(s + 3));
        else
            d->truncated = true;
    } else if (strncmp(s, "- waiting to lock ", 18) == 0) {
        free(t->blocked_on);
        t->blocked_on = lock_text(s + 18);
    } else if (strncmp(s, "- waiting on ", 13) == 0) {
        free(t->waiting_on);
        t->waiting_on = lock_text(s + 13);
    } else if (strncmp(s, "- parking to wait for ", 22) == 0) {
        free(t->waiting_on);
        t->waiting_on = lock_text(s + 22);
    } else if (strncmp(s, "- locked ", 9) == 0) {
        if (t->n_locked < THREADDUMP_LOCKS_MAX)
            strv_push(&t->locked, &t->n_locked, &t->locked_cap, lock_text(s + 9));
    }
}

struct parser {
    struct thread_dump *d;
    struct td_thread cur;
    bool in_thread;
    enum { P_SEEK, P_THREADS, P_DEADLOCK, P_DEADLOCK_STACKS } mode;
    struct td_deadlock *dl; /* the deadlock being read */
    char *dl_thread;        /* its current thread name */
    char *dl_wait;          /* what that thread waits for */
};

static void end_thread(struct parser *p)
{
    if (!p->in_thread)
        return;
    p->in_thread = false;
    struct thread_dump *d = p->d;
    if (d->n_threads >= THREADDUMP_THREADS_MAX) {
        d->truncated = true;
        thread_clear(&p->cur);
        return;
    }
    d->threads = xgrow(d->threads, &d->threads_cap, d->n_threads + 1, sizeof(*d->threads));
    d->threads[d->n_threads++] = p->cur;
    memset(&p->cur, 0, sizeof(p->cur));
}

/* Each cycle starts with its own "Found one Java-level deadlock:" (threadService.cpp
 * DeadlockCycle::print_on_with); blank lines separate its threads, not cycles. */
static void deadlock_line(struct parser *p, const char *line)
{
    struct thread_dump *d = p->d;
    const char *s = skip_ws(line);
    if (line[0] == '"') {
        const char *close = strrchr(line + 1, '"');
        free(p->dl_thread);
        p->dl_thread =
            close && close > line ? xstrndup(line + 1, (size_t)(close - line - 1)) : xstrdup(line);
        free(p->dl_wait);
        p->dl_wait = NULL;
        if (!p->dl) {
            d->deadlocks =
                xgrow(d->deadlocks, &d->deadlocks_cap, d->n_deadlocks + 1, sizeof(*d->deadlocks));
            p->dl = &d->deadlocks[d->n_deadlocks++];
            memset(p->dl, 0, sizeof(*p->dl));
        }
    } else if (strncmp(s, "waiting to lock ", 16) == 0 || strncmp(s, "waiting for ", 12) == 0) {
        size_t n = strlen(s);
        while (n && (s[n - 1] == ',' || s[n - 1] == ' '))
            n--;
        free(p->dl_wait);
        p->dl_wait = xstrndup(s, n);
    } else if (strncmp(s, "which is held by ", 17) == 0 && p->dl && p->dl_thread) {
        const struct msg_arg *args =
            MSG_ARGS(MSG_S("thread", p->dl_thread),
                     MSG_S("wait", p->dl_wait ? p->dl_wait : "waiting"), MSG_S("holder", s + 17));
        strv_push(&p->dl->links, &p->dl->n_links, &p->dl->links_cap,
                  msg_render(MSG_TD_DEADLOCK_LINK, LANG_EN, args));
        strv_push(&p->dl->links_zh, &p->dl->n_links_zh, &p->dl->links_zh_cap,
                  msg_render(MSG_TD_DEADLOCK_LINK, LANG_ZH, args));
    }
}

static void parse_line(struct parser *p, const char *line)
{
    struct thread_dump *d = p->d;
    size_t len = strlen(line);
    if (strncmp(line, "Full thread dump ", 17) == 0) {
        end_thread(p);
        if (!d->header)
            d->header = xstrdup(line);
        p->mode = P_THREADS;
        return;
    }
    if (strncmp(line, "Found one Java-level deadlock:", 30) == 0 ||
        strncmp(line, "Found a total of ", 17) == 0) {
        end_thread(p);
        p->mode = P_DEADLOCK;
        p->dl = NULL;
        return;
    }
    if (strncmp(line, "Java stack information for the threads listed above:", 53) == 0) {
        end_thread(p);
        p->mode = P_DEADLOCK_STACKS;
        return;
    }
    if (strncmp(line, "Found ", 6) == 0 && strstr(line, " deadlock")) {
        end_thread(p);
        p->mode = P_SEEK;
        return;
    }
    switch (p->mode) {
    case P_SEEK:
        /* a jstack without its "Full thread dump" line still starts with a header */
        end_thread(p);
        if (line[0] == '"' && parse_header(line, &p->cur)) {
            p->in_thread = true;
            p->mode = P_THREADS;
        }
        break;
    case P_THREADS:
        if (line[0] == '"') {
            end_thread(p);
            p->in_thread = parse_header(line, &p->cur);
        } else if (len == 0 || strncmp(line, "JNI global ref", 14) == 0 ||
                   strncmp(line, "Heap", 4) == 0) {
            end_thread(p);
        } else if (p->in_thread) {
            thread_line(d, &p->cur, line);
        }
        break;
    case P_DEADLOCK:
        deadlock_line(p, line);
        break;
    case P_DEADLOCK_STACKS:
        break;
    }
}

/* --- derived views --- */

static bool jdk_frame(const char *frame)
{
    static const char *const prefixes[] = {"java.", "javax.",   "jdk.",
                                           "sun.",  "com.sun.", "jakarta."};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (str_has_prefix(frame, prefixes[i]))
            return true;
    return false;
}

/* "java.net.Socket$SocketInputStream.read(java.base@17/Socket.java:966)" -> the method */
static char *method_of(const char *frame)
{
    const char *paren = strchr(frame, '(');
    return xstrndup(frame, paren ? (size_t)(paren - frame) : strlen(frame));
}

static bool start_thread(const char *name)
{
    return strcmp(name, "main") == 0 || strcmp(name, "restartedMain") == 0 ||
           strstr(name, "startStop") != NULL || strstr(name, "-start-") != NULL;
}

/* "main waits in X via Y under Z on L (STATE)" in `lang` (messages.h). */
static char *wait_line(const struct td_thread *t, enum lang lang)
{
    if (t->n_frames == 0) {
        char *no_state = msg_text(MSG_TD_NO_STATE, lang, MSG_END);
        char *line = msg_text(MSG_TD_NO_FRAME, lang, MSG_S("thread", t->name),
                              MSG_S("state", t->state ? t->state : no_state));
        free(no_state);
        return line;
    }
    char *top = method_of(t->frames[0]);
    size_t app = t->n_frames;
    for (size_t i = 0; i < t->n_frames && app == t->n_frames; i++)
        if (!jdk_frame(t->frames[i]))
            app = i;
    struct strbuf sb = {0};
    /* RUNNABLE in a native method (a socket read, accept, poll) is a wait as well */
    bool runs =
        t->state && str_has_prefix(t->state, "RUNNABLE") && !strstr(t->frames[0], "Native Method");
    strbuf_msg(&sb,
               t->blocked_on ? MSG_TD_BLOCKED
               : runs        ? MSG_TD_RUNS
                             : MSG_TD_WAITS,
               lang, MSG_S("thread", t->name), MSG_S("frame", top));
    if (app < t->n_frames && app > 1) {
        char *via = method_of(t->frames[app - 1]);
        strbuf_msg(&sb, MSG_TD_VIA, lang, MSG_S("method", via));
        free(via);
    }
    if (app < t->n_frames && app > 0) {
        char *under = method_of(t->frames[app]);
        strbuf_msg(&sb, MSG_TD_UNDER, lang, MSG_S("method", under));
        free(under);
    }
    if (t->blocked_on)
        strbuf_msg(&sb, MSG_TD_ON_MONITOR, lang, MSG_S("lock", t->blocked_on));
    else if (t->waiting_on)
        strbuf_msg(&sb, MSG_TD_ON, lang, MSG_S("lock", t->waiting_on));
    if (t->state)
        strbuf_msg(&sb, MSG_TD_STATE, lang, MSG_S("state", t->state));
    free(top);
    return strbuf_take(&sb);
}

static int cmp_group(const void *a, const void *b)
{
    const struct td_group *x = a, *y = b;
    if (x->n_threads != y->n_threads)
        return x->n_threads > y->n_threads ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static struct td_group *find_group(struct td_group **groups, size_t *n, size_t *cap,
                                   const char *key, size_t first)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*groups)[i].key, key) == 0)
            return &(*groups)[i];
    *groups = xgrow(*groups, cap, *n + 1, sizeof(**groups));
    struct td_group *g = &(*groups)[(*n)++];
    memset(g, 0, sizeof(*g));
    g->key = xstrdup(key);
    g->first = first;
    return g;
}

static void group_blocked(struct thread_dump *d)
{
    for (size_t i = 0; i < d->n_threads; i++) {
        const struct td_thread *t = &d->threads[i];
        if (!t->blocked_on)
            continue;
        struct td_group *g =
            find_group(&d->blocked, &d->n_blocked, &d->blocked_cap, t->blocked_on, i);
        strv_push(&g->threads, &g->n_threads, &g->threads_cap, xstrdup(t->name));
    }
    /* the holder: the thread with "- locked" on the same address */
    for (size_t g = 0; g < d->n_blocked; g++) {
        struct td_group *grp = &d->blocked[g];
        const char *space = strchr(grp->key, ' ');
        size_t addr_len = space ? (size_t)(space - grp->key) : strlen(grp->key);
        for (size_t i = 0; i < d->n_threads && !grp->holder; i++)
            for (size_t k = 0; k < d->threads[i].n_locked && !grp->holder; k++)
                if (strncmp(d->threads[i].locked[k], grp->key, addr_len) == 0 &&
                    (d->threads[i].locked[k][addr_len] == ' ' ||
                     d->threads[i].locked[k][addr_len] == '\0'))
                    grp->holder = xstrdup(d->threads[i].name);
    }
    if (d->n_blocked)
        qsort(d->blocked, d->n_blocked, sizeof(*d->blocked), cmp_group);
}

static void fold_stacks(struct thread_dump *d)
{
    struct td_group *all = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < d->n_threads; i++) {
        const struct td_thread *t = &d->threads[i];
        if (t->n_frames == 0)
            continue;
        struct strbuf key = {0};
        strbuf_printf(&key, "%s\n", t->state ? t->state : "");
        for (size_t k = 0; k < t->n_frames; k++)
            strbuf_printf(&key, "%s\n", t->frames[k]);
        struct td_group *g = find_group(&all, &n, &cap, key.data, i);
        strbuf_free(&key);
        if (g->n_threads == 0) {
            g->state = t->state ? xstrdup(t->state) : NULL;
            g->n_frames = t->n_frames;
        }
        strv_push(&g->threads, &g->n_threads, &g->threads_cap, xstrdup(t->name));
    }
    for (size_t i = 0; i < n; i++) {
        struct td_group *g = &all[i];
        if (g->n_threads < 2) {
            free(g->key);
            free(g->state);
            strv_free(g->threads, g->n_threads);
            continue;
        }
        /* the key becomes the top frame, for people */
        const char *first_frame = strchr(g->key, '\n');
        char *top =
            first_frame ? xstrndup(first_frame + 1, strcspn(first_frame + 1, "\n")) : xstrdup("");
        free(g->key);
        g->key = top;
        d->stacks = xgrow(d->stacks, &d->stacks_cap, d->n_stacks + 1, sizeof(*d->stacks));
        d->stacks[d->n_stacks++] = *g;
    }
    free(all);
    if (d->n_stacks)
        qsort(d->stacks, d->n_stacks, sizeof(*d->stacks), cmp_group);
}

static void derive(struct thread_dump *d)
{
    for (size_t i = 0; i < d->n_threads; i++)
        if (start_thread(d->threads[i].name)) {
            strv_push(&d->waits, &d->n_waits, &d->waits_cap, wait_line(&d->threads[i], LANG_EN));
            strv_push(&d->waits_zh, &d->n_waits_zh, &d->waits_zh_cap,
                      wait_line(&d->threads[i], LANG_ZH));
        }
    group_blocked(d);
    fold_stacks(d);
}

int threaddump_parse(const char *text, size_t len, struct thread_dump **out)
{
    struct thread_dump *d = xcalloc(1, sizeof(*d));
    struct parser p = {.d = d, .mode = P_SEEK};
    const char *s = text, *end = text + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        char *line = line_dup(s, (size_t)(le - s));
        parse_line(&p, line);
        free(line);
        s = nl ? nl + 1 : end;
    }
    end_thread(&p);
    thread_clear(&p.cur);
    free(p.dl_thread);
    free(p.dl_wait);
    /* a deadlock header with no link is no deadlock */
    while (d->n_deadlocks && d->deadlocks[d->n_deadlocks - 1].n_links == 0)
        d->n_deadlocks--;
    if (d->n_threads == 0 && d->n_deadlocks == 0) {
        threaddump_free(d);
        return -1;
    }
    derive(d);
    *out = d;
    return 0;
}

static void groups_free(struct td_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].key);
        free(g[i].holder);
        free(g[i].state);
        strv_free(g[i].threads, g[i].n_threads);
    }
    free(g);
}

void threaddump_free(struct thread_dump *d)
{
    if (!d)
        return;
    free(d->header);
    for (size_t i = 0; i < d->n_threads; i++)
        thread_clear(&d->threads[i]);
    free(d->threads);
    for (size_t i = 0; i < d->n_deadlocks; i++) {
        strv_free(d->deadlocks[i].links, d->deadlocks[i].n_links);
        strv_free(d->deadlocks[i].links_zh, d->deadlocks[i].n_links_zh);
    }
    free(d->deadlocks);
    strv_free(d->waits, d->n_waits);
    strv_free(d->waits_zh, d->n_waits_zh);
    groups_free(d->blocked, d->n_blocked);
    groups_free(d->stacks, d->n_stacks);
    free(d);
}

char *threaddump_summary(const struct thread_dump *d)
{
    return threaddump_summary_lang(d, LANG_EN);
}

char *threaddump_summary_lang(const struct thread_dump *d, enum lang lang)
{
    bool zh = lang == LANG_ZH;
    const struct td_deadlock *dl = d->n_deadlocks ? &d->deadlocks[0] : NULL;
    if (dl && dl->n_links) {
        char **links = zh && dl->n_links_zh == dl->n_links ? dl->links_zh : dl->links;
        struct bibuf b = {0};
        for (size_t i = 0; i < dl->n_links; i++) {
            if (i)
                bibuf_msg(&b, MSG_CLAUSE_SEP, MSG_END);
            bibuf_puts(&b, links[i], NULL);
        }
        char *en, *zh_text;
        bibuf_take(&b, &en, &zh_text);
        char *s = msg_text(MSG_TD_DEADLOCK, lang, MSG_B("links", en, zh_text));
        free(en);
        free(zh_text);
        return s;
    }
    if (d->n_waits)
        return xstrdup(zh && d->n_waits_zh == d->n_waits ? d->waits_zh[0] : d->waits[0]);
    return msg_text(MSG_TD_NO_MAIN, lang, MSG_N("n", d->n_threads));
}

/* "\"a\", \"b\" and 3 more" in `lang`; a new string. */
static char *names_text(char *const *names, size_t n, enum lang lang)
{
    struct strbuf sb = {0};
    strbuf_puts(&sb, "");
    size_t shown = n < 5 ? n : 5;
    for (size_t i = 0; i < shown; i++)
        strbuf_printf(&sb, "%s\"%s\"", i ? msg_template(MSG_LIST_SEP, lang) : "", names[i]);
    if (n > shown)
        strbuf_msg(&sb, MSG_MORE_VERSIONS, lang, MSG_N("n", n - shown));
    return strbuf_take(&sb);
}

void threaddump_write_text(const struct thread_dump *d, FILE *out, const char *indent,
                           enum lang lang)
{
    bool zh = lang == LANG_ZH;
    for (size_t i = 0; i < d->n_deadlocks; i++) {
        const struct td_deadlock *dl = &d->deadlocks[i];
        safe_msg(out, indent, MSG_TD_TEXT_DEADLOCK, lang, MSG_N("n", i + 1));
        char **links = zh && dl->n_links_zh == dl->n_links ? dl->links_zh : dl->links;
        for (size_t k = 0; k < dl->n_links; k++)
            safe_fprintf(out, "%s  %s\n", indent, links[k]);
    }
    char **waits = zh && d->n_waits_zh == d->n_waits ? d->waits_zh : d->waits;
    for (size_t i = 0; i < d->n_waits; i++)
        safe_fprintf(out, "%s%s\n", indent, waits[i]);
    for (size_t i = 0; i < d->n_blocked; i++) {
        const struct td_group *g = &d->blocked[i];
        char *holder = g->holder ? xasprintf("\"%s\"", g->holder)
                                 : xstrdup(msg_template(MSG_TD_TEXT_HOLDER_UNKNOWN, lang));
        char *names = names_text(g->threads, g->n_threads, lang);
        safe_msg(out, indent, MSG_TD_TEXT_BLOCKED, lang, MSG_N("n", g->n_threads),
                 MSG_S("lock", g->key), MSG_S("holder", holder), MSG_S("threads", names));
        free(names);
        free(holder);
    }
    for (size_t i = 0; i < d->n_stacks && i < 5; i++) {
        const struct td_group *g = &d->stacks[i];
        char *names = names_text(g->threads, g->n_threads, lang);
        safe_msg(out, indent, MSG_TD_TEXT_STACK, lang, MSG_N("n", g->n_threads),
                 MSG_S("state", g->state ? g->state : "?"), MSG_S("frame", g->key),
                 MSG_S("threads", names));
        free(names);
    }
    char *more = d->truncated ? msg_text(MSG_TD_TEXT_TRUNCATED, lang, MSG_END) : xstrdup("");
    safe_msg(out, indent, MSG_TD_TEXT_THREADS, lang, MSG_N("n", d->n_threads), MSG_S("more", more));
    free(more);
}

static json_t *strings_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, report_json_text(v[i]));
    return a;
}

static json_t *groups_json(const struct td_group *g, size_t n, bool stacks)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:o, s:I, s:o}", stacks ? "top_frame" : "lock",
                              report_json_text(g[i].key), "count", (json_int_t)g[i].n_threads,
                              "threads", strings_json(g[i].threads, g[i].n_threads));
        if (stacks) {
            json_object_set_new(o, "state", report_json_text(g[i].state));
            json_object_set_new(o, "frames", json_integer((json_int_t)g[i].n_frames));
        } else {
            json_object_set_new(o, "holder", report_json_text(g[i].holder));
        }
        json_array_append_new(a, o);
    }
    return a;
}

json_t *threaddump_json(const struct thread_dump *d)
{
    json_t *deadlocks = json_array();
    for (size_t i = 0; i < d->n_deadlocks; i++)
        json_array_append_new(deadlocks,
                              strings_json(d->deadlocks[i].links, d->deadlocks[i].n_links));
    char *summary = threaddump_summary(d);
    json_t *o =
        json_pack("{s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:b}", "header", report_json_text(d->header),
                  "summary", report_json_text(summary), "threads", (json_int_t)d->n_threads,
                  "waits", strings_json(d->waits, d->n_waits), "deadlocks", deadlocks, "blocked",
                  groups_json(d->blocked, d->n_blocked, false), "stacks",
                  groups_json(d->stacks, d->n_stacks, true), "truncated", d->truncated);
    free(summary);
    summary = threaddump_summary_lang(d, LANG_ZH);
    json_object_set_new(o, "summary_zh", report_json_text(summary));
    free(summary);
    return o;
}
