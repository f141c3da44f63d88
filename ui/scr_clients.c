/* The client overview: a virtualised list over the in-memory index, incremental search,
 * a BSN look-up on the server, and the location tree ("locatiegram") as a filter. */
#include "common/dutch.h"
#include "common/valid.h"
#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_Y 2

/* Rows available for list entries. */
static int list_rows(const struct ui *u)
{
	return u->rows - LIST_Y - 3;
}

/* Keep the selection on screen and inside the list. */
static void clamp(struct ui *u)
{
	size_t n = u->view.n;
	size_t h = (size_t)(list_rows(u) > 0 ? list_rows(u) : 1);
	if (n == 0) {
		u->sel = u->top = 0;
		u->sel_id = 0;
		return;
	}
	if (u->sel >= n)
		u->sel = n - 1;
	if (u->sel < u->top)
		u->top = u->sel;
	if (u->sel >= u->top + h)
		u->top = u->sel - h + 1;
	if (u->top + h > n)
		u->top = n > h ? n - h : 0;
	u->sel_id = u->app->clients.rows[u->view.pos[u->sel]].id;
}

void clients_refresh(struct ui *u)
{
	struct app *a = u->app;
	int64_t now = app_now_ms();
	int64_t done, total;
	/* While the first sync pours in, re-sort at most twice a second. */
	if (app_sync_progress(a, &done, &total) && now - u->last_sort_ms < 500 && u->view.pos)
		return;
	u->last_sort_ms = now;
	size_t offset = u->sel >= u->top ? u->sel - u->top : 0;
	int64_t keep = u->sel_id;
	view_update(&u->view, &a->clients, u->query.text, u->loc_set, u->nloc_set);
	/* Background updates never move the selection or its place on screen. */
	size_t at = keep ? view_find(&u->view, &a->clients, keep) : (size_t)-1;
	if (at != (size_t)-1) {
		u->sel = at;
		u->top = at >= offset ? at - offset : 0;
	}
	clamp(u);
	u->dirty = true;
}

/* Widths of the columns for the current terminal width. */
static void columns(const struct ui *u, int *wnum, int *wname, int *wbirth, int *wloc)
{
	*wnum = 9;
	*wbirth = 11;
	*wloc = u->cols >= 110 ? 30 : u->cols >= 96 ? 26 : 22;
	*wname = u->cols - *wnum - *wbirth - *wloc - 4;
}

/* The search line: query, counts, filter. */
static void draw_search(struct ui *u)
{
	int y = u->rows - 3;
	draw_fill(y, 0, u->cols, THEME_NORMAL);
	char label[64];
	snprintf(label, sizeof label, "%s: ", tr(T_SEARCH));
	int x = 1 + draw_text(y, 1, 20, u->searching ? THEME_TITLE : THEME_MUTED, label);
	int qw = draw_text(y, x, 30, u->searching ? THEME_INPUT_FOCUS : THEME_INPUT, u->query.text);
	if (u->searching) {
		u->cur_y = y;
		u->cur_x = x + qw;
	}
	char count[96];
	size_t all = clients_count(&u->app->clients);
	if (u->view.n == all)
		snprintf(count, sizeof count, tr(T_N_CLIENTS), all);
	else
		snprintf(count, sizeof count, tr(T_N_OF_M), u->view.n, all);
	char right[256];
	snprintf(right, sizeof right, "%s | %s", count,
			 u->loc_filter ? ui_location_name(u, u->loc_filter) : tr(T_ALL_LOCATIONS));
	/* Right-aligned after the query; the location name is cut first when short of room. */
	int room = u->cols - (x + (qw > 12 ? qw : 12)) - 3;
	int rw = draw_width(right);
	if (rw > room)
		rw = room;
	if (rw > 0)
		draw_text(y, u->cols - rw - 1, rw, THEME_MUTED, right);
}

/* True when the query is nine digits (a BSN look-up can be offered). */
static bool query_is_bsn(const struct ui *u)
{
	if (u->query.len != 9)
		return false;
	for (size_t i = 0; i < 9; i++)
		if (u->query.text[i] < '0' || u->query.text[i] > '9')
			return false;
	return true;
}

void clients_draw(struct ui *u)
{
	struct app *a = u->app;
	int wnum, wname, wbirth, wloc;
	columns(u, &wnum, &wname, &wbirth, &wloc);
	int y = 1, x = 0;
	draw_fill(y, 0, u->cols, THEME_TITLE);
	x = 1;
	draw_cell(y, x, wnum, THEME_TITLE, tr(T_COL_NUMBER));
	x += wnum + 1;
	draw_cell(y, x, wname, THEME_TITLE, tr(T_COL_NAME));
	x += wname + 1;
	draw_cell(y, x, wbirth, THEME_TITLE, tr(T_COL_BIRTH));
	x += wbirth + 1;
	draw_cell(y, x, wloc, THEME_TITLE, tr(T_COL_LOCATION));

	clamp(u);
	int h = list_rows(u);
	u->cur_y = LIST_Y;
	u->cur_x = 0;
	if (u->view.n == 0) {
		const char *msg = clients_count(&a->clients) == 0 && a->synced_at == 0 ? tr(T_EMPTY_REPLICA)
																				: tr(T_NO_CLIENTS);
		draw_text(LIST_Y + 1, 2, u->cols - 4, THEME_MUTED, msg);
	}
	for (int i = 0; i < h && u->top + (size_t)i < u->view.n; i++) {
		size_t idx = u->top + (size_t)i;
		const struct client_row *r = &a->clients.rows[u->view.pos[idx]];
		bool sel = idx == u->sel;
		enum theme_slot s = sel ? THEME_SELECTION : THEME_NORMAL;
		int row = LIST_Y + i;
		draw_fill(row, 0, u->cols, s);
		x = 1;
		draw_cell(row, x, wnum, s, r->number);
		x += wnum + 1;
		draw_cell(row, x, wname, s, r->name);
		x += wname + 1;
		char birth[16];
		draw_cell(row, x, wbirth, s, nl_date(r->birth, birth));
		x += wbirth + 1;
		draw_cell(row, x, wloc, sel ? s : THEME_MUTED, ui_location_name(u, r->location_id));
		if (sel) {
			u->cur_y = row;
			u->cur_x = 0;
			/* Selection is also marked by a symbol, not by colour alone. */
			draw_text(row, 0, 1, s, ">");
		}
	}
	draw_search(u);
	if (query_is_bsn(u) && m_me_has_task(&a->me, "client.bsn.view") && a->bsn_state != REQ_BUSY &&
		!u->status[0]) {
		char offer[128];
		snprintf(offer, sizeof offer, tr(T_BSN_OFFER), u->query.text);
		ui_status(u, THEME_STATUS, "%s", offer);
	}
}

/* Start the BSN look-up for the current query, checking it locally first. */
static void bsn_lookup(struct ui *u)
{
	if (!query_is_bsn(u))
		return;
	/* Until /me has arrived the server decides (it answers 403 without the task). */
	if (u->app->me.username && !ui_may(u, "client.bsn.view")) {
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_NO_BSN_TASK));
		return;
	}
	if (!valid_bsn(u->query.text)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_BSN_INVALID));
		return;
	}
	ui_status(u, THEME_STATUS_WARN, "%s", tr(T_BSN_BUSY));
	app_bsn_lookup(u->app, u->query.text);
}

/* Move the selection by delta rows. */
static void move_sel(struct ui *u, long delta)
{
	if (!u->view.n)
		return;
	long s = (long)u->sel + delta;
	if (s < 0)
		s = 0;
	if (s >= (long)u->view.n)
		s = (long)u->view.n - 1;
	u->sel = (size_t)s;
	clamp(u);
}

/* Open the selected client. */
static void open_selected(struct ui *u)
{
	if (!u->view.n)
		return;
	app_open_client(u->app, u->sel_id);
	u->reveal = false;
	u->searching = false;
	u->screen = SCR_CLIENT;
}

/* Navigation shared by list and search mode; true when k was one. */
static bool list_nav(struct ui *u, enum action a)
{
	long page = list_rows(u) - 1;
	switch (a) {
	case ACT_UP:
		move_sel(u, -1);
		return true;
	case ACT_DOWN:
		move_sel(u, 1);
		return true;
	case ACT_PAGE_UP:
		move_sel(u, -page);
		return true;
	case ACT_PAGE_DOWN:
		move_sel(u, page);
		return true;
	case ACT_TOP:
		move_sel(u, -(long)u->view.n);
		return true;
	case ACT_BOTTOM:
		move_sel(u, (long)u->view.n);
		return true;
	default:
		return false;
	}
}

/* The query changed: refilter (incrementally when it only grew). */
static void query_changed(struct ui *u)
{
	u->status[0] = '\0';
	u->sel = u->top = 0;
	u->sel_id = 0;
	view_update(&u->view, &u->app->clients, u->query.text, u->loc_set, u->nloc_set);
	clamp(u);
}

void clients_key(struct ui *u, struct key k)
{
	enum action a = keys_lookup(CTX_LIST, k);
	if (u->searching) {
		/* Keys that mean navigation work on the list; letters go into the query. */
		if (k.is_keycode && list_nav(u, a))
			return;
		if (!k.is_keycode && k.code == 27) {
			if (u->app->bsn_state == REQ_BUSY && app_cancel(u->app))
				return;
			field_clear(&u->query);
			u->searching = false;
			query_changed(u);
			return;
		}
		/* Only Enter opens here: letters bound to actions are typed into the query. */
		bool enter = (!k.is_keycode && (k.code == '\r' || k.code == '\n')) ||
					 (k.is_keycode && k.code == KEY_ENTER);
		if (enter) {
			if (query_is_bsn(u) && u->view.n == 0)
				bsn_lookup(u);
			else
				open_selected(u);
			return;
		}
		if (field_key(&u->query, k))
			query_changed(u);
		return;
	}
	if (list_nav(u, a))
		return;
	switch (a) {
	case ACT_OPEN:
		open_selected(u);
		break;
	case ACT_SEARCH:
		u->searching = true;
		break;
	case ACT_TREE:
		u->tree = true;
		break;
	case ACT_BSN:
		bsn_lookup(u);
		break;
	case ACT_SETTINGS:
		if (!ui_may(u, "hct.settings.view")) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			break;
		}
		u->set_sel = 0;
		hct_reload(u);
		u->screen = SCR_SETTINGS;
		break;
	case ACT_CANCEL:
		if (u->app->bsn_state == REQ_BUSY && app_cancel(u->app))
			break;
		if (u->query.len) {
			field_clear(&u->query);
			query_changed(u);
		} else if (u->loc_filter) {
			free(u->loc_set);
			u->loc_set = NULL;
			u->nloc_set = 0;
			u->loc_filter = 0;
			query_changed(u);
		}
		break;
	case ACT_QUIT:
		u->quit = true;
		break;
	default:
		break;
	}
}

/* Append one row to the tree. */
static void tree_push(struct ui *u, size_t *cap, struct tree_row row)
{
	if (u->ntrows == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		u->trows = realloc(u->trows, *cap * sizeof *u->trows);
		if (!u->trows)
			abort();
	}
	u->trows[u->ntrows++] = row;
}

/* Append the subtree of location id (depth-first, children by name) to the tree rows. */
static void add_subtree(struct ui *u, int64_t id, int depth, size_t *cap)
{
	struct app *a = u->app;
	for (size_t i = 0; i < a->nlocs; i++) {
		if (a->locs[i].parent_id != id)
			continue;
		tree_push(u, cap, (struct tree_row){a->locs[i].id, depth, a->locs[i].name});
		if (depth < 16)
			add_subtree(u, a->locs[i].id, depth + 1, cap);
	}
}

void tree_build(struct ui *u)
{
	free(u->trows);
	u->trows = NULL;
	u->ntrows = 0;
	size_t cap = 0;
	/* Row 0 lifts the filter; then the tree from the root (parent 0). */
	tree_push(u, &cap, (struct tree_row){0, 0, tr(T_ALL_LOCATIONS)});
	add_subtree(u, 0, 0, &cap);
	if (u->tree_sel >= u->ntrows)
		u->tree_sel = 0;
}

void tree_draw(struct ui *u)
{
	int h = u->rows - 6, w = 50, y = 2, x = 2;
	if ((int)u->ntrows + 2 < h)
		h = (int)u->ntrows + 2;
	draw_box(y, x, h, w, THEME_BORDER, tr(T_LOCATIONS));
	size_t rows = (size_t)(h - 2);
	if (u->tree_sel < u->tree_top)
		u->tree_top = u->tree_sel;
	if (u->tree_sel >= u->tree_top + rows)
		u->tree_top = u->tree_sel - rows + 1;
	for (size_t i = 0; i < rows && u->tree_top + i < u->ntrows; i++) {
		const struct tree_row *t = &u->trows[u->tree_top + i];
		bool sel = u->tree_top + i == u->tree_sel;
		enum theme_slot s = sel ? THEME_SELECTION : THEME_NORMAL;
		int row = y + 1 + (int)i;
		draw_fill(row, x + 1, w - 2, s);
		char text[160];
		snprintf(text, sizeof text, "%s%*s%s", t->id == u->loc_filter ? "* " : "  ", t->depth * 2, "",
				 t->name);
		draw_text(row, x + 1, w - 2, s, text);
		if (sel) {
			u->cur_y = row;
			u->cur_x = x + 1;
		}
	}
}

/* Set the location filter to id and its whole subtree (0: no filter). */
static void set_filter(struct ui *u, int64_t id)
{
	free(u->loc_set);
	u->loc_set = NULL;
	u->nloc_set = 0;
	u->loc_filter = id;
	if (id) {
		struct app *a = u->app;
		u->loc_set = malloc((a->nlocs + 1) * sizeof *u->loc_set);
		if (!u->loc_set)
			abort();
		u->loc_set[u->nloc_set++] = id;
		/* Breadth-first over the set as it grows. */
		for (size_t k = 0; k < u->nloc_set; k++)
			for (size_t i = 0; i < a->nlocs; i++)
				if (a->locs[i].parent_id == u->loc_set[k] && u->nloc_set <= a->nlocs)
					u->loc_set[u->nloc_set++] = a->locs[i].id;
	}
	query_changed(u);
}

void tree_key(struct ui *u, struct key k)
{
	enum action a = keys_lookup(CTX_TREE, k);
	size_t page = 10;
	switch (a) {
	case ACT_UP:
		if (u->tree_sel)
			u->tree_sel--;
		break;
	case ACT_DOWN:
		if (u->tree_sel + 1 < u->ntrows)
			u->tree_sel++;
		break;
	case ACT_PAGE_UP:
		u->tree_sel = u->tree_sel > page ? u->tree_sel - page : 0;
		break;
	case ACT_PAGE_DOWN:
		u->tree_sel = u->tree_sel + page < u->ntrows ? u->tree_sel + page : u->ntrows - 1;
		break;
	case ACT_TOP:
		u->tree_sel = 0;
		break;
	case ACT_BOTTOM:
		u->tree_sel = u->ntrows ? u->ntrows - 1 : 0;
		break;
	case ACT_OPEN:
		if (u->tree_sel < u->ntrows)
			set_filter(u, u->trows[u->tree_sel].id);
		u->tree = false;
		break;
	case ACT_CANCEL:
	case ACT_QUIT:
		u->tree = false;
		break;
	default:
		break;
	}
}
