"""Fixtures of wrench's end-to-end tests.

Jars are made at test time, never committed:
- real_jars: compiled with javac and packed with jar from testdata/ (once per
  session: a JVM start costs about a second);
- synthetic jars: built per test with helpers.make_jar & co. (zipfile), fast
  and exact about names, contents and compression;
- hostile files: crafted byte by byte (helpers.with_* and the fixtures below).

Run with: WRENCH=/abs/build/wrench /usr/bin/python3 -m pytest -q tests/e2e
"""

import os
import pathlib
import shutil
import subprocess
import types
import zipfile

import pytest

import helpers

BOMB_BYTES = 300 << 20  # over wrench's 256 MiB cap on an inflated nested jar


@pytest.fixture
def jvms():
    """jvms(args, cwd, log) starts a helpers.Jvm (waited for until it prints "started"); each
    one is stopped when the test ends, whatever happens."""
    started = []
    yield lambda *a: started.append(helpers.Jvm(*a)) or started[-1]
    for j in started:
        j.stop()


def pytest_sessionstart(session):
    if not (os.path.isfile(helpers.WRENCH) and os.access(helpers.WRENCH, os.X_OK)):
        raise pytest.UsageError(
            f"wrench binary not found at {helpers.WRENCH}: run `make` or set WRENCH=/abs/path")


def _run(cmd, cwd=None):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="session")
def real_jars(tmp_path_factory):
    """Jars compiled from testdata/: the demo application (testdata/demo/build.sh)
    and a real multi-release jar (base classes for Java 8, Platform again for 11)."""
    if shutil.which("javac") is None or shutil.which("jar") is None:
        pytest.fail("javac/jar missing: run scripts/deps.sh (openjdk-17-jdk-headless)")
    base = tmp_path_factory.mktemp("real")
    demo = base / "demo"
    _run(["sh", str(helpers.ROOT / "testdata" / "demo" / "build.sh"), str(demo)])

    src = helpers.ROOT / "testdata" / "fixtures" / "mrjar"
    classes8 = base / "mr8"
    classes11 = base / "mr11"
    _run(["javac", "--release", "8", "-d", str(classes8)]
         + sorted(str(p) for p in (src / "base").rglob("*.java")))
    _run(["javac", "--release", "11", "-d", str(classes11)]
         + sorted(str(p) for p in (src / "java11").rglob("*.java")))
    mrjar = base / "mr-platform-1.0.jar"
    _run(["jar", "--create", "--file", str(mrjar), "-C", str(classes8), ".",
          "--release", "11", "-C", str(classes11), "."])
    # The same base Platform class in a plain jar, to conflict with the MR jar.
    plain = base / "plain-platform-1.0.jar"
    _run(["jar", "--create", "--file", str(plain), "-C", str(classes8),
          "com/acme/mr/Platform.class"])
    return types.SimpleNamespace(
        demo=demo,
        demo_classpath=(demo / "classpath").read_text(),
        mrjar=str(mrjar),
        plain_platform=str(plain),
    )


def _bomb_boot_jar(path):
    """A Spring Boot jar whose BOOT-INF/lib/bomb.jar is 300 MiB of zeros, deflated
    to about 300 KB, next to a good nested jar."""
    good = helpers.jar_bytes(["com.acme.good.Fine"], pom=("com.acme", "good", "1.0"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("META-INF/MANIFEST.MF", helpers.manifest_text({
            "Main-Class": "org.springframework.boot.loader.JarLauncher",
            "Start-Class": "com.acme.app.Application",
            "Spring-Boot-Classes": "BOOT-INF/classes/",
            "Spring-Boot-Lib": "BOOT-INF/lib/",
        }))
        z.writestr("BOOT-INF/classes/com/acme/app/Application.class",
                   helpers.class_bytes("com.acme.app.Application"))
        info = zipfile.ZipInfo("BOOT-INF/lib/good-1.0.jar", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, good)
        info = zipfile.ZipInfo("BOOT-INF/lib/bomb.jar", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = bytes(1 << 20)
        with z.open(info, "w") as f:
            for _ in range(BOMB_BYTES // len(chunk)):
                f.write(chunk)
    return str(path)


@pytest.fixture(scope="session")
def zip_bombs(tmp_path_factory):
    """Two Boot jars with a nested zip bomb: one honest about its 300 MiB, and a
    copy whose central directory and local header claim 1 MiB, so that only
    inflating shows the truth."""
    base = tmp_path_factory.mktemp("bombs")
    honest = _bomb_boot_jar(base / "bomb-app.jar")
    lying = base / "lying-app.jar"
    shutil.copyfile(honest, lying)
    lying.write_bytes(helpers.with_declared_size(lying.read_bytes(),
                                                 "BOOT-INF/lib/bomb.jar", 1 << 20))
    return types.SimpleNamespace(honest=honest, lying=str(lying))


@pytest.fixture
def java_share():
    """Debian's /usr/share/java (libguava-java & co.); tests skip without it."""
    base = pathlib.Path("/usr/share/java")
    if not base.is_dir():
        pytest.skip("/usr/share/java not present")

    def need(*names):
        missing = [n for n in names if not (base / n).exists()]
        if missing:
            pytest.skip("Debian jars not installed: " + ", ".join(missing))
        return [str(base / n) for n in names]

    return need


@pytest.fixture(scope="session", autouse=True)
def _wrench_db(tmp_path_factory):
    """Every scan is stored (docs/store.md): keep the tests' scans out of the default database."""
    os.environ["WRENCH_DB"] = str(tmp_path_factory.mktemp("store") / "wrench.db")
    # the JSON report is also built as a tree and compared, by `wrench serve` too (report_json.h)
    os.environ.setdefault("WRENCH_REPORT_CHECK", "1")
