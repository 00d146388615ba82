"""Full conflict detail in the JSON report: every shared class of a conflict by name
(identical_classes and class_copies), each differing copy's CRC-32 and size as the zip
says, the cap of listed names, and each jar's SHA-256 with --sha256; `wrench show --json`
gives it all back from the store byte for byte."""
import hashlib
import json
import zipfile

from helpers import check_report, make_jar, run

N_IDENTICAL = 200
N_DIFFERING = 100


def _w(*args, db=None, rcs=(0, 1)):
    proc = run([*args, *(["--db", db] if db else ["--no-db"])])
    assert proc.returncode in rcs, f"wrench {list(args)}: {proc.returncode}\n{proc.err}"
    return proc


def _two_versions(tmp_path):
    """acme-1.0.jar and acme-2.0.jar share 300 classes, 100 of them differing."""
    same = [f"com.acme.same.C{i:03d}" for i in range(N_IDENTICAL)]
    diff = [f"com.acme.diff.D{i:03d}" for i in range(N_DIFFERING)]
    old = make_jar(tmp_path / "acme-1.0.jar", same + [(c, "old") for c in diff],
                   pom=("com.acme", "acme", "1.0"))
    new = make_jar(tmp_path / "acme-2.0.jar", same + [(c, "new") for c in diff],
                   pom=("com.acme", "acme", "2.0"))
    return old, new, same, diff


def _conflict(report):
    (c,) = report["conflicts"]
    return c


def test_a_conflict_lists_all_its_classes_with_each_copys_crc_and_size(tmp_path):
    old, new, same, diff = _two_versions(tmp_path)
    report = json.loads(_w("scan", "-cp", f"{new}:{old}", "--json").out)
    check_report(report)
    c = _conflict(report)
    assert (c["shared"], c["identical"], c["differing"]) == (300, N_IDENTICAL, N_DIFFERING)
    assert c["classes_truncated"] is False
    assert c["identical_classes"] == sorted(same)
    names = [k["class"] for k in c["class_copies"]]
    assert names == sorted(diff)
    assert sorted(c["identical_classes"] + names) == sorted(same + diff)
    # crc and size are aligned with the conflict's entries, in loader order.
    paths = c["paths"]
    assert paths == [new, old]
    zips = [zipfile.ZipFile(p) for p in paths]
    for k in c["class_copies"]:
        member = k["class"].replace(".", "/") + ".class"
        infos = [z.getinfo(member) for z in zips]
        assert k["crc"] == [i.CRC for i in infos]
        assert k["size"] == [i.file_size for i in infos]
        assert k["crc"][0] != k["crc"][1]
    for z in zips:
        z.close()


def test_sha256_only_with_the_option_and_equal_to_hashlib(tmp_path):
    old, new, _, _ = _two_versions(tmp_path)
    plain = json.loads(_w("scan", "-cp", f"{new}:{old}", "--json").out)
    assert [e["sha256"] for e in plain["views"][0]["entries"]] == [None, None]
    report = json.loads(_w("scan", "-cp", f"{new}:{old}:{tmp_path / 'classes'}", "--sha256",
                           "--json").out)
    check_report(report)
    by_path = {e["path"]: e["sha256"] for e in report["views"][0]["entries"]}
    for path in (old, new):
        with open(path, "rb") as f:
            assert by_path[path] == hashlib.sha256(f.read()).hexdigest()


def test_show_json_gives_the_details_back(tmp_path):
    old, new, _, _ = _two_versions(tmp_path)
    db = str(tmp_path / "store" / "wrench.db")
    printed = _w("scan", "-cp", f"{new}:{old}", "--sha256", "--json", db=db).out
    assert json.loads(printed)["conflicts"][0]["class_copies"]
    assert _w("show", "--json", db=db, rcs=(0,)).out == printed


def test_the_listed_names_stop_at_the_cap_with_a_flag(tmp_path):
    """CONFLICT_MAX_LISTED_CLASSES (wrench/model.h) is 100,000 names per scan."""
    cap = 100000
    names = [f"com.big.p{i // 1000}.C{i}" for i in range(cap + 10)]
    a = make_jar(tmp_path / "big-a.jar", names, compression=zipfile.ZIP_STORED)
    b = make_jar(tmp_path / "big-b.jar", names, compression=zipfile.ZIP_STORED)
    db = str(tmp_path / "store" / "wrench.db")
    printed = _w("scan", "-cp", f"{a}:{b}", "--json", db=db).out
    c = _conflict(json.loads(printed))
    assert c["shared"] == cap + 10 and c["identical"] == cap + 10
    assert c["classes_truncated"] is True
    assert len(c["identical_classes"]) == cap
    assert _w("show", "--json", db=db, rcs=(0,)).out == printed


def test_serve_sha256_digests_the_scans_it_runs(tmp_path):
    """`wrench serve --sha256`: the scans the server runs carry each jar's SHA-256, stored and
    served; without the option they carry none."""
    from test_serve import Server  # the real server, on loopback

    old, new, _, _ = _two_versions(tmp_path)
    for extra, digested in (([], False), (["--sha256"], True)):
        root = tmp_path / ("on" if digested else "off")
        root.mkdir()
        s = Server(root, ["--classpath", f"{new}:{old}", *extra])
        try:
            scan_id = s.start_scan()
            assert s.wait_scan(scan_id)["status"] == "done"
            report = s.json("GET", f"/api/v1/scans/{scan_id}")
        finally:
            s.stop()
        by_path = {e["path"]: e["sha256"] for e in report["views"][0]["entries"]}
        for path in (old, new):
            with open(path, "rb") as f:
                want = hashlib.sha256(f.read()).hexdigest() if digested else None
            assert by_path[path] == want
