/* The text editor's view: drawing with the wrap cache, the counter row, and keys. */
#include "editor.h"

#include "draw.h"
#include "i18n.h"
#include "wrap.h"

#include "common/alloc.h"
#include "common/dutch.h"
#include "common/text.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>

#include "term.h"

/* Key codes curses gives the bracketed-paste markers once editor_paste_mode taught it. */
static int key_paste_begin = -1, key_paste_end = -1;

/* A key code curses does not use yet. */
static int free_keycode(int from)
{
	for (int c = from; c < from + 512; c++)
		if (!has_key(c) && keyname(c) == NULL)
			return c;
	return -1;
}

void editor_paste_mode(bool on)
{
	if (on && key_paste_begin < 0) {
		key_paste_begin = free_keycode(KEY_MAX + 64);
		if (key_paste_begin > 0)
			define_key("\033[200~", key_paste_begin);
		key_paste_end = free_keycode(key_paste_begin + 1);
		if (key_paste_end > 0)
			define_key("\033[201~", key_paste_end);
	}
	/* DEC private mode 2004 (terminals without it ignore the request); the terminal layer
	 * switches it off whenever it gives the terminal back. */
	term_paste_mode(on);
}

/* Bytes of line (n bytes) that fit in cols columns, by the editor's own characters. */
static size_t fit_line(const char *line, size_t n, int cols, bool *lone_mark)
{
	struct wrap_src src = wrap_src_str(line, n);
	size_t pos = 0;
	int col = 0;
	uint32_t cp;
	*lone_mark = n > 0 && line[0] != ' ' && (wrap_decode(&src, 0, &cp), text_cp_width(cp) == 0);
	while (pos < n) {
		int w;
		size_t next = wrap_char_next(&src, pos, &w);
		if (col + w > cols)
			break;
		col += w;
		pos = next;
	}
	return pos;
}

/* Draw visual line i at row y (copied into the editor's scratch space first). */
static void draw_line(struct editor *ed, size_t i, int y, struct wgt_rect r)
{
	size_t start, end;
	editor_line_span(ed, i, &start, &end);
	if (end - start + 1 > ed->scratch_cap) {
		ed->scratch_cap = (end - start + 1) * 2;
		ed->scratch = xrealloc(ed->scratch, ed->scratch_cap);
	}
	char *buf = ed->scratch;
	editor_copy(ed, start, end, buf);
	bool lone;
	size_t n = fit_line(buf, end - start, r.w, &lone);
	/* The text is clean (wrap_clean): it can go to the terminal as it is. A combining
	 * mark at the start of a line is drawn over a space. */
	if (lone)
		mvaddch(y, r.x, ' ');
	else
		move(y, r.x);
	addnstr(buf, (int)n);
}

/* The counter row: the refusal (or the cursor's line) on the left, the count on the
 * right. */
static void draw_counter(const struct editor *ed, struct wgt_rect r, int y)
{
	char count[64], line[128], num[32];
	editor_counter(ed->ncp, ed->limit, count);
	snprintf(line, sizeof line, "%s %s", count, tr(T_WGT_CHARS));
	bool full = ed->ncp >= ed->limit;
	draw_fill(y, r.x, r.w, THEME_MUTED);
	int lw = draw_width(line);
	draw_text(y, r.x + r.w - lw, lw, full || ed->refused ? THEME_ERROR : THEME_MUTED, line);
	if (ed->refused) {
		char msg[160];
		if (ed->refused == 1)
			snprintf(msg, sizeof msg, "%s", tr(T_WGT_REFUSED_ONE));
		else
			snprintf(msg, sizeof msg, tr(T_WGT_REFUSED), nl_number((long long)ed->refused, num));
		draw_text(y, r.x, r.w - lw - 1, THEME_ERROR, msg);
	} else if (ed->nline > 1) {
		char pos[96];
		size_t l;
		int col;
		editor_cursor(ed, &l, &col);
		snprintf(pos, sizeof pos, tr(T_WGT_LINE), l + 1, ed->nline);
		draw_text(y, r.x, r.w - lw - 1, THEME_MUTED, pos);
	}
}

void editor_draw(struct editor *ed, struct wgt_rect r, enum theme_slot slot, bool focus)
{
	if (r.h < 2 || r.w < 2)
		return;
	int rows = r.h - 1;
	/* One column stays free for the cursor after a full line. */
	editor_layout(ed, r.w - 1, rows);
	for (int i = 0; i < rows; i++) {
		draw_fill(r.y + i, r.x, r.w, slot);
		size_t l = ed->top + (size_t)i;
		if (l < ed->nline) {
			attrset(theme_attr(slot));
			draw_line(ed, l, r.y + i, r);
		}
	}
	draw_counter(ed, r, r.y + rows);
	if (focus) {
		size_t line;
		int col;
		editor_cursor(ed, &line, &col);
		if (col > r.w - 1)
			col = r.w - 1;
		move(r.y + (int)(line - ed->top), r.x + col);
	}
}

/* Ctrl-arrow keys have no fixed codes: terminfo names their sequences (kLFT5...) and
 * curses gives each a code of its own. */
static int ext_key(const char *name)
{
	char *seq = tigetstr(name);
	if (!seq || seq == (char *)-1)
		return -1;
	int c = key_defined(seq);
	return c > 0 ? c : -1;
}

/* A move for a key code, or -1. */
static int move_for_key(int c)
{
	static int cl = -2, cr, ch, ce;
	if (cl == -2) {
		cl = ext_key("kLFT5");
		cr = ext_key("kRIT5");
		ch = ext_key("kHOM5");
		ce = ext_key("kEND5");
	}
	switch (c) {
	case KEY_LEFT: return EDITOR_LEFT;
	case KEY_RIGHT: return EDITOR_RIGHT;
	case KEY_UP: return EDITOR_UP;
	case KEY_DOWN: return EDITOR_DOWN;
	case KEY_HOME: return EDITOR_HOME;
	case KEY_END: return EDITOR_END;
	case KEY_PPAGE: return EDITOR_PAGE_UP;
	case KEY_NPAGE: return EDITOR_PAGE_DOWN;
	default: break;
	}
	if (c == cl)
		return EDITOR_WORD_LEFT;
	if (c == cr)
		return EDITOR_WORD_RIGHT;
	if (c == ch)
		return EDITOR_TOP;
	if (c == ce)
		return EDITOR_BOTTOM;
	return -1;
}

/* Insert n bytes of text; beep when the limit refused some. */
static enum editor_result key_insert(struct editor *ed, const char *s, size_t n)
{
	if (editor_insert(ed, s, n) > 0) {
		beep();
		return EDITOR_REFUSED;
	}
	return EDITOR_HANDLED;
}

/* A key inside a bracketed paste: collect it. */
static enum editor_result paste_key(struct editor *ed, wint_t code, bool is_keycode)
{
	if (is_keycode && (int)code == key_paste_end) {
		if (editor_paste_end(ed) > 0) {
			beep();
			return EDITOR_REFUSED;
		}
		return EDITOR_HANDLED;
	}
	if (is_keycode)
		return EDITOR_HANDLED;
	char enc[4];
	if (code == '\r')
		code = '\n';
	editor_paste_add(ed, enc, text_utf8_encode((uint32_t)code, enc));
	return EDITOR_HANDLED;
}

enum editor_result editor_key(struct editor *ed, wint_t code, bool is_keycode)
{
	if (ed->pasting)
		return paste_key(ed, code, is_keycode);
	if (is_keycode && (int)code == key_paste_begin) {
		editor_paste_begin(ed);
		return EDITOR_HANDLED;
	}
	if (code == '\r' || code == '\n' || (is_keycode && code == KEY_ENTER))
		return key_insert(ed, "\n", 1);
	if ((is_keycode && code == KEY_BACKSPACE) || (!is_keycode && (code == 127 || code == 8))) {
		editor_backspace(ed);
		return EDITOR_HANDLED;
	}
	if (is_keycode && code == KEY_DC) {
		editor_delete(ed);
		return EDITOR_HANDLED;
	}
	if (is_keycode) {
		int m = move_for_key((int)code);
		if (m < 0)
			return EDITOR_IGNORED;
		editor_move(ed, (enum editor_move)m);
		return EDITOR_HANDLED;
	}
	if (code == 1 || code == 5) { /* Ctrl-A, Ctrl-E */
		editor_move(ed, code == 1 ? EDITOR_HOME : EDITOR_END);
		return EDITOR_HANDLED;
	}
	if (code < 0x20 || code == 0x7f || (code >= 0x80 && code < 0xa0))
		return EDITOR_IGNORED;
	char enc[4];
	return key_insert(ed, enc, text_utf8_encode((uint32_t)code, enc));
}
