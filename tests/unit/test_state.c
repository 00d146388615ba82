/*
 * test_state.c - unit tests for the service state's readers: /proc/net/tcp rows
 * (procnet.c), declared ports (svcports.c), the attach protocol's pure parts
 * (attach.c), thread dumps (threaddump.c), hs_err files (hserr.c) and runit's files
 * (runit.c). The texts are the formats the kernel, HotSpot and runit print (samples in
 * /work/shared/refs/runtime-state.md, taken from public sources).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attach.h"
#include "hserr.h"
#include "procnet.h"
#include "runit.h"
#include "startmark.h"
#include "svcports.h"
#include "threaddump.h"
#include "util.h"

/* ---- procnet ---- */

static const char TCP4[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n"
    "   0: 0100007F:1F90 00000000:0000 0A 00000064:00000003 00:00000000 00000000  1000        0 "
    "4242 1 0000000000000000 100 0 0 10 0\n"
    "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "17 1 0000000000000000 100 0 0 10 0\n"
    "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 "
    "4243 1 0000000000000000 20 4 30 10 -1\n"
    "garbage line\n"
    "   3: 0100007F:1F9 00000000:0000 0A\n";

static const char TCP6[] =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000000000000:1F45 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000   108        0 999 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0000000000000000FFFF00000100007F:2382 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000   108        0 1000 1 0000000000000000 100 0 0 10 "
    "0\n";

static void test_procnet_rows(void **state)
{
    (void)state;
    struct net_socket *s = NULL;
    size_t n = 0, cap = 0, bad = 0;
    procnet_parse(TCP4, strlen(TCP4), false, &s, &n, &cap, &bad);
    assert_int_equal(n, 3);
    assert_int_equal(bad, 2);
    char addr[64];
    assert_int_equal(s[0].port, 8080);
    assert_int_equal(s[0].state, PROCNET_TCP_LISTEN);
    assert_int_equal(s[0].tx_queue, 100);
    assert_int_equal(s[0].rx_queue, 3); /* LISTEN: waiting to be accepted */
    assert_int_equal(s[0].uid, 1000);
    assert_int_equal(s[0].inode, 4242);
    procnet_format_addr(&s[0], addr, sizeof(addr));
    assert_string_equal(addr, "127.0.0.1");
    procnet_format_addr(&s[1], addr, sizeof(addr));
    assert_string_equal(addr, "0.0.0.0");
    assert_int_equal(s[2].state, 1);
    procnet_parse(TCP6, strlen(TCP6), true, &s, &n, &cap, &bad);
    assert_int_equal(n, 5);
    assert_int_equal(s[3].port, 8005);
    procnet_format_addr(&s[3], addr, sizeof(addr));
    assert_string_equal(addr, "::");
    procnet_format_addr(&s[4], addr, sizeof(addr));
    assert_string_equal(addr, "::ffff:127.0.0.1");
    assert_int_equal(s[4].port, 9090);
    free(s);
}

/* ---- declared ports ---- */

static void test_server_xml_ports(void **state)
{
    (void)state;
    const char *xml = "<?xml version='1.0'?>\n<!-- <Connector port=\"1111\"/> commented out -->\n"
                      "<Server port=\"8005\" shutdown=\"SHUTDOWN\">\n <Service name=\"Catalina\">\n"
                      "  <Connector port=\"8080\" protocol=\"HTTP/1.1\" redirectPort=\"8443\"/>\n"
                      "  <Connector protocol=\"AJP/1.3\" port='8009' secretRequired='false'/>\n"
                      "  <Connector port=\"${https.port}\" protocol=\"org.apache.coyote.http11."
                      "Http11NioProtocol\"/>\n"
                      "  <Connector port=\"${missing}\"/>\n </Service>\n</Server>\n";
    char *props[] = {"https.port=8443"};
    struct port_list l = {0};
    svcports_server_xml(xml, strlen(xml), "/t/server.xml", props, 1, &l);
    assert_int_equal(l.n, 4);
    assert_int_equal(l.items[0].port, 8005);
    assert_string_equal(l.items[0].what, "shutdown port");
    assert_int_equal(l.items[1].port, 8080);
    assert_string_equal(l.items[1].what, "HTTP connector");
    assert_int_equal(l.items[2].port, 8009);
    assert_string_equal(l.items[2].what, "AJP connector");
    assert_int_equal(l.items[3].port, 8443);
    assert_string_equal(l.items[3].source, "/t/server.xml");
    assert_int_equal(l.n_notes, 1);
    assert_non_null(strstr(l.notes[0], "${missing}"));
    port_list_free(&l);

    /* a disabled shutdown port is no port */
    const char *off = "<Server port=\"-1\" shutdown=\"X\"><Connector port=\"80\"/></Server>";
    svcports_server_xml(off, strlen(off), "s.xml", NULL, 0, &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].port, 80);
    port_list_free(&l);
}

static void test_config_values(void **state)
{
    (void)state;
    const char *props = "# server.port=1\nserver.port = 8081\nmanagement.server.port: 9001\n"
                        "server.port=8082\n";
    char *v = svcports_config_value(props, strlen(props), false, "server.port");
    assert_string_equal(v, "8082"); /* the last definition wins */
    free(v);
    v = svcports_config_value(props, strlen(props), false, "management.server.port");
    assert_string_equal(v, "9001");
    free(v);
    const char *yml = "spring:\n  application:\n    name: shop\nserver:\n  port: 8443 # tls\n"
                      "management:\n  server:\n    port: \"9443\"\ndubbo.protocol.port: 20880\n"
                      "---\nserver:\n  port: 1\n";
    v = svcports_config_value(yml, strlen(yml), true, "server.port");
    assert_string_equal(v, "8443");
    free(v);
    v = svcports_config_value(yml, strlen(yml), true, "management.server.port");
    assert_string_equal(v, "9443");
    free(v);
    v = svcports_config_value(yml, strlen(yml), true, "dubbo.protocol.port");
    assert_string_equal(v, "20880");
    free(v);
    assert_null(svcports_config_value(yml, strlen(yml), true, "spring.port"));

    /* precedence: -D, then the environment, then the files */
    char *dprops[] = {"server.port=7000"};
    char *env[] = {"SERVER_PORT=7001", "MANAGEMENT_SERVER_PORT=${PORT:7002}",
                   "DUBBO_PROTOCOL_PORT=0"};
    struct port_sources src = {.props = dprops, .n_props = 1, .env = env, .n_env = 3};
    struct port_list l = {0};
    svcports_declared(&src, &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].port, 7000);
    assert_string_equal(l.items[0].source, "-Dserver.port");
    assert_int_equal(l.items[1].port, 7002);
    assert_string_equal(l.items[1].source, "MANAGEMENT_SERVER_PORT");
    assert_int_equal(l.n_notes, 1); /* port 0: random */
    port_list_free(&l);
}

/* ---- attach ---- */

static void test_attach_status(void **state)
{
    (void)state;
    const char *ready = "Name:\tjava\nUid:\t1000\t1001\t1001\t1001\nGid:\t50\t51\t51\t51\n"
                        "NSpid:\t4242\t1\nSigBlk:\t0000000000000000\n"
                        "SigIgn:\t0000000000000000\nSigCgt:\t0000000181005cce\n";
    struct attach_status st;
    assert_int_equal(attach_parse_status(ready, strlen(ready), &st), 0);
    assert_int_equal(st.euid, 1001);
    assert_int_equal(st.egid, 51);
    assert_int_equal(st.nspid, 1);
    assert_true(attach_quit_is_handled(&st));
    /* a JVM too young for its handler: SIGQUIT inherited as ignored, not caught */
    const char *young = "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nNSpid:\t7\n"
                        "SigIgn:\t0000000000000006\nSigCgt:\t0000000000000000\n";
    assert_int_equal(attach_parse_status(young, strlen(young), &st), 0);
    assert_int_equal(st.nspid, 7);
    assert_false(attach_quit_is_handled(&st));
    /* caught but also ignored; and masks missing */
    const char *ign = "Uid:\t0 0 0 0\nGid:\t0 0 0 0\nSigIgn:\t4\nSigCgt:\t4\n";
    assert_int_equal(attach_parse_status(ign, strlen(ign), &st), 0);
    assert_false(attach_quit_is_handled(&st));
    const char *none = "Uid:\t0 0 0 0\nGid:\t0 0 0 0\n";
    assert_int_equal(attach_parse_status(none, strlen(none), &st), 0);
    assert_false(attach_quit_is_handled(&st));
    assert_int_equal(attach_parse_status("Name: x\n", 8, &st), -1);
}

static void test_attach_request_and_reply(void **state)
{
    (void)state;
    char buf[64];
    size_t n = attach_build_request(buf, sizeof(buf), "threaddump", NULL, NULL, NULL);
    assert_int_equal(n, 16);
    assert_memory_equal(buf, "1\0threaddump\0\0\0\0", 16);
    n = attach_build_request(buf, sizeof(buf), "jcmd", "Thread.print -l", NULL, NULL);
    assert_memory_equal(buf, "1\0jcmd\0Thread.print -l\0\0\0", n);
    assert_int_equal(attach_build_request(buf, sizeof(buf), "a-command-over-16", NULL, NULL, NULL),
                     0);
    assert_int_equal(attach_build_request(buf, 8, "threaddump", NULL, NULL, NULL), 0);
    int code;
    size_t body;
    assert_int_equal(attach_parse_reply("0\nFull thread dump", 18, &code, &body), 0);
    assert_int_equal(code, 0);
    assert_int_equal(body, 2);
    assert_int_equal(attach_parse_reply("-1\nOperation x not recognized!", 30, &code, &body), 0);
    assert_int_equal(code, -1);
    assert_int_equal(attach_parse_reply("101\n", 4, &code, &body), 0);
    assert_int_equal(code, 101);
    assert_int_equal(attach_parse_reply("0", 1, &code, &body), -1);
    assert_int_equal(attach_parse_reply("", 0, &code, &body), -1);
    assert_int_equal(attach_parse_reply("x\n", 2, &code, &body), -1);
}

/* ---- thread dumps ---- */

static const char DUMP17[] =
    "2026-12-07 12:00:00\n"
    "Full thread dump OpenJDK 64-Bit Server VM (17.0.2+8-Debian-1 mixed mode, sharing):\n\n"
    "Threads class SMR info:\n_java_thread_list=0x00007f, length=12, elements={\n}\n\n"
    "\"main\" #1 prio=5 os_prio=0 cpu=362.74ms elapsed=757.67s tid=0x00007f13bc0278e0 "
    "nid=0x3a5528 runnable  [0x00007f13c2f5e000]\n"
    "   java.lang.Thread.State: RUNNABLE\n"
    "\tat sun.nio.ch.SocketDispatcher.read0(java.base@17.0.2/Native Method)\n"
    "\tat sun.nio.ch.NioSocketImpl.read(java.base@17.0.2/NioSocketImpl.java:350)\n"
    "\tat java.net.Socket$SocketInputStream.read(java.base@17.0.2/Socket.java:966)\n"
    "\tat org.apache.zookeeper.ClientCnxn.connect(ClientCnxn.java:10)\n"
    "\tat com.acme.Boot.main(Boot.java:5)\n\n"
    "\"pool-1-thread-1\" #12 daemon prio=5 os_prio=0 cpu=0.1ms elapsed=1s tid=0x1 nid=0x10 "
    "waiting for monitor entry  [0x7f]\n"
    "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
    "\tat com.acme.Cache.get(Cache.java:7)\n"
    "\t- waiting to lock <0x00000000c3ed1290> (a com.acme.Cache)\n\n"
    "\"pool-1-thread-2\" #13 daemon prio=5 os_prio=0 cpu=0.1ms elapsed=1s tid=0x2 nid=0x11 "
    "waiting for monitor entry  [0x7f]\n"
    "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
    "\tat com.acme.Cache.get(Cache.java:7)\n"
    "\t- waiting to lock <0x00000000c3ed1290> (a com.acme.Cache)\n\n"
    "\"loader\" #14 prio=5 os_prio=0 tid=0x3 nid=0x12 runnable [0x7f]\n"
    "   java.lang.Thread.State: RUNNABLE\n"
    "\tat com.acme.Cache.load(Cache.java:20)\n"
    "\t- locked <0x00000000c3ed1290> (a com.acme.Cache)\n\n"
    "\"VM Thread\" os_prio=0 cpu=1.0ms elapsed=1s tid=0x4 nid=0x13 runnable\n\n"
    "JNI global refs: 15, weak refs: 0\n";

static void test_threaddump_jdk17(void **state)
{
    (void)state;
    struct thread_dump *d;
    assert_int_equal(threaddump_parse(DUMP17, strlen(DUMP17), &d), 0);
    assert_int_equal(d->n_threads, 5);
    assert_string_equal(d->header, "Full thread dump OpenJDK 64-Bit Server VM (17.0.2+8-Debian-1 "
                                   "mixed mode, sharing):");
    assert_string_equal(d->threads[0].name, "main");
    assert_string_equal(d->threads[0].os_state, "runnable");
    assert_true(d->threads[1].daemon);
    assert_string_equal(d->threads[4].name, "VM Thread");
    assert_int_equal(d->n_waits, 1);
    assert_string_equal(d->waits[0], "main waits in sun.nio.ch.SocketDispatcher.read0 via "
                                     "java.net.Socket$SocketInputStream.read under "
                                     "org.apache.zookeeper.ClientCnxn.connect (RUNNABLE)");
    assert_int_equal(d->n_blocked, 1);
    assert_int_equal(d->blocked[0].n_threads, 2);
    assert_string_equal(d->blocked[0].key, "0x00000000c3ed1290 (a com.acme.Cache)");
    assert_string_equal(d->blocked[0].holder, "loader");
    assert_int_equal(d->n_stacks, 1); /* the two pool threads share a stack */
    assert_int_equal(d->stacks[0].n_threads, 2);
    assert_string_equal(d->stacks[0].key, "com.acme.Cache.get(Cache.java:7)");
    assert_int_equal(d->n_deadlocks, 0);
    char *summary = threaddump_summary(d);
    assert_string_equal(summary, d->waits[0]);
    free(summary);
    threaddump_free(d);
}

static const char DEADLOCK[] =
    "\"main\" #1 [2] prio=5 os_prio=64 cpu=137.37ms elapsed=234.30s tid=0x0000000000a9a530 "
    "nid=2 waiting on condition  [0xfffffc7fef06d000]\n"
    "   java.lang.Thread.State: WAITING (parking)\n"
    "\t- parking to wait for  <0x00000000c3ed1290> (a java.util.concurrent.locks."
    "AbstractQueuedSynchronizer$ConditionObject)\n\n"
    "Found one Java-level deadlock:\n=============================\n"
    "\"ajp-bio-18009-exec-1189\":\n"
    "  waiting to lock monitor 0x00007f70c0f1c228 (object 0x0000000765282180, a "
    "org.apache.jasper.servlet.JspServletWrapper),\n"
    "  which is held by \"ajp-bio-18009-exec-1021\"\n\n"
    "\"ajp-bio-18009-exec-1021\":\n"
    "  waiting for ownable synchronizer 0x00000007, (a java.util.concurrent.locks."
    "ReentrantLock$NonfairSync),\n"
    "  which is held by \"ajp-bio-18009-exec-1189\"\n\n"
    "Java stack information for the threads listed above:\n"
    "===================================================\n"
    "\"ajp-bio-18009-exec-1189\":\n"
    "    at org.apache.jasper.servlet.JspServletWrapper.service(JspServletWrapper.java:355)\n"
    "    - waiting to lock <0x0000000765282180> (a org.apache.jasper.servlet.JspServletWrapper)\n"
    "\nFound 1 deadlock.\n";

static void test_threaddump_deadlock(void **state)
{
    (void)state;
    struct thread_dump *d;
    assert_int_equal(threaddump_parse(DEADLOCK, strlen(DEADLOCK), &d), 0);
    assert_int_equal(d->n_threads, 1); /* the deadlock's stacks are not threads again */
    assert_string_equal(d->threads[0].waiting_on,
                        "0x00000000c3ed1290 (a java.util.concurrent.locks."
                        "AbstractQueuedSynchronizer$ConditionObject)");
    assert_int_equal(d->n_deadlocks, 1);
    assert_int_equal(d->deadlocks[0].n_links, 2);
    assert_string_equal(d->deadlocks[0].links[0],
                        "\"ajp-bio-18009-exec-1189\" is waiting to lock monitor "
                        "0x00007f70c0f1c228 (object 0x0000000765282180, a "
                        "org.apache.jasper.servlet.JspServletWrapper), which is held by "
                        "\"ajp-bio-18009-exec-1021\"");
    assert_non_null(strstr(d->deadlocks[0].links[1], "ownable synchronizer"));
    char *summary = threaddump_summary(d);
    assert_true(str_has_prefix(summary, "Java-level deadlock: \"ajp-bio-18009-exec-1189\""));
    free(summary);
    threaddump_free(d);
    struct thread_dump *none;
    static const char NODUMP[] = "no dump here\n\"quoted\" text\n";
    assert_int_equal(threaddump_parse(NODUMP, strlen(NODUMP), &none), -1);
    assert_true(threaddump_is_start("Full thread dump OpenJDK", 24));
    const char *tomcat = "07-Dec-2026 12:41:14.007 INFO [main] org.apache.catalina.startup."
                         "Catalina.start Server startup in [412] milliseconds";
    const char *boot = "INFO 1 --- [main] c.a.Shop : Started Shop in 5.152 seconds (process "
                       "running for 6.599)";
    const char *boot2 = "Started Shop in 5.1 seconds (JVM running for 6.5)";
    assert_true(startmark_is_finished(tomcat, strlen(tomcat)));
    assert_true(startmark_is_finished(boot, strlen(boot)));
    assert_true(startmark_is_finished(boot2, strlen(boot2)));
    assert_false(startmark_is_finished("took 5 seconds (JVM running for 6)", 34));
    uint64_t ms;
    assert_true(startmark_duration_ms(tomcat, strlen(tomcat), &ms));
    assert_int_equal(ms, 412);
    assert_true(startmark_duration_ms(boot, strlen(boot), &ms));
    assert_int_equal(ms, 5152);
    assert_true(startmark_duration_ms(boot2, strlen(boot2), &ms));
    assert_int_equal(ms, 5100);
    assert_false(startmark_duration_ms("Started in seconds (x", 21, &ms));
    assert_false(threaddump_is_start("Full thread", 11));
}

/* ---- hs_err ---- */

static const char HSERR[] =
    "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n"
    "#  SIGSEGV (0xb) at pc=0x00007ff7c2d44c31, pid=1, tid=16\n#\n"
    "# JRE version: OpenJDK Runtime Environment (11.0.7+10) (build 11.0.7+10)\n"
    "# Java VM: OpenJDK 64-Bit Server VM (11.0.7+10, mixed mode, tiered, compressed oops, g1 "
    "gc, linux-amd64)\n"
    "# Problematic frame:\n"
    "# V  [libjvm.so+0xab7c31]  PhaseIdealLoop::build_loop_late_post(Node*)+0x171\n#\n"
    "# Core dump will be written. Default location: /usr/app/core.1\n#\n"
    "# An error report file with more information is saved as:\n# /usr/app/hs_err_pid1.log\n"
    "\n---------------  S U M M A R Y ------------\n\n"
    "Command Line: -Xmx64m com.acme.Main\n";

static void test_hserr(void **state)
{
    (void)state;
    struct hs_err *e;
    assert_int_equal(hserr_parse(HSERR, strlen(HSERR), &e), 0);
    assert_string_equal(e->signal, "SIGSEGV");
    assert_int_equal(e->pid, 1);
    assert_string_equal(
        e->frame, "V  [libjvm.so+0xab7c31]  PhaseIdealLoop::build_loop_late_post(Node*)+0x171");
    assert_string_equal(e->jre_version,
                        "OpenJDK Runtime Environment (11.0.7+10) (build 11.0.7+10)");
    assert_string_equal(e->report_path, "/usr/app/hs_err_pid1.log");
    assert_string_equal(e->command_line, "-Xmx64m com.acme.Main");
    assert_false(e->native_oom);
    char *s = hserr_summary(e);
    assert_true(str_has_prefix(s, "SIGSEGV in V  [libjvm.so+0xab7c31]"));
    free(s);
    hserr_free(e);

    const char *oom =
        "# There is insufficient memory for the Java Runtime Environment to continue.\n"
        "# Native memory allocation (mmap) failed to map 262144 bytes for committing reserved "
        "memory.\n# An error report file with more information is saved as:\n# /tmp/x.log\n";
    assert_int_equal(hserr_parse(oom, strlen(oom), &e), 0);
    assert_true(e->native_oom);
    assert_string_equal(e->oom_detail, "Native memory allocation (mmap) failed to map 262144 "
                                       "bytes for committing reserved memory.");
    assert_null(e->signal);
    hserr_free(e);
    const char *threads = "[0.011s][warning][os,thread] Failed to start thread \"G1 Conc#0\" - "
                          "pthread_create failed (EPERM) for attributes: stacksize: 1024k.\n";
    assert_int_equal(hserr_parse(threads, strlen(threads), &e), 0);
    assert_true(e->native_oom);
    assert_non_null(strstr(e->oom_detail, "pthread_create failed (EPERM)"));
    hserr_free(e);
    assert_int_equal(hserr_parse("just a log\n", 11, &e), -1);
    assert_true(hserr_is_start(HSERR + 2, strlen(HSERR) - 2));
}

/* ---- runit ---- */

static void test_runit_run_scripts(void **state)
{
    (void)state;
    const char *run = "#!/bin/sh\n# the shop\nexec 2>&1\ncd /srv/shop\n"
                      "exec chpst -u shop /usr/lib/jvm/bin/java -Xmx256m \\\n"
                      "  -cp 'lib/*:classes' \"-Dx=a b\" com.acme.Shop > /dev/null\n";
    struct runit_command c;
    assert_int_equal(runit_parse_run(run, strlen(run), &c), 0);
    assert_int_equal(c.argc, 6);
    assert_string_equal(c.argv[0], "/usr/lib/jvm/bin/java");
    assert_string_equal(c.argv[3], "lib/*:classes");
    assert_string_equal(c.argv[4], "-Dx=a b");
    assert_string_equal(c.argv[5], "com.acme.Shop");
    assert_string_equal(c.cwd, "/srv/shop");
    assert_false(c.has_vars);
    runit_command_clear(&c);
    const char *vars = "#!/bin/sh\nexec java $JAVA_OPTS -jar \"$APP\"\n";
    assert_int_equal(runit_parse_run(vars, strlen(vars), &c), 0);
    assert_true(c.has_vars);
    runit_command_clear(&c);
    assert_int_equal(runit_parse_run("#!/bin/sh\nexec nginx\n", 21, &c), -1);

    const char *log = "#!/bin/sh\nexec chpst -ulog svlogd -tt ./main\n";
    char *dir = runit_parse_log_run(log, strlen(log));
    assert_string_equal(dir, "./main");
    free(dir);
    assert_null(runit_parse_log_run("exec svlogd -tt\n", 16));
}

static void test_runit_status_and_exit(void **state)
{
    (void)state;
    /* 2^62 + 10 + 1700000000, 0 ns, pid 4242 little-endian, not paused, want 'd', TERM, down */
    uint64_t tai = (1ULL << 62) + 10 + 1700000000ULL;
    unsigned char st[20] = {0};
    for (int i = 0; i < 8; i++)
        st[i] = (unsigned char)(tai >> (56 - 8 * i));
    st[12] = 0x92;
    st[13] = 0x10;
    st[17] = 'd';
    st[18] = 1;
    st[19] = 0;
    struct runit_status rs;
    assert_int_equal(runit_parse_status(st, 20, &rs), 0);
    assert_int_equal(rs.since, 1700000000);
    assert_int_equal(rs.pid, 4242);
    assert_int_equal(rs.want, 'd');
    assert_true(rs.got_term);
    assert_int_equal(rs.state, 0);
    assert_int_equal(runit_parse_status(st, 19, &rs), -1);
    st[19] = 7;
    assert_int_equal(runit_parse_status(st, 20, &rs), -1);

    const char *exits = "1700000000 1 0\n1700000100 -1 6\nbroken\n";
    int64_t when;
    int code, sig;
    assert_int_equal(runit_parse_exit(exits, strlen(exits), &when, &code, &sig), 0);
    assert_int_equal(when, 1700000100);
    assert_int_equal(code, -1);
    assert_int_equal(sig, 6);
    assert_int_equal(runit_parse_exit("", 0, &when, &code, &sig), -1);
    char *d = runit_describe_exit(-1, 9);
    assert_string_equal(d, "killed by signal 9 (SIGKILL)");
    free(d);
    d = runit_describe_exit(1, 0);
    assert_string_equal(d, "exit 1");
    free(d);
    d = runit_describe_exit(-1, 6 | 0x80);
    assert_string_equal(d, "killed by signal 6 (SIGABRT), core dumped");
    free(d);
    d = runit_describe_exit(111, 0);
    assert_true(str_has_prefix(d, "./run could not be started"));
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_procnet_rows),
        cmocka_unit_test(test_server_xml_ports),
        cmocka_unit_test(test_config_values),
        cmocka_unit_test(test_attach_status),
        cmocka_unit_test(test_attach_request_and_reply),
        cmocka_unit_test(test_threaddump_jdk17),
        cmocka_unit_test(test_threaddump_deadlock),
        cmocka_unit_test(test_hserr),
        cmocka_unit_test(test_runit_run_scripts),
        cmocka_unit_test(test_runit_status_and_exit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
