/* The interface's words in Dutch (default) and English: one table, one lookup. */
#ifndef ZT_UI_I18N_H
#define ZT_UI_I18N_H

#include <stdbool.h>

/* id, Dutch, English */
#define I18N_TEXTS(X)                                                                          \
	X(T_APP, "zorgterm", "zorgterm")                                                           \
	X(T_LOGIN, "Inloggen", "Log in")                                                           \
	X(T_SERVER, "Server", "Server")                                                            \
	X(T_USER, "Gebruikersnaam", "User name")                                                   \
	X(T_PASSWORD, "Wachtwoord", "Password")                                                    \
	X(T_LOGIN_HINT, "Enter: volgende / inloggen   Esc: annuleren   F1: hulp   F10: stoppen",                 \
	  "Enter: next / log in   Esc: cancel   F1: help   F10: quit")                                           \
	X(T_LOGGING_IN, "Bezig met inloggen... (Esc annuleert)", "Logging in... (Esc cancels)")     \
	X(T_NEED_USER, "Vul een gebruikersnaam in.", "Enter a user name.")                         \
	X(T_NEED_PASSWORD, "Vul een wachtwoord in.", "Enter a password.")                          \
	X(T_CLIENTS, "Cliënten", "Clients")                                                        \
	X(T_CLIENT, "Cliënt", "Client")                                                            \
	X(T_COL_NUMBER, "Cliëntnr", "Client no")                                                   \
	X(T_COL_NAME, "Naam", "Name")                                                              \
	X(T_COL_BIRTH, "Geboren", "Born")                                                          \
	X(T_COL_LOCATION, "Locatie", "Location")                                                   \
	X(T_SEARCH, "Zoeken", "Search")                                                            \
	X(T_ALL_LOCATIONS, "Alle locaties", "All locations")                                       \
	X(T_LOCATIONS, "Locatiegram", "Locations")                                                 \
	X(T_N_CLIENTS, "%zu cliënten", "%zu clients")                                              \
	X(T_N_OF_M, "%zu van %zu cliënten", "%zu of %zu clients")                                  \
	X(T_NO_CLIENTS, "Geen cliënten gevonden.", "No clients found.")                            \
	X(T_EMPTY_REPLICA, "Nog geen gegevens: wacht op de synchronisatie.",                       \
	  "No data yet: waiting for the first sync.")                                              \
	X(T_BSN_OFFER, "b: BSN %s op de server opzoeken", "b: look BSN %s up on the server")       \
	X(T_BSN_BUSY, "BSN wordt opgezocht... (Esc annuleert)", "Looking the BSN up... (Esc cancels)") \
	X(T_ONLINE, "online", "online")                                                            \
	X(T_OFFLINE, "offline", "offline")                                                         \
	X(T_CONNECTING, "verbinden", "connecting")                                                 \
	X(T_AGE_NEVER, "nog nooit gesynchroniseerd", "never synced")                               \
	X(T_AGE_SECONDS, "gegevens van %lld s geleden", "data from %lld s ago")                    \
	X(T_AGE_MINUTES, "gegevens van %lld min geleden", "data from %lld min ago")                \
	X(T_AGE_HOURS, "gegevens van %lld uur geleden", "data from %lld h ago")                    \
	X(T_SYNCING, "Synchroniseren", "Syncing")                                                  \
	X(T_PERSONALIA, "Personalia", "Personal details")                                          \
	X(T_NAME, "Naam", "Name")                                                                  \
	X(T_NUMBER, "Cliëntnummer", "Client number")                                               \
	X(T_BIRTH, "Geboortedatum", "Date of birth")                                               \
	X(T_BSN, "BSN", "BSN")                                                                     \
	X(T_BSN_HIDDEN, "••••••••• (r: tonen)", "••••••••• (r: show)")                             \
	X(T_BSN_NONE, "(geen toegang)", "(no access)")                                             \
	X(T_LOCATION, "Locatie", "Location")                                                       \
	X(T_ADDRESSES, "Adressen", "Addresses")                                                    \
	X(T_ACTIVE, "actief", "active")                                                            \
	X(T_INACTIVE, "inactief", "inactive")                                                      \
	X(T_CONTACT, "Contactgegevens", "Contact details")                                         \
	X(T_EMAIL, "E-mail", "E-mail")                                                             \
	X(T_MOBILE, "Mobiel", "Mobile")                                                            \
	X(T_CONFIRMED, "bevestigd", "confirmed")                                                   \
	X(T_UNCONFIRMED, "niet bevestigd", "not confirmed")                                        \
	X(T_NONE, "geen", "none")                                                                  \
	X(T_LOADING, "Personalia worden opgehaald... (Esc annuleert)",                             \
	  "Fetching personal details... (Esc cancels)")                                            \
	X(T_DETAIL_OFFLINE, "Personalia zijn niet beschikbaar zonder verbinding.",                 \
	  "Personal details are not available offline.")                                           \
	X(T_HELP, "Hulp", "Help")                                                                  \
	X(T_HELP_CLOSE, "Druk op een toets om de hulp te sluiten.", "Press any key to close help.") \
	X(T_TOO_SMALL, "Het venster is te klein: minimaal 80x24 nodig (nu %dx%d).",                \
	  "The window is too small: 80x24 needed (now %dx%d).")                                    \
	X(T_MSG_LOGIN_BAD, "Gebruikersnaam of wachtwoord klopt niet.",                            \
	  "The user name or password is not correct.")                                             \
	X(T_MSG_THROTTLED, "Te veel mislukte pogingen. Probeer het over %ld seconden opnieuw.",    \
	  "Too many failed attempts. Try again in %ld seconds.")                                   \
	X(T_MSG_DEMO_REMOTE, "Demo-accounts werken alleen op een lokale server.",                  \
	  "Demo accounts only work on a local server.")                                            \
	X(T_MSG_UNREACHABLE, "De server is niet bereikbaar (%s).", "The server cannot be reached (%s).") \
	X(T_MSG_TLS, "Het certificaat van de server kan niet worden gecontroleerd (%s).",          \
	  "The server's certificate could not be verified (%s).")                                 \
	X(T_MSG_TIMEOUT, "De server antwoordt niet op tijd.", "The server did not answer in time.") \
	X(T_MSG_SERVER, "De server meldt een fout (%ld). Probeer het later opnieuw.",              \
	  "The server reported an error (%ld). Try again later.")                                  \
	X(T_MSG_PROTOCOL, "Onverwacht antwoord van de server.", "Unexpected answer from the server.") \
	X(T_MSG_EXPIRED, "Uw sessie is verlopen. Log opnieuw in.", "Your session has ended. Please log in again.") \
	X(T_MSG_REBUILT_CORRUPT, "De lokale gegevens waren beschadigd en worden opnieuw opgehaald.", \
	  "The local data was damaged and is being fetched again.")                                \
	X(T_MSG_REBUILT_NEW, "De lokale gegevens waren van een nieuwere versie en worden opnieuw opgehaald.", \
	  "The local data was from a newer version and is being fetched again.")                   \
	X(T_MSG_NOT_FOUND, "Niet gevonden (of buiten uw bereik).", "Not found (or outside your scope).") \
	X(T_MSG_FORBIDDEN, "U heeft geen toegang tot deze functie.", "You have no access to this.") \
	X(T_MSG_CANCELLED, "Geannuleerd.", "Cancelled.")                                           \
	X(T_MSG_INVALID, "Ongeldige invoer: %s.", "Invalid input: %s.")                            \
	X(T_MSG_BSN_NONE, "Geen cliënt met dit BSN binnen uw bereik.", "No client with this BSN within your scope.") \
	X(T_MSG_BSN_FOUND, "Cliënt gevonden op BSN.", "Client found by BSN.")                      \
	X(T_MSG_BSN_INVALID, "Dit is geen geldig BSN (11-proef).", "This is not a valid BSN (11-check).") \
	X(T_MSG_LOGGED_OUT, "U bent uitgelogd; de lokale gegevens zijn gewist.",                   \
	  "You have logged out; the local data has been wiped.")                                   \
	X(T_MSG_SYNCED, "Synchronisatie klaar: %ld cliënten.", "Sync complete: %ld clients.")      \
	X(T_MSG_NO_BSN_TASK, "U mag niet op BSN zoeken.", "You may not search by BSN.")

enum i18n_id {
#define X(id, nl, en) id,
	I18N_TEXTS(X)
#undef X
	T_COUNT
};

/* Choose the language: "nl" (default) or "en". */
void i18n_set(const char *lang);
/* True when English is active. */
bool i18n_english(void);
/* The text of id in the active language. */
const char *tr(enum i18n_id id);

#endif
