"""Make the fixture of the web UI's timeline test (tests/web/ui.test.mjs) from real runs:
a real Tomcat 10 (tests/e2e/tomcat.py's base: webapp /bad whose listener throws) started
three times to the end and a fourth time killed while starting, its CATALINA_BASE placed
at root/usr/local/tomcat (a conventional place, so that `wrench --root root` finds it with
no target). Only conf/server.xml and the logs are kept.

    /usr/bin/python3 testdata/state/timeline/make.py
"""
import pathlib
import shutil
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "tests" / "e2e"))

import tomcat  # noqa: E402
from test_state_history import _run_tomcat  # noqa: E402


def main():
    with tempfile.TemporaryDirectory() as tmp:
        base = pathlib.Path(tmp) / "usr" / "local" / "tomcat"
        base.mkdir(parents=True)
        tomcat.make_base(base)
        for _ in range(3):
            _run_tomcat(base, tomcat.STARTED)
        _run_tomcat(base, "Server version name:", kill=True)
        out = HERE / "root" / "usr" / "local" / "tomcat"
        shutil.rmtree(out, ignore_errors=True)
        (out / "conf").mkdir(parents=True)
        shutil.copy(base / "conf" / "server.xml", out / "conf" / "server.xml")
        shutil.copytree(base / "logs", out / "logs")


if __name__ == "__main__":
    main()
