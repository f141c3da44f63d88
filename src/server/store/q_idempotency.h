/* Idempotency keys in the store: a write request carries a key; its reply is kept under
 * (staff, key) so that a retry is answered from it and a reused key is refused. */
#ifndef ZT_SERVER_STORE_Q_IDEMPOTENCY_H
#define ZT_SERVER_STORE_Q_IDEMPOTENCY_H

#include "store.h"

#include <stdbool.h>
#include <stdint.h>

/* Idempotency keys are kept (and a repeated request answered from them) for 7 days. */
#define IDEMPOTENCY_KEEP (7 * 24 * 3600)

/* Who sent which key for which request (strings borrowed). */
struct idem_key {
	int64_t staff_id;
	const char *key;
	const char *request_hash;
};

/* The (staff, key, request_hash) of a request struct n with fields of those names. */
#define IDEM_KEY_OF(n) ((struct idem_key){(n)->staff_id, (n)->key, (n)->request_hash})

/* The reply of an idempotent creation, new or replayed; strings owned (q_idem_free). */
struct idem_reply {
	int status;     /* 201, or the stored status of a replay; 422 for a reused key */
	char *location; /* Location header, or NULL */
	char *response; /* the JSON text to send */
	bool replay;    /* answered from the stored reply */
};

/* Inside a write: forget old keys, then look up k. STORE_REPLAY (r filled from the stored
 * reply, r->replay set), STORE_CONFLICT (the key was used for another request; r->status
 * 422), STORE_OK (a new key) or STORE_ERROR. */
int q_idem_check(struct db *db, const struct idem_key *k, struct idem_reply *r);
/* Inside a write: object id was created: r becomes 201 with Location "<path>/<id>" (and
 * the response the caller put in r) and is stored under k. False on a store error. */
bool q_idem_created(struct db *db, const struct idem_key *k, struct idem_reply *r,
					const char *path, int64_t id);
/* store_write(db, actor, op, arg) for an idempotent creation answering in r: r is freed
 * when the write fails; a replayed answer returns STORE_REPLAY. */
int q_idem_write(struct db *db, const struct actor *actor,
				 int (*op)(struct store_write *w, void *arg), void *arg, struct idem_reply *r);
/* Free what r owns. */
void q_idem_free(struct idem_reply *r);

#endif
