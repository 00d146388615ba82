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

int startmark_find(const char *path, uint64_t after, uint64_t *line, char *text)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return -1;
    char *buf = xmalloc(CHUNK);
    struct strbuf cur = {0};
    uint64_t number = 0, total = 0;
    int found = 0, n;
    while (total < FILE_MAX && (n = gzread(gz, buf, CHUNK)) > 0) {
        total += (uint64_t)n;
        const char *p = buf, *end = buf + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            if (cur.len < 64 * 1024)
                strbuf_append(&cur, p, (size_t)(le - p));
            if (!nl)
                break;
            number++;
            if (number > after && cur.len && startmark_is_finished(cur.data, cur.len)) {
                *line = number;
                snprintf(text, STARTMARK_TEXT_MAX, "%.*s", (int)cur.len, cur.data);
                found = 1;
            }
            cur.len = 0;
            p = nl + 1;
        }
    }
    strbuf_free(&cur);
    free(buf);
    gzclose(gz);
    return found;
}
