# Shell functions shared by the bench drivers, scripts/bench.sh and scripts/bench/logs.sh,
# which source this file. Their messages start with the name of the script that runs
# (bench.sh:, logs.sh:), as when each script had its own copy.
# shellcheck shell=sh

bench_me=${0##*/}

# Install a missing Debian package when root; otherwise say so and carry on without it.
ensure_package() { # command package
    command -v "$1" > /dev/null 2>&1 && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "$bench_me: $1 not found; as root: apt-get install $2" >&2
        return 1
    fi
    echo "$bench_me: installing $2"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "$2" > /dev/null 2>&1 ||
        { apt-get update > /dev/null 2>&1 &&
            apt-get install -y --no-install-recommends "$2" > /dev/null 2>&1; } ||
        echo "$bench_me: could not install $2" >&2
    command -v "$1" > /dev/null 2>&1
}

# Quote a word for the timers (hyperfine -N, timeit.py, logbench.py), which split commands
# like a shell, unexpanded.
quote() {
    case $1 in
    *"'"*)
        echo "$bench_me: a path contains a single quote: $1" >&2
        exit 2
        ;;
    esac
    printf "'%s'" "$1"
}
