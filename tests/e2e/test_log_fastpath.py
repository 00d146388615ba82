"""The log scan's fast path (wrench/logsplit.c, multimatch.c: events are split only around the
candidate literals found in a first pass) must report exactly what the full path reports:
findings, counts, first and last seen, samples, locations, start markers, line and event
counts. Each log is scanned with the fast path off (WRENCH_LOG_FASTPATH=0), on with the best
engine (Hyperscan when built in), on with the portable engine, on one and two threads, and the
reports are compared whole."""
import gzip
import json
import os
import pathlib
import random
import subprocess
import sys

import pytest

from helpers import run

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOGBENCH = ROOT / "scripts" / "bench" / "logbench.py"

MODES = {
    "full": {"WRENCH_LOG_FASTPATH": "0"},
    "fast": {"WRENCH_LOG_FASTPATH": "stats", "WRENCH_MULTIMATCH": ""},
    "portable": {"WRENCH_LOG_FASTPATH": "stats", "WRENCH_MULTIMATCH": "portable"},
}


def _scan(paths, mode, threads="1", extra=(), env=None):
    e = {**MODES[mode], "WRENCH_LOG_THREADS": threads, **(env or {})}
    args = ["scan", "--no-db", "--json", "--fail-on", "never", *extra]
    for p in paths:
        args += ["--logs", p]
    proc = run(args, env=e, timeout=600)
    assert proc.returncode == 0, proc.err
    report = json.loads(proc.out)
    report.pop("scan")  # times differ
    # the container's live numbers differ; its findings (thread dumps and fatal banners found
    # in the logs, logdumps.c, which the fast path's search tells where to look) must not
    report["environment"] = {"findings": report["environment"]["findings"]}
    report["summary"].pop("verdict")
    return report, proc.err


def _unsplit(err):
    """Events the fast path did not split, summed over the files of one scan."""
    total = 0
    for line in err.splitlines():
        if line.startswith("wrench: log fast path ") and "not split" in line:
            total += int(line.rsplit(",", 1)[1].split()[0])
    return total


def _assert_same(paths, extra=(), threads=("1",), env=None):
    """Every mode and thread count gives the full path's report; returns it and how many
    events the fast path skipped."""
    want, _ = _scan(paths, "full", "1", extra, env)
    skipped = {}
    for mode in MODES:
        for t in threads:
            got, err = _scan(paths, mode, t, extra, env)
            assert got == want, f"{mode} on {t} thread(s) differs from the full path"
            if mode != "full":
                skipped[mode] = _unsplit(err)
    return want, skipped


# ---- the logs shipped with the tests ----

FIXTURES = sorted(str(p) for p in (ROOT / "testdata" / "logs").rglob("*")
                  if p.is_file() and p.suffix in (".log", ".out")) + \
    sorted(str(p) for p in (ROOT / "testdata" / "fuzz" / "logscan").iterdir())


@pytest.mark.parametrize("log", FIXTURES, ids=lambda p: os.path.relpath(p, ROOT))
def test_fixture_logs_report_the_same(log):
    report, _ = _assert_same([log])
    assert report["logs"]["files"][0]["events"] > 0


def test_rule_samples_all_at_once_and_last_start():
    logs = [p for p in FIXTURES if "/rules/" in p]
    report, skipped = _assert_same(logs)
    # the rule samples hold a finding for most rules: the candidates were found
    assert len(report["logs"]["findings"]) > 50
    starts = [p for p in FIXTURES if "tomcat9/catalina" in p or "springboot" in p]
    report, _ = _assert_same(starts, extra=["--last-start"])
    assert all(f["last_start"] for f in report["logs"]["files"])


# ---- a log written to catch the fast path's edge cases ----

DUMP = (
    "Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9-Debian-1deb12u1 mixed mode, sharing):\n"
    "\n"
    "\"main\" #1 prio=5 os_prio=0 cpu=10.00ms elapsed=1.00s tid=0x00007f0000001000 nid=0x1"
    " waiting on condition  [0x00007f0000002000]\n"
    "   java.lang.Thread.State: TIMED_WAITING (sleeping)\n"
    "\tat java.lang.Thread.sleep(java.base@17.0.9/Native Method)\n"
    "\tat com.acme.Main.main(Main.java:5)\n"
    "\n"
    "JNI global refs: 10, weak refs: 0\n"
    "\n"
    "#\n"
    "# There is insufficient memory for the Java Runtime Environment to continue.\n"
    "# Cannot create worker GC thread. Out of system resources.\n"
    "# An error report file with more information is saved as:\n"
    "# /tmp/hs_err_pid1.log\n"
)


def _edge_log(path, rng):
    """Records of every shape the splitter knows, with padding that moves them across the
    64 KiB chunk boundaries, CRLF and NUL bytes, a line and an event too long to keep."""
    out = bytearray()
    frames = "".join(f"\tat com.acme.deep.Frame{i}.call(Frame{i}.java:{i})\n" for i in range(40))
    shapes = [
        "2026-11-27 02:{m:02}:{s:02}.123 INFO [main] c.a.App - served {pad}\n",
        "2026-11-27 02:{m:02}:{s:02}.123 INFO [main] c.a.App - TokenFilter ok {pad}\n",
        "2026-11-27 02:{m:02}:{s:02}.456 ERROR [main] c.a.App - boom {pad}\n"
        "java.lang.IllegalStateException: pool exhausted\n\tat com.acme.db.Pool.get(Pool.java:1)\n"
        "Caused by: java.net.ConnectException: Connection refused\n\t... 12 more\n",
        "2026-11-27 02:{m:02}:{s:02}.456 ERROR [main] o.a.c.Server - Failed to initialize\n"
        "java.net.BindException: Address already in use {pad}\n",
        "27-Nov-2026 02:{m:02}:{s:02}.789 SEVERE [main] o.a.c.StandardContext.startInternal"
        " One or more listeners failed to start. Full details in the log {pad}\n",
        "Nov 27, 2026 2:{m:02}:{s:02} AM org.apache.catalina.startup.Catalina load\n"
        "SEVERE: Catalina.start using conf/server.xml\njava.lang.NullPointerException\n"
        "\tat org.apache.Foo.bar(Foo.java:1)\n",
        "Nov 27, 2026 2:{m:02}:{s:02} AM org.apache.catalina.startup.VersionLoggerListener log\n"
        "INFO: Server version: Apache Tomcat/7.0.109\n",
        "SLF4J: Class path contains multiple SLF4J bindings.\n"
        "SLF4J: Found binding in [jar:file:/app/lib/a.jar!/org/slf4j/impl/X.class]\n",
        "log4j:WARN No appenders could be found for logger (org.acme).\n"
        "log4j:WARN Please initialize the log4j system properly.\n",
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
        "\tat com.acme.Big.alloc(Big.java:3)\n",
        "Unrecognized VM option 'UseConcMarkSweepGC'\n"
        "Error: Could not create the Java Virtual Machine.\n"
        "Error: A fatal exception has occurred. Program will exit.\n",
        "2026-11-27 02:{m:02}:{s:02}.123 INFO 1 --- [main] com.acme.App : Starting App v1.0"
        " using Java 17.0.2 with PID 1 (/app.jar started by root in /)\n",
        "2026-11-27 02:{m:02}:{s:02}.123 WARN [main] c.a.App - windows line {pad}\r\n"
        "java.io.IOException: Broken pipe\r\n\tat com.acme.Io.write(Io.java:9)\r\n",
        "2026-11-27 02:{m:02}:{s:02}.123 ERROR [main] c.a.App - a NUL\0here {pad}\n"
        "java.lang.Illegal\0ArgumentException: bad\n",
        "2026-11-27 02:{m:02}:{s:02}.123 ERROR [main] c.a.App - deep {pad}\n"
        "java.lang.StackOverflowError\n" + frames * 40 +
        "Caused by: java.lang.RuntimeException: at the bottom\n",
        "2026-11-27 02:{m:02}:{s:02}.123 INFO [main] c.a.App - long " + "x" * 70000 + "\n",
        "2026-11-27 02:{m:02}:{s:02}.123 ERROR [main] c.a.App - long error " + "y" * 70000 +
        " java.lang.IllegalStateException: far away\n",
        "\tat orphan.Frame.call(Frame.java:1)\n",
    ]
    weights = [400, 40, 20, 6, 6, 4, 3, 3, 3, 2, 2, 3, 4, 3, 1, 1, 1, 2]
    # a headless start: continuation lines before any header
    out += b"\tat com.acme.Before.start(Before.java:1)\nCaused by: java.lang.Error: early\n"
    while len(out) < 6 << 20:
        shape = rng.choices(shapes, weights)[0]
        text = shape.format(m=rng.randrange(60), s=rng.randrange(60),
                            pad="p" * rng.randrange(0, 300))
        out += text.encode()
    # a kill -3 thread dump and a native out-of-memory banner (logdumps.c)
    out += DUMP.encode()
    out += b"2026-11-27 03:00:00.000 ERROR [main] c.a.App - the end\n" \
           b"java.lang.IllegalStateException: no newline at the end"
    path.write_bytes(bytes(out))
    return path


def test_edge_cases_report_the_same(tmp_path):
    log = _edge_log(tmp_path / "edge.log", random.Random(7))
    report, skipped = _assert_same([str(log)])
    f = report["logs"]["files"][0]
    assert f["long_lines"] > 0 and f["truncated_events"] > 0
    assert report["logs"]["findings"] and f["last_start"]
    ids = {x["id"] for x in report["environment"]["findings"]}
    assert "log.native-oom" in ids and ids & {"log.thread-dump", "log.deadlock"}, ids
    # the fast path did its job: most events were only counted
    assert skipped["fast"] > f["events"] // 2 and skipped["portable"] > f["events"] // 2
    # the same bytes gzipped, and --last-start (both ways of finding the start)
    gz = tmp_path / "edge.log.gz"
    gz.write_bytes(gzip.compress(log.read_bytes()))
    _assert_same([str(gz)])
    _assert_same([str(log)], extra=["--last-start"])
    _assert_same([str(log)], extra=["--last-start"], env={"WRENCH_LAST_START": "backward"})


# ---- the bench generator's log, large enough for two threads ----

def test_bench_log_reports_the_same_on_one_and_two_threads(tmp_path):
    subprocess.run([sys.executable, str(LOGBENCH), str(tmp_path), "80"], check=True,
                   capture_output=True)
    log = tmp_path / "bench.log"
    assert log.stat().st_size >= 64 << 20  # read by two threads (LOGSCAN_PARALLEL_MIN)
    report, skipped = _assert_same([str(log)], threads=("1", "2"))
    f = report["logs"]["files"][0]
    assert len(report["logs"]["findings"]) > 20
    assert skipped["fast"] > f["events"] * 9 // 10
    # the container formats keep the full path, and still agree
    _assert_same([str(tmp_path / "bench.cri")])
