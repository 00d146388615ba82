"""`wrench scan` without targets: it finds the Java services itself (issue 4).

Real JVMs are started from a class compiled at test time (testdata/jvm-discovery),
found through /proc, and stopped by pid; then the dead-service path (services file,
conventional places) is checked on the same files. Container limits come from the
fixture cgroup trees in testdata/cgroup.
"""
import subprocess
import zipfile

import pytest

from helpers import ROOT, jar_bytes, make_jar, run, scan


@pytest.fixture(scope="session")
def sleeper(tmp_path_factory):
    """The compiled Sleeper class: (class dir, class bytes)."""
    out = tmp_path_factory.mktemp("sleeper")
    subprocess.run(["javac", "--release", "11", "-d", str(out),
                    str(ROOT / "testdata" / "jvm-discovery" / "Sleeper.java")], check=True)
    return out, (out / "Sleeper.class").read_bytes()


def _app(tmp_path):
    """Two versions of one library whose classes differ: the conflict discovery must find."""
    lib = tmp_path / "lib"
    a = make_jar(lib / "acme-util-1.0.jar", [("com.acme.util.Strings", "1")],
                 pom=("com.acme", "acme-util", "1.0"))
    b = make_jar(lib / "acme-util-2.0.jar", [("com.acme.util.Strings", "2")],
                 pom=("com.acme", "acme-util", "2.0"))
    return a, b


def _executable_app(tmp_path, sleeper_class):
    """_app's two libraries and app/app.jar, an executable jar (the Sleeper its main class)
    whose Class-Path lists them: (app.jar, 1.0, 2.0)."""
    a, b = _app(tmp_path)
    app = make_jar(tmp_path / "app" / "app.jar", manifest={
        "Main-Class": "Sleeper",
        "Class-Path": "../lib/acme-util-1.0.jar ../lib/acme-util-2.0.jar"},
        files=[("Sleeper.class", sleeper_class)])
    return app, a, b


def _service(report, pid):
    [svc] = [s for s in report["discovery"]["services"] if s["pid"] == pid]
    return svc


def test_a_running_classpath_jvm_is_found_with_its_classpath_and_open_log(tmp_path, sleeper, jvms):
    classes, _ = sleeper
    a, b = _app(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    jvm = jvms(["-Xmx64m", f"-Dsleeper.log={logs / 'app.log'}", "-cp",
                f"{classes}:lib/acme-util-1.0.jar:lib/acme-util-2.0.jar", "Sleeper"],
               tmp_path, tmp_path / "stdout.log")
    r = scan("--pid", jvm.pid, "--no-db", rcs=(1,))
    svc = _service(r, jvm.pid)
    assert svc["running"] is True and svc["kind"] == "classpath" and svc["name"] == "Sleeper"
    assert str(logs / "app.log") in svc["logs"]
    view = r["views"][svc["views"][0]]
    # relative classpath items resolve against the JVM's working directory
    assert [e["path"] for e in view["entries"]][1:] == [a, b]
    [c] = [c for c in r["conflicts"] if c["differing"]]
    assert c["winner_path"] == a
    assert any(f["name"].startswith(f"max heap of pid {jvm.pid}") and f["value"].startswith("64 MiB")
               for f in r["environment"]["facts"])
    assert r["logs"] and any(f["path"] == str(logs / "app.log") for f in r["logs"]["files"])


def test_without_pid_every_java_process_is_a_target(tmp_path, sleeper, jvms):
    classes, _ = sleeper
    _app(tmp_path)
    one = jvms(["-cp", f"{classes}:lib/acme-util-1.0.jar", "Sleeper"], tmp_path, tmp_path / "1.log")
    two = jvms(["-cp", f"{classes}:lib/acme-util-2.0.jar", "Sleeper"], tmp_path, tmp_path / "2.log")
    r = scan("--no-db")
    ours = [s for s in r["discovery"]["services"] if s["pid"] in (one.pid, two.pid)]
    assert len(ours) == 2
    views = {v for s in ours for v in s["views"]}
    assert len(views) == 2
    # one view per process: the two versions are never a conflict with each other (other
    # JVMs running on the machine may have conflicts of their own: not looked at here)
    assert not [c for c in r["conflicts"] if c["differing"] and c["view"] in views]


def test_an_executable_jar_jvm_is_scanned_through_its_class_path(tmp_path, sleeper, jvms):
    _, sleeper_class = sleeper
    app, a, b = _executable_app(tmp_path, sleeper_class)
    jvm = jvms(["-jar", "app/app.jar"], tmp_path, tmp_path / "stdout.log")
    r = scan("--pid", jvm.pid, "--no-db", rcs=(1,))
    svc = _service(r, jvm.pid)
    assert svc["kind"] == "jar" and svc["name"] == "app.jar"
    view = r["views"][svc["views"][0]]
    assert [e["path"] for e in view["entries"]] == [app, a, b]


def test_a_boot_style_fat_jar_jvm_is_scanned_in_classpath_idx_order(tmp_path, sleeper, jvms):
    _, sleeper_class = sleeper
    lib1 = jar_bytes([("com.acme.util.Strings", "1")], pom=("com.acme", "acme-util", "1.0"))
    lib2 = jar_bytes([("com.acme.util.Strings", "2")], pom=("com.acme", "acme-util", "2.0"))
    boot = tmp_path / "boot.jar"
    # Boot's layout, with the Sleeper standing in for Spring Boot's launcher at the root
    with zipfile.ZipFile(boot, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: Sleeper\n"
                   "Spring-Boot-Classes: BOOT-INF/classes/\nSpring-Boot-Lib: BOOT-INF/lib/\n"
                   "Spring-Boot-Classpath-Index: BOOT-INF/classpath.idx\n")
        z.writestr("Sleeper.class", sleeper_class)
        z.writestr("BOOT-INF/classes/com/acme/app/Application.class", b"\xca\xfe\xba\xbeapp")
        z.writestr(zipfile.ZipInfo("BOOT-INF/lib/acme-util-1.0.jar"), lib1)
        z.writestr(zipfile.ZipInfo("BOOT-INF/lib/acme-util-2.0.jar"), lib2)
        z.writestr("BOOT-INF/classpath.idx",
                   '- "BOOT-INF/lib/acme-util-2.0.jar"\n- "BOOT-INF/lib/acme-util-1.0.jar"\n')
    jvm = jvms(["-jar", str(boot)], tmp_path, tmp_path / "stdout.log")
    r = scan("--pid", jvm.pid, "--no-db", rcs=(1,))
    svc = _service(r, jvm.pid)
    view = r["views"][svc["views"][0]]
    assert view["target_kind"] == "boot-jar"
    [c] = [c for c in r["conflicts"] if c["differing"]]
    assert c["winner_path"].endswith("BOOT-INF/lib/acme-util-2.0.jar")


def test_a_dead_service_is_found_from_the_services_file(tmp_path, sleeper, jvms):
    classes, sleeper_class = sleeper
    app, a, b = _executable_app(tmp_path, sleeper_class)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text(
        "2026-11-27 02:19:18,123 ERROR [main] o.s.boot.SpringApplication - Application run failed\n"
        "java.lang.NoSuchMethodError: 'java.lang.String com.acme.util.Strings.whisper(java.lang.String)'\n"
        "\tat com.acme.app.Main.main(Main.java:16)\n")
    conf = tmp_path / "wrench.conf"
    conf.write_text('{"services": [{"name": "shop", "kind": "jar", "paths": {"jar": "%s"},'
                    ' "logs": ["%s/*.log"]}]}' % (app, logs))
    r = scan("--no-processes", "--config", conf, "--no-db", rcs=(1,))
    d = r["discovery"]
    assert d["source"] == "config"
    [svc] = d["services"]
    assert svc["name"] == "shop" and svc["running"] is False and svc["pid"] is None
    assert str(logs / "app.log") in svc["logs"]
    [f] = [f for f in r["logs"]["findings"] if f["class"]]
    assert f["correlations"] and f["correlations"][0]["copies_differ"] is True
    assert "running Java processes: not looked at" in d["not_found"]


def test_an_invalid_services_file_is_a_clear_error(tmp_path):
    conf = tmp_path / "wrench.conf"
    conf.write_text('{"services": [{"name": "x", "kind": "jar", "paths": {"jar": "relative.jar"}}]}')
    p = run(["scan", "--no-processes", "--config", conf, "--no-db"])
    assert p.returncode == 2 and str(conf) in p.err


def test_the_conventional_places_are_searched_under_the_root(tmp_path, sleeper):
    _, sleeper_class = sleeper
    root = tmp_path / "root"
    make_jar(root / "app" / "service.jar", manifest={"Main-Class": "Sleeper"},
             files=[("Sleeper.class", sleeper_class)])
    r = scan("--no-processes", "--root", root, "--no-db", env={"WRENCH_CONFIG": "",
                                                              "CATALINA_BASE": "",
                                                              "CATALINA_HOME": "",
                                                              "WRENCH_APP": ""})
    [svc] = r["discovery"]["services"]
    assert svc["kind"] == "jar" and svc["running"] is False
    assert any("/app/service.jar" in e for e in svc["evidence"]) or svc["name"] == "service.jar"


def test_nothing_found_says_where_it_looked(tmp_path):
    p = run(["scan", "--no-processes", "--root", tmp_path, "--no-db"],
            env={"WRENCH_CONFIG": "", "CATALINA_BASE": "", "CATALINA_HOME": "", "WRENCH_APP": ""})
    assert p.returncode == 2
    assert "no Java service found" in p.err and "/usr/local/tomcat" in p.err


def _cgroup_v2_tree(root, limit, oom_kills):
    """A cgroup v2 mount whose root carries the limit: wrench falls back to the mount root
    when the process's own cgroup path is not visible in it, as in most containers."""
    root.mkdir()
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (root / "memory.max").write_text(f"{limit}\n")
    (root / "memory.current").write_text("104857600\n")
    (root / "memory.events").write_text(f"low 0\nhigh 0\nmax 3\noom 2\noom_kill {oom_kills}\n")
    (root / "cpu.max").write_text("50000 100000\n")
    return root


def test_container_limits_against_the_heap(tmp_path, sleeper, jvms):
    classes, _ = sleeper
    cgroup = _cgroup_v2_tree(tmp_path / "cgroup", 512 << 20, 2)
    jvm = jvms(["-Xmx1g", "-cp", str(classes), "Sleeper"], tmp_path, tmp_path / "stdout.log")
    r = scan("--pid", jvm.pid, "--cgroup-root", cgroup, "--no-db", rcs=(1,))
    facts = {f["name"]: f["value"] for f in r["environment"]["facts"]}
    assert facts.get("cgroup") == "v2" and facts.get("memory limit") == "512 MiB"
    assert facts.get("CPU") == "0.50 cores"
    ids = {f["id"] for f in r["environment"]["findings"]}
    assert "memory-heap-exceeds-limit" in ids, r["environment"]
    assert "container-oom-kills" in ids, r["environment"]


def test_container_facts_of_a_dead_service_from_fixture_trees(tmp_path):
    app = make_jar(tmp_path / "app.jar", ["com.acme.A"], pom=("com.acme", "a", "1.0"))
    conf = tmp_path / "wrench.conf"
    conf.write_text('{"services": [{"name": "a", "kind": "jar", "paths": {"jar": "%s"}}]}' % app)
    fixture = ROOT / "testdata" / "cgroup" / "v2"
    r = scan("--no-processes", "--config", conf, "--proc-root", fixture / "proc",
             "--cgroup-root", fixture / "fs", "--no-db", rcs=(1,))
    facts = {f["name"]: f["value"] for f in r["environment"]["facts"]}
    assert facts["memory limit"] == "512 MiB" and facts["OOM kills"] == "2"
    assert facts["open files limit"] == "1024"
    ids = {f["id"] for f in r["environment"]["findings"]}
    assert {"container-oom-kills", "open-files-limit-low"} <= ids


def test_an_explicit_target_gets_the_container_checks_too(tmp_path):
    """--jar names the service, discovery is skipped, the container is still checked."""
    app = make_jar(tmp_path / "app.jar", ["com.acme.A"], pom=("com.acme", "a", "1.0"))
    fixture = ROOT / "testdata" / "cgroup" / "v2"
    r = scan("--jar", app, "--proc-root", fixture / "proc", "--cgroup-root", fixture / "fs",
             "--no-db", rcs=(1,))
    facts = {f["name"]: f["value"] for f in r["environment"]["facts"]}
    assert facts["memory limit"] == "512 MiB" and facts["OOM kills"] == "2"
    assert "container-oom-kills" in {f["id"] for f in r["environment"]["findings"]}

def test_the_real_machine_cgroups_read_without_error(tmp_path, sleeper, jvms):
    classes, _ = sleeper
    jvm = jvms(["-cp", str(classes), "Sleeper"], tmp_path, tmp_path / "stdout.log")
    r = scan("--pid", jvm.pid, "--no-db", rcs=(0, 1))
    assert any(f["name"] == "cgroup" for f in r["environment"]["facts"])


def test_an_unknown_pid_is_a_usage_error():
    p = run(["scan", "--pid", "999999", "--no-db"])
    assert p.returncode == 2 and "999999" in p.err
    p = run(["scan", "--pid", "abc", "--no-db"])
    assert p.returncode == 2


def test_a_dead_service_logs_where_its_logback_configuration_says(tmp_path):
    logs = tmp_path / "var" / "log" / "shop"
    logs.mkdir(parents=True)
    (logs / "shop.log").write_text(
        "2026-11-27 02:19:18,123 ERROR [main] o.s.boot.SpringApplication - Application run failed\n"
        "java.lang.OutOfMemoryError: Metaspace\n")
    logback = ('<configuration><property name="LOG_DIR" value="%s"/>'
               '<appender name="F" class="ch.qos.logback.core.FileAppender">'
               '<file>${LOG_DIR}/shop.log</file></appender>'
               '<appender name="G"><file>${UNSET_DIR_FOR_TEST}/other.log</file></appender>'
               '</configuration>' % logs)
    boot = tmp_path / "shop.jar"
    with zipfile.ZipFile(boot, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: "
                   "org.springframework.boot.loader.JarLauncher\n")
        z.writestr("BOOT-INF/classes/logback.xml", logback)
        z.writestr("BOOT-INF/classes/com/acme/Shop.class", b"\xca\xfe\xba\xbe")
    conf = tmp_path / "wrench.conf"
    conf.write_text('{"services": [{"name": "shop", "kind": "spring-boot", '
                    '"paths": {"jar": "%s"}}]}' % boot)
    r = scan("--no-processes", "--config", conf, "--no-db", rcs=(1,))
    assert [f["path"] for f in r["logs"]["files"]] == [str(logs / "shop.log")]
    assert any("Metaspace" in (f["sample"] or "") for f in r["logs"]["findings"])
    # a path whose variable has no value is named, not guessed
    assert any("${UNSET_DIR_FOR_TEST}/other.log" in p["message"] for p in r["problems"])


def test_loader_path_of_a_properties_launcher_jvm_comes_first(tmp_path, sleeper, jvms):
    _, sleeper_class = sleeper
    ext = tmp_path / "ext"
    ext.mkdir()
    override = make_jar(ext / "acme-util-9.0.jar", [("com.acme.util.Strings", "9")],
                        pom=("com.acme", "acme-util", "9.0"))
    lib1 = jar_bytes([("com.acme.util.Strings", "1")], pom=("com.acme", "acme-util", "1.0"))
    boot = tmp_path / "boot.jar"
    with zipfile.ZipFile(boot, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: Sleeper\n")
        z.writestr("Sleeper.class", sleeper_class)
        z.writestr(zipfile.ZipInfo("BOOT-INF/lib/acme-util-1.0.jar"), lib1)
    jvm = jvms(["-Dloader.path=ext", "-jar", str(boot)], tmp_path, tmp_path / "stdout.log")
    r = scan("--pid", jvm.pid, "--no-db", rcs=(1,))
    view = r["views"][_service(r, jvm.pid)["views"][0]]
    assert view["entries"][0]["path"] == override
    assert view["entries"][0]["origin"] == "loader.path"
    [c] = [c for c in r["conflicts"] if c["differing"] and c["view"] == 0]
    assert c["winner_path"] == override
