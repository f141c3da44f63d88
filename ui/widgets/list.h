/* The virtualised list: selection and scrolling over n rows of which `height` show, and
 * columns that shrink by priority so the important ones are never cut at 80 columns.
 * Screens own the rows; the list only keeps positions. */
#ifndef ZT_UI_WIDGETS_LIST_H
#define ZT_UI_WIDGETS_LIST_H

#include "keys.h"

#include <stdbool.h>
#include <stddef.h>

struct list {
	size_t n;   /* rows */
	size_t sel; /* selected row */
	size_t top; /* first row shown */
	int height; /* rows shown (set by the screen before moving or drawing) */
};

/* Keep the selection inside the list and on screen. */
void list_clamp(struct list *l);
/* Move the selection for a navigation action (up, down, page, top, bottom); true when a
 * was one. */
bool list_nav(struct list *l, enum action a);
/* Select row i, keeping its place on screen at offset rows from the top when it can. */
void list_select(struct list *l, size_t i, size_t offset);

/* A column: the width it wants, the least it may shrink to, and its priority (lower gives
 * way first; 0 may even vanish). */
struct list_col {
	int want, min, prio;
};
/* Widths of ncols columns (one space between them) in width columns: every column gets
 * its wish when it fits; otherwise the lowest priority shrinks first, down to its min, then
 * vanishes (width 0) when its min is 0. What is left goes to the most important column
 * whose min is below its wish (a fixed-width column never grows). */
void list_layout(const struct list_col *cols, int ncols, int width, int *out);

#endif
