/*
 * svcports.c - declared ports of a service (see svcports.h).
 */
#include "svcports.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procnet.h"
#include "util.h"

void port_list_free(struct port_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].what);
        free(l->items[i].source);
    }
    free(l->items);
    strv_free(l->notes, l->n_notes);
    memset(l, 0, sizeof(*l));
}

static void add_port(struct port_list *l, int port, const char *what, const char *source)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].port == port && strcmp(l->items[i].what, what) == 0)
            return;
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof(*l->items));
    l->items[l->n++] = (struct declared_port){port, xstrdup(what), xstrdup(source)};
}

static void add_note(struct port_list *l, char *note)
{
    strv_push(&l->notes, &l->n_notes, &l->notes_cap, note);
}

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

static void port_of_tag(struct xml_ctx *c, const char *tag, const char *end, const char *what)
{
    char *value = attribute(tag, end, "port");
    if (!value)
        return;
    bool unresolved;
    int port = port_value(value, c->props, c->n_props, &unresolved);
    if (unresolved)
        add_note(c->out,
                 xasprintf("%s: %s port=\"%s\" could not be resolved", c->file, what, value));
    else if (port > 0)
        add_port(c->out, port, what, c->file);
    free(value);
}

static void on_server(const char *tag, const char *end, void *ud)
{
    struct xml_ctx *c = ud;
    if (c->server_seen)
        return;
    c->server_seen = true;
    port_of_tag(c, tag, end, "shutdown port"); /* -1 disables it: no port then */
}

static void on_connector(const char *tag, const char *end, void *ud)
{
    struct xml_ctx *c = ud;
    char *protocol = attribute(tag, end, "protocol");
    char *what;
    if (!protocol || strncmp(protocol, "HTTP/1.1", 8) == 0 || strstr(protocol, "Http11"))
        what = xstrdup("HTTP connector");
    else if (strstr(protocol, "AJP") || strstr(protocol, "Ajp"))
        what = xstrdup("AJP connector");
    else
        what = xasprintf("%s connector", protocol);
    port_of_tag(c, tag, end, what);
    free(what);
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
        add_note(out, xasprintf("%s: %s=%s could not be resolved", source, k->key, value));
    else if (port == 0)
        add_note(out, xasprintf("%s: %s=0, a random port", source, k->key));
    else if (port > 0)
        add_port(out, port, k->what, source);
}

/* Look for key `k` in the application files of `dir`; true when found. */
static bool from_files(struct port_list *out, const struct port_key *k, const char *dir,
                       char *const *env, size_t n_env)
{
    static const char *const names[] = {"application.properties", "application.yml",
                                        "application.yaml", "dubbo.properties"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (i == 3 && strncmp(k->key, "dubbo.", 6) != 0)
            continue;
        char *path = path_join(dir, names[i]);
        char *text;
        size_t len;
        bool found = false;
        if (read_file_capped(path, SVCPORTS_FILE_MAX, &text, &len, NULL) == 0) {
            char *value = svcports_config_value(text, len, str_has_suffix(names[i], "ml"), k->key);
            if (value) {
                from_value(out, k, value, path, env, n_env);
                found = true;
            }
            free(value);
            free(text);
        }
        free(path);
        if (found)
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
    for (size_t i = 0; i < sizeof(port_keys) / sizeof(port_keys[0]); i++) {
        const struct port_key *k = &port_keys[i];
        const char *v = lookup(src->props, src->n_props, k->key);
        if (v) {
            char *source = xasprintf("-D%s", k->key);
            from_value(out, k, v, source, src->env, src->n_env);
            free(source);
            continue;
        }
        v = lookup(src->env, src->n_env, k->env);
        if (v) {
            from_value(out, k, v, k->env, src->env, src->n_env);
            continue;
        }
        for (size_t d = 0; d < src->n_config_dirs; d++)
            if (from_files(out, k, src->config_dirs[d], src->env, src->n_env))
                break;
    }
}
