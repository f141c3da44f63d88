/* The route table: every endpoint of zorgd with its method, path shape and caller kind. */
#ifndef ZT_SERVER_ROUTES_H
#define ZT_SERVER_ROUTES_H

#include "common/tasks.h"
#include "http.h"

/* ROUTE_PORTAL: the Caren portal's client certificate (connector "caren"), which
 * ROUTE_SUPPLIER refuses; the two certificate kinds never reach each other's routes. */
enum route_auth { ROUTE_PUBLIC, ROUTE_STAFF, ROUTE_SUPPLIER, ROUTE_PORTAL };

/* No task needed beyond the route's caller kind. */
#define ROUTE_NO_TASK TASK__COUNT

/* One endpoint; "{}" in a pattern matches one path segment. A staff route's task is
 * checked (403) before its handler runs; scope stays with the handler (authz_check). */
struct route {
	const char *method;
	const char *pattern;
	enum route_auth auth;
	enum task_id task;
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
void h_visible(struct req *r);
void h_device_types_list(struct req *r);
void h_device_type_update(struct req *r);
void h_client_hct(struct req *r);
void h_hct_order_create(struct req *r);
void h_hct_order_get(struct req *r);
void h_hct_order_delete(struct req *r);
void h_hct_order_start_use(struct req *r);
void h_hct_registration_create(struct req *r);
void h_hct_registration_get(struct req *r);
void h_hct_registration_update(struct req *r);
void h_supplier_ping(struct req *r);
void h_supplier_orders(struct req *r);
void h_supplier_order_get(struct req *r);
void h_supplier_order_status(struct req *r);
void h_supplier_client_get(struct req *r);
void h_caren_summary(struct req *r);
void h_client_caren(struct req *r);
void h_caren_invitation_create(struct req *r);
void h_caren_letter(struct req *r);
void h_caren_revoke(struct req *r);
void h_caren_unlink(struct req *r);
void h_settings_get(struct req *r);
void h_settings_update(struct req *r);
void h_portal_activation(struct req *r);
void h_portal_heartbeat(struct req *r);
void h_portal_link_end(struct req *r);

/* Location messages (h_messages.c). */
void h_messages_list(struct req *r);
void h_message_get(struct req *r);
void h_message_recipients(struct req *r);
void h_message_send(struct req *r);
void h_message_audience(struct req *r);
void h_portal_messages(struct req *r);
void h_portal_message_delivered(struct req *r);

#endif
