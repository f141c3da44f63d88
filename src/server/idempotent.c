/* The Idempotency-Key of a creation request and its replies, for every idempotent handler. */
#include "idempotent.h"

#include "fields.h"
#include "problem.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *idem_req_key(struct req *r, const char *what)
{
	const char *key = http_header(r, "Idempotency-Key");
	if (valid_idempotency_key(key))
		return key;
	char detail[96];
	snprintf(detail, sizeof detail, "Send an Idempotency-Key header with every new %s.", what);
	cJSON *p = problem_new(400, "invalid-input", "Invalid input", detail);
	problem_add_field(p, "Idempotency-Key",
					  "required header: 1 to 100 characters of A-Z, a-z, 0-9, _ and -");
	problem_reply(r, p);
	return NULL;
}

void idem_req_hash(const struct req *r, char out[65])
{
	unsigned char h[32];
	crypto_generichash_state s;
	crypto_generichash_init(&s, NULL, 0, sizeof h);
	crypto_generichash_update(&s, (const unsigned char *)r->url, strlen(r->url));
	crypto_generichash_update(&s, (const unsigned char *)"\n", 1);
	if (r->body_len)
		crypto_generichash_update(&s, (const unsigned char *)r->body, r->body_len);
	crypto_generichash_final(&s, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

void idem_reply_reused(struct req *r, const char *what)
{
	char detail[160];
	snprintf(detail, sizeof detail,
			 "This Idempotency-Key was already used for a different request; use a new key "
			 "for a new %s.",
			 what);
	problem_set(r, 422, "idempotency-key-reused", "Idempotency key reused", detail);
}

void idem_send(struct req *r, struct idem_reply *a)
{
	if (a->location)
		snprintf(r->location, sizeof r->location, "%s", a->location);
	http_reply_raw(r, a->status, a->response);
	a->response = NULL;
}
