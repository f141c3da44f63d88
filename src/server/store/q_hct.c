/* Device types, orders and registrations: reads and the writes, each one store_write. */
#include "q_hct.h"

#include "common/alloc.h"
#include "q_idempotency.h"
#include "q_rows.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- reading rows (shared with the feed, q_changes.c) ------------------------------- */

void q_read_device_type(struct stmt *st, int c, struct device_type_row *d)
{
	*d = (struct device_type_row){
		.id = stmt_col_int(st, c),
		.name = stmt_col_text(st, c + 1),
		.product_code = stmt_col_text(st, c + 2),
		.supplier_id = stmt_col_int(st, c + 3),
		.supplier_name = stmt_col_text(st, c + 4),
		.supplier_connector = stmt_col_text(st, c + 5),
		.in_use = stmt_col_int(st, c + 6) != 0,
		.ordering = stmt_col_int(st, c + 7) != 0,
	};
}

void q_read_order(struct stmt *st, int c, struct order_row *o)
{
	*o = (struct order_row){
		.id = stmt_col_int(st, c),
		.uuid = stmt_col_text(st, c + 1),
		.client_id = stmt_col_int(st, c + 2),
		.device_type_id = stmt_col_int(st, c + 3),
		.device_type_name = stmt_col_text(st, c + 4),
		.supplier_name = stmt_col_text(st, c + 5),
		.status = stmt_col_text(st, c + 6),
		.created_at = stmt_col_int(st, c + 7),
		.updated_at = stmt_col_int(st, c + 8),
		.fetched_at = stmt_col_int(st, c + 9),
		.accepted_at = stmt_col_int(st, c + 10),
		.declined_at = stmt_col_int(st, c + 11),
		.completed_at = stmt_col_int(st, c + 12),
		.delivery_type = stmt_col_text(st, c + 13),
		.address_id = stmt_col_int(st, c + 14),
		.street = stmt_col_text(st, c + 15),
		.house_number = stmt_col_int(st, c + 16),
		.house_number_ext = stmt_col_text(st, c + 17),
		.postcode = stmt_col_text(st, c + 18),
		.city = stmt_col_text(st, c + 19),
		.orderer_staff_id = stmt_col_int(st, c + 20),
		.orderer_name = stmt_col_text(st, c + 21),
		.team_id = stmt_col_int(st, c + 22),
		.team_name = stmt_col_text(st, c + 23),
		.orderer_email = stmt_col_text(st, c + 24),
		.orderer_phone = stmt_col_text(st, c + 25),
		.order_number = stmt_col_text(st, c + 26),
		.supplier_note = stmt_col_text(st, c + 27),
		.tracking_url = stmt_col_text(st, c + 28),
		.device_identification_number = stmt_col_text(st, c + 29),
		.registration_id = stmt_col_int(st, c + 30),
	};
}

void q_read_registration(struct stmt *st, int c, struct registration_row *g)
{
	*g = (struct registration_row){
		.id = stmt_col_int(st, c),
		.client_id = stmt_col_int(st, c + 1),
		.device_type_id = stmt_col_int(st, c + 2),
		.device_type_name = stmt_col_text(st, c + 3),
		.serial = stmt_col_text(st, c + 4),
		.start_date = stmt_col_text(st, c + 5),
		.end_date = stmt_col_text(st, c + 6),
		.order_id = stmt_col_int(st, c + 7),
	};
}

Q_DEFINE_EACH(each_device_type, struct device_type_row, q_device_type_fn, q_read_device_type)

Q_DEFINE_EACH(each_order, struct order_row, q_order_fn, q_read_order)

Q_DEFINE_EACH(each_registration, struct registration_row, q_registration_fn,
			  q_read_registration)

int q_device_types_list(struct db *db, q_device_type_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " DEVICE_TYPE_COLS " FROM " DEVICE_TYPE_FROM
							  " WHERE d.deleted = 0 ORDER BY d.name, d.id";
	struct stmt *st = db_prep(db, sql);
	return st ? each_device_type(st, false, fn, ctx) : STORE_ERROR;
}

int q_device_type_get(struct db *db, int64_t id, q_device_type_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " DEVICE_TYPE_COLS " FROM " DEVICE_TYPE_FROM
							  " WHERE d.deleted = 0 AND d.id = $1";
	Q_GET_BY_ID(db, sql, id, each_device_type, fn, ctx);
}

int q_client_registrations(struct db *db, int64_t client_id, q_registration_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " REGISTRATION_COLS " FROM " REGISTRATION_FROM
		" WHERE rg.client_id = $1 AND rg.deleted = 0 ORDER BY rg.start_date DESC, rg.id DESC";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, client_id);
	return each_registration(st, false, fn, ctx);
}

int q_client_open_orders(struct db *db, int64_t client_id, q_order_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " ORDER_COLS " FROM " ORDER_FROM
		" WHERE o.client_id = $1 AND o.deleted = 0 AND o.status <> 'COMPLETED'"
		" ORDER BY o.created_at DESC, o.id DESC";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, client_id);
	return each_order(st, false, fn, ctx);
}

int q_order_get(struct db *db, int64_t id, q_order_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " ORDER_COLS " FROM " ORDER_FROM " WHERE o.id = $1";
	Q_GET_BY_ID(db, sql, id, each_order, fn, ctx);
}

int q_registration_get(struct db *db, int64_t id, q_registration_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " REGISTRATION_COLS " FROM " REGISTRATION_FROM " WHERE rg.id = $1";
	Q_GET_BY_ID(db, sql, id, each_registration, fn, ctx);
}

/* Run a one-integer look-up of id; STORE_NOT_FOUND when it gives no positive value. */
static int location_of(struct db *db, const char *sql, int64_t id, int64_t *location)
{
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	if (!stmt_one_int(st, 0, location))
		return STORE_ERROR;
	return *location > 0 ? STORE_OK : STORE_NOT_FOUND;
}

int q_order_location(struct db *db, int64_t id, int64_t *location)
{
	static const char sql[] =
		"SELECT c.location_id FROM hct_orders o JOIN clients c ON c.id = o.client_id"
		" WHERE o.id = $1 AND o.deleted = 0 AND c.deleted = 0";
	return location_of(db, sql, id, location);
}

int q_registration_location(struct db *db, int64_t id, int64_t *location)
{
	static const char sql[] =
		"SELECT c.location_id FROM hct_registrations g JOIN clients c ON c.id = g.client_id"
		" WHERE g.id = $1 AND g.deleted = 0 AND c.deleted = 0";
	return location_of(db, sql, id, location);
}

/* ---- device-type settings ----------------------------------------------------------- */

/* store_write operation of q_device_type_update. */
static int device_type_update_op(struct store_write *w, void *arg)
{
	const struct device_type_change *c = arg;
	static const char cur_sql[] =
		"SELECT in_use, ordering, supplier_id FROM device_types WHERE deleted = 0 AND id = $1";
	struct stmt *st = db_prep(w->db, cur_sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, c->id);
	enum store_step rc = stmt_step(st);
	bool in_use = false, ordering = false, has_supplier = false;
	if (rc == STORE_STEP_ROW) {
		in_use = stmt_col_int(st, 0) != 0;
		ordering = stmt_col_int(st, 1) != 0;
		has_supplier = !stmt_col_null(st, 2);
	}
	int found = stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
	if (found != STORE_OK)
		return found;
	if (c->set_in_use)
		in_use = c->in_use;
	if (c->set_ordering)
		ordering = c->ordering;
	/* Ordering needs the type in use; taking it out of use switches ordering off. */
	if (c->set_ordering && c->ordering)
		in_use = true;
	if (c->set_in_use && !c->in_use)
		ordering = false;
	if (ordering && !has_supplier)
		return STORE_CONFLICT;
	int64_t rev = store_write_rev(w);
	static const char upd[] =
		"UPDATE device_types SET in_use = $1, ordering = $2, rev = $3 WHERE id = $4";
	st = rev > 0 ? db_prep(w->db, upd) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, in_use);
	stmt_int(st, 2, ordering);
	stmt_int(st, 3, rev);
	stmt_int(st, 4, c->id);
	if (!stmt_done(st))
		return STORE_ERROR;
	char detail[64];
	snprintf(detail, sizeof detail, "in_use=%d ordering=%d", in_use, ordering);
	store_write_audit(w, "device_type.update", "device_type", c->id, detail);
	return STORE_OK;
}

int q_device_type_update(struct db *db, const struct actor *actor,
						 const struct device_type_change *c)
{
	return store_write(db, actor, device_type_update_op, (void *)c);
}

/* ---- orders ------------------------------------------------------------------------- */


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

/* The answer names the order again: audit it as such (the id ends the Location). */
static void audit_replay(struct store_write *w, const struct order_new *n,
						 struct order_answer *a)
{
	const char *slash = a->reply.location ? strrchr(a->reply.location, '/') : NULL;
	int64_t prev_id = slash ? strtoll(slash + 1, NULL, 10) : 0;
	store_write_audit(w, "hct_order.create", "hct_order", prev_id, n->key);
	w->outcome = "replayed";
}

/* What the references of a new order resolve to, inside the write. */
struct order_refs {
	bool orderable;
	int64_t supplier_id;
	char *team_name;
	struct address_row addr; /* client_home: the address as stored (strings owned) */
};

static void copy_address(const struct address_row *a, void *ctx)
{
	struct address_row *out = ctx;
	*out = *a;
	out->street = xstrdup(a->street);
	out->house_number_ext = xstrdup(a->house_number_ext ? a->house_number_ext : "");
	out->postcode = xstrdup(a->postcode ? a->postcode : "");
	out->city = xstrdup(a->city);
}

static void order_refs_free(struct order_refs *f)
{
	free(f->team_name);
	free((char *)f->addr.street);
	free((char *)f->addr.house_number_ext);
	free((char *)f->addr.postcode);
	free((char *)f->addr.city);
}

/* Resolve device type, address and team of n into f; a->bad gets the bits of those that
 * do not resolve. STORE_OK or STORE_ERROR. */
static int order_resolve(struct db *db, const struct order_new *n, struct order_refs *f,
						 struct order_answer *a)
{
	static const char type_sql[] =
		"SELECT in_use, ordering, supplier_id FROM device_types WHERE deleted = 0 AND id = $1";
	struct stmt *st = db_prep(db, type_sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, n->device_type_id);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		f->supplier_id = stmt_col_int(st, 2);
		f->orderable = stmt_col_int(st, 0) != 0 && stmt_col_int(st, 1) != 0 && f->supplier_id > 0;
	} else if (rc == STORE_STEP_DONE) {
		a->bad |= ORDER_BAD_DEVICE_TYPE;
	}
	stmt_reset(st);
	if (rc == STORE_STEP_ERROR)
		return STORE_ERROR;
	if (n->client_home) {
		int found = q_client_address(db, n->client_id, n->address_id, copy_address, &f->addr);
		if (found == STORE_ERROR)
			return STORE_ERROR;
		if (found == STORE_NOT_FOUND)
			a->bad |= ORDER_BAD_ADDRESS;
	}
	int64_t team_location = 0;
	int team = q_team_name(db, n->team_id, &f->team_name, &team_location);
	if (team == STORE_ERROR)
		return STORE_ERROR;
	if (team == STORE_NOT_FOUND)
		a->bad |= ORDER_BAD_TEAM;
	else if (!q_scope_has(db, n->staff_id, team_location))
		a->bad |= ORDER_BAD_TEAM_SCOPE;
	return STORE_OK;
}

/* Insert the order row of n; its id, or 0 on an error. */
static int64_t order_insert(struct store_write *w, const struct order_new *n,
							const struct order_refs *f)
{
	static const char ins[] =
		"INSERT INTO hct_orders (uuid, client_id, device_type_id, supplier_id, status,"
		" created_at, updated_at, delivery_type, address_id, street, house_number,"
		" house_number_ext, postcode, city, orderer_staff_id, orderer_name, team_id,"
		" team_name, orderer_email, orderer_phone, rev)"
		" VALUES ($1, $2, $3, $4, 'OPEN', $5, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
		" $15, $16, $17, $18, $19) RETURNING id";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, ins) : NULL;
	if (!st)
		return 0;
	char uuid[37];
	new_uuid(uuid);
	bool home = n->client_home;
	stmt_text(st, 1, uuid);
	stmt_int(st, 2, n->client_id);
	stmt_int(st, 3, n->device_type_id);
	stmt_int(st, 4, f->supplier_id);
	stmt_int(st, 5, (int64_t)time(NULL));
	stmt_text(st, 6, home ? "CLIENT_HOME" : "MANUAL");
	if (home)
		stmt_int(st, 7, n->address_id);
	else
		stmt_null(st, 7);
	stmt_text(st, 8, home ? f->addr.street : n->street);
	stmt_int(st, 9, home ? f->addr.house_number : n->house_number);
	stmt_text(st, 10, home ? f->addr.house_number_ext : n->house_number_ext);
	stmt_text(st, 11, home ? f->addr.postcode : n->postcode);
	stmt_text(st, 12, home ? f->addr.city : n->city);
	stmt_int(st, 13, n->staff_id);
	stmt_text(st, 14, n->staff_name);
	stmt_int(st, 15, n->team_id);
	stmt_text(st, 16, f->team_name);
	stmt_text(st, 17, n->email);
	stmt_text(st, 18, n->phone);
	stmt_int(st, 19, rev);
	int64_t id = 0;
	return stmt_one_int(st, 0, &id) ? id : 0;
}

struct order_create_arg {
	const struct order_new *n;
	q_order_render render;
	void *ctx;
	struct order_answer *a;
};

/* Render order id through the caller's render into a->response. */
static void render_into(const struct order_row *o, void *ctx)
{
	struct order_create_arg *arg = ctx;
	arg->a->reply.response = arg->render(o, arg->ctx);
}

/* store_write operation of q_order_create. The key is looked up under the write lock: a
 * concurrent twin waits, then finds it. */
static int order_create_op(struct store_write *w, void *p)
{
	struct order_create_arg *arg = p;
	struct idem_key k = IDEM_KEY_OF(arg->n);
	int rc = q_idem_check(w->db, &k, &arg->a->reply);
	if (rc == STORE_REPLAY)
		audit_replay(w, arg->n, arg->a);
	if (rc != STORE_OK)
		return rc == STORE_REPLAY ? STORE_OK : rc;
	struct order_refs f = {0};
	rc = order_resolve(w->db, arg->n, &f, arg->a);
	if (rc == STORE_OK && arg->a->bad)
		rc = STORE_INVALID;
	else if (rc == STORE_OK && !f.orderable) {
		arg->a->reply.status = 409;
		rc = STORE_CONFLICT;
	}
	int64_t id = rc == STORE_OK ? order_insert(w, arg->n, &f) : 0;
	order_refs_free(&f);
	if (rc != STORE_OK)
		return rc;
	if (id <= 0 || q_order_get(w->db, id, render_into, arg) != STORE_OK ||
		!arg->a->reply.response ||
		!q_idem_created(w->db, &k, &arg->a->reply, "/api/v1/hct-orders", id))
		return STORE_ERROR;
	store_write_audit(w, "hct_order.create", "hct_order", id, NULL);
	return STORE_OK;
}

int q_order_create(struct db *db, const struct actor *actor, const struct order_new *n,
				   q_order_render render, void *ctx, struct order_answer *a)
{
	struct order_create_arg arg = {n, render, ctx, a};
	return q_idem_write(db, actor, order_create_op, &arg, &a->reply);
}

/* Check inside the write that order id is in status want; STORE_NOT_FOUND, STORE_CONFLICT
 * (status copied), or STORE_OK with its client and device type. */
static int order_in_state(struct db *db, int64_t id, const char *want, char status[12],
						  int64_t *client_id, int64_t *type_id)
{
	static const char sql[] =
		"SELECT status, client_id, device_type_id FROM hct_orders WHERE id = $1 AND deleted = 0";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		snprintf(status, 12, "%s", stmt_col_text(st, 0));
		*client_id = stmt_col_int(st, 1);
		*type_id = stmt_col_int(st, 2);
	}
	int found = stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
	if (found != STORE_OK)
		return found;
	return strcmp(status, want) == 0 ? STORE_OK : STORE_CONFLICT;
}

struct order_step_arg {
	int64_t id;
	char *status;
	const char *serial, *start;
	int64_t reg_id;
};

static int order_delete_op(struct store_write *w, void *p)
{
	struct order_step_arg *arg = p;
	int64_t client_id, type_id;
	int rc = order_in_state(w->db, arg->id, "DECLINED", arg->status, &client_id, &type_id);
	if (rc != STORE_OK)
		return rc;
	static const char sql[] =
		"UPDATE hct_orders SET deleted = 1, updated_at = $1, rev = $2 WHERE id = $3";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, (int64_t)time(NULL));
	stmt_int(st, 2, rev);
	stmt_int(st, 3, arg->id);
	if (!stmt_done(st))
		return STORE_ERROR;
	store_write_audit(w, "hct_order.delete", "hct_order", arg->id, NULL);
	return STORE_OK;
}

int q_order_delete(struct db *db, const struct actor *actor, int64_t id, char status[12])
{
	struct order_step_arg arg = {.id = id, .status = status};
	return store_write(db, actor, order_delete_op, &arg);
}

/* Insert a registration in the open write with a new revision; its id, or 0. */
static int64_t registration_insert(struct store_write *w, const struct registration_new *n,
								   int64_t order_id)
{
	static const char sql[] =
		"INSERT INTO hct_registrations (client_id, device_type_id, serial, start_date,"
		" end_date, order_id, rev) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return 0;
	stmt_int(st, 1, n->client_id);
	stmt_int(st, 2, n->device_type_id);
	stmt_text(st, 3, n->serial);
	stmt_text(st, 4, n->start_date);
	stmt_text(st, 5, n->end_date);
	if (order_id > 0)
		stmt_int(st, 6, order_id);
	else
		stmt_null(st, 6);
	stmt_int(st, 7, rev);
	int64_t id = 0;
	return stmt_one_int(st, 0, &id) ? id : 0;
}

static int order_start_use_op(struct store_write *w, void *p)
{
	struct order_step_arg *arg = p;
	struct registration_new n = {.serial = arg->serial, .start_date = arg->start};
	int rc = order_in_state(w->db, arg->id, "ACCEPTED", arg->status, &n.client_id,
							&n.device_type_id);
	if (rc != STORE_OK)
		return rc;
	arg->reg_id = registration_insert(w, &n, arg->id);
	static const char sql[] =
		"UPDATE hct_orders SET status = 'COMPLETED', completed_at = $1, updated_at = $1,"
		" rev = $2 WHERE id = $3";
	int64_t rev = arg->reg_id > 0 ? store_write_rev(w) : -1;
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, (int64_t)time(NULL));
	stmt_int(st, 2, rev);
	stmt_int(st, 3, arg->id);
	if (!stmt_done(st))
		return STORE_ERROR;
	char detail[48];
	snprintf(detail, sizeof detail, "registration %lld", (long long)arg->reg_id);
	store_write_audit(w, "hct_order.start_use", "hct_order", arg->id, detail);
	return STORE_OK;
}

int q_order_start_use(struct db *db, const struct actor *actor, int64_t id, const char *serial,
					  const char *start, int64_t *reg_id, char status[12])
{
	struct order_step_arg arg = {.id = id, .status = status, .serial = serial, .start = start};
	int rc = store_write(db, actor, order_start_use_op, &arg);
	*reg_id = rc == STORE_OK ? arg.reg_id : 0;
	return rc;
}

/* ---- registrations ------------------------------------------------------------------ */

struct registration_arg {
	const struct registration_new *n;
	int64_t id;
	const char *end;
};

static int registration_create_op(struct store_write *w, void *p)
{
	struct registration_arg *arg = p;
	static const char sql[] = "SELECT in_use FROM device_types WHERE deleted = 0 AND id = $1";
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, arg->n->device_type_id);
	int64_t in_use = -1;
	if (!stmt_one_int(st, -1, &in_use))
		return STORE_ERROR;
	if (in_use < 0)
		return STORE_INVALID;
	if (in_use == 0)
		return STORE_CONFLICT;
	arg->id = registration_insert(w, arg->n, 0);
	if (arg->id <= 0)
		return STORE_ERROR;
	store_write_audit(w, "hct_registration.create", "hct_registration", arg->id, NULL);
	return STORE_OK;
}

int q_registration_create(struct db *db, const struct actor *actor,
						  const struct registration_new *n, int64_t *id)
{
	struct registration_arg arg = {.n = n};
	int rc = store_write(db, actor, registration_create_op, &arg);
	*id = rc == STORE_OK ? arg.id : 0;
	return rc;
}

int q_registration_start(struct db *db, int64_t id, char start[16])
{
	static const char sql[] = "SELECT start_date FROM hct_registrations WHERE id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc = stmt_step(st);
	start[0] = '\0';
	if (rc == STORE_STEP_ROW && stmt_col_text(st, 0))
		snprintf(start, 16, "%s", stmt_col_text(st, 0));
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

static int registration_end_op(struct store_write *w, void *p)
{
	struct registration_arg *arg = p;
	static const char sql[] = "UPDATE hct_registrations SET end_date = $1, rev = $2 WHERE id = $3";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, arg->end);
	stmt_int(st, 2, rev);
	stmt_int(st, 3, arg->id);
	if (!stmt_done(st))
		return STORE_ERROR;
	store_write_audit(w, "hct_registration.update", "hct_registration", arg->id,
					  arg->end ? arg->end : "end date cleared");
	return STORE_OK;
}

int q_registration_set_end(struct db *db, const struct actor *actor, int64_t id,
						   const char *end)
{
	struct registration_arg arg = {.id = id, .end = end};
	return store_write(db, actor, registration_end_op, &arg);
}
