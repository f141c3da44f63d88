/* Organisation resources: health, the caller (me), locations, teams, staff. */
#include "authz.h"
#include "common/jsonx.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/q_org.h"

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

/* Visitors that append a role code or a location id to a JSON array. */
static void add_text(const char *s, void *array)
{
	cJSON_AddItemToArray(array, cJSON_CreateString(s));
}

static void add_id(int64_t id, void *array)
{
	cJSON_AddItemToArray(array, cJSON_CreateNumber((double)id));
}

/* Add roles and scope of staff member id to o; false on a store error. */
static bool add_roles_scope(struct req *r, cJSON *o, int64_t id)
{
	return q_staff_roles(r->db, id, add_text, cJSON_AddArrayToObject(o, "roles")) == STORE_OK &&
		   q_staff_scope(r->db, id, add_id, cJSON_AddArrayToObject(o, "scope")) == STORE_OK;
}

/* Visitor of q_me: the caller's record as GET /me shows it. */
static void encode_me(const struct me_row *m, void *slot)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", m->staff.id);
	jx_add_str(o, "username", m->staff.username);
	jx_add_str(o, "name", m->staff.name);
	jx_add_str(o, "registration_number", m->staff.registration_number);
	jx_add_str(o, "email", m->staff.email);
	if (m->staff.team_id == 0) {
		cJSON_AddNullToObject(o, "team");
	} else {
		cJSON *t = cJSON_AddObjectToObject(o, "team");
		jx_add_int(t, "id", m->staff.team_id);
		jx_add_str(t, "name", m->team_name);
	}
	jx_add_str(o, "organisation", m->organisation);
	*(cJSON **)slot = o;
}

void h_me(struct req *r)
{
	cJSON *o = NULL;
	if (q_me(r->db, r->who.staff_id, encode_me, &o) != STORE_OK ||
		!add_roles_scope(r, o, r->who.staff_id)) {
		cJSON_Delete(o);
		problem_internal(r, "me");
		return;
	}
	cJSON *tasks = cJSON_AddArrayToObject(o, "tasks");
	for (size_t i = 0; i < r->who.ntasks; i++)
		cJSON_AddItemToArray(tasks, cJSON_CreateString(r->who.tasks[i]));
	http_reply(r, 200, o);
}

/* Visitor: a location with whether it lies in the caller's scope, appended to array. */
static void add_location(const struct location_row *l, void *array)
{
	cJSON *o = model_location(l);
	cJSON_AddBoolToObject(o, "in_scope", l->in_scope);
	cJSON_AddItemToArray(array, o);
}

/* Reply 200 with o, or answer rc (not found: the words given; else internal). */
static void reply_found(struct req *r, int rc, cJSON *o, const char *missing)
{
	if (rc == STORE_OK) {
		http_reply(r, 200, o);
		return;
	}
	cJSON_Delete(o);
	if (rc == STORE_NOT_FOUND)
		problem_set(r, 404, "not-found", "Not found", missing);
	else
		problem_internal(r, "organisation read");
}

void h_locations_list(struct req *r)
{
	cJSON *o = cJSON_CreateObject();
	int rc = q_locations_list(r->db, r->who.staff_id, add_location,
							  cJSON_AddArrayToObject(o, "locations"));
	reply_found(r, rc, o, NULL);
}

void h_location_get(struct req *r)
{
	int64_t id;
	if (!http_seg_id(r, 3, &id))
		return;
	cJSON *list = cJSON_CreateArray();
	int rc = q_location_get(r->db, id, r->who.staff_id, add_location, list);
	cJSON *l = rc == STORE_OK ? cJSON_DetachItemFromArray(list, 0) : NULL;
	cJSON_Delete(list);
	reply_found(r, rc, l, "No such location.");
}

void h_teams_list(struct req *r)
{
	cJSON *o = cJSON_CreateObject();
	int rc = q_teams_list(r->db, model_team_add, cJSON_AddArrayToObject(o, "teams"));
	reply_found(r, rc, o, NULL);
}

void h_team_get(struct req *r)
{
	int64_t id;
	if (!http_seg_id(r, 3, &id))
		return;
	cJSON *t = NULL;
	int rc = q_team_get(r->db, id, model_team_set, &t);
	reply_found(r, rc, t, "No such team.");
}

void h_staff_list(struct req *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "staff");
	int rc = q_staff_list(r->db, model_staff_add, list);
	for (cJSON *s = list->child; rc == STORE_OK && s; s = s->next) {
		int64_t id = 0;
		jx_int(s, "id", &id);
		if (!add_roles_scope(r, s, id))
			rc = STORE_ERROR;
	}
	reply_found(r, rc, o, NULL);
}

void h_staff_get(struct req *r)
{
	int64_t id;
	if (!http_seg_id(r, 3, &id))
		return;
	cJSON *s = NULL;
	int rc = q_staff_get(r->db, id, model_staff_set, &s);
	if (rc == STORE_OK && !add_roles_scope(r, s, id))
		rc = STORE_ERROR;
	reply_found(r, rc, s, "No such staff member.");
}
