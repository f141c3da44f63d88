/* Fuzz target: whatever bytes arrive from the network, text_sanitize's output is valid
 * UTF-8 without a single control character (C0, DEL, C1) or bidi override, sanitising it
 * again changes nothing, and text_fit never splits a code point. */
#include "common/text.h"
#include "common/valid.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	char *in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	char *out = text_sanitize(in);
	size_t n = strlen(out);
	if (!valid_utf8(out, n))
		abort();
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = text_utf8_decode(out + i, n - i, &cp);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
			(cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += len;
	}
	char *again = text_sanitize(out);
	if (strcmp(again, out) != 0)
		abort();
	for (int cols = 0; cols < 12; cols++) {
		int w = 0;
		size_t cut = text_fit(out, cols, &w);
		if (w > cols || cut > n || !valid_utf8(out, cut))
			abort();
	}
	free(again);
	free(out);
	free(in);
	return 0;
}
