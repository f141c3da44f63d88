/* GET /api/v1/clients (search, BSN look-up) and /api/v1/clients/{id} (personalia). */
#include "audit.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/text.h"
#include "common/valid.h"
#include "model.h"
#include "problem.h"
#include "routes.h"
#include "store/q_clients.h"

#include <stdlib.h>
#include <string.h>

/* Answer 400 invalid-query naming query parameter name. */
static void bad_query(struct req *r, const char *name, const char *reason)
{
	cJSON *p = problem_new(400, "invalid-query", "Invalid query parameter",
						   "Check the marked query parameters.");
	problem_add_field(p, name, reason);
	problem_reply(r, p);
}

/* Answer a BSN look-up: at most one client, within scope, audited either way. */
static void bsn_lookup(struct req *r, const char *bsn)
{
	if (!authz_check(r, TASK_CLIENT_BSN_VIEW, 0))
		return;
	if (!valid_bsn(bsn)) {
		bad_query(r, "bsn", "must be nine digits that pass the 11-check");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "clients");
	int rc = q_client_by_bsn(r->db, bsn, r->who.staff_id, model_client_summary_add, list);
	int64_t found = 0;
	if (rc == STORE_OK)
		jx_int(cJSON_GetArrayItem(list, 0), "id", &found);
	cJSON_AddNullToObject(o, "next_after");
	if (rc == STORE_ERROR ||
		audit_req(r, "client.search_bsn", "client", found, found ? "ok" : "not_found", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "bsn lookup");
		return;
	}
	http_reply(r, 200, o);
}

/* Decode the query of a client search into q (words point into *folded, which the caller
 * frees); on a bad parameter the problem is set and false returned. */
static bool search_decode(struct req *r, struct client_search *q, char **folded)
{
	*q = (struct client_search){.scope_staff = r->who.staff_id};
	*folded = NULL;
	if (!http_query_int(r, "limit", 1, 500, 100, &q->limit) ||
		!http_query_int(r, "after", 0, INT64_MAX / 2, 0, &q->after) ||
		!http_query_int(r, "location_id", 1, INT64_MAX / 2, 0, &q->location_id))
		return false;
	const char *text = http_query(r, "q");
	if (!text)
		return true;
	if (strlen(text) > 200 || !valid_input_text(text, strlen(text), 0)) {
		bad_query(r, "q", "at most 200 bytes of UTF-8 text");
		return false;
	}
	*folded = text_fold(text);
	for (char *tok = strtok(*folded, " "); tok; tok = strtok(NULL, " ")) {
		if (q->nwords == Q_CLIENT_WORDS) {
			bad_query(r, "q", "at most 6 words");
			return false;
		}
		q->words[q->nwords++] = tok;
	}
	return true;
}

void h_clients_list(struct req *r)
{
	const char *bsn = http_query(r, "bsn");
	if (bsn) {
		bsn_lookup(r, bsn);
		return;
	}
	struct client_search q;
	char *folded;
	if (!search_decode(r, &q, &folded)) {
		free(folded);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "clients");
	int rc = q_clients_search(r->db, &q, model_client_summary_add, list);
	free(folded);
	int64_t count = cJSON_GetArraySize(list), last = 0;
	int64_t *ids = xmalloc((size_t)(count ? count : 1) * sizeof *ids);
	int64_t i = 0;
	for (cJSON *c = list->child; c; c = c->next)
		jx_int(c, "id", &ids[i++]);
	last = count ? ids[count - 1] : 0;
	if (count == q.limit)
		jx_add_int(o, "next_after", last);
	else
		cJSON_AddNullToObject(o, "next_after");
	if (rc != STORE_OK || audit_log_list(r, "client.list", ids, (size_t)count) != 0) {
		free(ids);
		cJSON_Delete(o);
		problem_internal(r, "client list");
		return;
	}
	free(ids);
	http_reply(r, 200, o);
}

/* Visitor of q_client_get: the client summary with its BSN kept aside. */
struct client_read {
	cJSON *o;
	char *bsn;
};

static void take_client(const struct client_row *c, void *ctx)
{
	struct client_read *cr = ctx;
	cr->o = model_client_summary(c);
	cr->bsn = c->bsn ? xstrdup(c->bsn) : NULL;
}

void h_client_get(struct req *r)
{
	int64_t id;
	if (!http_seg_id(r, 3, &id))
		return;
	struct client_read c = {0};
	/* The route checked the task; the query checks scope. Unknown and out of scope get
	 * the same words: existence must not leak. */
	int rc = q_client_get(r->db, id, r->who.staff_id, take_client, &c);
	if (rc == STORE_NOT_FOUND)
		problem_not_found(r);
	if (rc != STORE_OK || !authz_check(r, TASK_CLIENT_VIEW, 0))
		goto out;
	if (authz_may(r, TASK_CLIENT_BSN_VIEW))
		jx_add_str(c.o, "bsn", c.bsn);
	if (q_client_addresses(r->db, id, model_address_add,
						   cJSON_AddArrayToObject(c.o, "addresses")) != STORE_OK ||
		q_client_contacts(r->db, id, model_contact_add,
						  cJSON_AddArrayToObject(c.o, "contact_methods")) != STORE_OK ||
		audit_req(r, "client.read", "client", id, "ok", NULL) != 0) {
		rc = STORE_ERROR;
		goto out;
	}
	http_reply(r, 200, c.o);
	c.o = NULL;
out:
	if (rc == STORE_ERROR)
		problem_internal(r, "client");
	cJSON_Delete(c.o);
	free(c.bsn);
}
