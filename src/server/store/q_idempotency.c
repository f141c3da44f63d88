/* Idempotency keys: the lookup, the stored reply and the write every idempotent creation uses. */
#include "q_idempotency.h"

#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int q_idem_check(struct db *db, const struct idem_key *k, struct idem_reply *r)
{
	static const char prune[] = "DELETE FROM idempotency_keys WHERE created_at < $1";
	static const char sql[] =
		"SELECT request_hash, status, location, response FROM idempotency_keys"
		" WHERE staff_id = $1 AND key = $2";
	struct stmt *st = db_prep(db, prune);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, (int64_t)time(NULL) - IDEMPOTENCY_KEEP);
	if (!stmt_done(st) || !(st = db_prep(db, sql)))
		return STORE_ERROR;
	stmt_int(st, 1, k->staff_id);
	stmt_text(st, 2, k->key);
	enum store_step rc = stmt_step(st);
	int out = rc == STORE_STEP_ERROR ? STORE_ERROR : STORE_OK;
	if (rc == STORE_STEP_ROW && strcmp(stmt_col_text(st, 0), k->request_hash) != 0) {
		r->status = 422;
		out = STORE_CONFLICT;
	} else if (rc == STORE_STEP_ROW) {
		r->status = (int)stmt_col_int(st, 1);
		r->location = stmt_col_text(st, 2) ? xstrdup(stmt_col_text(st, 2)) : NULL;
		r->response = xstrdup(stmt_col_text(st, 3));
		r->replay = true;
		out = STORE_REPLAY;
	}
	stmt_reset(st);
	return out;
}

/* Store reply r under k. */
static bool idem_store(struct db *db, const struct idem_key *k, const struct idem_reply *r)
{
	static const char sql[] =
		"INSERT INTO idempotency_keys (staff_id, key, request_hash, status, location,"
		" response, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return false;
	stmt_int(st, 1, k->staff_id);
	stmt_text(st, 2, k->key);
	stmt_text(st, 3, k->request_hash);
	stmt_int(st, 4, r->status);
	stmt_text(st, 5, r->location);
	stmt_text(st, 6, r->response);
	stmt_int(st, 7, (int64_t)time(NULL));
	return stmt_done(st);
}

bool q_idem_created(struct db *db, const struct idem_key *k, struct idem_reply *r,
					const char *path, int64_t id)
{
	r->status = 201;
	free(r->location);
	r->location = xasprintf("%s/%lld", path, (long long)id);
	return idem_store(db, k, r);
}

int q_idem_write(struct db *db, const struct actor *actor,
				 int (*op)(struct store_write *w, void *arg), void *arg, struct idem_reply *r)
{
	int rc = store_write(db, actor, op, arg);
	if (rc != STORE_OK)
		q_idem_free(r);
	return rc == STORE_OK && r->replay ? STORE_REPLAY : rc;
}

void q_idem_free(struct idem_reply *r)
{
	free(r->location);
	free(r->response);
	r->location = r->response = NULL;
}
