/*
 * test_container.c - unit tests for container.c: cgroup v1 and v2 fixture
 * trees (testdata/cgroup), /proc/PID/limits, the JVM heap estimate against
 * HotSpot's ergonomics, the findings, and one read of the real machine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "util.h"

#define MIB (1024ULL * 1024)
#define GIB (1024 * MIB)

static bool has_note(const struct container_facts *f, const char *needle)
{
    for (size_t i = 0; i < f->n_notes; i++)
        if (strstr(f->notes[i], needle))
            return true;
    return false;
}

static const struct finding *find(const struct finding_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

static void test_v2_parent_limit_oom_cpu(void **state)
{
    (void)state;
    struct container_facts f;
    container_read("testdata/cgroup/v2/fs", "testdata/cgroup/v2/proc", 0, &f);
    assert_int_equal(f.version, CGROUP_V2);
    assert_string_equal(f.cgroup_path, "/kubepods/pod1/ctr");
    assert_string_equal(f.memory_dir, "testdata/cgroup/v2/fs/kubepods/pod1/ctr");
    assert_true(f.memory_limit_known);
    assert_true(f.memory_limit == 512 * MIB); /* the parent's, the leaf says "max" */
    assert_true(f.memory_usage_known);
    assert_true(f.memory_usage == 300 * MIB);
    assert_true(f.oom_kills_known);
    assert_true(f.oom_kills == 2);
    assert_true(f.cpu_known && f.cpu_limited);
    assert_true(f.cpu_quota_us == 50000 && f.cpu_period_us == 100000);
    assert_true(f.nofile_known);
    assert_true(f.nofile_soft == 1024 && f.nofile_hard == 4096);
    assert_true(f.host_memory_known);
    assert_true(f.host_memory == 16318256ULL * 1024);

    struct finding_list l = {0};
    container_check(&f, NULL, 0, &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(find(&l, "container-oom-kills")->severity, SEV_ERROR);
    assert_int_equal(find(&l, "cpu-quota-below-one-core")->severity, SEV_INFO);
    assert_int_equal(find(&l, "open-files-limit-low")->severity, SEV_WARNING);
    assert_non_null(strstr(find(&l, "container-oom-kills")->detail, "512.0 MiB"));
    finding_list_free(&l);
    container_facts_clear(&f);
}

static void test_v1_no_cgroup_namespace(void **state)
{
    (void)state;
    struct container_facts f;
    container_read("testdata/cgroup/v1/fs", "testdata/cgroup/v1/proc", 0, &f);
    assert_int_equal(f.version, CGROUP_V1);
    assert_string_equal(f.cgroup_path, "/docker/3f2a");
    /* The mount's root is the container's cgroup. */
    assert_string_equal(f.memory_dir, "testdata/cgroup/v1/fs/memory");
    assert_true(has_note(&f, "/docker/3f2a is not under"));
    assert_true(f.memory_limit == GIB);
    assert_true(f.memory_usage == 768 * MIB);
    assert_true(f.oom_kills_known && f.oom_kills == 0);
    assert_true(f.memory_failcnt_known && f.memory_failcnt == 3);
    assert_true(f.cpu_limited && f.cpu_quota_us == 200000);
    assert_true(f.nofile_soft == CONTAINER_NO_LIMIT);
    struct finding_list l = {0};
    container_check(&f, NULL, 0, &l);
    assert_int_equal(l.n, 0);
    finding_list_free(&l);
    container_facts_clear(&f);
}

static void test_v1_nested_hierarchical_limit(void **state)
{
    (void)state;
    struct container_facts f;
    container_read("testdata/cgroup/v1-nested/fs", "testdata/cgroup/v1-nested/proc", 4242, &f);
    assert_int_equal(f.version, CGROUP_V1);
    assert_string_equal(f.memory_dir, "testdata/cgroup/v1-nested/fs/memory/docker/3f2a");
    assert_true(f.memory_limit_known);
    assert_true(f.memory_limit == 2 * GIB);
    assert_false(f.oom_kills_known); /* kernel before 4.13 */
    assert_false(f.memory_usage_known);
    assert_true(f.cpu_known);
    assert_false(f.cpu_limited);
    assert_false(f.nofile_known); /* another process, no limits file */
    assert_true(has_note(&f, "open-files limit unknown"));
    assert_false(f.host_memory_known);
    container_facts_clear(&f);
}

static void test_no_cgroup(void **state)
{
    (void)state;
    struct container_facts f;
    container_read("/nonexistent/cgroup", "/nonexistent/proc", 0, &f);
    assert_int_equal(f.version, CGROUP_NONE);
    assert_false(f.memory_limit_known);
    assert_true(f.nofile_known); /* getrlimit of this process */
    assert_true(has_note(&f, "no cgroup filesystem"));
    struct heap_estimate e;
    struct jvm_memory m = {.container_support = -1};
    assert_int_equal(container_heap_estimate(&f, &m, &e), -1);
    container_facts_clear(&f);
}

static void test_parse_limits(void **state)
{
    (void)state;
    uint64_t s, h;
    assert_int_equal(container_parse_limits("Max open files            1048576              "
                                            "1048576              files\n",
                                            &s, &h),
                     0);
    assert_true(s == 1048576 && h == 1048576);
    assert_int_equal(container_parse_limits("Max open files  unlimited  4096  files", &s, &h), 0);
    assert_true(s == CONTAINER_NO_LIMIT && h == 4096);
    assert_int_equal(container_parse_limits("Max processes 10 10\n", &s, &h), -1);
    assert_int_equal(container_parse_limits("Max open files  lots  4096  files", &s, &h), -1);
    assert_int_equal(container_parse_limits("Max open files", &s, &h), -1);
}

static struct container_facts limited(uint64_t limit)
{
    struct container_facts f;
    memset(&f, 0, sizeof(f));
    f.memory_limit_known = true;
    f.memory_limit = limit;
    f.host_memory_known = true;
    f.host_memory = 64 * GIB;
    return f;
}

/* The expected values are what OpenJDK 17 prints for -XX:MaxRAM=... -XX:+PrintFlagsFinal. */
static void test_heap_estimate_ergonomics(void **state)
{
    (void)state;
    struct jvm_memory m = {.container_support = -1};
    struct heap_estimate e;
    struct container_facts f = limited(512 * MIB);
    assert_int_equal(container_heap_estimate(&f, &m, &e), 0);
    assert_true(e.max_heap == 128 * MIB);
    assert_true(e.non_heap == 256 * MIB);
    f = limited(200 * MIB); /* small memory: MinRAMPercentage (50%) */
    assert_int_equal(container_heap_estimate(&f, &m, &e), 0);
    assert_true(e.max_heap == 100 * MIB);
    f = limited(2 * GIB);
    assert_int_equal(container_heap_estimate(&f, &m, &e), 0);
    assert_true(e.max_heap == 512 * MIB);
    /* MaxRAM wins over the container limit; no limit means host memory. */
    m.max_ram = 2 * GIB;
    f = limited(512 * MIB);
    assert_int_equal(container_heap_estimate(&f, &m, &e), 0);
    assert_true(e.max_heap == 512 * MIB);
    m.max_ram = 0;
    f = limited(CONTAINER_NO_LIMIT);
    assert_int_equal(container_heap_estimate(&f, &m, &e), 0);
    assert_true(e.max_heap == 16 * GIB);
    /* Flags for metaspace and direct memory replace the default margin. */
    m.max_heap = GIB;
    m.max_metaspace = 256 * MIB;
    m.has_max_direct = true;
    m.max_direct = 0; /* "as the heap" */
    assert_int_equal(container_heap_estimate(&f, &m, &e), 0);
    assert_true(e.non_heap == 256 * MIB + GIB + CONTAINER_JVM_BASE_OVERHEAD);
}

static void test_jvm_findings(void **state)
{
    (void)state;
    struct jvm_process p;
    memset(&p, 0, sizeof(p));
    p.pid = 7;
    p.mem.container_support = -1;
    struct container_facts f = limited(GIB);
    struct finding_list l = {0};

    p.mem.max_heap = GIB;
    container_check_jvm(&f, &p, &l);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].id, "memory-heap-exceeds-limit");
    assert_int_equal(l.items[0].severity, SEV_ERROR);
    assert_non_null(strstr(l.items[0].detail, "process 7"));
    finding_list_free(&l);

    p.mem.max_heap = 900 * MIB; /* + 256 MiB margin > 1 GiB */
    container_check_jvm(&f, &p, &l);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].id, "memory-heap-no-headroom");
    assert_int_equal(l.items[0].severity, SEV_WARNING);
    finding_list_free(&l);

    p.mem.max_heap = 512 * MIB;
    container_check_jvm(&f, &p, &l);
    assert_int_equal(l.n, 0);

    p.mem.max_heap = 0;
    p.mem.has_max_ram_percentage = true;
    p.mem.max_ram_percentage = 80;
    container_check_jvm(&f, &p, &l);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].id, "memory-heap-no-headroom");
    finding_list_free(&l);

    /* Container support off: the heap comes from 64 GiB of host memory. */
    p.mem.has_max_ram_percentage = false;
    p.mem.container_support = 0;
    container_check_jvm(&f, &p, &l);
    assert_int_equal(l.n, 2);
    assert_non_null(find(&l, "memory-container-support-off"));
    assert_non_null(find(&l, "memory-heap-exceeds-limit"));
    finding_list_free(&l);

    f = limited(CONTAINER_NO_LIMIT);
    p.mem.max_heap = 100 * GIB;
    container_check_jvm(&f, &p, &l);
    assert_int_equal(l.n, 0);
}

static void test_disk_findings(void **state)
{
    (void)state;
    struct container_facts f;
    memset(&f, 0, sizeof(f));
    struct disk_space disks[] = {
        {"/full", 100 * GIB, 2 * GIB},   /* 2%: warning */
        {"/small", 150 * MIB, 50 * MIB}, /* under 100 MB: warning */
        {"/fine", 100 * GIB, 50 * GIB},
        {"/unknown", 0, 0},
    };
    struct finding_list l = {0};
    container_check(&f, disks, 4, &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0].id, "disk-space-low");
    assert_non_null(strstr(l.items[0].detail, "/full"));
    assert_non_null(strstr(l.items[1].detail, "/small"));
    finding_list_free(&l);
}

/* Wherever it runs: values may be absent, nothing may crash or be absurd. */
static void test_real_machine(void **state)
{
    (void)state;
    struct container_facts f;
    container_read(NULL, NULL, 0, &f);
    assert_true(f.version == CGROUP_NONE || f.version == CGROUP_V1 || f.version == CGROUP_V2);
    if (f.memory_limit_known && f.memory_limit != CONTAINER_NO_LIMIT)
        assert_true(f.memory_limit > 0);
    if (f.cpu_limited)
        assert_true(f.cpu_period_us > 0);
    assert_true(f.nofile_known);
    assert_true(f.nofile_soft <= f.nofile_hard);
    struct disk_space d;
    char err[WR_ERR_MAX];
    assert_int_equal(container_disk_space("/", &d, err), 0);
    assert_true(d.avail <= d.total);
    struct finding_list l = {0};
    container_check(&f, &d, 1, &l);
    for (size_t i = 0; i < l.n; i++)
        assert_non_null(l.items[i].detail);
    finding_list_free(&l);
    disk_space_clear(&d);
    assert_int_equal(container_disk_space("/nonexistent/dir", &d, err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir"));
    container_facts_clear(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v2_parent_limit_oom_cpu),
        cmocka_unit_test(test_v1_no_cgroup_namespace),
        cmocka_unit_test(test_v1_nested_hierarchical_limit),
        cmocka_unit_test(test_no_cgroup),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_heap_estimate_ergonomics),
        cmocka_unit_test(test_jvm_findings),
        cmocka_unit_test(test_disk_findings),
        cmocka_unit_test(test_real_machine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
