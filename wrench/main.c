/*
 * main.c - wrench's entry point: parse the command line with the tables of
 * commands.c and run the chosen command. Everything else lives below.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "safetext.h"
#include "util.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_print_usage(stderr);
        return EXIT_USAGE;
    }
    int n_words = argc - 1;
    char **words = argv + 1;
    /* `wrench help scan` is `wrench scan --help`. */
    char help_flag[] = "--help";
    char *redirect[2];
    if (argc == 3 && strcmp(argv[1], "help") == 0 && argv[2][0] != '-') {
        redirect[0] = argv[2];
        redirect[1] = help_flag;
        words = redirect;
    }
    struct cli_args args;
    char err[WR_ERR_MAX];
    if (cli_parse(n_words, words, &args, err) != 0) {
        /* One style for every usage error: "wrench scan: what is wrong". */
        if (args.command)
            safe_fprintf(stderr, "wrench %s: %s\nRun 'wrench %s --help' for usage.\n",
                         args.command->name, err, args.command->name);
        else
            safe_fprintf(stderr, "wrench: %s\nRun 'wrench --help' for usage.\n", err);
        return EXIT_USAGE;
    }
    int rc;
    if (cli_has(&args, OPT_HELP)) {
        cli_print_command_help(stdout, args.command);
        rc = EXIT_CLEAN;
    } else {
        rc = args.command->run(&args);
    }
    cli_args_free(&args);
    return rc;
}
