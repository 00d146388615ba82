"""Hostile inputs of the catalogue in docs/robustness.md that no other test file covers:
huge entry counts, an oversized manifest, symbolic-link loops, a 10 MB event, a rule
that backtracks catastrophically and one that backtracks deeply, jars nested two levels
down, entry names with NUL or invalid UTF-8, unreadable directories (as user nobody
when run as root) and a log rotated while it is read. Each: a clear message, the rest of
the work done, no crash, bounded time."""
import json
import os
import pathlib
import resource
import shutil
import struct
import subprocess
import tempfile
import time
import zipfile

import pytest

import helpers
from helpers import (check_report, entries, entry_named, jar_bytes, make_boot_jar, make_class_dir,
                     make_jar, problems_naming, run, scan)

ENTRIES = 1_000_000


def _million_entry_jar(path):
    """A real zip of ENTRIES stored entries whose central records all point at one local
    header (readers check offsets, not that each has its own): 70 MB instead of 120."""
    name0 = b"p/C0000000.class"
    body = b"\xca\xfe\xba\xbe"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, len(body), len(body),
                        len(name0), 0) + name0 + body
    records = []
    for i in range(ENTRIES):
        name = b"p/C%07d.class" % i
        records.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0,
                                   len(body), len(body), len(name), 0, 0, 0, 0, 0, 0) + name)
    cd = b"".join(records)
    # zip64 end records: 1,000,000 entries do not fit the 16-bit count of the classic one
    eocd64 = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, ENTRIES, ENTRIES, len(cd),
                         len(local))
    loc64 = struct.pack("<IIQI", 0x07064B50, 0, len(local) + len(cd), 1)
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(path, "wb") as f:
        f.write(local + cd + eocd64 + loc64 + eocd)
    return str(path)


def test_a_jar_of_a_million_entries(tmp_path):
    jar = _million_entry_jar(tmp_path / "huge.jar")
    small = make_jar(tmp_path / "small.jar", ["p.C0000001"], variant="other")
    started = time.time()
    r = scan("-cp", f"{jar}:{small}", "--no-db", rcs=(1,))
    assert time.time() - started < 60
    huge = entry_named(r, "huge.jar")
    assert huge["status"] == "ok" and huge["classes"] == ENTRIES
    [c] = r["conflicts"]
    assert c["differing"] == 1 and c["winner_path"] == jar


def test_a_manifest_over_its_cap_is_a_problem_and_the_classes_still_count(tmp_path):
    big = "Manifest-Version: 1.0\nX-Filler: " + "x" * (2 << 20) + "\n"
    jar = make_jar(tmp_path / "fat-manifest.jar", ["com.acme.A"], files=[
        ("META-INF/MANIFEST.MF", big.encode())])
    r = scan("-cp", jar, "--no-db", rcs=(0, 1))
    e = entries(r)[0]
    assert e["classes"] == 1
    [p] = problems_naming(r, "fat-manifest.jar")
    assert "MANIFEST.MF" in p["message"]


def test_symbolic_link_loops(tmp_path):
    loop = tmp_path / "loop.jar"
    os.symlink(loop, loop)  # a link to itself
    a = tmp_path / "a.jar"
    b = tmp_path / "b.jar"
    os.symlink(b, a)
    os.symlink(a, b)
    good = make_jar(tmp_path / "good.jar", ["com.acme.A"])
    r = scan("-cp", f"{loop}:{a}:{good}", "--no-db", rcs=(0, 1))
    statuses = [e["status"] for e in entries(r)]
    assert statuses[:2] == ["unreadable", "unreadable"] and statuses[2] == "ok"
    assert problems_naming(r, "loop.jar") and problems_naming(r, "a.jar")
    # a directory loop inside a class root ends too
    root = tmp_path / "classes"
    (root / "com").mkdir(parents=True)
    os.symlink(root, root / "com" / "again")
    r = scan("-cp", root, "--no-db", rcs=(0, 1))
    assert entries(r)[0]["status"] == "ok"


def test_a_ten_megabyte_event_is_cut_not_dropped(tmp_path):
    log = tmp_path / "app.log"
    with open(log, "w") as f:
        f.write("2026-11-27 02:19:18,123 ERROR [main] c.a.App - boom\n")
        f.write("java.lang.OutOfMemoryError: Java heap space\n")
        line = "\tat com.acme.Deep.recurse(Deep.java:42)\n"
        f.write(line * ((10 << 20) // len(line)))
        f.write("2026-11-27 02:19:19,000 INFO [main] c.a.App - after\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = scan("--logs", log, "--no-db", rcs=(1,))
    [f] = [f for f in r["logs"]["findings"] if "heap" in (f["sample"] or "")]
    assert f["count"] == 1 and f["sample_truncated"] is True
    assert r["logs"]["files"][0]["truncated_events"] == 1
    assert r["logs"]["files"][0]["events"] == 2
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert after < 200 * 1024 or after == before  # KiB: the event is capped, not buffered


def test_a_catastrophic_rule_is_reported_not_hung_on(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.json").write_text(json.dumps({"rules": [{
        "id": "local.slow", "severity": "error", "category": "other",
        "pattern": "(a+)+$", "literal": "aaaa", "title": "slow", "hint": "never fires"}]}))
    log = tmp_path / "app.log"
    log.write_text("2026-11-27 02:19:18,123 ERROR [main] x - " + "a" * 40 + "!\n"
                   "2026-11-27 02:19:19,123 ERROR [main] x - out of memory\n"
                   "java.lang.OutOfMemoryError: Java heap space\n")
    started = time.time()
    r = scan("--logs", log, "--rules", rules, "--no-db", rcs=(1,))
    assert time.time() - started < 30
    [p] = [p for p in r["logs"]["problems"] if "local.slow" in p["message"]]
    assert "limit" in p["message"]
    # the other events were still matched
    assert any("heap" in (f["sample"] or "") for f in r["logs"]["findings"])


def test_a_bad_rule_file_is_a_clear_error(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.json").write_text('{"rules": [{"id": "x", "pattern": "("}]}')
    (tmp_path / "a.log").write_text("x\n")
    p = run(["scan", "--logs", tmp_path / "a.log", "--rules", rules, "--no-db"])
    assert p.returncode == 2 and "bad.json" in p.err


# --------------------------------------------------------------------------
# Deep nesting: only the outer archive's lib jars are opened


def test_a_jar_inside_a_nested_jar_is_never_opened(tmp_path):
    # deepest.jar in deep.jar in mid.jar in the Boot jar: three levels below BOOT-INF/lib.
    deepest = jar_bytes(["com.acme.deepest.Bottom", "com.acme.Shared"], variant="deepest")
    deep = jar_bytes(["com.acme.deep.Hidden", "com.acme.Shared"], variant="deep",
                     files=[("BOOT-INF/lib/deepest.jar", deepest), ("lib/deepest.jar", deepest)])
    mid = jar_bytes(["com.acme.mid.Visible"], variant="mid",
                    files=[("BOOT-INF/lib/deep.jar", deep), ("WEB-INF/lib/deep.jar", deep),
                           ("lib/deep.jar", deep)])
    # Shared also in a real lib of the Boot jar: were a deeper jar opened, it would conflict.
    other = jar_bytes(["com.acme.Shared"], variant="other")
    app = make_boot_jar(tmp_path / "app.jar", ["com.acme.app.Application"],
                        libs=[("mid.jar", mid), ("other.jar", other)])
    r = scan("--jar", app, "--no-db", rcs=(0, 1))
    names = [e["path"].rsplit("/", 1)[-1] for e in entries(r)]
    assert "mid.jar" in names and "other.jar" in names
    assert "deep.jar" not in names and "deepest.jar" not in names, names
    assert not any(e["path"].count("!/") > 1 for e in entries(r)), \
        [e["path"] for e in entries(r)]
    mid_entry = entry_named(r, "mid.jar")
    assert mid_entry["status"] == "ok" and mid_entry["classes"] == 1  # only its own class
    assert entry_named(r, "other.jar")["classes"] == 1
    assert r["conflicts"] == [], "a class of a jar nested deeper was indexed"
    assert not [p for p in r["problems"] if "deep" in p["path"] + p["message"]]


# --------------------------------------------------------------------------
# Entry names with NUL or invalid UTF-8


def _rename_entry(data, old, new):
    """The zip with entry `old` renamed to the same-length bytes `new`, in its central
    directory record and its local header (the bytes a hostile jar tool would write)."""
    assert len(old) == len(new)
    out = bytearray(data)
    patched = 0
    pos = 0
    while (pos := data.find(helpers.CDH_SIG, pos)) >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len] == old:
            out[pos + 46:pos + 46 + name_len] = new
            local = struct.unpack_from("<I", data, pos + 42)[0]
            assert data[local:local + 4] == helpers.LFH_SIG
            assert data[local + 30:local + 30 + name_len] == old
            out[local + 30:local + 30 + name_len] = new
            patched += 1
        pos += 4
    assert patched == 1, f"entry {old!r} not found once"
    return bytes(out)


def test_entry_names_with_nul_or_invalid_utf8_are_skipped(tmp_path):
    # The NUL name would be com/acme/Shared.class to code that stops at the NUL: it must not
    # shadow (or conflict with) the real Shared of the other jar.
    nul_old = b"com/acme/Shared.classXevil.class"
    nul_new = b"com/acme/Shared.class\x00evil.class"
    bad_old, bad_new = b"com/acme/CafX.class", b"com/acme/Caf\xe9.class"
    over_old, over_new = b"com/acme/OverlongX.class", b"com/acme/Overlong\xc0.class"
    data = jar_bytes(["com.acme.Good"], files=[(nul_old.decode(), b"\xca\xfe\xba\xbenul"),
                                               (bad_old.decode(), b"\xca\xfe\xba\xbebad"),
                                               (over_old.decode(), b"\xca\xfe\xba\xbeover")])
    for old, new in ((nul_old, nul_new), (bad_old, bad_new), (over_old, over_new)):
        data = _rename_entry(data, old, new)
    hostile = tmp_path / "hostile-names.jar"
    hostile.write_bytes(data)
    shared = make_jar(tmp_path / "shared.jar", ["com.acme.Shared"], variant="real")
    r = scan("-cp", f"{hostile}:{shared}", "--no-db", rcs=(0, 1))
    e = entry_named(r, "hostile-names.jar")
    assert e["status"] == "ok" and e["classes"] == 1, e  # Good only
    assert r["conflicts"] == [], "a name cut at its NUL became a class"
    [p] = [p for p in problems_naming(r, "hostile-names.jar") if "unsafe" in p["message"]]
    assert p["path"] == str(hostile) and p["severity"] == "warning"
    assert p["message"].startswith("3 entry name(s) skipped as unsafe"), p
    # The text report holds no control bytes from the names either.
    text = run(["scan", "-cp", f"{hostile}:{shared}", "--no-db", "--color", "never"])
    assert text.returncode in (0, 1) and "skipped as unsafe" in text.out
    assert "\x00" not in text.out


# --------------------------------------------------------------------------
# Unreadable directories: wrench runs as nobody when the tests run as root


@pytest.fixture
def world_dir():
    """A directory under /tmp that user nobody can enter (pytest's tmp_path is root's 0700)."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="wrench-robust-"))
    path.chmod(0o755)
    yield path
    for p in [path, *path.rglob("*")]:
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


def scan_unprivileged(*args):
    """`wrench scan ARGS --json --no-db`, as nobody when root (root reads any directory)."""
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv (util-linux) missing: cannot drop root")
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    proc = subprocess.run(prefix + [helpers.WRENCH, "scan", *map(str, args), "--json", "--no-db"],
                          capture_output=True, timeout=helpers.RUN_TIMEOUT,
                          env={k: v for k, v in os.environ.items() if k != "WRENCH_DB"})
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode in (0, 1), f"exit {proc.returncode}: {err}"
    assert "Sanitizer" not in err and "runtime error:" not in err, err
    report = json.loads(proc.stdout)
    check_report(report, rc=proc.returncode)
    return report


def _locked(path):
    path.chmod(0)
    return path


def test_unreadable_class_root_jar_directory_and_log_directory(world_dir):
    good = make_jar(world_dir / "good.jar", ["com.acme.Good"])
    classes = _locked(pathlib.Path(make_class_dir(world_dir / "classes", ["com.acme.A"])))
    libdir = world_dir / "lib"
    make_jar(libdir / "x.jar", ["com.acme.X"])
    _locked(libdir)
    logs = world_dir / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("2026-11-27 02:19:18,123 ERROR [main] x - boom\n"
                                  "java.lang.OutOfMemoryError: Java heap space\n")
    _locked(logs)
    ok_log = world_dir / "ok.log"
    ok_log.write_text("2026-11-27 02:19:18,123 ERROR [main] x - boom\n"
                      "java.lang.OutOfMemoryError: Java heap space\n")
    r = scan_unprivileged("-cp", f"{classes}:{libdir}/*:{good}", "--dir", libdir,
                          "--logs", logs, "--logs", ok_log)
    cp, dirview = r["views"]
    by_path = {e["path"].rstrip("/"): e for e in cp["entries"]}
    assert by_path[str(classes)]["status"] == "unreadable"
    assert by_path[str(libdir)]["status"] == "unreadable"
    assert by_path[good]["status"] == "ok" and by_path[good]["classes"] == 1
    [d] = dirview["entries"]
    assert d["status"] == "unreadable" and d["path"].rstrip("/") == str(libdir)
    [p] = [p for p in r["problems"] if p["path"] == str(classes)]
    assert p["message"] == "Permission denied" and p["severity"] == "warning"
    lib_problems = [p for p in r["problems"] if p["path"].rstrip("/") == str(libdir)]
    assert len(lib_problems) == 2
    assert all(p["message"].startswith("cannot list directory: ") for p in lib_problems)
    # the log directory: a warning names it; the other log is read
    assert [p for p in r["logs"]["problems"] if str(logs) in p["path"] + p["message"]
            and p["severity"] == "warning"], r["logs"]["problems"]
    assert [f["path"] for f in r["logs"]["files"]] == [str(ok_log)]
    assert any(f["rule"] == "memory.heap-space" for f in r["logs"]["findings"])


def test_an_unlistable_jar_directory_says_why(world_dir):
    libdir = world_dir / "lib"
    make_jar(libdir / "x.jar", ["com.acme.X"])
    _locked(libdir)
    r = scan_unprivileged("--dir", libdir)
    [p] = [p for p in r["problems"] if p["path"].rstrip("/") == str(libdir)]
    assert p["message"] == "cannot list directory: Permission denied", p


def test_an_unreadable_subdirectory_of_a_class_root_is_noted(world_dir):
    root = pathlib.Path(make_class_dir(world_dir / "classes",
                                       ["com.acme.A", "com.acme.sub.Hidden"]))
    _locked(root / "com" / "acme" / "sub")
    r = scan_unprivileged("-cp", root)
    [e] = entries(r)
    assert e["classes"] == 1  # A: the walk went on past the locked directory
    assert problems_naming(r, "com/acme/sub"), "the skipped subdirectory is not mentioned"


# --------------------------------------------------------------------------
# A log rotated (renamed) while it is read

OOM_EVENT = (b"2026-11-27 02:19:18,123 ERROR [main] com.acme.Worker - batch failed\n"
             b"java.lang.OutOfMemoryError: Java heap space\n"
             b"\tat com.acme.Worker.load(Worker.java:42)\n")
NEW_FILE = (b"2026-11-27 03:00:00,000 ERROR [main] com.acme.Worker - after rotation\n"
            b"java.lang.StackOverflowError\n")


def write_oom_log(path, mib):
    """A log of at least `mib` MiB: blocks of 200 INFO lines, each followed by an
    OutOfMemoryError event. (its size, the events in it)"""
    info = b"".join(b"2026-11-27 02:19:17,001 INFO [main] com.acme.Worker - batch %d\n" % i
                    for i in range(200))
    block = (info + OOM_EVENT) * 64
    events = 0
    with open(path, "wb") as f:
        while f.tell() < (mib << 20):
            f.write(block)
            events += 64
    return path.stat().st_size, events


@pytest.fixture(scope="module")
def rotated_scan(tmp_path_factory):
    """wrench reading a 64 MiB log that a thread renames to catalina.out.1, writing a new
    catalina.out, as soon as wrench's read offset moves: (report, directory, size, events).
    Once for the tests below (it takes seconds under ASan)."""
    tmp_path = tmp_path_factory.mktemp("rotated")
    p = tmp_path / "catalina.out"
    size, events = write_oom_log(p, 64)

    def rotate():
        os.rename(p, tmp_path / "catalina.out.1")
        p.write_bytes(NEW_FILE)

    rc, out, err, rotated = helpers.scan_log_while_reading(p, rotate, size)
    assert rc in (0, 1), f"exit {rc}: {err}"
    assert "Sanitizer" not in err and "runtime error:" not in err, err
    report = json.loads(out)
    check_report(report, rc=rc)
    if not rotated:
        pytest.skip("wrench read the file before it could be rotated")
    return report, tmp_path, size, events


def test_a_log_rotated_while_read_is_read_to_its_end_and_noted(rotated_scan):
    r, tmp_path, size, events = rotated_scan
    [lf] = r["logs"]["files"]
    assert lf["path"] == str(tmp_path / "catalina.out")
    # the file it opened (now catalina.out.1) is read to its end, the new one not at all
    assert lf["bytes"] == size and lf["complete"] is False
    [f] = r["logs"]["findings"]
    assert f["rule"] == "memory.heap-space" and f["count"] == events
    [p] = r["logs"]["problems"]
    assert p["severity"] == "warning" and "rotated or truncated while it was read" in p["message"]


def test_the_tail_of_a_log_rotated_while_read_is_from_the_file_read(rotated_scan):
    r = rotated_scan[0]
    [lf] = r["logs"]["files"]
    assert "after rotation" not in "\n".join(lf["tail"]), lf["tail"]


# --------------------------------------------------------------------------
# Deep backtracking (the depth limit's case), as opposed to many steps (the match limit's)


def test_a_deeply_backtracking_rule_is_reported_not_crashed_on(tmp_path):
    """`(a|b)+x` keeps one backtracking point per character: over a 20,000-character run it
    needs 20,000 levels but only about 40,000 steps, so the depth, not the match limit, is
    what stops it in PCRE2's interpreter (PCRE2_ERROR_DEPTHLIMIT at 10,000). wrench's rules
    are JIT-compiled and PCRE2 ignores the depth limit under JIT: there the same rule stops
    at the JIT stack limit (PCRE2_ERROR_JIT_STACKLIMIT), which wrench reports alike."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "deep.json").write_text(json.dumps({"rules": [{
        "id": "local.deep", "severity": "error", "category": "other",
        "pattern": "(a|b)+x", "literal": "abab", "title": "deep", "hint": "never mind"}]}))
    log = tmp_path / "app.log"
    log.write_text("2026-11-27 02:19:17,123 ERROR [main] x - " + "ab" * 50 + "x\n"
                   "2026-11-27 02:19:18,123 ERROR [main] x - " + "ab" * 10_000 + "x\n"
                   "2026-11-27 02:19:19,123 ERROR [main] x - out of memory\n"
                   "java.lang.OutOfMemoryError: Java heap space\n")
    started = time.time()
    r = scan("--logs", log, "--rules", rules, "--no-db", rcs=(1,))
    assert time.time() - started < 30
    # the short run matches: the rule itself is sound, only the long run is too deep
    [short] = [f for f in r["logs"]["findings"] if f["rule"] == "local.deep"]
    assert short["count"] == 1 and short["line"] == 1
    [p] = [p for p in r["logs"]["problems"] if "local.deep" in p["message"]]
    assert "stack) at line 2" in p["message"] and p["severity"] == "warning"
    assert any(f["rule"] == "memory.heap-space" for f in r["logs"]["findings"])


# --------------------------------------------------------------------------
# Jars that change while wrench reads them (issue 13). A jar is never mapped: its central
# directory and entries are read with pread, so a file truncated or rewritten under the
# scan is a short read and a reported problem. The LD_PRELOAD shim tests/e2e/native/
# cut_on_read.c truncates or rewrites the file at the Nth pread of it, deterministically.

@pytest.fixture(scope="module")
def cut_shim(tmp_path_factory):
    out = tmp_path_factory.mktemp("shim") / "cut_on_read.so"
    src = pathlib.Path(__file__).parent / "native" / "cut_on_read.c"
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", str(out), str(src), "-ldl"],
                   check=True)
    return str(out)


def _big_jar(path, n_classes=3000, variant=""):
    """A jar of a few MiB: its central directory is past the first 64 KiB read."""
    filler = os.urandom(2048)
    files = [(f"com/big/C{i}.class", b"\xca\xfe\xba\xbe" + filler + variant.encode())
             for i in range(n_classes)]
    return make_jar(path, manifest={"Implementation-Title": "big"}, files=files,
                    compression=zipfile.ZIP_STORED)


def _scan_cutting(shim, tmp_path, jar, at, to=0, with_file=None, extra=()):
    done = tmp_path / "cut.done"
    env = {"LD_PRELOAD": shim, "WRENCH_CUT_PATH": jar, "WRENCH_CUT_AT": str(at),
           "WRENCH_CUT_TO": str(to), "WRENCH_CUT_WITH": with_file or "",
           "WRENCH_CUT_DONE": str(done),
           # the sanitizer runtime must come first; the shim only wraps pread
           "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}
    db = tmp_path / "store.db"
    r = scan(*extra, "--db", db, rcs=(0, 1), env=env)
    assert done.exists(), "the shim never saw wrench read the jar with pread"
    # the scan is stored whole: nothing stored is lost to a jar changing under it
    import sqlite3
    con = sqlite3.connect(db)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert con.execute("pragma foreign_key_check").fetchall() == []
        assert con.execute("select count(*) from scans").fetchone()[0] == 1
    finally:
        con.close()
    return r


@pytest.mark.parametrize("point,at,to", [
    ("before-the-central-directory", 1, 0),
    ("before-the-central-directory-half", 1, None),
    # the directory (over 64 KiB) takes two preads: the end probe, then the whole of it
    ("after-the-directory-before-the-manifest", 3, 10),
])
def test_a_jar_truncated_while_read_is_a_problem_not_a_crash(cut_shim, tmp_path, point, at, to):
    big = _big_jar(tmp_path / "big.jar")
    size = os.path.getsize(big)
    other = make_jar(tmp_path / "other.jar", ["com.other.Fine"])
    r = _scan_cutting(cut_shim, tmp_path, big, at, size // 2 if to is None else to,
                      extra=("-cp", f"{big}:{other}"))
    e = entry_named(r, "big.jar")
    probs = problems_naming(r, "big.jar")
    assert probs, f"no problem names the jar cut at {point}: {r['problems']}"
    text = " ".join(p["message"] for p in probs) + (e.get("problem") or "")
    assert "changed while read" in text, text
    if at == 1:
        assert e["status"] == "corrupt"
    else:
        # the directory was read before the cut: its classes count; the manifest is lost
        assert e["status"] == "ok" and e["classes"] == 3000
    # the scan goes on: the next jar is read
    assert entry_named(r, "other.jar")["status"] == "ok"
    assert entry_named(r, "other.jar")["classes"] == 1


def test_a_jar_rewritten_while_read_is_a_problem_not_a_crash(cut_shim, tmp_path):
    big = _big_jar(tmp_path / "big.jar")
    newer = _big_jar(tmp_path / "newer" / "big.jar", n_classes=500, variant="new")
    other = make_jar(tmp_path / "other.jar", ["com.other.Fine"])
    r = _scan_cutting(cut_shim, tmp_path, big, 1, with_file=newer,
                      extra=("-cp", f"{big}:{other}"))
    assert problems_naming(r, "big.jar"), r["problems"]
    assert entry_named(r, "big.jar")["status"] in ("corrupt", "ok")
    assert entry_named(r, "other.jar")["classes"] == 1


def test_a_boot_jar_truncated_between_its_nested_jars(cut_shim, tmp_path):
    libs = [(f"lib{i}.jar", jar_bytes([f"com.lib{i}.L"], pom=("com.acme", f"lib{i}", "1.0")))
            for i in range(6)]
    boot = make_boot_jar(tmp_path / "app.jar", ["com.acme.app.App"], libs=libs,
                         idx=[n for n, _ in libs])
    # pread 1 reads the outer directory; later ones the nested jars: cut at the 4th
    r = _scan_cutting(cut_shim, tmp_path, boot, 4, to=200, extra=("--jar", boot))
    statuses = [e["status"] for e in entries(r)]
    assert "corrupt" in statuses, statuses
    bad = [e for e in entries(r) if e["status"] == "corrupt"]
    assert all(e["path"].startswith(boot) and e["problem"] for e in bad)
    assert any("changed while read" in p["message"] for p in r["problems"]), r["problems"]


def test_a_jar_truncated_and_rewritten_in_a_loop_while_scanned(tmp_path):
    """The reproduction of issue 13: a deploy rewriting a jar while wrench scans it.
    Racy by nature; whatever the timing, never a signal, always a valid report."""
    import threading
    big = _big_jar(tmp_path / "big.jar", n_classes=6000)
    good = pathlib.Path(big).read_bytes()
    stop = threading.Event()

    def churn():
        while not stop.is_set():
            with open(big, "r+b") as f:
                f.truncate(len(good) // 3)
            with open(big, "r+b") as f:
                f.write(good)

    t = threading.Thread(target=churn)
    t.start()
    try:
        for _ in range(15):
            r = scan("--jar", big, "--no-db", rcs=(0, 1))  # run() fails on any signal
            e = entry_named(r, "big.jar")
            assert e["status"] in ("ok", "corrupt", "missing"), e
            if e["status"] != "ok":
                assert problems_naming(r, "big.jar")
    finally:
        stop.set()
        t.join()


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_log_deleted_or_replaced_while_read_is_read_to_its_end(tmp_path, how):
    """The descriptor wrench opened keeps the old file: a log deleted (unlinked) or replaced
    (a new file renamed over its path) while read is read to its end, never a crash."""
    p = tmp_path / "catalina.out"
    size, events = write_oom_log(p, 32)

    def act():
        if how == "deleted":
            os.unlink(p)
        else:
            fresh = tmp_path / "catalina.out.new"
            fresh.write_bytes(NEW_FILE)
            os.replace(fresh, p)

    rc, out, err, acted = helpers.scan_log_while_reading(p, act, size)
    assert rc in (0, 1), f"exit {rc}: {err}"
    assert "Sanitizer" not in err and "runtime error:" not in err, err
    r = json.loads(out)
    check_report(r, rc=rc)
    if not acted:
        pytest.skip("wrench read the file before it could be changed")
    [lf] = r["logs"]["files"]
    assert lf["bytes"] == size
    [f] = r["logs"]["findings"]
    assert f["rule"] == "memory.heap-space" and f["count"] == events
    assert "after rotation" not in "\n".join(lf["tail"])
    if how == "replaced":
        assert lf["complete"] is False
        assert any("while it was read" in p["message"] for p in r["logs"]["problems"])
