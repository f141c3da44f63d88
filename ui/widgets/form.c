/* Form widget: fields, focus, editing, errors, drawing. */
#include "widgets/form.h"

#include "common/dutch.h"

#include "common/text.h"
#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ffield *form_add(struct form *fm, enum fkind kind, int id, const char *label)
{
	if (fm->n == FORM_MAX_FIELDS)
		abort(); /* a programming error: forms are fixed */
	struct ffield *f = &fm->f[fm->n++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->id = id;
	f->label = label;
	f->maxlen = 100;
	return f;
}

void form_choice(struct ffield *f, const char *text, int64_t id)
{
	if (f->nchoices == FORM_MAX_CHOICES)
		return;
	f->choices[f->nchoices] = strdup(text ? text : "");
	if (!f->choices[f->nchoices])
		abort();
	f->choice_ids[f->nchoices++] = id;
}

struct ffield *form_get(struct form *fm, int id)
{
	for (size_t i = 0; i < fm->n; i++)
		if (fm->f[i].id == id)
			return &fm->f[i];
	return NULL;
}

void form_free(struct form *fm)
{
	for (size_t i = 0; i < fm->n; i++)
		for (size_t c = 0; c < fm->f[i].nchoices; c++)
			free(fm->f[i].choices[c]);
	memset(fm, 0, sizeof *fm);
}

/* Can the field take the focus? */
static bool focusable(const struct ffield *f)
{
	return !f->hidden && (f->kind == FK_TEXT || f->kind == FK_DATE || f->kind == FK_CHOICE || f->kind == FK_BUTTON);
}

void form_focus_first(struct form *fm)
{
	for (size_t i = 0; i < fm->n; i++)
		if (focusable(&fm->f[i])) {
			fm->focus = i;
			return;
		}
}

/* Move the focus by dir (+1/-1) to the next focusable field, if any. */
static void move_focus(struct form *fm, int dir)
{
	size_t i = fm->focus;
	for (;;) {
		if (dir > 0 ? i + 1 >= fm->n : i == 0)
			return;
		i = dir > 0 ? i + 1 : i - 1;
		if (focusable(&fm->f[i])) {
			fm->focus = i;
			return;
		}
	}
}

/* Number of code points in s. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

enum form_event form_key(struct form *fm, struct key k, size_t *left)
{
	struct ffield *f = &fm->f[fm->focus];
	bool enter = (!k.is_keycode && (k.code == '\r' || k.code == '\n')) ||
				 (k.is_keycode && k.code == KEY_ENTER);
	if (!k.is_keycode && k.code == 27)
		return FE_CANCEL;
	if (enter && f->kind == FK_BUTTON)
		return FE_SUBMIT;
	bool next = enter || (!k.is_keycode && k.code == '\t') || (k.is_keycode && k.code == KEY_DOWN);
	bool prev = k.is_keycode && (k.code == KEY_UP || k.code == KEY_BTAB);
	if (next || prev) {
		*left = fm->focus;
		move_focus(fm, next ? 1 : -1);
		return FE_LEAVE;
	}
	if (f->kind == FK_CHOICE && f->nchoices) {
		if ((k.is_keycode && k.code == KEY_RIGHT) || (!k.is_keycode && k.code == ' ')) {
			f->choice = (f->choice + 1) % f->nchoices;
			return FE_CHANGED;
		}
		if (k.is_keycode && k.code == KEY_LEFT) {
			f->choice = (f->choice + f->nchoices - 1) % f->nchoices;
			return FE_CHANGED;
		}
		return FE_NONE;
	}
	if (f->kind != FK_TEXT && f->kind != FK_DATE)
		return FE_NONE;
	struct field tmp = {0};
	snprintf(tmp.text, sizeof tmp.text, "%s", f->text);
	tmp.len = strlen(tmp.text);
	if (!field_key(&tmp, k))
		return FE_NONE;
	if (chars(tmp.text) > f->maxlen)
		return FE_NONE;
	snprintf(f->text, sizeof f->text, "%s", tmp.text);
	f->error[0] = '\0';
	return FE_CHANGED;
}

void form_set_date(struct ffield *f, const char *iso)
{
	char d[16];
	snprintf(f->text, sizeof f->text, "%s", iso && *iso ? nl_date(iso, d) : "");
}

bool form_date(struct ffield *f, bool required, char iso[11])
{
	static const char *const months[2][12] = {
		{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
		 "oktober", "november", "december"},
		{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		 "October", "November", "December"}};
	iso[0] = '\0';
	if (!f->text[0] && !required)
		return true;
	int d, m, y;
	switch (nl_date_parse(f->text, iso, &d, &m, &y)) {
	case NL_DATE_OK:
		return true;
	case NL_DATE_NO_DAY: {
		char when[40];
		snprintf(when, sizeof when, "%s %d", months[i18n_english()][m - 1], y);
		snprintf(f->error, sizeof f->error, tr(T_E_DATE_IMPOSSIBLE), when, d);
		return false;
	}
	default:
		snprintf(f->error, sizeof f->error, "%s", tr(T_E_DATE));
		return false;
	}
}

bool form_has_errors(const struct form *fm)
{
	for (size_t i = 0; i < fm->n; i++)
		if (!fm->f[i].hidden && fm->f[i].error[0])
			return true;
	return false;
}

/* The error line as shown. */
static void error_text(const struct ffield *f, char *e, size_t len)
{
	snprintf(e, len, "! %s", f->error);
}

/* Rows a field takes on screen (an error adds the rows it wraps to in vw columns). */
static int field_rows(const struct ffield *f, int vw)
{
	if (f->hidden)
		return 0;
	char e[200];
	error_text(f, e, sizeof e);
	return 1 + (f->error[0] ? draw_wrap_rows(vw, e) : 0) + (f->kind == FK_HEADING ? 1 : 0);
}

#define LABEL_W 22 /* label column; values start at 2 + LABEL_W */

/* Draw one field's line at row y (not headings); places the cursor when it has focus. */
static void field_line(struct ui *u, struct ffield *f, int y, bool focus)
{
	int lw = LABEL_W, vx = 2 + lw, vw = u->cols - vx - 3;
	enum theme_slot ls = f->kind == FK_INFO ? THEME_MUTED : focus ? THEME_TITLE : THEME_NORMAL;
	enum theme_slot in = focus ? THEME_INPUT_FOCUS : THEME_INPUT;
	char shown[300];
	if (f->kind != FK_BUTTON)
		draw_text(y, 2, lw - 1, ls, f->label);
	switch (f->kind) {
	case FK_TEXT:
	case FK_DATE:
		draw_cell(y, vx, vw, in, f->text);
		if (f->kind == FK_DATE && !f->text[0])
			draw_text(y, vx, vw, THEME_MUTED, tr(T_DATE_PLACEHOLDER));
		if (focus) {
			int w = draw_width(f->text);
			u->cur_y = y;
			u->cur_x = vx + (w < vw - 1 ? w : vw - 1);
		}
		return;
	case FK_CHOICE:
		snprintf(shown, sizeof shown, "< %s >", f->nchoices ? f->choices[f->choice] : "-");
		draw_cell(y, vx, vw, in, shown);
		break;
	case FK_INFO:
		draw_text(y, vx, vw, THEME_NORMAL, f->text);
		return;
	case FK_BUTTON:
		snprintf(shown, sizeof shown, "[ %s ]", f->label);
		draw_text(y, vx, vw, focus ? THEME_SELECTION : THEME_TITLE, shown);
		break;
	default:
		return;
	}
	if (focus) {
		u->cur_y = y;
		u->cur_x = vx;
	}
}

void form_draw(struct ui *u, struct form *fm, int y0, int h)
{
	/* Scroll so the focused field and its error line are visible. */
	int vx = 2 + LABEL_W, vw = u->cols - vx - 3;
	int before = 0;
	for (size_t i = 0; i < fm->focus; i++)
		before += field_rows(&fm->f[i], vw);
	int frows = field_rows(&fm->f[fm->focus], vw);
	if (before < fm->scroll)
		fm->scroll = before;
	if (before + frows > fm->scroll + h)
		fm->scroll = before + frows - h;
	int row = -fm->scroll;
	for (size_t i = 0; i < fm->n; i++) {
		struct ffield *f = &fm->f[i];
		if (f->hidden)
			continue;
		if (f->kind == FK_HEADING) {
			if (row >= 0 && row < h)
				draw_text(y0 + row, 2, u->cols - 4, THEME_TITLE, f->label);
			row += 2;
			continue;
		}
		if (row >= 0 && row < h)
			field_line(u, f, y0 + row, i == fm->focus);
		row++;
		if (f->error[0]) {
			/* The whole message, wrapped: a field's error is never cut. */
			char e[200];
			error_text(f, e, sizeof e);
			int rows = draw_wrap_rows(vw, e);
			if (row + rows > 0 && row < h) {
				int skip = row < 0 ? -row : 0;
				draw_wrap(y0 + row + skip, vx, vw, h - row - skip, skip, THEME_ERROR, e);
			}
			row += rows;
		}
	}
}
