/*
 * fuzz_jar.c - libFuzzer harness for the jar reader: the input is an archive.
 * Walks its central directory, reads every entry under a small cap through
 * libzip, and opens every entry as a nested jar, as the scan does.
 */
#include <stdint.h>
#include <stdlib.h>

#include "jar.h"
#include "util.h"

#define FUZZ_ENTRY_CAP (1u << 16)
#define FUZZ_MAX_ENTRIES 64

struct fuzz_walk {
    const struct jar *jar;
    size_t seen;
};

static int visit(const struct zipdir_entry *e, void *ud)
{
    struct fuzz_walk *w = ud;
    char err[WR_ERR_MAX];
    unsigned char *data;
    size_t len;
    if (jar_read_entry(w->jar, e, FUZZ_ENTRY_CAP, &data, &len, err) == JAR_OK)
        free(data);
    struct jar *nested;
    if (jar_open_nested_capped(&nested, w->jar, e, "fuzz!/nested", FUZZ_ENTRY_CAP, err) == JAR_OK)
        jar_free(nested);
    return ++w->seen >= FUZZ_MAX_ENTRIES;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jar *jar;
    char err[WR_ERR_MAX];
    if (jar_open_memory(&jar, "fuzz.jar", data, size, err) != JAR_OK)
        return 0;
    struct fuzz_walk w = {jar, 0};
    jar_walk(jar, visit, &w, err);
    struct zipdir_entry found;
    jar_find(jar, "META-INF/MANIFEST.MF", &found, err);
    jar_find(jar, "BOOT-INF/classpath.idx", &found, err); /* the second find builds the table */
    jar_find(jar, "META-INF/MANIFEST.MF", &found, err);
    jar_free(jar);
    return 0;
}
