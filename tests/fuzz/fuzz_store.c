/*
 * fuzz_store.c - libFuzzer harness for the store's loader: the input is a
 * database file. It is opened as `wrench history/show/diff` open one, every
 * scan listed is loaded, rendered as JSON and text, and diffed with the one
 * before. A damaged database must be refused (STORE_FAILED), never crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "model.h"
#include "report_json.h"
#include "report_text.h"
#include "store.h"
#include "util.h"

#define FUZZ_MAX_SCANS 8

static void remove_db(const char *path)
{
    char side[256];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/wrench-fuzz-store-%ld.db", (long)getpid());
    remove_db(path);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);

    char err[WR_ERR_MAX];
    struct store *st = NULL;
    if (store_open(&st, path, false, err) == STORE_OK) {
        struct store_scan_info *infos = NULL;
        size_t n = 0;
        if (store_list(st, &infos, &n, err) == STORE_OK) {
            FILE *sink = fopen("/dev/null", "w");
            struct scan *prev = NULL;
            for (size_t i = 0; i < n && i < FUZZ_MAX_SCANS; i++) {
                struct scan *scan = NULL;
                if (store_load_scan(st, infos[i].id, &scan, NULL, err) != STORE_OK)
                    continue;
                free(report_json_dump(scan));
                if (sink)
                    report_text_write(scan, sink, false);
                if (prev)
                    diff_free(diff_scans(scan, prev));
                scan_free(prev);
                prev = scan;
                int64_t before;
                store_previous(st, infos[i].id, &before, err);
            }
            scan_free(prev);
            if (sink)
                fclose(sink);
            store_scan_infos_free(infos, n);
        }
        int64_t latest;
        store_latest(st, &latest, err);
        store_close(st);
    }
    remove_db(path);
    return 0;
}
