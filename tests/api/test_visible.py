"""GET /api/v1/visible: the ids a caller may see, for dropping what the feed cannot take
back (scope changes, clients moving away)."""

from harness import USERS, assert_problem


def _visible_orders(ctx, user):
    if "hct.order.view" not in ctx.tasks(user):
        return []
    locs = ctx.scope_locations(user)
    return [r[0] for r in ctx.rows(
        "SELECT o.id, c.location_id FROM hct_orders o JOIN clients c ON c.id = o.client_id"
        " WHERE o.deleted = 0 AND c.deleted = 0 ORDER BY o.id") if r[1] in locs]


def _visible_registrations(ctx, user):
    if "hct.client.view" not in ctx.tasks(user):
        return []
    locs = ctx.scope_locations(user)
    return [r[0] for r in ctx.rows(
        "SELECT g.id, c.location_id FROM hct_registrations g JOIN clients c ON c.id = g.client_id"
        " WHERE g.deleted = 0 AND c.deleted = 0 ORDER BY g.id") if r[1] in locs]


def test_visible_matches_scope_and_tasks_for_every_user(ctx):
    """Each demo user gets exactly the ids of their scope and tasks, ascending."""
    for user in USERS:
        before = ctx.revision()
        v = ctx.get_ok(user, "/api/v1/visible")
        assert set(v) == {"revision", "clients", "hct_orders", "hct_registrations"}, v.keys()
        assert v["revision"] >= before, (user, v["revision"], before)
        assert v["clients"] == ctx.visible_clients(user), user
        assert v["hct_orders"] == _visible_orders(ctx, user), user
        assert v["hct_registrations"] == _visible_registrations(ctx, user), user
    assert ctx.get_ok("beheerder", "/api/v1/visible")["clients"] == []
    assert ctx.get_ok("coordinator", "/api/v1/visible")["clients"], "coordinator sees clients"


def test_visible_follows_a_move_out_of_scope(ctx):
    """A client moved out of the coordinator's region is no longer listed for them."""
    cid = ctx.visible_clients("coordinator")[-1]
    old = ctx.one("SELECT location_id FROM clients WHERE id = ?", cid)
    other = ctx.one("SELECT id FROM locations WHERE name = 'Wijkteam Deventer'")
    ctx.db.execute("UPDATE clients SET location_id = ? WHERE id = ?", (other, cid))
    try:
        assert cid not in ctx.get_ok("coordinator", "/api/v1/visible")["clients"]
        assert cid in ctx.get_ok("administrator", "/api/v1/visible")["clients"]
    finally:
        ctx.db.execute("UPDATE clients SET location_id = ? WHERE id = ?", (old, cid))


def test_visible_is_audited_without_names(ctx):
    """One audit row with counts; no names or BSNs in the answer."""
    n = ctx.audit_count(action="visible.read", actor_id=str(ctx.staff_id("support")))
    r = ctx.get("support", "/api/v1/visible")
    assert r.status == 200, r.status
    assert ctx.audit_count(action="visible.read", actor_id=str(ctx.staff_id("support"))) == n + 1
    name = ctx.one("SELECT name FROM clients ORDER BY id LIMIT 1")
    assert name not in r.text and "bsn" not in r.text


def test_visible_requires_login(ctx):
    """Without a token: 401."""
    assert_problem(ctx.api.request("GET", "/api/v1/visible", invalid=True), 401)
