/* Home-care technology screens: a client's cards (registrations and orders, live from the
 * replica), one card's details with its actions, and the device-type settings. */
#include "client/replica.h"
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Free the card and catalogue arrays. */
static void hct_clear(struct ui *u)
{
	for (size_t i = 0; i < u->norders; i++)
		m_order_free(&u->orders[i]);
	free(u->orders);
	for (size_t i = 0; i < u->nregs; i++)
		m_registration_free(&u->regs[i]);
	free(u->regs);
	for (size_t i = 0; i < u->ndtypes; i++)
		m_device_type_free(&u->dtypes[i]);
	free(u->dtypes);
	u->orders = NULL;
	u->regs = NULL;
	u->dtypes = NULL;
	u->norders = u->nregs = u->ndtypes = 0;
	if (u->have_card_order)
		m_order_free(&u->card_order);
	if (u->have_card_reg)
		m_registration_free(&u->card_reg);
	u->have_card_order = u->have_card_reg = false;
}

void hct_free(struct ui *u)
{
	hct_clear(u);
}

void hct_reload(struct ui *u)
{
	hct_clear(u);
	struct replica *r = u->app->rep;
	if (!r)
		return;
	if (u->hct_client)
		replica_hct(r, u->hct_client, &u->orders, &u->norders, &u->regs, &u->nregs);
	replica_device_types(r, &u->dtypes, &u->ndtypes);
	if (u->card_id && u->card_is_order) {
		u->have_card_order = replica_order(r, u->card_id, &u->card_order);
	} else if (u->card_id) {
		u->have_card_reg = replica_registration(r, u->card_id, &u->card_reg);
		/* The completed order stays readable from its registration. */
		if (u->have_card_reg && u->card_reg.order_id)
			u->have_card_order = replica_order(r, u->card_reg.order_id, &u->card_order);
	}
	size_t n = u->norders + u->nregs;
	if (u->hct_sel >= n)
		u->hct_sel = n ? n - 1 : 0;
	u->dirty = true;
}

const char *ui_order_status(enum m_order_status st, enum theme_slot *slot)
{
	static char buf[64];
	switch (st) {
	case ORDER_OPEN:
		*slot = THEME_STATUS_WARN;
		snprintf(buf, sizeof buf, "~ %s", tr(T_ST_OPEN));
		break;
	case ORDER_DECLINED:
		*slot = THEME_STATUS_BAD;
		snprintf(buf, sizeof buf, "x %s", tr(T_ST_DECLINED));
		break;
	case ORDER_ACCEPTED:
		*slot = THEME_STATUS_OK;
		snprintf(buf, sizeof buf, "+ %s", tr(T_ST_ACCEPTED));
		break;
	case ORDER_COMPLETED:
		*slot = THEME_STATUS_OK;
		snprintf(buf, sizeof buf, "= %s", tr(T_ST_COMPLETED));
		break;
	default:
		*slot = THEME_MUTED;
		snprintf(buf, sizeof buf, "?");
	}
	return buf;
}

/* The date of an RFC 3339 time, the Dutch way ("21-11-2026"), or "". */
static const char *date_of(const char *t, char out[16])
{
	return nl_date(t, out);
}

/* The client's name for headings. */
static const char *client_name(struct ui *u)
{
	const struct client_row *row = clients_get(&u->app->clients, u->hct_client);
	if (u->app->detail_state == REQ_OK && u->app->detail.id == u->hct_client)
		return u->app->detail.name;
	return row ? row->name : "";
}

/* True when ordering is on for at least one device type in use. */
static bool any_orderable(const struct ui *u)
{
	for (size_t i = 0; i < u->ndtypes; i++)
		if (u->dtypes[i].in_use && u->dtypes[i].ordering)
			return true;
	return false;
}

void hct_draw(struct ui *u)
{
	char title[256];
	snprintf(title, sizeof title, "%s: %s", tr(T_HCT), client_name(u));
	draw_text(2, 2, u->cols - 4, THEME_TITLE, title);
	draw_hline(3, 2, u->cols - 4, THEME_BORDER);
	u->cur_y = 2;
	u->cur_x = 2;
	size_t n = u->norders + u->nregs;
	if (n == 0)
		draw_text(5, 2, u->cols - 4, THEME_MUTED, tr(T_HCT_NONE));
	int y = 4;
	/* Cards: orders first (they want attention), then registrations. */
	for (size_t i = 0; i < n && y < u->rows - 4; i++, y += 3) {
		bool sel = i == u->hct_sel;
		enum theme_slot s = sel ? THEME_SELECTION : THEME_NORMAL;
		draw_fill(y, 1, u->cols - 2, s);
		draw_fill(y + 1, 1, u->cols - 2, sel ? THEME_SELECTION : THEME_NORMAL);
		char line1[256], line2[256], d1[16], d2[16];
		enum theme_slot st_slot = THEME_STATUS_OK;
		const char *status;
		if (i < u->norders) {
			const struct m_order *o = &u->orders[i];
			status = ui_order_status(o->status, &st_slot);
			snprintf(line1, sizeof line1, "%s %s  (%s)", sel ? ">" : " ",
					 o->device_type_name ? o->device_type_name : "?", tr(T_ORDER));
			snprintf(line2, sizeof line2, "  %s: %s  |  %s %s  |  %s", tr(T_SUPPLIER),
					 o->supplier_name ? o->supplier_name : tr(T_SUPPLIER_UNKNOWN), tr(T_PLACED),
					 date_of(o->created_at, d1),
					 o->fetched_at ? tr(T_FETCHED) : tr(T_NOT_FETCHED));
			if (o->fetched_at) {
				size_t l = strlen(line2);
				snprintf(line2 + l, sizeof line2 - l, " %s", date_of(o->fetched_at, d2));
			}
		} else {
			const struct m_registration *r = &u->regs[i - u->norders];
			bool ended = r->end_date && *r->end_date;
			st_slot = ended ? THEME_MUTED : THEME_STATUS_OK;
			snprintf(d1, sizeof d1, "%s %s", ended ? "-" : "=", ended ? tr(T_ST_ENDED) : tr(T_ST_IN_USE));
			status = d1;
			snprintf(line1, sizeof line1, "%s %s  (%s)", sel ? ">" : " ",
					 r->device_type_name ? r->device_type_name : "?", tr(T_REGISTRATION));
			char s1[16], s2[16];
			snprintf(line2, sizeof line2, "  %s: %s  |  %s %s", tr(T_SERIAL), r->serial, tr(T_SINCE),
					 nl_date(r->start_date, s1));
			if (ended) {
				size_t l = strlen(line2);
				snprintf(line2 + l, sizeof line2 - l, " %s %s", tr(T_UNTIL), nl_date(r->end_date, s2));
			}
		}
		int sw = draw_width(status);
		draw_text(y, 1, u->cols - sw - 4, s, line1);
		draw_text(y, u->cols - sw - 2, sw, sel ? s : st_slot, status);
		draw_text(y + 1, 1, u->cols - 2, sel ? s : THEME_MUTED, line2);
		if (sel) {
			u->cur_y = y;
			u->cur_x = 1;
		}
	}
}

/* Open the selected card. */
static void open_card(struct ui *u)
{
	size_t n = u->norders + u->nregs;
	if (!n)
		return;
	u->card_is_order = u->hct_sel < u->norders;
	if (u->card_is_order) {
		u->card_id = u->orders[u->hct_sel].id;
		u->screen = SCR_ORDER;
	} else {
		u->card_id = u->regs[u->hct_sel - u->norders].id;
		u->screen = SCR_REG;
	}
	hct_reload(u);
}

void hct_key(struct ui *u, struct key k)
{
	switch (keys_lookup(CTX_HCT, k)) {
	case ACT_UP:
		if (u->hct_sel)
			u->hct_sel--;
		break;
	case ACT_DOWN:
		if (u->hct_sel + 1 < u->norders + u->nregs)
			u->hct_sel++;
		break;
	case ACT_OPEN:
		open_card(u);
		break;
	case ACT_ORDER:
		if (!ui_may(u, "hct.order.manage"))
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		else if (!any_orderable(u))
			ui_status(u, THEME_ERROR, "%s", tr(T_NO_ORDERABLE));
		else if (u->app->detail_state != REQ_OK || u->app->detail.id != u->hct_client)
			ui_status(u, THEME_ERROR, "%s", tr(T_NEED_DETAIL));
		else
			form_open(u, FORM_ORDER);
		break;
	case ACT_ADD:
		if (!ui_may(u, "hct.client.edit"))
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		else
			form_open(u, FORM_REG);
		break;
	case ACT_CANCEL:
	case ACT_QUIT:
		u->screen = SCR_CLIENT;
		break;
	default:
		break;
	}
}

/* A "label  value" line of a card; returns the next row. */
static int card_line(struct ui *u, int y, const char *label, const char *value, enum theme_slot s)
{
	if (y >= u->rows - 3)
		return y;
	draw_text(y, 2, 20, THEME_MUTED, label);
	draw_text(y, 22, u->cols - 24, s, value && *value ? value : "-");
	return y + 1;
}

/* Draw an order's details from row y. */
static int draw_order(struct ui *u, const struct m_order *o, int y)
{
	enum theme_slot st;
	const char *status = ui_order_status(o->status, &st);
	char buf[300];
	y = card_line(u, y, tr(T_STATUS), status, st);
	y = card_line(u, y, tr(T_DEVICE), o->device_type_name, THEME_NORMAL);
	y = card_line(u, y, tr(T_SUPPLIER), o->supplier_name ? o->supplier_name : tr(T_SUPPLIER_UNKNOWN),
				  THEME_NORMAL);
	char t1[32];
	y = card_line(u, y, tr(T_PLACED_AT), nl_datetime(o->created_at, t1), THEME_NORMAL);
	y = card_line(u, y, tr(T_FETCHED_AT), o->fetched_at ? nl_datetime(o->fetched_at, t1) : tr(T_NOT_FETCHED),
				  o->fetched_at ? THEME_NORMAL : THEME_MUTED);
	if (o->status == ORDER_DECLINED) {
		y = card_line(u, y, tr(T_DECLINED_AT), nl_datetime(o->declined_at, t1), THEME_NORMAL);
		y = card_line(u, y, tr(T_REASON), o->supplier_note, THEME_STATUS_BAD);
	}
	if (o->status == ORDER_ACCEPTED || o->status == ORDER_COMPLETED) {
		y = card_line(u, y, tr(T_ACCEPTED_AT), nl_datetime(o->accepted_at, t1), THEME_NORMAL);
		if (o->tracking_url)
			y = card_line(u, y, tr(T_TRACKING), o->tracking_url, THEME_NORMAL);
		if (o->order_number)
			y = card_line(u, y, tr(T_ORDER_NUMBER), o->order_number, THEME_NORMAL);
		if (o->supplier_note)
			y = card_line(u, y, tr(T_SUPPLIER_NOTE), o->supplier_note, THEME_NORMAL);
		if (o->device_identification_number)
			y = card_line(u, y, tr(T_SERIAL), o->device_identification_number, THEME_NORMAL);
	}
	if (o->status == ORDER_COMPLETED)
		y = card_line(u, y, tr(T_COMPLETED_AT), nl_datetime(o->completed_at, t1), THEME_NORMAL);
	snprintf(buf, sizeof buf, "%s %lld%s%s, %s %s", o->street ? o->street : "",
			 (long long)o->house_number, o->house_number_ext && *o->house_number_ext ? " " : "",
			 o->house_number_ext ? o->house_number_ext : "", o->postcode ? o->postcode : "",
			 o->city ? o->city : "");
	y = card_line(u, y, tr(T_DELIVERY), buf, THEME_NORMAL);
	snprintf(buf, sizeof buf, "%s, %s, %s, %s", o->orderer_name ? o->orderer_name : "",
			 o->orderer_team_name ? o->orderer_team_name : "", o->orderer_email ? o->orderer_email : "",
			 o->orderer_phone ? o->orderer_phone : "");
	y = card_line(u, y, tr(T_ORDERER), buf, THEME_NORMAL);
	return y;
}

void card_draw(struct ui *u)
{
	u->cur_y = 2;
	u->cur_x = 2;
	int y = 2;
	char title[200];
	if (u->screen == SCR_ORDER) {
		if (!u->have_card_order) {
			draw_text(y, 2, u->cols - 4, THEME_MUTED, tr(T_MSG_NOT_FOUND));
			return;
		}
		const struct m_order *o = &u->card_order;
		snprintf(title, sizeof title, "%s: %s", tr(T_ORDER), o->device_type_name ? o->device_type_name : "");
		draw_text(y++, 2, u->cols - 4, THEME_TITLE, title);
		draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
		draw_order(u, o, y);
		return;
	}
	if (!u->have_card_reg) {
		draw_text(y, 2, u->cols - 4, THEME_MUTED, tr(T_MSG_NOT_FOUND));
		return;
	}
	const struct m_registration *g = &u->card_reg;
	snprintf(title, sizeof title, "%s: %s", tr(T_REGISTRATION), g->device_type_name ? g->device_type_name : "");
	draw_text(y++, 2, u->cols - 4, THEME_TITLE, title);
	draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
	y = card_line(u, y, tr(T_SERIAL), g->serial, THEME_NORMAL);
	char d1[16];
	y = card_line(u, y, tr(T_START_DATE), nl_date(g->start_date, d1), THEME_NORMAL);
	y = card_line(u, y, tr(T_END_DATE), g->end_date && *g->end_date ? nl_date(g->end_date, d1) : tr(T_END_NONE),
				  THEME_NORMAL);
	if (u->have_card_order) {
		y++;
		draw_text(y++, 2, u->cols - 4, THEME_TITLE, tr(T_ORDER));
		draw_order(u, &u->card_order, y);
	}
}

/* The order shown on SCR_ORDER, or NULL. */
static const struct m_order *shown_order(const struct ui *u)
{
	return u->screen == SCR_ORDER && u->have_card_order ? &u->card_order : NULL;
}

void card_key(struct ui *u, struct key k)
{
	enum action a = keys_lookup(CTX_CARD, k);
	if (a == ACT_QUIT || a == ACT_CANCEL) {
		u->screen = SCR_HCT;
		u->card_id = 0;
		hct_reload(u);
		return;
	}
	const struct m_order *o = shown_order(u);
	if (a == ACT_START_USE && o) {
		if (o->status != ORDER_ACCEPTED)
			ui_status(u, THEME_ERROR, "%s", tr(T_E_ORDER_STATE));
		else if (!ui_may(u, "hct.client.edit"))
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		else
			form_open(u, FORM_START_USE);
	}
	if (a == ACT_END && u->screen == SCR_REG) {
		if (!ui_may(u, "hct.client.edit"))
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		else
			form_open(u, FORM_END);
	}
}

bool card_may(const struct ui *u, enum action a)
{
	const struct m_order *o = shown_order(u);
	const struct m_me *me = &u->app->me;
	switch (a) {
	case ACT_DELETE:
		return o && o->status == ORDER_DECLINED && m_me_has_task(me, "hct.order.delete");
	case ACT_START_USE:
		return o && o->status == ORDER_ACCEPTED && m_me_has_task(me, "hct.client.edit");
	case ACT_END:
		return u->screen == SCR_REG && m_me_has_task(me, "hct.client.edit");
	default:
		return false;
	}
}

const char *hct_confirm_text(enum action a)
{
	return a == ACT_DELETE ? tr(T_CONFIRM_DELETE) : NULL;
}

void hct_confirmed(struct ui *u, enum action a)
{
	if (a != ACT_DELETE || u->screen != SCR_ORDER)
		return;
	const struct m_order *o = shown_order(u);
	if (!o)
		return;
	if (o->status != ORDER_DECLINED)
		ui_status(u, THEME_ERROR, "%s", tr(T_E_ORDER_STATE));
	else if (!ui_may(u, "hct.order.delete"))
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
	else {
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_SENDING));
		app_delete_order(u->app, o->id);
	}
}

void settings_draw(struct ui *u)
{
	draw_text(2, 2, u->cols - 4, THEME_TITLE, tr(T_HCT_SETTINGS));
	draw_fill(3, 0, u->cols, THEME_TITLE);
	draw_text(3, 2, 24, THEME_TITLE, tr(T_DEVICE));
	draw_text(3, 27, 22, THEME_TITLE, tr(T_SUPPLIER));
	draw_text(3, 50, 12, THEME_TITLE, tr(T_IN_USE));
	draw_text(3, 63, u->cols - 64, THEME_TITLE, tr(T_ORDERING));
	u->cur_y = 4;
	u->cur_x = 0;
	for (size_t i = 0; i < u->ndtypes && 4 + (int)i < u->rows - 3; i++) {
		const struct m_device_type *d = &u->dtypes[i];
		bool sel = i == u->set_sel;
		int y = 4 + (int)i;
		enum theme_slot s = sel ? THEME_SELECTION : THEME_NORMAL;
		draw_fill(y, 0, u->cols, s);
		draw_text(y, 0, 1, s, sel ? ">" : " ");
		draw_text(y, 2, 24, s, d->name);
		draw_text(y, 27, 22, sel ? s : (d->supplier_name ? THEME_NORMAL : THEME_MUTED),
				  d->supplier_name ? d->supplier_name : tr(T_SUPPLIER_UNKNOWN));
		draw_text(y, 50, 12, s, d->in_use ? tr(T_YES) : tr(T_NO));
		char o[32];
		snprintf(o, sizeof o, "%s %s", d->ordering ? "+" : "-", d->ordering ? tr(T_ON) : tr(T_OFF));
		draw_text(y, 63, u->cols - 64, sel ? s : (d->ordering ? THEME_STATUS_OK : THEME_MUTED), o);
		if (sel)
			u->cur_y = y;
	}
}

void settings_key(struct ui *u, struct key k)
{
	enum action a = keys_lookup(CTX_SETTINGS, k);
	const struct m_device_type *d = u->set_sel < u->ndtypes ? &u->dtypes[u->set_sel] : NULL;
	switch (a) {
	case ACT_UP:
		if (u->set_sel)
			u->set_sel--;
		break;
	case ACT_DOWN:
		if (u->set_sel + 1 < u->ndtypes)
			u->set_sel++;
		break;
	case ACT_TOGGLE_USE:
	case ACT_TOGGLE_ORDERING:
		if (!d)
			break;
		if (!ui_may(u, "hct.settings.edit")) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			break;
		}
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_SENDING));
		if (a == ACT_TOGGLE_USE)
			app_set_device_type(u->app, d->id, !d->in_use, d->in_use ? false : d->ordering);
		else
			app_set_device_type(u->app, d->id, d->ordering ? d->in_use : true, !d->ordering);
		break;
	case ACT_CANCEL:
	case ACT_QUIT:
		u->screen = SCR_CLIENTS;
		break;
	default:
		break;
	}
}
