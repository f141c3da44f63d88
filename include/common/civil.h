/* Calendar arithmetic and Europe/Amsterdam civil time; pure functions, no I/O, no TZ.
 * Day numbers count days since 1970-01-01 (day 0), negative before it. Amsterdam time
 * follows the EU rule (CET = UTC+1; CEST = UTC+2 from 01:00 UTC on the last Sunday of
 * March until 01:00 UTC on the last Sunday of October), applied to every year. */
#ifndef ZT_COMMON_CIVIL_H
#define ZT_COMMON_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

/* The day number of the proleptic Gregorian date y-m-d (m 1..12, d 1..31, not checked). */
int64_t civil_days_from_ymd(int y, int m, int d);
/* The date of day number days into *y, *m (1..12) and *d (1..31). */
void civil_ymd_from_days(int64_t days, int *y, int *m, int *d);
/* The weekday of day number days: 0 = Sunday ... 6 = Saturday. */
int civil_weekday(int64_t days);
/* Parse a real calendar date "YYYY-MM-DD" into *days; false (and *days untouched) if the
 * text is not one. */
bool civil_parse_date(const char *s, int64_t *days);
/* Day number days as "YYYY-MM-DD" into out. Returns out. */
const char *civil_format_date(int64_t days, char out[16]);

/* Amsterdam's offset from UTC in seconds (3600 or 7200) at UTC time utc (Unix seconds). */
int civil_ams_offset(int64_t utc);
/* The Amsterdam calendar day (day number) at UTC time utc (Unix seconds). */
int64_t civil_ams_today(int64_t utc);

#endif
