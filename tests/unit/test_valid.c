/* Unit tests for src/common/valid.c: Dutch identifiers, contact data and general text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/valid.h"

#include <stdbool.h>
#include <string.h>

/* Assert that valid_postcode accepts in and normalises it to want. */
static void expect_postcode(const char *in, const char *want)
{
	char out[8] = "";
	assert_true(valid_postcode(in, out));
	assert_string_equal(out, want);
}

/* Assert that valid_phone accepts in and normalises it to want. */
static void expect_phone(const char *in, const char *want)
{
	char out[16] = "";
	assert_true(valid_phone(in, out));
	assert_string_equal(out, want);
}

/* Known-good BSNs pass the 11-check. */
static void test_bsn_valid(void **state)
{
	(void)state;
	assert_true(valid_bsn("111222333"));
	assert_true(valid_bsn("123456782"));
	/* A leading zero is part of a nine-digit BSN, not stripped. */
	assert_true(valid_bsn("012345672"));
}

/* A wrong check digit fails the 11-check. */
static void test_bsn_bad_check_digit(void **state)
{
	(void)state;
	assert_false(valid_bsn("111222334"));
	assert_false(valid_bsn("123456781"));
	assert_false(valid_bsn("123456783"));
}

/* Wrong lengths, non-digits, blanks, NULL and all zeros are refused. */
static void test_bsn_shape(void **state)
{
	(void)state;
	assert_false(valid_bsn("11122233"));
	assert_false(valid_bsn("1112223330"));
	assert_false(valid_bsn("11122233a"));
	assert_false(valid_bsn("a11222333"));
	assert_false(valid_bsn("111 22333"));
	assert_false(valid_bsn(" 111222333"));
	assert_false(valid_bsn("111222333 "));
	assert_false(valid_bsn("-11222333"));
	assert_false(valid_bsn(""));
	assert_false(valid_bsn(NULL));
	assert_false(valid_bsn("000000000"));
}

/* Postcodes are normalised to "1234 AB" whatever the case and spacing. */
static void test_postcode_normalise(void **state)
{
	(void)state;
	expect_postcode("1234ab", "1234 AB");
	expect_postcode("1234 ab", "1234 AB");
	expect_postcode("1234AB", "1234 AB");
	expect_postcode("1234 AB", "1234 AB");
	expect_postcode("9999zz", "9999 ZZ");
	expect_postcode("1000 aA", "1000 AA");
	/* Only SA, SD and SS are excluded among the S-series. */
	expect_postcode("1234 sb", "1234 SB");
}

/* A leading zero is never issued. */
static void test_postcode_leading_zero(void **state)
{
	(void)state;
	char out[8];
	assert_false(valid_postcode("0123 AB", out));
	assert_false(valid_postcode("0999ab", out));
}

/* The letter pairs SA, SD and SS are not issued, in any case. */
static void test_postcode_reserved_letters(void **state)
{
	(void)state;
	char out[8];
	assert_false(valid_postcode("1234 SA", out));
	assert_false(valid_postcode("1234sd", out));
	assert_false(valid_postcode("1234 ss", out));
	assert_false(valid_postcode("1234 Sa", out));
}

/* Bad spacing, wrong lengths and foreign characters are refused. */
static void test_postcode_shape(void **state)
{
	(void)state;
	char out[8];
	assert_false(valid_postcode("1234  AB", out));
	assert_false(valid_postcode(" 1234 AB", out));
	assert_false(valid_postcode("1234 AB ", out));
	assert_false(valid_postcode("12 34AB", out));
	assert_false(valid_postcode("1234 A B", out));
	assert_false(valid_postcode("1234 ABC", out));
	assert_false(valid_postcode("12345 AB", out));
	assert_false(valid_postcode("123 AB", out));
	assert_false(valid_postcode("1234 A", out));
	assert_false(valid_postcode("1234", out));
	assert_false(valid_postcode("1234-AB", out));
	assert_false(valid_postcode("1234 A1", out));
	assert_false(valid_postcode("12a4 AB", out));
	assert_false(valid_postcode("1234 \xc3\x89" "B", out));
	assert_false(valid_postcode("", out));
	assert_false(valid_postcode(NULL, out));
}

/* Mobile numbers in every common notation normalise to +31 6.... */
static void test_phone_mobile_forms(void **state)
{
	(void)state;
	expect_phone("06-12345678", "+31612345678");
	expect_phone("0612345678", "+31612345678");
	expect_phone("06 1234 5678", "+31612345678");
	expect_phone("+31 6 12345678", "+31612345678");
	expect_phone("+31612345678", "+31612345678");
	expect_phone("0031612345678", "+31612345678");
	expect_phone("0031 6 1234 5678", "+31612345678");
}

/* Landlines with a two- or three-digit area code are phone numbers too. */
static void test_phone_landline(void **state)
{
	(void)state;
	expect_phone("050-1234567", "+31501234567");
	expect_phone("(050) 123 45 67", "+31501234567");
	expect_phone("020-1234567", "+31201234567");
	expect_phone("+31 50 1234567", "+31501234567");
}

/* Too short, too long, letters, other countries and stray plus signs are refused. */
static void test_phone_invalid(void **state)
{
	(void)state;
	char out[16];
	assert_false(valid_phone("06-1234567", out));
	assert_false(valid_phone("06-123456789", out));
	assert_false(valid_phone("06-1234567a", out));
	assert_false(valid_phone("O6-12345678", out));
	assert_false(valid_phone("+32 470 12 34 56", out));
	assert_false(valid_phone("+49 151 12345678", out));
	assert_false(valid_phone("0032470123456", out));
	assert_false(valid_phone("612345678", out));
	assert_false(valid_phone("06+12345678", out));
	assert_false(valid_phone("++31612345678", out));
	assert_false(valid_phone("0012345678", out));
	assert_false(valid_phone("06.12345678", out));
	assert_false(valid_phone("06-12345678678901234567890", out));
	assert_false(valid_phone("", out));
	assert_false(valid_phone(NULL, out));
}

/* Only 06 / +316 / 00316 numbers are mobile. */
static void test_mobile(void **state)
{
	(void)state;
	assert_true(valid_mobile("06-12345678"));
	assert_true(valid_mobile("+31 6 12345678"));
	assert_true(valid_mobile("0031612345678"));
	assert_false(valid_mobile("050-1234567"));
	assert_false(valid_mobile("+31 50 1234567"));
	assert_false(valid_mobile("06-1234567"));
	assert_false(valid_mobile("06-abcdefgh"));
	assert_false(valid_mobile("+32 6 12345678"));
	assert_false(valid_mobile(NULL));
}

/* Ordinary addresses are accepted. */
static void test_email_valid(void **state)
{
	(void)state;
	assert_true(valid_email("jan@example.nl"));
	assert_true(valid_email("j.de.vries+zorg@zorg.example.com"));
	assert_true(valid_email("a@b.nl"));
	char local[80];
	memset(local, 'a', 64);
	strcpy(local + 64, "@example.nl");
	assert_true(valid_email(local));
}

/* Missing parts, doubled @, spaces, bad dots and oversize addresses are refused. */
static void test_email_invalid(void **state)
{
	(void)state;
	assert_false(valid_email("jan"));
	assert_false(valid_email("@example.nl"));
	assert_false(valid_email("jan@"));
	assert_false(valid_email("jan@example"));
	assert_false(valid_email("jan@@example.nl"));
	assert_false(valid_email("jan@zorg@example.nl"));
	assert_false(valid_email("jan de vries@example.nl"));
	assert_false(valid_email("jan@example..nl"));
	assert_false(valid_email("jan.@example.nl"));
	assert_false(valid_email(".jan@example.nl"));
	assert_false(valid_email("jan@.example.nl"));
	assert_false(valid_email("jan@example.nl."));
	assert_false(valid_email("jan@example.n"));
	assert_false(valid_email("<jan@example.nl>"));
	assert_false(valid_email("jan@example.nl\n"));
	assert_false(valid_email(""));
	assert_false(valid_email(NULL));
	char local[80];
	memset(local, 'a', 65);
	strcpy(local + 65, "@example.nl");
	assert_false(valid_email(local));
	char big[300];
	memset(big, 'b', sizeof big);
	memcpy(big, "jan@", 4);
	strcpy(big + 255 - 3, ".nl");
	assert_int_equal(strlen(big), 255);
	assert_false(valid_email(big));
	big[251] = '\0';
	strcat(big, ".nl");
	assert_int_equal(strlen(big), 254);
	assert_true(valid_email(big));
}

/* Leap years follow the Gregorian rules. */
static void test_date_leap_years(void **state)
{
	(void)state;
	assert_true(valid_date("2024-02-29"));
	assert_false(valid_date("2023-02-29"));
	assert_false(valid_date("1900-02-29"));
	assert_true(valid_date("2000-02-29"));
	assert_false(valid_date("2100-02-29"));
	assert_true(valid_date("2023-02-28"));
}

/* Month and day ranges and the exact YYYY-MM-DD shape are enforced. */
static void test_date_ranges_and_shape(void **state)
{
	(void)state;
	assert_true(valid_date("2024-01-31"));
	assert_true(valid_date("2024-12-31"));
	assert_false(valid_date("2024-13-01"));
	assert_false(valid_date("2024-00-10"));
	assert_false(valid_date("2024-01-00"));
	assert_false(valid_date("2024-01-32"));
	assert_false(valid_date("2024-04-31"));
	assert_false(valid_date("2024-06-31"));
	assert_false(valid_date("2024-2-29"));
	assert_false(valid_date("2024/02/29"));
	assert_false(valid_date("2024-02-29 "));
	assert_false(valid_date("2024-02-2a"));
	assert_false(valid_date("24-02-2024"));
	assert_false(valid_date(""));
	assert_false(valid_date(NULL));
}

/* Printable text, including non-ASCII letters and NBSP, is accepted. */
static void test_text_printable(void **state)
{
	(void)state;
	assert_true(valid_text("Chlo\xc3\xab van den Berg", 0, true));
	assert_true(valid_text("Nguy\xe1\xbb\x85n", 0, true));
	assert_true(valid_text("a\xc2\xa0" "b", 0, true));
	assert_true(valid_text("", 0, false));
	assert_true(valid_text(NULL, 0, false));
}

/* C0 controls, DEL and C1 controls are refused. */
static void test_text_controls(void **state)
{
	(void)state;
	assert_false(valid_text("a\tb", 0, false));
	assert_false(valid_text("a\nb", 0, false));
	assert_false(valid_text("a\rb", 0, false));
	assert_false(valid_text("\x1b[31m", 0, false));
	assert_false(valid_text("a\x7f", 0, false));
	assert_false(valid_text("a\xc2\x80", 0, false));
	assert_false(valid_text("a\xc2\x85" "b", 0, false));
	assert_false(valid_text("\xc2\x9f", 0, false));
	/* U+00A0 directly after the C1 block is not a control. */
	assert_true(valid_text("\xc2\xa0x", 0, false));
}

/* The limit counts code points, not bytes; 0 means no limit. */
static void test_text_max_chars(void **state)
{
	(void)state;
	assert_true(valid_text("\xc3\xa9\xc3\xa9\xc3\xa9", 3, true));
	assert_false(valid_text("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, true));
	assert_true(valid_text("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2, true));
	assert_true(valid_text("abc", 3, true));
	assert_false(valid_text("abcd", 3, true));
	assert_true(valid_text("abcdefghijklmnopqrstuvwxyz", 0, true));
}

/* Required text must not be empty or blank; invalid UTF-8 is refused. */
static void test_text_required_and_utf8(void **state)
{
	(void)state;
	assert_false(valid_text("", 0, true));
	assert_false(valid_text("   ", 0, true));
	assert_true(valid_text("   ", 0, false));
	assert_false(valid_text(NULL, 0, true));
	assert_true(valid_text(" x ", 0, true));
	assert_false(valid_text("caf\xe9", 0, false));
	assert_false(valid_text("\xc0\xaf", 0, false));
}

/* Well-formed sequences of every length and the extreme code points are valid. */
static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(valid_utf8("", 0));
	assert_true(valid_utf8("abc", 3));
	assert_true(valid_utf8("\xc3\xa9", 2));
	assert_true(valid_utf8("\xe2\x82\xac", 3));
	assert_true(valid_utf8("\xf0\x9f\x98\x80", 4));
	assert_true(valid_utf8("\xed\x9f\xbf", 3));     /* U+D7FF */
	assert_true(valid_utf8("\xee\x80\x80", 3));     /* U+E000 */
	assert_true(valid_utf8("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
	assert_true(valid_utf8("a\0b", 3));
}

/* Overlong encodings are invalid. */
static void test_utf8_overlong(void **state)
{
	(void)state;
	assert_false(valid_utf8("\xc0\xaf", 2));
	assert_false(valid_utf8("\xc1\xbf", 2));
	assert_false(valid_utf8("\xe0\x80\xaf", 3));
	assert_false(valid_utf8("\xe0\x9f\xbf", 3));
	assert_false(valid_utf8("\xf0\x80\x80\xaf", 4));
	assert_false(valid_utf8("\xf0\x8f\xbf\xbf", 4));
}

/* UTF-16 surrogates and code points beyond U+10FFFF are invalid. */
static void test_utf8_surrogates_and_range(void **state)
{
	(void)state;
	assert_false(valid_utf8("\xed\xa0\x80", 3));
	assert_false(valid_utf8("\xed\xbf\xbf", 3));
	assert_false(valid_utf8("\xed\xa0\xbd\xed\xb8\x80", 6));
	assert_false(valid_utf8("\xf4\x90\x80\x80", 4));
	assert_false(valid_utf8("\xf5\x80\x80\x80", 4));
	assert_false(valid_utf8("\xf8\x88\x80\x80\x80", 5));
	assert_false(valid_utf8("\xff", 1));
	assert_false(valid_utf8("\xfe", 1));
}

/* Truncated sequences and stray continuation bytes are invalid, also when len cuts them. */
static void test_utf8_truncated(void **state)
{
	(void)state;
	assert_false(valid_utf8("\xc3", 1));
	assert_false(valid_utf8("a\xe2\x82", 3));
	assert_false(valid_utf8("\xf0\x9f\x98", 3));
	assert_false(valid_utf8("\xc3\xa9", 1));
	assert_false(valid_utf8("\xc3" "A", 2));
	assert_false(valid_utf8("\xe2\x82" "A", 3));
	assert_false(valid_utf8("\x80", 1));
	assert_false(valid_utf8("a\xbf" "b", 3));
}

/* http and https URLs with a host are accepted up to max bytes. */
static void test_url_valid(void **state)
{
	(void)state;
	assert_true(valid_http_url("https://zorg.example.nl/portal?x=1#top", 200));
	assert_true(valid_http_url("http://localhost:8080/", 200));
	assert_true(valid_http_url("https://x", 9));
	assert_true(valid_http_url("https://example.nl/caf\xc3\xa9", 200));
}

/* Other schemes, empty hosts, spaces, controls, quotes, bad UTF-8 and oversize URLs fail. */
static void test_url_invalid(void **state)
{
	(void)state;
	assert_false(valid_http_url("ftp://example.nl/", 200));
	assert_false(valid_http_url("javascript:alert(1)", 200));
	assert_false(valid_http_url("example.nl", 200));
	assert_false(valid_http_url("https://", 200));
	assert_false(valid_http_url("http://", 200));
	assert_false(valid_http_url("https:///path", 200));
	assert_false(valid_http_url("https://a b.nl/", 200));
	assert_false(valid_http_url("https://a.nl/\tx", 200));
	assert_false(valid_http_url("https://a.nl/\x7f", 200));
	assert_false(valid_http_url("https://a.nl/\"x", 200));
	assert_false(valid_http_url("https://a.nl/<x>", 200));
	assert_false(valid_http_url("https://a.nl/\\x", 200));
	assert_false(valid_http_url("https://a.nl/\xe9", 200));
	assert_false(valid_http_url("https://x", 8));
	assert_false(valid_http_url("", 200));
	assert_false(valid_http_url(NULL, 200));
}

/* C1 controls (U+0080..U+009F, e.g. NEL U+0085) are controls in a URL too. */
/* The one input rule: UTF-8, no C0 (tab and newline only when multi-line), no DEL, C1 or
 * bidirectional overrides and isolates. */
static void test_input_text_rule(void **state)
{
	(void)state;
	const char *good[] = {"", "Jan de Vries", "Zoë Ĳsselmeer", "日本", "\xf0\x9f\x98\x80",
						  "\xef\xbf\xbd", "a\xe2\x80\xa9\x62"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(valid_input_text(good[i], strlen(good[i]), 0));
	const char *bad[] = {"a\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "\xc2\x9b", "\xe2\x80\xae",
						 "\xe2\x80\xaa", "\xe2\x81\xa6", "\xe2\x81\xa9", "\x1b[31m", "\x7f",
						 "a\nb", "a\tb", "a\rb", "\xf4\x90\x80\x80", "\xe2\x80", "\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(valid_input_text(bad[i], strlen(bad[i]), 0));
	assert_true(valid_input_text("a\nb\tc", 5, VALID_MULTILINE));
	assert_false(valid_input_text("a\rb", 3, VALID_MULTILINE));
	assert_false(valid_input_text("a\0b", 3, VALID_MULTILINE));
	assert_false(valid_input_text("\xe2\x80\xae", 3, VALID_MULTILINE));
	/* Every field decoder applies it. */
	assert_false(valid_email("a\xff\xfe@example.nl"));
	assert_false(valid_email("a\xc2\x9b@example.nl"));
	assert_false(valid_email("a\xe2\x80\xae@example.nl"));
	assert_false(valid_text("Assen\xe2\x81\xa6", 80, true));
	assert_false(valid_http_url("https://x.example/\xe2\x80\xae", 255));
}

static void test_url_c1_controls(void **state)
{
	(void)state;
	assert_false(valid_http_url("https://a.nl/\xc2\x85", 200));
	assert_false(valid_http_url("https://a.nl/\xc2\x9b" "31m", 200));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_text_rule),
		cmocka_unit_test(test_bsn_valid),
		cmocka_unit_test(test_bsn_bad_check_digit),
		cmocka_unit_test(test_bsn_shape),
		cmocka_unit_test(test_postcode_normalise),
		cmocka_unit_test(test_postcode_leading_zero),
		cmocka_unit_test(test_postcode_reserved_letters),
		cmocka_unit_test(test_postcode_shape),
		cmocka_unit_test(test_phone_mobile_forms),
		cmocka_unit_test(test_phone_landline),
		cmocka_unit_test(test_phone_invalid),
		cmocka_unit_test(test_mobile),
		cmocka_unit_test(test_email_valid),
		cmocka_unit_test(test_email_invalid),
		cmocka_unit_test(test_date_leap_years),
		cmocka_unit_test(test_date_ranges_and_shape),
		cmocka_unit_test(test_text_printable),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_text_max_chars),
		cmocka_unit_test(test_text_required_and_utf8),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_overlong),
		cmocka_unit_test(test_utf8_surrogates_and_range),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_url_valid),
		cmocka_unit_test(test_url_invalid),
		cmocka_unit_test(test_url_c1_controls),
	};
	return cmocka_run_group_tests_name("valid", tests, NULL, NULL);
}
