/* Drawing the bar chart and the sparkline. */
#include "chart.h"

#include "draw.h"
#include "i18n.h"

#include "common/alloc.h"
#include "common/dutch.h"

#include <stdio.h>
#include <stdlib.h>

void chart_draw(const struct chart_bar *bars, size_t n, struct wgt_rect r, enum theme_slot slot,
				enum theme_slot bar_slot)
{
	if (r.w < 8 || r.h < 1)
		return;
	/* More bars than rows: the last row says how many are not shown. */
	size_t shown = n > (size_t)r.h ? (size_t)r.h - 1 : n;
	long long most = chart_max(bars, shown);
	int lw = 0, vw = 0;
	char num[32], bar[1024];
	for (size_t i = 0; i < shown; i++) {
		int w = draw_width(bars[i].label ? bars[i].label : "");
		lw = w > lw ? w : lw;
		w = draw_width(nl_number(bars[i].value, num));
		vw = w > vw ? w : vw;
	}
	lw = lw < r.w / 3 ? lw : r.w / 3;
	int bw = r.w - lw - vw - 2;
	for (int row = 0; row < r.h; row++) {
		int y = r.y + row;
		draw_fill(y, r.x, r.w, slot);
		if ((size_t)row == shown && shown < n) {
			char more[64];
			snprintf(more, sizeof more, tr(T_WGT_NOT_SHOWN), nl_number((long long)(n - shown), num));
			draw_text(y, r.x, r.w, THEME_MUTED, more);
		}
		if ((size_t)row >= shown)
			continue;
		const struct chart_bar *b = &bars[row];
		draw_text(y, r.x, lw, slot, b->label ? b->label : "");
		chart_bar_text(b->value, most, bw, wgt_unicode(), bar, sizeof bar);
		draw_text(y, r.x + lw + 1, bw, bar_slot, bar);
		nl_number(b->value, num);
		draw_text(y, r.x + r.w - draw_width(num), vw, slot, num);
	}
}

void sparkline_draw(const double *values, size_t n, int y, int x, int w, enum theme_slot slot)
{
	if (w <= 0)
		return;
	unsigned char *lv = xmalloc((size_t)w);
	size_t k = sparkline_levels(values, n, w, lv);
	size_t size = (size_t)w * 3 + 1;
	char *text = xmalloc(size);
	draw_fill(y, x, w, slot);
	draw_text(y, x, w, slot, sparkline_text(lv, k, wgt_unicode(), text, size));
	free(text);
	free(lv);
}
