/* The route table: every endpoint of zorgd with its method, path shape and caller kind. */
#ifndef ZT_SERVER_ROUTES_H
#define ZT_SERVER_ROUTES_H

#include "http.h"

enum route_auth { ROUTE_PUBLIC, ROUTE_STAFF, ROUTE_SUPPLIER };

/* One endpoint; "{}" in a pattern matches one path segment. */
struct route {
	const char *method;
	const char *pattern;
	enum route_auth auth;
	http_handler handler;
};

extern const struct route routes[];
extern const size_t route_count;

/* Handlers, one file per resource. */
void h_health(struct req *r);
void h_session_create(struct req *r);
void h_session_delete(struct req *r);
void h_me(struct req *r);
void h_locations_list(struct req *r);
void h_location_get(struct req *r);
void h_teams_list(struct req *r);
void h_team_get(struct req *r);
void h_staff_list(struct req *r);
void h_staff_get(struct req *r);
void h_clients_list(struct req *r);
void h_client_get(struct req *r);
void h_changes(struct req *r);
void h_supplier_ping(struct req *r);

#endif
