/*
 * svcconfig.c - the services of a machine: the services file (wrench.conf) parsed
 * strictly, discovery's order (the file, else the environment and the conventional places
 * of svcplaces.c), each service's default logs, and what every part shares (notes,
 * evidence, paths under the root). Tomcat's layout is read in tomcatlayout.c. See
 * svcconfig.h.
 */
#include "svcconfig.h"

#include <errno.h>
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svcconfig_internal.h"
#include "svcplaces.h"
#include "util.h"

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

void svc_note_args(struct svc_discovery *d, enum msg_id id, const struct msg_arg *args)
{
    if (!d)
        return;
    strv_push(&d->notes, &d->n_notes, &d->notes_cap, msg_render(id, LANG_EN, args));
    strv_push(&d->notes_zh, &d->n_notes_zh, &d->notes_zh_cap, msg_render(id, LANG_ZH, args));
}

void svc_not_found_args(struct svc_discovery *d, enum msg_id id, const struct msg_arg *args)
{
    strv_push(&d->not_found, &d->n_not_found, &d->not_found_cap, msg_render(id, LANG_EN, args));
    strv_push(&d->not_found_zh, &d->n_not_found_zh, &d->not_found_zh_cap,
              msg_render(id, LANG_ZH, args));
}

void svc_service_evidence(struct svc_service *s, enum msg_id id, const struct msg_arg *args)
{
    strv_push(&s->evidence, &s->n_evidence, &s->evidence_cap, msg_render(id, LANG_EN, args));
    strv_push(&s->evidence_zh, &s->n_evidence_zh, &s->evidence_zh_cap,
              msg_render(id, LANG_ZH, args));
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

bool svc_host_exists(const char *root, const char *path, bool want_dir)
{
    char *h = svcconfig_host_path(root, path);
    struct stat st;
    bool ok = stat(h, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
    free(h);
    return ok;
}

/* Read a whole regular file of at most SVCCONFIG_FILE_MAX bytes. 0, or -1 with errno
 * (EFBIG when larger; EISDIR or EINVAL when not a regular file, which could block). */
int svc_read_file(const char *path, char **out, size_t *len)
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

struct svc_service *svc_add_service(struct svc_discovery *d, const char *name, enum svc_kind kind,
                                    const char *origin)
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
    struct svc_service *s = svc_add_service(tmp, name, kind, origin);
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
    svc_evidence(s, MSG_EVD_DECLARED, MSG_S("file", c->file), MSG_N("i", idx));
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
    if (svc_read_file(host, &text, &len) != 0) {
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
        svc_not_found(&d, MSG_DISC_NO_CONFIG_FILE, MSG_S("file", cfg));
    else if (d.n == 0)
        svc_note(&d, MSG_DISC_CONFIG_NO_SERVICES, MSG_S("file", cfg));
    if (d.n == 0)
        from_env(root, env, &d);
    if (d.n == 0)
        svcplaces_conventional(root, env, &d);
    for (size_t i = 0; i < d.n; i++) {
        struct svc_service *s = &d.services[i];
        if (rc == 1) {
            const char *p = s->catalina_base ? s->catalina_base : s->jar ? s->jar : s->war;
            if (p && !svc_host_exists(root, p, false) && !svc_host_exists(root, p, true))
                svc_note(&d, MSG_DISC_PATH_MISSING, MSG_S("service", s->name), MSG_S("path", p));
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
    strv_free(s->evidence_zh, s->n_evidence_zh);
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
    strv_free(d->not_found_zh, d->n_not_found_zh);
    strv_free(d->notes_zh, d->n_notes_zh);
    memset(d, 0, sizeof(*d));
}
