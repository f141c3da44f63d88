/* Ons Cliënt: the dashboard (totals, every client in scope with its Caren status,
 * searchable, and the location tree with per-location counts) and a location's page (its
 * clients with status, searched by name, client number or BSN; the BSN goes to the server,
 * which audits it). Both work from the replica, offline too: statuses are derived from the
 * feed's facts with the same function as zorgd's. Two descriptors share this file: they
 * differ only in what they list and what they show above the list. */
#include "caren_common.h"
#include "client_pick.h"
#include "client/views.h"
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"
#include "widgets/list.h"
#include "widgets/tree.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIST_Y 4

struct caren_list {
	struct client_pick pick; /* the list, its query and location filter */
	int64_t loc; /* 0: the dashboard */
	struct caren_view cv;
	int64_t counts[CAREN_STATUS_COUNT];
	int64_t locations;
	bool tree;
	struct tree locs;
	uint64_t summary_req;
};

/* The location's subtree into s->pick.loc_set. */
static void build_loc_set(struct ui *u, struct caren_list *s)
{
	struct app *a = u->app;
	free(s->pick.loc_set);
	s->pick.loc_set = malloc((a->nlocs + 1) * sizeof *s->pick.loc_set);
	if (!s->pick.loc_set)
		abort();
	s->pick.nloc_set = 0;
	s->pick.loc_set[s->pick.nloc_set++] = s->loc;
	for (size_t k = 0; k < s->pick.nloc_set; k++)
		for (size_t i = 0; i < a->nlocs; i++)
			if (a->locs[i].parent_id == s->pick.loc_set[k] && s->pick.nloc_set <= a->nlocs)
				s->pick.loc_set[s->pick.nloc_set++] = a->locs[i].id;
}

/* Counts per status over the view (the location page) or from the replica (dashboard). */
static void count(struct ui *u, struct caren_list *s)
{
	int64_t now = (int64_t)time(NULL);
	memset(s->counts, 0, sizeof s->counts);
	if (!s->loc) {
		view_caren_counts(&s->cv, &u->app->clients, now, s->counts, &s->locations);
		return;
	}
	view_update(&s->pick.view, &u->app->clients, "", s->pick.loc_set, s->pick.nloc_set);
	for (size_t i = 0; i < s->pick.view.n; i++) {
		int64_t id = u->app->clients.rows[s->pick.view.pos[i]].id;
		s->counts[view_caren_status(&s->cv, id, now).status]++;
	}
}

/* The data changed: facts, counts, filter, keeping the selection in place. */
static void list_refresh(struct ui *u, struct caren_list *s, bool facts)
{
	if (facts) {
		view_caren_free(&s->cv);
		view_caren(u->app, &s->cv);
	}
	if (s->loc)
		build_loc_set(u, s);
	count(u, s);
	size_t offset = s->pick.list.sel >= s->pick.list.top ? s->pick.list.sel - s->pick.list.top : 0;
	int64_t keep = s->pick.sel_id;
	view_update(&s->pick.view, &u->app->clients, s->pick.query.text, s->pick.loc_set,
				s->pick.nloc_set);
	size_t at = keep ? view_find(&s->pick.view, &u->app->clients, keep) : (size_t)-1;
	s->pick.list.n = s->pick.view.n;
	if (at != (size_t)-1)
		list_select(&s->pick.list, at, offset);
	pick_clamp(u, &s->pick, LIST_Y);
	u->dirty = true;
}

/* The index of location id in a->locs, or -1. */
static long loc_index(const struct app *a, int64_t id)
{
	for (size_t k = 0; k < a->nlocs; k++)
		if (a->locs[k].id == id)
			return (long)k;
	return -1;
}

/* Clients per location with its subtree (counts[i] for a->locs[i]); caller frees. */
static long long *subtree_counts(struct ui *u)
{
	struct app *a = u->app;
	long long *own = calloc(a->nlocs + 1, sizeof *own), *sum = calloc(a->nlocs + 1, sizeof *sum);
	if (!own || !sum)
		abort();
	for (size_t i = 0; i < a->clients.n; i++) {
		long k = client_gone(&a->clients.rows[i]) ? -1 : loc_index(a, a->clients.rows[i].location_id);
		if (k >= 0)
			own[k]++;
	}
	for (size_t k = 0; k < a->nlocs; k++) {
		long at = (long)k;
		for (int hops = 0; at >= 0 && hops < 32; hops++) {
			sum[at] += own[k];
			at = loc_index(a, a->locs[at].parent_id);
		}
	}
	free(own);
	return sum;
}

static void add_subtree(struct ui *u, struct caren_list *s, const long long *n, int64_t id,
						int depth)
{
	struct app *a = u->app;
	for (size_t i = 0; i < a->nlocs; i++) {
		if (a->locs[i].parent_id != id || n[i] == 0)
			continue;
		tree_add(&s->locs, depth, a->locs[i].name, n[i], a->locs[i].id, depth < 2);
		if (depth < 16)
			add_subtree(u, s, n, a->locs[i].id, depth + 1);
	}
}

/* The location tree with per-location counts (locations without clients in scope left out). */
static void tree_build(struct ui *u, struct caren_list *s)
{
	long long *n = subtree_counts(u);
	tree_free(&s->locs);
	tree_init(&s->locs);
	add_subtree(u, s, n, 0, 0);
	tree_flatten(&s->locs);
	free(n);
}

static void *open_list(struct ui *u, const struct nav_arg *arg, bool location)
{
	if (u->app->me.username && !ui_has(u, TASK_CAREN_LINK_VIEW)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_NO_TASK));
		return NULL;
	}
	struct caren_list *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->loc = location ? arg->id : 0;
	view_init(&s->pick.view);
	tree_init(&s->locs);
	list_refresh(u, s, true);
	if (!location && u->app->conn == CONN_ONLINE)
		s->summary_req = app_caren_summary(u->app);
	return s;
}

static void *dash_open(struct ui *u, const struct nav_arg *arg) { return open_list(u, arg, false); }
static void *loc_open(struct ui *u, const struct nav_arg *arg) { return open_list(u, arg, true); }

static void list_close(struct ui *u, void *st)
{
	(void)u;
	struct caren_list *s = st;
	view_free(&s->pick.view);
	view_caren_free(&s->cv);
	free(s->pick.loc_set);
	tree_free(&s->locs);
	free(s);
}

static int list_reload(struct ui *u, void *st, unsigned ev)
{
	struct caren_list *s = st;
	list_refresh(u, s, (ev & (APP_EV_CAREN | APP_EV_SESSION)) != 0);
	if (s->tree && (ev & (APP_EV_LOCATIONS | APP_EV_CLIENTS)))
		tree_build(u, s);
	if ((ev & APP_EV_CONN) && u->app->conn == CONN_ONLINE && !s->loc &&
		u->app->caren_messages_sent < 0 && !app_request_busy(u->app, s->summary_req))
		s->summary_req = app_caren_summary(u->app);
	if ((ev & APP_EV_BSN) && app_bsn_state(u->app) == REQ_OK && u->app->bsn_client)
		return nav_to(u, SID_CAREN_CLIENT, u->app->bsn_client, 0);
	return R_NONE;
}

/* One count of the status row: symbol, word (long: the seed's status words; short: the
 * legend words "Gekoppeld", "Uitgenodigd", ...) and the number, into part. */
static void count_part(const struct caren_list *s, enum caren_status st, bool shorter,
					   char *part, size_t size, enum theme_slot *slot)
{
	static const enum i18n_id short_words[CAREN_STATUS_COUNT] = {
		[CAREN_ACTIVE] = T_CAREN_SHORT_ACTIVE,
		[CAREN_NOT_LINKED] = T_CAREN_SHORT_NOT_LINKED,
		[CAREN_INVITED] = T_CAREN_SHORT_INVITED,
		[CAREN_UNKNOWN] = T_CAREN_SHORT_UNKNOWN,
	};
	char cell[96], num[32];
	const char *sym = caren_status_symbol(st, !wgt_unicode());
	caren_cell(st, 0, cell, sizeof cell, slot);
	nl_number(s->counts[st], num);
	if (shorter)
		snprintf(part, size, "%s %s %s", sym, tr(short_words[st]), num);
	else if (st == CAREN_INVITED) /* the count has no days: say "open" */
		snprintf(part, size, "%s %s %s", sym, tr(T_CAREN_OPEN_COUNT), num);
	else
		snprintf(part, size, "%s %s", cell, num);
}

/* Row 2: the count per status. The seed's words with wide gaps when they fit the width,
 * then with narrow gaps, then the short legend words: no count is ever cut off at 80
 * columns, even with hundreds of thousands of clients. */
static void draw_counts(struct ui *u, const struct caren_list *s)
{
	static const enum caren_status order[] = {CAREN_ACTIVE, CAREN_INVITED, CAREN_NOT_LINKED,
											  CAREN_UNKNOWN};
	char parts[4][128];
	enum theme_slot slots[4];
	int gap = 2;
	for (int pass = 0; pass < 4; pass++) {
		gap = pass % 2 ? 1 : 2;
		int width = 0;
		for (size_t i = 0; i < 4; i++) {
			count_part(s, order[i], pass >= 2, parts[i], sizeof parts[i], &slots[i]);
			width += draw_width(parts[i]) + (i ? gap : 0);
		}
		if (width <= u->cols - 2)
			break;
	}
	int x = 1;
	for (size_t i = 0; i < 4 && x < u->cols - 2; i++)
		x += draw_text(2, x, u->cols - 1 - x, slots[i], parts[i]) + gap;
}

/* Rows 1-2: the totals (dashboard) or the location, and the counts per status. */
static void draw_totals(struct ui *u, struct caren_list *s)
{
	char line[512], msgs[32];
	if (s->loc) {
		snprintf(line, sizeof line, tr(T_CAREN_IN_LOCATION), ui_location_name(u, s->loc));
	} else {
		if (u->app->caren_messages_sent >= 0)
			nl_number(u->app->caren_messages_sent, msgs);
		else
			snprintf(msgs, sizeof msgs, "-");
		char linked[32], locs[32];
		snprintf(line, sizeof line, "%s: %s   %s: %s   %s: %s", tr(T_CAREN_LINKED),
				 nl_number(s->counts[CAREN_ACTIVE], linked), tr(T_CAREN_LOCS),
				 nl_number(s->locations, locs), tr(T_CAREN_MSGS), msgs);
	}
	draw_fill(1, 0, u->cols, THEME_NORMAL);
	draw_text(1, 1, u->cols - 2, THEME_TITLE, line);
	draw_fill(2, 0, u->cols, THEME_NORMAL);
	draw_counts(u, s);
}

/* Number, name, Caren status: the name gives way first. */
static void columns(const struct ui *u, int w[3])
{
	static const struct list_col cols[3] = {{9, 9, 5}, {34, 14, 3}, {37, 20, 4}};
	list_layout(cols, 3, u->cols - 2, w);
}

static void draw_row(struct ui *u, struct caren_list *s, const struct client_row *r, int row,
					 bool sel, const int w[3])
{
	enum theme_slot sl = sel ? THEME_SELECTION : THEME_NORMAL, st_slot;
	draw_fill(row, 0, u->cols, sl);
	struct client_names nm; /* the index keeps no names: the replica gives the shown fields */
	clients_names(&u->app->clients, r->id, &nm);
	draw_cell(row, 1, w[0], sl, nm.number);
	draw_cell(row, 2 + w[0], w[1], sl, nm.name);
	struct caren_link_status st = view_caren_status(&s->cv, r->id, (int64_t)time(NULL));
	char cell[96];
	caren_cell(st.status, st.days_left, cell, sizeof cell, &st_slot);
	draw_cell(row, 3 + w[0] + w[1], w[2], sel ? sl : st_slot, cell);
	if (sel) {
		u->cur_y = row;
		u->cur_x = 0;
		draw_text(row, 0, 1, sl, ">");
	}
}

static void draw_search(struct ui *u, struct caren_list *s)
{
	int y = u->rows - 3;
	draw_fill(y, 0, u->cols, THEME_NORMAL);
	char label[64], count[96];
	snprintf(label, sizeof label, "%s: ", tr(T_SEARCH));
	int x = 1 + draw_text(y, 1, 20, s->pick.searching ? THEME_TITLE : THEME_MUTED, label);
	int qw = draw_text(y, x, 30, s->pick.searching ? THEME_INPUT_FOCUS : THEME_INPUT,
					   s->pick.query.text);
	if (s->pick.searching) {
		u->cur_y = y;
		u->cur_x = x + qw;
	}
	snprintf(count, sizeof count, tr(T_N_CLIENTS), s->pick.view.n);
	int cw = draw_width(count);
	if (cw < u->cols - x - qw - 3)
		draw_text(y, u->cols - cw - 1, cw, THEME_MUTED, count);
}

static void tree_draw(struct ui *u, struct caren_list *s)
{
	int h = u->rows - 6, w = u->cols > 64 ? 60 : u->cols - 4, y = 2, x = 2;
	if ((int)s->locs.nvis + 2 < h)
		h = (int)s->locs.nvis + 2;
	draw_box(y, x, h, w, THEME_BORDER, tr(T_LOCATIONS));
	tree_widget_draw(&s->locs, (struct wgt_rect){y + 1, x + 1, h - 2, w - 2}, THEME_NORMAL, true);
	u->cur_y = y + 1 + (int)(s->locs.sel - s->locs.top);
	u->cur_x = x + 1;
}

static void list_draw(struct ui *u, void *st)
{
	struct caren_list *s = st;
	struct app *a = u->app;
	int w[3];
	columns(u, w);
	draw_totals(u, s);
	draw_fill(3, 0, u->cols, THEME_TITLE);
	draw_cell(3, 1, w[0], THEME_TITLE, tr(T_COL_NUMBER));
	draw_cell(3, 2 + w[0], w[1], THEME_TITLE, tr(T_COL_NAME));
	draw_cell(3, 3 + w[0] + w[1], w[2], THEME_TITLE, tr(T_COL_CAREN));
	pick_clamp(u, &s->pick, LIST_Y);
	u->cur_y = LIST_Y;
	u->cur_x = 0;
	if (s->pick.view.n == 0)
		draw_text(LIST_Y + 1, 2, u->cols - 4, THEME_MUTED,
				  clients_count(&a->clients) == 0 && a->synced_at == 0 ? tr(T_EMPTY_REPLICA)
																	   : tr(T_NO_CLIENTS));
	for (int i = 0; i < s->pick.list.height && s->pick.list.top + (size_t)i < s->pick.view.n; i++) {
		size_t idx = s->pick.list.top + (size_t)i;
		draw_row(u, s, &a->clients.rows[s->pick.view.pos[idx]], LIST_Y + i, idx == s->pick.list.sel, w);
	}
	draw_search(u, s);
	pick_offer_bsn(u, &s->pick);
	if (s->tree)
		tree_draw(u, s);
}

static int tree_key(struct ui *u, struct caren_list *s, struct key k, enum action a)
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
	const struct tree_item *it = tree_selected(&s->locs);
	if ((a == ACT_OPEN || a == ACT_CAREN) && it) {
		s->tree = false;
		return nav_to(u, SID_CAREN_LOC, it->id, CAREN_LIST_LOCATION);
	}
	if (a == ACT_CANCEL || a == ACT_QUIT)
		s->tree = false;
	else
		tree_widget_key(&s->locs, k.code, k.is_keycode);
	return R_HANDLED;
}

static int open_selected(struct ui *u, struct caren_list *s)
{
	if (!s->pick.view.n)
		return R_HANDLED;
	s->pick.searching = false;
	return nav_to(u, SID_CAREN_CLIENT, s->pick.sel_id, 0);
}

static int search_key(struct ui *u, struct caren_list *s, struct key k, enum action a)
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
		return R_POP;
	if ((a == ACT_BSN && pick_query_is_bsn(&s->pick)) ||
		(a == ACT_OPEN && pick_query_is_bsn(&s->pick) && s->pick.view.n == 0)) {
		pick_bsn_lookup(u, &s->pick);
		return R_HANDLED;
	}
	if (a == ACT_OPEN)
		return open_selected(u, s);
	if (field_key(&s->pick.query, k))
		pick_query_changed(u, &s->pick, LIST_Y);
	return R_HANDLED;
}

static int list_key(struct ui *u, void *st, struct key k, enum action a)
{
	struct caren_list *s = st;
	if (s->tree)
		return tree_key(u, s, k, a);
	if (s->pick.searching)
		return search_key(u, s, k, a);
	if (pick_nav(u, &s->pick, LIST_Y, a))
		return R_HANDLED;
	switch (a) {
	case ACT_OPEN:
	case ACT_CAREN:
		return open_selected(u, s);
	case ACT_SEARCH:
		s->pick.searching = true;
		return R_HANDLED;
	case ACT_TREE:
		if (!s->loc) {
			tree_build(u, s);
			s->tree = true;
		}
		return R_HANDLED;
	case ACT_BSN:
		pick_bsn_lookup(u, &s->pick);
		return R_HANDLED;
	case ACT_SEND_MESSAGE: /* a location's page only, not the overview (issue 10) */
		if (!s->loc || !ui_has(u, TASK_CAREN_MESSAGE_SEND))
			return R_NONE;
		return nav_to(u, SID_MSG_FORM, s->loc, 0);
	case ACT_CANCEL:
		if (s->pick.query.len) {
			field_clear(&s->pick.query);
			pick_query_changed(u, &s->pick, LIST_Y);
			return R_HANDLED;
		}
		return R_POP;
	case ACT_QUIT:
		return R_POP;
	default:
		return R_NONE;
	}
}

static enum key_ctx list_mode(const void *st)
{
	const struct caren_list *s = st;
	return s->tree ? CTX_TREE : s->pick.searching ? CTX_SEARCH : CTX_LIST;
}

static const enum action *list_hints(const struct ui *u, const void *st)
{
	(void)u;
	static const enum action dash[] = {ACT_HELP, ACT_SEARCH, ACT_TREE, ACT_OPEN, ACT_QUIT, ACT_NONE};
	static const enum action loc[] = {ACT_HELP, ACT_SEARCH, ACT_OPEN, ACT_SEND_MESSAGE, ACT_QUIT,
									  ACT_NONE};
	static const enum action search[] = {ACT_OPEN, ACT_BSN, ACT_CANCEL, ACT_HELP, ACT_NONE};
	static const enum action tree[] = {ACT_OPEN, ACT_CANCEL, ACT_HELP, ACT_NONE};
	const struct caren_list *s = st;
	return s->tree ? tree : s->pick.searching ? search : s->loc ? loc : dash;
}

static bool list_may(const struct ui *u, const void *st, enum action a)
{
	const struct caren_list *s = st;
	if (a == ACT_BSN)
		return pick_may_bsn(u, &s->pick);
	if (a == ACT_TREE)
		return !s->loc;
	if (a == ACT_SEND_MESSAGE)
		return s->loc && ui_has(u, TASK_CAREN_MESSAGE_SEND);
	if (a == ACT_COPY)
		return s->pick.view.n > 0;
	return true;
}

static bool list_copy(const struct ui *u, const void *st, const char **what, const char **text)
{
	const struct caren_list *s = st;
	return pick_copy(u, &s->pick, what, text);
}

#define CAREN_LIST_EVENTS                                                                    \
	(APP_EV_CLIENTS | APP_EV_CAREN | APP_EV_LOCATIONS | APP_EV_SESSION | APP_EV_BSN | APP_EV_CONN)

const struct screen screen_caren_dash = {
	.name = "ons-client",
	.title = T_CAREN_DASH,
	.ctx = CTX_LIST,
	.events = CAREN_LIST_EVENTS,
	.open = dash_open,
	.close = list_close,
	.reload = list_reload,
	.draw = list_draw,
	.key = list_key,
	.hints = list_hints,
	.may = list_may,
	.mode = list_mode,
	.copy = list_copy,
};

const struct screen screen_caren_loc = {
	.name = "ons-client-locatie",
	.title = T_CAREN_LOCATION,
	.ctx = CTX_LIST,
	.events = CAREN_LIST_EVENTS,
	.open = loc_open,
	.close = list_close,
	.reload = list_reload,
	.draw = list_draw,
	.key = list_key,
	.hints = list_hints,
	.may = list_may,
	.mode = list_mode,
	.copy = list_copy,
};
