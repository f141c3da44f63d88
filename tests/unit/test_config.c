/* Unit tests for src/client/config.c and src/common/options.c: zorgterm's config file (good
 * values, and bad ones reported as "file:line: reason"), validation, profile names and the
 * XDG state and cache directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "client/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary directory of the running test. */
static char tmpdir[64];

/* Make a fresh temporary directory for one test. */
static int setup_tmp(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/test_config.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Remove the temporary directory and everything in it. */
static int teardown_tmp(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write text to tmpdir/name; the full path goes to path. */
static void write_file(const char *name, const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Load text as a config file and expect failure with exactly "path:line: reason". */
static void expect_error(const char *text, int line, const char *reason)
{
	char path[128], err[512] = "", want[768];
	write_file("bad.conf", text, path, sizeof path);
	struct zt_config c = {0};
	bool ok = cfg_load_file(&c, path, err, sizeof err);
	cfg_free(&c);
	if (ok)
		fail_msg("config accepted:\n%s", text);
	snprintf(want, sizeof want, "%s:%d: %s", path, line, reason);
	if (strcmp(err, want) != 0)
		fail_msg("error \"%s\", want \"%s\"", err, want);
}

/* A good file sets every value it names; the rest keep their defaults. */
static void test_good_file(void **state)
{
	(void)state;
	char path[128], err[512] = "";
	write_file("good.conf",
			   "# zorgterm settings\n"
			   "server = \"https://zorg.example.nl:8443\";\n"
			   "ca_file = \"/etc/zorgterm/ca.pem\";\n"
			   "theme = \"high-contrast\";\n"
			   "language = \"en\";\n"
			   "user = \"coordinator\";\n"
			   "timeout = 30;\n"
			   "long_poll = 50;\n"
			   "keys = {\n"
			   "  search = \"s\";\n"
			   "  open = \"Enter\";\n"
			   "};\n",
			   path, sizeof path);
	struct zt_config c = {0};
	if (!cfg_load_file(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(c.server, "https://zorg.example.nl:8443");
	assert_string_equal(c.ca_file, "/etc/zorgterm/ca.pem");
	assert_string_equal(c.theme, "high-contrast");
	assert_string_equal(c.language, "en");
	assert_string_equal(c.user, "coordinator");
	assert_string_equal(c.log_level, "info");
	assert_int_equal(c.timeout, 30);
	assert_int_equal(c.long_poll, 50);
	assert_int_equal(c.nkeys, 2);
	assert_string_equal(c.keys[0].action, "search");
	assert_string_equal(c.keys[0].key, "s");
	assert_string_equal(c.keys[1].action, "open");
	assert_string_equal(c.keys[1].key, "Enter");
	assert_true(cfg_validate(&c, err, sizeof err));
	cfg_free(&c);
	assert_null(c.server);
	assert_null(c.keys);
	assert_int_equal(c.nkeys, 0);
}

/* An empty file gives the documented defaults. */
static void test_defaults(void **state)
{
	(void)state;
	char path[128], err[512] = "";
	write_file("empty.conf", "# nothing set\n", path, sizeof path);
	struct zt_config c = {0};
	if (!cfg_load_file(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(c.server, "https://127.0.0.1:8443");
	assert_string_equal(c.theme, "default");
	assert_string_equal(c.language, "nl");
	assert_string_equal(c.log_level, "info");
	assert_null(c.ca_file);
	assert_null(c.user);
	assert_int_equal(c.timeout, 15);
	assert_int_equal(c.long_poll, 25);
	assert_int_equal(c.nkeys, 0);
	assert_true(cfg_validate(&c, err, sizeof err));
	cfg_free(&c);
}

/* A syntax error names the file and the line. */
static void test_syntax_error(void **state)
{
	(void)state;
	expect_error("server = \"https://a.example\";\ntheme = \"light\";\ntimeout = ;\n", 3,
				 "syntax error");
	expect_error("theme = \"light\";\nkeys = {\n  search = \"s\";\n", 4, "syntax error");
}

/* An unknown setting, or one that only the command line takes, is refused. */
static void test_unknown_setting(void **state)
{
	(void)state;
	expect_error("theme = \"light\";\ncolour = \"red\";\n", 2, "unknown setting 'colour'");
	expect_error("\n\n\nconfig = \"/etc/other.conf\";\n", 4, "unknown setting 'config'");
	expect_error("print_config = true;\n", 1, "unknown setting 'print_config'");
	/* The config file spells options with underscores. */
	expect_error("long-poll = 5;\n", 1, "unknown setting 'long-poll'");
}

/* A value of the wrong type says what is expected. */
static void test_wrong_type(void **state)
{
	(void)state;
	expect_error("theme = \"light\";\ntimeout = \"abc\";\n", 2, "'timeout' must be a whole number");
	expect_error("timeout = 2.5;\n", 1, "'timeout' must be a whole number");
	expect_error("server = 8443;\n", 1, "'server' must be a string in double quotes");
	expect_error("theme = true;\n", 1, "'theme' must be a string in double quotes");
}

/* A number out of range gives the allowed range. */
static void test_out_of_range(void **state)
{
	(void)state;
	expect_error("timeout = 0;\n", 1, "timeout: '0' is not a whole number from 2 to 300");
	expect_error("\ntimeout = 301;\n", 2, "timeout: '301' is not a whole number from 2 to 300");
	expect_error("long_poll = -1;\n", 1, "long-poll: '-1' is not a whole number from 1 to 55");
	expect_error("timeout = 301L;\n", 1, "timeout: '301' is not a whole number from 2 to 300");
}

/* A number too big for 32 bits is refused, not wrapped into range (2^32 + 30 is not 30). */
static void test_huge_number_not_wrapped(void **state)
{
	(void)state;
	char path[128], err[512] = "";
	write_file("huge.conf", "timeout = 4294967326;\n", path, sizeof path);
	struct zt_config c = {0};
	bool ok = cfg_load_file(&c, path, err, sizeof err);
	int64_t got = c.timeout;
	cfg_free(&c);
	if (ok)
		fail_msg("timeout = 4294967326 was accepted as timeout = %lld", (long long)got);
	char want[160];
	snprintf(want, sizeof want, "%s:1: ", path);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "timeout"));
}

/* Members of the keys group must be non-empty strings; other groups are unknown. */
static void test_bad_keys_group(void **state)
{
	(void)state;
	expect_error("keys = {\n  search = \"s\";\n  open = 5;\n};\n", 3,
				 "keys.open must be a string in double quotes");
	expect_error("keys = {\n  search = \"\";\n};\n", 2, "keys.search: the key must not be empty");
	expect_error("theme = \"mono\";\ncolours = {\n  header = \"red\";\n};\n", 3,
				 "unknown group 'colours'");
}

/* A file that does not exist is reported with its path. */
static void test_missing_file(void **state)
{
	(void)state;
	char path[128], err[512] = "";
	snprintf(path, sizeof path, "%s/does-not-exist.conf", tmpdir);
	struct zt_config c = {0};
	assert_false(cfg_load_file(&c, path, err, sizeof err));
	cfg_free(&c);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "cannot read"));
}

/* Load an empty file (defaults) into c. */
static void load_defaults(struct zt_config *c)
{
	char path[128], err[512] = "";
	write_file("empty.conf", "", path, sizeof path);
	memset(c, 0, sizeof *c);
	assert_true(cfg_load_file(c, path, err, sizeof err));
}

/* Replace a string field of c. */
static void set_str(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
}

/* Validation rejects other languages, plain http, a bare scheme and unknown log levels. */
static void test_validate(void **state)
{
	(void)state;
	struct zt_config c;
	char err[512] = "";
	load_defaults(&c);
	set_str(&c.language, "de");
	assert_false(cfg_validate(&c, err, sizeof err));
	assert_non_null(strstr(err, "language"));
	assert_non_null(strstr(err, "'de'"));
	set_str(&c.language, "en");
	assert_true(cfg_validate(&c, err, sizeof err));

	set_str(&c.server, "http://127.0.0.1:8443");
	assert_false(cfg_validate(&c, err, sizeof err));
	assert_non_null(strstr(err, "server"));
	assert_non_null(strstr(err, "http://127.0.0.1:8443"));
	assert_non_null(strstr(err, "https://"));
	set_str(&c.server, "https://");
	assert_false(cfg_validate(&c, err, sizeof err));
	set_str(&c.server, "127.0.0.1:8443");
	assert_false(cfg_validate(&c, err, sizeof err));
	set_str(&c.server, "https://zorg.example.nl");
	assert_true(cfg_validate(&c, err, sizeof err));

	set_str(&c.log_level, "verbose");
	assert_false(cfg_validate(&c, err, sizeof err));
	assert_non_null(strstr(err, "log-level"));
	cfg_free(&c);
}

/* Profile names are user@host_port, with nothing that could leave the cache directory. */
static void test_profile(void **state)
{
	(void)state;
	char *p = paths_profile("https://127.0.0.1:8443", "coordinator");
	assert_string_equal(p, "coordinator@127.0.0.1_8443");
	free(p);
	p = paths_profile("https://zorg.example.nl/api/", "wijk/verpleegkundige");
	assert_string_equal(p, "wijk_verpleegkundige@zorg.example.nl_api_");
	free(p);
	p = paths_profile("https://[::1]:8443", "../../etc/passwd");
	assert_null(strchr(p, '/'));
	assert_null(strchr(p, ':'));
	free(p);
	p = paths_profile("zorg.example.nl", "Jos\xc3\xa9 B");
	assert_null(strchr(p, '/'));
	assert_null(strchr(p, ' '));
	for (const unsigned char *s = (const unsigned char *)p; *s; s++)
		assert_true(*s < 0x80);
	free(p);
}

/* Assert that dir exists as a directory with mode 0700. */
static void expect_private_dir(const char *dir)
{
	struct stat sb;
	if (stat(dir, &sb) != 0)
		fail_msg("%s was not created", dir);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);
}

/* XDG_STATE_HOME and XDG_CACHE_HOME are honoured and the directories made 0700. */
static void test_xdg_dirs(void **state)
{
	(void)state;
	char state_home[128], cache_home[128], want[160];
	snprintf(state_home, sizeof state_home, "%s/state/deeper", tmpdir);
	snprintf(cache_home, sizeof cache_home, "%s/cache", tmpdir);
	setenv("XDG_STATE_HOME", state_home, 1);
	setenv("XDG_CACHE_HOME", cache_home, 1);

	char *d = paths_state_dir();
	snprintf(want, sizeof want, "%s/zorgterm", state_home);
	assert_string_equal(d, want);
	expect_private_dir(d);
	expect_private_dir(state_home);
	free(d);

	d = paths_cache_dir();
	snprintf(want, sizeof want, "%s/zorgterm", cache_home);
	assert_string_equal(d, want);
	expect_private_dir(d);
	free(d);

	/* Asking again for an existing directory is fine. */
	d = paths_cache_dir();
	assert_string_equal(d, want);
	free(d);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CACHE_HOME");
}

/* A relative XDG value is ignored (the spec says so): $HOME's defaults are used. */
static void test_xdg_relative_ignored(void **state)
{
	(void)state;
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	setenv("HOME", tmpdir, 1);
	setenv("XDG_STATE_HOME", "relative/state", 1);
	setenv("XDG_CACHE_HOME", "", 1);
	unsetenv("XDG_CONFIG_HOME");
	char want[160];

	char *d = paths_state_dir();
	snprintf(want, sizeof want, "%s/.local/state/zorgterm", tmpdir);
	assert_string_equal(d, want);
	expect_private_dir(d);
	free(d);

	d = paths_cache_dir();
	snprintf(want, sizeof want, "%s/.cache/zorgterm", tmpdir);
	assert_string_equal(d, want);
	expect_private_dir(d);
	free(d);

	d = paths_config_file();
	snprintf(want, sizeof want, "%s/.config/zorgterm/zorgterm.conf", tmpdir);
	assert_string_equal(d, want);
	free(d);

	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CACHE_HOME");
	if (old_home) {
		setenv("HOME", old_home, 1);
		free(old_home);
	}
}

/* paths_mkdir creates missing parents and accepts an existing directory. */
static void test_mkdir(void **state)
{
	(void)state;
	char dir[160];
	snprintf(dir, sizeof dir, "%s/a/b/c", tmpdir);
	assert_int_equal(paths_mkdir(dir), 0);
	expect_private_dir(dir);
	assert_int_equal(paths_mkdir(dir), 0);
	/* A file in the way is an error. */
	char file[160], below[200];
	write_file("plain", "x", file, sizeof file);
	snprintf(below, sizeof below, "%s/sub", file);
	assert_int_not_equal(paths_mkdir(below), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_tmp, teardown_tmp)
	const struct CMUnitTest tests[] = {
		T(test_good_file),
		T(test_defaults),
		T(test_syntax_error),
		T(test_unknown_setting),
		T(test_wrong_type),
		T(test_out_of_range),
		T(test_huge_number_not_wrapped),
		T(test_bad_keys_group),
		T(test_missing_file),
		T(test_validate),
		cmocka_unit_test(test_profile),
		T(test_xdg_dirs),
		T(test_xdg_relative_ignored),
		T(test_mkdir),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
