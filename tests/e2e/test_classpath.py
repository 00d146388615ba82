"""`wrench scan --classpath`: entries, loader order, conflicts and duplicates."""

import os
import warnings

import pytest

from helpers import conflicts_between, entries, make_class_dir, make_jar, problems_naming, scan


def cp(*parts):
    return ":".join(str(p) for p in parts)


@pytest.mark.parametrize("order", ["ab", "ba"])
def test_differing_class_is_an_error_and_the_first_jar_wins(tmp_path, order):
    a = make_jar(tmp_path / "alpha.jar", [("com.acme.Shared", "a"), "com.acme.OnlyA"])
    b = make_jar(tmp_path / "beta.jar", [("com.acme.Shared", "b"), "com.acme.OnlyB"])
    first, second = (a, b) if order == "ab" else (b, a)
    r = scan("--classpath", cp(first, second), rcs=(1,))

    assert [e["path"] for e in entries(r)] == [first, second]
    assert all(e["status"] == "ok" and e["kind"] == "jar" for e in entries(r))
    assert all(e["order_defined"] for e in entries(r))
    [c] = r["conflicts"]
    assert c["severity"] == "error"
    assert c["entries"] == [0, 1]
    assert (c["shared"], c["identical"], c["differing"], c["unknown"]) == (1, 0, 1, 0)
    assert c["winner"] == 0 and c["winner_path"] == first and c["winner_undefined"] is False
    assert c["differing_classes"] == ["com.acme.Shared"]
    assert c["sample_classes"] == ["com.acme.Shared"]


def test_identical_class_in_two_jars_is_info(tmp_path):
    a = make_jar(tmp_path / "one.jar", ["com.acme.Same", "com.acme.Also"], variant="x")
    b = make_jar(tmp_path / "two.jar", ["com.acme.Same", "com.acme.Also"], variant="x")
    r = scan("-cp", cp(a, b), rcs=(0,))
    [c] = r["conflicts"]
    assert c["severity"] == "info"
    assert (c["shared"], c["identical"], c["differing"]) == (2, 2, 0)
    assert c["differing_classes"] == [] and c["differing_classes_total"] == 0
    assert c["winner"] == 0


def test_conflicts_are_grouped_by_the_set_of_jars(tmp_path):
    a = make_jar(tmp_path / "a.jar", [("p.X", 1), ("p.Y", 1), ("p.Z", 1)])
    b = make_jar(tmp_path / "b.jar", [("p.X", 2), ("p.Y", 1)])
    c = make_jar(tmp_path / "c.jar", [("p.Z", 3)])
    r = scan("-cp", cp(a, b, c), rcs=(1,))
    ab = conflicts_between(r, 0, 1)
    ac = conflicts_between(r, 0, 2)
    assert len(r["conflicts"]) == 2 and len(ab) == 1 and len(ac) == 1
    assert (ab[0]["shared"], ab[0]["identical"], ab[0]["differing"]) == (2, 1, 1)
    assert ab[0]["differing_classes"] == ["p.X"]
    assert ab[0]["sample_classes"] == ["p.X", "p.Y"]
    assert ac[0]["differing_classes"] == ["p.Z"]


def test_differing_copies_of_the_same_artifact_version_are_a_warning(tmp_path):
    # Two builds of com.acme:tool:1.0 whose classes differ (a rebuilt snapshot).
    a = make_jar(tmp_path / "tool-1.0.jar", ["com.acme.tool.Main"], variant="build1",
                 pom=("com.acme", "tool", "1.0"))
    b = make_jar(tmp_path / "copy" / "tool-1.0.jar", ["com.acme.tool.Main"], variant="build2",
                 pom=("com.acme", "tool", "1.0"))
    r = scan("-cp", cp(a, b), rcs=(0,))
    [c] = r["conflicts"]
    assert c["severity"] == "warning" and c["differing"] == 1
    [d] = r["duplicates"]
    assert d["key"] == "com.acme:tool" and d["severity"] == "warning"


def test_duplicate_artifact_in_two_versions_is_an_error(tmp_path):
    # Disjoint classes: a duplicate artifact without any class conflict.
    a = make_jar(tmp_path / "lib" / "acme-util-1.0.jar", ["com.acme.v1.Old"],
                 pom=("com.acme", "acme-util", "1.0"))
    b = make_jar(tmp_path / "lib" / "acme-util-2.0.jar", ["com.acme.v2.New"],
                 pom=("com.acme", "acme-util", "2.0"))
    r = scan("-cp", cp(a, b), rcs=(1,))
    assert r["conflicts"] == []
    [d] = r["duplicates"]
    assert d["key"] == "com.acme:acme-util"
    assert d["severity"] == "error" and d["versions_differ"] is True
    assert [(cp_["entry"], cp_["version"], cp_["shaded"]) for cp_ in d["copies"]] == [
        (0, "1.0", False), (1, "2.0", False)]
    assert "1.0" in d["title"] and "2.0" in d["title"]


def test_duplicate_artifact_same_version_is_a_warning(tmp_path):
    a = make_jar(tmp_path / "a" / "acme-util-1.0.jar", ["com.acme.Util"], variant="same",
                 pom=("com.acme", "acme-util", "1.0"))
    b = make_jar(tmp_path / "b" / "util-copy.jar", ["com.acme.Util"], variant="same",
                 pom=("com.acme", "acme-util", "1.0"))
    r = scan("-cp", cp(a, b), rcs=(0,))
    [d] = r["duplicates"]
    assert d["severity"] == "warning" and d["versions_differ"] is False
    assert [c["version"] for c in d["copies"]] == ["1.0", "1.0"]
    [c] = r["conflicts"]
    assert c["severity"] == "info"


def test_duplicate_artifact_known_by_file_name_only(tmp_path):
    a = make_jar(tmp_path / "x" / "foo-1.0.jar", ["foo.A"])
    b = make_jar(tmp_path / "y" / "foo-1.1.jar", ["foo.B"])
    r = scan("-cp", cp(a, b), rcs=(1,))
    [d] = r["duplicates"]
    assert d["key"] == "foo" and d["severity"] == "error"
    assert [c["version"] for c in d["copies"]] == ["1.0", "1.1"]


def test_module_info_package_info_and_resources_never_conflict(tmp_path):
    mf = {"Multi-Release": "true"}
    files_a = [("config/app.properties", b"a=1\n"), ("META-INF/services/x.Y", b"a.Impl\n"),
               ("META-INF/versions/9/module-info.class", b"\xca\xfe\xba\xbe mi9 a")]
    files_b = [("config/app.properties", b"b=2\n"), ("META-INF/services/x.Y", b"b.Impl\n"),
               ("META-INF/versions/9/module-info.class", b"\xca\xfe\xba\xbe mi9 b")]
    a = make_jar(tmp_path / "a.jar", ["module-info", "com.acme.package-info", "com.acme.A"],
                 variant="a", manifest=mf, files=files_a)
    b = make_jar(tmp_path / "b.jar", ["module-info", "com.acme.package-info", "com.acme.B"],
                 variant="b", manifest=mf, files=files_b)
    r = scan("-cp", cp(a, b), rcs=(0,))
    assert r["conflicts"] == []
    assert entries(r)[0]["classes"] == 1 and entries(r)[1]["classes"] == 1


def test_wildcard_expands_to_an_unordered_group_of_jars(tmp_path):
    lib = tmp_path / "lib"
    make_jar(lib / "a.jar", [("com.acme.Shared", "a")])
    make_jar(lib / "b.jar", [("com.acme.Shared", "b")])
    make_jar(lib / "UPPER.JAR", ["com.acme.Upper"])
    (lib / "notes.txt").write_text("not a jar\n")
    make_jar(lib / "sub" / "deeper.jar", ["com.acme.Deeper"])  # not recursive
    r = scan("--classpath", f"{lib}/*", rcs=(1,))

    ents = entries(r)
    assert sorted(os.path.basename(e["path"]) for e in ents) == ["UPPER.JAR", "a.jar", "b.jar"]
    assert all(e["listed_as"] == f"{lib}/*" for e in ents)
    assert all(e["order_defined"] is False for e in ents)
    assert len({e["order_group"] for e in ents}) == 1
    assert r["views"][0]["note"]
    [c] = r["conflicts"]
    assert c["severity"] == "error"
    assert c["winner"] is None and c["winner_path"] is None and c["winner_undefined"] is True


def test_wildcard_after_an_ordered_jar_keeps_a_defined_winner(tmp_path):
    first = make_jar(tmp_path / "first.jar", [("com.acme.Shared", "first")])
    lib = tmp_path / "lib"
    make_jar(lib / "a.jar", [("com.acme.Shared", "a")])
    make_jar(lib / "b.jar", [("com.acme.Shared", "b")])
    r = scan("-cp", cp(first, f"{lib}/*"), rcs=(1,))
    ents = entries(r)
    assert ents[0]["path"] == first and ents[0]["order_defined"] is True
    assert ents[0]["order_group"] != ents[1]["order_group"]
    assert ents[1]["order_group"] == ents[2]["order_group"]
    [c] = r["conflicts"]
    assert c["entries"] == [0, 1, 2]
    assert c["winner"] == 0 and c["winner_path"] == first and c["winner_undefined"] is False


def test_missing_entry_is_reported_and_the_rest_scanned(tmp_path):
    good = make_jar(tmp_path / "good.jar", ["com.acme.Good", "com.acme.Better"])
    missing = str(tmp_path / "missing-1.0.jar")
    r = scan("-cp", cp(missing, good), rcs=(0,))
    ents = entries(r)
    assert len(ents) == 2
    assert ents[0]["status"] == "missing" and ents[0]["problem"]
    assert ents[0]["classes"] == 0
    assert [p["severity"] for p in problems_naming(r, "missing-1.0.jar")] == ["warning"]
    assert ents[1]["status"] == "ok" and ents[1]["classes"] == 2


def test_empty_classpath_elements_are_ignored(tmp_path):
    a = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    b = make_jar(tmp_path / "b.jar", ["com.acme.B"])
    r = scan("-cp", f":{a}::{b}:", rcs=(0,))
    assert [e["path"] for e in entries(r)] == [a, b]
    assert r["problems"] == []


def test_directory_is_a_class_root(tmp_path):
    classes = make_class_dir(tmp_path / "classes", ["com.acme.Shared", "com.acme.app.Main",
                                                    "com.acme.app.Main$1"],
                             variant="dir", files=[("app.properties", b"x=1\n")])
    jar = make_jar(tmp_path / "lib.jar", [("com.acme.Shared", "jar")])
    r = scan("-cp", cp(classes, jar), rcs=(1,))
    d = entries(r)[0]
    assert d["kind"] == "directory" and d["status"] == "ok"
    assert d["classes"] == 3
    [c] = r["conflicts"]
    assert c["winner"] == 0 and c["winner_path"] == d["path"]
    assert c["differing_classes"] == ["com.acme.Shared"]


def test_counts_main_class_and_duplicate_zip_entries(tmp_path):
    path = tmp_path / "counted.jar"
    make_jar(path, ["com.acme.A", "com.acme.B", "com.acme.B$Inner"],
             pom=("com.acme", "counted", "1.0"), manifest={"Main-Class": "com.acme.A"})
    r = scan("-cp", str(path), rcs=(0,))
    e = entries(r)[0]
    assert e["classes"] == 3
    assert e["zip_entries"] == 5  # manifest + 3 classes + pom.properties
    assert e["main_class"] == "com.acme.A"
    assert e["multi_release"] is False
    assert r["summary"]["classes"] == 3


def test_same_name_twice_inside_one_jar_is_not_a_conflict(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        path = make_jar(tmp_path / "twice.jar", ["com.acme.A"],
                        files=[("com/acme/A.class", b"\xca\xfe\xba\xbe other copy")])
    r = scan("-cp", path, rcs=(0,))
    assert r["conflicts"] == []
    assert entries(r)[0]["classes"] == 1


def test_same_jar_twice_on_the_classpath_is_listed_twice_not_a_conflict(tmp_path):
    a = make_jar(tmp_path / "a-1.0.jar", ["com.acme.A"], pom=("com.acme", "a", "1.0"))
    b = make_jar(tmp_path / "b.jar", ["com.acme.B"])
    r = scan("-cp", cp(a, b, a), rcs=(0,))
    ents = entries(r)
    assert [e["status"] for e in ents] == ["ok", "ok", "listed-twice"]
    assert ents[2]["duplicate_of"] == 0 and ents[2]["problem"]
    assert r["conflicts"] == [] and r["duplicates"] == []
    assert [p["severity"] for p in problems_naming(r, "a-1.0.jar")] == ["info"]


def test_symlink_to_a_jar_on_the_classpath_is_listed_twice(tmp_path):
    a = make_jar(tmp_path / "lib" / "acme-2.0.jar", ["com.acme.A"], pom=("com.acme", "acme", "2.0"))
    link = tmp_path / "lib" / "acme.jar"
    link.symlink_to("acme-2.0.jar")
    r = scan("-cp", cp(a, link), rcs=(0,))
    ents = entries(r)
    assert ents[1]["path"] == str(link)
    assert ents[1]["status"] == "listed-twice" and ents[1]["duplicate_of"] == 0
    assert ents[0]["real_path"] == ents[1]["real_path"] == os.path.realpath(a)
    assert r["conflicts"] == [] and r["duplicates"] == []


def test_symbolic_links_in_a_jar_directory_resolve_like_realpath(tmp_path):
    """A dir/* wildcard resolves each link cheaply when it names a file beside it (reader's
    real_path_in); every other link goes through realpath(): the same real paths either way."""
    lib = tmp_path / "lib"
    a = make_jar(lib / "acme-2.0.jar", ["com.acme.A"])
    other = make_jar(tmp_path / "elsewhere" / "other-1.0.jar", ["com.other.O"])
    (lib / "acme.jar").symlink_to("acme-2.0.jar")           # beside it
    (lib / "chain.jar").symlink_to("acme.jar")              # a link to a link
    (lib / "other.jar").symlink_to("../elsewhere/other-1.0.jar")
    (lib / "dangling.jar").symlink_to("missing-1.0.jar")
    r = scan("-cp", f"{lib}/*", rcs=(0, 1))
    by_name = {os.path.basename(e["path"]): e for e in entries(r)}
    assert set(by_name) == {"acme-2.0.jar", "acme.jar", "chain.jar", "other.jar", "dangling.jar"}
    for name in ("acme-2.0.jar", "acme.jar", "chain.jar"):
        assert by_name[name]["real_path"] == os.path.realpath(a), name
    assert by_name["other.jar"]["real_path"] == os.path.realpath(other)
    assert by_name["other.jar"]["status"] == "ok"
    assert by_name["dangling.jar"]["status"] == "missing"
    statuses = sorted(by_name[n]["status"] for n in ("acme-2.0.jar", "acme.jar", "chain.jar"))
    assert statuses == ["listed-twice", "listed-twice", "ok"]


def test_relative_and_absolute_names_of_one_jar_are_listed_twice(tmp_path):
    a = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    r = scan("-cp", f"a.jar:{a}:./a.jar", rcs=(0,), cwd=tmp_path)
    ents = entries(r)
    assert [e["status"] for e in ents] == ["ok", "listed-twice", "listed-twice"]
    assert ents[0]["path"] == a, "paths are reported absolute"
    assert ents[0]["listed_as"] == "a.jar"
    assert r["conflicts"] == []


def test_multi_release_jar_overlays_its_own_classes(real_jars):
    r = scan("-cp", real_jars.mrjar, rcs=(0,))
    e = entries(r)[0]
    assert e["multi_release"] is True
    assert e["classes"] == 2  # Platform (base + versions/11) and Helper
    assert r["conflicts"] == []


def test_multi_release_jar_conflicts_with_another_jar_once(real_jars):
    r = scan("-cp", cp(real_jars.mrjar, real_jars.plain_platform), rcs=(0, 1))
    [c] = r["conflicts"]
    assert c["entries"] == [0, 1] and c["shared"] == 1
    assert c["sample_classes"] == ["com.acme.mr.Platform"]


def test_synthetic_multi_release_versions_never_conflict_with_the_base(tmp_path):
    mr = make_jar(tmp_path / "mr.jar", [("com.acme.C", "base")],
                  manifest={"Multi-Release": "true"},
                  files=[("META-INF/versions/11/com/acme/C.class", b"\xca\xfe\xba\xbe v11"),
                         ("META-INF/versions/17/com/acme/C.class", b"\xca\xfe\xba\xbe v17")])
    r = scan("-cp", mr, rcs=(0,))
    e = entries(r)[0]
    assert e["multi_release"] is True and e["classes"] == 1
    assert r["conflicts"] == []


def test_versioned_entries_of_a_jar_that_is_not_multi_release_are_ignored(tmp_path):
    notmr = make_jar(tmp_path / "notmr.jar", ["com.acme.Base"],
                     files=[("META-INF/versions/11/com/acme/Other.class", b"\xca\xfe\xba\xbe 11")])
    other = make_jar(tmp_path / "other.jar", [("com.acme.Other", "plain")])
    r = scan("-cp", cp(notmr, other), rcs=(0,))
    e = entries(r)[0]
    assert e["multi_release"] is False
    assert e["classes"] == 1
    assert r["conflicts"] == []
