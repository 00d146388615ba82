"""Service state (issue 18): is each service up, and if not, why.

Every JVM here is real and started by the test (tiny mains from testdata/state compiled
with javac, a real Tomcat from tests/e2e/tomcat.py, a real runsv/svlogd); wrench is pointed
at the test's own pids (--pid) or at fixture roots (--root, and an empty --proc-root so that
no other JVM of the machine is looked at). Thread dumps go through wrench's own attach
protocol with no jcmd in PATH, and the JVM must still run afterwards.
"""
import contextlib
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

import tomcat
from helpers import ROOT, WRENCH, free_port, make_jar, run, scan

SRC = ROOT / "testdata" / "state"
NO_JDK_PATH = {"PATH": "/nonexistent"}  # no jcmd, no jstack, no java: wrench needs none


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    out = tmp_path_factory.mktemp("state-classes")
    # Fails needs com.acme.missing.Config to compile, and must not find it at run time
    stub = out / "stub-src" / "com" / "acme" / "missing"
    stub.mkdir(parents=True)
    (stub / "Config.java").write_text(
        "package com.acme.missing; public class Config { public int port() { return 1; } }\n")
    subprocess.run(["javac", "-nowarn", "-d", str(out), *(str(SRC / f) for f in
                    ("Hang.java", "Deadlock.java", "Crash.java", "Fails.java", "Stuck.java", "Oom.java",
                     "Worker.java")),
                    str(stub / "Config.java")], check=True, capture_output=True)
    shutil.rmtree(out / "com")  # the class Fails needs is gone at run time
    return out


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers (a config server gone quiet)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    conns = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conns.append(srv.accept()[0])
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join()
    for c in conns:
        c.close()
    srv.close()


def _state(report, pid=None):
    states = report["services"]
    if pid is None:
        assert len(states) == 1, states
        return states[0]
    [st] = [s for s in states if s["pid"] == pid]
    return st


def _older_than(jvm, seconds):
    """Wait until the JVM is older than `seconds` by its own /proc/PID/stat start time."""
    hz = os.sysconf("SC_CLK_TCK")
    start = int(pathlib.Path(f"/proc/{jvm.pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    while float(pathlib.Path("/proc/uptime").read_text().split()[0]) - start / hz <= seconds:
        time.sleep(0.1)


def test_a_main_reading_a_silent_server_is_hung_and_the_dump_names_the_read(
        tmp_path, classes, jvms, silent_server):
    jvm = jvms(["-cp", classes, "Hang", silent_server], tmp_path, tmp_path / "out.log")
    _older_than(jvm, 1)
    r = scan("--pid", jvm.pid, "--no-db", "--start-timeout", "1", "--thread-dump",
             env=NO_JDK_PATH, rcs=(1,))
    st = _state(r, jvm.pid)
    assert st["state"] == "hung", st
    assert st["listening"] == [] and st["process"]["threads"] > 1
    dump = st["thread_dump"]
    assert dump["status"].startswith("taken through the attach protocol"), dump["status"]
    [main] = [w for w in dump["waits"] if w.startswith("main ")]
    # the waiting frame, the JDK call the application made, and the application frame
    assert main.startswith("main waits in ") and "SocketInputStream.read" in main \
        and "under Hang.main" in main, main
    assert "Hang.main" in st["reason"]
    assert "service-hung" in [f["id"] for f in r["environment"]["findings"]]
    assert "Full thread dump" in dump["text"]
    # the JVM lives on after the dump, still waiting, and no trigger file is left behind
    time.sleep(0.5)
    assert jvm.running
    assert not list(tmp_path.glob(".attach_pid*"))
    # text report: the state leads with the waiting frame
    p = run(["scan", "--pid", jvm.pid, "--no-db", "--start-timeout", "1", "--thread-dump=hung"],
            env=NO_JDK_PATH)
    assert "Service Hang (classpath): HUNG" in p.out, p.out
    assert "  thread dump: taken through the attach protocol" in p.out
    assert "    main waits in " in p.out
    assert jvm.running


def test_a_jvm_without_ports_or_start_marker_is_unknown_until_a_dump_says_more(
        tmp_path, classes, jvms, silent_server):
    """No port, no log: a worker and a hanging start look alike from outside. Without a
    dump neither is called hung (no finding, exit 0); with one, the main thread still
    waiting makes Hang hung, and the worker whose main returned stays unknown."""
    hang = jvms(["-cp", classes, "Hang", silent_server], tmp_path, tmp_path / "hang.log")
    worker = jvms(["-cp", classes, "Worker"], tmp_path, tmp_path / "worker.log")
    _older_than(hang, 1)
    _older_than(worker, 1)
    for jvm in (hang, worker):
        r = scan("--pid", jvm.pid, "--no-db", "--start-timeout", "1", rcs=(0,))
        st = _state(r, jvm.pid)
        assert st["state"] == "unknown" and "whether its start finished is unknown" in \
            st["reason"], st
        assert not [f for f in r["environment"]["findings"] if f["id"].startswith("service-")]
    st = _state(scan("--pid", worker.pid, "--no-db", "--start-timeout", "1", "--thread-dump",
                     env=NO_JDK_PATH, rcs=(0,)), worker.pid)
    assert st["state"] == "unknown" and st["thread_dump"]["status"].startswith("taken"), st
    r = scan("--pid", hang.pid, "--no-db", "--start-timeout", "1", "--thread-dump=hung",
             env=NO_JDK_PATH, rcs=(1,))
    st = _state(r, hang.pid)
    assert st["state"] == "hung" and "main waits in " in st["reason"], st
    assert worker.running and hang.running


def test_a_jvm_without_ports_whose_log_says_started_is_up(tmp_path, classes, jvms,
                                                         silent_server):
    log = tmp_path / "out.log"
    jvm = jvms(["-cp", classes, "Hang", silent_server], tmp_path, log)
    _older_than(jvm, 1)
    with open(log, "a") as f:  # what Spring Boot's StartupInfoLogger writes
        f.write("2026-12-07T10:00:01.000Z  INFO 1 --- [main] com.acme.Hang : Started Hang in "
                "0.9 seconds (process running for 1.2)\n")
    st = _state(scan("--pid", jvm.pid, "--no-db", "--start-timeout", "1"), jvm.pid)
    assert st["state"] == "up", st
    assert any(e.startswith("its log says the start finished: ") for e in st["evidence"])


def test_the_usual_start_time_comes_from_earlier_starts_in_the_log(tmp_path, classes, jvms,
                                                                  silent_server):
    log = tmp_path / "out.log"
    head = "2026-12-07T1{}:00:00.000Z  INFO {} --- [main] com.acme.Hang : "
    log.write_text(
        head.format(0, 1) + "Starting Hang using Java 17.0.2 with PID 1 (/app started by root)\n"
        + head.format(0, 1) + "Started Hang in 600.5 seconds (process running for 601.0)\n"
        + head.format(1, 2) + "Starting Hang using Java 17.0.2 with PID 2 (/app started by root)\n")
    jvm = jvms(["-cp", classes, "Hang", silent_server], tmp_path, log)
    st = _state(scan("--pid", jvm.pid, "--no-db"), jvm.pid)
    # the earlier start's "Started" line is before the last start: this start has not finished
    assert st["state"] == "starting", st
    assert "earlier starts in its log took up to 600.5 s: a start counts as hung after 1201 s" \
        in st["evidence"], st["evidence"]


def test_a_young_silent_jvm_is_starting_not_hung(tmp_path, classes, jvms, silent_server):
    jvm = jvms(["-cp", classes, "Hang", silent_server], tmp_path, tmp_path / "out.log")
    r = scan("--pid", jvm.pid, "--no-db", "--start-timeout", "3600", "--thread-dump=hung")
    st = _state(r, jvm.pid)
    assert st["state"] == "starting" and st["thread_dump"] is None, st


def test_ports_packaged_in_the_jar_and_its_profile_are_declared(tmp_path, classes, jvms,
                                                                silent_server):
    """`java -jar app.jar --spring.profiles.active=prod`: the port the packaged
    application-prod.properties declares (over the packaged application.yml's) is the one
    the state waits for, named with the jar entry it came from; a file next to the jar
    wins over both."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    shutil.copy(classes / "Hang.class", pkg)
    plain, profiled, outside = (free_port() for _ in range(3))
    (pkg / "application.yml").write_text(f"server:\n  port: {plain}\n")
    (pkg / "application-prod.properties").write_text(f"server.port={profiled}\n")
    (tmp_path / "MANIFEST.MF").write_text("Main-Class: Hang\n")
    jar = tmp_path / "app.jar"
    subprocess.run(["jar", "cfm", str(jar), str(tmp_path / "MANIFEST.MF"), "-C", str(pkg), "."],
                   check=True, capture_output=True)
    cwd = tmp_path / "run"
    cwd.mkdir()
    jvm = jvms(["-jar", jar, str(silent_server), "--spring.profiles.active=prod"], cwd,
               tmp_path / "out.log")
    _older_than(jvm, 1)
    st = _state(scan("--pid", jvm.pid, "--no-db", "--start-timeout", "1", rcs=(1,)), jvm.pid)
    [declared] = [p for p in st["declared_ports"] if p["what"].startswith("server.port")]
    assert declared["port"] == profiled and not declared["listening"], declared
    assert declared["source"] == f"{jar}!/application-prod.properties", declared
    assert st["state"] == "hung" and f"port {profiled} (server.port" in st["reason"], st

    (cwd / "application.properties").write_text(f"server.port={outside}\n")
    st = _state(scan("--pid", jvm.pid, "--no-db", "--start-timeout", "1", rcs=(1,)), jvm.pid)
    [declared] = [p for p in st["declared_ports"] if p["what"].startswith("server.port")]
    assert declared["port"] == outside and declared["source"] == str(cwd / "application.properties")


def test_a_server_that_no_longer_accepts_is_hung(tmp_path, classes, jvms):
    log = tmp_path / "out.log"
    jvm = jvms(["-cp", classes, "Stuck"], tmp_path, log)
    port = int(log.read_text().split("port ")[1].split()[0])
    clients = []
    try:
        for _ in range(4):  # backlog 1: connections wait in the accept queue
            c = socket.socket()
            c.setblocking(False)
            c.connect_ex(("127.0.0.1", port))
            clients.append(c)
        time.sleep(0.3)
        st = _state(scan("--pid", jvm.pid, "--no-db", "--start-timeout", "3600", rcs=(1,)),
                    jvm.pid)
        [l] = [l for l in st["listening"] if l["port"] == port]
        assert l["queue_stuck"] is True and l["accept_queue"] >= 1, l
        assert st["state"] == "hung" and f"port {port} accepts no connections" in st["reason"]
    finally:
        for c in clients:
            c.close()


def test_attach_as_another_user_is_refused(tmp_path, classes, jvms, silent_server):
    """wrench as nobody, the JVM as root: the JVM would refuse the peer; wrench says so and
    sends nothing."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) missing")
    jvm = jvms(["-cp", classes, "Hang", silent_server], tmp_path, tmp_path / "out.log")
    p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        WRENCH, "scan", "--pid", str(jvm.pid), "--no-db", "--thread-dump",
                        "--json"], capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1):
        pytest.skip(f"wrench cannot run as nobody here: {p.stderr[:300]}")
    st = _state(json.loads(p.stdout), jvm.pid)
    status = st["thread_dump"]["status"]
    assert status.startswith("refused: the JVM runs as uid 0 and wrench as uid 65534"), status
    assert jvm.running and not list(tmp_path.glob(".attach_pid*"))


def test_two_threads_deadlocking_at_start_are_named_with_their_locks(tmp_path, classes, jvms):
    jvm = jvms(["-cp", classes, "Deadlock"], tmp_path, tmp_path / "out.log")
    r = scan("--pid", jvm.pid, "--no-db", "--thread-dump", env=NO_JDK_PATH, rcs=(1,))
    st = _state(r, jvm.pid)
    assert st["state"] == "hung", st
    [cycle] = st["thread_dump"]["deadlocks"]
    text = "\n".join(cycle)
    assert '"orders-loader"' in text and '"stock-loader"' in text
    assert text.count("a java.lang.Object") == 2 and "which is held by" in text
    assert st["reason"].startswith("Java-level deadlock: ")
    blocked = st["thread_dump"]["blocked"]
    assert {b["holder"] for b in blocked} == {"orders-loader", "stock-loader"}
    assert jvm.running


def test_a_clean_tomcat_is_up_with_its_connector_and_shutdown_ports(tmp_path):
    shutdown = free_port()
    tc = tomcat.start(tmp_path / "base", tomcat.with_shutdown_port(shutdown))
    try:
        r = scan("--pid", tc.pid, "--no-db")
        st = _state(r, tc.pid)
        assert st["state"] == "up", st
        ports = {(p["port"], p["what"], p["listening"]) for p in st["declared_ports"]}
        assert ports == {(tc.port, "HTTP connector", True), (shutdown, "shutdown port", True)}
        assert all(p["source"].endswith("conf/server.xml") for p in st["declared_ports"])
        listening = {l["port"] for l in st["listening"]}
        assert {tc.port, shutdown} <= listening
        assert st["kind"] == "tomcat"
    finally:
        tc.stop()


def test_a_tomcat_whose_port_is_taken_joins_the_bind_exception(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]

    def on_taken_port(base):
        tmpl = base / "conf" / "server.xml.in"
        tmpl.write_text(tmpl.read_text().replace("@PORT@", str(port)))

    try:
        tc = tomcat.start(tmp_path / "base", on_taken_port)
    except AssertionError:
        pytest.fail("Tomcat 10 should start even when its connector cannot bind")
    try:
        r = scan("--pid", tc.pid, "--no-db", "--start-timeout", "1", rcs=(1,))
        st = _state(r, tc.pid)
        [p] = [p for p in st["declared_ports"] if p["port"] == port]
        assert p["listening"] is False
        assert p["log_finding"], st  # the log's BindException names the port
        assert st["state"] == "hung" and str(port) in st["reason"]
    finally:
        tc.stop()
        taken.close()


def _is_the_namespaced_jvm(proc, cwd):
    """The test's java (running Deadlock in cwd, not the unshare parent); a process that ends
    while its /proc entry is read is not it."""
    try:
        return ("Deadlock" in (proc / "cmdline").read_bytes().decode(errors="replace")
                and proc.joinpath("exe").resolve().name == "java"
                and int((proc / "status").read_text().split("PPid:")[1].split()[0]) != 0
                and str(cwd) == os.readlink(proc / "cwd"))
    except (OSError, IndexError, ValueError):
        return False


def test_attach_reaches_a_jvm_in_its_own_pid_namespace(tmp_path, classes):
    """The JVM sees itself as pid 1 (NSpid): the trigger file, the socket name and the
    signal each use the right pid, through /proc/PID/root and /proc/PID/cwd."""
    log = tmp_path / "out.log"
    with open(log, "ab") as out:
        outer = subprocess.Popen(["unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "java", "-cp",
                                  str(classes), "Deadlock"], cwd=tmp_path, stdout=out,
                                 stderr=subprocess.STDOUT)
    pid = None
    try:
        deadline = time.time() + 30
        while "started" not in log.read_text():
            if outer.poll() is not None:
                pytest.skip("unshare --pid is not permitted here: " + log.read_text()[:200])
            assert time.time() < deadline
            time.sleep(0.1)
        [pid] = [int(p.name) for p in pathlib.Path("/proc").iterdir()
                 if p.name.isdigit() and _is_the_namespaced_jvm(p, tmp_path)]
        nspid = (pathlib.Path(f"/proc/{pid}/status").read_text()
                 .split("NSpid:")[1].splitlines()[0].split())
        assert nspid[-1] == "1" and nspid[0] == str(pid)
        st = _state(scan("--pid", pid, "--no-db", "--thread-dump", env=NO_JDK_PATH, rcs=(1,)),
                    pid)
        assert st["thread_dump"]["status"].startswith("taken"), st["thread_dump"]["status"]
        assert st["thread_dump"]["deadlocks"]
        assert os.path.exists(f"/proc/{pid}")
    finally:
        if pid:  # TERM to the JVM itself: it ends, removing its socket, and unshare with it
            os.kill(pid, signal.SIGTERM)
        else:
            outer.kill()
        outer.wait(20)


def test_a_jvm_with_attach_disabled_is_refused_clearly_and_keeps_running(
        tmp_path, classes, jvms, silent_server):
    jvm = jvms(["-XX:+DisableAttachMechanism", "-cp", classes, "Hang", silent_server], tmp_path,
               tmp_path / "out.log")
    _older_than(jvm, 1)
    r = scan("--pid", jvm.pid, "--no-db", "--thread-dump", "--start-timeout", "1",
             env=NO_JDK_PATH, rcs=(0,))
    st = _state(r, jvm.pid)
    assert st["state"] == "unknown", st  # no port, no log, no dump: nothing to go on
    status = st["thread_dump"]["status"]
    assert status.startswith("refused: ") and "DisableAttachMechanism" in status, status
    assert f"kill -3 {jvm.pid}" in status  # the fallback is named, not done
    time.sleep(0.5)
    assert jvm.running
    assert "Full thread dump" not in (tmp_path / "out.log").read_text()  # no SIGQUIT was sent
    assert not list(tmp_path.glob(".attach_pid*"))


def test_a_jvm_with_xrs_gets_no_sigquit(tmp_path, classes, jvms, silent_server):
    """-Xrs: no SIGQUIT handler, a SIGQUIT would kill it. wrench may use a listener that is
    already up, but never signals; the JVM must live on either way."""
    jvm = jvms(["-Xrs", "-cp", classes, "Hang", silent_server], tmp_path, tmp_path / "out.log")
    r = scan("--pid", jvm.pid, "--no-db", "--thread-dump", env=NO_JDK_PATH)
    status = _state(r, jvm.pid)["thread_dump"]["status"]
    assert status.startswith("taken") or ("-Xrs" in status and status.startswith("refused")), \
        status
    time.sleep(0.5)
    assert jvm.running


# ---- dead services under runit, found with no target from a fixture root ----

def _runit_service(root, name, java_args, cwd_line=""):
    """/etc/sv/NAME with run (exec java ...), finish (scripts/runit/finish) and log/run
    (svlogd), linked from /etc/service/NAME as runit images do."""
    sv = root / "etc" / "sv" / name
    (sv / "log").mkdir(parents=True)
    java = shutil.which("java")
    (sv / "run").write_text("#!/bin/sh\nexec 2>&1\n" + cwd_line +
                            f"exec {java} " + " ".join(java_args) + "\n")
    shutil.copy(ROOT / "scripts" / "runit" / "finish", sv / "finish")
    (sv / "log" / "run").write_text(f"#!/bin/sh\nexec {shutil.which('svlogd')} -tt ./main\n")
    (sv / "log" / "main").mkdir()
    for f in (sv / "run", sv / "finish", sv / "log" / "run"):
        f.chmod(0o755)
    (root / "etc" / "service").mkdir(parents=True, exist_ok=True)
    (root / "etc" / "service" / name).symlink_to(f"../sv/{name}")
    return sv


def _run_until_down(sv, timeout=60):
    """runsv the service until its finish script has recorded an exit and kept it down."""
    proc = subprocess.Popen(["runsv", str(sv)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            stat = sv / "supervise" / "stat"
            if (sv / "last-exit").exists() and stat.exists() and \
                    stat.read_text().startswith("down"):
                time.sleep(1.5)  # svlogd flushes
                return proc
            time.sleep(0.2)
        raise AssertionError("the service did not go down: " +
                             (sv / "supervise" / "stat").read_text())
    except BaseException:
        _stop_runsv(proc, sv)
        raise


def _stop_runsv(proc, sv):
    subprocess.run(["sv", "exit", str(sv)], capture_output=True, timeout=10)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def _runit_down(root, name, java_args, classes, cwd_line="", dirs=()):
    """_runit_service NAME of `root` with `classes` (and the directories `dirs`) in its
    directory, run by a real runsv until it is down (_run_until_down) for the block, then
    stopped. Gives the service directory."""
    sv = _runit_service(root, name, java_args, cwd_line)
    shutil.copytree(classes, sv / "classes")
    for d in dirs:
        (sv / d).mkdir()
    proc = _run_until_down(sv)
    try:
        yield sv
    finally:
        _stop_runsv(proc, sv)


def _scan_root(root, tmp_path, *extra, rcs=(1,)):
    empty_proc = tmp_path / "proc"
    empty_proc.mkdir(exist_ok=True)
    return scan("--root", root, "--proc-root", empty_proc, "--no-db", *extra, rcs=rcs)


def test_a_runit_service_whose_java_fails_at_start_is_down_with_the_failure(tmp_path, classes):
    root = tmp_path / "root"
    with _runit_down(root, "shop", ["-cp", "classes", "Fails"], classes) as sv:
        r = _scan_root(root, tmp_path)
        st = _state(r)
        assert st["name"] == "shop" and st["state"] == "down", st
        assert st["crash"]["last_exit"] == "exit 1"
        assert any(e.startswith("the finish script recorded 1 ended run, the last: exit 1")
                   for e in st["evidence"]), st["evidence"]
        assert st["runit"]["dir"] == "/etc/sv/shop" and st["runit"]["stat"].startswith("down")
        # the failure and its classpath cause lead the verdict
        verdict = r["summary"]["verdict"]
        assert "NoClassDefFoundError" in verdict and "com/acme/missing/Config" in verdict.replace(
            ".", "/"), verdict
        svc = r["discovery"]["services"][0]
        assert svc["origin"] == "runit service /etc/sv/shop"
        assert any(f["path"].endswith("log/main/current") for f in r["logs"]["files"])
        # an hs_err report a JVM of last week left in its directory is an older crash: it
        # does not make this failed start a crash, and the evidence says it was set aside
        old = sv / "hs_err_pid4242.log"
        shutil.copy(ROOT / "testdata" / "fuzz" / "hserr" / "hs_err", old)
        week_ago = time.time() - 7 * 86400
        os.utime(old, (week_ago, week_ago))
        st = _state(_scan_root(root, tmp_path))
        assert st["state"] == "down" and st["crash"]["hs_err"] is None, st
        assert any(e.startswith(f"{old} was written at 20") and "earlier JVM" in e
                   for e in st["evidence"]), st["evidence"]
        # the same report written as the service went down (the finish script's record)
        # is the crash
        ended = (sv / "last-exit").stat().st_mtime
        os.utime(old, (ended, ended))
        st = _state(_scan_root(root, tmp_path))
        assert st["state"] == "crashed" and st["crash"]["hs_err"] == str(old), st


def test_a_runit_service_kept_down_by_its_down_file_is_no_alarm_until_it_fails(tmp_path,
                                                                             classes):
    root = tmp_path / "root"
    sv = _runit_service(root, "batch", ["-cp", "classes", "Fails"])
    shutil.copytree(classes, sv / "classes")
    (sv / "down").write_text("")  # runsv does not start it by itself
    proc = subprocess.Popen(["runsv", str(sv)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while not (sv / "supervise" / "stat").exists():
            assert time.time() < deadline
            time.sleep(0.1)
        r = _scan_root(root, tmp_path, rcs=(0,))
        st = _state(r)
        assert st["state"] == "down" and st["reason"].startswith("runit starts it only when asked"), st
        assert any(e.endswith("/etc/sv/batch/down exists: runit does not start it by itself")
                   for e in st["evidence"]), st["evidence"]
        [f] = [f for f in r["environment"]["findings"] if f["id"] == "service-down"]
        assert f["severity"] == "info", f
        # asked to run once, it fails: now the failure is the answer, and an error
        subprocess.run(["sv", "once", str(sv)], check=True, capture_output=True, timeout=10)
        deadline = time.time() + 60
        while not (sv / "last-exit").exists():
            assert time.time() < deadline
            time.sleep(0.2)
        time.sleep(1.5)  # svlogd flushes
        r = _scan_root(root, tmp_path)
        st = _state(r)
        assert st["state"] == "down" and st["crash"]["last_exit"] == "exit 1", st
        [f] = [f for f in r["environment"]["findings"] if f["id"] == "service-down"]
        assert f["severity"] == "error", f
    finally:
        _stop_runsv(proc, sv)


def test_a_run_script_with_its_own_variables_is_read_through_them(tmp_path, classes):
    """JAVA_OPTS, the classpath and the main class assigned in the run script itself (the
    usual way): runsv runs it, it fails at start, and wrench, expanding them as sh does,
    finds the classpath and the failure's cause from the service directory alone."""
    root = tmp_path / "root"
    with _runit_down(root, "cart", ["$JAVA_OPTS", "-cp", '"$APP_CP"', "${MAIN:-Unset}"],
                     classes, cwd_line='APP_HOME=.\nJAVA_OPTS="-Xmx64m -Dshop.name=cart"\n'
                                       'APP_CP=$APP_HOME/classes\nexport MAIN=Fails\n'):
        r = _scan_root(root, tmp_path)
        st = _state(r)
        assert st["name"] == "cart" and st["state"] == "down", st
        assert st["crash"]["last_exit"] == "exit 1"
        svc = r["discovery"]["services"][0]
        assert "main class Fails" in svc["evidence"], svc
        assert not any("shell variables" in e for e in svc["evidence"]), svc
        verdict = r["summary"]["verdict"]
        assert "NoClassDefFoundError" in verdict, verdict
        assert r["views"][0]["entries"][0]["path"].endswith("/etc/sv/cart/classes"), r["views"]


def test_a_runit_jvm_that_crashed_is_crashed_with_its_hs_err(tmp_path, classes):
    root = tmp_path / "root"
    with _runit_down(root, "pay", ["-Xmx64m", "-cp", "classes", "Crash", "0"], classes) as sv:
        r = _scan_root(root, tmp_path)
        st = _state(r)
        assert st["state"] == "crashed", st
        crash = st["crash"]
        assert crash["hs_err"].startswith(str(sv)) and "hs_err_pid" in crash["hs_err"]
        facts = crash["hs_err_facts"]
        assert facts["signal"] == "SIGSEGV" and facts["frame"] and facts["jre_version"]
        assert crash["last_exit"].startswith("killed by signal 6 (SIGABRT)")
        assert "SIGSEGV" in st["reason"] and crash["hs_err"] in st["reason"]
        assert "service-crashed" in [f["id"] for f in r["environment"]["findings"]]


@pytest.fixture
def stale_sockets():
    """Attach sockets a SIGKILLed JVM leaves in /tmp: removed after the test."""
    paths = []
    yield paths
    for p in paths:
        p.unlink(missing_ok=True)


def test_a_heap_oom_with_exit_on_oom_is_down_with_its_heap_dump(tmp_path, classes):
    root = tmp_path / "root"
    with _runit_down(root, "stock", ["-Xmx16m", "-XX:+HeapDumpOnOutOfMemoryError",
                                     "-XX:HeapDumpPath=dumps", "-XX:+ExitOnOutOfMemoryError",
                                     "-cp", "classes", "Oom"], classes, dirs=("dumps",)) as sv:
        st = _state(_scan_root(root, tmp_path))
        assert st["state"] == "down" and st["crash"]["last_exit"] == "exit 3", st
        assert "ExitOnOutOfMemoryError" in st["reason"]
        [dump] = st["crash"]["heap_dumps"]
        [hprof] = list((sv / "dumps").glob("java_pid*.hprof"))
        assert dump.startswith(f"{hprof} ({hprof.stat().st_size} bytes, written 20"), dump


def test_a_runit_jvm_dead_of_oom_is_down_with_the_heap_dump_it_wrote(tmp_path, classes):
    # without -XX:+ExitOnOutOfMemoryError the OutOfMemoryError ends main and the JVM with it
    # (exit 1): the dump written just before runit saw the end is what says why
    root = tmp_path / "root"
    with _runit_down(root, "stock", ["-Xmx16m", "-XX:+HeapDumpOnOutOfMemoryError",
                                     "-XX:HeapDumpPath=dumps", "-cp", "classes", "Oom"], classes,
                     dirs=("dumps",)) as sv:
        st = _state(_scan_root(root, tmp_path))
        [hprof] = list((sv / "dumps").glob("java_pid*.hprof"))
        assert st["state"] == "down" and st["crash"]["last_exit"] == "exit 1", st
        assert "ran out of memory" in st["reason"] and str(hprof) in st["reason"], st
        # an old dump of the same name pattern, written long before, explains nothing
        os.utime(hprof, (time.time() - 86400, time.time() - 86400))
        st = _state(_scan_root(root, tmp_path))
        assert "ran out of memory" not in st["reason"], st
        assert st["reason"].startswith("no JVM runs it; its last run ended with exit 1"), st


def test_a_killed_jvm_without_hs_err_is_crashed_by_sigkill(tmp_path, classes, silent_server,
                                                           stale_sockets):
    root = tmp_path / "root"
    sv = _runit_service(root, "cart", ["-cp", "classes", "Hang", str(silent_server)])
    shutil.copytree(classes, sv / "classes")
    proc = subprocess.Popen(["runsv", str(sv)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        pidfile = sv / "supervise" / "pid"
        deadline = time.time() + 30
        while time.time() < deadline and not (pidfile.exists() and pidfile.read_text().strip()):
            time.sleep(0.1)
        killed = int(pidfile.read_text())
        # running: the JVM is linked to its runit service through runsv, its parent
        st = _state(scan("--pid", killed, "--no-db", "--start-timeout", "3600"), killed)
        assert st["runit"]["dir"] == str(sv) and st["runit"]["stat"].startswith("run"), st
        os.kill(killed, signal.SIGKILL)  # as the OOM killer would
        stale_sockets.append(pathlib.Path(f"/tmp/.java_pid{killed}"))
        deadline = time.time() + 30
        while time.time() < deadline and not (sv / "last-exit").exists():
            time.sleep(0.1)
        time.sleep(1)
        st = _state(_scan_root(root, tmp_path))
        assert st["state"] == "crashed" and st["crash"]["hs_err"] is None, st
        assert st["crash"]["last_exit"] == "killed by signal 9 (SIGKILL)"
        assert "OOM killer" in st["reason"]
    finally:
        _stop_runsv(proc, sv)


# ---- dumps and banners already in the service's output ----

def _quit_is_caught(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << 2))
    return False


# A Spring Boot service's start and start-finished lines (day d of December 2026).
BOOT_START = ("2026-12-0{d} 10:00:00.000  INFO 7 --- [main] com.acme.shop.ShopApp : Starting "
              "ShopApp v1.0 using Java 17.0.9 with PID 7 (/app/shop.jar started by app in /app)\n")
BOOT_STARTED = ("2026-12-0{d} 10:00:03.000  INFO 7 --- [main] com.acme.shop.ShopApp : Started "
                "ShopApp in 2.9 seconds (process running for 3.4)\n")


def _declared_boot_service(tmp_path):
    """A jar service declared in a services file with its logs/*.log; no JVM runs it."""
    logs = tmp_path / "svc-logs"
    logs.mkdir()
    app = tmp_path / "shop.jar"
    make_jar(app, classes=["com.acme.shop.ShopApp"])
    conf = tmp_path / "wrench.conf"
    conf.write_text(json.dumps({"services": [{"name": "shop", "kind": "jar",
                                              "paths": {"jar": str(app)},
                                              "logs": [f"{logs}/*.log"]}]}))
    return conf, logs


def test_a_kill_3_dump_in_the_log_is_parsed_like_a_live_one(tmp_path, classes, jvms):
    log = tmp_path / "out.log"
    jvm = jvms(["-cp", classes, "Deadlock"], tmp_path, log)
    deadline = time.time() + 30
    while not _quit_is_caught(jvm.pid):  # the test's own check before its own SIGQUIT
        assert time.time() < deadline
        time.sleep(0.1)
    os.kill(jvm.pid, signal.SIGQUIT)
    while "deadlock." not in log.read_text():
        assert time.time() < deadline, log.read_text()
        time.sleep(0.1)
    r = scan("--logs", log, "--no-db", rcs=(1,))
    [f] = [f for f in r["environment"]["findings"] if f["id"] == "log.deadlock"]
    assert '"orders-loader"' in f["title"] and '"stock-loader"' in f["title"]
    assert f["detail"].startswith(f"{log}:")
    assert r["services"] == []  # explicit targets: no service state
    # discovered: the running JVM's state carries the dump found in its output
    st = _state(scan("--pid", jvm.pid, "--no-db", rcs=(1,)), jvm.pid)
    assert st["thread_dump"]["status"].startswith(f"found in the log {log} at line ")
    assert st["thread_dump"]["deadlocks"]
    assert jvm.running
    # the same dump before a later start of the service is an earlier run's: evidence only
    conf, logs = _declared_boot_service(tmp_path)
    (logs / "shop.log").write_text(BOOT_START.format(d=1) + log.read_text() +
                                   BOOT_START.format(d=2) + BOOT_STARTED.format(d=2))
    r = scan("--no-processes", "--config", conf, "--no-db", rcs=(0, 1))
    assert not [f for f in r["environment"]["findings"] if f["id"].startswith("log.")], r
    st = _state(r)
    assert st["thread_dump"] is None, st
    assert any("an earlier run's thread dump" in e and '"orders-loader"' in e
               for e in st["evidence"]), st["evidence"]


def test_a_crash_banner_in_the_output_gives_signal_and_frame(tmp_path, classes):
    log = tmp_path / "out.log"
    with open(log, "wb") as out:
        subprocess.run(["java", "-Xmx64m", f"-XX:ErrorFile={tmp_path}/hs_err_pid%p.log", "-cp",
                        classes, "Crash", "0"], cwd=tmp_path, stdout=out,
                       stderr=subprocess.STDOUT, timeout=60)
    r = scan("--logs", log, "--no-db", rcs=(1,))
    [f] = [f for f in r["environment"]["findings"] if f["id"] == "log.fatal-error"]
    assert f["severity"] == "critical"
    assert "SIGSEGV" in f["title"] and "JRE OpenJDK Runtime Environment" in f["title"]
    [hs_err] = list(tmp_path.glob("hs_err_pid*.log"))
    assert f"error report: {hs_err}" in f["detail"]


def test_a_crash_banner_of_an_earlier_run_does_not_make_a_down_service_crashed(tmp_path,
                                                                             classes):
    # a real banner, printed by a JVM that crashed, between two starts of a Boot-style service
    banner = tmp_path / "banner.out"
    with open(banner, "wb") as out:
        subprocess.run(["java", "-Xmx64m", f"-XX:ErrorFile={tmp_path}/hs_err_pid%p.log", "-cp",
                        classes, "Crash", "0"], cwd=tmp_path, stdout=out,
                       stderr=subprocess.STDOUT, timeout=60)
    conf, logs = _declared_boot_service(tmp_path)

    def state(text):
        (logs / "shop.log").write_text(text)
        r = scan("--no-processes", "--config", conf, "--no-db", rcs=(0, 1))
        return _state(r), [f["id"] for f in r["environment"]["findings"]]

    crash = banner.read_text(errors="replace")
    # the banner after the last start: that run crashed
    st, ids = state(BOOT_START.format(d=1) + crash)
    assert st["state"] == "crashed" and "SIGSEGV" in st["reason"], st
    assert "log.fatal-error" in ids
    # a later start followed it (a week later, the service started and stopped cleanly)
    st, ids = state(BOOT_START.format(d=1) + crash + BOOT_START.format(d=7) +
                    BOOT_STARTED.format(d=7))
    assert st["state"] == "down" and "SIGSEGV" not in st["reason"], st
    assert "log.fatal-error" not in ids, ids
    assert any("an earlier run's fatal error banner" in e and "SIGSEGV" in e
               for e in st["evidence"]), st["evidence"]


def test_probe_reports_status_and_latency_of_the_tomcat(tmp_path):
    tc = tomcat.start(tmp_path / "base")
    try:
        r = scan("--pid", tc.pid, "--no-db", "--probe", f"http://127.0.0.1:{tc.port}/nothing")
        probe = _state(r, tc.pid)["probe"]
        assert probe["status"] == 404 and probe["error"] is None and probe["latency_ms"] >= 0
        # not loopback: refused, nothing sent
        r = scan("--pid", tc.pid, "--no-db", "--probe", "http://192.0.2.1/health")
        probe = _state(r, tc.pid)["probe"]
        assert probe["status"] is None and "not a loopback address" in probe["error"]
    finally:
        tc.stop()
    p = run(["scan", "--pid", "1", "--probe", "ftp://x"])
    assert p.returncode == 2 and "--probe takes an http:// URL" in p.err


def test_a_native_out_of_memory_banner_in_the_output_is_found(tmp_path):
    """A real one: the JVM cannot start its GC threads under a tiny RLIMIT_NPROC (as another
    user: root ignores the limit), prints the banner and an hs_err."""
    if shutil.which("setpriv") is None or shutil.which("prlimit") is None:
        pytest.skip("setpriv or prlimit (util-linux) missing")
    # nobody cannot enter pytest's private tmp_path: its hs_err goes to a directory of its own
    errdir = pathlib.Path(tempfile.mkdtemp(prefix="wrench-test-state-"))
    errdir.chmod(0o777)
    log = tmp_path / "out.log"
    try:
        with open(log, "wb") as out:
            subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "prlimit", "--nproc=4:4", "java", "-Xmx32m",
                            f"-XX:ErrorFile={errdir}/hs_err_pid%p.log", "-version"], cwd=errdir,
                           stdout=out, stderr=subprocess.STDOUT, timeout=60)
    finally:
        shutil.rmtree(errdir)
    text = log.read_text()
    assert "There is insufficient memory for the Java Runtime Environment" in text, text
    r = scan("--logs", log, "--no-db", rcs=(1,))
    [f] = [f for f in r["environment"]["findings"] if f["id"] == "log.native-oom"]
    assert f["severity"] == "critical" and "native out of memory" in f["title"]
    assert "pthread_create failed (EAGAIN)" in f["title"] or \
        "Cannot create worker GC thread" in f["title"], f["title"]
    assert "error report: " in f["detail"] and "hs_err_pid" in f["detail"]


# ---- a fake JVM: what wrench reads from an attach socket cannot hurt it ----

FAKE_JVM = r"""
import ctypes, os, signal, socket, sys, time
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))  # so that the socket is removed
ctypes.CDLL(None).prctl(15, b"java", 0, 0, 0)  # PR_SET_NAME: discovery takes it for a JVM
mode = sys.argv[1]
if mode == "nosocket":  # not a JVM: a SIGQUIT would kill it (Python's default action)
    print("started", flush=True)
    time.sleep(3600)
path = f"/tmp/.java_pid{os.getpid()}"
srv = socket.socket(socket.AF_UNIX)
srv.bind(path)
srv.listen(5)
print("started", flush=True)
try:
    while True:
        c, _ = srv.accept()
        c.recv(4096)
        if mode == "silent":
            time.sleep(3600)
        elif mode == "garbage":
            c.sendall(b"0\n" + bytes(range(256)) * 4000 + b'"\n\t- locked <' * 1000)
        elif mode == "nocode":
            c.sendall(b"not a number\n")
        c.close()
finally:
    os.unlink(path)
"""


@pytest.fixture
def fake_jvm(tmp_path):
    procs = []

    def start(mode):
        script = tmp_path / "fake_jvm.py"
        script.write_text(FAKE_JVM)
        log = tmp_path / f"{mode}.log"
        p = subprocess.Popen(["/usr/bin/python3", str(script), mode], stdout=open(log, "w"),
                             stderr=subprocess.STDOUT, cwd=tmp_path)
        procs.append(p)
        deadline = time.time() + 10
        while "started" not in log.read_text():
            assert p.poll() is None and time.time() < deadline, log.read_text()
            time.sleep(0.05)
        return p

    yield start
    for p in procs:
        p.terminate()
        p.wait(10)


def test_an_attach_socket_that_never_answers_is_a_hang_after_the_deadline(fake_jvm):
    p = fake_jvm("silent")
    st = _state(scan("--pid", p.pid, "--no-db", "--thread-dump", "--start-timeout", "3600",
                     rcs=(1,)), p.pid)
    status = st["thread_dump"]["status"]
    assert status.startswith("not taken: connected, but no complete reply within 10 s"), status
    assert st["state"] == "hung" and "does not answer a thread dump request" in st["reason"]
    assert p.poll() is None


def test_a_hostile_attach_reply_is_read_safely(fake_jvm):
    p = fake_jvm("garbage")
    st = _state(scan("--pid", p.pid, "--no-db", "--thread-dump"), p.pid)
    assert st["thread_dump"]["status"] in ("taken, but no thread could be read from it",) or \
        st["thread_dump"]["status"].startswith("taken through"), st["thread_dump"]["status"]
    q = fake_jvm("nocode")
    st = _state(scan("--pid", q.pid, "--no-db", "--thread-dump"), q.pid)
    assert st["thread_dump"]["status"] == \
        "not taken: the JVM's reply does not start with a result code"
    assert p.poll() is None and q.poll() is None


def test_a_process_named_java_without_libjvm_gets_no_sigquit(fake_jvm):
    p = fake_jvm("nosocket")
    st = _state(scan("--pid", p.pid, "--no-db", "--thread-dump"), p.pid)
    status = st["thread_dump"]["status"]
    assert status.startswith("refused: no attach listener is running and wrench will not start "
                             "one: libjvm.so is not mapped"), status
    time.sleep(0.3)
    assert p.poll() is None  # a SIGQUIT would have killed it
