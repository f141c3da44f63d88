#!/usr/bin/env python3
"""Failure level: kill -9 of zorgd during a 2,000-recipient fan-out loses no mail.

One message to all 2,000 clients of a demo organisation (every client with its own e-mail
address); zorgd is killed with SIGKILL 20 times while the outbox fans out and sends (the
first kill right after the send call answered, the others after a random number of mails
reached the SMTP server), restarted each time, then left to drain. Counted per recipient at
a real SMTP server (aiosmtpd): none missing, and every duplicate carries the Message-ID of
its first copy. Prints the number of duplicates and a closing 'N passed, N failed'.

    python3 tests/failure/outbox_kill.py --build build [--trials 20] [--clients 2000]
"""

import argparse
import json
import os
import random
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
sys.path.insert(0, os.path.join(REPO, "tests", "api"))

import harness  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from zorgd_fixture import Zorgd  # noqa: E402


def prepare(z, clients):
    """Demo data with exactly one e-mail address per client, Caren communication on."""
    z.create_demo(clients=clients, seed=11)
    con = z.db()
    con.execute("DELETE FROM client_contacts WHERE kind = 'email'")
    con.execute("INSERT INTO client_contacts (client_id, kind, value, confirmed)"
                " SELECT id, 'email', 'c' || id || '@sink.example', 1 FROM clients")
    con.execute("UPDATE settings SET caren_enabled = 1, caren_communication = 1 WHERE id = 1")
    con.commit()
    con.close()


def start(z, sink):
    z.start(["--smtp-url", sink.url, "--smtp-from", "noreply@zorg.example",
             "--outbox-lease", "1", "--outbox-retry", "1"])


def send_all(z):
    c = harness.Client("127.0.0.1", z.port, z.ssl_context(), timeout=60)
    r = c.request("POST", "/api/v1/session",
                  json_body={"username": "administrator", "password": "demo"})
    tok = r.json["token"]
    r = c.request("POST", "/api/v1/location-messages", token=tok,
                  json_body={"location_id": None, "text": "Bericht voor iedereen"},
                  headers={"Idempotency-Key": "kill-test-1"})
    assert r.status == 201, r.text
    return r.json


def kill(z):
    z.proc.kill()
    z.proc.wait()
    z.stop()


def pending(z):
    con = z.db()
    try:
        return con.execute("SELECT count(*) FROM outbox WHERE state = 'PENDING'").fetchone()[0]
    finally:
        con.close()


def run_trials(z, sink, trials, rng):
    """Kill and restart zorgd trials times during the fan-out; returns kills done while
    rows were still pending."""
    msg = send_all(z)
    print(f"message {msg['id']}: {msg['recipients']} recipients, {msg['mails']} mails")
    kills = 0
    for i in range(trials):
        if i > 0:
            target = sink.count() + rng.randint(10, 60)
            sink.wait_count(target, 30)
        else:
            time.sleep(rng.uniform(0.0, 0.05))  # during the fan-out itself
        left = pending(z)
        kill(z)
        kills += 1 if left else 0
        start(z, sink)
    return msg, kills


def drain(z, sink, want, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pending(z) == 0 and len({m.rcpts[0] for m in sink.snapshot()}) >= want:
            return True
        time.sleep(0.1)
    return False


def count(sink, addresses):
    """Per recipient: missing ones, duplicates, and duplicates with another Message-ID."""
    first, copies, wrong = {}, {}, 0
    for m in sink.snapshot():
        a = m.rcpts[0]
        mid = m.header("Message-ID")
        copies[a] = copies.get(a, 0) + 1
        if a not in first:
            first[a] = mid
        elif first[a] != mid:
            wrong += 1
    missing = [a for a in addresses if a not in copies]
    dups = sum(n - 1 for n in copies.values())
    return missing, dups, wrong


def two_instances(z, sink, clients):
    """A second message with two zorgd serving the same database at once: each row is
    claimed with a lease by one of them, so every recipient gets exactly one copy.
    Returns (missing, duplicates, mails sent by each instance's connections)."""
    z2 = Zorgd(REPO, z.build)
    z2.db_path = z.db_path
    start(z2, sink)
    try:
        before = sink.count()
        c = harness.Client("127.0.0.1", z.port, z.ssl_context(), timeout=60)
        tok = c.request("POST", "/api/v1/session",
                        json_body={"username": "administrator", "password": "demo"}).json["token"]
        r = c.request("POST", "/api/v1/location-messages", token=tok,
                      json_body={"location_id": None, "text": "Tweede bericht"},
                      headers={"Idempotency-Key": "two-instances"})
        assert r.status == 201, r.text
        sink.wait_count(before + clients, 120 * z.timeout_scale)
        drain(z, sink, 0, 60 * z.timeout_scale)
        mails = sink.snapshot()[before:]
        per = {}
        for m in mails:
            per[m.rcpts[0]] = per.get(m.rcpts[0], 0) + 1
        missing = clients - len(per)
        dups = sum(n - 1 for n in per.values())
        return missing, dups, len({m.peer for m in mails})
    finally:
        z2.stop()
        import shutil
        shutil.rmtree(z2.tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"seed {args.seed}")
    z = Zorgd(REPO, args.build)
    sink = SmtpSink().start()
    passed = failed = 0
    try:
        prepare(z, args.clients)
        start(z, sink)
        t0 = time.monotonic()
        msg, kills = run_trials(z, sink, args.trials, rng)
        drained = drain(z, sink, args.clients, 180 * z.timeout_scale)
        took = time.monotonic() - t0
        addresses = [f"c{i}@sink.example" for i in
                     (r[0] for r in z.db().execute("SELECT id FROM clients ORDER BY id"))]
        missing, dups, wrong = count(sink, addresses)
        print(f"{args.trials} kills ({kills} with mail pending), {took:.1f} s,"
              f" {sink.count()} mails for {len(addresses)} recipients: {len(missing)} missing,"
              f" {dups} duplicates, {wrong} duplicates with another Message-ID")
        checks = [
            ("the outbox drained after the last restart", drained),
            ("no recipient is missing", not missing),
            ("every duplicate carries its first copy's Message-ID", wrong == 0),
            ("kills happened while mail was pending", kills >= args.trials // 2),
        ]
        con = z.db()
        row = con.execute("SELECT delivered, failed FROM location_messages WHERE id = ?",
                          (msg["id"],)).fetchone()
        con.close()
        checks.append(("the message counts every recipient delivered",
                       row == (args.clients, 0)))
        missing2, dups2, conns = two_instances(z, sink, args.clients)
        print(f"two instances on one database: {missing2} missing, {dups2} duplicates,"
              f" {conns} SMTP connections")
        checks.append(("two instances: every recipient exactly once", missing2 == 0 and dups2 == 0))
        checks.append(("two instances: both sent (more than one instance's connections)",
                       conns > 2))
        for what, ok in checks:
            print(("ok   " if ok else "FAIL ") + what)
            passed, failed = passed + ok, failed + (not ok)
        print(json.dumps({"kills": args.trials, "missing": len(missing), "duplicates": dups,
                          "wrong_message_id": wrong, "seconds": round(took, 1)}))
    except Exception as e:  # noqa: BLE001 - report any set-up failure as a failed test
        print(f"FAIL {type(e).__name__}: {e}")
        print(z.log_tail(30))
        failed += 1
    finally:
        z.cleanup()
        sink.stop()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
