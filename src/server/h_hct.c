/* A client's home-care technology (HCT) for staff: the overview, orders (place with an
 * Idempotency-Key, read, delete when declined, start use) and registrations (create, read,
 * end). Every write is one transaction: the rows with their revisions, the audit row and,
 * for a new order, the idempotency row; the feed is told after the commit. */
#include "audit.h"
#include "authz.h"
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

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Idempotency keys are kept (and a repeated request answered from them) for 7 days. */
#define IDEMPOTENCY_KEEP (7 * 24 * 3600)

static const char order_sql[] =
	"SELECT " MODEL_ORDER_COLS " FROM " MODEL_ORDER_FROM " WHERE o.id = ?";
static const char registration_sql[] =
	"SELECT " MODEL_REGISTRATION_COLS " FROM " MODEL_REGISTRATION_FROM " WHERE rg.id = ?";

/* Answer 404 with the words used for unknown and out-of-scope objects alike. */
static void not_found(struct req *r)
{
	problem_set(r, 404, "not-found", "Not found", "No such object.");
}

/* Order id as staff see it; NULL when it does not exist or on an error. Caller owns. */
static cJSON *order_json(struct req *r, int64_t id)
{
	sqlite3_stmt *st = legacy_prep(r->db, order_sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	cJSON *o = sqlite3_step(st) == SQLITE_ROW ? model_order(st, 0) : NULL;
	sqlite3_reset(st);
	return o;
}

/* Registration id; NULL when it does not exist or on an error. Caller owns. */
static cJSON *registration_json(struct req *r, int64_t id)
{
	sqlite3_stmt *st = legacy_prep(r->db, registration_sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	cJSON *o = sqlite3_step(st) == SQLITE_ROW ? model_registration(st, 0) : NULL;
	sqlite3_reset(st);
	return o;
}

/* Check task, then resolve the object of path segment 3 with sql (one parameter, the id;
 * one column, the location of the object's client) and check that location is in scope.
 * On failure the response is set and false returned. */
static bool object_in_scope(struct req *r, const char *task, const char *sql, const char *what,
							int64_t *out_id)
{
	int64_t id;
	if (!authz_check(r, task, 0) || !http_seg_id(r, 3, &id))
		return false;
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, what);
		return false;
	}
	sqlite3_bind_int64(st, 1, id);
	int64_t loc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (loc <= 0) {
		not_found(r);
		return false;
	}
	if (!authz_check(r, task, loc))
		return false;
	*out_id = id;
	return true;
}

static const char client_loc_sql[] = "SELECT location_id FROM clients WHERE deleted = 0 AND id = ?";
static const char order_loc_sql[] =
	"SELECT c.location_id FROM hct_orders o JOIN clients c ON c.id = o.client_id"
	" WHERE o.id = ? AND o.deleted = 0 AND c.deleted = 0";
static const char reg_loc_sql[] =
	"SELECT c.location_id FROM hct_registrations g JOIN clients c ON c.id = g.client_id"
	" WHERE g.id = ? AND g.deleted = 0 AND c.deleted = 0";

/* The client of path segment 3, with task and in scope. */
static bool client_in_scope(struct req *r, const char *task, int64_t *client_id)
{
	return object_in_scope(r, task, client_loc_sql, "client lookup", client_id);
}

/* The (not deleted) order of path segment 3, with task, its client in scope. */
static bool order_in_scope(struct req *r, const char *task, int64_t *order_id)
{
	return object_in_scope(r, task, order_loc_sql, "order lookup", order_id);
}

/* The (not deleted) registration of path segment 3, with task, its client in scope. */
static bool registration_in_scope(struct req *r, const char *task, int64_t *reg_id)
{
	return object_in_scope(r, task, reg_loc_sql, "registration lookup", reg_id);
}

/* Run a bound write statement to completion and reset it; true on success. */
static bool step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

/* ---- the overview ------------------------------------------------------------------- */

void h_client_hct(struct req *r)
{
	int64_t client_id;
	if (!client_in_scope(r, "hct.client.view", &client_id))
		return;
	static const char regs_sql[] =
		"SELECT " MODEL_REGISTRATION_COLS " FROM " MODEL_REGISTRATION_FROM
		" WHERE rg.client_id = ? AND rg.deleted = 0 ORDER BY rg.start_date DESC, rg.id DESC";
	static const char orders_sql[] =
		"SELECT " MODEL_ORDER_COLS " FROM " MODEL_ORDER_FROM
		" WHERE o.client_id = ? AND o.deleted = 0 AND o.status <> 'COMPLETED'"
		" ORDER BY o.created_at DESC, o.id DESC";
	cJSON *o = cJSON_CreateObject();
	cJSON *regs = cJSON_AddArrayToObject(o, "registrations");
	cJSON *orders = cJSON_AddArrayToObject(o, "orders");
	sqlite3_stmt *st = legacy_prep(r->db, regs_sql);
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, 1, client_id);
	while (sqlite3_step(st) == SQLITE_ROW)
		cJSON_AddItemToArray(regs, model_registration(st, 0));
	sqlite3_reset(st);
	if (authz_may(r, "hct.order.view")) {
		st = legacy_prep(r->db, orders_sql);
		if (!st)
			goto internal;
		sqlite3_bind_int64(st, 1, client_id);
		while (sqlite3_step(st) == SQLITE_ROW)
			cJSON_AddItemToArray(orders, model_order(st, 0));
		sqlite3_reset(st);
	}
	if (audit_req(r, "hct.read", "client", client_id, "ok", NULL) != 0)
		goto internal;
	http_reply(r, 200, o);
	return;
internal:
	cJSON_Delete(o);
	problem_internal(r, "client hct");
}

/* ---- placing an order --------------------------------------------------------------- */

/* Hex BLAKE2b-256 of the request (path and body), to tell a retry from another request. */
static void request_hash(const struct req *r, char out[65])
{
	unsigned char h[32];
	crypto_generichash_state s;
	crypto_generichash_init(&s, NULL, 0, sizeof h);
	crypto_generichash_update(&s, (const unsigned char *)r->url, strlen(r->url));
	crypto_generichash_update(&s, (const unsigned char *)"\n", 1);
	if (r->body_len)
		crypto_generichash_update(&s, (const unsigned char *)r->body, r->body_len);
	crypto_generichash_final(&s, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* A random (version 4) UUID. */
static void new_uuid(char out[37])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
			 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
			 b[14], b[15]);
}

/* The delivery address of a new order, as stored. */
struct delivery {
	bool client_home;
	int64_t address_id;
	char *street, *ext, *city;
	int64_t house_number;
	char postcode[8];
};

static void delivery_free(struct delivery *d)
{
	free(d->street);
	free(d->ext);
	free(d->city);
}

static const char *const delivery_address_members[] = {"street", "house_number",
													   "house_number_ext", "postcode", "city",
													   NULL};

/* Check the delivery member and fill d (inside the write transaction: the address must be
 * an active one of client_id). Problems go to f. */
static void check_delivery(struct req *r, struct fields *f, const cJSON *dv, int64_t client_id,
						   struct delivery *d)
{
	if (!cJSON_IsObject(dv)) {
		fields_bad(f, "delivery",
				   "required: an object with address_id, or with street, house_number, "
				   "house_number_ext, postcode and city for an alternative address");
		return;
	}
	bool has_address = cJSON_GetObjectItemCaseSensitive(dv, "address_id") != NULL;
	bool has_manual = false;
	for (size_t i = 0; delivery_address_members[i]; i++)
		if (cJSON_GetObjectItemCaseSensitive(dv, delivery_address_members[i]))
			has_manual = true;
	if (!has_address && !has_manual) {
		fields_bad(f, "delivery",
				   "required: address_id (an active address of the client), or street, "
				   "house_number, house_number_ext, postcode and city for an alternative "
				   "address");
		return;
	}
	if (has_address && has_manual) {
		fields_bad(f, "delivery",
				   "give either address_id or an alternative address (street, house_number, "
				   "house_number_ext, postcode, city), not both");
		return;
	}
	if (has_address) {
		d->client_home = true;
		if (!fields_int(f, dv, "address_id", "delivery.address_id", 1, INT64_MAX / 2,
						"must be the id of an active address of this client", &d->address_id))
			return;
		static const char sql[] =
			"SELECT street, house_number, house_number_ext, postcode, city"
			" FROM client_addresses WHERE id = ? AND client_id = ? AND active = 1";
		sqlite3_stmt *st = legacy_prep(r->db, sql);
		if (!st) {
			fields_bad(f, "delivery.address_id", "could not be checked; try again");
			return;
		}
		sqlite3_bind_int64(st, 1, d->address_id);
		sqlite3_bind_int64(st, 2, client_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			d->street = xstrdup(db_col_text(st, 0));
			d->house_number = sqlite3_column_int64(st, 1);
			d->ext = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
			snprintf(d->postcode, sizeof d->postcode, "%s",
					 db_col_text(st, 3) ? db_col_text(st, 3) : "");
			d->city = xstrdup(db_col_text(st, 4));
		} else {
			fields_bad(f, "delivery.address_id",
					   "must be the id of an active address of this client");
		}
		sqlite3_reset(st);
		return;
	}
	d->client_home = false;
	const char *street = jx_str(dv, "street");
	if (!street || !valid_text(street, 100, true))
		fields_bad(f, "delivery.street", "required: a street name of 1 to 100 characters");
	else
		d->street = xstrdup(street);
	fields_int(f, dv, "house_number", "delivery.house_number", 1, 99999,
			   "required: a house number, a whole number from 1 to 99999", &d->house_number);
	const char *ext = jx_str(dv, "house_number_ext");
	if (!ext || !valid_text(ext, 10, false))
		fields_bad(f, "delivery.house_number_ext",
				   "required: a house number addition of at most 10 characters (\"\" for none)");
	else
		d->ext = xstrdup(ext);
	const char *pc = jx_str(dv, "postcode");
	if (!pc || !valid_postcode(pc, d->postcode))
		fields_bad(f, "delivery.postcode", "required: a Dutch postcode such as 1234 AB");
	const char *city = jx_str(dv, "city");
	if (!city || !valid_text(city, 80, true))
		fields_bad(f, "delivery.city", "required: a city name of 1 to 80 characters");
	else
		d->city = xstrdup(city);
}

/* The orderer of a new order, as stored. */
struct orderer {
	int64_t team_id;
	char *team_name;
	const char *email;
	char phone[16];
};

/* Check the orderer member and fill o (the team must exist). Problems go to f. */
static void check_orderer(struct req *r, struct fields *f, const cJSON *ov, struct orderer *o)
{
	if (!cJSON_IsObject(ov)) {
		fields_bad(f, "orderer", "required: an object with team_id, email and phone");
		return;
	}
	if (fields_int(f, ov, "team_id", "orderer.team_id", 1, INT64_MAX / 2,
				   "required: the id of a team", &o->team_id)) {
		static const char sql[] =
			"SELECT name, location_id FROM teams WHERE deleted = 0 AND id = ?";
		sqlite3_stmt *st = legacy_prep(r->db, sql);
		int64_t team_location = 0;
		if (st) {
			sqlite3_bind_int64(st, 1, o->team_id);
			if (sqlite3_step(st) == SQLITE_ROW) {
				o->team_name = xstrdup(db_col_text(st, 0));
				team_location = sqlite3_column_int64(st, 1);
			}
			sqlite3_reset(st);
		}
		if (!o->team_name)
			fields_bad(f, "orderer.team_id", "required: the id of a team");
		else if (!authz_in_scope(r, team_location))
			fields_bad(f, "orderer.team_id", "must be a team within your scope");
	}
	o->email = jx_str(ov, "email");
	if (!o->email || !valid_email(o->email))
		fields_bad(f, "orderer.email",
				   "required: an e-mail address such as wijkteam@example.nl");
	const char *phone = jx_str(ov, "phone");
	if (!phone || !valid_phone(phone, o->phone))
		fields_bad(f, "orderer.phone",
				   "required: a Dutch phone number such as 0612345678 or +31 592 301100");
}

/* The stored answer to an earlier request with this key, if any. */
struct stored {
	bool found;
	bool same;
	int status;
	char *location;
	char *response;
};

/* Look up (staff, key) inside the write transaction; false on a database error. */
static bool idempotency_lookup(struct req *r, const char *key, const char *hash,
							   struct stored *out)
{
	static const char sql[] =
		"SELECT request_hash, status, location, response FROM idempotency_keys"
		" WHERE staff_id = ? AND key = ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, r->who.staff_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->found = true;
		out->same = strcmp(db_col_text(st, 0), hash) == 0;
		out->status = sqlite3_column_int(st, 1);
		out->location = xstrdup(db_col_text(st, 2));
		out->response = xstrdup(db_col_text(st, 3));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Forget idempotency keys older than IDEMPOTENCY_KEEP; false on a database error. */
static bool idempotency_prune(struct req *r, int64_t now)
{
	static const char sql[] = "DELETE FROM idempotency_keys WHERE created_at < ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, now - IDEMPOTENCY_KEEP);
	return step_done(st);
}

void h_hct_order_create(struct req *r)
{
	static const char *const allowed[] = {"device_type_id", "delivery", "orderer", NULL};
	static const char *const delivery_allowed[] = {"address_id",       "street", "house_number",
												   "house_number_ext", "postcode", "city",
												   NULL};
	static const char *const orderer_allowed[] = {"team_id", "email", "phone", NULL};
	int64_t client_id;
	if (!client_in_scope(r, "hct.order.manage", &client_id))
		return;
	const char *key = http_header(r, "Idempotency-Key");
	if (!valid_idempotency_key(key)) {
		cJSON *p = problem_new(400, "invalid-input", "Invalid input",
							   "Send an Idempotency-Key header with every new order.");
		problem_add_field(p, "Idempotency-Key",
						  "required header: 1 to 100 characters of A-Z, a-z, 0-9, _ and -");
		problem_reply(r, p);
		return;
	}
	if (!http_parse_object(r, allowed))
		return;
	const cJSON *dv = cJSON_GetObjectItemCaseSensitive(r->json, "delivery");
	const cJSON *ov = cJSON_GetObjectItemCaseSensitive(r->json, "orderer");
	if ((cJSON_IsObject(dv) && !fields_known(r, dv, "delivery", delivery_allowed)) ||
		(cJSON_IsObject(ov) && !fields_known(r, ov, "orderer", orderer_allowed)))
		return;
	char hash[65];
	request_hash(r, hash);
	int64_t now = (int64_t)time(NULL);

	struct fields f = {0};
	struct delivery d = {0};
	struct orderer who = {0};
	struct stored prev = {0};
	char *text = NULL;
	if (db_begin(r->db, true) != 0) {
		problem_internal(r, "begin");
		return;
	}
	/* The key is looked up under the write lock: a concurrent twin waits, then finds it. */
	if (!idempotency_prune(r, now) || !idempotency_lookup(r, key, hash, &prev))
		goto internal;
	if (prev.found) {
		if (!prev.same) {
			db_rollback(r->db);
			problem_set(r, 422, "idempotency-key-reused", "Idempotency key reused",
						"This Idempotency-Key was already used for a different request; use a "
						"new key for a new order.");
			goto out;
		}
		/* The answer names the order again: audit it as such (the id ends the Location). */
		const char *slash = prev.location ? strrchr(prev.location, '/') : NULL;
		int64_t prev_id = slash ? strtoll(slash + 1, NULL, 10) : 0;
		if (audit_req(r, "hct_order.create", "hct_order", prev_id, "replayed", key) != 0 ||
			db_commit(r->db) != 0)
			goto internal;
		if (prev.location)
			snprintf(r->location, sizeof r->location, "%s", prev.location);
		http_reply_raw(r, prev.status, prev.response);
		prev.response = NULL;
		goto out;
	}

	int64_t type_id = 0, supplier_id = 0;
	bool in_use = false, ordering = false, type_ok = false;
	if (fields_int(&f, r->json, "device_type_id", "device_type_id", 1, INT64_MAX / 2,
				   "required: the id of a device type", &type_id)) {
		static const char sql[] =
			"SELECT in_use, ordering, supplier_id FROM device_types WHERE deleted = 0 AND id = ?";
		sqlite3_stmt *st = legacy_prep(r->db, sql);
		if (!st)
			goto internal;
		sqlite3_bind_int64(st, 1, type_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			type_ok = true;
			in_use = sqlite3_column_int(st, 0) != 0;
			ordering = sqlite3_column_int(st, 1) != 0;
			supplier_id = sqlite3_column_int64(st, 2);
		}
		sqlite3_reset(st);
		if (!type_ok)
			fields_bad(&f, "device_type_id", "must be the id of a device type in the catalogue");
	}
	check_delivery(r, &f, dv, client_id, &d);
	check_orderer(r, &f, ov, &who);
	if (f.problem) {
		db_rollback(r->db);
		fields_reply(r, &f);
		goto out;
	}
	if (!in_use || !ordering || supplier_id <= 0) {
		db_rollback(r->db);
		problem_set(r, 409, "ordering-off", "Ordering is off",
					"This device type cannot be ordered: the organisation has not switched "
					"ordering on for it.");
		goto out;
	}

	int64_t rev = db_next_rev(r->db);
	if (rev < 0)
		goto internal;
	char uuid[37];
	new_uuid(uuid);
	static const char ins[] =
		"INSERT INTO hct_orders (uuid, client_id, device_type_id, supplier_id, status,"
		" created_at, updated_at, delivery_type, address_id, street, house_number,"
		" house_number_ext, postcode, city, orderer_staff_id, orderer_name, team_id,"
		" team_name, orderer_email, orderer_phone, rev)"
		" VALUES (?1, ?2, ?3, ?4, 'OPEN', ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, ?16, ?17, ?18, ?19) RETURNING id";
	sqlite3_stmt *st = legacy_prep(r->db, ins);
	if (!st)
		goto internal;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, client_id);
	sqlite3_bind_int64(st, 3, type_id);
	sqlite3_bind_int64(st, 4, supplier_id);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_text(st, 6, d.client_home ? "CLIENT_HOME" : "MANUAL", -1, SQLITE_STATIC);
	if (d.client_home)
		sqlite3_bind_int64(st, 7, d.address_id);
	sqlite3_bind_text(st, 8, d.street, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, d.house_number);
	sqlite3_bind_text(st, 10, d.ext, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, d.postcode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, d.city, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, r->who.staff_id);
	sqlite3_bind_text(st, 14, r->who.name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, who.team_id);
	sqlite3_bind_text(st, 16, who.team_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, who.email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 18, who.phone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 19, rev);
	int64_t order_id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (order_id <= 0)
		goto internal;
	cJSON *o = order_json(r, order_id);
	if (!o)
		goto internal;
	text = jx_print(o);
	cJSON_Delete(o);
	snprintf(r->location, sizeof r->location, "/api/v1/hct-orders/%lld", (long long)order_id);
	static const char key_ins[] =
		"INSERT INTO idempotency_keys (staff_id, key, request_hash, status, location,"
		" response, created_at) VALUES (?, ?, ?, 201, ?, ?, ?)";
	st = legacy_prep(r->db, key_ins);
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, 1, r->who.staff_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->location, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	if (!step_done(st) ||
		audit_req(r, "hct_order.create", "hct_order", order_id, "ok", NULL) != 0 ||
		db_commit(r->db) != 0)
		goto internal;
	feed_notify(rev);
	http_reply_raw(r, 201, text);
	text = NULL;
	goto out;
internal:
	db_rollback(r->db);
	r->location[0] = '\0';
	problem_internal(r, "order create");
out:
	fields_free(&f);
	delivery_free(&d);
	free(who.team_name);
	free(prev.location);
	free(prev.response);
	free(text);
}

/* ---- one order ---------------------------------------------------------------------- */

void h_hct_order_get(struct req *r)
{
	int64_t id;
	if (!order_in_scope(r, "hct.order.view", &id))
		return;
	cJSON *o = order_json(r, id);
	if (!o) {
		problem_internal(r, "order");
		return;
	}
	if (audit_req(r, "hct_order.read", "hct_order", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}

/* Read the status of order id inside the current transaction into out (12 bytes); false
 * when it is gone. */
static bool order_status(struct req *r, int64_t id, char out[12], int64_t *client_id,
						 int64_t *type_id)
{
	static const char sql[] =
		"SELECT status, client_id, device_type_id FROM hct_orders WHERE id = ? AND deleted = 0";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, id);
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok) {
		snprintf(out, 12, "%s", db_col_text(st, 0));
		*client_id = sqlite3_column_int64(st, 1);
		*type_id = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return ok;
}

/* Answer 409 order-state for an order in state status that cannot take this step. */
static void wrong_state(struct req *r, const char *need, const char *status)
{
	char detail[160];
	snprintf(detail, sizeof detail, "Only %s order can do this; this order is %s.", need,
			 status);
	problem_set(r, 409, "order-state", "Order in the wrong state", detail);
}

/* Open a write transaction and check that order id is in status want (described to the
 * user as words); its client and device type go to the out parameters. On failure the
 * transaction is rolled back, the response is set and false returned. */
static bool begin_in_state(struct req *r, int64_t id, const char *want, const char *words,
						   int64_t *client_id, int64_t *type_id)
{
	if (db_begin(r->db, true) != 0) {
		problem_internal(r, "begin");
		return false;
	}
	char status[12];
	if (!order_status(r, id, status, client_id, type_id)) {
		db_rollback(r->db);
		not_found(r);
		return false;
	}
	if (strcmp(status, want) != 0) {
		db_rollback(r->db);
		wrong_state(r, words, status);
		return false;
	}
	return true;
}

void h_hct_order_delete(struct req *r)
{
	int64_t id, client_id, type_id;
	if (!order_in_scope(r, "hct.order.delete", &id) ||
		!begin_in_state(r, id, "DECLINED", "a declined", &client_id, &type_id))
		return;
	int64_t rev = db_next_rev(r->db);
	static const char sql[] =
		"UPDATE hct_orders SET deleted = 1, updated_at = ?, rev = ? WHERE id = ?";
	sqlite3_stmt *st = rev > 0 ? legacy_prep(r->db, sql) : NULL;
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_int64(st, 3, id);
	if (!step_done(st) || audit_req(r, "hct_order.delete", "hct_order", id, "ok", NULL) != 0 ||
		db_commit(r->db) != 0)
		goto internal;
	feed_notify(rev);
	http_no_content(r);
	return;
internal:
	db_rollback(r->db);
	problem_internal(r, "order delete");
}

/* Check a serial and a start date (members serial, start_date) into f. */
static void check_serial_start(struct fields *f, const cJSON *j, const char **serial,
							   const char **start)
{
	*serial = jx_str(j, "serial");
	if (!valid_serial(*serial, 50))
		fields_bad(f, "serial",
				   "required: 1 to 50 characters of letters, digits, spaces and _ . , -");
	*start = jx_str(j, "start_date");
	if (!valid_date(*start))
		fields_bad(f, "start_date", "required: a real date written as YYYY-MM-DD");
}

/* Insert a registration in the open transaction; its id, or 0 on an error. */
static int64_t insert_registration(struct req *r, int64_t client_id, int64_t type_id,
								   const char *serial, const char *start, const char *end,
								   int64_t order_id, int64_t rev)
{
	static const char sql[] =
		"INSERT INTO hct_registrations (client_id, device_type_id, serial, start_date,"
		" end_date, order_id, rev) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, client_id);
	sqlite3_bind_int64(st, 2, type_id);
	sqlite3_bind_text(st, 3, serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, start, -1, SQLITE_STATIC);
	if (end)
		sqlite3_bind_text(st, 5, end, -1, SQLITE_STATIC);
	if (order_id > 0)
		sqlite3_bind_int64(st, 6, order_id);
	sqlite3_bind_int64(st, 7, rev);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

/* Reply 201 with registration id (Location set); false when it cannot be read. */
static bool reply_registration(struct req *r, int64_t id, int status)
{
	cJSON *o = registration_json(r, id);
	if (!o)
		return false;
	if (status == 201)
		snprintf(r->location, sizeof r->location, "/api/v1/hct-registrations/%lld",
				 (long long)id);
	http_reply(r, status, o);
	return true;
}

void h_hct_order_start_use(struct req *r)
{
	static const char *const allowed[] = {"serial", "start_date", NULL};
	int64_t id, client_id, type_id;
	if (!order_in_scope(r, "hct.client.edit", &id) || !http_parse_object(r, allowed))
		return;
	struct fields f = {0};
	const char *serial, *start;
	check_serial_start(&f, r->json, &serial, &start);
	if (fields_reply(r, &f) || !begin_in_state(r, id, "ACCEPTED", "an accepted", &client_id, &type_id))
		return;
	int64_t now = (int64_t)time(NULL);
	int64_t reg_rev = db_next_rev(r->db);
	int64_t reg_id = reg_rev > 0 ? insert_registration(r, client_id, type_id, serial, start,
													   NULL, id, reg_rev)
								 : 0;
	int64_t rev = reg_id > 0 ? db_next_rev(r->db) : -1;
	static const char sql[] =
		"UPDATE hct_orders SET status = 'COMPLETED', completed_at = ?1, updated_at = ?1,"
		" rev = ?2 WHERE id = ?3";
	sqlite3_stmt *st = rev > 0 ? legacy_prep(r->db, sql) : NULL;
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_int64(st, 3, id);
	char detail[48];
	snprintf(detail, sizeof detail, "registration %lld", (long long)reg_id);
	if (!step_done(st) ||
		audit_req(r, "hct_order.start_use", "hct_order", id, "ok", detail) != 0 ||
		!reply_registration(r, reg_id, 201))
		goto internal;
	if (db_commit(r->db) != 0)
		goto internal;
	feed_notify(rev);
	return;
internal:
	db_rollback(r->db);
	r->location[0] = '\0';
	problem_internal(r, "start use");
}

/* ---- registrations ------------------------------------------------------------------ */

/* Check an optional end date member (absent or null: none) against start into f. */
static const char *check_end(struct fields *f, const cJSON *j, const char *start, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "end_date");
	if (!v) {
		if (required)
			fields_bad(f, "end_date", "required: a date written as YYYY-MM-DD, or null");
		return NULL;
	}
	if (cJSON_IsNull(v))
		return NULL;
	const char *end = cJSON_IsString(v) ? v->valuestring : NULL;
	if (!valid_date(end)) {
		fields_bad(f, "end_date", "must be a real date written as YYYY-MM-DD, or null");
		return NULL;
	}
	if (start && valid_date(start) && strcmp(end, start) < 0)
		fields_bad(f, "end_date", "must not be before the start date");
	return end;
}

void h_hct_registration_create(struct req *r)
{
	static const char *const allowed[] = {"device_type_id", "serial", "start_date", "end_date",
										  NULL};
	int64_t client_id;
	if (!client_in_scope(r, "hct.client.edit", &client_id) || !http_parse_object(r, allowed))
		return;
	struct fields f = {0};
	int64_t type_id = 0;
	bool has_type = fields_int(&f, r->json, "device_type_id", "device_type_id", 1,
							   INT64_MAX / 2, "required: the id of a device type", &type_id);
	const char *serial, *start;
	check_serial_start(&f, r->json, &serial, &start);
	const char *end = check_end(&f, r->json, start, false);
	if (db_begin(r->db, true) != 0) {
		fields_free(&f);
		problem_internal(r, "begin");
		return;
	}
	int in_use = -1;
	if (has_type) {
		static const char sql[] = "SELECT in_use FROM device_types WHERE deleted = 0 AND id = ?";
		sqlite3_stmt *st = legacy_prep(r->db, sql);
		if (!st) {
			fields_free(&f);
			goto internal;
		}
		sqlite3_bind_int64(st, 1, type_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			in_use = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (in_use < 0)
			fields_bad(&f, "device_type_id", "must be the id of a device type in the catalogue");
	}
	if (f.problem) {
		db_rollback(r->db);
		fields_reply(r, &f);
		return;
	}
	if (!in_use) {
		db_rollback(r->db);
		problem_set(r, 409, "device-type-not-in-use", "Device type not in use",
					"This device type is not in use in the organisation; switch it on under "
					"the home-care technology settings first.");
		return;
	}
	int64_t rev = db_next_rev(r->db);
	int64_t id = rev > 0 ? insert_registration(r, client_id, type_id, serial, start, end, 0, rev)
						 : 0;
	if (id <= 0 || audit_req(r, "hct_registration.create", "hct_registration", id, "ok", NULL) != 0 ||
		!reply_registration(r, id, 201))
		goto internal;
	if (db_commit(r->db) != 0)
		goto internal;
	feed_notify(rev);
	return;
internal:
	db_rollback(r->db);
	r->location[0] = '\0';
	problem_internal(r, "registration create");
}

void h_hct_registration_get(struct req *r)
{
	int64_t id;
	if (!registration_in_scope(r, "hct.client.view", &id))
		return;
	cJSON *o = registration_json(r, id);
	if (!o) {
		problem_internal(r, "registration");
		return;
	}
	int64_t order_id = 0;
	jx_int(o, "order_id", &order_id);
	cJSON *order = NULL;
	/* The order is shown to those who may see orders, like in the overview. */
	if (order_id > 0 && authz_may(r, "hct.order.view")) {
		order = order_json(r, order_id);
		if (!order) {
			cJSON_Delete(o);
			problem_internal(r, "registration order");
			return;
		}
	}
	cJSON_AddItemToObject(o, "order", order ? order : cJSON_CreateNull());
	if (audit_req(r, "hct_registration.read", "hct_registration", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}

void h_hct_registration_update(struct req *r)
{
	static const char *const allowed[] = {"end_date", NULL};
	int64_t id;
	if (!registration_in_scope(r, "hct.client.edit", &id) || !http_parse_object(r, allowed))
		return;
	if (db_begin(r->db, true) != 0) {
		problem_internal(r, "begin");
		return;
	}
	static const char cur[] = "SELECT start_date FROM hct_registrations WHERE id = ?";
	sqlite3_stmt *st = legacy_prep(r->db, cur);
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, 1, id);
	char start[16] = "";
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(start, sizeof start, "%s", db_col_text(st, 0));
	sqlite3_reset(st);
	struct fields f = {0};
	const char *end = check_end(&f, r->json, start, true);
	if (f.problem) {
		db_rollback(r->db);
		fields_reply(r, &f);
		return;
	}
	int64_t rev = db_next_rev(r->db);
	static const char upd[] = "UPDATE hct_registrations SET end_date = ?, rev = ? WHERE id = ?";
	st = rev > 0 ? legacy_prep(r->db, upd) : NULL;
	if (!st)
		goto internal;
	if (end)
		sqlite3_bind_text(st, 1, end, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_int64(st, 3, id);
	if (!step_done(st) ||
		audit_req(r, "hct_registration.update", "hct_registration", id, "ok",
				  end ? end : "end date cleared") != 0 ||
		!reply_registration(r, id, 200))
		goto internal;
	if (db_commit(r->db) != 0)
		goto internal;
	feed_notify(rev);
	return;
internal:
	db_rollback(r->db);
	problem_internal(r, "registration update");
}
