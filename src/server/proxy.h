/* The PROXY protocol (HAProxy's, versions 1 and 2): the real client address of a
 * connection that reaches zorgd through a TCP balancer. Only connections from the one
 * trusted balancer address (--proxy-from) are read this way. */
#ifndef ZT_SERVER_PROXY_H
#define ZT_SERVER_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Longest header: version 1 is at most 107 bytes; version 2 is 16 plus a length we cap. */
#define PROXY_MAX 536

/* Parse a PROXY header at the start of b (n bytes). Returns the header's length with *src
 * and *len set to the client's address (*len 0: the balancer sent no address, e.g. its own
 * health check, "UNKNOWN" or LOCAL), 0 when more bytes are needed, -1 when b does not start
 * with a valid header. */
int proxy_parse(const unsigned char *b, size_t n, struct sockaddr_storage *src, socklen_t *len);

/* Read the PROXY header from the newly accepted socket fd (waiting at most timeout_ms in
 * all) and nothing after it; true with *src / *len as proxy_parse gives them. */
bool proxy_read(int fd, int timeout_ms, struct sockaddr_storage *src, socklen_t *len);

#endif
