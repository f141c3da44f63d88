/* Drawing helpers: every string is sanitised and fitted to its columns here, so no text
 * from the network reaches the terminal raw. */
#ifndef ZT_UI_DRAW_H
#define ZT_UI_DRAW_H

#include "theme.h"

/* Draw s at (y, x) in at most w columns with slot's look; returns the columns used.
 * The text is sanitised (control characters and escapes neutralised) first. */
int draw_text(int y, int x, int w, enum theme_slot slot, const char *s);
/* Like draw_text but pads with spaces to exactly w columns. */
void draw_cell(int y, int x, int w, enum theme_slot slot, const char *s);
/* Fill w columns at (y, x) with spaces in slot's look. */
void draw_fill(int y, int x, int w, enum theme_slot slot);
/* A horizontal line of w columns (ACS, so it degrades on plain terminals). */
void draw_hline(int y, int x, int w, enum theme_slot slot);
/* A framed box with a title. */
void draw_box(int y, int x, int h, int w, enum theme_slot slot, const char *title);
/* Display width of s after sanitising. */
int draw_width(const char *s);

/* Draw s wrapped at word boundaries into w columns from (y, x), leaving out its first skip
 * rows and drawing at most max_rows; returns the rows drawn. Nothing is cut off silently:
 * callers that cannot show every row offer scrolling. */
int draw_wrap(int y, int x, int w, int max_rows, int skip, enum theme_slot slot, const char *s);
/* The rows s needs when wrapped into w columns (at least 1). */
int draw_wrap_rows(int w, const char *s);

#endif
