#!/usr/bin/python3
"""Time commands when hyperfine is not installed; writes hyperfine's JSON layout.

Usage: timeit.py OUT.json WARMUP RUNS NAME COMMAND [NAME COMMAND]...

COMMAND is split like a shell would split words (shlex), without a shell, so a quoted
'dir/*' reaches the program unexpanded, as with `hyperfine -N`. Each command is run WARMUP
times untimed, then RUNS times; stdout and stderr go to /dev/null. The wall-clock time of a
run is measured around fork+exec+wait with time.perf_counter(). A non-zero exit status stops
the bench (exit 1): timing a command that failed would be meaningless.
"""

import json
import resource
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv):
    """(exit status, wall seconds, user CPU seconds, system CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    rc = subprocess.call(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return rc, elapsed, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main():
    args = sys.argv[1:]
    if len(args) < 5 or (len(args) - 3) % 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out, warmup, runs = args[0], int(args[1]), int(args[2])
    results = []
    for i in range(3, len(args), 2):
        name, argv = args[i], shlex.split(args[i + 1])
        for _ in range(warmup):
            run_once(argv)
        times, user, system = [], [], []
        for _ in range(runs):
            rc, elapsed, utime, stime = run_once(argv)
            if rc != 0:
                print("timeit: %s exited with %d" % (name, rc), file=sys.stderr)
                return 1
            times.append(elapsed)
            user.append(utime)
            system.append(stime)
        results.append({
            "command": name,
            "mean": statistics.mean(times),
            "user": statistics.mean(user),
            "system": statistics.mean(system),
            "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
            "median": statistics.median(times),
            "min": min(times),
            "max": max(times),
            "times": times,
        })
        print("   %-10s best %8.1f ms   mean %8.1f ms   (%d runs)"
              % (name, min(times) * 1e3, statistics.mean(times) * 1e3, runs))
    with open(out, "w") as f:
        json.dump({"results": results}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
