/* Unit tests of the Caren activation letter: a real PDF, checked with poppler-utils'
 * pdfinfo (one A4 page) and pdftotext (name, address, code line, last valid day). */
#include "letter/caren_letter.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static const struct caren_letter demo = {
	.org_name = "Zorggroep De Linde",
	.client_name = "José van den Berg-Öztürk & <Zn>",
	.street = "Dorpsstraat",
	.house_number = "12",
	.house_number_ext = "A",
	.postcode = "1234ab",
	.city = "Nieuw-Amsterdam",
	.code = "k7hm 4dxt 9rcw",
	.valid_until = "2027-01-09",
	.letter_date = "2026-11-29",
};

/* Write pdf to a temporary file and return its name (caller unlinks and frees). */
static char *pdf_file(const unsigned char *pdf, size_t len)
{
	char *path = strdup("/tmp/caren-letter-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	return path;
}

/* The whole output of "tool 'path'after" (caller frees); fails the test if it does not succeed. */
static char *run(const char *tool, const char *path, const char *after)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "%s '%s'%s 2>&1", tool, path, after);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	size_t n;
	while ((n = fread(out + len, 1, cap - 1 - len, p)) > 0)
		len += n;
	out[len] = '\0';
	int rc = pclose(p);
	if (rc != 0)
		fail_msg("'%s' failed (%d); is poppler-utils installed?", cmd, rc);
	return out;
}

/* The value of pdfinfo's field name ("Pages") in info, trimmed, or "". */
static const char *info_field(const char *info, const char *name, char out[128])
{
	out[0] = '\0';
	for (const char *p = info; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t n = strlen(name);
		if (strncmp(p, name, n) != 0 || p[n] != ':')
			continue;
		p += n + 1;
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, "\n");
		snprintf(out, 128, "%.*s", (int)len, p);
		break;
	}
	return out;
}

/* Runs of white space as one space, so wrapped text can be matched. */
static void squeeze(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		bool space = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\f';
		if (space && o > s && o[-1] == ' ')
			continue;
		*o++ = space ? ' ' : *p;
	}
	*o = '\0';
}

/* True when text has a line that is exactly line (after trimming spaces). */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)); p += n) {
		const char *a = p, *b = p + n;
		while (a > text && a[-1] == ' ')
			a--;
		while (*b == ' ')
			b++;
		if ((a == text || a[-1] == '\n') && (*b == '\n' || *b == '\0' || *b == '\f'))
			return true;
	}
	return false;
}

/* One A4 page whose text has the name, the address, the code line and the last valid day. */
static void test_letter_text(void **state)
{
	(void)state;
	size_t len = 0;
	unsigned char *pdf = caren_letter_pdf(&demo, &len);
	assert_non_null(pdf);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	char *path = pdf_file(pdf, len);
	char *info = run("pdfinfo", path, "");
	char v[128];
	assert_string_equal(info_field(info, "Pages", v), "1");
	assert_string_equal(info_field(info, "Page size", v), "595.276 x 841.89 pts (A4)");
	assert_string_equal(info_field(info, "Title", v), "Uitnodiging voor Caren");
	assert_string_equal(info_field(info, "Author", v), "Zorggroep De Linde");
	assert_null(strstr(info, "Error"));
	char *layout = run("pdftotext -layout -enc UTF-8", path, " -");
	assert_true(has_line(layout, "Activeringscode: K7HM-4DXT-9RCW"));
	free(layout);
	char *text = run("pdftotext -enc UTF-8", path, " -");
	assert_true(has_line(text, "Activeringscode: K7HM-4DXT-9RCW"));
	assert_true(has_line(text, "José van den Berg-Öztürk & <Zn>"));
	assert_true(has_line(text, "Dorpsstraat 12 A"));
	assert_true(has_line(text, "1234 AB NIEUW-AMSTERDAM"));
	assert_true(has_line(text, "Zorggroep De Linde"));
	squeeze(text);
	assert_non_null(strstr(text, "geldig tot en met zaterdag 9 januari 2027"));
	assert_non_null(strstr(text, "Datum: zondag 29 november 2026"));
	assert_non_null(strstr(text, "Activeringscode invoeren"));
	assert_non_null(strstr(text, "Beste José van den Berg-Öztürk & <Zn>,"));
	free(text);
	free(info);
	unlink(path);
	free(path);
	caren_letter_free(pdf, len);
}

/* Without the optional fields the letter still renders; the number stands alone. */
static void test_letter_minimal(void **state)
{
	(void)state;
	struct caren_letter l = demo;
	l.house_number_ext = NULL;
	l.letter_date = NULL;
	l.code = "23456789ACDE";
	size_t len = 0;
	unsigned char *pdf = caren_letter_pdf(&l, &len);
	assert_non_null(pdf);
	char *path = pdf_file(pdf, len);
	char *text = run("pdftotext -enc UTF-8", path, " -");
	assert_true(has_line(text, "Dorpsstraat 12"));
	assert_true(has_line(text, "Activeringscode: 2345-6789-ACDE"));
	assert_null(strstr(text, "Datum:"));
	free(text);
	unlink(path);
	free(path);
	caren_letter_free(pdf, len);
}

/* A run of n 'W's, the widest letter (caller frees). */
static char *wide(size_t n)
{
	char *s = malloc(n + 1);
	memset(s, 'W', n);
	s[n] = '\0';
	return s;
}

/* With every field at its limit in the widest letter (organisation and name 100, street
 * and place 80, number 5 digits, extension 6) everything still fits on one page; one
 * character more is refused. */
static void test_letter_longest(void **state)
{
	(void)state;
	char *w100 = wide(100), *w80 = wide(80), *w6 = wide(6);
	struct caren_letter l = {w100, w100, w80, "99999", w6, "9999 ZZ", w80, "YYYY-YYYY-YYYY",
							 "2027-09-29", "2027-09-29"};
	size_t len = 0;
	unsigned char *pdf = caren_letter_pdf(&l, &len);
	assert_non_null(pdf);
	char *path = pdf_file(pdf, len);
	char *text = run("pdftotext -enc UTF-8", path, " -");
	char *info = run("pdfinfo", path, "");
	char v[128];
	assert_string_equal(info_field(info, "Pages", v), "1");
	assert_true(has_line(text, "Activeringscode: YYYY-YYYY-YYYY"));
	squeeze(text);
	assert_non_null(strstr(text, "Met vriendelijke groet,"));
	assert_non_null(strstr(text, "geldig tot en met woensdag 29 september 2027"));
	free(info);
	free(text);
	unlink(path);
	free(path);
	caren_letter_free(pdf, len);
	char *w101 = wide(101), *w81 = wide(81), *w7 = wide(7);
	struct caren_letter over[8];
	for (int i = 0; i < 8; i++)
		over[i] = l;
	over[0].org_name = w101;
	over[1].client_name = w101;
	over[2].street = w81;
	over[3].city = w81;
	over[4].house_number_ext = w7;
	over[5].house_number = "123456";
	over[6].house_number = "012";
	over[7].house_number = "12a";
	for (int i = 0; i < 8; i++)
		if (caren_letter_pdf(&over[i], &len))
			fail_msg("letter %d rendered", i);
	free(w100), free(w80), free(w6), free(w101), free(w81), free(w7);
}

/* Missing or unusable fields give no letter. */
static void test_letter_refuses(void **state)
{
	(void)state;
	struct caren_letter bad[9];
	for (int i = 0; i < 9; i++)
		bad[i] = demo;
	bad[0].org_name = NULL;
	bad[1].client_name = "";
	bad[2].street = NULL;
	bad[3].postcode = "1234";
	bad[4].city = "Dorp\x1b[31m";
	bad[5].code = "K7HM-4DXT-9RC0";
	bad[6].valid_until = "2027-02-30";
	bad[7].letter_date = "morgen";
	bad[8].client_name = "Jos\xe9";
	for (int i = 0; i < 9; i++) {
		size_t len = 99;
		if (caren_letter_pdf(&bad[i], &len))
			fail_msg("letter %d rendered", i);
		assert_int_equal(len, 99);
	}
	caren_letter_free(NULL, 0);
}

/* Letters rendered by several threads at once are all complete PDFs. */
static void *render_one(void *arg)
{
	size_t *len = arg;
	unsigned char *pdf = caren_letter_pdf(&demo, len);
	if (pdf && (*len < 5 || memcmp(pdf, "%PDF-", 5) != 0 || !memmem(pdf, *len, "%%EOF", 5)))
		*len = 0;
	caren_letter_free(pdf, *len);
	return pdf ? arg : NULL;
}

static void test_letter_threads(void **state)
{
	(void)state;
	pthread_t th[4];
	size_t lens[4] = {0};
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, render_one, &lens[i]), 0);
	for (int i = 0; i < 4; i++) {
		void *r = NULL;
		pthread_join(th[i], &r);
		assert_non_null(r);
		assert_true(lens[i] > 1000);
	}
}

static int teardown(void **state)
{
	(void)state;
	caren_letter_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letter_text),
		cmocka_unit_test(test_letter_minimal),
		cmocka_unit_test(test_letter_longest),
		cmocka_unit_test(test_letter_refuses),
		cmocka_unit_test(test_letter_threads),
	};
	return cmocka_run_group_tests_name("Caren letter", tests, NULL, teardown);
}
