/* zorgd's HTTP layer: one request's state, the response helpers and the daemon. */
#ifndef ZT_SERVER_HTTP_H
#define ZT_SERVER_HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct MHD_Connection;
struct server;
struct db;
struct lp_wait;
struct audit_ticket;
struct task_set;

enum principal_kind { PRINCIPAL_NONE, PRINCIPAL_STAFF, PRINCIPAL_SUPPLIER, PRINCIPAL_PORTAL };

/* Who is calling: a logged-in staff member or a supplier with a client certificate. */
struct principal {
	enum principal_kind kind;
	int64_t staff_id;
	char *username;
	char *name;
	char **tasks; /* sorted task codes, borrowed from taskset */
	size_t ntasks;
	struct task_set *taskset; /* staff: a reference to the cached set (auth_tasks.h) */
	char connector[64]; /* supplier: connector name from the certificate CN */
	char cert_cn[256];
	int64_t supplier_id; /* supplier: the suppliers row of the connector (access granted) */
};

#define REQ_MAX_SEGS 10

/* One request on its way through zorgd; handlers read the input part and fill the output. */
struct req {
	struct server *srv;
	struct MHD_Connection *conn;
	struct db *db;
	const char *method;
	const char *url;
	char *segs[REQ_MAX_SEGS];
	size_t nsegs;
	const char *body;
	size_t body_len;
	cJSON *json; /* parsed body, or NULL */
	char remote[64];
	struct principal who;
	char token_hash[65];

	int status;
	cJSON *out;     /* JSON response body (owned) */
	char *out_raw;  /* or: JSON response text sent as-is (owned), e.g. a stored response */
	bool out_raw_utf8; /* out_raw is known to be valid UTF-8 (built here, not stored) */
	bool is_problem;
	unsigned char *out_bytes; /* or: a binary body (owned; wiped and freed after sending) */
	size_t out_len;
	const char *out_type;     /* its media type (static) */
	char disposition[128];    /* Content-Disposition, or "" */
	char retry_after[24];
	char location[256];

	/* A long-poll's state, kept by the connection across suspensions (see longpoll.h):
	 * *wait is NULL on a request's first run; a handler that suspended the connection sets
	 * suspended, and no answer is sent. */
	struct lp_wait **wait;
	bool suspended;
	/* The audit rows of this request queued without waiting (audit_req; see
	 * store_audit_queue), kept by the connection: the answer waits for their commit. */
	struct audit_ticket **audit;
};

/* Route handler: fills r->status and r->out (or a problem). */
typedef void (*http_handler)(struct req *r);

/* Respond with status and a JSON body (ownership of body passes to r; may be NULL). */
void http_reply(struct req *r, int status, cJSON *body);
/* Respond with status and JSON text sent byte for byte (ownership of text passes to r). */
void http_reply_raw(struct req *r, int status, char *text);
/* http_reply_raw for text this process built from valid UTF-8 pieces (jx_print output and
 * ASCII): sent without the repair pass over it. */
void http_reply_text(struct req *r, int status, char *text);
/* Respond 200 with binary body bytes of media type type (static); ownership of bytes
 * (malloc'ed) passes to r, which wipes them after sending (a letter holds a code). */
void http_reply_bytes(struct req *r, unsigned char *bytes, size_t len, const char *type,
					  const char *disposition);
/* Respond 204 No Content. */
void http_no_content(struct req *r);
/* The value of query argument name, or NULL. Borrowed from the connection. */
const char *http_query(struct req *r, const char *name);
/* The value of request header name, or NULL. Borrowed. */
const char *http_header(struct req *r, const char *name);
/* Parse r->body as a JSON object into r->json, checking members against allowed
 * (NULL-terminated); on failure a 400 problem is set and false returned. */
bool http_parse_object(struct req *r, const char *const allowed[]);
/* Read integer query argument name into *out (def when absent); on a malformed or out of
 * range value set a 400 problem naming the argument and return false. */
bool http_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
					int64_t *out);
/* Parse the integer path segment i into *out; on failure a 404 problem is set. */
bool http_seg_id(struct req *r, size_t i, int64_t *out);

/* Start the HTTPS daemon for srv; false with a logged reason on failure. */
bool http_start(struct server *srv);
/* Stop the daemon and wait for running requests. */
void http_stop(struct server *srv);

#endif
