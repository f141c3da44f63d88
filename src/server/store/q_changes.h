/* The change feed in the store: per object type, the objects changed after a revision
 * (page query) and the ids the caller may see now (visible query). The server's table of
 * feed types (api/feed_types.c) pairs each with its wire name, task, encoder and audit. */
#ifndef ZT_SERVER_STORE_Q_CHANGES_H
#define ZT_SERVER_STORE_Q_CHANGES_H

#include "q_org.h"
#include "store.h"

#include <stdbool.h>
#include <stdint.h>

/* One changed object: its row (the type's row struct, e.g. struct client_row; NULL when
 * deleted) is borrowed during the call. */
struct change_meta {
	int64_t id, rev;
	bool deleted;
};
typedef void (*q_change_fn)(const struct change_meta *m, const void *row, void *ctx);

/* Which changes a page query reads: revisions in (since, upto], at most limit. */
struct feed_range {
	int64_t since, upto, limit;
	/* Optional: asked before a row (not deleted) is read; true when the caller has taken
	 * that change from elsewhere (its cache of encoded objects), so the row is neither read
	 * nor passed to the visitor. Gets the visitor's ctx. */
	bool (*take_cached)(const struct change_meta *m, void *ctx);
};

/* The objects of one type changed in range fr, in revision order, restricted to the scope
 * of staff member scope_staff where the type is scoped. */
typedef int (*q_feed_page_fn)(struct db *db, int64_t scope_staff, const struct feed_range *fr,
							  q_change_fn fn, void *ctx);
/* The ids of one type's objects (not deleted) that scope_staff may see, by id. */
typedef int (*q_feed_visible_fn)(struct db *db, int64_t scope_staff, q_id_fn fn, void *ctx);

int q_feed_locations(struct db *db, int64_t scope_staff, const struct feed_range *fr,
					 q_change_fn fn, void *ctx);
int q_feed_teams(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				 q_change_fn fn, void *ctx);
int q_feed_clients(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				   q_change_fn fn, void *ctx);
int q_feed_device_types(struct db *db, int64_t scope_staff, const struct feed_range *fr,
						q_change_fn fn, void *ctx);
int q_feed_orders(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				  q_change_fn fn, void *ctx);
int q_feed_registrations(struct db *db, int64_t scope_staff, const struct feed_range *fr,
						 q_change_fn fn, void *ctx);
/* Each client's Caren facts (caren_state rows, id = client id) in scope. */
int q_feed_caren(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				 q_change_fn fn, void *ctx);
/* The portal's facts (one object, id 1): enabled and reachable. */
int q_feed_caren_portal(struct db *db, int64_t scope_staff, const struct feed_range *fr,
						q_change_fn fn, void *ctx);

int q_visible_clients(struct db *db, int64_t scope_staff, q_id_fn fn, void *ctx);
int q_visible_orders(struct db *db, int64_t scope_staff, q_id_fn fn, void *ctx);
int q_visible_registrations(struct db *db, int64_t scope_staff, q_id_fn fn, void *ctx);

#endif
