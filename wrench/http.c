/*
 * http.c - the libmicrohttpd glue of `wrench serve`: body accumulation with a
 * cap, the route table, the token check and the headers every answer carries.
 * libmicrohttpd runs its own polling thread and a pool of workers, with
 * connection, per-IP, memory and time limits, so one slow client cannot hold
 * up the others; handlers must therefore be thread-safe.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "lazylib.h"
#include "util.h"

#define HTTP_MAX_DISCARD (1024 * 1024) /* body bytes ignored after the cap before hanging up */
#define HTTP_CONN_MEMORY (128 * 1024)  /* libmicrohttpd's buffer per connection (headers) */
#define HTTP_PREFLIGHT_MAX_AGE "600"
#define BEARER "Bearer "
#define HTTP_NUL_STANDIN '\x7f' /* what a decoded %00 becomes: matches no route, no number */

/* libmicrohttpd, loaded by the first server started (lazylib.c); its callbacks run only
 * while a server runs, so they find it set. */
static const struct lazy_mhd *mhd;

struct http_server {
    struct MHD_Daemon *daemon;
    const struct http_config *cfg;
    char *csp;
};

/* The state of one request across libmicrohttpd's calls. */
struct conn_state {
    struct strbuf body;
    bool too_large;
    size_t discarded;
};

const char *http_query(const struct http_request *req, const char *key)
{
    for (size_t i = 0; i < req->n_query; i++)
        if (strcmp(req->query[i].key, key) == 0)
            return req->query[i].value ? req->query[i].value : "";
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Responses */

void http_response_clear(struct http_response *res)
{
    free(res->body);
    res->body = NULL;
    res->body_len = 0;
}

void http_respond_bytes(struct http_response *res, unsigned status, const char *content_type,
                        const void *data, size_t len)
{
    http_response_clear(res);
    res->status = status;
    res->content_type = content_type;
    res->body = xmalloc(len + 1);
    memcpy(res->body, data, len);
    res->body[len] = '\0';
    res->body_len = len;
}

void http_respond_json(struct http_response *res, unsigned status, json_t *root)
{
    char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text) {
        http_respond_error(res, 500, "the answer could not be rendered as JSON");
        return;
    }
    http_response_clear(res);
    res->status = status;
    res->content_type = "application/json";
    res->body_len = strlen(text);
    res->body = text;
}

void http_respond_error(struct http_response *res, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = xvasprintf(fmt, ap);
    va_end(ap);
    json_t *root = json_pack("{s:{s:i, s:s%}}", "error", "status", (int)status, "message", message,
                             strlen(message));
    free(message);
    char *text = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (!text) /* the message was not UTF-8: answer without it */
        text = xasprintf("{\"error\":{\"status\":%u,\"message\":\"error\"}}", status);
    http_response_clear(res);
    res->status = status;
    res->content_type = "application/json";
    res->body_len = strlen(text);
    res->body = text;
}

/* ------------------------------------------------------------------------ */
/* Routing */

/* Match `path` against `pattern`; the captures go to req when it matches. */
static bool pattern_matches(const char *pattern, const char *path, struct http_request *req)
{
    size_t n = 0;
    char caps[HTTP_MAX_CAPTURES][HTTP_MAX_CAPTURE_LEN];
    const char *p = pattern, *s = path;
    while (*p) {
        if (p[0] == '{' && p[1] == '}') {
            size_t len = strcspn(s, "/");
            if (len == 0 || len >= HTTP_MAX_CAPTURE_LEN || n == HTTP_MAX_CAPTURES)
                return false;
            memcpy(caps[n], s, len);
            caps[n++][len] = '\0';
            s += len;
            p += 2;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    if (*s)
        return false;
    for (size_t i = 0; i < n; i++) {
        memcpy(req->capture_buf[i], caps[i], sizeof(caps[i]));
        req->captures[i] = req->capture_buf[i];
    }
    req->n_captures = n;
    return true;
}

static void allow_add(char *allow, size_t size, const char *method)
{
    size_t len = strlen(allow);
    if (strstr(allow, method)) /* GET and HEAD are the only overlap, and HEAD follows GET */
        return;
    snprintf(allow + len, size - len, "%s%s", len ? ", " : "", method);
}

enum http_match http_route_find(const struct http_route *routes, size_t n_routes,
                                const char *method, const char *path,
                                const struct http_route **route, struct http_request *req,
                                char *allow, size_t allow_size)
{
    bool path_known = false;
    const char *wanted = strcmp(method, "HEAD") == 0 ? "GET" : method;
    if (allow_size)
        allow[0] = '\0';
    for (size_t i = 0; i < n_routes; i++) {
        struct http_request scratch = {0};
        if (!pattern_matches(routes[i].pattern, path, &scratch))
            continue;
        if (strcmp(routes[i].method, wanted) == 0) {
            pattern_matches(routes[i].pattern, path, req);
            *route = &routes[i];
            return HTTP_MATCH_OK;
        }
        path_known = true;
        if (allow_size) {
            allow_add(allow, allow_size, routes[i].method);
            if (strcmp(routes[i].method, "GET") == 0)
                allow_add(allow, allow_size, "HEAD");
        }
    }
    if (path_known && allow_size)
        allow_add(allow, allow_size, "OPTIONS");
    return path_known ? HTTP_MATCH_NO_METHOD : HTTP_MATCH_NO_PATH;
}

bool http_token_matches(const char *authorization, const char *token)
{
    if (!authorization || !token || strncmp(authorization, BEARER, strlen(BEARER)) != 0)
        return false;
    const char *given = authorization + strlen(BEARER);
    size_t given_len = strlen(given), token_len = strlen(token);
    /* Every byte of the given token is looked at whatever the stored one is, so the time
     * taken tells nothing of where they differ (only of the given length). */
    unsigned char diff = given_len != token_len;
    for (size_t i = 0; i < given_len; i++)
        diff |= (unsigned char)given[i] ^ (unsigned char)token[token_len ? i % token_len : 0];
    return diff == 0 && token_len > 0;
}

static bool is_read_method(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
           strcmp(method, "OPTIONS") == 0;
}

/* A CORS preflight: the methods of the path for the allowed origin only. */
static void preflight(const struct http_config *cfg, const struct http_request *req,
                      const char *allow, struct http_response *res)
{
    http_response_clear(res);
    res->status = 204;
    res->content_type = NULL;
    snprintf(res->allow, sizeof(res->allow), "%s", allow);
    (void)cfg;
    (void)req;
}

void http_dispatch(const struct http_config *cfg, struct http_request *req,
                   struct http_response *res)
{
    const struct http_route *route = NULL;
    char allow[sizeof(res->allow)];
    res->status = 500;
    enum http_match m = http_route_find(cfg->routes, cfg->n_routes, req->method, req->path, &route,
                                        req, allow, sizeof(allow));
    if (m == HTTP_MATCH_NO_METHOD && strcmp(req->method, "OPTIONS") == 0) {
        preflight(cfg, req, allow, res);
        return;
    }
    if (m == HTTP_MATCH_NO_PATH) {
        http_respond_error(res, 404, "no such resource");
        return;
    }
    if (m == HTTP_MATCH_NO_METHOD) {
        http_respond_error(res, 405, "this method is not allowed here (allowed: %s)", allow);
        snprintf(res->allow, sizeof(res->allow), "%s", allow);
        return;
    }
    bool needs_token = cfg->token && ((cfg->auth == HTTP_AUTH_ALL && !route->is_public) ||
                                      !is_read_method(req->method));
    if (needs_token && !http_token_matches(req->authorization, cfg->token)) {
        http_respond_error(res, 401,
                           req->authorization ? "the token is wrong"
                                              : "a token is required: Authorization: Bearer TOKEN");
        return;
    }
    /* A form or a no-cors fetch from another site can POST text/plain or nothing at all
     * without a preflight; application/json needs one, which only --allow-origin answers. */
    if (!is_read_method(req->method) && !http_content_type_is_json(req->content_type)) {
        http_respond_error(res, 415,
                           "%s needs Content-Type: application/json (a body such as {} or "
                           "{\"targets\": [...]})",
                           req->method);
        return;
    }
    if (req->query_overflow) {
        http_respond_error(res, 400, "too many query arguments (at most %d)", HTTP_MAX_QUERY);
        return;
    }
    route->handler(cfg->ctx, req, res);
}

bool http_content_type_is_json(const char *value)
{
    static const char json[] = "application/json";
    if (!value)
        return false;
    while (*value == ' ' || *value == '\t')
        value++;
    if (strncasecmp(value, json, sizeof json - 1) != 0)
        return false;
    const char *rest = value + sizeof json - 1;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    return *rest == '\0' || *rest == ';';
}

bool http_addr_is_loopback(const void *addr)
{
    const struct sockaddr_storage *ss = addr;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = addr;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = addr;
        const unsigned char *b = in6->sin6_addr.s6_addr;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return true;
        return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && b[12] == 127;
    }
    return false;
}

char *http_csp(const char *allow_origin)
{
    return xasprintf("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
                     "data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                     "frame-ancestors %s",
                     allow_origin ? allow_origin : "'none'");
}

int http_parse_listen(const char *text, void *addr, size_t *addr_len, char *err)
{
    char host[INET6_ADDRSTRLEN + 1];
    const char *port_text;
    size_t host_len;
    bool v6 = text[0] == '[';
    if (v6) {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            goto bad;
        host_len = (size_t)(close - text - 1);
        if (host_len >= sizeof(host))
            goto bad;
        memcpy(host, text + 1, host_len);
        port_text = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (!colon)
            goto bad;
        host_len = (size_t)(colon - text);
        if (host_len >= sizeof(host))
            goto bad;
        memcpy(host, text, host_len);
        port_text = colon + 1;
    }
    host[host_len] = '\0';
    uint64_t port;
    if (parse_u64(port_text, &port) != 0 || port > UINT16_MAX)
        goto bad;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
            goto bad;
        *addr_len = sizeof(*a);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
            goto bad;
        *addr_len = sizeof(*a);
    }
    memcpy(addr, &ss, sizeof(ss));
    return 0;
bad:
    err_set(err, "--listen takes ADDR:PORT or [ADDR6]:PORT with a numeric address, not '%s'", text);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* libmicrohttpd */

static enum MHD_Result add_header(struct MHD_Response *r, const char *name, const char *value)
{
    return mhd->add_response_header(r, name, value);
}

static enum MHD_Result queue(struct http_server *srv, struct MHD_Connection *c,
                             const struct http_request *req, struct http_response *res)
{
    struct MHD_Response *r = mhd->create_response_from_buffer(
        res->body_len, res->body ? res->body : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    if (res->content_type)
        add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    add_header(r, "Content-Security-Policy", srv->csp);
    add_header(r, "X-Content-Type-Options", "nosniff");
    add_header(r, "Referrer-Policy", "no-referrer");
    add_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, res->is_static ? "no-cache" : "no-store");
    if (res->allow[0])
        add_header(r, MHD_HTTP_HEADER_ALLOW, res->allow);
    if (res->location[0])
        add_header(r, MHD_HTTP_HEADER_LOCATION, res->location);
    const char *origin = srv->cfg->allow_origin;
    if (origin) {
        add_header(r, "Vary", "Origin");
        if (req->origin && strcmp(req->origin, origin) == 0) {
            add_header(r, "Access-Control-Allow-Origin", origin);
            if (res->status == 204 && res->allow[0]) {
                add_header(r, "Access-Control-Allow-Methods", res->allow);
                add_header(r, "Access-Control-Allow-Headers", "Authorization, Content-Type");
                add_header(r, "Access-Control-Max-Age", HTTP_PREFLIGHT_MAX_AGE);
            }
        }
    }
    enum MHD_Result ret = mhd->queue_response(c, res->status, r);
    mhd->destroy_response(r);
    return ret;
}

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct http_request *req = cls;
    (void)kind;
    if (req->n_query == HTTP_MAX_QUERY) {
        req->query_overflow = true;
        return MHD_NO;
    }
    req->query[req->n_query++] = (struct http_query_arg){key, value};
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct conn_state *st = *con_cls;
    struct http_request req = {.method = method, .path = url, .body = ""};
    struct http_response res = {0};
    (void)version;
    req.authorization = mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    req.origin = mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    req.content_type = mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!st) {
        st = xcalloc(1, sizeof(*st));
        *con_cls = st;
        const char *length = mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        uint64_t n;
        if (!length || parse_u64(length, &n) != 0 || n <= HTTP_MAX_BODY)
            return MHD_YES;
        /* Refused before the body is read; libmicrohttpd then closes the connection. */
        http_respond_error(&res, 413, "the request body is over %d bytes", HTTP_MAX_BODY);
        enum MHD_Result ret = queue(srv, c, &req, &res);
        http_response_clear(&res);
        return ret;
    }
    if (*upload_size) {
        if (st->too_large || st->body.len + *upload_size > HTTP_MAX_BODY) {
            st->too_large = true;
            st->discarded += *upload_size;
            if (st->discarded > HTTP_MAX_DISCARD)
                return MHD_NO;
        } else {
            strbuf_append(&st->body, upload_data, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->too_large) {
        http_respond_error(&res, 413, "the request body is over %d bytes", HTTP_MAX_BODY);
    } else {
        mhd->get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query_arg, &req);
        req.body = st->body.data ? st->body.data : "";
        req.body_len = st->body.len;
        http_dispatch(srv->cfg, &req, &res);
    }
    enum MHD_Result ret = queue(srv, c, &req, &res);
    http_response_clear(&res);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_state *st = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (st) {
        strbuf_free(&st->body);
        free(st);
        *con_cls = NULL;
    }
}

/* Decode %XX in the path and query, but never into a NUL: "app.js%00.html" must not
 * become "app.js" for the C strings the handlers see. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    size_t len = mhd->http_unescape(s);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\0')
            s[i] = HTTP_NUL_STANDIN;
    return len;
}

/* libmicrohttpd's own messages (malformed requests, limits); never carry headers. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("wrench serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

int http_server_start(struct http_server **out, const struct http_config *cfg, const char *listen,
                      char *err)
{
    struct sockaddr_storage addr;
    size_t addr_len;
    if (http_parse_listen(listen, &addr, &addr_len, err) != 0)
        return -1;
    const char *why = NULL;
    if (!mhd && !(mhd = lazy_mhd(&why))) {
        err_set(err, "cannot serve: %s", why);
        return -1;
    }
    struct http_server *srv = xcalloc(1, sizeof(*srv));
    srv->cfg = cfg;
    srv->csp = http_csp(cfg->allow_origin);
    unsigned flags =
        /* poll, not epoll: libmicrohttpd 0.9.75 can abort in MHD_quiesce_daemon ("Failed to
         * remove listen FD from epoll set") when a thread pool uses epoll */
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    srv->daemon = mhd->start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg->max_per_ip, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!srv->daemon) {
        err_set(err, "cannot listen on %s: %s", listen,
                errno ? strerror(errno) : "libmicrohttpd refused to start");
        free(srv->csp);
        free(srv);
        return -1;
    }
    *out = srv;
    return 0;
}

void http_server_quiesce(struct http_server *srv)
{
    if (!srv)
        return;
    MHD_socket fd = mhd->quiesce_daemon(srv->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

void http_server_stop(struct http_server *srv)
{
    if (!srv)
        return;
    mhd->stop_daemon(srv->daemon);
    free(srv->csp);
    free(srv);
}
