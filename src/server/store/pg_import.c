/* zorgd --db postgresql://... --import sqlite:PATH: move an organisation from the embedded
 * store into an empty PostgreSQL database. Both schemas come from migrations with the same
 * numbers, so the tables and columns match; every row is copied with its id and revision
 * (COPY ... FROM STDIN in one transaction), then the identity sequences move past the
 * copied ids. The rows the migrations seed (tasks, roles, the catalogue, the counter) are
 * replaced by the source's. A target holding anything else is refused. */
#include "pg.h"

#include "common/alloc.h"
#include "common/log.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Tables the migrations fill; their rows are replaced by the source's. */
static const char *const seeded[] = {"revision",     "tasks",     "roles",
									 "role_tasks",   "suppliers", "device_types",
									 "settings",     "caren_portal", "auth_epoch"};

static bool is_seeded(const char *t)
{
	for (size_t i = 0; i < sizeof seeded / sizeof seeded[0]; i++)
		if (strcmp(seeded[i], t) == 0)
			return true;
	return false;
}

/* The source's tables in creation order (parents before children), without
 * schema_version; a NULL-terminated list the caller frees with free_list. */
static char **source_tables(sqlite3 *h)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 8;
	char **v = xcalloc(cap, sizeof *v);
	if (sqlite3_prepare_v2(h,
						   "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
						   " 'sqlite_%' AND name <> 'schema_version' ORDER BY rowid",
						   -1, &st, NULL) != SQLITE_OK)
		return v;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n + 2 > cap)
			v = xrealloc(v, (cap *= 2) * sizeof *v);
		v[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
		v[n] = NULL;
	}
	sqlite3_finalize(st);
	return v;
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Run sql on c; 0, or -1 with *err naming what failed. */
static int run(PGconn *c, const char *sql, char **err)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
	if (rc)
		*err = xasprintf("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return rc;
}

/* Refuse a target with rows in any table the migrations leave empty. */
static int target_empty(PGconn *c, char **tables, char **err)
{
	for (size_t i = 0; tables[i]; i++) {
		if (is_seeded(tables[i]))
			continue;
		char *q = xasprintf("SELECT EXISTS (SELECT 1 FROM \"%s\")", tables[i]);
		PGresult *r = PQexec(c, q);
		free(q);
		bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		bool has = ok && PQgetvalue(r, 0, 0)[0] == 't';
		if (!ok)
			*err = xasprintf("target has no table %s: %s", tables[i], PQresultErrorMessage(r));
		else if (has)
			*err = xasprintf("the target database is not empty (table %s has rows); "
							 "import only into a new database",
							 tables[i]);
		PQclear(r);
		if (!ok || has)
			return -1;
	}
	return 0;
}

/* Append v to b in COPY text format (backslash escapes; NULL as \N). */
static void copy_value(struct buf *b, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL) {
		buf_append(b, "\\N", 2);
		return;
	}
	const char *s = (const char *)sqlite3_column_text(st, i);
	for (; s && *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n"
						  : *s == '\r' ? "\\r" : NULL;
		if (esc)
			buf_append(b, esc, 2);
		else
			buf_append(b, s, 1);
	}
}

/* The column list of table t in the source, comma-separated and quoted. Caller frees. */
static char *source_columns(sqlite3 *h, const char *t)
{
	char *q = xasprintf("SELECT name FROM pragma_table_info('%s') ORDER BY cid", t);
	sqlite3_stmt *st;
	struct buf b = {0};
	if (sqlite3_prepare_v2(h, q, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_printf(&b, "%s\"%s\"", b.len ? "," : "", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	free(q);
	return b.len ? buf_steal(&b) : NULL;
}

/* COPY every row of table t from the source into the target; rows copied or -1. */
static long copy_table(PGconn *c, sqlite3 *h, const char *t, char **err)
{
	char *cols = source_columns(h, t);
	if (!cols) {
		*err = xasprintf("cannot read the columns of %s", t);
		return -1;
	}
	char *sel = xasprintf("SELECT %s FROM \"%s\" ORDER BY rowid", cols, t);
	char *cp = xasprintf("COPY \"%s\" (%s) FROM STDIN", t, cols);
	free(cols);
	sqlite3_stmt *st = NULL;
	long n = -1;
	PGresult *r = NULL;
	if (sqlite3_prepare_v2(h, sel, -1, &st, NULL) != SQLITE_OK) {
		*err = xasprintf("%s: %s", sel, sqlite3_errmsg(h));
		goto out;
	}
	r = PQexec(c, cp);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		*err = xasprintf("%s: %s", cp, PQresultErrorMessage(r));
		goto out;
	}
	struct buf line = {0};
	long rows = 0;
	bool ok = true;
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		line.len = 0;
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			if (i)
				buf_append(&line, "\t", 1);
			copy_value(&line, st, i);
		}
		buf_append(&line, "\n", 1);
		ok = PQputCopyData(c, line.data, (int)line.len) == 1;
		rows++;
	}
	buf_free(&line);
	PQclear(r);
	r = NULL;
	if (PQputCopyEnd(c, ok ? NULL : "source read failed") != 1 ||
		PQresultStatus(r = PQgetResult(c)) != PGRES_COMMAND_OK) {
		*err = xasprintf("copying %s: %s", t, r ? PQresultErrorMessage(r) : PQerrorMessage(c));
		goto out;
	}
	n = rows;
out:
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	sqlite3_finalize(st);
	free(sel);
	free(cp);
	return n;
}

/* Move every identity sequence past the copied ids. */
static int reset_identities(PGconn *c, char **err)
{
	PGresult *r = PQexec(c, "SELECT table_name FROM information_schema.columns WHERE"
							" column_name = 'id' AND is_identity = 'YES' AND"
							" table_schema = current_schema()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		*err = xasprintf("cannot list identity columns: %s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	int rc = 0;
	for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
		const char *t = PQgetvalue(r, i, 0);
		char *q = xasprintf("SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'),"
							" (SELECT coalesce(max(id), 0) + 1 FROM \"%s\"), false)",
							t, t);
		rc = run(c, q, err);
		free(q);
	}
	PQclear(r);
	return rc;
}

/* The copy itself inside one transaction on c. */
static int import_into(PGconn *c, sqlite3 *h, char **tables, char **err)
{
	if (run(c, "BEGIN", err) || target_empty(c, tables, err))
		return -1;
	/* Seeded rows go, children first (the reverse of creation order). */
	size_t n = 0;
	while (tables[n])
		n++;
	for (size_t i = n; i-- > 0;) {
		if (!is_seeded(tables[i]))
			continue;
		char *q = xasprintf("DELETE FROM \"%s\"", tables[i]);
		int rc = run(c, q, err);
		free(q);
		if (rc)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		long rows = copy_table(c, h, tables[i], err);
		if (rows < 0)
			return -1;
		log_info("import: %s: %ld rows", tables[i], rows);
	}
	if (reset_identities(c, err) || run(c, "COMMIT", err))
		return -1;
	/* Fresh statistics, or the planner guesses on empty tables until autovacuum runs. */
	return run(c, "ANALYZE", err);
}

int store_pg_import(const char *target, const char *sqlite_path, char **err)
{
	void *pool = store_driver_postgresql.open(target, err); /* migrates the target */
	if (!pool)
		return -1;
	store_driver_postgresql.close(pool);
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(sqlite_path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot open %s: %s", sqlite_path, h ? sqlite3_errmsg(h) : "no memory");
		sqlite3_close(h);
		return -1;
	}
	sqlite3_stmt *st;
	int have = 0;
	if (sqlite3_prepare_v2(h, "SELECT max(version) FROM schema_version", -1, &st, NULL) ==
		SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			have = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	int want = store_driver_postgresql.schema_latest();
	if (have != want) {
		*err = xasprintf("%s has schema version %d, this zorgd %d: open it once with "
						 "'zorgd --db %s' (or a matching zorgd) before importing",
						 sqlite_path, have, want, sqlite_path);
		sqlite3_close(h);
		return -1;
	}
	char *e = NULL;
	PGconn *c = PQconnectdb(target);
	char **tables = source_tables(h);
	int rc = -1;
	if (PQstatus(c) != CONNECTION_OK)
		e = xasprintf("cannot connect to PostgreSQL: %s", PQerrorMessage(c));
	else if (!tables[0])
		e = xasprintf("%s has no tables", sqlite_path);
	else
		rc = import_into(c, h, tables, &e);
	if (rc)
		*err = e;
	free_list(tables);
	PQfinish(c);
	sqlite3_close(h);
	return rc;
}
