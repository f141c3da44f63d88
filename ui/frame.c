/* The frame around every screen: header, status line, key hints, help overlay, dialog,
 * command line, the "too small" notice; and the dispatch of keys and core events to the
 * screens on the navigation stack. It knows screens only through their descriptors. */
#include "ui.h"

#include "areas.h"
#include "common/text.h"
#include "draw.h"
#include "widgets/dialog.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STATUS_MS 8000        /* how long a message stays */
#define STATUS_ERROR_MS 20000 /* an error stays longer */

void ui_status(struct ui *u, enum theme_slot slot, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
	u->status_slot = slot;
	u->status_cause = CAUSE_NONE;
	u->status_until_ms = app_now_ms() + (slot == THEME_ERROR ? STATUS_ERROR_MS : STATUS_MS);
	u->dirty = true;
}

void ui_status_cause(struct ui *u, enum status_cause cause, enum theme_slot slot, const char *text)
{
	ui_status(u, slot, "%s", text);
	u->status_cause = cause;
	if (cause != CAUSE_NONE)
		u->status_until_ms = 0; /* stays until its cause is gone */
}

void ui_status_clear(struct ui *u)
{
	u->status[0] = '\0';
	u->status_cause = CAUSE_NONE;
	u->status_until_ms = 0;
	u->dirty = true;
}

bool ui_tick(struct ui *u)
{
	if (u->status[0] && u->status_until_ms && app_now_ms() >= u->status_until_ms) {
		ui_status_clear(u);
		return true;
	}
	return false;
}

const char *ui_problem(enum problem p)
{
	return problem_text(p, i18n_english());
}

const struct app_request *ui_op_finished(struct ui *u, uint64_t *req)
{
	const struct app_request *q = app_request(u->app, *req);
	if (!q || q->state == REQ_BUSY)
		return NULL;
	*req = 0;
	return q;
}

void ui_op_refused(struct ui *u, const struct app_request *q)
{
	if (q && q->state == REQ_ERROR && q->status)
		ui_status(u, THEME_ERROR, "%s", ui_problem(q->problem));
}

/* The text of a core message without an argument, or NULL. */
static const char *msg_text(enum app_msg m, enum theme_slot *slot)
{
	*slot = THEME_ERROR;
	switch (m) {
	case MSG_LOGIN_BAD:
		return tr(T_MSG_LOGIN_BAD);
	case MSG_LOGIN_DEMO_REMOTE:
		return tr(T_MSG_DEMO_REMOTE);
	case MSG_TLS:
		return tr(T_MSG_TLS);
	case MSG_TIMEOUT:
		return tr(T_MSG_TIMEOUT);
	case MSG_PROTOCOL:
		return tr(T_MSG_PROTOCOL);
	case MSG_SESSION_EXPIRED:
		return tr(T_MSG_EXPIRED);
	case MSG_NOT_FOUND:
		return tr(T_MSG_NOT_FOUND);
	case MSG_FORBIDDEN:
		return tr(T_MSG_FORBIDDEN);
	case MSG_CANCELLED:
		*slot = THEME_STATUS;
		return tr(T_MSG_CANCELLED);
	case MSG_BSN_NONE:
		*slot = THEME_STATUS_WARN;
		return tr(T_MSG_BSN_NONE);
	case MSG_BSN_FOUND:
		*slot = THEME_STATUS_OK;
		return tr(T_MSG_BSN_FOUND);
	case MSG_LOGGED_OUT:
		*slot = THEME_STATUS;
		return tr(T_MSG_LOGGED_OUT);
	default:
		return NULL;
	}
}

void ui_show_app_msg(struct ui *u)
{
	struct app *a = u->app;
	enum theme_slot slot;
	const char *t = msg_text(a->msg, &slot);
	if (t)
		ui_status(u, slot, "%s", t);
	else if (a->msg == MSG_UNREACHABLE)
		ui_status_cause(u, CAUSE_OFFLINE, THEME_ERROR, tr(T_MSG_UNREACHABLE));
	else if (a->msg == MSG_LOGIN_THROTTLED)
		ui_status(u, THEME_ERROR, tr(T_MSG_THROTTLED), a->msg_arg);
	else if (a->msg == MSG_SERVER_ERROR)
		ui_status(u, THEME_ERROR, tr(T_MSG_SERVER), a->msg_arg);
	else if (a->msg == MSG_REPLICA_REBUILT)
		ui_status(u, THEME_STATUS_WARN, "%s",
				  tr(a->msg_arg == REPLICA_TOO_NEW ? T_MSG_REBUILT_NEW : T_MSG_REBUILT_CORRUPT));
	else if (a->msg == MSG_INVALID)
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_INVALID));
	else if (a->msg == MSG_SYNCED)
		ui_status(u, THEME_STATUS_OK, tr(T_MSG_SYNCED), a->msg_arg);
	a->msg = MSG_NONE;
}

bool ui_may(const struct ui *u, enum task_id task)
{
	const struct m_me *me = &u->app->me;
	return !me->username || m_me_has_task(me, task_code(task));
}

bool ui_has(const struct ui *u, enum task_id task)
{
	return m_me_has_task(&u->app->me, task_code(task));
}

const char *ui_location_name(const struct ui *u, int64_t id)
{
	for (size_t i = 0; i < u->app->nlocs; i++)
		if (u->app->locs[i].id == id)
			return u->app->locs[i].name;
	return "";
}

/* Base64 of n bytes of s into out (room for 4 * ((n + 2) / 3) + 1). */
static void base64(const unsigned char *s, size_t n, char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
					 (i + 2 < n ? s[i + 2] : 0);
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? abc[v & 63] : '=';
	}
	out[o] = '\0';
}

void ui_copy(struct ui *u, const char *what, const char *text)
{
	size_t n = strlen(text);
	if (n > 600)
		n = 600;
	char b64[820], seq[900];
	base64((const unsigned char *)text, n, b64);
	/* OSC 52: the terminal (also over SSH, and tmux with set-clipboard) takes it. */
	int len = snprintf(seq, sizeof seq, "\033]52;c;%s\a", b64);
	fflush(stdout);
	if (len > 0 && write(STDOUT_FILENO, seq, (size_t)len) < 0)
		ui_status(u, THEME_ERROR, "%s", tr(T_COPY_FAILED));
	else
		ui_status(u, THEME_STATUS_OK, tr(T_COPIED), what, text);
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

/* Row 0: screen, organisation, user and role, connection state. */
static void draw_header(struct ui *u)
{
	struct app *a = u->app;
	draw_fill(0, 0, u->cols, THEME_HEADER);
	struct nav_entry *top = nav_top(u);
	const char *screen = top ? tr(top->scr->title) : "";
	/* The screen's name first: when room is short, the organisation is cut, not it. */
	char left[256];
	snprintf(left, sizeof left, " %s | %s", screen, a->me.organisation ? a->me.organisation : "zorgterm");
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

/* The key to show for action a in ctx: the first that is not an arrow. */
static void hint_key(enum key_ctx ctx, enum action a, char *shown, size_t len)
{
	char keys[64];
	keys_for(ctx, a, keys, sizeof keys);
	shown[0] = '\0';
	for (char *save = NULL, *t = strtok_r(keys, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		bool arrow = !strcmp(t, "Left") || !strcmp(t, "Right") || !strcmp(t, "Up") || !strcmp(t, "Down");
		if (!arrow || !shown[0])
			snprintf(shown, len, "%s", t);
		if (!arrow)
			break;
	}
}

/* The bottom line: the top screen's actions this user may take now, key and label. */
static void draw_keyhints(struct ui *u)
{
	draw_fill(u->rows - 1, 0, u->cols, THEME_KEYHINT);
	struct nav_entry *top = nav_top(u);
	if (!top)
		return;
	enum key_ctx ctx = nav_ctx(u);
	const enum action *h = top->scr->hints ? top->scr->hints(u, top->st) : NULL;
	if (!h) {
		draw_text(u->rows - 1, 1, u->cols - 2, THEME_KEYHINT, tr(T_LOGIN_HINT));
		return;
	}
	int x = 1;
	for (size_t i = 0; h[i] != ACT_NONE && x < u->cols - 4; i++) {
		char shown[32];
		hint_key(ctx, h[i], shown, sizeof shown);
		if (!shown[0] || !nav_may(u, h[i]))
			continue;
		int need = draw_width(shown) + 1 + draw_width(keys_label(h[i])) + 2;
		if (x + need > u->cols)
			break; /* never half a hint */
		x += draw_text(u->rows - 1, x, u->cols - x, THEME_KEY, shown);
		x += draw_text(u->rows - 1, x, u->cols - x, THEME_KEYHINT, " ");
		x += draw_text(u->rows - 1, x, u->cols - x, THEME_KEYHINT, keys_label(h[i]));
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
	/* A message longer than the line takes the row above as well: nothing is cut. */
	if (draw_wrap_rows(u->cols - 2, u->status) > 1) {
		draw_fill(y - 1, 0, u->cols, THEME_STATUS);
		draw_wrap(y - 1, 1, u->cols - 2, 2, 0, u->status_slot, u->status);
		return;
	}
	draw_text(y, 1, u->cols - 2, u->status_slot, u->status);
}

/* One help line: keys, help text and the action's config name (for key bindings). */
static void help_line(enum key_ctx ctx, enum action a, int y, int x, int w)
{
	char keys[64];
	keys_for(ctx, a, keys, sizeof keys);
	draw_text(y, x, 16, THEME_KEY, keys);
	char line[200];
	snprintf(line, sizeof line, "%s%s [%s]", keys_help(a), keys_dangerous(a) ? " (!)" : "", keys_name(a));
	draw_text(y, x + 17, w - 18, THEME_NORMAL, line);
}

/* True for the actions that only move the selection (shown together on one line). */
static bool is_move(enum action a)
{
	return a >= ACT_UP && a <= ACT_BOTTOM;
}

/* The movement actions on one line: their letter keys, then what they do and their names. */
static void help_moves(enum key_ctx ctx, const enum action *acts, size_t n, int y, int x, int w)
{
	char keys[64] = "", names[120] = "";
	size_t kl = 0, nl = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_move(acts[i]))
			continue;
		char k[64];
		keys_for(ctx, acts[i], k, sizeof k);
		char *last = strrchr(k, ' '); /* the last key: the letter where there is one */
		kl += (size_t)snprintf(keys + kl, sizeof keys - kl, "%s%s", kl ? " " : "", last ? last + 1 : k);
		nl += (size_t)snprintf(names + nl, sizeof names - nl, "%s%s", nl ? " " : "", keys_name(acts[i]));
		if (kl >= sizeof keys || nl >= sizeof names)
			break;
	}
	draw_text(y, x, 16, THEME_KEY, keys);
	char line[200];
	snprintf(line, sizeof line, "%s [%s]", tr(T_HELP_MOVE), names);
	draw_text(y, x + 17, w - 18, THEME_NORMAL, line);
}

/* The help overlay: the actions offered now (moving on one line) and the areas. */
static void help_draw(struct ui *u)
{
	enum key_ctx ctx = nav_ctx(u);
	enum action all[ACT_COUNT], acts[ACT_COUNT];
	size_t m = keys_actions(ctx, all, ACT_COUNT), n = 0;
	bool moves = false;
	for (size_t i = 0; i < m; i++) {
		if (!nav_may(u, all[i]) || (all[i] == ACT_AREAS && area_home(u) < 0))
			continue;
		moves |= is_move(all[i]);
		acts[n++] = all[i];
	}
	int w = u->cols - 4, y = 1, x = 2, h = u->rows - 3, row = y + 1;
	draw_box(y, x, h, w, THEME_BORDER, tr(T_HELP));
	if (moves)
		help_moves(ctx, acts, n, row++, x + 2, w - 4);
	for (size_t i = 0; i < n && row < y + h - 3; i++)
		if (!is_move(acts[i]))
			help_line(ctx, acts[i], row++, x + 2, w - 4);
	char line[256];
	size_t used = (size_t)snprintf(line, sizeof line, "%s:", tr(T_AREAS));
	for (int i = 0; i < AREA_COUNT && used < sizeof line; i++)
		if (area_allowed(u, i))
			used += (size_t)snprintf(line + used, sizeof line - used, "  %d %s", i + 1, area_label(i));
	draw_text(y + h - 3, x + 2, w - 4, THEME_MUTED, line);
	draw_text(y + h - 2, x + 2, w - 4, THEME_MUTED, tr(T_HELP_CLOSE));
	u->cur_y = y + h - 2;
	u->cur_x = x + 2;
}

/* The confirmation of a dangerous action. */
static void confirm_draw(struct ui *u)
{
	struct nav_entry *top = nav_top(u);
	const char *q = NULL;
	if (top && top->scr->confirm_text)
		q = top->scr->confirm_text(top->st, u->confirm_action);
	if (!q)
		q = tr(T_CONFIRM_GENERIC);
	dialog_draw(u, keys_help(u->confirm_action), q);
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
	struct nav_entry *top = nav_top(u);
	if (top)
		top->scr->draw(u, top->st);
	if (u->cmdline)
		cmdline_draw(u);
	else
		draw_status(u);
	draw_keyhints(u);
	if (u->help)
		help_draw(u);
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
		nav_reset(u, SID_LOGIN, 0, 0);
		return;
	}
	struct nav_entry *top = nav_top(u);
	if (top && top->scr->confirmed)
		nav_apply(u, top->scr->confirmed(u, top->st, a));
}

/* The answer to the dialog: j/y carries the action out, anything else says no. */
static void confirm_key(struct ui *u, struct key k)
{
	u->confirm = false;
	if (!k.is_keycode && (k.code == 'j' || k.code == 'J' || k.code == 'y' || k.code == 'Y'))
		run_confirmed(u, u->confirm_action);
}

/* `y`: copy what the top screen names as its identifier. */
static void copy_selected(struct ui *u)
{
	struct nav_entry *top = nav_top(u);
	const char *what = NULL, *text = NULL;
	if (top && top->scr->copy && top->scr->copy(u, top->st, &what, &text) && text && *text)
		ui_copy(u, what, text);
	else
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_COPY_NOTHING));
}

/* Keys the frame takes before the screen (outside fields): true when taken. */
static bool frame_key(struct ui *u, struct key k, enum action a)
{
	if (a == ACT_REDRAW) {
		clearok(curscr, TRUE);
		return true;
	}
	if (a == ACT_COMMAND && area_home(u) >= 0) {
		cmdline_open(u);
		return true;
	}
	if (a == ACT_COPY) {
		copy_selected(u);
		return true;
	}
	return area_home(u) >= 0 && area_key(u, k);
}

void ui_key(struct ui *u, struct key k)
{
	u->dirty = true;
	if (u->help) {
		u->help = false;
		return;
	}
	if (u->confirm) {
		confirm_key(u, k);
		return;
	}
	if (u->cmdline) {
		cmdline_key(u, k);
		return;
	}
	struct nav_entry *top = nav_top(u);
	if (!top || (k.is_keycode && k.code == KEY_RESIZE))
		return;
	enum key_ctx ctx = nav_ctx(u);
	enum action a = keys_lookup(ctx, k);
	bool typing = keys_typing(ctx);
	/* F1 works even where letters are typed into fields. */
	if (a == ACT_HELP && (k.is_keycode || !typing)) {
		u->help = true;
		return;
	}
	if (!typing && frame_key(u, k, a))
		return;
	if (keys_dangerous(a)) {
		if (nav_may(u, a)) {
			u->confirm = true;
			u->confirm_action = a;
		} else {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		}
		return;
	}
	nav_apply(u, top->scr->key(u, top->st, k, a));
}

/* Login, logout, a lost session, and /me arriving: choose the screens. */
static void session_changed(struct ui *u)
{
	struct app *a = u->app;
	struct nav_entry *top = nav_top(u);
	bool at_login = top && top->scr == screen_get(SID_LOGIN);
	if (!a->logged_in) {
		if (!at_login)
			nav_reset(u, SID_LOGIN, 0, 0);
		u->help = u->cmdline = u->confirm = false;
		return;
	}
	int home = area_home(u);
	if (at_login) {
		ui_status_clear(u);
		if (home < 0 || !area_go(u, home))
			nav_reset(u, SID_CLIENTS, 0, 0);
		return;
	}
	/* /me arrived after the first screen was chosen: a user whose home is another area
	 * (a beheerder) moves there, unless they already went somewhere. */
	if (u->depth == 1 && top->scr == screen_get(SID_CLIENTS) && home > 0)
		area_go(u, home);
}

void ui_app_events(struct ui *u, unsigned ev)
{
	struct app *a = u->app;
	if (ev & APP_EV_MSG)
		ui_show_app_msg(u);
	if ((ev & APP_EV_CONN) && a->conn == CONN_ONLINE && u->status_cause == CAUSE_OFFLINE)
		ui_status_clear(u); /* "not reachable" is over */
	if (ev & APP_EV_SESSION)
		session_changed(u);
	/* Every open screen listening to these events reloads; the top one may navigate. */
	for (size_t i = 0; i < u->depth; i++) {
		struct nav_entry *e = &u->nav[i];
		if (!(e->scr->events & ev) || !e->scr->reload)
			continue;
		int flags = e->scr->reload(u, e->st, ev);
		if (i + 1 == u->depth && flags) {
			nav_apply(u, flags);
			break;
		}
	}
	if (ev)
		u->dirty = true;
}

void ui_start(struct ui *u, bool resumed)
{
	if (!resumed) {
		nav_reset(u, SID_LOGIN, 0, 0);
		return;
	}
	int home = area_home(u);
	if (home < 0 || !area_go(u, home))
		nav_reset(u, SID_CLIENTS, 0, 0);
}

void ui_stop(struct ui *u)
{
	while (u->depth > 1)
		nav_pop(u);
	if (u->depth) {
		u->nav[0].scr->close(u, u->nav[0].st);
		u->depth = 0;
	}
}
