"""--last-start on a large plain log (issue 11): the last start is found by reading the file
backwards from its end, and only the last run's part is read: the scan, logdumps.c and the
file's tail. The findings must be those of the full two-pass scan (WRENCH_LAST_START=full),
their line numbers counted from the start (start_offset: line 1 is the last start's first
line, docs/report.md), and the bytes the process read (rchar in /proc/PID/io, taken before it
is reaped) must be about the tail's. No timings are asserted."""
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
        assert "AddressSanitizer" not in err and "runtime error:" not in err \
            and "LeakSanitizer" not in err, f"sanitizer report:\n{err}"
        out.seek(0)
        report = json.loads(out.read())
    check_report(report, rc=rc)
    return report, rchar


def findings(report, shift=0):
    """The findings, their line numbers less `shift` (the lines before a start_offset)."""
    def loc(locations):
        return [dict(l, line=l["line"] - shift) for l in locations or []]
    return sorted((f["rule"], f["count"], f["first"]["line"] - shift if "first" in f else None,
                   json.dumps(loc(f.get("locations")), sort_keys=True))
                  for f in report["logs"]["findings"])


def test_last_start_on_a_big_log_reads_only_the_tail(tmp_path):
    log = tmp_path / "catalina.out"
    start_line = write_big_log(log)
    size = log.stat().st_size
    full, full_read = scan_counting_reads(log, {"WRENCH_LAST_START": "full"})
    back, back_read = scan_counting_reads(log, {})

    [ff], [bf] = full["logs"]["files"], back["logs"]["files"]
    assert ff["last_start"]["line"] == start_line and bf["last_start"]["line"] == 1
    assert ff["last_start"]["text"] == bf["last_start"]["text"]
    before = start_line - 1  # lines before the start: not read on the backward path
    assert bf["lines"] == ff["lines"] - before
    assert findings(back) == findings(full, before) and findings(back), findings(back)
    rules = {f["rule"] for f in back["logs"]["findings"]}
    assert not any("bind" in r.lower() for r in rules), rules
    assert ff["start_offset"] == 0 and ff["skipped_events"] > 0
    assert bf["start_offset"] == size - len(LAST.encode()), bf
    assert bf["skipped_events"] == 0, "not counted on the backward path (docs/report.md)"
    # The full path splits the whole file twice (and logdumps.c searches it once more). The
    # backward path reads the tail: 1 MiB chunks from the end, the last run, its dumps.
    assert full_read >= 2 * size, (full_read, size)
    assert back_read < 8 << 20, (back_read, size)


# Small logs, the backward path forced (WRENCH_LAST_START=backward): the same last start and
# findings as the two-pass path on the cases the backward reading must get right.

FILL = ("27-Nov-2026 03:00:02.000 INFO [http-nio-8080-exec-1] com.acme.web.Shop.list "
        "listed 12 products\n")


def same_as_two_pass(tmp_path, text):
    log = tmp_path / "catalina.out"
    log.write_text(text)
    full, _ = scan_counting_reads(log, {"WRENCH_LAST_START": "full"})
    back, _ = scan_counting_reads(log, {"WRENCH_LAST_START": "backward"})
    [ff], [bf] = full["logs"]["files"], back["logs"]["files"]
    # line numbers count from start_offset on the backward path
    before = text.encode()[:bf["start_offset"]].count(b"\n")
    if ff["last_start"]:
        assert bf["last_start"] == dict(ff["last_start"], line=ff["last_start"]["line"] - before)
    else:
        assert bf["last_start"] is None
    assert bf["lines"] == ff["lines"] - before
    assert findings(back) == findings(full, before)
    return ff, bf, back


def test_a_marker_line_across_a_chunk_boundary(tmp_path):
    # the marker line starts 60 bytes before the file's last MiB: it spans the first
    # backward chunk's start, and is read whole from the next one
    tail = FILL * (((1 << 20) - 60) // len(FILL))
    start = LAST.split("\n", 1)[0] + "\n"
    assert len(tail) < (1 << 20) < len(tail) + len(start)
    text = RUN.format(h=1) + FILL * 30000 + start + LAST.split("\n", 1)[1] + tail
    ff, bf, back = same_as_two_pass(tmp_path, text)
    assert bf["start_offset"] == len((RUN.format(h=1) + FILL * 30000).encode())
    assert "OutOfMemoryError" in json.dumps(back["logs"]["findings"])


def test_tomcat7_two_line_record_starts_at_its_first_line(tmp_path):
    t7 = ("Nov 27, 2026 2:00:00 AM org.apache.catalina.startup.VersionLoggerListener log\n"
          "INFO: Server version: Apache Tomcat/7.0.109\n"
          "Nov 27, 2026 2:00:05 AM org.apache.catalina.core.StandardContext listenerStart\n"
          "SEVERE: Exception sending context initialized event to listener instance of class "
          "com.acme.web.Boot\njava.lang.OutOfMemoryError: Java heap space\n"
          "\tat com.acme.web.Boot.contextInitialized(Boot.java:12)\n")
    ff, bf, _ = same_as_two_pass(tmp_path, RUN.format(h=1) + FILL * 100 + t7)
    assert ff["last_start"]["text"].startswith("Nov 27, 2026 2:00:00 AM")
    assert bf["start_offset"] == len((RUN.format(h=1) + FILL * 100).encode())


def test_a_marker_deep_inside_a_record_is_not_a_start(tmp_path):
    # "Server version name:" on the fourth line of a record: not a start (only a record's
    # first two lines are); the last start is the one before it
    quoted = ("27-Nov-2026 04:00:00.000 SEVERE [main] com.acme.Diag.dump configuration:\n"
              "  a\n  b\n  Server version name:   Apache Tomcat/10.1.16\n")
    ff, bf, _ = same_as_two_pass(tmp_path, RUN.format(h=1) + FILL * 10 + LAST + FILL * 10 + quoted)
    assert ff["last_start"]["line"] == RUN.count("\n") + 10 + 1 and bf["last_start"]["line"] == 1
    assert bf["start_offset"] == len((RUN.format(h=1) + FILL * 10).encode())


def test_no_marker_reads_the_whole_file(tmp_path):
    ff, bf, _ = same_as_two_pass(tmp_path, FILL * 100 + LAST.split("\n", 2)[2])
    assert ff["last_start"] is None and bf["start_offset"] == 0 and bf["events"] == ff["events"]
