/*
 * lazylib.c - loads libmicrohttpd, libzip and Hyperscan on first use (see lazylib.h).
 *
 * Why: linked at start-up, the three and what they pull in (GnuTLS and its six
 * libraries, libcrypto, the C++ runtime) cost every command about 4 ms of CPU in the
 * dynamic linker, more than reading Debian's 108 jars, in a container whose CPU quota the
 * JVM shares; and `wrench scan` would not start at all in an image missing one of them.
 * The library is opened by its SONAME (the name its package installs, passed by the
 * Makefile), as the dynamic linker would have.
 */
#include "lazylib.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef WRENCH_LINK_DIRECT
#include <dlfcn.h>
#endif

#ifndef WRENCH_SONAME_MHD
#define WRENCH_SONAME_MHD "libmicrohttpd.so.12"
#endif
#ifndef WRENCH_SONAME_ZIP
#define WRENCH_SONAME_ZIP "libzip.so.4"
#endif
#ifndef WRENCH_SONAME_HS
#define WRENCH_SONAME_HS "libhs.so.5"
#endif

#define WHY_MAX 512

#ifdef WRENCH_LINK_DIRECT
#define LAZY_DIRECT(member, symbol) .member = symbol,
#define LAZY_LOADER(kind, LIST, soname)                                                            \
    static const struct lazy_##kind kind##_table = {LIST(LAZY_DIRECT)};                            \
    const struct lazy_##kind *lazy_##kind(const char **why)                                        \
    {                                                                                              \
        (void)why;                                                                                 \
        return &kind##_table;                                                                      \
    }
#else
/* One library being loaded: its handle, or why it could not be. */
struct lazy_lib {
    const char *soname;
    void *handle;
    char why[WHY_MAX];
};

static bool lib_open(struct lazy_lib *lib)
{
    lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib->handle) {
        const char *e = dlerror();
        snprintf(lib->why, sizeof lib->why, "cannot load %s: %s", lib->soname,
                 e ? e : "unknown error");
        return false;
    }
    return true;
}

/* Store the address of `symbol` in the function pointer at `slot`, as dlsym(3) shows
 * (a function pointer has the representation of a void * on POSIX systems). */
static bool lib_symbol(struct lazy_lib *lib, const char *symbol, void *slot)
{
    void *p = dlsym(lib->handle, symbol);
    if (!p) {
        snprintf(lib->why, sizeof lib->why, "%s has no %s (too old a version?)", lib->soname,
                 symbol);
        dlclose(lib->handle);
        lib->handle = NULL;
        return false;
    }
    memcpy(slot, &p, sizeof p);
    return true;
}

#define LAZY_LOOKUP(member, symbol)                                                                \
    if (!lib_symbol(lib, #symbol, &table->member))                                                 \
        return;

/* The handle of a loaded library stays open for the life of the process. */
#define LAZY_LOADER(kind, LIST, soname)                                                            \
    static struct lazy_##kind kind##_table;                                                        \
    static struct lazy_lib kind##_lib = {soname, NULL, ""};                                        \
    static pthread_once_t kind##_once = PTHREAD_ONCE_INIT;                                         \
    static void kind##_load(void)                                                                  \
    {                                                                                              \
        struct lazy_lib *lib = &kind##_lib;                                                        \
        struct lazy_##kind *table = &kind##_table;                                                 \
        if (!lib_open(lib))                                                                        \
            return;                                                                                \
        LIST(LAZY_LOOKUP)                                                                          \
    }                                                                                              \
    const struct lazy_##kind *lazy_##kind(const char **why)                                        \
    {                                                                                              \
        pthread_once(&kind##_once, kind##_load);                                                   \
        if (kind##_lib.handle)                                                                     \
            return &kind##_table;                                                                  \
        if (why)                                                                                   \
            *why = kind##_lib.why;                                                                 \
        return NULL;                                                                               \
    }
#endif

LAZY_LOADER(mhd, LAZY_MHD_FUNCTIONS, WRENCH_SONAME_MHD)
LAZY_LOADER(zip, LAZY_ZIP_FUNCTIONS, WRENCH_SONAME_ZIP)
#ifdef WRENCH_HAVE_HYPERSCAN
LAZY_LOADER(hs, LAZY_HS_FUNCTIONS, WRENCH_SONAME_HS)
#endif
