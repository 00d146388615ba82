/*
 * fuzz_classpath.c - libFuzzer harness for Class-Path and argument-file
 * expansion: the input is a MANIFEST.MF. It is written, in a jar, next to a
 * few fixed jars whose own Class-Paths loop (a.jar -> b.jar -> a.jar, c.jar),
 * and the view "x.jar:a.jar:c.jar:b.jar" is read as a scan reads it (the
 * depth-first Class-Path walk, listed-twice detection, the entry cap) and then
 * analysed (conflicts, duplicates). The same bytes are also split as an
 * @argfile and each token used as a classpath item.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "analysis.h"
#include "classpath.h"
#include "jvm.h"
#include "manifest.h"
#include "model.h"
#include "reader.h"
#include "util.h"

#define FUZZ_MAX_TOKENS 16

static char dir[64];

static void write_jar(const char *name, const void *manifest, size_t len, const char *klass)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int zerr;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!za)
        abort();
    zip_source_t *mf = zip_source_buffer(za, manifest, len, 0);
    zip_file_add(za, "META-INF/MANIFEST.MF", mf, ZIP_FL_OVERWRITE);
    static const unsigned char cafe[] = {0xca, 0xfe, 0xba, 0xbe};
    zip_source_t *cls = zip_source_buffer(za, cafe, sizeof cafe, 0);
    zip_file_add(za, klass, cls, ZIP_FL_OVERWRITE);
    if (zip_close(za) != 0)
        abort();
}

static void setup(void)
{
    if (dir[0])
        return;
    snprintf(dir, sizeof dir, "/tmp/wrench-fuzz-cp-%ld-XXXXXX", (long)getpid());
    if (!mkdtemp(dir))
        abort();
    static const char a[] = "Manifest-Version: 1.0\r\nClass-Path: b.jar\r\n\r\n";
    static const char b[] = "Manifest-Version: 1.0\r\nClass-Path: a.jar c.jar ./b.jar\r\n\r\n";
    static const char c[] = "Manifest-Version: 1.0\r\n\r\n";
    write_jar("a.jar", a, sizeof a - 1, "com/x/Shared.class");
    write_jar("b.jar", b, sizeof b - 1, "com/x/Shared.class");
    write_jar("c.jar", c, sizeof c - 1, "com/x/C.class");
}

static void scan_classpath(const char *cp)
{
    struct scan *scan = scan_new();
    classpath_add_string(scan, cp);
    reader_read_scan(scan, NULL, 0);
    analysis_find_duplicates(scan);
    analysis_find_conflicts(scan);
    scan_free(scan);
}

/* A path that could leave the fuzz directory ("/", "../..") would make a run walk the
 * machine's file system as a class root: slow, and not hermetic. Such inputs are only
 * parsed. */
static bool escapes(const char *item)
{
    return item[0] == '/' || strstr(item, "..") || strchr(item, ':');
}

static bool class_path_escapes(const uint8_t *data, size_t size)
{
    struct manifest mf = {0};
    manifest_parse(&mf, (const char *)data, size);
    bool bad = false;
    if (mf.class_path) {
        char **items;
        size_t n = manifest_class_path_items(mf.class_path, &items);
        for (size_t i = 0; i < n; i++) {
            bad |= escapes(items[i]);
            free(items[i]);
        }
        free(items);
    }
    manifest_clear(&mf);
    return bad;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    if (!class_path_escapes(data, size)) {
        write_jar("x.jar", data, size, "com/x/X.class");
        char cp[512];
        snprintf(cp, sizeof cp, "%s/x.jar:%s/a.jar:%s/c.jar:%s/b.jar", dir, dir, dir, dir);
        scan_classpath(cp);
    }

    char **toks = NULL;
    size_t n = 0, cap = 0;
    jvm_split_argfile((const char *)data, size, &toks, &n, &cap);
    struct strbuf joined = {0};
    for (size_t i = 0; i < n && i < FUZZ_MAX_TOKENS; i++) {
        /* relative to the fuzz directory, never the machine's */
        strbuf_printf(&joined, "%s%s/%s", i ? ":" : "", dir, escapes(toks[i]) ? "x" : toks[i]);
    }
    strv_free(toks, n);
    if (joined.len)
        scan_classpath(joined.data);
    strbuf_free(&joined);
    return 0;
}
