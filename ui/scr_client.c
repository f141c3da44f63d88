/* The client's personalia: fetched from the server when opened; the BSN is masked until
 * the user reveals it. */
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

/* One "label  value" line; returns the next row. */
static int line(struct ui *u, int y, const char *label, const char *value, enum theme_slot slot)
{
	draw_text(y, 2, 18, THEME_MUTED, label);
	draw_text(y, 20, u->cols - 22, slot, value ? value : "");
	return y + 1;
}

void client_draw(struct ui *u)
{
	struct app *a = u->app;
	const struct client_row *row = clients_get(&a->clients, a->detail_id);
	const struct m_client *c = a->detail_state == REQ_OK ? &a->detail : NULL;
	int y = 2;
	draw_text(y++, 2, u->cols - 4, THEME_TITLE, tr(T_PERSONALIA));
	draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
	u->cur_y = 2;
	u->cur_x = 2;
	y = line(u, y, tr(T_NAME), c ? c->name : row ? row->name : "", THEME_NORMAL);
	y = line(u, y, tr(T_NUMBER), c ? c->client_number : row ? row->number : "", THEME_NORMAL);
	char birth[16];
	y = line(u, y, tr(T_BIRTH), nl_date(c ? c->birth_date : row ? row->birth : "", birth), THEME_NORMAL);
	y = line(u, y, tr(T_LOCATION),
			 ui_location_name(u, c ? c->location_id : row ? row->location_id : 0), THEME_NORMAL);
	if (!c) {
		y++;
		if (a->detail_state == REQ_BUSY)
			draw_text(y, 2, u->cols - 4, THEME_STATUS_WARN, tr(T_LOADING));
		else if (a->conn == CONN_OFFLINE)
			draw_text(y, 2, u->cols - 4, THEME_STATUS_BAD, tr(T_DETAIL_OFFLINE));
		return;
	}
	if (c->bsn)
		y = line(u, y, tr(T_BSN), u->reveal ? c->bsn : tr(T_BSN_HIDDEN), THEME_NORMAL);
	else
		y = line(u, y, tr(T_BSN), tr(T_BSN_NONE), THEME_MUTED);
	y++;
	draw_text(y++, 2, u->cols - 4, THEME_TITLE, tr(T_ADDRESSES));
	draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
	for (size_t i = 0; i < c->naddresses && y < u->rows - 6; i++) {
		const struct m_address *ad = &c->addresses[i];
		char text[256];
		snprintf(text, sizeof text, "%s %lld%s%s, %s %s", ad->street, (long long)ad->house_number,
				 ad->house_number_ext && *ad->house_number_ext ? " " : "",
				 ad->house_number_ext ? ad->house_number_ext : "", ad->postcode, ad->city);
		char mark[48];
		snprintf(mark, sizeof mark, "[%s]", ad->active ? tr(T_ACTIVE) : tr(T_INACTIVE));
		int mw = draw_text(y, 2, 12, ad->active ? THEME_STATUS_OK : THEME_MUTED, mark);
		draw_text(y, 2 + mw + 1, u->cols - mw - 5, ad->active ? THEME_NORMAL : THEME_MUTED, text);
		y++;
	}
	y++;
	draw_text(y++, 2, u->cols - 4, THEME_TITLE, tr(T_CONTACT));
	draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
	if (!c->ncontacts && y < u->rows - 3)
		draw_text(y++, 2, u->cols - 4, THEME_MUTED, tr(T_NONE));
	for (size_t i = 0; i < c->ncontacts && y < u->rows - 3; i++) {
		const struct m_contact *m = &c->contacts[i];
		char text[256];
		snprintf(text, sizeof text, "%s (%s)", m->value, m->confirmed ? tr(T_CONFIRMED) : tr(T_UNCONFIRMED));
		y = line(u, y, strcmp(m->kind, "email") == 0 ? tr(T_EMAIL) : tr(T_MOBILE), text, THEME_NORMAL);
	}
}

void client_key(struct ui *u, struct key k)
{
	enum action a = keys_lookup(CTX_DETAIL, k);
	switch (a) {
	case ACT_REVEAL:
		u->reveal = !u->reveal;
		break;
	case ACT_HCT:
		if (!ui_may(u, "hct.client.view")) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			break;
		}
		u->hct_client = u->app->detail_id;
		u->hct_sel = 0;
		hct_reload(u);
		u->screen = SCR_HCT;
		break;
	case ACT_CANCEL:
		if (u->app->detail_state == REQ_BUSY) {
			app_cancel(u->app);
			break;
		}
		/* Esc also goes back. */
		__attribute__((fallthrough));
	case ACT_QUIT:
		app_close_client(u->app);
		u->reveal = false;
		u->screen = SCR_CLIENTS;
		break;
	default:
		break;
	}
}
