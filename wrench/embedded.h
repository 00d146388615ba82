/*
 * embedded.h - files compiled into the binary at build time (scripts/embed.sh):
 * the default rule sets from rules/ and the web UI from web/.
 */
#ifndef WRENCH_EMBEDDED_H
#define WRENCH_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *path;          /* relative to the source tree, e.g. "rules/classpath-hints.json" */
    const unsigned char *data; /* NUL-terminated for convenience */
    size_t size;
};

/* Terminated by an entry whose path is NULL. */
extern const struct embedded_file embedded_files[];

/* The embedded file at `path`, or NULL. */
const struct embedded_file *embedded_find(const char *path);

#endif
