/* The SQLite driver's own entry points, for tools and tests inside the store (demo data,
 * online backup, unit tests). The rest of zorgd uses store.h. */
#ifndef ZT_SERVER_STORE_SQLITE_H
#define ZT_SERVER_STORE_SQLITE_H

#include "driver.h"

#include <sqlite3.h>

/* The SQLite handle of a connection the SQLite driver opened (NULL for another driver's).
 * Borrowed for as long as the connection is. */
sqlite3 *store_sqlite_handle(struct db *db);
/* Apply the settings every handle needs (busy wait, zt_fold, foreign keys); SQLITE_OK on
 * success. */
int store_sqlite_configure(sqlite3 *h);
/* Apply the SQLite migrations up to target (clamped to the newest) on an open handle;
 * 0 on success, -1 with *err (caller frees). Refuses a newer database. */
int store_sqlite_migrate(sqlite3 *h, int target, char **err);
/* The schema version recorded in the database (0 for an empty one). */
int store_sqlite_schema_version(sqlite3 *h);
/* Number of SQLite migrations this binary knows. */
int store_sqlite_schema_latest(void);

#endif
