/* Location messages in the client core (issue 10): the message as zorgterm knows it, the
 * requests (one message with its text, the audience for the confirmation, sending), the
 * draft of the message being written (kept on disk with its idempotency key until the
 * server accepted it) and the list from the replica (fed by the change feed, so delivery
 * counts move by themselves). No curses here. */
#ifndef ZT_CLIENT_MESSAGES_H
#define ZT_CLIENT_MESSAGES_H

#include "client/app.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most characters of a message (the server counts code points too). */
#define MESSAGE_LIMIT 64000

/* A location message; text NULL unless read from GET /location-messages/{id}. */
struct m_message {
	int64_t id;
	int64_t location_id;  /* 0: all clients */
	char *location_name;  /* NULL: all clients */
	char *sender;
	char sent_at[32];
	int64_t recipients, clients, portal_users, mails, delivered, failed, pending;
	char *text;
};

/* Parse a message; false when malformed. Free with m_message_free. */
bool m_message_parse(const cJSON *j, struct m_message *out);
void m_message_free(struct m_message *m);

/* The message being written: where to, what, and the key chosen when it was begun. */
struct m_message_draft {
	int64_t location_id; /* 0: all clients */
	char key[48];
	char *text;          /* owned */
};

/* Save d for its target (atomic replace, 0600). 0 on success. */
int message_draft_save(const char *dir, const char *profile, const struct m_message_draft *d);
/* Load the draft for location_id; false when there is none. Free with message_draft_free. */
bool message_draft_load(const char *dir, const char *profile, int64_t location_id,
						struct m_message_draft *d);
void message_draft_free(struct m_message_draft *d);
/* Remove the draft for location_id. */
void message_draft_delete(const char *dir, const char *profile, int64_t location_id);

/* Read message id with its text into a->msg_detail (OP_MSG_GET). Request id. */
uint64_t app_message_get(struct app *a, int64_t id);
/* Ask how many a message to location_id (0: all) would reach (OP_MSG_AUDIENCE): the answer
 * goes to a->msg_aud_clients and a->msg_aud_users (a->msg_aud_off: Caren's communication
 * option is off, sending would be refused). Request id. */
uint64_t app_message_audience(struct app *a, int64_t location_id);
/* Send draft d (OP_MSG_SEND) with its idempotency key; on 201 the draft file is removed
 * and the message put into the replica. Request id. */
uint64_t app_message_send(struct app *a, const struct m_message_draft *d);

/* The messages in the replica, newest first (caller frees with view_messages_free). */
bool view_messages(struct app *a, struct m_message **out, size_t *n);
void view_messages_free(struct m_message **m, size_t *n);

#endif
