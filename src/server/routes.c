/* zorgd's route table. Keep etc/openapi.yaml in step with it. */
#include "routes.h"

const struct route routes[] = {
	{"GET", "/api/v1/health", ROUTE_PUBLIC, ROUTE_NO_TASK, h_health},
	{"POST", "/api/v1/session", ROUTE_PUBLIC, ROUTE_NO_TASK, h_session_create},
	{"DELETE", "/api/v1/session", ROUTE_STAFF, ROUTE_NO_TASK, h_session_delete},
	{"GET", "/api/v1/me", ROUTE_STAFF, ROUTE_NO_TASK, h_me},
	{"GET", "/api/v1/locations", ROUTE_STAFF, ROUTE_NO_TASK, h_locations_list},
	{"GET", "/api/v1/locations/{}", ROUTE_STAFF, ROUTE_NO_TASK, h_location_get},
	{"GET", "/api/v1/teams", ROUTE_STAFF, ROUTE_NO_TASK, h_teams_list},
	{"GET", "/api/v1/teams/{}", ROUTE_STAFF, ROUTE_NO_TASK, h_team_get},
	{"GET", "/api/v1/staff", ROUTE_STAFF, TASK_STAFF_VIEW, h_staff_list},
	{"GET", "/api/v1/staff/{}", ROUTE_STAFF, TASK_STAFF_VIEW, h_staff_get},
	{"GET", "/api/v1/clients", ROUTE_STAFF, TASK_CLIENT_VIEW, h_clients_list},
	{"GET", "/api/v1/clients/{}", ROUTE_STAFF, TASK_CLIENT_VIEW, h_client_get},
	{"GET", "/api/v1/changes", ROUTE_STAFF, ROUTE_NO_TASK, h_changes},
	{"GET", "/api/v1/visible", ROUTE_STAFF, ROUTE_NO_TASK, h_visible},
	{"GET", "/api/v1/device-types", ROUTE_STAFF, ROUTE_NO_TASK, h_device_types_list},
	{"PATCH", "/api/v1/device-types/{}", ROUTE_STAFF, TASK_HCT_SETTINGS_EDIT, h_device_type_update},
	{"GET", "/api/v1/clients/{}/hct", ROUTE_STAFF, TASK_HCT_CLIENT_VIEW, h_client_hct},
	{"POST", "/api/v1/clients/{}/hct-orders", ROUTE_STAFF, TASK_HCT_ORDER_MANAGE, h_hct_order_create},
	{"POST", "/api/v1/clients/{}/hct-registrations", ROUTE_STAFF, TASK_HCT_CLIENT_EDIT, h_hct_registration_create},
	{"GET", "/api/v1/hct-orders/{}", ROUTE_STAFF, TASK_HCT_ORDER_VIEW, h_hct_order_get},
	{"DELETE", "/api/v1/hct-orders/{}", ROUTE_STAFF, TASK_HCT_ORDER_DELETE, h_hct_order_delete},
	{"POST", "/api/v1/hct-orders/{}/start-use", ROUTE_STAFF, TASK_HCT_CLIENT_EDIT, h_hct_order_start_use},
	{"GET", "/api/v1/hct-registrations/{}", ROUTE_STAFF, TASK_HCT_CLIENT_VIEW, h_hct_registration_get},
	{"PATCH", "/api/v1/hct-registrations/{}", ROUTE_STAFF, TASK_HCT_CLIENT_EDIT, h_hct_registration_update},
	{"GET", "/ping", ROUTE_SUPPLIER, ROUTE_NO_TASK, h_supplier_ping},
	{"GET", "/v0/caretech/server/orders", ROUTE_SUPPLIER, ROUTE_NO_TASK, h_supplier_orders},
	{"GET", "/v0/caretech/server/orders/{}", ROUTE_SUPPLIER, ROUTE_NO_TASK, h_supplier_order_get},
	{"PATCH", "/v0/caretech/server/orders/{}/status", ROUTE_SUPPLIER, ROUTE_NO_TASK, h_supplier_order_status},
	{"GET", "/v0/caretech/server/clients/{}", ROUTE_SUPPLIER, ROUTE_NO_TASK, h_supplier_client_get},
};

const size_t route_count = sizeof routes / sizeof routes[0];
