/*
 * digest.c - SHA-256 of the jars of a scan (see digest.h). Files are read in
 * 1 MiB pieces, never whole; a nested jar is read through jar.c under the
 * same cap as when it was indexed.
 */
#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jar.h"
#include "sha256.h"
#include "util.h"

#define DIGEST_READ_SIZE (1u << 20)

static int hash_file(const char *path, char hex[SHA256_HEX_SIZE], char *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err_set(err, "%s", strerror(errno));
        return -1;
    }
    unsigned char *buf = xmalloc(DIGEST_READ_SIZE);
    struct sha256 ctx;
    sha256_init(&ctx);
    ssize_t n;
    while ((n = read(fd, buf, DIGEST_READ_SIZE)) > 0)
        sha256_update(&ctx, buf, (size_t)n);
    int saved = errno;
    free(buf);
    close(fd);
    if (n < 0) {
        err_set(err, "%s", strerror(saved));
        return -1;
    }
    sha256_final_hex(&ctx, hex);
    return 0;
}

static int hash_nested(const struct cp_entry *e, char hex[SHA256_HEX_SIZE], char *err)
{
    struct jar *outer = NULL;
    if (jar_open_file(&outer, e->archive, err) != JAR_OK)
        return -1;
    struct zipdir_entry ze;
    unsigned char *data = NULL;
    size_t len = 0;
    int found = jar_find(outer, e->inner, &ze, err);
    int rc = -1;
    if (found == 0)
        err_set(err, "%s is no longer in %s", e->inner, e->archive);
    else if (found > 0 &&
             jar_read_entry(outer, &ze, JAR_MAX_NESTED_BYTES, &data, &len, err) == JAR_OK) {
        sha256_hex(data, len, hex);
        rc = 0;
    }
    free(data);
    jar_free(outer);
    return rc;
}

static bool hashable(const struct cp_entry *e)
{
    return (e->kind == ENTRY_JAR || e->kind == ENTRY_NESTED_JAR) &&
           (e->status == STATUS_OK || e->status == STATUS_TOO_LARGE);
}

/* An entry's identity for "the same bytes": the resolved file, or archive + entry name. */
struct digest_ref {
    char *key;
    struct cp_entry *entry;
};

static int compare_refs(const void *a, const void *b)
{
    return strcmp(((const struct digest_ref *)a)->key, ((const struct digest_ref *)b)->key);
}

void digest_scan(struct scan *scan)
{
    size_t n = 0, cap = 0;
    struct digest_ref *refs = NULL;
    for (size_t v = 0; v < scan->n_views; v++) {
        for (size_t i = 0; i < scan->views[v].n_entries; i++) {
            struct cp_entry *e = &scan->views[v].entries[i];
            if (!hashable(e))
                continue;
            refs = xgrow(refs, &cap, n + 1, sizeof(*refs));
            refs[n].key = e->kind == ENTRY_JAR ? xstrdup(e->real_path ? e->real_path : e->path)
                                               : xasprintf("%s!/%s", e->archive, e->inner);
            refs[n++].entry = e;
        }
    }
    /* Sorted, so that the entries of one file are neighbours and it is hashed once. */
    qsort(refs, n, sizeof(*refs), compare_refs);
    for (size_t i = 0; i < n; i++) {
        struct cp_entry *e = refs[i].entry;
        if (i > 0 && strcmp(refs[i - 1].key, refs[i].key) == 0) {
            memcpy(e->sha256, refs[i - 1].entry->sha256, sizeof(e->sha256));
            continue;
        }
        char err[WR_ERR_MAX];
        int rc = e->kind == ENTRY_JAR ? hash_file(e->path, e->sha256, err)
                                      : hash_nested(e, e->sha256, err);
        if (rc != 0) {
            e->sha256[0] = '\0';
            char *message = xasprintf("cannot read it again for its SHA-256: %s", err);
            scan_add_problem(scan, SEV_WARNING, e->path, message);
            free(message);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(refs[i].key);
    free(refs);
}
