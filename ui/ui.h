/* The UI's state and the screens' draw/key functions (ncdu-style pairs). Screens draw
 * from the core's state; they never fetch. */
#ifndef ZT_UI_UI_H
#define ZT_UI_UI_H

#include "client/app.h"
#include "form.h"
#include "i18n.h"
#include "keys.h"
#include "theme.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

enum ui_screen { SCR_LOGIN, SCR_CLIENTS, SCR_CLIENT, SCR_HCT, SCR_ORDER, SCR_REG, SCR_FORM, SCR_SETTINGS };

/* Which form SCR_FORM shows. */
enum form_kind { FORM_ORDER, FORM_REG, FORM_START_USE, FORM_END };

/* A one-line text input (UTF-8), edited at its end. */
struct field {
	char text[256];
	size_t len;
	bool masked;
};

/* One row of the flattened location tree. */
struct tree_row {
	int64_t id; /* 0: "all locations" */
	int depth;
	const char *name;
};

struct ui {
	struct app *app;
	struct zt_config *cfg;
	int rows, cols;
	enum ui_screen screen;
	bool dirty, quit;
	bool help;    /* help overlay shown */
	bool confirm; /* a dangerous action waits for j/n */
	enum action confirm_action;

	/* status line */
	char status[256];
	enum theme_slot status_slot;

	/* login */
	struct field user, pass;
	int login_focus; /* 0 user, 1 password */

	/* client list */
	struct client_view view;
	struct field query;
	bool searching;
	size_t sel, top;
	int64_t sel_id;
	int64_t loc_filter; /* 0: all */
	int64_t *loc_set;
	size_t nloc_set;
	int64_t last_sort_ms;

	/* location tree */
	bool tree;
	struct tree_row *trows;
	size_t ntrows, tree_sel, tree_top;

	/* client detail */
	bool reveal;

	/* home-care technology: the client's cards */
	int64_t hct_client;
	struct m_order *orders;
	size_t norders;
	struct m_registration *regs;
	size_t nregs;
	struct m_device_type *dtypes;
	size_t ndtypes;
	size_t hct_sel;
	int64_t card_id;    /* the order (SCR_ORDER) or registration (SCR_REG) shown */
	bool card_is_order; /* which of the two card_id names */
	/* The card shown, loaded by hct_reload (on opening and when the feed changes it), so
	 * drawing never reads the replica. have_* false: not in the replica (any more). */
	struct m_order card_order;  /* the order, or a registration's completed order */
	bool have_card_order;
	struct m_registration card_reg;
	bool have_card_reg;

	/* forms */
	enum form_kind form_kind;
	enum ui_screen form_back; /* where the form returns to */
	struct form form;
	struct m_order_draft draft;
	bool draft_restored;
	struct m_team *teams; /* for the orderer's team choice and its contact details */
	size_t nteams;

	/* device-type settings */
	size_t set_sel;

	/* where the hardware cursor goes after the frame */
	int cur_y, cur_x;
};

/* Set the status line (text already in the UI language). */
void ui_status(struct ui *u, enum theme_slot slot, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Show the core's latest message on the status line. */
void ui_show_app_msg(struct ui *u);
/* Draw everything and update the terminal once. */
void ui_render(struct ui *u);
/* Handle one key. */
void ui_key(struct ui *u, struct key k);
/* React to the core's events (screen changes, list refresh). */
void ui_app_events(struct ui *u, unsigned ev);
/* May the user take an action needing task? Until /me has arrived the server decides
 * (it answers 403 without the task), so the UI does not refuse early. */
bool ui_may(const struct ui *u, const char *task);
/* Location name of id from the core's list, or "". */
const char *ui_location_name(const struct ui *u, int64_t id);

/* Screens. */
void login_draw(struct ui *u);
void login_key(struct ui *u, struct key k);
void clients_draw(struct ui *u);
void clients_key(struct ui *u, struct key k);
void clients_refresh(struct ui *u);
void tree_draw(struct ui *u);
void tree_key(struct ui *u, struct key k);
void tree_build(struct ui *u);
void client_draw(struct ui *u);
void client_key(struct ui *u, struct key k);
void help_draw(struct ui *u, enum key_ctx ctx);
void hct_reload(struct ui *u);
void hct_draw(struct ui *u);
void hct_key(struct ui *u, struct key k);
void card_draw(struct ui *u);
void card_key(struct ui *u, struct key k);
/* True when the card shown offers action a to this user (for the key hints). */
bool card_may(const struct ui *u, enum action a);
void settings_draw(struct ui *u);
void settings_key(struct ui *u, struct key k);
void form_open(struct ui *u, enum form_kind kind);
void form_screen_draw(struct ui *u);
void form_screen_key(struct ui *u, struct key k);
void forms_op_done(struct ui *u);
/* Free what the HCT screens and forms hold (at exit). */
void hct_free(struct ui *u);
void forms_free(struct ui *u);
/* Tell the user about order drafts waiting from an earlier session. */
void forms_draft_notice(struct ui *u);
/* Dutch (or English) word and symbol for an order status; *slot gets its colour. */
const char *ui_order_status(enum m_order_status st, enum theme_slot *slot);
/* Confirmed dangerous actions of the HCT screens. */
void hct_confirmed(struct ui *u, enum action a);
/* The question a dangerous action asks (NULL: the generic one). */
const char *hct_confirm_text(enum action a);

/* Field editing: true when the key changed the field. */
bool field_key(struct field *f, struct key k);
/* Clear a field (wiping a password). */
void field_clear(struct field *f);

#endif
