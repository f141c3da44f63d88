/* Unit tests for the PROXY protocol parser (src/server/proxy.c): versions 1 and 2, partial
 * headers, the balancer's own connections, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/server/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static const char *addr_of(const struct sockaddr_storage *ss, char *out, size_t n)
{
	if (ss->ss_family == AF_INET)
		return inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, out, (socklen_t)n);
	return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, out, (socklen_t)n);
}

/* Version 1 with TCP4 and TCP6: the header's length, the source address and port. */
static void test_v1(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	char buf[64];
	const char *h = "PROXY TCP4 192.0.2.7 10.0.0.1 51234 443\r\n\x16\x03\x01";
	assert_int_equal(proxy_parse((const unsigned char *)h, strlen(h), &ss, &len), 41);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_string_equal(addr_of(&ss, buf, sizeof buf), "192.0.2.7");
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 51234);
	h = "PROXY TCP6 2001:db8::5 2001:db8::1 4000 443\r\n";
	assert_int_equal(proxy_parse((const unsigned char *)h, strlen(h), &ss, &len), (int)strlen(h));
	assert_string_equal(addr_of(&ss, buf, sizeof buf), "2001:db8::5");
	h = "PROXY UNKNOWN\r\n";
	assert_int_equal(proxy_parse((const unsigned char *)h, strlen(h), &ss, &len), (int)strlen(h));
	assert_int_equal(len, 0);
}

/* Version 2 PROXY over IPv4 and the LOCAL command (health checks). */
static void test_v2(void **state)
{
	(void)state;
	unsigned char b[64] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
						   0x21, 0x11, 0x00, 0x0C, 198, 51, 100, 9, 127, 0, 0, 1, 0x1F, 0x90,
						   0x01, 0xBB, 0x16};
	struct sockaddr_storage ss;
	socklen_t len = 0;
	char buf[64];
	assert_int_equal(proxy_parse(b, 29, &ss, &len), 28);
	assert_string_equal(addr_of(&ss, buf, sizeof buf), "198.51.100.9");
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8080);
	/* Partial: more bytes needed. */
	assert_int_equal(proxy_parse(b, 10, &ss, &len), 0);
	assert_int_equal(proxy_parse(b, 20, &ss, &len), 0);
	b[12] = 0x20; /* LOCAL */
	assert_int_equal(proxy_parse(b, 28, &ss, &len), 28);
	assert_int_equal(len, 0);
}

/* Not a header, malformed lines, a wrong version, an oversized body: refused. */
static void test_refused(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	const char *bad[] = {"\x16\x03\x01\x02\x00", "GET / HTTP/1.1\r\n", "PROXY TCP4 x y 1 2\r\n",
						 "PROXY TCP4 1.2.3.4 5.6.7.8 99999 1\r\n", "PROXY TCP4 1.2.3.4\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(proxy_parse((const unsigned char *)bad[i], strlen(bad[i]), &ss, &len), -1);
	char longline[200];
	memset(longline, 'a', sizeof longline);
	memcpy(longline, "PROXY ", 6);
	assert_int_equal(proxy_parse((const unsigned char *)longline, sizeof longline, &ss, &len), -1);
	unsigned char v2[16] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
							0x11, 0x11, 0x00, 0x0C};
	assert_int_equal(proxy_parse(v2, 16, &ss, &len), -1); /* version 1 in a v2 header */
	v2[12] = 0x21;
	v2[14] = 0xFF; /* body far over the limit */
	assert_int_equal(proxy_parse(v2, 16, &ss, &len), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
