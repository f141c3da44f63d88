/* The Caren link for staff (issue 9): the dashboard's summary, a client's Caren page,
 * invitations (create with an Idempotency-Key, the letter as a PDF, revoke), unlinking,
 * and the organisation's settings. Each handler decodes, checks scope, runs one store
 * operation (store/q_caren.c) and encodes. The status is derived only by
 * caren_status_derive (common/caren.c). The activation code exists in the clear only
 * while an invitation is made (to hash and seal it) and while its letter is rendered. */
#include "audit.h"
#include "authz.h"
#include "caren_code.h"
#include "common/caren.h"
#include "common/civil.h"
#include "common/jsonx.h"
#include "common/log.h"
#include "common/valid.h"
#include "fields.h"
#include "idempotent.h"
#include "letter/caren_letter.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/q_caren.h"
#include "store/q_clients.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNLINK_REASON_MAX 500

/* Today's date in Europe/Amsterdam at now. */
static void ams_today(int64_t now, char out[16]) { civil_format_date(civil_ams_today(now), out); }

/* The portal-wide facts at now (after marking a silent portal unreachable): enabled and
 * heartbeat. False on a store error (answer set). */
static bool portal_facts(struct req *r, int64_t now, struct caren_facts *f)
{
	struct caren_portal_row p;
	int64_t timeout = r->srv->cfg.caren_heartbeat_timeout;
	if (q_caren_portal_refresh(r->db, now, timeout) != STORE_OK ||
		q_caren_portal_get(r->db, &p) != STORE_OK) {
		problem_internal(r, "caren portal");
		return false;
	}
	*f = (struct caren_facts){
		.enabled = p.enabled,
		.heartbeat_age = p.reachable ? 0 : CAREN_HEARTBEAT_NEVER,
		.heartbeat_timeout = timeout,
		.now = now,
	};
	return true;
}

/* ---- summary ------------------------------------------------------------------------- */

/* Bulk messages sent that the caller may see (issue 10: location messages); 0 when they
 * cannot be counted. */
static int64_t messages_sent(struct req *r)
{
	int64_t n = 0;
	if (q_messages_count(r->db, r->who.staff_id, &n) != STORE_OK)
		log_error("caren summary: cannot count location messages");
	return n;
}

void h_caren_summary(struct req *r)
{
	int64_t now = (int64_t)time(NULL);
	char today[16];
	ams_today(now, today);
	struct caren_facts f;
	struct caren_counts c;
	if (!portal_facts(r, now, &f))
		return;
	if (q_caren_counts(r->db, r->who.staff_id, today, &c) != STORE_OK) {
		problem_internal(r, "caren counts");
		return;
	}
	/* UNKNOWN for the portal means UNKNOWN for every client. */
	bool known = caren_status_derive(&f).status != CAREN_UNKNOWN;
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "linked_clients", c.active);
	jx_add_int(o, "locations", c.locations);
	jx_add_int(o, "messages_sent", messages_sent(r));
	cJSON *sc = cJSON_AddObjectToObject(o, "status_counts");
	jx_add_int(sc, "ACTIVE", known ? c.active : 0);
	jx_add_int(sc, "NOT_LINKED", known ? c.clients - c.active - c.invited : 0);
	jx_add_int(sc, "INVITED", known ? c.invited : 0);
	jx_add_int(sc, "UNKNOWN", known ? 0 : c.clients);
	http_reply(r, 200, o);
}

/* ---- a client's Caren page ----------------------------------------------------------- */

struct state_ctx {
	struct caren_facts *f;
	char until[16];
};

static void take_state(const struct caren_state_row *s, void *ctx)
{
	struct state_ctx *sc = ctx;
	sc->f->link_active = s->link_active;
	snprintf(sc->until, sizeof sc->until, "%s", s->valid_until ? s->valid_until : "");
}

void h_client_caren(struct req *r)
{
	int64_t id, now = (int64_t)time(NULL);
	char today[16];
	struct caren_facts f;
	if (!authz_object(r, TASK_CAREN_LINK_VIEW, q_client_location, &id) ||
		!portal_facts(r, now, &f))
		return;
	ams_today(now, today);
	struct actor who = audit_actor_req(r);
	struct state_ctx sc = {&f, ""};
	cJSON *o = cJSON_CreateObject();
	cJSON *inv = cJSON_CreateArray(), *links = cJSON_CreateArray();
	int rc = q_caren_expire(r->db, &who, id, today);
	if (rc == STORE_OK)
		rc = q_caren_state_get(r->db, id, take_state, &sc);
	f.valid_until = sc.until[0] ? sc.until : NULL;
	struct caren_link_status st = caren_status_derive(&f);
	jx_add_str(o, "status", caren_status_wire(st.status));
	if (st.days_left > 0)
		jx_add_int(o, "days_left", st.days_left);
	else
		cJSON_AddNullToObject(o, "days_left");
	cJSON_AddItemToObject(o, "invitations", inv);
	cJSON_AddItemToObject(o, "links", links);
	if (rc != STORE_OK || q_caren_invitations(r->db, id, model_caren_invitation_add, inv) ||
		q_caren_links(r->db, id, model_caren_link_add, links) ||
		audit_req(r, "caren.read", "client", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "client caren");
		return;
	}
	http_reply(r, 200, o);
}

/* ---- invitations --------------------------------------------------------------------- */

static char *render_invitation(const struct caren_invitation_row *i, void *ctx)
{
	(void)ctx;
	cJSON *j = cJSON_CreateObject();
	jx_add_int(j, "id", i->id);
	jx_add_str(j, "valid_until", i->valid_until);
	jx_add_str(j, "state", i->state);
	char *text = jx_print(j);
	cJSON_Delete(j);
	return text;
}

/* Caren must be on and zorgd must hold its keys to make, print or redeem codes. */
static bool caren_usable(struct req *r, const struct settings_row *s)
{
	if (!r->srv->caren_ready) {
		problem_set(r, 503, "caren-keys-missing", "Caren is not configured",
					"zorgd has no Caren key file (caren_key_file); ask the administrator.");
		return false;
	}
	if (!s->caren_enabled) {
		problem_set(r, 409, "caren-disabled", "Caren is not in use",
					"The organisation does not use Caren (setting caren_enabled).");
		return false;
	}
	return true;
}

static void invite_refused(struct req *r, int rc, const struct caren_invite_answer *a)
{
	if (rc == STORE_CONFLICT && a->reply.status == 422)
		idem_reply_reused(r, "invitation");
	else if (rc == STORE_CONFLICT && a->link_active)
		problem_set(r, 409, "caren-link-active", "Client already linked",
					"The client has an active Caren link; unlink it before inviting again.");
	else if (rc == STORE_CONFLICT)
		problem_set(r, 409, "caren-invitation-open", "Invitation already open",
					"The client has an open invitation; revoke it before inviting again.");
	else
		problem_internal(r, "caren invite");
}

/* Make a fresh code, its hash and sealed copy into the new invitation n (code wiped). */
static bool new_code(struct req *r, struct caren_invite_new *n, char hash[CAREN_CODE_HASH],
					 char **sealed)
{
	char code[CAREN_CODE_TEXT];
	caren_code_generate(code);
	bool ok = caren_code_hash(&r->srv->caren_keys, code, hash) &&
			  (*sealed = caren_code_seal(&r->srv->caren_keys, code)) != NULL;
	sodium_memzero(code, sizeof code);
	n->code_hash = hash;
	n->code_sealed = *sealed;
	return ok;
}

void h_caren_invitation_create(struct req *r)
{
	static const char *const allowed[] = {NULL};
	struct caren_invite_new n = {0};
	struct settings_row s;
	int64_t now = (int64_t)time(NULL);
	if (!authz_object(r, TASK_CAREN_INVITE_CREATE, q_client_location, &n.client_id))
		return;
	if (!(n.key = idem_req_key(r, "invitation")))
		return;
	if ((r->body_len && !http_parse_object(r, allowed)))
		return;
	if (q_settings_get(r->db, &s) != STORE_OK) {
		problem_internal(r, "settings");
		return;
	}
	if (!caren_usable(r, &s))
		return;
	char until[16], today[16], hash[CAREN_CODE_HASH], rh[65];
	char *sealed = NULL;
	ams_today(now, today);
	if (!caren_valid_until(now, (int)s.caren_invitation_days, until) ||
		!new_code(r, &n, hash, &sealed)) {
		free(sealed);
		problem_internal(r, "caren code");
		return;
	}
	idem_req_hash(r, rh);
	n = (struct caren_invite_new){n.client_id, r->who.staff_id, r->who.name, until, today,
								  hash, sealed, n.key, rh};
	struct actor who = audit_actor_req(r);
	struct caren_invite_answer a = {0};
	int rc = q_caren_invite(r->db, &who, &n, render_invitation, NULL, &a);
	free(sealed);
	if (rc != STORE_OK && rc != STORE_REPLAY) {
		invite_refused(r, rc, &a);
		return;
	}
	idem_send(r, &a.reply);
	q_idem_free(&a.reply);
}

struct letter_ctx {
	struct req *r;
	unsigned char *pdf;
	size_t len;
	const char *refusal; /* "state", "code", "address" */
	int64_t client_id;
};

/* Render the letter of l (inside the store's visitor, while the row is borrowed). */
static void render_letter(const struct caren_letter_row *l, void *ctx)
{
	struct letter_ctx *lc = ctx;
	lc->client_id = l->client_id;
	char code[CAREN_CODE_TEXT], number[16], today[16];
	if (strcmp(l->state, "OPEN") != 0 || !l->code_sealed ||
		caren_invitation_expired(l->valid_until, (int64_t)time(NULL))) {
		lc->refusal = "state";
		return;
	}
	if (!l->street) {
		lc->refusal = "address";
		return;
	}
	if (!caren_code_unseal(&lc->r->srv->caren_keys, l->code_sealed, l->code_hash, code)) {
		lc->refusal = "code";
		return;
	}
	snprintf(number, sizeof number, "%lld", (long long)l->house_number);
	ams_today((int64_t)time(NULL), today);
	struct caren_letter letter = {l->org_name,	   l->client_name, l->street,	number,
								  l->house_number_ext, l->postcode,	l->city,		code,
								  l->valid_until,	   today};
	lc->pdf = caren_letter_pdf(&letter, &lc->len);
	sodium_memzero(code, sizeof code);
}

void h_caren_letter(struct req *r)
{
	int64_t id;
	struct settings_row s;
	if (!authz_object(r, TASK_CAREN_INVITE_CREATE, q_caren_invitation_location, &id))
		return;
	if (q_settings_get(r->db, &s) != STORE_OK) {
		problem_internal(r, "settings");
		return;
	}
	if (!r->srv->caren_ready) {
		caren_usable(r, &s);
		return;
	}
	struct letter_ctx lc = {.r = r};
	int rc = q_caren_letter(r->db, id, render_letter, &lc);
	if (rc == STORE_OK && lc.refusal && strcmp(lc.refusal, "state") == 0) {
		problem_set(r, 409, "caren-invitation-not-open", "Invitation not open",
					"Only an open invitation has a letter; this one was used, revoked or "
					"has expired.");
		return;
	}
	if (rc == STORE_OK && lc.refusal && strcmp(lc.refusal, "address") == 0) {
		problem_set(r, 409, "client-without-address", "No active address",
					"The client has no active address to send the letter to.");
		return;
	}
	if (rc != STORE_OK || !lc.pdf ||
		audit_req(r, "caren_invitation.letter", "client", lc.client_id, "ok", NULL) != 0) {
		caren_letter_free(lc.pdf, lc.len);
		problem_internal(r, lc.refusal ? "caren letter: cannot open the sealed code"
									   : "caren letter");
		return;
	}
	char disp[96];
	snprintf(disp, sizeof disp, "attachment; filename=\"caren-uitnodiging-%lld.pdf\"",
			 (long long)id);
	http_reply_bytes(r, lc.pdf, lc.len, "application/pdf", disp);
}

void h_caren_revoke(struct req *r)
{
	int64_t id;
	if (!authz_object(r, TASK_CAREN_LINK_EDIT, q_caren_invitation_location, &id))
		return;
	struct actor who = audit_actor_req(r);
	char state[12] = "";
	int rc = q_caren_revoke(r->db, &who, id, r->who.name, state);
	if (rc == STORE_OK) {
		http_no_content(r);
	} else if (rc == STORE_NOT_FOUND) {
		problem_not_found(r);
	} else if (rc == STORE_CONFLICT) {
		char detail[120];
		snprintf(detail, sizeof detail, "Only an open invitation can be revoked; this one is %s.",
				 state);
		problem_set(r, 409, "caren-invitation-not-open", "Invitation not open", detail);
	} else {
		problem_internal(r, "caren revoke");
	}
}

void h_caren_unlink(struct req *r)
{
	static const char *const allowed[] = {"reason", NULL};
	int64_t id;
	if (!authz_object(r, TASK_CAREN_LINK_EDIT, q_client_location, &id) ||
		!http_parse_object(r, allowed))
		return;
	const char *reason = jx_str(r->json, "reason");
	if (!reason || !valid_text(reason, UNLINK_REASON_MAX, true)) {
		struct fields f = {0};
		fields_bad(&f, "reason", "required: why the link ends, 1 to 500 characters");
		fields_reply(r, &f);
		return;
	}
	struct actor who = audit_actor_req(r);
	int rc = q_caren_unlink(r->db, &who, id, r->who.staff_id, r->who.name, reason);
	if (rc == STORE_OK)
		http_no_content(r);
	else if (rc == STORE_CONFLICT)
		problem_set(r, 409, "caren-no-link", "No active link",
					"The client has no active Caren link to end.");
	else
		problem_internal(r, "caren unlink");
}

/* ---- settings ------------------------------------------------------------------------ */

void h_settings_get(struct req *r)
{
	struct settings_row s;
	if (q_settings_get(r->db, &s) != STORE_OK) {
		problem_internal(r, "settings");
		return;
	}
	http_reply(r, 200, model_settings(&s));
}

void h_settings_update(struct req *r)
{
	static const char *const allowed[] = {"caren_enabled", "caren_communication",
										  "caren_invitation_days", NULL};
	if (!http_parse_object(r, allowed))
		return;
	struct settings_change c = {0};
	struct fields f = {0};
	const cJSON *j = r->json;
	if (cJSON_GetObjectItemCaseSensitive(j, "caren_enabled") &&
		!(c.set_enabled = jx_bool(j, "caren_enabled", &c.caren_enabled)))
		fields_bad(&f, "caren_enabled", "must be true or false");
	if (cJSON_GetObjectItemCaseSensitive(j, "caren_communication") &&
		!(c.set_communication = jx_bool(j, "caren_communication", &c.caren_communication)))
		fields_bad(&f, "caren_communication", "must be true or false");
	if (cJSON_GetObjectItemCaseSensitive(j, "caren_invitation_days"))
		c.set_days = fields_int(&f, j, "caren_invitation_days", "caren_invitation_days",
								CAREN_VALIDITY_DAYS_MIN, CAREN_VALIDITY_DAYS_MAX,
								"must be a whole number of days from 1 to 365",
								&c.caren_invitation_days);
	if (fields_reply(r, &f))
		return;
	struct actor who = audit_actor_req(r);
	struct settings_row s;
	if (q_settings_update(r->db, &who, &c) != STORE_OK || q_settings_get(r->db, &s) != STORE_OK) {
		problem_internal(r, "settings update");
		return;
	}
	http_reply(r, 200, model_settings(&s));
}
