/*
 * cut_on_read.c - an LD_PRELOAD shim for the tests of files that change under a
 * scan. It wraps pread()/read(): on the Nth read of the file named by
 * WRENCH_CUT_PATH (counted per call, 1-based, WRENCH_CUT_AT), before the read
 * happens, it truncates the file to WRENCH_CUT_TO bytes, or, when
 * WRENCH_CUT_WITH names a file, rewrites the file in place with that file's
 * bytes (a deploy copying a new jar over the old one). So the file really
 * changes between wrench's open() and its read, at a chosen point of the read,
 * deterministically. It writes "cut" to WRENCH_CUT_DONE (a path) once it acted.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long reads_seen;
static int acted;

static void copy_over(const char *target, const char *source)
{
    int in = open(source, O_RDONLY);
    int out = open(target, O_WRONLY | O_TRUNC);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
}

static void maybe_cut(int fd)
{
    const char *path = getenv("WRENCH_CUT_PATH");
    if (acted || !path)
        return;
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return;
    target[n] = '\0';
    if (strcmp(target, path) != 0)
        return;
    long at = atol(getenv("WRENCH_CUT_AT") ? getenv("WRENCH_CUT_AT") : "1");
    if (++reads_seen != at)
        return;
    acted = 1;
    const char *with = getenv("WRENCH_CUT_WITH");
    if (with && *with)
        copy_over(path, with);
    else if (truncate(path, atol(getenv("WRENCH_CUT_TO") ? getenv("WRENCH_CUT_TO") : "0")) != 0)
        return;
    const char *done = getenv("WRENCH_CUT_DONE");
    if (done) {
        FILE *f = fopen(done, "w");
        if (f) {
            fputs("cut\n", f);
            fclose(f);
        }
    }
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
    static ssize_t (*real)(int, void *, size_t, off_t);
    if (!real)
        real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");
    maybe_cut(fd);
    return real(fd, buf, count, offset);
}

ssize_t pread64(int fd, void *buf, size_t count, off_t offset)
{
    static ssize_t (*real)(int, void *, size_t, off_t);
    if (!real)
        real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread64");
    maybe_cut(fd);
    return real(fd, buf, count, offset);
}
