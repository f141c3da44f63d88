/* Unit tests for src/common/text.c: UTF-8 decoding/encoding and search folding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Assert that text_fold(in) is want. */
static void expect_fold(const char *in, const char *want)
{
	char *got = text_fold(in);
	assert_non_null(got);
	char msg[256] = "";
	if (strcmp(got, want) != 0)
		snprintf(msg, sizeof msg, "text_fold(\"%s\") = \"%s\", want \"%s\"", in, got, want);
	free(got);
	if (msg[0])
		fail_msg("%s", msg);
}

/* Accented Latin-1 letters lose their diacritics and case. */
static void test_fold_latin1(void **state)
{
	(void)state;
	expect_fold("Jos\xc3\xa9", "jose");
	expect_fold("Chlo\xc3\xab van den Berg", "chloe van den berg");
	expect_fold("\xc3\x87" "elik", "celik");
	expect_fold("\xc3\x85" "SE \xc3\x98RSTED", "ase orsted");
	expect_fold("M\xc3\xbcller", "muller");
	expect_fold("Stra\xc3\x9f" "e", "strasse");
	expect_fold("\xc3\x86" "sop", "aesop");
}

/* Latin Extended-A letters and ligatures fold too. */
static void test_fold_latin_ext_a(void **state)
{
	(void)state;
	expect_fold("\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz");
	expect_fold("Dvo\xc5\x99\xc3\xa1k", "dvorak");
	expect_fold("\xc5\x92uvre", "oeuvre");
	expect_fold("\xc4\xb0stanbul", "istanbul");
	expect_fold("\xc5\xbd" "i\xc5\xbe" "ek", "zizek");
}

/* Both spellings of the Dutch IJ fold to "ij". */
static void test_fold_ij(void **state)
{
	(void)state;
	expect_fold("IJsbrand", "ijsbrand");
	expect_fold("\xc4\xb2sbrand", "ijsbrand");
	expect_fold("\xc4\xb3sselmonde", "ijsselmonde");
	expect_fold("van Rijn", "van rijn");
}

/* Apostrophes join the letters around them instead of separating words. */
static void test_fold_apostrophe(void **state)
{
	(void)state;
	expect_fold("van 't Hek", "van t hek");
	expect_fold("d'Ancona", "dancona");
	expect_fold("d\xe2\x80\x99" "Ancona", "dancona");
	expect_fold("'t Hart", "t hart");
}

/* White space and punctuation runs collapse to one space and the result is trimmed. */
static void test_fold_separators(void **state)
{
	(void)state;
	expect_fold("  Jan,  de -- Vries!! ", "jan de vries");
	expect_fold("a\t\n b", "a b");
	expect_fold("Jansen-de Wit", "jansen de wit");
	expect_fold("a\xc2\xa0" "b", "a b");
	expect_fold("a\xe2\x80\x94" "b", "a b");
	expect_fold("Nr. 12a", "nr 12a");
	expect_fold("", "");
	expect_fold("  ... ", "");
}

/* Code points outside the folding table are kept unchanged (no case folding). */
static void test_fold_outside_table_kept(void **state)
{
	(void)state;
	/* U+1EC5 (e with circumflex and tilde, Latin Extended Additional) folds to e. */
	expect_fold("Nguy\xe1\xbb\x85n", "nguyen");
	expect_fold("NGUY\xe1\xbb\x84N", "nguyen");
	/* Scripts other than Latin are kept as they are. */
	expect_fold("\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1", "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1");
	expect_fold("\xe6\x9d\xb1\xe4\xba\xac", "\xe6\x9d\xb1\xe4\xba\xac");
}

/* Combining diacritical marks U+0300..U+036F are dropped. */
static void test_fold_combining(void **state)
{
	(void)state;
	/* "Nguyễn" decomposed: e + U+0302 + U+0303. */
	expect_fold("Nguye\xcc\x82\xcc\x83n", "nguyen");
	expect_fold("Jose\xcc\x81", "jose");
	expect_fold("Chloe\xcc\x88 Berg", "chloe berg");
}

/* A combining mark with no base letter after a separator must not leave a stray space. */
static void test_fold_lone_combining_mark(void **state)
{
	(void)state;
	expect_fold("a \xcc\x81", "a");
	expect_fold("a \xcc\x81 b", "a b");
}

/* Invalid UTF-8 separates words like punctuation and never reaches the output. */
static void test_fold_invalid_utf8(void **state)
{
	(void)state;
	expect_fold("x\xff" "y", "x y");
	expect_fold("caf\xe9", "caf");
	expect_fold("\xc3", "");
}

/* Decoding yields the code point and its byte length for 1- to 4-byte sequences. */
static void test_decode_lengths(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(text_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(text_utf8_decode("\xc3\xa9xyz", 5, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(text_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(text_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(text_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
}

/* Every invalid sequence decodes as U+FFFD with length 1. */
static void test_decode_invalid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
		{"\x80", 1},             /* stray continuation */
		{"\xff", 1},             /* never valid */
		{"\xc3", 1},             /* truncated by n */
		{"\xc3\xa9", 1},         /* truncated by n */
		{"\xe2\x82\xac", 2},     /* truncated by n */
		{"\xc3" "A", 2},         /* missing continuation */
		{"\xc0\xaf", 2},         /* overlong */
		{"\xe0\x80\xaf", 3},     /* overlong */
		{"\xf0\x80\x80\xaf", 4}, /* overlong */
		{"\xed\xa0\x80", 3},     /* surrogate */
		{"\xf4\x90\x80\x80", 4}, /* beyond U+10FFFF */
		{"\xf8\x88\x80\x80", 4}, /* five-byte lead */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t cp = 0;
		assert_int_equal(text_utf8_decode(bad[i].s, bad[i].n, &cp), 1);
		assert_int_equal(cp, 0xfffd);
	}
}

/* Encoding then decoding gives back the code point for every length boundary. */
static void test_encode_decode_round_trip(void **state)
{
	(void)state;
	static const uint32_t cps[] = {0x0,     0x41,    0x7f,    0x80,     0xe9,     0x7ff,
								   0x800,   0x20ac,  0xd7ff,  0xe000,   0xfffd,   0xffff,
								   0x10000, 0x1f600, 0xfffff, 0x100000, 0x10ffff};
	static const size_t lens[] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4};
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[4];
		size_t n = text_utf8_encode(cps[i], buf);
		assert_int_equal(n, lens[i]);
		uint32_t back = 0;
		assert_int_equal(text_utf8_decode(buf, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
}

/* Encoding produces the exact UTF-8 bytes. */
static void test_encode_bytes(void **state)
{
	(void)state;
	char buf[4];
	assert_int_equal(text_utf8_encode(0xe9, buf), 2);
	assert_memory_equal(buf, "\xc3\xa9", 2);
	assert_int_equal(text_utf8_encode(0x20ac, buf), 3);
	assert_memory_equal(buf, "\xe2\x82\xac", 3);
	assert_int_equal(text_utf8_encode(0x1f600, buf), 4);
	assert_memory_equal(buf, "\xf0\x9f\x98\x80", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_latin1),
		cmocka_unit_test(test_fold_latin_ext_a),
		cmocka_unit_test(test_fold_ij),
		cmocka_unit_test(test_fold_apostrophe),
		cmocka_unit_test(test_fold_separators),
		cmocka_unit_test(test_fold_outside_table_kept),
		cmocka_unit_test(test_fold_combining),
		cmocka_unit_test(test_fold_lone_combining_mark),
		cmocka_unit_test(test_fold_invalid_utf8),
		cmocka_unit_test(test_decode_lengths),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_encode_decode_round_trip),
		cmocka_unit_test(test_encode_bytes),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
