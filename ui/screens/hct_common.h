/* Words shared by the home-care technology screens (not a screen). */
#ifndef ZT_UI_SCREENS_HCT_COMMON_H
#define ZT_UI_SCREENS_HCT_COMMON_H

#include "client/model.h"
#include "theme.h"

/* Which form the HCT form screen shows (its nav_arg kind). */
enum hct_form_kind { HCT_FORM_ORDER, HCT_FORM_REG, HCT_FORM_START_USE, HCT_FORM_END };

/* Dutch (or English) word and symbol for an order status; *slot gets its colour. Returns a
 * static buffer. */
const char *hct_order_status(enum m_order_status st, enum theme_slot *slot);

#endif
