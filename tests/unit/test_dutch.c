/* Unit tests of the Dutch date and time texts. */
#include "common/dutch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

/* Dates turn around; anything else is kept as it is. */
static void test_date(void **state)
{
	(void)state;
	char out[16];
	assert_string_equal(nl_date("1981-05-19", out), "19-05-1981");
	assert_string_equal(nl_date("2026-11-21T10:00:00Z", out), "21-11-2026");
	assert_string_equal(nl_date("2023-02-30", out), "2023-02-30");
	assert_string_equal(nl_date("onbekend", out), "onbekend");
	assert_string_equal(nl_date(NULL, out), "");
}

/* Times are shown in local time (here Europe/Amsterdam, CET in November, CEST in July). */
static void test_datetime(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	char out[32];
	assert_string_equal(nl_datetime("2026-11-21T09:12:00Z", out), "21-11-2026 10:12");
	assert_string_equal(nl_datetime("2026-07-01T22:30:00Z", out), "02-07-2026 00:30");
	assert_string_equal(nl_datetime("gisteren", out), "gisteren");
	assert_string_equal(nl_datetime(NULL, out), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_datetime),
	};
	return cmocka_run_group_tests_name("Dutch texts", tests, NULL, NULL);
}
