/*
 * startmark.c - a service's start-finished marker in its log (see startmark.h).
 */
#include "startmark.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

#define CHUNK (1 << 20)
#define FILE_MAX (2ULL << 30)

static const char *const finished[] = {
    "Server startup in ",             /* Tomcat */
    " seconds (process running for ", /* Spring Boot 3 */
    " seconds (JVM running for ",     /* Spring Boot 1 and 2 */
};

bool startmark_is_finished(const char *line, size_t len)
{
    if (memmem(line, len, finished[0], strlen(finished[0])))
        return true;
    for (size_t i = 1; i < sizeof(finished) / sizeof(finished[0]); i++)
        if (memmem(line, len, finished[i], strlen(finished[i])) && memmem(line, len, "Started ", 8))
            return true;
    return false;
}

bool startmark_duration_ms(const char *line, size_t len, uint64_t *ms)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) - 1 ? len : sizeof(buf) - 1), line);
    const char *p = strstr(buf, "Server startup in ");
    if (p) { /* Tomcat: "in [412] milliseconds", older "in 412 ms" */
        p += 18;
        if (*p == '[')
            p++;
        char *end;
        double v = strtod(p, &end);
        if (end == p || v < 0 || v > 1e12)
            return false;
        *ms = (uint64_t)v;
        return true;
    }
    const char *started = strstr(buf, "Started ");
    const char *seconds = started ? strstr(started, " seconds (") : NULL;
    if (!seconds)
        return false;
    /* Spring Boot: "Started App in 5.152 seconds": the number before " seconds" */
    const char *q = seconds;
    while (q > started && (q[-1] == '.' || (q[-1] >= '0' && q[-1] <= '9')))
        q--;
    if (q == seconds || q - started < 4 || strncmp(q - 4, " in ", 4) != 0)
        return false;
    double v = strtod(q, NULL);
    if (v < 0 || v > 1e9)
        return false;
    *ms = (uint64_t)(v * 1000.0);
    return true;
}

int startmark_scan(const char *path, uint64_t from, uint64_t after, struct startmark *out)
{
    memset(out, 0, sizeof(*out));
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return -1;
    char *buf = xmalloc(CHUNK);
    struct strbuf cur = {0};
    uint64_t number = 0, total = 0, line_at = 0; /* line_at: the offset of the line read */
    int n;
    for (;;) {
        if (total >= FILE_MAX && from > total) {
            /* past the cap for earlier starts' durations: on to this start's part */
            if (!gzdirect(gz) || gzseek(gz, (z_off_t)from, SEEK_SET) != (z_off_t)from)
                break;
            total = line_at = from;
            cur.len = 0;
        } else if (total >= FILE_MAX && from == 0) {
            break;
        }
        if ((n = gzread(gz, buf, CHUNK)) <= 0)
            break;
        uint64_t base = total;
        total += (uint64_t)n;
        const char *p = buf, *end = buf + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            if (cur.len < 64 * 1024)
                strbuf_append(&cur, p, (size_t)(le - p));
            if (!nl)
                break;
            /* lines before `from` count for the durations only, and are not numbered */
            bool numbered = line_at >= from;
            number += numbered;
            line_at = base + (uint64_t)(nl + 1 - buf);
            if (cur.len && startmark_is_finished(cur.data, cur.len)) {
                uint64_t ms;
                if (startmark_duration_ms(cur.data, cur.len, &ms)) {
                    out->n_durations++;
                    if (ms > out->max_ms)
                        out->max_ms = ms;
                }
                if (numbered && number > after) {
                    out->finished = true;
                    out->line = number;
                    snprintf(out->text, STARTMARK_TEXT_MAX, "%.*s", (int)cur.len, cur.data);
                }
            }
            cur.len = 0;
            p = nl + 1;
        }
    }
    strbuf_free(&cur);
    free(buf);
    gzclose(gz);
    return 0;
}
