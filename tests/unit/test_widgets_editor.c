/* Unit tests of the text editor widget's model (ui/widgets/editor.c, wrap.c): editing
 * across multi-byte characters, word and line moves, wrap positions and the incremental
 * wrap cache, the limit of 64,000 code points, paste, and the counter text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/dutch.h"
#include "widgets/editor.h"
#include "widgets/wgt.h"
#include "widgets/wrap.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E_ACUTE "\xc3\xa9"              /* é, one code point */
#define E_COMBINING "e\xcc\x81"         /* e + combining acute: two code points, one character */
#define EMOJI "\xf0\x9f\x98\x80"        /* U+1F600, two columns */
#define HAN "\xe6\xbc\xa2"              /* 漢, two columns */

static int setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

/* Assert the editor's text is want. */
static void expect_text(const struct editor *ed, const char *want)
{
	char *got = editor_text(ed);
	assert_string_equal(got, want);
	free(got);
}

/* Assert the visual line starts are want[0..n). */
static void expect_lines(const struct editor *ed, const size_t *want, size_t n)
{
	assert_int_equal(ed->nline, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ed->line[i], want[i]);
}

static void test_insert_delete_multibyte(void **state)
{
	(void)state;
	struct editor ed;
	editor_init(&ed, 100);
	editor_insert(&ed, "a" E_ACUTE EMOJI E_COMBINING "z", strlen("a" E_ACUTE EMOJI E_COMBINING "z"));
	assert_int_equal(ed.ncp, 6); /* a é 😀 e ◌́ z */
	assert_true(editor_move(&ed, EDITOR_LEFT)); /* before z */
	assert_true(editor_backspace(&ed));          /* removes e + combining mark together */
	expect_text(&ed, "a" E_ACUTE EMOJI "z");
	assert_int_equal(ed.ncp, 4);
	assert_true(editor_backspace(&ed)); /* the emoji, all four bytes */
	expect_text(&ed, "a" E_ACUTE "z");
	editor_move(&ed, EDITOR_LEFT);
	assert_true(editor_delete(&ed)); /* é */
	expect_text(&ed, "az");
	editor_move(&ed, EDITOR_TOP);
	assert_false(editor_backspace(&ed));
	editor_move(&ed, EDITOR_BOTTOM);
	assert_false(editor_delete(&ed));
	/* Inserting in the middle of multi-byte text keeps it valid. */
	editor_set_text(&ed, E_ACUTE E_ACUTE);
	editor_move(&ed, EDITOR_LEFT);
	editor_insert(&ed, HAN, strlen(HAN));
	expect_text(&ed, E_ACUTE HAN E_ACUTE);
	assert_int_equal(ed.cur, 5);
	editor_free(&ed);
}

static void test_control_text_is_cleaned(void **state)
{
	(void)state;
	struct editor ed;
	editor_init(&ed, 100);
	const char in[] = "a\x1b[31mb\r\nc\rd\te\xe2\x80\xae";
	editor_insert(&ed, in, sizeof in - 1);
	/* ESC becomes its visible picture, CR LF and CR become newlines, the tab a space,
	 * the right-to-left override U+FFFD. */
	expect_text(&ed, "a\xe2\x90\x9b[31mb\nc\nd e\xef\xbf\xbd");
	editor_free(&ed);
}

static void test_word_moves(void **state)
{
	(void)state;
	struct editor ed;
	editor_init(&ed, 100);
	editor_set_text(&ed, "Caf" E_ACUTE " op  de\nhoek");
	editor_move(&ed, EDITOR_TOP);
	editor_move(&ed, EDITOR_WORD_RIGHT);
	assert_int_equal(ed.cur, 6); /* "op" (é is two bytes) */
	editor_move(&ed, EDITOR_WORD_RIGHT);
	assert_int_equal(ed.cur, 10); /* "de", past two spaces */
	editor_move(&ed, EDITOR_WORD_RIGHT);
	assert_int_equal(ed.cur, 13); /* "hoek", past the newline */
	editor_move(&ed, EDITOR_WORD_RIGHT);
	assert_int_equal(ed.cur, 17);
	editor_move(&ed, EDITOR_WORD_LEFT);
	assert_int_equal(ed.cur, 13);
	editor_move(&ed, EDITOR_WORD_LEFT);
	assert_int_equal(ed.cur, 10);
	editor_move(&ed, EDITOR_WORD_LEFT);
	editor_move(&ed, EDITOR_WORD_LEFT);
	assert_int_equal(ed.cur, 0);
	assert_false(editor_move(&ed, EDITOR_WORD_LEFT));
	editor_free(&ed);
}

static void test_wrap_positions(void **state)
{
	(void)state;
	struct editor ed;
	editor_init(&ed, 1000);
	editor_layout(&ed, 10, 5);
	editor_set_text(&ed, "hello world foo bar");
	size_t a[] = {0, 6, 16};
	expect_lines(&ed, a, 3); /* "hello " | "world foo " | "bar" */
	/* A word longer than the line is cut; wide characters never split. */
	editor_set_text(&ed, "abcdefghijklmno");
	size_t b[] = {0, 10};
	expect_lines(&ed, b, 2);
	editor_set_text(&ed, "abcdefghi" EMOJI "x");
	size_t c[] = {0, 9};
	expect_lines(&ed, c, 2); /* the emoji (two columns) does not fit in column 10 */
	/* Combining marks take no column: ten é made of e + mark fit one line. */
	char ten[64] = "";
	for (int i = 0; i < 10; i++)
		strcat(ten, E_COMBINING);
	strcat(ten, "x");
	editor_set_text(&ed, ten);
	size_t d[] = {0, 30};
	expect_lines(&ed, d, 2);
	/* A combining mark after a line break stands alone, one column wide. */
	editor_set_text(&ed, "a\n\xcc\x81" "bc");
	editor_move(&ed, EDITOR_HOME);
	assert_int_equal(ed.cur, 2);
	editor_move(&ed, EDITOR_RIGHT);
	assert_int_equal(ed.cur, 4);
	size_t line;
	int col;
	editor_cursor(&ed, &line, &col);
	assert_int_equal(col, 1);
	editor_move(&ed, EDITOR_LEFT);
	editor_move(&ed, EDITOR_LEFT);
	assert_int_equal(ed.cur, 1); /* before the newline, not inside a character */
	/* Newlines end lines, an empty last line included. */
	editor_set_text(&ed, "a\n\nb\n");
	size_t e[] = {0, 2, 3, 5};
	expect_lines(&ed, e, 4);
	/* Changing the width wraps again. */
	editor_set_text(&ed, "hello world foo bar");
	editor_layout(&ed, 20, 5);
	size_t f[] = {0};
	expect_lines(&ed, f, 1);
	editor_free(&ed);
}

/* The cache after random edits equals a fresh wrap of the same text. */
static void test_incremental_wrap_matches_rebuild(void **state)
{
	(void)state;
	const char *pieces[] = {"a", " ", "lang woord ", "\n", E_ACUTE, EMOJI, E_COMBINING, "xyzzy",
							"  ", "een twee drie vier vijf zes zeven acht negen tien "};
	struct editor ed, fresh;
	editor_init(&ed, 100000);
	editor_init(&fresh, 100000);
	editor_layout(&ed, 13, 6);
	editor_layout(&fresh, 13, 6);
	srand(7);
	for (int step = 0; step < 3000; step++) {
		int op = rand() % 10;
		if (op < 5) {
			const char *p = pieces[rand() % 10];
			editor_insert(&ed, p, strlen(p));
		} else if (op < 7) {
			editor_backspace(&ed);
		} else if (op < 8) {
			editor_delete(&ed);
		} else {
			editor_move(&ed, (enum editor_move)(rand() % 12));
		}
		if (step % 50 == 0 || step > 2900) {
			char *t = editor_text(&ed);
			editor_set_text(&fresh, t);
			free(t);
			assert_int_equal(ed.nline, fresh.nline);
			assert_memory_equal(ed.line, fresh.line, ed.nline * sizeof *ed.line);
		}
	}
	editor_free(&ed);
	editor_free(&fresh);
}

static void test_line_moves(void **state)
{
	(void)state;
	struct editor ed;
	editor_init(&ed, 1000);
	editor_layout(&ed, 10, 2);
	editor_set_text(&ed, "hello world foo bar\nab");
	/* lines: "hello " 0 | "world foo " 6 | "bar" 16 | "ab" 20 */
	size_t want[] = {0, 6, 16, 20};
	expect_lines(&ed, want, 4);
	editor_move(&ed, EDITOR_TOP);
	editor_move(&ed, EDITOR_RIGHT);
	editor_move(&ed, EDITOR_RIGHT);
	editor_move(&ed, EDITOR_RIGHT); /* column 3 */
	editor_move(&ed, EDITOR_DOWN);
	assert_int_equal(ed.cur, 9);
	editor_move(&ed, EDITOR_DOWN);
	assert_int_equal(ed.cur, 19); /* "bar" has 3 columns: end of the line */
	editor_move(&ed, EDITOR_DOWN);
	assert_int_equal(ed.cur, 22); /* the goal column survives a short line: "ab" end */
	editor_move(&ed, EDITOR_UP);
	editor_move(&ed, EDITOR_UP);
	assert_int_equal(ed.cur, 9);
	editor_move(&ed, EDITOR_END);
	assert_int_equal(ed.cur, 15); /* before the space the line broke after */
	editor_move(&ed, EDITOR_HOME);
	assert_int_equal(ed.cur, 6);
	/* Page moves go height - 1 lines and scroll. */
	editor_move(&ed, EDITOR_PAGE_DOWN);
	assert_int_equal(editor_line_of(&ed, ed.cur), 2);
	assert_true(ed.top <= 2 && ed.top + 2 > 2);
	editor_move(&ed, EDITOR_PAGE_UP);
	editor_move(&ed, EDITOR_PAGE_UP);
	assert_int_equal(editor_line_of(&ed, ed.cur), 0);
	assert_int_equal(ed.top, 0);
	size_t line;
	int col;
	editor_move(&ed, EDITOR_BOTTOM);
	editor_cursor(&ed, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 2);
	assert_int_equal(ed.top, 2);
	editor_free(&ed);
}

/* End on a line where a long word was cut goes after its last character, shown at the
 * end of that line; typing there continues the word. */
static void test_end_of_cut_line(void **state)
{
	(void)state;
	struct editor ed;
	size_t line;
	int col;
	editor_init(&ed, 1000);
	editor_layout(&ed, 10, 5);
	editor_set_text(&ed, "abcdefghijklmnopqrstuvwxyz");
	size_t want[] = {0, 10, 20};
	expect_lines(&ed, want, 3);
	editor_move(&ed, EDITOR_TOP);
	assert_true(editor_move(&ed, EDITOR_END));
	assert_int_equal(ed.cur, 10);
	editor_cursor(&ed, &line, &col);
	assert_int_equal(line, 0);
	assert_int_equal(col, 10);
	editor_move(&ed, EDITOR_HOME); /* the line shown, not the next */
	assert_int_equal(ed.cur, 0);
	editor_move(&ed, EDITOR_END);
	editor_move(&ed, EDITOR_DOWN); /* the goal column 10: the end of line 1 too */
	assert_int_equal(ed.cur, 20);
	editor_cursor(&ed, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 10);
	editor_insert(&ed, "!", 1); /* after 't' */
	expect_text(&ed, "abcdefghijklmnopqrst!uvwxyz");
	editor_cursor(&ed, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	editor_move(&ed, EDITOR_LEFT);
	editor_move(&ed, EDITOR_LEFT); /* a plain move: the start of line 2 is on line 2 */
	assert_int_equal(ed.cur, 19);
	editor_move(&ed, EDITOR_RIGHT);
	editor_cursor(&ed, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 0);
	editor_free(&ed);
}

static void test_limit_exactly(void **state)
{
	(void)state;
	struct editor ed;
	editor_init(&ed, EDITOR_MESSAGE_LIMIT);
	char *text = malloc(EDITOR_MESSAGE_LIMIT + 16);
	memset(text, 'a', EDITOR_MESSAGE_LIMIT - 2);
	text[EDITOR_MESSAGE_LIMIT - 2] = '\0';
	assert_int_equal(editor_set_text(&ed, text), 0);
	assert_int_equal(editor_insert(&ed, E_ACUTE, 2), 0); /* 63,999 */
	assert_int_equal(editor_insert(&ed, EMOJI, 4), 0);   /* 64,000: é and emoji one each */
	assert_int_equal(ed.ncp, EDITOR_MESSAGE_LIMIT);
	assert_int_equal(editor_insert(&ed, "x", 1), 1);
	assert_int_equal(ed.refused, 1);
	assert_int_equal(ed.ncp, EDITOR_MESSAGE_LIMIT);
	assert_int_equal(editor_len(&ed), EDITOR_MESSAGE_LIMIT - 2 + 6);
	/* After a deletion there is room for exactly one again. */
	assert_true(editor_backspace(&ed));
	assert_int_equal(ed.refused, 0);
	assert_int_equal(editor_insert(&ed, EMOJI EMOJI, 8), 1);
	assert_int_equal(ed.ncp, EDITOR_MESSAGE_LIMIT);
	/* A text that is too long is cut at the limit. */
	memset(text, 'b', EDITOR_MESSAGE_LIMIT + 10);
	text[EDITOR_MESSAGE_LIMIT + 10] = '\0';
	assert_int_equal(editor_set_text(&ed, text), 10);
	assert_int_equal(ed.ncp, EDITOR_MESSAGE_LIMIT);
	free(text);
	editor_free(&ed);
}

static void test_paste(void **state)
{
	(void)state;
	struct editor ed;
	editor_init(&ed, 20);
	editor_layout(&ed, 8, 3);
	editor_insert(&ed, "[]", 2);
	editor_move(&ed, EDITOR_LEFT);
	editor_paste_begin(&ed);
	const char chunk[] = "een\r\ntwee " E_ACUTE;
	editor_paste_add(&ed, chunk, sizeof chunk - 1);
	assert_int_equal(editor_len(&ed), 2); /* nothing inserted while the paste runs */
	assert_int_equal(editor_paste_end(&ed), 0);
	expect_text(&ed, "[een\ntwee " E_ACUTE "]");
	assert_false(ed.pasting);
	/* A paste over the limit takes what fits. */
	editor_paste_begin(&ed);
	editor_paste_add(&ed, "0123456789", 10);
	assert_int_equal(editor_paste_end(&ed), 2);
	assert_int_equal(ed.ncp, 20);
	editor_free(&ed);
}

static void test_counter_and_numbers(void **state)
{
	(void)state;
	char out[64], n[32];
	assert_string_equal(editor_counter(1234, 64000, out), "1.234 / 64.000");
	assert_string_equal(editor_counter(0, 64000, out), "0 / 64.000");
	assert_string_equal(nl_number(999, n), "999");
	assert_string_equal(nl_number(1000000, n), "1.000.000");
	assert_string_equal(nl_number(-12345, n), "-12.345");
}

static void test_wrap_helpers(void **state)
{
	(void)state;
	size_t n;
	const char *s = "lang woord hier\nkort";
	struct wrap_line *l = wrap_lines(s, strlen(s), 6, &n);
	assert_int_equal(n, 4);
	assert_int_equal(l[0].end - l[0].start, 4); /* "lang" without its hanging space */
	assert_int_equal(l[2].end - l[2].start, 4); /* "hier" without the newline */
	free(l);
	assert_int_equal(wrap_count_cp(E_ACUTE EMOJI "a", 7), 3);
	assert_int_equal(wrap_prefix_cp(E_ACUTE EMOJI "a", 7, 2), 6);
	assert_true(wgt_pick_unicode("UTF-8", "xterm-256color"));
	assert_false(wgt_pick_unicode("UTF-8", "vt100"));
	assert_false(wgt_pick_unicode("UTF-8", "vt220"));
	assert_false(wgt_pick_unicode("ANSI_X3.4-1968", "xterm"));
	assert_false(wgt_pick_unicode("UTF-8", "dumb"));
	assert_false(wgt_pick_unicode(NULL, "xterm"));
	assert_true(wgt_pick_unicode("utf8", "screen-256color"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_delete_multibyte),
		cmocka_unit_test(test_control_text_is_cleaned),
		cmocka_unit_test(test_word_moves),
		cmocka_unit_test(test_wrap_positions),
		cmocka_unit_test(test_incremental_wrap_matches_rebuild),
		cmocka_unit_test(test_line_moves),
		cmocka_unit_test(test_end_of_cut_line),
		cmocka_unit_test(test_limit_exactly),
		cmocka_unit_test(test_paste),
		cmocka_unit_test(test_counter_and_numbers),
		cmocka_unit_test(test_wrap_helpers),
	};
	return cmocka_run_group_tests_name("widgets_editor", tests, setup_locale, NULL);
}
