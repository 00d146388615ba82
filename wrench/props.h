/*
 * props.h - look a key up in Java .properties text, with java.util.Properties'
 * syntax (continuation lines, comments, separators, escapes).
 */
#ifndef WRENCH_PROPS_H
#define WRENCH_PROPS_H

#include <stddef.h>

/* The value of `key` in text[0..len) (the last one when repeated; reading stops at a NUL),
 * with trailing blanks kept as Java keeps them; a new string, or NULL when the key is
 * absent. */
char *props_get(const char *text, size_t len, const char *key);
/* props_get for several keys in one pass: values[i] (the caller frees each) for keys[i]. */
void props_get_many(const char *text, size_t len, const char *const *keys, size_t n_keys,
                    char **values);

#endif
