/* Shared by the request-body fuzz targets: CHECK, and an independent statement of the one
 * text rule (valid_input_text) and of the NUL-escape check, for differential checking. */
#ifndef ZT_FUZZ_RULE_H
#define ZT_FUZZ_RULE_H

#include "common/jsonx.h"
#include "common/valid.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with a message when an invariant does not hold; libFuzzer keeps the input. */
#define CHECK(cond)                                                                     \
	do {                                                                                \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                    \
		}                                                                               \
	} while (0)

/* The text rule written out from the Unicode tables: well-formed UTF-8 (lead bytes C2..F4,
 * no overlong three- or four-byte forms, no surrogates, nothing above U+10FFFF), no C0 but
 * tab and newline when multiline, no DEL or C1, no bidi overrides (U+202A..U+202E) or
 * isolates (U+2066..U+2069). */
static inline bool ref_text_ok(const char *str, size_t n, bool multiline)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
								  : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (len == 0 || n - i < len)
			return false;
		uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
			(cp >= 0xd800 && cp <= 0xdfff))
			return false;
		if (cp < 0x20 && !(multiline && (cp == '\t' || cp == '\n')))
			return false;
		if ((cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
			(cp >= 0x2066 && cp <= 0x2069))
			return false;
		i += len;
	}
	return true;
}

/* True when JSON text s holds the escape \u0000: a "u0000" preceded by an odd number of
 * backslashes. */
static inline bool ref_has_nul_escape(const char *s, size_t n)
{
	for (size_t i = 1; i + 5 <= n; i++) {
		if (memcmp(s + i, "u0000", 5) != 0)
			continue;
		size_t k = 0;
		while (k < i && s[i - 1 - k] == '\\')
			k++;
		if (k % 2 == 1)
			return true;
	}
	return false;
}

/* Every member name and string inside v passes the rule (line breaks allowed). */
static inline void check_tree_text(const cJSON *v)
{
	if (cJSON_IsString(v))
		CHECK(ref_text_ok(v->valuestring, strlen(v->valuestring), true));
	for (const cJSON *c = v->child; c; c = c->next) {
		if (cJSON_IsObject(v) && c->string)
			CHECK(ref_text_ok(c->string, strlen(c->string), true));
		check_tree_text(c);
	}
}

/* What zorgd would send for o is valid UTF-8 and JSON that parses back. */
static inline void check_printable(const cJSON *o)
{
	char *text = jx_print(o);
	CHECK(valid_utf8(text, strlen(text)));
	cJSON *again = cJSON_Parse(text);
	CHECK(again != NULL);
	cJSON_Delete(again);
	free(text);
}

/* The string member key of o when one of the validators accepted it: it passes the rule. */
static inline void check_accepted(const char *s, bool accepted, bool multiline)
{
	if (s && accepted)
		CHECK(ref_text_ok(s, strlen(s), multiline));
}

#endif
