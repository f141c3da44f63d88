/* The task codes of staff members, cached per process (auth_staff needs them on every
 * request; they change only when roles, their grants or scope change). A cached set is
 * used only while the authorisation epoch it was read under is the one the request's
 * session lookup saw: the epoch is a database counter that triggers move on with every
 * such change, by any instance or by SQL (migration 8), so a change takes effect with the
 * next request everywhere. */
#ifndef ZT_SERVER_AUTH_TASKS_H
#define ZT_SERVER_AUTH_TASKS_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* The sorted, de-duplicated task codes of one staff member; shared and immutable. */
struct task_set {
	int64_t staff_id;
	int64_t epoch; /* the authorisation epoch the set is valid for */
	char **codes;
	size_t n;
	int refs; /* guarded by the cache's lock */
};

/* The tasks of staff_id at authorisation epoch `epoch` (read with the session): cached,
 * or read from the store through db and cached. The caller holds one reference (release
 * with auth_tasks_release). NULL on a store error. */
struct task_set *auth_tasks_get(struct db *db, int64_t staff_id, int64_t epoch);
/* Drop a reference taken by auth_tasks_get (NULL is ignored). */
void auth_tasks_release(struct task_set *t);

#endif
