/* The supplier API's connectivity check: GET /ping with a client certificate. */
#include "audit.h"
#include "routes.h"

void h_supplier_ping(struct req *r)
{
	audit_log(r, "supplier.ping", NULL, 0, "ok", NULL);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", "ok");
	cJSON_AddStringToObject(o, "connector", r->who.connector);
	http_reply(r, 200, o);
}
