/* The forms of home-care technology: ordering (kept as a local draft while typed and sent
 * with an idempotency key; the draft can be thrown away), registering a device, starting
 * use, ending a registration. Dates are typed and shown as dd-mm-jjjj. */
#include "client/drafts.h"
#include "client/views.h"
#include "common/dutch.h"
#include "common/valid.h"
#include "draw.h"
#include "screens/hct_common.h"
#include "ui.h"
#include "widgets/form.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	F_DEVICE = 1, F_H_CLIENT, F_NAME, F_NUMBER, F_BIRTH, F_H_DELIVERY, F_ADDRESS, F_STREET, F_HNR,
	F_EXT, F_POSTCODE, F_CITY, F_H_ORDERER, F_ORDERER, F_TEAM, F_EMAIL, F_PHONE, F_SERIAL, F_START,
	F_END, F_SUBMIT
};

/* The wire names of the fields, for the server's invalid_params. */
static const struct {
	const char *wire;
	int id;
} wire_fields[] = {
	{"device_type_id", F_DEVICE},	 {"delivery", F_ADDRESS},
	{"delivery.address_id", F_ADDRESS}, {"delivery.street", F_STREET},
	{"delivery.house_number", F_HNR}, {"delivery.house_number_ext", F_EXT},
	{"delivery.postcode", F_POSTCODE}, {"delivery.city", F_CITY},
	{"orderer", F_TEAM},			 {"orderer.team_id", F_TEAM},
	{"orderer.email", F_EMAIL},		 {"orderer.phone", F_PHONE},
	{"serial", F_SERIAL},			 {"start_date", F_START},
	{"end_date", F_END},
};

struct hct_form {
	enum hct_form_kind kind;
	int64_t id; /* the client (order, registration), order (start use) or registration (end) */
	struct form form;
	struct m_order_draft draft;
	struct m_team *teams; /* for the orderer's team choice and its contact details */
	size_t nteams;
	struct m_device_type *dtypes;
	size_t ndtypes;
	uint64_t req; /* the request sending the form, 0 when none */
};

/* Today as YYYY-MM-DD (local time). */
static void today(char out[16])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* Set a field's text. */
static void set_text(struct ffield *f, const char *s)
{
	if (f)
		snprintf(f->text, sizeof f->text, "%s", s ? s : "");
}

/* Select the choice with id, if present. */
static void choose_id(struct ffield *f, int64_t id)
{
	for (size_t i = 0; f && i < f->nchoices; i++)
		if (f->choice_ids[i] == id)
			f->choice = i;
}

/* The id of the chosen option (0 when there are none). */
static int64_t chosen(const struct ffield *f)
{
	return f && f->nchoices ? f->choice_ids[f->choice] : 0;
}

/* Show the alternative-address fields only when that option is chosen. */
static void sync_visibility(struct form *fm)
{
	struct ffield *a = form_get(fm, F_ADDRESS);
	bool alt = a && chosen(a) == 0;
	int ids[] = {F_STREET, F_HNR, F_EXT, F_POSTCODE, F_CITY};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct ffield *f = form_get(fm, ids[i]);
		if (f)
			f->hidden = !alt;
	}
}

/* Fill e-mail and phone from the team, unless the user typed something of their own. */
static void team_contact(struct hct_form *s, int64_t old_team, int64_t new_team)
{
	struct ffield *em = form_get(&s->form, F_EMAIL), *ph = form_get(&s->form, F_PHONE);
	for (size_t i = 0; i < s->nteams; i++) {
		const struct m_team *t = &s->teams[i];
		if (t->id == old_team) {
			if (em && t->email && strcmp(em->text, t->email) == 0)
				em->text[0] = '\0';
			if (ph && t->phone && strcmp(ph->text, t->phone) == 0)
				ph->text[0] = '\0';
		}
	}
	for (size_t i = 0; i < s->nteams; i++) {
		if (s->teams[i].id == new_team) {
			if (em && !em->text[0])
				set_text(em, s->teams[i].email);
			if (ph && !ph->text[0])
				set_text(ph, s->teams[i].phone);
		}
	}
}

/* Copy src into dst of size n, cut at a code-point boundary when too long. */
static void copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Copy the order form into the draft and keep it on disk. */
static void save_draft(struct ui *u, struct hct_form *s)
{
	struct form *fm = &s->form;
	struct m_order_draft *d = &s->draft;
	d->device_type_id = chosen(form_get(fm, F_DEVICE));
	d->address_id = chosen(form_get(fm, F_ADDRESS));
	copy_text(d->street, sizeof d->street, form_get(fm, F_STREET)->text);
	copy_text(d->house_number, sizeof d->house_number, form_get(fm, F_HNR)->text);
	copy_text(d->house_number_ext, sizeof d->house_number_ext, form_get(fm, F_EXT)->text);
	copy_text(d->postcode, sizeof d->postcode, form_get(fm, F_POSTCODE)->text);
	copy_text(d->city, sizeof d->city, form_get(fm, F_CITY)->text);
	d->team_id = chosen(form_get(fm, F_TEAM));
	copy_text(d->email, sizeof d->email, form_get(fm, F_EMAIL)->text);
	copy_text(d->phone, sizeof d->phone, form_get(fm, F_PHONE)->text);
	draft_save(u->app->state_dir, u->app->profile, d);
}

/* True when t is a serial number: letters, digits and . _ , - and space, at most 50. */
static bool serial_ok(const char *t)
{
	bool ok = *t && strlen(t) <= 50;
	for (const char *p = t; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			 strchr("_., -", *p);
	return ok;
}

/* The error of a text field of the address or orderer, or 0 when it is fine. */
static enum i18n_id text_error(struct ffield *f)
{
	const char *t = f->text;
	char norm[16], ph[16];
	char *end = NULL;
	long n;
	switch (f->id) {
	case F_STREET:
	case F_CITY:
		return valid_text(t, f->maxlen, true) ? 0 : T_E_REQUIRED;
	case F_HNR:
		n = strtol(t, &end, 10);
		return !*t || *end || n < 1 || n > 99999 ? T_E_HOUSE_NUMBER : 0;
	case F_EXT:
		return valid_text(t, 10, false) ? 0 : T_E_TOO_LONG;
	case F_POSTCODE:
		if (!valid_postcode(t, norm))
			return T_E_POSTCODE;
		set_text(f, norm);
		return 0;
	case F_EMAIL:
		return valid_email(t) ? 0 : T_E_EMAIL;
	case F_PHONE:
		return valid_phone(t, ph) ? 0 : T_E_PHONE;
	case F_SERIAL:
		return serial_ok(t) ? 0 : T_E_SERIAL;
	case F_ADDRESS:
		return f->nchoices ? 0 : T_E_NO_ACTIVE;
	default:
		return 0;
	}
}

/* Check one field as the user leaves it (or on submit); sets its error. */
static void check_field(struct ffield *f)
{
	f->error[0] = '\0';
	if (f->hidden)
		return;
	char iso[11];
	if (f->id == F_START || f->id == F_END) {
		form_date(f, f->id == F_START, iso);
		return;
	}
	enum i18n_id e = text_error(f);
	if (e)
		snprintf(f->error, sizeof f->error, "%s", tr(e));
}

/* Check every field; true when all are fine. Focuses the first bad one. */
static bool check_all(struct form *fm)
{
	bool ok = true;
	for (size_t i = 0; i < fm->n; i++) {
		check_field(&fm->f[i]);
		if (fm->f[i].error[0] && ok) {
			ok = false;
			fm->focus = i;
		}
	}
	struct ffield *s = form_get(fm, F_START), *e = form_get(fm, F_END);
	char si[11], ei[11];
	if (ok && s && e && form_date(s, true, si) && form_date(e, false, ei) && *ei && strcmp(ei, si) < 0) {
		snprintf(e->error, sizeof e->error, "%s", tr(T_E_END_BEFORE));
		ok = false;
	}
	return ok;
}

/* The order form's fields: device, the client's data, delivery, orderer. */
static void order_fields(struct ui *u, struct hct_form *s)
{
	struct form *fm = &s->form;
	const struct m_client *c = &u->app->detail;
	struct ffield *f = form_add(fm, FK_CHOICE, F_DEVICE, tr(T_DEVICE));
	for (size_t i = 0; i < s->ndtypes; i++)
		if (s->dtypes[i].in_use && s->dtypes[i].ordering)
			form_choice(f, s->dtypes[i].name, s->dtypes[i].id);
	form_add(fm, FK_HEADING, F_H_CLIENT, tr(T_CLIENT_DATA));
	set_text(form_add(fm, FK_INFO, F_NAME, tr(T_NAME)), c->name);
	set_text(form_add(fm, FK_INFO, F_NUMBER, tr(T_NUMBER)), c->client_number);
	char birth[16];
	set_text(form_add(fm, FK_INFO, F_BIRTH, tr(T_BIRTH)), nl_date(c->birth_date, birth));
	form_add(fm, FK_HEADING, F_H_DELIVERY, tr(T_DELIVERY));
	f = form_add(fm, FK_CHOICE, F_ADDRESS, tr(T_ADDRESS_CHOICE));
	for (size_t i = 0; i < c->naddresses; i++) {
		const struct m_address *ad = &c->addresses[i];
		if (!ad->active)
			continue;
		char text[256];
		snprintf(text, sizeof text, "%s %lld%s%s, %s %s", ad->street, (long long)ad->house_number,
				 *ad->house_number_ext ? " " : "", ad->house_number_ext, ad->postcode, ad->city);
		form_choice(f, text, ad->id);
	}
	form_choice(f, tr(T_ALT_ADDRESS), 0);
	form_add(fm, FK_TEXT, F_STREET, tr(T_STREET))->maxlen = 100;
	form_add(fm, FK_TEXT, F_HNR, tr(T_HOUSE_NUMBER))->maxlen = 5;
	form_add(fm, FK_TEXT, F_EXT, tr(T_HOUSE_EXT))->maxlen = 10;
	form_add(fm, FK_TEXT, F_POSTCODE, tr(T_POSTCODE))->maxlen = 7;
	form_add(fm, FK_TEXT, F_CITY, tr(T_CITY))->maxlen = 80;
	form_add(fm, FK_HEADING, F_H_ORDERER, tr(T_ORDERER));
	set_text(form_add(fm, FK_INFO, F_ORDERER, tr(T_NAME)), u->app->me.name);
	f = form_add(fm, FK_CHOICE, F_TEAM, tr(T_TEAM));
	for (size_t i = 0; i < s->nteams; i++)
		form_choice(f, s->teams[i].name, s->teams[i].id);
	form_add(fm, FK_TEXT, F_EMAIL, tr(T_TEAM_EMAIL))->maxlen = 254;
	form_add(fm, FK_TEXT, F_PHONE, tr(T_TEAM_PHONE))->maxlen = 20;
	form_add(fm, FK_BUTTON, F_SUBMIT, tr(T_SUBMIT_ORDER));
}

/* Build the order form for the client, restoring a draft when there is one. */
static void build_order_form(struct ui *u, struct hct_form *s)
{
	struct form *fm = &s->form;
	struct app *a = u->app;
	order_fields(u, s);
	struct m_order_draft *d = &s->draft;
	if (draft_load(a->state_dir, a->profile, s->id, d)) {
		choose_id(form_get(fm, F_DEVICE), d->device_type_id);
		choose_id(form_get(fm, F_ADDRESS), d->address_id);
		set_text(form_get(fm, F_STREET), d->street);
		set_text(form_get(fm, F_HNR), d->house_number);
		set_text(form_get(fm, F_EXT), d->house_number_ext);
		set_text(form_get(fm, F_POSTCODE), d->postcode);
		set_text(form_get(fm, F_CITY), d->city);
		choose_id(form_get(fm, F_TEAM), d->team_id);
		set_text(form_get(fm, F_EMAIL), d->email);
		set_text(form_get(fm, F_PHONE), d->phone);
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_DRAFT_HINT));
	} else {
		memset(d, 0, sizeof *d);
		d->client_id = s->id;
		draft_new_key(d->idem_key);
		choose_id(form_get(fm, F_TEAM), a->me.team_id);
		team_contact(s, 0, chosen(form_get(fm, F_TEAM)));
		ui_status_clear(u);
	}
	sync_visibility(fm);
}

/* The other forms: registering, starting use, ending. */
static void build_other_form(struct ui *u, struct hct_form *s)
{
	struct form *fm = &s->form;
	char d[16];
	today(d);
	if (s->kind == HCT_FORM_REG) {
		struct ffield *f = form_add(fm, FK_CHOICE, F_DEVICE, tr(T_DEVICE));
		for (size_t i = 0; i < s->ndtypes; i++)
			if (s->dtypes[i].in_use)
				form_choice(f, s->dtypes[i].name, s->dtypes[i].id);
		form_add(fm, FK_TEXT, F_SERIAL, tr(T_SERIAL))->maxlen = 50;
		form_set_date(form_add(fm, FK_DATE, F_START, tr(T_START_DATE)), d);
		form_add(fm, FK_DATE, F_END, tr(T_END_DATE))->maxlen = 10;
	} else if (s->kind == HCT_FORM_START_USE) {
		struct m_order o;
		bool have = view_order(u->app, s->id, &o);
		set_text(form_add(fm, FK_INFO, F_DEVICE, tr(T_DEVICE)), have ? o.device_type_name : "");
		/* Prefilled with the supplier's serial number and today's date. */
		struct ffield *f = form_add(fm, FK_TEXT, F_SERIAL, tr(T_SERIAL));
		f->maxlen = 50;
		set_text(f, have ? o.device_identification_number : "");
		form_set_date(form_add(fm, FK_DATE, F_START, tr(T_START_DATE)), d);
		if (have)
			m_order_free(&o);
	} else {
		form_set_date(form_add(fm, FK_DATE, F_END, tr(T_END_DATE)), d);
	}
	form_get(fm, s->kind == HCT_FORM_END ? F_END : F_START)->maxlen = 10;
	form_add(fm, FK_BUTTON, F_SUBMIT, tr(T_SUBMIT_SAVE));
}

/* Build the form of s->kind. */
static void build(struct ui *u, struct hct_form *s)
{
	form_free(&s->form);
	if (s->kind == HCT_FORM_ORDER)
		build_order_form(u, s);
	else
		build_other_form(u, s);
	form_focus_first(&s->form);
}

static void *form_screen_open(struct ui *u, const struct nav_arg *arg)
{
	struct hct_form *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->kind = (enum hct_form_kind)arg->kind;
	s->id = arg->id;
	view_teams(u->app, &s->teams, &s->nteams);
	view_device_types(u->app, &s->dtypes, &s->ndtypes);
	build(u, s);
	return s;
}

static void form_screen_close(struct ui *u, void *st)
{
	(void)u;
	struct hct_form *s = st;
	form_free(&s->form);
	view_teams_free(&s->teams, &s->nteams);
	view_device_types_free(&s->dtypes, &s->ndtypes);
	free(s);
}

/* The title of the form shown. */
static const char *form_title(enum hct_form_kind k)
{
	switch (k) {
	case HCT_FORM_ORDER:
		return tr(T_FORM_ORDER);
	case HCT_FORM_REG:
		return tr(T_FORM_REG);
	case HCT_FORM_START_USE:
		return tr(T_FORM_START);
	default:
		return tr(T_FORM_END);
	}
}

static void form_screen_draw(struct ui *u, void *st)
{
	struct hct_form *s = st;
	draw_text(2, 2, u->cols - 4, THEME_TITLE, form_title(s->kind));
	draw_hline(3, 2, u->cols - 4, THEME_BORDER);
	form_draw(u, &s->form, 4, u->rows - 4 - 3);
}

/* Send the form. */
static void submit(struct ui *u, struct hct_form *s)
{
	struct form *fm = &s->form;
	if (!check_all(fm)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_FIX_FIELDS));
		return;
	}
	ui_status(u, THEME_STATUS_WARN, "%s", tr(T_SENDING));
	char start[11] = "", end[11] = "";
	struct ffield *fs = form_get(fm, F_START), *fe = form_get(fm, F_END);
	if (fs)
		form_date(fs, true, start);
	if (fe)
		form_date(fe, s->kind == HCT_FORM_END, end);
	switch (s->kind) {
	case HCT_FORM_ORDER:
		save_draft(u, s);
		s->req = app_place_order(u->app, &s->draft);
		break;
	case HCT_FORM_REG:
		s->req = app_add_registration(u->app, s->id, chosen(form_get(fm, F_DEVICE)),
									  form_get(fm, F_SERIAL)->text, start, end);
		break;
	case HCT_FORM_START_USE:
		s->req = app_start_use(u->app, s->id, form_get(fm, F_SERIAL)->text, start);
		break;
	case HCT_FORM_END:
		s->req = app_end_registration(u->app, s->id, end);
		break;
	}
}

static int form_screen_key(struct ui *u, void *st, struct key k, enum action a)
{
	(void)a;
	struct hct_form *s = st;
	struct form *fm = &s->form;
	if (app_request_busy(u->app, s->req)) {
		if (!k.is_keycode && k.code == 27)
			app_cancel(u->app); /* the draft and its key stay: a retry makes no second order */
		return R_HANDLED;
	}
	if (a == ACT_QUIT)
		return R_POP;
	int64_t old_team = chosen(form_get(fm, F_TEAM));
	size_t left = 0;
	switch (form_key(fm, k, &left)) {
	case FE_CANCEL:
		/* Leaving keeps the draft; it comes back when the form is opened again. */
		ui_status_clear(u);
		return R_POP;
	case FE_SUBMIT:
		submit(u, s);
		return R_HANDLED;
	case FE_LEAVE:
		check_field(&fm->f[left]);
		break;
	case FE_CHANGED:
		if (fm->f[fm->focus].id == F_TEAM)
			team_contact(s, old_team, chosen(form_get(fm, F_TEAM)));
		break;
	default:
		return R_HANDLED;
	}
	if (s->kind == HCT_FORM_ORDER) {
		sync_visibility(fm);
		save_draft(u, s);
	}
	return R_HANDLED;
}

/* Put the server's complaint about a field next to that field (in our own words). */
static void field_error(struct hct_form *s, const char *wire)
{
	for (size_t i = 0; i < sizeof wire_fields / sizeof wire_fields[0]; i++) {
		if (strcmp(wire_fields[i].wire, wire) != 0)
			continue;
		struct ffield *f = form_get(&s->form, wire_fields[i].id);
		if (!f)
			break;
		check_field(f);
		if (!f->error[0])
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_SERVER_FIELD));
		s->form.focus = (size_t)(f - s->form.f);
		return;
	}
}

/* The form's request answered: back on success, the reason on failure. */
static int form_screen_reload(struct ui *u, void *st, unsigned ev)
{
	(void)ev;
	struct hct_form *s = st;
	const struct app_request *q = ui_op_finished(u, &s->req);
	if (!q)
		return R_NONE;
	if (q->state == REQ_OK) {
		ui_status(u, THEME_STATUS_OK, "%s", tr(q->kind == OP_ORDER ? T_ORDER_PLACED : T_SAVED));
		return s->kind == HCT_FORM_END ? R_POP : nav_back_to(u, SID_HCT);
	}
	if (q->state != REQ_ERROR || q->status == 0)
		return R_NONE; /* cancelled, or the transport failed (already told) */
	if (q->field[0] && q->problem == PROB_INVALID) {
		field_error(s, q->field);
		ui_status(u, THEME_ERROR, "%s", tr(T_FIX_FIELDS));
	} else {
		ui_status(u, THEME_ERROR, "%s", ui_problem(q->problem));
	}
	return R_NONE;
}

static const enum action *form_screen_hints(const struct ui *u, const void *st)
{
	(void)u, (void)st;
	static const enum action h[] = {ACT_NEXT_FIELD, ACT_CANCEL, ACT_DISCARD_DRAFT, ACT_HELP, ACT_NONE};
	return h;
}

static bool form_screen_may(const struct ui *u, const void *st, enum action a)
{
	(void)u;
	const struct hct_form *s = st;
	if (a == ACT_DISCARD_DRAFT)
		return s->kind == HCT_FORM_ORDER;
	return true;
}

static const char *form_screen_confirm_text(const void *st, enum action a)
{
	(void)st;
	return a == ACT_DISCARD_DRAFT ? tr(T_CONFIRM_DISCARD) : NULL;
}

/* The draft is thrown away: the form starts afresh (with a new idempotency key). */
static int form_screen_confirmed(struct ui *u, void *st, enum action a)
{
	struct hct_form *s = st;
	if (a != ACT_DISCARD_DRAFT || s->kind != HCT_FORM_ORDER)
		return R_NONE;
	draft_delete(u->app->state_dir, u->app->profile, s->id);
	build(u, s);
	ui_status(u, THEME_STATUS_OK, "%s", tr(T_DRAFT_DISCARDED));
	return R_HANDLED;
}

const struct screen screen_hct_form = {
	.name = "formulier",
	.title = T_HCT,
	.ctx = CTX_FORM,
	.events = APP_EV_OP,
	.open = form_screen_open,
	.close = form_screen_close,
	.reload = form_screen_reload,
	.draw = form_screen_draw,
	.key = form_screen_key,
	.hints = form_screen_hints,
	.may = form_screen_may,
	.confirm_text = form_screen_confirm_text,
	.confirmed = form_screen_confirmed,
};
