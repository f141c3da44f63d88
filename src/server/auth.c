/* Staff authentication with Argon2id passwords and hashed bearer tokens; supplier identity
 * from certificates. */
#include "auth.h"

#include "audit.h"
#include "common/alloc.h"
#include "common/log.h"
#include "problem.h"
#include "server.h"
#include "store/store.h"
#include "store/legacy.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *auth_hash_password(const char *password)
{
	char *out = xmalloc(crypto_pwhash_STRBYTES);
	if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
							  crypto_pwhash_MEMLIMIT_INTERACTIVE,
							  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

bool auth_verify_password(const char *hash, const char *password)
{
	if (!hash || !*hash)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

void auth_principal_clear(struct principal *p)
{
	free(p->username);
	free(p->name);
	for (size_t i = 0; i < p->ntasks; i++)
		free(p->tasks[i]);
	free(p->tasks);
	memset(p, 0, sizeof *p);
}

bool auth_has_task(const struct principal *p, const char *code)
{
	size_t lo = 0, hi = p->ntasks;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(p->tasks[mid], code);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Set a 401 problem with a reason the client can show. */
static bool unauthorized(struct req *r, const char *slug, const char *detail)
{
	problem_set(r, 401, slug, "Unauthorized", detail);
	return false;
}

bool auth_staff(struct req *r)
{
	const char *h = http_header(r, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) < 16 || strlen(h + 7) > 128)
		return unauthorized(r, "unauthenticated", "Log in first: send 'Authorization: Bearer TOKEN'.");
	auth_token_hash(h + 7, r->token_hash);
	static const char sql[] =
		"SELECT s.staff_id, s.expires_at, s.last_seen_at, st.username, st.name"
		" FROM sessions s JOIN staff st ON st.id = s.staff_id"
		" WHERE s.token_hash = ? AND st.active = 1 AND st.deleted = 0";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "session lookup");
		return false;
	}
	sqlite3_bind_text(st, 1, r->token_hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return unauthorized(r, "unauthenticated", "The session is unknown or has ended; log in again.");
	}
	int64_t now = (int64_t)time(NULL);
	int64_t staff_id = sqlite3_column_int64(st, 0);
	int64_t expires = sqlite3_column_int64(st, 1);
	int64_t seen = sqlite3_column_int64(st, 2);
	r->who.kind = PRINCIPAL_STAFF;
	r->who.staff_id = staff_id;
	r->who.username = xstrdup(db_col_text(st, 3));
	r->who.name = xstrdup(db_col_text(st, 4));
	sqlite3_reset(st);
	if (expires <= now) {
		static const char del[] = "DELETE FROM sessions WHERE token_hash = ?";
		sqlite3_stmt *d = legacy_prep(r->db, del);
		if (d) {
			sqlite3_bind_text(d, 1, r->token_hash, -1, SQLITE_STATIC);
			sqlite3_step(d);
			sqlite3_reset(d);
		}
		auth_principal_clear(&r->who);
		return unauthorized(r, "session-expired", "The session has expired; log in again.");
	}
	/* Slide the idle expiry, at most once a minute to keep reads cheap. */
	if (now - seen >= 60) {
		static const char touch[] =
			"UPDATE sessions SET last_seen_at = ?1,"
			" expires_at = min(?1 + ?2, created_at + ?3) WHERE token_hash = ?4";
		sqlite3_stmt *t = legacy_prep(r->db, touch);
		if (t) {
			sqlite3_bind_int64(t, 1, now);
			sqlite3_bind_int64(t, 2, r->srv->cfg.session_idle);
			sqlite3_bind_int64(t, 3, r->srv->cfg.session_max);
			sqlite3_bind_text(t, 4, r->token_hash, -1, SQLITE_STATIC);
			sqlite3_step(t);
			sqlite3_reset(t);
		}
	}
	static const char tasks_sql[] =
		"SELECT DISTINCT rt.task_code FROM staff_roles sr"
		" JOIN role_tasks rt ON rt.role_id = sr.role_id WHERE sr.staff_id = ?"
		" ORDER BY rt.task_code";
	sqlite3_stmt *ts = legacy_prep(r->db, tasks_sql);
	if (!ts) {
		problem_internal(r, "task lookup");
		return false;
	}
	sqlite3_bind_int64(ts, 1, staff_id);
	size_t cap = 0;
	while (sqlite3_step(ts) == SQLITE_ROW) {
		if (r->who.ntasks == cap) {
			cap = cap ? cap * 2 : 16;
			r->who.tasks = xrealloc(r->who.tasks, cap * sizeof *r->who.tasks);
		}
		r->who.tasks[r->who.ntasks++] = xstrdup(db_col_text(ts, 0));
	}
	sqlite3_reset(ts);
	return true;
}

bool auth_supplier_from_cn(const char *cn, struct principal *p)
{
	const char *dash = strchr(cn, '-');
	if (!dash || dash == cn || (size_t)(dash - cn) >= sizeof p->connector)
		return false;
	for (const char *c = cn; c < dash; c++)
		if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_'))
			return false;
	const char *dash2 = strchr(dash + 1, '-');
	if (!dash2 || dash2 == dash + 1 || dash2[1] == '\0')
		return false;
	memset(p, 0, sizeof *p);
	p->kind = PRINCIPAL_SUPPLIER;
	memcpy(p->connector, cn, (size_t)(dash - cn));
	p->connector[dash - cn] = '\0';
	snprintf(p->cert_cn, sizeof p->cert_cn, "%s", cn);
	return true;
}

bool auth_supplier_admit(struct req *r)
{
	static const char sql[] =
		"SELECT id FROM suppliers WHERE connector = ? AND access_granted = 1";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "supplier lookup");
		return false;
	}
	sqlite3_bind_text(st, 1, r->who.connector, -1, SQLITE_STATIC);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (id <= 0) {
		audit_req(r, "supplier.access", NULL, 0, "denied", "connector unknown or without access");
		problem_set(r, 403, "no-supplier-access", "Forbidden",
					"This certificate's connector is not a supplier with access to this "
					"organisation's orders.");
		return false;
	}
	r->who.supplier_id = id;
	return true;
}
