/* The frame around every screen: header, status line, key hints, help overlay, confirm
 * dialog, the "too small" notice; and the dispatch of keys and core events. */
#include "ui.h"

#include "common/text.h"
#include "draw.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void ui_status(struct ui *u, enum theme_slot slot, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
	u->status_slot = slot;
	u->dirty = true;
}

void ui_show_app_msg(struct ui *u)
{
	struct app *a = u->app;
	const char *t = a->msg_text[0] ? a->msg_text : "?";
	switch (a->msg) {
	case MSG_NONE:
		break;
	case MSG_LOGIN_BAD:
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_LOGIN_BAD));
		break;
	case MSG_LOGIN_THROTTLED:
		ui_status(u, THEME_ERROR, tr(T_MSG_THROTTLED), a->msg_arg);
		break;
	case MSG_LOGIN_DEMO_REMOTE:
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_DEMO_REMOTE));
		break;
	case MSG_UNREACHABLE:
		ui_status(u, THEME_ERROR, tr(T_MSG_UNREACHABLE), t);
		break;
	case MSG_TLS:
		ui_status(u, THEME_ERROR, tr(T_MSG_TLS), t);
		break;
	case MSG_TIMEOUT:
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_TIMEOUT));
		break;
	case MSG_SERVER_ERROR:
		ui_status(u, THEME_ERROR, tr(T_MSG_SERVER), a->msg_arg);
		break;
	case MSG_PROTOCOL:
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_PROTOCOL));
		break;
	case MSG_SESSION_EXPIRED:
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_EXPIRED));
		break;
	case MSG_REPLICA_REBUILT:
		ui_status(u, THEME_STATUS_WARN, "%s",
				  tr(a->msg_arg == REPLICA_TOO_NEW ? T_MSG_REBUILT_NEW : T_MSG_REBUILT_CORRUPT));
		break;
	case MSG_NOT_FOUND:
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_NOT_FOUND));
		break;
	case MSG_FORBIDDEN:
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		break;
	case MSG_CANCELLED:
		ui_status(u, THEME_STATUS, "%s", tr(T_MSG_CANCELLED));
		break;
	case MSG_INVALID:
		ui_status(u, THEME_ERROR, tr(T_MSG_INVALID), t);
		break;
	case MSG_BSN_NONE:
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_MSG_BSN_NONE));
		break;
	case MSG_BSN_FOUND:
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_MSG_BSN_FOUND));
		break;
	case MSG_LOGGED_OUT:
		ui_status(u, THEME_STATUS, "%s", tr(T_MSG_LOGGED_OUT));
		break;
	case MSG_SYNCED:
		ui_status(u, THEME_STATUS_OK, tr(T_MSG_SYNCED), a->msg_arg);
		break;
	}
	a->msg = MSG_NONE;
}

bool ui_may(const struct ui *u, const char *task)
{
	const struct m_me *me = &u->app->me;
	return !me->username || m_me_has_task(me, task);
}

const char *ui_location_name(const struct ui *u, int64_t id)
{
	for (size_t i = 0; i < u->app->nlocs; i++)
		if (u->app->locs[i].id == id)
			return u->app->locs[i].name;
	return "";
}

/* The connection state as words (never colour alone) and its slot. */
static const char *conn_text(const struct ui *u, enum theme_slot *slot, char *buf, size_t len)
{
	struct app *a = u->app;
	switch (a->conn) {
	case CONN_ONLINE:
		*slot = THEME_STATUS_OK;
		snprintf(buf, len, "* %s", tr(T_ONLINE));
		return buf;
	case CONN_CONNECTING:
		*slot = THEME_STATUS_WARN;
		snprintf(buf, len, "~ %s", tr(T_CONNECTING));
		return buf;
	case CONN_OFFLINE: {
		*slot = THEME_STATUS_BAD;
		char age[64];
		long long secs = a->synced_at ? (long long)(time(NULL) - a->synced_at) : -1;
		if (secs < 0)
			snprintf(age, sizeof age, "%s", tr(T_AGE_NEVER));
		else if (secs < 120)
			snprintf(age, sizeof age, tr(T_AGE_SECONDS), secs);
		else if (secs < 7200)
			snprintf(age, sizeof age, tr(T_AGE_MINUTES), secs / 60);
		else
			snprintf(age, sizeof age, tr(T_AGE_HOURS), secs / 3600);
		snprintf(buf, len, "! %s (%s)", tr(T_OFFLINE), age);
		return buf;
	}
	default:
		*slot = THEME_HEADER;
		return "";
	}
}

/* Row 0: organisation, screen, user and role, connection state. */
static void draw_header(struct ui *u)
{
	struct app *a = u->app;
	draw_fill(0, 0, u->cols, THEME_HEADER);
	const char *screen;
	switch (u->screen) {
	case SCR_LOGIN:
		screen = tr(T_LOGIN);
		break;
	case SCR_CLIENTS:
		screen = tr(T_CLIENTS);
		break;
	case SCR_CLIENT:
		screen = tr(T_CLIENT);
		break;
	case SCR_SETTINGS:
		screen = tr(T_HCT_SETTINGS);
		break;
	default:
		screen = tr(T_HCT);
		break;
	}
	/* The screen's name first: when room is short, the organisation is cut, not it. */
	char left[256];
	snprintf(left, sizeof left, " %s | %s", screen,
			 a->me.organisation ? a->me.organisation : "zorgterm");
	enum theme_slot cs = THEME_HEADER;
	char cbuf[128];
	const char *conn = conn_text(u, &cs, cbuf, sizeof cbuf);
	char who[160] = "";
	if (a->logged_in && a->me.name)
		snprintf(who, sizeof who, "%s (%s) | ", a->me.name, a->me.nroles ? a->me.roles[0] : "");
	int cw = draw_width(conn), ww = draw_width(who);
	if (ww > u->cols / 2)
		ww = u->cols / 2;
	int room = u->cols - cw - ww - 2;
	draw_text(0, 0, room, THEME_HEADER, left);
	int x = u->cols - cw - ww - 1;
	if (x < 0)
		x = 0;
	draw_text(0, x, ww, THEME_HEADER, who);
	draw_text(0, x + ww, cw, cs, conn);
}

/* The hints shown in the bottom line for the current context. */
static void draw_keyhints(struct ui *u, enum key_ctx ctx)
{
	draw_fill(u->rows - 1, 0, u->cols, THEME_KEYHINT);
	static const enum action list_hints[] = {ACT_HELP, ACT_SEARCH, ACT_TREE, ACT_OPEN, ACT_LOGOUT, ACT_QUIT};
	static const enum action detail_hints[] = {ACT_HELP, ACT_REVEAL, ACT_QUIT};
	static const enum action tree_hints[] = {ACT_OPEN, ACT_CANCEL, ACT_HELP};
	static const enum action form_hints[] = {ACT_NEXT_FIELD, ACT_CANCEL, ACT_HELP};
	static const enum action settings_hints[] = {ACT_TOGGLE_USE, ACT_TOGGLE_ORDERING, ACT_HELP, ACT_QUIT};
	enum action dyn[8];
	size_t ndyn = 0;
	const enum action *h = list_hints;
	size_t n = sizeof list_hints / sizeof list_hints[0];
	struct m_me *me = &u->app->me;
	/* Show only the actions this user may take: no Bestellen without the order task. */
	if (ctx == CTX_HCT) {
		dyn[ndyn++] = ACT_HELP;
		dyn[ndyn++] = ACT_OPEN;
		if (m_me_has_task(me, "hct.order.manage"))
			dyn[ndyn++] = ACT_ORDER;
		if (m_me_has_task(me, "hct.client.edit"))
			dyn[ndyn++] = ACT_ADD;
		dyn[ndyn++] = ACT_QUIT;
	} else if (ctx == CTX_CARD) {
		static const enum action card_actions[] = {ACT_DELETE, ACT_START_USE, ACT_END};
		dyn[ndyn++] = ACT_HELP;
		for (size_t i = 0; i < sizeof card_actions / sizeof card_actions[0]; i++)
			if (card_may(u, card_actions[i]))
				dyn[ndyn++] = card_actions[i];
		dyn[ndyn++] = ACT_QUIT;
	} else if (ctx == CTX_DETAIL && m_me_has_task(me, "hct.client.view")) {
		dyn[ndyn++] = ACT_HELP;
		dyn[ndyn++] = ACT_REVEAL;
		dyn[ndyn++] = ACT_HCT;
		dyn[ndyn++] = ACT_QUIT;
	}
	if (ndyn) {
		h = dyn;
		n = ndyn;
	} else if (ctx == CTX_FORM) {
		h = form_hints;
		n = sizeof form_hints / sizeof form_hints[0];
	} else if (ctx == CTX_SETTINGS) {
		h = settings_hints;
		n = sizeof settings_hints / sizeof settings_hints[0];
	} else if (ctx == CTX_DETAIL) {
		h = detail_hints;
		n = sizeof detail_hints / sizeof detail_hints[0];
	} else if (ctx == CTX_TREE) {
		h = tree_hints;
		n = sizeof tree_hints / sizeof tree_hints[0];
	} else if (ctx == CTX_LOGIN) {
		draw_text(u->rows - 1, 1, u->cols - 2, THEME_KEYHINT, tr(T_LOGIN_HINT));
		return;
	}
	int x = 1;
	for (size_t i = 0; i < n && x < u->cols - 4; i++) {
		char keys[64];
		keys_for(ctx, h[i], keys, sizeof keys);
		/* Show one key: the first that is not an arrow (arrows are for moving). */
		char shown[32] = "";
		for (char *save = NULL, *t = strtok_r(keys, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
			bool arrow = !strcmp(t, "Left") || !strcmp(t, "Right") || !strcmp(t, "Up") || !strcmp(t, "Down");
			if (!arrow || !shown[0])
				snprintf(shown, sizeof shown, "%s", t);
			if (!arrow)
				break;
		}
		x += draw_text(u->rows - 1, x, u->cols - x, THEME_KEY, shown);
		x += draw_text(u->rows - 1, x, u->cols - x, THEME_KEYHINT, " ");
		/* The first word of the help text is the hint. */
		char word[40];
		snprintf(word, sizeof word, "%s", keys_help(h[i]));
		char *sp = strpbrk(word, " :/(");
		if (sp)
			*sp = '\0';
		x += draw_text(u->rows - 1, x, u->cols - x, THEME_KEYHINT, word);
		x += draw_text(u->rows - 1, x, u->cols - x, THEME_KEYHINT, "  ");
	}
}

/* The status line: the last message, or a sync progress bar. */
static void draw_status(struct ui *u)
{
	int y = u->rows - 2;
	draw_fill(y, 0, u->cols, THEME_STATUS);
	int64_t done, total;
	if (app_sync_progress(u->app, &done, &total) && total > 0) {
		int pct = (int)(done * 100 / total);
		if (pct > 100)
			pct = 100;
		char bar[64];
		int bw = 30, filled = pct * bw / 100;
		for (int i = 0; i < bw; i++)
			bar[i] = i < filled ? '#' : '.';
		bar[bw] = '\0';
		char line[160];
		snprintf(line, sizeof line, " %s [%s] %d%%", tr(T_SYNCING), bar, pct);
		draw_text(y, 0, u->cols, THEME_STATUS, line);
		return;
	}
	draw_text(y, 1, u->cols - 2, u->status_slot, u->status);
}

/* The context that handles keys now. */
static enum key_ctx current_ctx(const struct ui *u)
{
	if (u->screen == SCR_LOGIN)
		return CTX_LOGIN;
	switch (u->screen) {
	case SCR_CLIENT:
		return CTX_DETAIL;
	case SCR_HCT:
		return CTX_HCT;
	case SCR_ORDER:
	case SCR_REG:
		return CTX_CARD;
	case SCR_FORM:
		return CTX_FORM;
	case SCR_SETTINGS:
		return CTX_SETTINGS;
	default:
		return u->tree ? CTX_TREE : CTX_LIST;
	}
}

void help_draw(struct ui *u, enum key_ctx ctx)
{
	enum action acts[ACT_COUNT];
	size_t n = keys_actions(ctx, acts, ACT_COUNT);
	int h = (int)n + 4, w = u->cols - 8;
	if (h > u->rows - 2)
		h = u->rows - 2;
	int y = (u->rows - h) / 2, x = 4;
	draw_box(y, x, h, w, THEME_BORDER, tr(T_HELP));
	for (size_t i = 0; i < n && (int)i < h - 4; i++) {
		char keys[64];
		keys_for(ctx, acts[i], keys, sizeof keys);
		draw_text(y + 1 + (int)i, x + 2, 20, THEME_KEY, keys);
		char line[160];
		snprintf(line, sizeof line, "%s%s", keys_help(acts[i]), keys_dangerous(acts[i]) ? " (!)" : "");
		draw_text(y + 1 + (int)i, x + 23, w - 25, THEME_NORMAL, line);
	}
	draw_text(y + h - 2, x + 2, w - 4, THEME_MUTED, tr(T_HELP_CLOSE));
	u->cur_y = y + h - 2;
	u->cur_x = x + 2;
}

/* The confirmation of a dangerous action. */
static void confirm_draw(struct ui *u)
{
	int w = 60, h = 5, y = (u->rows - h) / 2, x = (u->cols - w) / 2;
	const char *q = hct_confirm_text(u->confirm_action);
	if (!q)
		q = i18n_english() ? "Are you sure? (y/n)" : "Weet u het zeker? (j/n)";
	int need = draw_width(q) + 4;
	if (need > w) {
		w = need < u->cols - 2 ? need : u->cols - 2;
		x = (u->cols - w) / 2;
	}
	draw_box(y, x, h, w, THEME_BORDER, keys_help(u->confirm_action));
	draw_text(y + 2, x + 2, w - 4, THEME_ERROR, q);
	u->cur_y = y + 2;
	u->cur_x = x + 2 + draw_width(q);
}

void ui_render(struct ui *u)
{
	getmaxyx(stdscr, u->rows, u->cols);
	erase();
	u->cur_y = u->cur_x = 0;
	if (u->rows < 24 || u->cols < 80) {
		char msg[160];
		snprintf(msg, sizeof msg, tr(T_TOO_SMALL), u->cols, u->rows);
		attrset(A_NORMAL);
		mvaddnstr(u->rows / 2, 0, msg, u->cols);
		move(u->rows / 2, 0);
		wnoutrefresh(stdscr);
		doupdate();
		u->dirty = false;
		return;
	}
	draw_header(u);
	enum key_ctx ctx = current_ctx(u);
	switch (u->screen) {
	case SCR_LOGIN:
		login_draw(u);
		break;
	case SCR_CLIENTS:
		clients_draw(u);
		if (u->tree)
			tree_draw(u);
		break;
	case SCR_CLIENT:
		client_draw(u);
		break;
	case SCR_HCT:
		hct_draw(u);
		break;
	case SCR_ORDER:
	case SCR_REG:
		card_draw(u);
		break;
	case SCR_FORM:
		form_screen_draw(u);
		break;
	case SCR_SETTINGS:
		settings_draw(u);
		break;
	}
	draw_status(u);
	draw_keyhints(u, ctx);
	if (u->help)
		help_draw(u, ctx);
	if (u->confirm)
		confirm_draw(u);
	attrset(A_NORMAL);
	move(u->cur_y, u->cur_x);
	wnoutrefresh(stdscr);
	doupdate();
	u->dirty = false;
}

/* Carry out a confirmed dangerous action. */
static void run_confirmed(struct ui *u, enum action a)
{
	if (a == ACT_LOGOUT) {
		app_logout(u->app);
		u->screen = SCR_LOGIN;
		u->login_focus = 1;
	} else {
		hct_confirmed(u, a);
	}
}

void ui_key(struct ui *u, struct key k)
{
	u->dirty = true;
	if (u->help) {
		u->help = false;
		return;
	}
	if (u->confirm) {
		u->confirm = false;
		if (!k.is_keycode && (k.code == 'j' || k.code == 'J' || k.code == 'y' || k.code == 'Y'))
			run_confirmed(u, u->confirm_action);
		return;
	}
	if (k.is_keycode && k.code == KEY_RESIZE)
		return;
	enum key_ctx ctx = current_ctx(u);
	enum action a = keys_lookup(ctx, k);
	if (a == ACT_HELP && k.is_keycode) {
		u->help = true; /* F1 works even where letters are typed into fields */
		return;
	}
	/* Typing into a field comes before letter bindings. */
	if (u->screen == SCR_LOGIN) {
		login_key(u, k);
		return;
	}
	if (u->screen == SCR_CLIENTS && u->searching && !u->tree) {
		clients_key(u, k);
		return;
	}
	if (u->screen == SCR_FORM) {
		form_screen_key(u, k);
		return;
	}
	if (a == ACT_HELP) {
		u->help = true;
		return;
	}
	if (a == ACT_REDRAW) {
		clearok(curscr, TRUE);
		return;
	}
	if (keys_dangerous(a)) {
		u->confirm = true;
		u->confirm_action = a;
		return;
	}
	if (u->screen == SCR_CLIENT)
		client_key(u, k);
	else if (u->screen == SCR_HCT)
		hct_key(u, k);
	else if (u->screen == SCR_ORDER || u->screen == SCR_REG)
		card_key(u, k);
	else if (u->screen == SCR_SETTINGS)
		settings_key(u, k);
	else if (u->tree)
		tree_key(u, k);
	else
		clients_key(u, k);
}

void ui_app_events(struct ui *u, unsigned ev)
{
	struct app *a = u->app;
	if (ev & APP_EV_MSG)
		ui_show_app_msg(u);
	if (ev & APP_EV_SESSION) {
		if (a->logged_in && u->screen == SCR_LOGIN) {
			u->screen = SCR_CLIENTS;
			u->status[0] = '\0';
			field_clear(&u->pass);
		} else if (!a->logged_in && u->screen != SCR_LOGIN) {
			u->screen = SCR_LOGIN;
			u->help = u->tree = u->searching = false;
			u->login_focus = u->user.len ? 1 : 0;
		}
	}
	if (ev & APP_EV_LOCATIONS)
		tree_build(u);
	if (ev & APP_EV_HCT)
		hct_reload(u);
	if (ev & APP_EV_OP)
		forms_op_done(u);
	if (ev & (APP_EV_CLIENTS | APP_EV_SESSION | APP_EV_LOCATIONS))
		clients_refresh(u);
	if (ev & APP_EV_BSN && a->bsn_state == REQ_OK && a->bsn_client) {
		clients_refresh(u);
		app_open_client(a, a->bsn_client);
		u->screen = SCR_CLIENT;
		u->reveal = false;
	}
	if (ev)
		u->dirty = true;
}

bool field_key(struct field *f, struct key k)
{
	if (k.is_keycode) {
		if (k.code == KEY_BACKSPACE || k.code == KEY_DC) {
			if (!f->len)
				return false;
			/* Remove one whole UTF-8 sequence. */
			do
				f->len--;
			while (f->len > 0 && ((unsigned char)f->text[f->len] & 0xc0) == 0x80);
			f->text[f->len] = '\0';
			return true;
		}
		return false;
	}
	wint_t c = k.code;
	if (c == 127 || c == 8) {
		struct key bs = {KEY_BACKSPACE, true};
		return field_key(f, bs);
	}
	if (c == 0x15) { /* Ctrl-U: clear */
		field_clear(f);
		return true;
	}
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return false;
	char enc[4];
	size_t n = text_utf8_encode((uint32_t)c, enc);
	if (f->len + n >= sizeof f->text)
		return false;
	memcpy(f->text + f->len, enc, n);
	f->len += n;
	f->text[f->len] = '\0';
	return true;
}

void field_clear(struct field *f)
{
	memset(f->text, 0, sizeof f->text);
	f->len = 0;
}
