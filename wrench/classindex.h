/*
 * classindex.h - the class-name index of one classpath view: for every class
 * name, which entries provide it and the CRC-32 and size of each copy. It is
 * built from central directories only (no class file is inflated) and is sized
 * for hundreds of thousands of names.
 */
#ifndef WRENCH_CLASSINDEX_H
#define WRENCH_CLASSINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 16 bytes, and a record 40: 200,000 of them are written once each, and every page of
 * them costs a fault. */
struct class_copy {
    uint32_t entry; /* index of the classpath entry */
    uint32_t crc;
    uint64_t size : 63;     /* see CLASS_COPY_MAX_SIZE */
    uint64_t crc_known : 1; /* 0 when the copy could not be read: never "identical" */
};

/* Sizes above this (only a hostile zip64 entry declares one) are kept as this. */
#define CLASS_COPY_MAX_SIZE ((UINT64_C(1) << 63) - 1)

struct class_record {
    const char *name; /* "com/acme/Util", owned by the index */
    uint32_t n_copies;
    uint32_t copies_cap;
    struct class_copy first; /* most classes have one copy: no allocation */
    struct class_copy *more; /* copies 2..n */
};

struct class_index;

/* The hash the index keys names by, for callers that compute it ahead (on another thread). */
uint32_t class_index_hash(const char *name, size_t len);

/* A new empty index expecting about `expected` names. */
struct class_index *class_index_new(size_t expected);
void class_index_free(struct class_index *index);

/* Make room for `more` names beyond those held, so a large jar grows the table once. */
void class_index_reserve(struct class_index *index, size_t more);

/* Record that `entry` provides class `name` (`len` bytes, without ".class").
 * Returns 1 when added, 0 when this entry already had that class (a duplicate
 * zip entry: the first copy is kept). Copies are kept in the order added; adding them in
 * increasing entry order (as the reader does) makes this O(1). */
int class_index_add(struct class_index *index, const char *name, size_t len,
                    const struct class_copy *copy);

/* class_index_add for a name the caller keeps: `name` is NUL-terminated at `len`, is not
 * copied, and must live as long as the index (hand its block over with class_index_adopt);
 * `hash` is class_index_hash(name, len). */
int class_index_add_kept(struct class_index *index, const char *name, size_t len, uint32_t hash,
                         const struct class_copy *copy);

/* Start loading the slot a name of this hash goes to: adding a jar's names with the slot of
 * a name a few places ahead prefetched hides most of the table's cache misses. */
void class_index_prefetch(const struct class_index *index, uint32_t hash);

/* The index takes `block` (from malloc) and frees it with itself: where kept names live. */
void class_index_adopt(struct class_index *index, void *block);
/* The same for `len` bytes mapped with mmap(): unmapped with the index. */
void class_index_adopt_mapped(struct class_index *index, void *at, size_t len);

/* The record for `len` bytes of `name` (not NUL-terminated) with its hash, or NULL. */
const struct class_record *class_index_find_n(const struct class_index *index, const char *name,
                                              size_t len, uint32_t hash);

/* The record for `name`, or NULL. Borrowed: valid until the next add or the free. */
const struct class_record *class_index_find(const struct class_index *index, const char *name);

/* Copy `i` (0-based, < n_copies) of a record. */
const struct class_copy *class_record_copy(const struct class_record *rec, uint32_t i);

size_t class_index_count(const struct class_index *index);

/* Call fn for every record, in the order they were first added. */
void class_index_foreach(const struct class_index *index,
                         void (*fn)(const struct class_record *rec, void *ud), void *ud);

#endif
