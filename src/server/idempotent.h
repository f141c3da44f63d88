/* Idempotent creation requests, the handler side: the Idempotency-Key header, the hash
 * that tells a retry from another request, and the replies the store's answer gives. */
#ifndef ZT_SERVER_IDEMPOTENT_H
#define ZT_SERVER_IDEMPOTENT_H

#include "http.h"
#include "store/q_idempotency.h"

/* The valid Idempotency-Key header of r (borrowed from r), or NULL with a 400 problem set
 * that asks for one "with every new <what>". */
const char *idem_req_key(struct req *r, const char *what);
/* Hex BLAKE2b-256 of r's path and body into out, to tell a retry from another request. */
void idem_req_hash(const struct req *r, char out[65]);
/* Answer 422 idempotency-key-reused: the key was used for another request. */
void idem_reply_reused(struct req *r, const char *what);
/* Answer r with a new or replayed reply (status, Location, the JSON text); the text's
 * ownership passes to r, the rest of a stays the caller's. */
void idem_send(struct req *r, struct idem_reply *a);

#endif
