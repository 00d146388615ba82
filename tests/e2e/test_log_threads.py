"""A large plain log is read by two threads (wrench/logread.c, read_in_halves): the report
must be exactly the one a single thread gives, whatever straddles the middle."""
import json
import random

from helpers import run

RECORDS = [
    b"2026-11-27 02:%02d:%02d,123 INFO  [http-nio-8080-exec-%d] c.a.web.Shop - served /cart\n",
    b"2026-11-27 02:%02d:%02d,456 ERROR [main] c.a.App - boom\n"
    b"java.lang.IllegalStateException: pool exhausted after 30000 ms\n"
    b"\tat com.acme.db.Pool.get(Pool.java:%d)\n\tat com.acme.web.Shop.cart(Shop.java:77)\n"
    b"Caused by: java.net.ConnectException: Connection refused\n\t... 12 more\n",
    b"2026-11-27 02:%02d:%02d,789 ERROR [main] o.a.c.c.StandardContext - error\n"
    b"java.lang.OutOfMemoryError: Java heap space\n\tat com.acme.Big.alloc(Big.java:%d)\n",
    b"SLF4J: Class path contains multiple SLF4J bindings.\n"
    b"SLF4J: Found binding in [jar:file:/app/lib/a-%d.jar!/org/slf4j/impl/StaticLoggerBinder.class]\n",
]


def _log(path, megabytes=80):
    rng = random.Random(42)
    with open(path, "wb") as f:
        written = 0
        while written < megabytes << 20:
            kind = rng.choices(range(len(RECORDS)), weights=[200, 3, 1, 1])[0]
            rec = RECORDS[kind]
            n = rec.count(b"%")
            args = [rng.randrange(60), rng.randrange(60), rng.randrange(1, 200)][: n]
            if kind == 3:
                args = [rng.randrange(5)]
            data = rec % tuple(args)
            f.write(data)
            written += len(data)
    return path


def _scan(log, threads, *extra):
    env = {} if threads is None else {"WRENCH_LOG_THREADS": threads}
    p = run(["scan", "--logs", log, "--no-db", "--json", *extra], env=env, timeout=300)
    assert p.returncode == 1, p.err
    report = json.loads(p.out)
    report.pop("scan")  # times differ
    report.pop("environment")  # the container's live numbers (memory used) differ
    report["summary"].pop("verdict")
    return report


def test_two_threads_report_what_one_thread_reports(tmp_path):
    log = _log(tmp_path / "big.log")
    one = _scan(log, "1")
    two = _scan(log, None)
    assert two == one
    f = one["logs"]["files"][0]
    assert f["lines"] > 1_000_000 and f["complete"] is True
    # every event is counted once: the grouped counts add up the same way
    assert sum(x["count"] for x in two["logs"]["findings"]) == \
        sum(x["count"] for x in one["logs"]["findings"])
    # with --since the boundary state (the last dated event) carries the same way
    assert _scan(log, None, "--since", "2026-11-27 02:30") == \
        _scan(log, "1", "--since", "2026-11-27 02:30")


DUP = (b"2026-11-28 03:%02d:%02d,%03d ERROR [main] c.a.Boot - start failed\n"
       b"java.lang.NoSuchMethodError: 'void com.acme.Util.pad(int)'\n"
       b"\tat com.acme.Boot.main(Boot.java:9)\n")


def test_a_record_in_two_files_counts_once_when_halves_are_threads(tmp_path):
    """catalina.<date>.log holds 40 records that catalina.out (large, read by two
    threads) holds too, most of them in its second half: each counts once, whichever
    thread read it."""
    records = [DUP % (i // 60, i % 60, i) for i in range(40)]
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "catalina.2026-11-28.log").write_bytes(b"".join(records))
    big = _log(logs / "catalina.out")
    with open(big, "ab") as f:  # the second half (and the end) of the large file
        f.write(b"".join(records[5:]))
    with open(big, "r+b") as f:  # and the first five at its start
        data = f.read()
        f.seek(0)
        f.write(b"".join(records[:5]) + data)
    for threads in ("1", None):
        report = _scan(logs, threads)
        found = [x for x in report["logs"]["findings"]
                 if x["rule"] == "classloading.no-such-method"]
        assert len(found) == 1, found
        assert found[0]["count"] == 40
