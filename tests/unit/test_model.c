/* Unit tests for src/client/model.c: parsing the staff API's JSON (/me, clients, feed entries
 * and pages, problem details) and building the login body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "client/model.h"

#include <stdlib.h>
#include <string.h>

/* Parse literal JSON, asserting it is well-formed. */
static cJSON *parse(const char *text)
{
	cJSON *j = cJSON_Parse(text);
	if (!j)
		fail_msg("bad test JSON: %s", text);
	return j;
}

/* A /me document as zorgd sends it, tasks in no particular order. */
static const char me_json[] =
	"{\"id\":12,\"username\":\"coordinator\",\"name\":\"Chlo\xc3\xab de Wit\","
	"\"registration_number\":\"REG-0012\",\"email\":\"chloe@example.nl\","
	"\"team\":{\"id\":3,\"name\":\"Team Amersfoort\"},\"organisation\":\"Zorg Thuis Utrecht\","
	"\"roles\":[\"coordinator\",\"nurse\"],\"scope\":[5,6,7],"
	"\"tasks\":[\"client.view\",\"client.bsn.view\",\"caseload.view\",\"client.edit\"]}";

/* /me parses completely, tasks sorted, and m_me_has_task finds exactly the held tasks. */
static void test_me(void **state)
{
	(void)state;
	cJSON *j = parse(me_json);
	struct m_me m;
	assert_true(m_me_parse(j, &m));
	cJSON_Delete(j);
	assert_int_equal(m.id, 12);
	assert_string_equal(m.username, "coordinator");
	assert_string_equal(m.name, "Chlo\xc3\xab de Wit");
	assert_string_equal(m.registration_number, "REG-0012");
	assert_string_equal(m.organisation, "Zorg Thuis Utrecht");
	assert_int_equal(m.team_id, 3);
	assert_string_equal(m.team_name, "Team Amersfoort");
	assert_int_equal(m.nroles, 2);
	assert_string_equal(m.roles[0], "coordinator");
	assert_int_equal(m.nscope, 3);
	assert_int_equal(m.scope[2], 7);
	assert_int_equal(m.ntasks, 4);
	assert_string_equal(m.tasks[0], "caseload.view");
	assert_string_equal(m.tasks[1], "client.bsn.view");
	assert_string_equal(m.tasks[2], "client.edit");
	assert_string_equal(m.tasks[3], "client.view");
	assert_true(m_me_has_task(&m, "client.bsn.view"));
	assert_true(m_me_has_task(&m, "caseload.view"));
	assert_true(m_me_has_task(&m, "client.view"));
	assert_false(m_me_has_task(&m, "client"));
	assert_false(m_me_has_task(&m, "staff.edit"));
	assert_false(m_me_has_task(&m, ""));
	m_me_free(&m);
	assert_null(m.tasks);
	assert_false(m_me_has_task(&m, "client.view"));
}

/* A user without a team, roles, scope or tasks still parses; missing required fields fail. */
static void test_me_minimal_and_bad(void **state)
{
	(void)state;
	cJSON *j = parse("{\"id\":1,\"username\":\"u\",\"name\":\"U\",\"team\":null}");
	struct m_me m;
	assert_true(m_me_parse(j, &m));
	cJSON_Delete(j);
	assert_int_equal(m.team_id, 0);
	assert_null(m.team_name);
	assert_int_equal(m.ntasks, 0);
	assert_int_equal(m.nscope, 0);
	assert_false(m_me_has_task(&m, "client.view"));
	m_me_free(&m);

	static const char *const bad[] = {
		"{\"username\":\"u\",\"name\":\"U\"}",
		"{\"id\":1,\"name\":\"U\"}",
		"{\"id\":1,\"username\":\"u\"}",
		"{\"id\":\"1\",\"username\":\"u\",\"name\":\"U\"}",
		"[]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = parse(bad[i]);
		if (m_me_parse(j, &m))
			fail_msg("m_me_parse accepted %s", bad[i]);
		m_me_free(&m);
		cJSON_Delete(j);
	}
}

/* A full client (GET /clients/{id}) with addresses, contact methods and a BSN. */
static void test_client_full(void **state)
{
	(void)state;
	cJSON *j = parse(
		"{\"id\":1,\"client_number\":\"C000001\",\"name\":\"Jos\xc3\xa9 van den Berg\","
		"\"birth_date\":\"1981-05-19\",\"location_id\":5,\"bsn\":\"123456782\","
		"\"addresses\":["
		"{\"id\":10,\"street\":\"Lange Nieuwstraat\",\"house_number\":12,\"house_number_ext\":\"bis\","
		" \"postcode\":\"3512 PH\",\"city\":\"Utrecht\",\"active\":true},"
		"{\"id\":11,\"street\":\"Oudegracht\",\"house_number\":3,\"house_number_ext\":null,"
		" \"postcode\":\"3511 AB\",\"city\":\"Utrecht\",\"active\":false}],"
		"\"contact_methods\":["
		"{\"id\":20,\"kind\":\"email\",\"value\":\"jose@example.nl\",\"confirmed\":true},"
		"{\"id\":21,\"kind\":\"mobile\",\"value\":\"+31612345678\",\"confirmed\":false}]}");
	struct m_client c;
	assert_true(m_client_parse(j, &c));
	cJSON_Delete(j);
	assert_int_equal(c.id, 1);
	assert_int_equal(c.location_id, 5);
	assert_string_equal(c.client_number, "C000001");
	assert_string_equal(c.name, "Jos\xc3\xa9 van den Berg");
	assert_string_equal(c.birth_date, "1981-05-19");
	assert_string_equal(c.bsn, "123456782");
	assert_int_equal(c.naddresses, 2);
	assert_int_equal(c.addresses[0].id, 10);
	assert_string_equal(c.addresses[0].street, "Lange Nieuwstraat");
	assert_int_equal(c.addresses[0].house_number, 12);
	assert_string_equal(c.addresses[0].house_number_ext, "bis");
	assert_string_equal(c.addresses[0].postcode, "3512 PH");
	assert_string_equal(c.addresses[0].city, "Utrecht");
	assert_true(c.addresses[0].active);
	assert_null(c.addresses[1].house_number_ext);
	assert_false(c.addresses[1].active);
	assert_int_equal(c.ncontacts, 2);
	assert_string_equal(c.contacts[0].kind, "email");
	assert_string_equal(c.contacts[0].value, "jose@example.nl");
	assert_true(c.contacts[0].confirmed);
	assert_string_equal(c.contacts[1].kind, "mobile");
	assert_false(c.contacts[1].confirmed);
	m_client_free(&c);
	assert_null(c.bsn);
	assert_null(c.addresses);
}

/* A summary without BSN (no client.bsn.view task) leaves bsn NULL and no lists. */
static void test_client_summary_no_bsn(void **state)
{
	(void)state;
	cJSON *j = parse("{\"id\":2,\"client_number\":\"C000002\",\"name\":\"Zo\xc3\xab de Vries\","
					 "\"birth_date\":\"1944-12-31\",\"location_id\":6}");
	struct m_client c;
	assert_true(m_client_parse(j, &c));
	cJSON_Delete(j);
	assert_null(c.bsn);
	assert_int_equal(c.naddresses, 0);
	assert_int_equal(c.ncontacts, 0);
	assert_string_equal(c.name, "Zo\xc3\xab de Vries");
	m_client_free(&c);

	/* A client without id, name or number is refused. */
	static const char *const bad[] = {
		"{\"client_number\":\"C1\",\"name\":\"A\"}",
		"{\"id\":3,\"client_number\":\"C1\"}",
		"{\"id\":3,\"name\":\"A\"}",
		"{\"id\":3,\"client_number\":\"C1\",\"name\":null}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = parse(bad[i]);
		if (m_client_parse(j, &c))
			fail_msg("m_client_parse accepted %s", bad[i]);
		m_client_free(&c);
		cJSON_Delete(j);
	}
}

/* Locations (root with null parent) and teams parse. */
static void test_location_team(void **state)
{
	(void)state;
	cJSON *j = parse("{\"id\":5,\"parent_id\":null,\"name\":\"Utrecht\",\"kind\":\"region\"}");
	struct m_location l;
	assert_true(m_location_parse(j, &l));
	cJSON_Delete(j);
	assert_int_equal(l.id, 5);
	assert_int_equal(l.parent_id, 0);
	assert_string_equal(l.name, "Utrecht");
	assert_string_equal(l.kind, "region");
	m_location_free(&l);

	j = parse("{\"id\":3,\"location_id\":6,\"name\":\"Team Oost\",\"email\":\"oost@example.nl\","
			  "\"phone\":null}");
	struct m_team t;
	assert_true(m_team_parse(j, &t));
	cJSON_Delete(j);
	assert_int_equal(t.location_id, 6);
	assert_string_equal(t.email, "oost@example.nl");
	assert_null(t.phone);
	m_team_free(&t);
}

/* Parse one feed entry, asserting success and the fields. */
static void expect_change(const char *text, enum m_type type, int64_t id, int64_t rev, bool deleted)
{
	cJSON *j = parse(text);
	struct m_change c;
	if (!m_change_parse(j, &c))
		fail_msg("m_change_parse refused %s", text);
	assert_int_equal(c.type, type);
	assert_int_equal(c.id, id);
	assert_int_equal(c.rev, rev);
	assert_int_equal(c.deleted, deleted);
	if (deleted)
		assert_null(c.data);
	else
		assert_true(cJSON_IsObject(c.data));
	cJSON_Delete(j);
}

/* Feed entries of every type, deleted ones without data, and unknown types. */
static void test_change(void **state)
{
	(void)state;
	expect_change("{\"type\":\"location\",\"id\":5,\"rev\":1,\"deleted\":false,"
				  "\"data\":{\"id\":5,\"parent_id\":null,\"name\":\"Utrecht\",\"kind\":\"region\"}}",
				  M_LOCATION, 5, 1, false);
	expect_change("{\"type\":\"team\",\"id\":3,\"rev\":2,\"deleted\":false,"
				  "\"data\":{\"id\":3,\"location_id\":6,\"name\":\"Team Oost\"}}",
				  M_TEAM, 3, 2, false);
	expect_change("{\"type\":\"client\",\"id\":1,\"rev\":5,\"deleted\":false,"
				  "\"data\":{\"id\":1,\"client_number\":\"C000001\",\"name\":\"Jos\xc3\xa9 van den Berg\","
				  "\"birth_date\":\"1981-05-19\",\"location_id\":5}}",
				  M_CLIENT, 1, 5, false);
	expect_change("{\"type\":\"client\",\"id\":2,\"rev\":9,\"deleted\":true}", M_CLIENT, 2, 9, true);
	expect_change("{\"type\":\"location\",\"id\":7,\"rev\":10,\"deleted\":true}", M_LOCATION, 7, 10, true);
	expect_change("{\"type\":\"team\",\"id\":4,\"rev\":11,\"deleted\":true}", M_TEAM, 4, 11, true);
	/* A type from a newer server parses as unknown, so it can be skipped. */
	expect_change("{\"type\":\"invoice\",\"id\":8,\"rev\":12,\"deleted\":false,\"data\":{\"id\":8}}",
				  M_UNKNOWN, 8, 12, false);

	static const char *const bad[] = {
		"{\"id\":1,\"rev\":1,\"deleted\":false,\"data\":{}}",
		"{\"type\":\"client\",\"rev\":1,\"deleted\":false,\"data\":{}}",
		"{\"type\":\"client\",\"id\":1,\"deleted\":false,\"data\":{}}",
		"{\"type\":\"client\",\"id\":1,\"rev\":1,\"deleted\":false}",
		"{\"type\":\"client\",\"id\":1,\"rev\":1,\"deleted\":false,\"data\":\"x\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cJSON *j = parse(bad[i]);
		struct m_change c;
		if (m_change_parse(j, &c))
			fail_msg("m_change_parse accepted %s", bad[i]);
		cJSON_Delete(j);
	}
}

/* A page gives its changes, next and revision; revision falls back to next. */
static void test_page(void **state)
{
	(void)state;
	const cJSON *changes;
	int64_t next = -1, revision = -1;
	cJSON *j = parse("{\"changes\":[{\"type\":\"client\",\"id\":2,\"rev\":9,\"deleted\":true}],"
					 "\"next\":9,\"revision\":120}");
	assert_true(m_page_parse(j, &changes, &next, &revision));
	assert_int_equal(cJSON_GetArraySize(changes), 1);
	assert_int_equal(next, 9);
	assert_int_equal(revision, 120);
	cJSON_Delete(j);

	j = parse("{\"changes\":[],\"next\":42}");
	assert_true(m_page_parse(j, &changes, &next, &revision));
	assert_int_equal(cJSON_GetArraySize(changes), 0);
	assert_int_equal(next, 42);
	assert_int_equal(revision, 42);
	cJSON_Delete(j);

	static const char *const bad[] = {
		"{\"changes\":[]}",
		"{\"next\":4}",
		"{\"changes\":{},\"next\":4}",
		"{\"changes\":[],\"next\":\"4\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = parse(bad[i]);
		if (m_page_parse(j, &changes, &next, &revision))
			fail_msg("m_page_parse accepted %s", bad[i]);
		cJSON_Delete(j);
	}
}

/* Problem details: slug from the type URN, detail, and the first invalid field. */
static void test_problem(void **state)
{
	(void)state;
	const char *slug, *detail, *field, *reason;
	cJSON *j = parse(
		"{\"type\":\"urn:zorgterm:problem:invalid-input\",\"title\":\"Invalid input\",\"status\":400,"
		"\"detail\":\"Check the marked fields.\",\"invalid_params\":["
		"{\"name\":\"username\",\"reason\":\"required: a user name of 1 to 64 characters\"},"
		"{\"name\":\"password\",\"reason\":\"required: a password of at most 1024 bytes\"}]}");
	m_problem_parse(j, &slug, &detail, &field, &reason);
	assert_string_equal(slug, "invalid-input");
	assert_string_equal(detail, "Check the marked fields.");
	assert_string_equal(field, "username");
	assert_string_equal(reason, "required: a user name of 1 to 64 characters");
	cJSON_Delete(j);

	j = parse("{\"type\":\"urn:zorgterm:problem:login-throttled\",\"title\":\"Too many attempts\","
			  "\"status\":429,\"detail\":\"Too many failed logins; try again in 30 seconds.\","
			  "\"retry_after\":30}");
	m_problem_parse(j, &slug, &detail, &field, &reason);
	assert_string_equal(slug, "login-throttled");
	assert_null(field);
	assert_null(reason);
	cJSON_Delete(j);

	/* Not one of ours: no slug, and nothing else invented. */
	j = parse("{\"type\":\"about:blank\",\"status\":502,\"invalid_params\":[]}");
	m_problem_parse(j, &slug, &detail, &field, &reason);
	assert_null(slug);
	assert_null(detail);
	assert_null(field);
	assert_null(reason);
	cJSON_Delete(j);
}

/* The login body is valid JSON carrying the exact user name and password, quotes and all. */
static void test_login_body(void **state)
{
	(void)state;
	static const char *const passwords[] = {
		"simple",
		"pa\"ss\\word",
		"\"}, \"username\": \"admin",
		"Z\xc3\xb6\xc3\xab \xe2\x82\xac \t\n/",
		"",
	};
	for (size_t i = 0; i < sizeof passwords / sizeof passwords[0]; i++) {
		char *body = m_login_body("jos\xc3\xa9\"x", passwords[i]);
		assert_non_null(body);
		cJSON *j = cJSON_Parse(body);
		if (!j)
			fail_msg("login body is not JSON: %s", body);
		assert_int_equal(cJSON_GetArraySize(j), 2);
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "username");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "password");
		assert_true(cJSON_IsString(u));
		assert_true(cJSON_IsString(p));
		assert_string_equal(u->valuestring, "jos\xc3\xa9\"x");
		assert_string_equal(p->valuestring, passwords[i]);
		cJSON_Delete(j);
		free(body);
	}
}

/* A login response gives its token and expiry; without a token it is refused. */
static void test_login_response(void **state)
{
	(void)state;
	const char *token, *expires;
	cJSON *j = parse("{\"token\":\"abc123\",\"expires_at\":\"2026-11-21T10:00:00Z\",\"idle_timeout\":900}");
	assert_true(m_login_parse(j, &token, &expires));
	assert_string_equal(token, "abc123");
	assert_string_equal(expires, "2026-11-21T10:00:00Z");
	cJSON_Delete(j);
	j = parse("{\"expires_at\":\"2026-11-21T10:00:00Z\"}");
	assert_false(m_login_parse(j, &token, &expires));
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_me),
		cmocka_unit_test(test_me_minimal_and_bad),
		cmocka_unit_test(test_client_full),
		cmocka_unit_test(test_client_summary_no_bsn),
		cmocka_unit_test(test_location_team),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_problem),
		cmocka_unit_test(test_login_body),
		cmocka_unit_test(test_login_response),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
