/* The outbox in the store: the one way zorgd sends anything. A business change adds its
 * rows inside its own write (q_outbox_add); workers claim due rows with a lease
 * (q_outbox_claim), send them and record the outcome (q_outbox_finish). Times of the
 * outbox (next_at, lease_until) are Unix milliseconds. */
#ifndef ZT_SERVER_STORE_Q_OUTBOX_H
#define ZT_SERVER_STORE_Q_OUTBOX_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinds of outbox rows. A fan-out row becomes one notice row per recipient with an
 * e-mail address; a notice is the e-mail "a new message is waiting"; a mail row carries
 * its own subject and body (for later senders: invitations, appointment notices). */
#define OUTBOX_MESSAGE_FANOUT "message.fanout"
#define OUTBOX_MESSAGE_NOTICE "message.notice"
#define OUTBOX_MAIL "mail"

/* A claimed row; strings owned (outbox_rows_free). */
struct outbox_row {
	int64_t id;
	char *kind;
	int64_t ref_id;       /* the message (fan-out, notice) */
	int64_t recipient_id; /* the message_recipients row (notice); 0 otherwise */
	char *mail_to, *subject, *body;
	int64_t tries;
	int64_t created_at;   /* Unix seconds; part of the stable Message-ID */
	int64_t lease_until;  /* ms */
};

/* Add a row inside the caller's write transaction; due at once. mail_to may be NULL. */
int q_outbox_add(struct db *db, const char *kind, int64_t ref_id, int64_t recipient_id,
				 const char *mail_to);
/* Add a self-contained e-mail (subject and body stored with it) inside the caller's
 * write; ref_id and recipient_id make it unique per business object. */
int q_outbox_add_mail(struct db *db, int64_t ref_id, int64_t recipient_id, const char *to,
					  const char *subject, const char *body);
/* Whether any row is due now (a read: an idle worker does not take the write lock). */
int q_outbox_due(struct db *db, int64_t now_ms, bool *due);
/* Claim up to limit due rows (pending, next_at reached, no live lease) for owner until
 * lease_until (ms), oldest first; *rows (caller frees with outbox_rows_free) and *n. */
int q_outbox_claim(struct db *db, const struct actor *actor, const char *owner,
				   int64_t now_ms, int64_t lease_until, size_t limit, struct outbox_row **rows,
				   size_t *n);
/* Free claimed rows. */
void outbox_rows_free(struct outbox_row *rows, size_t n);
/* Expand fan-out row f of a message into its notice rows, one chunk per call (its own
 * write); *more tells whether chunks remain; the last one marks f sent. */
int q_outbox_expand(struct db *db, const struct actor *actor, const struct outbox_row *f,
					bool *more);

/* What became of one row. */
enum outbox_outcome { OUTBOX_SENT, OUTBOX_RETRY, OUTBOX_FAILED };
/* The outcome of one claimed row: sent; retry at next_at (ms) with error; failed for good
 * with error. */
struct outbox_result {
	const struct outbox_row *row; /* borrowed */
	enum outbox_outcome outcome;
	int64_t next_at;
	char error[256];
};
/* Record results r[0..n) in one write; a notice also updates its recipient's mail state. */
int q_outbox_finish(struct db *db, const struct actor *actor, const struct outbox_result *r,
					size_t n);
/* Give back the leases owner still holds on pending rows. */
int q_outbox_release(struct db *db, const struct actor *actor, const char *owner);
/* Recount the delivery counts of messages ids[0..n) in one write (new revision). */
int q_outbox_recount(struct db *db, const struct actor *actor, const int64_t *ids, size_t n);
/* The organisation's name (for mail texts); caller frees. */
int q_outbox_org_name(struct db *db, char **name);

#endif
