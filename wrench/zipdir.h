/*
 * zipdir.h - a small, bounds-checked reader of a zip file's central directory
 * over bytes already in memory: a whole archive (a nested jar inflated in
 * memory), or the tail of a file (its end records and central directory, read
 * into owned memory by jar.c). It exists only
 * to build the class index fast: libzip's zip_open() converts every entry's
 * DOS time with mktime() and allocates per entry, which made indexing a
 * 600-jar classpath as slow as a JVM. Entry contents are still read by libzip
 * (see jar.c).
 */
#ifndef WRENCH_ZIPDIR_H
#define WRENCH_ZIPDIR_H

#include <stddef.h>
#include <stdint.h>

#define ZIPDIR_MAX_ENTRIES 2000000u /* more than any real jar; a lying count stops here */
#define ZIPDIR_NAME_MSG_MAX 256     /* buffer size for zipdir_name_printable() */
#define ZIPDIR_LOCAL_HEADER_SIZE 30 /* fixed part of a local file header */
/* Bytes at the end of an archive that always hold its end record (with the longest comment)
 * and the zip64 locator and record: what to read first to find the central directory. */
#define ZIPDIR_TAIL_PROBE (22u + 65535u + 20u + 56u)

struct zipdir_entry {
    const char *name; /* NOT NUL-terminated; points into the buffer; may hold any byte */
    size_t name_len;
    uint32_t crc;
    uint64_t compressed_size;
    uint64_t size;         /* uncompressed */
    uint64_t local_offset; /* of the local file header, in the buffer (any prefix included) */
    uint16_t method;       /* 0 stored, 8 deflated, ... */
    uint16_t flags;
    size_t index; /* position in the central directory */
};

/* Called for every central directory record in order; return non-zero to stop. */
typedef int (*zipdir_visit_fn)(const struct zipdir_entry *entry, void *ud);

/*
 * Walk the central directory of the zip held in buf[0..len). Handles zip64
 * (end-of-central-directory locator and extra fields) and archives with a
 * prefix (self-extracting/launcher scripts in front of Spring Boot jars).
 * Returns 0 after visiting every record (or when fn stopped the walk), -1 with
 * a message in err (WR_ERR_MAX bytes) when the bytes are not a zip, are
 * truncated, or a record points outside the buffer; records visited before the
 * error were valid. The message does not name the file: callers prefix it.
 * Every visited entry's local header lies inside the archive, before the
 * central directory. Allocates nothing; entry names point into buf.
 */
int zipdir_walk(const unsigned char *buf, size_t len, zipdir_visit_fn fn, void *ud, char *err);

/* zipdir_walk over the last `tail_len` bytes of an archive of `archive_len` bytes (tail[0]
 * is archive offset archive_len - tail_len): the central directory must lie in the tail. */
int zipdir_walk_tail(const unsigned char *tail, size_t tail_len, uint64_t archive_len,
                     zipdir_visit_fn fn, void *ud, char *err);

/* How many bytes from the end of the archive hold its central directory and end records,
 * given its last `tail_len` bytes (at least ZIPDIR_TAIL_PROBE of them, or the whole archive):
 * 0 and *need set, or -1 with err set when the end records are missing or lie. *need may be
 * more than tail_len: read that many and check again. */
int zipdir_tail_needed(const unsigned char *tail, size_t tail_len, uint64_t archive_len,
                       uint64_t *need, char *err);

/* zipdir_data_offset given only the entry's local header bytes (read from the file by the
 * caller at e->local_offset) and the archive's length. */
int zipdir_local_data_offset(const unsigned char local[ZIPDIR_LOCAL_HEADER_SIZE],
                             uint64_t archive_len, const struct zipdir_entry *e,
                             uint64_t *data_offset, char *err);

/* Number of entries the end record declares, or -1 with err set. Checks the end
 * record (and zip64 record) against the buffer, so it is the cheap "is this a
 * zip at all" test. */
long long zipdir_count(const unsigned char *buf, size_t len, char *err);

/* Locate the compressed bytes of entry `e` (as visited in the same buffer):
 * checks the local header signature and that local name, extra field and
 * e->compressed_size bytes of data all lie inside buf. Returns 0 and sets
 * *data_offset, or -1 with err set (not naming the file or entry). */
int zipdir_data_offset(const unsigned char *buf, size_t len, const struct zipdir_entry *e,
                       uint64_t *data_offset, char *err);

/* Copy an entry name into out[out_size] for an error message: control bytes
 * become '?', a long name is cut and ends in "...". Always NUL-terminates. */
void zipdir_name_printable(const char *name, size_t name_len, char *out, size_t out_size);

#endif
