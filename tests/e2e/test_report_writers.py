"""The JSON report's two writers (report_json.c) must not drift apart: `scan --json` streams
the report's walk straight to text, report_json_build makes the same walk a jansson tree.
With WRENCH_REPORT_CHECK set, wrench also builds the tree, dumps it with jansson's own
json_dumps and compares the bytes (helpers.run sets it to 1 for every e2e test and fails on
"report writers differ"); here it is 2, so wrench also says how many bytes agreed, and that
count must be the whole of stdout: the check really ran, on this very report.

Real reports: a JVM that died of NoSuchMethodError with its classpath conflict (logs,
findings, correlations, incidents, verdict, Chinese texts), the demo classpath, and jars
whose names are not UTF-8 (repaired to U+FFFD by both writers). The services' state is
compared the same way by every scan of test_state.py.
"""

import json
import os
import re
import shutil

import helpers
from helpers import check_report
from test_logs import dead_shop, jvm  # noqa: F401 (fixtures)

AGREE = re.compile(r"report writers agree on (\d+) bytes")


def _scan_checked(*args):
    proc = helpers.run(["scan", *args, "--json", "--no-db"], env={"WRENCH_REPORT_CHECK": "2"})
    assert proc.returncode in (0, 1), proc.err
    m = AGREE.search(proc.err)
    assert m, f"no writer check in stderr:\n{proc.err}"
    raw = proc.stdout
    assert int(m.group(1)) == len(raw), "the check compared another text than stdout"
    report = json.loads(raw)
    check_report(report, rc=proc.returncode)
    return report


def test_a_dead_service_with_logs_conflicts_and_incidents(jvm, dead_shop):  # noqa: F811
    r = _scan_checked("--jar", jvm.shop, "--logs", dead_shop.parent)
    assert r["conflicts"] and r["duplicates"]
    [f] = [x for x in r["logs"]["findings"] if x["rule"] == "classloading.no-such-method"]
    assert f["correlations"] and f["facts"] is not None and f["locations"]
    assert r["incidents"] and r["findings"] and r["verdict"]["incidents"]
    assert any("title_zh" in x for x in r["findings"])


def test_the_demo_classpath(real_jars):
    r = _scan_checked("--classpath", real_jars.demo_classpath)
    assert r["conflicts"] and r["conflicts"][0]["class_copies"]
    assert r["views"][0]["entries"]


def test_jar_names_that_are_not_utf8(real_jars, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    jars = [p for p in real_jars.demo.rglob("*.jar")]
    assert jars
    for i, src in enumerate(sorted(jars)):
        name = os.fsencode(src.stem) + (b"-\xe9\xff" if i % 2 else b"") + b".jar"
        shutil.copyfile(src, os.path.join(os.fsencode(str(lib)), name))
    r = _scan_checked("--classpath", f"{lib}/*")
    paths = [e["path"] for e in r["views"][0]["entries"]]
    assert any("\ufffd" in p for p in paths), paths
