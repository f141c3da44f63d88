/* The outbox worker (see outbox.h). Two threads per zorgd: the sender and its recorder. A
 * round: claim a batch of due rows with a lease -> for each, while the lease still has a
 * safe margin: send, then hand the outcome to the recorder, which writes whatever has
 * queued up in one write while the sender is busy with the next mail (so a kill -9 re-sends
 * only the mails whose outcome was still queued, usually one, always with the same
 * Message-ID) -> wait until the recorder has written everything -> give back the leases of
 * rows not reached -> recount the touched messages (one write: counts in the feed). */
#include "outbox.h"

#include "audit.h"
#include "common/alloc.h"
#include "common/log.h"
#include "mail.h"
#include "server.h"
#include "store/q_outbox.h"
#include "store/store.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Longest wait between two looks at the outbox (other instances add rows too). */
#define OUTBOX_POLL_MS 500
/* Back-off doubles from the configured base up to this. */
#define OUTBOX_BACKOFF_MAX_MS (3600 * 1000LL)

/* The recorder: outcomes queued by the sender, written in the background. */
struct recorder {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;    /* work arrived, or stop */
	pthread_cond_t idle;  /* the queue is empty and nothing is being written */
	pthread_cond_t room;  /* the recorder took the queue */
	struct outbox_result *q;
	size_t n, cap;
	bool writing, stop;
};

/* Most sender threads (outbox_senders). */
#define OUTBOX_MAX_SENDERS 8

struct outbox;

/* One sender thread with its own connection and its own lease owner name (a sender gives
 * back only its own leases). */
struct sender {
	struct outbox *o;
	pthread_t thread;
	struct mail_transport *transport;
	char owner[64];
};

struct outbox {
	struct server *srv;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, kicked;
	struct recorder rec;
	struct sender senders[OUTBOX_MAX_SENDERS];
	int nsenders;
	char *org_name;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until kicked, stopped or OUTBOX_POLL_MS passed; true when stopping. */
static bool outbox_wait(struct outbox *o)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += OUTBOX_POLL_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&o->mu);
	while (!o->stop && !o->kicked)
		if (pthread_cond_timedwait(&o->cv, &o->mu, &until) != 0)
			break;
	o->kicked = false;
	bool stop = o->stop;
	pthread_mutex_unlock(&o->mu);
	return stop;
}

static bool outbox_stopping(struct outbox *o)
{
	pthread_mutex_lock(&o->mu);
	bool stop = o->stop;
	pthread_mutex_unlock(&o->mu);
	return stop;
}

/* The notice "a new message is waiting" (never the message itself). Caller frees. */
static char *notice_text(const struct outbox *o)
{
	return xasprintf("Goedendag,\n\n"
					 "Er staat een nieuw bericht van %s voor u klaar in Caren.\n"
					 "Log in op www.carenzorgt.nl of open de app Caren Zorgt om het te lezen.\n\n"
					 "Dit bericht is automatisch verstuurd; u kunt er niet op antwoorden.\n",
					 o->org_name);
}

/* Render and send one mail row; the outcome, with err filled when not sent. */
static enum mail_result send_row(struct sender *sd, const struct outbox_row *row, char err[256])
{
	struct outbox *o = sd->o;
	const struct server_config *cfg = &o->srv->cfg;
	bool notice = strcmp(row->kind, OUTBOX_MESSAGE_NOTICE) == 0;
	char *subject = notice ? xasprintf("Nieuw bericht in Caren — %s", o->org_name) : NULL;
	char *text = notice ? notice_text(o) : NULL;
	char *msgid = mail_message_id(row->id, row->created_at, cfg->smtp_from);
	struct mail m = {
		.from = cfg->smtp_from,
		.from_name = o->org_name,
		.to = row->mail_to,
		.subject = notice ? subject : (row->subject ? row->subject : ""),
		.text = notice ? text : (row->body ? row->body : ""),
		.message_id = msgid,
		.date = (int64_t)time(NULL),
	};
	size_t len = 0;
	char *data = mail_render(&m, &len);
	enum mail_result res = mail_transport_send(sd->transport, row->mail_to, data, len, err);
	free(data);
	free(msgid);
	free(subject);
	free(text);
	return res;
}

/* Remember message id (once) among the touched ones. */
static void touch(int64_t **ids, size_t *n, int64_t id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*ids)[i] == id)
			return;
	*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
	(*ids)[(*n)++] = id;
}

/* ---- the recorder ----------------------------------------------------------------------- */

static void *recorder_main(void *arg)
{
	struct outbox *o = arg;
	struct recorder *rc = &o->rec;
	struct actor who = audit_actor_worker("outbox");
	struct outbox_result *batch = NULL;
	size_t cap = 0;
	pthread_mutex_lock(&rc->mu);
	for (;;) {
		while (!rc->n && !rc->stop)
			pthread_cond_wait(&rc->cv, &rc->mu);
		if (!rc->n && rc->stop)
			break;
		/* Take the queue and write it outside the lock. */
		struct outbox_result *t = rc->q;
		size_t n = rc->n, tcap = rc->cap;
		rc->q = batch;
		rc->cap = cap;
		rc->n = 0;
		batch = t;
		cap = tcap;
		rc->writing = true;
		pthread_cond_broadcast(&rc->room);
		pthread_mutex_unlock(&rc->mu);
		struct db *db = store_acquire(o->srv->store);
		if (!db || q_outbox_finish(db, &who, batch, n) != STORE_OK)
			log_error("outbox: cannot record %zu outcomes (the rows are sent again later)", n);
		if (db)
			store_release(o->srv->store, db);
		pthread_mutex_lock(&rc->mu);
		rc->writing = false;
		if (!rc->n)
			pthread_cond_broadcast(&rc->idle);
	}
	pthread_mutex_unlock(&rc->mu);
	free(batch);
	return NULL;
}

/* Most outcomes waiting for the recorder before a sender waits for it: what a kill -9 can
 * make send twice stays bounded (this queue plus the write in progress, per instance). */
#define RECORDER_BEHIND_MAX 8

/* Queue one outcome for the recorder (r->row stays valid until recorder_flush). */
static void recorder_add(struct recorder *rc, const struct outbox_result *r)
{
	pthread_mutex_lock(&rc->mu);
	while (rc->n >= RECORDER_BEHIND_MAX && !rc->stop)
		pthread_cond_wait(&rc->room, &rc->mu);
	if (rc->n == rc->cap)
		rc->q = xrealloc(rc->q, (rc->cap = rc->cap ? rc->cap * 2 : 64) * sizeof *rc->q);
	rc->q[rc->n++] = *r;
	pthread_cond_signal(&rc->cv);
	pthread_mutex_unlock(&rc->mu);
}

/* Wait until every queued outcome is written. */
static void recorder_flush(struct recorder *rc)
{
	pthread_mutex_lock(&rc->mu);
	while (rc->n || rc->writing)
		pthread_cond_wait(&rc->idle, &rc->mu);
	pthread_mutex_unlock(&rc->mu);
}

/* Stop the recorder after it wrote what is queued. */
static void recorder_stop(struct recorder *rc)
{
	pthread_mutex_lock(&rc->mu);
	rc->stop = true;
	pthread_cond_signal(&rc->cv);
	pthread_mutex_unlock(&rc->mu);
	pthread_join(rc->thread, NULL);
	free(rc->q);
	pthread_mutex_destroy(&rc->mu);
	pthread_cond_destroy(&rc->cv);
	pthread_cond_destroy(&rc->idle);
	pthread_cond_destroy(&rc->room);
}

/* ---- the sender ------------------------------------------------------------------------- */

/* Send one claimed mail row and queue what came of it for the recorder. */
static void process_mail(struct sender *sd, const struct outbox_row *row)
{
	struct outbox *o = sd->o;
	const struct server_config *cfg = &o->srv->cfg;
	char err[256] = "";
	enum mail_result res = row->mail_to && *row->mail_to ? send_row(sd, row, err) : MAIL_REJECTED;
	if (!row->mail_to || !*row->mail_to)
		snprintf(err, sizeof err, "no address");
	enum outbox_outcome out = OUTBOX_SENT;
	int64_t next = 0;
	if (res != MAIL_SENT) {
		int64_t tries = row->tries + 1;
		out = res == MAIL_REJECTED || tries >= cfg->outbox_max_tries ? OUTBOX_FAILED
																	  : OUTBOX_RETRY;
		int64_t wait = cfg->outbox_retry * 1000LL;
		for (int64_t i = 1; i < tries && wait < OUTBOX_BACKOFF_MAX_MS; i++)
			wait *= 2;
		next = now_ms() + (wait < OUTBOX_BACKOFF_MAX_MS ? wait : OUTBOX_BACKOFF_MAX_MS);
		log_warn("outbox: row %lld to %s: %s (%s)", (long long)row->id, row->mail_to, err,
				 out == OUTBOX_FAILED ? "given up" : "will retry");
	}
	struct outbox_result r = {row, out, next, ""};
	snprintf(r.error, sizeof r.error, "%s", err);
	recorder_add(&o->rec, &r);
}

/* One round over a claimed batch; touched messages are added to ids. */
static void process_batch(struct sender *sd, struct db *db, const struct actor *who,
						  struct outbox_row *rows, size_t n, int64_t **ids, size_t *nids)
{
	struct outbox *o = sd->o;
	/* Stop a good while before the lease ends, so no other instance takes a row over
	 * while its mail is on the way. */
	int64_t margin = o->srv->cfg.outbox_lease * 1000LL / 3;
	for (size_t i = 0; i < n && !outbox_stopping(o); i++) {
		if (now_ms() > rows[i].lease_until - margin)
			break;
		if (strcmp(rows[i].kind, OUTBOX_MESSAGE_FANOUT) == 0) {
			bool more = true;
			while (more && now_ms() <= rows[i].lease_until - margin)
				if (q_outbox_expand(db, who, &rows[i], &more) != STORE_OK) {
					log_error("outbox: cannot fan out message %lld", (long long)rows[i].ref_id);
					break;
				}
			continue;
		}
		process_mail(sd, &rows[i]);
		if (strcmp(rows[i].kind, OUTBOX_MESSAGE_NOTICE) == 0)
			touch(ids, nids, rows[i].ref_id);
	}
	recorder_flush(&o->rec); /* before the leases go back and the rows are freed */
}

/* Claim and process one batch; true when there was work. */
static bool outbox_round(struct sender *sd, struct db *db, const struct actor *who)
{
	const struct server_config *cfg = &sd->o->srv->cfg;
	struct outbox_row *rows = NULL;
	size_t n = 0;
	int64_t now = now_ms();
	bool due = false;
	if (q_outbox_due(db, now, &due) != STORE_OK || !due)
		return false;
	if (q_outbox_claim(db, who, sd->owner, now, now + cfg->outbox_lease * 1000LL,
					   (size_t)cfg->outbox_batch, &rows, &n) != STORE_OK) {
		log_error("outbox: cannot claim rows");
		return false;
	}
	int64_t *ids = NULL;
	size_t nids = 0;
	process_batch(sd, db, who, rows, n, &ids, &nids);
	if (n && q_outbox_release(db, who, sd->owner) != STORE_OK)
		log_error("outbox: cannot give back leases");
	if (q_outbox_recount(db, who, ids, nids) != STORE_OK)
		log_error("outbox: cannot recount delivery counts");
	free(ids);
	outbox_rows_free(rows, n);
	return n > 0;
}

static void *outbox_main(void *arg)
{
	struct sender *sd = arg;
	struct outbox *o = sd->o;
	struct actor who = audit_actor_worker("outbox");
	while (!outbox_stopping(o)) {
		struct db *db = store_acquire(o->srv->store);
		bool busy = db && outbox_round(sd, db, &who);
		if (db)
			store_release(o->srv->store, db);
		if (!busy && outbox_wait(o))
			break;
	}
	return NULL;
}

char *outbox_default_maildir(const char *db_path, const char *maildir)
{
	if (maildir && *maildir)
		return xstrdup(maildir);
	if (!db_path || strncmp(db_path, "postgres", 8) == 0)
		return NULL;
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return xstrdup("maildir");
	return xasprintf("%.*s/maildir", (int)(slash - db_path), db_path);
}

/* Read the organisation's name once for the mail texts. */
static char *org_name(struct server *srv)
{
	char *name = NULL;
	struct db *db = store_acquire(srv->store);
	if (!db || q_outbox_org_name(db, &name) != STORE_OK) {
		free(name);
		name = xstrdup("uw zorgorganisatie");
	}
	if (db)
		store_release(srv->store, db);
	return name;
}

/* Stop and join the senders started so far, then the recorder; free o. */
static void outbox_free(struct outbox *o)
{
	pthread_mutex_lock(&o->mu);
	o->stop = true;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
	for (int i = 0; i < o->nsenders; i++)
		pthread_join(o->senders[i].thread, NULL);
	recorder_stop(&o->rec);
	for (int i = 0; i < OUTBOX_MAX_SENDERS; i++)
		mail_transport_free(o->senders[i].transport);
	pthread_mutex_destroy(&o->mu);
	pthread_cond_destroy(&o->cv);
	free(o->org_name);
	free(o);
}

/* A transport per sender (SMTP: a connection each); false with a log line. */
static bool outbox_transports(struct outbox *o, int n)
{
	const struct server_config *cfg = &o->srv->cfg;
	char *maildir = outbox_default_maildir(cfg->db_path, cfg->maildir);
	struct mail_settings ms = {cfg->smtp_url, cfg->smtp_user, cfg->smtp_password,
							   cfg->smtp_tls, cfg->smtp_ca, maildir, cfg->smtp_from};
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof rnd);
	char hex[17];
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	bool ok = true;
	for (int i = 0; ok && i < n; i++) {
		struct sender *sd = &o->senders[i];
		sd->o = o;
		sd->transport = mail_transport_new(&ms);
		snprintf(sd->owner, sizeof sd->owner, "%d-%s-%d", (int)getpid(), hex, i);
		ok = sd->transport != NULL;
	}
	free(maildir);
	if (!ok)
		log_error("outbox: no SMTP server configured and no usable maildir (set smtp_url or "
				  "maildir)");
	return ok;
}

bool outbox_start(struct server *srv)
{
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread uses libcurl */
	struct outbox *o = xcalloc(1, sizeof *o);
	o->srv = srv;
	pthread_mutex_init(&o->mu, NULL);
	pthread_cond_init(&o->cv, NULL);
	pthread_mutex_init(&o->rec.mu, NULL);
	pthread_cond_init(&o->rec.cv, NULL);
	pthread_cond_init(&o->rec.idle, NULL);
	pthread_cond_init(&o->rec.room, NULL);
	int n = (int)srv->cfg.outbox_senders;
	n = n < 1 ? 1 : n > OUTBOX_MAX_SENDERS ? OUTBOX_MAX_SENDERS : n;
	if (!outbox_transports(o, n) ||
		pthread_create(&o->rec.thread, NULL, recorder_main, o) != 0) {
		o->rec.thread = pthread_self();
		pthread_mutex_destroy(&o->rec.mu);
		pthread_cond_destroy(&o->rec.cv);
		pthread_cond_destroy(&o->rec.idle);
		pthread_cond_destroy(&o->rec.room);
		for (int i = 0; i < OUTBOX_MAX_SENDERS; i++)
			mail_transport_free(o->senders[i].transport);
		free(o);
		curl_global_cleanup();
		return false;
	}
	o->org_name = org_name(srv);
	for (; o->nsenders < n; o->nsenders++)
		if (pthread_create(&o->senders[o->nsenders].thread, NULL, outbox_main,
						   &o->senders[o->nsenders]) != 0) {
			log_error("outbox: cannot start a sender thread");
			outbox_free(o);
			curl_global_cleanup();
			return false;
		}
	srv->outbox = o;
	log_info("outbox: %d sender(s) through %s", n, mail_transport_name(o->senders[0].transport));
	return true;
}

void outbox_kick(struct server *srv)
{
	struct outbox *o = srv ? srv->outbox : NULL;
	if (!o)
		return;
	pthread_mutex_lock(&o->mu);
	o->kicked = true;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
}

void outbox_stop(struct server *srv)
{
	struct outbox *o = srv->outbox;
	if (!o)
		return;
	outbox_free(o);
	srv->outbox = NULL;
	curl_global_cleanup();
}
