/* The PostgreSQL driver (libpq): a bounded pool of connections, each with its prepared
 * statements (PQprepare once per connection, keyed by the address of the static SQL),
 * parameters always bound (text format, never spliced into SQL), numbered migrations run
 * under an advisory lock, the shared revision counter, and LISTEN/NOTIFY so that a change
 * committed through any instance wakes the long-polls of every instance.
 *
 * Gap-free feed (docs/DESIGN.md, "PostgreSQL and several instances"): next_revision runs
 * UPDATE revision SET value = value + 1 ... RETURNING value, which takes the counter row's
 * lock and holds it until the transaction ends. A second writer asking for a revision
 * waits until the first has committed (or rolled back), so revisions become visible in
 * the order they were handed out: once a reader sees revision N, every change numbered
 * below N is committed and visible too. Readers use one REPEATABLE READ snapshot per read
 * transaction, so a feed page and the revision it reports come from the same moment. */
#include "pg.h"

#include "common/alloc.h"
#include "common/log.h"
#include "feed.h"
#include "pg_schema.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PG_MAX_PARAMS 64
#define PG_POOL_MAX 24          /* connections per instance (default server allows 100) */
#define PG_CHANNEL "zorgd_changes"
#define PG_MIGRATE_LOCK 7411021 /* advisory lock key: one instance migrates at a time */
#define PG_STR2(x) #x
#define PG_STR(x) PG_STR2(x)
#define PG_INT8OID 20
#define PG_FLOAT8OID 701

struct pg_db;

struct pg_stmt {
	struct stmt base;
	struct pg_db *db;
	const char *sql; /* key: the static SQL's address */
	char name[24];
	bool prepared;
	int nparams;
	Oid types[PG_MAX_PARAMS]; /* of the current binding; 0 lets the server infer */
	const char *vals[PG_MAX_PARAMS];
	char *owned[PG_MAX_PARAMS];
	char num[PG_MAX_PARAMS][32];
	PGresult *res;
	int row, nrows;
	bool ran;
};

struct pg_db {
	struct db base;
	PGconn *c;
	struct pg_pool *pool;
	struct pg_stmt **cache; /* open addressing on the SQL's address */
	size_t cap, used;
	unsigned names;
	int64_t changes;
	char sqlstate[6];
	struct pg_db *next_free;
};

struct pg_pool {
	char *conninfo;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct pg_db *free_list;
	int open; /* connections open (idle or borrowed) */
	pthread_t listener;
	bool listening;
	int wake[2]; /* pipe: close() wakes the listener */
};

/* ---- connections ----------------------------------------------------------------- */

/* Log a failed result (unique violations are expected by callers: debug only) and keep
 * its SQLSTATE on db. */
static void pg_note_error(struct pg_db *db, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "08000");
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->c);
	if (state && strcmp(state, "23505") == 0)
		log_debug("postgresql: %s: %s", what, msg);
	else
		log_error("postgresql: %s: %s", what, msg);
}

/* NOTICE messages (e.g. "already exists, skipping") are not worth a log line. */
static void pg_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* A new connection to conninfo named app in pg_stat_activity (unless conninfo names
 * one); NULL with *err (caller frees). */
static PGconn *pg_connect(const char *conninfo, const char *app, char **err)
{
	const char *const keys[] = {"application_name", "dbname", NULL};
	const char *const vals[] = {app, conninfo, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		*err = xasprintf("cannot connect to PostgreSQL: %s",
						 c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	PGresult *r = PQexec(c, "SET TIME ZONE 'UTC'");
	PQclear(r);
	return c;
}

/* Run simple-protocol sql on c; true when it succeeded. */
static bool pg_simple(PGconn *c, const char *sql, char **err)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
	if (!ok && err)
		*err = xasprintf("%s", PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

static void pg_stmt_reset(struct stmt *st);

/* Free a connection and its statements. */
static void pg_db_close(struct pg_db *db)
{
	for (size_t i = 0; i < db->cap; i++) {
		struct pg_stmt *s = db->cache[i];
		if (!s)
			continue;
		pg_stmt_reset(&s->base);
		free(s);
	}
	free(db->cache);
	PQfinish(db->c);
	free(db);
}

/* ---- migrations ------------------------------------------------------------------ */

/* The version recorded in the database (0 when empty or missing). */
static int pg_version_of(PGconn *c)
{
	PGresult *r = PQexec(c, "SELECT coalesce(max(version), 0) FROM schema_version");
	int v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
				? atoi(PQgetvalue(r, 0, 0))
				: 0;
	PQclear(r);
	return v;
}

/* Apply migration v in its own transaction; 0 or -1 with *err. */
static int pg_apply(PGconn *c, int v, char **err)
{
	char *msg = NULL;
	char ins[160];
	snprintf(ins, sizeof ins,
			 "INSERT INTO schema_version (version, applied_at) VALUES (%d,"
			 " CAST(extract(epoch FROM now()) AS BIGINT))",
			 v);
	if (!pg_simple(c, "BEGIN", &msg) || !pg_simple(c, pg_migrations[v - 1], &msg) ||
		!pg_simple(c, ins, &msg) || !pg_simple(c, "COMMIT", &msg)) {
		pg_simple(c, "ROLLBACK", NULL);
		*err = xasprintf("migration %d failed: %s", v, msg ? msg : "?");
		free(msg);
		return -1;
	}
	log_info("applied PostgreSQL migration %d", v);
	return 0;
}

/* Migrate c up to target under the advisory lock, so two instances starting together
 * apply each migration once; 0 or -1 with *err. */
static int pg_migrate_conn(PGconn *c, int target, char **err)
{
	if (target > (int)pg_migration_count || target < 0)
		target = (int)pg_migration_count;
	char *msg = NULL;
	if (!pg_simple(c, "SELECT pg_advisory_lock(" PG_STR(PG_MIGRATE_LOCK) ")", &msg)) {
		*err = xasprintf("cannot take the migration lock: %s", msg);
		free(msg);
		return -1;
	}
	int rc = 0;
	if (!pg_simple(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
					  " applied_at BIGINT NOT NULL)",
				   &msg)) {
		*err = xasprintf("cannot create schema_version: %s", msg);
		free(msg);
		rc = -1;
	}
	int have = rc == 0 ? pg_version_of(c) : 0;
	if (rc == 0 && have > (int)pg_migration_count) {
		*err = xasprintf("database schema version %d is newer than this zorgd understands "
						 "(%d); use a newer zorgd",
						 have, (int)pg_migration_count);
		rc = -1;
	}
	for (int v = have + 1; rc == 0 && v <= target; v++)
		rc = pg_apply(c, v, err);
	pg_simple(c, "SELECT pg_advisory_unlock(" PG_STR(PG_MIGRATE_LOCK) ")", NULL);
	return rc;
}

/* ---- the listener ------------------------------------------------------------------ */

/* LISTEN on a fresh connection and announce the current revision (changes made while we
 * were not listening must wake waiters too). NULL when the server is unreachable. */
static PGconn *pg_listen_connect(struct pg_pool *p)
{
	char *err = NULL;
	PGconn *c = pg_connect(p->conninfo, "zorgd listener", &err);
	if (!c) {
		log_warn("feed listener: %s", err);
		free(err);
		return NULL;
	}
	PGresult *r = NULL;
	if (!pg_simple(c, "LISTEN " PG_CHANNEL, NULL) ||
		PQresultStatus(r = PQexec(c, "SELECT value FROM revision WHERE id = 1")) !=
			PGRES_TUPLES_OK) {
		PQclear(r);
		PQfinish(c);
		return NULL;
	}
	if (PQntuples(r) == 1)
		feed_notify(strtoll(PQgetvalue(r, 0, 0), NULL, 10));
	PQclear(r);
	return c;
}

/* Hand every pending notification to the local feed. */
static void pg_listen_drain(PGconn *c)
{
	PGnotify *n;
	while ((n = PQnotifies(c)) != NULL) {
		feed_notify(strtoll(n->extra, NULL, 10));
		PQfreemem(n);
	}
}

/* The listener thread: one LISTEN connection, reconnecting every second while the server
 * is away, until close() writes to the wake pipe. */
static void *pg_listen_main(void *arg)
{
	struct pg_pool *p = arg;
	PGconn *c = NULL;
	for (;;) {
		if (!c)
			c = pg_listen_connect(p);
		struct pollfd fds[2] = {{p->wake[0], POLLIN, 0}, {c ? PQsocket(c) : -1, POLLIN, 0}};
		int n = poll(fds, c ? 2 : 1, 1000);
		if (n < 0 && errno != EINTR)
			break;
		if (fds[0].revents)
			break;
		if (!c || !fds[1].revents)
			continue;
		if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) {
			log_warn("feed listener: connection lost; reconnecting");
			PQfinish(c);
			c = NULL;
			continue;
		}
		pg_listen_drain(c);
	}
	PQfinish(c);
	return NULL;
}

/* ---- pool --------------------------------------------------------------------------- */

static bool pg_accepts(const char *target)
{
	return target && (strncmp(target, "postgresql://", 13) == 0 ||
					  strncmp(target, "postgres://", 11) == 0);
}

static void *pg_open(const char *target, char **err)
{
	PGconn *c = pg_connect(target, "zorgd", err);
	if (!c)
		return NULL;
	if (pg_migrate_conn(c, (int)pg_migration_count, err) != 0) {
		PQfinish(c);
		return NULL;
	}
	struct pg_pool *p = xcalloc(1, sizeof *p);
	p->conninfo = xstrdup(target);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	struct pg_db *db = xcalloc(1, sizeof *db);
	db->base.drv = &store_driver_postgresql;
	db->c = c;
	db->pool = p;
	db->base.pool = p;
	p->free_list = db;
	p->open = 1;
	if (pipe(p->wake) == 0 && pthread_create(&p->listener, NULL, pg_listen_main, p) == 0)
		p->listening = true;
	else
		log_error("cannot start the feed listener; long-polls wake by timeout only");
	return p;
}

static void pg_close(void *pool)
{
	struct pg_pool *p = pool;
	if (!p)
		return;
	if (p->listening) {
		if (write(p->wake[1], "x", 1) < 0)
			log_warn("cannot wake the feed listener: %s", strerror(errno));
		pthread_join(p->listener, NULL);
		close(p->wake[0]);
		close(p->wake[1]);
	}
	while (p->free_list) {
		struct pg_db *d = p->free_list;
		p->free_list = d->next_free;
		pg_db_close(d);
	}
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p->conninfo);
	free(p);
}

/* Borrow an idle connection, open one while under the limit, or wait for one. */
static struct db *pg_acquire(void *pool)
{
	struct pg_pool *p = pool;
	pthread_mutex_lock(&p->lock);
	while (!p->free_list && p->open >= PG_POOL_MAX)
		pthread_cond_wait(&p->freed, &p->lock);
	struct pg_db *d = p->free_list;
	if (d)
		p->free_list = d->next_free;
	else
		p->open++;
	pthread_mutex_unlock(&p->lock);
	if (d)
		return &d->base;
	char *err = NULL;
	PGconn *c = pg_connect(p->conninfo, "zorgd", &err);
	if (!c) {
		log_error("%s", err);
		free(err);
		pthread_mutex_lock(&p->lock);
		p->open--;
		pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->lock);
		return NULL;
	}
	d = xcalloc(1, sizeof *d);
	d->base.drv = &store_driver_postgresql;
	d->c = c;
	d->pool = p;
	d->base.pool = p;
	return &d->base;
}

/* Give a connection back; a broken one (server restarted) is closed instead. */
static void pg_release(void *pool, struct db *base)
{
	struct pg_pool *p = pool;
	struct pg_db *d = (struct pg_db *)base;
	if (!d)
		return;
	bool broken = PQstatus(d->c) != CONNECTION_OK;
	if (!broken && PQtransactionStatus(d->c) != PQTRANS_IDLE) {
		log_warn("connection returned inside a transaction; rolling back");
		broken = !pg_simple(d->c, "ROLLBACK", NULL);
	}
	pthread_mutex_lock(&p->lock);
	if (broken) {
		p->open--;
	} else {
		d->next_free = p->free_list;
		p->free_list = d;
	}
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
	if (broken)
		pg_db_close(d);
}

/* ---- transactions ------------------------------------------------------------------- */

/* After the server went away (restart, failover): when the connection is broken and no
 * transaction was open on it, reconnect in place (the statements are prepared again on
 * their next use) and say so; the caller then runs its statement once more. */
static bool pg_revive(struct pg_db *db, bool was_idle)
{
	if (!was_idle || PQstatus(db->c) != CONNECTION_BAD)
		return false;
	PQreset(db->c);
	if (PQstatus(db->c) != CONNECTION_OK)
		return false;
	for (size_t i = 0; i < db->cap; i++)
		if (db->cache[i])
			db->cache[i]->prepared = false;
	log_warn("postgresql: connection lost; reconnected");
	return true;
}

static int pg_exec(struct db *base, const char *sql)
{
	struct pg_db *db = (struct pg_db *)base;
	bool idle = PQtransactionStatus(db->c) == PQTRANS_IDLE;
	PGresult *r = PQexec(db->c, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && pg_revive(db, idle)) {
		PQclear(r);
		r = PQexec(db->c, sql);
		s = PQresultStatus(r);
	}
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
	if (rc)
		pg_note_error(db, r, "exec");
	PQclear(r);
	return rc;
}

/* Writers start READ COMMITTED and serialise on the revision row (next_revision);
 * readers get one REPEATABLE READ snapshot. */
static int pg_begin(struct db *db, bool write)
{
	return pg_exec(db, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ");
}

/* COMMIT; an aborted transaction answers ROLLBACK, which is a failure here. */
static int pg_commit(struct db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	PGresult *r = PQexec(db->c, "COMMIT");
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0
				 ? 0
				 : -1;
	if (rc) {
		pg_note_error(db, r, "commit");
		if (!db->sqlstate[0] || strcmp(db->sqlstate, "00000") == 0)
			snprintf(db->sqlstate, sizeof db->sqlstate, "40000");
	}
	PQclear(r);
	return rc;
}

static void pg_rollback(struct db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	if (PQtransactionStatus(db->c) != PQTRANS_IDLE)
		pg_simple(db->c, "ROLLBACK", NULL);
}

/* ---- statements -------------------------------------------------------------------- */

/* The highest $N in sql outside string literals and quoted names. */
static int pg_count_params(const char *sql)
{
	int max = 0;
	char quote = 0;
	for (const char *s = sql; *s; s++) {
		if (quote) {
			if (*s == quote)
				quote = 0;
		} else if (*s == '\'' || *s == '"') {
			quote = *s;
		} else if (*s == '$' && s[1] >= '0' && s[1] <= '9') {
			int n = (int)strtol(s + 1, NULL, 10);
			if (n > max)
				max = n;
		}
	}
	return max;
}

/* The slot of sql in db's table (its own, or the empty one it would take). */
static size_t pg_slot(const struct pg_db *db, const char *sql)
{
	size_t k = ((uintptr_t)sql >> 3) % db->cap;
	while (db->cache[k] && db->cache[k]->sql != sql)
		k = (k + 1) % db->cap;
	return k;
}

/* Double the table, keeping every statement. */
static void pg_cache_grow(struct pg_db *db)
{
	struct pg_db old = *db;
	db->cap = db->cap ? db->cap * 2 : 128;
	db->cache = xcalloc(db->cap, sizeof *db->cache);
	for (size_t i = 0; i < old.cap; i++)
		if (old.cache[i])
			db->cache[pg_slot(db, old.cache[i]->sql)] = old.cache[i];
	free(old.cache);
}

static struct stmt *pg_prepare(struct db *base, const char *sql)
{
	struct pg_db *db = (struct pg_db *)base;
	if ((db->used + 1) * 2 > db->cap)
		pg_cache_grow(db);
	size_t k = pg_slot(db, sql);
	struct pg_stmt *st = db->cache[k];
	if (st) {
		pg_stmt_reset(&st->base);
		return &st->base;
	}
	int n = pg_count_params(sql);
	if (n > PG_MAX_PARAMS) {
		log_error("postgresql: statement has %d parameters (most %d)", n, PG_MAX_PARAMS);
		return NULL;
	}
	st = xcalloc(1, sizeof *st);
	st->base.drv = &store_driver_postgresql;
	st->db = db;
	st->sql = sql;
	st->nparams = n;
	snprintf(st->name, sizeof st->name, "zs%u", ++db->names);
	db->cache[k] = st;
	db->used++;
	return &st->base;
}

/* Parameter i (1-based) as a slot, or NULL when out of range (logged). */
static struct pg_stmt *pg_param(struct stmt *base, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	if (i < 1 || i > st->nparams) {
		log_error("postgresql: bind of parameter %d; the statement has %d", i, st->nparams);
		return NULL;
	}
	free(st->owned[i - 1]);
	st->owned[i - 1] = NULL;
	return st;
}

static void pg_bind_int64(struct stmt *base, int i, int64_t v)
{
	struct pg_stmt *st = pg_param(base, i);
	if (!st)
		return;
	snprintf(st->num[i - 1], sizeof st->num[i - 1], "%lld", (long long)v);
	st->vals[i - 1] = st->num[i - 1];
	st->types[i - 1] = st->prepared ? st->types[i - 1] : PG_INT8OID;
}

static void pg_bind_double(struct stmt *base, int i, double v)
{
	struct pg_stmt *st = pg_param(base, i);
	if (!st)
		return;
	snprintf(st->num[i - 1], sizeof st->num[i - 1], "%.17g", v);
	st->vals[i - 1] = st->num[i - 1];
	st->types[i - 1] = st->prepared ? st->types[i - 1] : PG_FLOAT8OID;
}

static void pg_bind_text(struct stmt *base, int i, const char *s, bool copy)
{
	struct pg_stmt *st = pg_param(base, i);
	if (!st)
		return;
	if (s && copy)
		s = st->owned[i - 1] = xstrdup(s);
	st->vals[i - 1] = s;
	if (!st->prepared)
		st->types[i - 1] = 0; /* inferred from where the parameter stands */
}

static void pg_bind_null(struct stmt *base, int i)
{
	struct pg_stmt *st = pg_param(base, i);
	if (st)
		st->vals[i - 1] = NULL;
}

/* Prepare on first use with the types of the first binding (ints int8, the rest
 * inferred); later bindings send text the prepared types parse. */
static bool pg_stmt_ready(struct pg_stmt *st)
{
	if (st->prepared)
		return true;
	PGresult *r = PQprepare(st->db->c, st->name, st->sql, st->nparams, st->types);
	st->prepared = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!st->prepared)
		pg_note_error(st->db, r, "prepare");
	PQclear(r);
	return st->prepared;
}

static enum store_step pg_step(struct stmt *base)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	if (!st->ran) {
		st->ran = true;
		st->row = -1;
		st->nrows = 0;
		bool idle = PQtransactionStatus(st->db->c) == PQTRANS_IDLE;
		st->res = pg_stmt_ready(st) ? PQexecPrepared(st->db->c, st->name, st->nparams,
													 st->vals, NULL, NULL, 0)
									: NULL;
		ExecStatusType s = PQresultStatus(st->res);
		if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && pg_revive(st->db, idle)) {
			PQclear(st->res);
			st->res = pg_stmt_ready(st) ? PQexecPrepared(st->db->c, st->name, st->nparams,
														 st->vals, NULL, NULL, 0)
										: NULL;
			s = PQresultStatus(st->res);
		}
		if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
			pg_note_error(st->db, st->res, "statement");
			PQclear(st->res);
			st->res = NULL;
			return STORE_STEP_ERROR;
		}
		st->db->sqlstate[0] = 0;
		st->nrows = s == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
		const char *n = PQcmdTuples(st->res);
		if (n && *n)
			st->db->changes = strtoll(n, NULL, 10);
	}
	if (!st->res)
		return STORE_STEP_ERROR;
	return ++st->row < st->nrows ? STORE_STEP_ROW : STORE_STEP_DONE;
}

static void pg_stmt_reset(struct stmt *base)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	PQclear(st->res);
	st->res = NULL;
	st->ran = false;
	st->row = -1;
	st->nrows = 0;
	for (int i = 0; i < st->nparams; i++) {
		free(st->owned[i]);
		st->owned[i] = NULL;
		st->vals[i] = NULL;
	}
}

/* The current row's column i as text, or NULL (NULL value, no row, no such column). */
static const char *pg_cell(struct stmt *base, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	if (!st->res || st->row < 0 || st->row >= st->nrows || i < 0 || i >= PQnfields(st->res) ||
		PQgetisnull(st->res, st->row, i))
		return NULL;
	return PQgetvalue(st->res, st->row, i);
}

/* Integers; booleans (EXISTS, comparisons) arrive as 't' / 'f'. */
static int64_t pg_col_int64(struct stmt *st, int i)
{
	const char *v = pg_cell(st, i);
	if (!v)
		return 0;
	if (v[0] == 't' && !v[1])
		return 1;
	return strtoll(v, NULL, 10);
}

static double pg_col_double(struct stmt *st, int i)
{
	const char *v = pg_cell(st, i);
	return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_col_text(struct stmt *st, int i)
{
	return pg_cell(st, i);
}

static bool pg_col_is_null(struct stmt *st, int i)
{
	return pg_cell(st, i) == NULL;
}

static int64_t pg_changes(struct db *db)
{
	return ((struct pg_db *)db)->changes;
}

/* ---- revisions and the feed ------------------------------------------------------ */

/* One-row, one-column int query through the statement cache; -1 on error. */
static int64_t pg_scalar(struct db *db, const char *sql)
{
	struct stmt *st = pg_prepare(db, sql);
	if (!st || pg_step(st) != STORE_STEP_ROW)
		return -1;
	int64_t v = pg_col_int64(st, 0);
	pg_stmt_reset(st);
	return v;
}

/* Takes the counter row's lock until commit: revisions commit in order (see the top). */
static int64_t pg_next_revision(struct db *db)
{
	static const char sql[] = "UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value";
	return pg_scalar(db, sql);
}

static int64_t pg_current_revision(struct db *db)
{
	static const char sql[] = "SELECT value FROM revision WHERE id = 1";
	return pg_scalar(db, sql);
}

/* Wake this instance's long-polls now; the other instances hear of rev from the trigger
 * on the revision row (pg_schema.c), which NOTIFYs when the writing transaction commits. */
static void pg_notify(void *pool, struct db *db, int64_t rev)
{
	(void)pool;
	(void)db;
	feed_notify(rev);
}

static bool pg_wait(void *pool, int64_t since, int timeout_ms)
{
	(void)pool;
	return feed_wait(since, timeout_ms);
}

/* ---- schema entry points ----------------------------------------------------------- */

static int pg_schema_version(struct db *db)
{
	return pg_version_of(((struct pg_db *)db)->c);
}

static int pg_schema_latest(void)
{
	return (int)pg_migration_count;
}

static int pg_migrate(struct db *db, int target, char **err)
{
	return pg_migrate_conn(((struct pg_db *)db)->c, target, err);
}

const char *store_pg_sqlstate(struct db *db)
{
	return db && db->drv == &store_driver_postgresql ? ((struct pg_db *)db)->sqlstate : "";
}

/* Unique violation (two instances inserted the same key), serialisation failure and
 * deadlock: another attempt sees the other transaction's committed rows. */
static bool pg_retryable(struct db *db)
{
	const char *s = ((struct pg_db *)db)->sqlstate;
	return strcmp(s, "23505") == 0 || strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0;
}

const struct store_driver store_driver_postgresql = {
	.name = "postgresql",
	.accepts = pg_accepts,
	.open = pg_open,
	.close = pg_close,
	.acquire = pg_acquire,
	.release = pg_release,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_stmt_reset,
	.col_int64 = pg_col_int64,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_is_null = pg_col_is_null,
	.changes = pg_changes,
	.next_revision = pg_next_revision,
	.current_revision = pg_current_revision,
	.notify = pg_notify,
	.wait = pg_wait,
	.schema_version = pg_schema_version,
	.schema_latest = pg_schema_latest,
	.migrate = pg_migrate,
	.retryable = pg_retryable,
};
