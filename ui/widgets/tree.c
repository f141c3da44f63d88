/* The tree's model: items in pre-order, expansion, the visible rows and the guides. */
#include "tree.h"

#include "common/alloc.h"
#include "common/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_PARENT ((size_t)-1)

void tree_init(struct tree *t)
{
	memset(t, 0, sizeof *t);
	t->height = 1;
}

void tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->items[i].label);
	free(t->items);
	free(t->vis);
	memset(t, 0, sizeof *t);
}

void tree_add(struct tree *t, int depth, const char *label, long long count, long long id,
			  bool expanded)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->items = xrealloc(t->items, t->cap * sizeof *t->items);
	}
	int most = t->n ? t->items[t->n - 1].depth + 1 : 0;
	struct tree_item *it = &t->items[t->n++];
	memset(it, 0, sizeof *it);
	it->label = text_sanitize(label ? label : "");
	it->count = count;
	it->id = id;
	it->depth = depth < 0 ? 0 : depth > most ? most : depth;
	it->expanded = expanded;
}

/* Parents, children and last siblings from the depths. */
static void tree_link(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct tree_item *it = &t->items[i];
		it->parent = NO_PARENT;
		for (size_t j = i; j-- > 0;) {
			if (t->items[j].depth < it->depth) {
				it->parent = j;
				break;
			}
		}
		it->has_children = i + 1 < t->n && t->items[i + 1].depth > it->depth;
		it->last_sibling = true;
		for (size_t j = i + 1; j < t->n && t->items[j].depth >= it->depth; j++) {
			if (t->items[j].depth == it->depth) {
				it->last_sibling = false;
				break;
			}
		}
	}
}

void tree_flatten(struct tree *t)
{
	size_t keep = t->nvis ? t->vis[t->sel < t->nvis ? t->sel : 0] : 0;
	tree_link(t);
	free(t->vis);
	t->vis = xmalloc((t->n ? t->n : 1) * sizeof *t->vis);
	t->nvis = 0;
	t->sel = 0;
	for (size_t i = 0; i < t->n; i++) {
		bool shown = true;
		for (size_t p = t->items[i].parent; p != NO_PARENT; p = t->items[p].parent)
			shown = shown && t->items[p].expanded;
		if (!shown)
			continue;
		if (i <= keep)
			t->sel = t->nvis; /* the kept item, or the last shown item above it */
		t->vis[t->nvis++] = i;
	}
	tree_layout(t, t->height);
}

void tree_layout(struct tree *t, int height)
{
	t->height = height > 0 ? height : 1;
	size_t h = (size_t)t->height;
	if (t->sel < t->top)
		t->top = t->sel;
	else if (t->sel >= t->top + h)
		t->top = t->sel - h + 1;
	if (t->top + h > t->nvis)
		t->top = t->nvis > h ? t->nvis - h : 0;
}

const struct tree_item *tree_selected(const struct tree *t)
{
	return t->nvis ? &t->items[t->vis[t->sel]] : NULL;
}

bool tree_move(struct tree *t, enum tree_move m)
{
	if (!t->nvis)
		return false;
	size_t before = t->sel, page = t->height > 1 ? (size_t)t->height - 1 : 1;
	switch (m) {
	case TREE_UP:
		t->sel = t->sel ? t->sel - 1 : 0;
		break;
	case TREE_DOWN:
		t->sel = t->sel + 1 < t->nvis ? t->sel + 1 : t->sel;
		break;
	case TREE_PAGE_UP:
		t->sel = t->sel > page ? t->sel - page : 0;
		break;
	case TREE_PAGE_DOWN:
		t->sel = t->sel + page < t->nvis ? t->sel + page : t->nvis - 1;
		break;
	case TREE_TOP:
		t->sel = 0;
		break;
	case TREE_BOTTOM:
		t->sel = t->nvis - 1;
		break;
	}
	tree_layout(t, t->height);
	return t->sel != before;
}

bool tree_expand(struct tree *t)
{
	if (!t->nvis)
		return false;
	struct tree_item *it = &t->items[t->vis[t->sel]];
	if (!it->has_children)
		return false;
	if (it->expanded)
		return tree_move(t, TREE_DOWN);
	it->expanded = true;
	tree_flatten(t);
	return true;
}

bool tree_collapse(struct tree *t)
{
	if (!t->nvis)
		return false;
	size_t idx = t->vis[t->sel];
	struct tree_item *it = &t->items[idx];
	if (it->has_children && it->expanded) {
		it->expanded = false;
		tree_flatten(t);
		return true;
	}
	if (it->parent == NO_PARENT)
		return false;
	for (size_t i = 0; i < t->nvis; i++)
		if (t->vis[i] == it->parent)
			t->sel = i;
	tree_layout(t, t->height);
	return true;
}

bool tree_toggle(struct tree *t)
{
	const struct tree_item *it = tree_selected(t);
	if (!it || !it->has_children)
		return false;
	return it->expanded ? tree_collapse(t) : tree_expand(t);
}

/* Guide pieces: [0] through-line, [1] blank, [2] branch, [3] last branch, [4] collapsed,
 * [5] expanded, [6] leaf. */
static const char *const guides_utf8[] = {"\xe2\x94\x82   ", "    ", "\xe2\x94\x9c\xe2\x94\x80",
	"\xe2\x94\x94\xe2\x94\x80", "\xe2\x96\xb8", "\xe2\x96\xbe", "\xe2\x94\x80"};
/* ASCII: '+' collapsed, '-' expanded, nothing for a leaf (a '>' would look like the
 * selection mark, a '-' leaf like an expanded item). */
static const char *const guides_ascii[] = {"|   ", "    ", "|-", "`-", "+", "-", " "};

const char *tree_guides(const struct tree *t, size_t i, bool unicode, char *out, size_t size)
{
	const char *const *g = unicode ? guides_utf8 : guides_ascii;
	const struct tree_item *it = &t->items[t->vis[i]];
	const char *mark = !it->has_children ? g[6] : it->expanded ? g[5] : g[4];
	out[0] = '\0';
	if (it->depth == 0) {
		snprintf(out, size, "%s ", it->has_children ? mark : " ");
		return out;
	}
	/* Ancestors below the root level, outermost first: a through-line where the ancestor
	 * has a sibling still to come. */
	const char *piece[64];
	int np = 0;
	for (size_t p = it->parent; p != NO_PARENT && t->items[p].depth > 0 && np < 64;
		 p = t->items[p].parent)
		piece[np++] = t->items[p].last_sibling ? g[1] : g[0];
	size_t used = 0;
	while (np-- > 0 && used < size)
		used += (size_t)snprintf(out + used, size - used, "%s", piece[np]);
	if (used < size)
		snprintf(out + used, size - used, "%s%s ", it->last_sibling ? g[3] : g[2], mark);
	return out;
}
