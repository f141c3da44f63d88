/* Unit tests for opts_print_man() in src/common/options.c: the man page OPTIONS section
 * generated from an option table (roff escaping, guarded line starts, line length,
 * defaults and config keys, and --man-options through opts_parse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/options.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cfg {
	char *path;
	int64_t count;
	bool dry;
};

#define OFF(f) offsetof(struct cfg, f)

static const struct opt table[] = {
	{"data-path", OPT_STR, "/var/lib/x", "PATH", 0, 0, true, OFF(path),
	 "where the data lives; a back\\slash and a-dash are escaped"},
	{"count", OPT_INT, "3", "N", 1, 9, true, OFF(count),
	 ".starts with a dot, and is long enough to need a line break somewhere in the "
	 "middle because mandoc asks for lines of at most eighty bytes"},
	{"dry-run", OPT_FLAG, NULL, NULL, 0, 0, false, OFF(dry), "zorgd's own name stays lower case"},
};

/* The OPTIONS section for table as a new string. */
static char *man_of(struct cfg *c)
{
	struct opt_set s = {.prog = "zorgd", .usage = "Usage: t\n", .version = "1", .opts = table,
						.n = sizeof table / sizeof table[0], .base = c};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	opts_print_man(&s, f);
	fclose(f);
	return out;
}

/* Options, arguments, defaults and config keys appear, escaped for roff. */
static void test_entries(void **state)
{
	(void)state;
	struct cfg c = {0};
	char *m = man_of(&c);
	assert_non_null(strstr(m, ".SH OPTIONS\n"));
	assert_non_null(strstr(m, ".TP\n.BI \\-\\-data\\-path \" PATH\"\nWhere the data lives"));
	assert_non_null(strstr(m, "back\\eslash and a\\-dash"));
	assert_non_null(strstr(m, "Default: /var/lib/x.\nConfiguration setting:\n.BR data_path .\n"));
	assert_non_null(strstr(m, ".B \\-\\-dry\\-run\nzorgd's own name"));
	assert_null(strstr(m, "dry_run"));
	assert_non_null(strstr(m, ".B \\-\\-help\n"));
	assert_non_null(strstr(m, ".B \\-\\-version\n"));
	free(m);
}

/* No text line starts with a control character and none is longer than 80 bytes. */
static void test_lines(void **state)
{
	(void)state;
	struct cfg c = {0};
	char *m = man_of(&c);
	assert_non_null(strstr(m, "\n\\&.starts with a dot"));
	int lines = 0;
	for (char *line = strtok(m, "\n"); line; line = strtok(NULL, "\n")) {
		assert_true(strlen(line) <= 80);
		if (line[0] == '.' || line[0] == '\'')
			assert_true(strncmp(line, ".TP", 3) == 0 || strncmp(line, ".B", 2) == 0 ||
						strncmp(line, ".SH", 3) == 0 || strncmp(line, ".\\\"", 3) == 0);
		lines++;
	}
	assert_true(lines > 15);
	free(m);
}

/* --man-options alone prints the section and returns 0 without reading a config. */
static void test_parse_flag(void **state)
{
	(void)state;
	struct cfg c = {0};
	struct opt_set s = {.prog = "zorgd", .usage = "Usage: t\n", .version = "1", .opts = table,
						.n = sizeof table / sizeof table[0], .base = &c};
	char *argv[] = {"zorgd", "--man-options", NULL};
	/* Catch what it prints on standard output in a temporary file. */
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stdout);
	int saved = dup(1);
	dup2(fileno(tmp), 1);
	int rc = opts_parse(&s, 2, argv, NULL, "/nonexistent/config");
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	char out[8192] = "";
	rewind(tmp);
	size_t n = fread(out, 1, sizeof out - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, ".SH OPTIONS"));
	assert_null(c.path); /* defaults were not even applied */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_parse_flag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
