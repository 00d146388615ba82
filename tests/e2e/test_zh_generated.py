"""The sentences wrench writes itself in Chinese: verdict, incidents, conflict and duplicate
titles, what the classpath holds for a class a log names.

A real JVM runs app.jar against acme-util-1.0.jar and acme-util-2.0.jar (built with javac and
jar, the same class in both with different bytes, 1.0 first on the classpath) and fails with a
NoSuchMethodError, which goes to the log. wrench finds a duplicate library, a class conflict
and the log failure, explained by the classpath. With --lang zh the text report's verdict and
incident lines are Chinese and hold no English sentence; the JSON carries both languages, and
a stored scan gives both back. A real Tomcat with two failing webapps gives the two-webapp
verdict in Chinese.
"""

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest

import helpers
from test_incidents import add_typo_webapp, two_failed  # noqa: F401 (a fixture)

JAVA_TIMEOUT = 120

TEXT_V1 = "package com.acme.util;\npublic class Text {\n" \
          "    public static String hello() { return \"hello\"; }\n}\n"
TEXT_V2 = "package com.acme.util;\npublic class Text {\n" \
          "    public static String hello() { return \"hello\"; }\n" \
          "    public static String shout() { return \"HELLO\"; }\n}\n"
MAIN = "package com.acme.app;\npublic class Main {\n    public static void main(String[] a) {\n" \
       "        System.out.println(com.acme.util.Text.shout());\n    }\n}\n"


def _run(args, cwd=None):
    proc = subprocess.run(args, capture_output=True, text=True, timeout=JAVA_TIMEOUT, cwd=cwd)
    assert proc.returncode == 0, (args, proc.stderr)
    return proc


def _library(tmp, version, source):
    src = tmp / f"src{version}" / "com/acme/util"
    src.mkdir(parents=True)
    (src / "Text.java").write_text(source)
    classes = tmp / f"classes{version}"
    _run(["javac", "--release", "11", "-d", str(classes), str(src / "Text.java")])
    pom = classes / "META-INF/maven/com.acme/acme-util"
    pom.mkdir(parents=True)
    (pom / "pom.properties").write_text(
        f"groupId=com.acme\nartifactId=acme-util\nversion={version}\n")
    jar = tmp / f"acme-util-{version}.jar"
    _run(["jar", "--create", "--file", str(jar), "-C", str(classes), "."])
    return jar, classes


def _state_classes(tmp_path, name):
    """test_state's main `name` (testdata/state/NAME.java) compiled into tmp_path/classes."""
    classes = tmp_path / "classes"
    _run(["javac", "-nowarn", "-d", str(classes),
          str(helpers.ROOT / "testdata" / "state" / f"{name}.java")])
    return classes


def _show(db, lang="zh"):
    """The text report of the scan stored last in `db`, in `lang`, without colour."""
    proc = helpers.run(["show", "--db", db, "--lang", lang, "--color", "never"])
    assert proc.returncode == 0, proc.err
    return proc.out


def _show_json(db):
    """The JSON report of the scan stored last in `db`."""
    proc = helpers.run(["show", "--db", db, "--json"])
    assert proc.returncode == 0, proc.err
    return json.loads(proc.out)


def _stored_scan(db, *args, rcs=(0, 1)):
    """`scan ARGS` stored in `db`: its JSON report and the zh text of the stored scan (the
    text of the same scan: its evidence counts seconds)."""
    report = helpers.scan(*args, "--db", db, rcs=rcs)
    return report, _show(db)


def _runit_scan_until_down(tmp_path, name, main, java_args, dirs=()):
    """test_state's main `main` as runit service NAME of a fixture root (test_state's
    _runit_down: run by a real runsv until it is down), scanned with no process to look at
    (an empty --proc-root). (the service directory, the JSON report, the zh text of the
    stored scan)"""
    from test_state import _runit_down
    root = tmp_path / "root"
    classes = _state_classes(tmp_path, main)
    with _runit_down(root, name, java_args, classes, dirs=dirs) as sv:
        empty_proc = tmp_path / "proc"
        empty_proc.mkdir()
        report, zh_text = _stored_scan(tmp_path / "w.db", "--root", root, "--proc-root",
                                       empty_proc, rcs=(1,))
    return sv, report, zh_text


@pytest.fixture(scope="module")
def failed_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zh-app")
    old, _ = _library(tmp, "1.0", TEXT_V1)
    new, new_classes = _library(tmp, "2.0", TEXT_V2)
    src = tmp / "app/com/acme/app"
    src.mkdir(parents=True)
    (src / "Main.java").write_text(MAIN)
    app_classes = tmp / "app-classes"
    _run(["javac", "--release", "11", "-cp", str(new_classes), "-d", str(app_classes),
          str(src / "Main.java")])
    app = tmp / "app.jar"
    _run(["jar", "--create", "--file", str(app), "-C", str(app_classes), "."])
    classpath = f"{old}:{new}:{app}"
    proc = subprocess.run(["java", "-cp", classpath, "com.acme.app.Main"], capture_output=True,
                          text=True, timeout=JAVA_TIMEOUT)
    assert proc.returncode != 0 and "NoSuchMethodError" in proc.stderr, proc.stderr
    log = tmp / "app.log"
    log.write_text(proc.stderr)
    return classpath, log


CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def english_sentence(line):
    """Three or more English words in a row, once the names wrench keeps as they are (classes,
    paths, jar names, exception names, rule ids) are taken out; None when there is none."""
    words = []
    for token in re.split(r"[\s\u3000-\u303f\uff00-\uffef]+", line):
        plain = re.fullmatch(r"[A-Za-z]+", token.strip(":;,.!?\"'"))
        words = words + [token] if plain else []
        if len(words) >= 3:
            return " ".join(words)
    return None


def _catalogue():
    """{name: (english, chinese)} of every message in wrench/messages.c, read from its
    source (the C string literals of each `[MSG_X] = {"name", {"en...", "zh..."}}`)."""
    source = (helpers.ROOT / "wrench" / "messages.c").read_text()
    body = source[source.index("catalogue[MSG_COUNT] = {"):source.index("/* clang-format on */")]
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|[{},]', body)
    out, i = {}, 0

    def literals(i):
        parts = []
        while tokens[i].startswith('"'):
            parts.append(json.loads(tokens[i]))
            i += 1
        return "".join(parts), i

    while i < len(tokens):
        if tokens[i] == "{" and i + 2 < len(tokens) and tokens[i + 1].startswith('"') \
                and tokens[i + 2] == ",":
            name = json.loads(tokens[i + 1])
            assert tokens[i + 3] == "{", (name, tokens[i + 3])
            en, i = literals(i + 4)
            assert tokens[i] == ",", name
            zh, i = literals(i + 1)
            out[name] = (en, zh)
        i += 1
    return out


CATALOGUE = _catalogue()


def test_the_catalogue_is_read_whole():
    # the parser above sees every message: as many as the enum has (messages.h)
    header = (helpers.ROOT / "wrench" / "messages.h").read_text()
    enum = header[header.index("enum msg_id {"):header.index("MSG_COUNT")]
    assert len(CATALOGUE) == len(re.findall(r"^\s+MSG_\w+,", enum, re.M)) > 200
    assert CATALOGUE["verdict.crashed"] == ("{what} crashed: {cause}", "{what} 已崩溃：{cause}")


def english_fragments():
    """The fixed English parts of the catalogue's messages (the text between placeholders)
    of three words or more: none of them belongs in a Chinese report."""
    frags = set()
    for en, _ in CATALOGUE.values():
        for part in re.split(r"\{[^}]*\}", en):
            words = re.findall(r"[A-Za-z][A-Za-z'-]*", part)
            if len(words) >= 3:
                frags.add(" ".join(words))
    return frags


FRAGMENTS = english_fragments()


def assert_no_catalogue_english(text):
    """No fixed English part of a message of the catalogue is left in the lines wrench words
    of a zh report (what it quotes from logs and thread dumps aside)."""
    for line in wrench_lines(text):
        plain = " ".join(re.findall(r"[A-Za-z][A-Za-z'-]*", line))
        for frag in FRAGMENTS:
            assert not re.search(r"\b" + re.escape(frag) + r"\b", plain), (frag, line)


def wrench_lines(text):
    """The lines of a zh text report that wrench words: not the quoted lines of a log, a
    thread dump or a sample ("| ...")."""
    return [line for line in text.splitlines() if not line.strip().startswith("|")]


def assert_no_english(text):
    assert_no_catalogue_english(text)
    for line in wrench_lines(text):
        assert english_sentence(line) is None, (line, text)


def service_block(text, name):
    """The lines of a zh text report's block of service `name` that wrench words: its state
    line, facts and evidence (not the hs_err's or thread dump's lines, indented deeper, which
    quote the JVM)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"服务 {name}（"))
    block = []
    for line in lines[start:]:
        if not line:
            break
        if not line.startswith("    "):
            block.append(line)
    return block


def test_english_sentence_detector():
    assert english_sentence("服务启动失败：acme-util-1.0.jar、com.acme.util.Text") is None
    assert english_sentence("结论：No problem found in 3 entries") == "No problem found"
    assert english_sentence("webapp /acme 启动失败") is None
    assert english_sentence("服务 failed to start: x") == "failed to start:"


def _failed_app_text(failed_app, lang):
    """The text report, in `lang`, of a scan of the failed app's classpath and log (exit 1)."""
    classpath, log = failed_app
    proc = helpers.run(["scan", "--classpath", classpath, "--logs", log, "--no-db",
                        "--color", "never", "--lang", lang])
    assert proc.returncode == 1, proc.err
    return proc


def test_text_report_in_chinese(failed_app):
    proc = _failed_app_text(failed_app, "zh")
    lines = proc.out.splitlines()
    verdict = next(line for line in lines if line.startswith("结论："))
    assert "Verdict" not in proc.out
    at = lines.index("事件：")
    incidents = [line for line in lines[at + 1:] if re.match(r"  \d+\. ", line)]
    assert len(incidents) >= 2, proc.out
    conflict = next(line for line in lines if line.startswith("错误     类冲突："))
    duplicate = next(line for line in lines if line.startswith("错误     重复的库："))
    classpath_line = next(line for line in lines if line.strip().startswith("classpath："))
    for line in [verdict, *incidents]:
        assert CJK.search(line), line
        assert english_sentence(line) is None, line
    for line in (conflict, duplicate, classpath_line):
        text = line.split("：", 1)[1]
        assert CJK.search(text), line
        assert english_sentence(text) is None, line
    # Every line wrench words is Chinese: the scanned line, the log line, the finding
    # labels, the summary; only what is quoted (a log's lines) stays as written.
    assert_no_english(proc.out)
    assert re.search(r"^汇总：严重 0 个，错误 \d+ 个，警告 \d+ 个，信息 \d+ 个（\d+ 毫秒）$", proc.out,
                     re.M), proc.out
    assert "Summary:" not in proc.out and "Scanned " not in proc.out
    # The names stay as they are.
    assert "com.acme.util.Text" in verdict and "acme-util-1.0.jar" in verdict
    assert "acme-util 在 classpath 上有 2 个版本：1.0、2.0" in duplicate
    assert "实际加载的是 acme-util-1.0.jar" in conflict


def test_json_has_both_languages(failed_app, tmp_path):
    classpath, log = failed_app
    db = tmp_path / "w.db"
    r = helpers.scan("--classpath", classpath, "--logs", log, "--db", db)
    assert r["_rc"] == 1
    verdict = r["verdict"]
    assert verdict["text"].startswith("The service failed to start: ")
    assert verdict["text_zh"].startswith("服务启动失败：")
    assert "com.acme.util.Text 存在于 2 个条目中，各副本内容不同" in verdict["text_zh"]
    assert english_sentence(verdict["text_zh"]) is None
    for inc in r["incidents"]:
        assert CJK.search(inc["cause_text_zh"]), inc
        # "classpath" is the same in both languages; the others are Chinese.
        assert inc["what_zh"] == "classpath" or CJK.search(inc["what_zh"]), inc
        for field in ("what_zh", "cause_text_zh"):
            assert english_sentence(inc[field]) is None, inc
        assert not CJK.search(inc["what"] + inc["cause_text"]), inc
    kinds = {}
    for f in r["findings"]:
        kinds.setdefault(f["kind"], []).append(f)
    assert {"log", "correlation", "conflict", "duplicate"} <= set(kinds)
    for kind in ("log", "correlation", "conflict", "duplicate"):
        for f in kinds[kind]:
            assert CJK.search(f["title_zh"]) and not CJK.search(f["title"]), f
    # An entry's role in a finding's evidence, in both languages.
    roles = {(e["detail"], e.get("detail_zh")) for e in kinds["correlation"][0]["evidence"]
             if e["kind"] == "entry"}
    assert roles == {("holds the class (loads first)", "包含该类（先加载）"),
                     ("holds the class", "包含该类")}, roles
    assert r["duplicates"][0]["title_zh"] == "acme-util 在 classpath 上有 2 个版本：1.0、2.0"
    assert r["duplicates"][0]["title"] == "acme-util is on the classpath in 2 versions: 1.0, 2.0"
    assert r["conflicts"][0]["title_zh"].startswith("acme-util-1.0.jar 和 acme-util-2.0.jar 共有")
    correlation = r["logs"]["findings"][0]["correlations"][0]
    assert correlation["text_zh"].startswith("com.acme.util.Text 存在于 2 个条目中")
    # A stored scan gives both languages back.
    shown = _show_json(db)
    for key in ("verdict", "incidents", "findings", "conflicts", "duplicates"):
        assert shown[key] == r[key], key
    assert "结论：" + verdict["text_zh"] in _show(db)
    # The history lists the verdict in both languages.
    proc = helpers.run(["history", "--db", db, "--json"])
    assert proc.returncode == 0, proc.err
    history = json.loads(proc.out)
    row = (history["scans"] if isinstance(history, dict) else history)[0]
    assert row["summary"]["verdict"] == verdict["text"]
    assert row["verdict_zh"] == verdict["text_zh"]


def test_english_report_keeps_english(failed_app):
    proc = _failed_app_text(failed_app, "en")
    assert not CJK.search(proc.out), proc.out
    assert "Verdict: The service failed to start: " in proc.out
    # the check of zh reports finds the catalogue's English where it is
    with pytest.raises(AssertionError):
        assert_no_catalogue_english(proc.out)


def test_no_problem_verdict_in_chinese(failed_app):
    classpath, _ = failed_app
    app = classpath.split(":")[-1]
    r = helpers.scan("--classpath", app, "--no-db")
    assert r["verdict"]["text"] == "No problem found in 1 classpath entry."
    assert r["verdict"]["text_zh"] == "在 1 个 classpath 条目中未发现问题。"


def test_two_webapps_verdict_in_chinese(two_failed):  # noqa: F811 (the fixture)
    r = helpers.scan("--tomcat", two_failed.base, "--no-db")
    zh = r["verdict"]["text_zh"]
    assert re.match(r"(\d+ 个 webapp 中有 2 个|2 个 webapp )启动失败：/bad：", zh), zh
    assert zh.index("/bad：") < zh.index("shop.db.url") < zh.index("；/typo：") \
        < zh.index("FailingListenr"), zh
    assert zh.endswith("？")  # "... 是不是指 com.example.web.FailingListener？" ends it
    webapps = [i for i in r["incidents"] if i["subject"] == "webapp"]
    assert {i["what_zh"] for i in webapps} == {"webapp /bad", "webapp /typo"}
    # the zh text report of a real Tomcat's logs and webapps: none of the catalogue's English
    zh_text = helpers.run(["scan", "--tomcat", two_failed.base, "--no-db", "--lang", "zh",
                           "--color", "never"]).out
    assert "汇总：" in zh_text and "已扫描 webapp " in zh_text, zh_text
    assert_no_catalogue_english(zh_text)


def test_a_service_state_reason_is_chinese_too(tmp_path):
    """A runit service with no JVM (a fixture root, no process): the state's reason is in
    both languages in the JSON, the Chinese one in the zh text report's service line and in
    the service finding's title, the English one in the English report."""
    root = tmp_path / "root"
    sv = root / "etc" / "sv" / "shop"
    sv.mkdir(parents=True)
    (sv / "run").write_text("#!/bin/sh\nexec java -cp lib/app.jar com.acme.Shop\n")
    (root / "etc" / "service").mkdir()
    (root / "etc" / "service" / "shop").symlink_to("../sv/shop")
    proc_root = tmp_path / "proc"
    proc_root.mkdir()
    args = ["scan", "--root", str(root), "--proc-root", str(proc_root), "--no-db"]
    report = json.loads(helpers.run([*args, "--json"]).out)
    [st] = report["services"]
    assert st["state"] == "down"
    assert st["reason"] == "no JVM runs it" and st["reason_zh"] == "没有 JVM 在运行它"
    [f] = [f for f in report["environment"]["findings"] if f["id"] == "service-down"]
    assert f["title_zh"] == "服务 shop 未在运行：没有 JVM 在运行它", f
    zh = helpers.run([*args, "--lang", "zh"]).out
    assert "服务 shop（classpath）：已停止，没有 JVM 在运行它" in zh, zh
    assert "  证据：没有 /etc/sv/shop/supervise/stat：runsv 从未运行过该服务" in zh, zh
    en = helpers.run([*args, "--lang", "en"]).out
    assert "Service shop (classpath): DOWN, no JVM runs it" in en, en
    assert "  evidence: no /etc/sv/shop/supervise/stat: runsv has not run this service" in en, en
    assert st["evidence"] == ["no /etc/sv/shop/supervise/stat: runsv has not run this service"]
    assert st["evidence_zh"] == ["没有 /etc/sv/shop/supervise/stat：runsv 从未运行过该服务"]
    assert f["detail_zh"] == st["evidence_zh"][0] and f["detail"] == st["evidence"][0], f
    # discovery's places looked at in vain, in both languages, one for each
    d = report["discovery"]
    assert len(d["not_found_zh"]) == len(d["not_found"]) and len(d["notes_zh"]) == len(d["notes"])
    assert d["not_found"][0] == "running Java processes: none"
    assert d["not_found_zh"][0] == "运行中的 Java 进程：没有"
    for en_text, zh_text in zip(d["not_found"], d["not_found_zh"]):
        _both_languages(en_text, zh_text)
    assert "  未找到：运行中的 Java 进程：没有\n" in zh, zh
    assert "  not found: running Java processes: none\n" in en, en


# ---- the zh text of diff, a crashed service and a thread dump in a log ----

def test_diff_in_chinese(tmp_path):
    """An upgrade of a real lib/ (test_store's two versions): `wrench diff --lang zh` words
    its headings, labels, finding titles and summary in Chinese; the English diff stays."""
    from test_store import service_v1, service_v2
    db = tmp_path / "w.db"
    lib = tmp_path / "lib"
    for version in (service_v1, service_v2):
        version(lib)
        proc = helpers.run(["scan", "--classpath", f"{lib}/*", "--db", db, "--json"])
        assert proc.returncode in (0, 1), proc.err
    zh = helpers.run(["diff", "--db", db, "--lang", "zh"])
    assert zh.returncode == 0, zh.err
    assert re.search(r"^比较扫描 1（.*）\n  和扫描 2（.*）$", zh.out, re.M), zh.out
    assert "新的发现（1）：" in zh.out and "已解决的发现（2）：" in zh.out, zh.out
    assert "移除的 jar（2）：" in zh.out and "变化的 jar（1）：" in zh.out, zh.out
    assert "汇总：新增 1 个，已解决 2 个；jar：新增 1 个，移除 2 个，变化 1 个" in zh.out, zh.out
    assert re.search(r"^  错误     类冲突：app\.jar 和 commons-lang3-3\.12\.0\.jar 共有", zh.out,
                     re.M), zh.out
    assert_no_english(zh.out)
    en = helpers.run(["diff", "--db", db, "--lang", "en"])
    assert "New findings (1):" in en.out and not CJK.search(en.out), en.out
    assert "Summary: 1 new, 2 resolved; jars: 1 added, 2 removed, 1 changed" in en.out
    # The JSON is the same whatever the language, and carries both: each finding's title in
    # Chinese, the one the zh text diff prints.
    assert helpers.run(["diff", "--db", db, "--json", "--lang", "zh"]).out == \
        helpers.run(["diff", "--db", db, "--json"]).out
    d = json.loads(helpers.run(["diff", "--db", db, "--json"]).out)
    found = d["new_findings"] + d["resolved_findings"]
    assert len(found) == 3, d
    for f in found:
        _both_languages(f["title"], f["title_zh"])
        assert f["title_zh"] in zh.out, (f, zh.out)
    [conflict] = [f for f in d["new_findings"] if f["kind"] == "conflict"]
    assert conflict["title_zh"].startswith("app.jar 和 commons-lang3-3.12.0.jar 共有"), conflict
    proc = helpers.run(["diff", "--db", db, "--lang", "fr"])
    assert proc.returncode == 2 and "--lang takes en or zh, not 'fr'" in proc.err


def _both_languages(en, zh):
    """A text wrench words in both languages: the Chinese is Chinese, differs from the
    English and holds no English sentence; the English holds no Chinese."""
    assert zh != en and CJK.search(zh), (en, zh)
    assert english_sentence(zh) is None, zh
    assert not CJK.search(en), en


def test_a_crashed_runit_service_in_chinese(tmp_path):
    """A real JVM under runsv dies of a SIGSEGV (test_state's Crash) and leaves an hs_err
    file: its reason, evidence and service finding are Chinese in the JSON and in the zh
    text report, with the JVM's words (signal, frame) as they are."""
    _, report, zh_text = _runit_scan_until_down(tmp_path, "pay", "Crash",
                                                ["-Xmx64m", "-cp", "classes", "Crash", "0"])
    [st] = report["services"]
    assert st["state"] == "crashed", st
    assert st["reason_zh"].startswith("JVM 因致命错误而终止：SIGSEGV"), st["reason_zh"]
    assert "，出错的栈帧为 " in st["reason_zh"] and "（JRE " in st["reason_zh"], st
    assert len(st["evidence_zh"]) == len(st["evidence"]) >= 2, st
    for en, zh in zip(st["evidence"], st["evidence_zh"]):
        _both_languages(en, zh)
    assert any(e.startswith("finish 脚本记录了 1 次已结束的运行，最近一次：被信号 6（SIGABRT）终止")
               for e in st["evidence_zh"]), st["evidence_zh"]
    assert st["crash"]["last_exit"].startswith("killed by signal 6 (SIGABRT)"), st["crash"]
    assert st["crash"]["last_exit_zh"].startswith("被信号 6（SIGABRT）终止"), st["crash"]
    [f] = [f for f in report["environment"]["findings"] if f["id"] == "service-crashed"]
    assert f["title_zh"] == "服务 pay 已崩溃：" + st["reason_zh"]
    assert f["detail_zh"] == "；".join(st["evidence_zh"])
    # The zh text report: the service block in Chinese, the hs_err's facts under Chinese
    # labels, no English sentence of wrench's.
    assert "服务 pay（classpath）：已崩溃，JVM 因致命错误而终止：SIGSEGV" in zh_text, zh_text
    assert re.search(r"^    出错的栈帧：", zh_text, re.M), zh_text
    for zh in st["evidence_zh"]:
        assert f"  证据：{zh}\n" in zh_text
    block = service_block(zh_text, "pay")
    assert len(block) >= 6, block
    quoted = [v for v in st["crash"]["hs_err_facts"].values() if isinstance(v, str)]
    for line in block:
        for v in quoted:  # the JVM's words, as the hs_err file has them
            line = line.replace(v, "")
        assert english_sentence(line) is None, line
    assert_no_catalogue_english(zh_text)
    # discovery: how the service was found and why it is one, in Chinese
    [svc] = report["discovery"]["services"]
    assert svc["origin"] == "runit service /etc/sv/pay" and svc["origin_zh"] == "runit 服务 /etc/sv/pay"
    assert svc["evidence_zh"][0].startswith("runit 服务 /etc/sv/pay 运行 "), svc
    assert svc["evidence_zh"][1] == "主类 Crash", svc
    lines = zh_text.splitlines()
    at = lines.index("发现 classpath 服务 pay（runit 服务 /etc/sv/pay）：未在运行")
    assert lines[at + 1:at + 3] == ["  " + e for e in svc["evidence_zh"][:2]], lines[at:at + 4]
    for line in lines[at:at + 3] + [line for line in lines if line.startswith("  未找到：")]:
        assert english_sentence(line) is None, line


def test_a_thread_dump_in_a_log_in_chinese(tmp_path, jvms):
    """A real JVM (test_state's Hang) blocked in a socket read gets a kill -3: the thread
    dump in its output is an environment finding whose Chinese title says where main waits
    in Chinese, with the frames as the JVM names them."""
    classes = _state_classes(tmp_path, "Hang")
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    log = tmp_path / "out.log"
    try:
        jvm = jvms(["-cp", classes, "Hang", srv.getsockname()[1]], tmp_path, log)
        conn, _ = srv.accept()  # the JVM connects and then waits for an answer
        time.sleep(0.5)
        os.kill(jvm.pid, signal.SIGQUIT)
        deadline = time.time() + 30
        while "Full thread dump" not in log.read_text(errors="replace") or \
                "JNI global refs" not in log.read_text(errors="replace"):
            assert time.time() < deadline, log.read_text()
            time.sleep(0.1)
        r = helpers.scan("--logs", log, "--no-db", rcs=(0, 1))
        zh_text = helpers.run(["scan", "--logs", log, "--no-db", "--lang", "zh",
                               "--color", "never"]).out
    finally:
        srv.close()
    [f] = [f for f in r["environment"]["findings"] if f["id"] == "log.thread-dump"]
    assert f["title"].startswith("a thread dump in the log: main "), f
    assert f["title_zh"].startswith("日志中的线程转储：main 在 "), f
    assert "中等待" in f["title_zh"] or "中运行" in f["title_zh"], f
    assert "Hang.main" in f["title_zh"], f
    _both_languages(f["title"], f["title_zh"])
    assert f"容器：{f['title_zh']}" in zh_text, zh_text
    assert_no_english(zh_text)


def test_problems_reading_jars_in_chinese(tmp_path, failed_app):
    """A corrupt jar, an empty one, a missing one and a jar listed twice: each problem's
    message is in both languages in the JSON (the zip reader's own error quoted in the
    Chinese), in the zh text report and in a stored scan."""
    classpath, _ = failed_app
    app = classpath.split(":")[-1]
    bad = tmp_path / "bad.jar"
    bad.write_bytes(b"not a zip at all\n" * 4)
    empty = tmp_path / "empty.jar"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.jar"
    db = tmp_path / "w.db"
    cp = f"{app}:{bad}:{empty}:{missing}:{app}"
    r = helpers.scan("--classpath", cp, "--db", db, rcs=(1,))
    problems = {p["path"]: p for p in r["problems"] if p["path"] != app}
    assert problems[str(bad)]["message_zh"].startswith("不是可读取的 jar（zip）文件："), problems
    assert problems[str(bad)]["message"].endswith(
        problems[str(bad)]["message_zh"].split("：", 1)[1]), problems  # the reader's text, quoted
    assert problems[str(empty)]["message_zh"].startswith("不是可读取的 jar（zip）文件："), problems
    assert problems[str(missing)]["message_zh"] == "文件或目录不存在", problems
    [twice] = [p for p in r["problems"] if p["path"] == app]
    assert twice["message"] == f"the same file as entry 0 ({app}); read once", twice
    assert twice["message_zh"] == f"与条目 0（{app}）是同一个文件；只读取一次", twice
    for p in (problems[str(missing)], twice):
        _both_languages(p["message"], p["message_zh"])
    # the incidents and findings carry it
    causes = [i["cause_text_zh"] for i in r["incidents"] if i["subject"] == "input"]
    assert f"无法读取的输入：{missing}：文件或目录不存在" in causes, causes
    found = [f for f in r["findings"] if f["kind"] == "problem"]
    assert {f["detail_zh"] for f in found} == {p["message_zh"] for p in r["problems"]}, found
    # a stored scan gives them back, byte for byte
    shown = _show_json(db)
    assert shown["problems"] == r["problems"] and shown["findings"] == r["findings"]
    zh = _show(db)
    assert f"警告     问题：{missing}\n           文件或目录不存在\n" in zh, zh
    assert f"信息     问题：{app}\n           与条目 0（{app}）是同一个文件；只读取一次\n" in zh, zh
    assert_no_catalogue_english(zh)


def test_a_heap_oom_of_a_runit_jvm_in_chinese(tmp_path):
    """A real JVM under runsv runs out of heap, writes a heap dump and exits
    (-XX:+ExitOnOutOfMemoryError, test_state's Oom): its reason, last exit and heap dump are
    in Chinese in the JSON and the zh text report of the stored scan."""
    sv, report, zh_text = _runit_scan_until_down(
        tmp_path, "stock", "Oom",
        ["-Xmx16m", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=dumps",
         "-XX:+ExitOnOutOfMemoryError", "-cp", "classes", "Oom"], dirs=("dumps",))
    [st] = report["services"]
    crash = st["crash"]
    assert crash["last_exit"] == "exit 3" and crash["last_exit_zh"] == "退出码 3", crash
    assert st["reason_zh"].startswith("退出码 3：发生 OutOfMemoryError 时"), st["reason_zh"]
    [dump] = crash["heap_dumps"]
    [dump_zh] = crash["heap_dumps_zh"]
    [hprof] = list((sv / "dumps").glob("java_pid*.hprof"))
    assert dump_zh.startswith(f"{hprof}（{hprof.stat().st_size} 字节，写于 20"), dump_zh
    _both_languages(dump, dump_zh)
    assert f"  堆转储：{dump_zh}\n" in zh_text and "  上次退出：退出码 3\n" in zh_text, zh_text
    for line in service_block(zh_text, "stock"):
        assert english_sentence(line) is None, line
    assert_no_catalogue_english(zh_text)


def test_a_running_jvm_block_in_chinese(tmp_path, jvms):
    """A real JVM (test_state's Worker) with -Dserver.port=0, found by --pid: its block in the
    zh text report (state, process, listening, evidence) is Chinese, and its note (a random
    port) is in both languages in the JSON."""
    classes = _state_classes(tmp_path, "Worker")
    jvm = jvms(["-Dserver.port=0", "-cp", classes, "Worker"], tmp_path, tmp_path / "out.log")
    r, zh_text = _stored_scan(tmp_path / "w.db", "--pid", jvm.pid)
    [st] = [s for s in r["services"] if s["pid"] == jvm.pid]
    assert st["notes"] == ["-Dserver.port: server.port=0, a random port"], st
    assert st["notes_zh"] == ["-Dserver.port：server.port=0，即随机端口"], st
    block = service_block(zh_text, "Worker")
    assert block[1].startswith(f"  进程：pid {jvm.pid}，已运行 "), block
    assert "  注意：-Dserver.port：server.port=0，即随机端口" in block, block
    assert any(line.startswith("  证据：pid ") for line in block), block
    for line in block:
        assert english_sentence(line) is None, line
    assert_no_catalogue_english(zh_text)


def test_view_notes_in_chinese(tmp_path, failed_app):
    """Why a view's order is undefined, for each kind of view that has a note: a dir/* of the
    two real acme-util jars, the same directory by --dir, a war with both in WEB-INF/lib and
    one in WEB-INF/lib-provided, a Boot jar without classpath.idx. Each note is in both
    languages in the JSON, in a stored scan and in the zh text report (its `注意：` line and the
    conflict's undefined-order line), paths as they are."""
    classpath, _ = failed_app
    old, new, _app = classpath.split(":")
    lib = tmp_path / "lib"
    lib.mkdir()
    for jar in (old, new):
        shutil.copy(jar, lib)
    libs = [(os.path.basename(j), open(j, "rb").read()) for j in (old, new)]
    war = helpers.make_war(tmp_path / "shop.war", libs=libs, provided=libs[:1])
    boot = helpers.make_boot_jar(tmp_path / "boot.jar", libs=libs)
    db = tmp_path / "w.db"
    args = ["--classpath", f"{lib}/*", "--dir", lib, "--war", war, "--jar", boot]
    r = helpers.scan(*args, "--db", db, rcs=(1,))
    notes = {v["target_kind"]: (v["note"], v["note_zh"]) for v in r["views"]}
    assert set(notes) == {"classpath", "dir", "war", "boot-jar"}, r["views"]
    assert notes["classpath"] == (
        f"{lib}/* expands to jars in no defined order (the JVM lists the directory as the file "
        "system returns it)",
        f"{lib}/* 展开后的 jar 没有确定的顺序（JVM 按文件系统返回的顺序列出该目录）")
    assert notes["dir"] == (f"the jars of {lib} are loaded in no defined order",
                            f"{lib} 中的 jar 没有确定的加载顺序")
    assert notes["war"][1] == "WEB-INF/lib 的搜索顺序不确定（Tomcat 按文件系统返回的顺序列出该目录）；" \
        "WEB-INF/lib-provided 中有 1 个 jar，servlet 容器不会加载它们", notes["war"]
    assert notes["war"][0].endswith("; WEB-INF/lib-provided holds 1 jar(s) that a servlet "
                                     "container does not load"), notes["war"]
    assert notes["boot-jar"][1] == "没有 BOOT-INF/classpath.idx：按归档中条目的顺序搜索 BOOT-INF/lib"
    for en, zh in notes.values():
        _both_languages(en.replace(str(lib), ""), zh.replace(str(lib), ""))
    # a stored scan gives them back, and its zh text says them in Chinese
    shown = _show_json(db)
    assert shown["views"] == r["views"]
    zh = _show(db)
    for _, note_zh in notes.values():
        assert f"  注意：{note_zh}\n" in zh, zh
    # the conflict of the --dir view says why its winner is undefined with the note
    assert f"           加载哪个副本是不确定的：{lib} 中的 jar 没有确定的加载顺序\n" in zh, zh
    assert_no_english(zh.replace(str(lib), "LIB"))
    en = _show(db, "en")
    assert f"  note: the jars of {lib} are loaded in no defined order\n" in en, en
    assert not CJK.search(en), en


def test_problems_reading_logs_in_chinese(tmp_path, failed_app):
    """Logs wrench cannot read (fully): a gzip cut short (the real JVM's
    failure, compressed), a binary file, a log with NUL bytes, a dangling link named like a
    log in a directory, and a directory that holds no log. Each problem's message is in both
    languages in the JSON (zlib's and the system's words quoted), in a stored scan and in the
    zh text report, which holds no English sentence of wrench's."""
    _, log = failed_app
    logs = tmp_path / "logs"
    logs.mkdir()
    whole = gzip.compress(log.read_bytes() * 50)
    (logs / "cut.log.gz").write_bytes(whole[:len(whole) // 2])
    (logs / "garbage.log").write_bytes(bytes(range(256)) * 16)
    (logs / "nul.log").write_bytes(log.read_bytes().replace(b"\n", b"\0\n", 3))
    (logs / "gone.log").symlink_to(tmp_path / "nowhere.log")
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "w.db"
    r = helpers.scan("--logs", logs, "--logs", empty, "--db", db, rcs=(0, 1))
    problems = {os.path.basename(p["path"]): p for p in r["logs"]["problems"]}
    assert set(problems) == {"cut.log.gz", "garbage.log", "nul.log", "gone.log", "empty"}, \
        problems
    zh = {name: p["message_zh"] for name, p in problems.items()}
    assert re.fullmatch(re.escape(str(logs / "cut.log.gz")) +
                        r"：读取 \d+ 字节后压缩数据提前结束：.+", zh["cut.log.gz"]), zh
    # zlib's own words, quoted as they are in both languages
    assert problems["cut.log.gz"]["message"].split(" bytes: ", 1)[1] == \
        zh["cut.log.gz"].split("字节后压缩数据提前结束：", 1)[1], problems["cut.log.gz"]
    assert re.fullmatch(re.escape(str(logs / "garbage.log")) +
                        r"：看起来是二进制文件，不是日志（前 \d+ 字节中有 \d+ 个控制字节）",
                        zh["garbage.log"]), zh
    nuls = re.fullmatch(r".*: (\d+) NUL bytes, read as spaces", problems["nul.log"]["message"])
    assert zh["nul.log"] == f"{logs / 'nul.log'}：有 {nuls[1]} 个 NUL 字节，已按空格读取", zh
    assert zh["gone.log"] == f"{logs / 'gone.log'}：名称像日志文件，但文件或目录不存在；已跳过", zh
    assert problems["gone.log"]["message"] == \
        f"{logs / 'gone.log'}: named like a log but No such file or directory; skipped"
    assert zh["empty"] == f"{empty}：没有可读取的日志文件", zh
    for name, p in problems.items():
        if name != "cut.log.gz":
            _both_languages(p["message"].replace(str(tmp_path), ""),
                            p["message_zh"].replace(str(tmp_path), ""))
    # an error no rule knows (the JVM's log repeated in the readable part of the gzip) has
    # its hint in Chinese too
    unknown = [f for f in r["logs"]["findings"] if f["rule"] == "uncategorized"]
    assert unknown, r["logs"]["findings"]
    for f in unknown:
        assert f["hint_zh"].startswith("没有规则能识别这个错误。"), f
        _both_languages(f["hint"], f["hint_zh"])
    # the findings and incidents carry them
    found = [f for f in r["findings"] if f["kind"] == "problem"]
    assert {f["detail_zh"] for f in found} == set(zh.values()), found
    # a stored scan gives them back, and its zh text says them in Chinese
    shown = _show_json(db)
    assert shown["logs"]["problems"] == r["logs"]["problems"]
    assert shown["findings"] == r["findings"]
    text = _show(db)
    for message in zh.values():
        assert f"           {message}\n" in text, (message, text)
    plain = text.replace(zh["cut.log.gz"].split("提前结束：", 1)[1], "")  # zlib's words
    assert_no_english(plain.replace(str(tmp_path), "TMP"))


def test_a_jvm_command_line_note_in_chinese(tmp_path, jvms):
    """A real JVM started as `java -cp other -jar worker.jar` (the launcher ignores the -cp):
    jvm.c's note on its command line is the discovered service's evidence in both languages,
    and the zh text report's discovery line is the Chinese one."""
    classes = _state_classes(tmp_path, "Worker")
    jar = tmp_path / "worker.jar"
    _run(["jar", "--create", "--file", str(jar), "--main-class", "Worker", "-C", str(classes),
          "."])
    jvm = jvms(["-cp", "other", "-jar", jar], tmp_path, tmp_path / "out.log")
    r, zh_text = _stored_scan(tmp_path / "w.db", "--pid", jvm.pid)
    [svc] = [s for s in r["discovery"]["services"] if s["pid"] == jvm.pid]
    assert svc["evidence"] == ["-jar ignores -cp 'other'"], svc
    assert svc["evidence_zh"] == ["-jar 会忽略 -cp 'other'"], svc
    _both_languages(svc["evidence"][0], svc["evidence_zh"][0])
    lines = zh_text.splitlines()
    at = lines.index(f"发现 jar 服务 worker.jar：正在运行，pid {jvm.pid}")
    assert lines[at + 1] == "  -jar 会忽略 -cp 'other'", lines[at:at + 2]
    assert_no_catalogue_english(zh_text)


def test_container_facts_in_chinese(tmp_path, jvms):
    """A real JVM (test_state's Worker, -Xmx64m) scanned by --pid against the cgroup v2
    fixture tree (testdata/cgroup, whose root carries no memory.max): the facts line of the zh
    text report names and values every fact in Chinese, the note on the cgroup included; the
    JSON keeps the English facts and adds name_zh and value_zh."""
    classes = _state_classes(tmp_path, "Worker")
    cgroup = helpers.ROOT / "testdata" / "cgroup" / "v2" / "fs"
    jvm = jvms(["-Xmx64m", "-cp", classes, "Worker"], tmp_path, tmp_path / "out.log")
    args = ["scan", "--pid", str(jvm.pid), "--cgroup-root", str(cgroup), "--no-db",
            "--color", "never"]
    r = json.loads(helpers.run([*args, "--json"]).out)
    zh = helpers.run([*args, "--lang", "zh"]).out
    en = helpers.run([*args, "--lang", "en"]).out
    facts = r["environment"]["facts"]
    by_name = {f["name"]: f for f in facts}
    heap = by_name[f"max heap of pid {jvm.pid}"]
    assert heap["value"] == "64 MiB (-Xmx)", heap
    assert heap["name_zh"] == f"pid {jvm.pid} 的最大堆" and heap["value_zh"] == "64 MiB（-Xmx）"
    assert by_name["cgroup"]["value_zh"] == "v2"
    assert by_name["note"]["name_zh"] == "备注"
    assert by_name["note"]["value"] == f"no memory.max at {cgroup}: the root cgroup " \
        "(no container limit visible)", by_name["note"]
    assert by_name["note"]["value_zh"] == f"{cgroup} 下没有 memory.max：这是根 cgroup（看不到容器的限制）"
    budget = by_name["wrench memory budget"]
    assert budget["name_zh"] == "wrench 内存预算" and "（" in budget["value_zh"], budget
    for f in facts:
        assert set(f) == {"name", "value", "name_zh", "value_zh"}, f
        assert english_sentence(f["name_zh"]) is None and english_sentence(f["value_zh"]) is None, f
        assert not CJK.search(f["name"] + f["value"]), f
    [line] = [line for line in zh.splitlines() if line.startswith("容器：")]
    assert line == "容器：" + "；".join(f"{f['name_zh']} {f['value_zh']}" for f in facts), line
    assert english_sentence(line) is None, line
    assert_no_english(zh)
    [line] = [line for line in en.splitlines() if line.startswith("Container:")]
    assert line == "Container: " + ", ".join(f"{f['name']} {f['value']}" for f in facts), line


def test_a_tomcat_s_ports_in_chinese(tmp_path):
    """A real Tomcat (tests/e2e/tomcat.py) with its HTTP connector and a shutdown port: what
    each declared port is, in both languages in the JSON and in Chinese in the zh text
    report's service block (its ports and evidence lines)."""
    import tomcat
    shutdown = helpers.free_port()
    tc = tomcat.start(tmp_path / "base", tomcat.with_shutdown_port(shutdown))
    try:
        r, zh_text = _stored_scan(tmp_path / "w.db", "--pid", tc.pid)
    finally:
        tc.stop()
    [st] = [s for s in r["services"] if s["pid"] == tc.pid]
    ports = {(p["port"], p["what"], p["what_zh"]) for p in st["declared_ports"]}
    assert ports == {(tc.port, "HTTP connector", "HTTP 连接器"),
                     (shutdown, "shutdown port", "关闭端口")}, ports
    assert any(f"{tc.port}" in e and "HTTP 连接器" in e for e in st["evidence_zh"]), st
    assert not any("connector" in e or "shutdown port" in e for e in st["evidence_zh"]), st
    block = service_block(zh_text, st["name"])
    assert any("HTTP 连接器" in line for line in block), block
    assert any("关闭端口" in line for line in block), block
    for line in block:
        assert english_sentence(line) is None, line
        assert "connector" not in line and "shutdown port" not in line, line
    assert_no_catalogue_english(zh_text)


def test_a_refused_thread_dump_in_chinese(tmp_path, jvms):
    """A real JVM started with -XX:+DisableAttachMechanism and `scan --thread-dump`: attach.c
    refuses it, and why is in both languages (thread_dump.status/status_zh) and Chinese in
    the zh text report's thread dump line."""
    classes = _state_classes(tmp_path, "Worker")
    jvm = jvms(["-XX:+DisableAttachMechanism", "-cp", classes, "Worker"], tmp_path,
               tmp_path / "out.log")
    r, zh_text = _stored_scan(tmp_path / "w.db", "--pid", jvm.pid, "--thread-dump")
    [st] = [s for s in r["services"] if s["pid"] == jvm.pid]
    dump = st["thread_dump"]
    assert dump["status"].startswith("refused: attach is disabled in this JVM "
                                     "(-XX:+DisableAttachMechanism): wrench sent nothing."), dump
    assert dump["status_zh"].startswith("被拒绝：该 JVM 禁用了 attach（-XX:+DisableAttachMechanism）："
                                        "wrench 没有发送任何内容。"), dump
    assert f"kill -3 {jvm.pid}" in dump["status_zh"], dump
    _both_languages(dump["status"], dump["status_zh"])
    block = service_block(zh_text, "Worker")
    assert f"  线程转储：{dump['status_zh']}" in block, block
    for line in block:
        assert english_sentence(line) is None, line
    assert_no_catalogue_english(zh_text)
