"""The HCT access matrix: the five client-level tasks (hct.client.view, hct.client.edit,
hct.order.manage, hct.order.view, hct.order.delete) and the settings task x every demo user
(and no user) x every HCT endpoint, for a client in and out of the caller's scope.

Expected statuses follow docs/hct-api.md: a missing task is 403 (out of scope too: the task
is checked first), a client outside the scope 404, no token 401. Deleting or starting the use
of an OPEN order answers 409 to a caller who passes the check, so those rows prove the check
without changing anything. The subjects (an OPEN order and a registration per client) are
made once by the administrator."""

from harness import HCT_TASKS, SUPPLIER_ORDERS, check_problem_shape, new_key

ANON = None


def _last_out_of_scope(ctx, user):
    locs = ctx.scope_locations(user)
    out = [cid for cid, loc in ctx.rows("SELECT id, location_id FROM clients WHERE deleted = 0"
                                        " ORDER BY id") if loc not in locs]
    return out[-1] if out else None


def _objects(ctx, cid):
    """An OPEN Dosell order and a registration of client cid (made once, by the administrator)."""
    cache = ctx.__dict__.setdefault("_hct_matrix", {})
    if cid not in cache:
        rev = ctx.revision()
        order = ctx.order("administrator", cid)
        r = ctx.staff_request("administrator", "POST", f"/api/v1/clients/{cid}/hct-registrations",
                              {"device_type_id": ctx.device_type_id("COMPAAN-01"), "serial": "CP-7",
                               "start_date": "2026-03-01"})
        assert r.status == 201, f"registration for the matrix: {r}"
        cache[cid] = {"client": cid, "order": order["id"], "registration": r.json["id"], "rev": rev}
    return cache[cid]


def _subjects(ctx, user):
    viewer = user if user in HCT_TASKS["hct.client.view"] else "administrator"
    visible = ctx.visible_clients(viewer)
    s = {"in": _objects(ctx, visible[len(visible) // 2]), "out": None,
         "dosell": ctx.device_type_id("DOSELL-01")}
    out = _last_out_of_scope(ctx, user) if user else None
    if out is not None:
        s["out"] = _objects(ctx, out)
    return s


def _rows(ctx, user, s):
    """(label, method, path, body, headers, expected status)."""
    logged_in = 200 if user else 401

    def task(code, ok=200, in_scope=True):
        if not user:
            return 401
        if user not in HCT_TASKS[code]:
            return 403
        return ok if in_scope else 404

    rows = [
        ("device types", "GET", "/api/v1/device-types", None, None, logged_in),
        ("device type settings", "PATCH", f"/api/v1/device-types/{s['dosell']}", {"in_use": True},
         None, task("hct.settings.edit")),
        ("overview of a missing client", "GET", "/api/v1/clients/999999/hct", None, None,
         task("hct.client.view", 404)),
        ("missing order", "GET", "/api/v1/hct-orders/999999", None, None, task("hct.order.view", 404)),
        ("missing registration", "GET", "/api/v1/hct-registrations/999999", None, None,
         task("hct.client.view", 404)),
    ]
    for where, o in (("in scope", s["in"]), ("out of scope", s["out"])):
        if o is None:
            continue
        ins = where == "in scope"
        c, oid, rid = o["client"], o["order"], o["registration"]
        rows += [
            (f"overview {where}", "GET", f"/api/v1/clients/{c}/hct", None, None,
             task("hct.client.view", 200, ins)),
            (f"place an order {where}", "POST", f"/api/v1/clients/{c}/hct-orders",
             ctx.order_body("administrator", c), {"Idempotency-Key": new_key()},
             task("hct.order.manage", 201, ins)),
            (f"order {where}", "GET", f"/api/v1/hct-orders/{oid}", None, None,
             task("hct.order.view", 200, ins)),
            (f"delete an OPEN order {where}", "DELETE", f"/api/v1/hct-orders/{oid}", None, None,
             task("hct.order.delete", 409, ins)),
            (f"start use of an OPEN order {where}", "POST", f"/api/v1/hct-orders/{oid}/start-use",
             {"serial": "M-1", "start_date": "2026-03-02"}, None, task("hct.client.edit", 409, ins)),
            (f"add a registration {where}", "POST", f"/api/v1/clients/{c}/hct-registrations",
             {"device_type_id": ctx.device_type_id("TESSA-01"), "serial": "TS-9",
              "start_date": "2026-03-03"}, None, task("hct.client.edit", 201, ins)),
            (f"registration {where}", "GET", f"/api/v1/hct-registrations/{rid}", None, None,
             task("hct.client.view", 200, ins)),
            (f"end a registration {where}", "PATCH", f"/api/v1/hct-registrations/{rid}",
             {"end_date": None}, None, task("hct.client.edit", 200, ins)),
        ]
    return rows


def _run_matrix(ctx, user):
    s = _subjects(ctx, user)
    tok = ctx.token(user) if user else None
    wrong = []
    for label, method, path, body, headers, want in _rows(ctx, user, s):
        r = ctx.api.request(method, path, token=tok, json_body=body, headers=headers,
                            invalid=user is None)
        if r.prism_rejected:
            continue
        if r.status != want:
            wrong.append(f"{label} ({method} {path}): expected {want}, got {r.status}")
            continue
        if r.status >= 400:
            check_problem_shape(r)
            if r.status == 409 and not r.json["type"].endswith(":order-state"):
                wrong.append(f"{label}: 409 of type {r.json['type']}")
    # The feed follows the same rules: the in-scope client's order and registration reach
    # exactly the users with the task; the out-of-scope client's never.
    if user:
        since = min(o["rev"] for o in (s["in"], s["out"]) if o)
        feed = {(c["type"], c["id"]) for c in ctx.changes(user, since)}
        for where, o in (("in scope", s["in"]), ("out of scope", s["out"])):
            if o is None:
                continue
            for typ, oid, code in (("hct_order", o["order"], "hct.order.view"),
                                   ("hct_registration", o["registration"], "hct.client.view")):
                want = where == "in scope" and user in HCT_TASKS[code]
                if ((typ, oid) in feed) != want:
                    wrong.append(f"feed: {typ} {oid} ({where}) {'missing' if want else 'present'}")
    # The supplier API is for certificates only: a staff token does not open it.
    r = ctx.direct.request("GET", SUPPLIER_ORDERS, token=tok)
    if r.status != 403:
        wrong.append(f"supplier orders with a staff token: expected 403, got {r.status}")
    assert not wrong, f"{user or 'anonymous'}: " + "; ".join(wrong)


def test_hct_matrix_anonymous(ctx):
    """No token: 401 on every HCT endpoint."""
    _run_matrix(ctx, ANON)


def test_hct_matrix_administrator(ctx):
    """administrator: every HCT task, whole organisation."""
    _run_matrix(ctx, "administrator")


def test_hct_matrix_beheerder(ctx):
    """beheerder: device settings yes, every client-level HCT endpoint 403."""
    _run_matrix(ctx, "beheerder")


def test_hct_matrix_coordinator(ctx):
    """coordinator (casemanager, one region): orders, deletes, starts use in the region; 404
    outside; no device settings."""
    _run_matrix(ctx, "coordinator")


def test_hct_matrix_zorgverlener(ctx):
    """zorgverlener (one team): sees cards of the team's clients; no order, edit or delete."""
    _run_matrix(ctx, "zorgverlener")


def test_hct_matrix_support(ctx):
    """support (read-only, whole organisation): sees cards and orders; changes nothing."""
    _run_matrix(ctx, "support")
