/* The frame's own state (size, navigation stack, status line, help, dialog, command line,
 * cursor) and the services the frame offers to screens. Screens keep their own state in
 * their own struct (see screen.h); nothing screen-specific lives here. */
#ifndef ZT_UI_UI_H
#define ZT_UI_UI_H

#include "client/app.h"
#include "common/tasks.h"
#include "i18n.h"
#include "keys.h"
#include "screen.h"
#include "theme.h"
#include "widgets/field.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAV_MAX 16

/* Why the status line says what it says: a message whose cause is gone is cleared. */
enum status_cause { CAUSE_NONE, CAUSE_OFFLINE, CAUSE_BUSY };

struct ui {
	struct app *app;
	struct zt_config *cfg;
	int rows, cols;
	bool dirty, quit;
	bool help; /* help overlay shown */

	/* navigation: the screens open, the top one shown */
	struct nav_entry nav[NAV_MAX];
	size_t depth;
	struct nav_pending pending;

	/* the dialog of a dangerous action (j/n) */
	bool confirm;
	enum action confirm_action;

	/* status line: text, look, when it expires (0: stays), and what caused it */
	char status[256];
	enum theme_slot status_slot;
	int64_t status_until_ms;
	enum status_cause status_cause;

	/* the ':' command line */
	bool cmdline;
	struct field cmd;

	/* where the hardware cursor goes after the frame */
	int cur_y, cur_x;
};

/* Set the status line (text already in the UI language); it expires after a while. */
void ui_status(struct ui *u, enum theme_slot slot, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like ui_status, tagged with its cause (cleared when the cause is gone). */
void ui_status_cause(struct ui *u, enum status_cause cause, enum theme_slot slot, const char *text);
/* Clear the status line. */
void ui_status_clear(struct ui *u);
/* The user's text of a problem in the interface language. */
const char *ui_problem(enum problem p);
/* The user request *req when it has finished (done, refused, failed or cancelled): *req
 * becomes 0 and the request is returned (borrowed from the core); NULL while it runs or
 * when there is none. */
const struct app_request *ui_op_finished(struct ui *u, uint64_t *req);
/* Say on the status line why finished request q (may be NULL) was refused; a failed
 * transfer was told already and a cancelled one needs no words. */
void ui_op_refused(struct ui *u, const struct app_request *q);
/* Show the core's latest message on the status line. */
void ui_show_app_msg(struct ui *u);
/* Draw everything and update the terminal once. */
void ui_render(struct ui *u);
/* Handle one key. */
void ui_key(struct ui *u, struct key k);
/* React to the core's events (screens reload, sessions start and end). */
void ui_app_events(struct ui *u, unsigned ev);
/* Expire old status messages; true when something changed. */
bool ui_tick(struct ui *u);
/* May the user take an action needing task? Until /me has arrived the server decides
 * (it answers 403 without the task), so the UI does not refuse early. */
bool ui_may(const struct ui *u, enum task_id task);
/* Does the user hold task (false before /me has arrived)? For what the UI offers. */
bool ui_has(const struct ui *u, enum task_id task);
/* Location name of id from the core's list, or "". */
const char *ui_location_name(const struct ui *u, int64_t id);
/* Copy text to the terminal's clipboard (OSC 52) and say so, naming what. */
void ui_copy(struct ui *u, const char *what, const char *text);
/* Open the first screen: the login, or the user's home area when a session was resumed. */
void ui_start(struct ui *u, bool resumed);
/* Close every screen (at exit). */
void ui_stop(struct ui *u);

#endif
