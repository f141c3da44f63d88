/* Fuzz target: zorgterm's reader of GET /api/v1/visible (visible_parse) takes any bytes a
 * server could send without reading past them, and what it accepts is consistent: a failed
 * read leaves no list, an accepted one has a "clients" list, at most VISIBLE_MAX_LISTS lists,
 * and no list holds more ids than the text has digits. */
#include "client/visible.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy without a terminator: ASan sees any read past the end. */
	char *in = malloc(size ? size : 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	size_t digits = 0;
	for (size_t i = 0; i < size; i++)
		digits += isdigit((unsigned char)in[i]) != 0;
	struct visible v;
	int rc = visible_parse(in, size, &v);
	size_t n;
	if (rc != 0) {
		if (v.nlists != 0 || rc != -1)
			abort();
	} else {
		if (!visible_ids(&v, "clients", &n) || v.nlists > VISIBLE_MAX_LISTS)
			abort();
		for (size_t i = 0; i < v.nlists; i++)
			if (v.lists[i].n > digits || strlen(v.lists[i].key) >= sizeof v.lists[i].key)
				abort();
	}
	visible_free(&v);
	free(in);
	return 0;
}
