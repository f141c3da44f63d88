/* Themes: semantic colour slots read from libconfig files, colour fallback and curses pairs. */
#include "theme.h"

#include <curses.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ZT_THEMEDIR
#define ZT_THEMEDIR "/usr/local/share/zorgterm/themes"
#endif

/* Slot names as written in theme files, indexed by enum theme_slot. */
static const char *const slot_names[THEME_NSLOTS] = {
#define X(id, name, help) [THEME_##id] = name,
	THEME_SLOTS(X)
#undef X
};

/* Colour names accepted in theme files and their palette indexes. */
static const struct {
	const char *name;
	short index;
} colour_names[] = {
	{"default", -1},      {"black", 0},         {"red", 1},
	{"green", 2},         {"yellow", 3},        {"blue", 4},
	{"magenta", 5},       {"cyan", 6},          {"white", 7},
	{"bright-black", 8},  {"bright-red", 9},    {"bright-green", 10},
	{"bright-yellow", 11}, {"bright-blue", 12}, {"bright-magenta", 13},
	{"bright-cyan", 14},  {"bright-white", 15},
};

/* Attribute words accepted in attr and mono and their THEME_ATTR_* bits. */
static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{"bold", THEME_ATTR_BOLD},
	{"reverse", THEME_ATTR_REVERSE},
	{"underline", THEME_ATTR_UNDERLINE},
	{"dim", THEME_ATTR_DIM},
	{"none", 0},
};

/* xterm's default RGB values for the 16 standard colours. */
static const unsigned char xterm16[16][3] = {
	{0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},
	{0, 0, 238},     {205, 0, 205},   {0, 205, 205},   {229, 229, 229},
	{127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
	{92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
};

/* The six intensity levels of xterm's 6x6x6 colour cube. */
static const unsigned char cube_level[6] = {0, 95, 135, 175, 215, 255};

/* The attribute per slot set by theme_apply; before that, monochrome-safe defaults. */
static int slot_attr[THEME_NSLOTS] = {
	[THEME_HEADER] = A_REVERSE,
	[THEME_SELECTION] = A_REVERSE,
};

/* Write "file:line: message" (or "file: message" without a line) into err and return false. */
__attribute__((format(printf, 5, 6))) static bool fail(char *err, size_t errlen, const char *file,
						       int line, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return false;
	int n;
	if (file && line > 0)
		n = snprintf(err, errlen, "%s:%d: ", file, line);
	else if (file)
		n = snprintf(err, errlen, "%s: ", file);
	else
		n = 0;
	if (n < 0)
		n = 0;
	if ((size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* The file a setting came from, or path when libconfig does not know it. */
static const char *setting_file(const config_setting_t *s, const char *path)
{
	const char *f = config_setting_source_file(s);
	return f ? f : path;
}

/* Parse one colour setting (a name or 0..255) into *out; false with a message in err. */
static bool parse_colour(const config_setting_t *s, const char *path, short *out, char *err,
			 size_t errlen)
{
	const char *file = setting_file(s, path);
	int line = config_setting_source_line(s);
	int type = config_setting_type(s);
	if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
		long long v = config_setting_get_int64(s);
		if (v < 0 || v > 255)
			return fail(err, errlen, file, line, "colour %lld out of range 0..255", v);
		*out = (short)v;
		return true;
	}
	if (type != CONFIG_TYPE_STRING)
		return fail(err, errlen, file, line,
			    "'%s' must be a colour name or a number 0..255", config_setting_name(s));
	const char *v = config_setting_get_string(s);
	for (size_t i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++) {
		if (strcasecmp(v, colour_names[i].name) == 0) {
			*out = colour_names[i].index;
			return true;
		}
	}
	return fail(err, errlen, file, line, "unknown colour '%s'", v);
}

/* Parse a comma-separated attribute list ("bold,reverse") into THEME_ATTR_* bits. */
static bool parse_attrs(const config_setting_t *s, const char *path, unsigned *out, char *err,
			size_t errlen)
{
	const char *file = setting_file(s, path);
	int line = config_setting_source_line(s);
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(err, errlen, file, line,
			    "'%s' must be a string such as \"bold,underline\"",
			    config_setting_name(s));
	const char *p = config_setting_get_string(s);
	unsigned bits = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strcspn(p, ",");
		size_t end = len;
		while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t'))
			end--;
		if (end == 0)
			return fail(err, errlen, file, line, "empty attribute in '%s'",
				    config_setting_get_string(s));
		size_t i;
		for (i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
			if (strlen(attr_names[i].name) == end &&
			    strncasecmp(p, attr_names[i].name, end) == 0)
				break;
		}
		if (i == sizeof attr_names / sizeof attr_names[0])
			return fail(err, errlen, file, line, "unknown attribute '%.*s'", (int)end, p);
		bits |= attr_names[i].bit;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*out = bits;
	return true;
}

/* Parse one slot group ({ fg = ...; bg = ...; attr = ...; mono = ...; }) over spec. */
static bool parse_slot(const config_setting_t *g, const char *path, struct theme_spec *spec,
		       char *err, size_t errlen)
{
	if (!config_setting_is_group(g))
		return fail(err, errlen, setting_file(g, path), config_setting_source_line(g),
			    "slot '%s' must be a group like { fg = \"white\"; bg = \"blue\"; }",
			    config_setting_name(g));
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
		const char *key = config_setting_name(m);
		bool ok;
		if (strcmp(key, "fg") == 0)
			ok = parse_colour(m, path, &spec->fg, err, errlen);
		else if (strcmp(key, "bg") == 0)
			ok = parse_colour(m, path, &spec->bg, err, errlen);
		else if (strcmp(key, "attr") == 0)
			ok = parse_attrs(m, path, &spec->attr, err, errlen);
		else if (strcmp(key, "mono") == 0)
			ok = parse_attrs(m, path, &spec->mono_attr, err, errlen);
		else
			ok = fail(err, errlen, setting_file(m, path), config_setting_source_line(m),
				  "unknown key '%s' in slot '%s' (fg, bg, attr, mono)", key,
				  config_setting_name(g));
		if (!ok)
			return false;
	}
	return true;
}

/* Parse the whole configuration cfg read from path into t. */
static bool parse_theme(const config_t *cfg, const char *path, struct theme *t, char *err,
			size_t errlen)
{
	const config_setting_t *root = config_root_setting(cfg);
	int n = config_setting_length(root);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *key = config_setting_name(s);
		const char *file = setting_file(s, path);
		int line = config_setting_source_line(s);
		if (strcmp(key, "name") == 0) {
			const char *v = config_setting_get_string(s);
			if (!v || !*v)
				return fail(err, errlen, file, line, "name must be a non-empty string");
			if (strlen(v) >= sizeof t->name)
				return fail(err, errlen, file, line, "name longer than %zu bytes",
					    sizeof t->name - 1);
			strcpy(t->name, v);
		} else if (strcmp(key, "slots") == 0) {
			if (!config_setting_is_group(s))
				return fail(err, errlen, file, line, "slots must be a group { ... }");
			int ns = config_setting_length(s);
			for (int j = 0; j < ns; j++) {
				const config_setting_t *g = config_setting_get_elem(s, (unsigned)j);
				const char *sname = config_setting_name(g);
				int slot;
				for (slot = 0; slot < THEME_NSLOTS; slot++)
					if (strcmp(sname, slot_names[slot]) == 0)
						break;
				if (slot == THEME_NSLOTS)
					return fail(err, errlen, setting_file(g, path),
						    config_setting_source_line(g), "unknown slot '%s'",
						    sname);
				if (!parse_slot(g, path, &t->slot[slot], err, errlen))
					return false;
			}
		} else {
			return fail(err, errlen, file, line, "unknown setting '%s' (name, slots)", key);
		}
	}
	return true;
}

/* Whether name is a plain theme name: non-empty, no '/', not starting with a dot. */
static bool valid_name(const char *name)
{
	return name && *name && !strchr(name, '/') && name[0] != '.';
}

/* Load dir/name.theme over the built-in theme; on failure leave the built-in theme in t. */
bool theme_load(struct theme *t, const char *dir, const char *name, char *err, size_t errlen)
{
	struct theme tmp;
	theme_builtin(&tmp);
	if (!valid_name(name)) {
		theme_builtin(t);
		return fail(err, errlen, NULL, 0, "invalid theme name '%s'", name ? name : "");
	}
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/%s.theme", dir, name);
	if (n < 0 || (size_t)n >= sizeof path) {
		theme_builtin(t);
		return fail(err, errlen, NULL, 0, "theme path too long for '%s'", name);
	}
	FILE *fp = fopen(path, "r");
	if (!fp) {
		int e = errno;
		theme_builtin(t);
		return fail(err, errlen, path, 0, "cannot open: %s", strerror(e));
	}
	struct stat st;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		theme_builtin(t);
		return fail(err, errlen, path, 0, "not a regular file");
	}
	if (strlen(name) < sizeof tmp.name)
		strcpy(tmp.name, name);
	config_t cfg;
	config_init(&cfg);
	bool ok;
	if (config_read(&cfg, fp) != CONFIG_TRUE) {
		const char *file = config_error_file(&cfg);
		ok = fail(err, errlen, file ? file : path, config_error_line(&cfg), "%s",
			  config_error_text(&cfg));
	} else {
		ok = parse_theme(&cfg, path, &tmp, err, errlen);
	}
	config_destroy(&cfg);
	fclose(fp);
	if (ok)
		*t = tmp;
	else
		theme_builtin(t);
	return ok;
}

/* Fill t with the built-in theme, identical to themes/default.theme. */
void theme_builtin(struct theme *t)
{
	/* Keep in sync with themes/default.theme (the unit test compares them). */
	static const struct theme builtin = {
		.name = "default",
		.slot = {
			[THEME_NORMAL] = {-1, -1, 0, 0},
			[THEME_HEADER] = {7, 4, THEME_ATTR_BOLD, THEME_ATTR_REVERSE},
			[THEME_STATUS] = {-1, -1, 0, 0},
			[THEME_KEYHINT] = {0, 6, 0, THEME_ATTR_REVERSE},
			[THEME_KEY] = {7, 0, THEME_ATTR_BOLD, THEME_ATTR_BOLD},
			[THEME_SELECTION] = {0, 6, 0, THEME_ATTR_REVERSE | THEME_ATTR_BOLD},
			[THEME_MUTED] = {8, -1, 0, THEME_ATTR_DIM},
			[THEME_TITLE] = {-1, -1, THEME_ATTR_BOLD, THEME_ATTR_BOLD},
			[THEME_BORDER] = {6, -1, 0, 0},
			[THEME_INPUT] = {-1, -1, THEME_ATTR_UNDERLINE, THEME_ATTR_UNDERLINE},
			[THEME_INPUT_FOCUS] = {0, 7, 0, THEME_ATTR_REVERSE},
			[THEME_STATUS_OK] = {2, -1, 0, THEME_ATTR_BOLD},
			[THEME_STATUS_WARN] = {3, -1, 0, THEME_ATTR_UNDERLINE},
			[THEME_STATUS_BAD] = {1, -1, THEME_ATTR_BOLD, THEME_ATTR_REVERSE},
			[THEME_ERROR] = {7, 1, THEME_ATTR_BOLD, THEME_ATTR_REVERSE | THEME_ATTR_BOLD},
			[THEME_MATCH] = {0, 3, 0, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE},
		},
	};
	*t = builtin;
}

/* Choose the colour depth from NO_COLOR, colour support and the number of colours. */
enum theme_depth theme_pick_depth(int colors, bool has_colors, const char *no_color)
{
	if (no_color && *no_color)
		return THEME_MONO;
	if (!has_colors || colors < 8)
		return THEME_MONO;
	if (colors >= 256)
		return THEME_256;
	if (colors >= 16)
		return THEME_16;
	return THEME_8;
}

/* The RGB value xterm shows for palette index c (0..255). */
static void palette_rgb(int c, int rgb[3])
{
	if (c < 16) {
		for (int i = 0; i < 3; i++)
			rgb[i] = xterm16[c][i];
	} else if (c < 232) {
		int k = c - 16;
		rgb[0] = cube_level[k / 36];
		rgb[1] = cube_level[(k / 6) % 6];
		rgb[2] = cube_level[k % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

/* Squared RGB distance between palette index c (0..255) and standard colour s (0..15). */
static int distance16(int c, int s)
{
	int rgb[3];
	palette_rgb(c, rgb);
	int d = 0;
	for (int i = 0; i < 3; i++) {
		int x = rgb[i] - xterm16[s][i];
		d += x * x;
	}
	return d;
}

/* The nearest of the 16 standard colours to palette index c, considering only candidates. */
static short nearest16(int c, const short *cand, size_t ncand)
{
	short best = cand[0];
	int bestd = distance16(c, cand[0]);
	for (size_t i = 1; i < ncand; i++) {
		int d = distance16(c, cand[i]);
		if (d < bestd) {
			bestd = d;
			best = cand[i];
		}
	}
	return best;
}

/* Map palette index c to the nearest colour that exists at depth. */
short theme_fallback_color(short c, enum theme_depth depth)
{
	static const short all16[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	static const short greys[4] = {0, 8, 7, 15};
	if (c < 0 || c > 255 || depth == THEME_MONO)
		return -1;
	if (depth == THEME_256)
		return c;
	short s;
	if (c < 16)
		s = c;
	else if (c < 232)
		s = nearest16(c, all16, 16);
	else
		s = nearest16(c, greys, 4);
	if (depth == THEME_16 || s < 8)
		return s;
	/* Bright-black (grey) is nearer to white (light grey) than to black, and black would
	 * make muted text vanish on the usual black background of 8-colour terminals. */
	return s == 8 ? 7 : (short)(s - 8);
}

/* Ask curses once whether -1 (the terminal's default colour) may be used in pairs. */
static bool default_colours(void)
{
	static int state; /* 0 not asked, 1 available, -1 not available */
	if (state == 0)
		state = use_default_colors() == OK ? 1 : -1;
	return state == 1;
}

/* Turn THEME_ATTR_* bits into curses attributes. */
static int curses_attrs(unsigned bits)
{
	int a = A_NORMAL;
	if (bits & THEME_ATTR_BOLD)
		a |= A_BOLD;
	if (bits & THEME_ATTR_REVERSE)
		a |= A_REVERSE;
	if (bits & THEME_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & THEME_ATTR_DIM)
		a |= A_DIM;
	return a;
}

/* A foreground that stays readable when fallback made fg and bg the same colour. */
static short readable_fg(short fg, short bg, enum theme_depth depth)
{
	if (fg < 0 || fg != bg)
		return fg;
	int rgb[3];
	palette_rgb(bg, rgb);
	if (rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114 > 128 * 1000)
		return COLOR_BLACK;
	return depth == THEME_8 ? COLOR_WHITE : 15;
}

/* Create one colour pair per slot at depth and remember each slot's final attribute. */
void theme_apply(const struct theme *t, enum theme_depth depth)
{
	if (depth != THEME_MONO && COLOR_PAIRS <= THEME_NSLOTS)
		depth = THEME_MONO;
	bool defaults = depth != THEME_MONO && default_colours();
	for (int i = 0; i < THEME_NSLOTS; i++) {
		const struct theme_spec *s = &t->slot[i];
		int a;
		if (depth == THEME_MONO) {
			a = curses_attrs(s->mono_attr);
			if (i == THEME_SELECTION || i == THEME_HEADER)
				a |= A_REVERSE;
		} else {
			short fg = theme_fallback_color(s->fg, depth);
			short bg = theme_fallback_color(s->bg, depth);
			if (!defaults) {
				if (fg < 0)
					fg = COLOR_WHITE;
				if (bg < 0)
					bg = COLOR_BLACK;
			}
			fg = readable_fg(fg, bg, depth);
			init_pair((short)(i + 1), fg, bg);
			a = (int)COLOR_PAIR(i + 1) | curses_attrs(s->attr);
		}
		slot_attr[i] = a;
	}
}

/* Return the attribute theme_apply stored for slot (A_NORMAL for an invalid slot). */
int theme_attr(enum theme_slot slot)
{
	if ((int)slot < 0 || slot >= THEME_NSLOTS)
		return A_NORMAL;
	return slot_attr[slot];
}

/* Whether path names an existing directory. */
static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Find the theme directory: $ZORGTERM_THEMES, the build tree's themes/, or ZT_THEMEDIR. */
const char *theme_dir(void)
{
	static char found[PATH_MAX];
	const char *env = getenv("ZORGTERM_THEMES");
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char cand[PATH_MAX + 16];
			snprintf(cand, sizeof cand, "%s/../../themes", exe);
			if (is_dir(cand) && realpath(cand, found))
				return found;
		}
	}
	return ZT_THEMEDIR;
}
