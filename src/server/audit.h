/* The audit trail (NEN 7513): who did or read what, when, from where, with what outcome. */
#ifndef ZT_SERVER_AUDIT_H
#define ZT_SERVER_AUDIT_H

#include "http.h"

#include <stddef.h>
#include <stdint.h>

/* Record one audit row for r's caller; object_id 0 means none. Returns 0 on success. */
int audit_log(struct req *r, const char *action, const char *object_type, int64_t object_id,
			  const char *outcome, const char *detail);

/* Record that the clients in ids were read as part of a list (one row naming them all,
 * so every record accessed stays identifiable). Returns 0 on success. */
int audit_log_list(struct req *r, const char *action, const int64_t *ids, size_t n);

/* Record that the objects of object_type in ids were read or listed (one row naming them
 * all; none when n is 0). The detail reads "N object_type: id,id,...". 0 on success. */
int audit_log_ids(struct req *r, const char *action, const char *object_type,
				  const int64_t *ids, size_t n);

#endif
