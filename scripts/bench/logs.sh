#!/bin/sh
# The logs scenario of `make bench` (issues 3, 11): `wrench scan --logs FILE --no-db --json` on
# a >= 1 GiB log written three ways (plain, kubelet's CRI lines, Logstash JSON lines), on one
# thread and two, and on the full path, against ripgrep (its default engine), ugrep and
# grep -E given the rules' patterns, in the same run; wall and CPU ratios; then --last-start
# on a long history. bench.sh runs it after the classpath scenarios; it also runs alone:
#
#   sh scripts/bench/logs.sh /abs/path/to/wrench
#
# scripts/bench/logbench.py writes the logs (once, reused while build/bench/logs/stamp
# matches), converts the patterns and times the tools. Environment: BENCH_LOG_MIB (default
# 1100), BENCH_LOG_RUNS (timed runs per tool, default 3, after 1 warm-up), BENCH_LOG_CAP
# (seconds after which a run is stopped, default 60: ugrep with the rules' patterns needs
# minutes), BENCH_LOG_FORMATS (default "cri jsonl"; "" times the plain log alone),
# BENCH_LASTSTART_MIB (default 4096; 0 skips it), BENCH_PROFILE=1 (perf profiles of wrench on
# each log). See docs/bench.md, "Logs".
set -eu

bin=${1:?usage: logs.sh /path/to/wrench}
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/scripts/bench
out=${WRENCH_BENCH_DIR:-$root/build/bench}
python=/usr/bin/python3
logdir=$out/logs
log_runs=${BENCH_LOG_RUNS:-3}
log_cap=${BENCH_LOG_CAP:-60}

# ensure_package and quote
# shellcheck source=scripts/bench/common.sh
. "$here/common.sh"

have_rg=0 have_ugrep=0
ensure_package rg ripgrep && have_rg=1
ensure_package ugrep ugrep && have_ugrep=1
ensure_package /usr/bin/time time || true

echo
echo "== Logs scenario: the logs (reused when up to date) and the rules' patterns in $logdir"
"$python" "$here/logbench.py" "$logdir" "${BENCH_LOG_MIB:-1100}"
"$python" "$here/logbench.py" --patterns "$root/rules" "$logdir"

# One log: wrench on one thread and on two (a log this large is read in two halves, in
# every format), the full path (WRENCH_LOG_FASTPATH=0: every line split,
# every record decoded, issue 11's "before"), and the greps with the same patterns.
time_log() { # file label
    file=$1
    label=$2
    wscan="$(quote "$bin") scan --logs $(quote "$file") --no-db --json --fail-on never"
    set -- "wrench -t1" "env WRENCH_LOG_THREADS=1 $wscan" "wrench -t2" "$wscan" \
        "wrench full" "env WRENCH_LOG_FASTPATH=0 $wscan"
    if [ $have_rg = 1 ]; then
        # (rg -P is left out: it refuses the patterns' \n without -U, and took minutes)
        set -- "$@" rg "rg -c -f $(quote "$logdir/patterns.rust") $(quote "$file")"
    fi
    if [ $have_ugrep = 1 ]; then
        set -- "$@" ugrep "ugrep -c -f $(quote "$logdir/patterns.rust") $(quote "$file")"
    fi
    set -- "$@" "grep -E" "grep -E -c -f $(quote "$logdir/patterns.ere") $(quote "$file")"
    # Warm the page cache once, so that no tool pays for reading the disk.
    cat "$file" > /dev/null
    # The same findings, whichever way they are found (issue 11): the fast path on two threads
    # (the default) and on one, and the full path; the bench stops when they differ.
    "$bin" scan --logs "$file" --no-db --json --fail-on never > "$logdir/wrench-$label.json"
    WRENCH_LOG_THREADS=1 "$bin" scan --logs "$file" --no-db --json --fail-on never \
        > "$logdir/wrench-$label-t1.json"
    WRENCH_LOG_FASTPATH=0 "$bin" scan --logs "$file" --no-db --json --fail-on never \
        > "$logdir/wrench-$label-full.json"
    "$python" - "$logdir/wrench-$label.json" "$logdir/wrench-$label-t1.json" \
        "$logdir/wrench-$label-full.json" <<'PY'
import json, sys
reports = [json.load(open(path)) for path in sys.argv[1:]]
logs = reports[0]["logs"]
f = logs["files"][0]
hits = sum(x["count"] for x in logs["findings"])
print(f"   wrench read {f['bytes'] / 2**20:.0f} MiB ({f['format']}): {f['lines']} lines, "
      f"{f['events']} events, {len(logs['findings'])} findings grouping {hits} events; "
      f"complete={f['complete']}")
# everything the scan found in the log: its logs section, findings, incidents and verdict
found = [{k: r[k] for k in ("logs", "findings", "incidents", "verdict")} for r in reports]
same = found[1] == found[0] and found[2] == found[0]
print("   Sanity: the fast path on two threads and on one, and the full path, report the same "
      f"findings: {'yes' if same else 'NO'}")
sys.exit(0 if same else 1)
PY
    echo "== Logs scenario, $label: timing ($log_runs runs after 1 warm-up, each stopped at" \
        "${log_cap} s)"
    LOGBENCH_LABEL="logs $label" "$python" "$here/logbench.py" --time \
        "$logdir/times-$label.json" "$log_runs" "$log_cap" "$@" | tee "$logdir/results-$label.txt"
    if [ "${BENCH_PROFILE:-0}" = 1 ]; then
        echo
        echo "== Profile: wrench -t1 under perf on the $label log (cpu-clock, self time, >= 1%)"
        if command -v perf > /dev/null 2>&1 &&
            WRENCH_LOG_THREADS=1 perf record -q -e cpu-clock -F 2000 -g \
                -o "$logdir/perf-$label.data" "$bin" scan --logs "$file" --no-db --json \
                --fail-on never > /dev/null 2>&1; then
            perf report -i "$logdir/perf-$label.data" --no-children --sort dso,symbol --stdio \
                -g none --percent-limit 1 2> /dev/null | grep -v '^#' | grep -v '^$'
        else
            echo "   perf not usable here"
        fi
    fi
}

time_log "$logdir/bench.log" plain
for format in ${BENCH_LOG_FORMATS-cri jsonl}; do
    echo
    time_log "$logdir/bench.$format" "$format"
done

# --last-start on a long history (issue 11): earlier runs, then the last start in the last
# 10 MiB. A plain scan, --last-start (read backwards from the end) and --last-start on the
# old two-pass path (WRENCH_LAST_START=full), in the same run. BENCH_LASTSTART_MIB (default
# 4096, as in the issue; the file is written once and reused).
if [ "${BENCH_LASTSTART_MIB:-4096}" != 0 ]; then
    echo
    echo "== --last-start on a long history: the last start in the last 10 MiB"
    "$python" "$here/logbench.py" --last-start-log "$logdir" "${BENCH_LASTSTART_MIB:-4096}"
    lslog=$(quote "$logdir/laststart.log")
    cat "$logdir/laststart.log" > /dev/null
    "$python" "$here/logbench.py" --time-pair "$logdir/times-laststart.json" "$log_runs" \
        "$log_cap" \
        "wrench plain" "$(quote "$bin") scan --logs $lslog --no-db --json --fail-on never" \
        "wrench --last-start" "$(quote "$bin") scan --logs $lslog --last-start --no-db --json --fail-on never" \
        "--last-start two-pass" "env WRENCH_LAST_START=full $(quote "$bin") scan --logs $lslog --last-start --no-db --json --fail-on never" |
        tee "$logdir/results-laststart.txt"
fi
