/*
 * container.c - cgroup v1/v2 memory and CPU facts, the open-files limit, free
 * disk space, the JVM heap estimate and the findings declared in container.h.
 */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "messages.h"
#include "util.h"

#define CG_FILE_MAX (64 * 1024) /* bytes of one cgroup or proc file read */
#define CG_DEPTH_MAX 64         /* cgroup levels walked up looking for a limit */
#define JVM_DEFAULT_MAX_HEAP (96ULL * 1024 * 1024 * 13 / 10) /* HotSpot's MaxHeapSize default */
#define JVM_DEFAULT_MAX_RAM (128ULL << 30)                   /* HotSpot's MaxRAM default */
#define JVM_DEFAULT_MAX_RAM_PCT 25.0
#define JVM_DEFAULT_MIN_RAM_PCT 50.0

const char *cgroup_version_name(enum cgroup_version v)
{
    switch (v) {
    case CGROUP_V1:
        return "v1";
    case CGROUP_V2:
        return "v2";
    default:
        return "none";
    }
}

/* A note in English: the facts keep it so, and facttext.c words it in Chinese from the
 * same message. */
static void note_args(struct container_facts *f, enum msg_id id, const struct msg_arg *args)
{
    strv_push(&f->notes, &f->n_notes, &f->notes_cap, msg_render(id, LANG_EN, args));
}
#define note(f, id, ...) note_args((f), (id), MSG_ARGS(__VA_ARGS__))

/* A small text file (cgroup and proc files report size 0), NUL-terminated;
 * NULL with errno set when unreadable. Longer files are cut at CG_FILE_MAX. */
static char *read_small(const char *path)
{
    return read_text_capped(path, CG_FILE_MAX);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

/* A file holding one number, "max" (v2) or -1 (v1 quota): 1 and *out (with
 * CONTAINER_NO_LIMIT for "max", "-1" and v1's huge values), 0 when absent,
 * -1 when present but not a number. */
static int read_limit(const char *dir, const char *name, uint64_t *out)
{
    char *path = path_join(dir, name);
    char *text = read_small(path);
    free(path);
    if (!text)
        return 0;
    trim_end(text);
    int rc = 1;
    uint64_t v;
    if (strcmp(text, "max") == 0 || strcmp(text, "-1") == 0)
        *out = CONTAINER_NO_LIMIT;
    else if (parse_u64(text, &v) == 0)
        *out = v >= CONTAINER_V1_UNLIMITED ? CONTAINER_NO_LIMIT : v;
    else
        rc = -1;
    free(text);
    return rc;
}

/* The value of `key` in a "key value" per line file (memory.events,
 * memory.oom_control, memory.stat): 1 and *out, 0 when absent or unreadable. */
static int read_keyed(const char *dir, const char *name, const char *key, uint64_t *out)
{
    char *path = path_join(dir, name);
    char *text = read_small(path);
    free(path);
    if (!text)
        return 0;
    int rc = 0;
    size_t klen = strlen(key);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
            trim_end(line);
            if (parse_u64(line + klen + 1, out) == 0)
                rc = 1;
            break;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return rc;
}

/* The cgroup path of the process for a v2 hierarchy ("0::/path") or the v1
 * hierarchy whose controller list holds `controller`. New string or NULL. */
static char *cgroup_path_for(const char *text, const char *controller)
{
    char *copy = xstrdup(text);
    char *found = NULL;
    for (char *line = copy; line && *line && !found;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2) {
            *c1 = '\0';
            *c2 = '\0';
            const char *controllers = c1 + 1, *path = c2 + 1;
            if (!controller) {
                if (strcmp(line, "0") == 0 && !*controllers)
                    found = xstrdup(path);
            } else {
                /* Comma-separated list, e.g. "cpu,cpuacct" or "name=systemd". */
                size_t clen = strlen(controller);
                for (const char *p = controllers; *p;) {
                    const char *comma = strchr(p, ',');
                    size_t len = comma ? (size_t)(comma - p) : strlen(p);
                    if (len == clen && strncmp(p, controller, len) == 0) {
                        found = xstrdup(path);
                        break;
                    }
                    if (!comma)
                        break;
                    p = comma + 1;
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(copy);
    return found;
}

/* The directory of the cgroup `path` under the mount `mount`. Without a
 * cgroup namespace a container sees its own cgroup mounted at the root while
 * /proc/self/cgroup still names the host's path: then the mount itself is it. */
static char *cgroup_dir(struct container_facts *f, const char *mount, const char *path)
{
    if (path && strcmp(path, "/") != 0 && path[0] == '/' && !strstr(path, "/../")) {
        char *dir = xasprintf("%s%s", mount, path);
        if (is_dir(dir))
            return dir;
        note(f, MSG_CGROUP_NOT_UNDER, MSG_S("cgroup", path), MSG_S("mount", mount));
        free(dir);
    }
    return xstrdup(mount);
}

/* The smallest limit `name` from `dir` up to `mount` (a parent's limit binds too). */
static int smallest_limit_up(const char *mount, const char *dir, const char *name, uint64_t *out)
{
    char *cur = xstrdup(dir);
    int found = 0;
    uint64_t best = CONTAINER_NO_LIMIT;
    size_t mlen = strlen(mount);
    for (int depth = 0; depth < CG_DEPTH_MAX; depth++) {
        uint64_t v;
        int rc = read_limit(cur, name, &v);
        if (rc == 1) {
            found = 1;
            if (v < best)
                best = v;
        } else if (rc < 0 && !found) {
            found = -1;
        }
        if (strlen(cur) <= mlen)
            break;
        char *up = path_dirname(cur);
        free(cur);
        cur = up;
    }
    free(cur);
    if (found == 1)
        *out = best;
    return found;
}

static void read_v2(struct container_facts *f, const char *root, const char *cgroup_text)
{
    f->cgroup_path = cgroup_text ? cgroup_path_for(cgroup_text, NULL) : NULL;
    char *dir = cgroup_dir(f, root, f->cgroup_path);
    int rc = smallest_limit_up(root, dir, "memory.max", &f->memory_limit);
    if (rc == 1)
        f->memory_limit_known = true;
    else if (rc < 0)
        note(f, MSG_CGROUP_NOT_A_NUMBER, MSG_S("dir", dir), MSG_S("file", "memory.max"));
    else if (strcmp(dir, root) == 0)
        note(f, MSG_CGROUP_ROOT, MSG_S("dir", dir));
    uint64_t v;
    if (read_limit(dir, "memory.current", &v) == 1 && v != CONTAINER_NO_LIMIT) {
        f->memory_usage = v;
        f->memory_usage_known = true;
    }
    if (read_keyed(dir, "memory.events", "oom_kill", &f->oom_kills) == 1)
        f->oom_kills_known = true;
    f->memory_dir = xstrdup(dir);

    char *path = path_join(dir, "cpu.max");
    char *text = read_small(path);
    if (text) {
        trim_end(text);
        char *space = strchr(text, ' ');
        uint64_t quota, period;
        if (space) {
            *space = '\0';
            if (parse_u64(space + 1, &period) == 0 && period > 0) {
                if (strcmp(text, "max") == 0) {
                    f->cpu_known = true;
                } else if (parse_u64(text, &quota) == 0) {
                    f->cpu_known = f->cpu_limited = true;
                    f->cpu_quota_us = quota;
                    f->cpu_period_us = period;
                }
            }
        }
        if (!f->cpu_known)
            note(f, MSG_CGROUP_UNEXPECTED, MSG_S("path", path));
        else
            f->cpu_dir = xstrdup(dir);
    }
    free(text);
    free(path);
    free(dir);
}

static void read_v1(struct container_facts *f, const char *root, const char *cgroup_text)
{
    char *mem_mount = path_join(root, "memory");
    if (is_dir(mem_mount)) {
        char *cg = cgroup_text ? cgroup_path_for(cgroup_text, "memory") : NULL;
        char *dir = cgroup_dir(f, mem_mount, cg);
        f->cgroup_path = cg;
        uint64_t v;
        int rc = read_limit(dir, "memory.limit_in_bytes", &v);
        if (rc == 1) {
            /* A parent's limit shows in memory.stat when the leaf has none. */
            uint64_t h;
            if (v == CONTAINER_NO_LIMIT &&
                read_keyed(dir, "memory.stat", "hierarchical_memory_limit", &h) == 1)
                v = h >= CONTAINER_V1_UNLIMITED ? CONTAINER_NO_LIMIT : h;
            f->memory_limit = v;
            f->memory_limit_known = true;
        } else if (rc < 0) {
            note(f, MSG_CGROUP_NOT_A_NUMBER, MSG_S("dir", dir),
                 MSG_S("file", "memory.limit_in_bytes"));
        }
        if (read_limit(dir, "memory.usage_in_bytes", &v) == 1 && v != CONTAINER_NO_LIMIT) {
            f->memory_usage = v;
            f->memory_usage_known = true;
        }
        /* oom_kill appeared in memory.oom_control with Linux 4.13. */
        if (read_keyed(dir, "memory.oom_control", "oom_kill", &f->oom_kills) == 1)
            f->oom_kills_known = true;
        if (read_limit(dir, "memory.failcnt", &v) == 1 && v != CONTAINER_NO_LIMIT) {
            f->memory_failcnt = v;
            f->memory_failcnt_known = true;
        }
        f->memory_dir = dir;
    } else {
        note(f, MSG_CGROUP_NO_MEMORY, MSG_S("root", root));
    }
    free(mem_mount);

    char *cpu_mount = path_join(root, "cpu");
    if (is_dir(cpu_mount)) {
        char *cg = cgroup_text ? cgroup_path_for(cgroup_text, "cpu") : NULL;
        char *dir = cgroup_dir(f, cpu_mount, cg);
        if (!f->cgroup_path)
            f->cgroup_path = cg;
        else
            free(cg);
        uint64_t quota, period;
        if (read_limit(dir, "cpu.cfs_quota_us", &quota) == 1) {
            f->cpu_known = true;
            if (quota != CONTAINER_NO_LIMIT && read_limit(dir, "cpu.cfs_period_us", &period) == 1 &&
                period > 0 && period != CONTAINER_NO_LIMIT) {
                f->cpu_limited = true;
                f->cpu_quota_us = quota;
                f->cpu_period_us = period;
            }
            f->cpu_dir = dir;
        } else {
            free(dir);
        }
    }
    free(cpu_mount);
}

int container_parse_limits(const char *text, uint64_t *soft, uint64_t *hard)
{
    const char *line = strstr(text, "Max open files");
    if (!line)
        return -1;
    char buf[256];
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    if (len >= sizeof(buf))
        return -1;
    memcpy(buf, line, len);
    buf[len] = '\0';
    char s1[32], s2[32];
    if (sscanf(buf + strlen("Max open files"), "%31s %31s", s1, s2) != 2)
        return -1;
    uint64_t a, b;
    if (strcmp(s1, "unlimited") == 0)
        a = CONTAINER_NO_LIMIT;
    else if (parse_u64(s1, &a) != 0)
        return -1;
    if (strcmp(s2, "unlimited") == 0)
        b = CONTAINER_NO_LIMIT;
    else if (parse_u64(s2, &b) != 0)
        return -1;
    *soft = a;
    *hard = b;
    return 0;
}

void container_read(const char *cgroup_root, const char *proc_root, int pid,
                    struct container_facts *out)
{
    if (!cgroup_root)
        cgroup_root = CONTAINER_CGROUP_ROOT;
    if (!proc_root)
        proc_root = "/proc";
    struct container_facts f;
    memset(&f, 0, sizeof(f));
    char *pdir = pid > 0 ? xasprintf("%s/%d", proc_root, pid) : xasprintf("%s/self", proc_root);
    char *cg_file = path_join(pdir, "cgroup");
    char *cg_text = read_small(cg_file);
    if (!cg_text)
        note(&f, MSG_JVM_UNREADABLE, MSG_S("path", cg_file), MSG_S("error", strerror(errno)));

    char *controllers = path_join(cgroup_root, "cgroup.controllers");
    char *v1_memory = path_join(cgroup_root, "memory");
    char *v1_cpu = path_join(cgroup_root, "cpu");
    if (exists(controllers)) {
        f.version = CGROUP_V2;
        read_v2(&f, cgroup_root, cg_text);
    } else if (is_dir(v1_memory) || is_dir(v1_cpu)) {
        f.version = CGROUP_V1;
        read_v1(&f, cgroup_root, cg_text);
    } else {
        note(&f, MSG_CGROUP_NO_FILESYSTEM, MSG_S("root", cgroup_root));
    }
    free(controllers);
    free(v1_memory);
    free(v1_cpu);

    char *limits_file = path_join(pdir, "limits");
    char *limits = read_small(limits_file);
    if (limits && container_parse_limits(limits, &f.nofile_soft, &f.nofile_hard) == 0) {
        f.nofile_known = true;
    } else if (pid <= 0) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
            f.nofile_soft = rl.rlim_cur == RLIM_INFINITY ? CONTAINER_NO_LIMIT : rl.rlim_cur;
            f.nofile_hard = rl.rlim_max == RLIM_INFINITY ? CONTAINER_NO_LIMIT : rl.rlim_max;
            f.nofile_known = true;
        }
    }
    if (!f.nofile_known)
        note(&f, MSG_NOFILE_UNKNOWN, MSG_S("path", limits_file));
    free(limits);
    free(limits_file);

    char *meminfo_file = path_join(proc_root, "meminfo");
    char *meminfo = read_small(meminfo_file);
    const char *total = meminfo ? strstr(meminfo, "MemTotal:") : NULL;
    unsigned long long kib;
    if (total && sscanf(total, "MemTotal: %llu kB", &kib) == 1 && kib < UINT64_MAX / 1024) {
        f.host_memory = (uint64_t)kib * 1024;
        f.host_memory_known = true;
    }
    free(meminfo);
    free(meminfo_file);
    free(cg_text);
    free(cg_file);
    free(pdir);
    *out = f;
}

void container_facts_clear(struct container_facts *f)
{
    if (!f)
        return;
    free(f->cgroup_path);
    free(f->memory_dir);
    free(f->cpu_dir);
    for (size_t i = 0; i < f->n_notes; i++)
        free(f->notes[i]);
    free(f->notes);
    memset(f, 0, sizeof(*f));
}

int container_disk_space(const char *dir, struct disk_space *out, char *err)
{
    struct statvfs sv;
    if (statvfs(dir, &sv) != 0) {
        err_set(err, "cannot stat the file system of %s: %s", dir, strerror(errno));
        return -1;
    }
    uint64_t unit = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
    out->path = xstrdup(dir);
    out->total = (uint64_t)sv.f_blocks * unit;
    out->avail = (uint64_t)sv.f_bavail * unit;
    return 0;
}

void disk_space_clear(struct disk_space *d)
{
    if (!d)
        return;
    free(d->path);
    d->path = NULL;
}

int container_heap_estimate(const struct container_facts *f, const struct jvm_memory *m,
                            struct heap_estimate *out)
{
    struct heap_estimate e = {0};
    if (m->max_heap) {
        e.max_heap = m->max_heap;
        e.basis = "-Xmx";
    } else {
        uint64_t phys;
        bool limited = f->memory_limit_known && f->memory_limit != CONTAINER_NO_LIMIT;
        if (m->max_ram) {
            phys = m->max_ram;
            e.basis = "a share of -XX:MaxRAM";
        } else if (limited && m->container_support != 0) {
            phys = f->memory_limit;
            e.basis = "a share of the container memory limit";
        } else if (f->host_memory_known) {
            phys = f->host_memory;
            e.basis = "a share of the host memory";
        } else {
            return -1;
        }
        if (!m->max_ram && phys > JVM_DEFAULT_MAX_RAM)
            phys = JVM_DEFAULT_MAX_RAM;
        double max_pct =
            m->has_max_ram_percentage ? m->max_ram_percentage : JVM_DEFAULT_MAX_RAM_PCT;
        double min_pct =
            m->has_min_ram_percentage ? m->min_ram_percentage : JVM_DEFAULT_MIN_RAM_PCT;
        uint64_t reasonable_max = (uint64_t)((double)phys * max_pct / 100.0);
        uint64_t reasonable_min = (uint64_t)((double)phys * min_pct / 100.0);
        /* HotSpot: on small memory the heap takes MinRAMPercentage instead. */
        if (reasonable_min < JVM_DEFAULT_MAX_HEAP) {
            e.max_heap = reasonable_min;
            e.basis = "MinRAMPercentage of a small memory";
        } else {
            e.max_heap =
                reasonable_max > JVM_DEFAULT_MAX_HEAP ? reasonable_max : JVM_DEFAULT_MAX_HEAP;
        }
        e.memory_base = phys;
    }
    if (m->max_metaspace || m->has_max_direct) {
        uint64_t meta = m->max_metaspace ? m->max_metaspace : CONTAINER_METASPACE_GUESS;
        uint64_t direct = m->has_max_direct ? (m->max_direct ? m->max_direct : e.max_heap) : 0;
        e.non_heap = meta + direct + CONTAINER_JVM_BASE_OVERHEAD;
    } else {
        uint64_t share = e.max_heap / 100 * CONTAINER_NONHEAP_HEAP_PCT;
        e.non_heap = share > CONTAINER_NONHEAP_MIN ? share : CONTAINER_NONHEAP_MIN;
    }
    *out = e;
    return 0;
}

/* "1.5 GiB" style; writes into buf. */
static const char *fmt_bytes(uint64_t v, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double d = (double)v;
    size_t u = 0;
    while (d >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
        d /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu B", (unsigned long long)v);
    else
        snprintf(buf, size, "%.1f %s", d, units[u]);
    return buf;
}

/* A finding whose title and detail are messages (messages.h), in English and Chinese. */
static void add_finding_args(struct finding_list *out, enum severity sev, const char *id,
                             enum msg_id title, enum msg_id detail, const struct msg_arg *args)
{
    out->items = xgrow(out->items, &out->cap, out->n + 1, sizeof(*out->items));
    struct finding *fd = &out->items[out->n++];
    fd->severity = sev;
    fd->id = xstrdup(id);
    fd->title = msg_render(title, LANG_EN, args);
    fd->title_zh = msg_render(title, LANG_ZH, args);
    fd->detail = msg_render(detail, LANG_EN, args);
    fd->detail_zh = msg_render(detail, LANG_ZH, args);
}
#define add_finding(out, sev, id, title, detail, ...)                                              \
    add_finding_args((out), (sev), (id), (title), (detail), MSG_ARGS(__VA_ARGS__))

/* The heap estimate's basis (a static English text) in both languages. */
static struct msg_arg basis_arg(const char *basis)
{
    static const struct {
        const char *english;
        enum msg_id msg;
    } known[] = {{"a share of -XX:MaxRAM", MSG_HEAP_BASIS_MAX_RAM},
                 {"a share of the container memory limit", MSG_HEAP_BASIS_LIMIT},
                 {"a share of the host memory", MSG_HEAP_BASIS_HOST},
                 {"MinRAMPercentage of a small memory", MSG_HEAP_BASIS_SMALL}};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(basis, known[i].english) == 0)
            return MSG_B("basis", msg_template(known[i].msg, LANG_EN),
                         msg_template(known[i].msg, LANG_ZH));
    return MSG_S("basis", basis); /* "-Xmx" */
}

void container_check(const struct container_facts *f, const struct disk_space *disks,
                     size_t n_disks, struct finding_list *out)
{
    char a[32], b[32], num[32];
    if (f->oom_kills_known && f->oom_kills > 0)
        add_finding(out, SEV_ERROR, "container-oom-kills", MSG_ENV_OOM_KILLS,
                    MSG_ENV_OOM_KILLS_DETAIL, MSG_N("kills", f->oom_kills),
                    MSG_S("dir", f->memory_dir ? f->memory_dir : "?"),
                    MSG_S("limit", f->memory_limit_known && f->memory_limit != CONTAINER_NO_LIMIT
                                       ? fmt_bytes(f->memory_limit, a, sizeof(a))
                                       : "none"));
    if (f->cpu_known && f->cpu_limited && f->cpu_quota_us < f->cpu_period_us) {
        snprintf(num, sizeof(num), "%.2f", (double)f->cpu_quota_us / (double)f->cpu_period_us);
        add_finding(out, SEV_INFO, "cpu-quota-below-one-core", MSG_ENV_CPU_QUOTA,
                    MSG_ENV_CPU_QUOTA_DETAIL, MSG_N("quota", f->cpu_quota_us),
                    MSG_N("period", f->cpu_period_us), MSG_S("cores", num));
    }
    if (f->nofile_known && f->nofile_soft < CONTAINER_NOFILE_MIN)
        add_finding(out, SEV_WARNING, "open-files-limit-low", MSG_ENV_OPEN_FILES,
                    MSG_ENV_OPEN_FILES_DETAIL, MSG_N("soft", f->nofile_soft),
                    MSG_N("hard", f->nofile_hard == CONTAINER_NO_LIMIT ? 0 : f->nofile_hard),
                    MSG_N("min", CONTAINER_NOFILE_MIN));
    for (size_t i = 0; i < n_disks; i++) {
        const struct disk_space *d = &disks[i];
        if (d->total == 0)
            continue;
        bool low_pct = d->avail < d->total / 100 * CONTAINER_DISK_MIN_FREE_PCT;
        if (low_pct || d->avail < CONTAINER_DISK_MIN_FREE) {
            snprintf(num, sizeof(num), "%.1f", 100.0 * (double)d->avail / (double)d->total);
            add_finding(out, SEV_WARNING, "disk-space-low", MSG_ENV_DISK, MSG_ENV_DISK_DETAIL,
                        MSG_S("path", d->path), MSG_S("free", fmt_bytes(d->avail, a, sizeof(a))),
                        MSG_S("total", fmt_bytes(d->total, b, sizeof(b))), MSG_S("percent", num));
        }
    }
}

void container_check_jvm(const struct container_facts *f, const struct jvm_process *p,
                         struct finding_list *out)
{
    bool limited = f->memory_limit_known && f->memory_limit != CONTAINER_NO_LIMIT;
    if (!limited)
        return;
    char l[32], h[32], n[32];
    fmt_bytes(f->memory_limit, l, sizeof(l));
    if (p->mem.container_support == 0 && !p->mem.max_heap && !p->mem.max_ram)
        add_finding(out, SEV_WARNING, "memory-container-support-off", MSG_ENV_CONTAINER_SUPPORT,
                    MSG_ENV_CONTAINER_SUPPORT_DETAIL, MSG_N("pid", p->pid), MSG_S("limit", l));
    struct heap_estimate e;
    if (container_heap_estimate(f, &p->mem, &e) != 0)
        return;
    fmt_bytes(e.max_heap, h, sizeof(h));
    fmt_bytes(e.non_heap, n, sizeof(n));
    if (e.max_heap >= f->memory_limit)
        add_finding(out, SEV_ERROR, "memory-heap-exceeds-limit", MSG_ENV_HEAP_EXCEEDS,
                    MSG_ENV_HEAP_EXCEEDS_DETAIL, MSG_N("pid", p->pid), MSG_S("heap", h),
                    basis_arg(e.basis), MSG_S("limit", l));
    else if (e.max_heap > f->memory_limit - e.non_heap || e.non_heap >= f->memory_limit)
        add_finding(out, SEV_WARNING, "memory-heap-no-headroom", MSG_ENV_HEAP_HEADROOM,
                    MSG_ENV_HEAP_HEADROOM_DETAIL, MSG_N("pid", p->pid), MSG_S("heap", h),
                    basis_arg(e.basis), MSG_S("other", n), MSG_S("limit", l));
}

void finding_list_free(struct finding_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].id);
        free(list->items[i].title);
        free(list->items[i].detail);
        free(list->items[i].title_zh);
        free(list->items[i].detail_zh);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}
