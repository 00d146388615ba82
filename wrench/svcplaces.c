/*
 * svcplaces.c - services found without a services file: named by the environment
 * (CATALINA_BASE, CATALINA_HOME, WRENCH_APP) or in the conventional places (Tomcat under
 * /usr/local/tomcat, /opt/tomcat*, /var/lib/tomcat*, /usr/share/tomcat*; an executable
 * jar, an exploded webapp or a Jib image in the working directory, /app or /opt/app).
 * See svcplaces.h.
 */
#include "svcplaces.h"

#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jar.h"
#include "manifest.h"
#include "svcconfig_internal.h"
#include "util.h"

#define MANIFEST_MAX (1024 * 1024) /* bytes of a MANIFEST.MF read to classify a jar */

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
        svc_not_found(d, MSG_DISC_UNREADABLE_JAR, MSG_S("path", path), MSG_S("error", err));
        return false;
    }
    if (rc == 0) {
        svc_not_found(d, MSG_DISC_NO_MAIN_CLASS, MSG_S("path", path));
        return false;
    }
    if (already_found(root, d, path))
        return true;
    char *name = stem_of(path);
    struct svc_service *s = svc_add_service(d, name, kind, origin);
    free(name);
    s->jar = xstrdup(path);
    enum msg_id what = kind == SVC_SPRING_BOOT ? MSG_EVD_SPRING_BOOT_JAR : MSG_EVD_MAIN_CLASS_JAR;
    svc_evidence(s, MSG_EVD_FOUND_JAR, MSG_S("path", path),
                 MSG_B("what", msg_template(what, LANG_EN), msg_template(what, LANG_ZH)));
    return true;
}

static bool add_tomcat(const char *root, struct svc_discovery *d, const char *base,
                       const char *home, const char *origin)
{
    if (already_found(root, d, base))
        return true;
    char *conf = path_join(base, "conf/server.xml");
    bool has_conf = svc_host_exists(root, conf, false);
    char *name = xstrdup(path_basename(base));
    struct svc_service *s = svc_add_service(d, *name ? name : "tomcat", SVC_TOMCAT, origin);
    free(name);
    s->catalina_base = xstrdup(base);
    s->catalina_home = xstrdup(home ? home : base);
    if (has_conf)
        svc_evidence(s, MSG_EVD_FOUND, MSG_S("path", conf));
    else
        svc_evidence(s, MSG_EVD_MISSING, MSG_S("path", conf));
    char *cat = path_join(s->catalina_home, "lib/catalina.jar");
    if (svc_host_exists(root, cat, false))
        svc_evidence(s, MSG_EVD_FOUND, MSG_S("path", cat));
    free(cat);
    free(conf);
    return true;
}

/* A directory named by WRENCH_APP or a conventional place. */
static bool classify_dir(const char *root, struct svc_discovery *d, const char *dir,
                         const char *origin)
{
    char *p = path_join(dir, "conf/server.xml");
    bool tomcat = svc_host_exists(root, p, false);
    free(p);
    if (tomcat)
        return add_tomcat(root, d, dir, NULL, origin);
    p = path_join(dir, "WEB-INF");
    bool war = svc_host_exists(root, p, true);
    free(p);
    if (war) {
        if (already_found(root, d, dir))
            return true;
        char *name = xstrdup(path_basename(dir));
        struct svc_service *s = svc_add_service(d, *name ? name : "app", SVC_WAR, origin);
        free(name);
        s->war = xstrdup(dir);
        svc_evidence(s, MSG_EVD_EXPLODED_WEBAPP, MSG_S("dir", dir));
        return true;
    }
    p = path_join(dir, "jib-classpath-file");
    char *host = svcconfig_host_path(root, p);
    char *text = NULL;
    size_t len;
    if (svc_read_file(host, &text, &len) == 0) {
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        struct svc_service *s = svc_add_service(d, path_basename(dir), SVC_CLASSPATH, origin);
        s->classpath = xstrdup(text);
        svc_evidence(s, MSG_EVD_JIB_IMAGE, MSG_S("path", p));
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
        svc_not_found(d, MSG_DISC_NO_DIRECTORY, MSG_S("dir", dir));
        return false;
    }
    char **jars = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (!str_has_suffix_nocase(de->d_name, ".jar"))
            continue;
        char *path = path_join(dir, de->d_name);
        if (svc_host_exists(root, path, false) && n < SVCCONFIG_WEBAPPS_MAX)
            strv_push(&jars, &n, &cap, path);
        else
            free(path);
    }
    closedir(dh);
    bool found = false;
    if (n == 0) {
        svc_not_found(d, MSG_DISC_NOTHING_TO_RUN, MSG_S("dir", dir));
    } else if (n > 1) {
        qsort(jars, n, sizeof(*jars), strv_compare);
        svc_not_found(d, MSG_DISC_SEVERAL_JARS, MSG_S("dir", dir), MSG_N("n", n),
                      MSG_S("first", path_basename(jars[0])),
                      MSG_S("second", path_basename(jars[1])),
                      MSG_B("more", n > 2 ? ", ..." : "", n > 2 ? "……" : ""));
    } else {
        found = add_jar_candidate(root, d, jars[0], origin);
    }
    strv_free(jars, n);
    return found;
}

void from_env(const char *root, const struct svc_env *env, struct svc_discovery *d)
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
        if (svc_host_exists(root, abs, true)) {
            classify_dir(root, d, abs, "environment WRENCH_APP");
        } else if (str_has_suffix_nocase(abs, ".war") && svc_host_exists(root, abs, false)) {
            char *name = stem_of(abs);
            struct svc_service *s = svc_add_service(d, name, SVC_WAR, "environment WRENCH_APP");
            free(name);
            s->war = xstrdup(abs);
            svc_evidence(s, MSG_EVD_WRENCH_APP, MSG_S("path", abs));
        } else if (svc_host_exists(root, abs, false)) {
            if (!add_jar_candidate(root, d, abs, "environment WRENCH_APP"))
                svc_note(d, MSG_DISC_APP_NOT_EXECUTABLE, MSG_S("app", app));
        } else {
            svc_not_found(d, MSG_DISC_APP_MISSING, MSG_S("app", app));
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

void svcplaces_conventional(const char *root, const struct svc_env *env, struct svc_discovery *d)
{
    static const char *const tomcat_places[] = {"/usr/local/tomcat", "/opt/tomcat*",
                                                "/var/lib/tomcat*", "/usr/share/tomcat*"};
    for (size_t t = 0; t < sizeof(tomcat_places) / sizeof(tomcat_places[0]); t++) {
        char **dirs = NULL;
        size_t n = 0, cap = 0;
        glob_under(root, tomcat_places[t], &dirs, &n, &cap);
        if (n == 0)
            svc_not_found(d, MSG_DISC_NOTHING_THERE, MSG_S("place", tomcat_places[t]));
        for (size_t i = 0; i < n; i++) {
            char *conf = path_join(dirs[i], "conf/server.xml");
            char *cat = path_join(dirs[i], "lib/catalina.jar");
            bool has_conf = svc_host_exists(root, conf, false);
            bool has_cat = svc_host_exists(root, cat, false);
            if (has_conf) {
                char *home = NULL;
                /* Debian: /var/lib/tomcatN is the base of /usr/share/tomcatN. */
                if (!has_cat && str_has_prefix(dirs[i], "/var/lib/")) {
                    char *h = xasprintf("/usr/share/%s", path_basename(dirs[i]));
                    char *hc = path_join(h, "lib/catalina.jar");
                    if (svc_host_exists(root, hc, false))
                        home = h;
                    else
                        free(h);
                    free(hc);
                }
                add_tomcat(root, d, dirs[i], home, "conventional place");
                free(home);
            } else if (has_cat) {
                svc_not_found(d, MSG_DISC_CATALINA_HOME_ONLY, MSG_S("dir", dirs[i]));
            } else {
                svc_not_found(d, MSG_DISC_NO_SERVER_XML, MSG_S("dir", dirs[i]));
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
        if (!svc_host_exists(root, dir, true)) {
            svc_not_found(d, MSG_DISC_NO_DIRECTORY, MSG_S("dir", dir));
            continue;
        }
        classify_dir(root, d, dir, i == 0 ? "working directory" : "conventional place");
    }
}
