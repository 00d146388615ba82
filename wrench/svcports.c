/*
 * svcports.c - declared ports of a service (see svcports.h).
 */
#include "svcports.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jar.h"
#include "messages.h"
#include "procnet.h"
#include "util.h"

void port_list_free(struct port_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].what);
        free(l->items[i].what_zh);
        free(l->items[i].source);
    }
    free(l->items);
    strv_free(l->notes, l->n_notes);
    strv_free(l->notes_zh, l->n_notes_zh);
    memset(l, 0, sizeof(*l));
}

/* what_zh NULL: `what` is the same in both languages (a property's name). */
static void add_port(struct port_list *l, int port, const char *what, const char *what_zh,
                     const char *source)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].port == port && strcmp(l->items[i].what, what) == 0)
            return;
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof(*l->items));
    l->items[l->n++] = (struct declared_port){port, xstrdup(what),
                                              xstrdup(what_zh ? what_zh : what), xstrdup(source)};
}

static void add_note_args(struct port_list *l, enum msg_id id, const struct msg_arg *args)
{
    strv_push(&l->notes, &l->n_notes, &l->notes_cap, msg_render(id, LANG_EN, args));
    strv_push(&l->notes_zh, &l->n_notes_zh, &l->notes_zh_cap, msg_render(id, LANG_ZH, args));
}
#define add_note(l, id, ...) add_note_args((l), (id), MSG_ARGS(__VA_ARGS__))

static const char *lookup(char *const *vars, size_t n, const char *key)
{
    size_t len = strlen(key);
    for (size_t i = n; i-- > 0;) /* the last definition wins */
        if (strncmp(vars[i], key, len) == 0 && vars[i][len] == '=')
            return vars[i] + len + 1;
    return NULL;
}

/* A port value: digits, or "${key}" / "${key:default}" resolved from `vars`. Returns the
 * port, 0 for "random", -1 for disabled or unreadable. */
static int port_value(const char *value, char *const *vars, size_t n_vars, bool *unresolved)
{
    *unresolved = false;
    char *own = NULL;
    while (isspace((unsigned char)*value))
        value++;
    if (value[0] == '$' && value[1] == '{') {
        const char *close = strchr(value, '}');
        if (!close) {
            *unresolved = true;
            return -1;
        }
        char *inner = xstrndup(value + 2, (size_t)(close - value - 2));
        char *colon = strchr(inner, ':');
        if (colon)
            *colon = '\0';
        const char *found = lookup(vars, n_vars, inner);
        if (found)
            own = xstrdup(found);
        else if (colon)
            own = xstrdup(colon + 1);
        free(inner);
        if (!own) {
            *unresolved = true;
            return -1;
        }
        value = own;
    }
    char *end;
    long v = strtol(value, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '"' || *end == '\'')
        end++;
    bool ok = end != value && *end == '\0' && v >= -1 && v <= 65535;
    free(own);
    if (!ok) {
        *unresolved = true;
        return -1;
    }
    return (int)v;
}

/* --- server.xml --- */

static char *strip_comments(const char *text, size_t len)
{
    struct strbuf sb = {0};
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *open = memmem(p, (size_t)(end - p), "<!--", 4);
        if (!open) {
            strbuf_append(&sb, p, (size_t)(end - p));
            break;
        }
        strbuf_append(&sb, p, (size_t)(open - p));
        const char *close = memmem(open + 4, (size_t)(end - open - 4), "-->", 3);
        p = close ? close + 3 : end;
    }
    return sb.data ? strbuf_take(&sb) : xstrdup("");
}

/* The value of attribute `name` inside the tag text [tag, end). New string or NULL. */
static char *attribute(const char *tag, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = tag; p + n + 2 < end; p++) {
        if (!isspace((unsigned char)p[-1]) || strncmp(p, name, n) != 0)
            continue;
        const char *q = p + n;
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (q >= end || *q != '=')
            continue;
        q++;
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (q >= end || (*q != '"' && *q != '\''))
            continue;
        char quote = *q++;
        const char *close = memchr(q, quote, (size_t)(end - q));
        if (!close)
            return NULL;
        return xstrndup(q, (size_t)(close - q));
    }
    return NULL;
}

/* Each element named `name` ("<Connector" followed by space): calls fn with its tag text. */
static void each_tag(const char *xml, const char *name,
                     void (*fn)(const char *tag, const char *end, void *ud), void *ud)
{
    size_t n = strlen(name);
    for (const char *p = strstr(xml, name); p; p = strstr(p + n, name)) {
        if (!isspace((unsigned char)p[n]))
            continue;
        const char *end = strchr(p, '>');
        if (!end)
            return;
        fn(p + 1, end, ud);
    }
}

struct xml_ctx {
    const char *file;
    char *const *props;
    size_t n_props;
    struct port_list *out;
    bool server_seen;
};

/* The port of `tag`, which is message `what` with `args` ("HTTP connector"). */
static void port_of_tag(struct xml_ctx *c, const char *tag, const char *end, enum msg_id what_id,
                        const struct msg_arg *args)
{
    char *value = attribute(tag, end, "port");
    if (!value)
        return;
    bool unresolved;
    int port = port_value(value, c->props, c->n_props, &unresolved);
    char *what = msg_render(what_id, LANG_EN, args), *what_zh = msg_render(what_id, LANG_ZH, args);
    if (unresolved)
        add_note(c->out, MSG_NOTE_XML_PORT_UNRESOLVED, MSG_S("file", c->file),
                 MSG_B("what", what, what_zh), MSG_S("value", value));
    else if (port > 0)
        add_port(c->out, port, what, what_zh, c->file);
    free(what);
    free(what_zh);
    free(value);
}

static void on_server(const char *tag, const char *end, void *ud)
{
    struct xml_ctx *c = ud;
    if (c->server_seen)
        return;
    c->server_seen = true;
    port_of_tag(c, tag, end, MSG_PORT_SHUTDOWN, MSG_ARGS(MSG_END)); /* -1 disables it */
}

static void on_connector(const char *tag, const char *end, void *ud)
{
    struct xml_ctx *c = ud;
    char *protocol = attribute(tag, end, "protocol");
    if (!protocol || strncmp(protocol, "HTTP/1.1", 8) == 0 || strstr(protocol, "Http11"))
        port_of_tag(c, tag, end, MSG_PORT_HTTP_CONNECTOR, MSG_ARGS(MSG_END));
    else if (strstr(protocol, "AJP") || strstr(protocol, "Ajp"))
        port_of_tag(c, tag, end, MSG_PORT_AJP_CONNECTOR, MSG_ARGS(MSG_END));
    else
        port_of_tag(c, tag, end, MSG_PORT_CONNECTOR, MSG_ARGS(MSG_S("protocol", protocol)));
    free(protocol);
}

void svcports_server_xml(const char *text, size_t len, const char *file, char *const *props,
                         size_t n_props, struct port_list *out)
{
    char *xml = strip_comments(text, len);
    struct xml_ctx c = {file, props, n_props, out, false};
    each_tag(xml, "<Server", on_server, &c);
    each_tag(xml, "<Connector", on_connector, &c);
    free(xml);
}

/* --- application.properties / .yml --- */

static char *trim_dup(const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    if (e - s >= 2 && (*s == '"' || *s == '\'') && e[-1] == *s) {
        s++;
        e--;
    }
    return xstrndup(s, (size_t)(e - s));
}

static char *properties_value(const char *text, size_t len, const char *key)
{
    size_t klen = strlen(key);
    const char *p = text, *end = text + len;
    char *found = NULL;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        while (s < le && isspace((unsigned char)*s))
            s++;
        if (s < le && *s != '#' && *s != '!' && (size_t)(le - s) > klen &&
            strncmp(s, key, klen) == 0) {
            const char *q = s + klen;
            while (q < le && (*q == ' ' || *q == '\t'))
                q++;
            if (q < le && (*q == '=' || *q == ':')) {
                free(found); /* the last definition wins, as in java.util.Properties */
                found = trim_dup(q + 1, le);
            }
        }
        p = nl ? nl + 1 : end;
    }
    return found;
}

#define YAML_DEPTH_MAX 16

/* Nested keys by indentation; a dotted key on one line ("server.port: 1") works as well. */
static char *yaml_value(const char *text, size_t len, const char *key)
{
    int indents[YAML_DEPTH_MAX];
    char *keys[YAML_DEPTH_MAX];
    int depth = 0;
    const char *p = text, *end = text + len;
    char *found = NULL;
    bool first_line = true;
    while (p < end && !found) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        int indent = 0;
        while (s < le && *s == ' ') {
            s++;
            indent++;
        }
        bool doc_mark = le - s >= 3 && strncmp(s, "---", 3) == 0 && indent == 0;
        if (doc_mark && !first_line)
            break; /* the first document only: later ones are profile-specific */
        first_line = false;
        const char *colon = NULL;
        if (!doc_mark && s < le && *s != '#' && *s != '-')
            for (const char *q = s; q < le; q++)
                if (*q == ':' && (q + 1 == le || isspace((unsigned char)q[1]))) {
                    colon = q;
                    break;
                }
        if (colon) {
            while (depth > 0 && indents[depth - 1] >= indent)
                free(keys[--depth]);
            char *name = trim_dup(s, colon);
            char *value = trim_dup(colon + 1, le);
            char *hash = strstr(value, " #");
            if (hash)
                *hash = '\0';
            struct strbuf full = {0};
            for (int i = 0; i < depth; i++)
                strbuf_printf(&full, "%s.", keys[i]);
            strbuf_puts(&full, name);
            if (value[0] && strcmp(full.data, key) == 0)
                found = trim_dup(value, value + strlen(value));
            strbuf_free(&full);
            free(value);
            if (depth < YAML_DEPTH_MAX) {
                indents[depth] = indent;
                keys[depth++] = name;
            } else {
                free(name);
            }
        }
        p = nl ? nl + 1 : end;
    }
    while (depth > 0)
        free(keys[--depth]);
    return found;
}

char *svcports_config_value(const char *text, size_t len, bool yml, const char *key)
{
    return yml ? yaml_value(text, len, key) : properties_value(text, len, key);
}

/* --- putting the sources together --- */

struct port_key {
    const char *key;  /* the property */
    const char *env;  /* its environment variable (relaxed binding) */
    const char *what; /* for the report */
};

static const struct port_key port_keys[] = {
    {"server.port", "SERVER_PORT", "server.port (Spring Boot)"},
    {"management.server.port", "MANAGEMENT_SERVER_PORT", "management.server.port (Spring Boot)"},
    {"dubbo.protocol.port", "DUBBO_PROTOCOL_PORT", "dubbo.protocol.port (Dubbo)"},
};

static void from_value(struct port_list *out, const struct port_key *k, const char *value,
                       const char *source, char *const *env, size_t n_env)
{
    bool unresolved;
    int port = port_value(value, env, n_env, &unresolved);
    if (unresolved)
        add_note(out, MSG_NOTE_PORT_UNRESOLVED, MSG_S("source", source), MSG_S("key", k->key),
                 MSG_S("value", value));
    else if (port == 0)
        add_note(out, MSG_NOTE_PORT_RANDOM, MSG_S("source", source), MSG_S("key", k->key));
    else if (port > 0)
        add_port(out, port, k->what, NULL, source);
}

/* --- Spring Boot's config data files, in precedence order ---
 *
 * As Spring Boot (2.4 and later) orders them, highest first: profile-specific files outside
 * the jar, plain files outside it, profile-specific files inside it, plain files inside it;
 * within each group the locations by precedence (spring.config.additional-location, then
 * ./config/ and ./, or spring.config.location which replaces those), .properties before
 * .yml. dubbo.properties is Dubbo's own file, read for dubbo.* keys only. */

struct config_file {
    char *source; /* a path, or "app.jar!/BOOT-INF/classes/application.properties" */
    char *text;
    size_t len;
    bool yml;
    bool dubbo_only;
};

struct config_stack {
    struct config_file *items;
    size_t n, cap;
};

static void stack_push(struct config_stack *st, char *source, char *text, size_t len)
{
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    st->items = xgrow(st->items, &st->cap, st->n + 1, sizeof(*st->items));
    st->items[st->n++] = (struct config_file){source, text, len, str_has_suffix(source, "ml"),
                                              strcmp(base, "dubbo.properties") == 0};
}

static void stack_free(struct config_stack *st)
{
    for (size_t i = 0; i < st->n; i++) {
        free(st->items[i].source);
        free(st->items[i].text);
    }
    free(st->items);
    memset(st, 0, sizeof(*st));
}

/* The setting `key` as Spring Boot resolves it before the config files: a --key=value
 * argument, then -Dkey, then the environment variable `env`. */
static const char *early_setting(const struct port_sources *src, const char *key, const char *env)
{
    for (size_t i = src->n_args; i-- > 0;) {
        const char *a = src->args[i];
        size_t len = strlen(key);
        if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, key, len) == 0 && a[2 + len] == '=')
            return a + 3 + len;
    }
    const char *v = lookup(src->props, src->n_props, key);
    return v ? v : lookup(src->env, src->n_env, env);
}

/* Where early_setting() found key `k`, for the report: "--server.port", "-Dserver.port" or
 * the environment variable. New string. */
static char *early_source(const struct port_sources *src, const struct port_key *k)
{
    struct port_sources args_only = {.args = src->args, .n_args = src->n_args};
    if (early_setting(&args_only, k->key, k->env))
        return xasprintf("--%s", k->key);
    if (lookup(src->props, src->n_props, k->key))
        return xasprintf("-D%s", k->key);
    return xstrdup(k->env);
}

/* Where a location or an application file lives: outside the jar, or inside it. */
struct config_place {
    const struct port_sources *src;
    struct jar *jar;  /* the application's jar; NULL when there is none */
    char *jar_prefix; /* "BOOT-INF/classes/", "WEB-INF/classes/" or "" */
};

static void add_outside(struct config_stack *st, const struct config_place *pl, const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    char *host = pl->src->host_path ? pl->src->host_path(pl->src->host_ctx, path) : xstrdup(path);
    char *text;
    size_t len;
    if (host && read_file_capped(host, SVCPORTS_FILE_MAX, &text, &len, NULL) == 0)
        stack_push(st, xstrdup(host), text, len);
    free(host);
}

static void add_inside(struct config_stack *st, const struct config_place *pl, const char *name)
{
    char err[WR_ERR_MAX];
    struct zipdir_entry e;
    while (name[0] == '/')
        name++;
    char *full = xasprintf("%s%s", pl->jar_prefix, name);
    unsigned char *data;
    size_t len;
    if (pl->jar && jar_find(pl->jar, full, &e, err) == 1 &&
        jar_read_entry(pl->jar, &e, SVCPORTS_FILE_MAX, &data, &len, err) == JAR_OK)
        stack_push(st, xasprintf("%s!/%s", pl->src->app_jar, full), (char *)data, len);
    free(full);
}

/* The application files named `stem` (application or application-PROFILE) in directory
 * `dir` of one side, .properties first. */
static void add_stem(struct config_stack *st, const struct config_place *pl, bool inside,
                     const char *dir, const char *stem)
{
    static const char *const exts[] = {".properties", ".yml", ".yaml"};
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t n = strlen(dir);
        char *path = xasprintf("%s%s%s%s", dir, n && dir[n - 1] != '/' ? "/" : "", stem, exts[i]);
        if (inside)
            add_inside(st, pl, path);
        else
            add_outside(st, pl, path);
        free(path);
    }
}

/* The files of one location of spring.config.(additional-)location ("optional:", "file:"
 * and "classpath:" prefixes; a directory ends with '/') on one side: without `profiles` the
 * plain group (a directory's application.*, a file as it is named), with them the
 * directory's application-PROFILE.* files. */
static void add_location(struct config_stack *into, const struct config_place *pl, const char *loc,
                         char **profiles, size_t n_profiles, bool want_inside)
{
    if (strncmp(loc, "optional:", 9) == 0)
        loc += 9;
    bool inside = strncmp(loc, "classpath:", 10) == 0;
    if (inside)
        loc += 10;
    else if (strncmp(loc, "file:", 5) == 0)
        loc += 5;
    if (inside != want_inside || !loc[0] || strchr(loc, '*'))
        return;
    bool dir = str_has_suffix(loc, "/");
    if (!profiles && !dir && inside)
        add_inside(into, pl, loc);
    else if (!profiles && !dir)
        add_outside(into, pl, loc);
    else if (!profiles)
        add_stem(into, pl, inside, loc, "application");
    for (size_t p = dir ? n_profiles : 0; p-- > 0;) { /* the last active profile wins */
        char *stem = xasprintf("application-%s", profiles[p]);
        add_stem(into, pl, inside, loc, stem);
        free(stem);
    }
}

/* Split a comma (or ';') separated list of locations; `out` owns the copies. */
static void split_list(const char *value, char ***out, size_t *n, size_t *cap)
{
    for (const char *p = value; p && *p;) {
        size_t len = strcspn(p, ",;");
        char *item = trim_dup(p, p + len);
        if (item[0])
            strv_push(out, n, cap, item);
        else
            free(item);
        p = p[len] ? p + len + 1 : NULL;
    }
}

/* Every location of one side, highest precedence first. */
static void side_locations(const struct port_sources *src, bool inside, char ***out, size_t *n,
                           size_t *cap)
{
    const char *replace = early_setting(src, "spring.config.location", "SPRING_CONFIG_LOCATION");
    const char *extra =
        early_setting(src, "spring.config.additional-location", "SPRING_CONFIG_ADDITIONALLOCATION");
    char **listed = NULL;
    size_t n_listed = 0, listed_cap = 0;
    split_list(extra, &listed, &n_listed, &listed_cap);
    /* a later location wins over an earlier one */
    for (size_t i = n_listed; i-- > 0;)
        strv_push(out, n, cap, xstrdup(listed[i]));
    strv_free(listed, n_listed);
    listed = NULL;
    n_listed = listed_cap = 0;
    if (replace) {
        split_list(replace, &listed, &n_listed, &listed_cap);
        for (size_t i = n_listed; i-- > 0;)
            strv_push(out, n, cap, xstrdup(listed[i]));
        strv_free(listed, n_listed);
        return;
    }
    if (inside) {
        strv_push(out, n, cap, xstrdup("classpath:/config/"));
        strv_push(out, n, cap, xstrdup("classpath:/"));
        return;
    }
    for (size_t i = 0; i < src->n_config_dirs; i++) {
        const char *dir = src->config_dirs[i];
        size_t len = strlen(dir);
        strv_push(out, n, cap,
                  xasprintf("file:%.*s%s", (int)len, dir, len && dir[len - 1] == '/' ? "" : "/"));
    }
}

/* spring.profiles.active as an argument, -D or the environment, else as the plain files say. */
static void active_profiles(const struct port_sources *src, const struct config_stack plain[2],
                            char ***out, size_t *n, size_t *cap)
{
    const char *v = early_setting(src, "spring.profiles.active", "SPRING_PROFILES_ACTIVE");
    char *from_file = NULL;
    for (size_t i = 0; !v && i < plain[0].n + plain[1].n; i++) {
        const struct config_file *f =
            i < plain[0].n ? &plain[0].items[i] : &plain[1].items[i - plain[0].n];
        if (!f->dubbo_only &&
            (from_file = svcports_config_value(f->text, f->len, f->yml, "spring.profiles.active")))
            v = from_file;
    }
    split_list(v, out, n, cap);
    free(from_file);
}

/* Both sides' files, in precedence order (see above). */
static void load_config_files(const struct port_sources *src, struct config_stack *out)
{
    struct config_place pl = {src, NULL, xstrdup("")};
    char err[WR_ERR_MAX];
    if (src->app_jar && jar_open_file(&pl.jar, src->app_jar, err) == JAR_OK) {
        static const char *const prefixes[] = {"BOOT-INF/classes/", "WEB-INF/classes/"};
        struct zipdir_entry e;
        for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
            if (jar_find(pl.jar, prefixes[i], &e, err) == 1) {
                free(pl.jar_prefix);
                pl.jar_prefix = xstrdup(prefixes[i]);
                break;
            }
    }
    struct config_stack profiled[2] = {{0}}, plain[2] = {{0}};
    char **locs[2] = {NULL, NULL};
    size_t n_locs[2] = {0, 0}, locs_cap[2] = {0, 0};
    for (int side = 0; side < 2; side++) {
        side_locations(src, side == 1, &locs[side], &n_locs[side], &locs_cap[side]);
        for (size_t i = 0; i < n_locs[side]; i++)
            add_location(&plain[side], &pl, locs[side][i], NULL, 0, side == 1);
    }
    /* Dubbo's own dubbo.properties: beside the application files, and at the classpath root. */
    for (size_t i = 0; i < src->n_config_dirs; i++) {
        char *path = path_join(src->config_dirs[i], "dubbo.properties");
        add_outside(&plain[0], &pl, path);
        free(path);
    }
    add_inside(&plain[1], &pl, "dubbo.properties");
    char **profiles = NULL;
    size_t n_profiles = 0, profiles_cap = 0;
    active_profiles(src, plain, &profiles, &n_profiles, &profiles_cap);
    for (int side = 0; side < 2; side++) {
        for (size_t i = 0; n_profiles && i < n_locs[side]; i++)
            add_location(&profiled[side], &pl, locs[side][i], profiles, n_profiles, side == 1);
        strv_free(locs[side], n_locs[side]);
    }
    strv_free(profiles, n_profiles);
    struct config_stack *order[] = {&profiled[0], &plain[0], &profiled[1], &plain[1]};
    for (size_t g = 0; g < 4; g++) {
        for (size_t i = 0; i < order[g]->n; i++)
            stack_push(out, order[g]->items[i].source, order[g]->items[i].text,
                       order[g]->items[i].len);
        free(order[g]->items);
    }
    jar_free(pl.jar);
    free(pl.jar_prefix);
}

/* Look for key `k` in the files, by precedence; true when found. */
static bool from_files(struct port_list *out, const struct port_key *k,
                       const struct config_stack *files, char *const *env, size_t n_env)
{
    bool dubbo_key = strncmp(k->key, "dubbo.", 6) == 0;
    for (size_t i = 0; i < files->n; i++) {
        const struct config_file *f = &files->items[i];
        if (f->dubbo_only && !dubbo_key)
            continue;
        char *value = svcports_config_value(f->text, f->len, f->yml, k->key);
        if (value)
            from_value(out, k, value, f->source, env, n_env);
        free(value);
        if (value)
            return true;
    }
    return false;
}

void svcports_declared(const struct port_sources *src, struct port_list *out)
{
    if (src->server_xml) {
        char *text;
        size_t len;
        if (read_file_capped(src->server_xml, SVCPORTS_FILE_MAX, &text, &len, NULL) == 0) {
            svcports_server_xml(text, len, src->server_xml, src->props, src->n_props, out);
            free(text);
        }
    }
    struct config_stack files = {0};
    load_config_files(src, &files);
    for (size_t i = 0; i < sizeof(port_keys) / sizeof(port_keys[0]); i++) {
        const struct port_key *k = &port_keys[i];
        const char *v = early_setting(src, k->key, k->env);
        if (v) {
            char *source = early_source(src, k);
            from_value(out, k, v, source, src->env, src->n_env);
            free(source);
            continue;
        }
        from_files(out, k, &files, src->env, src->n_env);
    }
    stack_free(&files);
}
