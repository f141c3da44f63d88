/* What screens read: view functions over the core's replica, so that no screen touches the
 * replica itself. Each returns copies the caller owns (free them with the model's _free). */
#ifndef ZT_CLIENT_VIEWS_H
#define ZT_CLIENT_VIEWS_H

#include "client/app.h"
#include "common/caren.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A client's open orders and registrations, newest first; false without a replica. */
bool view_hct(struct app *a, int64_t client_id, struct m_order **orders, size_t *norders,
			  struct m_registration **regs, size_t *nregs);
/* One order / registration by id; false when the replica does not hold it. */
bool view_order(struct app *a, int64_t id, struct m_order *out);
bool view_registration(struct app *a, int64_t id, struct m_registration *out);
/* The device-type catalogue, by name. */
bool view_device_types(struct app *a, struct m_device_type **out, size_t *n);
/* Every team, by name. */
bool view_teams(struct app *a, struct m_team **out, size_t *n);
/* Free what view_hct / view_device_types / view_teams returned (and zero the counts). */
void view_hct_free(struct m_order **orders, size_t *norders, struct m_registration **regs, size_t *nregs);
void view_device_types_free(struct m_device_type **d, size_t *n);
void view_teams_free(struct m_team **t, size_t *n);

/* One client's Caren facts from the replica. */
struct caren_fact {
	int64_t client_id;
	bool link_active;
	char valid_until[11]; /* "" when no invitation is open */
};

/* The Caren facts of every client in the replica (sorted by client id) and the portal's,
 * from which statuses are derived, offline too. */
struct caren_view {
	bool enabled, reachable;
	struct caren_fact *f;
	size_t n, cap;
};

/* Load v from the replica; false without one. Free with view_caren_free. */
bool view_caren(struct app *a, struct caren_view *v);
void view_caren_free(struct caren_view *v);
/* Client client_id's status at UTC time now, derived by caren_status_derive. */
struct caren_link_status view_caren_status(const struct caren_view *v, int64_t client_id,
										   int64_t now);
/* The dashboard's counts at now from loaded facts v and the client index x (every client
 * without facts is NOT_LINKED, or UNKNOWN with the portal): out[CAREN_ACTIVE ..] per
 * status, and *locations (locations with clients). Counting in memory: the facts are loaded
 * for the list anyway, and a COUNT over the replica would read 100,000 rows again. */
void view_caren_counts(const struct caren_view *v, const struct client_index *x, int64_t now,
					   int64_t out[CAREN_STATUS_COUNT], int64_t *locations);

#endif
