/* Deterministic demo organisation: locations, teams, demo staff and generated clients. */
#ifndef ZT_SERVER_DEMO_H
#define ZT_SERVER_DEMO_H

#include "store.h"

#include <stdint.h>

/* Fill an empty, migrated database with a deterministic demo organisation; 0 on success,
 * -1 with *err (caller frees). clients: number of clients (1..1000000); seed: PRNG seed.
 * SQLite store only, for now (PostgreSQL: import a demo SQLite file). */
int demo_create(struct db *db, int clients, uint64_t seed, char **err);

#endif
