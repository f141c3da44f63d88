"""Shared pieces of the API test level: an HTTP(S) client that checks every error body,
Prism violation detection, the test context (tokens, database) and assertions."""

import http.client
import json
import re
import socket
import ssl
import subprocess
import time
import unicodedata
import uuid

USERS = ("administrator", "beheerder", "coordinator", "zorgverlener", "support")
PASSWORD = "demo"

# Home-care technology (docs/hct-api.md): the tasks and the demo users that have them.
HCT_TASKS = {
    "hct.client.view": {"administrator", "coordinator", "zorgverlener", "support"},
    "hct.client.edit": {"administrator", "coordinator"},
    "hct.order.manage": {"administrator", "coordinator"},
    "hct.order.view": {"administrator", "coordinator", "zorgverlener", "support"},
    "hct.order.delete": {"administrator", "coordinator"},
    "hct.settings.view": {"administrator", "beheerder"},
    "hct.settings.edit": {"administrator", "beheerder"},
}
SUPPLIER_ORDERS = "/v0/caretech/server/orders"
SUPPLIER_CLIENTS = "/v0/caretech/server/clients"

PRISM_TYPE = "https://stoplight.io/prism/errors#"
PROBLEM_TYPE = "application/problem+json"
RFC3339_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

# Text that must never appear in an error body: database, SQL and source internals.
LEAKS = re.compile(r"sqlite|SELECT\s|INSERT\s|UPDATE\s|DELETE\s+FROM|\bFROM\s+\w+\s+WHERE|"
                   r"/tmp/|/work/|/home/|/usr/|\.c:\d+|src/server|errno|segfault|"
                   r"stack trace|cJSON|microhttpd|gnutls", re.IGNORECASE)


class PrismRejected(Exception):
    """Prism itself rejected a request the test marked as deliberately invalid."""


# ---- text folding (mirror of the documented search rule: case and diacritics ignored) ----

_SPECIAL = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ı": "i", "ł": "l", "đ": "d", "ð": "d",
            "þ": "t", "ĳ": "ij"}


def fold(s):
    """Lower-case, strip diacritics, drop apostrophes, collapse separators to one space."""
    s = unicodedata.normalize("NFKD", s.lower())
    out = []
    for ch in s:
        if unicodedata.category(ch) == "Mn":
            continue
        ch = _SPECIAL.get(ch, ch)
        if ch in "'\u2019":
            continue
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).split())


# ---- responses and the client ---------------------------------------------------------

class Response:
    def __init__(self, status, headers, body, method, path, elapsed):
        self.status = status
        self.headers = headers  # lower-case name -> value (last wins)
        self.body = body
        self.method = method
        self.path = path
        self.elapsed = elapsed
        self.prism_rejected = False

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    @property
    def content_type(self):
        return self.header("content-type", "")

    @property
    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise AssertionError(f"{self.method} {self.path}: body is not JSON ({e}): "
                                 f"{self.text[:300]!r}") from None

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def from_zorgd(self):
        # zorgd sets HSTS on every response; Prism's own error responses do not.
        return "strict-transport-security" in self.headers

    def __repr__(self):
        return f"<{self.method} {self.path} -> {self.status} {self.text[:300]!r}>"


def check_problem_shape(r):
    """Every zorgd error: application/problem+json with type/title/status, no internals."""
    where = f"{r.method} {r.path} -> {r.status}"
    ct = r.content_type.split(";")[0].strip().lower()
    assert ct == PROBLEM_TYPE, f"{where}: Content-Type {r.content_type!r}, not {PROBLEM_TYPE}"
    p = r.json
    assert isinstance(p, dict), f"{where}: problem body is not an object: {r.text[:200]}"
    for k in ("type", "title"):
        assert isinstance(p.get(k), str) and p[k], f"{where}: problem lacks '{k}': {p}"
    assert p.get("status") == r.status, f"{where}: problem status {p.get('status')!r}"
    assert isinstance(p.get("detail"), str) and p["detail"], f"{where}: problem lacks 'detail': {p}"
    if "invalid_params" in p:
        ip = p["invalid_params"]
        assert isinstance(ip, list) and ip, f"{where}: invalid_params not a non-empty list"
        for f in ip:
            assert isinstance(f.get("name"), str) and isinstance(f.get("reason"), str), \
                f"{where}: invalid_params entry needs name and reason: {f}"
    m = LEAKS.search(r.text)
    assert not m, f"{where}: error body leaks internals ({m.group(0)!r}): {r.text[:300]}"


class Client:
    """HTTP(S) client; one connection per request (cheap on loopback, and robust when the
    server closes a connection after an error)."""

    def __init__(self, host, port, tls_context=None, prism=False, timeout=30):
        self.host = host
        self.port = port
        self.tls = tls_context
        self.prism = prism
        self.timeout = timeout
        self.seen_errors = []  # zorgd error responses, for the problem+json test
        self.prism_rejections = []  # invalid requests Prism answered itself

    def _conn(self, timeout):
        if self.tls:
            return http.client.HTTPSConnection(self.host, self.port, context=self.tls,
                                               timeout=timeout)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, token=None, body=None, json_body=None, headers=None,
                content_type=None, invalid=False, timeout=None, on_sent=None):
        """Send one request and return a Response.

        json_body is serialised; body is sent as-is (bytes or str). invalid=True marks a
        deliberately invalid request: through Prism a rejection by Prism's own request
        validation is then accepted (resp.prism_rejected) instead of failing."""
        hdrs = {"Accept": "application/json"}
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body)
            content_type = content_type or "application/json"
        if isinstance(body, str):
            body = body.encode("utf-8")
        if body is not None:
            hdrs["Content-Type"] = content_type or "application/json"
            hdrs["Content-Length"] = str(len(body))
        elif method in ("POST", "PUT", "PATCH"):
            hdrs["Content-Length"] = "0"
        hdrs.update(headers or {})
        t0 = time.monotonic()
        conn = self._conn(timeout or self.timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.endheaders()
            if body:
                try:
                    conn.send(body)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                    pass  # the server may answer (413) before reading the whole body
            if on_sent:
                on_sent()
            resp = conn.getresponse()
            data = resp.read()
            headers_out = {k.lower(): v for k, v in resp.getheaders()}
            r = Response(resp.status, headers_out, data, method, path, time.monotonic() - t0)
        finally:
            conn.close()
        self._check(r, invalid)
        return r

    def _check(self, r, invalid):
        if self.prism:
            self._check_prism(r, invalid)
            if r.prism_rejected:
                return
        if r.status >= 400:
            self.seen_errors.append(r)
            check_problem_shape(r)

    def _check_prism(self, r, invalid):
        where = f"{r.method} {r.path}"
        violations = []
        raw = r.header("sl-violations")
        if raw:
            try:
                violations = json.loads(raw)
            except ValueError:
                violations = [{"message": raw, "severity": "Error"}]
        body = None
        if r.content_type.startswith(PROBLEM_TYPE) or r.content_type.startswith("application/json"):
            try:
                body = json.loads(r.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                body = None
        ptype = body.get("type", "") if isinstance(body, dict) else ""
        if ptype == PRISM_TYPE + "VIOLATIONS":
            raise AssertionError(f"{where}: response violates etc/openapi.yaml (Prism): "
                                 f"{json.dumps(body.get('validation', body), ensure_ascii=False)}")
        serious = [v for v in violations
                   if str(v.get("severity", "Error")) in ("Error", "Warning", "0", "1")]
        if not r.from_zorgd:
            if invalid and 400 <= r.status < 500:
                r.prism_rejected = True
                self.prism_rejections.append(r)
                return
            raise AssertionError(f"{where}: Prism answered itself ({r.status}) instead of "
                                 f"forwarding a valid request: {r.text[:600]}")
        if serious:
            raise AssertionError(f"{where}: Prism reports spec violations: "
                                 f"{json.dumps(serious, ensure_ascii=False)[:1500]}")


# ---- the test context -----------------------------------------------------------------

class Ctx:
    """What every test gets: clients, cached logins, the database, the fixture."""

    def __init__(self, zorgd, api, direct, via_prism):
        self.zorgd = zorgd
        self.api = api          # staff API: through Prism in --via-prism mode
        self.direct = direct    # always straight to zorgd (TLS, supplier)
        self.via_prism = via_prism
        self._logins = {}
        self._db = None

    # -- sessions
    def login(self, user, password=PASSWORD, **kw):
        return self.api.request("POST", "/api/v1/session",
                                json_body={"username": user, "password": password}, **kw)

    def login_response(self, user):
        """The first (cached) login of a demo user."""
        if user not in self._logins:
            r = self.login(user)
            assert r.status == 201, f"login of {user} failed: {r}"
            self._logins[user] = r
        return self._logins[user]

    def token(self, user):
        return self.login_response(user).json["token"]

    def get(self, user, path, **kw):
        """GET path as user (None: without a token)."""
        tok = self.token(user) if user else None
        return self.api.request("GET", path, token=tok, **kw)

    def get_ok(self, user, path):
        r = self.get(user, path)
        assert r.status == 200, f"{user}: GET {path}: expected 200, got {r.status}: {r.text[:300]}"
        ct = r.content_type.split(";")[0].strip()
        assert ct == "application/json", f"GET {path}: Content-Type {r.content_type!r}"
        return r.json

    # -- database
    @property
    def db(self):
        if self._db is None:
            self._db = self.zorgd.db()
            self._db.isolation_level = None  # autocommit; explicit BEGIN for writes
        return self._db

    def rows(self, sql, *args):
        return self.db.execute(sql, args).fetchall()

    def one(self, sql, *args):
        row = self.db.execute(sql, args).fetchone()
        return row[0] if row else None

    def staff_id(self, user):
        return self.one("SELECT id FROM staff WHERE username = ?", user)

    def tasks(self, user):
        return {r[0] for r in self.rows(
            "SELECT DISTINCT rt.task_code FROM staff_roles sr JOIN role_tasks rt"
            " ON rt.role_id = sr.role_id JOIN staff s ON s.id = sr.staff_id WHERE s.username = ?",
            user)}

    def scope_locations(self, user):
        """Every location id covered by user's scope (the scope roots and their subtrees)."""
        return {r[0] for r in self.rows(
            "SELECT DISTINCT lc.descendant FROM staff_scope sc JOIN staff s ON s.id = sc.staff_id"
            " JOIN location_closure lc ON lc.ancestor = sc.location_id WHERE s.username = ?",
            user)}

    def visible_clients(self, user):
        """Ids of the non-deleted clients user may see, ascending (empty without client.view)."""
        if "client.view" not in self.tasks(user):
            return []
        locs = self.scope_locations(user)
        return [r[0] for r in self.rows("SELECT id, location_id FROM clients WHERE deleted = 0"
                                        " ORDER BY id") if r[1] in locs]

    def out_of_scope_client(self, user):
        locs = self.scope_locations(user)
        for cid, loc in self.rows("SELECT id, location_id FROM clients WHERE deleted = 0 ORDER BY id"):
            if loc not in locs:
                return cid
        return None

    def audit_count(self, **where):
        cond = " AND ".join(f"{k} IS ?" for k in where) or "1"
        return self.one(f"SELECT count(*) FROM audit WHERE {cond}", *where.values())

    def revision(self):
        return self.one("SELECT value FROM revision WHERE id = 1")

    def changes(self, user, since, limit=1000, max_pages=200):
        """Every feed item after since that user gets (following `next`)."""
        items = []
        for _ in range(max_pages):
            page = self.get_ok(user, f"/api/v1/changes?since={since}&limit={limit}")
            if not page["changes"]:
                return items
            items.extend(page["changes"])
            since = page["next"]
        raise AssertionError(f"{user}: the feed did not end after {max_pages} pages")

    # -- home-care technology (docs/hct-api.md)
    def staff_request(self, user, method, path, json_body=None, key=None, **kw):
        """One staff-API request as user (None: no token); key sets Idempotency-Key."""
        headers = dict(kw.pop("headers", None) or {})
        if key is not None:
            headers["Idempotency-Key"] = key
        tok = self.token(user) if user else None
        return self.api.request(method, path, token=tok, json_body=json_body,
                                headers=headers, **kw)

    def device_types(self):
        """product_code -> DeviceType, as the administrator sees them now."""
        return {d["product_code"]: d
                for d in self.get_ok("administrator", "/api/v1/device-types")["device_types"]}

    def device_type_id(self, product_code):
        if not hasattr(self, "_dt_ids"):
            self._dt_ids = {c: d["id"] for c, d in self.device_types().items()}
        assert product_code in self._dt_ids, f"no device type {product_code}: {self._dt_ids}"
        return self._dt_ids[product_code]

    def active_address(self, cid):
        return self.one("SELECT id FROM client_addresses WHERE client_id = ? AND active = 1"
                        " ORDER BY id LIMIT 1", cid)

    def team_of(self, user):
        return self.one("SELECT team_id FROM staff WHERE username = ?", user) or \
            self.one("SELECT min(id) FROM teams WHERE deleted = 0")

    def order_body(self, user, cid, product_code="DOSELL-01", manual=False):
        """A valid order body for client cid placed by user."""
        if manual:
            delivery = {"street": "Dorpsstraat", "house_number": 12, "house_number_ext": "A",
                        "postcode": "9401 AB", "city": "Assen"}
        else:
            delivery = {"address_id": self.active_address(cid)}
        return {"device_type_id": self.device_type_id(product_code), "delivery": delivery,
                "orderer": {"team_id": self.team_of(user), "email": "wijkteam@delinde.example",
                            "phone": "0612345678"}}

    def place_order(self, user, cid, body=None, key=None, **kw):
        """POST /clients/{cid}/hct-orders with a fresh Idempotency-Key unless key is given."""
        body = body if body is not None else self.order_body(user, cid)
        return self.staff_request(user, "POST", f"/api/v1/clients/{cid}/hct-orders", body,
                                  key=key or new_key(), **kw)

    def order(self, user, cid, product_code="DOSELL-01", manual=False):
        """Place an order and return it (201 asserted)."""
        r = self.place_order(user, cid, self.order_body(user, cid, product_code, manual))
        assert r.status == 201, f"{user}: placing an order for client {cid}: {r}"
        return r.json

    def get_order(self, user, oid):
        return self.get_ok(user, f"/api/v1/hct-orders/{oid}")

    def hct_table(self, *columns):
        """The name of the one table having all these columns (the HCT tables' names are not
        part of the contract, their meaning is)."""
        want = set(columns)
        found = []
        for (name,) in self.rows("SELECT name FROM sqlite_master WHERE type = 'table'"):
            cols = {r[1] for r in self.rows(f'PRAGMA table_info("{name}")')}
            if want <= cols:
                found.append(name)
        assert len(found) == 1, f"expected one table with columns {sorted(want)}, found {found}"
        return found[0]

    def order_row(self, oid, expr):
        """One column (or SQL expression over the columns) of order oid's database row."""
        t = self.hct_table("uuid", "supplier_note", "fetched_at")
        return self.one(f'SELECT {expr} FROM "{t}" WHERE id = ?', oid)

    def order_rows(self):
        return self.one('SELECT count(*) FROM "%s"' % self.hct_table("uuid", "supplier_note",
                                                                     "fetched_at"))

    def supplier(self, method, path, json_body=None, body=None, cert="dosell", audited=True):
        """A supplier-API call by curl with cert's client certificate, always straight to
        zorgd (Prism cannot do mutual TLS). Returns a Response; error bodies are checked as
        problem+json. audited: the call must add an audit row with actor_type 'supplier' and
        the certificate's CN."""
        args = ["--cacert", self.zorgd.pem("ca.pem"), "-X", method, "-H", "Accept: application/json"]
        if cert:
            base = cert if "/" in cert else self.zorgd.pem(cert)  # a name in build/pki or a path
            args += ["--cert", f"{base}.pem", "--key", f"{base}.key"]
        if json_body is not None:
            body = json.dumps(json_body)
        if body is not None:
            args += ["-H", "Content-Type: application/json", "--data-binary", body]
        before = self.audit_count(actor_type="supplier") if audited else 0
        rc, status, headers, text = curl([*args, f"https://127.0.0.1:{self.zorgd.port}{path}"])
        assert rc == 0 and status, f"curl {method} {path} as {cert}: exit {rc}: {text[:300]}"
        r = Response(status, headers, text.encode("utf-8"), method, path, 0.0)
        if status >= 400:
            check_problem_shape(r)
        if audited:
            after = self.audit_count(actor_type="supplier")
            assert after > before, f"{method} {path} as {cert} ({status}) was not audited"
            actor = self.one("SELECT actor_id FROM audit WHERE actor_type = 'supplier'"
                             " ORDER BY id DESC LIMIT 1")
            assert actor and actor.startswith(f"{cert.rsplit('/', 1)[-1]}-"), \
                f"{method} {path}: audit actor {actor!r}, not {cert}'s certificate"
        return r

    def supplier_ok(self, method, path, json_body=None, cert="dosell", status=200):
        r = self.supplier(method, path, json_body, cert=cert)
        assert_status(r, status)
        if status == 204:
            assert not r.body.strip(), f"{method} {path}: 204 with a body {r.text[:200]!r}"
            return None
        assert r.content_type.split(";")[0].strip() == "application/json", \
            f"{method} {path}: Content-Type {r.content_type!r}"
        return r.json

    def close(self):
        if self._db is not None:
            self._db.close()
            self._db = None


# ---- assertions -----------------------------------------------------------------------

def assert_status(r, status):
    assert r.status == status, f"{r.method} {r.path}: expected {status}, got {r.status}: {r.text[:400]}"


def assert_problem(r, status, field=None, type_suffix=None):
    """r is a problem+json error with this status (naming `field` in invalid_params).

    Returns the problem, or None when Prism rejected a deliberately invalid request."""
    if r.prism_rejected:
        return None
    assert_status(r, status)
    check_problem_shape(r)
    p = r.json
    if field is not None:
        names = [f.get("name") for f in p.get("invalid_params", [])]
        assert field in names, f"{r.method} {r.path}: invalid_params should name {field!r}: {p}"
    if type_suffix is not None:
        assert p["type"].endswith(type_suffix), f"{r.method} {r.path}: problem type {p['type']!r}"
    return p


def new_key():
    """A fresh Idempotency-Key."""
    return uuid.uuid4().hex


def assert_time(value, what, nullable=False):
    """value is an RFC 3339 UTC time string (or None when nullable)."""
    if nullable and value is None:
        return
    assert isinstance(value, str) and RFC3339_Z.match(value), f"{what}: {value!r} is not RFC 3339 UTC"


def keys_anywhere(obj, key):
    """True when key occurs as an object key anywhere inside obj."""
    if isinstance(obj, dict):
        return key in obj or any(keys_anywhere(v, key) for v in obj.values())
    if isinstance(obj, list):
        return any(keys_anywhere(v, key) for v in obj)
    return False


def curl(args, timeout=30):
    """Run curl; returns (exit status, HTTP status or 0, headers dict, body text)."""
    cmd = ["curl", "-sS", "--max-time", str(int(timeout)), "-D", "-", *args]
    p = subprocess.run(cmd, capture_output=True, timeout=timeout + 10)
    out = p.stdout.decode("utf-8", errors="replace")
    status, headers, body = 0, {}, out
    if "\r\n\r\n" in out:
        head, body = out.split("\r\n\r\n", 1)
        lines = head.split("\r\n")
        m = re.match(r"HTTP/\S+ (\d{3})", lines[0])
        status = int(m.group(1)) if m else 0
        for ln in lines[1:]:
            if ":" in ln:
                k, v = ln.split(":", 1)
                headers[k.strip().lower()] = v.strip()
    if p.returncode:
        body += p.stderr.decode("utf-8", errors="replace")
    return p.returncode, status, headers, body


def tls_handshake(port, ca, min_v=None, max_v=None, ciphers=None, timeout=10):
    """Try a TLS handshake with Python's ssl; returns (version, cipher) or raises."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    if min_v:
        ctx.minimum_version = min_v
    if max_v:
        ctx.maximum_version = max_v
    if ciphers:
        ctx.set_ciphers(ciphers)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
            return t.version(), t.cipher()[0]
