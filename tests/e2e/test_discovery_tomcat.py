"""`wrench scan` without targets finds a real Tomcat (issue 4).

A Debian Tomcat 10 (tests/e2e/tomcat.py) runs a CATALINA_BASE with two webapps: /good,
whose WEB-INF/lib/greeter-2.0.jar differs from the common loader's greeter-1.0.jar in
CATALINA_BASE/lib (its listener needs 2.0: it starts only because Tomcat loads a
webapp's own classes first), and /bad, whose listener throws (test_logs.py's), with a
copy of greeter-1.0.jar identical to the common loader's. wrench must find the JVM with
and without --pid; then Tomcat is stopped by pid and the dead-service path (a services
file, the conventional places under --root) must find the same files.
"""

import json
import os
import shutil
import types
import zipfile

import pytest

import helpers
import tomcat

JVM_SRC = helpers.ROOT / "testdata" / "jvm"
NO_ENV = {"WRENCH_CONFIG": "", "CATALINA_BASE": "", "CATALINA_HOME": "", "WRENCH_APP": ""}
COMMON = "Tomcat common loader"
GREETER = "com.example.greeter.Greeter"


def _greeter_jar(path, classes, version):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", helpers.manifest_text({}))
        z.write(classes / "com/example/greeter/Greeter.class", "com/example/greeter/Greeter.class")
        z.writestr("META-INF/maven/com.example/greeter/pom.properties",
                   helpers.pom_properties("com.example", "greeter", version))
    return path


def _add_webapps(base):
    """greeter 1.0 in the common loader and in /bad, greeter 2.0 in /good, and /good's
    listener compiled against 2.0."""
    classes = {}
    for version in ("1.0", "2.0"):
        classes[version] = base.parent / f"greeter-{version}-classes"
        tomcat.javac(["--release", "11", "-d", classes[version],
                      *tomcat.sources(JVM_SRC / f"greeter-{version}")])
    common = _greeter_jar(base / "lib" / "greeter-1.0.jar", classes["1.0"], "1.0")
    (base / "webapps" / "bad" / "WEB-INF" / "lib").mkdir()
    shutil.copy(common, base / "webapps" / "bad" / "WEB-INF" / "lib" / "greeter-1.0.jar")
    shutil.copytree(tomcat.SRC / "extra-webapps" / "good", base / "webapps" / "good")
    good = base / "webapps" / "good" / "WEB-INF"
    _greeter_jar(good / "lib" / "greeter-2.0.jar", classes["2.0"], "2.0")
    tomcat.javac(["--release", "11", "-cp", f"{tomcat.SERVLET_API}:{classes['2.0']}",
                  "-d", good / "classes", *tomcat.sources(tomcat.SRC / "extra-src")])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The running Tomcat (started once: a start costs a few seconds), stopped by pid
    when the module is done or when dead_server asks."""
    base = tmp_path_factory.mktemp("tomcat-discovery") / "base"
    base.mkdir()
    t = tomcat.start(base, _add_webapps)
    yield t
    t.stop()


@pytest.fixture(scope="module")
def running(server):
    """The scans of the running Tomcat, with --pid and without, made before any test
    stops it."""
    return types.SimpleNamespace(by_pid=helpers.scan("--pid", server.pid, "--no-db", rcs=(1,)),
                                 every=helpers.scan("--no-db", rcs=(1,)))


@pytest.fixture(scope="module")
def dead_server(server, running):
    """The same Tomcat stopped by pid: its files stay."""
    server.stop()
    assert not server.running
    return server


def _service(report, pid):
    [svc] = [s for s in report["discovery"]["services"] if s["pid"] == pid]
    return svc


def _views(report, svc):
    """The service's views by name, each checked to be one of its webapps."""
    views = {}
    for v in svc["views"]:
        view = report["views"][v]
        assert view["name"] not in views, f"two views named {view['name']}"
        views[view["name"]] = view
    return views


def _rel(path, base):
    return os.path.relpath(path, base) if path.startswith(str(base) + "/") else path


def _layout(view, base):
    """A view's entries as (path relative to the base, origin): comparable between a
    running and a dead service, and between the base and a root that links to it."""
    return [(_rel(e["path"], base), e["origin"]) for e in view["entries"]]


def check_views(report, svc, base, common_listed_twice=False):
    """One view per webapp, each its own entries then the common loader; the conflict of
    greeter 2.0 (webapp) and 1.0 (common) in /good, the webapp's copy winning; /bad's copy
    of 1.0 identical to the common one; nothing shared between the two webapps. With
    common_listed_twice, common loader entries may be listed twice (base == home)."""
    views = _views(report, svc)
    assert sorted(views) == ["webapp bad", "webapp good"]
    for name, view in views.items():
        webapp = base / "webapps" / name.split()[1]
        assert view["target"] == str(webapp)
        origins = [e["origin"] for e in view["entries"]]
        own = [o for o in origins if o != COMMON]
        assert origins[:len(own)] == own and own, \
            f"{name}: the common loader must come after the webapp's own entries: {origins}"
        assert origins.count(COMMON) >= 2, f"{name}: no common loader entries"
        paths = [e["path"] for e in view["entries"]]
        assert paths[0] == str(webapp / "WEB-INF" / "classes")
        assert all(p.startswith(str(webapp) + "/") for p in paths[:len(own)])
        assert str(base / "lib" / "greeter-1.0.jar") in paths[len(own):]
        for e in view["entries"]:
            twice = common_listed_twice and e["origin"] == COMMON
            assert e["status"] == "ok" or (twice and e["status"] == "listed-twice"), e

    ids = {name: view["id"] for name, view in views.items()}
    good_lib = base / "webapps" / "good" / "WEB-INF" / "lib" / "greeter-2.0.jar"
    bad_lib = base / "webapps" / "bad" / "WEB-INF" / "lib" / "greeter-1.0.jar"
    common = base / "lib" / "greeter-1.0.jar"
    [conflict] = [c for c in report["conflicts"] if c["view"] == ids["webapp good"]]
    assert conflict["paths"] == [str(good_lib), str(common)]
    assert conflict["winner_path"] == str(good_lib) and not conflict["winner_undefined"]
    assert conflict["differing_classes"] == [GREETER]
    assert conflict["severity"] == "error"
    [same] = [c for c in report["conflicts"] if c["view"] == ids["webapp bad"]]
    assert same["paths"] == [str(bad_lib), str(common)]
    assert same["differing"] == 0 and same["identical"] == 1 and same["severity"] == "info"
    # Each webapp has its own loader: greeter 2.0 of /good never meets 1.0 of /bad.
    for c in report["conflicts"]:
        if c["view"] in ids.values():
            assert not (str(good_lib) in c["paths"] and str(bad_lib) in c["paths"])
    return views


def _localhost_log(base):
    [log] = sorted((base / "logs").glob("localhost.*.log"))
    return log


def _logs_read(report, base):
    """The names of the files read under base/logs, as often as they were read."""
    return sorted(os.path.basename(f["path"]) for f in report["logs"]["files"]
                  if f["path"].startswith(str(base / "logs") + "/"))


def check_listener_failure(report, svc, base):
    """The failing listener of /bad with its root cause, correlated with its class in
    the service's view of /bad."""
    localhost = str(_localhost_log(base))
    found = [f for f in report["logs"]["findings"] if f["rule"] == "tomcat.listener-exception"
             and f["file"] == localhost]
    assert found, "no tomcat.listener-exception finding: " + json.dumps(
        [(f["rule"], f["file"]) for f in report["logs"]["findings"]])
    for f in found:
        assert f["class"] == "com.example.web.FailingListener"
        assert f["root_cause"] == ("Caused by: java.lang.IllegalArgumentException: "
                                   "context parameter shop.db.url is not set")
        assert f["severity"] == "error" and f["line"] == 1
        assert "missing required setting shop.db.url" in f["sample"]
        [c] = f["correlations"]
        assert c["view"] == _views(report, svc)["webapp bad"]["id"]
        assert c["class"] == "com.example.web.FailingListener"
    return found


def check_logs_read_once(report, svc, base):
    """Each log file read once, each event counted once."""
    names = _logs_read(report, base)
    assert names == sorted(["catalina.out", _localhost_log(base).name]), names
    found = check_listener_failure(report, svc, base)
    assert len(found) == 1 and found[0]["count"] == 1, \
        [(f["file"], f["count"]) for f in found]
    for rule in ("tomcat.listeners-failed", "tomcat.context-startup-failed"):
        [f] = [f for f in report["logs"]["findings"] if f["rule"] == rule]
        assert f["count"] == 1 and f["file"].endswith("catalina.out")


# --------------------------------------------------------------------------
# The running Tomcat


def test_tomcat_started_its_good_webapp_with_the_webapp_copy_of_the_jar(server):
    """Tomcat itself: /good's listener needed greeter 2.0's greet(String, int) and ran,
    so the WEB-INF/lib copy won, as wrench must say; /bad failed."""
    localhost = _localhost_log(server.base).read_text()
    assert "greeting listener: Hello, good webapp Hello, good webapp" in localhost
    out = server.catalina_out.read_text()
    assert "Context [/bad] startup failed" in out and "Context [/good]" not in out


def test_running_tomcat_by_pid(server, running):
    r = running.by_pid
    assert r["discovery"]["source"] == "processes"
    svc = _service(r, server.pid)
    assert svc["kind"] == "tomcat" and svc["running"] is True
    assert svc["origin"] == "running process"
    assert f"-Dcatalina.base={server.base}" in svc["command"]
    check_views(r, svc, server.base)
    logs = server.base / "logs"
    assert str(logs / "catalina.out") in svc["logs"], "the log it holds open"
    # (as a set: test_running_tomcat_logs_are_read_once counts them)
    assert sorted(set(_logs_read(r, server.base))) == sorted(["catalina.out",
                                                            _localhost_log(server.base).name])
    assert all(f["kind"] == "tomcat" and f["complete"] for f in r["logs"]["files"])
    check_listener_failure(r, svc, server.base)
    assert any(f["name"] == f"max heap of pid {server.pid}" for f in r["environment"]["facts"])
    assert "listener" in r["summary"]["verdict"]


def test_running_tomcat_logs_are_read_once(server, running):
    r = running.by_pid
    check_logs_read_once(r, _service(r, server.pid), server.base)


def test_running_tomcat_without_pid(server, running):
    """Every JVM of the machine is a target: only this one is looked at."""
    r = running.every
    svc = _service(r, server.pid)
    assert svc["kind"] == "tomcat" and svc["running"] is True
    check_views(r, svc, server.base)
    assert sorted(set(_logs_read(r, server.base))) == sorted(["catalina.out",
                                                            _localhost_log(server.base).name])
    check_listener_failure(r, svc, server.base)


# --------------------------------------------------------------------------
# The same files once Tomcat is stopped


def _config(tmp_path, base):
    conf = tmp_path / "wrench.conf"
    conf.write_text(json.dumps({"services": [{
        "name": "shop", "kind": "tomcat",
        "paths": {"catalina_base": str(base), "catalina_home": str(tomcat.HOME)}}]}))
    return conf


def test_dead_tomcat_from_the_services_file(dead_server, running, tmp_path):
    base = dead_server.base
    r = helpers.scan("--no-processes", "--config", _config(tmp_path, base), "--no-db",
                     rcs=(1,), env=NO_ENV)
    d = r["discovery"]
    assert d["source"] == "config"
    [svc] = d["services"]
    assert svc["name"] == "shop" and svc["kind"] == "tomcat"
    assert svc["running"] is False and svc["pid"] is None
    views = check_views(r, svc, base)
    for view in views.values():
        assert str(tomcat.HOME / "lib" / "catalina.jar") in [e["path"] for e in view["entries"]]
    # The same views, entry for entry, as the running Tomcat's.
    running_svc = _service(running.by_pid, dead_server.pid)
    assert {n: _layout(v, base) for n, v in views.items()} == \
        {n: _layout(v, base) for n, v in _views(running.by_pid, running_svc).items()}
    assert sorted(os.path.basename(p) for p in svc["logs"]) == \
        sorted(["catalina.out", _localhost_log(base).name])
    check_logs_read_once(r, svc, base)
    assert "running Java processes: not looked at" in d["not_found"]


def test_dead_tomcat_text_report_shows_its_last_lines(dead_server, tmp_path):
    base = dead_server.base
    p = helpers.run(["scan", "--no-processes", "--config", _config(tmp_path, base), "--no-db"],
                    env=NO_ENV)
    assert p.returncode == 1, p.err
    assert "Found tomcat service shop (config" in p.out and "not running" in p.out, p.out[:2000]
    out_log = base / "logs" / "catalina.out"
    assert f"{out_log}: the service is not running; its last lines:" in p.out, p.out
    last = out_log.read_text().splitlines()[-1]
    assert "    | " + last[:80] in p.out, f"the last line of catalina.out:\n{last}\n{p.out}"


def _conventional_scan(tmp_path, base):
    """A root whose /usr/local/tomcat (the official image's place) links to the base,
    scanned with no services file and no environment naming a service."""
    root = tmp_path / "root"
    (root / "usr" / "local").mkdir(parents=True)
    (root / "usr" / "local" / "tomcat").symlink_to(base)
    r = helpers.scan("--no-processes", "--root", root, "--no-db", rcs=(1,), env=NO_ENV)
    return r, root / "usr" / "local" / "tomcat"


def test_dead_tomcat_in_the_conventional_place(dead_server, tmp_path):
    base = dead_server.base
    r, seen = _conventional_scan(tmp_path, base)
    d = r["discovery"]
    tomcats = [s for s in d["services"] if s["kind"] == "tomcat"]
    assert len(tomcats) == 1, d
    [svc] = tomcats
    assert svc["running"] is False and svc["pid"] is None
    assert svc["origin"] == "conventional place"
    assert r["discovery"]["source"] == "conventional place"
    # No lib/catalina.jar there: the base is its own home (as in the official image), so
    # the default common.loader names its lib twice (test_..._collapsed below).
    check_views(r, svc, seen, common_listed_twice=True)
    assert sorted(os.path.basename(p) for p in svc["logs"]) == \
        sorted(["catalina.out", _localhost_log(base).name])
    check_logs_read_once(r, svc, seen)


def test_dead_tomcat_in_the_conventional_place_has_its_common_loader_collapsed(dead_server,
                                                                             tmp_path):
    r, seen = _conventional_scan(tmp_path, dead_server.base)
    [svc] = r["discovery"]["services"]
    check_views(r, svc, seen)
    assert r["problems"] == []
