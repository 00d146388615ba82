/*
 * commands.h - the functions behind each subcommand; each returns an exit code
 * (enum exit_code) and writes to stdout/stderr. They parse options, call the
 * analysis and render: no analysis lives here.
 */
#ifndef WRENCH_COMMANDS_H
#define WRENCH_COMMANDS_H

#include "cli.h"

int cmd_scan(const struct cli_args *args);
int cmd_version(const struct cli_args *args);
int cmd_help(const struct cli_args *args);

#endif
