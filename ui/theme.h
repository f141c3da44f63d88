/* Themes: named semantic colour slots loaded from themes/NAME.theme (libconfig), with
 * automatic fallback 256 -> 16 -> 8 colours -> monochrome, and NO_COLOR honoured. */
#ifndef ZT_UI_THEME_H
#define ZT_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* The semantic slots every screen draws with; never raw colours. */
#define THEME_SLOTS(X)                                               \
	X(NORMAL, "normal", "text")                                      \
	X(HEADER, "header", "top header line")                           \
	X(STATUS, "status", "status line (messages, progress)")          \
	X(KEYHINT, "keyhint", "key-hint line")                           \
	X(KEY, "key", "a key name inside the key-hint line")             \
	X(SELECTION, "selection", "selected row")                        \
	X(MUTED, "muted", "secondary text")                              \
	X(TITLE, "title", "section and dialog titles")                   \
	X(BORDER, "border", "frames and separators")                     \
	X(INPUT, "input", "input fields")                                \
	X(INPUT_FOCUS, "input_focus", "the focused input field")         \
	X(STATUS_OK, "status_ok", "good status (e.g. Actieve koppeling)") \
	X(STATUS_WARN, "status_warn", "warning status (e.g. Open)")      \
	X(STATUS_BAD, "status_bad", "bad status (e.g. Geweigerd)")       \
	X(ERROR, "error", "error messages")                              \
	X(MATCH, "match", "search matches")

enum theme_slot {
#define X(id, name, help) THEME_##id,
	THEME_SLOTS(X)
#undef X
	THEME_NSLOTS
};

/* How many colours the theme may use after fallback. */
enum theme_depth { THEME_MONO, THEME_8, THEME_16, THEME_256 };

/* One slot as configured in a theme file: colours as 0..255 palette indexes or -1 for the
 * terminal default, plus attributes (A_BOLD etc. as THEME_ATTR_* bits) for colour and for
 * monochrome terminals. */
#define THEME_ATTR_BOLD 1u
#define THEME_ATTR_REVERSE 2u
#define THEME_ATTR_UNDERLINE 4u
#define THEME_ATTR_DIM 8u
struct theme_spec {
	short fg, bg;
	unsigned attr;      /* with colour */
	unsigned mono_attr; /* without colour */
};

struct theme {
	char name[64];
	struct theme_spec slot[THEME_NSLOTS];
};

/* Load theme name from dir (e.g. "themes" or an installed share dir) into t; false with a
 * message in err (file:line: reason) when the file is missing or wrong. Unset slots keep
 * the built-in defaults. */
bool theme_load(struct theme *t, const char *dir, const char *name, char *err, size_t errlen);
/* Fill t with the built-in default theme (used when no file can be read). */
void theme_builtin(struct theme *t);
/* Decide the depth to use from the terminal's colour count and NO_COLOR (set and non-empty
 * means monochrome), and whether the terminal can do colour at all. Pure: no curses. */
enum theme_depth theme_pick_depth(int colors, bool has_colors, const char *no_color);
/* Map a 256-palette colour index to the nearest colour available at depth (-1 stays -1). */
short theme_fallback_color(short c, enum theme_depth depth);
/* Initialise curses colour pairs for every slot at depth; call after start_color(). */
void theme_apply(const struct theme *t, enum theme_depth depth);
/* The curses attribute (colour pair and attributes) to draw slot with, after theme_apply. */
int theme_attr(enum theme_slot slot);
/* The directory to load themes from: $ZORGTERM_THEMES, else the build tree's themes/ next to
 * the executable, else the installed share dir. Borrowed static string. */
const char *theme_dir(void);

#endif
