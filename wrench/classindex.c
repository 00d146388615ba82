/*
 * classindex.c - an open-addressing hash table of class names (linear probing,
 * power-of-two capacity, FNV-1a) of small slots pointing into a dense array of
 * records, whose names live in large arena blocks, so
 * that indexing 200,000 classes costs a handful of allocations.
 */
#include "classindex.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARENA_BLOCK_BYTES (1u << 20)
#define MAX_LOAD_PERCENT 70
#define MAX_INITIAL_CLASSES (1u << 22) /* a lying hint must not allocate gigabytes */

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t size;
    char data[];
};

/* Slots hold a record's hash and position: 8 bytes each, so probing a table of half a
 * million slots stays in cache far more often than probing the 56-byte records would. */
struct slot {
    uint32_t hash;
    uint32_t record; /* index into records + 1; 0 marks an empty slot */
};

struct class_index {
    struct slot *slots;
    size_t capacity;              /* power of two */
    struct class_record *records; /* dense, in insertion order */
    size_t count;
    size_t records_cap;
    struct arena_block *arena;
};

/* FNV-1a, 32 bits: enough for a table of a few million slots, and cheap. */
static uint32_t hash_name(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static char *arena_strndup(struct class_index *index, const char *s, size_t len)
{
    struct arena_block *b = index->arena;
    if (!b || b->size - b->used < len + 1) {
        size_t size = len + 1 > ARENA_BLOCK_BYTES ? len + 1 : ARENA_BLOCK_BYTES;
        b = xmalloc(sizeof(*b) + size);
        b->next = index->arena;
        b->used = 0;
        b->size = size;
        index->arena = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, len);
    p[len] = '\0';
    b->used += len + 1;
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
    index->slots = xcalloc(cap, sizeof(struct slot));
    index->capacity = cap;
    return index;
}

void class_index_free(struct class_index *index)
{
    if (!index)
        return;
    for (size_t i = 0; i < index->count; i++)
        free(index->records[i].more);
    free(index->records);
    free(index->slots);
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
    struct slot *slots = xcalloc(capacity, sizeof(struct slot));
    for (size_t i = 0; i < index->capacity; i++) {
        struct slot s = index->slots[i];
        if (!s.record)
            continue;
        size_t j = s.hash & mask;
        while (slots[j].record) /* names are distinct: no comparison needed */
            j = (j + 1) & mask;
        slots[j] = s;
    }
    free(index->slots);
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
    index->records = xgrow(index->records, &index->records_cap, need, sizeof(*index->records));
}

int class_index_add(struct class_index *index, const char *name, size_t len,
                    const struct class_copy *copy)
{
    if ((index->count + 1) * 100 > index->capacity * MAX_LOAD_PERCENT)
        rehash(index, index->capacity * 2);
    uint32_t hash = hash_name(name, len);
    struct slot *s = find_slot(index, name, len, hash);
    if (!s->record) {
        index->records =
            xgrow(index->records, &index->records_cap, index->count + 1, sizeof(*index->records));
        struct class_record *r = &index->records[index->count++];
        memset(r, 0, sizeof(*r));
        r->name = arena_strndup(index, name, len);
        r->hash = hash;
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
    size_t cap = r->copies_cap;
    r->more = xgrow(r->more, &cap, r->n_copies, sizeof(struct class_copy));
    r->copies_cap = (uint32_t)cap;
    r->more[r->n_copies - 1] = *copy;
    r->n_copies++;
    return 1;
}

const struct class_record *class_index_find(const struct class_index *index, const char *name)
{
    size_t len = strlen(name);
    const struct slot *s = find_slot(index, name, len, hash_name(name, len));
    return s->record ? &index->records[s->record - 1] : NULL;
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
