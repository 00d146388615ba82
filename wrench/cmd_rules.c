/*
 * cmd_rules.c - `wrench rules list` and `wrench rules check FILE...`: what
 * log rules a scan would use, and whether rule files are valid.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "report_json.h"
#include "rules.h"
#include "safetext.h"
#include "util.h"

/* The words after `rules`: the action, then its files. */
static size_t rule_words(const struct cli_args *args, const char **words, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < args->n_values && n < max; i++)
        if (args->values[i].id == OPT_ARGUMENT)
            words[n++] = args->values[i].value;
    return n;
}

static int list_rules(const struct cli_args *args)
{
    char err[WR_ERR_MAX];
    struct rule_set *set;
    if (rules_load(&set, cli_last(args, OPT_RULES), err) != 0) {
        safe_fprintf(stderr, "wrench rules: %s\n", err);
        return EXIT_USAGE;
    }
    if (cli_has(args, OPT_JSON_FLAG)) {
        json_t *root = rules_json(set);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(root);
    } else {
        for (size_t i = 0; i < set->n_rules; i++) {
            const struct log_rule *r = &set->rules[i];
            safe_fprintf(stdout, "%-48s %-8s %-10s %s\n", r->id, severity_name(r->severity),
                         r->category, r->title);
        }
        safe_fprintf(stdout, "%zu rules\n", set->n_rules);
    }
    rules_free(set);
    return EXIT_CLEAN;
}

/* `rules check [--json] FILE...`: every problem of each file; JSON is
 * {"files": [{"path", "ok", "problems": ["..."]}]}. Exit 1 when a file has problems. */
static int check_files(const char *const *files, size_t n, bool as_json)
{
    if (n == 0) {
        safe_fprintf(stderr, "wrench rules check: name the rule files to check\n");
        return EXIT_USAGE;
    }
    size_t bad = 0;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        struct rule_problems problems = {0};
        bool ok = rules_check_file(files[i], &problems) == 0;
        bad += !ok;
        json_t *texts = json_array();
        for (size_t k = 0; k < problems.n; k++) {
            json_array_append_new(texts, report_json_text(problems.items[k]));
            if (!as_json)
                safe_fprintf(stdout, "%s\n", problems.items[k]);
        }
        if (ok && !as_json)
            safe_fprintf(stdout, "%s: ok\n", files[i]);
        json_array_append_new(list, json_pack("{s:o, s:b, s:o}", "path", report_json_text(files[i]),
                                              "ok", ok, "problems", texts));
        rule_problems_free(&problems);
    }
    if (as_json) {
        json_t *root = json_pack("{s:o}", "files", list);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(root);
    } else {
        json_decref(list);
    }
    return bad ? EXIT_FINDINGS : EXIT_CLEAN;
}

int cmd_rules(const struct cli_args *args)
{
    const char *words[256];
    size_t n = rule_words(args, words, sizeof(words) / sizeof(words[0]));
    if (n >= 1 && strcmp(words[0], "list") == 0 && n == 1)
        return list_rules(args);
    if (n >= 1 && strcmp(words[0], "check") == 0)
        return check_files(words + 1, n - 1, cli_has(args, OPT_JSON_FLAG));
    safe_fprintf(stderr,
                 "wrench rules: say 'list' or 'check FILE...' (see 'wrench rules --help')\n");
    return EXIT_USAGE;
}
