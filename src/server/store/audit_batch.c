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
 * hand-off between threads.
 *
 * A request served by libmicrohttpd's event loop need not block its worker for this: with
 * a committer thread started (audit_batch_start), audit_batch_queue copies the row into the
 * queue under a ticket the request keeps, and the request parks (suspends its connection,
 * audit_batch_park) with its answer prepared; the committer commits every row queued
 * meanwhile and resumes the parked connections, which then send their answers (or 500 when
 * the batch failed). So a batch is no longer capped by the number of workers. A row that
 * finds the committer idle and the queue empty is still committed at once by its caller. */
#include "audit_batch.h"

#include "common/alloc.h"
#include "common/log.h"
#include "q_audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most rows one transaction takes; the rest wait for the next one. */
#define AUDIT_BATCH_MAX 512

/* The rows a request queued without waiting (audit_batch_queue), kept by the request. */
struct audit_ticket {
	int pending;        /* rows queued and not yet committed */
	int rc;             /* -1 once a batch holding one of its rows failed */
	bool parked;        /* its connection is suspended until pending is 0 */
	bool orphan;        /* its request is gone: the last row frees it */
	void (*resume)(void *);
	void *arg;
};

/* One queued row. A blocking waiter's row lives on its stack with every field borrowed
 * (ticket NULL); it blocks until done is set (or until it is told to lead). A ticket's row
 * is on the heap with its own copies and is freed when its batch ends. */
struct audit_wait {
	const struct actor *actor;
	const char *action, *object_type, *outcome, *detail;
	int64_t object_id;
	int rc;
	bool done;
	bool lead;           /* the previous leader handed the lead to this waiter */
	pthread_cond_t wake; /* signalled when done or lead is set: only this waiter wakes */
	struct audit_wait *next;
	struct audit_ticket *ticket; /* a queued row's request; NULL: a blocking waiter */
	struct actor own_actor;      /* a ticket row's copies */
	char own_remote[64];
	char *own[4];
};

struct audit_batch {
	pthread_mutex_t lock;
	struct audit_wait *head, **tail; /* rows not yet taken by a leader */
	bool leading;                    /* a leader is committing a batch */
	uint64_t batches, rows;          /* counters, for the log at the end */
	/* the committer thread (audit_batch_start) */
	struct store *store;
	pthread_t thread;
	pthread_cond_t work;    /* rows of tickets queued, or stop */
	pthread_cond_t settled; /* a batch ended (audit_batch_wait) */
	bool running, stopping;
	int queued;             /* ticket rows not yet committed */
};

/* Insert the rows of list in one write transaction on db and commit; 0 on success. */
static int batch_commit(struct db *db, struct audit_wait *list)
{
	if (!db)
		return -1;
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

/* Free a ticket's row (its copies too). */
static void row_free(struct audit_wait *w)
{
	for (size_t i = 0; i < sizeof w->own / sizeof w->own[0]; i++)
		free(w->own[i]);
	free(w);
}

/* A ticket's row is committed (rc 0) or failed (lock held): count it off its ticket,
 * resume the parked request when it was the last, and free the row. */
static void batch_settle(struct audit_batch *b, struct audit_wait *w, int rc)
{
	struct audit_ticket *t = w->ticket;
	row_free(w);
	b->queued--;
	if (rc != 0)
		t->rc = -1;
	if (--t->pending > 0)
		return;
	if (t->orphan) {
		free(t);
	} else if (t->parked) {
		t->parked = false;
		t->resume(t->arg); /* under the lock: its park cannot come after this */
	}
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
		if (w->ticket) {
			batch_settle(b, w, rc);
			continue;
		}
		w->rc = rc;
		w->done = true;
		pthread_cond_signal(&w->wake);
	}
	b->batches++;
	b->rows += n;
	b->leading = false;
	pthread_cond_broadcast(&b->settled);
	if ((b->head && b->head->ticket) || (b->stopping && b->queued == 0)) {
		pthread_cond_signal(&b->work); /* the committer takes it, or may end now */
	}
	if (b->head && !b->head->ticket) {
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
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->settled, NULL);
	return b;
}

void audit_batch_free(struct audit_batch *b)
{
	if (!b)
		return;
	if (b->batches)
		log_info("audit: %llu rows of reads in %llu group commits", (unsigned long long)b->rows,
				 (unsigned long long)b->batches);
	audit_batch_stop(b);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->settled);
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

/* ---- rows that do not block their caller (tickets) ------------------------------------ */

/* The committer thread: while ticket rows wait and no one leads, lead a batch on a
 * connection of its own (kept while there is work, given back when idle). On stop it
 * commits every ticket row still queued, then ends. */
static void *batch_committer(void *arg)
{
	struct audit_batch *b = arg;
	struct db *db = NULL;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		if (!b->head || b->leading) {
			if (b->stopping && b->queued == 0)
				break;
			if (db) { /* idle: give the connection back while waiting */
				pthread_mutex_unlock(&b->lock);
				store_release(b->store, db);
				db = NULL;
				pthread_mutex_lock(&b->lock);
				continue;
			}
			pthread_cond_wait(&b->work, &b->lock);
			continue;
		}
		if (!db) {
			pthread_mutex_unlock(&b->lock);
			db = store_acquire(b->store); /* NULL: the batch fails, its requests get 500 */
			pthread_mutex_lock(&b->lock);
			if (!b->head || b->leading)
				continue;
		}
		batch_lead(b, db);
	}
	pthread_mutex_unlock(&b->lock);
	store_release(b->store, db);
	return NULL;
}

bool audit_batch_start(struct audit_batch *b, struct store *s)
{
	if (!b || b->running)
		return b != NULL;
	b->store = s;
	b->stopping = false;
	if (pthread_create(&b->thread, NULL, batch_committer, b) != 0) {
		log_error("audit: cannot start the committer thread; reads wait for their rows");
		return false;
	}
	b->running = true;
	return true;
}

void audit_batch_stop(struct audit_batch *b)
{
	if (!b || !b->running)
		return;
	pthread_mutex_lock(&b->lock);
	b->stopping = true; /* from now on every row is committed by its caller */
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	b->running = false;
}

/* A heap copy of one row under ticket t (lock not needed). */
static struct audit_wait *row_copy(struct audit_ticket *t, const struct actor *a,
								   const char *action, const char *object_type,
								   int64_t object_id, const char *outcome, const char *detail)
{
	struct audit_wait *w = xcalloc(1, sizeof *w);
	w->ticket = t;
	w->own_actor = *a;
	if (a->remote) {
		snprintf(w->own_remote, sizeof w->own_remote, "%s", a->remote);
		w->own_actor.remote = w->own_remote;
	}
	w->actor = &w->own_actor;
	const char *src[4] = {action, object_type, outcome, detail};
	for (size_t i = 0; i < 4; i++)
		w->own[i] = src[i] ? xstrdup(src[i]) : NULL;
	w->action = w->own[0];
	w->object_type = w->own[1];
	w->outcome = w->own[2];
	w->detail = w->own[3];
	w->object_id = object_id;
	return w;
}

int audit_batch_queue(struct audit_batch *b, struct db *db, struct audit_ticket **tp,
					  const struct actor *a, const char *action, const char *object_type,
					  int64_t object_id, const char *outcome, const char *detail)
{
	pthread_mutex_lock(&b->lock);
	/* No committer, stopping, or nothing going on: commit it now, as a blocking caller. */
	bool now = !b->running || b->stopping || (!b->leading && !b->head);
	pthread_mutex_unlock(&b->lock);
	if (now)
		return audit_batch_insert(b, db, a, action, object_type, object_id, outcome, detail);
	if (!*tp)
		*tp = xcalloc(1, sizeof **tp);
	struct audit_wait *w = row_copy(*tp, a, action, object_type, object_id, outcome, detail);
	pthread_mutex_lock(&b->lock);
	if (b->stopping) { /* the committer may be gone: commit it ourselves */
		pthread_mutex_unlock(&b->lock);
		row_free(w);
		return audit_batch_insert(b, db, a, action, object_type, object_id, outcome, detail);
	}
	(*tp)->pending++;
	b->queued++;
	*b->tail = w;
	b->tail = &w->next;
	if (!b->leading)
		pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->lock);
	return 0;
}

bool audit_batch_park(struct audit_batch *b, struct audit_ticket *t, void (*suspend)(void *),
					  void (*resume)(void *), void *arg, int *rc)
{
	pthread_mutex_lock(&b->lock);
	bool parked = t->pending > 0;
	if (parked) {
		t->parked = true;
		t->resume = resume;
		t->arg = arg;
		suspend(arg); /* under the lock: the committer cannot resume it before this */
	}
	*rc = t->rc;
	pthread_mutex_unlock(&b->lock);
	return parked;
}

int audit_batch_wait(struct audit_batch *b, struct audit_ticket *t)
{
	pthread_mutex_lock(&b->lock);
	while (t->pending > 0)
		pthread_cond_wait(&b->settled, &b->lock);
	int rc = t->rc;
	pthread_mutex_unlock(&b->lock);
	return rc;
}

void audit_batch_ticket_free(struct audit_batch *b, struct audit_ticket *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&b->lock);
	bool now = t->pending == 0;
	t->orphan = true; /* else the last of its rows frees it */
	t->parked = false;
	pthread_mutex_unlock(&b->lock);
	if (now)
		free(t);
}
