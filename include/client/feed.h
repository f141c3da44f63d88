/* The feed types zorgterm keeps, one table: wire name (the change feed's "type"), replica
 * table, the key of GET /api/v1/visible that lists which ids to keep (NULL: the type is not
 * reconciled), and the event bit a change raises. The replica applies and reconciles from
 * this table; the core raises events from it. Adding a feed type: a row here, its replica
 * table (a migration) and its row of upsert SQL in replica.c (docs/DESIGN.md). */
#ifndef ZT_CLIENT_FEED_H
#define ZT_CLIENT_FEED_H

#include "client/events.h"
#include "client/model.h"

#include <stddef.h>

/* X(model type, wire name, replica table, visible key, event bit) */
#define ZT_FEED_TYPES(X)                                                                       \
	X(M_LOCATION, "location", "locations", NULL, APP_EV_LOCATIONS)                           \
	X(M_TEAM, "team", "teams", NULL, APP_EV_TEAMS)                                           \
	X(M_CLIENT, "client", "clients", "clients", APP_EV_CLIENTS)                              \
	X(M_DEVICE_TYPE, "device_type", "device_types", NULL, APP_EV_HCT)                        \
	X(M_HCT_ORDER, "hct_order", "hct_orders", "hct_orders", APP_EV_HCT)                      \
	X(M_HCT_REGISTRATION, "hct_registration", "hct_registrations", "hct_registrations", APP_EV_HCT) \
	X(M_CAREN, "caren", "caren_state", NULL, APP_EV_CAREN)                                    \
	X(M_CAREN_PORTAL, "caren_portal", "caren_portal", NULL, APP_EV_CAREN)                     \
	X(M_LOCATION_MESSAGE, "location_message", "location_messages", NULL, APP_EV_MESSAGES)

struct feed_type {
	enum m_type type;
	const char *wire, *table, *visible;
	unsigned event;
};

/* The row of type t, or NULL for a type zorgterm does not keep. Static. */
const struct feed_type *feed_type_of(enum m_type t);
/* The row whose wire name is wire, or NULL (a newer server's type: ignored). Static. */
const struct feed_type *feed_type_by_wire(const char *wire);
/* Row i of the table (i < feed_type_count()), for loops over every type. Static. */
const struct feed_type *feed_type_at(size_t i);
size_t feed_type_count(void);

#endif
