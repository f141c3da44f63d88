/* Task and scope checks in one place, for every handler. */
#include "authz.h"

#include "auth.h"
#include "problem.h"
#include "store/store.h"
#include "store/legacy.h"

void authz_bind_scope(const struct req *r, sqlite3_stmt *st)
{
	int i = sqlite3_bind_parameter_index(st, ":scope_staff");
	if (i > 0)
		sqlite3_bind_int64(st, i, r->who.staff_id);
}

bool authz_may(const struct req *r, const char *task)
{
	return r->who.kind == PRINCIPAL_STAFF && (!task || auth_has_task(&r->who, task));
}

bool authz_in_scope(struct req *r, int64_t location_id)
{
	static const char sql[] = "SELECT " AUTHZ_IN_SCOPE(":loc");
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st)
		return false;
	authz_bind_scope(r, st);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":loc"), location_id);
	bool ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
	sqlite3_reset(st);
	return ok;
}

bool authz_check(struct req *r, const char *task, int64_t location_id)
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
