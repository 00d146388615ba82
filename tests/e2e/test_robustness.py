"""Hostile inputs of the catalogue in docs/robustness.md that no other test file covers:
huge entry counts, an oversized manifest, symbolic-link loops, a 10 MB event and a rule
that backtracks catastrophically. Each: a clear message, the rest of the work done, no
crash, bounded time."""
import json
import os
import resource
import struct
import time

from helpers import entries, entry_named, make_jar, problems_naming, run, scan

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
