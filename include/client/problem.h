/* What went wrong with a request, as one enum: problem+json slugs from zorgd and transport
 * failures are mapped here once, so no English server or libcurl text reaches a Dutch
 * screen. Each problem has a Dutch and an English text for the user. */
#ifndef ZT_CLIENT_PROBLEM_H
#define ZT_CLIENT_PROBLEM_H

#include <stdbool.h>

/* X(id, slug or NULL (not a server slug), Dutch text, English text) */
#define ZT_PROBLEMS(X)                                                                          \
	X(PROB_NONE, NULL, "", "")                                                                  \
	X(PROB_UNREACHABLE, NULL, "De server is niet bereikbaar.", "The server cannot be reached.") \
	X(PROB_TLS, NULL, "Het certificaat van de server kan niet worden gecontroleerd.",           \
	  "The server's certificate could not be verified.")                                       \
	X(PROB_TIMEOUT, NULL, "De server antwoordt niet op tijd.", "The server did not answer in time.") \
	X(PROB_CANCELLED, NULL, "Geannuleerd.", "Cancelled.")                                       \
	X(PROB_PROTOCOL, NULL, "Onverwacht antwoord van de server.", "Unexpected answer from the server.") \
	X(PROB_SERVER, "internal", "De server meldt een fout. Probeer het later opnieuw.",          \
	  "The server reported an error. Try again later.")                                        \
	X(PROB_UNAUTHORIZED, "unauthorized", "Uw sessie is verlopen. Log opnieuw in.",              \
	  "Your session has ended. Please log in again.")                                          \
	X(PROB_FORBIDDEN, "forbidden", "U heeft geen toegang tot deze functie.", "You have no access to this.") \
	X(PROB_NOT_FOUND, "not-found", "Niet gevonden (of buiten uw bereik).",                      \
	  "Not found (or outside your scope).")                                                    \
	X(PROB_INVALID, "invalid-input", "De server weigert de invoer: controleer de velden.",      \
	  "The server refused the input: check the fields.")                                       \
	X(PROB_INVALID_QUERY, "invalid-query", "Ongeldige zoekopdracht.", "Invalid query.")         \
	X(PROB_UNKNOWN_FIELD, "unknown-field", "Onverwacht antwoord van de server.",                \
	  "Unexpected answer from the server.")                                                    \
	X(PROB_MALFORMED, "malformed-json", "Onverwacht antwoord van de server.",                   \
	  "Unexpected answer from the server.")                                                    \
	X(PROB_BAD_CREDENTIALS, "invalid-credentials", "Gebruikersnaam of wachtwoord klopt niet.",  \
	  "The user name or password is not correct.")                                             \
	X(PROB_THROTTLED, "login-throttled", "Te veel mislukte pogingen. Probeer het later opnieuw.", \
	  "Too many failed attempts. Try again later.")                                            \
	X(PROB_DEMO_ACCOUNT, "demo-account", "Demo-accounts werken alleen op een lokale server.",   \
	  "Demo accounts only work on a local server.")                                            \
	X(PROB_SUPPLIER_UNKNOWN, "supplier-unknown",                                                \
	  "Bestellen kan alleen aan voor hulpmiddelen waarvan de leverancier bekend is.",           \
	  "Ordering can only be switched on for devices whose supplier is known.")                 \
	X(PROB_ORDERING_OFF, "ordering-off", "Bestellen staat voor dit hulpmiddel niet aan.",       \
	  "Ordering is off for this device.")                                                      \
	X(PROB_ORDER_STATE, "order-state", "Dat kan niet (meer) in deze status van de bestelling.", \
	  "That is not possible in the order's current status.")                                   \
	X(PROB_NOT_IN_USE, "device-type-not-in-use", "Dit hulpmiddel is niet in gebruik bij de organisatie.", \
	  "The organisation does not use this device.")                                            \
	X(PROB_IDEM_REUSED, "idempotency-key-reused",                                               \
	  "Dit concept hoort bij een andere bestelling: gooi het concept weg en begin opnieuw.",    \
	  "This draft belongs to another order: discard the draft and start again.")               \
	X(PROB_TOO_LARGE, "payload-too-large", "De invoer is te groot.", "The input is too large.") \
	X(PROB_CAREN_DISABLED, "caren-disabled", "De organisatie gebruikt Caren niet.",              \
	  "The organisation does not use Caren.")                                                  \
	X(PROB_CAREN_LINKED, "caren-link-active", "Deze cliënt heeft al een actieve koppeling.",    \
	  "This client already has an active link.")                                               \
	X(PROB_CAREN_OPEN, "caren-invitation-open", "Er staat al een uitnodiging open.",           \
	  "An invitation is open already.")                                                        \
	X(PROB_CAREN_NOT_OPEN, "caren-invitation-not-open",                                        \
	  "Deze uitnodiging is niet meer open (gebruikt, ingetrokken of verlopen).",               \
	  "This invitation is no longer open (used, revoked or expired).")                         \
	X(PROB_CAREN_NO_LINK, "caren-no-link", "Deze cliënt heeft geen actieve koppeling.",         \
	  "This client has no active link.")                                                       \
	X(PROB_CAREN_NO_ADDRESS, "client-without-address",                                         \
	  "De cliënt heeft geen actief adres voor de brief.", "The client has no active address for the letter.") \
	X(PROB_CAREN_KEYS, "caren-keys-missing", "Caren is op de server niet ingesteld.",           \
	  "Caren is not configured on the server.")                                                \
	X(PROB_FILE, NULL, "Het bestand kan niet worden opgeslagen.", "The file cannot be saved.")  \
	X(PROB_OTHER, NULL, "Onverwacht antwoord van de server.", "Unexpected answer from the server.")

enum problem {
#define ZT_PROBLEM_ENUM(id, slug, nl, en) id,
	ZT_PROBLEMS(ZT_PROBLEM_ENUM)
#undef ZT_PROBLEM_ENUM
	PROB__COUNT
};

/* The problem a slug names ("supplier-unknown"); PROB_OTHER for an unknown slug, PROB_NONE
 * for NULL. */
enum problem problem_from_slug(const char *slug);
/* The problem an HTTP status means when the body names none. */
enum problem problem_from_status(long status);
/* The user's text for p, Dutch or English; a static string. */
const char *problem_text(enum problem p, bool english);
/* The slug of p, or NULL (for tests and logs). */
const char *problem_slug(enum problem p);

#endif
