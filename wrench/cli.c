/*
 * cli.c - the option parser, help texts and man page generated from the
 * command and option tables (see cli.h). The tables themselves live in
 * commands.c next to the functions they dispatch to.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "util.h"

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

/* Match "--name", "--name=value" or the alias; *inline_value points after '=' if present. */
static const struct cli_option *find_option(const char *word, unsigned command,
                                            const char **inline_value)
{
    *inline_value = NULL;
    for (size_t i = 0; i < cli_option_count; i++) {
        const struct cli_option *o = &cli_options[i];
        if (!(o->commands & command))
            continue;
        if (o->alias && strcmp(word, o->alias) == 0)
            return o;
        if (word[0] != '-' || word[1] != '-')
            continue;
        size_t n = strlen(o->name);
        if (strncmp(word + 2, o->name, n) != 0)
            continue;
        if (word[2 + n] == '\0')
            return o;
        if (word[2 + n] == '=' && o->arg) {
            *inline_value = word + 3 + n;
            return o;
        }
    }
    return NULL;
}

/* The target option a bare word most likely meant ("app.jar" -> "jar", a Tomcat base ->
 * "tomcat"), when `command` takes it; NULL otherwise. For the message of a usage error. */
static const char *target_option_for(const char *word, unsigned command)
{
    static const struct {
        const char *suffix;
        const char *option;
    } by_suffix[] = {{".jar", "jar"},  {".war", "war"}, {".log", "logs"},
                     {".out", "logs"}, {".gz", "logs"}, {".txt", "logs"}};
    const char *option = NULL;
    for (size_t i = 0; i < sizeof(by_suffix) / sizeof(by_suffix[0]) && !option; i++)
        if (str_has_suffix(word, by_suffix[i].suffix))
            option = by_suffix[i].option;
    struct stat st;
    if (!option && stat(word, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *server_xml = path_join(word, "conf/server.xml");
        char *web_inf = path_join(word, "WEB-INF");
        option = access(server_xml, F_OK) == 0 ? "tomcat"
                 : access(web_inf, F_OK) == 0  ? "war"
                                               : "dir";
        free(server_xml);
        free(web_inf);
    }
    if (!option)
        return NULL;
    char flag[32];
    const char *inline_value;
    snprintf(flag, sizeof(flag), "--%s", option);
    return find_option(flag, command, &inline_value) ? option : NULL;
}

static void push_value(struct cli_args *args, enum opt_id id, const char *value)
{
    args->values = xrealloc(args->values, (args->n_values + 1) * sizeof(struct cli_value));
    args->values[args->n_values++] = (struct cli_value){id, value};
}

int cli_parse(int argc, char **argv, struct cli_args *args, char *err)
{
    memset(args, 0, sizeof(*args));
    if (argc < 1) {
        err_set(err, "no command given");
        return -1;
    }
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)
        args->command = find_command("help");
    else if (strcmp(argv[0], "--version") == 0)
        args->command = find_command("version");
    else
        args->command = find_command(argv[0]);
    if (!args->command) {
        err_set(err, "unknown command '%s'", argv[0]);
        return -1;
    }
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        const char *inline_value;
        const struct cli_option *o = find_option(word, args->command->bit, &inline_value);
        if (!o) {
            if (strcmp(word, "-h") == 0) {
                push_value(args, OPT_HELP, NULL);
                continue;
            }
            /* A word that is no option is an argument (a scan id) of the commands taking some. */
            if (word[0] != '-' && (args->command->bit & CMD_WITH_ARGUMENTS)) {
                push_value(args, OPT_ARGUMENT, word);
                continue;
            }
            const char *hint = word[0] == '-' ? NULL : target_option_for(word, args->command->bit);
            if (hint)
                err_set(err, "unknown argument '%s' (did you mean --%s %s?)", word, hint, word);
            else
                err_set(err, "unknown %s '%s'", word[0] == '-' ? "option" : "argument", word);
            cli_args_free(args);
            return -1;
        }
        const char *value = inline_value;
        if (o->arg && !value) {
            bool next_is_value = i + 1 < argc && (argv[i + 1][0] != '-' || argv[i + 1][1] == '\0');
            if (next_is_value)
                value = argv[++i];
            else if (!o->arg_optional) {
                err_set(err, "option --%s needs %s", o->name, o->arg);
                cli_args_free(args);
                return -1;
            }
        }
        push_value(args, o->id, value);
    }
    return 0;
}

void cli_args_free(struct cli_args *args)
{
    free(args->values);
    args->values = NULL;
    args->n_values = 0;
}

bool cli_has(const struct cli_args *args, enum opt_id id)
{
    for (size_t i = 0; i < args->n_values; i++)
        if (args->values[i].id == id)
            return true;
    return false;
}

const char *cli_last(const struct cli_args *args, enum opt_id id)
{
    const char *v = NULL;
    for (size_t i = 0; i < args->n_values; i++)
        if (args->values[i].id == id)
            v = args->values[i].value;
    return v;
}

static void option_signature(const struct cli_option *o, char *buf, size_t size)
{
    char alias[32] = "";
    if (o->alias)
        snprintf(alias, sizeof(alias), ", %s", o->alias);
    if (!o->arg)
        snprintf(buf, size, "--%s%s", o->name, alias);
    else if (o->arg_optional)
        snprintf(buf, size, "--%s [%s]%s", o->name, o->arg, alias);
    else
        snprintf(buf, size, "--%s %s%s", o->name, o->arg, alias);
}

/* "wrench scan [--classpath CP] ... [--keep N]": the command's arguments, then every option
 * the table gives it (but --help), so that no option is ever missing from a synopsis. */
static void print_synopsis(FILE *out, const struct cli_command *cmd,
                           void (*text)(FILE *, const char *))
{
    text(out, cmd->synopsis);
    for (size_t i = 0; i < cli_option_count; i++) {
        const struct cli_option *o = &cli_options[i];
        if (!(o->commands & cmd->bit) || o->id == OPT_HELP)
            continue;
        char sig[96];
        if (!o->arg)
            snprintf(sig, sizeof(sig), " [--%s]", o->name);
        else if (o->arg_optional)
            snprintf(sig, sizeof(sig), " [--%s [%s]]", o->name, o->arg);
        else
            snprintf(sig, sizeof(sig), " [--%s %s]", o->name, o->arg);
        text(out, sig);
    }
}

static void plain_text(FILE *out, const char *s)
{
    fputs(s, out);
}

void cli_print_usage(FILE *out)
{
    fprintf(out, "usage: wrench COMMAND [OPTIONS]\n\n"
                 "wrench finds what is really wrong with a Java service in a container.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < cli_command_count; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(out, "\nRun 'wrench COMMAND --help' for a command's options, 'man wrench' for more.\n");
}

void cli_print_command_help(FILE *out, const struct cli_command *cmd)
{
    fputs("usage: ", out);
    print_synopsis(out, cmd, plain_text);
    fprintf(out, "\n\n%s\n\n%s\n\nOptions:\n", cmd->summary, cmd->description);
    for (size_t i = 0; i < cli_option_count; i++) {
        const struct cli_option *o = &cli_options[i];
        if (!(o->commands & cmd->bit))
            continue;
        char sig[96];
        option_signature(o, sig, sizeof(sig));
        fprintf(out, "  %-28s %s\n", sig, o->help);
    }
}

/* roff needs '-' escaped as '\-' and a leading '.' or '\'' protected. */
static void roff_text(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '-')
            fputs("\\-", out);
        else if (*s == '\\')
            fputs("\\e", out);
        else
            fputc(*s, out);
    }
}

void cli_print_man(FILE *out)
{
    fprintf(out, ".\\\" Generated by 'wrench help --man' from the option table; do not edit.\n");
    fprintf(out, ".TH WRENCH 1 \"\" \"wrench %s\" \"User Commands\"\n", WR_VERSION);
    fprintf(out, ".SH NAME\nwrench \\- find what is really wrong with a Java service in a "
                 "container\n.SH SYNOPSIS\n");
    for (size_t i = 0; i < cli_command_count; i++) {
        fputs(".B ", out);
        print_synopsis(out, &cli_commands[i], roff_text);
        fputs("\n.br\n", out);
    }
    fprintf(out, ".SH COMMANDS\n");
    for (size_t c = 0; c < cli_command_count; c++) {
        const struct cli_command *cmd = &cli_commands[c];
        fprintf(out, ".SS %s\n", cmd->name);
        roff_text(out, cmd->summary);
        fputs("\n.PP\n", out);
        roff_text(out, cmd->description);
        fputc('\n', out);
        for (size_t i = 0; i < cli_option_count; i++) {
            const struct cli_option *o = &cli_options[i];
            if (!(o->commands & cmd->bit))
                continue;
            char sig[96];
            option_signature(o, sig, sizeof(sig));
            fputs(".TP\n.B ", out);
            roff_text(out, sig);
            fputc('\n', out);
            roff_text(out, o->help);
            fputc('\n', out);
        }
    }
    fprintf(out, ".SH EXIT STATUS\n.TP\n0\nNo finding at or above the \\-\\-fail\\-on threshold.\n"
                 ".TP\n1\nFindings at or above the threshold.\n.TP\n2\nUsage error.\n"
                 ".TP\n3\nThe scan itself could not run.\n");
    static const char *const environment[][2] = {
        {"NO_COLOR", "When set, the text report has no colour."},
        {"WRENCH_DB", "The report database when \\-\\-db is not given."},
        {"XDG_STATE_HOME", "Where the per-user database lives when /var/lib/wrench is not "
                           "writable (default ~/.local/state)."},
        {"WRENCH_CONFIG", "The services file when \\-\\-config is not given "
                          "(docs/discovery.md)."},
        {"WRENCH_APP", "Without targets: the application to scan (a jar, a war, a Tomcat base "
                       "or a directory) when no JVM runs and no services file names one."},
        {"CATALINA_BASE, CATALINA_HOME", "Without targets: the Tomcat to scan when no JVM runs "
                                         "(the base, else the home)."},
        {"WRENCH_TOKEN", "wrench serve: the bearer token when \\-\\-token\\-file is not given."},
        {"WRENCH_LOG_THREADS", "1 reads a large log on one thread instead of two."},
        {"WRENCH_LOG_FASTPATH", "0 splits every line of a log into events (the full path, as "
                                "before the candidate search; the report is the same); stats "
                                "prints per file how many events were not split."},
        {"WRENCH_MULTIMATCH", "portable: the log scan's candidate search uses wrench's own "
                              "multi-literal search instead of Hyperscan."},
        {"WRENCH_CP_THREADS", "The threads that read a classpath's jars: 1 or 2 (default: 2 "
                              "when the CPU affinity and the cgroup's CPU quota allow two and "
                              "the classpath lists 160 jar files or more; below that a second "
                              "thread costs more CPU than it saves time). The report is the "
                              "same either way."},
        {"WRENCH_REPORT_CHECK", "For tests: each JSON report written is also built as a jansson "
                                "tree and dumped by jansson; a difference from the streamed text "
                                "is said on stderr (\"report writers differ at byte N\") and the "
                                "tree's text is used. 2 also says when they agree."},
    };
    fputs(".SH ENVIRONMENT\n", out);
    for (size_t i = 0; i < sizeof(environment) / sizeof(environment[0]); i++)
        fprintf(out, ".TP\n%s\n%s\n", environment[i][0], environment[i][1]);
    fprintf(out, ".SH FILES\n.TP\n/var/lib/wrench/wrench.db\nThe default report database "
                 "(docs/store.md).\n.TP\n/etc/wrench/wrench.conf\nThe services file read "
                 "without targets when WRENCH_CONFIG and \\-\\-config are not given "
                 "(docs/discovery.md).\n.TP\n/usr/local/share/wrench/rules\nA copy of the "
                 "built\\-in log rules (the binary holds its own); see docs/rules.md for the "
                 "format.\n");
    fprintf(out, ".SH SEE ALSO\nThe JSON report is described in docs/report.md.\n");
}
