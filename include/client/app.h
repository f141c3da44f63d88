/* The client core the UI drives: session, local replica, change-feed sync, requests.
 * Single-threaded: everything happens inside app_poll on the caller's thread. The core
 * speaks in message codes; the UI turns them into Dutch or English text. */
#ifndef ZT_CLIENT_APP_H
#define ZT_CLIENT_APP_H

#include "client/clients.h"
#include "client/config.h"
#include "client/events.h"
#include "client/feed.h"
#include "client/model.h"
#include "client/problem.h"
#include "client/replica.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

enum app_conn { CONN_NONE, CONN_CONNECTING, CONN_ONLINE, CONN_OFFLINE };

/* What the user should be told; the UI owns the words. */
enum app_msg {
	MSG_NONE,
	MSG_LOGIN_BAD,       /* wrong user name or password */
	MSG_LOGIN_THROTTLED, /* arg: seconds to wait */
	MSG_LOGIN_DEMO_REMOTE,
	MSG_UNREACHABLE,     /* server not reachable */
	MSG_TLS,             /* certificate could not be verified */
	MSG_TIMEOUT,
	MSG_SERVER_ERROR,
	MSG_PROTOCOL,        /* the answer made no sense */
	MSG_SESSION_EXPIRED,
	MSG_REPLICA_REBUILT, /* arg: enum replica_rebuild */
	MSG_NOT_FOUND,
	MSG_FORBIDDEN,
	MSG_CANCELLED,
	MSG_INVALID,         /* text: the field */
	MSG_BSN_NONE,        /* no client with that BSN (in scope) */
	MSG_BSN_FOUND,
	MSG_LOGGED_OUT,
	MSG_SYNCED,          /* arg: number of clients */
};

enum app_req_state { REQ_IDLE, REQ_BUSY, REQ_OK, REQ_ERROR };

/* The requests the user starts: writes, the log-in, personalia and BSN look-up, and the
 * Caren requests (src/client/caren.c; OP_CAREN_PAGE and OP_CAREN_SUMMARY are reads). */
enum app_op_kind {
	OP_NONE,
	OP_ORDER,
	OP_DELETE_ORDER,
	OP_START_USE,
	OP_ADD_REG,
	OP_END_REG,
	OP_DEVICE_TYPE,
	OP_LOGIN,
	OP_DETAIL,
	OP_BSN,
	OP_CAREN_PAGE,
	OP_CAREN_SUMMARY,
	OP_CAREN_INVITE,
	OP_CAREN_REVOKE,
	OP_CAREN_UNLINK,
	OP_CAREN_LETTER,
	/* Location messages (src/client/messages.c); OP_MSG_GET and OP_MSG_AUDIENCE are reads. */
	OP_MSG_GET,
	OP_MSG_AUDIENCE,
	OP_MSG_SEND,
};

/* One user-started request: the generic request record. A screen keeps the id app_* gave it
 * and reads the outcome with app_request() when APP_EV_OP arrives. */
struct app_request {
	uint64_t id;               /* 0: a free slot */
	enum app_op_kind kind;
	enum app_req_state state;
	long status;               /* HTTP status, 0 when no answer */
	enum problem problem;      /* what went wrong (PROB_NONE when fine) */
	char field[64];            /* first invalid field (wire name), e.g. "delivery.postcode" */
	int64_t client_id;         /* OP_ORDER: whose draft to drop on success */
	int64_t result_id;         /* id of the order / registration / device type answered */
	uint64_t net;              /* the transfer running, 0 when none */
	struct app *app;
};

#define APP_MAX_REQUESTS 8

struct m_message;

/* The print command of a saved letter: still running, or how it ended. */
enum app_print { PRINT_IDLE, PRINT_RUNNING, PRINT_OK, PRINT_FAILED };

struct app {
	struct zt_config *cfg;
	struct net *net;
	char *state_dir, *cache_dir;
	char *user, *profile, *token;
	bool logged_in;
	struct m_me me;
	struct replica *rep;
	struct client_index clients;
	struct m_location *locs;
	size_t nlocs;

	enum app_conn conn;
	int64_t synced_at; /* unix time of the last good contact */
	int sync;          /* internal sync state */
	uint64_t sync_req;
	int64_t retry_at_ms, backoff_ms;
	int64_t sync_done_rev, sync_target_rev;
	uint64_t visible_req;
	int64_t reconciled_ms; /* when the replica was last reconciled (0: not this session) */
	bool initial_sync; /* paging through a big backlog */

	uint64_t login_rq; /* the request records of the log-in, personalia and BSN look-up */
	uint64_t me_req;

	uint64_t detail_rq;
	int64_t detail_id;
	struct m_client detail;

	uint64_t bsn_rq;
	int64_t bsn_client; /* found client id, or 0 */

	struct m_caren_page caren;    /* the last Caren page fetched (client_id 0: none) */
	int64_t caren_messages_sent;  /* from GET /caren/summary; -1 unknown */
	char caren_letter[1024];      /* where the last letter was saved */
	int print_pid;                /* the print command still running, or 0 */
	enum app_print print_state;   /* how the last print command ended */
	char caren_valid_until[16];   /* last valid day of the invitation made last */

	struct m_message *msg_detail;   /* the last message read with its text, or NULL */
	int64_t msg_aud_clients, msg_aud_users; /* the last audience asked for */
	bool msg_aud_off;               /* ... and Caren's communication option was off */

	struct app_request reqs[APP_MAX_REQUESTS];
	uint64_t last_req_id;

	enum app_msg msg;
	long msg_arg;
	char msg_text[128];
	unsigned events;
};

/* A new core for cfg (borrowed; must outlive the core). */
struct app *app_new(struct zt_config *cfg);
/* Stop everything and free; sets *ap to NULL. */
void app_free(struct app **ap);
/* Resume the saved session of the configured or last user, if any: opens the replica and
 * starts syncing. Returns true when a session was resumed (the main screen can show). */
bool app_resume(struct app *a);
/* Start logging in; APP_EV_LOGIN follows. */
void app_login(struct app *a, const char *user, const char *password);
/* Log out: end the session on the server (best effort), wipe token and replica. */
void app_logout(struct app *a);
/* Fetch a client's personalia; APP_EV_DETAIL follows. */
void app_open_client(struct app *a, int64_t id);
/* Forget the personalia shown (wipes the BSN from memory). */
void app_close_client(struct app *a);
/* Look a BSN up on the server; APP_EV_BSN follows. */
void app_bsn_lookup(struct app *a, const char *bsn);
/* Place an order from a draft (Idempotency-Key from the draft); the draft file is
 * removed only when the server has accepted it. APP_EV_OP follows. */
uint64_t app_place_order(struct app *a, const struct m_order_draft *d);
/* Delete a declined order. */
uint64_t app_delete_order(struct app *a, int64_t order_id);
/* Start use of an accepted order: registers the device and completes the order. */
uint64_t app_start_use(struct app *a, int64_t order_id, const char *serial, const char *start_date);
/* Register a device without an order. */
uint64_t app_add_registration(struct app *a, int64_t client_id, int64_t device_type_id,
						  const char *serial, const char *start_date, const char *end_date);
/* Set or clear a registration's end date. */
uint64_t app_end_registration(struct app *a, int64_t reg_id, const char *end_date);
/* Change the organisation's settings of a device type. */
uint64_t app_set_device_type(struct app *a, int64_t id, bool in_use, bool ordering);
/* Caren (src/client/caren.c). Each returns a request id; APP_EV_OP follows, and for the
 * page and summary also APP_EV_CAREN (a->caren, a->caren_messages_sent). */
uint64_t app_caren_page(struct app *a, int64_t client_id);
uint64_t app_caren_summary(struct app *a);
/* Invite client_id (a fresh Idempotency-Key per call). */
uint64_t app_caren_invite(struct app *a, int64_t client_id);
uint64_t app_caren_revoke(struct app *a, int64_t invitation_id);
uint64_t app_caren_unlink(struct app *a, int64_t client_id, const char *reason);
/* Fetch invitation_id's letter and save it as caren-uitnodiging-<client number>-<date>.pdf in
 * $XDG_DOWNLOAD_DIR, else $HOME (a->caren_letter says where; PROB_FILE when it cannot). */
uint64_t app_caren_letter(struct app *a, int64_t invitation_id, int64_t client_id);
/* Start the configured print_command on file (no shell, not waited for: the loop reaps it
 * and raises APP_EV_CAREN with a->print_state set); false when none is set, one still runs,
 * or it cannot be started. */
bool app_caren_print(struct app *a, const char *file);
/* Reap a finished print command (called by app_poll): a->print_state, APP_EV_CAREN. */
void app_print_reap(struct app *a);

/* The record of request id (returned by the write functions above), or NULL when it is
 * unknown or its slot was reused. Owned by the core. */
const struct app_request *app_request(const struct app *a, uint64_t id);
/* The state of the latest log-in, personalia fetch and BSN look-up (REQ_IDLE: none). */
enum app_req_state app_login_state(const struct app *a);
enum app_req_state app_detail_state(const struct app *a);
enum app_req_state app_bsn_state(const struct app *a);
/* True while request id runs. */
bool app_request_busy(const struct app *a, uint64_t id);
/* Cancel whatever user-started request is running (login, detail, BSN). True if one was. */
bool app_cancel(struct app *a);
/* Wait up to timeout_ms for the network or the extra fds, then run what finished and any
 * due timers. */
void app_poll(struct app *a, struct curl_waitfd *extra, unsigned int nextra, int timeout_ms);
/* Milliseconds until the core's next timer (or max_ms). */
int app_timeout_ms(const struct app *a, int max_ms);
/* Take and clear the accumulated event bits. */
unsigned app_take_events(struct app *a);
/* True while the first sync pages through a backlog; *done and *total in revisions. */
bool app_sync_progress(const struct app *a, int64_t *done, int64_t *total);
/* Milliseconds on the monotonic clock. */
int64_t app_now_ms(void);

#endif
