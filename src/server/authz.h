/* Authorization: the one check every handler calls (task, then scope). The route table
 * checks a route's task before its handler runs (http.c); handlers check scope here. */
#ifndef ZT_SERVER_AUTHZ_H
#define ZT_SERVER_AUTHZ_H

#include "common/tasks.h"
#include "http.h"

#include <stdbool.h>
#include <stdint.h>

/* No task needed: any logged-in staff member. */
#define AUTHZ_ANY_STAFF TASK__COUNT

/* Check that the caller holds task (AUTHZ_ANY_STAFF: any logged-in staff) and, when
 * location_id > 0, that the location is within their scope. Sets 403 for a missing task
 * and 404 for an object out of scope, and returns false; true when allowed. */
bool authz_check(struct req *r, enum task_id task, int64_t location_id);
/* Resolve the object of path segment 3 with locate (the location of the client it
 * belongs to) and authz_check it for task: *id set and true when allowed, else false with
 * the response set (404 for an unknown object, as for one out of scope). */
bool authz_object(struct req *r, enum task_id task,
				  int (*locate)(struct db *db, int64_t id, int64_t *location), int64_t *id);
/* True when the caller holds task; no response is set. For optional parts of a reply. */
bool authz_may(const struct req *r, enum task_id task);
/* True when location_id is within the caller's scope; no response is set. */
bool authz_in_scope(struct req *r, int64_t location_id);

#endif
