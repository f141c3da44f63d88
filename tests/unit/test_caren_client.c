/* Unit tests of zorgterm's Caren side (issue 9): the feed's Caren facts applied to a real
 * replica, statuses derived from them (offline, days counted in Amsterdam), the dashboard's
 * counts, a client's Caren page parsed, and the replica migration that reads the feed again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "client/app.h"
#include "client/model.h"
#include "client/replica.h"
#include "client/views.h"
#include "common/civil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_caren_client.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/replica.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* 2026-11-29 12:00 UTC (a Sunday; 13:00 in Amsterdam). */
#define NOW 1795953600

/* Apply a feed page given as JSON text. */
static void apply(struct replica *r, const char *changes, int64_t next)
{
	cJSON *j = cJSON_Parse(changes);
	assert_non_null(j);
	int n = 0;
	assert_int_equal(replica_apply_page(r, j, next, NOW, &n, NULL), 0);
	cJSON_Delete(j);
}

static const char page[] =
	"[{\"type\":\"location\",\"id\":1,\"rev\":1,\"deleted\":false,\"data\":{\"id\":1,"
	"\"parent_id\":null,\"name\":\"Org\",\"kind\":\"organisation\"}},"
	"{\"type\":\"client\",\"id\":10,\"rev\":2,\"deleted\":false,\"data\":{\"id\":10,"
	"\"client_number\":\"C10\",\"name\":\"Anna\",\"birth_date\":null,\"location_id\":1}},"
	"{\"type\":\"client\",\"id\":11,\"rev\":3,\"deleted\":false,\"data\":{\"id\":11,"
	"\"client_number\":\"C11\",\"name\":\"Bert\",\"birth_date\":null,\"location_id\":1}},"
	"{\"type\":\"client\",\"id\":12,\"rev\":4,\"deleted\":false,\"data\":{\"id\":12,"
	"\"client_number\":\"C12\",\"name\":\"Cor\",\"birth_date\":null,\"location_id\":1}},"
	"{\"type\":\"client\",\"id\":13,\"rev\":5,\"deleted\":false,\"data\":{\"id\":13,"
	"\"client_number\":\"C13\",\"name\":\"Dirk\",\"birth_date\":null,\"location_id\":1}},"
	"{\"type\":\"caren_portal\",\"id\":1,\"rev\":6,\"deleted\":false,\"data\":{\"id\":1,"
	"\"enabled\":true,\"reachable\":true}},"
	"{\"type\":\"caren\",\"id\":10,\"rev\":7,\"deleted\":false,\"data\":{\"id\":10,"
	"\"client_id\":10,\"link_active\":true,\"invitation_valid_until\":null}},"
	"{\"type\":\"caren\",\"id\":11,\"rev\":8,\"deleted\":false,\"data\":{\"id\":11,"
	"\"client_id\":11,\"link_active\":false,\"invitation_valid_until\":\"2027-01-09\"}},"
	"{\"type\":\"caren\",\"id\":12,\"rev\":9,\"deleted\":false,\"data\":{\"id\":12,"
	"\"client_id\":12,\"link_active\":false,\"invitation_valid_until\":\"2026-11-28\"}}]";

/* A core with only a replica and the client index, as the screens see it. */
static void open_app(struct app *a)
{
	memset(a, 0, sizeof *a);
	enum replica_rebuild why;
	char *err = NULL;
	a->rep = replica_open(path, "test", &why, &err);
	assert_non_null(a->rep);
	apply(a->rep, page, 9);
	clients_init(&a->clients);
	assert_int_equal(clients_load(&a->clients, a->rep), 0);
}

static void close_app(struct app *a)
{
	clients_free(&a->clients);
	replica_close(&a->rep);
}

static void test_statuses_from_the_replica(void **state)
{
	(void)state;
	struct app a;
	open_app(&a);
	struct caren_view v;
	assert_true(view_caren(&a, &v));
	assert_true(v.enabled && v.reachable);
	assert_int_equal(v.n, 3);
	assert_int_equal(view_caren_status(&v, 10, NOW).status, CAREN_ACTIVE);
	struct caren_link_status inv = view_caren_status(&v, 11, NOW);
	assert_int_equal(inv.status, CAREN_INVITED);
	assert_int_equal(inv.days_left, 42); /* 29 November to 9 January, both included */
	/* An open invitation past its last day counts as expired before any write says so. */
	assert_int_equal(view_caren_status(&v, 12, NOW).status, CAREN_NOT_LINKED);
	/* A client without any history. */
	assert_int_equal(view_caren_status(&v, 13, NOW).status, CAREN_NOT_LINKED);
	int64_t c[CAREN_STATUS_COUNT], locations;
	view_caren_counts(&v, &a.clients, NOW, c, &locations);
	assert_int_equal(c[CAREN_ACTIVE], 1);
	assert_int_equal(c[CAREN_INVITED], 1);
	assert_int_equal(c[CAREN_NOT_LINKED], 2);
	assert_int_equal(c[CAREN_UNKNOWN], 0);
	assert_int_equal(locations, 1);
	view_caren_free(&v);
	close_app(&a);
}

static void test_unreachable_portal_means_unknown(void **state)
{
	(void)state;
	struct app a;
	open_app(&a);
	apply(a.rep,
		  "[{\"type\":\"caren_portal\",\"id\":1,\"rev\":10,\"deleted\":false,\"data\":{\"id\":1,"
		  "\"enabled\":true,\"reachable\":false}}]",
		  10);
	struct caren_view v;
	assert_true(view_caren(&a, &v));
	assert_int_equal(view_caren_status(&v, 10, NOW).status, CAREN_UNKNOWN);
	int64_t c[CAREN_STATUS_COUNT], locations;
	view_caren_counts(&v, &a.clients, NOW, c, &locations);
	assert_int_equal(c[CAREN_UNKNOWN], 4);
	assert_int_equal(c[CAREN_ACTIVE] + c[CAREN_INVITED] + c[CAREN_NOT_LINKED], 0);
	view_caren_free(&v);
	/* The link ends: the fact changes, the status follows. */
	apply(a.rep,
		  "[{\"type\":\"caren_portal\",\"id\":1,\"rev\":11,\"deleted\":false,\"data\":{\"id\":1,"
		  "\"enabled\":true,\"reachable\":true}},"
		  "{\"type\":\"caren\",\"id\":10,\"rev\":12,\"deleted\":false,\"data\":{\"id\":10,"
		  "\"client_id\":10,\"link_active\":false,\"invitation_valid_until\":null}}]",
		  12);
	assert_true(view_caren(&a, &v));
	assert_int_equal(view_caren_status(&v, 10, NOW).status, CAREN_NOT_LINKED);
	view_caren_free(&v);
	close_app(&a);
}

static void test_page_parse(void **state)
{
	(void)state;
	cJSON *j = cJSON_Parse(
		"{\"status\":\"INVITED\",\"days_left\":42,\"invitations\":[{\"id\":3,"
		"\"created_at\":\"2026-11-29T12:00:00Z\",\"created_by\":\"Noëlle Kuipers\","
		"\"valid_until\":\"2027-01-09\",\"state\":\"OPEN\",\"closed_at\":null,\"closed_by\":null}],"
		"\"links\":[{\"id\":1,\"started_at\":\"2026-10-01T08:00:00Z\","
		"\"ended_at\":\"2026-11-01T08:00:00Z\",\"ended_by\":\"Caren\",\"end_reason\":null}]}");
	struct m_caren_page p;
	assert_true(m_caren_page_parse(j, 7, &p));
	assert_string_equal(p.status, "INVITED");
	assert_int_equal(p.days_left, 42);
	assert_int_equal(p.ninv, 1);
	assert_string_equal(p.inv[0].state, "OPEN");
	assert_string_equal(p.inv[0].created_by, "Noëlle Kuipers");
	assert_null(p.inv[0].closed_by);
	assert_int_equal(p.nlinks, 1);
	assert_string_equal(p.links[0].ended_by, "Caren");
	assert_null(p.links[0].end_reason);
	m_caren_page_free(&p);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"status\":\"ACTIVE\"}");
	assert_false(m_caren_page_parse(j, 7, &p));
	m_caren_page_free(&p);
	cJSON_Delete(j);
	char *body = m_caren_unlink_body("Verhuisd \"weg\"");
	assert_string_equal(body, "{\"reason\":\"Verhuisd \\\"weg\\\"\"}");
	free(body);
}

/* A replica made before the Caren types reads the feed again from the start. */
static void test_migration_reads_the_feed_again(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	assert_int_equal(replica_migrate(db, 2, &err), 0);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO meta (key, value) VALUES ('since', '500')",
								  NULL, NULL, NULL),
					 SQLITE_OK);
	assert_int_equal(replica_migrate(db, replica_latest_version(), &err), 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'since'", -1, &st,
										NULL),
					 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "0");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses_from_the_replica, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreachable_portal_means_unknown, setup, teardown),
		cmocka_unit_test(test_page_parse),
		cmocka_unit_test_setup_teardown(test_migration_reads_the_feed_again, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
