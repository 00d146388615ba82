/*
 * cmd_scan.c - `wrench scan`: turn the options into targets, run discovery,
 * reading and analysis, then render the report and choose the exit code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "classpath.h"
#include "commands.h"
#include "hints.h"
#include "model.h"
#include "reader.h"
#include "report_json.h"
#include "report_text.h"
#include "util.h"

/* Parsed presentation options of one scan. */
struct scan_output {
    bool json_stdout;
    const char *json_file;
    int fail_on; /* a severity, or SEV_COUNT for "never" */
    bool color;
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
    const char *fail_on = cli_last(args, OPT_FAIL_ON);
    if (fail_on) {
        enum severity sev;
        if (strcmp(fail_on, "never") == 0)
            out->fail_on = SEV_COUNT;
        else if (severity_parse(fail_on, &sev) == 0)
            out->fail_on = (int)sev;
        else {
            fprintf(stderr, "wrench scan: --fail-on takes info, warning, error, critical or "
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
        fprintf(stderr, "wrench scan: --color takes auto, always or never, not '%s'\n", color);
        return -1;
    }
    return 0;
}

/* Add a view for every target option, in command-line order; returns how many. */
static size_t add_targets(struct scan *scan, const struct cli_args *args)
{
    size_t n = 0;
    for (size_t i = 0; i < args->n_values; i++) {
        const struct cli_value *v = &args->values[i];
        switch (v->id) {
        case OPT_CLASSPATH:
            classpath_add_string(scan, v->value);
            break;
        case OPT_JAR:
            classpath_add_jar(scan, v->value);
            break;
        case OPT_WAR:
            classpath_add_war(scan, v->value);
            break;
        case OPT_DIR:
            classpath_add_dir(scan, v->value);
            break;
        default:
            continue;
        }
        n++;
    }
    return n;
}

static int write_json_file(const struct scan *scan, const char *path)
{
    char *text = report_json_dump(scan);
    FILE *f = fopen(path, "w");
    int rc = -1;
    if (f && fputs(text, f) >= 0)
        rc = 0;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "wrench scan: cannot write the JSON report to %s: %m\n", path);
    free(text);
    return rc;
}

static void run_scan(struct scan *scan, const struct hint_set *hints)
{
    uint64_t t0 = time_monotonic_ms();
    size_t n_watched;
    const char *const *watched = hints_watched(hints, &n_watched);
    reader_read_scan(scan, watched, n_watched);
    analysis_find_duplicates(scan);
    analysis_find_conflicts(scan);
    hints_evaluate(hints, scan);
    scan->duration_ms = time_monotonic_ms() - t0;
    time_now_iso(scan->finished, sizeof(scan->finished));
}

int cmd_scan(const struct cli_args *args)
{
    struct scan_output out;
    if (parse_output(args, &out) != 0 || cmd_store_check_options(args) != 0)
        return EXIT_USAGE;
    char err[WR_ERR_MAX];
    struct hint_set *hints;
    if (hints_load_default(&hints, err) != 0) {
        fprintf(stderr, "wrench scan: %s\n", err);
        return EXIT_FAILED;
    }
    struct scan *scan = scan_new();
    time_now_iso(scan->started, sizeof(scan->started));
    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    scan->host = xstrdup(host);
    int rc = EXIT_FAILED;
    if (add_targets(scan, args) == 0) {
        fprintf(stderr, "wrench scan: nothing to scan: give --classpath, --jar, --war or --dir "
                        "(see 'wrench scan --help')\n");
        rc = EXIT_USAGE;
        goto out;
    }
    run_scan(scan, hints);
    if (out.json_stdout) {
        char *text = report_json_dump(scan);
        fputs(text, stdout);
        free(text);
    } else {
        report_text_write(scan, stdout, out.color);
    }
    if (out.json_file && write_json_file(scan, out.json_file) != 0) {
        rc = EXIT_FAILED;
    } else {
        int top = scan_max_severity(scan);
        rc = top >= 0 && top >= out.fail_on ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    /* The report is out before the store is touched, which may wait for a lock. */
    fflush(stdout);
    cmd_store_save_scan(args, scan, rc == EXIT_FAILED);
out:
    fflush(stdout);
    scan_free(scan);
    hints_free(hints);
    return rc;
}
