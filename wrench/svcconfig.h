/*
 * svcconfig.h - the services of a machine when no JVM is running to ask:
 * declared in a config file (/etc/wrench/wrench.conf or $WRENCH_CONFIG), named
 * by the environment (CATALINA_BASE, CATALINA_HOME, WRENCH_APP), or found in
 * the conventional places (Tomcat under /usr/local/tomcat, /opt/tomcat*,
 * /var/lib/tomcat*, /usr/share/tomcat*; a single executable jar in the working
 * directory, /app or /opt/app). Also Tomcat's own layout: the webapps under
 * the Host's appBase and the common.loader of conf/catalina.properties.
 *
 * The parts: svcconfig.c the services file and discovery's order, svcplaces.c the
 * environment and the conventional places, tomcatlayout.c (tomcatlayout.h, included
 * here) Tomcat's layout. Callers use this header.
 *
 * Every path is one of the target file system and is read under a root
 * prefix (NULL or "" for "/"), so tests run on fixture trees and a scan can
 * look into another mount namespace through /proc/PID/root.
 */
#ifndef WRENCH_SVCCONFIG_H
#define WRENCH_SVCCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "messages.h"
#include "tomcatlayout.h"

#define SVCCONFIG_DEFAULT_PATH "/etc/wrench/wrench.conf"
#define SVCCONFIG_FILE_MAX                                                                         \
    (1024 * 1024)                  /* bytes of wrench.conf, server.xml, catalina.properties        \
                                    */
#define SVCCONFIG_LOGS_MAX 1000    /* log files one service's globs may yield */
#define SVCCONFIG_WEBAPPS_MAX 1000 /* webapps listed under one appBase */

enum svc_kind {
    SVC_TOMCAT,
    SVC_SPRING_BOOT,
    SVC_JAR,
    SVC_CLASSPATH,
    SVC_WAR,
};
const char *svc_kind_name(enum svc_kind kind);
/* "tomcat", "spring-boot", "jar", "classpath" or "war"; -1 when unknown. */
int svc_kind_parse(const char *name, enum svc_kind *out);

struct svc_service {
    char *name;
    enum svc_kind kind;
    char *catalina_base; /* tomcat */
    char *catalina_home; /* tomcat; the base when not known apart */
    char *jar;           /* spring-boot, jar */
    char *classpath;     /* classpath: a Java classpath string */
    char *war;           /* war: a war file or an exploded webapp directory */
    char **logs;         /* glob patterns of its log files */
    size_t n_logs;
    size_t logs_cap;
    char *origin;    /* e.g. "config /etc/wrench/wrench.conf", "environment WRENCH_APP" */
    char **evidence; /* e.g. "found /usr/local/tomcat/conf/server.xml" */
    size_t n_evidence;
    size_t evidence_cap;
    char **evidence_zh; /* the same in Chinese (messages.h), one for each */
    size_t n_evidence_zh, evidence_zh_cap;

    /* Filled by svcconfig_tomcat_layout() for Tomcat. */
    char *app_base; /* absolute appBase of the first Host */
    char **webapps; /* war files and directories under app_base, sorted */
    size_t n_webapps;
    size_t webapps_cap;
    char **common_loader; /* common.loader items, ${} expanded, in order */
    size_t n_common_loader;
    size_t common_loader_cap;
};

struct svc_discovery {
    struct svc_service *services;
    size_t n;
    size_t cap;
    char *config_file; /* the config file that was read; NULL when none */
    char **not_found;  /* places looked at in vain, e.g. "/opt/app: no jar" */
    size_t n_not_found;
    size_t not_found_cap;
    char **notes; /* things worth telling: several jars in /app, an odd server.xml */
    size_t n_notes;
    size_t notes_cap;
    char **not_found_zh; /* the same in Chinese (messages.h), one for each */
    size_t n_not_found_zh, not_found_zh_cap;
    char **notes_zh;
    size_t n_notes_zh, notes_zh_cap;
};

/* The environment discovery listens to; NULL members are unset. */
struct svc_env {
    const char *wrench_config;
    const char *catalina_base;
    const char *catalina_home;
    const char *wrench_app;
    const char *cwd; /* the working directory in the target file system */
};

/* Fill *env from getenv() and getcwd() (cwd points to a static buffer). */
void svcconfig_env_from_process(struct svc_env *env);

/* Parse a config file's text (`file` names it in messages) and append its
 * services to *out. Strict: an unknown key, a wrong type, a missing or empty
 * name, a duplicate name, an unknown kind, a path key the kind does not take,
 * a relative path: -1 with err naming the file and the field, e.g.
 * "/etc/wrench/wrench.conf: services[1].paths.jar: must be an absolute path",
 * and *out unchanged. */
int svcconfig_parse(const char *text, size_t len, const char *file, struct svc_discovery *out,
                    char *err);

/* Read `path` under `root` and parse it. Returns 1 when loaded, 0 when the file
 * does not exist, -1 with err when unreadable, too large or invalid. */
int svcconfig_load(const char *root, const char *path, struct svc_discovery *out, char *err);

/* Discover services: the config file ($WRENCH_CONFIG, else the default path)
 * when it exists; else the environment's CATALINA_BASE / CATALINA_HOME /
 * WRENCH_APP; else the conventional places. Tomcat services get their layout.
 * Returns 0 (with possibly no service: see not_found), or -1 with err when the
 * config file exists but is invalid or when WRENCH_CONFIG names a missing
 * file. *out is overwritten; free with svc_discovery_free(). */
int svcconfig_discover(const char *root, const struct svc_env *env, struct svc_discovery *out,
                       char *err);

/* Expand the service's log globs under root into files (root-prefixed, sorted,
 * at most SVCCONFIG_LOGS_MAX). Appends to *files. */
void svcconfig_expand_logs(const char *root, const struct svc_service *s, char ***files, size_t *n,
                           size_t *cap);

/* root + path (path absolute), new string. */
char *svcconfig_host_path(const char *root, const char *path);

void svc_service_clear(struct svc_service *s);
/* Add why s is believed to be a service: message `id` (messages.h) in each language. */
void svc_service_evidence(struct svc_service *s, enum msg_id id, const struct msg_arg *args);
void svc_discovery_free(struct svc_discovery *d);

#endif
