"""build/wrench-portable alone in an empty root: no /lib, no /usr, nothing but the
binary, a jar, a log and /proc. This is what a distroless or Alpine image offers
once wrench is copied in with `kubectl cp`.

Needs root (chroot, mount); run by `make portable-test` (part of `make test`).
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from helpers import free_port  # noqa: E402  (one port picker for every test server)

PORTABLE = os.environ.get("WRENCH_PORTABLE") or str(
    pathlib.Path(__file__).resolve().parents[2] / "build" / "wrench-portable")

LOG = """\
2026-12-07 10:00:00.123 ERROR 42 --- [main] o.s.boot.SpringApplication : Application run failed
java.lang.NoSuchMethodError: 'java.lang.String com.acme.util.Strings.whisper(java.lang.String)'
\tat com.acme.app.Main.main(Main.java:16)
"""


def _jar(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)


@pytest.fixture
def root(tmp_path):
    if os.geteuid() != 0:
        pytest.fail("the portable test needs root (chroot and mount)")
    r = tmp_path / "root"
    (r / "app" / "logs").mkdir(parents=True)
    (r / "proc").mkdir()
    (r / "tmp").mkdir()
    shutil.copy(PORTABLE, r / "wrench")
    pom = "groupId=com.acme\nartifactId=acme-util\nversion={}\n"
    for v, body in (("1.0", b"old"), ("2.0", b"new")):
        _jar(r / "app" / f"acme-util-{v}.jar", {
            "META-INF/maven/com.acme/acme-util/pom.properties": pom.format(v),
            "com/acme/util/Strings.class": body})
    (r / "app" / "logs" / "app.log").write_text(LOG)
    return r


def in_root(root, *args, background=False):
    """Run /wrench ARGS chrooted in `root`, in a private mount namespace with /proc mounted."""
    script = 'mount -t proc proc "$1/proc" && shift && exec chroot "$0" /wrench "$@"'
    cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script,
           str(root), str(root), *args]
    # unshare's sh gets $0 = root, $1 = root: chroot target and the mount point.
    if background:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_the_binary_needs_no_library():
    out = subprocess.run(["file", "-L", PORTABLE], capture_output=True, text=True).stdout \
        if shutil.which("file") else ""
    with open(PORTABLE, "rb") as f:
        elf = f.read(1 << 20)
    assert elf[:4] == b"\x7fELF"
    # No program interpreter (PT_INTERP) means no dynamic loader, so no shared library.
    assert b"ld-linux" not in elf and b"ld-musl" not in elf, out


def test_scan_of_a_jar_and_a_log_in_an_empty_root(root):
    assert not (root / "lib").exists() and not (root / "usr").exists()
    p = in_root(root, "scan", "--classpath", "/app/acme-util-1.0.jar:/app/acme-util-2.0.jar",
                "--logs", "/app/logs", "--no-db", "--json")
    assert p.returncode == 1, p.stderr
    report = json.loads(p.stdout)
    dup = [d for d in report["duplicates"] if "acme-util" in d["key"]]
    assert dup and dup[0]["versions_differ"]
    nsme = [f for f in report["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert nsme, report["logs"]["findings"]
    # The correlation found the class the log names in both jars of the classpath.
    assert any(c["class"] == "com.acme.util.Strings" and len(c["entries"]) == 2
               for c in nsme[0]["correlations"])


def test_discovery_reads_a_process_through_proc(root):
    # /proc is the only window on the host; a process started outside the root is seen
    # through /proc/PID, and its files through /proc/PID/root.
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        p = in_root(root, "scan", "--pid", str(sleeper.pid), "--no-db", "--json")
        # sleep is no JVM: a clear answer, not a crash, and /proc was readable.
        assert p.returncode in (2, 3), p.stdout + p.stderr
        assert str(sleeper.pid) in p.stderr
    finally:
        sleeper.kill()
        sleeper.wait()


def _get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def test_serve_answers_over_loopback(root):
    port = free_port()
    srv = in_root(root, "serve", "--listen", f"127.0.0.1:{port}", "--db", "/tmp/wrench.db",
                  "--classpath", "/app/acme-util-1.0.jar:/app/acme-util-2.0.jar",
                  background=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, body = _get(base + "/healthz")
                break
            except OSError:
                assert srv.poll() is None, srv.stderr.read().decode()
                time.sleep(0.1)
        assert status == 200 and json.loads(body)["status"] == "ok"
        req = urllib.request.Request(base + "/api/v1/scans", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=5) as r:
            assert r.status == 202
            scan_id = json.loads(r.read())["id"]
        for _ in range(200):
            _, body = _get(f"{base}/api/v1/scans/{scan_id}/status")
            st = json.loads(body)
            if st["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert st["status"] == "done", st
        _, body = _get(base + "/api/v1/scans/latest")
        assert any("acme-util" in d["key"] for d in json.loads(body)["duplicates"])
        _, page = _get(base + "/")
        assert b"<html" in page.lower()
    finally:
        srv.terminate()
        srv.wait(timeout=10)
    # The store the server wrote lies inside the root.
    assert (root / "tmp" / "wrench.db").stat().st_size > 0
