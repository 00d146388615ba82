/*
 * svcports.h - the TCP ports a service says it listens on, read from its
 * configuration rather than from the sockets: Tomcat's server.xml (each
 * Connector's port, the Server's shutdown port), Spring Boot's server.port and
 * management.server.port (-D, the environment, application.properties/.yml in
 * the working directory and its config/), Dubbo's dubbo.protocol.port (-D,
 * the environment, dubbo.properties, application.*). The state of a service
 * compares them with what procnet.h finds listening.
 */
#ifndef WRENCH_SVCPORTS_H
#define WRENCH_SVCPORTS_H

#include <stdbool.h>
#include <stddef.h>

#define SVCPORTS_FILE_MAX (1024 * 1024) /* bytes of server.xml or an application file */

struct declared_port {
    int port;
    char *what;   /* "HTTP/1.1 connector", "shutdown port", "server.port"... */
    char *source; /* "/opt/tomcat/conf/server.xml", "-Dserver.port", "SERVER_PORT"... */
};

struct port_list {
    struct declared_port *items;
    size_t n, cap;
    char **notes; /* a port wrench could not resolve ("${http.port}"), a random port (0) */
    size_t n_notes, notes_cap;
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

/* What a JVM (or a declared service) declares. Each source is optional (NULL):
 * `props` and `env` are "name=value" strings (the -D properties, the environment),
 * `server_xml` a host path to Tomcat's conf/server.xml, `config_dirs` host paths of the
 * directories holding application.properties/.yml (highest precedence first). */
struct port_sources {
    char *const *props;
    size_t n_props;
    char *const *env;
    size_t n_env;
    const char *server_xml;
    const char *const *config_dirs;
    size_t n_config_dirs;
};
void svcports_declared(const struct port_sources *src, struct port_list *out);

#endif
