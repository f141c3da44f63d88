/* The device-type catalogue and the organisation's settings per type (in use, ordering):
 * GET /api/v1/device-types, PATCH /api/v1/device-types/{id}. */
#include "audit.h"
#include "common/jsonx.h"
#include "fields.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/q_hct.h"

void h_device_types_list(struct req *r)
{
	cJSON *o = cJSON_CreateObject();
	if (q_device_types_list(r->db, model_device_type_add,
							cJSON_AddArrayToObject(o, "device_types")) != STORE_OK) {
		cJSON_Delete(o);
		problem_internal(r, "device types");
		return;
	}
	http_reply(r, 200, o);
}

/* Decode the PATCH body into c, reporting every invalid field at once. */
static bool change_decode(struct req *r, struct device_type_change *c)
{
	static const char *const allowed[] = {"in_use", "ordering", NULL};
	if (!http_parse_object(r, allowed))
		return false;
	struct fields f = {0};
	c->set_in_use = cJSON_GetObjectItemCaseSensitive(r->json, "in_use") != NULL;
	c->set_ordering = cJSON_GetObjectItemCaseSensitive(r->json, "ordering") != NULL;
	if (!c->set_in_use && !c->set_ordering)
		fields_bad(&f, "body", "give in_use, ordering or both");
	if (c->set_in_use && !jx_bool(r->json, "in_use", &c->in_use))
		fields_bad(&f, "in_use", "must be true or false");
	if (c->set_ordering && !jx_bool(r->json, "ordering", &c->ordering))
		fields_bad(&f, "ordering", "must be true or false");
	if (!f.problem && c->set_in_use && c->set_ordering && c->ordering && !c->in_use)
		fields_bad(&f, "ordering", "cannot be switched on while in_use is false: ordering "
								   "needs the device type in use");
	return !fields_reply(r, &f);
}

void h_device_type_update(struct req *r)
{
	struct device_type_change c = {0};
	if (!http_seg_id(r, 3, &c.id) || !change_decode(r, &c))
		return;
	struct actor a = audit_actor_req(r);
	int rc = q_device_type_update(r->db, &a, &c);
	cJSON *o = NULL;
	if (rc == STORE_OK && q_device_type_get(r->db, c.id, model_device_type_set, &o) != STORE_OK)
		rc = STORE_ERROR;
	if (rc == STORE_OK)
		http_reply(r, 200, o);
	else if (rc == STORE_NOT_FOUND)
		problem_set(r, 404, "not-found", "Not found", "No such device type.");
	else if (rc == STORE_CONFLICT)
		problem_set(r, 409, "supplier-unknown", "Supplier unknown",
					"Ordering can only be switched on for a device type whose supplier is "
					"known.");
	else
		problem_internal(r, "device type update");
}
