"""TLS: versions 1.2 and 1.3 only, AEAD ciphers only, security headers. Always direct."""

import ssl

from harness import curl, tls_handshake


def _url(ctx, path="/api/v1/health"):
    return f"https://127.0.0.1:{ctx.zorgd.port}{path}"


def test_tls_old_versions_refused(ctx):
    """A handshake offering at most TLS 1.1 is refused (curl --tlsv1.0 --tls-max 1.1)."""
    # SECLEVEL=0 lets the client really offer TLS 1.0/1.1: the refusal must be the server's.
    rc, status, _, out = curl(["--tlsv1.0", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0",
                               "--cacert", ctx.zorgd.pem("ca.pem"), _url(ctx)])
    assert rc != 0 and status == 0, f"TLS <= 1.1 was accepted (curl {rc}, HTTP {status})"


def test_tls_12_and_13_accepted(ctx):
    """TLS 1.2 and TLS 1.3 handshakes succeed and serve the API."""
    for args in (["--tlsv1.2", "--tls-max", "1.2"], ["--tlsv1.3", "--tls-max", "1.3"]):
        rc, status, _, out = curl([*args, "--cacert", ctx.zorgd.pem("ca.pem"), _url(ctx)])
        assert rc == 0 and status == 200, f"curl {' '.join(args)}: exit {rc}, HTTP {status}: {out[:200]}"
    ca = ctx.zorgd.pem("ca.pem")
    v12 = tls_handshake(ctx.zorgd.port, ca, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2)
    v13 = tls_handshake(ctx.zorgd.port, ca, ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_3)
    assert v12[0] == "TLSv1.2" and v13[0] == "TLSv1.3", (v12, v13)


def test_tls12_aead_only(ctx):
    """TLS 1.2 negotiates an AEAD cipher, and a client offering only CBC ciphers is refused."""
    ca = ctx.zorgd.pem("ca.pem")
    version, cipher = tls_handshake(ctx.zorgd.port, ca, ssl.TLSVersion.TLSv1_2,
                                    ssl.TLSVersion.TLSv1_2)
    assert "GCM" in cipher or "CHACHA20" in cipher, f"TLS 1.2 cipher {cipher} is not AEAD"
    try:
        got = tls_handshake(ctx.zorgd.port, ca, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2,
                            ciphers="ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:"
                                    "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA")
    except (ssl.SSLError, ConnectionError, OSError):
        return
    raise AssertionError(f"a CBC-only client was accepted: {got}")


def test_server_certificate_from_dev_ca(ctx):
    """The server certificate verifies against the development CA for 127.0.0.1."""
    rc, status, _, out = curl(["--cacert", ctx.zorgd.pem("ca.pem"), _url(ctx)])
    assert rc == 0 and status == 200, out[:200]
    rc, status, _, _ = curl(["--cacert", ctx.zorgd.pem("rogue-ca.pem"), _url(ctx)])
    assert rc != 0, "the server certificate verified against an unrelated CA"


def test_security_headers(ctx):
    """Responses carry Strict-Transport-Security and Cache-Control: no-store."""
    checks = [ctx.direct.request("GET", "/api/v1/health"),
              ctx.direct.request("GET", "/api/v1/me", token=ctx.token("support")),
              ctx.direct.request("GET", "/api/v1/clients?limit=1", token=ctx.token("support")),
              ctx.direct.request("GET", "/api/v1/nope")]
    for r in checks:
        hsts = r.header("strict-transport-security", "")
        assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 15552000, \
            f"{r.path}: Strict-Transport-Security {hsts!r}"
        assert r.header("cache-control") == "no-store", f"{r.path}: Cache-Control {r.header('cache-control')!r}"
        assert r.header("x-content-type-options") == "nosniff", f"{r.path}: {r.headers}"
