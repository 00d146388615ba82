/*
 * commands.c - the command and option tables of the command line, and the
 * small commands (version, help). Adding an option is adding a row here; the
 * parser, --help and the man page follow.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "model.h"

const struct cli_option cli_options[] = {
    {OPT_CLASSPATH, "classpath", "-cp", "CP", false, CMD_SCAN | CMD_SERVE,
     "Scan a Java classpath (':'-separated; dir/* expands to the jars of dir, in no defined "
     "order; directories are class roots). Repeatable."},
    {OPT_JAR, "jar", NULL, "FILE", false, CMD_SCAN | CMD_SERVE,
     "Scan an executable jar and its manifest Class-Path, or a Spring Boot fat jar "
     "(BOOT-INF/classes, then BOOT-INF/lib in classpath.idx order). Repeatable."},
    {OPT_WAR, "war", NULL, "FILE|DIR", false, CMD_SCAN | CMD_SERVE,
     "Scan a war file or an exploded webapp (WEB-INF/classes, then WEB-INF/lib in no defined "
     "order). Repeatable."},
    {OPT_DIR, "dir", NULL, "DIR", false, CMD_SCAN | CMD_SERVE,
     "Scan a directory of jars, such as a Tomcat lib/ (no defined order). Repeatable."},
    {OPT_TOMCAT, "tomcat", NULL, "DIR", false, CMD_SCAN | CMD_SERVE,
     "Scan a Tomcat base (CATALINA_BASE): every webapp under its appBase as its own class "
     "loader (its classes first, then the common loader), and diagnose DIR/logs. Repeatable."},
    {OPT_LOGS, "logs", NULL, "PATH", false, CMD_SCAN | CMD_SERVE,
     "Diagnose logs: a file (plain or .gz), a directory (its *.log, *.out and *.txt files; "
     "access logs skipped) or a glob. Repeatable."},
    {OPT_RULES, "rules", NULL, "DIR", false, CMD_SCAN | CMD_RULES | CMD_SERVE,
     "Add the log rules of DIR/*.json to the built-in ones; a rule with an existing id "
     "replaces it."},
    {OPT_SINCE, "since", NULL, "WHEN", false, CMD_SCAN | CMD_SERVE,
     "Read only the log records written since WHEN: a date-time (2026-11-27 or 2026-11-27 "
     "02:00) or a duration back from now (90s, 30m, 2h, 7d)."},
    {OPT_LAST_START, "last-start", NULL, NULL, false, CMD_SCAN | CMD_SERVE,
     "Read each log only from the service's last start on (Tomcat's and Spring Boot's start "
     "lines): why did this run fail, not last week's."},
    {OPT_LOG_FORMAT, "log-format", NULL, "FORMAT", false, CMD_SCAN,
     "Read every log as FORMAT instead of recognising each file's from its first lines: plain, "
     "svlogd (runit's TAI64N or -tt stamps), cri (kubelet), docker (json-file) or json (JSON "
     "lines: ECS, Logstash, GELF, Log4j2 JsonLayout)."},
    {OPT_THREAD_DUMP, "thread-dump", NULL, "WHEN", true, CMD_SCAN,
     "Without targets: take a thread dump of each running JVM (WHEN all, the default) or of "
     "each one found hung (WHEN hung) through the HotSpot attach protocol (no JDK needed; refused "
     "for -Xrs, -XX:+DisableAttachMechanism, another user, or a "
     "JVM too young to handle SIGQUIT) and report where its main thread waits, deadlocks and "
     "blocked threads (docs/state.md)."},
    {OPT_START_SECS, "start-timeout", NULL, "SECONDS", false, CMD_SCAN,
     "Without targets: a JVM older than this (default 120) whose declared ports do not listen "
     "counts as hung, a younger one as starting."},
    {OPT_PROBE, "probe", NULL, "URL", false, CMD_SCAN,
     "Without targets: GET this http:// health URL (loopback) with a short timeout and report "
     "its status and latency."},
    {OPT_PID, "pid", NULL, "PID", false, CMD_SCAN | CMD_SERVE,
     "Without targets: scan only this Java process (its classpath, webapps and logs)."},
    {OPT_CONFIG, "config", NULL, "FILE", false, CMD_SCAN | CMD_SERVE,
     "Without targets: the services file (default $WRENCH_CONFIG, else "
     "/etc/wrench/wrench.conf; see docs/discovery.md)."},
    {OPT_NO_PROCESSES, "no-processes", NULL, NULL, false, CMD_SCAN | CMD_SERVE,
     "Without targets: do not look for running Java processes, only at the services file and "
     "the conventional places."},
    {OPT_PROC_ROOT, "proc-root", NULL, "DIR", false, CMD_SCAN | CMD_SERVE,
     "Read processes from DIR instead of /proc (for tests)."},
    {OPT_CGROUP_ROOT, "cgroup-root", NULL, "DIR", false, CMD_SCAN | CMD_SERVE,
     "Read container limits from DIR instead of /sys/fs/cgroup (for tests)."},
    {OPT_ROOT, "root", NULL, "DIR", false, CMD_SCAN | CMD_SERVE,
     "Look for the services file and the conventional places under DIR instead of / (for "
     "tests)."},
    {OPT_JSON, "json", NULL, "FILE", true, CMD_SCAN,
     "Write the JSON report to stdout instead of text, or to FILE (the text report then still "
     "goes to stdout)."},
    {OPT_FORMAT, "format", NULL, "FORMAT", false, CMD_SCAN,
     "What to print on stdout: text (default), json (as --json), or cyclonedx: the runtime "
     "classpath as a CycloneDX 1.5 SBOM, one component per jar with its purl, SHA-256, path and "
     "load order (docs/sbom.md)."},
    {OPT_SHA256, "sha256", NULL, NULL, false, CMD_SCAN | CMD_SERVE,
     "Read every jar's bytes again for its SHA-256 (entries[].sha256 of the JSON report, "
     "stored with the scan). Off by default: it reads whole files, several times the cost of a "
     "scan, which reads central directories only; --format cyclonedx always does."},
    {OPT_FAIL_ON, "fail-on", NULL, "SEVERITY", false, CMD_SCAN,
     "Exit 1 when a finding is at least this severe: info, warning, error (default), critical, "
     "or never."},
    {OPT_ACCEPT, "accept", NULL, "FILE", false, CMD_SCAN | CMD_SERVE,
     "Read accepted findings from FILE (default: .wrench-accept.json in the current directory "
     "when present): findings listed by id, artifact, class pattern or rule, each with a "
     "reason, are reported as ACCEPTED and never count for --fail-on, the totals or the verdict. "
     "serve with a token also edits FILE from the web UI, creating it if missing "
     "(docs/accept.md)."},
    {OPT_BASELINE, "baseline", NULL, "ID", false, CMD_SCAN,
     "Compare with stored scan ID (or latest) of the database: findings it already had are not "
     "new and, like accepted ones, never count for --fail-on, the totals or the verdict "
     "(docs/accept.md)."},
    {OPT_COLOR, "color", NULL, "WHEN", false, CMD_SCAN | CMD_SHOW,
     "Colour the text report: auto (default: only on a terminal, never with NO_COLOR), always, "
     "never."},
    {OPT_LANG, "lang", NULL, "LANG", false, CMD_SCAN | CMD_SHOW | CMD_DIFF,
     "Language of the text output: en or zh (default: zh when LC_ALL, else LC_MESSAGES, else "
     "LANG starts with zh). Names, paths and what logs quote stay as written; the JSON always "
     "has both."},
    {OPT_JSON_FLAG, "json", NULL, NULL, false, CMD_STORE | CMD_RULES,
     "Print JSON instead of text."},
    {OPT_DB, "db", NULL, "FILE", false, CMD_SCAN | CMD_STORE | CMD_SERVE,
     "The scan database (default: $WRENCH_DB, else /var/lib/wrench/wrench.db when it can be "
     "written, else $XDG_STATE_HOME/wrench/wrench.db or ~/.local/state/wrench/wrench.db)."},
    {OPT_NO_DB, "no-db", NULL, NULL, false, CMD_SCAN, "Do not store the scan in the database."},
    {OPT_KEEP, "keep", NULL, "N", false, CMD_SCAN | CMD_SERVE,
     "Keep the newest N scans in the database (default 100); older ones are deleted when this "
     "scan is stored."},
    {OPT_LISTEN, "listen", NULL, "ADDR:PORT", false, CMD_SERVE,
     "Listen on ADDR:PORT, or [ADDR6]:PORT for IPv6 (default 127.0.0.1:7070; numeric "
     "addresses only)."},
    {OPT_TOKEN_FILE, "token-file", NULL, "FILE", false, CMD_SERVE,
     "Read the bearer token from FILE (default: $WRENCH_TOKEN). Without a token, starting a "
     "scan is open to every local client, and serve refuses to listen on any address but "
     "loopback."},
    {OPT_INSECURE_NO_TOKEN, "insecure-no-token", NULL, NULL, false, CMD_SERVE,
     "Listen on a non-loopback --listen address without a token: anyone who can reach it may "
     "start scans."},
    {OPT_MAX_MEMORY, "max-memory", NULL, "SIZE", false, CMD_SCAN | CMD_SERVE,
     "The memory budget of a scan, such as 256M or 1G (default: a quarter of the container's "
     "memory limit from its cgroup, at most 1 GiB; 512 MiB without a limit). Jars and logs "
     "that would exceed it are skipped and reported."},
    {OPT_FULL_PRIORITY, "full-priority", NULL, NULL, false, CMD_SCAN | CMD_SERVE,
     "Keep wrench's normal CPU and I/O priority. By default a scan lowers its own (nice 10, "
     "idle I/O class) so that the JVM it diagnoses is never slowed down."},
    {OPT_AUTH, "auth", NULL, "WHAT", false, CMD_SERVE,
     "What needs the token: write (default: starting scans) or all (every request but "
     "/healthz and the UI files)."},
    {OPT_ALLOW_ORIGIN, "allow-origin", NULL, "ORIGIN", false, CMD_SERVE,
     "Allow ORIGIN (such as https://platform.example.com) to call the API from a browser and "
     "to frame the UI; no other origin ever is."},
    {OPT_MAN, "man", NULL, NULL, false, CMD_HELP, "Print the manual page (roff)."},
    {OPT_HELP, "help", "-h", NULL, false, CMD_ALL, "Show this help."},
};
const size_t cli_option_count = sizeof(cli_options) / sizeof(cli_options[0]);

const struct cli_command cli_commands[] = {
    {"scan", CMD_SCAN, "wrench scan",
     "Scan classpaths and logs for what makes a Java service fail.",
     "Each target is read as one class loader would see it: every jar's central directory is "
     "indexed, libraries are identified from pom.properties, the manifest or the file name, and "
     "the report lists libraries present more than once, classes present in several entries "
     "(identical or differing, and which copy loads first), known troublesome combinations, and "
     "every input that could not be read. Without a target, wrench finds the Java services "
     "itself: running JVMs, else the services file, else the conventional places (Tomcat, "
     "/app), and reports the container's limits against the JVM's. Logs are matched against the "
     "log rules, stack traces "
     "grouped into findings, and a class a log error names is looked up in the classpaths. The "
     "scan is then stored in the report store (see 'wrench history'), unless --no-db.",
     cmd_scan},
    {"history", CMD_HISTORY, "wrench history", "List the stored scans, newest first.",
     "Every 'wrench scan' is stored in a database (see its --db, --no-db and --keep). history "
     "prints one line per stored scan: its id, start time, status, findings by severity and "
     "targets.",
     cmd_history},
    {"show", CMD_SHOW, "wrench show [ID|latest]", "Print the report of a stored scan.",
     "Prints the report of scan ID (default: the latest) as 'wrench scan' printed it: the text "
     "report, or with --json the JSON report.",
     cmd_show},
    {"diff", CMD_DIFF, "wrench diff [A [B]]", "Compare two stored scans.",
     "Lists the findings that are new in scan B and those resolved since scan A, and the jars "
     "added, removed or changed in version. With one id, compares that scan with the previous "
     "scan of the same targets; without ids, the latest scan with the previous one of the same "
     "targets.",
     cmd_diff},
    {"rules", CMD_RULES, "wrench rules list|check [FILE...]",
     "List the active log rules, or check rule files.",
     "'rules list' prints the rules a scan would use (the built-in ones, plus --rules DIR). "
     "'rules check' validates rule files and reports every problem with the file, the rule id "
     "and, for a pattern PCRE2 rejects, the offset and PCRE2's message; it exits 1 when a file "
     "has a problem.",
     cmd_rules},
    {"serve", CMD_SERVE, "wrench serve", "Serve the web UI and the HTTP API (docs/api.md).",
     "Starts a web server that runs scans of the targets given here on request (POST "
     "/api/v1/scans), stores them like 'wrench scan', and serves the stored reports, their "
     "history and diffs as JSON, with the web UI at /. The targets are fixed at start: a request "
     "never names a path. It listens on 127.0.0.1:7070 unless --listen says otherwise; SIGTERM "
     "or SIGINT stops it (a running scan is then not stored) with exit code 0.",
     cmd_serve},
    {"version", CMD_VERSION, "wrench version", "Print the version.",
     "Prints wrench's version and the report schema version.", cmd_version},
    {"help", CMD_HELP, "wrench help [COMMAND]", "Show help for wrench or a command.",
     "Without a command, lists the commands. With --man, prints the manual page.", cmd_help},
};
const size_t cli_command_count = sizeof(cli_commands) / sizeof(cli_commands[0]);

int cmd_version(const struct cli_args *args)
{
    (void)args;
    printf("wrench %s (report schema %d)\n", WR_VERSION, WR_SCHEMA_VERSION);
    return EXIT_CLEAN;
}

int cmd_help(const struct cli_args *args)
{
    if (cli_has(args, OPT_MAN)) {
        cli_print_man(stdout);
        return EXIT_CLEAN;
    }
    cli_print_usage(stdout);
    return EXIT_CLEAN;
}
