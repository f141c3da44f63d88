/* Action registry and binding tables. Every function-key action also has a letter. */
#include "keys.h"

#include "i18n.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct action_info {
	const char *name, *nl, *en, *snl, *sen;
	bool danger;
};

static const struct action_info actions[ACT_COUNT] = {
#define X(id, name, nl, en, snl, sen, danger) [id] = {name, nl, en, snl, sen, danger},
	ACTIONS(X)
#undef X
};

struct binding {
	enum key_ctx ctx;
	struct key key;
	enum action act;
};

#define CH(c) {(wint_t)(c), false}
#define KC(c) {(wint_t)(c), true}
#define CTRL(c) ((c)&0x1f)

/* Default bindings; keys_override edits this table in place. */
static struct binding bindings[] = {
	{CTX_GLOBAL, CH('?'), ACT_HELP},
	{CTX_GLOBAL, KC(KEY_F(1)), ACT_HELP},
	{CTX_GLOBAL, CH('q'), ACT_QUIT},
	{CTX_GLOBAL, KC(KEY_F(10)), ACT_QUIT},
	{CTX_GLOBAL, CH(CTRL('L')), ACT_REDRAW},
	{CTX_GLOBAL, CH(27), ACT_CANCEL},
	{CTX_GLOBAL, CH('y'), ACT_COPY},
	{CTX_GLOBAL, CH(':'), ACT_COMMAND},
	{CTX_GLOBAL, CH('L'), ACT_LOGOUT},
	{CTX_GLOBAL, CH('1'), ACT_AREAS},

	{CTX_LIST, KC(KEY_UP), ACT_UP},
	{CTX_LIST, CH('k'), ACT_UP},
	{CTX_LIST, KC(KEY_DOWN), ACT_DOWN},
	{CTX_LIST, CH('j'), ACT_DOWN},
	{CTX_LIST, KC(KEY_PPAGE), ACT_PAGE_UP},
	{CTX_LIST, CH('u'), ACT_PAGE_UP},
	{CTX_LIST, KC(KEY_NPAGE), ACT_PAGE_DOWN},
	{CTX_LIST, CH(' '), ACT_PAGE_DOWN},
	{CTX_LIST, KC(KEY_HOME), ACT_TOP},
	{CTX_LIST, CH('g'), ACT_TOP},
	{CTX_LIST, KC(KEY_END), ACT_BOTTOM},
	{CTX_LIST, CH('G'), ACT_BOTTOM},
	{CTX_LIST, CH('\r'), ACT_OPEN},
	{CTX_LIST, CH('\n'), ACT_OPEN},
	{CTX_LIST, KC(KEY_ENTER), ACT_OPEN},
	{CTX_LIST, CH('o'), ACT_OPEN},
	{CTX_LIST, CH('v'), ACT_SEND_MESSAGE}, /* a location's page in Ons Cliënt */
	{CTX_LIST, CH('/'), ACT_SEARCH},
	{CTX_LIST, KC(KEY_F(3)), ACT_SEARCH},
	{CTX_LIST, CH('s'), ACT_SEARCH},
	{CTX_LIST, CH('t'), ACT_TREE},
	{CTX_LIST, KC(KEY_F(4)), ACT_TREE},
	{CTX_LIST, CH('b'), ACT_BSN},

	{CTX_DETAIL, CH('r'), ACT_REVEAL},
	{CTX_DETAIL, KC(KEY_F(5)), ACT_REVEAL},
	{CTX_DETAIL, KC(KEY_UP), ACT_UP},
	{CTX_DETAIL, CH('k'), ACT_UP},
	{CTX_DETAIL, KC(KEY_DOWN), ACT_DOWN},
	{CTX_DETAIL, CH('j'), ACT_DOWN},
	{CTX_DETAIL, KC(KEY_LEFT), ACT_QUIT},
	{CTX_DETAIL, CH('h'), ACT_HCT},
	{CTX_DETAIL, KC(KEY_F(6)), ACT_HCT},
	{CTX_LIST, CH('i'), ACT_SETTINGS},
	{CTX_LIST, KC(KEY_F(9)), ACT_SETTINGS},

	{CTX_HCT, KC(KEY_UP), ACT_UP},
	{CTX_HCT, CH('k'), ACT_UP},
	{CTX_HCT, KC(KEY_DOWN), ACT_DOWN},
	{CTX_HCT, CH('j'), ACT_DOWN},
	{CTX_HCT, CH('\r'), ACT_OPEN},
	{CTX_HCT, CH('\n'), ACT_OPEN},
	{CTX_HCT, KC(KEY_ENTER), ACT_OPEN},
	{CTX_HCT, CH('o'), ACT_OPEN},
	{CTX_HCT, CH('b'), ACT_ORDER},
	{CTX_HCT, KC(KEY_F(2)), ACT_ORDER},
	{CTX_HCT, CH('a'), ACT_ADD},
	{CTX_HCT, KC(KEY_LEFT), ACT_QUIT},

	{CTX_CARD, CH('v'), ACT_DELETE},
	{CTX_CARD, KC(KEY_F(8)), ACT_DELETE},
	{CTX_CARD, CH('g'), ACT_START_USE},
	{CTX_CARD, KC(KEY_F(7)), ACT_START_USE},
	{CTX_CARD, CH('e'), ACT_END},
	{CTX_CARD, KC(KEY_LEFT), ACT_QUIT},
	{CTX_CARD, KC(KEY_UP), ACT_UP},
	{CTX_CARD, CH('k'), ACT_UP},
	{CTX_CARD, KC(KEY_DOWN), ACT_DOWN},
	{CTX_CARD, CH('j'), ACT_DOWN},
	{CTX_CARD, KC(KEY_PPAGE), ACT_PAGE_UP},
	{CTX_CARD, KC(KEY_NPAGE), ACT_PAGE_DOWN},
	{CTX_CARD, CH(' '), ACT_PAGE_DOWN},

	{CTX_FORM, CH('\t'), ACT_NEXT_FIELD},
	{CTX_FORM, KC(KEY_DOWN), ACT_NEXT_FIELD},
	{CTX_FORM, KC(KEY_BTAB), ACT_PREV_FIELD},
	{CTX_FORM, KC(KEY_UP), ACT_PREV_FIELD},
	{CTX_FORM, CH('\r'), ACT_OPEN},
	{CTX_FORM, KC(KEY_F(10)), ACT_QUIT},
	{CTX_FORM, KC(KEY_F(1)), ACT_HELP},
	{CTX_FORM, CH(27), ACT_CANCEL},
	{CTX_FORM, KC(KEY_F(8)), ACT_DISCARD_DRAFT},
	{CTX_FORM, CH(CTRL('D')), ACT_DISCARD_DRAFT},

	{CTX_SEARCH, KC(KEY_UP), ACT_UP},
	{CTX_SEARCH, KC(KEY_DOWN), ACT_DOWN},
	{CTX_SEARCH, KC(KEY_PPAGE), ACT_PAGE_UP},
	{CTX_SEARCH, KC(KEY_NPAGE), ACT_PAGE_DOWN},
	{CTX_SEARCH, CH('\r'), ACT_OPEN},
	{CTX_SEARCH, CH('\n'), ACT_OPEN},
	{CTX_SEARCH, KC(KEY_ENTER), ACT_OPEN},
	{CTX_SEARCH, CH('b'), ACT_BSN},
	{CTX_SEARCH, CH(27), ACT_CANCEL},
	{CTX_SEARCH, KC(KEY_F(1)), ACT_HELP},
	{CTX_SEARCH, KC(KEY_F(10)), ACT_QUIT},

	{CTX_PAGE, KC(KEY_UP), ACT_UP},
	{CTX_PAGE, CH('k'), ACT_UP},
	{CTX_PAGE, KC(KEY_DOWN), ACT_DOWN},
	{CTX_PAGE, CH('j'), ACT_DOWN},
	{CTX_PAGE, KC(KEY_LEFT), ACT_QUIT},

	{CTX_MESSAGES, KC(KEY_UP), ACT_UP},
	{CTX_MESSAGES, CH('k'), ACT_UP},
	{CTX_MESSAGES, KC(KEY_DOWN), ACT_DOWN},
	{CTX_MESSAGES, CH('j'), ACT_DOWN},
	{CTX_MESSAGES, KC(KEY_HOME), ACT_TOP},
	{CTX_MESSAGES, KC(KEY_END), ACT_BOTTOM},
	{CTX_MESSAGES, KC(KEY_PPAGE), ACT_PAGE_UP},
	{CTX_MESSAGES, KC(KEY_NPAGE), ACT_PAGE_DOWN},
	{CTX_MESSAGES, CH(' '), ACT_PAGE_DOWN},
	{CTX_MESSAGES, CH('v'), ACT_SEND_MESSAGE},
	{CTX_FORM, KC(KEY_F(2)), ACT_SEND},
	{CTX_FORM, CH(CTRL('S')), ACT_SEND},

	{CTX_SETTINGS, KC(KEY_UP), ACT_UP},
	{CTX_SETTINGS, CH('k'), ACT_UP},
	{CTX_SETTINGS, KC(KEY_DOWN), ACT_DOWN},
	{CTX_SETTINGS, CH('j'), ACT_DOWN},
	{CTX_SETTINGS, CH('a'), ACT_TOGGLE_USE},
	{CTX_SETTINGS, CH('b'), ACT_TOGGLE_ORDERING},
	{CTX_SETTINGS, CH(' '), ACT_TOGGLE_ORDERING},

	{CTX_LIST, CH('c'), ACT_CAREN},
	{CTX_DETAIL, CH('c'), ACT_CAREN},
	{CTX_TREE, CH('c'), ACT_CAREN},

	{CTX_CAREN, CH('u'), ACT_INVITE},
	{CTX_CAREN, KC(KEY_F(2)), ACT_INVITE},
	{CTX_CAREN, CH('b'), ACT_LETTER},
	{CTX_CAREN, CH('p'), ACT_PRINT},
	{CTX_CAREN, CH('i'), ACT_REVOKE},
	{CTX_CAREN, CH('o'), ACT_UNLINK},
	{CTX_CAREN, KC(KEY_UP), ACT_UP},
	{CTX_CAREN, CH('k'), ACT_UP},
	{CTX_CAREN, KC(KEY_DOWN), ACT_DOWN},
	{CTX_CAREN, CH('j'), ACT_DOWN},
	{CTX_CAREN, KC(KEY_LEFT), ACT_QUIT},

	{CTX_TREE, KC(KEY_UP), ACT_UP},
	{CTX_TREE, CH('k'), ACT_UP},
	{CTX_TREE, KC(KEY_DOWN), ACT_DOWN},
	{CTX_TREE, CH('j'), ACT_DOWN},
	{CTX_TREE, KC(KEY_PPAGE), ACT_PAGE_UP},
	{CTX_TREE, KC(KEY_NPAGE), ACT_PAGE_DOWN},
	{CTX_TREE, KC(KEY_HOME), ACT_TOP},
	{CTX_TREE, KC(KEY_END), ACT_BOTTOM},
	{CTX_TREE, CH('\r'), ACT_OPEN},
	{CTX_TREE, CH('\n'), ACT_OPEN},
	{CTX_TREE, KC(KEY_ENTER), ACT_OPEN},

	{CTX_LOGIN, CH('\t'), ACT_NEXT_FIELD},
	{CTX_LOGIN, KC(KEY_DOWN), ACT_NEXT_FIELD},
	{CTX_LOGIN, KC(KEY_BTAB), ACT_PREV_FIELD},
	{CTX_LOGIN, KC(KEY_UP), ACT_PREV_FIELD},
	{CTX_LOGIN, CH('\r'), ACT_OPEN},
	{CTX_LOGIN, CH('\n'), ACT_OPEN},
	{CTX_LOGIN, KC(KEY_ENTER), ACT_OPEN},
	{CTX_LOGIN, KC(KEY_F(10)), ACT_QUIT},
	{CTX_LOGIN, CH(27), ACT_CANCEL},
	{CTX_LOGIN, KC(KEY_F(1)), ACT_HELP},
};
#define NBIND (sizeof bindings / sizeof bindings[0])

bool keys_typing(enum key_ctx ctx)
{
	return ctx == CTX_LOGIN || ctx == CTX_FORM || ctx == CTX_SEARCH;
}

/* True when two keys are the same. */
static bool same_key(struct key a, struct key b)
{
	return a.code == b.code && a.is_keycode == b.is_keycode;
}

enum action keys_lookup(enum key_ctx ctx, struct key k)
{
	for (size_t i = 0; i < NBIND; i++)
		if (bindings[i].ctx == ctx && same_key(bindings[i].key, k))
			return bindings[i].act;
	if (keys_typing(ctx))
		return ACT_NONE; /* letters are typed into the fields there */
	for (size_t i = 0; i < NBIND; i++)
		if (bindings[i].ctx == CTX_GLOBAL && same_key(bindings[i].key, k))
			return bindings[i].act;
	return ACT_NONE;
}

static const struct {
	const char *name;
	struct key key;
} named[] = {
	{"Enter", CH('\r')},	   {"Esc", CH(27)},			 {"Tab", CH('\t')},
	{"Space", CH(' ')},		   {"Up", KC(KEY_UP)},		 {"Down", KC(KEY_DOWN)},
	{"Left", KC(KEY_LEFT)},	   {"Right", KC(KEY_RIGHT)}, {"PgUp", KC(KEY_PPAGE)},
	{"PgDn", KC(KEY_NPAGE)},   {"Home", KC(KEY_HOME)},	 {"End", KC(KEY_END)},
	{"Backspace", KC(KEY_BACKSPACE)}, {"BackTab", KC(KEY_BTAB)},
};

bool keys_parse(const char *d, struct key *k)
{
	size_t n = strlen(d);
	if (n == 1 && (unsigned char)d[0] >= 0x20 && (unsigned char)d[0] < 0x7f) {
		*k = (struct key)CH(d[0]);
		return true;
	}
	if (n == 2 && d[0] == '^' && ((d[1] >= 'A' && d[1] <= 'Z') || (d[1] >= 'a' && d[1] <= 'z'))) {
		*k = (struct key)CH(CTRL(d[1]));
		return true;
	}
	if ((d[0] == 'F' || d[0] == 'f') && n >= 2 && n <= 3) {
		int f = 0;
		for (size_t i = 1; i < n; i++) {
			if (d[i] < '0' || d[i] > '9')
				return false;
			f = f * 10 + (d[i] - '0');
		}
		if (f < 1 || f > 12)
			return false;
		*k = (struct key)KC(KEY_F(f));
		return true;
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strcasecmp(d, named[i].name) == 0) {
			*k = named[i].key;
			return true;
		}
	}
	return false;
}

const char *keys_describe(struct key k)
{
	static char out[32];
	if (k.is_keycode) {
		for (int f = 1; f <= 12; f++)
			if (k.code == (wint_t)KEY_F(f)) {
				snprintf(out, sizeof out, "F%d", f);
				return out;
			}
		if (k.code == (wint_t)KEY_ENTER)
			return "Enter";
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (same_key(named[i].key, k))
			return named[i].name;
	if (!k.is_keycode && k.code == '\n')
		return "Enter";
	if (!k.is_keycode && k.code < 0x20) {
		snprintf(out, sizeof out, "Ctrl-%c", (char)(k.code + '@'));
		return out;
	}
	if (!k.is_keycode && k.code < 0x7f) {
		snprintf(out, sizeof out, "%c", (char)k.code);
		return out;
	}
	snprintf(out, sizeof out, "#%u", (unsigned)k.code);
	return out;
}

bool keys_override(const char *name, const char *desc, char *err, size_t errlen)
{
	enum action a = ACT_NONE;
	for (int i = 1; i < ACT_COUNT; i++)
		if (strcmp(actions[i].name, name) == 0)
			a = (enum action)i;
	if (a == ACT_NONE) {
		/* Name the actions that exist: the help overlay shows the same names. */
		int used = snprintf(err, errlen, "keys: unknown action '%s'; known actions:", name);
		for (int i = 1; i < ACT_COUNT && used > 0 && (size_t)used < errlen; i++)
			used += snprintf(err + used, errlen - (size_t)used, " %s", actions[i].name);
		return false;
	}
	struct key k;
	if (!keys_parse(desc, &k)) {
		snprintf(err, errlen, "keys.%s: unknown key '%s'", name, desc);
		return false;
	}
	bool done = false;
	/* Replace the action's letter key (a printable character) in each context; arrows,
	 * Enter, Esc and function keys stay as they are. */
	for (int ctx = 0; ctx < CTX_COUNT; ctx++) {
		for (size_t i = 0; i < NBIND; i++) {
			struct key *b = &bindings[i].key;
			if ((int)bindings[i].ctx == ctx && bindings[i].act == a && !b->is_keycode &&
				b->code > 0x20 && b->code < 0x7f) {
				*b = k;
				done = true;
				break;
			}
		}
	}
	if (!done)
		snprintf(err, errlen, "keys.%s: this action has no letter key to replace", name);
	return done;
}

const char *keys_label(enum action a)
{
	return i18n_english() ? actions[a].sen : actions[a].snl;
}

const char *keys_name(enum action a)
{
	return actions[a].name;
}

const char *keys_help(enum action a)
{
	return i18n_english() ? actions[a].en : actions[a].nl;
}

bool keys_dangerous(enum action a)
{
	return actions[a].danger;
}

void keys_for(enum key_ctx ctx, enum action a, char *out, size_t outlen)
{
	out[0] = '\0';
	size_t used = 0;
	for (int pass = 0; pass < 2; pass++) {
		enum key_ctx c = pass == 0 ? ctx : CTX_GLOBAL;
		if (pass == 1 && (ctx == CTX_GLOBAL || keys_typing(ctx)))
			break;
		for (size_t i = 0; i < NBIND; i++) {
			if (bindings[i].ctx != c || bindings[i].act != a)
				continue;
			const char *d = keys_describe(bindings[i].key);
			/* Enter comes as \r, \n or KEY_ENTER: name each key once. */
			bool seen = false;
			for (const char *p = out; (p = strstr(p, d)) != NULL; p += strlen(d))
				if ((p == out || p[-1] == ' ') && (p[strlen(d)] == ',' || p[strlen(d)] == '\0'))
					seen = true;
			if (seen)
				continue;
			int w = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", d);
			if (w < 0 || (size_t)w >= outlen - used)
				return;
			used += (size_t)w;
		}
	}
}

size_t keys_actions(enum key_ctx ctx, enum action *out, size_t max)
{
	size_t n = 0;
	for (int a = 1; a < ACT_COUNT && n < max; a++) {
		for (size_t i = 0; i < NBIND; i++) {
			if (bindings[i].act == (enum action)a &&
				(bindings[i].ctx == ctx ||
				 (bindings[i].ctx == CTX_GLOBAL && !keys_typing(ctx)))) {
				out[n++] = (enum action)a;
				break;
			}
		}
	}
	return n;
}
