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

#endif
