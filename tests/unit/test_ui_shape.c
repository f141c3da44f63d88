/* Unit tests of issue 7's pieces without a terminal: list positions and column layout,
 * problem slugs, the feed-type table, the screen registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "client/feed.h"
#include "client/problem.h"
#include "screen.h"
#include "widgets/list.h"

#include <string.h>

/* Columns get their wish when it fits; the lowest priority gives way first, down to its
 * minimum; what is left goes to the most important column. */
static void test_list_layout(void **state)
{
	(void)state;
	const struct list_col cols[4] = {{9, 9, 5}, {34, 20, 4}, {10, 10, 3}, {30, 12, 1}};
	int w[4];
	list_layout(cols, 4, 78, w);
	assert_int_equal(w[0], 9);
	assert_int_equal(w[1], 34);
	assert_int_equal(w[2], 10);
	assert_int_equal(w[3], 78 - 3 - 9 - 34 - 10);
	list_layout(cols, 4, 60, w);
	assert_int_equal(w[3], 12); /* at its minimum */
	assert_int_equal(w[0] + w[1] + w[2] + w[3] + 3, 60);
	assert_int_equal(w[0], 9);
	list_layout(cols, 4, 120, w);
	assert_int_equal(w[1], 120 - 3 - 9 - 10 - 30); /* the rest goes to the name */
}

/* Navigation keeps the selection inside the list and on screen. */
static void test_list_nav(void **state)
{
	(void)state;
	struct list l = {.n = 100, .height = 10};
	assert_true(list_nav(&l, ACT_DOWN));
	assert_int_equal(l.sel, 1);
	list_nav(&l, ACT_PAGE_DOWN);
	assert_int_equal(l.sel, 10);
	assert_true(l.sel >= l.top && l.sel < l.top + 10);
	list_nav(&l, ACT_BOTTOM);
	assert_int_equal(l.sel, 99);
	assert_int_equal(l.top, 90);
	list_nav(&l, ACT_TOP);
	assert_int_equal(l.sel, 0);
	assert_int_equal(l.top, 0);
	assert_false(list_nav(&l, ACT_OPEN));
	l.n = 0;
	list_nav(&l, ACT_DOWN);
	assert_int_equal(l.sel, 0);
}

/* Slugs map to problems once; every problem has Dutch and English words; unknown slugs
 * are "other", never the server's text. */
static void test_problems(void **state)
{
	(void)state;
	assert_int_equal(problem_from_slug("supplier-unknown"), PROB_SUPPLIER_UNKNOWN);
	assert_int_equal(problem_from_slug("order-state"), PROB_ORDER_STATE);
	assert_int_equal(problem_from_slug("no-such-slug"), PROB_OTHER);
	assert_int_equal(problem_from_slug(NULL), PROB_NONE);
	assert_int_equal(problem_from_status(404), PROB_NOT_FOUND);
	assert_int_equal(problem_from_status(503), PROB_SERVER);
	for (int p = 1; p < PROB__COUNT; p++) {
		assert_true(problem_text((enum problem)p, false)[0] != '\0');
		assert_true(problem_text((enum problem)p, true)[0] != '\0');
		const char *slug = problem_slug((enum problem)p);
		if (slug)
			assert_int_equal(problem_from_slug(slug), p);
	}
}

/* The feed-type table: each wire name once, reconciled types name their visible key. */
static void test_feed_types(void **state)
{
	(void)state;
	assert_int_equal(feed_type_by_wire("client")->type, M_CLIENT);
	assert_int_equal(feed_type_by_wire("hct_order")->event, APP_EV_HCT);
	assert_null(feed_type_by_wire("caren_link"));
	assert_string_equal(feed_type_of(M_CLIENT)->visible, "clients");
	assert_null(feed_type_of(M_LOCATION)->visible);
	for (size_t i = 0; i < feed_type_count(); i++)
		for (size_t j = i + 1; j < feed_type_count(); j++)
			assert_true(strcmp(feed_type_at(i)->wire, feed_type_at(j)->wire) != 0);
}

/* Every registered screen has what the frame needs, and a unique name. */
static void test_registry(void **state)
{
	(void)state;
	for (int i = 0; i < SID__COUNT; i++) {
		const struct screen *s = screen_get((enum screen_id)i);
		assert_non_null(s);
		assert_non_null(s->open);
		assert_non_null(s->close);
		assert_non_null(s->draw);
		assert_non_null(s->key);
		assert_ptr_equal(screen_find(s->name), s);
		assert_true(!s->events || s->reload);
	}
	assert_null(screen_find("nope"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_layout),   cmocka_unit_test(test_list_nav),
		cmocka_unit_test(test_problems),	  cmocka_unit_test(test_feed_types),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
