/* The audit trail (NEN 7513): who did or read what, when, from where, with what outcome. */
#ifndef ZT_SERVER_AUDIT_H
#define ZT_SERVER_AUDIT_H

#include "http.h"

#include <stdint.h>

/* Record one audit row for r's caller; object_id 0 means none. Returns 0 on success. */
int audit_log(struct req *r, const char *action, const char *object_type, int64_t object_id,
			  const char *outcome, const char *detail);

#endif
