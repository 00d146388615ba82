/*
 * crashfiles.c - hs_err files and heap dumps of a dead JVM (see crashfiles.h).
 */
#include "crashfiles.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hserr.h"
#include "procnet.h"
#include "svcconfig.h"
#include "util.h"

#define DUMP_BEFORE_END_S 600 /* the longest a heap dump may precede the JVM's end */

/* The value of -XX:Name=value, the last one given. */
static const char *xx_value(const struct crash_places *p, const char *name)
{
    const char *found = NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < p->n_args; i++)
        if (strncmp(p->args[i], "-XX:", 4) == 0 && strncmp(p->args[i] + 4, name, n) == 0 &&
            p->args[i][4 + n] == '=')
            found = p->args[i] + 5 + n;
    return found;
}

/* A target path made absolute against `cwd` ("../x" resolved by name); NULL when relative
 * and the cwd unknown. */
static char *absolute(const char *cwd, const char *path)
{
    if (path[0] != '/' && !cwd)
        return NULL;
    char *joined = path[0] == '/' ? xstrdup(path) : path_join(cwd, path);
    char *abs = path_normalize(joined);
    free(joined);
    return abs;
}

/* Glob a target pattern under the root; each match (a host path) with its mtime. */
static void glob_files(const struct crash_places *p, const char *pattern, char ***out, size_t *n,
                       size_t *cap)
{
    char *host = svcconfig_host_path(p->root, pattern);
    glob_t g;
    if (glob(host, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && *n < CRASHFILES_MAX; i++) {
            bool seen = false;
            for (size_t k = 0; k < *n; k++)
                seen |= strcmp((*out)[k], g.gl_pathv[i]) == 0;
            if (!seen)
                strv_push(out, n, cap, xstrdup(g.gl_pathv[i]));
        }
        globfree(&g);
    }
    free(host);
}

/* ErrorFile's "%p" is the pid: any pid matches. */
static char *pid_pattern(const char *path)
{
    struct strbuf sb = {0};
    for (const char *s = path; *s; s++) {
        if (s[0] == '%' && s[1] == 'p') {
            strbuf_puts(&sb, "*");
            s++;
        } else if (s[0] == '%' && s[1] == '%') {
            strbuf_puts(&sb, "%");
            s++;
        } else {
            strbuf_append(&sb, s, 1);
        }
    }
    return strbuf_take(&sb);
}

/* hs_err files where -XX:ErrorFile (`error_file`, relative to `cwd`) or the working
 * directory put them. */
static void hs_err_places(const struct crash_places *p, const char *cwd, const char *error_file,
                          char ***files, size_t *n, size_t *cap)
{
    if (error_file) {
        char *abs = absolute(cwd, error_file);
        char *pattern = abs ? pid_pattern(abs) : NULL;
        if (pattern)
            glob_files(p, pattern, files, n, cap);
        free(pattern);
        free(abs);
    }
    if (cwd) {
        char *pattern = path_join(cwd, "hs_err_pid*.log");
        glob_files(p, pattern, files, n, cap);
        free(pattern);
    }
}

static void format_utc(time_t t, char *buf, size_t size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The pid in a crash file's default name (hs_err_pid<pid>.log, java_pid<pid>.hprof);
 * 0 for any other name. */
static int file_pid(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int pid = 0;
    if (sscanf(base, "hs_err_pid%d", &pid) == 1 || sscanf(base, "java_pid%d", &pid) == 1)
        return pid;
    return 0;
}

enum writer { WRITER_UNKNOWN, WRITER_LAST_JVM, WRITER_EARLIER_JVM };

/* Which JVM wrote a crash file. The last sighting decides when there is one: its pid in
 * the name, or a time after that JVM started (it, or a later one unseen); before, an
 * earlier JVM. Else runit's end: the minutes before it (a large heap takes a while to
 * dump; the JVM ends right after) are the last JVM's, any other time an earlier one's. */
static enum writer crash_file_writer(const struct crash_places *p, const char *path, time_t mtime)
{
    if (p->seen_started > 0) {
        if (p->seen_pid > 0 && file_pid(path) == p->seen_pid)
            return WRITER_LAST_JVM;
        return mtime >= p->seen_started ? WRITER_LAST_JVM : WRITER_EARLIER_JVM;
    }
    if (p->ended_at > 0)
        return mtime <= p->ended_at + 5 && mtime >= p->ended_at - DUMP_BEFORE_END_S
                   ? WRITER_LAST_JVM
                   : WRITER_EARLIER_JVM;
    return WRITER_UNKNOWN;
}

static void find_hs_err(const struct crash_places *p, struct service_state *st)
{
    char **files = NULL;
    size_t n = 0, cap = 0;
    hs_err_places(p, p->cwd, xx_value(p, "ErrorFile"), &files, &n, &cap);
    hs_err_places(p, p->seen_cwd, p->seen_error_file, &files, &n, &cap);
    glob_files(p, "/tmp/hs_err_pid*.log", &files, &n, &cap);
    const char *newest = NULL;
    time_t newest_time = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(files[i], &sb) == 0 && S_ISREG(sb.st_mode) &&
            (!newest || sb.st_mtime > newest_time)) {
            newest = files[i];
            newest_time = sb.st_mtime;
        }
    }
    if (newest && crash_file_writer(p, newest, newest_time) == WRITER_EARLIER_JVM) {
        char when[32];
        format_utc(newest_time, when, sizeof(when));
        service_state_evidence(st, MSG_EV_EARLIER_HSERR, MSG_S("path", newest),
                               MSG_S("time", when));
    } else if (newest) {
        st->hs_err_path = xstrdup(newest);
        char *text;
        size_t len;
        if (read_file_capped(newest, HSERR_READ_MAX, &text, &len, NULL) == 0) {
            if (hserr_parse(text, len, &st->hs_err) != 0)
                st->hs_err = NULL;
            free(text);
        }
        if (n > 1)
            service_state_evidence(st, MSG_EV_HSERR_FILES, MSG_N("n", n), MSG_S("path", newest));
    }
    strv_free(files, n);
}

/* Heap dumps where -XX:HeapDumpPath (a file or a directory, relative to `cwd`) or the
 * working directory put them. */
static void heap_dump_places(const struct crash_places *p, const char *cwd, const char *dump_path,
                             char ***files, size_t *n, size_t *cap)
{
    if (dump_path) {
        char *abs = absolute(cwd, dump_path);
        if (abs) {
            char *host = svcconfig_host_path(p->root, abs);
            struct stat sb;
            bool dir = stat(host, &sb) == 0 && S_ISDIR(sb.st_mode);
            free(host);
            char *pattern = dir ? path_join(abs, "java_pid*.hprof*") : pid_pattern(abs);
            glob_files(p, pattern, files, n, cap);
            free(pattern);
        }
        free(abs);
    }
    if (cwd) {
        char *pattern = path_join(cwd, "java_pid*.hprof*");
        glob_files(p, pattern, files, n, cap);
        free(pattern);
    }
}

static void find_heap_dumps(const struct crash_places *p, struct service_state *st)
{
    char **files = NULL;
    size_t n = 0, cap = 0;
    heap_dump_places(p, p->cwd, xx_value(p, "HeapDumpPath"), &files, &n, &cap);
    heap_dump_places(p, p->seen_cwd, p->seen_heap_dump_path, &files, &n, &cap);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(files[i], &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        char when[32];
        format_utc(sb.st_mtime, when, sizeof(when));
        char size[32];
        snprintf(size, sizeof(size), "%lld", (long long)sb.st_size);
        const struct msg_arg *args =
            MSG_ARGS(MSG_S("path", files[i]), MSG_S("size", size), MSG_S("time", when));
        strv_push(&st->heap_dumps, &st->n_heap_dumps, &st->heap_dumps_cap,
                  msg_render(MSG_HEAP_DUMP_FILE, LANG_EN, args));
        strv_push(&st->heap_dumps_zh, &st->n_heap_dumps_zh, &st->heap_dumps_zh_cap,
                  msg_render(MSG_HEAP_DUMP_FILE, LANG_ZH, args));
        if (crash_file_writer(p, files[i], sb.st_mtime) == WRITER_LAST_JVM &&
            (!st->last_jvm_dump || sb.st_mtime > st->last_jvm_dump_time)) {
            free(st->last_jvm_dump);
            st->last_jvm_dump = xstrdup(files[i]);
            st->last_jvm_dump_time = sb.st_mtime;
        }
    }
    strv_free(files, n);
}

void crashfiles_find(const struct crash_places *places, struct service_state *st)
{
    find_hs_err(places, st);
    find_heap_dumps(places, st);
}
