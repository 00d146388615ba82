#!/bin/sh
# The wrench demo: build a small Java application whose classpath hides the
# usual trouble (two versions of one library, a class that differs between
# them, a jar copied twice, a jar listed twice through a symlink), show what the
# JVM makes of it, then let wrench explain why. Usage: demo.sh /abs/path/to/wrench
# The jars go to build/demo (or $WRENCH_DEMO_DIR) and are rebuilt only when the
# sources in testdata/demo change.
set -eu

bin=${1:?usage: demo.sh /path/to/wrench}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${WRENCH_DEMO_DIR:-$root/build/demo}

if [ ! -x "$bin" ]; then
    echo "demo.sh: $bin is not an executable (run make first)" >&2
    exit 2
fi

echo "== Building the demo application (testdata/demo) into $out"
sh "$root/testdata/demo/build.sh" "$out"
cp=$(cat "$out/classpath")

cat <<TXT

The classpath, in the order the JVM searches it:
$(echo "$cp" | tr ':' '\n' | sed 's/^/    /')

acme-util is there in 1.0 and 2.0; acme-common twice (a copy under another
name); lib/acme-util.jar is a symlink to lib/acme-util-2.0.jar.

== What the JVM does with it
TXT
# The service's log: what the JVM printed when it died, as a container would keep it.
mkdir -p "$out/logs"
log="$out/logs/app.log"
if command -v java > /dev/null 2>&1; then
    echo "\$ java -cp \$CLASSPATH com.acme.app.Main > logs/app.log 2>&1"
    java -cp "$cp" com.acme.app.Main > "$log" 2>&1 || true
    sed 's/^/    /' "$log"
else
    echo "    (java not installed; skipped)"
    : > "$log"
fi

echo
echo "== What wrench says"
echo "\$ wrench scan --classpath \$CLASSPATH --logs logs/ --no-db"
echo
rc=0
"$bin" scan --classpath "$cp" --logs "$out/logs" --no-db || rc=$?

echo
case $rc in
0) meaning="no finding at or above the --fail-on threshold (default: error)" ;;
1) meaning="findings at or above the --fail-on threshold (default: error) - expected here" ;;
2) meaning="usage error" ;;
3) meaning="the scan could not run" ;;
*) meaning="unexpected (a crash?)" ;;
esac
echo "wrench exited with $rc: $meaning."
echo "For the machine-readable report: $bin scan --classpath \"\$(cat $out/classpath)\" --logs $out/logs --json"

# The demo's purpose is to show findings, so exit 1 is success here; 2, 3 or a
# crash means the demo itself failed.
case $rc in
0 | 1) exit 0 ;;
*) exit "$rc" ;;
esac
