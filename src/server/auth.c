/* Staff authentication with Argon2id passwords and hashed bearer tokens; supplier identity
 * from certificates. */
#include "auth.h"

#include "audit.h"
#include "auth_tasks.h"
#include "common/alloc.h"
#include "common/log.h"
#include "problem.h"
#include "server.h"
#include "store/q_session.h"

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
	auth_tasks_release(p->taskset); /* tasks are borrowed from it */
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

/* What auth_staff learns from the store. */
struct staff_lookup {
	struct principal *who;
	int64_t expires, seen, epoch;
};

/* Visitor of q_session_get: fill the principal from the session row. */
static void take_session(const struct session_row *s, void *ctx)
{
	struct staff_lookup *l = ctx;
	l->who->kind = PRINCIPAL_STAFF;
	l->who->staff_id = s->staff_id;
	l->who->username = xstrdup(s->username);
	l->who->name = xstrdup(s->name);
	l->expires = s->expires_at;
	l->seen = s->last_seen_at;
	l->epoch = s->auth_epoch;
}

bool auth_staff(struct req *r)
{
	const char *h = http_header(r, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) < 16 || strlen(h + 7) > 128)
		return unauthorized(r, "unauthenticated", "Log in first: send 'Authorization: Bearer TOKEN'.");
	auth_token_hash(h + 7, r->token_hash);
	struct staff_lookup l = {.who = &r->who};
	int rc = q_session_get(r->db, r->token_hash, take_session, &l);
	if (rc == STORE_ERROR) {
		problem_internal(r, "session lookup");
		return false;
	}
	if (rc == STORE_NOT_FOUND)
		return unauthorized(r, "unauthenticated", "The session is unknown or has ended; log in again.");
	int64_t now = (int64_t)time(NULL);
	if (l.expires <= now) {
		q_session_delete(r->db, r->token_hash);
		auth_principal_clear(&r->who);
		return unauthorized(r, "session-expired", "The session has expired; log in again.");
	}
	/* Slide the idle expiry, at most once a minute to keep reads cheap. */
	if (now - l.seen >= 60)
		q_session_touch(r->db, r->token_hash, now, r->srv->cfg.session_idle,
						r->srv->cfg.session_max);
	/* The tasks from the process cache while the authorisation epoch stands (auth_tasks.h). */
	r->who.taskset = auth_tasks_get(r->db, r->who.staff_id, l.epoch);
	if (!r->who.taskset) {
		problem_internal(r, "task lookup");
		return false;
	}
	r->who.tasks = r->who.taskset->codes;
	r->who.ntasks = r->who.taskset->n;
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
	if (strcmp(r->who.connector, AUTH_PORTAL_CONNECTOR) == 0) {
		audit_req(r, "supplier.access", NULL, 0, "denied", "a Caren portal certificate");
		problem_set(r, 403, "not-supplier", "Forbidden",
					"A Caren portal certificate is not admitted to the supplier API.");
		return false;
	}
	int64_t id = 0;
	int rc = q_supplier_admitted(r->db, r->who.connector, &id);
	if (rc == STORE_ERROR) {
		problem_internal(r, "supplier lookup");
		return false;
	}
	if (rc == STORE_NOT_FOUND) {
		audit_req(r, "supplier.access", NULL, 0, "denied", "connector unknown or without access");
		problem_set(r, 403, "no-supplier-access", "Forbidden",
					"This certificate's connector is not a supplier with access to this "
					"organisation's orders.");
		return false;
	}
	r->who.supplier_id = id;
	return true;
}

bool auth_portal_admit(struct req *r)
{
	if (strcmp(r->who.connector, AUTH_PORTAL_CONNECTOR) != 0) {
		audit_req(r, "caren.portal_access", NULL, 0, "denied", "not a Caren portal certificate");
		problem_set(r, 403, "not-portal", "Forbidden",
					"Only the Caren portal's certificate (connector caren) is admitted to the "
					"portal API.");
		return false;
	}
	r->who.kind = PRINCIPAL_PORTAL;
	return true;
}
