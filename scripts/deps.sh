#!/bin/sh
# Install the Debian packages that building, testing and demonstrating wrench
# need. Cheap when everything is there (one dpkg-query call), so `make test`
# and `make demo` can run it every time. As root it installs what is missing;
# otherwise it prints the apt-get line to run and fails.
set -eu

PACKAGES="build-essential pkg-config libzip-dev libpcre2-dev libjansson-dev
libmicrohttpd-dev libsqlite3-dev zlib1g-dev libcmocka-dev
clang libclang-rt-14-dev openjdk-17-jdk-headless python3 python3-pytest python3-jsonschema zip unzip valgrind
libguava-java libslf4j-java liblog4j1.2-java libcommons-logging-java libcommons-lang3-java
tomcat10-common libtomcat10-java tomcat10
chromium wrk cmake dpkg-dev xz-utils runit"
# Hyperscan (the log scan's candidate search, wrench/multimatch.c) exists for amd64 only;
# elsewhere the build takes multimatch.c's portable engine.
if [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ]; then
    PACKAGES="$PACKAGES libhyperscan-dev"
fi

# dpkg-query prints one line per known package; a package it has never heard of
# goes to stderr and is simply absent from the output, hence the comparison below.
# shellcheck disable=SC2086 # word splitting of the package list is intended
installed=" $(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PACKAGES 2>/dev/null |
    awk '$2 == "installed" { printf "%s ", $1 }')"

missing=""
for pkg in $PACKAGES; do
    case "$installed" in
    *" $pkg "*) ;;
    *) missing="$missing $pkg" ;;
    esac
done
missing=${missing# }

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing Debian packages: $missing" >&2
    echo "deps.sh: run as root (or with sudo):" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing" >&2
    exit 1
fi

echo "deps.sh: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y --no-install-recommends $missing
