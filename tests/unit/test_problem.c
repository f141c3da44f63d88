/* Unit tests for problem+json bodies (src/server/problem.c) and the jx_* cJSON helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/server/problem.h"
#include "common/jsonx.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse JSON text that the test itself wrote; fails the test when it does not parse. */
static cJSON *parse(const char *text)
{
	cJSON *o = cJSON_Parse(text);
	assert_non_null(o);
	return o;
}

/* problem_new fills type from the slug, title, numeric status and detail. */
static void test_problem_members(void **state)
{
	(void)state;
	cJSON *p = problem_new(404, "not-found", "Not found", "No client with that number.");
	assert_string_equal(jx_str(p, "type"), "urn:zorgterm:problem:not-found");
	assert_string_equal(jx_str(p, "title"), "Not found");
	assert_string_equal(jx_str(p, "detail"), "No client with that number.");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(p, "status");
	assert_true(cJSON_IsNumber(status));
	assert_int_equal(status->valueint, 404);
	assert_null(cJSON_GetObjectItemCaseSensitive(p, "invalid_params"));
	static const char *const allowed[] = {"type", "title", "status", "detail", NULL};
	assert_null(jx_unknown_member(p, allowed));
	cJSON_Delete(p);
}

/* A NULL detail leaves the detail member out entirely (not null, not ""). */
static void test_problem_no_detail(void **state)
{
	(void)state;
	cJSON *p = problem_new(409, "conflict", "Conflict", NULL);
	assert_null(cJSON_GetObjectItemCaseSensitive(p, "detail"));
	assert_int_equal(cJSON_GetArraySize(p), 3);
	char *text = jx_print(p);
	assert_null(strstr(text, "detail"));
	free(text);
	cJSON_Delete(p);
}

/* problem_add_field appends {name, reason} objects to one invalid_params array. */
static void test_problem_fields(void **state)
{
	(void)state;
	cJSON *p = problem_new(400, "invalid", "Invalid input", "Some fields are invalid.");
	problem_add_field(p, "bsn", "fails the 11-check");
	problem_add_field(p, "postcode", "not a Dutch postcode");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(p, "invalid_params");
	assert_true(cJSON_IsArray(list));
	assert_int_equal(cJSON_GetArraySize(list), 2);
	const cJSON *f0 = cJSON_GetArrayItem(list, 0);
	const cJSON *f1 = cJSON_GetArrayItem(list, 1);
	assert_string_equal(jx_str(f0, "name"), "bsn");
	assert_string_equal(jx_str(f0, "reason"), "fails the 11-check");
	assert_string_equal(jx_str(f1, "name"), "postcode");
	assert_string_equal(jx_str(f1, "reason"), "not a Dutch postcode");
	static const char *const field_members[] = {"name", "reason", NULL};
	assert_null(jx_unknown_member(f0, field_members));
	/* Only one invalid_params member, even after several fields. */
	int n = 0;
	for (const cJSON *m = p->child; m; m = m->next)
		n += strcmp(m->string, "invalid_params") == 0;
	assert_int_equal(n, 1);
	cJSON_Delete(p);
}

/* The serialised problem parses back with the same members. */
static void test_problem_serialises(void **state)
{
	(void)state;
	cJSON *p = problem_new(422, "unprocessable", "Unprocessable", "Quote \" and \xc3\xa9");
	problem_add_field(p, "name", "required");
	char *text = jx_print(p);
	cJSON *back = parse(text);
	assert_string_equal(jx_str(back, "type"), "urn:zorgterm:problem:unprocessable");
	assert_string_equal(jx_str(back, "detail"), "Quote \" and \xc3\xa9");
	int64_t status = 0;
	assert_true(jx_int(back, "status", &status));
	assert_int_equal(status, 422);
	free(text);
	cJSON_Delete(back);
	cJSON_Delete(p);
}

/* jx_unknown_member names the first member outside the allowed list, or NULL. */
static void test_jx_unknown_member(void **state)
{
	(void)state;
	static const char *const allowed[] = {"name", "birth_date", NULL};
	static const char *const none[] = {NULL};
	cJSON *ok = parse("{\"name\":\"a\",\"birth_date\":\"2000-01-01\"}");
	assert_null(jx_unknown_member(ok, allowed));
	cJSON *bad = parse("{\"name\":\"a\",\"bsn\":\"x\",\"zzz\":1}");
	assert_string_equal(jx_unknown_member(bad, allowed), "bsn");
	/* Member names match case-sensitively. */
	cJSON *cased = parse("{\"Name\":\"a\"}");
	assert_string_equal(jx_unknown_member(cased, allowed), "Name");
	cJSON *empty = parse("{}");
	assert_null(jx_unknown_member(empty, none));
	assert_string_equal(jx_unknown_member(ok, none), "name");
	assert_null(jx_unknown_member(NULL, allowed));
	cJSON_Delete(ok);
	cJSON_Delete(bad);
	cJSON_Delete(cased);
	cJSON_Delete(empty);
}

/* jx_int accepts exact integers within +-(2^53 - 1) and nothing else. */
static void test_jx_int(void **state)
{
	(void)state;
	cJSON *o = parse("{\"a\":42,\"neg\":-7,\"zero\":0,\"frac\":1.5,\"str\":\"12\","
					 "\"big\":1152921504606846976,\"max\":9007199254740991,"
					 "\"over\":9007199254740993,\"exp\":1e3,\"huge\":1e400,"
					 "\"t\":true,\"n\":null,\"arr\":[1]}");
	int64_t v = -1;
	assert_true(jx_int(o, "a", &v));
	assert_int_equal(v, 42);
	assert_true(jx_int(o, "neg", &v));
	assert_int_equal(v, -7);
	assert_true(jx_int(o, "zero", &v));
	assert_int_equal(v, 0);
	assert_true(jx_int(o, "max", &v));
	assert_int_equal(v, INT64_C(9007199254740991));
	assert_true(jx_int(o, "exp", &v));
	assert_int_equal(v, 1000);
	v = 99;
	assert_false(jx_int(o, "frac", &v));
	assert_false(jx_int(o, "str", &v));
	assert_false(jx_int(o, "big", &v)); /* 2^60 */
	assert_false(jx_int(o, "over", &v));
	assert_false(jx_int(o, "huge", &v));
	assert_false(jx_int(o, "t", &v));
	assert_false(jx_int(o, "n", &v));
	assert_false(jx_int(o, "arr", &v));
	assert_false(jx_int(o, "missing", &v));
	assert_int_equal(v, 99); /* untouched on failure */
	cJSON_Delete(o);
}

/* jx_str and jx_bool return only values of their own type. */
static void test_jx_str_bool(void **state)
{
	(void)state;
	cJSON *o = parse("{\"s\":\"x\",\"e\":\"\",\"n\":1,\"t\":true,\"f\":false,\"z\":null}");
	assert_string_equal(jx_str(o, "s"), "x");
	assert_string_equal(jx_str(o, "e"), "");
	assert_null(jx_str(o, "n"));
	assert_null(jx_str(o, "z"));
	assert_null(jx_str(o, "missing"));
	bool b = false;
	assert_true(jx_bool(o, "t", &b));
	assert_true(b);
	assert_true(jx_bool(o, "f", &b));
	assert_false(b);
	assert_false(jx_bool(o, "n", &b));
	assert_false(jx_bool(o, "s", &b));
	assert_false(jx_bool(o, "z", &b));
	cJSON_Delete(o);
}

/* jx_add_str writes null for NULL and jx_add_int writes an exact integer. */
static void test_jx_add(void **state)
{
	(void)state;
	cJSON *o = cJSON_CreateObject();
	jx_add_str(o, "a", "x");
	jx_add_str(o, "b", NULL);
	jx_add_int(o, "c", INT64_C(4503599627370496));
	char *text = jx_print(o);
	assert_string_equal(text, "{\"a\":\"x\",\"b\":null,\"c\":4503599627370496}");
	free(text);
	cJSON_Delete(o);
}

/* jx_print (zorgd's own writer) writes exactly what cJSON_PrintUnformatted writes. */
static void test_jx_print_like_cjson(void **state)
{
	(void)state;
	static const char doc[] =
		"{\"s\":\"q\\\" b\\\\ \\/ \\b\\f\\n\\r\\t \\u0001\\u001f \xc3\xa9\\u2028\","
		"\"n\":[0,-0,1,-1,2147483647,2147483648,-2147483649,999999999999999,1e15,1e300,"
		"0.1,1.5,-2.25,3.141592653589793,1e-7,123456789.123],"
		"\"o\":{\"\":{},\"a\":[],\"t\":true,\"f\":false,\"z\":null},\"k\\n\":[[1],[{}]]}";
	cJSON *o = cJSON_Parse(doc);
	assert_non_null(o);
	char *ours = jx_print(o), *theirs = cJSON_PrintUnformatted(o);
	assert_string_equal(ours, theirs);
	free(ours);
	cJSON_free(theirs);
	cJSON_Delete(o);
}

/* A document far past jx_print's first 1 KiB, plain and escaped strings mixed: the same
 * text as cJSON's, so the buffer grows without losing or repeating a byte. */
static void test_jx_print_large_like_cjson(void **state)
{
	(void)state;
	cJSON *o = cJSON_CreateArray();
	char s[64];
	for (int i = 0; i < 600; i++) {
		snprintf(s, sizeof s, i % 7 ? "client %d van de lijst" : "quote \" %d\ttab", i);
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, i % 5 ? "name" : "na\"me", s);
		cJSON_AddNumberToObject(m, "id", i);
		cJSON_AddItemToArray(o, m);
	}
	char *ours = jx_print(o), *theirs = cJSON_PrintUnformatted(o);
	assert_true(strlen(ours) > 20000);
	assert_string_equal(ours, theirs);
	free(ours);
	cJSON_free(theirs);
	cJSON_Delete(o);
}

/* jx_time writes RFC 3339 UTC and jx_parse_time reads it back exactly. */
static void test_jx_time_round_trip(void **state)
{
	(void)state;
	static const int64_t times[] = {0, 951782400 /* 2000-02-29 */, 1795255200, 4102444799};
	char buf[32];
	jx_time(1795255200, buf);
	assert_string_equal(buf, "2026-11-21T10:00:00Z");
	jx_time(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		int64_t back = -1;
		jx_time(times[i], buf);
		assert_int_equal(strlen(buf), 20);
		assert_true(jx_parse_time(buf, &back));
		assert_int_equal(back, times[i]);
	}
	int64_t t = 0;
	assert_true(jx_parse_time("2024-02-29T23:59:59Z", &t));
	assert_int_equal(t, INT64_C(1709251199));
}

/* Garbage, other offsets, lower case separators and missing parts are refused. */
static void test_jx_parse_time_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"garbage",
		"2026-11-21",
		"2026-11-21T10:00:00",
		"2026-11-21T10:00:00+01:00",
		"2026-11-21T10:00:00.5Z",
		"2026-11-21t10:00:00z",
		"2026-11-21 10:00:00Z",
		"2026-11-21T10:00:00ZZ",
		"2026-13-21T10:00:00Z",
		"2026-00-21T10:00:00Z",
		"2026-11-00T10:00:00Z",
		"2026-11-21T25:00:00Z",
		"2026-11-21T10:61:00Z",
		"x026-11-21T10:00:00Z",
		"-026-11-21T10:00:00Z",
		NULL,
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 77;
		assert_false(jx_parse_time(bad[i], &t));
		assert_int_equal(t, 77);
	}
}

/* Only what jx_time can write is accepted: impossible dates and padded fields are malformed. */
static void test_jx_parse_time_strict(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2026-02-30T10:00:00Z", /* no 30 February */
		"2026-04-31T10:00:00Z", /* no 31 April */
		"2026-11- 1T10:00:00Z", /* space instead of a digit */
		" 026-11-21T10:00:00Z",
		"2026-11-21T10: 0:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 77;
		if (jx_parse_time(bad[i], &t)) {
			char again[32];
			jx_time(t, again);
			fail_msg("jx_parse_time accepted '%s' as %s", bad[i], again);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_problem_members),
		cmocka_unit_test(test_problem_no_detail),
		cmocka_unit_test(test_problem_fields),
		cmocka_unit_test(test_problem_serialises),
		cmocka_unit_test(test_jx_unknown_member),
		cmocka_unit_test(test_jx_int),
		cmocka_unit_test(test_jx_str_bool),
		cmocka_unit_test(test_jx_add),
		cmocka_unit_test(test_jx_print_like_cjson),
		cmocka_unit_test(test_jx_print_large_like_cjson),
		cmocka_unit_test(test_jx_time_round_trip),
		cmocka_unit_test(test_jx_parse_time_garbage),
		cmocka_unit_test(test_jx_parse_time_strict),
	};
	return cmocka_run_group_tests_name("problem", tests, NULL, NULL);
}
