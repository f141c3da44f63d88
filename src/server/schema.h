/* The numbered migrations of zorgd's schema; migration i brings the schema to version i+1. */
#ifndef ZT_SERVER_SCHEMA_H
#define ZT_SERVER_SCHEMA_H

#include <stddef.h>

extern const char *const schema_migrations[];
extern const size_t schema_migration_count;

#endif
