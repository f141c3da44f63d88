/* zorgd's store: SQLite connections in a pool, numbered migrations, the global revision. */
#ifndef ZT_SERVER_STORE_H
#define ZT_SERVER_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Initial size of a connection's statement cache; it grows and never evicts, since its
 * keys are the program's static SQL strings (a fixed set). */
#define STMT_CACHE 128

struct stmt_slot {
	const char *sql; /* key: the address of a static SQL string */
	sqlite3_stmt *st;
};

/* One database connection with its cache of prepared statements. */
struct db {
	sqlite3 *h;
	struct stmt_slot *cache;
	size_t cap, used;
	struct db *next_free;
};

struct store;

/* Open (creating if needed) the database at path, apply pending migrations, and return the
 * pool; NULL with *err (caller frees) on failure, e.g. a database newer than this binary. */
struct store *store_open(const char *path, char **err);
/* Close every connection and free the pool; sets *sp to NULL. */
void store_close(struct store **sp);
/* Borrow a connection from the pool (opening one when none is idle). */
struct db *store_acquire(struct store *s);
/* Return a borrowed connection to the pool. */
void store_release(struct store *s, struct db *db);

/* Number of migrations this binary knows. */
int store_latest_version(void);
/* Apply migrations up to version target (store_latest_version() for all) on an open
 * handle; 0 on success, -1 with *err (caller frees). Refuses a newer database. */
int store_migrate(sqlite3 *h, int target, char **err);
/* The schema version recorded in the database (0 for an empty one). */
int store_schema_version(sqlite3 *h);
/* Apply the connection settings every handle needs (foreign keys, busy timeout, WAL). */
int store_configure(sqlite3 *h);

/* A reset, unbound prepared statement for static SQL sql, cached on db. Borrowed: never
 * finalize it. NULL on a prepare error (logged). */
sqlite3_stmt *db_prep(struct db *db, const char *sql);
/* BEGIN IMMEDIATE (write) or BEGIN (read); 0 on success. */
int db_begin(struct db *db, bool write);
/* COMMIT; 0 on success. */
int db_commit(struct db *db);
/* ROLLBACK, ignoring errors. */
void db_rollback(struct db *db);
/* Execute sql without results; 0 on success. */
int db_exec(struct db *db, const char *sql);
/* Take the next global revision number inside the current write transaction; -1 on error. */
int64_t db_next_rev(struct db *db);
/* The current global revision; -1 on error. */
int64_t db_current_rev(struct db *db);
/* Text of column i or NULL. Borrowed until the next step. */
const char *db_col_text(sqlite3_stmt *st, int i);

#endif
