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

import harness  # noqa: E402
import threading  # noqa: E402
from harness import new_key  # noqa: E402
from pg_fixture import HAProxy, PgConnection, Postgres  # noqa: E402
from zorgd_fixture import Zorgd, wait_until  # noqa: E402


class Cluster:
    """Two zorgd on one PostgreSQL database (the demo organisation, imported), HAProxy in
    TCP mode in front. a, b: harness contexts straight to each instance; lb: through the
    balancer. Started once for the API tests below."""

    def __init__(self, pg, build):
        self.pg = pg
        self.url = pg.create_database()
        self.z = [Zorgd(REPO, build), Zorgd(REPO, build)]
        self.z[0].create_demo(clients=200, seed=5)
        self.z[0].import_into(self.url)
        # HAProxy connects from 127.0.0.9 and sends PROXY v2 headers; zorgd trusts those
        # from that address only. The tests' own connections come from 127.0.0.1.
        self.zargs = ["--proxy-from", "127.0.0.9"]
        for z in self.z:
            z.caren_key = self.z[0].db_path + ".caren-key"
            z.db_target = self.url
            z.db_factory = lambda: PgConnection(pg, self.url)
            z.start(self.zargs)
        self.hp = HAProxy([z.port for z in self.z], send_proxy=True, source="127.0.0.9").start()
        tls = self.z[0].ssl_context()
        self.ctx = [harness.Ctx(z, c, c, False) for z, c in
                    ((z, harness.Client("127.0.0.1", z.port, tls, timeout=30)) for z in self.z)]
        lbc = harness.Client("127.0.0.1", self.hp.port, tls, timeout=30)
        self.lb = harness.Ctx(self.z[0], lbc, lbc, False)
        self.a, self.b = self.ctx

    def restart(self, i):
        """Start instance i again on a new port and point the balancer at both."""
        self.z[i].start(self.zargs)
        self.hp.stop()
        self.hp.backends = [z.port for z in self.z]
        self.hp.start()
        tls = self.z[0].ssl_context()
        lbc = harness.Client("127.0.0.1", self.hp.port, tls, timeout=30)
        self.lb = harness.Ctx(self.z[0], lbc, lbc, False)
        c = harness.Client("127.0.0.1", self.z[i].port, tls, timeout=30)
        self.ctx[i] = harness.Ctx(self.z[i], c, c, False)
        self.a, self.b = self.ctx

    def close(self):
        """Stop everything; returns sanitizer reports found in the zorgd logs."""
        self.hp.cleanup()
        found = []
        for z in self.z:
            z.stop()
            log = z.log_tail(400)
            found += [m for m in ("AddressSanitizer", "LeakSanitizer", "runtime error:")
                      if m in log]
            z.cleanup()
        return found


class Ctx:
    def __init__(self, pg, build):
        self.pg = pg
        self.build = build
        self._cluster = None
        self.storecheck = os.path.join(build, "bin", "storecheck")
        self.url = None

    def fresh(self):
        self.url = self.pg.create_database()
        return self.url

    def cluster(self):
        if self._cluster is None:
            self._cluster = Cluster(self.pg, self.build)
        return self._cluster

    def close(self):
        """Stop the cluster; returns sanitizer reports from its zorgd logs."""
        if self._cluster is not None:
            return self._cluster.close()
        return []

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


def test_import_serves_the_same_feed(ctx):
    """A demo organisation served from SQLite and, after --import, from PostgreSQL: the
    whole feed (every page from since=0) is the same for every demo user."""
    url = ctx.fresh()
    lite = Zorgd(REPO, ctx.build)
    pgz = Zorgd(REPO, ctx.build)
    try:
        lite.create_demo(clients=300, seed=13)
        pgz.db_path = lite.db_path  # the Caren key file beside it is shared
        pgz.import_into(url)
        lite.start()
        pgz.start()
        feeds = []
        for z in (lite, pgz):
            cl = harness.Client("127.0.0.1", z.port, z.ssl_context(), timeout=30)
            zc = harness.Ctx(z, cl, cl, False)
            per_user = {}
            for user in ("administrator", "coordinator", "zorgverlener", "support"):
                items, since = [], 0
                for _ in range(200):
                    page = zc.get_ok(user, f"/api/v1/changes?since={since}&limit=97")
                    items += page["changes"]
                    if not page["changes"]:
                        break
                    since = page["next"]
                per_user[user] = (items, since)
            feeds.append(per_user)
        for user in feeds[0]:
            a, b = feeds[0][user], feeds[1][user]
            assert len(a[0]) > 0, f"{user}: empty feed"
            assert a == b, (f"{user}: the feed differs after the import "
                            f"({len(a[0])} vs {len(b[0])} items, next {a[1]} vs {b[1]})")
    finally:
        lite.cleanup()
        pgz.stop()
        pgz.db_path = os.path.join(pgz.tmp, "z.db")
        pgz.cleanup()


# ---- the API through two instances and a balancer ------------------------------------

def _client_of(c, user, k=0):
    return c.lb.visible_clients(user)[k]


def test_api_session_from_balancer_works_on_both_instances(ctx):
    c = ctx.cluster()
    r = c.lb.login("coordinator")
    assert r.status == 201, f"login through the balancer: {r}"
    tok = r.json["token"]
    for name, inst in (("a", c.a), ("b", c.b)):
        me = inst.api.request("GET", "/api/v1/me", token=tok)
        assert me.status == 200, f"the session from the balancer on instance {name}: {me}"
    assert c.b.api.request("DELETE", "/api/v1/session", token=tok).status == 204
    me = c.a.api.request("GET", "/api/v1/me", token=tok)
    assert me.status == 401, f"logged out on b, still valid on a: {me.status}"


def test_api_roles_changed_elsewhere_take_effect_on_both_instances_at_once(ctx):
    """Each instance caches a staff member's tasks under the authorisation epoch (moved on
    by triggers, auth_tasks.c): roles taken away by SQL in the shared database stop working
    with the next request on both instances, and given back work again."""
    c = ctx.cluster()
    user = "zorgverlener"
    tok = c.lb.token(user)
    sid = c.a.staff_id(user)
    path = f"/api/v1/clients/{_client_of(c, user)}"
    for name, inst in (("a", c.a), ("b", c.b)):
        for _ in range(2):  # the second answer comes from the instance's cache
            r = inst.api.request("GET", path, token=tok)
            assert r.status == 200, f"instance {name} before the change: {r.status}"
    roles = c.a.rows("SELECT role_id FROM staff_roles WHERE staff_id = ?", sid)
    assert roles, f"{user} has no roles"
    c.a.db.execute("DELETE FROM staff_roles WHERE staff_id = ?", (sid,))
    try:
        for name, inst in (("a", c.a), ("b", c.b)):
            r = inst.api.request("GET", path, token=tok)
            assert r.status == 403, f"instance {name} right after the roles went: {r.status}"
    finally:
        for (role,) in roles:
            c.a.db.execute("INSERT INTO staff_roles (staff_id, role_id) VALUES (?, ?)",
                           (sid, role))
    for name, inst in (("a", c.a), ("b", c.b)):
        r = inst.api.request("GET", path, token=tok)
        assert r.status == 200, f"instance {name} after the roles came back: {r.status}"


def test_api_cached_feed_item_gives_way_to_a_new_revision_on_both_instances(ctx):
    """Each instance keeps feed items per (type, id, revision): a client served (and cached)
    by both instances, then changed in the shared database with a new revision, comes with
    its new data from both."""
    c = ctx.cluster()
    user = "administrator"
    cid = _client_of(c, user, 2)
    old_name, old_rev = c.a.rows("SELECT name, rev FROM clients WHERE id = ?", cid)[0]

    def item(inst):
        page = inst.get_ok(user, f"/api/v1/changes?since={old_rev - 1}&limit=5000")
        return next((x for x in page["changes"] if x["type"] == "client" and x["id"] == cid),
                    None)

    def rename(name):
        db = c.a.db
        db.execute("BEGIN")
        db.execute("UPDATE revision SET value = value + 1 WHERE id = 1")
        rev = db.execute("SELECT value FROM revision WHERE id = 1").fetchone()[0]
        db.execute("UPDATE clients SET name = ?, search_name = ?, rev = ? WHERE id = ?",
                   (name, harness.fold(name), rev, cid))
        db.execute("COMMIT")
        return rev

    for inst in (c.a, c.b, c.a, c.b):  # the second round comes from each cache
        x = item(inst)
        assert x and x["rev"] == old_rev and x["data"]["name"] == old_name, x
    new_rev = rename("Cluster Cachetest")
    try:
        for name, inst in (("a", c.a), ("b", c.b)):
            x = item(inst)
            assert x and x["rev"] == new_rev and x["data"]["name"] == "Cluster Cachetest", \
                f"instance {name} after the change: {x}"
    finally:
        rename(old_name)


def test_api_real_client_address_behind_the_balancer(ctx):
    """A client at 127.0.0.2 logs in through HAProxy (which connects from 127.0.0.9 with a
    PROXY v2 header): zorgd records 127.0.0.2, not the balancer, in the session and audit.
    A direct connection from an untrusted address that sends a PROXY header is refused."""
    import http.client
    import json as _json
    import socket
    c = ctx.cluster()
    conn = http.client.HTTPSConnection("127.0.0.1", c.hp.port, context=c.z[0].ssl_context(),
                                       timeout=30, source_address=("127.0.0.2", 0))
    conn.request("POST", "/api/v1/session", body=_json.dumps(
        {"username": "support", "password": harness.PASSWORD}),
        headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    assert r.status == 201, f"login from 127.0.0.2 through the balancer: {r.status} {body[:200]}"
    sid = c.a.staff_id("support")
    addrs = {x[0] for x in c.a.rows("SELECT remote_addr FROM sessions WHERE staff_id = ?", sid)}
    assert "127.0.0.2" in addrs, f"session addresses {addrs}: the real client is missing"
    assert "127.0.0.9" not in addrs, "the balancer's address was recorded as the client"
    # A forged header from a peer that is not the balancer reaches TLS as garbage.
    s = socket.create_connection(("127.0.0.1", c.z[0].port), timeout=5)
    s.sendall(b"PROXY TCP4 10.9.8.7 127.0.0.1 1111 443\r\n")
    try:
        s.recv(100)
    except OSError:
        pass
    s.close()
    assert not c.a.rows("SELECT 1 FROM audit WHERE remote_addr = '10.9.8.7'"), \
        "a forged PROXY header from an untrusted peer was believed"


def test_api_same_idempotency_key_on_both_instances_at_once(ctx):
    c = ctx.cluster()
    user = "coordinator"
    cid = _client_of(c, user, 3)
    body = c.a.order_body(user, cid)
    for round_ in range(5):
        key = new_key()
        before = c.a.order_rows()
        gate = threading.Barrier(2)
        out = [None, None]

        def send(i):
            gate.wait()
            out[i] = c.ctx[i].place_order(user, cid, body, key=key)

        ts = [threading.Thread(target=send, args=(i,)) for i in (0, 1)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(60)
        made = c.a.order_rows() - before
        assert made == 1, f"round {round_}: {made} orders for one key ({out[0]}, {out[1]})"
        ok = [r for r in out if r.status == 201]
        assert ok, f"round {round_}: neither instance placed the order: {out}"
        assert all(r.json["id"] == ok[0].json["id"] for r in ok), \
            f"round {round_}: two orders answered for one key"
        for r in out:
            assert r.status in (201, 409), f"round {round_}: {r}"


def test_api_login_throttling_counts_across_instances(ctx):
    c = ctx.cluster()
    user = "nobody-cluster"
    for i in range(5):
        r = c.ctx[i % 2].login(user, f"guess-{i}")
        assert r.status == 401, f"failure {i}: {r.status}"
    for name, inst in (("a", c.a), ("b", c.b)):
        r = inst.login(user, "guess-again")
        assert r.status == 429, f"instance {name} after five failures on both: {r.status}"


def test_api_change_on_a_wakes_long_poll_on_b(ctx):
    c = ctx.cluster()
    tok_b = c.b.token("coordinator")
    rev = c.b.get_ok("coordinator", "/api/v1/changes?since=0&limit=1")["next"]
    rev = max(rev, c.a.revision())
    sent = threading.Event()
    res = {}

    def poll():
        r = c.b.direct.request("GET", f"/api/v1/changes?since={rev}&wait=20", token=tok_b,
                               on_sent=sent.set, timeout=60)
        res["at"] = time.monotonic()
        res["r"] = r

    t = threading.Thread(target=poll)
    t.start()
    sent.wait(10)
    time.sleep(0.3)  # let the long-poll reach its wait (not a synchronisation of the result)
    cid = _client_of(c, "coordinator", 5)
    r = c.a.place_order("coordinator", cid)
    done = time.monotonic()
    assert r.status == 201, f"order on a: {r}"
    t.join(30)
    assert "r" in res, "the long-poll on b never returned"
    took = res["at"] - done
    items = res["r"].json["changes"]
    assert any(i["type"] == "hct_order" and i["id"] == r.json["id"] for i in items), \
        f"b's long-poll returned without the order: {items[:3]}"
    assert took < 1.0, f"b's long-poll returned {took:.2f} s after the change on a"


def test_api_many_long_polls_do_not_starve_other_requests(ctx):
    """28 terminals long-polling one instance (more than its 24 pooled PostgreSQL
    connections): other requests on that instance are still answered at once."""
    c = ctx.cluster()
    tok = c.a.token("support")
    rev = c.a.get_ok("support", "/api/v1/changes?since=0&limit=1")["next"]
    rev = max(rev, c.a.revision())
    sent = [threading.Event() for _ in range(28)]

    def poll(i):
        cl = harness.Client("127.0.0.1", c.z[0].port, c.z[0].ssl_context(), timeout=60)
        try:
            cl.request("GET", f"/api/v1/changes?since={rev}&wait=8", token=tok,
                       on_sent=sent[i].set, timeout=60)
        except Exception:
            pass
        finally:
            sent[i].set()

    ts = [threading.Thread(target=poll, args=(i,), daemon=True) for i in range(28)]
    for t in ts:
        t.start()
    for e in sent:
        e.wait(20)
    time.sleep(0.5)  # let the long-polls reach their wait (not a synchronisation of the result)
    t0 = time.monotonic()
    r = c.a.get("support", "/api/v1/me", timeout=10)
    took = time.monotonic() - t0
    assert r.status == 200, f"GET /me beside 28 long-polls: {r}"
    assert took < 2.0, f"GET /me took {took:.2f} s beside 28 long-polls"
    for t in ts:
        t.join(30)


def test_api_feed_complete_with_writers_on_both_instances(ctx):
    """Orders placed concurrently through a and b; a follower of /changes through the
    balancer; at the end the follower has every order the database holds."""
    c = ctx.cluster()
    user = "coordinator"
    cids = c.lb.visible_clients(user)[10:16]
    start = c.a.revision()
    stop = threading.Event()
    seen = set()

    def follow():
        since = start
        tok = c.lb.token(user)
        while True:
            r = c.lb.api.request("GET", f"/api/v1/changes?since={since}&limit=100&wait=1",
                                 token=tok, timeout=30)
            assert r.status == 200, r
            page = r.json
            seen.update(i["id"] for i in page["changes"] if i["type"] == "hct_order")
            since = page["next"]
            if stop.is_set() and not page["changes"]:
                return

    errors = []

    def write(inst, k):
        for j in range(15):
            r = inst.place_order(user, cids[(k + j) % len(cids)])
            if r.status != 201:
                errors.append(r)

    f = threading.Thread(target=follow)
    f.start()
    ws = [threading.Thread(target=write, args=(c.ctx[i % 2], i)) for i in range(4)]
    for w in ws:
        w.start()
    for w in ws:
        w.join(120)
    stop.set()
    f.join(60)
    assert not errors, f"writes failed: {errors[:3]}"
    ids = {r[0] for r in c.a.rows("SELECT id FROM hct_orders WHERE rev > ?", start)}
    assert len(ids) >= 60, f"only {len(ids)} orders in the database"
    missing = ids - seen
    assert not missing, f"the follower missed {len(missing)} orders: {sorted(missing)[:5]}"


def test_api_instances_survive_a_postgresql_restart(ctx):
    """PostgreSQL restarts under two running instances: their pooled connections reconnect
    on next use (requests succeed), and the listeners reconnect, so a change through a
    wakes a long-poll on b within a second again."""
    c = ctx.cluster()
    for inst in (c.a, c.b):
        assert inst.get("support", "/api/v1/me").status == 200
    port = ctx.pg.port
    ctx.pg.stop()
    ctx.pg.start(port=port)
    for name, inst in (("a", c.a), ("b", c.b)):
        r = inst.get("support", "/api/v1/me")
        assert r.status == 200, f"instance {name} after the restart: {r}"

    def listeners():
        return ctx.pg.query(c.url, "SELECT count(*) FROM pg_stat_activity"
                                   " WHERE application_name = 'zorgd listener'")[0][0] == 2

    wait_until(listeners, 15, what="both instances' listeners to reconnect")
    test_api_change_on_a_wakes_long_poll_on_b(ctx)


def test_api_stopping_an_instance_loses_no_accepted_write(ctx):
    """Orders through the balancer while instance a stops: every order that was answered
    201 is in the database, and the balancer keeps serving through b (a client retries a
    request that was cut off, with the same Idempotency-Key, as zorgterm does)."""
    c = ctx.cluster()
    user = "coordinator"
    cid = _client_of(c, user, 20)
    body = c.lb.order_body(user, cid)
    accepted = {}

    def place(n):
        key = new_key()
        for attempt in range(20):
            try:
                r = c.lb.place_order(user, cid, body, key=key)
                if r.status == 201:
                    accepted[key] = r.json["id"]
                    return
                if r.status < 500:
                    raise AssertionError(f"order {n}: {r}")
            except (ConnectionError, OSError):
                pass
            time.sleep(0.1)  # a client's back-off before retrying, not a synchronisation
        raise AssertionError(f"order {n} never accepted")

    errors = []

    def writer():
        try:
            for n in range(40):
                place(n)
        except Exception as e:  # reported below
            errors.append(e)

    w = threading.Thread(target=writer)
    w.start()
    wait_until(lambda: len(accepted) >= 10 or not w.is_alive(), 60, what="10 accepted orders")
    c.z[0].stop()  # while the writer goes on
    w.join(120)
    assert not errors, f"the writer failed: {errors[0]}"
    assert len(accepted) == 40
    ids = {r[0] for r in c.b.rows("SELECT id FROM hct_orders")}
    lost = set(accepted.values()) - ids
    assert not lost, f"accepted orders missing from the database: {sorted(lost)}"
    assert len(set(accepted.values())) == 40, "two keys answered with one order"
    r = c.lb.get("coordinator", "/api/v1/me")
    assert r.status == 200, f"the balancer after a stopped: {r}"
    c.restart(0)


def _tui_module():
    """tests/tui/run.py as a module (its Ctx starts zorgterm in a pty read by libvterm)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("tui_run", os.path.join(REPO, "tests", "tui",
                                                                          "run.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_tui_zorgterm_keeps_working_when_an_instance_stops(ctx):
    """The real zorgterm through the balancer: log in, open a card; stop instance a; the
    list stays, and opening another card (loaded from the server) works through b."""
    c = ctx.cluster()
    tui = _tui_module()
    t = tui.Ctx(ctx.build, c.z[0])
    try:
        vt, _ = t.term(server=f"https://127.0.0.1:{c.hp.port}")
        t.login(vt)
        vt.keys("<enter>")
        vt.wait("Personalia", t.t(10))
        vt.wait("Adressen", t.t(10))
        vt.keys("q")
        vt.wait("Cliëntnr", t.t(5))
        c.z[0].stop()
        vt.keys("<down><down><enter>")
        vt.wait("Personalia", t.t(10))
        vt.wait("Adressen", t.t(20))
        vt.wait("online", t.t(20))
        vt.keys("q")
        vt.wait("Cliëntnr", t.t(5))
    finally:
        found = t.close_all()
        c.restart(0)
    assert not found, f"sanitizer report from zorgterm: {found[0][:500]}"


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
    ctx = None
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
        if ctx is not None:
            found = ctx.close()
            if found:
                failed += 1
                print(f"FAIL zorgd_sanitizer_reports: {', '.join(found)}")
        pg.cleanup()
        print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
