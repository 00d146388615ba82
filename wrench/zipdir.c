/*
 * zipdir.c - walks a zip central directory held in memory without allocating:
 * finds the end record (and the zip64 one), works out how many bytes of prefix
 * sit in front of the archive, and hands each record to a visitor. Every read
 * is checked against the buffer and against the central directory's bounds.
 */
#include "zipdir.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "util.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_EOCD64_LOCATOR 0x07064b50u

#define LOCAL_HEADER_SIZE ZIPDIR_LOCAL_HEADER_SIZE
#define CENTRAL_HEADER_SIZE 46
#define EOCD_SIZE 22
#define EOCD_MAX_COMMENT 65535
#define EOCD64_SIZE 56
#define EOCD64_LEADING 12 /* signature and the record-size field, not counted in it */
#define EOCD64_LOCATOR_SIZE 20
#define EXTRA_HEADER_SIZE 4
#define EXTRA_ZIP64 0x0001u
#define ZIP64_MARK16 0xffffu
#define ZIP64_MARK32 0xffffffffu

/* Offsets of the fields wrench reads. */
#define LOCAL_NAME_LEN 26
#define LOCAL_EXTRA_LEN 28

#define CEN_FLAGS 8
#define CEN_METHOD 10
#define CEN_CRC 16
#define CEN_CSIZE 20
#define CEN_SIZE 24
#define CEN_NAME_LEN 28
#define CEN_EXTRA_LEN 30
#define CEN_COMMENT_LEN 32
#define CEN_LOCAL_OFFSET 42

#define EOCD_DISK 4
#define EOCD_CD_DISK 6
#define EOCD_COUNT 10
#define EOCD_CD_SIZE 12
#define EOCD_CD_OFFSET 16
#define EOCD_COMMENT_LEN 20

#define LOC64_EOCD64_OFFSET 8

#define EOCD64_RECORD_SIZE 4
#define EOCD64_DISK 16
#define EOCD64_CD_DISK 20
#define EOCD64_COUNT 32
#define EOCD64_CD_SIZE 40
#define EOCD64_CD_OFFSET 48

#define ELLIPSIS "..."

/* The bytes at hand: archive offsets [base, len) at p[0 .. len - base). A whole archive has
 * base 0; a file jar holds only its tail (end records and central directory), read with
 * pread, so that a file shrinking under the scan is a short read, never a SIGBUS. */
struct zbuf {
    const unsigned char *p;
    uint64_t base;
    uint64_t len;
};

/* True when archive bytes [at, at + n) are in the buffer. */
static bool has(const struct zbuf *z, uint64_t at, uint64_t n)
{
    return at >= z->base && at <= z->len && z->len - at >= n;
}

static const unsigned char *at_(const struct zbuf *z, uint64_t at)
{
    return z->p + (at - z->base);
}

/* Where the central directory lies in the buffer, as the end records say. */
struct cd_location {
    uint64_t start;  /* of the first central record, in the buffer */
    uint64_t size;   /* bytes of central records */
    uint64_t count;  /* records declared */
    uint64_t prefix; /* bytes in front of the archive, added to every stored offset */
};

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

/* The end record: the last signature whose comment ends exactly at the end of
 * the buffer, else (trailing junk after the archive) the last one whose
 * comment fits. Scanning from the end finds the real record before any
 * signature inside entry data, which always precedes the directory; asking
 * for an exact fit first skips a signature inside the archive comment. */
static int find_eocd(const struct zbuf *z, uint64_t *pos, char *err)
{
    if (z->len == 0) {
        err_set(err, "not a zip file (empty)");
        return -1;
    }
    if (z->len >= EOCD_SIZE && z->len - EOCD_SIZE >= z->base) {
        uint64_t last = z->len - EOCD_SIZE;
        uint64_t lowest = last > EOCD_MAX_COMMENT ? last - EOCD_MAX_COMMENT : 0;
        if (lowest < z->base)
            lowest = z->base;
        bool fits = false;
        uint64_t fit_pos = 0;
        for (uint64_t p = last + 1; p-- > lowest;) {
            const unsigned char *b = at_(z, p);
            if (b[0] != 'P' || rd32(b) != SIG_EOCD)
                continue;
            uint64_t comment = rd16(b + EOCD_COMMENT_LEN);
            if (comment == last - p) {
                *pos = p;
                return 0;
            }
            if (comment < last - p && !fits) {
                fits = true;
                fit_pos = p;
            }
        }
        if (fits) {
            *pos = fit_pos;
            return 0;
        }
    }
    err_set(err, "not a zip file (no end of central directory record)");
    return -1;
}

/* The zip64 end record for a locator at `limit`. The locator's offset is
 * relative to the archive start, so with a prefix it points too low; the
 * record normally sits right before the locator, which is the fallback. */
static int find_eocd64(const struct zbuf *z, uint64_t limit, uint64_t declared, uint64_t *pos)
{
    uint64_t at;
    if (declared <= limit && limit - declared >= EOCD64_SIZE && has(z, declared, EOCD64_SIZE) &&
        rd32(at_(z, declared)) == SIG_EOCD64)
        at = declared;
    else if (limit >= EOCD64_SIZE && has(z, limit - EOCD64_SIZE, EOCD64_SIZE) &&
             rd32(at_(z, limit - EOCD64_SIZE)) == SIG_EOCD64)
        at = limit - EOCD64_SIZE;
    else
        return -1;
    uint64_t record_size = rd64(at_(z, at) + EOCD64_RECORD_SIZE);
    if (record_size < EOCD64_SIZE - EOCD64_LEADING || record_size > limit - at - EOCD64_LEADING)
        return -1;
    *pos = at;
    return 0;
}

/* Returns 0, -1 with err set, or LOCATE_SHORT when the central directory starts before the
 * bytes at hand (loc is then filled: the caller reads more). */
#define LOCATE_SHORT (-2)

static int locate(const struct zbuf *z, struct cd_location *loc, char *err)
{
    uint64_t eocd;
    if (find_eocd(z, &eocd, err) != 0)
        return -1;
    const unsigned char *e = at_(z, eocd);
    uint64_t disk = rd16(e + EOCD_DISK);
    uint64_t cd_disk = rd16(e + EOCD_CD_DISK);
    uint64_t count = rd16(e + EOCD_COUNT);
    uint64_t cd_size = rd32(e + EOCD_CD_SIZE);
    uint64_t cd_offset = rd32(e + EOCD_CD_OFFSET);
    uint64_t cd_end = eocd; /* the central directory ends where the (zip64) end record starts */
    bool marked = count == ZIP64_MARK16 || cd_size == ZIP64_MARK32 || cd_offset == ZIP64_MARK32;

    if (eocd >= EOCD64_LOCATOR_SIZE && has(z, eocd - EOCD64_LOCATOR_SIZE, EOCD64_LOCATOR_SIZE) &&
        rd32(at_(z, eocd - EOCD64_LOCATOR_SIZE)) == SIG_EOCD64_LOCATOR) {
        uint64_t locator = eocd - EOCD64_LOCATOR_SIZE;
        uint64_t pos;
        if (find_eocd64(z, locator, rd64(at_(z, locator) + LOC64_EOCD64_OFFSET), &pos) == 0) {
            const unsigned char *r = at_(z, pos);
            disk = rd32(r + EOCD64_DISK);
            cd_disk = rd32(r + EOCD64_CD_DISK);
            count = rd64(r + EOCD64_COUNT);
            cd_size = rd64(r + EOCD64_CD_SIZE);
            cd_offset = rd64(r + EOCD64_CD_OFFSET);
            cd_end = pos;
        } else if (marked) {
            err_set(err, "zip64 end of central directory record is missing or damaged");
            return -1;
        }
        /* else: a stray signature in a plain archive; the 32-bit values stand */
    }

    if (disk != 0 || cd_disk != 0) {
        err_set(err, "split (multi-disk) archives are not supported");
        return -1;
    }
    if (count > cd_size / CENTRAL_HEADER_SIZE) {
        err_set(err, "central directory declares %" PRIu64 " entries but is only %" PRIu64 " bytes",
                count, cd_size);
        return -1;
    }
    if (count > ZIPDIR_MAX_ENTRIES) {
        err_set(err, "central directory declares %" PRIu64 " entries, more than the limit of %u",
                count, ZIPDIR_MAX_ENTRIES);
        return -1;
    }
    if (cd_size > cd_end || cd_offset > cd_end - cd_size) {
        err_set(err,
                "central directory (offset %" PRIu64 ", %" PRIu64
                " bytes) runs past its end record at offset %" PRIu64 " (truncated?)",
                cd_offset, cd_size, cd_end);
        return -1;
    }
    /* Like Info-ZIP and libzip: whatever lies between where the directory
     * says it starts and where it really starts is a prefix (a launcher script)
     * that every stored offset must skip. */
    loc->start = cd_end - cd_size;
    loc->size = cd_size;
    loc->count = count;
    loc->prefix = loc->start - cd_offset;
    if (loc->start < z->base) {
        err_set(err, "central directory starts before the bytes read");
        return LOCATE_SHORT;
    }
    if (count > 0 && rd32(at_(z, loc->start)) != SIG_CENTRAL) {
        err_set(err, "no central directory record at offset %" PRIu64, loc->start);
        return -1;
    }
    return 0;
}

/* Replace the 32-bit fields that hold the zip64 marker with the values of the
 * zip64 extra field, which lists only those, in this order. */
static int apply_zip64_extra(const unsigned char *x, size_t xlen, bool need_size, bool need_csize,
                             bool need_offset, struct zipdir_entry *e)
{
    while (xlen >= EXTRA_HEADER_SIZE) {
        uint16_t id = rd16(x);
        size_t n = rd16(x + 2);
        if (n > xlen - EXTRA_HEADER_SIZE)
            return -1;
        if (id == EXTRA_ZIP64) {
            const unsigned char *f = x + EXTRA_HEADER_SIZE;
            size_t want = 8 * ((size_t)need_size + need_csize + need_offset);
            if (n < want)
                return -1;
            if (need_size) {
                e->size = rd64(f);
                f += 8;
            }
            if (need_csize) {
                e->compressed_size = rd64(f);
                f += 8;
            }
            if (need_offset)
                e->local_offset = rd64(f);
            return 0;
        }
        x += EXTRA_HEADER_SIZE + n;
        xlen -= EXTRA_HEADER_SIZE + n;
    }
    return -1;
}

static int walk(const struct zbuf *z, zipdir_visit_fn fn, void *ud, char *err)
{
    struct cd_location loc;
    if (locate(z, &loc, err) != 0)
        return -1;
    const unsigned char *p = at_(z, loc.start);
    uint64_t left = loc.size;
    uint64_t cd_offset = loc.start - loc.prefix; /* local headers must end before this */

    for (uint64_t i = 0; i < loc.count; i++) {
        if (left < CENTRAL_HEADER_SIZE || rd32(p) != SIG_CENTRAL) {
            err_set(err,
                    "central directory record %" PRIu64 " of %" PRIu64
                    ": bad signature or truncated",
                    i, loc.count);
            return -1;
        }
        size_t name_len = rd16(p + CEN_NAME_LEN);
        size_t extra_len = rd16(p + CEN_EXTRA_LEN);
        size_t comment_len = rd16(p + CEN_COMMENT_LEN);
        size_t record = CENTRAL_HEADER_SIZE + name_len + extra_len + comment_len;
        if (record > left) {
            err_set(err,
                    "central directory record %" PRIu64
                    ": name, extra field or comment runs past the end of the central directory",
                    i);
            return -1;
        }
        struct zipdir_entry e = {
            .name = (const char *)p + CENTRAL_HEADER_SIZE,
            .name_len = name_len,
            .crc = rd32(p + CEN_CRC),
            .compressed_size = rd32(p + CEN_CSIZE),
            .size = rd32(p + CEN_SIZE),
            .local_offset = rd32(p + CEN_LOCAL_OFFSET),
            .method = rd16(p + CEN_METHOD),
            .flags = rd16(p + CEN_FLAGS),
            .index = (size_t)i,
        };
        bool need_size = e.size == ZIP64_MARK32;
        bool need_csize = e.compressed_size == ZIP64_MARK32;
        bool need_offset = e.local_offset == ZIP64_MARK32;
        if ((need_size || need_csize || need_offset) &&
            apply_zip64_extra(p + CENTRAL_HEADER_SIZE + name_len, extra_len, need_size, need_csize,
                              need_offset, &e) != 0) {
            char name[ZIPDIR_NAME_MSG_MAX];
            zipdir_name_printable(e.name, e.name_len, name, sizeof name);
            err_set(err, "entry %s: zip64 extra field missing or too short", name);
            return -1;
        }
        if (e.local_offset > cd_offset || cd_offset - e.local_offset < LOCAL_HEADER_SIZE) {
            char name[ZIPDIR_NAME_MSG_MAX];
            zipdir_name_printable(e.name, e.name_len, name, sizeof name);
            err_set(err,
                    "entry %s: local header offset %" PRIu64
                    " lies outside the archive (central directory at %" PRIu64 ")",
                    name, e.local_offset, cd_offset);
            return -1;
        }
        e.local_offset += loc.prefix;
        if (fn(&e, ud) != 0)
            return 0;
        p += record;
        left -= record;
    }
    return 0;
}

int zipdir_walk(const unsigned char *buf, size_t len, zipdir_visit_fn fn, void *ud, char *err)
{
    struct zbuf z = {buf, 0, len};
    return walk(&z, fn, ud, err);
}

int zipdir_walk_tail(const unsigned char *tail, size_t tail_len, uint64_t archive_len,
                     zipdir_visit_fn fn, void *ud, char *err)
{
    if (tail_len > archive_len) {
        err_set(err, "more bytes at hand than the archive holds");
        return -1;
    }
    struct zbuf z = {tail, archive_len - tail_len, archive_len};
    return walk(&z, fn, ud, err);
}

long long zipdir_count(const unsigned char *buf, size_t len, char *err)
{
    struct zbuf z = {buf, 0, len};
    struct cd_location loc;
    if (locate(&z, &loc, err) != 0)
        return -1;
    return (long long)loc.count;
}

int zipdir_tail_needed(const unsigned char *tail, size_t tail_len, uint64_t archive_len,
                       uint64_t *need, char *err)
{
    if (tail_len > archive_len) {
        err_set(err, "more bytes at hand than the archive holds");
        return -1;
    }
    struct zbuf z = {tail, archive_len - tail_len, archive_len};
    struct cd_location loc;
    int rc = locate(&z, &loc, err);
    if (rc == -1)
        return -1;
    *need = archive_len - loc.start;
    return 0;
}

int zipdir_local_data_offset(const unsigned char local[ZIPDIR_LOCAL_HEADER_SIZE],
                             uint64_t archive_len, const struct zipdir_entry *e,
                             uint64_t *data_offset, char *err)
{
    uint64_t at = e->local_offset;
    if (at > archive_len || archive_len - at < LOCAL_HEADER_SIZE) {
        err_set(err,
                "local header at offset %" PRIu64 " lies outside the archive (%" PRIu64 " bytes)",
                at, archive_len);
        return -1;
    }
    if (rd32(local) != SIG_LOCAL) {
        err_set(err, "no local header at offset %" PRIu64, at);
        return -1;
    }
    uint64_t data =
        at + LOCAL_HEADER_SIZE + rd16(local + LOCAL_NAME_LEN) + rd16(local + LOCAL_EXTRA_LEN);
    if (data > archive_len || archive_len - data < e->compressed_size) {
        err_set(err,
                "data (%" PRIu64 " bytes at offset %" PRIu64
                ") runs past the end of the archive (%" PRIu64 " bytes)",
                e->compressed_size, data, archive_len);
        return -1;
    }
    *data_offset = data;
    return 0;
}

int zipdir_data_offset(const unsigned char *buf, size_t len, const struct zipdir_entry *e,
                       uint64_t *data_offset, char *err)
{
    uint64_t at = e->local_offset;
    if (at > len || len - at < LOCAL_HEADER_SIZE) {
        err_set(err, "local header at offset %" PRIu64 " lies outside the archive (%zu bytes)", at,
                len);
        return -1;
    }
    return zipdir_local_data_offset(buf + at, len, e, data_offset, err);
}

void zipdir_name_printable(const char *name, size_t name_len, char *out, size_t out_size)
{
    if (out_size == 0)
        return;
    size_t room = out_size - 1;
    bool cut = name_len > room;
    if (cut)
        room = room > strlen(ELLIPSIS) ? room - strlen(ELLIPSIS) : 0;
    size_t n = name_len < room ? name_len : room;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (cut) {
        size_t tail = out_size - 1 - n;
        memcpy(out + n, ELLIPSIS, tail);
        n += tail;
    }
    out[n] = '\0';
}
