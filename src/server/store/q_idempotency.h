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

/* Forget old keys, then look up k: STORE_REPLAY (*status, *location, *response filled from
 * the stored reply; the caller owns the strings), STORE_CONFLICT (the key was used for
 * another request; *status 422), STORE_OK (a new key) or STORE_ERROR. */
int q_idem_check(struct db *db, const struct idem_key *k, int *status, char **location,
				 char **response);
/* Store the reply (status, location (may be NULL), response) under k. True on success. */
bool q_idem_store(struct db *db, const struct idem_key *k, int status, const char *location,
				  const char *response);

#endif
