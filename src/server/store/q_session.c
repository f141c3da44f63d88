/* Sessions, login throttling and the caller's tasks. */
#include "q_session.h"

#define THROTTLE_WINDOW 900   /* failures count within 15 minutes */
#define THROTTLE_BASE 30      /* first lock: 30 s, doubling */
#define THROTTLE_MAX 900      /* never longer than 15 minutes */

int q_session_get(struct db *db, const char *token_hash,
				  void (*fn)(const struct session_row *s, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT s.staff_id, s.expires_at, s.last_seen_at, st.username, st.name,"
		" (SELECT e.value FROM auth_epoch e WHERE e.id = 1)"
		" FROM sessions s JOIN staff st ON st.id = s.staff_id"
		" WHERE s.token_hash = $1 AND st.active = 1 AND st.deleted = 0";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, token_hash);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		struct session_row s = {
			.staff_id = stmt_col_int(st, 0),
			.expires_at = stmt_col_int(st, 1),
			.last_seen_at = stmt_col_int(st, 2),
			.username = stmt_col_text(st, 3),
			.name = stmt_col_text(st, 4),
			.auth_epoch = stmt_col_int(st, 5),
		};
		fn(&s, ctx);
	}
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

int q_session_delete(struct db *db, const char *token_hash)
{
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, token_hash);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

int q_session_touch(struct db *db, const char *token_hash, int64_t now, int64_t idle,
					int64_t max)
{
	static const char sql[] =
		"UPDATE sessions SET last_seen_at = $1,"
		" expires_at = CASE WHEN $1 + $2 < created_at + $3 THEN $1 + $2"
		"              ELSE created_at + $3 END WHERE token_hash = $4";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, now);
	stmt_int(st, 2, idle);
	stmt_int(st, 3, max);
	stmt_text(st, 4, token_hash);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

int q_staff_tasks(struct db *db, int64_t id, void (*fn)(const char *code, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT rt.task_code FROM staff_roles sr"
		" JOIN role_tasks rt ON rt.role_id = sr.role_id WHERE sr.staff_id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW)
		fn(stmt_col_text(st, 0), ctx);
	return stmt_finish(st, rc, false, 0);
}

int q_supplier_admitted(struct db *db, const char *connector, int64_t *id)
{
	static const char sql[] =
		"SELECT id FROM suppliers WHERE connector = $1 AND access_granted = 1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, connector);
	if (!stmt_one_int(st, 0, id))
		return STORE_ERROR;
	return *id > 0 ? STORE_OK : STORE_NOT_FOUND;
}

int q_login_get(struct db *db, const char *username,
				void (*fn)(const struct login_row *l, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT id, password_hash, is_demo FROM staff"
		" WHERE username = $1 AND active = 1 AND deleted = 0";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, username);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		struct login_row l = {
			.staff_id = stmt_col_int(st, 0),
			.password_hash = stmt_col_text(st, 1),
			.is_demo = stmt_col_int(st, 2) != 0,
		};
		fn(&l, ctx);
	}
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

int64_t q_throttle_locked(struct db *db, const char *key, int64_t now)
{
	static const char sql[] = "SELECT locked_until FROM login_failures WHERE key = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return 0;
	stmt_text(st, 1, key);
	int64_t until = 0;
	if (!stmt_one_int(st, 0, &until))
		return 0;
	return until > now ? until - now : 0;
}

/* Count one failure for key, locking it once limit failures fall in the window. */
static bool throttle_fail(struct db *db, const char *key, int64_t limit, int64_t now)
{
	static const char sql[] =
		"INSERT INTO login_failures (key, failures, first_at, locked_until) VALUES ($1, 1, $2, 0)"
		" ON CONFLICT (key) DO UPDATE SET"
		"  failures = CASE WHEN login_failures.first_at < $2 - $3 THEN 1"
		"             ELSE login_failures.failures + 1 END,"
		"  first_at = CASE WHEN login_failures.first_at < $2 - $3 THEN $2"
		"             ELSE login_failures.first_at END"
		" RETURNING failures";
	/* Forget failures nobody is locked out by any more, so the table stays small. */
	static const char prune[] =
		"DELETE FROM login_failures WHERE first_at < $1 AND locked_until < $2";
	static const char upd[] = "UPDATE login_failures SET locked_until = $1 WHERE key = $2";
	struct stmt *st = db_prep(db, prune);
	if (!st)
		return false;
	stmt_int(st, 1, now - THROTTLE_WINDOW);
	stmt_int(st, 2, now);
	if (!stmt_done(st) || !(st = db_prep(db, sql)))
		return false;
	stmt_text(st, 1, key);
	stmt_int(st, 2, now);
	stmt_int(st, 3, THROTTLE_WINDOW);
	int64_t failures = 0;
	if (!stmt_one_int(st, 0, &failures))
		return false;
	if (failures < limit)
		return true;
	int64_t over = failures - limit, lock = THROTTLE_BASE;
	while (over-- > 0 && lock < THROTTLE_MAX)
		lock *= 2;
	if (lock > THROTTLE_MAX)
		lock = THROTTLE_MAX;
	if (!(st = db_prep(db, upd)))
		return false;
	stmt_int(st, 1, now + lock);
	stmt_text(st, 2, key);
	return stmt_done(st);
}

/* Create the session of a successful login. */
static bool session_insert(struct db *db, const struct login_result *l)
{
	static const char sql[] =
		"INSERT INTO sessions (token_hash, staff_id, created_at, last_seen_at, expires_at,"
		" remote_addr) VALUES ($1, $2, $3, $3, $4, $5)";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return false;
	stmt_text(st, 1, l->token_hash);
	stmt_int(st, 2, l->staff_id);
	stmt_int(st, 3, l->now);
	stmt_int(st, 4, l->expires_at);
	stmt_text(st, 5, l->remote);
	return stmt_done(st);
}

/* store_write operation of q_login_record. */
static int login_record_op(struct store_write *w, void *arg)
{
	const struct login_result *l = arg;
	store_write_audit(w, "session.create", "staff", l->staff_id, l->detail);
	if (!l->ok) {
		w->outcome = "denied";
		bool ok = !l->count_failure ||
				  (throttle_fail(w->db, l->user_key, l->user_limit, l->now) &&
				   throttle_fail(w->db, l->addr_key, l->addr_limit, l->now));
		return ok ? STORE_OK : STORE_ERROR;
	}
	static const char clear[] = "DELETE FROM login_failures WHERE key = $1";
	struct stmt *st = db_prep(w->db, clear);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, l->user_key);
	return stmt_done(st) && session_insert(w->db, l) ? STORE_OK : STORE_ERROR;
}

int q_login_record(struct db *db, const struct actor *actor, const struct login_result *l)
{
	return store_write(db, actor, login_record_op, (void *)l);
}
