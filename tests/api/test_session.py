"""Health, login (POST /api/v1/session), logout, tokens, request-level errors."""

import calendar
import http.client
import time

from harness import RFC3339_Z, USERS, assert_problem, assert_status, check_problem_shape

LOGIN = "/api/v1/session"


def test_health(ctx):
    """GET /api/v1/health answers 200 without a token."""
    r = ctx.api.request("GET", "/api/v1/health")
    assert_status(r, 200)
    assert r.json.get("status") == "ok", r.json
    assert isinstance(r.json.get("version"), str) and r.json["version"], r.json


def test_login_success_every_demo_user(ctx):
    """Each demo user logs in with 'demo': 201, a token, expires_at in RFC 3339 UTC."""
    for user in USERS:
        r = ctx.login_response(user)
        assert_status(r, 201)
        assert r.content_type.startswith("application/json"), r.content_type
        body = r.json
        tok = body.get("token")
        assert isinstance(tok, str) and len(tok) >= 32, f"{user}: token {tok!r}"
        exp = body.get("expires_at")
        assert isinstance(exp, str) and RFC3339_Z.match(exp), f"{user}: expires_at {exp!r}"
        when = calendar.timegm(time.strptime(exp[:19], "%Y-%m-%dT%H:%M:%S"))
        assert time.time() < when <= time.time() + 31 * 24 * 3600, f"{user}: expires_at {exp}"
    toks = {ctx.token(u) for u in USERS}
    assert len(toks) == len(USERS), "two logins got the same token"


def test_login_tokens_stored_hashed(ctx):
    """The sessions table holds no bearer token in plain text."""
    for user in USERS:
        tok = ctx.token(user)
        n = ctx.one("SELECT count(*) FROM sessions WHERE token_hash = ? OR token_hash LIKE ?",
                    tok, f"%{tok}%")
        assert n == 0, f"{user}'s token is stored as is"
        n = ctx.one("SELECT count(*) FROM sessions WHERE staff_id = ?", ctx.staff_id(user))
        assert n >= 1, f"no session row for {user}"


def test_login_audited(ctx):
    """A successful login leaves an audit row (session.create, ok, from 127.0.0.1)."""
    ctx.token("administrator")
    n = ctx.audit_count(action="session.create", actor_id=str(ctx.staff_id("administrator")),
                        outcome="ok", remote_addr="127.0.0.1")
    assert n >= 1, "no audit row for the administrator's login"


def test_login_wrong_password(ctx):
    """A wrong password: 401 problem+json, no token."""
    r = ctx.login("support", "not-the-password")
    p = assert_problem(r, 401)
    assert "token" not in p, p


def test_login_unknown_user_same_answer(ctx):
    """An unknown user name gets the same 401 as a wrong password (no user enumeration)."""
    a = ctx.login("niemand", "demo")
    b = ctx.login("beheerder", "wrong")
    pa, pb = assert_problem(a, 401), assert_problem(b, 401)
    assert (pa["type"], pa["title"], pa.get("detail")) == (pb["type"], pb["title"], pb.get("detail")), \
        f"unknown user and wrong password differ: {pa} vs {pb}"


def test_login_missing_fields(ctx):
    """Missing username/password: 400 naming each missing field."""
    r = ctx.api.request("POST", LOGIN, json_body={}, invalid=True)
    p = assert_problem(r, 400, "username")
    if p:
        assert "password" in [f["name"] for f in p["invalid_params"]], p
    r = ctx.api.request("POST", LOGIN, json_body={"username": "coordinator"}, invalid=True)
    assert_problem(r, 400, "password")
    r = ctx.api.request("POST", LOGIN, json_body={"password": "demo"}, invalid=True)
    assert_problem(r, 400, "username")


def test_login_wrong_types(ctx):
    """Fields of the wrong JSON type or empty: 400 naming the field."""
    r = ctx.api.request("POST", LOGIN, json_body={"username": 5, "password": "demo"}, invalid=True)
    assert_problem(r, 400, "username")
    r = ctx.api.request("POST", LOGIN, json_body={"username": "coordinator", "password": ["demo"]},
                        invalid=True)
    assert_problem(r, 400, "password")
    r = ctx.api.request("POST", LOGIN, json_body={"username": "", "password": "demo"}, invalid=True)
    assert_problem(r, 400, "username")


def test_login_unknown_field(ctx):
    """An unknown field: 400 naming it."""
    r = ctx.api.request("POST", LOGIN, invalid=True,
                        json_body={"username": "coordinator", "password": "demo", "remember": True})
    assert_problem(r, 400, "remember")


def test_login_malformed_json(ctx):
    """Malformed JSON, an empty body and trailing garbage: 400."""
    for body in ('{"username": "coordinator", "password": ', "{bad", "",
                 '{"username": "coordinator", "password": "demo"} trailing'):
        r = ctx.api.request("POST", LOGIN, body=body, content_type="application/json",
                            invalid=True)
        assert_problem(r, 400)


def test_login_non_object(ctx):
    """Valid JSON that is not an object: 400."""
    for body in ("[1]", '"coordinator"', "42", "null", '[{"username":"coordinator"}]'):
        r = ctx.api.request("POST", LOGIN, body=body, invalid=True)
        assert_problem(r, 400)


def test_login_accepts_json_with_charset(ctx):
    """application/json; charset=utf-8 is JSON too (login with a fresh session, then out)."""
    r = ctx.api.request("POST", LOGIN, body='{"username":"support","password":"demo"}',
                        content_type="application/json; charset=utf-8")
    assert_status(r, 201)
    tok = r.json["token"]
    assert_status(ctx.api.request("DELETE", LOGIN, token=tok), 204)


def test_login_wrong_content_type(ctx):
    """A JSON body sent as text/plain or form data: 415."""
    for ct in ("text/plain", "application/x-www-form-urlencoded"):
        r = ctx.api.request("POST", LOGIN, body='{"username":"coordinator","password":"demo"}',
                            content_type=ct, invalid=True)
        assert_problem(r, 415)


def test_login_body_too_large(ctx):
    """A body over 1 MiB: 413."""
    body = b'{"username":"coordinator","password":"' + b"a" * (1024 * 1024 + 16) + b'"}'
    r = ctx.api.request("POST", LOGIN, body=body, invalid=True)
    assert_problem(r, 413)
    # Without Content-Length (chunked), the limit holds while reading (direct: Prism would
    # buffer and re-send the body).
    conn = http.client.HTTPSConnection("127.0.0.1", ctx.zorgd.port, context=ctx.zorgd.ssl_context(),
                                       timeout=30 * ctx.scale)
    try:
        chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
        try:
            conn.request("POST", LOGIN, body=chunks, encode_chunked=True,
                         headers={"Content-Type": "application/json",
                                  "Transfer-Encoding": "chunked"})
        except (BrokenPipeError, ConnectionResetError):
            pass
        resp = conn.getresponse()
        assert resp.status == 413, f"chunked body over 1 MiB: {resp.status} {resp.read()[:200]!r}"
        assert resp.getheader("Content-Type", "").startswith("application/problem+json")
    finally:
        conn.close()


def test_login_throttled(ctx):
    """Five failed logins for one user name, then the sixth gets 429 with Retry-After > 0."""
    for i in range(5):
        r = ctx.login("nobody", f"guess-{i}")
        assert_problem(r, 401)
    r = ctx.login("nobody", "guess-5")
    assert_problem(r, 429)
    ra = r.header("retry-after")
    assert ra is not None and ra.strip().isdigit() and int(ra) > 0, f"Retry-After {ra!r}"
    assert int(ra) <= 15 * 60, f"Retry-After {ra} longer than the 15-minute maximum"
    # The lock is per user name: another user still logs in.
    r = ctx.login("coordinator")
    assert_status(r, 201)
    assert_status(ctx.api.request("DELETE", LOGIN, token=r.json["token"]), 204)


def test_logout(ctx):
    """DELETE /api/v1/session: 204, then that token gets 401; other sessions live on."""
    r = ctx.login("support")
    assert_status(r, 201)
    tok = r.json["token"]
    sid = ctx.staff_id("support")
    before = ctx.one("SELECT count(*) FROM sessions WHERE staff_id = ?", sid)
    assert_status(ctx.api.request("GET", "/api/v1/me", token=tok), 200)
    r = ctx.api.request("DELETE", LOGIN, token=tok)
    assert_status(r, 204)
    assert r.body == b"", f"204 with a body: {r.body[:100]!r}"
    after = ctx.one("SELECT count(*) FROM sessions WHERE staff_id = ?", sid)
    assert after == before - 1, f"session rows for support: {before} -> {after}"
    r = ctx.api.request("GET", "/api/v1/me", token=tok)
    assert_problem(r, 401)
    r = ctx.api.request("DELETE", LOGIN, token=tok)
    assert_problem(r, 401)
    assert_status(ctx.get("support", "/api/v1/me"), 200)


def test_missing_token(ctx):
    """No Authorization header: 401 with WWW-Authenticate."""
    r = ctx.api.request("GET", "/api/v1/me", invalid=True)
    assert_problem(r, 401)
    assert r.header("www-authenticate", "").lower().startswith("bearer"), r.headers


def test_garbage_token(ctx):
    """Unknown, short or non-Bearer credentials: 401 with WWW-Authenticate: Bearer."""
    for hdr in ("Bearer " + "x" * 43, "Bearer short", "Basic Y29vcmRpbmF0b3I6ZGVtbw==",
                "Bearer ", "Bearer " + "y" * 300):
        r = ctx.api.request("GET", "/api/v1/me", headers={"Authorization": hdr}, invalid=True)
        if r.prism_rejected:
            continue
        assert_problem(r, 401)
        assert r.header("www-authenticate", "").lower().startswith("bearer"), \
            f"{hdr[:20]}: {r.headers}"


def test_expired_session(ctx):
    """A session whose expiry has passed (set in the database): 401, others unaffected."""
    sid = ctx.staff_id("zorgverlener")
    ctx.token("zorgverlener")
    before = {r[0] for r in ctx.rows("SELECT token_hash FROM sessions WHERE staff_id = ?", sid)}
    r = ctx.login("zorgverlener")
    assert_status(r, 201)
    tok = r.json["token"]
    new = {r[0] for r in ctx.rows("SELECT token_hash FROM sessions WHERE staff_id = ?", sid)} - before
    assert len(new) == 1, f"expected one new session row, got {len(new)}"
    assert_status(ctx.api.request("GET", "/api/v1/me", token=tok), 200)
    ctx.db.execute("UPDATE sessions SET expires_at = ? WHERE token_hash = ?",
                   (int(time.time()) - 5, new.pop()))
    r = ctx.api.request("GET", "/api/v1/me", token=tok)
    assert_problem(r, 401)
    assert r.header("www-authenticate", "").lower().startswith("bearer"), r.headers
    r = ctx.api.request("GET", "/api/v1/clients?limit=1", token=tok)
    assert_problem(r, 401)
    assert_status(ctx.get("zorgverlener", "/api/v1/me"), 200)


def test_method_not_allowed(ctx):
    """A wrong method on a known path: 405 with an Allow header naming the right ones."""
    cases = [("PUT", LOGIN, {"POST", "DELETE"}), ("GET", LOGIN, {"POST", "DELETE"}),
             ("POST", "/api/v1/me", {"GET"}), ("DELETE", "/api/v1/clients/1", {"GET"}),
             ("PATCH", "/api/v1/locations", {"GET"})]
    for method, path, allowed in cases:
        r = ctx.api.request(method, path, token=ctx.token("administrator"), invalid=True)
        if r.prism_rejected:
            continue
        assert_problem(r, 405)
        allow = {m.strip() for m in r.header("allow", "").split(",") if m.strip()}
        assert allow == allowed, f"{method} {path}: Allow {r.header('allow')!r}, want {allowed}"


def test_unknown_path(ctx):
    """An unknown path: 404 problem, with or without a token."""
    for path in ("/api/v1/nope", "/api/v2/clients", "/api/v1/clients/1/extra", "/", "/api"):
        r = ctx.api.request("GET", path, token=ctx.token("administrator"), invalid=True)
        assert_problem(r, 404)
        r = ctx.api.request("GET", path, invalid=True)
        assert_problem(r, 404)


def test_error_headers(ctx):
    """Error responses carry the same security headers as successes."""
    r = ctx.direct.request("GET", "/api/v1/me")
    check_problem_shape(r)
    assert r.header("cache-control") == "no-store", r.headers
    assert r.header("strict-transport-security", "").startswith("max-age="), r.headers



def test_roles_changed_in_the_store_take_effect_with_the_next_request(ctx):
    """Tasks are cached per process (auth_tasks.c) under the authorisation epoch, which
    triggers move on with every change of roles or grants: roles taken away in the database
    (as another instance or an administrator's SQL would) stop working with the very next
    request of a session that stays logged in, and work again once given back."""
    user = "zorgverlener"
    tok = ctx.token(user)
    sid = ctx.staff_id(user)
    cid = ctx.visible_clients(user)[0]
    path = f"/api/v1/clients/{cid}"
    for _ in range(2):  # the second answer comes from the cache
        assert_status(ctx.api.request("GET", path, token=tok), 200)
    roles = ctx.rows("SELECT role_id FROM staff_roles WHERE staff_id = ?", sid)
    assert roles, f"{user} has no roles"
    epoch = ctx.one("SELECT value FROM auth_epoch WHERE id = 1")
    ctx.db.execute("DELETE FROM staff_roles WHERE staff_id = ?", (sid,))
    try:
        assert ctx.one("SELECT value FROM auth_epoch WHERE id = 1") > epoch, \
            "removing roles did not move the authorisation epoch"
        assert_problem(ctx.api.request("GET", path, token=tok), 403)
        me = ctx.api.request("GET", "/api/v1/me", token=tok)
        assert_status(me, 200)
        assert me.json["tasks"] == [], f"tasks after the roles were removed: {me.json['tasks']}"
    finally:
        for (role,) in roles:
            ctx.db.execute("INSERT INTO staff_roles (staff_id, role_id) VALUES (?, ?)",
                           (sid, role))
    assert_status(ctx.api.request("GET", path, token=tok), 200)
