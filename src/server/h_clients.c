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
#include "store/store.h"
#include "store/legacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 6

/* Answer a BSN look-up: at most one client, within scope, audited either way. */
static void bsn_lookup(struct req *r, const char *bsn)
{
	if (!authz_check(r, "client.bsn.view", 0))
		return;
	if (!valid_bsn(bsn)) {
		cJSON *p = problem_new(400, "invalid-query", "Invalid query parameter",
							   "Check the marked query parameters.");
		problem_add_field(p, "bsn", "must be nine digits that pass the 11-check");
		problem_reply(r, p);
		return;
	}
	static const char sql[] = "SELECT " MODEL_CLIENT_COLS " FROM clients c"
							  " WHERE c.deleted = 0 AND c.bsn = :bsn AND " AUTHZ_IN_SCOPE("c.location_id");
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "bsn lookup");
		return;
	}
	authz_bind_scope(r, st);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":bsn"), bsn, -1, SQLITE_STATIC);
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "clients");
	int64_t found = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = sqlite3_column_int64(st, 0);
		cJSON_AddItemToArray(list, model_client_summary(st, 0));
	}
	sqlite3_reset(st);
	cJSON_AddNullToObject(o, "next_after");
	if (audit_req(r, "client.search_bsn", "client", found, found ? "ok" : "not_found", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}

/* Escape LIKE wildcards in word and wrap it in % for a substring match. Caller frees. */
static char *like_pattern(const char *word)
{
	struct buf b = {0};
	buf_puts(&b, "%");
	for (const char *p = word; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_append(&b, "\\", 1);
		buf_append(&b, p, 1);
	}
	buf_puts(&b, "%");
	return buf_steal(&b);
}

void h_clients_list(struct req *r)
{
	if (!authz_check(r, "client.view", 0))
		return;
	const char *bsn = http_query(r, "bsn");
	if (bsn) {
		bsn_lookup(r, bsn);
		return;
	}
	int64_t limit, after, loc;
	if (!http_query_int(r, "limit", 1, 500, 100, &limit) ||
		!http_query_int(r, "after", 0, INT64_MAX / 2, 0, &after) ||
		!http_query_int(r, "location_id", 1, INT64_MAX / 2, 0, &loc))
		return;
	const char *q = http_query(r, "q");
	char *words[MAX_WORDS] = {0};
	size_t nwords = 0;
	char *folded = NULL;
	if (q) {
		if (strlen(q) > 200 || !valid_input_text(q, strlen(q), 0)) {
			cJSON *p = problem_new(400, "invalid-query", "Invalid query parameter",
								   "Check the marked query parameters.");
			problem_add_field(p, "q", "at most 200 bytes of UTF-8 text");
			problem_reply(r, p);
			return;
		}
		folded = text_fold(q);
		for (char *tok = strtok(folded, " "); tok; tok = strtok(NULL, " ")) {
			if (nwords == MAX_WORDS) {
				free(folded);
				cJSON *p = problem_new(400, "invalid-query", "Invalid query parameter",
									   "Check the marked query parameters.");
				problem_add_field(p, "q", "at most 6 words");
				problem_reply(r, p);
				return;
			}
			words[nwords++] = tok;
		}
	}
	/* Every word must occur in the folded name, or (a single word) in the client number. */
	static const char sql[] =
		"SELECT " MODEL_CLIENT_COLS " FROM clients c WHERE c.deleted = 0 AND c.id > :after"
		" AND " AUTHZ_IN_SCOPE("c.location_id")
		" AND (:loc = 0 OR EXISTS (SELECT 1 FROM location_closure x"
		"      WHERE x.ancestor = :loc AND x.descendant = c.location_id))"
		" AND (:w1 IS NULL OR c.search_name LIKE :w1 ESCAPE '\\'"
		"      OR (:w2 IS NULL AND lower(c.client_number) LIKE :w1 ESCAPE '\\'))"
		" AND (:w2 IS NULL OR c.search_name LIKE :w2 ESCAPE '\\')"
		" AND (:w3 IS NULL OR c.search_name LIKE :w3 ESCAPE '\\')"
		" AND (:w4 IS NULL OR c.search_name LIKE :w4 ESCAPE '\\')"
		" AND (:w5 IS NULL OR c.search_name LIKE :w5 ESCAPE '\\')"
		" AND (:w6 IS NULL OR c.search_name LIKE :w6 ESCAPE '\\')"
		" ORDER BY c.id LIMIT :limit";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		free(folded);
		problem_internal(r, "client list");
		return;
	}
	authz_bind_scope(r, st);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":after"), after);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":loc"), loc);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	for (size_t i = 0; i < nwords; i++) {
		char name[24];
		snprintf(name, sizeof name, ":w%zu", i + 1);
		char *pat = like_pattern(words[i]);
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, name), pat, -1, free);
	}
	free(folded);
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "clients");
	int64_t last = 0, count = 0;
	int64_t *ids = xmalloc((size_t)limit * sizeof *ids);
	while (sqlite3_step(st) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		ids[count++] = last;
		cJSON_AddItemToArray(list, model_client_summary(st, 0));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (count == limit)
		jx_add_int(o, "next_after", last);
	else
		cJSON_AddNullToObject(o, "next_after");
	int arc = audit_log_list(r, "client.list", ids, (size_t)count);
	free(ids);
	if (arc != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}

void h_client_get(struct req *r)
{
	int64_t id;
	if (!authz_check(r, "client.view", 0) || !http_seg_id(r, 3, &id))
		return;
	static const char sql[] = "SELECT " MODEL_CLIENT_COLS ", c.bsn FROM clients c"
							  " WHERE c.deleted = 0 AND c.id = ?";
	sqlite3_stmt *st = legacy_prep(r->db, sql);
	if (!st) {
		problem_internal(r, "client");
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		/* The same words as for a client out of scope: existence must not leak. */
		problem_set(r, 404, "not-found", "Not found", "No such object.");
		return;
	}
	cJSON *o = model_client_summary(st, 0);
	int64_t location = sqlite3_column_int64(st, 4);
	char *bsn = xstrdup(db_col_text(st, 5));
	sqlite3_reset(st);
	if (!authz_check(r, "client.view", location)) {
		free(bsn);
		cJSON_Delete(o);
		return;
	}
	if (authz_may(r, "client.bsn.view"))
		jx_add_str(o, "bsn", bsn);
	free(bsn);

	static const char addr_sql[] = "SELECT " MODEL_ADDRESS_COLS " FROM client_addresses a"
								   " WHERE a.client_id = ? ORDER BY a.active DESC, a.id";
	cJSON *addrs = cJSON_AddArrayToObject(o, "addresses");
	st = legacy_prep(r->db, addr_sql);
	if (!st) {
		cJSON_Delete(o);
		problem_internal(r, "addresses");
		return;
	} else {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			cJSON_AddItemToArray(addrs, model_address(st, 0));
		sqlite3_reset(st);
	}
	static const char contact_sql[] = "SELECT " MODEL_CONTACT_COLS " FROM client_contacts m"
									  " WHERE m.client_id = ? ORDER BY m.id";
	cJSON *contacts = cJSON_AddArrayToObject(o, "contact_methods");
	st = legacy_prep(r->db, contact_sql);
	if (!st) {
		cJSON_Delete(o);
		problem_internal(r, "contact methods");
		return;
	} else {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			cJSON_AddItemToArray(contacts, model_contact(st, 0));
		sqlite3_reset(st);
	}
	if (audit_req(r, "client.read", "client", id, "ok", NULL) != 0) {
		cJSON_Delete(o);
		problem_internal(r, "audit");
		return;
	}
	http_reply(r, 200, o);
}
