"""Clients: scoped list with paging and search, the client record, BSN look-up, audit."""

import threading
from urllib.parse import quote

from harness import assert_problem, fold, keys_anywhere

CLIENT_VIEWERS = ("administrator", "coordinator", "zorgverlener", "support")
SUMMARY_KEYS = {"id", "client_number", "name", "birth_date", "location_id"}
ADDRESS_KEYS = {"id", "street", "house_number", "house_number_ext", "postcode", "city", "active"}


def bsn_valid(s):
    """The Dutch 11-check."""
    if len(s) != 9 or not s.isdigit():
        return False
    d = [int(c) for c in s]
    return (sum(d[i] * (9 - i) for i in range(8)) - d[8]) % 11 == 0


def _db_clients(ctx):
    return {r[0]: {"id": r[0], "client_number": r[1], "name": r[2], "birth_date": r[3],
                   "location_id": r[4]}
            for r in ctx.rows("SELECT id, client_number, name, birth_date, location_id"
                              " FROM clients WHERE deleted = 0")}


def _all_pages(ctx, user, query="", limit=50, max_pages=1000):
    """Follow next_after until it is null; returns every listed client, in order."""
    out, after = [], None
    for _ in range(max_pages):
        path = f"/api/v1/clients?limit={limit}{query}" + (f"&after={after}" if after else "")
        page = ctx.get_ok(user, path)
        items = page["clients"]
        assert isinstance(items, list), page
        assert len(items) <= limit, f"{path}: {len(items)} items > limit {limit}"
        out.extend(items)
        after = page.get("next_after")
        assert "next_after" in page, f"{path}: no next_after key"
        if after is None:
            return out
        assert items, f"{path}: empty page with next_after {after}"
        assert after == items[-1]["id"], f"{path}: next_after {after} != last id"
    raise AssertionError("paging did not end")


def _search(ctx, user, q, **extra):
    qs = "&".join(f"{k}={v}" for k, v in extra.items())
    return _all_pages(ctx, user, f"&q={quote(q)}" + (f"&{qs}" if qs else ""), limit=100)


def _expected_search(ctx, user, words):
    db = _db_clients(ctx)
    return [cid for cid in ctx.visible_clients(user)
            if all(w in fold(db[cid]["name"]) for w in words)]


def test_clients_list_pages_through_scope(ctx):
    """Paging (limit/after/next_after) returns every in-scope client exactly once, in id order."""
    db = _db_clients(ctx)
    for user in CLIENT_VIEWERS:
        items = _all_pages(ctx, user, limit=50)
        ids = [c["id"] for c in items]
        want = ctx.visible_clients(user)
        assert len(ids) == len(set(ids)), f"{user}: a client is listed twice"
        assert ids == want, (f"{user}: listed {len(ids)} clients, in scope {len(want)}; "
                             f"extra {sorted(set(ids) - set(want))[:10]}, "
                             f"missing {sorted(set(want) - set(ids))[:10]}")
        for c in items:
            assert set(c) >= SUMMARY_KEYS, f"{user}: {c}"
            assert "bsn" not in c, f"{user}: the list carries a BSN: {c}"
            assert {k: c[k] for k in SUMMARY_KEYS} == db[c["id"]], f"{c} != {db[c['id']]}"


def test_clients_list_scope_differs(ctx):
    """The coordinator sees only their region's clients, the zorgverlener only their team's."""
    total = ctx.one("SELECT count(*) FROM clients WHERE deleted = 0")
    admin = ctx.visible_clients("administrator")
    coord = ctx.visible_clients("coordinator")
    zv = ctx.visible_clients("zorgverlener")
    assert len(admin) == total
    assert 0 < len(coord) < total and 0 < len(zv) < total, (len(coord), len(zv))
    locs = ctx.scope_locations("coordinator")
    page = ctx.get_ok("coordinator", "/api/v1/clients?limit=500")
    assert page["clients"], "the coordinator sees no clients"
    assert all(c["location_id"] in locs for c in page["clients"]), "a client outside the region"
    assert len(page["clients"]) == len(coord)


def test_clients_default_limit(ctx):
    """Without limit a page holds at most 100 clients and says where to go on."""
    page = ctx.get_ok("administrator", "/api/v1/clients")
    assert 0 < len(page["clients"]) <= 100, len(page["clients"])
    assert page["next_after"] == page["clients"][-1]["id"], page["next_after"]


def test_clients_list_forbidden_for_beheerder(ctx):
    """beheerder has no client.view: 403."""
    assert_problem(ctx.get("beheerder", "/api/v1/clients"), 403)
    assert_problem(ctx.get("beheerder", "/api/v1/clients?q=jose"), 403)


def test_clients_search_diacritics_insensitive(ctx):
    """q=jose finds 'José van den Berg'; every hit's name contains the word (folded)."""
    jose = ctx.one("SELECT id FROM clients WHERE name = 'José van den Berg'")
    assert jose, "demo data lacks José van den Berg"
    for q in ("jose", "José", "JOSE", "josé"):
        hits = _search(ctx, "administrator", q)
        ids = [c["id"] for c in hits]
        assert jose in ids, f"q={q!r} does not find José van den Berg: {[c['name'] for c in hits][:10]}"
        for c in hits:
            assert "jose" in fold(c["name"]), f"q={q!r} returned {c['name']!r}"
        assert ids == _expected_search(ctx, "administrator", ["jose"]), f"q={q!r}: {ids}"


def test_clients_search_word_order(ctx):
    """Word order does not matter and every word must match ('berg jose' = 'jose berg')."""
    jose = ctx.one("SELECT id FROM clients WHERE name = 'José van den Berg'")
    a = [c["id"] for c in _search(ctx, "coordinator", "berg jose")]
    b = [c["id"] for c in _search(ctx, "coordinator", "José  Berg")]
    assert jose in a and a == b, f"'berg jose' {a} vs 'José Berg' {b}"
    hits = _search(ctx, "coordinator", "van berg")
    for c in hits:
        f = fold(c["name"])
        assert "van" in f and "berg" in f, f"'van berg' returned {c['name']!r}"
    assert [c["id"] for c in hits] == _expected_search(ctx, "coordinator", ["van", "berg"])


def test_clients_search_other_diacritics(ctx):
    """Names with ë, ï, ç, ı, ễ are found by their plain spelling."""
    db = _db_clients(ctx)
    checked = 0
    for word in ("daniel", "lois", "celik", "yilmaz", "nguyen", "ozturk", "chloe", "lucker"):
        want = _expected_search(ctx, "administrator", [word])
        if not want:
            continue
        checked += 1
        got = [c["id"] for c in _search(ctx, "administrator", word)]
        assert got == want, (f"q={word!r}: found {[db[i]['name'] for i in got][:5]}, expected "
                             f"{len(want)} clients such as {[db[i]['name'] for i in want][:5]}")
    assert checked >= 4, "demo data has too few names with diacritics"


def test_clients_search_by_client_number(ctx):
    """q=<client number> finds that client (case-insensitive)."""
    cid, number = ctx.rows("SELECT id, client_number FROM clients ORDER BY id LIMIT 1")[0]
    for q in (number, number.lower()):
        ids = [c["id"] for c in _search(ctx, "administrator", q)]
        assert ids == [cid], f"q={q!r}: {ids}"


def test_clients_search_respects_scope(ctx):
    """A search never returns out-of-scope clients."""
    for user in ("coordinator", "zorgverlener"):
        visible = set(ctx.visible_clients(user))
        for q in ("jose", "van", "a"):
            hits = _search(ctx, user, q)
            assert all(c["id"] in visible for c in hits), f"{user}: q={q!r} left the scope"


def test_clients_search_paging(ctx):
    """A search pages like the plain list."""
    want = _expected_search(ctx, "support", ["r"])
    got = [c["id"] for c in _all_pages(ctx, "support", "&q=r", limit=7)]
    assert got == want and len(want) > 7, f"q=r in pages of 7: {len(got)} vs {len(want)}"


def test_clients_location_filter(ctx):
    """location_id restricts to that location's subtree, still within scope."""
    region = ctx.one("SELECT id FROM locations WHERE kind = 'region' ORDER BY id LIMIT 1")
    sub = {r[0] for r in ctx.rows("SELECT descendant FROM location_closure WHERE ancestor = ?", region)}
    got = [c["id"] for c in _all_pages(ctx, "administrator", f"&location_id={region}", limit=100)]
    db = _db_clients(ctx)
    want = [cid for cid in ctx.visible_clients("administrator") if db[cid]["location_id"] in sub]
    assert got == want and got, f"location_id={region}: {len(got)} vs {len(want)}"
    coord = ctx.scope_locations("coordinator")
    other = ctx.one("SELECT id FROM locations WHERE kind = 'region' AND id NOT IN (%s) LIMIT 1"
                    % ",".join(map(str, coord)))
    page = ctx.get_ok("coordinator", f"/api/v1/clients?location_id={other}")
    assert page["clients"] == [], f"out-of-scope location_id listed {len(page['clients'])} clients"
    team = next(iter(sorted(ctx.scope_locations("zorgverlener"))))
    got = [c["id"] for c in _all_pages(ctx, "zorgverlener", f"&location_id={team}")]
    assert got == ctx.visible_clients("zorgverlener")


def test_clients_bad_query(ctx):
    """Bad limit/after/location_id/q: 400 naming the parameter."""
    cases = [("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"),
             ("limit=", "limit"), ("limit=10x", "limit"), ("after=-1", "after"),
             ("after=abc", "after"), ("location_id=0", "location_id"),
             ("location_id=abc", "location_id"), ("q=" + "a" * 201, "q"),
             ("q=" + quote("a b c d e f g"), "q")]
    for qs, field in cases:
        r = ctx.get("coordinator", f"/api/v1/clients?{qs}", invalid=True)
        assert_problem(r, 400, field)


def test_client_record_fields(ctx):
    """GET /clients/{id}: personalia, addresses (one active at least), contact methods; BSN
    only for users with client.bsn.view."""
    db = _db_clients(ctx)
    for user in CLIENT_VIEWERS:
        may_bsn = "client.bsn.view" in ctx.tasks(user)
        for cid in ctx.visible_clients(user)[:3]:
            c = ctx.get_ok(user, f"/api/v1/clients/{cid}")
            assert set(c) >= SUMMARY_KEYS | {"addresses", "contact_methods"}, f"{user}: {c}"
            assert {k: c[k] for k in SUMMARY_KEYS} == db[cid], f"{c} != {db[cid]}"
            if may_bsn:
                want = ctx.one("SELECT bsn FROM clients WHERE id = ?", cid)
                assert c.get("bsn") == want, f"{user}: bsn {c.get('bsn')!r} != {want!r}"
                assert bsn_valid(c["bsn"]), f"demo BSN {c['bsn']} fails the 11-check"
            else:
                assert "bsn" not in c, f"{user} (no client.bsn.view) got a BSN"
            addrs = c["addresses"]
            rows = {r[0]: r[1:] for r in ctx.rows(
                "SELECT id, street, house_number, house_number_ext, postcode, city, active"
                " FROM client_addresses WHERE client_id = ?", cid)}
            assert sorted(a["id"] for a in addrs) == sorted(rows), f"client {cid}: addresses"
            for a in addrs:
                assert set(a) >= ADDRESS_KEYS, a
                assert isinstance(a["active"], bool) and isinstance(a["house_number"], int), a
                r = rows[a["id"]]
                assert (a["street"], a["house_number"], a["house_number_ext"], a["postcode"],
                        a["city"], a["active"]) == (r[0], r[1], r[2], r[3], r[4], bool(r[5])), a
            assert any(a["active"] for a in addrs), f"client {cid}: no active address"
            cm = c["contact_methods"]
            assert isinstance(cm, list), cm
            n = ctx.one("SELECT count(*) FROM client_contacts WHERE client_id = ?", cid)
            assert len(cm) == n, f"client {cid}: {len(cm)} contact methods, database {n}"
            for m in cm:
                assert m.get("kind") in ("email", "mobile") and isinstance(m.get("value"), str), m


def test_client_record_with_inactive_address_and_contacts(ctx):
    """A client with an inactive address and both contact kinds shows them all."""
    cid = ctx.one("SELECT c.id FROM clients c WHERE EXISTS (SELECT 1 FROM client_addresses a"
                  " WHERE a.client_id = c.id AND a.active = 0) AND (SELECT count(DISTINCT kind)"
                  " FROM client_contacts m WHERE m.client_id = c.id) = 2 ORDER BY c.id LIMIT 1")
    assert cid, "demo data has no client with an inactive address and e-mail plus mobile"
    c = ctx.get_ok("support", f"/api/v1/clients/{cid}")
    assert any(not a["active"] for a in c["addresses"]), c["addresses"]
    assert {m["kind"] for m in c["contact_methods"]} == {"email", "mobile"}, c["contact_methods"]


def test_client_out_of_scope_is_404(ctx):
    """A client outside the caller's scope is 404 (not 403), like a missing one."""
    for user in ("coordinator", "zorgverlener"):
        cid = ctx.out_of_scope_client(user)
        assert cid, f"no out-of-scope client for {user}"
        p = assert_problem(ctx.get(user, f"/api/v1/clients/{cid}"), 404)
        missing = assert_problem(ctx.get(user, "/api/v1/clients/999999"), 404)
        assert (p["type"], p["title"]) == (missing["type"], missing["title"]), \
            f"out-of-scope and missing clients are distinguishable: {p} vs {missing}"
    for path in ("/api/v1/clients/999999", "/api/v1/clients/0", "/api/v1/clients/abc"):
        assert_problem(ctx.get("administrator", path, invalid=not path.endswith("999999")), 404)


def test_client_forbidden_for_beheerder(ctx):
    """beheerder (no client.view): 403 for any client id."""
    assert_problem(ctx.get("beheerder", "/api/v1/clients/1"), 403)
    assert_problem(ctx.get("beheerder", "/api/v1/clients/999999"), 403)


def test_client_read_is_audited(ctx):
    """Every successful read adds an audit row: client.read, object, actor, 127.0.0.1."""
    for user in CLIENT_VIEWERS:
        cid = ctx.visible_clients(user)[-1]
        sid = str(ctx.staff_id(user))
        key = dict(action="client.read", object_id=str(cid), actor_id=sid)
        before = ctx.audit_count(**key)
        ctx.get_ok(user, f"/api/v1/clients/{cid}")
        ctx.get_ok(user, f"/api/v1/clients/{cid}")
        assert ctx.audit_count(**key) == before + 2, f"{user}: reads of {cid} not audited twice"
        row = ctx.rows("SELECT actor_type, remote_addr, at, object_type FROM audit WHERE"
                       " action = 'client.read' AND object_id = ? AND actor_id = ?"
                       " ORDER BY id DESC LIMIT 1", str(cid), sid)[0]
        assert row[0] == "staff" and row[1] == "127.0.0.1", f"audit row {row}"
        assert isinstance(row[2], int) and row[2] > 1600000000, f"audit time {row[2]!r}"
    out = ctx.out_of_scope_client("coordinator")
    before = ctx.audit_count(action="client.read", object_id=str(out), outcome="ok")
    ctx.get("coordinator", f"/api/v1/clients/{out}")
    assert ctx.audit_count(action="client.read", object_id=str(out), outcome="ok") == before, \
        "a refused read was audited as a successful one"


def test_bsn_lookup(ctx):
    """?bsn= of an in-scope client finds exactly that client; audited as client.search_bsn."""
    for user in ("administrator", "coordinator"):
        cid = ctx.visible_clients(user)[0]
        bsn = ctx.one("SELECT bsn FROM clients WHERE id = ?", cid)
        key = dict(action="client.search_bsn", actor_id=str(ctx.staff_id(user)), object_id=str(cid))
        before = ctx.audit_count(**key)
        page = ctx.get_ok(user, f"/api/v1/clients?bsn={bsn}")
        ids = [c["id"] for c in page["clients"]]
        assert ids == [cid], f"{user}: bsn {bsn} -> {ids}, want [{cid}]"
        assert not keys_anywhere(page, "bsn"), "the look-up answer repeats the BSN"
        assert ctx.audit_count(**key) == before + 1, f"{user}: BSN look-up not audited"
        assert ctx.one("SELECT remote_addr FROM audit WHERE action = 'client.search_bsn'"
                       " ORDER BY id DESC LIMIT 1") == "127.0.0.1"


def test_bsn_lookup_out_of_scope_is_empty(ctx):
    """A valid BSN of an out-of-scope client, or of nobody: an empty list (still audited)."""
    cid = ctx.out_of_scope_client("coordinator")
    bsn = ctx.one("SELECT bsn FROM clients WHERE id = ?", cid)
    nobody = next(b for b in (f"{n:09d}" for n in range(111222333, 111232333))
                  if bsn_valid(b) and not ctx.one("SELECT 1 FROM clients WHERE bsn = ?", b))
    sid = str(ctx.staff_id("coordinator"))
    for b in (bsn, nobody):
        before = ctx.audit_count(action="client.search_bsn", actor_id=sid)
        page = ctx.get_ok("coordinator", f"/api/v1/clients?bsn={b}")
        assert page["clients"] == [], f"bsn {b}: {page['clients']}"
        assert ctx.audit_count(action="client.search_bsn", actor_id=sid) == before + 1, \
            f"BSN look-up of {b} not audited"


def test_bsn_lookup_invalid(ctx):
    """A BSN failing the 11-check or not nine digits: 400 naming 'bsn'."""
    for b in ("123456789", "12345678", "1234567890", "abcdefghi", "", "11122233x"):
        assert not bsn_valid(b)
        r = ctx.get("coordinator", f"/api/v1/clients?bsn={b}", invalid=True)
        assert_problem(r, 400, "bsn")


def test_bsn_lookup_forbidden_without_bsn_task(ctx):
    """zorgverlener and support (no client.bsn.view) and beheerder: 403, even for own clients."""
    for user in ("zorgverlener", "support", "beheerder"):
        cid = ctx.visible_clients("administrator")[0]
        bsn = ctx.one("SELECT bsn FROM clients WHERE id = ?", cid)
        assert_problem(ctx.get(user, f"/api/v1/clients?bsn={bsn}"), 403)


AUDIT_TRAP_SQLITE = ("CREATE TRIGGER audit_trap BEFORE INSERT ON audit WHEN NEW.action ="
                     " 'client.read' AND NEW.object_id = '{cid}'"
                     " BEGIN SELECT RAISE(ABORT, 'audit trap'); END")
AUDIT_TRAP_PG = ("CREATE FUNCTION audit_trap() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                 " IF NEW.action = 'client.read' AND NEW.object_id = '{cid}' THEN"
                 " RAISE EXCEPTION 'audit trap'; END IF; RETURN NEW; END $$;"
                 " CREATE TRIGGER audit_trap BEFORE INSERT ON audit FOR EACH ROW"
                 " EXECUTE FUNCTION audit_trap()")


def test_read_whose_audit_row_fails_is_500(ctx):
    """A read whose audit row cannot be committed is answered 500, never 200, also when
    many reads arrive at once (their rows then wait for the committer thread while their
    connections are suspended); a read answered 200 meanwhile has its row committed."""
    pg = ctx.zorgd.db_factory is not None
    user = "administrator"
    trapped, other = ctx.visible_clients(user)[:2]
    ctx.db.executescript((AUDIT_TRAP_PG if pg else AUDIT_TRAP_SQLITE).format(cid=trapped))
    tok = ctx.token(user)
    key = dict(action="client.read", object_id=str(other))
    before = ctx.audit_count(**key)
    before_trapped = ctx.audit_count(action="client.read", object_id=str(trapped))
    results = []

    def reads(cid):
        for _ in range(6):
            r = ctx.direct.request("GET", f"/api/v1/clients/{cid}", token=tok)
            results.append((cid, r.status))

    try:
        threads = [threading.Thread(target=reads, args=(cid,))
                   for cid in [trapped] * 8 + [other] * 8]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(results) == 96, f"only {len(results)} of 96 reads answered"
        bad = [s for cid, s in results if cid == trapped and s != 500]
        assert not bad, f"reads of client {trapped} whose audit row fails answered {bad}"
        ok_other = sum(1 for cid, s in results if cid == other and s == 200)
        assert all(s in (200, 500) for cid, s in results if cid == other)
        assert ctx.audit_count(**key) == before + ok_other, \
            "a read of another client was answered 200 without its audit row"
        assert ctx.audit_count(action="client.read", object_id=str(trapped)) == before_trapped
    finally:
        ctx.db.executescript("DROP TRIGGER audit_trap ON audit; DROP FUNCTION audit_trap()"
                             if pg else "DROP TRIGGER audit_trap")
    ctx.get_ok(user, f"/api/v1/clients/{trapped}")
