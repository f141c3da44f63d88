/* Writes audit rows in the caller's connection (inside its transaction when one is open). */
#include "audit.h"

#include "common/alloc.h"
#include "common/log.h"
#include "store.h"

#include <stdio.h>
#include <time.h>

int audit_log(struct req *r, const char *action, const char *object_type, int64_t object_id,
			  const char *outcome, const char *detail)
{
	static const char sql[] =
		"INSERT INTO audit (at, actor_type, actor_id, action, object_type, object_id,"
		" remote_addr, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = db_prep(r->db, sql);
	if (!st)
		return -1;
	char actor[sizeof r->who.cert_cn] = "";
	const char *type = "anonymous";
	if (r->who.kind == PRINCIPAL_STAFF) {
		type = "staff";
		snprintf(actor, sizeof actor, "%lld", (long long)r->who.staff_id);
	} else if (r->who.kind == PRINCIPAL_SUPPLIER) {
		type = "supplier";
		snprintf(actor, sizeof actor, "%s", r->who.cert_cn);
	}
	char obj[24];
	snprintf(obj, sizeof obj, "%lld", (long long)object_id);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	if (actor[0])
		sqlite3_bind_text(st, 3, actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	if (object_type)
		sqlite3_bind_text(st, 5, object_type, -1, SQLITE_STATIC);
	if (object_id)
		sqlite3_bind_text(st, 6, obj, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, r->remote, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, outcome, -1, SQLITE_STATIC);
	if (detail)
		sqlite3_bind_text(st, 9, detail, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_error("audit write failed: %s", sqlite3_errmsg(r->db->h));
		return -1;
	}
	return 0;
}

int audit_log_list(struct req *r, const char *action, const int64_t *ids, size_t n)
{
	if (n == 0)
		return 0;
	struct buf b = {0};
	buf_printf(&b, "%zu clients:", n);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : " ", (long long)ids[i]);
	int rc = audit_log(r, action, "client", 0, "ok", b.data);
	buf_free(&b);
	return rc;
}

int audit_log_ids(struct req *r, const char *action, const char *object_type,
				  const int64_t *ids, size_t n)
{
	if (n == 0)
		return 0;
	struct buf b = {0};
	buf_printf(&b, "%zu %s:", n, object_type);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : " ", (long long)ids[i]);
	int rc = audit_log(r, action, object_type, 0, "ok", b.data);
	buf_free(&b);
	return rc;
}
