"""Progress of a long scan: on a terminal's stderr once the scan has run about a second,
erased before the report; never when stderr is not a terminal, never in --json output."""
import os
import pty
import subprocess
import tempfile

from helpers import WRENCH, read_pty

LINE = b"2026-11-27 02:19:18,123 INFO  [http-nio-8080-exec-1] c.a.web.Shop - served /cart in 12 ms\n"


def _big_log(path, megabytes=200):
    chunk = LINE * ((1 << 20) // len(LINE) + 1)
    with open(path, "wb") as f:
        for _ in range(megabytes):
            f.write(chunk[: 1 << 20])
    return path


def _run(args, stderr_tty):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["WRENCH_LOG_THREADS"] = "1"  # one thread: the scan must last over a second
    env["WRENCH_LOG_FASTPATH"] = "0"  # and every line split: the fast path reads 200 MB in 0.2 s
    if not stderr_tty:
        p = subprocess.run([WRENCH] + args, capture_output=True, env=env, timeout=120)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    out_file = tempfile.TemporaryFile()
    # stdout to a file, stderr to the terminal, read here as it comes: no pipe can fill up
    proc = subprocess.Popen([WRENCH] + args, stdout=out_file, stderr=slave,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    err = read_pty(master, proc)
    proc.wait(timeout=120)
    out_file.seek(0)
    out = out_file.read()
    out_file.close()
    return proc.returncode, out, err


def test_progress_on_a_terminal_only(tmp_path):
    log = _big_log(tmp_path / "big.log")
    rc, out, err = _run(["scan", "--logs", str(log), "--no-db"], stderr_tty=True)
    assert rc == 0, err
    assert b"wrench: " in err and b"reading big.log" in err and b"MB)" in err
    assert err.endswith(b"\r\x1b[K"), "the progress line is erased before the report"
    assert b"wrench: " not in out and b"\x1b" not in out
    # stderr not a terminal: nothing
    rc, out, err = _run(["scan", "--logs", str(log), "--no-db"], stderr_tty=False)
    assert rc == 0 and err == b""
    # --json: the JSON is clean whatever stderr is
    rc, out, err = _run(["scan", "--logs", str(log), "--no-db", "--json"], stderr_tty=True)
    assert rc == 0 and out.lstrip().startswith(b"{") and b"\x1b" not in out
