/* The action registry (one row per action: id, config name, Dutch and English help,
 * dangerous flag) and the key bindings per context; help and key hints come from here. */
#ifndef ZT_UI_KEYS_H
#define ZT_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* id, config name, Dutch help, English help, Dutch hint-bar label, English hint-bar label,
 * dangerous. The hint-bar labels are written for the bar: short, and saying what happens. */
#define ACTIONS(X)                                                                        \
	X(ACT_NONE, "none", "", "", "", "", false)                                            \
	X(ACT_HELP, "help", "Hulp bij de toetsen", "Help on keys", "Hulp", "Help", false)     \
	X(ACT_QUIT, "quit", "Terug / stoppen", "Back / quit", "Terug", "Back", false)         \
	X(ACT_UP, "up", "Regel omhoog", "Line up", "Omhoog", "Up", false)                     \
	X(ACT_DOWN, "down", "Regel omlaag", "Line down", "Omlaag", "Down", false)             \
	X(ACT_PAGE_UP, "page-up", "Pagina omhoog", "Page up", "Pag. omhoog", "Page up", false) \
	X(ACT_PAGE_DOWN, "page-down", "Pagina omlaag", "Page down", "Pag. omlaag", "Page down", false) \
	X(ACT_TOP, "top", "Naar het begin", "To the top", "Begin", "Top", false)              \
	X(ACT_BOTTOM, "bottom", "Naar het eind", "To the end", "Eind", "End", false)          \
	X(ACT_OPEN, "open", "Openen / kiezen", "Open / choose", "Openen", "Open", false)      \
	X(ACT_SEARCH, "search", "Zoeken op naam of cliëntnummer", "Search by name or number", "Zoeken", "Search", false) \
	X(ACT_CANCEL, "cancel", "Annuleren / zoekopdracht wissen", "Cancel / clear search", "Annuleren", "Cancel", false) \
	X(ACT_TREE, "locations", "Locatiegram: filter op locatie", "Locations: filter by location", "Locaties", "Locations", false) \
	X(ACT_BSN, "bsn", "BSN op de server opzoeken", "Look a BSN up on the server", "BSN opzoeken", "Find BSN", false) \
	X(ACT_REVEAL, "reveal", "BSN tonen / verbergen", "Show / hide the BSN", "BSN tonen", "Show BSN", false) \
	X(ACT_LOGOUT, "logout", "Uitloggen (wist lokale gegevens)", "Log out (wipes local data)", "Uitloggen", "Log out", true) \
	X(ACT_REDRAW, "redraw", "Scherm opnieuw tekenen", "Redraw the screen", "Hertekenen", "Redraw", false) \
	X(ACT_NEXT_FIELD, "next-field", "Volgend veld", "Next field", "Volgend veld", "Next field", false) \
	X(ACT_PREV_FIELD, "prev-field", "Vorig veld", "Previous field", "Vorig veld", "Prev. field", false) \
	X(ACT_HCT, "hct", "Thuiszorgtechnologie van de cliënt", "The client's home-care technology", "Hulpmiddelen", "Devices", false) \
	X(ACT_ORDER, "order", "Bestellen", "Order a device", "Bestellen", "Order", false)      \
	X(ACT_ADD, "add", "Toevoegen (registreren zonder bestelling)", "Add (register without an order)", "Toevoegen", "Add", false) \
	X(ACT_DELETE, "delete", "Verwijderen (geweigerde bestelling)", "Delete (declined order)", "Verwijderen", "Delete", true) \
	X(ACT_START_USE, "start-use", "Gebruik starten", "Start use", "Gebruik starten", "Start use", false) \
	X(ACT_END, "end", "Registratie beëindigen", "End the registration", "Beëindigen", "End", false) \
	X(ACT_SETTINGS, "settings", "Thuiszorgtechnologie beheren", "Manage home-care technology", "Beheer", "Settings", false) \
	X(ACT_TOGGLE_USE, "toggle-in-use", "Hulpmiddel toevoegen / weghalen", "Add / remove the device", "In gebruik aan/uit", "In use on/off", false) \
	X(ACT_TOGGLE_ORDERING, "toggle-ordering", "Bestelfunctionaliteit aan / uit", "Ordering on / off", "Bestellen aan/uit", "Ordering on/off", false) \
	X(ACT_COPY, "copy", "Nummer of link kopiëren (OSC 52)", "Copy the number or link (OSC 52)", "Kopiëren", "Copy", false) \
	X(ACT_COMMAND, "command", "Opdrachtregel: naar een gebied of scherm", "Command line: go to an area or screen", "Opdracht", "Command", false) \
	X(ACT_AREAS, "areas", "Cijfer 1-7: naar een gebied", "Digit 1-7: go to an area", "Gebieden", "Areas", false) \
	X(ACT_DISCARD_DRAFT, "discard-draft", "Concept weggooien (vraagt eerst)", "Discard the draft (asks first)", "Concept weg", "Discard draft", true) \
	X(ACT_CAREN, "caren", "Ons Cliënt: Caren-koppeling van de cliënt, of de locatie", "Ons Cliënt: the client's Caren link, or the location", "Ons Cliënt", "Ons Cliënt", false) \
	X(ACT_INVITE, "invite", "Uitnodigen voor Caren", "Invite to Caren", "Uitnodigen", "Invite", false) \
	X(ACT_LETTER, "letter", "Brief opslaan (PDF in uw downloadmap)", "Save the letter (PDF in your download folder)", "Brief opslaan", "Save letter", false) \
	X(ACT_PRINT, "print", "Brief afdrukken (print_command)", "Print the letter (print_command)", "Afdrukken", "Print", false) \
	X(ACT_REVOKE, "revoke", "Uitnodiging intrekken (vraagt eerst)", "Revoke the invitation (asks first)", "Intrekken", "Revoke", true) \
	X(ACT_UNLINK, "unlink", "Ontkoppel account (waarschuwing, reden, bevestigen)", "Unlink the account (warning, reason, confirm)", "Ontkoppel account", "Unlink", false) \
	X(ACT_SEND_MESSAGE, "send-message", "Verstuur bericht (locatiebericht)", "Send a message (location message)", "Verstuur bericht", "Send message", false) \
	X(ACT_SEND, "send", "Versturen (vraagt eerst hoeveel ontvangers)", "Send (says how many recipients first)", "Versturen", "Send", false)

enum action {
#define X(id, name, nl, en, snl, sen, danger) id,
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
	CTX_SEARCH,   /* typing a search query */
	CTX_PAGE,     /* a page to read (placeholders, long texts) */
	CTX_CAREN,    /* a client's Caren page */
	CTX_MESSAGES, /* the list of location messages with the selected one's text */
	CTX_COUNT
};

/* A key as curses reports it: a character, or a KEY_* code. */
struct key {
	wint_t code;
	bool is_keycode;
};

/* True for a context where letters are typed into a field (no global letter bindings). */
bool keys_typing(enum key_ctx ctx);
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
/* The action's hint-bar label in the active language. */
const char *keys_label(enum action a);
/* The action's config name ("toggle-ordering"). */
const char *keys_name(enum action a);
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
