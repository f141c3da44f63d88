/* The client's personalia: fetched from the server when opened (and again when the
 * connection returns after a failed fetch); the BSN is masked until the user reveals it. */
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct client {
	int64_t id;
	bool reveal;
};

static void *client_open(struct ui *u, const struct nav_arg *arg)
{
	struct client *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->id = arg->id;
	if (u->app->detail_id != s->id || app_detail_state(u->app) != REQ_BUSY)
		app_open_client(u->app, s->id);
	return s;
}

static void client_close(struct ui *u, void *st)
{
	app_close_client(u->app); /* wipes the BSN from memory */
	free(st);
}

/* The connection came back: personalia that failed to load are fetched again. */
static int client_reload(struct ui *u, void *st, unsigned ev)
{
	struct client *s = st;
	struct app *a = u->app;
	if ((ev & APP_EV_CONN) && a->conn == CONN_ONLINE && app_detail_state(a) == REQ_ERROR)
		app_open_client(a, s->id);
	return R_NONE;
}

/* One "label  value" line, wrapped when the value is long; returns the next row. */
static int line(struct ui *u, int y, const char *label, const char *value, enum theme_slot slot)
{
	if (y >= u->rows - 2)
		return y;
	draw_text(y, 2, 18, THEME_MUTED, label);
	return y + draw_wrap(y, 20, u->cols - 22, u->rows - 2 - y, 0, slot, value ? value : "");
}

/* The addresses, marked active or not. */
static int draw_addresses(struct ui *u, const struct m_client *c, int y)
{
	for (size_t i = 0; i < c->naddresses && y < u->rows - 6; i++) {
		const struct m_address *ad = &c->addresses[i];
		char text[256];
		snprintf(text, sizeof text, "%s %lld%s%s, %s %s", ad->street, (long long)ad->house_number,
				 ad->house_number_ext && *ad->house_number_ext ? " " : "",
				 ad->house_number_ext ? ad->house_number_ext : "", ad->postcode, ad->city);
		char mark[48];
		snprintf(mark, sizeof mark, "[%s]", ad->active ? tr(T_ACTIVE) : tr(T_INACTIVE));
		int mw = draw_text(y, 2, 12, ad->active ? THEME_STATUS_OK : THEME_MUTED, mark);
		y += draw_wrap(y, 2 + mw + 1, u->cols - mw - 5, 2, 0, ad->active ? THEME_NORMAL : THEME_MUTED, text);
	}
	return y;
}

/* The contact details. */
static void draw_contacts(struct ui *u, const struct m_client *c, int y)
{
	if (!c->ncontacts && y < u->rows - 3)
		draw_text(y++, 2, u->cols - 4, THEME_MUTED, tr(T_NONE));
	for (size_t i = 0; i < c->ncontacts && y < u->rows - 3; i++) {
		const struct m_contact *m = &c->contacts[i];
		char text[300];
		snprintf(text, sizeof text, "%s (%s)", m->value, m->confirmed ? tr(T_CONFIRMED) : tr(T_UNCONFIRMED));
		y = line(u, y, strcmp(m->kind, "email") == 0 ? tr(T_EMAIL) : tr(T_MOBILE), text, THEME_NORMAL);
	}
}

static void client_draw(struct ui *u, void *st)
{
	struct client *s = st;
	struct app *a = u->app;
	const struct client_row *row = clients_get(&a->clients, s->id);
	struct client_names nm; /* what the replica holds, until the detail arrives */
	clients_names(&a->clients, s->id, &nm);
	const struct m_client *c = app_detail_state(a) == REQ_OK && a->detail.id == s->id ? &a->detail : NULL;
	int y = 2;
	draw_text(y++, 2, u->cols - 4, THEME_TITLE, tr(T_PERSONALIA));
	draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
	u->cur_y = 2;
	u->cur_x = 2;
	y = line(u, y, tr(T_NAME), c ? c->name : nm.name, THEME_NORMAL);
	y = line(u, y, tr(T_NUMBER), c ? c->client_number : nm.number, THEME_NORMAL);
	char birth[16];
	y = line(u, y, tr(T_BIRTH), nl_date(c ? c->birth_date : nm.birth, birth), THEME_NORMAL);
	y = line(u, y, tr(T_LOCATION), ui_location_name(u, c ? c->location_id : row ? row->location_id : 0),
			 THEME_NORMAL);
	if (!c) {
		y++;
		if (app_detail_state(a) == REQ_BUSY)
			draw_text(y, 2, u->cols - 4, THEME_STATUS_WARN, tr(T_LOADING));
		else if (a->conn != CONN_ONLINE)
			draw_text(y, 2, u->cols - 4, THEME_STATUS_BAD, tr(T_DETAIL_OFFLINE));
		return;
	}
	if (c->bsn)
		y = line(u, y, tr(T_BSN), s->reveal ? c->bsn : tr(T_BSN_HIDDEN), THEME_NORMAL);
	else
		y = line(u, y, tr(T_BSN), tr(T_BSN_NONE), THEME_MUTED);
	y++;
	draw_text(y++, 2, u->cols - 4, THEME_TITLE, tr(T_ADDRESSES));
	draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
	y = draw_addresses(u, c, y) + 1;
	draw_text(y++, 2, u->cols - 4, THEME_TITLE, tr(T_CONTACT));
	draw_hline(y++, 2, u->cols - 4, THEME_BORDER);
	draw_contacts(u, c, y);
}

static int client_key(struct ui *u, void *st, struct key k, enum action a)
{
	(void)k;
	struct client *s = st;
	switch (a) {
	case ACT_REVEAL:
		if (ui_has(u, TASK_CLIENT_BSN_VIEW))
			s->reveal = !s->reveal;
		else
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		return R_HANDLED;
	case ACT_HCT:
		if (!ui_may(u, TASK_HCT_CLIENT_VIEW)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			return R_HANDLED;
		}
		return nav_to(u, SID_HCT, s->id, 0);
	case ACT_CAREN:
		if (!ui_may(u, TASK_CAREN_LINK_VIEW)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			return R_HANDLED;
		}
		return nav_to(u, SID_CAREN_CLIENT, s->id, 0);
	case ACT_CANCEL:
		if (app_detail_state(u->app) == REQ_BUSY) {
			app_cancel(u->app);
			return R_HANDLED;
		}
		return R_POP; /* Esc also goes back */
	case ACT_QUIT:
		return R_POP;
	default:
		return R_NONE;
	}
}

static const enum action *client_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_HELP, ACT_REVEAL, ACT_HCT, ACT_CAREN, ACT_COPY, ACT_QUIT,
									ACT_NONE};
	return h;
}

static bool client_may(const struct ui *u, const void *st, enum action a)
{
	(void)st;
	if (a == ACT_REVEAL)
		return ui_has(u, TASK_CLIENT_BSN_VIEW);
	if (a == ACT_HCT)
		return ui_has(u, TASK_HCT_CLIENT_VIEW);
	if (a == ACT_CAREN)
		return ui_has(u, TASK_CAREN_LINK_VIEW);
	return true;
}

static bool client_copy(const struct ui *u, const void *st, const char **what, const char **text)
{
	const struct client *s = st;
	const struct client_row *r = clients_get(&u->app->clients, s->id);
	*what = tr(T_WHAT_CLIENT_NUMBER);
	*text = r ? clients_number(&u->app->clients, r) : NULL;
	return r != NULL;
}

const struct screen screen_client = {
	.name = "client",
	.title = T_CLIENT,
	.ctx = CTX_DETAIL,
	.events = APP_EV_DETAIL | APP_EV_CONN,
	.open = client_open,
	.close = client_close,
	.reload = client_reload,
	.draw = client_draw,
	.key = client_key,
	.hints = client_hints,
	.may = client_may,
	.copy = client_copy,
};
