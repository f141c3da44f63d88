/* Authentication: passwords (Argon2id), session tokens, login throttling, suppliers. */
#ifndef ZT_SERVER_AUTH_H
#define ZT_SERVER_AUTH_H

#include "http.h"

#include <stdbool.h>
#include <stdint.h>

/* Hash a password with Argon2id into a newly allocated encoded string; NULL on failure. */
char *auth_hash_password(const char *password);
/* True when password matches the encoded Argon2id hash. */
bool auth_verify_password(const char *hash, const char *password);
/* Authenticate r's bearer token and load the staff principal with tasks; on failure set a
 * 401 problem and return false. */
bool auth_staff(struct req *r);
/* True when the principal holds task code. */
bool auth_has_task(const struct principal *p, const char *code);
/* Fill a supplier principal from a certificate CN "{connector}-{customer}-{id}"; false when
 * the CN does not have that shape. */
bool auth_supplier_from_cn(const char *cn, struct principal *p);
/* Admit r's supplier principal: its connector must name a supplier with access granted
 * (table suppliers); sets r->who.supplier_id and returns true, or sets a 403 problem (the
 * refusal is audited) and returns false. */
bool auth_supplier_admit(struct req *r);
/* Free what a principal owns and reset it. */
void auth_principal_clear(struct principal *p);
/* Hex BLAKE2b-256 of a token, as stored in sessions. */
void auth_token_hash(const char *token, char out[65]);

/* The connector named by the Caren portal's certificate CN ("caren-<customer>-<id>"). */
#define AUTH_PORTAL_CONNECTOR "caren"
/* Admit a certificate caller to the portal API only when its connector is the portal's;
 * otherwise audit, set 403 not-portal and return false. */
bool auth_portal_admit(struct req *r);

#endif
