/* The store: picks the driver for a --db target and runs one write (store_write) the same
 * way for every resource: transaction, revision, audit, commit, feed. */
#include "store.h"

#include "common/alloc.h"
#include "audit_batch.h"
#include "common/log.h"
#include "pg.h"
#include "q_audit.h"

#include <stdlib.h>
#include <string.h>

struct store {
	const struct store_driver *drv;
	void *pool;
	struct audit_batch *audit; /* group commit of the audit rows of reads */
};

/* The backends this zorgd was built with, tried in order (the last accepts file paths). */
static const struct store_driver *const drivers[] = {
	&store_driver_postgresql,
	&store_driver_sqlite,
};

struct store *store_open(const char *target, char **err)
{
	for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
		if (!drivers[i]->accepts(target))
			continue;
		void *pool = drivers[i]->open(target, err);
		if (!pool)
			return NULL;
		struct store *s = xcalloc(1, sizeof *s);
		s->drv = drivers[i];
		s->pool = pool;
		s->audit = audit_batch_new();
		return s;
	}
	*err = xasprintf("no store backend for '%s' in this zorgd", target);
	return NULL;
}

void store_close(struct store **sp)
{
	struct store *s = *sp;
	if (!s)
		return;
	audit_batch_free(s->audit);
	s->drv->close(s->pool);
	free(s);
	*sp = NULL;
}

const char *store_backend(const struct store *s)
{
	return s->drv->name;
}

struct db *store_acquire(struct store *s)
{
	return s->drv->acquire(s->pool);
}

void store_release(struct store *s, struct db *db)
{
	if (db)
		s->drv->release(s->pool, db);
}

int store_audit(struct store *s, struct db *db, const struct actor *a, const char *action,
				const char *object_type, int64_t object_id, const char *outcome, const char *detail)
{
	if (!s->audit) /* out of memory at open: one transaction per row, as before */
		return q_audit_insert(db, a, action, object_type, object_id, outcome, detail);
	return audit_batch_insert(s->audit, db, a, action, object_type, object_id, outcome, detail);
}

bool store_audit_start(struct store *s)
{
	return s->audit && audit_batch_start(s->audit, s);
}

void store_audit_stop(struct store *s)
{
	audit_batch_stop(s->audit);
}

int store_audit_queue(struct store *s, struct db *db, struct audit_ticket **tp,
					  const struct actor *a, const char *action, const char *object_type,
					  int64_t object_id, const char *outcome, const char *detail)
{
	if (!s->audit)
		return q_audit_insert(db, a, action, object_type, object_id, outcome, detail);
	return audit_batch_queue(s->audit, db, tp, a, action, object_type, object_id, outcome,
							 detail);
}

bool store_audit_park(struct store *s, struct audit_ticket *t, void (*suspend)(void *),
					  void (*resume)(void *), void *arg, int *rc)
{
	return audit_batch_park(s->audit, t, suspend, resume, arg, rc);
}

int store_audit_wait(struct store *s, struct audit_ticket *t)
{
	return audit_batch_wait(s->audit, t);
}

void store_audit_ticket_free(struct store *s, struct audit_ticket *t)
{
	if (t)
		audit_batch_ticket_free(s->audit, t);
}

bool store_wait(struct store *s, int64_t since, int timeout_ms)
{
	return s->drv->wait(s->pool, since, timeout_ms);
}

bool stmt_done(struct stmt *st)
{
	enum store_step rc = stmt_step(st);
	stmt_reset(st);
	return rc == STORE_STEP_DONE;
}

bool stmt_one_int(struct stmt *st, int64_t def, int64_t *out)
{
	enum store_step rc = stmt_step(st);
	*out = rc == STORE_STEP_ROW ? stmt_col_int(st, 0) : def;
	stmt_reset(st);
	return rc != STORE_STEP_ERROR;
}

int stmt_finish(struct stmt *st, enum store_step rc, bool want_one, int64_t rows)
{
	stmt_reset(st);
	if (rc == STORE_STEP_ERROR)
		return STORE_ERROR;
	return want_one && rows == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_read(struct db *db, int64_t *rev, int (*op)(struct db *db, void *arg), void *arg)
{
	if (db_begin(db, false) != 0)
		return STORE_ERROR;
	*rev = db_current_rev(db);
	int rc = *rev >= 0 ? op(db, arg) : STORE_ERROR;
	db_commit(db); /* nothing was written: ending the snapshot cannot lose anything */
	return rc;
}

int64_t store_write_rev(struct store_write *w)
{
	if (!w->rev_used && w->rev > 0) {
		w->rev_used = true;
		return w->rev;
	}
	int64_t rev = db_next_rev(w->db);
	if (rev > 0) {
		w->rev = rev;
		w->rev_used = true;
	}
	return rev;
}

void store_write_audit(struct store_write *w, const char *action, const char *object_type,
					   int64_t object_id, const char *detail)
{
	w->action = action;
	w->object_type = object_type;
	w->object_id = object_id;
	w->outcome = "ok";
	free(w->detail);
	w->detail = detail ? xstrdup(detail) : NULL;
}

/* One attempt of store_write (first: the first revision is taken before op runs) or of
 * store_write_unversioned (first false); the outcome. */
static int store_write_once(struct db *db, const struct actor *actor, store_op op, void *arg,
							bool first)
{
	struct store_write w = {.db = db, .actor = actor};
	if (db_begin(db, true) != 0)
		return STORE_ERROR;
	w.rev = first ? db_next_rev(db) : 0;
	int rc = w.rev > 0 || !first ? op(&w, arg) : STORE_ERROR;
	if (rc == STORE_OK && w.action &&
		q_audit_insert(db, actor, w.action, w.object_type, w.object_id, w.outcome, w.detail) != 0)
		rc = STORE_ERROR;
	if (rc == STORE_OK && db_commit(db) != 0)
		rc = STORE_ERROR;
	if (rc != STORE_OK)
		db_rollback(db);
	else if (w.rev_used)
		db_notify(db, w.rev); /* a write that stamped no row has nothing to announce */
	free(w.detail);
	return rc;
}

/* A write that lost a race with another instance (PostgreSQL: two transactions inserted
 * the same idempotency key, a serialisation failure, a deadlock) runs again from the
 * start: the second attempt sees the winner's committed rows (and so answers a replay). */
#define STORE_WRITE_ATTEMPTS 4

/* store_write's loop over attempts. */
static int store_write_attempts(struct db *db, const struct actor *actor, store_op op,
								void *arg, bool first)
{
	int rc = STORE_ERROR;
	for (int i = 0; i < STORE_WRITE_ATTEMPTS; i++) {
		rc = store_write_once(db, actor, op, arg, first);
		if (rc != STORE_ERROR || !db->drv->retryable || !db->drv->retryable(db))
			break;
		log_info("store: write lost a race with another writer; trying again");
	}
	return rc;
}

int store_write(struct db *db, const struct actor *actor, store_op op, void *arg)
{
	return store_write_attempts(db, actor, op, arg, true);
}

int store_write_unversioned(struct db *db, const struct actor *actor, store_op op, void *arg)
{
	return store_write_attempts(db, actor, op, arg, false);
}
