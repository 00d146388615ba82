"""The demo application of testdata/demo, compiled with javac: what scripts/demo.sh
shows must really be in the report, and the script itself must run."""

import os
import subprocess

from helpers import ROOT, WRENCH, conflicts_between, entry_named, scan


def _check_demo(r):
    v1 = entry_named(r, "acme-util-1.0.jar", status="ok")
    v2 = entry_named(r, "acme-util-2.0.jar", status="ok")
    assert (v1["artifact"]["group"], v1["artifact"]["name"], v1["artifact"]["version"]) == (
        "com.acme", "acme-util", "1.0")
    assert v1["artifact"]["evidence"] == "pom.properties"
    assert (v1["classes"], v2["classes"]) == (2, 3)

    # A version conflict: acme-util in 1.0 and 2.0.
    [dup] = [d for d in r["duplicates"] if d["key"] == "com.acme:acme-util"]
    assert dup["severity"] == "error" and dup["versions_differ"] is True
    assert sorted(c["version"] for c in dup["copies"]) == ["1.0", "2.0"]

    # A differing class conflict: 1.0 wins, so Strings.whisper() is missing at run time.
    [c] = conflicts_between(r, v1["index"], v2["index"])
    assert c["severity"] == "error"
    assert c["differing_classes"] == ["com.acme.util.Strings", "com.acme.util.Version"]
    assert c["winner"] == v1["index"]

    # An identical duplicate: acme-common-1.4.jar and plugins/acme-common.jar.
    common = entry_named(r, "acme-common-1.4.jar", status="ok")
    copy = entry_named(r, "acme-common.jar", status="ok")
    [same] = conflicts_between(r, common["index"], copy["index"])
    assert same["severity"] == "info" and same["identical"] == 1
    [dup_common] = [d for d in r["duplicates"] if d["key"] == "com.acme:acme-common"]
    assert dup_common["severity"] == "warning"

    # A jar listed twice: lib/acme-util.jar is a symlink to acme-util-2.0.jar.
    # (Following demo-app.jar's Class-Path may list it more than once; each is listed-twice.)
    links = [e for e in r["views"][0]["entries"] if e["path"].endswith("/lib/acme-util.jar")]
    assert links
    for link in links:
        assert link["status"] == "listed-twice" and link["duplicate_of"] == v2["index"]


def test_demo_classpath_shows_every_kind_of_finding(real_jars):
    r = scan("--classpath", real_jars.demo_classpath, rcs=(1,))
    assert r["views"][0]["entries"][0]["main_class"] == "com.acme.app.Main"
    _check_demo(r)


def test_demo_executable_jar_through_its_class_path(real_jars):
    r = scan("--jar", str(real_jars.demo / "app" / "demo-app.jar"), rcs=(1,))
    assert r["views"][0]["target_kind"] == "jar"
    _check_demo(r)


def test_demo_script_runs_and_exits_0(real_jars):
    env = dict(os.environ, WRENCH_DEMO_DIR=str(real_jars.demo))
    env.pop("NO_COLOR", None)
    proc = subprocess.run(["sh", str(ROOT / "scripts" / "demo.sh"), WRENCH], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "acme-util-1.0.jar" in proc.stdout
    assert "wrench exited with 1" in proc.stdout
