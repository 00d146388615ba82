/*
 * jar.c - opening jars (files, jars stored in them, jars inflated in memory)
 * and reading single entries. Nothing is mapped: a file's central directory is
 * read with pread() into memory the jar owns, and each entry's bytes when it
 * is read, so a file that shrinks under the scan is a short read and a reported
 * problem, not a SIGBUS. The central directory is walked by zipdir.c; an
 * entry's contents are inflated by zlib (decode_plain) and, when that fails, by
 * libzip from a one-entry archive built around the entry's bytes, for libzip's
 * error message; libzip never parses (and mktime()s) a whole 600-jar classpath.
 */
#include "jar.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "budget.h"
#include "lazylib.h"
#include "util.h"

#define METHOD_STORED 0
#define METHOD_DEFLATED 8
#define FLAG_ENCRYPTED 0x0001u
#define FLAG_DATA_DESCRIPTOR 0x0008u
#define ZIP32_LIMIT 0xffffffffu /* sizes from here on need zip64 */
#define LOCAL_EXTRA_GUESS 64    /* a local header's extra field read with it and the data */

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

#define READ_CAP_MAX (SIZE_MAX / 4)
#define ZIP64_LOCATOR_SIZE 20
#define JAR_FIRST_PROBE                                                                            \
    (16u                                                                                           \
     << 10) /* the tail read first: most jars' whole directory */ /* keeps the buffer arithmetic   \
                                                                     below from overflowing */

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

/* Data of `size` bytes is never longer than this when deflated (deflate's stored blocks add
 * 5 bytes per 64 KiB): compressed bytes beyond it cannot fit the cap, and are not read. */
static uint64_t max_compressed(uint64_t size)
{
    return size + size / 1024 + 1024;
}

struct name_slot {
    uint32_t hash;
    uint32_t record; /* index into entries + 1; 0 is empty */
};

struct jar_names {
    unsigned finds; /* jar_find calls so far: the table is built on the second */
    bool built;
    struct zipdir_entry *entries;
    size_t n, cap;
    struct name_slot *slots;
    size_t capacity; /* power of two */
};

/* What this thread's jar calls hold of the budget now, and the most they held at once since
 * jar_budget_track_begin: the reader checks a jar read on another thread against the budget
 * as it stands when the result is used (reader.c). */
static _Thread_local uint64_t held_now, held_peak;
static _Thread_local bool refused;

void jar_budget_track_begin(void)
{
    held_peak = held_now;
    refused = false;
}

void jar_budget_track_end(uint64_t *peak, bool *was_refused)
{
    *peak = held_peak;
    *was_refused = refused;
}

/* Take `bytes` from the memory budget if they fit. */
static bool try_charge(uint64_t bytes)
{
    if (!budget_take(bytes))
        return false;
    held_now += bytes;
    if (held_now > held_peak)
        held_peak = held_now;
    return true;
}

/* Take `bytes` from the memory budget for `what` of `jar_path`, or say why not. */
static int charge(uint64_t bytes, const char *jar_path, const char *what, char *err)
{
    if (try_charge(bytes))
        return JAR_OK;
    refused = true;
    char need[32], max[32];
    budget_format(bytes, need, sizeof need);
    budget_format(budget_max(), max, sizeof max);
    err_set(err,
            "%s: not read: %s (%s) would take wrench past its memory budget of %s "
            "(--max-memory)",
            jar_path, what, need, max);
    return JAR_ERR_TOO_LARGE;
}

static void uncharge(uint64_t bytes)
{
    budget_give(bytes);
    held_now = held_now >= bytes ? held_now - bytes : 0;
}

static struct jar *jar_new(const char *path, uint64_t size)
{
    struct jar *jar = xcalloc(1, sizeof *jar);
    jar->path = xstrdup(path);
    jar->size = size;
    jar->fd = -1;
    jar->names = xcalloc(1, sizeof *jar->names);
    return jar;
}

/* Read file bytes [off, off + n) of the archive into buf. A file read short of them changed
 * under the scan (truncated or replaced): JAR_ERR_CORRUPT with a message saying so. */
static int read_file_at(const struct jar *jar, uint64_t off, size_t n, unsigned char *buf,
                        char *err)
{
    size_t done = 0;
    while (done < n) {
        ssize_t got = pread(jar->fd, buf + done, n - done, (off_t)(jar->base + off + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            err_set(err, "%s: read error at offset %" PRIu64 ": %s", jar->path, off + done,
                    strerror(errno));
            return JAR_ERR_UNREADABLE;
        }
        if (got == 0) {
            err_set(err,
                    "%s: the file changed while read: it ends before offset %" PRIu64
                    " (truncated or replaced during the scan?)",
                    jar->path, jar->base + off + n);
            return JAR_ERR_CORRUPT;
        }
        done += (size_t)got;
    }
    return JAR_OK;
}

/* The bytes [off, off + n) when the jar holds them already (its tail, or what jar_read_ahead
 * read), else NULL. */
static const unsigned char *held_bytes(const struct jar *jar, uint64_t off, size_t n)
{
    if (jar->mem)
        return jar->mem + off;
    if (jar->cd_owned && off >= jar->size - jar->cd_len)
        return jar->cd + (off - (jar->size - jar->cd_len));
    if (jar->ahead && off >= jar->ahead_at && off - jar->ahead_at <= jar->ahead_len &&
        jar->ahead_len - (off - jar->ahead_at) >= n)
        return jar->ahead + (off - jar->ahead_at);
    return NULL;
}

/* Read archive bytes [off, off + n) into buf, from memory when the jar holds them. */
static int read_at(const struct jar *jar, uint64_t off, size_t n, unsigned char *buf, char *err)
{
    if (off > jar->size || jar->size - off < n) {
        err_set(err,
                "%s: %zu bytes at offset %" PRIu64 " lie outside the archive (%" PRIu64 " bytes)",
                jar->path, n, off, jar->size);
        return JAR_ERR_CORRUPT;
    }
    const unsigned char *held = held_bytes(jar, off, n);
    if (held) {
        memcpy(buf, held, n);
        return JAR_OK;
    }
    return read_file_at(jar, off, n, buf, err);
}

/* The room a jar's tail is first read into: a directory of up to this many bytes is then
 * read in front of the first probe without moving it (on the bench classpath, 7 M
 * instructions of copying). Only the bytes read are touched, and the buffer of the last jar
 * serves the next one. */
#define TAIL_ROOM_FIRST (256u << 10)

/* Make the jar's tail (jar->cd, read from the end of the file) `len` bytes long: the bytes
 * before what is held are read, and the budget is charged for them. The tail lies at the end
 * of its buffer (cd_owned, cd_room bytes) and grows towards the front. */
static int extend_tail(struct jar *jar, uint64_t len, char *err)
{
    uint64_t have = jar->cd_owned ? jar->cd_len : 0;
    if (len <= have)
        return JAR_OK;
    int rc = charge(len - have, jar->path, "its end records and central directory", err);
    if (rc != JAR_OK)
        return rc;
    jar->charged += len - have;
    if (len > jar->cd_room) {
        size_t room = (size_t)len;
        if (!have && room < TAIL_ROOM_FIRST)
            room = jar->size < TAIL_ROOM_FIRST ? (size_t)jar->size : TAIL_ROOM_FIRST;
        if (room < len)
            room = (size_t)len;
        unsigned char *buf = xmalloc(room);
        if (have)
            memcpy(buf + room - have, jar->cd, (size_t)have);
        free(jar->cd_owned);
        jar->cd_owned = buf;
        jar->cd_room = room;
    }
    unsigned char *front = jar->cd_owned + jar->cd_room - len;
    jar->cd = front;
    jar->cd_len = (size_t)len;
    return read_file_at(jar, jar->size - len, (size_t)(len - have), front, err);
}

/* Whether the last bytes are an end record without a comment: then it is the one every
 * reader takes (zipdir.c's find_eocd tries that place first), and no longer tail is needed
 * to find it. */
static bool ends_with_end_record(const unsigned char *tail, size_t len)
{
    if (len < EOCD_SIZE)
        return false;
    const unsigned char *e = tail + len - EOCD_SIZE;
    if (!(e[0] == 'P' && e[1] == 'K' && e[2] == 5 && e[3] == 6 && e[20] == 0 && e[21] == 0))
        return false;
    /* a zip64 archive: its records may lie further back; the whole probe decides */
    const unsigned char *loc = e - ZIP64_LOCATOR_SIZE;
    return !(len >= EOCD_SIZE + ZIP64_LOCATOR_SIZE && loc[0] == 'P' && loc[1] == 'K' &&
             loc[2] == 6 && loc[3] == 7);
}

/* Read the end records and the central directory into memory the jar owns (or point at
 * them, for a jar in memory). */
static int read_directory(struct jar *jar, char *err)
{
    char zerr[WR_ERR_MAX];
    if (jar->mem) {
        jar->cd = jar->mem;
        jar->cd_len = (size_t)jar->size;
        if (zipdir_count(jar->mem, (size_t)jar->size, zerr) < 0) {
            err_set(err, "%s: %s", jar->path, zerr);
            return JAR_ERR_CORRUPT;
        }
        return JAR_OK;
    }
    /* A first read of the last JAR_FIRST_PROBE bytes holds the end record and, in most
     * jars, the whole central directory. Only an archive with a comment (the end record
     * then is not in the last 22 bytes) needs the ZIPDIR_TAIL_PROBE bytes that any end
     * record fits in; and a directory that starts further back is read up to its start. */
    uint64_t probe = jar->size < ZIPDIR_TAIL_PROBE ? jar->size : ZIPDIR_TAIL_PROBE;
    uint64_t first = probe < JAR_FIRST_PROBE ? probe : JAR_FIRST_PROBE;
    int rc = extend_tail(jar, first, err);
    if (rc != JAR_OK)
        return rc;
    if (!ends_with_end_record(jar->cd, jar->cd_len) &&
        (rc = extend_tail(jar, probe, err)) != JAR_OK)
        return rc;
    uint64_t need;
    if (zipdir_tail_needed(jar->cd, jar->cd_len, jar->size, &need, zerr) != 0) {
        err_set(err, "%s: %s", jar->path, zerr);
        return JAR_ERR_CORRUPT;
    }
    if (need <= jar->cd_len)
        return JAR_OK;
    if (need > JAR_MAX_CD_BYTES) {
        err_set(err, "%s: central directory of %" PRIu64 " bytes, over the limit of %u", jar->path,
                need, JAR_MAX_CD_BYTES);
        return JAR_ERR_TOO_LARGE;
    }
    if ((rc = extend_tail(jar, need, err)) != JAR_OK)
        return rc;
    /* The front read separately must agree with the tail: the end records, read again over
     * the whole, still place the directory here. */
    uint64_t again;
    if (zipdir_tail_needed(jar->cd, jar->cd_len, jar->size, &again, zerr) != 0 || again != need) {
        err_set(err, "%s: the central directory moved while read (changed during the scan?)",
                jar->path);
        return JAR_ERR_CORRUPT;
    }
    return JAR_OK;
}

int jar_open_file(struct jar **out, const char *path, char *err)
{
    int rc = JAR_OK;
    struct stat st;
    struct jar *jar = NULL;

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
    jar = jar_new(path, (uint64_t)st.st_size);
    jar->fd = fd;
    jar->owns_fd = true;
    fd = -1;
    /* Reading the directory now makes a corrupt file fail here, where the caller records
     * it, instead of on first use. */
    rc = read_directory(jar, err);
    if (rc != JAR_OK)
        goto out;
    *out = jar;
    jar = NULL;
out:
    jar_free(jar);
    if (fd >= 0)
        close(fd);
    return rc;
}

int jar_open_memory(struct jar **out, const char *path, const unsigned char *data, size_t size,
                    char *err)
{
    if (size == 0) {
        err_set(err, "%s: empty (0 bytes), not a zip", path);
        return JAR_ERR_CORRUPT;
    }
    struct jar *jar = jar_new(path, size);
    jar->mem = data;
    int rc = read_directory(jar, err);
    if (rc != JAR_OK) {
        jar_free(jar);
        return rc;
    }
    *out = jar;
    return JAR_OK;
}

/* The archive bytes jar_read_entry reads for `e`: its local header, name, an extra field of
 * up to LOCAL_EXTRA_GUESS bytes and its compressed data, cut at the archive's end. */
static void entry_span(const struct jar *jar, const struct zipdir_entry *e, uint64_t *from,
                       uint64_t *to)
{
    uint64_t fixed = ZIPDIR_LOCAL_HEADER_SIZE + (uint64_t)e->name_len + LOCAL_EXTRA_GUESS;
    uint64_t want = e->compressed_size >= jar->size ? jar->size : fixed + e->compressed_size;
    *from = e->local_offset < jar->size ? e->local_offset : jar->size;
    *to = jar->size - *from < want ? jar->size : *from + want;
}

void jar_read_ahead(struct jar *jar, const struct zipdir_entry *e, size_t n)
{
    if (jar->mem || jar->ahead)
        return;
    uint64_t lo = UINT64_MAX, hi = 0;
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t from, to;
        entry_span(jar, &e[i], &from, &to);
        if (from >= to || held_bytes(jar, from, (size_t)(to - from)))
            continue;
        missing++;
        lo = from < lo ? from : lo;
        hi = to > hi ? to : hi;
    }
    /* one entry to read is one read either way */
    if (missing < 2 || hi - lo > JAR_READ_AHEAD_MAX)
        return;
    char err[WR_ERR_MAX];
    size_t len = (size_t)(hi - lo);
    if (!try_charge(len)) /* not a refusal: each entry is then read, and charged, alone */
        return;
    unsigned char *buf = xmalloc(len);
    if (read_file_at(jar, lo, len, buf, err) != JAR_OK) {
        free(buf);
        uncharge(len);
        return;
    }
    jar->charged += len;
    jar->ahead = buf;
    jar->ahead_at = lo;
    jar->ahead_len = len;
}

/* Whether entry e's local header lies inside the archive; err says where it lies if not. */
static bool local_header_inside(const struct jar *jar, const struct zipdir_entry *e,
                                const char *name, char *err)
{
    if (e->local_offset <= jar->size && jar->size - e->local_offset >= ZIPDIR_LOCAL_HEADER_SIZE)
        return true;
    err_set(err,
            "%s: %s: local header at offset %" PRIu64 " lies outside the archive (%" PRIu64
            " bytes)",
            jar->path, name, e->local_offset, jar->size);
    return false;
}

/* Where entry e's compressed bytes start, from its local header. */
static int entry_data_offset(const struct jar *jar, const struct zipdir_entry *e,
                             uint64_t *data_offset, const char *name, char *err)
{
    unsigned char local[ZIPDIR_LOCAL_HEADER_SIZE];
    char zerr[WR_ERR_MAX];
    if (!local_header_inside(jar, e, name, err))
        return JAR_ERR_CORRUPT;
    int rc = read_at(jar, e->local_offset, sizeof local, local, err);
    if (rc != JAR_OK)
        return rc;
    if (zipdir_local_data_offset(local, jar->size, e, data_offset, zerr) != 0) {
        err_set(err, "%s: %s: %s", jar->path, name, zerr);
        return JAR_ERR_CORRUPT;
    }
    return JAR_OK;
}

/* Read entry e's compressed bytes into a buffer of their own: *raw (the caller frees it),
 * with *packed pointing at the bytes in it. The local header and the bytes are read in one
 * go when the header's extra field is at most LOCAL_EXTRA_GUESS bytes, as in nearly every
 * jar; a longer one costs a second read. */
static int read_entry_bytes(const struct jar *jar, const struct zipdir_entry *e, const char *name,
                            unsigned char **raw, unsigned char **packed, char *err)
{
    char zerr[WR_ERR_MAX];
    if (!local_header_inside(jar, e, name, err))
        return JAR_ERR_CORRUPT;
    uint64_t at, to;
    entry_span(jar, e, &at, &to);
    uint64_t want = to - at;
    unsigned char *buf = xmalloc((size_t)want);
    uint64_t data_offset;
    int rc = read_at(jar, at, (size_t)want, buf, err);
    if (rc == JAR_OK && zipdir_local_data_offset(buf, jar->size, e, &data_offset, zerr) != 0) {
        err_set(err, "%s: %s: %s", jar->path, name, zerr);
        rc = JAR_ERR_CORRUPT;
    }
    if (rc != JAR_OK) {
        free(buf);
        return rc;
    }
    uint64_t skip = data_offset - at;
    if (skip + e->compressed_size <= want) {
        *raw = buf;
        *packed = buf + skip;
        return JAR_OK;
    }
    free(buf); /* a long extra field: the bytes are read on their own */
    buf = xmalloc(e->compressed_size ? (size_t)e->compressed_size : 1);
    rc = read_at(jar, data_offset, (size_t)e->compressed_size, buf, err);
    if (rc != JAR_OK) {
        free(buf);
        return rc;
    }
    *raw = buf;
    *packed = buf;
    return JAR_OK;
}

static int error_from_libzip(const struct lazy_zip *z, zip_error_t *ze)
{
    return z->error_code_zip(ze) == ZIP_ER_MEMORY ? JAR_ERR_UNREADABLE : JAR_ERR_CORRUPT;
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

/*
 * The contents of a plain entry (stored or deflated, not encrypted) straight from zlib: a
 * new NUL-terminated buffer of e->size bytes when the data inflates to exactly that size,
 * ends where the compressed bytes end and matches the CRC; NULL otherwise, and libzip then
 * reads the entry again and says what is wrong in its words. libzip sets up a whole archive
 * (and converts its date with mktime, which stats /etc/localtime each time) for each entry:
 * reading the manifest and pom.properties of 600 jars cost more in that than in inflating.
 */
static unsigned char *decode_plain(const struct zipdir_entry *e, const unsigned char *packed)
{
    if ((e->flags & FLAG_ENCRYPTED) || (e->method != METHOD_STORED && e->method != METHOD_DEFLATED))
        return NULL;
    unsigned char *data = xmalloc((size_t)e->size + 1);
    bool ok;
    if (e->method == METHOD_STORED) {
        ok = e->compressed_size == e->size;
        if (ok)
            memcpy(data, packed, (size_t)e->size);
    } else {
        z_stream zs;
        memset(&zs, 0, sizeof(zs));
        ok = inflateInit2(&zs, -MAX_WBITS) == Z_OK; /* raw deflate, as in a zip */
        if (ok) {
            zs.next_in = (Bytef *)packed;
            zs.avail_in = (uInt)e->compressed_size;
            zs.next_out = data;
            zs.avail_out = (uInt)e->size + 1; /* one byte more: a longer output shows */
            ok = inflate(&zs, Z_FINISH) == Z_STREAM_END && zs.total_out == e->size &&
                 zs.avail_in == 0;
            inflateEnd(&zs);
        }
    }
    if (ok)
        ok = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)e->size) == e->crc;
    if (!ok) {
        free(data);
        return NULL;
    }
    data[e->size] = '\0';
    return data;
}

int jar_read_entry(const struct jar *jar, const struct zipdir_entry *e, size_t cap,
                   unsigned char **out, size_t *out_len, char *err)
{
    int rc = JAR_OK;
    char name[ZIPDIR_NAME_MSG_MAX];
    unsigned char head[ONE_HEAD_SIZE];
    unsigned char tail[ONE_TAIL_SIZE];
    zip_buffer_fragment_t frags[ONE_MAX_FRAGMENTS];
    zip_uint64_t n_frags = 0;
    const struct lazy_zip *z = NULL; /* loaded only for an entry zlib could not inflate */
    const char *why = NULL;
    zip_error_t zip_err;
    zip_source_t *src = NULL;
    zip_t *za = NULL;
    zip_file_t *zf = NULL;
    unsigned char *buf = NULL;
    unsigned char *raw = NULL;    /* the local header and the compressed bytes... */
    unsigned char *packed = NULL; /* ...which start here */
    uint64_t charged = 0;
    size_t total = 0;

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
    if (e->compressed_size > max_compressed(cap)) {
        rc = JAR_ERR_TOO_LARGE;
        err_set(err, "%s: %s: %" PRIu64 " bytes compressed, more than %zu bytes can take",
                jar->path, name, e->compressed_size, cap);
        goto out;
    }
    /* the compressed copy and the declared output, while reading; the caller's buffer is
     * charged again by whoever keeps it (a nested jar) */
    rc = charge(e->compressed_size + e->size, jar->path, "an entry", err);
    if (rc != JAR_OK)
        goto out;
    charged = e->compressed_size + e->size;
    /* The compressed bytes are copied out of the file (or the archive in memory) first:
     * libzip then reads memory that cannot change under it. */
    rc = read_entry_bytes(jar, e, name, &raw, &packed, err);
    if (rc != JAR_OK)
        goto out;
    buf = decode_plain(e, packed);
    if (buf) { /* the usual case, without libzip */
        *out = buf;
        *out_len = (size_t)e->size;
        buf = NULL;
        goto out;
    }

    if (!(z = lazy_zip(&why))) {
        rc = JAR_ERR_CORRUPT;
        err_set(err, "%s: %s: does not inflate to its declared size and CRC (%s to say more)",
                jar->path, name, why);
        goto out;
    }
    z->error_init(&zip_err);
    one_entry_headers(e, head, tail);
    frags[n_frags++] = (zip_buffer_fragment_t){head, ONE_HEAD_SIZE};
    if (e->compressed_size > 0)
        frags[n_frags++] = (zip_buffer_fragment_t){packed, e->compressed_size};
    frags[n_frags++] = (zip_buffer_fragment_t){tail, ONE_TAIL_SIZE};

    src = z->source_buffer_fragment_create(frags, n_frags, 0, &zip_err);
    if (!src) {
        rc = error_from_libzip(z, &zip_err);
        err_set(err, "%s: %s: %s", jar->path, name, z->error_strerror(&zip_err));
        goto out;
    }
    za = z->open_from_source(src, ZIP_RDONLY, &zip_err);
    if (!za) {
        z->source_free(src);
        rc = error_from_libzip(z, &zip_err);
        err_set(err, "%s: %s: %s", jar->path, name, z->error_strerror(&zip_err));
        goto out;
    }
    zf = z->fopen_index(za, 0, 0);
    if (!zf) {
        rc = error_from_libzip(z, z->get_error(za));
        err_set(err, "%s: %s: %s", jar->path, name, z->error_strerror(z->get_error(za)));
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
            size_t grown = capacity > cap / 2 ? cap + 1 : capacity * 2;
            rc = charge(grown - capacity, jar->path, "an entry inflating past its declared size",
                        err);
            if (rc != JAR_OK)
                goto out;
            charged += grown - capacity;
            capacity = grown;
            buf = xrealloc(buf, capacity);
        }
        zip_int64_t n = z->fread(zf, buf + total, capacity - total);
        if (n < 0) {
            zip_error_t *fe = z->file_get_error(zf);
            rc = error_from_libzip(z, fe);
            err_set(err, "%s: %s: %s", jar->path, name, z->error_strerror(fe));
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
        z->fclose(zf);
    if (za)
        z->discard(za);
    if (z)
        z->error_fini(&zip_err);
    free(raw);
    uncharge(charged);
    return rc;
}

int jar_open_nested_capped(struct jar **out, const struct jar *outer, const struct zipdir_entry *e,
                           const char *display, size_t cap, char *err)
{
    int rc = JAR_OK;
    char name[ZIPDIR_NAME_MSG_MAX];
    unsigned char *owned = NULL;
    struct jar *jar = NULL;
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
        rc = entry_data_offset(outer, e, &data_offset, name, err);
        if (rc != JAR_OK)
            goto out;
        /* Spring Boot stores nested jars uncompressed precisely so they can be
         * used in place: no copy, no CRC pass. */
        jar = jar_new(display, e->size);
        if (outer->mem) {
            jar->mem = outer->mem + data_offset;
        } else {
            jar->fd = outer->fd;
            jar->base = outer->base + data_offset;
        }
    } else {
        rc = jar_read_entry(outer, e, cap, &owned, &size, err);
        if (rc != JAR_OK)
            goto out;
        rc = charge(size, outer->path, "a nested jar inflated in memory", err);
        if (rc != JAR_OK)
            goto out;
        jar = jar_new(display, size);
        jar->charged = size;
        jar->mem = owned;
        jar->owned = owned;
        owned = NULL;
    }
    if (jar->size == 0) {
        rc = JAR_ERR_CORRUPT;
        err_set(err, "%s: empty (0 bytes), not a zip", display);
        goto out;
    }
    rc = read_directory(jar, err);
    if (rc != JAR_OK)
        goto out;
    *out = jar;
    jar = NULL;
out:
    jar_free(jar);
    free(owned);
    return rc;
}

int jar_open_nested(struct jar **out, const struct jar *outer, const struct zipdir_entry *e,
                    const char *display, char *err)
{
    return jar_open_nested_capped(out, outer, e, display, JAR_MAX_NESTED_BYTES, err);
}

static void names_free(struct jar_names *names)
{
    if (!names)
        return;
    free(names->entries);
    free(names->slots);
    free(names);
}

void jar_free(struct jar *jar)
{
    if (!jar)
        return;
    if (jar->owns_fd && jar->fd >= 0)
        close(jar->fd);
    free(jar->owned);
    free(jar->cd_owned);
    free(jar->ahead);
    uncharge(jar->charged);
    names_free(jar->names);
    free(jar->path);
    free(jar);
}

int jar_walk(const struct jar *jar, zipdir_visit_fn fn, void *ud, char *err)
{
    char zerr[WR_ERR_MAX];
    if (zipdir_walk_tail(jar->cd, jar->cd_len, jar->size, fn, ud, zerr) != 0) {
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

/* FNV-1a over a name. */
static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* The slot of `name`, or the empty slot where it would go. */
static struct name_slot *names_slot(const struct jar_names *t, const char *name, size_t len,
                                    uint32_t hash)
{
    size_t mask = t->capacity - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct name_slot *s = &t->slots[i];
        if (!s->record)
            return s;
        const struct zipdir_entry *e = &t->entries[s->record - 1];
        if (s->hash == hash && e->name_len == len && memcmp(e->name, name, len) == 0)
            return s;
    }
}

static int collect_names(const struct zipdir_entry *e, void *ud)
{
    struct jar_names *t = ud;
    t->entries = xgrow(t->entries, &t->cap, t->n + 1, sizeof(*t->entries));
    t->entries[t->n++] = *e;
    return 0;
}

/* Index every record by name; the first of a repeated name wins, as in a walk. */
static int names_build(const struct jar *jar, struct jar_names *t, char *err)
{
    if (jar_walk(jar, collect_names, t, err) != 0) {
        free(t->entries);
        t->entries = NULL;
        t->n = t->cap = 0;
        return -1;
    }
    t->capacity = 16;
    while (t->capacity < t->n * 2)
        t->capacity *= 2;
    t->slots = xcalloc(t->capacity, sizeof(*t->slots));
    for (size_t i = 0; i < t->n; i++) {
        const struct zipdir_entry *e = &t->entries[i];
        uint32_t hash = name_hash(e->name, e->name_len);
        struct name_slot *s = names_slot(t, e->name, e->name_len, hash);
        if (!s->record) {
            s->hash = hash;
            s->record = (uint32_t)(i + 1);
        }
    }
    t->built = true;
    return 0;
}

int jar_find(const struct jar *jar, const char *name, struct zipdir_entry *out, char *err)
{
    struct jar_names *t = jar->names;
    size_t len = strlen(name);
    /* One lookup (the manifest) is cheaper as a walk; a second builds the table. */
    if (!t->built && t->finds++ >= 1 && names_build(jar, t, err) != 0)
        return -1;
    if (t->built) {
        const struct name_slot *s = names_slot(t, name, len, name_hash(name, len));
        if (!s->record)
            return 0;
        *out = t->entries[s->record - 1];
        return 1;
    }
    struct find_state st = {.name = name, .name_len = len};
    if (jar_walk(jar, find_visit, &st, err) != 0)
        return -1;
    if (st.hit)
        *out = st.found;
    return st.hit;
}
