/* The Caren link in the store: settings, portal, invitations, links, caren_state; every
 * change is one store_write. See q_caren.h. */
#include "q_caren.h"

#include "common/alloc.h"
#include "q_idempotency.h"
#include "q_rows.h"
#include "scope.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- settings and portal ------------------------------------------------------------ */

int q_settings_get(struct db *db, struct settings_row *s)
{
	static const char sql[] = "SELECT caren_enabled, caren_communication, caren_invitation_days"
							  " FROM settings WHERE id = 1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW)
		*s = (struct settings_row){stmt_col_int(st, 0) != 0, stmt_col_int(st, 1) != 0,
								   stmt_col_int(st, 2)};
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

static int settings_update_op(struct store_write *w, void *arg)
{
	const struct settings_change *c = arg;
	struct settings_row s;
	int rc = q_settings_get(w->db, &s);
	if (rc != STORE_OK)
		return rc;
	if (c->set_enabled)
		s.caren_enabled = c->caren_enabled;
	if (c->set_communication)
		s.caren_communication = c->caren_communication;
	if (c->set_days)
		s.caren_invitation_days = c->caren_invitation_days;
	static const char sql[] = "UPDATE settings SET caren_enabled = $1, caren_communication = $2,"
							  " caren_invitation_days = $3, rev = $4 WHERE id = 1";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, s.caren_enabled);
	stmt_int(st, 2, s.caren_communication);
	stmt_int(st, 3, s.caren_invitation_days);
	stmt_int(st, 4, rev);
	if (!stmt_done(st))
		return STORE_ERROR;
	char detail[96];
	snprintf(detail, sizeof detail, "caren_enabled=%d caren_communication=%d "
			 "caren_invitation_days=%lld", s.caren_enabled, s.caren_communication,
			 (long long)s.caren_invitation_days);
	store_write_audit(w, "settings.update", "settings", 1, detail);
	return STORE_OK;
}

int q_settings_update(struct db *db, const struct actor *actor, const struct settings_change *c)
{
	return store_write(db, actor, settings_update_op, (void *)c);
}

int q_caren_portal_get(struct db *db, struct caren_portal_row *p)
{
	static const char sql[] = "SELECT s.caren_enabled, p.reachable, p.last_heartbeat"
							  " FROM settings s, caren_portal p WHERE s.id = 1 AND p.id = 1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW)
		*p = (struct caren_portal_row){stmt_col_int(st, 0) != 0, stmt_col_int(st, 1) != 0,
									   stmt_col_int(st, 2)};
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

struct portal_arg {
	int64_t now, timeout;
};

/* Set reachable to r (stamping a revision) when it differs; heartbeat at now if now > 0. */
static int portal_set(struct store_write *w, bool reachable, int64_t now)
{
	static const char flip[] = "UPDATE caren_portal SET reachable = $1, rev = $2"
							   " WHERE id = 1 AND reachable <> $1";
	static const char beat[] = "UPDATE caren_portal SET last_heartbeat = $1 WHERE id = 1";
	struct stmt *st = db_prep(w->db, flip);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, reachable);
	stmt_int(st, 2, w->rev);
	if (!stmt_done(st))
		return STORE_ERROR;
	if (db_changes(w->db) > 0)
		store_write_rev(w);
	if (now <= 0)
		return STORE_OK;
	if (!(st = db_prep(w->db, beat)))
		return STORE_ERROR;
	stmt_int(st, 1, now);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

static int portal_refresh_op(struct store_write *w, void *arg)
{
	const struct portal_arg *a = arg;
	struct caren_portal_row p;
	int rc = q_caren_portal_get(w->db, &p);
	if (rc != STORE_OK)
		return rc;
	if (!p.reachable || p.last_heartbeat >= a->now - a->timeout)
		return STORE_CONFLICT; /* nothing to do: roll back quietly */
	store_write_audit(w, "caren.portal_unreachable", "caren_portal", 1, NULL);
	return portal_set(w, false, 0);
}

int q_caren_portal_refresh(struct db *db, int64_t now, int64_t timeout)
{
	struct caren_portal_row p;
	int rc = q_caren_portal_get(db, &p);
	if (rc != STORE_OK || timeout <= 0 || !p.reachable || p.last_heartbeat >= now - timeout)
		return rc;
	struct actor who = {.type = "worker", .id = "caren-heartbeat"};
	struct portal_arg a = {now, timeout};
	rc = store_write(db, &who, portal_refresh_op, &a);
	return rc == STORE_CONFLICT ? STORE_OK : rc;
}

static int heartbeat_op(struct store_write *w, void *arg)
{
	store_write_audit(w, "caren.heartbeat", "caren_portal", 1, NULL);
	return portal_set(w, true, *(const int64_t *)arg);
}

int q_caren_heartbeat(struct db *db, const struct actor *actor, int64_t now)
{
	return store_write(db, actor, heartbeat_op, &now);
}

/* ---- reading a client's link ----------------------------------------------------------- */

int q_caren_state_get(struct db *db, int64_t client_id,
					  void (*fn)(const struct caren_state_row *s, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT c.id, COALESCE(s.link_active, 0), s.valid_until FROM clients c"
		" LEFT JOIN caren_state s ON s.client_id = c.id WHERE c.id = $1 AND c.deleted = 0";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, client_id);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		struct caren_state_row s;
		q_read_caren_state(st, 0, &s);
		fn(&s, ctx);
	}
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

void q_read_caren_state(struct stmt *st, int c, struct caren_state_row *s)
{
	*s = (struct caren_state_row){
		.client_id = stmt_col_int(st, c),
		.link_active = stmt_col_int(st, c + 1) != 0,
		.valid_until = stmt_col_text(st, c + 2),
	};
}

void q_read_caren_portal(struct stmt *st, int c, struct caren_portal_row *p)
{
	*p = (struct caren_portal_row){
		.enabled = stmt_col_int(st, c) != 0,
		.reachable = stmt_col_int(st, c + 1) != 0,
		.last_heartbeat = stmt_col_int(st, c + 2),
	};
}

#define INVITATION_COLS                                                                     \
	"i.id, i.client_id, i.created_at, i.created_by_name, i.valid_until, i.state,"          \
	" i.closed_at, i.closed_by"

/* Fill an invitation row from INVITATION_COLS at column c. */
static void read_invitation(struct stmt *st, int c, struct caren_invitation_row *i)
{
	*i = (struct caren_invitation_row){
		.id = stmt_col_int(st, c),
		.client_id = stmt_col_int(st, c + 1),
		.created_at = stmt_col_int(st, c + 2),
		.created_by = stmt_col_text(st, c + 3),
		.valid_until = stmt_col_text(st, c + 4),
		.state = stmt_col_text(st, c + 5),
		.closed_at = stmt_col_int(st, c + 6),
		.closed_by = stmt_col_text(st, c + 7),
	};
}

Q_DEFINE_EACH(each_invitation, struct caren_invitation_row, q_caren_invitation_fn,
			  read_invitation)

int q_caren_invitations(struct db *db, int64_t client_id, q_caren_invitation_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " INVITATION_COLS " FROM caren_invitations i"
							  " WHERE i.client_id = $1 AND i.deleted = 0 ORDER BY i.id DESC";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, client_id);
	return each_invitation(st, false, fn, ctx);
}

/* Fill a link row from the columns of q_caren_links at column c. */
static void read_link(struct stmt *st, int c, struct caren_link_row *l)
{
	*l = (struct caren_link_row){
		.id = stmt_col_int(st, c),
		.client_id = stmt_col_int(st, c + 1),
		.started_at = stmt_col_int(st, c + 2),
		.ended_at = stmt_col_int(st, c + 3),
		.ended_by = stmt_col_text(st, c + 4),
		.end_reason = stmt_col_text(st, c + 5),
		.object_id = stmt_col_text(st, c + 6),
	};
}

Q_DEFINE_EACH(each_link, struct caren_link_row, q_caren_link_fn, read_link)

int q_caren_links(struct db *db, int64_t client_id, q_caren_link_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT id, client_id, started_at, ended_at, CASE WHEN ended_by_portal = 1 THEN"
		" 'Caren' ELSE ended_by_name END, end_reason, object_id FROM caren_links"
		" WHERE client_id = $1 AND deleted = 0 ORDER BY id DESC";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, client_id);
	return each_link(st, false, fn, ctx);
}

int q_caren_invitation_location(struct db *db, int64_t id, int64_t *location)
{
	static const char sql[] =
		"SELECT c.location_id FROM caren_invitations i JOIN clients c ON c.id = i.client_id"
		" WHERE i.id = $1 AND i.deleted = 0 AND c.deleted = 0";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	if (!stmt_one_int(st, 0, location))
		return STORE_ERROR;
	return *location > 0 ? STORE_OK : STORE_NOT_FOUND;
}

int q_caren_counts(struct db *db, int64_t scope_staff, const char *today, struct caren_counts *c)
{
	static const char sql[] =
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN s.link_active = 1 THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN s.link_active = 0 AND s.valid_until >= $2 THEN 1 ELSE 0 END),"
		" 0), COUNT(DISTINCT c.location_id) FROM clients c"
		" LEFT JOIN caren_state s ON s.client_id = c.id AND s.deleted = 0"
		" WHERE c.deleted = 0 AND " SCOPE_HAS("c.location_id", "$1");
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	stmt_text(st, 2, today);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW)
		*c = (struct caren_counts){stmt_col_int(st, 0), stmt_col_int(st, 1),
								   stmt_col_int(st, 2), stmt_col_int(st, 3)};
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

/* ---- writes: the facts row ------------------------------------------------------------- */

/* Recompute client_id's caren_state row from its links and invitations, with a revision. */
static int state_put(struct store_write *w, int64_t client_id)
{
	static const char sql[] =
		"INSERT INTO caren_state (client_id, link_active, valid_until, rev) VALUES ($1,"
		" CASE WHEN EXISTS (SELECT 1 FROM caren_links l WHERE l.client_id = $1"
		"  AND l.ended_at IS NULL AND l.deleted = 0) THEN 1 ELSE 0 END,"
		" (SELECT i.valid_until FROM caren_invitations i WHERE i.client_id = $1"
		"  AND i.state = 'OPEN' AND i.deleted = 0), $2)"
		" ON CONFLICT (client_id) DO UPDATE SET link_active = excluded.link_active,"
		" valid_until = excluded.valid_until, rev = excluded.rev";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, client_id);
	stmt_int(st, 2, rev);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

struct expire_arg {
	int64_t client_id;
	const char *today;
	int64_t changed;
};

/* Expire stale OPEN invitations (of one client, or all) inside a write; arg->changed
 * counts them. Every client touched gets its facts row again. */
static int expire_in(struct store_write *w, struct expire_arg *a)
{
	static const char pick[] =
		"SELECT id, client_id FROM caren_invitations WHERE state = 'OPEN' AND valid_until < $1"
		" AND (CAST($2 AS BIGINT) = 0 OR client_id = $2) ORDER BY id";
	static const char upd[] =
		"UPDATE caren_invitations SET state = 'EXPIRED', code_sealed = NULL, closed_at = $1,"
		" rev = $2 WHERE id = $3";
	struct stmt *st = db_prep(w->db, pick);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, a->today);
	stmt_int(st, 2, a->client_id);
	int64_t ids[64][2];
	size_t n = 0;
	enum store_step rc = STORE_STEP_DONE;
	while (n < 64 && (rc = stmt_step(st)) == STORE_STEP_ROW) {
		ids[n][0] = stmt_col_int(st, 0);
		ids[n++][1] = stmt_col_int(st, 1);
	}
	stmt_reset(st);
	if (n < 64 && rc == STORE_STEP_ERROR)
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++) {
		int64_t rev = store_write_rev(w);
		if (rev <= 0 || !(st = db_prep(w->db, upd)))
			return STORE_ERROR;
		stmt_int(st, 1, (int64_t)time(NULL));
		stmt_int(st, 2, rev);
		stmt_int(st, 3, ids[i][0]);
		if (!stmt_done(st) || state_put(w, ids[i][1]) != STORE_OK)
			return STORE_ERROR;
	}
	a->changed += (int64_t)n;
	return STORE_OK;
}

static int expire_op(struct store_write *w, void *arg)
{
	struct expire_arg *a = arg;
	int rc = expire_in(w, a);
	if (rc != STORE_OK)
		return rc;
	if (a->changed == 0)
		return STORE_CONFLICT; /* nothing changed: roll back quietly */
	char detail[64];
	snprintf(detail, sizeof detail, "%lld expired", (long long)a->changed);
	store_write_audit(w, "caren_invitation.expire", a->client_id ? "client" : NULL,
					  a->client_id, detail);
	return STORE_OK;
}

int q_caren_expire(struct db *db, const struct actor *actor, int64_t client_id,
				   const char *today)
{
	static const char any[] = "SELECT COUNT(*) FROM caren_invitations WHERE state = 'OPEN'"
							  " AND valid_until < $1 AND (CAST($2 AS BIGINT) = 0 OR client_id = $2)";
	struct stmt *st = db_prep(db, any);
	int64_t n = 0;
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, today);
	stmt_int(st, 2, client_id);
	if (!stmt_one_int(st, 0, &n))
		return STORE_ERROR;
	if (n == 0)
		return STORE_OK;
	struct expire_arg a = {client_id, today, 0};
	int rc = STORE_OK;
	do { /* 64 at a time */
		a.changed = 0;
		rc = store_write(db, actor, expire_op, &a);
	} while (rc == STORE_OK && a.changed == 64);
	return rc == STORE_CONFLICT ? STORE_OK : rc;
}

/* ---- writes: invitations --------------------------------------------------------------- */

/* Is a link active / an invitation open for client_id? */
static int client_busy(struct db *db, int64_t client_id, struct caren_invite_answer *a)
{
	static const char sql[] =
		"SELECT (SELECT COUNT(*) FROM caren_links WHERE client_id = $1 AND ended_at IS NULL"
		" AND deleted = 0), (SELECT COUNT(*) FROM caren_invitations WHERE client_id = $1"
		" AND state = 'OPEN' AND deleted = 0)";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, client_id);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		a->link_active = stmt_col_int(st, 0) > 0;
		a->invitation_open = stmt_col_int(st, 1) > 0;
	}
	stmt_reset(st);
	if (rc != STORE_STEP_ROW)
		return STORE_ERROR;
	return a->link_active || a->invitation_open ? STORE_CONFLICT : STORE_OK;
}

struct invite_arg {
	const struct caren_invite_new *n;
	q_caren_invite_render render;
	void *ctx;
	struct caren_invite_answer *a;
};

static void render_into(const struct caren_invitation_row *i, void *ctx)
{
	struct invite_arg *arg = ctx;
	arg->a->reply.response = arg->render(i, arg->ctx);
}

static int64_t invitation_insert(struct store_write *w, const struct caren_invite_new *n)
{
	static const char ins[] =
		"INSERT INTO caren_invitations (client_id, created_by, created_by_name, created_at,"
		" valid_until, state, code_hash, code_sealed, rev)"
		" VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7, $8) RETURNING id";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, ins) : NULL;
	if (!st)
		return 0;
	stmt_int(st, 1, n->client_id);
	stmt_int(st, 2, n->staff_id);
	stmt_text(st, 3, n->staff_name);
	stmt_int(st, 4, (int64_t)time(NULL));
	stmt_text(st, 5, n->valid_until);
	stmt_text(st, 6, n->code_hash);
	stmt_text(st, 7, n->code_sealed);
	stmt_int(st, 8, rev);
	int64_t id = 0;
	return stmt_one_int(st, 0, &id) ? id : 0;
}

static int invite_op(struct store_write *w, void *p)
{
	struct invite_arg *arg = p;
	const struct caren_invite_new *n = arg->n;
	struct idem_key k = IDEM_KEY_OF(n);
	int rc = q_idem_check(w->db, &k, &arg->a->reply);
	if (rc == STORE_REPLAY) {
		store_write_audit(w, "caren_invitation.create", "client", n->client_id, n->key);
		w->outcome = "replayed";
		return STORE_OK;
	}
	struct expire_arg ex = {n->client_id, n->today, 0};
	if (rc != STORE_OK || (rc = expire_in(w, &ex)) != STORE_OK ||
		(rc = client_busy(w->db, n->client_id, arg->a)) != STORE_OK)
		return rc;
	int64_t id = invitation_insert(w, n);
	static const char one[] = "SELECT " INVITATION_COLS " FROM caren_invitations i WHERE i.id = $1";
	struct stmt *st = id > 0 ? db_prep(w->db, one) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	if (each_invitation(st, true, render_into, arg) != STORE_OK || !arg->a->reply.response ||
		state_put(w, n->client_id) != STORE_OK ||
		!q_idem_created(w->db, &k, &arg->a->reply, "/api/v1/caren-invitations", id))
		return STORE_ERROR;
	char detail[64];
	snprintf(detail, sizeof detail, "client %lld valid until %s", (long long)n->client_id,
			 n->valid_until);
	store_write_audit(w, "caren_invitation.create", "caren_invitation", id, detail);
	return STORE_OK;
}

int q_caren_invite(struct db *db, const struct actor *actor, const struct caren_invite_new *n,
				   q_caren_invite_render render, void *ctx, struct caren_invite_answer *a)
{
	struct invite_arg arg = {n, render, ctx, a};
	return q_idem_write(db, actor, invite_op, &arg, &a->reply);
}

struct revoke_arg {
	int64_t id;
	const char *staff_name;
	char *state;
};

static int revoke_op(struct store_write *w, void *p)
{
	struct revoke_arg *a = p;
	static const char cur[] =
		"SELECT state, client_id FROM caren_invitations WHERE id = $1 AND deleted = 0";
	struct stmt *st = db_prep(w->db, cur);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, a->id);
	enum store_step rc = stmt_step(st);
	int64_t client_id = 0;
	if (rc == STORE_STEP_ROW) {
		snprintf(a->state, 12, "%s", stmt_col_text(st, 0));
		client_id = stmt_col_int(st, 1);
	}
	int found = stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
	if (found != STORE_OK)
		return found;
	if (strcmp(a->state, "OPEN") != 0)
		return STORE_CONFLICT;
	static const char upd[] =
		"UPDATE caren_invitations SET state = 'REVOKED', code_sealed = NULL, closed_at = $1,"
		" closed_by = $2, rev = $3 WHERE id = $4";
	int64_t rev = store_write_rev(w);
	if (rev <= 0 || !(st = db_prep(w->db, upd)))
		return STORE_ERROR;
	stmt_int(st, 1, (int64_t)time(NULL));
	stmt_text(st, 2, a->staff_name);
	stmt_int(st, 3, rev);
	stmt_int(st, 4, a->id);
	if (!stmt_done(st) || state_put(w, client_id) != STORE_OK)
		return STORE_ERROR;
	store_write_audit(w, "caren_invitation.revoke", "caren_invitation", a->id, NULL);
	return STORE_OK;
}

int q_caren_revoke(struct db *db, const struct actor *actor, int64_t id,
				   const char *staff_name, char state[12])
{
	struct revoke_arg a = {id, staff_name, state};
	return store_write(db, actor, revoke_op, &a);
}

/* ---- writes: links --------------------------------------------------------------------- */

struct unlink_arg {
	int64_t client_id, staff_id;
	const char *staff_name, *reason;
	const char *object_id; /* portal end: the link by its object id */
	int64_t now;
};

/* End the active link (by client, or by object id for the portal) inside a write. */
static int link_end(struct store_write *w, struct unlink_arg *a)
{
	static const char by_client[] = "UPDATE caren_links SET ended_at = $1, ended_by_staff = $2,"
									" ended_by_name = $3, end_reason = $4, rev = $5"
									" WHERE client_id = $6 AND ended_at IS NULL AND deleted = 0";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, by_client) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, a->now);
	stmt_int(st, 2, a->staff_id);
	stmt_text(st, 3, a->staff_name);
	stmt_text(st, 4, a->reason);
	stmt_int(st, 5, rev);
	stmt_int(st, 6, a->client_id);
	if (!stmt_done(st))
		return STORE_ERROR;
	if (db_changes(w->db) == 0)
		return STORE_CONFLICT;
	return state_put(w, a->client_id);
}

static int unlink_op(struct store_write *w, void *p)
{
	struct unlink_arg *a = p;
	int rc = link_end(w, a);
	if (rc == STORE_OK)
		store_write_audit(w, "caren_link.unlink", "client", a->client_id, a->reason);
	return rc;
}

int q_caren_unlink(struct db *db, const struct actor *actor, int64_t client_id,
				   int64_t staff_id, const char *staff_name, const char *reason)
{
	struct unlink_arg a = {client_id, staff_id, staff_name, reason, NULL, (int64_t)time(NULL)};
	return store_write(db, actor, unlink_op, &a);
}

static int portal_end_op(struct store_write *w, void *p)
{
	struct unlink_arg *a = p;
	static const char sql[] =
		"SELECT client_id, ended_at FROM caren_links WHERE object_id = $1 AND deleted = 0";
	static const char upd[] = "UPDATE caren_links SET ended_at = $1, ended_by_portal = 1,"
							  " rev = $2 WHERE object_id = $3";
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, a->object_id);
	enum store_step rc = stmt_step(st);
	bool ended = false;
	if (rc == STORE_STEP_ROW) {
		a->client_id = stmt_col_int(st, 0);
		ended = !stmt_col_null(st, 1);
	}
	int found = stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
	if (found != STORE_OK)
		return found;
	if (ended)
		return STORE_CONFLICT;
	int64_t rev = store_write_rev(w);
	if (rev <= 0 || !(st = db_prep(w->db, upd)))
		return STORE_ERROR;
	stmt_int(st, 1, a->now);
	stmt_int(st, 2, rev);
	stmt_text(st, 3, a->object_id);
	if (!stmt_done(st) || state_put(w, a->client_id) != STORE_OK)
		return STORE_ERROR;
	store_write_audit(w, "caren_link.portal_end", "client", a->client_id, a->object_id);
	return STORE_OK;
}

int q_caren_portal_end(struct db *db, const struct actor *actor, const char *object_id,
					   int64_t now)
{
	struct unlink_arg a = {.object_id = object_id, .now = now};
	return store_write(db, actor, portal_end_op, &a);
}

/* A random (version 4) UUID: the portal's clientObjectId of a link. */
static void link_uuid(char out[37])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
			 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
			 b[14], b[15]);
}

struct redeem_arg {
	const char *code_hash, *account, *today;
	int64_t now;
	struct caren_redeem_answer *a;
};

/* Find the invitation of a code: its id, client and whether it can be redeemed. */
static int redeem_find(struct db *db, struct redeem_arg *r, int64_t *client_id)
{
	static const char sql[] = "SELECT id, client_id, state, valid_until FROM caren_invitations"
							  " WHERE code_hash = $1 AND deleted = 0";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, r->code_hash);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		r->a->invitation_id = stmt_col_int(st, 0);
		*client_id = stmt_col_int(st, 1);
		const char *state = stmt_col_text(st, 2);
		const char *until = stmt_col_text(st, 3);
		if (strcmp(state, "REVOKED") == 0)
			r->a->refusal = "revoked";
		else if (strcmp(state, "REDEEMED") == 0)
			r->a->refusal = "used";
		else if (strcmp(state, "EXPIRED") == 0 || strcmp(until, r->today) < 0)
			r->a->refusal = "expired";
	}
	int found = stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
	if (found != STORE_OK)
		return found;
	return r->a->refusal ? STORE_CONFLICT : STORE_OK;
}

static int redeem_op(struct store_write *w, void *p)
{
	struct redeem_arg *r = p;
	int64_t client_id = 0;
	int rc = redeem_find(w->db, r, &client_id);
	if (rc != STORE_OK)
		return rc;
	static const char upd[] =
		"UPDATE caren_invitations SET state = 'REDEEMED', code_sealed = NULL, closed_at = $1,"
		" closed_by = 'Caren', rev = $2 WHERE id = $3";
	static const char ins[] =
		"INSERT INTO caren_links (client_id, object_id, portal_account, invitation_id,"
		" started_at, rev) VALUES ($1, $2, $3, $4, $5, $6)";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, upd) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, r->now);
	stmt_int(st, 2, rev);
	stmt_int(st, 3, r->a->invitation_id);
	if (!stmt_done(st) || (rev = store_write_rev(w)) <= 0 || !(st = db_prep(w->db, ins)))
		return STORE_ERROR;
	link_uuid(r->a->object_id);
	stmt_int(st, 1, client_id);
	stmt_text(st, 2, r->a->object_id);
	stmt_text(st, 3, r->account);
	stmt_int(st, 4, r->a->invitation_id);
	stmt_int(st, 5, r->now);
	stmt_int(st, 6, rev);
	if (!stmt_done(st) || state_put(w, client_id) != STORE_OK)
		return STORE_ERROR;
	store_write_audit(w, "caren.activation", "caren_invitation", r->a->invitation_id,
					  r->a->object_id);
	return STORE_OK;
}

int q_caren_redeem(struct db *db, const struct actor *actor, const char *code_hash,
				   const char *account, int64_t now, const char *today,
				   struct caren_redeem_answer *a)
{
	*a = (struct caren_redeem_answer){0};
	struct redeem_arg r = {code_hash, account, today, now, a};
	int rc = store_write(db, actor, redeem_op, &r);
	if (rc == STORE_NOT_FOUND)
		a->refusal = "unknown";
	return rc;
}

/* ---- the letter ------------------------------------------------------------------------ */

int q_caren_letter(struct db *db, int64_t id,
				   void (*fn)(const struct caren_letter_row *l, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT i.id, i.client_id, i.state, i.valid_until, i.code_hash, i.code_sealed,"
		" o.name, c.name, a.street, a.house_number, a.house_number_ext, a.postcode, a.city"
		" FROM caren_invitations i JOIN clients c ON c.id = i.client_id"
		" JOIN organisation o ON o.id = 1"
		" LEFT JOIN client_addresses a ON a.id = (SELECT MIN(x.id) FROM client_addresses x"
		"  WHERE x.client_id = c.id AND x.active = 1)"
		" WHERE i.id = $1 AND i.deleted = 0 AND c.deleted = 0";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		struct caren_letter_row l = {
			.id = stmt_col_int(st, 0),
			.client_id = stmt_col_int(st, 1),
			.state = stmt_col_text(st, 2),
			.valid_until = stmt_col_text(st, 3),
			.code_hash = stmt_col_text(st, 4),
			.code_sealed = stmt_col_text(st, 5),
			.org_name = stmt_col_text(st, 6),
			.client_name = stmt_col_text(st, 7),
			.street = stmt_col_text(st, 8),
			.house_number = stmt_col_int(st, 9),
			.house_number_ext = stmt_col_text(st, 10),
			.postcode = stmt_col_text(st, 11),
			.city = stmt_col_text(st, 12),
		};
		fn(&l, ctx);
	}
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}
