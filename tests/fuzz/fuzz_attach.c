/*
 * fuzz_attach.c - libFuzzer harness for what the attach protocol reads from a JVM and
 * its /proc entry: the reply (result code line, then text, then the thread dump parser
 * on that text) and /proc/PID/status.
 */
#include <stdint.h>
#include <stdlib.h>

#include "attach.h"
#include "threaddump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    int code;
    size_t body;
    if (attach_parse_reply(text, size, &code, &body) == 0) {
        struct thread_dump *d;
        if (threaddump_parse(text + body, size - body, &d) == 0)
            threaddump_free(d);
    }
    struct attach_status st;
    if (attach_parse_status(text, size, &st) == 0)
        (void)attach_quit_is_handled(&st);
    return 0;
}
