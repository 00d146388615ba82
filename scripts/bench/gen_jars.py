#!/usr/bin/python3
"""Generate the synthetic jars of the `make bench` classpath.

Usage: gen_jars.py OUTDIR

Writes about 440 jars (about 190,000 class entries) into OUTDIR/jars, plus
OUTDIR/stamp. Nothing is compiled: a class entry is a few bytes that start like
a class file, which is all a scanner of central directories (wrench, or a
JarHell-style checker enumerating java.util.jar.JarFile entries) ever looks at.
The output is deterministic (fixed seed) and reused as long as the stamp says
it was made by this GEN_VERSION with these parameters, so a second `make bench`
starts timing at once.

What the set contains, so that a scanner has real work to report:
- bench-libN 1.0 for N < N_ARTIFACTS, under com/benchN/pkgM/ClassK.class, with
  directory records, inner classes, a manifest, pom.properties and resources;
- every VERSIONED_EVERY-th artifact also in version 2.0 (most classes
  byte-identical, some changed, a few new): duplicate artifact + conflicts;
- every SHADE_EVERY-th artifact carries a shaded copy of part of the previous
  artifact's classes (partly identical, partly differing): class conflicts
  between different artifacts;
- COPIES artifacts copied byte-for-byte under a second file name;
- every MULTI_RELEASE_EVERY-th artifact is a Multi-Release jar with
  META-INF/versions/11/ overlays (never a conflict with itself).
"""

import hashlib
import io
import os
import random
import shutil
import sys
import time
import zipfile

GEN_VERSION = 2
SEED = 20261127
N_ARTIFACTS = 395
MIN_CLASSES = 150
MAX_CLASSES = 630
CLASSES_PER_PACKAGE = 40
INNER_EVERY = 9  # every 9th class has an inner class ClassK$1
VERSIONED_EVERY = 10
V2_CHANGED_PERCENT = 20
V2_ADDED_PERCENT = 5
SHADE_EVERY = 8
SHADE_MIN = 30
SHADE_MAX = 120
SHADE_DIFFERING_PERCENT = 30
COPIES = 5
MULTI_RELEASE_EVERY = 50
MULTI_RELEASE_OVERLAYS = 12
RESOURCES_PER_JAR = 3
CLASS_MAGIC = b"\xca\xfe\xba\xbe\x00\x00\x00\x37"
MIN_FILLER = 48
MAX_FILLER = 400

STAMP = "gen_jars v%d seed=%d artifacts=%d classes=%d..%d versioned=1/%d shade=1/%d copies=%d" % (
    GEN_VERSION, SEED, N_ARTIFACTS, MIN_CLASSES, MAX_CLASSES, VERSIONED_EVERY, SHADE_EVERY,
    COPIES)


def class_bytes(name, salt):
    """Bytes of a fake class file: the same (name, salt) always gives the same bytes."""
    digest = hashlib.blake2b(("%s#%s" % (name, salt)).encode(), digest_size=32).digest()
    filler = MIN_FILLER + digest[0] * (MAX_FILLER - MIN_FILLER) // 255
    body = (digest * (filler // len(digest) + 1))[:filler]
    return CLASS_MAGIC + name.encode() + body


def artifact_classes(n, rng):
    """Class entry names (without .class) of artifact n, version 1.0."""
    count = rng.randint(MIN_CLASSES, MAX_CLASSES)
    names = []
    for k in range(count):
        base = "com/bench%d/pkg%d/Class%d" % (n, k // CLASSES_PER_PACKAGE, k)
        names.append(base)
        if k % INNER_EVERY == 0:
            names.append(base + "$1")
    return names


def write_jar(path, group, artifact, version, classes, multi_release=False):
    """classes: list of (entry name without .class, salt). Written to path.tmp, then renamed.

    Class entries are stored, not deflated: zlib's per-entry set-up costs about 0.1 ms, which
    would make generation several times slower, and neither tool being measured reads a class's
    bytes (both only walk the central directory). Manifest and pom.properties, which wrench
    does inflate, are deflated as in a real jar."""
    manifest = "Manifest-Version: 1.0\r\nCreated-By: wrench bench\r\n"
    manifest += "Implementation-Title: %s\r\nImplementation-Version: %s\r\n" % (artifact, version)
    if multi_release:
        manifest += "Multi-Release: true\r\n"
    pom = "groupId=%s\nartifactId=%s\nversion=%s\n" % (group, artifact, version)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("META-INF/", b"")
        zf.writestr("META-INF/MANIFEST.MF", manifest, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/maven/%s/%s/pom.properties" % (group, artifact), pom,
                    zipfile.ZIP_DEFLATED)
        dirs = {"META-INF/"}
        for name, salt in classes:
            d = name[: name.rfind("/") + 1]
            if d not in dirs:
                # Directory records for the package and its parents, as `jar` writes them.
                parts = d.rstrip("/").split("/")
                for i in range(1, len(parts) + 1):
                    sub = "/".join(parts[:i]) + "/"
                    if sub not in dirs:
                        dirs.add(sub)
                        zf.writestr(sub, b"")
            zf.writestr(name + ".class", class_bytes(name, salt))
        for r in range(RESOURCES_PER_JAR):
            zf.writestr("%s/messages_%d.properties" % (group.replace(".", "/"), r),
                        "key%d=%s %s\n" % (r, artifact, version), zipfile.ZIP_DEFLATED)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buf.getvalue())
    os.replace(tmp, path)


def generate(jars):
    rng = random.Random(SEED)
    previous = None
    written = 0
    entries = 0
    for n in range(N_ARTIFACTS):
        group = "com.bench%d" % n
        artifact = "bench-lib%d" % n
        names = artifact_classes(n, rng)
        v1 = [(name, "1.0") for name in names]
        if n % SHADE_EVERY == SHADE_EVERY - 1 and previous:
            take = min(len(previous), rng.randint(SHADE_MIN, SHADE_MAX))
            for name in rng.sample(previous, take):
                differs = rng.randrange(100) < SHADE_DIFFERING_PERCENT
                v1.append((name, "shaded" if differs else "1.0"))
        multi = n % MULTI_RELEASE_EVERY == MULTI_RELEASE_EVERY - 1
        if multi:
            for name in names[:MULTI_RELEASE_OVERLAYS]:
                v1.append(("META-INF/versions/11/" + name, "11"))
        path = os.path.join(jars, "%s-1.0.jar" % artifact)
        write_jar(path, group, artifact, "1.0", v1, multi_release=multi)
        written += 1
        entries += len(v1)
        if n < COPIES:
            shutil.copyfile(path, os.path.join(jars, "%s-copy.jar" % artifact))
            written += 1
            entries += len(v1)
        if n % VERSIONED_EVERY == 0:
            v2 = []
            for name in names:
                changed = rng.randrange(100) < V2_CHANGED_PERCENT
                v2.append((name, "2.0" if changed else "1.0"))
            extra = len(names) * V2_ADDED_PERCENT // 100
            for k in range(extra):
                v2.append(("com/bench%d/added/Added%d" % (n, k), "2.0"))
            write_jar(os.path.join(jars, "%s-2.0.jar" % artifact), group, artifact, "2.0", v2)
            written += 1
            entries += len(v2)
        previous = names
    return written, entries


def main():
    if len(sys.argv) != 2:
        print("usage: gen_jars.py OUTDIR", file=sys.stderr)
        return 2
    out = sys.argv[1]
    jars = os.path.join(out, "jars")
    stamp = os.path.join(out, "stamp")
    try:
        with open(stamp) as f:
            if f.read().strip() == STAMP and os.path.isdir(jars):
                return 0
    except OSError:
        pass
    start = time.monotonic()
    shutil.rmtree(jars, ignore_errors=True)
    os.makedirs(jars)
    if os.path.exists(stamp):
        os.remove(stamp)
    written, entries = generate(jars)
    with open(stamp, "w") as f:
        f.write(STAMP + "\n")
    print("gen_jars: wrote %d jars, %d class entries into %s in %.1f s"
          % (written, entries, jars, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
