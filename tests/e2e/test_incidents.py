"""Incidents and the verdict on a real Tomcat 10 whose two webapps fail for two reasons.

/bad's listener throws (IllegalStateException caused by IllegalArgumentException), /typo's
web.xml names a listener class that does not exist (ClassNotFoundException). Tomcat writes
each exception to localhost.<date>.log and "One or more listeners failed to start" and
"Context [/x] startup failed" to catalina.out. wrench must give one incident per webapp, with
the exception as its root cause (never the critical wrapper), and a verdict naming both
contexts with their causes; the text report leads with it, and a stored scan gives the same.
"""

import json
import os
import re

import pytest

import helpers
import tomcat

TYPO_WEB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<!-- A webapp whose web.xml misspells its listener class: ClassNotFoundException. -->
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
  <listener>
    <listener-class>com.example.web.FailingListenr</listener-class>
  </listener>
</web-app>
"""


def add_typo_webapp(base):
    web_inf = base / "webapps" / "typo" / "WEB-INF"
    web_inf.mkdir(parents=True)
    (web_inf / "web.xml").write_text(TYPO_WEB_XML)


@pytest.fixture(scope="module")
def two_failed(tmp_path_factory):
    server = tomcat.start(tmp_path_factory.mktemp("catalina-base"), add_typo_webapp)
    server.stop()
    out = server.catalina_out.read_text()
    assert "Context [/bad] startup failed" in out and "Context [/typo] startup failed" in out
    return server


def by_id(report, key):
    return {item["id"]: item for item in report[key]}


def check_two_webapps(r, base):
    findings = by_id(r, "findings")
    incidents = by_id(r, "incidents")
    webapps = {i["name"]: i for i in r["incidents"] if i["subject"] == "webapp"}
    assert set(webapps) == {"/bad", "/typo"}, json.dumps(r["incidents"], indent=1)

    bad, typo = webapps["/bad"], webapps["/typo"]
    for inc in (bad, typo):
        assert inc["impact"] == "webapp"
        assert inc["what"] == "webapp " + inc["name"]
        rules = [findings[f]["rule"] for f in inc["findings"]]
        # The wrapper and the context line are evidence, never the cause.
        assert "tomcat.listeners-failed" in rules and "tomcat.context-startup-failed" in rules
        cause = findings[inc["cause"]]
        assert cause["rule"] not in ("tomcat.listeners-failed", "tomcat.context-startup-failed")
        assert inc["severity"] == cause["severity"] == "error"
        # Evidence from both files: the cause in localhost.<date>.log, the failure in
        # catalina.out.
        files = {os.path.basename(e["path"]) for f in inc["findings"]
                 for e in findings[f]["evidence"] if e["kind"] == "log"}
        assert "catalina.out" in files
        assert any(re.fullmatch(r"localhost\.\d{4}-\d\d-\d\d\.log", n) for n in files), files
        assert inc["hint"]

    assert findings[bad["cause"]]["rule"] == "tomcat.listener-exception"
    assert "context parameter shop.db.url is not set" in bad["cause_text"]
    assert "FailingListenr" in typo["cause_text"]
    # Each cause belongs to its own webapp only.
    assert bad["cause"] not in typo["findings"] and typo["cause"] not in bad["findings"]

    # The verdict names both failures, ranked first, by id and in its text.
    verdict = r["verdict"]
    assert verdict["incidents"] == [bad["id"], typo["id"]], "in the order they failed"
    assert all(i in incidents for i in verdict["incidents"])
    text = verdict["text"]
    assert text == r["summary"]["verdict"]
    assert re.match(r"2 (of \d+ )?webapps failed to start: /bad: ", text), text
    assert text.index("/bad: ") < text.index("shop.db.url") < text.index("; /typo: ") \
        < text.index("FailingListenr"), text
    assert [i["id"] for i in r["incidents"][:2]] == verdict["incidents"]
    return verdict


def test_two_failed_webapps_from_their_logs(two_failed):
    r = helpers.scan("--logs", two_failed.base / "logs", "--no-db")
    assert r["_rc"] == 1
    check_two_webapps(r, two_failed.base)


def test_two_failed_webapps_of_a_tomcat_base(two_failed):
    """With --tomcat the webapps are views too: the verdict counts them."""
    r = helpers.scan("--tomcat", two_failed.base, "--no-db")
    verdict = check_two_webapps(r, two_failed.base)
    webapp_views = [v for v in r["views"] if v["target_kind"] == "war"]
    if len(webapp_views) >= 2:
        assert verdict["text"].startswith(f"2 of {len(webapp_views)} webapps failed to start: ")


def test_text_report_leads_with_the_verdict_and_incidents(two_failed):
    proc = helpers.run(["scan", "--logs", two_failed.base / "logs", "--no-db"])
    assert proc.returncode == 1, proc.err
    lines = proc.out.splitlines()
    verdict = next(i for i, line in enumerate(lines) if line.startswith("Verdict: "))
    assert "/bad: " in lines[verdict] and "/typo: " in lines[verdict]
    assert lines[verdict + 2] == "Incidents:"
    assert lines[verdict + 3].startswith("  1. webapp /bad (error): ")
    second = next(line for line in lines[verdict + 4:] if line.startswith("  2. "))
    assert second.startswith("  2. webapp /typo (error): ") and "FailingListenr" in second
    first_finding = next(i for i, line in enumerate(lines) if line.startswith("CRITICAL "))
    assert first_finding > verdict + 3


def test_stored_scan_gives_the_same_incidents(two_failed, tmp_path):
    db = tmp_path / "w.db"
    r = helpers.scan("--logs", two_failed.base / "logs", "--db", db)
    check_two_webapps(r, two_failed.base)
    proc = helpers.run(["show", "--db", db, "--json"])
    assert proc.returncode == 0, proc.err
    shown = json.loads(proc.out)
    for key in ("findings", "incidents", "verdict"):
        assert shown[key] == r[key], key
