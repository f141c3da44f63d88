#!/usr/bin/env python3
"""Many long-polls held at once, for bench/server.sh (issue 11).

Opens POLLS keep-alive HTTPS connections to zorgd, spread over the loopback source addresses
127.0.0.2 ... (so zorgd's per-address connection limit stays as configured), and keeps a
long-poll (GET /api/v1/changes?since=REV&wait=WAIT) open on each for SECONDS, polling again
after every answer. Meanwhile a writer changes a device type every WRITE_EVERY seconds (a
change every staff member sees, so every poller is woken: the worst case), and a prober asks
GET /api/v1/me every 50 ms on its own connection, from a process of its own. zorgd's threads and RSS are read from
/proc/PID/status once a second.

Prints one line: polls_open errors me_p99_ms me_median_ms me_count threads_max rss_max_kib
hwm_kib answers writes. Exits non-zero when it cannot open the polls at all.
"""
import argparse
import asyncio
import concurrent.futures
import http.client
import json
import ssl
import statistics
import sys
import time


class Conn:
    """One keep-alive HTTP/1.1 connection over TLS."""

    def __init__(self, reader, writer):
        self.r, self.w = reader, writer

    @classmethod
    async def open(cls, a, ctx, source):
        r, w = await asyncio.open_connection(a.host, a.port, ssl=ctx,
                                             local_addr=(source, 0) if source else None)
        return cls(r, w)

    async def request(self, a, method, path, body=None):
        head = [f"{method} {path} HTTP/1.1", f"Host: {a.host}:{a.port}",
                f"Authorization: Bearer {a.token}", "Accept: application/json"]
        data = b""
        if body is not None:
            data = json.dumps(body).encode()
            head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        self.w.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await self.w.drain()
        status_line = await self.r.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.r.readline()
            if line in (b"\r\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            if k.strip().lower() == "content-length":
                length = int(v.strip())
        payload = await self.r.readexactly(length) if length else b""
        return status, payload

    def close(self):
        self.w.close()


def probe_me(host, port, cacert, token, seconds):
    """In a process of its own: GET /api/v1/me every 50 ms for seconds on one keep-alive
    connection. Returns (latencies in ms, error kinds)."""
    ctx = ssl.create_default_context(cafile=cacert)
    lat, errors, c = [], [], None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            if c is None:
                c = http.client.HTTPSConnection(host, port, context=ctx, timeout=60)
            c.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            r = c.getresponse()
            r.read()
            lat.append((time.monotonic() - t0) * 1000)
            if r.status != 200:
                errors.append(f"me status {r.status}")
        except Exception as e:  # noqa: BLE001 - every failure counts as an error
            errors.append(f"me: {type(e).__name__}")
            c = None
        time.sleep(0.05)
    return lat, errors


class Bench:
    def __init__(self, a):
        self.a = a
        self.ctx = ssl.create_default_context(cafile=a.cacert)
        self.errors = 0
        self.answers = 0
        self.writes = 0
        self.open = 0
        self.me = []
        self.threads_max = 0
        self.rss_max = 0
        self.stop_at = 0.0
        self.err_kinds = {}

    def error(self, what):
        self.errors += 1
        self.err_kinds[what] = self.err_kinds.get(what, 0) + 1

    async def poller(self, i, since, ready):
        source = f"127.0.0.{2 + i % self.a.sources}" if self.a.sources else None
        try:
            c = await Conn.open(self.a, self.ctx, source)
        except Exception as e:  # noqa: BLE001 - every failure counts as an error
            self.error(f"connect: {type(e).__name__}")
            ready.release()
            return
        self.open += 1
        ready.release()
        try:
            while time.monotonic() < self.stop_at:
                wait = max(1, min(self.a.wait, int(self.stop_at - time.monotonic())))
                status, payload = await c.request(
                    self.a, "GET", f"/api/v1/changes?since={since}&limit=100&wait={wait}")
                if status != 200:
                    self.error(f"status {status}")
                    await asyncio.sleep(1)
                    continue
                self.answers += 1
                since = json.loads(payload)["next"]
        except Exception as e:  # noqa: BLE001
            if time.monotonic() < self.stop_at:
                self.error(f"poll: {type(e).__name__}")
        finally:
            c.close()

    async def writer(self):
        # A connection per write: zorgd closes a kept-alive connection that stays idle for
        # longer than its header deadline, as it should.
        flip = False
        while time.monotonic() < self.stop_at:
            await asyncio.sleep(self.a.write_every)
            flip = not flip
            c = await Conn.open(self.a, self.ctx, None)
            try:
                status, _ = await c.request(
                    self.a, "PATCH", f"/api/v1/device-types/{self.a.device_type}",
                    {"in_use": True, "ordering": flip})
            finally:
                c.close()
            if status == 200:
                self.writes += 1
            else:
                self.error(f"write status {status}")

    async def prober(self):
        """GET /me every 50 ms from a process of its own: in this process the prober's
        answers would wait behind the event loop's handling of thousands of woken polls,
        and the p99 would measure this client, not zorgd (tried: 107-131 ms here against
        11-37 ms from a separate process in the same runs)."""
        loop = asyncio.get_running_loop()
        with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
            lat, errors = await loop.run_in_executor(
                pool, probe_me, self.a.host, self.a.port, self.a.cacert, self.a.token,
                self.stop_at - time.monotonic())
        self.me.extend(lat)
        for e in errors:
            self.error(e)

    def sample(self):
        with open(f"/proc/{self.a.pid}/status", encoding="ascii") as f:
            st = dict(line.split(":", 1) for line in f if ":" in line)
        self.threads_max = max(self.threads_max, int(st["Threads"]))
        self.rss_max = max(self.rss_max, int(st["VmRSS"].split()[0]))
        return int(st["VmHWM"].split()[0])

    async def sampler(self):
        while time.monotonic() < self.stop_at:
            self.sample()
            await asyncio.sleep(1)

    async def run(self):
        c = await Conn.open(self.a, self.ctx, None)
        status, payload = await c.request(self.a, "GET", "/api/v1/changes?since=0&limit=1")
        c.close()
        if status != 200:
            sys.exit(f"GET /api/v1/changes answered {status}")
        since = json.loads(payload)["revision"]
        # Open the polls in waves (the handshakes cost CPU on both sides), then hold them.
        self.stop_at = time.monotonic() + 3600
        ready = asyncio.Semaphore(self.a.opening)
        tasks = []
        t_open = time.monotonic()
        for i in range(self.a.polls):
            await ready.acquire()
            tasks.append(asyncio.create_task(self.poller(i, since, ready)))
        for _ in range(self.a.opening):
            await ready.acquire()
        print(f"bench/longpoll: {self.open} polls open after {time.monotonic() - t_open:.1f} s "
              f"({self.errors} errors)", file=sys.stderr)
        self.stop_at = time.monotonic() + self.a.seconds
        side = [asyncio.create_task(x) for x in (self.writer(), self.prober(), self.sampler())]
        await asyncio.gather(*side)
        await asyncio.gather(*tasks)
        hwm = self.sample()
        if self.err_kinds:
            print(f"bench/longpoll: errors: {self.err_kinds}", file=sys.stderr)
        me = sorted(self.me) or [0.0]
        p99 = me[min(len(me) - 1, int(len(me) * 0.99))]
        print(f"{self.open} {self.errors} {p99:.1f} {statistics.median(me):.1f} {len(self.me)} "
              f"{self.threads_max} {self.rss_max} {hwm} {self.answers} {self.writes}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cacert", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--pid", type=int, required=True, help="zorgd's pid, for /proc")
    ap.add_argument("--polls", type=int, default=5000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--wait", type=int, default=60, help="wait= of each long-poll")
    ap.add_argument("--write-every", type=float, default=5)
    ap.add_argument("--device-type", type=int, default=3, help="the demo's Medido")
    ap.add_argument("--sources", type=int, default=200,
                    help="spread over this many 127.0.0.x source addresses (0: one)")
    ap.add_argument("--opening", type=int, default=50, help="handshakes in flight at once")
    a = ap.parse_args()
    asyncio.run(Bench(a).run())


if __name__ == "__main__":
    main()
