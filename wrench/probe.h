/*
 * probe.h - `--probe URL`: one HTTP GET of a service's health endpoint on a
 * loopback address, with a short deadline; its status and latency go into the
 * service's state. Only http:// to a loopback host (127.0.0.0/8, ::1,
 * localhost) is probed: wrench does not call out of the container.
 */
#ifndef WRENCH_PROBE_H
#define WRENCH_PROBE_H

#define PROBE_TIMEOUT_MS 3000

struct probe_result {
    int status;      /* the HTTP status; 0 when none came */
    long latency_ms; /* until the status line arrived (or the failure) */
    char *error;     /* NULL on an answer; else why there was none (new string) */
};

/* GET `url`. Returns 0 when an HTTP status line came back, -1 otherwise (error set). */
int probe_get(const char *url, int timeout_ms, struct probe_result *out);

#endif
