"""Log diagnosis on real failures (issue 3): JDK 17 programs from testdata/jvm/
are compiled at test time and run until they die, their stdout/stderr kept in
a log file as a container runtime keeps it, then `wrench scan --logs` must name
each failure with the right rule, count and root cause. A real Tomcat 10
(Debian's tomcat10-common + libtomcat10-java, CATALINA_HOME=/usr/share/tomcat10)
runs a webapp whose listener fails. Bad input (garbage, NUL bytes, invalid
UTF-8, a 50 MB line, a truncated .gz, an unreadable file, a file truncated while
read) must give notes in the report, never a crash. --last-start and --since
are checked on the same real logs (tests/e2e/test_log_window.py has the
synthetic cases).

"""

import gzip
import json
import os
import pathlib
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import zipfile

import pytest

import helpers
import tomcat

JVM_SRC = helpers.ROOT / "testdata" / "jvm"
JAVA_TIMEOUT = 60
RSS_LIMIT_KB = 100 * 1024
BIG_LINE_BYTES = 50 << 20


# --------------------------------------------------------------------------
# Running wrench and checking its log reports


def check_log_report(report, rc):
    """helpers.check_report (schema, cross-field rules, summary and exit code counting the
    log findings and problems), then the log section's own rules."""
    helpers.check_report(report, rc=rc)
    logs = report["logs"]
    assert logs is not None, "a --logs/--tomcat scan has a logs section"
    paths = {f["path"] for f in logs["files"]}
    for f in logs["files"]:
        assert f["events"] <= f["lines"] or f["lines"] == 0
    for finding in logs["findings"]:
        assert finding["file"] in paths, f"finding names {finding['file']}, not a file read"
        assert (finding["first_seen"] is None) == (finding["last_seen"] is None)
        for c in finding["correlations"]:
            view = report["views"][c["view"]]
            assert len(c["entries"]) == len(c["paths"])
            for idx, path in zip(c["entries"], c["paths"]):
                assert view["entries"][idx]["path"] == path
    order = [helpers.SEVERITIES.index(f["severity"]) for f in logs["findings"]]
    assert order == sorted(order, reverse=True), "log findings not sorted by severity"


def scan_logs(*args, cwd=None):
    """`wrench scan ARGS --json --no-db`; returns the checked report."""
    proc = helpers.run(["scan", *args, "--json", "--no-db"], cwd=cwd)
    assert proc.returncode in (0, 1), (
        f"wrench scan {list(args)} exited {proc.returncode}\nstderr: {proc.err}\n"
        f"stdout: {proc.out[:2000]}")
    report = json.loads(proc.out)
    check_log_report(report, proc.returncode)
    report["_rc"] = proc.returncode
    report["_stderr"] = proc.err
    return report


def findings(report, rule):
    return [f for f in report["logs"]["findings"] if f["rule"] == rule]


def one_finding(report, rule):
    found = findings(report, rule)
    assert len(found) == 1, f"expected one {rule} finding, got " + json.dumps(
        [(f["rule"], f["count"], f["signature"]) for f in report["logs"]["findings"]], indent=1)
    return found[0]


def log_file(report, name):
    found = [f for f in report["logs"]["files"] if os.path.basename(f["path"]) == name]
    assert len(found) == 1, f"expected one file {name}, got {report['logs']['files']}"
    return found[0]


def notes_naming(report, name):
    """Problems (of the log section or the scan) naming a file."""
    return [p for p in report["logs"]["problems"] + report["problems"]
            if name in p["path"] or name in p["message"]]


# --------------------------------------------------------------------------
# Building and running the test programs


def _javac(args):
    proc = subprocess.run(["javac", *args], capture_output=True, text=True, timeout=JAVA_TIMEOUT)
    assert proc.returncode == 0, f"javac {args} failed:\n{proc.stdout}\n{proc.stderr}"


def _sources(*dirs):
    return sorted(str(p) for d in dirs for p in (JVM_SRC / d).rglob("*.java"))


def _jar(path, classes_dir, prefix, pom=None, manifest=None):
    """A jar of classes_dir's files under prefix (zipfile: no JVM start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", helpers.manifest_text(manifest or {}))
        for f in sorted((classes_dir / prefix).rglob("*.class")):
            z.write(f, str(f.relative_to(classes_dir)))
        if pom:
            g, a, v = pom
            z.writestr(f"META-INF/maven/{g}/{a}/pom.properties", helpers.pom_properties(g, a, v))
    return path


@pytest.fixture(scope="session")
def jvm(tmp_path_factory):
    """The programs of testdata/jvm compiled (two javac runs) and packed:
    svc/app/shop.jar (Main-Class ShopApp, Class-Path lib/greeter-1.0.jar
    lib/greeter-2.0.jar: 1.0 wins, ShopApp needs 2.0's greet(String, int)),
    and a class dir with Hog and Server."""
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.fail("java/javac missing: run scripts/deps.sh (openjdk-17-jdk-headless)")
    base = tmp_path_factory.mktemp("jvm")
    v1, v2 = base / "v1", base / "v2"
    _javac(["--release", "11", "-d", str(v1), *_sources("greeter-1.0")])
    _javac(["--release", "11", "-d", str(v2), *_sources("greeter-2.0", "app")])
    app = base / "svc" / "app"
    _jar(app / "lib" / "greeter-1.0.jar", v1, "com/example/greeter",
         pom=("com.example", "greeter", "1.0"))
    _jar(app / "lib" / "greeter-2.0.jar", v2, "com/example/greeter",
         pom=("com.example", "greeter", "2.0"))
    shop = _jar(app / "shop.jar", v2, "com/example/shop", pom=("com.example", "shop", "1.0"),
                manifest={"Main-Class": "com.example.shop.ShopApp",
                          "Class-Path": "lib/greeter-1.0.jar lib/greeter-2.0.jar"})
    return type("Jvm", (), {"classes": v2, "shop": shop, "base": base})


def run_java(args, log, expect_rc=None, cwd=None):
    """Start a JVM, its stdout and stderr appended to `log` (as a container runtime
    keeps them), and wait for it to exit; returns the exit code."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(["java", "-Xshare:auto", *args], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd)
        try:
            rc = proc.wait(timeout=JAVA_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError(f"java {args} did not exit within {JAVA_TIMEOUT} s")
    if expect_rc is not None:
        assert rc == expect_rc, f"java {args} exited {rc}:\n{log.read_text(errors='replace')}"
    return rc


# --------------------------------------------------------------------------
# Real failures of real JVMs


REQUESTS = 3


@pytest.fixture(scope="session")
def dead_shop(jvm):
    """The shop service started twice (a container restart), dying each time after
    REQUESTS requests failed with NoSuchMethodError; logs in svc/logs/shop.log."""
    log = jvm.base / "svc" / "logs" / "shop.log"
    if not log.exists():
        for _ in range(2):
            run_java(["-jar", str(jvm.shop), str(REQUESTS)], log, expect_rc=1)
    text = log.read_text()
    assert text.count("java.lang.NoSuchMethodError") == 2 * REQUESTS, text
    return log


def test_no_such_method_error_is_correlated_with_the_class_conflict(jvm, dead_shop):
    r = scan_logs("--jar", jvm.shop, "--logs", dead_shop.parent)
    assert r["_rc"] == 1
    f = one_finding(r, "classloading.no-such-method")
    assert f["severity"] == "error"
    assert f["count"] == 2 * REQUESTS, "every failed request of both runs, grouped"
    assert f["file"].endswith("shop.log") and f["line"] == 2
    stamps = re.findall(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ERROR", dead_shop.read_text(),
                        re.M)
    assert len(stamps) == 2 * REQUESTS
    assert f["first_seen"] == stamps[0] and f["last_seen"] == stamps[-1]
    assert f["class"] == "com.example.greeter.Greeter"
    assert "NoSuchMethodError" in f["root_cause"]
    assert "com.example.greeter.Greeter.greet(java.lang.String, int)" in f["root_cause"]
    assert "request 1 failed" in f["sample"]
    # The Chinese title and hint are filled from the same facts (rules/classloading.json).
    rule = next(x for x in json.loads((helpers.ROOT / "rules" / "classloading.json").read_text())
                ["rules"] if x["id"] == "classloading.no-such-method")
    assert "com.example.greeter.Greeter.greet" in f["title_zh"] and f["title_zh"] != f["title"]
    assert f["title_zh"].startswith(rule["title_zh"].split("（")[0])
    assert f["hint_zh"] == rule["hint_zh"]
    [c] = f["correlations"]
    assert c["class"] == "com.example.greeter.Greeter"
    assert [os.path.basename(p) for p in c["paths"]] == ["greeter-1.0.jar", "greeter-2.0.jar"]
    assert c["winner"] == c["entries"][0] and not c["winner_undefined"]
    assert c["copies_differ"] is True
    # The same two jars are the classpath's conflict and duplicate.
    [conflict] = [x for x in r["conflicts"] if x["entries"] == c["entries"]]
    assert "com.example.greeter.Greeter" in conflict["differing_classes"]
    assert "greeter" in r["summary"]["verdict"] and "NoSuchMethodError" in r["summary"]["verdict"]
    shop_log = log_file(r, "shop.log")
    assert shop_log["complete"] and shop_log["kind"] == "app"
    assert shop_log["bytes"] == dead_shop.stat().st_size
    assert shop_log["lines"] == dead_shop.read_text().count("\n")


def test_text_report_opens_with_the_conflict_that_killed_the_service(jvm, dead_shop):
    proc = helpers.run(["scan", "--jar", jvm.shop, "--logs", dead_shop.parent, "--no-db"])
    assert proc.returncode == 1, proc.err
    head = proc.out.splitlines()[:6]
    verdict = [line for line in head if line.startswith("Verdict:")]
    assert verdict, "no Verdict line in the first lines:\n" + "\n".join(head)
    line = verdict[0]
    assert "NoSuchMethodError" in line
    assert "com.example.greeter.Greeter" in line
    assert "greeter-1.0.jar" in line and "greeter-2.0.jar" in line
    assert line.index("greeter-1.0.jar") < line.index("greeter-2.0.jar")


def test_no_such_method_error_without_a_classpath_has_no_correlation(dead_shop):
    r = scan_logs("--logs", dead_shop)
    f = one_finding(r, "classloading.no-such-method")
    assert f["count"] == 2 * REQUESTS
    assert f["correlations"] == []
    assert r["views"] == []


@pytest.fixture(scope="session")
def hog_logs(jvm, tmp_path_factory):
    """Two deaths by OutOfMemoryError with -Xmx24m: the default JVM (an uncaught
    error and its stack trace) and one with -XX:+ExitOnOutOfMemoryError (only the
    JVM's "Terminating due to ..." line), each in its own log."""
    logs = tmp_path_factory.mktemp("hog") / "logs"
    plain, exiting = logs / "hog.log", logs / "hog-exit.log"
    assert run_java(["-Xmx24m", "-cp", str(jvm.classes), "com.example.hog.Hog"], plain) == 1
    assert run_java(["-Xmx24m", "-XX:+ExitOnOutOfMemoryError", "-cp", str(jvm.classes),
                     "com.example.hog.Hog"], exiting) == 3
    assert ("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"
            in plain.read_text())
    assert "Terminating due to java.lang.OutOfMemoryError: Java heap space" in exiting.read_text()
    return type("Hog", (), {"plain": plain, "exiting": exiting})


def test_out_of_memory_error_of_a_small_heap(hog_logs):
    r = scan_logs("--logs", hog_logs.plain.parent)
    assert r["_rc"] == 1
    heap = findings(r, "memory.heap-space")
    assert all(f["severity"] == "critical" for f in heap)
    for name in ("hog.log", "hog-exit.log"):
        [f] = [f for f in heap if f["file"].endswith("/" + name)]
        assert f["count"] == 1, f"{name}: one death"
        assert f["root_cause"].startswith("java.lang.OutOfMemoryError: Java heap space")
    [f] = [f for f in heap if f["file"].endswith("/hog.log")]
    assert f["line"] == 2, "the uncaught error, after the program's own first line"
    assert not findings(r, "memory.oom-other")
    assert r["summary"]["critical"] >= 1


def test_out_of_memory_error_twice_in_one_container_log(hog_logs, tmp_path):
    # A restarted container keeps one log: both runs, one after the other.
    log = tmp_path / "container.log"
    log.write_bytes(hog_logs.plain.read_bytes() + hog_logs.exiting.read_bytes())
    r = scan_logs("--logs", log)
    heap = findings(r, "memory.heap-space")
    assert sum(f["count"] for f in heap) == 2, json.dumps(heap, indent=1)


def test_bind_exception_of_a_port_in_use(jvm, tmp_path):
    log = tmp_path / "logs" / "server.log"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run_java(["-cp", str(jvm.classes), "com.example.net.Server", str(port)], log,
                 expect_rc=2)
    text = log.read_text()
    assert "java.net.BindException: Address already in use" in text, text
    r = scan_logs("--logs", log)
    f = one_finding(r, "tomcat.port-in-use")
    assert f["severity"] == "critical" and f["count"] == 1
    assert f["root_cause"].startswith("java.net.BindException: Address already in use")
    [stamp] = re.findall(r"^(\S+) ERROR", text, re.M)
    assert f["first_seen"] == stamp == f["last_seen"]
    assert f["line"] == 2, "the ERROR record, after the INFO one"
    assert f"cannot listen on 127.0.0.1:{port}" in f["sample"]


# --------------------------------------------------------------------------
# A real Tomcat whose webapp fails at startup


@pytest.fixture(scope="session")
def failed_tomcat(tmp_path_factory):
    """CATALINA_BASE in tmp (testdata/jvm/tomcat) with webapp /bad, whose listener
    throws; Tomcat started on a free loopback port, waited for, stopped by pid."""
    server = tomcat.start(tmp_path_factory.mktemp("catalina-base"))
    server.stop()
    return server


def test_tomcat_webapp_listener_failure(failed_tomcat):
    base = failed_tomcat.base
    catalina_out = (base / "logs" / "catalina.out").read_text()
    assert "Context [/bad] startup failed due to previous errors" in catalina_out
    [localhost_log] = sorted((base / "logs").glob("localhost.*.log"))
    assert "Exception sending context initialized event" in localhost_log.read_text()

    r = scan_logs("--tomcat", base)
    assert r["_rc"] == 1
    names = sorted(os.path.basename(f["path"]) for f in r["logs"]["files"])
    assert names == ["catalina.out", localhost_log.name]
    assert all(f["kind"] == "tomcat" and f["complete"] for f in r["logs"]["files"])

    exc = one_finding(r, "tomcat.listener-exception")
    assert exc["count"] == 1 and exc["severity"] == "error"
    assert exc["file"] == str(localhost_log) or exc["file"].endswith(localhost_log.name)
    assert exc["line"] == 1
    assert exc["class"] == "com.example.web.FailingListener"
    assert exc["root_cause"] == ("Caused by: java.lang.IllegalArgumentException: "
                                 "context parameter shop.db.url is not set")
    assert "missing required setting shop.db.url" in exc["sample"]
    stamp = localhost_log.read_text().split(" SEVERE ")[0]
    assert exc["first_seen"] == stamp == exc["last_seen"]
    # The webapp's own class, found through the --tomcat classpath.
    assert [c["class"] for c in exc["correlations"]] == ["com.example.web.FailingListener"]

    for rule, text in (("tomcat.listeners-failed", "One or more listeners failed to start"),
                       ("tomcat.context-startup-failed", "Context [/bad] startup failed")):
        f = one_finding(r, rule)
        assert f["count"] == 1 and f["severity"] == "critical"
        assert f["file"].endswith("catalina.out")
        assert text in f["sample"]
        line = next(i for i, l in enumerate(catalina_out.splitlines(), 1) if text in l)
        assert f["line"] == line
    assert "listener" in r["summary"]["verdict"]
    # A server that started and stopped cleanly otherwise: no port or connector trouble.
    assert not findings(r, "tomcat.port-in-use") and not findings(r, "tomcat.server-failed")


# --------------------------------------------------------------------------
# Bad input: notes, never a crash

OOM_EVENT = (b"2026-11-27 02:19:18,123 ERROR [main] com.acme.Worker - batch failed\n"
             b"java.lang.OutOfMemoryError: Java heap space\n"
             b"\tat com.acme.Worker.load(Worker.java:42)\n")
INFO_LINE = b"2026-11-27 02:19:17,001 INFO [main] com.acme.Worker - loading batch %d\n"


def _info_lines(n):
    return b"".join(INFO_LINE % i for i in range(n))


def _garbage_logs(tmp_path):
    rnd = random.Random(3)
    garbage = bytes(rnd.getrandbits(8) for _ in range(1 << 20))
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "garbage.log").write_bytes(garbage)
    (tmp_path / "logs" / "app.log").write_bytes(_info_lines(5) + OOM_EVENT)
    return tmp_path / "logs", len(garbage)


def test_binary_garbage_is_read_without_findings_or_crash(tmp_path):
    logs, size = _garbage_logs(tmp_path)
    r = scan_logs("--logs", logs)
    assert log_file(r, "garbage.log")["bytes"] == size
    assert one_finding(r, "memory.heap-space")["file"].endswith("app.log")


def test_binary_garbage_is_noted(tmp_path):
    logs, _ = _garbage_logs(tmp_path)
    r = scan_logs("--logs", logs)
    assert notes_naming(r, "garbage.log") or not log_file(r, "garbage.log")["complete"], \
        "no note that garbage.log is binary: " + json.dumps(r["logs"], indent=1)


def _nul_log(tmp_path):
    # What a log looks like after a crash on a filesystem that preallocated it.
    data = _info_lines(3) + b"\0" * 100000 + b"\n" + OOM_EVENT + b"abc\0def\n" + OOM_EVENT
    p = tmp_path / "nul.log"
    p.write_bytes(data)
    return p, len(data)


def test_nul_bytes_do_not_hide_the_events_after_them(tmp_path):
    p, size = _nul_log(tmp_path)
    r = scan_logs("--logs", p)
    f = one_finding(r, "memory.heap-space")
    assert f["count"] == 2
    assert "\0" not in f["sample"]
    assert log_file(r, "nul.log")["bytes"] == size


def test_nul_bytes_are_noted(tmp_path):
    p, _ = _nul_log(tmp_path)
    r = scan_logs("--logs", p)
    assert notes_naming(r, "nul.log") or not log_file(r, "nul.log")["complete"], \
        "no note of the NUL bytes: " + json.dumps(r["logs"], indent=1)


def test_invalid_utf8_keeps_the_report_valid_json(tmp_path):
    data = (b"2026-11-27 02:19:18,123 ERROR [main] com.acme.Caf\xe9 - \xff\xfe\xc3( broken\n"
            b"java.lang.OutOfMemoryError: Java heap space \xed\xa0\x80 \xf8\x88\x80\x80\x80\n"
            b"\tat com.acme.Caf\xe9.load(Caf\xe9.java:42)\n")
    p = tmp_path / "latin1.log"
    p.write_bytes(data)
    r = scan_logs("--logs", p)
    f = one_finding(r, "memory.heap-space")
    assert f["count"] == 1
    assert "Java heap space" in f["root_cause"]
    assert "broken" in f["sample"], "the sample kept, its bad bytes replaced"
    assert "\ufffd" in f["sample"] or "\\x" in f["sample"] or "?" in f["sample"]


def _max_rss_kb(args):
    """Run wrench in a fresh Python so RUSAGE_CHILDREN holds wrench alone (not the JVMs)."""
    code = ("import resource, subprocess, sys\n"
            "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
            " stderr=subprocess.DEVNULL)\n"
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, helpers.WRENCH, *map(str, args)],
                         capture_output=True, text=True, timeout=helpers.RUN_TIMEOUT)
    rc, rss = out.stdout.split()
    return int(rc), int(rss)


def test_a_50_mb_line_is_cut_in_bounded_memory(tmp_path):
    p = tmp_path / "oneline.log"
    with open(p, "wb") as f:
        f.write(b"2026-11-27 02:19:18,000 WARN [main] com.acme.Dump - payload ")
        chunk = b"0123456789abcdef" * 65536
        for _ in range(BIG_LINE_BYTES // len(chunk)):
            f.write(chunk)
        f.write(b"\n" + OOM_EVENT)
    r = scan_logs("--logs", p)
    lf = log_file(r, "oneline.log")
    assert lf["long_lines"] >= 1
    assert lf["bytes"] == p.stat().st_size
    f = one_finding(r, "memory.heap-space")
    assert f["count"] == 1
    for finding in r["logs"]["findings"]:
        assert len(finding["sample"] or "") <= 8 * 1024 + 64
    rc, rss = _max_rss_kb(["scan", "--logs", p, "--json", "--no-db"])
    assert rc in (0, 1)
    assert rss < RSS_LIMIT_KB, f"peak RSS {rss} KiB reading a 50 MB line"


def test_truncated_gzip_keeps_what_was_read_and_says_so(tmp_path):
    (tmp_path / "logs").mkdir()
    events = _info_lines(2000) + OOM_EVENT + _info_lines(20000) + OOM_EVENT
    whole = gzip.compress(events, compresslevel=6)
    p = tmp_path / "logs" / "catalina.2026-11-26.log.gz"
    p.write_bytes(whole[:len(whole) * 2 // 3])
    r = scan_logs("--logs", tmp_path / "logs")
    lf = log_file(r, p.name)
    assert lf["compressed"] is True
    assert lf["complete"] is False
    assert 0 < lf["bytes"] < len(events)
    assert notes_naming(r, p.name), "no problem names the truncated gzip"
    assert one_finding(r, "memory.heap-space")["count"] == 1, "the event before the cut"


def test_unreadable_file_is_a_problem_and_the_rest_is_read():
    """A mode-000 log read as an unprivileged user (root reads anything: as root the
    test runs wrench as nobody, in a directory nobody can enter)."""
    logs = pathlib.Path(tempfile.mkdtemp(prefix="wrench-unreadable-"))
    try:
        logs.chmod(0o755)
        (logs / "app.log").write_bytes(OOM_EVENT)
        (logs / "secret.log").write_bytes(OOM_EVENT * 2)
        (logs / "secret.log").chmod(0)
        prefix = []
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("setpriv (util-linux) missing: cannot drop root")
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        proc = subprocess.run(
            prefix + [helpers.WRENCH, "scan", "--logs", str(logs), "--json", "--no-db"],
            capture_output=True, timeout=helpers.RUN_TIMEOUT)
        assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
        r = json.loads(proc.stdout)
        check_log_report(r, proc.returncode)
        f = one_finding(r, "memory.heap-space")
        assert f["file"].endswith("app.log") and f["count"] == 1
        [note] = notes_naming(r, "secret.log")
        assert "Permission denied" in note["message"]
        assert note["severity"] == "warning"
    finally:
        shutil.rmtree(logs, ignore_errors=True)


def test_a_missing_log_given_by_name_is_a_usage_error(tmp_path):
    # A typo in --logs must not pass a pipeline's --fail-on: exit 2, naming the path.
    (tmp_path / "gone.log").symlink_to(tmp_path / "rotated-away.log")  # dangling
    for name in ("gone.log", "never-there.log", "nothing-*.log"):
        proc = helpers.run(["scan", "--logs", tmp_path / name, "--json", "--no-db"])
        assert proc.returncode == 2, proc.out
        assert proc.out == ""
        assert f"wrench scan: --logs {tmp_path / name}: " in proc.err
        assert proc.err.count(name) == 1, proc.err  # the path is named once


def test_a_directory_where_a_log_should_be_is_a_problem(tmp_path):
    (tmp_path / "weird.log").mkdir()
    r = scan_logs("--logs", tmp_path / "weird.log")
    assert r["logs"]["files"] == []
    assert notes_naming(r, "weird.log"), "no problem names weird.log"


def test_unreadable_entries_of_a_log_directory_are_noted(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_bytes(OOM_EVENT)
    (logs / "gone.log").symlink_to(tmp_path / "rotated-away.log")
    r = scan_logs("--logs", logs)
    assert one_finding(r, "memory.heap-space")["file"].endswith("app.log")
    assert notes_naming(r, "gone.log"), f"no problem names gone.log: {r['logs']['problems']}"


def _scan_while_truncating(tmp_path):
    """wrench reading a 256 MiB log that a thread cuts to 4 KiB as soon as wrench's read
    offset moves (a log rotated with copytruncate); returns (report, size, whether cut)."""
    p = tmp_path / "catalina.out"
    block = (_info_lines(200) + OOM_EVENT) * 64
    with open(p, "wb") as f:
        while f.tell() < (256 << 20):
            f.write(block)
    size = p.stat().st_size
    rc, out, err, cut = helpers.scan_log_while_reading(p, lambda: os.truncate(p, 4096), size)
    assert rc in (0, 1), f"exit {rc}: {err}"
    report = json.loads(out)
    check_log_report(report, rc)
    if not cut:
        pytest.skip("wrench read the file before it could be truncated")
    return report, size


def test_a_log_truncated_while_read(tmp_path):
    """Best effort: no crash, a valid report, the events read before the cut."""
    report, size = _scan_while_truncating(tmp_path)
    lf = log_file(report, "catalina.out")
    assert lf["bytes"] < size, "read past the truncation?"
    assert one_finding(report, "memory.heap-space")["count"] >= 1


def test_a_log_truncated_while_read_is_noted(tmp_path):
    report, _ = _scan_while_truncating(tmp_path)
    lf = log_file(report, "catalina.out")
    assert notes_naming(report, "catalina.out") or not lf["complete"], lf


# --------------------------------------------------------------------------
# --last-start and --since on the real logs


def test_last_start_keeps_the_last_run_of_the_service(dead_shop):
    text = dead_shop.read_text()
    starts = [i for i, l in enumerate(text.splitlines(), 1) if "Starting ShopApp using Java" in l]
    assert len(starts) == 2
    stamps = re.findall(r"^(\S+ \S+) ERROR", text, re.M)
    r = scan_logs("--logs", dead_shop, "--last-start")
    f = one_finding(r, "classloading.no-such-method")
    assert f["count"] == REQUESTS, "only the failures after the last start"
    assert f["first_seen"] == stamps[REQUESTS] and f["last_seen"] == stamps[-1]
    assert f["line"] == starts[1] + 1
    lf = log_file(r, "shop.log")
    assert lf["last_start"]["line"] == starts[1]
    assert "Starting ShopApp using Java" in lf["last_start"]["text"]
    assert lf["skipped_events"] >= REQUESTS + 1


def test_last_start_of_a_restarted_tomcat(failed_tomcat, tmp_path):
    # catalina.out after a restart: the real run's lines twice, one after the other.
    once = (failed_tomcat.base / "logs" / "catalina.out").read_text()
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "catalina.out").write_text(once + once)
    n = once.count("\n")
    r = scan_logs("--logs", logs, "--last-start")
    lf = log_file(r, "catalina.out")
    assert lf["last_start"] is not None and lf["last_start"]["line"] > n, lf
    for rule in ("tomcat.listeners-failed", "tomcat.context-startup-failed"):
        f = one_finding(r, rule)
        assert f["count"] == 1 and f["line"] > n
    r = scan_logs("--logs", logs)
    assert one_finding(r, "tomcat.listeners-failed")["count"] == 2


def test_since_limits_the_scan_by_time(dead_shop):
    import datetime
    r = scan_logs("--logs", dead_shop, "--since", "1h")
    assert one_finding(r, "classloading.no-such-method")["count"] == 2 * REQUESTS, \
        "the service died a few seconds ago: all of it is within the last hour"
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    r = scan_logs("--logs", dead_shop, "--since", tomorrow)
    assert findings(r, "classloading.no-such-method") == []
    lf = log_file(r, "shop.log")
    assert lf["skipped_events"] >= 2 * REQUESTS
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    r = scan_logs("--logs", dead_shop, "--since", yesterday)
    assert one_finding(r, "classloading.no-such-method")["count"] == 2 * REQUESTS


@pytest.mark.parametrize("bad", [
    "yesterday", "-5m", "5 parsecs", "", "2026-13-45", "2026-11-27 25:99",
    "2026-02-30"])
def test_since_rejects_what_it_cannot_read(dead_shop, bad):
    proc = helpers.run(["scan", "--logs", dead_shop, "--since", bad, "--no-db"])
    assert proc.returncode == 2, f"--since {bad!r}: exit {proc.returncode}\n{proc.out[:500]}"
    assert "--since" in proc.err


# --------------------------------------------------------------------------
# Chinese rule texts (issue 12, item 7)

NCDFE = ("2026-12-07 10:00:00.000 ERROR [main] c.a.Shop - request failed\n"
         "java.lang.NoClassDefFoundError: com/acme/Missing\n"
         "\tat com.acme.Shop.run(Shop.java:10)\n")


def _rule(rule_id):
    for path in (helpers.ROOT / "rules").glob("*.json"):
        for r in json.loads(path.read_text()).get("rules", []):
            if r["id"] == rule_id:
                return r
    raise AssertionError(rule_id)


def test_lang_picks_the_rule_texts_of_the_text_report(tmp_path):
    log = tmp_path / "app.log"
    log.write_text(NCDFE)
    rule = _rule("classloading.no-class-def")
    report = scan_logs("--logs", log)
    f = one_finding(report, "classloading.no-class-def")
    assert "com/acme/Missing" in f["title_zh"] and f["hint_zh"] == rule["hint_zh"]

    def text(*extra, env=None):
        proc = helpers.run(["scan", "--logs", log, "--no-db", "--color", "never", *extra],
                           env=env)
        assert proc.returncode == 1, proc.err
        return proc.out

    english = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    for out in (text("--lang", "zh", env=english), text(env={**english, "LANG": "zh_CN.UTF-8"}),
                text(env={**english, "LC_MESSAGES": "zh_TW.UTF-8"})):
        assert f"日志：{f['title_zh']}（1 次）" in out and rule["hint_zh"] in out
        assert f"ERROR    log: {f['title']}" not in out and rule["hint"] not in out
        assert f"处理：{rule['hint_zh']}" in out  # the incident's hint is the rule's
        # The verdict and the incidents are in Chinese too, naming the Chinese title.
        assert f"结论：{f['title_zh']}" in out and "Verdict:" not in out
    # LC_ALL wins over LANG, --lang over both.
    for out in (text(env=english), text("--lang", "en", env={**english, "LANG": "zh_CN.UTF-8"}),
                text(env={**english, "LC_ALL": "C", "LANG": "zh_CN.UTF-8"})):
        assert f"log: {f['title']} (1 time)" in out and rule["hint"] in out
        assert f["title_zh"] not in out
    proc = helpers.run(["scan", "--logs", log, "--no-db", "--lang", "fr"])
    assert proc.returncode == 2 and "--lang takes en or zh, not 'fr'" in proc.err


def test_show_lang_prints_the_stored_chinese_texts(tmp_path):
    log = tmp_path / "app.log"
    log.write_text(NCDFE)
    db = tmp_path / "w.db"
    english = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    scanned = helpers.run(["scan", "--logs", log, "--db", db, "--color", "never", "--lang", "zh"],
                          env=english)
    assert scanned.returncode == 1, scanned.err
    shown = helpers.run(["show", "--db", db, "--color", "never", "--lang", "zh"], env=english)
    assert shown.returncode == 0, shown.err
    assert shown.out == scanned.out and "运行时缺少需要的类" in shown.out
    shown = helpers.run(["show", "--db", db, "--color", "never"], env=english)
    assert "A class needed at run time is missing" in shown.out


def test_rules_check_accepts_chinese_texts_and_checks_the_hints_file(tmp_path):
    shipped = sorted((helpers.ROOT / "rules").glob("*.json"))
    proc = helpers.run(["rules", "check", *shipped])
    assert proc.returncode == 0, proc.out + proc.err
    assert proc.out.count(": ok") == len(shipped)
    hints = json.loads((helpers.ROOT / "rules" / "classpath-hints.json").read_text())
    hints["hints"][0]["title_zh"] = 5
    bad = tmp_path / "classpath-hints.json"
    bad.write_text(json.dumps(hints, ensure_ascii=False))
    proc = helpers.run(["rules", "check", bad])
    assert proc.returncode == 1 and '"title_zh" and "hint_zh" must be strings' in proc.out
    rules = json.loads((helpers.ROOT / "rules" / "jvm.json").read_text())
    rules["rules"][0]["title_zh"] = rules["rules"][0]["title_zh"].replace("{option}", "{opt}")
    bad = tmp_path / "jvm.json"
    bad.write_text(json.dumps(rules, ensure_ascii=False))
    proc = helpers.run(["rules", "check", bad])
    assert proc.returncode == 1
    assert '"title_zh" must name the same {placeholders} as "title"' in proc.out
