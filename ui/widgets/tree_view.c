/* The tree's view: guides, labels and the count column; keys. */
#include "tree.h"

#include "draw.h"

#include "common/dutch.h"

#include <curses.h>

/* Columns of the widest count, or 0 when no item has one. */
static int count_width(const struct tree *t)
{
	int w = 0;
	char num[32];
	for (size_t i = 0; i < t->n; i++) {
		if (t->items[i].count == TREE_NO_COUNT)
			continue;
		int n = draw_width(nl_number(t->items[i].count, num));
		w = n > w ? n : w;
	}
	return w;
}

/* One visible row: the selection mark, guides, label, count. */
static void draw_row(const struct tree *t, size_t i, int y, struct wgt_rect r, int cw,
					 enum theme_slot slot)
{
	const struct tree_item *it = &t->items[t->vis[i]];
	char guides[512], num[32];
	draw_fill(y, r.x, r.w, slot);
	int x = r.x + draw_text(y, r.x, 1, slot, i == t->sel ? ">" : " ");
	int label_end = r.x + r.w - (cw ? cw + 1 : 0);
	x += draw_text(y, x, label_end - x, slot == THEME_SELECTION ? slot : THEME_MUTED,
				   tree_guides(t, i, wgt_unicode(), guides, sizeof guides));
	draw_text(y, x, label_end - x, slot, it->label);
	if (cw && it->count != TREE_NO_COUNT) {
		nl_number(it->count, num);
		int w = draw_width(num);
		draw_text(y, r.x + r.w - w, w, slot, num);
	}
}

void tree_widget_draw(struct tree *t, struct wgt_rect r, enum theme_slot slot, bool focus)
{
	if (r.h < 1 || r.w < 4)
		return;
	tree_layout(t, r.h);
	int cw = count_width(t);
	for (int row = 0; row < r.h; row++) {
		size_t i = t->top + (size_t)row;
		if (i >= t->nvis) {
			draw_fill(r.y + row, r.x, r.w, slot);
			continue;
		}
		enum theme_slot s = i == t->sel && focus ? THEME_SELECTION : slot;
		draw_row(t, i, r.y + row, r, cw, s);
	}
	if (focus && t->nvis)
		move(r.y + (int)(t->sel - t->top), r.x);
}

bool tree_widget_key(struct tree *t, wint_t code, bool is_keycode)
{
	if (!is_keycode) {
		if (code == '+')
			tree_expand(t);
		else if (code == '-')
			tree_collapse(t);
		else if (code == ' ')
			tree_toggle(t);
		else
			return false;
		return true;
	}
	switch (code) {
	case KEY_UP: tree_move(t, TREE_UP); return true;
	case KEY_DOWN: tree_move(t, TREE_DOWN); return true;
	case KEY_PPAGE: tree_move(t, TREE_PAGE_UP); return true;
	case KEY_NPAGE: tree_move(t, TREE_PAGE_DOWN); return true;
	case KEY_HOME: tree_move(t, TREE_TOP); return true;
	case KEY_END: tree_move(t, TREE_BOTTOM); return true;
	case KEY_RIGHT: tree_expand(t); return true;
	case KEY_LEFT: tree_collapse(t); return true;
	default: return false;
	}
}
