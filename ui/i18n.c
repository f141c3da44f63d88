/* Dutch and English texts of the interface. */
#include "i18n.h"

#include <string.h>

static const char *const texts[T_COUNT][2] = {
#define X(id, nl, en) [id] = {nl, en},
	I18N_TEXTS(X)
#undef X
};

static int lang;

void i18n_set(const char *l)
{
	lang = l && strcmp(l, "en") == 0 ? 1 : 0;
}

bool i18n_english(void)
{
	return lang == 1;
}

const char *tr(enum i18n_id id)
{
	return id < T_COUNT ? texts[id][lang] : "";
}
