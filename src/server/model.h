/* The staff API's wire shapes: the column lists each object is read with and the
 * functions that turn such a row into JSON. Field names live only here. */
#ifndef ZT_SERVER_MODEL_H
#define ZT_SERVER_MODEL_H

#include <cjson/cJSON.h>
#include <sqlite3.h>

/* Columns for model_location, read from alias l. */
#define MODEL_LOCATION_COLS "l.id, l.parent_id, l.name, l.kind"
/* A location from 4 columns starting at col. Caller owns. */
cJSON *model_location(sqlite3_stmt *st, int col);

/* Columns for model_team, read from alias t. */
#define MODEL_TEAM_COLS "t.id, t.location_id, t.name, t.email, t.phone"
/* A team from 5 columns starting at col. Caller owns. */
cJSON *model_team(sqlite3_stmt *st, int col);

/* Columns for model_client_summary (what a list needs; never the BSN), alias c. */
#define MODEL_CLIENT_COLS "c.id, c.client_number, c.name, c.birth_date, c.location_id"
/* A client summary from 5 columns starting at col. Caller owns. */
cJSON *model_client_summary(sqlite3_stmt *st, int col);

/* Columns for model_address, alias a. */
#define MODEL_ADDRESS_COLS \
	"a.id, a.street, a.house_number, a.house_number_ext, a.postcode, a.city, a.active"
/* An address from 7 columns starting at col. Caller owns. */
cJSON *model_address(sqlite3_stmt *st, int col);

/* Columns for model_contact, alias m. */
#define MODEL_CONTACT_COLS "m.id, m.kind, m.value, m.confirmed"
/* A contact method from 4 columns starting at col. Caller owns. */
cJSON *model_contact(sqlite3_stmt *st, int col);

/* Columns for model_staff, alias s. */
#define MODEL_STAFF_COLS "s.id, s.username, s.name, s.registration_number, s.email, s.team_id, s.active"
/* A staff member from 7 columns starting at col (roles and scope are added by the caller).
 * Caller owns. */
cJSON *model_staff(sqlite3_stmt *st, int col);

/* Columns for model_device_type, read from MODEL_DEVICE_TYPE_FROM (aliases d, sp). */
#define MODEL_DEVICE_TYPE_COLS \
	"d.id, d.name, d.product_code, d.supplier_id, sp.name, sp.connector, d.in_use, d.ordering"
#define MODEL_DEVICE_TYPE_FROM "device_types d LEFT JOIN suppliers sp ON sp.id = d.supplier_id"
/* A device type of the catalogue with the organisation's settings, from 8 columns starting
 * at col. Caller owns. */
cJSON *model_device_type(sqlite3_stmt *st, int col);

/* Columns for model_order (the staff view of an order), read from MODEL_ORDER_FROM
 * (aliases o, d, sp; the registration that completed it is looked up by its order_id). */
#define MODEL_ORDER_COLS                                                                    \
	"o.id, o.uuid, o.client_id, o.device_type_id, d.name, sp.name, o.status, o.created_at,"  \
	" o.updated_at, o.fetched_at, o.accepted_at, o.declined_at, o.completed_at,"            \
	" o.delivery_type, o.address_id, o.street, o.house_number, o.house_number_ext,"         \
	" o.postcode, o.city, o.orderer_staff_id, o.orderer_name, o.team_id, o.team_name,"      \
	" o.orderer_email, o.orderer_phone, o.order_number, o.supplier_note, o.tracking_url,"   \
	" o.device_identification_number,"                                                      \
	" (SELECT rx.id FROM hct_registrations rx WHERE rx.order_id = o.id AND rx.deleted = 0)"
#define MODEL_ORDER_FROM                                                                    \
	"hct_orders o JOIN device_types d ON d.id = o.device_type_id"                           \
	" LEFT JOIN suppliers sp ON sp.id = o.supplier_id"
/* An order as staff see it, from 31 columns starting at col. Caller owns. */
cJSON *model_order(sqlite3_stmt *st, int col);

/* Columns for model_registration, read from MODEL_REGISTRATION_FROM (aliases rg, d). */
#define MODEL_REGISTRATION_COLS \
	"rg.id, rg.client_id, rg.device_type_id, d.name, rg.serial, rg.start_date, rg.end_date," \
	" rg.order_id"
#define MODEL_REGISTRATION_FROM \
	"hct_registrations rg JOIN device_types d ON d.id = rg.device_type_id"
/* A registration of a device with a client, from 8 columns starting at col. Caller owns. */
cJSON *model_registration(sqlite3_stmt *st, int col);

/* The supplier API (Ons-shaped, camelCase) is named here too, so that every wire name of
 * zorgd lives in this file. It never carries a BSN or client data other than the name. */

/* Columns for model_supplier_order, read from MODEL_SUPPLIER_ORDER_FROM (aliases o, d, c). */
#define MODEL_SUPPLIER_ORDER_COLS                                                           \
	"o.id, o.uuid, o.created_at, o.updated_at, d.product_code, o.deleted, c.name,"          \
	" o.client_id, o.street, o.house_number, o.house_number_ext, o.postcode, o.city,"       \
	" o.delivery_type, o.orderer_name, o.orderer_email, o.orderer_phone, o.team_name,"      \
	" o.team_id, o.orderer_staff_id, o.status, o.accepted_at, o.declined_at,"               \
	" o.completed_at, o.device_identification_number, o.order_number, o.supplier_note,"    \
	" o.tracking_url"
#define MODEL_SUPPLIER_ORDER_FROM                                                           \
	"hct_orders o JOIN device_types d ON d.id = o.device_type_id"                           \
	" JOIN clients c ON c.id = o.client_id"
/* An order as its supplier sees it, from 28 columns starting at col. Caller owns. */
cJSON *model_supplier_order(sqlite3_stmt *st, int col);

/* Columns for model_supplier_client, alias c. */
#define MODEL_SUPPLIER_CLIENT_COLS "c.id, c.name, c.birth_date"
/* The little a supplier may fetch about a client it has an order for, from 3 columns
 * starting at col. Caller owns. */
cJSON *model_supplier_client(sqlite3_stmt *st, int col);

#endif
