/* zorgd: command line and config file, start-up, signals and clean shutdown. */
#include "common/alloc.h"
#include "common/civil.h"
#include "common/log.h"
#include "common/options.h"
#include "dbfile.h"
#include "demo_caren.h"
#include "store/demo.h"
#include "store/q_caren.h"
#include "audit.h"
#include "http.h"
#include "outbox.h"
#include "letter/caren_letter.h"
#include "server.h"
#include "checkcfg.h"
#include "store/pg.h"
#include "store/sqlite_backup.h"
#include "store/store.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ZORGD_VERSION
#define ZORGD_VERSION "0.0.0"
#endif

#define OFF(f) offsetof(struct server_config, f)

static const struct opt opts[] = {
	{"db", OPT_STR, NULL, "PATH|URL", 0, 0, true, OFF(db_path),
	 "SQLite database file (created if missing) or postgresql://... (several zorgd share it)"},
	{"import", OPT_STR, NULL, "sqlite:PATH", 0, 0, false, OFF(import_from),
	 "copy the SQLite database PATH into the empty PostgreSQL --db and exit"},
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
	{"proxy-from", OPT_STR, NULL, "ADDR", 0, 0, true, OFF(proxy_from),
	 "balancer address (e.g. HAProxy with send-proxy-v2) whose connections start with a"
	 " PROXY header naming the real client; other peers connect as usual"},
	{"max-connections", OPT_INT, "512", "N", 4, 10000, true, OFF(max_connections),
	 "most simultaneous connections (a waiting long-poll holds one, but no thread)"},
	{"threads", OPT_INT, "0", "N", 0, 256, true, OFF(threads),
	 "worker threads serving HTTPS, each an event loop over its connections; a request"
	 " blocked on the database holds its worker (0: on SQLite twice the CPUs, at least 4;"
	 " on PostgreSQL eight per CPU, from 16 to 20)"},
	{"max-connections-per-address", OPT_INT, "32", "N", 1, 10000, true, OFF(max_per_address),
	 "most simultaneous connections from one client address"},
	{"header-timeout", OPT_INT, "5", "SECONDS", 1, 60, true, OFF(header_timeout),
	 "a connection must finish its TLS handshake and request headers within this time"},
	{"smtp-url", OPT_STR, NULL, "URL", 0, 0, true, OFF(smtp_url),
	 "SMTP server for the outbox: smtp://HOST[:PORT] or smtps://HOST[:PORT] (none: the maildir)"},
	{"smtp-from", OPT_STR, "zorgd@localhost", "ADDRESS", 0, 0, true, OFF(smtp_from),
	 "sender address of every e-mail (its domain ends each Message-ID)"},
	{"smtp-user", OPT_STR, NULL, "NAME", 0, 0, true, OFF(smtp_user),
	 "SMTP user name (authentication when set)"},
	{"smtp-password", OPT_STR, NULL, "SECRET", 0, 0, true, OFF(smtp_password),
	 "SMTP password (better in the config file than on the command line)"},
	{"smtp-tls", OPT_STR, "auto", "MODE", 0, 0, true, OFF(smtp_tls),
	 "smtp:// only: auto (STARTTLS when offered), require (STARTTLS or fail), off"},
	{"smtp-ca", OPT_STR, NULL, "PEM", 0, 0, true, OFF(smtp_ca),
	 "CA bundle that signs the SMTP server's certificate (default: the system's)"},
	{"maildir", OPT_STR, NULL, "DIR", 0, 0, true, OFF(maildir),
	 "without smtp-url, mail goes to this maildir (default: maildir beside an SQLite --db)"},
	{"outbox-max-tries", OPT_INT, "8", "N", 1, 100, true, OFF(outbox_max_tries),
	 "an e-mail that failed this often is marked failed for good"},
	{"outbox-retry", OPT_INT, "60", "SECONDS", 1, 86400, true, OFF(outbox_retry),
	 "wait before the first retry of a failed e-mail; doubles per try up to an hour"},
	{"outbox-lease", OPT_INT, "60", "SECONDS", 1, 3600, true, OFF(outbox_lease),
	 "how long a worker holds the rows it claimed (another instance takes them over after)"},
	{"outbox-batch", OPT_INT, "50", "N", 1, 1000, true, OFF(outbox_batch),
	 "rows a worker claims at once"},
	{"outbox-senders", OPT_INT, "2", "N", 1, 8, true, OFF(outbox_senders),
	 "sender threads, each with its own SMTP connection (reused for all its mail)"},
	{"caren-key-file", OPT_STR, NULL, "FILE", 0, 0, true, OFF(caren_key_file),
	 "Caren activation-code master key (created 0600 if missing; default: the SQLite --db path"
	 " + .caren-key; required with PostgreSQL, shared by every instance)"},
	{"caren-heartbeat-timeout", OPT_INT, "600", "SECONDS", 0, 86400, true,
	 OFF(caren_heartbeat_timeout),
	 "Caren statuses read Onbekend when the portal's heartbeat is older (0: not checked, demo)"},
	{"init-demo", OPT_FLAG, NULL, NULL, 0, 0, false, OFF(init_demo),
	 "create the demo organisation in an empty --db and exit"},
	{"clients", OPT_INT, "1000", "N", 1, 1000000, false, OFF(demo_clients),
	 "with --init-demo: number of demo clients"},
	{"seed", OPT_INT, "1", "S", 0, INT64_MAX / 2, false, OFF(demo_seed),
	 "with --init-demo: random seed (same seed, same data)"},
	{"print-config", OPT_FLAG, NULL, NULL, 0, 0, false, OFF(print_config),
	 "print an example config file with every setting and its default, and exit"},
	{"check-config", OPT_FLAG, NULL, NULL, 0, 0, false, OFF(check_config),
	 "check the configuration and the certificates it names, report every problem, and exit"},
	{"backup", OPT_STR, NULL, "FILE", 0, 0, false, OFF(backup_path),
	 "copy the SQLite store to FILE (mode 0600), also while zorgd runs, and exit"},
	{"restore", OPT_STR, NULL, "FILE", 0, 0, false, OFF(restore_path),
	 "check the backup FILE and copy it over the store (refused while a zorgd uses it), and exit"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

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

static const char usage_text[] =
	"Usage: zorgd --db PATH --listen ADDR:PORT --cert PEM --key PEM [--client-ca PEM]"
	" [--config FILE]\n"
	"       zorgd --db PATH --init-demo [--clients N] [--seed S]\n"
	"       zorgd --db postgresql://... --import sqlite:PATH\n"
	"       zorgd --config FILE --check-config\n"
	"       zorgd --db PATH --backup FILE | --restore FILE\n\n"
	"zorgd serves the zorgterm HTTPS JSON API (see etc/openapi.yaml).\n";

/* zorgd --db postgresql://... --import sqlite:PATH: the exit status. */
static int import_sqlite(const struct server_config *cfg)
{
	if (strncmp(cfg->import_from, "sqlite:", 7) != 0 ||
		strncmp(cfg->db_path, "postgres", 8) != 0) {
		fprintf(stderr, "zorgd: --import takes sqlite:PATH and needs --db postgresql://...\n");
		return 2;
	}
	char *err = NULL;
	if (store_pg_import(cfg->db_path, cfg->import_from + 7, &err) != 0) {
		fprintf(stderr, "zorgd: import failed: %s\n", err ? err : "?");
		free(err);
		return 1;
	}
	printf("zorgd: %s imported into PostgreSQL\n", cfg->import_from + 7);
	return 0;
}

/* Create the demo organisation in cfg->db_path. */
static int init_demo(struct server *srv)
{
	struct db *db = store_acquire(srv->store);
	char *err = NULL;
	int rc = db ? demo_create(db, (int)srv->cfg.demo_clients, (uint64_t)srv->cfg.demo_seed, &err) : -1;
	if (rc == 0 && srv->caren_ready)
		rc = demo_caren_create(db, &srv->caren_keys, &err);
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

/* Load (or create) the Caren master key and derive its keys; without one, Caren
 * invitations, letters and redemptions answer 503 (logged once here). */
static void caren_setup(struct server *srv)
{
	bool url = strstr(srv->cfg.db_path, "://") != NULL;
	char *path = srv->cfg.caren_key_file ? xstrdup(srv->cfg.caren_key_file)
				 : url ? NULL : xasprintf("%s.caren-key", srv->cfg.db_path);
	if (!path) {
		log_warn("caren: no caren-key-file set for a PostgreSQL store: Caren invitations, "
				 "letters and activations are off");
		return;
	}
	unsigned char master[CAREN_KEY_BYTES];
	char *err = NULL;
	if (caren_key_load(path, master, &err)) {
		caren_keys_derive(master, &srv->caren_keys);
		srv->caren_ready = true;
	} else {
		log_warn("caren: %s: Caren invitations, letters and activations are off", err);
		free(err);
	}
	sodium_memzero(master, sizeof master);
	free(path);
}

/* At start: expire stale open invitations; with the heartbeat not checked (demo), count the
 * portal as reachable from the start so that zorgd and zorgterm derive the same statuses.
 * False on a store error (logged). */
static bool caren_portal_start(struct server *srv)
{
	struct db *db = store_acquire(srv->store);
	struct actor who = audit_actor_worker("caren-heartbeat");
	int64_t now = (int64_t)time(NULL);
	char today[16];
	civil_format_date(civil_ams_today(now), today);
	/* Open invitations past their last day become EXPIRED (the status never waited). */
	bool ok = db && q_caren_expire(db, &who, 0, today) == STORE_OK;
	if (ok && srv->cfg.caren_heartbeat_timeout == 0)
		ok = q_caren_heartbeat(db, &who, now) == STORE_OK;
	if (db)
		store_release(srv->store, db);
	if (!ok)
		log_error("caren: cannot expire stale invitations or mark the portal reachable");
	return ok;
}

/* Check the settings whose values are choices; 0, or 2 (said on stderr). Log level set. */
static int check_choices(const struct server_config *c)
{
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	static const enum log_level lvls[] = {LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN,
										  LOG_LVL_ERROR};
	int found = -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(c->log_level, levels[i]) == 0)
			found = i;
	if (found < 0) {
		fprintf(stderr, "zorgd: log-level: '%s' is not debug, info, warn or error\n",
				c->log_level);
		return 2;
	}
	log_setup(stderr, lvls[found]);
	if (strcmp(c->smtp_tls, "auto") != 0 && strcmp(c->smtp_tls, "require") != 0 &&
		strcmp(c->smtp_tls, "off") != 0) {
		fprintf(stderr, "zorgd: smtp-tls: '%s' is not auto, require or off\n", c->smtp_tls);
		return 2;
	}
	return 0;
}

/* The one-shot commands (print or check the configuration, import, backup, restore):
 * their exit status, or -1 when zorgd is to open its store and go on. */
static int run_command(struct server *srv, const struct opt_set *set)
{
	struct server_config *c = &srv->cfg;
	if (c->print_config) {
		opts_print_config(set, stdout);
		return 0;
	}
	if (c->check_config)
		return checkcfg_run(c, stdout) ? 1 : 0;
	int rc = check_choices(c);
	if (rc)
		return rc;
	if (!c->db_path) {
		fprintf(stderr, "zorgd: --db PATH is required. Try 'zorgd --help'.\n");
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "zorgd: libsodium failed to initialise\n");
		return 1;
	}
	if (c->import_from)
		return import_sqlite(c);
	if (c->backup_path || c->restore_path)
		return store_backup_command(c->db_path, c->backup_path, c->restore_path);
	return -1;
}

/* Open the store (private files, the run lock that --restore respects); false when it
 * cannot be (said on stderr). */
static bool open_store(struct server *srv, int *run_lock)
{
	char *err = NULL;
	if (!dbfile_private(srv->cfg.db_path, &err)) {
		fprintf(stderr, "zorgd: %s\n", err);
		free(err);
		return false;
	}
	if (store_run_lock(srv->cfg.db_path, run_lock, &err) == 0)
		srv->store = store_open(srv->cfg.db_path, &err);
	if (!srv->store) {
		fprintf(stderr, "zorgd: %s\n", err);
		free(err);
		return false;
	}
	return true;
}

/* Serve HTTPS and the outbox until a stop signal; the exit status. */
static int serve(struct server *srv)
{
	if (!srv->cfg.cert_path || !srv->cfg.key_path) {
		fprintf(stderr, "zorgd: --cert PEM and --key PEM are required to serve HTTPS.\n");
		return 2;
	}
	if (!caren_portal_start(srv))
		return 1;
	srv->cert_pem = read_pem("certificate", srv->cfg.cert_path);
	srv->key_pem = read_pem("key", srv->cfg.key_path);
	if (srv->cfg.client_ca_path)
		srv->client_ca_pem = read_pem("client CA", srv->cfg.client_ca_path);
	if (!srv->cert_pem || !srv->key_pem || (srv->cfg.client_ca_path && !srv->client_ca_pem))
		return 1;
	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!outbox_start(srv))
		return 1;
	if (!http_start(srv)) {
		outbox_stop(srv);
		return 1;
	}
	int sig = 0;
	sigwait(&stop, &sig);
	log_info("signal %d: stopping", sig);
	http_stop(srv);
	outbox_stop(srv);
	log_info("stopped cleanly");
	return 0;
}

int main(int argc, char **argv)
{
	struct server srv = {0};
	const struct opt_set set = {
		.prog = "zorgd",
		.usage = usage_text,
		.version = ZORGD_VERSION,
		.opts = opts,
		.n = NOPTS,
		.base = &srv.cfg,
	};
	int rc = opts_parse(&set, argc, argv, "config", NULL);
	if (rc < 0)
		rc = run_command(&srv, &set);
	if (rc >= 0) {
		opts_free(&set);
		return rc;
	}
	int run_lock = -1;
	rc = 1;
	if (open_store(&srv, &run_lock)) {
		caren_setup(&srv);
		rc = srv.cfg.init_demo ? init_demo(&srv) : serve(&srv);
	}
	if (srv.key_pem)
		sodium_memzero(srv.key_pem, strlen(srv.key_pem));
	free(srv.cert_pem);
	free(srv.key_pem);
	free(srv.client_ca_pem);
	sodium_memzero(&srv.caren_keys, sizeof srv.caren_keys);
	caren_letter_shutdown();
	store_close(&srv.store);
	store_run_unlock(run_lock);
	opts_free(&set);
	return rc;
}
