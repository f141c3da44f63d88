/* Deterministic demo organisation: locations, teams, demo staff and generated clients. */
#ifndef ZT_SERVER_DEMO_H
#define ZT_SERVER_DEMO_H

#include <sqlite3.h>
#include <stdint.h>

/* Fill an empty, migrated database with a deterministic demo organisation; 0 on success,
 * -1 with *err (caller frees). clients: number of clients (1..1000000); seed: PRNG seed. */
int demo_create(sqlite3 *h, int clients, uint64_t seed, char **err);

#endif
