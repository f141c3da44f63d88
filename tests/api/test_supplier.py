"""The supplier's view: GET /ping with a client certificate, through curl, always direct."""

import json

from harness import curl


def _ping(ctx, cert=None, path="/ping", extra=()):
    args = ["--cacert", ctx.zorgd.pem("ca.pem"), *extra]
    if cert:
        args += ["--cert", ctx.zorgd.pem(f"{cert}.pem"), "--key", ctx.zorgd.pem(f"{cert}.key")]
    return curl([*args, f"https://127.0.0.1:{ctx.zorgd.port}{path}"])


def _problem(status, headers, body, want):
    assert status == want, f"expected {want}, got {status}: {body[:200]}"
    assert headers.get("content-type", "").startswith("application/problem+json"), headers
    p = json.loads(body)
    assert p.get("status") == want and p.get("type") and p.get("title"), p
    return p


def test_ping_with_supplier_certificate(ctx):
    """dosell's certificate: 200 with connector 'dosell'; audited as the supplier."""
    before = ctx.audit_count(action="supplier.ping", actor_type="supplier")
    rc, status, headers, body = _ping(ctx, "dosell")
    assert rc == 0 and status == 200, f"curl {rc}, HTTP {status}: {body[:300]}"
    got = json.loads(body)
    assert got.get("connector") == "dosell", got
    assert headers.get("cache-control") == "no-store", headers
    assert ctx.audit_count(action="supplier.ping", actor_type="supplier") == before + 1
    actor = ctx.one("SELECT actor_id FROM audit WHERE action = 'supplier.ping' ORDER BY id DESC LIMIT 1")
    assert actor and actor.startswith("dosell-"), f"audit actor {actor!r}"


def test_ping_other_supplier(ctx):
    """nedap_luna's certificate: connector 'nedap_luna'."""
    rc, status, _, body = _ping(ctx, "nedap_luna")
    assert rc == 0 and status == 200, f"curl {rc}, HTTP {status}: {body[:300]}"
    assert json.loads(body).get("connector") == "nedap_luna", body


def test_ping_without_certificate(ctx):
    """No client certificate: 403 problem+json."""
    rc, status, headers, body = _ping(ctx)
    assert rc == 0, f"curl failed: {body[:200]}"
    _problem(status, headers, body, 403)


def test_ping_with_staff_token_only(ctx):
    """A staff token is no supplier identity: 403."""
    rc, status, headers, body = _ping(ctx, extra=["-H", f"Authorization: Bearer {ctx.token('administrator')}"])
    _problem(status, headers, body, 403)


def test_ping_with_untrusted_certificate(ctx):
    """A certificate from an untrusted CA: 403 or a refused handshake."""
    rc, status, headers, body = _ping(ctx, "rogue")
    if rc != 0:
        assert status == 0, f"curl {rc} with HTTP {status}"
        return
    _problem(status, headers, body, 403)


def test_supplier_certificate_is_no_staff_login(ctx):
    """A supplier certificate does not open the staff API: 401 without a token."""
    for path in ("/api/v1/me", "/api/v1/clients"):
        rc, status, headers, body = _ping(ctx, "dosell", path=path)
        _problem(status, headers, body, 401)
