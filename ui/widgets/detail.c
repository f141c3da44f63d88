/* The detail pane's model: rows, their wrapped lines, and scrolling. No curses. */
#include "detail.h"

#include "wrap.h"

#include "common/alloc.h"
#include "common/text.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void detail_init(struct detail *d)
{
	memset(d, 0, sizeof *d);
	d->stale = true;
}

void detail_clear(struct detail *d)
{
	for (size_t i = 0; i < d->nrows; i++) {
		free(d->rows[i].label);
		free(d->rows[i].value);
	}
	d->nrows = 0;
	d->nlines = 0;
	d->top = 0;
	d->stale = true;
}

void detail_free(struct detail *d)
{
	detail_clear(d);
	free(d->rows);
	free(d->lines);
	memset(d, 0, sizeof *d);
}

void detail_add(struct detail *d, const char *label, const char *value, enum theme_slot slot)
{
	if (d->nrows == d->rows_cap) {
		d->rows_cap = d->rows_cap ? d->rows_cap * 2 : 16;
		d->rows = xrealloc(d->rows, d->rows_cap * sizeof *d->rows);
	}
	struct detail_row *r = &d->rows[d->nrows++];
	label = label ? label : "";
	value = value ? value : "";
	r->label = wrap_clean(label, strlen(label), NULL);
	r->value = wrap_clean(value, strlen(value), NULL);
	r->slot = slot;
	d->stale = true;
}

/* The label column: the widest label plus a gap, at most a third of the width. */
static int label_column(const struct detail *d, int width)
{
	int w = 0;
	for (size_t i = 0; i < d->nrows; i++) {
		int lw = text_width(d->rows[i].label);
		w = lw > w ? lw : w;
	}
	w += 2;
	int most = width / 3 > 8 ? width / 3 : 8;
	return w < most ? w : most;
}

/* Append the lines of row i (label and value wrapped side by side). */
static void layout_row(struct detail *d, size_t i, size_t *cap)
{
	struct detail_row *r = &d->rows[i];
	size_t nl, nv;
	struct wrap_line *l = wrap_lines(r->label, strlen(r->label), d->label_w - 2, &nl);
	struct wrap_line *v = wrap_lines(r->value, strlen(r->value), d->width - d->label_w, &nv);
	size_t n = nl > nv ? nl : nv;
	for (size_t k = 0; k < n; k++) {
		if (d->nlines == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			d->lines = xrealloc(d->lines, *cap * sizeof *d->lines);
		}
		struct detail_line *dl = &d->lines[d->nlines++];
		memset(dl, 0, sizeof *dl);
		dl->row = i;
		if (k < nl) {
			dl->lstart = l[k].start;
			dl->lend = l[k].end;
		}
		if (k < nv) {
			dl->vstart = v[k].start;
			dl->vend = v[k].end;
		}
	}
	free(l);
	free(v);
}

int detail_text_rows(const struct detail *d)
{
	if (d->height < 1)
		return 1;
	if (d->nlines <= (size_t)d->height || d->height < 2)
		return d->height;
	return d->height - 1;
}

/* Keep top within the lines. */
static void detail_clamp(struct detail *d)
{
	size_t rows = (size_t)detail_text_rows(d);
	size_t most = d->nlines > rows ? d->nlines - rows : 0;
	if (d->top > most)
		d->top = most;
}

void detail_layout(struct detail *d, int width, int height)
{
	if (width < 12)
		width = 12;
	d->height = height;
	if (!d->stale && width == d->width) {
		detail_clamp(d);
		return;
	}
	d->width = width;
	d->label_w = label_column(d, width);
	d->nlines = 0;
	size_t cap = 0;
	free(d->lines);
	d->lines = NULL;
	for (size_t i = 0; i < d->nrows; i++)
		layout_row(d, i, &cap);
	d->stale = false;
	detail_clamp(d);
}

bool detail_scroll(struct detail *d, enum detail_move m)
{
	size_t before = d->top, rows = (size_t)detail_text_rows(d);
	size_t page = rows > 1 ? rows - 1 : 1;
	switch (m) {
	case DETAIL_UP:
		d->top = d->top > 0 ? d->top - 1 : 0;
		break;
	case DETAIL_DOWN:
		d->top++;
		break;
	case DETAIL_PAGE_UP:
		d->top = d->top > page ? d->top - page : 0;
		break;
	case DETAIL_PAGE_DOWN:
		d->top += page;
		break;
	case DETAIL_TOP:
		d->top = 0;
		break;
	case DETAIL_BOTTOM:
		d->top = d->nlines;
		break;
	}
	detail_clamp(d);
	return d->top != before;
}

const char *detail_position(const struct detail *d, char *out, size_t size)
{
	size_t rows = (size_t)detail_text_rows(d);
	out[0] = '\0';
	if (d->nlines <= rows)
		return out;
	size_t last = d->top + rows < d->nlines ? d->top + rows : d->nlines;
	int n = snprintf(out, size, tr(T_WGT_LINES), d->top + 1, last, d->nlines);
	if (last < d->nlines && n > 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, "  %s", tr(T_WGT_MORE));
	return out;
}
