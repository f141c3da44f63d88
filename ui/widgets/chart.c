/* Bar and sparkline arithmetic and text; no curses. */
#include "chart.h"

#include <stdio.h>
#include <string.h>

/* Eighths of a cell, 1/8 .. 8/8. */
static const char *const eighths[] = {"\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
	"\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88"};
/* Levels, lowest first. */
static const char *const levels_utf8[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
	"\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"};
static const char levels_ascii[] = "_.-~=+*#";

long long chart_max(const struct chart_bar *bars, size_t n)
{
	long long most = 1;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > most)
			most = bars[i].value;
	return most;
}

/* Append s to out (size bytes) at *used when it fits. */
static void put(char *out, size_t size, size_t *used, const char *s)
{
	size_t n = strlen(s);
	if (*used + n < size) {
		memcpy(out + *used, s, n);
		*used += n;
		out[*used] = '\0';
	}
}

int chart_bar_text(long long value, long long max, int width, bool unicode, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	if (width <= 0 || value <= 0 || max <= 0)
		return 0;
	if (value > max)
		value = max;
	int cols = 0;
	if (unicode) {
		long long e = (long long)((double)value * width * 8 / (double)max + 0.5);
		e = e < 1 ? 1 : e; /* above zero shows */
		for (; e >= 8; e -= 8, cols++)
			put(out, size, &used, eighths[7]);
		if (e > 0) {
			put(out, size, &used, eighths[e - 1]);
			cols++;
		}
		return cols;
	}
	long long c = (long long)((double)value * width / (double)max + 0.5);
	c = c < 1 ? 1 : c;
	for (; cols < c; cols++)
		put(out, size, &used, "#");
	return cols;
}

size_t sparkline_levels(const double *values, size_t n, int width, unsigned char *levels)
{
	if (width <= 0 || n == 0)
		return 0;
	size_t k = n < (size_t)width ? n : (size_t)width;
	const double *v = values + (n - k);
	double lo = 0, hi = v[0];
	for (size_t i = 0; i < k; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	for (size_t i = 0; i < k; i++) {
		double f = hi > lo ? (v[i] - lo) / (hi - lo) : 0;
		int l = (int)(f * 7 + 0.5);
		levels[i] = (unsigned char)(l < 0 ? 0 : l > 7 ? 7 : l);
	}
	return k;
}

const char *sparkline_text(const unsigned char *levels, size_t n, bool unicode, char *out,
						   size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[2] = {levels_ascii[levels[i] & 7], '\0'};
		put(out, size, &used, unicode ? levels_utf8[levels[i] & 7] : one);
	}
	return out;
}
