/*
 * tomcatlayout.h - a Tomcat service's own layout (part of service discovery, svcconfig.h):
 * the Host's appBase in conf/server.xml, the webapps under it, and the common loader of
 * conf/catalina.properties, with the Java properties and ${} expansion it needs.
 */
#ifndef WRENCH_TOMCATLAYOUT_H
#define WRENCH_TOMCATLAYOUT_H

#include <stddef.h>

struct svc_service;
struct svc_discovery;

/* Read a Tomcat service's server.xml (Host appBase, default "webapps"), list
 * its webapps and read common.loader from conf/catalina.properties (Tomcat's
 * default when absent). Problems become notes in *d (may be NULL). */
void svcconfig_tomcat_layout(const char *root, struct svc_service *s, struct svc_discovery *d);

/* Expand ${name} (and the other forms of expand.h) in `s` from the pairs vars[0..n)
 * (name, value, name, value, ...; the last of a name wins); unknown names stay as written.
 * New string. */
char *svcconfig_expand(const char *s, const char *const *vars, size_t n_pairs);

/* Split a common.loader value as Tomcat's Bootstrap does: commas separate,
 * double quotes group, items are trimmed, empty ones dropped. Appends copies. */
void svcconfig_split_loader(const char *value, char ***items, size_t *n, size_t *cap);

/* The value of `key` in Java properties text (continuations, '=' ':' or blank
 * separators, '#'/'!' comments, backslash escapes); new string or NULL. */
char *svcconfig_property(const char *text, size_t len, const char *key);

/* The common loader as a Java classpath string for classpath_add_string():
 * an item ending in "*.jar" ends in Java's "*" instead; each item is prefixed with root.
 * New string; NULL when empty. */
char *svcconfig_common_loader_classpath(const char *root, const struct svc_service *s);

#endif
