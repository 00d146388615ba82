"""The command line: help, man page, usage errors, exit codes, --json FILE,
colour, and the text report."""

import json
import os
import pty
import subprocess

import pytest

from helpers import ROOT, WRENCH, check_report, make_jar, read_pty, run, scan

SCAN_OPTIONS = ["--classpath", "-cp", "--jar", "--war", "--dir", "--json", "--fail-on", "--color",
                "--help"]


@pytest.fixture
def error_jars(tmp_path):
    """Two different libraries with a differing class: one error conflict."""
    p = make_jar(tmp_path / "p-1.0.jar", [("com.acme.Clash", "p")])
    q = make_jar(tmp_path / "q-2.0.jar", [("com.acme.Clash", "q")])
    return f"{p}:{q}"


@pytest.fixture
def warning_jars(tmp_path):
    """The same util-1.0 copied twice: a warning duplicate and an info conflict."""
    a = make_jar(tmp_path / "s1" / "util-1.0.jar", ["com.acme.util.U"], variant="same",
                 pom=("com.acme", "util", "1.0"))
    b = make_jar(tmp_path / "s2" / "util-1.0.jar", ["com.acme.util.U"], variant="same",
                 pom=("com.acme", "util", "1.0"))
    return f"{a}:{b}"


def test_scan_help_lists_every_option():
    proc = run(["scan", "--help"])
    assert proc.returncode == 0
    for opt in SCAN_OPTIONS:
        assert opt in proc.out, f"scan --help does not mention {opt}"
    for sev in ("info", "warning", "error", "critical", "never"):
        assert sev in proc.out


def test_top_level_help_and_version():
    proc = run(["--help"])
    assert proc.returncode == 0 and "scan" in proc.out
    proc = run(["version"])
    assert proc.returncode == 0 and "0.1.0" in proc.out


def test_version_matches_the_report(tmp_path):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    version = run(["version"]).out
    assert scan("-cp", jar)["wrench_version"] in version


def test_man_page_is_docs_wrench_1():
    proc = run(["help", "--man"])
    assert proc.returncode == 0
    assert proc.out.startswith(".") and ".TH" in proc.out
    page = (ROOT / "docs" / "wrench.1").read_text(encoding="utf-8")
    assert proc.out == page, "docs/wrench.1 is stale: run `make man`"
    for opt in ("--classpath", "--jar", "--war", "--dir", "--fail-on"):
        assert opt.replace("-", "\\-") in page or opt in page


@pytest.mark.parametrize("args", [
    ["scan", "--bogus"],
    ["scan", "--classpath"],
    ["scan", "--jar"],
    ["scan", "-cp", "CP", "--fail-on", "severe"],
    ["scan", "-cp", "CP", "--fail-on"],
    ["scan", "-cp", "CP", "--color", "purple"],
    ["frobnicate"],
], ids=lambda a: " ".join(a))
def test_usage_errors_exit_2_with_a_message(tmp_path, args):
    jar = make_jar(tmp_path / "a.jar", ["com.acme.A"])
    args = [jar if a == "CP" else a for a in args]
    proc = run(args)
    assert proc.returncode == 2, f"{args}: exit {proc.returncode}"
    assert proc.err.strip(), f"{args}: no message on stderr"
    assert "schema_version" not in proc.out


def test_no_target_is_an_error_with_a_message(tmp_path):
    # Discovery looks at an empty root, /proc and cgroup tree: nothing the machine holds
    # (an installed tomcat10, running JVMs) may change the answer.
    for d in ("root", "proc", "cgroup"):
        (tmp_path / d).mkdir()
    where = ["--root", tmp_path / "root", "--proc-root", tmp_path / "proc",
             "--cgroup-root", tmp_path / "cgroup"]
    proc = run(["scan", *where])
    assert proc.returncode in (2, 3)
    assert proc.err.strip()
    proc = run(["scan", *where, "--json"])
    assert proc.returncode in (2, 3)
    assert proc.err.strip()


def test_fail_on_changes_the_exit_code(error_jars, warning_jars):
    # scan() checks each exit code against the findings and the threshold.
    assert scan("-cp", warning_jars, rcs=(0,))["summary"]["warning"] == 1
    scan("-cp", warning_jars, "--fail-on", "warning", rcs=(1,))
    scan("-cp", warning_jars, "--fail-on", "info", rcs=(1,))
    scan("-cp", warning_jars, "--fail-on", "error", rcs=(0,))
    scan("-cp", error_jars, rcs=(1,))
    scan("-cp", error_jars, "--fail-on", "critical", rcs=(0,))
    scan("-cp", error_jars, "--fail-on", "never", rcs=(0,))
    scan("--fail-on", "never", "-cp", warning_jars, rcs=(0,))


def test_json_file_is_written_and_text_goes_to_stdout(tmp_path, error_jars):
    out = tmp_path / "report.json"
    proc = run(["scan", "-cp", error_jars, "--json", str(out)])
    assert proc.returncode == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    check_report(report, rc=proc.returncode)
    assert "schema_version" not in proc.out, "stdout should be the text report"
    assert report["summary"]["verdict"] in proc.out
    assert report["conflicts"][0]["title"] in proc.out


def test_unwritable_json_file_cannot_run(tmp_path, error_jars):
    proc = run(["scan", "-cp", error_jars, "--json", str(tmp_path / "no-such-dir" / "r.json")])
    assert proc.returncode == 3
    assert "no-such-dir" in proc.err


def test_text_report_orders_findings_most_severe_first(tmp_path, error_jars, warning_jars):
    out = tmp_path / "r.json"
    proc = run(["scan", "-cp", f"{warning_jars}:{error_jars}", "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    check_report(report, rc=proc.returncode)
    text = proc.out
    [err] = [c for c in report["conflicts"] if c["severity"] == "error"]
    [warn] = report["duplicates"]
    [info] = [c for c in report["conflicts"] if c["severity"] == "info"]
    assert warn["severity"] == "warning"
    positions = [text.find(f["title"]) for f in (err, warn, info)]
    assert all(p >= 0 for p in positions), f"titles missing from the text report:\n{text}"
    assert positions == sorted(positions), f"not ordered most severe first:\n{text}"
    assert report["summary"]["verdict"] in text


def _run_on_tty(args, env):
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update({"TERM": "xterm-256color", **env})
    master, slave = pty.openpty()
    proc = subprocess.Popen([WRENCH] + args, stdout=slave, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=full_env)
    os.close(slave)
    out = read_pty(master, proc)
    proc.wait(timeout=60)
    return proc.returncode, out.decode("utf-8", errors="replace")


def test_no_colour_unless_a_terminal_and_never_with_no_color(error_jars):
    args = ["scan", "-cp", error_jars]
    assert "\x1b[" not in run(args).out, "colour on a pipe"
    assert "\x1b[" not in run(args, env={"NO_COLOR": "1"}).out
    assert "\x1b[" not in run(args + ["--color", "never"]).out
    assert "\x1b[" in run(args + ["--color", "always"]).out, "--color always gives no colour"

    rc, out = _run_on_tty(args, {})
    assert rc == 1 and "\x1b[" in out, "no colour on a terminal"
    rc, out = _run_on_tty(args, {"NO_COLOR": "1"})
    assert rc == 1 and "\x1b[" not in out, "colour on a terminal despite NO_COLOR"
    rc, out = _run_on_tty(args + ["--color", "never"], {})
    assert "\x1b[" not in out


def test_json_stdout_has_no_escape_codes_even_with_color_always(error_jars):
    proc = run(["scan", "-cp", error_jars, "--json", "--color", "always"])
    assert "\x1b" not in proc.out
    check_report(json.loads(proc.out), rc=proc.returncode)


def test_an_explicit_target_that_names_nothing_is_a_usage_error(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    cases = [
        (["--jar", tmp_path / "nope.jar"], "--jar {}: No such file or directory",
         tmp_path / "nope.jar"),
        (["--jar", tmp_path], "--jar {}: is a directory (use --dir", tmp_path),
        (["--war", tmp_path / "nope.war"], "--war {}: No such file", tmp_path / "nope.war"),
        (["--dir", tmp_path / "f.txt"], "--dir {}: not a directory", tmp_path / "f.txt"),
        (["--tomcat", tmp_path / "none"], "--tomcat {}: No such file", tmp_path / "none"),
        (["--logs", tmp_path / "*.log"], "--logs {}: the pattern matches no file",
         tmp_path / "*.log"),
    ]
    for args, message, path in cases:
        proc = run(["scan", *args, "--fail-on", "never", "--no-db"])
        assert proc.returncode == 2, (args, proc.out)
        assert proc.err.startswith("wrench scan: " + message.format(path)), proc.err
        assert proc.out == ""


def test_a_bare_path_gets_the_option_it_needs(tmp_path):
    (tmp_path / "base" / "conf").mkdir(parents=True)
    (tmp_path / "base" / "conf" / "server.xml").write_text("<Server/>")
    (tmp_path / "lib").mkdir()
    for word, option in (("app.jar", "--jar"), ("app.war", "--war"), ("catalina.out", "--logs"),
                         (tmp_path / "base", "--tomcat"), (tmp_path / "lib", "--dir")):
        proc = run(["scan", word])
        assert proc.returncode == 2
        assert proc.err.startswith(
            f"wrench scan: unknown argument '{word}' (did you mean {option} {word}?)"), proc.err
    proc = run(["scan", "--frobnicate"])
    assert proc.returncode == 2
    assert proc.err.startswith("wrench scan: unknown option '--frobnicate'")


def test_rules_check_reports_every_problem_as_text_or_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"rules": [{"id": "x", "severity": "error"}]}')
    good = ROOT / "rules" / "memory.json"
    proc = run(["rules", "check", bad, good])
    assert proc.returncode == 1
    assert f"{good}: ok" in proc.out and f"{bad}: rule #1: " in proc.out
    proc = run(["rules", "check", "--json", bad, good])
    assert proc.returncode == 1
    files = json.loads(proc.out)["files"]
    assert [f["path"] for f in files] == [str(bad), str(good)]
    assert files[0]["ok"] is False and any('"pattern" is required' in p
                                           for p in files[0]["problems"])
    assert files[1] == {"path": str(good), "ok": True, "problems": []}
