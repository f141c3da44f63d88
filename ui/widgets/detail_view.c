/* The detail pane's view: wrapped label/value lines and the position row. */
#include "detail.h"

#include "draw.h"

#include "common/alloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* Draw bytes [start, end) of s at (y, x) in w columns. */
static void draw_piece(int y, int x, int w, enum theme_slot slot, const char *s, size_t start,
					   size_t end)
{
	if (end <= start)
		return;
	char *piece = xstrndup(s + start, end - start);
	draw_text(y, x, w, slot, piece);
	free(piece);
}

void detail_draw(struct detail *d, struct wgt_rect r, enum theme_slot slot)
{
	if (r.h < 1 || r.w < 1)
		return;
	detail_layout(d, r.w, r.h);
	int rows = detail_text_rows(d);
	for (int i = 0; i < r.h; i++)
		draw_fill(r.y + i, r.x, r.w, slot);
	for (int i = 0; i < rows && d->top + (size_t)i < d->nlines; i++) {
		const struct detail_line *l = &d->lines[d->top + (size_t)i];
		const struct detail_row *row = &d->rows[l->row];
		draw_piece(r.y + i, r.x, d->label_w - 2, THEME_MUTED, row->label, l->lstart, l->lend);
		enum theme_slot vs = row->slot == THEME_NORMAL ? slot : row->slot;
		draw_piece(r.y + i, r.x + d->label_w, r.w - d->label_w, vs, row->value, l->vstart,
				   l->vend);
	}
	char pos[128];
	if (detail_position(d, pos, sizeof pos)[0]) {
		int w = draw_width(pos);
		draw_text(r.y + r.h - 1, r.x + r.w - w > r.x ? r.x + r.w - w : r.x, r.w, THEME_MUTED, pos);
	}
}

bool detail_key(struct detail *d, wint_t code, bool is_keycode)
{
	if (!is_keycode)
		return false;
	switch (code) {
	case KEY_UP:
		detail_scroll(d, DETAIL_UP);
		return true;
	case KEY_DOWN:
		detail_scroll(d, DETAIL_DOWN);
		return true;
	case KEY_PPAGE:
		detail_scroll(d, DETAIL_PAGE_UP);
		return true;
	case KEY_NPAGE:
		detail_scroll(d, DETAIL_PAGE_DOWN);
		return true;
	case KEY_HOME:
		detail_scroll(d, DETAIL_TOP);
		return true;
	case KEY_END:
		detail_scroll(d, DETAIL_BOTTOM);
		return true;
	default:
		return false;
	}
}
