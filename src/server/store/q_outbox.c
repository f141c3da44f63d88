/* The outbox in the store (see q_outbox.h). */
#include "q_outbox.h"

#include "common/alloc.h"
#include "q_messages.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Insert one pending row due now; the statement family shared by the two adders. */
static int add_row(struct db *db, const char *kind, int64_t ref_id, int64_t recipient_id,
				   const char *to, const char *subject, const char *body)
{
	static const char sql[] =
		"INSERT INTO outbox (kind, ref_id, recipient_id, mail_to, subject, body, state,"
		" next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8)";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	stmt_text(st, 1, kind);
	stmt_int(st, 2, ref_id);
	stmt_int(st, 3, recipient_id);
	stmt_text(st, 4, to);
	stmt_text(st, 5, subject);
	stmt_text(st, 6, body);
	stmt_int(st, 7, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	stmt_int(st, 8, (int64_t)ts.tv_sec);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

int q_outbox_add(struct db *db, const char *kind, int64_t ref_id, int64_t recipient_id,
				 const char *mail_to)
{
	return add_row(db, kind, ref_id, recipient_id, mail_to, NULL, NULL);
}

int q_outbox_add_mail(struct db *db, int64_t ref_id, int64_t recipient_id, const char *to,
					  const char *subject, const char *body)
{
	return add_row(db, OUTBOX_MAIL, ref_id, recipient_id, to, subject, body);
}

int q_outbox_due(struct db *db, int64_t now_ms, bool *due)
{
	static const char sql[] = "SELECT 1 FROM outbox WHERE state = 'PENDING'"
							  " AND next_at <= $1 AND lease_until <= $1 LIMIT 1";
	struct stmt *st = db_prep(db, sql);
	int64_t n = 0;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, now_ms);
	if (!stmt_one_int(st, 0, &n))
		return STORE_ERROR;
	*due = n > 0;
	return STORE_OK;
}

struct claim_arg {
	const char *owner;
	int64_t now_ms, lease_until;
	size_t limit, n;
	struct outbox_row *rows;
};

/* store_write operation of q_outbox_claim. The outer conditions repeat the inner ones so
 * that PostgreSQL re-checks them on a row another instance claimed meanwhile. */
static int claim_op(struct store_write *w, void *p)
{
	static const char sql[] =
		"UPDATE outbox SET lease_owner = $1, lease_until = $2"
		" WHERE id IN (SELECT o.id FROM outbox o WHERE o.state = 'PENDING'"
		"  AND o.next_at <= $3 AND o.lease_until <= $3 ORDER BY o.id LIMIT $4)"
		" AND state = 'PENDING' AND lease_until <= $3"
		" RETURNING id, kind, ref_id, recipient_id, mail_to, subject, body, tries, created_at";
	struct claim_arg *a = p;
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, a->owner);
	stmt_int(st, 2, a->lease_until);
	stmt_int(st, 3, a->now_ms);
	stmt_int(st, 4, (int64_t)a->limit);
	outbox_rows_free(a->rows, a->n); /* an earlier attempt's rows (store_write retries) */
	a->n = 0;
	a->rows = xcalloc(a->limit + 1, sizeof *a->rows);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW && a->n < a->limit) {
		struct outbox_row *r = &a->rows[a->n++];
		r->id = stmt_col_int(st, 0);
		r->kind = xstrdup(stmt_col_text(st, 1));
		r->ref_id = stmt_col_int(st, 2);
		r->recipient_id = stmt_col_int(st, 3);
		r->mail_to = xstrdup(stmt_col_text(st, 4));
		r->subject = xstrdup(stmt_col_text(st, 5));
		r->body = xstrdup(stmt_col_text(st, 6));
		r->tries = stmt_col_int(st, 7);
		r->created_at = stmt_col_int(st, 8);
		r->lease_until = a->lease_until;
	}
	return stmt_finish(st, rc, false, 0);
}

static int by_id(const void *x, const void *y)
{
	const struct outbox_row *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

int q_outbox_claim(struct db *db, const struct actor *actor, const char *owner,
				   int64_t now_ms, int64_t lease_until, size_t limit, struct outbox_row **rows,
				   size_t *n)
{
	struct claim_arg a = {owner, now_ms, lease_until, limit, 0, NULL};
	int rc = store_write_unversioned(db, actor, claim_op, &a);
	if (rc != STORE_OK) {
		outbox_rows_free(a.rows, a.n);
		a.rows = NULL;
		a.n = 0;
	}
	if (a.n > 1)
		qsort(a.rows, a.n, sizeof *a.rows, by_id);
	*rows = a.rows;
	*n = a.n;
	return rc;
}

void outbox_rows_free(struct outbox_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].kind);
		free(rows[i].mail_to);
		free(rows[i].subject);
		free(rows[i].body);
	}
	free(rows);
}

/* Notice rows one fan-out write adds: small writes, so that other writers (a message
 * being sent) never wait long for the lock. */
#define EXPAND_CHUNK 1000

struct expand_arg {
	const struct outbox_row *f;
	bool *more;
};

/* store_write operation of q_outbox_expand: the next chunk after the notices made so far
 * (so a repeat after a crash goes on where it stopped); the last chunk marks f sent. */
static int expand_op(struct store_write *w, void *p)
{
	static const char ins[] =
		"INSERT INTO outbox (kind, ref_id, recipient_id, mail_to, state, next_at, created_at)"
		" SELECT '" OUTBOX_MESSAGE_NOTICE "', r.message_id, r.id, r.email, 'PENDING', $2, $3"
		" FROM message_recipients r WHERE r.message_id = $1 AND r.email IS NOT NULL"
		" AND r.id > COALESCE((SELECT MAX(o.recipient_id) FROM outbox o WHERE o.kind = '"
		OUTBOX_MESSAGE_NOTICE "' AND o.ref_id = $1), 0)"
		" ORDER BY r.id LIMIT $4 ON CONFLICT (kind, ref_id, recipient_id) DO NOTHING";
	static const char done[] =
		"UPDATE outbox SET state = 'SENT', sent_at = $2, lease_owner = NULL, lease_until = 0"
		" WHERE id = $1";
	struct expand_arg *a = p;
	struct stmt *st = db_prep(w->db, ins);
	if (!st)
		return STORE_ERROR;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	stmt_int(st, 1, a->f->ref_id);
	stmt_int(st, 2, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	stmt_int(st, 3, (int64_t)ts.tv_sec);
	stmt_int(st, 4, EXPAND_CHUNK);
	if (!stmt_done(st))
		return STORE_ERROR;
	*a->more = db_changes(w->db) >= EXPAND_CHUNK;
	if (*a->more)
		return STORE_OK;
	if (!(st = db_prep(w->db, done)))
		return STORE_ERROR;
	stmt_int(st, 1, a->f->id);
	stmt_int(st, 2, (int64_t)ts.tv_sec);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

int q_outbox_expand(struct db *db, const struct actor *actor, const struct outbox_row *f,
					bool *more)
{
	struct expand_arg a = {f, more};
	*more = false;
	return store_write_unversioned(db, actor, expand_op, &a);
}

/* The recipient's mail state after a notice's outcome. */
static int recipient_mark(struct db *db, const struct outbox_result *r)
{
	static const char sql[] = "UPDATE message_recipients SET mail_state = $2 WHERE id = $1";
	if (r->outcome == OUTBOX_RETRY || strcmp(r->row->kind, OUTBOX_MESSAGE_NOTICE) != 0)
		return STORE_OK;
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, r->row->recipient_id);
	stmt_text(st, 2, r->outcome == OUTBOX_SENT ? "SENT" : "FAILED");
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

/* Record one result inside the write. */
static int finish_one(struct db *db, const struct outbox_result *r, int64_t now)
{
	static const char sql[] =
		"UPDATE outbox SET state = $2, tries = tries + 1, next_at = $3, last_error = $4,"
		" sent_at = CASE WHEN $2 = 'SENT' THEN CAST($5 AS BIGINT) ELSE sent_at END,"
		" lease_owner = NULL, lease_until = 0 WHERE id = $1";
	static const char *const states[] = {"SENT", "PENDING", "FAILED"};
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, r->row->id);
	stmt_text(st, 2, states[r->outcome]);
	stmt_int(st, 3, r->next_at);
	stmt_text(st, 4, r->outcome == OUTBOX_SENT ? NULL : r->error);
	stmt_int(st, 5, now);
	if (!stmt_done(st))
		return STORE_ERROR;
	return recipient_mark(db, r);
}

struct finish_arg {
	const struct outbox_result *r;
	size_t n;
};

/* store_write operation of q_outbox_finish. */
static int finish_op(struct store_write *w, void *p)
{
	struct finish_arg *a = p;
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < a->n; i++)
		if (finish_one(w->db, &a->r[i], now) != STORE_OK)
			return STORE_ERROR;
	return STORE_OK;
}

int q_outbox_finish(struct db *db, const struct actor *actor, const struct outbox_result *r,
					size_t n)
{
	struct finish_arg a = {r, n};
	return n ? store_write_unversioned(db, actor, finish_op, &a) : STORE_OK;
}

/* store_write operation of q_outbox_release. */
static int release_op(struct store_write *w, void *p)
{
	static const char sql[] = "UPDATE outbox SET lease_owner = NULL, lease_until = 0"
							  " WHERE lease_owner = $1 AND state = 'PENDING'";
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, p);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

int q_outbox_release(struct db *db, const struct actor *actor, const char *owner)
{
	return store_write_unversioned(db, actor, release_op, (void *)owner);
}

struct recount_arg {
	const int64_t *ids;
	size_t n;
};

/* store_write operation of q_outbox_recount. */
static int recount_op(struct store_write *w, void *p)
{
	struct recount_arg *a = p;
	int64_t rev = store_write_rev(w);
	for (size_t i = 0; rev > 0 && i < a->n; i++)
		if (q_message_recount(w->db, a->ids[i], rev) != STORE_OK)
			return STORE_ERROR;
	return rev > 0 ? STORE_OK : STORE_ERROR;
}

int q_outbox_recount(struct db *db, const struct actor *actor, const int64_t *ids, size_t n)
{
	struct recount_arg a = {ids, n};
	return n ? store_write_unversioned(db, actor, recount_op, &a) : STORE_OK;
}

int q_outbox_org_name(struct db *db, char **name)
{
	static const char sql[] = "SELECT name FROM organisation WHERE id = 1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	enum store_step rc = stmt_step(st);
	*name = xstrdup(rc == STORE_STEP_ROW && stmt_col_text(st, 0) ? stmt_col_text(st, 0)
																 : "uw zorgorganisatie");
	return stmt_finish(st, rc, false, 0);
}
