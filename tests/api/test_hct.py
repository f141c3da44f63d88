"""Home-care technology, staff side (docs/hct-api.md): the device catalogue and its settings,
a client's overview, placing orders (every validation error, idempotency), deleting, start of
use, registrations, the change feed and the audit trail.

Every state-changing test places its own orders on its own client; the demo orders are only
read. The supplier's part of a test (accept, decline) goes by curl with its certificate."""

import copy
import datetime
import time

from harness import (HCT_TASKS, SUPPLIER_ORDERS, USERS, assert_problem, assert_status,
                     assert_time, keys_anywhere, new_key)

DEVICE_TYPE_KEYS = {"id", "name", "product_code", "supplier", "in_use", "ordering"}
REGISTRATION_KEYS = {"id", "client_id", "device_type_id", "device_type_name", "serial",
                     "start_date", "end_date", "order_id"}
ORDER_KEYS = {"id", "uuid", "client_id", "device_type_id", "device_type_name", "supplier_name",
              "status", "created_at", "updated_at", "fetched_at", "accepted_at", "declined_at",
              "completed_at", "delivery", "orderer", "order_number", "supplier_note",
              "tracking_url", "device_identification_number", "registration_id"}
ORDER_TIMES = ("created_at", "updated_at", "fetched_at", "accepted_at", "declined_at",
               "completed_at")
DELIVERY_KEYS = {"type", "address_id", "street", "house_number", "house_number_ext", "postcode",
                 "city"}
ORDERER_KEYS = {"staff_id", "name", "team_id", "team_name", "email", "phone"}
STATUSES = ("OPEN", "DECLINED", "ACCEPTED", "COMPLETED")

# The demo catalogue: name -> (product_code, supplier connector or None, in_use, ordering).
CATALOGUE = {
    "Dosell": ("DOSELL-01", "dosell", True, True),
    "Nedap Luna": ("LUNA-01", "nedap_luna", True, True),
    "Medido": ("MEDIDO-01", "medido", True, False),
    "Compaan": ("COMPAAN-01", "compaan", True, False),
    "Tessa": ("TESSA-01", None, True, False),
    "Sensara": ("SENSARA-01", None, True, False),
    "Spencer": ("SPENCER-01", None, False, False),
}
SUPPLIERS = {"dosell": "Dosell", "nedap_luna": "Nedap Luna", "medido": "Medido (Innospense)",
             "compaan": "Compaan"}
TASK_LABELS = {
    "hct.client.view": "Thuiszorgtechnologie van een cliënt inzien",
    "hct.client.edit": "Thuiszorgtechnologie van een cliënt bewerken",
    "hct.order.manage": "Bestelling van thuiszorgtechnologie van een cliënt beheren",
    "hct.order.view": "Bestelling van thuiszorgtechnologie van een cliënt inzien",
    "hct.order.delete": "Bestelling van thuiszorgtechnologie van een cliënt verwijderen",
    "hct.settings.view": "Thuiszorgtechnologie inzien (beheer)",
    "hct.settings.edit": "Thuiszorgtechnologie bewerken (beheer)",
}
ROLE_TASKS = {
    "hct.client.view": {"administrator", "casemanager", "zorgverlener", "support"},
    "hct.client.edit": {"administrator", "casemanager"},
    "hct.order.manage": {"administrator", "casemanager"},
    "hct.order.view": {"administrator", "casemanager", "zorgverlener", "support"},
    "hct.order.delete": {"administrator", "casemanager"},
    "hct.settings.view": {"administrator", "beheerder"},
    "hct.settings.edit": {"administrator", "beheerder"},
}
DROP = object()  # _with(): remove the field


def _today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _client(ctx, n, user="coordinator"):
    """The n-th client from the end of user's scope (away from José and the other demo cards
    at the start). Each test takes its own n so that the tests do not see each other's
    orders; they still compare with what the client had before."""
    return ctx.visible_clients(user)[-n - 1]


def _with(body, path, value):
    """A deep copy of body with the dotted path set to value (DROP: removed)."""
    b = copy.deepcopy(body)
    node = b
    parts = path.split(".")
    for p in parts[:-1]:
        node = node[p]
    if value is DROP:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value
    return b


def _names(p):
    return [f.get("name") for f in p.get("invalid_params", [])]


def check_device_type(d):
    assert set(d) >= DEVICE_TYPE_KEYS, f"device type {d}"
    assert isinstance(d["in_use"], bool) and isinstance(d["ordering"], bool), d
    assert not d["ordering"] or d["in_use"], f"ordering on but not in use: {d}"
    s = d["supplier"]
    assert s is None or set(s) >= {"id", "name", "connector"}, d


def check_order(o, where="order"):
    """The staff view of an order: every key, types, times; no BSN."""
    assert set(o) >= ORDER_KEYS, f"{where}: lacks {sorted(ORDER_KEYS - set(o))}: {o}"
    assert o["status"] in STATUSES, f"{where}: status {o['status']!r}"
    assert isinstance(o["id"], int) and isinstance(o["uuid"], str) and len(o["uuid"]) >= 32, o
    for k in ORDER_TIMES:
        assert_time(o[k], f"{where}: {k}", nullable=k != "created_at" and k != "updated_at")
    assert set(o["delivery"]) >= DELIVERY_KEYS, f"{where}: delivery {o['delivery']}"
    assert o["delivery"]["type"] in ("CLIENT_HOME", "MANUAL"), o["delivery"]
    assert (o["delivery"]["type"] == "CLIENT_HOME") == (o["delivery"]["address_id"] is not None), \
        f"{where}: delivery type and address_id disagree: {o['delivery']}"
    assert set(o["orderer"]) >= ORDERER_KEYS, f"{where}: orderer {o['orderer']}"
    for k in ("order_number", "supplier_note", "tracking_url", "device_identification_number",
              "supplier_name"):
        assert o[k] is None or isinstance(o[k], str), f"{where}: {k} {o[k]!r}"
    want = {"OPEN": (), "DECLINED": ("declined_at",), "ACCEPTED": ("accepted_at",),
            "COMPLETED": ("accepted_at", "completed_at")}[o["status"]]
    for k in want:
        assert o[k] is not None, f"{where}: {o['status']} without {k}"
    assert (o["status"] == "COMPLETED") == (o["registration_id"] is not None), \
        f"{where}: status {o['status']} with registration_id {o['registration_id']}"
    assert not keys_anywhere(o, "bsn"), f"{where}: a BSN in the order"


def check_registration(r, where="registration"):
    assert set(r) >= REGISTRATION_KEYS, f"{where}: lacks {sorted(REGISTRATION_KEYS - set(r))}: {r}"
    assert isinstance(r["serial"], str) and isinstance(r["start_date"], str), r
    assert r["end_date"] is None or r["end_date"] >= r["start_date"], r
    assert r["order_id"] is None or isinstance(r["order_id"], int), r


def _hct(ctx, user, cid):
    h = ctx.get_ok(user, f"/api/v1/clients/{cid}/hct")
    assert isinstance(h.get("registrations"), list) and isinstance(h.get("orders"), list), h
    return h


def _decide(ctx, oid, accepted, **fields):
    """The supplier (dosell, by curl) accepts or declines order oid."""
    ctx.supplier_ok("PATCH", f"{SUPPLIER_ORDERS}/{oid}/status", {"accepted": accepted, **fields},
                    status=204)


def _feed_hct(ctx, user, since):
    return {(c["type"], c["id"]): c for c in ctx.changes(user, since)
            if c["type"] in ("device_type", "hct_order", "hct_registration")}


def _in_scope(ctx, user, cid):
    return ctx.one("SELECT location_id FROM clients WHERE id = ?", cid) in ctx.scope_locations(user)


# ---- tasks and the catalogue ------------------------------------------------------------

def test_hct_tasks_and_roles(ctx):
    """The seven HCT tasks exist with the seed's Dutch labels and the contract's preset roles;
    /me lists them per demo user."""
    labels = dict(ctx.rows("SELECT code, label_nl FROM tasks WHERE code LIKE 'hct.%'"))
    assert labels == TASK_LABELS, f"HCT tasks {labels}"
    for task, roles in ROLE_TASKS.items():
        got = {r[0] for r in ctx.rows("SELECT r.code FROM role_tasks rt JOIN roles r"
                                      " ON r.id = rt.role_id WHERE rt.task_code = ?", task)}
        assert got == roles, f"{task}: roles {sorted(got)}, want {sorted(roles)}"
    for user in USERS:
        me = set(ctx.get_ok(user, "/api/v1/me")["tasks"])
        want = {t for t, users in HCT_TASKS.items() if user in users}
        assert {t for t in me if t.startswith("hct.")} == want, f"{user}: /me HCT tasks {sorted(me)}"


def test_hct_device_types_catalogue(ctx):
    """GET /device-types for every logged-in user: the demo catalogue ordered by name; 401
    without a token."""
    first = None
    for user in USERS:
        dts = ctx.get_ok(user, "/api/v1/device-types")["device_types"]
        names = [d["name"] for d in dts]
        assert names == sorted(names), f"{user}: not ordered by name: {names}"
        for d in dts:
            check_device_type(d)
        first = first or dts
        assert dts == first, f"{user} sees another catalogue"
    by_name = {d["name"]: d for d in first}
    assert set(CATALOGUE) <= set(by_name), f"catalogue lacks {sorted(set(CATALOGUE) - set(by_name))}"
    for name, (code, connector, in_use, ordering) in CATALOGUE.items():
        d = by_name[name]
        assert (d["product_code"], d["in_use"], d["ordering"]) == (code, in_use, ordering), d
        if connector is None:
            assert d["supplier"] is None, f"{name}: supplier {d['supplier']}"
        else:
            s = d["supplier"]
            assert s and s["connector"] == connector and s["name"] == SUPPLIERS[connector], d
    assert_problem(ctx.api.request("GET", "/api/v1/device-types", invalid=True), 401)


def test_hct_device_type_settings(ctx):
    """PATCH /device-types/{id} (hct.settings.edit): ordering on implies in use, not in use
    implies ordering off; 409 supplier-unknown for a type without a supplier; validation;
    403 without the task; audited; feed type device_type for every user. Restores Medido."""
    medido, tessa, spencer = (ctx.device_type_id(c) for c in ("MEDIDO-01", "TESSA-01", "SPENCER-01"))
    user = "beheerder"
    ok_before = ctx.audit_count(action="device_type.update", outcome="ok")
    rev = ctx.revision()

    def patch(dt, body, who=user, **kw):
        return ctx.staff_request(who, "PATCH", f"/api/v1/device-types/{dt}", body, **kw)

    cid = _client(ctx, 3)
    steps = [({"ordering": True}, True, True), ({"in_use": False}, False, False),
             ({"ordering": True}, True, True), ({"ordering": False}, True, False)]
    try:
        for i, (body, in_use, ordering) in enumerate(steps):
            r = patch(medido, body)
            assert_status(r, 200)
            d = r.json
            check_device_type(d)
            assert (d["id"], d["in_use"], d["ordering"]) == (medido, in_use, ordering), \
                f"after {body}: {d}"
            if i == 0:
                # Ordering on: a Medido can be ordered now.
                o = ctx.place_order("coordinator", cid, ctx.order_body("coordinator", cid, "MEDIDO-01"))
                assert_status(o, 201)
                assert o.json["supplier_name"] == SUPPLIERS["medido"], o.json
    finally:
        patch(medido, {"in_use": True, "ordering": False})
    got = ctx.device_types()["MEDIDO-01"]
    assert (got["in_use"], got["ordering"]) == (True, False), got
    assert_problem(ctx.place_order("coordinator", cid, ctx.order_body("coordinator", cid, "MEDIDO-01")),
                   409, type_suffix=":ordering-off")
    assert ctx.audit_count(action="device_type.update", outcome="ok") >= ok_before + len(steps), \
        "device-type changes not audited"
    # A type without a known supplier: ordering cannot be switched on; nothing changes.
    for dt, body in ((tessa, {"ordering": True}), (spencer, {"in_use": True, "ordering": True})):
        before = [d for d in ctx.device_types().values() if d["id"] == dt][0]
        p = assert_problem(patch(dt, body), 409, type_suffix=":supplier-unknown")
        assert "supplier" in p["detail"].lower() or "leverancier" in p["detail"].lower(), p
        after = [d for d in ctx.device_types().values() if d["id"] == dt][0]
        assert after == before, f"a refused change changed {before} into {after}"
    # Bad bodies and ids.
    for body, field in (({}, None), ({"colour": "red"}, None), ({"in_use": "yes"}, "in_use"),
                        ({"ordering": 1}, "ordering"), ({"in_use": None}, "in_use"),
                        ([], None), ({"in_use": True, "name": "x"}, None)):
        assert_problem(patch(medido, body, invalid=True), 400, field)
    assert_problem(ctx.staff_request(user, "PATCH", f"/api/v1/device-types/{medido}",
                                     body="{", invalid=True), 400)
    assert_problem(patch(999999, {"in_use": True}), 404)
    assert_problem(patch("abc", {"in_use": True}, invalid=True), 404)
    for who in ("coordinator", "zorgverlener", "support"):
        assert_problem(patch(medido, {"ordering": True}, who=who), 403)
    assert_problem(patch(medido, {"ordering": True}, who=None, invalid=True), 401)
    assert ctx.device_types()["MEDIDO-01"]["ordering"] is False
    # Every user's feed carries the changed type.
    for who in USERS:
        feed = _feed_hct(ctx, who, rev)
        item = feed.get(("device_type", medido))
        assert item and not item["deleted"], f"{who}: no device_type {medido} in the feed after {rev}"
        check_device_type(item["data"])
        assert (item["data"]["in_use"], item["data"]["ordering"]) == (True, False), item


# ---- a client's overview ----------------------------------------------------------------

def test_hct_demo_cards(ctx):
    """Demo data: José has a Medido registration and an OPEN Dosell order; Regio Noord has a
    DECLINED order with the supplier's reason and an ACCEPTED Nedap Luna order."""
    jose = ctx.one("SELECT id FROM clients WHERE name = 'José van den Berg'")
    assert jose, "demo data lacks José van den Berg"
    h = _hct(ctx, "coordinator", jose)
    assert [r for r in h["registrations"] if r["device_type_name"] == "Medido"], \
        f"José has no Medido registration: {h['registrations']}"
    assert [o for o in h["orders"] if o["device_type_name"] == "Dosell" and o["status"] == "OPEN"], \
        f"José has no OPEN Dosell order: {h['orders']}"
    noord = set(ctx.visible_clients("coordinator"))
    orders = [c["data"] for c in ctx.changes("administrator", 0)
              if c["type"] == "hct_order" and not c["deleted"] and c["data"]["client_id"] in noord]
    declined = [o for o in orders if o["status"] == "DECLINED"
                and o["supplier_note"] == "Niet leverbaar in dit postcodegebied"]
    assert declined, "no DECLINED demo order with the supplier's reason in Regio Noord"
    accepted = [o for o in orders if o["status"] == "ACCEPTED" and o["device_type_name"] == "Nedap Luna"
                and o["device_identification_number"] == "LUNA-000123"]
    assert accepted, "no ACCEPTED Nedap Luna demo order with LUNA-000123 in Regio Noord"
    a = accepted[0]
    assert a["order_number"] and a["tracking_url"] and a["supplier_note"], a
    for o in orders:
        check_order(o, f"demo order {o['id']}")


def test_hct_client_overview(ctx):
    """GET /clients/{id}/hct (hct.client.view, in scope): registrations newest start first,
    orders newest first without COMPLETED ones; 404 out of scope, 403 without the task;
    audited as hct.read."""
    jose = ctx.one("SELECT id FROM clients WHERE name = 'José van den Berg'")
    for user in ("administrator", "coordinator", "support"):
        sid = str(ctx.staff_id(user))
        before = ctx.audit_count(action="hct.read", actor_id=sid)
        h = _hct(ctx, user, jose)
        assert ctx.audit_count(action="hct.read", actor_id=sid) == before + 1, f"{user}: not audited"
        for r in h["registrations"]:
            check_registration(r)
            assert r["client_id"] == jose, r
        starts = [r["start_date"] for r in h["registrations"]]
        assert starts == sorted(starts, reverse=True), f"registrations not newest first: {starts}"
        for o in h["orders"]:
            check_order(o)
            assert o["client_id"] == jose and o["status"] != "COMPLETED", o
        created = [o["created_at"] for o in h["orders"]]
        assert created == sorted(created, reverse=True), f"orders not newest first: {created}"
        assert not keys_anywhere(h, "bsn"), f"{user}: a BSN in the overview"
    for user in ("zorgverlener", "coordinator"):
        out = ctx.out_of_scope_client(user)
        assert_problem(ctx.get(user, f"/api/v1/clients/{out}/hct"), 404)
    assert_problem(ctx.get("coordinator", "/api/v1/clients/999999/hct"), 404)
    assert_problem(ctx.get("beheerder", f"/api/v1/clients/{jose}/hct"), 403)
    assert_problem(ctx.api.request("GET", f"/api/v1/clients/{jose}/hct", invalid=True), 401)
    # zorgverlener sees the cards of their own team's clients.
    _hct(ctx, "zorgverlener", ctx.visible_clients("zorgverlener")[0])


def test_hct_orders_hidden_without_order_view(ctx):
    """A caller with hct.client.view but without hct.order.view gets "orders": [] and 403 on
    an order, and no hct_order in the feed (support's role loses the task for a moment)."""
    cid = _client(ctx, 4, "support")
    o = ctx.order("administrator", cid)
    rev = ctx.revision() - 1
    role = ctx.one("SELECT id FROM roles WHERE code = 'support'")
    assert ctx.one("SELECT count(*) FROM role_tasks WHERE role_id = ? AND task_code = 'hct.order.view'",
                   role) == 1, "support's role lacks hct.order.view"
    ctx.db.execute("DELETE FROM role_tasks WHERE role_id = ? AND task_code = 'hct.order.view'", (role,))
    try:
        h = _hct(ctx, "support", cid)
        assert h["orders"] == [], f"orders without hct.order.view: {h['orders']}"
        assert_problem(ctx.get("support", f"/api/v1/hct-orders/{o['id']}"), 403)
        assert ("hct_order", o["id"]) not in _feed_hct(ctx, "support", rev), \
            "hct_order in the feed of a user without hct.order.view"
    finally:
        ctx.db.execute("INSERT INTO role_tasks (role_id, task_code) VALUES (?, 'hct.order.view')",
                       (role,))
    assert o["id"] in [x["id"] for x in _hct(ctx, "support", cid)["orders"]]


# ---- placing orders ---------------------------------------------------------------------

def test_hct_order_place_client_home(ctx):
    """POST /clients/{id}/hct-orders with an active address: 201, Location, OPEN, the address
    copied, the orderer is the caller, phone stored +31; GET returns it; audited."""
    user = "coordinator"
    cid = _client(ctx, 5)
    aid = ctx.active_address(cid)
    addr = ctx.rows("SELECT street, house_number, house_number_ext, postcode, city"
                    " FROM client_addresses WHERE id = ?", aid)[0]
    body = ctx.order_body(user, cid)
    sid = ctx.staff_id(user)
    before = ctx.audit_count(action="hct_order.create", actor_id=str(sid))
    r = ctx.place_order(user, cid, body)
    assert_status(r, 201)
    o = r.json
    check_order(o)
    assert r.header("location") == f"/api/v1/hct-orders/{o['id']}", r.headers
    assert (o["status"], o["client_id"], o["device_type_id"]) == ("OPEN", cid, body["device_type_id"]), o
    assert (o["device_type_name"], o["supplier_name"]) == ("Dosell", "Dosell"), o
    for k in ("fetched_at", "accepted_at", "declined_at", "completed_at", "order_number",
              "supplier_note", "tracking_url", "device_identification_number", "registration_id"):
        assert o[k] is None, f"a new order has {k} = {o[k]!r}"
    d = o["delivery"]
    assert d["type"] == "CLIENT_HOME" and d["address_id"] == aid, d
    assert (d["street"], d["house_number"], d["house_number_ext"], d["postcode"], d["city"]) == addr, \
        f"delivery {d} != address {addr}"
    team = body["orderer"]["team_id"]
    ob = o["orderer"]
    assert ob["staff_id"] == sid and ob["name"] == ctx.one("SELECT name FROM staff WHERE id = ?", sid), ob
    team_name = ctx.one("SELECT name FROM teams WHERE id = ?", team)
    assert ob["team_id"] == team and ob["team_name"] == team_name, ob
    assert (ob["email"], ob["phone"]) == ("wijkteam@delinde.example", "+31612345678"), ob
    assert ctx.audit_count(action="hct_order.create", actor_id=str(sid)) == before + 1, "not audited"
    rb = ctx.audit_count(action="hct_order.read", actor_id=str(sid))
    assert ctx.get_order(user, o["id"]) == o, "GET /hct-orders/{id} differs from the 201 body"
    assert ctx.audit_count(action="hct_order.read", actor_id=str(sid)) == rb + 1, "read not audited"
    h = _hct(ctx, user, cid)
    assert h["orders"] and h["orders"][0]["id"] == o["id"], f"the new order is not first: {h['orders']}"


def test_hct_order_place_alternative_address(ctx):
    """An alternative address: MANUAL, address_id null, postcode normalised "1234 AB", phone
    normalised +31..., an empty house_number_ext; the longest allowed values are accepted."""
    user = "coordinator"
    cid = _client(ctx, 6)
    body = ctx.order_body(user, cid, manual=True)
    body["delivery"].update({"postcode": "9401ab", "house_number_ext": ""})
    body["orderer"]["phone"] = "06-12345678"
    r = ctx.place_order(user, cid, body)
    assert_status(r, 201)
    o = r.json
    check_order(o)
    d = o["delivery"]
    assert (d["type"], d["address_id"]) == ("MANUAL", None), d
    assert (d["street"], d["house_number"], d["house_number_ext"], d["postcode"], d["city"]) == \
        ("Dorpsstraat", 12, "", "9401 AB", "Assen"), d
    assert o["orderer"]["phone"] == "+31612345678", o["orderer"]
    longest = _with(body, "delivery", {"street": "S" * 100, "house_number": 99999,
                                       "house_number_ext": "x" * 10, "postcode": "9999 ZZ",
                                       "city": "C" * 80})
    r = ctx.place_order(user, cid, longest)
    assert_status(r, 201)
    d = r.json["delivery"]
    assert (len(d["street"]), d["house_number"], len(d["house_number_ext"]), len(d["city"])) == \
        (100, 99999, 10, 80), d
    r = ctx.place_order(user, cid, _with(body, "delivery.house_number", 1))
    assert_status(r, 201)


def test_hct_order_validation(ctx):
    """Every field of the order body: 400 invalid-input naming it with its dotted path; unknown
    fields anywhere 400; nothing is stored."""
    user = "coordinator"
    cid = _client(ctx, 7)
    other = _client(ctx, 8)
    home = ctx.order_body(user, cid)
    alt = ctx.order_body(user, cid, manual=True)
    inactive = ctx.rows("SELECT a.client_id, a.id FROM client_addresses a WHERE a.active = 0"
                        " ORDER BY a.id")
    noord = set(ctx.visible_clients(user))
    inactive = [(c, a) for c, a in inactive if c in noord]
    assert inactive, "no client with an inactive address in the coordinator's scope"
    cases = [  # (client, body, field named in invalid_params; None: any)
        (cid, _with(home, "device_type_id", DROP), "device_type_id"),
        (cid, _with(home, "device_type_id", "1"), "device_type_id"),
        (cid, _with(home, "device_type_id", None), "device_type_id"),
        (cid, _with(home, "device_type_id", 1.5), "device_type_id"),
        (cid, _with(home, "device_type_id", 999999), "device_type_id"),
        (cid, _with(home, "delivery", DROP), "delivery"),
        (cid, _with(home, "delivery", "Dorpsstraat 12"), "delivery"),
        (cid, _with(home, "delivery", None), "delivery"),
        (cid, _with(home, "delivery", {}), "delivery"),
        (cid, _with(home, "delivery.address_id", 999999), "delivery.address_id"),
        (cid, _with(home, "delivery.address_id", "12"), "delivery.address_id"),
        (cid, _with(home, "delivery.address_id", None), "delivery.address_id"),
        (cid, _with(home, "delivery.address_id", ctx.active_address(other)), "delivery.address_id"),
        (inactive[0][0], _with(ctx.order_body(user, inactive[0][0]), "delivery.address_id",
                               inactive[0][1]), "delivery.address_id"),
        (cid, _with(alt, "delivery.street", DROP), "delivery.street"),
        (cid, _with(alt, "delivery.street", ""), "delivery.street"),
        (cid, _with(alt, "delivery.street", "S" * 101), "delivery.street"),
        (cid, _with(alt, "delivery.street", 12), "delivery.street"),
        (cid, _with(alt, "delivery.house_number", DROP), "delivery.house_number"),
        (cid, _with(alt, "delivery.house_number", 0), "delivery.house_number"),
        (cid, _with(alt, "delivery.house_number", -1), "delivery.house_number"),
        (cid, _with(alt, "delivery.house_number", 100000), "delivery.house_number"),
        (cid, _with(alt, "delivery.house_number", "12"), "delivery.house_number"),
        (cid, _with(alt, "delivery.house_number", 1.5), "delivery.house_number"),
        (cid, _with(alt, "delivery.house_number_ext", DROP), "delivery.house_number_ext"),
        (cid, _with(alt, "delivery.house_number_ext", "x" * 11), "delivery.house_number_ext"),
        (cid, _with(alt, "delivery.house_number_ext", 5), "delivery.house_number_ext"),
        (cid, _with(alt, "delivery.postcode", DROP), "delivery.postcode"),
        (cid, _with(alt, "delivery.postcode", ""), "delivery.postcode"),
        (cid, _with(alt, "delivery.postcode", "123 AB"), "delivery.postcode"),
        (cid, _with(alt, "delivery.postcode", "12345"), "delivery.postcode"),
        (cid, _with(alt, "delivery.postcode", "1234 A"), "delivery.postcode"),
        (cid, _with(alt, "delivery.postcode", "ABCD 12"), "delivery.postcode"),
        (cid, _with(alt, "delivery.postcode", "1234 AB 5"), "delivery.postcode"),
        (cid, _with(alt, "delivery.city", DROP), "delivery.city"),
        (cid, _with(alt, "delivery.city", ""), "delivery.city"),
        (cid, _with(alt, "delivery.city", "C" * 81), "delivery.city"),
        (cid, _with(home, "orderer", DROP), "orderer"),
        (cid, _with(home, "orderer", "wijkteam"), "orderer"),
        (cid, _with(home, "orderer", None), "orderer"),
        (cid, _with(home, "orderer.team_id", DROP), "orderer.team_id"),
        (cid, _with(home, "orderer.team_id", 999999), "orderer.team_id"),
        (cid, _with(home, "orderer.team_id", "1"), "orderer.team_id"),
        (cid, _with(home, "orderer.team_id", None), "orderer.team_id"),
        (cid, _with(home, "orderer.email", DROP), "orderer.email"),
        (cid, _with(home, "orderer.email", ""), "orderer.email"),
        (cid, _with(home, "orderer.email", "geen-mailadres"), "orderer.email"),
        (cid, _with(home, "orderer.email", "a@"), "orderer.email"),
        (cid, _with(home, "orderer.email", 5), "orderer.email"),
        (cid, _with(home, "orderer.phone", DROP), "orderer.phone"),
        (cid, _with(home, "orderer.phone", ""), "orderer.phone"),
        (cid, _with(home, "orderer.phone", "12"), "orderer.phone"),
        (cid, _with(home, "orderer.phone", "telefoon"), "orderer.phone"),
        (cid, _with(home, "orderer.phone", 612345678), "orderer.phone"),
        # Unknown fields anywhere.
        (cid, _with(home, "colour", "red"), None),
        (cid, _with(home, "delivery.floor", 2), None),
        (cid, _with(alt, "delivery.country", "NL"), None),
        (cid, _with(home, "orderer.name", "Someone Else"), None),
        (cid, _with(home, "status", "ACCEPTED"), None),
        (cid, _with(home, "delivery.street", "Dorpsstraat"), None),  # address_id and street
    ]
    rows = ctx.order_rows()
    listed = _hct(ctx, user, cid)["orders"]
    wrong = []
    for n, (client, body, field) in enumerate(cases):
        r = ctx.place_order(user, client, body, invalid=True)
        if r.prism_rejected:
            continue
        if r.status != 400:
            wrong.append(f"case {n} ({field}): {r.status} {r.text[:160]}")
            continue
        p = r.json
        if field is not None:
            if field not in _names(p):
                wrong.append(f"case {n}: invalid_params {_names(p)} do not name {field!r}")
            elif not p["type"].endswith(":invalid-input"):
                wrong.append(f"case {n}: problem type {p['type']!r}")
    assert not wrong, f"{len(wrong)} of {len(cases)} cases wrong: " + "; ".join(wrong)
    # Several bad fields at once: each is named.
    bad = _with(_with(alt, "delivery.street", ""), "orderer.email", "x")
    p = assert_problem(ctx.place_order(user, cid, bad, invalid=True), 400)
    if p is not None:
        assert {"delivery.street", "orderer.email"} <= set(_names(p)), p
    # Not JSON, not an object, not application/json.
    for raw in ("{", "[]", "null", '"x"'):
        assert_problem(ctx.staff_request(user, "POST", f"/api/v1/clients/{cid}/hct-orders",
                                         body=raw, key=new_key(), invalid=True), 400)
    r = ctx.staff_request(user, "POST", f"/api/v1/clients/{cid}/hct-orders", body="{}",
                          key=new_key(), content_type="text/plain", invalid=True)
    assert_problem(r, 415)
    assert ctx.order_rows() == rows, "a refused order was stored"
    assert _hct(ctx, user, cid)["orders"] == listed, "a refused order is listed"


def test_hct_order_refused(ctx):
    """Ordering off or not in use: 409 ordering-off; 403 without hct.order.manage; 404 out
    of scope or a missing client; 401 without a token."""
    cid = _client(ctx, 9)
    listed = _hct(ctx, "coordinator", cid)["orders"]
    for code in ("MEDIDO-01", "TESSA-01", "SPENCER-01"):
        assert_problem(ctx.place_order("coordinator", cid, ctx.order_body("coordinator", cid, code)),
                       409, type_suffix=":ordering-off")
    zv = ctx.visible_clients("zorgverlener")[0]
    for user, client, status in (("zorgverlener", zv, 403), ("support", cid, 403),
                                 ("beheerder", cid, 403),
                                 ("coordinator", ctx.out_of_scope_client("coordinator"), 404),
                                 ("coordinator", 999999, 404)):
        body = ctx.order_body("administrator", client if client != 999999 else cid)
        assert_problem(ctx.place_order(user, client, body), status)
    assert_problem(ctx.place_order(None, cid, ctx.order_body("coordinator", cid), invalid=True), 401)
    assert _hct(ctx, "coordinator", cid)["orders"] == listed, "a refused order is listed"


def test_hct_order_idempotency(ctx):
    """The same Idempotency-Key and body again: the same order (one row); another body: 422;
    keys are per user; a missing or malformed key: 400 naming Idempotency-Key."""
    user = "coordinator"
    cid = _client(ctx, 10)
    body = ctx.order_body(user, cid)
    key = new_key()
    rows = ctx.order_rows()
    listed = [o["id"] for o in _hct(ctx, user, cid)["orders"]]
    first = ctx.place_order(user, cid, body, key=key)
    assert_status(first, 201)
    again = ctx.place_order(user, cid, body, key=key)
    assert_status(again, 201)
    assert again.json == first.json, f"a retry answered another order: {again.json} vs {first.json}"
    assert ctx.order_rows() == rows + 1, f"{ctx.order_rows() - rows} rows for one key"
    assert [o["id"] for o in _hct(ctx, user, cid)["orders"]] == [first.json["id"]] + listed
    changed = _with(body, "orderer.phone", "0687654321")
    assert_problem(ctx.place_order(user, cid, changed, key=key), 422,
                   type_suffix=":idempotency-key-reused")
    assert ctx.order_rows() == rows + 1, "a reused key made an order"
    # Another user with the same key: their own, new order.
    mine = ctx.place_order("administrator", cid, body, key=key)
    assert_status(mine, 201)
    assert mine.json["id"] != first.json["id"], "keys are not per user"
    assert ctx.order_rows() == rows + 2
    # Missing and malformed keys.
    path = f"/api/v1/clients/{cid}/hct-orders"
    bad_keys = [None, "", "a b", "clé", "k" * 101, "key/1", "key.1", "key:1", "{key}"]
    for k in bad_keys:
        r = ctx.staff_request(user, "POST", path, body, key=k, invalid=True)
        p = assert_problem(r, 400)
        if p is not None:
            assert "idempotency-key" in [str(n).lower() for n in _names(p)], \
                f"key {k!r}: invalid_params {_names(p)} do not name Idempotency-Key"
    assert ctx.order_rows() == rows + 2, "an order without a valid key was stored"
    longest = "aZ09_-" * 16 + "abcd"
    assert len(longest) == 100
    assert_status(ctx.place_order(user, cid, body, key=longest), 201)
    # Keys are kept 7 days: at 6 days the retry still answers the same order, after 8 days
    # the key is forgotten and makes a new one. (The key table's name is not in the
    # contract: found by its columns.)
    keys = ctx.hct_table("staff_id", "key", "created_at")
    sid = ctx.staff_id(user)
    for days, same in ((6, True), (8, False)):
        ctx.db.execute(f'UPDATE "{keys}" SET created_at = ? WHERE staff_id = ? AND key = ?',
                       (int(time.time()) - days * 86400, sid, key))
        r = ctx.place_order(user, cid, body, key=key)
        assert_status(r, 201)
        assert (r.json["id"] == first.json["id"]) == same, \
            f"key aged {days} days: order {r.json['id']} (first {first.json['id']})"


# ---- one order: delete, start use --------------------------------------------------------

def test_hct_order_delete_only_when_declined(ctx):
    """DELETE /hct-orders/{id} (hct.order.delete): 409 order-state unless DECLINED; 403
    without the task; 204, then gone for staff (404, not listed, deleted in the feed)."""
    user = "coordinator"
    cid = _client(ctx, 11)
    o = ctx.order(user, cid)
    path = f"/api/v1/hct-orders/{o['id']}"
    assert_problem(ctx.staff_request(user, "DELETE", path), 409, type_suffix=":order-state")
    _decide(ctx, o["id"], False, supplierNote="Geen voorraad")
    got = ctx.get_order(user, o["id"])
    assert (got["status"], got["supplier_note"]) == ("DECLINED", "Geen voorraad"), got
    assert_problem(ctx.staff_request(user, "POST", f"{path}/start-use",
                                     {"serial": "X1", "start_date": _today()}), 409,
                   type_suffix=":order-state")
    for who in ("zorgverlener", "support", "beheerder"):
        assert_problem(ctx.staff_request(who, "DELETE", path), 403)
    assert_problem(ctx.staff_request(None, "DELETE", path, invalid=True), 401)
    rev = ctx.revision()
    audit = ctx.audit_count(actor_id=str(ctx.staff_id(user)), object_id=str(o["id"]))
    r = ctx.staff_request(user, "DELETE", path)
    assert_status(r, 204)
    assert not r.body, f"204 with a body: {r.text[:200]}"
    assert ctx.audit_count(actor_id=str(ctx.staff_id(user)), object_id=str(o["id"])) > audit, \
        "the delete is not audited"
    assert_problem(ctx.get(user, path), 404)
    assert_problem(ctx.staff_request(user, "DELETE", path), 404)
    assert o["id"] not in [x["id"] for x in _hct(ctx, user, cid)["orders"]], "deleted order listed"
    item = _feed_hct(ctx, user, rev).get(("hct_order", o["id"]))
    assert item and item["deleted"] is True, f"the feed does not say the order is deleted: {item}"
    assert_problem(ctx.staff_request(user, "DELETE", "/api/v1/hct-orders/999999"), 404)


def test_hct_start_use_only_when_accepted(ctx):
    """POST /hct-orders/{id}/start-use (hct.client.edit): 409 unless ACCEPTED; validation;
    201 Registration with order_id; the order becomes COMPLETED, leaves the overview and
    stays readable from the registration; DELETE and a second start 409."""
    user = "coordinator"
    cid = _client(ctx, 12)
    o = ctx.order(user, cid)
    path = f"/api/v1/hct-orders/{o['id']}/start-use"
    serial = "DS-0042_a.b c,1"
    body = {"serial": serial, "start_date": _today()}
    assert_problem(ctx.staff_request(user, "POST", path, body), 409, type_suffix=":order-state")
    _decide(ctx, o["id"], True, deviceIdentificationNumber=serial, orderNumber="DS-42")
    assert ctx.get_order(user, o["id"])["status"] == "ACCEPTED"
    assert_problem(ctx.staff_request(user, "DELETE", f"/api/v1/hct-orders/{o['id']}"), 409,
                   type_suffix=":order-state")
    cases = [("serial", DROP), ("serial", ""), ("serial", "x" * 51), ("serial", "a/b"),
             ("serial", "<b>"), ("serial", 5), ("serial", None), ("start_date", DROP),
             ("start_date", "2025-02-30"), ("start_date", "2025-2-3"), ("start_date", "morgen"),
             ("start_date", ""), ("start_date", None), ("start_date", "2025-13-01")]
    for field, value in cases:
        r = ctx.staff_request(user, "POST", path, _with(body, field, value), invalid=True)
        assert_problem(r, 400, field)
    assert_problem(ctx.staff_request(user, "POST", path, dict(body, colour="red"), invalid=True), 400)
    for who in ("zorgverlener", "support", "beheerder"):
        assert_problem(ctx.staff_request(who, "POST", path, body), 403)
    assert ctx.get_order(user, o["id"])["status"] == "ACCEPTED", "a refused start changed the order"
    rev = ctx.revision()
    sid = str(ctx.staff_id(user))
    audit = ctx.audit_count(actor_id=sid, outcome="ok")
    r = ctx.staff_request(user, "POST", path, body)
    assert_status(r, 201)
    assert ctx.audit_count(actor_id=sid, outcome="ok") > audit, "start of use not audited"
    reg = r.json
    check_registration(reg)
    assert (reg["order_id"], reg["client_id"], reg["device_type_id"], reg["serial"],
            reg["start_date"], reg["end_date"]) == (o["id"], cid, o["device_type_id"], serial,
                                                    body["start_date"], None), reg
    got = ctx.get_order(user, o["id"])
    check_order(got)
    assert got["status"] == "COMPLETED" and got["registration_id"] == reg["id"], got
    assert_time(got["completed_at"], "completed_at")
    h = _hct(ctx, user, cid)
    assert o["id"] not in [x["id"] for x in h["orders"]], "a COMPLETED order is in the overview"
    assert reg["id"] in [x["id"] for x in h["registrations"]], "the new registration is not listed"
    full = ctx.get_ok(user, f"/api/v1/hct-registrations/{reg['id']}")
    assert full.get("order") and full["order"]["id"] == o["id"], f"registration without its order: {full}"
    assert full["order"]["status"] == "COMPLETED", full["order"]
    check_order(full["order"])
    assert_problem(ctx.staff_request(user, "POST", path, body), 409, type_suffix=":order-state")
    assert_problem(ctx.staff_request(user, "DELETE", f"/api/v1/hct-orders/{o['id']}"), 409)
    feed = _feed_hct(ctx, user, rev)
    oi, ri = feed.get(("hct_order", o["id"])), feed.get(("hct_registration", reg["id"]))
    assert oi and oi["data"]["status"] == "COMPLETED", f"feed order {oi}"
    assert ri and ri["data"]["order_id"] == o["id"], f"feed registration {ri}"
    assert_problem(ctx.staff_request(user, "POST", "/api/v1/hct-orders/999999/start-use", body), 404)


# ---- registrations ----------------------------------------------------------------------

def test_hct_registrations_create_read_end(ctx):
    """Registrations without an order: create (201), read (order null), end and reopen;
    end before start 400; a type not in use 409 device-type-not-in-use; validation; tasks."""
    user = "coordinator"
    cid = _client(ctx, 13)
    tessa, medido = ctx.device_type_id("TESSA-01"), ctx.device_type_id("MEDIDO-01")
    base = f"/api/v1/clients/{cid}/hct-registrations"
    body = {"device_type_id": tessa, "serial": "TS-0001", "start_date": "2026-01-15", "end_date": None}
    r = ctx.staff_request(user, "POST", base, body)
    assert_status(r, 201)
    reg = r.json
    check_registration(reg)
    assert (reg["client_id"], reg["device_type_id"], reg["device_type_name"], reg["serial"],
            reg["start_date"], reg["end_date"], reg["order_id"]) == \
        (cid, tessa, "Tessa", "TS-0001", "2026-01-15", None, None), reg
    one = f"/api/v1/hct-registrations/{reg['id']}"
    got = ctx.get_ok(user, one)
    assert got.get("order", "missing") is None, f"order of a registration without one: {got}"
    assert {k: got[k] for k in REGISTRATION_KEYS} == {k: reg[k] for k in REGISTRATION_KEYS}, got
    later = ctx.staff_request(user, "POST", base, {"device_type_id": medido, "serial": "MD 7",
                                                   "start_date": "2026-05-01"})
    assert_status(later, 201)
    same_day = ctx.staff_request(user, "POST", base, dict(body, serial="TS-0002",
                                                          end_date="2026-01-15"))
    assert_status(same_day, 201)
    h = _hct(ctx, user, cid)["registrations"]
    starts = [x["start_date"] for x in h]
    assert starts == sorted(starts, reverse=True), f"registrations not newest first: {starts}"
    n_regs = len(h)
    # End, refuse an end before the start, reopen.
    r = ctx.staff_request(user, "PATCH", one, {"end_date": "2026-03-01"})
    assert_status(r, 200)
    assert r.json["end_date"] == "2026-03-01" and r.json["id"] == reg["id"], r.json
    assert ctx.get_ok("support", one)["end_date"] == "2026-03-01"
    ended = [x for x in _hct(ctx, user, cid)["registrations"] if x["id"] == reg["id"]]
    assert ended and ended[0]["end_date"] == "2026-03-01", "an ended registration left the overview"
    for bad, field in (({"end_date": "2026-01-14"}, "end_date"), ({"end_date": "2026-02-30"}, "end_date"),
                       ({"end_date": "maart"}, "end_date"), ({"end_date": 5}, "end_date"),
                       ({}, None), ({"serial": "X"}, None), ({"end_date": None, "colour": 1}, None)):
        assert_problem(ctx.staff_request(user, "PATCH", one, bad, invalid=True), 400, field)
    r = ctx.staff_request(user, "PATCH", one, {"end_date": None})
    assert_status(r, 200)
    assert r.json["end_date"] is None, r.json
    # Creation errors.
    spencer = ctx.device_type_id("SPENCER-01")
    assert_problem(ctx.staff_request(user, "POST", base, dict(body, device_type_id=spencer)), 409,
                   type_suffix=":device-type-not-in-use")
    for field, value in (("device_type_id", 999999), ("device_type_id", DROP), ("device_type_id", "3"),
                         ("serial", DROP), ("serial", ""), ("serial", "x" * 51), ("serial", "a;b"),
                         ("start_date", DROP), ("start_date", "2026-02-29"), ("start_date", "15-01-2026"),
                         ("end_date", "2026-01-14"), ("end_date", "2026-04-31")):
        r = ctx.staff_request(user, "POST", base, _with(body, field, value), invalid=True)
        assert_problem(r, 400, field)
    assert_problem(ctx.staff_request(user, "POST", base, dict(body, colour="red"), invalid=True), 400)
    assert len(_hct(ctx, user, cid)["registrations"]) == n_regs, "a refused registration was stored"
    # Tasks and scope.
    assert_problem(ctx.staff_request("support", "POST", base, body), 403)
    assert_problem(ctx.staff_request("support", "PATCH", one, {"end_date": None}), 403)
    assert_problem(ctx.get("beheerder", one), 403)
    if not _in_scope(ctx, "zorgverlener", cid):
        assert_problem(ctx.get("zorgverlener", one), 404)
    out = ctx.out_of_scope_client(user)
    assert_problem(ctx.staff_request(user, "POST", f"/api/v1/clients/{out}/hct-registrations",
                                     body), 404)
    assert_problem(ctx.get(user, "/api/v1/hct-registrations/999999"), 404)
    assert_problem(ctx.staff_request(user, "PATCH", "/api/v1/hct-registrations/999999",
                                     {"end_date": None}), 404)


# ---- the change feed --------------------------------------------------------------------

def test_hct_feed_types(ctx):
    """device_type reaches everyone; hct_order and hct_registration only users with the task
    and the client in scope. Data is the Order / Registration, without a BSN."""
    noord = _client(ctx, 14)
    team_client = ctx.visible_clients("zorgverlener")[1]
    rev = ctx.revision()
    orders = {c: ctx.order("administrator", c) for c in (noord, team_client)}
    regs = {}
    for c in (noord, team_client):
        r = ctx.staff_request("administrator", "POST", f"/api/v1/clients/{c}/hct-registrations",
                              {"device_type_id": ctx.device_type_id("SENSARA-01"), "serial": "SN-1",
                               "start_date": "2026-02-01"})
        assert_status(r, 201)
        regs[c] = r.json
    dosell = ctx.device_type_id("DOSELL-01")
    assert_status(ctx.staff_request("administrator", "PATCH", f"/api/v1/device-types/{dosell}",
                                    {"in_use": True}), 200)
    wrong = []
    for user in USERS:
        feed = _feed_hct(ctx, user, rev)
        if ("device_type", dosell) not in feed:
            wrong.append(f"{user}: no device_type")
        for c in (noord, team_client):
            scope = _in_scope(ctx, user, c)
            for typ, obj, task in (("hct_order", orders[c], "hct.order.view"),
                                   ("hct_registration", regs[c], "hct.client.view")):
                want = scope and user in HCT_TASKS[task]
                item = feed.get((typ, obj["id"]))
                if want != (item is not None):
                    wrong.append(f"{user}: {typ} {obj['id']} of client {c} "
                                 f"{'missing' if want else 'present'}")
                elif item is not None:
                    if item["deleted"] or item["data"]["id"] != obj["id"]:
                        wrong.append(f"{user}: {typ} item {item}")
                    elif typ == "hct_order":
                        check_order(item["data"], f"{user}: feed order")
                    else:
                        check_registration(item["data"], f"{user}: feed registration")
        if keys_anywhere(list(feed.values()), "bsn"):
            wrong.append(f"{user}: a BSN in the feed")
    assert not wrong, "; ".join(wrong)
    # The whole feed from 0 holds the demo orders for the administrator.
    items = [c for c in ctx.changes("administrator", 0) if c["type"] == "hct_order"]
    assert len(items) >= 3, f"the initial sync has {len(items)} orders"
