/*
 * fuzz_http.c - libFuzzer harness for what `wrench serve` does with a request
 * before any socket or database: routing (the real route table's patterns),
 * the token check, query arguments, ids, limits and the POST /api/v1/scans body.
 * Input: "METHOD\nPATH[?QUERY]\nAUTHORIZATION\nBODY".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "http.h"
#include "util.h"

#define FUZZ_ROUTES_MAX 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct api_target targets[] = {
    {{TARGET_CLASSPATH, "/app/lib/*"}, "classpath-1"},
    {{TARGET_DIR, "/opt/lib"}, "dir-1"},
    {{TARGET_LOGS, "/var/log/app"}, "logs-1"},
};
#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

/* Every route's handler: the parsers the real handler would call on the same request. */
static void stub(void *ctx, const struct http_request *req, struct http_response *res)
{
    char err[WR_ERR_MAX];
    bool selected[N_TARGETS];
    struct state_options state;
    int64_t id;
    size_t limit;
    (void)ctx;
    for (size_t i = 0; i < req->n_captures; i++) {
        if (api_parse_id(req->captures[i], &id) == 0 && id < 1)
            abort();
        (void)api_ui_content_type(req->captures[i]);
    }
    if (api_parse_limit(http_query(req, "limit"), &limit) == 0 &&
        (limit < 1 || limit > API_MAX_LIMIT))
        abort();
    (void)api_parse_id(http_query(req, "before"), &id);
    if (strcmp(req->method, "POST") == 0 &&
        api_parse_scan_body(req->body, req->body_len, targets, N_TARGETS, selected, &state, err) !=
            0) {
        http_respond_error(res, 400, "%s", err);
        return;
    }
    http_respond_json(res, 200, json_object());
}

/* Split "a=b&c" into the request's query arguments (in place, undecoded). */
static void split_query(char *query, struct http_request *req)
{
    for (char *arg = strtok(query, "&"); arg; arg = strtok(NULL, "&")) {
        if (req->n_query == HTTP_MAX_QUERY) {
            req->query_overflow = true;
            return;
        }
        char *eq = strchr(arg, '=');
        if (eq)
            *eq++ = '\0';
        req->query[req->n_query++] = (struct http_query_arg){arg, eq};
    }
}

static char *next_line(char **cursor)
{
    char *line = *cursor;
    char *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *cursor = nl + 1;
    } else {
        *cursor = line + strlen(line);
    }
    return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct http_route routes[FUZZ_ROUTES_MAX];
    if (api_route_count > FUZZ_ROUTES_MAX)
        abort();
    for (size_t i = 0; i < api_route_count; i++) {
        routes[i] = api_routes[i];
        routes[i].handler = stub;
    }
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *cursor = text;
    struct http_request req = {0};
    req.method = next_line(&cursor);
    char *path = next_line(&cursor);
    char *auth = next_line(&cursor);
    char *query = strchr(path, '?');
    if (query) {
        *query++ = '\0';
        split_query(query, &req);
    }
    req.path = path;
    req.authorization = auth[0] ? auth : NULL;
    req.body = cursor;
    req.body_len = size - (size_t)(cursor - text); /* may hold NUL bytes */
    struct http_config cfg = {.routes = routes,
                              .n_routes = api_route_count,
                              .token = size % 3 ? "fuzz-token" : NULL,
                              .auth = size % 2 ? HTTP_AUTH_ALL : HTTP_AUTH_WRITE,
                              .allow_origin = "https://a.example"};
    struct http_response res = {0};
    http_dispatch(&cfg, &req, &res);
    if (res.status < 200 || res.status > 599 || (res.status != 204 && !res.body))
        abort();
    if (res.status == 401 && res.body && strstr(res.body, "fuzz-token"))
        abort(); /* the token never appears in an answer */
    http_response_clear(&res);
    free(text);
    return 0;
}
