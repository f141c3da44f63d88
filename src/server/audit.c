/* Audit rows for requests and workers; the row itself is written by the store. */
#include "audit.h"

#include "common/alloc.h"
#include "common/jsonx.h"
#include "server.h"
#include "store/q_audit.h"

#include <stdio.h>

struct actor audit_actor_req(const struct req *r)
{
	struct actor a = {.type = "anonymous", .remote = r->remote};
	if (r->who.kind == PRINCIPAL_STAFF) {
		a.type = "staff";
		snprintf(a.id, sizeof a.id, "%lld", (long long)r->who.staff_id);
	} else if (r->who.kind == PRINCIPAL_SUPPLIER) {
		a.type = "supplier";
		snprintf(a.id, sizeof a.id, "%s", r->who.cert_cn);
	} else if (r->who.kind == PRINCIPAL_PORTAL) {
		a.type = "portal";
		snprintf(a.id, sizeof a.id, "%s", r->who.cert_cn);
	}
	return a;
}

struct actor audit_actor_worker(const char *name)
{
	struct actor a = {.type = "worker", .remote = NULL};
	snprintf(a.id, sizeof a.id, "%s", name);
	return a;
}

int audit_log(struct db *db, const struct actor *a, const char *action,
			  const char *object_type, int64_t object_id, const char *outcome,
			  const char *detail)
{
	return q_audit_insert(db, a, action, object_type, object_id, outcome, detail);
}

int audit_req(struct req *r, const char *action, const char *object_type, int64_t object_id,
			  const char *outcome, const char *detail)
{
	struct actor a = audit_actor_req(r);
	/* Outside any transaction (handlers audit after their reads): group commit. A request
	 * of the HTTP server does not wait for a batch under way: its answer does (http.c). */
	if (r->audit)
		return store_audit_queue(r->srv->store, r->db, r->audit, &a, action, object_type,
								 object_id, outcome, detail);
	return store_audit(r->srv->store, r->db, &a, action, object_type, object_id, outcome, detail);
}

int audit_req_ids(struct req *r, const char *action, const char *object_type,
				  const char *label, const int64_t *ids, size_t n)
{
	if (n == 0)
		return 0;
	struct buf b = {0};
	buf_printf(&b, "%zu %s:", n, label);
	for (size_t i = 0; i < n; i++) { /* a page names up to 5,000: no printf per id */
		buf_append(&b, i ? "," : " ", 1);
		jx_buf_int(&b, ids[i]);
	}
	int rc = audit_req(r, action, object_type, 0, "ok", b.data);
	buf_free(&b);
	return rc;
}

int audit_log_list(struct req *r, const char *action, const int64_t *ids, size_t n)
{
	return audit_req_ids(r, action, "client", "clients", ids, n);
}

int audit_log_ids(struct req *r, const char *action, const char *object_type,
				  const int64_t *ids, size_t n)
{
	return audit_req_ids(r, action, object_type, object_type, ids, n);
}
