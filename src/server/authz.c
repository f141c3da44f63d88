/* Task and scope checks in one place, for every handler. */
#include "authz.h"

#include "auth.h"
#include "problem.h"
#include "store/q_org.h"

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
		problem_set(r, 404, "not-found", "Not found", "No such object.");
		return false;
	}
	return true;
}
