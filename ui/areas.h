/* Areas: the top-level parts of zorgterm, reachable from anywhere by a digit or by the ':'
 * command line. Only the areas the user's tasks allow are offered. */
#ifndef ZT_UI_AREAS_H
#define ZT_UI_AREAS_H

#include "keys.h"

#include <stdbool.h>
#include <stddef.h>

struct ui;

#define AREA_COUNT 7

/* The area's label in the interface language ("Cliënten"). */
const char *area_label(int i);
/* The area's command-line name ("clienten"). */
const char *area_name(int i);
/* True when the user's tasks allow area i. */
bool area_allowed(const struct ui *u, int i);
/* Go to area i (the stack is replaced); false (with a status message) when not allowed. */
bool area_go(struct ui *u, int i);
/* The first area the user may use (their home), or -1. */
int area_home(const struct ui *u);
/* The area digit keys: true when k was one (and was handled). */
bool area_key(struct ui *u, struct key k);
/* The command line: open it, handle a key in it, draw it. */
void cmdline_open(struct ui *u);
void cmdline_key(struct ui *u, struct key k);
void cmdline_draw(struct ui *u);

#endif
