/* UTF-8 decoding and search folding shared by client and server. */
#include "common/text.h"

#include "common/alloc.h"
#include "fold_table.h"

#include <stdbool.h>

#include <string.h>
#include <wchar.h>

size_t text_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c = p[0];
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		c &= 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = c;
	return len;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Append the folded form of one code point to b; returns 1 for a letter or digit,
 * 0 for a separator. */
static int fold_cp(struct buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 32;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			char c = (char)cp;
			buf_append(b, &c, 1);
			return 1;
		}
		return 0;
	}
	if (cp == 0xdf) {
		buf_puts(b, "ss");
		return 1;
	}
	if (cp == 0xc6 || cp == 0xe6) {
		buf_puts(b, "ae");
		return 1;
	}
	if (cp == 0x132 || cp == 0x133) {
		buf_puts(b, "ij");
		return 1;
	}
	if (cp == 0x152 || cp == 0x153) {
		buf_puts(b, "oe");
		return 1;
	}
	if (cp >= FOLD_00C0_FIRST && cp <= FOLD_00C0_LAST && fold_00c0[cp - FOLD_00C0_FIRST]) {
		buf_append(b, &fold_00c0[cp - FOLD_00C0_FIRST], 1);
		return 1;
	}
	if (cp >= FOLD_1E00_FIRST && cp <= FOLD_1E00_LAST && fold_1e00[cp - FOLD_1E00_FIRST]) {
		buf_append(b, &fold_1e00[cp - FOLD_1E00_FIRST], 1);
		return 1;
	}
	/* C1 controls, Latin-1 punctuation and symbols, general punctuation and spaces
	 * separate words. */
	if ((cp >= 0x80 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7 || (cp >= 0x2000 && cp <= 0x206f) ||
		cp == 0xfffd)
		return 0;
	char enc[4];
	buf_append(b, enc, text_utf8_encode(cp, enc));
	return 1;
}

char *text_fold(const char *s)
{
	struct buf b = {0};
	size_t n = strlen(s);
	int pending_space = 0;
	while (n > 0) {
		uint32_t cp;
		size_t len = text_utf8_decode(s, n, &cp);
		s += len;
		n -= len;
		/* Apostrophes join ("'t", "d'Ancona"), they do not separate; combining
		 * diacritical marks vanish without ending a word or a separator run. */
		if (cp == '\'' || cp == 0x2019 || (cp >= 0x300 && cp <= 0x36f))
			continue;
		size_t before = b.len;
		if (pending_space && b.len > 0)
			buf_append(&b, " ", 1);
		if (fold_cp(&b, cp)) {
			pending_space = 0;
		} else {
			b.len = before;
			if (b.data)
				b.data[b.len] = '\0';
			pending_space = 1;
		}
	}
	return buf_steal(&b);
}

/* True for code points that must never reach the terminal as they are. */
static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
		   cp == 0x200f || cp == 0x061c;
}

char *text_sanitize(const char *s)
{
	struct buf b = {0};
	size_t n = strlen(s);
	buf_append(&b, "", 0);
	while (n > 0) {
		uint32_t cp;
		size_t len = text_utf8_decode(s, n, &cp);
		char enc[4];
		if (cp == '\t' || cp == '\n' || cp == '\r')
			cp = ' ';
		else if (cp < 0x20)
			cp = 0x2400 + cp; /* Control Pictures: U+2400..U+241F */
		else if (cp == 0x7f)
			cp = 0x2421;
		else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp))
			cp = 0xfffd;
		buf_append(&b, enc, text_utf8_encode(cp, enc));
		s += len;
		n -= len;
	}
	return buf_steal(&b);
}

int text_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
	int w = 0;
	size_t n = strlen(s);
	while (n > 0) {
		uint32_t cp;
		size_t len = text_utf8_decode(s, n, &cp);
		w += text_cp_width(cp);
		s += len;
		n -= len;
	}
	return w;
}

size_t text_fit(const char *s, int cols, int *width)
{
	size_t used = 0, n = strlen(s);
	int w = 0;
	while (used < n) {
		uint32_t cp;
		size_t len = text_utf8_decode(s + used, n - used, &cp);
		int cw = text_cp_width(cp);
		if (w + cw > cols)
			break;
		w += cw;
		used += len;
	}
	if (width)
		*width = w;
	return used;
}
