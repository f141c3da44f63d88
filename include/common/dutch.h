/* Dutch date and time texts for display ("21-11-2026", "21-11-2026 10:12"). */
#ifndef ZT_COMMON_DUTCH_H
#define ZT_COMMON_DUTCH_H

#include <stddef.h>

/* "YYYY-MM-DD" (or the date part of an RFC 3339 time) as "DD-MM-YYYY" into out; other
 * text is copied unchanged. Returns out. */
const char *nl_date(const char *iso, char out[16]);
/* An RFC 3339 UTC time ("2026-11-21T09:12:00Z") as local "DD-MM-YYYY HH:MM" into out;
 * other text is copied unchanged (NULL gives ""). Returns out. */
const char *nl_datetime(const char *rfc3339, char out[32]);

/* n with Dutch thousands separators ("1.234", "64.000", "-1.000.000") into out. Returns out. */
const char *nl_number(long long n, char out[32]);

#endif
