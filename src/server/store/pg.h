/* The PostgreSQL driver's own entry points (zorgd --db postgresql://...). The rest of
 * zorgd uses store.h. */
#ifndef ZT_SERVER_STORE_PG_H
#define ZT_SERVER_STORE_PG_H

#include "driver.h"

/* The PostgreSQL backend: targets postgresql://... and postgres://... (libpq URIs). */
extern const struct store_driver store_driver_postgresql;

/* The SQLSTATE of the last failed statement on db ("" after success or for another
 * driver's connection). Borrowed from db. */
const char *store_pg_sqlstate(struct db *db);

/* Copy every table of the SQLite database at sqlite_path into the empty PostgreSQL
 * database at target (revisions and ids kept); 0, or -1 with *err (caller frees). Refuses
 * a target that holds data beyond what the migrations create. */
int store_pg_import(const char *target, const char *sqlite_path, char **err);

#endif
