/* libmicrohttpd glue: TLS setup, body collection, routing, authentication, responses. */
#include "http.h"

#include "auth.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/log.h"
#include "common/valid.h"
#include "longpoll.h"
#include "store/feed.h"
#include "problem.h"
#include "proxy.h"
#include "routes.h"
#include "server.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* TLS 1.2 and 1.3 only, AEAD ciphers only, forward-secret key exchange, server order. */
static const char tls_priorities[] =
	"SECURE256:+SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"
	"-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:"
	"-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE";

/* Our own limits on the request line and the header section: answered with problem+json
 * 414 and 431. libmicrohttpd's per-connection pool (HTTP_POOL_BYTES) holds the request
 * line, the headers and the answer's headers; it zeroes the whole pool after every request,
 * so every connection that served one keeps all of it resident: 16 KiB (about 30 KiB per
 * connection with its TLS session, measured; 128 KiB cost 141 KiB). A request line or
 * header section that does not fit the pool (over about 14 kB) is answered 414/431 by
 * libmicrohttpd itself, without our problem+json (docs/DESIGN.md, issue 11). */
#define HTTP_URI_MAX 4096
#define HTTP_HEADERS_MAX 8192
#define HTTP_POOL_BYTES (16 * 1024)
/* A body over the limit is read and dropped up to this many bytes, then answered 413, so
 * that a client that writes its whole body before reading sees the answer. */
#define HTTP_DISCARD_MAX ((uint64_t)16 * 1024 * 1024)

/* Per-request state kept between libmicrohttpd's calls (created by on_uri). */
struct upload {
	struct buf body;
	bool started;      /* the access handler has seen the headers */
	bool too_large;    /* the body is over the limit: read and dropped */
	bool uri_too_long; /* the request line is over HTTP_URI_MAX */
	bool path_nul;     /* the path holds an encoded NUL (%00) */
	uint64_t dropped;  /* body bytes dropped */
	struct lp_wait *wait; /* a suspended long-poll's state (longpoll.c) */
	struct audit_ticket *audit; /* audit rows queued by the request, not yet answered */
	struct MHD_Response *kept;  /* the answer, kept while its audit rows commit */
	unsigned int kept_status;
};

void http_reply(struct req *r, int status, cJSON *body)
{
	if (r->out)
		cJSON_Delete(r->out);
	free(r->out_raw);
	r->out_raw = NULL;
	r->status = status;
	r->out = body;
	r->is_problem = false;
}

void http_reply_raw(struct req *r, int status, char *text)
{
	http_reply(r, status, NULL);
	r->out_raw = text;
	r->out_raw_utf8 = false;
}

void http_reply_text(struct req *r, int status, char *text)
{
	http_reply_raw(r, status, text);
	r->out_raw_utf8 = true;
}

void http_no_content(struct req *r)
{
	http_reply(r, 204, NULL);
}

const char *http_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* True when the JSON text holds the escape \u0000 (an odd run of backslashes before it). */
static bool has_nul_escape(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\')
			continue;
		size_t run = 0;
		while (i < len && s[i] == '\\') {
			run++;
			i++;
		}
		/* s[i] ends the run and is no backslash, so the loop may step over it. */
		if (run % 2 == 1 && len - i >= 5 && memcmp(s + i, "u0000", 5) == 0)
			return true;
	}
	return false;
}

/* The one text rule (valid_input_text) for JSON strings: line breaks and tabs allowed here;
 * single-line fields check again with their own decoder. */
static bool json_text_ok(const char *s)
{
	return valid_input_text(s, strlen(s), VALID_MULTILINE);
}

/* True when every member name and string inside v passes the text rule; otherwise false
 * with the dotted name of the first that fails (under prefix; "body" at the top) in where. */
static bool json_texts_valid(const cJSON *v, const char *prefix, char *where, size_t size)
{
	if (cJSON_IsString(v) && !json_text_ok(v->valuestring)) {
		snprintf(where, size, "%s", prefix[0] ? prefix : "body");
		return false;
	}
	for (const cJSON *c = v->child; c; c = c->next) {
		char name[200];
		snprintf(name, sizeof name, "%s", prefix);
		if (cJSON_IsObject(v) && c->string) {
			if (!json_text_ok(c->string)) {
				snprintf(where, size, "%s", prefix[0] ? prefix : "body");
				return false;
			}
			snprintf(name, sizeof name, "%s%s%s", prefix, prefix[0] ? "." : "", c->string);
		}
		if (!json_texts_valid(c, name, where, size))
			return false;
	}
	return true;
}

/* The whole parsed body passes the text rule; otherwise a 400 naming the field. */
static bool body_texts_valid(struct req *r)
{
	char where[200];
	if (json_texts_valid(r->json, "", where, sizeof where))
		return true;
	cJSON *p = problem_new(400, "invalid-input", "Invalid input", "Check the marked fields.");
	problem_add_field(p, where,
					  "must be UTF-8 text without control characters (line breaks and tabs "
					  "only in free text), C1 controls or bidirectional overrides");
	problem_reply(r, p);
	return false;
}

bool http_parse_object(struct req *r, const char *const allowed[])
{
	if (!r->body || r->body_len == 0) {
		problem_set(r, 400, "malformed-json", "Malformed request body",
					"The request needs a JSON object as its body.");
		return false;
	}
	const char *end = NULL;
	r->json = cJSON_ParseWithLengthOpts(r->body, r->body_len, &end, false);
	if (r->json && end) {
		/* Only white space may follow the value. */
		while (end < r->body + r->body_len && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
			end++;
		if (end != r->body + r->body_len) {
			cJSON_Delete(r->json);
			r->json = NULL;
		}
	}
	if (!r->json) {
		cJSON *p = problem_new(400, "malformed-json", "Malformed request body",
							   "The body is not valid JSON.");
		char where[64];
		size_t off = end ? (size_t)(end - r->body) : 0;
		snprintf(where, sizeof where, "syntax error near byte %zu", off);
		problem_add_field(p, "body", where);
		problem_reply(r, p);
		return false;
	}
	if (!cJSON_IsObject(r->json)) {
		problem_set(r, 400, "malformed-json", "Malformed request body",
					"The body must be a JSON object.");
		return false;
	}
	if (has_nul_escape(r->body, r->body_len)) {
		/* cJSON would cut the string at the NUL: refuse rather than store less. */
		cJSON *p = problem_new(400, "invalid-input", "Invalid input", "Check the marked fields.");
		problem_add_field(p, "body", "text must not contain the character U+0000 (\\u0000)");
		problem_reply(r, p);
		return false;
	}
	if (!body_texts_valid(r))
		return false;
	const char *unknown = jx_unknown_member(r->json, allowed);
	if (unknown) {
		cJSON *p = problem_new(400, "unknown-field", "Unknown field",
							   "The body contains a field this endpoint does not accept.");
		problem_add_field(p, unknown, "unknown field");
		problem_reply(r, p);
		return false;
	}
	return true;
}

bool http_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
					int64_t *out)
{
	const char *v = http_query(r, name);
	if (!v) {
		*out = def;
		return true;
	}
	/* Digits only, with a minus sign when negatives are allowed: strtoll alone would also
	 * take leading white space and a plus sign. */
	const char *digits = v + (min < 0 && *v == '-');
	size_t nd = strlen(digits);
	char *end = NULL;
	errno = 0;
	long long n = nd ? strtoll(v, &end, 10) : 0;
	if (nd == 0 || nd > 18 || strspn(digits, "0123456789") != nd || *end || errno || n < min ||
		n > max) {
		char reason[128];
		snprintf(reason, sizeof reason, "must be a whole number from %lld to %lld",
				 (long long)min, (long long)max);
		cJSON *p = problem_new(400, "invalid-query", "Invalid query parameter",
							   "Check the marked query parameters.");
		problem_add_field(p, name, reason);
		problem_reply(r, p);
		return false;
	}
	*out = n;
	return true;
}

bool http_seg_id(struct req *r, size_t i, int64_t *out)
{
	const char *s = i < r->nsegs ? r->segs[i] : NULL;
	char *end = NULL;
	long long v = s && *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
	if (!s || !end || *end || v <= 0 || strlen(s) > 15) {
		problem_set(r, 404, "not-found", "Not found", "No such object.");
		return false;
	}
	*out = v;
	return true;
}

/* Split the URL path into r->segs; false when it has too many segments. */
static bool split_path(struct req *r)
{
	const char *p = r->url;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (r->nsegs == REQ_MAX_SEGS)
			return false;
		r->segs[r->nsegs++] = xstrndup(p, n);
		p += n;
	}
	return true;
}

/* Does the route pattern match the request's segments? */
static bool route_matches(const struct route *rt, const struct req *r)
{
	const char *p = rt->pattern;
	size_t i = 0;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (i >= r->nsegs)
			return false;
		if (!(n == 2 && p[0] == '{' && p[1] == '}') &&
			(strlen(r->segs[i]) != n || memcmp(r->segs[i], p, n) != 0))
			return false;
		i++;
		p += n;
	}
	return i == r->nsegs;
}

/* Identify a supplier from its verified client certificate; false when there is none. */
static bool supplier_from_cert(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session || !r->srv->client_ca_pem)
		return false;
	gnutls_session_t tls = (gnutls_session_t)ci->tls_session;
	unsigned int status = 0;
	if (gnutls_certificate_verify_peers2(tls, &status) != GNUTLS_E_SUCCESS || status != 0)
		return false;
	unsigned int n = 0;
	const gnutls_datum_t *chain = gnutls_certificate_get_peers(tls, &n);
	if (!chain || n == 0)
		return false;
	gnutls_x509_crt_t crt;
	if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS)
		return false;
	bool ok = false;
	char cn[256];
	size_t cn_len = sizeof cn;
	if (gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS &&
		gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &cn_len) ==
			GNUTLS_E_SUCCESS) {
		ok = auth_supplier_from_cn(cn, &r->who);
	}
	gnutls_x509_crt_deinit(crt);
	return ok;
}

/* True for the media type application/json, alone or with the one parameter
 * charset=utf-8 (any case, optional quotes and spaces); a prefix match is not enough. */
static bool content_type_json(const char *ct)
{
	static const char mt[] = "application/json";
	if (!ct || strncasecmp(ct, mt, sizeof mt - 1) != 0)
		return false;
	const char *p = ct + sizeof mt - 1;
	p += strspn(p, " \t");
	if (*p == '\0')
		return true;
	if (*p++ != ';')
		return false;
	p += strspn(p, " \t");
	if (strncasecmp(p, "charset=", 8) != 0)
		return false;
	p += 8;
	if (strncasecmp(p, "utf-8", 5) == 0)
		p += 5;
	else if (strncasecmp(p, "\"utf-8\"", 7) == 0)
		p += 7;
	else
		return false;
	p += strspn(p, " \t");
	return *p == '\0';
}

/* Query-argument iterator: stop at the first name or value failing the text rule and
 * keep its name (or "query" when the name itself fails) in *cls. */
static enum MHD_Result query_arg_check(void *cls, enum MHD_ValueKind kind, const char *key,
									   size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	const char **bad = cls;
	if (!valid_input_text(key, key_size, 0)) {
		*bad = "query";
		return MHD_NO;
	}
	if (value && !valid_input_text(value, value_size, 0)) {
		*bad = key;
		return MHD_NO;
	}
	return MHD_YES;
}

/* Every query argument passes the text rule; otherwise a 400 problem and false. */
static bool query_args_valid(struct req *r)
{
	const char *bad = NULL;
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, query_arg_check, &bad);
	if (!bad)
		return true;
	cJSON *p = problem_new(400, "invalid-query", "Invalid query parameter",
						   "Check the marked query parameters.");
	problem_add_field(p, bad,
					  "must be UTF-8 text without control characters, C1 controls or "
					  "bidirectional overrides");
	problem_reply(r, p);
	return false;
}

/* A certificate route (supplier or portal): a verified client certificate whose connector
 * the route admits (the portal's only on portal routes, a supplier's only on supplier
 * routes). False with the answer set. */
static bool admit_certificate(struct req *r, const struct route *found)
{
	if (!supplier_from_cert(r)) {
		problem_set(r, 403, "no-client-certificate", "Forbidden",
					found->auth == ROUTE_PORTAL
						? "This endpoint needs a valid Caren portal client certificate."
						: "This endpoint needs a valid supplier client certificate.");
		return false;
	}
	return found->auth == ROUTE_PORTAL ? auth_portal_admit(r) : auth_supplier_admit(r);
}

/* Route, authenticate and run the handler for a fully received request. */
static void dispatch(struct req *r)
{
	const struct route *found = NULL;
	bool path_known = false;
	if (split_path(r)) {
		for (size_t i = 0; i < route_count; i++) {
			if (!route_matches(&routes[i], r))
				continue;
			path_known = true;
			if (strcmp(routes[i].method, r->method) == 0) {
				found = &routes[i];
				break;
			}
		}
	}
	if (!found) {
		if (path_known)
			problem_set(r, 405, "method-not-allowed", "Method not allowed",
						"This resource does not support that method.");
		else
			problem_set(r, 404, "not-found", "Not found", "No such resource.");
		return;
	}
	if (!query_args_valid(r))
		return;
	if (r->body_len > 0) {
		const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!content_type_json(ct)) {
			problem_set(r, 415, "unsupported-media-type", "Unsupported media type",
						"Send the body as application/json.");
			return;
		}
	}
	r->db = store_acquire(r->srv->store);
	if (!r->db) {
		problem_internal(r, "no database connection");
		return;
	}
	if (found->auth == ROUTE_STAFF && !auth_staff(r))
		return;
	if ((found->auth == ROUTE_SUPPLIER || found->auth == ROUTE_PORTAL) && !admit_certificate(r, found))
		return;
	/* The route's task first; the handler then checks scope through authz_check. */
	if (found->auth == ROUTE_STAFF && found->task != ROUTE_NO_TASK &&
		!authz_check(r, found->task, 0))
		return;
	found->handler(r);
}

/* Turn r's result into a libmicrohttpd response and queue it. */
/* Free callback of a binary body: wipe it first. */
static void wipe_bytes(void *cls)
{
	struct req_bytes {
		unsigned char *p;
		size_t n;
	} *b = cls;
	sodium_memzero(b->p, b->n);
	free(b->p);
	free(b);
}

void http_reply_bytes(struct req *r, unsigned char *bytes, size_t len, const char *type,
					  const char *disposition)
{
	r->status = 200;
	r->out_bytes = bytes;
	r->out_len = len;
	r->out_type = type;
	snprintf(r->disposition, sizeof r->disposition, "%s", disposition ? disposition : "");
}

/* The response for a binary body (r->out_bytes passes to it), or NULL. */
static struct MHD_Response *bytes_response(struct req *r)
{
	struct req_bytes {
		unsigned char *p;
		size_t n;
	} *b = xmalloc(sizeof *b);
	b->p = r->out_bytes;
	b->n = r->out_len;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer_with_free_callback_cls(b->n, b->p, wipe_bytes, b);
	if (!resp) {
		wipe_bytes(b);
	} else {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->out_type);
		if (r->disposition[0])
			MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	}
	r->out_bytes = NULL;
	return resp;
}

/* r's binary body (a letter) with the usual security headers, or NULL. */
static struct MHD_Response *bytes_result(struct req *r)
{
	struct MHD_Response *br = bytes_response(r);
	if (!br)
		return NULL;
	MHD_add_response_header(br, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(br, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(br, "Strict-Transport-Security", "max-age=31536000");
	return br;
}

/* r's result as a libmicrohttpd response (not queued yet; the caller destroys it), or
 * NULL when out of memory. */
static struct MHD_Response *result_response(struct req *r)
{
	if (r->out_bytes)
		return bytes_result(r);
	char *text = NULL;
	size_t len = 0;
	if (r->out_raw && r->out_raw_utf8) {
		text = r->out_raw;
		r->out_raw = NULL;
		len = strlen(text);
	} else if (r->out_raw) {
		/* Stored text (e.g. an idempotent replay) is sent as valid UTF-8 only. */
		text = jx_utf8_repair(r->out_raw);
		len = strlen(text);
	} else if (r->out) {
		text = jx_print(r->out);
		len = strlen(text);
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, text ? text : (void *)"", text ? MHD_RESPMEM_MUST_FREE
																			: MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		return NULL;
	}
	if (text)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
								r->is_problem ? "application/problem+json"
											  : "application/json; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (r->retry_after[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry_after);
	if (r->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (r->status == 405) {
		/* Every multi-method path is listed in routes; name what this one allows. */
		struct buf allow = {0};
		for (size_t i = 0; i < route_count; i++) {
			if (route_matches(&routes[i], r)) {
				if (allow.len)
					buf_puts(&allow, ", ");
				buf_puts(&allow, routes[i].method);
			}
		}
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow.data ? allow.data : "");
		buf_free(&allow);
	}
	return resp;
}

/* Queue r's result on its connection. */
static enum MHD_Result send_result(struct req *r)
{
	struct MHD_Response *resp = result_response(r);
	if (!resp)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned int)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Fill r->remote with the peer's address as text. */
static void remote_address(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	strcpy(r->remote, "unknown");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->remote,
				  sizeof r->remote);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  r->remote, sizeof r->remote);
}

/* Free everything a request owns except the connection. */
static void req_cleanup(struct req *r)
{
	for (size_t i = 0; i < r->nsegs; i++)
		free(r->segs[i]);
	cJSON_Delete(r->json);
	cJSON_Delete(r->out);
	if (r->out_bytes) {
		sodium_memzero(r->out_bytes, r->out_len);
		free(r->out_bytes);
		r->out_bytes = NULL;
	}
	free(r->out_raw);
	auth_principal_clear(&r->who);
	if (r->db)
		store_release(r->srv->store, r->db);
}

/* ---- connection guard: per-request deadline for the handshake and the headers ---------- */

/* One open connection, known from libmicrohttpd's connection notifications. */
struct conn_watch {
	int fd;
	bool waiting;  /* handshake or request headers not complete yet */
	bool cut;      /* already shut down by the reaper */
	time_t since;  /* when the current wait began */
	struct conn_watch *prev, *next;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct conn_watch *head;
	pthread_t reaper;
	bool running;
	bool stop;
	int timeout; /* seconds */
} guard = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static time_t guard_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* libmicrohttpd's connection notification: track each connection from accept to close. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
						  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	pthread_mutex_lock(&guard.lock);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct conn_watch *w = xcalloc(1, sizeof *w);
		w->fd = ci ? ci->connect_fd : -1;
		w->waiting = true;
		w->since = guard_now();
		w->next = guard.head;
		if (guard.head)
			guard.head->prev = w;
		guard.head = w;
		*socket_context = w;
	} else if (*socket_context) {
		/* Called before libmicrohttpd closes the socket: the reaper never sees a reused fd. */
		struct conn_watch *w = *socket_context;
		if (w->prev)
			w->prev->next = w->next;
		else
			guard.head = w->next;
		if (w->next)
			w->next->prev = w->prev;
		free(w);
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&guard.lock);
}

/* Mark the connection as waiting for a request (true) or busy with one (false). */
static void guard_mark(struct MHD_Connection *conn, bool waiting)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (!ci || !ci->socket_context)
		return;
	pthread_mutex_lock(&guard.lock);
	struct conn_watch *w = ci->socket_context;
	w->waiting = waiting;
	w->since = guard_now();
	pthread_mutex_unlock(&guard.lock);
}

/* The reaper thread: twice a second, shut down connections whose handshake and headers
 * (or, on a kept-alive connection, next request headers) took longer than the deadline;
 * libmicrohttpd then sees the socket end and closes the connection itself. */
static void *guard_reaper(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&guard.lock);
	while (!guard.stop) {
		time_t now = guard_now();
		for (struct conn_watch *w = guard.head; w; w = w->next) {
			if (w->waiting && !w->cut && w->fd >= 0 && now - w->since >= guard.timeout) {
				shutdown(w->fd, SHUT_RDWR);
				w->cut = true;
			}
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 500 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&guard.wake, &guard.lock, &until);
	}
	pthread_mutex_unlock(&guard.lock);
	return NULL;
}

/* Stop the reaper thread (when it runs) and wait for it. */
static void guard_stop(void)
{
	if (!guard.running)
		return;
	pthread_mutex_lock(&guard.lock);
	guard.stop = true;
	pthread_cond_signal(&guard.wake);
	pthread_mutex_unlock(&guard.lock);
	pthread_join(guard.reaper, NULL);
	guard.running = false;
}

/* ---- requests ----------------------------------------------------------------------- */

/* libmicrohttpd's URI callback, called once per request with the raw request target before
 * it is decoded: create the request state and note what decoding would hide. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls, (void)conn;
	struct upload *up = xcalloc(1, sizeof *up);
	size_t len = strlen(uri);
	size_t path_len = strcspn(uri, "?");
	up->uri_too_long = len > HTTP_URI_MAX;
	/* The decoded path is a C string: an encoded NUL would silently cut it ("/1%00"). */
	for (size_t i = 0; i + 2 < path_len; i++)
		if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0')
			up->path_nul = true;
	return up;
}

/* Header iterator: add each header's size to the total in *cls. */
static enum MHD_Result header_size_add(void *cls, enum MHD_ValueKind kind, const char *key,
									   size_t key_size, const char *value, size_t value_size)
{
	(void)kind, (void)key, (void)value;
	*(size_t *)cls += key_size + value_size + 4;
	return MHD_YES;
}

/* First call for a request (headers complete): the problem that ends it early, if any,
 * as a status (0 when the request may go on). */
static int request_early_status(struct server *srv, struct MHD_Connection *conn,
								struct upload *up)
{
	if (up->uri_too_long)
		return 414;
	size_t headers = 0;
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, header_size_add, &headers);
	if (headers > HTTP_HEADERS_MAX)
		return 431;
	const char *cl =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > (unsigned long long)srv->cfg.body_limit) {
		up->too_large = true;
		/* A client waiting for 100 Continue has not sent the body: answer now. Otherwise
		 * read and drop the body first (up to a bound) so the client sees the 413. */
		const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
		if ((expect && strcasecmp(expect, "100-continue") == 0) ||
			strtoull(cl, NULL, 10) > HTTP_DISCARD_MAX)
			return 413;
	}
	return 0;
}

/* Set the problem for an early status in r. */
static void request_early_problem(struct req *r, int status)
{
	if (status == 414) {
		problem_set(r, 414, "uri-too-long", "URI too long",
					"The request target may be at most 4096 bytes.");
	} else if (status == 431) {
		problem_set(r, 431, "header-fields-too-large", "Request header fields too large",
					"The request headers may be at most 8192 bytes in all.");
	} else {
		char detail[96];
		snprintf(detail, sizeof detail, "The body may be at most %lld bytes.",
				 (long long)r->srv->cfg.body_limit);
		problem_set(r, 413, "payload-too-large", "Request body too large", detail);
	}
}

/* Suspend and resume a connection whose answer waits for its audit rows (called by the
 * group commit under its lock, as longpoll.c does for polls). */
static void park_suspend(void *conn)
{
	MHD_suspend_connection(conn);
}

static void park_resume(void *conn)
{
	MHD_resume_connection(conn);
}

/* Queue resp (status) when the request's audit rows committed (rc 0); otherwise drop it
 * and answer our 500: no read is answered before its audit row is committed. */
static enum MHD_Result answer_queue(struct server *srv, struct MHD_Connection *conn,
									const char *url, const char *method,
									struct MHD_Response *resp, unsigned int status, int rc)
{
	if (rc == 0) {
		enum MHD_Result ret = MHD_queue_response(conn, status, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	MHD_destroy_response(resp); /* a binary body is wiped by its free callback */
	struct req r = {.srv = srv, .conn = conn, .method = method, .url = url};
	problem_internal(&r, "the audit rows of the request could not be committed");
	enum MHD_Result ret = send_result(&r);
	req_cleanup(&r);
	return ret;
}

/* r queued audit rows without waiting: prepare its answer; when rows are still queued keep
 * it on up and suspend the connection (resumed by the committer: on_request sends it),
 * otherwise send it now (or the 500 of a failed batch). */
static enum MHD_Result answer_after_audit(struct req *r, struct upload *up)
{
	struct store *s = r->srv->store;
	struct MHD_Response *resp = result_response(r);
	if (!resp)
		return MHD_NO; /* on_completed frees the ticket */
	int rc = 0;
	up->kept = resp; /* before the park: the resume may come before this returns */
	up->kept_status = (unsigned int)r->status;
	if (store_audit_park(s, up->audit, park_suspend, park_resume, r->conn, &rc))
		return MHD_YES;
	up->kept = NULL;
	store_audit_ticket_free(s, up->audit);
	up->audit = NULL;
	return answer_queue(r->srv, r->conn, r->url, r->method, resp, (unsigned int)r->status, rc);
}

/* A connection resumed by the committer: send the kept answer, or 500 when its batch
 * failed. */
static enum MHD_Result answer_kept(struct server *srv, struct MHD_Connection *conn,
								   const char *url, const char *method, struct upload *up)
{
	struct MHD_Response *resp = up->kept;
	up->kept = NULL;
	int rc = store_audit_wait(srv->store, up->audit); /* all committed: does not block */
	store_audit_ticket_free(srv->store, up->audit);
	up->audit = NULL;
	return answer_queue(srv, conn, url, method, resp, up->kept_status, rc);
}

/* Answer a request: early problem (status > 0) or dispatch; queue the response. */
static enum MHD_Result request_answer(struct server *srv, struct MHD_Connection *conn,
									  const char *url, const char *method, struct upload *up,
									  int early)
{
	struct req r = {
		.srv = srv,
		.conn = conn,
		.method = method,
		.url = url,
		.body = up->body.data,
		.body_len = up->body.len,
		.wait = &up->wait,
		.audit = &up->audit,
	};
	remote_address(&r);
	if (early)
		request_early_problem(&r, early);
	else if (up->path_nul)
		problem_set(&r, 404, "not-found", "Not found", "No such resource.");
	else
		dispatch(&r);
	if (r.suspended) { /* a long-poll waits: answered when resumed (longpoll.c) */
		req_cleanup(&r);
		return MHD_YES;
	}
	if (r.status == 0)
		problem_internal(&r, "handler set no response");
	enum MHD_Result ret = up->audit ? answer_after_audit(&r, up) : send_result(&r);
	req_cleanup(&r);
	return ret;
}

/* libmicrohttpd's access handler: collect the body, then answer. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
								  const char *method, const char *version,
								  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *srv = cls;
	struct upload *up = *con_cls;
	if (!up) /* on_uri always runs first; stay safe if it did not */
		*con_cls = up = xcalloc(1, sizeof *up);
	if (up->kept) /* resumed: its audit rows are committed (or failed) */
		return answer_kept(srv, conn, url, method, up);
	if (!up->started) {
		up->started = true;
		guard_mark(conn, false);
		int early = request_early_status(srv, conn, up);
		if (early)
			return request_answer(srv, conn, url, method, up, early);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (up->too_large) {
			up->dropped += *upload_size;
			*upload_size = 0;
			return up->dropped > HTTP_DISCARD_MAX
					   ? request_answer(srv, conn, url, method, up, 413)
					   : MHD_YES;
		}
		if (up->body.len + *upload_size > (size_t)srv->cfg.body_limit) {
			up->too_large = true;
			up->dropped = up->body.len + *upload_size;
			buf_free(&up->body);
		} else {
			buf_append(&up->body, upload_data, *upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return request_answer(srv, conn, url, method, up, up->too_large ? 413 : 0);
}

/* libmicrohttpd's completion callback: free the request state; a kept-alive connection
 * now waits for its next request headers (under the deadline again). */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
						 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct server *srv = cls;
	struct upload *up = *con_cls;
	if (up) {
		buf_free(&up->body);
		if (up->kept)
			MHD_destroy_response(up->kept);
		store_audit_ticket_free(srv->store, up->audit);
		longpoll_free(up->wait);
		free(up);
		*con_cls = NULL;
	}
	guard_mark(conn, true);
}

/* Route libmicrohttpd's own error messages to the log. */
__attribute__((format(printf, 2, 0))) static void mhd_logger(void *cls, const char *fmt,
															 va_list ap)
{
	(void)cls;
	char *msg = xvasprintf(fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("libmicrohttpd: %s", msg);
	free(msg);
}

/* Parse "ADDR:PORT" or "[ADDR6]:PORT" into ss; false when malformed. */
static bool parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, bool *loopback)
{
	char host[64];
	const char *colon;
	memset(ss, 0, sizeof *ss);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
			return false;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof host)
			return false;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return false;
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*len = sizeof *in4;
		*loopback = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
		return true;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof *in6;
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		return true;
	}
	return false;
}

/* True when peer is the trusted balancer (--proxy-from). */
static bool peer_is_balancer(const struct server *srv, const struct sockaddr_storage *peer)
{
	char text[INET6_ADDRSTRLEN] = "";
	if (peer->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)peer)->sin_addr, text, sizeof text);
	else if (peer->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)peer)->sin6_addr, text, sizeof text);
	return strcmp(text, srv->cfg.proxy_from) == 0;
}

/* The acceptor of --proxy-from: the balancer's connections give their real client address
 * in a PROXY header, read here before TLS starts; the daemon then sees that address
 * everywhere (audit, login throttling). A balancer connection without a valid header
 * or with a LOCAL one (its health check) is closed. */
static void *accept_main(void *arg)
{
	struct server *srv = arg;
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof peer;
		int fd = accept4(srv->listen_fd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
		if (fd < 0) {
			if (!srv->accepting || (errno != EINTR && errno != ECONNABORTED))
				break;
			continue;
		}
		struct sockaddr_storage real = peer;
		socklen_t rl = pl;
		if (peer_is_balancer(srv, &peer)) {
			struct sockaddr_storage src;
			socklen_t sl = 0;
			/* No valid header, or LOCAL / UNKNOWN (the balancer's own health check, which
			 * has passed once connected): close it without starting TLS. */
			if (!proxy_read(fd, 2000, &src, &sl) || sl == 0) {
				close(fd);
				continue;
			}
			real = src;
			rl = sl;
		}
		/* On failure MHD closes fd itself. */
		MHD_add_connection(srv->daemon, fd, (struct sockaddr *)&real, rl);
	}
	return NULL;
}

/* Bind and listen on ss ourselves (--proxy-from); the descriptor or -1. */
static int listen_own(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
		bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 128) != 0) {
		log_error("cannot listen: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The worker count: --threads, or for 0 a default per backend. SQLite: twice the online
 * CPUs and at least 4 (measured on 2 cores: 4 workers served GET /clients/{id} best, 2
 * fewer, 8 and 16 no more). PostgreSQL: eight per CPU, at least 16 and at most 20: a
 * handler there mostly waits (a round trip per statement, and the audit group commit's
 * flush), and a batch never holds more rows than there are workers; more than 20 would
 * only queue on the pool's 24 connections (measured on 2 cores with fsync on, wrk -c32:
 * 4 workers 860-2,840 req/s, 8: 1,500-3,000, 16: 2,200-2,840; docs/DESIGN.md). */
static unsigned int http_workers(const struct server *srv)
{
	if (srv->cfg.threads > 0)
		return (unsigned int)srv->cfg.threads;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 2;
	bool pg = srv->store && strcmp(store_backend(srv->store), "postgresql") == 0;
	long n = pg ? cpus * 8 : cpus * 2;
	long lo = pg ? 16 : 4, hi = pg ? 20 : 64;
	return (unsigned int)(n < lo ? lo : n > hi ? hi : n);
}

bool http_start(struct server *srv)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (!parse_listen(srv->cfg.listen, &ss, &sslen, &srv->loopback)) {
		log_error("cannot use listen address '%s': write ADDR:PORT, e.g. 127.0.0.1:8443",
				  srv->cfg.listen);
		return false;
	}
	/* An event loop (epoll) in each of cfg.threads workers; a waiting long-poll is a
	 * suspended connection (longpoll.c), not a thread. */
	unsigned int flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
						 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->listen_fd = -1;
	if (srv->cfg.proxy_from) {
		srv->listen_fd = listen_own(&ss, sslen);
		if (srv->listen_fd < 0)
			return false;
		flags |= MHD_USE_NO_LISTEN_SOCKET;
	}
	struct MHD_OptionItem opts[] = {
		{MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_logger, NULL},
		{srv->cfg.proxy_from ? MHD_OPTION_EXTERNAL_LOGGER : MHD_OPTION_SOCK_ADDR,
		 srv->cfg.proxy_from ? (intptr_t)mhd_logger : 0, srv->cfg.proxy_from ? NULL : &ss},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, srv->key_pem},
		{MHD_OPTION_HTTPS_MEM_CERT, 0, srv->cert_pem},
		{MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)tls_priorities},
		{MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)http_workers(srv), NULL},
		{MHD_OPTION_CONNECTION_LIMIT, (intptr_t)srv->cfg.max_connections, NULL},
		{MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)srv->cfg.max_per_address, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)(srv->cfg.max_wait + 60), NULL},
		{MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)HTTP_POOL_BYTES, NULL},
		{MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, NULL},
		{MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, NULL},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
		{srv->client_ca_pem ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0,
		 srv->client_ca_pem},
		{MHD_OPTION_END, 0, NULL},
	};
	guard.timeout = (int)srv->cfg.header_timeout;
	guard.stop = false;
	if (pthread_create(&guard.reaper, NULL, guard_reaper, NULL) != 0) {
		log_error("cannot start the connection guard thread");
		return false;
	}
	guard.running = true;
	if (!longpoll_start(srv->store)) {
		guard_stop();
		return false;
	}
	store_audit_start(srv->store); /* when it cannot start, reads wait for their rows */
	uint16_t port = ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
											: ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	srv->daemon = MHD_start_daemon(flags, port, NULL, NULL, on_request, srv, MHD_OPTION_ARRAY,
								   opts, MHD_OPTION_END);
	if (!srv->daemon) {
		log_error("cannot listen on %s (address in use, or certificate/key unusable)",
				  srv->cfg.listen);
		longpoll_stop(0);
		store_audit_stop(srv->store);
		guard_stop();
		return false;
	}
	if (srv->listen_fd >= 0) {
		srv->accepting = true;
		if (pthread_create(&srv->acceptor, NULL, accept_main, srv) != 0) {
			srv->accepting = false;
			log_error("cannot start the acceptor thread");
			return false;
		}
		log_info("listening on %s; PROXY headers read from %s", srv->cfg.listen,
				 srv->cfg.proxy_from);
		return true;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	log_info("listening on %s (port %u); %u workers", srv->cfg.listen, di ? di->port : port,
			 http_workers(srv));
	return true;
}

void http_stop(struct server *srv)
{
	if (!srv->daemon)
		return;
	/* Suspended polls are resumed and answered first: libmicrohttpd must not be stopped
	 * with a suspended connection. */
	longpoll_stop(2000);
	/* The same for answers waiting for their audit rows: the committer commits what is
	 * queued and resumes them; later reads commit their rows themselves. */
	store_audit_stop(srv->store);
	feed_shutdown();
	if (srv->accepting) {
		srv->accepting = false;
		shutdown(srv->listen_fd, SHUT_RDWR); /* wakes accept() */
		pthread_join(srv->acceptor, NULL);
	}
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	srv->listen_fd = -1;
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	guard_stop();
}
