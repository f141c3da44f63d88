/* What the widgets share: the rectangle they draw in (on stdscr, like ui/draw.h) and the
 * choice between Unicode glyphs and their ASCII fallback. No curses here. */
#ifndef ZT_UI_WIDGETS_WGT_H
#define ZT_UI_WIDGETS_WGT_H

#include <stdbool.h>

/* Rows y..y+h-1, columns x..x+w-1 of the screen. */
struct wgt_rect {
	int y, x, h, w;
};

/* Whether Unicode blocks and box-drawing characters can be shown: the locale's character
 * set (nl_langinfo(CODESET)) must be UTF-8 and TERM must not name a plain terminal (vt52,
 * vt100, vt220 and the other vt*, dumb, ansi). Pure, for tests. */
bool wgt_pick_unicode(const char *codeset, const char *term);
/* The choice for this process: decided once from the locale and TERM (call after
 * setlocale), unless wgt_set_unicode fixed it. */
bool wgt_unicode(void);
/* Fix the choice (tests and the gallery's --ascii). */
void wgt_set_unicode(bool on);

#endif
