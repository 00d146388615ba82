"""Which part of a log a scan reads: --since, --last-start, the last start marker and the
last lines of each file (issue 3 and issue 4: "why did it fail to start" is about the
current run)."""
import datetime

from helpers import run, scan

OLD_BIND = (
    "27-Nov-2026 01:00:00.000 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log "
    "Server version name:   Apache Tomcat/10.1.16\n"
    "27-Nov-2026 01:00:01.000 SEVERE [main] org.apache.catalina.core.StandardService.initInternal "
    "Failed to initialize connector [Connector[HTTP/1.1-8080]]\n"
    "\torg.apache.catalina.LifecycleException: Protocol handler initialization failed\n"
    "\t\tat org.apache.catalina.connector.Connector.initInternal(Connector.java:1044)\n"
    "\tCaused by: java.net.BindException: Address already in use\n"
    "\t\tat java.base/sun.nio.ch.Net.bind0(Native Method)\n"
)
NEW_OOM = (
    "27-Nov-2026 02:00:00.000 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log "
    "Server version name:   Apache Tomcat/10.1.16\n"
    "27-Nov-2026 02:00:00.500 INFO [main] org.apache.catalina.core.StandardService.startInternal "
    "Starting service [Catalina]\n"
    "27-Nov-2026 02:00:05.000 SEVERE [main] org.apache.catalina.core.StandardContext.listenerStart "
    "Exception sending context initialized event to listener instance of class "
    "[com.acme.web.Boot]\n"
    "\tjava.lang.OutOfMemoryError: Java heap space\n"
    "\t\tat com.acme.web.Boot.contextInitialized(Boot.java:12)\n"
)


def _rules(report):
    return {f["rule"] for f in report["logs"]["findings"]}


def test_without_a_window_every_run_is_read(tmp_path):
    (tmp_path / "catalina.out").write_text(OLD_BIND + NEW_OOM)
    r = scan("--logs", tmp_path / "catalina.out", "--no-db", rcs=(1,))
    rules = _rules(r)
    assert any("bind" in x or "port" in x or "connector" in x for x in rules), rules
    assert any("oom" in x or "heap" in x or "memory" in x for x in rules), rules
    [f] = r["logs"]["files"]
    assert f["last_start"]["line"] == 7 and "Server version name" in f["last_start"]["text"]
    assert f["skipped_events"] == 0
    assert f["tail"][-1].strip() == "at com.acme.web.Boot.contextInitialized(Boot.java:12)"


def test_last_start_reads_only_the_current_run(tmp_path):
    (tmp_path / "catalina.out").write_text(OLD_BIND + NEW_OOM)
    r = scan("--logs", tmp_path / "catalina.out", "--last-start", "--no-db", rcs=(1,))
    rules = _rules(r)
    assert not any("bind" in x or "port" in x or "connector" in x for x in rules), rules
    assert any("oom" in x or "heap" in x or "memory" in x for x in rules), rules
    [f] = r["logs"]["files"]
    assert f["skipped_events"] == 2


def test_spring_boot_start_marker(tmp_path):
    log = tmp_path / "app.log"
    log.write_text(
        "2026-11-27 01:00:00.000 ERROR 1 --- [main] o.s.boot.SpringApplication : old failure\n"
        "java.net.ConnectException: Connection refused\n"
        "2026-11-27 02:00:00.000  INFO 1 --- [main] com.acme.ShopApplication : Starting "
        "ShopApplication v1.2 using Java 17.0.9 with PID 1 (/app/shop.jar started by app in /)\n"
        "2026-11-27 02:00:03.000 ERROR 1 --- [main] o.s.b.d.LoggingFailureAnalysisReporter : \n\n"
        "***************************\nAPPLICATION FAILED TO START\n***************************\n\n"
        "Description:\n\nWeb server failed to start. Port 8080 was already in use.\n\n"
        "Action:\n\nIdentify and stop the process that's listening on port 8080.\n")
    r = scan("--logs", log, "--last-start", "--no-db", rcs=(1,))
    [f] = r["logs"]["files"]
    assert f["last_start"]["line"] == 3 and "ShopApplication" in f["last_start"]["text"]
    assert f["skipped_events"] == 1
    assert all("refused" not in (x["root_cause"] or "") for x in r["logs"]["findings"])
    assert any("8080" in (x["sample"] or "") for x in r["logs"]["findings"])


def test_since_a_duration_skips_older_records(tmp_path):
    now = datetime.datetime.now()
    recent = (now - datetime.timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M:%S,000")
    log = tmp_path / "app.log"
    log.write_text(
        "2020-01-01 00:00:00,000 ERROR [main] c.a.Old - boom\n"
        "java.lang.OutOfMemoryError: Metaspace\n"
        f"{recent} ERROR [main] c.a.New - boom\n"
        "java.lang.OutOfMemoryError: Java heap space\n")
    r = scan("--logs", log, "--since", "1h", "--no-db", rcs=(1,))
    [f] = r["logs"]["files"]
    assert f["skipped_events"] == 1
    samples = " ".join(x["sample"] or "" for x in r["logs"]["findings"])
    assert "heap space" in samples and "Metaspace" not in samples
    # a date works too, and takes everything after it
    r = scan("--logs", log, "--since", "2019-12-31", "--no-db", rcs=(1,))
    assert r["logs"]["files"][0]["skipped_events"] == 0


def test_a_since_that_is_no_time_is_a_usage_error(tmp_path):
    (tmp_path / "a.log").write_text("x\n")
    p = run(["scan", "--logs", tmp_path / "a.log", "--since", "last tuesday", "--no-db"])
    assert p.returncode == 2 and "--since" in p.err


def test_a_dead_service_shows_its_last_lines(tmp_path):
    app = tmp_path / "app.jar"
    import zipfile
    with zipfile.ZipFile(app, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: A\n")
        z.writestr("A.class", b"\xca\xfe\xba\xbe")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text(NEW_OOM)
    conf = tmp_path / "wrench.conf"
    conf.write_text('{"services": [{"name": "a", "kind": "jar", "paths": {"jar": "%s"},'
                    ' "logs": ["%s/*.log"]}]}' % (app, logs))
    p = run(["scan", "--no-processes", "--config", conf, "--no-db"])
    assert p.returncode == 1, p.err
    assert "the service is not running; its last lines:" in p.out
    assert "last start at line 1" in p.out
