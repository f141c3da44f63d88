/* Tree (e.g. the location tree): items given in pre-order with their depth, expand and
 * collapse, a selection, guides drawn with box-drawing characters ("├─▸ ", "└── ", "│   ")
 * or their ASCII fallback ("|-+ ", "`-  ", "|   "), and a count column of Dutch numbers.
 * The model (tree.c) uses no curses; tree_widget_draw and tree_widget_key are in tree_view.c. */
#ifndef ZT_UI_WIDGETS_TREE_H
#define ZT_UI_WIDGETS_TREE_H

#include "theme.h"
#include "widgets/wgt.h"

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#define TREE_NO_COUNT (-1LL)

struct tree_item {
	char *label;      /* owned, sanitised */
	long long count;  /* TREE_NO_COUNT: none shown */
	long long id;     /* the caller's id */
	int depth;        /* 0 for a root */
	size_t parent;    /* index, or (size_t)-1 for a root */
	bool has_children, last_sibling, expanded;
};

struct tree {
	struct tree_item *items;
	size_t n, cap;
	size_t *vis;       /* indexes of the items shown (ancestors all expanded) */
	size_t nvis;
	size_t sel;        /* index into vis */
	size_t top;        /* first visible row shown */
	int height;
};

enum tree_move { TREE_UP, TREE_DOWN, TREE_PAGE_UP, TREE_PAGE_DOWN, TREE_TOP, TREE_BOTTOM };

/* An empty tree; free with tree_free. */
void tree_init(struct tree *t);
/* Free what the tree holds (it can be initialised again). */
void tree_free(struct tree *t);
/* Append an item in pre-order: depth at most one more than the previous item's (deeper
 * is taken as one more). The label is copied. Call tree_flatten when done. */
void tree_add(struct tree *t, int depth, const char *label, long long count, long long id,
			  bool expanded);
/* Work out parents, siblings and the visible rows; keeps the selected item selected when
 * it is still shown (call after adding items or changing expansion). */
void tree_flatten(struct tree *t);
/* The selected item, or NULL when the tree is empty. */
const struct tree_item *tree_selected(const struct tree *t);
/* Move the selection; false when it could not move. */
bool tree_move(struct tree *t, enum tree_move m);
/* Right: expand the selected item, or go to its first child when already expanded. */
bool tree_expand(struct tree *t);
/* Left: collapse the selected item, or go to its parent when it is collapsed or a leaf. */
bool tree_collapse(struct tree *t);
/* Expand or collapse the selected item. */
bool tree_toggle(struct tree *t);
/* The guide text in front of visible row i's label into out (UTF-8 or ASCII). */
const char *tree_guides(const struct tree *t, size_t i, bool unicode, char *out, size_t size);
/* Rows shown: sets the page size and keeps the selection on screen. */
void tree_layout(struct tree *t, int height);

/* ---- view (tree_view.c, curses) ---- */

/* Draw the tree in r: guides, labels, and the counts right-aligned in their own column;
 * the selected row in the selection look (a '>' marks it too, for monochrome). */
void tree_widget_draw(struct tree *t, struct wgt_rect r, enum theme_slot slot, bool focus);
/* Up/Down/PgUp/PgDn/Home/End move, Right/'+' expand, Left/'-' collapse, Space toggles:
 * true when the key was used (Enter is left to the screen). */
bool tree_widget_key(struct tree *t, wint_t code, bool is_keycode);

#endif
