/* Unit tests of Caren activation codes: alphabet, written form, normalising what the portal
 * sends, keyed hash, sealing for the letter, and the master key file. */
#include "caren_code.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

static struct caren_keys keys;

/* The alphabet has no look-alikes and the stated size. */
static void test_alphabet(void **state)
{
	(void)state;
	const char *a = CAREN_CODE_ALPHABET;
	assert_int_equal(strlen(a), CAREN_CODE_SYMBOLS);
	for (const char *bad = "01OILBSZQUV"; *bad; bad++)
		assert_null(strchr(a, *bad));
	for (size_t i = 0; a[i]; i++) {
		assert_null(strchr(a + i + 1, a[i]));
		assert_true((a[i] >= '2' && a[i] <= '9') || (a[i] >= 'A' && a[i] <= 'Z'));
	}
}

/* Generated codes are "XXXX-XXXX-XXXX" in the alphabet, differ, and use every symbol. */
static void test_generate(void **state)
{
	(void)state;
	int seen[256] = {0};
	char prev[CAREN_CODE_TEXT] = "";
	for (int n = 0; n < 2000; n++) {
		char code[CAREN_CODE_TEXT];
		caren_code_generate(code);
		assert_int_equal(strlen(code), 14);
		for (int i = 0; i < 14; i++) {
			if (i == 4 || i == 9) {
				assert_int_equal(code[i], '-');
				continue;
			}
			assert_non_null(strchr(CAREN_CODE_ALPHABET, code[i]));
			seen[(unsigned char)code[i]]++;
		}
		assert_string_not_equal(code, prev);
		memcpy(prev, code, sizeof code);
	}
	/* 24000 symbols over 25: each about 960 times; all must turn up, none dominate. */
	for (const char *a = CAREN_CODE_ALPHABET; *a; a++) {
		assert_true(seen[(unsigned char)*a] > 700);
		assert_true(seen[(unsigned char)*a] < 1250);
	}
}

/* What people and portals type is read back to the bare code; nonsense is refused. */
static void test_normalise(void **state)
{
	(void)state;
	char out[CAREN_CODE_LEN + 1];
	const char *same[] = {
		"K7HM-4DXT-9RCW", "k7hm4dxt9rcw", " K7HM 4DXT 9RCW ", "k7hm-4dxt-9rcw\t",
		"K7HM.4DXT.9RCW", "K7HM\xe2\x80\x93" "4DXT\xe2\x80\x94" "9RCW", /* en and em dash */
		"K7HM\xc2\xa0" "4DXT\xe2\x88\x92" "9RCW",                      /* no-break space, minus */
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		assert_true(caren_code_normalise(same[i], out));
		assert_string_equal(out, "K7HM4DXT9RCW");
	}
	/* the left-out look-alikes of digits are read as those digits */
	assert_true(caren_code_normalise("K7HM-4DXT-sbzW", out));
	assert_string_equal(out, "K7HM4DXT582W");
	const char *bad[] = {
		"", "K7HM-4DXT-9RC", "K7HM-4DXT-9RCWW", "K7HM-4DXT-9RC0", "K7HM-4DXT-9RCO",
		"K7HM-4DXT-9RC1", "K7HM-4DXT-9RCI", "K7HM-4DXT-9RCL", "K7HM-4DXT-9RCQ", "K7HM-4DXT-9RCU",
		"K7HM_4DXT_9RCW", "K7HM-4DXT-9RC\xc3\xa9", "K7HM-4DXT-9RC\n", "K7HM-4DXT-9R\xff",
		("----------------------------------------------------------------------------------"
		 "-------------------------------------------------K7HM4DXT9RCW"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (caren_code_normalise(bad[i], out))
			fail_msg("accepted bad code %zu: \"%s\"", i, bad[i]);
	assert_false(caren_code_normalise(NULL, out));
	char text[CAREN_CODE_TEXT];
	assert_true(caren_code_format(" k7hm4dxt 9rcw", text));
	assert_string_equal(text, "K7HM-4DXT-9RCW");
	assert_false(caren_code_format("K7HM", text));
}

/* The hash is keyed, the same for every way of typing a code, and differs per code. */
static void test_hash(void **state)
{
	(void)state;
	char h1[CAREN_CODE_HASH], h2[CAREN_CODE_HASH], h3[CAREN_CODE_HASH];
	assert_true(caren_code_hash(&keys, "K7HM-4DXT-9RCW", h1));
	assert_true(caren_code_hash(&keys, "k7hm 4dxt 9rcw", h2));
	assert_int_equal(strlen(h1), 64);
	assert_string_equal(h1, h2);
	assert_true(caren_code_hash(&keys, "K7HM-4DXT-9RCX", h3));
	assert_string_not_equal(h1, h3);
	/* another key gives another hash; so does the unkeyed BLAKE2b of the code */
	struct caren_keys other;
	unsigned char master[CAREN_KEY_BYTES] = {1};
	caren_keys_derive(master, &other);
	assert_true(caren_code_hash(&other, "K7HM-4DXT-9RCW", h3));
	assert_string_not_equal(h1, h3);
	unsigned char plain[32];
	crypto_generichash(plain, sizeof plain, (const unsigned char *)"K7HM4DXT9RCW", 12, NULL, 0);
	sodium_bin2hex(h3, sizeof h3, plain, sizeof plain);
	assert_string_not_equal(h1, h3);
	assert_false(caren_code_hash(&keys, "not a code", h3));
}

/* Sealed codes open to the written form with the right key and hash, and only then. */
static void test_seal(void **state)
{
	(void)state;
	char code[CAREN_CODE_TEXT], hash[CAREN_CODE_HASH], back[CAREN_CODE_TEXT];
	caren_code_generate(code);
	assert_true(caren_code_hash(&keys, code, hash));
	char *sealed = caren_code_seal(&keys, code);
	char *again = caren_code_seal(&keys, code);
	assert_non_null(sealed);
	assert_null(strstr(sealed, code));
	assert_string_not_equal(sealed, again); /* fresh nonce each time */
	assert_true(caren_code_unseal(&keys, sealed, hash, back));
	assert_string_equal(back, code);
	/* another invitation's hash, another key, damage: refused */
	char other_hash[CAREN_CODE_HASH];
	assert_true(caren_code_hash(&keys, "K7HM-4DXT-9RCW", other_hash));
	assert_false(caren_code_unseal(&keys, sealed, other_hash, back));
	assert_false(caren_code_unseal(&keys, sealed, "abc", back));
	struct caren_keys other;
	unsigned char master[CAREN_KEY_BYTES] = {2};
	caren_keys_derive(master, &other);
	assert_false(caren_code_unseal(&other, sealed, hash, back));
	sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
	assert_false(caren_code_unseal(&keys, sealed, hash, back));
	assert_false(caren_code_unseal(&keys, "bm90IGEgc2VhbA==", hash, back));
	assert_false(caren_code_unseal(&keys, NULL, hash, back));
	assert_null(caren_code_seal(&keys, "nonsense"));
	free(sealed);
	free(again);
}

/* The master key file is created once (0600, 64 hex digits) and read back the same. */
static void test_key_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/caren-key-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/caren.key", dir);
	unsigned char k1[CAREN_KEY_BYTES], k2[CAREN_KEY_BYTES];
	char *err = NULL;
	assert_true(caren_key_load(path, k1, &err));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 65);
	assert_true(caren_key_load(path, k2, &err));
	assert_memory_equal(k1, k2, sizeof k1);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("too short\n", f);
	fclose(f);
	assert_false(caren_key_load(path, k2, &err));
	assert_non_null(strstr(err, "Caren key"));
	free(err);
	err = NULL;
	unlink(path);
	snprintf(path, sizeof path, "%s/missing/caren.key", dir);
	assert_false(caren_key_load(path, k2, &err));
	assert_non_null(err);
	free(err);
	rmdir(dir);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	unsigned char master[CAREN_KEY_BYTES];
	randombytes_buf(master, sizeof master);
	caren_keys_derive(master, &keys);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alphabet),   cmocka_unit_test(test_generate),
		cmocka_unit_test(test_normalise),  cmocka_unit_test(test_hash),
		cmocka_unit_test(test_seal),       cmocka_unit_test(test_key_file),
	};
	return cmocka_run_group_tests_name("Caren activation codes", tests, setup, NULL);
}
