/*
 * discover.h - `wrench scan` without targets: find the Java services of this
 * container by themselves. Running JVMs first (/proc); when none runs (a
 * service that died at startup, kept alive for examination), the services
 * file, then the environment, then the conventional places. Each service
 * becomes classpath views and log files to read, and the container's limits
 * are checked against each JVM.
 */
#ifndef WRENCH_DISCOVER_H
#define WRENCH_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct discover_options {
    const char *proc_root;   /* NULL: /proc */
    const char *cgroup_root; /* NULL: /sys/fs/cgroup */
    const char *root;        /* NULL: "/": where the services file and conventional places are */
    const char *config;      /* NULL: $WRENCH_CONFIG, else /etc/wrench/wrench.conf */
    int pid;                 /* 0: every Java process */
    bool no_processes;       /* skip running processes */
};

/*
 * Fill scan->discovery, add a view per class loader of every service found,
 * facts and environment findings, and append the log files to read to
 * *logs (n_logs, logs_cap; new strings). Returns -1 with err when nothing was
 * found (err lists where wrench looked) or the services file is invalid.
 */
int discover_services(struct scan *scan, const struct discover_options *opt, char ***logs,
                      size_t *n_logs, size_t *logs_cap, char *err);

/* The "name=value" variables a logging configuration may refer to, from what discovery
 * saw: every JVM's -D properties (catalina.base...) and the Tomcat bases of declared
 * services. Kept out of the report: they may hold secrets. */
/* The container's facts (memory, CPU, file limits, OOM kills) and the free space of the log
 * directories and /tmp, as facts and environment findings of the scan. discover_services()
 * calls it; a scan of explicit targets calls it itself. */
void discover_check_environment(struct scan *scan, const struct discover_options *opt, char **logs,
                                size_t n_logs);

void discover_variables(const struct discover_options *opt, char ***vars, size_t *n, size_t *cap);

/* A Tomcat base (as wrench can open it): one view per webapp, its own classes first and
 * then the common loader, as Tomcat's WebappClassLoader delegates. `home` is CATALINA_HOME
 * (NULL: the environment's, else the base when it holds lib/catalina.jar, else a packaged
 * Tomcat). Returns the index of
 * the first view added; problems (no webapp) are recorded in the scan. */
size_t discover_add_tomcat(struct scan *scan, const char *base, const char *home);

#endif
