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

#endif
