"""`wrench serve`: the HTTP API of docs/api.md against a real server process.

Each server listens on 127.0.0.1 on a free port with its own SQLite file in the
test's tmp dir. The answers are compared with the command line's (`show --json`,
`diff --json`, `rules list --json`), so the tests check the API, not a copy of the
analysis. Also: every error status, the token (write and all), the security
headers and CORS, path traversal, a slowloris client, malformed HTTP, concurrent
POSTs (exactly one scan starts) and SIGTERM during a scan (exit 0, database intact).
"""

import errno
import http.client
import json
import os
import pathlib
import select
import signal
import socket
import sqlite3
import subprocess
import threading
import time

import pytest

from helpers import ROOT, WRENCH, check_report, free_port, make_jar, run

START_TIMEOUT_S = 15
SCAN_TIMEOUT_S = 120
STOP_TIMEOUT_S = 60
TOKEN = "serve-test-token-0123456789"
ORIGIN = "https://platform.example.com"
LONG_LOG_BLOCKS = 700  # of 170 KB: a 120 MB log
SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "ThreadSanitizer")


class Server:
    """A `wrench serve` process; stop() sends SIGTERM and checks a clean exit."""

    def __init__(self, tmp_path, targets, extra=(), env=None, host="127.0.0.1"):
        self.host = host
        self.db = tmp_path / "serve.db"
        full_env = dict(os.environ)
        full_env.pop("WRENCH_TOKEN", None)
        full_env.update(env or {})
        for attempt in range(5):
            self.port = free_port()
            self.log_path = tmp_path / f"serve-{self.port}.log"
            listen = f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"
            self.args = ["serve", "--listen", listen, "--db", str(self.db), *targets, *extra]
            self.log = open(self.log_path, "wb")
            self.proc = subprocess.Popen([WRENCH, *map(str, self.args)], stdout=self.log,
                                         stderr=subprocess.STDOUT, env=full_env)
            if self._wait_ready():
                return
            # another process took the port between free_port() and the bind
            self.log.close()
        raise AssertionError(f"no free port for serve after 5 tries:\n{self.output()}")

    def _wait_ready(self):
        """True once /healthz answers; False when the port was taken meanwhile."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None and "Address already in use" in self.output():
                return False
            assert self.proc.poll() is None, f"wrench serve exited early:\n{self.output()}"
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return True
            except OSError:
                pass
            assert time.monotonic() < deadline, f"no answer from serve:\n{self.output()}"
            time.sleep(0.05)

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def connect(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=30):
        """(status, headers as a dict with lower-case names, body bytes)."""
        conn = self.connect(timeout)
        headers = dict(headers or {})
        if method not in ("GET", "HEAD", "OPTIONS") and \
                not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"  # serve answers 415 without it
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()
        finally:
            conn.close()

    def json(self, method, path, status=200, **kwargs):
        code, headers, body = self.request(method, path, **kwargs)
        assert code == status, f"{method} {path}: {code} {body[:500]!r}"
        assert headers["content-type"].startswith("application/json")
        return json.loads(body)

    def start_scan(self, **kwargs):
        return self.json("POST", "/api/v1/scans", status=202, **kwargs)["id"]

    def wait_scan(self, scan_id, headers=None):
        deadline = time.monotonic() + SCAN_TIMEOUT_S
        while True:
            status = self.json("GET", f"/api/v1/scans/{scan_id}/status", headers=headers)
            if status["status"] in ("done", "failed"):
                return status
            assert 0.0 <= status["progress"] <= 1.0
            assert time.monotonic() < deadline, f"scan {scan_id} did not end: {status}"
            time.sleep(0.05)

    def stop(self, timeout=STOP_TIMEOUT_S):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"serve did not stop on SIGTERM:\n{self.output()}")
        out = self.output()
        self.log.close()
        assert rc == 0, f"serve exited {rc}:\n{out}"
        assert not any(m in out for m in SANITIZER_MARKS), out
        return out


@pytest.fixture
def servers():
    started = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.stop()


def shop(root):
    """acme-util 1.0 and 2.0 with a differing class, and a plain app jar: one conflict."""
    lib = root / "lib"
    make_jar(lib / "app.jar", classes=["com.shop.Main"])
    make_jar(lib / "acme-util-1.0.jar", classes=["com.acme.Strings"], variant="one",
             pom=("com.acme", "acme-util", "1.0"))
    make_jar(lib / "acme-util-2.0.jar", classes=["com.acme.Strings"], variant="two",
             pom=("com.acme", "acme-util", "2.0"))
    return f"{lib}/*"


@pytest.fixture(scope="module")
def long_scan(tmp_path_factory):
    """Targets that take wrench a few seconds (about 3 s, more under ASan): a large log."""
    root = tmp_path_factory.mktemp("long")
    line = b"2026-01-01 10:00:00,000 INFO  [main] com.acme.Service - request %d took %d ms\n"
    block = b"".join(line % (i, i % 97) for i in range(2000))
    log = root / "big.log"
    with open(log, "wb") as f:
        for _ in range(LONG_LOG_BLOCKS):
            f.write(block)
    return ["--logs", log]


def start(servers, tmp_path, targets, **kwargs):
    s = Server(tmp_path, targets, **kwargs)
    servers.append(s)
    return s


def assert_security_headers(headers, origin=None):
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert f"frame-ancestors {origin or chr(39) + 'none' + chr(39)}" in csp
    assert "unsafe" not in csp and "*" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers.get("access-control-allow-origin") in (None, origin)


# --------------------------------------------------------------------------
# The endpoints


def test_scan_report_history_status_and_metrics(servers, tmp_path):
    cp = shop(tmp_path)
    s = start(servers, tmp_path, ["--classpath", cp])

    health = s.json("GET", "/healthz")
    assert health["status"] == "ok" and health["version"]
    assert s.json("GET", "/api/v1/scans") == {"scans": [], "next_before": None}
    assert s.request("GET", "/api/v1/scans/latest")[0] == 404
    targets = s.json("GET", "/api/v1/targets")["targets"]
    assert targets == [{"name": "classpath-1", "kind": "classpath", "spec": cp}]

    code, headers, body = s.request("POST", "/api/v1/scans")
    assert code == 202, body
    answer = json.loads(body)
    assert answer["status"] == "queued" and answer["id"] == 1
    assert headers["location"] == answer["location"] == "/api/v1/scans/1"
    assert_security_headers(headers)
    status = s.wait_scan(1)
    assert status == {"id": 1, "status": "done", "progress": 1.0, "step": "done",
                      "error": None, "scan_id": 1}

    # the report: byte for byte what `wrench show 1 --json` prints
    shown = run(["show", "1", "--json", "--db", s.db])
    assert shown.returncode == 0, shown.err
    code, headers, body = s.request("GET", "/api/v1/scans/1")
    assert code == 200 and headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"
    assert body.decode() == shown.out
    report = json.loads(body)
    check_report(report)
    assert report["conflicts"], "the shop has a class conflict"
    assert s.request("GET", "/api/v1/scans/latest")[2] == body

    second = s.start_scan()
    assert second == 2 and s.wait_scan(2)["status"] == "done"
    page = s.json("GET", "/api/v1/scans")
    assert [x["id"] for x in page["scans"]] == [2, 1] and page["next_before"] is None
    history = json.loads(run(["history", "--json", "--db", s.db]).out)["scans"]
    assert page["scans"] == history
    page = s.json("GET", "/api/v1/scans?limit=1")
    assert [x["id"] for x in page["scans"]] == [2] and page["next_before"] == 2
    page = s.json("GET", "/api/v1/scans?limit=1&before=2")
    assert [x["id"] for x in page["scans"]] == [1] and page["next_before"] is None
    assert s.json("GET", "/api/v1/scans?before=1")["scans"] == []

    # a scan finished before this server started answers from the store
    s.stop()
    s2 = start(servers, tmp_path, ["--classpath", cp])
    assert s2.json("GET", "/api/v1/scans/1/status")["status"] == "done"
    assert s2.start_scan() == 3

    rules = json.loads(run(["rules", "list", "--json"]).out)
    assert s2.json("GET", "/api/v1/rules") == rules and len(rules["rules"]) > 10

    s2.wait_scan(3)
    code, headers, body = s2.request("GET", "/metrics")
    assert code == 200 and headers["content-type"].startswith("text/plain; version=0.0.4")
    metrics = dict(line.rsplit(" ", 1) for line in body.decode().splitlines()
                   if line and not line.startswith("#"))
    assert metrics['wrench_scans_total{status="done"}'] == "1"
    assert metrics['wrench_scans_total{status="failed"}'] == "0"
    assert metrics["wrench_scan_running"] == "0"
    summary = report["summary"]
    for sev in ("critical", "error", "warning", "info"):
        assert metrics[f'wrench_latest_findings{{severity="{sev}"}}'] == str(summary[sev])
    assert abs(float(metrics["wrench_last_scan_timestamp_seconds"]) - time.time()) < 300
    assert float(metrics["wrench_last_scan_duration_seconds"]) >= 0


PAGED_SCANS = 240  # stored by real `wrench scan` runs, two targets taking turns
API_DEFAULT_LIMIT = 50
API_MAX_LIMIT = 200


def test_history_pages_status_and_metrics_over_a_few_hundred_scans(servers, tmp_path):
    shop_cp = shop(tmp_path / "shop")
    plain = tmp_path / "plain" / "lib"
    make_jar(plain / "app.jar", classes=["com.plain.Main"])
    db = tmp_path / "serve.db"  # the file Server serves
    for i in range(PAGED_SCANS):
        cp = shop_cp if i % 3 == 0 else f"{plain}/*"
        r = run(["scan", "-cp", cp, "--db", db, "--keep", "1000"])
        assert r.returncode in (0, 1), r.err  # 1: the shop's conflict is an error finding
    history = json.loads(run(["history", "--json", "--db", db]).out)["scans"]
    assert [x["id"] for x in history] == list(range(PAGED_SCANS, 0, -1))
    by_id = {x["id"]: x for x in history}
    assert len({json.dumps(x["summary"]) for x in history}) == 2, "two kinds of scan"
    s = start(servers, tmp_path, ["--classpath", shop_cp])

    # Walking the pages by next_before gives the whole history once, in order.
    for limit in (1, 7, API_DEFAULT_LIMIT, API_MAX_LIMIT):
        seen, before, pages = [], None, 0
        while True:
            query = f"/api/v1/scans?limit={limit}" + (f"&before={before}" if before else "")
            page = s.json("GET", query)
            pages += 1
            assert 1 <= len(page["scans"]) <= limit
            seen += page["scans"]
            before = page["next_before"]
            if before is None:
                break
            assert len(page["scans"]) == limit and before == page["scans"][-1]["id"]
        assert seen == history
        assert pages == -(-PAGED_SCANS // limit)
    page = s.json("GET", "/api/v1/scans")
    assert page["scans"] == history[:API_DEFAULT_LIMIT]
    assert page["next_before"] == history[API_DEFAULT_LIMIT - 1]["id"]
    # before is a key, not a position: any id works, existing or not.
    page = s.json("GET", "/api/v1/scans?limit=5&before=100")
    assert [x["id"] for x in page["scans"]] == [99, 98, 97, 96, 95] and page["next_before"] == 95
    page = s.json("GET", f"/api/v1/scans?limit=3&before={PAGED_SCANS * 10}")
    assert page["scans"] == history[:3]
    page = s.json("GET", "/api/v1/scans?limit=200&before=4")
    assert [x["id"] for x in page["scans"]] == [3, 2, 1] and page["next_before"] is None

    for scan_id in (1, PAGED_SCANS // 2, PAGED_SCANS):
        status = s.json("GET", f"/api/v1/scans/{scan_id}/status")
        assert status == {"id": scan_id, "status": "done", "progress": 1.0, "step": "done",
                          "error": None, "scan_id": scan_id}
    assert s.request("GET", f"/api/v1/scans/{PAGED_SCANS + 5}/status")[0] == 404

    # The status, the list and the metrics read the scans row alone: a damaged child table
    # of the latest scan fails its report but not them.
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE entries SET kind = 'no-such-kind' WHERE scan_id = ?", (PAGED_SCANS,))
    con.close()
    assert s.request("GET", f"/api/v1/scans/{PAGED_SCANS}")[0] == 500
    assert s.json("GET", f"/api/v1/scans/{PAGED_SCANS}/status")["status"] == "done"
    assert s.json("GET", "/api/v1/scans?limit=2")["scans"] == history[:2]
    code, _, body = s.request("GET", "/metrics")
    assert code == 200, body
    metrics = dict(line.rsplit(" ", 1) for line in body.decode().splitlines()
                   if line and not line.startswith("#"))
    latest = by_id[PAGED_SCANS]
    for sev in ("critical", "error", "warning", "info"):
        assert metrics[f'wrench_latest_findings{{severity="{sev}"}}'] == \
            str(latest["summary"][sev])
    assert float(metrics["wrench_last_scan_duration_seconds"]) == \
        pytest.approx(latest["duration_ms"] / 1000.0, abs=0.001)


def test_diff_matches_the_command_line(servers, tmp_path):
    cp = shop(tmp_path)
    s = start(servers, tmp_path, ["--classpath", cp])
    s.wait_scan(s.start_scan())
    assert s.request("GET", "/api/v1/diff")[0] == 404  # nothing earlier of the same targets
    (tmp_path / "lib" / "acme-util-1.0.jar").unlink()
    s.wait_scan(s.start_scan())
    expected = json.loads(run(["diff", "1", "2", "--json", "--db", s.db]).out)
    assert expected["resolved_findings"]
    assert s.json("GET", "/api/v1/diff?from=1&to=2") == expected
    assert s.json("GET", "/api/v1/diff?to=2") == expected
    assert s.json("GET", "/api/v1/diff") == expected
    assert s.request("GET", "/api/v1/diff?from=1&to=9")[0] == 404
    assert s.request("GET", "/api/v1/diff?from=x&to=2")[0] == 400


def test_body_picks_among_configured_targets(servers, tmp_path):
    cp = shop(tmp_path)
    other = tmp_path / "other"
    make_jar(other / "solo.jar", classes=["com.solo.A"])
    s = start(servers, tmp_path, ["--classpath", cp, "--dir", other])
    names = [t["name"] for t in s.json("GET", "/api/v1/targets")["targets"]]
    assert names == ["classpath-1", "dir-1"]
    body = json.dumps({"targets": ["dir-1"]})
    scan_id = s.start_scan(body=body, headers={"Content-Type": "application/json"})
    s.wait_scan(scan_id)
    report = s.json("GET", f"/api/v1/scans/{scan_id}")
    assert [v["target"] for v in report["views"]] == [str(other)]
    # never a path: an unknown name, a path, or another key is a 400
    for bad in ({"targets": ["/etc"]}, {"targets": [str(other)]}, {"targets": []},
                {"targets": "dir-1"}, {"path": "/etc"}, {"targets": [1]}, [], "x"):
        code, _, answer = s.request("POST", "/api/v1/scans", body=json.dumps(bad))
        assert code == 400, (bad, answer)
        assert b"/etc" not in answer


def test_thread_dump_in_the_body_takes_a_dump_of_the_jvm(servers, tmp_path, jvms):
    """A real JVM (testdata/state/Stuck.java) served with --pid: a POST with
    "thread_dump": "all" takes its dump through the attach protocol; without it, none."""
    subprocess.run(["javac", "-nowarn", "-d", str(tmp_path), str(ROOT / "testdata/state/Stuck.java")],
                   check=True, capture_output=True)
    jvm = jvms(["-cp", tmp_path, "Stuck"], tmp_path, tmp_path / "out.log")
    s = start(servers, tmp_path, ["--pid", str(jvm.pid)])
    plain = s.start_scan(body=json.dumps({}))
    assert s.wait_scan(plain)["status"] == "done"
    [svc] = s.json("GET", f"/api/v1/scans/{plain}")["services"]
    assert svc["pid"] == jvm.pid and svc["thread_dump"] is None, svc
    dumped = s.start_scan(body=json.dumps({"thread_dump": "all"}))
    assert s.wait_scan(dumped)["status"] == "done"
    [svc] = s.json("GET", f"/api/v1/scans/{dumped}")["services"]
    dump = svc["thread_dump"]
    assert dump["status"].startswith("taken through the attach protocol"), dump
    assert "Full thread dump" in dump["text"]
    assert jvm.running  # the JVM lives on after the dump
    for bad in ({"thread_dump": "yes"}, {"thread_dump": True}, {"thread_dump": ["all"]},
                {"thread_dump": None}, {"threaddump": "all"}):
        code, _, answer = s.request("POST", "/api/v1/scans", body=json.dumps(bad))
        assert code == 400, (bad, answer)
        assert b"thread_dump" in answer


# --------------------------------------------------------------------------
# Errors


def test_error_statuses(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    cases = [
        ("GET", "/api/v1/scans/abc", 400), ("GET", "/api/v1/scans/0", 400),
        ("GET", "/api/v1/scans/-1", 400), ("GET", "/api/v1/scans/99999999999999999999", 400),
        ("GET", "/api/v1/scans/1x/status", 400), ("GET", "/api/v1/scans?limit=0", 400),
        ("GET", "/api/v1/scans?limit=201", 400), ("GET", "/api/v1/scans?limit=x", 400),
        ("GET", "/api/v1/scans?before=0", 400),
        ("GET", "/api/v1/scans?" + "&".join(f"k{i}=v" for i in range(20)), 400),
        ("GET", "/api/v1/nothing", 404), ("GET", "/api/v1/scans/42", 404),
        ("GET", "/api/v1/scans/42/status", 404), ("GET", "/api/v1/scans/1/other", 404),
        ("GET", "/nope", 404), ("GET", "/api/v2/scans", 404),
        ("DELETE", "/api/v1/scans", 405), ("PUT", "/api/v1/scans/1", 405),
        ("POST", "/healthz", 405), ("POST", "/api/v1/rules", 405),
    ]
    for method, path, status in cases:
        code, headers, body = s.request(method, path)
        assert code == status, (method, path, code, body)
        error = json.loads(body)["error"]
        assert error["status"] == status and error["message"], (path, error)
        assert_security_headers(headers)
        if status == 405:
            assert "GET" in headers["allow"] and "OPTIONS" in headers["allow"]
    code, headers, _ = s.request("DELETE", "/api/v1/scans")
    assert headers["allow"] == "GET, HEAD, POST, OPTIONS"
    code, _, body = s.request("POST", "/api/v1/scans", body=b"{not json")
    assert code == 400 and b"not JSON" in body
    code, _, body = s.request("POST", "/api/v1/scans", body=b"\xff\xfe")
    assert code == 400
    # HEAD is GET without a body
    code, headers, body = s.request("HEAD", "/healthz")
    assert code == 200 and body == b""


def test_oversized_body_is_413(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    big = b'{"targets": ["' + b"x" * (64 * 1024) + b'"]}'
    code, headers, body = s.request("POST", "/api/v1/scans", body=big)
    assert code == 413 and json.loads(body)["error"]["status"] == 413
    assert_security_headers(headers)
    # chunked, without a Content-Length: refused once the cap is passed
    conn = s.connect()
    conn.putrequest("POST", "/api/v1/scans")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    chunk = b"y" * 8192
    try:
        for _ in range(10):
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
        assert conn.getresponse().status == 413
    except (BrokenPipeError, ConnectionResetError):
        pass  # hanging up on the client is also a refusal
    conn.close()
    assert s.request("GET", "/api/v1/scans")[0] == 200  # no scan was started
    assert s.json("GET", "/api/v1/scans")["scans"] == []


def test_malformed_http_is_refused_and_the_server_goes_on(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    garbage = [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x00\xff\x00\xff\r\n\r\n",
               b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
               b"GET /" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
               b"POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
               b"POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab"]
    for data in garbage:
        with socket.create_connection((s.host, s.port), timeout=5) as sock:
            try:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
                answer = sock.recv(4096)
            except (ConnectionResetError, BrokenPipeError):
                answer = b""
            except TimeoutError:
                # still waiting for a request line it can use (until the connection
                # timeout): it holds no worker, others are answered meanwhile
                assert s.request("GET", "/healthz", timeout=2)[0] == 200
                answer = b""
            except OSError as e:  # ENOTCONN: it had already closed the connection
                if e.errno != errno.ENOTCONN:
                    raise
                answer = b""
        # libmicrohttpd answers what it cannot parse itself (400, 413, 414, 431, 505)
        assert answer == b"" or answer.startswith((b"HTTP/1.1 4", b"HTTP/1.1 505")), \
            (data[:40], answer[:200])
    assert s.json("GET", "/healthz")["status"] == "ok"
    assert s.json("GET", "/api/v1/scans")["scans"] == []


# --------------------------------------------------------------------------
# The token


def test_token_for_writes(servers, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path), "--token-file", token_file])
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": "Bearer " + TOKEN[:-1]},
                    {"Authorization": "Bearer " + TOKEN + "x"},
                    {"Authorization": "Basic " + TOKEN}):
        code, _, body = s.request("POST", "/api/v1/scans", headers=headers)
        assert code == 401, headers
        assert TOKEN.encode() not in body
    assert s.json("GET", "/api/v1/scans")["scans"] == []  # reading needs no token
    auth = {"Authorization": "Bearer " + TOKEN}
    scan_id = s.start_scan(headers=auth)
    s.wait_scan(scan_id)
    assert s.request("GET", f"/api/v1/scans/{scan_id}")[0] == 200
    assert TOKEN not in s.stop()


def test_token_for_everything(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path), "--auth", "all"],
              env={"WRENCH_TOKEN": TOKEN})
    auth = {"Authorization": "Bearer " + TOKEN}
    for path in ("/api/v1/scans", "/api/v1/scans/1", "/api/v1/targets", "/api/v1/rules",
                 "/api/v1/diff", "/metrics", "/api/v1/scans/latest"):
        code, _, body = s.request("GET", path)
        assert code == 401, path
        assert s.request("GET", path, headers={"Authorization": "Bearer nope"})[0] == 401
    # the health check and the UI itself (which then asks for the token) stay open
    assert s.request("GET", "/healthz")[0] == 200
    assert s.request("GET", "/")[0] == 200
    assert s.request("GET", "/ui/app.js")[0] == 200
    assert s.request("GET", "/api/v1/scans", headers=auth)[0] == 200
    s.wait_scan(s.start_scan(headers=auth), headers=auth)
    assert TOKEN not in s.stop()


def test_bad_options_refuse_to_start(tmp_path):
    cp = shop(tmp_path)
    db = tmp_path / "x.db"
    empty = tmp_path / "empty-token"
    empty.write_text("\n")
    cases = [
        (["serve", "--db", db, "--classpath", cp, "--auth", "all"], "needs a token"),
        (["serve", "--db", db, "--classpath", cp, "--auth", "some"], "--auth"),
        (["serve", "--db", db, "--classpath", cp, "--listen", "localhost:80"], "--listen"),
        (["serve", "--db", db, "--classpath", cp, "--listen", "127.0.0.1:99999"], "--listen"),
        (["serve", "--db", db, "--classpath", cp, "--listen", "[::1:80"], "--listen"),
        (["serve", "--db", db, "--classpath", cp, "--allow-origin", "*"], "--allow-origin"),
        (["serve", "--db", db, "--classpath", cp, "--allow-origin", "https://a.example; x"],
         "--allow-origin"),
        (["serve", "--db", db, "--classpath", cp, "--token-file", tmp_path / "none"], "token"),
        (["serve", "--db", db, "--classpath", cp, "--token-file", empty], "empty"),
        (["serve", "--db", db, "--classpath", cp, "--keep", "0"], "--keep"),
        (["serve", "--db", db, "--classpath", cp, "--listen", "0.0.0.0:7070"],
         "refusing to listen on 0.0.0.0:7070 without a token"),
        (["serve", "--db", db, "--classpath", cp, "--listen", "[::]:7070"], "--insecure-no-token"),
        (["serve", "--db", db, "--classpath", cp, "--listen", "10.1.2.3:7070"], "without a token"),
    ]
    for args, message in cases:
        proc = run(args, timeout=20)
        assert proc.returncode == 2, (args, proc.returncode, proc.err)
        assert message in proc.err, (args, proc.err)
    # a port in use
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = run(["serve", "--db", db, "--classpath", cp, "--listen", f"127.0.0.1:{port}"],
                   timeout=20)
        assert proc.returncode == 3 and "cannot listen" in proc.err, proc.err


# --------------------------------------------------------------------------
# Headers, CORS, static files


def test_origin_and_preflight(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path), "--allow-origin", ORIGIN])
    code, headers, _ = s.request("GET", "/api/v1/scans", headers={"Origin": ORIGIN})
    assert code == 200 and headers["access-control-allow-origin"] == ORIGIN
    assert_security_headers(headers, ORIGIN)
    code, headers, _ = s.request("GET", "/api/v1/scans", headers={"Origin": "https://evil.example"})
    assert code == 200 and "access-control-allow-origin" not in headers
    assert_security_headers(headers, ORIGIN)
    code, headers, body = s.request("OPTIONS", "/api/v1/scans", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert code == 204 and body == b""
    assert headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in headers["access-control-allow-methods"]
    assert "Authorization" in headers["access-control-allow-headers"]
    code, headers, _ = s.request("OPTIONS", "/api/v1/scans", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in headers
    assert s.request("OPTIONS", "/nowhere")[0] == 404


def test_no_cross_origin_without_allow_origin(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    for origin in (ORIGIN, "null", "http://127.0.0.1:1"):
        code, headers, _ = s.request("GET", "/api/v1/scans", headers={"Origin": origin})
        assert "access-control-allow-origin" not in headers
        assert_security_headers(headers)


def test_ui_files_and_path_traversal(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    code, headers, body = s.request("GET", "/")
    assert code == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert body == (ROOT / "web" / "index.html").read_bytes()
    assert_security_headers(headers)
    for name, ctype in (("app.js", "text/javascript; charset=utf-8"),
                        ("style.css", "text/css; charset=utf-8"),
                        ("index.html", "text/html; charset=utf-8")):
        code, headers, body = s.request("GET", "/ui/" + name)
        assert code == 200 and headers["content-type"] == ctype, name
        assert body == (ROOT / "web" / name).read_bytes()
        assert headers["x-content-type-options"] == "nosniff"
    for path in ("/ui/../wrench/http.c", "/ui/%2e%2e/wrench/http.c", "/ui/%2e%2e%2fMakefile",
                 "/ui/..%2f..%2fetc%2fpasswd", "/ui/", "/ui", "/ui/nope.js", "/ui/APP.JS",
                 "/ui/app.js/", "/ui/app.js%00.html", "/ui//etc/passwd", "/ui/./app.js",
                 "/web/index.html", "/ui/../../etc/passwd", "/index.html",
                 "/ui/" + "a" * 5000 + ".js", "/ui/%00"):
        sock = socket.create_connection((s.host, s.port), timeout=10)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        sock.close()
        status = answer.split(b" ", 2)[1]
        assert status in (b"404", b"400", b"414", b"431"), (path, answer[:300])
        assert b"#include" not in answer and b"root:" not in answer


# --------------------------------------------------------------------------
# Concurrency, slow clients, shutdown


def test_concurrent_posts_start_exactly_one_scan(servers, tmp_path, long_scan):
    s = start(servers, tmp_path, long_scan)
    n = 12
    barrier = threading.Barrier(n)
    codes = []
    lock = threading.Lock()

    def post():
        barrier.wait()
        code, _, body = s.request("POST", "/api/v1/scans")
        with lock:
            codes.append((code, body))

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(c for c, _ in codes) == [202] + [409] * (n - 1), codes
    started = next(json.loads(b)["id"] for c, b in codes if c == 202)
    # while it runs: another POST is 409, the list shows it, reads stay fast
    status = s.json("GET", f"/api/v1/scans/{started}/status")
    assert status["status"] in ("queued", "running"), "the scan is too short for this test"
    assert s.request("POST", "/api/v1/scans")[0] == 409
    listed = s.json("GET", "/api/v1/scans")["scans"]
    assert listed[0]["id"] == started and listed[0]["status"] in ("queued", "running")
    t0 = time.monotonic()
    assert s.request("GET", "/healthz")[0] == 200
    assert b"\nwrench_scan_running 1\n" in s.request("GET", "/metrics")[2]
    assert time.monotonic() - t0 < 2
    assert s.wait_scan(started)["status"] == "done"
    assert s.start_scan() == started + 1  # a new scan once the first has ended
    s.wait_scan(started + 1)


def test_slow_clients_do_not_block_others(servers, tmp_path, long_scan):
    s = start(servers, tmp_path, long_scan)
    stop = threading.Event()
    slow = []
    request = b"GET /api/v1/scans HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100
    for _ in range(24):  # more than the worker threads, fewer than the per-IP limit
        sock = socket.create_connection((s.host, s.port), timeout=30)
        slow.append(sock)

    def dribble():
        i = 0
        while not stop.is_set() and i < len(request):
            for sock in slow:
                try:
                    sock.send(request[i:i + 1])
                except OSError:
                    pass
            i += 1
            stop.wait(1.0)

    t = threading.Thread(target=dribble)
    t.start()
    try:
        scan_id = s.start_scan()  # a scan runs meanwhile, too
        time.sleep(1.5)
        for _ in range(10):
            t0 = time.monotonic()
            assert s.request("GET", "/healthz", timeout=5)[0] == 200
            assert s.request("GET", "/api/v1/scans", timeout=5)[0] == 200
            assert s.request("GET", f"/api/v1/scans/{scan_id}/status", timeout=5)[0] == 200
            assert time.monotonic() - t0 < 2, "a request took over 2 s next to slow clients"
        assert s.wait_scan(scan_id)["status"] == "done"
    finally:
        stop.set()
        t.join()
        for sock in slow:
            sock.close()


def test_sigterm_during_a_scan_exits_0_and_keeps_the_database(servers, tmp_path, long_scan):
    cp = shop(tmp_path)
    s = start(servers, tmp_path, ["--classpath", cp])
    s.wait_scan(s.start_scan())
    s.stop()
    s = start(servers, tmp_path, ["--classpath", cp, *long_scan])
    scan_id = s.start_scan()
    assert scan_id == 2
    deadline = time.monotonic() + SCAN_TIMEOUT_S
    while s.json("GET", f"/api/v1/scans/{scan_id}/status")["status"] == "queued":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert s.json("GET", f"/api/v1/scans/{scan_id}/status")["status"] == "running"
    out = s.stop()
    assert "stopping" in out
    con = sqlite3.connect(s.db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in con.execute("SELECT id FROM scans ORDER BY id")]
    finally:
        con.close()
    assert ids in ([1], [1, 2])  # the running scan is stored whole or not at all
    for i in ids:
        shown = run(["show", str(i), "--json", "--db", s.db])
        assert shown.returncode == 0, shown.err
        check_report(json.loads(shown.out))


def test_ipv6_loopback(servers, tmp_path):
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no ::1")
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)], host="::1")
    assert s.json("GET", "/healthz")["status"] == "ok"


# --------------------------------------------------------------------------
# Connection limits and the idle timeout

PER_ADDRESS = 64  # SERVE_MAX_PER_IP in wrench/cmd_serve.c
ALL_CONNECTIONS = 256  # SERVE_MAX_CONNECTIONS
IDLE_TIMEOUT_S = 30  # SERVE_TIMEOUT_SECONDS


def _open_from(s, address, n):
    """n connections to the server from the loopback address `address` (all of 127/8 is
    local on Linux), sending nothing."""
    socks = []
    for _ in range(n):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((address, 0))
        sock.settimeout(10)
        sock.connect((s.host, s.port))
        socks.append(sock)
    return socks


def _closed_by_server(sock):
    """True once the server has closed the connection (EOF or a reset is waiting)."""
    if not select.select([sock], [], [], 0)[0]:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


def _get(sock):
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")


def _answer(sock, timeout):
    """What the server sends before closing, b"" for a close without an answer, None for
    nothing at all within `timeout` seconds."""
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        return data or None
    except ConnectionResetError:
        pass
    return data


def test_connection_limits_and_the_idle_timeout(servers, tmp_path):
    """libmicrohttpd as wrench configures it (http.c: MHD_OPTION_PER_IP_CONNECTION_LIMIT,
    CONNECTION_LIMIT, CONNECTION_TIMEOUT): a connection over the per-address limit is
    accepted and closed at once, so a new request from that address is refused too while
    another address is served; over the total limit nothing more is accepted, so a new
    connection waits in the listen queue until a slot frees; a connection that sends
    nothing is closed after the idle timeout."""
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    opened = time.monotonic()
    # from an address the start-up probe (127.0.0.1) never used: the server may still count
    # that probe's connection until it has seen its close, one too many for 127.0.0.1
    first = _open_from(s, "127.0.0.3", PER_ADDRESS)
    extra = _open_from(s, "127.0.0.3", 8)
    time.sleep(1.0)
    everyone = first + extra
    closed = [sock for sock in everyone if _closed_by_server(sock)]
    assert len(closed) == 8, f"{len(closed)} of {len(everyone)} closed, expected 8"
    alive = [sock for sock in everyone if sock not in closed]
    for sock in closed:
        sock.close()
    # the same address is refused (closed without an answer), another one is served
    [fresh] = _open_from(s, "127.0.0.3", 1)
    _get(fresh)
    assert _answer(fresh, 5) == b""
    fresh.close()
    [other] = _open_from(s, "127.0.0.2", 1)
    _get(other)
    assert _answer(other, 5).startswith(b"HTTP/1.1 200 ")
    other.close()
    # the server counts a connection until it has seen its close (under ASan on a busy
    # machine that takes a while): give it that, and fill from addresses never used, so that
    # no address is over its limit even for a moment
    time.sleep(1.0)

    # fill the server: 64 from each of three more addresses makes 256
    more = []
    for address in ("127.0.0.6", "127.0.0.7", "127.0.0.8"):
        more += _open_from(s, address, PER_ADDRESS)
    time.sleep(1.0)
    assert not any(_closed_by_server(sock) for sock in alive + more)
    assert len(alive) + len(more) == ALL_CONNECTIONS
    [waiting] = _open_from(s, "127.0.0.5", 1)  # the kernel completes it; nobody accepts it
    _get(waiting)
    assert _answer(waiting, 2) is None, "answered over the total connection limit"
    more.pop().close()  # a slot frees: the waiting connection is accepted and answered
    assert _answer(waiting, 10).startswith(b"HTTP/1.1 200 ")
    waiting.close()

    # The idle ones: still open well before the timeout, closed by the server after it.
    wait_until = opened + IDLE_TIMEOUT_S - 5
    time.sleep(max(0.0, wait_until - time.monotonic()))
    assert not any(_closed_by_server(sock) for sock in alive), "closed before the timeout"
    deadline = opened + IDLE_TIMEOUT_S + 5
    while not all(_closed_by_server(sock) for sock in alive):
        assert time.monotonic() < deadline, "idle connections still open after the timeout"
        time.sleep(0.2)
    assert time.monotonic() - opened >= IDLE_TIMEOUT_S - 1
    for sock in alive + more:
        sock.close()
    assert s.json("GET", "/healthz")["status"] == "ok"


def test_without_targets_every_scan_discovers_the_services(servers, tmp_path):
    lib = tmp_path / "lib"
    make_jar(lib / "acme-util-1.0.jar", classes=["com.acme.Strings"], variant="one",
             pom=("com.acme", "acme-util", "1.0"))
    app = make_jar(tmp_path / "app.jar", classes=["com.shop.Main"],
                   manifest={"Main-Class": "com.shop.Main", "Class-Path": "lib/acme-util-1.0.jar"})
    conf = tmp_path / "wrench.conf"
    conf.write_text('{"services": [{"name": "shop", "kind": "jar", "paths": {"jar": "%s"}}]}'
                    % app)
    s = start(servers, tmp_path, ["--no-processes", "--config", conf])
    scan_id = s.start_scan()
    assert s.wait_scan(scan_id)["status"] == "done"
    report = s.json("GET", f"/api/v1/scans/{scan_id}")
    check_report(report)
    [svc] = report["discovery"]["services"]
    assert svc["name"] == "shop" and svc["running"] is False
    assert [e["path"] for e in report["views"][0]["entries"]] == [app, str(lib / "acme-util-1.0.jar")]


# --------------------------------------------------------------------------
# Safe defaults (issue 13): no open POST beyond loopback, no form POST


def test_a_non_loopback_listen_needs_a_token_or_insecure_no_token(servers, tmp_path):
    cp = shop(tmp_path)
    # refused without a token (the cases of test_bad_options_refuse_to_start), started with
    # one, or with --insecure-no-token; 0.0.0.0 includes loopback, where the test talks
    token = tmp_path / "token"
    token.write_text("s3cret-token\n")
    s = start(servers, tmp_path, ["--classpath", cp, "--token-file", token], host="0.0.0.0")
    assert s.request("POST", "/api/v1/scans")[0] == 401
    s.stop()
    s = start(servers, tmp_path, ["--classpath", cp, "--insecure-no-token"], host="0.0.0.0")
    scan_id = s.start_scan()
    assert s.wait_scan(scan_id)["status"] == "done"
    # loopback needs neither, in IPv6 too
    s6 = start(servers, tmp_path, ["--classpath", cp], host="::1")
    assert s6.request("GET", "/healthz")[0] == 200


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/jsonx",
                                          "text/json"])
def test_a_post_without_json_content_type_is_415_and_starts_nothing(servers, tmp_path,
                                                                     content_type):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    conn = s.connect()
    try:
        conn.putrequest("POST", "/api/v1/scans")
        body = b"{}" if content_type != "application/x-www-form-urlencoded" else b"a=b"
        if content_type:
            conn.putheader("Content-Type", content_type)
        conn.putheader("Content-Length", str(len(body)))
        conn.putheader("Origin", "https://evil.example")
        conn.endheaders(body)
        res = conn.getresponse()
        code, answer = res.status, res.read()
    finally:
        conn.close()
    assert code == 415, (code, answer)
    assert "application/json" in json.loads(answer)["error"]["message"]
    assert s.json("GET", "/api/v1/scans")["scans"] == []


def test_a_post_with_json_content_type_and_parameters_starts_a_scan(servers, tmp_path):
    s = start(servers, tmp_path, ["--classpath", shop(tmp_path)])
    scan_id = s.start_scan(body=b"{}", headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert s.wait_scan(scan_id)["status"] == "done"


def _task_nices(pid):
    """{tid: nice} of every thread of a process."""
    out = {}
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
            out[int(task.name)] = int(stat.rsplit(")", 1)[1].split()[16])
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            pass
    return out


def test_a_scan_of_serve_runs_at_a_lower_priority_and_the_server_does_not(servers, tmp_path,
                                                                            long_scan):
    """The scan thread takes nice 10; the main and HTTP threads keep the server's."""
    s = start(servers, tmp_path, long_scan)
    base = _task_nices(s.proc.pid)[s.proc.pid]
    scan_id = s.start_scan()
    lowered = set()
    deadline = time.monotonic() + SCAN_TIMEOUT_S
    while time.monotonic() < deadline:
        nices = _task_nices(s.proc.pid)
        lowered |= {tid for tid, n in nices.items() if n == max(10, base)}
        assert nices.get(s.proc.pid) == base, nices
        if s.json("GET", f"/api/v1/scans/{scan_id}/status")["status"] in ("done", "failed"):
            break
        time.sleep(0.01)
    if not lowered and base < 10:
        pytest.skip("the scan ended before its thread could be sampled")
    assert s.proc.pid not in lowered
    assert "memory budget" in s.output(), s.output()
