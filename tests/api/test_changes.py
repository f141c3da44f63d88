"""The change feed: initial sync in pages, scope, no BSN, long-polling, bad parameters."""

import threading
import time

from harness import USERS, assert_problem, fold, keys_anywhere

DATA_KEYS = {
    "location": {"id", "parent_id", "name", "kind"},
    "team": {"id", "location_id", "name"},
    "client": {"id", "client_number", "name", "birth_date", "location_id"},
}
# Home-care technology (docs/hct-api.md): their scope and task rules are tested in test_hct.py;
# here they only have to be well-formed. Deleted HCT orders come as deleted: true.
HCT_DATA_KEYS = {
    "device_type": {"id", "name", "product_code", "supplier", "in_use", "ordering"},
    "hct_order": {"id", "client_id", "status", "device_type_id"},
    "hct_registration": {"id", "client_id", "device_type_id", "serial", "start_date"},
}
# Caren (issue 9): facts per client (id = client id) and the portal (id 1); never a code.
CAREN_DATA_KEYS = {
    "caren": {"id", "client_id", "link_active", "invitation_valid_until"},
    "caren_portal": {"id", "enabled", "reachable"},
}
HCT_DATA_KEYS.update(CAREN_DATA_KEYS)


def _feed(ctx, user, since=0, limit=50, max_pages=2000):
    """Follow `next` from since until a page is empty. Returns (items, final next, pages)."""
    items, pages = [], 0
    while pages < max_pages:
        path = f"/api/v1/changes?since={since}&limit={limit}"
        page = ctx.get_ok(user, path)
        pages += 1
        ch, nxt = page.get("changes"), page.get("next")
        assert isinstance(ch, list) and isinstance(nxt, int), f"{path}: {str(page)[:300]}"
        assert len(ch) <= limit, f"{path}: {len(ch)} changes > limit"
        if not ch:
            assert nxt >= since, f"{path}: empty page goes back to {nxt}"
            return items, nxt, pages
        revs = [c["rev"] for c in ch]
        assert all(r > since for r in revs), f"{path}: revisions not after since: {revs[:5]}"
        assert nxt >= revs[-1], f"{path}: next {nxt} < last rev {revs[-1]}"
        items.extend(ch)
        since = nxt
    raise AssertionError(f"{user}: the feed did not end after {max_pages} pages")


def _expected(ctx, user):
    want = {("location", r[0]): r[1] for r in ctx.rows(
        "SELECT id, rev FROM locations WHERE deleted = 0")}
    want.update({("team", r[0]): r[1] for r in ctx.rows("SELECT id, rev FROM teams WHERE deleted = 0")})
    revs = dict(ctx.rows("SELECT id, rev FROM clients WHERE deleted = 0"))
    want.update({("client", cid): revs[cid] for cid in ctx.visible_clients(user)})
    return want


def _check_sync(ctx, user, limit):
    items, nxt, pages = _feed(ctx, user, 0, limit)
    revs = [c["rev"] for c in items]
    assert revs == sorted(revs) and len(set(revs)) == len(revs), \
        f"{user}: revisions not strictly increasing"
    keys = [(c["type"], c["id"]) for c in items]
    dup = {k for k in keys if keys.count(k) > 1} if len(set(keys)) != len(keys) else set()
    assert not dup, f"{user}: objects more than once: {sorted(dup)[:5]}"
    want = _expected(ctx, user)
    unknown = {c["type"] for c in items} - set(DATA_KEYS) - set(HCT_DATA_KEYS)
    assert not unknown, f"{user}: unknown feed types {sorted(unknown)}"
    got = {(c["type"], c["id"]): c["rev"] for c in items if c["type"] in DATA_KEYS}
    assert set(got) == set(want), (f"{user}: feed has extra {sorted(set(got) - set(want))[:5]}, "
                                   f"misses {sorted(set(want) - set(got))[:5]}")
    assert got == want, f"{user}: feed revisions differ from the database"
    assert not keys_anywhere(items, "bsn"), f"{user}: a BSN in the change feed"
    for c in items:
        if c["type"] in HCT_DATA_KEYS and c["deleted"]:
            continue
        assert c["deleted"] is False, c
        keys = DATA_KEYS.get(c["type"]) or HCT_DATA_KEYS[c["type"]]
        assert set(c["data"]) >= keys, f"{c['type']} data {c['data']}"
        assert c["data"]["id"] == c["id"], c
    assert nxt == ctx.revision(), f"{user}: final next {nxt} != database revision {ctx.revision()}"
    assert pages >= 2, "expected several pages"
    return items


def test_changes_initial_sync_administrator(ctx):
    """since=0 in pages of 50: every location, team and client once, increasing rev, no BSN."""
    items = _check_sync(ctx, "administrator", 50)
    db = {r[0]: r[1:] for r in ctx.rows(
        "SELECT id, client_number, name, birth_date, location_id FROM clients")}
    for c in items:
        if c["type"] == "client":
            d = c["data"]
            assert (d["client_number"], d["name"], d["birth_date"], d["location_id"]) == db[c["id"]], d


def test_changes_initial_sync_every_user(ctx):
    """Each user's feed holds what that user may see (pages of 7 and 500)."""
    for user in USERS:
        _check_sync(ctx, user, 7 if user == "coordinator" else 500)


def test_changes_scope(ctx):
    """The coordinator's feed has only their region's clients; beheerder's has none."""
    items, _, _ = _feed(ctx, "coordinator", 0, 1000)
    locs = ctx.scope_locations("coordinator")
    clients = [c for c in items if c["type"] == "client"]
    assert clients and all(c["data"]["location_id"] in locs for c in clients), \
        "coordinator's feed has clients outside the region"
    items, _, _ = _feed(ctx, "beheerder", 0, 1000)
    assert not [c for c in items if c["type"] == "client"], "beheerder's feed has clients"
    assert [c for c in items if c["type"] == "location"], "beheerder's feed lacks locations"


def test_changes_no_wait_when_current(ctx):
    """since=<current> without wait: at once, empty, next unchanged."""
    cur = ctx.revision()
    t0 = time.monotonic()
    page = ctx.get_ok("support", f"/api/v1/changes?since={cur}")
    assert page["changes"] == [] and page["next"] == cur, page
    assert time.monotonic() - t0 < 1.0 * ctx.scale, "answer without wait took too long"


def test_changes_wait_without_change(ctx):
    """wait=1 and nothing changes: returns after about a second, empty, next unchanged."""
    cur = ctx.revision()
    t0 = time.monotonic()
    page = ctx.get_ok("zorgverlener", f"/api/v1/changes?since={cur}&wait=1")
    took = time.monotonic() - t0
    assert page["changes"] == [] and page["next"] == cur, page
    assert 0.9 <= took < 3.0 * ctx.scale, f"wait=1 took {took:.2f} s"


def _touch_client(ctx, cid, name):
    """In one transaction: bump the revision, rename client cid with the new revision."""
    db = ctx.db
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("UPDATE revision SET value = value + 1 WHERE id = 1")
        rev = db.execute("SELECT value FROM revision WHERE id = 1").fetchone()[0]
        db.execute("UPDATE clients SET name = ?, search_name = ?, rev = ? WHERE id = ?",
                   (name, fold(name), rev, cid))
        db.execute("COMMIT")
    except Exception:
        db.execute("ROLLBACK")
        raise
    return rev


def test_changes_long_poll_wakes_on_change(ctx):
    """wait=5 returns within 3 s of a change written by another process, with that client."""
    user = "coordinator"
    tok = ctx.token(user)
    cid = ctx.visible_clients(user)[-1]
    cur = ctx.revision()
    sent = threading.Event()
    result = {}

    def poll():
        try:
            result["r"] = ctx.api.request("GET", f"/api/v1/changes?since={cur}&wait=5",
                                          token=tok, on_sent=sent.set, timeout=30 * ctx.scale)
        except Exception as e:  # reported by the main thread
            result["e"] = e
        finally:
            result["t"] = time.monotonic()
            sent.set()

    th = threading.Thread(target=poll, daemon=True)
    th.start()
    assert sent.wait(10 * ctx.scale), "the long-poll request was not sent"
    if "e" in result:
        raise result["e"]
    t0 = time.monotonic()
    new_name = "Ëlla Wijzigingstest-Ĳsselmeer"
    rev = _touch_client(ctx, cid, new_name)
    th.join(20 * ctx.scale)
    assert not th.is_alive(), "the long-poll did not return"
    if "e" in result:
        raise result["e"]
    r = result["r"]
    took = result["t"] - t0
    assert r.status == 200, r
    assert took < 3.0 * ctx.scale, f"long-poll answered {took:.2f} s after the change"
    page = r.json
    hits = [c for c in page["changes"] if c["type"] == "client" and c["id"] == cid]
    assert len(hits) == 1, f"changed client {cid} not in the answer: {page}"
    assert hits[0]["rev"] == rev and hits[0]["data"]["name"] == new_name, hits[0]
    assert page["next"] == rev, f"next {page['next']} != {rev}"
    assert not keys_anywhere(page, "bsn")
    # Someone whose scope does not hold the client does not see the change.
    if cid not in ctx.visible_clients("zorgverlener"):
        page = ctx.get_ok("zorgverlener", f"/api/v1/changes?since={cur}")
        assert all(c["id"] != cid or c["type"] != "client" for c in page["changes"]), page
    # The client list shows the new name too.
    c = ctx.get_ok(user, f"/api/v1/clients/{cid}")
    assert c["name"] == new_name, c["name"]


def test_changes_bad_parameters(ctx):
    """Bad since/limit/wait: 400 naming the parameter."""
    cases = [("since=-1", "since"), ("since=abc", "since"), ("since=", "since"),
             ("limit=0", "limit"), ("limit=5001", "limit"), ("limit=abc", "limit"),
             ("wait=-1", "wait"), ("wait=abc", "wait"), ("wait=3600", "wait"),
             ("since=1.5", "since")]
    for qs, field in cases:
        r = ctx.get("administrator", f"/api/v1/changes?{qs}", invalid=True)
        assert_problem(r, 400, field)


def test_changes_requires_login(ctx):
    """The feed without a token: 401."""
    assert_problem(ctx.api.request("GET", "/api/v1/changes?since=0", invalid=True), 401)


def test_changes_cached_item_gives_way_to_a_new_revision(ctx):
    """zorgd keeps the text of feed items per (type, id, revision) (feed_cache.c): a client
    served from that cache and then changed in the store (with a new revision, as every
    writer does) comes with its new data, both after `since` and in a sync from 0."""
    user = "administrator"
    cid = ctx.visible_clients(user)[3]
    old_name, old_rev = ctx.rows("SELECT name, rev FROM clients WHERE id = ?", cid)[0]

    def item(since):
        for c in _feed(ctx, user, since, 1000)[0]:
            if c["type"] == "client" and c["id"] == cid:
                return c
        return None

    for _ in range(2):  # the second page comes from the cache
        c = item(old_rev - 1)
        assert c and c["rev"] == old_rev and c["data"]["name"] == old_name, c
    new_rev = _touch_client(ctx, cid, "Cache Nieuwenhuis")
    try:
        c = item(old_rev - 1)
        assert c and c["rev"] == new_rev, f"after the change: {c}"
        assert c["data"]["name"] == "Cache Nieuwenhuis", f"stale data from the cache: {c}"
        c = item(0)
        assert c and c["data"]["name"] == "Cache Nieuwenhuis", f"stale in a full sync: {c}"
    finally:
        _touch_client(ctx, cid, old_name)
