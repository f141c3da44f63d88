/* The login screen: server, user name, masked password; Dutch errors on the status line. */
#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

struct login {
	struct field user, pass;
	int focus; /* 0 user, 1 password */
};

/* Open: the configured or last user is filled in, the focus on what is missing. */
static void *login_open(struct ui *u, const struct nav_arg *arg)
{
	(void)arg;
	struct login *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->pass.masked = true;
	field_set(&s->user, u->cfg->user ? u->cfg->user : u->app->user);
	s->focus = s->user.len ? 1 : 0;
	return s;
}

/* Close: the password is wiped. */
static void login_close(struct ui *u, void *st)
{
	(void)u;
	struct login *s = st;
	field_clear(&s->pass);
	free(s);
}

/* The field's text as shown (stars for the password). */
static void shown_text(const struct field *f, char *shown, size_t len)
{
	if (!f->masked) {
		snprintf(shown, len, "%s", f->text);
		return;
	}
	size_t n = 0;
	for (size_t k = 0; k < f->len && n < len - 1; k++)
		if (((unsigned char)f->text[k] & 0xc0) != 0x80)
			shown[n++] = '*';
	shown[n] = '\0';
}

static void login_draw(struct ui *u, void *st)
{
	struct login *s = st;
	int w = 60, x = (u->cols - w) / 2, y = 5;
	draw_box(y, x, 10, w, THEME_BORDER, tr(T_LOGIN));
	draw_text(y + 2, x + 2, 18, THEME_NORMAL, tr(T_SERVER));
	draw_text(y + 2, x + 20, w - 22, THEME_MUTED, u->cfg->server);
	const char *labels[2] = {tr(T_USER), tr(T_PASSWORD)};
	for (int i = 0; i < 2; i++) {
		int row = y + 4 + 2 * i;
		struct field *f = i == 0 ? &s->user : &s->pass;
		draw_text(row, x + 2, 18, THEME_NORMAL, labels[i]);
		char shown[256];
		shown_text(f, shown, sizeof shown);
		draw_cell(row, x + 20, w - 22, s->focus == i ? THEME_INPUT_FOCUS : THEME_INPUT, shown);
		if (s->focus == i) {
			u->cur_y = row;
			int cw = draw_width(shown);
			u->cur_x = x + 20 + (cw < w - 23 ? cw : w - 23);
		}
	}
	if (app_login_state(u->app) == REQ_BUSY)
		draw_text(y + 8, x + 2, w - 4, THEME_STATUS_WARN, tr(T_LOGGING_IN));
}

/* Submit the form, or point at what is missing. */
static void submit(struct ui *u, struct login *s)
{
	if (!s->user.len) {
		s->focus = 0;
		ui_status(u, THEME_ERROR, "%s", tr(T_NEED_USER));
		return;
	}
	if (!s->pass.len) {
		s->focus = 1;
		ui_status(u, THEME_ERROR, "%s", tr(T_NEED_PASSWORD));
		return;
	}
	ui_status(u, THEME_STATUS, "%s", tr(T_LOGGING_IN));
	app_login(u->app, s->user.text, s->pass.text);
	field_clear(&s->pass);
}

static int login_key(struct ui *u, void *st, struct key k, enum action a)
{
	struct login *s = st;
	if (a == ACT_CANCEL) {
		/* Esc cancels a running login; otherwise it leaves zorgterm. */
		if (app_login_state(u->app) == REQ_BUSY)
			app_cancel(u->app);
		else
			return R_QUIT;
		return R_HANDLED;
	}
	/* While a login runs, typing still goes into the fields; only a second submit waits. */
	if (app_login_state(u->app) == REQ_BUSY && a == ACT_OPEN)
		return R_HANDLED;
	switch (a) {
	case ACT_NEXT_FIELD:
		s->focus = 1;
		return R_HANDLED;
	case ACT_PREV_FIELD:
		s->focus = 0;
		return R_HANDLED;
	case ACT_OPEN:
		if (s->focus == 0 && s->user.len)
			s->focus = 1;
		else
			submit(u, s);
		return R_HANDLED;
	case ACT_QUIT:
		return R_QUIT;
	default:
		break;
	}
	/* In the user-name field (no user name has a '?'), ? opens the help; an empty user-name
	 * field also quits on q. In the password field every character is typed. */
	if (!k.is_keycode && s->focus == 0 && k.code == '?') {
		u->help = true;
		return R_HANDLED;
	}
	if (!k.is_keycode && k.code == 'q' && s->focus == 0 && s->user.len == 0)
		return R_QUIT;
	field_key(s->focus == 0 ? &s->user : &s->pass, k);
	return R_HANDLED;
}

const struct screen screen_login = {
	.name = "inloggen",
	.title = T_LOGIN,
	.ctx = CTX_LOGIN,
	.open = login_open,
	.close = login_close,
	.draw = login_draw,
	.key = login_key,
};
