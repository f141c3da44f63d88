/* The audit table: one INSERT, for requests and background workers alike. */
#include "q_audit.h"

#include "common/log.h"

#include <stdio.h>
#include <time.h>

int q_audit_insert(struct db *db, const struct actor *a, const char *action,
				   const char *object_type, int64_t object_id, const char *outcome,
				   const char *detail)
{
	static const char sql[] =
		"INSERT INTO audit (at, actor_type, actor_id, action, object_type, object_id,"
		" remote_addr, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return -1;
	char obj[24];
	snprintf(obj, sizeof obj, "%lld", (long long)object_id);
	stmt_int(st, 1, (int64_t)time(NULL));
	stmt_text(st, 2, a->type);
	stmt_text(st, 3, a->id[0] ? a->id : NULL);
	stmt_text(st, 4, action);
	stmt_text(st, 5, object_type);
	stmt_text(st, 6, object_id ? obj : NULL);
	stmt_text(st, 7, a->remote);
	stmt_text(st, 8, outcome);
	stmt_text(st, 9, detail);
	if (!stmt_done(st)) {
		log_error("audit write failed");
		return -1;
	}
	return 0;
}
