/* zorgd's route table. Keep etc/openapi.yaml in step with it. */
#include "routes.h"

const struct route routes[] = {
	{"GET", "/api/v1/health", ROUTE_PUBLIC, h_health},
	{"POST", "/api/v1/session", ROUTE_PUBLIC, h_session_create},
	{"DELETE", "/api/v1/session", ROUTE_STAFF, h_session_delete},
	{"GET", "/api/v1/me", ROUTE_STAFF, h_me},
	{"GET", "/api/v1/locations", ROUTE_STAFF, h_locations_list},
	{"GET", "/api/v1/locations/{}", ROUTE_STAFF, h_location_get},
	{"GET", "/api/v1/teams", ROUTE_STAFF, h_teams_list},
	{"GET", "/api/v1/teams/{}", ROUTE_STAFF, h_team_get},
	{"GET", "/api/v1/staff", ROUTE_STAFF, h_staff_list},
	{"GET", "/api/v1/staff/{}", ROUTE_STAFF, h_staff_get},
	{"GET", "/api/v1/clients", ROUTE_STAFF, h_clients_list},
	{"GET", "/api/v1/clients/{}", ROUTE_STAFF, h_client_get},
	{"GET", "/api/v1/changes", ROUTE_STAFF, h_changes},
	{"GET", "/ping", ROUTE_SUPPLIER, h_supplier_ping},
};

const size_t route_count = sizeof routes / sizeof routes[0];
