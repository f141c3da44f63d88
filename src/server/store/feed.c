/* One condition variable for the newest committed revision. Long-polls also re-read the
 * store now and then (see h_changes.c), so changes written by another process are seen. */
#include "feed.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

static pthread_mutex_t feed_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t feed_cond;
static pthread_once_t feed_once = PTHREAD_ONCE_INIT;
static int64_t feed_rev;
static bool feed_stop;

/* Use the monotonic clock for waits so clock changes do not stretch them. */
static void feed_init(void)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&feed_cond, &a);
	pthread_condattr_destroy(&a);
}

void feed_notify(int64_t rev)
{
	pthread_once(&feed_once, feed_init);
	pthread_mutex_lock(&feed_lock);
	if (rev > feed_rev)
		feed_rev = rev;
	pthread_cond_broadcast(&feed_cond);
	pthread_mutex_unlock(&feed_lock);
}

bool feed_wait(int64_t since, int timeout_ms)
{
	pthread_once(&feed_once, feed_init);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&feed_lock);
	int rc = 0;
	while (!feed_stop && feed_rev <= since && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&feed_cond, &feed_lock, &until);
	bool newer = feed_rev > since;
	pthread_mutex_unlock(&feed_lock);
	return newer;
}

int64_t feed_revision(void)
{
	pthread_mutex_lock(&feed_lock);
	int64_t rev = feed_rev;
	pthread_mutex_unlock(&feed_lock);
	return rev;
}

void feed_shutdown(void)
{
	pthread_once(&feed_once, feed_init);
	pthread_mutex_lock(&feed_lock);
	feed_stop = true;
	pthread_cond_broadcast(&feed_cond);
	pthread_mutex_unlock(&feed_lock);
}

bool feed_stopping(void)
{
	pthread_mutex_lock(&feed_lock);
	bool s = feed_stop;
	pthread_mutex_unlock(&feed_lock);
	return s;
}
