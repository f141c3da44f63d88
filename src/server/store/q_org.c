/* Locations, teams, staff and the scope check. */
#include "q_org.h"

#include "common/alloc.h"
#include "q_rows.h"
#include "scope.h"

#include <stdlib.h>

#define STAFF_COLS "s.id, s.username, s.name, s.registration_number, s.email, s.team_id, s.active"

void q_read_location(struct stmt *st, int c, struct location_row *l)
{
	*l = (struct location_row){
		.id = stmt_col_int(st, c),
		.parent_id = stmt_col_int(st, c + 1),
		.name = stmt_col_text(st, c + 2),
		.kind = stmt_col_text(st, c + 3),
	};
}

void q_read_team(struct stmt *st, int c, struct team_row *t)
{
	*t = (struct team_row){
		.id = stmt_col_int(st, c),
		.location_id = stmt_col_int(st, c + 1),
		.name = stmt_col_text(st, c + 2),
		.email = stmt_col_text(st, c + 3),
		.phone = stmt_col_text(st, c + 4),
	};
}

/* Step st calling fn for every location row (5 columns: LOCATION_COLS, in scope). */
static int each_location(struct stmt *st, bool one, q_location_fn fn, void *ctx)
{
	enum store_step rc;
	int64_t n = 0;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		struct location_row l;
		q_read_location(st, 0, &l);
		l.in_scope = stmt_col_int(st, 4) == 1;
		fn(&l, ctx);
		n++;
	}
	return stmt_finish(st, rc, one, n);
}

int q_locations_list(struct db *db, int64_t scope_staff, q_location_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " LOCATION_COLS ", " SCOPE_HAS("l.id", "$1")
							  " FROM locations l WHERE l.deleted = 0 ORDER BY l.id";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	return each_location(st, false, fn, ctx);
}

int q_location_get(struct db *db, int64_t id, int64_t scope_staff, q_location_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " LOCATION_COLS ", " SCOPE_HAS("l.id", "$1")
							  " FROM locations l WHERE l.deleted = 0 AND l.id = $2";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, scope_staff);
	stmt_int(st, 2, id);
	return each_location(st, true, fn, ctx);
}

/* Step st calling fn for every team row (TEAM_COLS). */
Q_DEFINE_EACH(each_team, struct team_row, q_team_fn, q_read_team)

int q_teams_list(struct db *db, q_team_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " TEAM_COLS " FROM teams t WHERE t.deleted = 0 ORDER BY t.name, t.id";
	struct stmt *st = db_prep(db, sql);
	return st ? each_team(st, false, fn, ctx) : STORE_ERROR;
}

int q_team_get(struct db *db, int64_t id, q_team_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " TEAM_COLS " FROM teams t WHERE t.deleted = 0 AND t.id = $1";
	Q_GET_BY_ID(db, sql, id, each_team, fn, ctx);
}

int q_team_name(struct db *db, int64_t id, char **name, int64_t *location)
{
	static const char sql[] = "SELECT name, location_id FROM teams WHERE deleted = 0 AND id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc = stmt_step(st);
	*name = rc == STORE_STEP_ROW ? xstrdup(stmt_col_text(st, 0)) : NULL;
	*location = rc == STORE_STEP_ROW ? stmt_col_int(st, 1) : 0;
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

/* Fill the staff row of STAFF_COLS at column col. */
static void read_staff(struct stmt *st, int col, struct staff_row *s)
{
	*s = (struct staff_row){
		.id = stmt_col_int(st, col),
		.username = stmt_col_text(st, col + 1),
		.name = stmt_col_text(st, col + 2),
		.registration_number = stmt_col_text(st, col + 3),
		.email = stmt_col_text(st, col + 4),
		.team_id = stmt_col_int(st, col + 5),
		.active = stmt_col_int(st, col + 6) != 0,
	};
}

/* Step st calling fn for every staff row (STAFF_COLS). */
Q_DEFINE_EACH(each_staff, struct staff_row, q_staff_fn, read_staff)

int q_staff_list(struct db *db, q_staff_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " STAFF_COLS " FROM staff s WHERE s.deleted = 0 ORDER BY s.name, s.id";
	struct stmt *st = db_prep(db, sql);
	return st ? each_staff(st, false, fn, ctx) : STORE_ERROR;
}

int q_staff_get(struct db *db, int64_t id, q_staff_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " STAFF_COLS " FROM staff s WHERE s.deleted = 0 AND s.id = $1";
	Q_GET_BY_ID(db, sql, id, each_staff, fn, ctx);
}

int q_staff_roles(struct db *db, int64_t id, q_text_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT r.code FROM staff_roles sr JOIN roles r ON r.id = sr.role_id"
		" WHERE sr.staff_id = $1 ORDER BY r.id";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW)
		fn(stmt_col_text(st, 0), ctx);
	return stmt_finish(st, rc, false, 0);
}

int q_staff_scope(struct db *db, int64_t id, q_id_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT location_id FROM staff_scope WHERE staff_id = $1 ORDER BY location_id";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW)
		fn(stmt_col_int(st, 0), ctx);
	return stmt_finish(st, rc, false, 0);
}

int q_me(struct db *db, int64_t id, void (*fn)(const struct me_row *m, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT " STAFF_COLS ", t.name, (SELECT name FROM organisation WHERE id = 1)"
		" FROM staff s LEFT JOIN teams t ON t.id = s.team_id WHERE s.id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	enum store_step rc = stmt_step(st);
	if (rc == STORE_STEP_ROW) {
		struct me_row m = {
			.team_name = stmt_col_text(st, 7),
			.organisation = stmt_col_text(st, 8),
		};
		read_staff(st, 0, &m.staff);
		fn(&m, ctx);
	}
	return stmt_finish(st, rc, true, rc == STORE_STEP_ROW);
}

bool q_scope_has(struct db *db, int64_t staff_id, int64_t location_id)
{
	static const char sql[] = "SELECT 1 WHERE " SCOPE_HAS("$2", "$1");
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return false;
	stmt_int(st, 1, staff_id);
	stmt_int(st, 2, location_id);
	int64_t v = 0;
	return stmt_one_int(st, 0, &v) && v == 1;
}
