/* Long-polls without a thread: a /changes request that finds nothing suspends its
 * connection (libmicrohttpd's MHD_suspend_connection) with a small waiter record; one waker
 * thread resumes it when a newer revision is announced (store_wait), at its deadline, when
 * its client hangs up, or when zorgd stops. The access handler then runs again and either
 * answers or suspends again. A waiting poll holds no thread and no database connection. */
#ifndef ZT_SERVER_LONGPOLL_H
#define ZT_SERVER_LONGPOLL_H

#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;
struct store;

/* One long-poll's state across its suspensions (owned by the connection's request state,
 * freed with longpoll_free). */
struct lp_wait;

/* What longpoll_suspend did. */
enum lp_outcome {
	LP_SUSPENDED, /* the connection waits; the handler returns without an answer */
	LP_REREAD,    /* a newer revision was announced meanwhile: read again */
	LP_DONE,      /* deadline passed or zorgd stops: answer now */
};

/* Start the waker thread over store s; false when it cannot start. */
bool longpoll_start(struct store *s);
/* Resume every suspended poll for good (they answer at once), stop the waker, and wait up
 * to wait_ms for the admitted polls to finish answering. */
void longpoll_stop(int wait_ms);
/* Admit one long-poll that waits until deadline_ms (monotonic) from revision since; NULL
 * when long-polls already hold their share of max_connections (all but a quarter, kept
 * for other requests): the caller answers at once. Caller owns the result. */
struct lp_wait *longpoll_admit(int64_t max_connections, int64_t since, int64_t deadline_ms);
/* The revision the poll has read up to without finding anything for its caller. */
int64_t longpoll_from(const struct lp_wait *w);
/* From inside the access handler of conn: record that nothing is visible up to from and
 * suspend conn until something may be (force: suspend even when a newer revision was
 * announced, to be resumed on the waker's next round). */
enum lp_outcome longpoll_suspend(struct lp_wait *w, struct MHD_Connection *conn, int64_t from,
								 bool force);
/* Free w (NULL allowed) and end its admission. */
void longpoll_free(struct lp_wait *w);
/* Milliseconds on the monotonic clock. */
int64_t longpoll_now_ms(void);
/* Polls admitted and not yet freed; suspended ones among them (for tests and logs). */
void longpoll_counts(int *admitted, int *suspended);

#endif
