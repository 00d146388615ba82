/*
 * hserr.c - parse a JVM's fatal error banner or hs_err file (see hserr.h).
 */
#include "hserr.h"

#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "report_json.h"
#include "safetext.h"
#include "util.h"

#define HSERR_LINE_MAX 2048

bool hserr_is_start(const char *line, size_t len)
{
    static const char *const starts[] = {
        "# A fatal error has been detected by the Java Runtime Environment",
        "# There is insufficient memory for the Java Runtime Environment to continue",
        "There is insufficient memory for the Java Runtime Environment to continue",
    };
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        size_t n = strlen(starts[i]);
        if (len >= n && memcmp(line, starts[i], n) == 0)
            return true;
    }
    return false;
}

/* The line without "# " and surrounding white space. */
static char *clean(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
        n--;
    if (n && s[0] == '#') {
        s++;
        n--;
    }
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    return xstrndup(s, n < HSERR_LINE_MAX ? n : HSERR_LINE_MAX);
}

static void set_once(char **field, const char *value)
{
    if (!*field && value[0])
        *field = xstrdup(value);
}

static bool is_signal_line(const char *s)
{
    if (strncmp(s, "SIG", 3) != 0)
        return false;
    const char *p = s + 3;
    while (*p >= 'A' && *p <= 'Z')
        p++;
    return p > s + 3 && strncmp(p, " (0x", 4) == 0;
}

int hserr_parse(const char *text, size_t len, struct hs_err **out)
{
    struct hs_err *e = xcalloc(1, sizeof(*e));
    bool fatal = false, frame_next = false, path_next = false;
    const char *s = text, *end = text + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        char *line = clean(s, (size_t)(le - s));
        if (strncmp(line, "A fatal error has been detected by the Java Runtime Environment", 63) ==
            0) {
            fatal = true;
        } else if (strncmp(line,
                           "There is insufficient memory for the Java Runtime Environment to "
                           "continue",
                           74) == 0) {
            e->native_oom = true;
        } else if (strncmp(line, "Native memory allocation ", 25) == 0 ||
                   strstr(line, " - pthread_create failed (") ||
                   strstr(line, "Cannot create worker GC thread")) {
            /* a thread the OS would not start (EAGAIN, EPERM: limits, memory) is native
             * exhaustion as well */
            e->native_oom = true;
            set_once(&e->oom_detail, line);
        } else if (is_signal_line(line)) {
            set_once(&e->error, line);
            if (!e->signal)
                e->signal = xstrndup(line, strcspn(line, " "));
            const char *pid = strstr(line, "pid=");
            if (pid && !e->pid)
                e->pid = atoi(pid + 4);
        } else if (strncmp(line, "Internal Error (", 16) == 0 ||
                   strncmp(line, "Out of Memory Error (", 21) == 0 ||
                   strncmp(line, "guarantee(", 10) == 0) {
            set_once(&e->error, line);
        } else if (strncmp(line, "JRE version: ", 13) == 0) {
            set_once(&e->jre_version, line + 13);
        } else if (strncmp(line, "Java VM: ", 9) == 0) {
            set_once(&e->java_vm, line + 9);
        } else if (strncmp(line, "Problematic frame:", 18) == 0) {
            frame_next = true;
        } else if (frame_next) {
            frame_next = false;
            set_once(&e->frame, line);
        } else if (strncmp(line, "An error report file with more information is saved as:", 55) ==
                   0) {
            path_next = true;
        } else if (path_next) {
            path_next = false;
            set_once(&e->report_path, line);
        } else if (strncmp(line, "Command Line: ", 14) == 0) {
            set_once(&e->command_line, line + 14);
        }
        free(line);
        s = nl ? nl + 1 : end;
    }
    if (!fatal && !e->native_oom && !e->error) {
        hserr_free(e);
        return -1;
    }
    *out = e;
    return 0;
}

void hserr_free(struct hs_err *e)
{
    if (!e)
        return;
    free(e->error);
    free(e->signal);
    free(e->frame);
    free(e->jre_version);
    free(e->java_vm);
    free(e->oom_detail);
    free(e->report_path);
    free(e->command_line);
    free(e);
}

char *hserr_summary(const struct hs_err *e)
{
    return hserr_summary_lang(e, LANG_EN);
}

char *hserr_summary_lang(const struct hs_err *e, enum lang lang)
{
    struct strbuf sb = {0};
    if (e->native_oom && e->oom_detail) {
        char *what = msg_text(MSG_HSERR_NATIVE_OOM, lang, MSG_END);
        strbuf_msg(&sb, MSG_WITH_DETAIL, lang, MSG_S("text", what), MSG_S("detail", e->oom_detail));
        free(what);
    } else if (e->native_oom) {
        strbuf_msg(&sb, MSG_HSERR_NATIVE_OOM, lang, MSG_END);
    } else if (e->signal || e->error) {
        strbuf_puts(&sb, e->signal ? e->signal : e->error);
    } else {
        strbuf_msg(&sb, MSG_HSERR_FATAL, lang, MSG_END);
    }
    if (e->frame)
        strbuf_msg(&sb, MSG_HSERR_IN_FRAME, lang, MSG_S("frame", e->frame));
    if (e->jre_version)
        strbuf_msg(&sb, MSG_HSERR_JRE, lang, MSG_S("version", e->jre_version));
    return strbuf_take(&sb);
}

void hserr_write_text(const struct hs_err *e, FILE *out, const char *indent, enum lang lang)
{
    if (e->error)
        safe_msg(out, indent, MSG_HSERR_TEXT_ERROR, lang, MSG_S("error", e->error));
    if (e->native_oom)
        safe_msg(out, indent, MSG_HSERR_TEXT_NATIVE_OOM, lang,
                 MSG_S("detail", e->oom_detail ? e->oom_detail
                                               : msg_template(MSG_HSERR_TEXT_NO_DETAIL, lang)));
    if (e->frame)
        safe_msg(out, indent, MSG_HSERR_TEXT_FRAME, lang, MSG_S("frame", e->frame));
    if (e->jre_version)
        safe_msg(out, indent, MSG_HSERR_TEXT_JRE, lang, MSG_S("version", e->jre_version));
}

json_t *hserr_json(const struct hs_err *e)
{
    return json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "error", report_json_text(e->error),
        "signal", report_json_text(e->signal), "pid", e->pid ? json_integer(e->pid) : json_null(),
        "frame", report_json_text(e->frame), "jre_version", report_json_text(e->jre_version),
        "java_vm", report_json_text(e->java_vm), "native_oom", e->native_oom, "oom_detail",
        report_json_text(e->oom_detail), "report_path", report_json_text(e->report_path));
}
