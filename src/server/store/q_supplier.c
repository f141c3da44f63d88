/* The supplier API's queries and writes. */
#include "q_supplier.h"

#include "common/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SUPPLIER_ORDER_COLS                                                                 \
	"o.id, o.uuid, o.created_at, o.updated_at, d.product_code, o.deleted, c.name,"          \
	" o.client_id, o.street, o.house_number, o.house_number_ext, o.postcode, o.city,"       \
	" o.delivery_type, o.orderer_name, o.orderer_email, o.orderer_phone, o.team_name,"      \
	" o.team_id, o.orderer_staff_id, o.status, o.accepted_at, o.declined_at,"               \
	" o.completed_at, o.device_identification_number, o.order_number, o.supplier_note,"    \
	" o.tracking_url"
#define SUPPLIER_ORDER_FROM                                                                 \
	"hct_orders o JOIN device_types d ON d.id = o.device_type_id"                           \
	" JOIN clients c ON c.id = o.client_id"

/* The row of SUPPLIER_ORDER_COLS (28 columns). */
static void read_order(struct stmt *st, struct supplier_order_row *o)
{
	*o = (struct supplier_order_row){
		.id = stmt_col_int(st, 0),
		.uuid = stmt_col_text(st, 1),
		.created_at = stmt_col_int(st, 2),
		.updated_at = stmt_col_int(st, 3),
		.product_code = stmt_col_text(st, 4),
		.removed = stmt_col_int(st, 5) != 0,
		.client_name = stmt_col_text(st, 6),
		.client_id = stmt_col_int(st, 7),
		.street = stmt_col_text(st, 8),
		.house_number = stmt_col_int(st, 9),
		.house_number_ext = stmt_col_text(st, 10),
		.postcode = stmt_col_text(st, 11),
		.city = stmt_col_text(st, 12),
		.delivery_type = stmt_col_text(st, 13),
		.orderer_name = stmt_col_text(st, 14),
		.orderer_email = stmt_col_text(st, 15),
		.orderer_phone = stmt_col_text(st, 16),
		.team_name = stmt_col_text(st, 17),
		.team_id = stmt_col_int(st, 18),
		.orderer_staff_id = stmt_col_int(st, 19),
		.status = stmt_col_text(st, 20),
		.accepted_at = stmt_col_int(st, 21),
		.declined_at = stmt_col_int(st, 22),
		.completed_at = stmt_col_int(st, 23),
		.device_identification_number = stmt_col_text(st, 24),
		.order_number = stmt_col_text(st, 25),
		.supplier_note = stmt_col_text(st, 26),
		.tracking_url = stmt_col_text(st, 27),
	};
}

/* Record the first fetch of order id (when not fetched and not removed yet) with a new
 * revision. */
static bool mark_fetched(struct store_write *w, int64_t id)
{
	static const char sql[] =
		"UPDATE hct_orders SET fetched_at = $1, rev = $2"
		" WHERE id = $3 AND fetched_at IS NULL AND deleted = 0";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return false;
	stmt_int(st, 1, (int64_t)time(NULL));
	stmt_int(st, 2, rev);
	stmt_int(st, 3, id);
	return stmt_done(st);
}

/* True when code is one of q's product codes (or q has none). */
static bool code_wanted(const struct supplier_order_query *q, const char *code)
{
	if (!q->codes)
		return true;
	for (size_t i = 0; i < q->ncodes; i++)
		if (code && strcmp(q->codes[i], code) == 0)
			return true;
	return false;
}

struct orders_arg {
	const struct supplier_order_query *q;
	q_supplier_order_fn fn;
	void *ctx;
	int64_t *ids, *fresh;
	size_t n, nfresh, cap;
};

/* Step the list query: hand rows to the visitor, remember ids and unfetched ids. */
static bool orders_collect(struct store_write *w, struct orders_arg *a)
{
	static const char sql[] =
		"SELECT " SUPPLIER_ORDER_COLS ", CASE WHEN o.fetched_at IS NULL AND o.deleted = 0"
		" THEN 1 ELSE 0 END FROM " SUPPLIER_ORDER_FROM " WHERE o.supplier_id = $1"
		" AND ($2 & CASE o.status WHEN 'OPEN' THEN 1 WHEN 'DECLINED' THEN 2"
		"      WHEN 'ACCEPTED' THEN 4 ELSE 8 END) <> 0"
		" ORDER BY o.id";
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return false;
	stmt_int(st, 1, a->q->supplier_id);
	stmt_int(st, 2, a->q->mask);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		struct supplier_order_row o;
		read_order(st, &o);
		if (!code_wanted(a->q, o.product_code))
			continue;
		if (a->n == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 32;
			a->ids = xrealloc(a->ids, a->cap * sizeof *a->ids);
			a->fresh = xrealloc(a->fresh, a->cap * sizeof *a->fresh);
		}
		a->ids[a->n++] = o.id;
		if (stmt_col_int(st, 28))
			a->fresh[a->nfresh++] = o.id;
		a->fn(&o, a->ctx);
	}
	return stmt_finish(st, rc, false, 0) == STORE_OK;
}

static int orders_op(struct store_write *w, void *arg)
{
	struct orders_arg *a = arg;
	if (!orders_collect(w, a))
		return STORE_ERROR;
	for (size_t i = 0; i < a->nfresh; i++)
		if (!mark_fetched(w, a->fresh[i]))
			return STORE_ERROR;
	struct buf b = {0};
	buf_printf(&b, "%zu hct_order%s", a->n, a->n ? ":" : "");
	for (size_t i = 0; i < a->n; i++)
		buf_printf(&b, "%s%lld", i ? "," : " ", (long long)a->ids[i]);
	store_write_audit(w, "supplier.order.list", a->n ? "hct_order" : NULL, 0, b.data);
	buf_free(&b);
	return STORE_OK;
}

int q_supplier_orders(struct db *db, const struct actor *actor,
					  const struct supplier_order_query *q, q_supplier_order_fn fn, void *ctx)
{
	struct orders_arg a = {.q = q, .fn = fn, .ctx = ctx};
	int rc = store_write(db, actor, orders_op, &a);
	free(a.ids);
	free(a.fresh);
	return rc;
}

/* Resolve ref inside the write: STORE_OK with *id, status[12] and *removed, or
 * STORE_NOT_FOUND / STORE_ERROR. */
static int order_find(struct db *db, const struct supplier_ref *ref, int64_t *id,
					  char status[12], bool *removed)
{
	static const char sql[] =
		"SELECT id, status, deleted FROM hct_orders WHERE supplier_id = $1"
		" AND (id = $2 OR uuid = lower(CAST($3 AS TEXT)))";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, ref->supplier_id);
	stmt_int(st, 2, ref->id);
	stmt_text(st, 3, ref->uuid);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		*id = stmt_col_int(st, 0);
		snprintf(status, 12, "%s", stmt_col_text(st, 1));
		*removed = stmt_col_int(st, 2) != 0;
	}
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

struct read_arg {
	const struct supplier_ref *ref;
	q_supplier_order_fn fn;
	void *ctx;
	const struct supplier_status *s;
	int64_t id;
	char *state;
};

static int order_read_op(struct store_write *w, void *arg)
{
	struct read_arg *a = arg;
	char status[12];
	bool removed = false;
	int rc = order_find(w->db, a->ref, &a->id, status, &removed);
	if (rc != STORE_OK)
		return rc;
	if (!mark_fetched(w, a->id))
		return STORE_ERROR;
	static const char sql[] =
		"SELECT " SUPPLIER_ORDER_COLS " FROM " SUPPLIER_ORDER_FROM " WHERE o.id = $1";
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, a->id);
	enum store_step step = stmt_step(st);
	if (step == STORE_STEP_ROW) {
		struct supplier_order_row o;
		read_order(st, &o);
		a->fn(&o, a->ctx);
	}
	rc = stmt_finish(st, step, true, step == STORE_STEP_ROW);
	if (rc != STORE_OK)
		return STORE_ERROR; /* found a moment ago */
	store_write_audit(w, "supplier.order.read", "hct_order", a->id, NULL);
	return STORE_OK;
}

int q_supplier_order_read(struct db *db, const struct actor *actor,
						  const struct supplier_ref *ref, q_supplier_order_fn fn, void *ctx)
{
	struct read_arg a = {.ref = ref, .fn = fn, .ctx = ctx};
	return store_write(db, actor, order_read_op, &a);
}

static int order_status_op(struct store_write *w, void *arg)
{
	struct read_arg *a = arg;
	bool removed = false;
	int rc = order_find(w->db, a->ref, &a->id, a->state, &removed);
	if (rc != STORE_OK)
		return rc;
	if (removed || strcmp(a->state, "OPEN") != 0) {
		if (removed)
			snprintf(a->state, 12, "removed");
		return STORE_CONFLICT;
	}
	static const char sql[] =
		"UPDATE hct_orders SET status = $1,"
		" accepted_at = CASE WHEN $1 = 'ACCEPTED' THEN $2 ELSE accepted_at END,"
		" declined_at = CASE WHEN $1 = 'DECLINED' THEN $2 ELSE declined_at END,"
		" updated_at = $2, fetched_at = COALESCE(fetched_at, $2),"
		" device_identification_number = COALESCE($3, device_identification_number),"
		" order_number = COALESCE($4, order_number),"
		" supplier_note = COALESCE($5, supplier_note),"
		" tracking_url = COALESCE($6, tracking_url), rev = $7 WHERE id = $8";
	const char *to = a->s->accepted ? "ACCEPTED" : "DECLINED";
	int64_t rev = store_write_rev(w);
	struct stmt *st = rev > 0 ? db_prep(w->db, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, to);
	stmt_int(st, 2, (int64_t)time(NULL));
	stmt_text(st, 3, a->s->device_identification_number);
	stmt_text(st, 4, a->s->order_number);
	stmt_text(st, 5, a->s->supplier_note);
	stmt_text(st, 6, a->s->tracking_url);
	stmt_int(st, 7, rev);
	stmt_int(st, 8, a->id);
	if (!stmt_done(st))
		return STORE_ERROR;
	store_write_audit(w, "supplier.order.status", "hct_order", a->id, to);
	return STORE_OK;
}

int q_supplier_order_status(struct db *db, const struct actor *actor,
							const struct supplier_ref *ref, const struct supplier_status *s,
							int64_t *id, char state[12])
{
	struct read_arg a = {.ref = ref, .s = s, .state = state};
	state[0] = '\0';
	int rc = store_write(db, actor, order_status_op, &a);
	*id = a.id;
	return rc;
}

int q_supplier_client(struct db *db, int64_t supplier_id, int64_t id,
					  void (*fn)(const struct supplier_client_row *c, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT c.id, c.name, c.birth_date FROM clients c WHERE c.id = $1 AND c.deleted = 0"
		" AND EXISTS (SELECT 1 FROM hct_orders o WHERE o.client_id = c.id"
		" AND o.supplier_id = $2 AND o.deleted = 0)";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	stmt_int(st, 2, supplier_id);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		struct supplier_client_row c = {
			.id = stmt_col_int(st, 0),
			.name = stmt_col_text(st, 1),
			.birth_date = stmt_col_text(st, 2),
		};
		fn(&c, ctx);
	}
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}
