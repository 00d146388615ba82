"""Accepted findings and the baseline (docs/accept.md): an accept file lists findings by id,
artifact, class pattern or rule, each with a reason; `--baseline latest|ID` sets aside what a
stored scan already had. Set-aside findings are reported, marked, and never count for
--fail-on, the totals, the incidents or the verdict.

Real jars (helpers.make_jar), a real log file, a real SQLite database in tmp dirs."""

import json

import pytest

from helpers import check_report, make_jar, run, scan


@pytest.fixture(autouse=True)
def _never_the_default_database(tmp_path, monkeypatch):
    monkeypatch.setenv("WRENCH_DB", str(tmp_path / "guard" / "env.db"))


def legacy_conflict(root):
    """Two unidentified jars that both hold differing com.acme.legacy classes: one conflict."""
    a = make_jar(root / "legacy-a.jar", classes=["com.acme.legacy.Util", "com.acme.legacy.Io"],
                 variant="a")
    b = make_jar(root / "legacy-b.jar", classes=["com.acme.legacy.Util", "com.acme.legacy.Io"],
                 variant="b")
    return [a, b]


def core_conflict(root):
    """Another conflict, over com.acme.core classes."""
    a = make_jar(root / "core-a.jar", classes=["com.acme.core.Main"], variant="a")
    b = make_jar(root / "core-b.jar", classes=["com.acme.core.Main"], variant="b")
    return [a, b]


def util_versions(root):
    """acme-util 1.0 and 2.0 with a differing class: a duplicate and a conflict."""
    a = make_jar(root / "acme-util-1.0.jar", classes=["com.acme.util.Strings"], variant="1",
                 pom=("com.acme", "acme-util", "1.0"))
    b = make_jar(root / "acme-util-2.0.jar", classes=["com.acme.util.Strings"], variant="2",
                 pom=("com.acme", "acme-util", "2.0"))
    return [a, b]


def slf4j_bindings(root):
    """Two SLF4J 1.x bindings: the slf4j.multiple-bindings hint (and their conflict)."""
    a = make_jar(root / "slf4j-simple.jar", classes=["org.slf4j.impl.StaticLoggerBinder"],
                 variant="s", pom=("org.slf4j", "slf4j-simple", "1.7.36"))
    b = make_jar(root / "slf4j-nop.jar", classes=["org.slf4j.impl.StaticLoggerBinder"],
                 variant="n", pom=("org.slf4j", "slf4j-nop", "1.7.36"))
    return [a, b]


def cp(*groups):
    return ":".join(p for g in groups for p in g)


def write_accept(path, entries):
    path.write_text(json.dumps({"accept": entries}))
    return str(path)


def by_kind(report, kind):
    return [f for f in report["findings"] if f["kind"] == kind]


def names_classes(finding, prefix):
    return any(e["kind"] == "class" and (e["detail"] or "").startswith(prefix)
               for e in finding["evidence"])


# --------------------------------------------------------------------------
# The accept file


def test_accept_by_id_changes_the_exit_code(tmp_path):
    jars = legacy_conflict(tmp_path)
    before = scan("--no-db", "-cp", cp(jars), rcs=(1,))
    (conflict,) = by_kind(before, "conflict")
    assert conflict["counted"] and not conflict["accepted"] and conflict["severity"] == "error"
    assert before["verdict"]["incidents"]

    accept = write_accept(tmp_path / "accept.json",
                          [{"id": conflict["id"], "reason": "legacy jars, retired in Q3"}])
    after = scan("--no-db", "-cp", cp(jars), "--accept", accept, rcs=(0,))
    (same,) = by_kind(after, "conflict")
    assert same["id"] == conflict["id"]
    assert same["accepted"] and same["accepted_reason"] == "legacy jars, retired in Q3"
    assert not same["counted"]
    assert after["summary"]["error"] == 0 and after["set_aside"]["accepted"] == 1
    assert after["incidents"] == [] and after["verdict"]["incidents"] == []
    assert after["verdict"]["text"].startswith("No problem found")

    text = run(["scan", "--no-db", "-cp", cp(jars), "--accept", accept])
    assert text.returncode == 0, text.err
    line = [ln for ln in text.out.splitlines() if ln.startswith("ACCEPTED")]
    assert line == [f"ACCEPTED error conflict: {conflict['title']} [{conflict['id']}] "
                    "(legacy jars, retired in Q3)"]
    assert "1 finding accepted" in text.out
    assert "Summary: 0 critical, 0 errors" in text.out


def test_accept_by_artifact_covers_its_duplicate_and_conflict_only(tmp_path):
    util, core = util_versions(tmp_path), core_conflict(tmp_path)
    before = scan("--no-db", "-cp", cp(util, core), rcs=(1,))
    assert len(by_kind(before, "duplicate")) == 1 and len(by_kind(before, "conflict")) == 2

    accept = write_accept(tmp_path / "accept.json",
                          [{"artifact": "com.acme:acme-util", "reason": "two versions until 3.0"}])
    r = scan("--no-db", "-cp", cp(util, core), "--accept", accept, rcs=(1,))
    (dup,) = by_kind(r, "duplicate")
    assert dup["accepted"] and dup["accepted_reason"] == "two versions until 3.0"
    conflicts = {names_classes(c, "com.acme.util."): c for c in by_kind(r, "conflict")}
    assert conflicts[True]["accepted"], "the acme-util conflict names the artifact"
    assert not conflicts[False]["accepted"] and conflicts[False]["counted"]
    assert r["set_aside"]["accepted"] == 2 and r["summary"]["error"] == 1
    # the one incident left is the core conflict's
    assert [i["cause"] for i in r["incidents"]] == [conflicts[False]["id"]]

    # an artifact nobody has accepts nothing
    other = write_accept(tmp_path / "other.json",
                         [{"artifact": "com.acme:acme-other", "reason": "not here"}])
    r = scan("--no-db", "-cp", cp(util, core), "--accept", other, rcs=(1,))
    assert r["set_aside"]["accepted"] == 0


def test_accept_by_class_pattern(tmp_path):
    legacy, core = legacy_conflict(tmp_path), core_conflict(tmp_path)
    accept = write_accept(tmp_path / "accept.json",
                          [{"class": "com.acme.legacy.*", "reason": "legacy package"}])
    r = scan("--no-db", "-cp", cp(legacy, core), "--accept", accept, rcs=(1,))
    for c in by_kind(r, "conflict"):
        assert c["accepted"] == names_classes(c, "com.acme.legacy."), c["title"]
    assert r["set_aside"]["accepted"] == 1 and r["summary"]["error"] == 1

    # without the '*' a pattern is one class; a prefix of a class name is not it
    exact = write_accept(tmp_path / "exact.json",
                         [{"class": "com.acme.core.Main", "reason": "known"},
                          {"class": "com.acme.legacy", "reason": "not a class"}])
    r = scan("--no-db", "-cp", cp(legacy, core), "--accept", exact, rcs=(1,))
    for c in by_kind(r, "conflict"):
        assert c["accepted"] == names_classes(c, "com.acme.core."), c["title"]


def test_accept_by_class_pattern_covers_a_log_finding(tmp_path):
    log = tmp_path / "app.log"
    log.write_text(
        "2026-01-01 10:00:00,000 ERROR [main] com.acme.App - cannot load\n"
        "java.lang.ClassNotFoundException: com.acme.legacy.Gone\n"
        "\tat java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)\n")
    before = scan("--no-db", "--logs", log, rcs=(0, 1))
    named = [f for f in by_kind(before, "log") if f["facts"].get("class") == "com.acme.legacy.Gone"]
    assert named, f"no log finding names the class: {by_kind(before, 'log')}"
    accept = write_accept(tmp_path / "accept.json",
                          [{"class": "com.acme.legacy.*", "reason": "legacy package"}])
    r = scan("--no-db", "--logs", log, "--accept", accept, rcs=(0, 1))
    for f in by_kind(r, "log"):
        if f["facts"].get("class") == "com.acme.legacy.Gone":
            assert f["accepted"] and not f["counted"]
    # the correlations of an accepted log finding go with it
    accepted = {f["id"] for f in r["findings"] if f["accepted"]}
    for f in by_kind(r, "correlation"):
        assert f["accepted"] == (f["of"] in accepted)


def test_accept_by_rule_and_fail_on(tmp_path):
    jars = slf4j_bindings(tmp_path)
    before = scan("--no-db", "-cp", cp(jars), "--fail-on", "warning", rcs=(1,))
    (hint,) = by_kind(before, "hint")
    assert hint["rule"] == "slf4j.multiple-bindings" and hint["severity"] == "warning"

    by_rule = write_accept(tmp_path / "rule.json",
                           [{"rule": "slf4j.multiple-bindings", "reason": "test classpath"}])
    r = scan("--no-db", "-cp", cp(jars), "--accept", by_rule, "--fail-on", "warning", rcs=(1,))
    (hint,) = by_kind(r, "hint")
    assert hint["accepted"] and r["summary"]["warning"] == 0
    (conflict,) = by_kind(r, "conflict")
    assert not conflict["accepted"], "a rule id accepts that rule's findings, not a conflict"

    both = write_accept(tmp_path / "both.json",
                        [{"rule": "slf4j.multiple-bindings", "reason": "test classpath"},
                         {"artifact": "org.slf4j:slf4j-nop", "reason": "nop kept for tests"}])
    r = scan("--no-db", "-cp", cp(jars), "--accept", both, "--fail-on", "warning", rcs=(0,))
    assert r["set_aside"]["accepted"] == 2
    assert {f["accepted_reason"] for f in r["findings"]} == {"test classpath",
                                                           "nop kept for tests"}


def test_default_accept_file_in_the_current_directory(tmp_path):
    jars = legacy_conflict(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    assert scan("--no-db", "-cp", cp(jars), cwd=work, rcs=(1,))["set_aside"]["accepted"] == 0
    write_accept(work / ".wrench-accept.json",
                 [{"class": "com.acme.legacy.*", "reason": "legacy package"}])
    r = scan("--no-db", "-cp", cp(jars), cwd=work, rcs=(0,))
    assert r["set_aside"]["accepted"] == 1
    # --accept names another file: the default one is not read
    other = write_accept(tmp_path / "none.json", [])
    r = scan("--no-db", "-cp", cp(jars), "--accept", other, cwd=work, rcs=(1,))
    assert r["set_aside"]["accepted"] == 0


@pytest.mark.parametrize("content, says", [
    ('{"accept": [{"id": "conflict-0000000000000000", "reason": "ok"}, {"rule": "x"}]}',
     'entry 2 (rule x): needs a "reason"'),
    ('{"accept": [{"artifact": "a:b", "reason": ""}]}',
     'entry 1: "reason" must be a non-empty string'),
    ('{"accept": [{"id": "x", "rule": "y", "reason": "r"}]}',
     'entry 1: has both "id" and "rule"'),
    ('{"accept": [{"reason": "r"}]}', "entry 1: names nothing to accept"),
    ('{"accept": [{"jar": "a.jar", "reason": "r"}]}', 'entry 1: unknown key "jar"'),
    ('{"accept": [{"class": "com.*.Util", "reason": "r"}]}', "entry 1: class pattern"),
    ('{"accept": ["conflict-1"]}', "entry 1: is not an object"),
    ('{"accepted": []}', 'expected an object {"accept": [...]}'),
    ('{"accept": [', "not valid JSON"),
])
def test_bad_accept_file_is_a_usage_error(tmp_path, content, says):
    jars = legacy_conflict(tmp_path)
    path = tmp_path / "accept.json"
    path.write_text(content)
    proc = run(["scan", "--no-db", "-cp", cp(jars), "--accept", path])
    assert proc.returncode == 2, proc.err
    assert proc.out == ""
    assert f"accept file {path}: " in proc.err and says in proc.err, proc.err


def test_missing_accept_file_is_a_usage_error(tmp_path):
    proc = run(["scan", "--no-db", "-cp", cp(legacy_conflict(tmp_path)),
                "--accept", tmp_path / "nope.json"])
    assert proc.returncode == 2 and "nope.json: No such file" in proc.err, proc.err


# --------------------------------------------------------------------------
# The baseline


def test_baseline_latest_sets_aside_what_the_last_scan_had(tmp_path):
    db = str(tmp_path / "store" / "wrench.db")
    legacy = legacy_conflict(tmp_path)
    first = scan("-cp", cp(legacy), "--db", db, "--baseline", "latest", "--fail-on", "warning",
                 rcs=(1,))
    assert "no scan stored" in first["_stderr"] and "every finding is new" in first["_stderr"]
    assert first["set_aside"]["baseline"] == 0 and first["set_aside"]["baseline_scan"] is None

    second = scan("-cp", cp(legacy), "--db", db, "--baseline", "latest", "--fail-on", "warning",
                  rcs=(0,))
    assert second["set_aside"]["baseline_scan"] == 1
    assert second["set_aside"]["baseline"] == first["summary"]["error"] >= 1
    assert all(f["baseline"] and not f["counted"] for f in second["findings"])
    assert second["incidents"] == [] and second["verdict"]["text"].startswith("No problem found")

    text = run(["scan", "-cp", cp(legacy), "--db", db, "--baseline", "latest", "--fail-on",
                "warning"])
    assert text.returncode == 0, text.err
    n = second["set_aside"]["baseline"]
    assert f"{n} finding{'s' if n != 1 else ''} also in scan 2 (baseline), not counted" \
        in text.out

    # a new conflict is new: reported, counted, the only incident
    core = core_conflict(tmp_path)
    third = scan("-cp", cp(legacy, core), "--db", db, "--baseline", "latest", rcs=(1,))
    assert third["set_aside"]["baseline_scan"] == 3
    new = [f for f in third["findings"] if not f["baseline"]]
    assert len(new) == 1 and names_classes(new[0], "com.acme.core.") and new[0]["counted"]
    assert third["summary"]["error"] == 1
    assert [i["cause"] for i in third["incidents"]] == [new[0]["id"]]

    # an explicit id: scan 1 had only the legacy conflict
    again = scan("-cp", cp(legacy, core), "--db", db, "--baseline", "1", rcs=(1,))
    assert again["set_aside"]["baseline_scan"] == 1 and again["summary"]["error"] == 1

    # the store keeps every scan as found: history counts are not the baseline's
    history = json.loads(run(["history", "--json", "--db", db]).out)["scans"]
    assert all(h["summary"]["error"] >= 1 for h in history), history


def test_baseline_with_accept_file(tmp_path):
    db = str(tmp_path / "wrench.db")
    legacy, core = legacy_conflict(tmp_path), core_conflict(tmp_path)
    scan("-cp", cp(legacy), "--db", db, rcs=(1,))
    accept = write_accept(tmp_path / "accept.json",
                          [{"class": "com.acme.core.*", "reason": "core is being split"}])
    r = scan("-cp", cp(legacy, core), "--db", db, "--baseline", "latest", "--accept", accept,
             rcs=(0,))
    assert r["set_aside"]["accepted"] == 1 and r["set_aside"]["baseline"] == 1


@pytest.mark.parametrize("args, says", [
    (["--baseline", "7"], "no scan 7"),
    (["--baseline", "first"], "'first' is no scan id"),
    (["--baseline", "latest", "--no-db"], "cannot be combined with --no-db"),
])
def test_bad_baseline_is_a_usage_error(tmp_path, args, says):
    db = str(tmp_path / "wrench.db")
    jars = legacy_conflict(tmp_path)
    assert run(["scan", "-cp", cp(jars), "--db", db]).returncode == 1
    if "--no-db" in args:
        proc = run(["scan", "-cp", cp(jars), *args])
    else:
        proc = run(["scan", "-cp", cp(jars), "--db", db, *args])
    assert proc.returncode == 2 and says in proc.err, proc.err


# --------------------------------------------------------------------------
# wrench serve --accept


def test_serve_marks_the_reports_it_serves(tmp_path):
    from test_serve import Server  # the real server, on loopback

    legacy, core = legacy_conflict(tmp_path), core_conflict(tmp_path)
    accept = write_accept(tmp_path / "accept.json",
                          [{"class": "com.acme.legacy.*", "reason": "legacy package"}])
    bad = tmp_path / "bad.json"
    bad.write_text('{"accept": [{"class": "com.acme.*"}]}')
    refused = run(["serve", "--listen", "127.0.0.1:0", "--db", tmp_path / "x.db",
                   "--classpath", cp(legacy), "--accept", bad])
    assert refused.returncode == 2 and f"accept file {bad}: entry 1" in refused.err, refused.err

    s = Server(tmp_path, ["--classpath", cp(legacy, core), "--accept", accept])
    try:
        scan_id = s.start_scan()
        assert s.wait_scan(scan_id)["status"] == "done"
        report = s.json("GET", f"/api/v1/scans/{scan_id}")
        check_report(report)
        assert report["set_aside"]["accepted"] == 1 and report["set_aside"]["accept_file"] == accept
        for c in by_kind(report, "conflict"):
            assert c["accepted"] == names_classes(c, "com.acme.legacy.")
        assert report["summary"]["error"] == 1
        # the store keeps the scan as found
        shown = json.loads(run(["show", str(scan_id), "--json", "--db", s.db]).out)
        assert shown["set_aside"]["accepted"] == 0 and shown["summary"]["error"] == 2
    finally:
        s.stop()


def test_serve_edits_the_accept_file_only_with_a_token(tmp_path):
    """POST and DELETE /api/v1/accept: an entry added from the UI is in the file (rewritten
    whole, other keys kept), marks the next report served, and counts no more; removing it
    brings the finding back. Without a token the file is read-only."""
    from test_serve import TOKEN, Server

    legacy, core = legacy_conflict(tmp_path), core_conflict(tmp_path)
    accept = tmp_path / "team" / "accept.json"
    accept.parent.mkdir()
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n")
    auth = {"Authorization": "Bearer " + TOKEN}

    readonly = Server(tmp_path, ["--classpath", cp(legacy), "--accept", write_accept(
        tmp_path / "ro.json", [])])
    try:
        listed = readonly.json("GET", "/api/v1/accept")
        assert listed == {"file": str(tmp_path / "ro.json"), "writable": False, "entries": []}
        code, _, body = readonly.request("POST", "/api/v1/accept",
                                         body=json.dumps({"rule": "x", "reason": "y"}))
        assert code == 403 and b"--accept FILE and a token" in body
        assert json.loads((tmp_path / "ro.json").read_text()) == {"accept": []}
    finally:
        readonly.stop()

    # a file that does not exist yet is created by the first accept
    s = Server(tmp_path, ["--classpath", cp(legacy, core), "--accept", accept,
                          "--token-file", token])
    try:
        assert s.json("GET", "/api/v1/accept")["writable"] is True
        scan_id = s.start_scan(headers=auth)
        assert s.wait_scan(scan_id)["status"] == "done"
        report = s.json("GET", "/api/v1/scans/latest")  # cached from now on
        legacy_conflict_id = next(c["id"] for c in by_kind(report, "conflict")
                                  if names_classes(c, "com.acme.legacy."))
        assert report["summary"]["error"] == 2

        entry = {"id": legacy_conflict_id, "reason": "retired in Q3"}
        code, _, _ = s.request("POST", "/api/v1/accept", body=json.dumps(entry))
        assert code == 401 and not accept.exists()  # writes need the token
        for bad, says in (("{", "not valid JSON"), ('{"id": "x"}', "needs a \\\"reason\\\""),
                          ('{"id": "x", "class": "y", "reason": "z"}', "has both"),
                          ('{"nope": "x", "reason": "z"}', "unknown key"),
                          ('["id"]', "is not an object")):
            code, _, body = s.request("POST", "/api/v1/accept", body=bad, headers=auth)
            assert code == 400 and says in body.decode(), (bad, body)
        assert not accept.exists()

        added = s.json("POST", "/api/v1/accept", status=201, body=json.dumps(entry),
                       headers=auth)
        assert added["entries"] == [{"by": "id", "value": legacy_conflict_id,
                                     "reason": "retired in Q3"}]
        assert json.loads(accept.read_text()) == {"accept": [entry]}
        s.json("POST", "/api/v1/accept", status=409, body=json.dumps(entry), headers=auth)

        marked = s.json("GET", "/api/v1/scans/latest")  # not the cached, unmarked report
        assert marked["set_aside"]["accepted"] == 1 and marked["summary"]["error"] == 1
        (same,) = [f for f in marked["findings"] if f["id"] == legacy_conflict_id]
        assert same["accepted"] and same["accepted_reason"] == "retired in Q3"

        # keys wrench does not read survive an edit made by hand and one from the server
        accept.write_text(json.dumps({"owner": "team-a", "accept": [entry]}))
        rule = {"rule": "tomcat.port-in-use", "reason": "two connectors in the test profile"}
        s.json("POST", "/api/v1/accept", status=201, body=json.dumps(rule), headers=auth)
        assert json.loads(accept.read_text()) == {"owner": "team-a", "accept": [entry, rule]}

        removed = s.json("DELETE", "/api/v1/accept", body=json.dumps({"id": legacy_conflict_id}),
                         headers=auth)
        assert [e["by"] for e in removed["entries"]] == ["rule"]
        s.json("DELETE", "/api/v1/accept", status=404,
               body=json.dumps({"id": legacy_conflict_id}), headers=auth)
        again = s.json("GET", "/api/v1/scans/latest")
        assert again["set_aside"]["accepted"] == 0 and again["summary"]["error"] == 2

        # a file broken by hand is refused, named, and left as it is
        accept.write_text('{"accept": [{"class": "a*b", "reason": "r"}]}')
        code, _, body = s.request("POST", "/api/v1/accept", body=json.dumps(entry), headers=auth)
        assert code == 500 and str(accept).encode() in body and b"entry 1" in body
        assert accept.read_text() == '{"accept": [{"class": "a*b", "reason": "r"}]}'
        assert sorted(p.name for p in accept.parent.iterdir()) == ["accept.json"]
    finally:
        out = s.stop()
    assert TOKEN not in out
