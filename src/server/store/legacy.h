/* TEMPORARY, while handlers move to query functions (issue 8): the raw SQLite statement of
 * a cached statement, for code not yet moved. Delete with its last user. */
#ifndef ZT_SERVER_STORE_LEGACY_H
#define ZT_SERVER_STORE_LEGACY_H

#include "store.h"

#include <sqlite3.h>

/* The SQLite statement behind db_prep(db, sql) (SQLite driver only; NULL otherwise or on a
 * prepare error). Borrowed like db_prep's. */
sqlite3_stmt *legacy_prep(struct db *db, const char *sql);
/* The SQLite handle of db (SQLite driver only). */
sqlite3 *legacy_handle(struct db *db);
/* Text of column i or NULL. Borrowed until the next step. */
const char *db_col_text(sqlite3_stmt *st, int i);

#endif
