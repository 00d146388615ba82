/*
 * lazylib.h - the libraries that only some work needs, loaded when first needed
 * (libmicrohttpd for `wrench serve`, Hyperscan for the log scan's candidate search,
 * libzip for an entry zlib could not inflate), so that every other command neither
 * pays their dynamic linking nor fails to start in an image that lacks them.
 *
 * Each library is a table of the functions wrench calls, typed from the library's own
 * header. A static build (WRENCH_LINK_DIRECT) links the libraries and fills the same
 * tables with their addresses.
 */
#ifndef WRENCH_LAZYLIB_H
#define WRENCH_LAZYLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>
#include <zip.h>
#ifdef WRENCH_HAVE_HYPERSCAN
#include <hs.h>
#endif

/* X(member, symbol): the functions of libmicrohttpd that http.c calls. */
#define LAZY_MHD_FUNCTIONS(X)                                                                      \
    X(start_daemon, MHD_start_daemon)                                                              \
    X(stop_daemon, MHD_stop_daemon)                                                                \
    X(quiesce_daemon, MHD_quiesce_daemon)                                                          \
    X(create_response_from_buffer, MHD_create_response_from_buffer)                                \
    X(add_response_header, MHD_add_response_header)                                                \
    X(queue_response, MHD_queue_response)                                                          \
    X(destroy_response, MHD_destroy_response)                                                      \
    X(lookup_connection_value, MHD_lookup_connection_value)                                        \
    X(get_connection_values, MHD_get_connection_values)                                            \
    X(http_unescape, MHD_http_unescape)

/* The functions of libzip that jar.c calls. */
#define LAZY_ZIP_FUNCTIONS(X)                                                                      \
    X(error_init, zip_error_init)                                                                  \
    X(error_fini, zip_error_fini)                                                                  \
    X(error_code_zip, zip_error_code_zip)                                                          \
    X(error_strerror, zip_error_strerror)                                                          \
    X(source_buffer_fragment_create, zip_source_buffer_fragment_create)                            \
    X(source_free, zip_source_free)                                                                \
    X(open_from_source, zip_open_from_source)                                                      \
    X(get_error, zip_get_error)                                                                    \
    X(fopen_index, zip_fopen_index)                                                                \
    X(fread, zip_fread)                                                                            \
    X(file_get_error, zip_file_get_error)                                                          \
    X(fclose, zip_fclose)                                                                          \
    X(discard, zip_discard)

/* The functions of Hyperscan that multimatch.c calls. */
#define LAZY_HS_FUNCTIONS(X)                                                                       \
    X(compile_lit_multi, hs_compile_lit_multi)                                                     \
    X(free_compile_error, hs_free_compile_error)                                                   \
    X(free_database, hs_free_database)                                                             \
    X(alloc_scratch, hs_alloc_scratch)                                                             \
    X(free_scratch, hs_free_scratch)                                                               \
    X(scan, hs_scan)

#define LAZY_MEMBER(member, symbol) __typeof__(symbol) *member;

struct lazy_mhd {
    LAZY_MHD_FUNCTIONS(LAZY_MEMBER)
};
struct lazy_zip {
    LAZY_ZIP_FUNCTIONS(LAZY_MEMBER)
};
#ifdef WRENCH_HAVE_HYPERSCAN
struct lazy_hs {
    LAZY_HS_FUNCTIONS(LAZY_MEMBER)
};
#endif

/* The library's table, loaded on the first call (from any thread); NULL when it cannot be
 * loaded, and then *why (if not NULL) says why in a line naming the library. Later calls
 * give the same answer without trying again. */
const struct lazy_mhd *lazy_mhd(const char **why);
const struct lazy_zip *lazy_zip(const char **why);
#ifdef WRENCH_HAVE_HYPERSCAN
const struct lazy_hs *lazy_hs(const char **why);
#endif

#endif
