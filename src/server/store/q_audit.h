/* Audit rows in the store (NEN 7513): who did or read what, when, from where. */
#ifndef ZT_SERVER_STORE_Q_AUDIT_H
#define ZT_SERVER_STORE_Q_AUDIT_H

#include "store.h"

#include <stdint.h>

/* Insert one audit row for actor a on db (inside its transaction when one is open);
 * object_type, object_id (0: none) and detail may be absent. 0 on success. */
int q_audit_insert(struct db *db, const struct actor *a, const char *action,
				   const char *object_type, int64_t object_id, const char *outcome,
				   const char *detail);

#endif
