/* Unit tests for the pure parts of zorgd's authentication model (src/server/auth.c):
 * supplier identity from certificate CNs, task lookup, password and token hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/server/auth.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* libsodium must be initialised before hashing. */
static int group_setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* A well-formed CN yields a supplier principal with its connector and the full CN. */
static void test_cn_valid(void **state)
{
	(void)state;
	struct principal p;
	memset(&p, 0xab, sizeof p);
	p.username = NULL;
	assert_true(auth_supplier_from_cn("dosell-delinde-0001", &p));
	assert_int_equal(p.kind, PRINCIPAL_SUPPLIER);
	assert_string_equal(p.connector, "dosell");
	assert_string_equal(p.cert_cn, "dosell-delinde-0001");
	/* Everything else is reset, so auth_principal_clear is safe. */
	assert_null(p.username);
	assert_null(p.name);
	assert_null(p.tasks);
	assert_int_equal(p.ntasks, 0);
	assert_int_equal(p.staff_id, 0);
	auth_principal_clear(&p);
}

/* Connectors may hold lower-case letters, digits and underscores; later parts may hold dashes. */
static void test_cn_valid_variants(void **state)
{
	(void)state;
	struct principal p;
	assert_true(auth_supplier_from_cn("nedap_luna-x-1", &p));
	assert_string_equal(p.connector, "nedap_luna");
	assert_true(auth_supplier_from_cn("caren2-zorg-noord-17", &p));
	assert_string_equal(p.connector, "caren2");
	assert_string_equal(p.cert_cn, "caren2-zorg-noord-17");
}

/* Malformed CNs are refused and leave the principal as it was. */
static void test_cn_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"Dosell-delinde-0001", /* upper case connector */
		"DOSELL-delinde-0001",
		"dos.ell-delinde-0001", /* punctuation in the connector */
		"dos ell-delinde-0001",
		"dosell",                /* no dashes */
		"dosell-delinde",        /* one dash */
		"-delinde-0001",         /* empty connector */
		"dosell--0001",          /* empty customer */
		"dosell-delinde-",       /* empty id */
		"--",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct principal p;
		memset(&p, 0, sizeof p);
		p.kind = PRINCIPAL_NONE;
		if (auth_supplier_from_cn(bad[i], &p))
			fail_msg("accepted CN '%s'", bad[i]);
		assert_int_equal(p.kind, PRINCIPAL_NONE);
		assert_string_equal(p.connector, "");
	}
}

/* A connector that does not fit the principal's buffer is refused, not truncated. */
static void test_cn_connector_too_long(void **state)
{
	(void)state;
	struct principal p;
	char cn[128];
	memset(cn, 'a', 63);
	strcpy(cn + 63, "-c-1");
	assert_true(auth_supplier_from_cn(cn, &p));
	assert_int_equal(strlen(p.connector), 63);
	memset(cn, 'a', 64);
	strcpy(cn + 64, "-c-1");
	assert_false(auth_supplier_from_cn(cn, &p));
}

/* auth_has_task finds every element of a sorted array and nothing else. */
static void test_has_task(void **state)
{
	(void)state;
	char *tasks[] = {"audit.view", "client.bsn.view", "client.view", "location.manage",
					 "staff.manage", "staff.view"};
	struct principal p;
	memset(&p, 0, sizeof p);
	p.tasks = tasks;
	p.ntasks = sizeof tasks / sizeof tasks[0];
	for (size_t i = 0; i < p.ntasks; i++)
		assert_true(auth_has_task(&p, tasks[i]));
	assert_false(auth_has_task(&p, "aaa"));           /* before the first */
	assert_false(auth_has_task(&p, "client.bsn"));    /* prefix of an element */
	assert_false(auth_has_task(&p, "client.viewx"));  /* between elements */
	assert_false(auth_has_task(&p, "report.view"));   /* between elements */
	assert_false(auth_has_task(&p, "zzz"));           /* after the last */
	assert_false(auth_has_task(&p, "Client.view"));   /* case-sensitive */
	assert_false(auth_has_task(&p, ""));
	/* Odd and even lengths, down to one element and none. */
	for (size_t n = 0; n <= 6; n++) {
		p.ntasks = n;
		for (size_t i = 0; i < 6; i++)
			assert_int_equal(auth_has_task(&p, tasks[i]), i < n);
	}
	p.tasks = NULL;
	p.ntasks = 0;
	assert_false(auth_has_task(&p, "client.view"));
}

/* A password verifies against its own Argon2id hash and no other password does. */
static void test_password_hash(void **state)
{
	(void)state;
	char *h = auth_hash_password("correct horse battery staple");
	assert_non_null(h);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(auth_verify_password(h, "correct horse battery staple"));
	assert_false(auth_verify_password(h, "correct horse battery stapl"));
	assert_false(auth_verify_password(h, "Correct horse battery staple"));
	assert_false(auth_verify_password(h, ""));
	/* Salted: the same password hashes differently twice, and both verify. */
	char *h2 = auth_hash_password("correct horse battery staple");
	assert_non_null(h2);
	assert_string_not_equal(h, h2);
	assert_true(auth_verify_password(h2, "correct horse battery staple"));
	free(h);
	free(h2);
}

/* Missing or malformed stored hashes never verify. */
static void test_password_bad_hash(void **state)
{
	(void)state;
	assert_false(auth_verify_password(NULL, "x"));
	assert_false(auth_verify_password("", "x"));
	assert_false(auth_verify_password("x", "x"));
	assert_false(auth_verify_password("$argon2id$v=19$m=65536,t=2,p=1$garbage", "x"));
}

/* The token hash is 64 lower-case hex digits of BLAKE2b-256, deterministic per token. */
static void test_token_hash(void **state)
{
	(void)state;
	char a[65], b[65], c[65];
	auth_token_hash("0123456789abcdef0123456789abcdef", a);
	auth_token_hash("0123456789abcdef0123456789abcdef", b);
	auth_token_hash("0123456789abcdef0123456789abcdeF", c);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	/* Known answers (Python: hashlib.blake2b(x, digest_size=32).hexdigest()). */
	assert_string_equal(a, "2788636be25cace0bd9e45bdde650b4fc0e979575d7f3d58c6248b18ab237609");
	auth_token_hash("", a);
	assert_string_equal(a, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	auth_token_hash("abc", a);
	assert_string_equal(a, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cn_valid),
		cmocka_unit_test(test_cn_valid_variants),
		cmocka_unit_test(test_cn_invalid),
		cmocka_unit_test(test_cn_connector_too_long),
		cmocka_unit_test(test_has_task),
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_password_bad_hash),
		cmocka_unit_test(test_token_hash),
	};
	return cmocka_run_group_tests_name("authz_model", tests, group_setup, NULL);
}
