/*
 * util.h - small helpers every wrench module uses: the allocation family that
 * aborts on out-of-memory (the only place wrench gives up on its own), a growable
 * string buffer, error-message formatting and a few string predicates.
 */
#ifndef WRENCH_UTIL_H
#define WRENCH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WR_ERR_MAX 512 /* size of every caller-provided error buffer */

/* Allocation: abort with a message on out-of-memory, never return NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array to hold at least `need` items of `item_size`, doubling. */
void *xgrow(void *ptr, size_t *capacity, size_t need, size_t item_size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A newly allocated printf-formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* xasprintf with a va_list (the list is consumed). */
char *xvasprintf(const char *fmt, va_list ap);

/* A growable array of owned strings: append `s` (taken) / free every string and the array. */
void strv_push(char ***v, size_t *n, size_t *cap, char *s);
void strv_free(char **v, size_t n);
/* Append a printf-formatted string. */
void strv_pushf(char ***v, size_t *n, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void strv_vpushf(char ***v, size_t *n, size_t *cap, const char *fmt, va_list ap);
/* qsort/bsearch comparator for an array of strings (char *), by strcmp. */
int strv_compare(const void *a, const void *b);
/* Append each piece of NUL-separated data (/proc/PID/cmdline, environ): an empty piece
 * between two NULs too (an empty argument), a final piece without its NUL too. */
void strv_split_nul(const char *data, size_t len, char ***v, size_t *n, size_t *cap);

/* Write a printf-formatted message into an error buffer of WR_ERR_MAX bytes. */
void err_set(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable NUL-terminated string. A zeroed struct is an empty buffer. */
struct strbuf {
    char *data;
    size_t len;
    size_t cap;
};

void strbuf_append(struct strbuf *sb, const char *s, size_t n);
/* Append the UTF-8 form of code point `cp`, below 0x10000. */
void strbuf_append_utf8(struct strbuf *sb, unsigned cp);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Give up ownership of the contents (never NULL); the buffer becomes empty. */
char *strbuf_take(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

bool str_has_suffix(const char *s, const char *suffix);
bool str_has_suffix_nocase(const char *s, const char *suffix);
bool str_has_prefix(const char *s, const char *prefix);

/* True when s[pos..pos+n) lies within len bytes and is all ASCII digits. */
bool digits_at(const char *s, size_t len, size_t pos, size_t n);

/* The value of a hexadecimal digit, or -1. */
int hex_digit_value(char c);

/* Strictly parse a non-negative decimal integer; -1 on any junk or overflow. */
int parse_u64(const char *s, uint64_t *out);

/* Read at most `max` bytes of a file into a new NUL-terminated buffer (*len bytes, the NUL
 * not counted). Works for /proc and cgroup files, whose size stat cannot tell. *truncated
 * (when not NULL) says there was more. Returns 0, or -1 with errno set. */
int read_file_capped(const char *path, size_t max, char **out, size_t *len, bool *truncated);
/* The same as a string when the length does not matter: a new NUL-terminated buffer of at
 * most `max` bytes (a longer file is cut), NULL with errno set when unreadable. */
char *read_text_capped(const char *path, size_t max);

/* The target of symbolic link `path` (up to READ_LINK_MAX - 1 bytes of it), a new string;
 * NULL with errno set when it is not a link or cannot be read. */
#define READ_LINK_MAX 4096
char *read_link(const char *path);

/* A name in a directory with its type as the listing gave it (DT_REG, DT_LNK, DT_DIR...;
 * DT_UNKNOWN where the file system does not say): most files then need no lstat. */
struct dir_item {
    char *name;
    unsigned char type;
};

/* dir_list_sorted, each name with its type; `keep` is given the type too. Free the list with
 * dir_items_free. */
int dir_list_items(const char *dir, size_t max,
                   bool (*keep)(const char *name, unsigned char type, void *ud), void *ud,
                   struct dir_item **items, size_t *n, bool *more);
void dir_items_free(struct dir_item *items, size_t n);

/* The names in directory `dir` (never "." or ".."), sorted by strcmp, at most `max` of them
 * (*more then says there were others; may be NULL); `keep` (may be NULL) filters them, given
 * each name and `ud`. Returns 0, or -1 with errno when the directory cannot be opened. */
int dir_list_sorted(const char *dir, size_t max, bool (*keep)(const char *name, void *ud), void *ud,
                    char ***names, size_t *n, bool *more);

/* The final component of a path (borrowed pointer into `path`). */
const char *path_basename(const char *path);
/* A newly allocated copy of the directory part of `path` ("." when none). */
char *path_dirname(const char *path);
/* `path` with "//", "/./" and "dir/.." collapsed lexically (symbolic links are not
 * resolved, as a class loader does not); a trailing '/' is kept. New string. */
char *path_normalize(const char *path);
/* `dir` + "/" + `name`, newly allocated. */
char *path_join(const char *dir, const char *name);
/* `path` as a scan under `root` names it: without the root's prefix ("/r/etc/x" under "/r/"
 * is "/etc/x"); `path` itself when it is not under root or root is NULL or "/". Borrowed. */
const char *path_under_root(const char *root, const char *path);

/* Current wall-clock time as an ISO-8601 UTC string in `buf` (at least 32 bytes). */
void time_now_iso(char *buf, size_t size);
/* Milliseconds from a monotonic clock. */
uint64_t time_monotonic_ms(void);

/* True when s[0..len) is well-formed UTF-8 without NUL bytes. */
bool utf8_valid(const char *s, size_t len);
/* The length of the well-formed multi-byte UTF-8 sequence at s (at most len bytes): no
 * overlong form, no surrogate, at most U+10FFFF; its code point in *cp (when not NULL). 0 when
 * s holds none (an ASCII byte included). */
size_t utf8_sequence(const unsigned char *s, size_t len, uint32_t *cp);

#endif
