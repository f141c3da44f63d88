/* The Ons Cliënt screens' shared words (see caren_common.h). */
#include "caren_common.h"

#include "widgets/wgt.h"

const char *caren_cell(enum caren_status st, int days_left, char *out, size_t size,
					   enum theme_slot *slot)
{
	static const enum theme_slot slots[CAREN_STATUS_COUNT] = {
		[CAREN_ACTIVE] = THEME_STATUS_OK,
		[CAREN_NOT_LINKED] = THEME_STATUS_BAD,
		[CAREN_INVITED] = THEME_STATUS_WARN,
		[CAREN_UNKNOWN] = THEME_MUTED,
	};
	if (slot)
		*slot = slots[st];
	return caren_status_cell(st, days_left, !wgt_unicode(), out, size);
}
