/* Row-to-JSON for every object of the staff and supplier APIs. */
#include "model.h"

#include "common/jsonx.h"

#include <stdio.h>
#include <string.h>

/* The visitors of MODEL_DECLARE for type name. */
#define MODEL_VISITORS(name, row_type)                            \
	void model_##name##_add(const row_type *row, void *array)     \
	{                                                             \
		cJSON_AddItemToArray(array, model_##name(row));           \
	}                                                             \
	void model_##name##_set(const row_type *row, void *slot)      \
	{                                                             \
		cJSON **out = slot;                                       \
		cJSON_Delete(*out);                                       \
		*out = model_##name(row);                                 \
	}

/* Add v as an integer, or null when it is 0 (no id / not yet). */
static void add_int_or_null(cJSON *o, const char *key, int64_t v)
{
	if (v == 0)
		cJSON_AddNullToObject(o, key);
	else
		jx_add_int(o, key, v);
}

/* Add Unix time t as an RFC 3339 UTC time, or null when it is 0 (not yet). */
static void add_time_or_null(cJSON *o, const char *key, int64_t t)
{
	if (t == 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	char s[32];
	jx_time(t, s);
	cJSON_AddStringToObject(o, key, s);
}

/* Add v as a decimal string (the supplier API's object ids). */
static void add_id_string(cJSON *o, const char *key, int64_t v)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)v);
	cJSON_AddStringToObject(o, key, id);
}

cJSON *model_location(const struct location_row *l)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", l->id);
	add_int_or_null(o, "parent_id", l->parent_id);
	jx_add_str(o, "name", l->name);
	jx_add_str(o, "kind", l->kind);
	return o;
}
MODEL_VISITORS(location, struct location_row)

cJSON *model_team(const struct team_row *t)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", t->id);
	jx_add_int(o, "location_id", t->location_id);
	jx_add_str(o, "name", t->name);
	jx_add_str(o, "email", t->email);
	jx_add_str(o, "phone", t->phone);
	return o;
}
MODEL_VISITORS(team, struct team_row)

cJSON *model_client_summary(const struct client_row *c)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", c->id);
	jx_add_str(o, "client_number", c->client_number);
	jx_add_str(o, "name", c->name);
	jx_add_str(o, "birth_date", c->birth_date);
	jx_add_int(o, "location_id", c->location_id);
	return o;
}
MODEL_VISITORS(client_summary, struct client_row)

cJSON *model_address(const struct address_row *a)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", a->id);
	jx_add_str(o, "street", a->street);
	jx_add_int(o, "house_number", a->house_number);
	jx_add_str(o, "house_number_ext", a->house_number_ext);
	jx_add_str(o, "postcode", a->postcode);
	jx_add_str(o, "city", a->city);
	cJSON_AddBoolToObject(o, "active", a->active);
	return o;
}
MODEL_VISITORS(address, struct address_row)

cJSON *model_contact(const struct contact_row *m)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", m->id);
	jx_add_str(o, "kind", m->kind);
	jx_add_str(o, "value", m->value);
	cJSON_AddBoolToObject(o, "confirmed", m->confirmed);
	return o;
}
MODEL_VISITORS(contact, struct contact_row)

cJSON *model_staff(const struct staff_row *s)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", s->id);
	jx_add_str(o, "username", s->username);
	jx_add_str(o, "name", s->name);
	jx_add_str(o, "registration_number", s->registration_number);
	jx_add_str(o, "email", s->email);
	add_int_or_null(o, "team_id", s->team_id);
	cJSON_AddBoolToObject(o, "active", s->active);
	return o;
}
MODEL_VISITORS(staff, struct staff_row)

cJSON *model_device_type(const struct device_type_row *d)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", d->id);
	jx_add_str(o, "name", d->name);
	jx_add_str(o, "product_code", d->product_code);
	if (d->supplier_id == 0) {
		cJSON_AddNullToObject(o, "supplier");
	} else {
		cJSON *s = cJSON_AddObjectToObject(o, "supplier");
		jx_add_int(s, "id", d->supplier_id);
		jx_add_str(s, "name", d->supplier_name);
		jx_add_str(s, "connector", d->supplier_connector);
	}
	cJSON_AddBoolToObject(o, "in_use", d->in_use);
	cJSON_AddBoolToObject(o, "ordering", d->ordering);
	return o;
}
MODEL_VISITORS(device_type, struct device_type_row)

/* The delivery member of an order. */
static void add_delivery(cJSON *o, const struct order_row *r)
{
	cJSON *d = cJSON_AddObjectToObject(o, "delivery");
	jx_add_str(d, "type", r->delivery_type);
	add_int_or_null(d, "address_id", r->address_id);
	jx_add_str(d, "street", r->street);
	jx_add_int(d, "house_number", r->house_number);
	jx_add_str(d, "house_number_ext", r->house_number_ext);
	jx_add_str(d, "postcode", r->postcode);
	jx_add_str(d, "city", r->city);
}

cJSON *model_order(const struct order_row *r)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", r->id);
	jx_add_str(o, "uuid", r->uuid);
	jx_add_int(o, "client_id", r->client_id);
	jx_add_int(o, "device_type_id", r->device_type_id);
	jx_add_str(o, "device_type_name", r->device_type_name);
	jx_add_str(o, "supplier_name", r->supplier_name);
	jx_add_str(o, "status", r->status);
	add_time_or_null(o, "created_at", r->created_at);
	add_time_or_null(o, "updated_at", r->updated_at);
	add_time_or_null(o, "fetched_at", r->fetched_at);
	add_time_or_null(o, "accepted_at", r->accepted_at);
	add_time_or_null(o, "declined_at", r->declined_at);
	add_time_or_null(o, "completed_at", r->completed_at);
	add_delivery(o, r);
	cJSON *w = cJSON_AddObjectToObject(o, "orderer");
	jx_add_int(w, "staff_id", r->orderer_staff_id);
	jx_add_str(w, "name", r->orderer_name);
	jx_add_int(w, "team_id", r->team_id);
	jx_add_str(w, "team_name", r->team_name);
	jx_add_str(w, "email", r->orderer_email);
	jx_add_str(w, "phone", r->orderer_phone);
	jx_add_str(o, "order_number", r->order_number);
	jx_add_str(o, "supplier_note", r->supplier_note);
	jx_add_str(o, "tracking_url", r->tracking_url);
	jx_add_str(o, "device_identification_number", r->device_identification_number);
	add_int_or_null(o, "registration_id", r->registration_id);
	return o;
}
MODEL_VISITORS(order, struct order_row)

cJSON *model_registration(const struct registration_row *g)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", g->id);
	jx_add_int(o, "client_id", g->client_id);
	jx_add_int(o, "device_type_id", g->device_type_id);
	jx_add_str(o, "device_type_name", g->device_type_name);
	jx_add_str(o, "serial", g->serial);
	jx_add_str(o, "start_date", g->start_date);
	jx_add_str(o, "end_date", g->end_date);
	add_int_or_null(o, "order_id", g->order_id);
	return o;
}
MODEL_VISITORS(registration, struct registration_row)

/* The deliveryAddress and requester members of a supplier's order. */
static void add_supplier_parts(cJSON *o, const struct supplier_order_row *r)
{
	cJSON *a = cJSON_AddObjectToObject(o, "deliveryAddress");
	jx_add_str(a, "street", r->street);
	jx_add_int(a, "homeNumber", r->house_number);
	jx_add_str(a, "homeNumberExtension", r->house_number_ext);
	jx_add_str(a, "zipcode", r->postcode);
	jx_add_str(a, "city", r->city);
	cJSON_AddStringToObject(a, "country", "NL");
	jx_add_str(a, "type", r->delivery_type);
	cJSON *q = cJSON_AddObjectToObject(o, "requester");
	jx_add_str(q, "name", r->orderer_name);
	jx_add_str(q, "emailAddress", r->orderer_email);
	jx_add_str(q, "phoneNumber", r->orderer_phone);
	jx_add_str(q, "teamName", r->team_name);
	add_id_string(q, "teamObjectId", r->team_id);
	add_id_string(q, "employeeObjectId", r->orderer_staff_id);
}

cJSON *model_supplier_order(const struct supplier_order_row *r)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", r->id);
	jx_add_str(o, "uuid", r->uuid);
	add_time_or_null(o, "createdAt", r->created_at);
	add_time_or_null(o, "updatedAt", r->updated_at);
	jx_add_str(o, "productId", r->product_code);
	cJSON_AddBoolToObject(o, "removed", r->removed);
	jx_add_str(o, "clientName", r->client_name);
	add_id_string(o, "clientObjectId", r->client_id);
	add_supplier_parts(o, r);
	jx_add_str(o, "status", r->status);
	add_time_or_null(o, "acceptedAt", r->accepted_at);
	add_time_or_null(o, "declinedAt", r->declined_at);
	add_time_or_null(o, "completedAt", r->completed_at);
	jx_add_str(o, "deviceIdentificationNumber", r->device_identification_number);
	jx_add_str(o, "orderNumber", r->order_number);
	jx_add_str(o, "supplierNote", r->supplier_note);
	jx_add_str(o, "trackingUrl", r->tracking_url);
	return o;
}
MODEL_VISITORS(supplier_order, struct supplier_order_row)

cJSON *model_supplier_client(const struct supplier_client_row *c)
{
	cJSON *o = cJSON_CreateObject();
	add_id_string(o, "clientObjectId", c->id);
	jx_add_str(o, "name", c->name);
	jx_add_str(o, "birthDate", c->birth_date);
	return o;
}
MODEL_VISITORS(supplier_client, struct supplier_client_row)

/* ---- Caren (issue 9): never a code, its hash or the sealed code ---------------------- */

cJSON *model_settings(const struct settings_row *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "caren_enabled", s->caren_enabled);
	cJSON_AddBoolToObject(o, "caren_communication", s->caren_communication);
	jx_add_int(o, "caren_invitation_days", s->caren_invitation_days);
	return o;
}
MODEL_VISITORS(settings, struct settings_row)

cJSON *model_caren_state(const struct caren_state_row *s)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", s->client_id);
	jx_add_int(o, "client_id", s->client_id);
	cJSON_AddBoolToObject(o, "link_active", s->link_active);
	jx_add_str(o, "invitation_valid_until", s->valid_until);
	return o;
}
MODEL_VISITORS(caren_state, struct caren_state_row)

cJSON *model_caren_portal(const struct caren_portal_row *p)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", 1);
	cJSON_AddBoolToObject(o, "enabled", p->enabled);
	cJSON_AddBoolToObject(o, "reachable", p->reachable);
	return o;
}
MODEL_VISITORS(caren_portal, struct caren_portal_row)

cJSON *model_caren_invitation(const struct caren_invitation_row *i)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", i->id);
	add_time_or_null(o, "created_at", i->created_at);
	jx_add_str(o, "created_by", i->created_by);
	jx_add_str(o, "valid_until", i->valid_until);
	jx_add_str(o, "state", i->state);
	add_time_or_null(o, "closed_at", i->closed_at);
	jx_add_str(o, "closed_by", i->closed_by);
	return o;
}
MODEL_VISITORS(caren_invitation, struct caren_invitation_row)

cJSON *model_caren_link(const struct caren_link_row *l)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", l->id);
	add_time_or_null(o, "started_at", l->started_at);
	add_time_or_null(o, "ended_at", l->ended_at);
	jx_add_str(o, "ended_by", l->ended_by);
	jx_add_str(o, "end_reason", l->end_reason);
	return o;
}
MODEL_VISITORS(caren_link, struct caren_link_row)

/* ---- location messages (issue 10) ----------------------------------------------------- */

cJSON *model_message(const struct message_row *m)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", m->id);
	if (m->location_id > 0)
		jx_add_int(o, "location_id", m->location_id);
	else
		cJSON_AddNullToObject(o, "location_id");
	jx_add_str(o, "location_name", m->location_name);
	cJSON *s = cJSON_AddObjectToObject(o, "sender");
	jx_add_int(s, "id", m->sender_staff_id);
	jx_add_str(s, "name", m->sender_name);
	add_time_or_null(o, "sent_at", m->created_at);
	jx_add_int(o, "recipients", m->recipients);
	jx_add_int(o, "clients", m->clients);
	jx_add_int(o, "portal_users", m->portal_users);
	jx_add_int(o, "mails", m->mails);
	jx_add_int(o, "delivered", m->delivered);
	jx_add_int(o, "failed", m->failed);
	jx_add_int(o, "pending", m->recipients - m->delivered - m->failed);
	if (m->text)
		jx_add_str(o, "text", m->text);
	return o;
}
MODEL_VISITORS(message, struct message_row)

cJSON *model_recipient(const struct recipient_row *r)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "id", r->id);
	jx_add_str(o, "kind", r->kind);
	jx_add_int(o, "client_id", r->client_id);
	jx_add_str(o, "client_number", r->client_number);
	jx_add_str(o, "portal_account", r->portal_account);
	jx_add_str(o, "mail", r->mail_state);
	jx_add_int(o, "mail_tries", r->mail_tries);
	jx_add_str(o, "mail_error", r->mail_error);
	add_time_or_null(o, "delivered_at", r->portal_delivered_at);
	return o;
}
MODEL_VISITORS(recipient, struct recipient_row)

/* The portal API's shapes (camelCase, like the rest of the portal API). */
cJSON *model_portal_message(const struct message_row *m)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "messageId", m->id);
	add_time_or_null(o, "sentAt", m->created_at);
	jx_add_str(o, "senderName", m->sender_name);
	jx_add_str(o, "locationName", m->location_name);
	cJSON_AddBoolToObject(o, "allClients", m->location_id == 0);
	jx_add_str(o, "text", m->text);
	cJSON_AddArrayToObject(o, "recipients");
	return o;
}
MODEL_VISITORS(portal_message, struct message_row)

cJSON *model_portal_recipient(const struct recipient_row *r)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "recipientId", r->id);
	jx_add_str(o, "type", strcmp(r->kind, "portal_user") == 0 ? "PORTAL_USER" : "CLIENT");
	jx_add_str(o, "clientNumber", r->client_number);
	jx_add_str(o, "clientObjectId", r->client_object_id);
	jx_add_str(o, "portalAccount", r->portal_account);
	add_time_or_null(o, "deliveredAt", r->portal_delivered_at);
	return o;
}
MODEL_VISITORS(portal_recipient, struct recipient_row)
