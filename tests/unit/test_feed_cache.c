/* Unit tests for src/server/feed_cache.c: encoded feed objects keyed by (type, id, rev). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "feed_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the cache holds for (type, id, rev), or NULL (caller frees). */
static char *get(int type, int64_t id, int64_t rev)
{
	struct buf b = {0};
	if (!feed_cache_get(type, id, rev, &b))
		return NULL;
	return buf_steal(&b);
}

/* A text comes back only for exactly its key; a newer revision of the object replaces it. */
static void test_key_is_type_id_rev(void **state)
{
	(void)state;
	feed_cache_clear();
	assert_null(get(2, 42, 7));
	feed_cache_put(2, 42, 7, "{\"name\":\"A\"}", 12);
	char *t = get(2, 42, 7);
	assert_string_equal(t, "{\"name\":\"A\"}");
	free(t);
	assert_null(get(2, 42, 8)); /* another version */
	assert_null(get(1, 42, 7)); /* another type */
	assert_null(get(2, 43, 7)); /* another object */
	feed_cache_put(2, 42, 8, "{\"name\":\"B\"}", 12);
	assert_null(get(2, 42, 7));
	t = get(2, 42, 8);
	assert_string_equal(t, "{\"name\":\"B\"}");
	free(t);
	feed_cache_clear();
	assert_null(get(2, 42, 8));
}

/* Appending to a buffer keeps what was there; many objects stay bounded and correct. */
static void test_append_and_many(void **state)
{
	(void)state;
	feed_cache_clear();
	for (int64_t id = 1; id <= 200000; id++) {
		char text[32];
		int n = snprintf(text, sizeof text, "{\"id\":%lld}", (long long)id);
		feed_cache_put(2, id, id + 1000, text, (size_t)n);
	}
	struct buf b = {0};
	buf_puts(&b, "x:");
	int hits = 0;
	for (int64_t id = 1; id <= 200000; id++) {
		size_t before = b.len;
		if (!feed_cache_get(2, id, id + 1000, &b))
			continue;
		hits++;
		char want[32];
		snprintf(want, sizeof want, "{\"id\":%lld}", (long long)id);
		assert_int_equal(b.len - before, strlen(want));
		assert_memory_equal(b.data + before, want, strlen(want));
	}
	assert_true(hits > 0 && hits <= 65536);
	assert_memory_equal(b.data, "x:", 2);
	buf_free(&b);
	feed_cache_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_is_type_id_rev),
		cmocka_unit_test(test_append_and_many),
	};
	return cmocka_run_group_tests_name("feed_cache", tests, NULL, NULL);
}
