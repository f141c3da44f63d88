"""The access matrix: every demo user (and no user) x every staff endpoint x in/out of scope.

Expected statuses follow the issue: a missing task is 403, a client outside the scope is
404, no token is 401. Locations, teams, /me and the feed are open to every logged-in user
(the feed and lists filter by scope instead)."""

from harness import check_problem_shape

ANON = None
ALL = ("administrator", "beheerder", "coordinator", "zorgverlener", "support")
STAFF_VIEW = {"administrator", "beheerder", "coordinator"}
CLIENT_VIEW = {"administrator", "coordinator", "zorgverlener", "support"}
BSN_VIEW = {"administrator", "coordinator"}


def _subjects(ctx, user):
    """Ids for user's in-scope and out-of-scope objects (None when there is none)."""
    viewer = user if user in CLIENT_VIEW else "administrator"
    visible = ctx.visible_clients(viewer)
    locs = ctx.scope_locations(user) if user else set()
    all_locs = [r[0] for r in ctx.rows("SELECT id FROM locations WHERE deleted = 0 ORDER BY id")]
    out_client = ctx.out_of_scope_client(user) if user in CLIENT_VIEW else None
    s = {
        "client_in": visible[0],
        "client_out": out_client,
        "loc_in": min(locs) if locs else all_locs[0],
        "loc_out": next((l for l in all_locs if l not in locs), None),
        "team": ctx.one("SELECT min(id) FROM teams WHERE deleted = 0"),
        "staff": ctx.staff_id("administrator"),
    }
    s["bsn_in"] = ctx.one("SELECT bsn FROM clients WHERE id = ?", s["client_in"])
    s["bsn_out"] = ctx.one("SELECT bsn FROM clients WHERE id = ?", out_client) if out_client else None
    return s


def _rows(user, s):
    """(label, method, path, expected status, expected number of clients or None)."""
    logged_in = 200 if user else 401

    def task(allowed, ok=200):
        return 401 if not user else (ok if user in allowed else 403)

    rows = [
        ("me", "GET", "/api/v1/me", logged_in, None),
        ("locations", "GET", "/api/v1/locations", logged_in, None),
        ("location in scope", "GET", f"/api/v1/locations/{s['loc_in']}", logged_in, None),
        ("teams", "GET", "/api/v1/teams", logged_in, None),
        ("team", "GET", f"/api/v1/teams/{s['team']}", logged_in, None),
        ("staff", "GET", "/api/v1/staff", task(STAFF_VIEW), None),
        ("staff member", "GET", f"/api/v1/staff/{s['staff']}", task(STAFF_VIEW), None),
        ("clients", "GET", "/api/v1/clients?limit=5", task(CLIENT_VIEW), None),
        ("client search", "GET", "/api/v1/clients?q=van&limit=5", task(CLIENT_VIEW), None),
        ("client in scope", "GET", f"/api/v1/clients/{s['client_in']}", task(CLIENT_VIEW), None),
        ("bsn in scope", "GET", f"/api/v1/clients?bsn={s['bsn_in']}", task(BSN_VIEW),
         1 if user in BSN_VIEW else None),
        ("changes", "GET", "/api/v1/changes?since=0&limit=5", logged_in, None),
    ]
    if s["loc_out"] is not None:
        rows.append(("location out of scope", "GET", f"/api/v1/locations/{s['loc_out']}",
                     logged_in, None))
    if s["client_out"] is not None:
        rows.append(("client out of scope", "GET", f"/api/v1/clients/{s['client_out']}",
                     task(CLIENT_VIEW, 404), None))
        rows.append(("bsn out of scope", "GET", f"/api/v1/clients?bsn={s['bsn_out']}",
                     task(BSN_VIEW), 0 if user in BSN_VIEW else None))
    if user not in CLIENT_VIEW:
        # Without client.view every client is forbidden, wherever it lives.
        rows.append(("client elsewhere", "GET", "/api/v1/clients/999999",
                     task(CLIENT_VIEW, 404), None))
    return rows


def _run_matrix(ctx, user):
    s = _subjects(ctx, user)
    tok = ctx.token(user) if user else None
    wrong = []
    for label, method, path, want, n_clients in _rows(user, s):
        r = ctx.api.request(method, path, token=tok, invalid=user is None)
        if r.status != want:
            wrong.append(f"{label} ({method} {path}): expected {want}, got {r.status}")
            continue
        if r.prism_rejected:
            continue
        if r.status >= 400:
            check_problem_shape(r)
        if n_clients is not None and len(r.json.get("clients", [])) != n_clients:
            wrong.append(f"{label}: expected {n_clients} clients, got {len(r.json['clients'])}")
    # The supplier endpoint is for certificates only; a staff token does not open it.
    r = ctx.direct.request("GET", "/ping", token=tok)
    if r.status != 403:
        wrong.append(f"supplier ping with a staff token: expected 403, got {r.status}")
    # Logging out is allowed for everyone with a session (a fresh one, to keep the cached).
    if user:
        fresh = ctx.login(user)
        assert fresh.status == 201, fresh
        r = ctx.api.request("DELETE", "/api/v1/session", token=fresh.json["token"])
        if r.status != 204:
            wrong.append(f"logout: expected 204, got {r.status}")
    else:
        r = ctx.api.request("DELETE", "/api/v1/session", invalid=True)
        if r.status != 401:
            wrong.append(f"logout without a session: expected 401, got {r.status}")
    assert not wrong, f"{user or 'anonymous'}: " + "; ".join(wrong)


def test_matrix_anonymous(ctx):
    """No token: 401 on every staff endpoint."""
    _run_matrix(ctx, ANON)


def test_matrix_administrator(ctx):
    """administrator: every task, whole organisation."""
    _run_matrix(ctx, "administrator")


def test_matrix_beheerder(ctx):
    """beheerder: staff yes, clients 403."""
    _run_matrix(ctx, "beheerder")


def test_matrix_coordinator(ctx):
    """coordinator (casemanager, one region): clients and BSN in the region, 404 outside."""
    _run_matrix(ctx, "coordinator")


def test_matrix_zorgverlener(ctx):
    """zorgverlener (one team): own team's clients, no BSN, no staff."""
    _run_matrix(ctx, "zorgverlener")


def test_matrix_support(ctx):
    """support (read-only): clients without BSN, no staff."""
    _run_matrix(ctx, "support")
