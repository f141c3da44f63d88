/* SQLite store: connection pool, prepared-statement cache, migrations, revisions. */
#include "store.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/text.h"
#include "schema.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store {
	char *path;
	pthread_mutex_t lock;
	struct db *free_list;
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

int store_configure(sqlite3 *h)
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

int store_latest_version(void)
{
	return (int)schema_migration_count;
}

int store_schema_version(sqlite3 *h)
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

int store_migrate(sqlite3 *h, int target, char **err)
{
	/* Migrations may call zt_fold, whoever opened the handle. */
	sqlite3_create_function(h, "zt_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_fold,
							NULL, NULL);
	if (target > store_latest_version())
		target = store_latest_version();
	if (sqlite3_exec(h, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
						" applied_at INTEGER NOT NULL)",
					 NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot create schema_version: %s", sqlite3_errmsg(h));
		return -1;
	}
	int have = store_schema_version(h);
	if (have > store_latest_version()) {
		*err = xasprintf("database schema version %d is newer than this zorgd understands "
						 "(%d); use a newer zorgd",
						 have, store_latest_version());
		return -1;
	}
	for (int v = have + 1; v <= target; v++) {
		char *msg = NULL;
		if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
			goto fail;
		if (sqlite3_exec(h, schema_migrations[v - 1], NULL, NULL, &msg) != SQLITE_OK) {
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		char *ins = xasprintf("INSERT INTO schema_version (version, applied_at) "
							  "VALUES (%d, CAST(strftime('%%s','now') AS INTEGER))",
							  v);
		int rc = sqlite3_exec(h, ins, NULL, NULL, &msg);
		free(ins);
		if (rc != SQLITE_OK || sqlite3_exec(h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		log_info("applied migration %d", v);
		continue;
	fail:
		*err = xasprintf("migration %d failed: %s", v, msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Open one configured connection; NULL with *err on failure. */
static struct db *db_open(const char *path, char **err)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
						NULL) != SQLITE_OK) {
		*err = xasprintf("cannot open %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return NULL;
	}
	if (store_configure(h) != SQLITE_OK) {
		*err = xasprintf("cannot configure %s: %s", path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return NULL;
	}
	struct db *db = xcalloc(1, sizeof *db);
	db->h = h;
	return db;
}

/* Finalize every cached statement and close the handle. */
static void db_close(struct db *db)
{
	for (size_t i = 0; i < db->cap; i++)
		if (db->cache[i].st)
			sqlite3_finalize(db->cache[i].st);
	free(db->cache);
	sqlite3_close(db->h);
	free(db);
}

struct store *store_open(const char *path, char **err)
{
	struct db *db = db_open(path, err);
	if (!db)
		return NULL;
	char *msg = NULL;
	if (sqlite3_exec(db->h, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
		*err = xasprintf("cannot use %s: %s", path, msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		db_close(db);
		return NULL;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK) {
		bool ok = sqlite3_step(st) == SQLITE_ROW &&
				  strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
		sqlite3_finalize(st);
		if (!ok) {
			*err = xasprintf("%s is damaged (quick_check failed); restore a backup", path);
			db_close(db);
			return NULL;
		}
	} else {
		*err = xasprintf("%s is not a database: %s", path, sqlite3_errmsg(db->h));
		db_close(db);
		return NULL;
	}
	if (store_migrate(db->h, store_latest_version(), err) != 0) {
		db_close(db);
		return NULL;
	}
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	pthread_mutex_init(&s->lock, NULL);
	s->free_list = db;
	return s;
}

void store_close(struct store **sp)
{
	struct store *s = *sp;
	if (!s)
		return;
	while (s->free_list) {
		struct db *d = s->free_list;
		s->free_list = d->next_free;
		db_close(d);
	}
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s);
	*sp = NULL;
}

struct db *store_acquire(struct store *s)
{
	pthread_mutex_lock(&s->lock);
	struct db *d = s->free_list;
	if (d)
		s->free_list = d->next_free;
	pthread_mutex_unlock(&s->lock);
	if (d)
		return d;
	char *err = NULL;
	d = db_open(s->path, &err);
	if (!d) {
		log_error("%s", err);
		free(err);
	}
	return d;
}

void store_release(struct store *s, struct db *db)
{
	if (!db)
		return;
	if (!sqlite3_get_autocommit(db->h)) {
		log_warn("connection returned inside a transaction; rolling back");
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	}
	pthread_mutex_lock(&s->lock);
	db->next_free = s->free_list;
	s->free_list = db;
	pthread_mutex_unlock(&s->lock);
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
static void cache_grow(struct db *db)
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

sqlite3_stmt *db_prep(struct db *db, const char *sql)
{
	if ((db->used + 1) * 2 > db->cap)
		cache_grow(db);
	size_t k = slot_of(db->cache, db->cap, sql);
	if (db->cache[k].sql) {
		sqlite3_reset(db->cache[k].st);
		sqlite3_clear_bindings(db->cache[k].st);
		return db->cache[k].st;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		log_error("prepare failed: %s", sqlite3_errmsg(db->h));
		return NULL;
	}
	db->cache[k].sql = sql;
	db->cache[k].st = st;
	db->used++;
	return st;
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("%s", msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_begin(struct db *db, bool write)
{
	return db_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

int db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int64_t db_next_rev(struct db *db)
{
	static const char sql[] = "UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value";
	sqlite3_stmt *st = db_prep(db, sql);
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int64_t db_current_rev(struct db *db)
{
	static const char sql[] = "SELECT value FROM revision WHERE id = 1";
	sqlite3_stmt *st = db_prep(db, sql);
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

const char *db_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}
