/* Beheer: the organisation's settings of the home-care technology device types (in use,
 * ordering on or off), as a list whose columns shrink by priority at 80 columns. */
#include "client/views.h"
#include "draw.h"
#include "ui.h"
#include "widgets/list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

struct settings {
	struct m_device_type *dtypes;
	size_t ndtypes;
	struct list list;
	uint64_t req; /* the change being saved */
};

static void load(struct ui *u, struct settings *s)
{
	view_device_types_free(&s->dtypes, &s->ndtypes);
	view_device_types(u->app, &s->dtypes, &s->ndtypes);
	s->list.n = s->ndtypes;
	list_clamp(&s->list);
	u->dirty = true;
}

static void *settings_open(struct ui *u, const struct nav_arg *arg)
{
	(void)arg;
	if (!ui_may(u, TASK_HCT_SETTINGS_VIEW)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		return NULL;
	}
	struct settings *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->list.height = 1;
	load(u, s);
	return s;
}

static void settings_close(struct ui *u, void *st)
{
	(void)u;
	struct settings *s = st;
	view_device_types_free(&s->dtypes, &s->ndtypes);
	free(s);
}

static int settings_reload(struct ui *u, void *st, unsigned ev)
{
	struct settings *s = st;
	if (ev & APP_EV_HCT)
		load(u, s);
	const struct app_request *q = (ev & APP_EV_OP) ? ui_op_finished(u, &s->req) : NULL;
	if (q && q->state == REQ_OK)
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_SAVED));
	ui_op_refused(u, q);
	return R_NONE;
}

/* Device, supplier, in use, ordering: the ordering column (what is managed here) is never
 * cut; the supplier's name gives way first. */
static void columns(const struct ui *u, int w[4])
{
	static const struct list_col cols[4] = {{24, 14, 4}, {22, 10, 1}, {10, 10, 3}, {21, 21, 5}};
	list_layout(cols, 4, u->cols - 3, w);
}

/* One device type's row. */
static void draw_row(struct ui *u, const struct m_device_type *d, int y, bool sel, const int w[4])
{
	enum theme_slot s = sel ? THEME_SELECTION : THEME_NORMAL;
	draw_fill(y, 0, u->cols, s);
	draw_text(y, 0, 1, s, sel ? ">" : " ");
	int x = 2;
	draw_cell(y, x, w[0], s, d->name);
	x += w[0] + 1;
	draw_cell(y, x, w[1], sel ? s : (d->supplier_name ? THEME_NORMAL : THEME_MUTED),
			  d->supplier_name ? d->supplier_name : tr(T_SUPPLIER_UNKNOWN));
	x += w[1] + 1;
	draw_cell(y, x, w[2], s, d->in_use ? tr(T_YES) : tr(T_NO));
	x += w[2] + 1;
	char o[32];
	snprintf(o, sizeof o, "%s %s", d->ordering ? "+" : "-", d->ordering ? tr(T_ON) : tr(T_OFF));
	draw_cell(y, x, w[3], sel ? s : (d->ordering ? THEME_STATUS_OK : THEME_MUTED), o);
	if (sel)
		u->cur_y = y;
}

static void settings_draw(struct ui *u, void *st)
{
	struct settings *s = st;
	int w[4];
	columns(u, w);
	draw_text(2, 2, u->cols - 4, THEME_TITLE, tr(T_HCT_SETTINGS));
	draw_fill(3, 0, u->cols, THEME_TITLE);
	const enum i18n_id titles[4] = {T_DEVICE, T_SUPPLIER, T_IN_USE, T_ORDERING};
	for (int i = 0, x = 2; i < 4; x += w[i] + 1, i++)
		draw_cell(3, x, w[i], THEME_TITLE, tr(titles[i]));
	u->cur_y = 4;
	u->cur_x = 0;
	s->list.height = u->rows - 4 - 3;
	list_clamp(&s->list);
	for (size_t i = s->list.top; i < s->ndtypes && 4 + (int)(i - s->list.top) < u->rows - 3; i++)
		draw_row(u, &s->dtypes[i], 4 + (int)(i - s->list.top), i == s->list.sel, w);
}

/* Switch in use or ordering of the selected type. */
static void toggle(struct ui *u, struct settings *s, enum action a)
{
	const struct m_device_type *d = s->list.sel < s->ndtypes ? &s->dtypes[s->list.sel] : NULL;
	if (!d)
		return;
	if (!ui_may(u, TASK_HCT_SETTINGS_EDIT)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		return;
	}
	ui_status(u, THEME_STATUS_WARN, "%s", tr(T_SENDING));
	if (a == ACT_TOGGLE_USE)
		s->req = app_set_device_type(u->app, d->id, !d->in_use, d->in_use ? false : d->ordering);
	else
		s->req = app_set_device_type(u->app, d->id, d->ordering ? d->in_use : true, !d->ordering);
}

static int settings_key(struct ui *u, void *st, struct key k, enum action a)
{
	(void)k;
	struct settings *s = st;
	if (list_nav(&s->list, a))
		return R_HANDLED;
	switch (a) {
	case ACT_TOGGLE_USE:
	case ACT_TOGGLE_ORDERING:
		toggle(u, s, a);
		return R_HANDLED;
	case ACT_CANCEL:
		return u->depth > 1 ? R_POP : R_HANDLED;
	case ACT_QUIT:
		/* The first screen of an area: q stops zorgterm, as on the client list. */
		return u->depth > 1 ? R_POP : R_QUIT;
	default:
		return R_NONE;
	}
}

static const enum action *settings_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_TOGGLE_USE, ACT_TOGGLE_ORDERING, ACT_HELP, ACT_COMMAND, ACT_LOGOUT, ACT_QUIT,
									 ACT_NONE};
	return h;
}

static bool settings_may(const struct ui *u, const void *st, enum action a)
{
	(void)st;
	if (a == ACT_TOGGLE_USE || a == ACT_TOGGLE_ORDERING)
		return ui_has(u, TASK_HCT_SETTINGS_EDIT);
	return true;
}

const struct screen screen_hct_settings = {
	.name = "beheer",
	.title = T_HCT_SETTINGS,
	.ctx = CTX_SETTINGS,
	.events = APP_EV_HCT | APP_EV_OP,
	.open = settings_open,
	.close = settings_close,
	.reload = settings_reload,
	.draw = settings_draw,
	.key = settings_key,
	.hints = settings_hints,
	.may = settings_may,
};
