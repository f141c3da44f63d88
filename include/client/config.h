/* zorgterm's settings: one option table for the command line, the config file
 * ($XDG_CONFIG_HOME/zorgterm/zorgterm.conf), --help and the example config. */
#ifndef ZT_CLIENT_CONFIG_H
#define ZT_CLIENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct zt_keybind {
	char *action;
	char *key;
};

struct zt_config {
	char *server;
	char *ca_file;
	char *config_path;
	char *theme;
	char *user;
	char *language;
	char *log_level;
	char *print_command; /* prints a saved letter ("lp"); NULL: no printing */
	int64_t timeout;   /* seconds per request */
	int64_t long_poll; /* seconds a change-feed request waits on the server */
	bool print_config;
	struct zt_keybind *keys; /* from the config file's keys = { ... } group */
	size_t nkeys;
};

/* Parse defaults, config file and command line into c. Returns -1 to go on, 0 when
 * --help/--version/--print-config was printed, 2 after printing an error. */
int cfg_init(struct zt_config *c, int argc, char **argv);
/* Validate values that need more than a type check (language, server URL); false with a
 * message in err. */
bool cfg_validate(const struct zt_config *c, char *err, size_t errlen);
/* Free everything c owns. */
void cfg_free(struct zt_config *c);
/* Load only a config file into c (defaults first); false with "file:line: reason" in err.
 * For tests and for reloading. */
bool cfg_load_file(struct zt_config *c, const char *path, char *err, size_t errlen);

/* Directory for state files (token, drafts, log): $XDG_STATE_HOME/zorgterm, created 0700.
 * Caller frees. */
char *paths_state_dir(void);
/* Directory for the replica: $XDG_CACHE_HOME/zorgterm, created 0700. Caller frees. */
char *paths_cache_dir(void);
/* The default config file path. Caller frees. */
char *paths_config_file(void);
/* A file-name-safe profile name for server and user ("coordinator@127.0.0.1_8443").
 * Caller frees. */
char *paths_profile(const char *server, const char *user);
/* Create dir and its parents with mode 0700; 0 on success. */
int paths_mkdir(const char *dir);

#endif
