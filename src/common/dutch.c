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
