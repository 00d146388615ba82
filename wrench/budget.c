/*
 * budget.c - the scan's priority and memory budget (see budget.h). The usage is one
 * atomic counter: jar.c takes from it before a large allocation and gives back on free,
 * the reader takes for each entry's classes and keeps them until the scan ends.
 */
#include "budget.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "container.h"
#include "model.h"
#include "util.h"

/* linux/ioprio.h, which not every libc ships */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_IDLE 3
#define IOPRIO_WHO_PROCESS 1

static _Atomic uint64_t budget_limit = BUDGET_DEFAULT_NO_LIMIT;
static _Atomic uint64_t budget_in_use;
static atomic_bool budget_lower = true;

int budget_parse_size(const char *text, uint64_t *out)
{
    if (!text || !*text)
        return -1;
    size_t len = strlen(text);
    uint64_t unit = 1;
    char last = text[len - 1];
    if (last == 'k' || last == 'K')
        unit = 1u << 10;
    else if (last == 'm' || last == 'M')
        unit = 1u << 20;
    else if (last == 'g' || last == 'G')
        unit = 1u << 30;
    char digits[32];
    size_t n = unit == 1 ? len : len - 1;
    if (n == 0 || n >= sizeof digits)
        return -1;
    memcpy(digits, text, n);
    digits[n] = '\0';
    uint64_t v;
    if (parse_u64(digits, &v) != 0 || v > UINT64_MAX / unit)
        return -1;
    *out = v * unit;
    return 0;
}

void budget_format(uint64_t bytes, char *out, size_t size)
{
    if (bytes >= (1u << 30))
        snprintf(out, size, "%.1f GiB", (double)bytes / (1u << 30));
    else if (bytes >= (1u << 20))
        snprintf(out, size, "%.1f MiB", (double)bytes / (1u << 20));
    else
        snprintf(out, size, "%.1f KiB", (double)bytes / (1u << 10));
}

uint64_t budget_default(const char *cgroup_root, const char *proc_root, char *basis)
{
    struct container_facts f;
    container_read(cgroup_root, proc_root, 0, &f);
    uint64_t budget = BUDGET_DEFAULT_NO_LIMIT;
    char limit[32];
    if (f.memory_limit_known && f.memory_limit < CONTAINER_NO_LIMIT) {
        budget = f.memory_limit / 4;
        if (budget > BUDGET_DEFAULT_MAX)
            budget = BUDGET_DEFAULT_MAX;
        if (budget < BUDGET_MIN)
            budget = BUDGET_MIN;
        budget_format(f.memory_limit, limit, sizeof limit);
        snprintf(basis, BUDGET_TEXT_MAX, "a quarter of the container's memory limit of %s%s", limit,
                 budget == BUDGET_DEFAULT_MAX ? ", at most 1 GiB" : "");
    } else {
        snprintf(basis, BUDGET_TEXT_MAX, "no container memory limit: the default");
    }
    container_facts_clear(&f);
    return budget;
}

void budget_configure(uint64_t max_bytes, bool lower_priority)
{
    atomic_store(&budget_limit, max_bytes);
    atomic_store(&budget_lower, lower_priority);
}

uint64_t budget_max(void)
{
    return atomic_load(&budget_limit);
}

void budget_begin_scan(char *what)
{
    atomic_store(&budget_in_use, 0);
    if (!atomic_load(&budget_lower)) {
        snprintf(what, BUDGET_TEXT_MAX, "normal priority (--full-priority)");
        return;
    }
    /* On Linux both are per thread, and inherited by the threads this one starts. */
    errno = 0;
    int nice_now = getpriority(PRIO_PROCESS, 0);
    bool niced =
        errno == 0 && (nice_now >= BUDGET_NICE || setpriority(PRIO_PROCESS, 0, BUDGET_NICE) == 0);
    bool idle = syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
                        IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT) == 0;
    snprintf(what, BUDGET_TEXT_MAX, "%s, %s", niced ? "nice 10" : "nice unchanged",
             idle ? "I/O idle" : "I/O priority unchanged");
}

bool budget_take(uint64_t bytes)
{
    uint64_t limit = atomic_load(&budget_limit);
    uint64_t used = atomic_load(&budget_in_use);
    do {
        if (bytes > limit || used > limit - bytes)
            return false;
    } while (!atomic_compare_exchange_weak(&budget_in_use, &used, used + bytes));
    return true;
}

void budget_give(uint64_t bytes)
{
    atomic_fetch_sub(&budget_in_use, bytes);
}

uint64_t budget_used(void)
{
    return atomic_load(&budget_in_use);
}

void budget_add_facts(struct scan *scan, const char *basis, const char *priority)
{
    if (!scan)
        return;
    char max[32];
    budget_format(budget_max(), max, sizeof max);
    char *value = xasprintf("%s (%s)", max, basis);
    scan_add_fact(scan, "wrench memory budget", value);
    free(value);
    scan_add_fact(scan, "wrench priority", priority);
}
