/*
 * threaddump.h - read a HotSpot thread dump (from the attach protocol, a
 * `kill -3` in the service's output, a jstack or `jcmd Thread.print` pasted
 * into a log) into what a person needs first: where the main thread and the
 * start threads wait, in one line each ("main waits in sun.nio.ch.Net.poll
 * via java.net.Socket$SocketInputStream.read under Hang.main"), the Java-level
 * deadlocks with their lock chain, the threads blocked on one monitor grouped
 * with its holder, and identical stacks folded with a count.
 *
 * Formats accepted (openjdk javaThread.cpp, thread.cpp, osThread.cpp, vframe.cpp,
 * threadService.cpp): headers with or without "[os-tid]", cpu=/elapsed=, hex or
 * decimal nid; frames "\tat C.m(F.java:N)"; lock lines "- locked", "- waiting to
 * lock", "- waiting on", "- parking to wait for"; the deadlock section.
 */
#ifndef WRENCH_THREADDUMP_H
#define WRENCH_THREADDUMP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "messages.h"

#define THREADDUMP_THREADS_MAX 20000 /* threads kept from one dump */
#define THREADDUMP_FRAMES_MAX 1024   /* frames kept per thread */
#define THREADDUMP_LOCKS_MAX 256     /* "- locked" lines kept per thread */

struct td_thread {
    char *name;
    bool daemon;
    char *state;    /* java.lang.Thread.State: RUNNABLE, BLOCKED (on object monitor)...; or NULL */
    char *os_state; /* the header's last words: "waiting on condition", "runnable"... */
    char **frames;  /* "java.lang.Thread.sleep(java.base@17/Native Method)" without "at " */
    size_t n_frames, frames_cap;
    char *blocked_on; /* "- waiting to lock <0x...> (a C)": "0x... (a C)" */
    char *waiting_on; /* "- waiting on" or "- parking to wait for": "0x... (a C)" */
    char **locked;    /* "- locked <0x...> (a C)": "0x... (a C)" */
    size_t n_locked, locked_cap;
};

/* One Java-level deadlock: each thread, the lock it waits for and who holds it. */
struct td_deadlock {
    char **links; /* "\"t1\" waits for monitor 0x... (object 0x..., a C) held by \"t2\"" */
    size_t n_links, links_cap;
    char **links_zh; /* the same in Chinese (messages.h), one for each */
    size_t n_links_zh, links_zh_cap;
};

/* Threads sharing a lock they wait for, or an identical stack. */
struct td_group {
    char *key;    /* the lock "0x... (a C)", or the top frame of the stack */
    char *holder; /* lock groups: the thread holding the monitor; NULL unknown */
    char **threads;
    size_t n_threads, threads_cap;
    char *state;     /* stack groups: the Thread.State they share */
    size_t n_frames; /* stack groups: frames in the stack */
    size_t first;    /* index of the first thread of the group */
};

struct thread_dump {
    char *header; /* "Full thread dump OpenJDK 64-Bit Server VM (17.0.2+8 mixed mode)"; NULL */
    struct td_thread *threads;
    size_t n_threads, threads_cap;
    struct td_deadlock *deadlocks;
    size_t n_deadlocks, deadlocks_cap;
    /* Derived by threaddump_parse(): */
    char **waits; /* one line per main or start thread: "main waits in X via Y under Z" */
    size_t n_waits, waits_cap;
    char **waits_zh; /* the same in Chinese (messages.h), one for each */
    size_t n_waits_zh, waits_zh_cap;
    struct td_group *blocked; /* monitors with the threads blocked on them, most first */
    size_t n_blocked, blocked_cap;
    struct td_group *stacks; /* identical stacks of two threads or more, most first */
    size_t n_stacks, stacks_cap;
    bool truncated; /* threads or frames over the caps were dropped */
};

/* Parse a thread dump found anywhere in `text` (lines before it are skipped). Returns 0
 * with *out set (threaddump_free) when at least one thread or deadlock was read, -1 when
 * the text holds none. Never reads outside [text, text+len). */
int threaddump_parse(const char *text, size_t len, struct thread_dump **out);
void threaddump_free(struct thread_dump *d);

/* True when `line` starts a thread dump or its deadlock report. */
bool threaddump_is_start(const char *line, size_t len);

/* The one-line summary a report leads with: the first wait line, else the deadlock, else
 * "N threads, none waiting in main". New string. */
char *threaddump_summary(const struct thread_dump *d);
/* The same in `lang` (messages.h): wrench's words translated, the JVM's (names, frames,
 * states, locks) as they are. */
char *threaddump_summary_lang(const struct thread_dump *d, enum lang lang);

/* Waits, deadlocks, blocked monitors and folded stacks, each line starting with indent; the
 * dump's names, locks and frames escaped (safetext.h): a thread names itself. */
void threaddump_write_text(const struct thread_dump *d, FILE *out, const char *indent,
                           enum lang lang);

/* {"header", "threads", "waits", "deadlocks", "blocked", "stacks"}: new reference. */
json_t *threaddump_json(const struct thread_dump *d);

#endif
