/* Line-oriented logging shared by zorgd and zorgterm. */
#include "common/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <time.h>

static FILE *log_file;
static enum log_level log_min = LOG_LVL_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_setup(FILE *f, enum log_level min)
{
	pthread_mutex_lock(&log_lock);
	log_file = f;
	log_min = min;
	pthread_mutex_unlock(&log_lock);
}

void log_write(enum log_level lvl, const char *func, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	if (lvl < log_min)
		return;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&log_lock);
	FILE *f = log_file ? log_file : stderr;
	fprintf(f, "%s %s %s: ", stamp, names[lvl], func);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
	pthread_mutex_unlock(&log_lock);
	va_end(ap);
}
