/* Parsing of staff-API JSON into zorgterm's model; the only place naming wire fields. */
#include "client/model.h"

#include "client/feed.h"

#include "common/alloc.h"
#include "common/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of the string member key, or NULL. */
static char *dup_str(const cJSON *j, const char *key)
{
	return xstrdup(jx_str(j, key));
}

/* Copy an array of strings into a new vector. */
static char **dup_strings(const cJSON *a, size_t *n)
{
	*n = 0;
	size_t cnt = (size_t)cJSON_GetArraySize(a);
	char **v = xcalloc(cnt + 1, sizeof *v);
	const cJSON *it;
	cJSON_ArrayForEach(it, a)
	{
		if (cJSON_IsString(it))
			v[(*n)++] = xstrdup(it->valuestring);
	}
	return v;
}

/* Compare strings for qsort. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool m_me_parse(const cJSON *j, struct m_me *out)
{
	memset(out, 0, sizeof *out);
	int64_t id;
	if (!jx_int(j, "id", &id) || !jx_str(j, "username") || !jx_str(j, "name"))
		return false;
	out->id = id;
	out->username = dup_str(j, "username");
	out->name = dup_str(j, "name");
	out->registration_number = dup_str(j, "registration_number");
	out->organisation = dup_str(j, "organisation");
	const cJSON *team = cJSON_GetObjectItemCaseSensitive(j, "team");
	if (cJSON_IsObject(team)) {
		jx_int(team, "id", &out->team_id);
		out->team_name = dup_str(team, "name");
	}
	out->roles = dup_strings(cJSON_GetObjectItemCaseSensitive(j, "roles"), &out->nroles);
	out->tasks = dup_strings(cJSON_GetObjectItemCaseSensitive(j, "tasks"), &out->ntasks);
	qsort(out->tasks, out->ntasks, sizeof *out->tasks, cmp_str);
	const cJSON *scope = cJSON_GetObjectItemCaseSensitive(j, "scope");
	out->scope = xcalloc((size_t)cJSON_GetArraySize(scope) + 1, sizeof *out->scope);
	const cJSON *it;
	cJSON_ArrayForEach(it, scope)
	{
		if (cJSON_IsNumber(it))
			out->scope[out->nscope++] = (int64_t)it->valuedouble;
	}
	return true;
}

void m_me_free(struct m_me *m)
{
	free(m->username);
	free(m->name);
	free(m->registration_number);
	free(m->organisation);
	free(m->team_name);
	for (size_t i = 0; i < m->nroles; i++)
		free(m->roles[i]);
	free(m->roles);
	for (size_t i = 0; i < m->ntasks; i++)
		free(m->tasks[i]);
	free(m->tasks);
	free(m->scope);
	memset(m, 0, sizeof *m);
}

bool m_me_has_task(const struct m_me *m, const char *code)
{
	const char *key = code;
	return m->tasks && bsearch(&key, m->tasks, m->ntasks, sizeof *m->tasks, cmp_str) != NULL;
}

bool m_client_parse(const cJSON *j, struct m_client *out)
{
	memset(out, 0, sizeof *out);
	if (!jx_int(j, "id", &out->id) || !jx_str(j, "name") || !jx_str(j, "client_number"))
		return false;
	jx_int(j, "location_id", &out->location_id);
	out->client_number = dup_str(j, "client_number");
	out->name = dup_str(j, "name");
	out->birth_date = dup_str(j, "birth_date");
	out->bsn = dup_str(j, "bsn");
	const cJSON *addrs = cJSON_GetObjectItemCaseSensitive(j, "addresses");
	if (cJSON_IsArray(addrs)) {
		out->addresses = xcalloc((size_t)cJSON_GetArraySize(addrs) + 1, sizeof *out->addresses);
		const cJSON *a;
		cJSON_ArrayForEach(a, addrs)
		{
			struct m_address *d = &out->addresses[out->naddresses++];
			jx_int(a, "id", &d->id);
			d->street = dup_str(a, "street");
			jx_int(a, "house_number", &d->house_number);
			d->house_number_ext = dup_str(a, "house_number_ext");
			d->postcode = dup_str(a, "postcode");
			d->city = dup_str(a, "city");
			jx_bool(a, "active", &d->active);
		}
	}
	const cJSON *cms = cJSON_GetObjectItemCaseSensitive(j, "contact_methods");
	if (cJSON_IsArray(cms)) {
		out->contacts = xcalloc((size_t)cJSON_GetArraySize(cms) + 1, sizeof *out->contacts);
		const cJSON *m;
		cJSON_ArrayForEach(m, cms)
		{
			struct m_contact *d = &out->contacts[out->ncontacts++];
			jx_int(m, "id", &d->id);
			d->kind = dup_str(m, "kind");
			d->value = dup_str(m, "value");
			jx_bool(m, "confirmed", &d->confirmed);
		}
	}
	return true;
}

void m_client_free(struct m_client *c)
{
	free(c->client_number);
	free(c->name);
	free(c->birth_date);
	if (c->bsn)
		memset(c->bsn, 0, strlen(c->bsn));
	free(c->bsn);
	for (size_t i = 0; i < c->naddresses; i++) {
		free(c->addresses[i].street);
		free(c->addresses[i].house_number_ext);
		free(c->addresses[i].postcode);
		free(c->addresses[i].city);
	}
	free(c->addresses);
	for (size_t i = 0; i < c->ncontacts; i++) {
		free(c->contacts[i].kind);
		free(c->contacts[i].value);
	}
	free(c->contacts);
	memset(c, 0, sizeof *c);
}

bool m_location_parse(const cJSON *j, struct m_location *out)
{
	memset(out, 0, sizeof *out);
	if (!jx_int(j, "id", &out->id) || !jx_str(j, "name"))
		return false;
	jx_int(j, "parent_id", &out->parent_id);
	out->name = dup_str(j, "name");
	out->kind = dup_str(j, "kind");
	return true;
}

void m_location_free(struct m_location *l)
{
	free(l->name);
	free(l->kind);
	memset(l, 0, sizeof *l);
}

bool m_team_parse(const cJSON *j, struct m_team *out)
{
	memset(out, 0, sizeof *out);
	if (!jx_int(j, "id", &out->id) || !jx_str(j, "name"))
		return false;
	jx_int(j, "location_id", &out->location_id);
	out->name = dup_str(j, "name");
	out->email = dup_str(j, "email");
	out->phone = dup_str(j, "phone");
	return true;
}

void m_team_free(struct m_team *t)
{
	free(t->name);
	free(t->email);
	free(t->phone);
	memset(t, 0, sizeof *t);
}

bool m_change_parse(const cJSON *j, struct m_change *out)
{
	memset(out, 0, sizeof *out);
	const char *type = jx_str(j, "type");
	if (!type || !jx_int(j, "id", &out->id) || !jx_int(j, "rev", &out->rev))
		return false;
	const struct feed_type *ft = feed_type_by_wire(type); /* the feed-type table */
	out->type = ft ? ft->type : M_UNKNOWN;
	jx_bool(j, "deleted", &out->deleted);
	out->data = cJSON_GetObjectItemCaseSensitive(j, "data");
	return out->deleted || cJSON_IsObject(out->data);
}

bool m_page_parse(const cJSON *j, const cJSON **changes, int64_t *next, int64_t *revision)
{
	*changes = cJSON_GetObjectItemCaseSensitive(j, "changes");
	if (!cJSON_IsArray(*changes) || !jx_int(j, "next", next))
		return false;
	if (!jx_int(j, "revision", revision))
		*revision = *next;
	return true;
}

bool m_login_parse(const cJSON *j, const char **token, const char **expires_at)
{
	*token = jx_str(j, "token");
	*expires_at = jx_str(j, "expires_at");
	return *token != NULL;
}

char *m_login_body(const char *user, const char *password)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "username", user);
	cJSON_AddStringToObject(o, "password", password);
	char *s = jx_print(o);
	cJSON_Delete(o);
	return s;
}

void m_problem_parse(const cJSON *j, const char **slug, const char **detail, const char **field,
					 const char **reason)
{
	*slug = NULL;
	*detail = jx_str(j, "detail");
	*field = *reason = NULL;
	const char *type = jx_str(j, "type");
	if (type && strncmp(type, "urn:zorgterm:problem:", 21) == 0)
		*slug = type + 21;
	const cJSON *inv = cJSON_GetObjectItemCaseSensitive(j, "invalid_params");
	const cJSON *first = cJSON_IsArray(inv) ? inv->child : NULL;
	if (first) {
		*field = jx_str(first, "name");
		*reason = jx_str(first, "reason");
	}
}

bool m_device_type_parse(const cJSON *j, struct m_device_type *out)
{
	memset(out, 0, sizeof *out);
	if (!jx_int(j, "id", &out->id) || !jx_str(j, "name"))
		return false;
	out->name = dup_str(j, "name");
	out->product_code = dup_str(j, "product_code");
	const cJSON *sup = cJSON_GetObjectItemCaseSensitive(j, "supplier");
	if (cJSON_IsObject(sup)) {
		jx_int(sup, "id", &out->supplier_id);
		out->supplier_name = dup_str(sup, "name");
	}
	jx_bool(j, "in_use", &out->in_use);
	jx_bool(j, "ordering", &out->ordering);
	return true;
}

void m_device_type_free(struct m_device_type *d)
{
	free(d->name);
	free(d->product_code);
	free(d->supplier_name);
	memset(d, 0, sizeof *d);
}

/* The status word of the wire as an enum. */
static enum m_order_status order_status(const char *s)
{
	static const char *const names[] = {"", "OPEN", "DECLINED", "ACCEPTED", "COMPLETED"};
	for (int i = 1; i < 5; i++)
		if (s && strcmp(s, names[i]) == 0)
			return (enum m_order_status)i;
	return ORDER_UNKNOWN;
}

bool m_order_parse(const cJSON *j, struct m_order *out)
{
	memset(out, 0, sizeof *out);
	if (!jx_int(j, "id", &out->id) || !jx_int(j, "client_id", &out->client_id))
		return false;
	jx_int(j, "device_type_id", &out->device_type_id);
	jx_int(j, "registration_id", &out->registration_id);
	out->status = order_status(jx_str(j, "status"));
	out->uuid = dup_str(j, "uuid");
	out->device_type_name = dup_str(j, "device_type_name");
	out->supplier_name = dup_str(j, "supplier_name");
	out->created_at = dup_str(j, "created_at");
	out->updated_at = dup_str(j, "updated_at");
	out->fetched_at = dup_str(j, "fetched_at");
	out->accepted_at = dup_str(j, "accepted_at");
	out->declined_at = dup_str(j, "declined_at");
	out->completed_at = dup_str(j, "completed_at");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "delivery");
	if (cJSON_IsObject(d)) {
		out->delivery_type = dup_str(d, "type");
		jx_int(d, "address_id", &out->delivery_address_id);
		out->street = dup_str(d, "street");
		jx_int(d, "house_number", &out->house_number);
		out->house_number_ext = dup_str(d, "house_number_ext");
		out->postcode = dup_str(d, "postcode");
		out->city = dup_str(d, "city");
	}
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "orderer");
	if (cJSON_IsObject(o)) {
		jx_int(o, "staff_id", &out->orderer_staff_id);
		jx_int(o, "team_id", &out->orderer_team_id);
		out->orderer_name = dup_str(o, "name");
		out->orderer_team_name = dup_str(o, "team_name");
		out->orderer_email = dup_str(o, "email");
		out->orderer_phone = dup_str(o, "phone");
	}
	out->order_number = dup_str(j, "order_number");
	out->supplier_note = dup_str(j, "supplier_note");
	out->tracking_url = dup_str(j, "tracking_url");
	out->device_identification_number = dup_str(j, "device_identification_number");
	return true;
}

void m_order_free(struct m_order *o)
{
	char **strs[] = {&o->uuid, &o->device_type_name, &o->supplier_name, &o->created_at,
					 &o->updated_at, &o->fetched_at, &o->accepted_at, &o->declined_at,
					 &o->completed_at, &o->delivery_type, &o->street, &o->house_number_ext,
					 &o->postcode, &o->city, &o->orderer_name, &o->orderer_team_name,
					 &o->orderer_email, &o->orderer_phone, &o->order_number, &o->supplier_note,
					 &o->tracking_url, &o->device_identification_number};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	memset(o, 0, sizeof *o);
}

bool m_registration_parse(const cJSON *j, struct m_registration *out)
{
	memset(out, 0, sizeof *out);
	if (!jx_int(j, "id", &out->id) || !jx_int(j, "client_id", &out->client_id))
		return false;
	jx_int(j, "device_type_id", &out->device_type_id);
	jx_int(j, "order_id", &out->order_id);
	out->device_type_name = dup_str(j, "device_type_name");
	out->serial = dup_str(j, "serial");
	out->start_date = dup_str(j, "start_date");
	out->end_date = dup_str(j, "end_date");
	return true;
}

void m_registration_free(struct m_registration *r)
{
	free(r->device_type_name);
	free(r->serial);
	free(r->start_date);
	free(r->end_date);
	memset(r, 0, sizeof *r);
}

/* Print o and free it. */
static char *print_free(cJSON *o)
{
	char *s = jx_print(o);
	cJSON_Delete(o);
	return s;
}

char *m_order_body(const struct m_order_draft *d)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "device_type_id", d->device_type_id);
	cJSON *del = cJSON_AddObjectToObject(o, "delivery");
	if (d->address_id) {
		jx_add_int(del, "address_id", d->address_id);
	} else {
		char *end = NULL;
		long long hn = strtoll(d->house_number, &end, 10);
		if (!d->house_number[0] || *end) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddStringToObject(del, "street", d->street);
		jx_add_int(del, "house_number", hn);
		cJSON_AddStringToObject(del, "house_number_ext", d->house_number_ext);
		cJSON_AddStringToObject(del, "postcode", d->postcode);
		cJSON_AddStringToObject(del, "city", d->city);
	}
	cJSON *ord = cJSON_AddObjectToObject(o, "orderer");
	jx_add_int(ord, "team_id", d->team_id);
	cJSON_AddStringToObject(ord, "email", d->email);
	cJSON_AddStringToObject(ord, "phone", d->phone);
	return print_free(o);
}

/* Copy the string member key of j into a fixed buffer. */
static void copy_member(const cJSON *j, const char *key, char *dst, size_t len)
{
	const char *v = jx_str(j, key);
	snprintf(dst, len, "%s", v ? v : "");
}

char *m_draft_to_json(const struct m_order_draft *d)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "client_id", d->client_id);
	jx_add_int(o, "device_type_id", d->device_type_id);
	jx_add_int(o, "address_id", d->address_id);
	cJSON_AddStringToObject(o, "street", d->street);
	cJSON_AddStringToObject(o, "house_number", d->house_number);
	cJSON_AddStringToObject(o, "house_number_ext", d->house_number_ext);
	cJSON_AddStringToObject(o, "postcode", d->postcode);
	cJSON_AddStringToObject(o, "city", d->city);
	jx_add_int(o, "team_id", d->team_id);
	cJSON_AddStringToObject(o, "email", d->email);
	cJSON_AddStringToObject(o, "phone", d->phone);
	cJSON_AddStringToObject(o, "idempotency_key", d->idem_key);
	return print_free(o);
}

bool m_draft_from_json(const char *text, struct m_order_draft *d)
{
	memset(d, 0, sizeof *d);
	cJSON *j = cJSON_Parse(text);
	if (!j || !jx_int(j, "client_id", &d->client_id)) {
		cJSON_Delete(j);
		return false;
	}
	jx_int(j, "device_type_id", &d->device_type_id);
	jx_int(j, "address_id", &d->address_id);
	copy_member(j, "street", d->street, sizeof d->street);
	copy_member(j, "house_number", d->house_number, sizeof d->house_number);
	copy_member(j, "house_number_ext", d->house_number_ext, sizeof d->house_number_ext);
	copy_member(j, "postcode", d->postcode, sizeof d->postcode);
	copy_member(j, "city", d->city, sizeof d->city);
	jx_int(j, "team_id", &d->team_id);
	copy_member(j, "email", d->email, sizeof d->email);
	copy_member(j, "phone", d->phone, sizeof d->phone);
	copy_member(j, "idempotency_key", d->idem_key, sizeof d->idem_key);
	cJSON_Delete(j);
	return true;
}

char *m_start_use_body(const char *serial, const char *start_date)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "serial", serial);
	cJSON_AddStringToObject(o, "start_date", start_date);
	return print_free(o);
}

char *m_registration_body(int64_t device_type_id, const char *serial, const char *start_date,
						  const char *end_date)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_int(o, "device_type_id", device_type_id);
	cJSON_AddStringToObject(o, "serial", serial);
	cJSON_AddStringToObject(o, "start_date", start_date);
	jx_add_str(o, "end_date", end_date && *end_date ? end_date : NULL);
	return print_free(o);
}

char *m_end_body(const char *end_date)
{
	cJSON *o = cJSON_CreateObject();
	jx_add_str(o, "end_date", end_date && *end_date ? end_date : NULL);
	return print_free(o);
}

char *m_device_type_patch(bool in_use, bool ordering)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "in_use", in_use);
	cJSON_AddBoolToObject(o, "ordering", ordering);
	return print_free(o);
}
