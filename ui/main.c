/* zorgterm: settings, the terminal, and the one loop: poll the network, stdin and the
 * signal pipe; handle keys and core events; draw once when something changed. */
#include "client/app.h"
#include "client/config.h"
#include "i18n.h"
#include "common/alloc.h"
#include "common/log.h"
#include "draw.h"
#include "term.h"
#include "ui.h"

#include <curses.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Open the log file in the state directory (0600). */
static FILE *open_log(const char *level)
{
	char *dir = paths_state_dir();
	char *path = xasprintf("%s/zorgterm.log", dir);
	free(dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	free(path);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
	enum log_level lvl = LOG_LVL_INFO;
	if (strcmp(level, "debug") == 0)
		lvl = LOG_LVL_DEBUG;
	else if (strcmp(level, "warn") == 0)
		lvl = LOG_LVL_WARN;
	else if (strcmp(level, "error") == 0)
		lvl = LOG_LVL_ERROR;
	log_setup(f, lvl);
	return f;
}

/* Read every pending key and hand it to the UI. */
static void read_keys(struct ui *u)
{
	wint_t ch;
	int rc;
	while ((rc = get_wch(&ch)) != ERR) {
		struct key k = {ch, rc == KEY_CODE_YES};
		if (k.is_keycode && ch == KEY_RESIZE) {
			u->dirty = true;
			continue;
		}
		ui_key(u, k);
		if (u->quit)
			return;
	}
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	umask(077);
	struct zt_config cfg = {0};
	int rc = cfg_init(&cfg, argc, argv);
	if (rc >= 0) {
		cfg_free(&cfg);
		return rc;
	}
	char err[512];
	if (!cfg_validate(&cfg, err, sizeof err)) {
		fprintf(stderr, "zorgterm: %s\n", err);
		cfg_free(&cfg);
		return 2;
	}
	for (size_t i = 0; i < cfg.nkeys; i++) {
		if (!keys_override(cfg.keys[i].action, cfg.keys[i].key, err, sizeof err)) {
			fprintf(stderr, "zorgterm: %s\n", err);
			cfg_free(&cfg);
			return 2;
		}
	}
	i18n_set(cfg.language);
	struct theme theme;
	char theme_err[512] = "";
	if (!theme_load(&theme, theme_dir(), cfg.theme, theme_err, sizeof theme_err))
		theme_builtin(&theme);
	FILE *logf = open_log(cfg.log_level);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	struct ui u = {0};
	u.cfg = &cfg;
	u.app = app_new(&cfg);
	u.pass.masked = true;
	view_init(&u.view);
	bool resumed = app_resume(u.app);
	if (cfg.user)
		snprintf(u.user.text, sizeof u.user.text, "%s", cfg.user);
	else if (u.app->user)
		snprintf(u.user.text, sizeof u.user.text, "%s", u.app->user);
	u.user.len = strlen(u.user.text);
	u.login_focus = u.user.len ? 1 : 0;
	u.screen = resumed ? SCR_CLIENTS : SCR_LOGIN;

	if (!term_start(logf ? fileno(logf) : -1)) {
		fprintf(stderr, "zorgterm: needs a terminal (stdin and stdout must be a tty)\n");
		app_free(&u.app);
		cfg_free(&cfg);
		return 1;
	}
	theme_apply(&theme, theme_pick_depth(COLORS, has_colors(), getenv("NO_COLOR")));
	if (theme_err[0])
		ui_status(&u, THEME_ERROR, tr(T_THEME_ERROR), theme_err);
	log_info("zorgterm started (%s)", resumed ? "session resumed" : "login");
	ui_app_events(&u, app_take_events(u.app));
	if (resumed)
		forms_draft_notice(&u);
	u.dirty = true;

	time_t last_tick = time(NULL);
	while (!u.quit) {
		if (u.dirty)
			ui_render(&u);
		struct curl_waitfd fds[2] = {
			{.fd = STDIN_FILENO, .events = CURL_WAIT_POLLIN},
			{.fd = term_signal_fd(), .events = CURL_WAIT_POLLIN},
		};
		app_poll(u.app, fds, 2, 1000);
		unsigned sig = term_take_signals();
		if (sig & TERM_EV_STOP)
			break;
		if (sig & TERM_EV_SUSPEND) {
			term_suspend();
			u.dirty = true;
		}
		if (sig & TERM_EV_RESIZE) {
			term_resize();
			u.dirty = true;
		}
		read_keys(&u);
		unsigned ev = app_take_events(u.app);
		if (ev)
			ui_app_events(&u, ev);
		/* The header shows the age of offline data: refresh it each second. */
		time_t now = time(NULL);
		if (now != last_tick) {
			last_tick = now;
			if (u.app->conn == CONN_OFFLINE)
				u.dirty = true;
		}
	}
	term_restore();
	log_info("zorgterm stopped");
	hct_free(&u);
	forms_free(&u);
	app_free(&u.app);
	view_free(&u.view);
	free(u.loc_set);
	free(u.trows);
	field_clear(&u.pass);
	curl_global_cleanup();
	cfg_free(&cfg);
	if (logf)
		fclose(logf);
	return 0;
}
