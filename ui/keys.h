/* The action registry (one row per action: id, config name, Dutch and English help,
 * dangerous flag) and the key bindings per context; help and key hints come from here. */
#ifndef ZT_UI_KEYS_H
#define ZT_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* id, config name, Dutch help, English help, dangerous */
#define ACTIONS(X)                                                                        \
	X(ACT_NONE, "none", "", "", false)                                                    \
	X(ACT_HELP, "help", "Hulp bij de toetsen", "Help on keys", false)                     \
	X(ACT_QUIT, "quit", "Terug / stoppen", "Back / quit", false)                          \
	X(ACT_UP, "up", "Regel omhoog", "Line up", false)                                     \
	X(ACT_DOWN, "down", "Regel omlaag", "Line down", false)                               \
	X(ACT_PAGE_UP, "page-up", "Pagina omhoog", "Page up", false)                          \
	X(ACT_PAGE_DOWN, "page-down", "Pagina omlaag", "Page down", false)                    \
	X(ACT_TOP, "top", "Naar het begin", "To the top", false)                              \
	X(ACT_BOTTOM, "bottom", "Naar het eind", "To the end", false)                         \
	X(ACT_OPEN, "open", "Openen / kiezen", "Open / choose", false)                        \
	X(ACT_SEARCH, "search", "Zoeken op naam of cliëntnummer", "Search by name or number", false) \
	X(ACT_CANCEL, "cancel", "Annuleren / zoekopdracht wissen", "Cancel / clear search", false) \
	X(ACT_TREE, "locations", "Locatiegram: filter op locatie", "Locations: filter by location", false) \
	X(ACT_BSN, "bsn", "BSN op de server opzoeken", "Look a BSN up on the server", false)  \
	X(ACT_REVEAL, "reveal", "BSN tonen / verbergen", "Show / hide the BSN", false)        \
	X(ACT_LOGOUT, "logout", "Uitloggen (wist lokale gegevens)", "Log out (wipes local data)", true) \
	X(ACT_REDRAW, "redraw", "Scherm opnieuw tekenen", "Redraw the screen", false)         \
	X(ACT_NEXT_FIELD, "next-field", "Volgend veld", "Next field", false)                  \
	X(ACT_PREV_FIELD, "prev-field", "Vorig veld", "Previous field", false)                \
	X(ACT_HCT, "hct", "Thuiszorgtechnologie van de cliënt", "The client's home-care technology", false) \
	X(ACT_ORDER, "order", "Bestellen", "Order a device", false)                            \
	X(ACT_ADD, "add", "Toevoegen (registreren zonder bestelling)", "Add (register without an order)", false) \
	X(ACT_DELETE, "delete", "Verwijderen (geweigerde bestelling)", "Delete (declined order)", true) \
	X(ACT_START_USE, "start-use", "Gebruik starten", "Start use", false)                  \
	X(ACT_END, "end", "Registratie beëindigen", "End the registration", false)           \
	X(ACT_SETTINGS, "settings", "Thuiszorgtechnologie beheren", "Manage home-care technology", false) \
	X(ACT_TOGGLE_USE, "toggle-in-use", "Hulpmiddel toevoegen / weghalen", "Add / remove the device", false) \
	X(ACT_TOGGLE_ORDERING, "toggle-ordering", "Bestelfunctionaliteit aan / uit", "Ordering on / off", false)

enum action {
#define X(id, name, nl, en, danger) id,
	ACTIONS(X)
#undef X
	ACT_COUNT
};

/* Where a binding applies; CTX_GLOBAL applies everywhere unless a context overrides. */
enum key_ctx {
	CTX_GLOBAL,
	CTX_LIST,
	CTX_DETAIL,
	CTX_LOGIN,
	CTX_TREE,
	CTX_HCT,      /* a client's cards */
	CTX_CARD,     /* one order or registration */
	CTX_FORM,     /* any form */
	CTX_SETTINGS, /* device types */
	CTX_COUNT
};

/* A key as curses reports it: a character, or a KEY_* code. */
struct key {
	wint_t code;
	bool is_keycode;
};

/* Map a key in context to an action (context first, then global). */
enum action keys_lookup(enum key_ctx ctx, struct key k);
/* Parse a key description ("q", "^L", "F2", "Enter", "Up", "PgDn", "Space", "?") into k;
 * false when unknown. */
bool keys_parse(const char *desc, struct key *k);
/* Describe k for help texts ("q", "Ctrl-L", "F1", "Enter"). Returns a static buffer. */
const char *keys_describe(struct key k);
/* Bind key desc to the action named name, in every context that binds that action
 * (replacing its letter key); false with err set for an unknown action or key. */
bool keys_override(const char *name, const char *desc, char *err, size_t errlen);
/* The action's help text in the active language. */
const char *keys_help(enum action a);
/* True for an action that destroys something and asks first. */
bool keys_dangerous(enum action a);
/* Write the keys bound to action a in ctx (and global) as "q, F10" into out. */
void keys_for(enum key_ctx ctx, enum action a, char *out, size_t outlen);
/* Actions bound in ctx (context and global, no duplicates), in registry order; returns
 * the count written to out (at most max). For the help overlay. */
size_t keys_actions(enum key_ctx ctx, enum action *out, size_t max);

#endif
