/* Dutch display forms of dates and times. */
#include "common/dutch.h"

#include "common/civil.h"
#include "common/jsonx.h"
#include "common/valid.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *nl_date(const char *iso, char out[16])
{
	char d[11];
	if (!iso) {
		out[0] = '\0';
		return out;
	}
	snprintf(d, sizeof d, "%.10s", iso);
	if (!valid_date(d)) {
		snprintf(out, 16, "%.15s", iso);
		return out;
	}
	snprintf(out, 16, "%.2s-%.2s-%.4s", d + 8, d + 5, d);
	return out;
}

const char *nl_datetime(const char *rfc3339, char out[32])
{
	int64_t t;
	if (!rfc3339) {
		out[0] = '\0';
		return out;
	}
	if (!jx_parse_time(rfc3339, &t)) {
		snprintf(out, 32, "%.31s", rfc3339);
		return out;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, 32, "%d-%m-%Y %H:%M", &tm);
	return out;
}

/* Days in month m of year y. */
static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Read 1 to max digits at *p into *v; false when there are none. */
static bool read_num(const char **p, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n > 0;
}

enum nl_date_result nl_date_parse(const char *s, char iso[11], int *day, int *month, int *year)
{
	const char *p = s;
	int d, m, y;
	*day = *month = *year = 0;
	while (*p == ' ')
		p++;
	if (!read_num(&p, 2, &d) || (*p != '-' && *p != '/' && *p != '.'))
		return NL_DATE_FORMAT;
	p++;
	if (!read_num(&p, 2, &m) || (*p != '-' && *p != '/' && *p != '.'))
		return NL_DATE_FORMAT;
	p++;
	const char *ys = p;
	if (!read_num(&p, 4, &y) || p - ys != 4)
		return NL_DATE_FORMAT;
	while (*p == ' ')
		p++;
	if (*p || m < 1 || m > 12 || y < 1900 || d < 1)
		return NL_DATE_FORMAT;
	*day = d;
	*month = m;
	*year = y;
	if (d > month_days(y, m))
		return NL_DATE_NO_DAY;
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(iso, tmp, 11);
	return NL_DATE_OK;
}

const char *nl_number(long long n, char out[32])
{
	char digits[24];
	unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
	int len = snprintf(digits, sizeof digits, "%llu", u);
	size_t o = 0;
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

const char *nl_weekday_name(int wd)
{
	static const char *const names[] = {"zondag", "maandag", "dinsdag", "woensdag",
		"donderdag", "vrijdag", "zaterdag"};
	return wd >= 0 && wd < 7 ? names[wd] : "";
}

const char *nl_month_name(int m)
{
	static const char *const names[] = {"januari", "februari", "maart", "april", "mei",
		"juni", "juli", "augustus", "september", "oktober", "november", "december"};
	return m >= 1 && m <= 12 ? names[m - 1] : "";
}

const char *nl_date_long_days(int64_t days, char out[40])
{
	int y, m, d;
	civil_ymd_from_days(days, &y, &m, &d);
	snprintf(out, 40, "%s %d %s %d", nl_weekday_name(civil_weekday(days)), d, nl_month_name(m), y);
	return out;
}

const char *nl_date_long(const char *iso, char out[40])
{
	int64_t days;
	if (!iso) {
		out[0] = '\0';
		return out;
	}
	if (!civil_parse_date(iso, &days)) {
		snprintf(out, 40, "%.39s", iso);
		return out;
	}
	return nl_date_long_days(days, out);
}
