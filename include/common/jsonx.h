/* Small typed accessors on cJSON used on both sides of the wire. */
#ifndef ZT_COMMON_JSONX_H
#define ZT_COMMON_JSONX_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

/* The string member key of o, or NULL when absent or not a string. Borrowed. */
const char *jx_str(const cJSON *o, const char *key);
/* Store the integer member key of o in *out; false when absent or not an integer. */
bool jx_int(const cJSON *o, const char *key, int64_t *out);
/* Store the boolean member key of o in *out; false when absent or not a boolean. */
bool jx_bool(const cJSON *o, const char *key, bool *out);
/* The first member name of object o not listed in the NULL-terminated allowed list, or
 * NULL when every member is known. Borrowed. */
const char *jx_unknown_member(const cJSON *o, const char *const allowed[]);
/* Add an integer member (exact for |v| < 2^53). */
void jx_add_int(cJSON *o, const char *key, int64_t v);
/* Add a string member, or null when s is NULL. */
void jx_add_str(cJSON *o, const char *key, const char *s);
/* Serialise o compactly, as valid UTF-8 (see jx_utf8_repair). Caller frees. Aborts on
 * out-of-memory. */
char *jx_print(const cJSON *o);
struct buf;
/* Append the decimal digits of v to b (as jx_print writes an integer). */
void jx_buf_int(struct buf *b, int64_t v);
/* A copy of JSON text s in which every byte of an invalid UTF-8 sequence is replaced by
 * U+FFFD. Such bytes are >= 0x80 and so only inside strings: the JSON stays JSON. Caller
 * frees. */
char *jx_utf8_repair(const char *s);
/* Format a Unix time as RFC 3339 UTC ("2026-11-21T10:00:00Z") into out. */
void jx_time(int64_t t, char out[32]);
/* Parse an RFC 3339 UTC time written as jx_time writes it; false when malformed. */
bool jx_parse_time(const char *s, int64_t *out);

#endif
