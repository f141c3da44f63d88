/* The staff and supplier APIs' wire shapes: encoders from the store's row structs to JSON.
 * Field names live only here. Each type has model_X(row) (caller owns the object) and two
 * visitors for the store's query functions: model_X_add (ctx: a cJSON array to append to)
 * and model_X_set (ctx: a cJSON ** that receives the object). */
#ifndef ZT_SERVER_MODEL_H
#define ZT_SERVER_MODEL_H

#include "store/q_caren.h"
#include "store/q_clients.h"
#include "store/q_hct.h"
#include "store/q_messages.h"
#include "store/q_org.h"
#include "store/q_supplier.h"

#include <cjson/cJSON.h>

#define MODEL_DECLARE(name, row_type)                          \
	cJSON *model_##name(const row_type *row);                  \
	void model_##name##_add(const row_type *row, void *array); \
	void model_##name##_set(const row_type *row, void *slot);

/* A location (id, parent_id, name, kind). */
MODEL_DECLARE(location, struct location_row)
/* A team. */
MODEL_DECLARE(team, struct team_row)
/* A client summary (what a list needs; never the BSN). */
MODEL_DECLARE(client_summary, struct client_row)
/* An address of a client. */
MODEL_DECLARE(address, struct address_row)
/* A contact method of a client. */
MODEL_DECLARE(contact, struct contact_row)
/* A staff member (roles and scope are added by the caller). */
MODEL_DECLARE(staff, struct staff_row)
/* A device type of the catalogue with the organisation's settings. */
MODEL_DECLARE(device_type, struct device_type_row)
/* An order as staff see it. */
MODEL_DECLARE(order, struct order_row)
/* A registration of a device with a client. */
MODEL_DECLARE(registration, struct registration_row)
/* The organisation's settings (GET/PATCH /settings). */
MODEL_DECLARE(settings, struct settings_row)
/* A client's Caren facts for the feed (type "caren"): link_active, invitation_valid_until. */
MODEL_DECLARE(caren_state, struct caren_state_row)
/* The portal's facts for the feed (type "caren_portal"): enabled, reachable. */
MODEL_DECLARE(caren_portal, struct caren_portal_row)
/* A Caren invitation (never its code). */
MODEL_DECLARE(caren_invitation, struct caren_invitation_row)
/* A Caren link with who ended it and why. */
MODEL_DECLARE(caren_link, struct caren_link_row)

/* The supplier API (Ons-shaped, camelCase) is named here too, so that every wire name of
 * zorgd lives in this file. It never carries a BSN or client data other than the name. */

/* An order as its supplier sees it. */
MODEL_DECLARE(supplier_order, struct supplier_order_row)
/* The little a supplier may fetch about a client it has an order for. */
MODEL_DECLARE(supplier_client, struct supplier_client_row)

/* A location message (text only when the row has it). */
MODEL_DECLARE(message, struct message_row)
/* A recipient of a location message, as the portal sees it. */
MODEL_DECLARE(recipient, struct recipient_row)

/* A location message as the portal's feed carries it (with an empty "recipients"). */
MODEL_DECLARE(portal_message, struct message_row)
/* A recipient as the portal's feed carries it. */
MODEL_DECLARE(portal_recipient, struct recipient_row)

#endif
