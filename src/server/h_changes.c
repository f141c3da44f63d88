/* GET /api/v1/changes: the change feed, in revision order, with long-polling. */
#include "audit.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "store/feed.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/store.h"
#include "store/legacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One changed object on its way into a page. */
struct change {
	int64_t rev;
	cJSON *item;
};

struct page {
	struct change *v;
	size_t n, cap;
};

/* Append a feed item of type for the row's (id, rev, deleted, data...) columns. */
static void page_add(struct page *pg, const char *type, sqlite3_stmt *st,
					 cJSON *(*data)(sqlite3_stmt *, int))
{
	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 256;
		pg->v = xrealloc(pg->v, pg->cap * sizeof *pg->v);
	}
	cJSON *it = cJSON_CreateObject();
	cJSON_AddStringToObject(it, "type", type);
	jx_add_int(it, "id", sqlite3_column_int64(st, 0));
	int64_t rev = sqlite3_column_int64(st, 1);
	jx_add_int(it, "rev", rev);
	bool deleted = sqlite3_column_int(st, 2) != 0;
	cJSON_AddBoolToObject(it, "deleted", deleted);
	if (!deleted)
		cJSON_AddItemToObject(it, "data", data(st, 3));
	pg->v[pg->n].rev = rev;
	pg->v[pg->n].item = it;
	pg->n++;
}

/* Run one per-type feed query (since, limit, scope bound) and add its rows. */
static bool collect(struct req *r, struct page *pg, const char *sql, const char *type,
					cJSON *(*data)(sqlite3_stmt *, int), int64_t since, int64_t limit)
{
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return false;
	authz_bind_scope(r, st);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":since"), since);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		page_add(pg, type, st, data);
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

static int by_rev(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	return (x->rev > y->rev) - (x->rev < y->rev);
}

static void page_free(struct page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		cJSON_Delete(pg->v[i].item);
	free(pg->v);
	*pg = (struct page){0};
}

static const char loc_sql[] =
	"SELECT l.id, l.rev, l.deleted, " MODEL_LOCATION_COLS
	" FROM locations l WHERE l.rev > :since ORDER BY l.rev LIMIT :limit";
static const char team_sql[] =
	"SELECT t.id, t.rev, t.deleted, " MODEL_TEAM_COLS
	" FROM teams t WHERE t.rev > :since ORDER BY t.rev LIMIT :limit";
static const char client_sql[] =
	"SELECT c.id, c.rev, c.deleted, " MODEL_CLIENT_COLS " FROM clients c"
	" WHERE c.rev > :since AND " AUTHZ_IN_SCOPE("c.location_id") " ORDER BY c.rev LIMIT :limit";

static const char device_type_sql[] =
	"SELECT d.id, d.rev, d.deleted, " MODEL_DEVICE_TYPE_COLS " FROM " MODEL_DEVICE_TYPE_FROM
	" WHERE d.rev > :since ORDER BY d.rev LIMIT :limit";
static const char order_sql[] =
	"SELECT o.id, o.rev, o.deleted, " MODEL_ORDER_COLS " FROM " MODEL_ORDER_FROM
	" JOIN clients c ON c.id = o.client_id"
	" WHERE o.rev > :since AND " AUTHZ_IN_SCOPE("c.location_id") " ORDER BY o.rev LIMIT :limit";
static const char registration_sql[] =
	"SELECT rg.id, rg.rev, rg.deleted, " MODEL_REGISTRATION_COLS " FROM " MODEL_REGISTRATION_FROM
	" JOIN clients c ON c.id = rg.client_id"
	" WHERE rg.rev > :since AND " AUTHZ_IN_SCOPE("c.location_id") " ORDER BY rg.rev LIMIT :limit";

/* Read one page after since inside a read transaction; *cur gets the revision it saw. */
static bool read_page(struct req *r, struct page *pg, int64_t since, int64_t limit, int64_t *cur)
{
	if (db_begin(r->db, false) != 0)
		return false;
	*cur = db_current_rev(r->db);
	bool ok = *cur >= 0 && collect(r, pg, loc_sql, "location", model_location, since, limit) &&
			  collect(r, pg, team_sql, "team", model_team, since, limit) &&
			  (!authz_may(r, "client.view") ||
			   collect(r, pg, client_sql, "client", model_client_summary, since, limit)) &&
			  collect(r, pg, device_type_sql, "device_type", model_device_type, since, limit) &&
			  (!authz_may(r, "hct.order.view") ||
			   collect(r, pg, order_sql, "hct_order", model_order, since, limit)) &&
			  (!authz_may(r, "hct.client.view") ||
			   collect(r, pg, registration_sql, "hct_registration", model_registration, since,
					   limit));
	db_commit(r->db);
	return ok;
}

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void h_changes(struct req *r)
{
	int64_t since, limit, wait;
	if (!authz_check(r, NULL, 0) ||
		!http_query_int(r, "since", 0, INT64_MAX / 2, 0, &since) ||
		!http_query_int(r, "limit", 1, 5000, 1000, &limit) ||
		!http_query_int(r, "wait", 0, r->srv->cfg.max_wait, 0, &wait))
		return;
	int64_t deadline = now_ms() + wait * 1000;
	int64_t from = since, cur = 0;
	struct page pg = {0};
	for (;;) {
		if (!read_page(r, &pg, from, limit, &cur)) {
			page_free(&pg);
			problem_internal(r, "change feed");
			return;
		}
		if (pg.n > 0)
			break;
		int64_t left = deadline - now_ms();
		if (left <= 0 || feed_stopping())
			break;
		/* Nothing visible up to cur: wait from there. Waking once a second re-reads the
		 * store, which also catches changes committed by another process. */
		if (cur > from)
			from = cur;
		feed_wait(from, left < 1000 ? (int)left : 1000);
	}
	if (pg.n > 1)
		qsort(pg.v, pg.n, sizeof *pg.v, by_rev);
	int64_t next = cur > since ? cur : since;
	if (from > next)
		next = from;
	if ((int64_t)pg.n >= limit) {
		next = pg.v[limit - 1].rev;
		for (size_t i = (size_t)limit; i < pg.n; i++)
			cJSON_Delete(pg.v[i].item);
		pg.n = (size_t)limit;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "changes");
	/* Every object that carries client data is named in the audit: clients, orders (with a
	 * delivery address) and registrations. */
	size_t clients = 0, orders = 0, regs = 0;
	size_t room = pg.n ? pg.n : 1;
	int64_t *ids = xmalloc(room * sizeof *ids);
	int64_t *order_ids = xmalloc(room * sizeof *order_ids);
	int64_t *reg_ids = xmalloc(room * sizeof *reg_ids);
	for (size_t i = 0; i < pg.n; i++) {
		const char *type = jx_str(pg.v[i].item, "type");
		cJSON *data = cJSON_GetObjectItemCaseSensitive(pg.v[i].item, "data");
		int64_t id = 0;
		if (type && data && jx_int(data, "id", &id)) {
			if (strcmp(type, "client") == 0)
				ids[clients++] = id;
			else if (strcmp(type, "hct_order") == 0)
				order_ids[orders++] = id;
			else if (strcmp(type, "hct_registration") == 0)
				reg_ids[regs++] = id;
		}
		cJSON_AddItemToArray(list, pg.v[i].item);
	}
	free(pg.v);
	jx_add_int(o, "next", next);
	/* The newest revision the server had: lets a client show progress of a long sync. */
	jx_add_int(o, "revision", cur > next ? cur : next);
	int arc = audit_log_list(r, "client.list", ids, clients);
	if (arc == 0)
		arc = audit_log_ids(r, "hct_order.list", "hct_order", order_ids, orders);
	if (arc == 0)
		arc = audit_log_ids(r, "hct_registration.list", "hct_registration", reg_ids, regs);
	free(ids);
	free(order_ids);
	free(reg_ids);
	if (arc != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}

static const char vis_clients_sql[] =
	"SELECT c.id FROM clients c WHERE c.deleted = 0 AND " AUTHZ_IN_SCOPE("c.location_id")
	" ORDER BY c.id";
static const char vis_orders_sql[] =
	"SELECT o.id FROM hct_orders o JOIN clients c ON c.id = o.client_id"
	" WHERE o.deleted = 0 AND c.deleted = 0 AND " AUTHZ_IN_SCOPE("c.location_id") " ORDER BY o.id";
static const char vis_regs_sql[] =
	"SELECT rg.id FROM hct_registrations rg JOIN clients c ON c.id = rg.client_id"
	" WHERE rg.deleted = 0 AND c.deleted = 0 AND " AUTHZ_IN_SCOPE("c.location_id")
	" ORDER BY rg.id";

/* Add array name to o: the ids sql returns for the caller, or none without task.
 * *count gets their number; false on a store error. */
static bool id_array(struct req *r, cJSON *o, const char *name, const char *sql, const char *task,
					 size_t *count)
{
	cJSON *a = cJSON_AddArrayToObject(o, name);
	*count = 0;
	if (!authz_may(r, task))
		return true;
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return false;
	authz_bind_scope(r, st);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)sqlite3_column_int64(st, 0)));
		(*count)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

void h_visible(struct req *r)
{
	if (!authz_check(r, NULL, 0))
		return;
	if (db_begin(r->db, false) != 0) {
		problem_internal(r, "visible: begin");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	int64_t cur = db_current_rev(r->db);
	jx_add_int(o, "revision", cur);
	size_t nc, no, nr;
	bool ok = cur >= 0 && id_array(r, o, "clients", vis_clients_sql, "client.view", &nc) &&
			  id_array(r, o, "hct_orders", vis_orders_sql, "hct.order.view", &no) &&
			  id_array(r, o, "hct_registrations", vis_regs_sql, "hct.client.view", &nr);
	db_commit(r->db);
	if (!ok) {
		cJSON_Delete(o);
		problem_internal(r, "visible");
		return;
	}
	/* Ids only, no names: one audit row says how many records the caller may see. */
	char detail[96];
	snprintf(detail, sizeof detail, "%zu clients, %zu orders, %zu registrations", nc, no, nr);
	if (audit_req(r, "visible.read", NULL, 0, "ok", detail) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}
