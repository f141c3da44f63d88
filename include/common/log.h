/* Logging with levels and the calling function's name; never log personal data at info. */
#ifndef ZT_COMMON_LOG_H
#define ZT_COMMON_LOG_H

#include <stdio.h>

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR };

/* Send log lines to f (not owned) at or above min level; NULL means stderr. */
void log_setup(FILE *f, enum log_level min);
/* Write one log line: time, level, function, message. Thread-safe. */
void log_write(enum log_level lvl, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_debug(...) log_write(LOG_LVL_DEBUG, __func__, __VA_ARGS__)
#define log_info(...) log_write(LOG_LVL_INFO, __func__, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LVL_WARN, __func__, __VA_ARGS__)
#define log_error(...) log_write(LOG_LVL_ERROR, __func__, __VA_ARGS__)

#endif
