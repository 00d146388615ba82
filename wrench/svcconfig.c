/*
 * svcconfig.c - services from the config file, the environment and the
 * conventional places, and Tomcat's appBase and common.loader; see svcconfig.h.
 */
#include "svcconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expand.h"
#include "jar.h"
#include "manifest.h"
#include "props.h"
#include "util.h"

#define MANIFEST_MAX (1024 * 1024) /* bytes of a MANIFEST.MF read to classify a jar */
#define TOMCAT_DEFAULT_APP_BASE "webapps"
#define TOMCAT_DEFAULT_COMMON_LOADER                                                               \
    "\"${catalina.base}/lib\",\"${catalina.base}/lib/*.jar\",\"${catalina.home}/lib\","            \
    "\"${catalina.home}/lib/*.jar\""

static const char *const kind_names[] = {"tomcat", "spring-boot", "jar", "classpath", "war"};
#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *svc_kind_name(enum svc_kind kind)
{
    return (size_t)kind < N_KINDS ? kind_names[kind] : "unknown";
}

int svc_kind_parse(const char *name, enum svc_kind *out)
{
    for (size_t i = 0; i < N_KINDS; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (enum svc_kind)i;
            return 0;
        }
    }
    return -1;
}

static void d_note(struct svc_discovery *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void d_note(struct svc_discovery *d, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    strv_vpushf(&d->notes, &d->n_notes, &d->notes_cap, fmt, ap);
    va_end(ap);
}

static void d_not_found(struct svc_discovery *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void d_not_found(struct svc_discovery *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strv_vpushf(&d->not_found, &d->n_not_found, &d->not_found_cap, fmt, ap);
    va_end(ap);
}

static void evidence(struct svc_service *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void evidence(struct svc_service *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strv_vpushf(&s->evidence, &s->n_evidence, &s->evidence_cap, fmt, ap);
    va_end(ap);
}

char *svcconfig_host_path(const char *root, const char *path)
{
    if (!root || !*root || strcmp(root, "/") == 0)
        return xstrdup(path);
    size_t n = strlen(root);
    if (root[n - 1] == '/')
        n--;
    return xasprintf("%.*s%s%s", (int)n, root, path[0] == '/' ? "" : "/", path);
}

static bool host_exists(const char *root, const char *path, bool want_dir)
{
    char *h = svcconfig_host_path(root, path);
    struct stat st;
    bool ok = stat(h, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
    free(h);
    return ok;
}

/* Read a whole regular file of at most SVCCONFIG_FILE_MAX bytes. 0, or -1 with errno
 * (EFBIG when larger; EISDIR or EINVAL when not a regular file, which could block). */
static int read_file(const char *path, char **out, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    bool larger;
    if (read_file_capped(path, SVCCONFIG_FILE_MAX, out, len, &larger) != 0)
        return -1;
    if (larger) {
        free(*out);
        *out = NULL;
        errno = EFBIG;
        return -1;
    }
    return 0;
}

static struct svc_service *add_service(struct svc_discovery *d, const char *name,
                                       enum svc_kind kind, const char *origin)
{
    d->services = xgrow(d->services, &d->cap, d->n + 1, sizeof(*d->services));
    struct svc_service *s = &d->services[d->n++];
    memset(s, 0, sizeof(*s));
    s->name = xstrdup(name);
    s->kind = kind;
    s->origin = xstrdup(origin);
    return s;
}

/* ---- the config file ---- */

struct cfg_ctx {
    const char *file;
    char *err;
};

static int cfg_fail(struct cfg_ctx *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int cfg_fail(struct cfg_ctx *c, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    err_set(c->err, "%s: %s: %s", c->file, field, msg);
    free(msg);
    return -1;
}

/* The path keys each kind takes; the first is required unless noted. */
static bool kind_takes(enum svc_kind kind, const char *key)
{
    switch (kind) {
    case SVC_TOMCAT:
        return strcmp(key, "catalina_base") == 0 || strcmp(key, "catalina_home") == 0;
    case SVC_SPRING_BOOT:
    case SVC_JAR:
        return strcmp(key, "jar") == 0;
    case SVC_CLASSPATH:
        return strcmp(key, "classpath") == 0;
    case SVC_WAR:
        return strcmp(key, "war") == 0;
    }
    return false;
}

static int cfg_service(struct cfg_ctx *c, json_t *js, size_t idx, struct svc_discovery *tmp)
{
    char field[128];
    snprintf(field, sizeof(field), "services[%zu]", idx);
    if (!json_is_object(js))
        return cfg_fail(c, field, "expected an object");
    const char *key;
    json_t *val;
    json_object_foreach(js, key, val)
    {
        if (strcmp(key, "name") && strcmp(key, "kind") && strcmp(key, "paths") &&
            strcmp(key, "logs"))
            return cfg_fail(c, field, "unknown key '%s' (expected name, kind, paths, logs)", key);
    }
    json_t *jname = json_object_get(js, "name");
    snprintf(field, sizeof(field), "services[%zu].name", idx);
    if (!jname)
        return cfg_fail(c, field, "missing");
    if (!json_is_string(jname) || json_string_length(jname) == 0)
        return cfg_fail(c, field, "expected a non-empty string");
    const char *name = json_string_value(jname);
    for (size_t i = 0; i < tmp->n; i++)
        if (strcmp(tmp->services[i].name, name) == 0)
            return cfg_fail(c, field, "'%s' is already the name of services[%zu]", name, i);
    json_t *jkind = json_object_get(js, "kind");
    snprintf(field, sizeof(field), "services[%zu].kind", idx);
    enum svc_kind kind;
    if (!jkind)
        return cfg_fail(c, field, "missing");
    if (!json_is_string(jkind) || svc_kind_parse(json_string_value(jkind), &kind) != 0)
        return cfg_fail(c, field, "expected one of tomcat, spring-boot, jar, classpath, war");
    json_t *jpaths = json_object_get(js, "paths");
    snprintf(field, sizeof(field), "services[%zu].paths", idx);
    if (!jpaths)
        return cfg_fail(c, field, "missing");
    if (!json_is_object(jpaths))
        return cfg_fail(c, field, "expected an object");
    json_object_foreach(jpaths, key, val)
    {
        snprintf(field, sizeof(field), "services[%zu].paths.%.40s", idx, key);
        if (!kind_takes(kind, key))
            return cfg_fail(c, field, "a %s service takes no such path", svc_kind_name(kind));
        if (!json_is_string(val) || json_string_length(val) == 0)
            return cfg_fail(c, field, "expected a non-empty string");
        if (strcmp(key, "classpath") != 0 && json_string_value(val)[0] != '/')
            return cfg_fail(c, field, "must be an absolute path");
    }
    const char *base = json_string_value(json_object_get(jpaths, "catalina_base"));
    const char *home = json_string_value(json_object_get(jpaths, "catalina_home"));
    const char *jar = json_string_value(json_object_get(jpaths, "jar"));
    const char *cp = json_string_value(json_object_get(jpaths, "classpath"));
    const char *war = json_string_value(json_object_get(jpaths, "war"));
    snprintf(field, sizeof(field), "services[%zu].paths", idx);
    if (kind == SVC_TOMCAT && !base && !home)
        return cfg_fail(c, field, "a tomcat service needs catalina_base or catalina_home");
    if ((kind == SVC_JAR || kind == SVC_SPRING_BOOT) && !jar)
        return cfg_fail(c, field, "a %s service needs jar", svc_kind_name(kind));
    if (kind == SVC_CLASSPATH && !cp)
        return cfg_fail(c, field, "a classpath service needs classpath");
    if (kind == SVC_WAR && !war)
        return cfg_fail(c, field, "a war service needs war");
    json_t *jlogs = json_object_get(js, "logs");
    snprintf(field, sizeof(field), "services[%zu].logs", idx);
    if (jlogs && !json_is_array(jlogs))
        return cfg_fail(c, field, "expected an array of glob patterns");
    size_t i;
    json_array_foreach(jlogs, i, val)
    {
        snprintf(field, sizeof(field), "services[%zu].logs[%zu]", idx, i);
        if (!json_is_string(val) || json_string_value(val)[0] != '/')
            return cfg_fail(c, field, "expected an absolute path or glob pattern");
    }

    char *origin = xasprintf("config %s", c->file);
    struct svc_service *s = add_service(tmp, name, kind, origin);
    free(origin);
    s->catalina_base = base ? xstrdup(base) : home ? xstrdup(home) : NULL;
    s->catalina_home = home ? xstrdup(home) : base ? xstrdup(base) : NULL;
    s->jar = jar ? xstrdup(jar) : NULL;
    s->classpath = cp ? xstrdup(cp) : NULL;
    s->war = war ? xstrdup(war) : NULL;
    json_array_foreach(jlogs, i, val)
    {
        strv_push(&s->logs, &s->n_logs, &s->logs_cap, xstrdup(json_string_value(val)));
    }
    evidence(s, "declared in %s as services[%zu]", c->file, idx);
    return 0;
}

int svcconfig_parse(const char *text, size_t len, const char *file, struct svc_discovery *out,
                    char *err)
{
    struct cfg_ctx c = {file, err};
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        err_set(err, "%s: line %d, column %d: %s", file, jerr.line, jerr.column, jerr.text);
        return -1;
    }
    struct svc_discovery tmp;
    memset(&tmp, 0, sizeof(tmp));
    int rc = -1;
    if (!json_is_object(root)) {
        cfg_fail(&c, "top level", "expected an object with \"services\"");
        goto out;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        if (strcmp(key, "services") != 0) {
            cfg_fail(&c, "top level", "unknown key '%s' (expected services)", key);
            goto out;
        }
    }
    json_t *services = json_object_get(root, "services");
    if (!services) {
        cfg_fail(&c, "services", "missing");
        goto out;
    }
    if (!json_is_array(services)) {
        cfg_fail(&c, "services", "expected an array");
        goto out;
    }
    size_t i;
    json_array_foreach(services, i, val)
    {
        if (cfg_service(&c, val, i, &tmp) != 0)
            goto out;
    }
    for (i = 0; i < tmp.n; i++) {
        out->services = xgrow(out->services, &out->cap, out->n + 1, sizeof(*out->services));
        out->services[out->n++] = tmp.services[i];
    }
    tmp.n = 0;
    rc = 0;
out:
    svc_discovery_free(&tmp);
    json_decref(root);
    return rc;
}

int svcconfig_load(const char *root, const char *path, struct svc_discovery *out, char *err)
{
    char *host = svcconfig_host_path(root, path);
    char *text = NULL;
    size_t len;
    int rc;
    if (read_file(host, &text, &len) != 0) {
        if (errno == ENOENT) {
            rc = 0;
        } else {
            err_set(err, "%s: %s", path, errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
            rc = -1;
        }
        goto out;
    }
    rc = svcconfig_parse(text, len, path, out, err) == 0 ? 1 : -1;
    if (rc == 1) {
        free(out->config_file);
        out->config_file = xstrdup(path);
    }
out:
    free(text);
    free(host);
    return rc;
}

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
        d_note(d, "%s: cannot list appBase %s: %s", s->name, s->app_base, strerror(errno));
        free(host);
        return;
    }
    if (more)
        d_note(d, "%s: more than %d entries in %s; the rest were not listed", s->name,
               SVCCONFIG_WEBAPPS_MAX, s->app_base);
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(s->app_base, names[i]);
        bool is_dir = host_exists(root, path, true);
        bool is_war =
            !is_dir && str_has_suffix_nocase(names[i], ".war") && host_exists(root, path, false);
        if (is_war) {
            /* Tomcat runs foo/ once it has expanded foo.war: list the webapp once. */
            char *stem = xstrndup(path, strlen(path) - 4);
            if (host_exists(root, stem, true))
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
    if (read_file(host, &text, &len) == 0) {
        char *xml = strip_xml_comments(text);
        size_t hosts = hosts_app_base(xml, &app_base);
        if (hosts == 0)
            d_note(d, "%s: no <Host> in %s; assuming appBase \"%s\"", s->name, rel,
                   TOMCAT_DEFAULT_APP_BASE);
        else if (hosts > 1)
            d_note(d, "%s: %s has %zu Hosts; only the first one's webapps are listed", s->name, rel,
                   hosts);
        if (app_base && strchr(app_base, '&'))
            d_note(d, "%s: appBase \"%s\" holds XML entities; taken as written", s->name, app_base);
        free(xml);
    } else {
        d_note(d, "%s: cannot read %s: %s; assuming appBase \"%s\"", s->name, rel, strerror(errno),
               TOMCAT_DEFAULT_APP_BASE);
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
    if (read_file(host, &text, &len) == 0) {
        loader = svcconfig_property(text, len, "common.loader");
        if (!loader)
            d_note(d, "%s: %s has no common.loader; Tomcat's default assumed", s->name, rel);
    } else if (errno != ENOENT) {
        d_note(d, "%s: cannot read %s: %s; Tomcat's default common.loader assumed", s->name, rel,
               strerror(errno));
    }
    char **items = NULL;
    size_t n = 0, cap = 0;
    svcconfig_split_loader(loader ? loader : TOMCAT_DEFAULT_COMMON_LOADER, &items, &n, &cap);
    for (size_t i = 0; i < n; i++) {
        char *e = svcconfig_expand(items[i], vars, 2);
        if (strstr(e, "${"))
            d_note(d, "%s: common.loader item \"%s\" names an unknown property", s->name, e);
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

/* ---- logs ---- */

void svcconfig_expand_logs(const char *root, const struct svc_service *s, char ***files, size_t *n,
                           size_t *cap)
{
    size_t added = 0;
    for (size_t i = 0; i < s->n_logs && added < SVCCONFIG_LOGS_MAX; i++) {
        char *pattern = svcconfig_host_path(root, s->logs[i]);
        glob_t g;
        memset(&g, 0, sizeof(g));
        if (glob(pattern, 0, NULL, &g) == 0) {
            for (size_t k = 0; k < g.gl_pathc && added < SVCCONFIG_LOGS_MAX; k++) {
                struct stat st;
                if (stat(g.gl_pathv[k], &st) == 0 && S_ISREG(st.st_mode)) {
                    strv_push(files, n, cap, xstrdup(g.gl_pathv[k]));
                    added++;
                }
            }
        }
        globfree(&g);
        free(pattern);
    }
}

static void default_logs(struct svc_service *s)
{
    if (s->n_logs > 0)
        return;
    char *dir = NULL;
    if (s->kind == SVC_TOMCAT && s->catalina_base)
        dir = path_join(s->catalina_base, "logs");
    else if (s->jar) {
        char *jar_dir = path_dirname(s->jar);
        dir = path_join(jar_dir, "logs");
        free(jar_dir);
    }
    if (!dir)
        return;
    strv_push(&s->logs, &s->n_logs, &s->logs_cap, path_join(dir, "*"));
    free(dir);
}

/* ---- discovery ---- */

/* Classify a jar by its manifest: 1 executable (kind set), 0 not executable,
 * -1 unreadable (why in err). */
static int classify_jar(const char *root, const char *path, enum svc_kind *kind, char *err)
{
    char *host = svcconfig_host_path(root, path);
    struct jar *jar = NULL;
    unsigned char *mf = NULL;
    size_t mf_len;
    int rc = -1;
    struct zipdir_entry e;
    if (jar_open_file(&jar, host, err) != 0)
        goto out;
    int found = jar_find(jar, "META-INF/MANIFEST.MF", &e, err);
    if (found < 0)
        goto out;
    rc = 0;
    if (found == 0 || jar_read_entry(jar, &e, MANIFEST_MAX, &mf, &mf_len, err) != 0)
        goto out;
    struct manifest m;
    manifest_parse(&m, (const char *)mf, mf_len);
    if (m.start_class || m.spring_boot_lib) {
        *kind = SVC_SPRING_BOOT;
        rc = 1;
    } else if (m.main_class) {
        *kind = SVC_JAR;
        rc = 1;
    }
    manifest_clear(&m);
out:
    free(mf);
    jar_free(jar);
    free(host);
    return rc;
}

static char *stem_of(const char *path)
{
    const char *base = path_basename(path);
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? xstrndup(base, (size_t)(dot - base)) : xstrdup(base);
}

/* A realpath-like key under root, so one directory found twice counts once. */
static char *identity(const char *root, const char *path)
{
    char *h = svcconfig_host_path(root, path);
    char *r = realpath(h, NULL);
    if (r) {
        free(h);
        return r;
    }
    return h;
}

static bool already_found(const char *root, struct svc_discovery *d, const char *path)
{
    char *id = identity(root, path);
    bool dup = false;
    for (size_t i = 0; i < d->n && !dup; i++) {
        const char *other = d->services[i].catalina_base ? d->services[i].catalina_base
                            : d->services[i].jar         ? d->services[i].jar
                                                         : d->services[i].war;
        if (!other)
            continue;
        char *oid = identity(root, other);
        dup = strcmp(id, oid) == 0;
        free(oid);
    }
    free(id);
    return dup;
}

static bool add_jar_candidate(const char *root, struct svc_discovery *d, const char *path,
                              const char *origin)
{
    enum svc_kind kind = SVC_JAR;
    char err[WR_ERR_MAX];
    int rc = classify_jar(root, path, &kind, err);
    if (rc < 0) {
        d_not_found(d, "%s: not a readable jar (%s)", path, err);
        return false;
    }
    if (rc == 0) {
        d_not_found(d, "%s: a jar without Main-Class, not executable", path);
        return false;
    }
    if (already_found(root, d, path))
        return true;
    char *name = stem_of(path);
    struct svc_service *s = add_service(d, name, kind, origin);
    free(name);
    s->jar = xstrdup(path);
    evidence(s, "found %s (%s)", path,
             kind == SVC_SPRING_BOOT ? "a Spring Boot jar" : "a jar with Main-Class");
    return true;
}

static bool add_tomcat(const char *root, struct svc_discovery *d, const char *base,
                       const char *home, const char *origin)
{
    if (already_found(root, d, base))
        return true;
    char *conf = path_join(base, "conf/server.xml");
    bool has_conf = host_exists(root, conf, false);
    char *name = xstrdup(path_basename(base));
    struct svc_service *s = add_service(d, *name ? name : "tomcat", SVC_TOMCAT, origin);
    free(name);
    s->catalina_base = xstrdup(base);
    s->catalina_home = xstrdup(home ? home : base);
    if (has_conf)
        evidence(s, "found %s", conf);
    else
        evidence(s, "%s is missing", conf);
    char *cat = path_join(s->catalina_home, "lib/catalina.jar");
    if (host_exists(root, cat, false))
        evidence(s, "found %s", cat);
    free(cat);
    free(conf);
    return true;
}

/* A directory named by WRENCH_APP or a conventional place. */
static bool classify_dir(const char *root, struct svc_discovery *d, const char *dir,
                         const char *origin)
{
    char *p = path_join(dir, "conf/server.xml");
    bool tomcat = host_exists(root, p, false);
    free(p);
    if (tomcat)
        return add_tomcat(root, d, dir, NULL, origin);
    p = path_join(dir, "WEB-INF");
    bool war = host_exists(root, p, true);
    free(p);
    if (war) {
        if (already_found(root, d, dir))
            return true;
        char *name = xstrdup(path_basename(dir));
        struct svc_service *s = add_service(d, *name ? name : "app", SVC_WAR, origin);
        free(name);
        s->war = xstrdup(dir);
        evidence(s, "found %s/WEB-INF (an exploded webapp)", dir);
        return true;
    }
    p = path_join(dir, "jib-classpath-file");
    char *host = svcconfig_host_path(root, p);
    char *text = NULL;
    size_t len;
    if (read_file(host, &text, &len) == 0) {
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        struct svc_service *s = add_service(d, path_basename(dir), SVC_CLASSPATH, origin);
        s->classpath = xstrdup(text);
        evidence(s, "found %s (a Jib image)", p);
        free(text);
        free(host);
        free(p);
        return true;
    }
    free(host);
    free(p);

    host = svcconfig_host_path(root, dir);
    DIR *dh = opendir(host);
    free(host);
    if (!dh) {
        d_not_found(d, "%s: no such directory", dir);
        return false;
    }
    char **jars = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (!str_has_suffix_nocase(de->d_name, ".jar"))
            continue;
        char *path = path_join(dir, de->d_name);
        if (host_exists(root, path, false) && n < SVCCONFIG_WEBAPPS_MAX)
            strv_push(&jars, &n, &cap, path);
        else
            free(path);
    }
    closedir(dh);
    bool found = false;
    if (n == 0) {
        d_not_found(d, "%s: no jar, conf/server.xml or WEB-INF", dir);
    } else if (n > 1) {
        qsort(jars, n, sizeof(*jars), strv_compare);
        d_not_found(d, "%s: %zu jars (%s, %s%s); name the application with WRENCH_APP", dir, n,
                    path_basename(jars[0]), path_basename(jars[1]), n > 2 ? ", ..." : "");
    } else {
        found = add_jar_candidate(root, d, jars[0], origin);
    }
    strv_free(jars, n);
    return found;
}

static void from_env(const char *root, const struct svc_env *env, struct svc_discovery *d)
{
    if (env->catalina_base || env->catalina_home) {
        const char *base = env->catalina_base ? env->catalina_base : env->catalina_home;
        const char *home = env->catalina_home ? env->catalina_home : base;
        add_tomcat(root, d, base, home,
                   env->catalina_base ? "environment CATALINA_BASE" : "environment CATALINA_HOME");
    }
    if (env->wrench_app) {
        const char *app = env->wrench_app;
        char *abs = app[0] == '/' || !env->cwd ? xstrdup(app) : path_join(env->cwd, app);
        if (host_exists(root, abs, true)) {
            classify_dir(root, d, abs, "environment WRENCH_APP");
        } else if (str_has_suffix_nocase(abs, ".war") && host_exists(root, abs, false)) {
            char *name = stem_of(abs);
            struct svc_service *s = add_service(d, name, SVC_WAR, "environment WRENCH_APP");
            free(name);
            s->war = xstrdup(abs);
            evidence(s, "WRENCH_APP names %s", abs);
        } else if (host_exists(root, abs, false)) {
            if (!add_jar_candidate(root, d, abs, "environment WRENCH_APP"))
                d_note(d, "WRENCH_APP=%s is not an executable jar", app);
        } else {
            d_not_found(d, "WRENCH_APP=%s: no such file or directory", app);
        }
        free(abs);
    }
}

/* Patterns of root-relative paths, globbed under root, matches returned without it. */
static void glob_under(const char *root, const char *pattern, char ***out, size_t *n, size_t *cap)
{
    char *hp = svcconfig_host_path(root, pattern);
    size_t skip = strlen(hp) - strlen(pattern);
    glob_t g;
    memset(&g, 0, sizeof(g));
    if (glob(hp, GLOB_ONLYDIR, NULL, &g) == 0)
        for (size_t i = 0; i < g.gl_pathc; i++)
            strv_push(out, n, cap, xstrdup(g.gl_pathv[i] + skip));
    globfree(&g);
    free(hp);
}

static void conventional(const char *root, const struct svc_env *env, struct svc_discovery *d)
{
    static const char *const tomcat_places[] = {"/usr/local/tomcat", "/opt/tomcat*",
                                                "/var/lib/tomcat*", "/usr/share/tomcat*"};
    for (size_t t = 0; t < sizeof(tomcat_places) / sizeof(tomcat_places[0]); t++) {
        char **dirs = NULL;
        size_t n = 0, cap = 0;
        glob_under(root, tomcat_places[t], &dirs, &n, &cap);
        if (n == 0)
            d_not_found(d, "%s: nothing there", tomcat_places[t]);
        for (size_t i = 0; i < n; i++) {
            char *conf = path_join(dirs[i], "conf/server.xml");
            char *cat = path_join(dirs[i], "lib/catalina.jar");
            bool has_conf = host_exists(root, conf, false);
            bool has_cat = host_exists(root, cat, false);
            if (has_conf) {
                char *home = NULL;
                /* Debian: /var/lib/tomcatN is the base of /usr/share/tomcatN. */
                if (!has_cat && str_has_prefix(dirs[i], "/var/lib/")) {
                    char *h = xasprintf("/usr/share/%s", path_basename(dirs[i]));
                    char *hc = path_join(h, "lib/catalina.jar");
                    if (host_exists(root, hc, false))
                        home = h;
                    else
                        free(h);
                    free(hc);
                }
                add_tomcat(root, d, dirs[i], home, "conventional place");
                free(home);
            } else if (has_cat) {
                d_not_found(d,
                            "%s: a Tomcat installation without conf/server.xml (a "
                            "CATALINA_HOME only)",
                            dirs[i]);
            } else {
                d_not_found(d, "%s: no conf/server.xml", dirs[i]);
            }
            free(conf);
            free(cat);
        }
        strv_free(dirs, n);
    }
    const char *app_places[] = {env->cwd, "/app", "/opt/app"};
    for (size_t i = 0; i < sizeof(app_places) / sizeof(app_places[0]); i++) {
        const char *dir = app_places[i];
        if (!dir || (i > 0 && env->cwd && strcmp(dir, env->cwd) == 0))
            continue;
        if (i == 0 && strcmp(dir, "/") == 0)
            continue; /* the root of a container is no application directory */
        if (!host_exists(root, dir, true)) {
            d_not_found(d, "%s: no such directory", dir);
            continue;
        }
        classify_dir(root, d, dir, i == 0 ? "working directory" : "conventional place");
    }
}

int svcconfig_discover(const char *root, const struct svc_env *env, struct svc_discovery *out,
                       char *err)
{
    struct svc_discovery d;
    memset(&d, 0, sizeof(d));
    const char *cfg =
        env->wrench_config && *env->wrench_config ? env->wrench_config : SVCCONFIG_DEFAULT_PATH;
    int rc = svcconfig_load(root, cfg, &d, err);
    if (rc < 0)
        goto fail;
    if (rc == 0 && env->wrench_config && *env->wrench_config) {
        err_set(err, "WRENCH_CONFIG names %s, which does not exist", cfg);
        goto fail;
    }
    if (rc == 0)
        d_not_found(&d, "%s: no config file", cfg);
    else if (d.n == 0)
        d_note(&d, "%s declares no services", cfg);
    if (d.n == 0)
        from_env(root, env, &d);
    if (d.n == 0)
        conventional(root, env, &d);
    for (size_t i = 0; i < d.n; i++) {
        struct svc_service *s = &d.services[i];
        if (rc == 1) {
            const char *p = s->catalina_base ? s->catalina_base : s->jar ? s->jar : s->war;
            if (p && !host_exists(root, p, false) && !host_exists(root, p, true))
                d_note(&d, "%s: %s does not exist", s->name, p);
        }
        svcconfig_tomcat_layout(root, s, &d);
        default_logs(s);
    }
    *out = d;
    return 0;
fail:
    svc_discovery_free(&d);
    return -1;
}

void svcconfig_env_from_process(struct svc_env *env)
{
    static char cwd[PATH_MAX];
    memset(env, 0, sizeof(*env));
    env->wrench_config = getenv("WRENCH_CONFIG");
    env->catalina_base = getenv("CATALINA_BASE");
    env->catalina_home = getenv("CATALINA_HOME");
    env->wrench_app = getenv("WRENCH_APP");
    if (env->catalina_base && !*env->catalina_base)
        env->catalina_base = NULL;
    if (env->catalina_home && !*env->catalina_home)
        env->catalina_home = NULL;
    if (env->wrench_app && !*env->wrench_app)
        env->wrench_app = NULL;
    env->cwd = getcwd(cwd, sizeof(cwd));
}

void svc_service_clear(struct svc_service *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->catalina_base);
    free(s->catalina_home);
    free(s->jar);
    free(s->classpath);
    free(s->war);
    strv_free(s->logs, s->n_logs);
    free(s->origin);
    strv_free(s->evidence, s->n_evidence);
    free(s->app_base);
    strv_free(s->webapps, s->n_webapps);
    strv_free(s->common_loader, s->n_common_loader);
    memset(s, 0, sizeof(*s));
}

void svc_discovery_free(struct svc_discovery *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        svc_service_clear(&d->services[i]);
    free(d->services);
    free(d->config_file);
    strv_free(d->not_found, d->n_not_found);
    strv_free(d->notes, d->n_notes);
    memset(d, 0, sizeof(*d));
}
