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
import subprocess
import time
import zipfile

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


# ---- a real Tomcat 10 ----

STOCK_LOGGING = """\
handlers = 1catalina.org.apache.juli.AsyncFileHandler, \
2localhost.org.apache.juli.AsyncFileHandler, java.util.logging.ConsoleHandler
.handlers = 1catalina.org.apache.juli.AsyncFileHandler, java.util.logging.ConsoleHandler
1catalina.org.apache.juli.AsyncFileHandler.level = FINE
1catalina.org.apache.juli.AsyncFileHandler.directory = ${catalina.base}/logs
1catalina.org.apache.juli.AsyncFileHandler.prefix = catalina.
1catalina.org.apache.juli.AsyncFileHandler.encoding = UTF-8
2localhost.org.apache.juli.AsyncFileHandler.level = FINE
2localhost.org.apache.juli.AsyncFileHandler.directory = ${catalina.base}/logs
2localhost.org.apache.juli.AsyncFileHandler.prefix = localhost.
2localhost.org.apache.juli.AsyncFileHandler.encoding = UTF-8
java.util.logging.ConsoleHandler.level = FINE
java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
java.util.logging.ConsoleHandler.encoding = UTF-8
org.apache.catalina.core.ContainerBase.[Catalina].[localhost].level = INFO
org.apache.catalina.core.ContainerBase.[Catalina].[localhost].handlers = \
2localhost.org.apache.juli.AsyncFileHandler
"""

WEB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
{body}
</web-app>
"""

SEVERE_OR_WORSE = ("warning", "error", "critical")


def _stock_base(base, keep_bad=False):
    """Tomcat's own logging.properties (console + catalina.<date>.log + localhost.<date>.log);
    without the /bad webapp unless asked."""
    (base / "conf" / "logging.properties").write_text(STOCK_LOGGING)
    if not keep_bad:
        shutil.rmtree(base / "webapps" / "bad")


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _jar(path, classes_dir, names):
    """A jar of the compiled classes `names` (dotted) found under classes_dir."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", helpers.manifest_text({}))
        for name in names:
            z.write(classes_dir / class_path(name), class_path(name))
    return path


def _webapp(base, name, listener):
    _write(base / "webapps" / name / "WEB-INF" / "web.xml", WEB_XML.format(
        body=f"  <listener><listener-class>{listener}</listener-class></listener>"))
    return base / "webapps" / name / "WEB-INF"


def _three_failing_webapps(base, build):
    """/acme: a listener compiled against acme-util 2.0 calls StringUtils.padLeft, but
    WEB-INF/classes holds 1.0's StringUtils (identical to lib/acme-util-1.0.jar's), which
    wins over WEB-INF/lib/acme-util-2.0.jar: NoSuchMethodError. /legacy: a log4j 1 API
    bridge jar (log4j-over-slf4j-like) without the slf4j-api it needs:
    NoClassDefFoundError. /typo: web.xml names com.typo.web.StartupListner (sic)."""
    src = build / "src"
    api = str(tomcat.SERVLET_API)
    util = "package com.acme.util;\npublic class StringUtils {\n" \
           "  public static String trim(String s) { return s.trim(); }\n"
    _write(src / "v1" / "com/acme/util/StringUtils.java", util + "}\n")
    _write(src / "v2" / "com/acme/util/StringUtils.java", util +
           "  public static String padLeft(String s, int n) { return \" \".repeat(n) + s; }\n}\n")
    for v in ("v1", "v2"):
        tomcat.javac(["--release", "11", "-d", build / v, *tomcat.sources(src / v)])
    _jar(base / "lib" / "acme-util-1.0.jar", build / "v1", ["com.acme.util.StringUtils"])
    acme = _webapp(base, "acme", "com.acme.web.Boot")
    _jar(acme / "lib" / "acme-util-2.0.jar", build / "v2", ["com.acme.util.StringUtils"])
    _write(src / "acme" / "com/acme/web/Boot.java",
           "package com.acme.web;\nimport jakarta.servlet.*;\n"
           "public class Boot implements ServletContextListener {\n"
           "  public void contextInitialized(ServletContextEvent e) {\n"
           "    e.getServletContext().log(com.acme.util.StringUtils.padLeft(\"up\", 2));\n"
           "  }\n}\n")
    tomcat.javac(["--release", "11", "-cp", f"{api}:{build / 'v2'}", "-d", acme / "classes",
                  *tomcat.sources(src / "acme")])
    stale = acme / "classes" / class_path("com.acme.util.StringUtils")
    stale.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(build / "v1" / class_path("com.acme.util.StringUtils"), stale)

    _write(src / "slf4j" / "org/slf4j/Logger.java",
           "package org.slf4j;\npublic interface Logger { void info(String m); }\n")
    _write(src / "slf4j" / "org/slf4j/LoggerFactory.java",
           "package org.slf4j;\npublic final class LoggerFactory {\n"
           "  public static Logger getLogger(String n) { return m -> {}; }\n}\n")
    _write(src / "bridge" / "org/apache/log4j/Logger.java",
           "package org.apache.log4j;\npublic class Logger {\n"
           "  private final org.slf4j.Logger delegate;\n"
           "  private Logger(org.slf4j.Logger d) { delegate = d; }\n"
           "  public static Logger getLogger(String name) {\n"
           "    return new Logger(org.slf4j.LoggerFactory.getLogger(name));\n  }\n"
           "  public void info(Object m) { delegate.info(String.valueOf(m)); }\n}\n")
    tomcat.javac(["--release", "11", "-d", build / "slf4j", *tomcat.sources(src / "slf4j")])
    tomcat.javac(["--release", "11", "-cp", build / "slf4j", "-d", build / "bridge",
                  *tomcat.sources(src / "bridge")])
    legacy = _webapp(base, "legacy", "com.legacy.web.Start")
    _jar(legacy / "lib" / "log4j-over-slf4j-1.7.36.jar", build / "bridge",
         ["org.apache.log4j.Logger"])
    _write(src / "legacy" / "com/legacy/web/Start.java",
           "package com.legacy.web;\nimport jakarta.servlet.*;\n"
           "public class Start implements ServletContextListener {\n"
           "  public void contextInitialized(ServletContextEvent e) {\n"
           "    org.apache.log4j.Logger.getLogger(\"legacy\").info(\"starting\");\n"
           "  }\n}\n")
    tomcat.javac(["--release", "11", "-cp", f"{api}:{build / 'bridge'}", "-d",
                  legacy / "classes", *tomcat.sources(src / "legacy")])

    typo = _webapp(base, "typo", "com.typo.web.StartupListner")
    _write(src / "typo" / "com/typo/web/StartupListener.java",
           "package com.typo.web;\nimport jakarta.servlet.*;\n"
           "public class StartupListener implements ServletContextListener {}\n")
    tomcat.javac(["--release", "11", "-cp", api, "-d", typo / "classes",
                  *tomcat.sources(src / "typo")])


def _scan_base(base, *extra, rcs=(0, 1, 2)):
    return scan("--tomcat", base, "--no-db", *extra, rcs=rcs,
                env={**NO_ENV, "CATALINA_HOME": str(tomcat.HOME)})


def _stopped(base, setup):
    """A new CATALINA_BASE `base` whose Tomcat was started, waited for until its startup
    ended and stopped: its logs stay. Gives the base."""
    base.mkdir()
    tomcat.start(base, setup).stop()
    time.sleep(0.5)  # AsyncFileHandler flushes on shutdown
    return base


def _log_files(report):
    return sorted(pathlib.Path(f["path"]).name for f in report["logs"]["files"])


def test_a_clean_start_has_no_finding_at_warning_or_above(tmp_path):
    def setup(base):
        _stock_base(base)
        _write(base / "webapps" / "ROOT" / "index.html", "<p>hello</p>\n")
        _write(base / "webapps" / "hello" / "WEB-INF" / "web.xml", WEB_XML.format(body=""))
    base = _stopped(tmp_path / "base", setup)
    r = _scan_base(base)
    assert "catalina.out" in _log_files(r)
    assert any(n.startswith("catalina.2") for n in _log_files(r))
    loud = [f for f in r["logs"]["findings"] if f["severity"] in SEVERE_OR_WORSE]
    assert loud == [], [(f["rule"], f["title"]) for f in loud]
    # the servlet API in Tomcat's own lib/ is not "packaged inside the web application"
    assert not [h for h in r["hints"] if h["id"].startswith("webapp.")]



DEBIAN_CONF = pathlib.Path("/etc/tomcat10")  # Debian's tomcat10 package (scripts/deps.sh)
DEBIAN_WEBAPPS = pathlib.Path("/var/lib/tomcat10/webapps")


def _debian_package_base(base):
    """The base Debian's tomcat10 package installs (its conf/ and its ROOT webapp, nothing
    changed but the connector's port and address), copied so the test owns it."""
    shutil.rmtree(base / "conf")
    shutil.copytree(DEBIAN_CONF, base / "conf", symlinks=False)
    server = (base / "conf" / "server.xml").read_text()
    assert 'port="8080"' in server, "Debian's server.xml no longer has the 8080 connector"
    (base / "conf" / "server.xml.in").write_text(
        server.replace('port="8080"', 'port="@PORT@" address="127.0.0.1"', 1))
    (base / "conf" / "server.xml").unlink()
    shutil.rmtree(base / "webapps")
    shutil.copytree(DEBIAN_WEBAPPS, base / "webapps")


def test_a_stock_debian_tomcat10_install_has_no_finding_at_warning_or_above(tmp_path):
    """apt-get install tomcat10, nothing wrong: no false alarm (the servlet API in Tomcat's
    own lib/ once made the verdict 'Servlet API packaged inside the web application')."""
    if not (DEBIAN_CONF / "server.xml").exists() or not (DEBIAN_WEBAPPS / "ROOT").exists():
        pytest.skip("Debian's tomcat10 package is not installed (scripts/deps.sh installs it)")
    base = _stopped(tmp_path / "base", _debian_package_base)
    r = _scan_base(base, rcs=(0,))
    loud = [(f["kind"], f["title"]) for f in r["findings"] if f["severity"] in SEVERE_OR_WORSE]
    assert loud == [], loud
    assert r["summary"]["verdict"].startswith("No problem found"), r["summary"]["verdict"]
    assert r["incidents"] == []

def test_three_webapps_failing_for_three_reasons(tmp_path):
    build = tmp_path / "build"
    base = _stopped(tmp_path / "base",
                    lambda b: (_stock_base(b), _three_failing_webapps(b, build)))
    r = _scan_base(base)
    failed = _findings(r, "tomcat.context-startup-failed")
    assert sorted(f["title"] for f in failed) == [
        "Webapp /acme failed to start", "Webapp /legacy failed to start",
        "Webapp /typo failed to start"]
    # in catalina.out and catalina.<date>.log, counted once
    assert [f["count"] for f in failed] == [1, 1, 1]
    [nsme] = _findings(r, "classloading.no-such-method")
    assert nsme["class"] == "com.acme.util.StringUtils" and nsme["count"] == 1
    assert nsme["title"].endswith("(NoSuchMethodError: com.acme.util.StringUtils.padLeft)")
    assert any("a stale copy identical to acme-util-1.0.jar's" in c["text"]
               for c in nsme["correlations"]), nsme["correlations"]
    [ncdf] = _findings(r, "classloading.no-class-def")
    assert ncdf["class"] == "org/slf4j/LoggerFactory"
    [cnf] = _findings(r, "classloading.class-not-found")
    assert cnf["class"] == "com.typo.web.StartupListner"
    assert cnf["title"].endswith("did you mean com.typo.web.StartupListener?"), cnf["title"]
    # no cause is left uncategorized, and nothing is named by a logger's method
    assert not _findings(r, "uncategorized")


def test_a_malformed_tomcat_users_xml_names_the_file_line_and_column(tmp_path):
    def setup(base):
        _stock_base(base)
        (base / "conf" / "tomcat-users.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<tomcat-users xmlns="http://tomcat.apache.org/xml">\n'
            '  <role rolename="manager-gui"/>\n'
            '  <user username="admin" password="s3cret" roles="manager-gui">\n'
            '</tomcat-users>\n')
        xml = base / "conf" / "server.xml.in"
        text = xml.read_text().replace(
            '<Listener className="org.apache.catalina.startup.VersionLoggerListener"/>',
            '<Listener className="org.apache.catalina.startup.VersionLoggerListener"/>\n'
            '  <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener"/>\n'
            '  <GlobalNamingResources>\n'
            '    <Resource name="UserDatabase" auth="Container"'
            ' type="org.apache.catalina.UserDatabase"'
            ' factory="org.apache.catalina.users.MemoryUserDatabaseFactory"'
            ' pathname="conf/tomcat-users.xml"/>\n'
            '  </GlobalNamingResources>').replace(
            '<Host name',
            '<Realm className="org.apache.catalina.realm.LockOutRealm">'
            '<Realm className="org.apache.catalina.realm.UserDatabaseRealm"'
            ' resourceName="UserDatabase"/></Realm>\n      <Host name')
        xml.write_text(text)
    base = _stopped(tmp_path / "base", setup)
    r = _scan_base(base)
    [users] = _findings(r, "tomcat.user-database-unreadable")
    assert users["title"] == \
        "The user database file (conf/tomcat-users.xml) is malformed at line 5 column 3"
    parse = _findings(r, "tomcat.config-parse-error")
    assert [f["title"] for f in parse] == \
        ["An XML configuration file is malformed at line 5 column 3"]
    # each record counts once though catalina.out and catalina.<date>.log both hold it
    out = (base / "logs" / "catalina.out").read_text()
    assert parse[0]["count"] == out.count("Parse fatal error at line [5] column [3]")
    assert _findings(r, "tomcat.realm-start-failed")
    assert not [f for f in r["logs"]["findings"] if "Digester" in f["title"]]


def test_a_second_tomcat_on_the_same_port(tmp_path):
    first_base = tmp_path / "first"
    first_base.mkdir()
    first = tomcat.start(first_base, _stock_base)
    try:
        def setup(base):
            _stock_base(base)
            xml = base / "conf" / "server.xml.in"
            xml.write_text(xml.read_text().replace("@PORT@", str(first.port)))
        second_base = _stopped(tmp_path / "second", setup)
    finally:
        first.stop()
    r = _scan_base(second_base)
    [bind] = _findings(r, "tomcat.port-in-use")
    assert bind["title"].startswith(f"Port {first.port} is already in use"), bind["title"]
    assert bind["count"] == 1
    out = (second_base / "logs" / "catalina.out").read_text()
    assert out.count("java.net.BindException: Address already in use") == 1
    dated = [n for n in _log_files(r) if n.startswith("catalina.2")]
    assert dated and "Address already in use" in \
        (second_base / "logs" / dated[0]).read_text()


def _javax_webapps(base, build):
    """Two webapps built against javax.servlet (a stand-in API compiled here): /old
    without the API (its listener cannot load on Tomcat 10), /bundled with a javax
    servlet-api jar in WEB-INF/lib (its filter is no jakarta.servlet.Filter)."""
    src = build / "src"
    _write(src / "api" / "javax/servlet/ServletContextListener.java",
           "package javax.servlet;\n"
           "public interface ServletContextListener extends java.util.EventListener {}\n")
    _write(src / "api" / "javax/servlet/Filter.java",
           "package javax.servlet;\npublic interface Filter {}\n")
    _write(src / "api" / "javax/servlet/Servlet.java",
           "package javax.servlet;\npublic interface Servlet {}\n")
    tomcat.javac(["--release", "11", "-d", build / "api", *tomcat.sources(src / "api")])
    _write(src / "old" / "com/old/web/OldListener.java",
           "package com.old.web;\n"
           "public class OldListener implements javax.servlet.ServletContextListener {}\n")
    _write(src / "old" / "com/old/web/OldFilter.java",
           "package com.old.web;\npublic class OldFilter implements javax.servlet.Filter {}\n")
    for name in ("old", "bundled"):
        web = base / "webapps" / name / "WEB-INF"
        body = ("  <filter><filter-name>old</filter-name>"
                "<filter-class>com.old.web.OldFilter</filter-class></filter>\n"
                "  <filter-mapping><filter-name>old</filter-name>"
                "<url-pattern>/*</url-pattern></filter-mapping>")
        if name == "old":
            body = ("  <listener><listener-class>com.old.web.OldListener</listener-class>"
                    "</listener>\n" + body)
        _write(web / "web.xml", WEB_XML.format(body=body))
        tomcat.javac(["--release", "11", "-cp", build / "api", "-d", web / "classes",
                      *tomcat.sources(src / "old")])
    _jar(base / "webapps" / "bundled" / "WEB-INF" / "lib" / "servlet-api-4.0.1.jar",
         build / "api",
         ["javax.servlet.ServletContextListener", "javax.servlet.Filter", "javax.servlet.Servlet"])


def test_a_javax_servlet_webapp_on_tomcat_10(tmp_path):
    build = tmp_path / "build"
    base = _stopped(tmp_path / "base", lambda b: (_stock_base(b), _javax_webapps(b, build)))
    r = _scan_base(base)
    titles = sorted(f["title"] for f in _findings(r, "classloading.javax-on-jakarta"))
    assert titles == [
        "Code built for javax.servlet runs on a jakarta.servlet container: "
        "com.old.web.OldFilter is not a jakarta.servlet.Filter",
        "Code built for javax.servlet runs on a jakarta.servlet container: "
        "javax/servlet/ServletContextListener is missing"], titles
    assert sorted(f["title"] for f in _findings(r, "tomcat.context-startup-failed")) == [
        "Webapp /bundled failed to start", "Webapp /old failed to start"]
    # the javax servlet-api inside /bundled is a known trouble; Tomcat's own is not
    hints = [h for h in r["hints"] if h["id"] == "webapp.servlet-api-in-webapp"]
    assert [pathlib.Path(p).name for h in hints for p in h["paths"]] == ["servlet-api-4.0.1.jar"]


BOOT_MAIN = r'''
package com.acme.orders;

import java.time.Instant;
import org.springframework.boot.context.properties.bind.BindException;

public class Application {
    static void log(String level, String logger, String msg) {
        System.out.printf("%s %5s %d --- [           main] %-40s : %s%n", Instant.now(), level,
                ProcessHandle.current().pid(), logger, msg);
    }

    static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BindException("Failed to bind properties under 'server.port' to "
                    + "java.lang.Integer", e);
        }
    }

    public static void main(String[] args) {
        log("INFO", "com.acme.orders.Application", "Starting Application v1.0 using Java "
                + System.getProperty("java.version") + " with PID "
                + ProcessHandle.current().pid() + " (/app/orders.jar started by app in /app)");
        try {
            port(args[0]);
        } catch (BindException e) {
            log("ERROR", "o.s.b.d.LoggingFailureAnalysisReporter", "\n\n"
                    + "***************************\nAPPLICATION FAILED TO START\n"
                    + "***************************\n\nDescription:\n\n"
                    + "Failed to bind properties under 'server.port' to java.lang.Integer:\n\n"
                    + "    Property: server.port\n    Value: \"" + args[0] + "\"\n"
                    + "    Origin: System Environment Property \"SERVER_PORT\"\n"
                    + "    Reason: failed to convert java.lang.String to java.lang.Integer\n\n"
                    + "Action:\n\nUpdate your application's configuration\n");
            log("ERROR", "o.s.boot.SpringApplication", "Application run failed");
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
'''

BIND_EXCEPTION = '''
package org.springframework.boot.context.properties.bind;

public class BindException extends RuntimeException {
    public BindException(String message, Throwable cause) {
        super(message, cause);
    }
}
'''


def test_a_spring_boot_style_failure_names_the_property(tmp_path):
    """A real JVM prints a Spring Boot failure the way Boot does (its console format,
    the failure analysis, then 'Application run failed' with a real stack trace): the
    finding names the property and its target type, and the record that repeats the
    same failure joins it."""
    src = tmp_path / "src"
    _write(src / "com/acme/orders/Application.java", BOOT_MAIN)
    _write(src / "org/springframework/boot/context/properties/bind/BindException.java",
           BIND_EXCEPTION)
    tomcat.javac(["--release", "11", "-d", tmp_path / "classes", *tomcat.sources(src)])
    log = tmp_path / "logs" / "orders.log"
    log.parent.mkdir()
    with open(log, "wb") as out:
        proc = subprocess.run(["java", "-cp", str(tmp_path / "classes"),
                               "com.acme.orders.Application", "eighty"],
                              stdout=out, stderr=subprocess.STDOUT, timeout=60)
    assert proc.returncode == 1
    r = scan("--logs", log.parent, "--no-db", rcs=(1, 2))
    [bind] = _findings(r, "spring.bind-properties-failed")
    assert bind["title"] == \
        "Configuration property 'server.port' cannot be bound to java.lang.Integer"
    assert bind["count"] == 2  # the failure analysis and the exception it explains
    assert "APPLICATION FAILED TO START" in bind["sample"]
    assert not _findings(r, "uncategorized")
    assert r["logs"]["files"][0]["last_start"]["line"] == 1
