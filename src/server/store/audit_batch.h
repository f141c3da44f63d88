/* Group commit of audit rows (see audit_batch.c): many requests' rows, one transaction. */
#ifndef ZT_SERVER_STORE_AUDIT_BATCH_H
#define ZT_SERVER_STORE_AUDIT_BATCH_H

#include "store.h"

#include <stdint.h>

struct audit_batch;

/* A group committer; NULL when out of memory. Free with audit_batch_free. */
struct audit_batch *audit_batch_new(void);
/* Free b (NULL is fine) once no caller is inside audit_batch_insert. */
void audit_batch_free(struct audit_batch *b);
/* Insert one audit row for actor a through the group committer and return after the
 * transaction holding it has committed: 0, or -1 when that transaction failed. db is the
 * caller's connection, outside any transaction; it commits the batch when the caller
 * leads one. Every argument is borrowed for the call; object_id 0 means none. */
int audit_batch_insert(struct audit_batch *b, struct db *db, const struct actor *a,
					   const char *action, const char *object_type, int64_t object_id,
					   const char *outcome, const char *detail);

#endif
