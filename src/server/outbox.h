/* The outbox worker: a thread of zorgd that claims due outbox rows (with a lease, so that
 * with several instances one sends each), sends them through the configured transport
 * (SMTP or a maildir), retries with back-off and records a permanent failure after the
 * configured number of tries. */
#ifndef ZT_SERVER_OUTBOX_H
#define ZT_SERVER_OUTBOX_H

#include <stdbool.h>

struct server;

/* Start the worker for srv (srv->outbox); false with a logged reason. */
bool outbox_start(struct server *srv);
/* Wake the worker at once (a write added rows). Safe from any thread; no-op when off. */
void outbox_kick(struct server *srv);
/* Stop the worker (finishing the mail in flight) and free it. */
void outbox_stop(struct server *srv);
/* The maildir used when no SMTP server is configured: cfg maildir, else DIR/maildir beside
 * an SQLite database; NULL for none. Caller frees. */
char *outbox_default_maildir(const char *db_path, const char *maildir);

#endif
