/* Words shared by the home-care technology screens. */
#include "screens/hct_common.h"

#include "i18n.h"

#include <stdio.h>

const char *hct_order_status(enum m_order_status st, enum theme_slot *slot)
{
	static char buf[64];
	switch (st) {
	case ORDER_OPEN:
		*slot = THEME_STATUS_WARN;
		snprintf(buf, sizeof buf, "~ %s", tr(T_ST_OPEN));
		break;
	case ORDER_DECLINED:
		*slot = THEME_STATUS_BAD;
		snprintf(buf, sizeof buf, "x %s", tr(T_ST_DECLINED));
		break;
	case ORDER_ACCEPTED:
		*slot = THEME_STATUS_OK;
		snprintf(buf, sizeof buf, "+ %s", tr(T_ST_ACCEPTED));
		break;
	case ORDER_COMPLETED:
		*slot = THEME_STATUS_OK;
		snprintf(buf, sizeof buf, "= %s", tr(T_ST_COMPLETED));
		break;
	default:
		*slot = THEME_MUTED;
		snprintf(buf, sizeof buf, "?");
	}
	return buf;
}
