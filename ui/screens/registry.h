/* The registry of screens: one line per screen (id, descriptor). Adding a screen is its own
 * file plus one line here. */
#ifndef ZT_UI_SCREENS_REGISTRY_H
#define ZT_UI_SCREENS_REGISTRY_H

#define UI_SCREENS(X)                                                                       \
	X(SID_LOGIN, screen_login)                                                              \
	X(SID_CLIENTS, screen_clients)                                                          \
	X(SID_CLIENT, screen_client)                                                            \
	X(SID_HCT, screen_hct)                                                                  \
	X(SID_CARD, screen_card)                                                                \
	X(SID_HCT_FORM, screen_hct_form)                                                        \
	X(SID_HCT_SETTINGS, screen_hct_settings)                                                \
	X(SID_CAREN_DASH, screen_caren_dash)                                                    \
	X(SID_CAREN_LOC, screen_caren_loc)                                                      \
	X(SID_CAREN_CLIENT, screen_caren_client)                                                \
	X(SID_PAGE, screen_page) \
	X(SID_MESSAGES, screen_messages)                                                        \
	X(SID_MSG_FORM, screen_msg_form)

enum screen_id {
#define UI_SCREEN_ENUM(id, desc) id,
	UI_SCREENS(UI_SCREEN_ENUM)
#undef UI_SCREEN_ENUM
	SID__COUNT
};

#endif
