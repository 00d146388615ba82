/*
 * logconf.h - the log files a service's logging configuration declares: the
 * logback.xml, log4j2.xml, log4j2.properties or log4j.properties found on its
 * classpath name where the logs go (<file>, fileName=, File=). Discovery reads
 * those files too, so a service logging to /var/log/shop/app.log is diagnosed
 * without being told.
 */
#ifndef WRENCH_LOGCONF_H
#define WRENCH_LOGCONF_H

#include <stddef.h>

#include "model.h"

#define LOGCONF_MAX_BYTES (1u << 20) /* a configuration file larger than this is not read */

/* The configuration file names to watch for on a classpath (NULL-terminated). */
extern const char *const logconf_names[];

/* Variables for ${...} in configurations: "name=value" strings (JVM -D properties, the
 * Tomcat base...); the environment is consulted after them. Borrowed. */
struct logconf_vars {
    char *const *items;
    size_t n;
};

/*
 * For every configuration file the views hold (scan->views[v].resources), read
 * it, resolve the log file paths it declares, and append those that exist to
 * *paths (new strings, no duplicates). Paths with a variable that cannot be
 * resolved are noted as info problems, never guessed.
 */
void logconf_find_logs(struct scan *scan, const struct logconf_vars *vars, char ***paths, size_t *n,
                       size_t *cap);

/* Extract the declared file paths of one configuration text, unresolved (tests). */
void logconf_declared(const char *name, const char *text, size_t len, char ***out, size_t *n,
                      size_t *cap);

/* Resolve ${name}, ${name:-default}, ${sys:name}, ${env:name} in `s` from the file's own
 * properties, `vars` and the environment; NULL when a variable has no value. New string. */
char *logconf_resolve(const char *s, char *const *props, size_t n_props,
                      const struct logconf_vars *vars);

#endif
