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
import re
import subprocess
import time
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


def _stats(err, what):
    """A count of the fast path's (WRENCH_LOG_FASTPATH=stats: "not split", "records not
    decoded"), summed over the files of one scan."""
    total = 0
    for line in err.splitlines():
        m = re.search(r", (\d+) " + what + r"\b", line)
        if line.startswith("wrench: log fast path ") and m:
            total += int(m.group(1))
    return total


def _unsplit(err):
    """Events the fast path did not split, summed over the files of one scan."""
    return _stats(err, "not split")


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
    # the container formats take the fast path too (their records are classified as lines),
    # and a CRI file this large is read in two halves, merged (stdout only)
    report, skipped = _assert_same([str(tmp_path / "bench.cri")], threads=("1", "2"))
    assert skipped["fast"] > report["logs"]["files"][0]["events"] * 9 // 10
    _, err = _scan([str(tmp_path / "bench.cri")], "fast", "2")
    assert _stats(err, "halves merged") == 2, err
    # JSON lines are read in two halves too, each with its own decoder
    report, skipped = _assert_same([str(tmp_path / "bench.jsonl")], threads=("1", "2"))
    assert skipped["fast"] > report["logs"]["files"][0]["events"] * 9 // 10
    # and most JSON records were never decoded: no literal could be in them
    for mode in ("fast", "portable"):
        _, err = _scan([str(tmp_path / "bench.jsonl")], mode)
        assert _stats(err, "records not decoded") > report["logs"]["files"][0]["events"] * 9 // 10
    # --since: the events the fast path does not split are dated, as on_event dates them
    for name in ("bench.log", "bench.cri", "bench.jsonl"):
        report, skipped = _assert_same([str(tmp_path / name)], extra=["--since", "2026-11-03"],
                                       threads=("1", "2") if name == "bench.log" else ("1",))
        f = report["logs"]["files"][0]
        assert 0 < f["skipped_events"] < f["events"], name
        assert skipped["fast"] > f["events"] * 9 // 10, name


# ---- the container formats, made from the edge log ----

def _stamp(i):
    """An RFC 3339 time for envelope line i, a second apart from 2026-11-27 01:00."""
    t = 1795741200 + i  # 2026-11-27T01:00:00Z
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%09dZ" % (i * 7919 % 10**9)


def _tai64n(i):
    return "@%016x%08x" % (2**62 + 10 + 1795741200 + i, i * 7919 % 10**9)


def _go_json(obj):
    # Docker's encoding/json: UTF-8 kept, <, > and & escaped
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _envelopes(plain, out_dir, rng, stderr_from=0.0):
    """The lines of a plain log as kubelet (CRI, long lines in P parts), Docker (json-file,
    long lines in partials) and svlogd -tt (TAI64N) write them, some on stderr (none in the
    first `stderr_from` of the lines)."""
    lines = plain.decode("utf-8", "replace").split("\n")
    cri, docker, svlogd = [], [], []
    for i, line in enumerate(lines):
        # the JVM's thread dump and fatal banner on stderr only: they must be noticed there too
        dump = line.startswith(("Full thread dump", "#", "\"main\"", "JNI global"))
        late = i >= len(lines) * stderr_from
        stream = "stderr" if late and (dump or rng.random() < 0.05) else "stdout"
        parts = [line[k:k + 500] for k in range(0, len(line), 500)] or [""]
        for k, part in enumerate(parts):
            tag = "F" if k == len(parts) - 1 else "P"
            cri.append(f"{_stamp(i)} {stream} {tag} {part}\n")
            end = "\n" if k == len(parts) - 1 else ""
            docker.append(_go_json({"log": part + end, "stream": stream, "time": _stamp(i)}) + "\n")
        svlogd.append(f"{_tai64n(i)} {line}\n")
    paths = {}
    for name, text in (("cri", cri), ("docker", docker), ("svlogd", svlogd)):
        paths[name] = out_dir / f"{name}.log"
        paths[name].write_text("".join(text), encoding="utf-8")
    return paths


def _json_lines(out_dir, rng):
    """JSON-lines records of several layouts (logstash, ECS flat and nested, GELF, Log4j2's
    thrown tree), with plain lines and broken JSON between them and a stack trace printed
    outside any logger."""
    out = []
    trace = "java.net.BindException: Address already in use\n\tat sun.nio.ch.Net.bind(Net.java:555)\n"
    for i in range(30000):
        stamp = _stamp(i).replace("000Z", "Z")
        kind = rng.choices(range(9), [300, 20, 10, 10, 5, 5, 5, 3, 3])[0]
        if kind == 0:
            rec = {"@timestamp": stamp, "message": f"served request {i}", "level": "INFO",
                   "logger_name": "com.acme.Web", "thread_name": "http-nio-8080-exec-1"}
        elif kind == 1:
            rec = {"@timestamp": stamp, "message": "Application run failed", "level": "ERROR",
                   "logger_name": "org.springframework.boot.SpringApplication",
                   "thread_name": "main", "stack_trace": trace}
        elif kind == 2:
            rec = {"@timestamp": stamp, "log.level": "error", "message": "pool init failed",
                   "error.type": "java.sql.SQLTransientConnectionException",
                   "error.message": "HikariPool-1 - Connection is not available"}
        elif kind == 3:
            rec = {"@timestamp": stamp, "log": {"level": "WARN", "logger": "c.a.Cache"},
                   "message": "cache <miss> & retry \u00e9t\u00e9 \u4e2d\u6587"}
        elif kind == 4:
            rec = {"timestamp": 1795741200 + i, "short_message": "low memory", "level": 3,
                   "_logger": "c.a.Mem", "full_message": "low memory\n\njava.lang.OutOfMemoryError"
                   ": Java heap space\n\tat c.a.Mem.grow(Mem.java:1)"}
        elif kind == 5:
            rec = {"instant": {"epochSecond": 1795741200 + i, "nanoOfSecond": 5}, "level": "ERROR",
                   "loggerName": "c.a.Boot", "message": "boot failed", "thrown": {
                       "name": "java.lang.NoSuchMethodError", "message": "'void c.a.X.y()'",
                       "extendedStackTrace": [{"class": "c.a.Boot", "method": "run",
                                               "file": "Boot.java", "line": 7}]}}
        elif kind == 6:
            out.append(f"\tat com.acme.Orphan.frame{i}(Orphan.java:1)\n")
            continue
        elif kind == 7:
            out.append('{"message": "broken record\n')
            continue
        else:
            out.append('{"@timestamp":"%s","message":"quoted \\"ERROR\\" \\u0045rror x\\/y",'
                       '"level":"INFO"}\n' % stamp)
            continue
        out.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    path = out_dir / "records.jsonl"
    path.write_text("".join(out), encoding="utf-8")
    return path


def test_container_formats_report_the_same(tmp_path):
    plain = _edge_log(tmp_path / "edge.log", random.Random(11)).read_bytes()
    cut = plain.index(b"\n", 3 << 20) + 1
    paths = _envelopes(plain[:cut] + DUMP.encode() + plain[cut:4 << 20], tmp_path,
                       random.Random(5))
    paths["json"] = _json_lines(tmp_path, random.Random(3))
    formats = {"cri": "cri", "docker": "docker", "svlogd": "svlogd", "json": "json"}
    for name, path in paths.items():
        report, skipped = _assert_same([str(path)])
        f = report["logs"]["files"][0]
        assert f["format"] == formats[name], (name, f["format"])
        assert report["logs"]["findings"], name
        if name != "json":  # the dump on stderr was found (logdumps.c), as without the fast path
            ids = {x["id"] for x in report["environment"]["findings"]}
            assert "log.native-oom" in ids, (name, ids)
        assert skipped["fast"] > f["events"] // 2, (name, skipped, f["events"])
        if name == "json":  # the shortcut was taken, and not for the lines it must decode
            _, err = _scan([str(path)], "fast")
            undecoded = _stats(err, "records not decoded")
            assert f["events"] // 2 < undecoded < f["events"], (undecoded, f["events"])
        # --since through the envelopes' times (headless events take them) and --last-start
        report, _ = _assert_same([str(path)], extra=["--since", "2026-11-27T01:20:00Z"])
        f = report["logs"]["files"][0]
        assert 0 < f["skipped_events"] < f["events"], name
        _assert_same([str(path)], extra=["--last-start"])


SMALL_HALVES = {"WRENCH_LOG_PARALLEL_MIN": "1"}  # files of any size read in two halves


def test_container_formats_in_two_halves(tmp_path):
    """CRI, Docker, svlogd and JSON-lines files read by two threads (logread.c,
    read_in_halves) report what one thread reports. With stderr records only after the
    middle the halves are merged; with stderr before it (an event of stderr may go on after
    the middle) the first thread reads on alone, and the report is still the same."""
    plain = _edge_log(tmp_path / "edge.log", random.Random(23)).read_bytes()
    cut = plain.index(b"\n", 3 << 20) + 1
    plain = plain[:cut] + DUMP.encode() + plain[cut:4 << 20]
    for stderr_from, merged in ((0.6, True), (0.0, False)):
        out = tmp_path / f"from{stderr_from}"
        out.mkdir()
        paths = _envelopes(plain, out, random.Random(7), stderr_from)
        if merged:
            paths["json"] = _json_lines(out, random.Random(9))
        for name, path in paths.items():
            report, _ = _assert_same([str(path)], threads=("1", "2"), env=SMALL_HALVES)
            assert report["logs"]["findings"], name
            # whether the halves were merged (svlogd has no stderr: always)
            _, err = _scan([str(path)], "fast", "2", env=SMALL_HALVES)
            want = 2 if merged or name in ("svlogd", "json") else 0
            assert _stats(err, "halves merged") == want, (name, stderr_from, err)
            if name != "json":
                ids = {x["id"] for x in report["environment"]["findings"]}
                assert "log.native-oom" in ids, (name, ids)


def test_a_stderr_event_across_the_middle_is_read_by_one_thread(tmp_path):
    """A stderr record written before the middle whose stack trace goes on after it (stdout
    records in between): halves merged would cut that event in two."""
    lines = []
    for i in range(30000):
        stamp = _stamp(i)
        if i == 12000:
            lines.append(f"{stamp} stderr F 2026-11-27 02:00:00.456 ERROR [main] c.a.App - boom")
        elif i in (27000, 27001):
            lines.append(f"{stamp} stderr F " + ("java.lang.IllegalStateException: pool exhausted"
                         if i == 27000 else "\tat com.acme.db.Pool.get(Pool.java:1)"))
        else:
            lines.append(f"{stamp} stdout F 2026-11-27 02:00:{i % 60:02}.123 INFO [main] "
                         f"c.a.App - served {i}")
    path = tmp_path / "cri.log"
    path.write_text("\n".join(lines) + "\n")
    report, _ = _assert_same([str(path)], threads=("1", "2"), env=SMALL_HALVES)
    _, err = _scan([str(path)], "fast", "2", env=SMALL_HALVES)
    assert _stats(err, "halves merged") == 0, err
    assert report["logs"]["files"][0]["events"] == 30000 - 2


def test_fixture_logs_in_envelopes_and_with_since(tmp_path):
    """The test logs (every rule's samples, the Tomcat and Spring Boot logs) as CRI, Docker and
    svlogd write them, and plain with --since: dates before all, after all and in between."""
    logs = [p for p in FIXTURES if "/logs/" in p]
    plain = b"".join(pathlib.Path(p).read_bytes().rstrip(b"\n") + b"\n" for p in logs)
    paths = _envelopes(plain, tmp_path, random.Random(17))
    for name, path in paths.items():
        report, _ = _assert_same([str(path)])
        assert len(report["logs"]["findings"]) > 50, name
    for since in ("2000-01-01", "2026-11-27T02:19:00", "2100-01-01"):
        report, _ = _assert_same(logs, extra=["--since", since])
        assert sum(f["skipped_events"] for f in report["logs"]["files"]) > 0 or since < "2026"


# ---- a rule whose literals cannot be told ----

def test_a_rule_without_literals_keeps_the_fast_path(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    # (?i) and a class: no literal rules_required_literals can vouch for
    (rules / "local.json").write_text(json.dumps({"rules": [{
        "id": "local.slow-request", "severity": "warning", "category": "other",
        "pattern": "(?i)served\\s+\\d+ in (?<ms>[5-9]\\d{3}) ms",
        "title": "A slow request ({ms} ms)", "hint": "Look at the request."}]}))
    log = tmp_path / "app.log"
    rng = random.Random(13)
    with open(log, "w") as f:
        for i in range(60000):
            ms = rng.choice([12, 40, 7000]) if i % 500 == 0 else rng.randrange(1, 999)
            f.write(f"2026-11-27 02:{i // 1000 % 60:02}:{i % 60:02}.123 INFO [main] c.a.App - "
                    f"SERVED {i} in {ms} ms\n")
            if i % 7000 == 0:
                f.write("2026-11-27 02:00:00.000 ERROR [main] c.a.App - boom\n"
                        "java.lang.IllegalStateException: pool exhausted\n")
    report, skipped = _assert_same([str(log)], extra=["--rules", str(rules)])
    f = report["logs"]["files"][0]
    [slow] = [x for x in report["logs"]["findings"] if x["rule"] == "local.slow-request"]
    assert slow["count"] > 10
    assert any(x["rule"] is None or x["rule"] != "local.slow-request"
               for x in report["logs"]["findings"])
    # only the events the rule matches (and the errors) were split
    assert skipped["fast"] >= f["events"] - slow["count"] - 20, (skipped, f["events"])
    assert skipped["portable"] == skipped["fast"]
