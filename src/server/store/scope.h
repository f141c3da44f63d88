/* The scope condition every query that filters by the caller's locations uses (store-
 * internal). A staff member sees a location when one of their scope locations is it or
 * one of its ancestors (location_closure holds every ancestor-descendant pair). */
#ifndef ZT_SERVER_STORE_SCOPE_H
#define ZT_SERVER_STORE_SCOPE_H

/* SQL condition that is true when location column col lies in the scope of the staff
 * member bound to parameter param (written "$N"). */
#define SCOPE_HAS(col, param)                                                                \
	"EXISTS (SELECT 1 FROM staff_scope sc JOIN location_closure lc"                          \
	" ON lc.ancestor = sc.location_id WHERE sc.staff_id = " param " AND lc.descendant = " \
	col ")"

/* The same condition for queries that test many rows (feed pages): the scope's locations
 * are read once per statement into a set that each row is looked up in, instead of two
 * index searches with their cursors per row as SCOPE_HAS does. The unary + keeps
 * SQLite from driving the query from the location index (which would give up the rev
 * order and sort: 60-90 ms for a page instead of 1 ms); PostgreSQL accepts it as well. */
#define SCOPE_IN(col, param)                                                                 \
	"+" col " IN (SELECT lc.descendant FROM staff_scope sc JOIN location_closure lc"         \
	" ON lc.ancestor = sc.location_id WHERE sc.staff_id = " param ")"

#endif
