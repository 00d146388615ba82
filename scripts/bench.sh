#!/bin/sh
# The wrench benchmark (`make bench`): time `wrench scan --json` side by side with a
# JarHell-style reference checker written in Java (scripts/bench/JarHellCheck.java) on
# two classpaths, in the same run:
#   big     Debian's jars in /usr/share/java plus ~440 generated jars (~600 entries,
#           ~200,000 class entries), with duplicate artifacts and class conflicts;
#   debian  /usr/share/java alone.
# Prints best-of-N wall-clock times, the ratio checker/wrench, both tools' peak RSS, the
# size of each classpath and a sanity check that both found the same multi-jar classes,
# then PASS/MISS against the targets (issue 11: wrench >= 15x faster in wall-clock time and
# >= 20x less CPU time, peak RSS < 64 MB). Timings are
# reported, never asserted; the exit status is non-zero only when the bench itself could
# not run or a sanity check failed. See docs/bench.md.
#
# Usage: bench.sh /abs/path/to/wrench
# Environment: BENCH_RUNS (timed runs per command, default 10, after 1 warm-up),
# BENCH_TIMER=python (use scripts/bench/timeit.py even when hyperfine is installed),
# WRENCH_BENCH_DIR (default build/bench; generated jars are reused while their stamp
# matches), BENCH_PROFILE=1 (also profile wrench once on the big classpath: callgrind's top
# functions by instructions, perf's cpu-clock samples by time).
set -eu

bin=${1:?usage: bench.sh /path/to/wrench}
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/scripts/bench
out=${WRENCH_BENCH_DIR:-$root/build/bench}
runs=${BENCH_RUNS:-10}
warmup=1
python=/usr/bin/python3
debian_jars=/usr/share/java

if [ ! -x "$bin" ]; then
    echo "bench.sh: $bin is not an executable (run make first)" >&2
    exit 2
fi
for tool in java javac "$python"; do
    if ! command -v "$tool" > /dev/null 2>&1; then
        echo "bench.sh: $tool not found (make deps installs it)" >&2
        exit 2
    fi
done

# ensure_package and quote
# shellcheck source=scripts/bench/common.sh
. "$here/common.sh"

timer=timeit.py
if [ "${BENCH_TIMER:-}" != python ] && ensure_package hyperfine hyperfine; then
    timer=hyperfine
fi
have_time=0
if ensure_package /usr/bin/time time; then
    have_time=1
fi

mkdir -p "$out"
# Time a private copy: another `make` relinking build/wrench mid-run must not break the bench.
cp "$bin" "$out/wrench.tmp"
mv -f "$out/wrench.tmp" "$out/wrench"
bin=$out/wrench

# Since wrench stores every scan in a database by default, the like-for-like comparison with
# the checker (which stores nothing) uses --no-db; the default behaviour is timed as well,
# into a scratch database in $out, so the bench never writes into the user's database.
nodb=
db_args=
if "$bin" scan --help 2>&1 | grep -q -- '--no-db'; then
    nodb=--no-db
    db_args="--db $(quote "$out/bench.db") --keep 1"
    rm -f "$out/bench.db"
fi

echo "== Generating the synthetic jars (reused when up to date) into $out/jars"
"$python" "$here/gen_jars.py" "$out"

checker_dir=$out/checker
if [ ! -f "$checker_dir/JarHellCheck.class" ] ||
    [ -n "$(find "$here/JarHellCheck.java" -newer "$checker_dir/JarHellCheck.class")" ]; then
    echo "== Compiling the Java reference checker (scripts/bench/JarHellCheck.java)"
    mkdir -p "$checker_dir"
    javac -d "$checker_dir" "$here/JarHellCheck.java"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2> /dev/null | head -n 1)
echo "== Machine: $(nproc) cores, ${cpu:-unknown CPU}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   wrench: $("$bin" version 2>&1 | head -n 1); java: $(java -version 2>&1 | head -n 1)"
echo "   timer: $timer, $warmup warm-up + $runs timed runs per command"

# measured RSSFILE COMMAND...: run COMMAND, with /usr/bin/time -v writing into RSSFILE if present.
measured() {
    rss=$1
    shift
    rm -f "$rss"
    if [ "$have_time" -eq 1 ]; then
        /usr/bin/time -v -o "$rss" "$@"
    else
        "$@"
    fi
}

# run_scenario NAME CLASSPATH
run_scenario() {
    name=$1
    cp=$2
    wrench_cmd="$(quote "$bin") scan --classpath $(quote "$cp") --json --fail-on never $nodb"
    # the jars read on one thread (wrench uses two when it may): issue 11's CPU question
    one_cmd="env WRENCH_CP_THREADS=1 $wrench_cmd"
    db_cmd="$(quote "$bin") scan --classpath $(quote "$cp") --json --fail-on never $db_args"
    checker_cmd="java -cp $(quote "$checker_dir") JarHellCheck $(quote "$cp")"
    echo
    echo "== Scenario $name: $cp"

    # One untimed run of each keeps the output for the sanity check and, under
    # /usr/bin/time -v, gives the peak RSS (it does not depend on the timing runs).
    rc=0
    # shellcheck disable=SC2086 # $nodb is one option or nothing
    measured "$out/$name.wrench.rss" "$bin" scan --classpath "$cp" --json --fail-on never \
        $nodb > "$out/$name.wrench.json" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "bench.sh: wrench exited with $rc on scenario $name" >&2
        exit 1
    fi
    measured "$out/$name.checker.rss" java -cp "$checker_dir" JarHellCheck "$cp" \
        > "$out/$name.checker.txt"
    # Two more runs only for the checker's own in-JVM scan time (report.py keeps the best).
    for _ in 1 2; do
        java -cp "$checker_dir" JarHellCheck "$cp" >> "$out/$name.checker.txt"
    done
    echo "   checker: $(head -n 1 "$out/$name.checker.txt" | sed "s/ scan_ms=.*//")"

    rm -f "$out/$name.times.json"
    if [ "$timer" = hyperfine ]; then
        if [ -n "$nodb" ]; then
            set -- -n wrench "$wrench_cmd" -n "wrench 1 thread" "$one_cmd" \
                -n wrench+db "$db_cmd" -n checker "$checker_cmd"
        else
            set -- -n wrench "$wrench_cmd" -n "wrench 1 thread" "$one_cmd" -n checker "$checker_cmd"
        fi
        hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
            --export-json "$out/$name.times.json" "$@" |
            grep -E '^Benchmark|Time|Range' | sed 's/^/   /'
    else
        if [ -n "$nodb" ]; then
            set -- wrench "$wrench_cmd" "wrench 1 thread" "$one_cmd" wrench+db "$db_cmd" \
                checker "$checker_cmd"
        else
            set -- wrench "$wrench_cmd" "wrench 1 thread" "$one_cmd" checker "$checker_cmd"
        fi
        "$python" "$here/timeit.py" "$out/$name.times.json" "$warmup" "$runs" "$@"
    fi
    if [ ! -s "$out/$name.times.json" ]; then
        echo "bench.sh: timing scenario $name failed ($timer)" >&2
        exit 1
    fi
}

start=$(date +%s)
run_scenario big "$debian_jars/*:$out/jars/*"
run_scenario debian "$debian_jars/*"

echo
echo "== Results ($(date -u +%Y-%m-%dT%H:%MZ), $(($(date +%s) - start)) s of timing)"
rc=0
"$python" "$here/report.py" "$out" \
    "big:Debian's jars ($debian_jars/*) plus the generated ones ($out/jars/*)" \
    "debian:Debian's jars only ($debian_jars/*)" > "$out/results.txt" || rc=$?
cat "$out/results.txt"

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
    big="$debian_jars/*:$out/jars/*"
    echo
    echo "== Profile: wrench under callgrind on the big classpath (top functions by instructions)"
    if command -v valgrind > /dev/null 2>&1; then
        # shellcheck disable=SC2086 # $nodb is one option or nothing
        valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
            "$bin" scan --classpath "$big" --json --fail-on never $nodb \
            > /dev/null 2> "$out/callgrind.log"
        callgrind_annotate "$out/callgrind.out" 2> /dev/null |
            sed -n '/PROGRAM TOTALS/p; /file:function/,$p' | sed -n '1,22p'
        echo "   (inclusive: callgrind_annotate --inclusive=yes $out/callgrind.out)"
    else
        echo "   valgrind not installed"
    fi
    # Instructions are not time: a hash table's cache misses and page faults cost far more
    # than their instruction count, so sample the wall clock too. Hardware counters are often
    # missing in a VM; the cpu-clock software event works there.
    echo
    echo "== Profile: wrench under perf (cpu-clock samples, inclusive, >= 4%)"
    if command -v perf > /dev/null 2>&1 &&
        perf record -q -e cpu-clock -F 5000 --call-graph dwarf,16384 -o "$out/perf.data" \
            "$bin" scan --classpath "$big" --json --fail-on never $nodb > /dev/null 2>&1; then
        perf report -i "$out/perf.data" --children --sort dso,symbol --stdio -g none \
            --percent-limit 4 2> /dev/null | grep -v '^#' | grep -v '^$' | sed 's/ *- *- *$//'
        echo "   (callers: perf report -i $out/perf.data --no-children -G)"
    else
        echo "   perf not usable here"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Logs scenario (issues 3, 11): scripts/bench/logs.sh (wrench against ripgrep, ugrep and grep -E
# on a >= 1 GiB log, plain, in CRI lines and as JSON lines; --last-start on a long history).
# BENCH_LOGS=0 skips it; its own settings are described there and in docs/bench.md, "Logs".
if [ "${BENCH_LOGS:-1}" = 1 ]; then
    WRENCH_BENCH_DIR=$out sh "$here/logs.sh" "$bin"
fi
# ---------------------------------------------------------------------------------------------
# Serve scenario (issue 6): `wrk -t2 -c20 -d5s --latency` against GET /api/v1/scans/latest of a
# live `wrench serve` on the big classpath, while scans run back to back (a POST every 0.2 s;
# 409 while one runs). Prints requests per second and the p99 latency. BENCH_SERVE=0 skips it.
if [ "${BENCH_SERVE:-1}" = 1 ] && ensure_package wrk wrk; then
    servedir=$out/serve
    mkdir -p "$servedir"
    rm -f "$servedir/serve.db" "$servedir/serve.db-wal" "$servedir/serve.db-shm"
    port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    base=http://127.0.0.1:$port
    echo
    echo "== Serve scenario: wrk -t2 -c20 -d5s on GET /api/v1/scans/latest while scans run"
    "$bin" serve --listen "127.0.0.1:$port" --db "$servedir/serve.db" \
        --classpath "$debian_jars/*:$out/jars/*" > "$servedir/serve.log" 2>&1 &
    serve_pid=$!
    tries=0
    until curl -sf "$base/healthz" > /dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ] || ! kill -0 "$serve_pid" 2> /dev/null; then
            echo "bench.sh: wrench serve did not start (see $servedir/serve.log)" >&2
            rc=1
            break
        fi
        sleep 0.1
    done
    if [ "$tries" -le 100 ] && kill -0 "$serve_pid" 2> /dev/null; then
        curl -sf -X POST "$base/api/v1/scans" > /dev/null
        until curl -sf "$base/api/v1/scans/latest" > /dev/null 2>&1; do sleep 0.1; done
        (end=$(($(date +%s) + 6)); while [ "$(date +%s)" -lt "$end" ]; do
            curl -s -o /dev/null -X POST "$base/api/v1/scans"; sleep 0.2; done) &
        poster=$!
        wrk -t2 -c20 -d5s --latency "$base/api/v1/scans/latest" > "$servedir/wrk.txt" 2>&1 || rc=1
        wait "$poster" || true
        scans=$(curl -s "$base/metrics" | awk '/^wrench_scans_total\{status="done"\}/ { print $2 }')
        awk -v scans="${scans:-?}" '
            /Requests\/sec/ { rps = $2 }
            $1 == "99%" { p99 = $2 }
            / requests in / { total = $1 }
            /Non-2xx/ { bad = $NF }
            END { printf "   %s requests/s, p99 latency %s, %s requests (%s non-2xx); %s scans " \
                  "done meanwhile\n", rps, p99, total, bad ? bad : 0, scans }' "$servedir/wrk.txt"
    fi
    kill -TERM "$serve_pid" 2> /dev/null || true
    wait "$serve_pid" || { echo "bench.sh: wrench serve did not exit 0 on SIGTERM" >&2; rc=1; }
fi
exit "$rc"
