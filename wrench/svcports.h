/*
 * svcports.h - the TCP ports a service says it listens on, read from its
 * configuration rather than from the sockets: Tomcat's server.xml (each
 * Connector's port, the Server's shutdown port), Spring Boot's server.port and
 * management.server.port (arguments, -D, the environment, application[-PROFILE]
 * .properties/.yml outside the jar and inside it), Dubbo's dubbo.protocol.port (the
 * same, and dubbo.properties). The state of a service
 * compares them with what procnet.h finds listening.
 */
#ifndef WRENCH_SVCPORTS_H
#define WRENCH_SVCPORTS_H

#include <stdbool.h>
#include <stddef.h>

#define SVCPORTS_FILE_MAX (1024 * 1024) /* bytes of server.xml or an application file */

struct declared_port {
    int port;
    char *what;    /* "HTTP connector", "shutdown port", "server.port (Spring Boot)"... */
    char *what_zh; /* the same in Simplified Chinese ("HTTP 连接器") */
    char *source;  /* "/opt/tomcat/conf/server.xml", "-Dserver.port", "SERVER_PORT"... */
};

struct port_list {
    struct declared_port *items;
    size_t n, cap;
    char **notes; /* a port wrench could not resolve ("${http.port}"), a random port (0) */
    size_t n_notes, notes_cap;
    char **notes_zh; /* the same in Chinese (messages.h), one for each */
    size_t n_notes_zh, notes_zh_cap;
};

void port_list_free(struct port_list *l);

/* Tomcat: the ports of a server.xml text (comments ignored). `file` names it in notes;
 * `props` ("key=value") resolve ${key} placeholders (may be NULL). */
void svcports_server_xml(const char *text, size_t len, const char *file, char *const *props,
                         size_t n_props, struct port_list *out);

/* The value of a dotted key in a .properties (yml false) or YAML (yml true) text: "a.b.c"
 * matches "a.b.c=" and nested "a:\n  b:\n    c:" alike. New string, NULL when absent.
 * Only the first YAML document is read. */
char *svcports_config_value(const char *text, size_t len, bool yml, const char *key);

/* What a JVM (or a declared service) declares. Each source is optional (NULL / 0):
 * `args` are the application's arguments (Spring Boot reads "--key=value"), `props` and
 * `env` "name=value" strings (the -D properties, the environment), `server_xml` a host path
 * to Tomcat's conf/server.xml, `config_dirs` the directories outside the jar holding
 * application[-PROFILE].properties/.yml as the process names them ("config", ".": its
 * working directory's config/ and itself, highest precedence first), `app_jar` a host path
 * to the application's jar (its BOOT-INF/classes/ or WEB-INF/classes/ or root holds the
 * packaged files). Those directories and the locations named by spring.config.location /
 * additional-location are turned into host paths with `host_path` (NULL: used as they are).
 * Precedence is Spring Boot's: arguments, -D, the environment, then profile-specific files outside
 * the jar, plain files outside, then profile-specific and plain files inside
 * (spring.profiles.active from the same sources). */
struct port_sources {
    char *const *args;
    size_t n_args;
    char *const *props;
    size_t n_props;
    char *const *env;
    size_t n_env;
    const char *server_xml;
    const char *const *config_dirs;
    size_t n_config_dirs;
    const char *app_jar;
    char *(*host_path)(const void *ctx, const char *path); /* a new string or NULL */
    const void *host_ctx;
};
void svcports_declared(const struct port_sources *src, struct port_list *out);

#endif
