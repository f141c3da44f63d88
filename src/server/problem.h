/* application/problem+json responses (RFC 9457) with invalid-field details. */
#ifndef ZT_SERVER_PROBLEM_H
#define ZT_SERVER_PROBLEM_H

#include <cjson/cJSON.h>

struct req;

/* Build a problem object: type derived from slug, title, status and detail. Caller owns. */
cJSON *problem_new(int status, const char *slug, const char *title, const char *detail);
/* Add an invalid field with its reason to problem p. */
void problem_add_field(cJSON *p, const char *name, const char *reason);
/* Set p as r's response (ownership passes to r). */
void problem_reply(struct req *r, cJSON *p);
/* Respond with a problem without field details. */
void problem_set(struct req *r, int status, const char *slug, const char *title,
				 const char *detail);
/* Respond 404 with the words used for unknown and out-of-scope objects alike (existence
 * must not leak). */
void problem_not_found(struct req *r);
/* Respond 500 with a generic text; the cause is logged, never sent. */
void problem_internal(struct req *r, const char *log_detail);

#endif
