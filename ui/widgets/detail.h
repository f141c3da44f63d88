/* Detail pane: label/value rows where a long value (or label) wraps over several lines,
 * and the pane scrolls when the rows do not fit, with a row that says where the reader
 * is ("regel 5-20 van 34  PgDn: meer"), so nothing a user must read is cut at 80x24.
 * The model (detail.c) uses no curses; detail_draw and detail_key are in detail_view.c. */
#ifndef ZT_UI_WIDGETS_DETAIL_H
#define ZT_UI_WIDGETS_DETAIL_H

#include "theme.h"
#include "widgets/wgt.h"

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct detail_row {
	char *label, *value; /* owned, clean (wrap_clean) */
	enum theme_slot slot; /* the value's look */
};

/* One visual line: a piece of a row's label and of its value ([start, end) bytes each;
 * empty when the row's label or value has fewer lines). */
struct detail_line {
	size_t row;
	size_t lstart, lend, vstart, vend;
};

struct detail {
	struct detail_row *rows;
	size_t nrows, rows_cap;
	struct detail_line *lines;
	size_t nlines;
	int width, label_w; /* laid out for width; label column incl. its gap */
	int height;         /* rows shown, the position row included when it is needed */
	size_t top;         /* first line shown */
	bool stale;         /* rows changed since the last layout */
};

enum detail_move { DETAIL_UP, DETAIL_DOWN, DETAIL_PAGE_UP, DETAIL_PAGE_DOWN, DETAIL_TOP, DETAIL_BOTTOM };

/* An empty pane; free with detail_free. */
void detail_init(struct detail *d);
/* Free what the pane holds (it can be initialised again). */
void detail_free(struct detail *d);
/* Remove every row and scroll to the top. */
void detail_clear(struct detail *d);
/* Add a row; label and value are copied and cleaned (NULL value: empty). The scroll
 * position stays, so a reload does not move the reader. */
void detail_add(struct detail *d, const char *label, const char *value, enum theme_slot slot);
/* Wrap the rows to width columns for height rows (cheap when nothing changed). */
void detail_layout(struct detail *d, int width, int height);
/* Rows of text shown at the current layout (height minus the position row if needed). */
int detail_text_rows(const struct detail *d);
/* Scroll; false when already at that end. */
bool detail_scroll(struct detail *d, enum detail_move m);
/* The position row's text ("regel 5-20 van 34  PgDn: meer") into out, or "" when
 * everything fits. */
const char *detail_position(const struct detail *d, char *out, size_t size);

/* ---- view (detail_view.c, curses) ---- */

/* Draw the pane in r: labels in the muted look, values in their row's slot (slot for
 * the rest), and the position row at the bottom when it scrolls. */
void detail_draw(struct detail *d, struct wgt_rect r, enum theme_slot slot);
/* Up/Down/PgUp/PgDn/Home/End scroll: true when the key was used. */
bool detail_key(struct detail *d, wint_t code, bool is_keycode);

#endif
