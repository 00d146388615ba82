/*
 * svcconfig_internal.h - what svcconfig.c shares with the other parts of service discovery
 * (svcplaces.c, tomcatlayout.c) and no caller sees: notes, not-found places and evidence,
 * paths under the root, a capped file read, a new service.
 */
#ifndef WRENCH_SVCCONFIG_INTERNAL_H
#define WRENCH_SVCCONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "messages.h"
#include "svcconfig.h"

/* A note in d (nothing when d is NULL): message `id` (messages.h) in each language. */
void svc_note_args(struct svc_discovery *d, enum msg_id id, const struct msg_arg *args);
#define svc_note(d, id, ...) svc_note_args((d), (id), MSG_ARGS(__VA_ARGS__))
/* A place looked at in vain, in each language. */
void svc_not_found_args(struct svc_discovery *d, enum msg_id id, const struct msg_arg *args);
#define svc_not_found(d, id, ...) svc_not_found_args((d), (id), MSG_ARGS(__VA_ARGS__))
/* Why s is believed to be a service. */
#define svc_evidence(s, id, ...) svc_service_evidence((s), (id), MSG_ARGS(__VA_ARGS__))
/* Does root + path exist as a directory (want_dir) or a regular file? */
bool svc_host_exists(const char *root, const char *path, bool want_dir);
/* Read a whole regular file of at most SVCCONFIG_FILE_MAX bytes. 0, or -1 with errno
 * (EFBIG when larger; EISDIR or EINVAL when not a regular file, which could block). */
int svc_read_file(const char *path, char **out, size_t *len);
/* A new service appended to d (name and origin copied); the rest zeroed. */
struct svc_service *svc_add_service(struct svc_discovery *d, const char *name, enum svc_kind kind,
                                    const char *origin);

#endif
