/* Sanitised, width-aware text output on stdscr. */
#include "draw.h"

#include "common/text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

int draw_text(int y, int x, int w, enum theme_slot slot, const char *s)
{
	if (w <= 0 || !s)
		return 0;
	char *safe = text_sanitize(s);
	int used = 0;
	size_t n = text_fit(safe, w, &used);
	attrset(theme_attr(slot));
	if (safe[n] != '\0' && w > 1) {
		/* Cut text ends in an ellipsis so nobody mistakes it for the whole. */
		n = text_fit(safe, w - 1, &used);
		mvaddnstr(y, x, safe, (int)n);
		addstr("\xe2\x80\xa6");
		used++;
	} else {
		mvaddnstr(y, x, safe, (int)n);
	}
	free(safe);
	return used;
}

void draw_fill(int y, int x, int w, enum theme_slot slot)
{
	if (w <= 0)
		return;
	attrset(theme_attr(slot));
	mvhline(y, x, ' ', w);
}

void draw_cell(int y, int x, int w, enum theme_slot slot, const char *s)
{
	int used = draw_text(y, x, w, slot, s);
	draw_fill(y, x + used, w - used, slot);
}

void draw_hline(int y, int x, int w, enum theme_slot slot)
{
	attrset(theme_attr(slot));
	mvhline(y, x, ACS_HLINE, w);
}

void draw_box(int y, int x, int h, int w, enum theme_slot slot, const char *title)
{
	attrset(theme_attr(slot));
	for (int r = y + 1; r < y + h - 1; r++) {
		mvhline(r, x + 1, ' ', w - 2);
		mvaddch(r, x, ACS_VLINE);
		mvaddch(r, x + w - 1, ACS_VLINE);
	}
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title) {
		draw_text(y, x + 2, 1, slot, " ");
		int used = draw_text(y, x + 3, w - 6, THEME_TITLE, title);
		draw_text(y, x + 3 + used, 1, slot, " ");
	}
}

int draw_width(const char *s)
{
	char *safe = text_sanitize(s);
	int w = text_width(safe);
	free(safe);
	return w;
}

/* The byte length of the next line of s (at most w columns, broken after a space when it
 * can be); *next gets where the following line starts. */
static size_t wrap_line(const char *s, int w, const char **next)
{
	size_t n = text_fit(s, w, NULL);
	if (s[n] == '\0' || n == 0) {
		*next = s + (n ? n : strlen(s));
		return n ? n : strlen(s);
	}
	size_t cut = n;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (cut == 0)
		cut = n; /* one long word: break inside it */
	const char *p = s + cut;
	while (*p == ' ')
		p++;
	*next = p;
	return cut;
}

int draw_wrap(int y, int x, int w, int max_rows, int skip, enum theme_slot slot, const char *s)
{
	if (w <= 0 || !s)
		return 0;
	char *safe = text_sanitize(s);
	const char *p = safe;
	int row = 0;
	attrset(theme_attr(slot));
	while (*p) {
		const char *next;
		size_t n = wrap_line(p, w, &next);
		int r = row - skip;
		if (r >= 0 && r < max_rows)
			mvaddnstr(y + r, x, p, (int)n);
		row++;
		p = next;
	}
	free(safe);
	if (row == 0)
		row = 1;
	return row - skip < max_rows ? row - skip : max_rows;
}

int draw_wrap_rows(int w, const char *s)
{
	if (w <= 0 || !s)
		return 1;
	char *safe = text_sanitize(s);
	int rows = 0;
	for (const char *p = safe; *p;) {
		const char *next;
		wrap_line(p, w, &next);
		rows++;
		p = next;
	}
	free(safe);
	return rows ? rows : 1;
}
