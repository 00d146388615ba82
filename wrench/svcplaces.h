/*
 * svcplaces.h - services found without a services file (part of service discovery,
 * svcconfig.h): those the environment names and those in the conventional places. Called
 * by svcconfig_discover() when the services file declares none.
 */
#ifndef WRENCH_SVCPLACES_H
#define WRENCH_SVCPLACES_H

#include "svcconfig.h"

/* The services CATALINA_BASE / CATALINA_HOME and WRENCH_APP name; what they name in vain
 * becomes not_found or a note. */
void from_env(const char *root, const struct svc_env *env, struct svc_discovery *d);
/* The services in the conventional places: Tomcat under /usr/local/tomcat, /opt/tomcat*,
 * /var/lib/tomcat* (with its /usr/share home), /usr/share/tomcat*; then the working
 * directory, /app and /opt/app. Each place looked at in vain is noted in not_found. */
void svcplaces_conventional(const char *root, const struct svc_env *env, struct svc_discovery *d);

#endif
