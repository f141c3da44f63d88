/* Clients in the store: search, BSN look-up, personalia with addresses and contact
 * methods. Rows are borrowed by the visitor during the call. Functions return STORE_OK,
 * STORE_NOT_FOUND (a get without a row) or STORE_ERROR. */
#ifndef ZT_SERVER_STORE_Q_CLIENTS_H
#define ZT_SERVER_STORE_Q_CLIENTS_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define Q_CLIENT_WORDS 6

struct client_row {
	int64_t id;
	const char *client_number;
	const char *name;
	const char *birth_date; /* YYYY-MM-DD or NULL */
	int64_t location_id;
	const char *bsn; /* only from q_client_get; NULL otherwise or when unknown */
};

struct address_row {
	int64_t id;
	const char *street;
	int64_t house_number;
	const char *house_number_ext;
	const char *postcode;
	const char *city;
	bool active;
};

struct contact_row {
	int64_t id;
	const char *kind; /* email, mobile */
	const char *value;
	bool confirmed;
};

/* A client search: every word (already folded) must occur in the folded name; a single
 * word may also match the client number. */
struct client_search {
	int64_t scope_staff; /* only clients in this staff member's scope */
	int64_t after;       /* ids above this */
	int64_t location_id; /* 0: any, else within this location */
	int64_t limit;
	const char *words[Q_CLIENT_WORDS];
	size_t nwords;
};

typedef void (*q_client_fn)(const struct client_row *c, void *ctx);
typedef void (*q_address_fn)(const struct address_row *a, void *ctx);
typedef void (*q_contact_fn)(const struct contact_row *m, void *ctx);

/* Clients matching q by id. */
int q_clients_search(struct db *db, const struct client_search *q, q_client_fn fn, void *ctx);
/* The client (not deleted, in scope_staff's scope) with BSN bsn. */
int q_client_by_bsn(struct db *db, const char *bsn, int64_t scope_staff, q_client_fn fn,
					void *ctx);
/* Client id (not deleted) with its BSN, when it lies in the scope of staff member
 * scope_staff; STORE_NOT_FOUND alike for unknown and out of scope (one statement: on
 * PostgreSQL one round trip instead of a read and a scope check). */
int q_client_get(struct db *db, int64_t id, int64_t scope_staff, q_client_fn fn, void *ctx);
/* The addresses of client id, active first. */
int q_client_addresses(struct db *db, int64_t id, q_address_fn fn, void *ctx);
/* The active address address_id of client client_id. */
int q_client_address(struct db *db, int64_t client_id, int64_t address_id, q_address_fn fn,
					 void *ctx);
/* The contact methods of client id. */
int q_client_contacts(struct db *db, int64_t id, q_contact_fn fn, void *ctx);
/* The location of client id (not deleted) into *location. */
int q_client_location(struct db *db, int64_t id, int64_t *location);

#endif
