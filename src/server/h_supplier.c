/* The supplier API (shaped like the Ons care-technology order API): GET /ping, the
 * supplier's orders (list, one, status) and the client name and birth date of an order.
 * The caller is a supplier admitted by its certificate (r->who.supplier_id); it sees only
 * orders for its own device types, never a BSN. The first fetch of an order is recorded
 * (fetched_at, a new revision so staff terminals see it live). Every call is audited. */
#include "audit.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/valid.h"
#include "store/feed.h"
#include "fields.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/store.h"
#include "store/legacy.h"

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

/* Audit a supplier call that did not succeed (outside any transaction). */
static void audit_refusal(struct req *r, const char *action, const char *object_type,
						  int64_t id, const char *outcome)
{
	db_rollback(r->db);
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
#define STATUS_ALL 15

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

/* Turn product_codes=A,B into ",A,B," for the query; NULL when malformed. Caller frees. */
static char *parse_codes(const char *s)
{
	struct buf b = {0};
	buf_puts(&b, ",");
	size_t count = 0, len = 0;
	for (const char *p = s;; p++) {
		if (*p == ',' || *p == '\0') {
			if (len == 0 || ++count > MAX_PRODUCT_CODES) {
				buf_free(&b);
				return NULL;
			}
			buf_puts(&b, ",");
			len = 0;
			if (!*p)
				break;
			continue;
		}
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.') || ++len > 64) {
			buf_free(&b);
			return NULL;
		}
		buf_append(&b, p, 1);
	}
	return buf_steal(&b);
}

/* Record the first fetch of the orders in ids (those not fetched and not removed yet), each
 * with a new revision, inside the open write transaction. *last gets the newest revision
 * used (unchanged when none); false on a database error. */
static bool mark_fetched(struct req *r, const int64_t *ids, size_t n, int64_t *last)
{
	static const char sql[] =
		"UPDATE hct_orders SET fetched_at = ?, rev = ?"
		" WHERE id = ? AND fetched_at IS NULL AND deleted = 0";
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++) {
		int64_t rev = db_next_rev(r->db);
		sqlite3_stmt *st = rev > 0 ? legacy_prep(r->db, sql) : NULL;
		if (!st)
			return false;
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, rev);
		sqlite3_bind_int64(st, 3, ids[i]);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return false;
		*last = rev;
	}
	return true;
}

void h_supplier_orders(struct req *r)
{
	const char *sq = http_query(r, "statuses");
	const char *cq = http_query(r, "product_codes");
	int mask = STATUS_ALL;
	if (sq && !(mask = parse_statuses(sq))) {
		bad_query(r, "statuses",
				  "must be a comma-separated list of OPEN, DECLINED, ACCEPTED and COMPLETED");
		audit_refusal(r, "supplier.order.list", NULL, 0, "invalid");
		return;
	}
	char *codes = NULL;
	if (cq && !(codes = parse_codes(cq))) {
		bad_query(r, "product_codes",
				  "must be a comma-separated list of product codes (letters, digits, _ . -; at "
				  "most 64 characters each, at most 50 codes)");
		audit_refusal(r, "supplier.order.list", NULL, 0, "invalid");
		return;
	}
	static const char sql[] =
		"SELECT " MODEL_SUPPLIER_ORDER_COLS ", o.fetched_at IS NULL AND o.deleted = 0"
		" FROM " MODEL_SUPPLIER_ORDER_FROM " WHERE o.supplier_id = :sup"
		" AND (:mask & CASE o.status WHEN 'OPEN' THEN 1 WHEN 'DECLINED' THEN 2"
		"      WHEN 'ACCEPTED' THEN 4 ELSE 8 END) <> 0"
		" AND (:codes IS NULL OR instr(:codes, ',' || d.product_code || ',') > 0)"
		" ORDER BY o.id";
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "orders");
	int64_t *ids = NULL, *fresh = NULL;
	size_t n = 0, nfresh = 0, cap = 0;
	int64_t rev = 0;
	if (db_begin(r->db, true) != 0)
		goto internal;
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":sup"), r->who.supplier_id);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":mask"), mask);
	if (codes)
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":codes"), codes, -1,
						  SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			ids = xrealloc(ids, cap * sizeof *ids);
			fresh = xrealloc(fresh, cap * sizeof *fresh);
		}
		ids[n++] = sqlite3_column_int64(st, 0);
		if (sqlite3_column_int(st, 28))
			fresh[nfresh++] = sqlite3_column_int64(st, 0);
		cJSON_AddItemToArray(list, model_supplier_order(st, 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || !mark_fetched(r, fresh, nfresh, &rev))
		goto internal;
	if (n == 0 ? audit_req(r, "supplier.order.list", NULL, 0, "ok", "0 hct_order") != 0
			   : audit_log_ids(r, "supplier.order.list", "hct_order", ids, n) != 0)
		goto internal;
	if (db_commit(r->db) != 0)
		goto internal;
	if (rev > 0)
		feed_notify(rev);
	http_reply(r, 200, o);
	o = NULL;
	goto out;
internal:
	db_rollback(r->db);
	problem_internal(r, "supplier orders");
out:
	cJSON_Delete(o);
	free(codes);
	free(ids);
	free(fresh);
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

/* Resolve path segment 4 (a numeric id or a uuid) to an order of the calling supplier,
 * inside the open transaction. Returns the id, 0 when there is none, -1 on an error.
 * *status (12 bytes) and *removed describe it. */
static int64_t supplier_order(struct req *r, char status[12], bool *removed)
{
	const char *seg = r->nsegs > 4 ? r->segs[4] : "";
	int64_t id = 0;
	const char *uuid = NULL;
	if (*seg >= '1' && *seg <= '9' && strlen(seg) <= 15 && strspn(seg, "0123456789") == strlen(seg))
		id = strtoll(seg, NULL, 10);
	else if (uuid_shaped(seg))
		uuid = seg;
	else
		return 0;
	static const char sql[] =
		"SELECT id, status, deleted FROM hct_orders WHERE supplier_id = :sup"
		" AND (id = :id OR uuid = lower(:uuid))";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":sup"), r->who.supplier_id);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
	if (uuid)
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":uuid"), uuid, -1,
						  SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int64_t found = 0;
	if (rc == SQLITE_ROW) {
		found = sqlite3_column_int64(st, 0);
		snprintf(status, 12, "%s", db_col_text(st, 1));
		*removed = sqlite3_column_int(st, 2) != 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? found : -1;
}

/* Answer 404 for an order that is not the caller's (or does not exist). */
static void no_such_order(struct req *r)
{
	problem_set(r, 404, "not-found", "Not found", "No such order.");
}

/* Open a write transaction and resolve the caller's order of the path. Returns its id
 * (the transaction open), or 0 with the response set, the transaction ended and a refusal
 * audited as action. */
static int64_t begin_supplier_order(struct req *r, const char *action, char status[12], bool *removed)
{
	if (db_begin(r->db, true) != 0) {
		problem_internal(r, "begin");
		return 0;
	}
	int64_t id = supplier_order(r, status, removed);
	if (id < 0) {
		db_rollback(r->db);
		problem_internal(r, "supplier order lookup");
		return 0;
	}
	if (id == 0) {
		no_such_order(r);
		audit_refusal(r, action, NULL, 0, "not_found");
	}
	return id;
}

void h_supplier_order_get(struct req *r)
{
	static const char sql[] =
		"SELECT " MODEL_SUPPLIER_ORDER_COLS " FROM " MODEL_SUPPLIER_ORDER_FROM " WHERE o.id = ?";
	char status[12];
	bool removed = false;
	int64_t id = begin_supplier_order(r, "supplier.order.read", status, &removed);
	if (id == 0)
		return;
	int64_t rev = 0;
	if (!mark_fetched(r, &id, 1, &rev))
		goto internal;
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, 1, id);
	cJSON *o = sqlite3_step(st) == SQLITE_ROW ? model_supplier_order(st, 0) : NULL;
	sqlite3_reset(st);
	if (!o)
		goto internal;
	if (audit_req(r, "supplier.order.read", "hct_order", id, "ok", NULL) != 0 ||
		db_commit(r->db) != 0) {
		cJSON_Delete(o);
		goto internal;
	}
	if (rev > 0)
		feed_notify(rev);
	http_reply(r, 200, o);
	return;
internal:
	db_rollback(r->db);
	problem_internal(r, "supplier order");
}

void h_supplier_order_status(struct req *r)
{
	static const char *const allowed[] = {"accepted",     "deviceIdentificationNumber",
										  "orderNumber",  "supplierNote",
										  "trackingUrl",  NULL};
	if (!http_parse_object(r, allowed)) {
		audit_refusal(r, "supplier.order.status", NULL, 0, "invalid");
		return;
	}
	struct fields f = {0};
	bool accepted = false;
	if (!jx_bool(r->json, "accepted", &accepted))
		fields_bad(&f, "accepted", "required: true to accept the order, false to decline it");
	/* Each optional member: absent or null leaves the stored value as it is. */
	const cJSON *v;
	const char *dev = NULL, *num = NULL, *note = NULL, *url = NULL;
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "deviceIdentificationNumber")) &&
		!cJSON_IsNull(v) && !valid_serial(dev = cJSON_GetStringValue(v), 50))
		fields_bad(&f, "deviceIdentificationNumber",
				   "must be 1 to 50 characters of letters, digits, spaces and _ . , -");
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "orderNumber")) && !cJSON_IsNull(v) &&
		!valid_text(num = cJSON_GetStringValue(v), 50, true))
		fields_bad(&f, "orderNumber", "must be text (UTF-8) of 1 to 50 characters");
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "supplierNote")) && !cJSON_IsNull(v) &&
		!valid_note(note = cJSON_GetStringValue(v), 140))
		fields_bad(&f, "supplierNote", "must be text (UTF-8) of at most 140 characters");
	if ((v = cJSON_GetObjectItemCaseSensitive(r->json, "trackingUrl")) && !cJSON_IsNull(v) &&
		!valid_http_url(url = cJSON_GetStringValue(v), 255))
		fields_bad(&f, "trackingUrl",
				   "must be an http:// or https:// URL of at most 255 characters");
	if (fields_reply(r, &f)) {
		audit_refusal(r, "supplier.order.status", NULL, 0, "invalid");
		return;
	}
	char status[12];
	bool removed = false;
	int64_t id = begin_supplier_order(r, "supplier.order.status", status, &removed);
	if (id == 0)
		return;
	if (removed || strcmp(status, "OPEN") != 0) {
		char detail[160];
		snprintf(detail, sizeof detail,
				 "Only an open order can be accepted or declined; this order is %s.",
				 removed ? "removed" : status);
		problem_set(r, 409, "order-state", "Order in the wrong state", detail);
		audit_refusal(r, "supplier.order.status", "hct_order", id, "conflict");
		return;
	}
	static const char sql[] =
		"UPDATE hct_orders SET status = ?1,"
		" accepted_at = CASE WHEN ?1 = 'ACCEPTED' THEN ?2 ELSE accepted_at END,"
		" declined_at = CASE WHEN ?1 = 'DECLINED' THEN ?2 ELSE declined_at END,"
		" updated_at = ?2, fetched_at = coalesce(fetched_at, ?2),"
		" device_identification_number = coalesce(?3, device_identification_number),"
		" order_number = coalesce(?4, order_number),"
		" supplier_note = coalesce(?5, supplier_note),"
		" tracking_url = coalesce(?6, tracking_url), rev = ?7 WHERE id = ?8";
	const char *to = accepted ? "ACCEPTED" : "DECLINED";
	int64_t rev = db_next_rev(r->db);
	sqlite3_stmt *st = rev > 0 ? legacy_prep(r->db, sql) : NULL;
	if (!st)
		goto internal;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	if (dev)
		sqlite3_bind_text(st, 3, dev, -1, SQLITE_STATIC);
	if (num)
		sqlite3_bind_text(st, 4, num, -1, SQLITE_STATIC);
	if (note)
		sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
	if (url)
		sqlite3_bind_text(st, 6, url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, rev);
	sqlite3_bind_int64(st, 8, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || audit_req(r, "supplier.order.status", "hct_order", id, "ok", to) != 0 ||
		db_commit(r->db) != 0)
		goto internal;
	feed_notify(rev);
	http_no_content(r);
	return;
internal:
	db_rollback(r->db);
	problem_internal(r, "supplier order status");
}

void h_supplier_client_get(struct req *r)
{
	int64_t id;
	if (!http_seg_id(r, 4, &id)) {
		audit_refusal(r, "supplier.client.read", NULL, 0, "not_found");
		return;
	}
	static const char sql[] =
		"SELECT " MODEL_SUPPLIER_CLIENT_COLS " FROM clients c WHERE c.id = ? AND c.deleted = 0"
		" AND EXISTS (SELECT 1 FROM hct_orders o WHERE o.client_id = c.id"
		" AND o.supplier_id = ? AND o.deleted = 0)";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "supplier client");
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, r->who.supplier_id);
	cJSON *o = sqlite3_step(st) == SQLITE_ROW ? model_supplier_client(st, 0) : NULL;
	sqlite3_reset(st);
	if (!o) {
		problem_set(r, 404, "not-found", "Not found", "No such client.");
		audit_refusal(r, "supplier.client.read", "client", id, "not_found");
		return;
	}
	if (audit_req(r, "supplier.client.read", "client", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}
