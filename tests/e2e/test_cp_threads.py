"""One thread or two read the same classpath into the same report (issue 11).

The jar files of a view are read by worker threads and applied in loader order on the
reading thread (reader.c); WRENCH_CP_THREADS=1 reads them on one thread. The JSON reports
of the two must be equal in every field but the scan's own timing (and the cgroup's memory
use, which moves between any two runs): which copy of a class wins, the order of the
conflicts, the duplicates, the hints, the problems. The classpath holds real jars built with
javac and jar: two versions of a library with identical and differing classes, a shaded
copy, a multi-release jar and a plain jar with META-INF/versions/ entries, a manifest
Class-Path, a jar listed twice, a corrupt jar and an empty one, a watched resource; then
Debian's jars (/usr/share/java) after them when present, and the same under a memory budget
that refuses some jars, where a read on the second thread must not decide differently."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from helpers import check_report, run

TWO_THREAD_RUNS = 3  # the threads' interleaving differs from run to run


def _sh(cmd, cwd=None):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"


def _java_sources(root, package, classes, variant, hidden=()):
    """One source file per class; `variant` changes the bytes of every class; classes in
    `hidden` are package-private."""
    d = root / package.replace(".", "/")
    d.mkdir(parents=True, exist_ok=True)
    for c in classes:
        access = "" if c in hidden else "public "
        (d / f"{c}.java").write_text(
            f"package {package};\n{access}class {c} {{\n"
            f"    public static String v() {{ return \"{c}-{variant}\"; }}\n}}\n")


def _compile(src, out, release="8"):
    files = sorted(str(p) for p in src.rglob("*.java"))
    _sh(["javac", "--release", release, "-d", str(out)] + files)


def _jar(path, classes_dir, manifest=None, extra=()):
    cmd = ["jar", "--create", "--file", str(path)]
    if manifest:
        cmd[2:2] = ["--manifest", str(manifest)]
    _sh(cmd + ["-C", str(classes_dir), "."] + list(extra))
    return str(path)


def _manifest(path, lines):
    path.write_text("".join(f"{k}: {v}\n" for k, v in lines.items()))
    return path


def _library(base, name, version, shared_same, shared_diff, own, variant, pom=None):
    """A jar of `name`: classes `shared_same` with fixed bytes, `shared_diff` with bytes of
    `variant`, `own` only here; a pom.properties when `pom` (group, artifact, version)."""
    src = base / f"src-{name}-{version}"
    out = base / f"classes-{name}-{version}"
    _java_sources(src, "com.acme.lib", shared_same, "same")
    _java_sources(src, "com.acme.lib", shared_diff, variant)
    _java_sources(src, f"com.acme.{name.replace('-', '')}", own, variant)
    _compile(src, out)
    if pom:
        meta = out / "META-INF" / "maven" / pom[0] / pom[1]
        meta.mkdir(parents=True)
        (meta / "pom.properties").write_text(
            f"groupId={pom[0]}\nartifactId={pom[1]}\nversion={pom[2]}\n")
    return out


@pytest.fixture(scope="module")
def classpath(tmp_path_factory):
    if shutil.which("javac") is None or shutil.which("jar") is None:
        pytest.fail("javac/jar missing: run scripts/deps.sh (openjdk-17-jdk-headless)")
    base = tmp_path_factory.mktemp("cpthreads")
    same = [f"Same{i}" for i in range(12)]
    diff = [f"Diff{i}" for i in range(8)]
    jars = []
    v1 = _library(base, "acme-util", "1.0", same, diff, ["OnlyOld"], "v1",
                  pom=("com.acme", "acme-util", "1.0"))
    v2 = _library(base, "acme-util", "2.0", same, diff, ["OnlyNew"], "v2",
                  pom=("com.acme", "acme-util", "2.0"))
    jars.append(_jar(base / "acme-util-2.0.jar", v2))
    # A shaded copy: some of the library's classes inside an application jar, with the
    # library's pom as an embedded artifact, and a watched resource.
    shaded = _library(base, "shop-app", "1.0", same[:6], diff[:4], ["Main", "Cart"], "v1",
                      pom=("com.acme", "shop-app", "1.0"))
    util_pom = shaded / "META-INF" / "maven" / "com.acme" / "acme-util"
    util_pom.mkdir(parents=True)
    (util_pom / "pom.properties").write_text(
        "groupId=com.acme\nartifactId=acme-util\nversion=1.0\n")
    (shaded / "logback.xml").write_text("<configuration/>\n")
    mf = _manifest(base / "app.mf", {"Manifest-Version": "1.0", "Main-Class":
                                     "com.acme.shopapp.Main",
                                     "Class-Path": "acme-util-1.0.jar acme-extra-1.0.jar"})
    jars.append(_jar(base / "shop-app-1.0.jar", shaded, manifest=mf))
    # Class-Path targets: one also listed further on (it moves up to after shop-app), one
    # named only there (read by the reading thread, not ahead).
    old = _jar(base / "acme-util-1.0.jar", v1)
    extra = _library(base, "acme-extra", "1.0", same[:3], [], ["Helper"], "x")
    _jar(base / "acme-extra-1.0.jar", extra)
    # A real multi-release jar: Java 8 base classes, Java 11 overlays and a class only in
    # the overlay; then a plain jar holding META-INF/versions/ entries the loader ignores.
    mr_src8, mr_src11 = base / "mr8src", base / "mr11src"
    _java_sources(mr_src8, "com.acme.mr", ["Platform", "Base"], "8")
    # (the jar tool refuses a new public class in an overlay: Only11 is package-private)
    _java_sources(mr_src11, "com.acme.mr", ["Platform", "Only11"], "11", hidden=["Only11"])
    _compile(mr_src8, base / "mr8")
    _compile(mr_src11, base / "mr11", release="11")
    mr = base / "mr-platform-1.0.jar"
    _sh(["jar", "--create", "--file", str(mr), "-C", str(base / "mr8"), ".",
         "--release", "11", "-C", str(base / "mr11"), "."])
    jars.append(str(mr))
    fake = base / "fake-mr"
    shutil.copytree(base / "mr8", fake)
    shutil.copytree(base / "mr11", fake / "META-INF" / "versions" / "11")
    jars.append(_jar(base / "not-mr-1.0.jar", fake))
    jars.append(old)
    # The same file twice (a symbolic link), a corrupt jar and an empty one.
    link = base / "util-link.jar"
    os.symlink(base / "acme-util-2.0.jar", link)
    jars.append(str(link))
    (base / "corrupt-1.0.jar").write_bytes(b"PK\x03\x04 this is not a zip at all" * 40)
    jars.append(str(base / "corrupt-1.0.jar"))
    (base / "empty.jar").write_bytes(b"")
    jars.append(str(base / "empty.jar"))
    # More versions so that the workers have jars to read ahead.
    for k in range(3, 9):
        d = _library(base, "acme-util", f"{k}.0", same, diff, [f"Extra{k}"], f"v{k}",
                     pom=("com.acme", "acme-util", f"{k}.0"))
        jars.append(_jar(base / f"acme-util-{k}.0.jar", d))
    return jars


def _normalized(report):
    """The report without what differs between any two runs: the scan's times and the
    cgroup's memory use at the time."""
    report = json.loads(json.dumps(report))
    for k in ("started", "finished", "duration_ms"):
        report["scan"].pop(k, None)
    env = report.get("environment") or {}
    env["facts"] = [f for f in env.get("facts", []) if f.get("name") != "memory used"]
    return report


def _scan(cp, threads, *extra):
    proc = run(["scan", "--classpath", cp, "--json", "--no-db", "--fail-on", "never", *extra],
               env={"WRENCH_CP_THREADS": str(threads)})
    assert proc.returncode == 0, proc.err
    report = json.loads(proc.out)
    check_report(report)
    return report


def _assert_same_for_one_and_two(cp, *extra):
    one = _normalized(_scan(cp, 1, *extra))
    for _ in range(TWO_THREAD_RUNS):
        two = _normalized(_scan(cp, 2, *extra))
        for key in one:
            assert two[key] == one[key], f"'{key}' differs between one and two threads"
        assert two == one
    return one


def _debian_jars():
    base = pathlib.Path("/usr/share/java")
    return sorted(str(p) for p in base.glob("*.jar")) if base.is_dir() else []


def test_one_and_two_threads_give_the_same_report(classpath):
    report = _assert_same_for_one_and_two(":".join(classpath))
    # The classpath holds what the test is about: otherwise equality would prove little.
    ents = {pathlib.Path(e["path"]).name: e for e in report["views"][0]["entries"]}
    names = [pathlib.Path(e["path"]).name for e in report["views"][0]["entries"]]
    assert names[1:4] == ["shop-app-1.0.jar", "acme-util-1.0.jar", "acme-extra-1.0.jar"]
    assert ents["acme-extra-1.0.jar"]["origin"].startswith("Class-Path of")
    assert ents["acme-extra-1.0.jar"]["classes"] == 4
    assert ents["util-link.jar"]["status"] == "listed-twice"
    assert ents["corrupt-1.0.jar"]["status"] == "corrupt"
    assert ents["mr-platform-1.0.jar"]["multi_release"] is True
    assert ents["not-mr-1.0.jar"]["multi_release"] is False
    assert ents["shop-app-1.0.jar"]["embedded"], "the shaded pom is an embedded artifact"
    assert any(c["differing"] > 0 for c in report["conflicts"])
    assert any(c["identical"] > 0 for c in report["conflicts"])
    assert report["duplicates"], "acme-util in several versions"
    # the Java 11 overlay adds Only11 to the multi-release jar, not to the plain one
    assert ents["mr-platform-1.0.jar"]["classes"] == ents["not-mr-1.0.jar"]["classes"] + 1


def test_with_debian_jars_the_reports_are_the_same(classpath):
    debian = _debian_jars()
    if len(debian) < 8:
        pytest.skip("fewer than 8 jars in /usr/share/java")
    report = _assert_same_for_one_and_two(":".join(classpath + debian))
    assert len(report["views"][0]["entries"]) >= len(classpath) + 8


def test_under_a_tight_memory_budget_the_reports_are_the_same(classpath):
    """A budget that refuses some jars' classes but not all: each decision must be the one
    a single thread makes, whatever the other thread held at the time."""
    cp = ":".join(classpath + _debian_jars())
    report = _assert_same_for_one_and_two(cp, "--max-memory", "1M")
    statuses = [e["status"] for e in report["views"][0]["entries"]]
    assert "too-large" in statuses, "the budget refused nothing: the test proves little"
    assert "ok" in statuses
