/* One-line text input. */
#include "widgets/field.h"

#include "common/text.h"

#include <curses.h>
#include <stdint.h>
#include <string.h>

bool field_key(struct field *f, struct key k)
{
	if (k.is_keycode) {
		if (k.code == KEY_BACKSPACE || k.code == KEY_DC) {
			if (!f->len)
				return false;
			/* Remove one whole UTF-8 sequence. */
			do
				f->len--;
			while (f->len > 0 && ((unsigned char)f->text[f->len] & 0xc0) == 0x80);
			f->text[f->len] = '\0';
			return true;
		}
		return false;
	}
	wint_t c = k.code;
	if (c == 127 || c == 8) {
		struct key bs = {KEY_BACKSPACE, true};
		return field_key(f, bs);
	}
	if (c == 0x15) { /* Ctrl-U: clear */
		field_clear(f);
		return true;
	}
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return false;
	char enc[4];
	size_t n = text_utf8_encode((uint32_t)c, enc);
	if (f->len + n >= sizeof f->text)
		return false;
	memcpy(f->text + f->len, enc, n);
	f->len += n;
	f->text[f->len] = '\0';
	return true;
}

void field_clear(struct field *f)
{
	memset(f->text, 0, sizeof f->text);
	f->len = 0;
}

void field_set(struct field *f, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (len >= sizeof f->text) {
		len = sizeof f->text - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memset(f->text, 0, sizeof f->text);
	if (len)
		memcpy(f->text, s, len);
	f->len = len;
}
