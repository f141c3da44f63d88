/* Idempotency keys: the one lookup and the one insert every idempotent write uses. */
#include "q_idempotency.h"

#include "common/alloc.h"
#include "q_rows.h"

#include <string.h>
#include <time.h>

int q_idem_check(struct db *db, const struct idem_key *k, int *status, char **location,
				 char **response)
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
		*status = 422;
		out = STORE_CONFLICT;
	} else if (rc == STORE_STEP_ROW) {
		*status = (int)stmt_col_int(st, 1);
		*location = stmt_col_text(st, 2) ? xstrdup(stmt_col_text(st, 2)) : NULL;
		*response = xstrdup(stmt_col_text(st, 3));
		out = STORE_REPLAY;
	}
	stmt_reset(st);
	return out;
}

bool q_idem_store(struct db *db, const struct idem_key *k, int status, const char *location,
				  const char *response)
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
	stmt_int(st, 4, status);
	stmt_text(st, 5, location);
	stmt_text(st, 6, response);
	stmt_int(st, 7, (int64_t)time(NULL));
	return stmt_done(st);
}
