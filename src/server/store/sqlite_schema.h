/* SQLite's numbered migrations of zorgd's schema; migration i brings the schema to version
 * i+1. The PostgreSQL driver keeps its own list with the same numbers and tables. */
#ifndef ZT_SERVER_STORE_SQLITE_SCHEMA_H
#define ZT_SERVER_STORE_SQLITE_SCHEMA_H

#include <stddef.h>

extern const char *const sqlite_migrations[];
extern const size_t sqlite_migration_count;

#endif
