/* Suspended long-polls and the one thread that wakes them (see longpoll.h). */
#include "longpoll.h"

#include "common/alloc.h"
#include "common/log.h"
#include "store/feed.h"
#include "store/store.h"

#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* The waker's longest sleep: a poll's deadline is kept to about this precision even when
 * it was suspended after the waker went to sleep. */
#define LP_STEP_MS 200
/* How often the waker looks for hung-up clients and for revisions written by another
 * process (an SQLite file has no notification across processes). */
#define LP_CHECK_MS 1000

struct lp_wait {
	struct MHD_Connection *conn;
	int fd;             /* the connection's socket, for hang-up checks */
	int64_t from;       /* nothing visible to the caller up to this revision */
	int64_t deadline;   /* monotonic ms */
	bool listed;        /* suspended and in the waker's list */
	bool hurry;         /* the client sent something or hung up: answer at once */
	struct lp_wait *prev, *next;
};

static struct {
	pthread_mutex_t lock;
	struct lp_wait *head; /* suspended polls */
	int suspended;
	int admitted;
	bool stopping;
	bool running;
	pthread_t thread;
	struct store *store;
} lp = {.lock = PTHREAD_MUTEX_INITIALIZER};

int64_t longpoll_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Take w out of the list (lock held). */
static void lp_unlink(struct lp_wait *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		lp.head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->prev = w->next = NULL;
	w->listed = false;
	lp.suspended--;
}

/* Hand w back to libmicrohttpd, which calls the access handler again (lock held). */
static void lp_resume(struct lp_wait *w)
{
	lp_unlink(w);
	MHD_resume_connection(w->conn);
}

/* Resume every poll that may have an answer now (lock held): a revision past its own,
 * its deadline, or a stop. Returns the earliest deadline left (or now + LP_STEP_MS). */
static int64_t lp_resume_due(int64_t rev, int64_t now)
{
	int64_t next = now + LP_STEP_MS;
	for (struct lp_wait *w = lp.head, *n; w; w = n) {
		n = w->next;
		if (lp.stopping || rev > w->from || now >= w->deadline)
			lp_resume(w);
		else if (w->deadline < next)
			next = w->deadline;
	}
	return next;
}

/* Resume, to be answered at once, the polls whose client has closed its end or sent
 * something (with TLS a closing client sends its close_notify first and may wait for ours
 * before its FIN; an HTTP/1.1 client does not send the next request before the answer):
 * libmicrohttpd then sees the close and frees the connection now instead of at the poll's
 * deadline (lock held). */
static void lp_resume_hung_up(void)
{
	if (lp.suspended == 0)
		return;
	size_t n = (size_t)lp.suspended, i = 0;
	struct pollfd *p = xcalloc(n, sizeof *p);
	for (struct lp_wait *w = lp.head; w && i < n; w = w->next, i++)
		p[i] = (struct pollfd){.fd = w->fd, .events = POLLIN | POLLRDHUP};
	if (poll(p, i, 0) > 0) {
		i = 0;
		for (struct lp_wait *w = lp.head, *nx; w && i < n; w = nx, i++) {
			nx = w->next;
			if (p[i].revents) {
				w->hurry = true;
				lp_resume(w);
			}
		}
	}
	free(p);
}

/* The newest revision in the store itself; -1 when it cannot be read. */
static int lp_noop(struct db *db, void *arg)
{
	(void)db, (void)arg;
	return STORE_OK;
}

static int64_t lp_store_revision(void)
{
	struct db *db = store_acquire(lp.store);
	int64_t rev = -1;
	if (db && store_read(db, &rev, lp_noop, NULL) != STORE_OK)
		rev = -1;
	if (db)
		store_release(lp.store, db);
	return rev;
}

/* The waker: sleep on the store's wake-up (or until the next deadline), then resume the
 * polls that may have an answer. Once a second it also reads the store's revision when
 * polls wait (a write by another process) and looks for hung-up clients. */
static void *lp_waker(void *arg)
{
	(void)arg;
	int64_t seen = feed_revision(), last_check = longpoll_now_ms(), next = 0;
	for (;;) {
		int64_t now = longpoll_now_ms();
		int64_t ms = next - now;
		store_wait(lp.store, seen, ms < 1 ? 1 : ms > LP_STEP_MS ? LP_STEP_MS : (int)ms);
		seen = feed_revision();
		now = longpoll_now_ms();
		bool check = now - last_check >= LP_CHECK_MS;
		pthread_mutex_lock(&lp.lock);
		bool waiting = lp.suspended > 0, stop = lp.stopping;
		pthread_mutex_unlock(&lp.lock);
		if (stop)
			break;
		if (check && waiting) {
			int64_t rev = lp_store_revision();
			if (rev > seen)
				feed_notify(rev); /* wakes this process's other waiters too */
			seen = rev > seen ? rev : seen;
		}
		pthread_mutex_lock(&lp.lock);
		if (check) {
			lp_resume_hung_up();
			last_check = now;
		}
		next = lp_resume_due(seen, now);
		pthread_mutex_unlock(&lp.lock);
	}
	return NULL;
}

bool longpoll_start(struct store *s)
{
	lp.store = s;
	lp.stopping = false;
	if (pthread_create(&lp.thread, NULL, lp_waker, NULL) != 0) {
		log_error("cannot start the long-poll waker thread");
		return false;
	}
	lp.running = true;
	return true;
}

void longpoll_stop(int wait_ms)
{
	pthread_mutex_lock(&lp.lock);
	lp.stopping = true;
	while (lp.head)
		lp_resume(lp.head);
	pthread_mutex_unlock(&lp.lock);
	if (lp.running) {
		pthread_join(lp.thread, NULL);
		lp.running = false;
	}
	/* The resumed polls answer at once (stopping): give them the moment that takes. */
	int64_t until = longpoll_now_ms() + wait_ms;
	for (;;) {
		pthread_mutex_lock(&lp.lock);
		int left = lp.admitted;
		pthread_mutex_unlock(&lp.lock);
		if (left == 0 || longpoll_now_ms() >= until)
			break;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
}

struct lp_wait *longpoll_admit(int64_t max_connections, int64_t since, int64_t deadline_ms)
{
	int64_t reserve = max_connections / 4 > 2 ? max_connections / 4 : 2;
	pthread_mutex_lock(&lp.lock);
	bool ok = !lp.stopping && lp.admitted + 1 <= max_connections - reserve;
	if (ok)
		lp.admitted++;
	pthread_mutex_unlock(&lp.lock);
	if (!ok)
		return NULL;
	struct lp_wait *w = xcalloc(1, sizeof *w);
	w->fd = -1;
	w->from = since;
	w->deadline = deadline_ms;
	return w;
}

int64_t longpoll_from(const struct lp_wait *w)
{
	return w->from;
}

enum lp_outcome longpoll_suspend(struct lp_wait *w, struct MHD_Connection *conn, int64_t from,
								 bool force)
{
	if (from > w->from)
		w->from = from;
	if (w->fd < 0) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		w->fd = ci ? ci->connect_fd : -1;
	}
	pthread_mutex_lock(&lp.lock);
	enum lp_outcome out = LP_SUSPENDED;
	if (lp.stopping || w->hurry || longpoll_now_ms() >= w->deadline)
		out = LP_DONE;
	else if (!force && feed_revision() > w->from)
		out = LP_REREAD;
	if (out == LP_SUSPENDED) {
		/* Suspended under the lock: the waker cannot resume it before this returns. */
		w->conn = conn;
		w->listed = true;
		w->prev = NULL;
		w->next = lp.head;
		if (lp.head)
			lp.head->prev = w;
		lp.head = w;
		lp.suspended++;
		MHD_suspend_connection(conn);
	}
	pthread_mutex_unlock(&lp.lock);
	return out;
}

void longpoll_free(struct lp_wait *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&lp.lock);
	if (w->listed)
		lp_unlink(w);
	lp.admitted--;
	pthread_mutex_unlock(&lp.lock);
	free(w);
}

void longpoll_counts(int *admitted, int *suspended)
{
	pthread_mutex_lock(&lp.lock);
	*admitted = lp.admitted;
	*suspended = lp.suspended;
	pthread_mutex_unlock(&lp.lock);
}
