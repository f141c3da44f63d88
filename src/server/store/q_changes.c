/* Feed pages and visible ids per object type. Every page query reads (id, rev, deleted)
 * and then the type's columns; $1 is the scope's staff member, $2 since, $3 the limit, $4
 * the newest revision wanted (rev <= $4). */
#include "q_changes.h"

#include "q_rows.h"
#include "scope.h"

/* How a type's row is read from column 3 on. */
typedef void (*row_reader)(struct stmt *st, void *row);

static void read_location(struct stmt *st, void *row) { q_read_location(st, 3, row); }
static void read_team(struct stmt *st, void *row) { q_read_team(st, 3, row); }
static void read_client(struct stmt *st, void *row) { q_read_client(st, 3, row); }
static void read_device_type(struct stmt *st, void *row) { q_read_device_type(st, 3, row); }
static void read_order(struct stmt *st, void *row) { q_read_order(st, 3, row); }
static void read_registration(struct stmt *st, void *row) { q_read_registration(st, 3, row); }
static void read_caren_state(struct stmt *st, void *row) { q_read_caren_state(st, 3, row); }
static void read_caren_portal(struct stmt *st, void *row) { q_read_caren_portal(st, 3, row); }

/* Run page query sql and hand every row to fn; row is room for the type's struct. */
static int page(struct db *db, const char *sql, int64_t scope_staff,
				const struct feed_range *fr, row_reader read, void *row, q_change_fn fn, void *ctx)
{
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	stmt_int(st, 2, fr->since);
	stmt_int(st, 3, fr->limit);
	stmt_int(st, 4, fr->upto);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		struct change_meta m = {
			.id = stmt_col_int(st, 0),
			.rev = stmt_col_int(st, 1),
			.deleted = stmt_col_int(st, 2) != 0,
		};
		if (!m.deleted && fr->take_cached && fr->take_cached(&m, ctx))
			continue;
		if (!m.deleted)
			read(st, row);
		fn(&m, m.deleted ? NULL : row, ctx);
	}
	return stmt_finish(st, rc, false, 0);
}

/* Unscoped types still take $1 (ignored) so that every page query binds the same way. */
#define UNSCOPED "CAST($1 AS BIGINT) = CAST($1 AS BIGINT) AND "

int q_feed_locations(struct db *db, int64_t scope_staff, const struct feed_range *fr,
					 q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT l.id, l.rev, l.deleted, " LOCATION_COLS
							  " FROM locations l WHERE " UNSCOPED "l.rev > $2 AND l.rev <= $4"
							  " ORDER BY l.rev LIMIT $3";
	struct location_row row;
	return page(db, sql, scope_staff, fr, read_location, &row, fn, ctx);
}

int q_feed_teams(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				 q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT t.id, t.rev, t.deleted, " TEAM_COLS
							  " FROM teams t WHERE " UNSCOPED "t.rev > $2 AND t.rev <= $4"
							  " ORDER BY t.rev LIMIT $3";
	struct team_row row;
	return page(db, sql, scope_staff, fr, read_team, &row, fn, ctx);
}

int q_feed_clients(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				   q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT c.id, c.rev, c.deleted, " CLIENT_COLS " FROM clients c"
							  " WHERE c.rev > $2 AND c.rev <= $4 AND " SCOPE_IN("c.location_id", "$1")
							  " ORDER BY c.rev LIMIT $3";
	struct client_row row;
	return page(db, sql, scope_staff, fr, read_client, &row, fn, ctx);
}

int q_feed_device_types(struct db *db, int64_t scope_staff, const struct feed_range *fr,
						q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT d.id, d.rev, d.deleted, " DEVICE_TYPE_COLS
							  " FROM " DEVICE_TYPE_FROM " WHERE " UNSCOPED "d.rev > $2 AND d.rev <= $4"
							  " ORDER BY d.rev LIMIT $3";
	struct device_type_row row;
	return page(db, sql, scope_staff, fr, read_device_type, &row, fn, ctx);
}

int q_feed_orders(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				  q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT o.id, o.rev, o.deleted, " ORDER_COLS " FROM " ORDER_FROM
							  " JOIN clients c ON c.id = o.client_id"
							  " WHERE o.rev > $2 AND o.rev <= $4 AND " SCOPE_IN("c.location_id", "$1")
							  " ORDER BY o.rev LIMIT $3";
	struct order_row row;
	return page(db, sql, scope_staff, fr, read_order, &row, fn, ctx);
}

int q_feed_registrations(struct db *db, int64_t scope_staff, const struct feed_range *fr,
						 q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT rg.id, rg.rev, rg.deleted, " REGISTRATION_COLS
							  " FROM " REGISTRATION_FROM " JOIN clients c ON c.id = rg.client_id"
							  " WHERE rg.rev > $2 AND rg.rev <= $4 AND " SCOPE_IN("c.location_id", "$1")
							  " ORDER BY rg.rev LIMIT $3";
	struct registration_row row;
	return page(db, sql, scope_staff, fr, read_registration, &row, fn, ctx);
}

int q_feed_caren(struct db *db, int64_t scope_staff, const struct feed_range *fr,
				 q_change_fn fn, void *ctx)
{
	static const char sql[] = "SELECT s.client_id, s.rev, s.deleted, s.client_id, s.link_active,"
							  " s.valid_until FROM caren_state s JOIN clients c ON c.id = s.client_id"
							  " WHERE s.rev > $2 AND s.rev <= $4 AND " SCOPE_IN("c.location_id", "$1")
							  " ORDER BY s.rev LIMIT $3";
	struct caren_state_row row;
	return page(db, sql, scope_staff, fr, read_caren_state, &row, fn, ctx);
}

int q_feed_caren_portal(struct db *db, int64_t scope_staff, const struct feed_range *fr,
						q_change_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT 1, CASE WHEN s.rev > p.rev THEN s.rev ELSE p.rev END, 0, s.caren_enabled,"
		" p.reachable, p.last_heartbeat FROM settings s, caren_portal p"
		" WHERE " UNSCOPED "s.id = 1 AND p.id = 1 AND (s.rev > $2 OR p.rev > $2)"
		" AND s.rev <= $4 AND p.rev <= $4 LIMIT $3";
	struct caren_portal_row row;
	return page(db, sql, scope_staff, fr, read_caren_portal, &row, fn, ctx);
}

/* Run a visible-ids query sql ($1 the scope's staff member) through fn. */
static int ids(struct db *db, const char *sql, int64_t scope_staff, q_id_fn fn, void *ctx)
{
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW)
		fn(stmt_col_int(st, 0), ctx);
	return stmt_finish(st, rc, false, 0);
}

int q_visible_clients(struct db *db, int64_t scope_staff, q_id_fn fn, void *ctx)
{
	static const char sql[] = "SELECT c.id FROM clients c WHERE c.deleted = 0 AND "
							  SCOPE_HAS("c.location_id", "$1") " ORDER BY c.id";
	return ids(db, sql, scope_staff, fn, ctx);
}

int q_visible_orders(struct db *db, int64_t scope_staff, q_id_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT o.id FROM hct_orders o JOIN clients c ON c.id = o.client_id"
		" WHERE o.deleted = 0 AND c.deleted = 0 AND " SCOPE_HAS("c.location_id", "$1")
		" ORDER BY o.id";
	return ids(db, sql, scope_staff, fn, ctx);
}

int q_visible_registrations(struct db *db, int64_t scope_staff, q_id_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT rg.id FROM hct_registrations rg JOIN clients c ON c.id = rg.client_id"
		" WHERE rg.deleted = 0 AND c.deleted = 0 AND " SCOPE_HAS("c.location_id", "$1")
		" ORDER BY rg.id";
	return ids(db, sql, scope_staff, fn, ctx);
}
