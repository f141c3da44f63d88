/* The feed-type table (see feed_types.h). Row order is the order of /visible's members. */
#include "feed_types.h"

#include "authz.h"
#include "model.h"

/* Encoders from the page queries' row structs (typed by the row's type). */
static cJSON *enc_location(const void *row) { return model_location(row); }
static cJSON *enc_team(const void *row) { return model_team(row); }
static cJSON *enc_client(const void *row) { return model_client_summary(row); }
static cJSON *enc_device_type(const void *row) { return model_device_type(row); }
static cJSON *enc_order(const void *row) { return model_order(row); }
static cJSON *enc_registration(const void *row) { return model_registration(row); }
static cJSON *enc_caren(const void *row) { return model_caren_state(row); }
static cJSON *enc_caren_portal(const void *row) { return model_caren_portal(row); }

static cJSON *enc_message(const void *row) { return model_message(row); }

const struct feed_type feed_types[] = {
	{"location", AUTHZ_ANY_STAFF, q_feed_locations, enc_location, NULL, NULL, NULL, NULL, NULL,
	 NULL, true},
	{"team", AUTHZ_ANY_STAFF, q_feed_teams, enc_team, NULL, NULL, NULL, NULL, NULL, NULL, true},
	{"client", TASK_CLIENT_VIEW, q_feed_clients, enc_client, "client.list", "client", "clients",
	 q_visible_clients, "clients", "clients", true},
	{"device_type", AUTHZ_ANY_STAFF, q_feed_device_types, enc_device_type, NULL, NULL, NULL,
	 NULL, NULL, NULL, false},
	{"hct_order", TASK_HCT_ORDER_VIEW, q_feed_orders, enc_order, "hct_order.list", "hct_order",
	 "hct_order", q_visible_orders, "hct_orders", "orders", false},
	{"hct_registration", TASK_HCT_CLIENT_VIEW, q_feed_registrations, enc_registration,
	 "hct_registration.list", "hct_registration", "hct_registration", q_visible_registrations,
	 "hct_registrations", "registrations", false},
	/* Caren (issue 9): facts, not a derived status (days left change at midnight). */
	{"caren", TASK_CAREN_LINK_VIEW, q_feed_caren, enc_caren, NULL, NULL, NULL, NULL, NULL,
	 NULL, false},
	{"caren_portal", TASK_CAREN_LINK_VIEW, q_feed_caren_portal, enc_caren_portal, NULL, NULL,
	 NULL, NULL, NULL, NULL, false},
	/* Location messages (issue 10): without their text; delivery counts change the rev. */
	{"location_message", TASK_MESSAGE_VIEW, q_feed_messages, enc_message, NULL, NULL, NULL, NULL,
	 NULL, NULL, false},
};

const size_t feed_type_count = sizeof feed_types / sizeof feed_types[0];
