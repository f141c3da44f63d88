/* The UI's state and the screens' draw/key functions (ncdu-style pairs). Screens draw
 * from the core's state; they never fetch. */
#ifndef ZT_UI_UI_H
#define ZT_UI_UI_H

#include "client/app.h"
#include "i18n.h"
#include "keys.h"
#include "theme.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

enum ui_screen { SCR_LOGIN, SCR_CLIENTS, SCR_CLIENT };

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

/* Field editing: true when the key changed the field. */
bool field_key(struct field *f, struct key k);
/* Clear a field (wiping a password). */
void field_clear(struct field *f);

#endif
