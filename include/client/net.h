/* Non-blocking HTTPS requests on libcurl's multi interface, driven by the caller's loop.
 * TLS verification is always on; a CA file may be given. */
#ifndef ZT_CLIENT_NET_H
#define ZT_CLIENT_NET_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a request ended, as the callback sees it. */
enum net_outcome {
	NET_DONE,      /* an HTTP response arrived (any status) */
	NET_CANCELLED, /* net_cancel was called */
	NET_TIMEOUT,   /* no complete answer in time */
	NET_CONNECT,   /* the server could not be reached */
	NET_TLS,       /* the certificate could not be verified, or TLS failed */
	NET_OTHER,     /* any other transfer error */
};

struct net_response {
	enum net_outcome outcome;
	long status;         /* HTTP status when outcome is NET_DONE */
	const char *body;    /* NUL-terminated; borrowed for the callback's duration */
	size_t len;
	long retry_after;    /* seconds from a Retry-After header, or 0 */
	const char *error;   /* libcurl's error text when not NET_DONE */
};

typedef void (*net_cb)(void *ud, const struct net_response *r);

struct net;

/* A new request engine; ca_file may be NULL (system CAs). Caller frees with net_free. */
struct net *net_new(const char *ca_file);
/* Cancel everything (callbacks see NET_CANCELLED) and free; sets *np to NULL. */
void net_free(struct net **np);
/* Start a request. headers: NULL-terminated "Name: value" strings (copied). body may be
 * NULL. The callback runs later from net_poll (never from inside net_start). Returns an id
 * for net_cancel (never 0). */
uint64_t net_start(struct net *n, const char *method, const char *url, const char *const headers[],
				   const char *body, long timeout_ms, net_cb cb, void *ud);
/* Cancel one request: its callback runs at once with NET_CANCELLED. Unknown ids are ignored. */
void net_cancel(struct net *n, uint64_t id);
/* Wait up to timeout_ms for network activity or one of the extra fds, then run the
 * callbacks of finished requests. extra[i].revents tells which fds are ready. */
int net_poll(struct net *n, struct curl_waitfd *extra, unsigned int nextra, int timeout_ms);
/* Number of requests in flight. */
size_t net_pending(const struct net *n);

#endif
