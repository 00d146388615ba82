#!/usr/bin/python3
"""Print the `make bench` tables from the files scripts/bench.sh left in DIR.

Usage: report.py DIR SCENARIO:LABEL [SCENARIO:LABEL]...

For each SCENARIO, DIR holds:
  SCENARIO.wrench.json   wrench's JSON report (one untimed run)
  SCENARIO.checker.txt   the Java checker's output (one untimed run)
  SCENARIO.times.json    hyperfine (or timeit.py) results, commands named wrench and checker
  SCENARIO.wrench.rss    /usr/bin/time -v output of a wrench run (absent: RSS not measured)
  SCENARIO.checker.rss   the same for the checker
The first scenario is the one the targets are judged on. Timings are reported, never
asserted: the exit status is 1 only when a sanity check fails (wrench's report is not
JSON, or shows no conflict on the target scenario, or the checker printed no summary),
because then the timings did not measure the real work.
"""

import json
import os
import re
import sys

TARGET_RATIO = 15.0      # wrench's wall-clock time at least this many times below the checker's
TARGET_CPU_RATIO = 20.0  # and its CPU time (user + system) this many times below (issue 11)
TARGET_RSS_MB = 64.0     # wrench's peak resident set size below this
KB_PER_MB = 1024.0


def read_rss_mb(path):
    """Peak RSS in MB from `/usr/bin/time -v` output, or None."""
    try:
        with open(path) as f:
            m = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", f.read())
    except OSError:
        return None
    return int(m.group(1)) / KB_PER_MB if m else None


def read_checker(path):
    """The checker's summary line(s): counts from the first, the best scan_ms of all."""
    runs = []
    try:
        with open(path) as f:
            for line in f:
                if not line.startswith("jars="):
                    continue
                pairs = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
                runs.append({k: int(v) for k, v in pairs.items()})
    except (OSError, ValueError):
        return None
    if not runs:
        return None
    summary = dict(runs[0])
    summary["scan_ms"] = min(r.get("scan_ms", 0) for r in runs)
    summary["runs"] = len(runs)
    return summary


def read_wrench(path):
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError):
        return None
    entries = [e for v in report.get("views", []) for e in v.get("entries", [])]
    return {
        "listed": len(entries),
        "read": sum(1 for e in entries if e.get("status") == "ok"),
        "zip_entries": sum(e.get("zip_entries") or 0 for e in entries),
        "class_entries": sum(e.get("classes") or 0 for e in entries),
        "conflicts": len(report.get("conflicts", [])),
        "multi_jar_classes": sum(c.get("shared", 0) for c in report.get("conflicts", [])),
        "duplicates": len(report.get("duplicates", [])),
        "duration_ms": report.get("scan", {}).get("duration_ms"),
    }


def read_times(path):
    with open(path) as f:
        results = json.load(f)["results"]
    return {r["command"]: r for r in results}


def ms(seconds):
    return "%.1f ms" % (seconds * 1e3)


def mb(value):
    return "n/a" if value is None else "%.1f MB" % value


def table(header, rows, left=1):
    """Print rows under header; the first `left` columns left-aligned, numbers right."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) if i >= left else str(c).ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


def main():
    if len(sys.argv) < 3:
        print("usage: report.py DIR SCENARIO:LABEL...", file=sys.stderr)
        return 2
    out = sys.argv[1]
    scenarios = [a.split(":", 1) for a in sys.argv[2:]]
    ok = True
    data = []
    for name, label in scenarios:
        p = lambda suffix: os.path.join(out, "%s.%s" % (name, suffix))
        w, c = read_wrench(p("wrench.json")), read_checker(p("checker.txt"))
        if w is None:
            print("SANITY FAIL [%s]: wrench's report %s is not JSON" % (name, p("wrench.json")))
            ok = False
            continue
        if c is None or "multi_jar_classes" not in c:
            print("SANITY FAIL [%s]: no summary line from the Java checker" % name)
            ok = False
            continue
        t = read_times(p("times.json"))
        data.append((name, label, w, c, t, read_rss_mb(p("wrench.rss")),
                     read_rss_mb(p("checker.rss"))))

    if data:
        print("Classpath (wrench's count / the Java checker's count):")
        table(["scenario", "entries listed", "jars read", "zip entries", "class entries",
               "conflicts", "multi-jar classes"],
              [[d[0], d[2]["listed"], "%d / %d" % (d[2]["read"], d[3]["jars"]),
                "%d / %d" % (d[2]["zip_entries"], d[3]["zip_entries"]),
                "%d / %d" % (d[2]["class_entries"], d[3]["class_entries"]),
                d[2]["conflicts"],
                "%d / %d" % (d[2]["multi_jar_classes"], d[3]["multi_jar_classes"])]
               for d in data])
        print()
        print("Wall-clock time (best and mean of the timed runs), CPU time (user+sys, mean),")
        print("peak RSS, the speed-up (checker best / this command's best) and the CPU ratio")
        print("(checker CPU / this command's CPU):")
        rows = []
        for name, label, w, c, t, wrss, crss in data:
            checker_best = t["checker"]["min"]
            checker_cpu = t["checker"].get("user", 0) + t["checker"].get("system", 0)
            for cmd in ("wrench", "wrench 1 thread", "wrench+db", "checker"):
                if cmd not in t:
                    continue
                r = t[cmd]
                cpu = r.get("user", 0) + r.get("system", 0)
                rss = {"wrench": wrss, "checker": crss}.get(cmd)
                rows.append([name, cmd, ms(r["min"]),
                             "%s +- %.1f" % (ms(r["mean"]), r["stddev"] * 1e3),
                             ms(cpu) if cpu else "n/a",
                             mb(rss) if cmd not in ("wrench+db", "wrench 1 thread") else "-",
                             "%.1fx" % (checker_best / r["min"]),
                             "%.1fx" % (checker_cpu / cpu) if cpu else "n/a"])
            rows.append([name, "(checker in-JVM)", "%d ms" % c.get("scan_ms", 0),
                         "", "", "", "", ""])
        table(["scenario", "command", "best", "mean +- sd", "CPU", "peak RSS", "speed-up",
               "CPU ratio"], rows, left=2)
        print()
        for name, label, *_ in data:
            print("  %-8s %s" % (name, label))
        print("  wrench    = wrench scan --json --fail-on never" +
              (" --no-db: like for like with the checker,\n"
               "              which stores nothing" if "wrench+db" in data[0][4] else ""))
        if "wrench+db" in data[0][4]:
            print("  wrench+db = the same with the scan stored, as by default (into a scratch")
            print("              database, --keep 1)")
        if "wrench 1 thread" in data[0][4]:
            print("  wrench 1 thread = wrench with WRENCH_CP_THREADS=1 (the jars read on one")
            print("              thread; wrench alone uses two when two CPUs are free)")
        print("  checker   = java JarHellCheck (scripts/bench/JarHellCheck.java)")
        print("  checker in-JVM = the checker's own timer around its scan, best of %d untimed"
              % data[0][3]["runs"])
        print("              runs: its time without JVM start-up and shutdown (cold JIT)")
        print()

        name, label, w, c, t, wrss, crss = data[0]
        if w["conflicts"] <= 0:
            print("SANITY FAIL [%s]: wrench reported no conflict; it did not do the work" % name)
            ok = False
        else:
            print("Sanity [%s]: wrench reports %d conflicts (%d multi-jar classes); the Java "
                  "checker found %d multi-jar classes%s." % (
                      name, w["conflicts"], w["multi_jar_classes"], c["multi_jar_classes"],
                      "" if w["multi_jar_classes"] == c["multi_jar_classes"]
                      else " (they differ by %d)"
                      % abs(w["multi_jar_classes"] - c["multi_jar_classes"])))
        ratio = t["checker"]["min"] / t["wrench"]["min"]
        cpu = lambda r: r.get("user", 0) + r.get("system", 0)
        cpu_ratio = cpu(t["checker"]) / cpu(t["wrench"]) if cpu(t["wrench"]) else 0
        print("Target [%s] speed: wrench >= %.0fx faster than the Java checker (wall clock, best "
              "of runs): %.1fx  %s"
              % (name, TARGET_RATIO, ratio, "PASS" if ratio >= TARGET_RATIO else "MISS"))
        print("Target [%s] CPU: wrench >= %.0fx less CPU time than the Java checker (user + "
              "system, mean of runs): %.1fx  %s"
              % (name, TARGET_CPU_RATIO, cpu_ratio,
                 "PASS" if cpu_ratio >= TARGET_CPU_RATIO else "MISS"))
        if wrss is None:
            print("Target [%s] memory: peak RSS < %.0f MB: not measured (no /usr/bin/time)  MISS"
                  % (name, TARGET_RSS_MB))
        else:
            print("Target [%s] memory: wrench peak RSS < %.0f MB: %.1f MB  %s"
                  % (name, TARGET_RSS_MB, wrss, "PASS" if wrss < TARGET_RSS_MB else "MISS"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
