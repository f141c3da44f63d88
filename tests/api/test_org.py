"""The caller (/me), locations (tree with in_scope), teams, staff."""

from harness import USERS, assert_problem, assert_status


def _me(ctx, user):
    return ctx.get_ok(user, "/api/v1/me")


def test_me_matches_database(ctx):
    """/me for each user: name, registration number, roles, tasks, scope, team from the DB."""
    for user in USERS:
        me = _me(ctx, user)
        sid, name, reg, team_id = ctx.rows(
            "SELECT id, name, registration_number, team_id FROM staff WHERE username = ?",
            user)[0]
        assert me.get("name") == name, f"{user}: name {me.get('name')!r} != {name!r}"
        assert me.get("registration_number") == reg, f"{user}: {me.get('registration_number')!r}"
        roles = [r[0] for r in ctx.rows("SELECT r.code FROM staff_roles sr JOIN roles r"
                                        " ON r.id = sr.role_id WHERE sr.staff_id = ?", sid)]
        assert sorted(me.get("roles", [])) == sorted(roles), f"{user}: roles {me.get('roles')}"
        tasks = me.get("tasks")
        assert isinstance(tasks, list) and len(tasks) == len(set(tasks)), f"{user}: tasks {tasks}"
        assert set(tasks) == ctx.tasks(user), f"{user}: tasks {tasks} != {sorted(ctx.tasks(user))}"
        scope = [r[0] for r in ctx.rows("SELECT location_id FROM staff_scope WHERE staff_id = ?", sid)]
        assert sorted(me.get("scope", [])) == sorted(scope), f"{user}: scope {me.get('scope')}"
        if team_id is None:
            assert me.get("team") is None, f"{user}: team {me.get('team')!r}, want null"
        else:
            tname = ctx.one("SELECT name FROM teams WHERE id = ?", team_id)
            assert me.get("team") == {"id": team_id, "name": tname}, f"{user}: team {me.get('team')}"
        assert "password_hash" not in me and "password" not in me, f"{user}: {me}"


def test_me_roles_and_scopes_per_issue(ctx):
    """The demo users' roles and scopes differ as the issue describes."""
    root = ctx.one("SELECT id FROM locations WHERE parent_id IS NULL AND deleted = 0")
    admin = _me(ctx, "administrator")
    all_tasks = {r[0] for r in ctx.rows("SELECT code FROM tasks")}
    assert set(admin["tasks"]) == all_tasks, f"administrator lacks {all_tasks - set(admin['tasks'])}"
    assert admin["scope"] == [root], f"administrator scope {admin['scope']}"
    assert "administrator" in admin["roles"]
    coord = _me(ctx, "coordinator")
    assert "casemanager" in coord["roles"], coord["roles"]
    assert len(coord["scope"]) == 1, coord["scope"]
    kind = ctx.one("SELECT kind FROM locations WHERE id = ?", coord["scope"][0])
    assert kind == "region", f"coordinator's scope is a {kind}, not one region"
    assert {"client.view", "client.bsn.view"} <= set(coord["tasks"]), coord["tasks"]
    zv = _me(ctx, "zorgverlener")
    assert len(zv["scope"]) == 1, zv["scope"]
    assert ctx.one("SELECT kind FROM locations WHERE id = ?", zv["scope"][0]) == "team"
    assert zv["team"] is not None, "zorgverlener belongs to a team"
    assert "client.view" in zv["tasks"] and "client.bsn.view" not in zv["tasks"], zv["tasks"]
    beh = _me(ctx, "beheerder")
    assert "client.view" not in beh["tasks"] and "staff.view" in beh["tasks"], beh["tasks"]
    sup = _me(ctx, "support")
    assert "staff.view" not in sup["tasks"] and "client.bsn.view" not in sup["tasks"], sup["tasks"]
    assert not any(t.endswith((".manage", ".edit", ".create", ".send", ".grant"))
                   for t in sup["tasks"]), f"support is read-only: {sup['tasks']}"


def test_locations_tree(ctx):
    """GET /locations: every location once, exactly one root, parents exist, fields typed."""
    locs = ctx.get_ok("administrator", "/api/v1/locations")["locations"]
    db = {r[0]: r[1:] for r in ctx.rows(
        "SELECT id, parent_id, name, kind FROM locations WHERE deleted = 0")}
    ids = [l["id"] for l in locs]
    assert len(ids) == len(set(ids)), "a location is listed twice"
    assert set(ids) == set(db), f"locations {sorted(ids)} != database {sorted(db)}"
    roots = [l for l in locs if l["parent_id"] is None]
    assert len(roots) == 1, f"{len(roots)} roots"
    for l in locs:
        assert set(l) >= {"id", "parent_id", "name", "kind", "in_scope"}, l
        assert (l["parent_id"], l["name"], l["kind"]) == db[l["id"]], f"{l} != {db[l['id']]}"
        assert l["parent_id"] is None or l["parent_id"] in db, f"dangling parent: {l}"
        assert isinstance(l["in_scope"], bool), l


def test_locations_in_scope_per_user(ctx):
    """in_scope marks exactly the caller's scope and its subtrees."""
    seen = {}
    for user in USERS:
        locs = ctx.get_ok(user, "/api/v1/locations")["locations"]
        got = {l["id"] for l in locs if l["in_scope"]}
        want = ctx.scope_locations(user)
        assert got == want, f"{user}: in_scope {sorted(got)} != {sorted(want)}"
        seen[user] = got
    all_ids = {r[0] for r in ctx.rows("SELECT id FROM locations WHERE deleted = 0")}
    assert seen["administrator"] == all_ids
    coord = seen["coordinator"]
    region = _me(ctx, "coordinator")["scope"][0]
    subtree = {r[0] for r in ctx.rows("SELECT descendant FROM location_closure WHERE ancestor = ?",
                                      region)}
    assert coord == subtree and region in coord and coord != all_ids, f"coordinator {coord}"
    assert len(seen["zorgverlener"]) == 1, seen["zorgverlener"]


def test_location_by_id(ctx):
    """GET /locations/{id} equals the list entry, in_scope per caller."""
    listed = {l["id"]: l for l in ctx.get_ok("coordinator", "/api/v1/locations")["locations"]}
    for lid, l in listed.items():
        got = ctx.get_ok("coordinator", f"/api/v1/locations/{lid}")
        assert got == l, f"/locations/{lid}: {got} != list entry {l}"
    out = next(l for l in listed.values() if not l["in_scope"])
    assert ctx.get_ok("coordinator", f"/api/v1/locations/{out['id']}")["in_scope"] is False


def test_location_unknown(ctx):
    """Unknown or malformed location ids: 404 problem."""
    assert_problem(ctx.get("administrator", "/api/v1/locations/999999"), 404)
    for path in ("/api/v1/locations/0", "/api/v1/locations/abc", "/api/v1/locations/-1", "/api/v1/locations/1x",
                 "/api/v1/locations/99999999999999999999"):
        assert_problem(ctx.get("administrator", path, invalid=True), 404)


def test_teams(ctx):
    """GET /teams and /teams/{id}: every team with id, location_id, name; get = list entry."""
    teams = ctx.get_ok("zorgverlener", "/api/v1/teams")["teams"]
    db = {r[0]: r[1:] for r in ctx.rows(
        "SELECT id, location_id, name, email, phone FROM teams WHERE deleted = 0")}
    assert sorted(t["id"] for t in teams) == sorted(db), "teams differ from the database"
    locs = {r[0] for r in ctx.rows("SELECT id FROM locations WHERE deleted = 0")}
    for t in teams:
        assert (t["location_id"], t["name"]) == db[t["id"]][:2], f"{t} != {db[t['id']]}"
        assert t["location_id"] in locs, t
    for t in teams[:4]:
        assert ctx.get_ok("support", f"/api/v1/teams/{t['id']}") == t
    assert_problem(ctx.get("support", "/api/v1/teams/999999"), 404)
    assert_problem(ctx.get("support", "/api/v1/teams/abc", invalid=True), 404)


def test_staff_list_and_get(ctx):
    """GET /staff, /staff/{id} for users with staff.view: every account, no password hashes."""
    for user in ("administrator", "beheerder", "coordinator"):
        r = ctx.get(user, "/api/v1/staff")
        assert_status(r, 200)
        assert "password" not in r.text and "$argon2" not in r.text, "password data in /staff"
        staff = r.json["staff"]
        db = {row[0]: row[1:] for row in ctx.rows(
            "SELECT id, username, name, registration_number FROM staff WHERE deleted = 0")}
        assert sorted(s["id"] for s in staff) == sorted(db), f"{user}: staff ids differ"
        for s in staff:
            assert (s["username"], s["name"], s["registration_number"]) == db[s["id"]], s
            assert isinstance(s.get("roles"), list) and isinstance(s.get("scope"), list), s
    staff = ctx.get_ok("coordinator", "/api/v1/staff")["staff"]
    for s in staff:
        got = ctx.get_ok("beheerder", f"/api/v1/staff/{s['id']}")
        assert got == s, f"/staff/{s['id']}: {got} != {s}"
    assert_problem(ctx.get("administrator", "/api/v1/staff/999999"), 404)
    assert_problem(ctx.get("administrator", "/api/v1/staff/abc", invalid=True), 404)


def test_staff_forbidden_without_staff_view(ctx):
    """zorgverlener and support (no staff.view): 403 on /staff and /staff/{id}."""
    sid = ctx.staff_id("administrator")
    for user in ("zorgverlener", "support"):
        assert_problem(ctx.get(user, "/api/v1/staff"), 403)
        assert_problem(ctx.get(user, f"/api/v1/staff/{sid}"), 403)
        assert_problem(ctx.get(user, "/api/v1/staff/999999"), 403)
