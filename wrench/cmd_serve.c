/*
 * cmd_serve.c - `wrench serve`: check the options, fix the targets, start the
 * scan runner and the HTTP server (api.c, http.c), then wait for SIGTERM or
 * SIGINT and shut down: stop accepting, let the running scan end unstored,
 * close everything, exit 0.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "accept.h"
#include "api.h"
#include "budget.h"
#include "commands.h"
#include "http.h"
#include "rules.h"
#include "safetext.h"
#include "scanjob.h"
#include "store.h"
#include "util.h"

#define TOKEN_MAX 4096  /* bytes of a token file */
#define SERVE_THREADS 4 /* libmicrohttpd worker threads */
#define SERVE_MAX_CONNECTIONS 256
#define SERVE_MAX_PER_IP 64 /* a single local client may not take every connection */
#define SERVE_TIMEOUT_SECONDS 30
#define ORIGIN_MAX 256

/* What the options say. */
struct serve_options {
    const char *listen;
    char *token; /* NULL when none */
    enum http_auth auth;
    const char *allow_origin;
    char *db_path;
    size_t keep;
    const char *rules_dir;
    struct api_target *targets;
    size_t n_targets;
    char budget_basis[BUDGET_TEXT_MAX];
};

static void options_free(struct serve_options *o)
{
    if (o->token) {
        /* Not left in freed memory. */
        memset(o->token, 0, strlen(o->token));
        free(o->token);
    }
    free(o->db_path);
    free(o->targets);
}

/* The token from --token-file FILE (its first line) or $WRENCH_TOKEN. */
static int read_token(const char *path, char **out)
{
    if (!path) {
        const char *env = getenv("WRENCH_TOKEN");
        *out = env && env[0] ? xstrdup(env) : NULL;
        return 0;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        safe_fprintf(stderr, "wrench serve: cannot read the token file %s: %s\n", path,
                     strerror(errno));
        return -1;
    }
    char buf[TOKEN_MAX + 1];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    buf[n < sizeof(buf) ? n : TOKEN_MAX] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    int rc = -1;
    if (n > TOKEN_MAX)
        safe_fprintf(stderr, "wrench serve: the token file %s is over %d bytes\n", path, TOKEN_MAX);
    else if (!buf[0])
        safe_fprintf(stderr, "wrench serve: the token file %s is empty\n", path);
    else if (strspn(buf, "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ/=") != strlen(buf))
        safe_fprintf(stderr,
                     "wrench serve: the token in %s has characters a bearer token cannot "
                     "have\n",
                     path);
    else {
        *out = xstrdup(buf);
        rc = 0;
    }
    memset(buf, 0, sizeof(buf));
    return rc;
}

/* An origin is "scheme://host[:port]": nothing that could end the CSP directive or the
 * header, and never a wildcard. */
static bool origin_valid(const char *origin)
{
    const char *rest = NULL;
    if (str_has_prefix(origin, "https://"))
        rest = origin + strlen("https://");
    else if (str_has_prefix(origin, "http://"))
        rest = origin + strlen("http://");
    return rest && rest[0] && strlen(origin) < ORIGIN_MAX &&
           strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
               strlen(rest);
}

static const struct {
    enum opt_id option;
    enum target_kind kind;
} target_options[] = {{OPT_CLASSPATH, TARGET_CLASSPATH},
                      {OPT_JAR, TARGET_JAR},
                      {OPT_WAR, TARGET_WAR},
                      {OPT_DIR, TARGET_DIR},
                      {OPT_LOGS, TARGET_LOGS},
                      {OPT_TOMCAT, TARGET_TOMCAT}};

static int parse_options(const struct cli_args *args, struct serve_options *o)
{
    memset(o, 0, sizeof(*o));
    o->listen = cli_last(args, OPT_LISTEN) ? cli_last(args, OPT_LISTEN) : HTTP_DEFAULT_LISTEN;
    o->allow_origin = cli_last(args, OPT_ALLOW_ORIGIN);
    o->rules_dir = cli_last(args, OPT_RULES);
    o->targets = xcalloc(args->n_values + 1, sizeof(*o->targets));
    for (size_t i = 0; i < args->n_values; i++)
        for (size_t k = 0; k < sizeof(target_options) / sizeof(target_options[0]); k++)
            if (args->values[i].id == target_options[k].option)
                o->targets[o->n_targets++].target =
                    (struct scan_target){target_options[k].kind, args->values[i].value};
    api_name_targets(o->targets, o->n_targets);
    /* Without a target option every scan discovers the services, as `wrench scan` does. */
    char err[WR_ERR_MAX];
    struct sockaddr_storage addr;
    size_t addr_len;
    if (http_parse_listen(o->listen, &addr, &addr_len, err) != 0) {
        safe_fprintf(stderr, "wrench serve: %s\n", err);
        return -1;
    }
    const char *auth = cli_last(args, OPT_AUTH);
    if (auth && strcmp(auth, "all") == 0)
        o->auth = HTTP_AUTH_ALL;
    else if (auth && strcmp(auth, "write") != 0) {
        safe_fprintf(stderr, "wrench serve: --auth takes write or all, not '%s'\n", auth);
        return -1;
    }
    if (o->allow_origin && !origin_valid(o->allow_origin)) {
        safe_fprintf(stderr,
                     "wrench serve: --allow-origin takes one origin such as "
                     "https://platform.example.com (no wildcard, no path), not '%s'\n",
                     o->allow_origin);
        return -1;
    }
    const char *keep = cli_last(args, OPT_KEEP);
    uint64_t n = STORE_DEFAULT_KEEP;
    if (keep && (parse_u64(keep, &n) != 0 || n < 1 || n > STORE_MAX_KEEP)) {
        safe_fprintf(stderr,
                     "wrench serve: --keep takes a number of scans from 1 to %d, not '%s'\n",
                     STORE_MAX_KEEP, keep);
        return -1;
    }
    o->keep = (size_t)n;
    if (cli_has(args, OPT_DB) && !(cli_last(args, OPT_DB) && cli_last(args, OPT_DB)[0])) {
        safe_fprintf(stderr, "wrench serve: --db needs a file name\n");
        return -1;
    }
    if (read_token(cli_last(args, OPT_TOKEN_FILE), &o->token) != 0)
        return -1;
    if (o->auth == HTTP_AUTH_ALL && !o->token) {
        safe_fprintf(stderr, "wrench serve: --auth all needs a token (--token-file FILE or "
                             "WRENCH_TOKEN)\n");
        return -1;
    }
    /* Beyond loopback, anyone who reaches the pod could start scans. */
    if (!o->token && !http_addr_is_loopback(&addr) && !cli_has(args, OPT_INSECURE_NO_TOKEN)) {
        safe_fprintf(
            stderr,
            "wrench serve: refusing to listen on %s without a token: anyone who can reach "
            "it could start scans. Give a token (--token-file FILE or WRENCH_TOKEN), listen "
            "on loopback (127.0.0.1), or pass --insecure-no-token to accept the risk\n",
            o->listen);
        return -1;
    }
    if (scan_budget_options(args, "serve", o->budget_basis) != 0)
        return -1;
    o->db_path = store_resolve_path(cli_last(args, OPT_DB));
    return 0;
}

/* Create or migrate the database now, so that a bad one stops the server at start. */
static int check_store(const char *path)
{
    char err[WR_ERR_MAX];
    struct store *st = NULL;
    int rc = store_open(&st, path, true, err) == STORE_OK ? 0 : -1;
    if (rc != 0)
        safe_fprintf(stderr, "wrench serve: %s\n", err);
    store_close(st);
    return rc;
}

/* The accept file, as `wrench scan` reads it; an --accept FILE that does not exist yet is an
 * empty list, which the first accept from the UI creates. Edits need a token: without one,
 * anyone on the host could rewrite a file of the project. */
static int load_accept(const struct cli_args *args, const struct serve_options *o,
                       struct api_accept *a)
{
    const char *path = cli_last(args, OPT_ACCEPT);
    struct stat st;
    if (path && stat(path, &st) != 0 && errno == ENOENT)
        a->set.path = xstrdup(path);
    else if (cmd_load_accept(args, &a->set) != 0)
        return -1;
    a->writable = a->set.path && o->token;
    return 0;
}

int cmd_serve(const struct cli_args *args)
{
    struct serve_options o;
    struct rule_set *rules = NULL;
    struct scanjob *jobs = NULL;
    struct http_server *srv = NULL;
    struct scan_target *plain = NULL;
    struct api_report_cache cache;
    bool cache_live = false;
    struct api_accept accept = {.lock = PTHREAD_RWLOCK_INITIALIZER};
    char err[WR_ERR_MAX];
    int rc = EXIT_USAGE;
    if (parse_options(args, &o) != 0 || load_accept(args, &o, &accept) != 0)
        goto out;
    if (rules_load(&rules, o.rules_dir, err) != 0) {
        safe_fprintf(stderr, "wrench serve: %s\n", err);
        goto out;
    }
    rc = EXIT_FAILED;
    if (check_store(o.db_path) != 0)
        goto out;
    plain = xcalloc(o.n_targets, sizeof(*plain));
    for (size_t i = 0; i < o.n_targets; i++)
        plain[i] = o.targets[i].target;
    struct discover_options discover = {0};
    if (o.n_targets == 0 && scan_discover_options(args, &discover) != 0)
        goto out;
    struct scanjob_config job_cfg = {.discover = discover,
                                     .targets = plain,
                                     .n_targets = o.n_targets,
                                     .rules_dir = o.rules_dir,
                                     .since = cli_last(args, OPT_SINCE),
                                     .last_start = cli_has(args, OPT_LAST_START),
                                     .sha256 = cli_has(args, OPT_SHA256),
                                     .db_path = o.db_path,
                                     .keep = o.keep};
    jobs = scanjob_new(&job_cfg);
    api_report_cache_init(&cache);
    cache_live = true;
    struct api_context api = {o.db_path, o.targets, o.n_targets, rules, jobs, &cache, &accept};
    struct http_config cfg = {
        .routes = api_routes,
        .n_routes = api_route_count,
        .ctx = &api,
        .token = o.token,
        .auth = o.auth,
        .allow_origin = o.allow_origin,
        .threads = SERVE_THREADS,
        .max_connections = SERVE_MAX_CONNECTIONS,
        .max_per_ip = SERVE_MAX_PER_IP,
        .timeout_seconds = SERVE_TIMEOUT_SECONDS,
    };
    /* The signals are taken by sigwait() below: blocked before any thread starts, so that
     * every thread inherits the mask and none is interrupted by them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (http_server_start(&srv, &cfg, o.listen, err) != 0) {
        safe_fprintf(stderr, "wrench serve: %s\n", err);
        goto out;
    }
    safe_fprintf(stderr, "wrench serve: listening on http://%s/ (database %s, %zu target%s%s)\n",
                 o.listen, o.db_path, o.n_targets, o.n_targets == 1 ? "" : "s",
                 o.token ? (o.auth == HTTP_AUTH_ALL ? ", token required" : ", token for scans")
                         : "");
    char budget_text[32];
    budget_format(budget_max(), budget_text, sizeof budget_text);
    safe_fprintf(stderr, "wrench serve: scans run %s, with a memory budget of %s (%s)\n",
                 cli_has(args, OPT_FULL_PRIORITY) ? "at normal priority (--full-priority)"
                                                  : "at nice 10 and idle I/O priority",
                 budget_text, o.budget_basis);
    if (accept.set.path)
        safe_fprintf(stderr, "wrench serve: accept file %s (%s)\n", accept.set.path,
                     accept.writable ? "the UI may add and remove entries with the token"
                                     : "read-only: editing from the UI needs a token");
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    safe_fprintf(stderr, "wrench serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_server_quiesce(srv);
    scanjob_stop(jobs);
    http_server_stop(srv);
    srv = NULL;
    rc = EXIT_CLEAN;
out:
    http_server_stop(srv);
    scanjob_free(jobs); /* waits for a running scan */
    rules_free(rules);
    if (cache_live)
        api_report_cache_clear(&cache);
    free(plain);
    options_free(&o);
    accept_set_clear(&accept.set);
    pthread_rwlock_destroy(&accept.lock);
    return rc;
}
