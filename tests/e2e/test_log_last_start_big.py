"""--last-start on a large plain log (issue 11): the last start is found by reading the file
backwards from its end, and only the last run's part is scanned. The findings must be those
of the full two-pass scan (WRENCH_LAST_START=full), and the bytes the process read (rchar
in /proc/PID/io, taken before it is reaped) must be a whole file fewer than the full path's
(the prefix is still read once to count its lines, and by logdumps.c: see the assertion).
No timings are asserted."""
import json
import os
import subprocess

from helpers import WRENCH, check_report

RUN = (
    "27-Nov-2026 {h:02d}:00:00.000 INFO [main] org.apache.catalina.startup.VersionLoggerListener"
    ".log Server version name:   Apache Tomcat/10.1.16\n"
    "27-Nov-2026 {h:02d}:00:01.000 SEVERE [main] org.apache.catalina.core.StandardService"
    ".initInternal Failed to initialize connector [Connector[HTTP/1.1-8080]]\n"
    "\torg.apache.catalina.LifecycleException: Protocol handler initialization failed\n"
    "\t\tat org.apache.catalina.connector.Connector.initInternal(Connector.java:1044)\n"
    "\tCaused by: java.net.BindException: Address already in use\n"
    "\t\tat java.base/sun.nio.ch.Net.bind0(Native Method)\n"
)
FILLER = ("27-Nov-2026 {h:02d}:00:02.000 INFO [http-nio-8080-exec-1] com.acme.web.Shop.list "
          "listed 12 products for a request of the shop's front page\n")
LAST = (
    "28-Nov-2026 02:00:00.000 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log "
    "Server version name:   Apache Tomcat/10.1.16\n"
    "28-Nov-2026 02:00:00.500 INFO [main] org.apache.catalina.core.StandardService.startInternal "
    "Starting service [Catalina]\n"
    "28-Nov-2026 02:00:05.000 SEVERE [main] org.apache.catalina.core.StandardContext.listenerStart"
    " Exception sending context initialized event to listener instance of class "
    "[com.acme.web.Boot]\n"
    "\tjava.lang.OutOfMemoryError: Java heap space\n"
    "\t\tat com.acme.web.Boot.contextInitialized(Boot.java:12)\n"
)
SIZE = 200 << 20


def write_big_log(path):
    """About 200 MB of earlier runs (each a start, a BindException and request lines), then
    the last start and its OutOfMemoryError; returns the last start's line number."""
    lines = 0
    with open(path, "w") as f:
        h = 0
        while f.tell() < SIZE:
            block = RUN.format(h=h % 24) + FILLER.format(h=h % 24) * 20000
            f.write(block)
            lines += block.count("\n")
            h += 1
        f.write(LAST)
    return lines + 1


def scan_counting_reads(log, env):
    """Run `wrench scan --logs LOG --last-start --json`; return (report, rchar)."""
    full_env = dict(os.environ, **env)
    with open(str(log) + ".json", "w+b") as out:
        proc = subprocess.Popen([WRENCH, "scan", "--logs", str(log), "--last-start", "--no-db",
                                 "--json"], stdout=out, stderr=subprocess.PIPE, env=full_env)
        # wait for the exit without reaping, so that /proc/PID/io is still there
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
        with open(f"/proc/{proc.pid}/io") as io:
            rchar = int(next(l for l in io if l.startswith("rchar:")).split()[1])
        err = proc.stderr.read().decode()
        rc = proc.wait(timeout=600)
        assert rc in (0, 1), f"wrench exited {rc}: {err}"
        out.seek(0)
        report = json.loads(out.read())
    check_report(report, rc=rc)
    return report, rchar


def findings(report):
    return sorted((f["rule"], f["count"], f["first"]["line"] if "first" in f else None,
                   json.dumps(f.get("locations"), sort_keys=True))
                  for f in report["logs"]["findings"])


def test_last_start_on_a_big_log_reads_only_the_tail(tmp_path):
    log = tmp_path / "catalina.out"
    start_line = write_big_log(log)
    size = log.stat().st_size
    full, full_read = scan_counting_reads(log, {"WRENCH_LAST_START": "full"})
    back, back_read = scan_counting_reads(log, {})

    [ff], [bf] = full["logs"]["files"], back["logs"]["files"]
    assert ff["last_start"]["line"] == start_line == bf["last_start"]["line"]
    assert ff["last_start"]["text"] == bf["last_start"]["text"]
    assert bf["lines"] == ff["lines"], "the lines before the start are counted"
    assert findings(back) == findings(full) and findings(back), findings(back)
    rules = {f["rule"] for f in back["logs"]["findings"]}
    assert not any("bind" in r.lower() for r in rules), rules
    assert ff["start_offset"] == 0 and ff["skipped_events"] > 0
    assert bf["start_offset"] == size - len(LAST.encode()), bf
    assert bf["skipped_events"] == 0, "not counted on the backward path (docs/report.md)"
    # The full path splits the whole file twice. The backward path splits only the tail; the
    # lines before the start are still counted (memchr) and logdumps.c still searches the
    # whole file for thread dumps (memmem): one pass over the file fewer, at least.
    assert full_read >= 2 * size, (full_read, size)
    assert full_read - back_read >= size - (8 << 20), (full_read, back_read, size)
