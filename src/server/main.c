/* zorgd: command line and config file, start-up, signals and clean shutdown. */
#include "common/alloc.h"
#include "common/log.h"
#include "demo.h"
#include "http.h"
#include "server.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>
#include <libconfig.h>
#include <signal.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ZORGD_VERSION
#define ZORGD_VERSION "0.0.0"
#endif

enum opt_type { OPT_STR, OPT_INT, OPT_FLAG };

/* One option, declared once: command line, config file, --help and the example config
 * (--print-config) all come from this table. */
struct opt {
	const char *name; /* long option; the config key is the same with '_' for '-' */
	enum opt_type type;
	const char *def;
	const char *arg; /* argument name for --help */
	int64_t min, max;
	bool config; /* may be set in the config file */
	size_t off;  /* offset in struct server_config */
	const char *help;
};

#define OFF(f) offsetof(struct server_config, f)

static const struct opt opts[] = {
	{"db", OPT_STR, NULL, "PATH", 0, 0, true, OFF(db_path), "SQLite database file (created if missing)"},
	{"listen", OPT_STR, "127.0.0.1:8443", "ADDR:PORT", 0, 0, true, OFF(listen),
	 "address and port to serve HTTPS on"},
	{"cert", OPT_STR, NULL, "PEM", 0, 0, true, OFF(cert_path), "server certificate (PEM, chain allowed)"},
	{"key", OPT_STR, NULL, "PEM", 0, 0, true, OFF(key_path), "server private key (PEM)"},
	{"client-ca", OPT_STR, NULL, "PEM", 0, 0, true, OFF(client_ca_path),
	 "CA that signs supplier client certificates (enables the supplier API)"},
	{"config", OPT_STR, NULL, "FILE", 0, 0, false, OFF(config_path), "read settings from a libconfig file"},
	{"log-level", OPT_STR, "info", "LEVEL", 0, 0, true, OFF(log_level), "debug, info, warn or error"},
	{"body-limit", OPT_INT, "1048576", "BYTES", 1024, 67108864, true, OFF(body_limit),
	 "largest request body accepted (413 above it)"},
	{"session-idle", OPT_INT, "28800", "SECONDS", 60, 604800, true, OFF(session_idle),
	 "a session ends after this long without requests"},
	{"session-max", OPT_INT, "86400", "SECONDS", 60, 2592000, true, OFF(session_max),
	 "a session ends this long after login, active or not"},
	{"max-wait", OPT_INT, "60", "SECONDS", 1, 300, true, OFF(max_wait),
	 "longest long-poll wait a client may ask of /changes"},
	{"login-user-limit", OPT_INT, "5", "N", 1, 1000, true, OFF(login_user_limit),
	 "failed logins for one user name (15 min) before it is throttled"},
	{"login-addr-limit", OPT_INT, "50", "N", 1, 100000, true, OFF(login_addr_limit),
	 "failed logins from one address (15 min) before it is throttled"},
	{"max-connections", OPT_INT, "512", "N", 4, 10000, true, OFF(max_connections),
	 "most simultaneous connections (one thread each)"},
	{"init-demo", OPT_FLAG, NULL, NULL, 0, 0, false, OFF(init_demo),
	 "create the demo organisation in an empty --db and exit"},
	{"clients", OPT_INT, "1000", "N", 1, 1000000, false, OFF(demo_clients),
	 "with --init-demo: number of demo clients"},
	{"seed", OPT_INT, "1", "S", 0, INT64_MAX / 2, false, OFF(demo_seed),
	 "with --init-demo: random seed (same seed, same data)"},
	{"print-config", OPT_FLAG, NULL, NULL, 0, 0, false, OFF(print_config),
	 "print an example config file with every setting and its default, and exit"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

/* Store text value v for option o in cfg; false with a message on a bad value. */
static bool opt_set(struct server_config *cfg, const struct opt *o, const char *v, const char *where)
{
	char *base = (char *)cfg + o->off;
	if (o->type == OPT_STR) {
		char **dst = (char **)(void *)base;
		free(*dst);
		*dst = xstrdup(v);
		return true;
	}
	if (o->type == OPT_FLAG) {
		*(bool *)(void *)base = true;
		return true;
	}
	char *end = NULL;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < o->min || n > o->max) {
		fprintf(stderr, "zorgd: %s: %s: '%s' is not a whole number from %lld to %lld\n", where,
				o->name, v, (long long)o->min, (long long)o->max);
		return false;
	}
	*(int64_t *)(void *)base = n;
	return true;
}

/* Print --help, generated from the option table. */
static void usage(FILE *f)
{
	fprintf(f, "Usage: zorgd --db PATH --listen ADDR:PORT --cert PEM --key PEM [--client-ca PEM]"
			   " [--config FILE]\n"
			   "       zorgd --db PATH --init-demo [--clients N] [--seed S]\n\n"
			   "zorgd serves the zorgterm HTTPS JSON API (see etc/openapi.yaml).\n\nOptions:\n");
	for (size_t i = 0; i < NOPTS; i++) {
		char left[48];
		snprintf(left, sizeof left, "--%s%s%s", opts[i].name, opts[i].arg ? " " : "",
				 opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-28s %s", left, opts[i].help);
		if (opts[i].def)
			fprintf(f, " [%s]", opts[i].def);
		fputc('\n', f);
	}
	fprintf(f, "  %-28s %s\n  %-28s %s\n", "--help", "show this help", "--version",
			"show the version");
}

/* Print an example libconfig file for every config-file setting. */
static void print_config(void)
{
	printf("# zorgd.conf - example configuration (generated by 'zorgd --print-config').\n"
		   "# libconfig syntax; command-line options override these settings.\n");
	for (size_t i = 0; i < NOPTS; i++) {
		if (!opts[i].config)
			continue;
		char key[48];
		snprintf(key, sizeof key, "%s", opts[i].name);
		for (char *c = key; *c; c++)
			if (*c == '-')
				*c = '_';
		printf("\n# %s\n", opts[i].help);
		if (!opts[i].def)
			printf("# %s = \"...\";\n", key);
		else if (opts[i].type == OPT_STR)
			printf("%s = \"%s\";\n", key, opts[i].def);
		else
			printf("%s = %s;\n", key, opts[i].def);
	}
}

/* Apply the settings of a libconfig file; false with a message naming file and line. */
static bool load_config(struct server_config *cfg, const char *path)
{
	config_t c;
	config_init(&c);
	if (config_read_file(&c, path) != CONFIG_TRUE) {
		if (config_error_type(&c) == CONFIG_ERR_FILE_IO)
			fprintf(stderr, "zorgd: cannot read %s: %s\n", path, strerror(errno));
		else
			fprintf(stderr, "zorgd: %s:%d: %s\n", config_error_file(&c) ? config_error_file(&c) : path,
					config_error_line(&c), config_error_text(&c));
		config_destroy(&c);
		return false;
	}
	config_setting_t *root = config_root_setting(&c);
	bool ok = true;
	for (int i = 0; ok && i < config_setting_length(root); i++) {
		config_setting_t *s = config_setting_get_elem(root, (unsigned int)i);
		const char *name = config_setting_name(s);
		const struct opt *o = NULL;
		for (size_t k = 0; k < NOPTS && !o; k++) {
			char key[48];
			snprintf(key, sizeof key, "%s", opts[k].name);
			for (char *p = key; *p; p++)
				if (*p == '-')
					*p = '_';
			if (opts[k].config && strcmp(key, name) == 0)
				o = &opts[k];
		}
		char where[512];
		snprintf(where, sizeof where, "%s:%d", path, config_setting_source_line(s));
		if (!o) {
			fprintf(stderr, "zorgd: %s: unknown setting '%s'\n", where, name);
			ok = false;
		} else if (o->type == OPT_STR && config_setting_type(s) == CONFIG_TYPE_STRING) {
			ok = opt_set(cfg, o, config_setting_get_string(s), where);
		} else if (o->type == OPT_INT && (config_setting_type(s) == CONFIG_TYPE_INT ||
										  config_setting_type(s) == CONFIG_TYPE_INT64)) {
			char num[32];
			snprintf(num, sizeof num, "%lld", (long long)config_setting_get_int64(s));
			ok = opt_set(cfg, o, num, where);
		} else {
			fprintf(stderr, "zorgd: %s: '%s' must be %s\n", where, name,
					o->type == OPT_STR ? "a string in double quotes" : "a whole number");
			ok = false;
		}
	}
	config_destroy(&c);
	return ok;
}

/* Read a whole PEM file into a new string; NULL with a message on failure. */
static char *read_pem(const char *what, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "zorgd: cannot read %s %s: %s\n", what, path, strerror(errno));
		return NULL;
	}
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (!b.data || !strstr(b.data, "-----BEGIN")) {
		fprintf(stderr, "zorgd: %s %s is not a PEM file\n", what, path);
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Parse defaults, config file and command line into cfg; returns -1 to continue, or an exit
 * status. */
static int parse_args(struct server_config *cfg, int argc, char **argv)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].def && !opt_set(cfg, &opts[i], opts[i].def, "default"))
			return 2;
	struct option lo[NOPTS + 3];
	for (size_t i = 0; i < NOPTS; i++)
		lo[i] = (struct option){opts[i].name, opts[i].type == OPT_FLAG ? no_argument : required_argument,
								NULL, (int)(i + 1000)};
	lo[NOPTS] = (struct option){"help", no_argument, NULL, 'h'};
	lo[NOPTS + 1] = (struct option){"version", no_argument, NULL, 'V'};
	lo[NOPTS + 2] = (struct option){NULL, 0, NULL, 0};
	/* First pass: only --config, so the command line can override the file. */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c >= 1000 && strcmp(opts[c - 1000].name, "config") == 0 &&
			!load_config(cfg, optarg))
			return 2;
	}
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == 'V') {
			printf("zorgd %s\n", ZORGD_VERSION);
			return 0;
		}
		if (c < 1000) {
			fprintf(stderr, "Try 'zorgd --help'.\n");
			return 2;
		}
		if (!opt_set(cfg, &opts[c - 1000], optarg ? optarg : "", "command line"))
			return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "zorgd: unexpected argument '%s'. Try 'zorgd --help'.\n", argv[optind]);
		return 2;
	}
	return -1;
}

/* Create the demo organisation in cfg->db_path. */
static int init_demo(struct server *srv)
{
	struct db *db = store_acquire(srv->store);
	char *err = NULL;
	int rc = db ? demo_create(db->h, (int)srv->cfg.demo_clients, (uint64_t)srv->cfg.demo_seed, &err) : -1;
	store_release(srv->store, db);
	if (rc != 0) {
		fprintf(stderr, "zorgd: cannot create the demo organisation: %s\n",
				err ? err : "no database connection");
		free(err);
		return 1;
	}
	printf("zorgd: demo organisation with %lld clients created in %s\n",
		   (long long)srv->cfg.demo_clients, srv->cfg.db_path);
	return 0;
}

/* Free the configuration strings. */
static void config_free(struct server_config *cfg)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].type == OPT_STR)
			XFREE((char **)(void *)((char *)cfg + opts[i].off));
}

int main(int argc, char **argv)
{
	struct server srv = {0};
	int rc = parse_args(&srv.cfg, argc, argv);
	if (rc >= 0) {
		config_free(&srv.cfg);
		return rc;
	}
	if (srv.cfg.print_config) {
		print_config();
		config_free(&srv.cfg);
		return 0;
	}
	enum log_level lvl = LOG_LVL_INFO;
	if (strcmp(srv.cfg.log_level, "debug") == 0)
		lvl = LOG_LVL_DEBUG;
	else if (strcmp(srv.cfg.log_level, "warn") == 0)
		lvl = LOG_LVL_WARN;
	else if (strcmp(srv.cfg.log_level, "error") == 0)
		lvl = LOG_LVL_ERROR;
	else if (strcmp(srv.cfg.log_level, "info") != 0) {
		fprintf(stderr, "zorgd: log-level: '%s' is not debug, info, warn or error\n",
				srv.cfg.log_level);
		config_free(&srv.cfg);
		return 2;
	}
	log_setup(stderr, lvl);
	if (!srv.cfg.db_path) {
		fprintf(stderr, "zorgd: --db PATH is required. Try 'zorgd --help'.\n");
		config_free(&srv.cfg);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "zorgd: libsodium failed to initialise\n");
		config_free(&srv.cfg);
		return 1;
	}
	char *err = NULL;
	srv.store = store_open(srv.cfg.db_path, &err);
	if (!srv.store) {
		fprintf(stderr, "zorgd: %s\n", err);
		free(err);
		config_free(&srv.cfg);
		return 1;
	}
	if (srv.cfg.init_demo) {
		rc = init_demo(&srv);
		store_close(&srv.store);
		config_free(&srv.cfg);
		return rc;
	}
	if (!srv.cfg.cert_path || !srv.cfg.key_path) {
		fprintf(stderr, "zorgd: --cert PEM and --key PEM are required to serve HTTPS.\n");
		store_close(&srv.store);
		config_free(&srv.cfg);
		return 2;
	}
	rc = 1;
	srv.cert_pem = read_pem("certificate", srv.cfg.cert_path);
	srv.key_pem = read_pem("key", srv.cfg.key_path);
	if (srv.cfg.client_ca_path)
		srv.client_ca_pem = read_pem("client CA", srv.cfg.client_ca_path);
	if (!srv.cert_pem || !srv.key_pem || (srv.cfg.client_ca_path && !srv.client_ca_pem))
		goto out;

	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!http_start(&srv))
		goto out;
	int sig = 0;
	sigwait(&stop, &sig);
	log_info("signal %d: stopping", sig);
	http_stop(&srv);
	rc = 0;
	log_info("stopped cleanly");
out:
	if (srv.key_pem)
		sodium_memzero(srv.key_pem, strlen(srv.key_pem));
	free(srv.cert_pem);
	free(srv.key_pem);
	free(srv.client_ca_pem);
	store_close(&srv.store);
	config_free(&srv.cfg);
	return rc;
}
