/* The virtualised list's positions and column layout. */
#include "widgets/list.h"

void list_clamp(struct list *l)
{
	size_t h = l->height > 0 ? (size_t)l->height : 1;
	if (l->n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	if (l->top + h > l->n)
		l->top = l->n > h ? l->n - h : 0;
}

/* Move by delta rows. */
static void list_move(struct list *l, long delta)
{
	if (!l->n)
		return;
	long s = (long)l->sel + delta;
	if (s < 0)
		s = 0;
	if (s >= (long)l->n)
		s = (long)l->n - 1;
	l->sel = (size_t)s;
	list_clamp(l);
}

bool list_nav(struct list *l, enum action a)
{
	long page = l->height > 1 ? l->height - 1 : 1;
	switch (a) {
	case ACT_UP:
		list_move(l, -1);
		return true;
	case ACT_DOWN:
		list_move(l, 1);
		return true;
	case ACT_PAGE_UP:
		list_move(l, -page);
		return true;
	case ACT_PAGE_DOWN:
		list_move(l, page);
		return true;
	case ACT_TOP:
		list_move(l, -(long)l->n);
		return true;
	case ACT_BOTTOM:
		list_move(l, (long)l->n);
		return true;
	default:
		return false;
	}
}

void list_select(struct list *l, size_t i, size_t offset)
{
	l->sel = i;
	l->top = i >= offset ? i - offset : 0;
	list_clamp(l);
}

void list_layout(const struct list_col *cols, int ncols, int width, int *out)
{
	int total = ncols > 0 ? ncols - 1 : 0, best = -1;
	for (int i = 0; i < ncols; i++) {
		out[i] = cols[i].want;
		total += out[i];
		/* Room left over goes to the most important column that may change its width. */
		if (cols[i].min < cols[i].want && (best < 0 || cols[i].prio > cols[best].prio))
			best = i;
	}
	if (best < 0)
		best = ncols - 1;
	/* Shrink, lowest priority first, until it fits. */
	for (int prio = 0; total > width && prio <= 100; prio++) {
		for (int i = 0; i < ncols && total > width; i++) {
			if (cols[i].prio != prio)
				continue;
			int give = total - width, room = out[i] - cols[i].min;
			if (give > room)
				give = room;
			out[i] -= give;
			total -= give;
			if (out[i] == 0 && cols[i].min == 0)
				total -= 1; /* its separating space goes too */
		}
	}
	/* What is left goes to the most important column. */
	if (total < width && ncols > 0)
		out[best] += width - total;
}
