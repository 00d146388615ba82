/*
 * tomcatlayout.c - a Tomcat service's own layout: the Host's appBase in conf/server.xml,
 * the webapps under it, and common.loader in conf/catalina.properties (Java properties,
 * ${} expansion, Tomcat's splitting of the value), as a classpath string. See
 * tomcatlayout.h.
 */
#include "tomcatlayout.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expand.h"
#include "props.h"
#include "svcconfig.h"
#include "svcconfig_internal.h"
#include "util.h"

#define TOMCAT_DEFAULT_APP_BASE "webapps"
#define TOMCAT_DEFAULT_COMMON_LOADER                                                               \
    "\"${catalina.base}/lib\",\"${catalina.base}/lib/*.jar\",\"${catalina.home}/lib\","            \
    "\"${catalina.home}/lib/*.jar\""

/* ---- Java properties and ${} ---- */

char *svcconfig_property(const char *text, size_t len, const char *key)
{
    return props_get(text, len, key);
}

/* The variables of svcconfig_expand(): name/value pairs. */
struct var_pairs {
    const char *const *vars;
    size_t n_pairs;
};

static const char *pair_value(const char *name, void *ud)
{
    const struct var_pairs *p = ud;
    for (size_t i = p->n_pairs; i-- > 0;) /* the last definition wins */
        if (p->vars[2 * i] && p->vars[2 * i + 1] && strcmp(p->vars[2 * i], name) == 0)
            return p->vars[2 * i + 1];
    return NULL;
}

char *svcconfig_expand(const char *s, const char *const *vars, size_t n_pairs)
{
    struct var_pairs pairs = {vars, n_pairs};
    return expand_vars(s, pair_value, &pairs, EXPAND_KEEP);
}

void svcconfig_split_loader(const char *value, char ***items, size_t *n, size_t *cap)
{
    const char *p = value;
    while (*p) {
        struct strbuf item = {0};
        bool quoted = false;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (end) {
                strbuf_append(&item, p + 1, (size_t)(end - p - 1));
                p = end + 1;
                quoted = true;
            }
        }
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (!quoted) {
            while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
                len--;
            strbuf_append(&item, p, len);
        }
        if (item.len > 0)
            strv_push(items, n, cap, strbuf_take(&item));
        strbuf_free(&item);
        if (!comma)
            break;
        p = comma + 1;
    }
}

/* ---- Tomcat ---- */

/* server.xml without its comments (a commented-out Host must not count). */
static char *strip_xml_comments(const char *text)
{
    struct strbuf sb = {0};
    const char *p = text;
    for (;;) {
        const char *c = strstr(p, "<!--");
        if (!c) {
            strbuf_puts(&sb, p);
            break;
        }
        strbuf_append(&sb, p, (size_t)(c - p));
        const char *e = strstr(c + 4, "-->");
        if (!e)
            break;
        p = e + 3;
    }
    return strbuf_take(&sb);
}

/* The appBase attributes of the <Host> elements; returns how many Hosts. */
static size_t hosts_app_base(const char *xml, char **first_app_base)
{
    size_t hosts = 0;
    *first_app_base = NULL;
    for (const char *p = xml; (p = strstr(p, "<Host")) != NULL; p += 5) {
        char after = p[5];
        if (!(after == ' ' || after == '\t' || after == '\n' || after == '\r' || after == '>' ||
              after == '/'))
            continue;
        hosts++;
        const char *end = strchr(p, '>');
        if (!end || hosts > 1)
            continue;
        for (const char *a = p + 5; a < end; a++) {
            if (strncmp(a, "appBase", 7) != 0 || !strchr(" \t\r\n", a[-1]))
                continue;
            const char *q = a + 7;
            while (q < end && strchr(" \t\r\n", *q))
                q++;
            if (q >= end || *q != '=')
                continue;
            q++;
            while (q < end && strchr(" \t\r\n", *q))
                q++;
            if (q >= end || (*q != '"' && *q != '\''))
                continue;
            const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
            if (!close)
                continue;
            *first_app_base = xstrndup(q + 1, (size_t)(close - q - 1));
            break;
        }
    }
    return hosts;
}

static void list_webapps(const char *root, struct svc_service *s, struct svc_discovery *d)
{
    char *host = svcconfig_host_path(root, s->app_base);
    char **names;
    size_t n;
    bool more;
    if (dir_list_sorted(host, SVCCONFIG_WEBAPPS_MAX, NULL, NULL, &names, &n, &more) != 0) {
        svc_note(d, MSG_DISC_CANNOT_LIST_APP_BASE, MSG_S("service", s->name),
                 MSG_S("dir", s->app_base), MSG_S("error", strerror(errno)));
        free(host);
        return;
    }
    if (more)
        svc_note(d, MSG_DISC_TOO_MANY_WEBAPPS, MSG_S("service", s->name),
                 MSG_N("max", SVCCONFIG_WEBAPPS_MAX), MSG_S("dir", s->app_base));
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(s->app_base, names[i]);
        bool is_dir = svc_host_exists(root, path, true);
        bool is_war = !is_dir && str_has_suffix_nocase(names[i], ".war") &&
                      svc_host_exists(root, path, false);
        if (is_war) {
            /* Tomcat runs foo/ once it has expanded foo.war: list the webapp once. */
            char *stem = xstrndup(path, strlen(path) - 4);
            if (svc_host_exists(root, stem, true))
                is_war = false;
            free(stem);
        }
        if (is_dir || is_war)
            strv_push(&s->webapps, &s->n_webapps, &s->webapps_cap, path);
        else
            free(path);
    }
    strv_free(names, n);
    free(host);
}

void svcconfig_tomcat_layout(const char *root, struct svc_service *s, struct svc_discovery *d)
{
    if (s->kind != SVC_TOMCAT || !s->catalina_base)
        return;
    const char *home = s->catalina_home ? s->catalina_home : s->catalina_base;
    const char *vars[] = {"catalina.base", s->catalina_base, "catalina.home", home};
    char *rel = path_join(s->catalina_base, "conf/server.xml");
    char *host = svcconfig_host_path(root, rel);
    char *text = NULL, *app_base = NULL;
    size_t len;
    if (svc_read_file(host, &text, &len) == 0) {
        char *xml = strip_xml_comments(text);
        size_t hosts = hosts_app_base(xml, &app_base);
        if (hosts == 0)
            svc_note(d, MSG_DISC_NO_HOST, MSG_S("service", s->name), MSG_S("file", rel),
                     MSG_S("app_base", TOMCAT_DEFAULT_APP_BASE));
        else if (hosts > 1)
            svc_note(d, MSG_DISC_SEVERAL_HOSTS, MSG_S("service", s->name), MSG_S("file", rel),
                     MSG_N("n", hosts));
        if (app_base && strchr(app_base, '&'))
            svc_note(d, MSG_DISC_APP_BASE_ENTITIES, MSG_S("service", s->name),
                     MSG_S("app_base", app_base));
        free(xml);
    } else {
        svc_note(d, MSG_DISC_CANNOT_READ_SERVER_XML, MSG_S("service", s->name), MSG_S("file", rel),
                 MSG_S("error", strerror(errno)), MSG_S("app_base", TOMCAT_DEFAULT_APP_BASE));
    }
    char *expanded = svcconfig_expand(app_base ? app_base : TOMCAT_DEFAULT_APP_BASE, vars, 2);
    free(s->app_base);
    s->app_base = expanded[0] == '/' ? xstrdup(expanded) : path_join(s->catalina_base, expanded);
    free(expanded);
    free(app_base);
    free(text);
    free(host);
    free(rel);
    list_webapps(root, s, d);

    rel = path_join(s->catalina_base, "conf/catalina.properties");
    host = svcconfig_host_path(root, rel);
    char *loader = NULL;
    text = NULL;
    if (svc_read_file(host, &text, &len) == 0) {
        loader = svcconfig_property(text, len, "common.loader");
        if (!loader)
            svc_note(d, MSG_DISC_NO_COMMON_LOADER, MSG_S("service", s->name), MSG_S("file", rel));
    } else if (errno != ENOENT) {
        svc_note(d, MSG_DISC_CANNOT_READ_CATALINA_PROPERTIES, MSG_S("service", s->name),
                 MSG_S("file", rel), MSG_S("error", strerror(errno)));
    }
    char **items = NULL;
    size_t n = 0, cap = 0;
    svcconfig_split_loader(loader ? loader : TOMCAT_DEFAULT_COMMON_LOADER, &items, &n, &cap);
    for (size_t i = 0; i < n; i++) {
        char *e = svcconfig_expand(items[i], vars, 2);
        if (strstr(e, "${"))
            svc_note(d, MSG_DISC_UNKNOWN_PROPERTY, MSG_S("service", s->name), MSG_S("item", e));
        strv_push(&s->common_loader, &s->n_common_loader, &s->common_loader_cap, e);
    }
    strv_free(items, n);
    free(loader);
    free(text);
    free(host);
    free(rel);
}

char *svcconfig_common_loader_classpath(const char *root, const struct svc_service *s)
{
    if (s->n_common_loader == 0)
        return NULL;
    struct strbuf sb = {0};
    for (size_t i = 0; i < s->n_common_loader; i++) {
        const char *item = s->common_loader[i];
        if (strstr(item, "${") || item[0] != '/')
            continue; /* unknown property or relative: Tomcat would not find it either */
        char *h;
        if (str_has_suffix(item, "/*.jar")) {
            char *dir = xstrndup(item, strlen(item) - strlen("*.jar"));
            char *hd = svcconfig_host_path(root, dir);
            h = xasprintf("%s*", hd);
            free(hd);
            free(dir);
        } else {
            h = svcconfig_host_path(root, item);
        }
        if (sb.len)
            strbuf_puts(&sb, ":");
        strbuf_puts(&sb, h);
        free(h);
    }
    return sb.len ? strbuf_take(&sb) : (strbuf_free(&sb), NULL);
}
