/* Builds application/problem+json bodies; never carries internals. */
#include "problem.h"

#include "common/log.h"
#include "http.h"

#include <stdio.h>

cJSON *problem_new(int status, const char *slug, const char *title, const char *detail)
{
	cJSON *p = cJSON_CreateObject();
	char type[128];
	snprintf(type, sizeof type, "urn:zorgterm:problem:%s", slug);
	cJSON_AddStringToObject(p, "type", type);
	cJSON_AddStringToObject(p, "title", title);
	cJSON_AddNumberToObject(p, "status", status);
	if (detail)
		cJSON_AddStringToObject(p, "detail", detail);
	return p;
}

void problem_add_field(cJSON *p, const char *name, const char *reason)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(p, "invalid_params");
	if (!list)
		list = cJSON_AddArrayToObject(p, "invalid_params");
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "name", name);
	cJSON_AddStringToObject(f, "reason", reason);
	cJSON_AddItemToArray(list, f);
}

void problem_reply(struct req *r, cJSON *p)
{
	int status = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "status"));
	http_reply(r, status, p);
	r->is_problem = true;
}

void problem_set(struct req *r, int status, const char *slug, const char *title,
				 const char *detail)
{
	problem_reply(r, problem_new(status, slug, title, detail));
}

void problem_not_found(struct req *r)
{
	problem_set(r, 404, "not-found", "Not found", "No such object.");
}

void problem_internal(struct req *r, const char *log_detail)
{
	log_error("%s %s: %s", r->method, r->url, log_detail ? log_detail : "(no detail)");
	problem_set(r, 500, "internal", "Internal error",
				"The server could not complete the request; it has been logged.");
}
