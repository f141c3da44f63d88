/* Multi-line text editor (location messages, up to 64,000 characters): UTF-8 text in a
 * gap buffer, word wrapped to the width through a cache of visual line starts that an
 * edit updates only around itself, cursor moves by character, word, line and page, and a
 * limit counted in code points (é and an emoji are one each; a combining mark is one
 * more). The model (editor.c) uses no curses; editor_view.c draws it and maps keys.
 * The text held is always clean: only '\n' and terminal-safe characters (wrap_clean). */
#ifndef ZT_UI_WIDGETS_EDITOR_H
#define ZT_UI_WIDGETS_EDITOR_H

#include "theme.h"
#include "widgets/wgt.h"

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* The limit of location messages. */
#define EDITOR_MESSAGE_LIMIT 64000

struct editor {
	char *buf;                 /* gap buffer: text is buf[0, gap) + buf[gap_end, cap) */
	size_t cap, gap, gap_end;
	size_t ncp;                /* code points held */
	size_t limit;              /* most code points allowed */
	size_t cur;                /* cursor: a logical byte offset at a character boundary */
	int goal_col;              /* column kept by up/down moves; -1 when none */
	bool eol;                  /* the cursor, at the start of a line that goes on with a
	                              cut word, shows at the end of the line above (End) */
	int width, height;         /* text columns to wrap to; rows shown */
	size_t *line;              /* starts of the visual lines (logical offsets) */
	size_t nline, line_cap;
	size_t top;                /* first visual line shown */
	size_t refused;            /* code points the last input could not take (0: none) */
	bool pasting;              /* inside a bracketed paste */
	char *paste;               /* bytes of the paste so far */
	size_t paste_len, paste_cap;
	char *scratch;             /* the view's copy of one line */
	size_t scratch_cap;
};

enum editor_move {
	EDITOR_LEFT, EDITOR_RIGHT, EDITOR_WORD_LEFT, EDITOR_WORD_RIGHT, EDITOR_UP, EDITOR_DOWN,
	EDITOR_HOME, EDITOR_END, EDITOR_PAGE_UP, EDITOR_PAGE_DOWN, EDITOR_TOP, EDITOR_BOTTOM
};

/* Set up an empty editor holding at most limit code points; free with editor_free. */
void editor_init(struct editor *ed, size_t limit);
/* Free what the editor holds (it can be initialised again). */
void editor_free(struct editor *ed);
/* Replace the text with a clean copy of s (cut at the limit); the cursor goes to the end.
 * Returns the code points that did not fit. */
size_t editor_set_text(struct editor *ed, const char *s);
/* The whole text as a new string; caller frees. */
char *editor_text(const struct editor *ed);
/* Bytes of text held. */
size_t editor_len(const struct editor *ed);
/* Wrap to width columns and show height rows (re-wraps everything when width changes). */
void editor_layout(struct editor *ed, int width, int height);
/* Insert n bytes of typed or pasted text at the cursor (cleaned first; cut at the limit).
 * Returns the code points refused, also kept in ed->refused until the next edit. */
size_t editor_insert(struct editor *ed, const char *s, size_t n);
/* Delete the character before the cursor (with its combining marks); false at the start. */
bool editor_backspace(struct editor *ed);
/* Delete the character after the cursor; false at the end. */
bool editor_delete(struct editor *ed);
/* Move the cursor; false when it could not move. */
bool editor_move(struct editor *ed, enum editor_move m);
/* The visual line holding the cursor and the cursor's column in it. */
void editor_cursor(const struct editor *ed, size_t *line, int *col);
/* The visual line holding byte offset pos. */
size_t editor_line_of(const struct editor *ed, size_t pos);
/* Logical bytes [start, end) of visual line i, without its '\n'; trailing hanging spaces
 * are included. */
void editor_line_span(const struct editor *ed, size_t i, size_t *start, size_t *end);
/* Copy logical bytes [from, to) into out (room for to - from bytes). */
void editor_copy(const struct editor *ed, size_t from, size_t to, char *out);

/* Start or end a bracketed paste: between the two, editor_key collects the bytes and
 * inserts them at once when the paste ends. */
void editor_paste_begin(struct editor *ed);
/* Add n bytes to the paste being collected. */
void editor_paste_add(struct editor *ed, const char *s, size_t n);
/* End the paste and insert what it collected; returns the code points refused. */
size_t editor_paste_end(struct editor *ed);

/* The counter text for n of limit code points ("1.234 / 64.000") into out. */
const char *editor_counter(size_t n, size_t limit, char out[64]);

/* ---- view (editor_view.c, curses) ---- */

/* What editor_key did with a key. */
enum editor_result { EDITOR_IGNORED, EDITOR_HANDLED, EDITOR_REFUSED };
/* Ask the terminal for bracketed paste (on) or stop it, and teach curses its two marker
 * sequences; call once after the terminal started. */
void editor_paste_mode(bool on);
/* Handle one key: printable text, Enter, Backspace, Delete, arrows, Ctrl-Left/Right for
 * words, Home/End and Ctrl-A/Ctrl-E (line start/end, also on terminals without Home and
 * End such as vt100), PgUp/PgDn, Ctrl-Home/Ctrl-End, bracketed paste.
 * Keys it does not use (Tab, Esc, F-keys) are EDITOR_IGNORED for the screen. Beeps
 * when input is refused at the limit. */
enum editor_result editor_key(struct editor *ed, wint_t code, bool is_keycode);
/* Draw the editor in r: the text in r.h - 1 rows, then a counter row: the cursor's line
 * ("regel 3 van 120") or, when input did not fit, the refusal in the error look, and
 * the count ("1.234 / 64.000 tekens"). With focus, the
 * hardware cursor is left on the cursor. */
void editor_draw(struct editor *ed, struct wgt_rect r, enum theme_slot slot, bool focus);

#endif
