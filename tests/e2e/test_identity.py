"""Who a jar is (pom.properties, manifest, file name), shaded copies, and real
Debian jars from /usr/share/java (duplicates, symlinks, logging hints)."""

import os

import pytest

from helpers import conflicts_between, entries, entry_named, make_jar, scan

FILE_NAMES = [
    ("spring-core-5.3.20.RELEASE.jar", "spring-core", "5.3.20.RELEASE"),
    ("guava-31.1-jre.jar", "guava", "31.1-jre"),
    ("log4j-1.2-api-2.17.1.jar", "log4j-1.2-api", "2.17.1"),
    ("myapp-1.0-20230101.123456-1.jar", "myapp", "1.0-20230101.123456-1"),
    ("akka-slf4j_2.12-2.5.32.jar", "akka-slf4j_2.12", "2.5.32"),
    ("guava-r06.jar", "guava", "r06"),
    ("commons-lang3.jar", "commons-lang3", None),
]


@pytest.mark.parametrize("file_name,name,version", FILE_NAMES)
def test_identity_from_the_file_name(tmp_path, file_name, name, version):
    # No pom.properties, no manifest: the file name is the only evidence.
    jar = make_jar(tmp_path / file_name, ["com.example.Only"])
    r = scan("-cp", jar, rcs=(0,))
    art = entries(r)[0]["artifact"]
    assert (art["group"], art["name"], art["version"]) == (None, name, version)
    assert art["evidence"] == "file-name"


def test_identity_from_pom_properties_beats_the_file_name(tmp_path):
    jar = make_jar(tmp_path / "renamed.jar", ["com.acme.x.X"],
                   pom=("com.acme", "real-name", "3.2.1"),
                   manifest={"Implementation-Title": "Other", "Implementation-Version": "9.9"})
    art = entries(scan("-cp", jar, rcs=(0,)))[0]["artifact"]
    assert (art["group"], art["name"], art["version"]) == ("com.acme", "real-name", "3.2.1")
    assert art["evidence"] == "pom.properties"
    assert art["source"] and "META-INF/maven/com.acme/real-name/pom.properties" in art["source"]


def test_identity_from_the_manifest(tmp_path):
    jar = make_jar(tmp_path / "bundle.jar", ["org.acme.thing.T"], manifest={
        "Bundle-SymbolicName": "org.acme.thing;singleton:=true",
        "Bundle-Version": "2.3.4",
    })
    art = entries(scan("-cp", jar, rcs=(0,)))[0]["artifact"]
    assert art["evidence"] == "manifest"
    assert art["version"] == "2.3.4"
    assert art["name"] and ";" not in art["name"]


def test_shaded_jar_counts_as_a_copy_of_the_embedded_artifact(tmp_path):
    shaded = make_jar(tmp_path / "myapp-shaded-1.0.jar",
                      ["com.acme.shaded.App", ("com.google.common.base.Strings", "shaded-30")],
                      pom=("com.acme", "myapp-shaded", "1.0"),
                      embedded_poms=[("com.google.guava", "guava", "30.0-jre")])
    guava = make_jar(tmp_path / "guava-31.1-jre.jar",
                     [("com.google.common.base.Strings", "31"), "com.google.common.collect.Lists"],
                     pom=("com.google.guava", "guava", "31.1-jre"))
    r = scan("-cp", f"{shaded}:{guava}", rcs=(1,))
    e = entries(r)[0]
    assert (e["artifact"]["name"], e["artifact"]["version"]) == ("myapp-shaded", "1.0")
    assert [(a["group"], a["name"], a["version"], a["evidence"]) for a in e["embedded"]] == [
        ("com.google.guava", "guava", "30.0-jre", "pom.properties")]
    assert entries(r)[1]["embedded"] == []

    [d] = r["duplicates"]
    assert d["key"] == "com.google.guava:guava"
    assert d["severity"] == "error" and d["versions_differ"] is True
    assert [(c["entry"], c["version"], c["shaded"]) for c in d["copies"]] == [
        (0, "30.0-jre", True), (1, "31.1-jre", False)]
    [c] = conflicts_between(r, 0, 1)
    assert c["differing_classes"] == ["com.google.common.base.Strings"] and c["winner"] == 0


# ---------------------------------------------------------------- Debian's jars

def test_debian_guava_identity_and_symlink_listed_twice(java_share):
    guava, guava_versioned = java_share("guava.jar", "guava-31.1-jre.jar")
    r = scan("-cp", f"{guava}:{guava_versioned}", rcs=(0,))
    first, second = entries(r)
    art = first["artifact"]
    assert (art["group"], art["name"], art["version"]) == ("com.google.guava", "guava", "31.1-jre")
    assert art["evidence"] == "pom.properties"
    assert first["classes"] > 1000
    if os.path.realpath(guava) != os.path.realpath(guava_versioned):
        pytest.skip("guava-31.1-jre.jar is not a symlink to guava.jar here")
    assert second["status"] == "listed-twice" and second["duplicate_of"] == 0
    assert r["conflicts"] == [] and r["duplicates"] == []


def test_debian_guava_versioned_name_identity(java_share):
    [guava] = java_share("guava-31.1-jre.jar")
    art = entries(scan("-cp", guava, rcs=(0,)))[0]["artifact"]
    assert (art["group"], art["name"], art["version"]) == ("com.google.guava", "guava", "31.1-jre")


def _hint_over(r, a, b):
    return [h for h in r["hints"] if {a, b} <= set(h["entries"])]


def test_debian_two_slf4j_bindings_hint(java_share):
    api, simple, nop = java_share("slf4j-api.jar", "slf4j-simple.jar", "slf4j-nop.jar")
    r = scan("-cp", f"{api}:{simple}:{nop}", rcs=(0, 1))
    hints = [h for h in r["hints"] if h["id"] == "slf4j.multiple-bindings"]
    assert len(hints) == 1
    assert {1, 2} <= set(hints[0]["entries"])
    assert conflicts_between(r, 1, 2), "both bindings hold org.slf4j.impl.StaticLoggerBinder"


def test_debian_log4j_over_slf4j_with_log4j_hint(java_share):
    bridge, log4j = java_share("log4j-over-slf4j.jar", "log4j-1.2.jar")
    r = scan("-cp", f"{bridge}:{log4j}", rcs=(0, 1))
    assert _hint_over(r, 0, 1), f"no hint over both jars: {r['hints']}"
    assert conflicts_between(r, 0, 1)


def test_debian_jcl_over_slf4j_with_commons_logging_hint(java_share):
    bridge, jcl = java_share("jcl-over-slf4j.jar", "commons-logging.jar")
    r = scan("-cp", f"{bridge}:{jcl}", rcs=(0, 1))
    assert _hint_over(r, 0, 1), f"no hint over both jars: {r['hints']}"
    assert entry_named(r, "commons-logging.jar")["real_path"] == os.path.realpath(jcl)
