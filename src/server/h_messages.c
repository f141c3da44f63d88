/* Location messages (issue 10, SPEC 3.4): the staff API (list, one with its text, the
 * audience of a planned message, send with an Idempotency-Key) and the portal's side
 * (the message feed and delivery confirmations). The fan-out to e-mail happens in the
 * outbox, not here: sending answers at once. */
#include "audit.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/valid.h"
#include "fields.h"
#include "idempotent.h"
#include "model.h"
#include "outbox.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/q_caren.h"
#include "store/q_messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most messages one list answers with. */
#define MESSAGES_LIST_MAX 1000
/* Most messages one page of the portal's feed carries. */
#define PORTAL_PAGE_MAX 50

/* The caller may look at messages: message.view or the task to send them. */
static bool may_view(struct req *r)
{
	if (authz_may(r, TASK_MESSAGE_VIEW) || authz_may(r, TASK_CAREN_MESSAGE_SEND))
		return true;
	problem_set(r, 403, "forbidden", "Forbidden", "Your roles do not include the task this needs.");
	return false;
}

/* The message of path segment 3 if the caller may view it and it is in scope: *id set and
 * true; else false with the answer set (404 for unknown and out of scope alike). */
static bool message_visible(struct req *r, int64_t *id)
{
	int64_t loc = 0;
	if (!may_view(r) || !http_seg_id(r, 3, id))
		return false;
	int rc = q_message_location(r->db, *id, &loc);
	bool ok = rc == STORE_OK && authz_in_scope(r, loc);
	if (rc == STORE_ERROR)
		problem_internal(r, "message lookup");
	else if (!ok)
		problem_not_found(r);
	return ok;
}

void h_messages_list(struct req *r)
{
	int64_t limit;
	if (!may_view(r) || !http_query_int(r, "limit", 1, MESSAGES_LIST_MAX, 100, &limit))
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(o, "messages");
	if (q_messages_list(r->db, r->who.staff_id, limit, model_message_add, items) != STORE_OK) {
		cJSON_Delete(o);
		problem_internal(r, "messages");
		return;
	}
	http_reply(r, 200, o);
}

void h_message_get(struct req *r)
{
	int64_t id;
	if (!message_visible(r, &id))
		return;
	cJSON *m = NULL;
	if (q_message_get(r->db, id, model_message_set, &m) != STORE_OK) {
		cJSON_Delete(m);
		problem_internal(r, "message");
		return;
	}
	http_reply(r, 200, m);
}

void h_message_recipients(struct req *r)
{
	int64_t id;
	if (!message_visible(r, &id))
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "recipients");
	if (q_message_recipients(r->db, id, model_recipient_add, list) != STORE_OK ||
		audit_req(r, "location_message.recipients", "location_message", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "recipients");
		return;
	}
	http_reply(r, 200, o);
}

/* Check that the caller may address location_id (0: all clients, which needs the whole
 * organisation in scope); sets 404 (location) or 403 (all clients) when not. */
static bool target_allowed(struct req *r, int64_t location_id)
{
	if (location_id > 0) {
		if (authz_in_scope(r, location_id))
			return true;
		problem_set(r, 404, "not-found", "Not found", "No such location.");
		return false;
	}
	int64_t root = 0;
	if (q_root_location(r->db, &root) == STORE_OK && authz_in_scope(r, root))
		return true;
	problem_set(r, 403, "scope-not-organisation", "Scope too small",
				"Only staff whose scope is the whole organisation may send a message to all "
				"clients; send it to a location in your scope instead.");
	return false;
}

void h_message_audience(struct req *r)
{
	int64_t loc, clients = 0, users = 0;
	if (!http_query_int(r, "location_id", 0, INT64_MAX / 2, 0, &loc) || !target_allowed(r, loc))
		return;
	bool on = false;
	if (q_caren_communication(r->db, &on) != STORE_OK ||
		q_message_audience(r->db, loc, &clients, &users) != STORE_OK) {
		problem_internal(r, "audience");
		return;
	}

	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "clients", clients);
	jx_add_int(o, "portal_users", users);
	cJSON_AddBoolToObject(o, "caren_communication", on); /* off: sending would be 409 */
	http_reply(r, 200, o);
}

/* ---- sending -------------------------------------------------------------------------- */

/* A decoded send: the store's input and the buffers it points into. */
struct send_body {
	struct message_new n;
	char *text; /* trimmed copy (owned) */
	char hash[65];
};

/* A copy of s without leading and trailing spaces, tabs and line breaks. */
static char *trim_copy(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/* Check the text member into b->text, recording what is wrong in f. */
static void decode_text(struct fields *f, const cJSON *body, struct send_body *b)
{
	const char *raw = fields_str(f, body, "text", "text",
								 "required: the message, 1 to 64000 characters");
	if (!raw)
		return;
	b->text = trim_copy(raw);
	size_t chars = utf8_chars(b->text);
	if (!valid_input_text(b->text, strlen(b->text), VALID_MULTILINE))
		fields_bad(f, "text", "must not contain control characters other than line breaks "
							  "and tabs");
	else if (chars == 0)
		fields_bad(f, "text", "required: 1 to 64000 characters (after trimming spaces)");
	else if (chars > MESSAGE_TEXT_MAX) {
		char reason[160];
		snprintf(reason, sizeof reason,
				 "at most 64000 characters (Unicode characters, not bytes); this text has %zu",
				 chars);
		fields_bad(f, "text", reason);
	}
	b->n.text = b->text;
}

/* Decode the Idempotency-Key and the body into b; false with the problem set. */
static bool send_decode(struct req *r, struct send_body *b)
{
	static const char *const allowed[] = {"location_id", "text", NULL};
	if (!(b->n.key = idem_req_key(r, "message")))
		return false;
	if (!http_parse_object(r, allowed))
		return false;
	struct fields f = {0};
	const cJSON *loc = cJSON_GetObjectItemCaseSensitive(r->json, "location_id");
	if (!loc)
		fields_bad(&f, "location_id", "required: a location id, or null for all clients");
	else if (!cJSON_IsNull(loc))
		fields_int(&f, r->json, "location_id", "location_id", 1, INT64_MAX / 2,
				   "must be a location id, or null for all clients", &b->n.location_id);
	decode_text(&f, r->json, b);
	idem_req_hash(r, b->hash);
	b->n.request_hash = b->hash;
	b->n.staff_id = r->who.staff_id;
	b->n.staff_name = r->who.name;
	return !fields_reply(r, &f);
}

/* The reply text of a new message (without the text itself). */
static char *render_message(const struct message_row *m, void *ctx)
{
	(void)ctx;
	struct message_row copy = *m;
	copy.text = NULL;
	cJSON *j = model_message(&copy);
	char *text = jx_print(j);
	cJSON_Delete(j);
	return text;
}

/* Answer a refused send. */
static void send_refused(struct req *r, int rc, const struct idem_reply *a)
{
	if (rc == STORE_NOT_FOUND)
		problem_set(r, 404, "not-found", "Not found", "No such location.");
	else if (rc == STORE_CONFLICT && a->status == 422)
		idem_reply_reused(r, "message");
	else if (rc == STORE_CONFLICT)
		problem_set(r, 409, "caren-communication-off", "Caren communication is off",
					"Messages can only be sent while Caren is in use and its communication "
					"option is on (settings caren_enabled and caren_communication).");
	else
		problem_internal(r, "message send");
}

void h_message_send(struct req *r)
{
	struct send_body b = {0};
	if (!send_decode(r, &b) || !target_allowed(r, b.n.location_id)) {
		free(b.text);
		return;
	}
	struct actor who = audit_actor_req(r);
	struct idem_reply a = {0};
	int rc = q_message_send(r->db, &who, &b.n, render_message, NULL, &a);
	free(b.text);
	if (rc != STORE_OK && rc != STORE_REPLAY) {
		send_refused(r, rc, &a);
		return;
	}
	if (rc == STORE_OK)
		outbox_kick(r->srv);
	idem_send(r, &a);
	q_idem_free(&a);
}

/* ---- the portal ----------------------------------------------------------------------- */

/* Caren in use? Otherwise 409 caren-disabled and false. */
static bool portal_on(struct req *r)
{
	struct settings_row s;
	if (q_settings_get(r->db, &s) != STORE_OK) {
		problem_internal(r, "settings");
		return false;
	}
	if (!s.caren_enabled)
		problem_set(r, 409, "caren-disabled", "Caren is not in use",
					"This organisation does not use Caren.");
	return s.caren_enabled;
}

/* The feed being built: messages in order, each with its recipients. */
struct portal_page {
	cJSON *messages;
	cJSON *current; /* the last message's recipients */
};

static void portal_add_message(const struct message_row *m, void *ctx)
{
	struct portal_page *p = ctx;
	cJSON *o = model_portal_message(m);
	p->current = cJSON_GetObjectItemCaseSensitive(o, "recipients");
	cJSON_AddItemToArray(p->messages, o);
}

static void portal_add_recipient(const struct recipient_row *rc, void *ctx)
{
	struct portal_page *p = ctx;
	if (p->current)
		cJSON_AddItemToArray(p->current, model_portal_recipient(rc));
}

void h_portal_messages(struct req *r)
{
	int64_t since, limit, next = 0;
	if (!http_query_int(r, "since", 0, INT64_MAX / 2, 0, &since) ||
		!http_query_int(r, "limit", 1, PORTAL_PAGE_MAX, 10, &limit) || !portal_on(r))
		return;
	cJSON *o = cJSON_CreateObject();
	struct portal_page p = {cJSON_AddArrayToObject(o, "messages"), NULL};
	if (q_portal_messages(r->db, since, limit, portal_add_message, portal_add_recipient, &p,
						  &next) != STORE_OK ||
		audit_req(r, "location_message.portal_read", NULL, 0, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "portal messages");
		return;
	}
	jx_add_int(o, "next", next);
	http_reply(r, 200, o);
}

/* Most recipients one delivery confirmation may name. */
#define DELIVERED_MAX 10000

/* The recipientIds member as ids (owned) and their number; false with a 400 set. */
static bool delivered_ids(struct req *r, int64_t **ids, size_t *n)
{
	static const char *const allowed[] = {"recipientIds", NULL};
	if (!http_parse_object(r, allowed))
		return false;
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(r->json, "recipientIds");
	int size = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
	bool ok = size >= 1 && size <= DELIVERED_MAX;
	*ids = xcalloc((size_t)(size > 0 ? size : 1), sizeof **ids);
	*n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, a) {
		double v = cJSON_IsNumber(it) ? it->valuedouble : 0;
		if (!ok || v < 1 || v > 1e15 || v != (double)(int64_t)v) {
			ok = false;
			break;
		}
		(*ids)[(*n)++] = (int64_t)v;
	}
	if (!ok) {
		struct fields f = {0};
		fields_bad(&f, "recipientIds", "required: 1 to 10000 recipient ids of this message");
		fields_reply(r, &f);
		XFREE(ids);
	}
	return ok;
}

void h_portal_message_delivered(struct req *r)
{
	int64_t id, *ids = NULL;
	size_t n = 0, unknown = 0;
	if (!http_seg_id(r, 3, &id) || !portal_on(r) || !delivered_ids(r, &ids, &n))
		return;
	struct actor who = audit_actor_req(r);
	int rc = q_portal_delivered(r->db, &who, id, ids, n, &unknown);
	free(ids);
	if (rc == STORE_NOT_FOUND)
		problem_not_found(r);
	else if (rc != STORE_OK && rc != STORE_INVALID)
		problem_internal(r, "delivered");
	else if (rc == STORE_INVALID || unknown) {
		struct fields f = {0};
		fields_bad(&f, "recipientIds", "names recipients that this message does not have");
		fields_reply(r, &f);
	} else
		http_no_content(r);
}
