/*
 * strmap.c - the string map of strmap.h: linear probing over a power-of-two
 * table kept at most half full; keys are copied and owned by the map.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct strmap_slot {
    char *key; /* NULL: empty */
    uint32_t hash;
    size_t value;
};

struct strmap {
    struct strmap_slot *slots;
    size_t capacity; /* power of two */
    size_t count;
};

static uint32_t hash_key(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

struct strmap *strmap_new(void)
{
    struct strmap *map = xcalloc(1, sizeof *map);
    map->capacity = 64;
    map->slots = xcalloc(map->capacity, sizeof *map->slots);
    return map;
}

void strmap_free(struct strmap *map)
{
    if (!map)
        return;
    for (size_t i = 0; i < map->capacity; i++)
        free(map->slots[i].key);
    free(map->slots);
    free(map);
}

static struct strmap_slot *find(const struct strmap *map, const char *key, uint32_t hash)
{
    size_t mask = map->capacity - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &map->slots[i];
        if (!s->key || (s->hash == hash && strcmp(s->key, key) == 0))
            return s;
    }
}

static void grow(struct strmap *map)
{
    struct strmap old = *map;
    map->capacity *= 2;
    map->slots = xcalloc(map->capacity, sizeof *map->slots);
    size_t mask = map->capacity - 1;
    for (size_t i = 0; i < old.capacity; i++) {
        if (!old.slots[i].key)
            continue;
        size_t j = old.slots[i].hash & mask;
        while (map->slots[j].key)
            j = (j + 1) & mask;
        map->slots[j] = old.slots[i];
    }
    free(old.slots);
}

bool strmap_get(const struct strmap *map, const char *key, size_t *value)
{
    const struct strmap_slot *s = find(map, key, hash_key(key));
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}

static bool put(struct strmap *map, const char *key, size_t value, bool replace)
{
    if ((map->count + 1) * 2 > map->capacity)
        grow(map);
    uint32_t hash = hash_key(key);
    struct strmap_slot *s = find(map, key, hash);
    if (s->key) {
        if (replace)
            s->value = value;
        return false;
    }
    s->key = xstrdup(key);
    s->hash = hash;
    s->value = value;
    map->count++;
    return true;
}

void strmap_set(struct strmap *map, const char *key, size_t value)
{
    put(map, key, value, true);
}

bool strmap_add(struct strmap *map, const char *key, size_t value)
{
    return put(map, key, value, false);
}

size_t strmap_count(const struct strmap *map)
{
    return map->count;
}
