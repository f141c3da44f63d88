/* Authorization: the one check every handler calls (task, then scope). */
#ifndef ZT_SERVER_AUTHZ_H
#define ZT_SERVER_AUTHZ_H

#include "http.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* SQL condition that is true when location column col lies in the caller's scope; bind the
 * caller's staff id to the named parameter :scope_staff. */
#define AUTHZ_IN_SCOPE(col)                                                                  \
	"EXISTS (SELECT 1 FROM staff_scope sc JOIN location_closure lc"                          \
	" ON lc.ancestor = sc.location_id WHERE sc.staff_id = :scope_staff AND lc.descendant = " \
	col ")"

/* Check that the caller holds task (NULL: any logged-in staff) and, when location_id > 0,
 * that the location is within their scope. Sets 403 for a missing task and 404 for an
 * object out of scope, and returns false; true when allowed. */
bool authz_check(struct req *r, const char *task, int64_t location_id);
/* True when the caller holds task; no response is set. For optional parts of a reply. */
bool authz_may(const struct req *r, const char *task);
/* True when location_id is within the caller's scope; no response is set. */
bool authz_in_scope(struct req *r, int64_t location_id);
/* Bind the caller's staff id to :scope_staff in st (when the statement has it). */
void authz_bind_scope(const struct req *r, sqlite3_stmt *st);

#endif
