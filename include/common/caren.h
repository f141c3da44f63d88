/* The Caren portal link: the one place a client's link status is derived, and the names,
 * words and symbols of link statuses and invitation states. Pure: no I/O, no clock, no
 * locale; zorgd and zorgterm both use it. */
#ifndef ZT_COMMON_CAREN_H
#define ZT_COMMON_CAREN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A client's link status, as derived by caren_status_derive(). */
enum caren_status {
	CAREN_ACTIVE,     /* a link with a portal account is active */
	CAREN_NOT_LINKED, /* no active link and no open (unexpired) invitation */
	CAREN_INVITED,    /* no active link, an open invitation with days left */
	CAREN_UNKNOWN,    /* Caren not in use, or the portal not heard from in time */
};
#define CAREN_STATUS_COUNT 4

/* An invitation's state as stored; EXPIRED is written when an OPEN invitation is found
 * past its last valid day (caren_invitation_expired()). */
enum caren_invitation_state {
	CAREN_INV_OPEN,
	CAREN_INV_REDEEMED,
	CAREN_INV_REVOKED,
	CAREN_INV_EXPIRED,
};
#define CAREN_INV_STATE_COUNT 4

#define CAREN_HEARTBEAT_NEVER (-1)             /* heartbeat_age when never heard from */
#define CAREN_HEARTBEAT_TIMEOUT_DEFAULT 600    /* seconds (10 minutes) */
#define CAREN_VALIDITY_DAYS_DEFAULT 42         /* six weeks, like Caren's own letter */
#define CAREN_VALIDITY_DAYS_MIN 1
#define CAREN_VALIDITY_DAYS_MAX 365

/* Everything the status depends on. */
struct caren_facts {
	bool enabled;              /* the organisation setting caren_enabled */
	int64_t heartbeat_age;     /* seconds since the portal's last heartbeat, or
	                              CAREN_HEARTBEAT_NEVER (any negative value) */
	int64_t heartbeat_timeout; /* seconds; a heartbeat older than this is stale; 0 or
	                              less: the heartbeat is not checked (demo only) */
	bool link_active;          /* the client has an active link */
	const char *valid_until;   /* the OPEN invitation's last valid day "YYYY-MM-DD"
	                              (Europe/Amsterdam), or NULL when none is open */
	int64_t now;               /* UTC, Unix seconds */
};

/* The derived status; days_left is > 0 for CAREN_INVITED and -1 otherwise (JSON null). */
struct caren_link_status {
	enum caren_status status;
	int days_left;
};

/* Derive a client's link status from facts, in this order: UNKNOWN when Caren is not
 * enabled, the heartbeat is stale or never came, or valid_until is not a date; ACTIVE
 * with an active link; INVITED when the open invitation is valid today (days_left counts
 * the Amsterdam calendar days it can still be used, today included: 1 on its last valid
 * day); else NOT_LINKED (an open invitation past its last day counts as expired). */
struct caren_link_status caren_status_derive(const struct caren_facts *facts);

/* Whole Amsterdam calendar days an invitation with last valid day valid_until can still
 * be used at UTC time now, today included (1 on the last valid day, 0 after it); -1 when
 * valid_until is not a date. */
int caren_days_left(const char *valid_until, int64_t now);
/* True when an invitation with last valid day valid_until can no longer be redeemed at
 * UTC time now (or valid_until is not a date). */
bool caren_invitation_expired(const char *valid_until, int64_t now);
/* The last valid day "YYYY-MM-DD" of an invitation created at UTC time now that is valid
 * for validity_days Amsterdam calendar days (the day of creation is the first) into out;
 * false when validity_days is outside CAREN_VALIDITY_DAYS_MIN..MAX. */
bool caren_valid_until(int64_t now, int validity_days, char out[16]);

/* The wire name of a status ("ACTIVE", "NOT_LINKED", "INVITED", "UNKNOWN"). Static. */
const char *caren_status_wire(enum caren_status s);
/* The status named by wire name name into *s; false for any other text. */
bool caren_status_parse(const char *name, enum caren_status *s);
/* The seed's Dutch words for a status into out ("Actieve koppeling", "Niet gekoppeld",
 * "Uitnodiging is nog 1 dag geldig" / "... nog N dagen geldig", "Onbekend"). Returns out. */
const char *caren_status_nl(enum caren_status s, int days_left, char *out, size_t size);
/* The same in English ("Active link", "Not linked", "Invitation valid for N more days",
 * "Unknown"), for logs and problem details. Returns out. */
const char *caren_status_en(enum caren_status s, int days_left, char *out, size_t size);
/* A one-column symbol for a status, so colour never carries it alone: UTF-8 ("✓", "✗",
 * "◔", "?") or, when ascii, ("+", "x", "~", "?"). Static. */
const char *caren_status_symbol(enum caren_status s, bool ascii);
/* The symbol, a space and the Dutch words ("✓ Actieve koppeling", "~ Uitnodiging is nog 3
 * dagen geldig" with ascii) into out, as a status cell shows them. Returns out. */
const char *caren_status_cell(enum caren_status s, int days_left, bool ascii, char *out,
							  size_t size);

/* The wire name of an invitation state ("OPEN", "REDEEMED", "REVOKED", "EXPIRED"). Static. */
const char *caren_inv_state_wire(enum caren_invitation_state s);
/* The invitation state named by name into *s; false for any other text. */
bool caren_inv_state_parse(const char *name, enum caren_invitation_state *s);
/* The Dutch word of an invitation state ("Openstaand", "Gebruikt", "Ingetrokken",
 * "Verlopen"). Static. */
const char *caren_inv_state_nl(enum caren_invitation_state s);

#endif
