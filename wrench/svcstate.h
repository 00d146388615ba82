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

#include "messages.h"
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
    char *what;    /* "HTTP connector", "shutdown port", "server.port (Spring Boot)" */
    char *what_zh; /* the same in Simplified Chinese ("HTTP 连接器") */
    char *source;  /* the file or option that declares it */
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

/* What a scan saw of a running JVM, kept in the store (store.h, jvm_sightings) because its
 * working directory and flags vanish from /proc with it: a later scan of the service with
 * no JVM looks for its crash files there. Handed to the analysis as plain structs. */
struct jvm_sighting {
    char *identity;       /* model.h service.identity: "runit DIR", "jar PATH", ... */
    int pid;              /* as /proc showed it */
    int64_t started;      /* unix time the JVM started; -1 unknown */
    char *cwd;            /* its working directory (target path); NULL unknown */
    char *error_file;     /* -XX:ErrorFile as given; NULL when not given */
    char *heap_dump_path; /* -XX:HeapDumpPath as given; NULL when not given */
    char *command;        /* its arguments, secrets masked */
    int64_t last_seen;    /* unix time of the scan that saw it */
};
void jvm_sighting_clear(struct jvm_sighting *s);
void jvm_sightings_free(struct jvm_sighting *s, size_t n);
void jvm_sighting_copy(struct jvm_sighting *to, const struct jvm_sighting *from);

#define SVCSTATE_STARTS_MAX 50 /* starts kept per service, the newest */

/* One start of the service, from its logs' start markers (Tomcat's "Server version name:",
 * Spring Boot's "Starting App ... using Java"), and the start-finished marker after it. */
struct svc_start {
    int64_t at_ms;       /* the marker's time in ms since the epoch; -1 when it has none */
    char *file;          /* the log holding it */
    uint64_t line;       /* its physical line */
    bool finished;       /* a start-finished marker follows before the next start */
    int64_t finished_ms; /* that marker's time; -1 unknown */
    uint64_t took_ms;    /* the duration the marker gives ("in [412] milliseconds"); 0 none */
};

struct thread_dump; /* threaddump.h */
struct hs_err;      /* hserr.h */

struct service_state {
    char *service; /* the discovered service's name */
    char *kind;
    int pid;
    enum run_state state;
    char *reason;       /* one sentence */
    char *reason_zh;    /* the same in Chinese (messages.h); NULL in scans stored before it */
    char **evidence;    /* the facts the state rests on */
    char **evidence_zh; /* the same in Chinese, one for each; none in scans stored before it */
    size_t n_evidence, evidence_cap, n_evidence_zh, evidence_zh_cap;

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
    char **notes_zh; /* the same in Chinese, one for each; none in scans stored before it */
    size_t n_notes_zh, notes_zh_cap;

    /* Thread dump (attach.h): asked for with --thread-dump. */
    char *dump_status;        /* NULL: not asked; "taken", or why not */
    char *dump_status_zh;     /* the same in Chinese; NULL in scans stored before it */
    char *dump_text;          /* the raw dump; NULL when none */
    struct thread_dump *dump; /* parsed; NULL when none */
    char *dump_summary;       /* the main thread's waiting frame in one line */
    char *dump_summary_zh;    /* the same in Chinese */

    /* Crash evidence of a dead service. */
    char *hs_err_path;
    struct hs_err *hs_err; /* parsed */
    char **heap_dumps;     /* "path (N bytes, time)" */
    size_t n_heap_dumps, heap_dumps_cap;
    char **heap_dumps_zh; /* the same in Chinese, one for each; none in scans stored before it */
    size_t n_heap_dumps_zh, heap_dumps_zh_cap;
    char *last_jvm_dump;        /* a heap dump its last JVM wrote (crashfiles.h); NULL none */
    int64_t last_jvm_dump_time; /* its mtime, Unix seconds */
    char *last_exit;            /* from the runit finish record: "exit 1", "signal 9 (SIGKILL)" */
    char *last_exit_zh;         /* the same in Chinese; NULL in scans stored before it */

    /* runit */
    char *runit_dir;      /* the service directory */
    char *runit_stat;     /* supervise/stat: "down", "run", "finish" */
    int64_t since_s;      /* seconds since supervise/status' last change; -1 unknown */
    bool runit_down_file; /* its directory has a `down` file: started only when asked */
    bool down_as_told;    /* down because of that file, and nothing says it ever ran */

    /* --probe */
    char *probe_url;
    int probe_status; /* HTTP status; 0 when no answer */
    long probe_ms;
    char *probe_error;

    char *identity; /* the discovered service's identity (model.h); NULL when none */
    /* A running JVM: what this scan saw of it (to be stored). A service with no JVM: what
     * the store's last sighting of it said (where its crash files were looked for). */
    struct jvm_sighting *sighting;

    /* The starts its logs record, oldest first: the newest SVCSTATE_STARTS_MAX of
     * starts_total. */
    struct svc_start *starts;
    size_t n_starts, starts_cap;
    size_t starts_total;
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
    /* What the store saw of earlier JVMs (borrowed; read before the scan by its caller). */
    const struct jvm_sighting *sightings;
    size_t n_sightings;
};

/* Fill scan->states from scan->discovery (nothing without discovery). Never fails: what
 * cannot be read becomes a note. */
void svcstate_evaluate(struct scan *scan, const struct state_options *opt);

/* One finding per service that is not up (service-hung, service-down, service-crashed), so
 * that the verdict names it; after every source of state (logdumps.c) has had its say. */
void svcstate_add_findings(struct scan *scan);

void service_state_clear(struct service_state *s);
void service_states_free(struct service_state *states, size_t n);

/* Set the thread dump's status: message `id` (messages.h) in each language. */
void service_state_set_dump_status(struct service_state *st, enum msg_id id,
                                   const struct msg_arg *args);

/* Add one line of evidence: message `id` (messages.h) with `args`, in each language. */
void service_state_evidence_args(struct service_state *s, enum msg_id id,
                                 const struct msg_arg *args);
#define service_state_evidence(s, id, ...)                                                         \
    service_state_evidence_args((s), (id), MSG_ARGS(__VA_ARGS__))

#endif
