/* POST/DELETE /api/v1/session: log in with a password (throttled), log out. */
#include "audit.h"
#include "auth.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/log.h"
#include "common/valid.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/store.h"
#include "store/legacy.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THROTTLE_WINDOW 900   /* failures count within 15 minutes */
#define THROTTLE_BASE 30      /* first lock: 30 s, doubling */
#define THROTTLE_MAX 900      /* never longer than 15 minutes */

static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* A hash to verify against for unknown users, so their timing matches real ones. */
static void make_dummy_hash(void)
{
	dummy_hash = auth_hash_password("not-a-real-password");
}

/* Seconds a key is still locked, or 0. */
static int64_t throttle_locked(struct db *db, const char *key, int64_t now)
{
	static const char sql[] = "SELECT locked_until FROM login_failures WHERE key = ?";
	sqlite3_stmt *st = legacy_prep(db, sql);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int64_t until = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return until > now ? until - now : 0;
}

/* Count one failure for key, locking it once limit failures fall in the window. */
static void throttle_fail(struct db *db, const char *key, int64_t limit, int64_t now)
{
	static const char sql[] =
		"INSERT INTO login_failures (key, failures, first_at, locked_until) VALUES (?1, 1, ?2, 0)"
		" ON CONFLICT (key) DO UPDATE SET"
		"  failures = CASE WHEN first_at < ?2 - ?3 THEN 1 ELSE failures + 1 END,"
		"  first_at = CASE WHEN first_at < ?2 - ?3 THEN ?2 ELSE first_at END"
		" RETURNING failures";
	/* Forget failures nobody is locked out by any more, so the table stays small. */
	static const char prune[] =
		"DELETE FROM login_failures WHERE first_at < ?1 AND locked_until < ?2";
	sqlite3_stmt *st = legacy_prep(db, prune);
	if (st) {
		sqlite3_bind_int64(st, 1, now - THROTTLE_WINDOW);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	st = legacy_prep(db, sql);
	if (!st)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, THROTTLE_WINDOW);
	int64_t failures = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (failures < limit)
		return;
	int64_t over = failures - limit;
	int64_t lock = THROTTLE_BASE;
	while (over-- > 0 && lock < THROTTLE_MAX)
		lock *= 2;
	if (lock > THROTTLE_MAX)
		lock = THROTTLE_MAX;
	static const char upd[] = "UPDATE login_failures SET locked_until = ? WHERE key = ?";
	st = legacy_prep(db, upd);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, now + lock);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
}

/* Forget the failures of key after a successful login. */
static void throttle_clear(struct db *db, const char *key)
{
	static const char sql[] = "DELETE FROM login_failures WHERE key = ?";
	sqlite3_stmt *st = legacy_prep(db, sql);
	if (!st)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
}

/* Answer 429 with Retry-After. */
static void too_many(struct req *r, int64_t wait)
{
	snprintf(r->retry_after, sizeof r->retry_after, "%lld", (long long)wait);
	char detail[128];
	snprintf(detail, sizeof detail, "Too many failed logins; try again in %lld seconds.",
			 (long long)wait);
	cJSON *p = problem_new(429, "login-throttled", "Too many attempts", detail);
	jx_add_int(p, "retry_after", wait);
	problem_reply(r, p);
}

void h_session_create(struct req *r)
{
	static const char *const allowed[] = {"username", "password", NULL};
	if (!http_parse_object(r, allowed))
		return;
	const char *user = jx_str(r->json, "username");
	const char *pass = jx_str(r->json, "password");
	cJSON *bad = NULL;
	if (!user || !valid_text(user, 64, true)) {
		bad = problem_new(400, "invalid-input", "Invalid input", "Check the marked fields.");
		problem_add_field(bad, "username", "required: a user name of 1 to 64 characters");
	}
	if (!pass || !*pass || strlen(pass) > 1024) {
		if (!bad)
			bad = problem_new(400, "invalid-input", "Invalid input", "Check the marked fields.");
		problem_add_field(bad, "password", "required: a password of at most 1024 bytes");
	}
	if (bad) {
		problem_reply(r, bad);
		return;
	}
	char ukey[96], akey[96];
	snprintf(ukey, sizeof ukey, "user:");
	size_t n = strlen(ukey);
	for (const char *c = user; *c && n < sizeof ukey - 1; c++)
		ukey[n++] = (char)tolower((unsigned char)*c);
	ukey[n] = '\0';
	snprintf(akey, sizeof akey, "addr:%s", r->remote);
	int64_t now = (int64_t)time(NULL);
	int64_t wait = throttle_locked(r->db, ukey, now);
	int64_t wait_a = throttle_locked(r->db, akey, now);
	if (wait_a > wait)
		wait = wait_a;
	if (wait > 0) {
		audit_req(r, "session.create", "staff", 0, "throttled", NULL);
		too_many(r, wait);
		return;
	}

	static const char sql[] =
		"SELECT id, password_hash, is_demo FROM staff"
		" WHERE username = ? AND active = 1 AND deleted = 0";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "staff lookup");
		return;
	}
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	int64_t staff_id = 0;
	char *hash = NULL;
	bool is_demo = false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		staff_id = sqlite3_column_int64(st, 0);
		hash = xstrdup(db_col_text(st, 1));
		is_demo = sqlite3_column_int(st, 2) != 0;
	}
	sqlite3_reset(st);
	bool ok;
	if (staff_id) {
		ok = auth_verify_password(hash, pass);
	} else {
		pthread_once(&dummy_once, make_dummy_hash);
		auth_verify_password(dummy_hash, pass);
		ok = false;
	}
	free(hash);

	if (db_begin(r->db, true) != 0) {
		problem_internal(r, "begin");
		return;
	}
	if (!ok) {
		throttle_fail(r->db, ukey, r->srv->cfg.login_user_limit, now);
		throttle_fail(r->db, akey, r->srv->cfg.login_addr_limit, now);
		audit_req(r, "session.create", "staff", staff_id, "denied", NULL);
		db_commit(r->db);
		problem_set(r, 401, "invalid-credentials", "Unauthorized",
					"The user name or password is not correct.");
		return;
	}
	if (is_demo && !r->srv->loopback) {
		audit_req(r, "session.create", "staff", staff_id, "denied", "demo account off loopback");
		db_commit(r->db);
		problem_set(r, 403, "demo-account", "Forbidden",
					"Demo accounts may only log in while zorgd listens on loopback.");
		return;
	}
	throttle_clear(r->db, ukey);
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	char token[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char th[65];
	auth_token_hash(token, th);
	int64_t expires = now + r->srv->cfg.session_idle;
	if (expires > now + r->srv->cfg.session_max)
		expires = now + r->srv->cfg.session_max;
	static const char ins[] =
		"INSERT INTO sessions (token_hash, staff_id, created_at, last_seen_at, expires_at,"
		" remote_addr) VALUES (?, ?, ?, ?, ?, ?)";
	st = legacy_prep(r->db, ins);
	if (!st) {
		db_rollback(r->db);
		problem_internal(r, "session insert");
		return;
	}
	sqlite3_bind_text(st, 1, th, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, staff_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, expires);
	sqlite3_bind_text(st, 6, r->remote, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	r->who.kind = PRINCIPAL_STAFF;
	r->who.staff_id = staff_id;
	if (rc != SQLITE_DONE || audit_req(r, "session.create", "staff", staff_id, "ok", NULL) != 0 ||
		db_commit(r->db) != 0) {
		db_rollback(r->db);
		problem_internal(r, "session insert");
		return;
	}
	sodium_memzero(raw, sizeof raw);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "token", token);
	char when[32];
	jx_time(expires, when);
	cJSON_AddStringToObject(o, "expires_at", when);
	jx_add_int(o, "idle_timeout", r->srv->cfg.session_idle);
	http_reply(r, 201, o);
}

void h_session_delete(struct req *r)
{
	if (!authz_check(r, NULL, 0))
		return;
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "session delete");
		return;
	}
	sqlite3_bind_text(st, 1, r->token_hash, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
	audit_req(r, "session.delete", "staff", r->who.staff_id, "ok", NULL);
	http_no_content(r);
}
