/* Verstuur bericht: write a location message to all clients (from Berichten) or to one
 * location (from its page in Ons Cliënt) in the multi-line editor (64,000 characters, the
 * counter "1.234 / 64.000"), with the location named in the explanation. F2 first asks
 * the server how many clients and Caren users it would reach and shows that; j sends.
 * What is typed is a draft on disk with its idempotency key from the first keystroke on,
 * so it survives a crash, a quit and a lost connection, and a resend cannot send twice. */
#include "client/drafts.h"
#include "client/messages.h"
#include "common/dutch.h"
#include "draw.h"
#include "ui.h"
#include "widgets/editor.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msg_form {
	struct editor ed;
	struct m_message_draft draft; /* location and key; its text is the editor's */
	char target[160];             /* "Alle cliënten" or the location's name */
	bool confirming;              /* the audience is known: j sends, n goes back */
	uint64_t aud_req, send_req;
};

/* Write the editor's text to the draft file. */
static void save(struct ui *u, struct msg_form *s)
{
	struct app *a = u->app;
	char *text = editor_text(&s->ed);
	s->draft.text = text;
	message_draft_save(a->state_dir, a->profile, &s->draft);
	s->draft.text = NULL;
	free(text);
}

static void *form_open(struct ui *u, const struct nav_arg *arg)
{
	if (!ui_has(u, TASK_CAREN_MESSAGE_SEND)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
		return NULL;
	}
	struct msg_form *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	editor_init(&s->ed, EDITOR_MESSAGE_LIMIT);
	editor_paste_mode(true); /* a pasted text arrives as one insert, line breaks kept */
	int64_t loc = arg ? arg->id : 0;
	const char *name = loc > 0 ? ui_location_name(u, loc) : NULL;
	snprintf(s->target, sizeof s->target, "%s", loc > 0 ? (name ? name : "?") : tr(T_MSG_ALL));
	struct app *a = u->app;
	if (message_draft_load(a->state_dir, a->profile, loc, &s->draft)) {
		editor_set_text(&s->ed, s->draft.text);
		message_draft_free(&s->draft);
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_DRAFT_HINT));
	} else {
		s->draft.location_id = loc;
		draft_new_key(s->draft.key);
	}
	return s;
}

static void form_close(struct ui *u, void *st)
{
	(void)u;
	struct msg_form *s = st;
	editor_paste_mode(false);
	editor_free(&s->ed);
	message_draft_free(&s->draft);
	free(s);
}

/* The audience arrived: ask; or the send finished: back to the list. */
static int form_reload(struct ui *u, void *st, unsigned ev)
{
	struct msg_form *s = st;
	struct app *a = u->app;
	const struct app_request *q = app_request(a, s->aud_req);
	if ((ev & (APP_EV_OP | APP_EV_MESSAGES)) && q && q->state != REQ_BUSY) {
		s->aud_req = 0;
		if (q->state == REQ_OK && a->msg_aud_off) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_OFF));
		} else if (q->state == REQ_OK) {
			char c[32], p[32];
			s->confirming = true;
			ui_status(u, THEME_STATUS_WARN, tr(T_MSG_CONFIRM), nl_number(a->msg_aud_clients, c),
					  nl_number(a->msg_aud_users, p));
		} else if (q->state == REQ_ERROR) {
			ui_status(u, THEME_ERROR, "%s",
					  q->status == 409	 ? tr(T_MSG_OFF)
					  : q->status == 403 ? tr(T_MSG_SCOPE)
										 : ui_problem(q->problem));
		}
	}
	q = app_request(a, s->send_req);
	if (!(ev & (APP_EV_OP | APP_EV_MESSAGES)) || !q || q->state == REQ_BUSY)
		return R_NONE;
	s->send_req = 0;
	if (q->state == REQ_OK) {
		char n[32];
		ui_status(u, THEME_STATUS_OK, tr(T_MSG_SENT),
				  nl_number(a->msg_aud_clients + a->msg_aud_users, n));
		return R_POP;
	}
	if (q->state == REQ_ERROR) /* the draft and its key stay: sending again is safe */
		ui_status(u, THEME_ERROR, "%s", q->status == 409 ? tr(T_MSG_OFF) : ui_problem(q->problem));
	return R_NONE;
}

static void form_draw(struct ui *u, void *st)
{
	struct msg_form *s = st;
	char title[220], explain[320];
	snprintf(title, sizeof title, "%s: %s", tr(T_MSG_FORM), s->target);
	draw_text(2, 2, u->cols - 4, THEME_TITLE, title);
	if (s->draft.location_id > 0)
		snprintf(explain, sizeof explain, tr(T_MSG_EXPLAIN_LOC), s->target);
	else
		snprintf(explain, sizeof explain, "%s", tr(T_MSG_EXPLAIN_ALL));
	/* The explanation names the location: wrapped, never cut (at most three rows). */
	int used = draw_wrap(3, 2, u->cols - 4, 3, 0, THEME_NORMAL, explain);
	used = used > 0 ? used : 1;
	draw_text(3 + used, 2, u->cols - 4, THEME_MUTED, tr(T_MSG_FORM_HINT));
	int top = 5 + used;
	struct wgt_rect r = {top, 2, u->rows - 3 - top, u->cols - 4};
	if (r.h > 1)
		editor_draw(&s->ed, r, THEME_INPUT_FOCUS, !s->confirming);
	if (s->confirming)
		curs_set(0);
}

/* True when the text holds something besides spaces and line breaks. */
static bool has_text(const struct msg_form *s)
{
	char *t = editor_text(&s->ed);
	bool any = false;
	for (const char *p = t; *p && !any; p++)
		any = *p != ' ' && *p != '\n' && *p != '\t';
	free(t);
	return any;
}

/* j sends (with the draft's key), n or Esc goes back to writing. */
static int confirm_key(struct ui *u, struct msg_form *s, struct key k)
{
	if (!k.is_keycode && (k.code == 'j' || k.code == 'J' || k.code == 'y' || k.code == '\r')) {
		s->confirming = false;
		char *text = editor_text(&s->ed);
		s->draft.text = text;
		s->send_req = app_message_send(u->app, &s->draft);
		s->draft.text = NULL;
		free(text);
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_SENDING));
	} else if (!k.is_keycode && (k.code == 'n' || k.code == 'N' || k.code == 27)) {
		s->confirming = false;
		ui_status_clear(u);
	}
	return R_HANDLED;
}

static int form_key(struct ui *u, void *st, struct key k, enum action a)
{
	struct msg_form *s = st;
	if (s->confirming)
		return confirm_key(u, s, k);
	if (a == ACT_SEND) {
		if (!has_text(s)) {
			ui_status(u, THEME_ERROR, "%s", tr(T_MSG_EMPTY));
			return R_HANDLED;
		}
		save(u, s);
		s->aud_req = app_message_audience(u->app, s->draft.location_id);
		ui_status(u, THEME_STATUS_WARN, "%s", tr(T_MSG_COUNTING));
		return R_HANDLED;
	}
	if (a == ACT_CANCEL || a == ACT_QUIT) {
		if (has_text(s))
			save(u, s);
		return R_POP;
	}
	size_t before = editor_len(&s->ed);
	enum editor_result r = editor_key(&s->ed, k.code, k.is_keycode);
	if (r == EDITOR_IGNORED)
		return R_NONE;
	if (editor_len(&s->ed) != before || (!k.is_keycode && k.code != 27))
		save(u, s);
	return R_HANDLED;
}

static const enum action *form_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_SEND, ACT_DISCARD_DRAFT, ACT_CANCEL, ACT_HELP, ACT_NONE};
	return h;
}

static int form_confirmed(struct ui *u, void *st, enum action a)
{
	struct msg_form *s = st;
	if (a != ACT_DISCARD_DRAFT)
		return R_NONE;
	message_draft_delete(u->app->state_dir, u->app->profile, s->draft.location_id);
	editor_set_text(&s->ed, "");
	draft_new_key(s->draft.key);
	ui_status(u, THEME_STATUS_OK, "%s", tr(T_DRAFT_DISCARDED));
	return R_HANDLED;
}

const struct screen screen_msg_form = {
	.name = "bericht",
	.title = T_MSG_FORM,
	.ctx = CTX_FORM,
	.events = APP_EV_OP | APP_EV_MESSAGES,
	.open = form_open,
	.close = form_close,
	.reload = form_reload,
	.draw = form_draw,
	.key = form_key,
	.hints = form_hints,
	.confirmed = form_confirmed,
};
