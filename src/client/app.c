/* The client core: session persistence, change-feed sync with back-off, and the requests
 * the screens start. Never blocks: every request goes through net and completes in
 * app_poll. */
#include "client/app.h"
#include "app_ops.h"

#include "client/drafts.h"
#include "client/messages.h"
#include "client/net.h"
#include "client/visible.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { SYNC_OFF, SYNC_PAGE, SYNC_POLL, SYNC_BACKOFF };

#define PAGE_LIMIT 1000
#define BACKOFF_MIN 1000
#define BACKOFF_MAX 30000
#define RECONCILE_EVERY_MS (6 * 3600 * 1000)
#define LOAD_FIRST 500   /* clients read before the first frame: more than a screenful */
#define LOAD_SLICE 2000  /* clients read per loop turn after it (about 2 ms) */

int64_t app_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Tell the UI something. */
static void say(struct app *a, enum app_msg m, long arg, const char *text)
{
	a->msg = m;
	a->msg_arg = arg;
	snprintf(a->msg_text, sizeof a->msg_text, "%s", text ? text : "");
	a->events |= APP_EV_MSG;
}

/* Read a small file into a new string (trailing newline removed), or NULL. */
static char *read_small(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char line[512];
	char *s = fgets(line, sizeof line, f) ? xstrdup(line) : NULL;
	fclose(f);
	if (s)
		s[strcspn(s, "\r\n")] = '\0';
	return s;
}

/* Write a small private (0600) file atomically; 0 on success. */
static int write_private(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = -1;
	if (fd >= 0) {
		size_t len = strlen(text);
		if (write(fd, text, len) == (ssize_t)len && fsync(fd) == 0)
			rc = 0;
		close(fd);
		if (rc == 0 && rename(tmp, path) != 0)
			rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Path of a per-profile state file. Caller frees. */
static char *state_file(const struct app *a, const char *what)
{
	return xasprintf("%s/%s.%s", a->state_dir, a->profile, what);
}

/* Path of the file remembering the last user of this server. Caller frees. */
static char *last_user_file(const struct app *a)
{
	char *p = paths_profile(a->cfg->server, "last-user");
	char *f = xasprintf("%s/%s", a->state_dir, p);
	free(p);
	return f;
}

struct app *app_new(struct zt_config *cfg)
{
	struct app *a = xcalloc(1, sizeof *a);
	a->cfg = cfg;
	a->net = net_new(cfg->ca_file);
	a->state_dir = paths_state_dir();
	a->cache_dir = paths_cache_dir();
	clients_init(&a->clients);
	a->caren.days_left = -1;
	a->caren_messages_sent = -1;
	return a;
}

/* Free the location list. */
static void locs_free(struct app *a)
{
	for (size_t i = 0; i < a->nlocs; i++)
		m_location_free(&a->locs[i]);
	free(a->locs);
	a->locs = NULL;
	a->nlocs = 0;
}

/* Forget the session's in-memory state (not the files); requests of the session in
 * flight are cancelled, so none of them lands in a later session's replica. */
static void session_clear(struct app *a)
{
	if (a->net) {
		for (size_t i = 0; i < APP_MAX_REQUESTS; i++) {
			uint64_t id = a->reqs[i].net;
			a->reqs[i].net = 0;
			if (id)
				net_cancel(a->net, id);
		}
		uint64_t *reqs[] = {&a->sync_req, &a->me_req, &a->visible_req};
		for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
			uint64_t id = *reqs[i];
			*reqs[i] = 0;
			if (id)
				net_cancel(a->net, id);
		}
	}
	if (a->token)
		memset(a->token, 0, strlen(a->token));
	XFREE(&a->token);
	m_me_free(&a->me);
	clients_free(&a->clients); /* before the replica: a running load reads from it */
	replica_close(&a->rep);
	locs_free(a);
	m_client_free(&a->detail);
	a->detail_rq = a->bsn_rq = 0; /* their records are free again */
	m_caren_page_free(&a->caren);
	message_detail_drop(a);
	a->caren_messages_sent = -1;
	a->logged_in = false;
	a->sync = SYNC_OFF;
	a->conn = CONN_NONE;
	a->initial_sync = false;
	a->reconciled_ms = 0;
}

void app_free(struct app **ap)
{
	struct app *a = *ap;
	if (!a)
		return;
	net_free(&a->net); /* callbacks see cancellation while a is still whole */
	session_clear(a);
	free(a->user);
	free(a->profile);
	free(a->state_dir);
	free(a->cache_dir);
	free(a);
	*ap = NULL;
}

/* Headers of an authenticated request (static storage, rebuilt per call). */
static const char *const *auth_headers(struct app *a)
{
	static char auth[256];
	static const char *h[2];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", a->token ? a->token : "");
	h[0] = auth;
	h[1] = NULL;
	return h;
}

/* Full URL for an API path. Caller frees. */
static char *url_for(const struct app *a, const char *path)
{
	size_t n = strlen(a->cfg->server);
	return xasprintf("%.*s%s", (int)(n && a->cfg->server[n - 1] == '/' ? n - 1 : n), a->cfg->server, path);
}

/* Start an authenticated GET of path. */
static uint64_t get(struct app *a, const char *path, long timeout_ms, net_cb cb)
{
	char *url = url_for(a, path);
	uint64_t id = net_start(a->net, "GET", url, auth_headers(a), NULL, timeout_ms, cb, a);
	free(url);
	return id;
}

static struct app_request *req_new(struct app *a, enum app_op_kind kind);

/* Start an authenticated GET of path for request record q (the callback's ud). */
static void get_for(struct app *a, struct app_request *q, const char *path, net_cb cb)
{
	char *url = url_for(a, path);
	q->net = net_start(a->net, "GET", url, auth_headers(a), NULL, a->cfg->timeout * 1000, cb, q);
	free(url);
}

/* Map a failed transfer to a message. */
static enum app_msg transfer_msg(const struct net_response *r)
{
	switch (r->outcome) {
	case NET_CANCELLED:
		return MSG_CANCELLED;
	case NET_TIMEOUT:
		return MSG_TIMEOUT;
	case NET_TLS:
		return MSG_TLS;
	case NET_CONNECT:
		return MSG_UNREACHABLE;
	default:
		return MSG_UNREACHABLE;
	}
}

/* The server says our session is gone: back to the login screen, keep the replica file. */
static void session_lost(struct app *a)
{
	char *tf = state_file(a, "token");
	unlink(tf);
	free(tf);
	session_clear(a);
	say(a, MSG_SESSION_EXPIRED, 0, NULL);
	a->events |= APP_EV_SESSION | APP_EV_CONN;
}

/* Reload the location list from the replica. */
static void load_locations(struct app *a)
{
	locs_free(a);
	if (a->rep)
		replica_locations(a->rep, &a->locs, &a->nlocs);
	a->events |= APP_EV_LOCATIONS;
}

static void sync_next(struct app *a, int64_t wait);
static void maybe_reconcile(struct app *a);

/* Schedule a retry of the sync after a failure, with exponential back-off. */
static void sync_backoff(struct app *a)
{
	a->backoff_ms = a->backoff_ms ? a->backoff_ms * 2 : BACKOFF_MIN;
	if (a->backoff_ms > BACKOFF_MAX)
		a->backoff_ms = BACKOFF_MAX;
	a->retry_at_ms = app_now_ms() + a->backoff_ms;
	a->sync = SYNC_BACKOFF;
}

/* Mirror the client changes of an applied page into the in-memory index; returns the
 * event bits the page's changes raise (from the feed-type table). */
static unsigned index_page(struct app *a, const cJSON *changes)
{
	unsigned events = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, changes)
	{
		struct m_change c;
		if (!m_change_parse(it, &c))
			continue;
		const struct feed_type *ft = feed_type_of(c.type);
		if (ft)
			events |= ft->event;
		if (c.type == M_CLIENT) {
			struct m_client cl;
			if (c.deleted)
				clients_remove(&a->clients, c.id);
			else if (m_client_parse(c.data, &cl)) {
				clients_upsert(&a->clients, cl.id, cl.client_number, cl.name, cl.birth_date,
							   cl.location_id);
				m_client_free(&cl);
			}
		}
	}
	return events;
}

/* A change-feed page arrived (or the request failed). */
static void on_changes(void *ud, const struct net_response *r)
{
	struct app *a = ud;
	a->sync_req = 0;
	if (r->outcome == NET_CANCELLED)
		return;
	if (r->outcome != NET_DONE || r->status >= 500) {
		if (a->conn != CONN_OFFLINE) {
			a->conn = CONN_OFFLINE;
			a->events |= APP_EV_CONN;
			log_info("offline: %s", r->outcome == NET_DONE ? "server error" : r->error);
		}
		sync_backoff(a);
		return;
	}
	if (r->status == 401) {
		session_lost(a);
		return;
	}
	cJSON *j = cJSON_ParseWithLength(r->body, r->len);
	const cJSON *changes;
	int64_t next, revision;
	if (r->status != 200 || !j || !m_page_parse(j, &changes, &next, &revision)) {
		log_warn("change feed answered %ld with an unusable body", r->status);
		cJSON_Delete(j);
		sync_backoff(a);
		return;
	}
	int64_t now = (int64_t)time(NULL);
	int nclients = 0, nhct = 0; /* counted by the replica; the events come from the table */
	int count = cJSON_GetArraySize(changes);
	log_debug("change feed page: %d changes, next %lld, revision %lld", count, (long long)next,
			  (long long)revision);
	if (replica_apply_page(a->rep, changes, next, now, &nclients, &nhct) != 0) {
		log_error("cannot write the replica");
		cJSON_Delete(j);
		sync_backoff(a);
		return;
	}
	unsigned ev = index_page(a, changes);
	if (ev & APP_EV_LOCATIONS)
		load_locations(a);
	cJSON_Delete(j);
	a->backoff_ms = 0;
	a->synced_at = now;
	a->events |= ev;
	if (a->conn != CONN_ONLINE) {
		a->conn = CONN_ONLINE;
		a->events |= APP_EV_CONN;
	}
	a->sync_done_rev = next;
	a->sync_target_rev = revision;
	if (count >= PAGE_LIMIT) {
		if (!a->initial_sync && revision - next > PAGE_LIMIT) {
			a->initial_sync = true;
			replica_bulk(a->rep, true);
		}
		a->events |= APP_EV_PROGRESS;
		sync_next(a, 0);
	} else {
		if (a->initial_sync) {
			a->initial_sync = false;
			replica_bulk(a->rep, false);
			a->events |= APP_EV_PROGRESS;
			say(a, MSG_SYNCED, (long)clients_count(&a->clients), NULL);
		}
		sync_next(a, a->cfg->long_poll);
		maybe_reconcile(a);
	}
}

/* GET /visible answered: drop what the caller may no longer see. */
static void on_visible(void *ud, const struct net_response *r)
{
	struct app *a = ud;
	a->visible_req = 0;
	if (r->outcome != NET_DONE || r->status != 200 || !a->rep)
		return; /* tried again after the next catch-up */
	struct visible vis; /* id lists, not a JSON tree: 0.8 MB at 100,000 clients, not 6.4 */
	int64_t *gone = NULL;
	size_t n = 0;
	int rc = visible_parse(r->body, r->len, &vis) == 0 ? replica_reconcile(a->rep, &vis, &gone, &n) : -1;
	visible_free(&vis);
	if (rc == 0) {
		a->reconciled_ms = app_now_ms();
		for (size_t i = 0; i < n; i++)
			clients_remove(&a->clients, gone[i]);
		if (n)
			log_info("reconciled: %zu clients no longer visible were removed", n);
		a->events |= APP_EV_CLIENTS | APP_EV_HCT;
	}
	free(gone);
}

/* Once per session after catching up, and every few hours, ask which records are still
 * visible: the feed cannot report a lost scope or a client that moved away. */
static void maybe_reconcile(struct app *a)
{
	if (a->visible_req || !a->rep)
		return;
	if (a->reconciled_ms && app_now_ms() - a->reconciled_ms < RECONCILE_EVERY_MS)
		return;
	a->visible_req = get(a, "/api/v1/visible", a->cfg->timeout * 4000, on_visible);
}

/* Ask the change feed for what follows our revision, waiting up to wait seconds. */
static void sync_next(struct app *a, int64_t wait)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/changes?since=%lld&limit=%d&wait=%lld",
			 (long long)replica_since(a->rep), PAGE_LIMIT, (long long)wait);
	a->sync = wait ? SYNC_POLL : SYNC_PAGE;
	a->sync_req = get(a, path, (wait + a->cfg->timeout) * 1000, on_changes);
}

/* Open the replica for the current profile and start syncing. false on failure. */
static bool start_session(struct app *a)
{
	char *path = xasprintf("%s/%s.db", a->cache_dir, a->profile);
	enum replica_rebuild why;
	char *err = NULL;
	a->rep = replica_open(path, a->profile, &why, &err);
	free(path);
	if (!a->rep) {
		log_error("%s", err);
		say(a, MSG_PROTOCOL, 0, err);
		free(err);
		return false;
	}
	if (why == REPLICA_CORRUPT || why == REPLICA_TOO_NEW)
		say(a, MSG_REPLICA_REBUILT, why, NULL);
	/* The first screenful now; the rest in slices from app_poll, after the first frame. */
	clients_load_begin(&a->clients, a->rep, LOAD_FIRST);
	load_locations(a);
	a->synced_at = replica_synced_at(a->rep);
	char *me = replica_meta_get(a->rep, "me");
	cJSON *mj = me ? cJSON_Parse(me) : NULL;
	if (mj) {
		m_me_free(&a->me);
		m_me_parse(mj, &a->me);
	}
	cJSON_Delete(mj);
	free(me);
	a->logged_in = true;
	a->conn = CONN_CONNECTING;
	a->events |= APP_EV_SESSION | APP_EV_CONN | APP_EV_CLIENTS;
	sync_next(a, 0);
	return true;
}

/* Adopt user as the current one (profile name, remembered as the last user). */
static void set_user(struct app *a, const char *user)
{
	free(a->user);
	free(a->profile);
	a->user = xstrdup(user);
	a->profile = paths_profile(a->cfg->server, user);
}

/* GET /me answered: keep it for offline starts. */
static void on_me(void *ud, const struct net_response *r)
{
	struct app *a = ud;
	a->me_req = 0;
	if (r->outcome != NET_DONE)
		return;
	if (r->status == 401) {
		session_lost(a);
		return;
	}
	cJSON *j = r->status == 200 ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	struct m_me me;
	if (j && m_me_parse(j, &me)) {
		m_me_free(&a->me);
		a->me = me;
		if (a->rep)
			replica_meta_set(a->rep, "me", r->body);
		a->events |= APP_EV_SESSION;
	}
	cJSON_Delete(j);
}

bool app_resume(struct app *a)
{
	char *luf = last_user_file(a);
	char *user = a->cfg->user ? xstrdup(a->cfg->user) : read_small(luf);
	free(luf);
	if (!user)
		return false;
	set_user(a, user);
	free(user);
	char *tf = state_file(a, "token");
	a->token = read_small(tf);
	free(tf);
	if (!a->token || !*a->token) {
		XFREE(&a->token);
		return false;
	}
	if (!start_session(a)) {
		session_clear(a);
		return false;
	}
	a->me_req = get(a, "/api/v1/me", a->cfg->timeout * 1000, on_me);
	return true;
}

/* How answer_begin treats a failed transfer and a 401. */
enum {
	ANSWER_OFFLINE = 1,   /* a failed transfer marks the connection offline */
	ANSWER_401_LOST = 2,  /* a 401 means the session is gone */
};

/* Start handling answer r to user request q (ev: the event to raise): note its status,
 * assume failure, and deal with a failed or cancelled transfer and (flags) a 401 here.
 * True when the caller has an HTTP answer to read. */
static bool answer_begin(struct app_request *q, const struct net_response *r, unsigned ev,
						 unsigned flags)
{
	struct app *a = q->app;
	q->net = 0;
	q->status = r->outcome == NET_DONE ? r->status : 0;
	a->events |= ev;
	q->state = REQ_ERROR;
	if (r->outcome == NET_CANCELLED) {
		q->state = REQ_IDLE;
		return false;
	}
	if (r->outcome != NET_DONE) {
		log_info("request failed: %s", r->error ? r->error : "?");
		say(a, transfer_msg(r), 0, NULL);
		if ((flags & ANSWER_OFFLINE) && a->conn == CONN_ONLINE) {
			a->conn = CONN_OFFLINE;
			a->events |= APP_EV_CONN;
		}
		return false;
	}
	if ((flags & ANSWER_401_LOST) && r->status == 401) {
		session_lost(a);
		return false;
	}
	return true;
}

/* POST /session answered. */
static void on_login(void *ud, const struct net_response *r)
{
	struct app_request *q = ud;
	struct app *a = q->app;
	if (!answer_begin(q, r, APP_EV_LOGIN, 0))
		return;
	cJSON *j = cJSON_ParseWithLength(r->body, r->len);
	const char *slug = NULL, *detail, *field, *reason;
	if (j && r->status != 201)
		m_problem_parse(j, &slug, &detail, &field, &reason);
	const char *token, *expires;
	if (r->status == 201 && j && m_login_parse(j, &token, &expires)) {
		a->token = xstrdup(token);
		char *tf = state_file(a, "token");
		if (write_private(tf, a->token) != 0)
			log_warn("cannot save the session token: %s", strerror(errno));
		free(tf);
		char *luf = last_user_file(a);
		write_private(luf, a->user);
		free(luf);
		q->state = REQ_OK;
		if (start_session(a))
			a->me_req = get(a, "/api/v1/me", a->cfg->timeout * 1000, on_me);
	} else if (r->status == 429) {
		say(a, MSG_LOGIN_THROTTLED, r->retry_after > 0 ? r->retry_after : 60, NULL);
	} else if (r->status == 401) {
		say(a, MSG_LOGIN_BAD, 0, NULL);
	} else if (r->status == 403 && problem_from_slug(slug) == PROB_DEMO_ACCOUNT) {
		say(a, MSG_LOGIN_DEMO_REMOTE, 0, NULL);
	} else if (r->status == 400) {
		say(a, MSG_INVALID, 0, field);
	} else if (r->status >= 500) {
		say(a, MSG_SERVER_ERROR, r->status, NULL);
	} else {
		say(a, MSG_PROTOCOL, r->status, NULL);
	}
	cJSON_Delete(j);
}

void app_login(struct app *a, const char *user, const char *password)
{
	session_clear(a);
	set_user(a, user);
	char *body = m_login_body(user, password);
	char *url = url_for(a, "/api/v1/session");
	struct app_request *q = req_new(a, OP_LOGIN);
	a->login_rq = q->id;
	q->net = net_start(a->net, "POST", url, NULL, body, a->cfg->timeout * 1000, on_login, q);
	memset(body, 0, strlen(body));
	free(body);
	free(url);
}

/* Logout answer: nothing to do, the local state is already gone. */
static void on_logout(void *ud, const struct net_response *r)
{
	(void)ud, (void)r;
}

void app_logout(struct app *a)
{
	if (a->sync_req)
		net_cancel(a->net, a->sync_req);
	if (a->token) {
		char *url = url_for(a, "/api/v1/session");
		net_start(a->net, "DELETE", url, auth_headers(a), NULL, 3000, on_logout, a);
		free(url);
	}
	if (a->profile) {
		char *tf = state_file(a, "token");
		unlink(tf);
		free(tf);
	}
	clients_free(&a->clients); /* before the replica: a running load reads from it */
	replica_wipe(&a->rep);
	session_clear(a);
	say(a, MSG_LOGGED_OUT, 0, NULL);
	a->events |= APP_EV_SESSION | APP_EV_CONN;
}

/* Classify a non-200 answer to a user request. */
static enum app_msg status_msg(long status)
{
	if (status == 404)
		return MSG_NOT_FOUND;
	if (status == 403)
		return MSG_FORBIDDEN;
	if (status >= 500)
		return MSG_SERVER_ERROR;
	return MSG_PROTOCOL;
}

/* GET /clients/{id} answered. */
static void on_detail(void *ud, const struct net_response *r)
{
	struct app_request *q = ud;
	struct app *a = q->app;
	if (!answer_begin(q, r, APP_EV_DETAIL, ANSWER_OFFLINE | ANSWER_401_LOST))
		return;
	cJSON *j = r->status == 200 ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	m_client_free(&a->detail);
	if (j && m_client_parse(j, &a->detail))
		q->state = REQ_OK;
	else
		say(a, status_msg(r->status), r->status, NULL);
	cJSON_Delete(j);
}

void app_open_client(struct app *a, int64_t id)
{
	const struct app_request *old = app_request(a, a->detail_rq);
	if (old && old->net)
		net_cancel(a->net, old->net);
	m_client_free(&a->detail);
	a->detail_id = id;
	struct app_request *q = req_new(a, OP_DETAIL);
	a->detail_rq = q->id;
	char path[64];
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)id);
	get_for(a, q, path, on_detail);
	a->events |= APP_EV_DETAIL;
}

void app_close_client(struct app *a)
{
	const struct app_request *q = app_request(a, a->detail_rq);
	if (q && q->net)
		net_cancel(a->net, q->net);
	m_client_free(&a->detail);
	a->detail_rq = 0;
	a->detail_id = 0;
}

/* GET /clients?bsn= answered. */
static void on_bsn(void *ud, const struct net_response *r)
{
	struct app_request *q = ud;
	struct app *a = q->app;
	a->bsn_client = 0;
	if (!answer_begin(q, r, APP_EV_BSN, ANSWER_401_LOST))
		return;
	cJSON *j = cJSON_ParseWithLength(r->body, r->len);
	if (r->status == 200 && j) {
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(j, "clients");
		struct m_client c;
		if (cJSON_IsArray(list) && list->child && m_client_parse(list->child, &c)) {
			a->bsn_client = c.id;
			/* Make sure the list can show it even before the feed brings it: the list's
			 * names come from the replica, so it goes there first (list fields only). */
			if (!clients_get(&a->clients, c.id)) {
				if (a->rep)
					replica_put(a->rep, feed_type_of(M_CLIENT)->wire, list->child);
				clients_upsert(&a->clients, c.id, c.client_number, c.name, c.birth_date, c.location_id);
				a->events |= APP_EV_CLIENTS;
			}
			m_client_free(&c);
			say(a, MSG_BSN_FOUND, 0, NULL);
		} else {
			say(a, MSG_BSN_NONE, 0, NULL);
		}
		q->state = REQ_OK;
	} else if (r->status == 400) {
		say(a, MSG_INVALID, 0, "bsn");
	} else {
		say(a, status_msg(r->status), r->status, NULL);
	}
	cJSON_Delete(j);
}

void app_bsn_lookup(struct app *a, const char *bsn)
{
	const struct app_request *old = app_request(a, a->bsn_rq);
	if (old && old->net)
		net_cancel(a->net, old->net);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/clients?bsn=%.9s", bsn);
	struct app_request *q = req_new(a, OP_BSN);
	a->bsn_rq = q->id;
	get_for(a, q, path, on_bsn);
}

/* The feed type an operation's answer is stored as. */
static const char *op_type(enum app_op_kind k)
{
	enum m_type t = k == OP_ORDER || k == OP_DELETE_ORDER ? M_HCT_ORDER
					: k == OP_DEVICE_TYPE						? M_DEVICE_TYPE
																: M_HCT_REGISTRATION;
	return feed_type_of(t)->wire;
}

/* Keep a successful write's answer in the replica at once (the feed brings it later). */
static void op_store(struct app *a, struct app_request *op, const cJSON *j)
{
	if (op->kind == OP_DELETE_ORDER) {
		replica_forget(a->rep, feed_type_of(M_HCT_ORDER)->wire, op->result_id);
	} else if (j) {
		jx_int(j, "id", &op->result_id);
		replica_put(a->rep, op_type(op->kind), j);
		/* Starting use completes the order: it leaves the overview at once. */
		int64_t order_id;
		if (op->kind == OP_START_USE && jx_int(j, "order_id", &order_id)) {
			struct m_order o;
			if (replica_order(a->rep, order_id, &o)) {
				replica_forget(a->rep, feed_type_of(M_HCT_ORDER)->wire, order_id);
				m_order_free(&o);
			}
		}
	}
	if (op->kind == OP_ORDER)
		draft_delete(a->state_dir, a->profile, op->client_id);
	a->events |= APP_EV_HCT;
}

/* Map a failed transfer to a problem. */
static enum problem transfer_problem(const struct net_response *r)
{
	switch (r->outcome) {
	case NET_CANCELLED:
		return PROB_CANCELLED;
	case NET_TIMEOUT:
		return PROB_TIMEOUT;
	case NET_TLS:
		return PROB_TLS;
	default:
		return PROB_UNREACHABLE;
	}
}

/* A write answered (or failed). */
static void on_op(void *ud, const struct net_response *r)
{
	struct app_request *op = ud;
	struct app *a = op->app;
	op->net = 0;
	op->status = r->outcome == NET_DONE ? r->status : 0;
	a->events |= APP_EV_OP;
	if (r->outcome != NET_DONE) {
		op->state = r->outcome == NET_CANCELLED ? REQ_IDLE : REQ_ERROR;
		op->problem = transfer_problem(r);
		if (r->outcome != NET_CANCELLED) {
			log_info("write failed: %s", r->error ? r->error : "?");
			say(a, transfer_msg(r), 0, NULL);
		}
		return;
	}
	if (r->status == 401) {
		op->state = REQ_ERROR;
		op->problem = PROB_UNAUTHORIZED;
		session_lost(a);
		return;
	}
	cJSON *j = r->len ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	if (r->status >= 200 && r->status < 300) {
		op->state = REQ_OK;
		if (op->kind >= OP_MSG_GET)
			message_op_ok(a, op, j);
		else if (op->kind >= OP_CAREN_PAGE)
			caren_op_ok(a, op, j, r->body, r->len);
		else
			op_store(a, op, j);
	} else {
		op->state = REQ_ERROR;
		const char *slug = NULL, *detail = NULL, *field = NULL, *reason = NULL;
		if (j)
			m_problem_parse(j, &slug, &detail, &field, &reason);
		op->problem = slug ? problem_from_slug(slug) : problem_from_status(r->status);
		snprintf(op->field, sizeof op->field, "%s", field ? field : "");
		/* The server's English words go to the log only. */
		log_info("write refused (%ld %s): %s %s", r->status, slug ? slug : "-", field ? field : "",
				 reason ? reason : detail ? detail : "");
	}
	cJSON_Delete(j);
}

/* A free request slot (the oldest finished one when all are used). */
static struct app_request *req_slot(struct app *a)
{
	struct app_request *best = NULL;
	for (size_t i = 0; i < APP_MAX_REQUESTS; i++) {
		struct app_request *q = &a->reqs[i];
		if (!q->id)
			return q;
		bool held = q->id == a->login_rq || q->id == a->detail_rq || q->id == a->bsn_rq;
		if (!q->net && !held && (!best || q->id < best->id))
			best = q;
	}
	if (!best) { /* all running: the oldest gives way */
		best = &a->reqs[0];
		for (size_t i = 1; i < APP_MAX_REQUESTS; i++)
			if (a->reqs[i].id < best->id)
				best = &a->reqs[i];
		net_cancel(a->net, best->net);
	}
	return best;
}

/* A new request record of kind, already failed or about to start. */
static struct app_request *req_new(struct app *a, enum app_op_kind kind)
{
	struct app_request *q = req_slot(a);
	memset(q, 0, sizeof *q);
	q->id = ++a->last_req_id;
	q->kind = kind;
	q->state = REQ_BUSY;
	q->app = a;
	return q;
}

/* Start a write: method on path with body (taken over) and an optional extra header. */
struct app_request *app_start_op(struct app *a, enum app_op_kind kind, const char *method,
								 const char *path, char *body, const char *header)
{
	struct app_request *q = req_new(a, kind);
	char auth[256];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", a->token ? a->token : "");
	const char *headers[] = {auth, header, NULL};
	char *url = url_for(a, path);
	q->net = net_start(a->net, method, url, headers, body, a->cfg->timeout * 1000, on_op, q);
	free(url);
	free(body);
	return q;
}

const struct app_request *app_request(const struct app *a, uint64_t id)
{
	for (size_t i = 0; id && i < APP_MAX_REQUESTS; i++)
		if (a->reqs[i].id == id)
			return &a->reqs[i];
	return NULL;
}

enum app_req_state app_login_state(const struct app *a)
{
	const struct app_request *q = app_request(a, a->login_rq);
	return q ? q->state : REQ_IDLE;
}

enum app_req_state app_detail_state(const struct app *a)
{
	const struct app_request *q = app_request(a, a->detail_rq);
	return q ? q->state : REQ_IDLE;
}

enum app_req_state app_bsn_state(const struct app *a)
{
	const struct app_request *q = app_request(a, a->bsn_rq);
	return q ? q->state : REQ_IDLE;
}

bool app_request_busy(const struct app *a, uint64_t id)
{
	const struct app_request *q = app_request(a, id);
	return q && q->state == REQ_BUSY;
}

uint64_t app_place_order(struct app *a, const struct m_order_draft *d)
{
	char path[96], key[128];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/hct-orders", (long long)d->client_id);
	snprintf(key, sizeof key, "Idempotency-Key: %s", d->idem_key);
	char *body = m_order_body(d);
	if (!body) {
		struct app_request *q = req_new(a, OP_ORDER);
		q->state = REQ_ERROR;
		q->problem = PROB_INVALID;
		q->status = 400;
		snprintf(q->field, sizeof q->field, "delivery.house_number");
		a->events |= APP_EV_OP;
		return q->id;
	}
	struct app_request *q = app_start_op(a, OP_ORDER, "POST", path, body, key);
	q->client_id = d->client_id;
	return q->id;
}

uint64_t app_delete_order(struct app *a, int64_t order_id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/hct-orders/%lld", (long long)order_id);
	struct app_request *q = app_start_op(a, OP_DELETE_ORDER, "DELETE", path, NULL, NULL);
	q->result_id = order_id;
	return q->id;
}

uint64_t app_start_use(struct app *a, int64_t order_id, const char *serial, const char *start_date)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/hct-orders/%lld/start-use", (long long)order_id);
	return app_start_op(a, OP_START_USE, "POST", path, m_start_use_body(serial, start_date), NULL)->id;
}

uint64_t app_add_registration(struct app *a, int64_t client_id, int64_t device_type_id,
							  const char *serial, const char *start_date, const char *end_date)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/hct-registrations", (long long)client_id);
	return app_start_op(a, OP_ADD_REG, "POST", path,
					m_registration_body(device_type_id, serial, start_date, end_date), NULL)->id;
}

uint64_t app_end_registration(struct app *a, int64_t reg_id, const char *end_date)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/hct-registrations/%lld", (long long)reg_id);
	return app_start_op(a, OP_END_REG, "PATCH", path, m_end_body(end_date), NULL)->id;
}

uint64_t app_set_device_type(struct app *a, int64_t id, bool in_use, bool ordering)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/device-types/%lld", (long long)id);
	return app_start_op(a, OP_DEVICE_TYPE, "PATCH", path, m_device_type_patch(in_use, ordering), NULL)->id;
}

bool app_cancel(struct app *a)
{
	bool any = false;
	for (size_t i = 0; i < APP_MAX_REQUESTS; i++) {
		if (a->reqs[i].net) {
			net_cancel(a->net, a->reqs[i].net);
			a->reqs[i].net = 0;
			any = true;
		}
	}
	if (any)
		say(a, MSG_CANCELLED, 0, NULL);
	return any;
}

int app_timeout_ms(const struct app *a, int max_ms)
{
	if (clients_loading(&a->clients))
		return 0; /* the index is still being built: come back at once */
	if (a->print_pid > 0 && max_ms > 100)
		max_ms = 100; /* a print command runs: look for its end often */
	if (a->sync != SYNC_BACKOFF)
		return max_ms;
	int64_t left = a->retry_at_ms - app_now_ms();
	if (left < 0)
		left = 0;
	return left < max_ms ? (int)left : max_ms;
}

void app_poll(struct app *a, struct curl_waitfd *extra, unsigned int nextra, int timeout_ms)
{
	net_poll(a->net, extra, nextra, app_timeout_ms(a, timeout_ms));
	app_print_reap(a);
	if (clients_loading(&a->clients) && !clients_load_step(&a->clients, LOAD_SLICE))
		a->events |= APP_EV_CLIENTS; /* the whole index is there: counts and order final */
	if (a->logged_in && a->sync == SYNC_BACKOFF && app_now_ms() >= a->retry_at_ms)
		sync_next(a, 0);
}

unsigned app_take_events(struct app *a)
{
	unsigned e = a->events;
	a->events = 0;
	return e;
}

bool app_sync_progress(const struct app *a, int64_t *done, int64_t *total)
{
	*done = a->sync_done_rev;
	*total = a->sync_target_rev;
	return a->initial_sync;
}
