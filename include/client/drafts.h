/* Local drafts: what the user typed into a form is kept on disk (0600) until the server
 * has accepted it, so it survives a crash, a quit or a lost connection. */
#ifndef ZT_CLIENT_DRAFTS_H
#define ZT_CLIENT_DRAFTS_H

#include "client/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Save the order draft for its client (atomic replace). 0 on success. */
int draft_save(const char *dir, const char *profile, const struct m_order_draft *d);
/* Load the order draft of client_id; false when there is none (or it is unreadable). */
bool draft_load(const char *dir, const char *profile, int64_t client_id, struct m_order_draft *d);
/* Remove the order draft of client_id. */
void draft_delete(const char *dir, const char *profile, int64_t client_id);
/* The clients that have an order draft (caller frees *ids). */
size_t draft_list(const char *dir, const char *profile, int64_t **ids);
/* Fill key with a new random idempotency key (32 hex digits). */
void draft_new_key(char key[48]);

#endif
