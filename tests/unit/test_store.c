/* Unit tests for zorgd's store (src/server/store/sqlite.c): migrations, the pool, revisions and the
 * preset roles, on in-memory SQLite and on temporary database files under /tmp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/server/store/sqlite_schema.h"
#include "../../src/server/store/sqlite.h"
#include "../../src/server/store/store.h"
#include "common/alloc.h"
#include "common/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A temporary database path and the files SQLite may create next to it. */
struct tmpdb {
	char path[64];
};

/* Per-test setup: create an empty temporary file for a database; *state points to it. */
static int tmpdb_setup(void **state)
{
	struct tmpdb *t = xcalloc(1, sizeof *t);
	snprintf(t->path, sizeof t->path, "/tmp/zorgd-unit-XXXXXX");
	int fd = mkstemp(t->path);
	if (fd < 0) {
		free(t);
		return -1;
	}
	close(fd);
	*state = t;
	return 0;
}

/* Per-test teardown: remove the database file and its -wal, -shm and -journal companions,
 * also when the test failed half-way. */
static int tmpdb_teardown(void **state)
{
	struct tmpdb *t = *state;
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[96];
		snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
		unlink(p);
	}
	free(t);
	return 0;
}

/* The integer in the first column of the first row of sql, or -1 when there is none. */
static int64_t q_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	int64_t v = -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Run sql and assert that it succeeds. */
static void exec_ok(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

/* True when table name exists. */
static bool has_table(sqlite3 *h, const char *name)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
									   -1, &st, NULL),
					 SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* A configured in-memory database. */
static sqlite3 *mem_open(void)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(store_sqlite_configure(h), SQLITE_OK);
	return h;
}

/* Quiet the per-migration info lines; warnings and errors still show. */
static int group_setup(void **state)
{
	(void)state;
	log_setup(NULL, LOG_LVL_WARN);
	return 0;
}

/* The migration list and store_latest_version agree, and there is at least one. */
static void test_latest_version(void **state)
{
	(void)state;
	assert_true(store_sqlite_schema_latest() >= 2);
	assert_int_equal(store_sqlite_schema_latest(), (int)sqlite_migration_count);
	for (size_t i = 0; i < sqlite_migration_count; i++)
		assert_non_null(sqlite_migrations[i]);
}

/* An empty database migrates to the latest version with every table in place. */
static void test_migrate_empty(void **state)
{
	(void)state;
	sqlite3 *h = mem_open();
	assert_int_equal(store_sqlite_schema_version(h), 0);
	char *err = NULL;
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest(), &err), 0);
	assert_null(err);
	assert_int_equal(store_sqlite_schema_version(h), store_sqlite_schema_latest());
	assert_int_equal(q_int(h, "SELECT count(*) FROM schema_version"), store_sqlite_schema_latest());
	assert_true(has_table(h, "staff"));
	assert_true(has_table(h, "clients"));
	/* The only rows of a fresh database are the seeded catalogue, each with a revision. */
	assert_int_equal(q_int(h, "SELECT count(*) FROM device_types"), 7);
	assert_int_equal(q_int(h, "SELECT count(*) FROM suppliers"), 4);
	assert_int_equal(q_int(h, "SELECT count(*) FROM device_types WHERE in_use = 1 OR ordering = 1"), 0);
	assert_int_equal(q_int(h, "SELECT value FROM revision WHERE id = 1"), 7);
	assert_int_equal(q_int(h, "SELECT max(rev) FROM device_types"), 7);
	/* Migrating again is a no-op. */
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest(), &err), 0);
	assert_int_equal(q_int(h, "SELECT count(*) FROM schema_version"), store_sqlite_schema_latest());
	sqlite3_close(h);
}

/* A target beyond the latest version is clamped rather than failing. */
static void test_migrate_target_clamped(void **state)
{
	(void)state;
	sqlite3 *h = mem_open();
	char *err = NULL;
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest() + 5, &err), 0);
	assert_null(err);
	assert_int_equal(store_sqlite_schema_version(h), store_sqlite_schema_latest());
	sqlite3_close(h);
}

/* A version-1 database with data migrates to the latest version and keeps its rows. */
static void test_migrate_from_v1_keeps_data(void **state)
{
	(void)state;
	sqlite3 *h = mem_open();
	char *err = NULL;
	assert_int_equal(store_sqlite_migrate(h, 1, &err), 0);
	assert_int_equal(store_sqlite_schema_version(h), 1);
	assert_true(has_table(h, "staff"));
	assert_false(has_table(h, "clients"));
	exec_ok(h, "INSERT INTO locations (id, parent_id, name, kind, rev)"
			   " VALUES (1, NULL, 'Zorg Noord', 'organisation', 1);"
			   "INSERT INTO location_closure (ancestor, descendant, depth) VALUES (1, 1, 0);"
			   "INSERT INTO staff (id, username, name, registration_number, rev)"
			   " VALUES (7, 'jan', 'Jan de Vries', 'R-0007', 2);"
			   "INSERT INTO staff_roles (staff_id, role_id) VALUES (7, 4);"
			   "INSERT INTO staff_scope (staff_id, location_id) VALUES (7, 1);"
			   "UPDATE revision SET value = 2 WHERE id = 1;");
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest(), &err), 0);
	assert_null(err);
	assert_int_equal(store_sqlite_schema_version(h), store_sqlite_schema_latest());
	assert_int_equal(q_int(h, "SELECT count(*) FROM staff WHERE id = 7 AND username = 'jan'"
							  " AND name = 'Jan de Vries'"),
					 1);
	assert_int_equal(q_int(h, "SELECT count(*) FROM locations WHERE id = 1 AND name = 'Zorg Noord'"),
					 1);
	assert_int_equal(q_int(h, "SELECT role_id FROM staff_roles WHERE staff_id = 7"), 4);
	/* Kept, plus one revision per seeded device type. */
	assert_int_equal(q_int(h, "SELECT value FROM revision WHERE id = 1"), 2 + 7);
	assert_int_equal(q_int(h, "SELECT count(*) FROM roles"), 5);
	/* The new tables are usable and reference the old rows. */
	assert_true(has_table(h, "clients"));
	exec_ok(h, "INSERT INTO clients (client_number, name, search_name, location_id, rev)"
			   " VALUES ('C-1', 'A. Jansen', 'a jansen', 1, 3)");
	/* Foreign keys are enforced on a configured handle. */
	assert_int_not_equal(sqlite3_exec(h,
									  "INSERT INTO clients (client_number, name, search_name,"
									  " location_id, rev) VALUES ('C-2', 'B', 'b', 99, 4)",
									  NULL, NULL, NULL),
						 SQLITE_OK);
	sqlite3_close(h);
}

/* A database whose schema is newer than this binary is refused with a message saying so. */
static void test_migrate_refuses_newer(void **state)
{
	(void)state;
	sqlite3 *h = mem_open();
	char *err = NULL;
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest(), &err), 0);
	char *ins = xasprintf("INSERT INTO schema_version (version, applied_at) VALUES (%d, 0)",
						  store_sqlite_schema_latest() + 1);
	exec_ok(h, ins);
	free(ins);
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest(), &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "newer"));
	free(err);
	/* Nothing was changed. */
	assert_int_equal(store_sqlite_schema_version(h), store_sqlite_schema_latest() + 1);
	sqlite3_close(h);
}

/* store_open refuses a newer database file too, with the same explanation. */
static void test_open_refuses_newer(void **state)
{
	struct tmpdb *t = *state;
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(t->path, &h), SQLITE_OK);
	char *err = NULL;
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest(), &err), 0);
	char *ins = xasprintf("INSERT INTO schema_version (version, applied_at) VALUES (%d, 0)",
						  store_sqlite_schema_latest() + 1);
	exec_ok(h, ins);
	free(ins);
	sqlite3_close(h);
	struct store *s = store_open(t->path, &err);
	assert_null(s);
	assert_non_null(err);
	assert_non_null(strstr(err, "newer"));
	free(err);
}

/* A file that is not a database is refused with a clear message and left untouched. */
static void test_open_garbage_file(void **state)
{
	struct tmpdb *t = *state;
	unsigned char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	FILE *f = fopen(t->path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	fclose(f);
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_null(s);
	assert_non_null(err);
	assert_non_null(strstr(err, t->path));
	assert_non_null(strstr(err, "not a database"));
	free(err);
	unsigned char back[sizeof junk + 1];
	f = fopen(t->path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(back, 1, sizeof back, f), sizeof junk);
	fclose(f);
	assert_memory_equal(back, junk, sizeof junk);
}

/* store_open creates a WAL database at the latest version, and data survives a reopen. */
static void test_open_creates_and_reopens(void **state)
{
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	assert_null(err);
	struct db *db = store_acquire(s);
	assert_non_null(db);
	assert_int_equal(store_sqlite_schema_version(store_sqlite_handle(db)), store_sqlite_schema_latest());
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_sqlite_handle(db), "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(db_exec(db, "INSERT INTO organisation (id, name) VALUES (1, 'Zorg Noord')"), 0);
	store_release(s, db);
	store_close(&s);
	assert_null(s);

	s = store_open(t->path, &err);
	assert_non_null(s);
	db = store_acquire(s);
	assert_non_null(db);
	assert_int_equal(q_int(store_sqlite_handle(db), "SELECT count(*) FROM organisation WHERE name = 'Zorg Noord'"), 1);
	assert_int_equal(q_int(store_sqlite_handle(db), "SELECT count(*) FROM schema_version"), store_sqlite_schema_latest());
	store_release(s, db);
	store_close(&s);
}

/* db_next_rev counts up by one per call; commit keeps and rollback discards the numbers. */
static void test_next_rev(void **state)
{
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	struct db *db = store_acquire(s);
	/* Counting starts after the revisions the migrations used (the catalogue). */
	int64_t r0 = db_current_rev(db);
	assert_true(r0 >= 0);
	assert_int_equal(db_begin(db, true), 0);
	assert_int_equal(db_next_rev(db), r0 + 1);
	assert_int_equal(db_next_rev(db), r0 + 2);
	assert_int_equal(db_next_rev(db), r0 + 3);
	assert_int_equal(db_current_rev(db), r0 + 3);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_current_rev(db), r0 + 3);

	assert_int_equal(db_begin(db, true), 0);
	assert_int_equal(db_next_rev(db), r0 + 4);
	db_rollback(db);
	assert_int_equal(db_current_rev(db), r0 + 3);
	/* db_rollback outside a transaction is harmless. */
	db_rollback(db);
	assert_int_equal(db_begin(db, true), 0);
	assert_int_equal(db_next_rev(db), r0 + 4);
	assert_int_equal(db_commit(db), 0);
	store_release(s, db);
	store_close(&s);
}

/* The pool hands out distinct connections, reuses released ones, and rolls back a
 * connection returned inside a transaction. */
static void test_pool(void **state)
{
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	struct db *a = store_acquire(s);
	struct db *b = store_acquire(s);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(store_sqlite_handle(a), store_sqlite_handle(b));
	/* A second connection sees the migrated schema and the other's committed writes. */
	assert_int_equal(store_sqlite_schema_version(store_sqlite_handle(b)), store_sqlite_schema_latest());
	int64_t r0 = db_current_rev(a);
	assert_int_equal(db_begin(a, true), 0);
	assert_int_equal(db_next_rev(a), r0 + 1);
	assert_int_equal(db_commit(a), 0);
	assert_int_equal(db_current_rev(b), r0 + 1);
	store_release(s, a);
	struct db *c = store_acquire(s);
	assert_ptr_equal(c, a);

	assert_int_equal(db_begin(c, true), 0);
	assert_int_equal(db_next_rev(c), r0 + 2);
	store_release(s, c); /* logs a warning and rolls back */
	assert_int_not_equal(sqlite3_get_autocommit(store_sqlite_handle(c)), 0);
	assert_int_equal(db_current_rev(b), r0 + 1);
	store_release(s, b);
	store_release(s, NULL);
	store_close(&s);
}

/* Group commit: many threads audit at once; each call returns 0 only once its row is
 * committed, so every row is in the table when all have returned (read on another
 * connection). */
struct audit_thread {
	struct store *s;
	int n, failed;
};

static void *audit_worker(void *arg)
{
	struct audit_thread *t = arg;
	struct db *db = store_acquire(t->s);
	struct actor a = {.type = "staff", .id = "7", .remote = "127.0.0.1"};
	for (int i = 0; i < t->n; i++)
		if (!db || store_audit(t->s, db, &a, "client.read", "client", i + 1, "ok", NULL) != 0)
			t->failed++;
	store_release(t->s, db);
	return NULL;
}

static void test_audit_group_commit(void **state)
{
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	enum { THREADS = 12, EACH = 60 };
	pthread_t th[THREADS];
	struct audit_thread at[THREADS];
	for (int i = 0; i < THREADS; i++) {
		at[i] = (struct audit_thread){s, EACH, 0};
		assert_int_equal(pthread_create(&th[i], NULL, audit_worker, &at[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(at[i].failed, 0);
	}
	struct db *db = store_acquire(s);
	assert_int_equal(q_int(store_sqlite_handle(db),
						   "SELECT count(*) FROM audit WHERE action = 'client.read' AND actor_id = '7'"),
					 THREADS * EACH);
	store_release(s, db);
	store_close(&s);
}

/* Rows queued without waiting (store_audit_queue, the committer thread): a caller learns
 * that its rows are committed only when they are (read on another connection right then),
 * a parked caller is resumed exactly once, and a failed batch (a trigger refuses one row)
 * is reported to every caller with a row in it and commits none of its rows. */
struct queue_thread {
	struct store *s;
	int id, ok, failed, parked, wrong;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int resumed;
};

static void queue_suspend(void *arg)
{
	(void)arg; /* the committer's lock is held: nothing to do here */
}

static void queue_resume(void *arg)
{
	struct queue_thread *t = arg;
	pthread_mutex_lock(&t->lock);
	t->resumed++;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

/* One row under a ticket: its result once committed (waiting as a parked request does). */
static int queue_one(struct queue_thread *t, struct db *db, const char *action, int64_t id)
{
	struct actor a = {.type = "staff", .id = "8", .remote = "127.0.0.1"};
	struct audit_ticket *tk = NULL;
	int rc = store_audit_queue(t->s, db, &tk, &a, action, "client", id, "ok", NULL);
	if (!tk)
		return rc;
	if (store_audit_park(t->s, tk, queue_suspend, queue_resume, t, &rc)) {
		t->parked++;
		pthread_mutex_lock(&t->lock);
		while (t->resumed < t->parked)
			pthread_cond_wait(&t->cond, &t->lock);
		pthread_mutex_unlock(&t->lock);
		rc = store_audit_wait(t->s, tk);
	}
	store_audit_ticket_free(t->s, tk);
	return rc;
}

static void *queue_worker(void *arg)
{
	struct queue_thread *t = arg;
	struct db *db = store_acquire(t->s), *check = store_acquire(t->s);
	for (int i = 0; i < 40; i++) {
		int64_t id = t->id * 1000 + i + 1;
		bool trap = t->id == 0 && i % 10 == 5;
		int rc = queue_one(t, db, trap ? "trap" : "client.read", id);
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE object_id = '%lld'",
				 (long long)id);
		int64_t n = q_int(store_sqlite_handle(check), sql);
		if (rc == 0)
			t->ok++;
		else
			t->failed++;
		if ((rc == 0) != (n == 1) || (trap && rc == 0))
			t->wrong++;
	}
	store_release(t->s, check);
	store_release(t->s, db);
	return NULL;
}

static void test_audit_queue(void **state)
{
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	struct db *db = store_acquire(s);
	assert_int_equal(sqlite3_exec(store_sqlite_handle(db),
								  "CREATE TRIGGER audit_trap BEFORE INSERT ON audit"
								  " WHEN NEW.action = 'trap' BEGIN SELECT RAISE(ABORT, 'trap'); END",
								  NULL, NULL, NULL),
					 SQLITE_OK);
	store_release(s, db);
	assert_true(store_audit_start(s));
	enum { THREADS = 12 };
	pthread_t th[THREADS];
	struct queue_thread qt[THREADS];
	for (int i = 0; i < THREADS; i++) {
		qt[i] = (struct queue_thread){.s = s, .id = i};
		pthread_mutex_init(&qt[i].lock, NULL);
		pthread_cond_init(&qt[i].cond, NULL);
		assert_int_equal(pthread_create(&th[i], NULL, queue_worker, &qt[i]), 0);
	}
	int ok = 0, failed = 0, parked = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(qt[i].wrong, 0);
		assert_int_equal(qt[i].resumed, qt[i].parked);
		ok += qt[i].ok;
		failed += qt[i].failed;
		parked += qt[i].parked;
		pthread_cond_destroy(&qt[i].cond);
		pthread_mutex_destroy(&qt[i].lock);
	}
	assert_true(failed >= 4); /* the four trapped rows, and their batches' other rows */
	print_message("audit queue: %d rows committed, %d failed, %d callers parked\n", ok, failed,
				  parked);
	store_audit_stop(s);
	db = store_acquire(s);
	assert_int_equal(q_int(store_sqlite_handle(db), "SELECT count(*) FROM audit WHERE actor_id = '8'"),
					 ok);
	store_release(s, db);
	store_close(&s);
}

/* Cached statements are returned reset, the cache grows past its first size, and a
 * statement being stepped is never thrown out while others are prepared. */
static void test_prep_cache(void **state)
{
	enum { N = 128 + 12 }; /* past the cache's first size (STMT_CACHE in sqlite.c) */
	static char sql[N][32];
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	struct db *db = store_acquire(s);
	for (int i = 0; i < N; i++)
		snprintf(sql[i], sizeof sql[i], "SELECT %d", i + 1000);
	static const char rows[] = "SELECT 1 UNION ALL SELECT 2";
	struct stmt *held = db_prep(db, rows);
	assert_int_equal(stmt_step(held), STORE_STEP_ROW);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < N; i++) {
			struct stmt *st = db_prep(db, sql[i]);
			assert_non_null(st);
			assert_int_equal(stmt_step(st), STORE_STEP_ROW);
			assert_int_equal(stmt_col_int(st, 0), i + 1000);
		}
	}
	/* The statement prepared first is still alive and mid-way through its rows. */
	assert_int_equal(stmt_step(held), STORE_STEP_ROW);
	assert_int_equal(stmt_col_int(held, 0), 2);
	assert_ptr_equal(db_prep(db, rows), held);
	/* Same SQL pointer, same statement, reset so that it can be stepped again. */
	struct stmt *a = db_prep(db, sql[N - 1]);
	assert_int_equal(stmt_step(a), STORE_STEP_ROW);
	struct stmt *b = db_prep(db, sql[N - 1]);
	assert_ptr_equal(a, b);
	assert_int_equal(stmt_step(b), STORE_STEP_ROW);
	assert_int_equal(stmt_col_int(b, 0), N - 1 + 1000);
	static const char broken[] = "SELEC nonsense";
	assert_null(db_prep(db, broken));
	store_release(s, db);
	store_close(&s);
}

/* $N parameters work on SQLite (rewritten to ?N), also repeated, and a '$1' inside a
 * string literal stays text. */
static void test_dollar_params(void **state)
{
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	struct db *db = store_acquire(s);
	static const char sql[] = "SELECT $1 + $2 + $1, '$1', $3, $4 IS NULL";
	struct stmt *st = db_prep(db, sql);
	assert_non_null(st);
	stmt_int(st, 1, 10);
	stmt_int(st, 2, 5);
	stmt_text(st, 3, "tekst");
	stmt_null(st, 4);
	assert_int_equal(stmt_step(st), STORE_STEP_ROW);
	assert_int_equal(stmt_col_int(st, 0), 25);
	assert_string_equal(stmt_col_text(st, 1), "$1");
	assert_string_equal(stmt_col_text(st, 2), "tekst");
	assert_int_equal(stmt_col_int(st, 3), 1);
	assert_false(stmt_col_null(st, 0));
	stmt_reset(st);
	store_release(s, db);
	store_close(&s);
}

/* A store_write operation for the tests: renames the organisation with the revision it
 * was given, names its audit row, and returns the outcome in *arg. */
static int rename_op(struct store_write *w, void *arg)
{
	static const char sql[] = "UPDATE organisation SET name = $1, rev = $2 WHERE id = 1";
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, "Zorg Zuid");
	stmt_int(st, 2, store_write_rev(w));
	if (!stmt_done(st))
		return STORE_ERROR;
	store_write_audit(w, "organisation.update", "organisation", 1, "renamed");
	return *(int *)arg;
}

/* An operation that stamps nothing and audits an outcome of its own. */
static int replay_op(struct store_write *w, void *arg)
{
	(void)arg;
	store_write_audit(w, "test.replay", NULL, 0, NULL);
	w->outcome = "replayed";
	return STORE_OK;
}

/* store_write commits the rows and the audit row together, or neither; the revision is
 * taken before the operation and only a write that stamped a row moves the feed on. */
static void test_store_write(void **state)
{
	struct tmpdb *t = *state;
	char *err = NULL;
	struct store *s = store_open(t->path, &err);
	assert_non_null(s);
	struct db *db = store_acquire(s);
	sqlite3 *h = store_sqlite_handle(db);
	exec_ok(h, "INSERT INTO organisation (id, name) VALUES (1, 'Zorg Noord')");
	struct actor a = {.type = "worker", .id = "test", .remote = NULL};
	int64_t r0 = db_current_rev(db);
	int outcome = STORE_CONFLICT;
	assert_int_equal(store_write(db, &a, rename_op, &outcome), STORE_CONFLICT);
	assert_int_equal(q_int(h, "SELECT count(*) FROM organisation WHERE name = 'Zorg Zuid'"), 0);
	assert_int_equal(q_int(h, "SELECT count(*) FROM audit"), 0);
	assert_int_equal(db_current_rev(db), r0);
	outcome = STORE_OK;
	assert_int_equal(store_write(db, &a, rename_op, &outcome), STORE_OK);
	assert_int_equal(q_int(h, "SELECT rev FROM organisation WHERE name = 'Zorg Zuid'"), r0 + 1);
	assert_int_equal(db_current_rev(db), r0 + 1);
	assert_int_equal(q_int(h, "SELECT count(*) FROM audit WHERE actor_type = 'worker'"
							  " AND actor_id = 'test' AND action = 'organisation.update'"
							  " AND object_id = '1' AND outcome = 'ok' AND detail = 'renamed'"),
					 1);
	assert_int_equal(store_write(db, &a, replay_op, NULL), STORE_OK);
	assert_int_equal(q_int(h, "SELECT count(*) FROM audit WHERE outcome = 'replayed'"), 1);
	assert_int_equal(db_begin(db, false), 0); /* no transaction was left open */
	db_rollback(db);
	store_release(s, db);
	store_close(&s);
}

/* True when role code holds task. */
static bool role_has(sqlite3 *h, const char *role, const char *task)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(h,
									   "SELECT 1 FROM role_tasks rt JOIN roles r ON r.id = rt.role_id"
									   " WHERE r.code = ? AND rt.task_code = ?",
									   -1, &st, NULL),
					 SQLITE_OK);
	sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, task, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The five preset roles exist with the tasks the design gives them. */
static void test_preset_roles(void **state)
{
	(void)state;
	sqlite3 *h = mem_open();
	char *err = NULL;
	assert_int_equal(store_sqlite_migrate(h, store_sqlite_schema_latest(), &err), 0);
	assert_int_equal(q_int(h, "SELECT count(*) FROM roles"), 5);
	static const char *const codes[] = {"administrator", "beheerder", "casemanager",
										"zorgverlener", "support"};
	for (size_t i = 0; i < 5; i++) {
		char *q = xasprintf("SELECT count(*) FROM roles WHERE code = '%s'", codes[i]);
		assert_int_equal(q_int(h, q), 1);
		free(q);
	}
	/* administrator holds every task. */
	assert_true(q_int(h, "SELECT count(*) FROM tasks") > 10);
	assert_int_equal(q_int(h, "SELECT count(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM"
							  " role_tasks rt JOIN roles r ON r.id = rt.role_id"
							  " WHERE r.code = 'administrator' AND rt.task_code = t.code)"),
					 0);
	assert_false(role_has(h, "beheerder", "client.view"));
	assert_false(role_has(h, "beheerder", "client.bsn.view"));
	assert_true(role_has(h, "beheerder", "staff.manage"));
	assert_true(role_has(h, "zorgverlener", "client.view"));
	assert_false(role_has(h, "zorgverlener", "client.bsn.view"));
	assert_true(role_has(h, "casemanager", "client.bsn.view"));
	assert_false(role_has(h, "support", "client.bsn.view"));
	/* Only administrators may grant the administrator and beheerder roles. */
	assert_int_equal(q_int(h, "SELECT count(*) FROM role_tasks WHERE task_code = 'role.admin.grant'"),
					 1);
	/* Every granted task exists. */
	assert_int_equal(q_int(h, "SELECT count(*) FROM role_tasks rt WHERE NOT EXISTS"
							  " (SELECT 1 FROM tasks t WHERE t.code = rt.task_code)"),
					 0);
	sqlite3_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest_version),
		cmocka_unit_test(test_migrate_empty),
		cmocka_unit_test(test_migrate_target_clamped),
		cmocka_unit_test(test_migrate_from_v1_keeps_data),
		cmocka_unit_test(test_migrate_refuses_newer),
		cmocka_unit_test_setup_teardown(test_open_refuses_newer, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_open_garbage_file, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_open_creates_and_reopens, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_next_rev, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_pool, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_audit_group_commit, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_audit_queue, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_prep_cache, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_dollar_params, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test_setup_teardown(test_store_write, tmpdb_setup, tmpdb_teardown),
		cmocka_unit_test(test_preset_roles),
	};
	return cmocka_run_group_tests_name("store", tests, group_setup, NULL);
}
