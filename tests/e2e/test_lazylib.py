"""The libraries only some commands need are loaded when first needed (lazylib.c).

libmicrohttpd (with GnuTLS and its six libraries behind it) serves `wrench serve`, libzip
(with libcrypto) words the error of a jar entry zlib could not inflate, Hyperscan (with the
C++ runtime) searches logs. Linked at start-up they cost every command ~4 ms of CPU in the
dynamic linker, and a scan would not start in an image lacking one of them. The dynamic
linker's own trace (LD_DEBUG=files) shows what each command really loads."""
import shutil
import subprocess
import zipfile

import pytest

from helpers import WRENCH, make_jar, run
from test_serve import Server

# (libstdc++, which Hyperscan needs, is left out: the sanitizers' runtime loads it too)
LAZY = ("libmicrohttpd", "libgnutls", "libzip", "libcrypto", "libhs")


def _needed(binary):
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True)
    return [line.split("[", 1)[1].rstrip("]") for line in out.stdout.splitlines()
            if "(NEEDED)" in line]


def _loaded(trace):
    """The libraries the dynamic linker opened, from an LD_DEBUG=files trace."""
    return {word.split("=", 1)[1] for line in trace.splitlines() for word in line.split()
            if word.startswith("file=") and ".so" in word}


def test_the_binary_links_none_of_the_lazy_libraries():
    if shutil.which("readelf") is None:
        pytest.skip("readelf (binutils) is not installed")
    needed = _needed(WRENCH)
    if not needed:
        pytest.skip("a static binary links everything")
    assert any(n.startswith("libc.so") for n in needed), needed
    for lib in LAZY:
        assert not any(n.startswith(lib) for n in needed), f"{lib} in NEEDED: {needed}"


def test_a_classpath_scan_loads_none_of_them(tmp_path):
    jar = make_jar(tmp_path / "app.jar", classes=["com/acme/App"])
    proc = run(["scan", "--classpath", jar, "--no-db", "--json", "--fail-on", "never"],
               env={"LD_DEBUG": "files"})
    assert proc.returncode == 0, proc.err
    loaded = _loaded(proc.err)
    assert any(name.startswith("libsqlite3") for name in loaded), loaded  # the trace works
    for lib in LAZY:
        assert not any(name.startswith(lib) for name in loaded), f"{lib} loaded: {loaded}"


def test_an_entry_zlib_cannot_inflate_loads_libzip_for_its_message(tmp_path):
    jar = tmp_path / "broken.jar"
    make_jar(jar, classes=["com/acme/App"], manifest={"Implementation-Version": "1.0"})
    with zipfile.ZipFile(jar) as z:
        info = z.getinfo("META-INF/MANIFEST.MF")
        assert info.compress_type == zipfile.ZIP_DEFLATED
    data = bytearray(jar.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start, start + info.compress_size):  # deflate stream of garbage
        data[i] = 0xFF
    jar.write_bytes(bytes(data))
    proc = run(["scan", "--classpath", jar, "--no-db", "--json", "--fail-on", "never"],
               env={"LD_DEBUG": "files"})
    assert proc.returncode == 0, proc.err
    assert any(name.startswith("libzip") for name in _loaded(proc.err)), proc.err[-3000:]
    # libzip's own words for the damage reach the report
    assert "Zlib error" in proc.out or "CRC error" in proc.out, proc.out[:3000]


def test_serve_loads_libmicrohttpd(tmp_path):
    server = Server(tmp_path, [], env={"LD_DEBUG": "files"})
    assert server.request("GET", "/healthz")[0] == 200
    assert any(name.startswith("libmicrohttpd") for name in _loaded(server.stop()))
