/* The store driver interface: what a database backend (SQLite, PostgreSQL) implements so
 * that zorgd's query functions (q_*.c) run unchanged on either. Nothing outside
 * src/server/store/ includes this file; the rest of zorgd uses store.h.
 *
 * Writing SQL that runs on both backends (the rules every q_*.c follows)
 * -----------------------------------------------------------------------
 * - Each statement is a static string, written once, with numbered parameters $1, $2 ...
 *   (PostgreSQL style). A parameter may be used more than once ($1 twice is fine). The
 *   SQLite driver rewrites $N to ?N outside string literals when it prepares (once per
 *   connection: the statement cache is keyed by the string's address, so never build SQL
 *   at run time; a different text needs a different static string).
 * - Types: integers are BIGINT/INTEGER bound with bind_int64; booleans are integers 0/1
 *   (compare with = 1 / = 0, never bare "WHERE active"); times are Unix seconds (BIGINT);
 *   dates are 'YYYY-MM-DD' text; text compares with = and LIKE ... ESCAPE '\'.
 * - Not portable, so not used: instr() (write LIKE or a join), scalar min(a,b)/max(a,b)
 *   (write CASE WHEN), INSERT OR IGNORE / OR REPLACE (write INSERT ... ON CONFLICT (cols)
 *   DO NOTHING / DO UPDATE SET ...),
 *   strftime/now()/datetime (bind the time from C), GLOB, typeless columns, "rowid",
 *   double-quoted string literals, LIMIT -1, AUTOINCREMENT, PRAGMA.
 * - Portable and used: RETURNING (get new ids with INSERT ... RETURNING id, not a
 *   last-insert-id call), ON CONFLICT, EXISTS, CASE, COALESCE, lower(), || for strings,
 *   LIMIT $n, sub-selects, LEFT JOIN, COUNT/ MAX aggregates, CAST(x AS BIGINT).
 * - Bind exactly the parameters the statement names: PostgreSQL refuses a bind of $3 when
 *   the text stops at $2 (reference an unused one as CAST($1 AS BIGINT) = CAST($1 AS
 *   BIGINT) when a family of statements must bind alike, as q_changes.c does).
 * - A parameter whose type the server cannot infer (PostgreSQL: "$1 IS NULL" alone) is
 *   written with a cast: CAST($1 AS TEXT) IS NULL, CAST($2 AS BIGINT) = 0.
 * - What must differ per backend lives in that backend's numbered migrations (identity
 *   columns: SQLite "INTEGER PRIMARY KEY", PostgreSQL "BIGINT GENERATED ... AS IDENTITY";
 *   the search folding function zt_fold; text collation), never in q_*.c. Both backends'
 *   migrations keep the same version numbers and leave the same tables and columns.
 * - Revisions come from next_revision() inside the write transaction (store_write takes
 *   the first one right after begin, before the operation reads anything); feed readers
 *   use current_revision() in a read transaction. A driver must make sure that
 *   next_revision serialises writers until commit, so that a reader that has seen
 *   revision N never later finds a newly committed change below N, and so that an
 *   operation's checks see every earlier committed write (SQLite: BEGIN IMMEDIATE;
 *   PostgreSQL: the counter row's lock, see pg.c).
 *
 * Ownership: a connection belongs to one thread between acquire and release. Statements
 * come from that connection's cache and are borrowed: never freed by the caller, valid
 * until the connection is released. Text bound without copy must stay valid until the
 * statement is reset; text read from a column is valid until the next step or reset. */
#ifndef ZT_SERVER_STORE_DRIVER_H
#define ZT_SERVER_STORE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store_driver;

/* A connection; a driver's own connection struct starts with this member. */
struct db {
	const struct store_driver *drv;
	void *pool; /* the driver's pool this connection came from */
};

/* A prepared statement (with its result cursor); a driver's own struct starts with this. */
struct stmt {
	const struct store_driver *drv;
};

/* What step returns. */
enum store_step { STORE_STEP_ERROR = -1, STORE_STEP_DONE = 0, STORE_STEP_ROW = 1 };

/* A backend. Every function pointer is set; pool is the driver's own state. */
struct store_driver {
	const char *name; /* "sqlite", "postgresql" */
	/* True when target (the --db value) names this backend. */
	bool (*accepts)(const char *target);
	/* Open the database named by target, migrate it to the newest schema and return the
	 * driver's pool; NULL with *err (caller frees) on failure. */
	void *(*open)(const char *target, char **err);
	/* Close every connection and free the pool. */
	void (*close)(void *pool);
	/* Borrow a connection (NULL on failure, logged); give it back with release. */
	struct db *(*acquire)(void *pool);
	void (*release)(void *pool, struct db *db);

	/* Transactions: begin a write (serialised with other writers as the driver needs) or
	 * a read (one consistent snapshot); 0 on success. rollback ignores errors and is a
	 * no-op outside a transaction. */
	int (*begin)(struct db *db, bool write);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	/* Run sql (no parameters, no rows; may hold several statements); 0 on success. */
	int (*exec)(struct db *db, const char *sql);

	/* The cached, reset, unbound statement for static sql (see the rules above); NULL on
	 * a prepare error (logged). */
	struct stmt *(*prepare)(struct db *db, const char *sql);
	/* Bind parameter $i (1-based). bind_text with s NULL binds NULL; copy false means s
	 * stays valid until reset. */
	void (*bind_int64)(struct stmt *st, int i, int64_t v);
	void (*bind_double)(struct stmt *st, int i, double v);
	void (*bind_text)(struct stmt *st, int i, const char *s, bool copy);
	void (*bind_null)(struct stmt *st, int i);
	/* Run to the next row. */
	enum store_step (*step)(struct stmt *st);
	/* Forget the result and the bindings, ready for the next use. */
	void (*reset)(struct stmt *st);
	/* Column i (0-based) of the current row; NULL reads as 0 / NULL / 0.0. */
	int64_t (*col_int64)(struct stmt *st, int i);
	double (*col_double)(struct stmt *st, int i);
	const char *(*col_text)(struct stmt *st, int i);
	bool (*col_is_null)(struct stmt *st, int i);
	/* Rows changed by the last INSERT/UPDATE/DELETE stepped on this connection. */
	int64_t (*changes)(struct db *db);

	/* Take the next global revision inside the open write transaction; -1 on error. */
	int64_t (*next_revision)(struct db *db);
	/* The newest committed revision this connection's transaction sees; -1 on error. */
	int64_t (*current_revision)(struct db *db);
	/* Announce, after commit, that revision rev is committed: wakes long-polls of this
	 * process and (PostgreSQL) of the other instances. */
	void (*notify)(void *pool, struct db *db, int64_t rev);
	/* Wait up to timeout_ms for a revision newer than since, or for shutdown; true when
	 * one was announced. May wake early; callers re-read the store. */
	bool (*wait)(void *pool, int64_t since, int timeout_ms);

	/* Schema: the version recorded in the database (0 when empty), the newest version this
	 * binary knows, and migrating up to target (0, or -1 with *err; refuses a newer
	 * database). open() migrates already; these are for tests and tools. */
	int (*schema_version)(struct db *db);
	int (*schema_latest)(void);
	int (*migrate)(struct db *db, int target, char **err);

	/* True when the last failure on db was a race that running the whole write again may
	 * win (PostgreSQL: unique violation, serialisation failure, deadlock); store_write
	 * retries then. NULL: never (SQLite serialises writers). */
	bool (*retryable)(struct db *db);
};

/* The built-in backends. */
extern const struct store_driver store_driver_sqlite;

#endif
