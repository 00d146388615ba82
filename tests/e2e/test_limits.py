"""Linear-time limits (issue 13): inputs whose size decides the work. Each test builds an
input that would take minutes (or gigabytes) if a step were quadratic, runs wrench under a
generous timeout, and asserts that it completed and reported the limit it hit. No test
asserts a timing.

The reports here are large (tens of thousands of entries), so they are checked by a light
reader of their own instead of helpers.check_report, whose per-entry problem lookup is
itself quadratic in Python."""
import json
import os
import pathlib
import string
import zipfile

import pytest

import helpers
from helpers import jar_bytes, make_jar, manifest_text, run

TIMEOUT = 600  # generous: minutes of headroom under ASan on a shared machine
VIEW_LIMIT = 20000  # READER_MAX_VIEW_ENTRIES in wrench/reader.h


def scan_big(*args, env=None):
    proc = run(["scan", *args, "--json", "--no-db", "--fail-on", "never"], env=env,
               timeout=TIMEOUT)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.err[-2000:]}"
    r = json.loads(proc.out)
    assert r["summary"]["entries"] == sum(len(v["entries"]) for v in r["views"])
    for v in r["views"]:
        assert [e["index"] for e in v["entries"]] == list(range(len(v["entries"])))
    return r


def short_names(n):
    """n distinct short jar names: 1-3 characters of [0-9a-zA-Z] + ".j"."""
    alphabet = string.digits + string.ascii_letters
    out = []
    for i in range(n):
        s = ""
        while True:
            s = alphabet[i % 62] + s
            i //= 62
            if not i:
                break
        out.append(s)
    return out


def test_class_path_of_200000_missing_names(tmp_path):
    """One jar whose manifest Class-Path names 200,000 jars that do not exist (the manifest
    stays under its 1 MiB cap). Before issue 13 this took 455 s and 1.4 GB."""
    names = short_names(200_000)
    class_path = " ".join(names)
    text = manifest_text({"Main-Class": "com.acme.Main", "Class-Path": class_path})
    assert len(text) < (1 << 20)
    app = tmp_path / "app.jar"
    with zipfile.ZipFile(app, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", text)
        z.writestr("com/acme/Main.class", helpers.class_bytes("com.acme.Main"))
    r = scan_big("--jar", app)
    ents = r["views"][0]["entries"]
    assert len(ents) == VIEW_LIMIT
    assert ents[0]["path"] == str(app) and ents[0]["status"] == "ok"
    missing = [e for e in ents[1:] if e["status"] == "missing"]
    assert len(missing) == VIEW_LIMIT - 1
    # Class-Path order is kept
    assert [os.path.basename(e["path"]) for e in ents[1:4]] == names[:3]
    [cap] = [p for p in r["problems"] if "not followed" in p["message"]]
    assert f"{200_000 - (VIEW_LIMIT - 1)} Class-Path item(s) not followed" in cap["message"]
    assert "limit" in cap["message"]
