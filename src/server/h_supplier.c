/* The supplier API (shaped like the Ons care-technology order API): GET /ping, the
 * supplier's orders (list, one, status) and the client name and birth date of an order.
 * The caller is a supplier admitted by its certificate (r->who.supplier_id); it sees only
 * orders for its own device types, never a BSN. The first fetch of an order is recorded
 * (fetched_at, a new revision so staff terminals see it live). Every call is audited. */
#include "audit.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/valid.h"
#include "fields.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/q_supplier.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_PRODUCT_CODES 50

void h_supplier_ping(struct req *r)
{
	audit_req(r, "supplier.ping", NULL, 0, "ok", NULL);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", "ok");
	cJSON_AddStringToObject(o, "connector", r->who.connector);
	http_reply(r, 200, o);
}

/* Audit a supplier call that did not succeed (its store write, if any, rolled back). */
static void audit_refusal(struct req *r, const char *action, const char *object_type,
						  int64_t id, const char *outcome)
{
	audit_req(r, action, object_type, id, outcome, NULL);
}

/* Answer 400 invalid-query naming parameter name. */
static void bad_query(struct req *r, const char *name, const char *reason)
{
	cJSON *p = problem_new(400, "invalid-query", "Invalid query parameter",
						   "Check the marked query parameters.");
	problem_add_field(p, name, reason);
	problem_reply(r, p);
}

static const char *const status_names[] = {"OPEN", "DECLINED", "ACCEPTED", "COMPLETED"};
#define STATUS_ALL (Q_STATUS_OPEN | Q_STATUS_DECLINED | Q_STATUS_ACCEPTED | Q_STATUS_COMPLETED)

/* Parse statuses=A,B into a bit mask over status_names; 0 when malformed. */
static int parse_statuses(const char *s)
{
	int mask = 0;
	const char *p = s;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int bit = 0;
		for (int i = 0; i < 4; i++)
			if (strlen(status_names[i]) == n && strncasecmp(p, status_names[i], n) == 0)
				bit = 1 << i;
		if (!bit)
			return 0;
		mask |= bit;
		if (!e)
			return mask;
		p = e + 1;
	}
}

/* Split product_codes=A,B into q->codes (pointing into *buf, which the caller frees);
 * false when malformed. */
static bool parse_codes(const char *s, struct supplier_order_query *q, char **buf,
						const char *codes[MAX_PRODUCT_CODES])
{
	*buf = xstrdup(s);
	size_t len = 0;
	char *start = *buf;
	for (char *p = *buf;; p++) {
		if (*p == ',' || *p == '\0') {
			if (len == 0 || q->ncodes == MAX_PRODUCT_CODES)
				return false;
			bool end = *p == '\0';
			*p = '\0';
			codes[q->ncodes++] = start;
			start = p + 1;
			len = 0;
			if (end)
				break;
			continue;
		}
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.') || ++len > 64)
			return false;
	}
	q->codes = codes;
	return true;
}

void h_supplier_orders(struct req *r)
{
	const char *sq = http_query(r, "statuses");
	const char *cq = http_query(r, "product_codes");
	struct supplier_order_query q = {.supplier_id = r->who.supplier_id, .mask = STATUS_ALL};
	const char *codes[MAX_PRODUCT_CODES];
	char *buf = NULL;
	if (sq && !(q.mask = parse_statuses(sq))) {
		bad_query(r, "statuses",
				  "must be a comma-separated list of OPEN, DECLINED, ACCEPTED and COMPLETED");
		audit_refusal(r, "supplier.order.list", NULL, 0, "invalid");
		return;
	}
	if (cq && !parse_codes(cq, &q, &buf, codes)) {
		free(buf);
		bad_query(r, "product_codes",
				  "must be a comma-separated list of product codes (letters, digits, _ . -; at "
				  "most 64 characters each, at most 50 codes)");
		audit_refusal(r, "supplier.order.list", NULL, 0, "invalid");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	struct actor a = audit_actor_req(r);
	int rc = q_supplier_orders(r->db, &a, &q, model_supplier_order_add,
							   cJSON_AddArrayToObject(o, "orders"));
	free(buf);
	if (rc != STORE_OK) {
		cJSON_Delete(o);
		problem_internal(r, "supplier orders");
		return;
	}
	http_reply(r, 200, o);
}

/* True when s is written like a UUID (8-4-4-4-12 hexadecimal digits). */
static bool uuid_shaped(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* Decode path segment 4 (a numeric id or a uuid) into ref; false when it is neither. */
static bool order_ref(struct req *r, struct supplier_ref *ref)
{
	const char *seg = r->nsegs > 4 ? r->segs[4] : "";
	*ref = (struct supplier_ref){.supplier_id = r->who.supplier_id};
	if (*seg >= '1' && *seg <= '9' && strlen(seg) <= 15 && strspn(seg, "0123456789") == strlen(seg))
		ref->id = strtoll(seg, NULL, 10);
	else if (uuid_shaped(seg))
		ref->uuid = seg;
	return ref->id > 0 || ref->uuid;
}

/* Answer 404 for an order that is not the caller's (or does not exist), audited. */
static void no_such_order(struct req *r, const char *action)
{
	problem_set(r, 404, "not-found", "Not found", "No such order.");
	audit_refusal(r, action, NULL, 0, "not_found");
}

void h_supplier_order_get(struct req *r)
{
	struct supplier_ref ref;
	if (!order_ref(r, &ref)) {
		no_such_order(r, "supplier.order.read");
		return;
	}
	struct actor a = audit_actor_req(r);
	cJSON *o = NULL;
	int rc = q_supplier_order_read(r->db, &a, &ref, model_supplier_order_set, &o);
	if (rc == STORE_OK) {
		http_reply(r, 200, o);
		return;
	}
	cJSON_Delete(o);
	if (rc == STORE_NOT_FOUND)
		no_such_order(r, "supplier.order.read");
	else
		problem_internal(r, "supplier order");
}

/* Decode the status body into s, reporting every invalid field at once; false with the
 * problem set (and the refusal audited) when it is invalid. */
static bool status_decode(struct req *r, struct supplier_status *s)
{
	static const char *const allowed[] = {"accepted",     "deviceIdentificationNumber",
										  "orderNumber",  "supplierNote",
										  "trackingUrl",  NULL};
	struct fields f = {0};
	if (!http_parse_object(r, allowed))
		goto refused;
	if (!jx_bool(r->json, "accepted", &s->accepted))
		fields_bad(&f, "accepted", "required: true to accept the order, false to decline it");
	/* Each optional member: absent or null leaves the stored value as it is. */
	const cJSON *v;
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "deviceIdentificationNumber")) &&
		!cJSON_IsNull(v) &&
		!valid_serial(s->device_identification_number = cJSON_GetStringValue(v), 50))
		fields_bad(&f, "deviceIdentificationNumber",
				   "must be 1 to 50 characters of letters, digits, spaces and _ . , -");
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "orderNumber")) && !cJSON_IsNull(v) &&
		!valid_text(s->order_number = cJSON_GetStringValue(v), 50, true))
		fields_bad(&f, "orderNumber", "must be text (UTF-8) of 1 to 50 characters");
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "supplierNote")) && !cJSON_IsNull(v) &&
		!valid_note(s->supplier_note = cJSON_GetStringValue(v), 140))
		fields_bad(&f, "supplierNote", "must be text (UTF-8) of at most 140 characters");
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "trackingUrl")) && !cJSON_IsNull(v) &&
		!valid_http_url(s->tracking_url = cJSON_GetStringValue(v), 255))
		fields_bad(&f, "trackingUrl",
				   "must be an http:// or https:// URL of at most 255 characters");
	if (!fields_reply(r, &f))
		return true;
refused:
	audit_refusal(r, "supplier.order.status", NULL, 0, "invalid");
	return false;
}

void h_supplier_order_status(struct req *r)
{
	struct supplier_status s = {0};
	struct supplier_ref ref;
	if (!status_decode(r, &s))
		return;
	if (!order_ref(r, &ref)) {
		no_such_order(r, "supplier.order.status");
		return;
	}
	struct actor a = audit_actor_req(r);
	int64_t id = 0;
	char state[12];
	int rc = q_supplier_order_status(r->db, &a, &ref, &s, &id, state);
	if (rc == STORE_OK) {
		http_no_content(r);
	} else if (rc == STORE_NOT_FOUND) {
		no_such_order(r, "supplier.order.status");
	} else if (rc == STORE_CONFLICT) {
		char detail[160];
		snprintf(detail, sizeof detail,
				 "Only an open order can be accepted or declined; this order is %s.", state);
		problem_set(r, 409, "order-state", "Order in the wrong state", detail);
		audit_refusal(r, "supplier.order.status", "hct_order", id, "conflict");
	} else {
		problem_internal(r, "supplier order status");
	}
}

void h_supplier_client_get(struct req *r)
{
	int64_t id;
	if (!http_seg_id(r, 4, &id)) {
		audit_refusal(r, "supplier.client.read", NULL, 0, "not_found");
		return;
	}
	cJSON *o = NULL;
	int rc = q_supplier_client(r->db, r->who.supplier_id, id, model_supplier_client_set, &o);
	if (rc == STORE_NOT_FOUND) {
		problem_set(r, 404, "not-found", "Not found", "No such client.");
		audit_refusal(r, "supplier.client.read", "client", id, "not_found");
		return;
	}
	if (rc != STORE_OK || audit_req(r, "supplier.client.read", "client", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "supplier client");
		return;
	}
	http_reply(r, 200, o);
}
