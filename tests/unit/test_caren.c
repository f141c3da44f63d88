/* Unit tests of the Caren link status (common/caren.h), the Amsterdam calendar it counts
 * days in (common/civil.h) and the long Dutch dates of the letter (common/dutch.h). */
#include "common/caren.h"
#include "common/civil.h"
#include "common/dutch.h"
#include "common/text.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

/* UTC Unix seconds of y-m-d h:mi:s UTC. */
static int64_t utc(int y, int m, int d, int h, int mi, int s)
{
	return civil_days_from_ymd(y, m, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* Day numbers and dates agree both ways for every day of 1800..2400; weekdays known. */
static void test_civil_days(void **state)
{
	(void)state;
	assert_int_equal(civil_days_from_ymd(1970, 1, 1), 0);
	assert_int_equal(civil_days_from_ymd(1969, 12, 31), -1);
	assert_int_equal(civil_days_from_ymd(2000, 3, 1) - civil_days_from_ymd(2000, 2, 28), 2);
	assert_int_equal(civil_days_from_ymd(1900, 3, 1) - civil_days_from_ymd(1900, 2, 28), 1);
	int64_t first = civil_days_from_ymd(1800, 1, 1), last = civil_days_from_ymd(2400, 12, 31);
	char buf[16];
	for (int64_t n = first; n <= last; n++) {
		int y, m, d;
		civil_ymd_from_days(n, &y, &m, &d);
		if (civil_days_from_ymd(y, m, d) != n)
			fail_msg("day %lld came back as %04d-%02d-%02d", (long long)n, y, m, d);
		int64_t parsed = 0;
		assert_true(civil_parse_date(civil_format_date(n, buf), &parsed));
		assert_int_equal(parsed, n);
	}
	assert_int_equal(civil_weekday(0), 4); /* Thursday 1 January 1970 */
	assert_int_equal(civil_weekday(civil_days_from_ymd(2027, 1, 9)), 6);
	assert_int_equal(civil_weekday(civil_days_from_ymd(1969, 12, 28)), 0);
	int64_t keep = 77;
	assert_false(civil_parse_date("2027-02-29", &keep));
	assert_false(civil_parse_date("9-1-2027", &keep));
	assert_false(civil_parse_date(NULL, &keep));
	assert_int_equal(keep, 77);
}

/* The changeover instants of 2026 (29 March, 25 October; 01:00 UTC) and the calendar day
 * around Amsterdam midnight on both sides of them. */
static void test_civil_amsterdam(void **state)
{
	(void)state;
	assert_int_equal(civil_ams_offset(utc(2026, 3, 29, 0, 59, 59)), 3600);
	assert_int_equal(civil_ams_offset(utc(2026, 3, 29, 1, 0, 0)), 7200);
	assert_int_equal(civil_ams_offset(utc(2026, 10, 25, 0, 59, 59)), 7200);
	assert_int_equal(civil_ams_offset(utc(2026, 10, 25, 1, 0, 0)), 3600);
	assert_int_equal(civil_ams_offset(utc(2027, 3, 28, 1, 0, 0)), 7200); /* 2027: 28 March */
	assert_int_equal(civil_ams_offset(utc(2027, 3, 27, 1, 0, 0)), 3600);
	/* 23:30 UTC on Saturday 28 March is 00:30 CET on Sunday 29 March. */
	assert_int_equal(civil_ams_today(utc(2026, 3, 28, 23, 30, 0)), civil_days_from_ymd(2026, 3, 29));
	assert_int_equal(civil_ams_today(utc(2026, 3, 28, 22, 59, 59)), civil_days_from_ymd(2026, 3, 28));
	/* 22:30 UTC on Sunday 29 March is 00:30 CEST on Monday 30 March (not 23:30 CET). */
	assert_int_equal(civil_ams_today(utc(2026, 3, 29, 22, 30, 0)), civil_days_from_ymd(2026, 3, 30));
	assert_int_equal(civil_ams_today(utc(2026, 3, 29, 21, 59, 59)), civil_days_from_ymd(2026, 3, 29));
	/* Sunday 25 October: 22:30 UTC on the 24th is 00:30 CEST on the 25th; 23:30 UTC on
	 * the 25th is 00:30 CET on the 26th. */
	assert_int_equal(civil_ams_today(utc(2026, 10, 24, 22, 30, 0)), civil_days_from_ymd(2026, 10, 25));
	assert_int_equal(civil_ams_today(utc(2026, 10, 24, 21, 59, 59)), civil_days_from_ymd(2026, 10, 24));
	assert_int_equal(civil_ams_today(utc(2026, 10, 25, 22, 30, 0)), civil_days_from_ymd(2026, 10, 25));
	assert_int_equal(civil_ams_today(utc(2026, 10, 25, 23, 0, 0)), civil_days_from_ymd(2026, 10, 26));
}

/* The arithmetic agrees with the system's tzdata every 15 minutes from 2020 to 2035. */
static void test_civil_matches_tzdata(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	for (int64_t t = utc(2020, 1, 1, 0, 0, 0); t < utc(2035, 12, 31, 0, 0, 0); t += 900) {
		time_t tt = (time_t)t;
		struct tm tm;
		localtime_r(&tt, &tm);
		int64_t want = civil_days_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		if (civil_ams_offset(t) != tm.tm_gmtoff || civil_ams_today(t) != want)
			fail_msg("at %lld: offset %d (tzdata %ld)", (long long)t, civil_ams_offset(t),
					 tm.tm_gmtoff);
	}
}

/* One row of the status table. */
struct row {
	bool enabled;
	int64_t age, timeout;
	bool link;
	const char *until;
	int64_t now;
	enum caren_status want;
	int days;
};

/* The status derivation, row by row. */
static void test_status_table(void **state)
{
	(void)state;
	const int64_t noon = utc(2026, 11, 29, 12, 0, 0);
	const int64_t dst_in = utc(2026, 3, 29, 22, 30, 0);  /* 00:30 CEST Monday 30 March */
	const int64_t dst_out = utc(2026, 10, 25, 23, 30, 0); /* 00:30 CET Monday 26 October */
	const struct row rows[] = {
		/* not in use, or the portal silent: Onbekend, whatever else holds */
		{false, 5, 600, true, NULL, noon, CAREN_UNKNOWN, -1},
		{false, 5, 600, false, "2027-01-09", noon, CAREN_UNKNOWN, -1},
		{true, 601, 600, true, NULL, noon, CAREN_UNKNOWN, -1},
		{true, 600, 600, true, NULL, noon, CAREN_ACTIVE, -1}, /* exactly the timeout: fresh */
		{true, CAREN_HEARTBEAT_NEVER, 600, false, NULL, noon, CAREN_UNKNOWN, -1},
		{true, CAREN_HEARTBEAT_NEVER, 0, false, NULL, noon, CAREN_NOT_LINKED, -1},
		{true, 86400, 0, true, NULL, noon, CAREN_ACTIVE, -1}, /* timeout 0: not checked */
		/* the link wins over anything open */
		{true, 0, 600, true, "2027-01-09", noon, CAREN_ACTIVE, -1},
		{true, 0, 600, false, NULL, noon, CAREN_NOT_LINKED, -1},
		/* created today with 42 days: 42 days left, 1 on the last day, then expired */
		{true, 0, 600, false, "2027-01-09", noon, CAREN_INVITED, 42},
		{true, 0, 600, false, "2027-01-09", utc(2027, 1, 8, 12, 0, 0), CAREN_INVITED, 2},
		{true, 0, 600, false, "2027-01-09", utc(2027, 1, 9, 0, 0, 0), CAREN_INVITED, 1},
		{true, 0, 600, false, "2027-01-09", utc(2027, 1, 9, 22, 59, 59), CAREN_INVITED, 1},
		{true, 0, 600, false, "2027-01-09", utc(2027, 1, 9, 23, 0, 0), CAREN_NOT_LINKED, -1},
		{true, 0, 600, false, "2027-01-09", utc(2027, 3, 1, 9, 0, 0), CAREN_NOT_LINKED, -1},
		/* summer time starts: last day Monday 30 March, seen at 00:30 CEST that day */
		{true, 0, 600, false, "2026-03-30", dst_in, CAREN_INVITED, 1},
		{true, 0, 600, false, "2026-03-29", dst_in, CAREN_NOT_LINKED, -1},
		{true, 0, 600, false, "2026-04-05", dst_in, CAREN_INVITED, 7},
		/* summer time ends: Monday 26 October 00:30 CET */
		{true, 0, 600, false, "2026-10-25", dst_out, CAREN_NOT_LINKED, -1},
		{true, 0, 600, false, "2026-10-26", dst_out, CAREN_INVITED, 1},
		{true, 0, 600, false, "2026-10-25", utc(2026, 10, 25, 22, 59, 59), CAREN_INVITED, 1},
		/* a stored date we cannot read: we cannot say */
		{true, 0, 600, false, "2027-02-30", noon, CAREN_UNKNOWN, -1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct caren_facts f = {r->enabled, r->age, r->timeout, r->link, r->until, r->now};
		struct caren_link_status s = caren_status_derive(&f);
		if (s.status != r->want || s.days_left != r->days)
			fail_msg("row %zu: %s %d, want %s %d", i, caren_status_wire(s.status), s.days_left,
					 caren_status_wire(r->want), r->days);
	}
}

/* The last valid day of a new invitation, days left and expiry, in Amsterdam days. */
static void test_valid_until(void **state)
{
	(void)state;
	char out[16];
	assert_true(caren_valid_until(utc(2026, 11, 29, 12, 0, 0), 42, out));
	assert_string_equal(out, "2027-01-09");
	/* 23:30 UTC on 28 November is already 29 November in Amsterdam. */
	assert_true(caren_valid_until(utc(2026, 11, 28, 23, 30, 0), 42, out));
	assert_string_equal(out, "2027-01-09");
	assert_true(caren_valid_until(utc(2026, 11, 28, 22, 30, 0), 42, out));
	assert_string_equal(out, "2027-01-08");
	assert_true(caren_valid_until(utc(2026, 3, 29, 22, 30, 0), 1, out));
	assert_string_equal(out, "2026-03-30");
	assert_true(caren_valid_until(utc(2026, 11, 29, 12, 0, 0), 365, out));
	assert_false(caren_valid_until(utc(2026, 11, 29, 12, 0, 0), 0, out));
	assert_false(caren_valid_until(utc(2026, 11, 29, 12, 0, 0), 366, out));
	/* a new invitation has exactly its validity in days left */
	for (int days = 1; days <= 365; days += 13) {
		assert_true(caren_valid_until(utc(2026, 3, 1, 12, 0, 0), days, out));
		assert_int_equal(caren_days_left(out, utc(2026, 3, 1, 12, 0, 0)), days);
	}
	assert_int_equal(caren_days_left("2027-01-09", utc(2027, 1, 9, 22, 59, 59)), 1);
	assert_int_equal(caren_days_left("2027-01-09", utc(2027, 1, 9, 23, 0, 0)), 0);
	assert_int_equal(caren_days_left("2027-01-09", utc(2028, 1, 9, 23, 0, 0)), 0);
	assert_int_equal(caren_days_left("gisteren", 0), -1);
	assert_int_equal(caren_days_left(NULL, 0), -1);
	assert_false(caren_invitation_expired("2027-01-09", utc(2027, 1, 9, 22, 59, 59)));
	assert_true(caren_invitation_expired("2027-01-09", utc(2027, 1, 9, 23, 0, 0)));
	assert_true(caren_invitation_expired("2027-13-01", 0));
}

/* The seed's words, the English ones, the wire names both ways. */
static void test_words(void **state)
{
	(void)state;
	char out[64];
	assert_string_equal(caren_status_nl(CAREN_ACTIVE, -1, out, sizeof out), "Actieve koppeling");
	assert_string_equal(caren_status_nl(CAREN_NOT_LINKED, -1, out, sizeof out), "Niet gekoppeld");
	assert_string_equal(caren_status_nl(CAREN_INVITED, 1, out, sizeof out),
						"Uitnodiging is nog 1 dag geldig");
	assert_string_equal(caren_status_nl(CAREN_INVITED, 2, out, sizeof out),
						"Uitnodiging is nog 2 dagen geldig");
	assert_string_equal(caren_status_nl(CAREN_INVITED, 42, out, sizeof out),
						"Uitnodiging is nog 42 dagen geldig");
	assert_string_equal(caren_status_nl(CAREN_UNKNOWN, -1, out, sizeof out), "Onbekend");
	assert_string_equal(caren_status_en(CAREN_ACTIVE, -1, out, sizeof out), "Active link");
	assert_string_equal(caren_status_en(CAREN_NOT_LINKED, -1, out, sizeof out), "Not linked");
	assert_string_equal(caren_status_en(CAREN_INVITED, 1, out, sizeof out),
						"Invitation valid for 1 more day");
	assert_string_equal(caren_status_en(CAREN_INVITED, 3, out, sizeof out),
						"Invitation valid for 3 more days");
	assert_string_equal(caren_status_en(CAREN_UNKNOWN, -1, out, sizeof out), "Unknown");
	static const char *const wire[] = {"ACTIVE", "NOT_LINKED", "INVITED", "UNKNOWN"};
	for (int i = 0; i < CAREN_STATUS_COUNT; i++) {
		enum caren_status s = CAREN_UNKNOWN;
		assert_string_equal(caren_status_wire((enum caren_status)i), wire[i]);
		assert_true(caren_status_parse(wire[i], &s));
		assert_int_equal(s, i);
	}
	enum caren_status s = CAREN_ACTIVE;
	assert_false(caren_status_parse("active", &s));
	assert_false(caren_status_parse(NULL, &s));
	assert_int_equal(s, CAREN_ACTIVE);
	static const char *const inv[] = {"OPEN", "REDEEMED", "REVOKED", "EXPIRED"};
	static const char *const inv_nl[] = {"Openstaand", "Gebruikt", "Ingetrokken", "Verlopen"};
	for (int i = 0; i < CAREN_INV_STATE_COUNT; i++) {
		enum caren_invitation_state v = CAREN_INV_OPEN;
		assert_string_equal(caren_inv_state_wire((enum caren_invitation_state)i), inv[i]);
		assert_string_equal(caren_inv_state_nl((enum caren_invitation_state)i), inv_nl[i]);
		assert_true(caren_inv_state_parse(inv[i], &v));
		assert_int_equal(v, i);
	}
	enum caren_invitation_state v = CAREN_INV_OPEN;
	assert_false(caren_inv_state_parse("CLOSED", &v));
	assert_int_equal(v, CAREN_INV_OPEN);
}

/* Every status has its own one-column symbol, in UTF-8 and in ASCII. */
static void test_symbols(void **state)
{
	(void)state;
	for (int ascii = 0; ascii <= 1; ascii++)
		for (int i = 0; i < CAREN_STATUS_COUNT; i++) {
			const char *a = caren_status_symbol((enum caren_status)i, ascii);
			assert_int_equal(text_width(a), 1);
			if (ascii)
				assert_int_equal(strlen(a), 1);
			for (int j = 0; j < i; j++)
				assert_string_not_equal(a, caren_status_symbol((enum caren_status)j, ascii));
		}
	assert_string_equal(caren_status_symbol(CAREN_ACTIVE, false), "\xe2\x9c\x93");
	char cell[80];
	assert_string_equal(caren_status_cell(CAREN_ACTIVE, -1, false, cell, sizeof cell),
						"\xe2\x9c\x93 Actieve koppeling");
	assert_string_equal(caren_status_cell(CAREN_INVITED, 3, true, cell, sizeof cell),
						"~ Uitnodiging is nog 3 dagen geldig");
	assert_string_equal(caren_status_cell(CAREN_NOT_LINKED, -1, true, cell, sizeof cell),
						"x Niet gekoppeld");
	assert_string_equal(caren_status_cell(CAREN_UNKNOWN, -1, false, cell, sizeof cell), "? Onbekend");
}

/* Long Dutch dates with the weekday, as the letter writes the last valid day. */
static void test_dutch_long_dates(void **state)
{
	(void)state;
	char out[40];
	assert_string_equal(nl_date_long("2027-01-09", out), "zaterdag 9 januari 2027");
	assert_string_equal(nl_date_long("2027-01-08", out), "vrijdag 8 januari 2027");
	assert_string_equal(nl_date_long("2026-03-29", out), "zondag 29 maart 2026");
	assert_string_equal(nl_date_long("2026-10-26", out), "maandag 26 oktober 2026");
	assert_string_equal(nl_date_long("2027-09-30", out), "donderdag 30 september 2027");
	assert_string_equal(nl_date_long("2028-02-29", out), "dinsdag 29 februari 2028");
	assert_string_equal(nl_date_long("2026-12-02", out), "woensdag 2 december 2026");
	assert_string_equal(nl_date_long("2027-02-29", out), "2027-02-29");
	assert_string_equal(nl_date_long("morgen", out), "morgen");
	assert_string_equal(nl_date_long(NULL, out), "");
	assert_string_equal(nl_weekday_name(7), "");
	assert_string_equal(nl_month_name(0), "");
	assert_string_equal(nl_month_name(5), "mei");
	assert_string_equal(nl_date_long_days(0, out), "donderdag 1 januari 1970");
}

static int setup(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_civil_amsterdam),
		cmocka_unit_test(test_civil_matches_tzdata),
		cmocka_unit_test(test_status_table),
		cmocka_unit_test(test_valid_until),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_dutch_long_dates),
	};
	return cmocka_run_group_tests_name("Caren link status", tests, setup, NULL);
}
