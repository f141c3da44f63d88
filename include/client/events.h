/* Bits of app->events: what changed since the UI last looked. Screens name the bits they
 * reload on; the feed-type table (feed.h) names the bit each type of change raises. */
#ifndef ZT_CLIENT_EVENTS_H
#define ZT_CLIENT_EVENTS_H

enum {
	APP_EV_CONN = 1u << 0,
	APP_EV_CLIENTS = 1u << 1,
	APP_EV_LOCATIONS = 1u << 2,
	APP_EV_DETAIL = 1u << 3,
	APP_EV_LOGIN = 1u << 4,   /* login finished (ok or not) */
	APP_EV_MSG = 1u << 5,
	APP_EV_SESSION = 1u << 6, /* logged in, out, or session lost */
	APP_EV_BSN = 1u << 7,
	APP_EV_PROGRESS = 1u << 8,
	APP_EV_HCT = 1u << 9,   /* device types, orders or registrations changed */
	APP_EV_OP = 1u << 10,   /* a user's write (see app_request) finished */
	APP_EV_TEAMS = 1u << 11, /* teams changed */
	APP_EV_CAREN = 1u << 12, /* Caren facts, the portal, or a client's Caren page changed */
	APP_EV_MESSAGES = 1u << 13, /* location messages (list, counts, one message, audience) */
};

#endif
