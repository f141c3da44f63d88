/* Location messages (issue 10) in the store: the row struct, scoped reads, sending (one
 * write: the message, its recipients resolved now, the outbox fan-out row, the stored
 * idempotent reply) and the portal's side (message feed, delivery confirmations). Rows
 * are borrowed during the visitor call. */
#ifndef ZT_SERVER_STORE_Q_MESSAGES_H
#define ZT_SERVER_STORE_Q_MESSAGES_H

#include "q_changes.h"
#include "q_idempotency.h"
#include "q_org.h"
#include "store.h"

#include <stdbool.h>
#include <stdint.h>

/* Most characters (code points) a message may have. */
#define MESSAGE_TEXT_MAX 64000

/* A location message; text is NULL in lists. */
struct message_row {
	int64_t id;
	int64_t location_id;       /* 0: all clients */
	const char *location_name; /* NULL for all clients */
	int64_t sender_staff_id;
	const char *sender_name;
	int64_t created_at;        /* Unix seconds */
	const char *text;
	int64_t recipients, clients, portal_users, mails, delivered, failed;
};
typedef void (*q_message_fn)(const struct message_row *m, void *ctx);

/* One recipient of a message as the portal and the detail view see it. */
struct recipient_row {
	int64_t id, message_id, client_id;
	const char *client_number;
	const char *kind;           /* "client", "portal_user" */
	const char *portal_account; /* portal users only */
	const char *client_object_id; /* the client's active Caren link (clientObjectId) or NULL */
	const char *mail_state;     /* "NONE", "PENDING", "SENT", "FAILED" */
	int64_t portal_delivered_at; /* 0: not confirmed */
	int64_t mail_tries;           /* tries of its e-mail notice so far */
	const char *mail_error;       /* why the last try failed, or NULL */
};
typedef void (*q_recipient_fn)(const struct recipient_row *r, void *ctx);

/* The messages staff member scope_staff may see (to a location in scope; to all clients
 * when the organisation's root is in scope), newest first, at most limit. */
int q_messages_list(struct db *db, int64_t scope_staff, int64_t limit, q_message_fn fn,
					void *ctx);
/* The feed's page of messages (type "location_message", see q_changes.h): changed in range
 * fr, in the scope of scope_staff as q_messages_list, without their text. */
int q_feed_messages(struct db *db, int64_t scope_staff, const struct feed_range *fr,
					q_change_fn fn, void *ctx);
/* Every recipient of message id, in order (with its notice's tries and last error). */
int q_message_recipients(struct db *db, int64_t id, q_recipient_fn fn, void *ctx);
/* How many messages staff member scope_staff may see (as q_messages_list). */
int q_messages_count(struct db *db, int64_t scope_staff, int64_t *n);
/* Message id with its text. STORE_NOT_FOUND or STORE_OK. */
int q_message_get(struct db *db, int64_t id, q_message_fn fn, void *ctx);
/* The location that decides who may see message id: its location, or the organisation's
 * root for a message to all clients. */
int q_message_location(struct db *db, int64_t id, int64_t *location_id);
/* The organisation's root location (the one without a parent). */
int q_root_location(struct db *db, int64_t *location_id);
/* How many clients and linked portal users a message to location_id (0: all) would
 * reach now. */
int q_message_audience(struct db *db, int64_t location_id, int64_t *clients,
					   int64_t *portal_users);

/* A message to send, checked for its shape by the caller. */
struct message_new {
	int64_t location_id; /* 0: all clients */
	const char *text;    /* trimmed, 1..MESSAGE_TEXT_MAX characters */
	int64_t staff_id;
	const char *staff_name;
	const char *key;          /* Idempotency-Key */
	const char *request_hash; /* of path and body */
};

/* Render the reply of a new message (inside the write); the caller of render owns it. */
typedef char *(*q_message_render)(const struct message_row *m, void *ctx);
/* Whether the organisation lets messages reach the portal: Caren in use and its
 * communication option on (settings caren_enabled and caren_communication). */
int q_caren_communication(struct db *db, bool *on);
/* Send n in one write: idempotency (STORE_REPLAY answered from the stored reply; the key
 * used for another request: STORE_CONFLICT with a->status 422), the Caren communication
 * setting (off: STORE_CONFLICT with a->status 409), an unknown location (STORE_NOT_FOUND),
 * then the message, its recipients, the outbox fan-out row, the stored reply and the
 * audit as actor. What a owns: q_idem_free. */
int q_message_send(struct db *db, const struct actor *actor, const struct message_new *n,
				   q_message_render render, void *ctx, struct idem_reply *a);

/* The portal's feed: messages created after revision since (by creation), oldest first,
 * at most limit; fn gets each message (with text) and rfn each of its recipients after
 * it. *next is the creation revision of the last message (since when none). */
int q_portal_messages(struct db *db, int64_t since, int64_t limit, q_message_fn fn,
					  q_recipient_fn rfn, void *ctx, int64_t *next);
/* The portal confirms delivery of message id to recipients ids[0..n): sets their
 * portal_delivered_at (once; a repeat changes nothing) and recounts the message.
 * STORE_NOT_FOUND for an unknown message; STORE_INVALID (nothing written) when *unknown
 * ids are not recipients of it. */
int q_portal_delivered(struct db *db, const struct actor *actor, int64_t id,
					   const int64_t *ids, size_t n, size_t *unknown);
/* Recount delivered/failed of message id and stamp it with rev (inside a write). */
int q_message_recount(struct db *db, int64_t id, int64_t rev);

#endif
