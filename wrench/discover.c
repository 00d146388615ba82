/*
 * discover.c - find the services of a container (see discover.h). The
 * building blocks live in jvm.c (processes), svcconfig.c (services file, with
 * svcplaces.c for the environment and conventional places and tomcatlayout.c for
 * Tomcat's layout) and container.c (cgroup limits); this file decides
 * which to use and turns what they found into views, logs and findings.
 */
#include "discover.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classpath.h"
#include "container.h"
#include "jvm.h"
#include "messages.h"
#include "runit.h"
#include "svcconfig.h"
#include "util.h"

#define DISCOVER_MAX_LOGS 256 /* log files taken for one service */

/* A note or a place looked at in vain, in English and Chinese (zh NULL: the English one,
 * where wrench has no Chinese for it). */
static void discovery_note(struct discovery *d, const char *en, const char *zh)
{
    strv_push(&d->notes, &d->n_notes, &d->notes_cap, xstrdup(en));
    strv_push(&d->notes_zh, &d->n_notes_zh, &d->notes_zh_cap, xstrdup(zh ? zh : en));
}

static void discovery_not_found(struct discovery *d, const char *en, const char *zh)
{
    strv_push(&d->not_found, &d->n_not_found, &d->not_found_cap, xstrdup(en));
    strv_push(&d->not_found_zh, &d->n_not_found_zh, &d->not_found_zh_cap, xstrdup(zh ? zh : en));
}

static void format_bytes(uint64_t bytes, char *buf, size_t size)
{
    if (bytes == CONTAINER_NO_LIMIT)
        snprintf(buf, size, "no limit");
    else if (bytes >= (1ull << 30))
        snprintf(buf, size, "%.1f GiB", (double)bytes / (double)(1ull << 30));
    else
        snprintf(buf, size, "%.0f MiB", (double)bytes / (double)(1ull << 20));
}

/* Tomcat's own jars live in CATALINA_HOME, which Debian and most images keep apart from
 * the base: the environment's, else the base when it holds them, else a packaged one. */
static char *tomcat_home_for(const char *base)
{
    static const char *const packaged[] = {"/usr/share/tomcat10", "/usr/share/tomcat9",
                                           "/usr/local/tomcat"};
    const char *env = getenv("CATALINA_HOME");
    if (env && *env)
        return xstrdup(env);
    char *jar = path_join(base, "lib/catalina.jar");
    bool own = access(jar, R_OK) == 0;
    free(jar);
    if (own)
        return xstrdup(base);
    for (size_t i = 0; i < sizeof(packaged) / sizeof(packaged[0]); i++) {
        char *candidate = path_join(packaged[i], "lib/catalina.jar");
        bool found = access(candidate, R_OK) == 0;
        free(candidate);
        if (found)
            return xstrdup(packaged[i]);
    }
    return xstrdup(base);
}

size_t discover_add_tomcat(struct scan *scan, const char *base, const char *home)
{
    size_t first = scan->n_views;
    struct svc_service s = {0};
    struct svc_discovery d = {0};
    s.name = xstrdup("tomcat");
    s.catalina_base = xstrdup(base);
    s.catalina_home = home ? xstrdup(home) : tomcat_home_for(base);
    svcconfig_tomcat_layout(NULL, &s, &d);
    char *common = svcconfig_common_loader_classpath(NULL, &s);
    for (size_t i = 0; i < s.n_webapps; i++) {
        char *name = xasprintf("webapp %s", path_basename(s.webapps[i]));
        classpath_add_webapp(scan, name, s.webapps[i], common);
        free(name);
    }
    if (s.n_webapps == 0) {
        const struct msg_arg *args = MSG_ARGS(MSG_S("dir", s.app_base ? s.app_base : base));
        char *en = msg_render(MSG_DISC_NO_WEBAPP, LANG_EN, args);
        char *zh = msg_render(MSG_DISC_NO_WEBAPP, LANG_ZH, args);
        scan_add_problem_zh(scan, SEV_WARNING, base, en, zh);
        free(en);
        free(zh);
    }
    for (size_t i = 0; i < d.n_notes; i++)
        scan_add_problem_zh(scan, SEV_INFO, base, d.notes[i],
                            i < d.n_notes_zh ? d.notes_zh[i] : NULL);
    free(common);
    svc_service_clear(&s);
    svc_discovery_free(&d);
    return first;
}

/* How a service was found, in Chinese: the origins discovery words ("running process",
 * "config FILE", "environment WRENCH_APP", "runit service DIR"...); NULL for another. */
static char *origin_zh(const char *origin)
{
    static const struct {
        const char *prefix; /* the whole origin, or its words before the argument */
        enum msg_id id;
        const char *arg; /* the argument's name; NULL: none */
    } known[] = {
        {"running process", MSG_ORIGIN_PROCESS, NULL},
        {"conventional place", MSG_ORIGIN_CONVENTIONAL, NULL},
        {"working directory", MSG_ORIGIN_WORKING_DIRECTORY, NULL},
        {"config ", MSG_ORIGIN_CONFIG, "file"},
        {"environment ", MSG_ORIGIN_ENVIRONMENT, "variable"},
        {RUNIT_ORIGIN, MSG_ORIGIN_RUNIT, "dir"},
    };
    for (size_t i = 0; origin && i < sizeof(known) / sizeof(known[0]); i++) {
        if (!known[i].arg && strcmp(origin, known[i].prefix) == 0)
            return msg_text(known[i].id, LANG_ZH, MSG_END);
        if (known[i].arg && str_has_prefix(origin, known[i].prefix))
            return msg_text(known[i].id, LANG_ZH,
                            MSG_S(known[i].arg, origin + strlen(known[i].prefix)));
    }
    return NULL;
}

static struct service *add_service(struct discovery *d, const char *name, const char *kind,
                                   const char *origin)
{
    d->services = xgrow(d->services, &d->services_cap, d->n_services + 1, sizeof(*d->services));
    struct service *s = &d->services[d->n_services++];
    memset(s, 0, sizeof(*s));
    s->name = xstrdup(name);
    s->kind = xstrdup(kind);
    s->origin = xstrdup(origin);
    s->origin_zh = origin_zh(origin);
    return s;
}

/* A line of a service's evidence, in English and Chinese (zh NULL: the English one). */
static void service_evidence(struct service *s, const char *en, const char *zh)
{
    strv_push(&s->evidence, &s->n_evidence, &s->evidence_cap, xstrdup(en));
    strv_push(&s->evidence_zh, &s->n_evidence_zh, &s->evidence_zh_cap, xstrdup(zh ? zh : en));
}

static void service_views_from(struct service *svc, const struct scan *scan, size_t first)
{
    for (size_t v = first; v < scan->n_views; v++) {
        svc->views = xgrow(svc->views, &svc->views_cap, svc->n_views + 1, sizeof(size_t));
        svc->views[svc->n_views++] = v;
    }
}

static void add_log(struct service *svc, char ***logs, size_t *n, size_t *cap, const char *path)
{
    if (svc->n_logs >= DISCOVER_MAX_LOGS)
        return;
    for (size_t i = 0; i < svc->n_logs; i++)
        if (strcmp(svc->logs[i], path) == 0)
            return;
    strv_push(&svc->logs, &svc->n_logs, &svc->logs_cap, xstrdup(path));
    strv_push(logs, n, cap, xstrdup(path));
}

static void add_env_findings(struct scan *scan, struct finding_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        env_finding_set_zh(scan_add_env_finding(scan, list->items[i].severity, list->items[i].id,
                                                list->items[i].title, list->items[i].detail),
                           list->items[i].title_zh, list->items[i].detail_zh);
    finding_list_free(list);
}

static void add_container_facts(struct scan *scan, const struct container_facts *f)
{
    char buf[64];
    scan_add_fact(scan, "cgroup", cgroup_version_name(f->version));
    if (f->memory_limit_known) {
        format_bytes(f->memory_limit, buf, sizeof(buf));
        scan_add_fact(scan, "memory limit", buf);
    }
    if (f->memory_usage_known) {
        format_bytes(f->memory_usage, buf, sizeof(buf));
        scan_add_fact(scan, "memory used", buf);
    }
    if (f->oom_kills_known) {
        snprintf(buf, sizeof(buf), "%" PRIu64, f->oom_kills);
        scan_add_fact(scan, "OOM kills", buf);
    }
    if (f->cpu_known) {
        if (f->cpu_limited && f->cpu_period_us)
            snprintf(buf, sizeof(buf), "%.2f cores",
                     (double)f->cpu_quota_us / (double)f->cpu_period_us);
        else
            snprintf(buf, sizeof(buf), "no quota");
        scan_add_fact(scan, "CPU", buf);
    }
    if (f->nofile_known) {
        if (f->nofile_soft == CONTAINER_NO_LIMIT)
            snprintf(buf, sizeof(buf), "unlimited");
        else
            snprintf(buf, sizeof(buf), "%" PRIu64, f->nofile_soft);
        scan_add_fact(scan, "open files limit", buf);
    }
    for (size_t i = 0; i < f->n_notes; i++)
        scan_add_fact(scan, "note", f->notes[i]);
}

/* The JVM's command line with secrets masked, for the report. */
static char *redacted_command(const struct jvm_process *p)
{
    struct strbuf sb = {0};
    for (size_t i = 0; i < p->argc; i++) {
        char *arg = jvm_redact_arg(p->argv[i]);
        strbuf_printf(&sb, "%s%s", i ? " " : "", arg);
        free(arg);
    }
    return strbuf_take(&sb);
}

/* -Dloader.path items are relative to the JVM's working directory, as PropertiesLauncher
 * reads them; each is made openable before it joins the jar's view. */
static void add_loader_path(struct scan *scan, const struct jvm_process *p)
{
    struct strbuf sb = {0};
    char *items = xstrdup(p->loader_path);
    for (char *save = NULL, *item = strtok_r(items, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        char *host = jvm_host_path(p, item);
        if (host)
            strbuf_printf(&sb, "%s%s", sb.len ? "," : "", host);
        free(host);
    }
    free(items);
    if (sb.len)
        classpath_add_loader_path(&scan->views[scan->n_views - 1], sb.data);
    strbuf_free(&sb);
}

/* A path normalised for an identity: no trailing '/' ("/srv/shop/" is "/srv/shop"). */
static char *identity_path(const char *path)
{
    char *norm = path_normalize(path);
    size_t n = strlen(norm);
    while (n > 1 && norm[n - 1] == '/')
        norm[--n] = '\0';
    return norm;
}

/* A path as the scan names it: under --root, without the root's prefix. New string. */
static char *target_path(const char *root, const char *path)
{
    return identity_path(path_under_root(root, path));
}

/* What names a running JVM's service across scans (model.h service.identity): its Tomcat
 * base, its jar (made absolute against its working directory), or its main class. A JVM
 * under runsv is named by its service directory instead, which svcstate.c finds. */
static char *jvm_identity(const struct jvm_process *p, const char *root)
{
    char *path = NULL, *id = NULL;
    if (p->catalina_base || p->catalina_home) {
        path = target_path(root, p->catalina_base ? p->catalina_base : p->catalina_home);
        id = xasprintf("tomcat %s", path);
    } else if (p->jar && (p->jar[0] == '/' || p->cwd)) {
        char *abs = p->jar[0] == '/' ? xstrdup(p->jar) : path_join(p->cwd, p->jar);
        path = target_path(root, abs);
        free(abs);
        id = xasprintf("jar %s", path);
    } else if (p->main_class) {
        id = xasprintf("main %s", p->main_class);
    } else if (p->module) {
        id = xasprintf("module %s", p->module);
    }
    free(path);
    return id;
}

/* The same for a declared service: runit's service directory, the Tomcat base, the jar or
 * the war, as the JVM running it would give them. NULL for a classpath (its main class is
 * not declared). */
static char *declared_identity(const struct svc_service *s)
{
    if (s->origin && str_has_prefix(s->origin, RUNIT_ORIGIN))
        return xasprintf("runit %s", s->origin + strlen(RUNIT_ORIGIN));
    const char *path = s->kind == SVC_TOMCAT
                           ? (s->catalina_base ? s->catalina_base : s->catalina_home)
                       : s->kind == SVC_WAR ? NULL
                                            : s->jar;
    if (!path)
        return NULL;
    char *norm = identity_path(path);
    char *id = xasprintf("%s %s", s->kind == SVC_TOMCAT ? "tomcat" : "jar", norm);
    free(norm);
    return id;
}

static void add_jvm_service(struct scan *scan, const struct discover_options *opt,
                            const struct jvm_process *p, char ***logs, size_t *n_logs,
                            size_t *logs_cap)
{
    struct discovery *d = scan->discovery;
    size_t first = scan->n_views;
    char *name;
    const char *kind;
    if (p->catalina_base) {
        char *base = jvm_host_path(p, p->catalina_base);
        kind = "tomcat";
        name = xasprintf("tomcat %s", p->catalina_base);
        char *home = p->catalina_home ? jvm_host_path(p, p->catalina_home) : NULL;
        if (base) {
            discover_add_tomcat(scan, base, home);
            char *dir = path_join(base, "logs");
            strv_push(logs, n_logs, logs_cap, dir);
        }
        free(home);
        free(base);
    } else if (p->jar) {
        char *jar = jvm_host_path(p, p->jar);
        kind = "jar";
        name = xstrdup(path_basename(p->jar));
        if (jar) {
            classpath_add_jar(scan, jar);
            if (p->loader_path)
                add_loader_path(scan, p);
        }
        free(jar);
    } else {
        char *cp = jvm_host_classpath(p);
        kind = "classpath";
        name = xstrdup(p->main_class ? p->main_class : "java");
        if (cp)
            classpath_add_string(scan, cp);
        free(cp);
    }
    struct service *svc = add_service(d, name, kind, "running process");
    free(name);
    svc->pid = p->pid;
    svc->command = redacted_command(p);
    svc->identity = jvm_identity(p, opt->root);
    for (size_t i = 0; i < p->n_notes; i++)
        service_evidence(svc, p->notes[i], i < p->n_notes_zh ? p->notes_zh[i] : NULL);
    service_views_from(svc, scan, first);
    char **open = NULL;
    size_t n_open = 0, cap_open = 0;
    char err[WR_ERR_MAX];
    if (jvm_open_logs(opt->proc_root, p->pid, &open, &n_open, &cap_open, err) >= 0) {
        for (size_t i = 0; i < n_open; i++) {
            char *host = jvm_host_path(p, open[i]);
            if (host)
                add_log(svc, logs, n_logs, logs_cap, host);
            free(host);
        }
    }
    strv_free(open, n_open);

    struct container_facts facts = {0};
    container_read(opt->cgroup_root, opt->proc_root, p->pid, &facts);
    struct finding_list found = {0};
    container_check_jvm(&facts, p, &found);
    add_env_findings(scan, &found);
    struct heap_estimate heap;
    if (container_heap_estimate(&facts, &p->mem, &heap) == 0) {
        char value[128], bytes[32];
        format_bytes(heap.max_heap, bytes, sizeof(bytes));
        snprintf(value, sizeof(value), "%s (%s)", bytes, heap.basis);
        char *fact = xasprintf("max heap of pid %d", p->pid);
        scan_add_fact(scan, fact, value);
        free(fact);
    }
    container_facts_clear(&facts);
}

static int discover_processes(struct scan *scan, const struct discover_options *opt, char ***logs,
                              size_t *n_logs, size_t *logs_cap)
{
    struct jvm_list list = {0};
    char err[WR_ERR_MAX];
    if (jvm_list_processes(opt->proc_root, &list, err) != 0) {
        discovery_note(scan->discovery, err, NULL);
        return 0;
    }
    int found = 0;
    for (size_t i = 0; i < list.n; i++) {
        if (opt->pid && list.procs[i].pid != opt->pid)
            continue;
        add_jvm_service(scan, opt, &list.procs[i], logs, n_logs, logs_cap);
        found++;
    }
    for (size_t i = 0; i < list.n_notes; i++)
        discovery_note(scan->discovery, list.notes[i],
                       i < list.n_notes_zh ? list.notes_zh[i] : NULL);
    jvm_list_free(&list);
    return found;
}

/* A service from the services file or a conventional place: its files are there, its JVM
 * is not (it may have died at startup). */
static void add_declared_service(struct scan *scan, const char *root, struct svc_service *s,
                                 char ***logs, size_t *n_logs, size_t *logs_cap)
{
    size_t first = scan->n_views;
    struct service *svc = add_service(scan->discovery, s->name, svc_kind_name(s->kind), s->origin);
    char *path = NULL;
    switch (s->kind) {
    case SVC_TOMCAT: {
        path = svcconfig_host_path(root, s->catalina_base ? s->catalina_base : s->catalina_home);
        char *home = s->catalina_home ? svcconfig_host_path(root, s->catalina_home) : NULL;
        discover_add_tomcat(scan, path, home);
        free(home);
    } break;
    case SVC_SPRING_BOOT:
    case SVC_JAR:
        path = svcconfig_host_path(root, s->jar);
        classpath_add_jar(scan, path);
        break;
    case SVC_WAR:
        path = svcconfig_host_path(root, s->war);
        classpath_add_war(scan, path);
        break;
    case SVC_CLASSPATH:
        classpath_add_string(scan, s->classpath);
        break;
    }
    free(path);
    svc = &scan->discovery->services[scan->discovery->n_services - 1];
    svc->identity = declared_identity(s);
    service_views_from(svc, scan, first);
    for (size_t i = 0; i < s->n_evidence; i++)
        service_evidence(svc, s->evidence[i], i < s->n_evidence_zh ? s->evidence_zh[i] : NULL);
    char **files = NULL;
    size_t n = 0, cap = 0;
    svcconfig_expand_logs(root, s, &files, &n, &cap);
    for (size_t i = 0; i < n; i++)
        add_log(svc, logs, n_logs, logs_cap, files[i]);
    strv_free(files, n);
}

static int discover_declared(struct scan *scan, const struct discover_options *opt, char ***logs,
                             size_t *n_logs, size_t *logs_cap, char *err)
{
    struct svc_env env;
    svcconfig_env_from_process(&env);
    if (opt->config)
        env.wrench_config = opt->config;
    struct svc_discovery found = {0};
    if (svcconfig_discover(opt->root, &env, &found, err) != 0)
        return -1;
    runit_discover(opt->root, &found); /* runit service directories (runit.c) */
    struct discovery *d = scan->discovery;
    for (size_t i = 0; i < found.n; i++)
        add_declared_service(scan, opt->root, &found.services[i], logs, n_logs, logs_cap);
    for (size_t i = 0; i < found.n_not_found; i++)
        discovery_not_found(d, found.not_found[i],
                            i < found.n_not_found_zh ? found.not_found_zh[i] : NULL);
    for (size_t i = 0; i < found.n_notes; i++)
        discovery_note(d, found.notes[i], i < found.n_notes_zh ? found.notes_zh[i] : NULL);
    free(d->source);
    d->source = xstrdup(found.config_file ? "config"
                        : found.n         ? found.services[0].origin
                                          : "conventional places");
    int n = (int)found.n;
    svc_discovery_free(&found);
    return n;
}

void discover_check_environment(struct scan *scan, const struct discover_options *opt, char **logs,
                                size_t n_logs)
{
    struct container_facts facts = {0};
    container_read(opt->cgroup_root, opt->proc_root, 0, &facts);
    add_container_facts(scan, &facts);
    struct disk_space *disks = xcalloc(n_logs + 1, sizeof(*disks));
    size_t n_disks = 0;
    for (size_t i = 0; i <= n_logs; i++) {
        char *dir = i < n_logs ? path_dirname(logs[i]) : xstrdup("/tmp");
        bool seen = false;
        for (size_t k = 0; k < n_disks; k++)
            seen |= strcmp(disks[k].path, dir) == 0;
        char err[WR_ERR_MAX];
        if (!seen && container_disk_space(dir, &disks[n_disks], err) == 0)
            n_disks++;
        free(dir);
    }
    struct finding_list found = {0};
    container_check(&facts, disks, n_disks, &found);
    add_env_findings(scan, &found);
    for (size_t i = 0; i < n_disks; i++)
        disk_space_clear(&disks[i]);
    free(disks);
    container_facts_clear(&facts);
}

int discover_services(struct scan *scan, const struct discover_options *opt, char ***logs,
                      size_t *n_logs, size_t *logs_cap, char *err)
{
    scan->discovery = xcalloc(1, sizeof(*scan->discovery));
    scan->discovery->source = xstrdup("processes");
    int found = opt->no_processes ? 0 : discover_processes(scan, opt, logs, n_logs, logs_cap);
    if (opt->pid && found == 0) {
        err_set(err, "no Java process with pid %d (is it running, and readable by this user?)",
                opt->pid);
        return -1;
    }
    if (found == 0) {
        enum msg_id none =
            opt->no_processes ? MSG_DISC_PROCESSES_NOT_LOOKED : MSG_DISC_PROCESSES_NONE;
        discovery_not_found(scan->discovery, msg_template(none, LANG_EN),
                            msg_template(none, LANG_ZH));
        found = discover_declared(scan, opt, logs, n_logs, logs_cap, err);
        if (found < 0)
            return -1;
    }
    discover_check_environment(scan, opt, *logs, *n_logs);
    if (found == 0) {
        struct strbuf sb = {0};
        strbuf_puts(&sb, "no Java service found; looked for");
        for (size_t i = 0; i < scan->discovery->n_not_found; i++)
            strbuf_printf(&sb, "%s %s", i ? ";" : "", scan->discovery->not_found[i]);
        err_set(err, "%s", sb.data);
        strbuf_free(&sb);
        return -1;
    }
    return 0;
}

void discover_variables(const struct discover_options *opt, char ***vars, size_t *n, size_t *cap)
{
    if (opt->no_processes)
        return;
    struct jvm_list list = {0};
    char err[WR_ERR_MAX];
    if (jvm_list_processes(opt->proc_root, &list, err) != 0)
        return;
    for (size_t i = 0; i < list.n; i++) {
        const struct jvm_process *p = &list.procs[i];
        if (opt->pid && p->pid != opt->pid)
            continue;
        for (size_t k = 0; k < p->n_props; k++)
            strv_push(vars, n, cap, xasprintf("%s=%s", p->props[k].key, p->props[k].value));
    }
    jvm_list_free(&list);
}
