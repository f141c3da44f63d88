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

/* Dates are typed as they are shown; an impossible date is told apart from a bad shape. */
static void test_date_parse(void **state)
{
	(void)state;
	char iso[11];
	int d, m, y;
	assert_int_equal(nl_date_parse("05-03-2026", iso, &d, &m, &y), NL_DATE_OK);
	assert_string_equal(iso, "2026-03-05");
	assert_int_equal(nl_date_parse("5-3-2026", iso, &d, &m, &y), NL_DATE_OK);
	assert_string_equal(iso, "2026-03-05");
	assert_int_equal(nl_date_parse("29-02-2028", iso, &d, &m, &y), NL_DATE_OK);
	assert_int_equal(nl_date_parse("30-02-2026", iso, &d, &m, &y), NL_DATE_NO_DAY);
	assert_int_equal(d, 30);
	assert_int_equal(m, 2);
	assert_int_equal(y, 2026);
	assert_int_equal(nl_date_parse("29-02-2026", iso, &d, &m, &y), NL_DATE_NO_DAY);
	assert_int_equal(nl_date_parse("31-04-2026", iso, &d, &m, &y), NL_DATE_NO_DAY);
	assert_int_equal(nl_date_parse("2026-03-05", iso, &d, &m, &y), NL_DATE_FORMAT);
	assert_int_equal(nl_date_parse("05-13-2026", iso, &d, &m, &y), NL_DATE_FORMAT);
	assert_int_equal(nl_date_parse("05-03-26", iso, &d, &m, &y), NL_DATE_FORMAT);
	assert_int_equal(nl_date_parse("", iso, &d, &m, &y), NL_DATE_FORMAT);
	assert_int_equal(nl_date_parse("05-03-2026x", iso, &d, &m, &y), NL_DATE_FORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_date_parse),
	};
	return cmocka_run_group_tests_name("Dutch texts", tests, NULL, NULL);
}
