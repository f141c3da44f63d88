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
	X(T_LOGIN_HINT, "Enter volgende / inloggen  Tab veld  F1 hulp  Esc stoppen",                \
	  "Enter next / log in  Tab field  F1 help  Esc quit")                                     \
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
	X(T_WGT_CHARS, "tekens", "characters")                                                     \
	X(T_WGT_REFUSED, "Maximum bereikt: %s tekens niet ingevoegd",                             \
	  "Limit reached: %s characters not inserted")                                             \
	X(T_WGT_REFUSED_ONE, "Maximum bereikt: 1 teken niet ingevoegd",                          \
	  "Limit reached: 1 character not inserted")                                               \
	X(T_WGT_LINES, "regel %zu-%zu van %zu", "lines %zu-%zu of %zu")                            \
	X(T_WGT_MORE, "PgDn: meer", "PgDn: more")                                                  \
	X(T_WGT_LINE, "regel %zu van %zu", "line %zu of %zu")                                      \
	X(T_WGT_NOT_SHOWN, "... en nog %s", "... and %s more")                                     \
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
	X(T_MSG_UNREACHABLE, "De server is niet bereikbaar.", "The server cannot be reached.")  \
	X(T_MSG_TLS, "Het certificaat van de server kan niet worden gecontroleerd.",               \
	  "The server's certificate could not be verified.")                                      \
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
	X(T_MSG_INVALID, "De server weigert de invoer.", "The server refused the input.")          \
	X(T_MSG_BSN_NONE, "Geen cliënt met dit BSN binnen uw bereik.", "No client with this BSN within your scope.") \
	X(T_MSG_BSN_FOUND, "Cliënt gevonden op BSN.", "Client found by BSN.")                      \
	X(T_MSG_BSN_INVALID, "Dit is geen geldig BSN (11-proef).", "This is not a valid BSN (11-check).") \
	X(T_MSG_LOGGED_OUT, "U bent uitgelogd; de lokale gegevens zijn gewist.",                   \
	  "You have logged out; the local data has been wiped.")                                   \
	X(T_MSG_SYNCED, "Synchronisatie klaar: %ld cliënten.", "Sync complete: %ld clients.")      \
	X(T_MSG_NO_BSN_TASK, "U mag niet op BSN zoeken.", "You may not search by BSN.")               \
	X(T_THEME_ERROR, "Thema niet geladen: '%s' bestaat niet of klopt niet; de standaardkleuren worden gebruikt. Beschikbaar: %s.", \
	  "Theme not loaded: '%s' does not exist or is broken; the built-in colours are used. Available: %s.") \
	X(T_THEME_ERROR_NONE, "Thema niet geladen: '%s' bestaat niet of klopt niet; de standaardkleuren worden gebruikt.%s", \
	  "Theme not loaded: '%s' does not exist or is broken; the built-in colours are used.%s") \
	X(T_HCT, "Thuiszorgtechnologie", "Home-care technology")                                   \
	X(T_HCT_SETTINGS, "Thuiszorgtechnologie beheren", "Manage home-care technology")           \
	X(T_HCT_NONE, "Geen registraties of bestellingen.", "No registrations or orders.")         \
	X(T_HCT_HINT_DETAIL, "h: thuiszorgtechnologie van deze cliënt", "h: this client's home-care technology") \
	X(T_ORDER, "Bestelling", "Order")                                                          \
	X(T_REGISTRATION, "Registratie", "Registration")                                           \
	X(T_ST_OPEN, "Open", "Open")                                                               \
	X(T_ST_DECLINED, "Geweigerd", "Declined")                                                  \
	X(T_ST_ACCEPTED, "Geaccepteerd", "Accepted")                                               \
	X(T_ST_COMPLETED, "Voltooid", "Completed")                                                 \
	X(T_ST_IN_USE, "In gebruik", "In use")                                                     \
	X(T_ST_ENDED, "Beëindigd", "Ended")                                                        \
	X(T_PLACED, "geplaatst", "placed")                                                         \
	X(T_FETCHED, "opgehaald", "fetched")                                                       \
	X(T_NOT_FETCHED, "nog niet opgehaald", "not fetched yet")                                  \
	X(T_SINCE, "sinds", "since")                                                               \
	X(T_UNTIL, "tot", "until")                                                                 \
	X(T_SERIAL, "Serienummer", "Serial number")                                                \
	X(T_DEVICE, "Hulpmiddel", "Device")                                                        \
	X(T_SUPPLIER, "Leverancier", "Supplier")                                                   \
	X(T_SUPPLIER_UNKNOWN, "onbekend", "unknown")                                               \
	X(T_STATUS, "Status", "Status")                                                            \
	X(T_PLACED_AT, "Geplaatst", "Placed")                                                      \
	X(T_FETCHED_AT, "Opgehaald", "Fetched")                                                    \
	X(T_ACCEPTED_AT, "Geaccepteerd op", "Accepted on")                                         \
	X(T_DECLINED_AT, "Geweigerd op", "Declined on")                                            \
	X(T_COMPLETED_AT, "Voltooid op", "Completed on")                                           \
	X(T_REASON, "Reden", "Reason")                                                             \
	X(T_TRACKING, "Bestelling volgen", "Track the order")                                      \
	X(T_ORDER_NUMBER, "Bestelnummer", "Order number")                                          \
	X(T_SUPPLIER_NOTE, "Bericht leverancier", "Supplier's message")                            \
	X(T_DELIVERY, "Bezorgadres", "Delivery address")                                           \
	X(T_ORDERER, "Besteller", "Orderer")                                                       \
	X(T_START_DATE, "Begindatum", "Start date")                                                \
	X(T_END_DATE, "Einddatum", "End date")                                                     \
	X(T_END_NONE, "(geen)", "(none)")                                                          \
	X(T_IN_USE, "In gebruik", "In use")                                                        \
	X(T_ORDERING, "Bestelfunctionaliteit", "Ordering")                                         \
	X(T_ON, "aan", "on")                                                                       \
	X(T_OFF, "uit", "off")                                                                     \
	X(T_YES, "ja", "yes")                                                                      \
	X(T_NO, "nee", "no")                                                                       \
	X(T_FORM_ORDER, "Bestellen", "Order")                                                      \
	X(T_FORM_REG, "Thuiszorgtechnologie toevoegen", "Add home-care technology")                \
	X(T_FORM_START, "Gebruik starten", "Start use")                                            \
	X(T_FORM_END, "Registratie beëindigen", "End the registration")                            \
	X(T_CLIENT_DATA, "Cliëntgegevens (controleer; wijzig via de personalia)",                  \
	  "Client data (check; change them in the personal details)")                              \
	X(T_ADDRESS_CHOICE, "Adres", "Address")                                                    \
	X(T_ALT_ADDRESS, "Alternatief adres", "Alternative address")                               \
	X(T_STREET, "Straat", "Street")                                                            \
	X(T_HOUSE_NUMBER, "Huisnummer", "House number")                                            \
	X(T_HOUSE_EXT, "Toevoeging", "Addition")                                                   \
	X(T_POSTCODE, "Postcode", "Postcode")                                                      \
	X(T_CITY, "Plaats", "City")                                                                \
	X(T_TEAM, "Team", "Team")                                                                  \
	X(T_TEAM_EMAIL, "(Team) e-mail", "(Team) e-mail")                                          \
	X(T_TEAM_PHONE, "(Team) telefoon", "(Team) phone")                                         \
	X(T_SUBMIT_ORDER, "Bestelling plaatsen", "Place the order")                                \
	X(T_SUBMIT_SAVE, "Opslaan", "Save")                                                        \
	X(T_DRAFT_RESTORED, "Concept hersteld: uw eerdere invoer staat er weer.",                  \
	  "Draft restored: what you typed before is back.")                                       \
	X(T_DRAFT_WAITING, "Er staat een concept-bestelling klaar voor %s (open de cliënt, h, b).", \
	  "There is a draft order for %s (open the client, h, b).")                                \
	X(T_SENDING, "Bezig met versturen... (Esc annuleert; uw invoer blijft bewaard)",           \
	  "Sending... (Esc cancels; what you typed is kept)")                                      \
	X(T_ORDER_PLACED, "Bestelling geplaatst.", "Order placed.")                                \
	X(T_SAVED, "Opgeslagen.", "Saved.")                                                        \
	X(T_ORDER_DELETED, "Bestelling verwijderd.", "Order deleted.")                             \
	X(T_CONFIRM_DELETE, "Let op: de bestelling wordt niet bij de leverancier verwijderd. Verwijderen?", \
	  "Note: this does not delete the order at the supplier. Delete?")                   \
	X(T_FIX_FIELDS, "Controleer de gemarkeerde velden.", "Check the marked fields.")           \
	X(T_E_REQUIRED, "Verplicht veld.", "Required.")                                            \
	X(T_E_POSTCODE, "Vul een postcode in zoals 1234 AB.", "Enter a postcode such as 1234 AB.") \
	X(T_E_HOUSE_NUMBER, "Vul een huisnummer in (alleen cijfers).", "Enter a house number (digits only).") \
	X(T_E_EMAIL, "Vul een geldig e-mailadres in.", "Enter a valid e-mail address.")            \
	X(T_E_PHONE, "Vul een geldig telefoonnummer in, zoals 06 12345678.",                       \
	  "Enter a valid phone number, such as 06 12345678.")                                      \
	X(T_E_SERIAL, "Alleen letters, cijfers en . _ , - (max. 50 tekens).",                      \
	  "Only letters, digits and . _ , - (at most 50).")                                       \
	X(T_E_DATE, "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 05-03-2026.",                   \
	  "Enter a date as dd-mm-yyyy, for example 05-03-2026.")                                   \
	X(T_E_DATE_IMPOSSIBLE, "Deze datum bestaat niet: %s heeft geen dag %d.",                   \
	  "This date does not exist: %s has no day %d.")                                           \
	X(T_E_END_BEFORE, "De einddatum ligt voor de begindatum.", "The end date is before the start date.") \
	X(T_E_TOO_LONG, "Te lang.", "Too long.")                                                   \
	X(T_E_NO_ACTIVE, "Deze cliënt heeft geen actief adres: kies Alternatief adres.",           \
	  "This client has no active address: choose Alternative address.")                       \
	X(T_E_SUPPLIER_UNKNOWN, "Bestellen kan alleen aan voor hulpmiddelen waarvan de leverancier bekend is.", \
	  "Ordering can only be switched on for devices whose supplier is known.")                 \
	X(T_E_ORDERING_OFF, "Bestellen staat voor dit hulpmiddel niet aan.", "Ordering is off for this device.") \
	X(T_E_ORDER_STATE, "Dat kan niet (meer) in deze status van de bestelling.",                \
	  "That is not possible in the order's current status.")                                   \
	X(T_E_NOT_IN_USE, "Dit hulpmiddel is niet in gebruik bij de organisatie.",                 \
	  "The organisation does not use this device.")                                            \
	X(T_E_SERVER_FIELD, "De server weigert dit veld: controleer de waarde.",                   \
	  "The server refuses this field: check the value.")                                       \
	X(T_NEED_DETAIL, "Open eerst de personalia van de cliënt (Enter), dan h.",                 \
	  "Open the client's personal details first (Enter), then h.")                             \
	X(T_HELP_MOVE, "Bewegen: regel, pagina, begin, eind", "Move: line, page, top, end")    \
	X(T_DATE_PLACEHOLDER, "dd-mm-jjjj", "dd-mm-yyyy")                                          \
	X(T_DIALOG_ANSWERS, "j = ja, n = nee (j/n)", "y = yes, n = no (y/n)")                        \
	X(T_CONFIRM_GENERIC, "Weet u het zeker?", "Are you sure?")                                 \
	X(T_COPIED, "Gekopieerd naar het klembord: %s %s", "Copied to the clipboard: %s %s")       \
	X(T_COPY_FAILED, "Kopiëren is niet gelukt.", "Copying failed.")                            \
	X(T_COPY_NOTHING, "Hier is niets om te kopiëren.", "Nothing to copy here.")                \
	X(T_WHAT_CLIENT_NUMBER, "cliëntnummer", "client number")                                   \
	X(T_WHAT_ORDER_NUMBER, "bestelnummer", "order number")                                     \
	X(T_WHAT_TRACKING, "volglink", "tracking link")                                            \
	X(T_AREAS, "Gebieden", "Areas")                                                            \
	X(T_AREA_CLIENTS, "Cliënten", "Clients")                                                   \
	X(T_AREA_ONS_CLIENT, "Ons Cliënt", "Ons Cliënt")                                           \
	X(T_AREA_MESSAGES, "Berichten", "Messages")                                                \
	X(T_AREA_AGENDA, "Agenda", "Agenda")                                                       \
	X(T_AREA_ADMIN, "Beheer", "Administration")                                                \
	X(T_AREA_REPORTS, "Rapportages", "Reports")                                                \
	X(T_AREA_AUDIT, "Audit", "Audit")                                                          \
	X(T_AREA_NOT_ALLOWED, "Dat gebied hoort niet bij uw taken.", "That area is not among your tasks.") \
	X(T_CAREN_DASH, "Ons Cliënt", "Ons Cliënt")                                                \
	X(T_CAREN_LOCATION, "Ons Cliënt: locatie", "Ons Cliënt: location")                         \
	X(T_CAREN_CLIENT, "Ons Cliënt: Caren-koppeling", "Ons Cliënt: Caren link")                 \
	X(T_CAREN_LINKED, "Gekoppelde cliënten", "Linked clients")                                \
	X(T_CAREN_LOCS, "Locaties", "Locations")                                                   \
	X(T_CAREN_MSGS, "Verstuurde berichten", "Messages sent")                                   \
	X(T_CAREN_OPEN_COUNT, "Uitnodiging open", "Invitation open")                               \
	X(T_CAREN_SHORT_ACTIVE, "Gekoppeld", "Linked")                                             \
	X(T_CAREN_SHORT_INVITED, "Uitgenodigd", "Invited")                                         \
	X(T_CAREN_SHORT_NOT_LINKED, "Niet gekoppeld", "Not linked")                                \
	X(T_CAREN_SHORT_UNKNOWN, "Onbekend", "Unknown")                                            \
	X(T_COL_CAREN, "Caren-status", "Caren status")                                             \
	X(T_CAREN_STATUS, "Status", "Status")                                                      \
	X(T_CAREN_INVITATIONS, "Uitnodigingen", "Invitations")                                     \
	X(T_CAREN_LINKS, "Koppelingshistorie", "Link history")                                     \
	X(T_CAREN_NONE_INV, "Geen uitnodigingen.", "No invitations.")                              \
	X(T_CAREN_NONE_LINKS, "Nog nooit gekoppeld.", "Never linked.")                             \
	X(T_CAREN_INV_VALUE, "geldig t/m %s; aangemaakt %s door %s", "valid until %s; made %s by %s") \
	X(T_CAREN_INV_CLOSED, "; gesloten door %s", "; closed by %s")                       \
	X(T_CAREN_LINK_ACTIVE, "Actief", "Active")                                                 \
	X(T_CAREN_LINK_ENDED, "Beëindigd", "Ended")                                                \
	X(T_CAREN_LINK_SINCE, "sinds %s", "since %s")                                              \
	X(T_CAREN_LINK_VALUE, "%s tot %s; door %s; reden: %s", "%s to %s; by %s; reason: %s")     \
	X(T_CAREN_INVITED, "Uitnodiging aangemaakt, geldig tot en met %s. Brief opslaan: b",      \
	  "Invitation made, valid until %s. Save the letter: b")                                   \
	X(T_CAREN_LETTER_SAVED, "Brief opgeslagen: %s", "Letter saved: %s")                        \
	X(T_CAREN_PRINTED, "Brief naar de printer gestuurd.", "Letter sent to the printer.")       \
	X(T_CAREN_NO_PRINTER, "Geen print_command ingesteld; de brief staat in %s",               \
	  "No print_command set; the letter is in %s")                                             \
	X(T_CAREN_PRINT_FAILED, "Afdrukken is mislukt.", "Printing failed.")                       \
	X(T_CAREN_PRINTING, "Brief wordt naar de printer gestuurd...", "Sending the letter to the printer...") \
	X(T_CAREN_SAVE_FIRST, "Sla eerst de brief op (b).", "Save the letter first (b).")          \
	X(T_CAREN_REVOKE_Q, "Uitnodiging intrekken? De activeringscode werkt daarna niet meer.",  \
	  "Revoke the invitation? Its activation code stops working.")                             \
	X(T_CAREN_REVOKED, "Uitnodiging ingetrokken.", "Invitation revoked.")                      \
	X(T_CAREN_UNLINK_WARN, "Let op: de koppeling tussen deze cliënt en het Caren-account wordt " \
	  "verbroken. Wie dat account gebruikt, ziet de gegevens van deze cliënt in Caren niet meer. " \
	  "De historie (wie, wanneer, waarom) blijft bewaard; daarna kunt u opnieuw uitnodigen.",   \
	  "Note: the link between this client and the Caren account ends. Whoever uses that "      \
	  "account no longer sees this client in Caren. The history (who, when, why) is kept; "    \
	  "you can invite again afterwards.")                                                      \
	X(T_CAREN_REASON, "Reden", "Reason")                                                       \
	X(T_CAREN_REASON_HINT, "Enter: verder  Esc: annuleren", "Enter: continue  Esc: cancel")   \
	X(T_CAREN_REASON_NEEDED, "Vul een reden in.", "Enter a reason.")                           \
	X(T_CAREN_UNLINK_Q, "Account nu ontkoppelen? j = ontkoppelen, n = terug",                 \
	  "Unlink the account now? j = unlink, n = back")                                          \
	X(T_CAREN_UNLINKED, "Account ontkoppeld.", "Account unlinked.")                            \
	X(T_CAREN_NO_OPEN, "Er staat geen uitnodiging open.", "No invitation is open.")           \
	X(T_CAREN_NO_LINK, "Er is geen actieve koppeling.", "There is no active link.")           \
	X(T_CAREN_LOADING, "Caren-gegevens worden opgehaald...", "Fetching the Caren details...") \
	X(T_CAREN_OFFLINE, "Offline: de status komt uit de lokale gegevens; uitnodigingen en "    \
	  "historie zijn er niet.", "Offline: the status comes from local data; invitations and " \
	  "history are not available.")                                                            \
	X(T_CAREN_NO_TASK, "Ons Cliënt hoort niet bij uw taken.", "Ons Cliënt is not among your tasks.") \
	X(T_CAREN_IN_LOCATION, "Locatie: %s", "Location: %s")                                      \
	X(T_NOT_YET, "Dit onderdeel is nog niet beschikbaar in zorgterm.",                         \
	  "This part is not available in zorgterm yet.")                                           \
	X(T_NO_AREAS, "Uw taken geven geen toegang tot onderdelen van zorgterm. L logt uit, q stopt.", \
	  "Your tasks give access to no part of zorgterm. L logs out, q quits.")                   \
	X(T_CMD_UNKNOWN, "Onbekend gebied: %s (Tab vult aan).", "Unknown area: %s (Tab completes).") \
	X(T_CMD_NONE, "(geen gebied past)", "(no area matches)")                                   \
	X(T_CONFIRM_DISCARD, "Het concept van deze bestelling wordt weggegooid. Doorgaan?",         \
	  "The draft of this order will be thrown away. Continue?")                                \
	X(T_DRAFT_DISCARDED, "Concept weggegooid.", "Draft discarded.")                            \
	X(T_DRAFT_HINT, "Concept hersteld. F8 of Ctrl-D gooit het concept weg.",                   \
	  "Draft restored. F8 or Ctrl-D discards the draft.")                                      \
	X(T_NO_CLIENT_TASK, "U werkt niet met cliënten; kies een gebied (:, of 1-7).",              \
	  "You do not work with clients; choose an area (:, or 1-7).")                             \
	X(T_NO_ORDERABLE, "Voor geen enkel hulpmiddel staat bestellen aan.", "Ordering is on for no device.") \
	X(T_MSG_TITLE, "Locatieberichten", "Location messages")                                    \
	X(T_MSG_FORM, "Verstuur bericht", "Send a message")                                        \
	X(T_MSG_ALL, "Alle cliënten", "All clients")                                               \
	X(T_MSG_COL_DATE, "Datum", "Date")                                                         \
	X(T_MSG_COL_SENDER, "Afzender", "Sender")                                                  \
	X(T_MSG_COL_TARGET, "Aan", "To")                                                           \
	X(T_MSG_COL_RECIPIENTS, "Ontvangers", "Recipients")                                        \
	X(T_MSG_COL_DELIVERED, "Afgeleverd", "Delivered")                                          \
	X(T_MSG_COL_FAILED, "Mislukt", "Failed")                                                   \
	X(T_MSG_PENDING, "Onderweg", "Pending")                                                    \
	X(T_MSG_CLIENTS, "Cliënten", "Clients")                                                    \
	X(T_MSG_PORTAL_USERS, "Caren-gebruikers", "Caren users")                                   \
	X(T_MSG_MAILS, "E-mailmeldingen", "E-mail notices")                                        \
	X(T_MSG_TEXT, "Bericht", "Message")                                                        \
	X(T_MSG_NONE, "Er zijn nog geen berichten verstuurd.", "No messages have been sent yet.")   \
	X(T_MSG_LOADING_TEXT, "Tekst wordt opgehaald...", "Fetching the text...")                  \
	X(T_MSG_EXPLAIN_ALL, "Dit bericht gaat naar alle cliënten en hun gekoppelde Caren-gebruikers.", \
	  "This message goes to all clients and their linked Caren users.")                        \
	X(T_MSG_EXPLAIN_LOC, "Dit bericht gaat naar de cliënten van %s en hun gekoppelde Caren-gebruikers.", \
	  "This message goes to the clients of %s and their linked Caren users.")                  \
	X(T_MSG_FORM_HINT, "F2 versturen  Esc terug (concept blijft bewaard)  F8 concept weg",     \
	  "F2 send  Esc back (the draft is kept)  F8 discard draft")                               \
	X(T_MSG_COUNTING, "Ontvangers worden geteld...", "Counting the recipients...")              \
	X(T_MSG_CONFIRM, "Versturen aan %s cliënten en %s Caren-gebruikers? j = versturen, n = terug", \
	  "Send to %s clients and %s Caren users? y = send, n = back")                             \
	X(T_MSG_SENT, "Bericht verstuurd aan %s ontvangers.", "Message sent to %s recipients.")    \
	X(T_MSG_EMPTY, "Het bericht is leeg.", "The message is empty.")                            \
	X(T_MSG_SCOPE, "Alleen met de hele organisatie in uw bereik stuurt u aan alle cliënten.",   \
	  "Only with the whole organisation in scope can you write to all clients.")               \
	X(T_MSG_OFF, "Versturen kan niet: de communicatie-optie van Caren staat uit.",              \
	  "Cannot send: Caren's communication option is off.")

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
