/* Unit tests of the detail pane's model (ui/widgets/detail.c): long values wrap over
 * several lines beside their label, the pane scrolls, and says where the reader is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "widgets/detail.h"

#include <locale.h>
#include <string.h>

static int setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

/* The value text of visual line i. */
static const char *value_of(const struct detail *d, size_t i, char *out, size_t size)
{
	const struct detail_line *l = &d->lines[i];
	size_t n = l->vend - l->vstart;
	n = n < size - 1 ? n : size - 1;
	memcpy(out, d->rows[l->row].value + l->vstart, n);
	out[n] = '\0';
	return out;
}

static void test_long_value_wraps(void **state)
{
	(void)state;
	struct detail d;
	char buf[128];
	detail_init(&d);
	detail_add(&d, "Naam", "José van den Berg", THEME_NORMAL);
	detail_add(&d, "Reden", "De aanvraag is afgewezen omdat de leverancier dit apparaat niet "
							"meer levert in deze regio; kies een ander type.", THEME_NORMAL);
	detail_add(&d, "E-mail", NULL, THEME_NORMAL);
	detail_layout(&d, 40, 10);
	assert_int_equal(d.label_w, 8); /* "E-mail" + 2, under a third of 40 */
	/* 32 columns for values: the reason takes four lines, nothing is lost. */
	assert_int_equal(d.nlines, 1 + 4 + 1);
	assert_string_equal(value_of(&d, 1, buf, sizeof buf), "De aanvraag is afgewezen omdat");
	assert_string_equal(value_of(&d, 4, buf, sizeof buf), "een ander type.");
	assert_int_equal(d.lines[2].row, 1);
	assert_int_equal(d.lines[2].lend, d.lines[2].lstart); /* label only on the first line */
	assert_string_equal(value_of(&d, 5, buf, sizeof buf), "");
	detail_free(&d);
}

static void test_long_label_and_newlines(void **state)
{
	(void)state;
	struct detail d;
	char buf[128];
	detail_init(&d);
	detail_add(&d, "Bestelfunctionaliteit aan", "ja\nsinds gisteren", THEME_NORMAL);
	detail_layout(&d, 36, 10);
	assert_int_equal(d.label_w, 12); /* a third of 36 */
	/* The label wraps in its column ("Bestelfunct" is cut: no space within 10 columns). */
	assert_true(d.nlines >= 3);
	assert_string_equal(value_of(&d, 0, buf, sizeof buf), "ja");
	assert_string_equal(value_of(&d, 1, buf, sizeof buf), "sinds gisteren");
	detail_free(&d);
}

static void test_scrolling_and_position(void **state)
{
	(void)state;
	struct detail d;
	char pos[128];
	detail_init(&d);
	for (int i = 0; i < 30; i++)
		detail_add(&d, "Veld", "waarde", THEME_NORMAL);
	detail_layout(&d, 80, 10);
	assert_int_equal(detail_text_rows(&d), 9); /* one row for the position */
	assert_string_equal(detail_position(&d, pos, sizeof pos), "regel 1-9 van 30  PgDn: meer");
	assert_false(detail_scroll(&d, DETAIL_UP));
	assert_true(detail_scroll(&d, DETAIL_PAGE_DOWN));
	assert_int_equal(d.top, 8);
	assert_true(detail_scroll(&d, DETAIL_BOTTOM));
	assert_int_equal(d.top, 21);
	assert_string_equal(detail_position(&d, pos, sizeof pos), "regel 22-30 van 30");
	assert_false(detail_scroll(&d, DETAIL_DOWN));
	/* A reload keeps the place. */
	detail_add(&d, "Nieuw", "veld", THEME_NORMAL);
	detail_layout(&d, 80, 10);
	assert_int_equal(d.top, 21);
	/* Everything fits: no position row. */
	detail_layout(&d, 80, 40);
	assert_int_equal(detail_text_rows(&d), 40);
	assert_string_equal(detail_position(&d, pos, sizeof pos), "");
	detail_free(&d);
}

static void test_network_text_is_cleaned(void **state)
{
	(void)state;
	struct detail d;
	detail_init(&d);
	detail_add(&d, "Notitie", "a\x1b]52;c;Zm9v\x07" "b", THEME_NORMAL);
	assert_null(strchr(d.rows[0].value, '\x1b'));
	assert_null(strchr(d.rows[0].value, '\x07'));
	detail_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_value_wraps),
		cmocka_unit_test(test_long_label_and_newlines),
		cmocka_unit_test(test_scrolling_and_position),
		cmocka_unit_test(test_network_text_is_cleaned),
	};
	return cmocka_run_group_tests_name("widgets_detail", tests, setup_locale, NULL);
}
