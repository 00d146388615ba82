"""The shipped runit service (scripts/runit/wrench-serve) run by a real runsv: wrench
serve comes up with its token and its store, answers over loopback, and its output
goes through svlogd."""

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest

import helpers


def _request(url, method="GET", token=None, timeout=5):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, method=method, headers=headers,
                                 data=b"{}" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture
def service(tmp_path):
    if shutil.which("runsv") is None:
        pytest.fail("runsv missing: run scripts/deps.sh (Debian package runit)")
    sv = tmp_path / "sv" / "wrench-serve"
    shutil.copytree(helpers.ROOT / "scripts" / "runit" / "wrench-serve", sv)
    jar = tmp_path / "app" / "lib.jar"
    jar.parent.mkdir()
    helpers.make_jar(jar, {"com/acme/A.class": b"x"})
    token = "s3cret-token"
    (tmp_path / "token").write_text(token + "\n")
    port = helpers.free_port()
    (sv / "conf").write_text(
        f"WRENCH={helpers.WRENCH}\n"
        f"WRENCH_LISTEN=127.0.0.1:{port}\n"
        f"WRENCH_TOKEN_FILE={tmp_path / 'token'}\n"
        f"WRENCH_DB={tmp_path / 'db' / 'wrench.db'}\n"
        f"WRENCH_ARGS='--classpath {jar}'\n"
        f"WRENCH_LOG_DIR={tmp_path / 'log'}\n")
    runsv = subprocess.Popen(["runsv", str(sv)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    yield sv, f"http://127.0.0.1:{port}", token, tmp_path
    subprocess.run(["sv", "exit", str(sv), str(sv / "log")], capture_output=True, timeout=30)
    try:
        runsv.wait(timeout=10)
    except subprocess.TimeoutExpired:
        runsv.kill()
        runsv.wait()


def test_runsv_starts_serve_and_the_api_answers(service):
    sv, base, token, tmp = service
    for _ in range(100):
        try:
            status, body = _request(base + "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    else:
        pytest.fail("wrench serve under runsv did not answer /healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    st = subprocess.run(["sv", "status", str(sv)], capture_output=True, text=True)
    assert st.stdout.startswith("run:"), st.stdout + st.stderr

    # The token of the token file guards POST.
    assert _request(base + "/api/v1/scans", "POST")[0] == 401
    status, body = _request(base + "/api/v1/scans", "POST", token=token)
    assert status == 202, body
    scan_id = json.loads(body)["id"]
    for _ in range(200):
        state = json.loads(_request(f"{base}/api/v1/scans/{scan_id}/status")[1])
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["status"] == "done", state
    report = json.loads(_request(base + "/api/v1/scans/latest")[1])
    assert report["summary"]["entries"] == 1
    assert (tmp / "db" / "wrench.db").stat().st_size > 0

    # serve's own output went through svlogd into the configured directory.
    current = tmp / "log" / "current"
    for _ in range(50):
        if current.exists() and current.stat().st_size > 0:
            break
        time.sleep(0.1)
    assert current.exists() and current.stat().st_size > 0


def test_a_missing_token_file_keeps_the_service_waiting(service):
    sv, base, _, tmp = service
    os.unlink(tmp / "token")
    subprocess.run(["sv", "restart", str(sv)], capture_output=True, timeout=30)
    time.sleep(1.5)
    with pytest.raises(OSError):
        _request(base + "/healthz", timeout=1)
    log = (tmp / "log" / "current")
    for _ in range(50):
        if log.exists() and b"token file" in log.read_bytes():
            break
        time.sleep(0.1)
    assert b"not readable" in log.read_bytes()
