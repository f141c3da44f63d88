/* Unit tests of the bar chart and sparkline arithmetic (ui/widgets/chart.c): scaling,
 * eighths, levels, and the ASCII fallback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "widgets/chart.h"

#include <string.h>

#define FULL "\xe2\x96\x88"
#define HALF "\xe2\x96\x8c"
#define EIGHTH "\xe2\x96\x8f"

static void test_bar_scaling(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(chart_bar_text(10, 10, 4, true, out, sizeof out), 4);
	assert_string_equal(out, FULL FULL FULL FULL);
	assert_int_equal(chart_bar_text(5, 10, 5, true, out, sizeof out), 3); /* 2.5 cells */
	assert_string_equal(out, FULL FULL HALF);
	assert_int_equal(chart_bar_text(1, 1000, 10, true, out, sizeof out), 1); /* a sliver */
	assert_string_equal(out, EIGHTH);
	assert_int_equal(chart_bar_text(0, 10, 10, true, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(chart_bar_text(-3, 10, 10, true, out, sizeof out), 0);
	assert_int_equal(chart_bar_text(20, 10, 3, true, out, sizeof out), 3); /* capped */
	/* ASCII: whole '#' cells, rounded, at least one for a value above zero. */
	assert_int_equal(chart_bar_text(5, 10, 5, false, out, sizeof out), 3);
	assert_string_equal(out, "###");
	assert_int_equal(chart_bar_text(1, 1000, 10, false, out, sizeof out), 1);
	assert_string_equal(out, "#");
	struct chart_bar bars[] = {{"a", 3}, {"b", 12}, {"c", -4}};
	assert_int_equal(chart_max(bars, 3), 12);
	assert_int_equal(chart_max(bars, 0), 1);
}

static void test_sparkline_levels(void **state)
{
	(void)state;
	unsigned char lv[16];
	char out[64];
	double v[] = {0, 1, 2, 3, 4, 5, 6, 7};
	assert_int_equal(sparkline_levels(v, 8, 20, lv), 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(lv[i], i);
	assert_string_equal(sparkline_text(lv, 8, false, out, sizeof out), "_.-~=+*#");
	assert_string_equal(sparkline_text(lv, 8, true, out, sizeof out), "▁▂▃▄▅▆▇█");
	/* Only the last width values are shown, scaled among themselves (from zero). */
	assert_int_equal(sparkline_levels(v, 8, 2, lv), 2);
	assert_int_equal(lv[0], 6);
	assert_int_equal(lv[1], 7);
	double flat[] = {5, 5, 5};
	sparkline_levels(flat, 3, 10, lv);
	assert_int_equal(lv[0], 7); /* scaled from zero: equal non-zero values are full */
	double zero[] = {0, 0};
	sparkline_levels(zero, 2, 10, lv);
	assert_int_equal(lv[1], 0);
	double neg[] = {-2, 0, 2};
	sparkline_levels(neg, 3, 10, lv);
	assert_int_equal(lv[0], 0);
	assert_int_equal(lv[1], 4); /* 3.5 rounds up */
	assert_int_equal(lv[2], 7);
	assert_int_equal(sparkline_levels(v, 0, 10, lv), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bar_scaling),
		cmocka_unit_test(test_sparkline_levels),
	};
	return cmocka_run_group_tests_name("widgets_chart", tests, NULL, NULL);
}
