/* Horizontal bar chart (label, value, bar scaled to the width) and sparkline, drawn with
 * Unicode blocks (eighths: ▏▎▍▌▋▊▉█ and ▁▂▃▄▅▆▇█) or, where wgt_unicode() says the
 * terminal cannot show them, with ASCII ('#' bars; "_.-~=+*#" levels). The pure parts
 * (scaling, levels, the bar text) are in chart.c; chart_draw and sparkline_draw in
 * chart_view.c. */
#ifndef ZT_UI_WIDGETS_CHART_H
#define ZT_UI_WIDGETS_CHART_H

#include "theme.h"
#include "widgets/wgt.h"

#include <stdbool.h>
#include <stddef.h>

/* One bar: label borrowed from the caller. */
struct chart_bar {
	const char *label;
	long long value; /* negative values draw as 0 */
};

/* The bar for value of max in width columns into out (UTF-8 or ASCII): full cells and,
 * with Unicode, one partial eighth; a value above 0 always shows at least a sliver.
 * Returns the columns used. */
int chart_bar_text(long long value, long long max, int width, bool unicode, char *out, size_t size);
/* The largest value of the bars (at least 1). */
long long chart_max(const struct chart_bar *bars, size_t n);
/* Sparkline levels 0..7 for the last min(n, width) values, scaled from min(0, lowest)
 * to the highest; all equal gives level 0. Returns how many levels were written. */
size_t sparkline_levels(const double *values, size_t n, int width, unsigned char *levels);
/* The sparkline text for levels into out (UTF-8 blocks or ASCII characters). */
const char *sparkline_text(const unsigned char *levels, size_t n, bool unicode, char *out,
						   size_t size);

/* ---- view (chart_view.c, curses) ---- */

/* Draw the bars in r: label column (at most a third), bar, value right-aligned in Dutch
 * numbers; the bars in bar_slot. With more bars than rows the last row says how many
 * more there are ("... en nog 3"). */
void chart_draw(const struct chart_bar *bars, size_t n, struct wgt_rect r, enum theme_slot slot,
				enum theme_slot bar_slot);
/* Draw a sparkline of the last values on one row at (y, x) in w columns. */
void sparkline_draw(const double *values, size_t n, int y, int x, int w, enum theme_slot slot);

#endif
