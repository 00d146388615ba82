"""What wrench keeps of a JVM for a scan after its death (issue 18, item 4).

A JVM's working directory, -XX:ErrorFile and -XX:HeapDumpPath vanish from /proc with it:
a scan that stores into a database (--db) keeps what it saw of each running JVM, and a
later scan of the service with no JVM looks for its crash files where that JVM had them.
The JVM here is real (a jar built with javac/jar, crashed by SIGSEGV on the test's word);
discovery is pointed at the test's pid, then at a fixture root with a services file and
an empty --proc-root, so that no other JVM or file of the machine is looked at.
"""
import json
import os
import pathlib
import signal
import subprocess
import time

import pytest

import tomcat
from helpers import ROOT, run, scan

SRC = ROOT / "testdata" / "state"


@pytest.fixture(scope="module")
def crash_jar(tmp_path_factory):
    out = tmp_path_factory.mktemp("crash-jar")
    subprocess.run(["javac", "-nowarn", "-d", str(out / "classes"), str(SRC / "CrashOnInput.java")],
                   check=True, capture_output=True)
    jar = out / "crash.jar"
    subprocess.run(["jar", "--create", "--file", str(jar), "--main-class", "CrashOnInput",
                    "-C", str(out / "classes"), "."], check=True, capture_output=True)
    return jar


def _start(args, cwd, log):
    proc = subprocess.Popen(["java", *map(str, args)], cwd=cwd, stdin=subprocess.PIPE,
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while "started" not in log.read_text(errors="replace"):
        assert proc.poll() is None and time.time() < deadline, log.read_text(errors="replace")
        time.sleep(0.1)
    return proc


def _crash(proc):
    proc.stdin.write(b"go\n")
    proc.stdin.flush()
    assert proc.wait(60) != 0


def _state(report):
    [st] = report["services"]
    return st


def _jar_service(tmp_path, crash_jar, name, crash_dir):
    """A fixture root where the service is declared as the platform does it: its jar only,
    in the services file. Gives (root, the jar, an empty --proc-root, a database path, the
    JVM's output file); the root has /app, /work (its working directory) and /crash_dir."""
    root = tmp_path / "root"
    for d in ("app", "work", crash_dir):
        (root / d).mkdir(parents=True)
    jar = root / "app" / "crash.jar"
    jar.write_bytes(crash_jar.read_bytes())
    (root / "etc" / "wrench").mkdir(parents=True)
    (root / "etc" / "wrench" / "wrench.conf").write_text(json.dumps({"services": [
        {"name": name, "kind": "jar", "paths": {"jar": "/app/crash.jar"}}]}))
    empty_proc = tmp_path / "proc"
    empty_proc.mkdir()
    return root, jar, empty_proc, tmp_path / "wrench.db", tmp_path / "out.log"


def test_a_crashed_jvm_is_found_through_what_the_store_saw_of_it(tmp_path, crash_jar):
    root, jar, empty_proc, db, log = _jar_service(tmp_path, crash_jar, "crash", "custom")
    # its crash report goes elsewhere than its working directory, by a relative -XX:ErrorFile
    proc = _start(["-Xmx32m", "-XX:ErrorFile=../custom/hs_err_%p.log", "-XX:-CreateCoredumpOnCrash",
                   "-jar", jar], root / "work", log)
    try:
        running = _state(scan("--pid", proc.pid, "--root", root, "--db", db,
                              "--start-timeout", "3600"))
        assert running["pid"] == proc.pid and running["identity"] == "jar /app/crash.jar", running
        seen = running["sighting"]
        assert seen["pid"] == proc.pid and seen["cwd"] == "/work", seen
        assert seen["error_file"] == "../custom/hs_err_%p.log" and seen["last_seen"], seen
        _crash(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    [hs_err] = list((root / "custom").glob("hs_err_*.log"))
    assert hs_err.name == f"hs_err_{proc.pid}.log"  # -XX:ErrorFile's %p is the pid
    assert not list((root / "work").glob("hs_err*.log"))

    # nothing runs now: a scan without the store does not know where to look
    blind = _state(scan("--root", root, "--proc-root", empty_proc, "--no-db"))
    assert blind["pid"] is None and blind["identity"] == "jar /app/crash.jar", blind
    assert blind["state"] == "down" and blind["crash"]["hs_err"] is None, blind
    assert blind["sighting"] is None

    # with the store: the last sighting's working directory and ErrorFile lead to the report
    r = scan("--root", root, "--proc-root", empty_proc, "--db", db, rcs=(1,))
    st = _state(r)
    assert st["state"] == "crashed", st
    assert st["crash"]["hs_err"] == str(hs_err), st["crash"]
    assert st["crash"]["hs_err_facts"]["signal"] == "SIGSEGV"
    assert st["crash"]["hs_err_facts"]["pid"] == proc.pid
    assert st["sighting"]["pid"] == proc.pid and st["sighting"]["cwd"] == "/work"
    assert any(e.startswith(f"last seen running as pid {proc.pid} at 20")
               and "-XX:ErrorFile=../custom/hs_err_%p.log" in e for e in st["evidence"]), \
        st["evidence"]
    # the crash is an incident, and it names the report found through the store
    [crashed] = [f["id"] for f in r["findings"] if f["rule"] == "service-crashed"]
    [inc] = [i for i in r["incidents"] if str(hs_err) in i["cause_text"]]
    assert inc["cause"] == crashed and "SIGSEGV" in inc["cause_text"], inc
    assert inc["id"] in r["verdict"]["incidents"], r["verdict"]
    # the text report says where it was seen, and the crash report found
    p = run(["scan", "--root", root, "--proc-root", empty_proc, "--db", db])
    assert f"  crash log: {hs_err}\n" in p.out, p.out
    assert f"  last seen: pid {proc.pid} at 20" in p.out and \
        ", -XX:ErrorFile=../custom/hs_err_%p.log\n" in p.out, p.out

    # the same report written a day before that JVM started is an older crash: the
    # service is down, not crashed, and the evidence says why the report was set aside
    day_before = time.time() - 86400
    os.utime(hs_err, (day_before, day_before))
    st = _state(scan("--root", root, "--proc-root", empty_proc, "--db", db))
    assert st["state"] == "down" and st["crash"]["hs_err"] is None, st
    assert any(e.startswith(f"{hs_err} was written at 20") and "earlier JVM" in e
               for e in st["evidence"]), st["evidence"]


def test_a_heap_dump_is_found_through_what_the_store_saw_of_its_jvm(tmp_path, crash_jar):
    root, jar, empty_proc, db, log = _jar_service(tmp_path, crash_jar, "oom", "dumps")
    # the dump goes to a directory named relative to a working directory /proc forgets
    proc = _start(["-Xmx16m", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=../dumps",
                   "-jar", jar, "oom"], root / "work", log)
    try:
        running = _state(scan("--pid", proc.pid, "--root", root, "--db", db,
                              "--start-timeout", "3600"))
        assert running["sighting"]["heap_dump_path"] == "../dumps", running["sighting"]
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
        assert proc.wait(60) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    [hprof] = list((root / "dumps").glob("java_pid*.hprof"))
    assert hprof.name == f"java_pid{proc.pid}.hprof"
    assert "java.lang.OutOfMemoryError" in log.read_text(errors="replace")

    blind = _state(scan("--root", root, "--proc-root", empty_proc, "--no-db"))
    assert blind["crash"]["heap_dumps"] == [], blind["crash"]

    r = scan("--root", root, "--proc-root", empty_proc, "--db", db)
    st = _state(r)
    [dump] = st["crash"]["heap_dumps"]
    assert dump.startswith(f"{hprof} ({hprof.stat().st_size} bytes, written 20"), dump
    assert st["sighting"]["pid"] == proc.pid and st["sighting"]["cwd"] == "/work"
    assert any(e.startswith(f"last seen running as pid {proc.pid} at 20")
               and "-XX:HeapDumpPath=../dumps" in e for e in st["evidence"]), st["evidence"]
    # the verdict says why it is down: its own JVM's heap dump, not just "no JVM runs it"
    assert st["state"] == "down" and "ran out of memory" in st["reason"], st
    assert str(hprof) in st["reason"] and str(hprof) in st["reason_zh"], st
    assert "ran out of memory" in r["verdict"]["text"], r["verdict"]

    # a dump another JVM wrote before this one started is listed, and explains nothing
    older = hprof.with_name(f"java_pid{proc.pid + 100000}.hprof")
    hprof.rename(older)
    day_before = time.time() - 86400
    os.utime(older, (day_before, day_before))
    st = _state(scan("--root", root, "--proc-root", empty_proc, "--db", db))
    assert len(st["crash"]["heap_dumps"]) == 1 and "ran out of memory" not in st["reason"], st


# ---- the starts a service's logs record: the timeline (issue 18, item 6) ----

def _run_tomcat(base, until, kill=False):
    """Start the Tomcat of `base` as tomcat.start() does, wait until catalina.out holds
    `until` once more than before, then stop it (SIGTERM) or kill it (SIGKILL)."""
    out_path = base / "logs" / "catalina.out"
    seen = out_path.read_text(errors="replace").count(until) if out_path.exists() else 0
    with open(out_path, "ab") as out:
        proc = subprocess.Popen(
            ["java", "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
             f"-Djava.util.logging.config.file={base / 'conf' / 'logging.properties'}",
             f"-Dcatalina.base={base}", f"-Dcatalina.home={tomcat.HOME}",
             f"-Djava.io.tmpdir={base / 'temp'}", "-cp",
             f"{tomcat.HOME / 'bin' / 'bootstrap.jar'}:{tomcat.HOME / 'bin' / 'tomcat-juli.jar'}",
             "org.apache.catalina.startup.Bootstrap", "start"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.time() + tomcat.START_TIMEOUT
        while out_path.read_text(errors="replace").count(until) <= seen:
            assert proc.poll() is None and time.time() < deadline, out_path.read_text()[-2000:]
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        proc.wait(30)


def test_a_tomcat_started_four_times_has_four_starts_the_last_unfinished(tmp_path):
    root = tmp_path / "root"
    base = root / "usr" / "local" / "tomcat"  # a conventional place: found with no target
    base.mkdir(parents=True)
    tomcat.make_base(base)
    for _ in range(3):  # three starts that finish (webapp /bad fails in each)
        _run_tomcat(base, tomcat.STARTED)
    _run_tomcat(base, "Server version name:", kill=True)  # killed while starting
    empty_proc = tmp_path / "proc"
    empty_proc.mkdir()
    r = scan("--root", root, "--proc-root", empty_proc, "--no-db", rcs=(1,))
    st = _state(r)
    assert st["identity"] == "tomcat /usr/local/tomcat" and st["pid"] is None, st
    # catalina.out and catalina.<date>.log hold the same records: each start once
    assert st["starts_total"] == 4 and len(st["starts"]) == 4, st["starts"]
    starts = st["starts"]
    assert [s["finished"] for s in starts] == [True, True, True, False]
    assert all(s["took_ms"] and s["took_ms"] > 0 for s in starts[:3]), starts
    assert starts[3]["took_ms"] is None and starts[3]["finished_ms"] is None
    times = [s["at_ms"] for s in starts]
    assert all(times) and times == sorted(times), times
    for s in starts[:3]:
        assert s["at_ms"] <= s["finished_ms"]
    for s in starts:  # each points at a real start line
        lines = pathlib.Path(s["file"]).read_text().splitlines()
        assert "Server version name:" in lines[s["line"] - 1], (s, lines[s["line"] - 1])
    # the webapp's failure is an incident with its time, inside the timeline
    [bad] = [i for i in r["incidents"] if i["name"] == "/bad"]
    assert times[0] <= bad["first_seen_ms"] <= bad["last_seen_ms"], bad
    # the text report says it in one line
    p = run(["scan", "--root", root, "--proc-root", empty_proc, "--no-db"])
    [line] = [l for l in p.out.splitlines() if l.startswith("  starts: ")]
    assert line.startswith("  starts: 4 in its logs (the last ") and line.endswith(
        " before the scan, not finished)"), line
