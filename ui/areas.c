/* Areas and the ':' command line with completion. */
#include "areas.h"

#include "draw.h"
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

struct area {
	const char *name;
	enum i18n_id label;
	enum task_id tasks[4]; /* any of these allows the area */
	size_t ntasks;
	enum screen_id sid; /* its screen; SID_PAGE: not there yet */
};

static const struct area areas[AREA_COUNT] = {
	{"clienten", T_AREA_CLIENTS, {TASK_CLIENT_VIEW}, 1, SID_CLIENTS},
	{"ons-client", T_AREA_ONS_CLIENT, {TASK_CAREN_LINK_VIEW}, 1, SID_CAREN_DASH},
	{"berichten", T_AREA_MESSAGES, {TASK_MESSAGE_VIEW, TASK_CAREN_MESSAGE_SEND, TASK_NOTIFICATION_VIEW}, 3,
	 SID_MESSAGES},
	{"agenda", T_AREA_AGENDA, {TASK_APPOINTMENT_MANAGE}, 1, SID_PAGE},
	{"beheer", T_AREA_ADMIN, {TASK_HCT_SETTINGS_VIEW, TASK_STAFF_VIEW, TASK_LOCATION_MANAGE, TASK_GROUP_MANAGE},
	 4, SID_HCT_SETTINGS},
	{"rapportages", T_AREA_REPORTS, {TASK_REPORT_VIEW}, 1, SID_PAGE},
	{"audit", T_AREA_AUDIT, {TASK_AUDIT_VIEW}, 1, SID_PAGE},
};

const char *area_label(int i)
{
	return tr(areas[i].label);
}

const char *area_name(int i)
{
	return areas[i].name;
}

bool area_allowed(const struct ui *u, int i)
{
	for (size_t t = 0; t < areas[i].ntasks; t++)
		if (ui_has(u, areas[i].tasks[t]))
			return true;
	return false;
}

int area_home(const struct ui *u)
{
	for (int i = 0; i < AREA_COUNT; i++)
		if (area_allowed(u, i))
			return i;
	return -1;
}

bool area_go(struct ui *u, int i)
{
	if (i < 0 || i >= AREA_COUNT || !area_allowed(u, i)) {
		ui_status(u, THEME_ERROR, "%s", tr(T_AREA_NOT_ALLOWED));
		return false;
	}
	enum screen_id sid = areas[i].sid;
	/* Beheer without the device settings task has no screen yet. */
	if (sid == SID_HCT_SETTINGS && !ui_has(u, TASK_HCT_SETTINGS_VIEW))
		sid = SID_PAGE;
	nav_reset(u, sid, 0, i);
	return true;
}

bool area_key(struct ui *u, struct key k)
{
	if (k.is_keycode || k.code < '1' || k.code >= '1' + AREA_COUNT)
		return false;
	area_go(u, (int)(k.code - '1'));
	return true;
}

void cmdline_open(struct ui *u)
{
	u->cmdline = true;
	field_clear(&u->cmd);
}

/* The allowed areas whose name starts with the typed text; returns how many, the first in
 * *first. */
static int matches(const struct ui *u, int *first)
{
	int n = 0;
	*first = -1;
	for (int i = 0; i < AREA_COUNT; i++) {
		if (!area_allowed(u, i) || strncmp(areas[i].name, u->cmd.text, u->cmd.len) != 0)
			continue;
		if (*first < 0)
			*first = i;
		n++;
	}
	return n;
}

/* Tab: complete to the longest common start of the matches. */
static void complete(struct ui *u)
{
	int first;
	if (!matches(u, &first))
		return;
	char common[64];
	snprintf(common, sizeof common, "%s", areas[first].name);
	for (int i = first + 1; i < AREA_COUNT; i++) {
		if (!area_allowed(u, i) || strncmp(areas[i].name, u->cmd.text, u->cmd.len) != 0)
			continue;
		size_t k = 0;
		while (common[k] && common[k] == areas[i].name[k])
			k++;
		common[k] = '\0';
	}
	field_set(&u->cmd, common);
}

void cmdline_key(struct ui *u, struct key k)
{
	bool enter = (!k.is_keycode && (k.code == '\r' || k.code == '\n')) || (k.is_keycode && k.code == KEY_ENTER);
	if (!k.is_keycode && k.code == 27) {
		u->cmdline = false;
		return;
	}
	if (!k.is_keycode && k.code == '\t') {
		complete(u);
		return;
	}
	if (enter) {
		int first;
		int n = matches(u, &first);
		u->cmdline = false;
		if (n >= 1 && (n == 1 || strcmp(areas[first].name, u->cmd.text) == 0))
			area_go(u, first);
		else
			ui_status(u, THEME_ERROR, tr(T_CMD_UNKNOWN), u->cmd.text);
		return;
	}
	field_key(&u->cmd, k);
}

void cmdline_draw(struct ui *u)
{
	int y = u->rows - 2;
	draw_fill(y, 0, u->cols, THEME_STATUS);
	int x = draw_text(y, 1, 2, THEME_KEY, ":");
	x += 1 + draw_text(y, 1 + x, 30, THEME_INPUT_FOCUS, u->cmd.text);
	u->cur_y = y;
	u->cur_x = x;
	/* The completions, so the user sees what can be typed. */
	char list[256] = "";
	size_t used = 0;
	for (int i = 0; i < AREA_COUNT; i++) {
		if (!area_allowed(u, i) || strncmp(areas[i].name, u->cmd.text, u->cmd.len) != 0)
			continue;
		int w = snprintf(list + used, sizeof list - used, "%s%s", used ? "  " : "", areas[i].name);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	draw_text(y, x + 2, u->cols - x - 3, THEME_MUTED, used ? list : tr(T_CMD_NONE));
}
