/* The Caren wire shapes on the client side (issue 9): a client's Caren page, the feed's
 * Caren facts and the unlink body. Field names live here and in model.c only. */
#include "client/model.h"
#include "common/alloc.h"
#include "common/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy string member key of j into out (size n); "" when absent or null. */
static void copy_str(const cJSON *j, const char *key, char *out, size_t n)
{
	const char *s = jx_str(j, key);
	snprintf(out, n, "%s", s ? s : "");
}

/* A copy of string member key, or NULL when absent or null. */
static char *dup_str(const cJSON *j, const char *key)
{
	const char *s = jx_str(j, key);
	return s ? xstrdup(s) : NULL;
}

static bool parse_invitation(const cJSON *j, struct m_caren_invitation *i)
{
	if (!jx_int(j, "id", &i->id) || !jx_str(j, "state") || !jx_str(j, "valid_until"))
		return false;
	copy_str(j, "created_at", i->created_at, sizeof i->created_at);
	copy_str(j, "valid_until", i->valid_until, sizeof i->valid_until);
	copy_str(j, "state", i->state, sizeof i->state);
	i->created_by = dup_str(j, "created_by");
	i->closed_by = dup_str(j, "closed_by");
	return true;
}

static bool parse_link(const cJSON *j, struct m_caren_link *l)
{
	if (!jx_int(j, "id", &l->id))
		return false;
	copy_str(j, "started_at", l->started_at, sizeof l->started_at);
	copy_str(j, "ended_at", l->ended_at, sizeof l->ended_at);
	l->ended_by = dup_str(j, "ended_by");
	l->end_reason = dup_str(j, "end_reason");
	return true;
}

bool m_caren_page_parse(const cJSON *j, int64_t client_id, struct m_caren_page *out)
{
	memset(out, 0, sizeof *out);
	out->client_id = client_id;
	out->days_left = -1;
	const cJSON *inv = cJSON_GetObjectItemCaseSensitive(j, "invitations");
	const cJSON *links = cJSON_GetObjectItemCaseSensitive(j, "links");
	if (!jx_str(j, "status") || !cJSON_IsArray(inv) || !cJSON_IsArray(links))
		return false;
	copy_str(j, "status", out->status, sizeof out->status);
	int64_t days;
	if (jx_int(j, "days_left", &days))
		out->days_left = (int)days;
	out->inv = xcalloc((size_t)cJSON_GetArraySize(inv) + 1, sizeof *out->inv);
	out->links = xcalloc((size_t)cJSON_GetArraySize(links) + 1, sizeof *out->links);
	const cJSON *it;
	cJSON_ArrayForEach(it, inv)
	{
		if (parse_invitation(it, &out->inv[out->ninv]))
			out->ninv++;
	}
	cJSON_ArrayForEach(it, links)
	{
		if (parse_link(it, &out->links[out->nlinks]))
			out->nlinks++;
	}
	return true;
}

void m_caren_page_free(struct m_caren_page *p)
{
	for (size_t i = 0; i < p->ninv; i++) {
		free(p->inv[i].created_by);
		free(p->inv[i].closed_by);
	}
	for (size_t i = 0; i < p->nlinks; i++) {
		free(p->links[i].ended_by);
		free(p->links[i].end_reason);
	}
	free(p->inv);
	free(p->links);
	memset(p, 0, sizeof *p);
	p->days_left = -1;
}

char *m_caren_unlink_body(const char *reason)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "reason", reason);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

bool m_caren_fact_parse(const cJSON *j, bool *link_active, char valid_until[16])
{
	if (!jx_bool(j, "link_active", link_active))
		return false;
	copy_str(j, "invitation_valid_until", valid_until, 16);
	return true;
}

bool m_caren_portal_parse(const cJSON *j, bool *enabled, bool *reachable)
{
	return jx_bool(j, "enabled", enabled) && jx_bool(j, "reachable", reachable);
}

int64_t m_caren_messages_sent(const cJSON *j)
{
	int64_t n;
	return j && jx_int(j, "messages_sent", &n) ? n : -1;
}
