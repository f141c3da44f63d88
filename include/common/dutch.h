/* Dutch date and time texts for display ("21-11-2026", "21-11-2026 10:12"). */
#ifndef ZT_COMMON_DUTCH_H
#define ZT_COMMON_DUTCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "YYYY-MM-DD" (or the date part of an RFC 3339 time) as "DD-MM-YYYY" into out; other
 * text is copied unchanged. Returns out. */
const char *nl_date(const char *iso, char out[16]);
/* An RFC 3339 UTC time ("2026-11-21T09:12:00Z") as local "DD-MM-YYYY HH:MM" into out;
 * other text is copied unchanged (NULL gives ""). Returns out. */
const char *nl_datetime(const char *rfc3339, char out[32]);

/* How a typed date read. */
enum nl_date_result {
	NL_DATE_OK,     /* a real date */
	NL_DATE_FORMAT, /* not dd-mm-jjjj (or d-m-jjjj, with - / or .) */
	NL_DATE_NO_DAY, /* the shape is right but the month has no such day (30-02-2026) */
};
/* Parse a date typed the Dutch way ("30-02-2026") into iso "YYYY-MM-DD" (set only when
 * NL_DATE_OK). *day, *month and *year get what was read (for the message of NL_DATE_NO_DAY). */
enum nl_date_result nl_date_parse(const char *s, char iso[11], int *day, int *month, int *year);

/* The Dutch name of weekday wd (0 = zondag ... 6 = zaterdag), lower case; "" when out of
 * range. Static. */
const char *nl_weekday_name(int wd);
/* The Dutch name of month m (1 = januari ... 12 = december), lower case; "" when out of
 * range. Static. */
const char *nl_month_name(int m);
/* Day number days (see civil.h) as a long Dutch date with weekday ("zaterdag 9 januari
 * 2027") into out. Returns out. */
const char *nl_date_long_days(int64_t days, char out[40]);
/* "YYYY-MM-DD" as a long Dutch date with weekday ("zaterdag 9 januari 2027") into out;
 * text that is not a real date is copied unchanged (NULL gives ""). Returns out. */
const char *nl_date_long(const char *iso, char out[40]);

/* n with Dutch thousands separators ("1.234", "64.000", "-1.000.000") into out. Returns out. */
const char *nl_number(long long n, char out[32]);

#endif
