/* libFuzzer target for request-body handling: cJSON parsing followed by the jx_* accessors
 * the handlers use (unknown-member check, typed getters, RFC 3339 times). */
#include "common/jsonx.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with a message when an invariant does not hold; libFuzzer keeps the input. */
#define CHECK(cond)                                                                     \
	do {                                                                                \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                    \
		}                                                                               \
	} while (0)

/* The members a client create/update body may carry. */
static const char *const allowed[] = {"name", "birth_date", "bsn", "location_id", "rev",
									  "active", "since", "updated_at", NULL};

/* True when name is in the allowed list. */
static bool is_allowed(const char *name)
{
	for (size_t i = 0; allowed[i]; i++)
		if (name && strcmp(name, allowed[i]) == 0)
			return true;
	return false;
}

/* jx_unknown_member returns the first member outside the list, or NULL when there is none. */
static void check_unknown(const cJSON *o)
{
	const char *unknown = jx_unknown_member(o, allowed);
	const cJSON *first = NULL;
	for (const cJSON *m = o->child; m; m = m->next) {
		if (!is_allowed(m->string)) {
			first = m;
			break;
		}
	}
	if (!first) {
		CHECK(unknown == NULL);
	} else {
		CHECK(unknown != NULL);
		CHECK(strcmp(unknown, first->string ? first->string : "") == 0);
	}
}

/* A time that parses is a sane Unix time, and its canonical form parses to the same value.
 * (jx_parse_time does not yet insist on the canonical form itself: it accepts 30 February
 * and space-padded fields; tests/unit/test_problem.c asserts that.) */
static void check_time(const char *s)
{
	int64_t t = 0;
	if (!jx_parse_time(s, &t))
		return;
	CHECK(strlen(s) == 20 && s[19] == 'Z');
	CHECK(t > INT64_C(-70000000000) && t < INT64_C(260000000000));
	char canon[32];
	jx_time(t, canon);
	if (strlen(canon) == 20) {
		int64_t back = 0;
		CHECK(jx_parse_time(canon, &back));
		CHECK(back == t);
	}
}

/* The typed getters agree with the parsed values. */
static void check_getters(const cJSON *o)
{
	static const char *const keys[] = {"name", "birth_date", "bsn", "location_id", "rev",
									   "active", "since", "updated_at", "", NULL};
	for (size_t i = 0; keys[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
		const char *s = jx_str(o, keys[i]);
		CHECK((s != NULL) == (cJSON_IsString(v) != 0));
		if (s) {
			CHECK(s == v->valuestring);
			check_time(s);
		}
		int64_t n = 0;
		if (jx_int(o, keys[i], &n)) {
			CHECK(cJSON_IsNumber(v));
			CHECK(n >= -INT64_C(9007199254740991) && n <= INT64_C(9007199254740991));
			CHECK((double)n == v->valuedouble);
		}
		bool b = false;
		bool b2 = true;
		if (jx_bool(o, keys[i], &b)) {
			CHECK(cJSON_IsBool(v));
			CHECK(b == (cJSON_IsTrue(v) != 0));
		} else {
			CHECK(!cJSON_IsBool(v));
			CHECK(!jx_bool(o, keys[i], &b2) && b2);
		}
	}
	/* Every string member, wherever it sits at the top level, goes through the time parser. */
	for (const cJSON *m = o->child; m; m = m->next)
		if (cJSON_IsString(m))
			check_time(m->valuestring);
}

/* Printing and parsing again is stable. */
static void check_print(const cJSON *o)
{
	char *text = jx_print(o);
	cJSON *again = cJSON_Parse(text);
	CHECK(again != NULL);
	char *text2 = jx_print(again);
	CHECK(strcmp(text, text2) == 0);
	free(text2);
	cJSON_Delete(again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that cJSON reading past the length is caught by ASan. */
	char *raw = malloc(size ? size : 1);
	if (size)
		memcpy(raw, data, size);
	cJSON *o = cJSON_ParseWithLength(raw, size);
	free(raw);

	/* The whole input as a string, too, for the time parser. */
	char *s = malloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	check_time(s);
	free(s);

	if (!o)
		return 0;
	check_unknown(o);
	check_getters(o);
	check_print(o);
	cJSON_Delete(o);
	return 0;
}
