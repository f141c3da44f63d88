/* Caren activation codes: generation, normalisation, keyed hash, sealing, master key. */
#include "caren_code.h"

#include "common/alloc.h"
#include "common/text.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SEAL_RAW (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + CAREN_CODE_LEN)
#define SEAL_B64 sodium_base64_ENCODED_LEN(SEAL_RAW, sodium_base64_VARIANT_ORIGINAL)

void caren_keys_derive(const unsigned char master[CAREN_KEY_BYTES], struct caren_keys *keys)
{
	crypto_kdf_derive_from_key(keys->hash, sizeof keys->hash, 1, "zdcaren1", master);
	crypto_kdf_derive_from_key(keys->box, sizeof keys->box, 2, "zdcaren1", master);
}

/* Write a fresh master key to path, which must not exist yet. */
static bool key_create(const char *path, unsigned char master[CAREN_KEY_BYTES], char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = xasprintf("cannot create %s: %s", path, strerror(errno));
		return false;
	}
	char hex[2 * CAREN_KEY_BYTES + 2];
	randombytes_buf(master, CAREN_KEY_BYTES);
	sodium_bin2hex(hex, sizeof hex - 1, master, CAREN_KEY_BYTES);
	strcat(hex, "\n");
	size_t len = strlen(hex);
	bool ok = write(fd, hex, len) == (ssize_t)len;
	ok = (close(fd) == 0) && ok;
	sodium_memzero(hex, sizeof hex);
	if (!ok) {
		*err = xasprintf("cannot write %s", path);
		unlink(path);
	}
	return ok;
}

bool caren_key_load(const char *path, unsigned char master[CAREN_KEY_BYTES], char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return key_create(path, master, err);
	if (fd < 0) {
		*err = xasprintf("cannot open %s: %s", path, strerror(errno));
		return false;
	}
	char hex[2 * CAREN_KEY_BYTES + 8];
	ssize_t n = read(fd, hex, sizeof hex - 1);
	close(fd);
	size_t bin_len = 0;
	bool ok = n >= 2 * CAREN_KEY_BYTES;
	if (ok) {
		hex[n] = '\0';
		ok = sodium_hex2bin(master, CAREN_KEY_BYTES, hex, (size_t)n, " \r\n", &bin_len, NULL) == 0 &&
			 bin_len == CAREN_KEY_BYTES;
	}
	sodium_memzero(hex, sizeof hex);
	if (!ok)
		*err = xasprintf("%s does not hold a Caren key (64 hex digits)", path);
	return ok;
}

void caren_code_generate(char out[CAREN_CODE_TEXT])
{
	static const char alphabet[] = CAREN_CODE_ALPHABET;
	_Static_assert(sizeof alphabet - 1 == CAREN_CODE_SYMBOLS, "alphabet size");
	size_t o = 0;
	for (int i = 0; i < CAREN_CODE_LEN; i++) {
		if (i > 0 && i % CAREN_CODE_GROUP == 0)
			out[o++] = '-';
		out[o++] = alphabet[randombytes_uniform(CAREN_CODE_SYMBOLS)];
	}
	out[o] = '\0';
}

/* True for the separators normalise drops: ASCII space, tab, dot, hyphen, no-break spaces,
 * Unicode hyphens and dashes, the minus sign. */
static bool is_separator(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '.' || cp == '-' || cp == 0xa0 || cp == 0x202f ||
		   (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* The alphabet symbol cp stands for (folded, look-alikes read), or 0 if none. */
static char code_symbol(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		cp -= 'a' - 'A';
	if (cp == 'B')
		cp = '8';
	else if (cp == 'S')
		cp = '5';
	else if (cp == 'Z')
		cp = '2';
	if (cp == 0 || cp > 0x7f || !strchr(CAREN_CODE_ALPHABET, (int)cp))
		return 0;
	return (char)cp;
}

bool caren_code_normalise(const char *in, char out[CAREN_CODE_LEN + 1])
{
	size_t len = in ? strlen(in) : 0, o = 0;
	if (len == 0 || len > 128)
		return false;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += text_utf8_decode(in + i, len - i, &cp);
		if (is_separator(cp))
			continue;
		char c = code_symbol(cp);
		if (!c || o == CAREN_CODE_LEN)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return o == CAREN_CODE_LEN;
}

bool caren_code_format(const char *in, char out[CAREN_CODE_TEXT])
{
	char bare[CAREN_CODE_LEN + 1];
	if (!caren_code_normalise(in, bare))
		return false;
	size_t o = 0;
	for (int i = 0; i < CAREN_CODE_LEN; i++) {
		if (i > 0 && i % CAREN_CODE_GROUP == 0)
			out[o++] = '-';
		out[o++] = bare[i];
	}
	out[o] = '\0';
	sodium_memzero(bare, sizeof bare);
	return true;
}

bool caren_code_hash(const struct caren_keys *keys, const char *code, char out[CAREN_CODE_HASH])
{
	char bare[CAREN_CODE_LEN + 1];
	if (!caren_code_normalise(code, bare))
		return false;
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)bare, CAREN_CODE_LEN, keys->hash,
					   sizeof keys->hash);
	sodium_bin2hex(out, CAREN_CODE_HASH, h, sizeof h);
	sodium_memzero(bare, sizeof bare);
	return true;
}

char *caren_code_seal(const struct caren_keys *keys, const char *code)
{
	char bare[CAREN_CODE_LEN + 1];
	if (!caren_code_normalise(code, bare))
		return NULL;
	unsigned char raw[SEAL_RAW];
	randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)bare,
						  CAREN_CODE_LEN, raw, keys->box);
	sodium_memzero(bare, sizeof bare);
	char *out = xmalloc(SEAL_B64);
	sodium_bin2base64(out, SEAL_B64, raw, sizeof raw, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

bool caren_code_unseal(const struct caren_keys *keys, const char *sealed, const char *hash,
					   char out[CAREN_CODE_TEXT])
{
	unsigned char raw[SEAL_RAW];
	size_t raw_len = 0;
	if (!sealed || !hash ||
		sodium_base642bin(raw, sizeof raw, sealed, strlen(sealed), NULL, &raw_len, NULL,
						  sodium_base64_VARIANT_ORIGINAL) != 0 ||
		raw_len != sizeof raw)
		return false;
	char bare[CAREN_CODE_LEN + 1];
	if (crypto_secretbox_open_easy((unsigned char *)bare, raw + crypto_secretbox_NONCEBYTES,
								   sizeof raw - crypto_secretbox_NONCEBYTES, raw, keys->box) != 0)
		return false;
	bare[CAREN_CODE_LEN] = '\0';
	char check[CAREN_CODE_HASH];
	bool ok = strlen(hash) == CAREN_CODE_HASH - 1 && caren_code_hash(keys, bare, check) &&
			  sodium_memcmp(check, hash, CAREN_CODE_HASH - 1) == 0 && caren_code_format(bare, out);
	sodium_memzero(bare, sizeof bare);
	return ok;
}
