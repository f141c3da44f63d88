/* The device-type catalogue and the organisation's settings per type (in use, ordering):
 * GET /api/v1/device-types, PATCH /api/v1/device-types/{id}. */
#include "audit.h"
#include "authz.h"
#include "common/jsonx.h"
#include "store/feed.h"
#include "fields.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/store.h"
#include "store/legacy.h"

#include <stdio.h>

void h_device_types_list(struct req *r)
{
	if (!authz_check(r, NULL, 0))
		return;
	static const char sql[] = "SELECT " MODEL_DEVICE_TYPE_COLS " FROM " MODEL_DEVICE_TYPE_FROM
							  " WHERE d.deleted = 0 ORDER BY d.name, d.id";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "device types");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "device_types");
	while (sqlite3_step(st) == SQLITE_ROW)
		cJSON_AddItemToArray(list, model_device_type(st, 0));
	sqlite3_reset(st);
	http_reply(r, 200, o);
}

/* The device type id as the API shows it; NULL when it does not exist. Caller owns. */
static cJSON *device_type_json(struct req *r, int64_t id)
{
	static const char sql[] = "SELECT " MODEL_DEVICE_TYPE_COLS " FROM " MODEL_DEVICE_TYPE_FROM
							  " WHERE d.deleted = 0 AND d.id = ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	cJSON *o = sqlite3_step(st) == SQLITE_ROW ? model_device_type(st, 0) : NULL;
	sqlite3_reset(st);
	return o;
}

void h_device_type_update(struct req *r)
{
	static const char *const allowed[] = {"in_use", "ordering", NULL};
	int64_t id;
	if (!authz_check(r, "hct.settings.edit", 0) || !http_seg_id(r, 3, &id) ||
		!http_parse_object(r, allowed))
		return;
	struct fields f = {0};
	bool in_use = false, ordering = false;
	const cJSON *v_in_use = cJSON_GetObjectItemCaseSensitive(r->json, "in_use");
	const cJSON *v_ordering = cJSON_GetObjectItemCaseSensitive(r->json, "ordering");
	if (!v_in_use && !v_ordering)
		fields_bad(&f, "body", "give in_use, ordering or both");
	if (v_in_use && !jx_bool(r->json, "in_use", &in_use))
		fields_bad(&f, "in_use", "must be true or false");
	if (v_ordering && !jx_bool(r->json, "ordering", &ordering))
		fields_bad(&f, "ordering", "must be true or false");
	if (!f.problem && v_in_use && v_ordering && ordering && !in_use)
		fields_bad(&f, "ordering", "cannot be switched on while in_use is false: ordering "
								   "needs the device type in use");
	if (fields_reply(r, &f))
		return;

	if (db_begin(r->db, true) != 0) {
		problem_internal(r, "begin");
		return;
	}
	static const char cur_sql[] =
		"SELECT in_use, ordering, supplier_id FROM device_types WHERE deleted = 0 AND id = ?";
	sqlite3_stmt *st = legacy_prep(r->db, cur_sql);
	if (!st)
		goto internal;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		db_rollback(r->db);
		problem_set(r, 404, "not-found", "Not found", "No such device type.");
		return;
	}
	bool new_in_use = sqlite3_column_int(st, 0) != 0;
	bool new_ordering = sqlite3_column_int(st, 1) != 0;
	bool has_supplier = sqlite3_column_type(st, 2) != SQLITE_NULL;
	sqlite3_reset(st);
	if (v_in_use)
		new_in_use = in_use;
	if (v_ordering)
		new_ordering = ordering;
	/* Ordering needs the type in use; taking it out of use switches ordering off. */
	if (v_ordering && ordering)
		new_in_use = true;
	if (v_in_use && !in_use)
		new_ordering = false;
	if (new_ordering && !has_supplier) {
		db_rollback(r->db);
		problem_set(r, 409, "supplier-unknown", "Supplier unknown",
					"Ordering can only be switched on for a device type whose supplier is "
					"known.");
		return;
	}
	int64_t rev = db_next_rev(r->db);
	if (rev < 0)
		goto internal;
	static const char upd[] =
		"UPDATE device_types SET in_use = ?, ordering = ?, rev = ? WHERE id = ?";
	st = legacy_prep(r->db, upd);
	if (!st)
		goto internal;
	sqlite3_bind_int(st, 1, new_in_use);
	sqlite3_bind_int(st, 2, new_ordering);
	sqlite3_bind_int64(st, 3, rev);
	sqlite3_bind_int64(st, 4, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto internal;
	char detail[64];
	snprintf(detail, sizeof detail, "in_use=%d ordering=%d", new_in_use, new_ordering);
	if (audit_req(r, "device_type.update", "device_type", id, "ok", detail) != 0)
		goto internal;
	cJSON *o = device_type_json(r, id);
	if (!o)
		goto internal;
	if (db_commit(r->db) != 0) {
		cJSON_Delete(o);
		goto internal;
	}
	feed_notify(rev);
	http_reply(r, 200, o);
	return;
internal:
	db_rollback(r->db);
	problem_internal(r, "device type update");
}
