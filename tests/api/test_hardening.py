"""Hardening (issue 13): the one text rule on every input, valid UTF-8 out, a private store,
problem+json for every error (414, 431, 413 after a whole body), strict parsing, and a
connection flood from one address that does not shut others out."""

import http.client
import json
import os
import shutil
import socket
import ssl
import stat
import subprocess
import threading
import time

from harness import (SUPPLIER_ORDERS, Client, assert_problem, assert_status,
                     check_problem_shape, new_key)
from zorgd_fixture import Zorgd

# Byte sequences that are not acceptable text: invalid UTF-8, an overlong '/', a UTF-16
# surrogate, a C1 control (CSI), a bidirectional override, an isolate, ESC and DEL.
BAD_BYTES = {
    "invalid": b"a\xff\xfe",
    "overlong": b"a\xc0\xaf",
    "surrogate": b"a\xed\xa0\x80",
    "c1-csi": "a\u009b".encode(),
    "bidi-override": "a\u202e".encode(),
    "bidi-isolate": "a\u2066".encode(),
    "escape": b"a\x1b[31m",
    "delete": b"a\x7f",
}
PLACEHOLDER = "QQPLACEHOLDERQQ"
SECURITY_HEADERS = ("strict-transport-security", "x-content-type-options", "cache-control")


def _client(ctx, n=0):
    """A coordinator client of this module (the middle of the scope, away from the others)."""
    vis = ctx.visible_clients("coordinator")
    return vis[len(vis) // 2 + n]


def _raw_body(obj, bad):
    """obj as JSON with the placeholder string replaced by raw bytes bad."""
    return json.dumps(obj).encode().replace(PLACEHOLDER.encode(), bad)


def _post_order(ctx, body_bytes, cid):
    return ctx.direct.request("POST", f"/api/v1/clients/{cid}/hct-orders",
                              token=ctx.token("coordinator"), body=body_bytes,
                              headers={"Idempotency-Key": new_key()})


def _supplier_raw(ctx, method, path, body=None):
    """A supplier call over Python's TLS with dosell's certificate; raw bytes kept."""
    tls = ctx.zorgd.ssl_context()
    tls.load_cert_chain(ctx.zorgd.pem("dosell.pem"), ctx.zorgd.pem("dosell.key"))
    c = http.client.HTTPSConnection("127.0.0.1", ctx.zorgd.port, context=tls, timeout=30)
    try:
        hdrs = {"Accept": "application/json"}
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=hdrs)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def _strict_json(raw, where):
    """Parse bytes as a strict client would: UTF-8 without replacement, then JSON."""
    try:
        return json.loads(raw.decode("utf-8", errors="strict"))
    except (UnicodeDecodeError, ValueError) as e:
        raise AssertionError(f"{where}: not strict UTF-8 JSON ({e}): {raw[:200]!r}") from None


# ---- 1. one text rule for every input, valid UTF-8 out --------------------------------

def test_text_rule_orderer_email_and_address(ctx):
    """Invalid UTF-8, overlongs, surrogates, C1, bidi controls, ESC and DEL in the orderer
    e-mail, street and city: 400 naming the field; no order is stored."""
    cid = _client(ctx)
    before = ctx.order_rows()
    for field in ("orderer.email", "delivery.street", "delivery.city"):
        for what, bad in BAD_BYTES.items():
            body = ctx.order_body("coordinator", cid, manual=True)
            part, key = field.split(".")
            body[part][key] = PLACEHOLDER + ("@example.nl" if key == "email" else "")
            r = _post_order(ctx, _raw_body(body, bad), cid)
            assert_problem(r, 400, field)
            # The same as a JSON escape where one exists (\u009b, \u202e, \u001b ...).
            try:
                text = bad.decode("utf-8")
            except UnicodeDecodeError:
                continue
            body[part][key] = text + ("@example.nl" if key == "email" else "")
            r = _post_order(ctx, json.dumps(body).encode(), cid)
            assert_problem(r, 400, field)
    assert ctx.order_rows() == before, "an order with invalid text was stored"


def test_text_rule_other_inputs(ctx):
    """The rule holds for the login name, the supplier's PATCH body, member names and query
    arguments; line breaks and tabs only in free text."""
    for what, bad in BAD_BYTES.items():
        r = ctx.direct.request("POST", "/api/v1/session",
                               body=_raw_body({"username": PLACEHOLDER, "password": "x"}, bad))
        assert_problem(r, 400, "username")
        r = ctx.direct.request("GET", "/api/v1/clients?q=" + "".join(f"%{b:02X}" for b in bad),
                               token=ctx.token("support"))
        assert_problem(r, 400, "q")
    o = ctx.order("coordinator", _client(ctx, 1))
    path = f"{SUPPLIER_ORDERS}/{o['id']}/status"
    for field in ("supplierNote", "orderNumber", "trackingUrl"):
        for what, bad in BAD_BYTES.items():
            value = ("https://x.example/" if field == "trackingUrl" else "") + PLACEHOLDER
            status, raw = _supplier_raw(ctx, "PATCH", path,
                                        _raw_body({"accepted": True, field: value}, bad))
            assert status == 400 and field.encode() in raw, f"{field} {what}: {status} {raw[:200]!r}"
    status, raw = _supplier_raw(ctx, "PATCH", path, _raw_body({"accepted": True,
                                                               PLACEHOLDER: 1}, b"\xff"))
    assert status == 400, f"a member name with invalid UTF-8: {status} {raw[:200]!r}"
    status, raw = _supplier_raw(ctx, "PATCH", path, json.dumps(
        {"accepted": True, "orderNumber": "A\n1"}).encode())
    assert status == 400, f"a line break in a one-line field: {status} {raw[:200]!r}"
    assert ctx.order_row(o["id"], "status") == "OPEN", "a refused PATCH changed the order"


def test_output_is_valid_utf8(ctx):
    """Second line: text that reached the store by other means (an older zorgd, a manual
    edit) never makes the supplier's list, the order or the change feed invalid UTF-8."""
    user = "coordinator"
    rev = ctx.revision()
    o = ctx.order(user, _client(ctx, 2))
    t = ctx.hct_table("uuid", "supplier_note", "fetched_at")
    ctx.db.execute(f'UPDATE "{t}" SET orderer_email = CAST(? AS TEXT), city = CAST(? AS TEXT)'
                   " WHERE id = ?", (b"a\xff\xfe\xc0\xaf\xed\xa0\x80@example.nl",
                                     b"Assen\xe2\x80", o["id"]))
    status, raw = _supplier_raw(ctx, "GET", SUPPLIER_ORDERS)
    assert status == 200, f"supplier list: {status}"
    orders = _strict_json(raw, "supplier order list")["orders"]
    assert any(str(x.get("id")) == str(o["id"]) for x in orders), \
        "the order is not in the supplier's list"
    status, raw = _supplier_raw(ctx, "GET", f"{SUPPLIER_ORDERS}/{o['id']}")
    assert status == 200, f"supplier order: {status}"
    _strict_json(raw, "supplier order")
    tok = ctx.token(user)
    for path in (f"/api/v1/changes?since={rev}", f"/api/v1/hct-orders/{o['id']}"):
        r = ctx.direct.request("GET", path, token=tok)
        assert_status(r, 200)
        _strict_json(r.body, path)


# ---- 3. the store is private ----------------------------------------------------------

def test_store_files_private(ctx):
    """The running store and its -wal/-shm are 0600; a new store is created 0600; zorgd
    refuses to start on a store others may read, saying why."""
    for side in ("", "-wal", "-shm"):
        p = ctx.zorgd.db_path + side
        if os.path.exists(p):
            mode = stat.S_IMODE(os.stat(p).st_mode)
            assert mode & 0o077 == 0, f"{os.path.basename(p)} has mode {mode:04o}"
    tmp = os.path.join(ctx.zorgd.tmp, "private")
    os.makedirs(tmp, exist_ok=True)
    new = os.path.join(tmp, "new.db")
    r = subprocess.run([ctx.zorgd.binary, "--db", new, "--init-demo", "--clients", "2"],
                       capture_output=True, text=True, timeout=60 * ctx.scale)
    assert r.returncode == 0, r.stderr
    mode = stat.S_IMODE(os.stat(new).st_mode)
    assert mode == 0o600, f"a new store is created {mode:04o}"
    os.chmod(new, 0o644)
    cmd = [ctx.zorgd.binary, "--db", new, "--listen", "127.0.0.1:0",
           "--cert", ctx.zorgd.pem("server.pem"), "--key", ctx.zorgd.pem("server.key")]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = p.communicate(timeout=20 * ctx.scale)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise AssertionError("zorgd started on a world-readable store") from None
    assert p.returncode != 0, "zorgd started on a world-readable store"
    assert "chmod 600" in out and "new.db" in out, f"unclear message: {out}"
    shutil.rmtree(tmp, ignore_errors=True)


# ---- 4. every error is problem+json ---------------------------------------------------

def test_problem_json_for_long_uri_and_headers(ctx):
    """A 10 kB request target (414) and 12 kB of headers (431): problem+json with the usual
    security headers, not libmicrohttpd's HTML. Beyond libmicrohttpd's 16 KiB connection
    pool (40 kB of headers, 20 kB of target) it answers the same statuses itself."""
    d = ctx.direct
    r414 = d.request("GET", "/api/v1/clients?q=" + "a" * 10000, token=ctx.token("support"))
    r431 = d.request("GET", "/api/v1/me", headers={f"X-Pad-{i}": "b" * 1000 for i in range(12)})
    for r, status in ((r414, 414), (r431, 431)):
        assert r.status == status, f"expected {status}: {r}"
        check_problem_shape(r)
        for h in SECURITY_HEADERS:
            assert r.header(h), f"{status}: no {h} header: {r.headers}"
    ok = d.request("GET", "/api/v1/me", token=ctx.token("support"),
                   headers={f"X-Pad-{i}": "b" * 1000 for i in range(6)})
    assert ok.status == 200, f"6 kB of headers are within the limit: {ok}"
    # libmicrohttpd answers and closes while the client may still be sending the rest of
    # the request: the send can fail, the answer can still be read; a few tries at most.
    for path, headers, status in (("/api/v1/clients?q=" + "a" * 20000, {}, 414),
                                  ("/api/v1/me", {f"X-Pad-{i}": "b" * 1000 for i in range(40)}, 431)):
        got = []
        for _ in range(5):
            got.append(_status_beyond_pool(ctx, path, headers))
            if got[-1] == status:
                break
        assert got[-1] == status, f"beyond the pool: {got}, expected libmicrohttpd's {status}"


def _status_beyond_pool(ctx, path, headers):
    """The status line's code of one raw request (None when no answer could be read)."""
    s = _raw_tls(ctx, timeout=30 * ctx.scale)
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + \
        "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    try:
        try:
            s.sendall(head.encode())
        except OSError:
            pass  # closed early: its answer may still be there to read
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        parts = data.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    finally:
        s.close()


def _raw_tls(ctx, source=None, timeout=30):
    s = socket.create_connection(("127.0.0.1", ctx.zorgd.port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    return ctx.zorgd.ssl_context().wrap_socket(s, server_hostname="127.0.0.1")


def _read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
    n = int(headers.get("content-length", "0"))
    while len(rest) < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest


def test_413_reaches_a_client_that_writes_its_whole_body(ctx):
    """A 3 MiB body (limit 1 MiB) written completely before reading: the client reads a 413
    problem+json, not a reset."""
    body = b'{"username":"x","password":"' + b"p" * (3 << 20) + b'"}'
    s = _raw_tls(ctx)
    try:
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/json\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode())
        s.sendall(body)
        status, headers, rest = _read_response(s)
    except (ConnectionResetError, BrokenPipeError, ssl.SSLError) as e:
        raise AssertionError(f"the client saw {type(e).__name__} instead of a 413") from None
    finally:
        s.close()
    assert status == 413, f"status {status}"
    assert headers.get("content-type", "").startswith("application/problem+json"), headers
    assert _strict_json(rest, "413")["status"] == 413


# ---- 5. strict parsing ------------------------------------------------------------------

def test_strict_content_type_ids_and_numbers(ctx):
    """Content-Type is application/json (charset=utf-8 at most); ids are digits only (an
    encoded NUL does not cut them); integers in queries are digits only."""
    d = ctx.direct
    login = json.dumps({"username": "support", "password": "demo"})
    for ct in ("application/jsonxyz", "application/json-patch+json", "application/json; x=1",
               "application/json; charset=latin1", "text/json"):
        r = d.request("POST", "/api/v1/session", body=login, content_type=ct)
        assert_problem(r, 415)
    for ct in ("application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""):
        r = d.request("POST", "/api/v1/session", body=login, content_type=ct)
        assert r.status == 201, f"{ct}: {r}"
    adm = ctx.token("administrator")
    oid = ctx.order("coordinator", _client(ctx, 3))["id"]
    for path in (f"/api/v1/hct-orders/{oid}%00", f"/api/v1/hct-orders/{oid}%00x",
                 f"/api/v1/clients/{_client(ctx, 3)}%00/hct"):
        r = d.request("GET", path, token=adm)
        assert r.status in (400, 404), f"GET {path}: {r}"
    for q in ("limit=+5", "limit=%20%205", "limit=5%20", "limit=0x5", "limit=", "limit=5.0"):
        assert_problem(d.request("GET", f"/api/v1/clients?{q}", token=adm), 400, "limit")
    for q in ("wait=%20%201", "wait=+1", "wait=1%00"):
        r = d.request("GET", f"/api/v1/changes?since=0&limit=1&{q}", token=adm)
        assert_problem(r, 400, "wait")
    assert_status(d.request("GET", "/api/v1/clients?limit=5", token=adm), 200)


def test_orderer_team_must_be_in_scope(ctx):
    """A coordinator naming a team outside their scope as orderer: 400 naming
    orderer.team_id; an in-scope team is fine."""
    locs = ctx.scope_locations("coordinator")
    outside = [tid for tid, loc in ctx.rows("SELECT id, location_id FROM teams WHERE deleted = 0")
               if loc not in locs]
    assert outside, "the demo has no team outside the coordinator's scope"
    cid = _client(ctx, 4)
    body = ctx.order_body("coordinator", cid)
    body["orderer"]["team_id"] = outside[0]
    before = ctx.order_rows()
    assert_problem(ctx.place_order("coordinator", cid, body), 400, "orderer.team_id")
    assert ctx.order_rows() == before, "the order was stored"


# ---- 2. one address cannot exhaust the connections --------------------------------------

def _closed_by_peer(s, deadline):
    """Wait (bounded) until the server closes s; True when it did."""
    while time.monotonic() < deadline:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            if s.recv(1) == b"":
                return True
        except socket.timeout:
            return False
        except OSError:
            return True
    return False


def test_connection_flood_from_one_address(ctx):
    """530 idle TCP connections (no TLS) from 127.0.0.3: a normal request from 127.0.0.2 is
    still served; a silent and a trickling connection are closed within the handshake and
    header deadline (5 s), however busy the trickle."""
    held = []
    try:
        for _ in range(530):
            try:
                held.append(socket.create_connection(("127.0.0.1", ctx.zorgd.port), timeout=5,
                                                     source_address=("127.0.0.3", 0)))
            except OSError:
                break
        t0 = time.monotonic()
        c = http.client.HTTPSConnection("127.0.0.1", ctx.zorgd.port,
                                        context=ctx.zorgd.ssl_context(), timeout=10,
                                        source_address=("127.0.0.2", 0))
        try:
            c.request("GET", "/api/v1/health")
            status = c.getresponse().status
        except OSError as e:
            raise AssertionError(f"a normal client was shut out ({e})") from None
        finally:
            c.close()
        assert status == 200 and time.monotonic() - t0 < 5, f"health: {status}"
    finally:
        for s in held:
            s.close()
    silent = socket.create_connection(("127.0.0.1", ctx.zorgd.port), timeout=5,
                                      source_address=("127.0.0.4", 0))
    trickle = _raw_tls(ctx, "127.0.0.5")
    try:
        trickle.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        deadline = time.monotonic() + 12 * ctx.scale
        closed = False
        while time.monotonic() < deadline and not closed:
            try:
                trickle.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed = True
                break
            closed = _closed_by_peer(trickle, time.monotonic() + 1)
        assert closed, "a trickling connection was kept past the header deadline"
        assert _closed_by_peer(silent, time.monotonic() + 8 * ctx.scale), \
            "a silent connection was kept past the handshake deadline"
    finally:
        silent.close()
        trickle.close()


def test_longpolls_leave_room_for_other_requests(ctx):
    """A zorgd with 8 connections and 8 long-polls waiting: long-polls past their share
    (all but a quarter of the connections) are answered at once, and a normal request is
    still served."""
    z = Zorgd(ctx.zorgd.repo, ctx.zorgd.build)
    try:
        z.create_demo(clients=5, seed=3)
        z.start(extra_args=("--max-connections", "8"))
        c = Client("127.0.0.1", z.port, z.ssl_context(), timeout=30 * ctx.scale)
        r = c.request("POST", "/api/v1/session",
                      json_body={"username": "administrator", "password": "demo"})
        assert r.status == 201, r
        tok = r.json["token"]
        sent = [threading.Event() for _ in range(8)]
        took = [None] * 8

        def poll(i):
            t0 = time.monotonic()
            try:
                r = c.request("GET", "/api/v1/changes?since=999999999&wait=20", token=tok,
                              on_sent=sent[i].set)
                took[i] = (r.status, time.monotonic() - t0)
            except OSError as e:
                took[i] = (str(e), time.monotonic() - t0)
            finally:
                sent[i].set()

        threads = [threading.Thread(target=poll, args=(i,), daemon=True) for i in range(8)]
        for t in threads:
            t.start()
        for e in sent:
            assert e.wait(15 * ctx.scale), "a long-poll was not sent"
        deadline = time.monotonic() + 10 * ctx.scale
        served = None
        while time.monotonic() < deadline and served != 200:
            h = http.client.HTTPSConnection("127.0.0.1", z.port, context=z.ssl_context(),
                                            timeout=3, source_address=("127.0.0.2", 0))
            try:
                h.request("GET", "/api/v1/health")
                served = h.getresponse().status
            except OSError as e:
                served = str(e)
            finally:
                h.close()
        assert served == 200, f"long-polls shut a normal request out ({served})"
        # Two of the eight are past the share: they are answered at once (well before
        # their 20 s wait), whichever two they are.
        deadline = time.monotonic() + 10 * ctx.scale
        quick = []
        while time.monotonic() < deadline and len(quick) < 2:
            quick = [t for t in took if t is not None and t[0] == 200 and t[1] < 12]
            time.sleep(0.05)
        assert len(quick) >= 2, f"long-polls past their share still wait: {took}"
    finally:
        z.cleanup()
