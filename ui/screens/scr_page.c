/* An area that has no screens in zorgterm yet: says so, in Dutch, and offers the way out.
 * It is only reached for areas the user's tasks allow (see areas.c); with kind -1 it is the
 * page of a user whose tasks allow no part of zorgterm. */
#include "areas.h"
#include "draw.h"
#include "ui.h"

#include <stdlib.h>

struct page {
	int area;
};

static void *page_open(struct ui *u, const struct nav_arg *arg)
{
	(void)u;
	struct page *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->area = arg->kind >= 0 && arg->kind < AREA_COUNT ? arg->kind : -1; /* -1: no area at all */
	return s;
}

static void page_close(struct ui *u, void *st)
{
	(void)u;
	free(st);
}

static void page_draw(struct ui *u, void *st)
{
	struct page *s = st;
	draw_text(2, 2, u->cols - 4, THEME_TITLE, s->area >= 0 ? area_label(s->area) : tr(T_AREAS));
	draw_hline(3, 2, u->cols - 4, THEME_BORDER);
	draw_wrap(5, 2, u->cols - 4, 3, 0, THEME_MUTED, tr(s->area >= 0 ? T_NOT_YET : T_NO_AREAS));
	u->cur_y = 2;
	u->cur_x = 2;
}

static int page_key(struct ui *u, void *st, struct key k, enum action a)
{
	(void)st, (void)k;
	if (a == ACT_QUIT)
		return u->depth > 1 ? R_POP : R_QUIT;
	if (a == ACT_CANCEL && u->depth > 1)
		return R_POP;
	return R_NONE;
}

static const enum action *page_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_HELP, ACT_COMMAND, ACT_LOGOUT, ACT_QUIT, ACT_NONE};
	return h;
}

const struct screen screen_page = {
	.name = "pagina",
	.title = T_AREAS,
	.ctx = CTX_PAGE,
	.open = page_open,
	.close = page_close,
	.draw = page_draw,
	.key = page_key,
	.hints = page_hints,
};
