/*
 * budget.h - wrench as a good neighbour of the JVM it diagnoses: a scan lowers
 * its own CPU and I/O priority (nice 10, the idle I/O class) and keeps to a
 * memory budget, so that it never makes the service slower or gets it (or
 * itself) OOM-killed. The budget is the sum of wrench's large buffers (central
 * directories, entries read, nested jars inflated) and its class indexes; what
 * does not fit is skipped and reported by the caller, naming the budget.
 */
#ifndef WRENCH_BUDGET_H
#define WRENCH_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDGET_NICE 10                       /* the nice value a scan takes */
#define BUDGET_DEFAULT_NO_LIMIT (512u << 20) /* without a container memory limit */
#define BUDGET_DEFAULT_MAX (1024u << 20)     /* the default never exceeds this */
#define BUDGET_MIN (64u << 10)               /* --max-memory below this is refused */
#define BUDGET_TEXT_MAX 128

/* Parse a size such as 512M, 1G, 65536, 64k (K, M, G: powers of 1024). Returns 0 or -1. */
int budget_parse_size(const char *text, uint64_t *out);

/* The default budget: a quarter of the memory limit of wrench's own cgroup (read under
 * cgroup_root, NULL: /sys/fs/cgroup, and proc_root, NULL: /proc), at most 1 GiB; 512 MiB
 * when there is no limit. `basis` (BUDGET_TEXT_MAX bytes) says where it came from. */
uint64_t budget_default(const char *cgroup_root, const char *proc_root, char *basis);

/* Set the budget of the scans that follow, and whether they lower their priority. */
void budget_configure(uint64_t max_bytes, bool lower_priority);
uint64_t budget_max(void);

/* Start a scan on the calling thread: the usage is reset, and unless configured otherwise
 * the calling thread (and the threads it starts) takes nice BUDGET_NICE and the idle I/O
 * class. `what` (BUDGET_TEXT_MAX bytes) receives what was done, e.g. "nice 10, I/O idle". */
void budget_begin_scan(char *what);

/* Take `bytes` from the budget: false (nothing taken) when they do not fit. Thread-safe. */
bool budget_take(uint64_t bytes);
/* Give back bytes taken. */
void budget_give(uint64_t bytes);
/* Bytes taken now. */
uint64_t budget_used(void);

/* "2.0 MiB" */
void budget_format(uint64_t bytes, char *out, size_t size);

struct scan;

/* Record the budget and the priority as environment facts: "wrench memory budget",
 * "wrench priority". */
void budget_add_facts(struct scan *scan, const char *basis, const char *priority);

#endif
