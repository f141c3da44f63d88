/* The Unicode-or-ASCII decision shared by the widgets. */
#include "wgt.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int unicode_state = -1; /* -1: not decided yet */

bool wgt_pick_unicode(const char *codeset, const char *term)
{
	if (!codeset || (strcasecmp(codeset, "UTF-8") != 0 && strcasecmp(codeset, "utf8") != 0))
		return false;
	if (!term || !*term)
		return false;
	/* vt52/vt100/vt220/vt320...: DEC terminals show neither blocks nor box characters
	 * beyond their own line-drawing set, which ACS already uses. */
	if (strncmp(term, "vt", 2) == 0 && term[2] >= '0' && term[2] <= '9')
		return false;
	return strcmp(term, "dumb") != 0 && strcmp(term, "ansi") != 0;
}

bool wgt_unicode(void)
{
	if (unicode_state < 0)
		unicode_state = wgt_pick_unicode(nl_langinfo(CODESET), getenv("TERM"));
	return unicode_state == 1;
}

void wgt_set_unicode(bool on)
{
	unicode_state = on ? 1 : 0;
}
