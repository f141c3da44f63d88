/* Unit tests for src/client/replica.c: file creation and mode, migrations, setting aside damaged,
 * too-new and foreign files, applying change-feed pages, meta values and wiping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "client/model.h"
#include "client/replica.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROFILE "coordinator@127.0.0.1_8443"

/* The temporary directory of the running test and the replica path inside it. */
static char tmpdir[64];
static char dbpath[128];

/* Make a fresh temporary directory for one test. */
static int setup_tmp(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/test_replica.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/replica.db", tmpdir);
	return 0;
}

/* Remove the temporary directory and every file in it. */
static int teardown_tmp(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[512];
			snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	return rmdir(tmpdir) == 0 ? 0 : -1;
}

/* True when a file whose name starts with prefix exists in the temporary directory. */
static bool file_with_prefix(const char *prefix)
{
	DIR *d = opendir(tmpdir);
	bool found = false;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			found = true;
	if (d)
		closedir(d);
	return found;
}

/* Open the test replica, asserting success and the expected reason. */
static struct replica *open_expect(const char *profile, enum replica_rebuild want)
{
	enum replica_rebuild why = (enum replica_rebuild)-1;
	char *err = NULL;
	struct replica *r = replica_open(dbpath, profile, &why, &err);
	if (!r)
		fail_msg("replica_open(%s): %s", dbpath, err ? err : "(no message)");
	assert_null(err);
	assert_int_equal(why, want);
	return r;
}

/* One integer from a single-value query. */
static int64_t query_int(struct replica *r, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(r->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One text value from a single-value query (caller frees), or NULL when there is no row. */
static char *query_text(struct replica *r, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(r->db, sql, -1, &st, NULL), SQLITE_OK);
	char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* A first-sync page as zorgd's change feed sends it: two locations, a team, three clients. */
static const char page1[] =
	"{\"changes\":["
	"{\"type\":\"location\",\"id\":5,\"rev\":1,\"deleted\":false,"
	" \"data\":{\"id\":5,\"parent_id\":null,\"name\":\"Utrecht\",\"kind\":\"region\"}},"
	"{\"type\":\"location\",\"id\":6,\"rev\":2,\"deleted\":false,"
	" \"data\":{\"id\":6,\"parent_id\":5,\"name\":\"Amersfoort\",\"kind\":\"team\"}},"
	"{\"type\":\"team\",\"id\":3,\"rev\":3,\"deleted\":false,"
	" \"data\":{\"id\":3,\"location_id\":6,\"name\":\"Team Amersfoort\",\"email\":\"amf@example.nl\","
	"  \"phone\":null}},"
	"{\"type\":\"client\",\"id\":1,\"rev\":5,\"deleted\":false,"
	" \"data\":{\"id\":1,\"client_number\":\"C000001\",\"name\":\"Jos\xc3\xa9 van den Berg\","
	"  \"birth_date\":\"1981-05-19\",\"location_id\":5}},"
	"{\"type\":\"client\",\"id\":2,\"rev\":6,\"deleted\":false,"
	" \"data\":{\"id\":2,\"client_number\":\"C000002\",\"name\":\"Fatima el Amrani\","
	"  \"birth_date\":\"1950-01-02\",\"location_id\":6}},"
	"{\"type\":\"client\",\"id\":3,\"rev\":7,\"deleted\":false,"
	" \"data\":{\"id\":3,\"client_number\":\"C000003\",\"name\":\"Kees de Vries\","
	"  \"birth_date\":\"1944-12-31\",\"location_id\":6}}"
	"],\"next\":7,\"revision\":9}";

/* A later page: client 1 renamed and moved, client 2 deleted, team 3 deleted. */
static const char page2[] =
	"{\"changes\":["
	"{\"type\":\"client\",\"id\":1,\"rev\":8,\"deleted\":false,"
	" \"data\":{\"id\":1,\"client_number\":\"C000001\",\"name\":\"Jos\xc3\xa9 van den Berg-Smit\","
	"  \"birth_date\":\"1981-05-19\",\"location_id\":6}},"
	"{\"type\":\"client\",\"id\":2,\"rev\":9,\"deleted\":true},"
	"{\"type\":\"team\",\"id\":3,\"rev\":10,\"deleted\":true}"
	"],\"next\":10,\"revision\":10}";

/* Parse page text and apply its changes; returns apply's result, *clients the count. */
static int apply_text(struct replica *r, const char *text, int64_t now, int *clients)
{
	cJSON *j = cJSON_Parse(text);
	assert_non_null(j);
	const cJSON *changes = cJSON_GetObjectItemCaseSensitive(j, "changes");
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next");
	assert_non_null(changes);
	assert_non_null(next);
	int rc = replica_apply_page(r, changes, (int64_t)next->valuedouble, now, clients, NULL);
	cJSON_Delete(j);
	return rc;
}

/* A fresh path gives a new file, readable and writable by its owner only. */
static void test_open_new_mode_0600(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	struct stat sb;
	assert_int_equal(stat(dbpath, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(query_int(r, "PRAGMA user_version"), replica_latest_version());
	assert_int_equal(replica_since(r), 0);
	assert_int_equal(replica_synced_at(r), 0);
	/* The write-ahead log (where new rows land first) is private too. */
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	if (stat(wal, &sb) == 0)
		assert_int_equal(sb.st_mode & 0777, 0600);
	replica_close(&r);
	assert_null(r);
}

/* Migrations run from version 0 up to the latest, and again are a no-op. */
static void test_migrate_from_zero(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	char *err = NULL;
	assert_int_equal(replica_migrate(db, 0, &err), 0);
	struct replica tmp = {db, NULL};
	assert_int_equal(query_int(&tmp, "PRAGMA user_version"), 0);
	int latest = replica_latest_version();
	assert_true(latest >= 1);
	assert_int_equal(replica_migrate(db, latest, &err), 0);
	assert_null(err);
	assert_int_equal(query_int(&tmp, "PRAGMA user_version"), latest);
	static const char *const tables[] = {"meta", "locations", "teams", "clients"};
	for (size_t i = 0; i < 4; i++) {
		char sql[128];
		snprintf(sql, sizeof sql,
				 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", tables[i]);
		assert_int_equal(query_int(&tmp, sql), 1);
	}
	/* Migrating an up-to-date handle again changes nothing and does not fail. */
	assert_int_equal(replica_migrate(db, latest, &err), 0);
	assert_int_equal(query_int(&tmp, "PRAGMA user_version"), latest);
	sqlite3_close(db);
}

/* The clients table holds list fields only: never a BSN column. */
static void test_no_bsn_column(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(r->db, "PRAGMA table_info(clients)", -1, &st, NULL), SQLITE_OK);
	int cols = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		cols++;
		if (strstr(name, "bsn"))
			fail_msg("the replica's clients table has a column '%s'", name);
	}
	sqlite3_finalize(st);
	assert_true(cols > 0);
	replica_close(&r);
}

/* A BSN sent along in feed data never reaches the replica's files. */
static void test_bsn_never_on_disk(void **state)
{
	(void)state;
	static const char page[] =
		"{\"changes\":[{\"type\":\"client\",\"id\":9,\"rev\":1,\"deleted\":false,"
		" \"data\":{\"id\":9,\"client_number\":\"C000009\",\"name\":\"Anna Jansen\","
		"  \"birth_date\":\"1930-03-03\",\"location_id\":5,\"bsn\":\"987654329\"}}],\"next\":1}";
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page, 1000, &n), 0);
	assert_int_equal(n, 1);
	replica_close(&r);
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", dbpath, suffix[i]);
		FILE *f = fopen(p, "rb");
		if (!f)
			continue;
		static char buf[1 << 20];
		size_t len = fread(buf, 1, sizeof buf, f);
		fclose(f);
		assert_null(memmem(buf, len, "987654329", 9));
	}
}

/* A page upserts locations, teams and clients, sets since and synced_at, counts clients. */
static void test_apply_page(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = -1;
	assert_int_equal(apply_text(r, page1, 1700000000, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(replica_since(r), 7);
	assert_int_equal(replica_synced_at(r), 1700000000);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients"), 3);
	assert_int_equal(query_int(r, "SELECT count(*) FROM locations"), 2);
	assert_int_equal(query_int(r, "SELECT count(*) FROM teams"), 1);
	char *name = query_text(r, "SELECT name FROM clients WHERE id = 1");
	assert_string_equal(name, "Jos\xc3\xa9 van den Berg");
	free(name);
	char *fold = query_text(r, "SELECT fold FROM clients WHERE id = 1");
	assert_string_equal(fold, "jose van den berg");
	free(fold);
	char *num = query_text(r, "SELECT client_number || '|' || birth_date FROM clients WHERE id = 1");
	assert_string_equal(num, "C000001|1981-05-19");
	free(num);
	assert_int_equal(query_int(r, "SELECT location_id FROM clients WHERE id = 1"), 5);
	assert_int_equal(query_int(r, "SELECT location_id FROM teams WHERE id = 3"), 6);
	assert_int_equal(query_int(r, "SELECT parent_id IS NULL FROM locations WHERE id = 5"), 1);
	assert_int_equal(query_int(r, "SELECT parent_id FROM locations WHERE id = 6"), 5);

	/* The next page updates client 1 and deletes client 2 and team 3. */
	assert_int_equal(apply_text(r, page2, 1700000100, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(replica_since(r), 10);
	assert_int_equal(replica_synced_at(r), 1700000100);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients"), 2);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients WHERE id = 2"), 0);
	assert_int_equal(query_int(r, "SELECT count(*) FROM teams"), 0);
	name = query_text(r, "SELECT name FROM clients WHERE id = 1");
	assert_string_equal(name, "Jos\xc3\xa9 van den Berg-Smit");
	free(name);
	assert_int_equal(query_int(r, "SELECT location_id FROM clients WHERE id = 1"), 6);
	replica_close(&r);
}

/* Applying the same page twice leaves the same rows. */
static void test_apply_idempotent(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	assert_int_equal(apply_text(r, page2, 1001, &n), 0);
	char *before = query_text(r, "SELECT group_concat(id || ':' || name || ':' || location_id, ';')"
								 " FROM (SELECT * FROM clients ORDER BY id)");
	assert_int_equal(apply_text(r, page2, 1002, &n), 0);
	assert_int_equal(n, 2);
	char *after = query_text(r, "SELECT group_concat(id || ':' || name || ':' || location_id, ';')"
								" FROM (SELECT * FROM clients ORDER BY id)");
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(query_int(r, "SELECT count(*) FROM locations"), 2);
	assert_int_equal(replica_since(r), 10);
	replica_close(&r);
}

/* An item of a type this build does not know is skipped; the rest of the page applies. */
static void test_apply_unknown_type(void **state)
{
	(void)state;
	static const char page[] =
		"{\"changes\":["
		"{\"type\":\"invoice\",\"id\":77,\"rev\":1,\"deleted\":false,\"data\":{\"id\":77,\"total\":5}},"
		"{\"type\":\"client\",\"id\":4,\"rev\":2,\"deleted\":false,"
		" \"data\":{\"id\":4,\"client_number\":\"C000004\",\"name\":\"Zo\xc3\xab Bakker\","
		"  \"birth_date\":\"2001-07-07\",\"location_id\":5}},"
		"{\"type\":\"invoice\",\"id\":78,\"rev\":3,\"deleted\":true}"
		"],\"next\":3}";
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page, 1000, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients"), 1);
	assert_int_equal(replica_since(r), 3);
	replica_close(&r);
}

/* Closing and reopening keeps the rows and the sync position. */
static void test_reopen_keeps_data(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 4242, &n), 0);
	assert_int_equal(replica_meta_set(r, "me", "{\"id\":1}"), 0);
	replica_close(&r);

	r = open_expect(PROFILE, REPLICA_KEPT);
	assert_int_equal(replica_since(r), 7);
	assert_int_equal(replica_synced_at(r), 4242);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients"), 3);
	char *me = replica_meta_get(r, "me");
	assert_string_equal(me, "{\"id\":1}");
	free(me);
	assert_false(file_with_prefix("replica.db.bad-"));
	replica_close(&r);
}

/* A file of garbage is set aside as path.bad-* and a working replica takes its place. */
static void test_corrupt_set_aside(void **state)
{
	(void)state;
	FILE *f = fopen(dbpath, "wb");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is certainly not an SQLite database file\n", f);
	fclose(f);

	struct replica *r = open_expect(PROFILE, REPLICA_CORRUPT);
	assert_true(file_with_prefix("replica.db.bad-"));
	struct stat sb;
	assert_int_equal(stat(dbpath, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(replica_since(r), 0);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients"), 3);
	replica_close(&r);
	/* The rebuilt file is healthy: opening it again keeps it. */
	r = open_expect(PROFILE, REPLICA_KEPT);
	assert_int_equal(replica_since(r), 7);
	replica_close(&r);
}

/* A file written by a newer build (user_version 99) is set aside, not downgraded. */
static void test_too_new_set_aside(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 99;", NULL,
								  NULL, NULL),
					 SQLITE_OK);
	sqlite3_close(db);

	struct replica *r = open_expect(PROFILE, REPLICA_TOO_NEW);
	assert_true(file_with_prefix("replica.db.bad-"));
	assert_int_equal(query_int(r, "PRAGMA user_version"), replica_latest_version());
	assert_int_equal(query_int(r, "SELECT count(*) FROM sqlite_master WHERE name = 'future'"), 0);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	replica_close(&r);
}

/* A replica written for another server or user is rebuilt empty for this profile. */
static void test_other_profile_rebuilt(void **state)
{
	(void)state;
	struct replica *r = open_expect("nurse@127.0.0.1_8443", REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	replica_close(&r);

	r = open_expect(PROFILE, REPLICA_OTHER_PROFILE);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients"), 0);
	assert_int_equal(replica_since(r), 0);
	char *p = replica_meta_get(r, "profile");
	assert_string_equal(p, PROFILE);
	free(p);
	replica_close(&r);
	/* Now it is this profile's own. */
	r = open_expect(PROFILE, REPLICA_KEPT);
	replica_close(&r);
}

/* Wiping removes the database and its -wal and -shm companions. */
static void test_wipe_removes_files(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	replica_wipe(&r);
	assert_null(r);
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 4; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", dbpath, suffix[i]);
		if (access(p, F_OK) == 0)
			fail_msg("%s still exists after replica_wipe", p);
	}
	/* Wiping nothing is harmless. */
	replica_wipe(&r);
}

/* replica_locations returns every location ordered by name, root with parent 0. */
static void test_locations(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	struct m_location *locs = NULL;
	size_t nl = 0;
	assert_int_equal(replica_locations(r, &locs, &nl), 0);
	assert_int_equal(nl, 2);
	assert_int_equal(locs[0].id, 6);
	assert_string_equal(locs[0].name, "Amersfoort");
	assert_string_equal(locs[0].kind, "team");
	assert_int_equal(locs[0].parent_id, 5);
	assert_int_equal(locs[1].id, 5);
	assert_string_equal(locs[1].name, "Utrecht");
	assert_int_equal(locs[1].parent_id, 0);
	for (size_t i = 0; i < nl; i++)
		m_location_free(&locs[i]);
	free(locs);
	replica_close(&r);
}

/* Meta values round-trip, overwrite, and an unknown key reads as NULL. */
static void test_meta_round_trip(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	assert_null(replica_meta_get(r, "nothing-here"));
	assert_int_equal(replica_meta_set(r, "me", "{\"name\":\"Jos\xc3\xa9\"}"), 0);
	char *v = replica_meta_get(r, "me");
	assert_string_equal(v, "{\"name\":\"Jos\xc3\xa9\"}");
	free(v);
	assert_int_equal(replica_meta_set(r, "me", "second"), 0);
	v = replica_meta_get(r, "me");
	assert_string_equal(v, "second");
	free(v);
	replica_touch(r, 123456);
	assert_int_equal(replica_synced_at(r), 123456);
	replica_close(&r);
}

/* PRAGMA quick_check (which reads every page) runs only after a session that did not close
 * the replica: damage to an index page is then found and the file set aside. A clean close
 * clears the mark, so a warm start does not pay for the check. */
static void test_unclean_exit_checked(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	assert_int_equal(query_int(r, "SELECT value FROM meta WHERE key = 'open'"), 1);
	replica_close(&r);
	r = open_expect(PROFILE, REPLICA_KEPT);
	int page = query_int(r, "SELECT rootpage FROM sqlite_master WHERE name = 'clients_list'");
	int size = query_int(r, "PRAGMA page_size");
	assert_true(page > 1 && size >= 512);
	/* A crash: the handle goes without replica_close (the mark stays). */
	sqlite3_close(r->db);
	free(r->path);
	free(r);
	FILE *f = fopen(dbpath, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, (long)(page - 1) * size, SEEK_SET), 0);
	for (int i = 0; i < 16; i++)
		fputc(0xff, f);
	fclose(f);
	/* The damaged index page is not read by the checks of every open. */
	r = open_expect(PROFILE, REPLICA_CORRUPT);
	assert_true(file_with_prefix("replica.db.bad-"));
	replica_close(&r);
	r = open_expect(PROFILE, REPLICA_KEPT); /* the rebuilt file, closed cleanly */
	replica_close(&r);
}

/* A bulk load checkpoints the WAL every 16,000 pages; its end goes back to 1,000 and leaves
 * an empty WAL file. */
static void test_bulk_checkpoints(void **state)
{
	(void)state;
	struct replica *r = open_expect(PROFILE, REPLICA_NEW);
	assert_int_equal(query_int(r, "PRAGMA wal_autocheckpoint"), 1000);
	replica_bulk(r, true);
	assert_int_equal(query_int(r, "PRAGMA wal_autocheckpoint"), 16000);
	int n = 0;
	assert_int_equal(apply_text(r, page1, 1000, &n), 0);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	struct stat sb;
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);
	replica_bulk(r, false);
	assert_int_equal(query_int(r, "PRAGMA wal_autocheckpoint"), 1000);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(query_int(r, "SELECT count(*) FROM clients"), 3);
	replica_bulk(NULL, true); /* no replica: nothing to do */
	replica_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_new_mode_0600, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_migrate_from_zero),
		cmocka_unit_test_setup_teardown(test_no_bsn_column, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_bsn_never_on_disk, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_apply_page, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_apply_idempotent, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_apply_unknown_type, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_corrupt_set_aside, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_unclean_exit_checked, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_bulk_checkpoints, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_too_new_set_aside, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_other_profile_rebuilt, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_wipe_removes_files, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_locations, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_meta_round_trip, setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
