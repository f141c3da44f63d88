/* Group commit of audit rows (see audit_batch.c): many requests' rows, one transaction. */
#ifndef ZT_SERVER_STORE_AUDIT_BATCH_H
#define ZT_SERVER_STORE_AUDIT_BATCH_H

#include "store.h"

#include <stdbool.h>
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

/* The rows one request queued without waiting (audit_batch_queue); owned by the request,
 * freed with audit_batch_ticket_free. */
struct audit_ticket;

/* Start b's committer thread, which commits queued ticket rows on connections of store s;
 * false (rows are then committed by their callers) when the thread cannot start. */
bool audit_batch_start(struct audit_batch *b, struct store *s);
/* Commit every ticket row still queued, resume their parked requests and end the thread;
 * later rows are committed by their callers. NULL or not started is fine. */
void audit_batch_stop(struct audit_batch *b);
/* Record one row without waiting when a commit is under way: the row is copied under the
 * ticket *tp (created when NULL) and 0 returned; the caller must not answer before
 * audit_batch_park or audit_batch_wait says its rows are committed. When nothing is going
 * on (or no committer runs) the row is committed at once, as audit_batch_insert, and its
 * result returned; *tp is then left as it was. */
int audit_batch_queue(struct audit_batch *b, struct db *db, struct audit_ticket **tp,
					  const struct actor *a, const char *action, const char *object_type,
					  int64_t object_id, const char *outcome, const char *detail);
/* When rows of t are still queued, call suspend(arg) under b's lock and return true: the
 * committer calls resume(arg) (under its lock, from its thread) once they are all
 * committed or failed. Otherwise return false with *rc: 0, or -1 when a batch failed. */
bool audit_batch_park(struct audit_batch *b, struct audit_ticket *t, void (*suspend)(void *),
					  void (*resume)(void *), void *arg, int *rc);
/* Block until every row of t is committed: 0, or -1 when a batch failed. */
int audit_batch_wait(struct audit_batch *b, struct audit_ticket *t);
/* Free t; a ticket with rows still queued is freed by the committer after its last row. */
void audit_batch_ticket_free(struct audit_batch *b, struct audit_ticket *t);

#endif
