/* Screens as descriptors. Each ui/screens/scr_x.c exports one `const struct screen`; its
 * state is its own struct, allocated by open and freed by close. The registry
 * (ui/screens/registry.h) lists them; the navigation stack (nav_*) replaces hand-written
 * back targets. A screen's key and reload return reaction flags that the frame acts on. */
#ifndef ZT_UI_SCREEN_H
#define ZT_UI_SCREEN_H

#include "i18n.h"
#include "keys.h"
#include "screens/registry.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui;

/* Reactions a screen asks of the frame. */
enum {
	R_NONE = 0,
	R_HANDLED = 1 << 0,
	R_PUSH = 1 << 1, /* open the screen named by nav_to() on top */
	R_POP = 1 << 2,  /* close the top screen (or back to the one nav_back_to() named) */
	R_QUIT = 1 << 3, /* stop zorgterm */
};

/* What a screen is opened with: an object id and a kind (e.g. which form). */
struct nav_arg {
	int64_t id;
	int kind;
};

struct screen {
	const char *name;     /* for the command line and the log */
	enum i18n_id title;   /* the header's screen name */
	enum key_ctx ctx;     /* key context (mode() may name another one) */
	unsigned events;      /* APP_EV_* bits that make it reload */
	/* Allocate the state; NULL refuses to open (the screen said why on the status line). */
	void *(*open)(struct ui *u, const struct nav_arg *arg);
	void (*close)(struct ui *u, void *st);
	/* The core raised ev (some of events); reload state. Returns reactions. May be NULL. */
	int (*reload)(struct ui *u, void *st, unsigned ev);
	void (*draw)(struct ui *u, void *st);
	/* A key the frame did not take, with its action in the screen's current context. */
	int (*key)(struct ui *u, void *st, struct key k, enum action a);
	/* The actions for the hint bar now, ACT_NONE-terminated (may() filters them). */
	const enum action *(*hints)(const struct ui *u, const void *st);
	/* Is action a offered to this user now? NULL: everything bound. */
	bool (*may)(const struct ui *u, const void *st, enum action a);
	/* The current key context when it changes with a mode (NULL: ctx). */
	enum key_ctx (*mode)(const void *st);
	/* The question a dangerous action asks (NULL or NULL result: the generic one). */
	const char *(*confirm_text)(const void *st, enum action a);
	/* A dangerous action was confirmed. Returns reactions. */
	int (*confirmed)(struct ui *u, void *st, enum action a);
	/* The identifier `y` copies (number, link) and what it is; false when none. */
	bool (*copy)(const struct ui *u, const void *st, const char **what, const char **text);
};

struct nav_entry {
	const struct screen *scr;
	void *st;
};

/* A push or pop a screen asked for, carried out by the frame after the key. */
struct nav_pending {
	bool set;
	enum screen_id sid;
	struct nav_arg arg;
};

/* The descriptor of sid. */
const struct screen *screen_get(enum screen_id sid);
/* The descriptor named name, or NULL. */
const struct screen *screen_find(const char *name);

/* Ask for screen sid to be opened on top; returns R_PUSH for the key function to return. */
int nav_to(struct ui *u, enum screen_id sid, int64_t id, int kind);
/* Ask to go back until sid is on top (it must be on the stack); returns R_POP. */
int nav_back_to(struct ui *u, enum screen_id sid);
/* Carry out the reactions of a key or reload. */
void nav_apply(struct ui *u, int flags);
/* Close every screen and open sid (login, or an area from the command line). */
void nav_reset(struct ui *u, enum screen_id sid, int64_t id, int kind);
/* Open sid on top now. False when it refused. */
bool nav_push(struct ui *u, enum screen_id sid, const struct nav_arg *arg);
/* Close the top screen (never the last). */
void nav_pop(struct ui *u);
/* The top entry, or NULL. */
struct nav_entry *nav_top(struct ui *u);
/* The key context of the top screen now. */
enum key_ctx nav_ctx(const struct ui *u);
/* True when the top screen offers action a now. */
bool nav_may(const struct ui *u, enum action a);

#endif
