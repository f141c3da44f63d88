/* zorgd's process-wide state: configuration, store and daemon. */
#ifndef ZT_SERVER_SERVER_H
#define ZT_SERVER_SERVER_H

#include "caren_code.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct store;
struct MHD_Daemon;
struct outbox;

/* Settings from the command line and the config file (see the option table in main.c). */
struct server_config {
	char *db_path;
	char *listen;      /* "ADDR:PORT" */
	char *cert_path;
	char *key_path;
	char *client_ca_path;
	char *log_level;
	int64_t body_limit;      /* bytes */
	int64_t session_idle;    /* seconds */
	int64_t session_max;     /* seconds */
	int64_t max_wait;        /* seconds, long-poll */
	int64_t login_user_limit;
	int64_t login_addr_limit;
	int64_t max_connections;
	int64_t max_per_address; /* connections from one client address */
	int64_t header_timeout;  /* seconds for the TLS handshake and the request headers */
	int64_t threads;         /* worker threads, each an event loop over its connections */
	/* the outbox (outbox.c, mail.c) */
	char *smtp_url;          /* smtp://HOST[:PORT] or smtps://...; NULL: the maildir */
	char *smtp_from;         /* sender address */
	char *smtp_user, *smtp_password;
	char *smtp_tls;          /* auto, require, off */
	char *smtp_ca;
	char *maildir;
	int64_t outbox_max_tries;
	int64_t outbox_retry;    /* seconds before the first retry; doubles */
	int64_t outbox_lease;    /* seconds a worker holds claimed rows */
	int64_t outbox_batch;
	int64_t outbox_senders;  /* sender threads, each with its own SMTP connection */
	char *caren_key_file;    /* Caren master key; default: the SQLite path + ".caren-key" */
	int64_t caren_heartbeat_timeout; /* seconds; 0: the portal's heartbeat is not checked */
	char *proxy_from;        /* balancer address whose connections start with PROXY */
	/* command-line only */
	char *config_path;
	bool init_demo;
	char *import_from; /* --import sqlite:PATH */
	int64_t demo_clients;
	int64_t demo_seed;
	bool print_config;
	bool check_config;  /* --check-config: validate and exit */
	char *backup_path;  /* --backup FILE */
	char *restore_path; /* --restore FILE */
};

struct server {
	struct server_config cfg;
	struct store *store;
	struct MHD_Daemon *daemon;
	struct outbox *outbox; /* the outbox worker, or NULL */
	bool loopback;     /* listening on a loopback address only */
	int listen_fd;     /* our own listen socket with --proxy-from (-1 otherwise) */
	pthread_t acceptor;
	bool accepting;
	char *cert_pem, *key_pem, *client_ca_pem;
	bool caren_ready;             /* caren_keys loaded (invitations, letters, redemption) */
	struct caren_keys caren_keys; /* derived from the Caren master key */
};

#endif
