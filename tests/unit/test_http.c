/*
 * test_http.c - unit tests for the socket-free parts of `wrench serve`:
 * route matching with captures and Allow lists, the bearer token check,
 * --listen parsing, the dispatcher's auth and 404/405 answers, and the API's
 * parsers (ids, limits, the POST /api/v1/scans body).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "api.h"
#include "http.h"
#include "util.h"

static int calls;

static void ok_handler(void *ctx, const struct http_request *req, struct http_response *res)
{
    (void)ctx;
    (void)req;
    calls++;
    http_respond_json(res, 200, json_object());
}

static const struct http_route routes[] = {
    {"GET", "/healthz", ok_handler, true},
    {"GET", "/api/v1/scans", ok_handler, false},
    {"POST", "/api/v1/scans", ok_handler, false},
    {"GET", "/api/v1/scans/latest", ok_handler, false},
    {"GET", "/api/v1/scans/{}", ok_handler, false},
    {"GET", "/api/v1/scans/{}/status", ok_handler, false},
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

static void test_route_find(void **state)
{
    (void)state;
    const struct http_route *route = NULL;
    struct http_request req = {0};
    char allow[64];
    assert_int_equal(http_route_find(routes, N_ROUTES, "GET", "/api/v1/scans/12/status", &route,
                                     &req, allow, sizeof(allow)),
                     HTTP_MATCH_OK);
    assert_ptr_equal(route, &routes[5]);
    assert_int_equal(req.n_captures, 1);
    assert_string_equal(req.captures[0], "12");
    /* the first matching pattern wins: "latest" before "{}" */
    assert_int_equal(http_route_find(routes, N_ROUTES, "GET", "/api/v1/scans/latest", &route, &req,
                                     allow, sizeof(allow)),
                     HTTP_MATCH_OK);
    assert_ptr_equal(route, &routes[3]);
    assert_int_equal(
        http_route_find(routes, N_ROUTES, "HEAD", "/healthz", &route, &req, allow, sizeof(allow)),
        HTTP_MATCH_OK);
    assert_int_equal(http_route_find(routes, N_ROUTES, "DELETE", "/api/v1/scans", &route, &req,
                                     allow, sizeof(allow)),
                     HTTP_MATCH_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST, OPTIONS");
    const char *missing[] = {"/api/v1/scans/",   "/api/v1/scans//status",
                             "/api/v1/scans/1/", "/api/v1/scans/1/status/x",
                             "/healthz/",        "",
                             "/API/v1/scans"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
        assert_int_equal(http_route_find(routes, N_ROUTES, "GET", missing[i], &route, &req, allow,
                                         sizeof(allow)),
                         HTTP_MATCH_NO_PATH);
    char long_path[HTTP_MAX_CAPTURE_LEN + 32];
    memset(long_path, '9', sizeof(long_path));
    memcpy(long_path, "/api/v1/scans/", strlen("/api/v1/scans/"));
    long_path[sizeof(long_path) - 1] = '\0';
    assert_int_equal(
        http_route_find(routes, N_ROUTES, "GET", long_path, &route, &req, allow, sizeof(allow)),
        HTTP_MATCH_NO_PATH);
}

static void test_token(void **state)
{
    (void)state;
    assert_true(http_token_matches("Bearer s3cret", "s3cret"));
    assert_false(http_token_matches("Bearer s3cre", "s3cret"));
    assert_false(http_token_matches("Bearer s3crett", "s3cret"));
    assert_false(http_token_matches("Bearer S3cret", "s3cret"));
    assert_false(http_token_matches("bearer s3cret", "s3cret"));
    assert_false(http_token_matches("s3cret", "s3cret"));
    assert_false(http_token_matches("Bearer ", ""));
    assert_false(http_token_matches(NULL, "s3cret"));
    assert_false(http_token_matches("Bearer x", NULL));
}

static void test_listen(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    size_t len;
    char err[WR_ERR_MAX];
    assert_int_equal(http_parse_listen("127.0.0.1:7070", &addr, &len, err), 0);
    assert_int_equal(addr.ss_family, AF_INET);
    assert_int_equal(http_parse_listen("[::1]:0", &addr, &len, err), 0);
    assert_int_equal(addr.ss_family, AF_INET6);
    assert_int_equal(http_parse_listen("0.0.0.0:65535", &addr, &len, err), 0);
    const char *bad[] = {"localhost:80", "127.0.0.1", "127.0.0.1:",   "127.0.0.1:65536",
                         "127.0.0.1:-1", "::1:80",    "[::1]80",      "[::1]:",
                         "[zz]:80",      ":80",       "1.2.3.4.5:80", "127.0.0.1:80x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(http_parse_listen(bad[i], &addr, &len, err), -1);
        assert_non_null(strstr(err, "--listen"));
    }
}

static unsigned dispatch(const char *method, const char *path, const char *auth,
                         enum http_auth mode, const char *token, char **body)
{
    struct http_config cfg = {.routes = routes, .n_routes = N_ROUTES, .token = token, .auth = mode};
    struct http_request req = {.method = method,
                               .path = path,
                               .authorization = auth,
                               .content_type = "application/json",
                               .body = ""};
    struct http_response res = {0};
    http_dispatch(&cfg, &req, &res);
    *body = res.body;
    return res.status;
}

static void test_dispatch_auth(void **state)
{
    (void)state;
    char *body;
    calls = 0;
    assert_int_equal(dispatch("POST", "/api/v1/scans", NULL, HTTP_AUTH_WRITE, "tok", &body), 401);
    assert_null(strstr(body, "tok\""));
    free(body);
    assert_int_equal(dispatch("POST", "/api/v1/scans", "Bearer no", HTTP_AUTH_WRITE, "tok", &body),
                     401);
    free(body);
    assert_int_equal(calls, 0);
    assert_int_equal(dispatch("POST", "/api/v1/scans", "Bearer tok", HTTP_AUTH_WRITE, "tok", &body),
                     200);
    free(body);
    assert_int_equal(dispatch("GET", "/api/v1/scans", NULL, HTTP_AUTH_WRITE, "tok", &body), 200);
    free(body);
    assert_int_equal(dispatch("GET", "/api/v1/scans", NULL, HTTP_AUTH_ALL, "tok", &body), 401);
    free(body);
    assert_int_equal(dispatch("GET", "/healthz", NULL, HTTP_AUTH_ALL, "tok", &body), 200);
    free(body);
    assert_int_equal(dispatch("POST", "/api/v1/scans", NULL, HTTP_AUTH_WRITE, NULL, &body), 200);
    free(body);
    assert_int_equal(calls, 4);
    /* unknown paths and methods are answered before the token is looked at */
    assert_int_equal(dispatch("GET", "/nope", NULL, HTTP_AUTH_ALL, "tok", &body), 404);
    assert_non_null(strstr(body, "\"status\":404"));
    free(body);
    assert_int_equal(dispatch("PUT", "/healthz", NULL, HTTP_AUTH_ALL, "tok", &body), 405);
    free(body);
    assert_int_equal(dispatch("OPTIONS", "/api/v1/scans", NULL, HTTP_AUTH_ALL, "tok", &body), 204);
    free(body);
}

/* A POST must say application/json: a form or a no-cors fetch cannot (issue 13). */
static void test_dispatch_content_type(void **state)
{
    (void)state;
    const char *refused[] = {NULL,
                             "",
                             "text/plain",
                             "application/x-www-form-urlencoded",
                             "multipart/form-data",
                             "application/jsonp",
                             "text/json"};
    calls = 0;
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        struct http_config cfg = {.routes = routes, .n_routes = N_ROUTES, .auth = HTTP_AUTH_WRITE};
        struct http_request req = {
            .method = "POST", .path = "/api/v1/scans", .content_type = refused[i], .body = ""};
        struct http_response res = {0};
        http_dispatch(&cfg, &req, &res);
        assert_int_equal(res.status, 415);
        free(res.body);
    }
    assert_int_equal(calls, 0);
    assert_true(http_content_type_is_json("application/json"));
    assert_true(http_content_type_is_json(" Application/JSON ; charset=utf-8"));
    assert_false(http_content_type_is_json("application/json-seq"));
}

static void test_loopback(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    size_t len;
    char err[WR_ERR_MAX];
    const char *loop[] = {"127.0.0.1:1", "127.8.9.10:1", "[::1]:1", "[::ffff:127.0.0.1]:1"};
    const char *open_[] = {"0.0.0.0:1", "[::]:1", "10.0.0.1:1", "[::ffff:10.0.0.1]:1",
                           "[fe80::1]:1"};
    for (size_t i = 0; i < sizeof(loop) / sizeof(loop[0]); i++) {
        assert_int_equal(http_parse_listen(loop[i], &addr, &len, err), 0);
        assert_true(http_addr_is_loopback(&addr));
    }
    for (size_t i = 0; i < sizeof(open_) / sizeof(open_[0]); i++) {
        assert_int_equal(http_parse_listen(open_[i], &addr, &len, err), 0);
        assert_false(http_addr_is_loopback(&addr));
    }
}

static void test_api_parsers(void **state)
{
    (void)state;
    int64_t id = 0;
    size_t limit = 0;
    assert_int_equal(api_parse_id("42", &id), 0);
    assert_int_equal(id, 42);
    assert_int_equal(api_parse_id("9223372036854775807", &id), 0);
    const char *bad_ids[] = {"0", "-1", "", "1x", " 1", "9223372036854775808", "0x10", NULL};
    for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++)
        assert_int_equal(api_parse_id(bad_ids[i], &id), -1);
    assert_int_equal(api_parse_limit(NULL, &limit), 0);
    assert_int_equal(limit, API_DEFAULT_LIMIT);
    assert_int_equal(api_parse_limit("200", &limit), 0);
    assert_int_equal(limit, 200);
    assert_int_equal(api_parse_limit("201", &limit), -1);
    assert_int_equal(api_parse_limit("0", &limit), -1);
    assert_int_equal(api_parse_limit("", &limit), -1);
}

static void test_scan_body(void **state)
{
    (void)state;
    struct api_target targets[3] = {{{TARGET_CLASSPATH, "/a/*"}, ""},
                                    {{TARGET_DIR, "/lib"}, ""},
                                    {{TARGET_CLASSPATH, "/b/*"}, ""}};
    api_name_targets(targets, 3);
    assert_string_equal(targets[0].name, "classpath-1");
    assert_string_equal(targets[1].name, "dir-1");
    assert_string_equal(targets[2].name, "classpath-2");
    bool sel[3];
    struct state_options st;
    char err[WR_ERR_MAX];
    assert_int_equal(api_parse_scan_body("", 0, targets, 3, sel, &st, err), 0);
    assert_true(sel[0] && sel[1] && sel[2]);
    assert_int_equal(api_parse_scan_body(" \n", 2, targets, 3, sel, &st, err), 0);
    assert_int_equal(api_parse_scan_body("{}", 2, targets, 3, sel, &st, err), 0);
    assert_true(sel[0] && sel[1] && sel[2]);
    const char *pick = "{\"targets\": [\"classpath-2\", \"dir-1\"]}";
    assert_int_equal(api_parse_scan_body(pick, strlen(pick), targets, 3, sel, &st, err), 0);
    assert_true(!sel[0] && sel[1] && sel[2]);
    assert_false(st.thread_dump);
    const char *dump = "{\"thread_dump\": \"hung\", \"targets\": [\"dir-1\"]}";
    assert_int_equal(api_parse_scan_body(dump, strlen(dump), targets, 3, sel, &st, err), 0);
    assert_true(st.thread_dump && st.dump_hung_only && !sel[0] && sel[1] && !sel[2]);
    const char *all = "{\"thread_dump\": \"all\"}";
    assert_int_equal(api_parse_scan_body(all, strlen(all), targets, 3, sel, &st, err), 0);
    assert_true(st.thread_dump && !st.dump_hung_only);
    const char *bad[] = {"{\"thread_dump\": \"yes\"}",
                         "{\"thread_dump\": true}",
                         "{\"targets\": [\"/etc\"]}",
                         "{\"targets\": []}",
                         "{\"targets\": 1}",
                         "{\"path\": \"/etc\"}",
                         "[\"dir-1\"]",
                         "{",
                         "\"x\"",
                         "{\"targets\": [\"dir-1\"], \"targets\": [\"dir-1\"]}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(api_parse_scan_body(bad[i], strlen(bad[i]), targets, 3, sel, &st, err),
                         -1);
        assert_null(strstr(err, "/etc"));
    }
    const char nul[] = "{\"targets\": [\"dir-1\"]}\0junk";
    assert_int_equal(api_parse_scan_body(nul, sizeof(nul) - 1, targets, 3, sel, &st, err), -1);
}

static void test_ui_types(void **state)
{
    (void)state;
    assert_string_equal(api_ui_content_type("index.html"), "text/html; charset=utf-8");
    assert_string_equal(api_ui_content_type("app.js"), "text/javascript; charset=utf-8");
    assert_string_equal(api_ui_content_type("style.css"), "text/css; charset=utf-8");
    assert_null(api_ui_content_type("wrench.db"));
    assert_null(api_ui_content_type("app.js.map"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_find),
        cmocka_unit_test(test_token),
        cmocka_unit_test(test_listen),
        cmocka_unit_test(test_dispatch_auth),
        cmocka_unit_test(test_dispatch_content_type),
        cmocka_unit_test(test_loopback),
        cmocka_unit_test(test_api_parsers),
        cmocka_unit_test(test_scan_body),
        cmocka_unit_test(test_ui_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
