/* The organisation in the store: locations, teams, staff (with roles and scope), the
 * caller's own record and the scope check of authorization. Rows are borrowed by the
 * visitor for the duration of the call; copy what you keep. Functions return
 * STORE_OK, STORE_NOT_FOUND (a get without a row) or STORE_ERROR. */
#ifndef ZT_SERVER_STORE_Q_ORG_H
#define ZT_SERVER_STORE_Q_ORG_H

#include "store.h"

#include <stdbool.h>
#include <stdint.h>

struct location_row {
	int64_t id;
	int64_t parent_id; /* 0: none (the organisation) */
	const char *name;
	const char *kind; /* organisation, region, team */
	bool in_scope;    /* within the scope of the staff member asked about */
};

struct team_row {
	int64_t id;
	int64_t location_id;
	const char *name;
	const char *email; /* may be NULL */
	const char *phone; /* may be NULL */
};

struct staff_row {
	int64_t id;
	const char *username;
	const char *name;
	const char *registration_number;
	const char *email; /* may be NULL */
	int64_t team_id;   /* 0: none */
	bool active;
};

/* The caller's own record for GET /me. */
struct me_row {
	struct staff_row staff;
	const char *team_name; /* NULL when there is no team */
	const char *organisation;
};

typedef void (*q_location_fn)(const struct location_row *l, void *ctx);
typedef void (*q_team_fn)(const struct team_row *t, void *ctx);
typedef void (*q_staff_fn)(const struct staff_row *s, void *ctx);
typedef void (*q_text_fn)(const char *s, void *ctx);
typedef void (*q_id_fn)(int64_t id, void *ctx);

/* Every location (not deleted) by id, with in_scope for staff member scope_staff. */
int q_locations_list(struct db *db, int64_t scope_staff, q_location_fn fn, void *ctx);
/* Location id, with in_scope for scope_staff. */
int q_location_get(struct db *db, int64_t id, int64_t scope_staff, q_location_fn fn, void *ctx);
/* Every team (not deleted) by name. */
int q_teams_list(struct db *db, q_team_fn fn, void *ctx);
/* Team id (not deleted). */
int q_team_get(struct db *db, int64_t id, q_team_fn fn, void *ctx);
/* The name (caller frees) and location of team id (not deleted); STORE_NOT_FOUND without. */
int q_team_name(struct db *db, int64_t id, char **name, int64_t *location);
/* Every staff member (not deleted) by name. */
int q_staff_list(struct db *db, q_staff_fn fn, void *ctx);
/* Staff member id (not deleted). */
int q_staff_get(struct db *db, int64_t id, q_staff_fn fn, void *ctx);
/* The role codes of staff member id, in role order. */
int q_staff_roles(struct db *db, int64_t id, q_text_fn fn, void *ctx);
/* The scope locations of staff member id, by id. */
int q_staff_scope(struct db *db, int64_t id, q_id_fn fn, void *ctx);
/* Staff member id with team and organisation names, for GET /me. */
int q_me(struct db *db, int64_t id, void (*fn)(const struct me_row *m, void *ctx), void *ctx);
/* True when location_id is within the scope of staff member staff_id (false on error). */
bool q_scope_has(struct db *db, int64_t staff_id, int64_t location_id);

#endif
