"""Log accuracy (issue 10): the facts a finding names (ports, contexts, files, lines,
stale copies, near-miss class names), one count per record however many files Tomcat
wrote it to, and no finding at all for a clean start.

The first test builds a Tomcat base by hand (no JVM); the others run a real Tomcat 10
(tests/e2e/tomcat.py) with Tomcat's stock logging.properties, so that every record goes
both to catalina.out and to catalina.<date>.log, and localhost.<date>.log gets the
webapps' own failures.
"""

import pathlib
import shutil
import signal
import socket
import subprocess
import time

import pytest

import helpers
import tomcat
from helpers import class_bytes, class_path, make_jar, scan

NO_ENV = {"WRENCH_CONFIG": "", "CATALINA_BASE": "", "CATALINA_HOME": "", "WRENCH_APP": ""}


def _findings(report, rule):
    return [f for f in report["logs"]["findings"] if f["rule"] == rule]


def test_stale_copy_and_a_misspelt_class_are_named(tmp_path):
    """WEB-INF/classes holds StringUtils byte for byte as acme-util-1.0.jar (in the
    common loader) has it, and wins over WEB-INF/lib/acme-util-2.0.jar: the conflict and
    the NoSuchMethodError's correlation say it is a stale copy of 1.0. A
    ClassNotFoundException for com.acme.web.StartupListner (sic) names the class one
    edit away."""
    base = tmp_path / "tomcat"
    (base / "conf").mkdir(parents=True)
    (base / "conf" / "server.xml").write_text(
        '<Server port="-1"><Service name="Catalina"><Engine name="Catalina" defaultHost="h">'
        '<Host name="h" appBase="webapps"/></Engine></Service></Server>')
    util = "com.acme.util.StringUtils"
    make_jar(base / "lib" / "acme-util-1.0.jar", [(util, "1.0")],
             pom=("com.acme", "acme-util", "1.0"))
    web = base / "webapps" / "acme" / "WEB-INF"
    make_jar(web / "lib" / "acme-util-2.0.jar", [(util, "2.0")],
             pom=("com.acme", "acme-util", "2.0"))
    stale = web / "classes" / class_path(util)
    stale.parent.mkdir(parents=True)
    stale.write_bytes(class_bytes(util, "1.0"))
    listener = web / "classes" / class_path("com.acme.web.StartupListener")
    listener.parent.mkdir(parents=True)
    listener.write_bytes(class_bytes("com.acme.web.StartupListener", "x"))
    (base / "logs").mkdir()
    (base / "logs" / "localhost.2026-12-07.log").write_text(
        "07-Dec-2026 10:00:01.100 SEVERE [main] org.apache.catalina.core.StandardContext"
        ".listenerStart Exception sending context initialized event to listener instance of "
        "class [com.acme.web.Boot]\n"
        "\tjava.lang.NoSuchMethodError: 'java.lang.String com.acme.util.StringUtils.padLeft"
        "(java.lang.String, int)'\n"
        "\t\tat com.acme.web.Boot.contextInitialized(Boot.java:12)\n"
        "07-Dec-2026 10:00:02.200 SEVERE [main] org.apache.catalina.core.StandardContext"
        ".listenerStart Error configuring application listener of class "
        "[com.acme.web.StartupListner]\n"
        "\tjava.lang.ClassNotFoundException: com.acme.web.StartupListner\n"
        "\t\tat org.apache.catalina.loader.WebappClassLoaderBase.loadClass"
        "(WebappClassLoaderBase.java:1332)\n")
    r = scan("--tomcat", base, "--no-db", rcs=(1, 2), env={**NO_ENV, "CATALINA_HOME": str(base)})
    [conflict] = [c for c in r["conflicts"] if util in c["differing_classes"]]
    assert conflict["winner_path"].endswith("WEB-INF/classes")
    assert "stale copy" in conflict["title"] and "acme-util-1.0.jar" in conflict["title"]
    [nsme] = _findings(r, "classloading.no-such-method")
    [corr] = [c for c in nsme["correlations"] if c["copies_differ"]]
    assert "a stale copy identical to acme-util-1.0.jar's" in corr["text"]
    [cnf] = _findings(r, "classloading.class-not-found")
    assert cnf["title"].endswith("did you mean com.acme.web.StartupListener?"), cnf["title"]
    assert cnf["class"] == "com.acme.web.StartupListner"
