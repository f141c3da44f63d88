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

#endif
