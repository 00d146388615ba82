/*
 * classindex.c - an open-addressing hash table of class names (linear probing,
 * power-of-two capacity, a word-at-a-time multiplicative hash) of small slots pointing
 * into a dense array of records, whose names live in large arena blocks or in blocks the
 * reader fills and hands over, so that indexing 200,000 classes costs a handful of
 * allocations.
 */
#include "classindex.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"

#define ARENA_BLOCK_BYTES (1u << 20)
/* Linear probing degrades fast past half full (6 probes per miss at 70%, 2.5 at 50%), and
 * the table of 8-byte slots stays small. */
#define MAX_LOAD_PERCENT 50
#define MAX_INITIAL_CLASSES (1u << 22) /* a lying hint must not allocate gigabytes */

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t size;
    size_t pad; /* keeps data[] 16-byte aligned, as malloc's blocks are */
    char data[];
};

/* Slots hold a record's hash and position: 8 bytes each, so probing a table of half a
 * million slots stays in cache far more often than probing the 40-byte records would. */
struct slot {
    uint32_t hash;
    uint32_t record; /* index into records + 1; 0 marks an empty slot */
};

_Static_assert(sizeof(struct class_record) == 40, "a record is 40 bytes (classindex.h)");

struct class_index {
    struct slot *slots;
    size_t capacity;              /* power of two */
    struct class_record *records; /* dense, in insertion order */
    size_t count;
    size_t records_cap;
    struct arena_block *arena;
    void **adopted; /* blocks handed over by class_index_adopt */
    size_t n_adopted, adopted_cap;
    struct mapped {
        void *at;
        size_t len;
    } * mapped; /* handed over by class_index_adopt_mapped */
    size_t n_mapped, mapped_cap;
};

/*
 * The table and the records are the index's two large arrays (4 MiB and 10 MiB for 200,000
 * classes): they are mapped directly and, where the kernel allows (transparent huge pages in
 * "madvise" mode), backed by 2 MiB pages. Filled 4 KiB page by page, they cost more page
 * faults than all the rest of the reading. Small ones stay on the heap.
 */
#define BIG_ARRAY_BYTES (1u << 20)

static void *array_alloc(size_t bytes)
{
    if (bytes < BIG_ARRAY_BYTES)
        return xcalloc(1, bytes ? bytes : 1);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return xcalloc(SIZE_MAX, 2); /* never succeeds: out of memory, said the usual way */
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

static void array_free(void *p, size_t bytes)
{
    if (!p)
        return;
    if (bytes < BIG_ARRAY_BYTES)
        free(p);
    else
        munmap(p, bytes);
}

/* Grow an array_alloc'ed array from `old` to `bytes` (zero-filled beyond `old`). */
static void *array_grow(void *p, size_t old, size_t bytes)
{
    if (!p)
        return array_alloc(bytes);
    if (old < BIG_ARRAY_BYTES && bytes < BIG_ARRAY_BYTES) {
        void *q = xrealloc(p, bytes);
        memset((char *)q + old, 0, bytes - old);
        return q;
    }
    if (old >= BIG_ARRAY_BYTES) {
        void *q = mremap(p, old, bytes, MREMAP_MAYMOVE);
        if (q != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
            madvise(q, bytes, MADV_HUGEPAGE);
#endif
            return q;
        }
    }
    void *q = array_alloc(bytes);
    memcpy(q, p, old);
    array_free(p, old);
    return q;
}

/* Room for `need` records: the capacity doubles. */
static void records_reserve(struct class_index *index, size_t need)
{
    if (need <= index->records_cap)
        return;
    size_t cap = index->records_cap ? index->records_cap : 64;
    while (cap < need)
        cap *= 2;
    index->records = array_grow(index->records, index->records_cap * sizeof(*index->records),
                                cap * sizeof(*index->records));
    index->records_cap = cap;
}

/* The last `rem` (1 to 7) bytes of s[0, len) as one word, read with loads of their own
 * size: copying them into a word byte by byte and loading the word back, as a memcpy of a
 * variable length compiles to, stalls the load (it cannot be forwarded from the byte
 * stores; perf put most of the hash's samples on the instruction after it). Any function of
 * exactly those bytes serves: equal names give equal words. */
static uint64_t tail_word(const char *s, size_t len, size_t rem)
{
    if (len >= 8) { /* the word ending the name, its first 8 - rem bytes shifted out */
        uint64_t w;
        memcpy(&w, s + len - 8, 8);
        return w >> (8 * (8 - rem));
    }
    const unsigned char *u = (const unsigned char *)s; /* the whole name is the tail */
    if (rem >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + rem - 4, 4);
        return a | (uint64_t)b << (8 * (rem - 4));
    }
    return u[0] | (uint64_t)u[rem / 2] << 8 | (uint64_t)u[rem - 1] << 16;
}

/* Eight bytes at a time, each word folded in with a multiply and a shift (the mixers of
 * splitmix64): about four times fewer steps than a byte-wise FNV on 40-byte class names. */
uint32_t class_index_hash(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    const char *p = s;
    size_t left = len;
    while (left >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        p += 8;
        left -= 8;
    }
    if (left) {
        h = (h ^ tail_word(s, len, left)) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    h *= 0x94d049bb133111ebull;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* `bytes` from the index's arena, aligned to `align` (a power of two, at most 16). */
static void *arena_alloc(struct class_index *index, size_t bytes, size_t align)
{
    struct arena_block *b = index->arena;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->size || b->size - at < bytes) {
        size_t size = bytes > ARENA_BLOCK_BYTES ? bytes : ARENA_BLOCK_BYTES;
        b = xmalloc(sizeof(*b) + size); /* data[] lies 16-byte aligned (see arena_block) */
        b->next = index->arena;
        b->size = size;
        index->arena = b;
        at = 0;
    }
    b->used = at + bytes;
    return b->data + at;
}

static char *arena_strndup(struct class_index *index, const char *s, size_t len)
{
    char *p = arena_alloc(index, len + 1, 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

struct class_index *class_index_new(size_t expected)
{
    struct class_index *index = xcalloc(1, sizeof(*index));
    size_t cap = 1024;
    if (expected > MAX_INITIAL_CLASSES)
        expected = MAX_INITIAL_CLASSES;
    while (cap * MAX_LOAD_PERCENT / 100 < expected)
        cap *= 2;
    index->slots = array_alloc(cap * sizeof(struct slot));
    index->capacity = cap;
    /* the records too: pages not written to cost nothing */
    records_reserve(index, expected);
    return index;
}

void class_index_free(struct class_index *index)
{
    if (!index)
        return;
    array_free(index->records, index->records_cap * sizeof(*index->records));
    array_free(index->slots, index->capacity * sizeof(struct slot));
    for (size_t i = 0; i < index->n_adopted; i++)
        free(index->adopted[i]);
    free(index->adopted);
    for (size_t i = 0; i < index->n_mapped; i++)
        munmap(index->mapped[i].at, index->mapped[i].len);
    free(index->mapped);
    struct arena_block *b = index->arena;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(index);
}

/* The slot holding `name`, or the empty slot where it would go. */
static struct slot *find_slot(const struct class_index *index, const char *name, size_t len,
                              uint32_t hash)
{
    size_t mask = index->capacity - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct slot *s = &index->slots[i];
        if (!s->record)
            return s;
        if (s->hash == hash) {
            const char *other = index->records[s->record - 1].name;
            if (memcmp(other, name, len) == 0 && other[len] == '\0')
                return s;
        }
    }
}

static void rehash(struct class_index *index, size_t capacity)
{
    size_t mask = capacity - 1;
    struct slot *slots = array_alloc(capacity * sizeof(struct slot));
    for (size_t i = 0; i < index->capacity; i++) {
        struct slot s = index->slots[i];
        if (!s.record)
            continue;
        size_t j = s.hash & mask;
        while (slots[j].record) /* names are distinct: no comparison needed */
            j = (j + 1) & mask;
        slots[j] = s;
    }
    array_free(index->slots, index->capacity * sizeof(struct slot));
    index->slots = slots;
    index->capacity = capacity;
}

void class_index_reserve(struct class_index *index, size_t more)
{
    size_t need = index->count + more;
    size_t capacity = index->capacity;
    while (need * 100 > capacity * MAX_LOAD_PERCENT)
        capacity *= 2;
    if (capacity != index->capacity)
        rehash(index, capacity);
    records_reserve(index, need);
}

void class_index_adopt(struct class_index *index, void *block)
{
    index->adopted =
        xgrow(index->adopted, &index->adopted_cap, index->n_adopted + 1, sizeof(void *));
    index->adopted[index->n_adopted++] = block;
}

void class_index_adopt_mapped(struct class_index *index, void *at, size_t len)
{
    index->mapped =
        xgrow(index->mapped, &index->mapped_cap, index->n_mapped + 1, sizeof(*index->mapped));
    index->mapped[index->n_mapped++] = (struct mapped){at, len};
}

/* Double a record's room for copies beyond the first. The arrays come from the arena: the
 * 21,000 classes of a big classpath held by two jars or more cost no malloc each, and the
 * index frees them all at once (an outgrown array stays in the arena: at most as much again). */
static void grow_copies(struct class_index *index, struct class_record *r)
{
    uint32_t cap = r->copies_cap ? r->copies_cap * 2 : 2;
    struct class_copy *more = arena_alloc(index, cap * sizeof(*more), _Alignof(struct class_copy));
    if (r->copies_cap)
        memcpy(more, r->more, r->copies_cap * sizeof(*more));
    r->more = more;
    r->copies_cap = cap;
}

/* Add a copy to the record in slot `s`, or a record there when it is empty; `name` is
 * NULL when the record's name is to be copied from `copy_name`. */
static int add_at(struct class_index *index, struct slot *s, const char *name,
                  const char *copy_name, size_t len, uint32_t hash, const struct class_copy *copy)
{
    if (!s->record) {
        if (index->count == index->records_cap) /* the check inline: this runs per class */
            records_reserve(index, index->count + 1);
        struct class_record *r = &index->records[index->count++];
        memset(r, 0, sizeof(*r));
        r->name = name ? name : arena_strndup(index, copy_name, len);
        r->n_copies = 1;
        r->first = *copy;
        s->hash = hash;
        s->record = (uint32_t)index->count;
        return 1;
    }
    struct class_record *r = &index->records[s->record - 1];
    /* Entries are read in loader order, so a copy from this entry can only be the last one:
     * looking at it alone keeps 100,000 jars sharing a class linear. Out of order (never
     * in a scan), every copy is looked at. */
    const struct class_copy *last = class_record_copy(r, r->n_copies - 1);
    if (last->entry == copy->entry)
        return 0;
    if (copy->entry < last->entry)
        for (uint32_t i = 0; i + 1 < r->n_copies; i++)
            if (class_record_copy(r, i)->entry == copy->entry)
                return 0;
    if (r->n_copies - 1 == r->copies_cap) /* `more` is full: a new one twice the size */
        grow_copies(index, r);
    r->more[r->n_copies - 1] = *copy;
    r->n_copies++;
    return 1;
}

static void make_room(struct class_index *index)
{
    if ((index->count + 1) * 100 > index->capacity * MAX_LOAD_PERCENT)
        rehash(index, index->capacity * 2);
}

int class_index_add(struct class_index *index, const char *name, size_t len,
                    const struct class_copy *copy)
{
    make_room(index);
    uint32_t hash = class_index_hash(name, len);
    return add_at(index, find_slot(index, name, len, hash), NULL, name, len, hash, copy);
}

int class_index_add_kept(struct class_index *index, const char *name, size_t len, uint32_t hash,
                         const struct class_copy *copy)
{
    make_room(index);
    return add_at(index, find_slot(index, name, len, hash), name, NULL, len, hash, copy);
}

void class_index_prefetch(const struct class_index *index, uint32_t hash)
{
    __builtin_prefetch(&index->slots[hash & (index->capacity - 1)]);
}

const struct class_record *class_index_find_n(const struct class_index *index, const char *name,
                                              size_t len, uint32_t hash)
{
    const struct slot *s = find_slot(index, name, len, hash);
    return s->record ? &index->records[s->record - 1] : NULL;
}

const struct class_record *class_index_find(const struct class_index *index, const char *name)
{
    size_t len = strlen(name);
    return class_index_find_n(index, name, len, class_index_hash(name, len));
}

const struct class_copy *class_record_copy(const struct class_record *rec, uint32_t i)
{
    return i == 0 ? &rec->first : &rec->more[i - 1];
}

size_t class_index_count(const struct class_index *index)
{
    return index->count;
}

void class_index_foreach(const struct class_index *index,
                         void (*fn)(const struct class_record *rec, void *ud), void *ud)
{
    for (size_t i = 0; i < index->count; i++)
        fn(&index->records[i], ud);
}
