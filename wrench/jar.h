/*
 * jar.h - a jar (or war) opened for reading: a file, a jar stored inside
 * another one, or a jar inflated into memory. A file is never mapped: its end
 * records and central directory are read with pread() into memory the jar
 * owns, and entry contents are read the same way when asked for, so a file
 * truncated or rewritten while wrench reads it (a deploy replacing a jar) is a
 * reported error, never a SIGBUS. The central directory is walked with
 * zipdir.c; the contents of single entries (manifest, pom.properties, a
 * deflated nested jar) are inflated with zlib, or libzip when zlib cannot (for
 * its error message), under a size cap. Every large
 * buffer is taken from the scan's memory budget (budget.h) first: one that does
 * not fit is JAR_ERR_TOO_LARGE with a message naming the budget.
 */
#ifndef WRENCH_JAR_H
#define WRENCH_JAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zipdir.h"

#define JAR_MAX_NESTED_BYTES (256u << 20) /* a deflated nested jar inflated in memory */
#define JAR_MAX_SMALL_ENTRY (1u << 20)    /* manifest, pom.properties, classpath.idx */
#define JAR_MAX_CD_BYTES (256u << 20)     /* a central directory read into memory */

struct jar_names; /* jar.c: the name -> record table jar_find builds on its second call */

struct jar {
    char *path;    /* display path, e.g. "app.jar!/BOOT-INF/lib/x.jar" */
    uint64_t size; /* the archive's bytes */
    /* private: where the bytes are */
    int fd;                   /* file-backed (mem NULL): read at base + offset; -1 otherwise */
    bool owns_fd;             /* a file jar; a jar stored in it borrows the descriptor */
    uint64_t base;            /* offset of the archive in the file */
    const unsigned char *mem; /* memory-backed: the whole archive */
    unsigned char *owned;     /* heap copy (inflated nested jar) or NULL */
    const unsigned char *cd;  /* the archive's last cd_len bytes: central directory, end */
    size_t cd_len;
    unsigned char *cd_owned; /* the buffer cd lies at the end of, when read from the file */
    size_t cd_room;          /* its bytes */
    unsigned char *ahead;    /* jar_read_ahead's bytes: the archive's from ahead_at on */
    uint64_t ahead_at;
    size_t ahead_len;
    uint64_t charged; /* bytes taken from the memory budget (budget.h) for this jar */
    struct jar_names *names;
};

enum jar_error {
    JAR_OK = 0,
    JAR_ERR_MISSING = -1,    /* no such file */
    JAR_ERR_UNREADABLE = -2, /* permission, I/O error, a directory */
    JAR_ERR_CORRUPT = -3,    /* not a zip, truncated, lying central directory */
    JAR_ERR_TOO_LARGE = -4,  /* over a cap */
};

/* Open `path` and read its central directory. On success *out is a new jar to
 * release with jar_free(). On failure returns a jar_error with a message in err
 * (WR_ERR_MAX bytes) that names the file. A zero-length file is JAR_ERR_CORRUPT;
 * a file that shrinks while read is JAR_ERR_CORRUPT ("changed while read"). */
int jar_open_file(struct jar **out, const char *path, char *err);

/* A jar over `size` bytes at `data` (borrowed: they must outlive the jar), e.g. for the
 * fuzz harness. Fails like jar_open_file when the bytes are not a zip. */
int jar_open_memory(struct jar **out, const char *path, const unsigned char *data, size_t size,
                    char *err);

/* Open the entry `e` of `outer` as a jar. A stored entry is used in place
 * (the new jar borrows outer's file or bytes: free it before outer); a deflated one is
 * inflated by libzip into memory, refusing more than JAR_MAX_NESTED_BYTES
 * (JAR_ERR_TOO_LARGE, checked against the declared and the actual size).
 * `display` becomes the new jar's path. The result's end record is checked
 * (JAR_ERR_CORRUPT with a message naming `display` when it is not a zip).
 * A nested jar is not followed further: jars inside a nested jar are never opened. */
int jar_open_nested(struct jar **out, const struct jar *outer, const struct zipdir_entry *e,
                    const char *display, char *err);
/* jar_open_nested with another cap on the inflated size (tests use a small one). */
int jar_open_nested_capped(struct jar **out, const struct jar *outer, const struct zipdir_entry *e,
                           const char *display, size_t cap, char *err);

void jar_free(struct jar *jar);

/* Track the budget this thread's jar calls take: from jar_budget_track_begin on, *peak gets
 * the most bytes they held at once (counting what was held at the start) and *was_refused
 * whether a charge was refused. */
void jar_budget_track_begin(void);
void jar_budget_track_end(uint64_t *peak, bool *was_refused);

/* Walk the jar's central directory (see zipdir_walk). */
int jar_walk(const struct jar *jar, zipdir_visit_fn fn, void *ud, char *err);

/* Find the central-directory record named `name` (exact match; the first one
 * when the archive holds the name twice). Returns 1 and fills *out (its name
 * points into the jar) when found, 0 when absent, -1 with err set when the
 * central directory is unreadable. The first call walks the directory once into
 * a hash table, so looking up every nested jar of a Boot jar stays linear. */
int jar_find(const struct jar *jar, const char *name, struct zipdir_entry *out, char *err);

/* Read the entries `e[0..n)` (records of this jar) ahead, in one read, when the bytes they
 * take lie within JAR_READ_AHEAD_MAX of each other, as a jar's manifest and pom.properties
 * nearly always do: the jar_read_entry calls that follow take them from memory instead of
 * reading each. Entries the jar holds already (those in the tail read with the central
 * directory) need no read; anything else (too far apart, over the budget) leaves each entry
 * to be read on its own, with its own error. */
#define JAR_READ_AHEAD_MAX (64u << 10)
void jar_read_ahead(struct jar *jar, const struct zipdir_entry *e, size_t n);

/* Read the whole contents of entry `e` (a record of this jar, from jar_walk or
 * jar_find) with zlib (a damaged or unusual entry again with libzip, whose message is
 * the error) into a new NUL-terminated buffer (*out, length
 * *out_len, free() it), refusing entries larger than `cap` by their declared
 * or their actual size (JAR_ERR_TOO_LARGE). The CRC is verified; a damaged,
 * encrypted or unsupported entry is JAR_ERR_CORRUPT. Returns a jar_error; err
 * names the jar and entry on failure, e.g.
 * "app.jar: META-INF/MANIFEST.MF: Zlib error: data error". */
int jar_read_entry(const struct jar *jar, const struct zipdir_entry *e, size_t cap,
                   unsigned char **out, size_t *out_len, char *err);

#endif
