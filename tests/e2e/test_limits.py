"""Linear-time limits (issue 13): inputs whose size decides the work. Each test builds an
input that would take minutes (or gigabytes) if a step were quadratic, runs wrench under a
generous timeout, and asserts that it completed and reported the limit it hit. No test
asserts a timing.

The reports here are large (tens of thousands of entries), so they are checked by a light
reader of their own instead of helpers.check_report, whose per-entry problem lookup is
itself quadratic in Python."""
import json
import os
import pathlib
import string
import zipfile

import pytest

import helpers
from helpers import jar_bytes, make_jar, manifest_text, run

TIMEOUT = 600  # generous: minutes of headroom under ASan on a shared machine
VIEW_LIMIT = 20000  # READER_MAX_VIEW_ENTRIES in wrench/reader.h


def scan_big(*args, env=None):
    proc = run(["scan", *args, "--json", "--no-db", "--fail-on", "never"], env=env,
               timeout=TIMEOUT)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.err[-2000:]}"
    r = json.loads(proc.out)
    assert r["summary"]["entries"] == sum(len(v["entries"]) for v in r["views"])
    for v in r["views"]:
        assert [e["index"] for e in v["entries"]] == list(range(len(v["entries"])))
    return r


def short_names(n):
    """n distinct short jar names: 1-3 characters of [0-9a-zA-Z] + ".j"."""
    alphabet = string.digits + string.ascii_letters
    out = []
    for i in range(n):
        s = ""
        while True:
            s = alphabet[i % 62] + s
            i //= 62
            if not i:
                break
        out.append(s)
    return out


def test_class_path_of_200000_missing_names(tmp_path):
    """One jar whose manifest Class-Path names 200,000 jars that do not exist (the manifest
    stays under its 1 MiB cap). Before issue 13 this took 455 s and 1.4 GB."""
    names = short_names(200_000)
    class_path = " ".join(names)
    text = manifest_text({"Main-Class": "com.acme.Main", "Class-Path": class_path})
    assert len(text) < (1 << 20)
    app = tmp_path / "app.jar"
    with zipfile.ZipFile(app, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", text)
        z.writestr("com/acme/Main.class", helpers.class_bytes("com.acme.Main"))
    r = scan_big("--jar", app)
    ents = r["views"][0]["entries"]
    assert len(ents) == VIEW_LIMIT
    assert ents[0]["path"] == str(app) and ents[0]["status"] == "ok"
    missing = [e for e in ents[1:] if e["status"] == "missing"]
    assert len(missing) == VIEW_LIMIT - 1
    # Class-Path order is kept
    assert [os.path.basename(e["path"]) for e in ents[1:4]] == names[:3]
    [cap] = [p for p in r["problems"] if "not followed" in p["message"]]
    assert f"{200_000 - (VIEW_LIMIT - 1)} Class-Path item(s) not followed" in cap["message"]
    assert "limit" in cap["message"]


def _lib_jar(n_classes=50):
    return jar_bytes([f"com.shared.C{i}" for i in range(n_classes)],
                     pom=("com.acme", "shared", "1.0"))


def _dir_of_links(d, n, data, link=os.link):
    d.mkdir(parents=True)
    first = d / "a0.jar"
    first.write_bytes(data)
    src = first
    for i in range(1, n):
        if i % 60_000 == 0:  # a file takes at most 65,000 hard links
            src = d / f"a{i}.jar"
            src.write_bytes(data)
            continue
        link(src, d / f"a{i}.jar")
    return first


def test_dir_wildcard_of_100000_jars_sharing_classes(tmp_path):
    """`dir/*` over 100,000 jars (hard links of one jar of 50 classes): the listing is
    sorted, the view keeps the first 20,000 and says so; the 20,000 copies of each class
    make one conflict and one duplicate, each titled with a bounded list of names."""
    _dir_of_links(tmp_path / "lib", 100_000, _lib_jar())
    r = scan_big("-cp", f"{tmp_path}/lib/*")
    ents = r["views"][0]["entries"]
    assert len(ents) == VIEW_LIMIT
    assert all(e["status"] == "ok" and e["classes"] == 50 for e in ents)
    [cap] = [p for p in r["problems"] if "limit of entries per view" in p["message"]]
    assert "lists 100000 entries; only the first 20000 are read" in cap["message"]
    [c] = r["conflicts"]
    assert c["shared"] == 50 and c["identical"] == 50 and len(c["entries"]) == VIEW_LIMIT
    assert c["entries"] == list(range(VIEW_LIMIT))
    assert "and 19,991 other entries share 50 identical classes" in c["title"], c["title"]
    [d] = r["duplicates"]
    assert len(d["copies"]) == VIEW_LIMIT and "20000 times (1.0)" in d["title"]


def test_one_jar_listed_25000_times_through_symbolic_links(tmp_path):
    """Listed-twice detection by real path, through a hash: one jar behind 25,000 names."""
    _dir_of_links(tmp_path / "lib", 25_000, _lib_jar(5), link=lambda a, b: os.symlink(a, b))
    r = scan_big("-cp", f"{tmp_path}/lib/*")
    ents = r["views"][0]["entries"]
    assert len(ents) == VIEW_LIMIT
    assert ents[0]["status"] == "ok"
    assert all(e["status"] == "listed-twice" and e["duplicate_of"] == 0 for e in ents[1:])
    assert r["conflicts"] == [] and r["duplicates"] == []


def test_boot_jar_with_25000_nested_jars(tmp_path):
    """Nested jar count: a Spring Boot jar whose BOOT-INF/lib holds 25,000 jars listed in
    classpath.idx. Each nested jar is found through one name table, not a walk each; the
    view keeps 20,000. Jars inside the nested jars are never opened (depth 1), see
    test_robustness.py::test_a_jar_inside_a_nested_jar_is_never_opened."""
    lib = jar_bytes(["com.lib.L"])
    app = tmp_path / "app.jar"
    names = [f"l{i}.jar" for i in range(25_000)]
    with zipfile.ZipFile(app, "w", zipfile.ZIP_STORED) as z:
        z.writestr("org/springframework/boot/loader/JarLauncher.class", b"\xca\xfe\xba\xbe")
        z.writestr("BOOT-INF/classes/com/acme/App.class", helpers.class_bytes("com.acme.App"))
        z.writestr("BOOT-INF/classpath.idx",
                   "".join(f'- "BOOT-INF/lib/{n}"\n' for n in reversed(names)))
        for n in names:
            z.writestr(f"BOOT-INF/lib/{n}", lib)
    r = scan_big("--jar", app)
    ents = r["views"][0]["entries"]
    assert len(ents) == VIEW_LIMIT
    assert ents[1]["path"].endswith("!/BOOT-INF/lib/l24999.jar")  # classpath.idx order
    assert all(e["status"] == "ok" for e in ents)
    assert [p for p in r["problems"] if "limit of entries per view" in p["message"]]


def test_argfile_expansion_is_bounded(tmp_path):
    """A process named java whose command line holds 100,000 times "@a", a 1 MiB argument
    file: wrench reads argument files up to 16 MiB in all, then notes the rest."""
    java = tmp_path / "java"
    java.write_bytes(pathlib.Path("/bin/bash").read_bytes())
    java.chmod(0o755)
    (tmp_path / "@a").write_text("sleep 120\n")  # what bash runs (and stays to wait for)
    (tmp_path / "a").write_text(("-Dx=" + "y" * 1000 + "\n") * 1000)  # what wrench expands
    import subprocess
    proc = subprocess.Popen([str(java), *(["@a"] * 100_000)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import time
        children = pathlib.Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not children.read_text().strip():
            time.sleep(0.05)  # until bash runs the script: its command line is final
        assert children.read_text().strip(), "bash did not start its script"
        r = scan_big("--pid", str(proc.pid))
        text = json.dumps(r["discovery"])
        assert "were not expanded" in text, text[:3000]
    finally:
        proc.kill()
        proc.wait()


def test_a_log_event_with_a_million_frames(tmp_path):
    """One exception with 1,000,000 stack frames (about 40 MB): the event is cut at its
    64 KiB cap and counted as truncated; the events after it are still found."""
    log = tmp_path / "app.log"
    frame = b"\tat com.acme.deep.Recursion.call(Recursion.java:42)\n"
    with open(log, "wb") as f:
        f.write(b"2026-11-27 02:19:17,001 ERROR [main] com.acme.Worker - failed\n"
                b"java.lang.StackOverflowError: deep\n")
        chunk = frame * 10_000
        for _ in range(100):
            f.write(chunk)
        f.write(b"2026-11-27 02:19:18,001 ERROR [main] com.acme.Worker - then\n"
                b"java.lang.OutOfMemoryError: Java heap space\n")
    r = scan_big("--logs", log)
    [lf] = r["logs"]["files"]
    assert lf["bytes"] == log.stat().st_size and lf["complete"] is True
    assert lf["truncated_events"] >= 1
    rules = {f["rule"] for f in r["logs"]["findings"]}
    assert "memory.heap-space" in rules, rules


# --------------------------------------------------------------------------
# A good neighbour: lower priority and a memory budget


def _samples_while_scanning(tmp_path, extra=()):
    """Run a scan of a 256 MiB log and sample its nice value and I/O class while it runs."""
    import subprocess
    import time
    log = tmp_path / "big.log"
    line = b"2026-01-01 10:00:00,000 INFO  [main] com.acme.Service - request took 12 ms\n"
    block = line * 8192
    with open(log, "wb") as f:
        while f.tell() < (256 << 20):
            f.write(block)
    proc = subprocess.Popen([helpers.WRENCH, "scan", "--logs", str(log), "--no-db", "--json",
                             *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    nices, classes = [], []
    while proc.poll() is None:
        try:
            stat = pathlib.Path(f"/proc/{proc.pid}/stat").read_text()
            nices.append(int(stat.rsplit(")", 1)[1].split()[16]))
            io = subprocess.run(["ionice", "-p", str(proc.pid)], capture_output=True, text=True)
            if io.returncode == 0:
                classes.append(io.stdout.strip())
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            pass
        time.sleep(0.005)
    err = proc.stderr.read().decode(errors="replace")
    assert proc.returncode in (0, 1), err
    return nices, classes


def test_a_scan_lowers_its_cpu_and_io_priority(tmp_path):
    nices, classes = _samples_while_scanning(tmp_path)
    if not nices:
        pytest.skip("the scan ended before it could be sampled")
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert max(nices) == max(10, base), nices
    assert "idle" in classes, classes


def test_full_priority_keeps_the_normal_priority(tmp_path):
    nices, classes = _samples_while_scanning(tmp_path, ["--full-priority"])
    if not nices:
        pytest.skip("the scan ended before it could be sampled")
    assert set(nices) == {os.getpriority(os.PRIO_PROCESS, 0)}, nices
    assert "idle" not in classes, classes


def test_a_tiny_memory_budget_skips_and_reports(tmp_path):
    """--max-memory 64K: a jar whose central directory alone is larger is skipped with a
    problem naming the budget; a small jar still fits and is read."""
    names = [f"com/big/pkg{i // 100}/VeryLongClassNameNumber{i}.class" for i in range(3000)]
    big = make_jar(tmp_path / "big.jar", files=[(n, b"\xca\xfe\xba\xbe") for n in names])
    small = make_jar(tmp_path / "small.jar", ["com.small.S"])
    r = scan_big("-cp", f"{big}:{small}", "--max-memory", "64K")
    ents = {os.path.basename(e["path"]): e for e in r["views"][0]["entries"]}
    assert ents["big.jar"]["status"] == "too-large", ents["big.jar"]
    assert "memory budget of 64.0 KiB (--max-memory)" in ents["big.jar"]["problem"]
    assert any(p["path"] == big and "memory budget" in p["message"] for p in r["problems"])
    assert ents["small.jar"]["status"] == "ok" and ents["small.jar"]["classes"] == 1


@pytest.mark.parametrize("size", ["0", "12", "1T", "lots", "-5M", "1K"])
def test_a_bad_max_memory_is_a_usage_error(tmp_path, size):
    small = make_jar(tmp_path / "small.jar", ["com.small.S"])
    proc = run(["scan", "-cp", small, "--no-db", "--max-memory", size])
    assert proc.returncode == 2 and "--max-memory" in proc.err, proc.err
