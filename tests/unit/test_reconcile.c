/* Unit tests of replica_reconcile: what the server no longer lists leaves the replica. */
#include "client/replica.h"
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
	cJSON *v = cJSON_Parse("{\"revision\":60,\"clients\":[1,3],\"hct_orders\":[10],\"hct_registrations\":[]}");
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
	cJSON_Delete(v);
}

/* A list older than the replica is not applied (rows after it would be lost). */
static void test_skips_an_older_list(void **state)
{
	struct replica *r = *state;
	cJSON *v = cJSON_Parse("{\"revision\":40,\"clients\":[],\"hct_orders\":[],\"hct_registrations\":[]}");
	int64_t *gone = NULL;
	size_t n = 0;
	assert_int_equal(replica_reconcile(r, v, &gone, &n), 1);
	assert_int_equal(count(r, "clients"), 4);
	free(gone);
	cJSON_Delete(v);
}

/* A malformed answer changes nothing. */
static void test_malformed(void **state)
{
	struct replica *r = *state;
	cJSON *v = cJSON_Parse("{\"clients\":[1]}");
	int64_t *gone = NULL;
	size_t n = 0;
	assert_int_equal(replica_reconcile(r, v, &gone, &n), -1);
	assert_int_equal(count(r, "clients"), 4);
	cJSON_Delete(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_drops_what_is_not_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skips_an_older_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	};
	return cmocka_run_group_tests_name("replica reconciliation", tests, NULL, NULL);
}
