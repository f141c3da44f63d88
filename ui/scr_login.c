/* The login screen: server, user name, masked password; Dutch errors on the status line. */
#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <string.h>

void login_draw(struct ui *u)
{
	int w = 60, x = (u->cols - w) / 2, y = 5;
	draw_box(y, x, 10, w, THEME_BORDER, tr(T_LOGIN));
	draw_text(y + 2, x + 2, 18, THEME_NORMAL, tr(T_SERVER));
	draw_text(y + 2, x + 20, w - 22, THEME_MUTED, u->cfg->server);
	const char *labels[2] = {tr(T_USER), tr(T_PASSWORD)};
	for (int i = 0; i < 2; i++) {
		int row = y + 4 + 2 * i;
		struct field *f = i == 0 ? &u->user : &u->pass;
		enum theme_slot s = u->login_focus == i ? THEME_INPUT_FOCUS : THEME_INPUT;
		draw_text(row, x + 2, 18, THEME_NORMAL, labels[i]);
		char shown[256];
		if (f->masked) {
			size_t n = 0;
			for (size_t k = 0; k < f->len && n < sizeof shown - 1; k++)
				if (((unsigned char)f->text[k] & 0xc0) != 0x80)
					shown[n++] = '*';
			shown[n] = '\0';
		} else {
			snprintf(shown, sizeof shown, "%s", f->text);
		}
		draw_cell(row, x + 20, w - 22, s, shown);
		if (u->login_focus == i) {
			u->cur_y = row;
			int cw = draw_width(shown);
			u->cur_x = x + 20 + (cw < w - 23 ? cw : w - 23);
		}
	}
	if (u->app->login_state == REQ_BUSY)
		draw_text(y + 8, x + 2, w - 4, THEME_STATUS_WARN, tr(T_LOGGING_IN));
}

/* Submit the form, or point at what is missing. */
static void submit(struct ui *u)
{
	if (!u->user.len) {
		u->login_focus = 0;
		ui_status(u, THEME_ERROR, "%s", tr(T_NEED_USER));
		return;
	}
	if (!u->pass.len) {
		u->login_focus = 1;
		ui_status(u, THEME_ERROR, "%s", tr(T_NEED_PASSWORD));
		return;
	}
	ui_status(u, THEME_STATUS, "%s", tr(T_LOGGING_IN));
	app_login(u->app, u->user.text, u->pass.text);
	field_clear(&u->pass);
}

void login_key(struct ui *u, struct key k)
{
	enum action a = keys_lookup(CTX_LOGIN, k);
	if (!k.is_keycode && k.code == 27) {
		if (u->app->login_state == REQ_BUSY)
			app_cancel(u->app);
		return;
	}
	/* While a login runs, typing still goes into the fields; only a second submit waits. */
	if (u->app->login_state == REQ_BUSY && a == ACT_OPEN)
		return;
	switch (a) {
	case ACT_HELP:
		u->help = true;
		return;
	case ACT_NEXT_FIELD:
		u->login_focus = 1;
		return;
	case ACT_PREV_FIELD:
		u->login_focus = 0;
		return;
	case ACT_OPEN:
		if (u->login_focus == 0 && u->user.len)
			u->login_focus = 1;
		else
			submit(u);
		return;
	case ACT_QUIT:
		u->quit = true;
		return;
	default:
		break;
	}
	/* q quits only while the user-name field is empty; otherwise it is a letter. */
	if (!k.is_keycode && k.code == 'q' && u->login_focus == 0 && u->user.len == 0) {
		u->quit = true;
		return;
	}
	field_key(u->login_focus == 0 ? &u->user : &u->pass, k);
}
