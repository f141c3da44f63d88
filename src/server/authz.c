/* Task and scope checks in one place, for every handler. */
#include "authz.h"

#include "auth.h"
#include "problem.h"
#include "store/q_org.h"
#include "store/store.h"

bool authz_may(const struct req *r, enum task_id task)
{
	return r->who.kind == PRINCIPAL_STAFF &&
		   (task == AUTHZ_ANY_STAFF || auth_has_task(&r->who, task_code(task)));
}

bool authz_in_scope(struct req *r, int64_t location_id)
{
	return q_scope_has(r->db, r->who.staff_id, location_id);
}

bool authz_check(struct req *r, enum task_id task, int64_t location_id)
{
	if (!authz_may(r, task)) {
		problem_set(r, 403, "forbidden", "Forbidden",
					"Your roles do not include the task this needs.");
		return false;
	}
	if (location_id > 0 && !authz_in_scope(r, location_id)) {
		problem_not_found(r);
		return false;
	}
	return true;
}

bool authz_object(struct req *r, enum task_id task,
				  int (*locate)(struct db *db, int64_t id, int64_t *location), int64_t *id)
{
	int64_t obj, loc = 0;
	if (!http_seg_id(r, 3, &obj))
		return false;
	int rc = locate(r->db, obj, &loc);
	if (rc == STORE_ERROR)
		problem_internal(r, "object lookup");
	else if (rc == STORE_NOT_FOUND)
		problem_not_found(r);
	if (rc != STORE_OK || !authz_check(r, task, loc))
		return false;
	*id = obj;
	return true;
}
