/* Change-feed signalling: writers announce new revisions, long-polls wait for them. */
#ifndef ZT_SERVER_FEED_H
#define ZT_SERVER_FEED_H

#include <stdbool.h>
#include <stdint.h>

/* Announce that revision rev is committed; wakes every waiting long-poll. */
void feed_notify(int64_t rev);
/* Wait up to timeout_ms for a revision newer than since to be announced, or for shutdown.
 * Returns true when woken by a newer revision (it may still be invisible to the caller). */
bool feed_wait(int64_t since, int timeout_ms);
/* The newest revision announced so far (0 before the first). */
int64_t feed_revision(void);
/* Wake every waiter for good: the server is stopping. */
void feed_shutdown(void);
/* True once feed_shutdown has been called. */
bool feed_stopping(void);

#endif
