/* Unit tests for src/common/text.c: display width, fitting text into columns with wide and
 * combining characters, and sanitising untrusted text for the terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/text.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* wcwidth needs a UTF-8 locale. */
static int setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

/* Assert that text_sanitize(in) is want. */
static void expect_sanitize(const char *in, const char *want)
{
	char *got = text_sanitize(in);
	assert_non_null(got);
	char msg[512] = "";
	if (strcmp(got, want) != 0) {
		size_t used = (size_t)snprintf(msg, sizeof msg, "text_sanitize: got");
		for (const unsigned char *p = (const unsigned char *)got; *p && used < sizeof msg - 8; p++)
			used += (size_t)snprintf(msg + used, sizeof msg - used, " %02x", *p);
		snprintf(msg + used, sizeof msg - used, " for input of %zu bytes", strlen(in));
	}
	free(got);
	if (msg[0])
		fail_msg("%s", msg);
}

/* Widths of ASCII, accented, CJK, combining and emoji text. */
static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xc3\xa9"), 1);                 /* é */
	assert_int_equal(text_width("Jos\xc3\xa9 van den Berg"), 17);
	assert_int_equal(text_width("\xe6\xbc\xa2\xe5\xad\x97"), 4); /* 漢字 */
	assert_int_equal(text_width("e\xcc\x81"), 1);                /* e + combining acute */
	assert_int_equal(text_width("a\xcc\x81\xcc\xa7"), 1);        /* two combining marks */
	assert_int_equal(text_width("\xf0\x9f\x98\x80"), 2);         /* U+1F600 emoji */
	assert_int_equal(text_width("\xc4\xb2sbrand"), 7);           /* Ĳ is one column */
	/* Invalid bytes and controls count one column each (they are drawn sanitised). */
	assert_int_equal(text_width("\xff"), 1);
	assert_int_equal(text_width("a\x1b"), 2);
}

/* text_fit gives the longest prefix that fits, never half a code point or wide character. */
static void test_fit(void **state)
{
	(void)state;
	int w = -1;
	const char *kanji = "\xe6\xbc\xa2\xe5\xad\x97x"; /* 漢字x */
	assert_int_equal(text_fit(kanji, 3, &w), 3);
	assert_int_equal(w, 2);
	assert_int_equal(text_fit(kanji, 4, &w), 6);
	assert_int_equal(w, 4);
	assert_int_equal(text_fit(kanji, 5, &w), 7);
	assert_int_equal(w, 5);
	assert_int_equal(text_fit(kanji, 1, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(text_fit(kanji, 0, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(text_fit(kanji, 100, NULL), strlen(kanji));

	/* Two-byte letters are kept whole. */
	assert_int_equal(text_fit("\xc3\xa9\xc3\xa9\xc3\xa9", 2, &w), 4);
	assert_int_equal(w, 2);
	/* A combining mark stays with its letter. */
	assert_int_equal(text_fit("e\xcc\x81x", 1, &w), 3);
	assert_int_equal(w, 1);
	/* An emoji that does not fit is left out whole. */
	assert_int_equal(text_fit("ab\xf0\x9f\x98\x80", 3, &w), 2);
	assert_int_equal(w, 2);
	assert_int_equal(text_fit("", 5, &w), 0);
	assert_int_equal(w, 0);
}

/* Every prefix text_fit returns ends on a code point boundary and fits. */
static void test_fit_boundaries(void **state)
{
	(void)state;
	const char *s = "Zo\xc3\xab \xe6\xbc\xa2\xe5\xad\x97 e\xcc\x81 \xf0\x9f\x98\x80 \xc4\xb2sbrand";
	size_t n = strlen(s);
	for (int cols = 0; cols <= 30; cols++) {
		int w = -1;
		size_t len = text_fit(s, cols, &w);
		assert_true(len <= n);
		assert_true(w <= cols);
		/* The next byte starts a code point (is not a continuation byte). */
		if (len < n)
			assert_true(((unsigned char)s[len] & 0xc0) != 0x80);
		char *pre = strndup(s, len);
		assert_int_equal(text_width(pre), w);
		free(pre);
	}
}

/* ESC becomes its Control Picture, so an escape sequence is shown, not obeyed. */
static void test_sanitize_escape(void **state)
{
	(void)state;
	expect_sanitize("\x1b[31m", "\xe2\x90\x9b[31m");
	char *s = text_sanitize("name\x1b]0;pwned\x07\x1b[2J");
	assert_null(strchr(s, 0x1b));
	assert_null(strchr(s, 0x07));
	assert_string_equal(s, "name\xe2\x90\x9b]0;pwned\xe2\x90\x87\xe2\x90\x9b[2J");
	free(s);
}

/* C0 controls become Control Pictures, DEL becomes U+2421, tab/newline/CR a space. */
static void test_sanitize_controls(void **state)
{
	(void)state;
	expect_sanitize("a\x07z", "a\xe2\x90\x87z");  /* BEL -> U+2407 */
	expect_sanitize("a\x01z", "a\xe2\x90\x81z");  /* SOH -> U+2401 */
	expect_sanitize("a\x08z", "a\xe2\x90\x88z");  /* BS -> U+2408 */
	expect_sanitize("a\x7fz", "a\xe2\x90\xa1z");  /* DEL -> U+2421 */
	expect_sanitize("a\tb\nc\rd", "a b c d");
}

/* C1 controls (CSI U+009B, NEL U+0085) and bidi overrides become U+FFFD. */
static void test_sanitize_c1_bidi(void **state)
{
	(void)state;
	expect_sanitize("a\xc2\x9b" "31mz", "a\xef\xbf\xbd" "31mz");
	expect_sanitize("a\xc2\x85z", "a\xef\xbf\xbdz");
	expect_sanitize("a\xe2\x80\xae" "cba", "a\xef\xbf\xbd" "cba"); /* U+202E RLO */
	expect_sanitize("a\xe2\x81\xa6z", "a\xef\xbf\xbdz");           /* U+2066 LRI */
	expect_sanitize("a\xe2\x80\x8fz", "a\xef\xbf\xbdz");           /* U+200F RLM */
}

/* Invalid UTF-8 (stray bytes, raw C1 byte, overlong, surrogate, truncated) becomes U+FFFD. */
static void test_sanitize_invalid(void **state)
{
	(void)state;
	expect_sanitize("a\xffz", "a\xef\xbf\xbdz");
	expect_sanitize("a\x9b" "31m", "a\xef\xbf\xbd" "31m");
	expect_sanitize("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"); /* overlong '/' */
	expect_sanitize("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect_sanitize("ab\xe6\xbc", "ab\xef\xbf\xbd\xef\xbf\xbd");
}

/* Ordinary Dutch text, CJK and emoji pass unchanged. */
static void test_sanitize_plain(void **state)
{
	(void)state;
	static const char *const plain[] = {
		"",
		"Jos\xc3\xa9 van den Berg",
		"\xc4\xb2sselmonde, 's-Hertogenbosch \xe2\x80\x93 caf\xc3\xa9 \xe2\x82\xac 12,50",
		"Cli\xc3\xabnt Zo\xc3\xab d'Ancona",
		"\xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80",
	};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		expect_sanitize(plain[i], plain[i]);
}

/* A deterministic PRNG (xorshift64*), so failures reproduce. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* For random bytes, the result is valid UTF-8 with no C0, DEL, C1 or bidi control, and
 * sanitising again changes nothing. */
static void test_sanitize_random(void **state)
{
	(void)state;
	static const unsigned char pieces[][4] = {
		{0x1b}, {0x9b}, {0xc2, 0x9b}, {0x7f}, {0xe2, 0x80, 0xae}, {0xc3, 0xa9}, {'['}, {'a'},
		{0xff}, {0xe6, 0xbc, 0xa2}, {0x0a}, {0xf0, 0x9f, 0x98, 0x80}, {0xc0}, {0x80}, {0x07},
	};
	for (int round = 0; round < 2000; round++) {
		unsigned char in[64];
		size_t n = 0;
		while (n < sizeof in - 5) {
			if (rnd(3) == 0) {
				in[n++] = (unsigned char)(1 + rnd(255));
			} else {
				const unsigned char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
				for (size_t k = 0; k < 4 && p[k]; k++)
					in[n++] = p[k];
			}
		}
		in[n] = '\0';
		char *out = text_sanitize((const char *)in);
		size_t len = strlen(out);
		for (size_t i = 0; i < len;) {
			uint32_t cp;
			size_t l = text_utf8_decode(out + i, len - i, &cp);
			/* A lone U+FFFD byte would mean an invalid sequence survived. */
			if (cp == 0xfffd)
				assert_int_equal(l, 3);
			assert_true(cp >= 0x20);
			assert_true(cp != 0x7f);
			assert_false(cp >= 0x80 && cp <= 0x9f);
			assert_false(cp >= 0x202a && cp <= 0x202e);
			assert_false(cp >= 0x2066 && cp <= 0x2069);
			i += l;
		}
		char *again = text_sanitize(out);
		assert_string_equal(again, out);
		free(again);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_boundaries),
		cmocka_unit_test(test_sanitize_escape),
		cmocka_unit_test(test_sanitize_controls),
		cmocka_unit_test(test_sanitize_c1_bidi),
		cmocka_unit_test(test_sanitize_invalid),
		cmocka_unit_test(test_sanitize_plain),
		cmocka_unit_test(test_sanitize_random),
	};
	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
