/* Validation of Dutch identifiers and contact data; pure functions, no I/O. */
#ifndef ZT_COMMON_VALID_H
#define ZT_COMMON_VALID_H

#include <stdbool.h>
#include <stddef.h>

/* True when s is exactly nine digits passing the BSN 11-check (not all zeros). */
bool valid_bsn(const char *s);
/* Normalise a Dutch postcode ("1234ab", "1234 AB") into out as "1234 AB"; false if invalid. */
bool valid_postcode(const char *s, char out[8]);
/* Normalise a Dutch phone number (06..., +31..., 0031..., landline 0xx) into out as
 * "+31XXXXXXXXX"; false if invalid. out needs 13 bytes. */
bool valid_phone(const char *s, char out[16]);
/* True when s is a Dutch mobile number (06 / +316). */
bool valid_mobile(const char *s);
/* True for a plausible e-mail address: one @, a local part, a dotted domain, no spaces,
 * at most 254 bytes. */
bool valid_email(const char *s);
/* True for a real calendar date written as YYYY-MM-DD. */
bool valid_date(const char *s);
/* True when s passes valid_input_text (one line), has at most max_chars code points
 * (0 means no limit) and, when required, is not empty after trimming. */
bool valid_text(const char *s, size_t max_chars, bool required);
/* True when s is valid UTF-8 (any characters). */
bool valid_utf8(const char *s, size_t len);

/* valid_input_text flag: the field may hold line breaks and tabs (U+000A, U+0009). */
#define VALID_MULTILINE 1u
/* The one rule every text entering zorgd passes: s[0..len) is valid UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF) and holds no C0 control (tab and newline
 * only with VALID_MULTILINE), no DEL, no C1 control (U+0080..U+009F) and no bidirectional
 * override or isolate (U+202A..U+202E, U+2066..U+2069). */
bool valid_input_text(const char *s, size_t len, unsigned flags);
/* True for an http:// or https:// URL of at most max bytes without spaces or controls. */
bool valid_http_url(const char *s, size_t max);

#endif
