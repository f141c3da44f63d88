/* Pure text layout shared by the widgets (no curses): a text seen as two spans (a plain
 * string, or a gap buffer's two halves), user-perceived characters (a code point plus the
 * zero-width marks after it), greedy word wrap, and cleaning input so that only '\n' and
 * terminal-safe text remain. Widths come from src/common/text.c. */
#ifndef ZT_UI_WIDGETS_WRAP_H
#define ZT_UI_WIDGETS_WRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returned by wrap_next_line for the last line of a text. */
#define WRAP_END ((size_t)-1)

/* A text as two spans: logical byte i is a[i] below alen, else b[i - alen]. */
struct wrap_src {
	const char *a;
	size_t alen;
	const char *b;
	size_t blen;
};

/* A source over one plain string of n bytes (borrowed). */
struct wrap_src wrap_src_str(const char *s, size_t n);
/* Total byte length of src. */
size_t wrap_len(const struct wrap_src *src);
/* Logical byte i of src (i < wrap_len). */
char wrap_byte(const struct wrap_src *src, size_t i);
/* Copy logical bytes [from, to) into out (room for to - from bytes). */
void wrap_copy(const struct wrap_src *src, size_t from, size_t to, char *out);
/* Decode the code point at byte i into *cp; returns its byte length (>= 1). */
size_t wrap_decode(const struct wrap_src *src, size_t i, uint32_t *cp);
/* The end of the character that starts at byte i (a code point with the zero-width marks
 * that follow it); *width gets its columns (a lone leading mark counts 1). '\n' is a
 * character of its own with width 0. */
size_t wrap_char_next(const struct wrap_src *src, size_t i, int *width);
/* The start of the character that ends at byte i (i > 0). */
size_t wrap_char_prev(const struct wrap_src *src, size_t i);
/* Greedy word wrap: the start of the visual line after the one that starts at byte
 * start, for lines of at most width columns. Spaces may hang past the width; a word
 * longer than the line is cut at a character boundary; '\n' ends a line. WRAP_END when
 * the line runs to the end of the text. */
size_t wrap_next_line(const struct wrap_src *src, size_t start, int width);
/* Columns from byte from to byte to (both character boundaries). */
int wrap_cols(const struct wrap_src *src, size_t from, size_t to);
/* Clean n bytes of untrusted or typed text for storing and drawing: CR LF and lone CR
 * become '\n', other controls, escapes, invalid UTF-8 and bidi overrides are made visible
 * and harmless (text_sanitize), tabs become a space. *ncp gets the code point count.
 * Caller frees. */
char *wrap_clean(const char *s, size_t n, size_t *ncp);
/* Code points in bytes [0, n) of s (s is valid UTF-8). */
size_t wrap_count_cp(const char *s, size_t n);
/* The byte length of the first max_cp code points of s (n bytes). */
size_t wrap_prefix_cp(const char *s, size_t n, size_t max_cp);

/* One visual line of a wrapped plain string: bytes [start, end) to draw. */
struct wrap_line {
	size_t start, end;
};
/* Wrap the whole string s (n bytes) to width; *nlines gets the count (>= 1). Trailing
 * hanging spaces and the '\n' are left out of each line's end. Caller frees. */
struct wrap_line *wrap_lines(const char *s, size_t n, int width, size_t *nlines);

#endif
