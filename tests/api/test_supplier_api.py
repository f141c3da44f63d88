"""The supplier's order API (docs/hct-api.md; Ons-shaped, camelCase): the whole life of an
order with the supplier played by curl with its client certificate (build/pki/dosell.pem,
nedap_luna.pem). Supplier calls always go straight to zorgd (Prism cannot do mutual TLS);
the staff side goes through ctx.api like every staff call. Every supplier call made through
ctx.supplier() must add an audit row with actor_type 'supplier' and the certificate's CN."""

import datetime
import json
import os
import subprocess

from harness import (SUPPLIER_CLIENTS, SUPPLIER_ORDERS, assert_problem, assert_status,
                     assert_time, curl, keys_anywhere, new_key)
from test_hct import check_order, check_registration

ORDER_KEYS = {"id", "uuid", "createdAt", "updatedAt", "productId", "removed", "clientName",
              "clientObjectId", "deliveryAddress", "requester", "status", "acceptedAt",
              "declinedAt", "completedAt", "deviceIdentificationNumber", "orderNumber",
              "supplierNote", "trackingUrl"}
ADDRESS_KEYS = {"street", "homeNumber", "homeNumberExtension", "zipcode", "city", "country", "type"}
REQUESTER_KEYS = {"name", "emailAddress", "phoneNumber", "teamName", "teamObjectId",
                  "employeeObjectId"}
CLIENT_KEYS = {"clientObjectId", "name", "birthDate"}
TIMES = ("createdAt", "updatedAt", "acceptedAt", "declinedAt", "completedAt")
# The escape sequences a hostile supplier note may carry: SGR colour, OSC window title.
ESCAPES = "Let op \u001b[31mrood\u001b[0m en \u001b]0;x\u0007 titel"


def _today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _client(ctx, n):
    """A coordinator client of this module (from the end of the scope, away from test_hct's)."""
    return ctx.visible_clients("coordinator")[-n - 21]


def _list(ctx, query="", cert="dosell"):
    got = ctx.supplier_ok("GET", f"{SUPPLIER_ORDERS}{query}", cert=cert)
    assert isinstance(got, dict) and isinstance(got.get("orders"), list), got
    for o in got["orders"]:
        check_supplier_order(o)
    return got["orders"]


def _get(ctx, ref, cert="dosell"):
    o = ctx.supplier_ok("GET", f"{SUPPLIER_ORDERS}/{ref}", cert=cert)
    check_supplier_order(o)
    return o


def _patch(ctx, oid, body, cert="dosell"):
    return ctx.supplier("PATCH", f"{SUPPLIER_ORDERS}/{oid}/status", body, cert=cert)


def _cn(ctx, cert):
    out = subprocess.run(["openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in",
                          ctx.zorgd.pem(f"{cert}.pem")], capture_output=True, text=True).stdout
    return next(p.split("=", 1)[1] for p in out.strip().split("subject=", 1)[1].split(",")
                if p.startswith("CN="))


def _clients_with_orders(ctx, cert):
    return {int(o["clientObjectId"]) for o in _list(ctx, cert=cert)}


def _fresh_client(ctx, n):
    """A coordinator client with no order of any supplier yet."""
    taken = _clients_with_orders(ctx, "dosell") | _clients_with_orders(ctx, "nedap_luna")
    free = [c for c in ctx.visible_clients("coordinator")[::-1] if c not in taken]
    return free[n + 40]


def check_supplier_order(o, staff=None, product="DOSELL-01"):
    """The supplier view: exactly the contract's keys (no BSN, no other client data); with
    staff (the staff view of the same order) every field must agree."""
    assert isinstance(o, dict) and set(o) == ORDER_KEYS, \
        f"supplier order keys: extra {sorted(set(o) - ORDER_KEYS)}, missing {sorted(ORDER_KEYS - set(o))}"
    assert set(o["deliveryAddress"]) == ADDRESS_KEYS, f"deliveryAddress {o['deliveryAddress']}"
    assert set(o["requester"]) == REQUESTER_KEYS, f"requester {o['requester']}"
    assert o["status"] in ("OPEN", "DECLINED", "ACCEPTED", "COMPLETED"), o["status"]
    assert isinstance(o["removed"], bool) and isinstance(o["id"], int), o
    assert isinstance(o["clientObjectId"], str) and isinstance(o["clientName"], str), o
    assert o["deliveryAddress"]["type"] in ("CLIENT_HOME", "MANUAL"), o["deliveryAddress"]
    for k in TIMES:
        assert_time(o[k], f"supplier order {o['id']}: {k}", nullable=k not in ("createdAt", "updatedAt"))
    if staff is None:
        return
    d, a, q, r = staff["delivery"], o["deliveryAddress"], staff["orderer"], o["requester"]
    want = {"id": staff["id"], "uuid": staff["uuid"], "createdAt": staff["created_at"],
            "productId": product, "clientObjectId": str(staff["client_id"]),
            "status": staff["status"], "acceptedAt": staff["accepted_at"],
            "declinedAt": staff["declined_at"], "completedAt": staff["completed_at"],
            "deviceIdentificationNumber": staff["device_identification_number"],
            "orderNumber": staff["order_number"], "supplierNote": staff["supplier_note"],
            "trackingUrl": staff["tracking_url"]}
    got = {k: o[k] for k in want}
    assert got == want, f"supplier order {got} != staff order {want}"
    assert (a["street"], a["homeNumber"], a["homeNumberExtension"], a["zipcode"], a["city"],
            a["country"], a["type"]) == (d["street"], d["house_number"], d["house_number_ext"],
                                         d["postcode"], d["city"], "NL", d["type"]), \
        f"deliveryAddress {a} != delivery {d}"
    assert (r["name"], r["emailAddress"], r["phoneNumber"], r["teamName"], r["teamObjectId"],
            r["employeeObjectId"]) == (q["name"], q["email"], q["phone"], q["team_name"],
                                       str(q["team_id"]), str(q["staff_id"])), \
        f"requester {r} != orderer {q}"


def _no_client_data(ctx, text, cids):
    """No BSN (key or digits) and no birth date of these clients in a raw supplier body."""
    assert '"bsn"' not in text.lower(), f"a bsn key in a supplier body: {text[:300]}"
    for cid in cids:
        bsn, birth = ctx.rows("SELECT bsn, birth_date FROM clients WHERE id = ?", cid)[0]
        assert not bsn or bsn not in text, f"client {cid}'s BSN is in a supplier body"
        assert not birth or birth not in text, f"client {cid}'s birth date is in an order body"


# ---- the whole life -----------------------------------------------------------------------

def test_hct_supplier_whole_life_accept(ctx):
    """Place (twice with one key: one order), the supplier lists it (first fetch recorded),
    fetches it by id and uuid, accepts it with its details; staff see ACCEPTED with them;
    start use: a registration, COMPLETED for staff and supplier; no further accept/decline."""
    user = "coordinator"
    cid = _client(ctx, 1)
    body = ctx.order_body(user, cid)
    key = new_key()
    rows = ctx.order_rows()
    first = ctx.place_order(user, cid, body, key=key)
    again = ctx.place_order(user, cid, body, key=key)
    assert_status(first, 201)
    assert_status(again, 201)
    o = first.json
    assert again.json["id"] == o["id"], "the same key made a second order"
    assert ctx.order_rows() == rows + 1, f"{ctx.order_rows() - rows} order rows for one key"
    oid = o["id"]
    assert o["fetched_at"] is None and ctx.order_row(oid, "fetched_at") is None, "fetched at birth"
    # The supplier's list, filtered as its connector would: first fetch.
    rev = ctx.revision()
    listed = _list(ctx, "?product_codes=DOSELL-01&statuses=OPEN")
    assert all(x["productId"] == "DOSELL-01" and x["status"] == "OPEN" for x in listed), \
        f"the filters let through {[(x['productId'], x['status']) for x in listed]}"
    mine = [x for x in listed if x["id"] == oid]
    assert len(mine) == 1, f"order {oid} not listed once: {[x['id'] for x in listed]}"
    check_supplier_order(mine[0], o)
    assert mine[0]["removed"] is False
    assert mine[0]["clientName"] == ctx.one("SELECT name FROM clients WHERE id = ?", cid)
    staff = ctx.get_order(user, oid)
    assert_time(staff["fetched_at"], "fetched_at after the first fetch")
    assert ctx.order_row(oid, "fetched_at") is not None, "fetched_at not stored"
    item = [c for c in ctx.changes(user, rev) if c["type"] == "hct_order" and c["id"] == oid]
    assert item and item[-1]["data"]["fetched_at"], "the first fetch did not bump the order's rev"
    by_id, by_uuid = _get(ctx, oid), _get(ctx, o["uuid"])
    assert by_id == by_uuid, f"by id {by_id} != by uuid {by_uuid}"
    check_supplier_order(by_id, ctx.get_order(user, oid))
    assert ctx.get_order(user, oid)["fetched_at"] == staff["fetched_at"], "fetched_at moved"
    # Accept with every detail.
    details = {"orderNumber": "DS-2026-0042",
               "trackingUrl": "https://track.example/DS-2026-0042?lang=nl&x=1",
               "deviceIdentificationNumber": "DOS 12.345_A-b,c",
               "supplierNote": "Levering dinsdag tussen 9 en 12 uur"}
    rev = ctx.revision()
    r = _patch(ctx, oid, {"accepted": True, **details})
    assert_status(r, 204)
    assert not r.body.strip(), f"204 with a body: {r.text[:200]}"
    staff = ctx.get_order(user, oid)
    check_order(staff)
    assert staff["status"] == "ACCEPTED" and staff["declined_at"] is None, staff
    assert_time(staff["accepted_at"], "accepted_at")
    assert (staff["order_number"], staff["tracking_url"], staff["device_identification_number"],
            staff["supplier_note"]) == (details["orderNumber"], details["trackingUrl"],
                                        details["deviceIdentificationNumber"],
                                        details["supplierNote"]), staff
    assert [c for c in ctx.changes(user, rev) if c["type"] == "hct_order" and c["id"] == oid
            and c["data"]["status"] == "ACCEPTED"], "accepting did not reach the feed"
    sup = _get(ctx, oid)
    check_supplier_order(sup, staff)
    for change in ({"accepted": True}, {"accepted": False, "supplierNote": "toch niet"}):
        assert_problem(_patch(ctx, oid, change), 409)
    assert ctx.get_order(user, oid)["status"] == "ACCEPTED"
    # Start of use completes it.
    r = ctx.staff_request(user, "POST", f"/api/v1/hct-orders/{oid}/start-use",
                          {"serial": details["deviceIdentificationNumber"], "start_date": _today()})
    assert_status(r, 201)
    reg = r.json
    check_registration(reg)
    assert reg["order_id"] == oid and reg["serial"] == details["deviceIdentificationNumber"], reg
    staff = ctx.get_order(user, oid)
    assert staff["status"] == "COMPLETED" and staff["registration_id"] == reg["id"], staff
    sup = _get(ctx, oid)
    check_supplier_order(sup, staff)
    assert sup["status"] == "COMPLETED" and sup["completedAt"] and sup["removed"] is False, sup
    assert oid in [x["id"] for x in _list(ctx, "?statuses=COMPLETED")]
    assert oid not in [x["id"] for x in _list(ctx, "?statuses=OPEN,ACCEPTED")]
    for change in ({"accepted": True}, {"accepted": False}):
        assert_problem(_patch(ctx, oid, change), 409)


def test_hct_supplier_decline_and_delete(ctx):
    """Decline with a reason: staff see DECLINED with supplier_note; staff delete it: the
    supplier still sees it, removed: true, cannot accept it (409), and the client endpoint
    no longer answers for that client."""
    user = "coordinator"
    cid = _fresh_client(ctx, 1)
    o = ctx.order(user, cid)
    oid = o["id"]
    c = ctx.supplier_ok("GET", f"{SUPPLIER_CLIENTS}/{cid}")
    assert c == {"clientObjectId": str(cid), "name": ctx.one("SELECT name FROM clients WHERE id = ?", cid),
                 "birthDate": ctx.one("SELECT birth_date FROM clients WHERE id = ?", cid)}, c
    reason = "Niet leverbaar: geen dekking op dit adres"
    rev = ctx.revision()
    r = _patch(ctx, oid, {"accepted": False, "supplierNote": reason})
    assert_status(r, 204)
    assert [c for c in ctx.changes(user, rev) if c["type"] == "hct_order" and c["id"] == oid
            and c["data"]["status"] == "DECLINED"], "declining did not reach the feed"
    staff = ctx.get_order(user, oid)
    check_order(staff)
    assert (staff["status"], staff["supplier_note"], staff["accepted_at"]) == \
        ("DECLINED", reason, None), staff
    assert_time(staff["declined_at"], "declined_at")
    sup = _get(ctx, oid)
    check_supplier_order(sup, staff)
    assert sup["declinedAt"] and sup["supplierNote"] == reason, sup
    for change in ({"accepted": True}, {"accepted": False, "supplierNote": "nogmaals"}):
        assert_problem(_patch(ctx, oid, change), 409)
    assert ctx.get_order(user, oid)["supplier_note"] == reason, "a refused change changed the reason"
    # Staff delete it: the supplier keeps seeing it, removed.
    assert_status(ctx.staff_request(user, "DELETE", f"/api/v1/hct-orders/{oid}"), 204)
    sup = _get(ctx, oid)
    assert sup["removed"] is True and sup["status"] == "DECLINED", sup
    assert _get(ctx, o["uuid"])["removed"] is True
    listed = [x for x in _list(ctx) if x["id"] == oid]
    assert len(listed) == 1 and listed[0]["removed"] is True, f"list entry {listed}"
    assert_problem(_patch(ctx, oid, {"accepted": True}), 409)
    assert_problem(_patch(ctx, oid, {"accepted": False}), 409)
    assert_problem(ctx.supplier("GET", f"{SUPPLIER_CLIENTS}/{cid}"), 404)
    assert_problem(ctx.get(user, f"/api/v1/hct-orders/{oid}"), 404)


def test_hct_supplier_list_filters(ctx):
    """Only this supplier's orders (the staff's Dosell orders plus removed ones);
    product_codes and statuses filter; an unknown status is 400."""
    every = _list(ctx)
    assert every, "dosell sees no orders at all"
    assert {x["productId"] for x in every} == {"DOSELL-01"}, {x["productId"] for x in every}
    ids = [x["id"] for x in every]
    assert len(ids) == len(set(ids)), "an order is listed twice"
    staff = {c["id"] for c in ctx.changes("administrator", 0)
             if c["type"] == "hct_order" and not c["deleted"] and c["data"]["device_type_name"] == "Dosell"}
    live = {x["id"] for x in every if not x["removed"]}
    assert live == staff, (f"dosell lists {sorted(live - staff)[:5]} staff do not have, misses "
                           f"{sorted(staff - live)[:5]}")
    by = {x["id"]: x for x in every}

    def ids_of(query):
        return sorted(x["id"] for x in _list(ctx, query))

    assert ids_of("?product_codes=DOSELL-01") == sorted(by)
    assert ids_of("?product_codes=DOSELL-01,LUNA-01") == sorted(by)
    assert ids_of("?product_codes=LUNA-01") == [], "dosell sees Nedap Luna orders"
    assert ids_of("?product_codes=NOPE-99") == []
    for statuses in ("OPEN", "DECLINED", "ACCEPTED", "COMPLETED", "OPEN,ACCEPTED", "DECLINED,COMPLETED"):
        want = sorted(i for i, x in by.items() if x["status"] in statuses.split(","))
        assert ids_of(f"?statuses={statuses}") == want, f"statuses={statuses}"
    want = sorted(i for i, x in by.items() if x["status"] == "OPEN")
    assert ids_of("?product_codes=DOSELL-01&statuses=OPEN") == want
    for bad in ("BOGUS", "OPEN,BOGUS", "REMOVED"):
        assert_problem(ctx.supplier("GET", f"{SUPPLIER_ORDERS}?statuses={bad}"), 400)
    luna = _list(ctx, cert="nedap_luna")
    assert {x["productId"] for x in luna} == {"LUNA-01"}, {x["productId"] for x in luna}
    assert not set(by) & {x["id"] for x in luna}, "an order is listed for two suppliers"
    demo = [x for x in luna if x["status"] == "ACCEPTED" and x["deviceIdentificationNumber"] == "LUNA-000123"]
    assert demo and demo[0]["orderNumber"] and demo[0]["trackingUrl"], "Nedap Luna's demo order"


def test_hct_supplier_first_fetch_recorded(ctx):
    """Fetching one order (by uuid) records fetched_at once (staff API and database); another
    supplier's refused fetch records nothing."""
    user = "coordinator"
    o = ctx.order(user, _client(ctx, 2))
    oid = o["id"]
    assert_problem(ctx.supplier("GET", f"{SUPPLIER_ORDERS}/{o['uuid']}", cert="nedap_luna"), 404)
    assert ctx.get_order(user, oid)["fetched_at"] is None, "another supplier's 404 counted as a fetch"
    assert ctx.order_row(oid, "fetched_at") is None
    rev = ctx.revision()
    _get(ctx, o["uuid"])
    first = ctx.get_order(user, oid)["fetched_at"]
    assert_time(first, "fetched_at")
    stored = ctx.order_row(oid, "fetched_at")
    assert stored is not None, "fetched_at not stored"
    assert [c for c in ctx.changes(user, rev) if c["type"] == "hct_order" and c["id"] == oid], \
        "the first fetch did not bump the order's rev"
    # Move the recorded time an hour back (the store keeps Unix seconds) so that a second
    # fetch within the same second could not hide an overwrite.
    ctx.db.execute('UPDATE "%s" SET fetched_at = fetched_at - 3600 WHERE id = ?'
                   % ctx.hct_table("uuid", "supplier_note", "fetched_at"), (oid,))
    earlier = ctx.get_order(user, oid)["fetched_at"]
    assert earlier < first, f"fetched_at {earlier} after moving it back from {first}"
    _get(ctx, oid)
    _list(ctx, "?statuses=OPEN")
    assert ctx.get_order(user, oid)["fetched_at"] == earlier, "a second fetch moved fetched_at"
    assert ctx.order_row(oid, "fetched_at") == stored - 3600
    assert ctx.get_order(user, oid)["status"] == "OPEN", "fetching changed the status"


def test_hct_supplier_patch_validation(ctx):
    """PATCH .../status: 400 with camelCase invalid_params for each bad field; nothing changes;
    the longest allowed values (140 characters of note, not bytes) are accepted."""
    user = "coordinator"
    o = ctx.order(user, _client(ctx, 3))
    oid = o["id"]

    def acc(**kw):
        return {"accepted": True, **kw}

    cases = [
        ({}, "accepted"), ({"accepted": "yes"}, "accepted"), ({"accepted": None}, "accepted"),
        ({"accepted": 1}, "accepted"), ({"supplierNote": "zonder accepted"}, "accepted"),
        (acc(deviceIdentificationNumber="ab/cd"), "deviceIdentificationNumber"),
        (acc(deviceIdentificationNumber="<script>"), "deviceIdentificationNumber"),
        (acc(deviceIdentificationNumber="DOS\u001b[31m"), "deviceIdentificationNumber"),
        (acc(deviceIdentificationNumber="D" * 51), "deviceIdentificationNumber"),
        (acc(deviceIdentificationNumber=12345), "deviceIdentificationNumber"),
        (acc(orderNumber="N" * 51), "orderNumber"),
        (acc(orderNumber=42), "orderNumber"),
        (acc(supplierNote="n" * 141), "supplierNote"),
        (acc(supplierNote="ë" * 141), "supplierNote"),
        (acc(supplierNote=["x"]), "supplierNote"),
        (acc(trackingUrl="ftp://track.example/1"), "trackingUrl"),
        (acc(trackingUrl="javascript:alert(1)"), "trackingUrl"),
        (acc(trackingUrl="track.example/1"), "trackingUrl"),
        (acc(trackingUrl="https://t.example/" + "a" * 238), "trackingUrl"),
    ]
    wrong = []
    for n, (body, field) in enumerate(cases):
        r = _patch(ctx, oid, body)
        if r.status != 400:
            wrong.append(f"case {n} ({field}): {r.status} {r.text[:160]}")
            continue
        names = [f["name"] for f in r.json.get("invalid_params", [])]
        if field not in names:
            wrong.append(f"case {n}: invalid_params {names} do not name {field!r}")
    assert not wrong, f"{len(wrong)} of {len(cases)} cases wrong: " + "; ".join(wrong)
    p = assert_problem(_patch(ctx, oid, acc(orderNumber="N" * 51, trackingUrl="ftp://x")), 400)
    assert {"orderNumber", "trackingUrl"} <= {f["name"] for f in p["invalid_params"]}, p
    for raw in ("{", "[]", "null"):
        assert_problem(ctx.supplier("PATCH", f"{SUPPLIER_ORDERS}/{oid}/status", body=raw), 400)
    staff = ctx.get_order(user, oid)
    assert staff["status"] == "OPEN" and staff["supplier_note"] is None and \
        staff["order_number"] is None, f"a refused PATCH changed the order: {staff}"
    assert _get(ctx, oid)["status"] == "OPEN"
    for ref in ("999999", "abc"):
        assert_problem(_patch(ctx, ref, {"accepted": True}), 404)
    # The longest allowed values.
    url = "https://t.example/" + "a" * 237
    assert len(url) == 255
    longest = acc(deviceIdentificationNumber="D" * 50, orderNumber="N" * 50,
                  supplierNote="ë" * 140, trackingUrl=url)
    assert_status(_patch(ctx, oid, longest), 204)
    staff = ctx.get_order(user, oid)
    assert (staff["status"], staff["device_identification_number"], staff["order_number"],
            staff["supplier_note"], staff["tracking_url"]) == \
        ("ACCEPTED", "D" * 50, "N" * 50, "ë" * 140, url), staff


def test_hct_supplier_other_supplier_sees_nothing(ctx):
    """nedap_luna's certificate: no Dosell order in its list, 404 on a Dosell order by id and
    by uuid (like a missing one), cannot change it, no client data; and the other way round."""
    user = "coordinator"
    cid = _fresh_client(ctx, 2)
    o = ctx.order(user, cid)
    oid = o["id"]
    luna = _list(ctx, cert="nedap_luna")
    assert oid not in [x["id"] for x in luna], "nedap_luna lists a Dosell order"
    assert all(x["productId"] == "LUNA-01" for x in luna), {x["productId"] for x in luna}
    missing = assert_problem(ctx.supplier("GET", f"{SUPPLIER_ORDERS}/999999", cert="nedap_luna"), 404)
    for ref in (oid, o["uuid"]):
        p = assert_problem(ctx.supplier("GET", f"{SUPPLIER_ORDERS}/{ref}", cert="nedap_luna"), 404)
        assert (p["type"], p["title"]) == (missing["type"], missing["title"]), \
            f"another supplier's order and a missing one are distinguishable: {p} vs {missing}"
    assert_problem(_patch(ctx, oid, {"accepted": True}, cert="nedap_luna"), 404)
    assert_problem(_patch(ctx, oid, {"accepted": False}, cert="nedap_luna"), 404)
    assert_problem(ctx.supplier("GET", f"{SUPPLIER_CLIENTS}/{cid}", cert="nedap_luna"), 404)
    staff = ctx.get_order(user, oid)
    assert staff["status"] == "OPEN" and staff["fetched_at"] is None, staff
    # Dosell cannot see Nedap Luna's orders either.
    for x in luna[:3]:
        assert_problem(ctx.supplier("GET", f"{SUPPLIER_ORDERS}/{x['id']}"), 404)
        assert_problem(ctx.supplier("GET", f"{SUPPLIER_ORDERS}/{x['uuid']}"), 404)


def test_hct_supplier_clients_endpoint(ctx):
    """GET .../clients/{clientObjectId}: name and birth date only, only for a client with a
    (not removed) order of this supplier; else 404."""
    user = "coordinator"
    cid = _fresh_client(ctx, 3)
    path = f"{SUPPLIER_CLIENTS}/{cid}"
    assert_problem(ctx.supplier("GET", path), 404)
    ctx.order(user, cid)
    r = ctx.supplier("GET", path)
    assert_status(r, 200)
    c = r.json
    assert set(c) == {"clientObjectId", "name", "birthDate"}, f"client keys {sorted(c)}"
    name, birth, bsn = ctx.rows("SELECT name, birth_date, bsn FROM clients WHERE id = ?", cid)[0]
    assert c == {"clientObjectId": str(cid), "name": name, "birthDate": birth}, c
    assert bsn not in r.text, "the client's BSN is in the answer"
    assert_problem(ctx.supplier("GET", path, cert="nedap_luna"), 404)
    assert_problem(ctx.supplier("GET", f"{SUPPLIER_CLIENTS}/999999"), 404)
    r = ctx.supplier("GET", f"{SUPPLIER_CLIENTS}/abc")
    assert r.status in (400, 404), f"clients/abc: {r.status}"


def test_hct_supplier_no_bsn_anywhere(ctx):
    """No bsn key and no BSN digits of the clients in any supplier answer (lists, orders,
    clients), for both suppliers; no birth date in an order."""
    for cert in ("dosell", "nedap_luna"):
        r = ctx.supplier("GET", SUPPLIER_ORDERS, cert=cert)
        assert_status(r, 200)
        orders = r.json["orders"]
        assert not keys_anywhere(r.json, "bsn"), f"{cert}: a bsn key in the list"
        cids = {int(o["clientObjectId"]) for o in orders}
        _no_client_data(ctx, r.text, cids)
        for o in orders[:4]:
            one = ctx.supplier("GET", f"{SUPPLIER_ORDERS}/{o['id']}", cert=cert)
            assert_status(one, 200)
            _no_client_data(ctx, one.text, {int(o["clientObjectId"])})
            if not o["removed"]:
                c = ctx.supplier("GET", f"{SUPPLIER_CLIENTS}/{o['clientObjectId']}", cert=cert)
                assert_status(c, 200)
                assert not keys_anywhere(c.json, "bsn"), c.json
                bsn = ctx.one("SELECT bsn FROM clients WHERE id = ?", int(o["clientObjectId"]))
                assert bsn not in c.text, f"{cert}: a BSN in the client answer"


def test_hct_supplier_note_escape_sequences(ctx):
    """A supplierNote with ESC [31m and ESC ]0;x BEL is refused (the text rule: no control
    characters but line breaks and tabs); such a note stored before the rule is served as
    JSON-escaped data (no raw control bytes) to the supplier, the staff API and the feed."""
    user = "coordinator"
    o = ctx.order(user, _client(ctx, 4))
    oid = o["id"]
    rev = ctx.revision()
    assert_problem(_patch(ctx, oid, {"accepted": False, "supplierNote": ESCAPES}), 400,
                   "supplierNote")
    assert ctx.order_row(oid, "supplier_note") is None, "a refused note was stored"
    assert_status(_patch(ctx, oid, {"accepted": False, "supplierNote": "Regel 1\n\tRegel 2"}), 204)
    assert ctx.order_row(oid, "supplier_note") == "Regel 1\n\tRegel 2", "line breaks and tabs are allowed"
    t = ctx.hct_table("uuid", "supplier_note", "fetched_at")
    ctx.db.execute(f'UPDATE "{t}" SET supplier_note = ? WHERE id = ?', (ESCAPES, oid))
    raw = ctx.supplier("GET", f"{SUPPLIER_ORDERS}/{oid}")
    assert_status(raw, 200)
    staff = ctx.staff_request(user, "GET", f"/api/v1/hct-orders/{oid}")
    assert_status(staff, 200)
    feed = ctx.staff_request(user, "GET", f"/api/v1/changes?since={rev}")
    assert_status(feed, 200)
    for where, r, note in (("supplier", raw, lambda j: j["supplierNote"]),
                           ("staff", staff, lambda j: j["supplier_note"]),
                           ("feed", feed, lambda j: next(c["data"]["supplier_note"] for c in j["changes"]
                                                         if c["type"] == "hct_order" and c["id"] == oid))):
        assert b"\x1b" not in r.body and b"\x07" not in r.body, f"{where}: raw control bytes in the body"
        assert "\\u001b" in r.text.lower() and "\\u0007" in r.text.lower(), \
            f"{where}: the escapes are not JSON-escaped: {r.text[:300]!r}"
        assert note(json.loads(r.text)) == ESCAPES, f"{where}: the note is not served as data"


def test_hct_supplier_needs_certificate(ctx):
    """Without a client certificate, with only a staff token, or with a certificate of an
    untrusted CA: 403 (or a refused handshake) on every supplier endpoint; a supplier
    certificate does not open the staff HCT API (401)."""
    cid = ctx.visible_clients("coordinator")[0]
    paths = [("GET", SUPPLIER_ORDERS), ("GET", f"{SUPPLIER_ORDERS}/1"),
             ("PATCH", f"{SUPPLIER_ORDERS}/1/status"), ("GET", f"{SUPPLIER_CLIENTS}/{cid}")]
    tok = ctx.token("administrator")
    for method, path in paths:
        body = '{"accepted": true}' if method == "PATCH" else None
        assert_problem(ctx.supplier(method, path, body=body, cert=None, audited=False), 403)
        r = ctx.direct.request(method, path, token=tok, body=body)
        assert_problem(r, 403)
        args = ["--cacert", ctx.zorgd.pem("ca.pem"), "--cert", ctx.zorgd.pem("rogue.pem"),
                "--key", ctx.zorgd.pem("rogue.key"), "-X", method]
        rc, status, _, text = curl([*args, f"https://127.0.0.1:{ctx.zorgd.port}{path}"])
        assert rc != 0 or status == 403, f"{method} {path} with the rogue certificate: {status} {text[:200]}"
    for method, path in (("GET", "/api/v1/device-types"), ("GET", f"/api/v1/clients/{cid}/hct")):
        assert_problem(ctx.supplier(method, path, audited=False), 401)


def test_caren_portal_certificate_refused_on_supplier_api(ctx):
    """The demo Caren portal certificate (build/pki/caren.pem, CN caren-delinde-0001, issue 9)
    is trusted for TLS but names connector 'caren', which is no supplier: 403 on every
    supplier endpoint, audited with the certificate's CN."""
    assert _cn(ctx, "caren") == "caren-delinde-0001"
    cid = ctx.visible_clients("coordinator")[0]
    for method, path in (("GET", SUPPLIER_ORDERS), ("GET", f"{SUPPLIER_ORDERS}/1"),
                         ("PATCH", f"{SUPPLIER_ORDERS}/1/status"), ("GET", f"{SUPPLIER_CLIENTS}/{cid}")):
        body = '{"accepted": true}' if method == "PATCH" else None
        assert_problem(ctx.supplier(method, path, body=body, cert="caren"), 403)


def test_hct_supplier_calls_audited(ctx):
    """Each supplier call adds an audit row: actor_type 'supplier', actor_id the certificate's
    CN, remote address 127.0.0.1 (ctx.supplier checks the first two on every call)."""
    o = ctx.order("coordinator", _client(ctx, 5))
    cn = _cn(ctx, "dosell")
    calls = [("GET", f"{SUPPLIER_ORDERS}?statuses=OPEN", None),
             ("GET", f"{SUPPLIER_ORDERS}/{o['id']}", None),
             ("GET", f"{SUPPLIER_ORDERS}/999999", None),
             ("GET", f"{SUPPLIER_CLIENTS}/{o['client_id']}", None),
             ("PATCH", f"{SUPPLIER_ORDERS}/{o['id']}/status", {"accepted": "x"}),
             ("PATCH", f"{SUPPLIER_ORDERS}/{o['id']}/status", {"accepted": True})]
    for method, path, body in calls:
        before = ctx.one("SELECT max(id) FROM audit")
        ctx.supplier(method, path, body)
        rows = ctx.rows("SELECT actor_type, actor_id, remote_addr FROM audit WHERE id > ?", before)
        assert rows, f"{method} {path}: no audit row"
        assert all(r == ("supplier", cn, "127.0.0.1") for r in rows), f"{method} {path}: audit rows {rows}"
    luna = _cn(ctx, "nedap_luna")
    before = ctx.one("SELECT max(id) FROM audit")
    ctx.supplier("GET", f"{SUPPLIER_ORDERS}/{o['id']}", cert="nedap_luna")
    rows = ctx.rows("SELECT actor_type, actor_id FROM audit WHERE id > ?", before)
    assert rows and all(r == ("supplier", luna) for r in rows), f"nedap_luna's refused fetch: {rows}"


def _make_cert(ctx, name, cn):
    """A client certificate signed by the development CA (the one zorgd trusts) with this CN,
    in the run's temporary directory; returns its path without .pem/.key."""
    base = os.path.join(ctx.zorgd.tmp, name)
    ext = base + ".ext"
    with open(ext, "w") as f:
        f.write("extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n"
                "basicConstraints=CA:FALSE\n")
    for cmd in (["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-out", base + ".key"],
                ["openssl", "req", "-new", "-key", base + ".key", "-subj", f"/O={name}/CN={cn}",
                 "-out", base + ".csr"],
                ["openssl", "x509", "-req", "-in", base + ".csr", "-CA", ctx.zorgd.pem("ca.pem"),
                 "-CAkey", ctx.zorgd.pem("ca.key"), "-set_serial", str(abs(hash(cn)) % 10**9),
                 "-days", "2", "-sha256", "-extfile", ext, "-out", base + ".pem"]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        assert p.returncode == 0, f"{' '.join(cmd[:3])}: {p.stderr[:300]}"
    return base


def test_hct_supplier_unknown_connector(ctx):
    """A trusted certificate whose connector is no known supplier, or a supplier whose access
    is withdrawn: 403 on the order API."""
    for name, cn in (("acme", "acme-delinde-0001"), ("nodash", "dosell")):
        base = _make_cert(ctx, name, cn)
        for path in (SUPPLIER_ORDERS, f"{SUPPLIER_CLIENTS}/1"):
            assert_problem(ctx.supplier("GET", path, cert=base, audited=False), 403)
    # Access withdrawn (suppliers.access_granted, the demo grants Dosell and Nedap Luna).
    ctx.db.execute("UPDATE suppliers SET access_granted = 0 WHERE connector = 'nedap_luna'")
    try:
        assert_problem(ctx.supplier("GET", SUPPLIER_ORDERS, cert="nedap_luna", audited=False), 403)
    finally:
        ctx.db.execute("UPDATE suppliers SET access_granted = 1 WHERE connector = 'nedap_luna'")
    _list(ctx, cert="nedap_luna")
