/* The SQLite driver: a pool of connections to one database file, each with a cache of
 * prepared statements keyed by the address of their static SQL, numbered migrations, the
 * global revision and in-process feed signalling (one process owns an SQLite file). */
#include "sqlite.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/text.h"
#include "feed.h"
#include "sqlite_schema.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Initial size of a connection's statement cache; it grows and never evicts, since its
 * keys are the program's static SQL strings (a fixed set). */
#define STMT_CACHE 128

struct lite_stmt {
	struct stmt base;
	sqlite3_stmt *st;
	sqlite3 *h;
};

struct stmt_slot {
	const char *sql; /* key: the address of a static SQL string */
	struct lite_stmt *st;
};

struct lite_db {
	struct db base;
	sqlite3 *h;
	struct stmt_slot *cache;
	size_t cap, used;
	struct lite_db *next_free;
};

/* Idle connections kept for reuse; one given back beyond this is closed, so a burst (many
 * long-polls answered at once) does not leave hundreds of open connections, each with its
 * page cache and statement cache, for the life of the process. */
#define LITE_IDLE_MAX 16

struct lite_pool {
	char *path;
	pthread_mutex_t lock;
	struct lite_db *free_list;
	size_t nfree; /* length of free_list */
};

/* SQL function zt_fold(text): the search folding of common/text.c, for migrations. */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *s = sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, text_fold((const char *)s), -1, free);
}

/* Busy handler: SQLite's own sleeps 1, 2, 5 ... 100 ms between tries, which turns two
 * colliding writes (every client read writes an audit row) into a long tail. Writes here
 * take microseconds, so wait in short steps instead; give up after about 10 seconds. */
static int busy_wait(void *arg, int count)
{
	(void)arg;
	if (count >= 100000)
		return 0;
	struct timespec ts = {0, count < 50 ? 20000 : 100000};
	nanosleep(&ts, NULL);
	return 1;
}

int store_sqlite_configure(sqlite3 *h)
{
	sqlite3_busy_handler(h, busy_wait, NULL);
	sqlite3_create_function(h, "zt_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_fold,
							NULL, NULL);
	return sqlite3_exec(h,
						"PRAGMA foreign_keys = ON;"
						"PRAGMA synchronous = NORMAL;"
						"PRAGMA temp_store = MEMORY;",
						NULL, NULL, NULL);
}

int store_sqlite_schema_latest(void)
{
	return (int)sqlite_migration_count;
}

int store_sqlite_schema_version(sqlite3 *h)
{
	sqlite3_stmt *st;
	int v = 0;
	if (sqlite3_prepare_v2(h, "SELECT max(version) FROM schema_version", -1, &st, NULL) !=
		SQLITE_OK)
		return 0; /* no table yet: an empty database */
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Apply migration v in its own transaction; 0, or -1 with *err. */
static int migrate_one(sqlite3 *h, int v, char **err)
{
	char *msg = NULL;
	if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	if (sqlite3_exec(h, sqlite_migrations[v - 1], NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	char *ins = xasprintf("INSERT INTO schema_version (version, applied_at) VALUES (%d, %lld)",
						  v, (long long)time(NULL));
	int rc = sqlite3_exec(h, ins, NULL, NULL, &msg);
	free(ins);
	if (rc != SQLITE_OK || sqlite3_exec(h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	log_info("applied migration %d", v);
	return 0;
fail:
	*err = xasprintf("migration %d failed: %s", v, msg ? msg : sqlite3_errmsg(h));
	sqlite3_free(msg);
	if (!sqlite3_get_autocommit(h))
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int store_sqlite_migrate(sqlite3 *h, int target, char **err)
{
	/* Migrations may call zt_fold, whoever opened the handle. */
	sqlite3_create_function(h, "zt_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_fold,
							NULL, NULL);
	if (target > store_sqlite_schema_latest())
		target = store_sqlite_schema_latest();
	if (sqlite3_exec(h, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
						" applied_at INTEGER NOT NULL)",
					 NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot create schema_version: %s", sqlite3_errmsg(h));
		return -1;
	}
	int have = store_sqlite_schema_version(h);
	if (have > store_sqlite_schema_latest()) {
		*err = xasprintf("database schema version %d is newer than this zorgd understands "
						 "(%d); use a newer zorgd",
						 have, store_sqlite_schema_latest());
		return -1;
	}
	for (int v = have + 1; v <= target; v++)
		if (migrate_one(h, v, err) != 0)
			return -1;
	return 0;
}

/* Open one configured connection; NULL with *err on failure. */
static struct lite_db *conn_open(struct lite_pool *p, const char *path, char **err)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
						NULL) != SQLITE_OK) {
		*err = xasprintf("cannot open %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return NULL;
	}
	if (store_sqlite_configure(h) != SQLITE_OK) {
		*err = xasprintf("cannot configure %s: %s", path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return NULL;
	}
	struct lite_db *db = xcalloc(1, sizeof *db);
	db->base.drv = &store_driver_sqlite;
	db->base.pool = p;
	db->h = h;
	return db;
}

/* Finalize every cached statement and close the handle. */
static void conn_close(struct lite_db *db)
{
	for (size_t i = 0; i < db->cap; i++)
		if (db->cache[i].st) {
			sqlite3_finalize(db->cache[i].st->st);
			free(db->cache[i].st);
		}
	free(db->cache);
	sqlite3_close(db->h);
	free(db);
}

/* WAL mode and a quick integrity check on the first connection; 0, or -1 with *err. */
static int check_file(struct lite_db *db, const char *path, char **err)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
		*err = xasprintf("cannot use %s: %s", path, msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
		*err = xasprintf("%s is not a database: %s", path, sqlite3_errmsg(db->h));
		return -1;
	}
	bool ok = sqlite3_step(st) == SQLITE_ROW &&
			  strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok) {
		*err = xasprintf("%s is damaged (quick_check failed); restore a backup", path);
		return -1;
	}
	return 0;
}

/* driver.open: a file path (":memory:" is refused by nothing but useless with a pool). */
static void *lite_open(const char *path, char **err)
{
	/* No memory statistics: keeping them takes a process-wide mutex in every allocation
	 * SQLite makes, from every thread. Only possible before SQLite initialises; when
	 * something opened a database earlier in this process it stays as it was. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	struct lite_pool *p = xcalloc(1, sizeof *p);
	struct lite_db *db = conn_open(p, path, err);
	if (!db) {
		free(p);
		return NULL;
	}
	if (check_file(db, path, err) != 0 || store_sqlite_migrate(db->h, INT32_MAX, err) != 0) {
		conn_close(db);
		free(p);
		return NULL;
	}
	p->path = xstrdup(path);
	pthread_mutex_init(&p->lock, NULL);
	p->free_list = db;
	p->nfree = 1;
	return p;
}

static void lite_close(void *pool)
{
	struct lite_pool *p = pool;
	while (p->free_list) {
		struct lite_db *d = p->free_list;
		p->free_list = d->next_free;
		conn_close(d);
	}
	pthread_mutex_destroy(&p->lock);
	free(p->path);
	free(p);
}

static struct db *lite_acquire(void *pool)
{
	struct lite_pool *p = pool;
	pthread_mutex_lock(&p->lock);
	struct lite_db *d = p->free_list;
	if (d) {
		p->free_list = d->next_free;
		p->nfree--;
	}
	pthread_mutex_unlock(&p->lock);
	if (d)
		return &d->base;
	char *err = NULL;
	d = conn_open(p, p->path, &err);
	if (!d) {
		log_error("%s", err);
		free(err);
		return NULL;
	}
	return &d->base;
}

static void lite_release(void *pool, struct db *base)
{
	struct lite_pool *p = pool;
	struct lite_db *db = (struct lite_db *)base;
	if (!sqlite3_get_autocommit(db->h)) {
		log_warn("connection returned inside a transaction; rolling back");
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	}
	pthread_mutex_lock(&p->lock);
	bool keep = p->nfree < LITE_IDLE_MAX;
	if (keep) {
		db->next_free = p->free_list;
		p->free_list = db;
		p->nfree++;
	}
	pthread_mutex_unlock(&p->lock);
	if (!keep)
		conn_close(db);
}

static int lite_exec(struct db *base, const char *sql)
{
	struct lite_db *db = (struct lite_db *)base;
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("%s", msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static struct stmt *lite_prepare(struct db *base, const char *sql);

/* Run a cached parameterless statement without rows (BEGIN, COMMIT: sqlite3_exec would
 * parse them again on every transaction); 0 on success. */
static int lite_run(struct db *base, const char *sql)
{
	struct stmt *st = lite_prepare(base, sql);
	if (!st)
		return -1;
	sqlite3_stmt *s = ((struct lite_stmt *)st)->st;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("%s: %s", sql, sqlite3_errmsg(((struct lite_db *)base)->h));
		return -1;
	}
	return 0;
}

static int lite_begin(struct db *db, bool write)
{
	static const char begin_read[] = "BEGIN", begin_write[] = "BEGIN IMMEDIATE";
	return lite_run(db, write ? begin_write : begin_read);
}

static int lite_commit(struct db *db)
{
	static const char commit[] = "COMMIT";
	return lite_run(db, commit);
}

static void lite_rollback(struct db *base)
{
	struct lite_db *db = (struct lite_db *)base;
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* The slot of sql in a table of cap slots (its own, or the empty one it would take). */
static size_t slot_of(const struct stmt_slot *t, size_t cap, const char *sql)
{
	size_t k = ((uintptr_t)sql >> 3) % cap;
	while (t[k].sql && t[k].sql != sql)
		k = (k + 1) % cap;
	return k;
}

/* Double the cache, keeping every statement (callers may be stepping them). */
static void cache_grow(struct lite_db *db)
{
	size_t cap = db->cap ? db->cap * 2 : STMT_CACHE;
	struct stmt_slot *t = xcalloc(cap, sizeof *t);
	for (size_t i = 0; i < db->cap; i++)
		if (db->cache[i].sql)
			t[slot_of(t, cap, db->cache[i].sql)] = db->cache[i];
	free(db->cache);
	db->cache = t;
	db->cap = cap;
}

/* sql with every $N outside string literals and quoted names written ?N. Caller frees. */
static char *dollar_to_qmark(const char *sql)
{
	char *out = xstrdup(sql);
	char quote = 0;
	for (char *p = out; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			*p = '?';
		}
	}
	return out;
}

static struct stmt *lite_prepare(struct db *base, const char *sql)
{
	struct lite_db *db = (struct lite_db *)base;
	if ((db->used + 1) * 2 > db->cap)
		cache_grow(db);
	size_t k = slot_of(db->cache, db->cap, sql);
	if (db->cache[k].sql) {
		struct lite_stmt *s = db->cache[k].st;
		sqlite3_reset(s->st);
		sqlite3_clear_bindings(s->st);
		return &s->base;
	}
	char *text = dollar_to_qmark(sql);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db->h, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	free(text);
	if (rc != SQLITE_OK) {
		log_error("prepare failed: %s", sqlite3_errmsg(db->h));
		return NULL;
	}
	struct lite_stmt *s = xcalloc(1, sizeof *s);
	s->base.drv = &store_driver_sqlite;
	s->st = st;
	s->h = db->h;
	db->cache[k].sql = sql;
	db->cache[k].st = s;
	db->used++;
	return &s->base;
}

#define LST(s) (((struct lite_stmt *)(s))->st)

static void lite_bind_int64(struct stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(LST(st), i, (sqlite3_int64)v);
}

static void lite_bind_double(struct stmt *st, int i, double v)
{
	sqlite3_bind_double(LST(st), i, v);
}

static void lite_bind_text(struct stmt *st, int i, const char *s, bool copy)
{
	if (!s)
		sqlite3_bind_null(LST(st), i);
	else
		sqlite3_bind_text(LST(st), i, s, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void lite_bind_null(struct stmt *st, int i)
{
	sqlite3_bind_null(LST(st), i);
}

static enum store_step lite_step(struct stmt *st)
{
	int rc = sqlite3_step(LST(st));
	if (rc == SQLITE_ROW)
		return STORE_STEP_ROW;
	if (rc == SQLITE_DONE)
		return STORE_STEP_DONE;
	log_error("step failed: %s", sqlite3_errmsg(((struct lite_stmt *)st)->h));
	return STORE_STEP_ERROR;
}

static void lite_reset(struct stmt *st)
{
	sqlite3_reset(LST(st));
	sqlite3_clear_bindings(LST(st));
}

static int64_t lite_col_int64(struct stmt *st, int i)
{
	return (int64_t)sqlite3_column_int64(LST(st), i);
}

static double lite_col_double(struct stmt *st, int i)
{
	return sqlite3_column_double(LST(st), i);
}

static const char *lite_col_text(struct stmt *st, int i)
{
	return (const char *)sqlite3_column_text(LST(st), i);
}

static bool lite_col_is_null(struct stmt *st, int i)
{
	return sqlite3_column_type(LST(st), i) == SQLITE_NULL;
}

static int64_t lite_changes(struct db *base)
{
	return (int64_t)sqlite3_changes64(((struct lite_db *)base)->h);
}

/* Run a one-column, one-row integer statement; -1 on error. */
static int64_t one_int(struct db *db, const char *sql)
{
	struct stmt *st = lite_prepare(db, sql);
	if (!st)
		return -1;
	int64_t v = lite_step(st) == STORE_STEP_ROW ? lite_col_int64(st, 0) : -1;
	lite_reset(st);
	return v;
}

/* Writers are serialised by BEGIN IMMEDIATE, so revisions commit in order. */
static int64_t lite_next_revision(struct db *db)
{
	static const char sql[] = "UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value";
	return one_int(db, sql);
}

static int64_t lite_current_revision(struct db *db)
{
	static const char sql[] = "SELECT value FROM revision WHERE id = 1";
	return one_int(db, sql);
}

/* One process owns the file: the in-process signal reaches every long-poll. */
static void lite_notify(void *pool, struct db *db, int64_t rev)
{
	(void)pool;
	(void)db;
	feed_notify(rev);
}

static bool lite_wait(void *pool, int64_t since, int timeout_ms)
{
	(void)pool;
	return feed_wait(since, timeout_ms);
}

static int lite_schema_version(struct db *db)
{
	return store_sqlite_schema_version(((struct lite_db *)db)->h);
}

static int lite_migrate(struct db *db, int target, char **err)
{
	return store_sqlite_migrate(((struct lite_db *)db)->h, target, err);
}

/* Everything that is not a URL is a file path. */
static bool lite_accepts(const char *target)
{
	return strstr(target, "://") == NULL;
}

sqlite3 *store_sqlite_handle(struct db *db)
{
	return db && db->drv == &store_driver_sqlite ? ((struct lite_db *)db)->h : NULL;
}

const struct store_driver store_driver_sqlite = {
	.name = "sqlite",
	.accepts = lite_accepts,
	.open = lite_open,
	.close = lite_close,
	.acquire = lite_acquire,
	.release = lite_release,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.bind_int64 = lite_bind_int64,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.reset = lite_reset,
	.col_int64 = lite_col_int64,
	.col_double = lite_col_double,
	.col_text = lite_col_text,
	.col_is_null = lite_col_is_null,
	.changes = lite_changes,
	.next_revision = lite_next_revision,
	.current_revision = lite_current_revision,
	.notify = lite_notify,
	.wait = lite_wait,
	.schema_version = lite_schema_version,
	.schema_latest = store_sqlite_schema_latest,
	.migrate = lite_migrate,
};

