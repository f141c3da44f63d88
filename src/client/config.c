/* zorgterm's option table, config file and XDG paths. */
#include "client/config.h"

#include "common/alloc.h"
#include "common/options.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef ZORGTERM_VERSION
#define ZORGTERM_VERSION "0.0.0"
#endif

#define OFF(f) offsetof(struct zt_config, f)

static const struct opt opts[] = {
	{"server", OPT_STR, "https://127.0.0.1:8443", "URL", 0, 0, true, OFF(server), "zorgd's address (https only)"},
	{"ca-file", OPT_STR, NULL, "PEM", 0, 0, true, OFF(ca_file),
	 "CA certificate(s) to verify zorgd with (default: the system's); verification is always on"},
	{"config", OPT_STR, NULL, "FILE", 0, 0, false, OFF(config_path),
	 "config file [$XDG_CONFIG_HOME/zorgterm/zorgterm.conf]"},
	{"theme", OPT_STR, "default", "NAME", 0, 0, true, OFF(theme),
	 "colour theme: default, light, dark, high-contrast or mono"},
	{"user", OPT_STR, NULL, "NAME", 0, 0, true, OFF(user), "user name to log in with"},
	{"language", OPT_STR, "nl", "nl|en", 0, 0, true, OFF(language), "language of the interface"},
	{"log-level", OPT_STR, "info", "LEVEL", 0, 0, true, OFF(log_level), "debug, info, warn or error"},
	{"timeout", OPT_INT, "15", "SECONDS", 2, 300, true, OFF(timeout), "time limit of one request"},
	{"long-poll", OPT_INT, "25", "SECONDS", 1, 55, true, OFF(long_poll),
	 "how long a change-feed request waits on the server for news"},
	{"print-command", OPT_STR, NULL, "COMMAND", 0, 0, true, OFF(print_command),
	 "program that prints a saved Caren letter, e.g. \"lp\" (run with the file; no shell)"},
	{"print-config", OPT_FLAG, NULL, NULL, 0, 0, false, OFF(print_config),
	 "print an example config file and exit"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char usage_text[] =
	"Usage: zorgterm [--server URL] [--ca-file PEM] [--config FILE] [--theme NAME] [--user NAME]\n\n"
	"zorgterm is the terminal client of zorgd for home-care staff.\n";

static const char keys_example[] =
	"\n# Key bindings: action = \"key\" (a letter, ^X for Ctrl-X, or a name such as F2, Enter,\n"
	"# Up, PgDn). Press ? in zorgterm for the actions and their current keys.\n"
	"# keys = {\n#   search = \"s\";\n#   open = \"o\";\n# };\n";

/* Collect one keys = { action = "key"; } entry. */
static bool on_group(void *base, const char *group, const char *key, const char *value, char *err,
					 size_t errlen)
{
	struct zt_config *c = base;
	if (strcmp(group, "keys") != 0) {
		snprintf(err, errlen, "unknown group '%s'", group);
		return false;
	}
	if (!*value) {
		snprintf(err, errlen, "keys.%s: the key must not be empty", key);
		return false;
	}
	c->keys = xrealloc(c->keys, (c->nkeys + 1) * sizeof *c->keys);
	c->keys[c->nkeys].action = xstrdup(key);
	c->keys[c->nkeys].key = xstrdup(value);
	c->nkeys++;
	return true;
}

/* The option set bound to c. */
static struct opt_set set_for(struct zt_config *c)
{
	return (struct opt_set){
		.prog = "zorgterm",
		.usage = usage_text,
		.version = ZORGTERM_VERSION,
		.opts = opts,
		.n = NOPTS,
		.base = c,
		.on_group = on_group,
		.groups_example = keys_example,
	};
}

int cfg_init(struct zt_config *c, int argc, char **argv)
{
	struct opt_set s = set_for(c);
	char *def = paths_config_file();
	int rc = opts_parse(&s, argc, argv, "config", def);
	free(def);
	if (rc < 0 && c->print_config) {
		opts_print_config(&s, stdout);
		return 0;
	}
	return rc;
}

bool cfg_load_file(struct zt_config *c, const char *path, char *err, size_t errlen)
{
	struct opt_set s = set_for(c);
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].def && !opts_set(&s, &opts[i], opts[i].def, "default", err, errlen))
			return false;
	return opts_load_file(&s, path, err, errlen);
}

bool cfg_validate(const struct zt_config *c, char *err, size_t errlen)
{
	if (strcmp(c->language, "nl") != 0 && strcmp(c->language, "en") != 0) {
		snprintf(err, errlen, "language: '%s' is not nl or en", c->language);
		return false;
	}
	if (strncmp(c->server, "https://", 8) != 0 || strlen(c->server) < 9) {
		snprintf(err, errlen, "server: '%s' must start with https:// (TLS is always used)", c->server);
		return false;
	}
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	for (size_t i = 0; i < 4; i++)
		if (strcmp(c->log_level, levels[i]) == 0)
			return true;
	snprintf(err, errlen, "log-level: '%s' is not debug, info, warn or error", c->log_level);
	return false;
}

void cfg_free(struct zt_config *c)
{
	struct opt_set s = set_for(c);
	opts_free(&s);
	for (size_t i = 0; i < c->nkeys; i++) {
		free(c->keys[i].action);
		free(c->keys[i].key);
	}
	free(c->keys);
	c->keys = NULL;
	c->nkeys = 0;
}

/* $VAR if set and absolute, else $HOME/fallback; then "/zorgterm". Caller frees. */
static char *xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var);
	if (v && v[0] == '/')
		return xasprintf("%s/zorgterm", v);
	const char *home = getenv("HOME");
	return xasprintf("%s/%s/zorgterm", home && *home ? home : "/tmp", fallback);
}

int paths_mkdir(const char *dir)
{
	char *p = xstrdup(dir);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	}
	int rc = mkdir(p, 0700) == 0 || errno == EEXIST ? 0 : -1;
	free(p);
	return rc;
}

char *paths_state_dir(void)
{
	char *d = xdg_dir("XDG_STATE_HOME", ".local/state");
	paths_mkdir(d);
	return d;
}

char *paths_cache_dir(void)
{
	char *d = xdg_dir("XDG_CACHE_HOME", ".cache");
	paths_mkdir(d);
	return d;
}

char *paths_config_file(void)
{
	char *d = xdg_dir("XDG_CONFIG_HOME", ".config");
	char *f = xasprintf("%s/zorgterm.conf", d);
	free(d);
	return f;
}

char *paths_profile(const char *server, const char *user)
{
	const char *host = strstr(server, "://");
	host = host ? host + 3 : server;
	char *p = xasprintf("%s@%s", user, host);
	for (char *s = p; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') && !(ch >= '0' && ch <= '9') &&
			ch != '.' && ch != '-' && ch != '@')
			*s = '_';
	}
	return p;
}
