#!/usr/bin/env python3
"""Cluster level: several zorgd instances on one private PostgreSQL.

    python3 tests/cluster/run.py --build build [-k SUBSTRING] [-v]

The harness starts its own PostgreSQL (tests/tools/pg_fixture.py) in a temporary directory
and stops it at the end. Each test gets a fresh database. "Instances" are separate
processes, each with its own connection pool, LISTEN connection and feed: zorgd itself,
or build/bin/storecheck, which drives the same store code from the command line.
The last line printed is exactly 'N passed, N failed'.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
sys.path.insert(0, os.path.join(REPO, "tests", "api"))

from pg_fixture import Postgres  # noqa: E402
from zorgd_fixture import Zorgd, wait_until  # noqa: E402


class Ctx:
    def __init__(self, pg, build):
        self.pg = pg
        self.build = build
        self.storecheck = os.path.join(build, "bin", "storecheck")
        self.url = None

    def fresh(self):
        self.url = self.pg.create_database()
        return self.url

    def sc(self, *args, **kw):
        return subprocess.Popen([self.storecheck, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, **kw)

    def q(self, sql, *args):
        return self.pg.query(self.url, sql, *args)


def test_migrations_once_when_instances_start_together(ctx):
    url = ctx.fresh()
    procs = [ctx.sc("open", url) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, f"storecheck open exited {p.returncode}: {err}"
    versions = [r[0] for r in ctx.q("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, len(versions) + 1)) and len(versions) >= 5, versions
    assert ctx.q("SELECT count(*) FROM roles")[0][0] == 5, "seed rows applied more than once"


def test_feed_order_with_writers_on_two_instances(ctx):
    """Two instances write concurrently (commits interleave; every third write lingers
    between taking its revision and committing); a follower reads the feed the way
    /changes does (rows above its last revision, up to the snapshot's revision). At the end
    the follower must have every row the database holds: nothing below a revision it had
    already passed may have committed later."""
    url = ctx.fresh()
    n = 300
    follower = ctx.sc("follow", url, str(2 * n), "90")
    writers = [ctx.sc("write", url, str(n), tag) for tag in ("a", "b")]
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, f"writer exited {w.returncode}: {out}{err}"
    out, err = follower.communicate(timeout=120)
    assert follower.returncode == 0, f"follower exited {follower.returncode}: {err}"
    seen = out.split()
    in_db = {r[0] for r in ctx.q("SELECT name FROM locations WHERE name LIKE 'a-%'"
                                 " OR name LIKE 'b-%'")}
    assert len(in_db) == 2 * n, f"{len(in_db)} rows in the database, expected {2 * n}"
    assert len(seen) == len(set(seen)), "the follower saw a row twice"
    missing = in_db - set(seen)
    assert not missing, f"the follower never saw {len(missing)} rows, e.g. {sorted(missing)[:5]}"
    revs = [r[0] for r in ctx.q("SELECT rev FROM locations WHERE name LIKE 'a-%'"
                                " OR name LIKE 'b-%' ORDER BY rev")]
    assert len(set(revs)) == len(revs), "two writes got the same revision"


def test_change_on_one_instance_wakes_waiter_on_another(ctx):
    url = ctx.fresh()
    ctx.sc("open", url).communicate(timeout=60)
    waiter = ctx.sc("wait", url, "10")
    line = waiter.stdout.readline()
    assert line.startswith("ready"), f"waiter said {line!r}: {waiter.stderr.read()}"
    w = ctx.sc("write", url, "1", "wake")
    w.communicate(timeout=60)
    out, _ = waiter.communicate(timeout=30)
    assert out.startswith("woken"), f"the waiter was not woken: {out!r}"
    ms = float(out.split()[1])
    # The writer's own start-up (connect, open the pool) is inside this interval too.
    assert ms < 1000, f"woken after {ms:.0f} ms; must be under a second"


def test_stopping_a_writer_loses_no_committed_write(ctx):
    """An instance killed mid-run: every write it reported committed is in the database
    and the other instance goes on writing."""
    url = ctx.fresh()
    ctx.sc("open", url).communicate(timeout=60)
    victim = ctx.sc("write", url, "100000", "k")
    other = ctx.sc("write", url, "200", "o")
    wait_until(lambda: ctx.q("SELECT count(*) FROM locations WHERE name LIKE 'k-%'")[0][0] > 50,
               30, what="the first instance to have written")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0 and out.strip() == "200 written", f"{out}{err}"
    names = {r[0] for r in ctx.q("SELECT name FROM locations WHERE name LIKE 'k-%'")}
    # Writes are numbered in order; the committed ones form an unbroken prefix.
    idx = sorted(int(x.split("-")[1]) for x in names)
    assert idx == list(range(len(idx))), "a committed write went missing"
    assert ctx.q("SELECT count(*) FROM locations WHERE name LIKE 'o-%'")[0][0] == 200


def test_import_keeps_every_row_and_refuses_a_full_target(ctx):
    url = ctx.fresh()
    z = Zorgd(REPO, ctx.build)
    try:
        z.create_demo(clients=200, seed=11)
        r = subprocess.run([z.binary, "--db", url, "--import", "sqlite:" + z.db_path],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"import exited {r.returncode}: {r.stderr[-600:]}"
        src = z.db()
        tables = [t for (t,) in src.execute("SELECT name FROM sqlite_master WHERE type ="
                                            " 'table' AND name NOT LIKE 'sqlite_%'")]
        for t in tables:
            a = src.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            b = ctx.q(f'SELECT count(*) FROM "{t}"')[0][0]
            assert a == b, f"{t}: {a} rows in SQLite, {b} in PostgreSQL"
        a = src.execute("SELECT id, rev, name, search_name FROM clients ORDER BY id").fetchall()
        b = ctx.q("SELECT id, rev, name, search_name FROM clients ORDER BY id")
        assert [tuple(x) for x in a] == [tuple(x) for x in b], "clients differ after import"
        assert src.execute("SELECT value FROM revision").fetchone()[0] == \
            ctx.q("SELECT value FROM revision")[0][0], "the revision counter was not kept"
        src.close()
        # New rows get ids after the copied ones.
        nxt = ctx.q("SELECT nextval(pg_get_serial_sequence('clients', 'id'))")[0][0]
        assert nxt > max(x[0] for x in b), "the identity would reuse an imported id"
        r = subprocess.run([z.binary, "--db", url, "--import", "sqlite:" + z.db_path],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode != 0 and "not empty" in r.stderr, \
            f"a second import was not refused: {r.returncode} {r.stderr[-300:]}"
    finally:
        z.cleanup()


TESTS = [(n, f) for n, f in list(globals().items()) if n.startswith("test_") and callable(f)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("-k", dest="pattern", default=None)
    ap.add_argument("-v", dest="verbose", action="store_true")
    args = ap.parse_args()
    os.chdir(REPO)
    build = args.build if os.path.isabs(args.build) else os.path.join(REPO, args.build)
    passed = failed = 0
    pg = Postgres()
    try:
        why = pg.available()
        if why or not os.access(os.path.join(build, "bin", "storecheck"), os.X_OK):
            print(f"FAIL setup: {why or 'build/bin/storecheck missing (make all)'}")
            print("0 passed, 1 failed")
            return 1
        try:
            pg.start()
        except Exception as e:
            print(f"FAIL setup: {e}")
            print("0 passed, 1 failed")
            return 1
        ctx = Ctx(pg, build)
        for name, fn in TESTS:
            if args.pattern and args.pattern not in name:
                continue
            t0 = time.monotonic()
            try:
                fn(ctx)
                passed += 1
                took = f" ({time.monotonic() - t0:.2f} s)" if args.verbose else ""
                print(f"ok   {name}{took}", flush=True)
            except Exception as e:
                failed += 1
                tb = traceback.format_exc(limit=-2) if not isinstance(e, AssertionError) else ""
                print(f"FAIL {name}: {e}\n{tb}", flush=True)
    finally:
        pg.cleanup()
        print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
