/* The portal API for Caren (issue 9): redeem an activation code, the portal's report that
 * a link ended, and its heartbeat. Only a client certificate whose CN names connector
 * "caren" gets here (http.c, auth_portal_admit); Caren must be enabled. Every call is
 * audited (actor: the certificate CN); the code itself is never written anywhere: a
 * refusal's audit row names at most the invitation it belonged to. Wire names follow the
 * portal's camelCase. */
#include "audit.h"
#include "caren_code.h"
#include "common/civil.h"
#include "common/jsonx.h"
#include "common/valid.h"
#include "fields.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/q_caren.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Caren enabled? Otherwise audit, answer 409 caren-disabled and return false. */
static bool portal_enabled(struct req *r, const char *action)
{
	struct settings_row s;
	if (q_settings_get(r->db, &s) != STORE_OK) {
		problem_internal(r, "settings");
		return false;
	}
	if (s.caren_enabled)
		return true;
	audit_req(r, action, NULL, 0, "denied", "caren not enabled");
	problem_set(r, 409, "caren-disabled", "Caren is not in use",
				"This organisation does not use Caren.");
	return false;
}

void h_portal_heartbeat(struct req *r)
{
	if (!portal_enabled(r, "caren.heartbeat"))
		return;
	struct actor who = audit_actor_req(r);
	if (q_caren_heartbeat(r->db, &who, (int64_t)time(NULL)) != STORE_OK)
		problem_internal(r, "heartbeat");
	else
		http_no_content(r);
}

/* Answer a refused redemption (audited as denied, with the invitation id when known). */
static void redeem_refused(struct req *r, int rc, const struct caren_redeem_answer *a)
{
	static const struct {
		const char *refusal, *slug, *title, *detail;
		int status;
	} answers[] = {
		{"unknown", "activation-code-unknown", "Unknown activation code",
		 "No invitation has this activation code.", 404},
		{"expired", "activation-code-expired", "Activation code expired",
		 "The invitation's last valid day has passed; the organisation can invite again.", 410},
		{"revoked", "activation-code-revoked", "Activation code revoked",
		 "The organisation revoked this invitation.", 410},
		{"used", "activation-code-used", "Activation code used",
		 "This activation code was used already; a code works once.", 409},
	};
	if (rc != STORE_NOT_FOUND && rc != STORE_CONFLICT) {
		problem_internal(r, "redeem");
		return;
	}
	for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		if (!a->refusal || strcmp(a->refusal, answers[i].refusal) != 0)
			continue;
		audit_req(r, "caren.activation", a->invitation_id ? "caren_invitation" : NULL,
				  a->invitation_id, "denied", answers[i].refusal);
		problem_set(r, answers[i].status, answers[i].slug, answers[i].title, answers[i].detail);
		return;
	}
	problem_internal(r, "redeem refusal");
}

void h_portal_activation(struct req *r)
{
	static const char *const allowed[] = {"activationCode", "accountId", NULL};
	if (!portal_enabled(r, "caren.activation"))
		return;
	if (!r->srv->caren_ready) {
		audit_req(r, "caren.activation", NULL, 0, "denied", "no caren key file");
		problem_set(r, 503, "caren-keys-missing", "Caren is not configured",
					"zorgd has no Caren key file (caren_key_file); ask the organisation.");
		return;
	}
	if (!http_parse_object(r, allowed)) {
		audit_req(r, "caren.activation", NULL, 0, "denied", "invalid input");
		return;
	}
	const char *code = jx_str(r->json, "activationCode");
	const char *account = jx_str(r->json, "accountId");
	char hash[CAREN_CODE_HASH];
	struct fields f = {0};
	if (!code || !caren_code_hash(&r->srv->caren_keys, code, hash))
		fields_bad(&f, "activationCode",
				   "required: an activation code of 12 symbols, such as K7HM-4DXT-9RCW");
	if (!account || !valid_text(account, 200, true))
		fields_bad(&f, "accountId", "required: the portal account, 1 to 200 characters");
	if (f.problem) {
		audit_req(r, "caren.activation", NULL, 0, "denied", "invalid input");
		fields_reply(r, &f);
		return;
	}
	int64_t now = (int64_t)time(NULL);
	char today[16];
	civil_format_date(civil_ams_today(now), today);
	struct actor who = audit_actor_req(r);
	struct caren_redeem_answer a;
	int rc = q_caren_redeem(r->db, &who, hash, account, now, today, &a);
	sodium_memzero(hash, sizeof hash);
	if (rc != STORE_OK) {
		redeem_refused(r, rc, &a);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	jx_add_str(o, "clientObjectId", a.object_id);
	http_reply(r, 201, o);
}

void h_portal_link_end(struct req *r)
{
	if (!portal_enabled(r, "caren.link_end"))
		return;
	const char *object_id = r->segs[3];
	struct actor who = audit_actor_req(r);
	int rc = strlen(object_id) == 36 ? q_caren_portal_end(r->db, &who, object_id,
														   (int64_t)time(NULL))
									 : STORE_NOT_FOUND;
	if (rc == STORE_OK) {
		http_no_content(r);
		return;
	}
	audit_req(r, "caren.link_end", NULL, 0, "denied", rc == STORE_CONFLICT ? "ended already"
																		 : "unknown link");
	if (rc == STORE_NOT_FOUND)
		problem_set(r, 404, "not-found", "Not found", "No link has this clientObjectId.");
	else if (rc == STORE_CONFLICT)
		problem_set(r, 409, "caren-link-ended", "Link ended already",
					"This link has ended already.");
	else
		problem_internal(r, "portal link end");
}
