"""Demo accounts may only log in while zorgd listens on loopback. Tested with a zorgd that
listens on a documentation address (192.0.2.10, TEST-NET-1) on the loopback device of a
network namespace this test makes and removes itself: no packet leaves that namespace."""

import json
import os
import sqlite3
import subprocess
import tempfile
import time

ADDR = "192.0.2.10"


def _ns_run(ns, args, **kw):
    return subprocess.run(["ip", "netns", "exec", ns, *args], capture_output=True, text=True, **kw)


def _login(ns, z, port, user):
    """POST /api/v1/session inside the namespace; returns (status, body)."""
    r = _ns_run(ns, ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--cacert", z.pem("ca.pem"),
                     "--connect-to", f"localhost:{port}:{ADDR}:{port}",
                     "-H", "Content-Type: application/json",
                     "--data-binary", json.dumps({"username": user, "password": "demo"}),
                     f"https://localhost:{port}/api/v1/session"], timeout=30)
    text, _, code = r.stdout.rpartition("\n")
    return int(code or 0), text


def test_demo_accounts_refused_off_loopback(ctx):
    """Off loopback a demo account gets 403 demo-account; an ordinary account logs in."""
    z = ctx.zorgd
    ns = f"zt-api-{os.getpid()}"
    tmp = tempfile.mkdtemp(prefix="zorgd-ns-")
    db = os.path.join(tmp, "z.db")
    proc = None
    r = subprocess.run(["ip", "netns", "add", ns], capture_output=True, text=True)
    assert r.returncode == 0, f"cannot make a network namespace (needs root): {r.stderr}"
    try:
        for cmd in (["ip", "-n", ns, "link", "set", "lo", "up"],
                    ["ip", "-n", ns, "addr", "add", f"{ADDR}/32", "dev", "lo"]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            assert r.returncode == 0, f"{' '.join(cmd)}: {r.stderr}"
        r = subprocess.run([z.binary, "--db", db, "--init-demo", "--clients", "5"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        # An ordinary (non-demo) account with the same password hash as the demo users.
        con = sqlite3.connect(db)
        with con:
            h = con.execute("SELECT password_hash FROM staff WHERE username = 'coordinator'").fetchone()[0]
            rev = con.execute("UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value").fetchone()[0]
            con.execute("INSERT INTO staff (username, name, registration_number, password_hash, is_demo,"
                        " rev) VALUES ('echt', 'Echte Medewerker', 'ZRN-999999', ?, 0, ?)", (h, rev))
        con.close()
        port = 18000 + os.getpid() % 1000
        log = open(os.path.join(tmp, "zorgd.log"), "wb")
        proc = subprocess.Popen(["ip", "netns", "exec", ns, z.binary, "--db", db, "--listen",
                                 f"{ADDR}:{port}", "--cert", z.pem("server.pem"), "--key",
                                 z.pem("server.key")], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20 * z.timeout_scale
        while True:
            st, _ = _login(ns, z, port, "nobody-here")
            if st:
                break
            assert proc.poll() is None, "zorgd exited: " + open(os.path.join(tmp, "zorgd.log")).read()
            assert time.monotonic() < deadline, "zorgd off loopback did not answer"
            time.sleep(0.05)  # polling interval of a deadline loop
        st, body = _login(ns, z, port, "coordinator")
        assert st == 403, (st, body)
        assert json.loads(body)["type"].endswith(":demo-account"), body
        st, body = _login(ns, z, port, "echt")
        assert st == 201 and json.loads(body)["token"], (st, body)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        subprocess.run(["rm", "-rf", tmp])
