/* A one-line text input (UTF-8), edited at its end; Ctrl-U clears it. */
#ifndef ZT_UI_WIDGETS_FIELD_H
#define ZT_UI_WIDGETS_FIELD_H

#include "keys.h"

#include <stdbool.h>
#include <stddef.h>

struct field {
	char text[256];
	size_t len;
	bool masked;
};

/* Edit f with key k: true when the key changed the field. */
bool field_key(struct field *f, struct key k);
/* Clear a field (wiping a password). */
void field_clear(struct field *f);
/* Set the field's text (cut at a character boundary when too long). */
void field_set(struct field *f, const char *s);

#endif
