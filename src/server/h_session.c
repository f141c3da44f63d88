/* POST/DELETE /api/v1/session: log in with a password (throttled), log out. Sessions and
 * throttling live in the store, so every zorgd instance sees the same. */
#include "audit.h"
#include "auth.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/valid.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/q_session.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* A hash to verify against for unknown users, so their timing matches real ones. */
static void make_dummy_hash(void)
{
	dummy_hash = auth_hash_password("not-a-real-password");
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

/* A login request, decoded and checked. */
struct login {
	const char *user, *pass; /* borrowed from r->json */
	char user_key[96], addr_key[96];
};

/* Decode the body into l, reporting every invalid field at once; false with the problem
 * set when it is invalid. */
static bool login_decode(struct req *r, struct login *l)
{
	static const char *const allowed[] = {"username", "password", NULL};
	if (!http_parse_object(r, allowed))
		return false;
	l->user = jx_str(r->json, "username");
	l->pass = jx_str(r->json, "password");
	cJSON *bad = NULL;
	if (!l->user || !valid_text(l->user, 64, true)) {
		bad = problem_new(400, "invalid-input", "Invalid input", "Check the marked fields.");
		problem_add_field(bad, "username", "required: a user name of 1 to 64 characters");
	}
	if (!l->pass || !*l->pass || strlen(l->pass) > 1024) {
		if (!bad)
			bad = problem_new(400, "invalid-input", "Invalid input", "Check the marked fields.");
		problem_add_field(bad, "password", "required: a password of at most 1024 bytes");
	}
	if (bad) {
		problem_reply(r, bad);
		return false;
	}
	size_t n = (size_t)snprintf(l->user_key, sizeof l->user_key, "user:");
	for (const char *c = l->user; *c && n < sizeof l->user_key - 1; c++)
		l->user_key[n++] = (char)tolower((unsigned char)*c);
	l->user_key[n] = '\0';
	snprintf(l->addr_key, sizeof l->addr_key, "addr:%s", r->remote);
	return true;
}

/* Visitor of q_login_get. */
struct login_found {
	int64_t staff_id;
	bool ok, is_demo;
	const char *pass;
};

static void check_password(const struct login_row *l, void *ctx)
{
	struct login_found *f = ctx;
	f->staff_id = l->staff_id;
	f->is_demo = l->is_demo;
	f->ok = auth_verify_password(l->password_hash, f->pass);
}

#define TOKEN_LEN sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)

/* A new random session token and the hash it is stored under. */
static void new_token(char token[TOKEN_LEN], char hash[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, TOKEN_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	auth_token_hash(token, hash);
}

/* Reply 201 with a new token; the session was stored under its hash. */
static void reply_token(struct req *r, const char *token, int64_t expires)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "token", token);
	char when[32];
	jx_time(expires, when);
	cJSON_AddStringToObject(o, "expires_at", when);
	jx_add_int(o, "idle_timeout", r->srv->cfg.session_idle);
	http_reply(r, 201, o);
}

void h_session_create(struct req *r)
{
	struct login l;
	if (!login_decode(r, &l))
		return;
	int64_t now = (int64_t)time(NULL);
	int64_t wait = q_throttle_locked(r->db, l.user_key, now);
	int64_t wait_a = q_throttle_locked(r->db, l.addr_key, now);
	if (wait_a > wait)
		wait = wait_a;
	if (wait > 0) {
		audit_req(r, "session.create", "staff", 0, "throttled", NULL);
		too_many(r, wait);
		return;
	}
	struct login_found f = {.pass = l.pass};
	if (q_login_get(r->db, l.user, check_password, &f) == STORE_ERROR) {
		problem_internal(r, "staff lookup");
		return;
	}
	if (!f.staff_id) {
		pthread_once(&dummy_once, make_dummy_hash);
		auth_verify_password(dummy_hash, l.pass);
	}
	bool demo_refused = f.ok && f.is_demo && !r->srv->loopback;
	char token[TOKEN_LEN], th[65];
	new_token(token, th);
	int64_t expires = now + r->srv->cfg.session_idle;
	if (expires > now + r->srv->cfg.session_max)
		expires = now + r->srv->cfg.session_max;
	struct login_result res = {
		.ok = f.ok && !demo_refused, .count_failure = !f.ok,
		.user_key = l.user_key, .addr_key = l.addr_key,
		.user_limit = r->srv->cfg.login_user_limit, .addr_limit = r->srv->cfg.login_addr_limit,
		.staff_id = f.staff_id, .detail = demo_refused ? "demo account off loopback" : NULL,
		.token_hash = th, .now = now, .expires_at = expires, .remote = r->remote,
	};
	/* The audit row names the staff member as actor when the login succeeds. */
	struct actor a = audit_actor_req(r);
	if (res.ok) {
		a.type = "staff";
		snprintf(a.id, sizeof a.id, "%lld", (long long)f.staff_id);
	}
	if (q_login_record(r->db, &a, &res) != STORE_OK)
		problem_internal(r, "session create");
	else if (demo_refused)
		problem_set(r, 403, "demo-account", "Forbidden",
					"Demo accounts may only log in while zorgd listens on loopback.");
	else if (!res.ok)
		problem_set(r, 401, "invalid-credentials", "Unauthorized",
					"The user name or password is not correct.");
	else
		reply_token(r, token, expires);
}

void h_session_delete(struct req *r)
{
	if (!authz_check(r, AUTHZ_ANY_STAFF, 0))
		return;
	if (q_session_delete(r->db, r->token_hash) != STORE_OK) {
		problem_internal(r, "session delete");
		return;
	}
	audit_req(r, "session.delete", "staff", r->who.staff_id, "ok", NULL);
	http_no_content(r);
}
