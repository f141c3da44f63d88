/* Berichten: the location messages sent (date, sender, to whom, recipients, delivered,
 * failed) from the replica, so the counts move by themselves as the change feed brings
 * them; below, the selected message's details with its text in a scrolling, wrapping pane.
 * "Verstuur bericht" (v) writes a message to all clients (issue 10, SPEC 3.4). */
#include "client/messages.h"
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"
#include "widgets/detail.h"
#include "widgets/list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct messages {
	struct m_message *msgs;
	size_t n;
	struct list list;
	struct detail info;
	int64_t shown;    /* the message the pane shows */
	uint64_t req;     /* its text being fetched */
	bool may_view;
};

/* The selected message, or NULL. */
static const struct m_message *selected(const struct messages *s)
{
	return s->list.sel < s->n ? &s->msgs[s->list.sel] : NULL;
}

/* "1.234" into out. */
static const char *num(int64_t v, char out[32])
{
	return nl_number((long long)v, out);
}

/* Fill the pane with m's details; its text when the core has read it. */
static void fill_detail(struct ui *u, struct messages *s, const struct m_message *m)
{
	char when[32], a[32], b[32], c[32], line[160];
	detail_clear(&s->info);
	if (!m)
		return;
	detail_add(&s->info, tr(T_MSG_COL_DATE), nl_datetime(m->sent_at, when), THEME_NORMAL);
	detail_add(&s->info, tr(T_MSG_COL_SENDER), m->sender ? m->sender : "", THEME_NORMAL);
	detail_add(&s->info, tr(T_MSG_COL_TARGET), m->location_name ? m->location_name : tr(T_MSG_ALL),
			   THEME_NORMAL);
	snprintf(line, sizeof line, "%s (%s %s, %s %s)", num(m->recipients, a), num(m->clients, b),
			 tr(T_MSG_CLIENTS), num(m->portal_users, c), tr(T_MSG_PORTAL_USERS));
	detail_add(&s->info, tr(T_MSG_COL_RECIPIENTS), line, THEME_NORMAL);
	detail_add(&s->info, tr(T_MSG_MAILS), num(m->mails, a), THEME_NORMAL);
	detail_add(&s->info, tr(T_MSG_COL_DELIVERED), num(m->delivered, a), THEME_STATUS_OK);
	detail_add(&s->info, tr(T_MSG_COL_FAILED), num(m->failed, a),
			   m->failed ? THEME_ERROR : THEME_NORMAL);
	detail_add(&s->info, tr(T_MSG_PENDING), num(m->pending, a), THEME_NORMAL);
	const struct m_message *d = u->app->msg_detail;
	bool have = d && d->id == m->id && d->text;
	detail_add(&s->info, tr(T_MSG_TEXT), have ? d->text : tr(T_MSG_LOADING_TEXT),
			   have ? THEME_NORMAL : THEME_MUTED);
}

/* Show the selected message; ask for its text when the core does not have it. */
static void show_selected(struct ui *u, struct messages *s)
{
	const struct m_message *m = selected(s);
	const struct m_message *d = u->app->msg_detail;
	if (m && m->id != s->shown) {
		s->shown = m->id;
		detail_scroll(&s->info, DETAIL_TOP);
	}
	if (m && !(d && d->id == m->id) && !app_request_busy(u->app, s->req))
		s->req = app_message_get(u->app, m->id);
	fill_detail(u, s, m);
	u->dirty = true;
}

/* Read the list from the replica, keeping the selected message selected. */
static void load(struct ui *u, struct messages *s)
{
	int64_t keep = selected(s) ? selected(s)->id : 0;
	view_messages_free(&s->msgs, &s->n);
	view_messages(u->app, &s->msgs, &s->n);
	s->list.n = s->n;
	for (size_t i = 0; keep && i < s->n; i++)
		if (s->msgs[i].id == keep)
			s->list.sel = i;
	list_clamp(&s->list);
	show_selected(u, s);
}

static void *messages_open(struct ui *u, const struct nav_arg *arg)
{
	(void)arg;
	struct messages *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->list.height = 1;
	s->may_view = ui_has(u, TASK_MESSAGE_VIEW) || ui_has(u, TASK_CAREN_MESSAGE_SEND);
	detail_init(&s->info);
	if (s->may_view)
		load(u, s);
	return s;
}

static void messages_close(struct ui *u, void *st)
{
	(void)u;
	struct messages *s = st;
	view_messages_free(&s->msgs, &s->n);
	detail_free(&s->info);
	free(s);
}

static int messages_reload(struct ui *u, void *st, unsigned ev)
{
	struct messages *s = st;
	if (s->may_view && (ev & (APP_EV_MESSAGES | APP_EV_OP)))
		load(u, s);
	return R_NONE;
}

/* Date, sender, to, recipients, delivered, failed: the counts never shrink away. */
static void columns(const struct ui *u, int w[6])
{
	static const struct list_col cols[6] = {{16, 10, 4}, {18, 8, 1}, {22, 10, 2},
											{10, 10, 5}, {10, 10, 5}, {7, 7, 5}};
	list_layout(cols, 6, u->cols - 3, w);
}

static void draw_row(struct ui *u, const struct m_message *m, int y, bool sel, const int w[6])
{
	enum theme_slot sl = sel ? THEME_SELECTION : THEME_NORMAL;
	char when[32], n[3][32];
	draw_fill(y, 0, u->cols, sl);
	draw_text(y, 0, 1, sl, sel ? ">" : " ");
	const char *cells[6] = {nl_datetime(m->sent_at, when), m->sender ? m->sender : "",
							m->location_name ? m->location_name : tr(T_MSG_ALL),
							num(m->recipients, n[0]), num(m->delivered, n[1]), num(m->failed, n[2])};
	for (int i = 0, x = 2; i < 6; x += w[i] + 1, i++)
		draw_cell(y, x, w[i], i == 5 && m->failed && !sel ? THEME_ERROR : sl, cells[i]);
	if (sel)
		u->cur_y = y;
}

static void messages_draw(struct ui *u, void *st)
{
	struct messages *s = st;
	draw_text(2, 2, u->cols - 4, THEME_TITLE, tr(T_MSG_TITLE));
	if (!s->may_view || s->n == 0) {
		draw_text(4, 2, u->cols - 4, THEME_MUTED, tr(s->may_view ? T_MSG_NONE : T_MSG_FORBIDDEN));
		return;
	}
	int w[6];
	columns(u, w);
	const enum i18n_id titles[6] = {T_MSG_COL_DATE, T_MSG_COL_SENDER, T_MSG_COL_TARGET,
									T_MSG_COL_RECIPIENTS, T_MSG_COL_DELIVERED, T_MSG_COL_FAILED};
	draw_fill(3, 0, u->cols, THEME_TITLE);
	for (int i = 0, x = 2; i < 6; x += w[i] + 1, i++)
		draw_cell(3, x, w[i], THEME_TITLE, tr(titles[i]));
	int avail = u->rows - 4 - 3;
	int rows = (int)s->n < avail / 3 ? (int)s->n : avail / 3;
	s->list.height = rows > 0 ? rows : 1;
	list_clamp(&s->list);
	u->cur_y = 4;
	u->cur_x = 0;
	for (int i = 0; i < s->list.height && s->list.top + (size_t)i < s->n; i++)
		draw_row(u, &s->msgs[s->list.top + (size_t)i], 4 + i, s->list.top + (size_t)i == s->list.sel,
				 w);
	int y = 4 + s->list.height;
	draw_fill(y, 0, u->cols, THEME_TITLE);
	struct wgt_rect r = {y + 1, 2, u->rows - 3 - (y + 1), u->cols - 4};
	if (r.h > 0)
		detail_draw(&s->info, r, THEME_NORMAL);
}

static int messages_key(struct ui *u, void *st, struct key k, enum action a)
{
	(void)k;
	struct messages *s = st;
	if (a == ACT_PAGE_UP || a == ACT_PAGE_DOWN) {
		detail_scroll(&s->info, a == ACT_PAGE_UP ? DETAIL_PAGE_UP : DETAIL_PAGE_DOWN);
		return R_HANDLED;
	}
	if (list_nav(&s->list, a)) {
		show_selected(u, s);
		return R_HANDLED;
	}
	switch (a) {
	case ACT_SEND_MESSAGE:
		if (!ui_has(u, TASK_CAREN_MESSAGE_SEND)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			return R_HANDLED;
		}
		return nav_to(u, SID_MSG_FORM, 0, 0);
	case ACT_CANCEL:
		return u->depth > 1 ? R_POP : R_HANDLED;
	case ACT_QUIT:
		return u->depth > 1 ? R_POP : R_QUIT;
	default:
		return R_NONE;
	}
}

static const enum action *messages_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_SEND_MESSAGE, ACT_PAGE_DOWN, ACT_HELP, ACT_COMMAND,
									ACT_LOGOUT, ACT_QUIT, ACT_NONE};
	return h;
}

static bool messages_may(const struct ui *u, const void *st, enum action a)
{
	(void)st;
	if (a == ACT_SEND_MESSAGE)
		return ui_has(u, TASK_CAREN_MESSAGE_SEND);
	return true;
}

const struct screen screen_messages = {
	.name = "berichten",
	.title = T_MSG_TITLE,
	.ctx = CTX_MESSAGES,
	.events = APP_EV_MESSAGES | APP_EV_OP,
	.open = messages_open,
	.close = messages_close,
	.reload = messages_reload,
	.draw = messages_draw,
	.key = messages_key,
	.hints = messages_hints,
	.may = messages_may,
};
