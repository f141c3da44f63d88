/* Text helpers: UTF-8 decoding and search folding (case and diacritics). */
#ifndef ZT_COMMON_TEXT_H
#define ZT_COMMON_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decode one UTF-8 code point at s (at most n bytes); store it in *cp and return its byte
 * length, or return 1 with *cp = U+FFFD for an invalid sequence. n must be > 0. */
size_t text_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp as UTF-8 into out (4 bytes room); returns the byte length. */
size_t text_utf8_encode(uint32_t cp, char out[4]);
/* Fold s for searching: lower case, diacritics removed ("José" -> "jose", "Ĳ" -> "ij"),
 * runs of white space and punctuation collapsed to one space, trimmed. Caller frees. */
char *text_fold(const char *s);

/* Make untrusted text safe to draw on a terminal, for one line: invalid UTF-8 becomes
 * U+FFFD, tab/newline/CR become a space, other C0 controls and DEL become their visible
 * Control Pictures (ESC -> U+241B), C1 controls and bidirectional overrides become U+FFFD.
 * Nothing that could start an escape sequence survives. Caller frees. */
char *text_sanitize(const char *s);
/* Columns one code point takes (wcwidth; needs a UTF-8 locale): 0 for combining marks and
 * other zero-width code points, 2 for wide ones; unprintable ones count as 1 (they are
 * drawn sanitised). */
int text_cp_width(uint32_t cp);
/* Display width of s in terminal columns (wcwidth; needs a UTF-8 locale); unprintable code
 * points count as 1. */
int text_width(const char *s);
/* The longest prefix of s that fits in cols columns, as a byte length; *width gets its
 * width (may be NULL). Never splits a code point or leaves half of a wide character. */
size_t text_fit(const char *s, int cols, int *width);

#endif
