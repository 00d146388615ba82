/*
 * jvm.c - the Java processes of this machine (or container) from /proc: which
 * they are, and what their launchers were told. The launcher's own rules are
 * followed (libjli args.c, JDK 9+): JDK_JAVA_OPTIONS goes before the command
 * line's arguments, @argfiles are expanded once (an @ inside an argument file
 * is a plain argument), and expansion stops at the main class, at the file of
 * -jar, at -m and after --disable-@files. JAVA_TOOL_OPTIONS and _JAVA_OPTIONS
 * are read by the JVM itself, before and after the command line.
 */
#include "jvm.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logmodel.h"
#include "messages.h"
#include "util.h"

#define JVM_COMM_MAX 64 /* bytes of /proc/PID/comm read (the kernel keeps 16) */
#define KIB 1024ULL

const char *jvm_launcher_name(enum jvm_launcher l)
{
    return l == JVM_LAUNCHER_JSVC ? "jsvc" : "java";
}

/* A note on the process's command line, in both languages (messages.h). */
static void note_args(struct jvm_process *p, enum msg_id id, const struct msg_arg *args)
{
    strv_push(&p->notes, &p->n_notes, &p->notes_cap, msg_render(id, LANG_EN, args));
    strv_push(&p->notes_zh, &p->n_notes_zh, &p->notes_zh_cap, msg_render(id, LANG_ZH, args));
}
#define note(p, id, ...) note_args((p), (id), MSG_ARGS(__VA_ARGS__))

static void list_note_args(struct jvm_list *l, enum msg_id id, const struct msg_arg *args)
{
    strv_push(&l->notes, &l->n_notes, &l->notes_cap, msg_render(id, LANG_EN, args));
    strv_push(&l->notes_zh, &l->n_notes_zh, &l->notes_zh_cap, msg_render(id, LANG_ZH, args));
}
#define list_note(l, id, ...) list_note_args((l), (id), MSG_ARGS(__VA_ARGS__))

int jvm_parse_size(const char *s, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    uint64_t v = 0;
    const char *p = s;
    for (; isdigit((unsigned char)*p); p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    uint64_t mult = 1;
    switch (*p) {
    case '\0':
        break;
    case 'k':
    case 'K':
        mult = KIB;
        break;
    case 'm':
    case 'M':
        mult = KIB * KIB;
        break;
    case 'g':
    case 'G':
        mult = KIB * KIB * KIB;
        break;
    case 't':
    case 'T':
        mult = KIB * KIB * KIB * KIB;
        break;
    default:
        return -1;
    }
    if (*p && p[1])
        return -1;
    if (v > UINT64_MAX / mult)
        return -1;
    *out = v * mult;
    return 0;
}

static int parse_percent(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0 || v > 100)
        return -1;
    *out = v;
    return 0;
}

/* ---- argument files and option variables ---- */

enum tok_state { T_FIND_NEXT, T_IN_COMMENT, T_IN_QUOTE, T_IN_ESCAPE, T_SKIP_LEAD_WS, T_IN_TOKEN };

static bool argfile_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A port of the launcher's state machine rather than a cleaner tokenizer, so
 * that odd files split as the JVM split them: a '#' inside an unquoted token
 * drops that token's unquoted tail, an open quote ends at the line end, and
 * "" alone is an empty argument except at the very end of the file. */
void jvm_split_argfile(const char *text, size_t len, char ***items, size_t *n, size_t *cap)
{
    enum tok_state st = T_FIND_NEXT;
    struct strbuf cur = {0};
    size_t kept = 0; /* length of cur made of finished parts (quoted pieces, escapes) */
    char quote = '"';
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (st == T_FIND_NEXT || st == T_SKIP_LEAD_WS) {
            if (argfile_space(ch))
                continue;
            st = st == T_FIND_NEXT ? T_IN_TOKEN : T_IN_QUOTE;
        } else if (st == T_IN_ESCAPE) {
            if (ch == '\n' || ch == '\r') {
                st = T_SKIP_LEAD_WS;
                continue;
            }
            char c = ch == 'n' ? '\n' : ch == 'r' ? '\r' : ch == 't' ? '\t' : ch == 'f' ? '\f' : ch;
            strbuf_append(&cur, &c, 1);
            kept = cur.len;
            st = T_IN_QUOTE;
            continue;
        } else if (st == T_IN_COMMENT) {
            if (ch == '\n' || ch == '\r')
                st = T_FIND_NEXT;
            continue;
        }
        switch (ch) {
        case ' ':
        case '\t':
        case '\f':
            if (st == T_IN_QUOTE) {
                strbuf_append(&cur, &ch, 1);
                continue;
            }
            /* fall through */
        case '\n':
        case '\r':
            strv_push(items, n, cap, strbuf_take(&cur));
            kept = 0;
            st = T_FIND_NEXT;
            continue;
        case '#':
            if (st == T_IN_QUOTE) {
                strbuf_append(&cur, &ch, 1);
                continue;
            }
            cur.len = kept;
            if (cur.data)
                cur.data[kept] = '\0';
            st = T_IN_COMMENT;
            continue;
        case '\\':
            if (st != T_IN_QUOTE) {
                strbuf_append(&cur, &ch, 1);
                continue;
            }
            kept = cur.len;
            st = T_IN_ESCAPE;
            continue;
        case '\'':
        case '"':
            if (st == T_IN_QUOTE && quote != ch) {
                strbuf_append(&cur, &ch, 1);
                continue;
            }
            kept = cur.len;
            if (st == T_IN_TOKEN) {
                quote = ch;
                st = T_IN_QUOTE;
            } else {
                st = T_IN_TOKEN;
            }
            continue;
        default:
            strbuf_append(&cur, &ch, 1);
            continue;
        }
    }
    if ((st == T_IN_TOKEN || st == T_IN_QUOTE) && cur.len > 0)
        strv_push(items, n, cap, strbuf_take(&cur));
    strbuf_free(&cur);
}

/* Split an option variable the way the launcher (JDK_JAVA_OPTIONS) and the VM
 * (JAVA_TOOL_OPTIONS) do: white space separates, quotes group and are removed,
 * no escapes. Returns false when a quote is left open (the JVM refuses it). */
static bool split_option_var(const char *s, char ***v, size_t *n, size_t *cap)
{
    bool ok = true;
    while (*s) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        struct strbuf tok = {0};
        while (*s && !isspace((unsigned char)*s)) {
            if (*s == '"' || *s == '\'') {
                char q = *s++;
                const char *start = s;
                while (*s && *s != q)
                    s++;
                strbuf_append(&tok, start, (size_t)(s - start));
                if (!*s) {
                    ok = false;
                    break;
                }
                s++;
            } else {
                strbuf_append(&tok, s, 1);
                s++;
            }
        }
        strv_push(v, n, cap, strbuf_take(&tok));
    }
    return ok;
}

/* ---- paths ---- */

char *jvm_host_path(const struct jvm_process *p, const char *path)
{
    char *abs;
    if (path[0] == '/')
        abs = xstrdup(path);
    else if (p->cwd)
        abs = path_join(p->cwd, path);
    else
        return NULL;
    if (!p->root)
        return abs;
    char *host = xasprintf("%s%s", p->root, abs);
    free(abs);
    return host;
}

char *jvm_host_classpath(const struct jvm_process *p)
{
    if (!p->classpath)
        return NULL;
    struct strbuf sb = {0};
    const char *s = p->classpath;
    for (;;) {
        const char *colon = strchr(s, ':');
        size_t len = colon ? (size_t)(colon - s) : strlen(s);
        if (len > 0) {
            char *item = xstrndup(s, len);
            char *host = jvm_host_path(p, item);
            strbuf_puts(&sb, host ? host : item);
            free(host);
            free(item);
        }
        if (!colon)
            break;
        strbuf_puts(&sb, ":");
        s = colon + 1;
    }
    return strbuf_take(&sb);
}

const char *jvm_property(const struct jvm_process *p, const char *key)
{
    for (size_t i = 0; i < p->n_props; i++)
        if (strcmp(p->props[i].key, key) == 0)
            return p->props[i].value;
    return NULL;
}

bool jvm_is_secret_key(const char *key)
{
    static const char *const words[] = {"password", "passwd",  "secret",  "token",   "credential",
                                        "apikey",   "api_key", "api-key", "private", "passphrase"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcasestr(key, words[i]))
            return true;
    return false;
}

char *jvm_redact_arg(const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!str_has_prefix(arg, "-D") || !eq)
        return xstrdup(arg);
    char *key = xstrndup(arg + 2, (size_t)(eq - arg - 2));
    char *out = jvm_is_secret_key(key) ? xasprintf("%.*s%s", (int)(eq - arg + 1), arg, JVM_REDACTED)
                                       : xstrdup(arg);
    free(key);
    return out;
}

/* ---- the launcher's expansion ---- */

/* The launcher options whose value is the next argument (java.c IsWhiteSpaceOption). */
static bool java_value_option(const char *a)
{
    static const char *const names[] = {
        "-cp",
        "-classpath",
        "--class-path",
        "--module-path",
        "-p",
        "--upgrade-module-path",
        "--add-modules",
        "--enable-native-access",
        "--limit-modules",
        "--add-exports",
        "--add-opens",
        "--add-reads",
        "--patch-module",
        "--describe-module",
        "-d",
        "--source",
        "-jar",
        "-m",
        "--module",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(a, names[i]) == 0)
            return true;
    return false;
}

/* jsvc's options that take a value (commons-daemon arguments.c). */
static bool jsvc_value_option(const char *a)
{
    static const char *const names[] = {
        "-cp",      "-classpath", "-jvm",      "-home", "-java-home", "-user", "-pidfile",
        "-errfile", "-outfile",   "-procname", "-wait", "-umask",     "-cwd",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(a, names[i]) == 0)
            return true;
    return false;
}

/* Terminal options may not come from JDK_JAVA_OPTIONS or an argfile named there. */
static bool java_terminal_option(const char *a)
{
    static const char *const names[] = {
        "-jar",   "-m", "--module",     "--dry-run", "-h",        "-?",           "-help",
        "--help", "-X", "--help-extra", "-version",  "--version", "-fullversion", "--full-version",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(a, names[i]) == 0)
            return true;
    return str_has_prefix(a, "--module=");
}

/* Where the launcher is in the command line (args.c checkArg). */
struct expand_state {
    bool expecting_value; /* the previous option takes this argument */
    bool stop_expansion;  /* --disable-@files seen */
    bool main_found;      /* the next argument is the application's */
};

static void check_arg(struct expand_state *st, const char *arg)
{
    if (arg[0] == '-') {
        st->expecting_value = false;
        if (java_value_option(arg)) {
            /* The file of -jar and the module of -m stand where a main class would. */
            st->expecting_value =
                strcmp(arg, "-jar") != 0 && strcmp(arg, "-m") != 0 && strcmp(arg, "--module") != 0;
        } else if (strcmp(arg, "--disable-@files") == 0) {
            st->stop_expansion = true;
        } else if (str_has_prefix(arg, "--module=")) {
            st->main_found = true;
        }
    } else {
        if (!st->expecting_value)
            st->main_found = true;
        st->expecting_value = false;
    }
}

struct arglist {
    char **v;
    size_t n;
    size_t cap;
    bool full_noted;
    size_t argfile_bytes; /* read so far from @argfiles: capped, as "@a @a @a..." could
                             make a 1 MiB command line read a 1 MiB file 300,000 times */
    bool argfiles_noted;
};

static void args_add(struct jvm_process *p, struct arglist *a, const char *s)
{
    if (a->n >= JVM_ARGS_MAX) {
        if (!a->full_noted)
            note(p, MSG_JVM_TOO_MANY_ARGS, MSG_N("max", JVM_ARGS_MAX));
        a->full_noted = true;
        return;
    }
    strv_push(&a->v, &a->n, &a->cap, xstrdup(s));
}

/* Read and split the argument file `name` (without its '@'). Returns false
 * with a note when it cannot be read. */
static bool read_argfile(struct jvm_process *p, struct arglist *a, const char *name, char ***toks,
                         size_t *n, size_t *cap)
{
    if (a->n >= JVM_ARGS_MAX || a->argfile_bytes >= JVM_ARGFILES_TOTAL_MAX) {
        if (!a->argfiles_noted)
            note(p, MSG_JVM_ARGFILES_CAPPED, MSG_N("bytes", JVM_ARGFILES_TOTAL_MAX),
                 MSG_N("max", JVM_ARGS_MAX));
        a->argfiles_noted = true;
        return false;
    }
    char *host = jvm_host_path(p, name);
    if (!host) {
        note(p, MSG_JVM_ARGFILE_RELATIVE, MSG_S("name", name));
        return false;
    }
    char *text = NULL;
    size_t len;
    bool truncated;
    bool ok = false;
    if (read_file_capped(host, JVM_ARGFILE_MAX, &text, &len, &truncated) != 0) {
        note(p, MSG_JVM_ARGFILE_UNREADABLE, MSG_S("name", name), MSG_S("path", host),
             MSG_S("error", strerror(errno)));
        goto out;
    }
    if (truncated) {
        note(p, MSG_JVM_ARGFILE_TOO_BIG, MSG_S("name", name), MSG_S("path", host),
             MSG_N("max", JVM_ARGFILE_MAX));
        goto out;
    }
    a->argfile_bytes += len + 1;
    jvm_split_argfile(text, len, toks, n, cap);
    ok = true;
out:
    free(text);
    free(host);
    return ok;
}

/* One command-line argument through JLI_PreprocessArg. */
static void expand_cmdline_arg(struct jvm_process *p, struct expand_state *st, struct arglist *a,
                               const char *arg)
{
    if (st->main_found) {
        args_add(p, a, arg);
        return;
    }
    if (st->stop_expansion || arg[0] != '@' || arg[1] == '\0') {
        check_arg(st, arg);
        args_add(p, a, arg);
        if (st->main_found)
            p->first_app_arg = a->n;
        return;
    }
    if (arg[1] == '@') { /* "@@x" is the argument "@x" */
        check_arg(st, arg + 1);
        args_add(p, a, arg + 1);
        if (st->main_found)
            p->first_app_arg = a->n;
        return;
    }
    char **toks = NULL;
    size_t n = 0, cap = 0;
    if (!read_argfile(p, a, arg + 1, &toks, &n, &cap)) {
        args_add(p, a, arg); /* the launcher would have refused to start */
    }
    for (size_t i = 0; i < n; i++) {
        bool before = st->main_found;
        check_arg(st, toks[i]);
        args_add(p, a, toks[i]);
        if (!before && st->main_found)
            p->first_app_arg = a->n;
    }
    strv_free(toks, n);
}

/* JDK_JAVA_OPTIONS: split, @argfiles expanded, terminal options refused. */
static void expand_jdk_java_options(struct jvm_process *p, struct expand_state *st,
                                    struct arglist *a, const char *value)
{
    char **words = NULL;
    size_t n = 0, cap = 0;
    if (!split_option_var(value, &words, &n, &cap))
        note(p, MSG_JVM_JDK_OPTIONS_QUOTE, MSG_END);
    for (size_t i = 0; i < n; i++) {
        char **toks = NULL;
        size_t nt = 0, ct = 0;
        const char *w = words[i];
        if (w[0] == '@' && w[1] == '@')
            strv_push(&toks, &nt, &ct, xstrdup(w + 1));
        else if (w[0] == '@' && w[1] && !st->stop_expansion)
            read_argfile(p, a, w + 1, &toks, &nt, &ct);
        else
            strv_push(&toks, &nt, &ct, xstrdup(w));
        for (size_t j = 0; j < nt; j++) {
            check_arg(st, toks[j]);
            if (java_terminal_option(toks[j]) || st->main_found) {
                note(p, MSG_JVM_JDK_OPTIONS_REFUSED, MSG_S("arg", toks[j]));
                st->main_found = false;
                continue;
            }
            args_add(p, a, toks[j]);
        }
        strv_free(toks, nt);
    }
    strv_free(words, n);
}

/* ---- interpretation ---- */

static void set_prop(struct jvm_process *p, const char *def, const char *source)
{
    const char *eq = strchr(def, '=');
    char *key = eq ? xstrndup(def, (size_t)(eq - def)) : xstrdup(def);
    const char *value = eq ? eq + 1 : "";
    if (!*key) {
        free(key);
        return;
    }
    for (size_t i = 0; i < p->n_props; i++) {
        if (strcmp(p->props[i].key, key) == 0) {
            free(p->props[i].value);
            free(p->props[i].source);
            p->props[i].value = xstrdup(value);
            p->props[i].source = xstrdup(source);
            free(key);
            return;
        }
    }
    p->props = xgrow(p->props, &p->props_cap, p->n_props + 1, sizeof(*p->props));
    struct jvm_property *prop = &p->props[p->n_props++];
    prop->key = key;
    prop->value = xstrdup(value);
    prop->source = xstrdup(source);
}

static void set_size(struct jvm_process *p, const char *flag, const char *value, uint64_t unit,
                     uint64_t *dst)
{
    uint64_t v;
    if (jvm_parse_size(value, &v) != 0 || v > UINT64_MAX / unit) {
        note(p, MSG_JVM_BAD_VALUE, MSG_S("flag", flag), MSG_S("value", value));
        return;
    }
    *dst = v * unit;
}

/* A JVM option (-D, -X, -XX) from any source; others are ignored here. */
static void jvm_option(struct jvm_process *p, const char *a, const char *source)
{
    struct jvm_memory *m = &p->mem;
    static const struct {
        const char *prefix;
        size_t offset;
        uint64_t unit;
    } sizes[] = {
        {"-Xmx", offsetof(struct jvm_memory, max_heap), 1},
        {"-Xms", offsetof(struct jvm_memory, initial_heap), 1},
        {"-Xss", offsetof(struct jvm_memory, thread_stack), 1},
        {"-XX:MaxHeapSize=", offsetof(struct jvm_memory, max_heap), 1},
        {"-XX:InitialHeapSize=", offsetof(struct jvm_memory, initial_heap), 1},
        {"-XX:ThreadStackSize=", offsetof(struct jvm_memory, thread_stack), KIB},
        {"-XX:MaxRAM=", offsetof(struct jvm_memory, max_ram), 1},
        {"-XX:MaxMetaspaceSize=", offsetof(struct jvm_memory, max_metaspace), 1},
        {"-XX:MaxDirectMemorySize=", offsetof(struct jvm_memory, max_direct), 1},
    };
    if (str_has_prefix(a, "-D")) {
        set_prop(p, a + 2, source);
        return;
    }
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t len = strlen(sizes[i].prefix);
        if (strncmp(a, sizes[i].prefix, len) == 0) {
            char name[64];
            snprintf(name, sizeof(name), "%.*s", (int)len - (a[len - 1] == '=' ? 1 : 0),
                     sizes[i].prefix);
            set_size(p, name, a + len, sizes[i].unit, (uint64_t *)((char *)m + sizes[i].offset));
            if (strstr(sizes[i].prefix, "MaxDirect"))
                m->has_max_direct = true;
            return;
        }
    }
    double pct;
    if (str_has_prefix(a, "-XX:MaxRAMPercentage=")) {
        if (parse_percent(a + strlen("-XX:MaxRAMPercentage="), &pct) == 0) {
            m->max_ram_percentage = pct;
            m->has_max_ram_percentage = true;
        } else {
            note(p, MSG_JVM_BAD_VALUE, MSG_S("flag", "-XX:MaxRAMPercentage"), MSG_S("value", a));
        }
    } else if (str_has_prefix(a, "-XX:MinRAMPercentage=")) {
        if (parse_percent(a + strlen("-XX:MinRAMPercentage="), &pct) == 0) {
            m->min_ram_percentage = pct;
            m->has_min_ram_percentage = true;
        } else {
            note(p, MSG_JVM_BAD_VALUE, MSG_S("flag", "-XX:MinRAMPercentage"), MSG_S("value", a));
        }
    } else if (strcmp(a, "-XX:+UseContainerSupport") == 0) {
        m->container_support = 1;
    } else if (strcmp(a, "-XX:-UseContainerSupport") == 0) {
        m->container_support = 0;
    }
}

static void apply_option_var(struct jvm_process *p, const char *name, const char *value)
{
    char **words = NULL;
    size_t n = 0, cap = 0;
    if (!split_option_var(value, &words, &n, &cap))
        note(p, MSG_JVM_OPTIONS_QUOTE, MSG_S("name", name));
    for (size_t i = 0; i < n; i++)
        jvm_option(p, words[i], name);
    strv_free(words, n);
}

static const char *env_get(char *const *env, size_t n_env, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n_env; i++)
        if (strncmp(env[i], name, len) == 0 && env[i][len] == '=')
            return env[i] + len + 1;
    return NULL;
}

/* Walk the expanded options up to the first application argument. */
static void interpret_options(struct jvm_process *p)
{
    bool jsvc = p->launcher == JVM_LAUNCHER_JSVC;
    for (size_t i = 1; i < p->first_app_arg; i++) {
        const char *a = p->args[i];
        const char *next = i + 1 < p->n_args ? p->args[i + 1] : NULL;
        if (a[0] != '-') {
            free(p->main_class);
            p->main_class = xstrdup(a);
            break;
        }
        if (strcmp(a, "-cp") == 0 || strcmp(a, "-classpath") == 0 ||
            strcmp(a, "--class-path") == 0) {
            if (next) {
                free(p->classpath);
                free(p->classpath_source);
                p->classpath = xstrdup(next);
                p->classpath_source = xstrdup(a);
            }
            i++;
        } else if (str_has_prefix(a, "--class-path=")) {
            free(p->classpath);
            free(p->classpath_source);
            p->classpath = xstrdup(a + strlen("--class-path="));
            p->classpath_source = xstrdup("--class-path");
        } else if (!jsvc && strcmp(a, "-jar") == 0) {
            if (next)
                p->jar = xstrdup(next);
            break;
        } else if (!jsvc && (strcmp(a, "-m") == 0 || strcmp(a, "--module") == 0)) {
            if (next)
                p->module = xstrdup(next);
            break;
        } else if (!jsvc && str_has_prefix(a, "--module=")) {
            p->module = xstrdup(a + strlen("--module="));
            break;
        } else if (jsvc ? jsvc_value_option(a) : java_value_option(a)) {
            i++;
        } else {
            jvm_option(p, a, "command line");
        }
    }
}

void jvm_interpret(struct jvm_process *p, char *const *argv, size_t argc, char *const *env,
                   size_t n_env)
{
    p->mem.container_support = -1;
    if (argc == 0)
        return;
    const char *base = path_basename(argv[0]);
    if (strcmp(base, "jsvc") == 0 || (p->comm && strcmp(p->comm, "jsvc") == 0) ||
        (p->exe && strcmp(path_basename(p->exe), "jsvc") == 0))
        p->launcher = JVM_LAUNCHER_JSVC;
    size_t argv_cap = 0;
    for (size_t i = 0; i < argc; i++)
        strv_push(&p->argv, &p->argc, &argv_cap, xstrdup(argv[i]));

    const char *jdk_opts = env ? env_get(env, n_env, "JDK_JAVA_OPTIONS") : NULL;
    const char *tool_opts = env ? env_get(env, n_env, "JAVA_TOOL_OPTIONS") : NULL;
    const char *java_opts = env ? env_get(env, n_env, "_JAVA_OPTIONS") : NULL;
    const char *env_cp = env ? env_get(env, n_env, "CLASSPATH") : NULL;
    p->jdk_java_options = jdk_opts ? xstrdup(jdk_opts) : NULL;
    p->java_tool_options = tool_opts ? xstrdup(tool_opts) : NULL;
    p->java_options = java_opts ? xstrdup(java_opts) : NULL;

    /* The JVM reads JAVA_TOOL_OPTIONS first, so the command line overrides it. */
    if (tool_opts)
        apply_option_var(p, "JAVA_TOOL_OPTIONS", tool_opts);

    struct arglist a = {0};
    args_add(p, &a, argv[0]);
    p->first_app_arg = SIZE_MAX;
    if (p->launcher == JVM_LAUNCHER_JAVA) {
        struct expand_state st = {0};
        if (jdk_opts)
            expand_jdk_java_options(p, &st, &a, jdk_opts);
        for (size_t i = 1; i < argc; i++)
            expand_cmdline_arg(p, &st, &a, argv[i]);
    } else {
        /* jsvc starts the VM through JNI: no argument files, no JDK_JAVA_OPTIONS. */
        bool expecting = false;
        for (size_t i = 1; i < argc; i++) {
            args_add(p, &a, argv[i]);
            if (p->first_app_arg != SIZE_MAX)
                continue;
            if (argv[i][0] == '-')
                expecting = jsvc_value_option(argv[i]);
            else if (expecting)
                expecting = false;
            else
                p->first_app_arg = a.n;
        }
    }
    p->args = a.v;
    p->n_args = a.n;
    if (p->first_app_arg == SIZE_MAX || p->first_app_arg > p->n_args)
        p->first_app_arg = p->n_args;

    interpret_options(p);
    if (java_opts)
        apply_option_var(p, "_JAVA_OPTIONS", java_opts);

    if (!p->classpath && !p->jar && !p->module) {
        if (env_cp && *env_cp) {
            p->classpath = xstrdup(env_cp);
            p->classpath_source = xstrdup("CLASSPATH");
        } else {
            p->classpath = xstrdup(".");
            p->classpath_source = xstrdup("default");
            if (!env)
                note(p, MSG_JVM_ENV_UNKNOWN, MSG_END);
        }
    }
    if (p->jar && p->classpath) {
        note(p, MSG_JVM_JAR_IGNORES, MSG_S("source", p->classpath_source),
             MSG_S("classpath", p->classpath));
        free(p->classpath);
        free(p->classpath_source);
        p->classpath = NULL;
        p->classpath_source = NULL;
    }
    const char *v;
    if ((v = jvm_property(p, "catalina.base")))
        p->catalina_base = xstrdup(v);
    if ((v = jvm_property(p, "catalina.home")))
        p->catalina_home = xstrdup(v);
    if ((v = jvm_property(p, "loader.path")))
        p->loader_path = xstrdup(v);
    if (!p->main_class && !p->jar && !p->module)
        note(p, MSG_JVM_NO_MAIN, MSG_END);
}

/* ---- /proc ---- */

static bool is_java_name(const char *name)
{
    return name && (strcmp(name, "java") == 0 || strcmp(name, "jsvc") == 0);
}

static char *read_comm(const char *dir)
{
    char *path = path_join(dir, "comm");
    char *text = NULL;
    size_t len;
    bool trunc;
    char *comm = NULL;
    if (read_file_capped(path, JVM_COMM_MAX, &text, &len, &trunc) == 0) {
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\0'))
            len--;
        comm = xstrndup(text, len);
    }
    free(text);
    free(path);
    return comm;
}

int jvm_read_process(const char *proc_root, int pid, struct jvm_process *out, char *err)
{
    if (!proc_root)
        proc_root = JVM_PROC_ROOT;
    struct jvm_process p;
    memset(&p, 0, sizeof(p));
    p.pid = pid;
    char *dir = xasprintf("%s/%d", proc_root, pid);
    char *path = path_join(dir, "cmdline");
    char *data = NULL, *env_data = NULL;
    size_t len = 0, env_len = 0;
    bool trunc = false, env_trunc = false;
    char **argv = NULL, **env = NULL;
    size_t argc = 0, argv_cap = 0, n_env = 0, env_cap = 0;
    int rc = -1;
    if (read_file_capped(path, JVM_CMDLINE_MAX, &data, &len, &trunc) != 0) {
        if (errno == ENOENT || errno == ESRCH)
            err_set(err, "process %d exited during the scan", pid);
        else
            err_set(err, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if (len == 0) {
        err_set(err, "process %d has an empty command line (exiting or a zombie)", pid);
        goto out;
    }
    strv_split_nul(data, len, &argv, &argc, &argv_cap);

    p.comm = read_comm(dir);
    free(path);
    path = path_join(dir, "exe");
    p.exe = read_link(path);
    if (!p.exe)
        note(&p, MSG_JVM_UNREADABLE, MSG_S("path", path), MSG_S("error", strerror(errno)));
    if (trunc)
        note(&p, MSG_JVM_CMDLINE_LONG, MSG_N("max", JVM_CMDLINE_MAX));

    free(path);
    path = path_join(dir, "cwd");
    p.cwd = read_link(path);
    if (!p.cwd)
        note(&p, MSG_JVM_CWD_UNREADABLE, MSG_S("path", path), MSG_S("error", strerror(errno)));

    char *self_ns = xasprintf("%s/self/ns/mnt", proc_root);
    char *pid_ns = xasprintf("%s/ns/mnt", dir);
    char *self_mnt = read_link(self_ns);
    char *pid_mnt = read_link(pid_ns);
    if (self_mnt && pid_mnt && strcmp(self_mnt, pid_mnt) != 0)
        p.root = xasprintf("%s/root", dir);
    else if (!pid_mnt)
        note(&p, MSG_JVM_NS_UNREADABLE, MSG_S("path", pid_ns), MSG_S("error", strerror(errno)));
    free(self_mnt);
    free(pid_mnt);
    free(self_ns);
    free(pid_ns);

    free(path);
    path = path_join(dir, "environ");
    bool have_env = read_file_capped(path, JVM_CMDLINE_MAX, &env_data, &env_len, &env_trunc) == 0;
    if (!have_env)
        note(&p, MSG_JVM_ENVIRON_UNREADABLE, MSG_S("path", path), MSG_S("error", strerror(errno)));
    else if (env_trunc)
        note(&p, MSG_JVM_ENVIRON_LONG, MSG_N("max", JVM_CMDLINE_MAX));
    if (have_env)
        strv_split_nul(env_data, env_len, &env, &n_env, &env_cap);
    p.environ_read = have_env;
    jvm_interpret(&p, argv, argc, have_env ? env : NULL, n_env);
    *out = p;
    rc = 0;
out:
    if (rc != 0)
        jvm_process_clear(&p);
    strv_free(argv, argc);
    strv_free(env, n_env);
    free(data);
    free(env_data);
    free(path);
    free(dir);
    return rc;
}

void jvm_process_clear(struct jvm_process *p)
{
    if (!p)
        return;
    free(p->exe);
    free(p->comm);
    strv_free(p->argv, p->argc);
    strv_free(p->args, p->n_args);
    free(p->cwd);
    free(p->root);
    free(p->classpath);
    free(p->classpath_source);
    free(p->jar);
    free(p->main_class);
    free(p->module);
    free(p->catalina_base);
    free(p->catalina_home);
    free(p->loader_path);
    for (size_t i = 0; i < p->n_props; i++) {
        free(p->props[i].key);
        free(p->props[i].value);
        free(p->props[i].source);
    }
    free(p->props);
    free(p->jdk_java_options);
    free(p->java_tool_options);
    free(p->java_options);
    strv_free(p->notes, p->n_notes);
    strv_free(p->notes_zh, p->n_notes_zh);
    memset(p, 0, sizeof(*p));
}

static bool looks_like_log(const char *path)
{
    if (path[0] != '/' || str_has_prefix(path, "/dev/") || str_has_prefix(path, "/proc/") ||
        str_has_suffix(path, " (deleted)"))
        return false;
    const char *base = path_basename(path);
    if (log_file_name(base))
        return true;
    if (str_has_suffix(base, ".jar") || str_has_suffix(base, ".so") || strstr(base, ".so."))
        return false;
    return strstr(path, "/log/") != NULL || strstr(path, "/logs/") != NULL;
}

int jvm_open_logs(const char *proc_root, int pid, char ***files, size_t *n, size_t *cap, char *err)
{
    if (!proc_root)
        proc_root = JVM_PROC_ROOT;
    char *dir = xasprintf("%s/%d/fd", proc_root, pid);
    DIR *d = opendir(dir);
    if (!d) {
        err_set(err, "cannot list %s: %s", dir, strerror(errno));
        free(dir);
        return -1;
    }
    char **found = NULL;
    size_t nf = 0, cf = 0, seen = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && seen < JVM_FDS_MAX) {
        uint64_t fd;
        if (parse_u64(de->d_name, &fd) != 0)
            continue;
        seen++;
        char *link = path_join(dir, de->d_name);
        char *target = read_link(link);
        free(link);
        if (target && looks_like_log(target))
            strv_push(&found, &nf, &cf, target);
        else
            free(target);
    }
    closedir(d);
    free(dir);
    if (nf > 1)
        qsort(found, nf, sizeof(*found), strv_compare);
    int added = 0;
    const char *prev = NULL; /* the last one kept: duplicates are freed as they come */
    for (size_t i = 0; i < nf; i++) {
        if (prev && strcmp(found[i], prev) == 0) {
            free(found[i]);
            continue;
        }
        strv_push(files, n, cap, found[i]);
        prev = found[i];
        added++;
    }
    free(found);
    return added;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static bool parse_pid(const char *name, int *out)
{
    uint64_t v;
    if (parse_u64(name, &v) != 0 || v == 0 || v > INT32_MAX)
        return false;
    *out = (int)v;
    return true;
}

int jvm_list_processes(const char *proc_root, struct jvm_list *out, char *err)
{
    if (!proc_root)
        proc_root = JVM_PROC_ROOT;
    DIR *d = opendir(proc_root);
    if (!d) {
        err_set(err, "cannot list %s: %s", proc_root, strerror(errno));
        return -1;
    }
    struct jvm_list list;
    memset(&list, 0, sizeof(list));
    int *pids = NULL;
    size_t n_pids = 0, pids_cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int pid;
        if (!parse_pid(de->d_name, &pid))
            continue;
        pids = xgrow(pids, &pids_cap, n_pids + 1, sizeof(*pids));
        pids[n_pids++] = pid;
    }
    closedir(d);
    if (n_pids > 1)
        qsort(pids, n_pids, sizeof(*pids), cmp_int);
    for (size_t i = 0; i < n_pids; i++) {
        char *dir = xasprintf("%s/%d", proc_root, pids[i]);
        char *comm = read_comm(dir);
        char *exe_path = path_join(dir, "exe");
        char *exe = read_link(exe_path);
        bool java = is_java_name(comm) || (exe && is_java_name(path_basename(exe)));
        free(comm);
        free(exe);
        free(exe_path);
        free(dir);
        if (!java)
            continue;
        if (list.n >= JVM_PROCS_MAX) {
            list_note(&list, MSG_JVM_TOO_MANY_PROCS, MSG_N("max", JVM_PROCS_MAX));
            break;
        }
        struct jvm_process p;
        char perr[WR_ERR_MAX];
        if (jvm_read_process(proc_root, pids[i], &p, perr) != 0) {
            list_note(&list, MSG_JVM_PROCESS_UNREADABLE, MSG_N("pid", pids[i]),
                      MSG_S("error", perr));
            continue;
        }
        list.procs = xgrow(list.procs, &list.cap, list.n + 1, sizeof(*list.procs));
        list.procs[list.n++] = p;
    }
    free(pids);
    *out = list;
    return 0;
}

void jvm_list_free(struct jvm_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++)
        jvm_process_clear(&list->procs[i]);
    free(list->procs);
    strv_free(list->notes, list->n_notes);
    strv_free(list->notes_zh, list->n_notes_zh);
    memset(list, 0, sizeof(*list));
}
