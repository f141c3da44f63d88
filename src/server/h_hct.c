/* A client's home-care technology (HCT) for staff: the overview, orders (place with an
 * Idempotency-Key, read, delete when declined, start use) and registrations (create, read,
 * end). Each handler decodes and checks its input, checks scope, runs one store operation
 * (store/q_hct.c: each write is one store_write with its revisions and audit) and
 * encodes the reply. The route table checks the task first. */
#include "audit.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/valid.h"
#include "fields.h"
#include "idempotent.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/q_clients.h"
#include "store/q_hct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answer a store outcome that is not STORE_OK (STORE_CONFLICT gets conflict, 409). */
static void answer_failure(struct req *r, int rc, void (*conflict)(struct req *r, void *ctx),
						   void *ctx, const char *what)
{
	if (rc == STORE_NOT_FOUND)
		problem_not_found(r);
	else if (rc == STORE_CONFLICT && conflict)
		conflict(r, ctx);
	else
		problem_internal(r, what);
}

/* ---- the overview ------------------------------------------------------------------- */

void h_client_hct(struct req *r)
{
	int64_t client_id;
	if (!authz_object(r, TASK_HCT_CLIENT_VIEW, q_client_location, &client_id))
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON *regs = cJSON_AddArrayToObject(o, "registrations");
	cJSON *orders = cJSON_AddArrayToObject(o, "orders");
	if (q_client_registrations(r->db, client_id, model_registration_add, regs) != STORE_OK ||
		(authz_may(r, TASK_HCT_ORDER_VIEW) &&
		 q_client_open_orders(r->db, client_id, model_order_add, orders) != STORE_OK) ||
		audit_req(r, "hct.read", "client", client_id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "client hct");
		return;
	}
	http_reply(r, 200, o);
}

/* ---- placing an order --------------------------------------------------------------- */

/* A decoded order body: the store's input plus the buffers it points into. */
struct order_body {
	struct order_new n;
	char postcode[8];
	char phone[16];
	char hash[65];
};

static const char *const delivery_address_members[] = {"street", "house_number",
													   "house_number_ext", "postcode", "city",
													   NULL};

/* Decode an alternative delivery address (members of dv) into b; problems go to f. */
static void decode_manual_address(struct fields *f, const cJSON *dv, struct order_body *b)
{
	b->n.street = jx_str(dv, "street");
	if (!b->n.street || !valid_text(b->n.street, 100, true))
		fields_bad(f, "delivery.street", "required: a street name of 1 to 100 characters");
	fields_int(f, dv, "house_number", "delivery.house_number", 1, 99999,
			   "required: a house number, a whole number from 1 to 99999", &b->n.house_number);
	b->n.house_number_ext = jx_str(dv, "house_number_ext");
	if (!b->n.house_number_ext || !valid_text(b->n.house_number_ext, 10, false))
		fields_bad(f, "delivery.house_number_ext",
				   "required: a house number addition of at most 10 characters (\"\" for none)");
	const char *pc = jx_str(dv, "postcode");
	if (!pc || !valid_postcode(pc, b->postcode))
		fields_bad(f, "delivery.postcode", "required: a Dutch postcode such as 1234 AB");
	b->n.postcode = b->postcode;
	b->n.city = jx_str(dv, "city");
	if (!b->n.city || !valid_text(b->n.city, 80, true))
		fields_bad(f, "delivery.city", "required: a city name of 1 to 80 characters");
}

/* Decode the delivery member: an address_id of the client or an alternative address. */
static void decode_delivery(struct fields *f, const cJSON *dv, struct order_body *b)
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
	if (has_address == has_manual) {
		fields_bad(f, "delivery",
				   has_address ? "give either address_id or an alternative address (street, "
								 "house_number, house_number_ext, postcode, city), not both"
							   : "required: address_id (an active address of the client), or "
								 "street, house_number, house_number_ext, postcode and city "
								 "for an alternative address");
		return;
	}
	b->n.client_home = has_address;
	if (has_address)
		fields_int(f, dv, "address_id", "delivery.address_id", 1, INT64_MAX / 2,
				   "must be the id of an active address of this client", &b->n.address_id);
	else
		decode_manual_address(f, dv, b);
}

/* Decode the orderer member (team, e-mail, phone); problems go to f. */
static void decode_orderer(struct fields *f, const cJSON *ov, struct order_body *b)
{
	if (!cJSON_IsObject(ov)) {
		fields_bad(f, "orderer", "required: an object with team_id, email and phone");
		return;
	}
	fields_int(f, ov, "team_id", "orderer.team_id", 1, INT64_MAX / 2,
			   "required: the id of a team", &b->n.team_id);
	b->n.email = jx_str(ov, "email");
	if (!b->n.email || !valid_email(b->n.email))
		fields_bad(f, "orderer.email", "required: an e-mail address such as wijkteam@example.nl");
	const char *phone = jx_str(ov, "phone");
	if (!phone || !valid_phone(phone, b->phone))
		fields_bad(f, "orderer.phone",
				   "required: a Dutch phone number such as 0612345678 or +31 592 301100");
	b->n.phone = b->phone;
}

/* Decode the Idempotency-Key and the body of a new order into b, reporting every invalid
 * field at once; false with the problem set when anything is wrong. */
static bool order_decode(struct req *r, struct order_body *b)
{
	static const char *const allowed[] = {"device_type_id", "delivery", "orderer", NULL};
	static const char *const delivery_allowed[] = {"address_id",       "street", "house_number",
												   "house_number_ext", "postcode", "city",
												   NULL};
	static const char *const orderer_allowed[] = {"team_id", "email", "phone", NULL};
	if (!(b->n.key = idem_req_key(r, "order")))
		return false;
	if (!http_parse_object(r, allowed))
		return false;
	const cJSON *dv = cJSON_GetObjectItemCaseSensitive(r->json, "delivery");
	const cJSON *ov = cJSON_GetObjectItemCaseSensitive(r->json, "orderer");
	if ((cJSON_IsObject(dv) && !fields_known(r, dv, "delivery", delivery_allowed)) ||
		(cJSON_IsObject(ov) && !fields_known(r, ov, "orderer", orderer_allowed)))
		return false;
	struct fields f = {0};
	fields_int(&f, r->json, "device_type_id", "device_type_id", 1, INT64_MAX / 2,
			   "required: the id of a device type", &b->n.device_type_id);
	decode_delivery(&f, dv, b);
	decode_orderer(&f, ov, b);
	idem_req_hash(r, b->hash);
	b->n.request_hash = b->hash;
	b->n.staff_id = r->who.staff_id;
	b->n.staff_name = r->who.name;
	return !fields_reply(r, &f);
}

/* The reply text of a new order (q_order_render). */
static char *render_order(const struct order_row *o, void *ctx)
{
	(void)ctx;
	cJSON *j = model_order(o);
	char *text = jx_print(j);
	cJSON_Delete(j);
	return text;
}

/* Answer a refused order: references that do not resolve, a reused key, ordering off. */
static void order_refused(struct req *r, int rc, const struct order_answer *a)
{
	if (rc == STORE_INVALID) {
		struct fields f = {0};
		if (a->bad & ORDER_BAD_DEVICE_TYPE)
			fields_bad(&f, "device_type_id", "must be the id of a device type in the catalogue");
		if (a->bad & ORDER_BAD_ADDRESS)
			fields_bad(&f, "delivery.address_id",
					   "must be the id of an active address of this client");
		if (a->bad & ORDER_BAD_TEAM)
			fields_bad(&f, "orderer.team_id", "required: the id of a team");
		if (a->bad & ORDER_BAD_TEAM_SCOPE)
			fields_bad(&f, "orderer.team_id", "must be a team within your scope");
		fields_reply(r, &f);
	} else if (rc == STORE_CONFLICT && a->reply.status == 422) {
		idem_reply_reused(r, "order");
	} else if (rc == STORE_CONFLICT) {
		problem_set(r, 409, "ordering-off", "Ordering is off",
					"This device type cannot be ordered: the organisation has not switched "
					"ordering on for it.");
	} else {
		problem_internal(r, "order create");
	}
}

void h_hct_order_create(struct req *r)
{
	struct order_body b = {0};
	if (!authz_object(r, TASK_HCT_ORDER_MANAGE, q_client_location, &b.n.client_id) ||
		!order_decode(r, &b))
		return;
	struct actor who = audit_actor_req(r);
	struct order_answer a = {0};
	int rc = q_order_create(r->db, &who, &b.n, render_order, NULL, &a);
	if (rc != STORE_OK && rc != STORE_REPLAY) {
		order_refused(r, rc, &a);
		return;
	}
	idem_send(r, &a.reply);
	q_idem_free(&a.reply);
}

/* ---- one order ---------------------------------------------------------------------- */

void h_hct_order_get(struct req *r)
{
	int64_t id;
	if (!authz_object(r, TASK_HCT_ORDER_VIEW, q_order_location, &id))
		return;
	cJSON *o = NULL;
	if (q_order_get(r->db, id, model_order_set, &o) != STORE_OK ||
		audit_req(r, "hct_order.read", "hct_order", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "order");
		return;
	}
	http_reply(r, 200, o);
}

/* Answer 409 order-state: only an order in state need (words) can take this step. */
static void wrong_state(struct req *r, void *ctx)
{
	const char *const *p = ctx; /* {need, status} */
	char detail[160];
	snprintf(detail, sizeof detail, "Only %s order can do this; this order is %s.", p[0], p[1]);
	problem_set(r, 409, "order-state", "Order in the wrong state", detail);
}

void h_hct_order_delete(struct req *r)
{
	int64_t id;
	if (!authz_object(r, TASK_HCT_ORDER_DELETE, q_order_location, &id))
		return;
	struct actor who = audit_actor_req(r);
	char status[12] = "";
	int rc = q_order_delete(r->db, &who, id, status);
	const char *words[] = {"a declined", status};
	if (rc == STORE_OK)
		http_no_content(r);
	else
		answer_failure(r, rc, wrong_state, words, "order delete");
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

/* Reply with registration id (201 with Location, or 200). */
static void reply_registration(struct req *r, int64_t id, int status)
{
	cJSON *o = NULL;
	if (q_registration_get(r->db, id, model_registration_set, &o) != STORE_OK) {
		cJSON_Delete(o);
		problem_internal(r, "registration read");
		return;
	}
	if (status == 201)
		snprintf(r->location, sizeof r->location, "/api/v1/hct-registrations/%lld",
				 (long long)id);
	http_reply(r, status, o);
}

void h_hct_order_start_use(struct req *r)
{
	static const char *const allowed[] = {"serial", "start_date", NULL};
	int64_t id;
	if (!authz_object(r, TASK_HCT_CLIENT_EDIT, q_order_location, &id) ||
		!http_parse_object(r, allowed))
		return;
	struct fields f = {0};
	const char *serial, *start;
	check_serial_start(&f, r->json, &serial, &start);
	if (fields_reply(r, &f))
		return;
	struct actor who = audit_actor_req(r);
	char status[12] = "";
	int64_t reg_id = 0;
	int rc = q_order_start_use(r->db, &who, id, serial, start, &reg_id, status);
	const char *words[] = {"an accepted", status};
	if (rc == STORE_OK)
		reply_registration(r, reg_id, 201);
	else
		answer_failure(r, rc, wrong_state, words, "start use");
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

/* Answer 409: the device type is not in use. */
static void type_not_in_use(struct req *r, void *ctx)
{
	(void)ctx;
	problem_set(r, 409, "device-type-not-in-use", "Device type not in use",
				"This device type is not in use in the organisation; switch it on under "
				"the home-care technology settings first.");
}

void h_hct_registration_create(struct req *r)
{
	static const char *const allowed[] = {"device_type_id", "serial", "start_date", "end_date",
										  NULL};
	struct registration_new n = {0};
	if (!authz_object(r, TASK_HCT_CLIENT_EDIT, q_client_location, &n.client_id) ||
		!http_parse_object(r, allowed))
		return;
	struct fields f = {0};
	fields_int(&f, r->json, "device_type_id", "device_type_id", 1, INT64_MAX / 2,
			   "required: the id of a device type", &n.device_type_id);
	check_serial_start(&f, r->json, &n.serial, &n.start_date);
	n.end_date = check_end(&f, r->json, n.start_date, false);
	if (fields_reply(r, &f))
		return;
	struct actor who = audit_actor_req(r);
	int64_t id = 0;
	int rc = q_registration_create(r->db, &who, &n, &id);
	if (rc == STORE_OK) {
		reply_registration(r, id, 201);
	} else if (rc == STORE_INVALID) {
		fields_bad(&f, "device_type_id", "must be the id of a device type in the catalogue");
		fields_reply(r, &f);
	} else {
		answer_failure(r, rc, type_not_in_use, NULL, "registration create");
	}
}

void h_hct_registration_get(struct req *r)
{
	int64_t id;
	if (!authz_object(r, TASK_HCT_CLIENT_VIEW, q_registration_location, &id))
		return;
	cJSON *o = NULL, *order = NULL;
	int rc = q_registration_get(r->db, id, model_registration_set, &o);
	int64_t order_id = 0;
	if (rc == STORE_OK)
		jx_int(o, "order_id", &order_id);
	/* The order is shown to those who may see orders, like in the overview. */
	if (rc == STORE_OK && order_id > 0 && authz_may(r, TASK_HCT_ORDER_VIEW))
		rc = q_order_get(r->db, order_id, model_order_set, &order);
	if (rc == STORE_OK) {
		cJSON_AddItemToObject(o, "order", order ? order : cJSON_CreateNull());
		order = NULL;
	}
	if (rc != STORE_OK ||
		audit_req(r, "hct_registration.read", "hct_registration", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		cJSON_Delete(order);
		problem_internal(r, "registration");
		return;
	}
	http_reply(r, 200, o);
}

void h_hct_registration_update(struct req *r)
{
	static const char *const allowed[] = {"end_date", NULL};
	int64_t id;
	if (!authz_object(r, TASK_HCT_CLIENT_EDIT, q_registration_location, &id) ||
		!http_parse_object(r, allowed))
		return;
	char start[16];
	if (q_registration_start(r->db, id, start) == STORE_ERROR) {
		problem_internal(r, "registration");
		return;
	}
	struct fields f = {0};
	const char *end = check_end(&f, r->json, start, true);
	if (fields_reply(r, &f))
		return;
	struct actor who = audit_actor_req(r);
	int rc = q_registration_set_end(r->db, &who, id, end);
	if (rc == STORE_OK)
		reply_registration(r, id, 200);
	else
		answer_failure(r, rc, NULL, NULL, "registration update");
}
