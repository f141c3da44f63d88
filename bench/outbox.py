#!/usr/bin/env python3
"""bench/outbox: a location message to 10,000 recipients.

1. The API answer time of POST /api/v1/location-messages for a message to all 10,000
   clients (every client with an e-mail address), several sends, median and worst (target:
   under 100 ms): the fan-out happens in the outbox, not in the request.
2. Mails per second from zorgd's outbox to a local SMTP sink (aiosmtpd's Sink handler in
   its own process), from the send until every notice row is SENT; beside a plain Python
   smtplib sender that sends the same number of mails of the same size over one
   connection to the same sink, in the same run (target: at least as fast).

    python3 bench/outbox.py [--build build] [--clients 10000] [--sends 5]
"""

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
sys.path.insert(0, os.path.join(REPO, "tests", "api"))

import harness  # noqa: E402
from zorgd_fixture import Zorgd  # noqa: E402

SINK_PY = ("/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_sink():
    """aiosmtpd's Sink (accepts and discards) in its own process; its port."""
    port = free_port()
    proc = subprocess.Popen([SINK_PY, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
                             "-l", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    end = time.monotonic() + 15
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the SMTP sink did not start")


def prepare(z, clients):
    z.create_demo(clients=clients, seed=5)
    con = z.db()
    con.execute("DELETE FROM client_contacts WHERE kind = 'email'")
    con.execute("INSERT INTO client_contacts (client_id, kind, value, confirmed)"
                " SELECT id, 'email', 'client' || id || '@bench.example', 1 FROM clients")
    con.execute("UPDATE settings SET caren_enabled = 1, caren_communication = 1 WHERE id = 1")
    con.commit()
    con.close()


def sent_count(z):
    con = z.db()
    try:
        return con.execute("SELECT count(*) FROM outbox WHERE kind = 'message.notice'"
                           " AND state = 'SENT'").fetchone()[0]
    finally:
        con.close()


def api_times(z, sends):
    """Send the message to all clients sends times; each answer's time in ms, and the first
    message's send time (monotonic) and recipients."""
    c = harness.Client("127.0.0.1", z.port, z.ssl_context(), timeout=60)
    tok = c.request("POST", "/api/v1/session",
                    json_body={"username": "administrator", "password": "demo"}).json["token"]
    times, first = [], None
    for i in range(sends):
        t0 = time.monotonic()
        r = c.request("POST", "/api/v1/location-messages", token=tok,
                      json_body={"location_id": None, "text": f"Bericht {i} voor iedereen"},
                      headers={"Idempotency-Key": f"bench-{i}-{time.time_ns()}"})
        t1 = time.monotonic()
        assert r.status == 201, r.text
        times.append((t1 - t0) * 1000)
        if first is None:
            first = (t0, r.json["recipients"], r.json["mails"])
    return times, first


def outbox_rate(z, base, total, t0, timeout):
    """Wait until total more notices than base are SENT. Returns (end-to-end mails/s from
    the send call, steady mails/s from the first mail recorded to the last)."""
    end = time.monotonic() + timeout
    first = None
    while time.monotonic() < end:
        n = sent_count(z) - base
        now = time.monotonic()
        if n > 0 and first is None:
            first = (now, n)
        if n >= total:
            steady = (total - first[1]) / (now - first[0]) if now > first[0] else 0.0
            return total / (now - t0), steady
        time.sleep(0.02)
    raise RuntimeError(f"the outbox sent only {sent_count(z) - base} of {total} in {timeout} s")


def drain(z, total, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end and sent_count(z) < total:
        time.sleep(0.1)


def smtplib_rate(port, n, size):
    """A plain Python sender: n mails of about size bytes over one connection."""
    body = ("Date: Sun, 29 Nov 2026 17:00:00 +0100\r\nFrom: <noreply@bench.example>\r\n"
            "Subject: =?UTF-8?B?TmlldXcgYmVyaWNodA==?=\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n\r\n")
    body += "x" * max(0, size - len(body) - 40) + "\r\n"
    t0 = time.monotonic()
    s = smtplib.SMTP("127.0.0.1", port)
    for i in range(n):
        to = f"client{i}@bench.example"
        s.sendmail("noreply@bench.example", [to],
                   f"Message-ID: <py.{i}@bench.example>\r\nTo: <{to}>\r\n" + body)
    s.quit()
    return n / (time.monotonic() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--clients", type=int, default=10000)
    ap.add_argument("--sends", type=int, default=5)
    args = ap.parse_args()
    z = Zorgd(REPO, args.build)
    sink, port = start_sink()
    try:
        prepare(z, args.clients)
        z.start(["--smtp-url", f"smtp://127.0.0.1:{port}", "--smtp-from",
                 "noreply@bench.example", "--outbox-batch", "200"])
        times, (t0, recipients, mails) = api_times(z, args.sends)
        drain(z, mails * args.sends, 900)
        # The rate on its own: one more message once the outbox is idle again.
        base = sent_count(z)
        _, (t1, _, mails1) = api_times(z, 1)
        e2e, steady = outbox_rate(z, base, mails1, t1, 900)
        py = smtplib_rate(port, mails1, 700)
        print(f"bench/outbox: {args.sends} messages to {recipients} recipients each "
              f"(every one with an e-mail address)")
        print(f"  API answer (POST /api/v1/location-messages): median "
              f"{statistics.median(times):.1f} ms, worst {max(times):.1f} ms "
              f"(target < 100 ms) {'OK' if max(times) < 100 else 'MISSED'}")
        print(f"  outbox to the SMTP sink ({mails1} mails, outbox-senders 2, connections "
              f"reused): {steady:.0f} mails/s steady, {e2e:.0f} mails/s from the send call "
              f"(fan-out included)")
        print(f"  Python smtplib, one connection, same sink: {py:.0f} mails/s "
              f"-> outbox/smtplib {steady / py:.2f} (steady) {'OK' if steady >= py else 'MISSED'},"
              f" {e2e / py:.2f} (from the send call)")
    finally:
        z.cleanup()
        sink.kill()
        sink.wait()


if __name__ == "__main__":
    main()
