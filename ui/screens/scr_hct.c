/* A client's home-care technology: the cards (orders first, then registrations), live from
 * the replica through the core's view functions. */
#include "client/views.h"
#include "common/dutch.h"
#include "draw.h"
#include "screens/hct_common.h"
#include "ui.h"
#include "widgets/list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hct {
	int64_t client;
	struct m_order *orders;
	size_t norders;
	struct m_registration *regs;
	size_t nregs;
	struct m_device_type *dtypes;
	size_t ndtypes;
	struct list list;
};

/* Load the cards and the catalogue. */
static void load(struct ui *u, struct hct *s)
{
	view_hct_free(&s->orders, &s->norders, &s->regs, &s->nregs);
	view_device_types_free(&s->dtypes, &s->ndtypes);
	view_hct(u->app, s->client, &s->orders, &s->norders, &s->regs, &s->nregs);
	view_device_types(u->app, &s->dtypes, &s->ndtypes);
	s->list.n = s->norders + s->nregs;
	list_clamp(&s->list);
	u->dirty = true;
}

static void *hct_open(struct ui *u, const struct nav_arg *arg)
{
	struct hct *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->client = arg->id;
	s->list.height = 1;
	load(u, s);
	return s;
}

static void hct_close(struct ui *u, void *st)
{
	(void)u;
	struct hct *s = st;
	view_hct_free(&s->orders, &s->norders, &s->regs, &s->nregs);
	view_device_types_free(&s->dtypes, &s->ndtypes);
	free(s);
}

static int hct_reload(struct ui *u, void *st, unsigned ev)
{
	(void)ev;
	load(u, st);
	return R_NONE;
}

/* The client's name for headings (nm holds it when it comes from the replica). */
static const char *client_name(struct ui *u, const struct hct *s, struct client_names *nm)
{
	if (app_detail_state(u->app) == REQ_OK && u->app->detail.id == s->client)
		return u->app->detail.name;
	clients_names(&u->app->clients, s->client, nm);
	return nm->name;
}

/* True when ordering is on for at least one device type in use. */
static bool any_orderable(const struct hct *s)
{
	for (size_t i = 0; i < s->ndtypes; i++)
		if (s->dtypes[i].in_use && s->dtypes[i].ordering)
			return true;
	return false;
}

/* The two lines and the status of an order card. */
static const char *order_lines(const struct m_order *o, bool sel, char *l1, char *l2, size_t len,
							   enum theme_slot *st)
{
	char d1[16], d2[16];
	snprintf(l1, len, "%s %s  (%s)", sel ? ">" : " ", o->device_type_name ? o->device_type_name : "?",
			 tr(T_ORDER));
	snprintf(l2, len, "  %s: %s  |  %s %s  |  %s", tr(T_SUPPLIER),
			 o->supplier_name ? o->supplier_name : tr(T_SUPPLIER_UNKNOWN), tr(T_PLACED),
			 nl_date(o->created_at, d1), o->fetched_at ? tr(T_FETCHED) : tr(T_NOT_FETCHED));
	if (o->fetched_at) {
		size_t l = strlen(l2);
		snprintf(l2 + l, len - l, " %s", nl_date(o->fetched_at, d2));
	}
	return hct_order_status(o->status, st);
}

/* The two lines and the status of a registration card (status into buf). */
static const char *reg_lines(const struct m_registration *r, bool sel, char *l1, char *l2, size_t len,
							 enum theme_slot *st, char buf[32])
{
	bool ended = r->end_date && *r->end_date;
	*st = ended ? THEME_MUTED : THEME_STATUS_OK;
	snprintf(buf, 32, "%s %s", ended ? "-" : "=", ended ? tr(T_ST_ENDED) : tr(T_ST_IN_USE));
	snprintf(l1, len, "%s %s  (%s)", sel ? ">" : " ", r->device_type_name ? r->device_type_name : "?",
			 tr(T_REGISTRATION));
	char s1[16], s2[16];
	snprintf(l2, len, "  %s: %s  |  %s %s", tr(T_SERIAL), r->serial, tr(T_SINCE), nl_date(r->start_date, s1));
	if (ended) {
		size_t l = strlen(l2);
		snprintf(l2 + l, len - l, " %s %s", tr(T_UNTIL), nl_date(r->end_date, s2));
	}
	return buf;
}

static void hct_draw(struct ui *u, void *st)
{
	struct hct *s = st;
	struct client_names nm;
	char title[320];
	snprintf(title, sizeof title, "%s: %s", tr(T_HCT), client_name(u, s, &nm));
	draw_text(2, 2, u->cols - 4, THEME_TITLE, title);
	draw_hline(3, 2, u->cols - 4, THEME_BORDER);
	u->cur_y = 2;
	u->cur_x = 2;
	s->list.height = (u->rows - 8) / 3;
	list_clamp(&s->list);
	if (s->list.n == 0)
		draw_text(5, 2, u->cols - 4, THEME_MUTED, tr(T_HCT_NONE));
	int y = 4;
	for (size_t i = s->list.top; i < s->list.n && y < u->rows - 4; i++, y += 3) {
		bool sel = i == s->list.sel;
		enum theme_slot slot = sel ? THEME_SELECTION : THEME_NORMAL, st_slot = THEME_STATUS_OK;
		char l1[256], l2[256], buf[32];
		const char *status = i < s->norders
								 ? order_lines(&s->orders[i], sel, l1, l2, sizeof l1, &st_slot)
								 : reg_lines(&s->regs[i - s->norders], sel, l1, l2, sizeof l1, &st_slot, buf);
		draw_fill(y, 1, u->cols - 2, slot);
		draw_fill(y + 1, 1, u->cols - 2, slot);
		int sw = draw_width(status);
		draw_text(y, 1, u->cols - sw - 4, slot, l1);
		draw_text(y, u->cols - sw - 2, sw, sel ? slot : st_slot, status);
		draw_text(y + 1, 1, u->cols - 2, sel ? slot : THEME_MUTED, l2);
		if (sel) {
			u->cur_y = y;
			u->cur_x = 1;
		}
	}
}

/* Open the selected card. */
static int open_card(struct ui *u, struct hct *s)
{
	if (!s->list.n)
		return R_HANDLED;
	if (s->list.sel < s->norders)
		return nav_to(u, SID_CARD, s->orders[s->list.sel].id, 1);
	return nav_to(u, SID_CARD, s->regs[s->list.sel - s->norders].id, 0);
}

/* b: order, when the user may, something can be ordered and the personalia are there. */
static int order(struct ui *u, struct hct *s)
{
	if (!ui_may(u, TASK_HCT_ORDER_MANAGE))
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
	else if (!any_orderable(s))
		ui_status(u, THEME_ERROR, "%s", tr(T_NO_ORDERABLE));
	else if (app_detail_state(u->app) != REQ_OK || u->app->detail.id != s->client)
		ui_status(u, THEME_ERROR, "%s", tr(T_NEED_DETAIL));
	else
		return nav_to(u, SID_HCT_FORM, s->client, HCT_FORM_ORDER);
	return R_HANDLED;
}

static int hct_key(struct ui *u, void *st, struct key k, enum action a)
{
	(void)k;
	struct hct *s = st;
	if (list_nav(&s->list, a))
		return R_HANDLED;
	switch (a) {
	case ACT_OPEN:
		return open_card(u, s);
	case ACT_ORDER:
		return order(u, s);
	case ACT_ADD:
		if (!ui_may(u, TASK_HCT_CLIENT_EDIT)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			return R_HANDLED;
		}
		return nav_to(u, SID_HCT_FORM, s->client, HCT_FORM_REG);
	case ACT_CANCEL:
	case ACT_QUIT:
		return R_POP;
	default:
		return R_NONE;
	}
}

static const enum action *hct_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_HELP, ACT_OPEN, ACT_ORDER, ACT_ADD, ACT_QUIT, ACT_NONE};
	return h;
}

static bool hct_may(const struct ui *u, const void *st, enum action a)
{
	(void)st;
	if (a == ACT_ORDER)
		return ui_has(u, TASK_HCT_ORDER_MANAGE);
	if (a == ACT_ADD)
		return ui_has(u, TASK_HCT_CLIENT_EDIT);
	return true;
}

static bool hct_copy(const struct ui *u, const void *st, const char **what, const char **text)
{
	const struct hct *s = st;
	const struct client_row *r = clients_get(&u->app->clients, s->client);
	*what = tr(T_WHAT_CLIENT_NUMBER);
	*text = r ? clients_number(&u->app->clients, r) : NULL;
	return r != NULL;
}

const struct screen screen_hct = {
	.name = "thuiszorgtechnologie",
	.title = T_HCT,
	.ctx = CTX_HCT,
	.events = APP_EV_HCT,
	.open = hct_open,
	.close = hct_close,
	.reload = hct_reload,
	.draw = hct_draw,
	.key = hct_key,
	.hints = hct_hints,
	.may = hct_may,
	.copy = hct_copy,
};
