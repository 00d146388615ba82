"""The other targets: --jar (manifest Class-Path, Spring Boot fat jars), --war, --dir."""

import json
import os
import zipfile

import pytest

from helpers import (conflicts_between, entries, entry_named, jar_bytes, make_boot_jar,
                     make_exploded_war, make_jar, make_war, problems_naming, scan)


# ---------------------------------------------------------------- --jar + Class-Path

def test_executable_jar_follows_its_manifest_class_path(tmp_path):
    make_jar(tmp_path / "app" / "lib" / "a.jar", ["com.acme.a.A"],
             manifest={"Class-Path": "dep.jar"})
    make_jar(tmp_path / "app" / "lib" / "dep.jar", ["com.acme.dep.Dep"])
    make_jar(tmp_path / "shared" / "s.jar", ["com.acme.s.S"])
    make_jar(tmp_path / "app" / "lib" / "my lib.jar", ["com.acme.space.Space"])
    app = make_jar(tmp_path / "app" / "app.jar", ["com.acme.Main"], manifest={
        "Main-Class": "com.acme.Main",
        "Class-Path": "lib/a.jar ../shared/s.jar lib/my%20lib.jar lib/gone.jar",
    })
    r = scan("--jar", app, rcs=(0,))
    view = r["views"][0]
    assert view["target_kind"] == "jar"
    ents = entries(r)
    assert ents[0]["path"] == app and ents[0]["main_class"] == "com.acme.Main"
    assert ents[0]["status"] == "ok" and ents[0]["kind"] == "jar"

    a = entry_named(r, "a.jar")
    s = entry_named(r, "s.jar")
    space = entry_named(r, "my lib.jar")
    dep = entry_named(r, "dep.jar")
    gone = entry_named(r, "gone.jar")
    for e, real in ((a, "app/lib/a.jar"), (s, "shared/s.jar"), (space, "app/lib/my lib.jar"),
                    (dep, "app/lib/dep.jar")):
        assert e["status"] == "ok" and e["classes"] == 1, e
        assert e["real_path"] == str((tmp_path / real).resolve())
        assert e["order_defined"] is True
    for e in (a, s, space, gone):
        assert e["origin"].startswith("Class-Path of") and "app.jar" in e["origin"]
    assert dep["origin"].startswith("Class-Path of") and "a.jar" in dep["origin"]
    # Class-Path order is loader order.
    assert a["index"] < s["index"] < space["index"]
    assert gone["status"] == "missing"
    assert problems_naming(r, "gone.jar")


@pytest.mark.parametrize("shape", ["pair", "self"])
def test_class_path_loop_is_reported_without_hanging(tmp_path, shape):
    if shape == "pair":
        a = make_jar(tmp_path / "a.jar", ["com.acme.A"], manifest={"Class-Path": "b.jar"})
        make_jar(tmp_path / "b.jar", ["com.acme.B"], manifest={"Class-Path": "a.jar"})
    else:
        a = make_jar(tmp_path / "a.jar", ["com.acme.A"], manifest={"Class-Path": "a.jar"})
    r = scan("--jar", a, rcs=(0,))
    ok = [e for e in entries(r) if e["status"] == "ok"]
    names = sorted(os.path.basename(e["path"]) for e in ok)
    assert names == (["a.jar", "b.jar"] if shape == "pair" else ["a.jar"])
    assert r["conflicts"] == [] and r["duplicates"] == []
    loop = [p for p in r["problems"]
            if p["severity"] == "info" and ("a.jar" in p["path"] + p["message"]
                                            or "b.jar" in p["path"] + p["message"])]
    assert loop, "the Class-Path loop is not reported: " + json.dumps(r["problems"])


def test_class_path_naming_a_directory_as_a_jar_is_unreadable(tmp_path):
    (tmp_path / "x.jar").mkdir()
    app = make_jar(tmp_path / "app.jar", ["com.acme.Main"],
                   manifest={"Main-Class": "com.acme.Main", "Class-Path": "x.jar good.jar"})
    make_jar(tmp_path / "good.jar", ["com.acme.Good"])
    r = scan("--jar", app, rcs=(0, 1))
    x = entry_named(r, "x.jar")
    assert x["status"] == "unreadable" and x["problem"]
    assert [p["severity"] for p in problems_naming(r, "x.jar")] == ["warning"]
    assert entry_named(r, "good.jar")["classes"] == 1


# ---------------------------------------------------------------- Spring Boot

def _boot_libs():
    a = jar_bytes([("com.acme.shared.Clash", "a"), "com.acme.a.OnlyA",
                   ("com.acme.app.Shadowed", "lib")], pom=("com.acme", "a", "1.0"))
    b = jar_bytes([("com.acme.shared.Clash", "b"), "com.acme.b.OnlyB"],
                  pom=("com.acme", "b", "1.0"))
    return [("a-1.0.jar", a), ("b-1.0.jar", b)]


def test_boot_jar_with_classpath_idx_follows_the_index(tmp_path):
    boot = make_boot_jar(tmp_path / "app.jar",
                         ["com.acme.app.Application", "com.acme.app.Shadowed"],
                         libs=_boot_libs(), idx=["b-1.0.jar", "a-1.0.jar"])
    r = scan("--jar", boot, rcs=(1,))
    view = r["views"][0]
    assert view["target_kind"] == "boot-jar"
    ents = entries(r)
    assert ents[0]["kind"] == "archive-directory"
    assert ents[0]["path"].startswith(boot + "!/") and "BOOT-INF/classes" in ents[0]["path"]
    assert ents[0]["classes"] == 2
    libs = ents[1:]
    assert [e["path"] for e in libs] == [boot + "!/BOOT-INF/lib/b-1.0.jar",
                                         boot + "!/BOOT-INF/lib/a-1.0.jar"]
    for e in libs:
        assert e["kind"] == "nested-jar" and e["status"] == "ok"
        assert e["origin"] == "BOOT-INF/lib" and e["order_defined"] is True
    assert libs[1]["artifact"]["name"] == "a" and libs[1]["artifact"]["version"] == "1.0"
    # The loader classes of Spring Boot itself are not on the application's classpath.
    assert all("org.springframework.boot.loader" not in json.dumps(c) for c in r["conflicts"])

    [clash] = conflicts_between(r, 1, 2)
    assert clash["winner"] == 1 and clash["winner_undefined"] is False
    assert clash["winner_path"].endswith("!/BOOT-INF/lib/b-1.0.jar")
    assert clash["differing_classes"] == ["com.acme.shared.Clash"]
    [shadow] = conflicts_between(r, 0, 2)
    assert shadow["winner"] == 0, "BOOT-INF/classes comes before every lib"
    assert "BOOT-INF/classes" in shadow["title"], shadow["title"]


def test_boot_jar_without_classpath_idx_follows_the_archive_order(tmp_path):
    # Without classpath.idx, Spring Boot's launcher adds BOOT-INF/lib jars in the
    # archive's entry order: defined, though not alphabetical (b is written first here).
    boot = make_boot_jar(tmp_path / "app.jar",
                         ["com.acme.app.Application", "com.acme.app.Shadowed"],
                         libs=list(reversed(_boot_libs())), idx=None)
    r = scan("--jar", boot, rcs=(1,))
    ents = entries(r)
    assert ents[0]["kind"] == "archive-directory"
    libs = ents[1:]
    assert [os.path.basename(e["path"]) for e in libs] == ["b-1.0.jar", "a-1.0.jar"]
    assert all(e["order_defined"] is True for e in libs)
    assert "archive" in r["views"][0]["note"]
    [clash] = [c for c in r["conflicts"] if c["entries"] == [1, 2]]
    assert clash["winner"] == 1 and clash["winner_undefined"] is False
    assert clash["winner_path"].endswith("b-1.0.jar")
    assert "app.jar!/BOOT-INF/classes" not in clash["title"]
    [shadow] = [c for c in r["conflicts"] if 0 in c["entries"]]
    assert shadow["winner"] == 0 and shadow["winner_undefined"] is False
    assert shadow["title"].startswith("app.jar!/BOOT-INF/classes and a-1.0.jar share")


def test_boot_jar_with_deflated_nested_jars(tmp_path):
    boot = make_boot_jar(tmp_path / "app.jar", ["com.acme.app.Application"], libs=_boot_libs(),
                         idx=["a-1.0.jar", "b-1.0.jar"], lib_compression=zipfile.ZIP_DEFLATED)
    r = scan("--jar", boot, rcs=(1,))
    libs = entries(r)[1:]
    assert [e["status"] for e in libs] == ["ok", "ok"]
    assert [e["classes"] for e in libs] == [3, 2]
    [clash] = conflicts_between(r, 1, 2)
    assert clash["winner_path"].endswith("a-1.0.jar")


# ---------------------------------------------------------------- wars

def _war_parts():
    a = jar_bytes([("com.acme.Shared", "lib"), ("com.acme.Dup", "a")], pom=("com.acme", "a", "1.0"))
    b = jar_bytes([("com.acme.Dup", "b"), "com.acme.b.B"], pom=("com.acme", "b", "1.0"))
    servlet = jar_bytes([("javax.servlet.Servlet", "api"), ("com.acme.Dup", "provided")],
                        pom=("javax.servlet", "javax.servlet-api", "4.0.1"))
    return dict(classes=["com.acme.web.Home", ("com.acme.Shared", "web")],
                libs=[("a-1.0.jar", a), ("b-1.0.jar", b)],
                provided=[("servlet-api-4.0.1.jar", servlet)])


def _check_war(r, archive):
    view = r["views"][0]
    assert view["target_kind"] == "war"
    ents = entries(r)
    assert ents[0]["kind"] == ("archive-directory" if archive else "directory")
    assert "WEB-INF/classes" in ents[0]["path"] and ents[0]["classes"] == 2
    libs = ents[1:]
    assert sorted(os.path.basename(e["path"]) for e in libs) == ["a-1.0.jar", "b-1.0.jar"]
    for e in libs:
        assert e["kind"] == ("nested-jar" if archive else "jar")
        assert e["status"] == "ok" and e["order_defined"] is False
        assert e["origin"] == "WEB-INF/lib"
    assert len({e["order_group"] for e in libs}) == 1
    a = entry_named(r, "a-1.0.jar")["index"]
    b = entry_named(r, "b-1.0.jar")["index"]
    [shadow] = conflicts_between(r, 0, a)
    assert shadow["winner"] == 0 and shadow["differing_classes"] == ["com.acme.Shared"]
    assert ("WEB-INF/classes" if archive else "classes") in shadow["title"], shadow["title"]
    [dup] = conflicts_between(r, a, b)
    assert dup["winner"] is None and dup["winner_undefined"] is True
    assert dup["differing_classes"] == ["com.acme.Dup"]
    # lib-provided jars are noted, not loaded: never an entry of a conflict.
    assert len(r["conflicts"]) == 2
    assert not any("servlet-api" in e["path"] and e["status"] == "ok" for e in ents)
    noted = json.dumps([view["note"], r["problems"], r["hints"]])
    assert "lib-provided" in noted or "servlet-api-4.0.1.jar" in noted


def test_war_file(tmp_path):
    war = make_war(tmp_path / "shop.war", **_war_parts())
    with zipfile.ZipFile(war) as z:
        assert z.getinfo("WEB-INF/lib/a-1.0.jar").compress_type == zipfile.ZIP_DEFLATED
    _check_war(scan("--war", war, rcs=(1,)), archive=True)


def test_exploded_webapp_directory(tmp_path):
    root = make_exploded_war(tmp_path / "webapps" / "shop", **_war_parts())
    _check_war(scan("--war", root, rcs=(1,)), archive=False)


# ---------------------------------------------------------------- --dir and several views

def test_dir_of_jars_is_an_unordered_group(tmp_path):
    lib = tmp_path / "tomcat" / "lib"
    make_jar(lib / "x.jar", [("org.acme.Clash", "x")])
    make_jar(lib / "y.jar", [("org.acme.Clash", "y")])
    make_jar(lib / "nested" / "z.jar", [("org.acme.Clash", "z")])
    (lib / "catalina.properties").write_text("x=1\n")
    r = scan("--dir", str(lib), rcs=(1,))
    assert r["views"][0]["target_kind"] == "dir"
    ents = entries(r)
    assert sorted(os.path.basename(e["path"]) for e in ents) == ["x.jar", "y.jar"]
    assert all(e["order_defined"] is False for e in ents)
    [c] = r["conflicts"]
    assert c["winner_undefined"] is True and c["severity"] == "error"


def test_each_target_is_its_own_view(tmp_path):
    a = make_jar(tmp_path / "one" / "a.jar", [("com.acme.Shared", "a")])
    make_jar(tmp_path / "two" / "b.jar", [("com.acme.Shared", "b")])
    c = make_jar(tmp_path / "two" / "c.jar", [("com.acme.Shared", "c")])
    r = scan("-cp", a, "--dir", str(tmp_path / "two"), "--jar", c, rcs=(1,))
    assert [v["id"] for v in r["views"]] == [0, 1, 2]
    assert [v["target_kind"] for v in r["views"]] == ["classpath", "dir", "jar"]
    assert r["summary"]["views"] == 3
    # Classes in different views are in different class loaders: only view 1 conflicts.
    assert [c_["view"] for c_ in r["conflicts"]] == [1]
