/* Location messages in the store (see q_messages.h). */
#include "q_messages.h"

#include "common/alloc.h"
#include "q_idempotency.h"
#include "q_outbox.h"
#include "scope.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Columns of a message (alias m, location l LEFT JOINed), 13; text NULL in lists. */
#define MESSAGE_COLS                                                                        \
	"m.id, COALESCE(m.location_id, 0), l.name, m.sender_staff_id, m.sender_name,"           \
	" m.created_at, m.recipients, m.clients, m.portal_users, m.mails, m.delivered,"         \
	" m.failed"
#define MESSAGE_FROM "location_messages m LEFT JOIN locations l ON l.id = m.location_id"

/* Who sees a message: its location in scope of $1, or the root for a message to all. */
#define MESSAGE_SCOPE                                                                       \
	"((m.location_id IS NOT NULL AND " SCOPE_HAS("m.location_id", "$1") ") OR"             \
	" (m.location_id IS NULL AND " SCOPE_HAS(                                               \
		"(SELECT r.id FROM locations r WHERE r.parent_id IS NULL AND r.deleted = 0)", "$1") "))"

/* Fill m from MESSAGE_COLS starting at column c, and the text after them when with_text. */
static void read_message_at(struct stmt *st, int c, struct message_row *m, bool with_text)
{
	m->id = stmt_col_int(st, c);
	m->location_id = stmt_col_int(st, c + 1);
	m->location_name = stmt_col_text(st, c + 2);
	m->sender_staff_id = stmt_col_int(st, c + 3);
	m->sender_name = stmt_col_text(st, c + 4);
	m->created_at = stmt_col_int(st, c + 5);
	m->recipients = stmt_col_int(st, c + 6);
	m->clients = stmt_col_int(st, c + 7);
	m->portal_users = stmt_col_int(st, c + 8);
	m->mails = stmt_col_int(st, c + 9);
	m->delivered = stmt_col_int(st, c + 10);
	m->failed = stmt_col_int(st, c + 11);
	m->text = with_text ? stmt_col_text(st, c + 12) : NULL;
}

static void read_message(struct stmt *st, struct message_row *m, bool with_text)
{
	read_message_at(st, 0, m, with_text);
}

int q_messages_list(struct db *db, int64_t scope_staff, int64_t limit, q_message_fn fn,
					void *ctx)
{
	static const char sql[] = "SELECT " MESSAGE_COLS " FROM " MESSAGE_FROM
							  " WHERE m.deleted = 0 AND " MESSAGE_SCOPE
							  " ORDER BY m.id DESC LIMIT $2";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	stmt_int(st, 2, limit);
	enum store_step rc;
	struct message_row m;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		read_message(st, &m, false);
		fn(&m, ctx);
	}
	return stmt_finish(st, rc, false, 0);
}

int q_messages_count(struct db *db, int64_t scope_staff, int64_t *n)
{
	static const char sql[] = "SELECT COUNT(*) FROM location_messages m WHERE m.deleted = 0"
							  " AND " MESSAGE_SCOPE;
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	return stmt_one_int(st, 0, n) ? STORE_OK : STORE_ERROR;
}

int q_feed_messages(struct db *db, int64_t scope_staff, const struct feed_range *fr,
					q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT m.id, m.rev, m.deleted, " MESSAGE_COLS " FROM "
							  MESSAGE_FROM " WHERE m.rev > $2 AND m.rev <= $4 AND " MESSAGE_SCOPE
							  " ORDER BY m.rev LIMIT $3";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	stmt_int(st, 2, fr->since);
	stmt_int(st, 3, fr->limit);
	stmt_int(st, 4, fr->upto);
	enum store_step rc;
	struct message_row m;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		struct change_meta meta = {stmt_col_int(st, 0), stmt_col_int(st, 1),
								   stmt_col_int(st, 2) != 0};
		if (!meta.deleted)
			read_message_at(st, 3, &m, false);
		fn(&meta, meta.deleted ? NULL : &m, ctx);
	}
	return stmt_finish(st, rc, false, 0);
}

int q_message_get(struct db *db, int64_t id, q_message_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " MESSAGE_COLS ", m.text FROM " MESSAGE_FROM
							  " WHERE m.deleted = 0 AND m.id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc = stmt_step(st);
	int64_t rows = 0;
	if (rc == STORE_STEP_ROW) {
		struct message_row m;
		read_message(st, &m, true);
		fn(&m, ctx);
		rows = 1;
	}
	return stmt_finish(st, rc, true, rows);
}

int q_message_location(struct db *db, int64_t id, int64_t *location_id)
{
	static const char sql[] =
		"SELECT COALESCE(m.location_id, (SELECT r.id FROM locations r"
		" WHERE r.parent_id IS NULL AND r.deleted = 0)) FROM location_messages m"
		" WHERE m.deleted = 0 AND m.id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	int64_t v = -1;
	if (!stmt_one_int(st, -1, &v))
		return STORE_ERROR;
	*location_id = v;
	return v < 0 ? STORE_NOT_FOUND : STORE_OK;
}

int q_root_location(struct db *db, int64_t *location_id)
{
	static const char sql[] =
		"SELECT id FROM locations WHERE parent_id IS NULL AND deleted = 0 ORDER BY id LIMIT 1";
	struct stmt *st = db_prep(db, sql);
	if (!st || !stmt_one_int(st, 0, location_id))
		return STORE_ERROR;
	return *location_id > 0 ? STORE_OK : STORE_NOT_FOUND;
}

int q_message_audience(struct db *db, int64_t location_id, int64_t *clients,
					   int64_t *portal_users)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM clients c WHERE c.deleted = 0 AND (CAST($1 AS BIGINT) = 0 OR"
		" c.location_id IN (SELECT lc.descendant FROM location_closure lc"
		" WHERE lc.ancestor = $1))";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	static const char users[] =
		"SELECT COUNT(*) FROM caren_links k JOIN clients c ON c.id = k.client_id"
		" WHERE k.ended_at IS NULL AND k.deleted = 0 AND c.deleted = 0"
		" AND (CAST($1 AS BIGINT) = 0 OR c.location_id IN (SELECT lc.descendant"
		" FROM location_closure lc WHERE lc.ancestor = $1))";
	stmt_int(st, 1, location_id);
	if (!stmt_one_int(st, 0, clients) || !(st = db_prep(db, users)))
		return STORE_ERROR;
	stmt_int(st, 1, location_id);
	return stmt_one_int(st, 0, portal_users) ? STORE_OK : STORE_ERROR;
}

int q_caren_communication(struct db *db, bool *on)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM settings WHERE id = 1 AND caren_enabled = 1"
		" AND caren_communication = 1";
	struct stmt *st = db_prep(db, sql);
	int64_t n = 0;
	if (!st || !stmt_one_int(st, 0, &n))
		return STORE_ERROR;
	*on = n > 0;
	return STORE_OK;
}

/* ---- sending -------------------------------------------------------------------------- */

/* STORE_OK when location id exists (0, all clients, always does), else STORE_NOT_FOUND. */
static int location_exists(struct db *db, int64_t id)
{
	static const char sql[] = "SELECT COUNT(*) FROM locations WHERE id = $1 AND deleted = 0";
	if (id == 0)
		return STORE_OK;
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	int64_t n = 0;
	if (!stmt_one_int(st, 0, &n))
		return STORE_ERROR;
	return n > 0 ? STORE_OK : STORE_NOT_FOUND;
}

/* Insert the message row of n stamped rev; its id, or 0 on an error. */
static int64_t message_insert(struct db *db, const struct message_new *n, int64_t rev)
{
	static const char sql[] =
		"INSERT INTO location_messages (location_id, sender_staff_id, sender_name, created_at,"
		" text, recipients, clients, portal_users, created_rev, rev)"
		" VALUES ($1, $2, $3, $4, $5, 0, 0, 0, $6, $6) RETURNING id";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return 0;
	if (n->location_id > 0)
		stmt_int(st, 1, n->location_id);
	else
		stmt_null(st, 1);
	stmt_int(st, 2, n->staff_id);
	stmt_text(st, 3, n->staff_name);
	stmt_int(st, 4, (int64_t)time(NULL));
	stmt_text(st, 5, n->text);
	stmt_int(st, 6, rev);
	int64_t id = 0;
	return stmt_one_int(st, 0, &id) ? id : 0;
}

/* Resolve the recipients of message id now: the clients of the location's subtree (all
 * clients for 0) with one e-mail address each, the portal users linked to them now (an
 * active Caren link), then the message's counts. */
static bool recipients_insert(struct db *db, int64_t id, int64_t location_id, int64_t rev)
{
	static const char clients[] =
		"INSERT INTO message_recipients (message_id, client_id, kind, email, mail_state, rev)"
		" SELECT $1, c.id, 'client', e.value,"
		" CASE WHEN e.value IS NULL THEN 'NONE' ELSE 'PENDING' END, $3"
		" FROM clients c LEFT JOIN (SELECT cc.client_id, MIN(cc.value) AS value"
		" FROM client_contacts cc WHERE cc.kind = 'email' GROUP BY cc.client_id) e"
		" ON e.client_id = c.id WHERE c.deleted = 0 AND (CAST($2 AS BIGINT) = 0 OR"
		" c.location_id IN (SELECT lc.descendant FROM location_closure lc"
		" WHERE lc.ancestor = $2)) ORDER BY c.id";
	static const char counts[] =
		"UPDATE location_messages SET recipients = x.n, clients = x.c, portal_users = x.n - x.c,"
		" mails = x.m FROM (SELECT COUNT(*) AS n,"
		" COALESCE(SUM(CASE WHEN r.kind = 'client' THEN 1 ELSE 0 END), 0) AS c,"
		" COUNT(r.email) AS m FROM message_recipients r WHERE r.message_id = $1) x"
		" WHERE id = $1";
	static const char users[] =
		"INSERT INTO message_recipients (message_id, client_id, kind, portal_account,"
		" mail_state, rev) SELECT $1, k.client_id, 'portal_user', k.portal_account, 'NONE', $2"
		" FROM caren_links k JOIN message_recipients r ON r.client_id = k.client_id"
		" AND r.message_id = $1 AND r.kind = 'client'"
		" WHERE k.ended_at IS NULL AND k.deleted = 0 ORDER BY k.client_id";
	struct stmt *st = db_prep(db, clients);
	if (!st)
		return false;
	stmt_int(st, 1, id);
	stmt_int(st, 2, location_id);
	stmt_int(st, 3, rev);
	if (!stmt_done(st) || !(st = db_prep(db, users)))
		return false;
	stmt_int(st, 1, id);
	stmt_int(st, 2, rev);
	if (!stmt_done(st) || !(st = db_prep(db, counts)))
		return false;
	stmt_int(st, 1, id);
	return stmt_done(st);
}

struct send_arg {
	const struct message_new *n;
	q_message_render render;
	void *ctx;
	struct idem_reply *a;
};

/* Render message id through the caller's render into a->response. */
static void render_into(const struct message_row *m, void *ctx)
{
	struct send_arg *arg = ctx;
	arg->a->response = arg->render(m, arg->ctx);
}

/* The checks of a send under the write lock: key, setting, location. */
static int send_checks(struct store_write *w, struct send_arg *arg)
{
	struct idem_key k = IDEM_KEY_OF(arg->n);
	int rc = q_idem_check(w->db, &k, arg->a);
	if (rc == STORE_REPLAY) {
		const char *slash = arg->a->location ? strrchr(arg->a->location, '/') : NULL;
		store_write_audit(w, "location_message.send", "location_message",
						  slash ? strtoll(slash + 1, NULL, 10) : 0, arg->n->key);
		w->outcome = "replayed";
	}
	if (rc != STORE_OK)
		return rc;
	bool on = false;
	if (q_caren_communication(w->db, &on) != STORE_OK)
		return STORE_ERROR;
	if (!on) {
		arg->a->status = 409;
		return STORE_CONFLICT;
	}
	return location_exists(w->db, arg->n->location_id);
}

/* store_write operation of q_message_send. */
static int send_op(struct store_write *w, void *p)
{
	struct send_arg *arg = p;
	int rc = send_checks(w, arg);
	if (rc != STORE_OK || arg->a->replay)
		return arg->a->replay ? STORE_OK : rc;
	int64_t rev = store_write_rev(w);
	int64_t id = rev > 0 ? message_insert(w->db, arg->n, rev) : 0;
	if (id <= 0 || !recipients_insert(w->db, id, arg->n->location_id, rev) ||
		q_outbox_add(w->db, OUTBOX_MESSAGE_FANOUT, id, 0, NULL) != STORE_OK ||
		q_message_get(w->db, id, render_into, arg) != STORE_OK || !arg->a->response)
		return STORE_ERROR;
	struct idem_key k = IDEM_KEY_OF(arg->n);
	if (!q_idem_created(w->db, &k, arg->a, "/api/v1/location-messages", id))
		return STORE_ERROR;
	store_write_audit(w, "location_message.send", "location_message", id, NULL);
	return STORE_OK;
}

int q_message_send(struct db *db, const struct actor *actor, const struct message_new *n,
				   q_message_render render, void *ctx, struct idem_reply *a)
{
	struct send_arg arg = {n, render, ctx, a};
	return q_idem_write(db, actor, send_op, &arg, a);
}

/* ---- the portal ----------------------------------------------------------------------- */

/* Hand every recipient of message id to fn. */
static int recipients_of(struct db *db, int64_t id, q_recipient_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT r.id, r.message_id, r.client_id, c.client_number, r.kind, r.portal_account,"
		" r.mail_state, COALESCE(r.portal_delivered_at, 0), k.object_id,"
		" COALESCE(o.tries, 0), o.last_error"
		" FROM message_recipients r JOIN clients c ON c.id = r.client_id"
		" LEFT JOIN caren_links k ON k.client_id = r.client_id AND k.ended_at IS NULL"
		" AND k.deleted = 0 LEFT JOIN outbox o ON o.kind = '" OUTBOX_MESSAGE_NOTICE "'"
		" AND o.ref_id = r.message_id AND o.recipient_id = r.id"
		" WHERE r.message_id = $1 ORDER BY r.id";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		struct recipient_row r = {
			.id = stmt_col_int(st, 0),
			.message_id = stmt_col_int(st, 1),
			.client_id = stmt_col_int(st, 2),
			.client_number = stmt_col_text(st, 3),
			.kind = stmt_col_text(st, 4),
			.portal_account = stmt_col_text(st, 5),
			.mail_state = stmt_col_text(st, 6),
			.portal_delivered_at = stmt_col_int(st, 7),
			.client_object_id = stmt_col_text(st, 8),
			.mail_tries = stmt_col_int(st, 9),
			.mail_error = stmt_col_text(st, 10),
		};
		fn(&r, ctx);
	}
	return stmt_finish(st, rc, false, 0);
}

int q_message_recipients(struct db *db, int64_t id, q_recipient_fn fn, void *ctx)
{
	return recipients_of(db, id, fn, ctx);
}

int q_portal_messages(struct db *db, int64_t since, int64_t limit, q_message_fn fn,
					  q_recipient_fn rfn, void *ctx, int64_t *next)
{
	static const char sql[] = "SELECT " MESSAGE_COLS ", m.text, m.created_rev FROM "
							  MESSAGE_FROM " WHERE m.deleted = 0 AND m.created_rev > $1"
							  " ORDER BY m.created_rev LIMIT $2";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, since);
	stmt_int(st, 2, limit);
	/* Collect ids first: the recipients' statement must not run while this one steps on
	 * PostgreSQL's single result. */
	int64_t *ids = xcalloc((size_t)limit + 1, sizeof *ids);
	size_t n = 0;
	enum store_step rc;
	*next = since;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		ids[n++] = stmt_col_int(st, 0);
		*next = stmt_col_int(st, 13);
	}
	int out = stmt_finish(st, rc, false, 0);
	for (size_t i = 0; out == STORE_OK && i < n; i++) {
		out = q_message_get(db, ids[i], fn, ctx);
		if (out == STORE_OK)
			out = recipients_of(db, ids[i], rfn, ctx);
	}
	free(ids);
	return out;
}

int q_message_recount(struct db *db, int64_t id, int64_t rev)
{
	static const char sql[] =
		"UPDATE location_messages SET"
		" delivered = (SELECT COUNT(*) FROM message_recipients r WHERE r.message_id = $1"
		"  AND (r.portal_delivered_at IS NOT NULL OR r.mail_state = 'SENT')),"
		" failed = (SELECT COUNT(*) FROM message_recipients r WHERE r.message_id = $1"
		"  AND r.portal_delivered_at IS NULL AND r.mail_state = 'FAILED'),"
		" rev = $2 WHERE id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	stmt_int(st, 2, rev);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

struct delivered_arg {
	int64_t id;
	const int64_t *ids;
	size_t n, unknown;
};

/* store_write operation of q_portal_delivered. */
static int delivered_op(struct store_write *w, void *p)
{
	static const char sql[] =
		"UPDATE message_recipients SET portal_delivered_at = COALESCE(portal_delivered_at, $3)"
		" WHERE message_id = $1 AND id = $2";
	struct delivered_arg *a = p;
	int64_t loc = 0;
	int rc = q_message_location(w->db, a->id, &loc);
	if (rc != STORE_OK)
		return rc;
	for (size_t i = 0; i < a->n; i++) {
		struct stmt *st = db_prep(w->db, sql);
		if (!st)
			return STORE_ERROR;
		stmt_int(st, 1, a->id);
		stmt_int(st, 2, a->ids[i]);
		stmt_int(st, 3, (int64_t)time(NULL));
		if (!stmt_done(st))
			return STORE_ERROR;
		if (db_changes(w->db) == 0)
			a->unknown++;
	}
	if (a->unknown)
		return STORE_INVALID;
	int64_t rev = store_write_rev(w);
	if (rev <= 0 || q_message_recount(w->db, a->id, rev) != STORE_OK)
		return STORE_ERROR;
	store_write_audit(w, "location_message.delivered", "location_message", a->id, NULL);
	return STORE_OK;
}

int q_portal_delivered(struct db *db, const struct actor *actor, int64_t id,
					   const int64_t *ids, size_t n, size_t *unknown)
{
	struct delivered_arg a = {id, ids, n, 0};
	int rc = store_write(db, actor, delivered_op, &a);
	*unknown = a.unknown;
	return rc;
}
