/*
 * container.h - the limits a Java service runs under, as the kernel states
 * them: the cgroup (v1 or v2) memory limit, usage and OOM kills, the CPU
 * quota, the open-files limit and the free space of chosen directories. Then
 * the findings they call for, alone and against a JVM's memory flags: a heap
 * that cannot fit the container, OOM kills, a small CPU quota, a low
 * open-files limit, a nearly full disk.
 *
 * The cgroup and proc roots are parameters so that tests run on fixture
 * trees. Reading never fails as a whole: what is absent stays unknown, with a
 * note when its absence is worth saying.
 */
#ifndef WRENCH_CONTAINER_H
#define WRENCH_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jvm.h"
#include "model.h"

#define CONTAINER_CGROUP_ROOT "/sys/fs/cgroup"
#define CONTAINER_NO_LIMIT UINT64_MAX
/* cgroup v1 says "no limit" with a huge page-aligned number (9223372036854771712
 * on 4 KiB pages); anything from here up is taken as unlimited. */
#define CONTAINER_V1_UNLIMITED (1ULL << 62)

/* Thresholds of the findings. */
#define CONTAINER_NOFILE_MIN 4096                      /* open files: warning below */
#define CONTAINER_DISK_MIN_FREE (100ULL * 1000 * 1000) /* bytes: warning below */
#define CONTAINER_DISK_MIN_FREE_PCT 5                  /* percent: warning below */
#define CONTAINER_NONHEAP_MIN (256ULL << 20)           /* default non-heap margin floor */
#define CONTAINER_NONHEAP_HEAP_PCT 25                  /* default margin: share of the heap */
#define CONTAINER_JVM_BASE_OVERHEAD (64ULL << 20) /* code cache, GC, threads: when flags given */
#define CONTAINER_METASPACE_GUESS (128ULL << 20)  /* metaspace when only direct memory is set */

enum cgroup_version {
    CGROUP_NONE, /* no cgroup filesystem found */
    CGROUP_V1,
    CGROUP_V2,
};
const char *cgroup_version_name(enum cgroup_version v);

struct container_facts {
    enum cgroup_version version;
    char *cgroup_path; /* the process's cgroup from /proc/PID/cgroup; NULL unknown */
    char *memory_dir;  /* directory the memory values came from; NULL none */
    char *cpu_dir;     /* directory the CPU values came from; NULL none */

    bool memory_limit_known;
    uint64_t memory_limit; /* bytes, CONTAINER_NO_LIMIT when unlimited; the smallest
                            * limit from the cgroup up to the mount root */
    bool memory_usage_known;
    uint64_t memory_usage; /* bytes */
    bool oom_kills_known;
    uint64_t oom_kills; /* processes the OOM killer ended in this cgroup */
    bool memory_failcnt_known;
    uint64_t memory_failcnt; /* v1: times the limit was hit */

    bool cpu_known;
    bool cpu_limited;       /* false: no quota */
    uint64_t cpu_quota_us;  /* with cpu_limited */
    uint64_t cpu_period_us; /* with cpu_limited */

    bool nofile_known;
    uint64_t nofile_soft; /* CONTAINER_NO_LIMIT when unlimited */
    uint64_t nofile_hard;

    bool host_memory_known;
    uint64_t host_memory; /* MemTotal of <proc>/meminfo, bytes */

    char **notes;
    size_t n_notes;
    size_t notes_cap;
};

/* Read the facts of process `pid` (0: the calling process) with the cgroup
 * filesystem at `cgroup_root` (NULL: /sys/fs/cgroup) and proc at `proc_root`
 * (NULL: /proc). Never fails; *out is overwritten, free with container_facts_clear(). */
void container_read(const char *cgroup_root, const char *proc_root, int pid,
                    struct container_facts *out);
void container_facts_clear(struct container_facts *f);

/* Parse the text of /proc/PID/limits for "Max open files". Returns 0 and sets
 * both values (CONTAINER_NO_LIMIT for "unlimited"), or -1 when the line is absent or bad. */
int container_parse_limits(const char *text, uint64_t *soft, uint64_t *hard);

struct disk_space {
    char *path;
    uint64_t total; /* bytes */
    uint64_t avail; /* bytes available to unprivileged users */
};

/* statvfs of `dir`. Returns 0 and fills *out (path copied; free with
 * disk_space_clear()), or -1 with err naming the directory. */
int container_disk_space(const char *dir, struct disk_space *out, char *err);
void disk_space_clear(struct disk_space *d);

/* A JVM's heap as the JVM would size it. */
struct heap_estimate {
    uint64_t max_heap;    /* bytes */
    uint64_t non_heap;    /* margin for metaspace, threads, code cache, direct buffers */
    uint64_t memory_base; /* the memory the heap was taken from (0 with -Xmx) */
    const char *basis;    /* static text: how max_heap was found */
};

/* Work out the maximum heap: -Xmx, else MaxRAMPercentage (default 25%) of
 * MaxRAM, the container limit (unless -XX:-UseContainerSupport) or the host's
 * memory, with HotSpot's small-memory rule (MinRAMPercentage). Returns 0, or
 * -1 when nothing to base it on is known. */
int container_heap_estimate(const struct container_facts *f, const struct jvm_memory *m,
                            struct heap_estimate *out);

/* A finding about the container or a JVM in it. */
struct finding {
    enum severity severity;
    char *id;                   /* stable, e.g. "memory-heap-exceeds-limit" */
    char *title;                /* one sentence */
    char *detail;               /* the numbers behind it */
    char *title_zh, *detail_zh; /* the same in Simplified Chinese (messages.h) */
};

struct finding_list {
    struct finding *items;
    size_t n;
    size_t cap;
};

/* Findings from the facts alone and the given disks: OOM kills (error), CPU
 * quota under one core (info), open files under CONTAINER_NOFILE_MIN
 * (warning), a disk under 5% or 100 MB free (warning). Appends to *out. */
void container_check(const struct container_facts *f, const struct disk_space *disks,
                     size_t n_disks, struct finding_list *out);

/* Findings for one JVM against the memory limit: heap at or over the limit
 * (error), heap plus the non-heap margin over it (warning), container support
 * switched off under a limit (warning). Appends to *out. */
void container_check_jvm(const struct container_facts *f, const struct jvm_process *p,
                         struct finding_list *out);

void finding_list_free(struct finding_list *list);

#endif
