/* Client search and personalia. */
#include "q_clients.h"

#include "common/alloc.h"
#include "q_rows.h"
#include "scope.h"

#include <stdlib.h>

#define ADDRESS_COLS \
	"a.id, a.street, a.house_number, a.house_number_ext, a.postcode, a.city, a.active"

void q_read_client(struct stmt *st, int c, struct client_row *cl)
{
	*cl = (struct client_row){
		.id = stmt_col_int(st, c),
		.client_number = stmt_col_text(st, c + 1),
		.name = stmt_col_text(st, c + 2),
		.birth_date = stmt_col_text(st, c + 3),
		.location_id = stmt_col_int(st, c + 4),
	};
}

/* Step st calling fn for every client row (CLIENT_COLS, then the BSN when with_bsn). */
static int each_client(struct stmt *st, bool one, bool with_bsn, q_client_fn fn, void *ctx)
{
	enum store_step rc;
	int64_t n = 0;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		struct client_row c;
		q_read_client(st, 0, &c);
		if (with_bsn)
			c.bsn = stmt_col_text(st, 5);
		fn(&c, ctx);
		n++;
	}
	return stmt_finish(st, rc, one, n);
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

int q_clients_search(struct db *db, const struct client_search *q, q_client_fn fn, void *ctx)
{
	/* Every word must occur in the folded name, or (a single word) in the client number. */
	static const char sql[] =
		"SELECT " CLIENT_COLS " FROM clients c WHERE c.deleted = 0 AND c.id > $1"
		" AND " SCOPE_HAS("c.location_id", "$2")
		" AND ($3 = 0 OR EXISTS (SELECT 1 FROM location_closure x"
		"      WHERE x.ancestor = $3 AND x.descendant = c.location_id))"
		" AND (CAST($4 AS TEXT) IS NULL OR c.search_name LIKE $4 ESCAPE '\\'"
		"      OR (CAST($5 AS TEXT) IS NULL AND lower(c.client_number) LIKE $4 ESCAPE '\\'))"
		" AND (CAST($5 AS TEXT) IS NULL OR c.search_name LIKE $5 ESCAPE '\\')"
		" AND (CAST($6 AS TEXT) IS NULL OR c.search_name LIKE $6 ESCAPE '\\')"
		" AND (CAST($7 AS TEXT) IS NULL OR c.search_name LIKE $7 ESCAPE '\\')"
		" AND (CAST($8 AS TEXT) IS NULL OR c.search_name LIKE $8 ESCAPE '\\')"
		" AND (CAST($9 AS TEXT) IS NULL OR c.search_name LIKE $9 ESCAPE '\\')"
		" ORDER BY c.id LIMIT $10";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, q->after);
	stmt_int(st, 2, q->scope_staff);
	stmt_int(st, 3, q->location_id);
	for (size_t i = 0; i < q->nwords && i < Q_CLIENT_WORDS; i++) {
		char *pat = like_pattern(q->words[i]);
		stmt_text_copy(st, 4 + (int)i, pat);
		free(pat);
	}
	stmt_int(st, 10, q->limit);
	return each_client(st, false, false, fn, ctx);
}

int q_client_by_bsn(struct db *db, const char *bsn, int64_t scope_staff, q_client_fn fn,
					void *ctx)
{
	static const char sql[] = "SELECT " CLIENT_COLS " FROM clients c"
							  " WHERE c.deleted = 0 AND c.bsn = $1 AND "
							  SCOPE_HAS("c.location_id", "$2");
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, bsn);
	stmt_int(st, 2, scope_staff);
	return each_client(st, true, false, fn, ctx);
}

int q_client_get(struct db *db, int64_t id, int64_t scope_staff, q_client_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " CLIENT_COLS ", c.bsn FROM clients c"
							  " WHERE c.deleted = 0 AND c.id = $1 AND "
							  SCOPE_HAS("c.location_id", "$2");
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	stmt_int(st, 2, scope_staff);
	return each_client(st, true, true, fn, ctx);
}

/* Fill an address row from ADDRESS_COLS at column c. */
static void read_address(struct stmt *st, int c, struct address_row *a)
{
	*a = (struct address_row){
		.id = stmt_col_int(st, c),
		.street = stmt_col_text(st, c + 1),
		.house_number = stmt_col_int(st, c + 2),
		.house_number_ext = stmt_col_text(st, c + 3),
		.postcode = stmt_col_text(st, c + 4),
		.city = stmt_col_text(st, c + 5),
		.active = stmt_col_int(st, c + 6) != 0,
	};
}

Q_DEFINE_EACH(each_address, struct address_row, q_address_fn, read_address)

/* One pass over a client's addresses (st bound, in id order) calling fn for those whose
 * active flag is active; *other counts the rest. The last step's result. */
static enum store_step address_pass(struct stmt *st, bool active, q_address_fn fn, void *ctx,
									int64_t *other)
{
	enum store_step rc;
	while ((rc = stmt_step(st)) == STORE_STEP_ROW) {
		struct address_row a;
		read_address(st, 0, &a);
		if (a.active == active)
			fn(&a, ctx);
		else
			(*other)++;
	}
	return rc;
}

int q_client_addresses(struct db *db, int64_t id, q_address_fn fn, void *ctx)
{
	/* Active first, then by id. ORDER BY active DESC would sort in a temporary B-tree on
	 * every read of a client; in id order the index serves it, and the (rare) inactive
	 * addresses come from a second pass over the same statement. */
	static const char sql[] = "SELECT " ADDRESS_COLS " FROM client_addresses a"
							  " WHERE a.client_id = $1 ORDER BY a.id";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	int64_t inactive = 0, active = 0;
	enum store_step rc = address_pass(st, true, fn, ctx, &inactive);
	if (rc == STORE_STEP_DONE && inactive > 0) {
		stmt_reset(st);
		stmt_int(st, 1, id);
		rc = address_pass(st, false, fn, ctx, &active);
	}
	return stmt_finish(st, rc, false, 0);
}

int q_client_address(struct db *db, int64_t client_id, int64_t address_id, q_address_fn fn,
					 void *ctx)
{
	static const char sql[] = "SELECT " ADDRESS_COLS " FROM client_addresses a"
							  " WHERE a.id = $1 AND a.client_id = $2 AND a.active = 1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, address_id);
	stmt_int(st, 2, client_id);
	return each_address(st, true, fn, ctx);
}

/* Fill a contact row from (id, kind, value, confirmed) at column c. */
static void read_contact(struct stmt *st, int c, struct contact_row *m)
{
	*m = (struct contact_row){
		.id = stmt_col_int(st, c),
		.kind = stmt_col_text(st, c + 1),
		.value = stmt_col_text(st, c + 2),
		.confirmed = stmt_col_int(st, c + 3) != 0,
	};
}

Q_DEFINE_EACH(each_contact, struct contact_row, q_contact_fn, read_contact)

int q_client_contacts(struct db *db, int64_t id, q_contact_fn fn, void *ctx)
{
	static const char sql[] = "SELECT m.id, m.kind, m.value, m.confirmed FROM client_contacts m"
							  " WHERE m.client_id = $1 ORDER BY m.id";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	return each_contact(st, false, fn, ctx);
}

int q_client_location(struct db *db, int64_t id, int64_t *location)
{
	static const char sql[] = "SELECT location_id FROM clients WHERE deleted = 0 AND id = $1";
	struct stmt *st = db_prep(db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_int(st, 1, id);
	if (!stmt_one_int(st, 0, location))
		return STORE_ERROR;
	return *location > 0 ? STORE_OK : STORE_NOT_FOUND;
}
