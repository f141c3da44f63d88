"""The access matrix, generated from one table: every operation x every demo user (and no
user) x a subject in and out of the caller's scope.

OPERATIONS below is the table: one row per operation (method and path on the staff API),
with the task it needs and its scope rule. Each row becomes one test that checks all its
cells; a new endpoint joins the matrix by adding a row (test_access_table_covers_every_route
fails until it does). Expected answers follow docs/hct-api.md and the staff API: no token
401; a missing task 403 (checked before the scope, so out of scope too); then the scope rule:

  OPEN    the same answer in and out of scope (locations, teams, staff, device types)
  CLIENT  the object hangs under a client: outside the caller's scope 404
  FILTER  a list: 200, and the subject is listed exactly when it is in scope and the
          caller holds the row's item task
  NONE    no subject (a missing id: 404 for whoever passes the task check)
  CERT    a supplier- or portal-API path (client certificates only): 403 for every staff
          token and for no token

Deleting or starting the use of an OPEN order answers 409 to a caller who passes the checks,
so those cells prove the check without changing anything. The subjects (an OPEN order and a
registration per client) are made once by the administrator."""

import os
import re
from collections import namedtuple

from harness import HCT_TASKS, SUPPLIER_ORDERS, check_problem_shape, new_key

ANON = None
USERS = (ANON, "administrator", "beheerder", "coordinator", "zorgverlener", "support")

# Who holds each task in the demo organisation (the expected side; None: any logged-in user).
HOLDERS = {
    None: {"administrator", "beheerder", "coordinator", "zorgverlener", "support"},
    "staff.view": {"administrator", "beheerder", "coordinator"},
    "client.view": {"administrator", "coordinator", "zorgverlener", "support"},
    "client.bsn.view": {"administrator", "coordinator"},
    "caren.link.view": {"administrator", "coordinator", "zorgverlener", "support"},
    "caren.link.edit": {"administrator", "coordinator"},
    "caren.invite.create": {"administrator", "coordinator"},
    "settings.manage": {"administrator"},
    "caren.message.send": {"administrator", "coordinator"},
    "message.view or caren.message.send": {"administrator", "coordinator", "support"},
    **HCT_TASKS,
}

OPEN, CLIENT, FILTER, NONE, CERT = "open", "client", "filter", "none", "cert"

# name, method, path (placeholders filled from the subject), task, scope rule, status when
# allowed, body (a function of ctx, user and subject, or None), headers (the same), and for
# FILTER rows: the item task and a function telling whether the answer lists the subject.
Op = namedtuple("Op", "name method path task scope ok body headers item_task listed",
                defaults=(None, None, None, None))


def _order_body(ctx, user, s):
    return ctx.order_body(user if user in HOLDERS["hct.order.manage"] else "administrator",
                          s["client"])


def _in_feed(ctx, user, s, r, typ="hct_order", key="order"):
    """The subject's order (or other item) is in the caller's feed since it was made
    (following pages)."""
    page = r.json
    for _ in range(100):
        if any(c["type"] == typ and c["id"] == s[key] for c in page["changes"]):
            return True
        if not page["changes"]:
            return False
        page = ctx.get_ok(user, f"/api/v1/changes?since={page['next']}&limit=1000")
    raise AssertionError("the feed did not end")


OPERATIONS = [
    Op("me", "GET", "/api/v1/me", None, OPEN, 200),
    Op("logout", "DELETE", "/api/v1/session", None, OPEN, 204),
    Op("locations", "GET", "/api/v1/locations", None, OPEN, 200),
    Op("location", "GET", "/api/v1/locations/{location}", None, OPEN, 200),
    Op("teams", "GET", "/api/v1/teams", None, OPEN, 200),
    Op("team", "GET", "/api/v1/teams/{team}", None, OPEN, 200),
    Op("staff", "GET", "/api/v1/staff", "staff.view", OPEN, 200),
    Op("staff member", "GET", "/api/v1/staff/{staff}", "staff.view", OPEN, 200),
    Op("client search", "GET", "/api/v1/clients?q={client_number}&limit=5", "client.view",
       FILTER, 200, item_task="client.view",
       listed=lambda ctx, u, s, r: any(c["id"] == s["client"] for c in r.json["clients"])),
    Op("client by BSN", "GET", "/api/v1/clients?bsn={bsn}", "client.bsn.view", FILTER, 200,
       item_task="client.bsn.view",
       listed=lambda ctx, u, s, r: any(c["id"] == s["client"] for c in r.json["clients"])),
    Op("client", "GET", "/api/v1/clients/{client}", "client.view", CLIENT, 200),
    Op("missing client", "GET", "/api/v1/clients/999999", "client.view", NONE, 404),
    Op("changes", "GET", "/api/v1/changes?since={rev}&limit=1000", None, FILTER, 200,
       item_task="hct.order.view", listed=_in_feed),
    Op("changes (registrations)", "GET", "/api/v1/changes?since={rev}&limit=1000", None,
       FILTER, 200, item_task="hct.client.view",
       listed=lambda ctx, u, s, r: _in_feed(ctx, u, s, r, "hct_registration", "registration")),
    Op("visible", "GET", "/api/v1/visible", None, FILTER, 200, item_task="hct.order.view",
       listed=lambda ctx, u, s, r: s["order"] in r.json["hct_orders"]),
    Op("visible (clients)", "GET", "/api/v1/visible", None, FILTER, 200,
       item_task="client.view", listed=lambda ctx, u, s, r: s["client"] in r.json["clients"]),
    Op("device types", "GET", "/api/v1/device-types", None, OPEN, 200),
    Op("device type settings", "PATCH", "/api/v1/device-types/{dosell}", "hct.settings.edit",
       OPEN, 200, body=lambda ctx, u, s: {"in_use": True}),
    Op("hct overview", "GET", "/api/v1/clients/{client}/hct", "hct.client.view", CLIENT, 200),
    Op("missing hct overview", "GET", "/api/v1/clients/999999/hct", "hct.client.view", NONE, 404),
    Op("place an order", "POST", "/api/v1/clients/{client}/hct-orders", "hct.order.manage",
       CLIENT, 201, body=_order_body, headers=lambda ctx, u, s: {"Idempotency-Key": new_key()}),
    Op("add a registration", "POST", "/api/v1/clients/{client}/hct-registrations",
       "hct.client.edit", CLIENT, 201,
       body=lambda ctx, u, s: {"device_type_id": ctx.device_type_id("TESSA-01"),
                               "serial": "TS-9", "start_date": "2026-03-03"}),
    Op("order", "GET", "/api/v1/hct-orders/{order}", "hct.order.view", CLIENT, 200),
    Op("missing order", "GET", "/api/v1/hct-orders/999999", "hct.order.view", NONE, 404),
    Op("delete an OPEN order", "DELETE", "/api/v1/hct-orders/{order}", "hct.order.delete",
       CLIENT, 409),
    Op("start use of an OPEN order", "POST", "/api/v1/hct-orders/{order}/start-use",
       "hct.client.edit", CLIENT, 409,
       body=lambda ctx, u, s: {"serial": "M-1", "start_date": "2026-03-02"}),
    Op("registration", "GET", "/api/v1/hct-registrations/{registration}", "hct.client.view",
       CLIENT, 200),
    Op("missing registration", "GET", "/api/v1/hct-registrations/999999", "hct.client.view",
       NONE, 404),
    Op("end a registration", "PATCH", "/api/v1/hct-registrations/{registration}",
       "hct.client.edit", CLIENT, 200, body=lambda ctx, u, s: {"end_date": None}),
    # Caren (issue 9). Without an Idempotency-Key a caller who passes the checks gets 400
    # (nothing is made); an unlink without a reason likewise. Invitations are looked up by a
    # missing id: their scope is that of their client (not yet a cell of its own).
    Op("caren summary", "GET", "/api/v1/caren/summary", "caren.link.view", OPEN, 200),
    Op("client caren", "GET", "/api/v1/clients/{client}/caren", "caren.link.view", CLIENT, 200),
    Op("caren invitation", "POST", "/api/v1/clients/{client}/caren-invitations",
       "caren.invite.create", CLIENT, 400, body=lambda ctx, u, s: {}),
    Op("caren letter of a missing invitation", "GET", "/api/v1/caren-invitations/999999/letter",
       "caren.invite.create", NONE, 404),
    Op("revoke a missing invitation", "POST", "/api/v1/caren-invitations/999999/revoke",
       "caren.link.edit", NONE, 404),
    Op("caren unlink", "POST", "/api/v1/clients/{client}/caren-unlink", "caren.link.edit",
       CLIENT, 400, body=lambda ctx, u, s: {}),
    Op("settings", "GET", "/api/v1/settings", "settings.manage", OPEN, 200),
    Op("change no settings", "PATCH", "/api/v1/settings", "settings.manage", OPEN, 200,
       body=lambda ctx, u, s: {}),
    Op("portal activation", "POST", "/v0/portal/activations", None, CERT, 403,
       body=lambda ctx, u, s: {}),
    Op("portal heartbeat", "POST", "/v0/portal/heartbeat", None, CERT, 403,
       body=lambda ctx, u, s: {}),
    Op("portal link end", "POST", "/v0/portal/links/{client}/end", None, CERT, 403,
       body=lambda ctx, u, s: {}),
    # Location messages (issue 10). Sending without an Idempotency-Key is 400 for a caller
    # who passes the checks (nothing is sent); the audience is scoped by its location.
    Op("location messages", "GET", "/api/v1/location-messages",
       "message.view or caren.message.send", OPEN, 200),
    Op("missing location message", "GET", "/api/v1/location-messages/999999",
       "message.view or caren.message.send", NONE, 404),
    Op("recipients of a missing location message", "GET",
       "/api/v1/location-messages/999999/recipients", "message.view or caren.message.send",
       NONE, 404),
    Op("send a location message", "POST", "/api/v1/location-messages", "caren.message.send",
       OPEN, 400, body=lambda ctx, u, s: {"location_id": s["location"], "text": "Hallo"}),
    Op("location message audience", "GET",
       "/api/v1/location-message-audience?location_id={location}", "caren.message.send",
       CLIENT, 200),
    Op("portal messages", "GET", "/v0/portal/messages", None, CERT, 403),
    Op("portal message delivered", "POST", "/v0/portal/messages/999999/delivered", None, CERT,
       403, body=lambda ctx, u, s: {"recipientIds": [1]}),
    Op("supplier ping", "GET", "/ping", None, CERT, 403),
    Op("supplier orders", "GET", SUPPLIER_ORDERS, None, CERT, 403),
    Op("supplier order", "GET", SUPPLIER_ORDERS + "/{order}", None, CERT, 403),
    Op("supplier order status", "PATCH", SUPPLIER_ORDERS + "/{order}/status", None, CERT,
       403, body=lambda ctx, u, s: {"accepted": True}),
    Op("supplier client", "GET", "/v0/caretech/server/clients/{client}", None, CERT, 403),
]
# Routes that are no cell of this matrix: public ones (tested in test_session, test_tls).
NOT_IN_MATRIX = {("GET", "/api/v1/health"), ("POST", "/api/v1/session")}


# ---- subjects -----------------------------------------------------------------------------

def _objects(ctx, cid):
    """An OPEN Dosell order and a registration of client cid (made once, by the administrator),
    with the revision before they were made."""
    cache = ctx.__dict__.setdefault("_access_objects", {})
    if cid not in cache:
        rev = ctx.revision()
        order = ctx.order("administrator", cid)
        r = ctx.staff_request("administrator", "POST", f"/api/v1/clients/{cid}/hct-registrations",
                              {"device_type_id": ctx.device_type_id("COMPAAN-01"), "serial": "CP-7",
                               "start_date": "2026-03-01"})
        assert r.status == 201, f"registration for the matrix: {r}"
        cache[cid] = {"order": order["id"], "registration": r.json["id"], "rev": rev}
    return cache[cid]


def _subject(ctx, user, where):
    """The subject of user's cells in ('in') or out of ('out') their scope; None when there
    is no such client (the administrator's scope is the whole organisation)."""
    cache = ctx.__dict__.setdefault("_access_subjects", {})
    if (user, where) in cache:
        return cache[(user, where)]
    locs = ctx.scope_locations(user) if user else set()
    clients = ctx.rows("SELECT id, location_id, bsn, client_number FROM clients"
                       " WHERE deleted = 0 ORDER BY id")
    mine = [c for c in clients if (c[1] in locs) == (where == "in")]
    if user is None:
        mine = clients if where == "in" else []
    if not mine:
        cache[(user, where)] = None
        return None
    cid, loc, bsn, number = mine[len(mine) // 3]
    all_locs = [r[0] for r in ctx.rows("SELECT id FROM locations WHERE deleted = 0 ORDER BY id")]
    teams = ctx.rows("SELECT id, location_id FROM teams WHERE deleted = 0 ORDER BY id")
    s = {"client": cid, "bsn": bsn, "client_number": number,
         "location": next((l for l in all_locs if (l in locs) == (where == "in")), all_locs[0]),
         "team": next((t for t, tl in teams if (tl in locs) == (where == "in")), teams[0][0]),
         "staff": ctx.staff_id("administrator"), "dosell": ctx.device_type_id("DOSELL-01")}
    s.update(_objects(ctx, cid))
    cache[(user, where)] = s
    return s


# ---- expectation and one cell ---------------------------------------------------------------

def expected(op, user, where):
    """The status the table promises for this cell."""
    if op.scope == CERT:
        return 403
    if user is None:
        return 401
    if user not in HOLDERS[op.task]:
        return 403
    if op.scope == CLIENT and where == "out":
        return 404
    return op.ok


def _cell(ctx, op, user, where, s):
    """Run one cell; None when it holds, else what went wrong."""
    path = op.path.format(**s)
    tok = ctx.token(user) if user else None
    if op.name == "logout" and user:
        fresh = ctx.login(user)
        assert fresh.status == 201, fresh
        tok = fresh.json["token"]
    client = ctx.direct if op.scope == CERT else ctx.api
    r = client.request(op.method, path, token=tok,
                       json_body=op.body(ctx, user, s) if op.body else None,
                       headers=op.headers(ctx, user, s) if op.headers else None,
                       # A row whose allowed answer is 400 sends a deliberately invalid
                       # request (no Idempotency-Key, no reason): Prism may answer it.
                       invalid=user is None or op.ok == 400)
    if r.prism_rejected:
        return None
    want = expected(op, user, where)
    if r.status != want:
        return f"{user or 'anonymous'} {where}: {op.method} {path}: expected {want}, got {r.status}"
    if r.status >= 400:
        check_problem_shape(r)
        if r.status == 409 and not r.json["type"].endswith(":order-state"):
            return f"{user} {where}: 409 of type {r.json['type']}"
    if op.scope == FILTER and r.status == 200:
        listed = op.listed(ctx, user, s, r)
        should = where == "in" and user in HOLDERS[op.item_task]
        if listed != should:
            return (f"{user} {where}: {op.method} {path}: the subject is "
                    f"{'listed' if listed else 'missing'}")
    return None


def _run_row(ctx, op):
    wrong = []
    cells = 0
    for user in USERS:
        for where in ("in", "out"):
            s = _subject(ctx, user, where)
            if s is None:
                continue
            cells += 1
            problem = _cell(ctx, op, user, where, s)
            if problem:
                wrong.append(problem)
    ctx.__dict__["_access_cells"] = ctx.__dict__.get("_access_cells", 0) + cells
    assert not wrong, f"{op.name}: " + "; ".join(wrong)


def _make_test(op):
    def test(ctx):
        _run_row(ctx, op)
    test.__doc__ = f"Access matrix row '{op.name}': {op.method} {op.path} ({op.task or 'no task'}, {op.scope})."
    test.__module__ = __name__
    return test


for _op in OPERATIONS:
    _name = "test_access_" + re.sub(r"[^a-z0-9]+", "_", _op.name.lower()).strip("_")
    globals()[_name] = _make_test(_op)


# ---- the table covers the routes --------------------------------------------------------------

def _route_patterns():
    """(method, pattern) of every route in src/server/routes.c."""
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(os.path.dirname(os.path.dirname(here)), "src", "server", "routes.c")
    with open(src, encoding="utf-8") as fh:
        text = fh.read()
    return set(re.findall(r'\{"([A-Z]+)",\s*"([^"]+)"', text))


def _pattern(path):
    return re.sub(r"\{[a-z_]+\}|999999", "{}", path.split("?", 1)[0])


def test_access_table_covers_every_route(ctx):
    """Every route of zorgd is a row of the table (or a listed public route), and every row
    names a route: a new endpoint joins the matrix by adding a row."""
    routes = _route_patterns()
    rows = {(op.method, _pattern(op.path)) for op in OPERATIONS}
    missing = routes - rows - NOT_IN_MATRIX
    stale = rows - routes
    assert not missing, f"routes without a row in the access table: {sorted(missing)}"
    assert not stale, f"rows naming no route: {sorted(stale)}"
    assert all(op.task in HOLDERS for op in OPERATIONS), "a row names a task without holders"
    cells = sum(1 for _ in OPERATIONS for u in USERS for w in ("in", "out")
                if _subject(ctx, u, w) is not None)
    print(f"# access matrix: {len(OPERATIONS)} operations x {len(USERS)} callers x in/out of "
          f"scope = {cells} cells")
