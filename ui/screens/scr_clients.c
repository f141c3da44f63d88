/* The client overview: a virtualised list over the in-memory index, incremental search,
 * a BSN look-up on the server, and the location tree ("locatiegram") as a filter. */
#include "client_pick.h"
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"
#include "widgets/list.h"
#include "widgets/tree.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_Y 2

struct clients {
	struct client_pick pick; /* the list, its query and location filter */
	int64_t loc_filter; /* 0: all */
	int64_t last_sort_ms;
	/* location tree (the tree widget): "all locations", then the user's scope */
	bool tree;
	struct tree locs;
};

/* The index changed: refilter, keeping the selection and its place on screen. */
static void list_refresh(struct ui *u, struct clients *s)
{
	struct app *a = u->app;
	int64_t now = app_now_ms();
	int64_t done, total;
	/* While the first sync pours in, re-sort at most twice a second. */
	if (app_sync_progress(a, &done, &total) && now - s->last_sort_ms < 500 && s->pick.view.pos)
		return;
	s->last_sort_ms = now;
	size_t offset = s->pick.list.sel >= s->pick.list.top ? s->pick.list.sel - s->pick.list.top : 0;
	int64_t keep = s->pick.sel_id;
	view_update(&s->pick.view, &a->clients, s->pick.query.text, s->pick.loc_set, s->pick.nloc_set);
	/* Background updates never move the selection or its place on screen. */
	size_t at = keep ? view_find(&s->pick.view, &a->clients, keep) : (size_t)-1;
	s->pick.list.n = s->pick.view.n;
	if (at != (size_t)-1)
		list_select(&s->pick.list, at, offset);
	pick_clamp(u, &s->pick, LIST_Y);
	u->dirty = true;
}

/* Add one location to the tree (expanded; '*' marks the filter in force). */
static void tree_label(struct clients *s, int depth, int64_t id, const char *name)
{
	char label[200];
	snprintf(label, sizeof label, "%s%s", id == s->loc_filter ? "* " : "", name);
	tree_add(&s->locs, depth, label, TREE_NO_COUNT, id, true);
}

/* Append the subtree of location id (depth-first, children by name) to the tree. */
static void add_subtree(struct ui *u, struct clients *s, int64_t id, int depth)
{
	struct app *a = u->app;
	for (size_t i = 0; i < a->nlocs; i++) {
		if (a->locs[i].parent_id != id)
			continue;
		tree_label(s, depth, a->locs[i].id, a->locs[i].name);
		if (depth < 16)
			add_subtree(u, s, a->locs[i].id, depth + 1);
	}
}

/* True when location id lies inside a scope location other than itself (so it is listed
 * under that one already). */
static bool under_other_scope(struct ui *u, int64_t id)
{
	const struct m_me *me = &u->app->me;
	for (int hops = 0; hops < 32 && id; hops++) {
		int64_t parent = 0;
		for (size_t i = 0; i < u->app->nlocs; i++)
			if (u->app->locs[i].id == id)
				parent = u->app->locs[i].parent_id;
		for (size_t k = 0; parent && k < me->nscope; k++)
			if (me->scope[k] == parent)
				return true;
		id = parent;
	}
	return false;
}

/* The tree: "all locations", then the user's scope (each scope location with its
 * subtree); without a known scope, the whole tree. The filter shown is marked with '*'. */
static void tree_build(struct ui *u, struct clients *s)
{
	tree_free(&s->locs);
	tree_init(&s->locs);
	tree_label(s, 0, 0, tr(T_ALL_LOCATIONS));
	const struct m_me *me = &u->app->me;
	if (!me->nscope) {
		add_subtree(u, s, 0, 0);
	} else {
		for (size_t k = 0; k < me->nscope; k++) {
			const char *name = ui_location_name(u, me->scope[k]);
			if (!*name || under_other_scope(u, me->scope[k]))
				continue;
			tree_label(s, 0, me->scope[k], name);
			add_subtree(u, s, me->scope[k], 1);
		}
	}
	tree_flatten(&s->locs);
}

static void *clients_open(struct ui *u, const struct nav_arg *arg)
{
	(void)arg;
	if (u->app->me.username && !ui_has(u, TASK_CLIENT_VIEW)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_NO_CLIENT_TASK));
		return NULL;
	}
	struct clients *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	view_init(&s->pick.view);
	tree_init(&s->locs);
	tree_build(u, s);
	list_refresh(u, s);
	return s;
}

static void clients_close(struct ui *u, void *st)
{
	(void)u;
	struct clients *s = st;
	view_free(&s->pick.view);
	free(s->pick.loc_set);
	tree_free(&s->locs);
	free(s);
}

static int clients_reload(struct ui *u, void *st, unsigned ev)
{
	struct clients *s = st;
	if (ev & (APP_EV_LOCATIONS | APP_EV_SESSION))
		tree_build(u, s);
	list_refresh(u, s);
	if ((ev & APP_EV_BSN) && app_bsn_state(u->app) == REQ_OK && u->app->bsn_client) {
		return nav_to(u, SID_CLIENT, u->app->bsn_client, 0);
	}
	return R_NONE;
}

/* The search line: query, counts, filter. */
static void draw_search(struct ui *u, struct clients *s)
{
	int y = u->rows - 3;
	draw_fill(y, 0, u->cols, THEME_NORMAL);
	char label[64];
	snprintf(label, sizeof label, "%s: ", tr(T_SEARCH));
	int x = 1 + draw_text(y, 1, 20, s->pick.searching ? THEME_TITLE : THEME_MUTED, label);
	int qw = draw_text(y, x, 30, s->pick.searching ? THEME_INPUT_FOCUS : THEME_INPUT,
					   s->pick.query.text);
	if (s->pick.searching) {
		u->cur_y = y;
		u->cur_x = x + qw;
	}
	char count[96];
	size_t all = clients_count(&u->app->clients);
	if (s->pick.view.n == all)
		snprintf(count, sizeof count, tr(T_N_CLIENTS), all);
	else
		snprintf(count, sizeof count, tr(T_N_OF_M), s->pick.view.n, all);
	char right[256];
	snprintf(right, sizeof right, "%s | %s", count,
			 s->loc_filter ? ui_location_name(u, s->loc_filter) : tr(T_ALL_LOCATIONS));
	/* Right-aligned after the query; the location name is cut first when short of room. */
	int room = u->cols - (x + (qw > 12 ? qw : 12)) - 3;
	int rw = draw_width(right);
	if (rw > room)
		rw = room;
	if (rw > 0)
		draw_text(y, u->cols - rw - 1, rw, THEME_MUTED, right);
}

/* Number, name, birth date, location: the location gives way first at 80 columns. */
static void columns(const struct ui *u, int w[4])
{
	static const struct list_col cols[4] = {{9, 9, 5}, {30, 20, 4}, {10, 10, 3}, {30, 12, 1}};
	list_layout(cols, 4, u->cols - 2, w);
}

/* One client row. */
static void draw_row(struct ui *u, const struct client_row *r, int row, bool sel, const int w[4])
{
	enum theme_slot s = sel ? THEME_SELECTION : THEME_NORMAL;
	struct client_names nm; /* the index keeps no names: the replica gives the shown fields */
	clients_names(&u->app->clients, r->id, &nm);
	draw_fill(row, 0, u->cols, s);
	int x = 1;
	draw_cell(row, x, w[0], s, nm.number);
	x += w[0] + 1;
	draw_cell(row, x, w[1], s, nm.name);
	x += w[1] + 1;
	char birth[16];
	draw_cell(row, x, w[2], s, nl_date(nm.birth, birth));
	x += w[2] + 1;
	draw_cell(row, x, w[3], sel ? s : THEME_MUTED, ui_location_name(u, r->location_id));
	if (sel) {
		u->cur_y = row;
		u->cur_x = 0;
		/* Selection is also marked by a symbol, not by colour alone. */
		draw_text(row, 0, 1, s, ">");
	}
}

/* The location tree, drawn over the list. */
static void tree_draw(struct ui *u, struct clients *s)
{
	int h = u->rows - 6, w = 50, y = 2, x = 2;
	if ((int)s->locs.nvis + 2 < h)
		h = (int)s->locs.nvis + 2;
	draw_box(y, x, h, w, THEME_BORDER, tr(T_LOCATIONS));
	tree_widget_draw(&s->locs, (struct wgt_rect){y + 1, x + 1, h - 2, w - 2}, THEME_NORMAL, true);
	u->cur_y = y + 1 + (int)(s->locs.sel - s->locs.top);
	u->cur_x = x + 1;
}

static void clients_draw(struct ui *u, void *st)
{
	struct clients *s = st;
	struct app *a = u->app;
	int w[4];
	columns(u, w);
	draw_fill(1, 0, u->cols, THEME_TITLE);
	const enum i18n_id titles[4] = {T_COL_NUMBER, T_COL_NAME, T_COL_BIRTH, T_COL_LOCATION};
	for (int i = 0, x = 1; i < 4; x += w[i] + 1, i++)
		draw_cell(1, x, w[i], THEME_TITLE, tr(titles[i]));
	pick_clamp(u, &s->pick, LIST_Y);
	u->cur_y = LIST_Y;
	u->cur_x = 0;
	if (s->pick.view.n == 0) {
		const char *msg = clients_count(&a->clients) == 0 && a->synced_at == 0 ? tr(T_EMPTY_REPLICA)
																				: tr(T_NO_CLIENTS);
		draw_text(LIST_Y + 1, 2, u->cols - 4, THEME_MUTED, msg);
	}
	for (int i = 0; i < s->pick.list.height && s->pick.list.top + (size_t)i < s->pick.view.n; i++) {
		size_t idx = s->pick.list.top + (size_t)i;
		draw_row(u, &a->clients.rows[s->pick.view.pos[idx]], LIST_Y + i, idx == s->pick.list.sel, w);
	}
	draw_search(u, s);
	pick_offer_bsn(u, &s->pick);
	if (s->tree)
		tree_draw(u, s);
}

/* Open the selected client. */
static int open_selected(struct ui *u, struct clients *s)
{
	if (!s->pick.view.n)
		return R_HANDLED;
	s->pick.searching = false;
	return nav_to(u, SID_CLIENT, s->pick.sel_id, 0);
}

/* Set the location filter to id and its whole subtree (0: no filter). */
static void set_filter(struct ui *u, struct clients *s, int64_t id)
{
	free(s->pick.loc_set);
	s->pick.loc_set = NULL;
	s->pick.nloc_set = 0;
	s->loc_filter = id;
	if (id) {
		struct app *a = u->app;
		s->pick.loc_set = malloc((a->nlocs + 1) * sizeof *s->pick.loc_set);
		if (!s->pick.loc_set)
			abort();
		s->pick.loc_set[s->pick.nloc_set++] = id;
		/* Breadth-first over the set as it grows. */
		for (size_t k = 0; k < s->pick.nloc_set; k++)
			for (size_t i = 0; i < a->nlocs; i++)
				if (a->locs[i].parent_id == s->pick.loc_set[k] && s->pick.nloc_set <= a->nlocs)
					s->pick.loc_set[s->pick.nloc_set++] = a->locs[i].id;
	}
	pick_query_changed(u, &s->pick, LIST_Y);
}

/* Keys in the location tree: move, expand and collapse; Enter filters, Esc closes. */
static int tree_key(struct ui *u, struct clients *s, struct key k, enum action a)
{
	static const struct {
		enum action a;
		enum tree_move m;
	} moves[] = {{ACT_UP, TREE_UP},		   {ACT_DOWN, TREE_DOWN}, {ACT_PAGE_UP, TREE_PAGE_UP},
				 {ACT_PAGE_DOWN, TREE_PAGE_DOWN}, {ACT_TOP, TREE_TOP},	 {ACT_BOTTOM, TREE_BOTTOM}};
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].a == a) {
			tree_move(&s->locs, moves[i].m);
			return R_HANDLED;
		}
	if (a == ACT_CAREN && ui_has(u, TASK_CAREN_LINK_VIEW)) {
		/* "Naar locatie in Ons Cliënt" */
		const struct tree_item *it = tree_selected(&s->locs);
		s->tree = false;
		if (it && it->id)
			return nav_to(u, SID_CAREN_LOC, it->id, 1);
		return nav_to(u, SID_CAREN_DASH, 0, 0);
	}
	if (a == ACT_OPEN) {
		const struct tree_item *it = tree_selected(&s->locs);
		if (it)
			set_filter(u, s, it->id);
		s->tree = false;
		tree_build(u, s);
	} else if (a == ACT_CANCEL || a == ACT_QUIT) {
		s->tree = false;
	} else {
		tree_widget_key(&s->locs, k.code, k.is_keycode);
	}
	return R_HANDLED;
}

/* Keys while typing a query: navigation, Enter, b on a BSN, Esc; the rest is typed. */
static int search_key(struct ui *u, struct clients *s, struct key k, enum action a)
{
	if (k.is_keycode && list_nav(&s->pick.list, a)) {
		pick_clamp(u, &s->pick, LIST_Y);
		return R_HANDLED;
	}
	if (a == ACT_CANCEL) {
		if (app_bsn_state(u->app) == REQ_BUSY && app_cancel(u->app))
			return R_HANDLED;
		field_clear(&s->pick.query);
		s->pick.searching = false;
		pick_query_changed(u, &s->pick, LIST_Y);
		return R_HANDLED;
	}
	if (a == ACT_QUIT)
		return R_QUIT;
	/* b means the look-up only when the query is a BSN (nine digits); else it is typed. */
	if (a == ACT_BSN && pick_query_is_bsn(&s->pick)) {
		pick_bsn_lookup(u, &s->pick);
		return R_HANDLED;
	}
	if (a == ACT_OPEN) {
		if (pick_query_is_bsn(&s->pick) && s->pick.view.n == 0) {
			pick_bsn_lookup(u, &s->pick);
			return R_HANDLED;
		}
		return open_selected(u, s);
	}
	if (field_key(&s->pick.query, k))
		pick_query_changed(u, &s->pick, LIST_Y);
	return R_HANDLED;
}

/* Esc in the list: cancel the look-up, else clear the query, else the filter. */
static void list_cancel(struct ui *u, struct clients *s)
{
	if (app_bsn_state(u->app) == REQ_BUSY && app_cancel(u->app))
		return;
	if (s->pick.query.len) {
		field_clear(&s->pick.query);
		pick_query_changed(u, &s->pick, LIST_Y);
	} else if (s->loc_filter) {
		set_filter(u, s, 0);
	}
}

static int clients_key(struct ui *u, void *st, struct key k, enum action a)
{
	struct clients *s = st;
	if (s->tree)
		return tree_key(u, s, k, a);
	if (s->pick.searching)
		return search_key(u, s, k, a);
	if (pick_nav(u, &s->pick, LIST_Y, a))
		return R_HANDLED;
	switch (a) {
	case ACT_OPEN:
		return open_selected(u, s);
	case ACT_SEARCH:
		s->pick.searching = true;
		return R_HANDLED;
	case ACT_TREE:
		s->tree = true;
		return R_HANDLED;
	case ACT_CAREN:
		if (!ui_may(u, TASK_CAREN_LINK_VIEW)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			return R_HANDLED;
		}
		return s->pick.view.n ? nav_to(u, SID_CAREN_CLIENT, s->pick.sel_id, 0) : R_HANDLED;
	case ACT_BSN:
		pick_bsn_lookup(u, &s->pick);
		return R_HANDLED;
	case ACT_SETTINGS:
		if (!ui_may(u, TASK_HCT_SETTINGS_VIEW)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
			return R_HANDLED;
		}
		return nav_to(u, SID_HCT_SETTINGS, 0, 0);
	case ACT_CANCEL:
		list_cancel(u, s);
		return R_HANDLED;
	case ACT_QUIT:
		return R_QUIT;
	default:
		return R_NONE;
	}
}

static enum key_ctx clients_mode(const void *st)
{
	const struct clients *s = st;
	return s->tree ? CTX_TREE : s->pick.searching ? CTX_SEARCH : CTX_LIST;
}

static const enum action *clients_hints(const struct ui *u, const void *st)
{
	(void)u;
	static const enum action list[] = {ACT_HELP, ACT_SEARCH, ACT_TREE, ACT_OPEN, ACT_CAREN,
									   ACT_SETTINGS, ACT_LOGOUT, ACT_QUIT, ACT_NONE};
	static const enum action search[] = {ACT_OPEN, ACT_BSN, ACT_CANCEL, ACT_HELP, ACT_QUIT, ACT_NONE};
	static const enum action tree[] = {ACT_OPEN, ACT_CAREN, ACT_CANCEL, ACT_HELP, ACT_NONE};
	const struct clients *s = st;
	return s->tree ? tree : s->pick.searching ? search : list;
}

static bool clients_may(const struct ui *u, const void *st, enum action a)
{
	const struct clients *s = st;
	switch (a) {
	case ACT_BSN:
		return pick_may_bsn(u, &s->pick);
	case ACT_SETTINGS:
		return ui_has(u, TASK_HCT_SETTINGS_VIEW);
	case ACT_CAREN:
		return ui_has(u, TASK_CAREN_LINK_VIEW);
	case ACT_COPY:
		return s->pick.view.n > 0;
	default:
		return true;
	}
}

static bool clients_copy(const struct ui *u, const void *st, const char **what, const char **text)
{
	const struct clients *s = st;
	return pick_copy(u, &s->pick, what, text);
}

const struct screen screen_clients = {
	.name = "clienten",
	.title = T_CLIENTS,
	.ctx = CTX_LIST,
	.events = APP_EV_CLIENTS | APP_EV_SESSION | APP_EV_LOCATIONS | APP_EV_BSN,
	.open = clients_open,
	.close = clients_close,
	.reload = clients_reload,
	.draw = clients_draw,
	.key = clients_key,
	.hints = clients_hints,
	.may = clients_may,
	.mode = clients_mode,
	.copy = clients_copy,
};
