/* Pure text layout for the widgets: characters, word wrap and input cleaning over a text
 * held as two spans (see wrap.h). */
#include "wrap.h"

#include "common/alloc.h"
#include "common/text.h"

#include <stdlib.h>
#include <string.h>

struct wrap_src wrap_src_str(const char *s, size_t n)
{
	struct wrap_src src = {s, n, NULL, 0};
	return src;
}

size_t wrap_len(const struct wrap_src *src)
{
	return src->alen + src->blen;
}

char wrap_byte(const struct wrap_src *src, size_t i)
{
	return i < src->alen ? src->a[i] : src->b[i - src->alen];
}

void wrap_copy(const struct wrap_src *src, size_t from, size_t to, char *out)
{
	if (from < src->alen) {
		size_t end = to < src->alen ? to : src->alen;
		memcpy(out, src->a + from, end - from);
		out += end - from;
		from = end;
	}
	if (from < to)
		memcpy(out, src->b + (from - src->alen), to - from);
}

size_t wrap_decode(const struct wrap_src *src, size_t i, uint32_t *cp)
{
	size_t len = wrap_len(src);
	unsigned char c = (unsigned char)wrap_byte(src, i);
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	char tmp[4];
	size_t n = len - i < 4 ? len - i : 4;
	if (i + n <= src->alen) /* the usual case: no copy */
		return text_utf8_decode(src->a + i, n, cp);
	if (i >= src->alen)
		return text_utf8_decode(src->b + (i - src->alen), n, cp);
	wrap_copy(src, i, i + n, tmp);
	return text_utf8_decode(tmp, n, cp);
}

size_t wrap_char_next(const struct wrap_src *src, size_t i, int *width)
{
	size_t len = wrap_len(src);
	uint32_t cp;
	size_t j = i + wrap_decode(src, i, &cp);
	if (cp == '\n') {
		*width = 0;
		return j;
	}
	int w = text_cp_width(cp);
	*width = w > 0 ? w : 1;
	while (j < len) {
		size_t n = wrap_decode(src, j, &cp);
		if (cp == '\n' || text_cp_width(cp) != 0)
			break;
		j += n;
	}
	return j;
}

/* The start of the code point that ends at byte i (i > 0). */
static size_t cp_prev(const struct wrap_src *src, size_t i)
{
	size_t j = i - 1;
	while (j > 0 && i - j < 4 && ((unsigned char)wrap_byte(src, j) & 0xc0) == 0x80)
		j--;
	return j;
}

size_t wrap_char_prev(const struct wrap_src *src, size_t i)
{
	size_t j = cp_prev(src, i);
	uint32_t cp;
	wrap_decode(src, j, &cp);
	/* Zero-width marks belong to the code point before them, unless that is a '\n'. */
	while (cp != '\n' && j > 0 && text_cp_width(cp) == 0) {
		size_t k = cp_prev(src, j);
		uint32_t before;
		wrap_decode(src, k, &before);
		if (before == '\n')
			break;
		j = k;
		cp = before;
	}
	return j;
}

size_t wrap_next_line(const struct wrap_src *src, size_t start, int width)
{
	size_t len = wrap_len(src), pos = start, brk = 0;
	int col = 0;
	if (width < 1)
		width = 1;
	while (pos < len) {
		char c = wrap_byte(src, pos);
		if (c == '\n')
			return pos + 1;
		if (c == ' ') { /* spaces hang: a break may follow them */
			pos++;
			col++;
			brk = pos;
			continue;
		}
		int w;
		size_t next = wrap_char_next(src, pos, &w);
		if (col + w > width && pos > start)
			return brk > start ? brk : pos;
		col += w;
		pos = next;
	}
	return WRAP_END;
}

int wrap_cols(const struct wrap_src *src, size_t from, size_t to)
{
	int cols = 0;
	while (from < to) {
		int w;
		from = wrap_char_next(src, from, &w);
		cols += w;
	}
	return cols;
}

size_t wrap_count_cp(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

size_t wrap_prefix_cp(const char *s, size_t n, size_t max_cp)
{
	size_t i = 0, count = 0;
	while (i < n) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (count == max_cp)
				break;
			count++;
		}
		i++;
	}
	return i;
}

/* Append one line (no line breaks inside) of n bytes, sanitised, to b. */
static void clean_line(struct buf *b, const char *s, size_t n)
{
	char *line = xmalloc(n + 1);
	memcpy(line, s, n);
	line[n] = '\0';
	/* A NUL inside typed text ends it for text_sanitize; the rest is lost, as intended. */
	char *safe = text_sanitize(line);
	buf_puts(b, safe);
	free(safe);
	free(line);
}

char *wrap_clean(const char *s, size_t n, size_t *ncp)
{
	struct buf b = {0};
	buf_append(&b, "", 0);
	size_t from = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n' && s[i] != '\r')
			continue;
		clean_line(&b, s + from, i - from);
		if (i < n) {
			buf_append(&b, "\n", 1);
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
		}
		from = i + 1;
	}
	if (ncp)
		*ncp = wrap_count_cp(b.data, b.len);
	return buf_steal(&b);
}

struct wrap_line *wrap_lines(const char *s, size_t n, int width, size_t *nlines)
{
	struct wrap_src src = wrap_src_str(s, n);
	size_t cap = 8, count = 0, start = 0;
	struct wrap_line *lines = xmalloc(cap * sizeof *lines);
	for (;;) {
		size_t next = wrap_next_line(&src, start, width);
		size_t end = next == WRAP_END ? n : next;
		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\n'))
			end--;
		if (count == cap) {
			cap *= 2;
			lines = xrealloc(lines, cap * sizeof *lines);
		}
		lines[count].start = start;
		lines[count].end = end;
		count++;
		if (next == WRAP_END)
			break;
		start = next;
	}
	*nlines = count;
	return lines;
}
