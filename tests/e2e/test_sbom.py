"""wrench scan --format cyclonedx: the runtime classpath as a CycloneDX 1.5 SBOM.

The checks are written from the CycloneDX 1.5 JSON schema (bom-1.5.schema.json):
the subset of it that wrench emits, with additionalProperties false wherever the
schema has it, so a misspelt or invented field fails here as it would in
Dependency-Track's validator.
"""

import hashlib
import json
import pathlib
import re
import zipfile

import jsonschema

import helpers

HEX64 = "^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$"
PROPERTY = {"type": "object", "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "value": {"type": "string"}}}
COMPONENT_TYPES = ["application", "framework", "library", "container", "platform",
                   "operating-system", "device", "device-driver", "firmware", "file",
                   "machine-learning-model", "data"]
HASH_ALGS = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384",
             "SHA3-512", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3"]
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["bomFormat", "specVersion", "version"],
    "additionalProperties": False,
    "properties": {
        "bomFormat": {"enum": ["CycloneDX"]},
        "specVersion": {"type": "string", "const": "1.5"},
        "serialNumber": {"type": "string", "pattern":
                         "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},
        "version": {"type": "integer"},
        "metadata": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "timestamp": {"type": "string", "format": "date-time"},
                "tools": {"type": "object", "additionalProperties": False,
                          "properties": {"components": {"type": "array",
                                                        "items": {"$ref": "#/$defs/component"}}}},
                "component": {"$ref": "#/$defs/component"},
                "properties": {"type": "array", "items": PROPERTY},
            }},
        "components": {"type": "array", "items": {"$ref": "#/$defs/component"},
                       "uniqueItems": True},
        "dependencies": {"type": "array", "uniqueItems": True, "items": {
            "type": "object", "required": ["ref"], "additionalProperties": False,
            "properties": {"ref": {"type": "string"},
                           "dependsOn": {"type": "array", "uniqueItems": True,
                                         "items": {"type": "string"}}}}},
    },
    "$defs": {
        "component": {
            "type": "object", "required": ["type", "name"], "additionalProperties": False,
            "properties": {
                "type": {"enum": COMPONENT_TYPES},
                "bom-ref": {"type": "string"},
                "group": {"type": "string"},
                "name": {"type": "string"},
                "version": {"type": "string"},
                "purl": {"type": "string"},
                "hashes": {"type": "array", "items": {
                    "type": "object", "required": ["alg", "content"],
                    "additionalProperties": False,
                    "properties": {"alg": {"enum": HASH_ALGS},
                                   "content": {"type": "string", "pattern": HEX64}}}},
                "evidence": {"type": "object", "additionalProperties": False, "properties": {
                    "occurrences": {"type": "array", "items": {
                        "type": "object", "required": ["location"],
                        "additionalProperties": False,
                        "properties": {"bom-ref": {"type": "string"},
                                       "location": {"type": "string"}}}}}},
                "properties": {"type": "array", "items": PROPERTY},
                "components": {"type": "array", "items": {"$ref": "#/$defs/component"},
                               "uniqueItems": True},
            }},
    },
}
PURL = re.compile(r"^pkg:maven/[A-Za-z0-9.\-_~%]+/[A-Za-z0-9.\-_~%]+@[A-Za-z0-9.\-_~%]+$")


def sbom(*args):
    proc = helpers.run(["scan", *args, "--format", "cyclonedx", "--no-db", "--fail-on", "never"])
    assert proc.returncode == 0, proc.err
    bom = json.loads(proc.out)
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(bom))
    assert not errors, [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
    refs = [c["bom-ref"] for c in bom["components"]]
    assert len(refs) == len(set(refs))
    assert bom["dependencies"][0]["dependsOn"] == refs
    return bom


def props(component):
    return {p["name"]: p["value"] for p in component["properties"]}


def by_location(bom):
    return {c["evidence"]["occurrences"][0]["location"]: c for c in bom["components"]}


def test_each_jar_is_a_component_with_purl_digest_and_order(tmp_path):
    a = helpers.make_jar(tmp_path / "lib" / "acme-util-1.0.jar", ["com.acme.util.A"],
                         pom=("com.acme", "acme-util", "1.0"))
    b = helpers.make_jar(tmp_path / "lib" / "no-identity.jar", ["com.acme.B"])
    shaded = helpers.make_jar(tmp_path / "lib" / "fat-2.0.jar", ["com.acme.F"],
                              pom=("com.acme", "fat", "2.0"),
                              embedded_poms=[("com.google.guava", "guava", "31.1-jre")])
    bom = sbom("--classpath", f"{a}:{b}:{shaded}")
    comps = by_location(bom)
    assert list(comps) == [a, b, shaded]
    util = comps[a]
    assert (util["group"], util["name"], util["version"]) == ("com.acme", "acme-util", "1.0")
    assert util["purl"] == "pkg:maven/com.acme/acme-util@1.0"
    assert util["hashes"] == [{"alg": "SHA-256",
                               "content": hashlib.sha256(pathlib.Path(a).read_bytes()).hexdigest()}]
    assert props(util)["wrench:load-order:view-0"] == "1"
    assert props(comps[shaded])["wrench:load-order:view-0"] == "3"
    # Without a known group and version there is no purl to claim.
    assert "purl" not in comps[b] and comps[b]["name"]
    inner = comps[shaded]["components"]
    assert [c["purl"] for c in inner] == ["pkg:maven/com.google.guava/guava@31.1-jre"]
    assert props(inner[0])["wrench:shaded"] == "true"


def test_nested_jars_of_a_boot_jar_are_hashed_inside_the_archive(tmp_path):
    lib = helpers.jar_bytes(["org.lib.L"], pom=("org.lib", "lib", "3.1"))
    boot = helpers.make_boot_jar(tmp_path / "app.jar", ["com.acme.app.Application"],
                                 libs=[("lib-3.1.jar", lib)], idx=["lib-3.1.jar"],
                                 lib_compression=zipfile.ZIP_DEFLATED)
    bom = sbom("--jar", boot)
    nested = [c for c in bom["components"] if c.get("name") == "lib"]
    assert len(nested) == 1
    assert nested[0]["purl"] == "pkg:maven/org.lib/lib@3.1"
    assert nested[0]["hashes"][0]["content"] == hashlib.sha256(lib).hexdigest()
    assert nested[0]["evidence"]["occurrences"][0]["location"].endswith(
        "app.jar!/BOOT-INF/lib/lib-3.1.jar")


def test_a_jar_loaded_by_two_views_is_one_component_with_two_positions(tmp_path):
    common = helpers.make_jar(tmp_path / "common.jar", ["org.c.C"], pom=("org.c", "common", "1"))
    other = helpers.make_jar(tmp_path / "other.jar", ["org.o.O"])
    bom = sbom("--classpath", common, "--classpath", f"{other}:{common}")
    comps = [c for c in bom["components"] if c["name"] == "common"]
    assert len(comps) == 1
    positions = sorted(v for k, v in props(comps[0]).items()
                       if k.startswith("wrench:load-order:"))
    assert positions == ["1", "2"]


def test_debian_jars_get_their_maven_coordinates(tmp_path):
    jars = [p for p in ("/usr/share/java/slf4j-api.jar", "/usr/share/java/commons-lang3.jar")
            if pathlib.Path(p).exists()]
    assert jars, "scripts/deps.sh installs libslf4j-java and libcommons-lang3-java"
    bom = sbom("--classpath", ":".join(jars))
    for c in bom["components"]:
        assert PURL.match(c["purl"]), c["purl"]
        location = c["evidence"]["occurrences"][0]["location"]
        digest = hashlib.sha256(pathlib.Path(location).read_bytes()).hexdigest()
        assert c["hashes"][0]["content"] == digest
    assert any(c["purl"].startswith("pkg:maven/org.slf4j/slf4j-api@") for c in bom["components"])


def test_format_errors_are_usage_errors(tmp_path):
    jar = helpers.make_jar(tmp_path / "a.jar", ["a.A"])
    proc = helpers.run(["scan", "--classpath", jar, "--format", "xml", "--no-db"])
    assert proc.returncode == 2 and "--format takes text, json or cyclonedx" in proc.err
    proc = helpers.run(["scan", "--classpath", jar, "--format", "cyclonedx", "--json", "--no-db"])
    assert proc.returncode == 2 and "give --json a FILE" in proc.err
    report = tmp_path / "r.json"
    proc = helpers.run(["scan", "--classpath", jar, "--format", "cyclonedx", "--json", report,
                        "--no-db", "--fail-on", "never"])
    assert proc.returncode == 0
    assert json.loads(proc.out)["bomFormat"] == "CycloneDX"
    helpers.check_report(json.loads(report.read_text()))
