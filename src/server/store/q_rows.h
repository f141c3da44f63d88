/* Store-internal: the column lists each row type is read with and the readers that fill
 * a row struct from them, shared by the resource queries and the feed (q_changes.c). */
#ifndef ZT_SERVER_STORE_Q_ROWS_H
#define ZT_SERVER_STORE_Q_ROWS_H

#include "q_caren.h"
#include "q_clients.h"
#include "q_hct.h"
#include "q_org.h"
#include "store.h"

/* Columns of a location (alias l), 4. */
#define LOCATION_COLS "l.id, l.parent_id, l.name, l.kind"
/* Columns of a team (alias t), 5. */
#define TEAM_COLS "t.id, t.location_id, t.name, t.email, t.phone"
/* Columns of a client summary (alias c), 5. */
#define CLIENT_COLS "c.id, c.client_number, c.name, c.birth_date, c.location_id"
/* Columns of a device type, 8, from DEVICE_TYPE_FROM (aliases d, sp). */
#define DEVICE_TYPE_COLS \
	"d.id, d.name, d.product_code, d.supplier_id, sp.name, sp.connector, d.in_use, d.ordering"
#define DEVICE_TYPE_FROM "device_types d LEFT JOIN suppliers sp ON sp.id = d.supplier_id"
/* Columns of an order as staff see it, 31, from ORDER_FROM (aliases o, d, sp; the
 * registration that completed it is looked up by its order_id). */
#define ORDER_COLS                                                                          \
	"o.id, o.uuid, o.client_id, o.device_type_id, d.name, sp.name, o.status, o.created_at,"  \
	" o.updated_at, o.fetched_at, o.accepted_at, o.declined_at, o.completed_at,"            \
	" o.delivery_type, o.address_id, o.street, o.house_number, o.house_number_ext,"         \
	" o.postcode, o.city, o.orderer_staff_id, o.orderer_name, o.team_id, o.team_name,"      \
	" o.orderer_email, o.orderer_phone, o.order_number, o.supplier_note, o.tracking_url,"   \
	" o.device_identification_number,"                                                      \
	" (SELECT rx.id FROM hct_registrations rx WHERE rx.order_id = o.id AND rx.deleted = 0)"
#define ORDER_FROM                                                                          \
	"hct_orders o JOIN device_types d ON d.id = o.device_type_id"                           \
	" LEFT JOIN suppliers sp ON sp.id = o.supplier_id"
/* Columns of a registration, 8, from REGISTRATION_FROM (aliases rg, d). */
#define REGISTRATION_COLS \
	"rg.id, rg.client_id, rg.device_type_id, d.name, rg.serial, rg.start_date, rg.end_date," \
	" rg.order_id"
#define REGISTRATION_FROM "hct_registrations rg JOIN device_types d ON d.id = rg.device_type_id"

/* Fill a row from its columns starting at column c (strings borrowed until the next step). */
void q_read_location(struct stmt *st, int c, struct location_row *l);
void q_read_team(struct stmt *st, int c, struct team_row *t);
void q_read_client(struct stmt *st, int c, struct client_row *cl);
void q_read_device_type(struct stmt *st, int c, struct device_type_row *d);
void q_read_order(struct stmt *st, int c, struct order_row *o);
void q_read_registration(struct stmt *st, int c, struct registration_row *g);
/* Define `static int NAME(struct stmt *st, bool one, FN_T fn, void *ctx)`: step st to its
 * end, fill a ROW_T with READ(st, 0, &row) for every row and call fn(&row, ctx); the
 * outcome is stmt_finish's (STORE_NOT_FOUND when one row was wanted and none came). */
#define Q_DEFINE_EACH(name, row_t, fn_t, read)                                              \
	static int name(struct stmt *st, bool one, fn_t fn, void *ctx)                          \
	{                                                                                       \
		enum store_step rc;                                                                 \
		int64_t n = 0;                                                                      \
		while ((rc = stmt_step(st)) == STORE_STEP_ROW) {                                    \
			row_t row;                                                                      \
			read(st, 0, &row);                                                              \
			fn(&row, ctx);                                                                  \
			n++;                                                                            \
		}                                                                                   \
		return stmt_finish(st, rc, one, n);                                                 \
	}

/* In a query function: prepare sql, bind id to $1 and return each(st, true, fn, ctx)
 * (one row wanted), or STORE_ERROR when it cannot be prepared. */
#define Q_GET_BY_ID(db, sql, id, each, fn, ctx)                                             \
	do {                                                                                    \
		struct stmt *st_ = db_prep(db, sql);                                                \
		if (!st_)                                                                           \
			return STORE_ERROR;                                                             \
		stmt_int(st_, 1, id);                                                               \
		return each(st_, true, fn, ctx);                                                    \
	} while (0)

/* A client's Caren facts from (client_id, link_active, valid_until), 3 columns. */
void q_read_caren_state(struct stmt *st, int c, struct caren_state_row *s);
/* The portal's facts from (enabled, reachable, last_heartbeat), 3 columns. */
void q_read_caren_portal(struct stmt *st, int c, struct caren_portal_row *p);

#endif
