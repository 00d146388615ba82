/*
 * logconf.c - declared log files of logback and log4j configurations (see
 * logconf.h). The formats are read with string searches, not an XML parser:
 * only a handful of attributes matter, and a configuration wrench cannot
 * understand costs a missed log, never a wrong finding.
 */
#include "logconf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expand.h"
#include "jar.h"
#include "util.h"

const char *const logconf_names[] = {
    "logback.xml",       "logback-spring.xml", "log4j2.xml", "log4j2-spring.xml",
    "log4j2.properties", "log4j.properties",   "log4j.xml",  NULL};

/* The value of attribute `attr` in the tag text[0..len), new string or NULL. */
static char *attribute(const char *tag, size_t len, const char *attr)
{
    size_t alen = strlen(attr);
    for (const char *p = tag; (p = memmem(p, len - (size_t)(p - tag), attr, alen)); p += alen) {
        const char *q = p + alen;
        if ((p > tag && (p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n')) || q >= tag + len)
            continue;
        while (q < tag + len && (*q == ' ' || *q == '\t'))
            q++;
        if (q >= tag + len || *q != '=')
            continue;
        q++;
        while (q < tag + len && (*q == ' ' || *q == '\t'))
            q++;
        if (q >= tag + len || (*q != '"' && *q != '\''))
            continue;
        const char *end = memchr(q + 1, *q, len - (size_t)(q + 1 - tag));
        if (end)
            return xstrndup(q + 1, (size_t)(end - q - 1));
    }
    return NULL;
}

/* Every tag named `name` in the XML text: calls fn with the tag's attributes and, for
 * <name>body</name>, its body. */
static void each_tag(const char *text, size_t len, const char *name,
                     void (*fn)(const char *attrs, size_t attrs_len, const char *body,
                                size_t body_len, void *ud),
                     void *ud)
{
    char open[64];
    snprintf(open, sizeof(open), "<%s", name);
    size_t olen = strlen(open);
    const char *end = text + len;
    for (const char *p = text; (p = memmem(p, (size_t)(end - p), open, olen)); p += olen) {
        const char *after = p + olen;
        if (after >= end ||
            !(*after == ' ' || *after == '>' || *after == '/' || *after == '\n' || *after == '\t'))
            continue; /* <fileNamePattern> is not <file> */
        const char *close = memchr(after, '>', (size_t)(end - after));
        if (!close)
            return;
        const char *body = close + 1, *body_end = body;
        if (close[-1] != '/') {
            char closing[64];
            snprintf(closing, sizeof(closing), "</%s>", name);
            const char *c = memmem(body, (size_t)(end - body), closing, strlen(closing));
            body_end = c ? c : body;
        }
        fn(after, (size_t)(close - after), body, (size_t)(body_end - body), ud);
    }
}

struct collect {
    char ***out;
    size_t *n, *cap;
    char ***props;
    size_t *n_props, *props_cap;
};

static void trimmed_push(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++, len--;
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len)
        strv_push(v, n, cap, xstrndup(s, len));
}

static void on_file_tag(const char *attrs, size_t alen, const char *body, size_t blen, void *ud)
{
    (void)attrs, (void)alen;
    struct collect *c = ud;
    trimmed_push(c->out, c->n, c->cap, body, blen);
}

static void on_filename_attr(const char *attrs, size_t alen, const char *body, size_t blen,
                             void *ud)
{
    (void)body, (void)blen;
    struct collect *c = ud;
    char *v = attribute(attrs, alen, "fileName");
    if (v)
        strv_push(c->out, c->n, c->cap, v);
}

/* logback <property name="X" value="Y"/> and log4j2 <Property name="X">Y</Property>. */
static void on_property(const char *attrs, size_t alen, const char *body, size_t blen, void *ud)
{
    struct collect *c = ud;
    char *name = attribute(attrs, alen, "name");
    if (!name)
        return;
    char *value = attribute(attrs, alen, "value");
    if (!value)
        value = xstrndup(body, blen);
    strv_push(c->props, c->n_props, c->props_cap, xasprintf("%s=%s", name, value));
    free(name);
    free(value);
}

/* Properties formats: log4j 1 "log4j.appender.X.File", log4j2 "appender.X.fileName" and
 * "property.X". Values are taken as written (no escapes are used in paths). */
static void properties_files(const char *text, size_t len, struct collect *c)
{
    const char *end = text + len;
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
        const char *sep = memchr(line, '=', n);
        if (sep && line[0] != '#' && line[0] != '!') {
            char *key = xstrndup(line, (size_t)(sep - line));
            size_t klen = strlen(key);
            while (klen && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
                key[--klen] = '\0';
            const char *v = sep + 1;
            size_t vlen = n - (size_t)(v - line);
            if (str_has_prefix(key, "log4j.appender.") && str_has_suffix(key, ".File"))
                trimmed_push(c->out, c->n, c->cap, v, vlen);
            else if (str_has_prefix(key, "appender.") && str_has_suffix(key, ".fileName"))
                trimmed_push(c->out, c->n, c->cap, v, vlen);
            else if (str_has_prefix(key, "property.")) {
                char *value = xstrndup(v, vlen);
                char *trim = value;
                while (*trim == ' ' || *trim == '\t')
                    trim++;
                size_t tl = strlen(trim);
                while (tl && (trim[tl - 1] == ' ' || trim[tl - 1] == '\r'))
                    trim[--tl] = '\0';
                strv_push(c->props, c->n_props, c->props_cap,
                          xasprintf("%s=%s", key + strlen("property."), trim));
                free(value);
            }
            free(key);
        }
        line += n + 1;
    }
}

static void declared_with_props(const char *name, const char *text, size_t len, char ***out,
                                size_t *n, size_t *cap, char ***props, size_t *n_props,
                                size_t *props_cap)
{
    struct collect c = {out, n, cap, props, n_props, props_cap};
    if (str_has_suffix(name, ".properties")) {
        properties_files(text, len, &c);
        return;
    }
    each_tag(text, len, "property", on_property, &c); /* logback */
    each_tag(text, len, "Property", on_property, &c); /* log4j2 */
    each_tag(text, len, "file", on_file_tag, &c);     /* logback appenders */
    each_tag(text, len, "File", on_filename_attr, &c);
    each_tag(text, len, "RollingFile", on_filename_attr, &c);
    each_tag(text, len, "RandomAccessFile", on_filename_attr, &c);
    each_tag(text, len, "RollingRandomAccessFile", on_filename_attr, &c);
    if (str_has_suffix(name, "log4j.xml")) { /* log4j 1: <param name="File" value="..."/> */
        const char *p = text, *end = text + len;
        while ((p = memmem(p, (size_t)(end - p), "name=\"File\"", 11))) {
            const char *close = memchr(p, '>', (size_t)(end - p));
            const char *start = p;
            while (start > text && *start != '<')
                start--;
            if (!close)
                break;
            char *v = attribute(start, (size_t)(close - start), "value");
            if (v)
                strv_push(out, n, cap, v);
            p = close;
        }
    }
}

void logconf_declared(const char *name, const char *text, size_t len, char ***out, size_t *n,
                      size_t *cap)
{
    char **props = NULL;
    size_t n_props = 0, props_cap = 0;
    declared_with_props(name, text, len, out, n, cap, &props, &n_props, &props_cap);
    strv_free(props, n_props);
}

static const char *lookup(const char *name, char *const *items, size_t n)
{
    size_t len = strlen(name);
    for (size_t i = n; i-- > 0;) /* the last definition wins */
        if (strncmp(items[i], name, len) == 0 && items[i][len] == '=')
            return items[i] + len + 1;
    return NULL;
}

/* Where a logging configuration's variables come from, first to last. */
struct var_sources {
    char *const *props;
    size_t n_props;
    const struct logconf_vars *vars;
};

static const char *var_value(const char *name, void *ud)
{
    const struct var_sources *src = ud;
    const char *value = lookup(name, src->props, src->n_props);
    if (!value && src->vars)
        value = lookup(name, src->vars->items, src->vars->n);
    return value ? value : getenv(name);
}

char *logconf_resolve(const char *s, char *const *props, size_t n_props,
                      const struct logconf_vars *vars)
{
    struct var_sources src = {props, n_props, vars};
    return expand_vars(s, var_value, &src, EXPAND_FAIL);
}

/* The configuration text of resource `name` in entry `e`; new NUL-terminated buffer. */
static char *read_resource(const struct cp_entry *e, const char *name, size_t *len)
{
    char err[WR_ERR_MAX];
    if (e->kind == ENTRY_DIR) {
        char *path = path_join(e->path, name), *buf;
        int rc = read_file_capped(path, LOGCONF_MAX_BYTES, &buf, len, NULL);
        free(path);
        return rc == 0 ? buf : NULL;
    }
    const char *file = e->kind == ENTRY_JAR ? e->path : e->archive;
    char *inner = e->kind == ENTRY_ARCHIVE_DIR ? xasprintf("%s%s", e->inner, name) : xstrdup(name);
    struct jar *jar = NULL, *nested = NULL;
    unsigned char *data = NULL;
    struct zipdir_entry ze;
    if (!file || jar_open_file(&jar, file, err) != JAR_OK)
        goto out;
    const struct jar *from = jar;
    if (e->kind == ENTRY_NESTED_JAR) {
        if (jar_find(jar, e->inner, &ze, err) != 1 ||
            jar_open_nested(&nested, jar, &ze, e->path, err) != JAR_OK)
            goto out;
        from = nested;
    }
    if (jar_find(from, inner, &ze, err) == 1)
        jar_read_entry(from, &ze, LOGCONF_MAX_BYTES, &data, len, err);
out:
    jar_free(nested);
    jar_free(jar);
    free(inner);
    return (char *)data;
}

static bool is_config_name(const char *name)
{
    for (size_t i = 0; logconf_names[i]; i++)
        if (strcmp(name, logconf_names[i]) == 0)
            return true;
    return false;
}

static void add_path(char ***paths, size_t *n, size_t *cap, const char *path)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*paths)[i], path) == 0)
            return;
    strv_push(paths, n, cap, xstrdup(path));
}

static void from_config(struct scan *scan, const struct cp_entry *e, const char *name,
                        const struct logconf_vars *vars, char ***paths, size_t *n, size_t *cap)
{
    size_t len = 0;
    char *text = read_resource(e, name, &len);
    if (!text)
        return;
    char **declared = NULL, **props = NULL;
    size_t n_declared = 0, declared_cap = 0, n_props = 0, props_cap = 0;
    declared_with_props(name, text, len, &declared, &n_declared, &declared_cap, &props, &n_props,
                        &props_cap);
    for (size_t i = 0; i < n_declared; i++) {
        char *path = logconf_resolve(declared[i], props, n_props, vars);
        struct stat st;
        if (!path) {
            char *msg = xasprintf("%s declares the log file %s, whose variables have no value "
                                  "here; not read",
                                  name, declared[i]);
            scan_add_problem(scan, SEV_INFO, e->path, msg);
            free(msg);
        } else if (path[0] == '/' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            add_path(paths, n, cap, path);
        }
        free(path);
    }
    strv_free(declared, n_declared);
    strv_free(props, n_props);
    free(text);
}

void logconf_find_logs(struct scan *scan, const struct logconf_vars *vars, char ***paths, size_t *n,
                       size_t *cap)
{
    for (size_t v = 0; v < scan->n_views; v++) {
        const struct cp_view *view = &scan->views[v];
        for (size_t i = 0; i < view->n_resources; i++)
            if (is_config_name(view->resources[i].name))
                from_config(scan, &view->entries[view->resources[i].entry], view->resources[i].name,
                            vars, paths, n, cap);
    }
}
