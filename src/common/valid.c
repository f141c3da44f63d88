/* Validation of Dutch identifiers (BSN, postcode, phone) and general input. */
#include "common/valid.h"

#include "common/text.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

bool valid_bsn(const char *s)
{
	if (!s || strlen(s) != 9)
		return false;
	int sum = 0;
	bool nonzero = false;
	for (int i = 0; i < 9; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		int d = s[i] - '0';
		if (d)
			nonzero = true;
		sum += (i < 8) ? (9 - i) * d : -d;
	}
	return nonzero && sum % 11 == 0;
}

bool valid_postcode(const char *s, char out[8])
{
	if (!s)
		return false;
	char digits[4], letters[2];
	size_t nd = 0, nl = 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ') {
			if (nd != 4 || nl != 0 || p[1] == ' ')
				return false;
			continue;
		}
		if (nd < 4) {
			if (!isdigit(c))
				return false;
			digits[nd++] = (char)c;
		} else if (nl < 2) {
			if (!isalpha(c))
				return false;
			letters[nl++] = (char)toupper(c);
		} else {
			return false;
		}
	}
	if (nd != 4 || nl != 2 || digits[0] == '0')
		return false;
	/* SA, SD and SS are not issued. */
	if (letters[0] == 'S' && (letters[1] == 'A' || letters[1] == 'D' || letters[1] == 'S'))
		return false;
	memcpy(out, digits, 4);
	out[4] = ' ';
	out[5] = letters[0];
	out[6] = letters[1];
	out[7] = '\0';
	return true;
}

bool valid_phone(const char *s, char out[16])
{
	if (!s)
		return false;
	char d[24];
	size_t n = 0;
	bool plus = false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '+' && n == 0 && !plus) {
			plus = true;
		} else if (isdigit(c)) {
			if (n >= sizeof d - 1)
				return false;
			d[n++] = (char)c;
		} else if (c == ' ' || c == '-' || c == '(' || c == ')') {
			continue;
		} else {
			return false;
		}
	}
	d[n] = '\0';
	const char *national;
	if (n < 9)
		return false;
	if (plus) {
		if (strncmp(d, "31", 2) != 0)
			return false;
		national = d + 2;
	} else if (d[0] == '0' && d[1] == '0' && d[2] == '3' && d[3] == '1') {
		national = d + 4;
	} else if (d[0] == '0') {
		national = d + 1;
	} else {
		return false;
	}
	if (strlen(national) != 9 || national[0] == '0')
		return false;
	strcpy(out, "+31");
	strcat(out, national);
	return true;
}

bool valid_mobile(const char *s)
{
	char norm[16];
	return valid_phone(s, norm) && norm[3] == '6';
}

bool valid_email(const char *s)
{
	if (!s)
		return false;
	size_t len = strlen(s);
	if (len < 3 || len > 254)
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	if ((size_t)(at - s) > 64 || !valid_input_text(s, len, 0))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' ||
			c == ',' || c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']')
			return false;
	}
	const char *dom = at + 1;
	const char *dot = strrchr(dom, '.');
	if (!dot || dot == dom || dot[1] == '\0' || strlen(dot + 1) < 2)
		return false;
	if (dom[0] == '.' || strstr(dom, "..") || s[0] == '.' || at[-1] == '.')
		return false;
	return true;
}

bool valid_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1800 || m < 1 || m > 12 || d < 1)
		return false;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

bool valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		uint32_t c = *p;
		size_t n;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			c &= 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
			c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

bool valid_input_text(const char *s, size_t len, unsigned flags)
{
	if (!s)
		return false;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 1 && cp == 0xfffd)
			return false; /* an invalid sequence (a real U+FFFD takes three bytes) */
		bool allowed_c0 = (flags & VALID_MULTILINE) && (cp == '\n' || cp == '\t');
		if ((cp < 0x20 && !allowed_c0) || (cp >= 0x7f && cp <= 0x9f) ||
			(cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return false;
		i += n;
	}
	return true;
}

bool valid_text(const char *s, size_t max_chars, bool required)
{
	if (!s)
		return !required;
	if (!valid_input_text(s, strlen(s), 0))
		return false;
	size_t chars = 0;
	bool blank = true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) != 0x80)
			chars++;
		/* A no-break space (U+00A0) is as blank as a space. */
		if (*p == 0xc2 && p[1] == 0xa0) {
			p++;
			chars++;
			continue;
		}
		if (*p != ' ')
			blank = false;
	}
	if (required && blank)
		return false;
	return max_chars == 0 || chars <= max_chars;
}

bool valid_http_url(const char *s, size_t max)
{
	if (!s)
		return false;
	size_t len = strlen(s);
	if (len > max)
		return false;
	size_t pre;
	if (strncmp(s, "https://", 8) == 0)
		pre = 8;
	else if (strncmp(s, "http://", 7) == 0)
		pre = 7;
	else
		return false;
	if (len == pre || s[pre] == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	}
	return valid_input_text(s, len, 0);
}
