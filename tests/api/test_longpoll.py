"""Long-polls as suspended connections (issue 11): a waiting GET /changes holds no thread; it
is answered promptly by a write, at its wait with an empty page, not by a write its caller
cannot see; many held at once leave zorgd's threads bounded and other requests quick; a
client that hangs up while waiting is let go."""

import asyncio
import json
import signal
import socket
import time

from harness import Client
from test_changes import _touch_client
from zorgd_fixture import Zorgd

# Polls held at once in the "many" test: spread over loopback source addresses so the
# per-address limit (32) is not what is tested.
MANY = 300
PER_ADDRESS = 25


def _proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {key} in /proc/{pid}/status")


def _server_conns(port, prefix):
    """zorgd's own ends (local port `port`) of TCP connections from peers whose address
    starts with prefix, still open on zorgd's side (established, or closed by the peer and
    not yet by zorgd)."""
    n = 0
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            local, remote, state = line.split()[1:4]
            ip = socket.inet_ntoa(bytes.fromhex(remote.split(":")[0])[::-1])
            if int(local.split(":")[1], 16) == port and ip.startswith(prefix) and \
                    state in ("01", "08"):
                n += 1
    return n


class Poll:
    """One keep-alive HTTPS connection with a raw HTTP/1.1 request on it."""

    def __init__(self, reader, writer):
        self.r, self.w = reader, writer

    @classmethod
    async def open(cls, ctx, source=None):
        z = ctx.zorgd
        r, w = await asyncio.open_connection("127.0.0.1", z.port, ssl=z.ssl_context(),
                                             local_addr=(source, 0) if source else None)
        return cls(r, w)

    async def send(self, path, token, method="GET", body=None):
        data = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {token}"]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        self.w.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await self.w.drain()

    async def answer(self):
        """(status, parsed JSON body) of the next response."""
        line = await self.r.readline()
        if not line:
            raise ConnectionError("closed by zorgd")
        status = int(line.split()[1])
        length = 0
        while True:
            h = await self.r.readline()
            if h in (b"\r\n", b""):
                break
            name, _, value = h.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        body = await self.r.readexactly(length)
        return status, json.loads(body) if body else None

    def close(self):
        self.w.close()


def _write_visible_to_all(ctx):
    """Flip a device type's ordering (every staff member sees device types); its revision."""
    dt = ctx.device_type_id("DOSELL-01")
    cur = ctx.get_ok("administrator", "/api/v1/device-types")["device_types"]
    ordering = next(d["ordering"] for d in cur if d["id"] == dt)
    r = ctx.staff_request("administrator", "PATCH", f"/api/v1/device-types/{dt}",
                          {"in_use": True, "ordering": not ordering})
    assert r.status == 200, r
    return ctx.revision()


async def _wait_for(cond, timeout, what):
    """Await until cond() is true (checked every 20 ms) or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)  # poll interval of a deadline loop


async def _held(ctx, prefix, n, timeout):
    """Wait until zorgd holds n connections from peers under prefix."""
    port = ctx.zorgd.port
    await _wait_for(lambda: _server_conns(port, prefix) >= n, timeout,
                    f"zorgd to hold {n} connections from {prefix}*")


def test_longpoll_answered_by_write(ctx):
    """A waiting poll is answered within a second or two of an API write it can see."""
    async def run():
        cur = ctx.revision()
        p = await Poll.open(ctx)
        try:
            await p.send(f"/api/v1/changes?since={cur}&wait=30", ctx.token("zorgverlener"))
            pending = asyncio.ensure_future(p.answer())
            done, _ = await asyncio.wait({pending}, timeout=0.3)
            assert not done, f"the poll answered before any write: {pending.result()}"
            rev = _write_visible_to_all(ctx)  # blocks the loop; the answers wait in the sockets
            t0 = time.monotonic()
            status, page = await asyncio.wait_for(pending, 10 * ctx.scale)
            took = time.monotonic() - t0
            assert status == 200, page
            assert any(c["type"] == "device_type" for c in page["changes"]), page
            assert page["next"] >= rev, page
            assert took < 2.0 * ctx.scale, f"answered {took:.2f} s after the write"
        finally:
            p.close()
    asyncio.run(run())


def test_longpoll_ends_empty_at_its_wait(ctx):
    """wait=2 with nothing to see: an empty page after about two seconds, on the same
    connection, which then serves the next request."""
    async def run():
        cur = ctx.revision()
        tok = ctx.token("support")
        p = await Poll.open(ctx)
        try:
            t0 = time.monotonic()
            await p.send(f"/api/v1/changes?since={cur}&wait=2", tok)
            status, page = await asyncio.wait_for(p.answer(), 10 * ctx.scale)
            took = time.monotonic() - t0
            assert status == 200 and page["changes"] == [] and page["next"] >= cur, page
            assert 1.9 <= took < 2.0 + 1.0 * ctx.scale, f"wait=2 took {took:.2f} s"
            await p.send("/api/v1/me", tok)
            status, me = await asyncio.wait_for(p.answer(), 10 * ctx.scale)
            assert status == 200 and me["username"] == "support", me
        finally:
            p.close()
    asyncio.run(run())


def test_longpoll_not_woken_by_out_of_scope_write(ctx):
    """A write to a client outside the poller's scope does not answer its poll: it keeps
    waiting and ends empty at its wait, its next past that write."""
    user = "zorgverlener"
    cid = ctx.out_of_scope_client(user)
    async def run():
        cur = ctx.revision()
        p = await Poll.open(ctx)
        try:
            t0 = time.monotonic()
            await p.send(f"/api/v1/changes?since={cur}&wait=4", ctx.token(user))
            rev = _touch_client(ctx, cid, "Buiten Bereik-Wachttest")
            status, page = await asyncio.wait_for(p.answer(), 15 * ctx.scale)
            took = time.monotonic() - t0
            assert status == 200, page
            assert page["changes"] == [], f"a write out of scope answered the poll: {page}"
            assert took >= 3.9, f"the poll ended after {took:.2f} s, before its wait"
            assert page["next"] >= rev, f"next {page['next']} is before the write {rev}"
        finally:
            p.close()
    asyncio.run(run())


def test_longpoll_many_held_cheaply(ctx):
    """300 polls held at once (several users): zorgd's threads stay bounded, GET /me stays
    quick, and one write visible to all answers every poll."""
    pid = ctx.zorgd.proc.pid
    users = ["administrator", "coordinator", "zorgverlener", "support"]
    toks = [ctx.token(u) for u in users]
    base_threads = _proc_status(pid, "Threads")

    async def run():
        cur = ctx.revision()
        polls = []
        try:
            for i in range(MANY):
                p = await Poll.open(ctx, f"127.0.0.{2 + i // PER_ADDRESS}")
                await p.send(f"/api/v1/changes?since={cur}&wait=60", toks[i % len(toks)])
                polls.append(p)
            await _held(ctx, "127.0.0.", MANY, 20 * ctx.scale)
            threads = _proc_status(pid, "Threads")
            assert threads <= base_threads + 4, \
                f"{threads} threads with {MANY} polls waiting (were {base_threads})"
            me = await Poll.open(ctx)
            worst = 0.0
            for _ in range(20):
                t0 = time.monotonic()
                await me.send("/api/v1/me", toks[0])
                status, _ = await asyncio.wait_for(me.answer(), 10 * ctx.scale)
                assert status == 200
                worst = max(worst, time.monotonic() - t0)
            me.close()
            assert worst < 0.5 * ctx.scale, f"GET /me took {worst:.2f} s with {MANY} polls"
            pending = [asyncio.ensure_future(p.answer()) for p in polls]
            rev = _write_visible_to_all(ctx)  # blocks the loop; the answers wait in the sockets
            done, _ = await asyncio.wait(pending, timeout=20 * ctx.scale)
            assert len(done) == MANY, f"{MANY - len(done)} of {MANY} polls not answered"
            for f in done:
                status, page = f.result()
                assert status == 200 and page["next"] >= rev, page
                assert any(c["type"] == "device_type" for c in page["changes"]), page
        finally:
            for p in polls:
                p.close()
    asyncio.run(run())


def test_longpoll_hang_up_lets_go(ctx):
    """Clients that close while their polls wait: zorgd lets their connections go within a
    few seconds (not at the end of their 60 s wait)."""
    tok = ctx.token("coordinator")
    n = 40
    async def run():
        cur = ctx.revision()
        polls = []
        for i in range(n):
            p = await Poll.open(ctx, f"127.0.1.{2 + i // PER_ADDRESS}")
            await p.send(f"/api/v1/changes?since={cur}&wait=60", tok)
            polls.append(p)
        await _held(ctx, "127.0.1.", n, 20 * ctx.scale)
        for p in polls:
            p.close()
        port = ctx.zorgd.port
        await _wait_for(lambda: _server_conns(port, "127.0.1.") == 0, 10 * ctx.scale,
                        "zorgd to close the hung-up polls' connections")
    asyncio.run(run())


def test_longpoll_sigterm_with_many_suspended(ctx):
    """SIGTERM while 60 polls wait: a zorgd of its own (SQLite) exits 0 within seconds,
    every poll gets its empty page or a closed connection (none is left hanging), and a
    sanitizer build reports nothing."""
    z = Zorgd(ctx.zorgd.repo, ctx.zorgd.build)
    n = 60
    try:
        z.create_demo(clients=5, seed=3)
        z.start()
        c = Client("127.0.0.1", z.port, z.ssl_context(), timeout=30 * ctx.scale)
        r = c.request("POST", "/api/v1/session",
                      json_body={"username": "administrator", "password": "demo"})
        assert r.status == 201, r
        tok = r.json["token"]
        cur = c.request("GET", "/api/v1/changes?since=0&limit=1", token=tok).json["revision"]

        class Ctx2:  # what Poll.open and _held read
            zorgd = z

        async def run():
            polls = []
            for i in range(n):
                p = await Poll.open(Ctx2, f"127.0.2.{2 + i // PER_ADDRESS}")
                await p.send(f"/api/v1/changes?since={cur}&wait=60", tok)
                polls.append(p)
            await _held(Ctx2, "127.0.2.", n, 20 * ctx.scale)
            pending = [asyncio.ensure_future(p.answer()) for p in polls]
            done, _ = await asyncio.wait(pending, timeout=0.5)
            assert not done, "polls answered before the stop"
            t0 = time.monotonic()
            z.proc.send_signal(signal.SIGTERM)
            done, _ = await asyncio.wait(pending, timeout=10 * ctx.scale)
            assert len(done) == n, f"{n - len(done)} polls neither answered nor closed"
            for f in done:
                if f.exception() is None:
                    status, page = f.result()
                    assert status == 200 and page["changes"] == [], page
            for p in polls:
                p.close()
            return time.monotonic() - t0
        took = asyncio.run(run())
        rc = z.proc.wait(timeout=15 * ctx.scale)
        log = z.log_tail(400)
        assert rc == 0, f"zorgd exited {rc} after SIGTERM"
        assert took < 5 * ctx.scale, f"the polls ended {took:.1f} s after SIGTERM"
        bad = [m for m in ("AddressSanitizer", "LeakSanitizer", "runtime error:") if m in log]
        assert not bad, f"sanitizer report: {bad}"
    finally:
        z.cleanup()
