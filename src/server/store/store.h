/* zorgd's store: the typed API that query functions (q_*.c) use, over a driver (driver.h)
 * chosen by the --db target: a file path is SQLite, "postgresql://..." PostgreSQL.
 * Handlers do not use this file's statement functions; they call q_*.c (see queries.h). */
#ifndef ZT_SERVER_STORE_STORE_H
#define ZT_SERVER_STORE_STORE_H

#include "driver.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Open the store named by target (path or URL), migrating it; NULL with *err (caller
 * frees) on failure, e.g. a database newer than this binary or an unknown backend. */
struct store *store_open(const char *target, char **err);
/* Close every connection and free the store; sets *sp to NULL. */
void store_close(struct store **sp);
/* The backend's name ("sqlite", "postgresql"). Static. */
const char *store_backend(const struct store *s);
/* Borrow a connection (NULL on failure, logged). */
struct db *store_acquire(struct store *s);
/* Return a borrowed connection (rolled back when a transaction was left open). */
void store_release(struct store *s, struct db *db);
/* Wait up to timeout_ms for a revision newer than since to be announced, from this or
 * (PostgreSQL) another instance, or for shutdown; true when one was. */
bool store_wait(struct store *s, int64_t since, int timeout_ms);

/* ---- connections -------------------------------------------------------------------- */

/* Begin a write (true) or read (false) transaction; 0 on success. */
static inline int db_begin(struct db *db, bool write) { return db->drv->begin(db, write); }
/* Commit; 0 on success. */
static inline int db_commit(struct db *db) { return db->drv->commit(db); }
/* Roll back (no-op outside a transaction). */
static inline void db_rollback(struct db *db) { db->drv->rollback(db); }
/* Run parameterless sql without rows; 0 on success. */
static inline int db_exec(struct db *db, const char *sql) { return db->drv->exec(db, sql); }
/* The cached, reset statement for static sql ($1, $2 ... parameters); borrowed. NULL on a
 * prepare error (logged). */
static inline struct stmt *db_prep(struct db *db, const char *sql)
{
	return db->drv->prepare(db, sql);
}
/* Take the next global revision inside the open write transaction; -1 on error. */
static inline int64_t db_next_rev(struct db *db) { return db->drv->next_revision(db); }
/* The newest committed revision visible to this connection; -1 on error. */
static inline int64_t db_current_rev(struct db *db) { return db->drv->current_revision(db); }
/* Rows changed by the last write statement. */
static inline int64_t db_changes(struct db *db) { return db->drv->changes(db); }
/* Announce after commit that revision rev is committed (wakes long-polls everywhere). */
static inline void db_notify(struct db *db, int64_t rev) { db->drv->notify(db->pool, db, rev); }
/* The schema version recorded in the database (0 when empty). */
static inline int db_schema_version(struct db *db) { return db->drv->schema_version(db); }
/* The newest schema version the connection's backend knows. */
static inline int db_schema_latest(struct db *db) { return db->drv->schema_latest(); }

/* ---- statements --------------------------------------------------------------------- */

/* Bind $i to an integer. */
static inline void stmt_int(struct stmt *st, int i, int64_t v) { st->drv->bind_int64(st, i, v); }
/* Bind $i to a double. */
static inline void stmt_double(struct stmt *st, int i, double v) { st->drv->bind_double(st, i, v); }
/* Bind $i to text s (NULL: SQL NULL); s must stay valid until the statement is reset. */
static inline void stmt_text(struct stmt *st, int i, const char *s)
{
	st->drv->bind_text(st, i, s, false);
}
/* Bind $i to a copy of text s (NULL: SQL NULL). */
static inline void stmt_text_copy(struct stmt *st, int i, const char *s)
{
	st->drv->bind_text(st, i, s, true);
}
/* Bind $i to NULL. */
static inline void stmt_null(struct stmt *st, int i) { st->drv->bind_null(st, i); }
/* Step to the next row: STORE_STEP_ROW, STORE_STEP_DONE or STORE_STEP_ERROR. */
static inline enum store_step stmt_step(struct stmt *st) { return st->drv->step(st); }
/* Step once and return true when a row came (the caller resets after reading it). */
static inline bool stmt_row(struct stmt *st) { return st->drv->step(st) == STORE_STEP_ROW; }
/* Forget the result and bindings (always, after the last step and column read). */
static inline void stmt_reset(struct stmt *st) { st->drv->reset(st); }
/* Column i as an integer (NULL reads 0). */
static inline int64_t stmt_col_int(struct stmt *st, int i) { return st->drv->col_int64(st, i); }
/* Column i as a double (NULL reads 0.0). */
static inline double stmt_col_double(struct stmt *st, int i) { return st->drv->col_double(st, i); }
/* Column i as text, or NULL; borrowed until the next step or reset. */
static inline const char *stmt_col_text(struct stmt *st, int i)
{
	return st->drv->col_text(st, i);
}
/* True when column i is NULL. */
static inline bool stmt_col_null(struct stmt *st, int i) { return st->drv->col_is_null(st, i); }

/* Step a write statement to its end and reset it; true on success. */
bool stmt_done(struct stmt *st);
/* Step once, read column 0 as an integer into *out (def when there is no row), reset;
 * false on a store error. */
bool stmt_one_int(struct stmt *st, int64_t def, int64_t *out);

/* What a query function returns after stepping st to its end (rc the last step) and
 * resetting it: STORE_ERROR on a step error, STORE_NOT_FOUND when one row was wanted
 * (want_one) and none came (rows 0), else STORE_OK. */
int stmt_finish(struct stmt *st, enum store_step rc, bool want_one, int64_t rows);

/* ---- one consistent read ------------------------------------------------------------ */

/* Run op(db, arg) inside one read transaction (one snapshot) after reading the newest
 * committed revision into *rev; op returns STORE_OK or another outcome, which is returned
 * (STORE_ERROR when the transaction cannot start or the revision cannot be read). */
int store_read(struct db *db, int64_t *rev, int (*op)(struct db *db, void *arg), void *arg);

/* ---- one write ---------------------------------------------------------------------- */

/* Who did it, for the audit: a request's caller or a background worker. */
struct actor {
	const char *type;  /* "staff", "supplier", "anonymous", "worker"; static */
	char id[256];      /* staff id, certificate CN or worker name; "" for none */
	const char *remote; /* client address, or NULL; borrowed */
};

/* The state of one store_write, for its operation. */
struct store_write {
	struct db *db;
	const struct actor *actor;
	int64_t rev;            /* the newest revision taken */
	bool rev_used;          /* the operation has taken w->rev (store_write_rev) */
	const char *action;     /* audit row to write; NULL: none */
	const char *object_type;
	int64_t object_id;
	char *detail;           /* owned */
	const char *outcome;    /* of the audit row: "ok" unless the operation says otherwise */
};

/* Record one audit row for actor a and return once it is committed (0), or -1: the rows
 * of concurrent callers are committed together in one transaction (group commit,
 * audit_batch.c). For the audit of reads: db is the caller's connection of store s,
 * outside any transaction; object_id 0 means none; every argument is borrowed. */
int store_audit(struct store *s, struct db *db, const struct actor *a, const char *action,
				const char *object_type, int64_t object_id, const char *outcome, const char *detail);

/* The audit rows of reads without holding the caller while a batch commits (see
 * audit_batch.h, which these pass to): a ticket keeps a request's queued rows. */
struct audit_ticket;
/* Start the committer thread of s (zorgd's HTTP server); false when it cannot start. */
bool store_audit_start(struct store *s);
/* Commit what is queued, resume the parked requests and stop the committer thread. */
void store_audit_stop(struct store *s);
/* Like store_audit, but when a commit is under way the row is queued under *tp and 0 is
 * returned at once; the caller answers only after store_audit_park/wait report it. */
int store_audit_queue(struct store *s, struct db *db, struct audit_ticket **tp,
					  const struct actor *a, const char *action, const char *object_type,
					  int64_t object_id, const char *outcome, const char *detail);
/* true: t's rows are queued; suspend(arg) was called, resume(arg) follows their commit.
 * false: all are done, *rc 0 or -1 (a batch failed). */
bool store_audit_park(struct store *s, struct audit_ticket *t, void (*suspend)(void *),
					  void (*resume)(void *), void *arg, int *rc);
/* Block until t's rows are committed: 0, or -1. */
int store_audit_wait(struct store *s, struct audit_ticket *t);
/* Free t (NULL is fine), also while rows of it are queued. */
void store_audit_ticket_free(struct store *s, struct audit_ticket *t);

/* What an operation returns: STORE_OK commits; anything else rolls back and is returned
 * by store_write to the caller (who answers with it). */
enum store_outcome {
	STORE_OK = 0,
	STORE_ERROR = -1,     /* a database error: internal */
	STORE_NOT_FOUND = 1,  /* the object is gone */
	STORE_CONFLICT = 2,   /* the object is in a state that refuses this */
	STORE_INVALID = 3,    /* input that only the database could check is wrong */
	STORE_REPLAY = 4,     /* (idempotency) answered from an earlier request */
};

typedef int (*store_op)(struct store_write *w, void *arg);

/* One write in one place: begin a write transaction -> take the first revision -> op(w,
 * arg) (op stamps rows with store_write_rev and names its audit row with
 * store_write_audit) -> the audit row -> commit -> notify the feed of w->rev. Rolls back
 * when op returns non-zero or any step fails. Returns op's outcome, or STORE_ERROR.
 * The first revision is taken before op runs on purpose: taking a revision locks the
 * counter until commit (PostgreSQL: its row lock; SQLite: writers are serialised anyway),
 * so op's checks (an idempotency key, an order's current state, a setting it changes) see
 * every write committed before it, also through another zorgd, and no two writes
 * interleave check and change. A write that then changes nothing may leave a gap in the
 * numbers; the feed does not mind. */
int store_write(struct db *db, const struct actor *actor, store_op op, void *arg);
/* store_write for bookkeeping that no feed shows (the outbox's claims and outcomes): no
 * revision is taken up front, so the counter does not move and its lock is not held;
 * store_write_rev inside op still takes one (and then it is announced). */
int store_write_unversioned(struct db *db, const struct actor *actor, store_op op, void *arg);
/* A revision for a row of this write: the one taken at the start first, then new ones
 * (-1 on error); the newest is announced after commit. */
int64_t store_write_rev(struct store_write *w);
/* Name the audit row store_write writes on success (outcome "ok" unless w->outcome is set
 * after this call); detail may be NULL (copied). action and object_type must be static. */
void store_write_audit(struct store_write *w, const char *action, const char *object_type,
					   int64_t object_id, const char *detail);

#endif
