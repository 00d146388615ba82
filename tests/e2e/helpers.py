"""Shared helpers of wrench's end-to-end tests.

Four things live here:
- running the binary ($WRENCH) and checking every JSON report it prints against
  docs/report.schema.json plus the cross-field rules of the contract
  (docs/report.md) that a schema cannot express;
- starting a real JVM for a test (Jvm; conftest.py's `jvms` fixture stops them);
- building synthetic jars, Spring Boot jars and wars with the zipfile module
  (entries, contents and compression chosen exactly; no jar is committed);
- crafting hostile archives byte by byte.
"""

import errno
import io
import json
import os
import pathlib
import random
import select
import signal
import socket
import struct
import subprocess
import time
import zipfile

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "report.schema.json"
WRENCH = os.environ.get("WRENCH") or str(ROOT / "build" / "wrench")

# Generous: the ASan build inflates the nested zip bomb up to its 256 MiB cap.
RUN_TIMEOUT = 120

SEVERITIES = ["info", "warning", "error", "critical"]

_validator = None


def validator():
    global _validator
    if _validator is None:
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        _validator = jsonschema.Draft202012Validator(schema)
    return _validator


# --------------------------------------------------------------------------
# Running wrench


def _ephemeral_low():
    try:
        return int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _bindable(family, addr, port):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
        return True
    except OSError as e:
        return e.errno != errno.EADDRINUSE  # no IPv6 here: only IPv4 matters


def free_port():
    """A TCP port free on every address, below the kernel's ephemeral range.

    A port the kernel handed out (bind to 0) is ephemeral: any later outgoing
    connection, the tests' own included, may take it before the server binds it
    (CI saw 'Address already in use'). Below the range only listeners compete.
    """
    high = min(_ephemeral_low(), 65536) - 1
    for _ in range(200):
        port = random.randint(min(20000, high - 1000), high)
        if _bindable(socket.AF_INET, "0.0.0.0", port) and \
                _bindable(socket.AF_INET6, "::", port):
            return port
    raise RuntimeError("no free TCP port below the ephemeral range")


def run(args, env=None, timeout=RUN_TIMEOUT, cwd=None, stdin=subprocess.DEVNULL):
    """Run wrench with `args` (a list, without the binary); never a crash or a hang."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    # every JSON report is also built as a jansson tree and compared (report_json.h)
    full_env.setdefault("WRENCH_REPORT_CHECK", "1")
    if env:
        full_env.update(env)
    try:
        proc = subprocess.run([WRENCH] + [str(a) for a in args], capture_output=True,
                              env=full_env, timeout=timeout, cwd=cwd, stdin=stdin)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"wrench {args} did not finish within {timeout} s (a hang?)")
    out = proc.stdout.decode("utf-8", errors="replace")
    err = proc.stderr.decode("utf-8", errors="replace")
    assert proc.returncode >= 0, f"wrench {args} killed by signal {-proc.returncode}:\n{err}"
    assert "AddressSanitizer" not in err and "runtime error:" not in err \
        and "LeakSanitizer" not in err, f"sanitizer report for wrench {args}:\n{err}"
    assert "report writers differ" not in err, f"wrench {args}: {err}"
    proc.out = out
    proc.err = err
    return proc


def read_pty(master, proc, timeout=RUN_TIMEOUT):
    """Every byte the child `proc` writes to the terminal whose master end is `master`,
    until it closes it; the master is closed after. A child silent for `timeout` s is
    killed: a hang."""
    out = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                proc.kill()
                raise AssertionError(f"wrench printed nothing for {timeout} s (a hang?)")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child has closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
    return out


def _threshold(args):
    args = [str(a) for a in args]
    for i, a in enumerate(args):
        if a == "--fail-on" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--fail-on="):
            return a.split("=", 1)[1]
    return "error"


def scan(*args, rcs=(0, 1), env=None, cwd=None):
    """`wrench scan ARGS --json`: check the exit code, parse, validate, return the report."""
    proc = run(["scan", *args, "--json"], env=env, cwd=cwd)
    assert proc.returncode in rcs, (
        f"wrench scan {list(args)} exited {proc.returncode}, expected one of {rcs}\n"
        f"stderr: {proc.err}\nstdout: {proc.out[:2000]}")
    try:
        report = json.loads(proc.out)
    except json.JSONDecodeError as e:
        raise AssertionError(f"stdout of --json is not JSON ({e}):\n{proc.out[:2000]}")
    check_report(report, rc=proc.returncode, threshold=_threshold(args))
    report["_rc"] = proc.returncode
    report["_stderr"] = proc.err
    return report


def check_report(report, rc=None, threshold="error"):
    """Schema validation plus the contract's cross-field rules."""
    errors = sorted(validator().iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "report does not match docs/report.schema.json:\n" + "\n".join(
        f"  at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}"
        for e in errors[:20])

    views = report["views"]
    summary = report["summary"]
    assert summary["views"] == len(views)
    assert summary["entries"] == sum(len(v["entries"]) for v in views)

    for vi, view in enumerate(views):
        assert view["id"] == vi
        ents = view["entries"]
        for ei, e in enumerate(ents):
            assert e["index"] == ei, f"view {vi} entry {ei} has index {e['index']}"
            if e["status"] == "listed-twice":
                first = e["duplicate_of"]
                assert first < ei, f"entry {ei} duplicate_of {first} is not an earlier entry"
                assert ents[first]["status"] != "listed-twice"
            if e["status"] != "ok":
                assert any(p["path"] == e["path"] or os.path.basename(e["path"]) in p["path"]
                           or os.path.basename(e["path"]) in p["message"]
                           for p in report["problems"]), \
                    f"entry {e['path']} is {e['status']} but no problem names it"

    def entry(view, idx):
        assert 0 <= view < len(views), f"view {view} out of range"
        assert 0 <= idx < len(views[view]["entries"]), f"entry {idx} out of range in view {view}"
        return views[view]["entries"][idx]

    for c in report["conflicts"]:
        assert c["entries"] == sorted(set(c["entries"])), "conflict entries not in loader order"
        assert len(c["paths"]) == len(c["entries"])
        for idx, path in zip(c["entries"], c["paths"]):
            e = entry(c["view"], idx)
            assert e["path"] == path
            assert e["status"] != "listed-twice", "a listed-twice entry is in a conflict"
        assert c["shared"] == c["identical"] + c["differing"] + c["unknown"]
        assert c["differing_classes_total"] == c["differing"]
        assert len(c["differing_classes"]) == min(100, c["differing"])
        assert len(c["sample_classes"]) == min(5, c["shared"])
        for name in c["differing_classes"] + c["sample_classes"]:
            assert "/" not in name and not name.endswith(".class"), f"not a dotted name: {name}"
        if not c["winner_undefined"]:
            # the first entry in loader order, except that a webapp loads the container's
            # APIs (javax.servlet...) from Tomcat's common loader
            parent_first = c["winner"] != c["entries"][0] and \
                entry(c["view"], c["winner"])["origin"] == "Tomcat common loader" and \
                c["sample_classes"][0].split(".")[1] in ("servlet", "el", "websocket", "security")
            assert c["winner"] == c["entries"][0] or parent_first, \
                "winner must be the first entry in loader order"
            assert c["winner_path"] == c["paths"][c["entries"].index(c["winner"])]
        if c["differing"] == 0 and c["unknown"] == 0:
            assert c["severity"] == "info", "an all-identical conflict must be info"
        if c["differing"] > 0:
            assert c["severity"] in ("warning", "error")

    for d in report["duplicates"]:
        ids = [cp["entry"] for cp in d["copies"]]
        for cp in d["copies"]:
            e = entry(d["view"], cp["entry"])
            assert e["path"] == cp["path"]
            assert e["status"] != "listed-twice", "a listed-twice entry counted as a copy"
        if not any(cp["shaded"] for cp in d["copies"]):
            assert len(set(ids)) == len(ids), "the same entry twice in a duplicate"
        versions = {cp["version"] for cp in d["copies"]}
        assert d["versions_differ"] == (len(versions) > 1)
        assert d["severity"] == ("error" if d["versions_differ"] else "warning")

    for h in report["hints"]:
        assert len(h["paths"]) == len(h["entries"])
        for idx, path in zip(h["entries"], h["paths"]):
            assert entry(h["view"], idx)["path"] == path

    for kind in ("duplicates", "conflicts", "hints"):
        for item in report[kind]:
            title = item["title"]
            assert title == title.strip() and "  " not in title and " and " != title[:5] \
                and "\n" not in title, f"malformed {kind} title: {title!r}"

    counts = {s: 0 for s in SEVERITIES}
    for kind in ("duplicates", "conflicts", "hints", "problems"):
        for item in report[kind]:
            counts[item["severity"]] += 1
    for item in report["environment"]["findings"]:
        counts[item["severity"]] += 1
    if report["logs"]:
        for item in report["logs"]["findings"] + report["logs"]["problems"]:
            counts[item["severity"]] += 1
    # Accepted and baseline findings (docs/accept.md) are listed but never counted.
    aside = [f for f in report["findings"]
             if f["kind"] != "correlation" and (f["accepted"] or f["baseline"])]
    for f in aside:
        counts[f["severity"]] -= 1
    set_aside = report["set_aside"]
    assert set_aside["accepted"] == sum(1 for f in aside if f["accepted"])
    assert set_aside["baseline"] == sum(1 for f in aside if not f["accepted"])
    assert set_aside["baseline"] == 0 or set_aside["baseline_scan"] is not None
    assert set_aside["accepted"] == 0 or set_aside["accept_file"] is not None
    for s in SEVERITIES:
        assert summary[s] == counts[s], f"summary.{s} = {summary[s]}, findings say {counts[s]}"
    check_diagnosis(report, counts)

    if rc is not None and threshold != "never":
        at_or_above = sum(counts[s] for s in SEVERITIES[SEVERITIES.index(threshold):])
        expected = 1 if at_or_above else 0
        assert rc == expected, f"exit code {rc} but {at_or_above} findings >= {threshold}"
    if rc is not None and threshold == "never":
        assert rc == 0


def check_diagnosis(report, counts):
    """Schema 4: the one finding list matches the per-kind lists, the incidents hold listed
    findings, and the verdict names listed incidents."""
    findings = report["findings"]
    ids = [f["id"] for f in findings]
    assert len(set(ids)) == len(ids), "finding ids repeat"
    listed = {s: 0 for s in SEVERITIES}
    for f in findings:
        if f["counted"]:
            listed[f["severity"]] += 1
        if f["kind"] == "correlation":
            assert f["of"] in ids and not f["counted"]
        assert (f["accepted_reason"] is not None) == f["accepted"]
        assert f["counted"] == (f["kind"] != "correlation" and not f["accepted"]
                                and not f["baseline"])
    assert listed == counts, f"the finding list counts {listed}, the kinds {counts}"
    order = [SEVERITIES.index(f["severity"]) for f in findings]
    assert order == sorted(order, reverse=True), "findings not most severe first"
    incidents = {i["id"]: i for i in report["incidents"]}
    assert len(incidents) == len(report["incidents"]), "incident ids repeat"
    by_id = {f["id"]: f for f in findings}
    for inc in report["incidents"]:
        assert inc["findings"][0] == inc["cause"]
        assert all(m in ids for m in inc["findings"])
        assert any(by_id[m]["counted"] or by_id[m]["kind"] == "correlation"
                   and not (by_id[m]["accepted"] or by_id[m]["baseline"])
                   for m in inc["findings"]), f"incident {inc['id']} holds only set-aside findings"
    verdict = report["verdict"]
    assert verdict["text"] == report["summary"]["verdict"]
    assert all(i in incidents for i in verdict["incidents"])
    at_warning = sum(counts[s] for s in SEVERITIES[SEVERITIES.index("warning"):])
    assert bool(verdict["incidents"]) == bool(at_warning), \
        f"{at_warning} findings at warning or above, verdict names {verdict['incidents']}"
    assert verdict["text"].startswith("No problem found") == (not at_warning)


# --------------------------------------------------------------------------
# Real JVMs


class Jvm:
    """A JVM started for a test, waited for ("started" on its output), stopped by pid."""

    def __init__(self, args, cwd, log):
        self.log = pathlib.Path(log)
        self.proc = subprocess.Popen(["java", *map(str, args)], cwd=cwd,
                                     stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if "started" in self.log.read_text(errors="replace"):
                return
            assert self.proc.poll() is None, self.log.read_text(errors="replace")
            time.sleep(0.1)
        raise AssertionError("the JVM did not start in 30 s")

    @property
    def pid(self):
        return self.proc.pid

    @property
    def running(self):
        return self.proc.poll() is None

    def stop(self):
        """TERM first: a JVM removes its attach socket on exit, a SIGKILLed one leaves it."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # -Xrs: TERM ends the JVM without its exit hooks, and the socket stays
        pathlib.Path(f"/tmp/.java_pid{self.proc.pid}").unlink(missing_ok=True)


# --------------------------------------------------------------------------
# Looking things up in a report


def entries(report, view=0):
    return report["views"][view]["entries"]


def entry_named(report, basename, view=0, status=None):
    """The one entry whose path ends with /basename (or !/.../basename)."""
    found = [e for e in entries(report, view)
             if e["path"].rsplit("/", 1)[-1] == basename
             and (status is None or e["status"] == status)]
    assert len(found) == 1, f"expected one entry named {basename}, got " + json.dumps(
        [(e["index"], e["path"], e["status"]) for e in entries(report, view)])
    return found[0]


def conflicts_between(report, *indexes, view=0):
    want = sorted(indexes)
    return [c for c in report["conflicts"] if c["view"] == view and c["entries"] == want]


def problems_naming(report, name):
    return [p for p in report["problems"] if name in p["path"] or name in p["message"]]


# --------------------------------------------------------------------------
# Synthetic archives


def class_path(name):
    """'com.acme.Util' or 'com/acme/Util' -> 'com/acme/Util.class'."""
    if name.endswith(".class"):
        return name
    return name.replace(".", "/") + ".class"


def class_bytes(name, variant=""):
    """Bytes standing in for a class file: wrench compares CRC-32 and size only,
    so the same (name, variant) gives an identical copy and another variant a
    differing one."""
    return b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + f"{name}#{variant}".encode()


def manifest_text(attrs):
    """A MANIFEST.MF main section, lines folded at 72 bytes as the jar tool does."""
    lines = []
    for key, value in {"Manifest-Version": "1.0", **attrs}.items():
        line = f"{key}: {value}".encode()
        first, line = line[:72], line[72:]
        lines.append(first)
        while line:
            lines.append(b" " + line[:71])
            line = line[71:]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def pom_properties(group, artifact, version):
    return (f"#Created by Apache Maven\ngroupId={group}\nartifactId={artifact}\n"
            f"version={version}\n").encode()


def jar_bytes(classes=(), variant="", pom=None, manifest=None, files=(), embedded_poms=(),
              compression=zipfile.ZIP_DEFLATED):
    """A jar in memory.

    classes: class names ('com.acme.A'), each given class_bytes(name, variant);
      a (name, variant) pair overrides the variant for that class.
    pom: (group, artifact, version) -> META-INF/maven/g/a/pom.properties.
    embedded_poms: more (g, a, v) triples, as a shading plugin leaves them.
    manifest: dict of main attributes (META-INF/MANIFEST.MF is omitted when None).
    files: (name, bytes) or (name, bytes, compress_type) entries added as given.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        if manifest is not None:
            z.writestr("META-INF/MANIFEST.MF", manifest_text(manifest))
        for c in classes:
            name, var = (c if isinstance(c, tuple) else (c, variant))
            z.writestr(class_path(name), class_bytes(name, var))
        for g, a, v in ([pom] if pom else []) + list(embedded_poms):
            z.writestr(f"META-INF/maven/{g}/{a}/pom.properties", pom_properties(g, a, v))
        for f in files:
            info = zipfile.ZipInfo(f[0], date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = f[2] if len(f) > 2 else compression
            z.writestr(info, f[1])
    return buf.getvalue()


def make_jar(path, *args, **kwargs):
    """Write jar_bytes(...) to path (parents created); returns the absolute path as str."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jar_bytes(*args, **kwargs))
    return str(path.resolve())


def make_boot_jar(path, classes=(), libs=(), idx=None, lib_compression=zipfile.ZIP_STORED,
                  variant="app"):
    """A Spring Boot fat jar: loader classes at the root, the application's
    classes under BOOT-INF/classes/, libs = [(file name, jar bytes)] under
    BOOT-INF/lib/ (stored, as Boot writes them), and BOOT-INF/classpath.idx
    listing `idx` (file names, in order) when it is not None."""
    attrs = {
        "Main-Class": "org.springframework.boot.loader.JarLauncher",
        "Start-Class": "com.acme.app.Application",
        "Spring-Boot-Version": "2.7.18",
        "Spring-Boot-Classes": "BOOT-INF/classes/",
        "Spring-Boot-Lib": "BOOT-INF/lib/",
    }
    if idx is not None:
        attrs["Spring-Boot-Classpath-Index"] = "BOOT-INF/classpath.idx"
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", manifest_text(attrs))
        for loader in ("org.springframework.boot.loader.JarLauncher",
                       "org.springframework.boot.loader.LaunchedURLClassLoader"):
            z.writestr(class_path(loader), class_bytes(loader, "boot-loader"))
        for c in classes:
            name, var = (c if isinstance(c, tuple) else (c, variant))
            z.writestr("BOOT-INF/classes/" + class_path(name), class_bytes(name, var))
        for name, data in libs:
            info = zipfile.ZipInfo("BOOT-INF/lib/" + name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = lib_compression
            z.writestr(info, data)
        if idx is not None:
            z.writestr("BOOT-INF/classpath.idx",
                       "".join(f'- "BOOT-INF/lib/{n}"\n' for n in idx))
    return str(path.resolve())


def make_war(path, classes=(), libs=(), provided=(), variant="web"):
    """A war: WEB-INF/classes/, libs = [(file name, jar bytes)] deflated under
    WEB-INF/lib/ (as war plugins write them), provided under WEB-INF/lib-provided/."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", manifest_text({}))
        z.writestr("WEB-INF/web.xml", b"<web-app/>\n")
        z.writestr("index.html", b"<html></html>\n")
        for c in classes:
            name, var = (c if isinstance(c, tuple) else (c, variant))
            z.writestr("WEB-INF/classes/" + class_path(name), class_bytes(name, var))
        for name, data in libs:
            z.writestr("WEB-INF/lib/" + name, data)
        for name, data in provided:
            z.writestr("WEB-INF/lib-provided/" + name, data)
    return str(path.resolve())


def make_exploded_war(root, classes=(), libs=(), provided=(), variant="web"):
    """The same layout as make_war, as files on disk."""
    root = pathlib.Path(root)
    (root / "WEB-INF" / "lib").mkdir(parents=True, exist_ok=True)
    (root / "WEB-INF" / "web.xml").write_bytes(b"<web-app/>\n")
    (root / "index.html").write_bytes(b"<html></html>\n")
    for c in classes:
        name, var = (c if isinstance(c, tuple) else (c, variant))
        p = root / "WEB-INF" / "classes" / class_path(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(class_bytes(name, var))
    for name, data in libs:
        (root / "WEB-INF" / "lib" / name).write_bytes(data)
    for name, data in provided:
        p = root / "WEB-INF" / "lib-provided" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return str(root.resolve())


def make_class_dir(root, classes=(), variant="", files=()):
    """A directory class root with the given classes (and (name, bytes) files)."""
    root = pathlib.Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for c in classes:
        name, var = (c if isinstance(c, tuple) else (c, variant))
        p = root / class_path(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(class_bytes(name, var))
    for name, data in files:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return str(root.resolve())


# --------------------------------------------------------------------------
# Hostile archives

EOCD_SIG = b"PK\x05\x06"
CDH_SIG = b"PK\x01\x02"
LFH_SIG = b"PK\x03\x04"


def eocd_offset(data):
    pos = data.rfind(EOCD_SIG)
    assert pos >= 0, "no end of central directory record"
    return pos


def with_entry_count(data, count):
    """The zip with both entry counts of its end record set to `count` (16 bits)."""
    pos = eocd_offset(data)
    out = bytearray(data)
    struct.pack_into("<HH", out, pos + 8, count, count)
    return bytes(out)


def with_zip64_entry_count(data, count):
    """The zip with a zip64 end record and locator spliced in before the end
    record, declaring `count` entries (up to 2**64-1) over the real central
    directory; the classic end record says 0xFFFF so readers must believe the
    zip64 one."""
    pos = eocd_offset(data)
    cd_size, cd_offset = struct.unpack_from("<4sHHHHIIH", data, pos)[5:7]
    zip64_eocd = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0,
                             count, count, cd_size, cd_offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, pos, 1)
    eocd = bytearray(data[pos:])
    struct.pack_into("<HH", eocd, 8, 0xFFFF, 0xFFFF)
    return data[:pos] + zip64_eocd + locator + bytes(eocd)


def with_declared_size(data, name, size):
    """The zip with entry `name`'s uncompressed size rewritten to `size` in both
    its central directory record and its local header (a lying size)."""
    out = bytearray(data)
    raw = name.encode()
    pos = 0
    patched = 0
    while True:
        pos = data.find(CDH_SIG, pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len] == raw:
            struct.pack_into("<I", out, pos + 24, size)
            local = struct.unpack_from("<I", data, pos + 42)[0]
            assert data[local:local + 4] == LFH_SIG
            struct.pack_into("<I", out, local + 22, size)
            patched += 1
        pos += 4
    assert patched == 1, f"entry {name} not found once in the central directory"
    return bytes(out)


def scan_log_while_reading(path, action, size):
    """Run `wrench scan --logs PATH --json --no-db` and call action() once wrench's read
    offset in PATH is past 0 and before `size` (a log rotated or cut while read).

    One log thread (WRENCH_LOG_THREADS=1): the trigger is the offset of wrench's
    descriptor, which the two-thread path (pread) never moves. Returns (returncode,
    stdout bytes, stderr text, whether action ran)."""
    import threading
    import time
    path = pathlib.Path(path)
    proc = subprocess.Popen([WRENCH, "scan", "--logs", str(path), "--json", "--no-db"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "WRENCH_LOG_THREADS": "1"})
    acted = threading.Event()

    def act_when_reading():
        fd_dir = pathlib.Path(f"/proc/{proc.pid}/fd")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                for fd in fd_dir.iterdir():
                    if os.readlink(fd) == str(path):
                        pos = int((fd_dir.parent / "fdinfo" / fd.name).read_text().split()[1])
                        if 0 < pos < size:
                            action()
                            acted.set()
                            return
            except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
                pass
            time.sleep(0.001)

    t = threading.Thread(target=act_when_reading)
    t.start()
    out, err = proc.communicate(timeout=RUN_TIMEOUT)
    t.join()
    return proc.returncode, out, err.decode(errors="replace"), acted.is_set()
