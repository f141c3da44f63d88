"""Ons Cliënt, the Caren portal link (issue 9, SPEC 3.4): the staff API (summary, a client's
page, invitations with Idempotency-Key, the letter as a PDF read back with pdftotext,
revoke, unlink), the settings, the portal API played by curl with the demo `caren`
certificate (build/pki/caren.pem), portal isolation both ways, every portal call audited,
the feed's facts, the activation code never leaving the letter, and the access matrix of
the Caren tasks for the five demo users in and out of scope.

The clients used here come from the middle of the coordinator's scope (the demo's Caren
data sits on the first clients, other modules use the start and the end)."""

import datetime
import json
import re
import subprocess
import tempfile
import uuid
from zoneinfo import ZoneInfo

from harness import USERS, assert_problem, assert_status, check_problem_shape, new_key

CAREN_TASKS = {
    "caren.link.view": {"administrator", "coordinator", "zorgverlener", "support"},
    "caren.link.edit": {"administrator", "coordinator"},
    "caren.invite.create": {"administrator", "coordinator"},
    "settings.manage": {"administrator"},
}
LABELS = {
    "caren.link.view": "Caren-koppelingen en -uitnodigingen [van een cliënt] bekijken",
    "caren.link.edit": "Caren-koppelingen en -uitnodigingen [van een cliënt] bewerken",
    "caren.invite.create": "Carenuitnodigingen [voor een cliënt] aanmaken",
}
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]
ALPHABET = "23456789ACDEFGHJKMNPRTWXY"


def _today():
    return datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def _long_nl(d):
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def _client(ctx, n, user="coordinator"):
    """The n-th client of this module (from the middle of user's scope)."""
    vis = ctx.visible_clients(user)
    return vis[len(vis) // 3 + n]


def _page(ctx, cid, user="coordinator"):
    return ctx.get_ok(user, f"/api/v1/clients/{cid}/caren")


def _invite(ctx, cid, user="coordinator", key=None, status=201):
    r = ctx.staff_request(user, "POST", f"/api/v1/clients/{cid}/caren-invitations", {},
                          key=key or new_key())
    if status is not None:
        assert_status(r, status)
    return r


def _letter(ctx, inv_id, user="coordinator"):
    """(response, pdftotext text or None). Straight to zorgd: Prism's proxy does not pass
    binary bodies through byte for byte."""
    r = ctx.direct.request("GET", f"/api/v1/caren-invitations/{inv_id}/letter",
                           token=ctx.token(user))
    if r.status != 200:
        return r, None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.body)
        f.flush()
        out = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True,
                             timeout=30)
    assert out.returncode == 0, f"pdftotext: {out.stderr[:300]}"
    return r, out.stdout.decode("utf-8")


def _code(text):
    m = re.search(r"^\s*Activeringscode: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\s*$", text, re.M)
    assert m, f"no line 'Activeringscode: CODE' in the letter:\n{text[:800]}"
    return m.group(1)


def _portal(ctx, method, path, body=None, cert="caren", audited=True):
    """A portal call by curl with cert; when audited, it must add an audit row by the portal
    (actor_type 'portal') or, for another certificate, a denied row."""
    before = ctx.one("SELECT max(id) FROM audit") or 0
    r = ctx.supplier(method, path, json_body=body, cert=cert, audited=False)
    if audited:
        rows = ctx.rows("SELECT actor_type, actor_id, action, outcome FROM audit WHERE id > ?",
                        before)
        assert any(a in ("portal", "supplier") and (i or "").startswith(f"{cert}-")
                   for a, i, _, _ in rows), \
            f"{method} {path} as {cert} ({r.status}) not audited: {rows}"
    return r


def _redeem(ctx, code, account=None):
    return _portal(ctx, "POST", "/v0/portal/activations",
                   {"activationCode": code, "accountId": account or f"acc-{uuid.uuid4().hex[:8]}"})


def _heartbeat(ctx):
    r = _portal(ctx, "POST", "/v0/portal/heartbeat")
    assert_status(r, 204)


# ---- tasks and settings --------------------------------------------------------------------


def test_caren_tasks_labels_and_roles(ctx):
    labels = dict(ctx.rows("SELECT code, label_nl FROM tasks WHERE code LIKE 'caren.%'"))
    for code, label in LABELS.items():
        assert labels.get(code) == label, f"{code}: label {labels.get(code)!r}"
    for user in USERS:
        me = set(ctx.get_ok(user, "/api/v1/me")["tasks"])
        for task, users in CAREN_TASKS.items():
            assert (task in me) == (user in users), f"{user}: /me has {task}: {task in me}"


def test_caren_settings(ctx):
    s = ctx.get_ok("administrator", "/api/v1/settings")
    assert set(s) >= {"caren_enabled", "caren_communication", "caren_invitation_days"}, s
    assert s["caren_enabled"] is True and s["caren_invitation_days"] == 42, s
    for user in ("beheerder", "coordinator", "zorgverlener", "support"):
        assert_problem(ctx.get(user, "/api/v1/settings"), 403)
        r = ctx.staff_request(user, "PATCH", "/api/v1/settings", {"caren_enabled": False})
        assert_problem(r, 403)
    for bad in ({"caren_invitation_days": 0}, {"caren_invitation_days": 366},
                {"caren_enabled": "ja"}, {"caren_communication": 1}):
        r = ctx.staff_request("administrator", "PATCH", "/api/v1/settings", bad, invalid=True)
        assert_problem(r, 400, field=next(iter(bad)))
    assert_problem(ctx.staff_request("administrator", "PATCH", "/api/v1/settings",
                                     {"colour": "blue"}, invalid=True), 400)
    before = ctx.audit_count(action="settings.update")
    r = ctx.staff_request("administrator", "PATCH", "/api/v1/settings",
                          {"caren_invitation_days": 30})
    assert_status(r, 200)
    assert r.json["caren_invitation_days"] == 30 and r.json["caren_enabled"] is True, r.json
    assert ctx.audit_count(action="settings.update") == before + 1
    try:
        cid = _client(ctx, 9)
        inv = _invite(ctx, cid).json
        assert inv["valid_until"] == (_today() + datetime.timedelta(days=29)).isoformat(), inv
        assert _page(ctx, cid)["days_left"] == 30
        assert_status(ctx.staff_request("coordinator", "POST",
                                        f"/api/v1/caren-invitations/{inv['id']}/revoke"), 204)
    finally:
        r = ctx.staff_request("administrator", "PATCH", "/api/v1/settings",
                              {"caren_invitation_days": 42})
        assert_status(r, 200)


def test_caren_disabled_means_unknown(ctx):
    cid = _client(ctx, 8)
    try:
        r = ctx.staff_request("administrator", "PATCH", "/api/v1/settings", {"caren_enabled": False})
        assert_status(r, 200)
        assert _page(ctx, cid)["status"] == "UNKNOWN"
        sc = ctx.get_ok("coordinator", "/api/v1/caren/summary")["status_counts"]
        assert sc["ACTIVE"] == sc["INVITED"] == sc["NOT_LINKED"] == 0 and sc["UNKNOWN"] > 0, sc
        assert_problem(_invite(ctx, cid, status=None), 409, type_suffix=":caren-disabled")
        assert_problem(_portal(ctx, "POST", "/v0/portal/heartbeat"), 409,
                       type_suffix=":caren-disabled")
    finally:
        r = ctx.staff_request("administrator", "PATCH", "/api/v1/settings", {"caren_enabled": True})
        assert_status(r, 200)
    _heartbeat(ctx)
    assert _page(ctx, cid)["status"] == "NOT_LINKED"


def test_caren_stale_heartbeat_means_unknown(ctx):
    cid = _client(ctx, 7)
    _heartbeat(ctx)
    assert _page(ctx, cid)["status"] == "NOT_LINKED"
    ctx.db.execute("UPDATE caren_portal SET last_heartbeat = last_heartbeat - 601 WHERE id = 1",
                   ())
    assert _page(ctx, cid)["status"] == "UNKNOWN"
    sc = ctx.get_ok("coordinator", "/api/v1/caren/summary")["status_counts"]
    assert sc["UNKNOWN"] > 0 and sc["ACTIVE"] == 0, sc
    feed = [c for c in ctx.changes("coordinator", ctx.revision() - 5) if c["type"] == "caren_portal"]
    assert feed and feed[-1]["data"]["reachable"] is False, feed
    _heartbeat(ctx)
    assert _page(ctx, cid)["status"] == "NOT_LINKED"


# ---- the dashboard and a client's page ---------------------------------------------------


def test_caren_summary_counts(ctx):
    _heartbeat(ctx)
    for user in ("administrator", "coordinator", "zorgverlener", "support"):
        s = ctx.get_ok(user, "/api/v1/caren/summary")
        assert set(s) == {"linked_clients", "locations", "messages_sent", "status_counts"}, s
        sc = s["status_counts"]
        assert set(sc) == {"ACTIVE", "NOT_LINKED", "INVITED", "UNKNOWN"}, sc
        vis = ctx.visible_clients(user)
        assert sum(sc.values()) == len(vis), f"{user}: {sc} for {len(vis)} clients"
        assert s["linked_clients"] == sc["ACTIVE"] and s["messages_sent"] >= 0, s
        locs = {r[1] for r in ctx.rows("SELECT id, location_id FROM clients WHERE deleted = 0")
                if r[0] in set(vis)}
        assert s["locations"] == len(locs), f"{user}: {s['locations']} locations, want {len(locs)}"
        active = {r[0] for r in ctx.rows("SELECT client_id FROM caren_links WHERE ended_at IS NULL")}
        assert sc["ACTIVE"] == len(active & set(vis)), f"{user}: {sc}"
    sent = ctx.one("SELECT count(*) FROM location_messages WHERE deleted = 0")
    assert ctx.get_ok("administrator", "/api/v1/caren/summary")["messages_sent"] == sent
    demo = ctx.get_ok("coordinator", "/api/v1/caren/summary")["status_counts"]
    assert demo["ACTIVE"] >= 3 and demo["INVITED"] >= 3 and demo["NOT_LINKED"] > 0, demo
    assert_problem(ctx.get("beheerder", "/api/v1/caren/summary"), 403)
    assert_problem(ctx.get(None, "/api/v1/caren/summary", invalid=True), 401)


def test_caren_demo_clients_in_every_status(ctx):
    _heartbeat(ctx)
    states = {r[0] for r in ctx.rows("SELECT state FROM caren_invitations")}
    assert states >= {"OPEN", "REDEEMED", "REVOKED", "EXPIRED"}, states
    ended = ctx.rows("SELECT end_reason FROM caren_links WHERE ended_at IS NOT NULL")
    assert ended and all(r[0] for r in ended), ended
    days = set()
    for (cid,) in ctx.rows("SELECT client_id FROM caren_invitations WHERE state = 'OPEN'"):
        p = _page(ctx, cid, "administrator")
        if p["status"] == "INVITED":
            days.add(p["days_left"])
    assert len(days) >= 3 and 1 in days and 42 in days, days


def test_caren_page_shape_and_errors(ctx):
    _heartbeat(ctx)
    cid = _client(ctx, 0)
    p = _page(ctx, cid)
    assert set(p) == {"status", "days_left", "invitations", "links"}, p
    before = ctx.audit_count(action="caren.read", object_id=str(cid))
    _page(ctx, cid)
    assert ctx.audit_count(action="caren.read", object_id=str(cid)) == before + 1
    assert_problem(ctx.get("coordinator", "/api/v1/clients/99999999/caren"), 404)
    assert_problem(ctx.get("coordinator", "/api/v1/clients/abc/caren", invalid=True), 404)
    out = ctx.out_of_scope_client("coordinator")
    assert_problem(ctx.get("coordinator", f"/api/v1/clients/{out}/caren"), 404)
    assert_problem(ctx.get("beheerder", f"/api/v1/clients/{cid}/caren"), 403)


# ---- the whole life: invite, letter, redeem, unlink, invite, revoke ----------------------


def test_caren_invite_letter_redeem_unlink_revoke(ctx):
    _heartbeat(ctx)
    cid = _client(ctx, 1)
    name = ctx.one("SELECT name FROM clients WHERE id = ?", cid)
    key = new_key()
    r = _invite(ctx, cid, key=key)
    inv = r.json
    assert set(inv) == {"id", "valid_until", "state"} and inv["state"] == "OPEN", inv
    last = _today() + datetime.timedelta(days=41)
    assert inv["valid_until"] == last.isoformat(), inv
    assert r.header("location") == f"/api/v1/caren-invitations/{inv['id']}"
    again = _invite(ctx, cid, key=key)
    assert again.body == r.body, "a replay must answer the stored response"
    assert_problem(_invite(ctx, _client(ctx, 2), key=key, status=None), 422,
                   type_suffix=":idempotency-key-reused")
    assert_problem(_invite(ctx, cid, status=None), 409, type_suffix=":caren-invitation-open")
    assert_problem(ctx.staff_request("coordinator", "POST",
                                     f"/api/v1/clients/{cid}/caren-invitations", {},
                                     invalid=True), 400,
                   field="Idempotency-Key")
    p = _page(ctx, cid)
    assert p["status"] == "INVITED" and p["days_left"] == 42, p
    assert p["invitations"][0]["state"] == "OPEN" and p["invitations"][0]["created_by"]

    lr, text = _letter(ctx, inv["id"])
    assert lr.content_type == "application/pdf", lr.content_type
    assert lr.body.startswith(b"%PDF-"), lr.body[:10]
    assert "attachment" in (lr.header("content-disposition") or "")
    assert lr.header("cache-control") == "no-store"
    code = _code(text)
    assert all(ch in ALPHABET for ch in code.replace("-", "")), code
    flat = " ".join(text.split())
    assert name in flat, f"client name {name!r} not in the letter"
    assert f"geldig tot en met {_long_nl(last)}" in flat, flat[:600]

    red = _redeem(ctx, code.lower().replace("-", " "))
    assert_status(red, 201)
    obj = red.json["clientObjectId"]
    assert re.fullmatch(r"[0-9a-f-]{36}", obj), obj
    p = _page(ctx, cid)
    assert p["status"] == "ACTIVE" and p["days_left"] is None, p
    assert p["invitations"][0]["state"] == "REDEEMED" and p["links"][0]["ended_at"] is None, p
    assert_problem(_redeem(ctx, code), 409, type_suffix=":activation-code-used")
    assert_problem(_letter(ctx, inv["id"])[0], 409, type_suffix=":caren-invitation-not-open")
    assert_problem(_invite(ctx, cid, status=None), 409, type_suffix=":caren-link-active")

    url = f"/api/v1/clients/{cid}/caren-unlink"
    for bad in ({}, {"reason": ""}, {"reason": "x" * 501}):
        assert_problem(ctx.staff_request("coordinator", "POST", url, bad, invalid=True), 400,
                       field="reason")
    assert_problem(ctx.staff_request("support", "POST", url, {"reason": "mag niet"}), 403)
    assert_status(ctx.staff_request("coordinator", "POST", url, {"reason": "Nieuw account"}), 204)
    assert_problem(ctx.staff_request("coordinator", "POST", url, {"reason": "nogmaals"}), 409,
                   type_suffix=":caren-no-link")
    p = _page(ctx, cid)
    link = p["links"][0]
    assert p["status"] == "NOT_LINKED" and link["end_reason"] == "Nieuw account", p
    assert link["ended_by"] == ctx.one("SELECT name FROM staff WHERE username = 'coordinator'")
    assert_problem(_portal(ctx, "POST", f"/v0/portal/links/{obj}/end"), 409,
                   type_suffix=":caren-link-ended")

    inv2 = _invite(ctx, cid).json
    _, text2 = _letter(ctx, inv2["id"])
    code2 = _code(text2)
    assert code2 != code
    rv = f"/api/v1/caren-invitations/{inv2['id']}/revoke"
    assert_problem(ctx.staff_request("support", "POST", rv), 403)
    assert_status(ctx.staff_request("coordinator", "POST", rv), 204)
    assert_problem(ctx.staff_request("coordinator", "POST", rv), 409,
                   type_suffix=":caren-invitation-not-open")
    assert_problem(_redeem(ctx, code2), 410, type_suffix=":activation-code-revoked")
    p = _page(ctx, cid)
    assert p["status"] == "NOT_LINKED" and [i["state"] for i in p["invitations"][:2]] == \
        ["REVOKED", "REDEEMED"], p
    assert len(p["links"]) == 1, "history is never deleted"
    assert_problem(ctx.staff_request("coordinator", "POST",
                                     "/api/v1/caren-invitations/99999999/revoke"), 404)
    assert_problem(ctx.get("coordinator", "/api/v1/caren-invitations/99999999/letter"), 404)


def test_caren_redeem_refusals(ctx):
    _heartbeat(ctx)
    assert_problem(_redeem(ctx, "K7HM-4DXT-9RCW"), 404, type_suffix=":activation-code-unknown")
    assert_problem(_redeem(ctx, "0000-1111-OOOO"), 400, field="activationCode")
    assert_problem(_portal(ctx, "POST", "/v0/portal/activations", {"activationCode": "K7HM"}),
                   400)
    assert_problem(_portal(ctx, "POST", "/v0/portal/activations",
                           {"activationCode": "K7HM-4DXT-9RCW", "accountId": "a", "x": 1}), 400)
    cid = _client(ctx, 3)
    inv = _invite(ctx, cid).json
    _, text = _letter(ctx, inv["id"])
    code = _code(text)
    yesterday = (_today() - datetime.timedelta(days=1)).isoformat()
    ctx.db.execute("UPDATE caren_invitations SET valid_until = ? WHERE id = ?",
                   (yesterday, inv["id"]))
    assert_problem(_redeem(ctx, code), 410, type_suffix=":activation-code-expired")
    p = _page(ctx, cid)
    assert p["status"] == "NOT_LINKED" and p["invitations"][0]["state"] == "EXPIRED", p
    assert_problem(_redeem(ctx, code), 410, type_suffix=":activation-code-expired")
    denied = ctx.rows("SELECT detail FROM audit WHERE action = 'caren.activation'"
                      " AND outcome = 'denied'")
    assert {"unknown", "expired"} <= {d for (d,) in denied}, denied


def test_caren_portal_ends_link(ctx):
    _heartbeat(ctx)
    cid = _client(ctx, 4)
    inv = _invite(ctx, cid).json
    obj = _redeem(ctx, _code(_letter(ctx, inv["id"])[1])).json["clientObjectId"]
    assert_status(_portal(ctx, "POST", f"/v0/portal/links/{obj}/end"), 204)
    p = _page(ctx, cid)
    assert p["status"] == "NOT_LINKED" and p["links"][0]["ended_by"] == "Caren", p
    assert_problem(_portal(ctx, "POST", f"/v0/portal/links/{obj}/end"), 409)
    assert_problem(_portal(ctx, "POST", f"/v0/portal/links/{uuid.uuid4()}/end"), 404)


def test_caren_portal_isolation(ctx):
    # A supplier's certificate is refused on the portal API, and audited.
    for path, body in (("/v0/portal/heartbeat", None),
                       ("/v0/portal/activations", {"activationCode": "K7HM-4DXT-9RCW",
                                                   "accountId": "a"}),
                       (f"/v0/portal/links/{uuid.uuid4()}/end", None)):
        assert_problem(_portal(ctx, "POST", path, body, cert="dosell"), 403,
                       type_suffix=":not-portal")
        assert_problem(_portal(ctx, "POST", path, body, cert=None, audited=False), 403,
                       type_suffix=":no-client-certificate")
        r = ctx.direct.request("POST", path, token=ctx.token("administrator"), json_body=body)
        assert_problem(r, 403)
    # The portal's certificate is refused on the supplier API, and audited.
    for path in ("/ping", "/v0/caretech/server/orders", "/v0/caretech/server/clients/1"):
        assert_problem(_portal(ctx, "GET", path), 403, type_suffix=":not-supplier")
    # The portal's certificate opens no staff endpoint.
    assert_problem(ctx.supplier("GET", "/api/v1/caren/summary", cert="caren", audited=False), 401)


def test_caren_code_never_leaks(ctx):
    _heartbeat(ctx)
    cid = _client(ctx, 5)
    since = ctx.revision()
    inv = _invite(ctx, cid).json
    code = _code(_letter(ctx, inv["id"])[1])
    bare = code.replace("-", "")
    hits = lambda text: code in text or bare in text  # noqa: E731
    feed = json.dumps(ctx.changes("coordinator", since))
    assert '"caren"' in feed and not hits(feed), "the code is in the feed"
    for path in (f"/api/v1/clients/{cid}/caren", "/api/v1/caren/summary",
                 f"/api/v1/clients?q={cid}", "/api/v1/changes?since=0&limit=500"):
        assert not hits(ctx.get("coordinator", path).text), f"the code is in {path}"
    audit = json.dumps(ctx.rows("SELECT * FROM audit WHERE id > (SELECT max(id) - 200 FROM audit)"))
    assert not hits(audit), "the code is in the audit"
    row = ctx.rows("SELECT code_hash, code_sealed FROM caren_invitations WHERE id = ?", inv["id"])
    assert not hits(json.dumps(row)), "the code is stored in the clear"
    with open(ctx.zorgd.log_path, encoding="utf-8", errors="replace") as f:
        assert not hits(f.read()), "the code is in the server log"
    _redeem(ctx, code)
    assert ctx.one("SELECT code_sealed FROM caren_invitations WHERE id = ?", inv["id"]) is None


def test_caren_feed_facts(ctx):
    _heartbeat(ctx)
    cid = _client(ctx, 6)
    since = ctx.revision()
    inv = _invite(ctx, cid).json
    for user in USERS:
        items = [c for c in ctx.changes(user, since) if c["type"] == "caren" and c["id"] == cid]
        want = user in CAREN_TASKS["caren.link.view"] and cid in ctx.visible_clients(user)
        assert bool(items) == want, f"{user}: caren fact of client {cid}: {items}"
        if items:
            d = items[-1]["data"]
            assert d == {"id": cid, "client_id": cid, "link_active": False,
                         "invitation_valid_until": inv["valid_until"]}, d
    assert_status(ctx.staff_request("coordinator", "POST",
                                    f"/api/v1/caren-invitations/{inv['id']}/revoke"), 204)
    items = [c for c in ctx.changes("coordinator", since) if c["type"] == "caren"]
    assert items[-1]["data"]["invitation_valid_until"] is None, items[-1]


# ---- the access matrix -------------------------------------------------------------------


def _matrix_rows(ctx, user):
    """(label, method, path, body, headers, expected status) for a client in and out of the
    user's scope. The invitation rows run against clients with an OPEN invitation made by
    the administrator, so a permitted revoke or unlink answers 409 and changes nothing
    for the next user... except revoke, whose 204 is counted: each user gets fresh ones."""
    def task(code, ok, in_scope=True):
        if not user:
            return 401
        if user not in CAREN_TASKS[code]:
            return 403
        return ok if in_scope else 404

    viewer = user if user in ("coordinator", "zorgverlener") else "administrator"
    vis = ctx.visible_clients(viewer)
    locs = ctx.scope_locations(user) if user else set()
    out = [c for c, loc in ctx.rows("SELECT id, location_id FROM clients WHERE deleted = 0"
                                    " ORDER BY id DESC") if loc not in locs]
    subjects = {"in scope": vis[len(vis) // 2 + 1 + USERS.index(user or "administrator")],
                "out of scope": out[USERS.index(user or "administrator")] if out else None}
    rows = [("summary", "GET", "/api/v1/caren/summary", None, None,
             task("caren.link.view", 200)),
            ("settings", "GET", "/api/v1/settings", None, None, task("settings.manage", 200))]
    for where, cid in subjects.items():
        if cid is None:
            continue
        ins = where == "in scope"
        for r in ctx.rows("SELECT id FROM caren_invitations WHERE client_id = ? AND state = 'OPEN'",
                          cid):
            ctx.staff_request("administrator", "POST", f"/api/v1/caren-invitations/{r[0]}/revoke")
        inv = _invite(ctx, cid, user="administrator").json["id"]
        rows += [
            (f"page {where}", "GET", f"/api/v1/clients/{cid}/caren", None, None,
             task("caren.link.view", 200, ins)),
            (f"invite {where}", "POST", f"/api/v1/clients/{cid}/caren-invitations", {},
             {"Idempotency-Key": new_key()}, task("caren.invite.create", 409, ins)),
            (f"letter {where}", "GET", f"/api/v1/caren-invitations/{inv}/letter", None, None,
             task("caren.invite.create", 200, ins)),
            (f"unlink {where}", "POST", f"/api/v1/clients/{cid}/caren-unlink",
             {"reason": "matrix"}, None, task("caren.link.edit", 409, ins)),
            (f"revoke {where}", "POST", f"/api/v1/caren-invitations/{inv}/revoke", None, None,
             task("caren.link.edit", 204, ins)),
        ]
    return rows


def _run_matrix(ctx, user):
    _heartbeat(ctx)
    tok = ctx.token(user) if user else None
    wrong = []
    for label, method, path, body, headers, want in _matrix_rows(ctx, user):
        r = ctx.api.request(method, path, token=tok, json_body=body, headers=headers,
                            invalid=user is None)
        if r.prism_rejected:
            continue
        if r.status != want:
            wrong.append(f"{label} ({method} {path}): expected {want}, got {r.status}")
        elif r.status >= 400:
            check_problem_shape(r)
    assert not wrong, f"{user or 'anonymous'}: " + "; ".join(wrong)


def test_caren_matrix_anonymous(ctx):
    _run_matrix(ctx, None)


def test_caren_matrix_administrator(ctx):
    _run_matrix(ctx, "administrator")


def test_caren_matrix_beheerder(ctx):
    _run_matrix(ctx, "beheerder")


def test_caren_matrix_coordinator(ctx):
    _run_matrix(ctx, "coordinator")


def test_caren_matrix_zorgverlener(ctx):
    _run_matrix(ctx, "zorgverlener")


def test_caren_matrix_support(ctx):
    _run_matrix(ctx, "support")

