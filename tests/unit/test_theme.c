/* Unit tests for ui/theme.c: theme files, error messages, depth choice and colour fallback. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "theme.h"

#include <curses.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The themes every installation must ship. */
static const char *const required[] = {"default", "light", "dark", "high-contrast", "mono"};

/* Slot names in enum order, for messages. */
static const char *const slot_name[THEME_NSLOTS] = {
#define X(id, name, help) [THEME_##id] = name,
	THEME_SLOTS(X)
#undef X
};

/* A temporary directory for bad theme files, made by setup and removed by teardown. */
static char tmpdir[64];

/* Make the temporary directory for one test. */
static int setup_tmp(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/test_theme.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Remove the temporary directory and the theme files written into it. */
static int teardown_tmp(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char p[512];
			snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	return rmdir(tmpdir);
}

/* Write text to tmpdir/name.theme. */
static void write_theme(const char *name, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s.theme", tmpdir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Load tmpdir/name.theme expecting failure with exactly "tmpdir/name.theme:line: reason". */
static void expect_error(const char *name, int line, const char *reason)
{
	struct theme t;
	char err[512], want[512];
	err[0] = '\0';
	if (theme_load(&t, tmpdir, name, err, sizeof err))
		fail_msg("%s/%s.theme loaded without error", tmpdir, name);
	snprintf(want, sizeof want, "%s/%s.theme:%d: %s", tmpdir, name, line, reason);
	assert_string_equal(err, want);
	/* A failed load leaves the built-in theme behind, ready to use. */
	struct theme b;
	theme_builtin(&b);
	assert_memory_equal(t.slot, b.slot, sizeof b.slot);
}

/* Check that one (loaded or built-in) theme has sane values in every slot. */
static void check_sane(const struct theme *t)
{
	const unsigned all = THEME_ATTR_BOLD | THEME_ATTR_REVERSE | THEME_ATTR_UNDERLINE |
			     THEME_ATTR_DIM;
	assert_true(t->name[0] != '\0');
	for (int i = 0; i < THEME_NSLOTS; i++) {
		const struct theme_spec *s = &t->slot[i];
		if (s->fg < -1 || s->fg > 255 || s->bg < -1 || s->bg > 255)
			fail_msg("%s: slot %s has colours %d/%d", t->name, slot_name[i], s->fg, s->bg);
		assert_int_equal(s->attr & ~all, 0);
		assert_int_equal(s->mono_attr & ~all, 0);
	}
	/* Selection and header must stand out in monochrome on their own. */
	assert_true(t->slot[THEME_SELECTION].mono_attr & THEME_ATTR_REVERSE);
	assert_true(t->slot[THEME_HEADER].mono_attr & THEME_ATTR_REVERSE);
	/* ok / warn / bad differ in monochrome and are not plain text there. */
	unsigned ok = t->slot[THEME_STATUS_OK].mono_attr;
	unsigned warn = t->slot[THEME_STATUS_WARN].mono_attr;
	unsigned bad = t->slot[THEME_STATUS_BAD].mono_attr;
	assert_true(ok && warn && bad);
	assert_true(ok != warn && warn != bad && ok != bad);
	const enum theme_depth depths[] = {THEME_8, THEME_16, THEME_256};
	for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
		/* After fallback no slot may end up with the same foreground and background. */
		for (int i = 0; i < THEME_NSLOTS; i++) {
			short fg = theme_fallback_color(t->slot[i].fg, depths[d]);
			short bg = theme_fallback_color(t->slot[i].bg, depths[d]);
			if (fg >= 0 && fg == bg)
				fail_msg("%s: slot %s is %d on %d at depth %d", t->name, slot_name[i], fg,
					 bg, (int)depths[d]);
		}
		/* Coloured status slots keep three different colours (or attributes) at every depth. */
		int cf[3];
		unsigned ca[3];
		for (int k = 0; k < 3; k++) {
			const struct theme_spec *s = &t->slot[THEME_STATUS_OK + k];
			cf[k] = theme_fallback_color(s->fg, depths[d]) * 256 +
				theme_fallback_color(s->bg, depths[d]);
			ca[k] = s->attr;
		}
		for (int a = 0; a < 3; a++)
			for (int b = a + 1; b < 3; b++)
				if (cf[a] == cf[b] && ca[a] == ca[b])
					fail_msg("%s: %s and %s look the same at depth %d", t->name,
						 slot_name[THEME_STATUS_OK + a],
						 slot_name[THEME_STATUS_OK + b], (int)depths[d]);
	}
}

/* Every .theme file in themes/ parses, carries its own file name, and is sane. */
static void test_all_theme_files_parse(void **state)
{
	(void)state;
	DIR *d = opendir("themes");
	assert_non_null(d);
	int count = 0;
	bool seen[sizeof required / sizeof required[0]] = {false};
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0)
			continue;
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(len - 6), e->d_name);
		struct theme t;
		char err[512] = "";
		if (!theme_load(&t, "themes", name, err, sizeof err))
			fail_msg("%s", err);
		assert_string_equal(t.name, name);
		check_sane(&t);
		for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
			if (strcmp(name, required[i]) == 0)
				seen[i] = true;
		count++;
	}
	closedir(d);
	assert_true(count >= 5);
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!seen[i])
			fail_msg("themes/%s.theme is missing", required[i]);
}

/* The built-in theme equals themes/default.theme, so a missing file changes nothing. */
static void test_builtin_matches_default_file(void **state)
{
	(void)state;
	struct theme b, f;
	char err[512] = "";
	theme_builtin(&b);
	if (!theme_load(&f, "themes", "default", err, sizeof err))
		fail_msg("%s", err);
	for (int i = 0; i < THEME_NSLOTS; i++) {
		const struct theme_spec *x = &b.slot[i], *y = &f.slot[i];
		if (x->fg != y->fg || x->bg != y->bg || x->attr != y->attr ||
		    x->mono_attr != y->mono_attr)
			fail_msg("slot %s differs between builtin and default.theme", slot_name[i]);
	}
}

/* The built-in theme has sensible values in every slot. */
static void test_builtin_sane(void **state)
{
	(void)state;
	struct theme t;
	theme_builtin(&t);
	check_sane(&t);
	assert_string_equal(t.name, "default");
	assert_int_equal(t.slot[THEME_HEADER].fg, 7);
	assert_int_equal(t.slot[THEME_HEADER].bg, 4);
	assert_int_equal(t.slot[THEME_SELECTION].bg, 6);
	assert_int_equal(t.slot[THEME_STATUS_OK].fg, 2);
	assert_int_equal(t.slot[THEME_STATUS_WARN].fg, 3);
	assert_int_equal(t.slot[THEME_STATUS_BAD].fg, 1);
	assert_int_equal(t.slot[THEME_NORMAL].fg, -1);
	assert_int_equal(t.slot[THEME_NORMAL].bg, -1);
	/* The default theme needs no more than 16 colours, so 16-colour terminals show it as is. */
	for (int i = 0; i < THEME_NSLOTS; i++) {
		assert_true(t.slot[i].fg < 16);
		assert_true(t.slot[i].bg < 16);
	}
}

/* Slots and keys a file leaves out keep their built-in values; names and numbers both work. */
static void test_partial_file_keeps_builtin(void **state)
{
	(void)state;
	write_theme("partial", "# only two slots\n"
			       "slots = {\n"
			       "  header = { bg = \"Bright-Red\"; attr = \"bold, underline\"; };\n"
			       "  muted  = { fg = 244; mono = \"none\"; };\n"
			       "};\n");
	struct theme t, b;
	char err[512] = "";
	theme_builtin(&b);
	if (!theme_load(&t, tmpdir, "partial", err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(t.name, "partial");
	assert_int_equal(t.slot[THEME_HEADER].fg, b.slot[THEME_HEADER].fg);
	assert_int_equal(t.slot[THEME_HEADER].bg, 9);
	assert_int_equal(t.slot[THEME_HEADER].attr, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE);
	assert_int_equal(t.slot[THEME_HEADER].mono_attr, b.slot[THEME_HEADER].mono_attr);
	assert_int_equal(t.slot[THEME_MUTED].fg, 244);
	assert_int_equal(t.slot[THEME_MUTED].mono_attr, 0);
	assert_memory_equal(&t.slot[THEME_SELECTION], &b.slot[THEME_SELECTION],
			    sizeof b.slot[THEME_SELECTION]);
}

/* Bad files give "file:line: reason" messages. */
static void test_bad_files(void **state)
{
	(void)state;
	write_theme("colour", "name = \"colour\";\n"
			      "slots = {\n"
			      "  normal = { fg = \"default\"; };\n"
			      "  header = { fg = \"purpel\"; };\n"
			      "};\n");
	expect_error("colour", 4, "unknown colour 'purpel'");

	write_theme("slot", "name = \"slot\";\n"
			    "slots = {\n"
			    "\n"
			    "  hedaer = { fg = \"white\"; };\n"
			    "};\n");
	expect_error("slot", 4, "unknown slot 'hedaer'");

	write_theme("syntax", "name = \"syntax\";\n"
			      "slots = {\n"
			      "  header = { fg = \"white\"; bg = ; };\n"
			      "};\n");
	expect_error("syntax", 3, "syntax error");

	write_theme("range", "slots = {\n  muted = {\n    fg = 300;\n  };\n};\n");
	expect_error("range", 3, "colour 300 out of range 0..255");

	write_theme("attr", "slots = { title = { attr = \"bold,blod\"; }; };\n");
	expect_error("attr", 1, "unknown attribute 'blod'");

	write_theme("empty", "slots = { title = { mono = \"bold,\"; }; };\n");
	expect_error("empty", 1, "empty attribute in 'bold,'");

	write_theme("key", "slots = {\n  title = { fgg = \"red\"; };\n};\n");
	expect_error("key", 2, "unknown key 'fgg' in slot 'title' (fg, bg, attr, mono)");

	write_theme("type", "slots = {\n  title = { fg = 1.5; };\n};\n");
	expect_error("type", 2, "'fg' must be a colour name or a number 0..255");

	write_theme("group", "slots = {\n  title = \"red\";\n};\n");
	expect_error("group", 2,
		     "slot 'title' must be a group like { fg = \"white\"; bg = \"blue\"; }");

	write_theme("top", "name = \"top\";\ncolours = { };\n");
	expect_error("top", 2, "unknown setting 'colours' (name, slots)");

	write_theme("noname", "name = 3;\n");
	expect_error("noname", 1, "name must be a non-empty string");
}

/* Missing files and unsafe names fail with a message naming them. */
static void test_missing_and_invalid(void **state)
{
	(void)state;
	struct theme t;
	char err[512], want[512];
	assert_false(theme_load(&t, tmpdir, "nothere", err, sizeof err));
	snprintf(want, sizeof want, "%s/nothere.theme: cannot open: No such file or directory",
		 tmpdir);
	assert_string_equal(err, want);

	assert_false(theme_load(&t, "themes", "../etc/passwd", err, sizeof err));
	assert_string_equal(err, "invalid theme name '../etc/passwd'");
	assert_false(theme_load(&t, "themes", "", err, sizeof err));
	assert_string_equal(err, "invalid theme name ''");

	/* A tiny error buffer is filled without overflow. */
	char small[8];
	assert_false(theme_load(&t, tmpdir, "nothere", small, sizeof small));
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_false(theme_load(&t, tmpdir, "nothere", NULL, 0));
}

/* theme_pick_depth follows NO_COLOR, has_colors and the colour count. */
static void test_pick_depth(void **state)
{
	(void)state;
	static const struct {
		int colors;
		bool has;
		const char *no_color;
		enum theme_depth want;
	} cases[] = {
		{256, true, NULL, THEME_256},    {16777216, true, NULL, THEME_256},
		{255, true, NULL, THEME_16},     {88, true, NULL, THEME_16},
		{16, true, NULL, THEME_16},      {15, true, NULL, THEME_8},
		{8, true, NULL, THEME_8},        {7, true, NULL, THEME_MONO},
		{0, true, NULL, THEME_MONO},     {-1, true, NULL, THEME_MONO},
		{256, false, NULL, THEME_MONO},  {8, false, NULL, THEME_MONO},
		{256, true, "", THEME_256},      {8, true, "", THEME_8},
		{256, true, "1", THEME_MONO},    {16, true, "0", THEME_MONO},
		{256, false, "", THEME_MONO},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum theme_depth got =
			theme_pick_depth(cases[i].colors, cases[i].has, cases[i].no_color);
		if (got != cases[i].want)
			fail_msg("case %zu: colors=%d has=%d NO_COLOR=%s: got %d, want %d", i,
				 cases[i].colors, cases[i].has,
				 cases[i].no_color ? cases[i].no_color : "(unset)", (int)got,
				 (int)cases[i].want);
	}
}

/* theme_fallback_color maps examples as documented and always lands inside the depth. */
static void test_fallback_color(void **state)
{
	(void)state;
	/* -1 stays -1 everywhere. */
	assert_int_equal(theme_fallback_color(-1, THEME_256), -1);
	assert_int_equal(theme_fallback_color(-1, THEME_16), -1);
	assert_int_equal(theme_fallback_color(-1, THEME_8), -1);
	assert_int_equal(theme_fallback_color(-1, THEME_MONO), -1);
	/* 256 is unchanged, mono has no colours. */
	assert_int_equal(theme_fallback_color(196, THEME_256), 196);
	assert_int_equal(theme_fallback_color(9, THEME_256), 9);
	assert_int_equal(theme_fallback_color(4, THEME_MONO), -1);
	assert_int_equal(theme_fallback_color(244, THEME_MONO), -1);
	/* Cube colours to the nearest standard colour. */
	short red = theme_fallback_color(196, THEME_16);
	assert_true(red == 1 || red == 9);
	assert_int_equal(theme_fallback_color(16, THEME_16), 0);
	assert_int_equal(theme_fallback_color(231, THEME_16), 15);
	assert_int_equal(theme_fallback_color(46, THEME_16), 10);
	assert_int_equal(theme_fallback_color(21, THEME_16), 4);
	assert_int_equal(theme_fallback_color(63, THEME_16), 12);
	assert_int_equal(theme_fallback_color(28, THEME_16), 2);
	/* The grey ramp to black, grey, light grey or white by lightness. */
	short grey = theme_fallback_color(244, THEME_16);
	assert_true(grey == 7 || grey == 8);
	assert_int_equal(theme_fallback_color(232, THEME_16), 0);
	assert_int_equal(theme_fallback_color(255, THEME_16), 7); /* 238,238,238 */
	assert_int_equal(theme_fallback_color(252, THEME_16), 7);
	/* 16 colours keep 0..15; 8 colours fold the bright ones onto 0..7. */
	for (short c = 0; c < 16; c++)
		assert_int_equal(theme_fallback_color(c, THEME_16), c);
	assert_int_equal(theme_fallback_color(9, THEME_8), 1);
	assert_int_equal(theme_fallback_color(15, THEME_8), 7);
	assert_int_equal(theme_fallback_color(12, THEME_8), 4);
	assert_int_equal(theme_fallback_color(196, THEME_8), 1);
	/* Bright-black (grey) becomes light grey, not black, so muted text stays visible. */
	assert_int_equal(theme_fallback_color(8, THEME_8), 7);
	for (short c = 0; c < 8; c++)
		assert_int_equal(theme_fallback_color(c, THEME_8), c);
	/* Every palette colour lands inside the depth; out-of-range input gives -1. */
	for (short c = 0; c < 256; c++) {
		short s16 = theme_fallback_color(c, THEME_16);
		short s8 = theme_fallback_color(c, THEME_8);
		assert_true(s16 >= 0 && s16 < 16);
		assert_true(s8 >= 0 && s8 < 8);
		assert_int_equal(theme_fallback_color(c, THEME_256), c);
	}
	assert_int_equal(theme_fallback_color(256, THEME_256), -1);
	assert_int_equal(theme_fallback_color(-2, THEME_16), -1);
}

/* theme_dir prefers $ZORGTERM_THEMES and otherwise names a themes directory. */
static void test_theme_dir(void **state)
{
	(void)state;
	const char *old = getenv("ZORGTERM_THEMES");
	char *saved = old ? strdup(old) : NULL;
	setenv("ZORGTERM_THEMES", "/opt/zt/themes", 1);
	assert_string_equal(theme_dir(), "/opt/zt/themes");
	unsetenv("ZORGTERM_THEMES");
	const char *d = theme_dir();
	assert_non_null(d);
	size_t len = strlen(d);
	assert_true(len >= 6 && strcmp(d + len - 6, "themes") == 0);
	if (saved) {
		setenv("ZORGTERM_THEMES", saved, 1);
		free(saved);
	}
}

/* Exit status of the curses child when no terminal description is available. */
#define APPLY_SKIP 77

/* Report a failed check in the curses child and return its line as the exit status. */
#define CHILD_CHECK(cond)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "test_theme.c:%d: %s\n", __LINE__, #cond); \
			return 1;                                               \
		}                                                               \
	} while (0)

/* Exercise theme_apply on a curses screen writing to /dev/null (run in a child process). */
static int apply_child(void)
{
	FILE *out = fopen("/dev/null", "w");
	FILE *in = fopen("/dev/null", "r");
	if (!out || !in)
		return APPLY_SKIP;
	SCREEN *sc = newterm("xterm-256color", out, in);
	if (!sc)
		return APPLY_SKIP;
	set_term(sc);
	if (!has_colors() || start_color() != OK || COLORS < 256)
		return APPLY_SKIP;
	struct theme t;
	theme_builtin(&t);
	short fg, bg;

	theme_apply(&t, THEME_256);
	CHILD_CHECK(theme_attr(THEME_HEADER) == (int)(COLOR_PAIR(THEME_HEADER + 1) | A_BOLD));
	CHILD_CHECK(pair_content(THEME_HEADER + 1, &fg, &bg) == OK && fg == 7 && bg == 4);
	CHILD_CHECK(pair_content(THEME_MUTED + 1, &fg, &bg) == OK && fg == 8 && bg == -1);
	CHILD_CHECK(theme_attr(THEME_SELECTION) == (int)COLOR_PAIR(THEME_SELECTION + 1));

	t.slot[THEME_MATCH].fg = 196;
	t.slot[THEME_MATCH].bg = 160;
	theme_apply(&t, THEME_8);
	CHILD_CHECK(pair_content(THEME_MUTED + 1, &fg, &bg) == OK && fg == 7 && bg == -1);
	/* 196 and 160 both become red: the foreground is made readable. */
	CHILD_CHECK(pair_content(THEME_MATCH + 1, &fg, &bg) == OK && bg == 1 && fg != 1);

	theme_apply(&t, THEME_MONO);
	CHILD_CHECK((theme_attr(THEME_SELECTION) & A_REVERSE) != 0);
	CHILD_CHECK((theme_attr(THEME_SELECTION) & A_COLOR) == 0);
	CHILD_CHECK((theme_attr(THEME_HEADER) & A_REVERSE) != 0);
	CHILD_CHECK(theme_attr(THEME_STATUS_OK) == A_BOLD);
	CHILD_CHECK(theme_attr(THEME_STATUS_WARN) == A_UNDERLINE);
	CHILD_CHECK(theme_attr(THEME_STATUS_BAD) == A_REVERSE);
	/* Mono forces reverse on selection even when a theme forgets it. */
	t.slot[THEME_SELECTION].mono_attr = 0;
	theme_apply(&t, THEME_MONO);
	CHILD_CHECK(theme_attr(THEME_SELECTION) == A_REVERSE);

	endwin();
	delscreen(sc);
	fclose(out);
	fclose(in);
	return 0;
}

/* theme_apply sets colour pairs and attributes; skipped without a terminfo entry. */
static void test_apply(void **state)
{
	(void)state;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(apply_child()); /* _exit: no cmocka or leak-checker teardown in the child */
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == APPLY_SKIP)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Run the theme tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_theme_files_parse),
		cmocka_unit_test(test_builtin_matches_default_file),
		cmocka_unit_test(test_builtin_sane),
		cmocka_unit_test_setup_teardown(test_partial_file_keeps_builtin, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_bad_files, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_missing_and_invalid, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_pick_depth),
		cmocka_unit_test(test_fallback_color),
		cmocka_unit_test(test_theme_dir),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests_name("theme", tests, NULL, NULL);
}
