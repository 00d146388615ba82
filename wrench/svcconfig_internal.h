/*
 * svcconfig_internal.h - what svcconfig.c shares with the other parts of service discovery
 * (svcplaces.c, tomcatlayout.c) and no caller sees: notes, not-found places and evidence,
 * paths under the root, a capped file read, a new service.
 */
#ifndef WRENCH_SVCCONFIG_INTERNAL_H
#define WRENCH_SVCCONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "svcconfig.h"

/* A note in d (nothing when d is NULL). */
void d_note(struct svc_discovery *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A place looked at in vain. */
void d_not_found(struct svc_discovery *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Why s is believed to be a service. */
void evidence(struct svc_service *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Does root + path exist as a directory (want_dir) or a regular file? */
bool host_exists(const char *root, const char *path, bool want_dir);
/* Read a whole regular file of at most SVCCONFIG_FILE_MAX bytes. 0, or -1 with errno
 * (EFBIG when larger; EISDIR or EINVAL when not a regular file, which could block). */
int read_file(const char *path, char **out, size_t *len);
/* A new service appended to d (name and origin copied); the rest zeroed. */
struct svc_service *add_service(struct svc_discovery *d, const char *name, enum svc_kind kind,
                                const char *origin);

#endif
