/* zorgd's numbered PostgreSQL migrations (see pg_schema.c). */
#ifndef ZT_SERVER_STORE_PG_SCHEMA_H
#define ZT_SERVER_STORE_PG_SCHEMA_H

#include <stddef.h>

/* Migration i + 1 is pg_migrations[i]: SQL that may hold several statements. */
extern const char *const pg_migrations[];
/* Number of entries in pg_migrations. */
extern const size_t pg_migration_count;

#endif
