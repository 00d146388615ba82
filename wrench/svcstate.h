/*
 * svcstate.h - is each service up, and if not, why. Every discovered JVM and
 * every declared service with no JVM gets a state with its evidence:
 *   UP        its declared ports listen (or, with none declared, it listens on some);
 *   STARTING  a declared port is not listening yet, and the JVM is younger than the
 *             start timeout;
 *   HUNG      older than the start timeout with a declared port not listening, no port
 *             at all, or an accept queue that stays full;
 *   DOWN      no JVM runs it;
 *   CRASHED   no JVM runs it, and it left crash evidence (hs_err, a fatal signal).
 * The facts come from /proc (uptime, threads, RSS, open files, sockets), the
 * service's configuration (svcports.h), its logs (the BindException of a port), and
 * for a dead service the crash files and runit's supervise directory.
 */
#ifndef WRENCH_SVCSTATE_H
#define WRENCH_SVCSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define SVCSTATE_START_TIMEOUT_S 120 /* default --start-timeout, when the logs know no start */
#define SVCSTATE_START_MIN_S 30      /* the least a timeout from earlier starts may be */

enum run_state {
    RUN_UNKNOWN,
    RUN_UP,
    RUN_STARTING,
    RUN_HUNG,
    RUN_DOWN,
    RUN_CRASHED,
};
/* "unknown", "up", "starting", "hung", "down", "crashed". */
const char *run_state_name(enum run_state s);

/* A port the service declares, and whether it listens. */
struct state_port {
    int port;
    char *what;   /* "HTTP connector", "shutdown port", "server.port (Spring Boot)" */
    char *source; /* the file or option that declares it */
    bool listening;
    char *log_finding; /* the title of the log finding naming this port (BindException) */
};

/* A socket the JVM listens on. */
struct state_listen {
    char addr[64];
    int port;
    uint32_t accept_queue; /* connections waiting to be accepted */
    bool queue_stuck;      /* connections waited in two reads, the second no fewer */
};

struct thread_dump; /* threaddump.h */
struct hs_err;      /* hserr.h */

struct service_state {
    char *service; /* the discovered service's name */
    char *kind;
    int pid;
    enum run_state state;
    char *reason;    /* one sentence */
    char **evidence; /* the facts the state rests on */
    size_t n_evidence, evidence_cap;

    /* The running JVM (pid != 0); -1 / 0 when unknown. */
    int64_t uptime_s;
    long threads;
    uint64_t rss;          /* bytes */
    uint64_t memory_limit; /* bytes, 0 when none or unknown */
    long open_fds;
    uint64_t fd_limit; /* 0 unknown */

    struct state_port *declared;
    size_t n_declared, declared_cap;
    struct state_listen *listening;
    size_t n_listening, listening_cap;
    char **notes; /* ports not resolved, sockets not readable */
    size_t n_notes, notes_cap;

    /* Thread dump (attach.h): asked for with --thread-dump. */
    char *dump_status;        /* NULL: not asked; "taken", or why not */
    char *dump_text;          /* the raw dump; NULL when none */
    struct thread_dump *dump; /* parsed; NULL when none */
    char *dump_summary;       /* the main thread's waiting frame in one line */

    /* Crash evidence of a dead service. */
    char *hs_err_path;
    struct hs_err *hs_err; /* parsed */
    char **heap_dumps;     /* "path (N bytes, time)" */
    size_t n_heap_dumps, heap_dumps_cap;
    char *last_exit; /* from the runit finish record: "exit 1", "signal 9 (SIGKILL)" */

    /* runit */
    char *runit_dir;  /* the service directory */
    char *runit_stat; /* supervise/stat: "down", "run", "finish" */
    int64_t since_s;  /* seconds since supervise/status' last change; -1 unknown */

    /* --probe */
    char *probe_url;
    int probe_status; /* HTTP status; 0 when no answer */
    long probe_ms;
    char *probe_error;
};

struct state_options {
    const char *proc_root;   /* NULL: /proc */
    const char *cgroup_root; /* NULL: /sys/fs/cgroup */
    const char *root;        /* NULL: "/" */
    int start_timeout_s;     /* 0: SVCSTATE_START_TIMEOUT_S */
    bool thread_dump;        /* attach to each running JVM and take a thread dump */
    bool dump_hung_only;     /* ... only to those found hung */
    int dump_timeout_s;      /* 0: ATTACH_REPLY_TIMEOUT_S */
    const char *probe_url;   /* NULL: no probe */
};

/* Fill scan->states from scan->discovery (nothing without discovery). Never fails: what
 * cannot be read becomes a note. */
void svcstate_evaluate(struct scan *scan, const struct state_options *opt);

/* One finding per service that is not up (service-hung, service-down, service-crashed), so
 * that the verdict names it; after every source of state (logdumps.c) has had its say. */
void svcstate_add_findings(struct scan *scan);

void service_state_clear(struct service_state *s);
void service_states_free(struct service_state *states, size_t n);

/* Add one line of evidence (printf-style). */
void service_state_evidence(struct service_state *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
