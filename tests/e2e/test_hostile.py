"""Bad and hostile input: the scan never crashes, reports the bad entry with a
status and a problem naming the file, and still analyses the good jars beside it."""

import os
import pathlib
import struct

import pytest

from helpers import (conflicts_between, entries, entry_named, jar_bytes, make_boot_jar, make_jar,
                     problems_naming, scan, with_entry_count, with_zip64_entry_count)

SEVERITY_OF_STATUS = {"corrupt": "error", "missing": "warning", "unreadable": "warning",
                      "too-large": "warning"}


def good_pair(tmp_path):
    """Two good jars whose differing class makes an error conflict: proof that
    the analysis went on around the bad entry."""
    a = make_jar(tmp_path / "good-a.jar", [("com.acme.Clash", "a"), "com.acme.A"])
    b = make_jar(tmp_path / "good-b.jar", [("com.acme.Clash", "b"), "com.acme.B"])
    return a, b


def check_around_bad(r, bad_name, statuses):
    bad = entry_named(r, bad_name)
    assert bad["status"] in statuses, f"{bad_name}: status {bad['status']}, want {statuses}"
    assert bad["problem"], f"{bad_name}: no problem text"
    probs = problems_naming(r, bad_name)
    assert probs, f"no problem names {bad_name}: {r['problems']}"
    assert SEVERITY_OF_STATUS[bad["status"]] in [p["severity"] for p in probs]
    ga = entry_named(r, "good-a.jar")
    gb = entry_named(r, "good-b.jar")
    assert ga["status"] == gb["status"] == "ok"
    assert ga["classes"] == gb["classes"] == 2
    [c] = conflicts_between(r, ga["index"], gb["index"])
    assert c["differing_classes"] == ["com.acme.Clash"]
    return bad


def valid_jar():
    return jar_bytes(["com.acme.x.One", "com.acme.x.Two"], pom=("com.acme", "x", "1.0"),
                     manifest={"Main-Class": "com.acme.x.One"})


def _truncated_half(p):
    data = valid_jar()
    p.write_bytes(data[:len(data) // 2])


def _truncated_end_record(p):
    data = valid_jar()
    p.write_bytes(data[:-10])


def _text_file(p):
    p.write_text("This is not a jar, it is a README someone renamed.\n" * 20)


def _zero_length(p):
    p.write_bytes(b"")


def _only_end_record(p):
    # A lone end record whose central directory lies far outside the file.
    p.write_bytes(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 3, 3, 0x1000, 0x7FFF0000, 0))


def _cd_offset_past_end(p):
    data = bytearray(valid_jar())
    pos = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, pos + 16, len(data) + 4096)
    p.write_bytes(bytes(data))


def _absurd_count(p):
    p.write_bytes(with_entry_count(valid_jar(), 0xFFFE))


def _absurd_zip64_count(p):
    p.write_bytes(with_zip64_entry_count(valid_jar(), 10**12))


def _garbage(p):
    # Deterministic noise with zip signatures sprinkled in.
    block = bytes((i * 131 + 7) % 251 for i in range(4096))
    p.write_bytes(b"PK\x03\x04" + block + b"PK\x01\x02" + block + b"PK\x05\x06" + block[:18])


BAD_FILES = {
    "truncated-half": (_truncated_half, {"corrupt"}),
    "truncated-end-record": (_truncated_end_record, {"corrupt"}),
    "text-file": (_text_file, {"corrupt"}),
    "zero-length": (_zero_length, {"corrupt"}),
    "only-end-record": (_only_end_record, {"corrupt"}),
    "cd-offset-past-end": (_cd_offset_past_end, {"corrupt"}),
    "absurd-entry-count": (_absurd_count, {"corrupt", "too-large"}),
    "absurd-zip64-entry-count": (_absurd_zip64_count, {"corrupt", "too-large"}),
    "garbage": (_garbage, {"corrupt"}),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_jar_on_the_classpath(tmp_path, case):
    make, statuses = BAD_FILES[case]
    a, b = good_pair(tmp_path)
    bad = tmp_path / f"bad-{case}.jar"
    make(bad)
    r = scan("-cp", f"{a}:{bad}:{b}", rcs=(1,))
    e = check_around_bad(r, bad.name, statuses)
    assert e["classes"] == 0 or e["status"] == "too-large"


@pytest.mark.parametrize("case", ["truncated-half", "text-file", "zero-length"])
def test_bad_jar_in_a_directory_of_jars(tmp_path, case):
    make, statuses = BAD_FILES[case]
    lib = tmp_path / "lib"
    lib.mkdir()
    good_pair(lib)
    make(lib / "bad.jar")
    r = scan("--dir", str(lib), rcs=(1,))
    check_around_bad(r, "bad.jar", statuses)


def test_bad_nested_jar_in_a_boot_jar(tmp_path):
    good_a = jar_bytes([("com.acme.Clash", "a"), "com.acme.A"])
    good_b = jar_bytes([("com.acme.Clash", "b"), "com.acme.B"])
    broken = valid_jar()[:100]
    boot = make_boot_jar(tmp_path / "app.jar", ["com.acme.app.Application"],
                         libs=[("good-a.jar", good_a), ("broken.jar", broken),
                               ("good-b.jar", good_b)],
                         idx=["good-a.jar", "broken.jar", "good-b.jar"])
    r = scan("--jar", boot, rcs=(1,))
    bad = check_around_bad(r, "broken.jar", {"corrupt"})
    assert bad["kind"] == "nested-jar"
    assert bad["path"] == boot + "!/BOOT-INF/lib/broken.jar"


def test_directory_named_like_a_jar_in_a_wildcard_is_unreadable(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    good_pair(lib)
    (lib / "x.jar").mkdir()
    (lib / "x.jar" / "Foo.class").write_bytes(b"\xca\xfe\xba\xbe")
    r = scan("-cp", f"{lib}/*", rcs=(1,))
    check_around_bad(r, "x.jar", {"unreadable"})


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_jar(tmp_path):
    a, b = good_pair(tmp_path)
    bad = tmp_path / "secret.jar"
    bad.write_bytes(valid_jar())
    bad.chmod(0)
    try:
        r = scan("-cp", f"{a}:{bad}:{b}", rcs=(1,))
    finally:
        bad.chmod(0o644)
    check_around_bad(r, "secret.jar", {"unreadable"})


def test_nested_zip_bomb_declaring_its_size(zip_bombs):
    r = scan("--jar", zip_bombs.honest, rcs=(0, 1))
    bomb = entry_named(r, "bomb.jar")
    assert bomb["status"] == "too-large" and bomb["problem"]
    assert [p["severity"] for p in problems_naming(r, "bomb.jar")] == ["warning"]
    assert entry_named(r, "good-1.0.jar")["status"] == "ok"
    assert entry_named(r, "good-1.0.jar")["classes"] == 1
    assert entries(r)[0]["kind"] == "archive-directory" and entries(r)[0]["classes"] == 1


def test_nested_zip_bomb_lying_about_its_size(zip_bombs):
    r = scan("--jar", zip_bombs.lying, rcs=(0, 1))
    bomb = entry_named(r, "bomb.jar")
    assert bomb["status"] in ("too-large", "corrupt") and bomb["problem"]
    assert problems_naming(r, "bomb.jar")
    assert entry_named(r, "good-1.0.jar")["classes"] == 1


def test_entry_names_with_dot_dot_are_not_classes(tmp_path):
    a, b = good_pair(tmp_path)
    evil = make_jar(tmp_path / "evil.jar", ["com.acme.Legit"], files=[
        ("../../evil/Escape.class", b"\xca\xfe\xba\xbe 1"),
        ("com/acme/../../../Up.class", b"\xca\xfe\xba\xbe 2"),
        ("/abs/Root.class", b"\xca\xfe\xba\xbe 3"),
    ])
    # A second jar with the plain names: none of the hostile ones may match them.
    plain = make_jar(tmp_path / "plain.jar", ["evil.Escape", "Up", "abs.Root"])
    r = scan("-cp", f"{a}:{evil}:{plain}:{b}", rcs=(1,))
    e = entry_named(r, "evil.jar")
    assert e["status"] == "ok"
    assert e["classes"] == 1
    assert problems_naming(r, "evil.jar"), "hostile entry names are not reported"
    assert conflicts_between(r, 0, 3)
    assert len(r["conflicts"]) == 1


def test_very_long_entry_names(tmp_path):
    a, b = good_pair(tmp_path)
    pkg = ".".join(f"p{i:03d}" for i in range(200))  # 999 characters
    long_class = pkg + ".Deep"
    huge = "h/" * 32700 + "H.class"  # 65407 bytes, near the zip limit of 65535
    one = make_jar(tmp_path / "long-one.jar", [(long_class, 1)], files=[(huge, b"\xca\xfe")])
    two = make_jar(tmp_path / "long-two.jar", [(long_class, 2)])
    r = scan("-cp", f"{a}:{one}:{two}:{b}", rcs=(1,))
    e1 = entry_named(r, "long-one.jar")
    e2 = entry_named(r, "long-two.jar")
    assert e1["status"] == e2["status"] == "ok"
    [c] = conflicts_between(r, e1["index"], e2["index"])
    assert c["differing_classes"] == [long_class]
    assert conflicts_between(r, 0, 3)


def test_very_long_path(tmp_path):
    deep = pathlib.Path(tmp_path)
    for i in range(12):
        deep = deep / (f"d{i:02d}-" + "x" * 200)
    a, b = good_pair(tmp_path)
    long_jar = make_jar(deep / ("long-" + "y" * 200 + "-1.0.jar"), ["com.acme.Far"])
    assert len(long_jar) > 2500
    r = scan("-cp", f"{a}:{long_jar}:{b}", rcs=(1,))
    e = entries(r)[1]
    assert e["path"] == long_jar and e["status"] == "ok" and e["classes"] == 1
    assert e["artifact"]["version"] == "1.0"
