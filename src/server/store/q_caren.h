/* The Caren portal link in the store (issue 9): organisation settings, the portal's
 * heartbeat, invitations and links of clients (history is never deleted; rows change
 * state), the per-client facts the status is derived from (caren_state, the feed type
 * "caren") and the dashboard's counts. Activation codes never pass through here in the
 * clear: only their keyed hash and the sealed copy (src/server/caren_code.h). Rows are
 * borrowed by the visitor during the call. Functions return STORE_OK, STORE_NOT_FOUND,
 * STORE_CONFLICT, STORE_INVALID, STORE_REPLAY or STORE_ERROR as documented. Times are Unix
 * seconds, dates "YYYY-MM-DD" (Europe/Amsterdam calendar days). */
#ifndef ZT_SERVER_STORE_Q_CAREN_H
#define ZT_SERVER_STORE_Q_CAREN_H

#include "q_idempotency.h"
#include "store.h"

#include <stdbool.h>
#include <stdint.h>

/* The organisation's settings (one row; later issues add members). */
struct settings_row {
	bool caren_enabled;
	bool caren_communication;
	int64_t caren_invitation_days;
};

/* A change of the settings; a member not set keeps its value. */
struct settings_change {
	bool set_enabled, caren_enabled;
	bool set_communication, caren_communication;
	bool set_days;
	int64_t caren_invitation_days;
};

/* The portal as zorgd knows it. */
struct caren_portal_row {
	bool enabled;            /* settings.caren_enabled */
	bool reachable;          /* heard from within the timeout (kept with a rev) */
	int64_t last_heartbeat;  /* 0: never */
};

/* A client's facts: is a link active, and the last valid day of the open invitation. */
struct caren_state_row {
	int64_t client_id;
	bool link_active;
	const char *valid_until; /* NULL: no open invitation */
};

struct caren_invitation_row {
	int64_t id, client_id;
	int64_t created_at;
	const char *created_by;  /* the staff member's name */
	const char *valid_until; /* last valid day */
	const char *state;       /* OPEN, REDEEMED, REVOKED, EXPIRED */
	int64_t closed_at;       /* 0: still open */
	const char *closed_by;   /* staff name, "Caren" or NULL */
};

struct caren_link_row {
	int64_t id, client_id;
	int64_t started_at, ended_at; /* ended_at 0: active */
	const char *ended_by;         /* staff name, "Caren" for the portal, NULL while active */
	const char *end_reason;       /* NULL while active or when the portal gave none */
	const char *object_id;        /* the portal's clientObjectId */
};

/* What a letter needs about an invitation; strings borrowed during the call. */
struct caren_letter_row {
	int64_t id, client_id;
	const char *state, *valid_until, *code_hash, *code_sealed;
	const char *org_name, *client_name;
	const char *street;      /* NULL: the client has no active address */
	int64_t house_number;
	const char *house_number_ext, *postcode, *city;
};

/* The dashboard's counts in a staff member's scope. */
struct caren_counts {
	int64_t clients;   /* clients in scope */
	int64_t active;    /* with an active link */
	int64_t invited;   /* no active link, an open invitation valid today or later */
	int64_t locations; /* locations in scope with at least one client */
};

typedef void (*q_caren_invitation_fn)(const struct caren_invitation_row *i, void *ctx);
typedef void (*q_caren_link_fn)(const struct caren_link_row *l, void *ctx);

/* ---- settings and the portal ---------------------------------------------------------- */

/* The settings into *s. */
int q_settings_get(struct db *db, struct settings_row *s);
/* Apply c in one write, audited as actor ("settings.update"). */
int q_settings_update(struct db *db, const struct actor *actor, const struct settings_change *c);
/* The portal's state into *p. */
int q_caren_portal_get(struct db *db, struct caren_portal_row *p);
/* When the portal counts as reachable but its last heartbeat is older than timeout
 * seconds at now (timeout > 0), mark it unreachable in one write (so the feed carries
 * it). Cheap when nothing changes: a read only. */
int q_caren_portal_refresh(struct db *db, int64_t now, int64_t timeout);
/* A heartbeat at now, audited as actor ("caren.heartbeat"); marks the portal reachable. */
int q_caren_heartbeat(struct db *db, const struct actor *actor, int64_t now);

/* ---- a client's link ------------------------------------------------------------------ */

/* Client client_id's facts into fn (a client without any Caren history gets a row with
 * no link and no invitation). STORE_NOT_FOUND for an unknown client. */
int q_caren_state_get(struct db *db, int64_t client_id,
					  void (*fn)(const struct caren_state_row *s, void *ctx), void *ctx);
/* The invitations of client_id, newest first. */
int q_caren_invitations(struct db *db, int64_t client_id, q_caren_invitation_fn fn, void *ctx);
/* The links of client_id, newest first. */
int q_caren_links(struct db *db, int64_t client_id, q_caren_link_fn fn, void *ctx);
/* The location of the client of invitation id into *location. */
int q_caren_invitation_location(struct db *db, int64_t id, int64_t *location);
/* Turn client_id's OPEN invitations whose last valid day is before today into EXPIRED
 * (client_id 0: every client's), in one write audited as actor when any changed. */
int q_caren_expire(struct db *db, const struct actor *actor, int64_t client_id,
				   const char *today);
/* Counts for the dashboard in scope_staff's scope, with today's date. */
int q_caren_counts(struct db *db, int64_t scope_staff, const char *today, struct caren_counts *c);

/* A new invitation, checked by the caller. */
struct caren_invite_new {
	int64_t client_id;
	int64_t staff_id;
	const char *staff_name;
	const char *valid_until;  /* last valid day */
	const char *today;        /* to expire stale invitations first */
	const char *code_hash;    /* keyed hash of the fresh code */
	const char *code_sealed;  /* the code sealed for the letter */
	const char *key;          /* Idempotency-Key */
	const char *request_hash; /* of the path and body */
};

/* What q_caren_invite answered; strings owned (q_idem_free(&a->reply)). */
struct caren_invite_answer {
	struct idem_reply reply;
	bool link_active;     /* STORE_CONFLICT: a link is active */
	bool invitation_open; /* STORE_CONFLICT: an invitation is open */
};
/* Render the reply of a new invitation (inside the write); caller of the render owns it. */
typedef char *(*q_caren_invite_render)(const struct caren_invitation_row *i, void *ctx);
/* Create invitation n in one write: idempotency (STORE_REPLAY; a reused key STORE_CONFLICT
 * with a->reply.status 422), refuse while a link is active or an invitation is open
 * (STORE_CONFLICT with the flag), else the row, caren_state, the stored reply and the
 * audit ("caren_invitation.create"; never the code). */
int q_caren_invite(struct db *db, const struct actor *actor, const struct caren_invite_new *n,
				   q_caren_invite_render render, void *ctx, struct caren_invite_answer *a);

/* Revoke OPEN invitation id in one write; staff_name is recorded as who closed it.
 * STORE_NOT_FOUND, STORE_CONFLICT (not OPEN: state copied into state[12]), STORE_OK. */
int q_caren_revoke(struct db *db, const struct actor *actor, int64_t id,
				   const char *staff_name, char state[12]);
/* End client_id's active link in one write (soft: the row stays with who, when, why).
 * STORE_CONFLICT when no link is active. */
int q_caren_unlink(struct db *db, const struct actor *actor, int64_t client_id,
				   int64_t staff_id, const char *staff_name, const char *reason);
/* Invitation id's letter data through fn (while OPEN or not: the caller checks state). */
int q_caren_letter(struct db *db, int64_t id,
				   void (*fn)(const struct caren_letter_row *l, void *ctx), void *ctx);

/* ---- the portal's calls --------------------------------------------------------------- */

/* Why a redemption was refused (STORE_CONFLICT) or what it made (STORE_OK). */
struct caren_redeem_answer {
	const char *refusal;    /* "unknown", "expired", "revoked", "used"; static */
	char object_id[37];     /* the new link's clientObjectId */
	int64_t invitation_id;  /* when the code was found */
};
/* Redeem the invitation whose code hashes to code_hash for portal account account at now
 * (today: the Amsterdam date) in one write audited as actor: STORE_OK with a new active
 * link; STORE_NOT_FOUND for an unknown code; STORE_CONFLICT with a->refusal otherwise.
 * A refused attempt is audited too (outcome "denied"), in its own write. */
int q_caren_redeem(struct db *db, const struct actor *actor, const char *code_hash,
				   const char *account, int64_t now, const char *today,
				   struct caren_redeem_answer *a);
/* The portal ended link object_id: STORE_NOT_FOUND (unknown), STORE_CONFLICT (ended
 * already), STORE_OK. Audited as actor. */
int q_caren_portal_end(struct db *db, const struct actor *actor, const char *object_id,
					   int64_t now);

#endif
