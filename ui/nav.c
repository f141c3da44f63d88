/* The navigation stack: screens opened on top of each other; back closes the top one. */
#include "ui.h"

#include "common/log.h"

#include <string.h>

struct nav_entry *nav_top(struct ui *u)
{
	return u->depth ? &u->nav[u->depth - 1] : NULL;
}

bool nav_push(struct ui *u, enum screen_id sid, const struct nav_arg *arg)
{
	const struct screen *s = screen_get(sid);
	if (!s || u->depth == NAV_MAX)
		return false;
	struct nav_arg none = {0, 0};
	void *st = s->open(u, arg ? arg : &none);
	if (!st)
		return false;
	u->nav[u->depth++] = (struct nav_entry){s, st};
	u->help = false;
	u->dirty = true;
	log_debug("screen %s opened (depth %zu)", s->name, u->depth);
	return true;
}

/* Close the top entry, whatever is below. */
static void nav_close_top(struct ui *u)
{
	struct nav_entry *e = &u->nav[--u->depth];
	e->scr->close(u, e->st);
	memset(e, 0, sizeof *e);
	u->dirty = true;
}

void nav_pop(struct ui *u)
{
	if (u->depth > 1)
		nav_close_top(u);
}

void nav_reset(struct ui *u, enum screen_id sid, int64_t id, int kind)
{
	while (u->depth)
		nav_close_top(u);
	struct nav_arg arg = {id, kind};
	if (nav_push(u, sid, &arg))
		return;
	/* Refused (the user's tasks do not allow it): a page that says so, never nothing. */
	struct nav_arg none = {0, -1};
	nav_push(u, SID_PAGE, &none);
}

int nav_to(struct ui *u, enum screen_id sid, int64_t id, int kind)
{
	u->pending = (struct nav_pending){true, sid, {id, kind}};
	return R_PUSH;
}

int nav_back_to(struct ui *u, enum screen_id sid)
{
	u->pending = (struct nav_pending){true, sid, {0, 0}};
	return R_POP;
}

void nav_apply(struct ui *u, int flags)
{
	struct nav_pending p = u->pending;
	u->pending.set = false;
	if (flags & R_QUIT) {
		u->quit = true;
		return;
	}
	if (flags & R_POP) {
		const struct screen *target = p.set ? screen_get(p.sid) : NULL;
		bool on_stack = false;
		for (size_t i = 0; target && i + 1 < u->depth; i++)
			on_stack |= u->nav[i].scr == target;
		if (!on_stack) {
			nav_pop(u);
		} else {
			while (u->depth > 1 && nav_top(u)->scr != target)
				nav_close_top(u);
		}
	}
	if ((flags & R_PUSH) && p.set)
		nav_push(u, p.sid, &p.arg);
	if (flags & (R_PUSH | R_POP))
		u->dirty = true;
}

enum key_ctx nav_ctx(const struct ui *u)
{
	if (!u->depth)
		return CTX_GLOBAL;
	const struct nav_entry *e = &u->nav[u->depth - 1];
	return e->scr->mode ? e->scr->mode(e->st) : e->scr->ctx;
}

bool nav_may(const struct ui *u, enum action a)
{
	if (!u->depth)
		return true;
	const struct nav_entry *e = &u->nav[u->depth - 1];
	return !e->scr->may || e->scr->may(u, e->st, a);
}
