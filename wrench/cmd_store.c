/*
 * cmd_store.c - the report store on the command line: storing a finished
 * scan for `wrench scan`, and the `history`, `show` and `diff` commands that
 * read the stored scans back. The store itself is store.c; comparing two scans
 * is diff.c; a stored scan is rendered by the same report writers as a fresh one.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accept.h"
#include "commands.h"
#include "diff.h"
#include "finding.h"
#include "messages.h"
#include "model.h"
#include "pipeline.h"
#include "report_json.h"
#include "report_text.h"
#include "rules.h"
#include "safetext.h"
#include "store.h"
#include "store_json.h"
#include "util.h"

#define MAX_ARGUMENTS 2 /* diff A B */

/* ------------------------------------------------------------------------ */
/* wrench scan: storing */

/* --keep N, 1 <= N <= STORE_MAX_KEEP; STORE_DEFAULT_KEEP when absent. */
static int parse_keep(const struct cli_args *args, size_t *keep)
{
    const char *text = cli_last(args, OPT_KEEP);
    uint64_t n = STORE_DEFAULT_KEEP;
    if (text && (parse_u64(text, &n) != 0 || n < 1 || n > STORE_MAX_KEEP)) {
        safe_fprintf(stderr, "wrench scan: --keep takes a number of scans from 1 to %d, not '%s'\n",
                     STORE_MAX_KEEP, text);
        return -1;
    }
    *keep = (size_t)n;
    return 0;
}

int cmd_store_check_options(const struct cli_args *args)
{
    if (cli_has(args, OPT_NO_DB) && (cli_has(args, OPT_DB) || cli_has(args, OPT_KEEP))) {
        safe_fprintf(stderr, "wrench scan: --no-db cannot be combined with --db or --keep\n");
        return -1;
    }
    const char *db = cli_last(args, OPT_DB);
    if (cli_has(args, OPT_DB) && (!db || !db[0])) {
        safe_fprintf(stderr, "wrench scan: --db needs a file name\n");
        return -1;
    }
    size_t keep;
    return parse_keep(args, &keep);
}

void cmd_store_save_scan(const struct cli_args *args, const struct scan *scan, bool failed)
{
    size_t keep;
    if (cli_has(args, OPT_NO_DB) || parse_keep(args, &keep) != 0)
        return;
    char err[WR_ERR_MAX], version[RULES_VERSION_MAX];
    struct store_save_options opt = {failed ? STORE_SCAN_FAILED : STORE_SCAN_COMPLETE,
                                     pipeline_rules_version(scan, version, sizeof(version)), keep};
    char *path = store_resolve_path(cli_last(args, OPT_DB));
    struct store *st = NULL;
    int64_t id;
    if (store_open(&st, path, true, err) != STORE_OK ||
        store_save_scan(st, scan, &opt, &id, err) != STORE_OK)
        safe_fprintf(stderr, "wrench scan: the scan was not stored: %s\n", err);
    store_close(st);
    free(path);
}

int cmd_store_load_sightings(const struct cli_args *args, struct jvm_sighting **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (cli_has(args, OPT_NO_DB))
        return 0;
    char err[WR_ERR_MAX];
    char *path = store_resolve_path(cli_last(args, OPT_DB));
    struct store *st = NULL;
    enum store_status status = store_open(&st, path, false, err);
    if (status == STORE_OK)
        status = store_load_sightings(st, out, n, err);
    if (status == STORE_FAILED) /* the scan goes on without them */
        safe_fprintf(stderr, "wrench scan: what earlier scans saw of the JVMs is not known: %s\n",
                     err);
    store_close(st);
    free(path);
    return status == STORE_FAILED ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* Shared by history, show and diff */

/* The words that are no option, in order; at most `max` (else a usage error). */
static int arguments(const char *cmd, const struct cli_args *args, const char **out, size_t max,
                     size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < args->n_values; i++) {
        if (args->values[i].id != OPT_ARGUMENT)
            continue;
        if (*n == max) {
            safe_fprintf(stderr, "wrench %s: too many scan ids (at most %zu)\n", cmd, max);
            return -1;
        }
        out[(*n)++] = args->values[i].value;
    }
    return 0;
}

/* A scan id as typed: a positive number or "latest" (id 0 stands for it). */
static int parse_id(const char *cmd, const char *text, int64_t *id)
{
    uint64_t n;
    if (strcmp(text, "latest") == 0) {
        *id = 0;
        return 0;
    }
    if (parse_u64(text, &n) != 0 || n < 1 || n > INT64_MAX) {
        safe_fprintf(stderr,
                     "wrench %s: '%s' is no scan id (a number from 'wrench history', or "
                     "latest)\n",
                     cmd, text);
        return -1;
    }
    *id = (int64_t)n;
    return 0;
}

/* Open the store for reading. STORE_NOT_FOUND (no database yet) is left to
 * the caller to word; failures are printed. */
static enum store_status open_store(const char *cmd, const struct cli_args *args, struct store **st,
                                    char **path)
{
    char err[WR_ERR_MAX];
    *path = store_resolve_path(cli_last(args, OPT_DB));
    enum store_status status = store_open(st, *path, false, err);
    if (status == STORE_FAILED)
        safe_fprintf(stderr, "wrench %s: %s\n", cmd, err);
    return status;
}

/* Resolve "latest" (0) to the newest scan's id. */
static int resolve_latest(const char *cmd, struct store *st, int64_t *id)
{
    char err[WR_ERR_MAX];
    if (*id != 0)
        return 0;
    enum store_status status = store_latest(st, id, err);
    if (status == STORE_NOT_FOUND)
        safe_fprintf(stderr, "wrench %s: no scan is stored in %s yet\n", cmd, store_path(st));
    else if (status != STORE_OK)
        safe_fprintf(stderr, "wrench %s: %s\n", cmd, err);
    return status == STORE_OK ? 0 : -1;
}

static int load(const char *cmd, struct store *st, int64_t id, struct scan **scan,
                struct store_scan_info *info)
{
    char err[WR_ERR_MAX];
    if (store_load_scan(st, id, scan, info, err) != STORE_OK) {
        safe_fprintf(stderr, "wrench %s: %s\n", cmd, err);
        return -1;
    }
    return 0;
}

static void print_json(json_t *root)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    safe_fprintf(stdout, "%s\n", text ? text : "{}");
    free(text);
    json_decref(root);
}

/* ------------------------------------------------------------------------ */
/* wrench history */

static void history_line(const struct store_scan_info *info)
{
    safe_fprintf(
        stdout, "%" PRId64 "  %s  %-8s  %zu critical, %zu error%s, %zu warning%s, %zu info  %s\n",
        info->id, info->started, info->status, info->counts[SEV_CRITICAL], info->counts[SEV_ERROR],
        info->counts[SEV_ERROR] == 1 ? "" : "s", info->counts[SEV_WARNING],
        info->counts[SEV_WARNING] == 1 ? "" : "s", info->counts[SEV_INFO], info->targets);
}

int cmd_history(const struct cli_args *args)
{
    bool json = cli_has(args, OPT_JSON_FLAG);
    struct store *st = NULL;
    char *path = NULL;
    struct store_scan_info *infos = NULL;
    size_t n = 0;
    int rc = EXIT_FAILED;
    enum store_status status = open_store("history", args, &st, &path);
    if (status == STORE_FAILED)
        goto out;
    char err[WR_ERR_MAX];
    if (status == STORE_OK && store_list(st, &infos, &n, err) != STORE_OK) {
        safe_fprintf(stderr, "wrench history: %s\n", err);
        goto out;
    }
    if (json) {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, store_json_info(&infos[i]));
        print_json(json_pack("{s:o, s:o}", "database", report_json_text(path), "scans", list));
    } else if (n == 0) {
        safe_fprintf(stdout, "No scan is stored in %s yet.\n", path);
    } else {
        for (size_t i = 0; i < n; i++)
            history_line(&infos[i]);
    }
    rc = EXIT_CLEAN;
out:
    store_scan_infos_free(infos, n);
    store_close(st);
    free(path);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* wrench show */

/* --color as `wrench scan` takes it. */
static int parse_color(const struct cli_args *args, bool *color)
{
    const char *when = cli_last(args, OPT_COLOR);
    const char *no_color = getenv("NO_COLOR");
    if (!when || strcmp(when, "auto") == 0)
        *color = isatty(STDOUT_FILENO) && !(no_color && no_color[0]);
    else if (strcmp(when, "always") == 0)
        *color = true;
    else if (strcmp(when, "never") == 0)
        *color = false;
    else {
        safe_fprintf(stderr, "wrench show: --color takes auto, always or never, not '%s'\n", when);
        return -1;
    }
    return 0;
}

int cmd_show(const struct cli_args *args)
{
    const char *words[MAX_ARGUMENTS];
    size_t n_words;
    int64_t id = 0;
    bool color;
    enum report_lang lang = report_lang_from_env();
    const char *lang_arg = cli_last(args, OPT_LANG);
    if (lang_arg && report_lang_parse(lang_arg, &lang) != 0) {
        safe_fprintf(stderr, "wrench show: --lang takes en or zh, not '%s'\n", lang_arg);
        return EXIT_USAGE;
    }
    if (arguments("show", args, words, 1, &n_words) != 0 ||
        (n_words && parse_id("show", words[0], &id) != 0) || parse_color(args, &color) != 0)
        return EXIT_USAGE;
    struct store *st = NULL;
    char *path = NULL;
    struct scan *scan = NULL;
    int rc = EXIT_FAILED;
    enum store_status status = open_store("show", args, &st, &path);
    if (status == STORE_NOT_FOUND)
        safe_fprintf(stderr, "wrench show: no scan is stored yet: there is no database at %s\n",
                     path);
    if (status != STORE_OK || resolve_latest("show", st, &id) != 0 ||
        load("show", st, id, &scan, NULL) != 0)
        goto out;
    if (cli_has(args, OPT_JSON_FLAG)) {
        char *text = report_json_dump(scan);
        fputs(text, stdout);
        free(text);
    } else {
        report_text_write_lang(scan, NULL, stdout, color, lang);
    }
    rc = EXIT_CLEAN;
out:
    scan_free(scan);
    store_close(st);
    free(path);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* wrench diff */

/* A diff's text in one language (messages.h). */
static enum msg_id finding_label(enum diff_kind kind)
{
    switch (kind) {
    case DIFF_CONFLICT:
        return MSG_KIND_CONFLICT;
    case DIFF_DUPLICATE:
        return MSG_KIND_DUPLICATE;
    case DIFF_HINT:
        return MSG_KIND_HINT;
    case DIFF_PROBLEM:
        return MSG_KIND_PROBLEM;
    case DIFF_LOG:
        return MSG_KIND_LOG_FINDING;
    case DIFF_ENVIRONMENT:
        return MSG_KIND_ENVIRONMENT;
    }
    return MSG_KIND_PROBLEM;
}

#define print_msg(lang, before, id, ...) safe_msg(stdout, (before), (id), (lang), __VA_ARGS__)

static void print_heading(enum lang lang, enum msg_id heading, size_t n)
{
    print_msg(lang, "\n", MSG_DIFF_HEADING, MSG_S("heading", msg_template(heading, lang)),
              MSG_N("n", n));
}

static void print_findings(enum lang lang, enum msg_id heading, const struct diff_finding *list,
                           size_t n)
{
    if (!n)
        return;
    print_heading(lang, heading, n);
    for (size_t i = 0; i < n; i++) {
        const struct diff_finding *f = &list[i];
        char label[32];
        report_severity_label(lang, f->severity, label, sizeof(label));
        /* A problem names its file; a log finding the log of its first event. */
        const char *title = msg_pick(lang, f->title, f->title_zh);
        char *what = f->path ? msg_text(MSG_WITH_DETAIL, lang, MSG_S("text", f->path),
                                        MSG_S("detail", title))
                             : xstrdup(title);
        char *line = msg_text(MSG_TEXT_HEADLINE, lang,
                              MSG_S("kind", msg_template(finding_label(f->kind), lang)),
                              MSG_S("title", what));
        safe_fprintf(stdout, "  %s %s\n", label, line);
        free(line);
        free(what);
    }
}

/* "com.acme:acme-util 2.0", or "app.jar" for a file wrench knows by name only. */
static void print_library(const char *key, const char *path, const char *version)
{
    const char *file = path_basename(path);
    bool key_is_file_name = strcmp(key, file) == 0 ||
                            (str_has_prefix(file, key) && strcmp(file + strlen(key), ".jar") == 0);
    if (key_is_file_name && !version)
        safe_fprintf(stdout, "%s", path);
    else
        safe_fprintf(stdout, "%s (%s %s)", path, key, version ? version : "?");
}

static const char *change_name(enum lang lang, enum diff_jar_change change)
{
    static const enum msg_id ids[] = {[JAR_NEW_VERSION] = MSG_DIFF_CHANGE_VERSION,
                                      [JAR_MOVED] = MSG_DIFF_CHANGE_MOVED,
                                      [JAR_REPLACED] = MSG_DIFF_CHANGE_REPLACED};
    /* The English is diff_jar_change_name(), the JSON's word. */
    return lang == LANG_ZH && (unsigned)change < sizeof(ids) / sizeof(ids[0])
               ? msg_template(ids[change], LANG_ZH)
               : diff_jar_change_name(change);
}

static void print_jars(enum lang lang, enum msg_id heading, const struct diff_jar *list, size_t n)
{
    if (!n)
        return;
    print_heading(lang, heading, n);
    for (size_t i = 0; i < n; i++) {
        const struct diff_jar *j = &list[i];
        safe_fprintf(stdout, "  %s%s", j->view, lang == LANG_ZH ? "：" : ": ");
        if (j->from_path && j->to_path && j->change == JAR_NEW_VERSION)
            safe_fprintf(stdout, "%s %s -> %s", j->key, j->from_version ? j->from_version : "?",
                         j->to_version ? j->to_version : "?");
        else if (j->from_path && j->to_path)
            safe_fprintf(stdout, "%s %s", j->key, change_name(lang, j->change));
        if (j->from_path && j->to_path && strcmp(j->from_path, j->to_path) == 0)
            safe_fprintf(stdout, " (%s)", j->to_path);
        else if (j->from_path && j->to_path)
            safe_fprintf(stdout, " (%s -> %s)", j->from_path, j->to_path);
        else if (j->to_path)
            print_library(j->key, j->to_path, j->to_version);
        else
            print_library(j->key, j->from_path, j->from_version);
        safe_fprintf(stdout, "\n");
    }
}

static void diff_text(const struct scan_diff *d, const struct store_scan_info *a,
                      const struct store_scan_info *b, enum lang lang)
{
    print_msg(lang, "", MSG_DIFF_COMPARING, MSG_N("a", a->id), MSG_S("a_started", a->started),
              MSG_S("a_targets", a->targets), MSG_N("b", b->id), MSG_S("b_started", b->started),
              MSG_S("b_targets", b->targets));
    if (diff_is_empty(d)) {
        print_msg(lang, "\n", MSG_DIFF_NONE, MSG_END);
        return;
    }
    print_findings(lang, MSG_DIFF_NEW, d->new_findings, d->n_new);
    print_findings(lang, MSG_DIFF_RESOLVED, d->resolved, d->n_resolved);
    print_jars(lang, MSG_DIFF_JARS_ADDED, d->jars_added, d->n_jars_added);
    print_jars(lang, MSG_DIFF_JARS_REMOVED, d->jars_removed, d->n_jars_removed);
    print_jars(lang, MSG_DIFF_JARS_CHANGED, d->jars_changed, d->n_jars_changed);
    print_msg(lang, "\n", MSG_DIFF_SUMMARY, MSG_N("new", d->n_new),
              MSG_N("resolved", d->n_resolved), MSG_N("added", d->n_jars_added),
              MSG_N("removed", d->n_jars_removed), MSG_N("changed", d->n_jars_changed));
}

static void diff_json(const struct scan_diff *d, const struct store_scan_info *a,
                      const struct store_scan_info *b)
{
    print_json(store_json_diff(d, a, b));
}

/* Which two scans: A B as given; A alone: the scan before A of the same
 * targets, then A; nothing: the same from the latest scan. */
static int pick_pair(struct store *st, const int64_t *ids, size_t n, int64_t *a, int64_t *b)
{
    char err[WR_ERR_MAX];
    if (n == 2) {
        *a = ids[0];
        *b = ids[1];
        return resolve_latest("diff", st, a) != 0 || resolve_latest("diff", st, b) != 0 ? -1 : 0;
    }
    *b = n ? ids[0] : 0;
    if (resolve_latest("diff", st, b) != 0)
        return -1;
    enum store_status status = store_previous(st, *b, a, err);
    if (status == STORE_NOT_FOUND)
        safe_fprintf(stderr,
                     "wrench diff: no earlier scan of the same targets as scan %" PRId64
                     " in %s: give two scan ids (see 'wrench history')\n",
                     *b, store_path(st));
    else if (status != STORE_OK)
        safe_fprintf(stderr, "wrench diff: %s\n", err);
    return status == STORE_OK ? 0 : -1;
}

int cmd_diff(const struct cli_args *args)
{
    const char *words[MAX_ARGUMENTS];
    size_t n_words;
    int64_t ids[MAX_ARGUMENTS] = {0, 0};
    enum report_lang lang = report_lang_from_env();
    const char *lang_arg = cli_last(args, OPT_LANG);
    if (lang_arg && report_lang_parse(lang_arg, &lang) != 0) {
        safe_fprintf(stderr, "wrench diff: --lang takes en or zh, not '%s'\n", lang_arg);
        return EXIT_USAGE;
    }
    if (arguments("diff", args, words, MAX_ARGUMENTS, &n_words) != 0)
        return EXIT_USAGE;
    for (size_t i = 0; i < n_words; i++)
        if (parse_id("diff", words[i], &ids[i]) != 0)
            return EXIT_USAGE;
    struct store *st = NULL;
    char *path = NULL;
    struct scan *older = NULL, *newer = NULL;
    struct store_scan_info info_a = {0}, info_b = {0};
    int rc = EXIT_FAILED;
    int64_t a, b;
    enum store_status status = open_store("diff", args, &st, &path);
    if (status == STORE_NOT_FOUND)
        safe_fprintf(stderr, "wrench diff: no scan is stored yet: there is no database at %s\n",
                     path);
    if (status != STORE_OK || pick_pair(st, ids, n_words, &a, &b) != 0 ||
        load("diff", st, a, &older, &info_a) != 0 || load("diff", st, b, &newer, &info_b) != 0)
        goto out;
    struct scan_diff *d = diff_scans(older, newer);
    if (cli_has(args, OPT_JSON_FLAG))
        diff_json(d, &info_a, &info_b);
    else
        diff_text(d, &info_a, &info_b, lang == REPORT_LANG_ZH ? LANG_ZH : LANG_EN);
    diff_free(d);
    rc = EXIT_CLEAN;
out:
    store_scan_info_clear(&info_a);
    store_scan_info_clear(&info_b);
    scan_free(older);
    scan_free(newer);
    store_close(st);
    free(path);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* wrench scan --baseline */

int cmd_store_load_baseline(const struct cli_args *args, struct accept_set *set)
{
    const char *text = cli_last(args, OPT_BASELINE);
    if (!text)
        return 0;
    int64_t id;
    if (cli_has(args, OPT_NO_DB)) {
        safe_fprintf(stderr, "wrench scan: --baseline reads the database; it cannot be combined "
                             "with --no-db\n");
        return -1;
    }
    if (parse_id("scan", text, &id) != 0)
        return -1;
    char *path = NULL;
    struct store *st = NULL;
    struct scan *scan = NULL;
    int rc = -1;
    char err[WR_ERR_MAX];
    enum store_status status = open_store("scan", args, &st, &path);
    /* "latest" before any scan is stored (a pipeline's first run): every finding is new. */
    if (status == STORE_OK && id == 0 && (status = store_latest(st, &id, err)) == STORE_FAILED)
        safe_fprintf(stderr, "wrench scan: %s\n", err);
    if (status == STORE_NOT_FOUND && id == 0) {
        safe_fprintf(stderr,
                     "wrench scan: --baseline latest: no scan stored in %s yet; every "
                     "finding is new\n",
                     path);
        rc = 0;
    } else if (status == STORE_NOT_FOUND) {
        safe_fprintf(stderr, "wrench scan: --baseline %s: no database at %s\n", text, path);
    }
    if (status == STORE_OK && load("scan", st, id, &scan, NULL) == 0) {
        struct finding_list findings = {0};
        findings_collect(scan, &findings);
        accept_set_baseline(set, id, &findings);
        finding_list_clear(&findings);
        rc = 0;
    }
    scan_free(scan);
    store_close(st);
    free(path);
    return rc;
}
