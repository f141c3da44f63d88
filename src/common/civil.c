/* Calendar arithmetic and Europe/Amsterdam civil time, computed without the C library's
 * time zone state (so it is thread-safe and the same on every machine). */
#include "common/civil.h"

#include "common/valid.h"

#include <stdio.h>

/* Floor division for the negative day numbers before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days are counted in 400-year eras of 146097 days, with years starting on 1 March so that
 * the leap day is the last day of a year. */
int64_t civil_days_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                           /* 0..399 */
	int64_t mp = m > 2 ? m - 3 : m + 9;                     /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;               /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;    /* 0..146096 */
	return era * 146097 + doe - 719468;                     /* 719468: 0000-03-01 .. 1970-01-01 */
}

void civil_ymd_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int civil_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

bool civil_parse_date(const char *s, int64_t *days)
{
	if (!valid_date(s))
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	*days = civil_days_from_ymd(y, m, d);
	return true;
}

const char *civil_format_date(int64_t days, char out[16])
{
	int y, m, d;
	civil_ymd_from_days(days, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
	return out;
}

/* The day number of the last Sunday of month m (31 days long: March or October) in y. */
static int64_t last_sunday(int y, int m)
{
	int64_t last = civil_days_from_ymd(y, m, 31);
	return last - civil_weekday(last);
}

int civil_ams_offset(int64_t utc)
{
	int64_t day = floor_div(utc, 86400);
	int y, m, d;
	civil_ymd_from_days(day, &y, &m, &d);
	/* Summer time starts and ends at 01:00 UTC on the changeover Sundays. */
	int64_t start = last_sunday(y, 3) * 86400 + 3600;
	int64_t end = last_sunday(y, 10) * 86400 + 3600;
	return (utc >= start && utc < end) ? 7200 : 3600;
}

int64_t civil_ams_today(int64_t utc)
{
	return floor_div(utc + civil_ams_offset(utc), 86400);
}
