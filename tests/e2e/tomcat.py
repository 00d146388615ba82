"""A real Tomcat 10 for the end-to-end tests (test_logs.py, test_discovery_tomcat.py).

CATALINA_HOME is Debian's (tomcat10-common + libtomcat10-java, /usr/share/tomcat10);
CATALINA_BASE is made in a temporary directory from testdata/jvm/tomcat: webapp /bad,
whose listener throws, one HTTP connector on a free loopback port and no shutdown port,
so the server is stopped by pid. A caller may add to the base before the start.
"""

import pathlib
import shutil
import signal
import subprocess
import time

import pytest

import helpers

HOME = pathlib.Path("/usr/share/tomcat10")
SRC = helpers.ROOT / "testdata" / "jvm" / "tomcat"
SERVLET_API = HOME / "lib" / "servlet-api.jar"
JAVAC_TIMEOUT = 60
START_TIMEOUT = 90
STOP_TIMEOUT = 20
STARTED = "Server startup in"


def javac(args):
    proc = subprocess.run(["javac", *map(str, args)], capture_output=True, text=True,
                          timeout=JAVAC_TIMEOUT)
    assert proc.returncode == 0, f"javac {args} failed:\n{proc.stdout}\n{proc.stderr}"


def sources(directory):
    return sorted(str(p) for p in pathlib.Path(directory).rglob("*.java"))


class Tomcat:
    """A started Tomcat: its CATALINA_BASE, port and JVM, stopped by pid."""

    def __init__(self, base, port, proc):
        self.base = base
        self.port = port
        self.proc = proc

    @property
    def pid(self):
        return self.proc.pid

    @property
    def running(self):
        return self.proc.poll() is None

    @property
    def catalina_out(self):
        return self.base / "logs" / "catalina.out"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def make_base(base, setup=None):
    """Fill the empty directory `base` as a CATALINA_BASE; `setup(base)` may add to it
    before server.xml is written. Returns the connector's port."""
    for path in (HOME / "bin" / "bootstrap.jar", HOME / "bin" / "tomcat-juli.jar", SERVLET_API):
        if not path.exists():
            pytest.fail("Tomcat 10 missing: run scripts/deps.sh (tomcat10-common libtomcat10-java)")
    shutil.copytree(SRC / "conf", base / "conf")
    shutil.copytree(SRC / "webapps", base / "webapps")
    for d in ("logs", "temp", "work", "lib"):
        (base / d).mkdir()
    javac(["--release", "11", "-cp", SERVLET_API, "-d",
           base / "webapps" / "bad" / "WEB-INF" / "classes", *sources(SRC / "src")])
    if setup:
        setup(base)
    port = helpers.free_port()
    tmpl = base / "conf" / "server.xml.in"
    (base / "conf" / "server.xml").write_text(tmpl.read_text().replace("@PORT@", str(port)))
    tmpl.unlink()
    return port


def with_shutdown_port(port):
    """A make_base setup that opens Tomcat's shutdown port on `port` (the conf here has
    <Server port="-1">, none)."""
    def setup(base):
        tmpl = base / "conf" / "server.xml.in"
        tmpl.write_text(tmpl.read_text().replace('<Server port="-1"', f'<Server port="{port}"'))
    return setup


def start(base, setup=None):
    """make_base, then Tomcat started with catalina.out in base/logs as catalina.sh keeps
    it, and waited for until its startup has finished. Returns the running Tomcat."""
    port = make_base(base, setup)
    bootstrap = HOME / "bin" / "bootstrap.jar"
    juli = HOME / "bin" / "tomcat-juli.jar"
    out_path = base / "logs" / "catalina.out"
    with open(out_path, "ab") as out:
        proc = subprocess.Popen(
            ["java", "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
             f"-Djava.util.logging.config.file={base / 'conf' / 'logging.properties'}",
             f"-Dcatalina.base={base}", f"-Dcatalina.home={HOME}",
             f"-Djava.io.tmpdir={base / 'temp'}", "-cp", f"{bootstrap}:{juli}",
             "org.apache.catalina.startup.Bootstrap", "start"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    tomcat = Tomcat(base, port, proc)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        if STARTED in out_path.read_text(errors="replace"):
            return tomcat
        time.sleep(0.2)
    tomcat.stop()
    raise AssertionError("Tomcat did not start:\n" + out_path.read_text(errors="replace"))
