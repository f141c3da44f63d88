/* Home-care technology in the store: the device-type catalogue with the organisation's
 * settings, orders (placed with an idempotency key) and registrations. Rows are borrowed
 * by the visitor during the call. Functions return STORE_OK, STORE_NOT_FOUND,
 * STORE_CONFLICT, STORE_INVALID, STORE_REPLAY or STORE_ERROR as documented. Times are
 * Unix seconds, 0 for "not yet". */
#ifndef ZT_SERVER_STORE_Q_HCT_H
#define ZT_SERVER_STORE_Q_HCT_H

#include "q_idempotency.h"
#include "store.h"

#include <stdbool.h>
#include <stdint.h>

struct device_type_row {
	int64_t id;
	const char *name;
	const char *product_code;
	int64_t supplier_id; /* 0: supplier unknown */
	const char *supplier_name;
	const char *supplier_connector;
	bool in_use;
	bool ordering;
};

/* An order as staff see it. */
struct order_row {
	int64_t id;
	const char *uuid;
	int64_t client_id, device_type_id;
	const char *device_type_name, *supplier_name;
	const char *status; /* OPEN, DECLINED, ACCEPTED, COMPLETED */
	int64_t created_at, updated_at, fetched_at, accepted_at, declined_at, completed_at;
	const char *delivery_type; /* CLIENT_HOME, MANUAL */
	int64_t address_id;        /* 0: none */
	const char *street;
	int64_t house_number;
	const char *house_number_ext, *postcode, *city;
	int64_t orderer_staff_id;
	const char *orderer_name;
	int64_t team_id;
	const char *team_name, *orderer_email, *orderer_phone;
	const char *order_number, *supplier_note, *tracking_url, *device_identification_number;
	int64_t registration_id; /* 0: none */
};

struct registration_row {
	int64_t id, client_id, device_type_id;
	const char *device_type_name, *serial, *start_date;
	const char *end_date; /* NULL: still in use */
	int64_t order_id;     /* 0: registered without an order */
};

typedef void (*q_device_type_fn)(const struct device_type_row *d, void *ctx);
typedef void (*q_order_fn)(const struct order_row *o, void *ctx);
typedef void (*q_registration_fn)(const struct registration_row *g, void *ctx);

/* Every device type of the catalogue (not deleted) by name. */
int q_device_types_list(struct db *db, q_device_type_fn fn, void *ctx);
/* Device type id (not deleted); STORE_NOT_FOUND without. */
int q_device_type_get(struct db *db, int64_t id, q_device_type_fn fn, void *ctx);

/* A change of a device type's settings; a member not set keeps its value. */
struct device_type_change {
	int64_t id;
	bool set_in_use, in_use;
	bool set_ordering, ordering;
};
/* Apply c in one write, audited as actor (ordering on puts the type in use; out of use
 * switches ordering off). STORE_NOT_FOUND, STORE_CONFLICT (ordering without a known
 * supplier), STORE_OK or STORE_ERROR. */
int q_device_type_update(struct db *db, const struct actor *actor,
						 const struct device_type_change *c);

/* The registrations of client id (not deleted), newest start first. */
int q_client_registrations(struct db *db, int64_t client_id, q_registration_fn fn, void *ctx);
/* The orders of client id that are not completed or deleted, newest first. */
int q_client_open_orders(struct db *db, int64_t client_id, q_order_fn fn, void *ctx);
/* Order id (deleted ones too); STORE_NOT_FOUND without. */
int q_order_get(struct db *db, int64_t id, q_order_fn fn, void *ctx);
/* Registration id (deleted ones too); STORE_NOT_FOUND without. */
int q_registration_get(struct db *db, int64_t id, q_registration_fn fn, void *ctx);
/* The location of the client of order id (both not deleted) into *location. */
int q_order_location(struct db *db, int64_t id, int64_t *location);
/* The location of the client of registration id (both not deleted) into *location. */
int q_registration_location(struct db *db, int64_t id, int64_t *location);

/* A new order, checked for its shape by the caller. */
struct order_new {
	int64_t client_id, device_type_id;
	bool client_home;       /* deliver at address_id, else at the address below */
	int64_t address_id;
	const char *street;     /* MANUAL delivery */
	int64_t house_number;
	const char *house_number_ext, *postcode, *city;
	int64_t staff_id;       /* the orderer */
	const char *staff_name;
	int64_t team_id;
	const char *email, *phone;
	const char *key;          /* Idempotency-Key */
	const char *request_hash; /* of the path and body, to tell a retry from a reuse */
};

/* Why q_order_create refused the input (STORE_INVALID): bits of the fields. */
enum order_bad {
	ORDER_BAD_DEVICE_TYPE = 1, /* not in the catalogue */
	ORDER_BAD_ADDRESS = 2,     /* not an active address of the client */
	ORDER_BAD_TEAM = 4,        /* no such team */
	ORDER_BAD_TEAM_SCOPE = 8,  /* the team's location is outside the orderer's scope */
};

/* What q_order_create answered; strings owned (q_idem_free(&a->reply)). */
struct order_answer {
	struct idem_reply reply; /* its status is 409 for ordering off */
	unsigned bad;            /* enum order_bad bits (STORE_INVALID) */
};
/* Render the reply text of a new order (called inside the write); caller of the render
 * owns the text. */
typedef char *(*q_order_render)(const struct order_row *o, void *ctx);
/* Place order n in one write: idempotency (a retry of the same request is answered from
 * the stored reply: STORE_REPLAY; the key reused for another request: STORE_CONFLICT with
 * a->reply.status 422), the references (STORE_INVALID with a->bad), ordering on for the
 * type (else STORE_CONFLICT with status 409), then the row, the stored reply (a->reply:
 * status 201, location, response) and the audit as actor. */
int q_order_create(struct db *db, const struct actor *actor, const struct order_new *n,
				   q_order_render render, void *ctx, struct order_answer *a);

/* Mark order id deleted when it is DECLINED. STORE_NOT_FOUND, STORE_CONFLICT (another
 * status, copied into status[12]), STORE_OK or STORE_ERROR. */
int q_order_delete(struct db *db, const struct actor *actor, int64_t id, char status[12]);
/* Complete ACCEPTED order id with a new registration (serial, start). *reg_id gets its id.
 * STORE_NOT_FOUND, STORE_CONFLICT (status[12] set), STORE_OK or STORE_ERROR. */
int q_order_start_use(struct db *db, const struct actor *actor, int64_t id, const char *serial,
					  const char *start, int64_t *reg_id, char status[12]);

/* A new registration, checked for its shape by the caller. */
struct registration_new {
	int64_t client_id, device_type_id;
	const char *serial, *start_date;
	const char *end_date; /* NULL: none */
};
/* Register n in one write. STORE_INVALID (device type not in the catalogue),
 * STORE_CONFLICT (device type not in use), STORE_OK (*id set) or STORE_ERROR. */
int q_registration_create(struct db *db, const struct actor *actor,
						  const struct registration_new *n, int64_t *id);
/* The start date of registration id into start[16] (empty when it has none). */
int q_registration_start(struct db *db, int64_t id, char start[16]);
/* Set (end NULL: clear) the end date of registration id in one write. */
int q_registration_set_end(struct db *db, const struct actor *actor, int64_t id,
						   const char *end);

#endif
