/*
 * cmd_scan.c - `wrench scan`: turn the options into targets, run discovery,
 * reading and analysis, then render the report and choose the exit code.
 */
#include <errno.h>
#include <glob.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accept.h"
#include "budget.h"
#include "commands.h"
#include "digest.h"
#include "logmodel.h"
#include "model.h"
#include "pipeline.h"
#include "report_json.h"
#include "report_text.h"
#include "safetext.h"
#include "sbom.h"
#include "svcstate.h"
#include "util.h"
#include "verdict.h"

/* Parsed presentation options of one scan. */
struct scan_output {
    bool json_stdout;
    bool sbom_stdout; /* --format cyclonedx */
    const char *json_file;
    int fail_on; /* a severity, or SEV_COUNT for "never" */
    bool color;
    enum report_lang lang;
};

static int parse_output(const struct cli_args *args, struct scan_output *out)
{
    memset(out, 0, sizeof(*out));
    out->fail_on = SEV_ERROR;
    if (cli_has(args, OPT_JSON)) {
        out->json_file = cli_last(args, OPT_JSON);
        out->json_stdout = out->json_file == NULL || strcmp(out->json_file, "-") == 0;
        if (out->json_stdout)
            out->json_file = NULL;
    }
    const char *format = cli_last(args, OPT_FORMAT);
    if (format && strcmp(format, "json") == 0) {
        out->json_stdout = true;
    } else if (format && strcmp(format, "cyclonedx") == 0) {
        out->sbom_stdout = true;
        out->json_stdout = false;
    } else if (format && strcmp(format, "text") != 0) {
        safe_fprintf(stderr, "wrench scan: --format takes text, json or cyclonedx, not '%s'\n",
                     format);
        return -1;
    }
    if (out->sbom_stdout && cli_has(args, OPT_JSON) && !out->json_file) {
        safe_fprintf(stderr, "wrench scan: --format cyclonedx prints the SBOM on stdout; give "
                             "--json a FILE for the report\n");
        return -1;
    }
    const char *fail_on = cli_last(args, OPT_FAIL_ON);
    if (fail_on) {
        enum severity sev;
        if (strcmp(fail_on, "never") == 0)
            out->fail_on = SEV_COUNT;
        else if (severity_parse(fail_on, &sev) == 0)
            out->fail_on = (int)sev;
        else {
            safe_fprintf(stderr,
                         "wrench scan: --fail-on takes info, warning, error, critical or "
                         "never, not '%s'\n",
                         fail_on);
            return -1;
        }
    }
    const char *color = cli_last(args, OPT_COLOR);
    const char *no_color = getenv("NO_COLOR");
    bool auto_color = isatty(STDOUT_FILENO) && !(no_color && no_color[0]);
    if (!color || strcmp(color, "auto") == 0)
        out->color = auto_color;
    else if (strcmp(color, "always") == 0)
        out->color = true;
    else if (strcmp(color, "never") == 0)
        out->color = false;
    else {
        safe_fprintf(stderr, "wrench scan: --color takes auto, always or never, not '%s'\n", color);
        return -1;
    }
    const char *lang = cli_last(args, OPT_LANG);
    out->lang = report_lang_from_env();
    if (lang && report_lang_parse(lang, &out->lang) != 0) {
        safe_fprintf(stderr, "wrench scan: --lang takes en or zh, not '%s'\n", lang);
        return -1;
    }
    return 0;
}

/* The target options, in command-line order, as a scan request's targets. */
static size_t collect_targets(const struct cli_args *args, struct scan_target *targets)
{
    size_t n = 0;
    for (size_t i = 0; i < args->n_values; i++) {
        const struct cli_value *v = &args->values[i];
        static const struct {
            enum opt_id option;
            enum target_kind kind;
        } kinds[] = {{OPT_CLASSPATH, TARGET_CLASSPATH},
                     {OPT_JAR, TARGET_JAR},
                     {OPT_WAR, TARGET_WAR},
                     {OPT_DIR, TARGET_DIR},
                     {OPT_LOGS, TARGET_LOGS},
                     {OPT_TOMCAT, TARGET_TOMCAT}};
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
            if (v->id == kinds[k].option)
                targets[n++] = (struct scan_target){kinds[k].kind, v->value};
    }
    return n;
}

/* An explicit target that names nothing is a typo, not a finding: a pipeline with
 * --fail-on must not pass on it. A classpath is exempt, as the JVM ignores missing
 * elements (the report lists them). Returns -1 after printing what is wrong. */
static int check_target(const struct scan_target *t)
{
    static const char *const option_of[] = {[TARGET_CLASSPATH] = "classpath",
                                            [TARGET_JAR] = "jar",
                                            [TARGET_WAR] = "war",
                                            [TARGET_DIR] = "dir",
                                            [TARGET_LOGS] = "logs",
                                            [TARGET_TOMCAT] = "tomcat"};
    const char *option = option_of[t->kind];
    struct stat st;
    if (t->kind == TARGET_CLASSPATH)
        return 0;
    if (t->kind == TARGET_LOGS && strpbrk(t->value, "*?[")) {
        glob_t g;
        int rc = glob(t->value, 0, NULL, &g);
        globfree(&g);
        if (rc == 0)
            return 0;
        safe_fprintf(stderr, "wrench scan: --logs %s: the pattern matches no file\n", t->value);
        return -1;
    }
    if (stat(t->value, &st) != 0) {
        safe_fprintf(stderr, "wrench scan: --%s %s: %s\n", option, t->value, strerror(errno));
        return -1;
    }
    bool is_dir = S_ISDIR(st.st_mode);
    if (t->kind == TARGET_JAR && is_dir) {
        safe_fprintf(stderr,
                     "wrench scan: --jar %s: is a directory (use --dir for a folder of jars, "
                     "--war for an exploded webapp)\n",
                     t->value);
        return -1;
    }
    if ((t->kind == TARGET_DIR || t->kind == TARGET_TOMCAT) && !is_dir) {
        safe_fprintf(stderr, "wrench scan: --%s %s: not a directory\n", option, t->value);
        return -1;
    }
    return 0;
}

/* Progress on a terminal's stderr, once a scan has run for PROGRESS_AFTER_MS: one line,
 * rewritten in place, erased before the report. */
#define PROGRESS_AFTER_MS 1000
#define PROGRESS_EVERY_MS 100 /* a terminal needs no more than ten updates a second */

struct progress_line {
    uint64_t started_ms;
    bool shown;
    uint64_t shown_ms;
};

static void show_progress_line(void *ud, double fraction, const char *step)
{
    struct progress_line *p = ud;
    uint64_t now = time_monotonic_ms();
    if (now - p->started_ms < PROGRESS_AFTER_MS ||
        (p->shown && now - p->shown_ms < PROGRESS_EVERY_MS))
        return;
    p->shown_ms = now;
    safe_fprintf(stderr, "\r\033[Kwrench: %3.0f%% %s", fraction * 100, step);
    fflush(stderr);
    p->shown = true;
}

static void clear_progress_line(struct progress_line *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

int scan_discover_options(const struct cli_args *args, struct discover_options *opt)
{
    opt->proc_root = cli_last(args, OPT_PROC_ROOT);
    opt->cgroup_root = cli_last(args, OPT_CGROUP_ROOT);
    opt->root = cli_last(args, OPT_ROOT);
    opt->config = cli_last(args, OPT_CONFIG);
    opt->no_processes = cli_has(args, OPT_NO_PROCESSES);
    const char *pid = cli_last(args, OPT_PID);
    uint64_t value;
    const char *command = args->command->name;
    if (pid && (parse_u64(pid, &value) != 0 || value == 0 || value > INT32_MAX)) {
        safe_fprintf(stderr, "wrench %s: --pid takes a process id, not '%s'\n", command, pid);
        return -1;
    }
    struct stat st;
    if (opt->config && stat(opt->config, &st) != 0) {
        safe_fprintf(stderr, "wrench %s: --config %s: %s\n", command, opt->config, strerror(errno));
        return -1;
    }
    opt->pid = pid ? (int)value : 0;
    return 0;
}

int scan_budget_options(const struct cli_args *args, const char *command, char *basis)
{
    const char *text = cli_last(args, OPT_MAX_MEMORY);
    uint64_t max;
    if (text) {
        if (budget_parse_size(text, &max) != 0 || max < BUDGET_MIN) {
            safe_fprintf(
                stderr,
                "wrench %s: --max-memory takes a size of at least 64K, such as 256M or 1G, "
                "not '%s'\n",
                command, text);
            return -1;
        }
        snprintf(basis, BUDGET_TEXT_MAX, "--max-memory");
    } else {
        max = budget_default(NULL, NULL, basis);
    }
    budget_configure(max, !cli_has(args, OPT_FULL_PRIORITY));
    return 0;
}

/* --thread-dump, --start-timeout, --probe (svcstate.h). */
int scan_state_options(const struct cli_args *args, struct state_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->thread_dump = cli_has(args, OPT_THREAD_DUMP);
    const char *when = cli_last(args, OPT_THREAD_DUMP);
    if (when && strcmp(when, "all") != 0 && strcmp(when, "hung") != 0) {
        safe_fprintf(stderr, "wrench %s: --thread-dump takes all or hung, not '%s'\n",
                     args->command->name, when);
        return -1;
    }
    opt->dump_hung_only = when && strcmp(when, "hung") == 0;
    opt->probe_url = cli_last(args, OPT_PROBE);
    const char *timeout = cli_last(args, OPT_START_SECS);
    uint64_t value;
    if (timeout && (parse_u64(timeout, &value) != 0 || value == 0 || value > 86400 * 365)) {
        safe_fprintf(stderr, "wrench %s: --start-timeout takes a number of seconds, not '%s'\n",
                     args->command->name, timeout);
        return -1;
    }
    opt->start_timeout_s = timeout ? (int)value : 0;
    if (opt->probe_url && strncmp(opt->probe_url, "http://", 7) != 0) {
        safe_fprintf(stderr, "wrench %s: --probe takes an http:// URL, not '%s'\n",
                     args->command->name, opt->probe_url);
        return -1;
    }
    return 0;
}

/* A scan allocates and frees in waves (each jar's directory and class list, then the
 * conflicts, then the report): glibc would hand the top of its heap back to the kernel after
 * a wave and fault the same pages in again for the next, a quarter of a classpath scan's
 * page faults. A scan is short, so its heap is kept until the process exits, and grown a few
 * MiB at a time. Its reading threads allocate from that one heap too: a thread's own malloc
 * arena is a fresh 64 MiB mapping whose pages are faulted in anew (~125 faults on the bench
 * classpath), and every buffer the reading thread hands over is freed into it from the other
 * thread. */
static void keep_heap(void)
{
#if defined(M_TRIM_THRESHOLD) && defined(M_TOP_PAD) && defined(M_ARENA_MAX)
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
    mallopt(M_ARENA_MAX, 1);
#endif
}

/* The scan a `wrench scan` leaves for the process's exit to take back. The kernel takes the
 * whole address space back at once; freeing a big scan first (200,000 class names and their
 * records) costs ~1 ms of CPU and gives nothing back that anyone would use. The sanitizer
 * builds do free it, so that their leak check keeps covering scan_free; held here, the scan
 * stays reachable, and valgrind does not count it as lost. */
#if defined(__SANITIZE_ADDRESS__)
#define FREE_SCAN_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FREE_SCAN_AT_EXIT 1
#endif
#endif
#ifdef FREE_SCAN_AT_EXIT
static void release_scan(struct scan *scan)
{
    scan_free(scan);
}
#else
static struct scan *left_for_exit;

static void release_scan(struct scan *scan)
{
    scan_free(left_for_exit); /* a second scan in one process (none today) */
    left_for_exit = scan;
}
#endif

static int write_json_file(const struct scan *scan, const struct diagnosis *d, const char *path)
{
    FILE *f = fopen(path, "w");
    int rc = -1;
    if (f && report_json_write(scan, d, f) == 0)
        rc = 0;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        safe_fprintf(stderr, "wrench scan: cannot write the JSON report to %s: %m\n", path);
    return rc;
}

int cmd_load_accept(const struct cli_args *args, struct accept_set *set)
{
    const char *path = cli_last(args, OPT_ACCEPT);
    struct stat st;
    if (!path && stat(ACCEPT_DEFAULT_FILE, &st) == 0)
        path = ACCEPT_DEFAULT_FILE;
    if (!path)
        return 0;
    char err[WR_ERR_MAX];
    if (accept_load(path, set, err) != 0) {
        safe_fprintf(stderr, "wrench %s: accept file %s\n", args->command->name, err);
        return -1;
    }
    return 0;
}

int cmd_scan(const struct cli_args *args)
{
    keep_heap();
    struct scan_output out;
    if (parse_output(args, &out) != 0 || cmd_store_check_options(args) != 0)
        return EXIT_USAGE;
    char err[WR_ERR_MAX];
    struct scan_target *targets = xcalloc(args->n_values + 1, sizeof(*targets));
    struct scan_request req = {.targets = targets,
                               .n_targets = collect_targets(args, targets),
                               .rules_dir = cli_last(args, OPT_RULES)};
    if (scan_discover_options(args, &req.discover) != 0) {
        free(targets);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < req.n_targets; i++) {
        if (check_target(&targets[i]) != 0) {
            free(targets);
            return EXIT_USAGE;
        }
    }
    req.since = cli_last(args, OPT_SINCE);
    req.last_start = cli_has(args, OPT_LAST_START);
    req.log_format = cli_last(args, OPT_LOG_FORMAT);
    if (scan_state_options(args, &req.state) != 0) {
        free(targets);
        return EXIT_USAGE;
    }
    enum log_format format;
    if (req.log_format && log_format_parse(req.log_format, &format) != 0) {
        safe_fprintf(
            stderr,
            "wrench scan: --log-format takes plain, svlogd, cri, docker or json, not '%s'\n",
            req.log_format);
        free(targets);
        return EXIT_USAGE;
    }
    char budget_basis[BUDGET_TEXT_MAX], priority[BUDGET_TEXT_MAX];
    if (scan_budget_options(args, "scan", budget_basis) != 0) {
        free(targets);
        return EXIT_USAGE;
    }
    /* Read before the scan: a bad accept file or baseline is a usage error, not a finding;
     * the baseline is the stored scan before this one is added. */
    struct accept_set accept = {0};
    if (cmd_load_accept(args, &accept) != 0 || cmd_store_load_baseline(args, &accept) != 0) {
        accept_set_clear(&accept);
        free(targets);
        return EXIT_USAGE;
    }
    struct jvm_sighting *seen = NULL; /* what earlier scans saw of JVMs now gone */
    size_t n_seen = 0;
    if (req.n_targets == 0)
        cmd_store_load_sightings(args, &seen, &n_seen);
    req.state.sightings = seen;
    req.state.n_sightings = n_seen;
    budget_begin_scan(priority); /* before any thread starts: they inherit the priority */
    struct scan *scan = NULL;
    int rc = EXIT_USAGE;
    struct progress_line progress = {time_monotonic_ms(), false, 0};
    bool show_progress = isatty(STDERR_FILENO) && !out.json_stdout && !out.sbom_stdout;
    if (pipeline_run(&req, show_progress ? show_progress_line : NULL, &progress, &scan, err) != 0) {
        clear_progress_line(&progress);
        safe_fprintf(stderr, "wrench scan: %s (see 'wrench scan --help')\n", err);
        goto out;
    }
    clear_progress_line(&progress);
    budget_add_facts(scan, budget_basis, priority);
    scan->accept = &accept;
    if (out.sbom_stdout || cli_has(args, OPT_SHA256))
        digest_scan(scan);
    /* one diagnosis for the reports and the exit status, with the accepted findings known */
    struct diagnosis d = {0};
    diagnosis_build(scan, &d);
    if (out.sbom_stdout) {
        json_t *bom = sbom_build(scan);
        json_dumpf(bom, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(bom);
    } else if (out.json_stdout) {
        report_json_write(scan, &d, stdout); /* a closed stdout is not the scan's fault */
    } else {
        report_text_write_lang(scan, &d, stdout, out.color, out.lang);
    }
    if (out.json_file && write_json_file(scan, &d, out.json_file) != 0) {
        rc = EXIT_FAILED;
    } else {
        int top = findings_max_severity(&d.findings);
        rc = top >= 0 && top >= out.fail_on ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    diagnosis_clear(&d);
    /* The report is out before the store is touched, which may wait for a lock. The store
     * keeps the scan as found: accepting is how this run reads it, not a fact of the scan. */
    fflush(stdout);
    scan->accept = NULL;
    cmd_store_save_scan(args, scan, rc == EXIT_FAILED);
out:
    fflush(stdout);
    release_scan(scan);
    jvm_sightings_free(seen, n_seen);
    accept_set_clear(&accept);
    free(targets);
    return rc;
}
