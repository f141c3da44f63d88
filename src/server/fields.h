/* Request-body checks shared by handlers: invalid fields are collected into one 400
 * problem (invalid_params with dotted names), plus the HCT API's own field rules. */
#ifndef ZT_SERVER_FIELDS_H
#define ZT_SERVER_FIELDS_H

#include "http.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The invalid fields found so far (problem is NULL while there are none). */
struct fields {
	cJSON *problem;
};

/* Record field name as invalid for reason. */
void fields_bad(struct fields *f, const char *name, const char *reason);
/* When fields were recorded, answer r with the 400 problem and return true. */
bool fields_reply(struct req *r, struct fields *f);
/* Drop what was recorded. */
void fields_free(struct fields *f);

/* The integer member key of obj within [min, max]; when it is missing, not a whole number
 * or out of range, record name with reason and return false. */
bool fields_int(struct fields *f, const cJSON *obj, const char *key, const char *name,
				int64_t min, int64_t max, const char *reason, int64_t *out);
/* The string member key of obj; when it is missing or not a string, record name with reason
 * and return NULL. Borrowed from obj. */
const char *fields_str(struct fields *f, const cJSON *obj, const char *key, const char *name,
					   const char *reason);
/* Check nested object obj (named prefix) for members outside allowed; on one, answer r with
 * a 400 unknown-field problem naming "prefix.member" and return false. */
bool fields_known(struct req *r, const cJSON *obj, const char *prefix,
				  const char *const allowed[]);

/* Number of code points in valid UTF-8 text s. */
size_t utf8_chars(const char *s);
/* A device serial or identification number: 1 to max characters of A-Z a-z 0-9 space
 * _ . , - and not only spaces. */
bool valid_serial(const char *s, size_t max);
/* Free text of at most max code points passing valid_input_text with line breaks and
 * tabs allowed. */
bool valid_note(const char *s, size_t max);
/* An Idempotency-Key: 1 to 100 characters of A-Z a-z 0-9 _ -. */
bool valid_idempotency_key(const char *s);

#endif
