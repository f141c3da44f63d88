/* The supplier API's view of the store: a supplier's orders (first fetches recorded with a
 * new revision each), status changes and the little it may read about a client. Rows are
 * borrowed by the visitor during the call. */
#ifndef ZT_SERVER_STORE_Q_SUPPLIER_H
#define ZT_SERVER_STORE_Q_SUPPLIER_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An order as its supplier sees it (never a BSN; of the client only the name). */
struct supplier_order_row {
	int64_t id;
	const char *uuid;
	int64_t created_at, updated_at;
	const char *product_code;
	bool removed;
	const char *client_name;
	int64_t client_id;
	const char *street;
	int64_t house_number;
	const char *house_number_ext, *postcode, *city, *delivery_type;
	const char *orderer_name, *orderer_email, *orderer_phone, *team_name;
	int64_t team_id, orderer_staff_id;
	const char *status;
	int64_t accepted_at, declined_at, completed_at; /* 0: not yet */
	const char *device_identification_number, *order_number, *supplier_note, *tracking_url;
};

struct supplier_client_row {
	int64_t id;
	const char *name;
	const char *birth_date;
};

typedef void (*q_supplier_order_fn)(const struct supplier_order_row *o, void *ctx);

/* Status bits of q_supplier_orders' mask. */
enum { Q_STATUS_OPEN = 1, Q_STATUS_DECLINED = 2, Q_STATUS_ACCEPTED = 4, Q_STATUS_COMPLETED = 8 };

/* What a supplier asks for. */
struct supplier_order_query {
	int64_t supplier_id;
	int mask;                   /* Q_STATUS_* bits */
	const char *const *codes;   /* product codes to keep; NULL: all */
	size_t ncodes;
};
/* The supplier's orders matching q by id, in one write that records first fetches and
 * audits the list as actor. STORE_OK or STORE_ERROR. */
int q_supplier_orders(struct db *db, const struct actor *actor,
					  const struct supplier_order_query *q, q_supplier_order_fn fn, void *ctx);

/* An order named by the supplier: its id, or (id 0) its uuid. */
struct supplier_ref {
	int64_t supplier_id;
	int64_t id;
	const char *uuid;
};
/* The supplier's order ref in one write that records a first fetch and audits the read.
 * STORE_NOT_FOUND (not the supplier's), STORE_OK or STORE_ERROR. */
int q_supplier_order_read(struct db *db, const struct actor *actor,
						  const struct supplier_ref *ref, q_supplier_order_fn fn, void *ctx);

/* A supplier's answer to an open order; text members NULL keep the stored value. */
struct supplier_status {
	bool accepted;
	const char *device_identification_number, *order_number, *supplier_note, *tracking_url;
};
/* Accept or decline the supplier's open order ref in one write, audited. *id gets the
 * order's id (0 when unknown). STORE_NOT_FOUND, STORE_CONFLICT (not open: state[12] says
 * its status or "removed"), STORE_OK or STORE_ERROR. */
int q_supplier_order_status(struct db *db, const struct actor *actor,
							const struct supplier_ref *ref, const struct supplier_status *s,
							int64_t *id, char state[12]);

/* Client id, when the supplier has a (not deleted) order for it. */
int q_supplier_client(struct db *db, int64_t supplier_id, int64_t id,
					  void (*fn)(const struct supplier_client_row *c, void *ctx), void *ctx);

#endif
