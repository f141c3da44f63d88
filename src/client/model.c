/* Parsing of staff-API JSON into zorgterm's model; the only place naming wire fields. */
#include "client/model.h"

#include "common/alloc.h"
#include "common/jsonx.h"

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
	if (strcmp(type, "location") == 0)
		out->type = M_LOCATION;
	else if (strcmp(type, "team") == 0)
		out->type = M_TEAM;
	else if (strcmp(type, "client") == 0)
		out->type = M_CLIENT;
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
