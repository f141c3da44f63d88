/* Caren demo data through the store's own writes (see demo_caren.h). */
#include "demo_caren.h"

#include "audit.h"
#include "caren_code.h"
#include "common/alloc.h"
#include "common/caren.h"
#include "common/civil.h"
#include "store/q_caren.h"
#include "store/q_clients.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* What happens to the k-th client (by id, after client 1) in a staff member's scope. */
enum demo_step { D_ACTIVE, D_INVITED, D_EXPIRED, D_REVOKED, D_UNLINKED };
struct demo_def {
	int staff;     /* whose scope: 3 coordinator (Regio Noord), 4 zorgverlener (Zwolle Zuid) */
	int k;         /* k-th client of that scope (1 = the first after client 1) */
	enum demo_step step;
	int days;      /* days left of an open invitation; days ago for the expired one */
};

static const struct demo_def defs[] = {
	{3, 1, D_ACTIVE, 0},   {3, 2, D_ACTIVE, 0},	  {3, 3, D_ACTIVE, 0},
	{3, 4, D_INVITED, 42}, {3, 5, D_INVITED, 10}, {3, 6, D_INVITED, 1},
	{3, 7, D_EXPIRED, 3},  {3, 8, D_REVOKED, 30}, {3, 9, D_UNLINKED, 0},
	{4, 1, D_ACTIVE, 0},   {4, 2, D_INVITED, 20}, {4, 3, D_UNLINKED, 0},
};

#define STAFF_NAME(staff) ((staff) == 3 ? "Noëlle Kuipers" : "Sjoerd Dijkstra")

struct pick {
	int64_t ids[16];
	int n;
};

static void take_id(const struct client_row *c, void *ctx)
{
	struct pick *p = ctx;
	if (c->id != 1 && p->n < 16)
		p->ids[p->n++] = c->id;
}

/* The demo client of d, or 0 when the demo has too few. */
static int64_t demo_client(struct db *db, const struct demo_def *d)
{
	struct pick p = {.n = 0};
	struct client_search q = {.scope_staff = d->staff, .limit = 16};
	if (q_clients_search(db, &q, take_id, &p) != STORE_OK || d->k > p.n)
		return 0;
	return p.ids[d->k - 1];
}

/* Keep the new invitation's id (ctx: int64_t *). */
static char *render(const struct caren_invitation_row *i, void *ctx)
{
	*(int64_t *)ctx = i->id;
	return xasprintf("{\"id\":%lld}", (long long)i->id);
}

/* Invite client for d (valid until today + days - 1); the code's hash into hash. */
static int demo_invite(struct db *db, const struct caren_keys *keys, const struct demo_def *d,
					   int64_t client, int n, char hash[CAREN_CODE_HASH], int64_t *inv_id)
{
	int64_t now = (int64_t)time(NULL), today = civil_ams_today(now);
	char code[CAREN_CODE_TEXT], until[16], today_s[16], key[32];
	caren_code_generate(code);
	char *sealed = caren_code_seal(keys, code);
	bool ok = sealed && caren_code_hash(keys, code, hash);
	sodium_memzero(code, sizeof code);
	int days = d->step == D_EXPIRED ? -d->days : d->days ? d->days : 42;
	civil_format_date(today + days - 1, until);
	civil_format_date(today, today_s);
	snprintf(key, sizeof key, "demo-caren-%d", n);
	struct actor who = audit_actor_worker("demo");
	struct caren_invite_new inv = {client, d->staff, STAFF_NAME(d->staff), until, today_s,
								   hash, sealed, key, key};
	struct caren_invite_answer a = {0};
	int rc = ok ? q_caren_invite(db, &who, &inv, render, inv_id, &a) : STORE_ERROR;
	q_idem_free(&a.reply);
	free(sealed);
	return rc == STORE_OK ? 0 : -1;
}

/* One demo client's history. */
static int demo_one(struct db *db, const struct caren_keys *keys, const struct demo_def *d,
					int64_t client, int n)
{
	int64_t now = (int64_t)time(NULL), inv_id = 0;
	char hash[CAREN_CODE_HASH], today[16], account[40], state[12];
	civil_format_date(civil_ams_today(now), today);
	if (demo_invite(db, keys, d, client, n, hash, &inv_id) != 0)
		return -1;
	struct actor who = audit_actor_worker("demo");
	struct actor portal = {.type = "portal", .id = "caren-delinde-0001"};
	struct caren_redeem_answer r;
	snprintf(account, sizeof account, "demo-account-%d", n);
	int rc = STORE_OK;
	if (d->step == D_ACTIVE || d->step == D_UNLINKED)
		rc = q_caren_redeem(db, &portal, hash, account, now, today, &r);
	if (rc == STORE_OK && d->step == D_UNLINKED)
		rc = q_caren_unlink(db, &who, client, d->staff, STAFF_NAME(d->staff),
							"Cliënt gebruikt voortaan het account van zijn dochter");
	else if (d->step == D_REVOKED)
		rc = q_caren_revoke(db, &who, inv_id, STAFF_NAME(d->staff), state);
	else if (d->step == D_EXPIRED)
		rc = q_caren_expire(db, &who, client, today);
	return rc == STORE_OK ? 0 : -1;
}

int demo_caren_create(struct db *db, const struct caren_keys *keys, char **err)
{
	struct settings_change on = {true, true, true, true, false, 0};
	struct actor who = audit_actor_worker("demo");
	if (q_settings_update(db, &who, &on) != STORE_OK ||
		q_caren_heartbeat(db, &who, (int64_t)time(NULL)) != STORE_OK) {
		*err = xstrdup("cannot switch Caren on");
		return -1;
	}
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
		int64_t client = demo_client(db, &defs[i]);
		if (client && demo_one(db, keys, &defs[i], client, (int)i + 1) != 0) {
			*err = xasprintf("cannot create the Caren demo data of client %lld",
							 (long long)client);
			return -1;
		}
	}
	return 0;
}
