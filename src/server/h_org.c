/* Organisation resources: health, the caller (me), locations, teams, staff. */
#include "audit.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/store.h"
#include "store/legacy.h"

#include <string.h>

#ifndef ZORGD_VERSION
#define ZORGD_VERSION "0.0.0"
#endif

void h_health(struct req *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", "ok");
	cJSON_AddStringToObject(o, "version", ZORGD_VERSION);
	http_reply(r, 200, o);
}

/* Collect one integer column of a single-parameter query into a JSON array. */
static cJSON *id_list(struct req *r, const char *sql, int64_t param)
{
	cJSON *a = cJSON_CreateArray();
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return a;
	sqlite3_bind_int64(st, 1, param);
	while (sqlite3_step(st) == SQLITE_ROW)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
	return a;
}

/* Collect one text column of a single-parameter query into a JSON array. */
static cJSON *text_list(struct req *r, const char *sql, int64_t param)
{
	cJSON *a = cJSON_CreateArray();
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return a;
	sqlite3_bind_int64(st, 1, param);
	while (sqlite3_step(st) == SQLITE_ROW)
		cJSON_AddItemToArray(a, cJSON_CreateString(db_col_text(st, 0)));
	sqlite3_reset(st);
	return a;
}

static const char roles_sql[] =
	"SELECT r.code FROM staff_roles sr JOIN roles r ON r.id = sr.role_id"
	" WHERE sr.staff_id = ? ORDER BY r.id";
static const char scope_sql[] =
	"SELECT location_id FROM staff_scope WHERE staff_id = ? ORDER BY location_id";

/* Add roles and scope of staff member id to o. */
static void add_roles_scope(struct req *r, cJSON *o, int64_t id)
{
	cJSON_AddItemToObject(o, "roles", text_list(r, roles_sql, id));
	cJSON_AddItemToObject(o, "scope", id_list(r, scope_sql, id));
}

void h_me(struct req *r)
{
	if (!authz_check(r, NULL, 0))
		return;
	static const char sql[] =
		"SELECT s.id, s.username, s.name, s.registration_number, s.email, t.id, t.name,"
		" (SELECT name FROM organisation WHERE id = 1)"
		" FROM staff s LEFT JOIN teams t ON t.id = s.team_id WHERE s.id = ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "me");
		return;
	}
	sqlite3_bind_int64(st, 1, r->who.staff_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		problem_internal(r, "me: staff row vanished");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, 0));
	jx_add_str(o, "username", db_col_text(st, 1));
	jx_add_str(o, "name", db_col_text(st, 2));
	jx_add_str(o, "registration_number", db_col_text(st, 3));
	jx_add_str(o, "email", db_col_text(st, 4));
	if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
		cJSON_AddNullToObject(o, "team");
	} else {
		cJSON *t = cJSON_AddObjectToObject(o, "team");
		jx_add_int(t, "id", sqlite3_column_int64(st, 5));
		jx_add_str(t, "name", db_col_text(st, 6));
	}
	jx_add_str(o, "organisation", db_col_text(st, 7));
	sqlite3_reset(st);
	add_roles_scope(r, o, r->who.staff_id);
	cJSON *tasks = cJSON_AddArrayToObject(o, "tasks");
	for (size_t i = 0; i < r->who.ntasks; i++)
		cJSON_AddItemToArray(tasks, cJSON_CreateString(r->who.tasks[i]));
	http_reply(r, 200, o);
}

/* Mark location object o with whether it lies in the caller's scope (column col). */
static void add_in_scope(cJSON *o, sqlite3_stmt *st, int col)
{
	cJSON_AddBoolToObject(o, "in_scope", sqlite3_column_int(st, col) == 1);
}

void h_locations_list(struct req *r)
{
	if (!authz_check(r, NULL, 0))
		return;
	static const char sql[] = "SELECT " MODEL_LOCATION_COLS ", " AUTHZ_IN_SCOPE("l.id")
							  " FROM locations l WHERE l.deleted = 0 ORDER BY l.id";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "locations");
		return;
	}
	authz_bind_scope(r, st);
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "locations");
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *l = model_location(st, 0);
		add_in_scope(l, st, 4);
		cJSON_AddItemToArray(list, l);
	}
	sqlite3_reset(st);
	http_reply(r, 200, o);
}

void h_location_get(struct req *r)
{
	int64_t id;
	if (!authz_check(r, NULL, 0) || !http_seg_id(r, 3, &id))
		return;
	static const char sql[] = "SELECT " MODEL_LOCATION_COLS ", " AUTHZ_IN_SCOPE("l.id")
							  " FROM locations l WHERE l.deleted = 0 AND l.id = :id";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "location");
		return;
	}
	authz_bind_scope(r, st);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		problem_set(r, 404, "not-found", "Not found", "No such location.");
		return;
	}
	cJSON *l = model_location(st, 0);
	add_in_scope(l, st, 4);
	sqlite3_reset(st);
	http_reply(r, 200, l);
}

void h_teams_list(struct req *r)
{
	if (!authz_check(r, NULL, 0))
		return;
	static const char sql[] =
		"SELECT " MODEL_TEAM_COLS " FROM teams t WHERE t.deleted = 0 ORDER BY t.name, t.id";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "teams");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "teams");
	while (sqlite3_step(st) == SQLITE_ROW)
		cJSON_AddItemToArray(list, model_team(st, 0));
	sqlite3_reset(st);
	http_reply(r, 200, o);
}

void h_team_get(struct req *r)
{
	int64_t id;
	if (!authz_check(r, NULL, 0) || !http_seg_id(r, 3, &id))
		return;
	static const char sql[] =
		"SELECT " MODEL_TEAM_COLS " FROM teams t WHERE t.deleted = 0 AND t.id = ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "team");
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		problem_set(r, 404, "not-found", "Not found", "No such team.");
		return;
	}
	cJSON *t = model_team(st, 0);
	sqlite3_reset(st);
	http_reply(r, 200, t);
}

void h_staff_list(struct req *r)
{
	if (!authz_check(r, "staff.view", 0))
		return;
	static const char sql[] = "SELECT " MODEL_STAFF_COLS
							  " FROM staff s WHERE s.deleted = 0 ORDER BY s.name, s.id";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "staff");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "staff");
	while (sqlite3_step(st) == SQLITE_ROW)
		cJSON_AddItemToArray(list, model_staff(st, 0));
	sqlite3_reset(st);
	for (cJSON *s = list->child; s; s = s->next)
		add_roles_scope(r, s, (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(s, "id")));
	http_reply(r, 200, o);
}

void h_staff_get(struct req *r)
{
	int64_t id;
	if (!authz_check(r, "staff.view", 0) || !http_seg_id(r, 3, &id))
		return;
	static const char sql[] =
		"SELECT " MODEL_STAFF_COLS " FROM staff s WHERE s.deleted = 0 AND s.id = ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "staff member");
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		problem_set(r, 404, "not-found", "Not found", "No such staff member.");
		return;
	}
	cJSON *s = model_staff(st, 0);
	sqlite3_reset(st);
	add_roles_scope(r, s, id);
	http_reply(r, 200, s);
}
