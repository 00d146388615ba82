/*
 * http.h - the HTTP glue of `wrench serve` (libmicrohttpd): requests are
 * accumulated with a body cap, matched against a route table {method,
 * pattern, handler}, checked for the bearer token, and answered with the
 * security headers every answer carries (docs/api.md). Routing, matching and
 * the token check work without a socket (http_dispatch), for tests and the
 * fuzzer.
 */
#ifndef WRENCH_HTTP_H
#define WRENCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define HTTP_MAX_BODY (64 * 1024) /* a larger request body is refused with 413 */
#define HTTP_MAX_CAPTURES 2       /* "{}" segments in one route pattern */
#define HTTP_MAX_CAPTURE_LEN 64   /* bytes of one captured segment; longer is no match */
#define HTTP_MAX_QUERY 8          /* query arguments kept; more is a 400 */
#define HTTP_MAX_LOCATION 96      /* bytes of a Location header */
#define HTTP_DEFAULT_LISTEN "127.0.0.1:7070"

enum http_auth {
    HTTP_AUTH_WRITE, /* the token is required for every method but GET, HEAD and OPTIONS */
    HTTP_AUTH_ALL,   /* required for every request except public routes (/healthz) */
};

struct http_query_arg {
    const char *key;   /* borrowed; decoded */
    const char *value; /* borrowed; decoded; NULL for "?key" */
};

/* One request as the handlers see it; every pointer is borrowed for the call. */
struct http_request {
    const char *method;
    const char *path; /* decoded, without the query */
    const char *captures[HTTP_MAX_CAPTURES];
    size_t n_captures;
    char capture_buf[HTTP_MAX_CAPTURES][HTTP_MAX_CAPTURE_LEN];
    struct http_query_arg query[HTTP_MAX_QUERY];
    size_t n_query;
    bool query_overflow; /* more than HTTP_MAX_QUERY arguments */
    const char *body;    /* NUL-terminated; "" when none */
    size_t body_len;
    const char *authorization; /* the Authorization header or NULL */
    const char *content_type;  /* the Content-Type header or NULL */
    const char *origin;        /* the Origin header or NULL */
};

/* The value of query argument `key` ("" for "?key"), or NULL when absent. */
const char *http_query(const struct http_request *req, const char *key);

/* An answer being built. */
struct http_response {
    unsigned status;
    char *body; /* owned; NULL for an empty body */
    size_t body_len;
    const char *content_type; /* static string */
    bool is_static;           /* a UI file: may be cached briefly (no Cache-Control: no-store) */
    char allow[64];           /* the Allow header, or "" */
    char location[HTTP_MAX_LOCATION];
};

/* Answer `root` (stolen) as JSON with `status`. */
void http_respond_json(struct http_response *res, unsigned status, json_t *root);
/* Answer {"error": {"status": S, "message": M}}. The message must not carry secrets. */
void http_respond_error(struct http_response *res, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Answer a copy of `len` bytes of `data` as `content_type` (a static string). */
void http_respond_bytes(struct http_response *res, unsigned status, const char *content_type,
                        const void *data, size_t len);
/* Release what the response owns. */
void http_response_clear(struct http_response *res);

typedef void (*http_handler_fn)(void *ctx, const struct http_request *req,
                                struct http_response *res);

/* A route: `pattern` is a path whose "{}" segments match one non-empty segment each
 * (captured in order, at most HTTP_MAX_CAPTURE_LEN - 1 bytes). */
struct http_route {
    const char *method;
    const char *pattern;
    http_handler_fn handler;
    bool is_public; /* answered without the token even with HTTP_AUTH_ALL */
};

enum http_match {
    HTTP_MATCH_OK,
    HTTP_MATCH_NO_PATH,   /* 404 */
    HTTP_MATCH_NO_METHOD, /* 405: the path exists for other methods, listed in `allow` */
};

/*
 * Find the route for `method` and `path`; HEAD matches GET routes. On
 * HTTP_MATCH_OK *route is set and the captures are written into req. On
 * HTTP_MATCH_NO_METHOD `allow` receives the methods of the path, comma separated.
 */
enum http_match http_route_find(const struct http_route *routes, size_t n_routes,
                                const char *method, const char *path,
                                const struct http_route **route, struct http_request *req,
                                char *allow, size_t allow_size);

/* True when `authorization` is "Bearer TOKEN" with exactly `token`; compared in a time
 * that does not depend on where they differ. */
bool http_token_matches(const char *authorization, const char *token);

/* What the server answers, fixed at start; every string borrowed for the server's life. */
struct http_config {
    const struct http_route *routes;
    size_t n_routes;
    void *ctx;         /* handed to every handler */
    const char *token; /* NULL: no token, everything is open */
    enum http_auth auth;
    const char *allow_origin; /* NULL: no cross-origin access */
    unsigned threads;         /* size of the worker pool */
    unsigned max_connections;
    unsigned max_per_ip;
    unsigned timeout_seconds; /* an idle or slow connection is closed after this */
};

/* Route, check the token and call the handler: the whole answer to one request
 * (without the headers, which http_security_headers() adds). */
void http_dispatch(const struct http_config *cfg, struct http_request *req,
                   struct http_response *res);

/* The Content-Security-Policy sent with every answer; new string. */
char *http_csp(const char *allow_origin);

/*
 * Parse "ADDR:PORT" or "[ADDR6]:PORT" (numeric addresses only) into `addr`
 * (a struct sockaddr_storage) and its length. -1 with err set when malformed.
 */
int http_parse_listen(const char *text, void *addr, size_t *addr_len, char *err);

/* True when a parsed listen address (struct sockaddr_storage) is loopback only:
 * 127.0.0.0/8, ::1 or ::ffff:127.x.x.x. 0.0.0.0 and :: are not. */
bool http_addr_is_loopback(const void *addr);

/* True when a Content-Type header value is application/json (any case, parameters such as
 * "; charset=utf-8" allowed). */
bool http_content_type_is_json(const char *value);

struct http_server;

/* Start serving on `listen` in background threads. -1 with err set (address in use,
 * malformed address). */
int http_server_start(struct http_server **out, const struct http_config *cfg, const char *listen,
                      char *err);
/* Stop accepting connections; those open are still answered. */
void http_server_quiesce(struct http_server *srv);
/* Close every connection, stop the threads and free; NULL is a no-op. */
void http_server_stop(struct http_server *srv);

#endif
