#!/bin/sh
# Build the demo application's jars from the sources beside this script into
# OUT (scripts/demo.sh uses build/demo; the end-to-end tests a temporary dir).
# Jars are never committed: they are made here, with javac and jar, in a few
# seconds, and rebuilt only when a source is newer than the last build.
#
# OUT/app/demo-app.jar          Main-Class com.acme.app.Main, Class-Path to all below
# OUT/lib/acme-util-1.0.jar     com.acme:acme-util:1.0
# OUT/lib/acme-util-2.0.jar     com.acme:acme-util:2.0 (Strings gains whisper(), Version differs)
# OUT/lib/acme-common-1.4.jar   com.acme:acme-common:1.4
# OUT/plugins/acme-common.jar   a byte-for-byte copy of acme-common-1.4.jar
# OUT/lib/acme-util.jar         symlink to acme-util-2.0.jar
# OUT/classpath                 the demo classpath, ':'-separated absolute paths
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp="$out/.built"

if [ -f "$stamp" ] && [ -z "$(find "$here" -type f -newer "$stamp" | head -n 1)" ]; then
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Two javac runs only (a JVM start costs about a second): acme-util 1.0 alone,
# then acme-util 2.0, acme-common and the app together; each jar then takes its
# own packages from the shared output.
find "$here/acme-util-1.0/src" -name '*.java' > "$tmp/v1.list"
javac --release 8 -d "$tmp/v1" "@$tmp/v1.list"
find "$here/acme-util-2.0/src" "$here/acme-common/src" "$here/app/src" -name '*.java' \
    > "$tmp/v2.list"
javac --release 8 -d "$tmp/v2" "@$tmp/v2.list"

rm -rf "${out:?}/app" "${out:?}/lib" "${out:?}/plugins"
mkdir -p "$out/app" "$out/lib" "$out/plugins"

jar --create --file "$out/lib/acme-util-1.0.jar" -C "$tmp/v1" com \
    -C "$here/acme-util-1.0/res" META-INF
jar --create --file "$out/lib/acme-util-2.0.jar" -C "$tmp/v2" com/acme/util \
    -C "$here/acme-util-2.0/res" META-INF
jar --create --file "$out/lib/acme-common-1.4.jar" -C "$tmp/v2" com/acme/common \
    -C "$here/acme-common/res" META-INF
cp "$out/lib/acme-common-1.4.jar" "$out/plugins/acme-common.jar"
ln -s acme-util-2.0.jar "$out/lib/acme-util.jar"

cat > "$tmp/MANIFEST.MF" <<MF
Main-Class: com.acme.app.Main
Class-Path: ../lib/acme-util-1.0.jar ../lib/acme-util-2.0.jar ../lib/acme-common-1.4.jar
  ../plugins/acme-common.jar ../lib/acme-util.jar
MF
jar --create --file "$out/app/demo-app.jar" --manifest "$tmp/MANIFEST.MF" -C "$tmp/v2" com/acme/app

printf '%s' "$out/app/demo-app.jar:$out/lib/acme-util-1.0.jar:$out/lib/acme-util-2.0.jar:\
$out/lib/acme-common-1.4.jar:$out/plugins/acme-common.jar:$out/lib/acme-util.jar" \
    > "$out/classpath"
touch "$stamp"
