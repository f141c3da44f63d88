/* The demo organisation's Caren data: Caren on, the portal reachable, and clients in every
 * status (active links, open invitations with various days left, an expired and a revoked
 * invitation, an ended link with its reason), made through the real store writes. */
#ifndef ZT_SERVER_DEMO_CAREN_H
#define ZT_SERVER_DEMO_CAREN_H

struct db;
struct caren_keys;

/* Add the Caren demo data to a fresh demo organisation at the current time; 0 on success,
 * -1 with *err (caller frees). Client 1 (José) is left NOT_LINKED for the walkthrough. */
int demo_caren_create(struct db *db, const struct caren_keys *keys, char **err);

#endif
