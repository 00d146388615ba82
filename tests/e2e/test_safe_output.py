"""Untrusted text never drives the terminal: a log line, a jar's file name, a manifest
value, a rule title, a thread dump's thread names and frames and an hs_err file's facts
carrying escape sequences go through every command (scan, show, history, diff, rules list,
rules check) on a real pseudo-terminal, and the screen gets them escaped (\\x1b), never raw.
"""

import json
import os
import pty
import subprocess

from helpers import ROOT, WRENCH, make_jar, read_pty

OSC_TITLE = "\x1b]0;PWNED\x07"  # retitles the terminal
CLEAR = "\x1b[2J"  # clears the screen
CSI_8BIT = "\u009b2J"  # the same as one C1 control (UTF-8 C2 9B)
HOSTILE = (OSC_TITLE, CLEAR, CSI_8BIT)


def on_pty(args, timeout=60):
    """Run wrench with stdout and stderr on a new pty; (exit code, every byte it printed)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([WRENCH, *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, env={**os.environ, "TERM": "xterm"})
    os.close(slave)
    out = read_pty(master, proc, timeout)
    return proc.wait(timeout), out


def assert_screen_safe(out, must_show=()):
    """None of the hostile sequences reached the terminal raw; those named show escaped."""
    text = out.decode("utf-8", errors="replace")
    for seq in HOSTILE:
        assert seq.encode("utf-8") not in out, f"raw {seq!r} on the terminal:\n{text}"
    assert b"\x07" not in out, "a raw BEL on the terminal"
    assert b"\x1b]" not in out, "a raw OSC on the terminal"
    for shown in must_show:
        assert shown in text, f"{shown!r} not shown:\n{text}"


def hostile_inputs(tmp_path):
    """A log whose error message, a jar whose file name and manifest, carry the sequences."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text(
        "2026-12-01 10:00:00.000 ERROR [main] com.acme.Shop - order failed\n"
        f"java.lang.IllegalStateException: bad input {OSC_TITLE}{CLEAR}{CSI_8BIT} end\n"
        "\tat com.acme.Shop.order(Shop.java:42)\n", encoding="utf-8")
    lib = tmp_path / "lib"
    evil = make_jar(lib / f"evil{CLEAR}.jar", ["com.acme.Dup"],
                    manifest={"Implementation-Title": f"evil{OSC_TITLE}",
                              "Implementation-Version": "1.0"})
    other = make_jar(lib / "other.jar", [("com.acme.Dup", "other")])
    return logs, f"{evil}:{other}"


def test_scan_show_history_diff_escape_what_they_print(tmp_path):
    logs, cp = hostile_inputs(tmp_path)
    db = tmp_path / "w.db"
    for _ in range(2):  # two scans, for diff
        rc, out = on_pty(["scan", "-cp", cp, "--logs", logs, "--db", db, "--color", "always"])
        assert rc in (0, 1), out
        assert_screen_safe(out, must_show=("\\x1b]0;PWNED\\x07", "\\x1b[2J"))
        assert b"\x1b[" in out, "--color always on a terminal gives no colour at all"
    rc, out = on_pty(["show", "--db", db, "--color", "always"])
    assert rc in (0, 1)
    assert_screen_safe(out, must_show=("\\x1b]0;PWNED\\x07",))
    rc, out = on_pty(["history", "--db", db])
    assert rc == 0
    assert_screen_safe(out, must_show=("\\x1b[2J",))  # the target names the jar
    # A third scan without the hostile log: its finding is resolved in the diff.
    rc, out = on_pty(["scan", "-cp", cp, "--db", db])
    rc, out = on_pty(["diff", "2", "3", "--db", db])
    assert rc == 0
    assert_screen_safe(out, must_show=("PWNED", "evil\\x1b[2J.jar"))


def test_rules_list_and_check_escape_titles_and_file_names(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = {"id": "site.evil", "severity": "warning", "category": "other",
            "pattern": "never matches", "title": f"title {OSC_TITLE}", "hint": f"h {CLEAR}"}
    (rules / "site.json").write_text(json.dumps({"rules": [rule]}))
    rc, out = on_pty(["rules", "list", "--rules", rules])
    assert rc == 0
    assert_screen_safe(out, must_show=("title \\x1b]0;PWNED\\x07",))
    broken = tmp_path / f"broken{CLEAR}.json"
    broken.write_text('{"rules": [{"id": "x"}]}')
    rc, out = on_pty(["rules", "check", broken])
    assert rc != 0
    assert_screen_safe(out, must_show=("broken\\x1b[2J.json",))


def test_errors_naming_a_hostile_argument_escape_it(tmp_path):
    rc, out = on_pty(["scan", "--jar", tmp_path / f"missing{OSC_TITLE}.jar", "--no-db"])
    assert rc == 2
    assert_screen_safe(out, must_show=("missing\\x1b]0;PWNED\\x07.jar",))
    rc, out = on_pty(["scan", f"--bogus{CLEAR}"])
    assert rc == 2
    assert_screen_safe(out)


def crashed_service_root(tmp_path):
    """A fixture root (no JVM runs): runit service /etc/sv/pay whose log holds a thread dump
    (testdata's JDK 17 dump and deadlock) and whose directory an hs_err file (testdata's),
    their thread names, frames and JRE version carrying the sequences."""
    root = tmp_path / "root"
    sv = root / "etc" / "sv" / "pay"
    (sv / "log" / "main").mkdir(parents=True)
    (sv / "run").write_text("#!/bin/sh\nexec java -cp /app/pay.jar com.acme.Pay\n")
    (sv / "log" / "run").write_text("#!/bin/sh\nexec svlogd -tt ./main\n")
    (root / "etc" / "service").mkdir()
    (root / "etc" / "service" / "pay").symlink_to("../sv/pay")
    dumps = ROOT / "testdata" / "fuzz" / "threaddump"
    dump = (dumps / "jdk17").read_text() + "\n" + (dumps / "deadlock").read_text()
    for name in ("pool-1-thread-1", "ajp-bio-18009-exec-1189", "com.acme.Cache.get",
                 "ClientCnxn.connect"):
        dump = dump.replace(name, f"{name}{OSC_TITLE}")
    for name in ("loader", "ajp-bio-18009-exec-1021"):
        dump = dump.replace(f'"{name}"', f'"{name}{CLEAR}"')
    (sv / "log" / "main" / "current").write_text(dump, encoding="utf-8")
    hs_err = (ROOT / "testdata" / "fuzz" / "hserr" / "hs_err").read_text()
    hs_err = hs_err.replace("PhaseIdealLoop", f"Phase{OSC_TITLE}IdealLoop")
    hs_err = hs_err.replace("(build 11.0.7+10)", f"(build 11.0.7+10{CSI_8BIT})")
    (sv / "hs_err_pid4242.log").write_text(hs_err, encoding="utf-8")
    proc = tmp_path / "proc"
    proc.mkdir()
    return root, proc


def test_a_thread_dump_and_an_hs_err_file_print_escaped(tmp_path):
    root, proc = crashed_service_root(tmp_path)
    for lang in ("en", "zh"):
        rc, out = on_pty(["scan", "--root", root, "--proc-root", proc, "--no-db", "--lang", lang])
        assert rc == 1, out
        text = out.decode("utf-8", errors="replace")
        # the service block's lines of the dump and the hs_err file (indented by four):
        # deadlock links, main's wait, a blocked monitor, a folded stack, frame and JRE
        quoted = "\n".join(line for line in text.splitlines() if line.startswith("    "))
        for shown in ("ajp-bio-18009-exec-1189\\x1b]0;PWNED\\x07\" ",
                      "ClientCnxn.connect\\x1b]0;PWNED\\x07 ", "\"loader\\x1b[2J\"",
                      "com.acme.Cache.get\\x1b]0;PWNED\\x07(Cache.java:7)",
                      "Phase\\x1b]0;PWNED\\x07IdealLoop", "11.0.7+10\\u009b2J)"):
            assert shown in quoted, (shown, text)
        assert_screen_safe(out, must_show=("\\x1b[2J", "\\u009b2J"))
