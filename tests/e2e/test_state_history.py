"""What wrench keeps of a JVM for a scan after its death (issue 18, item 4).

A JVM's working directory, -XX:ErrorFile and -XX:HeapDumpPath vanish from /proc with it:
a scan that stores into a database (--db) keeps what it saw of each running JVM, and a
later scan of the service with no JVM looks for its crash files where that JVM had them.
The JVM here is real (a jar built with javac/jar, crashed by SIGSEGV on the test's word);
discovery is pointed at the test's pid, then at a fixture root with a services file and
an empty --proc-root, so that no other JVM or file of the machine is looked at.
"""
import json
import pathlib
import subprocess
import time

import pytest

from helpers import ROOT, scan

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


def test_a_crashed_jvm_is_found_through_what_the_store_saw_of_it(tmp_path, crash_jar):
    root = tmp_path / "root"
    for d in ("app", "work", "custom"):
        (root / d).mkdir(parents=True)
    jar = root / "app" / "crash.jar"
    jar.write_bytes(crash_jar.read_bytes())
    # the service as the platform declares it: its jar only, in the services file under --root
    (root / "etc" / "wrench").mkdir(parents=True)
    (root / "etc" / "wrench" / "wrench.conf").write_text(json.dumps({"services": [
        {"name": "crash", "kind": "jar", "paths": {"jar": "/app/crash.jar"}}]}))
    empty_proc = tmp_path / "proc"
    empty_proc.mkdir()
    db = tmp_path / "wrench.db"
    log = tmp_path / "out.log"
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
    crash_findings = [f["id"] for f in r["findings"] if f.get("rule") == "service-crashed"
                      or "service-crashed" in json.dumps(f.get("facts", {}))]
    [inc] = [i for i in r["incidents"] if str(hs_err) in i["cause_text"]]
    assert "SIGSEGV" in inc["cause_text"], inc
    assert inc["id"] in r["verdict"]["incidents"], r["verdict"]
    assert crash_findings or inc["findings"]
