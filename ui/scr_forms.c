/* The forms of home-care technology: ordering (kept as a local draft while typed and sent
 * with an idempotency key), registering a device, starting use, ending a registration. */
#include "client/drafts.h"
#include "client/replica.h"
#include "common/dutch.h"
#include "common/text.h"
#include "common/valid.h"
#include "draw.h"
#include "ui.h"

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
static void team_contact(struct ui *u, int64_t old_team, int64_t new_team)
{
	struct form *fm = &u->form;
	struct m_team *teams = u->teams;
	size_t nteams = u->nteams;
	struct ffield *em = form_get(fm, F_EMAIL), *ph = form_get(fm, F_PHONE);
	for (size_t i = 0; i < nteams; i++) {
		if (teams[i].id == old_team) {
			if (em && teams[i].email && strcmp(em->text, teams[i].email) == 0)
				em->text[0] = '\0';
			if (ph && teams[i].phone && strcmp(ph->text, teams[i].phone) == 0)
				ph->text[0] = '\0';
		}
	}
	for (size_t i = 0; i < nteams; i++) {
		if (teams[i].id == new_team) {
			if (em && !em->text[0])
				set_text(em, teams[i].email);
			if (ph && !ph->text[0])
				set_text(ph, teams[i].phone);
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
static void save_draft(struct ui *u)
{
	struct form *fm = &u->form;
	struct m_order_draft *d = &u->draft;
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

/* Check one field as the user leaves it (or on submit); sets its error. */
static void check_field(struct ffield *f)
{
	f->error[0] = '\0';
	if (f->hidden)
		return;
	const char *t = f->text;
	char norm[16];
	switch (f->id) {
	case F_STREET:
	case F_CITY:
		if (!valid_text(t, f->maxlen, true))
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_REQUIRED));
		break;
	case F_HNR: {
		char *end = NULL;
		long n = strtol(t, &end, 10);
		if (!*t || *end || n < 1 || n > 99999)
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_HOUSE_NUMBER));
		break;
	}
	case F_EXT:
		if (!valid_text(t, 10, false))
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_TOO_LONG));
		break;
	case F_POSTCODE:
		if (valid_postcode(t, norm))
			set_text(f, norm);
		else
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_POSTCODE));
		break;
	case F_EMAIL:
		if (!valid_email(t))
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_EMAIL));
		break;
	case F_PHONE: {
		char ph[16];
		if (!valid_phone(t, ph))
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_PHONE));
		break;
	}
	case F_SERIAL: {
		bool ok = *t && strlen(t) <= 50;
		for (const char *p = t; ok && *p; p++)
			ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
				 strchr("_., -", *p);
		if (!ok)
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_SERIAL));
		break;
	}
	case F_START:
		if (!valid_date(t))
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_DATE));
		break;
	case F_END:
		if (*t && !valid_date(t))
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_DATE));
		break;
	case F_ADDRESS:
		if (f->nchoices == 0)
			snprintf(f->error, sizeof f->error, "%s", tr(T_E_NO_ACTIVE));
		break;
	default:
		break;
	}
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
	if (ok && s && e && *e->text && strcmp(e->text, s->text) < 0) {
		snprintf(e->error, sizeof e->error, "%s", tr(T_E_END_BEFORE));
		ok = false;
	}
	return ok;
}

/* Build the order form for the client shown, restoring a draft when there is one. */
static void build_order_form(struct ui *u)
{
	struct form *fm = &u->form;
	struct app *a = u->app;
	const struct m_client *c = &a->detail;
	struct ffield *f = form_add(fm, FK_CHOICE, F_DEVICE, tr(T_DEVICE));
	for (size_t i = 0; i < u->ndtypes; i++)
		if (u->dtypes[i].in_use && u->dtypes[i].ordering)
			form_choice(f, u->dtypes[i].name, u->dtypes[i].id);
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
	set_text(form_add(fm, FK_INFO, F_ORDERER, tr(T_NAME)), a->me.name);
	f = form_add(fm, FK_CHOICE, F_TEAM, tr(T_TEAM));
	for (size_t i = 0; i < u->nteams; i++)
		form_choice(f, u->teams[i].name, u->teams[i].id);
	form_add(fm, FK_TEXT, F_EMAIL, tr(T_TEAM_EMAIL))->maxlen = 254;
	form_add(fm, FK_TEXT, F_PHONE, tr(T_TEAM_PHONE))->maxlen = 20;
	form_add(fm, FK_BUTTON, F_SUBMIT, tr(T_SUBMIT_ORDER));

	struct m_order_draft *d = &u->draft;
	u->draft_restored = draft_load(a->state_dir, a->profile, c->id, d);
	if (u->draft_restored) {
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
		ui_status(u, THEME_STATUS_OK, "%s", tr(T_DRAFT_RESTORED));
	} else {
		memset(d, 0, sizeof *d);
		d->client_id = c->id;
		draft_new_key(d->idem_key);
		choose_id(form_get(fm, F_TEAM), a->me.team_id);
		team_contact(u, 0, chosen(form_get(fm, F_TEAM)));
		u->status[0] = '\0';
	}
	sync_visibility(fm);
}

void forms_free(struct ui *u)
{
	form_free(&u->form);
	for (size_t i = 0; i < u->nteams; i++)
		m_team_free(&u->teams[i]);
	free(u->teams);
	u->teams = NULL;
	u->nteams = 0;
}

void forms_draft_notice(struct ui *u)
{
	if (!u->app->profile)
		return;
	int64_t *ids = NULL;
	size_t n = draft_list(u->app->state_dir, u->app->profile, &ids);
	if (n) {
		const struct client_row *r = clients_get(&u->app->clients, ids[0]);
		char who[200];
		snprintf(who, sizeof who, "%s %s", r ? r->number : "", r ? r->name : "");
		ui_status(u, THEME_STATUS_WARN, tr(T_DRAFT_WAITING), who);
	}
	free(ids);
}

void form_open(struct ui *u, enum form_kind kind)
{
	forms_free(u);
	if (u->app->rep)
		replica_teams(u->app->rep, &u->teams, &u->nteams);
	hct_reload(u);
	u->form_kind = kind;
	u->form_back = u->screen;
	struct form *fm = &u->form;
	char d[16];
	today(d);
	switch (kind) {
	case FORM_ORDER:
		build_order_form(u);
		break;
	case FORM_REG: {
		struct ffield *f = form_add(fm, FK_CHOICE, F_DEVICE, tr(T_DEVICE));
		for (size_t i = 0; i < u->ndtypes; i++)
			if (u->dtypes[i].in_use)
				form_choice(f, u->dtypes[i].name, u->dtypes[i].id);
		form_add(fm, FK_TEXT, F_SERIAL, tr(T_SERIAL))->maxlen = 50;
		set_text(form_add(fm, FK_TEXT, F_START, tr(T_START_DATE)), d);
		form_add(fm, FK_TEXT, F_END, tr(T_END_DATE))->maxlen = 10;
		form_add(fm, FK_BUTTON, F_SUBMIT, tr(T_SUBMIT_SAVE));
		break;
	}
	case FORM_START_USE: {
		const struct m_order *o = u->have_card_order ? &u->card_order : NULL;
		set_text(form_add(fm, FK_INFO, F_DEVICE, tr(T_DEVICE)), o ? o->device_type_name : "");
		/* Prefilled with the supplier's serial number and today's date. */
		struct ffield *s = form_add(fm, FK_TEXT, F_SERIAL, tr(T_SERIAL));
		s->maxlen = 50;
		set_text(s, o ? o->device_identification_number : "");
		set_text(form_add(fm, FK_TEXT, F_START, tr(T_START_DATE)), d);
		form_add(fm, FK_BUTTON, F_SUBMIT, tr(T_SUBMIT_SAVE));
		break;
	}
	case FORM_END:
		set_text(form_add(fm, FK_TEXT, F_END, tr(T_END_DATE)), d);
		form_add(fm, FK_BUTTON, F_SUBMIT, tr(T_SUBMIT_SAVE));
		break;
	}
	form_focus_first(fm);
	u->screen = SCR_FORM;
}

/* The title of the form shown. */
static const char *form_title(enum form_kind k)
{
	switch (k) {
	case FORM_ORDER:
		return tr(T_FORM_ORDER);
	case FORM_REG:
		return tr(T_FORM_REG);
	case FORM_START_USE:
		return tr(T_FORM_START);
	default:
		return tr(T_FORM_END);
	}
}

void form_screen_draw(struct ui *u)
{
	draw_text(2, 2, u->cols - 4, THEME_TITLE, form_title(u->form_kind));
	draw_hline(3, 2, u->cols - 4, THEME_BORDER);
	form_draw(u, &u->form, 4, u->rows - 4 - 3);
}

/* Send the form. */
static void submit(struct ui *u)
{
	struct form *fm = &u->form;
	if (!check_all(fm)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_FIX_FIELDS));
		return;
	}
	ui_status(u, THEME_STATUS_WARN, "%s", tr(T_SENDING));
	switch (u->form_kind) {
	case FORM_ORDER:
		save_draft(u);
		app_place_order(u->app, &u->draft);
		break;
	case FORM_REG:
		app_add_registration(u->app, u->hct_client, chosen(form_get(fm, F_DEVICE)),
							 form_get(fm, F_SERIAL)->text, form_get(fm, F_START)->text,
							 form_get(fm, F_END)->text);
		break;
	case FORM_START_USE:
		app_start_use(u->app, u->card_id, form_get(fm, F_SERIAL)->text, form_get(fm, F_START)->text);
		break;
	case FORM_END:
		app_end_registration(u->app, u->card_id, form_get(fm, F_END)->text);
		break;
	}
}

void form_screen_key(struct ui *u, struct key k)
{
	struct form *fm = &u->form;
	if (u->app->op.state == REQ_BUSY) {
		if (!k.is_keycode && k.code == 27)
			app_cancel(u->app); /* the draft and its key stay: a retry makes no second order */
		return;
	}
	int64_t old_team = chosen(form_get(fm, F_TEAM));
	size_t left = 0;
	switch (form_key(fm, k, &left)) {
	case FE_CANCEL:
		/* Leaving keeps the draft; it comes back when the form is opened again. */
		u->screen = u->form_back;
		u->status[0] = '\0';
		return;
	case FE_SUBMIT:
		submit(u);
		return;
	case FE_LEAVE:
		check_field(&fm->f[left]);
		break;
	case FE_CHANGED:
		if (fm->f[fm->focus].id == F_TEAM)
			team_contact(u, old_team, chosen(form_get(fm, F_TEAM)));
		break;
	default:
		return;
	}
	if (u->form_kind == FORM_ORDER) {
		sync_visibility(fm);
		save_draft(u);
	}
}

/* Put the server's complaint about a field next to that field. */
static void field_error(struct ui *u, const char *wire, const char *reason)
{
	for (size_t i = 0; i < sizeof wire_fields / sizeof wire_fields[0]; i++) {
		if (strcmp(wire_fields[i].wire, wire) != 0)
			continue;
		struct ffield *f = form_get(&u->form, wire_fields[i].id);
		if (!f)
			break;
		check_field(f);
		if (!f->error[0])
			snprintf(f->error, sizeof f->error, tr(T_E_SERVER_FIELD), reason);
		u->form.focus = (size_t)(f - u->form.f);
		return;
	}
}

void forms_op_done(struct ui *u)
{
	struct app_op *op = &u->app->op;
	if (op->state == REQ_OK) {
		switch (op->kind) {
		case OP_ORDER:
			ui_status(u, THEME_STATUS_OK, "%s", tr(T_ORDER_PLACED));
			u->screen = SCR_HCT;
			break;
		case OP_DELETE_ORDER:
			ui_status(u, THEME_STATUS_OK, "%s", tr(T_ORDER_DELETED));
			u->screen = SCR_HCT;
			break;
		case OP_START_USE:
		case OP_ADD_REG:
			ui_status(u, THEME_STATUS_OK, "%s", tr(T_SAVED));
			u->screen = SCR_HCT;
			break;
		case OP_END_REG:
			ui_status(u, THEME_STATUS_OK, "%s", tr(T_SAVED));
			u->screen = SCR_REG;
			break;
		case OP_DEVICE_TYPE:
			ui_status(u, THEME_STATUS_OK, "%s", tr(T_SAVED));
			break;
		default:
			break;
		}
		hct_reload(u);
		return;
	}
	if (op->state != REQ_ERROR || op->status == 0)
		return; /* cancelled, or the transport failed (already told) */
	const char *slug = op->slug;
	if (strcmp(slug, "supplier-unknown") == 0)
		ui_status(u, THEME_ERROR, "%s", tr(T_E_SUPPLIER_UNKNOWN));
	else if (strcmp(slug, "ordering-off") == 0)
		ui_status(u, THEME_ERROR, "%s", tr(T_E_ORDERING_OFF));
	else if (strcmp(slug, "order-state") == 0)
		ui_status(u, THEME_ERROR, "%s", tr(T_E_ORDER_STATE));
	else if (strcmp(slug, "device-type-not-in-use") == 0)
		ui_status(u, THEME_ERROR, "%s", tr(T_E_NOT_IN_USE));
	else if (op->field[0] && u->screen == SCR_FORM) {
		field_error(u, op->field, op->reason);
		ui_status(u, THEME_ERROR, "%s", tr(T_FIX_FIELDS));
	} else if (op->status == 403)
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_FORBIDDEN));
	else if (op->status == 404)
		ui_status(u, THEME_ERROR, "%s", tr(T_MSG_NOT_FOUND));
	else
		ui_status(u, THEME_ERROR, tr(T_MSG_SERVER), op->status);
}
