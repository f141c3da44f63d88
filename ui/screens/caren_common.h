/* What the Ons Cliënt screens share (not a screen): a link status as the seed's words with
 * a symbol, in its colour (never colour alone). */
#ifndef ZT_UI_SCREENS_CAREN_COMMON_H
#define ZT_UI_SCREENS_CAREN_COMMON_H

#include "common/caren.h"
#include "theme.h"

#include <stddef.h>

/* Which list the Ons Cliënt list screen shows (its nav_arg kind). */
enum caren_list_kind { CAREN_LIST_DASHBOARD, CAREN_LIST_LOCATION };

/* "✓ Actieve koppeling" (ASCII symbols without Unicode) into out; *slot its colour. */
const char *caren_cell(enum caren_status st, int days_left, char *out, size_t size,
					   enum theme_slot *slot);

#endif
