/*
 * jar.c - opening jars (mapped files and nested jars) and reading single
 * entries. The central directory is walked by zipdir.c; an entry's contents
 * are inflated by libzip from a one-entry archive built around the entry's
 * bytes, so libzip never parses (and mktime()s) a whole 600-jar classpath.
 */
#include "jar.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "util.h"

#define METHOD_STORED 0
#define FLAG_DATA_DESCRIPTOR 0x0008u
#define ZIP32_LIMIT 0xffffffffu /* sizes from here on need zip64 */

/* The one-entry archive handed to libzip: a local header, the entry's
 * compressed bytes (borrowed, never copied), a central record and an end
 * record. The entry is named "x": its real name is only needed for messages,
 * and a fixed one keeps odd names away from libzip's name handling. */
#define ONE_NAME "x"
#define ONE_NAME_LEN 1
#define ONE_VERSION 20  /* "version needed": 2.0, plain deflate */
#define ONE_DOS_DATE 33 /* 1980-01-01: the entry's real date does not matter here */
#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define LOCAL_HEADER_SIZE 30
#define CENTRAL_HEADER_SIZE 46
#define EOCD_SIZE 22
#define ONE_HEAD_SIZE (LOCAL_HEADER_SIZE + ONE_NAME_LEN)
#define ONE_CD_SIZE (CENTRAL_HEADER_SIZE + ONE_NAME_LEN)
#define ONE_TAIL_SIZE (ONE_CD_SIZE + EOCD_SIZE)
#define ONE_MAX_FRAGMENTS 3

#define READ_CAP_MAX (SIZE_MAX / 4) /* keeps the buffer arithmetic below from overflowing */

static void wr16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)((v >> 8) & 0xff);
}

static void wr32(unsigned char *p, uint32_t v)
{
    wr16(p, v & 0xffff);
    wr16(p + 2, v >> 16);
}

static struct jar *jar_new(const char *path, const unsigned char *data, size_t size)
{
    struct jar *jar = xcalloc(1, sizeof *jar);
    jar->path = xstrdup(path);
    jar->data = data;
    jar->size = size;
    return jar;
}

int jar_open_file(struct jar **out, const char *path, char *err)
{
    int rc = JAR_OK;
    void *map = NULL;
    size_t map_len = 0;
    struct stat st;
    char zerr[WR_ERR_MAX];

    /* O_NONBLOCK: a FIFO named on a classpath must not hang the scan at open(). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        rc = (errno == ENOENT || errno == ENOTDIR) ? JAR_ERR_MISSING : JAR_ERR_UNREADABLE;
        err_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        rc = JAR_ERR_UNREADABLE;
        err_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = JAR_ERR_UNREADABLE;
        err_set(err, "%s: is a directory, not a jar", path);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = JAR_ERR_UNREADABLE;
        err_set(err, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_size == 0) {
        rc = JAR_ERR_CORRUPT;
        err_set(err, "%s: empty file (0 bytes), not a zip", path);
        goto out;
    }
    if ((uint64_t)st.st_size > SIZE_MAX) {
        rc = JAR_ERR_TOO_LARGE;
        err_set(err, "%s: too large to map (%lld bytes)", path, (long long)st.st_size);
        goto out;
    }
    map_len = (size_t)st.st_size;
    map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        map = NULL;
        rc = JAR_ERR_UNREADABLE;
        err_set(err, "%s: cannot map: %s", path, strerror(errno));
        goto out;
    }
    /* Checking the end record now makes a corrupt file fail here, where the
     * caller records it, instead of on first use. */
    if (zipdir_count(map, map_len, zerr) < 0) {
        rc = JAR_ERR_CORRUPT;
        err_set(err, "%s: %s", path, zerr);
        goto out;
    }
    struct jar *jar = jar_new(path, map, map_len);
    jar->map = map;
    jar->map_len = map_len;
    map = NULL;
    *out = jar;
out:
    if (map)
        munmap(map, map_len);
    if (fd >= 0)
        close(fd);
    return rc;
}

static int error_from_libzip(zip_error_t *ze)
{
    return zip_error_code_zip(ze) == ZIP_ER_MEMORY ? JAR_ERR_UNREADABLE : JAR_ERR_CORRUPT;
}

/* Build the headers of the one-entry archive around `e`'s data. */
static void one_entry_headers(const struct zipdir_entry *e, unsigned char head[ONE_HEAD_SIZE],
                              unsigned char tail[ONE_TAIL_SIZE])
{
    /* The sizes are written here, so a data descriptor after the data is not needed. */
    uint32_t flags = e->flags & ~FLAG_DATA_DESCRIPTOR;
    uint32_t csize = (uint32_t)e->compressed_size;
    uint32_t size = (uint32_t)e->size;

    memset(head, 0, ONE_HEAD_SIZE);
    wr32(head, SIG_LOCAL);
    wr16(head + 4, ONE_VERSION);
    wr16(head + 6, flags);
    wr16(head + 8, e->method);
    wr16(head + 12, ONE_DOS_DATE);
    wr32(head + 14, e->crc);
    wr32(head + 18, csize);
    wr32(head + 22, size);
    wr16(head + 26, ONE_NAME_LEN);
    memcpy(head + LOCAL_HEADER_SIZE, ONE_NAME, ONE_NAME_LEN);

    unsigned char *c = tail;
    memset(tail, 0, ONE_TAIL_SIZE);
    wr32(c, SIG_CENTRAL);
    wr16(c + 4, ONE_VERSION);
    wr16(c + 6, ONE_VERSION);
    wr16(c + 8, flags);
    wr16(c + 10, e->method);
    wr16(c + 14, ONE_DOS_DATE);
    wr32(c + 16, e->crc);
    wr32(c + 20, csize);
    wr32(c + 24, size);
    wr16(c + 28, ONE_NAME_LEN);
    memcpy(c + CENTRAL_HEADER_SIZE, ONE_NAME, ONE_NAME_LEN);

    unsigned char *end = tail + ONE_CD_SIZE;
    wr32(end, SIG_EOCD);
    wr16(end + 8, 1);
    wr16(end + 10, 1);
    wr32(end + 12, ONE_CD_SIZE);
    wr32(end + 16, (uint32_t)(ONE_HEAD_SIZE + csize));
}

int jar_read_entry(const struct jar *jar, const struct zipdir_entry *e, size_t cap,
                   unsigned char **out, size_t *out_len, char *err)
{
    int rc = JAR_OK;
    char name[ZIPDIR_NAME_MSG_MAX];
    char zerr[WR_ERR_MAX];
    unsigned char head[ONE_HEAD_SIZE];
    unsigned char tail[ONE_TAIL_SIZE];
    zip_buffer_fragment_t frags[ONE_MAX_FRAGMENTS];
    zip_uint64_t n_frags = 0;
    zip_error_t zip_err;
    zip_source_t *src = NULL;
    zip_t *za = NULL;
    zip_file_t *zf = NULL;
    unsigned char *buf = NULL;
    size_t total = 0;
    uint64_t data_offset;

    zip_error_init(&zip_err);
    zipdir_name_printable(e->name, e->name_len, name, sizeof name);
    if (cap > READ_CAP_MAX)
        cap = READ_CAP_MAX;
    if (e->size > cap) {
        rc = JAR_ERR_TOO_LARGE;
        err_set(err, "%s: %s: %" PRIu64 " bytes, over the limit of %zu", jar->path, name, e->size,
                cap);
        goto out;
    }
    if (e->compressed_size >= ZIP32_LIMIT || e->size >= ZIP32_LIMIT) {
        rc = JAR_ERR_TOO_LARGE;
        err_set(err,
                "%s: %s: %" PRIu64 " bytes compressed, %" PRIu64
                " uncompressed: zip64 sizes (4 GiB and more) are not read",
                jar->path, name, e->compressed_size, e->size);
        goto out;
    }
    if (zipdir_data_offset(jar->data, jar->size, e, &data_offset, zerr) != 0) {
        rc = JAR_ERR_CORRUPT;
        err_set(err, "%s: %s: %s", jar->path, name, zerr);
        goto out;
    }

    one_entry_headers(e, head, tail);
    frags[n_frags++] = (zip_buffer_fragment_t){head, ONE_HEAD_SIZE};
    if (e->compressed_size > 0)
        /* libzip's fragment type is not const, but a read-only archive never
         * writes to its source: the mapped bytes stay untouched. */
        frags[n_frags++] = (zip_buffer_fragment_t){
            (zip_uint8_t *)(uintptr_t)(jar->data + data_offset), e->compressed_size};
    frags[n_frags++] = (zip_buffer_fragment_t){tail, ONE_TAIL_SIZE};

    src = zip_source_buffer_fragment_create(frags, n_frags, 0, &zip_err);
    if (!src) {
        rc = error_from_libzip(&zip_err);
        err_set(err, "%s: %s: %s", jar->path, name, zip_error_strerror(&zip_err));
        goto out;
    }
    za = zip_open_from_source(src, ZIP_RDONLY, &zip_err);
    if (!za) {
        zip_source_free(src);
        rc = error_from_libzip(&zip_err);
        err_set(err, "%s: %s: %s", jar->path, name, zip_error_strerror(&zip_err));
        goto out;
    }
    zf = zip_fopen_index(za, 0, 0);
    if (!zf) {
        rc = error_from_libzip(zip_get_error(za));
        err_set(err, "%s: %s: %s", jar->path, name, zip_error_strerror(zip_get_error(za)));
        goto out;
    }

    /* The declared size sizes the buffer, but only the bytes actually produced
     * count against the cap: a bomb lying about its size stops at cap + 1. */
    size_t capacity = (size_t)e->size + 1; /* room for the NUL, or one byte too many */
    buf = xmalloc(capacity);
    for (;;) {
        if (total == capacity) {
            if (total > cap) {
                rc = JAR_ERR_TOO_LARGE;
                err_set(err,
                        "%s: %s: inflates to more than the limit of %zu bytes (declared %" PRIu64
                        ")",
                        jar->path, name, cap, e->size);
                goto out;
            }
            capacity = capacity > cap / 2 ? cap + 1 : capacity * 2;
            buf = xrealloc(buf, capacity);
        }
        zip_int64_t n = zip_fread(zf, buf + total, capacity - total);
        if (n < 0) {
            zip_error_t *fe = zip_file_get_error(zf);
            rc = error_from_libzip(fe);
            err_set(err, "%s: %s: %s", jar->path, name, zip_error_strerror(fe));
            goto out;
        }
        if (n == 0)
            break;
        total += (size_t)n;
    }
    if (total != e->size) {
        rc = JAR_ERR_CORRUPT;
        err_set(err, "%s: %s: inflates to %zu bytes but declares %" PRIu64, jar->path, name, total,
                e->size);
        goto out;
    }
    /* A read only returns 0 with room left, so the NUL fits. */
    buf[total] = '\0';
    *out = buf;
    *out_len = total;
    buf = NULL;
out:
    free(buf);
    if (zf)
        zip_fclose(zf);
    if (za)
        zip_discard(za);
    zip_error_fini(&zip_err);
    return rc;
}

int jar_open_nested_capped(struct jar **out, const struct jar *outer, const struct zipdir_entry *e,
                           const char *display, size_t cap, char *err)
{
    int rc = JAR_OK;
    char name[ZIPDIR_NAME_MSG_MAX];
    char zerr[WR_ERR_MAX];
    unsigned char *owned = NULL;
    const unsigned char *data;
    size_t size;

    zipdir_name_printable(e->name, e->name_len, name, sizeof name);
    if (e->method == METHOD_STORED) {
        uint64_t data_offset;
        if (e->compressed_size != e->size) {
            rc = JAR_ERR_CORRUPT;
            err_set(err,
                    "%s: %s: stored entry declares %" PRIu64 " bytes compressed but %" PRIu64
                    " uncompressed",
                    outer->path, name, e->compressed_size, e->size);
            goto out;
        }
        if (zipdir_data_offset(outer->data, outer->size, e, &data_offset, zerr) != 0) {
            rc = JAR_ERR_CORRUPT;
            err_set(err, "%s: %s: %s", outer->path, name, zerr);
            goto out;
        }
        /* Spring Boot stores nested jars uncompressed precisely so they can be
         * used in place: no copy, no CRC pass. */
        data = outer->data + data_offset;
        size = (size_t)e->size;
    } else {
        rc = jar_read_entry(outer, e, cap, &owned, &size, err);
        if (rc != JAR_OK)
            goto out;
        data = owned;
    }
    if (zipdir_count(data, size, zerr) < 0) {
        rc = JAR_ERR_CORRUPT;
        err_set(err, "%s: %s", display, zerr);
        goto out;
    }
    struct jar *jar = jar_new(display, data, size);
    jar->owned = owned;
    owned = NULL;
    *out = jar;
out:
    free(owned);
    return rc;
}

int jar_open_nested(struct jar **out, const struct jar *outer, const struct zipdir_entry *e,
                    const char *display, char *err)
{
    return jar_open_nested_capped(out, outer, e, display, JAR_MAX_NESTED_BYTES, err);
}

void jar_free(struct jar *jar)
{
    if (!jar)
        return;
    if (jar->map)
        munmap(jar->map, jar->map_len);
    free(jar->owned);
    free(jar->path);
    free(jar);
}

int jar_walk(const struct jar *jar, zipdir_visit_fn fn, void *ud, char *err)
{
    char zerr[WR_ERR_MAX];
    if (zipdir_walk(jar->data, jar->size, fn, ud, zerr) != 0) {
        err_set(err, "%s: %s", jar->path, zerr);
        return -1;
    }
    return 0;
}

struct find_state {
    const char *name;
    size_t name_len;
    struct zipdir_entry found;
    int hit;
};

static int find_visit(const struct zipdir_entry *e, void *ud)
{
    struct find_state *st = ud;
    if (e->name_len != st->name_len || memcmp(e->name, st->name, st->name_len) != 0)
        return 0;
    st->found = *e;
    st->hit = 1;
    return 1;
}

int jar_find(const struct jar *jar, const char *name, struct zipdir_entry *out, char *err)
{
    struct find_state st = {.name = name, .name_len = strlen(name)};
    if (jar_walk(jar, find_visit, &st, err) != 0)
        return -1;
    if (st.hit)
        *out = st.found;
    return st.hit;
}
