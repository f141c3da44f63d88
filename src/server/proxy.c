/* The PROXY protocol, versions 1 (text) and 2 (binary), as HAProxy sends it with
 * send-proxy / send-proxy-v2. Only the header is read; TLS follows untouched. */
#include "proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const unsigned char v2_sig[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
										 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

/* Version 2: signature, version/command, family, length, addresses. */
static int parse_v2(const unsigned char *b, size_t n, struct sockaddr_storage *src,
					socklen_t *len)
{
	if (n < 16)
		return 0;
	size_t body = (size_t)b[14] << 8 | b[15];
	if ((b[12] & 0xF0) != 0x20 || 16 + body > PROXY_MAX)
		return -1;
	if (n < 16 + body)
		return 0;
	int cmd = b[12] & 0x0F, fam = b[13];
	*len = 0;
	if (cmd == 0) /* LOCAL: the balancer's own connection */
		return (int)(16 + body);
	if (cmd != 1)
		return -1;
	memset(src, 0, sizeof *src);
	if (fam == 0x11 && body >= 12) {
		struct sockaddr_in *in = (struct sockaddr_in *)src;
		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, b + 16, 4);
		memcpy(&in->sin_port, b + 24, 2);
		*len = sizeof *in;
	} else if (fam == 0x21 && body >= 36) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)src;
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, b + 16, 16);
		memcpy(&in6->sin6_port, b + 48, 2);
		*len = sizeof *in6;
	}
	return (int)(16 + body);
}

/* Version 1: "PROXY TCP4|TCP6|UNKNOWN src dst sport dport\r\n". */
static int parse_v1(const unsigned char *b, size_t n, struct sockaddr_storage *src,
					socklen_t *len)
{
	const unsigned char *nl = memchr(b, '\n', n < 108 ? n : 108);
	if (!nl)
		return n >= 108 ? -1 : 0;
	size_t hl = (size_t)(nl - b) + 1;
	if (hl < 8 || b[hl - 2] != '\r')
		return -1;
	char line[108];
	memcpy(line, b, hl - 2);
	line[hl - 2] = '\0';
	char proto[8], sa[46], da[46];
	unsigned sp, dp;
	*len = 0;
	if (strncmp(line, "PROXY UNKNOWN", 13) == 0)
		return (int)hl;
	if (sscanf(line, "PROXY %7s %45s %45s %u %u", proto, sa, da, &sp, &dp) != 5 || sp > 65535)
		return -1;
	memset(src, 0, sizeof *src);
	struct sockaddr_in *in = (struct sockaddr_in *)src;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)src;
	if (strcmp(proto, "TCP4") == 0 && inet_pton(AF_INET, sa, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)sp);
		*len = sizeof *in;
	} else if (strcmp(proto, "TCP6") == 0 && inet_pton(AF_INET6, sa, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)sp);
		*len = sizeof *in6;
	} else {
		return -1;
	}
	return (int)hl;
}

int proxy_parse(const unsigned char *b, size_t n, struct sockaddr_storage *src, socklen_t *len)
{
	size_t k = n < 12 ? n : 12;
	if (memcmp(b, v2_sig, k) == 0)
		return n < 12 ? 0 : parse_v2(b, n, src, len);
	k = n < 6 ? n : 6;
	if (memcmp(b, "PROXY ", k) == 0)
		return n < 6 ? 0 : parse_v1(b, n, src, len);
	return -1;
}

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Peek at what has arrived, parse it, and consume exactly the header. */
bool proxy_read(int fd, int timeout_ms, struct sockaddr_storage *src, socklen_t *len)
{
	unsigned char b[PROXY_MAX];
	long long until = ms_now() + timeout_ms;
	for (;;) {
		long long left = until - ms_now();
		struct pollfd p = {fd, POLLIN, 0};
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return false;
		ssize_t n = recv(fd, b, sizeof b, MSG_PEEK);
		if (n <= 0)
			return false;
		int hl = proxy_parse(b, (size_t)n, src, len);
		if (hl < 0)
			return false;
		if (hl > 0)
			return recv(fd, b, (size_t)hl, 0) == hl;
		if ((size_t)n == sizeof b)
			return false;
		/* A partial header: wait for the rest (it comes in the first packet in practice). */
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
	}
}
