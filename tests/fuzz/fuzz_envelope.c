/*
 * fuzz_envelope.c - libFuzzer harness for the envelope and JSON-line readers
 * (envelope.c) and their way into the scanner: the first byte chooses the
 * format (auto-detected, or one of plain, svlogd, cri, docker, json) and the
 * chunk size the decoder is fed with; the rest is the log.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "logmodel.h"
#include "logscan.h"
#include "rules.h"
#include "util.h"

static struct rule_set *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_record(const struct envelope_record *rec, void *ctx)
{
    size_t *total = ctx;
    *total += rec->len;
    if (memchr(rec->timestamp, '\0', ENVELOPE_TS_MAX) == NULL)
        abort(); /* a timestamp is always a bounded C string */
}

static void decode_in_pieces(enum log_format format, const char *log, size_t len, size_t piece)
{
    size_t total = 0;
    struct envelope_decoder *d = envelope_decoder_new(format, check_record, &total);
    for (size_t off = 0; off < len; off += piece)
        envelope_decoder_feed(d, log + off, len - off < piece ? len - off : piece);
    envelope_decoder_finish(d);
    if (envelope_decoder_lines(d) > len + 1)
        abort();
    envelope_decoder_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[WR_ERR_MAX];
    if (!rules && rules_load(&rules, NULL, err) != 0)
        abort(); /* the embedded rules must load: a broken build, not an input */
    if (size == 0)
        return 0;
    unsigned choice = data[0] % (LOG_FORMAT_COUNT + 1);
    size_t piece = 1 + data[0] / (LOG_FORMAT_COUNT + 1);
    const char *log = (const char *)data + 1;
    size_t len = size - 1;

    enum log_format detected = envelope_detect(log, len);
    if ((unsigned)detected >= LOG_FORMAT_COUNT)
        abort();
    for (enum log_format f = LOG_FORMAT_SVLOGD; f < LOG_FORMAT_COUNT; f++)
        decode_in_pieces(f, log, len, piece);

    struct strbuf out = {0};
    char ts[ENVELOPE_TS_MAX];
    if (envelope_json_record(log, len, &out, ts) == 0 && (!out.data || strlen(out.data) != out.len))
        abort(); /* decoded text is one C string (JSON with \u0000 is refused) */
    strbuf_free(&out);

    struct log_report report = {0};
    struct logscan *ls = logscan_new(rules, &report);
    if (choice < LOG_FORMAT_COUNT)
        logscan_set_format(ls, (enum log_format)choice);
    logscan_set_since(ls, 0);
    logscan_buffer(ls, "fuzz.log", log, len, LOG_KIND_APP);
    logscan_finish(ls);
    logscan_free(ls);
    log_report_clear(&report);
    return 0;
}
