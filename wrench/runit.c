/*
 * runit.c - runit service directories (see runit.h).
 */
#include "runit.h"

#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jvm.h"
#include "procnet.h"
#include "util.h"

void runit_command_clear(struct runit_command *c)
{
    strv_free(c->argv, c->argc);
    free(c->cwd);
    memset(c, 0, sizeof(*c));
}

/* Shell variables as "NAME=value" strings: the script's own assignments. The last one
 * wins. */
struct shell_vars {
    char **items;
    size_t n, cap;
};

static bool name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static const char *var_get(const struct shell_vars *v, const char *name, size_t len)
{
    for (size_t i = v ? v->n : 0; i-- > 0;)
        if (strncmp(v->items[i], name, len) == 0 && v->items[i][len] == '=')
            return v->items[i] + len + 1;
    return NULL;
}

/* Length of "NAME=" at the start of `word`, 0 when it is no assignment. */
static size_t assignment_at(const char *word)
{
    if (!name_start(word[0]))
        return 0;
    size_t i = 1;
    while (name_char(word[i]))
        i++;
    return word[i] == '=' ? i + 1 : 0;
}

/* A "$NAME", "${NAME}" or "${NAME:-default}" at s[0] == '$': its value (NULL when unset
 * and without a default; *own holds a default's copy) and its length in `s` (0: no
 * variable, a lone '$'). */
static const char *expansion(const char *s, const struct shell_vars *vars, size_t *used, char **own)
{
    *own = NULL;
    *used = 0;
    if (s[1] == '{') {
        const char *close = strchr(s + 2, '}');
        if (!close || !name_start(s[2]))
            return NULL;
        size_t len = 1;
        while (name_char(s[2 + len]))
            len++;
        *used = (size_t)(close - s) + 1;
        const char *value = var_get(vars, s + 2, len);
        const char *op = s + 2 + len;
        bool colon = *op == ':';
        if (colon)
            op++;
        if ((*op == '-' || *op == '=') && (!value || (colon && !value[0]))) {
            *own = xstrndup(op + 1, (size_t)(close - op - 1));
            return *own;
        }
        return value;
    }
    if (!name_start(s[1]))
        return NULL;
    size_t len = 1;
    while (name_char(s[1 + len]))
        len++;
    *used = len + 1;
    return var_get(vars, s + 1, len);
}

struct word_state {
    char ***out;
    size_t *n, *cap;
    struct strbuf w;
    bool in_word;
};

static void end_word(struct word_state *ws)
{
    if (ws->in_word)
        strv_push(ws->out, ws->n, ws->cap, ws->w.data ? strbuf_take(&ws->w) : xstrdup(""));
    ws->in_word = false;
}

/* Put a variable's value into the words: split on blanks unquoted (not in an assignment),
 * as it is in double quotes. */
static void put_value(struct word_state *ws, const char *value, bool split)
{
    for (; *value; value++) {
        if (split && (*value == ' ' || *value == '\t' || *value == '\n')) {
            end_word(ws);
            continue;
        }
        strbuf_append(&ws->w, value, 1);
        ws->in_word = true;
    }
}

/* Expand the variable at s[0] == '$'; returns the bytes of `s` it took, minus one (the
 * caller's loop steps over the last). An unknown variable stays as written (has_vars). */
static size_t put_variable(struct word_state *ws, const char *s, const struct shell_vars *vars,
                           bool quoted, bool *has_vars)
{
    size_t used;
    char *own;
    const char *value = expansion(s, vars, &used, &own);
    if (!value) {
        *has_vars |= used > 0;
        strbuf_append(&ws->w, s, used ? used : 1);
        ws->in_word = true;
    } else {
        bool split = !quoted && !(ws->w.data && assignment_at(ws->w.data));
        put_value(ws, value, split);
    }
    free(own);
    return used ? used - 1 : 0;
}

/* Split one shell line into words: quotes, backslashes, '#' comments, and the variables
 * `vars` knows expanded; others are kept as written (has_vars tells). Operators
 * (> < | & ;) end a word and are words of their own. */
static void shell_words(const char *s, const struct shell_vars *vars, char ***out, size_t *n,
                        size_t *cap, bool *has_vars)
{
    struct word_state ws = {out, n, cap, {0}, false};
    for (; *s; s++) {
        char c = *s;
        if (c == '#' && !ws.in_word)
            break;
        if (c == ' ' || c == '\t') {
            end_word(&ws);
            continue;
        }
        if (strchr(";|&<>", c)) {
            if (ws.in_word && !(c == '>' && ws.w.len == 1 && isdigit((unsigned char)ws.w.data[0])))
                end_word(&ws);
            strbuf_append(&ws.w, s, 1);
            while (s[1] && strchr(";|&<>", s[1]))
                strbuf_append(&ws.w, ++s, 1);
            ws.in_word = true;
            end_word(&ws);
            continue;
        }
        if (c == '$') {
            s += put_variable(&ws, s, vars, false, has_vars);
            continue;
        }
        ws.in_word = true;
        if (c == '\'') {
            const char *close = strchr(s + 1, c);
            if (!close)
                close = s + strlen(s);
            strbuf_append(&ws.w, s + 1, (size_t)(close - s - 1));
            s = *close ? close : close - 1;
            continue;
        }
        if (c == '"') {
            for (s++; *s && *s != '"'; s++) {
                if (*s == '\\' && s[1] && strchr("$\"\\`", s[1]))
                    strbuf_append(&ws.w, ++s, 1);
                else if (*s == '$')
                    s += put_variable(&ws, s, vars, true, has_vars);
                else
                    strbuf_append(&ws.w, s, 1);
            }
            if (!*s)
                s--;
            continue;
        }
        if (c == '\\' && s[1]) {
            strbuf_append(&ws.w, ++s, 1);
            continue;
        }
        strbuf_append(&ws.w, s, 1);
    }
    end_word(&ws);
    strbuf_free(&ws.w);
}

/* The script's logical lines (backslash-newline joined). */
static char **logical_lines(const char *text, size_t len, size_t *n)
{
    char **lines = NULL;
    size_t cap = 0;
    *n = 0;
    struct strbuf cur = {0};
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\\' && i + 1 < len && text[i + 1] == '\n') {
            i++;
            continue;
        }
        if (text[i] == '\n' || text[i] == '\0') {
            strv_push(&lines, n, &cap, cur.data ? strbuf_take(&cur) : xstrdup(""));
            continue;
        }
        if (text[i] != '\r')
            strbuf_append(&cur, &text[i], 1);
    }
    if (cur.len)
        strv_push(&lines, n, &cap, strbuf_take(&cur));
    strbuf_free(&cur);
    return lines;
}

static bool is_java(const char *word)
{
    const char *base = path_basename(word);
    return strcmp(base, "java") == 0 || strcmp(base, "jsvc") == 0;
}

static bool is_separator(const char *word)
{
    return (word[0] && strchr(";|&<>", word[0])) ||
           (isdigit((unsigned char)word[0]) && word[1] == '>');
}

/* A line of assignments only ("A=1 B=2", "export A=1"): keep them. Returns true when the
 * line was that. */
static bool take_assignments(char **words, size_t n, struct shell_vars *vars)
{
    size_t first = n && (strcmp(words[0], "export") == 0 || strcmp(words[0], "readonly") == 0);
    if (first >= n)
        return false;
    for (size_t i = first; i < n; i++)
        if (!assignment_at(words[i]) && !(first && name_start(words[i][0])))
            return false;
    for (size_t i = first; i < n; i++)
        if (assignment_at(words[i]))
            strv_push(&vars->items, &vars->n, &vars->cap, xstrdup(words[i]));
    return true;
}

int runit_parse_run(const char *text, size_t len, struct runit_command *out)
{
    memset(out, 0, sizeof(*out));
    struct shell_vars vars = {0};
    size_t n_lines;
    char **lines = logical_lines(text, len, &n_lines);
    int rc = -1;
    for (size_t l = 0; l < n_lines && rc != 0; l++) {
        char **words = NULL;
        size_t n = 0, cap = 0;
        bool unknown = false;
        shell_words(lines[l], &vars, &words, &n, &cap, &unknown);
        if (take_assignments(words, n, &vars)) {
            strv_free(words, n);
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            if (strcmp(words[i], "cd") == 0 && i + 1 < n && !is_separator(words[i + 1])) {
                free(out->cwd);
                out->cwd = xstrdup(words[i + 1]);
            }
            if (is_java(words[i])) {
                for (size_t k = i; k < n && !is_separator(words[k]); k++)
                    strv_push(&out->argv, &out->argc, &out->argv_cap, xstrdup(words[k]));
                out->has_vars = unknown;
                rc = 0;
                break;
            }
        }
        strv_free(words, n);
    }
    strv_free(lines, n_lines);
    strv_free(vars.items, vars.n);
    if (rc != 0)
        runit_command_clear(out);
    return rc;
}

char *runit_parse_log_run(const char *text, size_t len)
{
    size_t n_lines;
    char **lines = logical_lines(text, len, &n_lines);
    char *dir = NULL;
    for (size_t l = 0; l < n_lines && !dir; l++) {
        char **words = NULL;
        size_t n = 0, cap = 0;
        bool vars = false;
        shell_words(lines[l], NULL, &words, &n, &cap, &vars);
        for (size_t i = 0; i < n && !dir; i++) {
            if (strcmp(path_basename(words[i]), "svlogd") != 0 &&
                strcmp(path_basename(words[i]), "multilog") != 0)
                continue;
            size_t last = i;
            for (size_t k = i + 1; k < n && !is_separator(words[k]); k++)
                last = k;
            if (last > i && words[last][0] != '-')
                dir = xstrdup(words[last]);
        }
        strv_free(words, n);
    }
    strv_free(lines, n_lines);
    return dir;
}

int runit_parse_status(const unsigned char *d, size_t len, struct runit_status *out)
{
    memset(out, 0, sizeof(*out));
    if (len != 20)
        return -1;
    uint64_t tai = 0;
    for (int i = 0; i < 8; i++)
        tai = (tai << 8) | d[i];
    /* TAI64: 2^62 + 10 + unix seconds (runit's taia, with the 10 s TAI offset) */
    const uint64_t base = (1ULL << 62) + 10;
    out->since = tai >= base ? (int64_t)(tai - base) : 0;
    out->pid = (int)((uint32_t)d[12] | (uint32_t)d[13] << 8 | (uint32_t)d[14] << 16 |
                     (uint32_t)d[15] << 24);
    out->paused = d[16] != 0;
    out->want = (d[17] == 'u' || d[17] == 'd') ? (char)d[17] : 0;
    out->got_term = d[18] != 0;
    out->state = d[19] <= 2 ? d[19] : -1;
    out->valid = out->state >= 0;
    return out->valid ? 0 : -1;
}

size_t runit_count_exits(const char *text, size_t len)
{
    size_t n = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        int64_t when;
        int code, sig;
        if (runit_parse_exit(p, (size_t)((nl ? nl : end) - p), &when, &code, &sig) == 0)
            n++;
        p = nl ? nl + 1 : end;
    }
    return n;
}

int runit_parse_exit(const char *text, size_t len, int64_t *when, int *code, int *sig)
{
    int rc = -1;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        char line[128];
        snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1), p);
        long long t;
        int c, s;
        if (sscanf(line, "%lld %d %d", &t, &c, &s) == 3 && s >= 0 && s < 256) {
            *when = t;
            *code = c;
            *sig = s;
            rc = 0;
        }
        p = nl ? nl + 1 : end;
    }
    return rc;
}

char *runit_describe_exit(int code, int sig)
{
    int signo = sig & 0x7f;
    if (code == 111 && sig == 0)
        return xstrdup("./run could not be started (runsv passes 111)");
    if (code >= 0 && signo == 0)
        return xasprintf("exit %d", code);
    const char *name = signo > 0 && signo < NSIG ? sigabbrev_np(signo) : NULL;
    return xasprintf("killed by signal %d%s%s%s%s", signo, name ? " (SIG" : "", name ? name : "",
                     name ? ")" : "", sig & 0x80 ? ", core dumped" : "");
}

/* --- discovery --- */

static char *read_under(const char *root, const char *path, size_t max)
{
    char *host = svcconfig_host_path(root, path);
    char *text = read_text_capped(host, max);
    free(host);
    return text;
}

/* What the java command says, as a declared service. */
static void add_service(const char *root, const char *dir, const struct runit_command *cmd,
                        struct svc_discovery *out)
{
    struct jvm_process p = {0};
    p.cwd = xstrdup(cmd->cwd ? cmd->cwd : dir); /* runsv runs ./run in the service directory */
    jvm_interpret(&p, cmd->argv, cmd->argc, NULL, 0);
    out->services = xgrow(out->services, &out->cap, out->n + 1, sizeof(*out->services));
    struct svc_service *s = &out->services[out->n++];
    memset(s, 0, sizeof(*s));
    s->name = xstrdup(path_basename(dir));
    s->origin = xasprintf("%s%s", RUNIT_ORIGIN, dir);
    if (p.catalina_base) {
        s->kind = SVC_TOMCAT;
        s->catalina_base = jvm_host_path(&p, p.catalina_base);
        s->catalina_home = p.catalina_home ? jvm_host_path(&p, p.catalina_home) : NULL;
    } else if (p.jar) {
        s->kind = SVC_JAR;
        s->jar = jvm_host_path(&p, p.jar);
    } else {
        s->kind = SVC_CLASSPATH;
        /* classpath items relative to the run script's directory, opened under the root
         * (a declared classpath is read as it is) */
        if (root && strcmp(root, "/") != 0)
            p.root = xstrdup(root);
        s->classpath = jvm_host_classpath(&p);
        if (!s->classpath)
            s->classpath = xstrdup(".");
    }
    svc_service_evidence(
        s, MSG_EVD_RUNIT_RUNS,
        MSG_ARGS(MSG_S("dir", dir), MSG_S("command", cmd->argc ? cmd->argv[0] : "java")));
    if (p.main_class)
        svc_service_evidence(s, MSG_EVD_MAIN_CLASS, MSG_ARGS(MSG_S("class", p.main_class)));
    if (cmd->has_vars)
        svc_service_evidence(s, MSG_EVD_SHELL_VARIABLES, MSG_ARGS(MSG_END));
    char *log_dir_path = path_join(dir, "log");
    char *log_run_path = path_join(log_dir_path, "run");
    char *log_run = read_under(root, log_run_path, RUNIT_SCRIPT_MAX);
    char *log_dir = log_run ? runit_parse_log_run(log_run, strlen(log_run)) : NULL;
    if (log_dir) {
        char *joined = log_dir[0] == '/' ? xstrdup(log_dir) : path_join(log_dir_path, log_dir);
        char *abs = path_normalize(joined);
        /* svlogd's rotated files (@TAI64N names sort in time order), then current */
        strv_push(&s->logs, &s->n_logs, &s->logs_cap, path_join(abs, "@*"));
        strv_push(&s->logs, &s->n_logs, &s->logs_cap, path_join(abs, "current"));
        free(abs);
        free(joined);
    }
    free(log_dir);
    free(log_run);
    free(log_run_path);
    free(log_dir_path);
    jvm_process_clear(&p);
}

static bool known(const struct svc_discovery *out, const char *real)
{
    for (size_t i = 0; i < out->n; i++)
        if (out->services[i].origin && str_has_prefix(out->services[i].origin, RUNIT_ORIGIN) &&
            strcmp(out->services[i].origin + strlen(RUNIT_ORIGIN), real) == 0)
            return true;
    return false;
}

static bool not_hidden(const char *name, void *ud)
{
    (void)ud;
    return name[0] != '.';
}

void runit_discover(const char *root, struct svc_discovery *out)
{
    static const char *const places[] = {"/etc/service", "/etc/sv", "/service", "/var/service"};
    size_t looked = 0;
    for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
        char *host = svcconfig_host_path(root, places[i]);
        char **names;
        size_t n;
        if (looked >= RUNIT_SERVICES_MAX ||
            dir_list_sorted(host, RUNIT_SERVICES_MAX - looked, not_hidden, NULL, &names, &n,
                            NULL) != 0) {
            free(host);
            continue;
        }
        looked += n;
        for (size_t k = 0; k < n; k++) {
            /* /etc/service/x is usually a link to /etc/sv/x: one service, its real directory */
            char *dir = path_join(places[i], names[k]);
            char *host_dir = svcconfig_host_path(root, dir);
            char *real = realpath(host_dir, NULL);
            /* the real directory as the scan names it; a link leading out of --root is not
             * followed */
            const char *shown = dir;
            const char *under = real ? path_under_root(root, real) : NULL;
            if (under && (under != real || !root || strcmp(root, "/") == 0))
                shown = under;
            char *run_path = path_join(shown, "run");
            char *run = known(out, shown) ? NULL : read_under(root, run_path, RUNIT_SCRIPT_MAX);
            struct runit_command cmd;
            if (run && runit_parse_run(run, strlen(run), &cmd) == 0) {
                add_service(root, shown, &cmd, out);
                runit_command_clear(&cmd);
            }
            free(run);
            free(run_path);
            free(real);
            free(host_dir);
            free(dir);
        }
        strv_free(names, n);
        free(host);
    }
}
