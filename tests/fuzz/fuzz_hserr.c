/*
 * fuzz_hserr.c - libFuzzer harness for the hs_err / fatal error banner parser, the runit
 * run and log/run script readers and runit's status and exit records: files a dead
 * service leaves behind.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "hserr.h"
#include "runit.h"
#include "svcports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct hs_err *e;
    if (hserr_parse(text, size, &e) == 0) {
        free(hserr_summary(e));
        free(hserr_summary_lang(e, LANG_ZH));
        json_decref(hserr_json(e));
        hserr_free(e);
    }
    struct runit_command c;
    if (runit_parse_run(text, size, &c) == 0)
        runit_command_clear(&c);
    free(runit_parse_log_run(text, size));
    struct runit_status rs;
    runit_parse_status(data, size, &rs);
    int64_t when;
    int code, sig;
    if (runit_parse_exit(text, size, &when, &code, &sig) == 0)
        free(runit_describe_exit(code, sig));
    struct port_list l = {0};
    svcports_server_xml(text, size, "fuzz.xml", NULL, 0, &l);
    port_list_free(&l);
    free(svcports_config_value(text, size, true, "server.port"));
    free(svcports_config_value(text, size, false, "server.port"));
    return 0;
}
