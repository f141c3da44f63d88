/* Row-to-JSON for every object of the staff API. */
#include "model.h"

#include "common/jsonx.h"
#include "store.h"

/* Add column i as an integer, or null when the column is NULL. */
static void add_int_or_null(cJSON *o, const char *key, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		cJSON_AddNullToObject(o, key);
	else
		jx_add_int(o, key, sqlite3_column_int64(st, i));
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
