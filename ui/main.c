/* zorgterm: settings, the terminal, and the one loop: poll the network, stdin and the
 * signal pipe; handle keys and core events; draw once when something changed. */
#include "client/app.h"
#include "client/config.h"
#include "i18n.h"
#include "common/alloc.h"
#include "common/log.h"
#include "draw.h"
#include "term.h"
#include "client/drafts.h"
#include "ui.h"

#include <curses.h>
#include <curl/curl.h>
#include <dirent.h>
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

/* The themes that can be chosen (the *.theme files of the theme directory), as "a, b". */
static void list_themes(char *out, size_t len)
{
	DIR *d = opendir(theme_dir());
	size_t used = 0;
	out[0] = '\0';
	for (struct dirent *e = d ? readdir(d) : NULL; e && used < len; e = readdir(d)) {
		size_t n = strlen(e->d_name);
		if (n > 6 && strcmp(e->d_name + n - 6, ".theme") == 0)
			used += (size_t)snprintf(out + used, len - used, "%s%.*s", used ? ", " : "", (int)(n - 6),
									 e->d_name);
	}
	if (d)
		closedir(d);
}

/* Tell the user about order drafts waiting from an earlier session. */
static void draft_notice(struct ui *u)
{
	if (!u->app->profile)
		return;
	int64_t *ids = NULL;
	size_t n = draft_list(u->app->state_dir, u->app->profile, &ids);
	if (n) {
		struct client_names nm;
		clients_names(&u->app->clients, ids[0], &nm);
		char who[320];
		snprintf(who, sizeof who, "%s %s", nm.number, nm.name);
		ui_status(u, THEME_STATUS_WARN, tr(T_DRAFT_WAITING), who);
	}
	free(ids);
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

/* Read the settings and apply the key bindings: -1 to go on, else the exit code. */
static int setup(struct zt_config *cfg, int argc, char **argv)
{
	int rc = cfg_init(cfg, argc, argv);
	if (rc >= 0)
		return rc;
	char err[512];
	if (!cfg_validate(cfg, err, sizeof err)) {
		fprintf(stderr, "zorgterm: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < cfg->nkeys; i++) {
		if (!keys_override(cfg->keys[i].action, cfg->keys[i].key, err, sizeof err)) {
			fprintf(stderr, "zorgterm: %s\n", err);
			return 2;
		}
	}
	i18n_set(cfg->language);
	return -1;
}

/* The one loop: draw when something changed, wait for the network, keys and signals,
 * handle what came, expire old messages. */
static void run(struct ui *u)
{
	time_t last_tick = time(NULL);
	while (!u->quit) {
		if (u->dirty)
			ui_render(u);
		struct curl_waitfd fds[2] = {
			{.fd = STDIN_FILENO, .events = CURL_WAIT_POLLIN},
			{.fd = term_signal_fd(), .events = CURL_WAIT_POLLIN},
		};
		app_poll(u->app, fds, 2, 1000);
		unsigned sig = term_take_signals();
		if (sig & TERM_EV_STOP)
			break;
		if (sig & TERM_EV_SUSPEND) {
			term_suspend();
			u->dirty = true;
		}
		if (sig & TERM_EV_RESIZE) {
			term_resize();
			u->dirty = true;
		}
		read_keys(u);
		unsigned ev = app_take_events(u->app);
		if (ev)
			ui_app_events(u, ev);
		/* The header shows the age of offline data: refresh it each second. */
		time_t now = time(NULL);
		if (now != last_tick) {
			last_tick = now;
			if (u->app->conn == CONN_OFFLINE)
				u->dirty = true;
		}
		ui_tick(u);
	}
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	umask(077);
	struct zt_config cfg = {0};
	int rc = setup(&cfg, argc, argv);
	if (rc >= 0) {
		cfg_free(&cfg);
		return rc;
	}
	struct theme theme;
	char theme_err[512] = "", themes[256] = "";
	if (!theme_load(&theme, theme_dir(), cfg.theme, theme_err, sizeof theme_err)) {
		theme_builtin(&theme);
		list_themes(themes, sizeof themes);
	}
	FILE *logf = open_log(cfg.log_level);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct ui u = {0};
	u.cfg = &cfg;
	u.app = app_new(&cfg);
	bool resumed = app_resume(u.app);
	if (!term_start(logf ? fileno(logf) : -1)) {
		fprintf(stderr, "zorgterm: needs a terminal (stdin and stdout must be a tty)\n");
		app_free(&u.app);
		cfg_free(&cfg);
		return 1;
	}
	theme_apply(&theme, theme_pick_depth(COLORS, has_colors(), getenv("NO_COLOR")));
	if (theme_err[0]) {
		log_warn("theme '%s' not loaded: %s", cfg.theme, theme_err); /* the details, in English */
		/* The built-in colours are the default theme: only a theme the user named and that
		 * cannot be loaded is worth a word on the screen. */
		if (strcmp(cfg.theme, "default") != 0)
			ui_status(&u, THEME_ERROR, tr(themes[0] ? T_THEME_ERROR : T_THEME_ERROR_NONE), cfg.theme, themes);
	}
	log_info("zorgterm started (%s)", resumed ? "session resumed" : "login");
	ui_start(&u, resumed);
	ui_app_events(&u, app_take_events(u.app) & ~APP_EV_SESSION);
	if (resumed)
		draft_notice(&u);
	u.dirty = true;
	run(&u);
	term_restore();
	log_info("zorgterm stopped");
	ui_stop(&u);
	app_free(&u.app);
	curl_global_cleanup();
	cfg_free(&cfg);
	if (logf)
		fclose(logf);
	return 0;
}
