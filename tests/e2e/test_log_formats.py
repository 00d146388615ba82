"""Logs the way containers write them (issue 17): the same real JVM failures kept
plain, through a real runit svlogd (-t and -tt), in kubelet's CRI and Docker's
json-file envelopes, and as JSON-lines records of the common layouts must give
the same findings, counts, first/last times and verdict.

How the inputs are made:
- the JVMs are real: the shop service of testdata/jvm (a NoSuchMethodError per
  request, logged in Spring Boot's pattern), testdata/logformats' BootApp (a
  real NoClassDefFoundError in "Application run failed", then "APPLICATION
  FAILED TO START" for a port the test holds) and the demo application of
  testdata/demo (an uncaught NoSuchMethodError on stderr, no logger);
- `container_run` plays the container runtime: it reads the JVM's stdout and
  stderr pipes as they come and writes, at once, the plain log (both streams
  merged, as `2>&1` would), the input of two real `svlogd` processes (-t and
  -tt, as runit's log service gets it), a CRI file (kubelet's format: RFC 3339
  time, stream, F or P tag; lines longer than CRI_MAX cut into P parts) and a
  Docker json-file (lines longer than DOCKER_MAX cut into partials without their
  newline; Go's escaping of <, > and &);
- the JSON-lines files are built from the plain log's records (the real stack
  traces) to the field lists of the layouts' sources: Spring Boot's
  EcsStructuredLogFormatter (flat dotted names), ECS with nested objects,
  LogstashStructuredLogFormatter / logstash-logback-encoder,
  GraylogExtendedLogFormatStructuredLogFormatter and Log4j2's JsonLayout
  ("instant" and a "thrown" tree of frames). A line no logger wrote (the JVM's
  uncaught exception) stays a plain line in the JSON file, as in a real one.
"""

import calendar
import datetime
import json
import os
import re
import selectors
import shutil
import socket
import subprocess
import time

import pytest

import helpers
from test_logs import check_log_report, jvm, run_java  # noqa: F401  (jvm is a fixture)

FORMATS_SRC = helpers.ROOT / "testdata" / "logformats"
CRI_MAX = 80     # kubelet cuts at 16 KiB; smaller here so that real lines become P parts
DOCKER_MAX = 60  # dockerd cuts at 16 KiB; the same reason
JAVA_TIMEOUT = 60
ENVELOPES = ["svlogd-t", "svlogd-tt", "cri", "docker"]
LAYOUTS = ["ecs", "ecs-nested", "logstash", "gelf", "log4j2"]
FORMAT_OF = {"plain": "plain", "svlogd-t": "svlogd", "svlogd-tt": "svlogd", "cri": "cri",
             "docker": "docker", **{name: "json" for name in LAYOUTS}}


# --------------------------------------------------------------------------
# The container runtime


def _rfc3339(ns):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9)) + ".%09dZ" % (ns % 10**9)


def _docker_json(obj):
    # Go's encoding/json: UTF-8 kept, <, > and & escaped.
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Runtime:
    """Writes one line of a stream in every form as it arrives."""

    def __init__(self, out_dir):
        self.dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        self.plain = open(out_dir / "plain.log", "wb")
        self.cri = open(out_dir / "cri.log", "w", encoding="utf-8")
        self.docker = open(out_dir / "docker.log", "w", encoding="utf-8")
        self.svlogd = []
        for flag in ("-t", "-tt"):
            d = out_dir / ("svlogd" + flag)
            d.mkdir()
            self.svlogd.append(subprocess.Popen(["svlogd", flag, str(d)], stdin=subprocess.PIPE))

    def line(self, stream, data):
        """`data` is one line with its '\\n' (or the unterminated end of a stream)."""
        now = time.time_ns()
        self.plain.write(data)
        for sv in self.svlogd:
            sv.stdin.write(data)
        text = data.decode("utf-8", errors="replace")
        content = text[:-1] if text.endswith("\n") else text
        parts = [content[i:i + CRI_MAX] for i in range(0, len(content), CRI_MAX)] or [""]
        for i, part in enumerate(parts):
            tag = "F" if i == len(parts) - 1 else "P"
            self.cri.write(f"{_rfc3339(now)} {stream} {tag} {part}\n")
        parts = [text[i:i + DOCKER_MAX] for i in range(0, len(text), DOCKER_MAX)] or [""]
        for part in parts:
            self.docker.write(_docker_json({"log": part, "stream": stream,
                                            "time": _rfc3339(now)}) + "\n")

    def close(self):
        self.plain.close()
        self.cri.close()
        self.docker.close()
        for sv in self.svlogd:
            sv.stdin.close()
            assert sv.wait(timeout=30) == 0


def container_run(cmd, out_dir):
    """Run `cmd` (a JVM) as a container runtime does; returns (exit code, start ns, end ns)."""
    rt = Runtime(out_dir)
    start = time.time_ns()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    sel = selectors.DefaultSelector()
    pending = {}
    for f, name in ((proc.stdout, "stdout"), (proc.stderr, "stderr")):
        sel.register(f, selectors.EVENT_READ, name)
        pending[name] = b""
    deadline = time.monotonic() + JAVA_TIMEOUT
    while sel.get_map():
        assert time.monotonic() < deadline, f"{cmd} did not exit within {JAVA_TIMEOUT} s"
        for key, _ in sel.select(timeout=1):
            data = os.read(key.fileobj.fileno(), 65536)
            name = key.data
            if not data:
                sel.unregister(key.fileobj)
                if pending[name]:
                    rt.line(name, pending[name])
                continue
            *lines, pending[name] = (pending[name] + data).split(b"\n")
            for line in lines:
                rt.line(name, line + b"\n")
    rc = proc.wait(timeout=JAVA_TIMEOUT)
    rt.close()
    return rc, start, time.time_ns()


# --------------------------------------------------------------------------
# JSON-lines layouts, built from the plain log's records


HEADER = re.compile(r"^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\.\d{3})(Z|[+-]\d\d:\d\d)?\s+(\w+) (\d+) "
                    r"--- \[\s*(.*?)\] (\S+)\s*: ?(.*)$")
EXCEPTION_LINE = re.compile(r"^[\w$.]+(?:Exception|Error|Throwable)(?::|$)")


def epoch_of(ts):
    """Seconds since the epoch of a timestamp wrench reports (None stays None)."""
    if ts is None:
        return None
    m = re.match(r"^(\d{4}-\d\d-\d\d)[T _](\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$", ts)
    assert m, f"not a timestamp: {ts!r}"
    base = datetime.datetime.strptime(f"{m[1]} {m[2]}", "%Y-%m-%d %H:%M:%S")
    frac = float("0." + m[3]) if m[3] else 0.0
    if m[4] is None:  # zone-less: local time, as the logger wrote it
        return time.mktime(base.timetuple()) + frac
    offset = 0 if m[4] == "Z" else int(m[4][0] + "1") * (int(m[4][1:3]) * 60 + int(m[4][-2:]))
    return calendar.timegm(base.timetuple()) + frac - offset * 60


def records(text):
    """The plain log as records: {time, level, pid, thread, logger, message, stack} or
    {"plain": line} for what no logger wrote."""
    out, cur = [], None
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            cur = {"time": epoch_of(m[1] + (m[2] or "")), "level": m[3], "pid": int(m[4]),
                   "thread": m[5], "logger": m[6], "message": [m[7]], "stack": []}
            out.append(cur)
        elif cur is None or line.startswith("Exception in thread "):
            cur = None  # the JVM's own report of an uncaught exception: no logger's
            out.append({"plain": line})
        elif cur["stack"] or EXCEPTION_LINE.match(line):
            cur["stack"].append(line)
        else:
            cur["message"].append(line)
    for r in out:
        if "plain" not in r:
            while r["message"] and r["message"][-1] == "" and len(r["message"]) > 1:
                r["message"].pop()
            r["message"] = "\n".join(r["message"])
            r["stack"] = "\n".join(r["stack"]) + "\n" if r["stack"] else ""
    return out


def _iso_utc_ms(t):
    ms = round(t * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def _error_type_message(stack):
    first = stack.split("\n", 1)[0]
    kind, _, message = first.partition(": ")
    return kind, message


def _frames_and_causes(stack):
    """Log4j2 JsonLayout's "thrown" from a printStackTrace text."""
    head = None
    node = None
    for line in stack.splitlines():
        t = line.strip()
        m = re.match(r"^at (?:[\w.$]+(?:@[\w.]+)?/)?([\w.$<>]+)\.([\w$<>]+)\((.*)\)$", t)
        if m:
            where = m[3]
            frame = {"class": m[1], "method": m[2], "exact": False, "location": "?",
                     "version": "?"}
            if ":" in where:
                frame["file"], line_no = where.rsplit(":", 1)
                frame["line"] = int(line_no)
            elif where == "Native Method":
                frame["line"] = -2
            node["extendedStackTrace"].append(frame)
            continue
        if t.startswith("...") or not t:
            continue
        text = t[len("Caused by: "):] if t.startswith("Caused by: ") else t
        name, _, message = text.partition(": ")
        new = {"commonElementCount": 0, "name": name, "extendedStackTrace": []}
        if message:
            new["message"] = new["localizedMessage"] = message
        if head is None:
            head = new
        else:
            node["cause"] = new
        node = new
    return head


SYSLOG = {"ERROR": 3, "WARN": 4, "INFO": 6, "DEBUG": 7, "TRACE": 7}


def layout_record(layout, r):
    t, level, msg, stack = r["time"], r["level"], r["message"], r["stack"]
    if layout == "ecs":  # Spring Boot's EcsStructuredLogFormatter (3.4)
        d = {"@timestamp": _iso_utc_ms(t), "log.level": level, "process.pid": r["pid"],
             "process.thread.name": r["thread"], "service.name": "shop",
             "log.logger": r["logger"], "message": msg}
        if stack:
            kind, message = _error_type_message(stack)
            d.update({"error.type": kind, "error.message": message, "error.stack_trace": stack})
        d["ecs.version"] = "8.11"
        return d
    if layout == "ecs-nested":  # the same fields as nested objects
        d = {"@timestamp": _iso_utc_ms(t), "log": {"level": level, "logger": r["logger"]},
             "process": {"pid": r["pid"], "thread": {"name": r["thread"]}}, "message": msg}
        if stack:
            kind, message = _error_type_message(stack)
            d["error"] = {"type": kind, "message": message, "stack_trace": stack}
        d["ecs"] = {"version": "8.11"}
        return d
    if layout == "logstash":  # LogstashStructuredLogFormatter / logstash-logback-encoder
        offset = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(
            timespec="milliseconds")
        d = {"@timestamp": offset, "@version": "1", "message": msg, "logger_name": r["logger"],
             "thread_name": r["thread"], "level": level,
             "level_value": {"ERROR": 40000, "WARN": 30000, "INFO": 20000}.get(level, 10000)}
        if stack:
            d["stack_trace"] = stack
        return d
    if layout == "gelf":  # GraylogExtendedLogFormatStructuredLogFormatter
        d = {"version": "1.1", "short_message": msg if msg.strip() else "(blank)",
             "timestamp": round(t, 3), "level": SYSLOG.get(level, 6), "_level_name": level,
             "_process_pid": r["pid"], "_process_thread_name": r["thread"],
             "_log_logger": r["logger"]}
        if stack:
            kind, message = _error_type_message(stack)
            d.update({"full_message": msg + "\n\n" + stack, "_error_type": kind,
                      "_error_stack_trace": stack, "_error_message": message})
        return d
    if layout == "log4j2":  # Log4j2 JsonLayout, compact="true" eventEol="true"
        ns = round(t * 1000) * 10**6
        d = {"instant": {"epochSecond": ns // 10**9, "nanoOfSecond": ns % 10**9},
             "thread": r["thread"], "level": level, "loggerName": r["logger"], "message": msg}
        if stack:
            d["thrown"] = _frames_and_causes(stack)
        d.update({"endOfBatch": False, "loggerFqcn": "org.apache.logging.log4j.spi.AbstractLogger",
                  "threadId": 1, "threadPriority": 5})
        return d
    raise AssertionError(layout)


def write_layout(layout, plain_text, path):
    with open(path, "w", encoding="utf-8") as f:
        for r in records(plain_text):
            if "plain" in r:
                f.write(r["plain"] + "\n")
            else:
                f.write(json.dumps(layout_record(layout, r), ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------
# The real runs, in every form


def _all_forms(out_dir, cmd, expect_rc):
    rc, start, end = container_run(cmd, out_dir)
    assert rc == expect_rc, f"{cmd} exited {rc}:\n{(out_dir / 'plain.log').read_text()}"
    text = (out_dir / "plain.log").read_text()
    paths = {"plain": out_dir / "plain.log", "svlogd-t": out_dir / "svlogd-t",
             "svlogd-tt": out_dir / "svlogd-tt", "cri": out_dir / "cri.log",
             "docker": out_dir / "docker.log"}
    for layout in LAYOUTS:
        paths[layout] = write_layout(layout, text, out_dir / f"{layout}.json")
    return {"paths": paths, "start": start / 1e9, "end": end / 1e9, "text": text}


@pytest.fixture(scope="session")
def shop_forms(jvm, tmp_path_factory):  # noqa: F811
    base = tmp_path_factory.mktemp("shop-forms")
    forms = _all_forms(base, ["java", "-Xshare:auto", "-jar", str(jvm.shop), "3"], 1)
    assert forms["text"].count("java.lang.NoSuchMethodError") == 3
    return forms


@pytest.fixture(scope="session")
def boot_classes(tmp_path_factory):
    classes = tmp_path_factory.mktemp("boot-classes")
    proc = subprocess.run(["javac", "--release", "11", "-d", str(classes),
                           *sorted(str(p) for p in FORMATS_SRC.rglob("*.java"))],
                          capture_output=True, text=True, timeout=JAVA_TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    (classes / "com" / "example" / "boot" / "Missing.class").unlink()
    return classes


def _boot_run(classes, out_dir, *extra):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        return _all_forms(out_dir, ["java", "-Xshare:auto", "-cp", str(classes),
                                    "com.example.boot.BootApp", str(port), *extra], 1)


@pytest.fixture(scope="session")
def boot_forms(boot_classes, tmp_path_factory):
    forms = _boot_run(boot_classes, tmp_path_factory.mktemp("boot-forms"))
    assert "APPLICATION FAILED TO START" in forms["text"]
    assert "java.lang.NoClassDefFoundError: com/example/boot/Missing" in forms["text"]
    return forms


@pytest.fixture(scope="session")
def demo_forms(real_jars, tmp_path_factory):
    forms = _all_forms(tmp_path_factory.mktemp("demo-forms"),
                       ["java", "-Xshare:auto", "-cp", real_jars.demo_classpath,
                        "com.acme.app.Main"], 1)
    assert forms["text"].startswith("Exception in thread \"main\" java.lang.NoSuchMethodError")
    return forms


# --------------------------------------------------------------------------
# Comparing reports


def scan_form(path, *args):
    proc = helpers.run(["scan", "--logs", path, *args, "--json", "--no-db"])
    assert proc.returncode in (0, 1), f"exit {proc.returncode}: {proc.err}"
    report = json.loads(proc.out)
    check_log_report(report, proc.returncode)
    return report


def digest(report):
    """What must not depend on how the log was written: per finding its rule, severity,
    count, class, root cause, signature and first/last times (as instants)."""
    out = []
    for f in report["logs"]["findings"]:
        out.append({"rule": f["rule"], "severity": f["severity"], "count": f["count"],
                    "class": f["class"], "root_cause": f["root_cause"],
                    "signature": f["signature"], "title": f["title"],
                    "first": epoch_of(f["first_seen"]), "last": epoch_of(f["last_seen"])})
    return sorted(out, key=lambda d: (d["rule"], d["signature"]))


JSON_SYNTAX = ('{"', '":', '",', '\\n', '\\t', '\\"')


def assert_clean(report, form):
    """No envelope and no JSON in what a person reads."""
    texts = [report["summary"]["verdict"] or ""]
    for f in report["logs"]["findings"]:
        texts += [f["title"], f["root_cause"] or "", f["signature"]]
        sample = f["sample"] or ""
        assert not re.search(r"^@4000[0-9a-f]{20} ", sample, re.M), sample
        assert not re.search(r"^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d+ ", sample, re.M), sample
        assert " stdout F " not in sample and " stdout P " not in sample, sample
        assert '"stream":' not in sample, sample
        if form in LAYOUTS:
            assert '{"' not in sample and '":"' not in sample, sample
    for text in texts:
        for bad in JSON_SYNTAX:
            assert bad not in text, f"{form}: {bad!r} in {text!r}"


def check_same_as_plain(forms, form):
    plain = scan_form(forms["paths"]["plain"])
    other = scan_form(forms["paths"][form])
    assert other["logs"]["files"], form
    expected = FORMAT_OF[form]
    if form in LAYOUTS and not forms["paths"][form].read_text().startswith("{"):
        expected = "plain"  # no logger wrote it: the JVM's own lines only (the demo)
    assert {f["format"] for f in other["logs"]["files"]} == {expected}
    assert plain["logs"]["files"][0]["format"] == "plain"
    want, got = digest(plain), digest(other)
    assert want, "the plain log has findings"
    assert len(got) == len(want), json.dumps(got, indent=1)
    for w, g in zip(want, got):
        if w["first"] is None:
            # A headless event (the JVM's uncaught exception): an envelope gives it its
            # time; a JSON file holds the JVM's plain line, without one.
            for key in ("first", "last"):
                if form in ENVELOPES:
                    assert forms["start"] - 1 <= g[key] <= forms["end"] + 1, (form, g)
                else:
                    assert g[key] is None, (form, g)
            w = dict(w, first=g["first"], last=g["last"])
        else:
            assert abs(w["first"] - g["first"]) < 0.001 and abs(w["last"] - g["last"]) < 0.001, \
                (form, w, g)
            w = dict(w, first=g["first"], last=g["last"])
        assert g == w, form
    assert other["summary"]["verdict"] == plain["summary"]["verdict"]
    assert other["_rc"] if "_rc" in other else True
    assert_clean(other, form)
    return plain, other


FORMS = ENVELOPES + LAYOUTS


@pytest.mark.parametrize("form", FORMS)
def test_shop_no_such_method_error_in_every_form(shop_forms, form):
    _, r = check_same_as_plain(shop_forms, form)
    [f] = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert f["count"] == 3 and f["class"] == "com.example.greeter.Greeter"
    assert "request 1 failed" in f["sample"]
    assert "\tat com.example.shop.ShopApp" in f["sample"], "the stack trace is in the event"


@pytest.mark.parametrize("form", FORMS)
def test_boot_failure_in_every_form(boot_forms, form):
    _, r = check_same_as_plain(boot_forms, form)
    rules = {f["rule"] for f in r["logs"]["findings"]}
    [ncdf] = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-class-def"]
    assert ncdf["root_cause"] == "Caused by: java.lang.ClassNotFoundException: com.example.boot.Missing"
    assert "Application run failed" in ncdf["sample"], "header and stack trace are one event"
    assert "spring.port-in-use" in rules or "spring.application-failed" in rules, rules


@pytest.mark.parametrize("form", FORMS)
def test_uncaught_exception_of_the_demo_in_every_form(demo_forms, form):
    _, r = check_same_as_plain(demo_forms, form)
    [f] = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert f["count"] == 1
    assert "com.acme.util.Strings.whisper" in f["root_cause"]


def test_file_format_is_in_the_text_report(shop_forms):
    proc = helpers.run(["scan", "--logs", shop_forms["paths"]["cri"], "--no-db"])
    assert proc.returncode == 1, proc.err
    assert "cri.log: read as cri" in proc.out


# --------------------------------------------------------------------------
# stdout and stderr kept apart


def test_stderr_stack_trace_stays_whole_between_stdout_lines(boot_classes, tmp_path):
    forms = _boot_run(boot_classes, tmp_path / "run", "interleave")
    for form in ("cri", "docker"):
        r = scan_form(forms["paths"][form])
        [f] = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-class-def"]
        assert f["count"] == 1
        sample = f["sample"]
        assert sample.startswith(re.match(r"^\S+", sample)[0]) and "Application run failed" in sample
        assert "still alive" not in sample, f"{form}: a stdout line inside the stderr event"
        assert "Caused by: java.lang.ClassNotFoundException: com.example.boot.Missing" in sample
        assert "\tat com.example.boot.BootApp.main" in sample
    # The same output merged into one file: what the envelopes' streams spare us.
    assert "still alive" in forms["text"].split("Application run failed", 1)[1].split(
        "ClassNotFoundException", 1)[0]


# --------------------------------------------------------------------------
# --since and --last-start on envelopes and JSON lines


@pytest.fixture(scope="session")
def restarted_shop(jvm, tmp_path_factory):  # noqa: F811
    """The shop started twice in one container: each form holds both runs."""
    base = tmp_path_factory.mktemp("restarted")
    runs = [_all_forms(base / f"run{i}", ["java", "-Xshare:auto", "-jar", str(jvm.shop), "2"],
                       1) for i in (1, 2)]
    joined = {}
    for form in ("plain", "cri", "docker", "ecs", "gelf", "log4j2", "svlogd-tt"):
        if form.startswith("svlogd"):
            dest = base / "svlogd.log"
            dest.write_bytes(b"".join((r["paths"][form] / "current").read_bytes() for r in runs))
        else:
            dest = base / f"joined-{form}.log"
            dest.write_bytes(b"".join(r["paths"][form].read_bytes() for r in runs))
        joined[form] = dest
    return joined


@pytest.mark.parametrize("form", ["plain", "cri", "docker", "ecs", "gelf", "log4j2", "svlogd-tt"])
def test_last_start_and_since_through_envelopes(restarted_shop, form):
    path = restarted_shop[form]
    r = scan_form(path)
    [f] = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert f["count"] == 4
    r = scan_form(path, "--last-start")
    [f] = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert f["count"] == 2, "only the second run"
    lf = r["logs"]["files"][0]
    assert "Starting ShopApp using Java" in lf["last_start"]["text"]
    assert "{" not in lf["last_start"]["text"] and " stdout " not in lf["last_start"]["text"]
    assert lf["skipped_events"] >= 3
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    r = scan_form(path, "--since", tomorrow)
    assert not [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert r["logs"]["files"][0]["skipped_events"] >= 4
    r = scan_form(path, "--since", "1h")
    [f] = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
    assert f["count"] == 4


# --------------------------------------------------------------------------
# A runit log directory, rotated


def test_svlogd_directory_is_read_oldest_first(tmp_path):
    """Real svlogd rotating at 2000 bytes: the rotated @<tai64n>.s files by stamp, then
    current; first and last seen follow time."""
    logdir = tmp_path / "log"
    logdir.mkdir()
    (logdir / "config").write_text("s2000\nn100\n")
    lines = []
    for i in range(60):
        stamp = (datetime.datetime(2026, 12, 7, 10, 0) + datetime.timedelta(seconds=i)).strftime(
            "%Y-%m-%d %H:%M:%S.000")
        lines.append(f"{stamp} ERROR 7 --- [main] c.e.Server : cannot listen: "
                     f"java.net.BindException: Address already in use\n")
    proc = subprocess.run(["svlogd", "-tt", str(logdir)], input="".join(lines).encode(),
                          timeout=30)
    assert proc.returncode == 0
    rotated = sorted(p.name for p in logdir.iterdir() if p.name.startswith("@"))
    assert len(rotated) >= 3, "svlogd rotated"
    r = scan_form(logdir)
    names = [os.path.basename(f["path"]) for f in r["logs"]["files"]]
    assert names == rotated + ["current"]
    assert all(f["format"] == "svlogd" for f in r["logs"]["files"])
    [f] = [f for f in r["logs"]["findings"] if f["rule"] == "tomcat.port-in-use"]
    assert f["count"] == 60
    assert f["first_seen"].endswith("10:00:00.000") and f["last_seen"].endswith("10:00:59.000")
    assert os.path.basename(f["file"]) == rotated[0]


# --------------------------------------------------------------------------
# Forcing a format; bad input


def test_log_format_forces_the_reading(shop_forms):
    r = scan_form(shop_forms["paths"]["ecs"], "--log-format", "plain")
    assert r["logs"]["files"][0]["format"] == "plain"
    r = scan_form(shop_forms["paths"]["cri"], "--log-format", "cri")
    assert r["logs"]["files"][0]["format"] == "cri"
    proc = helpers.run(["scan", "--logs", shop_forms["paths"]["cri"], "--log-format", "xml",
                        "--no-db"])
    assert proc.returncode == 2 and "--log-format" in proc.err


def test_broken_envelopes_are_read_without_a_crash(shop_forms, tmp_path):
    cri = shop_forms["paths"]["cri"].read_text().splitlines(keepends=True)
    docker = shop_forms["paths"]["docker"].read_text().splitlines(keepends=True)
    ecs = shop_forms["paths"]["ecs"].read_text().splitlines(keepends=True)
    cases = {
        # a P part never finished, a line without its envelope, a cut last line
        "cri.log": "".join(cri[:3]) + cri[3].replace(" F ", " P ") + "garbage\n" +
        "".join(cri[4:]) + cri[5][:30],
        # invalid JSON, a record without "log", a cut last line
        "docker.log": docker[0] + "{\"log\": \"unterminated\n" + "{\"stream\":\"stdout\"}\n" +
        "".join(docker[1:]) + docker[2][:25],
        # a cut record, a record that is not an object, deep nesting
        "app.json": ecs[0][:40] + "\n[1,2,3]\n" + "{\"a\":" * 5000 + "\n" + "".join(ecs[1:]),
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        r = scan_form(tmp_path / name)
        assert r["logs"]["files"][0]["complete"]
        found = [f for f in r["logs"]["findings"] if f["rule"] == "classloading.no-such-method"]
        assert found and found[0]["count"] >= 2, name
