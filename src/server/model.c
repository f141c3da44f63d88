/* Row-to-JSON for every object of the staff API. */
#include "model.h"

#include "common/jsonx.h"
#include "store/store.h"
#include "store/legacy.h"

#include <stdio.h>

/* Add column i as an integer, or null when the column is NULL. */
static void add_int_or_null(cJSON *o, const char *key, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		cJSON_AddNullToObject(o, key);
	else
		jx_add_int(o, key, sqlite3_column_int64(st, i));
}

/* Add column i (Unix seconds) as an RFC 3339 UTC time, or null when the column is NULL. */
static void add_time_or_null(cJSON *o, const char *key, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	char t[32];
	jx_time(sqlite3_column_int64(st, i), t);
	cJSON_AddStringToObject(o, key, t);
}

/* Add column i as an integer written as a decimal string (the supplier API's object ids). */
static void add_id_string(cJSON *o, const char *key, sqlite3_stmt *st, int i)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(st, i));
	cJSON_AddStringToObject(o, key, id);
}

cJSON *model_location(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	add_int_or_null(o, "parent_id", st, col + 1);
	jx_add_str(o, "name", db_col_text(st, col + 2));
	jx_add_str(o, "kind", db_col_text(st, col + 3));
	return o;
}

cJSON *model_team(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_int(o, "location_id", sqlite3_column_int64(st, col + 1));
	jx_add_str(o, "name", db_col_text(st, col + 2));
	jx_add_str(o, "email", db_col_text(st, col + 3));
	jx_add_str(o, "phone", db_col_text(st, col + 4));
	return o;
}

cJSON *model_client_summary(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_str(o, "client_number", db_col_text(st, col + 1));
	jx_add_str(o, "name", db_col_text(st, col + 2));
	jx_add_str(o, "birth_date", db_col_text(st, col + 3));
	jx_add_int(o, "location_id", sqlite3_column_int64(st, col + 4));
	return o;
}

cJSON *model_address(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_str(o, "street", db_col_text(st, col + 1));
	jx_add_int(o, "house_number", sqlite3_column_int64(st, col + 2));
	jx_add_str(o, "house_number_ext", db_col_text(st, col + 3));
	jx_add_str(o, "postcode", db_col_text(st, col + 4));
	jx_add_str(o, "city", db_col_text(st, col + 5));
	cJSON_AddBoolToObject(o, "active", sqlite3_column_int(st, col + 6) != 0);
	return o;
}

cJSON *model_contact(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_str(o, "kind", db_col_text(st, col + 1));
	jx_add_str(o, "value", db_col_text(st, col + 2));
	cJSON_AddBoolToObject(o, "confirmed", sqlite3_column_int(st, col + 3) != 0);
	return o;
}

cJSON *model_staff(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_str(o, "username", db_col_text(st, col + 1));
	jx_add_str(o, "name", db_col_text(st, col + 2));
	jx_add_str(o, "registration_number", db_col_text(st, col + 3));
	jx_add_str(o, "email", db_col_text(st, col + 4));
	add_int_or_null(o, "team_id", st, col + 5);
	cJSON_AddBoolToObject(o, "active", sqlite3_column_int(st, col + 6) != 0);
	return o;
}

cJSON *model_device_type(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_str(o, "name", db_col_text(st, col + 1));
	jx_add_str(o, "product_code", db_col_text(st, col + 2));
	if (sqlite3_column_type(st, col + 3) == SQLITE_NULL) {
		cJSON_AddNullToObject(o, "supplier");
	} else {
		cJSON *s = cJSON_AddObjectToObject(o, "supplier");
		jx_add_int(s, "id", sqlite3_column_int64(st, col + 3));
		jx_add_str(s, "name", db_col_text(st, col + 4));
		jx_add_str(s, "connector", db_col_text(st, col + 5));
	}
	cJSON_AddBoolToObject(o, "in_use", sqlite3_column_int(st, col + 6) != 0);
	cJSON_AddBoolToObject(o, "ordering", sqlite3_column_int(st, col + 7) != 0);
	return o;
}

cJSON *model_order(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_str(o, "uuid", db_col_text(st, col + 1));
	jx_add_int(o, "client_id", sqlite3_column_int64(st, col + 2));
	jx_add_int(o, "device_type_id", sqlite3_column_int64(st, col + 3));
	jx_add_str(o, "device_type_name", db_col_text(st, col + 4));
	jx_add_str(o, "supplier_name", db_col_text(st, col + 5));
	jx_add_str(o, "status", db_col_text(st, col + 6));
	add_time_or_null(o, "created_at", st, col + 7);
	add_time_or_null(o, "updated_at", st, col + 8);
	add_time_or_null(o, "fetched_at", st, col + 9);
	add_time_or_null(o, "accepted_at", st, col + 10);
	add_time_or_null(o, "declined_at", st, col + 11);
	add_time_or_null(o, "completed_at", st, col + 12);
	cJSON *d = cJSON_AddObjectToObject(o, "delivery");
	jx_add_str(d, "type", db_col_text(st, col + 13));
	add_int_or_null(d, "address_id", st, col + 14);
	jx_add_str(d, "street", db_col_text(st, col + 15));
	jx_add_int(d, "house_number", sqlite3_column_int64(st, col + 16));
	jx_add_str(d, "house_number_ext", db_col_text(st, col + 17));
	jx_add_str(d, "postcode", db_col_text(st, col + 18));
	jx_add_str(d, "city", db_col_text(st, col + 19));
	cJSON *r = cJSON_AddObjectToObject(o, "orderer");
	jx_add_int(r, "staff_id", sqlite3_column_int64(st, col + 20));
	jx_add_str(r, "name", db_col_text(st, col + 21));
	jx_add_int(r, "team_id", sqlite3_column_int64(st, col + 22));
	jx_add_str(r, "team_name", db_col_text(st, col + 23));
	jx_add_str(r, "email", db_col_text(st, col + 24));
	jx_add_str(r, "phone", db_col_text(st, col + 25));
	jx_add_str(o, "order_number", db_col_text(st, col + 26));
	jx_add_str(o, "supplier_note", db_col_text(st, col + 27));
	jx_add_str(o, "tracking_url", db_col_text(st, col + 28));
	jx_add_str(o, "device_identification_number", db_col_text(st, col + 29));
	add_int_or_null(o, "registration_id", st, col + 30);
	return o;
}

cJSON *model_registration(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_int(o, "client_id", sqlite3_column_int64(st, col + 1));
	jx_add_int(o, "device_type_id", sqlite3_column_int64(st, col + 2));
	jx_add_str(o, "device_type_name", db_col_text(st, col + 3));
	jx_add_str(o, "serial", db_col_text(st, col + 4));
	jx_add_str(o, "start_date", db_col_text(st, col + 5));
	jx_add_str(o, "end_date", db_col_text(st, col + 6));
	add_int_or_null(o, "order_id", st, col + 7);
	return o;
}

cJSON *model_supplier_order(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", sqlite3_column_int64(st, col));
	jx_add_str(o, "uuid", db_col_text(st, col + 1));
	add_time_or_null(o, "createdAt", st, col + 2);
	add_time_or_null(o, "updatedAt", st, col + 3);
	jx_add_str(o, "productId", db_col_text(st, col + 4));
	cJSON_AddBoolToObject(o, "removed", sqlite3_column_int(st, col + 5) != 0);
	jx_add_str(o, "clientName", db_col_text(st, col + 6));
	add_id_string(o, "clientObjectId", st, col + 7);
	cJSON *a = cJSON_AddObjectToObject(o, "deliveryAddress");
	jx_add_str(a, "street", db_col_text(st, col + 8));
	jx_add_int(a, "homeNumber", sqlite3_column_int64(st, col + 9));
	jx_add_str(a, "homeNumberExtension", db_col_text(st, col + 10));
	jx_add_str(a, "zipcode", db_col_text(st, col + 11));
	jx_add_str(a, "city", db_col_text(st, col + 12));
	cJSON_AddStringToObject(a, "country", "NL");
	jx_add_str(a, "type", db_col_text(st, col + 13));
	cJSON *r = cJSON_AddObjectToObject(o, "requester");
	jx_add_str(r, "name", db_col_text(st, col + 14));
	jx_add_str(r, "emailAddress", db_col_text(st, col + 15));
	jx_add_str(r, "phoneNumber", db_col_text(st, col + 16));
	jx_add_str(r, "teamName", db_col_text(st, col + 17));
	add_id_string(r, "teamObjectId", st, col + 18);
	add_id_string(r, "employeeObjectId", st, col + 19);
	jx_add_str(o, "status", db_col_text(st, col + 20));
	add_time_or_null(o, "acceptedAt", st, col + 21);
	add_time_or_null(o, "declinedAt", st, col + 22);
	add_time_or_null(o, "completedAt", st, col + 23);
	jx_add_str(o, "deviceIdentificationNumber", db_col_text(st, col + 24));
	jx_add_str(o, "orderNumber", db_col_text(st, col + 25));
	jx_add_str(o, "supplierNote", db_col_text(st, col + 26));
	jx_add_str(o, "trackingUrl", db_col_text(st, col + 27));
	return o;
}

cJSON *model_supplier_client(sqlite3_stmt *st, int col)
{
	cJSON *o = cJSON_CreateObject();
	add_id_string(o, "clientObjectId", st, col);
	jx_add_str(o, "name", db_col_text(st, col + 1));
	jx_add_str(o, "birthDate", db_col_text(st, col + 2));
	return o;
}
