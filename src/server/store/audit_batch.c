/* Group commit of the audit rows of reads (leader and followers, no thread of its own).
 *
 * A request that audits queues its row. When no commit is running it becomes the leader:
 * it takes every queued row (its own and those of requests that queued meanwhile), inserts
 * them in one write transaction on its own connection, commits, and marks each row's
 * waiter done. Requests that queue while a commit runs wait (each on its own condition
 * variable, so only they wake); when the leader finishes and rows wait, it hands the lead
 * to the first of them. Every request returns only after the transaction holding its row
 * has committed, so no read is answered before its audit row is durable (the NEN 7513 rule
 * stays as strict as one transaction per row), while the write lock and the commit are
 * paid once per batch. Without contention a request commits its own row at once, with no
 * hand-off between threads. */
#include "audit_batch.h"

#include "common/log.h"
#include "q_audit.h"

#include <pthread.h>
#include <stdlib.h>

/* The most rows one transaction takes; the rest wait for the next one. */
#define AUDIT_BATCH_MAX 512

/* One waiting request's row; everything is borrowed from the waiter, who blocks until
 * done is set (or until it is told to lead). */
struct audit_wait {
	const struct actor *actor;
	const char *action, *object_type, *outcome, *detail;
	int64_t object_id;
	int rc;
	bool done;
	bool lead;           /* the previous leader handed the lead to this waiter */
	pthread_cond_t wake; /* signalled when done or lead is set: only this waiter wakes */
	struct audit_wait *next;
};

struct audit_batch {
	pthread_mutex_t lock;
	struct audit_wait *head, **tail; /* rows not yet taken by a leader */
	bool leading;                    /* a leader is committing a batch */
	uint64_t batches, rows;          /* counters, for the log at the end */
};

/* Insert the rows of list in one write transaction on db and commit; 0 on success. */
static int batch_commit(struct db *db, struct audit_wait *list)
{
	/* One row (no other request queued meanwhile): its INSERT is a transaction of its own,
	 * committed when the statement returns; on PostgreSQL one round trip instead of three. */
	if (!list->next)
		return q_audit_insert(db, list->actor, list->action, list->object_type,
							  list->object_id, list->outcome, list->detail);
	if (db_begin(db, true) != 0)
		return -1;
	for (struct audit_wait *w = list; w; w = w->next) {
		if (q_audit_insert(db, w->actor, w->action, w->object_type, w->object_id, w->outcome,
						   w->detail) != 0) {
			db_rollback(db);
			return -1;
		}
	}
	if (db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* Take at most AUDIT_BATCH_MAX queued rows off the queue (lock held; queue not empty). */
static struct audit_wait *batch_take(struct audit_batch *b, size_t *n)
{
	struct audit_wait *list = b->head, *w = list;
	*n = 1;
	while (w->next && *n < AUDIT_BATCH_MAX) {
		w = w->next;
		(*n)++;
	}
	b->head = w->next;
	if (!b->head)
		b->tail = &b->head;
	w->next = NULL;
	return list;
}

/* Lead one batch on db (lock held on entry and exit): take the queue, commit it with the
 * lock released, mark its waiters done, then hand the lead to the next queued waiter. */
static void batch_lead(struct audit_batch *b, struct db *db)
{
	b->leading = true;
	size_t n;
	struct audit_wait *list = batch_take(b, &n);
	pthread_mutex_unlock(&b->lock);
	int rc = batch_commit(db, list);
	if (rc != 0)
		log_error("audit: a group commit of %zu rows failed", n);
	pthread_mutex_lock(&b->lock);
	for (struct audit_wait *w = list, *next; w; w = next) {
		next = w->next; /* w belongs to its waiter again once done is set */
		w->rc = rc;
		w->done = true;
		pthread_cond_signal(&w->wake);
	}
	b->batches++;
	b->rows += n;
	b->leading = false;
	if (b->head) {
		b->head->lead = true;
		pthread_cond_signal(&b->head->wake);
	}
}

struct audit_batch *audit_batch_new(void)
{
	struct audit_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->tail = &b->head;
	pthread_mutex_init(&b->lock, NULL);
	return b;
}

void audit_batch_free(struct audit_batch *b)
{
	if (!b)
		return;
	if (b->batches)
		log_info("audit: %llu rows of reads in %llu group commits", (unsigned long long)b->rows,
				 (unsigned long long)b->batches);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

int audit_batch_insert(struct audit_batch *b, struct db *db, const struct actor *a,
					   const char *action, const char *object_type, int64_t object_id,
					   const char *outcome, const char *detail)
{
	struct audit_wait w = {.actor = a, .action = action, .object_type = object_type,
						   .object_id = object_id, .outcome = outcome, .detail = detail};
	pthread_cond_init(&w.wake, NULL);
	pthread_mutex_lock(&b->lock);
	*b->tail = &w;
	b->tail = &w.next;
	while (!w.done) {
		if (!b->leading && (w.lead || b->head == &w)) {
			w.lead = false;
			batch_lead(b, db); /* takes w too: it is queued and not yet taken */
			continue;
		}
		pthread_cond_wait(&w.wake, &b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	pthread_cond_destroy(&w.wake);
	return w.rc;
}
