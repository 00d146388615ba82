#!/bin/sh
# Build the two libraries that Debian ships only as shared objects for our purpose
# (libzip: no .a at all; libmicrohttpd: its .a needs GnuTLS, whose p11-kit has no .a)
# as static libraries, from Debian's own source packages, into PREFIX. The other
# dependencies (PCRE2, jansson, SQLite, zlib, glibc) link from Debian's .a files.
#
# Sources come from deb.debian.org through apt with a private source list, so the
# machine's apt configuration is left alone. Only what wrench needs is built: libzip
# without bzip2/xz/zstd/crypto (jars are stored or deflated), libmicrohttpd without HTTPS
# (wrench serve speaks plain HTTP; TLS belongs to the platform's ingress).
# Usage: portable-libs.sh BUILD_DIR   (results in BUILD_DIR/prefix; rebuilt only when absent)
set -eu

out=${1:?usage: portable-libs.sh BUILD_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
prefix=$out/prefix
if [ -f "$prefix/lib/libzip.a" ] && [ -f "$prefix/lib/libmicrohttpd.a" ]; then
    exit 0
fi

apt_dir=$out/apt
mkdir -p "$apt_dir/lists/partial" "$out/src"
cat > "$apt_dir/sources.list" <<LIST
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
LIST
apt_opts="-o Dir::Etc::SourceList=$apt_dir/sources.list -o Dir::Etc::SourceParts=/dev/null
-o Dir::State::Lists=$apt_dir/lists -o APT::Sandbox::User=root"
# shellcheck disable=SC2086 # the options are words
apt-get -q $apt_opts update > "$out/apt-update.log" 2>&1 ||
    { cat "$out/apt-update.log" >&2; exit 1; }
rm -rf "$out/src" && mkdir -p "$out/src"
# shellcheck disable=SC2086
(cd "$out/src" && apt-get -q $apt_opts source libzip libmicrohttpd > "$out/apt-source.log" 2>&1) ||
    { cat "$out/apt-source.log" >&2; exit 1; }

zip_src=$(find "$out/src" -maxdepth 1 -type d -name 'libzip-*' | head -n 1)
mhd_src=$(find "$out/src" -maxdepth 1 -type d -name 'libmicrohttpd-*' | head -n 1)

echo "portable-libs.sh: building $(basename "$zip_src") (static)"
mkdir -p "$out/src/zip-build"
(cd "$out/src/zip-build" &&
    cmake "$zip_src" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
        -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF \
        -DENABLE_BZIP2=OFF -DENABLE_LZMA=OFF -DENABLE_ZSTD=OFF -DENABLE_OPENSSL=OFF \
        -DENABLE_GNUTLS=OFF -DENABLE_MBEDTLS=OFF -DENABLE_COMMONCRYPTO=OFF \
        -DENABLE_WINDOWS_CRYPTO=OFF -DBUILD_TOOLS=OFF -DBUILD_REGRESS=OFF \
        -DBUILD_EXAMPLES=OFF -DBUILD_DOC=OFF > ../zip-cmake.log 2>&1 &&
    make -j2 install > ../zip-make.log 2>&1) ||
    { tail -n 30 "$out/src/zip-cmake.log" "$out/src/zip-make.log" >&2; exit 1; }

echo "portable-libs.sh: building $(basename "$mhd_src") (static, no HTTPS)"
(cd "$mhd_src" &&
    ./configure --prefix="$prefix" --disable-shared --enable-static --disable-https \
        --without-gnutls --disable-curl --disable-doc --disable-examples --disable-tools \
        > ../mhd-configure.log 2>&1 &&
    make -j2 install > ../mhd-make.log 2>&1) ||
    { tail -n 30 "$out/src/mhd-configure.log" "$out/src/mhd-make.log" >&2; exit 1; }
