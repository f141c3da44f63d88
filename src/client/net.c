/* libcurl multi wrapper: one transfer per request, completions reported from net_poll. */
#include "client/net.h"

#include "common/alloc.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

#define NET_MAX_BODY (64u << 20)

struct net_req {
	uint64_t id;
	CURL *easy;
	struct curl_slist *headers;
	char *body_out;
	struct buf body_in;
	long retry_after;
	bool overflow;
	net_cb cb;
	void *ud;
	struct net_req *next;
};

struct net {
	CURLM *multi;
	char *ca_file;
	uint64_t next_id;
	struct net_req *reqs;
	size_t pending;
};

/* libcurl write callback: collect the body, up to a sane limit. */
static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
	struct net_req *r = ud;
	size_t n = sz * nm;
	if (r->body_in.len + n > NET_MAX_BODY) {
		r->overflow = true;
		return 0;
	}
	buf_append(&r->body_in, p, n);
	return n;
}

/* libcurl header callback: remember Retry-After. */
static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
	struct net_req *r = ud;
	size_t n = sz * nm;
	if (n > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		r->retry_after = strtol(p + 12, NULL, 10);
	return n;
}

struct net *net_new(const char *ca_file)
{
	struct net *n = xcalloc(1, sizeof *n);
	n->multi = curl_multi_init();
	if (!n->multi) {
		log_error("curl_multi_init failed");
		abort();
	}
	n->ca_file = xstrdup(ca_file);
	n->next_id = 1;
	return n;
}

/* Unlink r from the list, release it, and free it. */
static void req_free(struct net *n, struct net_req *r)
{
	for (struct net_req **pp = &n->reqs; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	curl_multi_remove_handle(n->multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->body_out);
	buf_free(&r->body_in);
	free(r);
	n->pending--;
}

uint64_t net_start(struct net *n, const char *method, const char *url, const char *const headers[],
				   const char *body, long timeout_ms, net_cb cb, void *ud)
{
	struct net_req *r = xcalloc(1, sizeof *r);
	r->id = n->next_id++;
	r->cb = cb;
	r->ud = ud;
	r->easy = curl_easy_init();
	if (!r->easy) {
		log_error("curl_easy_init failed");
		abort();
	}
	CURL *e = r->easy;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (n->ca_file) {
		/* Only the configured CA: without clearing CAPATH, GnuTLS also parses every
		 * certificate in /etc/ssl/certs for each handshake (6.7 MiB of heap at peak). */
		curl_easy_setopt(e, CURLOPT_CAINFO, n->ca_file);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "zorgterm/" ZORGTERM_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	r->headers = curl_slist_append(r->headers, "Accept: application/json");
	for (size_t i = 0; headers && headers[i]; i++)
		r->headers = curl_slist_append(r->headers, headers[i]);
	if (body) {
		r->body_out = xstrdup(body);
		r->headers = curl_slist_append(r->headers, "Content-Type: application/json");
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body_out);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(r->body_out));
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	r->next = n->reqs;
	n->reqs = r;
	n->pending++;
	curl_multi_add_handle(n->multi, e);
	return r->id;
}

/* Classify a libcurl result into an outcome. */
static enum net_outcome outcome_of(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return NET_DONE;
	case CURLE_OPERATION_TIMEDOUT:
		return NET_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return NET_CONNECT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return NET_TLS;
	default:
		return NET_OTHER;
	}
}

/* Hand a finished request to its callback and free it. */
static void finish(struct net *n, struct net_req *r, enum net_outcome oc, const char *error)
{
	struct net_response resp = {.outcome = oc, .error = error, .retry_after = r->retry_after};
	if (oc == NET_DONE)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &resp.status);
	if (!r->body_in.data)
		buf_append(&r->body_in, "", 0);
	resp.body = r->body_in.data;
	resp.len = r->body_in.len;
	net_cb cb = r->cb;
	void *ud = r->ud;
	/* Free first so the callback may start new requests (and sees a consistent count). */
	struct buf keep = r->body_in;
	r->body_in = (struct buf){0};
	req_free(n, r);
	resp.body = keep.data;
	cb(ud, &resp);
	buf_free(&keep);
}

void net_cancel(struct net *n, uint64_t id)
{
	for (struct net_req *r = n->reqs; r; r = r->next) {
		if (r->id == id) {
			finish(n, r, NET_CANCELLED, "cancelled");
			return;
		}
	}
}

void net_free(struct net **np)
{
	struct net *n = *np;
	if (!n)
		return;
	while (n->reqs)
		finish(n, n->reqs, NET_CANCELLED, "cancelled");
	curl_multi_cleanup(n->multi);
	free(n->ca_file);
	free(n);
	*np = NULL;
}

/* Hand every finished transfer to its callback; returns how many finished. */
static int drain_done(struct net *n)
{
	CURLMsg *msg;
	int left, done = 0;
	while ((msg = curl_multi_info_read(n->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct net_req *r = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		CURLcode rc = msg->data.result;
		done++;
		if (r->overflow) {
			finish(n, r, NET_OTHER, "response too large");
			continue;
		}
		finish(n, r, outcome_of(rc), curl_easy_strerror(rc));
	}
	return done;
}

int net_poll(struct net *n, struct curl_waitfd *extra, unsigned int nextra, int timeout_ms)
{
	int numfds = 0;
	int running = 0;
	curl_multi_perform(n->multi, &running);
	/* A transfer this perform completed has no socket left to wake the poll: answer it now
	 * and do not wait (waiting here cost a whole poll timeout per change-feed page). */
	if (drain_done(n))
		timeout_ms = 0;
	CURLMcode mc = curl_multi_poll(n->multi, extra, nextra, timeout_ms, &numfds);
	if (mc != CURLM_OK)
		log_warn("curl_multi_poll: %s", curl_multi_strerror(mc));
	curl_multi_perform(n->multi, &running);
	drain_done(n);
	return numfds;
}

size_t net_pending(const struct net *n)
{
	return n->pending;
}
