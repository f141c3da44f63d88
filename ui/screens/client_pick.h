/* What the client overview and Ons Cliënt's client lists share (not a screen): the
 * searchable, location-filtered list over the in-memory client index, and the BSN look-up
 * a nine-digit query offers. */
#ifndef ZT_UI_SCREENS_CLIENT_PICK_H
#define ZT_UI_SCREENS_CLIENT_PICK_H

#include "ui.h"
#include "widgets/list.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A client list's state; the screen owns it (loc_set is malloc'd, NULL: every client). */
struct client_pick {
	struct client_view view;
	struct field query;
	bool searching;
	struct list list;
	int64_t sel_id;
	int64_t *loc_set;
	size_t nloc_set;
};

/* Fit the list into the rows below list_y, keep the selection on screen and remember its
 * client. */
void pick_clamp(struct ui *u, struct client_pick *p, int list_y);
/* Move the selection for list action a (clamped as pick_clamp); false when a is not one. */
bool pick_nav(struct ui *u, struct client_pick *p, int list_y, enum action a);
/* The query was edited: refilter from the top (the status line cleared). */
void pick_query_changed(struct ui *u, struct client_pick *p, int list_y);
/* Offer the BSN look-up on the status line when the query is a BSN the user may look up,
 * none runs and the status line is free. */
void pick_offer_bsn(struct ui *u, const struct client_pick *p);
/* May a BSN be looked up now (the task; while searching, a nine-digit query)? */
bool pick_may_bsn(const struct ui *u, const struct client_pick *p);
/* The selected client's number for the copy action (*what names it); false without one. */
bool pick_copy(const struct ui *u, const struct client_pick *p, const char **what,
			   const char **text);
/* True when the query is nine digits (a BSN to look up on the server). */
bool pick_query_is_bsn(const struct client_pick *p);
/* Ask the server for the BSN in the query (which audits it) after checking the task and
 * the 11-check here; the status line says why not. */
void pick_bsn_lookup(struct ui *u, struct client_pick *p);

#endif
