/* The searchable client list of the client overview and Ons Cliënt: see client_pick.h. */
#include "client_pick.h"

#include "common/valid.h"

/* Rows for list entries below list_y (the status and key lines stay free). */
static int pick_rows(const struct ui *u, int list_y)
{
	int h = u->rows - list_y - 3;
	return h > 0 ? h : 1;
}

void pick_clamp(struct ui *u, struct client_pick *p, int list_y)
{
	p->list.n = p->view.n;
	p->list.height = pick_rows(u, list_y);
	list_clamp(&p->list);
	p->sel_id = p->view.n ? u->app->clients.rows[p->view.pos[p->list.sel]].id : 0;
}

bool pick_nav(struct ui *u, struct client_pick *p, int list_y, enum action a)
{
	p->list.height = pick_rows(u, list_y);
	if (!list_nav(&p->list, a))
		return false;
	pick_clamp(u, p, list_y);
	return true;
}

void pick_query_changed(struct ui *u, struct client_pick *p, int list_y)
{
	ui_status_clear(u);
	p->list.sel = p->list.top = 0;
	p->sel_id = 0;
	view_update(&p->view, &u->app->clients, p->query.text, p->loc_set, p->nloc_set);
	pick_clamp(u, p, list_y);
}

bool pick_query_is_bsn(const struct client_pick *p)
{
	if (p->query.len != 9)
		return false;
	for (size_t i = 0; i < 9; i++)
		if (p->query.text[i] < '0' || p->query.text[i] > '9')
			return false;
	return true;
}

void pick_bsn_lookup(struct ui *u, struct client_pick *p)
{
	if (!pick_query_is_bsn(p))
		return;
	if (!ui_may(u, TASK_CLIENT_BSN_VIEW)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_NO_BSN_TASK));
		return;
	}
	if (!valid_bsn(p->query.text)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_BSN_INVALID));
		return;
	}
	ui_status(u, THEME_STATUS_WARN, "%s", tr(T_BSN_BUSY));
	app_bsn_lookup(u->app, p->query.text);
}

void pick_offer_bsn(struct ui *u, const struct client_pick *p)
{
	if (pick_query_is_bsn(p) && ui_has(u, TASK_CLIENT_BSN_VIEW) &&
		app_bsn_state(u->app) != REQ_BUSY && !u->status[0])
		ui_status(u, THEME_STATUS, tr(T_BSN_OFFER), p->query.text);
}

bool pick_may_bsn(const struct ui *u, const struct client_pick *p)
{
	return ui_has(u, TASK_CLIENT_BSN_VIEW) && (!p->searching || pick_query_is_bsn(p));
}

bool pick_copy(const struct ui *u, const struct client_pick *p, const char **what,
			   const char **text)
{
	const struct client_row *r = p->view.n ? clients_get(&u->app->clients, p->sel_id) : NULL;
	*what = tr(T_WHAT_CLIENT_NUMBER);
	*text = r ? clients_number(&u->app->clients, r) : NULL;
	return r != NULL;
}
