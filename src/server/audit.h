/* The audit trail (NEN 7513): who did or read what, when, from where, with what outcome.
 * Rows go through the store (q_audit.c); an actor is a request's caller or a worker. */
#ifndef ZT_SERVER_AUDIT_H
#define ZT_SERVER_AUDIT_H

#include "http.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* The actor for r's caller (staff id, supplier certificate CN or anonymous, with the
 * client address). Borrows r->remote. */
struct actor audit_actor_req(const struct req *r);
/* The actor for background worker name (e.g. "outbox"); no client address. */
struct actor audit_actor_worker(const char *name);

/* Record one audit row for actor a on db; object_id 0 means none. 0 on success. */
int audit_log(struct db *db, const struct actor *a, const char *action,
			  const char *object_type, int64_t object_id, const char *outcome,
			  const char *detail);
/* audit_log for r's caller on r's connection. */
int audit_req(struct req *r, const char *action, const char *object_type, int64_t object_id,
			  const char *outcome, const char *detail);

/* Record that the objects in ids (of object_type) were read, as one row whose detail reads
 * "N label: id,id,..." (none when n is 0). 0 on success. */
int audit_req_ids(struct req *r, const char *action, const char *object_type,
				  const char *label, const int64_t *ids, size_t n);

/* Record that the clients in ids were read as part of a list (one row naming them all,
 * so every record accessed stays identifiable). Returns 0 on success. */
int audit_log_list(struct req *r, const char *action, const int64_t *ids, size_t n);

/* Record that the objects of object_type in ids were read or listed (one row naming them
 * all; none when n is 0). The detail reads "N object_type: id,id,...". 0 on success. */
int audit_log_ids(struct req *r, const char *action, const char *object_type,
				  const int64_t *ids, size_t n);

#endif
