/* Caren activation codes: generated from libsodium's random bytes in a legible alphabet,
 * normalised from what the portal sends, stored only as a keyed hash (to find and
 * redeem) and sealed with a server key (so the letter can be produced again). The code
 * itself is never logged, never in the feed or a list. See docs/DESIGN.md "Caren link". */
#ifndef ZT_SERVER_CAREN_CODE_H
#define ZT_SERVER_CAREN_CODE_H

#include <stdbool.h>
#include <stddef.h>

/* 25 symbols: 2-9 and A-Z without I L O (like 1 0), B S Z (like 8 5 2), Q (like O) and
 * U V (like each other). 12 symbols carry log2(25^12) = 55.7 bits. */
#define CAREN_CODE_ALPHABET "23456789ACDEFGHJKMNPRTWXY"
#define CAREN_CODE_SYMBOLS 25
#define CAREN_CODE_LEN 12  /* symbols in a code */
#define CAREN_CODE_GROUP 4 /* symbols per group in the written form "K7HM-4DXT-9RCW" */
#define CAREN_CODE_TEXT 16 /* room for the written form and its NUL */
#define CAREN_CODE_HASH 65 /* room for the hex hash and its NUL */
#define CAREN_KEY_BYTES 32

/* The two keys derived from zorgd's Caren master key. */
struct caren_keys {
	unsigned char hash[CAREN_KEY_BYTES]; /* keys the BLAKE2b hash of a code */
	unsigned char box[CAREN_KEY_BYTES];  /* seals the code for the letter */
};

/* Derive keys from the 32-byte master key (libsodium KDF, context "zdcaren1"). */
void caren_keys_derive(const unsigned char master[CAREN_KEY_BYTES], struct caren_keys *keys);
/* Read the master key from path (64 hex digits), creating the file (mode 0600, fresh random
 * key) when it does not exist; false with *err (caller frees) when it cannot. */
bool caren_key_load(const char *path, unsigned char master[CAREN_KEY_BYTES], char **err);

/* A fresh random code in its written form ("K7HM-4DXT-9RCW") into out. Wipe it after use. */
void caren_code_generate(char out[CAREN_CODE_TEXT]);
/* What a person or the portal typed as the code's bare form ("K7HM4DXT9RCW") into out:
 * case folded, spaces, tabs, dots and dashes (also Unicode dashes and no-break spaces)
 * dropped, the left-out look-alikes B S Z read as 8 5 2; false unless exactly
 * CAREN_CODE_LEN symbols of the alphabet remain. */
bool caren_code_normalise(const char *in, char out[CAREN_CODE_LEN + 1]);
/* The written form of a code (any form normalise accepts) into out; false if invalid. */
bool caren_code_format(const char *in, char out[CAREN_CODE_TEXT]);
/* The keyed hash (hex BLAKE2b-256 of the bare form) of a code as typed, into out: the
 * value stored with the invitation and looked up on redemption; false if not a code. */
bool caren_code_hash(const struct caren_keys *keys, const char *code, char out[CAREN_CODE_HASH]);
/* The code sealed for storage (base64 of nonce and secretbox); caller frees. NULL if
 * code is not a code. */
char *caren_code_seal(const struct caren_keys *keys, const char *code);
/* Open a sealed code into out (written form), checking that it still hashes to the stored
 * hash (so a sealed code cannot be moved to another invitation); false when it cannot
 * be opened (other key, damaged, mismatched). */
bool caren_code_unseal(const struct caren_keys *keys, const char *sealed, const char *hash,
					   char out[CAREN_CODE_TEXT]);

#endif
