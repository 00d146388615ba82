"""The report store: every scan kept in SQLite (--db, WRENCH_DB, --no-db, --keep),
`wrench history`, `wrench show` (byte for byte the scan's report) and `wrench diff`,
and the bad situations: foreign, damaged and newer databases left untouched, a
directory that is a file, a locked database, a full disk, kill -9 mid-write.

Every test uses a database in its own tmp dir (--db, and WRENCH_DB as a guard),
never the default path."""

import gzip
import hashlib
import json
import os
import pathlib
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time

import pytest

from helpers import (ROOT, WRENCH, check_report, jar_bytes, make_boot_jar, make_jar, make_war,
                     run)

JAVA_SHARE = pathlib.Path("/usr/share/java")
BUSY_TIMEOUT_S = 5  # STORE_BUSY_TIMEOUT_MS in wrench/store.h
STORE_SCHEMA = 8  # STORE_SCHEMA_VERSION in wrench/store.h
TABLES = {"scans", "views", "entries", "embedded_artifacts", "duplicates", "duplicate_copies",
          "conflicts", "conflict_entries", "conflict_classes", "hints", "hint_entries",
          "problems", "log_reports", "log_files", "log_file_tails", "log_findings", "log_problems",
          "correlations", "correlation_entries", "discoveries", "discovery_texts", "services",
          "service_texts", "service_views", "facts", "environment_findings",
          "log_finding_facts", "log_finding_locations", "findings", "incidents",
          "conflict_shared_classes", "conflict_class_copies", "conflict_classes_truncated",
          "entry_digests", "translations", "jvm_sightings"}


@pytest.fixture(autouse=True)
def _never_the_default_database(tmp_path, monkeypatch):
    monkeypatch.setenv("WRENCH_DB", str(tmp_path / "guard" / "env.db"))


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "store" / "wrench.db")


def w(*args, db, rcs=(0,), env=None):
    """Run wrench with --db; check the exit code."""
    proc = run([*args, "--db", db], env=env)
    assert proc.returncode in rcs, (f"wrench {list(args)} exited {proc.returncode}\n"
                                   f"stderr: {proc.err}\nstdout: {proc.out[:2000]}")
    return proc


def scan_json(*targets, db, rcs=(0, 1)):
    """`wrench scan TARGETS --json --db DB`: the exact stdout, checked and stored."""
    proc = w("scan", *targets, "--json", db=db, rcs=rcs)
    check_report(json.loads(proc.out), rc=proc.returncode)
    assert "not stored" not in proc.err, proc.err
    return proc.out


def history(db):
    return json.loads(w("history", "--json", db=db).out)["scans"]


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def service_v1(lib):
    """A service's lib/: two guavas (duplicate + conflict), two SLF4J bindings
    (hint), an application jar, a jar that goes away later."""
    lib.mkdir(parents=True, exist_ok=True)
    make_jar(lib / "guava-18.0.jar", [("com.google.common.base.Optional", "18"),
                                      ("com.google.common.base.Strings", "18")],
             pom=("com.google.guava", "guava", "18.0"))
    make_jar(lib / "guava-31.1-jre.jar", [("com.google.common.base.Optional", "31"),
                                          ("com.google.common.base.Strings", "31")],
             pom=("com.google.guava", "guava", "31.1-jre"))
    make_jar(lib / "app.jar", ["com.acme.app.Main", ("org.apache.commons.lang3.StringUtils", "a")])
    for binding in ("slf4j-simple", "slf4j-nop"):
        make_jar(lib / f"{binding}-1.7.36.jar", [("org.slf4j.impl.StaticLoggerBinder", binding)],
                 pom=("org.slf4j", binding, "1.7.36"))
    make_jar(lib / "lib-a-1.0.jar", ["com.acme.a.A"], pom=("com.acme", "lib-a", "1.0"))


def service_v2(lib):
    """The same lib/ after an upgrade: one guava 32, lib-a gone, commons-lang3 added
    (it clashes with a class app.jar carries)."""
    for old in ("guava-18.0.jar", "guava-31.1-jre.jar", "lib-a-1.0.jar"):
        (lib / old).unlink()
    make_jar(lib / "guava-32.0.jar", ["com.google.common.base.Optional",
                                      "com.google.common.base.Strings"],
             pom=("com.google.guava", "guava", "32.0"))
    make_jar(lib / "commons-lang3-3.12.0.jar", [("org.apache.commons.lang3.StringUtils", "c")],
             pom=("org.apache.commons", "commons-lang3", "3.12.0"))


# --------------------------------------------------------------------------
# show: the stored scan is the scan, byte for byte


def _targets(kind, tmp_path):
    if kind == "classpath":
        service_v1(tmp_path / "lib")
        return ["-cp", f"{tmp_path / 'lib'}/*"]
    if kind == "boot-jar":
        lib = jar_bytes(["com.acme.x.X"], pom=("com.acme", "x", "1.0"))
        lib2 = jar_bytes([("com.acme.x.X", "other")], pom=("com.acme", "x", "2.0"))
        return ["--jar", make_boot_jar(tmp_path / "app.jar", ["com.acme.app.Application"],
                                       libs=[("x-1.0.jar", lib), ("x-2.0.jar", lib2)],
                                       idx=["x-2.0.jar", "x-1.0.jar"])]
    if kind == "war":
        servlet = jar_bytes(["javax.servlet.Servlet"], pom=("javax.servlet", "servlet-api", "2.5"))
        return ["--war", make_war(tmp_path / "shop.war", ["com.acme.web.Shop"],
                                  libs=[("servlet-api-2.5.jar", servlet)])]
    if kind == "hostile":
        good = make_jar(tmp_path / "good-1.0.jar", ["com.acme.Good"])
        odd = tmp_path / os.fsdecode(b"caf\xe9-\xff.jar")  # not UTF-8
        odd.write_bytes(jar_bytes(["com.acme.Good"], variant="odd"))
        corrupt = tmp_path / "corrupt.jar"
        corrupt.write_bytes(b"PK\x03\x04 this is no zip")
        return ["-cp", f"{good}:{odd}:{corrupt}:{tmp_path / 'missing.jar'}:{good}",
                "--dir", str(tmp_path)]
    if kind == "java-share":
        if not JAVA_SHARE.is_dir():
            pytest.skip("/usr/share/java not present")
        return ["-cp", f"{JAVA_SHARE}/*"]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["classpath", "boot-jar", "war", "hostile", "java-share"])
def test_show_json_is_the_scan_json_byte_for_byte(tmp_path, db, kind):
    targets = _targets(kind, tmp_path)
    printed = scan_json(*targets, db=db)
    if kind == "war":  # its servlet-api jar fires a classpath hint with Chinese texts
        hints = json.loads(printed)["hints"]
        assert hints and all(h["title_zh"] and h["hint_zh"] for h in hints)
    shown = w("show", "--json", db=db).out
    assert shown == printed
    check_report(json.loads(shown))


def test_show_text_is_the_scan_text(tmp_path, db):
    targets = _targets("hostile", tmp_path) + _targets("classpath", tmp_path)
    printed = w("scan", *targets, "--color", "never", db=db, rcs=(1,)).out
    assert printed.startswith("Scanned ") and "Summary:" in printed
    assert w("show", db=db).out == printed
    assert w("show", "--color", "never", db=db).out == printed
    assert "\x1b[" in w("show", "--color", "always", db=db).out


def test_show_by_id_and_latest(tmp_path, db):
    first = scan_json("-cp", make_jar(tmp_path / "a-1.0.jar", ["com.acme.A"]), db=db)
    second = scan_json(*_targets("classpath", tmp_path), db=db)
    ids = [s["id"] for s in history(db)]
    assert len(ids) == 2 and ids[0] > ids[1]
    assert w("show", str(ids[1]), "--json", db=db).out == first
    assert w("show", str(ids[0]), "--json", db=db).out == second
    assert w("show", "latest", "--json", db=db).out == second
    proc = w("show", "999", db=db, rcs=(3,))
    assert "no scan 999" in proc.err


# --------------------------------------------------------------------------
# logs: the log report and its correlations are stored too

STRINGS = "com.google.common.base.Strings"
# The JVM's record of an uncaught NoSuchMethodError (JDK 11+ quotes the method's descriptor).
NO_SUCH_METHOD = (
    "Exception in thread \"main\" java.lang.NoSuchMethodError: 'java.lang.String "
    f"{STRINGS}.lenientFormat(java.lang.String, java.lang.Object[])'\n"
    "\tat com.acme.shop.OrderService.describe(OrderService.java:42)\n"
    "\tat com.acme.shop.OrderController.show(OrderController.java:27)\n"
    "\tat com.acme.shop.Main.main(Main.java:9)\n"
)
# A failure of the same class as an application logs it, inside a servlet container: a
# logback record with the error as the root cause of a chain, and bytes that are not UTF-8.
# (Another method than NO_SUCH_METHOD's: the same one would be the same finding.)
SPRING_RECORD = (
    "2026-11-27 03:12:45.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]"
    "    : Servlet.service() for servlet [dispatcherServlet] threw exception for caf\udce9\n"
    "org.springframework.web.util.NestedServletException: Handler dispatch failed; nested "
    "exception is java.lang.NoSuchMethodError: 'java.lang.String "
    f"{STRINGS}.padStart(java.lang.String, int, char)'\n"
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1082)"
    "\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:833)\n"
    "Caused by: java.lang.NoSuchMethodError: 'java.lang.String "
    f"{STRINGS}.padStart(java.lang.String, int, char)'\n"
    "\tat com.acme.shop.OrderService.describe(OrderService.java:42)\n"
    "\t... 12 common frames omitted\n"
)
QUIET_LOG = ("2026-11-27 03:00:00.001  INFO 1 --- [main] com.acme.shop.Main : Started Main in "
             "2.5 seconds\n")


def write_log(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return str(path)


def guava_service(tmp_path):
    """A lib/ whose two guavas both provide Strings, in differing copies."""
    lib = tmp_path / "lib"
    make_jar(lib / "guava-18.0.jar", [(STRINGS, "18"), ("com.google.common.base.Joiner", "18")],
             pom=("com.google.guava", "guava", "18.0"))
    make_jar(lib / "guava-31.1-jre.jar", [(STRINGS, "31"), ("com.google.common.base.Joiner", "31")],
             pom=("com.google.guava", "guava", "31.1-jre"))
    make_jar(lib / "shop.jar", ["com.acme.shop.Main", "com.acme.shop.OrderService"])
    return f"{lib}/*"


def test_show_json_with_logs_is_the_scan_json_byte_for_byte(tmp_path, db):
    logs = tmp_path / "logs"
    # shop.log is read after the .gz file: the one finding both give keeps the .gz's sample
    write_log(logs / "shop.log", QUIET_LOG + NO_SUCH_METHOD)
    (logs / "catalina.2026-11-26.log.gz").write_bytes(
        gzip.compress(SPRING_RECORD.encode("utf-8", "surrogateescape")))
    printed = scan_json("-cp", guava_service(tmp_path), "--logs", str(logs), db=db)
    report = json.loads(printed)
    files = {pathlib.Path(f["path"]).name: f for f in report["logs"]["files"]}
    assert files["catalina.2026-11-26.log.gz"]["compressed"] is True
    nsme = [f for f in report["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert nsme and all(f["class"] == STRINGS for f in nsme)
    [corr] = nsme[0]["correlations"]
    assert corr["copies_differ"] and [pathlib.Path(p).name for p in corr["paths"]] == [
        "guava-18.0.jar", "guava-31.1-jre.jar"]
    # The Chinese texts are stored too (schema 6), so show --json keeps them.
    assert all(STRINGS in f["title_zh"] and f["hint_zh"] for f in nsme)

    shown = w("show", "--json", db=db).out
    assert shown == printed
    check_report(json.loads(shown))
    con = sqlite3.connect(db)
    rows = con.execute("SELECT severity, count FROM log_findings WHERE rule = "
                       "'classloading.no-such-method'").fetchall()
    assert sorted(rows) == sorted((f["severity"], f["count"]) for f in nsme)
    assert con.execute("SELECT count(*) FROM correlations WHERE class = ?",
                       (STRINGS,)).fetchone()[0] == sum(len(f["correlations"]) for f in nsme)
    # The record with a byte that is not UTF-8 keeps its bytes (the report shows U+FFFD).
    [(kind, sample)] = con.execute("SELECT typeof(sample), sample FROM log_findings WHERE file "
                                   "LIKE '%.gz'").fetchall()
    assert kind == "blob" and b"threw exception for caf\xe9\n" in sample
    con.close()
    # The text report is the scan's too.
    text = w("scan", "-cp", guava_service(tmp_path), "--logs", str(logs), "--color", "never",
             db=db, rcs=(1,)).out
    assert w("show", "--color", "never", db=db).out == text


def test_no_logs_is_null_and_logs_without_findings_are_empty(tmp_path, db):
    target = guava_service(tmp_path)
    printed = scan_json("-cp", target, db=db)
    assert json.loads(printed)["logs"] is None
    assert w("show", "--json", db=db).out == printed
    quiet = write_log(tmp_path / "logs" / "app.log", QUIET_LOG)
    printed = scan_json("-cp", target, "--logs", quiet, db=db)
    logs = json.loads(printed)["logs"]
    assert logs["findings"] == [] and len(logs["files"]) == 1
    assert w("show", "--json", db=db).out == printed


def test_diff_reports_a_log_finding_that_appears(tmp_path, db):
    target = guava_service(tmp_path)
    log = tmp_path / "logs" / "app.log"
    write_log(log, QUIET_LOG)
    scan_json("-cp", target, "--logs", str(log), db=db)
    write_log(log, QUIET_LOG + NO_SUCH_METHOD)
    scan_json("-cp", target, "--logs", str(log), db=db)
    d = json.loads(w("diff", "--json", db=db).out)
    [new] = [f for f in d["new_findings"] if f["kind"] == "log"]
    assert new["identity"].startswith("classloading.no-such-method: java.lang.NoSuchMethodError")
    assert new["severity"] == "error" and new["path"] == str(log) and new["view"] is None
    assert "NoSuchMethodError" in new["title"]
    assert d["resolved_findings"] == [] and d["jars_added"] == [] and d["jars_changed"] == []
    text = w("diff", db=db).out
    assert f"log finding: {log}: " in text and "Resolved findings" not in text

    # The same error again, more often: the same finding, no difference.
    write_log(log, QUIET_LOG + NO_SUCH_METHOD * 3)
    scan_json("-cp", target, "--logs", str(log), db=db)
    assert "No difference" in w("diff", db=db).out
    # Gone from the logs: resolved.
    write_log(log, QUIET_LOG)
    scan_json("-cp", target, "--logs", str(log), db=db)
    d = json.loads(w("diff", "--json", db=db).out)
    assert [f["kind"] for f in d["resolved_findings"]] == ["log"]
    assert d["new_findings"] == []


# --------------------------------------------------------------------------
# discovery and the environment are stored too

DISCOVERY_ENV = {"WRENCH_CONFIG": "", "CATALINA_BASE": "", "CATALINA_HOME": "", "WRENCH_APP": ""}


def discovered_scan(tmp_path, db, jar_classes):
    """`wrench scan` without targets: a dead service from a services file, the container
    seen through the cgroup v2 fixture trees (a memory limit, OOM kills)."""
    app = make_jar(tmp_path / "app" / "app.jar", jar_classes, pom=("com.acme", "a", "1.0"))
    conf = tmp_path / "wrench.conf"
    conf.write_text(json.dumps({"services": [{"name": "shop", "kind": "jar",
                                              "paths": {"jar": app}}]}))
    fixture = ROOT / "testdata" / "cgroup" / "v2"
    proc = w("scan", "--no-processes", "--config", str(conf), "--proc-root",
             str(fixture / "proc"), "--cgroup-root", str(fixture / "fs"), "--json", db=db,
             rcs=(0, 1), env=DISCOVERY_ENV)
    check_report(json.loads(proc.out), rc=proc.returncode)
    assert "not stored" not in proc.err, proc.err
    return proc.out


def test_show_json_of_a_discovered_service_is_the_scan_json(tmp_path, db):
    printed = discovered_scan(tmp_path, db, ["com.acme.A"])
    report = json.loads(printed)
    [service] = report["discovery"]["services"]
    assert service["name"] == "shop" and service["views"] == [0]
    assert report["environment"]["facts"] and report["environment"]["findings"]
    assert w("show", "--json", db=db).out == printed
    con = sqlite3.connect(db)
    ids = {r[0] for r in con.execute("SELECT rule FROM environment_findings")}
    assert ids == {f["id"] for f in report["environment"]["findings"]}
    con.close()
    # Discovered again, nothing changed in the environment: no difference there.
    discovered_scan(tmp_path, db, ["com.acme.A", "com.acme.B"])
    d = json.loads(w("diff", "--json", db=db).out)
    assert not [f for f in d["new_findings"] + d["resolved_findings"]
                if f["kind"] == "environment"]


# --------------------------------------------------------------------------
# history, retention, where the database is


def test_history_newest_first_with_counts(tmp_path, db):
    reports = [json.loads(scan_json(*_targets(k, tmp_path / k), db=db))
               for k in ("classpath", "war", "boot-jar")]
    scans = history(db)
    assert [s["targets"].split(" ")[0] for s in scans] == ["boot-jar", "war", "classpath"]
    assert [s["id"] for s in scans] == sorted((s["id"] for s in scans), reverse=True)
    for s, report in zip(scans, reversed(reports)):
        assert s["status"] == "complete"
        assert s["started"] == report["scan"]["started"]
        assert s["summary"] == report["summary"]
        assert s["wrench_version"] == report["wrench_version"]
        assert s["report_schema"] == report["schema_version"]
        # Every shipped rule file counts in the version, the classpath hints included.
        shipped = len(list((ROOT / "rules").glob("*.json")))
        assert re.fullmatch(rf"sha256:[0-9a-f]{{16}}, {shipped} files", s["rules_version"])
    lines = w("history", db=db).out.splitlines()
    assert len(lines) == 3
    top = scans[0]
    assert lines[0].startswith(f"{top['id']}  {top['started']}  complete")
    assert f"{top['summary']['critical']} critical, " in lines[0]
    assert lines[0].endswith(top["targets"])



def test_rules_version_covers_a_rules_directory(tmp_path, db):
    """A --rules directory, or a change to one of its files, gives another version."""
    rules = tmp_path / "rules"
    rules.mkdir()
    site = rules / "site.json"
    rule = {"id": "site.order", "severity": "warning", "category": "other",
            "pattern": "ORDER-\\d+ rejected", "title": "t", "hint": "h"}
    site.write_text(json.dumps({"rules": [rule]}))
    target = _targets("classpath", tmp_path / "cp")
    scan_json(*target, db=db)
    scan_json(*target, "--rules", str(rules), db=db)
    rule["title"] = "another title"
    site.write_text(json.dumps({"rules": [rule]}))
    scan_json(*target, "--rules", str(rules), db=db)
    changed, with_dir, shipped = (s["rules_version"] for s in history(db))
    assert len({shipped, with_dir, changed}) == 3
    count = len(list((ROOT / "rules").glob("*.json")))
    assert shipped.endswith(f", {count} files") and with_dir.endswith(f", {count + 1} files")
    # A scan that reads a log loads the shipped rules; one that does not only hashes their
    # files (pipeline_rules_version): the same version.
    log = tmp_path / "app.log"
    log.write_text("2026-01-01 00:00:00.000 INFO started\n")
    scan_json(*target, "--logs", str(log), db=db)
    assert history(db)[0]["rules_version"] == shipped

def test_a_failed_scan_command_is_stored_as_failed(tmp_path, db):
    proc = w("scan", *_targets("classpath", tmp_path), "--json", str(tmp_path / "no" / "r.json"),
             db=db, rcs=(3,))
    [s] = history(db)
    assert s["status"] == "failed"
    assert w("show", db=db).out == proc.out  # the text report it printed


def test_keep_prunes_old_scans_in_the_same_write(tmp_path, db):
    jar = make_jar(tmp_path / "a-1.0.jar", ["com.acme.A"])
    for _ in range(5):
        scan_json("-cp", jar, db=db)
    all_ids = [s["id"] for s in history(db)]
    w("scan", "-cp", jar, "--keep", "3", db=db)
    ids = [s["id"] for s in history(db)]
    assert len(ids) == 3 and ids[1:] == all_ids[:2]
    con = sqlite3.connect(db)
    for table in TABLES - {"scans", "jvm_sightings"}:
        orphans = con.execute(f"SELECT count(*) FROM {table} WHERE scan_id NOT IN "
                              "(SELECT id FROM scans)").fetchone()[0]
        assert orphans == 0, f"{table} keeps rows of pruned scans"
    con.close()
    # Ids are never reused.
    w("scan", "-cp", jar, "--keep", "1", db=db)
    assert [s["id"] for s in history(db)] == [ids[0] + 1]


def test_no_db_stores_nothing(tmp_path, db):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    env_db = tmp_path / "env" / "w.db"
    proc = run(["scan", "-cp", jar, "--no-db"], env={"WRENCH_DB": str(env_db)})
    assert proc.returncode == 0 and proc.err == ""
    assert not env_db.exists() and not env_db.parent.exists()


def test_wrench_db_environment_and_db_option(tmp_path):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    env_db = tmp_path / "env" / "w.db"
    opt_db = tmp_path / "opt" / "w.db"
    env = {"WRENCH_DB": str(env_db)}
    assert run(["scan", "-cp", jar], env=env).returncode == 0
    assert run(["scan", "-cp", jar, "--db", str(opt_db)], env=env).returncode == 0
    assert len(json.loads(run(["history", "--json"], env=env).out)["scans"]) == 1
    assert len(history(str(opt_db))) == 1


@pytest.mark.parametrize("args", [
    ["scan", "-cp", "JAR", "--no-db", "--db", "DB"],
    ["scan", "-cp", "JAR", "--no-db", "--keep", "3"],
    ["scan", "-cp", "JAR", "--keep", "0"],
    ["scan", "-cp", "JAR", "--keep", "ten"],
    ["scan", "-cp", "JAR", "--keep", "1000001"],
    ["scan", "-cp", "JAR", "--db"],
    ["show", "first"],
    ["show", "1", "2"],
    ["show", "0"],
    ["diff", "1", "2", "3"],
    ["diff", "-1"],
    ["history", "5"],
], ids=lambda a: " ".join(a))
def test_usage_errors(tmp_path, args):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    dbfile = tmp_path / "w.db"
    args = [jar if a == "JAR" else str(dbfile) if a == "DB" else a for a in args]
    proc = run(args)
    assert proc.returncode == 2, f"{args}: exit {proc.returncode}: {proc.err}"
    assert proc.err.strip()
    assert not dbfile.exists()


def test_reading_commands_without_a_database(tmp_path, db):
    proc = w("history", db=db)
    assert "No scan is stored" in proc.out
    assert history(db) == []
    proc = w("show", db=db, rcs=(3,))
    assert "no database" in proc.err and db in proc.err
    proc = w("diff", db=db, rcs=(3,))
    assert "no database" in proc.err
    assert not pathlib.Path(db).exists(), "a reading command created the database"


def test_schema_is_real_tables_versioned_and_wal(tmp_path, db):
    scan_json(*_targets("classpath", tmp_path), db=db)
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert TABLES <= tables
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
    assert {"scans_by_targets", "entries_by_artifact", "conflict_classes_by_name"} <= indexes
    assert con.execute("PRAGMA user_version").fetchone()[0] == STORE_SCHEMA
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x5752454E
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    report = json.loads(w("show", "--json", db=db).out)
    entries = con.execute("SELECT path, artifact_name, artifact_version, evidence, classes "
                          "FROM entries ORDER BY entry").fetchall()
    assert [e[0] for e in entries] == [e["path"] for e in report["views"][0]["entries"]]
    guava = [e for e in entries if e[1] == "guava"]
    assert sorted(e[2] for e in guava) == ["18.0", "31.1-jre"]
    assert {e[3] for e in guava} == {"pom.properties"}
    [(key, severity)] = con.execute("SELECT key, severity FROM duplicates").fetchall()
    assert (key, severity) == ("com.google.guava:guava", "error")
    classes = [r[0] for r in con.execute(
        "SELECT name FROM conflict_classes WHERE list = 'differing' ORDER BY name")]
    assert "com.google.common.base.Optional" in classes
    con.close()


# --------------------------------------------------------------------------
# diff


def test_diff_names_each_jar_added_by_its_path(tmp_path, db):
    """One more version of a library and an application jar are two jars added."""
    lib = tmp_path / "lib"
    v1 = make_jar(lib / "acme-util-1.0.jar", ["com.acme.util.S"], pom=("com.acme", "acme-util", "1.0"))
    v2 = make_jar(lib / "acme-util-2.0.jar", ["com.acme.util.S"], pom=("com.acme", "acme-util", "2.0"))
    app = make_jar(lib / "app.jar", ["com.acme.app.Main"])
    scan_json("-cp", v1, db=db)
    scan_json("-cp", f"{v1}:{v2}:{app}", db=db)
    d = json.loads(w("diff", "1", "2", "--json", db=db).out)
    assert d["jars_removed"] == [] and d["jars_changed"] == []
    assert [(j["path"], j["key"], j["version"]) for j in d["jars_added"]] == [
        (str(app), "app", None), (str(v2), "com.acme:acme-util", "2.0")]
    text = w("diff", "1", "2", db=db).out
    assert f"classpath: {v2} (com.acme:acme-util 2.0)" in text
    assert f"classpath: {app}\n" in text


def test_diff_after_an_upgrade(tmp_path, db):
    lib = tmp_path / "lib"
    service_v1(lib)
    target = f"{lib}/*"
    scan_json("-cp", target, db=db)
    other = make_jar(tmp_path / "other" / "o-1.0.jar", ["com.acme.O"])
    scan_json("-cp", other, db=db)  # another target in between
    service_v2(lib)
    scan_json("-cp", target, db=db)
    v2, _, v1 = [s["id"] for s in history(db)]

    d = json.loads(w("diff", "--json", db=db).out)  # latest vs the previous of the same target
    assert (d["from"]["id"], d["to"]["id"]) == (v1, v2)
    new = {(f["kind"], f["identity"]) for f in d["new_findings"]}
    resolved = {(f["kind"], f["identity"]) for f in d["resolved_findings"]}
    assert new == {("conflict", "classpath: app + org.apache.commons:commons-lang3")}
    assert resolved == {
        ("duplicate", "classpath: com.google.guava:guava"),
        ("conflict", "classpath: com.google.guava:guava + com.google.guava:guava"),
    }
    # The SLF4J hint is in both scans although every entry index moved.
    # Jars are matched by path, then by library: guava 31.1-jre became 32.0 under a new name,
    # guava 18.0 went away.
    assert [(j["key"], j["version"]) for j in d["jars_added"]] == [
        ("org.apache.commons:commons-lang3", "3.12.0")]
    assert [(j["key"], j["version"], pathlib.Path(j["path"]).name)
            for j in d["jars_removed"]] == [("com.acme:lib-a", "1.0", "lib-a-1.0.jar"),
                                            ("com.google.guava:guava", "18.0", "guava-18.0.jar")]
    [changed] = d["jars_changed"]
    assert (changed["key"], changed["change"]) == ("com.google.guava:guava", "version")
    assert changed["from"] == {"path": f"{lib}/guava-31.1-jre.jar", "version": "31.1-jre"}
    assert changed["to"] == {"path": f"{lib}/guava-32.0.jar", "version": "32.0"}

    assert json.loads(w("diff", str(v1), str(v2), "--json", db=db).out) == d
    assert json.loads(w("diff", str(v2), "--json", db=db).out) == d
    back = json.loads(w("diff", str(v2), str(v1), "--json", db=db).out)
    assert {(f["kind"], f["identity"]) for f in back["new_findings"]} == resolved
    assert [j["key"] for j in back["jars_removed"]] == ["org.apache.commons:commons-lang3"]
    assert [j["key"] for j in back["jars_added"]] == ["com.acme:lib-a", "com.google.guava:guava"]

    text = w("diff", db=db).out
    assert f"Comparing scan {v1}" in text and f"with scan {v2}" in text
    assert "New findings (1):" in text and "Resolved findings (2):" in text
    assert (f"com.google.guava:guava 31.1-jre -> 32.0 ({lib}/guava-31.1-jre.jar -> "
            f"{lib}/guava-32.0.jar)") in text
    assert "Jars removed (2):" in text and f"{lib}/lib-a-1.0.jar (com.acme:lib-a 1.0)" in text
    assert "Summary: 1 new, 2 resolved; jars: 1 added, 2 removed, 1 changed" in text

    same = w("diff", str(v2), str(v2), db=db).out
    assert "No difference" in same


def test_diff_needs_an_earlier_scan_of_the_same_target(tmp_path, db):
    scan_json("-cp", make_jar(tmp_path / "a.jar", ["com.acme.A"]), db=db)
    scan_json("-cp", make_jar(tmp_path / "b.jar", ["com.acme.B"]), db=db)
    proc = w("diff", db=db, rcs=(3,))
    assert "no earlier scan of the same targets" in proc.err
    proc = w("diff", "1", "77", db=db, rcs=(3,))
    assert "no scan 77" in proc.err


# --------------------------------------------------------------------------
# Bad situations: the report always prints, the exit code never changes


def _check_not_stored(proc, *phrases):
    check_report(json.loads(proc.out), rc=proc.returncode)
    assert "the scan was not stored" in proc.err, proc.err
    for phrase in phrases:
        assert phrase in proc.err, proc.err


def test_database_from_a_newer_wrench_is_refused_untouched(tmp_path, db):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    scan_json("-cp", jar, db=db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.close()
    before = sha256(db)
    proc = w("scan", "-cp", jar, "--json", db=db)
    _check_not_stored(proc, "newer wrench", "untouched")
    assert sha256(db) == before
    proc = w("history", db=db, rcs=(3,))
    assert "newer wrench" in proc.err
    assert sha256(db) == before


@pytest.mark.parametrize("content", ["garbage", "foreign", "truncated"])
def test_damaged_or_foreign_file_is_refused_untouched(tmp_path, db, content):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    path = pathlib.Path(db)
    path.parent.mkdir(parents=True)
    if content == "garbage":
        path.write_bytes(random.Random(5).randbytes(20000))
        phrase = "not an SQLite database"
    elif content == "foreign":
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE contacts (name TEXT)")
        con.execute("INSERT INTO contacts VALUES ('x')")
        con.commit()
        con.close()
        phrase = "not a wrench database"
    else:
        for _ in range(3):
            scan_json(*_targets("classpath", tmp_path), db=db)
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 2])
        phrase = "damaged"
    before = sha256(db)
    proc = w("scan", "-cp", jar, "--json", db=db)
    _check_not_stored(proc, phrase, "untouched")
    assert sha256(db) == before
    assert w("history", db=db, rcs=(3,)).err
    assert sha256(db) == before


def test_database_directory_that_is_a_file(tmp_path):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    (tmp_path / "state").write_text("a file, not a directory\n")
    proc = run(["scan", "-cp", jar, "--json", "--db", str(tmp_path / "state" / "wrench.db")])
    _check_not_stored(proc, "state", "not a directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_directory(tmp_path):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        proc = run(["scan", "-cp", jar, "--json", "--db", str(ro / "sub" / "wrench.db")])
        _check_not_stored(proc, "cannot create")
    finally:
        ro.chmod(0o755)


def _read_only_by_mount(tmp_path, db_dir):
    """db_dir as a read-only bind mount of itself (root ignores file modes, not a read-only
    mount); returns the function that undoes it, or skips where mounting is not allowed."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a bind mount needs root")
    mounted = subprocess.run(["mount", "--bind", str(db_dir), str(db_dir)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mount --bind is not allowed here: " + mounted.stderr.decode(errors="replace"))
    ro = subprocess.run(["mount", "-o", "remount,ro,bind", str(db_dir)], capture_output=True)
    if ro.returncode != 0:
        subprocess.run(["umount", str(db_dir)], check=True)
        pytest.skip("cannot remount read-only: " + ro.stderr.decode(errors="replace"))
    return lambda: subprocess.run(["umount", str(db_dir)], check=True)


@pytest.mark.parametrize("how", ["read-only-mount", "file-mode-as-nobody"])
def test_read_only_database_file(tmp_path, how):
    """A database wrench may read but not write: the report prints, the exit code is the
    scan's, `the scan was not stored` names the file, and the file is left as it was."""
    # nobody must reach the targets and the database: not through root's 0700 tmp_path
    base = pathlib.Path(tempfile.mkdtemp(prefix="wrench-rodb-"))
    undo = None
    try:
        base.chmod(0o755)
        service_v1(base / "lib")
        for p in base.rglob("*"):
            p.chmod(0o755 if p.is_dir() else 0o644)
        targets = ["-cp", f"{base / 'lib'}/*"]
        db_dir = base / "db"
        db_dir.mkdir()
        db_file = str(db_dir / "wrench.db")
        stored = scan_json(*targets, db=db_file)
        prefix = []
        if how == "read-only-mount":
            undo = _read_only_by_mount(tmp_path, db_dir)
        else:
            db_dir.chmod(0o777)  # the directory is writable: only the file is not
            os.chmod(db_file, 0o644)
            if os.geteuid() == 0:
                if shutil.which("setpriv") is None:
                    pytest.skip("setpriv (util-linux) missing: cannot drop root")
                prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
            else:
                os.chmod(db_file, 0o444)
        before = sha256(db_file)
        proc = subprocess.run(prefix + [WRENCH, "scan", *targets, "--json", "--db", db_file],
                              capture_output=True, timeout=120)
        proc.out = proc.stdout.decode("utf-8", errors="replace")
        proc.err = proc.stderr.decode("utf-8", errors="replace")
        assert "Sanitizer" not in proc.err and "runtime error:" not in proc.err, proc.err
        assert proc.returncode == 1, proc.err  # the duplicate guavas are errors, stored or not
        _check_not_stored(proc, db_file)
        report = json.loads(proc.out)
        assert report["duplicates"] and len(report["views"][0]["entries"]) == 6
        assert sha256(db_file) == before
        if undo:
            undo()
            undo = None
        assert sha256(db_file) == before
        assert len(history(db_file)) == 1
        assert w("show", "--json", db=db_file).out == stored
    finally:
        if undo:
            undo()
        shutil.rmtree(base, ignore_errors=True)


def test_locked_database_waits_then_fails_clearly(tmp_path, db):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    first = scan_json("-cp", jar, db=db)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        # Readers are not blocked by a writer (WAL).
        assert len(history(db)) == 1
        t0 = time.monotonic()
        proc = w("scan", "-cp", jar, "--json", db=db)
        waited = time.monotonic() - t0
        _check_not_stored(proc, "locked")
        assert waited >= BUSY_TIMEOUT_S - 0.5, f"gave up after {waited:.1f} s"
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert len(history(db)) == 1
    assert w("show", "--json", db=db).out == first
    scan_json("-cp", jar, db=db)
    assert len(history(db)) == 2


def test_scan_stores_while_another_connection_reads(tmp_path, db):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    scan_json("-cp", jar, db=db)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN")
    assert con.execute("SELECT count(*) FROM scans").fetchone()[0] == 1
    try:
        scan_json("-cp", jar, db=db)  # a web server reading does not stop a scan
        assert con.execute("SELECT count(*) FROM scans").fetchone()[0] == 1  # its snapshot
    finally:
        con.execute("COMMIT")
        con.close()
    assert len(history(db)) == 2


def _run_with_file_size_limit(args, limit):
    def limit_writes():
        # Ignored SIGXFSZ: a write over the limit fails with EFBIG instead of killing wrench.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([WRENCH, *args], capture_output=True, preexec_fn=limit_writes,
                          timeout=120)
    proc.out = proc.stdout.decode("utf-8", errors="replace")
    proc.err = proc.stderr.decode("utf-8", errors="replace")
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {proc.err}"
    assert "Sanitizer" not in proc.err and "runtime error:" not in proc.err, proc.err
    return proc


def test_full_disk_keeps_the_report_and_the_history(tmp_path, db):
    targets = _targets("classpath", tmp_path)
    stored = [scan_json(*targets, db=db) for _ in range(2)]
    # A bigger scan, so that its write cannot fit in the limit: many jars, many rows.
    many = tmp_path / "many"
    for i in range(60):
        make_jar(many / f"lib{i}-1.{i}.jar", [f"com.acme.l{i}.C{k}" for k in range(5)]
                 + [("com.acme.Shared", str(i))], pom=("com.acme", f"lib{i}", f"1.{i}"))
    before = sha256(db)
    # The shared memory index takes 32 KiB; more than that, less than the scan's write.
    proc = _run_with_file_size_limit(["scan", "-cp", f"{many}/*", "--json", "--db", db],
                                     48 * 1024)
    assert proc.returncode == 1
    _check_not_stored(proc, "disk")
    report = json.loads(proc.out)
    assert len(report["views"][0]["entries"]) == 60
    assert sha256(db) == before
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    ids = [s["id"] for s in history(db)]
    assert len(ids) == 2
    for sid, out in zip(reversed(ids), stored):
        assert w("show", str(sid), "--json", db=db).out == out
    # Once there is room again, scans are stored.
    scan_json("-cp", f"{many}/*", db=db)
    assert len(history(db)) == 3


def test_kill_9_during_writes_never_leaves_half_a_scan(tmp_path, db):
    if JAVA_SHARE.is_dir() and len(list(JAVA_SHARE.glob("*.jar"))) > 50:
        targets = ["-cp", f"{JAVA_SHARE}/*"]
    else:
        many = tmp_path / "many"
        for i in range(150):
            make_jar(many / f"lib{i}-1.{i}.jar", [f"com.acme.l{i}.C{k}" for k in range(20)]
                     + [("com.acme.Shared", str(i))], pom=("com.acme", f"lib{i}", f"1.{i}"))
        targets = ["-cp", f"{many}/*"]
    t0 = time.monotonic()
    out = w("scan", *targets, "--json", db=db, rcs=(0, 1)).out
    duration = time.monotonic() - t0
    check_report(json.loads(out))
    complete = {history(db)[0]["id"]: out}

    rng = random.Random(20261127)
    killed = 0
    for _ in range(20):
        proc = subprocess.Popen([WRENCH, "scan", *targets, "--json", "--db", db],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.1) * duration)
        proc.send_signal(signal.SIGKILL)
        killed += proc.wait() == -signal.SIGKILL
    assert killed >= 5, f"only {killed} of 20 runs were killed: raise the delays' spread"

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # Every stored scan is whole: its rows add up to the counts of its scans row.
    partial = con.execute(
        "SELECT id FROM scans s WHERE entries != (SELECT count(*) FROM entries e "
        "WHERE e.scan_id = s.id) OR views != (SELECT count(*) FROM views v "
        "WHERE v.scan_id = s.id)").fetchall()
    assert partial == []
    con.close()
    scans = history(db)
    assert 1 <= len(scans) <= 21
    for s in scans:
        shown = w("show", str(s["id"]), "--json", db=db).out
        check_report(json.loads(shown))
        if s["id"] in complete:
            assert shown == complete[s["id"]]
    # The database still takes new scans.
    scan_json(*targets, db=db)
