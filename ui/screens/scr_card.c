/* One card: an order (kind 1) or a registration (kind 0) with its details in a detail
 * pane (long values wrap, the pane scrolls with j/k/PgDn); the actions the card allows. */
#include "client/views.h"
#include "common/dutch.h"
#include "draw.h"
#include "screens/hct_common.h"
#include "ui.h"
#include "widgets/detail.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct card {
	int64_t id;
	bool is_order;
	/* The card shown, loaded on opening and when the feed changes it. have_* false: not in
	 * the replica (any more). For a registration, order is its completed order. */
	struct m_order order;
	bool have_order;
	struct m_registration reg;
	bool have_reg;
	struct detail pane; /* the details: long values wrap, the pane scrolls */
	uint64_t req;       /* the delete request running, 0 when none */
};

/* Free the loaded card. */
static void unload(struct card *s)
{
	if (s->have_order)
		m_order_free(&s->order);
	if (s->have_reg)
		m_registration_free(&s->reg);
	s->have_order = s->have_reg = false;
}

/* The supplier's answers of an accepted or completed order. */
static void order_answers(struct detail *d, const struct m_order *o)
{
	char t1[32];
	detail_add(d, tr(T_ACCEPTED_AT), nl_datetime(o->accepted_at, t1), THEME_NORMAL);
	if (o->tracking_url)
		detail_add(d, tr(T_TRACKING), o->tracking_url, THEME_NORMAL);
	if (o->order_number)
		detail_add(d, tr(T_ORDER_NUMBER), o->order_number, THEME_NORMAL);
	if (o->supplier_note)
		detail_add(d, tr(T_SUPPLIER_NOTE), o->supplier_note, THEME_NORMAL);
	if (o->device_identification_number)
		detail_add(d, tr(T_SERIAL), o->device_identification_number, THEME_NORMAL);
}

/* A value, or "-" when there is none. */
static const char *or_dash(const char *v)
{
	return v && *v ? v : "-";
}

/* An order's details. */
static void order_rows(struct detail *d, const struct m_order *o)
{
	enum theme_slot st;
	const char *status = hct_order_status(o->status, &st);
	char t1[32], buf[400];
	detail_add(d, tr(T_STATUS), status, st);
	detail_add(d, tr(T_DEVICE), or_dash(o->device_type_name), THEME_NORMAL);
	detail_add(d, tr(T_SUPPLIER), o->supplier_name ? o->supplier_name : tr(T_SUPPLIER_UNKNOWN), THEME_NORMAL);
	detail_add(d, tr(T_PLACED_AT), nl_datetime(o->created_at, t1), THEME_NORMAL);
	detail_add(d, tr(T_FETCHED_AT), o->fetched_at ? nl_datetime(o->fetched_at, t1) : tr(T_NOT_FETCHED),
			   o->fetched_at ? THEME_NORMAL : THEME_MUTED);
	if (o->status == ORDER_DECLINED) {
		detail_add(d, tr(T_DECLINED_AT), nl_datetime(o->declined_at, t1), THEME_NORMAL);
		detail_add(d, tr(T_REASON), or_dash(o->supplier_note), THEME_STATUS_BAD);
	}
	if (o->status == ORDER_ACCEPTED || o->status == ORDER_COMPLETED)
		order_answers(d, o);
	if (o->status == ORDER_COMPLETED)
		detail_add(d, tr(T_COMPLETED_AT), nl_datetime(o->completed_at, t1), THEME_NORMAL);
	snprintf(buf, sizeof buf, "%s %lld%s%s, %s %s", o->street ? o->street : "", (long long)o->house_number,
			 o->house_number_ext && *o->house_number_ext ? " " : "",
			 o->house_number_ext ? o->house_number_ext : "", o->postcode ? o->postcode : "",
			 o->city ? o->city : "");
	detail_add(d, tr(T_DELIVERY), buf, THEME_NORMAL);
	/* The orderer's details each on a row of their own: an e-mail address is never cut. */
	detail_add(d, tr(T_ORDERER), or_dash(o->orderer_name), THEME_NORMAL);
	detail_add(d, tr(T_TEAM), or_dash(o->orderer_team_name), THEME_NORMAL);
	detail_add(d, tr(T_TEAM_EMAIL), or_dash(o->orderer_email), THEME_NORMAL);
	detail_add(d, tr(T_TEAM_PHONE), or_dash(o->orderer_phone), THEME_NORMAL);
}

/* A registration's details, with its order when it had one. */
static void reg_rows(struct detail *d, const struct card *s)
{
	const struct m_registration *g = &s->reg;
	char d1[16];
	detail_add(d, tr(T_SERIAL), or_dash(g->serial), THEME_NORMAL);
	detail_add(d, tr(T_START_DATE), nl_date(g->start_date, d1), THEME_NORMAL);
	detail_add(d, tr(T_END_DATE), g->end_date && *g->end_date ? nl_date(g->end_date, d1) : tr(T_END_NONE),
			   THEME_NORMAL);
	if (s->have_order) {
		detail_add(d, "", "", THEME_NORMAL);
		detail_add(d, tr(T_ORDER), "", THEME_TITLE);
		order_rows(d, &s->order);
	}
}

/* Load the card from the core's view and fill the pane (its scroll position stays). */
static void load(struct ui *u, struct card *s)
{
	unload(s);
	if (s->is_order) {
		s->have_order = view_order(u->app, s->id, &s->order);
	} else {
		s->have_reg = view_registration(u->app, s->id, &s->reg);
		/* The completed order stays readable from its registration. */
		if (s->have_reg && s->reg.order_id)
			s->have_order = view_order(u->app, s->reg.order_id, &s->order);
	}
	detail_clear(&s->pane);
	if (s->is_order && s->have_order)
		order_rows(&s->pane, &s->order);
	else if (!s->is_order && s->have_reg)
		reg_rows(&s->pane, s);
	u->dirty = true;
}

static void *card_open(struct ui *u, const struct nav_arg *arg)
{
	struct card *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->id = arg->id;
	s->is_order = arg->kind == 1;
	detail_init(&s->pane);
	load(u, s);
	return s;
}

static void card_close(struct ui *u, void *st)
{
	(void)u;
	struct card *s = st;
	unload(s);
	detail_free(&s->pane);
	free(s);
}

/* The feed changed the card, or the delete answered. */
static int card_reload(struct ui *u, void *st, unsigned ev)
{
	struct card *s = st;
	if (ev & APP_EV_HCT)
		load(u, s);
	const struct app_request *q = (ev & APP_EV_OP) ? ui_op_finished(u, &s->req) : NULL;
	if (q && q->state == REQ_OK) {
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_ORDER_DELETED));
		return R_POP;
	}
	ui_op_refused(u, q);
	return R_NONE;
}

static void card_draw(struct ui *u, void *st)
{
	struct card *s = st;
	u->cur_y = 2;
	u->cur_x = 2;
	bool have = s->is_order ? s->have_order : s->have_reg;
	if (!have) {
		draw_text(2, 2, u->cols - 4, THEME_MUTED, tr(T_MSG_NOT_FOUND));
		return;
	}
	const char *name = s->is_order ? s->order.device_type_name : s->reg.device_type_name;
	char title[200];
	snprintf(title, sizeof title, "%s: %s", tr(s->is_order ? T_ORDER : T_REGISTRATION), name ? name : "");
	draw_text(2, 2, u->cols - 4, THEME_TITLE, title);
	draw_hline(3, 2, u->cols - 4, THEME_BORDER);
	detail_draw(&s->pane, (struct wgt_rect){4, 2, u->rows - 4 - 3, u->cols - 4}, THEME_NORMAL);
}

/* The order shown (an order card), or NULL. */
static const struct m_order *shown_order(const struct card *s)
{
	return s->is_order && s->have_order ? &s->order : NULL;
}

static int card_key(struct ui *u, void *st, struct key k, enum action a)
{
	(void)k;
	struct card *s = st;
	const struct m_order *o = shown_order(s);
	switch (a) {
	case ACT_QUIT:
	case ACT_CANCEL:
		return R_POP;
	case ACT_UP:
		detail_scroll(&s->pane, DETAIL_UP);
		return R_HANDLED;
	case ACT_DOWN:
		detail_scroll(&s->pane, DETAIL_DOWN);
		return R_HANDLED;
	case ACT_PAGE_UP:
		detail_scroll(&s->pane, DETAIL_PAGE_UP);
		return R_HANDLED;
	case ACT_PAGE_DOWN:
		detail_scroll(&s->pane, DETAIL_PAGE_DOWN);
		return R_HANDLED;
	case ACT_START_USE:
		if (!o)
			return R_HANDLED;
		if (o->status != ORDER_ACCEPTED)
			ui_status(u, THEME_ERROR, "%s", tr(T_E_ORDER_STATE));
		else if (!ui_may(u, TASK_HCT_CLIENT_EDIT))
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		else
			return nav_to(u, SID_HCT_FORM, o->id, HCT_FORM_START_USE);
		return R_HANDLED;
	case ACT_END:
		if (s->is_order)
			return R_HANDLED;
		if (!ui_may(u, TASK_HCT_CLIENT_EDIT)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			return R_HANDLED;
		}
		return nav_to(u, SID_HCT_FORM, s->id, HCT_FORM_END);
	default:
		return R_NONE;
	}
}

static bool card_may(const struct ui *u, const void *st, enum action a)
{
	const struct card *s = st;
	const struct m_order *o = shown_order(s);
	switch (a) {
	case ACT_DELETE:
		return o && o->status == ORDER_DECLINED && ui_has(u, TASK_HCT_ORDER_DELETE);
	case ACT_START_USE:
		return o && o->status == ORDER_ACCEPTED && ui_has(u, TASK_HCT_CLIENT_EDIT);
	case ACT_END:
		return !s->is_order && s->have_reg && ui_has(u, TASK_HCT_CLIENT_EDIT);
	default:
		return true;
	}
}

static const enum action *card_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_HELP, ACT_DELETE, ACT_START_USE, ACT_END, ACT_COPY, ACT_QUIT, ACT_NONE};
	return h;
}

static const char *card_confirm_text(const void *st, enum action a)
{
	(void)st;
	return a == ACT_DELETE ? tr(T_CONFIRM_DELETE) : NULL;
}

static int card_confirmed(struct ui *u, void *st, enum action a)
{
	struct card *s = st;
	const struct m_order *o = shown_order(s);
	if (a != ACT_DELETE || !o)
		return R_NONE;
	if (o->status != ORDER_DECLINED)
		ui_status(u, THEME_ERROR, "%s", tr(T_E_ORDER_STATE));
	else if (!ui_may(u, TASK_HCT_ORDER_DELETE))
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
	else {
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_SENDING));
		s->req = app_delete_order(u->app, o->id);
	}
	return R_HANDLED;
}

/* y copies the order number, else the tracking link, else the serial. */
static bool card_copy(const struct ui *u, const void *st, const char **what, const char **text)
{
	(void)u;
	const struct card *s = st;
	const struct m_order *o = s->have_order ? &s->order : NULL;
	if (o && o->order_number && *o->order_number) {
		*what = tr(T_WHAT_ORDER_NUMBER);
		*text = o->order_number;
	} else if (o && o->tracking_url && *o->tracking_url) {
		*what = tr(T_WHAT_TRACKING);
		*text = o->tracking_url;
	} else if (s->have_reg) {
		*what = tr(T_SERIAL);
		*text = s->reg.serial;
	} else {
		return false;
	}
	return true;
}

const struct screen screen_card = {
	.name = "kaart",
	.title = T_HCT,
	.ctx = CTX_CARD,
	.events = APP_EV_HCT | APP_EV_OP,
	.open = card_open,
	.close = card_close,
	.reload = card_reload,
	.draw = card_draw,
	.key = card_key,
	.hints = card_hints,
	.may = card_may,
	.confirm_text = card_confirm_text,
	.confirmed = card_confirmed,
	.copy = card_copy,
};
