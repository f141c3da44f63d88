/* Ons Cliënt: one client's Caren page. The status (the seed's words with a symbol, in its
 * colour) comes from the replica's facts, so it turns by itself when the feed brings a
 * change (a redemption in the portal) and shows offline too; invitations and the link
 * history are fetched from the server (again whenever the facts change). Actions:
 * Uitnodigen (u), Brief opslaan (b) and afdrukken (p), Intrekken (i, asks first), Ontkoppel
 * account (o: a warning, a required reason, then j to confirm). */
#include "caren_common.h"
#include "client/views.h"
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"
#include "widgets/detail.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum unlink_step { UNLINK_NONE, UNLINK_REASON, UNLINK_CONFIRM };

struct caren_client {
	int64_t id;
	struct caren_view cv;
	bool fact_active;      /* the facts last seen, to notice a change */
	char fact_until[11];
	uint64_t page_req, op_req;
	enum app_op_kind op_kind;
	bool print_after;      /* print when the letter is saved */
	enum unlink_step unlink;
	struct field reason;
	struct detail d;
};

/* The facts of this client now; true when they differ from the ones last seen. */
static bool facts_changed(struct ui *u, struct caren_client *s)
{
	view_caren_free(&s->cv);
	view_caren(u->app, &s->cv);
	bool active = false;
	const char *until = "";
	for (size_t i = 0; i < s->cv.n; i++)
		if (s->cv.f[i].client_id == s->id) {
			active = s->cv.f[i].link_active;
			until = s->cv.f[i].valid_until;
		}
	bool changed = active != s->fact_active || strcmp(until, s->fact_until) != 0;
	s->fact_active = active;
	snprintf(s->fact_until, sizeof s->fact_until, "%s", until);
	return changed;
}

static void fetch(struct ui *u, struct caren_client *s)
{
	if (u->app->conn != CONN_OFFLINE && !app_request_busy(u->app, s->page_req))
		s->page_req = app_caren_page(u->app, s->id);
}

static void *cc_open(struct ui *u, const struct nav_arg *arg)
{
	if (u->app->me.username && !ui_has(u, TASK_CAREN_LINK_VIEW)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_NO_TASK));
		return NULL;
	}
	struct caren_client *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->id = arg->id;
	detail_init(&s->d);
	facts_changed(u, s);
	if (u->app->caren.client_id != s->id)
		m_caren_page_free(&u->app->caren);
	fetch(u, s);
	return s;
}

static void cc_close(struct ui *u, void *st)
{
	(void)u;
	struct caren_client *s = st;
	view_caren_free(&s->cv);
	detail_free(&s->d);
	field_clear(&s->reason);
	free(s);
}

/* The newest OPEN invitation of the page shown, or NULL. */
static const struct m_caren_invitation *open_invitation(const struct ui *u, const struct caren_client *s)
{
	const struct m_caren_page *p = &u->app->caren;
	if (p->client_id != s->id)
		return NULL;
	for (size_t i = 0; i < p->ninv; i++)
		if (strcmp(p->inv[i].state, "OPEN") == 0)
			return &p->inv[i];
	return NULL;
}

static void fill_detail(struct ui *u, struct caren_client *s);

/* Say how our own request ended. */
static void op_finished(struct ui *u, struct caren_client *s, const struct app_request *q)
{
	if (q->state == REQ_ERROR) {
		ui_status(u, THEME_ERROR, "%s", ui_problem(q->problem));
		return;
	}
	char date[40];
	switch (q->kind) {
	case OP_CAREN_INVITE:
		ui_status(u, THEME_STATUS_OK, tr(T_CAREN_INVITED),
				  nl_date_long(u->app->caren_valid_until, date));
		break;
	case OP_CAREN_REVOKE:
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_CAREN_REVOKED));
		break;
	case OP_CAREN_UNLINK:
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_CAREN_UNLINKED));
		break;
	case OP_CAREN_LETTER:
		if (s->print_after && !u->app->cfg->print_command)
			ui_status(u, THEME_STATUS_WARN, tr(T_CAREN_NO_PRINTER), u->app->caren_letter);
		else if (s->print_after && !app_caren_print(u->app, u->app->caren_letter))
			ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_PRINT_FAILED));
		else if (s->print_after)
			ui_status(u, THEME_STATUS_WARN, "%s", tr(T_CAREN_PRINTING));
		else
			ui_status(u, THEME_STATUS_OK, tr(T_CAREN_LETTER_SAVED), u->app->caren_letter);
		break;
	default:
		break;
	}
}

/* The print command of a saved letter ended: say how, once. */
static void print_finished(struct ui *u)
{
	struct app *a = u->app;
	if (a->print_state == PRINT_OK)
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_CAREN_PRINTED));
	else if (a->print_state == PRINT_FAILED)
		ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_PRINT_FAILED));
	if (a->print_state == PRINT_OK || a->print_state == PRINT_FAILED)
		a->print_state = PRINT_IDLE;
}

static int cc_reload(struct ui *u, void *st, unsigned ev)
{
	struct caren_client *s = st;
	bool changed = (ev & (APP_EV_CAREN | APP_EV_SESSION)) && facts_changed(u, s);
	const struct app_request *q = app_request(u->app, s->op_req);
	if ((ev & APP_EV_OP) && q && q->state != REQ_BUSY && s->op_kind != OP_NONE) {
		s->op_kind = OP_NONE;
		/* Writes change the page: fetch it first, then say what happened. */
		if (q->kind != OP_CAREN_LETTER && q->state == REQ_OK)
			s->page_req = app_caren_page(u->app, s->id);
		op_finished(u, s, q);
	}
	if (changed || ((ev & APP_EV_CONN) && u->app->conn == CONN_ONLINE &&
					u->app->caren.client_id != s->id))
		fetch(u, s);
	if ((ev & APP_EV_CAREN) && u->app->caren.client_id == s->id)
		fill_detail(u, s);
	print_finished(u);
	u->dirty = true;
	return R_NONE;
}

/* The status line of the page: the page's when it is current, else the replica's. */
static struct caren_link_status status_now(const struct ui *u, const struct caren_client *s)
{
	(void)u;
	return view_caren_status(&s->cv, s->id, (int64_t)time(NULL));
}

/* Invitations and link history into the detail pane. */
static void fill_detail(struct ui *u, struct caren_client *s)
{
	const struct m_caren_page *p = &u->app->caren;
	detail_clear(&s->d);
	char v[600], a1[32], a2[32], a3[32];
	detail_add(&s->d, tr(T_CAREN_INVITATIONS), p->ninv ? "" : tr(T_CAREN_NONE_INV), THEME_TITLE);
	for (size_t i = 0; i < p->ninv; i++) {
		const struct m_caren_invitation *in = &p->inv[i];
		enum caren_invitation_state st = CAREN_INV_OPEN;
		caren_inv_state_parse(in->state, &st);
		int n = snprintf(v, sizeof v, tr(T_CAREN_INV_VALUE), nl_date(in->valid_until, a1),
						 nl_datetime(in->created_at, a2), in->created_by ? in->created_by : "");
		if (in->closed_by && n > 0 && (size_t)n < sizeof v)
			snprintf(v + n, sizeof v - (size_t)n, tr(T_CAREN_INV_CLOSED), in->closed_by);
		detail_add(&s->d, caren_inv_state_nl(st), v,
				   st == CAREN_INV_OPEN ? THEME_STATUS_WARN : THEME_NORMAL);
	}
	detail_add(&s->d, tr(T_CAREN_LINKS), p->nlinks ? "" : tr(T_CAREN_NONE_LINKS), THEME_TITLE);
	for (size_t i = 0; i < p->nlinks; i++) {
		const struct m_caren_link *l = &p->links[i];
		if (!l->ended_at[0]) {
			snprintf(v, sizeof v, tr(T_CAREN_LINK_SINCE), nl_datetime(l->started_at, a1));
			detail_add(&s->d, tr(T_CAREN_LINK_ACTIVE), v, THEME_STATUS_OK);
			continue;
		}
		snprintf(v, sizeof v, tr(T_CAREN_LINK_VALUE), nl_datetime(l->started_at, a1),
				 nl_datetime(l->ended_at, a3), l->ended_by ? l->ended_by : "",
				 l->end_reason ? l->end_reason : "-");
		detail_add(&s->d, tr(T_CAREN_LINK_ENDED), v, THEME_NORMAL);
	}
}

/* The unlink dialog: the warning, the reason, then the question. */
static void draw_unlink(struct ui *u, struct caren_client *s)
{
	int w = u->cols - 8, x = 4, h = 12, y = (u->rows - h) / 2;
	for (int r = 0; r < h; r++)
		draw_fill(y + r, x, w, THEME_NORMAL);
	draw_box(y, x, h, w, THEME_BORDER, keys_label(ACT_UNLINK));
	int row = y + 1;
	row += draw_wrap(row, x + 2, w - 4, 5, 0, THEME_STATUS_WARN, tr(T_CAREN_UNLINK_WARN)) + 1;
	char label[64];
	snprintf(label, sizeof label, "%s: ", tr(T_CAREN_REASON));
	int lx = x + 2 + draw_text(row, x + 2, 20, THEME_TITLE, label);
	draw_fill(row, lx, w - (lx - x) - 2, THEME_INPUT_FOCUS);
	int tw = draw_text(row, lx, w - (lx - x) - 2, THEME_INPUT_FOCUS, s->reason.text);
	u->cur_y = row;
	u->cur_x = lx + tw;
	row += 2;
	if (s->unlink == UNLINK_CONFIRM)
		draw_wrap(row, x + 2, w - 4, 2, 0, THEME_ERROR, tr(T_CAREN_UNLINK_Q));
	else
		draw_text(row, x + 2, w - 4, THEME_MUTED, tr(T_CAREN_REASON_HINT));
}

static void cc_draw(struct ui *u, void *st)
{
	struct caren_client *s = st;
	struct app *a = u->app;
	struct client_names nm;
	clients_names(&a->clients, s->id, &nm);
	char title[320], cell[96];
	snprintf(title, sizeof title, "%s (%s)", nm.name, nm.number);
	draw_text(2, 2, u->cols - 4, THEME_TITLE, title);
	draw_hline(3, 2, u->cols - 4, THEME_BORDER);
	struct caren_link_status ls = status_now(u, s);
	enum theme_slot slot;
	caren_cell(ls.status, ls.days_left, cell, sizeof cell, &slot);
	int lw = draw_text(4, 2, 20, THEME_MUTED, tr(T_CAREN_STATUS));
	draw_text(4, 4 + (lw > 16 ? lw : 16), u->cols - 22, slot, cell);
	u->cur_y = 4;
	u->cur_x = 2;
	struct wgt_rect r = {6, 2, u->rows - 9, u->cols - 4};
	if (a->caren.client_id == s->id) {
		detail_draw(&s->d, r, THEME_NORMAL);
	} else {
		draw_wrap(6, 2, u->cols - 4, 3, 0, a->conn == CONN_OFFLINE ? THEME_STATUS_BAD : THEME_STATUS_WARN,
				  a->conn == CONN_OFFLINE ? tr(T_CAREN_OFFLINE) : tr(T_CAREN_LOADING));
	}
	if (s->unlink != UNLINK_NONE)
		draw_unlink(u, s);
}

/* Start request id of kind (remembered so that only its answer is acted on). */
static int started(struct caren_client *s, uint64_t id, enum app_op_kind kind)
{
	s->op_req = id;
	s->op_kind = kind;
	return R_HANDLED;
}

/* Keys of the unlink dialog (a typing context: letters go into the reason). */
static int unlink_key(struct ui *u, struct caren_client *s, struct key k, enum action a)
{
	if (a == ACT_CANCEL || (s->unlink == UNLINK_CONFIRM && !k.is_keycode && k.code == 'n')) {
		s->unlink = s->unlink == UNLINK_CONFIRM ? UNLINK_REASON : UNLINK_NONE;
		return R_HANDLED;
	}
	if (s->unlink == UNLINK_CONFIRM) {
		if (!k.is_keycode && (k.code == 'j' || k.code == 'J')) {
			s->unlink = UNLINK_NONE;
			started(s, app_caren_unlink(u->app, s->id, s->reason.text), OP_CAREN_UNLINK);
			field_clear(&s->reason);
		}
		return R_HANDLED;
	}
	if (a == ACT_OPEN || (!k.is_keycode && (k.code == '\r' || k.code == '\n'))) {
		bool blank = true;
		for (const char *p = s->reason.text; *p; p++)
			blank = blank && (*p == ' ' || *p == '\t');
		if (blank)
			ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_REASON_NEEDED));
		else
			s->unlink = UNLINK_CONFIRM;
		return R_HANDLED;
	}
	field_key(&s->reason, k);
	return R_HANDLED;
}

/* True when the user may do action a here (task), else said on the status line. */
static bool allowed(struct ui *u, enum action a)
{
	enum task_id t = a == ACT_REVOKE || a == ACT_UNLINK ? TASK_CAREN_LINK_EDIT
													   : TASK_CAREN_INVITE_CREATE;
	if (ui_may(u, t))
		return true;
	ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
	return false;
}

static int letter(struct ui *u, struct caren_client *s, bool print)
{
	const struct m_caren_invitation *in = open_invitation(u, s);
	if (!in) {
		ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_NO_OPEN));
		return R_HANDLED;
	}
	s->print_after = print;
	return started(s, app_caren_letter(u->app, in->id, s->id), OP_CAREN_LETTER);
}

static int cc_key(struct ui *u, void *st, struct key k, enum action a)
{
	struct caren_client *s = st;
	if (s->unlink != UNLINK_NONE)
		return unlink_key(u, s, k, a);
	if ((a == ACT_INVITE || a == ACT_LETTER || a == ACT_PRINT || a == ACT_UNLINK) && !allowed(u, a))
		return R_HANDLED;
	switch (a) {
	case ACT_INVITE:
		return started(s, app_caren_invite(u->app, s->id), OP_CAREN_INVITE);
	case ACT_LETTER:
		return letter(u, s, false);
	case ACT_PRINT:
		return letter(u, s, true);
	case ACT_UNLINK:
		if (status_now(u, s).status != CAREN_ACTIVE && !s->fact_active) {
			ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_NO_LINK));
			return R_HANDLED;
		}
		field_clear(&s->reason);
		s->unlink = UNLINK_REASON;
		return R_HANDLED;
	case ACT_UP:
	case ACT_DOWN:
		detail_scroll(&s->d, a == ACT_UP ? DETAIL_UP : DETAIL_DOWN);
		return R_HANDLED;
	case ACT_CANCEL:
	case ACT_QUIT:
		return R_POP;
	default:
		return R_NONE;
	}
}

static const char *cc_confirm_text(const void *st, enum action a)
{
	(void)st;
	return a == ACT_REVOKE ? tr(T_CAREN_REVOKE_Q) : NULL;
}

static int cc_confirmed(struct ui *u, void *st, enum action a)
{
	struct caren_client *s = st;
	if (a != ACT_REVOKE || !allowed(u, a))
		return R_HANDLED;
	const struct m_caren_invitation *in = open_invitation(u, s);
	if (!in) {
		ui_status(u, THEME_ERROR, "%s", tr(T_CAREN_NO_OPEN));
		return R_HANDLED;
	}
	return started(s, app_caren_revoke(u->app, in->id), OP_CAREN_REVOKE);
}

static enum key_ctx cc_mode(const void *st)
{
	const struct caren_client *s = st;
	return s->unlink != UNLINK_NONE ? CTX_FORM : CTX_CAREN;
}

static const enum action *cc_hints(const struct ui *u, const void *st)
{
	(void)u;
	static const enum action page[] = {ACT_HELP,   ACT_INVITE, ACT_LETTER, ACT_PRINT, ACT_REVOKE,
									   ACT_UNLINK, ACT_QUIT,   ACT_NONE};
	static const enum action dialog[] = {ACT_CANCEL, ACT_NONE};
	const struct caren_client *s = st;
	return s->unlink != UNLINK_NONE ? dialog : page;
}

static bool cc_may(const struct ui *u, const void *st, enum action a)
{
	const struct caren_client *s = st;
	bool invite = ui_has(u, TASK_CAREN_INVITE_CREATE), edit = ui_has(u, TASK_CAREN_LINK_EDIT);
	bool open = open_invitation(u, s) != NULL;
	switch (a) {
	case ACT_INVITE:
		return invite;
	case ACT_LETTER:
		return invite && open;
	case ACT_PRINT:
		return invite && open && u->app->cfg->print_command;
	case ACT_REVOKE:
		return edit && open;
	case ACT_UNLINK:
		return edit && s->fact_active;
	default:
		return true;
	}
}

static bool cc_copy(const struct ui *u, const void *st, const char **what, const char **text)
{
	const struct caren_client *s = st;
	const struct client_row *r = clients_get(&u->app->clients, s->id);
	*what = tr(T_WHAT_CLIENT_NUMBER);
	*text = r ? clients_number(&u->app->clients, r) : NULL;
	return r != NULL;
}

const struct screen screen_caren_client = {
	.name = "caren",
	.title = T_CAREN_CLIENT,
	.ctx = CTX_CAREN,
	.events = APP_EV_CAREN | APP_EV_OP | APP_EV_CONN | APP_EV_SESSION | APP_EV_CLIENTS,
	.open = cc_open,
	.close = cc_close,
	.reload = cc_reload,
	.draw = cc_draw,
	.key = cc_key,
	.hints = cc_hints,
	.may = cc_may,
	.mode = cc_mode,
	.confirm_text = cc_confirm_text,
	.confirmed = cc_confirmed,
	.copy = cc_copy,
};
