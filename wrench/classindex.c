/*
 * classindex.c - an open-addressing hash table of class names (linear probing,
 * power-of-two capacity, FNV-1a) whose names live in large arena blocks, so
 * that indexing 200,000 classes costs a handful of allocations.
 */
#include "classindex.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARENA_BLOCK_BYTES (1u << 20)
#define MAX_LOAD_PERCENT 70

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t size;
    char data[];
};

struct class_index {
    struct class_record *slots;
    size_t capacity; /* power of two */
    size_t count;
    struct arena_block *arena;
};

static uint64_t hash_name(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
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
    while (cap * MAX_LOAD_PERCENT / 100 < expected)
        cap *= 2;
    index->slots = xcalloc(cap, sizeof(struct class_record));
    index->capacity = cap;
    return index;
}

void class_index_free(struct class_index *index)
{
    if (!index)
        return;
    for (size_t i = 0; i < index->capacity; i++)
        free(index->slots[i].more);
    free(index->slots);
    struct arena_block *b = index->arena;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(index);
}

static struct class_record *find_slot(struct class_record *slots, size_t capacity,
                                      const char *name, size_t len, uint64_t hash)
{
    size_t mask = capacity - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct class_record *r = &slots[i];
        if (!r->name || (strncmp(r->name, name, len) == 0 && r->name[len] == '\0'))
            return r;
    }
}

static void grow(struct class_index *index)
{
    size_t capacity = index->capacity * 2;
    struct class_record *slots = xcalloc(capacity, sizeof(struct class_record));
    for (size_t i = 0; i < index->capacity; i++) {
        struct class_record *r = &index->slots[i];
        if (!r->name)
            continue;
        size_t len = strlen(r->name);
        *find_slot(slots, capacity, r->name, len, hash_name(r->name, len)) = *r;
    }
    free(index->slots);
    index->slots = slots;
    index->capacity = capacity;
}

int class_index_add(struct class_index *index, const char *name, size_t len,
                    const struct class_copy *copy)
{
    if ((index->count + 1) * 100 > index->capacity * MAX_LOAD_PERCENT)
        grow(index);
    struct class_record *r =
        find_slot(index->slots, index->capacity, name, len, hash_name(name, len));
    if (!r->name) {
        r->name = arena_strndup(index, name, len);
        r->n_copies = 1;
        r->first = *copy;
        index->count++;
        return 1;
    }
    for (uint32_t i = 0; i < r->n_copies; i++)
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
    const struct class_record *r =
        find_slot(index->slots, index->capacity, name, len, hash_name(name, len));
    return r->name ? r : NULL;
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
    for (size_t i = 0; i < index->capacity; i++)
        if (index->slots[i].name)
            fn(&index->slots[i], ud);
}
