/* Unit tests of replica_reconcile: what the server no longer lists leaves the replica; and
 * of visible_parse, which reads GET /api/v1/visible's answer without a JSON tree. */
#include "client/replica.h"
#include "client/visible.h"
#include "common/alloc.h"

#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char path[64];

/* A replica with clients 1..4, orders 10, 11 and registration 20, at revision 50. */
static int setup(void **state)
{
	snprintf(path, sizeof path, "/tmp/zt-reconcile-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	enum replica_rebuild why;
	char *err = NULL;
	struct replica *r = replica_open(path, "u@h", &why, &err);
	if (!r)
		return -1;
	struct buf b = {0};
	buf_puts(&b, "[");
	for (int i = 1; i <= 4; i++)
		buf_printf(&b, "%s{\"type\":\"client\",\"id\":%d,\"rev\":%d,\"deleted\":false,\"data\":{\"id\":%d,"
					   "\"client_number\":\"C%06d\",\"name\":\"Naam %d\",\"birth_date\":null,"
					   "\"location_id\":5}}",
				   i > 1 ? "," : "", i, i, i, i, i);
	buf_puts(&b, ",{\"type\":\"hct_order\",\"id\":10,\"rev\":5,\"deleted\":false,\"data\":{\"id\":10,"
				 "\"client_id\":1,\"status\":\"OPEN\"}}");
	buf_puts(&b, ",{\"type\":\"hct_order\",\"id\":11,\"rev\":6,\"deleted\":false,\"data\":{\"id\":11,"
				 "\"client_id\":2,\"status\":\"OPEN\"}}");
	buf_puts(&b, ",{\"type\":\"hct_registration\",\"id\":20,\"rev\":7,\"deleted\":false,\"data\":{"
				 "\"id\":20,\"client_id\":2,\"serial\":\"S\",\"start_date\":\"2025-01-01\"}}]");
	cJSON *page = cJSON_Parse(b.data);
	buf_free(&b);
	int clients = 0, hct = 0;
	int rc = replica_apply_page(r, page, 50, 1, &clients, &hct);
	cJSON_Delete(page);
	*state = r;
	return rc;
}

static int teardown(void **state)
{
	struct replica *r = *state;
	replica_wipe(&r);
	return 0;
}

/* Count rows of a table. */
static int count(struct replica *r, const char *table)
{
	char *sql = xasprintf("SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	int n = -1;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	free(sql);
	return n;
}

/* Everything not listed goes; the removed client ids are reported. */
static void test_drops_what_is_not_listed(void **state)
{
	struct replica *r = *state;
	const char *body = "{\"revision\":60,\"clients\":[1,3],\"hct_orders\":[10],\"hct_registrations\":[]}";
	struct visible vis, *v = &vis;
	assert_int_equal(visible_parse(body, strlen(body), v), 0);
	int64_t *gone = NULL;
	size_t n = 0;
	assert_int_equal(replica_reconcile(r, v, &gone, &n), 0);
	assert_int_equal(n, 2);
	assert_true((gone[0] == 2 && gone[1] == 4) || (gone[0] == 4 && gone[1] == 2));
	assert_int_equal(count(r, "clients"), 2);
	assert_int_equal(count(r, "hct_orders"), 1);
	assert_int_equal(count(r, "hct_registrations"), 0);
	free(gone);
	/* A second run with the same list changes nothing. */
	assert_int_equal(replica_reconcile(r, v, &gone, &n), 0);
	assert_int_equal(n, 0);
	free(gone);
	visible_free(v);
}

/* A list older than the replica is not applied (rows after it would be lost). */
static void test_skips_an_older_list(void **state)
{
	struct replica *r = *state;
	const char *body = "{\"revision\":40,\"clients\":[],\"hct_orders\":[],\"hct_registrations\":[]}";
	struct visible vis, *v = &vis;
	assert_int_equal(visible_parse(body, strlen(body), v), 0);
	int64_t *gone = NULL;
	size_t n = 0;
	assert_int_equal(replica_reconcile(r, v, &gone, &n), 1);
	assert_int_equal(count(r, "clients"), 4);
	free(gone);
	visible_free(v);
}

/* A malformed answer changes nothing. */
static void test_malformed(void **state)
{
	struct replica *r = *state;
	struct visible v;
	const char *bad[] = {"{\"clients\":[1]}", "{\"revision\":5}", "{\"revision\":5,\"clients\":[1,2}",
						 "{\"revision\":5.5,\"clients\":[]}", "[1,2]", "", "{\"revision\":5,\"clients\":[]} x",
						 "{\"revision\":5,\"clients\":[1,]}", "{\"revision\":99999999999999999999,\"clients\":[]}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (visible_parse(bad[i], strlen(bad[i]), &v) != -1)
			fail_msg("accepted: %s", bad[i]);
	int64_t *gone = NULL;
	size_t n = 0;
	memset(&v, 0, sizeof v); /* no "clients" list */
	assert_int_equal(replica_reconcile(r, &v, &gone, &n), -1);
	assert_int_equal(count(r, "clients"), 4);
}

/* The reader takes white space, skips members and array items it does not need, and keeps
 * ids beyond 2^53 exactly (a double would round them). */
static void test_parse_visible(void **state)
{
	(void)state;
	const char *body = " {\n \"note\": {\"a\": [1, \"x\\\"]\", null, true]}, \"revision\" : 7 ,"
					   "\"clients\": [ 3 , -4, \"zz\", 9007199254740993 ],\r\n\"hct_orders\":[],"
					   "\"extra\": \"text\"}\n";
	struct visible v;
	assert_int_equal(visible_parse(body, strlen(body), &v), 0);
	assert_int_equal(v.revision, 7);
	size_t n;
	const int64_t *ids = visible_ids(&v, "clients", &n);
	assert_non_null(ids);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], -4);
	assert_true(ids[2] == 9007199254740993ll);
	assert_non_null(visible_ids(&v, "hct_orders", &n));
	assert_int_equal(n, 0);
	assert_null(visible_ids(&v, "hct_registrations", &n));
	visible_free(&v);
	/* Many ids: the list grows. */
	char *big = xmalloc(20 * 5000 + 64);
	size_t len = (size_t)sprintf(big, "{\"revision\":1,\"clients\":[");
	for (int i = 0; i < 5000; i++)
		len += (size_t)sprintf(big + len, "%s%d", i ? "," : "", i * 3);
	len += (size_t)sprintf(big + len, "]}");
	assert_int_equal(visible_parse(big, len, &v), 0);
	ids = visible_ids(&v, "clients", &n);
	assert_int_equal(n, 5000);
	assert_int_equal(ids[4999], 4999 * 3);
	visible_free(&v);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_drops_what_is_not_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skips_an_older_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test(test_parse_visible),
	};
	return cmocka_run_group_tests_name("replica reconciliation", tests, NULL, NULL);
}
